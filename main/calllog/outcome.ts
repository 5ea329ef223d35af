// How a finished call leg is classified in the call log. Pure, so the rules are tested on their own.
import type { Call, CallState } from '../../shared/model.js';

export const callOutcomes = [
  'ongoing',
  'interrupted',
  'answered',
  'missed',
  'abandoned',
  'unanswered',
  'failed',
  'transferred',
  'redirected',
] as const;
export type CallOutcome = (typeof callOutcomes)[number];

export interface EndedLeg {
  direction: Call['direction'];
  /** The leg was connected at some point. */
  answered: boolean;
  /** Its last state before it went away. */
  lastState: CallState;
  /** The cause the vendor gave for the end itself (not a cause an earlier image carried). */
  endCause: string | undefined;
}

/**
 * First rule that applies wins:
 * 1. end cause mentions transfer → 'transferred' (the agent handed the call on);
 * 2. end cause is redirect / divert / deflect / forward → 'redirected' (sent elsewhere before or
 *    instead of being answered here);
 * 3. last state 'failed' → 'failed' (busy, unobtainable, rejected);
 * 4. connected at some point → 'answered';
 * 5. inbound, never connected → 'missed'. Also when the caller hung up while it rang or queued
 *    here: to the agent that is a missed call (shown for call-back). 'abandoned' is kept for a
 *    vendor that says so explicitly (an end cause mentioning abandon), as ACD reports use it;
 * 6. outbound, never connected → 'unanswered'.
 * The vendor's cause is stored beside the outcome, so nothing is lost by the classification.
 */
export function endOutcome(leg: EndedLeg): CallOutcome {
  const cause = leg.endCause ?? '';
  if (/transfer/i.test(cause)) return 'transferred';
  if (/redirect|divert|deflect|forward/i.test(cause)) return 'redirected';
  if (leg.lastState === 'failed') return 'failed';
  if (leg.answered) return 'answered';
  if (leg.direction === 'inbound') return /abandon/i.test(cause) ? 'abandoned' : 'missed';
  return 'unanswered';
}

/** Seconds from answer to end, whole; 0 for a leg never answered (no talk time). */
export function talkSeconds(answeredAt: number | undefined, endedAt: number): number {
  if (answeredAt === undefined) return 0;
  return Math.max(0, Math.round((endedAt - answeredAt) / 1000));
}
