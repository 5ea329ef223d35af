// A namespace-aware element tree of an XML document, for the SOAP codecs (CTIPS, InstantVoice IVWS):
// fast-xml-parser in ordered mode with the safe options (no entity expansion, every value a string)
// after the structure check, then plain nodes with local names, their namespace and the
// declarations in scope.
import { XMLParser } from 'fast-xml-parser';
import { checkXmlStructure, safeXmlParserOptions, unescapeXml } from './xml-text.js';

export interface XmlNode {
  /** Local name. */
  name: string;
  /** Namespace URI of the element ('' when unbound). */
  ns: string;
  /** Attributes by qualified name as written (`i:type`, `xmlns:a`), values unescaped. */
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Text content (trimmed, entities decoded, CDATA included). */
  text: string;
  /** Namespace declarations in scope (prefix → URI; '' = default). */
  scope: Record<string, string>;
}

const parser = new XMLParser({ ...safeXmlParserOptions, ignoreAttributes: false, attributeNamePrefix: '' });

type Ordered = Array<Record<string, unknown>>;

export function splitXmlName(q: string): [string, string] {
  const i = q.indexOf(':');
  return i < 0 ? ['', q] : [q.slice(0, i), q.slice(i + 1)];
}

const define = (o: Record<string, string>, k: string, value: string) => Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });

function toNodes(items: Ordered, scope: Record<string, string>): XmlNode[] {
  const out: XmlNode[] = [];
  for (const item of items) {
    for (const [k, v] of Object.entries(item)) {
      if (k === ':@' || k === '#text' || k === '#cdata') continue;
      const attrs: Record<string, string> = {};
      const at = item[':@'];
      let own = scope;
      if (at && typeof at === 'object') {
        for (const [an, av] of Object.entries(at as Record<string, unknown>)) {
          const value = unescapeXml(String(av));
          define(attrs, an, value);
          if (an === 'xmlns' || an.startsWith('xmlns:')) {
            if (own === scope) own = { ...scope };
            define(own, an === 'xmlns' ? '' : an.slice(6), value);
          }
        }
      }
      const [prefix, name] = splitXmlName(k);
      const node: XmlNode = { name, ns: Object.hasOwn(own, prefix) ? (own[prefix] as string) : '', attrs, children: [], text: '', scope: own };
      if (Array.isArray(v)) {
        const kids = v as Ordered;
        node.children = toNodes(kids, own);
        for (const kid of kids) {
          if (kid['#text'] !== undefined) node.text += unescapeXml(String(kid['#text']));
          const cd = kid['#cdata'];
          if (Array.isArray(cd)) for (const c of cd as Ordered) if (c['#text'] !== undefined) node.text += String(c['#text']);
        }
        node.text = node.text.trim();
      }
      out.push(node);
    }
  }
  return out;
}

export type XmlTreeResult = { ok: true; root: XmlNode } | { ok: false; kind: 'tooDeep' | 'badXml'; message: string };

/** The document's root element; never throws (DOCTYPE/ENTITY, several roots, depth are refused first). */
export function parseXmlTree(text: string, maxDepth: number): XmlTreeResult {
  const bad = checkXmlStructure(text, maxDepth);
  if (bad !== null) return { ok: false, kind: /nested deeper/.test(bad) ? 'tooDeep' : 'badXml', message: `invalid XML: ${bad}` };
  try {
    const root = toNodes(parser.parse(text) as Ordered, { xml: 'http://www.w3.org/XML/1998/namespace' })[0];
    return root ? { ok: true, root } : { ok: false, kind: 'badXml', message: 'no root element' };
  } catch (e) {
    return { ok: false, kind: 'badXml', message: `invalid XML: ${e instanceof Error ? e.message.slice(0, 200) : 'parse error'}` };
  }
}
