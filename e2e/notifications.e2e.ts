// In a browser tab (the web host), an incoming call raises a notification while the tab is in the
// background, and the notification closes when the call stops ringing. The browser's Notification
// API and the tab's visibility are stood in for by a script loaded before the app. The desk's
// ringer, once switched on, sounds while a call rings: a tap on the page's audio output hears it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
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

/**
 * Taps every Web Audio graph's output, so the test hears what the page plays: the peak of the last
 * 2,048 samples (an analyser cut off from its source keeps its last samples, so silence is read
 * from the contexts' states).
 */
async function audioTap(): Promise<void> {
  await page.addInitScript(() => {
    const taps: AnalyserNode[] = [];
    const w = window as unknown as { __peak: () => number; __audioStates: () => string[] };
    w.__audioStates = () => [...new Set(taps.map((t) => t.context.state))];
    w.__peak = () => {
      let peak = 0;
      for (const a of taps) {
        const buf = new Float32Array(a.fftSize);
        a.getFloatTimeDomainData(buf);
        for (const v of buf) peak = Math.max(peak, Math.abs(v));
      }
      return peak;
    };
    const connect = AudioNode.prototype.connect as (this: AudioNode, dest: AudioNode | AudioParam, ...rest: number[]) => AudioNode;
    AudioNode.prototype.connect = function (this: AudioNode, dest: AudioNode | AudioParam, ...rest: number[]) {
      if (dest instanceof AudioDestinationNode) {
        const tap = this.context.createAnalyser();
        taps.push(tap);
        connect.call(this, tap);
      }
      return connect.call(this, dest, ...rest);
    } as typeof AudioNode.prototype.connect;
  });
  await h.reload();
  await page.waitForSelector('[data-testid="link-state"][data-state="up"]');
}

const peak = () => page.evaluate(() => (window as unknown as { __peak: () => number }).__peak());
const audioStates = () => page.evaluate(() => (window as unknown as { __audioStates: () => string[] }).__audioStates());

describe('the desk ringer', () => {
  it('is off by default; switched on in Help, it rings while a call rings and stops when it is answered', async () => {
    await audioTap();
    await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
    await rowIn('alerting').waitFor();
    expect(await page.getByTestId('ringer-on').count()).toBe(0);
    await action(rowIn('alerting'), 'answer').click();
    await action(rowIn('connected'), 'clear').click();
    await noCalls();

    await page.getByTestId('help-open').click();
    expect(await page.getByTestId('ringer-enabled').isChecked()).toBe(false);
    // No sound card here: the list holds the system default only.
    expect(await page.locator('[data-testid="ringer-device"] option').allTextContents()).toEqual(['System default']);
    await page.getByTestId('ringer-enabled').check();
    await page.getByTestId('ringer-tone').selectOption('beep');
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-testid="ringer-tone"]')?.value === 'beep');
    await page.locator('[data-testid="help-dialog"] [data-testid="modal-close"]').click();
    await vi.waitFor(() => {
      const saved = JSON.parse(readFileSync(join(h.dataDir, 'settings.json'), 'utf8')) as { ringer: { enabled: boolean; tone: string } };
      expect(saved.ringer).toMatchObject({ enabled: true, tone: 'beep' });
    });

    await h.control('POST', '/calls', { from: '0145678901', to: '1101' });
    await rowIn('alerting').waitFor();
    await page.getByTestId('ringer-on').waitFor();
    // The beep is 1 kHz at 60 %: the page's output carries it.
    await page.waitForFunction(() => (window as unknown as { __peak: () => number }).__peak() > 0.3);
    await action(rowIn('alerting'), 'answer').click();
    await page.getByTestId('ringer-on').waitFor({ state: 'detached' });
    // Quiet again: the ringer suspends its context, which stops its sound.
    await page.waitForFunction(() => (window as unknown as { __audioStates: () => string[] }).__audioStates().join() === 'suspended');
    await action(rowIn('connected'), 'clear').click();
    await noCalls();
  });

  it('plays one cycle on Test, at the volume set', async () => {
    await page.getByTestId('help-open').click();
    await page.getByTestId('ringer-volume').fill('20');
    await page.getByTestId('ringer-test').click();
    await page.waitForSelector('[data-testid="ringer-status"][data-state="ringing"]');
    await page.waitForFunction(() => (window as unknown as { __peak: () => number }).__peak() > 0.1);
    expect(await peak()).toBeLessThan(0.25);
    await page.waitForSelector('[data-testid="ringer-status"][data-state="idle"]', { state: 'attached', timeout: 5000 });
    expect(await audioStates()).toEqual(['suspended']);
    await page.locator('[data-testid="help-dialog"] [data-testid="modal-close"]').click();
  });
});
