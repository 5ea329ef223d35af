// IVWS SOAP 1.1 (digest §3): request envelopes in namespace `Ivws.Ivws` (key first, list arguments
// as numbered unqualified children `<line1>`, `<queue1>`) and response decoding
// (`<{Method}Response><{Method}Result>` as a scalar, a struct or a `tns:…Array`). XML safety: the
// shared checkXmlStructure pre-check (no DOCTYPE/ENTITY, depth cap), fast-xml-parser with
// safeXmlParserOptions (no entity expansion, values as strings), byte cap. Pure; never throws.
import { escapeXmlText } from '../xml-text.js';
import { parseXmlTree, splitXmlName, type XmlNode } from '../xml-tree.js';
import { DEFAULT_MAX_BYTES, fail, inputToText, MAX_DEPTH, okValue, returnCodeError, type Decoded } from './codes.js';
import { type IvRecord, type IvValue } from './replies.js';
import { isIvMethod, isValidKey, requiredArgs, type IvArgs, type IvListItem, type IvMethod } from './requests.js';

export const IVWS_NAMESPACE = 'Ivws.Ivws';
export const IVWS_DEFAULT_PORT = 7789;

/** SOAP element names where IVWS differs from the STOMP JSON names (§4.2, §7 #10, #11, #34). */
const soapNames: Record<string, string> = { pass: 'passwd', Agent: 'User', 'call-limit': 'call_limit', ignoreregexpire: 'ignoreexpire' };
const jsonNames: Record<string, string> = { passwd: 'pass', call_limit: 'call-limit', ignoreexpire: 'ignoreregexpire', requisendinfo: 'requiresendinfo' };
const listItemName: Record<string, string> = { lines: 'line', queues: 'queue' };

/** `SOAPAction` header value [INF]: the operation name, quoted (§3). */
export function ivwsSoapAction(method: IvMethod): string {
  return `"${method}"`;
}

/** The endpoint URL (`http://<host>:<port>/`, WSDL at `?wsdl`, L345). */
export function ivwsUrl(host: string, port: number = IVWS_DEFAULT_PORT): string {
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}/`;
}

/**
 * A request envelope. `args` use the STOMP JSON names (requests.ts); they are renamed to the SOAP
 * spelling (`pass`→`passwd`, `Agent`→`User`, `call-limit`→`call_limit`, …) and XML-escaped.
 */
export function buildIvwsRequest(method: IvMethod, key: string, args: IvArgs): Decoded<string> {
  if (!isIvMethod(method)) return fail('badArgument', `unknown method ${String(method)}`);
  if (!isValidKey(key)) return fail('badArgument', 'the access key must be 1–20 alphanumeric characters (L88)');
  for (const name of requiredArgs[method]) {
    // The JSON name or its SOAP spelling (`Agent` or `User`, `pass` or `passwd`).
    const v = args[name] ?? args[soapNames[name] ?? name];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return fail('missingArgument', `${method} needs ${name}`);
  }
  const el = (name: string): string => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) ? name : '');
  let body = `<ivws:key>${escapeXmlText(key)}</ivws:key>`;
  for (const [jsonName, v] of Object.entries(args)) {
    if (v === undefined) continue;
    const name = el(soapNames[jsonName] ?? jsonName);
    if (name === '') return fail('badArgument', `${jsonName} is not an XML element name`);
    if (typeof v === 'string') body += `<ivws:${name}>${escapeXmlText(v)}</ivws:${name}>`;
    else {
      const item = listItemName[jsonName] ?? 'item';
      let inner = '';
      for (const [i, entry] of v.entries()) {
        let fields = '';
        for (const [k, x] of Object.entries(entry as IvListItem)) {
          const kn = el(k);
          if (kn === '') return fail('badArgument', `${k} is not an XML element name`);
          fields += `<${kn}>${escapeXmlText(x)}</${kn}>`;
        }
        inner += `<${item}${i + 1}>${fields}</${item}${i + 1}>`;
      }
      body += `<ivws:${name}>${inner}</ivws:${name}>`;
    }
  }
  return okValue(
    '<?xml version="1.0" encoding="UTF-8"?>' +
      `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ivws="${IVWS_NAMESPACE}">` +
      `<soapenv:Header/><soapenv:Body><ivws:${method}>${body}</ivws:${method}></soapenv:Body></soapenv:Envelope>`,
  );
}

// ---- XML tree -----------------------------------------------------------------------------

export interface XNode {
  /** Local name (prefix dropped). */
  name: string;
  /** Attributes by local name (`xsi:type` -> `type`, `xs:nil` -> `nil`). */
  attrs: Record<string, string>;
  children: XNode[];
  /** Text content (trimmed, the five entities decoded). */
  text: string;
}

/** The shared tree with attributes by local name, which is all IVWS needs (`xsi:type`, `xs:nil`). */
function toIvNode(n: XmlNode): XNode {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(n.attrs)) Object.defineProperty(attrs, splitXmlName(k)[1], { value: v, enumerable: true, writable: true, configurable: true });
  return { name: n.name, attrs, children: n.children.map(toIvNode), text: n.text };
}

export interface XmlOptions {
  maxBytes?: number;
}

/** Safe parse to an XNode root. */
export function parseIvwsXml(body: string | Uint8Array, opts: XmlOptions = {}): Decoded<XNode> {
  const text = inputToText(body, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!text.ok) return text;
  const tree = parseXmlTree(text.value, MAX_DEPTH);
  return tree.ok ? okValue(toIvNode(tree.root)) : fail('badXml', tree.message);
}

const isNil = (n: XNode): boolean => n.attrs.nil === '1' || n.attrs.nil === 'true';

/** Element -> IvValue: nil -> null; leaf -> text; `…Array` type or repeated items -> list; else struct. */
export function xmlToIvValue(n: XNode): IvValue {
  if (isNil(n)) return null;
  if (n.children.length === 0) return n.text;
  const first = n.children[0] as XNode;
  const isArray = /Array$/.test(n.attrs.type ?? '') || (n.children.length > 1 && n.children.every((c) => c.name === first.name));
  if (isArray) return n.children.map(xmlToIvValue);
  const out: Record<string, IvValue> = {};
  for (const c of n.children) Object.defineProperty(out, c.name, { value: xmlToIvValue(c), enumerable: true, writable: true, configurable: true });
  return out;
}

export interface IvwsResponse {
  /** From the response element (`AgentInfoResponse` -> `AgentInfo`). */
  method: string;
  result: IvValue;
  /** `<code>` of a struct result, or an integer scalar result; null when there is none. */
  code: number | null;
}

const find = (n: XNode | undefined, name: string): XNode | undefined => n?.children.find((c) => c.name.toLowerCase() === name.toLowerCase());

/** Decode a SOAP response: Fault -> `fault`; `<XResponse><XResult>` -> result value. */
export function decodeIvwsResponse(body: string | Uint8Array, opts: XmlOptions = {}): Decoded<IvwsResponse> {
  const root = parseIvwsXml(body, opts);
  if (!root.ok) return root;
  if (root.value.name !== 'Envelope') return fail('badShape', `expected a SOAP Envelope, not <${root.value.name}>`);
  const soapBody = find(root.value, 'Body');
  const resp = soapBody?.children[0];
  if (!resp) return fail('badShape', 'SOAP envelope without a body element');
  if (resp.name === 'Fault') {
    const fs = find(resp, 'faultstring')?.text ?? resp.text;
    return fail('fault', `SOAP fault: ${fs.slice(0, 300)}`);
  }
  const method = resp.name.replace(/Response$/, '');
  const resultNode = resp.children.find((c) => /Result$/.test(c.name)) ?? (resp.children.length === 1 ? resp.children[0] : undefined);
  if (!resultNode) return fail('badShape', `<${resp.name}> has no …Result element`);
  const result = xmlToIvValue(resultNode);
  let codeText: string | null = null;
  if (typeof result === 'string' && resultNode.children.length === 0 && /^-?[0-9]{1,9}$/.test(result.trim())) codeText = result.trim();
  else if (result !== null && typeof result === 'object' && !Array.isArray(result) && Object.hasOwn(result, 'code') && typeof result.code === 'string' && /^-?[0-9]{1,9}$/.test(result.code)) codeText = result.code;
  return okValue({ method, result, code: codeText === null ? null : Number(codeText) });
}

function checked(body: string | Uint8Array, opts: XmlOptions): Decoded<IvwsResponse> {
  const r = decodeIvwsResponse(body, opts);
  if (r.ok && r.value.code !== null && r.value.code !== 0) return returnCodeError(r.value.code, null);
  return r;
}

/** A write method's status [SIM §3]: code 0 -> ok; a non-zero code -> `returnCode`. */
export function decodeIvwsStatus(body: string | Uint8Array, opts: XmlOptions = {}): Decoded<number> {
  const r = checked(body, opts);
  if (!r.ok) return r;
  return r.value.code === null ? fail('badShape', 'no return code in the result') : okValue(r.value.code);
}

/** `('0001',)` (Python tuple repr in SipUserList, L2141) -> `0001`. */
export function unwrapPythonTuple(s: string): string {
  const m = /^\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^,()'"]*?))\s*,?\s*\)$/.exec(s.trim());
  return m ? ((m[1] ?? m[2] ?? m[3]) as string) : s;
}

/** QueueList / SipUserList / AgentList (`tns:integerArray`): item texts (tuple reprs unwrapped). */
export function decodeIvwsNameList(body: string | Uint8Array, opts: XmlOptions = {}): Decoded<string[]> {
  const r = checked(body, opts);
  if (!r.ok) return r;
  const v = r.value.result;
  const items = Array.isArray(v) ? v : v === '' || v === null ? [] : typeof v === 'object' ? Object.values(v) : [v];
  const out: string[] = [];
  for (const it of items) {
    if (typeof it !== 'string') return fail('badShape', 'a list item is not a scalar');
    out.push(unwrapPythonTuple(it));
  }
  return okValue(out);
}

function record(v: IvValue): IvRecord | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const out: IvRecord = {};
  for (const [k, x] of Object.entries(v)) {
    if (x !== null && typeof x !== 'string') return null;
    Object.defineProperty(out, jsonNames[k] ?? k, { value: x, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** AgentInfo / QueueInfo / SipUserInfo / *InfoPermission struct; field names mapped to the JSON spelling. */
export function decodeIvwsRecord(body: string | Uint8Array, opts: XmlOptions = {}): Decoded<IvRecord> {
  const r = checked(body, opts);
  if (!r.ok) return r;
  const rec = record(r.value.result);
  return rec ? okValue(rec) : fail('badShape', 'expected a struct result');
}

/** AgentLineList / AgentQueueList / AgentQueueMembers (`tns:…Array` of structs). */
export function decodeIvwsRecordList(body: string | Uint8Array, opts: XmlOptions = {}): Decoded<IvRecord[]> {
  const r = checked(body, opts);
  if (!r.ok) return r;
  const v = r.value.result;
  const items = Array.isArray(v) ? v : v === '' || v === null ? [] : [v];
  const out: IvRecord[] = [];
  for (const it of items) {
    // One item under a container that had no `…Array` type reads as a struct of one struct.
    const rec = record(it) ?? (it !== null && typeof it === 'object' && !Array.isArray(it) && Object.keys(it).length === 1 ? record(Object.values(it)[0] as IvValue) : null);
    if (!rec) return fail('badShape', 'a list item is not a struct');
    out.push(rec);
  }
  return okValue(out);
}

export interface IvwsRequestRead {
  method: string;
  key: string;
  args: Record<string, string | IvListItem[]>;
}

/** Read a request envelope back (tests, a simulator): element values trimmed, lists as items. */
export function decodeIvwsRequest(body: string | Uint8Array, opts: XmlOptions = {}): Decoded<IvwsRequestRead> {
  const root = parseIvwsXml(body, opts);
  if (!root.ok) return root;
  const op = find(root.value, 'Body')?.children[0];
  if (root.value.name !== 'Envelope' || !op) return fail('badShape', 'expected a SOAP Envelope with a body element');
  let key = '';
  const args: Record<string, string | IvListItem[]> = {};
  for (const c of op.children) {
    if (c.name === 'key') key = c.text;
    else if (c.children.length === 0) args[c.name] = c.text;
    else args[c.name] = c.children.map((item) => Object.fromEntries(item.children.map((f) => [f.name, f.text])));
  }
  return okValue({ method: op.name, key, args });
}
