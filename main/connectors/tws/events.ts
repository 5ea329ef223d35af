// Event decoding: the socket/WebSocket `CGenericEvent` (digest §4.6.1), the polling
// `CTLK*Event` (§4.6.8, from `TWS_GetEvent`) and the undocumented JSON form (§4.6.9) all decode
// into ONE intermediate model, `TwsEvent`. Member names are matched case-insensitively without
// `_` (§7 #43); every value stays a string. Pure; never throws.
import { fastXmlValue } from './fast-xml.js';
import { agentStates, type AgentStateName } from './codes.js';
import { decodeResult, type DecodeOptions, type TwsFormat } from './results.js';
import { isObject, list, member, parseJsonValue, str, xmlToValue, type TwsObject, type TwsValue } from './value.js';
import { DEFAULT_MAX_BYTES, fail, inputToText, normName, parseXml, type Decoded } from './xml.js';

/** Where the event came from: the socket/WebSocket envelope or the polling web service. */
export type TwsEventSource = 'socket' | 'poll';

export interface TwsEventEnvelope {
  source: TwsEventSource;
  /** `eventType` as sent (`CallEvent`, `CallSupervisionEvent`, `CGenericAgentEvent`, …). */
  eventType: string;
  /** The root element (`CGenericEvent`, `CTLKCallEvent`, …) or `json`. */
  root: string;
  creationDate: string | null;
  objectGuid: string | null;
  /** The monitored object: a device (`4694`) or an agent (`1000`). */
  objectName: string | null;
  userGuid: string | null;
  /** The XML needed the tolerant repairs (the manual's socket examples do). */
  repaired: boolean;
}

/** A correspondent (`CGenericUser`, digest §4.6.4). */
export interface TwsParty {
  publicNumber: string | null;
  display: string | null;
  infoDisplay: string | null;
  direction: string | null;
  isRedList: boolean;
  firstname: string | null;
  lastname: string | null;
  company: string | null;
  /** Contact id (`Guid`) and person id (`PersonGuid`). */
  guid: string | null;
  personGuid: string | null;
  isUser: boolean | null;
}

/** One connection of a CCo (`CGenericConnection`, digest §4.6.3). */
export interface TwsConnection {
  /** The connection reference to pass back as `szCall`. */
  connectionId: string | null;
  /** `m_currentState`: an EConnectionState name; unknown names are kept. */
  state: string | null;
  reason: string | null;
  eventReason: string | null;
  direction: string | null;
  /** `m_deviceNumber` (or `m_Device` in the QueryCCos listing). */
  device: string | null;
  callLogId: string | null;
  ccoId: string | null;
  domainGuid: string | null;
  mediaType: string | null;
  timeStart: string | null;
  timeStart1: string | null;
  timeEnd: string | null;
  userGuid: string | null;
  /** `m_Users` with the nil slots dropped. */
  parties: TwsParty[];
  calledParty: TwsParty | null;
  forwardedParty: TwsParty | null;
  lastRedirectedParty: TwsParty | null;
  /** `m_callAction` flags that are true (digest §4.6.5). */
  allowedActions: string[];
}

/** A call (`CGenericCCo`, digest §4.6.2). */
export interface TwsCco {
  ccoId: string | null;
  /** ECCoState name (`free`, `active`, …). */
  state: string | null;
  type: string | null;
  connections: TwsConnection[];
}

export interface TwsAgentInfo {
  agentId: string | null;
  agentGroup: string | null;
  agentDevice: string | null;
  /** The EPresenceAgent name, when the state is known (name or 0–5 ordinal, §7 #39). */
  state: AgentStateName | null;
  /** The state as sent. */
  rawState: string | null;
  cause: string | null;
}

/** A supervision event (`genericCallSupervisionEvent` / `CTLKConnectionSupervisionEvent`, §4.6.6). */
export interface TwsSupervision {
  connectionId: string | null;
  state: string | null;
  reason: string | null;
  device: string | null;
  deviceType: string | null;
  parties: TwsParty[];
}

export type TwsEvent =
  | { kind: 'call'; envelope: TwsEventEnvelope; ccos: TwsCco[] }
  | { kind: 'supervision'; envelope: TwsEventEnvelope; supervision: TwsSupervision }
  | { kind: 'agent'; envelope: TwsEventEnvelope; agent: TwsAgentInfo }
  /** Forward / presence / any other slot: undocumented payloads, passed through as values. */
  | { kind: 'forward'; envelope: TwsEventEnvelope; payload: TwsValue }
  | { kind: 'presence'; envelope: TwsEventEnvelope; payload: TwsValue }
  /** The keep-alive (`<EventType>AUDIT</EventType>`), echoed by some servers (§8 T25). */
  | { kind: 'audit'; envelope: TwsEventEnvelope }
  | { kind: 'unknown'; envelope: TwsEventEnvelope; slot: string | null; payload: TwsValue };

// ---------------------------------------------------------------- value -> model

const bool = (v: string | null): boolean | null => (v === null ? null : v.trim().toLowerCase() === 'true');

function party(v: TwsValue | undefined): TwsParty | null {
  if (!isObject(v)) return null;
  return {
    publicNumber: str(v, 'm_publicUserNumber'),
    display: str(v, 'm_UserDisplay'),
    infoDisplay: str(v, 'm_UserInfoDisplay'),
    direction: str(v, 'm_connectionDirection'),
    isRedList: bool(str(v, 'm_IsRedList')) ?? false,
    firstname: str(v, 'Firstname'),
    lastname: str(v, 'Lastname'),
    company: str(v, 'Company'),
    guid: str(v, 'Guid'),
    personGuid: str(v, 'PersonGuid'),
    isUser: bool(str(v, 'IsUser')),
  };
}

function parties(v: TwsValue | undefined): TwsParty[] {
  return list(v)
    .map(party)
    .filter((p): p is TwsParty => p !== null);
}

function connection(v: TwsValue): TwsConnection | null {
  if (!isObject(v)) return null;
  const actions = member(v, 'm_callAction');
  return {
    connectionId: str(v, 'm_connectionId'),
    state: str(v, 'm_currentState'),
    reason: str(v, 'm_currentReason'),
    eventReason: str(v, 'm_eventReason'),
    direction: str(v, 'm_connectionDirection'),
    device: str(v, 'm_deviceNumber', 'm_Device'),
    callLogId: str(v, 'm_callLogId'),
    ccoId: str(v, 'm_ccoId'),
    domainGuid: str(v, 'm_domainGuid'),
    mediaType: str(v, 'm_mediaType'),
    timeStart: str(v, 'm_timeStart'),
    timeStart1: str(v, 'm_timeStart1'),
    timeEnd: str(v, 'm_timeEnd'),
    userGuid: str(v, 'm_userGuid'),
    parties: parties(member(v, 'm_Users')),
    calledParty: party(member(v, 'genericCalledUser')),
    forwardedParty: party(member(v, 'genericForwardedUser')),
    lastRedirectedParty: party(member(v, 'genericLastRedirectedUser')),
    allowedActions: isObject(actions)
      ? Object.entries(actions)
          .filter(([, f]) => typeof f === 'string' && f.trim().toLowerCase() === 'true')
          .map(([k]) => k)
      : [],
  };
}

/** One `CGenericCCo` value (also the items of `TWS_QueryCCosByDevice`). */
export function ccoFromValue(v: TwsValue): TwsCco | null {
  if (!isObject(v)) return null;
  return {
    ccoId: str(v, 'm_ccoId'),
    state: str(v, 'm_ccoState'),
    type: str(v, 'm_ccoType'),
    connections: list(member(v, 'm_Connections'))
      .map(connection)
      .filter((c): c is TwsConnection => c !== null),
  };
}

function ccos(v: TwsValue | undefined): TwsCco[] {
  // `<genericCallEvent><CGenericCCo>` (one), `<genericCCOs><CGenericCCo>…` (list), or a JSON
  // object/array; a bare CCo object (JSON) is accepted too.
  if (isObject(v) && member(v, 'm_Connections') !== undefined) {
    const one = ccoFromValue(v);
    return one ? [one] : [];
  }
  return list(v)
    .map(ccoFromValue)
    .filter((c): c is TwsCco => c !== null);
}

function agentState(raw: string | null): AgentStateName | null {
  if (raw === null) return null;
  const t = raw.trim();
  if (/^[0-5]$/.test(t)) return agentStates[Number(t)] ?? null;
  return agentStates.find((s) => s.toLowerCase() === t.toLowerCase()) ?? null;
}

function agent(v: TwsValue | undefined): TwsAgentInfo {
  const rawState = str(v, 'AgentState');
  return {
    agentId: str(v, 'AgentID'),
    agentGroup: str(v, 'AgentGroup'),
    agentDevice: str(v, 'AgentDevice'),
    state: agentState(rawState),
    rawState,
    cause: str(v, 'Cause'),
  };
}

function supervision(v: TwsValue | undefined): TwsSupervision {
  return {
    connectionId: str(v, 'm_connectionId'),
    state: str(v, 'm_currentState'),
    reason: str(v, 'm_currentReason'),
    device: str(v, 'm_deviceNumber'),
    deviceType: str(v, 'm_deviceType'),
    parties: parties(member(v, 'm_Users')),
  };
}

const envelopeMembers = new Set(['creationdate', 'eventtype', 'objectguid', 'objectname', 'userguid', 'extensiondata']);

/** The payload: the single non-nil `generic*` member (digest §4.6.1: "not by a fixed name"). */
function payloadSlot(obj: TwsObject): [string, TwsValue] | null {
  const slots = Object.entries(obj).filter(([k, v]) => !envelopeMembers.has(normName(k)) && v !== null && v !== '');
  const generic = slots.filter(([k]) => normName(k).startsWith('generic'));
  const pick = generic.length > 0 ? generic : slots;
  return pick.length === 1 ? (pick[0] as [string, TwsValue]) : null;
}

/** A decoded event object (XML or JSON) -> the model. */
export function eventFromValue(obj: TwsValue, root: string, source: TwsEventSource, repaired: boolean): Decoded<TwsEvent> {
  if (!isObject(obj)) return fail('unknownEvent', `<${root}> has no members`);
  const eventType = str(obj, 'eventType') ?? '';
  const envelope: TwsEventEnvelope = {
    source,
    eventType,
    root,
    creationDate: str(obj, 'creationDate'),
    objectGuid: str(obj, 'objectGuid'),
    objectName: str(obj, 'objectName'),
    userGuid: str(obj, 'userGuid'),
    repaired,
  };
  const type = normName(eventType);
  const rootN = normName(root);
  if (type === 'audit') return { ok: true, value: { kind: 'audit', envelope } };
  const slot = payloadSlot(obj);
  const slotName = slot ? normName(slot[0]) : '';
  const payload = slot ? slot[1] : null;

  if (rootN === 'ctlkcallevent' || type === 'callevent' || slotName === 'genericcallevent' || slotName === 'genericccos') {
    const calls = ccos(member(obj, 'genericCallEvent', 'genericCCOs'));
    if (calls.length === 0) return fail('unknownEvent', `${eventType || root} without a CGenericCCo`);
    return { ok: true, value: { kind: 'call', envelope, ccos: calls } };
  }
  if (rootN === 'ctlkconnectionsupervisionevent' || type === 'callsupervisionevent' || slotName === 'genericcallsupervisionevent') {
    // Polling variant [INF]: members of the supervision slot directly under the root (§4.6.8).
    const sup = member(obj, 'genericCallSupervisionEvent') ?? obj;
    return { ok: true, value: { kind: 'supervision', envelope, supervision: supervision(sup) } };
  }
  if (type === 'cgenericagentevent' || type === 'agentevent' || slotName === 'genericagentevent') {
    return { ok: true, value: { kind: 'agent', envelope, agent: agent(member(obj, 'genericAgentEvent') ?? obj) } };
  }
  if (type === 'forwardevent' || slotName === 'genericforwardevent') {
    return { ok: true, value: { kind: 'forward', envelope, payload } };
  }
  if (rootN === 'ctlkpresenceevent' || type === 'presenceevent' || slotName === 'genericpresenceevent') {
    return { ok: true, value: { kind: 'presence', envelope, payload: payload ?? obj } };
  }
  if (!eventType && !slot) return fail('unknownEvent', `<${root}> has neither eventType nor a payload`);
  return { ok: true, value: { kind: 'unknown', envelope, slot: slot ? slot[0] : null, payload } };
}

const eventRoots = /^(cgenericevent|ctlk\w*event|cgenericagentevent)$/;
const ocrDamage = /<\/?a>[A-Za-z_]/;

/**
 * One event frame (a 9004/9000 socket frame without its separator, or one WebSocket message):
 * XML or JSON, sniffed on the first non-blank character (digest §4.3).
 */
export function decodeEvent(input: string | Uint8Array, opts: DecodeOptions = {}): Decoded<TwsEvent> {
  const text = inputToText(input, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!text.ok) return text;
  // A WebSocket message may still carry the socket separator (§4.5); drop it and NULs.
  // eslint-disable-next-line no-control-regex
  const t = text.value.replace(/82E51812-45C9-4733/g, '').replace(/^[\s\u0000]+|[\s\u0000]+$/g, '');
  if (t.startsWith('{')) {
    const v = parseJsonValue(t);
    if (!v.ok) return v;
    const inner = isObject(v.value) && Object.keys(v.value).length === 1 && isObject(Object.values(v.value)[0])
      && !('eventType' in v.value) ? Object.values(v.value)[0] : v.value;
    return eventFromValue(inner ?? null, 'json', 'socket', false);
  }
  // Well-formed frames (all a server sends) take the fast path; the rest get the strict parser's
  // precise error or the tolerant repairs. The OCR damage `<a>Type>` is well-formed, so it skips it.
  const fast = ocrDamage.test(t) ? null : fastXmlValue(t);
  if (fast) {
    const name = normName(fast.root);
    if (!eventRoots.test(name)) return fail('unknownEvent', `unexpected root <${fast.root}>`);
    return eventFromValue(fast.value, fast.root, name.startsWith('ctlk') ? 'poll' : 'socket', false);
  }
  const parsed = parseXml(t, { maxBytes: opts.maxBytes, tolerant: opts.tolerant ?? true });
  if (!parsed.ok) return parsed;
  const root = parsed.value.root;
  if (!eventRoots.test(normName(root.name))) return fail('unknownEvent', `unexpected root <${root.name}>`);
  const source: TwsEventSource = normName(root.name).startsWith('ctlk') ? 'poll' : 'socket';
  return eventFromValue(xmlToValue(root), root.name, source, parsed.value.repaired);
}

/**
 * The result of `TWS_GetEvent` (Json, Xml or SOAP): an event, or null when the 30 s wait ended
 * with nothing (`i:nil`/`null`, digest §4.2). The kind comes from `eventType` or `i:type`.
 */
export function decodeGetEventResult(body: string | Uint8Array, format: TwsFormat, opts: DecodeOptions = {}): Decoded<TwsEvent | null> {
  const r = decodeResult(body, format, opts);
  if (!r.ok) return r;
  const v = r.value.value;
  if (v === null || v === '') return { ok: true, value: null };
  if (!isObject(v)) return fail('unknownEvent', `${r.value.key} is not an event object`);
  // A result wrapping the CTLK element (`<TWS_GetEventResult><CTLKCallEvent>…`) or the members directly.
  const keys = Object.keys(v);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only !== undefined && /^ctlk\w*event$/i.test(only) && isObject(v[only])) {
    return eventFromValue(v[only] ?? null, only, 'poll', r.value.repaired);
  }
  const jsonType = str(v, '__type');
  const root = r.value.xsiType ?? (jsonType ? (jsonType.split(':')[0] ?? 'CTLKGenericEvent') : 'CTLKGenericEvent');
  return eventFromValue(v, root, 'poll', r.value.repaired);
}

/** TWS_QueryCCosByDevice (L1507–1566): the calls of a device; null = not monitored / bad token. */
export function decodeCallsSnapshot(body: string | Uint8Array, format: TwsFormat, opts: DecodeOptions = {}): Decoded<TwsCco[] | null> {
  const r = decodeResult(body, format, opts);
  if (!r.ok) return r;
  if (r.value.value === null) return { ok: true, value: null };
  return { ok: true, value: ccos(r.value.value) };
}
