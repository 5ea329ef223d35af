// The data model shared by requests.ts and events.ts: field types, the 7 Appendix A data classes
// (digest §5.2), the 27 request argument tables (§3.2, in the manual's table order) and the event
// field tables (§4.3, §4.4), plus the spec-driven XML encoding and decoding of one value. Field
// names are the canonical ones (§1.5 #6, §7 #48); readers match local names case-insensitively,
// ignoring spaces and underscores, with the OCR aliases (Siteld, Siplp). Pure; never throws.
import { escapeXmlText } from '../xml-text.js';
import { decodeEnum, enumNameFor, type CtipsEnumExtra, type CtipsEnumMember, type CtipsEnumName, type CtipsEnumValue } from './enums.js';
import { isNil, type XNode } from './wire.js';

export type StructName = 'UserCredentials' | 'CTICallInfo' | 'CTICallDataItem' | 'CTIServiceInfo' | 'CTISnapShotAgentData' | 'CTISnapShotCallData' | 'CTISnapShotServiceData';

export type FieldType =
  | 'int'
  | 'long'
  | 'bool'
  | 'string'
  | 'int[]'
  | 'string[]'
  | `enum:${CtipsEnumName}`
  | `enum[]:${CtipsEnumName}`
  | `struct:${StructName}`
  | `struct[]:${StructName}`;

export const structSpecs = {
  UserCredentials: { UserName: 'string', Password: 'string' },
  CTICallDataItem: { key: 'string', value: 'string' },
  CTIServiceInfo: { ServiceId: 'int', ServiceState: 'enum:CTIServiceState' },
  CTICallInfo: { ANI: 'string', DNIS: 'string', FirstName: 'string', LastName: 'string', PhoneNumber: 'string', CallerId: 'string', CallData: 'struct[]:CTICallDataItem' },
  CTISnapShotAgentData: {
    AgentId: 'int', AgentLoginName: 'string', AgentCapabilities: 'enum[]:CTIAgentCapabilities', AgentWorkGroupId: 'int', CallId: 'int', ResourceGroupId: 'int',
    ChannelId: 'int', CircuitId: 'int', SwitchId: 'int', AgentState: 'enum:CTIAgentState', Services: 'struct[]:CTIServiceInfo', MediaType: 'enum:CTIMediaType',
    SipIpAddress: 'string', SipPortNumber: 'int', AgentStationAddress: 'string',
  },
  CTISnapShotCallData: {
    CallId: 'int', CallSequenceId: 'long', CallOriginatingSiteId: 'int', ResourceGroupId: 'int', ChannelId: 'int', CircuitId: 'int', SwitchId: 'int', ServiceId: 'int',
    DestType: 'enum:CTIDestinationType', Destination: 'string', CallState: 'enum:CTICallState', ANI: 'string', DNIS: 'string', CallType: 'enum:CTICallType', AgentId: 'int',
    MediaType: 'enum:CTIMediaType', SipIpAddress: 'string', SipPortNumber: 'int',
  },
  CTISnapShotServiceData: { ServiceId: 'int', ServiceState: 'enum:CTIServiceState', ExternalRoutingEnabled: 'bool' },
} as const satisfies Record<StructName, Record<string, FieldType>>;

type StructSpecs = typeof structSpecs;

/** The TypeScript type of a decoded value (absent ints are 0, absent strings null, absent arrays []). */
export type OutOf<T> = T extends 'int'
  ? number | null
  : T extends 'long'
    ? string | null
    : T extends 'bool'
      ? boolean | null
      : T extends 'string'
        ? string | null
        : T extends 'int[]'
          ? Array<number | null>
          : T extends 'string[]'
            ? Array<string | null>
            : T extends `enum:${infer E extends CtipsEnumName}`
              ? CtipsEnumValue<E> | null
              : T extends `enum[]:${infer E extends CtipsEnumName}`
                ? Array<CtipsEnumValue<E> | null>
                : T extends `struct:${infer S extends StructName}`
                  ? StructOut<S> | null
                  : T extends `struct[]:${infer S extends StructName}`
                    ? Array<StructOut<S> | null>
                    : never;

export type StructOut<S extends StructName> = { -readonly [F in keyof StructSpecs[S]]: OutOf<StructSpecs[S][F]> };

/** The TypeScript type of a value given to an encoder. */
export type InOf<T> = T extends 'int'
  ? number
  : T extends 'long'
    ? string | bigint
    : T extends 'bool'
      ? boolean
      : T extends 'string'
        ? string | null
        : T extends 'int[]'
          ? readonly number[]
          : T extends 'string[]'
            ? ReadonlyArray<string | null>
            : T extends `enum:${infer E extends CtipsEnumName}`
              ? CtipsEnumMember<E> | CtipsEnumExtra<E>
              : T extends `enum[]:${infer E extends CtipsEnumName}`
                ? ReadonlyArray<CtipsEnumMember<E> | CtipsEnumExtra<E>>
                : T extends `struct:${infer S extends StructName}`
                  ? StructIn<S> | null
                  : T extends `struct[]:${infer S extends StructName}`
                    ? ReadonlyArray<StructIn<S>>
                    : never;

export type StructIn<S extends StructName> = { [F in keyof StructSpecs[S]]?: InOf<StructSpecs[S][F]> };

// ---- Requests (digest §3.2; table order, L460–L1070) -----------------------------------------

/** `req`: mandatory; `opt`: optional (the manual's "Optional"/conditional fields, §3.1). */
export type Need = 'req' | 'opt';

export const requestSpecs = {
  OpenConnection: { TenantIds: ['int[]', 'req'], UserCredentials: ['struct:UserCredentials', 'req'], ClientCallbackURL: ['string', 'req'] },
  CloseConnection: { SessionId: ['string', 'req'] },
  OnLine: { TenantId: ['int', 'req'], SessionId: ['string', 'req'] },
  OffLine: { TenantId: ['int', 'req'], SessionId: ['string', 'req'] },
  AddMessageClass: { TenantId: ['int', 'req'], SessionId: ['string', 'req'], MessageClass: ['enum:CTIMessageClass', 'req'] },
  DeleteMessageClass: { TenantId: ['int', 'req'], SessionId: ['string', 'req'], MessageClass: ['enum:CTIMessageClass', 'req'] },
  AddFilter: { TenantId: ['int', 'req'], SessionId: ['string', 'req'], FieldType: ['enum:CTIFieldType', 'req'], FieldValue: ['string', 'req'] },
  DeleteFilter: { TenantId: ['int', 'req'], SessionId: ['string', 'req'], FieldType: ['enum:CTIFieldType', 'req'], FieldValue: ['string', 'req'] },
  Snapshot: { TenantId: ['int', 'req'], SessionId: ['string', 'req'], EntityType: ['enum[]:CTIEntityType', 'req'] },
  LoginAgent: {
    SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentLoginName: ['string', 'req'], StationId: ['string', 'req'],
    InitialState: ['enum:CTIAgentState', 'req'], MultiLine: ['int', 'req'],
  },
  LogoutAgent: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], ReasonCode: ['int', 'req'] },
  PanicLogout: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentLoginNameList: ['string[]', 'opt'], LogoutAllAgents: ['bool', 'req'] },
  SetAgentState: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], NewState: ['enum:CTIAgentState', 'req'] },
  GetAgentState: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'] },
  SetDisposition: {
    SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'], DispositionId: ['int', 'req'],
    SummaryDispositionSuccessful: ['bool', 'req'], WrapNotRequired: ['bool', 'req'],
  },
  AcceptCall: {
    SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'], AcceptCall: ['bool', 'req'],
    RejectReason: ['int', 'opt'],
  },
  ClearCall: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'] },
  ConferenceCall: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'], ConsultationCallId: ['int', 'req'] },
  ConsultationCall: {
    SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'], DestinationAddress: ['string', 'req'],
    ServiceId: ['int', 'opt'], DestinationType: ['enum:CTIDestinationType', 'req'], UserData: ['string[]', 'opt'],
  },
  GetCallData: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'] },
  SetCallData: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'], UserData: ['string[]', 'req'] },
  HoldCall: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'] },
  RetrieveCall: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'] },
  MakeCall: {
    SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'],
    DestinationType: ['enum:CTIDestinationType', 'req'], ServiceId: ['int', 'opt'], WrapState: ['bool', 'req'], DestinationAddress: ['string', 'opt'],
  },
  SendDTMFDigits: { SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'], DTMFDigits: ['string', 'req'] },
  TransferCall: {
    SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], AgentId: ['int', 'req'], CallId: ['int', 'req'],
    DestinationType: ['enum:CTIDestinationType', 'req'], DestinationAddress: ['string', 'opt'], ConsultationCallId: ['int', 'opt'], TransferType: ['enum:CTITransferType', 'req'],
    UserData: ['string[]', 'opt'],
  },
  RouteSelect: {
    SessionId: ['string', 'req'], RequestId: ['int', 'req'], TenantId: ['int', 'req'], CallId: ['int', 'req'], RouteActionType: ['enum:CTIRouteType', 'req'],
    RouteDestination: ['string', 'opt'], UserData: ['string[]', 'opt'],
  },
} as const satisfies Record<string, Record<string, readonly [FieldType, Need]>>;

export type CtipsOperation = keyof typeof requestSpecs;
export const ctipsOperations = Object.keys(requestSpecs) as CtipsOperation[];

type ReqSpec<O extends CtipsOperation> = (typeof requestSpecs)[O];
type ReqKeys<O extends CtipsOperation, N extends Need> = { [F in keyof ReqSpec<O>]: ReqSpec<O>[F] extends readonly [FieldType, N] ? F : never }[keyof ReqSpec<O>];

/** The arguments of an operation: mandatory fields required, optional ones optional. */
type TypeOf<X> = X extends readonly [infer T, Need] ? T : never;
export type CtipsArgs<O extends CtipsOperation> = { [F in ReqKeys<O, 'req'>]: InOf<TypeOf<ReqSpec<O>[F]>> } & { [F in ReqKeys<O, 'opt'>]?: InOf<TypeOf<ReqSpec<O>[F]>> };

/** Names the manual or its sample uses for a canonical field (digest §7 #2, #12, #16, #48). */
export const fieldAliases: Readonly<Record<string, readonly string[]>> = {
  TenantIds: ['TenantId'],
  UserCredentials: ['UserInfo'],
  InitialState: ['Initial State', 'Initial_State'],
  RouteActionType: ['RouteType'],
  UserName: ['Username'],
  SiteId: ['Siteld'],
  CallOriginatingSiteId: ['CallOriginatingSiteld'],
  SipIpAddress: ['SiplpAddress'],
  MediaType: ['Media type'],
  RouteDestination: ['Route Destination'],
  TenantId: ['Tenant Id'],
  CallData: ['CallData (optional)'],
};

/** Normalised field name: case, spaces, underscores ignored; OCR `ld`→`Id` and `Siplp`→`SipIp` repaired. */
export function normField(name: string): string {
  return name
    .replace(/\(optional\)/i, '')
    .replace(/[\s_]+/g, '')
    .toLowerCase()
    .replace(/siteld$/, 'siteid')
    .replace(/^siplp/, 'sipip');
}

// ---- Events (digest §4.3–§4.4) ---------------------------------------------------------------

/** The eight header fields "common to every event" (L1116–L1126); absent ones are 0. */
export const headerFields = ['RequestId', 'TenantId', 'SiteId', 'SwitchId', 'ServiceId', 'AgentId'] as const;

const call3 = { CallId: 'int', CallSequenceId: 'long', CallOriginatingSiteId: 'int' } as const;
const circuit = { ResourceGroupId: 'int', CircuitId: 'int', ChannelId: 'int' } as const;

export const eventSpecs = {
  AgentLoginStateChange: {
    AgentLoginName: 'string', ...circuit, LoginState: 'enum:CTIAgentLoginState', AgentWorkGroupId: 'int', AgentCapabilities: 'enum[]:CTIAgentCapabilities',
    AgentStationAddress: 'string', AgentMailbox: 'string', ServiceState: 'struct[]:CTIServiceInfo', SipIpAddress: 'string', SipPortNumber: 'int', AgentCTIId: 'int',
  },
  AgentLoginRequestFailed: { AgentLoginName: 'string', FailureType: 'enum:CTIFailureType', FailureReason: 'string' },
  AgentStateChange: { AgentState: 'enum:CTIAgentState', ServiceIds: 'int[]', SipAddress: 'string', SipPort: 'int' },
  AgentRequestFailed: { CallId: 'int', FailureType: 'enum:CTIFailureType', FailureReason: 'string' },
  AudioPathStateChange: { ...circuit, AudioPathState: 'enum:CTIAudioPathState', ServiceIds: 'int[]', SipIpAddress: 'string', SipIpPort: 'int' },
  EnterPasscode: { ResourceGroupId: 'int', PasscodeDigits: 'string', ReEnterFlag: 'bool', ServiceIds: 'int[]' },
  ServiceStateChange: { ServiceState: 'enum:CTIServiceState', RequestIdList: 'int[]' },
  CallCleared: { ...call3, ConsultationCallId: 'int', ClearingPartyType: 'enum:CTIClearingPartyType' },
  CallCompleted: { ...call3, ...circuit },
  CallConferenced: { ...call3, ConsultingCallId: 'int', ConsultedCallId: 'int', ConsultationAgentId: 'int', ConferenceCallId: 'int' },
  CallConnected: {
    ...call3, CallInfo: 'struct[]:CTICallInfo', ResponseRequired: 'bool', RejectReasonRequired: 'bool', PlayAudioAlert: 'bool', CallType: 'enum:CTICallType',
    OriginatingAgentId: 'int', ...circuit,
  },
  CallConsultation: { ...call3, ConsultationCallId: 'int', ConsultationAgentId: 'int' },
  CallDataUpdate: { ...call3, CallData: 'struct[]:CTICallDataItem', UpdateType: 'enum:CTICallDataUpdateType', FailureReason: 'string' },
  CallDelivered: { ...call3, CallType: 'enum:CTICallType', ANI: 'string', DNIS: 'string' },
  CallEnd: { ...call3, AgentDisposition: 'int', CallData: 'struct[]:CTICallDataItem' },
  CallEstablished: { ...call3, MediaType: 'enum:CTIMediaType', SipIpAddress: 'string', SipPortNumber: 'int', ...circuit, ANI: 'string', DNIS: 'string' },
  CallHeld: { ...call3 },
  CallOffered: { ...call3, ...circuit, ANI: 'string', DNIS: 'string' },
  CallOriginated: { ...call3, DestType: 'enum:CTIDestinationType', Destination: 'string', ...circuit, CallProgressSignal: 'enum:CTICallProgressSignalType' },
  CallRequestFailed: { ...call3, FailureType: 'enum:CTIFailureType', FailureReason: 'string' },
  CallRetrieved: { ...call3 },
  CallStarted: { ...call3, ...circuit },
  CallTransferred: { ...call3, ConsultingCallId: 'int', ConsultedCallId: 'int', ConsultationAgentId: 'int', TransferredCallId: 'int', TransferredCallSwitchId: 'int' },
  DigitsDialed: { ...call3, DigitString: 'string' },
  RouteRequest: {
    CallId: 'int', RouteTimeout: 'int', ...circuit, MediaType: 'enum:CTIMediaType', SipIpAddress: 'string', SipPortNumber: 'string', CallInfo: 'struct[]:CTICallInfo',
    CallSequenceId: 'long', CallOriginatingSiteId: 'int',
  },
  RouteUsed: { CallId: 'int', RouteStatus: 'enum:CTIRouteStatusType', RouteType: 'enum:CTIRouteType', RouteDestination: 'string', CallSequenceId: 'long', CallOriginatingSiteId: 'int' },
  RouteReject: { CallId: 'int', RouteRejectReason: 'enum:CTIRejectReason', CallSequenceId: 'long', CallOriginatingSiteId: 'int' },
  RouteRequestFailed: { CallId: 'int', FailureType: 'enum:CTIFailureType', FailureReason: 'string', CallSequenceId: 'long', CallOriginatingSiteId: 'int' },
  SnapShotUpdate: {
    SnapShotType: 'enum:CTIEntityType', AgentData: 'struct:CTISnapShotAgentData', CallData: 'struct:CTISnapShotCallData', ServiceData: 'struct:CTISnapShotServiceData',
    SnapShotComplete: 'bool',
  },
  LinkStatus: { ComponentType: 'enum:CTIComponentType', ComponentState: 'enum:CTIComponentState' },
  SnapShotRequestFailed: { FailureType: 'enum:CTIFailureType', FailureReason: 'string' },
} as const satisfies Record<string, Record<string, FieldType>>;

export type CtipsEventType = keyof typeof eventSpecs;
export type CtipsEventFields<T extends CtipsEventType> = { -readonly [F in keyof (typeof eventSpecs)[T]]: OutOf<(typeof eventSpecs)[T][F]> };
export type CtipsEventFieldsIn<T extends CtipsEventType> = { [F in keyof (typeof eventSpecs)[T]]?: InOf<(typeof eventSpecs)[T][F]> };

/** Alternative names per event field: `ServiceState` or `Services` (§7 #10). */
export const eventFieldAliases: Readonly<Record<string, readonly string[]>> = { ServiceState: ['Services'] };

// ---- Value encoding ------------------------------------------------------------------------

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const LONG_RE = /^-?[0-9]{1,19}$/;

export type EncodeError = { field: string; message: string };

function arrayItemName(t: FieldType): string {
  if (t === 'int[]') return 'b:int';
  if (t === 'string[]') return 'b:string';
  return `a:${t.slice(t.indexOf(':') + 1)}`;
}

/** XML for one field `<a:Name>…</a:Name>`; an EncodeError for a value that does not fit its type. */
export function encodeValue(name: string, t: FieldType, v: unknown, path: string = name): string | EncodeError {
  const el = (inner: string): string => `<a:${name}>${inner}</a:${name}>`;
  if (v === null) return t === 'string' || t.startsWith('struct:') ? `<a:${name} i:nil="true"/>` : { field: path, message: `${path} cannot be null` };
  switch (t) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? el(String(v)) : { field: path, message: `${path} must be a 32-bit integer` };
    case 'long': {
      const s = typeof v === 'bigint' ? v.toString() : typeof v === 'string' ? v.trim() : '';
      return LONG_RE.test(s) && BigInt(s) >= -(2n ** 63n) && BigInt(s) < 2n ** 63n ? el(s) : { field: path, message: `${path} must be a 64-bit integer` };
    }
    case 'bool':
      return typeof v === 'boolean' ? el(v ? 'true' : 'false') : { field: path, message: `${path} must be a boolean` };
    case 'string':
      return typeof v === 'string' ? el(escapeXmlText(v)) : { field: path, message: `${path} must be a string` };
    default:
      break;
  }
  if (t.startsWith('enum:')) {
    const e = t.slice(5) as CtipsEnumName;
    const n = typeof v === 'string' ? enumNameFor(e, v) : null;
    return n !== null ? el(n) : { field: path, message: `${path} must be a ${e} member` };
  }
  if (t.startsWith('struct:')) {
    const s = t.slice(7) as StructName;
    if (typeof v !== 'object' || Array.isArray(v)) return { field: path, message: `${path} must be a ${s}` };
    let inner = '';
    for (const [f, ft] of Object.entries(structSpecs[s]) as Array<[string, FieldType]>) {
      const x = (v as Record<string, unknown>)[f];
      if (x === undefined) continue;
      const r = encodeValue(f, ft, x, `${path}.${f}`);
      if (typeof r !== 'string') return r;
      inner += r;
    }
    return el(inner);
  }
  // Arrays.
  if (!Array.isArray(v)) return { field: path, message: `${path} must be an array` };
  const itemType = (t === 'int[]' ? 'int' : t === 'string[]' ? 'string' : t.replace('[]', '')) as FieldType;
  const item = arrayItemName(t);
  let inner = '';
  for (const [i, x] of (v as unknown[]).entries()) {
    const r = encodeValue('X', itemType, x, `${path}[${i}]`);
    if (typeof r !== 'string') return r;
    // Re-tag the item (`<a:X>` → the array's item element name).
    inner += r.replace(/^<a:X( i:nil="true"\/>|>)/, (_m, rest: string) => `<${item}${rest}`).replace(/<\/a:X>$/, `</${item}>`);
  }
  return el(inner);
}

// ---- Value decoding ------------------------------------------------------------------------

/** Decoding context: names of fields that were present but did not parse. */
export interface DecodeCtx {
  invalid: string[];
}

/** A value from a parsed element (undefined = absent: the type's default). */
export function decodeValue(n: XNode | undefined, t: FieldType, ctx: DecodeCtx, path: string): unknown {
  if (t === 'int[]' || t === 'string[]' || t.startsWith('enum[]:') || t.startsWith('struct[]:')) {
    if (n === undefined || isNil(n)) return [];
    const itemType = (t === 'int[]' ? 'int' : t === 'string[]' ? 'string' : t.replace('[]', '')) as FieldType;
    return n.children.slice(0, 10_000).map((c, i) => decodeValue(c, itemType, ctx, `${path}[${i}]`));
  }
  if (n === undefined) return t === 'int' ? 0 : t === 'bool' ? false : null;
  if (isNil(n)) return null;
  const s = n.text;
  switch (t) {
    case 'int': {
      if (/^[+-]?[0-9]{1,10}$/.test(s)) {
        const x = Number(s);
        if (x >= INT32_MIN && x <= INT32_MAX) return x;
      }
      if (s === '') return 0;
      ctx.invalid.push(path);
      return null;
    }
    case 'long':
      if (LONG_RE.test(s.replace(/^\+/, ''))) return s.replace(/^\+/, '');
      if (s === '') return null;
      ctx.invalid.push(path);
      return null;
    case 'bool': {
      const b = s.toLowerCase();
      if (b === 'true' || b === '1') return true;
      if (b === 'false' || b === '0' || b === '') return false;
      ctx.invalid.push(path);
      return null;
    }
    case 'string':
      return s;
    default:
      break;
  }
  if (t.startsWith('enum:')) return s === '' ? null : decodeEnum(t.slice(5) as CtipsEnumName, s);
  const sname = t.slice(7) as StructName;
  return decodeFields(n, structSpecs[sname] as Record<string, FieldType>, ctx, path, {});
}

/** Decode the children of `n` against a field table; repeated array fields are concatenated (§7 #10). */
export function decodeFields(n: XNode, spec: Record<string, FieldType>, ctx: DecodeCtx, path: string, aliases: Readonly<Record<string, readonly string[]>>): Record<string, unknown> {
  const byName = new Map<string, XNode[]>();
  for (const c of n.children) {
    const k = normField(c.name);
    const list = byName.get(k);
    if (list) list.push(c);
    else byName.set(k, [c]);
  }
  const out: Record<string, unknown> = {};
  for (const [f, t] of Object.entries(spec)) {
    const names = [f, ...(fieldAliases[f] ?? []), ...(aliases[f] ?? [])].map(normField);
    const nodes: XNode[] = [];
    for (const nm of new Set(names)) nodes.push(...(byName.get(nm) ?? []));
    let v: unknown;
    if (nodes.length > 1 && (t.endsWith('[]') || t.includes('[]:'))) v = nodes.flatMap((x, i) => decodeValue(x, t, ctx, `${path}.${f}#${i}`) as unknown[]);
    else v = decodeValue(nodes[0], t, ctx, path === '' ? f : `${path}.${f}`);
    Object.defineProperty(out, f, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Every child as a plain record (local name → text, or a nested record / list), for `raw`. */
export type RawValue = string | null | RawValue[] | { [k: string]: RawValue };

export function rawOf(n: XNode, depth = 0): RawValue {
  if (isNil(n)) return null;
  if (n.children.length === 0) return n.text;
  if (depth > 20) return '…';
  const first = n.children[0] as XNode;
  if (n.children.length > 1 && n.children.every((c) => c.name === first.name)) return n.children.map((c) => rawOf(c, depth + 1));
  const out: { [k: string]: RawValue } = {};
  for (const c of n.children) {
    const v = rawOf(c, depth + 1);
    const prev = Object.hasOwn(out, c.name) ? out[c.name] : undefined;
    Object.defineProperty(out, c.name, { value: prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v], enumerable: true, writable: true, configurable: true });
  }
  return out;
}
