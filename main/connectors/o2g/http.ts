// O2G's HTTP(S) transport: node:http/node:https with keep-alive agents, a cookie jar (AlcUserId
// from the authentication, JSESSIONID from the session; both sent on every request, the event
// channel included — digest §1.4, §6 #4), JSON bodies, per-request timeouts, TLS trust, and the
// protocol trace with every credential redacted.
//
// TLS: verification is always on. `tls.caFile` adds that PEM to Node's root certificates for this
// connection only. `tls.pinSha256` accepts exactly the certificate with that SHA-256 fingerprint
// (whoever signed it): the TLS socket is made by the agent, its peer certificate compared, and only
// a matching socket is handed to the request, so no request byte is written before the check.
import { exchange } from '../http-exchange.js';
import { socketError } from '../socket-error.js';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { CtiError } from '../../../shared/commands.js';
import { fingerprintOfPem, normalizeFingerprint, PinnedAgent, type TlsTrust } from '../tls.js';
import type { TraceFn } from '../../core/log.js';

export type { TlsTrust };
export { fingerprintOfPem, normalizeFingerprint };

export interface O2gHttpOptions {
  tls: TlsTrust;
  /** Default per-request timeout (connect + reply). */
  timeoutMs: number;
  trace: TraceFn;
  /** Largest REST reply accepted. */
  maxBodyBytes?: number;
}

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RequestOptions {
  /** A JSON value (serialized here) or a ready JSON text. */
  body?: unknown;
  rawJson?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Trace channel name. */
  channel?: string;
}

export interface StreamHandlers {
  /** A 2xx answer: the body follows as chunks. */
  onOpen(status: number, headers: IncomingHttpHeaders): void;
  /** A non-2xx answer, with its (bounded) body; the stream then ends without onEnd. */
  onRefused(status: number, bodyText: string): void;
  onData(chunk: Buffer): void;
  /** The server ended the body (cleanly). */
  onEnd(): void;
  onError(err: CtiError): void;
}

export interface StreamHandle {
  /** Close the stream from this side; no handler is called afterwards. */
  close(): void;
}

const DEFAULT_MAX_BODY = 8 * 1024 * 1024;

/** Node socket error codes of an unreachable server. */

/** A minimal cookie jar: the server's cookies by name, all sent on every request. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  setFrom(headers: IncomingHttpHeaders): void {
    const set = headers['set-cookie'];
    for (const line of set ?? []) {
      const first = line.split(';', 1)[0] ?? '';
      const eq = first.indexOf('=');
      if (eq <= 0) continue;
      const name = first.slice(0, eq).trim();
      const value = first.slice(eq + 1).trim();
      const expired = /;\s*max-age\s*=\s*0\b/i.test(line) || /;\s*expires\s*=\s*thu,\s*01[\s-]jan[\s-]1970/i.test(line);
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  values(): string[] {
    return [...this.cookies.values()];
  }

  clear(): void {
    this.cookies.clear();
  }
}

export class O2gHttp {
  readonly cookies = new CookieJar();
  private readonly opts: O2gHttpOptions;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly maxBody: number;
  /** Values that must never reach the trace (Basic token, cookies, credential). */
  private readonly secrets = new Set<string>();
  /** In-flight requests and how to settle each (close() fails them at once). */
  private readonly open = new Map<http.ClientRequest, (err: CtiError) => void>();
  private closed = false;

  constructor(opts: O2gHttpOptions) {
    this.opts = opts;
    this.maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.httpAgent = new http.Agent({ keepAlive: true });
    if (opts.tls.pinSha256) {
      this.httpsAgent = new PinnedAgent(opts.tls.pinSha256, opts.timeoutMs);
    } else {
      this.httpsAgent = new https.Agent({
        keepAlive: true,
        ...(opts.tls.caPem ? { ca: [...tls.rootCertificates, opts.tls.caPem] } : {}),
      });
    }
  }

  /** Register a value to redact from every traced frame. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  /** One request; resolves with the status and body text whatever the status. Throws CtiError on network failure. */
  request(method: string, url: string, ro: RequestOptions = {}): Promise<HttpReply> {
    let target: URL;
    try {
      target = this.parse(url);
    } catch (err) {
      return Promise.reject(CtiError.from(err));
    }
    const body = ro.rawJson ?? (ro.body !== undefined ? JSON.stringify(ro.body) : undefined);
    const headers = this.headers(method, ro.headers, body);
    const timeoutMs = ro.timeoutMs ?? this.opts.timeoutMs;
    const channel = ro.channel ?? 'rest';
    const where = `O2G ${method} ${target.origin}${target.pathname}`;
    this.traceOut(channel, method, url, headers, body);
    if (this.closed) return Promise.reject(new CtiError('notConnected', `${where}: the connection was closed`));
    return exchange(() => this.client(target).request(target, { method, headers, agent: this.agentFor(target) }), {
      where,
      timeoutMs,
      maxBytes: this.maxBody,
      body,
      signal: ro.signal,
      inFlight: { add: (req, fail) => this.open.set(req, fail), delete: (req) => this.open.delete(req) },
      onResponse: (res) => this.cookies.setFrom(res.headers),
      onReply: ({ status, headers: replyHeaders, text }) => this.traceIn(channel, status, replyHeaders, text),
    });
  }

  /**
   * A streaming request (the event channel): handlers get the status, then the body's chunks.
   * `connectTimeoutMs` bounds the time to the response headers.
   */
  stream(method: string, url: string, handlers: StreamHandlers, ro: { connectTimeoutMs?: number; channel?: string } = {}): StreamHandle {
    let target: URL;
    try {
      target = this.parse(url);
    } catch (err) {
      queueMicrotask(() => handlers.onError(CtiError.from(err)));
      return { close: () => {} };
    }
    const headers = this.headers(method, { Accept: '*/*' }, undefined);
    const channel = ro.channel ?? 'events';
    const where = `O2G event channel ${target.origin}${target.pathname}`;
    this.traceOut(channel, method, url, headers, undefined);
    let done = false;
    const connectMs = ro.connectTimeoutMs ?? this.opts.timeoutMs;
    if (this.closed) {
      queueMicrotask(() => handlers.onError(new CtiError('notConnected', `${where}: the connection was closed`)));
      return { close: () => {} };
    }
    const req = this.client(target).request(target, { method, headers, agent: this.agentFor(target) });
    this.open.set(req, (err) => end(err));
    const end = (err: CtiError | null, notify = true) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.open.delete(req);
      req.destroy();
      if (!notify) return;
      if (err) handlers.onError(err);
      else handlers.onEnd();
    };
    const timer = setTimeout(() => end(new CtiError('timeout', `${where}: no response within ${connectMs} ms`)), connectMs);
    req.on('error', (err) => end(socketError(err, where)));
    req.on('response', (res) => {
      clearTimeout(timer);
      this.cookies.setFrom(res.headers);
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if ((size += c.length) <= 65536) chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          this.traceIn(channel, status, res.headers, text);
          if (done) return;
          end(null, false);
          handlers.onRefused(status, text);
        });
        res.on('error', (err) => end(socketError(err, where)));
        return;
      }
      this.traceIn(channel, status, res.headers, '');
      handlers.onOpen(status, res.headers);
      res.on('data', (chunk: Buffer) => {
        if (!done) handlers.onData(chunk);
      });
      res.on('end', () => end(null));
      res.on('error', (err) => end(socketError(err, where)));
      res.on('aborted', () => end(new CtiError('unreachable', `${where}: the server closed the stream`)));
    });
    req.end();
    return { close: () => end(null, false) };
  }

  /** The redacted trace of one event line. */
  traceLine(channel: string, line: string): void {
    this.opts.trace('in', channel, this.redact(line));
  }

  /** Abort everything and release sockets. */
  close(): void {
    this.closed = true;
    for (const settle of [...this.open.values()]) settle(new CtiError('notConnected', 'the O2G connection was closed'));
    this.open.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private parse(url: string): URL {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new CtiError('protocol', `O2G gave an unusable URL: ${url.slice(0, 200)}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CtiError('protocol', `O2G gave a non-HTTP URL: ${u.protocol}`);
    return u;
  }

  private client(u: URL): typeof http | typeof https {
    return u.protocol === 'https:' ? https : http;
  }

  private agentFor(u: URL): http.Agent {
    return u.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
  }

  private headers(method: string, extra: Record<string, string> | undefined, body: string | undefined): Record<string, string | number> {
    const h: Record<string, string | number> = { Accept: 'application/json', ...extra };
    const cookie = this.cookies.header();
    if (cookie) h.Cookie = cookie;
    if (body !== undefined) {
      h['Content-Type'] = 'application/json';
      h['Content-Length'] = Buffer.byteLength(body);
    } else if (method !== 'GET' && method !== 'HEAD') {
      h['Content-Length'] = 0;
    }
    return h;
  }

  private redact(text: string): string {
    let out = text.replace(/"credential"\s*:\s*"(?:[^"\\]|\\.)*"/g, '"credential":"[redacted]"');
    for (const s of this.secrets) out = out.split(s).join('[redacted]');
    for (const v of this.cookies.values()) if (v.length >= 4) out = out.split(v).join('[redacted]');
    return out;
  }

  private traceOut(channel: string, method: string, url: string, headers: Record<string, string | number>, body: string | undefined): void {
    const lines = [`${method} ${url}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    this.opts.trace('out', channel, this.redact(`${lines.join('\n')}\n\n${body ?? ''}`));
  }

  private traceIn(channel: string, status: number, headers: IncomingHttpHeaders, text: string): void {
    const lines = [`HTTP ${status}`];
    for (const [k, v] of Object.entries(headers)) {
      for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) lines.push(`${k}: ${one}`);
    }
    this.opts.trace('in', channel, this.redact(`${lines.join('\n')}\n\n${text}`));
  }
}
