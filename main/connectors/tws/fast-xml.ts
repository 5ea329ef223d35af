// The fast path for well-formed TWS XML (every event frame a server sends): one structure scan
// (xml-text.ts scanXml, which also cuts the namespace declarations nobody reads) and one
// fast-xml-parser pass in object mode, read straight into the value tree. The strict path (xml.ts: validator, ordered parse, tolerant repair) costs about
// twice as much on a 6 kB CallEvent and stays for everything this path declines, so errors and
// repairs are exactly what they were. Same value rules as value.ts xmlToValue (tested against it).
import { XMLParser } from 'fast-xml-parser';
import { scanXml, unescapeXml } from '../xml-text.js';
import { setMember, type TwsObject, type TwsValue } from './value.js';
import { MAX_DEPTH } from './xml.js';

// Object mode: attributes kept under '@' so `i:nil` is seen, nothing expanded, every value a
// string. Prefixes are dropped here, not by the parser (its namespace pass costs more).
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  cdataPropName: '#cdata',
  // No callback reads element paths: skip building a path string per element and attribute.
  jPath: false,
});

const itemNames = /^(C(?!TLK)[A-Z]\w*|string|int|long|boolean|guid|anyType|dateTime)$/;

type Raw = string | Raw[] | { [k: string]: Raw };

/** Thrown inside the walk when a document needs the strict path after all. */
const declined = new Error('declined');

function isNilRaw(r: { [k: string]: Raw }): boolean {
  for (const k in r) {
    if (k[0] === '@' && (k === '@nil' || k.endsWith(':nil'))) {
      const v = r[k];
      if (typeof v === 'string' && v.trim().toLowerCase() === 'true') return true;
    }
  }
  return false;
}

/** `a:Guid` → `Guid` (TWS is namespace-agnostic on the client side). */
function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

function text(r: { [k: string]: Raw }): string {
  const t = r['#text'];
  const cdata = r['#cdata'];
  const parts = [typeof t === 'string' ? unescapeXml(t) : Array.isArray(t) ? t.map((x) => unescapeXml(String(x))).join('') : ''];
  if (cdata !== undefined) parts.push(...(Array.isArray(cdata) ? cdata : [cdata]).map(String));
  return parts.join('').trim();
}

function convert(r: Raw, depth: number): TwsValue {
  if (typeof r === 'string') return unescapeXml(r);
  if (Array.isArray(r)) return convert(r[r.length - 1] ?? '', depth);
  if (isNilRaw(r)) return null;
  const keys = Object.keys(r).filter((k) => k[0] !== '@' && k[0] !== '#');
  if (keys.length === 0) return text(r);
  if (depth > MAX_DEPTH) return null;
  if (keys.length === 1) {
    const key = keys[0] as string;
    const v = r[key] as Raw;
    const items = Array.isArray(v) ? v : [v];
    if (items.length > 1 || itemNames.test(local(key))) return items.map((x) => convert(x, depth + 1));
  }
  const obj: TwsObject = {};
  for (const k of keys) {
    const name = local(k);
    // Siblings that differ only by prefix (`a:X`, `b:X`): the parser kept them apart, so their
    // document order is lost. Never sent by TWS; the strict path reads them.
    if (Object.hasOwn(obj, name)) throw declined;
    setMember(obj, name, convert(r[k] as Raw, depth + 1));
  }
  return obj;
}

/**
 * A well-formed document's root name and value tree, or null when the text needs the strict path
 * (not well-formed, several roots, a parser error): the caller then decodes it the slow way.
 */
export function fastXmlValue(text: string): { root: string; value: TwsValue } | null {
  const scanned = scanXml(text, MAX_DEPTH, true);
  if (!scanned.ok) return null;
  let doc: unknown;
  try {
    doc = parser.parse(scanned.text);
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== 'object') return null;
  const roots = Object.keys(doc).filter((k) => k[0] !== '#' && k[0] !== '?');
  if (roots.length !== 1) return null;
  const key = roots[0] as string;
  const value = (doc as Record<string, Raw>)[key] as Raw;
  if (Array.isArray(value)) return null;
  try {
    return { root: local(key), value: convert(value, 1) };
  } catch (err) {
    if (err === declined) return null;
    throw err;
  }
}
