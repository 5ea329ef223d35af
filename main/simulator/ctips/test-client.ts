// Test-only: an independent CTIPS client for the portal's tests, built from the desktop's connector
// (its codec, CtipsSoapClient and CtipsCallbackServer), so the two implementations meet on the wire.
// Plus RawCallback, a bare HTTP callback endpoint whose answers a test controls (heartbeat loss).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CtipsCallbackServer, type CtipsStartSessionInfo } from '../../connectors/ctips/callback-server.js';
import type { CtipsEvent } from '../../connectors/ctips/events.js';
import { buildOpenConnection, ctipsRequests, type CtipsRequest } from '../../connectors/ctips/requests.js';
import type { CtipsResponse } from '../../connectors/ctips/responses.js';
import type { Decoded } from '../../connectors/ctips/result.js';
import { CtipsSoapClient } from '../../connectors/ctips/soap-client.js';

export const ALL_CLASSES = ['EventCategoryAgent', 'EventCategoryCall', 'EventCategoryRoute', 'EventCategorySystem'] as const;

/** The name of an enum field as decoded by the connector ('' when absent or unknown). */
export function enumName(v: unknown): string {
  return typeof v === 'object' && v !== null && (v as { known?: boolean }).known === true ? String((v as { name: unknown }).name) : '';
}

/** Waits for conditions over state a test client collects: `changed()` re-checks every waiter. */
class ConditionWaiters {
  private readonly waiters = new Set<() => void>();

  changed(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolve when `cond()` holds (checked now and on every change); reject after `timeoutMs` with `detail()`. */
  until(cond: () => boolean, what: string, timeoutMs: number, detail: () => string = () => ''): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!cond()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}${detail()}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }
}

export class CtipsTestClient {
  readonly events: CtipsEvent[] = [];
  readonly startSessions: CtipsStartSessionInfo[] = [];
  heartbeats = 0;
  sessionId = '';
  private readonly waiters = new ConditionWaiters();

  private constructor(
    readonly cb: CtipsCallbackServer,
    readonly soap: CtipsSoapClient,
    readonly credentials: { userName: string; password: string },
  ) {}

  static async create(portalPort: number, credentials = { userName: 'Test01', password: 'Test01' }): Promise<CtipsTestClient> {
    const cb = new CtipsCallbackServer({ bindHost: '127.0.0.1', port: 0, allowedHosts: ['127.0.0.1'], expectedCredentials: credentials });
    const soap = new CtipsSoapClient({ host: '127.0.0.1', port: portalPort, timeoutMs: 5000 });
    const c = new CtipsTestClient(cb, soap, credentials);
    cb.setListeners({
      onEvent: (e) => c.push(() => c.events.push(e)),
      onHeartbeat: () => c.push(() => (c.heartbeats += 1)),
      onStartSession: (info) => c.push(() => c.startSessions.push(info)),
    });
    await cb.start();
    return c;
  }

  private push(f: () => void): void {
    f();
    this.waiters.changed();
  }

  /** OpenConnection (TenantIds [tenant]); records the session id on success. */
  async open(tenant = 1): Promise<CtipsResponse> {
    const r = await this.send(buildOpenConnection({ TenantIds: [tenant], UserCredentials: { UserName: this.credentials.userName, Password: this.credentials.password }, ClientCallbackURL: this.cb.url() }));
    if (r.sessionId) {
      this.sessionId = r.sessionId;
      this.cb.expectSession(r.sessionId);
    }
    return r;
  }

  get req(): ReturnType<typeof ctipsRequests> {
    return ctipsRequests({ SessionId: this.sessionId, TenantId: 1 });
  }

  async send(r: Decoded<CtipsRequest>): Promise<CtipsResponse> {
    if (!r.ok) throw new Error(`request build failed: ${r.error.message}`);
    return this.soap.send(r.value);
  }

  /** A client connected and online on `port` (kept in `keep`, for the test to close). */
  static async online(port: number, classes: readonly (typeof ALL_CLASSES)[number][] = ALL_CLASSES, keep?: CtipsTestClient[]): Promise<CtipsTestClient> {
    const c = await CtipsTestClient.create(port);
    keep?.push(c);
    await c.connect(classes);
    return c;
  }

  /** LoginAgent of the lab's agent<device> at its station; resolves on the AgentStateChange it caused. */
  async login(device: string, requestId: number, initial: 'NotReady' | 'Idle' | 'NotReadyPark' = 'Idle'): Promise<void> {
    const from = this.events.length;
    await this.send(this.req.loginAgent({ RequestId: requestId, AgentLoginName: `agent${device}`, StationId: device, InitialState: initial, MultiLine: 0 }));
    await this.event('AgentStateChange', (e) => e.header.requestId === requestId && e.header.agentId === Number(device), from);
  }

  /** Snapshot(types): the fields of the SnapShotUpdate events up to the complete one. */
  async snapshot(types: Array<'AgentInfo' | 'CallInfo' | 'ServiceInfo'>): Promise<Array<Record<string, unknown>>> {
    const from = this.events.length;
    await this.send(this.req.snapshot({ EntityType: types }));
    await this.event('SnapShotUpdate', (e) => fieldsOf(e).SnapShotComplete === true, from);
    return this.events.slice(from).filter((e) => e.type === 'SnapShotUpdate').map(fieldsOf);
  }

  /** OpenConnection, the 4 AddMessageClass of Appendix D, OnLine. */
  async connect(classes: readonly (typeof ALL_CLASSES)[number][] = ALL_CLASSES): Promise<void> {
    const r = await this.open();
    if (r.status !== 0) throw new Error(`OpenConnection status ${r.status}`);
    for (const c of classes) await this.send(this.req.addMessageClass({ MessageClass: c }));
    await this.send(this.req.onLine());
  }

  /** Resolve when `cond()` holds (checked now and on every callback); reject after `timeoutMs`. */
  until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    return this.waiters.until(cond, what, timeoutMs, () => `; got ${this.events.map((e) => `${e.type}(${e.header.requestId})`).join(', ')}`);
  }

  /** The first event (from index `from`) of this type matching `pred`, awaited. */
  async event(type: string, pred: (e: CtipsEvent) => boolean = () => true, from = 0, timeoutMs = 5000): Promise<CtipsEvent> {
    const find = (): CtipsEvent | undefined => this.events.slice(from).find((e) => e.type === type && pred(e));
    await this.until(() => find() !== undefined, type, timeoutMs);
    return find() as CtipsEvent;
  }

  /** Events of these types in arrival order (from index `from`). */
  types(from = 0): string[] {
    return this.events.slice(from).map((e) => e.type);
  }

  async close(): Promise<void> {
    this.soap.close();
    await this.cb.stop();
  }
}

/** A bare callback endpoint: StartSession → 0; heartbeats answered with `heartbeatStatus`; events 202. */
export class RawCallback {
  heartbeatStatus = 200;
  heartbeats = 0;
  failedHeartbeats = 0;
  readonly bodies: string[] = [];
  private readonly waiters = new ConditionWaiters();
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<RawCallback> {
    const server = http.createServer();
    server.keepAliveTimeout = 500;
    const self = new RawCallback(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => self.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/www.aspect.com/PublishEvents`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.bodies.push(body);
      const ns = 'xmlns="http://tempuri.org/"';
      let status = 200;
      let reply = '';
      if (body.includes('<StartSession')) reply = `<StartSessionResponse ${ns}><StartSessionResult>0</StartSessionResult></StartSessionResponse>`;
      else if (body.includes('<HeartbeatMessage')) {
        status = this.heartbeatStatus;
        if (status === 200) this.heartbeats++;
        else this.failedHeartbeats++;
        reply = status === 200 ? `<HeartbeatMessageResponse ${ns}><HeartbeatMessageResult>0</HeartbeatMessageResult></HeartbeatMessageResponse>` : '';
      } else status = 202;
      const xml = reply ? `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${reply}</s:Body></s:Envelope>` : '';
      res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) });
      res.end(xml);
      this.waiters.changed();
    });
  }

  until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    return this.waiters.until(cond, what, timeoutMs);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** POST a raw envelope to the portal: the HTTP status and body (for faults and malformed input). */
export async function rawPost(port: number, body: string, path = '/CTIPortal/AgentCallService'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The fields of a decoded event. */
export const fieldsOf = (e: object): Record<string, unknown> => (e as { fields?: Record<string, unknown> }).fields ?? {};

/** Call one of a FrontEndControl's routes without HTTP (method + exact path). */
export async function callRoute(routes: readonly { method: string; path: string; handler: (p: string[], body: unknown) => unknown }[], method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status?: number; json: unknown }> {
  const r = routes.find((x) => x.method === method && x.path === path);
  if (!r) throw new Error(`no route ${method} ${path}`);
  return (await r.handler([], body)) as { status?: number; json: unknown };
}
