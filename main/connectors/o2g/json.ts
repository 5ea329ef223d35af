// JSON text → value for O2G bodies and event lines. Pure; never throws.
//
// O2G's comlog ids are 64-bit `long`s (manual L4810, L4823; digest §6 #37). JSON.parse turns
// 9223372036854775807 into 9223372036854776000, and Node 20's reviver has no access to the source
// text. So before parsing, a small scanner (aware of strings and escapes) quotes the integer
// literals that sit under the member names listed in `longKeys` (directly, or as elements of an
// array under that name): `"recordIds":[9223372036854775807]` parses as `["9223372036854775807"]`.
// The same pass bounds the nesting depth, and null members are dropped after parsing (a Java server
// may write `null` for an absent [0..1] field; the schemas then see the field as absent).

export const DEFAULT_LONG_KEYS: ReadonlySet<string> = new Set(['recordId', 'recordIds']);
/** For text known to hold no long id (the hot path of the event channel: see decodeEvent). */
export const NO_LONG_KEYS: ReadonlySet<string> = new Set();

function mentionsAny(text: string, keys: ReadonlySet<string>): boolean {
  for (const k of keys) if (text.includes(`"${k}"`)) return true;
  return false;
}
export const MAX_DEPTH = 64;

export type JsonErrorKind = 'json' | 'tooDeep';
export interface JsonError {
  kind: JsonErrorKind;
  message: string;
}
export type JsonResult = { ok: true; value: unknown } | { ok: false; error: JsonError };

interface Frame {
  array: boolean;
  /** Objects: the member name whose value comes next. Arrays: the member the array is the value of. */
  key: string | null;
  expectKey: boolean;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Quote the integer literals under `longKeys`. Returns the rewritten text, or a depth error.
 * Malformed JSON passes through unchanged (JSON.parse reports it).
 */
export function quoteLongs(text: string, longKeys: ReadonlySet<string>, maxDepth = MAX_DEPTH): { ok: true; text: string } | { ok: false; error: JsonError } {
  const stack: Frame[] = [];
  const out: string[] = [];
  let copied = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      i += 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) break;
        else i += 1;
      }
      i += 1; // past the closing quote (or the end)
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        top.key = decodeKey(text.slice(start, i));
        top.expectKey = false;
      }
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (stack.length >= maxDepth) return { ok: false, error: { kind: 'tooDeep', message: `JSON nested deeper than ${maxDepth} levels` } };
      const top = stack[stack.length - 1];
      const inherited = top ? top.key : null;
      stack.push(c === 123 ? { array: false, key: null, expectKey: true } : { array: true, key: inherited, expectKey: false });
      i += 1;
      continue;
    }
    if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
      i += 1;
      continue;
    }
    if (c === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top && !top.array) {
        top.expectKey = true;
        top.key = null;
      }
      i += 1;
      continue;
    }
    if (c === 45 /* - */ || isDigit(c)) {
      const start = i;
      i += 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isDigit(d) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) i += 1;
        else break;
      }
      const top = stack[stack.length - 1];
      const key = top ? top.key : null;
      if (key !== null && longKeys.has(key) && (top?.array || top?.expectKey === false)) {
        const token = text.slice(start, i);
        if (/^-?\d{1,20}$/.test(token)) {
          out.push(text.slice(copied, start), '"', token, '"');
          copied = i;
        }
      }
      continue;
    }
    i += 1;
  }
  if (copied === 0) return { ok: true, text };
  out.push(text.slice(copied));
  return { ok: true, text: out.join('') };
}

function decodeKey(quoted: string): string | null {
  try {
    const v: unknown = JSON.parse(quoted);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

class TooDeep extends Error {}

/** Remove null members (and null array elements), recursively, at most `maxDepth` levels deep. */
export function dropNulls(value: unknown, maxDepth = MAX_DEPTH): unknown {
  if (maxDepth < 0) throw new TooDeep();
  if (Array.isArray(value)) return value.filter((v) => v !== null).map((v) => dropNulls(v, maxDepth - 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k in value as Record<string, unknown>) {
      const v = (value as Record<string, unknown>)[k];
      if (v === null) continue;
      // Own data properties only; `__proto__` as a key must not reach a prototype.
      if (k === '__proto__') Object.defineProperty(out, k, { value: dropNulls(v, maxDepth - 1), enumerable: true, writable: true, configurable: true });
      else out[k] = dropNulls(v, maxDepth - 1);
    }
    return out;
  }
  return value;
}

const tooDeep: JsonResult = { ok: false, error: { kind: 'tooDeep', message: `JSON nested deeper than ${MAX_DEPTH} levels` } };

/**
 * Parse JSON text with long ids kept as strings and nulls dropped. V8's JSON.parse takes any
 * depth; the depth is bounded where this code walks the value (the long-id scanner, the null
 * pass). Each runs only when it has work: a long-id member named in the text, or a `null` in it.
 * Most event lines need neither, and this decoder sits on every line of the event channel.
 */
export function parseJson(text: string, longKeys: ReadonlySet<string> = DEFAULT_LONG_KEYS): JsonResult {
  let source = text;
  if (mentionsAny(text, longKeys)) {
    const quoted = quoteLongs(text, longKeys);
    if (!quoted.ok) return quoted;
    source = quoted.text;
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    return { ok: false, error: { kind: 'json', message: `not JSON: ${err instanceof Error ? err.message : String(err)}` } };
  }
  if (!source.includes('null')) return { ok: true, value };
  try {
    return { ok: true, value: dropNulls(value) };
  } catch (err) {
    if (err instanceof TooDeep || err instanceof RangeError) return tooDeep;
    throw err;
  }
}

/** A 64-bit id as it goes on the wire: the decimal digits, unquoted (`long`, L4846). */
export function isLongId(id: string): boolean {
  if (!/^-?\d{1,19}$/.test(id)) return false;
  const v = BigInt(id);
  return v >= -(2n ** 63n) && v < 2n ** 63n;
}

/** `{"recordIds":[1,2]}` with the ids written as JSON numbers without going through a double. */
export function recordIdsBody(ids: readonly string[]): string {
  for (const id of ids) if (!isLongId(id)) throw new RangeError(`not a 64-bit record id: ${id}`);
  return `{"recordIds":[${ids.join(',')}]}`;
}
