// The TWS view of the lab PBX core's calls: one "connection" per device leg, keyed by the core's call id
// (m_connectionId `c1`, m_ccoId `1`), with the core's leg states mapped to EConnectionState and ECCoState,
// the m_callAction flags (§4.6.5) and the call-flow sequences of §4.8.
import type { Call, Leg } from '../pbx/types.js';
import { actionNames, type ActionName, type CcoState, type TwsConnState } from './events.js';

export interface Track {
  device: string;
  callId: string;
  connectionId: string;
  ccoId: string;
  callLogId: string;
  timeStart: number;
  timeStart1: number;
  direction: 'incoming' | 'outgoing';
  state: TwsConnState;
  peer: string;
  wasConnected: boolean;
}

export function ccoStateOf(state: TwsConnState): CcoState {
  switch (state) {
    case 'originated':
    case 'queued':
      return 'predelivered';
    case 'delivered':
      return 'delivered';
    case 'established':
    case 'retrieved':
    case 'conferenced':
      return 'active';
    case 'held':
      return 'held';
    default:
      return 'free';
  }
}

const ended: ReadonlySet<TwsConnState> = new Set(['cleared', 'transferred', 'diverted', 'failed']);

/** [SIM] §4.6.5 extrapolated: faithful where the manual shows flags (delivered, established, cleared). */
export function actionsFor(state: TwsConnState, direction: 'incoming' | 'outgoing', ctx: { otherHeld: boolean; conference: boolean; rich: boolean }): Record<ActionName, boolean> {
  const on = new Set<ActionName>();
  if (!ended.has(state)) {
    if (state === 'delivered' && direction === 'incoming') {
      on.add('Answer');
      if (ctx.rich) {
        on.add('DivertCall');
        on.add('Release');
      }
    } else if (state === 'originated' || state === 'delivered' || state === 'queued') on.add('Release');
    else if (ctx.conference && (state === 'established' || state === 'conferenced' || state === 'retrieved')) {
      on.add('DropConference');
      on.add('HoldConference');
      on.add('Release');
    } else if (ctx.conference && state === 'held') on.add('UnholdConference');
    else if (state === 'established' || state === 'retrieved' || state === 'conferenced') {
      if (ctx.otherHeld) {
        on.add('Swaphold');
        on.add('Transfer');
        on.add('Conference');
        on.add('Release');
      } else {
        on.add('Hold');
        on.add('Release');
        if (ctx.rich) on.add('SingleStepTransfer');
      }
    } else if (state === 'held') {
      on.add('UnHold');
      on.add('Release');
    }
  }
  return Object.fromEntries(actionNames.map((n) => [n, on.has(n)])) as Record<ActionName, boolean>;
}

/** The TWS state a core leg state shows, before sequence rules (retrieved, transferred …). */
export function baseState(leg: Leg): TwsConnState | undefined {
  switch (leg.state) {
    case 'initiated':
      return undefined;
    case 'originated':
      return 'originated';
    case 'delivered':
      return 'delivered';
    case 'queued':
      return 'queued';
    case 'alerting':
      return 'delivered';
    case 'connected':
      return 'established';
    case 'hold':
      return 'held';
    case 'failed':
      return 'failed';
    case 'cleared':
      return 'cleared';
  }
}

/** The call's live parties other than `device` (devices, outside numbers; not queue placeholders). */
export function otherParties(call: Call, device: string): Leg[] {
  return call.legs.filter((l) => l.number !== device && l.kind !== 'queue' && l.state !== 'cleared' && l.state !== 'failed');
}

export function isConference(call: Call): boolean {
  return call.legs.filter((l) => l.kind !== 'queue' && l.state !== 'cleared' && l.state !== 'failed' && l.state !== 'alerting').length >= 3;
}

export function ccoTypeOf(state: TwsConnState, call: Call, leg: Leg): string {
  if (ccoStateOf(state) === 'free') return 'free';
  if (isConference(call)) return 'conference';
  // [SIM] the manual shows only simplecall/free; a consultation CCo is `consultation`.
  if (leg.consultOf !== undefined) return 'consultation';
  return 'simplecall';
}
