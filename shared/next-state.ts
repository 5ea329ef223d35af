// "Not ready after this call": a state the agent picks during a call, which the desk applies once
// the call and its wrap-up are over, so the ACD does not route the next call first. Main keeps it
// (a renderer reload does not lose it) and applies it; this file holds its shape and the rule.
import { z } from 'zod';
import type { AgentInfo, ViewState } from './model.js';

export const nextAgentStates = ['notReady', 'loggedOff'] as const;
export const NextAgentStateKind = z.enum(nextAgentStates);
export type NextAgentStateKind = z.infer<typeof NextAgentStateKind>;

export const NextAgentState = z.object({
  state: NextAgentStateKind,
  /** A not-ready reason, or a logout reason code, as `setAgentState` takes it. */
  reason: z.string().max(128).optional(),
  /** When the agent asked, epoch ms. */
  at: z.number(),
});
export type NextAgentState = z.infer<typeof NextAgentState>;

/**
 * What to do with the queued state now:
 * - `wait`: a call is still on the device, or the agent is busy or in wrap-up;
 * - `apply`: between calls (the ACD made the agent available again): send it now;
 * - `reached`: the agent is in that state already (applied, or chosen by the ACD or the agent);
 * - `lost`: the agent is no longer logged on, so there is nothing to go not ready from.
 */
export type NextStateStep = 'wait' | 'apply' | 'reached' | 'lost';

export function nextStateStep(view: Pick<ViewState, 'agent' | 'calls'>, next: Pick<NextAgentState, 'state'>): NextStateStep {
  const agent: AgentInfo | null = view.agent;
  if (!agent || agent.state === 'loggedOff' || agent.state === 'unknown') return next.state === 'loggedOff' ? 'reached' : 'lost';
  if (agent.state === next.state) return 'reached';
  if (Object.keys(view.calls).length > 0) return 'wait';
  if (agent.state === 'busy' || agent.state === 'wrapUp') return 'wait';
  return 'apply';
}
