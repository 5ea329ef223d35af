// Coming back after sleep or a network change without waiting out the timers: the session's
// keep-alive is ten minutes away and a failed reconnect waits a minute, as a patient profile
// would have it, so only the link check (on wake) and "Retry now" can bring the desk back early.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type Harness, harnessPerFile } from './harness.js';

let h: Harness;
let page: Page;

harnessPerFile({ demoOverrides: { keepAliveSec: 600, reconnect: { initialMs: 60_000, maxMs: 60_000 } } }, (started) => {
  h = started;
  page = started.page;
});

describe('link recovery', () => {
  it('finds a dead session when the computer wakes, and reconnects at once on "Retry now"', async () => {
    // The PBX went away while the machine slept: nothing has told the desk yet.
    await h.lab.stop();
    expect(await page.getByTestId('link-state').getAttribute('data-state')).toBe('up');

    h.desktop.checkLink('the computer woke from sleep');
    const banner = page.locator('[data-testid="link-banner"][data-state="down"]');
    await banner.waitFor({ timeout: 5_000 });
    // The next attempt is about a minute away (the backoff's ±30 % jitter makes it 42–60 s).
    const wait = Number(/retry in (\d+) s/.exec((await banner.locator('.retry').textContent()) ?? '')?.[1]);
    expect(wait).toBeGreaterThanOrEqual(40);

    await h.restartLab();
    const clickedAt = Date.now();
    await page.getByTestId('link-retry-now').click();
    await page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 10_000 });
    // Well before the minute the scheduled retry would have waited.
    expect(Date.now() - clickedAt).toBeLessThan(10_000);
    expect(await page.getByTestId('link-banner').count()).toBe(0);
  });
});
