// `start` (what `npm start` runs): the lab PBX with demo traffic, the desktop services and the UI.
// In Electron when its runtime is present; otherwise the same UI through the web host.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Level, levels } from 'pino';
import { openDesktopLog } from '../core/desktop-log.js';
import { createDesktop } from '../desktop.js';
import { startWebHost } from '../host/web/server.js';
import { MemorySecretStore } from '../profiles/secret-store.js';
import { dialableFromLink } from '../../shared/links.js';
import { acquireInstanceLock } from '../host/instance-lock.js';
import { applyMainProcessV8Flags } from '../host/v8-flags.js';
import { demoEndpointsOf, startDemoLab } from '../host/lab-demo.js';
import { buildAppShell, electronBinary, installElectron } from './electron-runtime.js';
import { UsageError, parseHostPort, waitForSignalOrTimeout } from './util.js';
import { instantVoiceBrokerDefaults } from '../simulator/lab.js';

export const startUsage =
  'start [--web] [--no-demo] [--lab-port N] [--port N] [--data-dir DIR] [--seconds N] [--stomp HOST:PORT [--stomp-user U] [--stomp-password P]] [--no-instantvoice] [tel:NUMBER]';

/** The checkout (or app) folder: the nearest folder above this file holding package.json. */
function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return join(base, 'agent-desktop');
}

export async function runStart(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      web: { type: 'boolean', default: false },
      'no-demo': { type: 'boolean', default: false },
      'lab-port': { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      seconds: { type: 'string' },
      stomp: { type: 'string' },
      'stomp-user': { type: 'string', default: instantVoiceBrokerDefaults.user },
      'stomp-password': { type: 'string', default: instantVoiceBrokerDefaults.password },
      'no-instantvoice': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  const links = positionals.filter((a) => dialableFromLink(a) !== null);
  const port = values.port ? Number(values.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a port number');

  if (!values.web) {
    let binary = electronBinary();
    let missing = 'the Electron runtime is not installed on this machine';
    if (!binary && !process.env.CI) {
      process.stdout.write('Fetching the Electron runtime (first start only)... ');
      const r = installElectron(90_000);
      binary = r.path;
      // Say why in one word (ENOTFOUND, ETIMEDOUT, ...); the installer's full message is noise here.
      if (!binary) missing = `not available (${/\bE[A-Z]{3,}\b/.exec(r.reason)?.[0] ?? 'download failed'})`;
      else process.stdout.write('done.\n');
    }
    const appEntry = join(repoRoot, 'dist', 'app', 'main.js');
    if (binary && !existsSync(appEntry)) buildAppShell(repoRoot);
    if (binary && existsSync(appEntry)) {
      const child = spawn(binary, [repoRoot], { stdio: 'inherit' });
      return new Promise((done) => child.on('exit', (code) => done(code ?? 0)));
    }
    if (binary) console.log('The Electron shell is not built (run `npm run build`); using the web host.');
    else console.log(`${missing}; serving the same UI through the web host instead.`);
  }

  const dataDir = values['data-dir'] ?? defaultDataDir();
  let hostUrl = '';
  let dial: (n: string) => Promise<void> = async () => {};
  const lock = await acquireInstanceLock(dataDir, links, (argv) => {
    for (const a of argv) {
      const n = dialableFromLink(a);
      if (n) void dial(n).catch(() => {});
    }
    console.log('Another start was handed over to this instance.');
    return hostUrl;
  });
  if (!lock.primary) {
    console.log(`Agent Desktop is already running${links.length ? ' (the number was handed over to it)' : ''}. Open ${lock.reply}`);
    return 0;
  }

  applyMainProcessV8Flags();
  // The file and the diagnostics get info and up; the terminal stays quiet unless LOG_LEVEL says otherwise.
  const desktopLog = await openDesktopLog({ name: 'agent-desktop', dir: join(dataDir, 'logs'), console: { stream: process.stderr, level: consoleLevel() } });
  const log = desktopLog.log;
  // --lab-port: use a lab PBX that already runs elsewhere (`sim`) instead of starting one here.
  const externalLab = values['lab-port'] ? Number(values['lab-port']) : null;
  const stomp = values.stomp ? { ...parseHostPort(values.stomp), user: values['stomp-user'], password: values['stomp-password'] } : undefined;
  const lab = externalLab
    ? null
    : await startDemoLab({ demo: !values['no-demo'], log, instantvoice: !values['no-instantvoice'], ...(stomp ? { stomp } : {}), say: (line) => console.log(line) });
  const desktop = await createDesktop({
    dataDir,
    log,
    secrets: new MemorySecretStore(),
    openExternal: null,
    ...(externalLab ? { labPort: externalLab } : demoEndpointsOf(lab)),
    logControl: desktopLog,
    appVersion: packageVersion(),
  });
  const staticDir = join(repoRoot, 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error('the renderer is not built: run `npm run build:renderer`');
  const host = await startWebHost({ bridge: desktop.bridge, staticDir, log, port });
  hostUrl = host.url;
  dial = (n) => desktop.dial(n);
  for (const l of links) void desktop.dial(dialableFromLink(l) as string).catch(() => {});
  console.log(`Agent Desktop is running. Open ${host.url}`);
  if (lab) console.log(`Lab PBX control API: http://${lab.control.host}:${lab.control.port} (Ctrl+C to stop)`);
  await waitForSignalOrTimeout(values.seconds ? Number(values.seconds) : null);
  await host.close();
  await desktop.stop();
  await lab?.stop();
  await desktopLog.close();
  await lock.release();
  return 0;
}

function consoleLevel(): Level {
  const wanted = process.env.LOG_LEVEL;
  return wanted && wanted in levels.values ? (wanted as Level) : 'warn';
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
