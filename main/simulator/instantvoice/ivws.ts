// IVWS, the InstantVoice web service (digest §3): SOAP 1.1 over HTTP on the active ACD brick.
// GET /?wsdl serves a self-written WSDL (the guide shows none; targetNamespace Ivws.Ivws); POST / takes an
// envelope and dispatches on the body element whatever the SOAPAction. Element names as the guide's
// examples (passwd, call_limit, ignoreexpire, numbered unqualified list items line1/queue1…); values are
// trimmed and empty elements mean "not given". Replies in the guide's soaplib style: write methods return
// <MethodResult xsi:type="xs:integer">code</MethodResult>, queries the struct/array shapes of its examples,
// a failed query a struct holding only <code>. Parsing is this lab's own (no connector codec).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import type { Logger } from '../../core/log.js';
import { checkXmlStructure, escapeXmlAttr, escapeXmlText, safeXmlParserOptions, unescapeXml } from '../../connectors/xml-text.js';
import type { IvResult, SoapField, SoapResult } from './acd.js';
import { ivMethods } from './config.js';
import type { IvValue } from './wire.js';

export const ivwsNamespace = 'Ivws.Ivws';
const soapEnvNs = 'http://schemas.xmlsoap.org/soap/envelope/';
const maxBodyBytes = 1024 * 1024;

/** SOAP parameter names per method (after key), as the guide's tables and SOAP examples spell them. */
export const soapParams: Record<string, string[]> = {
  AgentAdd: ['accountcode', 'user', 'passwd', 'name'],
  AgentDelete: ['accountcode', 'user'],
  AgentModify: ['original_accountcode', 'original_user', 'accountcode', 'user', 'passwd', 'name'],
  AgentList: ['accountcode'],
  AgentInfo: ['accountcode', 'user'],
  AgentLineAdd: ['accountcode', 'user', 'lines'],
  AgentLineDelete: ['accountcode', 'user', 'linenumber'],
  AgentLineModify: ['original_accountcode', 'original_user', 'original_linenumber', 'inbound', 'outbound'],
  AgentLineList: ['accountcode', 'user'],
  AgentQueueAdd: ['accountcode', 'user', 'queues'],
  AgentQueueDelete: ['accountcode', 'user', 'name'],
  AgentQueueModify: ['original_accountcode', 'original_user', 'original_name', 'priority'],
  AgentQueueList: ['accountcode', 'user'],
  AgentQueueMembers: ['accountcode', 'name'],
  AgentAddPermission: ['accountcode', 'user', 'location'],
  AgentDeletePermission: ['accountcode', 'user'],
  AgentModifyPermission: ['accountcode', 'user', 'location'],
  AgentInfoPermission: ['accountcode', 'user'],
  AgentLogin: ['Accountcode', 'User', 'Interface'],
  AgentLogoff: ['Accountcode', 'User'],
  AgentPause: ['Accountcode', 'User', 'Reason'],
  AgentUnpause: ['Accountcode', 'User'],
  BlindTransfer: ['Accountcode', 'User', 'Exten'],
  NewCall: ['Accountcode', 'User', 'Exten', 'External_id'],
  SendSms: ['Accountcode', 'Number', 'Text'],
  NewCallBack: ['Accountcode', 'Mcdu', 'Originator', 'Language', 'Location_id', 'Queue_id', 'Email'],
  Hangup: ['Accountcode', 'Uniqueid'],
  QueueAdd: ['accountcode', 'name', 'description', 'sl_answeredbefore_1', 'sl_answeredbefore_2', 'sl_answeredbefore_3', 'joinempty', 'requiresendinfo', 'timeout', 'dialtimeout', 'maxlen', 'wrapuptime', 'quarantinetime', 'announce', 'musiconhold'],
  QueueModify: ['original_accountcode', 'original_name', 'accountcode', 'name', 'description', 'sl_answeredbefore_1', 'sl_answeredbefore_2', 'sl_answeredbefore_3', 'joinempty', 'requiresendinfo', 'timeout', 'dialtimeout', 'maxlen', 'wrapuptime', 'quarantinetime', 'announce', 'musiconhold'],
  QueueDelete: ['accountcode', 'name'],
  QueueList: ['accountcode'],
  QueueInfo: ['accountcode', 'name'],
  SipUserAdd: ['accountcode', 'name', ...sipSoapFields()],
  SipUserModify: ['original_accountcode', 'original_name', 'accountcode', 'name', ...sipSoapFields()],
  SipUserDelete: ['accountcode', 'name'],
  SipUserList: ['accountcode'],
  SipUserInfo: ['accountcode', 'name'],
  SipUserAddPermission: ['accountcode', 'name', 'location'],
  SipUserDeletePermission: ['accountcode', 'name'],
  SipUserModifyPermission: ['accountcode', 'name', 'location'],
  SipUserInfoPermission: ['accountcode', 'name'],
};

function sipSoapFields(): string[] {
  return ['description', 'allow', 'amaflags', 'call_limit', 'callerid', 'callgroup', 'canreinvite', 'context', 'defaultip', 'deny', 'disallow', 'dtmfmode', 'fromdomain', 'fromuser', 'fullcontact', 'host', 'ignoreexpire', 'insecure', 'ipaddr', 'language', 'mailbox', 'md5secret', 'musiconhold', 'nat', 'permit', 'pickupgroup', 'port', 'progressinband', 'promiscredir', 'qualify', 'regexten', 'regseconds', 'rpid', 'rtpholdtimeout', 'secret', 'sendrpid', 'setvar', 'subscribecontext', 'trustrpid', 'type', 'useclientcode', 'username', 'route', 'macaddr', 'location'];
}

export interface SoapRequest {
  method: string;
  key: string;
  args: Record<string, IvValue>;
}

export class SoapParseError extends Error {}

const parser = new XMLParser({ ...safeXmlParserOptions, removeNSPrefix: true });

type Ordered = Array<Record<string, unknown>>;

function toValue(children: Ordered): IvValue {
  const elements = children.filter((c) => !('#text' in c) && !('#cdata' in c));
  if (elements.length === 0) {
    return children.map((c) => ('#text' in c ? unescapeXml(String(c['#text'])) : '')).join('').trim();
  }
  const out: Record<string, IvValue> = {};
  for (const el of elements) {
    const name = Object.keys(el).find((k) => k !== ':@') as string;
    out[name] = toValue(el[name] as Ordered);
  }
  return out;
}

/** Envelope → method, key and arguments (numbered list children stay an object; the ACD reads them). */
export function parseSoapRequest(xml: string): SoapRequest {
  const bad = checkXmlStructure(xml, 32);
  if (bad) throw new SoapParseError(`not well-formed XML: ${bad}`);
  let doc: Ordered;
  try {
    doc = parser.parse(xml) as Ordered;
  } catch (err) {
    throw new SoapParseError(`not well-formed XML: ${(err as Error).message}`);
  }
  const find = (nodes: Ordered, name: string): Ordered | undefined => {
    const el = nodes.find((n) => name in n);
    return el ? (el[name] as Ordered) : undefined;
  };
  const env = find(doc, 'Envelope');
  const body = env && find(env, 'Body');
  if (!body) throw new SoapParseError('no soap Envelope/Body');
  const call = body.find((n) => !('#text' in n));
  if (!call) throw new SoapParseError('empty soap Body');
  const method = Object.keys(call).find((k) => k !== ':@') as string;
  const v = toValue(call[method] as Ordered);
  const args = typeof v === 'object' && !Array.isArray(v) ? { ...v } : {};
  const key = typeof args.key === 'string' ? args.key : '';
  delete args.key;
  return { method, key, args };
}

const envelopeOpen =
  '<SOAP-ENV:Envelope xmlns:plnk="http://schemas.xmlsoap.org/ws/2003/05/partner-link/" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" ' +
  'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/1999/XMLSchema-instance" xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns="Ivws.Ivws">';

function field(f: SoapField): string {
  if (f.type === 'nil') return `<${f.name} xs:nil="1"/>`;
  const t = f.type === 'integer' ? 'xs:integer' : 'xs:string';
  return f.value === '' ? `<${f.name} xsi:type="${t}"/>` : `<${f.name} xsi:type="${t}">${escapeXmlText(f.value)}</${f.name}>`;
}

function resultXml(method: string, code: number, soap: SoapResult): string {
  const tag = `${method}Result`;
  if (soap.kind === 'code' || (code !== 0 && soap.kind !== 'struct')) return `<${tag} xsi:type="xs:integer">${code}</${tag}>`;
  switch (soap.kind) {
    case 'struct':
      return `<${tag}>${soap.fields.map(field).join('')}</${tag}>`;
    case 'integerArray':
      return `<${tag} type="tns:integerArray">${soap.items.map((i) => `<integer xsi:type="xs:integer">${escapeXmlText(i)}</integer>`).join('')}</${tag}>`;
    case 'array':
      return `<${tag} type="${escapeXmlAttr(soap.arrayType)}">${soap.items.map((it) => `<${soap.item}>${it.map(field).join('')}</${soap.item}>`).join('')}</${tag}>`;
  }
}

export function soapResponse(method: string, r: Pick<IvResult, 'code' | 'soap'>): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${envelopeOpen}<SOAP-ENV:Body><${method}Response>${resultXml(method, r.code, r.soap)}</${method}Response></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

export function soapFault(code: 'Client' | 'Server', message: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${soapEnvNs}"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:${code}</faultcode><faultstring>${escapeXmlText(message)}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

/** The self-written WSDL: one document/literal operation per method, parameters as xs:string, results xs:anyType. */
export function wsdl(location: string): string {
  const listParams = new Set(['lines', 'queues']);
  const types = ivMethods
    .map((m) => {
      const params = ['key', ...(soapParams[m] ?? [])]
        .map((p) => (listParams.has(p) ? `<xs:element name="${p}" type="xs:anyType" minOccurs="0"/>` : `<xs:element name="${p}" type="xs:string" minOccurs="${p === 'key' ? 1 : 0}" nillable="true"/>`))
        .join('');
      return `<xs:element name="${m}"><xs:complexType><xs:sequence>${params}</xs:sequence></xs:complexType></xs:element>` +
        `<xs:element name="${m}Response"><xs:complexType><xs:sequence><xs:element name="${m}Result" type="xs:anyType" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>`;
    })
    .join('\n');
  const messages = ivMethods.map((m) => `<message name="${m}"><part name="parameters" element="tns:${m}"/></message><message name="${m}Response"><part name="parameters" element="tns:${m}Response"/></message>`).join('\n');
  const ops = ivMethods.map((m) => `<operation name="${m}"><input message="tns:${m}"/><output message="tns:${m}Response"/></operation>`).join('\n');
  const bops = ivMethods
    .map((m) => `<operation name="${m}"><soap:operation soapAction="${m}" style="document"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${ivwsNamespace}" targetNamespace="${ivwsNamespace}" name="Ivws">
<types><xs:schema targetNamespace="${ivwsNamespace}" elementFormDefault="qualified">
${types}
</xs:schema></types>
${messages}
<portType name="Ivws">
${ops}
</portType>
<binding name="IvwsBinding" type="tns:Ivws"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
${bops}
</binding>
<service name="Ivws"><port name="Ivws" binding="tns:IvwsBinding"><soap:address location="${escapeXmlAttr(location)}"/></port></service>
</definitions>
`;
}

export interface IvwsHandler {
  /** Run one SOAP request (the ACD); null = the service is stalled and holds the request. */
  call(req: SoapRequest): IvResult | Promise<IvResult>;
  log: Logger;
}

/** The IVWS HTTP server. */
export class IvwsServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly handler: IvwsHandler,
  ) {}

  async start(port: number): Promise<void> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.keepAliveTimeout = 5000;
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    this.server = server;
  }

  dropClients(): number {
    const n = this.sockets.size;
    for (const s of this.sockets) s.destroy();
    return n;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    this.dropClients();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, type: string, body: string) => {
      if (res.headersSent) return;
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://ivws');
      if (req.method === 'GET') {
        await readBody(req);
        if (url.searchParams.has('wsdl') || url.search.toLowerCase() === '?wsdl') {
          send(200, 'text/xml; charset=utf-8', wsdl(`http://${req.headers.host ?? `${this.host}:${this.port}`}/`));
        } else send(404, 'text/plain', 'GET /?wsdl for the service description\n');
        return;
      }
      if (req.method !== 'POST') {
        send(405, 'text/plain', 'POST a SOAP envelope\n');
        return;
      }
      const body = await readBody(req);
      let parsed: SoapRequest;
      try {
        parsed = parseSoapRequest(body);
      } catch (err) {
        send(500, 'text/xml; charset=utf-8', soapFault('Client', (err as Error).message));
        return;
      }
      const r = await this.handler.call(parsed);
      send(200, 'text/xml; charset=utf-8', soapResponse(parsed.method, r));
    } catch (err) {
      this.handler.log.warn({ err }, 'ivws: request failed');
      send(500, 'text/xml; charset=utf-8', soapFault('Server', 'internal error'));
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBodyBytes) chunks.push(c);
    });
    req.on('end', () => (size > maxBodyBytes ? reject(new Error('body too large')) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
