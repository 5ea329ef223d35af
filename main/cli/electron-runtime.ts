// Finds the Electron runtime binary. The package's own download is held back at install time
// (package.json allowScripts) so `npm install` never fails where the binary cannot be fetched;
// `npm start` fetches it on first use and falls back to the web host when that is impossible.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The runtime binary the electron package downloaded, read the way the package itself does
 * (path.txt under its folder) without loading it: main/ never imports electron.
 */
export function electronBinary(): string | null {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const relative = readFileSync(pathFile, 'utf8').trim();
    const base = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist');
    const exe = join(base, relative);
    return existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

/** Runs the electron package's installer once; returns the binary path or null, with the reason. */
export function installElectron(timeoutMs: number): { path: string | null; reason: string } {
  let installer: string;
  try {
    installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const r = spawnSync(process.execPath, [installer], { timeout: timeoutMs, stdio: ['ignore', 'ignore', 'pipe'] });
  const path = electronBinary();
  if (path) return { path, reason: 'installed' };
  const err = r.error ? r.error.message : (r.stderr?.toString().split('\n').find((l) => /error/i.test(l)) ?? '').trim();
  return { path: null, reason: err || 'the Electron runtime could not be downloaded' };
}

/** Compile the main process and the Electron shell (tsconfig.app.json) into dist/. */
export function buildAppShell(root: string): boolean {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  return spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.app.json')], { stdio: 'inherit' }).status === 0;
}
