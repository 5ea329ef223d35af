// The lab portal's own SOAP 1.1 encoder/decoder for the digest 002 §1.5 [SIM] wire profile (it does
// not use the desktop's codec in main/connectors/ctips; the tests make the two meet). Requests are
// read leniently, as §1.5 #4/#6 say: dispatch on the Body element's local name, SOAPAction and element
// namespaces ignored, field names matched case-insensitively ignoring spaces and underscores.
// Everything the portal sends (replies, faults, the three callbacks) is built here. Pure; never throws.
import { escapeXmlAttr, escapeXmlText } from '../../connectors/xml-text.js';
import { parseXmlTree, type XmlNode } from '../../connectors/xml-tree.js';

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export interface CtipsSimProfile {
  requestNamespace: string;
  callbackNamespace: string;
  dataNamespace: string;
  arraysNamespace: string;
  requestContract: string;
  callbackContract: string;
  requestPath: string;
}

export const simProfile: CtipsSimProfile = {
  requestNamespace: 'http://tempuri.org/',
  callbackNamespace: 'http://tempuri.org/',
  dataNamespace: 'http://schemas.datacontract.org/2004/07/Aspect.UnifiedIP.CTIPS',
  arraysNamespace: 'http://schemas.microsoft.com/2003/10/Serialization/Arrays',
  requestContract: 'IAgentCallService',
  callbackContract: 'IPublishEvents',
  requestPath: '/CTIPortal/AgentCallService',
};

const MAX_DEPTH = 64;

const norm = (s: string): string => s.replace(/[\s_]/g, '').toLowerCase();

/** Read access to one element's children by field name. */
export class Fields {
  constructor(readonly node: XmlNode) {}

  get(name: string): XmlNode | undefined {
    const n = norm(name);
    return this.node.children.find((c) => norm(c.name) === n);
  }

  has(name: string): boolean {
    const c = this.get(name);
    return c !== undefined && !isNil(c);
  }

  str(name: string): string | undefined {
    const c = this.get(name);
    return c === undefined || isNil(c) ? undefined : c.text;
  }

  /** undefined when absent, NaN when not an int32. */
  int(name: string): number | undefined {
    const s = this.str(name);
    if (s === undefined) return undefined;
    return /^[+-]?\d{1,10}$/.test(s.trim()) && Math.abs(Number(s)) <= 2 ** 31 - 1 ? Number(s) : Number.NaN;
  }

  bool(name: string): boolean | undefined {
    const s = this.str(name)?.trim().toLowerCase();
    if (s === undefined) return undefined;
    return s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : undefined;
  }

  /** Item texts of an array element (`<b:int>`, `<b:string>`, `<a:CTIEntityType>`…). */
  list(name: string): string[] | undefined {
    const c = this.get(name);
    if (c === undefined || isNil(c)) return undefined;
    return c.children.map((x) => (isNil(x) ? '' : x.text));
  }

  sub(name: string): Fields | undefined {
    const c = this.get(name);
    return c === undefined || isNil(c) ? undefined : new Fields(c);
  }
}

export function isNil(n: XmlNode): boolean {
  for (const [k, v] of Object.entries(n.attrs)) if ((k === 'nil' || k.endsWith(':nil')) && v.trim() === 'true') return true;
  return false;
}

export type DecodedRequest = { ok: true; operation: string; args: Fields } | { ok: false; reason: string };

/** A request envelope: the operation (Body's first element's local name) and its `<args>`. */
export function decodeRequest(text: string): DecodedRequest {
  const t = parseXmlTree(text.replace(/^\uFEFF/, ''), MAX_DEPTH);
  if (!t.ok) return { ok: false, reason: 'Malformed request' };
  if (norm(t.root.name) !== 'envelope') return { ok: false, reason: 'Malformed request: no SOAP Envelope' };
  const body = t.root.children.find((c) => norm(c.name) === 'body');
  const op = body?.children[0];
  if (!op) return { ok: false, reason: 'Malformed request: empty Body' };
  const args = op.children.find((c) => norm(c.name) === 'args');
  // An operation without <args> reads as no fields (missing-field faults follow).
  return { ok: true, operation: op.name, args: new Fields(args ?? { name: 'args', ns: '', attrs: {}, children: [], text: '', scope: {} }) };
}

function envelope(inner: string): string {
  return `<s:Envelope xmlns:s="${SOAP11_NS}"><s:Body>${inner}</s:Body></s:Envelope>`;
}

/** `<OpResponse><OpResult>n</OpResult></OpResponse>` (§1.5 #5). */
export function encodeIntResponse(op: string, result: number, p: CtipsSimProfile = simProfile): string {
  return envelope(`<${op}Response xmlns="${escapeXmlAttr(p.requestNamespace)}"><${op}Result>${result}</${op}Result></${op}Response>`);
}

/** OpenConnection's `ResponseCode` {SessionId, Status} (L479, §1.5 #5). */
export function encodeOpenConnectionResponse(sessionId: string | null, status: number, p: CtipsSimProfile = simProfile): string {
  const sid = sessionId === null ? '<a:SessionId i:nil="true"/>' : `<a:SessionId>${escapeXmlText(sessionId)}</a:SessionId>`;
  return envelope(
    `<OpenConnectionResponse xmlns="${escapeXmlAttr(p.requestNamespace)}"><OpenConnectionResult xmlns:a="${escapeXmlAttr(p.dataNamespace)}" xmlns:i="${XSI}">` +
      `${sid}<a:Status>${status}</a:Status></OpenConnectionResult></OpenConnectionResponse>`,
  );
}

/** A SOAP 1.1 fault (HTTP 500) with the invented CTIFault detail (§1.5 #8). */
export function encodeFault(code: 'Client' | 'Server', reason: string, p: CtipsSimProfile = simProfile, ctiCode = 0): string {
  return envelope(
    `<s:Fault><faultcode>s:${code}</faultcode><faultstring xml:lang="en-US">${escapeXmlText(reason)}</faultstring>` +
      `<detail><a:CTIFault xmlns:a="${escapeXmlAttr(p.dataNamespace)}"><a:Code>${ctiCode}</a:Code><a:Message>${escapeXmlText(reason)}</a:Message></a:CTIFault></detail></s:Fault>`,
  );
}

// ---- Event values ------------------------------------------------------------------------------

/** A field value: scalars, `null` (i:nil), int/string arrays, a struct, or a struct array. */
export type EventValue =
  | string
  | number
  | boolean
  | null
  | { ints: number[] }
  | { strings: string[] }
  | { enums: string; items: string[] }
  | { struct: EventField[] }
  | { structs: string; items: EventField[][] };
export type EventField = readonly [name: string, value: EventValue];

function encodeValue(name: string, v: EventValue): string {
  if (v === null) return `<a:${name} i:nil="true"/>`;
  if (typeof v === 'string') return `<a:${name}>${escapeXmlText(v)}</a:${name}>`;
  if (typeof v === 'number') return `<a:${name}>${Number.isFinite(v) ? Math.trunc(v) : 0}</a:${name}>`;
  if (typeof v === 'boolean') return `<a:${name}>${v ? 'true' : 'false'}</a:${name}>`;
  if ('ints' in v) return `<a:${name}>${v.ints.map((i) => `<b:int>${Math.trunc(i)}</b:int>`).join('')}</a:${name}>`;
  if ('strings' in v) return `<a:${name}>${v.strings.map((s) => `<b:string>${escapeXmlText(s)}</b:string>`).join('')}</a:${name}>`;
  if ('enums' in v) return `<a:${name}>${v.items.map((s) => `<a:${v.enums}>${escapeXmlText(s)}</a:${v.enums}>`).join('')}</a:${name}>`;
  if ('struct' in v) return `<a:${name}>${v.struct.map(([n, x]) => encodeValue(n, x)).join('')}</a:${name}>`;
  return `<a:${name}>${v.items.map((item) => `<a:${v.structs}>${item.map(([n, x]) => encodeValue(n, x)).join('')}</a:${v.structs}>`).join('')}</a:${name}>`;
}

export type EventCategory = 'EventCategoryAgent' | 'EventCategoryCall' | 'EventCategoryRoute' | 'EventCategorySystem';

export interface EventHeader {
  RequestId: number;
  TenantId: number;
  SiteId: number;
  SwitchId: number;
  ServiceId: number;
  AgentId: number;
}

/** The `<event i:type="a:<Type>Event">` element: the 8 header fields (§4.1, always all), then the event's own. */
export function encodeEventElement(category: EventCategory, type: string, h: EventHeader, fields: readonly EventField[], p: CtipsSimProfile = simProfile): string {
  const head: EventField[] = [
    ['EventCategory', category],
    ['EventType', type],
    ['RequestId', h.RequestId],
    ['TenantId', h.TenantId],
    ['SiteId', h.SiteId],
    ['SwitchId', h.SwitchId],
    ['ServiceId', h.ServiceId],
    ['AgentId', h.AgentId],
  ];
  const inner = [...head, ...fields].map(([n, v]) => encodeValue(n, v)).join('');
  return `<event i:type="a:${type}Event" xmlns:a="${escapeXmlAttr(p.dataNamespace)}" xmlns:i="${XSI}" xmlns:b="${escapeXmlAttr(p.arraysNamespace)}">${inner}</event>`;
}

export function encodePublishCTIEvent(eventElement: string, p: CtipsSimProfile = simProfile): string {
  return envelope(`<PublishCTIEvent xmlns="${escapeXmlAttr(p.callbackNamespace)}">${eventElement}</PublishCTIEvent>`);
}

export function encodeHeartbeat(p: CtipsSimProfile = simProfile): string {
  return envelope(`<HeartbeatMessage xmlns="${escapeXmlAttr(p.callbackNamespace)}"/>`);
}

/** StartSession(userinfo, sessionId): the credentials echoed back (L1106). */
export function encodeStartSession(userName: string, password: string, sessionId: string, p: CtipsSimProfile = simProfile): string {
  return envelope(
    `<StartSession xmlns="${escapeXmlAttr(p.callbackNamespace)}"><userinfo xmlns:a="${escapeXmlAttr(p.dataNamespace)}">` +
      `<a:Password>${escapeXmlText(password)}</a:Password><a:UserName>${escapeXmlText(userName)}</a:UserName></userinfo>` +
      `<sessionId>${escapeXmlText(sessionId)}</sessionId></StartSession>`,
  );
}

/** The quoted SOAPAction of a callback (§1.5 #4). */
export function callbackAction(op: 'PublishCTIEvent' | 'HeartbeatMessage' | 'StartSession', p: CtipsSimProfile = simProfile): string {
  return `"${p.callbackNamespace}${p.callbackContract}/${op}"`;
}

export type CallbackReply = { ok: true; result: number | null } | { ok: false; reason: string };

/**
 * The client's reply to a callback: HTTP 2xx without a Fault is success (202/empty allowed for
 * PublishCTIEvent, §1.5 #9); `result` is `<…Result>` when present (StartSession's verdict).
 */
export function decodeCallbackReply(status: number, body: string): CallbackReply {
  if (status < 200 || status >= 300) return { ok: false, reason: `HTTP ${status}` };
  if (body.trim() === '') return { ok: true, result: null };
  const t = parseXmlTree(body.replace(/^\uFEFF/, ''), MAX_DEPTH);
  if (!t.ok) return { ok: false, reason: 'malformed reply' };
  const bodyEl = t.root.children.find((c) => norm(c.name) === 'body');
  const first = bodyEl?.children[0];
  if (first && norm(first.name) === 'fault') return { ok: false, reason: 'SOAP fault' };
  const result = first?.children.find((c) => norm(c.name).endsWith('result'));
  const n = result && /^[+-]?\d{1,10}$/.test(result.text) ? Number(result.text) : null;
  return { ok: true, result: n };
}
