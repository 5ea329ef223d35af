// CTIPS request transport (digest §1.5, §2.4, §3.5): one SOAP POST per request to the portal's
// endpoint (`ctipsUrl`), node http/https with keep-alive agents, a per-request timeout (default
// 10 s, digest §2.4 "Client default"), a reply byte cap (1 MiB, the codec's), TLS always verified
// (the profile's CA file or SHA-256 pin, main/connectors/tls.ts). Every outcome is a decoded
// `CtipsResponse` or a typed CtiError (`ctipsErrorToCtiError`): refused/DNS → unreachable, no reply
// in time → timeout, HTTP error without a SOAP fault → rejected, SOAP fault → by what it says
// (session / credentials / connection limit / bad input / else rejected), a non-zero status → by
// the [SIM] code, anything undecodable → protocol. Requests and replies go to the trace (when one is
// given) with the OpenConnection password redacted.
import http from 'node:http';
import https from 'node:https';
import { CtiError, type ErrorCode } from '../../../shared/commands.js';
import { redactFrame } from '../../core/log.js';
import { exchange, type ExchangeReply } from '../http-exchange.js';
import { socketError } from '../socket-error.js';
import { httpsAgentFor, type TlsTrust } from '../tls.js';
import type { CtipsRequest } from './requests.js';
import { decodeCtipsResponse, type CtipsResponse } from './responses.js';
import { DEFAULT_MAX_BYTES, type CtipsError } from './result.js';
import { ctipsUrl, DEFAULT_CTIPS_PROFILE, type CtipsWireProfile } from './wire.js';

export type CtipsTraceFn = (direction: 'in' | 'out', channel: string, frame: string) => void;

export interface CtipsSoapClientOptions {
  /** Portal host (name or IP; IPv6 without brackets is fine). */
  host: string;
  /** Portal port; default the profile's `defaultPort`. */
  port?: number;
  /** https: TLS verified against the system roots + `tls.caPem`, or the pin. Default false. */
  https?: boolean;
  tls?: TlsTrust;
  profile?: CtipsWireProfile;
  /** Per-request timeout (connect + reply), ms. Default 10 000 (digest §2.4). */
  timeoutMs?: number;
  /** Reply byte cap. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Protocol trace; nothing is copied for it when absent. */
  trace?: CtipsTraceFn;
}

export const DEFAULT_CTIPS_TIMEOUT_MS = 10_000;

const has = (s: string, re: RegExp): boolean => re.test(s);

/**
 * A codec error (a decoded reply that is a fault, a status, or undecodable) as a CtiError. The
 * manual documents no fault codes (§3.5): the fault's code, reason and CTIFault detail are read for
 * what they say. `vendorCode` is `fault:<code>` / `status:<n>` / the codec error kind.
 */
export function ctipsErrorToCtiError(e: CtipsError, where: string): CtiError {
  const msg = `${where}: ${e.message}`;
  if (e.kind === 'fault' && e.fault) {
    const f = e.fault;
    const text = `${f.reason} ${f.ctiFault?.message ?? ''} ${f.detailText ?? ''}`;
    const vendor = `fault:${f.code || '?'}${f.ctiFault?.code != null ? `:${f.ctiFault.code}` : ''}`;
    let code: ErrorCode = 'rejected';
    if (has(text, /session\s*id|\bsession\b.*\b(invalid|unknown|expired|not found|disposed)|(invalid|unknown)\s+session/i)) code = 'sessionLost';
    else if (has(text, /credential|password|unauthori[sz]ed|authenticat|access is denied|logon failure|unknown user/i)) code = 'authFailed';
    else if (has(text, /maximum number of connections|connection limit|too many (connections|sessions)|licen[cs]e/i)) code = 'limit';
    else if (has(text, /not online/i)) code = 'notConnected';
    else if ((f.code === 'Client' || f.code === 'Sender') && has(text, /invalid|missing|required|malformed|bad request|deserializ|out of range|must be/i)) code = 'invalid';
    return new CtiError(code, msg, vendor);
  }
  if (e.kind === 'status') {
    const st = e.status ?? -1;
    // The [SIM] OpenConnection codes (responses.ts ctipsStatusCodes); other ints are "rejected".
    const byStatus: Record<number, ErrorCode> = { 1: 'authFailed', 2: 'invalid', 3: 'limit', 4: 'unreachable', 5: 'rejected' };
    const isOpen = /OpenConnection/.test(e.message);
    return new CtiError((isOpen ? byStatus[st] : undefined) ?? 'rejected', msg, `status:${st}`);
  }
  return new CtiError('protocol', msg, e.kind);
}

export interface CtipsSendOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class CtipsSoapClient {
  readonly url: string;
  private readonly target: URL;
  private readonly profile: CtipsWireProfile;
  private readonly timeoutMs: number;
  private readonly maxBody: number;
  private readonly agent: http.Agent;
  private readonly trace: CtipsTraceFn | undefined;
  private readonly open = new Set<http.ClientRequest>();
  private closed = false;

  constructor(opts: CtipsSoapClientOptions) {
    this.profile = opts.profile ?? DEFAULT_CTIPS_PROFILE;
    const port = opts.port ?? this.profile.defaultPort;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CtiError('invalid', `CTIPS port ${String(port)} is not 1–65535`);
    if (opts.host.trim() === '' || /[\s/?#@]/.test(opts.host)) throw new CtiError('invalid', `CTIPS host "${opts.host.slice(0, 100)}" is not a host name or address`);
    this.url = ctipsUrl(this.profile, opts.host.trim(), port, opts.https ? 'https' : 'http');
    try {
      this.target = new URL(this.url);
    } catch {
      throw new CtiError('invalid', `not a usable CTIPS URL: ${this.url.slice(0, 200)}`);
    }
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_CTIPS_TIMEOUT_MS;
    this.maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BYTES;
    this.trace = opts.trace;
    this.agent = opts.https ? httpsAgentFor(opts.tls ?? {}, this.timeoutMs) : new http.Agent({ keepAlive: true });
  }

  /** POST a built request; the decoded reply (`requestId` echoed), or a CtiError. */
  async send(req: CtipsRequest, so: CtipsSendOptions = {}): Promise<CtipsResponse> {
    const where = `CTIPS ${req.operation}`;
    const reply = await this.post(req, so.timeoutMs ?? this.timeoutMs, where, so.signal);
    const d = decodeCtipsResponse(reply.bytes, { operation: req.operation, maxBytes: this.maxBody, ...(req.requestId !== null ? { requestId: req.requestId } : {}) });
    if (d.ok) {
      if (reply.status !== 200 && reply.status !== 202) throw new CtiError('protocol', `${where}: HTTP ${reply.status} with a success reply`, `http${reply.status}`);
      return d.value;
    }
    if (d.error.kind === 'fault' || d.error.kind === 'status') return Promise.reject(ctipsErrorToCtiError(d.error, where));
    if (reply.status >= 400) {
      const hint = reply.status === 404 ? ' (no CTIPS service at this URL; check the host, port and the profile request path)' : '';
      throw new CtiError('rejected', `${where}: HTTP ${reply.status}${hint}${reply.text.trim() ? `: ${reply.text.trim().slice(0, 200)}` : ''}`, `http${reply.status}`);
    }
    throw ctipsErrorToCtiError(d.error, where);
  }

  /** Abort every request in flight (they fail with notConnected) and drop the pooled sockets. */
  close(): void {
    this.closed = true;
    for (const r of [...this.open]) r.destroy(new Error('closed'));
    this.open.clear();
    this.agent.destroy();
  }

  private post(req: CtipsRequest, timeoutMs: number, where: string, signal: AbortSignal | undefined): Promise<ExchangeReply> {
    const channel = `soap:${req.operation}`;
    const headers: Record<string, string | number> = { ...req.headers, 'Content-Length': Buffer.byteLength(req.body) };
    if (this.trace) this.trace('out', channel, `POST ${this.url}\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${redactFrame(req.body)}`);
    if (this.closed) return Promise.reject(new CtiError('notConnected', `${where}: the client was closed`));
    const client = this.target.protocol === 'https:' ? https : http;
    return exchange(() => client.request(this.target, { method: 'POST', headers, agent: this.agent }), {
      where,
      timeoutMs,
      maxBytes: this.maxBody,
      body: req.body,
      signal,
      inFlight: this.open,
      requestError: (err) => (this.closed ? new CtiError('notConnected', `${where}: the client was closed`) : socketError(err, where)),
      onResponse: (res, fail) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > this.maxBody) {
          fail(new CtiError('protocol', `${where}: reply larger than ${this.maxBody} bytes`));
          return;
        }
        res.on('aborted', () => fail(new CtiError('unreachable', `${where}: the reply was cut off`)));
      },
      onReply: (reply) => {
        if (this.trace) this.trace('in', channel, `HTTP ${reply.status}\n\n${reply.text}`);
      },
    });
  }
}
