// In a browser tab (the web host), an incoming call raises a notification while the tab is in the
// background, and the notification closes when the call stops ringing. The browser's Notification
// API and the tab's visibility are stood in for by a script loaded before the app.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callUi } from './call-ui.js';
import { type Harness, harnessPerFile } from './harness.js';

let h: Harness;
let page: Page;

harnessPerFile({}, (started) => {
  h = started;
  page = started.page;
});
const { rowIn, action, noCalls } = callUi(() => page);

interface Shown {
  title: string;
  body: string;
  tag: string;
  closed: boolean;
}

const shown = () => page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown);

async function standIns(permission: NotificationPermission): Promise<void> {
  await page.addInitScript((initial) => {
    const w = window as unknown as { __shown: Shown[]; __hidden: boolean };
    w.__shown = [];
    w.__hidden = false;
    class StandIn {
      static permission: NotificationPermission = initial;
      static requestPermission = async () => {
        StandIn.permission = 'granted';
        return StandIn.permission;
      };
      onclick: (() => void) | null = null;
      private readonly entry: Shown;
      constructor(title: string, options: { body: string; tag: string }) {
        this.entry = { title, body: options.body, tag: options.tag, closed: false };
        w.__shown.push(this.entry);
      }
      close() {
        this.entry.closed = true;
      }
    }
    Object.defineProperty(window, 'Notification', { value: StandIn, configurable: true });
    Object.defineProperty(document, 'visibilityState', { get: () => (w.__hidden ? 'hidden' : 'visible'), configurable: true });
  }, permission);
  await h.reload();
  await page.waitForSelector('[data-testid="link-state"][data-state="up"]');
}

describe('browser notifications', () => {
  it('asks once for permission in Help', async () => {
    await standIns('default');
    await page.getByTestId('help-open').click();
    expect(await page.getByTestId('notifications-state').getAttribute('data-permission')).toBe('default');
    await page.getByTestId('notifications-allow').click();
    await page.waitForSelector('[data-testid="notifications-state"][data-permission="granted"]');
    await page.locator('[data-testid="help-dialog"] [data-testid="modal-close"]').click();
  });

  it('announces a call that rings while the tab is in the background, and closes when it is answered', async () => {
    await standIns('granted');
    await page.evaluate(() => {
      (window as unknown as { __hidden: boolean }).__hidden = true;
    });
    await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
    await rowIn('alerting').waitFor();
    await page.waitForFunction(() => (window as unknown as { __shown: unknown[] }).__shown.length === 1);
    expect(await shown()).toEqual([{ title: 'Incoming call', body: 'Sophie Lefebvre 0612345678', tag: expect.any(String), closed: false }]);
    await action(rowIn('alerting'), 'answer').click();
    await page.waitForFunction(() => (window as unknown as { __shown: { closed: boolean }[] }).__shown[0]?.closed === true);
    await action(rowIn('connected'), 'clear').click();
    await noCalls();
  });

  it('stays quiet while the agent is looking at the tab', async () => {
    await standIns('granted');
    await h.control('POST', '/calls', { from: '0145678901', to: '1101' });
    await rowIn('alerting').waitFor();
    // The call is on screen, so its view has been folded: had it been announced, it would be there now.
    expect(await shown()).toEqual([]);
    await action(rowIn('alerting'), 'answer').click();
    await action(rowIn('connected'), 'clear').click();
    await noCalls();
  });
});
