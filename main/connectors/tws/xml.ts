// Safe XML text -> element tree for the TWS codec. Pure; never throws past its boundary.
//
// Two paths (NOTES.md "XML"):
// - strict: fast-xml-parser, validated first, no entity expansion, no DOCTYPE, values kept as
//   strings, byte and depth caps (the TelServices set-up, plus attributes for `i:nil`);
// - tolerant (opt-in, for the manual's malformed examples, digest §6.3, §6.6–§6.8, §7 #43–#44):
//   a bounded tag-soup builder with the few repairs the digest documents. It runs only after the
//   strict path rejected the text, never expands entities either, and keeps the same caps.
//
// Element names are reduced to their local name (`a:Guid` -> `Guid`): TWS is namespace-agnostic
// on the client side, and several manual examples use unbound prefixes (digest §1.5).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { orderedToTree } from '../ordered-tree.js';
import { excerpt, makeCodecError } from '../codec-error.js';
import { escapeXmlAttr, maxNesting, safeXmlParserOptions, unescapeXml } from '../xml-text.js';

export { excerpt, unescapeXml, escapeXmlAttr as escapeXml };

export type TwsCodecErrorKind =
  | 'malformed'
  | 'tooLarge'
  | 'encoding'
  | 'noResult'
  | 'fault'
  | 'returnCode'
  | 'authRejected'
  | 'badValue'
  | 'unknownEvent';

export interface TwsCodecError {
  kind: TwsCodecErrorKind;
  message: string;
  /** For `returnCode`: the numeric code and its §5.2 name (`error<n>` when unlisted). */
  code?: number;
  codeName?: string;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: TwsCodecError };

export interface XNode {
  /** Local name, prefix stripped. */
  name: string;
  /** Attributes by their full name (`i:nil`, `xmlns:a`), values raw. */
  attrs: Record<string, string>;
  children: XNode[];
  /** Concatenated, trimmed, entity-decoded text content. */
  text: string;
}

/** Default byte cap for one result body or one event (a full CallEvent is ~12 KiB). */
export const DEFAULT_MAX_BYTES = 1024 * 1024;
/** The deepest TWS nesting is about 12 (CallEvent > … > MergedInfos > a:string). */
export const MAX_DEPTH = 64;
/** Tolerant mode refuses documents with more tags than this (keeps the repair pass linear-ish). */
const MAX_TAGS = 100_000;

export const codecError: (kind: TwsCodecErrorKind, message: string, input?: string) => TwsCodecError = makeCodecError;

export function fail<T>(kind: TwsCodecErrorKind, message: string, input?: string): Decoded<T> {
  return { ok: false, error: codecError(kind, message, input) };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes or text to text, enforcing the byte cap before any decoding work. A BOM is dropped. */
export function inputToText(input: string | Uint8Array, maxBytes: number): Decoded<string> {
  let text: string;
  if (typeof input === 'string') {
    if (input.length > maxBytes || (input.length * 3 > maxBytes && Buffer.byteLength(input, 'utf8') > maxBytes)) {
      return fail('tooLarge', `body larger than ${maxBytes} bytes`);
    }
    text = input;
  } else {
    if (input.byteLength > maxBytes) return fail('tooLarge', `body of ${input.byteLength} bytes exceeds ${maxBytes}`);
    try {
      text = utf8.decode(input);
    } catch {
      return fail('encoding', 'body is not valid UTF-8');
    }
  }
  return { ok: true, value: text.replace(/^\ufeff/, '') };
}


export function localName(qname: string): string {
  const i = qname.lastIndexOf(':');
  return i >= 0 ? qname.slice(i + 1) : qname;
}

/** Lowercase, no underscores: the key used to match member names (digest §7 #29, #43). */
export function normName(name: string): string {
  // Member names repeat on every frame: remember them (bounded, so hostile input cannot grow it).
  let n = normCache.get(name);
  if (n === undefined) {
    n = name.replace(/_/g, '').toLowerCase();
    if (normCache.size >= NORM_CACHE_MAX) normCache.clear();
    normCache.set(name, n);
  }
  return n;
}
const NORM_CACHE_MAX = 4096;
const normCache = new Map<string, string>();

export function isNil(node: XNode): boolean {
  return attrsNil(node.attrs);
}

function attrsNil(attrs: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(attrs)) {
    if (localName(k) === 'nil' && v.trim().toLowerCase() === 'true') return true;
  }
  return false;
}

/** First child whose normalised name is one of `names` (already normalised). */
export function child(node: XNode, ...names: string[]): XNode | undefined {
  return node.children.find((c) => names.includes(normName(c.name)));
}


// Attributes kept (unprefixed names), so `i:nil` is seen.
const parser = new XMLParser({ ...safeXmlParserOptions, ignoreAttributes: false, attributeNamePrefix: '' });

function toTree(items: unknown[]): XNode[] {
  return orderedToTree<XNode>(items, (tag, raw) => {
    const attrs: Record<string, string> = {};
    if (raw && typeof raw === 'object') {
      for (const [ak, av] of Object.entries(raw as Record<string, unknown>)) attrs[ak] = unescapeXml(String(av));
    }
    return { name: localName(tag), attrs, children: [], text: '' };
  });
}

export interface ParseOptions {
  maxBytes?: number;
  /** Accept the manual's malformed shapes with the documented repairs (default false). */
  tolerant?: boolean;
}

export interface Parsed {
  root: XNode;
  /** True when the strict parse failed and the tolerant builder produced the tree. */
  repaired: boolean;
}

/** Parse one document to its root element. Never throws. */
export function parseXml(input: string | Uint8Array, opts: ParseOptions = {}): Decoded<Parsed> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const asText = inputToText(input, maxBytes);
  if (!asText.ok) return asText;
  // eslint-disable-next-line no-control-regex
  const raw = asText.value.replace(/^[\s\u0000]+/, '').replace(/[\s\u0000]+$/, '');
  if (raw.length === 0) return fail('malformed', 'empty document');
  if (/<!DOCTYPE|<!ENTITY/i.test(raw)) return fail('malformed', 'DOCTYPE/ENTITY is not allowed', raw);
  if (maxNesting(raw) > MAX_DEPTH) return fail('tooLarge', `elements nested deeper than ${MAX_DEPTH}`, raw);
  // §6.3 OCR damage `<a>Type>cti</a>Type>` is well-formed (an element `a`), so this one repair
  // runs before the strict parse, in tolerant mode only.
  const text = opts.tolerant ? repairOcrPrefix(raw) : raw;
  let strictError: string;
  try {
    const valid = XMLValidator.validate(text);
    if (valid === true) {
      const roots = toTree(parser.parse(text) as unknown[]);
      if (roots.length === 1 && roots[0]) return { ok: true, value: { root: roots[0], repaired: false } };
      strictError = `expected one root element, found ${roots.length}`;
    } else {
      strictError = `not well-formed XML: ${valid.err.msg} at ${valid.err.line}:${valid.err.col}`;
    }
  } catch (err) {
    strictError = `XML parser failed: ${(err as Error).message}`;
  }
  if (!opts.tolerant) return fail('malformed', strictError, text);
  const soup = tagSoup(repairText(text));
  if (!soup) return fail('malformed', `${strictError}; tolerant repair failed too`, text);
  return { ok: true, value: { root: soup, repaired: true } };
}

// ---------------------------------------------------------------- tolerant path

function repairOcrPrefix(text: string): string {
  return text.replace(/<(\/?)a>([A-Za-z_][\w.-]*)(\s*\/?)>/g, '<$1a:$2$3>');
}

/** Textual repairs, each one a defect the digest lists (NOTES.md "Tolerant XML"). */
function repairText(text: string): string {
  return (
    text
      // §6.7 #4, §6.8 #2–#3: `<ExternalUserInfo<ns0:Infos xmlns=…/>`, `<UserInfo<ns0:Infos …>`.
      .replace(/<([A-Za-z_][\w.-]*)<ns0:Infos\b/g, (_m, n: string) => `<${n === 'UserInfo' ? 'UserInfos' : n}`)
      // §6.7 #6: a stray `<xmlns:a="…"/>` pseudo-element.
      .replace(/<xmlns:[\w.-]+\s*=\s*"[^"<>]*"\s*\/?>/g, '')
      // §6.7 #2: `CCContactInfo` for `CContactInfo`.
      .replace(/<(\/?)CCContactInfo\b/g, '<$1CContactInfo')
  );
}

type Tok =
  | { t: 'open'; name: string; attrs: Record<string, string>; self: boolean }
  | { t: 'close'; name: string }
  | { t: 'text'; text: string };

const attrRe = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

function tokenize(text: string): Tok[] | null {
  const toks: Tok[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      toks.push({ t: 'text', text: text.slice(i) });
      break;
    }
    if (lt > i) toks.push({ t: 'text', text: text.slice(i, lt) });
    if (toks.length > MAX_TAGS) return null;
    const skipTo = (end: string, from: number): number => {
      const e = text.indexOf(end, from);
      return e < 0 ? n : e + end.length;
    };
    if (text.startsWith('<?', lt)) i = skipTo('?>', lt + 2);
    else if (text.startsWith('<!--', lt)) i = skipTo('-->', lt + 4);
    else if (text.startsWith('<![CDATA[', lt)) {
      const e = text.indexOf(']]>', lt + 9);
      toks.push({ t: 'text', text: e < 0 ? text.slice(lt + 9) : text.slice(lt + 9, e) });
      i = e < 0 ? n : e + 3;
    } else {
      const gt = text.indexOf('>', lt + 1);
      const lt2 = text.indexOf('<', lt + 1);
      if (gt < 0 || (lt2 >= 0 && lt2 < gt)) {
        // A lone '<': keep it as text.
        toks.push({ t: 'text', text: '<' });
        i = lt + 1;
        continue;
      }
      const body = text.slice(lt + 1, gt);
      i = gt + 1;
      if (body.startsWith('/')) {
        const name = body.slice(1).trim();
        if (name) toks.push({ t: 'close', name: localName(name) });
        continue;
      }
      if (body.startsWith('!')) continue;
      const self = body.endsWith('/');
      const inner = self ? body.slice(0, -1) : body;
      const m = /^\s*([^\s/>]+)/.exec(inner);
      if (!m || !m[1]) continue;
      const attrs: Record<string, string> = {};
      const rest = inner.slice(m[0].length);
      attrRe.lastIndex = 0;
      for (let a = attrRe.exec(rest); a; a = attrRe.exec(rest)) {
        if (a[1]) attrs[a[1]] = unescapeXml(a[3] ?? a[4] ?? '');
      }
      toks.push({ t: 'open', name: localName(m[1]), attrs, self });
    }
  }
  return toks;
}

function sameName(a: string, b: string): boolean {
  const x = normName(a);
  const y = normName(b);
  return x === y || x === `${y}s` || y === `${x}s`;
}

/**
 * Build a tree from tag soup. Rules (NOTES.md): a `nil` element is self-closing; a close tag
 * pops to the nearest open element of that name (or is ignored); a run of close tags is
 * skipped when the following content closes an element that run popped (page-break junk,
 * §6.6–§6.8); stray text outside the root is ignored. Returns null if there is no root.
 */
function tagSoup(text: string): XNode | null {
  const toks = tokenize(text);
  if (!toks) return null;
  const top: XNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XNode[] = [top];
  const texts = new Map<XNode, string[]>();
  const addText = (node: XNode, s: string): void => {
    const list = texts.get(node);
    if (list) list.push(s);
    else texts.set(node, [s]);
  };
  // nextUnmatched[j]: the first close tag at or after j that closes an element opened before j
  // (depth drops below its level at j), computed in one backward pass so the soup stays linear.
  const level = new Int32Array(toks.length + 1);
  for (let k = 0; k < toks.length; k += 1) {
    const tk = toks[k] as Tok;
    const delta = tk.t === 'open' ? (tk.self || attrsNil(tk.attrs) ? 0 : 1) : tk.t === 'close' ? -1 : 0;
    level[k + 1] = (level[k] ?? 0) + delta;
  }
  const nextUnmatched = new Int32Array(toks.length).fill(-1);
  const firstReach = new Map<number, number>();
  for (let k = toks.length - 1; k >= 0; k -= 1) {
    if ((toks[k] as Tok).t === 'close') firstReach.set(level[k + 1] ?? 0, k);
    nextUnmatched[k] = firstReach.get((level[k] ?? 0) - 1) ?? -1;
  }
  let lastOpen = -1;
  for (let k = toks.length - 1; k >= 0; k -= 1) {
    if ((toks[k] as Tok).t === 'open') {
      lastOpen = k;
      break;
    }
  }
  let i = 0;
  while (i < toks.length) {
    const tok = toks[i] as Tok;
    if (tok.t === 'text') {
      const cur = stack[stack.length - 1] as XNode;
      if (cur !== top) addText(cur, unescapeXml(tok.text));
      i += 1;
      continue;
    }
    if (tok.t === 'open') {
      const cur = stack[stack.length - 1] as XNode;
      const node: XNode = { name: tok.name, attrs: tok.attrs, children: [], text: '' };
      if (cur === top && top.children.length > 0) {
        // Content after the root closed: attach it to the root's last open-able level instead.
        (top.children[0] as XNode).children.push(node);
      } else cur.children.push(node);
      if (!tok.self && !isNil(node)) {
        if (stack.length > MAX_DEPTH) return null;
        stack.push(node);
      }
      i += 1;
      continue;
    }
    // A run of close tags (only whitespace text between them).
    let j = i;
    const run: string[] = [];
    while (j < toks.length) {
      const tj = toks[j] as Tok;
      if (tj.t === 'close') run.push(tj.name);
      else if (!(tj.t === 'text' && tj.text.trim() === '')) break;
      j += 1;
    }
    // Simulate the run to learn which open elements it pops.
    const sim = stack.slice();
    const popped: string[] = [];
    for (const name of run) {
      let k = sim.length - 1;
      while (k > 0 && !sameName((sim[k] as XNode).name, name)) k -= 1;
      if (k > 0) {
        for (let p = sim.length - 1; p >= k; p -= 1) popped.push((sim[p] as XNode).name);
        sim.length = k;
      }
    }
    // Look ahead: the first close tag not matching an element opened after the run.
    const nk = j < toks.length ? nextUnmatched[j] ?? -1 : -1;
    const nextTok = nk >= 0 ? toks[nk] : undefined;
    const next = nextTok && nextTok.t === 'close' ? nextTok.name : undefined;
    const closesRoot = sim.length <= 1;
    const moreContent = lastOpen >= j;
    const junk = (next !== undefined && popped.some((p) => sameName(p, next))) || (closesRoot && moreContent);
    if (!junk) {
      stack.length = sim.length;
    }
    i = j;
  }
  for (const [node, list] of texts) {
    const joined = list.join('');
    // §6.7 #1: values broken across lines by the converter: join without whitespace.
    node.text = node.children.length === 0 ? joined.trim().replace(/\s*\n\s*/g, '') : joined.trim();
  }
  const root = top.children[0];
  return root ?? null;
}
