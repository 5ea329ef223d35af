// Safe XML text <-> element tree for the TelServices codec, plus PDU framing helpers.
// TelServices XML has elements only (no attributes, no namespaces), so a tree of
// { name, children, text } is all the codec needs. Parsing never throws: it returns a typed error.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { orderedToTree } from '../ordered-tree.js';
import { excerpt, makeCodecError } from '../codec-error.js';
import { escapeXmlText, maxNesting, safeXmlParserOptions, unescapeXml } from '../xml-text.js';

export { excerpt, unescapeXml, escapeXmlText as escapeXml };

export type TelCodecErrorKind =
  | 'malformed'
  | 'tooLarge'
  | 'unknownRoot'
  | 'unknownElement'
  | 'missingField'
  | 'badValue'
  | 'encoding';

export interface TelCodecError {
  kind: TelCodecErrorKind;
  message: string;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: TelCodecError };

export interface XNode {
  name: string;
  children: XNode[];
  /** Concatenated, trimmed, entity-decoded text content (empty for pure containers). */
  text: string;
}

/** Default byte cap for replies and events (a snapshot with a few calls is a few KiB). */
export const DEFAULT_MAX_BYTES = 256 * 1024;
/** The deepest element nesting any TelServices PDU uses is about 7; anything far deeper is hostile. */
export const MAX_DEPTH = 48;

export const codecError: (kind: TelCodecErrorKind, message: string, input?: string) => TelCodecError = makeCodecError;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes or text to text, enforcing the byte cap before any decoding work. */
export function inputToText(input: string | Uint8Array, maxBytes: number): Decoded<string> {
  if (typeof input === 'string') {
    // UTF-16 length is a lower bound of the UTF-8 length; only measure exactly when near the cap.
    if (input.length > maxBytes || (input.length * 3 > maxBytes && Buffer.byteLength(input, 'utf8') > maxBytes)) {
      return { ok: false, error: codecError('tooLarge', `PDU larger than ${maxBytes} bytes`) };
    }
    return { ok: true, value: input };
  }
  if (input.byteLength > maxBytes) {
    return { ok: false, error: codecError('tooLarge', `PDU of ${input.byteLength} bytes exceeds ${maxBytes}`) };
  }
  try {
    return { ok: true, value: utf8.decode(input) };
  } catch {
    return { ok: false, error: codecError('encoding', 'PDU is not valid UTF-8') };
  }
}

/**
 * Index just past the close of the first root element, or -1 while it is still open.
 * Used by the TCP transport to stop reading a streamed reply as soon as its root closed.
 * Skips a leading BOM, whitespace, NULs, `<?…?>` and comments; does not validate.
 */
export function findRootEnd(text: string): number {
  let depth = 0;
  let seenRoot = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return -1;
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return -1;
      i = end + 2;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return -1;
      i = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) return -1;
      i = end + 3;
      continue;
    }
    const gt = text.indexOf('>', lt + 1);
    if (gt < 0) return -1;
    if (text[lt + 1] === '/') {
      depth -= 1;
      if (seenRoot && depth <= 0) return gt + 1;
    } else if (text[gt - 1] === '/') {
      if (!seenRoot && depth === 0) return gt + 1;
    } else if (text[lt + 1] !== '!') {
      depth += 1;
      seenRoot = true;
    }
    i = gt + 1;
  }
  return -1;
}

/**
 * Split a datagram (or any buffer) that may hold several PDUs. Roots are found by their closing
 * tag, so back-to-back roots separate; the end-of-PDU sequence, when configured, also separates,
 * but a piece whose root is still open is re-joined with the next (a '\n' sequence with a
 * pretty-printed PDU). Text outside any element becomes its own piece so the decoder reports it
 * without spoiling the valid PDU next to it. Blank pieces are dropped.
 */
export function splitPdus(text: string, endOfPdu: string | null): string[] {
  const pieces = endOfPdu ? text.split(endOfPdu) : [text];
  const out: string[] = [];
  let pending = '';
  for (const piece of pieces) {
    pending = pending === '' ? piece : pending + (endOfPdu ?? '') + piece;
    pending = takeRoots(pending, out);
  }
  if (!isBlank(pending)) out.push(pending);
  return out;
}

/** Move every complete root (and stray text before it) from `text` to `out`; return the open tail. */
function takeRoots(text: string, out: string[]): string {
  let rest = text;
  // Bounded: every iteration consumes at least one character.
  while (!isBlank(rest)) {
    const lt = rest.indexOf('<');
    if (lt < 0) return rest;
    if (!isBlank(rest.slice(0, lt))) {
      out.push(rest.slice(0, lt).trim());
      rest = rest.slice(lt);
    }
    const end = findRootEnd(rest);
    if (end <= 0) return rest;
    out.push(rest.slice(0, end).trim());
    rest = rest.slice(end);
  }
  return '';
}

// eslint-disable-next-line no-control-regex
const blank = /^[\s\u0000\ufeff]*$/;
function isBlank(s: string): boolean {
  return blank.test(s);
}

const parser = new XMLParser(safeXmlParserOptions);



/** Convert fast-xml-parser's preserveOrder output into XNode trees. */
function toTree(items: unknown[]): XNode[] {
  return orderedToTree<XNode>(items, (name) => ({ name, children: [], text: '' }));
}

export interface ParseOptions {
  maxBytes?: number;
  /** The site's end-of-PDU sequence, stripped when it trails the document. */
  endOfPdu?: string | null;
}

/** Parse one PDU to its root element. Never throws. */
export function parseDocument(input: string | Uint8Array, opts: ParseOptions = {}): Decoded<XNode> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const asText = inputToText(input, maxBytes);
  if (!asText.ok) return asText;
  let text = asText.value;
  if (opts.endOfPdu) {
    const idx = text.lastIndexOf(opts.endOfPdu);
    if (idx >= 0 && isBlank(text.slice(idx + opts.endOfPdu.length))) text = text.slice(0, idx);
  }
  // Tolerate a BOM and surrounding whitespace/NULs (some gateways pad datagrams).
  // eslint-disable-next-line no-control-regex
  text = text.replace(/^[\s\u0000\ufeff]+/, '').replace(/[\s\u0000]+$/, '');
  if (text.length === 0) return { ok: false, error: codecError('malformed', 'empty PDU') };
  if (/<!DOCTYPE/i.test(text)) {
    return { ok: false, error: codecError('malformed', 'DOCTYPE is not allowed', text) };
  }
  if (maxNesting(text) > MAX_DEPTH) {
    return { ok: false, error: codecError('tooLarge', `elements nested deeper than ${MAX_DEPTH}`, text) };
  }
  let valid: ReturnType<typeof XMLValidator.validate>;
  let parsed: unknown;
  try {
    valid = XMLValidator.validate(text);
    if (valid !== true) {
      const e = valid.err;
      return {
        ok: false,
        error: codecError('malformed', `not well-formed XML: ${e.msg} at ${e.line}:${e.col}`, text),
      };
    }
    parsed = parser.parse(text);
  } catch (err) {
    return { ok: false, error: codecError('malformed', `XML parser failed: ${(err as Error).message}`, text) };
  }
  const roots = toTree(Array.isArray(parsed) ? parsed : []);
  if (roots.length !== 1 || roots[0] === undefined) {
    return { ok: false, error: codecError('malformed', `expected one root element, found ${roots.length}`, text) };
  }
  return { ok: true, value: roots[0] };
}
