// TWS web-service transport: HTTP GET `/Json/` or `/Xml/`, or SOAP 1.1 POST, over HTTP or HTTPS
// (TLS always verified: the profile's CA file or SHA-256 pin, main/connectors/tls.ts). One request
// per call with its own timeout; keep-alive agents; every request and reply goes to the protocol
// trace with the credentials and tokens redacted. Status handling (digest §1.7): 200 → the body
// for the result decoders; 404/400/405 → a protocol error (wrong URL, function or parameter);
// 500 → a service exception (`s:Fault`, `{"Message":…}`, `<Fault>`), returned as `fault` so the
// session can tell a refused token from other exceptions; anything else → protocol error.
import { socketError } from '../socket-error.js';
import { exchange } from '../http-exchange.js';
import http from 'node:http';
import https from 'node:https';
import { CtiError } from '../../../shared/commands.js';
import type { TraceFn } from '../../core/log.js';
import { httpsAgentFor, type TlsTrust } from '../tls.js';
import { buildSoap, buildUrl, type TwsRequest } from './requests.js';
import { decodeResult, type TwsFormat } from './results.js';

export type TwsApi = 'json' | 'xml' | 'soap';

export interface TwsHttpOptions {
  /** `http://host:9001` or `https://host:9011`. */
  baseUrl: string;
  tls: TlsTrust;
  timeoutMs: number;
  trace: TraceFn;
  /** Whether the profile traces frames: without it, nothing is copied or redacted for the trace. */
  tracing: boolean;
  maxBodyBytes?: number;
}

export type TwsReply =
  | { kind: 'ok'; body: string; format: TwsFormat }
  /** HTTP 500 (or a 200 whose body is a fault): the service threw; `message` is its text. */
  | { kind: 'fault'; message: string; status: number };

const DEFAULT_MAX_BODY = 8 * 1024 * 1024;


/** Replies that carry a new secret (the token, the event id) before it is known: masked in the trace. */
function redactReply(channel: string, text: string): string {
  if (/GetMyToken/i.test(channel)) {
    return text.replace(/("Guid"\s*:\s*")[^"]*"/g, '$1[redacted]"').replace(/(<(?:\w+:)?Guid>)[^<]*(<\/(?:\w+:)?Guid>)/g, '$1[redacted]$2');
  }
  if (/ConnectToEventService/i.test(channel)) {
    return text.replace(/("\w*Result"\s*:\s*")[^"]*"/g, '$1[redacted]"').replace(/(<(?:\w+:)?\w*Result[^>]*>)[^<]*(<\/)/g, '$1[redacted]$2');
  }
  return text;
}

export class TwsHttp {
  private readonly opts: TwsHttpOptions;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly maxBody: number;
  private readonly secrets = new Set<string>();
  private readonly open = new Set<http.ClientRequest>();
  private closed = false;

  constructor(opts: TwsHttpOptions) {
    this.opts = opts;
    this.maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.httpAgent = new http.Agent({ keepAlive: true });
    this.httpsAgent = httpsAgentFor(opts.tls, opts.timeoutMs);
  }

  /** A value (token, key, password) that must never reach the trace. */
  addSecret(value: string | null | undefined): void {
    if (value && value.length >= 3) this.secrets.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      out = out.split(s).join('[redacted]');
      const enc = encodeURIComponent(s);
      if (enc !== s) out = out.split(enc).join('[redacted]');
    }
    return out;
  }

  /** Call one function with the API style; the body comes back with the format to decode it with. */
  async call(r: TwsRequest, api: TwsApi, ro: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<TwsReply> {
    let url: string;
    let method: 'GET' | 'POST';
    let headers: Record<string, string | number>;
    let body: string | undefined;
    if (api === 'soap') {
      const soap = buildSoap(r);
      url = `${this.opts.baseUrl.replace(/\/+$/, '')}${soap.path}`;
      method = 'POST';
      body = soap.body;
      headers = { 'Content-Type': soap.contentType, SOAPAction: soap.soapAction, 'Content-Length': Buffer.byteLength(body) };
    } else {
      url = buildUrl(r, { baseUrl: this.opts.baseUrl, format: api === 'xml' ? 'Xml' : 'Json' });
      method = 'GET';
      headers = { Accept: api === 'xml' ? 'application/xml' : 'application/json' };
    }
    const format: TwsFormat = api;
    const channel = `ws:${r.fn}`;
    const reply = await this.request(method, url, headers, body, ro.timeoutMs ?? this.opts.timeoutMs, channel, ro.signal);
    const where = `TWS ${r.fn}`;
    if (reply.status === 200) {
      // A fault can come with 200 on some stacks: let the decoder say.
      return { kind: 'ok', body: reply.text, format };
    }
    if (reply.status === 500) {
      const d = decodeResult(reply.text, format);
      const message = !d.ok && d.error.kind === 'fault' ? d.error.message.replace(/^service exception:\s*/, '') : reply.text.trim().slice(0, 300) || 'HTTP 500';
      return { kind: 'fault', message, status: 500 };
    }
    if (reply.status === 404) throw new CtiError('protocol', `${where}: HTTP 404 (no such service or function at ${this.redact(url.split('?')[0] ?? url)}; check the host, port and API style)`, 'http404');
    if (reply.status === 400) throw new CtiError('protocol', `${where}: HTTP 400 (the server could not read a parameter)`, 'http400');
    throw new CtiError('protocol', `${where}: unexpected HTTP ${reply.status}`, `http${reply.status}`);
  }

  close(): void {
    this.closed = true;
    for (const req of [...this.open]) req.destroy(new Error('closed'));
    this.open.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private request(
    method: string,
    url: string,
    headers: Record<string, string | number>,
    body: string | undefined,
    timeoutMs: number,
    channel: string,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; text: string }> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.reject(new CtiError('invalid', `not a usable TWS URL: ${this.redact(url).slice(0, 200)}`));
    }
    const where = `TWS ${method} ${target.origin}${target.pathname}`;
    if (this.opts.tracing) this.opts.trace('out', channel, this.redact(`${method} ${url}\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body ?? ''}`));
    if (this.closed) return Promise.reject(new CtiError('notConnected', `${where}: the connection was closed`));
    const client = target.protocol === 'https:' ? https : http;
    const agent = target.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
    return exchange(() => client.request(target, { method, headers, agent }), {
      where,
      timeoutMs,
      maxBytes: this.maxBody,
      body,
      signal,
      inFlight: this.open,
      requestError: (err) => (this.closed ? new CtiError('notConnected', `${where}: the connection was closed`) : socketError(err, where)),
      onReply: ({ status, text }) => {
        if (this.opts.tracing) this.opts.trace('in', channel, this.redact(`HTTP ${status}\n\n${redactReply(channel, text)}`));
      },
    });
  }
}
