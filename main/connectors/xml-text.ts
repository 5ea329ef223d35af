// XML helpers shared by the XML codecs (TelServices, TWS): the five predefined entities and
// character references decoded (never any other entity: nothing is expanded), text escaped for
// element content or for a double-quoted attribute (dropping what XML 1.0 cannot carry), and the
// nesting-depth pre-check made before a document is parsed, and the safe parser settings.

const entity = /&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g;
const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decode the five predefined XML entities and character references; leave anything else as is. */
export function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(entity, (whole, body: string) => {
    const fixed = named[body];
    if (fixed !== undefined) return fixed;
    const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

// XML 1.0 forbids most C0 controls and lone surrogates; they are dropped on encode.
// eslint-disable-next-line no-control-regex
const invalidXmlChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escape text content (and drop characters XML cannot carry). */
export function escapeXmlText(s: string): string {
  return s.replace(invalidXmlChars, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape text for element content or a double-quoted attribute. */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s).replace(/"/g, '&quot;');
}

/** Nesting depth of the document, computed without recursion (a cheap pre-check before parsing). */
export function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  const tag = /<(\/?)[^>!?]*?(\/?)>/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (m[1]) depth -= 1;
    else if (!m[2]) {
      depth += 1;
      if (depth > max) max = depth;
    }
  }
  return max;
}

/**
 * fast-xml-parser settings every XML codec starts from (attributes are each codec's choice).
 * Ordered output (repeated elements are always arrays), no entity expansion at all (billion
 * laughs; the standard escapes are decoded with unescapeXml), and values kept as strings
 * ('0612345678' and '0E68' must never become numbers).
 */
export const safeXmlParserOptions = {
  preserveOrder: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  // No callback reads element paths: skip building a path string per element.
  jPath: false,
} as const;

/** XML name start characters, ASCII letters, `_`, `:` and anything above Latin-1 punctuation. */
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0xc0;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * One linear pass that checks what a fast parse must not be trusted with: every tag closed by its
 * own name, one root element, attributes quoted, nesting within `maxDepth`, no DOCTYPE or other
 * declaration. Comments, CDATA and processing instructions are skipped. Returns null when the
 * text passes, else why not (the caller then takes its strict path for the precise error).
 */
export function checkXmlStructure(text: string, maxDepth: number): string | null {
  const r = scanXml(text, maxDepth, false);
  return r.ok ? null : r.reason;
}

/**
 * checkXmlStructure, and the text without its namespace declarations (`xmlns`, `xmlns:a`
 * attributes, cut from inside tags only) for namespace-agnostic readers: a parser then spends
 * nothing on them (on a TWS event they are most of the attributes).
 */
export function scanXml(text: string, maxDepth: number, dropXmlns: boolean): { ok: true; text: string } | { ok: false; reason: string } {
  const r = scan(text, maxDepth, dropXmlns ? [] : null);
  if (typeof r === 'string') return { ok: false, reason: r };
  if (r === null || r.length === 0) return { ok: true, text };
  let out = '';
  let at = 0;
  for (let k = 0; k < r.length; k += 2) {
    out += text.slice(at, r[k]);
    at = r[k + 1] as number;
  }
  return { ok: true, text: out + text.slice(at) };
}

/** The scan: an error message, or the [start, end) pairs of the namespace declarations when asked. */
function scan(text: string, maxDepth: number, cuts: number[] | null): string | number[] | null {
  const open: string[] = [];
  let roots = 0;
  let i = 0;
  const n = text.length;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    const c1 = text.charCodeAt(lt + 1);
    if (c1 === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end < 0) return 'unterminated comment';
        i = end + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        if (open.length === 0) return 'CDATA outside the root element';
        const end = text.indexOf(']]>', lt + 9);
        if (end < 0) return 'unterminated CDATA section';
        i = end + 3;
      } else return 'declarations (DOCTYPE, ENTITY) are not allowed';
      continue;
    }
    if (c1 === 0x3f /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return 'unterminated processing instruction';
      i = end + 2;
      continue;
    }
    if (c1 === 0x2f /* / */) {
      const gt = text.indexOf('>', lt + 2);
      if (gt < 0) return 'unterminated close tag';
      const name = text.slice(lt + 2, gt).trim();
      const top = open.pop();
      if (top !== name) return top === undefined ? `close tag </${name}> without an open tag` : `</${name}> closes <${top}>`;
      i = gt + 1;
      continue;
    }
    // An open tag: its name, then quoted attributes, then '>' or '/>'.
    let j = lt + 1;
    if (!isNameStart(text.charCodeAt(j))) return 'a tag name must follow <';
    while (j < n) {
      const c = text.charCodeAt(j);
      if (isSpace(c) || c === 0x2f || c === 0x3e) break;
      if (c === 0x3c || c === 0x22 || c === 0x27 || c === 0x3d) return 'invalid character in a tag name';
      j += 1;
    }
    const name = text.slice(lt + 1, j);
    let self = false;
    for (;;) {
      while (j < n && isSpace(text.charCodeAt(j))) j += 1;
      if (j >= n) return `unterminated tag <${name}>`;
      const c = text.charCodeAt(j);
      if (c === 0x3e) break;
      if (c === 0x2f) {
        if (text.charCodeAt(j + 1) !== 0x3e) return `stray / in <${name}>`;
        self = true;
        j += 1;
        break;
      }
      const eq = text.indexOf('=', j);
      if (eq < 0) return `attribute without a value in <${name}>`;
      const attrStart = j;
      let a = eq;
      while (a > j && isSpace(text.charCodeAt(a - 1))) a -= 1;
      if (a === j || !isNameStart(text.charCodeAt(j))) return `invalid attribute in <${name}>`;
      for (let k = j; k < a; k += 1) {
        const c = text.charCodeAt(k);
        if (isSpace(c) || c === 0x3c || c === 0x3e || c === 0x22 || c === 0x27 || c === 0x2f) return `invalid attribute in <${name}>`;
      }
      let q = eq + 1;
      while (q < n && isSpace(text.charCodeAt(q))) q += 1;
      const quote = text.charAt(q);
      if (quote !== '"' && quote !== "'") return `unquoted attribute value in <${name}>`;
      const close = text.indexOf(quote, q + 1);
      if (close < 0) return `unterminated attribute value in <${name}>`;
      const lt2 = text.indexOf('<', q + 1);
      if (lt2 >= 0 && lt2 < close) return `'<' in an attribute value of <${name}>`;
      if (cuts && text.startsWith('xmlns', attrStart) && (a === attrStart + 5 || text.charCodeAt(attrStart + 5) === 0x3a)) cuts.push(attrStart, close + 1);
      j = close + 1;
    }
    if (open.length === 0) {
      roots += 1;
      if (roots > 1) return 'more than one root element';
    }
    if (!self) {
      open.push(name);
      if (open.length > maxDepth) return `elements nested deeper than ${maxDepth}`;
    }
    i = j + 1;
  }
  if (open.length > 0) return `<${open[open.length - 1]}> is not closed`;
  if (roots === 0) return 'no root element';
  return cuts;
}
