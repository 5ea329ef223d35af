// A small scripted O2G server for the connector's tests, written here from the manual (discovery,
// Basic authentication, sessions with AlcUserId/JSESSIONID cookies, subscriptions and a chunked
// event channel with one JSON event per line). It shares nothing with main/simulator/: a bug in
// one must not hide a bug in the other. Tests script its state and push events; it records every
// request so a test can assert the endpoints and bodies the connector used.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export interface FakeUser {
  password: string;
  firstName?: string;
  lastName?: string;
  devices?: Array<{ type: string; id: string }>;
  companyPhone?: string;
  voicemail?: string;
  /** AgentConfig JSON for ACD operators; absent = GET /acd/agent/config answers 403. */
  agentConfig?: Record<string, unknown>;
  admin?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  cookies: Record<string, string>;
  body: string;
  json: unknown;
  login: string | null;
}

export type Handler = (req: RecordedRequest) => { status: number; body?: unknown; raw?: string; headers?: Record<string, string> } | undefined;

interface SessionState {
  login: string;
  jsessionId: string | null;
  valid: boolean;
  opened: boolean;
}

interface Subscription {
  id: string;
  login: string;
  names: string[];
  queue: string[];
  channel: http.ServerResponse | null;
  deleted: boolean;
}

export interface FakeO2gOptions {
  tls?: { key: string; cert: string };
  users?: Record<string, FakeUser>;
  /** Seconds; reported in SessionInfo. */
  timeToLive?: number;
  /** Omit SessionInfo.services (the client then assumes every service). */
  noServices?: boolean;
  /** Do not send the OnChannelInformation line when a channel opens. */
  noChannelInfo?: boolean;
}

const API = '/api/rest/1.0';

function errorBody(httpStatus: string, code: number, type: string, helpMessage: string, extra: Record<string, unknown> = {}) {
  return { httpStatus, code, helpMessage, type, innerMessage: `fake: ${type}`, canRetry: code === 1001, ...extra };
}
export const invalidSession = () => errorBody('FORBIDDEN', 1001, 'INVALID_SESSION', 'No valid session found for the given identifier.');
export const notAllowed = (msg = 'The operation is not allowed.') => errorBody('FORBIDDEN', 1002, 'NOT_ALLOWED', msg);
export const notFound = (extra: Record<string, unknown> = {}) => errorBody('NOT_FOUND', 1003, 'NOT_FOUND', 'Missing or bad parameter.', extra);
export const notExpected = (extra: Record<string, unknown> = {}) => errorBody('BAD_REQUEST', 1004, 'NOT_EXPECTED', 'The request can not be performed due to current state.', extra);

export class FakeO2g {
  readonly requests: RecordedRequest[] = [];
  readonly users: Record<string, FakeUser>;
  /** GET /telephony/calls answers { calls: this.calls }. */
  calls: unknown[] = [];
  agentState: Record<string, unknown> = { mainState: 'LOG_OFF' };
  withdrawReasons: Record<string, unknown> = { number: 2, reasons: [{ index: 1, label: 'Lunch' }, { index: 2, label: 'Training' }] };
  routingState: Record<string, unknown> = { presentationRoutes: [{ destinations: [{ type: 'OFFICE', selected: true }] }] };
  eventSummary: Record<string, unknown> = { missedCallsNb: 0, voiceMessagesNb: 0, eventWaiting: false };
  /** GET /comlog/records answers this raw JSON (so tests can write 64-bit ids). */
  comlogJson = '{"comHistoryRecords":[]}';
  /** Successive answers of GET /directory/search. */
  directoryScript: unknown[] = [{ resultCode: 'FINISH' }];
  /** Subscription answer override (status REFUSED, say). */
  subscriptionAnswer: ((names: string[]) => Record<string, unknown> | null) | null = null;
  /** Per-route overrides, checked first: `${METHOD} ${path below /api/rest/1.0 or absolute}`. */
  readonly routes = new Map<string, Handler>();
  authAttempts = 0;
  readonly opts: FakeO2gOptions;

  private readonly server: http.Server;
  private readonly sessions = new Map<string, SessionState>();
  private readonly subs = new Map<string, Subscription>();
  private readonly sockets = new Set<net.Socket>();
  private readonly waiters: Array<() => void> = [];
  private counter = 0;
  private dirStep = 0;
  port = 0;

  private constructor(opts: FakeO2gOptions) {
    this.opts = opts;
    this.users = opts.users ?? {
      agent1: {
        password: '1111',
        firstName: 'Alice',
        lastName: 'Agent',
        devices: [{ type: 'DESKPHONE', id: '70123' }],
        companyPhone: '70123',
        voicemail: '70999',
        agentConfig: { type: 'AGENT', proacd: '70123', processingGroups: { preferred: '60121', groups: ['60121'] }, selfAssign: false, headset: false },
      },
    };
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res);
    this.server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
    const track = (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    };
    this.server.on(opts.tls ? 'secureConnection' : 'connection', track);
    if (opts.tls) this.server.on('connection', track);
  }

  static async start(opts: FakeO2gOptions = {}): Promise<FakeO2g> {
    const f = new FakeO2g(opts);
    await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve));
    f.port = (f.server.address() as net.AddressInfo).port;
    return f;
  }

  get origin(): string {
    return `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const s of this.subs.values()) s.channel?.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ------------------------------------------------------------ test controls

  /** Resolves with the first recorded request (from `from` on) that matches. */
  waitFor(pred: (r: RecordedRequest) => boolean, timeoutMs = 4000, from = 0): Promise<RecordedRequest> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(check);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`fake O2G: no matching request within ${timeoutMs} ms; got ${this.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`));
      }, timeoutMs);
      const check = () => {
        const hit = this.requests.slice(from).find(pred);
        if (hit) {
          clearTimeout(timer);
          const i = this.waiters.indexOf(check);
          if (i >= 0) this.waiters.splice(i, 1);
          resolve(hit);
          return true;
        }
        return false;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  /** Requests below /api/rest/1.0 with this method and path. */
  find(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  /** Every session becomes invalid (expiry): every call answers 403 1001 from now on. */
  expireSessions(): void {
    for (const s of this.sessions.values()) s.valid = false;
  }

  subscriptionIds(): string[] {
    return [...this.subs.keys()];
  }

  openChannels(): number {
    return [...this.subs.values()].filter((s) => s.channel !== null).length;
  }

  /** Resolves when `n` channel opens have been requested (counting from the start). */
  channelOpens(n: number, timeoutMs = 4000): Promise<RecordedRequest> {
    const opens = () => this.requests.filter((r) => r.path === '/OTEvents');
    return this.waitFor(() => opens().length >= n, timeoutMs).then(() => opens()[n - 1] as RecordedRequest);
  }

  /** An event for the (latest) subscription: written on its channel or queued until one opens. */
  push(event: Record<string, unknown>): void {
    this.pushRaw(`${JSON.stringify({ loginName: 'agent1', ...event })}\n`);
  }

  /** Raw bytes on the channel (split events, garbage, CRLF…). */
  pushRaw(text: string | Buffer): void {
    const sub = this.latest();
    if (!sub) throw new Error('fake O2G: no subscription');
    if (sub.channel) sub.channel.write(text);
    else sub.queue.push(typeof text === 'string' ? text : text.toString('utf8'));
  }

  /** Kill the channel's TCP connection (network failure). */
  dropChannel(): void {
    const sub = this.latest();
    const ch = sub?.channel;
    if (!sub || !ch) return;
    sub.channel = null;
    ch.socket?.destroy();
  }

  /** End the channel's response cleanly (the server's inactivity timeout). */
  endChannel(): void {
    const sub = this.latest();
    const ch = sub?.channel;
    if (!sub || !ch) return;
    sub.channel = null;
    ch.end();
  }

  /** Stop writing to the channel without closing it (a half-open connection). */
  freezeChannel(): void {
    const sub = this.latest();
    if (sub?.channel) {
      // Detach: later events are queued; the frozen response stays open until the client gives up.
      const frozen = sub.channel;
      sub.channel = null;
      frozen.on('close', () => {});
    }
  }

  private latest(): Subscription | undefined {
    return [...this.subs.values()].filter((s) => !s.deleted).pop();
  }

  // ------------------------------------------------------------ HTTP

  private send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}, raw?: string): void {
    const text = raw ?? (body === undefined ? '' : JSON.stringify(body));
    res.writeHead(status, { ...(text ? { 'Content-Type': 'application/json' } : {}), ...headers });
    res.end(text);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      const cookies: Record<string, string> = {};
      for (const part of (req.headers.cookie ?? '').split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
      }
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const session = cookies.AlcUserId ? this.sessions.get(cookies.AlcUserId) : undefined;
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname.startsWith(API) ? url.pathname.slice(API.length) || '/' : url.pathname,
        query: url.searchParams,
        headers: req.headers,
        cookies,
        body,
        json,
        login: session?.login ?? null,
      };
      this.requests.push(rec);
      for (const w of [...this.waiters]) w();
      const route = this.routes.get(`${rec.method} ${rec.path}`);
      const out = route?.(rec);
      if (out) {
        this.send(res, out.status, out.body, out.headers, out.raw);
        return;
      }
      this.route(rec, session, res);
    });
  }

  private route(r: RecordedRequest, session: SessionState | undefined, res: http.ServerResponse): void {
    if (r.path === '/api/rest') {
      if (r.method !== 'GET') return this.send(res, 405, errorBody('METHOD_NOT_ALLOWED', 1005, 'NOT_SUPPORTED', 'This operation is not supported.'));
      return this.send(res, 200, {
        serverInfo: { productName: 'O2G Solution', productType: 'O2G', productVersion: { major: '2.3', minor: '000.041' }, haMode: false },
        versions: [{ id: '1.0', status: 'CURRENT', publicUrl: `${this.origin}/api/rest/authenticate?version=1.0`, internalUrl: `${this.origin}/api/rest/authenticate?version=1.0` }],
      });
    }
    if (r.path === '/api/rest/authenticate') return this.authenticate(r, res);
    if (r.path === '/OTEvents') return this.openChannel(r, session, res);
    if (r.path === '/sessions' && r.method === 'POST') {
      if (!session || session.opened) return this.send(res, 403, session ? notAllowed('The session is already open.') : invalidSession());
      session.opened = true;
      session.jsessionId = `JS${++this.counter}.tomcat`;
      const services = ['Sessions', 'Subscriptions', 'Telephony', 'Users', 'Routing', 'EventSummary', 'Comlog', 'Directory', 'AcdAgent', 'Maintenance'];
      return this.send(
        res,
        200,
        {
          admin: this.users[session.login]?.admin === true,
          timeToLive: this.opts.timeToLive ?? 600,
          publicBaseUrl: `${this.origin}${API}`,
          privateBaseUrl: `${this.origin}${API}`,
          ...(this.opts.noServices ? {} : { services: services.map((s) => ({ serviceName: s, serviceVersion: '1.0', relativeUrl: `/${s.toLowerCase()}` })) }),
        },
        { 'Set-Cookie': `JSESSIONID=${session.jsessionId}; Path=/api` },
      );
    }
    if (!session || !session.valid || !session.opened) return this.send(res, 403, invalidSession());
    const user = this.users[session.login] as FakeUser;
    switch (`${r.method} ${r.path}`) {
      case 'DELETE /sessions':
        session.valid = false;
        for (const s of this.subs.values()) if (s.login === session.login) s.channel?.end();
        return this.send(res, 204);
      case 'POST /sessions/keepalive':
        return this.send(res, 204);
      case 'GET /logins':
        if (!user.admin) return this.send(res, 200, { loginNames: [session.login] });
        return this.send(res, 200, {
          loginNames: r.query.has('onlyACD') ? Object.keys(this.users).filter((u) => this.users[u]?.agentConfig) : Object.keys(this.users),
        });
      case 'POST /subscriptions':
        return this.subscribe(r, session, res);
      case 'GET /telephony/calls':
        return this.send(res, 200, { calls: this.calls });
      case 'GET /acd/agent/config':
        return user.agentConfig ? this.send(res, 200, user.agentConfig) : this.send(res, 403, notAllowed('Not an ACD operator.'));
      case 'GET /acd/agent/state':
        return user.agentConfig ? this.send(res, 200, this.agentState) : this.send(res, 403, notAllowed());
      case 'GET /acd/agent/withdrawReasons':
        return this.send(res, 200, this.withdrawReasons);
      case 'GET /routing/state':
        return this.send(res, 200, this.routingState);
      case 'GET /eventSummary':
        return this.send(res, 200, this.eventSummary);
      case 'GET /comlog/records':
        return this.send(res, 200, undefined, {}, this.comlogJson);
      case 'POST /directory/search':
        this.dirStep = 0;
        return this.send(res, 201, undefined, {}, '""');
      case 'GET /directory/search': {
        const step = this.directoryScript[Math.min(this.dirStep++, this.directoryScript.length - 1)];
        return this.send(res, 200, step);
      }
      case 'POST /telephony/calls':
        return this.send(res, 201, undefined, {}, '""');
    }
    if (r.path.startsWith('/users/')) {
      const login = decodeURIComponent(r.path.slice('/users/'.length));
      const u = this.users[login];
      if (!u) return this.send(res, 400, notFound());
      return this.send(res, 200, {
        loginName: login,
        firstName: u.firstName,
        lastName: u.lastName,
        companyPhone: u.companyPhone,
        ...(u.voicemail ? { voicemail: { number: u.voicemail, type: 'VM_4645' } } : {}),
        ...(login === session.login || user.admin ? { devices: u.devices ?? [] } : {}),
      });
    }
    if (r.path.startsWith('/subscriptions/') && r.method === 'DELETE') {
      const sub = this.subs.get(decodeURIComponent(r.path.slice('/subscriptions/'.length)));
      if (!sub) return this.send(res, 400, notFound());
      sub.deleted = true;
      sub.channel?.end();
      sub.channel = null;
      this.subs.delete(sub.id);
      return this.send(res, 204);
    }
    // Every other action: accepted.
    if (r.method === 'GET') return this.send(res, 404, errorBody('NOT_FOUND', 1005, 'NOT_SUPPORTED', 'Unknown resource.'));
    return this.send(res, 204);
  }

  private authenticate(r: RecordedRequest, res: http.ServerResponse): void {
    this.authAttempts += 1;
    const auth = r.headers.authorization ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(auth);
    const [login, password] = m ? Buffer.from(m[1] as string, 'base64').toString('utf8').split(/:(.*)/s) : [];
    const user = login !== undefined ? this.users[login] : undefined;
    if (!user || user.password !== password) {
      return this.send(res, 401, errorBody('UNAUTHORIZED', 1002, 'NOT_ALLOWED', 'The operation is not allowed, because of insufficient rights or bad credential.'), {
        'WWW-Authenticate': 'Basic realm="O2G"',
      });
    }
    const token = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: login, n: ++this.counter })).toString('base64url')}.sig`;
    this.sessions.set(token, { login: login as string, jsessionId: null, valid: true, opened: false });
    this.send(
      res,
      200,
      { credential: token, publicUrl: `${this.origin}${API}/sessions`, internalUrl: `${this.origin}${API}/sessions` },
      { 'Set-Cookie': `AlcUserId=${token}; Path=/` },
    );
  }

  private subscribe(r: RecordedRequest, session: SessionState, res: http.ServerResponse): void {
    const body = r.json as { filter?: { selectors?: Array<{ names?: string[] }> }; version?: string; timeout?: number } | undefined;
    const names = (body?.filter?.selectors ?? []).flatMap((s) => s.names ?? []);
    const override = this.subscriptionAnswer?.(names);
    if (override) return this.send(res, 200, override);
    const id = `S${++this.counter}`;
    this.subs.set(id, { id, login: session.login, names, queue: [], channel: null, deleted: false });
    const url = `${this.origin}/OTEvents?subscriptionId=${id}`;
    this.send(res, 200, { subscriptionId: id, status: 'ACCEPTED', publicPollingUrl: url, privatePollingUrl: url, mode: 'CHUNK', format: 'JSON' });
  }

  private openChannel(r: RecordedRequest, session: SessionState | undefined, res: http.ServerResponse): void {
    if (!session || !session.valid) return this.send(res, 403, invalidSession());
    const sub = this.subs.get(r.query.get('subscriptionId') ?? '');
    if (!sub || sub.deleted) return this.send(res, 404, notFound());
    sub.channel?.end();
    res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    sub.channel = res;
    res.on('close', () => {
      if (sub.channel === res) sub.channel = null;
    });
    if (!this.opts.noChannelInfo) res.write('{"eventName":"OnChannelInformation","text":"Chunk started"}\n');
    for (const line of sub.queue.splice(0)) res.write(line);
  }
}

/** A loopback port with nothing listening (connection refused). */
export async function refusedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
