// The agent's day on TWS through the real UI: Chromium → web host → desktop services → TWS
// connector (web services over HTTP/JSON, events on the TCP user event socket) → the lab PBX's TWS
// front-end, over real loopback sockets. Then the preferred feed fails and the desktop carries on
// over the WebSocket feed, showing which feed is in use.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from './axe.js';
import { callUi } from './call-ui.js';
import { type Harness, harnessPerFile } from './harness.js';

let h: Harness;
let page: Page;

harnessPerFile({ vendor: 'tws' }, (started) => {
  h = started;
  page = started.page;
});

const { rowIn, action, noCalls, agentIn, readyAgain, answerAndHangUp } = callUi(() => page);
const feedShown = (text: string) =>
  page.waitForFunction((t) => (document.querySelector('[data-testid="link-feed"]')?.textContent ?? '').includes(t), text, { timeout: 20_000 });

async function pbxCalls(): Promise<Array<{ legs?: unknown[] }>> {
  return (await h.control('GET', '/calls')).json as Array<{ legs?: unknown[] }>;
}

describe('TWS agent flow', () => {
  it('shows the event feed in use and the colleagues of the profile', async () => {
    await feedShown('TCP event socket');
    await page.getByTestId('colleagues-panel').waitFor();
    const numbers = await page.getByTestId('colleague').evaluateAll((els) => els.map((e) => e.getAttribute('data-number')));
    expect(numbers).toEqual(['4594', '3000']);
    // TWS's screen (the feed in the link badge, the colleagues' lamps) meets the accessibility rules.
    expect(await axeViolations(page)).toEqual([]);
  });

  it('logs the ACD agent on and goes ready', async () => {
    await page.getByTestId('agent-set-loggedOn').click();
    await page.waitForSelector('[data-testid="agent-state"][data-state="ready"], [data-testid="agent-set-ready"]');
    if ((await page.getByTestId('agent-state').getAttribute('data-state')) !== 'ready') await page.getByTestId('agent-set-ready').click();
    await agentIn('ready');
  });

  it('rings with the caller on the pop, answers, holds, retrieves and transfers blind', async () => {
    expect((await h.control('POST', '/calls', { from: '0612345678', to: '4694' })).status).toBe(201);
    const ringing = rowIn('alerting');
    await ringing.waitFor();
    await page.getByTestId('screen-pop').waitFor();
    expect(await page.getByTestId('screen-pop-number').textContent()).toContain('0612345678');
    // TWS answers the first ringing call only, and cannot send DTMF or complete an attended transfer.
    await action(ringing, 'answer').click();
    await rowIn('connected').waitFor();
    expect(await action(rowIn('connected'), 'sendDtmf').count()).toBe(0);
    await action(rowIn('connected'), 'hold').click();
    await rowIn('held').waitFor();
    await action(rowIn('held'), 'retrieve').click();
    await rowIn('connected').waitFor();
    await action(rowIn('connected'), 'transfer').click();
    await page.getByTestId('call-prompt-number').fill('4594');
    await page.getByTestId('call-prompt-submit').click();
    await noCalls();
    // The caller now rings the colleague: one call left on the PBX, none on this desktop.
    expect(await pbxCalls()).toHaveLength(1);
    await h.control('POST', '/devices/4594/answer');
    await h.control('POST', '/devices/4594/hangup');
  });

  it('answers a direct call and hangs up', async () => {
    await readyAgain();
    await answerAndHangUp(h, '0145678901', '4694');
  });

  it('dials a colleague, hangs up and redials (the PBX remembers the number)', async () => {
    await page.getByTestId('dial-number').fill('3000');
    await page.getByTestId('dial-button').click();
    await rowIn('dialing').or(rowIn('ringing')).first().waitFor();
    await action(page.locator('[data-testid="call-row"]').first(), 'clear').click();
    await noCalls();
    await page.getByTestId('redial-button').click();
    const again = page.locator('[data-testid="call-row"]').first();
    await again.waitFor();
    expect((await again.textContent()) ?? '').toContain('3000');
    await action(again, 'clear').click();
    await noCalls();
  });

  it('shows both calls in the call log', async () => {
    await page.getByTestId('tab-calllog').click();
    for (const number of ['0612345678', '0145678901', '3000']) {
      await page.getByTestId('calllog-search').fill(number);
      await page.waitForFunction((n) => {
        const shown = [...document.querySelectorAll('[data-testid="calllog-row"]')];
        return shown.length > 0 && shown.every((r) => (r.textContent ?? '').replace(/\s/g, '').includes(n));
      }, number);
    }
    await page.getByTestId('calllog-search').fill('');
  });

  it('goes not ready without a reason menu (TWS has no reason codes), then ready', async () => {
    await page.getByTestId('agent-set-notReady').click();
    await agentIn('notReady');
    expect(await page.getByTestId('agent-reason').count()).toBe(0);
    await page.getByTestId('agent-set-ready').click();
    await agentIn('ready');
  });

  it('falls back to the WebSocket feed when the TCP event socket fails, and calls still show', async () => {
    expect((await h.control('POST', '/tws/feeds/tcp/stop')).status).toBe(200);
    await feedShown('WebSocket');
    expect((await h.control('POST', '/calls', { from: '0478123456', to: '4694' })).status).toBe(201);
    await rowIn('alerting').waitFor();
    await action(rowIn('alerting'), 'answer').click();
    await rowIn('connected').waitFor();
    await action(rowIn('connected'), 'clear').click();
    await noCalls();
    expect((await h.control('POST', '/tws/feeds/tcp/start')).status).toBe(200);
  });
});
