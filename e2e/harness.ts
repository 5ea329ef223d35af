// End-to-end harness: the lab PBX and the desktop services in this process, the web host on a
// free loopback port, and Debian's Chromium driven by Playwright on the built renderer.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type DesktopLog, openDesktopLog } from '../main/core/desktop-log.js';
import { silentLogger } from '../main/core/log.js';
import { type Desktop, createDesktop } from '../main/desktop.js';
import { type WebHost, startWebHost } from '../main/host/web/server.js';
import { MemorySecretStore } from '../main/profiles/secret-store.js';
import { callControl, startLabOnFreePortBase } from '../main/simulator/lab-client.js';
import { type Lab, type LabVendor, startLab } from '../main/simulator/lab.js';
import { demoEndpointsOf } from '../main/host/lab-demo.js';
import type { Profile } from '../shared/profile.js';
import type { GlobalShortcutHost } from '../main/settings/global-shortcuts.js';
import { DEMO_CTIPS_PROFILE_ID, DEMO_IV_PROFILE_ID, DEMO_O2G_PROFILE_ID, DEMO_TWS_PROFILE_ID } from '../main/profiles/demo-profile.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const rendererDir = resolve(import.meta.dirname, '..', 'dist', 'renderer');

export interface Harness {
  lab: Lab;
  dataDir: string;
  /** The desktop's log as production keeps it (a file in the data folder's logs, the latest lines in memory). */
  desktopLog: DesktopLog;
  desktop: Desktop;
  host: WebHost;
  browser: Browser;
  page: Page;
  control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  restartLab(): Promise<void>;
  reload(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** The built-in demo profile the desktop runs: TelServices (the default), O2G, TWS, InstantVoice (with a private RabbitMQ) or CTIPS (the portal pair A/B). */
  vendor?: LabVendor;
  /** Profile settings over the harness's fast keep-alive and reconnect ones. */
  demoOverrides?: Partial<Profile>;
  /** Stands in for the OS's system-wide keys (Electron's globalShortcut). */
  globalShortcuts?: GlobalShortcutHost;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('build the renderer first (npm run build:renderer)');
  const vendors: LabVendor[] = opts.vendor && opts.vendor !== 'telservices' ? ['telservices', opts.vendor] : ['telservices'];
  const started = await startLabOnFreePortBase({ vendors });
  let lab = started.lab;
  const portBase = started.portBase;
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-desktop-e2e-'));
  const desktopLog = await openDesktopLog({ name: 'agent-desktop', dir: join(dataDir, 'logs') });
  const desktop = await createDesktop({
    dataDir,
    log: desktopLog.log,
    logControl: desktopLog,
    appVersion: 'e2e',
    ...(opts.globalShortcuts ? { globalShortcuts: opts.globalShortcuts } : {}),
    secrets: new MemorySecretStore(),
    openExternal: null,
    ...demoEndpointsOf(lab),
    demoOverrides: { keepAliveSec: 0.3, reconnect: { initialMs: 100, maxMs: 400 }, commandTimeoutMs: 3000, ...opts.demoOverrides },
    inMemoryCallLog: true,
  });
  if (opts.vendor === 'o2g') await desktop.activate(DEMO_O2G_PROFILE_ID);
  if (opts.vendor === 'tws') await desktop.activate(DEMO_TWS_PROFILE_ID);
  if (opts.vendor === 'instantvoice') await desktop.activate(DEMO_IV_PROFILE_ID);
  if (opts.vendor === 'ctips') {
    // The TelServices demo profile (agent1101 on 1101) is connecting when the desktop starts; stopped
    // half-way, its session outlives the stop (SessionSupervisor.connect does not stop a connector that
    // finished starting after the stop) and its 1101 agent events would replace the CTIPS agent in the
    // view when the flow logs agent1101 in. So it is let come up, then switched off cleanly.
    await desktop.supervisor()?.whenUp(10_000);
    await desktop.activate(DEMO_CTIPS_PROFILE_ID);
  }
  await desktop.supervisor()?.whenUp(10_000);
  const host = await startWebHost({ bridge: desktop.bridge, staticDir: rendererDir, log: silentLogger() });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(host.url);

  const control = (method: 'GET' | 'POST', path: string, body?: unknown) => callControl(() => lab, method, path, body);

  return {
    get lab() {
      return lab;
    },
    dataDir,
    desktopLog,
    desktop,
    host,
    browser,
    page,
    control,
    restartLab: async () => {
      await lab.stop();
      lab = await startLab({ vendors, portBase, demo: false, log: silentLogger() });
    },
    reload: async () => {
      await page.reload();
    },
    close: async () => {
      await browser.close().catch(() => {});
      await host.close();
      await desktop.stop();
      await lab.stop();
      await desktopLog.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (consoleErrors.length) console.warn('page errors:', consoleErrors);
    },
  };
}

/**
 * One harness for a test file: started (with the link up on screen) before its tests and closed
 * after them. `started` receives it, for the file's own `h` and `page`.
 */
export function harnessPerFile(opts: HarnessOptions, started: (h: Harness) => void): void {
  let h: Harness | null = null;
  beforeAll(async () => {
    h = await startHarness(opts);
    started(h);
    await h.page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 15_000 });
  });
  afterAll(async () => {
    await h?.close();
  });
}
