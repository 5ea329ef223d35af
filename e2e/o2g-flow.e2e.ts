// The agent's day on O2G through the real UI: Chromium → web host → desktop services → O2G
// connector (HTTPS REST + chunked event channel, trusting the lab's generated certificate) →
// the lab PBX's O2G front-end, over real loopback sockets.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from './axe.js';
import { callUi } from './call-ui.js';
import { type Harness, harnessPerFile } from './harness.js';

let h: Harness;
let page: Page;

harnessPerFile({ vendor: 'o2g' }, (started) => {
  h = started;
  page = started.page;
});

const { rowIn, agentIn, readyAgain, answerAndHangUp, answerHoldRetrieve, consultAndTransfer } = callUi(() => page);

async function pbxCalls(): Promise<unknown[]> {
  return (await h.control('GET', '/calls')).json as unknown[];
}

describe('O2G agent flow', () => {
  it('logs on to the processing group and goes ready', async () => {
    await page.getByTestId('agent-set-loggedOn').click();
    await page.waitForSelector('[data-testid="agent-state"][data-state="ready"], [data-testid="agent-set-ready"]');
    if ((await page.getByTestId('agent-state').getAttribute('data-state')) !== 'ready') await page.getByTestId('agent-set-ready').click();
    await agentIn('ready');
    expect(await page.getByTestId('agent-group').textContent()).toContain('60121');
  });

  it('rings from the pilot with a screen pop, answers, holds, retrieves, consults and transfers', async () => {
    expect((await h.control('POST', '/calls', { from: '0612345678', to: '60100', data: { customerId: 'C-1001', orderId: '02082017' } })).status).toBe(201);
    const ringing = rowIn('alerting');
    await ringing.waitFor();
    await page.getByTestId('screen-pop').waitFor();
    expect(await page.getByTestId('screen-pop-number').textContent()).toContain('0612345678');
    const data = await page.getByTestId('screen-pop-data').textContent();
    expect(data).toContain('C-1001');
    expect(data).toContain('02082017');
    // O2G's screen: the CCD agent and supervisor panels, routing and the call with its capabilities.
    expect(await axeViolations(page)).toEqual([]);

    await answerHoldRetrieve(ringing);

    await consultAndTransfer('70125', async () => expect((await h.control('POST', '/devices/70125/answer')).status).toBe(200));
    // The caller now talks to the colleague: one call left on the PBX, none on this desktop.
    expect(await pbxCalls()).toHaveLength(1);
    await h.control('POST', '/devices/70125/hangup');
  });

  it('answers a direct call and hangs up', async () => {
    await readyAgain();
    await answerAndHangUp(h, '0145678901', '70123');
  });

  it('shows both calls in the call log', async () => {
    await page.getByTestId('tab-calllog').click();
    await page.getByTestId('calllog-search').fill('0612345678');
    await page.waitForFunction(() => {
      const shown = [...document.querySelectorAll('[data-testid="calllog-row"]')];
      return shown.length > 0 && shown.every((r) => (r.textContent ?? '').replace(/\s/g, '').includes('0612345678'));
    });
    expect(await page.locator('[data-testid="calllog-row"]').first().textContent()).toMatch(/answered|transferred/i);
    await page.getByTestId('calllog-search').fill('0145678901');
    await page.waitForFunction(() => {
      const shown = [...document.querySelectorAll('[data-testid="calllog-row"]')];
      return shown.length > 0 && shown.every((r) => (r.textContent ?? '').replace(/\s/g, '').includes('0145678901'));
    });
  });

  it("goes not ready with one of the group's withdraw reasons, and back to ready", async () => {
    await page.getByTestId('agent-set-notReady').click();
    const reasons = page.getByTestId('agent-reason');
    await reasons.first().waitFor();
    expect(await reasons.evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')))).toEqual(['Lunch', 'Training']);
    await page.locator('[data-testid="agent-reason"][data-reason="Lunch"]').click();
    await agentIn('notReady');
    expect(await page.getByTestId('agent-state').textContent()).toContain('Lunch');
    await page.getByTestId('agent-set-ready').click();
    await agentIn('ready');
  });
});
