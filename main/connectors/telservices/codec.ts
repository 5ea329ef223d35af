// TelServices XML codec: typed PDUs <-> compact XML. Pure; decoders never throw.
// Every structure is described once as a field schema (name, kind, required) in the manual's
// documented order; encoders walk the schema in that order and decoders accept any order.
import type {
  TelEvent,
  TelEventBody,
  TelReply,
  TelRequest,
  TelRequestOp,
} from './types.js';
import {
  agentsDistributions,
  eventUpdateLevels,
  historyRecordTypes,
  numberTypes,
  onOffValues,
  routingPointStates,
  routingSnapshotCounters,
  routingTotalCounters,
  statisticsTypes,
  telAgentStates,
  telCallStates,
  telErrorNames,
  telForwardTypes,
  telServices,
  telSessionEvents,
  userTotalCounters,
} from './types.js';
import {
  codecError,
  escapeXml,
  parseDocument,
  type Decoded,
  type ParseOptions,
  type TelCodecError,
  type TelCodecErrorKind,
  type XNode,
} from './xml-tree.js';

export * from './types.js';
export {
  DEFAULT_MAX_BYTES,
  findRootEnd,
  splitPdus,
  type Decoded,
  type ParseOptions,
  type TelCodecError,
  type TelCodecErrorKind,
} from './xml-tree.js';

// ---------------------------------------------------------------- schema

type Spec =
  | { k: 'str' }
  | { k: 'int' }
  | { k: 'bool' }
  /** ENUMERATED: `<field><value/></field>`; the text form `<field>value</field>` is accepted too. */
  | { k: 'enum'; values: readonly string[] }
  /** An enumerated token from an open set (cause): any element name is kept. */
  | { k: 'token' }
  | { k: 'struct'; fields: Field[] }
  /** SEQUENCE OF: wrapper element holding repeated `item` elements. */
  | { k: 'list'; item: string; of: Spec }
  /** SEQUENCE OF ENUMERATED: wrapper holding empty elements named after the values. */
  | { k: 'enumList'; values: readonly string[] };

interface Field {
  name: string;
  spec: Spec;
  required?: boolean;
  /** Value used when the element is absent (isConference: absent means false). */
  absentAs?: unknown;
  /** Other element names accepted on decode (forward request: `<info>` or `<forward>`). */
  aliases?: string[];
  /** Property name in the typed value, when it differs from the element name. */
  prop?: string;
}

const str: Spec = { k: 'str' };
const int: Spec = { k: 'int' };
const bool: Spec = { k: 'bool' };
const en = (values: readonly string[]): Spec => ({ k: 'enum', values });
const struct = (...fields: Field[]): Spec => ({ k: 'struct', fields });
const listOf = (item: string, of: Spec): Spec => ({ k: 'list', item, of });
const f = (name: string, spec: Spec, extra: Omit<Field, 'name' | 'spec'> = {}): Field => ({ name, spec, ...extra });
const req = (name: string, spec: Spec, extra: Omit<Field, 'name' | 'spec'> = {}): Field => ({
  name,
  spec,
  required: true,
  ...extra,
});

/** otherParty shape, call-event order (L1785–L1789). */
const callParty = struct(req('number', str), f('name', str), f('company', str), f('numberType', en(numberTypes)));
/** Directory party order, as the searchDirectory and updateUserDirectory examples show it. */
const directoryParty = struct(req('number', str), f('name', str), f('numberType', en(numberTypes)), f('company', str));
const forwardRecord = struct(req('number', str), req('type', en(telForwardTypes)), req('state', en(onOffValues)));
const services = listOf('service', str);

const agentInfo = struct(
  f('userID', str),
  req('state', en(telAgentStates)),
  f('timeout', int),
  f('inboundServices', services),
  f('outboundServices', services),
  f('permittedStates', { k: 'enumList', values: telAgentStates }),
);

const callInfo = struct(
  req('state', en(telCallStates)),
  req('otherParty', callParty),
  f('addedParties', listOf('otherParty', callParty)),
  f('firstOtherParty', callParty),
  f('firstCalledParty', callParty),
  f('lastRedirectionParty', callParty),
  req('duration', int),
  req('isOutgoing', bool),
  f('isConference', bool, { absentAs: false }),
  f('callReference', str),
  f('cause', { k: 'token' }),
);

const call = struct(
  req('id', str),
  f('primCall', callInfo),
  f('secCall', callInfo),
  f('permittedServices', { k: 'enumList', values: telServices }),
  f('extraData', str),
);

const historyRecord = struct(
  f('deviceNumber', str),
  f('userID', str),
  req('creationDate', str),
  req('creationTime', str),
  f('otherParty', callParty),
  f('alertingDuration', int),
  f('duration', int),
  f('isOutgoing', bool),
  f('isConnected', bool),
  f('cause', { k: 'token' }),
  f('agentState', en(telAgentStates)),
);

const routingConfig = struct(
  f('serviceTimeout', int),
  f('workingHours', str),
  f('nonWorkingDaysOfWeek', str),
  f('nonWorkingDays', str),
  f('noAnswerTimeout', int),
  f('failedCallRetryTimeout', int),
  f('failedCallRetryLimit', int),
  f('agentWorkingAfterCallTimeout', int),
  f('agentsDistribution', en(agentsDistributions)),
  f('queueLimit', int),
  f('agentLoggedOnOnOpenSession', bool),
  f('agentReadyOnLoggedOn', bool),
  f('statisticsIncomingCallImmediateAbandonTimeout', int),
);

const counterFields = (names: readonly string[]): Field[] => names.map((n) => f(n, str));

const dev = req('deviceNumber', str);
const twoCalls = [dev, f('primOtherNumber', str), f('secOtherNumber', str)];
const oneCall = [dev, f('otherNumber', str)];
const service = req('service', str);

/** Every request element of the manual (36), with its fields in documented order. */
const requestSchemas: Record<TelRequestOp, Field[]> = {
  openSession: [
    dev,
    f('eventUDPPort', int),
    f('eventUpdate', en(eventUpdateLevels)),
    f('userID', str),
    f('userPassword', str),
    f('sessionTimeout', int),
    f('startPbxMonitor', bool),
  ],
  closeSession: [dev, f('actualCloseSessionTimeout', int), f('clientOnly', bool)],
  addPartyToCall: [...oneCall, req('addedDeviceNumber', str), f('extraData', str)],
  agentState: [dev, req('state', en(telAgentStates))],
  alternateCall: twoCalls,
  answerCall: [dev, f('callingNumber', str)],
  conferenceCall: twoCalls,
  consultationCall: [...oneCall, req('consultedDeviceNumber', str), f('extraData', str)],
  divertCall: [...oneCall, req('divertedDeviceNumber', str), f('extraData', str)],
  doNotDisturb: [dev, req('state', en(onOffValues))],
  dropCall: oneCall,
  // The parameter list calls it `forward` (L490); the example uses `<info>` (L502). Send `<info>`.
  forward: [dev, req('info', forwardRecord, { aliases: ['forward'] })],
  holdCall: oneCall,
  makeCall: [dev, req('calledDeviceNumber', str), f('extraData', str)],
  qualifyCall: [dev, f('answerCall', bool), f('needName', bool)],
  queryAgentState: [dev],
  queryDoNotDisturb: [dev],
  queryForward: [dev],
  queryHistory: [
    f('recordType', en(historyRecordTypes)),
    f('deviceNumber', str),
    f('userID', str),
    f('startDate', str),
    f('startHour', int),
    f('endDate', str),
    f('search', str),
    f('limit', int),
  ],
  queryMsgWaiting: [dev],
  queryUserStatistics: [dev, f('userID', str), req('type', en(statisticsTypes))],
  reconnectCall: twoCalls,
  retrieveCall: oneCall,
  searchName: [f('userID', str), f('deviceNumber', str), req('name', str), f('limit', int)],
  searchNumber: [f('userID', str), f('deviceNumber', str), req('number', str)],
  snapshot: [dev, f('resultOnEvent', struct(req('timeout', int), req('snapshotSeq', str)))],
  transferCall: twoCalls,
  updateUserDirectory: [
    f('userID', str),
    f('deviceNumber', str),
    req('directoryName', str),
    req('parties', listOf('party', directoryParty)),
  ],
  queryRoutingPointState: [service],
  queryRoutingPointStatistics: [service, req('type', en(statisticsTypes))],
  resumeRoutingPoint: [service],
  startRoutingPoint: [service, f('template', str), f('config', routingConfig)],
  stopRoutingPoint: [service],
  suspendRoutingPoint: [service],
  updateRoutingPoint: [service, f('config', routingConfig)],
  updateDirectory: [req('directoryName', str)],
};

const snapshotSchema = struct(
  f('snapshotSeq', str),
  f('calls', listOf('call', call)),
  f('forwards', listOf('forward', forwardRecord)),
  f('msgWaiting', en(onOffValues)),
  f('doNotDisturb', en(onOffValues)),
  f('agent', agentInfo),
  f('session', en(telSessionEvents)),
);

const userStatsSnapshot = struct(
  f('agentState', en(telAgentStates)),
  f('inboundServices', services),
  f('outboundServices', services),
);
const userStatsTotal = struct(f('start', str), f('inboundServices', services), ...counterFields(userTotalCounters));
const routingSnapshotAgent = struct(
  req('deviceNumber', str),
  f('userID', str),
  f('agentState', en(telAgentStates)),
  f('inboundServices', services),
);
const routingTotalAgent = struct(
  req('deviceNumber', str),
  f('start', str),
  f('userID', str),
  f('inboundServices', services),
  ...counterFields(userTotalCounters),
);
const routingStatsSnapshot = struct(
  ...counterFields(routingSnapshotCounters),
  f('agents', listOf('agent', routingSnapshotAgent)),
);
const routingStatsTotal = struct(
  f('start', str),
  f('workDuration', str),
  ...counterFields(routingTotalCounters),
  f('agents', listOf('agent', routingTotalAgent)),
);

/** A corrected spelling a fixed server might send; decoded into the manual's (misspelt) key. */
const counterAliases: Record<string, string> = {
  incomingCallsAbandonedImmediatelyCount: 'incomingCallsAbandoneddImmediatelCount',
};

// ---------------------------------------------------------------- generic decode

/** Internal control flow only: caught at each public decoder, never escapes this module. */
class DecodeFailure {
  constructor(
    readonly kind: TelCodecErrorKind,
    readonly message: string,
  ) {}
}
function fail(kind: TelCodecErrorKind, message: string): never {
  throw new DecodeFailure(kind, message);
}

type Obj = Record<string, unknown>;

function child(node: XNode, name: string): XNode | undefined {
  return node.children.find((c) => c.name === name);
}

function decodeEnumName(node: XNode, values: readonly string[] | null): string {
  let name: string;
  const only = node.children[0];
  if (node.children.length === 1 && only && only.children.length === 0 && only.text === '') name = only.name;
  else if (node.children.length === 0 && node.text !== '') name = node.text;
  else if (node.children.length === 0) fail('missingField', `<${node.name}> has no value`);
  else fail('badValue', `<${node.name}> must hold exactly one empty value element`);
  if (values && !values.includes(name)) fail('badValue', `<${node.name}> has unknown value "${name}"`);
  return name;
}

function decodeValue(node: XNode, spec: Spec): unknown {
  switch (spec.k) {
    case 'str':
      return node.text;
    case 'int':
      if (!/^[+-]?\d{1,15}$/.test(node.text)) fail('badValue', `<${node.name}> is not an integer: "${node.text.slice(0, 20)}"`);
      return Number(node.text);
    case 'bool':
      return decodeEnumName(node, ['true', 'false']) === 'true';
    case 'enum':
      return decodeEnumName(node, spec.values);
    case 'token':
      return decodeEnumName(node, null);
    case 'struct':
      return decodeStruct(node, spec.fields);
    case 'list':
      return node.children.filter((c) => c.name === spec.item).map((c) => decodeValue(c, spec.of));
    case 'enumList':
      return node.children.map((c) => {
        if (!spec.values.includes(c.name)) fail('badValue', `<${node.name}> has unknown item <${c.name}>`);
        return c.name;
      });
  }
}

function decodeStruct(node: XNode, fields: Field[]): Obj {
  const out: Obj = {};
  for (const field of fields) {
    let el = child(node, field.name);
    for (const alias of field.aliases ?? []) el ??= child(node, alias);
    if (!el) {
      const alias = Object.entries(counterAliases).find(([, canonical]) => canonical === field.name);
      if (alias) el = child(node, alias[0]);
    }
    const prop = field.prop ?? field.name;
    if (el) out[prop] = decodeValue(el, field.spec);
    else if (field.absentAs !== undefined) out[prop] = field.absentAs;
    else if (field.required) fail('missingField', `<${node.name}> lacks <${field.name}>`);
  }
  return out;
}

/** Split a struct's flat counters into the typed `counters` record. */
function withCounters(raw: Obj, names: readonly string[]): Obj {
  const counters: Obj = {};
  const rest: Obj = {};
  for (const [k, v] of Object.entries(raw)) {
    if (names.includes(k)) counters[k] = v;
    else rest[k] = v;
  }
  return { ...rest, counters };
}

function onlyChild(node: XNode): XNode {
  const [first, ...others] = node.children;
  if (!first) fail('missingField', `<${node.name}> is empty`);
  if (others.length > 0) fail('malformed', `<${node.name}> holds ${node.children.length} elements, expected one`);
  return first;
}

function run<T>(input: string | Uint8Array, opts: ParseOptions, root: string, body: (root: XNode) => T): Decoded<T> {
  const doc = parseDocument(input, opts);
  if (!doc.ok) return doc;
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, Math.min(input.byteLength, 256)).toString('utf8');
  try {
    if (doc.value.name !== root) fail('unknownRoot', `expected <${root}>, got <${doc.value.name}>`);
    return { ok: true, value: body(doc.value) };
  } catch (err) {
    if (err instanceof DecodeFailure) return { ok: false, error: codecError(err.kind, err.message, text || undefined) };
    // Defensive: nothing in the walkers should throw anything else, but a decoder must never throw.
    return { ok: false, error: codecError('malformed', `decoder failure: ${String(err)}`) };
  }
}

// ---------------------------------------------------------------- public decoders

export function decodeRequest(input: string | Uint8Array, opts: ParseOptions = {}): Decoded<TelRequest> {
  return run(input, opts, 'TelServiceRequest', (root) => {
    const op = onlyChild(root);
    const fields = (requestSchemas as Record<string, Field[] | undefined>)[op.name];
    if (!fields || !Object.hasOwn(requestSchemas, op.name)) fail('unknownElement', `unknown request <${op.name}>`);
    return { op: op.name, ...decodeStruct(op, fields) } as TelRequest;
  });
}

export function decodeReply(input: string | Uint8Array, opts: ParseOptions = {}): Decoded<TelReply> {
  return run(input, opts, 'TelServiceReturn', (root) => {
    const body = onlyChild(root);
    if (body.name === 'error') {
      const name = onlyChild(body).name;
      return (telErrorNames as readonly string[]).includes(name)
        ? ({ kind: 'error', error: name } as TelReply)
        : { kind: 'unknownError', error: name };
    }
    if (body.name !== 'result') fail('unknownElement', `<TelServiceReturn> holds <${body.name}>, expected <result> or <error>`);
    return decodeResult(onlyChild(body));
  });
}

function decodeResult(r: XNode): TelReply {
  switch (r.name) {
    case 'standard':
      return { kind: 'standard' };
    case 'qualifyCall':
      return { kind: 'qualifyCall', ...decodeStruct(r, [req('number', str), f('name', str)]) } as TelReply;
    case 'agent':
      return { kind: 'agent', agent: decodeValue(r, agentInfo) } as TelReply;
    case 'doNotDisturb':
    case 'msgWaiting':
      return { kind: r.name, state: decodeValue(r, en(onOffValues)) } as TelReply;
    case 'forwards':
      return { kind: 'forwards', forwards: decodeValue(r, listOf('forward', forwardRecord)) } as TelReply;
    case 'history':
      return { kind: 'history', records: decodeValue(r, listOf('record', historyRecord)) } as TelReply;
    case 'searchDirectory':
      return { kind: 'searchDirectory', parties: decodeValue(r, listOf('party', directoryParty)) } as TelReply;
    case 'snapshot':
      return { kind: 'snapshot', snapshot: decodeValue(r, snapshotSchema) } as TelReply;
    case 'routingPointState':
      return { kind: 'routingPointState', state: decodeValue(r, en(routingPointStates)) } as TelReply;
    case 'userStatistics': {
      const s = onlyChild(r);
      if (s.name === 'snapshot') {
        return { kind: 'userStatistics', statistics: { type: 'snapshot', ...decodeStruct(s, fieldsOf(userStatsSnapshot)) } } as TelReply;
      }
      if (s.name === 'total') {
        const raw = decodeStruct(s, fieldsOf(userStatsTotal));
        return { kind: 'userStatistics', statistics: { type: 'total', ...withCounters(raw, userTotalCounters) } } as TelReply;
      }
      return fail('unknownElement', `unknown userStatistics <${s.name}>`);
    }
    case 'routingPointStatistics': {
      const s = onlyChild(r);
      if (s.name === 'snapshot') {
        const raw = decodeStruct(s, fieldsOf(routingStatsSnapshot));
        return { kind: 'routingPointStatistics', statistics: { type: 'snapshot', ...withCounters(raw, routingSnapshotCounters) } } as TelReply;
      }
      if (s.name === 'total') {
        const raw = decodeStruct(s, fieldsOf(routingStatsTotal));
        if (Array.isArray(raw.agents)) raw.agents = raw.agents.map((a) => withCounters(a as Obj, userTotalCounters));
        return { kind: 'routingPointStatistics', statistics: { type: 'total', ...withCounters(raw, routingTotalCounters) } } as TelReply;
      }
      return fail('unknownElement', `unknown routingPointStatistics <${s.name}>`);
    }
    default:
      return fail('unknownElement', `unknown result <${r.name}>`);
  }
}

function fieldsOf(spec: Spec): Field[] {
  return spec.k === 'struct' ? spec.fields : [];
}

const eventSchemas: Record<TelEventBody['kind'], Spec> = {
  agent: agentInfo,
  call,
  forward: forwardRecord,
  doNotDisturb: en(onOffValues),
  msgWaiting: en(onOffValues),
  session: en(telSessionEvents),
};
const eventProp: Record<TelEventBody['kind'], string> = {
  agent: 'agent',
  call: 'call',
  forward: 'forward',
  doNotDisturb: 'state',
  msgWaiting: 'state',
  session: 'session',
};

export function decodeEvent(input: string | Uint8Array, opts: ParseOptions = {}): Decoded<TelEvent> {
  return run(input, opts, 'TelServiceEvent', (root) => {
    const device = child(root, 'deviceNumber');
    const wrapper = child(root, 'event');
    if (!wrapper) fail('missingField', '<TelServiceEvent> lacks <event>');
    const body = onlyChild(wrapper);
    const kind = body.name as TelEventBody['kind'];
    if (!Object.hasOwn(eventSchemas, kind)) fail('unknownElement', `unknown event <${body.name}>`);
    const event = { kind, [eventProp[kind]]: decodeValue(body, eventSchemas[kind]) } as TelEventBody;
    return device ? { deviceNumber: device.text, event } : { event };
  });
}

// ---------------------------------------------------------------- generic encode

function el(name: string, inner: string): string {
  return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}

function encodeValue(name: string, value: unknown, spec: Spec): string {
  switch (spec.k) {
    case 'str':
      return el(name, escapeXml(String(value)));
    case 'int':
      return el(name, String(Math.trunc(Number(value))));
    case 'bool':
      return el(name, value ? '<true/>' : '<false/>');
    case 'enum':
    case 'token':
      return el(name, `<${String(value)}/>`);
    case 'struct':
      return el(name, encodeFields(value as Obj, spec.fields));
    case 'list':
      return el(name, (value as unknown[]).map((v) => encodeValue(spec.item, v, spec.of)).join(''));
    case 'enumList':
      return el(name, (value as string[]).map((v) => `<${v}/>`).join(''));
  }
}

function encodeFields(value: Obj, fields: Field[]): string {
  let out = '';
  for (const field of fields) {
    const v = value[field.prop ?? field.name];
    if (v !== undefined) out += encodeValue(field.name, v, field.spec);
  }
  return out;
}

/** Flatten a typed `counters` record back into its struct for encoding. */
function flatCounters(value: { counters?: Obj }): Obj {
  const { counters, ...rest } = value;
  return { ...rest, ...(counters ?? {}) };
}

export function encodeRequest(request: TelRequest): string {
  const fields = requestSchemas[request.op];
  return el('TelServiceRequest', el(request.op, encodeFields(request as unknown as Obj, fields)));
}

export function encodeReply(reply: TelReply): string {
  return el('TelServiceReturn', encodeReplyBody(reply));
}

function encodeReplyBody(reply: TelReply): string {
  switch (reply.kind) {
    case 'error':
    case 'unknownError':
      return el('error', `<${reply.error}/>`);
    case 'standard':
      return el('result', '<standard/>');
    case 'qualifyCall':
      return el('result', encodeValue('qualifyCall', reply, struct(req('number', str), f('name', str))));
    case 'agent':
      return el('result', encodeValue('agent', reply.agent, agentInfo));
    case 'doNotDisturb':
    case 'msgWaiting':
      return el('result', encodeValue(reply.kind, reply.state, en(onOffValues)));
    case 'forwards':
      return el('result', encodeValue('forwards', reply.forwards, listOf('forward', forwardRecord)));
    case 'history':
      return el('result', encodeValue('history', reply.records, listOf('record', historyRecord)));
    case 'searchDirectory':
      return el('result', encodeValue('searchDirectory', reply.parties, listOf('party', directoryParty)));
    case 'snapshot':
      return el('result', encodeValue('snapshot', reply.snapshot, snapshotSchema));
    case 'routingPointState':
      return el('result', encodeValue('routingPointState', reply.state, en(routingPointStates)));
    case 'userStatistics': {
      const s = reply.statistics;
      const inner =
        s.type === 'snapshot'
          ? encodeValue('snapshot', s, userStatsSnapshot)
          : encodeValue('total', flatCounters(s as unknown as { counters: Obj }), userStatsTotal);
      return el('result', el('userStatistics', inner));
    }
    case 'routingPointStatistics': {
      const s = reply.statistics;
      let inner: string;
      if (s.type === 'snapshot') {
        inner = encodeValue('snapshot', flatCounters(s as unknown as { counters: Obj }), routingStatsSnapshot);
      } else {
        const flat = flatCounters(s as unknown as { counters: Obj });
        if (s.agents) flat.agents = s.agents.map((a) => flatCounters(a as unknown as { counters: Obj }));
        inner = encodeValue('total', flat, routingStatsTotal);
      }
      return el('result', el('routingPointStatistics', inner));
    }
  }
}

export function encodeEvent(ev: TelEvent): string {
  const kind = ev.event.kind;
  const value = (ev.event as unknown as Obj)[eventProp[kind]];
  const device = ev.deviceNumber !== undefined ? encodeValue('deviceNumber', ev.deviceNumber, str) : '';
  return el('TelServiceEvent', device + el('event', encodeValue(kind, value, eventSchemas[kind])));
}

/** Decoded error as a one-line description (for logs and protocol errors). */
export function describeCodecError(e: TelCodecError): string {
  return `${e.kind}: ${e.message}`;
}
