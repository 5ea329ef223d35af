// Event-to-screen timing shared by the vendors' latency benches: page scripts that note when each
// "Bench N." marker reaches the DOM, a paced sender, and the bare reference (the same frames over
// a raw WebSocket into a page that only sets textContent).
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { epochNow, summarize } from './stats.js';

// Page-side scripts are plain strings: the TypeScript runner would otherwise inject helpers
// (esbuild's __name) that do not exist in the page.

/** Records, in the page, when each "Bench N" marker first appears in the DOM. */
export const observeScript = `(() => {
  const seen = new Map();
  window.__seen = seen;
  const scan = () => {
    const t = performance.timeOrigin + performance.now();
    for (const m of (document.body.textContent || '').matchAll(/Bench (\\d+)\\./g)) {
      const n = Number(m[1]);
      if (!seen.has(n)) seen.set(n, t);
    }
  };
  new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

/** The bare reference page: a raw WebSocket whose frames only set textContent. */
export const bareScript = (port: number) => `new Promise((resolve) => {
  const seen = new Map();
  window.__seen = seen;
  const el = document.createElement('div');
  document.body.append(el);
  const ws = new WebSocket('ws://127.0.0.1:${port}/');
  window.__ws = ws;
  ws.onmessage = (m) => {
    el.textContent = String(m.data);
    const n = /Bench (\\d+)\\./.exec(String(m.data));
    if (n) seen.set(Number(n[1]), performance.timeOrigin + performance.now());
  };
  ws.onopen = () => resolve(true);
})`;

export async function collect(page: Page): Promise<Map<number, number>> {
  const entries = (await page.evaluate('[...window.__seen.entries()]')) as [number, number][];
  return new Map(entries);
}

export async function pace(count: number, rate: number, send: (i: number) => void, sent: Map<number, number>): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    sent.set(i, epochNow());
    send(i);
  }
}

export function latencies(sent: Map<number, number>, seen: Map<number, number>) {
  const values: number[] = [];
  for (const [i, t] of sent) {
    const s = seen.get(i);
    if (s !== undefined) values.push(s - t);
  }
  return { ...summarize(values), shown: values.length, sent: sent.size };
}

/** The bare reference: the same frames, a raw WebSocket, a page that only sets textContent. */
export async function referenceRun(browser: Browser, count: number, rate: number, frame: (i: number) => string) {
  // Served from loopback itself: Chromium blocks about:blank pages from reaching loopback.
  const http = createHttpServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><body></body>'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const wss = new WebSocketServer({ server: http });
  try {
    const wsPort = (http.address() as AddressInfo).port;
    const bare: Page = await browser.newPage();
    await bare.goto(`http://127.0.0.1:${wsPort}/`);
    await bare.evaluate(bareScript(wsPort));
    const client = [...wss.clients][0];
    if (!client) throw new Error('reference page did not connect');
    const sent = new Map<number, number>();
    await pace(count, rate, (i) => client.send(frame(i)), sent);
    await new Promise((r) => setTimeout(r, 500));
    return latencies(sent, await collect(bare));
  } finally {
    wss.close();
    http.close();
  }
}
