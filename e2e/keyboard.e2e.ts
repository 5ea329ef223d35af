// Keyboard only: an agent dials, answers, holds and hangs up without the mouse, and the main
// controls carry accessible names.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { GlobalShortcutHost } from '../main/settings/global-shortcuts.js';
import type { GlobalShortcutAction } from '../shared/shortcuts.js';
import { axeViolations } from './axe.js';
import { type Harness, harnessPerFile } from './harness.js';

let h: Harness;
let page: Page;

/** The OS's system-wide keys, as the Electron shell registers them; the test presses them by calling run. */
const osKeys = {
  bindings: [] as { action: GlobalShortcutAction; accelerator: string }[],
  run: (_action: GlobalShortcutAction) => {},
};
const globalShortcuts: GlobalShortcutHost = {
  register(bindings, run) {
    osKeys.bindings = bindings;
    osKeys.run = run;
    return [];
  },
  clear() {
    osKeys.bindings = [];
  },
};

harnessPerFile({ globalShortcuts }, (started) => {
  h = started;
  page = started.page;
});

const callCount = () => page.evaluate(() => document.querySelectorAll('[data-testid="call-row"]').length);

describe('keyboard', () => {
  it('dials from the number field with Enter', async () => {
    // The page must have the keyboard focus first; the shortcut handler is installed once the
    // app has mounted, so give the first press a few bounded tries.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    let focused = false;
    for (let i = 0; i < 5 && !focused; i++) {
      await page.keyboard.press('Control+Shift+D');
      focused = await page
        .waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'dial-number', undefined, { timeout: 1000 })
        .then(() => true)
        .catch(() => false);
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('dial-number');
    await page.keyboard.type('1102');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="call-row"]');
    await h.control('POST', '/devices/1102/answer');
    await page.waitForSelector('[data-testid="call-row"][data-state="connected"]');
  });

  it('holds, retrieves and hangs up with shortcuts', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+Shift+H');
    await page.waitForSelector('[data-testid="call-row"][data-state="held"]');
    await page.keyboard.press('Control+Shift+H');
    await page.waitForSelector('[data-testid="call-row"][data-state="connected"]');
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);
    expect(await callCount()).toBe(0);
  });

  it('answers a ringing call with Ctrl+Enter', async () => {
    await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
    await page.waitForSelector('[data-testid="call-row"][data-state="alerting"]');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('[data-testid="call-row"][data-state="connected"]');
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);
  });

  it('names its controls for screen readers', async () => {
    await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
    await page.waitForSelector('[data-testid="call-row"][data-state="alerting"]');
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select, [role="switch"]')]
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .filter((el) => {
          const label = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el as HTMLElement).innerText?.trim() || el.getAttribute('title');
          const id = el.getAttribute('id');
          const byFor = id ? document.querySelector(`label[for="${id}"]`) : null;
          return !label && !byFor && !el.closest('label');
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unnamed).toEqual([]);
    expect(await page.locator('[aria-live]').count()).toBeGreaterThan(0);
  });

  describe('customized shortcuts', () => {
    const row = (action: string) => page.locator(`[data-testid="help-dialog"] [data-testid="shortcut-row"][data-action="${action}"]`);
    const openEditor = async () => {
      await page.getByTestId('help-open').click();
      await page.getByTestId('shortcuts-edit').click();
    };
    const closeHelp = async () => {
      await page.locator('[data-testid="help-dialog"] [data-testid="modal-close"]').click();
      await page.waitForSelector('[data-testid="help-dialog"]', { state: 'detached' });
    };

    it('answers with a key the agent chose, which the buttons announce, and refuses one already in use', async () => {
      await openEditor();
      await row('answerOrHangUp').getByTestId('shortcut-change').click();
      await page.keyboard.press('Control+Shift+H');
      await expect(page.getByTestId('shortcuts-problem').textContent()).resolves.toMatch(/Ctrl\+Shift\+H is already used for: Hold the active call/);
      // The editor, with a refused key explained, meets the accessibility rules.
      expect(await axeViolations(page)).toEqual([]);
      await row('answerOrHangUp').getByTestId('shortcut-change').click();
      await page.keyboard.press('F8');
      await page.waitForFunction(() => document.querySelector('[data-action="answerOrHangUp"] [data-testid="shortcut-keys"]')?.textContent === 'F8');
      await closeHelp();

      await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
      await page.waitForSelector('[data-testid="call-row"][data-state="alerting"]');
      expect(await page.getByTestId('call-action-answer').getAttribute('aria-keyshortcuts')).toBe('F8');
      await page.keyboard.press('F8');
      await page.waitForSelector('[data-testid="call-row"][data-state="connected"]');
      await page.keyboard.press('F8');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);
      // Kept by main: a reloaded window has the same keys.
      await h.reload();
      await page.getByTestId('help-open').click();
      await page.waitForFunction(() => document.querySelector('[data-action="answerOrHangUp"] [data-testid="shortcut-keys"]')?.textContent === 'F8');
      await closeHelp();
    });

    it('answers and hangs up with a system-wide key while another application has focus', async () => {
      await openEditor();
      await row('answerOrHangUp').getByTestId('shortcut-global-change').click();
      await page.keyboard.press('Control+Alt+A');
      await page.waitForFunction(() => document.querySelector('[data-action="answerOrHangUp"] [data-testid="shortcut-global-keys"]')?.textContent === 'Ctrl+Alt+A');
      expect(osKeys.bindings).toEqual([{ action: 'answerOrHangUp', accelerator: 'CommandOrControl+Alt+A' }]);
      await closeHelp();

      await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
      await page.waitForSelector('[data-testid="call-row"][data-state="alerting"]');
      osKeys.run('answerOrHangUp');
      await page.waitForSelector('[data-testid="call-row"][data-state="connected"]');
      osKeys.run('answerOrHangUp');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);
    });

    it('goes back to the default keys, system-wide ones released', async () => {
      await openEditor();
      await page.getByTestId('shortcuts-reset').click();
      await page.waitForFunction(() => document.querySelector('[data-action="answerOrHangUp"] [data-testid="shortcut-keys"]')?.textContent === 'Ctrl+Enter');
      expect(osKeys.bindings).toEqual([]);
      await closeHelp();
    });
  });
});
