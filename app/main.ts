// The Electron shell: one sandboxed, context-isolated window on the renderer, served from a
// privileged app:// scheme (not file://), a typed bridge whose every message main validates and
// whose sender is checked, a single-instance lock, tel:/callto: links, OS notifications for calls
// ringing and callbacks due while the window is in the background, secrets through safeStorage, a log in
// the OS's log folder, a CTI link check when the computer wakes, and system-wide call-control keys.
import { app, BrowserWindow, Notification, globalShortcut, ipcMain, powerMonitor, protocol, safeStorage, session, shell, type IpcMainInvokeEvent } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_PREFIX, invokeChannelNames } from '../shared/bridge.js';
import type { BridgeClient } from '../main/core/bridge-server.js';
import { openDesktopLog } from '../main/core/desktop-log.js';
import { createLogger } from '../main/core/log.js';
import { type Desktop, createDesktop } from '../main/desktop.js';
import { CONTENT_SECURITY_POLICY } from '../main/host/web/server.js';
import { demoEndpointsOf, startDemoLab } from '../main/host/lab-demo.js';
import { applyMainProcessV8Flags } from '../main/host/v8-flags.js';
import { EncryptedFileSecretStore, MemorySecretStore } from '../main/profiles/secret-store.js';
import type { GlobalShortcutHost } from '../main/settings/global-shortcuts.js';
import { dialableFromLink } from '../shared/links.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const APP_ORIGIN = 'app://renderer';
// Until the log folder is open (app ready), the console only.
let log = createLogger({ name: 'agent-desktop' });

applyMainProcessV8Flags();
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // A second instance hands its command line (a tel: link, say) to the first and quits.
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let desktop: Desktop | null = null;
  let client: BridgeClient | null = null;
  const pendingLinks: string[] = [];

  const handleLink = (arg: string) => {
    const number = dialableFromLink(arg);
    if (!number) return;
    if (desktop) void desktop.dial(number).catch((err: unknown) => log.warn({ err }, 'click-to-dial failed'));
    else pendingLinks.push(number);
  };

  app.on('second-instance', (_e, argv) => {
    for (const a of argv) handleLink(a);
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('open-url', (e, url) => {
    e.preventDefault();
    handleLink(url);
  });
  app.setAsDefaultProtocolClient('tel');
  app.setAsDefaultProtocolClient('callto');

  const serveRenderer = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = normalize(join(rendererDir, rel));
    if (!file.startsWith(rendererDir + sep)) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' }[
        extname(file)
      ];
      return new Response(body, {
        headers: { 'Content-Type': type ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  };

  /** Only our own window's main frame, showing our own origin, may use the bridge. */
  const trustedSender = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    if (!window || event.sender !== window.webContents || !frame || frame !== window.webContents.mainFrame) return false;
    try {
      return new URL(frame.url).origin === APP_ORIGIN;
    } catch {
      return false;
    }
  };

  const createWindow = () => {
    window = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 900,
      minHeight: 600,
      title: 'Agent Desktop',
      show: false,
      webPreferences: {
        preload: join(here, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
        // The desk's ringer must sound for a call that rings before the agent has clicked in the window.
        autoplayPolicy: 'no-user-gesture-required',
      },
    });
    const wc = window.webContents;
    wc.setWindowOpenHandler(({ url }) => {
      void openExternalSafely(url);
      return { action: 'deny' };
    });
    wc.on('will-navigate', (e, url) => {
      if (new URL(url).origin !== APP_ORIGIN) e.preventDefault();
    });
    window.once('ready-to-show', () => window?.show());
    window.on('closed', () => {
      client?.close();
      client = null;
      window = null;
    });
    // A reloaded renderer gets a fresh bridge client; the calls live here and are untouched.
    wc.on('did-start-navigation', (details) => {
      if (!details.isMainFrame || details.isSameDocument) return;
      client?.close();
      client = desktop?.bridge.connect((payload) => wc.send(`${IPC_PREFIX}state`, payload)) ?? null;
    });
    void window.loadURL(`${APP_ORIGIN}/index.html`);
  };

  /** System-wide keys through the OS; a key another application holds is reported, not fatal. */
  const globalShortcutHost: GlobalShortcutHost = {
    register(bindings, run) {
      globalShortcut.unregisterAll();
      const failed: (typeof bindings)[number]['action'][] = [];
      for (const b of bindings) {
        let ok = false;
        try {
          ok = globalShortcut.register(b.accelerator, () => run(b.action));
        } catch (err) {
          log.warn({ err, accelerator: b.accelerator }, 'system-wide shortcut refused');
        }
        if (!ok) failed.push(b.action);
      }
      return failed;
    },
    clear: () => globalShortcut.unregisterAll(),
  };

  const openExternalSafely = async (url: string): Promise<void> => {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`refused to open ${parsed.protocol} link`);
    await shell.openExternal(parsed.toString());
  };

  void app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications'));
    protocol.handle('app', serveRenderer);
    const dataDir = app.getPath('userData');
    const desktopLog = await openDesktopLog({ name: 'agent-desktop', dir: app.getPath('logs'), console: { stream: process.stdout, level: 'info' } });
    log = desktopLog.log;
    const secrets = safeStorage.isEncryptionAvailable()
      ? new EncryptedFileSecretStore(join(dataDir, 'secrets'), {
          isAvailable: () => safeStorage.isEncryptionAvailable(),
          encrypt: (plain) => safeStorage.encryptString(plain),
          decrypt: (data) => safeStorage.decryptString(data),
        })
      : new MemorySecretStore();
    const lab = await startDemoLab({ demo: true, log, instantvoice: true, freePorts: true, say: (line) => log.info(line) }).catch((err: unknown) => {
      log.error({ err }, 'the built-in lab PBX did not start');
      return null;
    });
    desktop = await createDesktop({
      dataDir,
      log,
      logControl: desktopLog,
      appVersion: app.getVersion(),
      globalShortcuts: globalShortcutHost,
      secrets,
      openExternal: openExternalSafely,
      ...demoEndpointsOf(lab),
    });
    desktop.onIncomingCall((call) => {
      if (window?.isFocused() || !Notification.isSupported()) return;
      const n = new Notification({ title: 'Incoming call', body: `${call.remote.name ?? ''} ${call.remote.withheld ? 'Withheld' : call.remote.number}`.trim() });
      n.on('click', () => window?.show());
      n.show();
    });
    // The OS knows about sleep before the desktop's own clock check does: check the link at once.
    powerMonitor.on('resume', () => desktop?.checkLink('the computer woke from sleep'));
    powerMonitor.on('unlock-screen', () => desktop?.checkLink('the screen was unlocked'));
    desktop.onCallbackDue((due) => {
      const [c] = due;
      if (!c || !Notification.isSupported()) return;
      const body = due.length === 1 ? [c.name, c.number, c.note].filter(Boolean).join(' · ') : `${due.length} callbacks are due`;
      const n = new Notification({ title: due.length === 1 ? 'Callback due' : 'Callbacks due', body });
      n.on('click', () => window?.show());
      n.show();
    });
    for (const channel of invokeChannelNames) {
      ipcMain.handle(`${IPC_PREFIX}${channel}`, async (event, payload: unknown) => {
        if (!trustedSender(event) || !client) return { ok: false, error: { code: 'invalid', message: 'untrusted sender' } };
        return client.handle(channel, payload);
      });
    }
    createWindow();
    for (const a of process.argv) handleLink(a);
    for (const n of pendingLinks.splice(0)) void desktop.dial(n).catch(() => {});
    app.on('before-quit', () => {
      void desktop?.stop();
      void lab?.stop();
      void desktopLog.close();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!window) createWindow();
  });
}
