// Event-to-screen latency: a TelServices UDP call event leaves the (fake) server → the DOM of the
// real renderer shows it, through connector, reducer, bridge and web host. Beside it, the bare
// reference: the same frames over a raw WebSocket into a page that only sets textContent.
import { createSocket } from 'node:dgram';
import { type AddressInfo, createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, rendererDir } from '../e2e/harness.js';
import { silentLogger } from '../main/core/log.js';
import { createDesktop } from '../main/desktop.js';
import { startWebHost } from '../main/host/web/server.js';
import { MemorySecretStore } from '../main/profiles/secret-store.js';
import { collect, latencies, observeScript, pace, referenceRun } from './screen-timing.js';

const standard = '<TelServiceReturn><result><standard/></result></TelServiceReturn>';
const emptySnapshot =
  '<TelServiceReturn><result><snapshot><calls/><forwards/><msgWaiting><off/></msgWaiting><doNotDisturb><off/></doNotDisturb></snapshot></result></TelServiceReturn>';

/** A TelServer that accepts the session and answers every request; the bench sends the events. */
async function fakeTelServer(): Promise<{ port: number; udpPort: Promise<number>; close(): Promise<void> }> {
  let resolveUdp: (p: number) => void = () => {};
  const udpPort = new Promise<number>((r) => (resolveUdp = r));
  const server = createServer((sock) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString();
      if (!buf.includes('</TelServiceRequest>')) return;
      const udp = /<eventUDPPort>(\d+)<\/eventUDPPort>/.exec(buf);
      if (udp?.[1]) resolveUdp(Number(udp[1]));
      sock.end(buf.includes('<snapshot>') ? emptySnapshot : standard);
    });
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    udpPort,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function callEvent(i: number): string {
  const id = (i % 4) + 1;
  return (
    `<TelServiceEvent><deviceNumber>1101</deviceNumber><event><call><id>${id}</id><primCall><state><connected/></state>` +
    `<otherParty><number>06${String(10_000_000 + id).slice(-8)}</number><name>Bench ${i}.</name></otherParty><duration>0</duration>` +
    `<isOutgoing><false/></isOutgoing><isConference><false/></isConference></primCall>` +
    `<permittedServices><holdCall/><dropCall/></permittedServices></call></event></TelServiceEvent>`
  );
}

export async function runLatencyBench(opts: { rate: number; seconds: number; frameMs?: number }) {
  const count = Math.round(opts.rate * opts.seconds);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  const tel = await fakeTelServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-desktop-bench-'));
  const desktop = await createDesktop({
    dataDir,
    log: silentLogger(),
    secrets: new MemorySecretStore(),
    openExternal: null,
    labPort: tel.port,
    demoOverrides: { keepAliveSec: 600 },
    inMemoryCallLog: true,
    ...(opts.frameMs !== undefined ? { bridgeFrameMs: opts.frameMs } : {}),
  });
  const host = await startWebHost({ bridge: desktop.bridge, staticDir: rendererDir, log: silentLogger() });
  const udp = createSocket('udp4');
  try {
    await desktop.supervisor()?.whenUp(10_000);
    const udpPort = await tel.udpPort;
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(host.url);
    await page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 15_000 });
    await page.evaluate(observeScript);
    const sent = new Map<number, number>();
    await pace(count, opts.rate, (i) => udp.send(callEvent(i), udpPort, '127.0.0.1'), sent);
    await new Promise((r) => setTimeout(r, 500));
    const app = latencies(sent, await collect(page));

    const reference = await referenceRun(browser, count, opts.rate, callEvent);
    return { rate: opts.rate, count, app, reference };
  } finally {
    udp.close();
    await browser.close();
    await host.close();
    await desktop.stop();
    await tel.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
