// STOMP reply bodies on /topic/<KEY> (digest §2.3, §2.4): `[code, "Description"(, "id")]` for
// status methods and `[0, data(, "id")]` for query methods, and the JSON value model they share
// with requests and events. Every scalar stays a string: JSON numbers are kept as their source
// text (AgentList's `[1234,…]`, `"name": 7015`), so `0612345678`-like ids never become numbers.
// Pure; never throws.
import { DEFAULT_MAX_BYTES, describeCode, fail, inputToText, MAX_DEPTH, okValue, returnCodeError, type Decoded } from './codes.js';

export type IvValue = string | null | IvValue[] | IvObject;
export interface IvObject {
  [member: string]: IvValue;
}

export interface JsonOptions {
  maxBytes?: number;
  /**
   * Accept the manual's Python-isms (digest §7 #14): single-quoted strings and trailing commas.
   * Default true for replies, events and requests read back; the result says `lenient:true` when used.
   */
  tolerant?: boolean;
}

export interface ParsedJson {
  value: IvValue;
  /** A single-quoted string or a trailing comma was accepted. */
  lenient: boolean;
}

export function isObject(v: IvValue | undefined): v is IvObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/** Own-property set, safe for `__proto__`. */
export function setMember(obj: IvObject, key: string, value: IvValue): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A scalar member as a string (absent or non-scalar -> null). */
export function str(obj: IvValue | undefined, name: string): string | null {
  if (!isObject(obj) || !Object.hasOwn(obj, name)) return null;
  const v = obj[name];
  return typeof v === 'string' ? v : null;
}

const numberRe = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class JsonParser {
  i = 0;
  lenient = false;
  constructor(
    readonly s: string,
    readonly tolerant: boolean,
  ) {}

  err(msg: string): never {
    throw new JsonSyntax(`${msg} at offset ${this.i}`);
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i += 1;
      else break;
    }
  }

  value(depth: number): IvValue {
    if (depth > MAX_DEPTH) throw new JsonDepth(`JSON nested deeper than ${MAX_DEPTH}`);
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string('"');
    if (c === "'" && this.tolerant) {
      this.lenient = true;
      return this.string("'");
    }
    if (this.s.startsWith('true', this.i)) return (this.i += 4), 'true';
    if (this.s.startsWith('false', this.i)) return (this.i += 5), 'false';
    if (this.s.startsWith('null', this.i)) return (this.i += 4), null;
    numberRe.lastIndex = this.i;
    const m = numberRe.exec(this.s);
    if (m) {
      this.i += m[0].length;
      return m[0];
    }
    return this.err(c === undefined ? 'unexpected end of JSON' : `unexpected ${JSON.stringify(c)}`);
  }

  /** After `,`: true when a tolerated trailing comma closes the container. */
  trailing(close: string): boolean {
    this.ws();
    if (this.s[this.i] !== close) return false;
    if (!this.tolerant) this.err('trailing comma');
    this.lenient = true;
    this.i += 1;
    return true;
  }

  array(depth: number): IvValue[] {
    this.i += 1;
    const out: IvValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') return (this.i += 1), out;
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i];
      this.i += 1;
      if (c === ']') return out;
      if (c !== ',') return (this.i -= 1), this.err("expected ',' or ']'");
      if (this.trailing(']')) return out;
    }
  }

  object(depth: number): IvObject {
    this.i += 1;
    const out: IvObject = {};
    this.ws();
    if (this.s[this.i] === '}') return (this.i += 1), out;
    for (;;) {
      this.ws();
      const q = this.s[this.i];
      let key: string;
      if (q === '"') key = this.string('"');
      else if (q === "'" && this.tolerant) {
        this.lenient = true;
        key = this.string("'");
      } else return this.err('expected a member name');
      this.ws();
      if (this.s[this.i] !== ':') this.err("expected ':'");
      this.i += 1;
      setMember(out, key, this.value(depth + 1));
      this.ws();
      const c = this.s[this.i];
      this.i += 1;
      if (c === '}') return out;
      if (c !== ',') return (this.i -= 1), this.err("expected ',' or '}'");
      if (this.trailing('}')) return out;
    }
  }

  string(quote: string): string {
    const s = this.s;
    let i = this.i + 1;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= s.length) {
        this.i = i;
        this.err('unterminated string');
      }
      const c = s[i] as string;
      if (c === quote) {
        out += s.slice(start, i);
        this.i = i + 1;
        return out;
      }
      if (c.charCodeAt(0) < 0x20) {
        this.i = i;
        this.err('control character in a string');
      }
      if (c === '\\') {
        out += s.slice(start, i);
        const e = s[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && Object.hasOwn(simple, e)) {
          out += simple[e];
          i += 2;
        } else if (e === "'" && quote === "'") {
          out += "'";
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          this.i = i;
          this.err('bad escape');
        }
        start = i;
        continue;
      }
      i += 1;
    }
  }
}

class JsonSyntax extends Error {}
class JsonDepth extends Error {}

/** JSON text -> IvValue with numbers/booleans as their source text. Never throws. */
/** Thrown by `fromNative` when the fast path cannot be exact (a JSON number) or the value is too deep. */
class NotExact extends Error {}

/**
 * JSON.parse's value as an IvValue, converted in place (it is fresh and ours); numbers are refused,
 * since only the source text keeps them exact.
 */
function fromNative(v: unknown, depth: number): IvValue {
  if (typeof v === 'string' || v === null) return v as string | null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (depth >= MAX_DEPTH || typeof v !== 'object') throw new NotExact();
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== 'string' && x !== null) v[i] = fromNative(x, depth + 1);
    }
    return v as IvValue[];
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'string' || x === null) continue;
    // `o.__proto__ = …` would set the prototype; JSON.parse made it an own member, so it stays one.
    if (k === '__proto__') setMember(o as IvObject, k, fromNative(x, depth + 1));
    else o[k] = fromNative(x, depth + 1);
  }
  return o as IvObject;
}

export function parseJson(input: string | Uint8Array, opts: JsonOptions = {}): Decoded<ParsedJson> {
  const text = inputToText(input, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!text.ok) return text;
  // Fast path: most bodies (every event) are strict JSON of strings only, which V8's parser reads
  // exactly. Anything else (numbers, the guide's Python-isms, errors, depth) takes the exact parser.
  try {
    return okValue({ value: fromNative(JSON.parse(text.value), 0), lenient: false });
  } catch {
    // fall through to the exact parser
  }
  const p = new JsonParser(text.value, opts.tolerant ?? true);
  try {
    const value = p.value(0);
    p.ws();
    if (p.i < text.value.length) p.err('text after the JSON value');
    return okValue({ value, lenient: p.lenient });
  } catch (e) {
    if (e instanceof JsonDepth) return fail('tooDeep', e.message);
    if (e instanceof JsonSyntax) return fail('badJson', `invalid JSON: ${e.message}`);
    return fail('badJson', 'invalid JSON');
  }
}

const intRe = /^-?[0-9]{1,9}$/;

export interface IvReply {
  /** The return code (0 = success, digest §6). */
  code: number;
  codeName: string;
  /** The code's message from codes.ts. */
  message: string;
  /** Slot 1 when it is a string and the code is non-zero or the method is a status method; else null. */
  description: string | null;
  /** Slot 1 as received: the description, or the data of a query method. */
  data: IvValue;
  /** The identifier echoed back (slot 2), or null when none was sent. */
  identifier: string | null;
  lenient: boolean;
}

/**
 * Decode a reply body. A non-zero code is still `ok:true` (it is a well-formed reply, and its
 * identifier is needed to settle the request); use `replyResult` or the typed query decoders to
 * turn it into a `returnCode` error.
 */
export function decodeReply(body: string | Uint8Array, opts: JsonOptions = {}): Decoded<IvReply> {
  const parsed = parseJson(body, opts);
  if (!parsed.ok) return parsed;
  const v = parsed.value.value;
  if (!Array.isArray(v)) return fail('badShape', 'a reply is a JSON array [code, description|data, identifier?]');
  if (v.length < 1 || v.length > 3) return fail('badShape', `a reply has 1 to 3 elements, not ${v.length}`);
  const c = v[0];
  if (typeof c !== 'string' || !intRe.test(c)) return fail('badShape', 'reply element 0 is not an integer return code');
  const code = Number(c);
  const data = v.length >= 2 ? (v[1] as IvValue) : null;
  const idv = v[2];
  if (v.length === 3 && typeof idv !== 'string') return fail('badShape', 'reply identifier (element 2) is not a string');
  const info = describeCode(code);
  return okValue({
    code,
    codeName: info.name,
    message: info.message,
    description: typeof data === 'string' ? data : null,
    data,
    identifier: v.length === 3 ? (idv as string) : null,
    lenient: parsed.value.lenient,
  });
}

/** A reply as a result: its data on code 0, else the typed `returnCode` error. */
export function replyResult(reply: IvReply): Decoded<IvValue> {
  return reply.code === 0 ? okValue(reply.data) : returnCodeError(reply.code, reply.description);
}

/** The pending request a reply settles, by identifier (null: not ours, or no identifier). */
export function matchReply<T>(reply: IvReply, pending: ReadonlyMap<string, T>): T | null {
  return reply.identifier !== null && pending.has(reply.identifier) ? (pending.get(reply.identifier) as T) : null;
}

function queryData(body: string | Uint8Array, opts: JsonOptions): Decoded<IvValue> {
  const r = decodeReply(body, opts);
  return r.ok ? replyResult(r.value) : r;
}

/** `[0,[1234,…]]` (AgentList), `[0,['1002',…]]` (QueueList, SipUserList): the items as strings. */
export function decodeNameListReply(body: string | Uint8Array, opts: JsonOptions = {}): Decoded<string[]> {
  const d = queryData(body, opts);
  if (!d.ok) return d;
  if (!Array.isArray(d.value)) return fail('badShape', 'expected a list of names in slot 1');
  const out: string[] = [];
  for (const item of d.value) {
    if (typeof item !== 'string') return fail('badShape', 'a list item is not a scalar');
    out.push(item);
  }
  return okValue(out);
}

export type IvRecord = Record<string, string | null>;

function toRecord(v: IvValue): IvRecord | null {
  if (!isObject(v)) return null;
  const out: IvRecord = {};
  for (const [k, x] of Object.entries(v)) {
    if (x !== null && typeof x !== 'string') return null;
    Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `[0,{…}]` (AgentInfo, QueueInfo, SipUserInfo): a flat record of strings (null kept). */
export function decodeRecordReply(body: string | Uint8Array, opts: JsonOptions = {}): Decoded<IvRecord> {
  const d = queryData(body, opts);
  if (!d.ok) return d;
  const r = toRecord(d.value);
  return r ? okValue(r) : fail('badShape', 'expected a flat object in slot 1');
}

/** `[0,[{…},…]]` (AgentLineList, AgentQueueList, AgentQueueMembers): flat records of strings. */
export function decodeRecordListReply(body: string | Uint8Array, opts: JsonOptions = {}): Decoded<IvRecord[]> {
  const d = queryData(body, opts);
  if (!d.ok) return d;
  if (!Array.isArray(d.value)) return fail('badShape', 'expected a list of objects in slot 1');
  const out: IvRecord[] = [];
  for (const item of d.value) {
    const r = toRecord(item);
    if (!r) return fail('badShape', 'a list item is not a flat object');
    out.push(r);
  }
  return okValue(out);
}

/** `[0,"123"]` (AgentInfoPermission, SipUserInfoPermission): the permission group. */
export function decodeLocationReply(body: string | Uint8Array, opts: JsonOptions = {}): Decoded<string> {
  const d = queryData(body, opts);
  if (!d.ok) return d;
  return typeof d.value === 'string' ? okValue(d.value) : fail('badShape', 'expected the permission group as a string in slot 1');
}

/** `[0,"Successful …"]` (status methods): the description (or '' when absent). */
export function decodeStatusReply(body: string | Uint8Array, opts: JsonOptions = {}): Decoded<string> {
  const r = decodeReply(body, opts);
  if (!r.ok) return r;
  if (r.value.code !== 0) return returnCodeError(r.value.code, r.value.description);
  return okValue(r.value.description ?? '');
}

/** Strip an `<accountcode>_` prefix (AgentInfo `user:"default_1234"`, QueueInfo `name:"default_7012"`, §7 #16). */
export function stripAccountPrefix(value: string, accountcode: string): string {
  return accountcode !== '' && value.startsWith(`${accountcode}_`) ? value.slice(accountcode.length + 1) : value;
}
