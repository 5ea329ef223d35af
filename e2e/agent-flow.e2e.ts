// The agent's day through the real UI: Chromium → web host → desktop services → TelServices
// connector → lab PBX, over real loopback sockets.
import { describe, expect, it, vi } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { axeViolations } from './axe.js';
import { type Harness, harnessPerFile } from './harness.js';

let h: Harness;
let page: Page;

harnessPerFile({}, (started) => {
  h = started;
  page = started.page;
});

const rows = () => page.locator('[data-testid="call-row"]');
const rowIn = (state: string): Locator => page.locator(`[data-testid="call-row"][data-state="${state}"]`);
const action = (row: Locator, name: string) => row.locator(`[data-testid="call-action-${name}"]`);

async function pbxCalls(): Promise<unknown[]> {
  return (await h.control('GET', '/calls')).json as unknown[];
}

describe('agent flow', () => {
  it('logs on and goes ready', async () => {
    const agent = page.getByTestId('agent-state');
    if ((await agent.getAttribute('data-state')) === 'loggedOff' || (await page.getByTestId('agent-set-loggedOn').count()) > 0) {
      await page.getByTestId('agent-set-loggedOn').click();
      await page.waitForSelector('[data-testid="agent-set-ready"]');
    }
    await page.getByTestId('agent-set-ready').click();
    await page.waitForSelector('[data-testid="agent-state"][data-state="ready"]');
  });

  it('meets the accessibility rules (axe: WCAG A/AA) on the agent screen, with a call ringing, and in Help and Profiles', async () => {
    expect(await axeViolations(page)).toEqual([]);
    expect((await h.control('POST', '/calls', { from: '0612345678', to: '1101' })).status).toBe(201);
    await rowIn('alerting').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await action(rowIn('alerting'), 'answer').click();
    await action(rowIn('connected'), 'clear').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);
    for (const [open, dialog] of [['help-open', 'help-dialog'], ['profiles-open', 'profile-dialog']] as const) {
      await page.getByTestId(open).click();
      await page.getByTestId(dialog).waitFor();
      expect(await axeViolations(page), dialog).toEqual([]);
      await page.locator(`[data-testid="${dialog}"] [data-testid="modal-close"]`).click();
    }
  });

  it('rings with a screen pop, answers, holds, retrieves, consults and transfers', async () => {
    const placed = await h.control('POST', '/calls', { from: '0612345678', to: '1101', data: { customerId: 'C-1001', orderId: '02082017' } });
    expect(placed.status).toBe(201);
    const ringing = rowIn('alerting');
    await ringing.waitFor();
    const pop = page.getByTestId('screen-pop');
    await pop.waitFor();
    expect(await page.getByTestId('screen-pop-number').textContent()).toContain('0612345678');
    const data = await page.getByTestId('screen-pop-data').textContent();
    expect(data).toContain('C-1001');
    expect(data).toContain('02082017');

    await action(ringing, 'answer').click();
    const connected = rowIn('connected');
    await connected.waitFor();
    await action(connected, 'hold').click();
    const held = rowIn('held');
    await held.waitFor();
    await action(held, 'retrieve').click();
    await rowIn('connected').waitFor();

    await action(rowIn('connected'), 'consult').click();
    await page.getByTestId('call-prompt-number').fill('1102');
    await page.getByTestId('call-prompt-submit').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 2);
    await rowIn('held').waitFor();
    expect((await h.control('POST', '/devices/1102/answer')).status).toBe(200);
    const consultation = rowIn('connected');
    await consultation.waitFor();
    await action(consultation, 'transfer').click();
    // A consultative transfer may ask to confirm or go straight through; either way the calls leave.
    const submit = page.getByTestId('call-prompt-submit');
    if (await submit.isVisible().catch(() => false)) await submit.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);
    const remaining = await pbxCalls();
    expect(remaining).toHaveLength(1);
  });

  it('calls a quick connect in one click, and consults another from the prompt', async () => {
    const quick = (number: string) => page.locator(`.dial-panel [data-testid="quick-connect"][data-number="${number}"]`);
    // The demo profile's quick connects, beside the keypad (1102 is still talking to the caller transferred to it).
    expect(await page.locator('.dial-panel [data-testid="quick-connect"]').allTextContents()).toEqual(['Team lead1102', 'Back office1103', 'Emma (billing)1105']);
    await quick('1103').click();
    await rows().first().waitFor();
    expect(JSON.stringify(await pbxCalls())).toContain('1103');
    await vi.waitFor(async () => expect((await h.control('POST', '/devices/1103/answer')).status).toBe(200), { timeout: 5000, interval: 100 });
    await rowIn('connected').waitFor();

    await action(rowIn('connected'), 'consult').click();
    // Offered in the prompt until a number is typed; a click consults at once.
    await page.locator('.number-prompt [data-testid="quick-connect"][data-number="1105"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 2);
    await rowIn('held').waitFor();
    expect(JSON.stringify(await pbxCalls())).toContain('1105');

    // The colleagues hang up (the lab's virtual 1105 may still be ringing: then the agent cancels).
    await h.control('POST', '/devices/1105/hangup');
    await h.control('POST', '/devices/1103/hangup');
    for (let left = await rows().count(); left > 0; left = await rows().count()) {
      const clear = page.locator('[data-testid="call-action-clear"]').first();
      if (await clear.isVisible().catch(() => false)) await clear.click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="call-row"]').length < n, left);
    }
  });

  it('shows the call in the call log and finds it by number', async () => {
    await page.getByTestId('tab-calllog').click();
    await page.getByTestId('calllog-search').fill('0612345678');
    // The search is applied once the typing settles: wait until every row shown is the caller's.
    await page.waitForFunction(() => {
      const shown = [...document.querySelectorAll('[data-testid="calllog-row"]')];
      return shown.length > 0 && shown.every((r) => (r.textContent ?? '').replace(/\s/g, '').includes('0612345678'));
    });
    const row = page.locator('[data-testid="calllog-row"]').first();
    expect(await row.textContent()).toMatch(/answered|transferred/i);
    await h.control('POST', '/devices/1102/hangup');
  });

  it('notes a call from the caller panel, finds it by its note, and edits the note in the call log', async () => {
    await h.control('POST', '/calls', { from: '0478123456', to: '1101' });
    await action(rowIn('alerting'), 'answer').click();
    await rowIn('connected').waitFor();
    const pop = page.getByTestId('screen-pop');
    await pop.getByTestId('call-note-text').fill('Wants a refund for the November invoice');
    await pop.getByTestId('call-note-save').click();
    await pop.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await action(rowIn('connected'), 'clear').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);

    await page.getByTestId('tab-calllog').click();
    await page.getByTestId('calllog-search').fill('REFUND');
    const row = page.locator('[data-testid="calllog-row"]').filter({ hasText: '0478123456' });
    await row.getByTestId('calllog-note').filter({ hasText: 'Wants a refund for the November invoice' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="calllog-row"]').length === 1);

    await row.getByTestId('calllog-note-edit').click();
    const editor = page.locator('.calllog-note-row [data-testid="call-note-text"]');
    await expect(editor.inputValue()).resolves.toBe('Wants a refund for the November invoice');
    await editor.fill('Refund sent, ref. R-2211');
    await page.locator('.calllog-note-row [data-testid="call-note-save"]').click();
    await row.getByTestId('calllog-note').filter({ hasText: 'Refund sent, ref. R-2211' }).waitFor();
    await page.getByTestId('calllog-search').fill('');
  });

  it('routes a queue call to the ready agent', async () => {
    await page.waitForSelector('[data-testid="agent-state"][data-state="wrapUp"], [data-testid="agent-state"][data-state="ready"]');
    if ((await page.getByTestId('agent-state').getAttribute('data-state')) !== 'ready') {
      await page.getByTestId('agent-set-ready').click();
      await page.waitForSelector('[data-testid="agent-state"][data-state="ready"]');
    }
    expect((await h.control('POST', '/calls', { from: '+33160127764', to: 'service1', data: { customerId: 'C-2210' } })).status).toBe(201);
    const ringing = rowIn('alerting');
    await ringing.waitFor();
    expect(await ringing.textContent()).toContain('Martin Jagger');
    await action(ringing, 'answer').click();
    await page.waitForSelector('[data-testid="agent-state"][data-state="busy"]');
    await action(rowIn('connected'), 'clear').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);
    // After an ACD call the PBX puts the agent in wrap-up, with its countdown.
    await page.waitForSelector('[data-testid="agent-state"][data-state="wrapUp"]');
  });

  it('goes not ready and back to ready', async () => {
    await page.getByTestId('agent-set-notReady').click();
    const reason = page.getByTestId('agent-reason').first();
    if (await reason.isVisible().catch(() => false)) await reason.click();
    await page.waitForSelector('[data-testid="agent-state"][data-state="notReady"]');
    await page.getByTestId('agent-set-ready').click();
    await page.waitForSelector('[data-testid="agent-state"][data-state="ready"]');
  });

  it('queues Not ready during an ACD call, keeps it over a reload and applies it once the wrap-up ends', async () => {
    expect((await h.control('POST', '/calls', { from: '+33160127764', to: 'service1' })).status).toBe(201);
    await action(rowIn('alerting'), 'answer').click();
    await page.waitForSelector('[data-testid="agent-state"][data-state="busy"]');
    await page.getByTestId('agent-next-state').click();
    await page.locator('[data-testid="agent-next-state-choice"][data-reason="notReady:Lunch"]').click();
    const queued = page.getByTestId('agent-next-state-queued');
    await queued.waitFor();
    expect(await queued.textContent()).toBe('After this call: Not ready (Lunch)');
    expect(await axeViolations(page)).toEqual([]);
    // Main holds it, so a reload does not lose it.
    await h.reload();
    await queued.waitFor();
    await action(rowIn('connected'), 'clear').click();
    await page.waitForSelector('[data-testid="agent-state"][data-state="wrapUp"]');
    expect(await queued.isVisible()).toBe(true);
    // The ACD ends the wrap-up (as its timer would) and makes the agent available: the desk applies the queued state.
    expect((await h.control('POST', '/devices/1101/agent', { state: 'ready' })).status).toBe(200);
    await page.waitForSelector('[data-testid="agent-state"][data-state="notReady"]');
    expect(await page.locator('.agent-reason').textContent()).toBe('Lunch');
    await page.getByText('Not ready (Lunch) now, as you asked during the call').waitFor();
    expect(await queued.count()).toBe(0);
    await page.getByTestId('agent-set-ready').click();
    await page.waitForSelector('[data-testid="agent-state"][data-state="ready"]');
  });

  it('answers a second call with the first put on hold first, so one caller is on the line at a time', async () => {
    // The lab's 1101 is busy to a second caller unless call waiting is on.
    expect((await h.control('POST', '/devices/1101/call-waiting', { on: true })).status).toBe(200);
    expect((await h.control('POST', '/calls', { from: '0612345678', to: '1101' })).status).toBe(201);
    await action(rowIn('alerting'), 'answer').click();
    await rowIn('connected').waitFor();
    expect((await h.control('POST', '/calls', { from: '0145678901', to: '1101' })).status).toBe(201);
    await action(rowIn('alerting'), 'answer').click();
    await rowIn('held').waitFor();
    await rowIn('connected').waitFor();
    expect(await rowIn('held').textContent()).toContain('0612345678');
    expect(await rowIn('connected').textContent()).toContain('0145678901');
    await action(rowIn('connected'), 'clear').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 1);
    await action(rowIn('held'), 'retrieve').click();
    await action(rowIn('connected'), 'clear').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);
    expect((await h.control('POST', '/devices/1101/call-waiting', { on: false })).status).toBe(200);
  });

  it('keeps the call when the renderer reloads mid-call', async () => {
    await h.control('POST', '/calls', { from: '0498765432', to: '1101' });
    await rowIn('alerting').waitFor();
    await action(rowIn('alerting'), 'answer').click();
    await rowIn('connected').waitFor();
    const before = await pbxCalls();
    await h.reload();
    await page.waitForSelector('[data-testid="link-state"][data-state="up"]');
    await rowIn('connected').waitFor();
    expect(await rows().count()).toBe(1);
    expect(await pbxCalls()).toEqual(before);
    await action(rowIn('connected'), 'clear').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);
  });

  it('shows the PBX link going down and up within a second', async () => {
    await h.control('POST', '/link/down');
    const downAt = Date.now();
    await page.waitForSelector('[data-testid="link-state"][data-state="degraded"]', { timeout: 1000 });
    expect(Date.now() - downAt).toBeLessThan(1000);
    await h.control('POST', '/link/up');
    await page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 1000 });
  });

  it('survives a lab PBX restart mid-call with the same calls as the PBX', async () => {
    await h.control('POST', '/calls', { from: '0611112222', to: '1101' });
    await rowIn('alerting').waitFor();
    await h.lab.stop();
    const stoppedAt = Date.now();
    await page.waitForSelector('[data-testid="link-state"]:not([data-state="up"])', { timeout: 1500 });
    expect(Date.now() - stoppedAt).toBeLessThan(1500);
    await h.restartLab();
    await page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 10_000 });
    // The restarted PBX has no calls: neither may the screen (no phantom).
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0, undefined, { timeout: 5000 });
    expect(await pbxCalls()).toHaveLength(0);
    // And a call placed now appears (none missing).
    await h.control('POST', '/calls', { from: '0633334444', to: '1101' });
    await rowIn('alerting').waitFor();
    expect(await rows().count()).toBe(1);
  });
});
