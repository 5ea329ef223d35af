// Request builders for the 27 CTIPS operations (manual Chapter 3, digest §3.2–§3.3), exactly as
// the manual names them and their fields, in its table order (or alphabetical, per profile), and a
// reader of request envelopes (a simulator's side; round-trip tests). Mandatory fields are checked
// (`missingField`), values against their types and the manual's rules (`badField`): int32 ids,
// RequestId ≠ 0 (L636), MultiLine 0/1 (L663), ≤ 20 UserData (L1049), the conditional fields of
// TransferCall (L1031–L1032) and PanicLogout (L706). Pure; never throws.
import { escapeXmlAttr } from '../xml-text.js';
import { fail, okValue, type Decoded } from './result.js';
import {
  ctipsOperations,
  decodeFields,
  encodeValue,
  normField,
  requestSpecs,
  type CtipsArgs,
  type CtipsOperation,
  type FieldType,
  type Need,
} from './schema.js';
import { buildEnvelope, ctipsSoapAction, ctipsHttpHeaders, DEFAULT_CTIPS_PROFILE, parseEnvelope, XSI_NS, type CtipsWireProfile, type EnvelopeOptions, type XmlOptions } from './wire.js';

export interface CtipsRequest {
  operation: CtipsOperation;
  /** SOAPAction value (unquoted). */
  action: string;
  /** HTTP headers (Content-Type, and SOAPAction for 1.1). */
  headers: Record<string, string>;
  /** The envelope (XML text, values escaped). */
  body: string;
  /** The RequestId sent, for operations that have one (agent, call and route requests, L636). */
  requestId: number | null;
}

export function isCtipsOperation(s: string): s is CtipsOperation {
  return Object.hasOwn(requestSpecs, s);
}

/** Operations whose args carry a RequestId (every agent, call-control and routing request). */
export const operationsWithRequestId: readonly CtipsOperation[] = ctipsOperations.filter((o) => Object.hasOwn(requestSpecs[o], 'RequestId'));

const MAX_USER_DATA = 20;

type Spec = Record<string, readonly [FieldType, Need]>;

function checkRules(op: CtipsOperation, a: Record<string, unknown>): Decoded<null> {
  if (Object.hasOwn(a, 'RequestId') && a.RequestId === 0) return fail('badField', `${op}: RequestId must not be 0 (0 marks unsolicited events, L1143)`, { field: 'RequestId' });
  if (op === 'LoginAgent' && a.MultiLine !== 0 && a.MultiLine !== 1) return fail('badField', 'LoginAgent: MultiLine must be 0 or 1 (L663)', { field: 'MultiLine' });
  if (Array.isArray(a.UserData) && a.UserData.length > MAX_USER_DATA) return fail('badField', `${op}: at most ${MAX_USER_DATA} UserData entries (L1049)`, { field: 'UserData' });
  if (op === 'OpenConnection') {
    const t = a.TenantIds;
    if (Array.isArray(t) && t.length !== 1) return fail('badField', 'OpenConnection: TenantIds must hold exactly one tenant (L456)', { field: 'TenantIds' });
    const c = a.UserCredentials as Record<string, unknown> | null;
    if (c === null || typeof c !== 'object' || typeof c.UserName !== 'string' || c.UserName === '') return fail('missingField', 'OpenConnection needs UserCredentials.UserName', { field: 'UserCredentials.UserName' });
    if (typeof c.Password !== 'string') return fail('missingField', 'OpenConnection needs UserCredentials.Password', { field: 'UserCredentials.Password' });
  }
  if (op === 'TransferCall') {
    if (a.TransferType === 'Blind' && (typeof a.DestinationAddress !== 'string' || a.DestinationAddress === '')) return fail('missingField', 'TransferCall: a Blind transfer needs DestinationAddress (L1031)', { field: 'DestinationAddress' });
    if (a.TransferType === 'Consultation' && a.ConsultationCallId === undefined) return fail('missingField', 'TransferCall: a Consultation transfer needs ConsultationCallId (L1032)', { field: 'ConsultationCallId' });
  }
  if (op === 'PanicLogout' && a.LogoutAllAgents === false && !(Array.isArray(a.AgentLoginNameList) && a.AgentLoginNameList.length > 0)) {
    return fail('missingField', 'PanicLogout needs AgentLoginNameList unless LogoutAllAgents is true (L706)', { field: 'AgentLoginNameList' });
  }
  if (op === 'MakeCall' && a.DestinationType !== 'NoDestination' && (typeof a.DestinationAddress !== 'string' || a.DestinationAddress === '')) {
    return fail('missingField', 'MakeCall needs DestinationAddress unless DestinationType is NoDestination', { field: 'DestinationAddress' });
  }
  if (op === 'RouteSelect' && a.RouteActionType !== 'RouteToDefault' && (typeof a.RouteDestination !== 'string' || a.RouteDestination === '')) {
    return fail('missingField', 'RouteSelect needs RouteDestination unless RouteActionType is RouteToDefault (L1044–L1047)', { field: 'RouteDestination' });
  }
  return okValue(null);
}

/** The `<args>` content of an operation (fields as `a:Name`), validated. */
export function encodeArgs<O extends CtipsOperation>(op: O, args: CtipsArgs<O>, profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE): Decoded<string> {
  if (!isCtipsOperation(op)) return fail('unknownOperation', `unknown CTIPS operation ${String(op).slice(0, 60)}`);
  if (args === null || typeof args !== 'object') return fail('badShape', `${op}: args must be an object`);
  const a = args as Record<string, unknown>;
  const spec = requestSpecs[op] as Spec;
  for (const [f, [, need]] of Object.entries(spec)) {
    const v = a[f];
    if (need === 'req' && (v === undefined || v === null || v === '')) return fail('missingField', `${op} needs ${f}`, { field: f });
  }
  const rules = checkRules(op, a);
  if (!rules.ok) return rules;
  let fields = Object.entries(spec);
  if (profile.fieldOrder === 'alphabetical') fields = [...fields].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  let inner = '';
  for (const [f, [t]] of fields) {
    const v = a[f];
    if (v === undefined) continue;
    const r = encodeValue(f, t, v);
    if (typeof r !== 'string') return fail('badField', `${op}: ${r.message}`, { field: r.field });
    inner += r;
  }
  return okValue(inner);
}

/** Build a request: `{ operation, action, headers, body, requestId }`. */
export function buildCtipsRequest<O extends CtipsOperation>(op: O, args: CtipsArgs<O>, profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE, env: EnvelopeOptions = {}): Decoded<CtipsRequest> {
  const inner = encodeArgs(op, args, profile);
  if (!inner.ok) return inner;
  const action = ctipsSoapAction(profile, 'request', op);
  const xml =
    `<${op} xmlns="${escapeXmlAttr(profile.requestNamespace)}"><args xmlns:a="${escapeXmlAttr(profile.dataNamespace)}" xmlns:i="${XSI_NS}" xmlns:b="${escapeXmlAttr(profile.arraysNamespace)}">` +
    `${inner.value}</args></${op}>`;
  const rid = (args as Record<string, unknown>).RequestId;
  return okValue({ operation: op, action, headers: ctipsHttpHeaders(profile, action), body: buildEnvelope(profile, xml, action, env), requestId: typeof rid === 'number' ? rid : null });
}

// ---- Named builders (the manual's operations, plus the desktop verbs the brief names) ------------

type Common = { SessionId: string; TenantId: number };
type Without<O extends CtipsOperation> = Omit<CtipsArgs<O>, 'SessionId' | 'TenantId'>;

/** A request factory bound to one session and tenant (the fields every request carries, L454–L458). */
export function ctipsRequests(session: Common, profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE) {
  const b = <O extends CtipsOperation>(op: O, rest: object): Decoded<CtipsRequest> => buildCtipsRequest(op, { SessionId: session.SessionId, TenantId: session.TenantId, ...rest } as unknown as CtipsArgs<O>, profile);
  return {
    closeConnection: (): Decoded<CtipsRequest> => buildCtipsRequest('CloseConnection', { SessionId: session.SessionId }, profile),
    onLine: () => b('OnLine', {}),
    offLine: () => b('OffLine', {}),
    addMessageClass: (a: Without<'AddMessageClass'>) => b('AddMessageClass', a),
    deleteMessageClass: (a: Without<'DeleteMessageClass'>) => b('DeleteMessageClass', a),
    addFilter: (a: Without<'AddFilter'>) => b('AddFilter', a),
    deleteFilter: (a: Without<'DeleteFilter'>) => b('DeleteFilter', a),
    snapshot: (a: Without<'Snapshot'>) => b('Snapshot', a),
    loginAgent: (a: Without<'LoginAgent'>) => b('LoginAgent', a),
    logoutAgent: (a: Without<'LogoutAgent'>) => b('LogoutAgent', a),
    panicLogout: (a: Without<'PanicLogout'>) => b('PanicLogout', a),
    setAgentState: (a: Without<'SetAgentState'>) => b('SetAgentState', a),
    /** Ready = SetAgentState(Idle). */
    ready: (a: { RequestId: number; AgentId: number }) => b('SetAgentState', { ...a, NewState: 'Idle' }),
    /** Not ready = SetAgentState(NotReady); the protocol has no not-ready reason (L727, digest §7 #38). */
    notReady: (a: { RequestId: number; AgentId: number }) => b('SetAgentState', { ...a, NewState: 'NotReady' }),
    notReadyPark: (a: { RequestId: number; AgentId: number }) => b('SetAgentState', { ...a, NewState: 'NotReadyPark' }),
    getAgentState: (a: Without<'GetAgentState'>) => b('GetAgentState', a),
    setDisposition: (a: Without<'SetDisposition'>) => b('SetDisposition', a),
    acceptCall: (a: Without<'AcceptCall'>) => b('AcceptCall', a),
    clearCall: (a: Without<'ClearCall'>) => b('ClearCall', a),
    conferenceCall: (a: Without<'ConferenceCall'>) => b('ConferenceCall', a),
    consultationCall: (a: Without<'ConsultationCall'>) => b('ConsultationCall', a),
    getCallData: (a: Without<'GetCallData'>) => b('GetCallData', a),
    setCallData: (a: Without<'SetCallData'>) => b('SetCallData', a),
    holdCall: (a: Without<'HoldCall'>) => b('HoldCall', a),
    retrieveCall: (a: Without<'RetrieveCall'>) => b('RetrieveCall', a),
    makeCall: (a: Without<'MakeCall'>) => b('MakeCall', a),
    sendDTMFDigits: (a: Without<'SendDTMFDigits'>) => b('SendDTMFDigits', a),
    transferCall: (a: Without<'TransferCall'>) => b('TransferCall', a),
    blindTransfer: (a: Omit<Without<'TransferCall'>, 'TransferType' | 'ConsultationCallId'> & { DestinationAddress: string }) => b('TransferCall', { ...a, TransferType: 'Blind' }),
    consultationTransfer: (a: Omit<Without<'TransferCall'>, 'TransferType'> & { ConsultationCallId: number }) => b('TransferCall', { ...a, TransferType: 'Consultation' }),
    /**
     * Cancel a consultation: there is no such operation; it is ClearCall on the consultation call
     * then RetrieveCall on the held customer call (digest §9 [INF]). Two requests, two RequestIds.
     */
    cancelConsultation: (a: { AgentId: number; CallId: number; ConsultationCallId: number; clearRequestId: number; retrieveRequestId: number }): Decoded<[CtipsRequest, CtipsRequest]> => {
      const c = b('ClearCall', { RequestId: a.clearRequestId, AgentId: a.AgentId, CallId: a.ConsultationCallId });
      if (!c.ok) return c;
      const r = b('RetrieveCall', { RequestId: a.retrieveRequestId, AgentId: a.AgentId, CallId: a.CallId });
      return r.ok ? okValue([c.value, r.value]) : r;
    },
    routeSelect: (a: Without<'RouteSelect'>) => b('RouteSelect', a),
  };
}

/** OpenConnection has no session yet (L470–L475). */
export function buildOpenConnection(args: CtipsArgs<'OpenConnection'>, profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE): Decoded<CtipsRequest> {
  return buildCtipsRequest('OpenConnection', args, profile);
}

// ---- Reading a request back (simulator, tests) ---------------------------------------------

export interface CtipsRequestRead {
  operation: CtipsOperation;
  soapVersion: '1.1' | '1.2';
  /** Fields by canonical name (absent ints 0, strings null, arrays []); enums as decoded values. */
  args: Record<string, unknown>;
  /** Field paths that were present but did not parse. */
  invalid: string[];
}

/** Decode a request envelope; dispatches on the Body element's local name (digest §1.5 #4). */
export function decodeCtipsRequest(input: string | Uint8Array, opts: XmlOptions = {}): Decoded<CtipsRequestRead> {
  const env = parseEnvelope(input, opts);
  if (!env.ok) return env;
  const op = env.value.payload.name;
  const canonical = ctipsOperations.find((o) => o.toLowerCase() === op.toLowerCase());
  if (canonical === undefined) return fail('unknownOperation', `unknown CTIPS operation <${op.slice(0, 60)}>`);
  const argsNode = env.value.payload.children.find((c) => c.name.toLowerCase() === 'args');
  if (!argsNode) return fail('badShape', `<${op}> without <args>`);
  const spec = Object.fromEntries(Object.entries(requestSpecs[canonical] as Spec).map(([f, [t]]) => [f, t])) as Record<string, FieldType>;
  const ctx = { invalid: [] as string[] };
  const args = decodeFields(argsNode, spec, ctx, '', {});
  return okValue({ operation: canonical, soapVersion: env.value.soapVersion, args, invalid: ctx.invalid });
}

/** The canonical field name for a manual spelling (`Initial State` → `InitialState`), or null. */
export function canonicalRequestField(op: CtipsOperation, name: string): string | null {
  const n = normField(name);
  for (const f of Object.keys(requestSpecs[op])) if (normField(f) === n) return f;
  const aliases: Record<string, string> = { tenantid: 'TenantIds', userinfo: 'UserCredentials', routetype: 'RouteActionType' };
  const a = aliases[n];
  return a !== undefined && Object.hasOwn(requestSpecs[op], a) ? a : null;
}
