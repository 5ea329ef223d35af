// Main-process memory over a soak of demo traffic: the lab PBX runs in its own process (so its
// memory is not counted), the desktop services and the web host in this one, with a renderer
// attached in Chromium. RSS is sampled every second; growth is measured after a warm-up.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, rendererDir } from '../e2e/harness.js';
import { silentLogger } from '../main/core/log.js';
import { createDesktop } from '../main/desktop.js';
import { startWebHost } from '../main/host/web/server.js';
import { MemorySecretStore } from '../main/profiles/secret-store.js';

interface Endpoint {
  event: string;
  vendor?: string;
  transport?: string;
  port?: number;
}

async function startLabProcess(intervalMs: number): Promise<{ child: ChildProcess; telPort: number; controlPort: number }> {
  const root = resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/cli/index.ts'), 'sim', '--port-base', '0', '--demo', '--demo-interval', String(intervalMs)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  let telPort = 0;
  let controlPort = 0;
  for await (const line of lines) {
    const e = JSON.parse(line) as Endpoint;
    if (e.event === 'listening' && e.vendor === 'telservices' && e.transport === 'tcp') telPort = e.port ?? 0;
    if (e.event === 'listening' && e.transport === 'control') controlPort = e.port ?? 0;
    if (e.event === 'ready') break;
  }
  if (!telPort) throw new Error('the lab PBX did not report its TelServices port');
  return { child, telPort, controlPort };
}

export async function runSoakBench(opts: { seconds: number; demoIntervalMs: number }) {
  const lab = await startLabProcess(opts.demoIntervalMs);
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-desktop-soak-'));
  const desktop = await createDesktop({
    dataDir,
    log: silentLogger(),
    secrets: new MemorySecretStore(),
    openExternal: null,
    labPort: lab.telPort,
    demoOverrides: { keepAliveSec: 5 },
  });
  const host = await startWebHost({ bridge: desktop.bridge, staticDir: rendererDir, log: silentLogger() });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  try {
    await desktop.supervisor()?.whenUp(10_000);
    const page = await browser.newPage();
    await page.goto(host.url);
    // The demo agent takes calls: ready, so the queue distributes to it.
    await desktop.supervisor()?.execute({ kind: 'setAgentState', state: 'loggedOn' }).catch(() => {});
    await desktop.supervisor()?.execute({ kind: 'setAgentState', state: 'ready' }).catch(() => {});
    const samples: number[] = [];
    let answered = 0;
    const started = Date.now();
    while (Date.now() - started < opts.seconds * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      // Answer and end whatever rings, as an agent would, so calls flow through the whole path.
      for (const call of Object.values(desktop.view.current.calls)) {
        const kind = call.allowed.includes('answer') ? 'answer' : call.allowed.includes('clear') && Math.random() < 0.3 ? 'clear' : null;
        if (kind) {
          await desktop.supervisor()?.execute({ kind, callId: call.id }).catch(() => {});
          if (kind === 'answer') answered += 1;
        }
      }
      if (desktop.view.current.agent?.state === 'wrapUp' || desktop.view.current.agent?.state === 'notReady') {
        await desktop.supervisor()?.execute({ kind: 'setAgentState', state: 'ready' }).catch(() => {});
      }
      samples.push(process.memoryUsage().rss);
    }
    const warm = Math.max(1, Math.floor(samples.length * 0.2));
    const mb = (b: number) => b / (1024 * 1024);
    const after = samples.slice(warm);
    const first = after.slice(0, Math.max(1, Math.floor(after.length * 0.1)));
    const last = after.slice(-Math.max(1, Math.floor(after.length * 0.1)));
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const startRss = mb(avg(first));
    const endRss = mb(avg(last));
    return {
      seconds: opts.seconds,
      answered,
      rssStartMb: startRss,
      rssEndMb: endRss,
      rssMaxMb: mb(Math.max(...samples)),
      growthPct: ((endRss - startRss) / startRss) * 100,
    };
  } finally {
    await browser.close();
    await host.close();
    await desktop.stop();
    lab.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
