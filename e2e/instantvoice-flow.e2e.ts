// The agent's day on InstantVoice through the real UI: Chromium → web host → desktop services →
// InstantVoice connector (STOMP over TCP) → a private RabbitMQ → the lab PBX's InstantVoice ACD (a
// STOMP client of the same broker) → the PBX core. InstantVoice answers on the phone and has no
// hold or consultation: the UI offers only hang-up and blind transfer. The demo profile has the
// administrator role, so the team roster and the IVWS admin view are there too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { brokerAvailable } from '../main/simulator/instantvoice/broker.js';
import { axeViolations } from './axe.js';
import { callUi } from './call-ui.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
let page: Page;

const { rowIn, action, noCalls, agentIn } = callUi(() => page);

describe.skipIf(!brokerAvailable())('InstantVoice agent flow (needs rabbitmq-server)', () => {
  beforeAll(async () => {
    h = await startHarness({ vendor: 'instantvoice' });
    page = h.page;
    await page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 20_000 });
  }, 90_000);
  afterAll(async () => {
    await h?.close();
  }, 30_000);

  it('logs on, pauses for lunch with the profile’s pause reasons, and is ready again', async () => {
    await agentIn('loggedOff');
    await page.getByTestId('agent-set-ready').or(page.getByTestId('agent-set-loggedOn')).first().click();
    await agentIn('ready');
    await page.getByTestId('agent-set-notReady').click();
    await page.getByTestId('agent-reason').filter({ hasText: 'Lunch' }).click();
    await agentIn('notReady');
    expect(await page.getByTestId('agent-state').textContent()).toContain('Lunch');
    await page.getByTestId('agent-set-ready').click();
    await agentIn('ready');
  });

  it('pops a queue call, is answered on the phone, offers no hold, and transfers blind', async () => {
    expect((await h.control('POST', '/instantvoice/queues/1/calls', { from: '2198765456' })).status).toBe(201);
    const ringing = rowIn('alerting');
    await ringing.waitFor();
    await page.getByTestId('screen-pop').waitFor();
    expect(await page.getByTestId('screen-pop-number').textContent()).toContain('2198765456');
    // Answering is done on the agent's phone (SIP/default_0001): InstantVoice has no answer method.
    expect(await action(ringing, 'answer').count()).toBe(0);
    await h.control('POST', '/devices/0001/answer');
    const connected = rowIn('connected');
    await connected.waitFor();
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/iv-call.png` });
    for (const missing of ['hold', 'consult', 'conference', 'sendDtmf']) expect(await action(connected, missing).count()).toBe(0);
    await action(connected, 'transfer').click();
    await page.getByTestId('call-prompt-number').fill('6100');
    await page.getByTestId('call-prompt-submit').click();
    await noCalls();
  });

  it('dials through the ACD (NewCall): the phone rings first, then the destination; hangs up; both calls are in the log', async () => {
    await page.getByTestId('dial-number').fill('6100');
    await page.getByTestId('dial-button').click();
    await rowIn('dialing').waitFor();
    await h.control('POST', '/devices/0001/answer');
    await rowIn('connected').waitFor();
    await action(rowIn('connected'), 'clear').click();
    await noCalls();
    await page.getByTestId('tab-calllog').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="calllog-row"]').length >= 2);
    const text = await page.locator('[data-testid="calllog-row"]').allTextContents();
    expect(text.join(' ')).toContain('2198765456');
    expect(text.join(' ')).toContain('6100');
  });

  it('shows the team live: another agent logging in appears on the roster', async () => {
    const team = page.getByTestId('colleagues-panel');
    await team.waitFor();
    expect(await team.textContent()).toContain('Team');
    await page.locator('[data-testid="colleague"][data-number="1002"]').waitFor();
    // Agent 1002 logs in from elsewhere (the guide's STOMP request, sent through IVWS here).
    const soap = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ivws="Ivws.Ivws"><soapenv:Body><ivws:AgentLogin><ivws:key>f054bbd2f5ebab9</ivws:key><ivws:Accountcode>default</ivws:Accountcode><ivws:User>default_1002</ivws:User><ivws:Interface>SIP/default_0002</ivws:Interface></ivws:AgentLogin></soapenv:Body></soapenv:Envelope>`;
    const ivws = h.lab.instantvoice?.ivws;
    const res = await fetch(`http://${ivws?.host}:${ivws?.port}/`, { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"AgentLogin"' }, body: soap });
    expect(res.status).toBe(200);
    await page.waitForSelector('[data-testid="colleague"][data-number="1002"][data-agent-state="ready"]');
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/iv-team.png` });
  });

  it('pauses a team member from the roster, makes them ready, and logs them off after confirming', async () => {
    const member = '[data-testid="colleague"][data-number="1002"]';
    await page.waitForSelector(`${member}[data-agent-state="ready"]`);
    // The supervisor's own row has no such menu.
    expect(await page.locator('[data-testid="colleague"][data-number="1001"] [data-testid="colleague-agent-menu"]').count()).toBe(0);
    await page.locator(`${member} [data-testid="colleague-agent-menu"]`).click();
    // The team roster with a member's menu open meets the accessibility rules too.
    expect(await axeViolations(page)).toEqual([]);
    await page.locator(`${member} [data-testid="colleague-agent-choice"][data-reason="notReady:Lunch"]`).click();
    await page.waitForSelector(`${member}[data-agent-state="notReady"]`);
    expect(await page.locator(`${member} [data-testid="colleague-reason"]`).textContent()).toBe('Lunch');
    await page.locator(`${member} [data-testid="colleague-agent-menu"]`).click();
    await page.locator(`${member} [data-testid="colleague-agent-choice"][data-reason="ready"]`).click();
    await page.waitForSelector(`${member}[data-agent-state="ready"]`);
    await page.locator(`${member} [data-testid="colleague-agent-menu"]`).click();
    await page.locator(`${member} [data-testid="colleague-agent-choice"][data-reason="loggedOff"]`).click();
    await page.getByTestId('colleague-logoff-dialog').waitFor();
    await page.getByTestId('colleague-logoff-cancel').click();
    expect(await page.locator(`${member}[data-agent-state="ready"]`).count()).toBe(1);
    await page.locator(`${member} [data-testid="colleague-agent-menu"]`).click();
    await page.locator(`${member} [data-testid="colleague-agent-choice"][data-reason="loggedOff"]`).click();
    await page.getByTestId('colleague-logoff-confirm').click();
    await page.waitForSelector(`${member}[data-agent-state="loggedOff"]`);
    expect(await page.locator(`${member} [data-testid="colleague-agent-menu"]`).count()).toBe(0);
  });

  it('administers the ACD through IVWS: lists agents, creates a queue and deletes it after confirming', async () => {
    await page.getByTestId('admin-tab').click();
    await page.getByTestId('admin-view').waitFor();
    await page.locator('[data-testid="admin-row"][data-key="1001"]').waitFor();
    await page.locator('[data-testid="admin-entity-tab"][data-entity="queues"]').click();
    await page.locator('[data-testid="admin-row"][data-key="7012"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('admin-new').click();
    await page.locator('[data-testid="admin-field"][data-field="name"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('[data-testid="admin-field"][data-field="name"]').fill('7015');
    await page.locator('[data-testid="admin-field"][data-field="description"]').fill('Billing');
    await page.getByTestId('admin-save').click();
    await page.locator('[data-testid="admin-row"][data-key="7015"]').waitFor();
    // The lab's ACD has it now.
    expect(JSON.stringify((await h.control('GET', '/instantvoice')).json)).toContain('"default_7015"');
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/iv-admin.png` });
    await page.locator('[data-testid="admin-row"][data-key="7015"]').click();
    await page.getByTestId('admin-delete').click();
    await page.getByTestId('admin-confirm-dialog').waitFor();
    await page.getByTestId('admin-confirm').click();
    await page.waitForSelector('[data-testid="admin-row"][data-key="7015"]', { state: 'detached' });
  });

  it('carries on after the broker drops every connection: the link comes back and the agent can work', async () => {
    expect((await h.control('POST', '/instantvoice/broker/drop')).status).toBeLessThan(300);
    await page.waitForSelector('[data-testid="link-state"][data-state="up"]', { timeout: 20_000 });
    await page.getByTestId('agent-set-notReady').click();
    await page.getByTestId('agent-reason').filter({ hasText: 'Break' }).click();
    await agentIn('notReady');
    await page.getByTestId('agent-set-loggedOff').click();
    await agentIn('loggedOff');
  });
});
