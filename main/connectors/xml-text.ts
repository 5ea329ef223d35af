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
} as const;
