// CTIPS wire profile (digest §1.5, all [SIM]: the manual has no WSDL, §1.4, §7 #1): SOAP version,
// namespaces, paths and SOAPAction format as one `CtipsWireProfile` value with the digest's
// defaults; envelope building (SOAP 1.1, or 1.2 with optional WS-Addressing headers); a safe,
// namespace-aware XML tree (checkXmlStructure pre-check: no DOCTYPE/ENTITY, depth cap; fast-xml-parser
// with safeXmlParserOptions: no entity expansion, every value a string); envelope parsing and SOAP
// Fault decoding (1.1 and 1.2 shapes). Pure; never throws past its boundary.
import { escapeXmlAttr, escapeXmlText } from '../xml-text.js';
import { parseXmlTree, splitXmlName, type XmlNode } from '../xml-tree.js';
import { DEFAULT_MAX_BYTES, fail, inputToText, MAX_DEPTH, okValue, type CtipsFault, type Decoded } from './result.js';

export const SOAP11_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENVELOPE_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';

export interface CtipsWireProfile {
  /** '1.1' (default, basicHttpBinding style) or '1.2' (application/soap+xml). */
  soapVersion: '1.1' | '1.2';
  /** Namespace of the request operation elements (`<OpenConnection xmlns=…>`). */
  requestNamespace: string;
  /** Namespace of the callback operation elements CTIPS sends (`<PublishCTIEvent xmlns=…>`). */
  callbackNamespace: string;
  /** Data-contract namespace of the fields (`a:` prefix). */
  dataNamespace: string;
  /** Primitive-array namespace (`b:int`, `b:string`). */
  arraysNamespace: string;
  /** Service contract names used in the SOAPAction. */
  requestContract: string;
  callbackContract: string;
  /** SOAPAction template: `{ns}` (the namespace, a trailing `/` ensured), `{contract}`, `{op}`. */
  soapActionFormat: string;
  /** Path of the CTIPS endpoint (`http://host:port` + this). */
  requestPath: string;
  /** Default path of the app's callback service (the ClientCallbackURL path, L2681). */
  callbackPath: string;
  /** Default CTIPS port (the manual's is the placeholder "nnnn", L2563). */
  defaultPort: number;
  /** SOAP 1.2 only: add WS-Addressing Action/MessageID/To headers (wsHttpBinding style). */
  wsAddressing: boolean;
  /** Element order of request fields: the manual's table order, or alphabetical (WCF DataContractSerializer default). */
  fieldOrder: 'documented' | 'alphabetical';
}

/** The digest §1.5 "WCF-basic" profile. */
export const DEFAULT_CTIPS_PROFILE: Readonly<CtipsWireProfile> = Object.freeze({
  soapVersion: '1.1',
  requestNamespace: 'http://tempuri.org/',
  callbackNamespace: 'http://tempuri.org/',
  dataNamespace: 'http://schemas.datacontract.org/2004/07/Aspect.UnifiedIP.CTIPS',
  arraysNamespace: 'http://schemas.microsoft.com/2003/10/Serialization/Arrays',
  requestContract: 'IAgentCallService',
  callbackContract: 'IPublishEvents',
  soapActionFormat: '{ns}{contract}/{op}',
  requestPath: '/CTIPortal/AgentCallService',
  callbackPath: '/www.aspect.com/PublishEvents',
  defaultPort: 8700,
  wsAddressing: true,
  fieldOrder: 'documented',
});

/** The default profile with some settings replaced. */
export function ctipsProfile(overrides: Partial<CtipsWireProfile> = {}): CtipsWireProfile {
  return { ...DEFAULT_CTIPS_PROFILE, ...overrides };
}

/** SOAPAction of a request operation (`request`) or of a callback CTIPS calls (`callback`), unquoted. */
export function ctipsSoapAction(profile: CtipsWireProfile, side: 'request' | 'callback', operation: string): string {
  const ns = side === 'request' ? profile.requestNamespace : profile.callbackNamespace;
  const contract = side === 'request' ? profile.requestContract : profile.callbackContract;
  return profile.soapActionFormat
    .replace('{ns}', ns.endsWith('/') ? ns : `${ns}/`)
    .replace('{contract}', contract)
    .replace('{op}', operation);
}

/** HTTP headers for a SOAP message: 1.1 → text/xml + quoted SOAPAction; 1.2 → action in the content type. */
export function ctipsHttpHeaders(profile: CtipsWireProfile, action: string): Record<string, string> {
  const safe = action.replace(/["\r\n]/g, '');
  return profile.soapVersion === '1.1'
    ? { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${safe}"` }
    : { 'Content-Type': `application/soap+xml; charset=utf-8; action="${safe}"` };
}

/** The CTIPS endpoint URL. */
export function ctipsUrl(profile: CtipsWireProfile, host: string, port: number = profile.defaultPort, scheme: 'http' | 'https' = 'http'): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}://${h}:${port}${profile.requestPath.startsWith('/') ? '' : '/'}${profile.requestPath}`;
}

export interface EnvelopeOptions {
  /** SOAP 1.2 + wsAddressing: the a:MessageID (omitted unless given; the caller owns uniqueness, e.g. `urn:uuid:…`). */
  messageId?: string;
  /** SOAP 1.2 + wsAddressing: the a:To. */
  to?: string;
}

/** Wrap body content (already XML) in an envelope of the profile's SOAP version. */
export function buildEnvelope(profile: CtipsWireProfile, bodyXml: string, action: string, opts: EnvelopeOptions = {}): string {
  if (profile.soapVersion === '1.1') {
    return `<s:Envelope xmlns:s="${SOAP11_ENVELOPE_NS}"><s:Body>${bodyXml}</s:Body></s:Envelope>`;
  }
  let header = '';
  if (profile.wsAddressing) {
    header =
      `<s:Header><a:Action s:mustUnderstand="1">${escapeXmlText(action)}</a:Action>` +
      (opts.messageId !== undefined ? `<a:MessageID>${escapeXmlText(opts.messageId)}</a:MessageID>` : '') +
      (opts.to !== undefined ? `<a:To s:mustUnderstand="1">${escapeXmlText(opts.to)}</a:To>` : '') +
      '</s:Header>';
  }
  const wsa = profile.wsAddressing ? ` xmlns:a="${WSA_NS}"` : '';
  return `<s:Envelope xmlns:s="${SOAP12_ENVELOPE_NS}"${wsa}>${header}<s:Body>${bodyXml}</s:Body></s:Envelope>`;
}

// ---- XML tree (main/connectors/xml-tree.ts) ---------------------------------------------------

export type XNode = XmlNode;
const splitName = splitXmlName;

export interface XmlOptions {
  maxBytes?: number;
}

/** Safe parse of a document to its root element. */
export function parseXml(input: string | Uint8Array, opts: XmlOptions = {}): Decoded<XNode> {
  const text = inputToText(input, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!text.ok) return text;
  const tree = parseXmlTree(text.value, MAX_DEPTH);
  return tree.ok ? okValue(tree.root) : fail(tree.kind, tree.message);
}

/** `i:nil="true"` (any prefix bound to XSI, or an unbound `nil`). */
export function isNil(n: XNode): boolean {
  for (const [k, v] of Object.entries(n.attrs)) {
    const [p, l] = splitName(k);
    if (l === 'nil' && (p === '' || n.scope[p] === XSI_NS || n.scope[p] === undefined) && (v === 'true' || v === '1')) return true;
  }
  return false;
}

/** The `i:type` attribute's local part (`a:AgentStateChangeEvent` → `AgentStateChangeEvent`), or null. */
export function xsiType(n: XNode): string | null {
  for (const [k, v] of Object.entries(n.attrs)) {
    const [, l] = splitName(k);
    if (l === 'type' && k !== 'type') return splitName(v.trim())[1];
  }
  return n.attrs.type !== undefined ? splitName(n.attrs.type.trim())[1] : null;
}

/** First child by local name, case-insensitive. */
export function child(n: XNode | undefined, name: string): XNode | undefined {
  const want = name.toLowerCase();
  return n?.children.find((c) => c.name.toLowerCase() === want);
}

// ---- Envelope ---------------------------------------------------------------------------------

export interface ParsedEnvelope {
  soapVersion: '1.1' | '1.2';
  header: XNode | null;
  /** The first element of the Body (the operation, its response, or a Fault). */
  payload: XNode;
  /** WS-Addressing Action from the header, when present. */
  wsaAction: string | null;
}

/** Parse a SOAP 1.1 or 1.2 envelope; the version is read from the envelope namespace. */
export function parseEnvelope(input: string | Uint8Array, opts: XmlOptions = {}): Decoded<ParsedEnvelope> {
  const root = parseXml(input, opts);
  if (!root.ok) return root;
  const env = root.value;
  if (env.name !== 'Envelope') return fail('badShape', `expected a SOAP Envelope, not <${env.name.slice(0, 60)}>`);
  const soapVersion = env.ns === SOAP11_ENVELOPE_NS ? '1.1' : env.ns === SOAP12_ENVELOPE_NS ? '1.2' : null;
  if (soapVersion === null) return fail('badShape', `unknown SOAP envelope namespace "${env.ns.slice(0, 100)}"`);
  const inEnv = env.children.filter((c) => c.ns === env.ns);
  const header = inEnv.find((c) => c.name === 'Header') ?? null;
  const body = inEnv.find((c) => c.name === 'Body');
  if (!body) return fail('badShape', 'SOAP envelope without a Body');
  const payload = body.children[0];
  if (!payload) return fail('badShape', 'empty SOAP Body');
  const action = header?.children.find((c) => c.name === 'Action');
  return okValue({ soapVersion, header, payload, wsaAction: action ? action.text : null });
}

const DETAIL_CAP = 2000;

/** Decode a Body's Fault element (either SOAP version); null when `payload` is not a Fault. */
export function decodeFault(payload: XNode, soapVersion: '1.1' | '1.2'): CtipsFault | null {
  if (payload.name !== 'Fault') return null;
  let rawCode = '';
  let subcode: string | null = null;
  let reason = '';
  let actor: string | null = null;
  let detail: XNode | undefined;
  if (soapVersion === '1.1' || child(payload, 'faultcode')) {
    rawCode = child(payload, 'faultcode')?.text ?? '';
    reason = child(payload, 'faultstring')?.text ?? '';
    actor = child(payload, 'faultactor')?.text ?? null;
    detail = child(payload, 'detail');
  } else {
    const code = child(payload, 'Code');
    rawCode = child(code, 'Value')?.text ?? '';
    const sub = child(child(code, 'Subcode'), 'Value');
    subcode = sub ? splitName(sub.text)[1] : null;
    reason = child(child(payload, 'Reason'), 'Text')?.text ?? '';
    actor = child(payload, 'Role')?.text ?? null;
    detail = child(payload, 'Detail');
  }
  let ctiFault: CtipsFault['ctiFault'] = null;
  const cf = detail?.children.find((c) => c.name.toLowerCase() === 'ctifault') ?? (detail?.children.length === 1 ? detail.children[0] : undefined);
  if (cf && (child(cf, 'Code') || child(cf, 'Message'))) {
    const c = child(cf, 'Code')?.text ?? '';
    ctiFault = { code: /^-?[0-9]{1,9}$/.test(c) ? Number(c) : null, message: child(cf, 'Message')?.text ?? null };
  }
  const detailText = detail ? flatText(detail).slice(0, DETAIL_CAP) : null;
  return { soapVersion, code: splitName(rawCode)[1], rawCode, subcode, reason: reason.slice(0, DETAIL_CAP), actor, detailText, ctiFault };
}

function flatText(n: XNode): string {
  const parts: string[] = [];
  const stack: XNode[] = [n];
  while (stack.length > 0 && parts.length < 200) {
    const x = stack.pop() as XNode;
    if (x.text !== '') parts.push(x.text);
    for (let i = x.children.length - 1; i >= 0; i -= 1) stack.push(x.children[i] as XNode);
  }
  return parts.join(' ');
}

/** Build a Fault body element (the simulator side, and tests). */
export function buildFault(profile: CtipsWireProfile, code: 'Client' | 'Server', reason: string, ctiFault?: { code: number; message: string }): string {
  const detail = ctiFault
    ? `<a:CTIFault xmlns:a="${escapeXmlAttr(profile.dataNamespace)}"><a:Code>${ctiFault.code}</a:Code><a:Message>${escapeXmlText(ctiFault.message)}</a:Message></a:CTIFault>`
    : '';
  if (profile.soapVersion === '1.1') {
    return `<s:Fault><faultcode>s:${code}</faultcode><faultstring xml:lang="en-US">${escapeXmlText(reason)}</faultstring>${detail ? `<detail>${detail}</detail>` : ''}</s:Fault>`;
  }
  return `<s:Fault><s:Code><s:Value>s:${code === 'Client' ? 'Sender' : 'Receiver'}</s:Value></s:Code><s:Reason><s:Text xml:lang="en-US">${escapeXmlText(reason)}</s:Text></s:Reason>${detail ? `<s:Detail>${detail}</s:Detail>` : ''}</s:Fault>`;
}

/** Human-readable message of a fault. */
export function faultMessage(f: CtipsFault): string {
  const cti = f.ctiFault && f.ctiFault.code !== null ? ` [CTIFault ${f.ctiFault.code}${f.ctiFault.message ? `: ${f.ctiFault.message.slice(0, 200)}` : ''}]` : '';
  return `SOAP fault ${f.code || '(no code)'}${f.subcode ? `/${f.subcode}` : ''}: ${f.reason.slice(0, 300) || '(no reason)'}${cti}`;
}
