// The call screen as the agent flows drive it: rows by state, a row's action buttons, and the
// waits the vendors' scenarios share (no calls left, an agent state, ready again after wrap-up,
// a direct call answered and hung up, an ACD call answered, held and retrieved, a consultation
// transferred).
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Harness } from './harness.js';

/** `pageOf` is read on every call, so the helpers can be made before the page exists (in beforeAll). */
export function callUi(pageOf: () => Page) {
  const rowIn = (state: string): Locator => pageOf().locator(`[data-testid="call-row"][data-state="${state}"]`);
  const action = (row: Locator, name: string) => row.locator(`[data-testid="call-action-${name}"]`);
  const noCalls = () => pageOf().waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 0);
  const agentIn = (state: string) => pageOf().waitForSelector(`[data-testid="agent-state"][data-state="${state}"]`);
  /** After an ACD call: ready again, whether the PBX put the agent in wrap-up or not. */
  const readyAgain = async () => {
    const page = pageOf();
    await page.waitForSelector('[data-testid="agent-state"][data-state="wrapUp"], [data-testid="agent-state"][data-state="ready"]');
    if ((await page.getByTestId('agent-state').getAttribute('data-state')) !== 'ready') {
      await page.getByTestId('agent-set-ready').click();
      await agentIn('ready');
    }
  };
  /** A caller rings `to`; the agent answers from the row, then hangs up; no call is left anywhere. */
  const answerAndHangUp = async (h: Harness, from: string, to: string) => {
    expect((await h.control('POST', '/calls', { from, to })).status).toBe(201);
    await rowIn('alerting').waitFor();
    await action(rowIn('alerting'), 'answer').click();
    await rowIn('connected').waitFor();
    await action(rowIn('connected'), 'clear').click();
    await noCalls();
    expect((await h.control('GET', '/calls')).json).toHaveLength(0);
  };
  /** Answer the ringing call from its row, the agent busy on it, then hold and retrieve it; returns the connected row. */
  const answerHoldRetrieve = async (ringing: Locator): Promise<Locator> => {
    await action(ringing, 'answer').click();
    await rowIn('connected').waitFor();
    await agentIn('busy');
    await action(rowIn('connected'), 'hold').click();
    await rowIn('held').waitFor();
    await action(rowIn('held'), 'retrieve').click();
    const connected = rowIn('connected');
    await connected.waitFor();
    return connected;
  };
  /**
   * From the one connected call: consult `to`, have the colleague answer (`answerAt`, e.g. through
   * the control API), then transfer the caller to it; no call is left on this desktop.
   */
  const consultAndTransfer = async (to: string, answerAt: () => Promise<unknown>) => {
    const page = pageOf();
    await action(rowIn('connected'), 'consult').click();
    await page.getByTestId('call-prompt-number').fill(to);
    await page.getByTestId('call-prompt-submit').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 2);
    await rowIn('held').waitFor();
    await answerAt();
    const consultation = rowIn('connected');
    await consultation.waitFor();
    await action(consultation, 'transfer').click();
    // Transfer joins the pair at once; a vendor that asks where to gets the prompt submitted as it is.
    const submit = page.getByTestId('call-prompt-submit');
    if (await submit.isVisible().catch(() => false)) await submit.click();
    await noCalls();
  };
  return { rowIn, action, noCalls, agentIn, readyAgain, answerAndHangUp, answerHoldRetrieve, consultAndTransfer };
}
