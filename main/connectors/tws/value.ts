// A format-neutral value tree for TWS results and payloads: every scalar is a string (or null),
// so `0612345678`, GUIDs and `\/Date(…)\/` survive untouched (digest §1.5, §1.6). JSON numbers
// and booleans become their source text; XML elements become strings, arrays or objects.
import { codecError, fail, isNil, MAX_DEPTH, normName, type Decoded, type XNode } from './xml.js';

export type TwsValue = string | null | TwsValue[] | TwsObject;
export interface TwsObject {
  [member: string]: TwsValue;
}

/** Own-property set, safe for `__proto__` and friends. */
export function setMember(obj: TwsObject, key: string, value: TwsValue): void {
  // Only `__proto__` is an accessor on a plain object; every other name is a plain own property.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function isObject(v: TwsValue | undefined): v is TwsObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/** A member by name, matched case-insensitively and ignoring `_` (digest §7 #29, #43). */
export function member(obj: TwsValue | undefined, ...names: string[]): TwsValue | undefined {
  if (!isObject(obj)) return undefined;
  // Most names arrive spelled as the manual spells them: try them as they are first.
  for (const n of names) if (Object.hasOwn(obj, n)) return obj[n];
  const wanted = names.map(normName);
  for (const [k, v] of Object.entries(obj)) if (wanted.includes(normName(k))) return v;
  return undefined;
}

/** A scalar member as a string; null/absent/non-scalar -> null. */
export function str(obj: TwsValue | undefined, ...names: string[]): string | null {
  const v = member(obj, ...names);
  return typeof v === 'string' ? v : null;
}

/** A list: a JSON array, an XML container of items, or empty for `''`/null/absent. */
export function list(v: TwsValue | undefined): TwsValue[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) {
    // An XML container with a single item that was not recognised as an array.
    const vals = Object.values(v);
    return vals.length === 1 && isObject(vals[0]) ? [vals[0]] : [v];
  }
  return [];
}

const itemNames = /^(C(?!TLK)[A-Z]\w*|string|int|long|boolean|guid|anyType|dateTime)$/;

/** XML element -> value. `i:nil` -> null; leaf -> text; same-named item children -> array. */
export function xmlToValue(node: XNode): TwsValue {
  // Iterative post-order to stay safe on deep input.
  const out = new Map<XNode, TwsValue>();
  const stack: Array<{ n: XNode; done: boolean }> = [{ n: node, done: false }];
  while (stack.length > 0) {
    const top = stack.pop() as { n: XNode; done: boolean };
    const n = top.n;
    if (isNil(n)) {
      out.set(n, null);
      continue;
    }
    if (n.children.length === 0) {
      out.set(n, n.text);
      continue;
    }
    if (!top.done) {
      stack.push({ n, done: true });
      for (const c of n.children) stack.push({ n: c, done: false });
      continue;
    }
    const first = (n.children[0] as XNode).name;
    const uniform = n.children.every((c) => c.name === first);
    if (uniform && (n.children.length > 1 || itemNames.test(first))) {
      out.set(n, n.children.map((c) => out.get(c) ?? null));
    } else {
      const obj: TwsObject = {};
      for (const c of n.children) setMember(obj, c.name, out.get(c) ?? null);
      out.set(n, obj);
    }
  }
  return out.get(node) ?? null;
}

const numberToken = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * JSON text -> value with every number kept as its source text (quoted before JSON.parse, so the
 * syntax check stays JSON.parse's). Depth-capped. Never throws.
 */
export function parseJsonValue(text: string): Decoded<TwsValue> {
  let out = '';
  let depth = 0;
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string literal.
      i += 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) break;
        else i += 1;
      }
      i += 1;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > MAX_DEPTH) return fail('tooLarge', `JSON nested deeper than ${MAX_DEPTH}`);
      i += 1;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
      i += 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      numberToken.lastIndex = i;
      const m = numberToken.exec(text);
      if (!m) {
        i += 1;
        continue;
      }
      out += `${text.slice(last, i)}"${m[0]}"`;
      i += m[0].length;
      last = i;
    } else i += 1;
  }
  out += text.slice(last);
  let parsed: unknown;
  try {
    parsed = JSON.parse(out);
  } catch (err) {
    return { ok: false, error: codecError('malformed', `not valid JSON: ${(err as Error).message}`, text) };
  }
  return { ok: true, value: jsonToValue(parsed) };
}

function jsonToValue(v: unknown): TwsValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(jsonToValue);
  const obj: TwsObject = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) setMember(obj, k, jsonToValue(x));
  return obj;
}

const msDate = /^\\?\/Date\((-?\d{1,15})([+-]\d{4})?\)\\?\/$/;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A TWS date to epoch milliseconds: WCF JSON `\/Date(1372690748787+0200)\/` or ISO-8601 with up
 * to 7 fractional digits (digest §1.5, §1.6). `0001-01-01T00:00:00` (DateTime.MinValue, "unknown")
 * and anything unparseable give null. An ISO value without an offset is read as UTC [INF].
 */
export function parseTwsDate(v: string | null | undefined): number | null {
  if (!v) return null;
  const t = v.trim();
  const m = msDate.exec(t);
  if (m) return Number(m[1]);
  const d = isoDate.exec(t);
  if (!d || d[1] === '0001') return null;
  const frac = d[7] ? d[7].slice(0, 4).padEnd(4, '0') : '.000';
  const ms = Date.parse(`${d[1]}-${d[2]}-${d[3]}T${d[4]}:${d[5]}:${d[6]}${frac}${d[8] ?? 'Z'}`);
  return Number.isFinite(ms) ? ms : null;
}
