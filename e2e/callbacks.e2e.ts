// Scheduled callbacks through the real UI: a call ends, the agent schedules a callback from its
// call-log row, main announces it when due, and one click calls the customer back.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dateTimeInputValue } from '../renderer/format/time.js';
import { axeViolations } from './axe.js';
import { callUi } from './call-ui.js';
import { type Harness, harnessPerFile } from './harness.js';

let h: Harness;
let page: Page;

harnessPerFile({}, (started) => {
  h = started;
  page = started.page;
});

const { rowIn, action, noCalls } = callUi(() => page);

describe('scheduled callbacks', () => {
  it('schedules a callback from the call log, announces it when due, and calls back in one click', async () => {
    await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
    await action(rowIn('alerting'), 'answer').click();
    await action(rowIn('connected'), 'clear').click();
    await noCalls();

    await page.getByTestId('tab-calllog').click();
    const logRow = page.locator('[data-testid="calllog-row"]').filter({ hasText: '0612345678' }).first();
    await logRow.waitFor();
    // The call log with a row, and below the Callbacks tab with a due one, meet the accessibility rules.
    expect(await axeViolations(page)).toEqual([]);
    await logRow.getByTestId('calllog-later').click();
    const form = page.getByTestId('callback-form');
    await form.waitFor();
    expect(await page.getByTestId('tab-callbacks').getAttribute('aria-selected')).toBe('true');
    await expect(page.getByTestId('callback-number').inputValue()).resolves.toBe('0612345678');
    await expect(page.getByTestId('callback-name').inputValue()).resolves.toBe('Sophie Lefebvre');
    // Due this very minute: main announces it at once.
    await page.getByTestId('callback-when').fill(dateTimeInputValue(Date.now()));
    await page.getByTestId('callback-note').fill('quote for the flat');
    await page.getByTestId('callback-schedule').click();

    await page.locator('[data-testid="notice"]').filter({ hasText: 'Callback due: Sophie Lefebvre (0612345678), quote for the flat' }).waitFor();
    const row = page.locator('[data-testid="callback-row"]');
    await row.waitFor();
    expect(await row.getAttribute('data-due')).toBe('true');
    await expect(page.getByTestId('tab-callbacks-due').textContent()).resolves.toContain('1');
    expect(await axeViolations(page)).toEqual([]);
    // The form is empty again for the next one.
    await expect(page.getByTestId('callback-number').inputValue()).resolves.toBe('');

    await row.getByTestId('callback-call').click();
    await page.locator('[data-testid="call-row"]').first().waitFor();
    expect(JSON.stringify((await h.control('GET', '/calls')).json)).toContain('0612345678');
    // Called back: done, off the list.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="callback-row"]').length === 0);
    expect(await page.getByTestId('tab-callbacks-due').count()).toBe(0);
    await action(page.locator('[data-testid="call-row"]').first(), 'clear').click();
    await noCalls();
  });

  it('keeps a later callback waiting, not due, until the agent removes it', async () => {
    await page.getByTestId('tab-callbacks').click();
    await page.getByTestId('callback-number').fill('01 45 67 89 01');
    await page.getByRole('button', { name: 'In 1 hour' }).click();
    await page.getByTestId('callback-schedule').click();
    const row = page.locator('[data-testid="callback-row"]');
    await row.waitFor();
    expect(await row.getAttribute('data-due')).toBe('false');
    expect(await page.getByTestId('tab-callbacks-due').count()).toBe(0);
    // Still there after the window reloads: main keeps it.
    await h.reload();
    await page.getByTestId('tab-callbacks').click();
    await page.locator('[data-testid="callback-row"]').getByTestId('callback-remove').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="callback-row"]').length === 0);
  });

  it('says what is wrong with a callback it cannot take', async () => {
    await page.getByTestId('callback-number').fill('call me');
    await page.getByTestId('callback-schedule').click();
    await expect(page.getByTestId('callback-error').textContent()).resolves.toMatch(/digits, \+ \* # and separators only/);
  });
});
