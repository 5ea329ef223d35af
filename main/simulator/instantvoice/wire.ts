// The lab ACD's own STOMP body codec (independent of the connector's, so connector bugs are not mirrored).
// Requests: a JSON array [method, key, {args}, identifier?], decoded leniently as the guide writes them:
// single-quoted strings and trailing commas are accepted (Python-isms), every scalar stays a string
// ("0001" is never turned into 1; 7015 arrives as "7015"), null becomes absent. A body that is still not
// parseable (missing commas, a broken quote) cannot be answered, since its key is unknown: it is dropped.

export type IvValue = string | IvValue[] | { [k: string]: IvValue };

export class IvDecodeError extends Error {}

const maxDepth = 16;

/** Parse a JSON-like text; scalars are returned as their text (strings unquoted). */
export function parseLenient(text: string): IvValue | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const fail = (what: string): never => {
    throw new IvDecodeError(`${what} at offset ${i}`);
  };
  const str = (): string => {
    const q = text[i];
    i++;
    let out = '';
    while (i < text.length) {
      const c = text[i] as string;
      if (c === q) {
        i++;
        return out;
      }
      if (c === '\\') {
        const n = text[i + 1];
        i += 2;
        if (n === 'n') out += '\n';
        else if (n === 't') out += '\t';
        else if (n === 'r') out += '\r';
        else if (n === 'b') out += '\b';
        else if (n === 'f') out += '\f';
        else if (n === 'u') {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else if (n === undefined) fail('unterminated string');
        else out += n;
        continue;
      }
      if (c === '\n' && q === "'") fail('newline in string');
      out += c;
      i++;
    }
    return fail('unterminated string');
  };
  const value = (depth: number): IvValue | undefined => {
    if (depth > maxDepth) fail('too deep');
    ws();
    const c = text[i];
    if (c === '"' || c === "'") return str();
    if (c === '[') {
      i++;
      const out: IvValue[] = [];
      for (;;) {
        ws();
        if (text[i] === ']') {
          i++;
          return out;
        }
        const v = value(depth + 1);
        out.push(v ?? '');
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail('expected , or ]');
      }
    }
    if (c === '{') {
      i++;
      const out: { [k: string]: IvValue } = {};
      for (;;) {
        ws();
        if (text[i] === '}') {
          i++;
          return out;
        }
        if (text[i] !== '"' && text[i] !== "'") fail('expected a key');
        const k = str();
        ws();
        if (text[i] !== ':') fail('expected :');
        i++;
        const v = value(depth + 1);
        if (v !== undefined) out[k] = v;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail('expected , or }');
      }
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|True|False|None)/.exec(text.slice(i, i + 64));
    if (!m) return fail('unexpected character');
    i += (m[1] as string).length;
    const word = m[1] as string;
    if (word === 'null' || word === 'None') return undefined;
    if (word === 'True') return 'true';
    if (word === 'False') return 'false';
    return word;
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

export interface IvRequest {
  method: string;
  key: string;
  args: Record<string, IvValue>;
  identifier?: string;
}

/** Decode a request body; throws IvDecodeError when it is not `[method, key, {args}, identifier?]`. */
export function decodeRequest(body: string): IvRequest {
  const v = parseLenient(body);
  if (!Array.isArray(v)) throw new IvDecodeError('not an array');
  const [method, key, args, identifier] = v;
  if (typeof method !== 'string' || typeof key !== 'string') throw new IvDecodeError('method and key must be strings');
  if (v.length > 4) throw new IvDecodeError('more than 4 elements');
  if (args !== undefined && (typeof args !== 'object' || Array.isArray(args))) throw new IvDecodeError('arguments must be an object');
  if (identifier !== undefined && typeof identifier !== 'string') throw new IvDecodeError('identifier must be a string');
  return { method, key, args: (args as Record<string, IvValue> | undefined) ?? {}, ...(identifier !== undefined ? { identifier } : {}) };
}

/** A reply body: [code, description-or-data(, identifier)] in strict JSON. */
export function encodeReply(code: number, second: unknown, identifier?: string): string {
  return JSON.stringify(identifier === undefined ? [code, second] : [code, second, identifier]);
}

export interface IvEvent {
  direction: string;
  callerid: string;
  type: 'NEWCALL' | 'DNEWCALL' | 'CONNECT' | 'DCONNECT' | 'HANGUP' | 'LOGIN' | 'LOGOUT' | 'PAUSE' | 'UNPAUSE';
  uniqueid: string;
  agent: string;
  reason?: string;
}

/** An event body, keys in the guide's order. */
export function encodeEvent(e: IvEvent): string {
  const o: Record<string, string> = { direction: e.direction, callerid: e.callerid, type: e.type, uniqueid: e.uniqueid, agent: e.agent };
  if (e.reason !== undefined) o.reason = e.reason;
  return JSON.stringify(o);
}
