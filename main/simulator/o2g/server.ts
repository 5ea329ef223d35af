// One O2G server of the lab's HA pair: HTTPS (and optionally plain HTTP) on loopback, the REST API under
// /api/rest, the HTTP-chunk event channel /OTEvents on the same listener, its own sessions and
// subscriptions (they are not shared with the other server, digest §1.9), and the server-level faults:
// stop/start (connection refused), stall (accepts, never answers), drop every connection.
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../../core/log.js';
import { PbxError } from '../pbx/types.js';
import type { LabCertificate } from '../certificate.js';
import { EventChannel } from './channel.js';
import type { DirectoryService } from './directory.js';
import { O2gError, badParameter, invalidSession, notAllowed, notFound, notSupported } from './errors.js';
import type { O2gEvent } from './events.js';
import { basicCredentials, parseCookies, parseJsonBody, readBody, sendEmpty, sendJson } from './http-util.js';
import { Router, noContent, ok, type Reply, type RequestContext, type Route, type ServerInfo } from './router.js';
import type { O2gService } from './service.js';
import { SessionTable, type Session } from './sessions.js';
import { FilterSchema, SubscriptionRequestSchema, SubscriptionTable, checkFilter, selectorsMatch, type Subscription } from './subscriptions.js';
import { licensePresent, systemRoutes, type HaInfo } from './system.js';
import { fromPbxError } from './telephony.js';
import type { O2gUser } from './users.js';

export type Role = 'primary' | 'secondary';

export interface O2gServerOptions {
  role: Role;
  host: string;
  /** HTTPS port (0 = a free one, kept across restarts). */
  port: number;
  /** Plain HTTP port, when plain HTTP is served (0 = a free one). */
  httpPort?: number;
  cert: LabCertificate;
  svc: O2gService;
  directory: DirectoryService;
  /** Extra routes of the shared services (telephony, CCD, …). */
  routes: Route[];
  ha: () => HaInfo;
  log: Logger;
}

const SessionRequest = z
  .object({
    applicationName: z.string().min(1),
    applicationAddress: z.string().optional(),
    supervisedAccount: z.object({ id: z.string().min(1), type: z.string() }).passthrough().optional(),
  })
  .passthrough();

interface Listener {
  scheme: 'https' | 'http';
  front: NetServer;
  port: number;
}

export class O2gServer {
  readonly role: Role;
  readonly sessions: SessionTable;
  readonly subscriptions = new SubscriptionTable<EventChannel>();
  private readonly https: HttpsServer;
  private readonly http: HttpServer | undefined;
  private readonly router = new Router();
  private readonly listeners: Listener[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly svc: O2gService;
  private readonly log: Logger;
  private running = false;
  private stalledUntil = 0;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly stalled = new Set<Socket>();
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: O2gServerOptions) {
    this.role = opts.role;
    this.svc = opts.svc;
    this.log = opts.log;
    this.sessions = new SessionTable({
      clock: opts.svc.pbx.clock,
      timeToLiveSec: () => this.svc.config.timeToLiveSec,
      onClose: (s) => this.sessionEnded(s),
    });
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.onRequest(req, res);
    this.https = createHttpsServer({ key: opts.cert.key, cert: opts.cert.pem }, handler);
    this.https.on('tlsClientError', (err) => this.log.debug({ err: err.message }, 'o2g: TLS handshake failed'));
    this.https.keepAliveTimeout = 5000;
    this.http = opts.httpPort !== undefined ? createHttpServer(handler) : undefined;
    if (this.http) this.http.keepAliveTimeout = 5000;
    this.listeners.push({ scheme: 'https', front: this.front(this.https), port: opts.port });
    if (this.http && opts.httpPort !== undefined) this.listeners.push({ scheme: 'http', front: this.front(this.http), port: opts.httpPort });
    this.router.add([...this.ownRoutes(), ...opts.routes, ...systemRoutes(this.svc, opts.ha, () => this.sessions.count)]);
    this.unsubscribe = this.svc.onEvent((e) => this.dispatch(e));
  }

  get isRunning(): boolean {
    return this.running;
  }

  get port(): number {
    return this.listeners[0]?.port ?? 0;
  }

  get httpPort(): number | undefined {
    return this.listeners.find((l) => l.scheme === 'http')?.port;
  }

  get host(): string {
    return this.opts.host;
  }

  /** The private base URL of the HTTPS listener. */
  get baseUrl(): string {
    return `https://${urlHost(this.opts.host)}:${this.port}`;
  }

  info(scheme: 'https' | 'http' = 'https'): ServerInfo {
    const l = this.listeners.find((x) => x.scheme === scheme) ?? this.listeners[0];
    const privateBase = `${l?.scheme ?? 'https'}://${urlHost(this.opts.host)}:${l?.port ?? 0}`;
    const pub = this.svc.config.publicBaseUrl;
    return { role: this.role, privateBase, publicBase: pub ? pub.replace(/\/+$/, '') : privateBase };
  }

  // ---------------------------------------------------------------- lifecycle and faults

  async start(): Promise<void> {
    if (this.running) return;
    for (const l of this.listeners) {
      await new Promise<void>((resolve, reject) => {
        l.front.once('error', reject);
        l.front.listen(l.port, this.opts.host, () => {
          l.front.off('error', reject);
          resolve();
        });
      });
      const addr = l.front.address();
      if (typeof addr === 'object' && addr) l.port = addr.port;
    }
    this.running = true;
  }

  /** Stop listening (clients get "connection refused"); the server forgets its sessions, as a crash would. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.endStall();
    const closed = Promise.all(this.listeners.map((l) => new Promise<void>((resolve) => l.front.close(() => resolve()))));
    // close() waits for the open connections: end them.
    this.destroySockets();
    await closed;
    this.sessions.clear('dropped');
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.unsubscribe();
    this.https.close();
    this.http?.close();
  }

  /** Close every client connection, REST and event channels; optionally forget the sessions too. */
  dropConnections(forgetSessions: boolean): number {
    const n = this.sockets.size;
    this.destroySockets();
    if (forgetSessions) this.sessions.clear('dropped');
    return n;
  }

  /** Accept connections but answer nothing for `ms`; what was held is then reset. */
  stall(ms: number): void {
    this.stalledUntil = Date.now() + ms;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.endStall(), ms);
  }

  get isStalled(): boolean {
    return Date.now() < this.stalledUntil;
  }

  private endStall(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    this.stalledUntil = 0;
    for (const s of this.stalled) s.destroy();
    this.stalled.clear();
  }

  private destroySockets(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** The listening socket: raw TCP, handed to the HTTPS (TLS) or HTTP server unless stalled. */
  private front(server: HttpsServer | HttpServer): NetServer {
    return createNetServer({ pauseOnConnect: true }, (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.stalled.delete(socket);
      });
      socket.on('error', (err) => this.log.debug({ err: err.message }, 'o2g: client socket error'));
      if (this.isStalled) {
        this.stalled.add(socket);
        return;
      }
      server.emit('connection', socket);
      // TLS takes the socket's handle over; plain HTTP reads the socket itself, which was paused on connect.
      if (server === this.http) socket.resume();
    });
  }

  // ---------------------------------------------------------------- events

  private dispatch(event: O2gEvent): void {
    for (const sub of this.subscriptions.all()) {
      if (selectorsMatch(sub.selectors, sub.session, event)) sub.channel.deliver(event);
    }
  }

  private sessionEnded(session: Session): void {
    for (const sub of this.subscriptions.forSession(session)) {
      this.subscriptions.remove(sub.id, 'sessionGone');
      sub.channel.dispose();
    }
    this.opts.directory.forget(session.id);
  }

  /** Open channels, for the fault routes: one subscription's, or all. */
  channels(subscriptionId?: string): Array<Subscription<EventChannel>> {
    return this.subscriptions.all().filter((s) => (subscriptionId === undefined || s.id === subscriptionId) && s.channel.isOpen);
  }

  // ---------------------------------------------------------------- requests

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.isStalled) {
      this.stalled.add(req.socket);
      return;
    }
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    const server = this.info(scheme);
    try {
      const url = new URL(req.url ?? '/', 'http://o2g');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      if (path === '/OTEvents') return await this.openChannel(req, res, url);
      const body = parseJsonBody(await readBody(req, this.svc.config.maxBodyBytes));
      const cookies = parseCookies(req.headers.cookie);
      const method = req.method ?? 'GET';
      if (path === '/api/rest') return this.reply(res, this.discovery(method, server));
      if (path === '/api/rest/authenticate') return this.reply(res, this.authenticate(method, url, req, server));
      if (!path.startsWith('/api/rest/1.0/')) throw notSupported(`No resource ${path}${path.startsWith('/api/rest/') ? ' (only the API version 1.0 exists)' : ''}`);
      const rel = path.slice('/api/rest/1.0'.length);
      if (rel === '/system/licenses' && method === 'GET') {
        licensePresent(this.svc, url.searchParams.get('lic'));
        return this.reply(res, noContent());
      }
      if (rel === '/sessions' && method === 'POST') return this.reply(res, this.openSession(cookies.get('AlcUserId'), body, server));
      const match = this.router.match(method === 'HEAD' && rel === '/sessions' ? 'POST' : method, method === 'HEAD' && rel === '/sessions' ? '/sessions/keepalive' : rel);
      if (match === undefined) throw notSupported(`No resource ${rel} in the API 1.0`);
      if (match === 'methodNotAllowed') throw notSupported(`${method} is not allowed on ${rel}`, 405);
      const session = this.sessions.resolve(cookies.get('AlcUserId'), cookies.get('JSESSIONID'), this.svc.config.strictCookies);
      const ctx: RequestContext = { method, path: rel, params: match.params, query: url.searchParams, body, session, server };
      this.reply(res, await match.route.handler(ctx));
    } catch (err) {
      this.replyError(res, err);
    }
  }

  private reply(res: ServerResponse, reply: Reply): void {
    if (reply.status === 204 || (reply.status === 201 && reply.body === undefined)) sendEmpty(res, reply.status, reply.headers);
    else sendJson(res, reply.status, reply.body ?? {}, reply.headers);
  }

  private replyError(res: ServerResponse, err: unknown): void {
    let e: O2gError;
    if (err instanceof O2gError) e = err;
    else if (err instanceof PbxError) e = fromPbxError(err);
    else {
      this.log.error({ err }, 'o2g: request failed');
      e = new O2gError(500, 'SERVER_PROBLEM', `Internal error: ${(err as Error)?.message ?? String(err)}`);
    }
    sendJson(res, e.status, e.body(), e.extra.headers);
  }

  /** GET /api/rest: RoxeRestApiDescriptor (L11–L33, L337–L351); "else 405" (L12). */
  private discovery(method: string, server: ServerInfo): Reply {
    if (method !== 'GET') throw notSupported(`${method} is not allowed on /api/rest: only GET`, 405);
    const { major, minor } = this.svc.config.productVersion;
    return ok({
      serverInfo: { productName: 'O2G Solution', productType: 'O2G', productVersion: { major, minor }, haMode: this.opts.ha().ha },
      versions: [
        {
          id: '1.0',
          status: 'CURRENT',
          publicUrl: `${server.publicBase}/api/rest/authenticate?version=1.0`,
          internalUrl: `${server.privateBase}/api/rest/authenticate?version=1.0`,
        },
      ],
    });
  }

  /** GET /api/rest/authenticate?version=1.0 with Basic credentials (L43–L72). */
  private authenticate(method: string, url: URL, req: IncomingMessage, server: ServerInfo): Reply {
    if (method !== 'GET') throw notSupported(`${method} is not allowed on /api/rest/authenticate`, 405);
    const version = url.searchParams.get('version');
    if (version !== '1.0') throw badParameter(`Unknown API version ${version ?? '(none)'}: use version=1.0`);
    const creds = basicCredentials(req.headers.authorization);
    const user = creds ? this.svc.users.byLoginName(creds.login) : undefined;
    if (!creds || !user || user.cfg.password !== creds.password) {
      // [SIM] The failure is undocumented: 401 + a NOT_ALLOWED body, help text of L146 (digest §1.2).
      throw new O2gError(401, 'NOT_ALLOWED', creds ? 'AlcChameleonException.BAD_CREDENTIALS Authentication failed' : 'AlcChameleonException.NO_CREDENTIALS Basic authentication is required', {
        headers: { 'WWW-Authenticate': 'Basic realm="O2G"' },
      });
    }
    const token = this.sessions.authenticate(user);
    return {
      status: 200,
      headers: { 'Set-Cookie': `AlcUserId=${token}; Path=/` },
      body: { credential: token, publicUrl: `${server.publicBase}/api/rest/1.0/sessions`, internalUrl: `${server.privateBase}/api/rest/1.0/sessions` },
    };
  }

  private openSession(token: string | undefined, body: unknown, server: ServerInfo): Reply {
    const account = token ? this.sessions.peekCredential(token) : undefined;
    if (!account) throw invalidSession(token);
    // "A session can be opened only once (same authentication cookie)" (L460): checked before the body.
    if (this.sessions.peek(token)) throw notAllowed('A session is already opened with this authentication cookie');
    const r = SessionRequest.safeParse(body ?? {});
    if (!r.success) throw badParameter('SessionRequest needs an applicationName');
    let supervised: O2gUser | undefined;
    const sa = r.data.supervisedAccount;
    if (sa) {
      if (!account.admin) throw notAllowed('Only an administrator opens a supervised session');
      if (sa.type === 'LOGIN_NAME') supervised = this.svc.users.byLoginName(sa.id);
      else if (sa.type === 'PHONE_NUMBER') supervised = this.svc.users.byDeviceNumber(sa.id);
      else throw badParameter(`Unknown supervisedAccount type ${sa.type}: LOGIN_NAME or PHONE_NUMBER`);
      if (!supervised) throw notFound(`No account ${sa.id}`);
    }
    const session = this.sessions.open(token, {
      applicationName: r.data.applicationName,
      ...(r.data.applicationAddress ? { applicationAddress: r.data.applicationAddress } : {}),
      ...(supervised ? { supervised } : {}),
    });
    return { status: 200, headers: { 'Set-Cookie': `JSESSIONID=${session.jsessionId}; Path=/api` }, body: this.sessionInfo(session, server) };
  }

  /** SessionInfo (L587–L596); services as the session's licences allow (digest §1.3 [SIM]). */
  private sessionInfo(session: Session, server: ServerInfo): Record<string, unknown> {
    const u = session.user;
    const users = this.svc.users;
    const services: Array<[string, string]> = [
      ['Sessions', '/sessions'],
      ['Subscriptions', '/subscriptions'],
      ['Users', '/users'],
    ];
    if (users.has(u, 'TELEPHONY_BASIC', 'TELEPHONY_ADVANCED')) services.push(['Telephony', '/telephony']);
    if (users.has(u, 'TELEPHONY_ADVANCED')) services.push(['Routing', '/routing'], ['EventSummary', '/eventSummary'], ['Comlog', '/comlog'], ['Directory', '/directory']);
    if (users.has(u, 'API_CONTACTCENTER_AGENT') && (session.admin || u.cfg.acd)) services.push(['AcdAgent', '/acd/agent']);
    if (session.admin) services.push(['Maintenance', '/system']);
    return {
      admin: session.admin,
      timeToLive: this.svc.config.timeToLiveSec,
      publicBaseUrl: `${server.publicBase}/api/rest/1.0`,
      privateBaseUrl: `${server.privateBase}/api/rest/1.0`,
      services: services.map(([serviceName, relativeUrl]) => ({ serviceName, serviceVersion: '1.0', relativeUrl })),
    };
  }

  /** The routes that need this server's own state: sessions and subscriptions. */
  private ownRoutes(): Route[] {
    return [
      { method: 'GET', path: '/sessions', handler: (ctx) => ok(this.sessionInfo(ctx.session, ctx.server)) },
      {
        method: 'DELETE',
        path: '/sessions',
        handler: (ctx) => {
          this.sessions.close(ctx.session, 'closed');
          return noContent();
        },
      },
      // The session was touched by resolving it: that is the keep-alive (L548).
      { method: 'POST', path: '/sessions/keepalive', handler: () => noContent() },
      { method: 'POST', path: '/subscriptions', handler: (ctx) => this.subscribe(ctx) },
      {
        method: 'PUT',
        path: '/subscriptions',
        handler: (ctx) => {
          const f = FilterSchema.safeParse(ctx.body ?? {});
          if (!f.success) throw badParameter(`Filter: ${f.error.issues[0]?.message ?? 'invalid'}`);
          const sub = this.subscriptions.latestOf(ctx.session);
          if (!sub) throw notFound('This session has no subscription to update');
          const check = checkFilter(f.data, ctx.session, this.svc.users, this.svc.config);
          if (!check.ok) throw notAllowed(check.message);
          sub.selectors = check.selectors;
          return noContent();
        },
      },
      {
        method: 'DELETE',
        path: '/subscriptions/{subscriptionId}',
        handler: (ctx) => {
          const id = ctx.params[0] as string;
          const sub = this.subscriptions.get(id);
          if (!sub || sub.session !== ctx.session) throw notFound(`No subscription ${id} in this session`);
          this.subscriptions.remove(id, 'deleted');
          // "the socket will be closed, and all queued events deleted" (L1199).
          sub.channel.dispose();
          return noContent();
        },
      },
    ];
  }

  private subscribe(ctx: RequestContext): Reply {
    const r = SubscriptionRequestSchema.safeParse(ctx.body ?? {});
    if (!r.success) {
      const issue = r.error.issues[0];
      throw badParameter(`SubscriptionRequest: ${issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'invalid'}`);
    }
    const req = r.data;
    if (req.version !== '1.0') throw badParameter(`Unknown event version ${req.version}: use 1.0`);
    const timeout = req.timeout ?? 10;
    // "Allowed values are 2 minutes and 60 minutes, with an exception for the value 0" (L1264, digest §6 #11).
    if (timeout !== 0 && (timeout < 2 || timeout > 60)) throw badParameter(`timeout ${timeout}: 0, or 2 to 60 minutes`);
    if (req.webHookUrl !== undefined) return ok({ status: 'REFUSED', message: 'The webhook notification mode is not available on this server: use the HTTP chunk channel' });
    const check = checkFilter(req.filter, ctx.session, this.svc.users, this.svc.config);
    if (!check.ok) return ok({ status: 'REFUSED', message: check.message });
    const channel = new EventChannel({
      clock: this.svc.pbx.clock,
      log: this.log,
      keepAliveIntervalMs: () => this.svc.config.keepAliveIntervalMs,
      idleCloseMs: timeout * this.svc.config.channelMinuteMs,
      maxQueued: () => this.svc.config.maxQueuedEvents,
    });
    const sub = this.subscriptions.add({ session: ctx.session, selectors: check.selectors, timeoutMin: timeout, channel, createdAt: Date.now() });
    const path = `/OTEvents?subscriptionId=${encodeURIComponent(sub.id)}`;
    return ok({
      subscriptionId: sub.id,
      status: 'ACCEPTED',
      publicPollingUrl: `${ctx.server.publicBase}${path}`,
      privatePollingUrl: `${ctx.server.privateBase}${path}`,
      mode: 'CHUNK',
      format: 'JSON',
      ...(check.message ? { message: check.message } : {}),
    });
  }

  /** GET or POST /OTEvents?subscriptionId=…: the chunked event stream (digest §1.7 [SIM]). */
  private async openChannel(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    await readBody(req, this.svc.config.maxBodyBytes).catch(() => Buffer.alloc(0));
    if (method !== 'GET' && method !== 'POST') throw notSupported(`${method} is not allowed on the event channel: GET or POST`, 405);
    const id = url.searchParams.get('subscriptionId');
    if (!id) throw badParameter('subscriptionId is missing');
    const sub = this.subscriptions.get(id);
    if (!sub) {
      // A subscription that died with its session says so (403 1001); a deleted or unknown one is 404.
      if (this.subscriptions.tombstone(id) === 'sessionGone') throw invalidSession(parseCookies(req.headers.cookie).get('AlcUserId'));
      throw notFound(`No subscription ${id}`, 404);
    }
    const cookies = parseCookies(req.headers.cookie);
    if (this.svc.config.strictCookies && cookies.get('AlcUserId') !== sub.session.id) throw invalidSession(cookies.get('AlcUserId'));
    this.sessions.touch(sub.session);
    sub.channel.open(req, res);
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
