// Result decoding for the three ways of calling a TWS web service (digest §1.3–§1.5, §5):
// `GET …/Json/Fn` -> `{"FnResult": v}`, `GET …/Xml/Fn` -> `<FnResponse><FnResult>…`, and SOAP
// `<s:Envelope><s:Body><FnResponse><FnResult>…`. Pure; never throws.
import { agentStates, returnCodeName, type AgentStateName } from './codes.js';
import { isObject, list, member, parseJsonValue, str, xmlToValue, type TwsValue } from './value.js';
import {
  child,
  codecError,
  DEFAULT_MAX_BYTES,
  fail,
  inputToText,
  localName,
  normName,
  parseXml,
  type Decoded,
  type XNode,
} from './xml.js';

export type TwsFormat = 'json' | 'xml' | 'soap';

export interface DecodeOptions {
  maxBytes?: number;
  /** Repair the manual's malformed XML shapes (default true; NOTES.md "Tolerant XML"). */
  tolerant?: boolean;
}

export interface TwsResult {
  /** The result member's name as received, e.g. `TWS_AnswerCallQueuedbyDefaultDeviceResult`. */
  key: string;
  value: TwsValue;
  /** The XML needed the tolerant repairs. */
  repaired: boolean;
  /** XML `i:type` of the result element (WCF polymorphism, e.g. `a:CTLKCallEvent`), local name only. */
  xsiType?: string;
}

const endsWithResult = (name: string): boolean => name.toLowerCase().endsWith('result');

/** Decode any result body to its single `…Result` member. */
export function decodeResult(body: string | Uint8Array, format: TwsFormat, opts: DecodeOptions = {}): Decoded<TwsResult> {
  return format === 'json' ? decodeJsonResult(body, opts) : decodeXmlResult(body, opts);
}

function decodeJsonResult(body: string | Uint8Array, opts: DecodeOptions): Decoded<TwsResult> {
  const text = inputToText(body, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!text.ok) return text;
  const parsed = parseJsonValue(text.value);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  if (!isObject(v)) return fail('noResult', 'JSON result is not an object', text.value);
  const keys = Object.keys(v);
  const resultKeys = keys.filter(endsWithResult);
  const key = resultKeys.length === 1 ? resultKeys[0] : keys.length === 1 ? keys[0] : undefined;
  if (key === undefined || (resultKeys.length === 0 && normName(key) === 'message')) {
    // The HTTP fault body `{"Message": "…"}` (digest §1.7) or an unrelated object.
    const msg = str(v, 'Message');
    if (msg !== null) return fail('fault', `service exception: ${msg}`);
    return fail('noResult', `no single …Result member (members: ${keys.slice(0, 5).join(', ') || 'none'})`, text.value);
  }
  return { ok: true, value: { key, value: v[key] ?? null, repaired: false } };
}

function faultText(fault: XNode): string {
  const direct = child(fault, 'faultstring', 'message');
  if (direct) return direct.text;
  const reason = child(fault, 'reason');
  const t = reason ? child(reason, 'text') : undefined;
  return t?.text ?? reason?.text ?? fault.text;
}

function decodeXmlResult(body: string | Uint8Array, opts: DecodeOptions): Decoded<TwsResult> {
  const parsed = parseXml(body, { maxBytes: opts.maxBytes, tolerant: opts.tolerant ?? true });
  if (!parsed.ok) return parsed;
  let node = parsed.value.root;
  if (normName(node.name) === 'envelope') {
    const soapBody = child(node, 'body');
    const first = soapBody?.children[0];
    if (!first) return fail('noResult', 'SOAP envelope without a body element');
    node = first;
  }
  if (normName(node.name) === 'fault') return fail('fault', `service exception: ${faultText(node)}`);
  let result: XNode | undefined;
  if (endsWithResult(node.name)) result = node;
  else {
    const candidates = node.children.filter((c) => endsWithResult(c.name));
    result = candidates.length === 1 ? candidates[0] : node.children.length === 1 ? node.children[0] : undefined;
  }
  if (!result) return fail('noResult', `no single …Result element in <${node.name}>`);
  const typeAttr = Object.entries(result.attrs).find(([k]) => localName(k) === 'type' && k.includes(':'))?.[1];
  const value: TwsResult = { key: result.name, value: xmlToValue(result), repaired: parsed.value.repaired };
  if (typeAttr) value.xsiType = localName(typeAttr.trim());
  return { ok: true, value };
}

// ---------------------------------------------------------------- typed result readers

export interface IntResult {
  key: string;
  /** 0 = ok, 20 = makeCallMobile; any value >= 0 is success (digest §5.1). */
  code: number;
  name: string;
}

function intOf(r: TwsResult): Decoded<number> {
  const v = r.value;
  if (typeof v !== 'string' || !/^\s*-?[0-9]{1,10}\s*$/.test(v)) {
    return { ok: false, error: codecError('badValue', `${r.key} is not an integer: ${JSON.stringify(v)?.slice(0, 40)}`) };
  }
  return { ok: true, value: Number(v.trim()) };
}

function codeError<T>(key: string, code: number): Decoded<T> {
  const name = returnCodeName(code);
  return { ok: false, error: { kind: 'returnCode', message: `${key}: ${name} (${code})`, code, codeName: name } };
}

/** An int-returning function (control, monitor, call data): negative -> typed `returnCode` error. */
export function decodeIntResult(body: string | Uint8Array, format: TwsFormat, opts: DecodeOptions = {}): Decoded<IntResult> {
  const r = decodeResult(body, format, opts);
  if (!r.ok) return r;
  const n = intOf(r.value);
  if (!n.ok) return n;
  if (n.value < 0) return codeError(r.value.key, n.value);
  return { ok: true, value: { key: r.value.key, code: n.value, name: returnCodeName(n.value) } };
}

/** A string-returning function (NormalizeNumber, GetCallData, ConnectToEventService): null kept. */
export function decodeStringResult(body: string | Uint8Array, format: TwsFormat, opts: DecodeOptions = {}): Decoded<string | null> {
  const r = decodeResult(body, format, opts);
  if (!r.ok) return r;
  const v = r.value.value;
  if (v !== null && typeof v !== 'string') return fail('badValue', `${r.value.key} is not a string`);
  return { ok: true, value: v };
}

export interface AgentStateResult {
  code: number;
  /** The EPresenceAgent name, or null for an ordinal outside 0–5. */
  state: AgentStateName | null;
}

/** TWS_QueryAgentState*: the EPresenceAgent ordinal (L1907–1913); negative -> `returnCode`. */
export function decodeAgentStateResult(body: string | Uint8Array, format: TwsFormat, opts: DecodeOptions = {}): Decoded<AgentStateResult> {
  const r = decodeResult(body, format, opts);
  if (!r.ok) return r;
  // XML may carry the enum by name.
  if (typeof r.value.value === 'string') {
    const byName = agentStates.findIndex((s) => s.toLowerCase() === (r.value.value as string).trim().toLowerCase());
    if (byName >= 0) return { ok: true, value: { code: byName, state: agentStates[byName] ?? null } };
  }
  const n = intOf(r.value);
  if (!n.ok) return n;
  if (n.value < 0) return codeError(r.value.key, n.value);
  return { ok: true, value: { code: n.value, state: agentStates[n.value] ?? null } };
}

export interface TokenResult {
  /** `a:Guid`: the tokenGuid (L434). */
  token: string;
  userGuid: string | null;
  domainGuid: string | null;
  username: string | null;
  devices: string[];
  infoMessage: string | null;
}

/**
 * TWS_GetMyToken2 / TWS_GetMyTokenAdmin: the result envelope (L441–459). `Ok` false -> typed
 * `authRejected` with `ErrorMessage` (digest §5.4); a missing Guid -> `badValue`.
 */
export function decodeTokenResult(body: string | Uint8Array, format: TwsFormat, opts: DecodeOptions = {}): Decoded<TokenResult> {
  const r = decodeResult(body, format, opts);
  if (!r.ok) return r;
  const env = r.value.value;
  if (!isObject(env)) return fail('authRejected', `${r.value.key} is empty`);
  const okFlag = str(env, 'Ok');
  if (okFlag !== null && okFlag.trim().toLowerCase() !== 'true') {
    return fail('authRejected', `token refused: ${str(env, 'ErrorMessage') ?? 'no ErrorMessage'}`);
  }
  const res = member(env, 'Result');
  const token = str(res, 'Guid');
  if (!token) return fail('badValue', `${r.value.key} has no Result.Guid`);
  return {
    ok: true,
    value: {
      token,
      userGuid: str(res, 'UserGuid'),
      domainGuid: str(res, 'DomainGuid'),
      username: str(res, 'Username'),
      devices: list(member(res, 'Devices')).filter((d): d is string => typeof d === 'string'),
      infoMessage: str(env, 'InfoMessage'),
    },
  };
}

// ---------------------------------------------------------------- object results

const blankToNull = (s: string | null): string | null => (s === null || s.trim() === '' ? null : s);
const isTrue = (s: string | null): boolean => s !== null && s.trim().toLowerCase() === 'true';

/** Forward destinations per kind; null = not set (empty element, §3.2.4). */
export interface ForwardInfo {
  immediate: string | null;
  busy: string | null;
  noAnswer: string | null;
  internalBusy: string | null;
  externalBusy: string | null;
  noInternalAnswer: string | null;
  noExternalAnswer: string | null;
  immediateInternal: string | null;
  immediateExternal: string | null;
  isSoftPhone: boolean;
  isUpdated: boolean;
  personalNumber: string | null;
}

/**
 * TWS_QueryDeviceForwardInfo(ByDevice) (L1477–1501). Field ↔ intType per digest §3.2.4 [INF].
 * A null result (bad token) decodes to null.
 */
export function decodeForwardInfo(body: string | Uint8Array, format: TwsFormat, opts: DecodeOptions = {}): Decoded<ForwardInfo | null> {
  const r = decodeResult(body, format, opts);
  if (!r.ok) return r;
  const v = r.value.value;
  if (v === null || v === '') return { ok: true, value: null };
  if (!isObject(v)) return fail('badValue', `${r.value.key} is not a forward-info object`);
  const f = (name: string): string | null => blankToNull(str(v, name));
  return {
    ok: true,
    value: {
      immediate: f('Imm'),
      busy: f('Busy'),
      noAnswer: f('NoAns'),
      internalBusy: f('BusyInt'),
      externalBusy: f('BusyExt'),
      noInternalAnswer: f('NoAnsInt'),
      noExternalAnswer: f('NoAnsExt'),
      immediateInternal: f('ImmInt'),
      immediateExternal: f('ImmExt'),
      isSoftPhone: isTrue(str(v, 'IsSoftPhone')),
      isUpdated: isTrue(str(v, 'IsUpdated')),
      personalNumber: f('PersonnalNumber'),
    },
  };
}

export interface DeviceInfo {
  device: string | null;
  /** `Connected`, `Disconnected`, `ProviderLinkNull`, `OutOfService`, `InvalidPassword`, … */
  state: string | null;
  /** `cti`, `sipcti`, `voip`, `local`, … */
  type: string | null;
  provider: string | null;
  cluster: string | null;
  site: string | null;
  voicemail: string | null;
}

/** TWS_GetDevicesState (L1568–1618): a `CDeviceInfos` list (empty for null). */
export function decodeDevicesState(body: string | Uint8Array, format: TwsFormat, opts: DecodeOptions = {}): Decoded<DeviceInfo[]> {
  const r = decodeResult(body, format, opts);
  if (!r.ok) return r;
  return {
    ok: true,
    value: list(r.value.value)
      .filter(isObject)
      .map((d) => ({
        device: str(d, 'Device'),
        state: str(d, 'State'),
        type: str(d, 'Type'),
        provider: str(d, 'Provider'),
        cluster: str(d, 'Cluster'),
        site: str(d, 'Site'),
        voicemail: blankToNull(str(d, 'vmNumber')),
      })),
  };
}

export interface CallLogSpeaker {
  phone: string | null;
  firstname: string | null;
  lastname: string | null;
  company: string | null;
  personGuid: string | null;
  cause: string | null;
}

export interface CallLogEntry {
  guid: string | null;
  /** `CALL`, `CALLIN`, `CALLOUT`, `CALLMISSED` (prefer it over `incomingCall`, §3.2.10). */
  actionType: string | null;
  device: string | null;
  /** As sent; its meaning is contradictory in the manual (L2094, §7 #40). */
  incomingCall: string | null;
  success: string | null;
  timeStart: string | null;
  timeStart1: string | null;
  timeEnd: string | null;
  speakers: CallLogSpeaker[];
}

/** GetMyDocumentsByTypeWithAcls / GetPersonDocumentsByTypeWithAcls (L2023–2110). */
export function decodeCallLog(body: string | Uint8Array, format: TwsFormat, opts: DecodeOptions = {}): Decoded<CallLogEntry[]> {
  const r = decodeResult(body, format, opts);
  if (!r.ok) return r;
  return {
    ok: true,
    value: list(r.value.value)
      .filter(isObject)
      .map((doc) => {
        const call = member(doc, 'Call');
        return {
          guid: str(doc, 'Guid') ?? str(call, 'Guid'),
          actionType: str(doc, 'ActionType'),
          device: str(call, 'Device'),
          incomingCall: str(call, 'IncomingCall'),
          success: str(call, 'Success'),
          timeStart: str(call, 'TimeStart'),
          timeStart1: str(call, 'TimeStart1'),
          timeEnd: str(call, 'TimeEnd'),
          speakers: list(member(call, 'Speakers'))
            .filter(isObject)
            .map((s) => ({
              phone: str(s, 'Phone'),
              firstname: blankToNull(str(s, 'Firstname')),
              lastname: blankToNull(str(s, 'Lastname')),
              company: blankToNull(str(s, 'Company')),
              personGuid: str(s, 'PersonGuid'),
              cause: str(s, 'Cause'),
            })),
        };
      }),
  };
}
