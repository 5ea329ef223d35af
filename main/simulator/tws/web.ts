// The TWS web services over HTTP and HTTPS (§1.2–§1.7): the three services under the manual's paths, each
// callable as GET/POST `<base>/Json/<Fn>?…`, `<base>/Xml/<Fn>?…` (segment and name case-insensitive) or as
// SOAP 1.1 (`POST <base>`, dispatch on the body's first child), plus `?wsdl`/`?singlewsdl` and the WCF help page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { escapeXml, ns, parseXml, toJson, toXml, XmlError, type N } from './xml.js';
import { Params, TwsHttpError, type FnResult, type ServiceName, type TwsFunctions } from './functions.js';

export interface WebOptions {
  functions: TwsFunctions;
  lenientFormat: boolean;
  /** True while the server is stalled: the request is held, never answered. */
  isStalled(): boolean;
  holdSocket(socket: Socket): void;
  /** Pending long polls (closed by connections/drop). */
  trackPending(socket: Socket, on: boolean): void;
  log: { warn(obj: unknown, msg: string): void };
}

const services: Array<{ service: ServiceName; re: RegExp; contract: string }> = [
  { service: 'toolkit', re: /^tws_toolkitwebsvc\/tws_toolkitwebsvc\.svc$/i, contract: 'ITWS_ToolkitWebSvc' },
  { service: 'user', re: /^tws_userwebsvc\/tws_userwebsvc\.svc$/i, contract: 'ITWS_UserWebSvc' },
  { service: 'social', re: /^tws_socialcollaborationwebsvc\/tws_socialcollaborationwebsvc\.svc$/i, contract: 'ITWS_SocialCollaborationWebSvc' },
];

const maxBody = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBody) chunks.push(c);
    });
    req.on('end', () => (size > maxBody ? reject(new TwsHttpError(413, 'Request entity too large.')) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** `<FnResult …>` for Xml and SOAP answers (§1.5). */
export function resultXml(fn: string, r: FnResult): string {
  const name = `${fn}Result`;
  let inner: string;
  if (r.kind === 'int') inner = `<${name}>${r.value}</${name}>`;
  else if (r.kind === 'string') inner = r.value === null ? `<${name} i:nil="true" xmlns:i="${ns.xsi}"/>` : `<${name}>${escapeXml(r.value)}</${name}>`;
  else if (r.value.k === 'nil') inner = `<${name} i:nil="true" xmlns:i="${ns.xsi}"/>`;
  else {
    const attrs: Record<string, string> = { ...(r.type ? { 'i:type': `a:${r.type}` } : {}), 'xmlns:i': ns.xsi, 'xmlns:a': r.ns ?? ns.database };
    inner = toXml(name, r.value, { mode: 'result' }, attrs);
  }
  return `<${fn}Response xmlns="${ns.tempuri}">${inner}</${fn}Response>`;
}

/** `{"<Fn>Result": …}` (§1.5). */
export function resultJson(fn: string, r: FnResult): string {
  let value: unknown;
  if (r.kind === 'int' || r.kind === 'string') value = r.value;
  else {
    value = toJson(r.value);
    if (r.type && value && typeof value === 'object' && !Array.isArray(value)) value = { __type: `${r.type}:#Algoria.TWS.GenericClass`, ...(value as Record<string, unknown>) };
  }
  return JSON.stringify({ [`${fn}Result`]: value });
}

function soapEnvelope(body: string): string {
  return `<s:Envelope xmlns:s="${ns.soap}"><s:Body>${body}</s:Body></s:Envelope>`;
}

function soapFault(code: 'Client' | 'Server', text: string): string {
  return soapEnvelope(`<s:Fault><faultcode>s:${code}</faultcode><faultstring xml:lang="en-US">${escapeXml(text)}</faultstring></s:Fault>`);
}

/** A minimal WSDL naming every operation of the service (self-written; the manual shows none). */
function wsdl(service: ServiceName, contract: string, names: string[], location: string): string {
  const svcName = contract.slice(1);
  const ops = names.map((n) => `<wsdl:operation name="${n}"><wsdl:input message="tns:${contract}_${n}_InputMessage"/><wsdl:output message="tns:${contract}_${n}_OutputMessage"/></wsdl:operation>`).join('');
  const bops = names
    .map((n) => `<wsdl:operation name="${n}"><soap:operation soapAction="http://tempuri.org/${contract}/${n}" style="document"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`)
    .join('');
  const msgs = names.map((n) => `<wsdl:message name="${contract}_${n}_InputMessage"><wsdl:part name="parameters" element="tns:${n}"/></wsdl:message><wsdl:message name="${contract}_${n}_OutputMessage"><wsdl:part name="parameters" element="tns:${n}Response"/></wsdl:message>`).join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?><wsdl:definitions name="${svcName}" targetNamespace="http://tempuri.org/" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="http://tempuri.org/" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<!-- lab simulator (${service}): operations only; parameter types are strings unless the manual says int/bool -->` +
    `${msgs}<wsdl:portType name="${contract}">${ops}</wsdl:portType><wsdl:binding name="BasicHttpBinding_${contract}" type="tns:${contract}"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>${bops}</wsdl:binding>` +
    `<wsdl:service name="${svcName}"><wsdl:port name="BasicHttpBinding_${contract}" binding="tns:BasicHttpBinding_${contract}"><soap:address location="${escapeXml(location)}"/></wsdl:port></wsdl:service></wsdl:definitions>`
  );
}

function helpPage(name: string): string {
  return `<html><head><title>Service ${name}</title></head><body><h1>Service ${name}</h1><p>Vous avez créé un service.</p><p>Lab simulator: call the functions as GET …/Json/&lt;Function&gt;?… or over SOAP.</p></body></html>`;
}

/** Handle one request; resolves once answered (or held by a stall). */
export async function handleWeb(opts: WebOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (opts.isStalled()) {
    opts.holdSocket(req.socket);
    return;
  }
  const url = new URL(req.url ?? '/', 'http://tws');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname).replace(/\/+$/, '');
  } catch {
    await readBody(req).catch(() => '');
    send(res, 400, 'text/plain; charset=utf-8', 'Bad request.');
    return;
  }
  const m = /^\/tws\/(auth\/)?(.+?\.svc)(?:\/([^/]+)\/([^/]+))?$/i.exec(path);
  const svc = m ? services.find((s) => s.re.test(m[2] ?? '')) : undefined;
  if (!m || !svc || (m[1] && svc.service !== 'user')) {
    await readBody(req).catch(() => '');
    send(res, 404, 'text/plain; charset=utf-8', 'Endpoint not found.');
    return;
  }
  const windowsAuth = m[1] !== undefined;
  const format = m[3];
  const fnName = m[4];
  let body = '';
  try {
    body = await readBody(req);
  } catch {
    send(res, 413, 'text/plain; charset=utf-8', 'Request entity too large.');
    return;
  }
  if (format === undefined) {
    const query = url.search.slice(1).toLowerCase();
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (query === 'wsdl' || query === 'singlewsdl') {
        const location = `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}${url.pathname}`;
        send(res, 200, 'text/xml; charset=utf-8', wsdl(svc.service, svc.contract, opts.functions.names(svc.service), location));
      } else send(res, 200, 'text/html; charset=utf-8', helpPage(svc.contract.slice(1)));
      return;
    }
    if (req.method === 'POST') {
      await handleSoap(opts, svc.service, windowsAuth, req, res, body);
      return;
    }
    send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
    return;
  }
  let fmt = format.toLowerCase();
  if (opts.lenientFormat && (fmt === 'ison' || fmt === 'isbn')) fmt = 'json';
  const def = fnName ? opts.functions.find(svc.service, fnName) : undefined;
  if ((fmt !== 'json' && fmt !== 'xml') || !def || (req.method !== 'GET' && req.method !== 'POST')) {
    send(res, 404, 'text/plain; charset=utf-8', 'Endpoint not found.');
    return;
  }
  const entries: Array<[string, string]> = [...url.searchParams.entries()];
  if (req.method === 'POST' && body.trim() !== '') {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (type.includes('json') || body.trim().startsWith('{')) {
      try {
        const obj = JSON.parse(body) as unknown;
        if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
          for (const [k, val] of Object.entries(obj as Record<string, unknown>)) if (val !== null && val !== undefined) entries.push([k, String(val)]);
        }
      } catch {
        send(res, 400, 'text/plain; charset=utf-8', 'The request body is not valid JSON.');
        return;
      }
    } else entries.push(...new URLSearchParams(body).entries());
  }
  opts.functions.count(def);
  const result = await runFn(opts, def.run.bind(def), new Params(entries), windowsAuth, req, res);
  if (result === 'gone') return;
  if (result instanceof TwsHttpError) {
    if (fmt === 'json') send(res, result.status, 'application/json; charset=utf-8', JSON.stringify({ Message: result.message }));
    else send(res, result.status, 'application/xml; charset=utf-8', `<Fault><Message>${escapeXml(result.message)}</Message></Fault>`);
    return;
  }
  if (fmt === 'json') send(res, 200, 'application/json; charset=utf-8', resultJson(def.name, result));
  else send(res, 200, 'application/xml; charset=utf-8', resultXml(def.name, result));
}

async function runFn(
  opts: WebOptions,
  run: (ctx: { params: Params; windowsAuth: boolean; aborted: Promise<void> }) => FnResult | Promise<FnResult>,
  params: Params,
  windowsAuth: boolean,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<FnResult | TwsHttpError | 'gone'> {
  let gone = false;
  // The response closing before we wrote it = the client went away (a long poll wakes up and answers no one).
  const aborted = new Promise<void>((resolve) => {
    res.once('close', () => {
      if (!res.writableEnded) gone = true;
      resolve();
    });
  });
  opts.trackPending(req.socket, true);
  try {
    const r = await run({ params, windowsAuth, aborted });
    return gone ? 'gone' : r;
  } catch (err) {
    if (err instanceof TwsHttpError) return err;
    opts.log.warn({ err }, 'tws: function failed');
    return new TwsHttpError(500, 'The server encountered an internal error.');
  } finally {
    opts.trackPending(req.socket, false);
  }
}

async function handleSoap(opts: WebOptions, service: ServiceName, windowsAuth: boolean, req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  const xmlType = 'text/xml; charset=utf-8';
  let op: string | undefined;
  const entries: Array<[string, string]> = [];
  try {
    const env = parseXml(body);
    const bodyEl = env.name === 'Envelope' ? env.children.find((c) => c.name === 'Body') : undefined;
    const first = bodyEl?.children[0];
    if (!first) throw new XmlError('no SOAP body');
    op = first.name;
    for (const c of first.children) {
      if (c.attrs['i:nil'] === 'true' || Object.entries(c.attrs).some(([k, val]) => k.endsWith(':nil') && val === 'true')) continue;
      entries.push([c.name, c.text]);
    }
  } catch (err) {
    send(res, 500, xmlType, soapFault('Client', err instanceof Error ? `The message could not be read: ${err.message}` : 'The message could not be read.'));
    return;
  }
  // Any SOAPAction is accepted, including none: dispatch on the body element (digest §1.3 [SIM]).
  const def = opts.functions.find(service, op);
  if (!def) {
    send(res, 500, xmlType, soapFault('Client', `The operation '${op}' is not part of the contract.`));
    return;
  }
  opts.functions.count(def);
  const result = await runFn(opts, def.run.bind(def), new Params(entries), windowsAuth, req, res);
  if (result === 'gone') return;
  if (result instanceof TwsHttpError) {
    send(res, result.status === 400 ? 400 : 500, xmlType, soapFault(result.status === 400 ? 'Client' : 'Server', result.message));
    return;
  }
  send(res, 200, xmlType, soapEnvelope(resultXml(def.name, result)));
}

export type { N };
