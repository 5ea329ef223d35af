// The simulator's own TelServices XML codec (elements only, as the manual's XER encoding): a small tree
// parsed with fast-xml-parser, and a compact encoder. Kept apart from the product's client codec on purpose.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlNode {
  name: string;
  children: XmlNode[];
  /** Concatenated, trimmed text content (leaf values). */
  text: string;
}

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

export interface ParseOptions {
  /** Strict: a prolog or attributes are errors (the manual: "no prolog, no namespaces, no attributes"). */
  strict?: boolean;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

type OrderedNode = Record<string, unknown>;

/** Parse one XML document into a tree; throws XmlError when it is not well-formed or not elements-only. */
export function parseXml(text: string, opts: ParseOptions = {}): XmlNode {
  const body = text.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(body)) throw new XmlError('DTDs are not accepted');
  if (opts.strict && /^\s*<\?/.test(body)) throw new XmlError('a prolog is not accepted');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new XmlError(`${valid.err.code}: ${valid.err.msg}`);
  const ordered = parser.parse(body) as OrderedNode[];
  const roots = ordered.map((n) => toNode(n, opts)).filter((n): n is XmlNode => n !== undefined);
  if (roots.length !== 1 || !roots[0]) throw new XmlError(`expected one root element, found ${roots.length}`);
  return roots[0];
}

function toNode(raw: OrderedNode, opts: ParseOptions): XmlNode | undefined {
  const name = Object.keys(raw).find((k) => k !== ':@' && k !== '#text');
  if (name === undefined) {
    if (typeof raw['#text'] === 'string' && raw['#text'].trim() !== '') throw new XmlError('text outside the root element');
    return undefined;
  }
  if (opts.strict && raw[':@'] !== undefined) throw new XmlError('attributes are not accepted');
  const content = (raw[name] ?? []) as OrderedNode[];
  const children: XmlNode[] = [];
  let text = '';
  for (const item of content) {
    if ('#text' in item && Object.keys(item).length === 1) text += String(item['#text']);
    else {
      const child = toNode(item, opts);
      if (child) children.push(child);
    }
  }
  return { name, children, text: decodeEntities(text.trim()) };
}

const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (_m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const ch = named[ref];
    if (ch === undefined) throw new XmlError(`unknown entity &${ref};`);
    return ch;
  });
}

// ---------------------------------------------------------------- encoding

/** Escape element text. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An element with child markup; with no children it is written self-closing, as the manual's empty lists. */
export function el(name: string, ...children: Array<string | undefined | false>): string {
  const body = children.filter((c): c is string => typeof c === 'string' && c !== '').join('');
  return body === '' ? `<${name}/>` : `<${name}>${body}</${name}>`;
}

/** An element holding text (self-closing when empty, as `<number/>` in the manual). */
export function leaf(name: string, text: string | number): string {
  const t = String(text);
  return t === '' ? `<${name}/>` : `<${name}>${escapeText(t)}</${name}>`;
}

/** An ENUMERATED / NULL value: `<field><value/></field>`. */
export function choice(name: string, value: string): string {
  return `<${name}><${value}/></${name}>`;
}

/** A BOOLEAN in XER form: `<field><true/></field>`. */
export function bool(name: string, value: boolean): string {
  return choice(name, value ? 'true' : 'false');
}

// ---------------------------------------------------------------- reading helpers

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}
