// Agent/call events on /topic/iv.agents.<accountcode>_<agent> (digest §2.5, §5; L2473–L2523) and
// the IVClient PollEvents string (a JSON array of the same objects, L272–L291), decoded into one
// intermediate model. Values stay strings (a bare-number callerid keeps its source text). Pure;
// never throws.
import { fail, okValue, type Decoded } from './codes.js';
import { isObject, parseJson, type IvObject, type IvValue, type JsonOptions } from './replies.js';
import { parseAgentUsername, type AgentRef } from './requests.js';

export const callEventTypes = ['NEWCALL', 'DNEWCALL', 'CONNECT', 'DCONNECT', 'HANGUP'] as const;
export const agentEventTypes = ['LOGIN', 'LOGOUT', 'PAUSE', 'UNPAUSE'] as const;
export type CallEventType = (typeof callEventTypes)[number];
export type AgentEventType = (typeof agentEventTypes)[number];

/** Hangup reasons (L2507–L2523); the event schema has no field for them (§5.3, §7 #17). */
export const hangupReasons = ['BYCALLER', 'BYCALLEE', 'NOANSWER', 'FAILED', 'BUSY', 'UNKNOWN', 'ATRANSFER', 'BTRANSFER', 'QUEUEGIVEUP', 'QUEUEMISSED', 'PICKUP', 'MSSTOP', 'MSSTART', 'MSGONE'] as const;

interface EventBase {
  agent: AgentRef;
  /** The event object as received (extra members included). */
  raw: IvObject;
}

export interface IvCallEvent extends EventBase {
  kind: 'call';
  type: CallEventType;
  /** `agent` leg (NEWCALL/CONNECT/HANGUP) or `remote` leg of a NewCall (DNEWCALL/DCONNECT, L2533–L2539). */
  leg: 'agent' | 'remote';
  /** `offered` (NEWCALL/DNEWCALL), `answered` (CONNECT/DCONNECT), `ended` (HANGUP). */
  phase: 'offered' | 'answered' | 'ended';
  uniqueid: string;
  callerid: string;
  /** INBOUND/OUTBOUND lower-cased; null when empty or another text (L2489). */
  direction: 'inbound' | 'outbound' | null;
  rawDirection: string;
  /** The optional `reason` member on HANGUP (not in the manual's schema); null when absent. */
  hangupReason: string | null;
}

export interface IvAgentEvent extends EventBase {
  kind: 'agent';
  type: AgentEventType;
  state: 'loggedIn' | 'loggedOut' | 'paused' | 'available';
  /** PAUSE: the pause description carried in `direction` (L2489); null otherwise or when empty. */
  pauseDescription: string | null;
}

export interface IvUnknownEvent extends EventBase {
  kind: 'unknown';
  type: string;
}

export type IvEvent = IvCallEvent | IvAgentEvent | IvUnknownEvent;

// The event members are no names of Object.prototype, so a plain read finds only own members.
const s = (o: IvObject, k: string): string => {
  const v = o[k];
  return typeof v === 'string' ? v : '';
};
const scalarMembers = ['direction', 'callerid', 'uniqueid'] as const;
const callTypes: ReadonlySet<string> = new Set(callEventTypes);
const agentTypes: ReadonlySet<string> = new Set(agentEventTypes);

/** One event object -> IvEvent. `type` and `agent` are mandatory; other fields default to ''. */
export function eventFromValue(v: IvValue): Decoded<IvEvent> {
  if (!isObject(v)) return fail('badShape', 'an event is a JSON object');
  const rawType = v.type;
  const rawAgent = v.agent;
  if (typeof rawType !== 'string' || rawType === '') return fail('badShape', 'event without a type');
  if (typeof rawAgent !== 'string' || rawAgent === '') return fail('badShape', 'event without an agent');
  for (const k of scalarMembers) {
    const m = v[k];
    if (m !== undefined && m !== null && typeof m !== 'string') return fail('badShape', `event ${k} is not a scalar`);
  }
  // Servers send the guide's spelling; normalize only what differs.
  const type = callTypes.has(rawType) || agentTypes.has(rawType) ? rawType : rawType.trim().toUpperCase();
  const agent = parseAgentUsername(rawAgent);
  const direction = s(v, 'direction');
  if (callTypes.has(type)) {
    const t = type as CallEventType;
    const d = direction === 'INBOUND' || direction === 'OUTBOUND' ? direction : direction.trim().toUpperCase();
    const reason = typeof v.reason === 'string' && v.reason !== '' ? v.reason : null;
    return okValue({
      kind: 'call', type: t, agent, raw: v,
      leg: t === 'DNEWCALL' || t === 'DCONNECT' ? 'remote' : 'agent',
      phase: t === 'HANGUP' ? 'ended' : t.endsWith('NEWCALL') ? 'offered' : 'answered',
      uniqueid: s(v, 'uniqueid'), callerid: s(v, 'callerid'),
      direction: d === 'INBOUND' ? 'inbound' : d === 'OUTBOUND' ? 'outbound' : null,
      rawDirection: direction,
      hangupReason: t === 'HANGUP' ? reason : null,
    });
  }
  if (agentTypes.has(type)) {
    const t = type as AgentEventType;
    const state = t === 'LOGIN' ? 'loggedIn' : t === 'LOGOUT' ? 'loggedOut' : t === 'PAUSE' ? 'paused' : 'available';
    return okValue({ kind: 'agent', type: t, agent, raw: v, state, pauseDescription: t === 'PAUSE' && direction !== '' ? direction : null });
  }
  return okValue({ kind: 'unknown', type: rawType, agent, raw: v });
}

/** A STOMP MESSAGE body from an agent topic. */
export function decodeEvent(body: string | Uint8Array, opts: JsonOptions = {}): Decoded<IvEvent> {
  const p = parseJson(body, opts);
  return p.ok ? eventFromValue(p.value.value) : p;
}

export interface PollEventsResult {
  events: IvEvent[];
  /** Items that did not decode (the manual's `{ ... }` placeholder would be one), with their index. */
  rejected: Array<{ index: number; message: string }>;
}

/** The IVClient PollEvents string: a JSON array of event objects. */
export function decodePollEvents(body: string | Uint8Array, opts: JsonOptions = {}): Decoded<PollEventsResult> {
  const p = parseJson(body, opts);
  if (!p.ok) return p;
  if (!Array.isArray(p.value.value)) return fail('badShape', 'PollEvents returns a JSON array');
  const out: PollEventsResult = { events: [], rejected: [] };
  p.value.value.forEach((item, index) => {
    const e = eventFromValue(item);
    if (e.ok) out.events.push(e.value);
    else out.rejected.push({ index, message: e.error.message });
  });
  return okValue(out);
}
