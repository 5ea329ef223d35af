// Route requests for routing applications (manual L1040–L1070, L1683–L1740; digest §3.3 RouteSelect,
// §4.4 route events, §7 #16, #42): a call reaching a service with external routing enabled makes the
// portal send RouteRequest and wait RouteTimeout seconds for a RouteSelect before it routes by
// default. A routing application on the site (the gateway's routing rules, or code using the site)
// gets each request with what the caller brought (ANI, DNIS, call data) and answers with where the
// call goes; the outcome is RouteUsed (resolved) or RouteReject / RouteRequestFailed (a typed error).
import { CtiError } from '../../../shared/commands.js';
import { rejectReasonMessages, type CtipsEnumMember } from './enums.js';
import { callerInfo, type CtipsEvent, type CtipsKnownEvent } from './events.js';
import type { CtipsPortalSession } from './session.js';
import { enumText } from './site-model.js';

export interface RouteRequestInfo {
  callId: number;
  /** Seconds the portal waits for an answer before its default route (RouteTimeout). */
  timeoutSec: number;
  ani: string;
  dnis: string;
  callData: Record<string, string>;
  serviceId: number;
  receivedAt: number;
}

export type RouteTarget =
  | { to: 'agent'; login: string }
  | { to: 'service'; serviceId: number }
  | { to: 'external'; number: string }
  | { to: 'default' };

export interface RouteOutcome {
  status: string;
  type: string;
  /** For an agent: its AgentId, as the portal reports it (§7 #16). */
  destination: string;
}

const actionOf: Record<RouteTarget['to'], CtipsEnumMember<'CTIRouteType'>> = { agent: 'RouteToAgent', service: 'RouteToService', external: 'RouteToExternal', default: 'RouteToDefault' };

/** A RouteRequest event as what a routing application needs; null for any other event. */
export function routeRequestOf(e: CtipsEvent, now: number): RouteRequestInfo | null {
  if (e.kind === 'unknown' || e.type !== 'RouteRequest' || !e.fields.CallId) return null;
  const info = callerInfo(e);
  const callData: Record<string, string> = {};
  for (const [k, v] of Object.entries(info?.callData ?? {})) if (v !== null) callData[k] = v;
  return {
    callId: e.fields.CallId,
    timeoutSec: e.fields.RouteTimeout ?? 0,
    ani: info?.ani ?? '',
    dnis: info?.dnis ?? '',
    callData,
    serviceId: e.header.serviceId ?? 0,
    receivedAt: now,
  };
}

/** RouteSelect for a call; resolves with RouteUsed, rejects with RouteReject's reason as a typed error. */
export async function selectRoute(session: CtipsPortalSession, callId: number, target: RouteTarget, userData: readonly string[] = []): Promise<RouteOutcome> {
  const destination = target.to === 'agent' ? target.login : target.to === 'service' ? String(target.serviceId) : target.to === 'external' ? target.number : undefined;
  const ends = (e: CtipsEvent): boolean => e.type === 'RouteUsed' || e.type === 'RouteReject';
  const outcome = await session.call(
    'RouteSelect',
    (RequestId, r) => r.routeSelect({ RequestId, CallId: callId, RouteActionType: actionOf[target.to], ...(destination !== undefined ? { RouteDestination: destination } : {}), ...(userData.length ? { UserData: [...userData] } : {}) }),
    ends,
  );
  if (!outcome || outcome.kind === 'unknown') return { status: 'unknown', type: actionOf[target.to], destination: destination ?? '' };
  if (outcome.type === 'RouteReject') throw rejection(outcome);
  const used = outcome as Extract<CtipsKnownEvent, { type: 'RouteUsed' }>;
  return { status: enumText(used.fields.RouteStatus), type: enumText(used.fields.RouteType), destination: used.fields.RouteDestination ?? '' };
}

function rejection(e: Extract<CtipsKnownEvent, { type: 'RouteReject' }>): CtiError {
  const reason = enumText(e.fields.RouteRejectReason);
  const text = (rejectReasonMessages as Record<string, string>)[reason] ?? `rejected (${reason || 'no reason'})`;
  const code: CtiError['code'] = reason === 'CallCleared' || reason === 'CallAlreadyRouted' ? 'noCall' : reason === 'DestinationBusy' ? 'notPermitted' : 'rejected';
  return new CtiError(code, `CTIPS RouteSelect: ${text}`, `route:${reason || 'unknown'}`);
}
