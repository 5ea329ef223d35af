// The inbound SOAP calls CTIPS makes to the app's own callback service (manual L1080–L1106, digest
// §1.6, §4): `PublishCTIEvent(CTIEvent event)` (one event: the header L1116–L1126 and the typed
// fields of its table), `HeartbeatMessage()` and `StartSession(userinfo, sessionId)`; the app's
// replies to them; and the reverse encoders (a simulator's side, round-trip tests). The event type
// comes from `EventType` (or the `i:type`), with the §7 #14 aliases; an unknown type is
// `kind: 'unknown'` with the raw fields, and an unknown enum value `{ known: false, raw }`, never
// an error. Pure; never throws.
import { escapeXmlAttr, escapeXmlText } from '../xml-text.js';
import { decodeEnum, enumNameFor, type CtipsEnumValue } from './enums.js';
import { fail, okValue, type Decoded } from './result.js';
import {
  decodeFields,
  encodeValue,
  eventFieldAliases,
  eventSpecs,
  headerFields,
  rawOf,
  structSpecs,
  type CtipsEventFields,
  type CtipsEventFieldsIn,
  type CtipsEventType,
  type FieldType,
  type RawValue,
  type StructOut,
} from './schema.js';
import { buildEnvelope, buildFault, child, ctipsSoapAction, DEFAULT_CTIPS_PROFILE, isNil, parseEnvelope, xsiType, XSI_NS, type CtipsWireProfile, type XmlOptions } from './wire.js';

export type CtipsEventKind = 'agent' | 'call' | 'route' | 'system';

/** Documented category of every event type (L1130–L1135, the chapter 4 sections). */
export const eventKinds: Readonly<Record<CtipsEventType, CtipsEventKind>> = {
  AgentLoginStateChange: 'agent', AgentLoginRequestFailed: 'agent', AgentStateChange: 'agent', AgentRequestFailed: 'agent', AudioPathStateChange: 'agent',
  EnterPasscode: 'agent', ServiceStateChange: 'agent',
  CallCleared: 'call', CallCompleted: 'call', CallConferenced: 'call', CallConnected: 'call', CallConsultation: 'call', CallDataUpdate: 'call', CallDelivered: 'call',
  CallEnd: 'call', CallEstablished: 'call', CallHeld: 'call', CallOffered: 'call', CallOriginated: 'call', CallRequestFailed: 'call', CallRetrieved: 'call',
  CallStarted: 'call', CallTransferred: 'call', DigitsDialed: 'call',
  RouteRequest: 'route', RouteUsed: 'route', RouteReject: 'route', RouteRequestFailed: 'route',
  SnapShotUpdate: 'system', LinkStatus: 'system', SnapShotRequestFailed: 'system',
};

const categoryOfKind: Record<CtipsEventKind, 'EventCategoryAgent' | 'EventCategoryCall' | 'EventCategoryRoute' | 'EventCategorySystem'> = {
  agent: 'EventCategoryAgent', call: 'EventCategoryCall', route: 'EventCategoryRoute', system: 'EventCategorySystem',
};

export interface CtipsEventHeader {
  /** EventCategory as sent (null when absent). */
  category: CtipsEnumValue<'CTIEventCategory'> | null;
  /** The originating request, or 0 for unsolicited events (L1143; null/absent is read as 0, §7 #7). */
  requestId: number;
  tenantId: number | null;
  siteId: number | null;
  switchId: number | null;
  serviceId: number | null;
  agentId: number | null;
}

interface EventBase {
  header: CtipsEventHeader;
  /** Field paths present but unparseable (their value is null). */
  invalid: string[];
  /** Every element of the event as received. */
  raw: RawValue;
}

export type CtipsKnownEvent = {
  [T in CtipsEventType]: EventBase & { kind: CtipsEventKind; type: T; fields: CtipsEventFields<T> };
}[CtipsEventType];

export interface CtipsUnknownEvent extends EventBase {
  kind: 'unknown';
  /** The EventType (or i:type) text as received, or the enum member without a field table (`Filter`, `SnapShot`, `INVALID`). */
  type: string;
}

export type CtipsEvent = CtipsKnownEvent | CtipsUnknownEvent;

export type CtipsCallback =
  | { operation: 'PublishCTIEvent'; soapVersion: '1.1' | '1.2'; event: CtipsEvent }
  | { operation: 'HeartbeatMessage'; soapVersion: '1.1' | '1.2' }
  | { operation: 'StartSession'; soapVersion: '1.1' | '1.2'; userName: string | null; password: string | null; sessionId: string | null };

export const callbackOperations = ['PublishCTIEvent', 'HeartbeatMessage', 'StartSession'] as const;
export type CtipsCallbackOperation = (typeof callbackOperations)[number];

function eventTypeOf(ev: Parameters<typeof child>[0] & object): { known: CtipsEventType | null; text: string } {
  const et = child(ev, 'EventType');
  let text = et && !isNil(et) ? et.text : '';
  if (text === '') text = (xsiType(ev) ?? '').replace(/Event$/, '');
  if (text === '') return { known: null, text: '' };
  const d = decodeEnum('CTIEventType', text);
  if (d.known && Object.hasOwn(eventSpecs, d.name)) return { known: d.name as CtipsEventType, text };
  return { known: null, text: d.known ? d.name : text.slice(0, 200) };
}

/** Decode one `<event>` element. */
export function decodeEventElement(ev: NonNullable<Parameters<typeof child>[0]>): CtipsEvent {
  const ctx = { invalid: [] as string[] };
  const hdr = decodeFields(ev, Object.fromEntries(headerFields.map((f) => [f, 'int'])) as Record<string, FieldType>, ctx, '', {});
  const cat = child(ev, 'EventCategory');
  const header: CtipsEventHeader = {
    category: cat && !isNil(cat) && cat.text !== '' ? decodeEnum('CTIEventCategory', cat.text) : null,
    requestId: (hdr.RequestId as number | null) ?? 0,
    tenantId: hdr.TenantId as number | null,
    siteId: hdr.SiteId as number | null,
    switchId: hdr.SwitchId as number | null,
    serviceId: hdr.ServiceId as number | null,
    agentId: hdr.AgentId as number | null,
  };
  const raw = rawOf(ev);
  const t = eventTypeOf(ev);
  if (t.known === null) return { kind: 'unknown', type: t.text, header, invalid: ctx.invalid, raw };
  const fields = decodeFields(ev, eventSpecs[t.known] as Record<string, FieldType>, ctx, '', eventFieldAliases);
  return { kind: eventKinds[t.known], type: t.known, header, fields, invalid: ctx.invalid, raw } as CtipsKnownEvent;
}

/** Decode an inbound callback request (PublishCTIEvent, HeartbeatMessage, StartSession). */
export function decodeCtipsCallback(input: string | Uint8Array, opts: XmlOptions = {}): Decoded<CtipsCallback> {
  const env = parseEnvelope(input, opts);
  if (!env.ok) return env;
  const p = env.value.payload;
  const soapVersion = env.value.soapVersion;
  const op = callbackOperations.find((o) => o.toLowerCase() === p.name.toLowerCase());
  if (op === undefined) return fail('unknownOperation', `unknown callback operation <${p.name.slice(0, 60)}>`);
  if (op === 'HeartbeatMessage') return okValue({ operation: op, soapVersion });
  if (op === 'StartSession') {
    const ui = child(p, 'userinfo') ?? child(p, 'UserCredentials');
    const text = (n: ReturnType<typeof child>): string | null => (n && !isNil(n) ? n.text : null);
    if (!ui) return fail('badShape', 'StartSession without <userinfo>');
    return okValue({ operation: op, soapVersion, userName: text(child(ui, 'UserName')), password: text(child(ui, 'Password')), sessionId: text(child(p, 'sessionId')) });
  }
  const ev = child(p, 'event');
  if (!ev) return fail('badShape', 'PublishCTIEvent without <event>');
  return okValue({ operation: op, soapVersion, event: decodeEventElement(ev) });
}

// ---- Helpers for the connector -------------------------------------------------------------

export interface CallerInfo {
  ani: string | null;
  dnis: string | null;
  firstName: string | null;
  lastName: string | null;
  phoneNumber: string | null;
  callerId: string | null;
  /** Call data items (key → value; later keys win); null keys dropped. */
  callData: Record<string, string | null>;
}

/** ANI/DNIS/names/call data of a call event: its own ANI/DNIS fields, else CallInfo[0] (§7 #42). */
export function callerInfo(e: CtipsEvent): CallerInfo | null {
  if (e.kind === 'unknown') return null;
  const f = e.fields as Record<string, unknown>;
  const info = Array.isArray(f.CallInfo) ? (f.CallInfo[0] as StructOut<'CTICallInfo'> | null | undefined) : undefined;
  const items: Array<StructOut<'CTICallDataItem'> | null> = [...(info?.CallData ?? []), ...(Array.isArray(f.CallData) ? (f.CallData as Array<StructOut<'CTICallDataItem'> | null>) : [])];
  if (!info && !('ANI' in f) && !('DNIS' in f) && items.length === 0) return null;
  const callData: Record<string, string | null> = {};
  for (const it of items) if (it && it.key !== null) Object.defineProperty(callData, it.key, { value: it.value, enumerable: true, writable: true, configurable: true });
  const s = (x: unknown): string | null => (typeof x === 'string' ? x : null);
  return {
    ani: s(f.ANI) ?? info?.ANI ?? null,
    dnis: s(f.DNIS) ?? info?.DNIS ?? null,
    firstName: info?.FirstName ?? null,
    lastName: info?.LastName ?? null,
    phoneNumber: info?.PhoneNumber ?? null,
    callerId: info?.CallerId ?? null,
    callData,
  };
}

/** True for an event no request of ours caused (RequestId 0, L1143). */
export function isUnsolicited(e: CtipsEvent): boolean {
  return e.header.requestId === 0;
}

// ---- The app's replies to the callbacks ----------------------------------------------------

/**
 * The reply body to a callback: PublishCTIEvent → empty `<PublishCTIEventResponse/>` (or send HTTP
 * 202 with no body, §1.5 #9); HeartbeatMessage → `<HeartbeatMessageResult>` (any int, L1096);
 * StartSession → `<StartSessionResult>` (0 = accepted [SIM], §7 #28).
 */
export function encodeCallbackReply(op: CtipsCallbackOperation, result = 0, profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE): string {
  const ns = escapeXmlAttr(profile.callbackNamespace);
  const inner = op === 'PublishCTIEvent' ? '' : `<${op}Result>${Math.trunc(result)}</${op}Result>`;
  const el = inner === '' ? `<${op}Response xmlns="${ns}"/>` : `<${op}Response xmlns="${ns}">${inner}</${op}Response>`;
  return buildEnvelope(profile, el, `${ctipsSoapAction(profile, 'callback', op)}Response`);
}

/** A fault reply from the callback service (an unknown operation, a malformed call). */
export function encodeCallbackFault(reason: string, profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE): string {
  return buildEnvelope(profile, buildFault(profile, 'Client', reason), 'http://www.w3.org/2005/08/addressing/soap/fault');
}

/** Read a callback reply (the CTIPS side; tests): the int result, or null for PublishCTIEvent. */
export function decodeCallbackReply(input: string | Uint8Array, opts: XmlOptions = {}): Decoded<{ operation: CtipsCallbackOperation; result: number | null }> {
  const env = parseEnvelope(input, opts);
  if (!env.ok) return env;
  const p = env.value.payload;
  if (p.name === 'Fault') return fail('fault', `callback fault: ${(child(p, 'faultstring') ?? child(child(p, 'Reason'), 'Text'))?.text.slice(0, 300) ?? ''}`);
  const op = callbackOperations.find((o) => `${o}Response`.toLowerCase() === p.name.toLowerCase());
  if (op === undefined) return fail('unknownOperation', `not a callback reply: <${p.name.slice(0, 60)}>`);
  const r = child(p, `${op}Result`);
  if (!r) return okValue({ operation: op, result: null });
  return /^[+-]?[0-9]{1,10}$/.test(r.text) ? okValue({ operation: op, result: Number(r.text) }) : fail('badShape', `${op}Result is not an integer`);
}

// ---- Reverse encoders (CTIPS side: simulator, round-trip tests) -----------------------------

export interface CtipsEventHeaderIn {
  RequestId?: number;
  TenantId?: number;
  SiteId?: number;
  SwitchId?: number;
  ServiceId?: number;
  AgentId?: number;
}

function callbackEnvelope(profile: CtipsWireProfile, op: CtipsCallbackOperation, inner: string): string {
  const ns = escapeXmlAttr(profile.callbackNamespace);
  return buildEnvelope(profile, inner === '' ? `<${op} xmlns="${ns}"/>` : `<${op} xmlns="${ns}">${inner}</${op}>`, ctipsSoapAction(profile, 'callback', op));
}

/** A PublishCTIEvent call: all 8 header fields (0 when not given, §4.1 [SIM]) and the given fields in table order. */
export function encodePublishCTIEvent<T extends CtipsEventType>(type: T, header: CtipsEventHeaderIn, fields: CtipsEventFieldsIn<T>, profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE): Decoded<string> {
  if (!Object.hasOwn(eventSpecs, type)) return fail('badField', `unknown event type ${String(type).slice(0, 60)}`, { field: 'EventType' });
  let inner = `<a:EventCategory>${categoryOfKind[eventKinds[type]]}</a:EventCategory><a:EventType>${enumNameFor('CTIEventType', type) ?? type}</a:EventType>`;
  for (const h of headerFields) {
    const r = encodeValue(h, 'int', header[h] ?? 0);
    if (typeof r !== 'string') return fail('badField', r.message, { field: r.field });
    inner += r;
  }
  for (const [f, t] of Object.entries(eventSpecs[type]) as Array<[string, FieldType]>) {
    const v = (fields as Record<string, unknown>)[f];
    if (v === undefined) continue;
    const r = encodeValue(f, t, v);
    if (typeof r !== 'string') return fail('badField', `${type}: ${r.message}`, { field: r.field });
    inner += r;
  }
  const ev =
    `<event i:type="a:${type}Event" xmlns:a="${escapeXmlAttr(profile.dataNamespace)}" xmlns:i="${XSI_NS}" xmlns:b="${escapeXmlAttr(profile.arraysNamespace)}">` +
    `${inner}</event>`;
  return okValue(callbackEnvelope(profile, 'PublishCTIEvent', ev));
}

export function encodeHeartbeatMessage(profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE): string {
  return callbackEnvelope(profile, 'HeartbeatMessage', '');
}

export function encodeStartSession(userName: string, password: string, sessionId: string, profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE): string {
  const a = escapeXmlAttr(profile.dataNamespace);
  return callbackEnvelope(
    profile,
    'StartSession',
    `<userinfo xmlns:a="${a}"><a:UserName>${escapeXmlText(userName)}</a:UserName><a:Password>${escapeXmlText(password)}</a:Password></userinfo><sessionId>${escapeXmlText(sessionId)}</sessionId>`,
  );
}

/** Field tables of the data classes, for callers that render snapshot data generically. */
export const dataClassFields: Readonly<Record<string, readonly string[]>> = Object.fromEntries(Object.entries(structSpecs).map(([k, v]) => [k, Object.keys(v)]));
