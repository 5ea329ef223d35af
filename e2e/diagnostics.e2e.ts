// What an agent sends to support: the help dialog's diagnostics switch the log's detail while the
// desk runs and save one file with the connection's state and the latest log lines.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { type Harness, harnessPerFile } from './harness.js';

let h: Harness;
let page: Page;

harnessPerFile({}, (started) => {
  h = started;
  page = started.page;
});

describe('diagnostics', () => {
  it('switches the log detail and downloads the state with the latest log lines', async () => {
    await page.getByTestId('help-open').click();
    const section = page.getByTestId('diagnostics');
    await expect(section.getByTestId('diagnostics-folder').textContent()).resolves.toContain(h.dataDir);
    const level = section.getByTestId('diagnostics-level');
    await expect(level.inputValue()).resolves.toBe('info');

    await level.selectOption('debug');
    await page.waitForFunction(() => (document.querySelector('[data-testid="diagnostics-level"]') as HTMLSelectElement | null)?.value === 'debug');
    expect(h.desktopLog.level()).toBe('debug');

    const [download] = await Promise.all([page.waitForEvent('download'), section.getByTestId('diagnostics-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^agent-desktop-diagnostics-.*\.txt$/);
    const text = await readFile(await download.path(), 'utf8');
    const summary = JSON.parse(text.slice(text.indexOf('{'), text.indexOf('\n}\n') + 2)) as { link: { state: string }; device: string; log: { level: string; folder: string } };
    expect(summary).toMatchObject({ link: { state: 'up' }, device: '1101', log: { level: 'debug', folder: h.desktopLog.dir } });
    // The log lines are there, and the level change itself is in them.
    const lines = text.slice(text.indexOf('# Latest log lines')).split('\n').slice(1).filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain('log level changed');

    // The same lines are in the rolled log file, where support finds them after a crash.
    const dir = h.desktopLog.dir as string;
    await vi.waitFor(
      async () => {
        const files = (await readdir(dir)).filter((f) => /^agent-desktop\.\d+\.log$/.test(f));
        expect(files.length).toBe(1);
        expect(await readFile(join(dir, files[0] as string), 'utf8')).toContain('"msg":"log level changed"');
      },
      { timeout: 5_000, interval: 100 },
    );

    await level.selectOption('info');
    await page.waitForFunction(() => (document.querySelector('[data-testid="diagnostics-level"]') as HTMLSelectElement | null)?.value === 'info');
    expect(h.desktopLog.level()).toBe('info');
  });
});
