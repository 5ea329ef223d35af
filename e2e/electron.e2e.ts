// Electron smoke test: the real shell through Playwright's Electron launcher. It runs where the
// Electron runtime binary is installed and is reported as skipped, with the reason, where not.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildAppShell, electronBinary } from '../main/cli/electron-runtime.js';

const root = resolve(import.meta.dirname, '..');
const binary = electronBinary();
const reason = binary ? '' : 'the Electron runtime binary is not installed on this machine (it cannot be downloaded here)';
const headlessLinux = process.platform === 'linux' && !process.env.DISPLAY;

describe.skipIf(!binary || headlessLinux)(`Electron shell${reason ? ` (skipped: ${reason})` : headlessLinux ? ' (skipped: no display)' : ''}`, () => {
  it('opens a sandboxed, isolated window that reaches the lab PBX', async () => {
    if (!existsSync(join(root, 'dist', 'app', 'main.js'))) buildAppShell(root);
    const app = await electron.launch({ executablePath: binary as string, args: [root], timeout: 30_000 });
    try {
      const page = await app.firstWindow();
      await page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 20_000 });
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const w = BrowserWindow.getAllWindows()[0];
        // Not in Electron's typings, but present: the preferences the renderer actually runs with.
        const p = (w?.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
        return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration };
      });
      expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((globalThis as unknown as { agentDesktop: object }).agentDesktop).sort())).toEqual(['invoke', 'on']);
    } finally {
      await app.close();
    }
  });
});
