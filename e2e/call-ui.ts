// The call screen as the agent flows drive it: rows by state, a row's action buttons, and the
// waits the vendors' scenarios share (no calls left, an agent state, ready again after wrap-up,
// a direct call answered and hung up).
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
  return { rowIn, action, noCalls, agentIn, readyAgain, answerAndHangUp };
}
