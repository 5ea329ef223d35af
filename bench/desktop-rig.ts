// What the vendors' latency benches share: Chromium, the lab PBX with one vendor front-end, the
// desktop services on its built-in demo profile for that vendor, the web host, and a page showing
// the app with the link up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, rendererDir } from '../e2e/harness.js';
import { silentLogger } from '../main/core/log.js';
import { type Desktop, createDesktop } from '../main/desktop.js';
import { demoEndpointsOf } from '../main/host/lab-demo.js';
import { startWebHost } from '../main/host/web/server.js';
import { MemorySecretStore } from '../main/profiles/secret-store.js';
import { type Lab, type LabVendor, startLab } from '../main/simulator/lab.js';

export interface BenchDesktop {
  browser: Browser;
  lab: Lab;
  desktop: Desktop;
  page: Page;
}

/** Run `body` against a desktop signed in to the lab's `vendor` front-end; everything is closed after. */
/** `frameMs`: the bridge's coalescing frame, when a run measures another one than the shipped 16 ms. */
export async function withBenchDesktop<T>(vendor: LabVendor, profileId: string, body: (rig: BenchDesktop) => Promise<T>, frameMs?: number): Promise<T> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  const lab = await startLab({ vendors: [vendor], portBase: 0, demo: false, log: silentLogger() });
  const dataDir = mkdtempSync(join(tmpdir(), `agent-desktop-bench-${vendor}-`));
  const desktop = await createDesktop({
    dataDir,
    log: silentLogger(),
    secrets: new MemorySecretStore(),
    openExternal: null,
    ...demoEndpointsOf(lab),
    // No resync during the run: the bench's calls exist on the event feed only, not in the PBX.
    demoOverrides: { keepAliveSec: 600 },
    inMemoryCallLog: true,
    ...(frameMs !== undefined ? { bridgeFrameMs: frameMs } : {}),
  });
  const host = await startWebHost({ bridge: desktop.bridge, staticDir: rendererDir, log: silentLogger() });
  try {
    await desktop.activate(profileId);
    await desktop.supervisor()?.whenUp(10_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(host.url);
    await page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 15_000 });
    return await body({ browser, lab, desktop, page });
  } finally {
    await browser.close();
    await host.close();
    await desktop.stop();
    await lab.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
