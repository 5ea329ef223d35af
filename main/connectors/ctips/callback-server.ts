// The app's own SOAP callback service for CTIPS (the "Publish Event interface", manual L1080–L1106,
// digest §1.6, §2.4, §7 #27–#30, #57): an HTTP (or HTTPS) server hosting PublishCTIEvent,
// HeartbeatMessage and StartSession at the profile's callback path. It must be listening before
// OpenConnection (CTIPS calls StartSession during it), on the bind address and port the profile
// gives (port 0 = a free one); `url()` is the ClientCallbackURL to send, built from the advertised
// host (what the portal can reach) and a per-session token.
//
// Checks, in order, none of which throws:
// - the remote address must be one of the allowed hosts (IPs or names resolved at start; every
//   loopback form — 127.x, ::1, ::ffff:127.x — is one address) → else 403;
// - the path must be the callback path (case-insensitive, trailing slash ignored) → else 404, and
//   the method POST → else 405;
// - the body at most `maxBodyBytes` (1 MiB) → else 413;
// - the URL token must be this server's current one (calls carry no session id: PublishCTIEvent
//   and HeartbeatMessage have none, so the token in the ClientCallbackURL ties them to our
//   session; a rotated token refuses a previous session's late calls) → else a SOAP fault;
// - the body must decode (codec `decodeCtipsCallback`) → else a SOAP fault, HTTP 400;
// - StartSession: the credentials must be the ones we sent (when configured, constant-time
//   compare), and its sessionId the one we expect once one is known → else StartSessionResult 1
//   (§7 #28), not delivered; accepted → 0 and the session id is recorded;
// - PublishCTIEvent / HeartbeatMessage: only once a session is known (StartSession, or
//   `expectSession` from the OpenConnection reply) → else a SOAP fault, not delivered.
// Replies go first (PublishCTIEvent "does not block", L1092), then the listener runs; a throwing
// listener is reported through `onRejected`, never to the portal.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import { CtiError } from '../../../shared/commands.js';
import { decodeCtipsCallback, encodeCallbackFault, encodeCallbackReply, type CtipsCallbackOperation, type CtipsEvent } from './events.js';
import { DEFAULT_MAX_BYTES } from './result.js';
import { DEFAULT_CTIPS_PROFILE, type CtipsWireProfile } from './wire.js';

export type CtipsRejectReason =
  | 'forbidden'
  | 'notFound'
  | 'method'
  | 'tooLarge'
  | 'foreignSession'
  | 'noSession'
  | 'malformed'
  | 'unknownOperation'
  | 'badCredentials'
  | 'listenerError';

export interface CtipsRejected {
  reason: CtipsRejectReason;
  /** Normalised remote address. */
  remote: string;
  message: string;
  /** The callback operation, when it was decoded. */
  operation?: CtipsCallbackOperation;
}

export interface CtipsStartSessionInfo {
  sessionId: string;
  userName: string | null;
  remote: string;
}

export interface CtipsCallbackListeners {
  onEvent?: (event: CtipsEvent, meta: { remote: string; sessionId: string }) => void;
  onHeartbeat?: (meta: { remote: string; sessionId: string }) => void;
  onStartSession?: (info: CtipsStartSessionInfo) => void;
  /** Every refused call (for the log); the portal got a 4xx or a fault. */
  onRejected?: (r: CtipsRejected) => void;
}

export interface CtipsCallbackServerOptions {
  /** Address to bind: `127.0.0.1`, `0.0.0.0`, `::`, or one interface's address. */
  bindHost: string;
  /** Port to bind; 0 = a free one. */
  port: number;
  /** The host the portal should call (in `url()`). Default: `bindHost`; required when binding a wildcard. */
  advertisedHost?: string;
  /** The port in `url()` (a NAT/port-forward); default the bound port. */
  advertisedPort?: number;
  /** Portal hosts allowed to call (IPs or names, resolved at start). `'*'` allows any (not recommended). */
  allowedHosts: readonly string[];
  profile?: CtipsWireProfile;
  /** Callback path; default the profile's `callbackPath`. */
  path?: string;
  /** Request body cap; default 1 MiB. */
  maxBodyBytes?: number;
  /** Serve HTTPS with this certificate (digest §1.3: https callbacks in production). */
  tls?: { certPem: string; keyPem: string };
  /** The OpenConnection credentials: StartSession must echo them (L1106). Unchecked when absent. */
  expectedCredentials?: { userName: string; password: string };
  /** The URL token (query `token=`); default random (128 bits); null = none (no session tie). */
  token?: string | null;
  /** Per-request time limit (headers + body), ms; default 10 000. */
  requestTimeoutMs?: number;
  /** Name resolution for `allowedHosts` (tests); default dns.lookup(all). */
  resolve?: (host: string) => Promise<string[]>;
  listeners?: CtipsCallbackListeners;
}

export const TOKEN_PARAM = 'token';

/** One form per address: IPv4-mapped IPv6 unwrapped, lower case, every loopback address → `loopback`. */
export function normalizeAddress(addr: string): string {
  let a = addr.trim().toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const pct = a.indexOf('%');
  if (pct >= 0) a = a.slice(0, pct);
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) a = mapped[1] as string;
  if (/^127\.\d+\.\d+\.\d+$/.test(a) || a === '::1' || a === '0:0:0:0:0:0:0:1') return 'loopback';
  return a;
}

const isWildcard = (h: string): boolean => h === '0.0.0.0' || h === '::' || h === '' || h === '[::]';

async function defaultResolve(host: string): Promise<string[]> {
  const all = await lookup(host, { all: true, verbatim: true });
  return all.map((a) => a.address);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function soapContentType(v: '1.1' | '1.2'): string {
  return v === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8';
}

export class CtipsCallbackServer {
  private readonly opts: CtipsCallbackServerOptions;
  private readonly profile: CtipsWireProfile;
  private readonly path: string;
  private readonly maxBody: number;
  private listeners: CtipsCallbackListeners;
  private server: http.Server | null = null;
  private allowed: Set<string> | 'any' = new Set();
  private boundPort = 0;
  private token: string | null;
  private session: string | null = null;

  constructor(opts: CtipsCallbackServerOptions) {
    this.opts = opts;
    this.profile = opts.profile ?? DEFAULT_CTIPS_PROFILE;
    const p = opts.path ?? this.profile.callbackPath;
    this.path = p.startsWith('/') ? p : `/${p}`;
    this.maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BYTES;
    this.listeners = { ...(opts.listeners ?? {}) };
    this.token = opts.token === undefined ? randomBytes(16).toString('hex') : opts.token;
    if (this.token !== null && !/^[A-Za-z0-9._~-]{1,128}$/.test(this.token)) throw new CtiError('invalid', 'the callback token must be 1–128 URL-safe characters');
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new CtiError('invalid', `callback port ${String(opts.port)} is not 0–65535`);
    if (opts.allowedHosts.length === 0) throw new CtiError('invalid', 'the callback server needs at least one allowed portal host');
    if (opts.advertisedHost === undefined && isWildcard(opts.bindHost)) throw new CtiError('invalid', `the callback server binds ${opts.bindHost || 'every address'}: set the advertised host the portal should call`);
  }

  /** Replace some listeners. */
  setListeners(l: CtipsCallbackListeners): void {
    this.listeners = { ...this.listeners, ...l };
  }

  /** Resolve the allowed hosts and listen. Fails with a CtiError('invalid') (unresolvable host, port in use). */
  async start(): Promise<void> {
    if (this.server) return;
    const resolve = this.opts.resolve ?? defaultResolve;
    if (this.opts.allowedHosts.includes('*')) this.allowed = 'any';
    else {
      const set = new Set<string>();
      for (const h of this.opts.allowedHosts) {
        const host = h.trim();
        if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) set.add(normalizeAddress(host));
        else {
          let addrs: string[];
          try {
            addrs = await resolve(host);
          } catch (err) {
            throw new CtiError('invalid', `cannot resolve the allowed CTIPS host "${host.slice(0, 100)}": ${err instanceof Error ? err.message : String(err)}`);
          }
          for (const a of addrs) set.add(normalizeAddress(a));
        }
      }
      if (set.size === 0) throw new CtiError('invalid', 'no allowed CTIPS host resolved to an address');
      this.allowed = set;
    }
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res);
    const server = this.opts.tls ? https.createServer({ cert: this.opts.tls.certPem, key: this.opts.tls.keyPem }, handler) : http.createServer(handler);
    const limit = this.opts.requestTimeoutMs ?? 10_000;
    server.requestTimeout = limit;
    server.headersTimeout = Math.min(limit, 60_000);
    server.keepAliveTimeout = 30_000;
    server.maxConnections = 64;
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    await new Promise<void>((ok, ko) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.removeListener('listening', onListening);
        ko(new CtiError('invalid', `the CTIPS callback server cannot listen on ${this.opts.bindHost}:${this.opts.port}: ${err.code ?? err.message}`, err.code));
      };
      const onListening = () => {
        server.removeListener('error', onError);
        ok();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen({ host: this.opts.bindHost, port: this.opts.port });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stop listening and drop every connection. */
  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    await new Promise<void>((ok) => {
      s.close(() => ok());
      s.closeAllConnections();
    });
  }

  /** The bound port (after start). */
  get port(): number {
    return this.boundPort;
  }

  /** The session id CTIPS announced (StartSession) or the connector expects; null before. */
  get sessionId(): string | null {
    return this.session;
  }

  /** The ClientCallbackURL for OpenConnection (after start). */
  url(): string {
    if (!this.server) throw new CtiError('notConnected', 'the CTIPS callback server is not started');
    const h = this.opts.advertisedHost ?? this.opts.bindHost;
    const host = h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
    const port = this.opts.advertisedPort ?? this.boundPort;
    return `${this.opts.tls ? 'https' : 'http'}://${host}:${port}${this.path}${this.token !== null ? `?${TOKEN_PARAM}=${this.token}` : ''}`;
  }

  /** The session the OpenConnection reply named: a StartSession for another one is refused, calls are accepted. */
  expectSession(sessionId: string): void {
    this.session = sessionId;
  }

  /** Forget the session (before a reconnect); `rotateToken` also changes `url()` so the old session's calls are refused. */
  resetSession(o: { rotateToken?: boolean } = {}): void {
    this.session = null;
    if (o.rotateToken && this.token !== null) this.token = randomBytes(16).toString('hex');
  }

  // ---- request handling ----------------------------------------------------------------------

  private reject(r: CtipsRejected): void {
    try {
      this.listeners.onRejected?.(r);
    } catch {
      // a logging listener must not break the service
    }
  }

  private plain(res: http.ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extra });
    res.end(text);
  }

  private soap(res: http.ServerResponse, status: number, xml: string, version: '1.1' | '1.2'): void {
    res.writeHead(status, { 'Content-Type': soapContentType(version), 'Content-Length': Buffer.byteLength(xml) });
    res.end(xml);
  }

  private fault(res: http.ServerResponse, status: number, reason: string, version: '1.1' | '1.2'): void {
    this.soap(res, status, encodeCallbackFault(reason, { ...this.profile, soapVersion: version }), version);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const remote = normalizeAddress(req.socket.remoteAddress ?? '');
    if (this.allowed !== 'any' && !this.allowed.has(remote)) {
      this.reject({ reason: 'forbidden', remote, message: `call from ${remote || 'an unknown address'}, not an allowed CTIPS host` });
      this.plain(res, 403, 'Forbidden', { Connection: 'close' });
      req.resume();
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://callback.invalid');
    } catch {
      this.reject({ reason: 'notFound', remote, message: 'unreadable request target' });
      this.plain(res, 404, 'Not Found');
      req.resume();
      return;
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path.toLowerCase() !== (this.path.replace(/\/+$/, '') || '/').toLowerCase()) {
      this.reject({ reason: 'notFound', remote, message: `no callback service at ${path.slice(0, 200)}` });
      this.plain(res, 404, 'Not Found');
      req.resume();
      return;
    }
    if (req.method !== 'POST') {
      this.reject({ reason: 'method', remote, message: `${String(req.method).slice(0, 20)} on the callback path` });
      this.plain(res, 405, 'Method Not Allowed', { Allow: 'POST' });
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBody) {
      this.tooLarge(req, res, remote);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > this.maxBody) {
        over = true;
        chunks.length = 0;
        this.tooLarge(req, res, remote);
      } else chunks.push(c);
    });
    req.on('error', () => {
      if (!res.headersSent) res.destroy();
    });
    req.on('end', () => {
      if (over) return;
      this.dispatch(Buffer.concat(chunks), url, remote, res);
    });
  }

  private tooLarge(req: http.IncomingMessage, res: http.ServerResponse, remote: string): void {
    this.reject({ reason: 'tooLarge', remote, message: `request body over ${this.maxBody} bytes` });
    this.plain(res, 413, 'Payload Too Large', { Connection: 'close' });
    // Drain what the portal still sends (bounded by requestTimeout and a hard cap), then close.
    let drained = 0;
    req.removeAllListeners('data');
    req.on('data', (c: Buffer) => {
      drained += c.length;
      if (drained > 8 * this.maxBody) req.socket.destroy();
    });
    req.resume();
  }

  private dispatch(body: Buffer, url: URL, remote: string, res: http.ServerResponse): void {
    const version = this.profile.soapVersion;
    if (this.token !== null) {
      const got = url.searchParams.get(TOKEN_PARAM) ?? '';
      if (!sameSecret(got, this.token)) {
        this.reject({ reason: 'foreignSession', remote, message: 'call for another session (callback URL token mismatch)' });
        this.fault(res, 500, 'Unknown session', version);
        return;
      }
    }
    const d = decodeCtipsCallback(body, { maxBytes: this.maxBody });
    if (!d.ok) {
      const unknown = d.error.kind === 'unknownOperation';
      this.reject({ reason: unknown ? 'unknownOperation' : 'malformed', remote, message: d.error.message });
      this.fault(res, 400, unknown ? d.error.message : `Malformed callback: ${d.error.message.slice(0, 200)}`, version);
      return;
    }
    const cb = d.value;
    const v = cb.soapVersion;
    const reply = (op: CtipsCallbackOperation, result: number) => this.soap(res, 200, encodeCallbackReply(op, result, { ...this.profile, soapVersion: v }), v);
    if (cb.operation === 'StartSession') {
      const sid = cb.sessionId?.trim() ?? '';
      const creds = this.opts.expectedCredentials;
      if (sid === '') {
        this.reject({ reason: 'malformed', remote, message: 'StartSession without a sessionId', operation: cb.operation });
        reply('StartSession', 1);
        return;
      }
      if (creds && !(sameSecret(cb.userName ?? '', creds.userName) && sameSecret(cb.password ?? '', creds.password))) {
        this.reject({ reason: 'badCredentials', remote, message: 'StartSession with credentials other than the ones sent in OpenConnection', operation: cb.operation });
        reply('StartSession', 1);
        return;
      }
      if (this.session !== null && this.session !== sid) {
        this.reject({ reason: 'foreignSession', remote, message: `StartSession for another session ${sid.slice(0, 80)}`, operation: cb.operation });
        reply('StartSession', 1);
        return;
      }
      this.session = sid;
      reply('StartSession', 0);
      this.deliver(remote, cb.operation, () => this.listeners.onStartSession?.({ sessionId: sid, userName: cb.userName, remote }));
      return;
    }
    const session = this.session;
    if (session === null) {
      this.reject({ reason: 'noSession', remote, message: `${cb.operation} before any session was started`, operation: cb.operation });
      this.fault(res, 500, 'No session', v);
      return;
    }
    if (cb.operation === 'HeartbeatMessage') {
      reply('HeartbeatMessage', 0);
      this.deliver(remote, cb.operation, () => this.listeners.onHeartbeat?.({ remote, sessionId: session }));
      return;
    }
    reply('PublishCTIEvent', 0);
    this.deliver(remote, cb.operation, () => this.listeners.onEvent?.(cb.event, { remote, sessionId: session }));
  }

  private deliver(remote: string, operation: CtipsCallbackOperation, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.reject({ reason: 'listenerError', remote, operation, message: err instanceof Error ? err.message : String(err) });
    }
  }
}
