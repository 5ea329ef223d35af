// The simulator's own TWS encoder and decoder (kept apart from the connector's codec on purpose): one small
// value tree (`N`) written either as WCF data-contract XML or as WCF JSON, and a safe fast-xml-parser reader
// for the SOAP bodies and the TCP feed's client messages.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const ns = {
  tempuri: 'http://tempuri.org/',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  database: 'http://schemas.datacontract.org/2004/07/TWS_Database',
  arrays: 'http://schemas.microsoft.com/2003/10/Serialization/Arrays',
  generic: 'http://schemas.datacontract.org/2004/07/Algoria.TWS.GenericClass',
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
} as const;

/** A value: leaf, nil, object (ordered members) or list (items under one element name). */
export type N =
  | { k: 'v'; v: string | number | boolean }
  | { k: 'nil'; arrays?: boolean; attrs?: Record<string, string> }
  /** `memberXmlns`: every member except the `m_` ones declares this default namespace (event style). */
  | { k: 'o'; m: Array<[string, N]>; memberXmlns?: string }
  | { k: 'l'; item: string; items: N[]; strings?: boolean };

export const v = (x: string | number | boolean): N => ({ k: 'v', v: x });
export const nil = (opts: { arrays?: boolean; attrs?: Record<string, string> } = {}): N => ({ k: 'nil', ...opts });
/** A string or nil. */
export const sn = (x: string | null | undefined): N => (x === null || x === undefined ? nil() : v(x));
export const o = (m: Array<[string, N]>, memberXmlns?: string): N => ({ k: 'o', m, ...(memberXmlns ? { memberXmlns } : {}) });
export const l = (item: string, items: N[]): N => ({ k: 'l', item, items });
/** A list of strings (Serialization/Arrays `string` items). */
export const strings = (items: string[]): N => ({ k: 'l', item: 'string', items: items.map(v), strings: true });

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * XML styles: `result` prefixes every member with `a:` (the data contracts of a web-service result, L439–459);
 * `event` writes plain members in the default namespace, contact members carrying their own xmlns (§6.9).
 * `nilPrefix` 'd7p1' reproduces the polling examples' `d7p1:nil` (quirks).
 */
export interface XmlStyle {
  mode: 'result' | 'event';
  nilStyle?: 'i' | 'd7p1';
}

function attrs(a: Record<string, string>): string {
  return Object.entries(a)
    .map(([k, val]) => ` ${k}="${escapeXml(val)}"`)
    .join('');
}

function nilAttr(style: XmlStyle): string {
  return style.nilStyle === 'd7p1' ? ` d7p1:nil="true" xmlns:d7p1="${ns.xsi}"` : ' i:nil="true"';
}

/** One element `name` holding `value`. `extra` attributes go on this element. */
export function toXml(name: string, value: N, style: XmlStyle, extra: Record<string, string> = {}): string {
  const memberName = (n: string) => (style.mode === 'result' ? `a:${n}` : n);
  switch (value.k) {
    case 'v': {
      const text = typeof value.v === 'string' ? escapeXml(value.v) : String(value.v);
      return text === '' ? `<${name}${attrs(extra)}/>` : `<${name}${attrs(extra)}>${text}</${name}>`;
    }
    case 'nil': {
      const more = { ...(value.arrays && style.mode === 'event' ? { 'xmlns:a': ns.arrays } : {}), ...(value.attrs ?? {}), ...extra };
      return `<${name}${nilAttr(style)}${attrs(more)}/>`;
    }
    case 'o': {
      const inner = value.m
        .map(([n, child]) => toXml(memberName(n), child, style, value.memberXmlns && style.mode === 'event' && !n.startsWith('m_') ? { xmlns: value.memberXmlns } : {}))
        .join('');
      return inner === '' ? `<${name}${attrs(extra)}/>` : `<${name}${attrs(extra)}>${inner}</${name}>`;
    }
    case 'l': {
      let itemName: string;
      let listAttrs: Record<string, string> = extra;
      if (value.strings) {
        itemName = style.mode === 'result' ? 'b:string' : 'a:string';
        listAttrs = { ...extra, ...(style.mode === 'result' ? { 'xmlns:b': ns.arrays } : { 'xmlns:a': ns.arrays }) };
      } else itemName = memberName(value.item);
      const inner = value.items.map((item) => toXml(itemName, item, style)).join('');
      return inner === '' ? `<${name}${attrs(listAttrs)}/>` : `<${name}${attrs(listAttrs)}>${inner}</${name}>`;
    }
  }
}

/** The WCF JSON form of a value: members by name, lists as arrays, nil as null. */
export function toJson(value: N): unknown {
  switch (value.k) {
    case 'v':
      return value.v;
    case 'nil':
      return null;
    case 'o':
      return Object.fromEntries(value.m.map(([n, child]) => [n, toJson(child)]));
    case 'l':
      return value.items.map(toJson);
  }
}

// ---------------------------------------------------------------- reading

export interface XmlNode {
  /** Local name (prefix dropped). */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

// Entities off, every value a string: the lab never expands what a client sends.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

const localName = (n: string) => n.slice(n.indexOf(':') + 1);

function unescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

type Ordered = Record<string, unknown>;

function toNode(raw: Ordered): XmlNode | undefined {
  const name = Object.keys(raw).find((k) => k !== ':@' && k !== '#text');
  if (name === undefined) return undefined;
  const content = (raw[name] ?? []) as Ordered[];
  const children: XmlNode[] = [];
  let text = '';
  for (const c of content) {
    if (typeof c['#text'] === 'string') text += c['#text'];
    else {
      const child = toNode(c);
      if (child) children.push(child);
    }
  }
  const a = (raw[':@'] ?? {}) as Record<string, string>;
  return { name: localName(name), attrs: a, children, text: unescape(text) };
}

/** Parse one document; throws XmlError when it is not well-formed. DTDs are refused. */
export function parseXml(text: string): XmlNode {
  const body = text.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new XmlError('DTDs are not accepted');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new XmlError(`${valid.err.code}: ${valid.err.msg}`);
  const roots = (parser.parse(body) as Ordered[]).map(toNode).filter((n): n is XmlNode => n !== undefined);
  if (roots.length !== 1 || !roots[0]) throw new XmlError(`expected one root element, found ${roots.length}`);
  return roots[0];
}

/** The first child with this local name (case-insensitive). */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  const lower = name.toLowerCase();
  return node.children.find((c) => c.name.toLowerCase() === lower);
}
