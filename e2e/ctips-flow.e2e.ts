// The agent's day on CTIPS (Aspect CTI Portal) through the real UI: Chromium → web host → desktop
// services → CTIPS connector (SOAP requests over HTTP, the app's own event service for the
// portal's PublishCTIEvent callbacks) → the lab's Active/Active portal pair A/B on the PBX core.
// The demo profile is agent1102 at station 1102 with the supervisor role, so the team and the
// services are there too. The portal has no reason lists: the profile's dispositions, reject and
// logout reasons are offered where the agent wraps up, rejects and logs off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from './axe.js';
import { callUi } from './call-ui.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
let page: Page;
/** The ACD call the agent wraps up after. */
let wrappedCallId: string | null = null;

const { rowIn, action, noCalls, agentIn, readyAgain, answerHoldRetrieve, consultAndTransfer } = callUi(() => page);
const shot = async (name: string) => {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/${name}.png` });
};
const linkUp = () => page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 20_000 });

interface PortalStatus {
  portal: 'a' | 'b';
  running: boolean;
  port: number;
  sessions: number;
}

async function portals(): Promise<PortalStatus[]> {
  return (await h.control('GET', '/ctips/portals')).json as PortalStatus[];
}

describe('CTIPS agent flow', () => {
  beforeAll(async () => {
    h = await startHarness({ vendor: 'ctips' });
    page = h.page;
    await linkUp();
  }, 60_000);
  afterAll(async () => {
    // Portal A is started again even when the failover test failed half-way.
    await h?.control('POST', '/ctips/a/start').catch(() => {});
    await h?.close();
  }, 30_000);

  it('logs on at station 1102 (not ready, the profile’s initial state) and goes ready', async () => {
    expect(await page.getByTestId('profile-active').textContent()).toContain('CTIPS');
    await agentIn('loggedOff');
    await page.getByTestId('agent-set-loggedOn').click();
    await agentIn('notReady');
    expect(await page.getByTestId('agent-role').textContent()).toContain('Supervisor');
    await page.getByTestId('agent-set-ready').click();
    await agentIn('ready');
    // The portal saw one session, on portal A (the first of the failover list).
    const [a, b] = await portals();
    expect(a).toMatchObject({ portal: 'a', running: true, sessions: 1 });
    expect(b).toMatchObject({ portal: 'b', sessions: 0 });
  });

  it('pops a Service 1 call with the caller and call data, answers, holds, retrieves and clears; the agent is in wrap-up', async () => {
    expect((await h.control('POST', '/calls', { from: '0612345678', to: 'service1', fromName: 'Marie Curie', data: { customerId: 'C-1102', orderId: 'O-4471' } })).status).toBe(201);
    const ringing = rowIn('alerting');
    await ringing.waitFor();
    const callId = await ringing.getAttribute('data-call-id');
    expect(callId).toMatch(/^ctips-\d+$/);
    const pop = page.getByTestId('screen-pop');
    await pop.waitFor();
    expect(await pop.getAttribute('data-call-id')).toBe(callId);
    expect(await page.getByTestId('screen-pop-number').textContent()).toContain('0612345678');
    expect(await pop.textContent()).toContain('Marie Curie');
    const data = await page.getByTestId('screen-pop-data').textContent();
    expect(data).toContain('C-1102');
    expect(data).toContain('O-4471');
    // Ringing: answer or reject (with the profile's reasons), nothing else.
    expect(await action(ringing, 'answer').count()).toBe(1);
    expect(await action(ringing, 'reject').count()).toBe(1);
    expect(await action(ringing, 'hold').count()).toBe(0);
    await shot('ctips-pop');

    const connected = await answerHoldRetrieve(ringing);
    expect(await connected.getAttribute('data-call-id')).toBe(callId);
    await action(connected, 'clear').click();
    await noCalls();

    // An ACD call: the agent is in wrap-up (the lab's 30 s), with the call in the log.
    await agentIn('wrapUp');
    expect((await h.control('GET', '/calls')).json).toHaveLength(0);
    wrappedCallId = callId;
  });

  it('offers the disposition picker for the call just ended; “Sale” is sent and the agent is ready', async () => {
    const box = page.locator(`[data-testid="agent-disposition"][data-call-id="${wrappedCallId}"][data-state="open"]`);
    await box.waitFor({ timeout: 5000 });
    const select = page.getByTestId('agent-disposition-select');
    const labels = await select.locator('option').allTextContents();
    for (const l of ['Resolved', 'Call back', 'Sale']) expect(labels).toContain(l);
    expect(await page.getByTestId('agent-disposition-submit').isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await select.selectOption({ label: 'Sale' });
    expect(await select.inputValue()).toBe('3');
    await shot('ctips-wrap');
    await page.getByTestId('agent-disposition-submit').click();
    // SetDisposition ends the portal's wrap (Wrap → Idle): ready, and the box is gone.
    await agentIn('ready');
    await page.waitForSelector('[data-testid="agent-disposition"]', { state: 'detached', timeout: 5000 });
  });

  it('rejects a direct call with the reason “Wrong skill”', async () => {
    await readyAgain();
    expect((await h.control('POST', '/calls', { from: '0499111222', to: '1102' })).status).toBe(201);
    const ringing = rowIn('alerting');
    await ringing.waitFor();
    await action(ringing, 'reject').click();
    const reasons = page.getByTestId('call-reject-reason');
    await reasons.first().waitFor();
    expect(await reasons.allTextContents()).toEqual(['On another task', 'Wrong skill']);
    expect(await reasons.evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')))).toEqual(['1', '2']);
    await page.locator('[data-testid="call-reject-reason"][data-reason="2"]').click();
    await noCalls();
    // The refused caller is gone from the PBX too (AcceptCall false drops a direct call).
    await expect.poll(async () => (await h.control('GET', '/calls')).json, { timeout: 5000 }).toHaveLength(0);
    await readyAgain();
  });

  it('goes not ready with a local reason (kept by the desktop: SetAgentState has none), and back to ready', async () => {
    await page.getByTestId('agent-set-notReady').click();
    const reasons = page.getByTestId('agent-reason');
    await reasons.first().waitFor();
    expect(await reasons.evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')))).toEqual(['Not ready (park)', 'Break', 'Lunch', 'Training']);
    await page.locator('[data-testid="agent-reason"][data-reason="Lunch"]').click();
    await agentIn('notReady');
    expect(await page.getByTestId('agent-state').textContent()).toContain('Lunch');
    await page.getByTestId('agent-set-ready').click();
    await agentIn('ready');
  });

  it('shows the supervisor the team (1101 and 1103 once logged in) and the Service 1 queue, live', async () => {
    const queue = page.locator('[data-testid="queue-card"][data-queue-id="1"]');
    await queue.waitFor();
    expect(await queue.textContent()).toContain('Service 1');
    // The colleagues log in at their own positions (the PBX agent route; the portal reports the login).
    for (const device of ['1101', '1103']) expect((await h.control('POST', `/devices/${device}/agent`, { state: 'notReady' })).status).toBe(200);
    const team = page.getByTestId('colleagues-panel');
    await team.waitFor();
    expect(await team.textContent()).toContain('Team');
    await page.waitForSelector('[data-testid="colleague"][data-number="1101"][data-agent-state="notReady"]');
    await page.waitForSelector('[data-testid="colleague"][data-number="1103"][data-agent-state="notReady"]');
    expect(await page.locator('[data-testid="colleague"][data-number="1102"]').count()).toBe(0);
    // A colleague's change is seen live; the queue counts follow.
    expect((await h.control('POST', '/devices/1103/agent', { state: 'ready' })).status).toBe(200);
    await page.waitForSelector('[data-testid="colleague"][data-number="1103"][data-agent-state="ready"]');
    await page.waitForFunction(() => /Ready\D*2|2\D*Ready/.test(document.querySelector('[data-testid="queue-card"][data-queue-id="1"]')?.textContent ?? ''));
    // Still this desktop's own agent in the agent panel (the colleagues' events are the team's only).
    expect(await page.getByTestId('agent-state').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('agent-state').textContent()).toContain('agent1102');
    await shot('ctips-team');
    // 1103 out of the way again, so the next calls ring 1102.
    expect((await h.control('POST', '/devices/1103/agent', { state: 'notReady' })).status).toBe(200);
    await page.waitForSelector('[data-testid="colleague"][data-number="1103"][data-agent-state="notReady"]');
  });

  it('fails over to portal B when portal A dies mid-call: the link goes down and up, the same call row stays, a notice names the failover', async () => {
    const [a, b] = await portals();
    expect(a?.running && b?.running).toBe(true);
    expect((await h.control('POST', '/calls', { from: '0655443322', to: '1102', fromName: 'Ada Lovelace' })).status).toBe(201);
    await rowIn('alerting').waitFor();
    await action(rowIn('alerting'), 'answer').click();
    const connected = rowIn('connected');
    await connected.waitFor();
    const callId = await connected.getAttribute('data-call-id');
    // Every link state the badge shows from now on, noted in the page (the down phase can be short).
    await page.evaluate(() => {
      const w = window as unknown as { __linkStates: string[] };
      w.__linkStates = [];
      const note = () => {
        const s = document.querySelector('[data-testid="link-state"]')?.getAttribute('data-state') ?? 'none';
        if (w.__linkStates[w.__linkStates.length - 1] !== s) w.__linkStates.push(s);
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    });

    expect((await h.control('POST', '/ctips/a/stop')).status).toBe(200);
    const notice = page.locator('[data-testid="notice"][data-level="warning"]').filter({ hasText: `http://127.0.0.1:${a?.port} is not available` });
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.textContent()).toContain(`Connected to the portal http://127.0.0.1:${b?.port}`);
    await linkUp();
    const states = (await page.evaluate('window.__linkStates')) as string[];
    expect(states.some((s) => s !== 'up')).toBe(true);
    expect(states[states.length - 1]).toBe('up');
    // The platform kept the call and its CallId: the same row, still connected, still answerable from here.
    const rows = page.locator('[data-testid="call-row"]');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-call-id')).toBe(callId);
    expect(await rows.first().getAttribute('data-state')).toBe('connected');
    await agentIn('busy');
    const now = await portals();
    expect(now.find((p) => p.portal === 'a')).toMatchObject({ running: false });
    expect(now.find((p) => p.portal === 'b')).toMatchObject({ running: true, sessions: 1 });
    await shot('ctips-failover');

    expect((await h.control('POST', '/ctips/a/start')).status).toBe(200);
    await expect.poll(async () => (await portals()).find((p) => p.portal === 'a')?.running, { timeout: 5000 }).toBe(true);
    // Commands go through portal B now.
    await action(rowIn('connected'), 'clear').click();
    await noCalls();
    await readyAgain();
  });

  it('consults agent1101, transfers the caller to it, and finds the calls in the call log', async () => {
    expect((await h.control('POST', '/devices/1101/agent', { state: 'ready' })).status).toBe(200);
    await page.waitForSelector('[data-testid="colleague"][data-number="1101"][data-agent-state="ready"]');
    expect((await h.control('POST', '/calls', { from: '0677889900', to: '1102', fromName: 'Grace Hopper' })).status).toBe(201);
    await action(rowIn('alerting'), 'answer').click();
    await rowIn('connected').waitFor();
    await consultAndTransfer('1101', async () => expect((await h.control('POST', '/devices/1101/answer')).status).toBe(200));
    // The caller now talks to agent1101: one call left on the PBX, none on this desktop.
    const left = (await h.control('GET', '/calls')).json as Array<{ parties: Array<{ number: string; state: string }> }>;
    expect(left).toHaveLength(1);
    expect(left[0]?.parties.filter((p) => p.state !== 'cleared').map((p) => p.number)).toEqual(expect.arrayContaining(['0677889900', '1101']));
    await h.control('POST', '/devices/1101/hangup');
    await readyAgain();

    await page.getByTestId('tab-calllog').click();
    await page.getByTestId('calllog-search').fill('0677889900');
    await page.waitForFunction(() => {
      const shown = [...document.querySelectorAll('[data-testid="calllog-row"]')];
      return shown.length > 0 && shown.every((r) => (r.textContent ?? '').replace(/\s/g, '').includes('0677889900'));
    });
    expect(await page.locator('[data-testid="calllog-row"]').first().textContent()).toMatch(/transferred/i);
    await page.getByTestId('calllog-search').fill('0612345678');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="calllog-row"]')].some((r) => /answered/i.test(r.textContent ?? '')));
    await page.getByTestId('calllog-search').fill('');
  });

  it('logs off with the reason “End of shift”', async () => {
    await page.getByTestId('agent-set-loggedOff').click();
    const reasons = page.getByTestId('agent-logout-reason');
    await reasons.first().waitFor();
    expect(await reasons.allTextContents()).toEqual(['End of shift', 'Meeting']);
    await page.locator('[data-testid="agent-logout-reason"][data-reason="1"]').click();
    await agentIn('loggedOff');
    await shot('ctips-loggedoff');
  });
});
