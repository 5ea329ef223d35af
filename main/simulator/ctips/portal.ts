// The lab PBX's CTIPS portal (Aspect Unified IP 7.2 CTI Portal, seed 002, digest 002): an HTTP
// server hosting the request service at /CTIPortal/AgentCallService (SOAP 1.1, the §1.5 [SIM]
// profile), over the PBX core. It calls each session's client-hosted event service at the
// ClientCallbackURL: StartSession during OpenConnection (L1106), HeartbeatMessage every interval
// from OnLine (L1862), PublishCTIEvent for the agent and call events of the agents' stations (§4).
// Requests run synchronously on the PBX; the events they cause carry their RequestId (L636), PBX
// activity (an inbound call ringing a station, the far end hanging up, wrap-up ending) carries 0.
// The SOAP reply is written right after the request ran, while the events are already being
// POSTed, so an event may reach the client before the reply (§2.8): clients must not rely on order.
// The platform state (CallIds, NotReadyPark, pending logouts, passcode logins, route requests, link
// states) lives in a CtipsPlatform, shared by the portals of an Active/Active pair (§2.7); sessions,
// heartbeats and the listener are this instance's. The platform's notices become EnterPasscode (a login
// waiting for the phone's digits), RouteRequest/RouteUsed (calls at a route point of an external-routing
// service; RouteSelect answers them) and LinkStatus (CenterCord/Gateway up or down) on every portal.
import { randomUUID } from 'node:crypto';
import http, { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Logger } from '../../core/log.js';
import type { ControlReply, ControlRoute, FrontEndControl } from '../control-api.js';
import type { Pbx } from '../pbx/pbx.js';
import { PbxError, type Call, type Leg, type PbxEvent } from '../pbx/types.js';
import { ctipsConfig, type CtipsAgentConfig, type CtipsConfig, type CtipsUser } from './config.js';
import { CtipsPlatform, type CtipsPasscodeLogin, type CtipsPlatformNotice, type CtipsPlatformPeer, type CtipsRouteRecord } from './platform.js';
import {
  callbackAction,
  decodeCallbackReply,
  decodeRequest,
  encodeEventElement,
  encodeFault,
  encodeHeartbeat,
  encodeIntResponse,
  encodeOpenConnectionResponse,
  encodePublishCTIEvent,
  encodeStartSession,
  simProfile,
  type EventCategory,
  type EventField,
  type EventValue,
  type Fields,
} from './xml.js';

export interface CtipsPortalOptions {
  host: string;
  /** 0 = a free port (kept across stop()/start()). */
  port: number;
  config?: Partial<CtipsConfig>;
  log?: Logger;
  /** The platform model to share with other portals (an HA pair); a new one when absent. */
  platform?: CtipsPlatform;
}

/** What `status()` and the `/ctips/…/status` route report. */
export interface CtipsPortalStatus {
  running: boolean;
  /** A restart is under way: down now, listening again after the downtime. */
  restarting: boolean;
  port: number;
  sessions: number;
}

/** The [SIM] OpenConnection status codes (digest §3.5). */
export const openStatus = { ok: 0, invalidCredentials: 1, invalidTenant: 2, maxConnections: 3, callbackUnreachable: 4 } as const;

export const ctipsOperationNames = [
  'OpenConnection', 'CloseConnection', 'OnLine', 'OffLine', 'AddMessageClass', 'DeleteMessageClass', 'AddFilter', 'DeleteFilter', 'Snapshot',
  'LoginAgent', 'LogoutAgent', 'PanicLogout', 'SetAgentState', 'GetAgentState', 'SetDisposition',
  'AcceptCall', 'ClearCall', 'ConferenceCall', 'ConsultationCall', 'GetCallData', 'SetCallData', 'HoldCall', 'RetrieveCall', 'MakeCall', 'SendDTMFDigits', 'TransferCall',
  'RouteSelect',
] as const;
export type CtipsOperationName = (typeof ctipsOperationNames)[number];

type SessionState = 'open' | 'online' | 'offline';

export interface CtipsSessionInfo {
  sessionId: string;
  userName: string;
  callbackUrl: string;
  state: SessionState;
  messageClasses: EventCategory[];
  filters: Array<{ fieldType: string; value: string }>;
  heartbeatsSent: number;
  missedHeartbeats: number;
  eventsSent: number;
  eventsFailed: number;
}

interface Session {
  id: string;
  user: CtipsUser;
  callback: URL;
  state: SessionState;
  classes: Set<EventCategory>;
  filters: Array<{ fieldType: string; value: string }>;
  queue: string[];
  sending: boolean;
  heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  heartbeatInFlight: boolean;
  missed: number;
  heartbeatsSent: number;
  eventsSent: number;
  eventsFailed: number;
  ended: boolean;
}

/** A synchronous rejection: an HTTP 500 SOAP fault (§1.5 #8, §3.5). */
export class PortalFault extends Error {
  constructor(
    readonly code: 'Client' | 'Server',
    message: string,
  ) {
    super(message);
  }
}

/** What an event is about, for the §4.2 filter rule. */
interface EventMeta {
  agentId: number;
  loginName?: string;
  serviceIds: number[];
  /** Only to this session (Snapshot replies), regardless of classes and filters. */
  only?: Session;
}

interface RequestCtx {
  requestId: number;
  /** The requesting agent's station. */
  device?: string;
}

const categoryOf = { agent: 'EventCategoryAgent', call: 'EventCategoryCall', route: 'EventCategoryRoute', system: 'EventCategorySystem' } as const;
const messageClasses: readonly EventCategory[] = ['EventCategoryAgent', 'EventCategoryCall', 'EventCategoryRoute', 'EventCategorySystem'];
const fieldTypes = ['FT_AGENT_ID', 'FT_SERVICE_ID', 'FT_SWITCH_ID', 'FT_TENANT_ID'] as const;
const entityTypes = ['AgentInfo', 'CallInfo', 'ServiceInfo'] as const;
const busyLegStates = new Set(['connected', 'hold', 'initiated', 'originated', 'delivered', 'queued', 'failed']);
const MAX_BODY = 1024 * 1024;

/** An enum member by name (any case) or by its implicit C# number (§5: INVALID = 0, then 1…). */
export function enumMember<T extends string>(members: readonly T[], raw: string | undefined): T | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  if (/^\d+$/.test(s)) return members[Number(s) - 1];
  return members.find((m) => m.toLowerCase() === s.replace(/\s/g, '').toLowerCase());
}

/** The §4.2 [SIM] filter rule: no filters → all; else OR over filters; a 0 header never matches. */
export function matchesFilters(filters: ReadonlyArray<{ fieldType: string; value: string }>, meta: EventMeta, ids: { switchId: number; tenantId: number; agentIdOfLogin: (v: string) => number | undefined }): boolean {
  if (filters.length === 0) return true;
  return filters.some((f) => {
    const n = /^\d+$/.test(f.value.trim()) ? Number(f.value) : Number.NaN;
    switch (f.fieldType) {
      case 'FT_AGENT_ID': {
        const id = ids.agentIdOfLogin(f.value) ?? n;
        return (meta.agentId !== 0 && meta.agentId === id) || (meta.loginName !== undefined && meta.loginName === f.value);
      }
      case 'FT_SERVICE_ID':
        return meta.serviceIds.includes(n);
      case 'FT_SWITCH_ID':
        return ids.switchId === n;
      case 'FT_TENANT_ID':
        return ids.tenantId === n;
      default:
        return false;
    }
  });
}

/** The portal's agent state (CTIAgentState) of a PBX agent, or null when logged out. */
export function ctipsAgentState(pbxState: string | undefined, legStates: readonly string[], park: boolean): string | null {
  if (pbxState === undefined || pbxState === 'loggedOff' || pbxState === 'null') return null;
  if (legStates.some((s) => busyLegStates.has(s))) return 'Active';
  if (legStates.includes('alerting')) return 'PendingActive';
  switch (pbxState) {
    case 'ready':
      return 'Idle';
    case 'busy':
      return 'Active';
    case 'workingAfterCall':
      return 'Wrap';
    default:
      return park ? 'NotReadyPark' : 'NotReady';
  }
}

export class CtipsPortal {
  readonly config: CtipsConfig;
  private server: Server | undefined;
  private boundPort: number;
  private readonly sessions = new Map<string, Session>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private readonly unsubscribe: () => void;
  private readonly detach: () => void;
  /** This portal as the platform sees it (a notice's `origin`). */
  private readonly peer: CtipsPlatformPeer;
  private ctx: RequestCtx | undefined;
  /** CallIds, park flags, pending logouts: shared with the other portal of an HA pair. */
  readonly platform: CtipsPlatform;
  /** Per station: the last agent state this instance reported (null = logged out). */
  private lastState = new Map<string, string | null>();
  /** `${pbxCallId}|${device}` → what this instance reported of that leg. */
  private legSeen = new Map<string, { state: string; established: boolean }>();
  /** A restart's comeback: the timer that listens again, and who waits for it. */
  private comeback: { timer: ReturnType<typeof setTimeout> | undefined; done: (err?: unknown) => void } | undefined;
  private stalledUntil = 0;
  private heartbeatsStopped = false;
  private readonly endListeners = new Set<(sessionId: string, why: 'closed' | 'heartbeat' | 'dropped') => void>();

  private constructor(
    readonly pbx: Pbx,
    private readonly opts: CtipsPortalOptions,
  ) {
    this.config = ctipsConfig(opts.config ?? {});
    this.boundPort = opts.port;
    if (opts.platform && opts.platform.pbx !== pbx) throw new Error('the CTIPS platform belongs to another PBX');
    this.platform = opts.platform ?? new CtipsPlatform(pbx);
    for (const a of this.config.agents) this.lastState.set(a.device, this.stateOf(a.device));
    this.unsubscribe = pbx.subscribe((e) => this.onPbx(e));
    this.peer = {
      refreshAgent: (device) => this.refreshAgent(device),
      diverted: (device, call, callId) => this.onDiverted(device, call, callId),
      notice: (n) => this.onNotice(n),
      completeLogin: (login, requestId) => this.completeLogin(login, requestId),
    };
    this.detach = this.platform.attach(this.peer);
  }

  static async start(pbx: Pbx, opts: CtipsPortalOptions): Promise<CtipsPortal> {
    const p = new CtipsPortal(pbx, opts);
    await p.start();
    return p;
  }

  get port(): number {
    return this.boundPort;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** The request service URL. */
  get url(): string {
    return `http://${this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host}:${this.boundPort}${simProfile.requestPath}`;
  }

  /** Whether a restart's downtime is running. */
  get restarting(): boolean {
    return this.comeback !== undefined;
  }

  status(): CtipsPortalStatus {
    return { running: this.running, restarting: this.restarting, port: this.boundPort, sessions: this.sessions.size };
  }

  /** Listen (again, on the same port after stop()); during a restart's downtime, this ends it early. */
  async start(): Promise<void> {
    const comeback = this.comeback;
    this.comeback = undefined;
    if (comeback) clearTimeout(comeback.timer);
    if (this.server) return comeback?.done();
    const server: Server = createServer((req, res) => void this.onHttp(server, req, res));
    server.keepAliveTimeout = 1000;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.boundPort, this.opts.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      comeback?.done(err);
      throw err;
    }
    const addr = server.address();
    if (typeof addr === 'object' && addr) this.boundPort = addr.port;
    this.server = server;
    comeback?.done();
  }

  /**
   * A CTIPS restart (§2.7): drop every session and close the listener now, then listen again on the
   * same port after `downtimeMs` with an empty session table. The platform state (CallIds, park
   * flags) survives. Resolves once listening again (also when stop() cancelled the comeback).
   */
  async restart(downtimeMs: number): Promise<void> {
    const { up } = await this.goDown(downtimeMs);
    await up;
  }

  /** The first half of restart(): down at once (sessions dropped, listener closing); resolves when closed, with the comeback's promise. */
  private async goDown(downtimeMs: number): Promise<{ up: Promise<void> }> {
    this.cancelComeback();
    let done: (err?: unknown) => void = () => undefined;
    const up = new Promise<void>((resolve, reject) => {
      done = (err?: unknown) => (err === undefined ? resolve() : reject(err instanceof Error ? err : new Error(String(err))));
    });
    const comeback: NonNullable<CtipsPortal['comeback']> = { timer: undefined, done };
    this.comeback = comeback;
    await this.closeListener();
    // Unless stop() or start() took over meanwhile, listen again after the downtime.
    if (this.comeback === comeback) {
      comeback.timer = setTimeout(
        () => void this.start().catch((err: unknown) => this.opts.log?.error({ err, port: this.boundPort }, 'ctips portal: could not listen again after the restart')),
        Math.max(0, downtimeMs),
      );
    }
    return { up };
  }

  /** Stop listening and forget every session (CTIPS is stateless, L299); the PBX keeps its state. Cancels a restart's comeback. */
  async stop(): Promise<void> {
    this.cancelComeback();
    await this.closeListener();
  }

  private cancelComeback(): void {
    const comeback = this.comeback;
    this.comeback = undefined;
    if (!comeback) return;
    if (comeback.timer) clearTimeout(comeback.timer);
    comeback.done();
  }

  private async closeListener(): Promise<void> {
    this.dropSessions();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** stop() and stop listening to the PBX for good. */
  async close(): Promise<void> {
    await this.stop();
    this.unsubscribe();
    this.detach();
    this.agent.destroy();
  }

  /** The PBX was reset: drop the sessions, forget what was reported and the platform's call ids and flags. */
  reset(): void {
    this.dropSessions();
    this.legSeen.clear();
    this.platform.reset();
    for (const a of this.config.agents) this.lastState.set(a.device, this.stateOf(a.device));
  }

  // ---------------------------------------------------------------- faults

  /** Hold every request arriving in the next `ms` until then (a slow portal). */
  stall(ms: number): void {
    this.stalledUntil = Math.max(this.stalledUntil, Date.now() + Math.max(0, ms));
  }

  stopHeartbeats(): void {
    this.heartbeatsStopped = true;
  }

  resumeHeartbeats(): void {
    this.heartbeatsStopped = false;
  }

  /** Forget every session without a word to the clients (they learn it from faults or missing heartbeats). */
  dropSessions(): number {
    const n = this.sessions.size;
    for (const s of [...this.sessions.values()]) this.endSession(s, 'dropped');
    return n;
  }

  /** Called when a session ends (CloseConnection, heartbeat loss, drop). */
  onSessionEnd(listener: (sessionId: string, why: 'closed' | 'heartbeat' | 'dropped') => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  sessionList(): CtipsSessionInfo[] {
    return [...this.sessions.values()].map((s) => ({
      sessionId: s.id,
      userName: s.user.userName,
      callbackUrl: s.callback.href,
      state: s.state,
      messageClasses: [...s.classes],
      filters: s.filters.map((f) => ({ ...f })),
      heartbeatsSent: s.heartbeatsSent,
      missedHeartbeats: s.missed,
      eventsSent: s.eventsSent,
      eventsFailed: s.eventsFailed,
    }));
  }

  /**
   * For the control API: drop, admin close (= log the station's agent out), reset, and the routes under
   * `prefix` (default /ctips): GET …/sessions, GET …/status, POST …/sessions/drop, …/stall {ms},
   * …/heartbeats/stop, …/heartbeats/start, …/restart {downtimeMs}, …/stop, …/start.
   */
  control(prefix = '/ctips'): FrontEndControl {
    return {
      vendor: 'ctips',
      dropClients: () => this.dropSessions(),
      adminClose: (device: string) => this.adminClose(device),
      reset: () => this.reset(),
      routes: this.routes(prefix),
    };
  }

  /** Administrator logout of the agent at the station (CTIPS sessions are not per device); false when none is logged in. */
  adminClose(device: string): boolean {
    const a = this.agentByDevice(device);
    if (!a || this.stateOf(device) === null) return false;
    this.pbx.setAgentState(device, 'loggedOff', { force: true });
    return true;
  }

  /** This portal's control routes under `prefix` (e.g. /ctips, /ctips/a). */
  routes(prefix = '/ctips'): ControlRoute[] {
    const reply = (json: unknown): ControlReply => ({ json });
    const msOf = (body: unknown, key: string): number => {
      const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 600_000 ? v : NaN;
    };
    return [
      { method: 'GET', path: `${prefix}/sessions`, handler: () => reply(this.sessionList()) },
      { method: 'GET', path: `${prefix}/status`, handler: () => reply(this.status()) },
      { method: 'POST', path: `${prefix}/sessions/drop`, handler: () => reply({ dropped: this.dropSessions() }) },
      {
        method: 'POST',
        path: `${prefix}/stall`,
        handler: (_p, body) => {
          const ms = msOf(body, 'ms');
          if (Number.isNaN(ms)) return { status: 400, json: { error: 'ms must be an integer 0–600000' } };
          this.stall(ms);
          return reply({ stalledMs: ms });
        },
      },
      { method: 'POST', path: `${prefix}/heartbeats/stop`, handler: () => (this.stopHeartbeats(), reply({ heartbeats: false })) },
      { method: 'POST', path: `${prefix}/heartbeats/start`, handler: () => (this.resumeHeartbeats(), reply({ heartbeats: true })) },
      {
        method: 'POST',
        path: `${prefix}/restart`,
        handler: async (_p, body) => {
          const ms = msOf(body, 'downtimeMs');
          if (Number.isNaN(ms)) return { status: 400, json: { error: 'downtimeMs must be an integer 0–600000' } };
          const dropped = this.sessions.size;
          const { up } = await this.goDown(ms);
          up.catch(() => undefined); // logged by the comeback
          return reply({ ...this.status(), dropped, downtimeMs: ms });
        },
      },
      {
        method: 'POST',
        path: `${prefix}/stop`,
        handler: async () => {
          const dropped = this.sessions.size;
          await this.stop();
          return reply({ ...this.status(), dropped });
        },
      },
      {
        method: 'POST',
        path: `${prefix}/start`,
        handler: async () => {
          await this.start();
          return reply(this.status());
        },
      },
    ];
  }

  // ---------------------------------------------------------------- HTTP

  private async onHttp(server: Server, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.replace(/\/+$/, '').toLowerCase() !== simProfile.requestPath.toLowerCase()) return this.send(res, 404, 'text/plain', 'not found');
    if (req.method !== 'POST') return this.send(res, 405, 'text/plain', 'POST only');
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(c);
    }
    if (tooBig) return this.send(res, 413, 'text/plain', 'request too large');
    const wait = this.stalledUntil - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (this.server !== server) {
      // Stopped (or restarted) while the request was held: it never reaches the new instance.
      res.destroy();
      return;
    }
    const { status, body } = await this.handle(Buffer.concat(chunks).toString('utf8'));
    this.send(res, status, 'text/xml; charset=utf-8', body);
  }

  private send(res: ServerResponse, status: number, type: string, body: string): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  /** One request envelope → the HTTP status and reply envelope. */
  async handle(text: string): Promise<{ status: number; body: string }> {
    const d = decodeRequest(text);
    if (!d.ok) return { status: 500, body: encodeFault('Client', d.reason) };
    const op = ctipsOperationNames.find((o) => o.toLowerCase() === d.operation.toLowerCase());
    if (!op) return { status: 500, body: encodeFault('Client', `Unknown operation ${d.operation.slice(0, 60)}`) };
    try {
      if (op === 'OpenConnection') {
        const r = await this.openConnection(d.args);
        return { status: 200, body: encodeOpenConnectionResponse(r.sessionId, r.status) };
      }
      const result = this.request(op, d.args);
      return { status: 200, body: encodeIntResponse(op, result) };
    } catch (e) {
      if (e instanceof PortalFault) return { status: 500, body: encodeFault(e.code, e.message) };
      this.opts.log?.error({ err: e, op }, 'ctips request failed');
      return { status: 500, body: encodeFault('Server', 'Internal error') };
    }
  }

  // ---------------------------------------------------------------- session requests

  private async openConnection(a: Fields): Promise<{ sessionId: string | null; status: number }> {
    const tenants = a.list('TenantIds') ?? a.list('TenantId');
    const cred = a.sub('UserCredentials') ?? a.sub('UserInfo');
    const url = a.str('ClientCallbackURL');
    if (!tenants) throw new PortalFault('Client', 'Missing required field: TenantIds');
    if (!cred) throw new PortalFault('Client', 'Missing required field: UserCredentials');
    if (!url) throw new PortalFault('Client', 'Missing required field: ClientCallbackURL');
    let callback: URL;
    try {
      callback = new URL(url.trim());
    } catch {
      throw new PortalFault('Client', 'Invalid value for ClientCallbackURL');
    }
    if (callback.protocol !== 'http:' && callback.protocol !== 'https:') throw new PortalFault('Client', 'Invalid value for ClientCallbackURL');
    const userName = cred.str('UserName') ?? cred.str('Username') ?? '';
    const password = cred.str('Password') ?? '';
    const user = this.config.users.find((u) => u.userName === userName && u.password === password);
    if (!user) return { sessionId: null, status: openStatus.invalidCredentials };
    if (tenants.length !== 1 || Number(tenants[0]) !== this.config.tenantId) return { sessionId: null, status: openStatus.invalidTenant };
    if (this.sessions.size >= this.config.maxConnections) return { sessionId: null, status: openStatus.maxConnections };
    const s: Session = {
      id: randomUUID(),
      user,
      callback,
      state: 'open',
      classes: new Set(),
      filters: [],
      queue: [],
      sending: false,
      heartbeatTimer: undefined,
      heartbeatInFlight: false,
      missed: 0,
      heartbeatsSent: 0,
      eventsSent: 0,
      eventsFailed: 0,
      ended: false,
    };
    // The slot is taken while StartSession runs, so concurrent opens cannot exceed the limit.
    this.sessions.set(s.id, s);
    const r = await this.post(callback, 'StartSession', encodeStartSession(user.userName, user.password, s.id), this.config.callbackTimeoutMs);
    if (!r.ok) {
      this.sessions.delete(s.id);
      this.opts.log?.warn({ url: callback.href, reason: r.reason }, 'ctips StartSession failed');
      return { sessionId: null, status: openStatus.callbackUnreachable };
    }
    return { sessionId: s.id, status: openStatus.ok };
  }

  private session(a: Fields, opts: { tenant?: boolean; online?: boolean } = {}): Session {
    const id = a.str('SessionId');
    if (id === undefined || id === '') throw new PortalFault('Client', 'Missing required field: SessionId');
    const s = this.sessions.get(id.trim());
    if (!s) throw new PortalFault('Client', 'Invalid SessionId');
    if (opts.tenant !== false) {
      const t = a.int('TenantId');
      if (t === undefined) throw new PortalFault('Client', 'Missing required field: TenantId');
      if (t !== this.config.tenantId) throw new PortalFault('Client', 'TenantId mismatch');
    }
    if (opts.online && s.state !== 'online') throw new PortalFault('Client', 'Session not online');
    return s;
  }

  private request(op: Exclude<CtipsOperationName, 'OpenConnection'>, a: Fields): number {
    switch (op) {
      case 'CloseConnection': {
        const s = this.session(a, { tenant: false });
        this.endSession(s, 'closed');
        return 0;
      }
      case 'OnLine': {
        const s = this.session(a);
        s.state = 'online';
        this.startHeartbeats(s);
        return 0;
      }
      case 'OffLine': {
        const s = this.session(a);
        if (s.state === 'online') s.state = 'offline';
        return 0;
      }
      case 'AddMessageClass':
      case 'DeleteMessageClass': {
        const s = this.session(a);
        const c = this.need(enumMember(messageClasses, this.needStr(a, 'MessageClass')), 'MessageClass');
        if (op === 'AddMessageClass') s.classes.add(c);
        else s.classes.delete(c);
        return 0;
      }
      case 'AddFilter':
      case 'DeleteFilter': {
        const s = this.session(a);
        const fieldType = this.need(enumMember(fieldTypes, this.needStr(a, 'FieldType')), 'FieldType');
        const value = this.needStr(a, 'FieldValue').trim();
        const i = s.filters.findIndex((f) => f.fieldType === fieldType && f.value === value);
        if (op === 'AddFilter' && i < 0) s.filters.push({ fieldType, value });
        if (op === 'DeleteFilter' && i >= 0) s.filters.splice(i, 1);
        return 0;
      }
      case 'Snapshot': {
        const s = this.session(a, { online: true });
        const list = a.list('EntityType');
        if (!list) throw new PortalFault('Client', 'Missing required field: EntityType');
        const types = list.map((t) => this.need(enumMember(entityTypes, t), 'EntityType'));
        if (this.platform.linkState('CenterCord') === 'Down') {
          this.emit('system', 'SnapShotRequestFailed', { only: s }, [
            ['FailureType', 'InternalServerError'],
            ['FailureReason', 'CTIPS has lost its connection to the Unified IP system (CenterCord down)'],
          ]);
          return 0;
        }
        this.snapshot(s, types);
        return 0;
      }
      default:
        return this.agentOrCallRequest(op, a);
    }
  }

  private needStr(a: Fields, name: string): string {
    const v = a.str(name);
    if (v === undefined) throw new PortalFault('Client', `Missing required field: ${name}`);
    return v;
  }

  private needInt(a: Fields, name: string): number {
    const v = a.int(name);
    if (v === undefined) throw new PortalFault('Client', `Missing required field: ${name}`);
    if (Number.isNaN(v)) throw new PortalFault('Client', `Invalid value for ${name}`);
    return v;
  }

  private need<T>(v: T | undefined, name: string): T {
    if (v === undefined) throw new PortalFault('Client', `Invalid value for ${name}`);
    return v;
  }

  private endSession(s: Session, why: 'closed' | 'heartbeat' | 'dropped'): void {
    if (s.ended) return;
    s.ended = true;
    if (s.heartbeatTimer) clearInterval(s.heartbeatTimer);
    s.heartbeatTimer = undefined;
    s.queue.length = 0;
    this.sessions.delete(s.id);
    for (const l of [...this.endListeners]) l(s.id, why);
  }

  // ---------------------------------------------------------------- heartbeats and delivery

  private startHeartbeats(s: Session): void {
    if (s.heartbeatTimer) return;
    // The first heartbeat follows OnLine at once (L1862), after the reply has been written.
    setTimeout(() => this.heartbeat(s), 0);
    s.heartbeatTimer = setInterval(() => this.heartbeat(s), this.config.heartbeatIntervalMs);
  }

  private heartbeat(s: Session): void {
    if (s.ended || s.heartbeatInFlight || this.heartbeatsStopped || !this.server) return;
    s.heartbeatInFlight = true;
    void this.post(s.callback, 'HeartbeatMessage', encodeHeartbeat(), this.config.heartbeatTimeoutMs).then((r) => {
      s.heartbeatInFlight = false;
      if (s.ended) return;
      if (r.ok) {
        s.missed = 0;
        s.heartbeatsSent++;
        return;
      }
      s.missed++;
      this.opts.log?.warn({ session: s.id, missed: s.missed, reason: r.reason }, 'ctips heartbeat failed');
      // L1100/L1872: after the allowed number of missed heartbeats the session is disposed, silently.
      if (s.missed >= this.config.missedHeartbeats) this.endSession(s, 'heartbeat');
    });
  }

  private enqueue(s: Session, body: string): void {
    s.queue.push(body);
    this.pump(s);
  }

  /** One PublishCTIEvent in flight per session, in generation order; a failed one is dropped (§1.6 [SIM]). */
  private pump(s: Session): void {
    if (s.sending || s.ended) return;
    const body = s.queue.shift();
    if (body === undefined) return;
    s.sending = true;
    void this.post(s.callback, 'PublishCTIEvent', body, this.config.callbackTimeoutMs).then((r) => {
      s.sending = false;
      if (r.ok) s.eventsSent++;
      else {
        s.eventsFailed++;
        this.opts.log?.warn({ session: s.id, reason: r.reason }, 'ctips PublishCTIEvent failed (dropped)');
      }
      this.pump(s);
    });
  }

  private post(url: URL, op: 'PublishCTIEvent' | 'HeartbeatMessage' | 'StartSession', body: string, timeoutMs: number): Promise<{ ok: true; result: number | null } | { ok: false; reason: string }> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: { ok: true; result: number | null } | { ok: false; reason: string }): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(r);
      };
      const lib = url.protocol === 'https:' ? https : http;
      const req = lib.request(
        url,
        {
          method: 'POST',
          headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: callbackAction(op), 'Content-Length': Buffer.byteLength(body) },
          ...(url.protocol === 'http:' ? { agent: this.agent } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= MAX_BODY) chunks.push(c);
          });
          res.on('end', () => finish(decodeCallbackReply(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
          res.on('error', (e) => finish({ ok: false, reason: e.message }));
        },
      );
      const timer = setTimeout(() => {
        finish({ ok: false, reason: 'timeout' });
        req.destroy();
      }, timeoutMs);
      req.on('error', (e) => finish({ ok: false, reason: e.message }));
      req.end(body);
    });
  }

  // ---------------------------------------------------------------- events

  private emit(
    category: keyof typeof categoryOf,
    type: string,
    h: { agentId?: number; serviceId?: number; loginName?: string; serviceIds?: number[]; only?: Session; requestId?: number; tenantId?: number; bypassFilters?: boolean },
    fields: readonly EventField[],
  ): void {
    const cat = categoryOf[category];
    const header = {
      RequestId: h.requestId ?? this.ctx?.requestId ?? 0,
      TenantId: h.tenantId ?? this.config.tenantId,
      SiteId: this.config.siteId,
      SwitchId: this.config.switchId,
      ServiceId: h.serviceId ?? 0,
      AgentId: h.agentId ?? 0,
    };
    const meta: EventMeta = { agentId: header.AgentId, loginName: h.loginName, serviceIds: [...(h.serviceIds ?? []), ...(header.ServiceId ? [header.ServiceId] : [])] };
    const body = encodePublishCTIEvent(encodeEventElement(cat, type, header, fields));
    const ids = { switchId: this.config.switchId, tenantId: this.config.tenantId, agentIdOfLogin: (v: string) => this.config.agents.find((a) => a.loginName === v)?.agentId };
    for (const s of this.sessions.values()) {
      if (h.only) {
        if (s === h.only && s.state === 'online') this.enqueue(s, body);
        continue;
      }
      if (s.state !== 'online' || !s.classes.has(cat)) continue;
      if (!h.bypassFilters && !matchesFilters(s.filters, meta, ids)) continue;
      this.enqueue(s, body);
    }
  }

  private onPbx(e: PbxEvent): void {
    try {
      if (e.type === 'leg') this.onLeg(e.device, e.call, e.leg, e.cause);
      else if (e.type === 'agent') this.refreshAgent(e.device);
      else if (e.type === 'callEnded') this.onCallEnded(e.call);
    } catch (err) {
      this.opts.log?.error({ err }, 'ctips event mapping failed');
    }
  }

  private agentByDevice(device: string): CtipsAgentConfig | undefined {
    return this.config.agents.find((a) => a.device === device);
  }

  private agentById(id: number): CtipsAgentConfig | undefined {
    return this.config.agents.find((a) => a.agentId === id);
  }

  private stateOf(device: string): string | null {
    const snap = this.pbx.agent(device);
    return ctipsAgentState(
      snap?.state,
      this.pbx.legsOf(device).map((x) => x.leg.state),
      this.platform.isParked(device),
    );
  }

  private serviceIdOf(queue: string | undefined): number {
    return queue === undefined ? 0 : (this.config.services.find((s) => s.queue === queue)?.serviceId ?? 0);
  }

  private agentServiceIds(device: string): number[] {
    const snap = this.pbx.agent(device);
    return (snap?.inboundServices ?? []).map((q) => this.serviceIdOf(q)).filter((n) => n !== 0);
  }

  private callId(pbxId: string): number {
    return this.platform.callId(pbxId);
  }

  /** Report the station's agent state if it changed (or always, for GetAgentState). */
  private refreshAgent(device: string, force = false): void {
    const a = this.agentByDevice(device);
    if (!a || this.platform.isQuiet(device)) return;
    const state = this.stateOf(device);
    const last = this.lastState.get(device) ?? null;
    this.lastState.set(device, state);
    const services = this.agentServiceIds(device);
    if (state === null) {
      this.platform.loggedOut(device);
      if (last !== null) this.emit('agent', 'AgentLoginStateChange', { agentId: a.agentId, loginName: a.loginName }, this.loginFields(a, 'AgentLoggedOut', services));
      return;
    }
    if (last === null) this.emit('agent', 'AgentLoginStateChange', { agentId: a.agentId, loginName: a.loginName, serviceIds: services }, this.loginFields(a, 'AgentLoggedIn', services));
    if (state !== last || force) {
      this.emit('agent', 'AgentStateChange', { agentId: a.agentId, serviceIds: services }, [
        ['AgentState', state],
        ['ServiceIds', { ints: services }],
        ['SipAddress', null],
        ['SipPort', 0],
      ]);
    }
  }

  private loginFields(a: CtipsAgentConfig, loginState: string, services: number[]): EventField[] {
    const loggedIn = loginState === 'AgentLoggedIn';
    return [
      ['AgentLoginName', a.loginName],
      ['ResourceGroupId', 0],
      ['CircuitId', 0],
      ['ChannelId', 0],
      ['LoginState', loginState],
      ['AgentWorkGroupId', loggedIn ? 1 : -1],
      ['AgentCapabilities', { enums: 'CTIAgentCapabilities', items: ['StandardAgent'] }],
      ['AgentStationAddress', a.device],
      ['AgentMailbox', null],
      ['ServiceState', { structs: 'CTIServiceInfo', items: services.map((id) => [['ServiceId', id], ['ServiceState', 'Active']] as EventField[]) }],
      ['SipIpAddress', null],
      ['SipPortNumber', 0],
      ['AgentCTIId', a.agentId],
    ];
  }

  private call3(cid: number, call: Call): EventField[] {
    return [
      ['CallId', cid],
      ['CallSequenceId', String(call.ref)],
      ['CallOriginatingSiteId', this.config.siteId],
    ];
  }

  /** The caller of an inbound leg: the first other live party that placed the call. */
  private callerOf(call: Call, device: string): Leg | undefined {
    return call.legs.find((l) => l.number !== device && l.outgoing && l.kind !== 'queue') ?? call.legs.find((l) => l.number !== device && l.kind !== 'queue');
  }

  private onLeg(device: string, call: Call, leg: Leg, cause: string | undefined): void {
    const a = this.agentByDevice(device);
    if (!a) {
      const rp = this.config.routePoints.find((r) => r.device === device);
      if (rp && leg.state === 'alerting' && !leg.outgoing) {
        const defaultQueue = this.config.services.find((sv) => sv.serviceId === rp.defaultServiceId)?.queue;
        this.platform.routeArrived(
          {
            callId: this.callId(call.id),
            pbxCallId: call.id,
            serviceId: rp.serviceId,
            device,
            routeTimeoutSec: rp.routeTimeoutSec,
            defaultServiceId: rp.defaultServiceId,
            defaultNumber: defaultQueue !== undefined ? this.pbx.pilotsOf(defaultQueue)[0] : undefined,
          },
          rp.routeTimeoutSec * this.pbx.msPerSecond,
        );
      }
      return;
    }
    const key = `${call.id}|${device}`;
    const prev = this.legSeen.get(key);
    if (leg.state === 'cleared') {
      if (!prev) return;
      this.legSeen.set(key, { state: 'cleared', established: prev.established });
    } else {
      if (this.stateOf(device) === null) return;
      if (prev?.state === leg.state) return;
      this.legSeen.set(key, { state: leg.state, established: (prev?.established ?? false) || leg.state === 'connected' });
    }
    const cid = this.callId(call.id);
    const serviceId = this.serviceIdOf(leg.acdService ?? call.service);
    const h = { agentId: a.agentId, serviceId };
    const caller = this.callerOf(call, device);
    const ani = caller && !caller.withheld ? caller.number : '';
    const dnis = call.dialled;
    switch (leg.state) {
      case 'alerting': {
        if (leg.outgoing) break;
        const callerAgent = caller ? this.agentByDevice(caller.number) : undefined;
        const callType = leg.acdService ? 'InboundAcd' : caller?.kind === 'device' ? 'InboundInternal' : 'InboundDid';
        const [first, ...rest] = (caller?.name ?? '').split(' ');
        const callData: EventField[][] = Object.entries(call.data).map(([k, v]) => [['key', k], ['value', v]]);
        this.emit('call', 'CallDelivered', h, [...this.call3(cid, call), ['CallType', callType], ['ANI', ani], ['DNIS', dnis]]);
        this.emit('call', 'CallConnected', h, [
          ...this.call3(cid, call),
          [
            'CallInfo',
            {
              structs: 'CTICallInfo',
              items: [
                [
                  ['ANI', ani],
                  ['DNIS', dnis],
                  ['FirstName', first || null],
                  ['LastName', rest.join(' ') || null],
                  ['PhoneNumber', ani || null],
                  ['CallerId', caller?.name ?? (ani || null)],
                  ['CallData', { structs: 'CTICallDataItem', items: callData }],
                ],
              ],
            },
          ],
          ['ResponseRequired', this.config.responseRequired],
          ['RejectReasonRequired', this.config.responseRequired && this.config.rejectReasonRequired],
          ['PlayAudioAlert', true],
          ['CallType', callType],
          ['OriginatingAgentId', callerAgent?.agentId ?? 0],
          ['ResourceGroupId', 0],
          ['CircuitId', 0],
          ['ChannelId', 0],
        ]);
        break;
      }
      case 'originated': {
        const dest = this.agentByDevice(leg.peer);
        this.emit('call', 'CallOriginated', h, [
          ...this.call3(cid, call),
          ['DestType', dest ? 'Agent' : this.pbx.isQueue(leg.peer) ? 'Service' : 'External'],
          ['Destination', dest ? String(dest.agentId) : leg.peer],
          ['ResourceGroupId', 0],
          ['CircuitId', 0],
          ['ChannelId', 0],
          ['CallProgressSignal', 'Ringing'],
        ]);
        break;
      }
      case 'connected': {
        if (prev?.state === 'hold') {
          this.emit('call', 'CallRetrieved', h, this.call3(cid, call));
          break;
        }
        if (prev?.established) break;
        this.emit('call', 'CallEstablished', h, [
          ...this.call3(cid, call),
          ['MediaType', 'VoiceSip'],
          ['SipIpAddress', null],
          ['SipPortNumber', 0],
          ['ResourceGroupId', 0],
          ['CircuitId', 0],
          ['ChannelId', 0],
          ['ANI', leg.outgoing ? device : ani],
          ['DNIS', dnis],
        ]);
        if (leg.consultOf !== undefined) {
          const target = this.agentByDevice(leg.peer);
          this.emit('call', 'CallConsultation', h, [...this.call3(this.callId(leg.consultOf), call), ['ConsultationCallId', cid], ['ConsultationAgentId', target?.agentId ?? 0]]);
        }
        break;
      }
      case 'hold':
        this.emit('call', 'CallHeld', h, this.call3(cid, call));
        break;
      case 'failed':
        this.emit('call', 'CallRequestFailed', h, [
          ...this.call3(cid, call),
          ['FailureType', cause === 'busy' ? 'DestinationBusy' : 'DestinationInvalidNumber'],
          ['FailureReason', cause === 'busy' ? 'Destination busy' : 'Destination not obtainable'],
        ]);
        break;
      case 'cleared':
        if (this.platform.transferringDevice === device) {
          this.emit('call', 'CallTransferred', h, [
            ...this.call3(cid, call),
            ['ConsultingCallId', 0],
            ['ConsultedCallId', 0],
            ['ConsultationAgentId', 0],
            ['TransferredCallId', cid],
            ['TransferredCallSwitchId', this.config.switchId],
          ]);
        } else {
          this.emit('call', 'CallCleared', h, [
            ...this.call3(cid, call),
            ['ConsultationCallId', 0],
            ['ClearingPartyType', cause === 'droppedByOtherParty' ? 'FarEnd' : 'NearEnd'],
          ]);
        }
        break;
      default:
        break;
    }
    this.refreshAgent(device);
  }

  /** A blind transfer by `device` moved the call away without a leg clear: report CallTransferred if the leg still looks live. */
  private onDiverted(device: string, call: Call, callId: number): void {
    const a = this.agentByDevice(device);
    const key = `${call.id}|${device}`;
    if (!a || this.legSeen.get(key)?.state === 'cleared' || this.pbx.legsOf(device).some((x) => x.call.id === call.id)) return;
    this.legSeen.set(key, { state: 'cleared', established: true });
    this.emit('call', 'CallTransferred', { agentId: a.agentId }, [...this.call3(callId, call), ['ConsultingCallId', 0], ['ConsultedCallId', 0], ['ConsultationAgentId', 0], ['TransferredCallId', callId], ['TransferredCallSwitchId', this.config.switchId]]);
    this.refreshAgent(device);
  }

  private onCallEnded(call: Call): void {
    const prefix = `${call.id}|`;
    // The platform forgets the CallId after every portal has seen the call end.
    const cid = this.platform.peekCallId(call.id);
    for (const key of [...this.legSeen.keys()]) {
      if (!key.startsWith(prefix)) continue;
      this.legSeen.delete(key);
      const a = this.agentByDevice(key.slice(prefix.length));
      if (a && cid !== undefined) {
        this.emit('call', 'CallEnd', { agentId: a.agentId, serviceId: this.serviceIdOf(call.service) }, [...this.call3(cid, call), ['AgentDisposition', 0], ['CallData', { structs: 'CTICallDataItem', items: [] }]]);
      }
    }
  }

  // ---------------------------------------------------------------- snapshot

  private snapshot(s: Session, types: ReadonlyArray<(typeof entityTypes)[number]>): void {
    const updates: Array<{ type: string; fields: EventField[]; agentId: number }> = [];
    const nil: EventValue = null;
    for (const t of types) {
      if (t === 'AgentInfo') {
        for (const a of this.config.agents) {
          const st = this.stateOf(a.device);
          if (st === null) continue;
          const callId = this.pbx.legsOf(a.device)[0];
          const agentData: EventField[] = [
            ['AgentId', a.agentId],
            ['AgentLoginName', a.loginName],
            ['AgentCapabilities', { enums: 'CTIAgentCapabilities', items: ['StandardAgent'] }],
            ['AgentWorkGroupId', 1],
            ['CallId', callId ? this.callId(callId.call.id) : 0],
            ['ResourceGroupId', 0],
            ['ChannelId', 0],
            ['CircuitId', 0],
            ['SwitchId', this.config.switchId],
            ['AgentState', st],
            ['Services', { structs: 'CTIServiceInfo', items: this.agentServiceIds(a.device).map((id) => [['ServiceId', id], ['ServiceState', 'Active']] as EventField[]) }],
            ['MediaType', 'VoiceSip'],
            ['SipIpAddress', null],
            ['SipPortNumber', 0],
            ['AgentStationAddress', a.device],
          ];
          updates.push({ type: t, agentId: a.agentId, fields: [['AgentData', { struct: agentData }], ['CallData', nil], ['ServiceData', nil]] });
        }
      } else if (t === 'CallInfo') {
        for (const a of this.config.agents) {
          for (const { call, leg } of this.pbx.legsOf(a.device)) {
            const caller = this.callerOf(call, a.device);
            const callData: EventField[] = [
              ['CallId', this.callId(call.id)],
              ['CallSequenceId', String(call.ref)],
              ['CallOriginatingSiteId', this.config.siteId],
              ['ResourceGroupId', 0],
              ['ChannelId', 0],
              ['CircuitId', 0],
              ['SwitchId', this.config.switchId],
              ['ServiceId', this.serviceIdOf(leg.acdService ?? call.service)],
              ['DestType', 'Agent'],
              ['Destination', String(a.agentId)],
              ['CallState', leg.state === 'alerting' ? 'CallConnected' : leg.state === 'hold' ? 'CallHeld' : 'CallEstablished'],
              ['ANI', caller?.number ?? ''],
              ['DNIS', call.dialled],
              ['CallType', leg.acdService ? 'InboundAcd' : leg.outgoing ? 'OutboundMakecall' : 'InboundDid'],
              ['AgentId', a.agentId],
              ['MediaType', 'VoiceSip'],
              ['SipIpAddress', null],
              ['SipPortNumber', 0],
            ];
            updates.push({ type: t, agentId: a.agentId, fields: [['AgentData', nil], ['CallData', { struct: callData }], ['ServiceData', nil]] });
          }
        }
      } else {
        for (const sv of this.config.services) {
          const state = this.pbx.queueState(sv.queue);
          const serviceData: EventField[] = [
            ['ServiceId', sv.serviceId],
            ['ServiceState', state === undefined || state === 'stopped' ? 'InActive' : state === 'started-suspended' ? 'Pause' : 'Active'],
            ['ExternalRoutingEnabled', false],
          ];
          updates.push({ type: t, agentId: 0, fields: [['AgentData', nil], ['CallData', nil], ['ServiceData', { struct: serviceData }]] });
        }
        for (const rp of this.config.routePoints) {
          const serviceData: EventField[] = [
            ['ServiceId', rp.serviceId],
            ['ServiceState', this.pbx.isDevice(rp.device) ? 'Active' : 'InActive'],
            ['ExternalRoutingEnabled', true],
          ];
          updates.push({ type: t, agentId: 0, fields: [['AgentData', nil], ['CallData', nil], ['ServiceData', { struct: serviceData }]] });
        }
      }
    }
    if (updates.length === 0) updates.push({ type: types[0] ?? 'AgentInfo', agentId: 0, fields: [['AgentData', nil], ['CallData', nil], ['ServiceData', nil]] });
    updates.forEach((u, i) => {
      this.emit('system', 'SnapShotUpdate', { agentId: u.agentId, only: s }, [['SnapShotType', u.type], ...u.fields, ['SnapShotComplete', i === updates.length - 1]]);
    });
  }

  // ---------------------------------------------------------------- agent and call requests

  private agentOrCallRequest(op: CtipsOperationName, a: Fields): number {
    this.session(a, { online: true });
    const requestId = this.needInt(a, 'RequestId');
    if (requestId <= 0) throw new PortalFault('Client', 'Invalid value for RequestId');
    const prev = this.ctx;
    this.ctx = { requestId };
    try {
      this.runRequest(op, a, this.ctx);
    } finally {
      this.ctx = prev;
    }
    return 0;
  }

  private agentFailed(agentId: number, failureType: string, reason: string, callId = 0): void {
    this.emit('agent', 'AgentRequestFailed', { agentId }, [
      ['CallId', callId],
      ['FailureType', failureType],
      ['FailureReason', reason],
    ]);
  }

  private loginFailed(agentId: number, loginName: string, failureType: string, reason: string): void {
    this.emit('agent', 'AgentLoginRequestFailed', { agentId, loginName }, [
      ['AgentLoginName', loginName],
      ['FailureType', failureType],
      ['FailureReason', reason],
    ]);
  }

  private callFailed(agentId: number, callId: number, failureType: string, reason: string): void {
    const pbxId = this.platform.pbxCallOf(callId);
    const call = pbxId !== undefined ? this.pbx.call(pbxId) : undefined;
    this.emit('call', 'CallRequestFailed', { agentId }, [
      ['CallId', callId],
      ['CallSequenceId', call ? String(call.ref) : '0'],
      ['CallOriginatingSiteId', this.config.siteId],
      ['FailureType', failureType],
      ['FailureReason', reason],
    ]);
  }

  private runRequest(op: CtipsOperationName, a: Fields, ctx: RequestCtx): void {
    if (op === 'RouteSelect') return this.routeSelect(a);
    if (this.platform.linkState('CenterCord') === 'Down') return this.linkDownFailure(op, a);
    switch (op) {
      case 'LoginAgent':
        return this.loginAgent(a, ctx);
      case 'LogoutAgent': {
        const agentId = this.needInt(a, 'AgentId');
        this.needInt(a, 'ReasonCode');
        const ag = this.agentById(agentId);
        if (!ag || this.stateOf(ag.device) === null) return this.loginFailed(agentId, ag?.loginName ?? '', 'InvalidAgent', 'Agent not logged in');
        if (this.pbx.legsOf(ag.device).length > 0) return this.loginFailed(agentId, ag.loginName, 'InvalidStateForRequest', 'Agent is on a call');
        this.pbx.setAgentState(ag.device, 'loggedOff', { force: true });
        return;
      }
      case 'PanicLogout': {
        const all = a.bool('LogoutAllAgents');
        if (all === undefined) throw new PortalFault('Client', 'Missing required field: LogoutAllAgents');
        const names = a.list('AgentLoginNameList') ?? [];
        if (!all && names.length === 0) throw new PortalFault('Client', 'Missing required field: AgentLoginNameList');
        const targets = all ? this.config.agents : names.map((n) => this.config.agents.find((x) => x.loginName === n) ?? n);
        for (const t of targets) {
          if (typeof t === 'string') {
            this.loginFailed(0, t, 'InvalidAgentName', 'Unknown agent login name');
            continue;
          }
          if (this.stateOf(t.device) === null) continue;
          if (this.pbx.legsOf(t.device).length > 0) this.platform.addPendingLogout(t.device);
          else this.pbx.setAgentState(t.device, 'loggedOff', { force: true });
        }
        return;
      }
      case 'SetAgentState':
        return this.setAgentState(a, ctx);
      case 'GetAgentState': {
        const agentId = this.needInt(a, 'AgentId');
        const ag = this.agentById(agentId);
        if (!ag || this.stateOf(ag.device) === null) return this.agentFailed(agentId, 'InvalidAgent', 'Agent not logged in');
        this.refreshAgent(ag.device, true);
        return;
      }
      case 'SetDisposition': {
        const agentId = this.needInt(a, 'AgentId');
        const callId = this.needInt(a, 'CallId');
        this.needInt(a, 'DispositionId');
        const ag = this.agentById(agentId);
        if (!ag || this.stateOf(ag.device) === null) return this.agentFailed(agentId, 'InvalidAgent', 'Agent not logged in', callId);
        if (this.stateOf(ag.device) !== 'Wrap') return this.agentFailed(agentId, 'InvalidStateForRequest', 'Agent not in wrap', callId);
        // [SIM] A disposition ends the wrap: the agent becomes Idle.
        this.pbx.setAgentState(ag.device, 'ready', { force: true });
        return;
      }
      default:
        return this.callRequest(op, a, ctx);
    }
  }

  private loginAgent(a: Fields, ctx: RequestCtx): void {
    const name = this.needStr(a, 'AgentLoginName').trim();
    const station = this.needStr(a, 'StationId').trim();
    const initial = this.need(enumMember(['NotReady', 'NotReadyPark', 'Idle'] as const, a.str('InitialState') ?? a.str('Initial State') ?? 'NotReady'), 'InitialState');
    const multi = a.int('MultiLine') ?? 0;
    if (multi !== 0 && multi !== 1) throw new PortalFault('Client', 'Invalid value for MultiLine');
    const ag = this.config.agents.find((x) => x.loginName === name);
    if (!ag) return this.loginFailed(0, name, 'InvalidAgentName', 'Unknown agent login name');
    if (this.stateOf(ag.device) !== null) return this.loginFailed(ag.agentId, name, 'AgentAlreadyLoggedIn', 'Agent already logged in');
    if (station !== ag.device) return this.loginFailed(ag.agentId, name, 'StationNotAvailable', `Station ${station.slice(0, 32)} is not available to ${name}`);
    if (this.platform.linkState('Gateway') === 'Down') return this.loginFailed(ag.agentId, name, 'GatewayLoginFailure', 'The gateway is down (LinkStatus Gateway Down)');
    ctx.device = ag.device;
    if (ag.passcode !== undefined) {
      // L1240–L1253: not logged in yet; every portal reports EnterPasscode, the digits keyed on the phone finish it.
      this.platform.startPasscodeLogin({ device: ag.device, agentId: ag.agentId, loginName: ag.loginName, digits: ag.passcode, initial, attempts: 0, requestId: ctx.requestId, origin: this.peer });
      return;
    }
    this.logIn(ag.device, initial);
  }

  private logIn(device: string, initial: 'NotReady' | 'NotReadyPark' | 'Idle'): void {
    // Every portal reports the login once, with its end state (no intermediate loggedOn/NotReady).
    this.platform.quietly(device, () => {
      this.pbx.setAgentState(device, 'loggedOn', { force: true });
      this.platform.setParked(device, initial === 'NotReadyPark');
      if (initial === 'Idle') this.pbx.setAgentState(device, 'ready', { force: true });
      else this.pbx.setAgentState(device, 'notReady', { force: true });
    });
  }

  /** The platform: the passcode was keyed right; log in now, the events carrying `requestId` on this portal. */
  private completeLogin(login: CtipsPasscodeLogin, requestId: number): void {
    if (this.stateOf(login.device) !== null) return;
    const prev = this.ctx;
    this.ctx = { requestId, device: login.device };
    try {
      this.logIn(login.device, login.initial);
    } finally {
      this.ctx = prev;
    }
  }

  /** CenterCord is down (LinkStatus): agent and call requests fail with InternalServerError (see NOTES). */
  private linkDownFailure(op: CtipsOperationName, a: Fields): void {
    const reason = 'CTIPS has lost its connection to the Unified IP system (CenterCord down)';
    if (op === 'LoginAgent' || op === 'LogoutAgent' || op === 'PanicLogout') {
      const name = a.str('AgentLoginName')?.trim() ?? '';
      const agentId = a.int('AgentId');
      const ag = agentId !== undefined && !Number.isNaN(agentId) ? this.agentById(agentId) : this.config.agents.find((x) => x.loginName === name);
      return this.loginFailed(ag?.agentId ?? (agentId !== undefined && !Number.isNaN(agentId) ? agentId : 0), ag?.loginName ?? name, 'InternalServerError', reason);
    }
    const agentId = this.needInt(a, 'AgentId');
    if (op === 'SetAgentState' || op === 'GetAgentState' || op === 'SetDisposition') return this.agentFailed(agentId, 'InternalServerError', reason, a.int('CallId') ?? 0);
    return this.callFailed(agentId, this.needInt(a, 'CallId'), 'InternalServerError', reason);
  }

  // ---------------------------------------------------------------- platform notices

  private onNotice(n: CtipsPlatformNotice): void {
    const mine = (origin: CtipsPlatformPeer | undefined, requestId: number): number => (origin === this.peer ? requestId : 0);
    switch (n.kind) {
      case 'passcode': {
        const services = this.agentServiceIds(n.login.device);
        this.emit('agent', 'EnterPasscode', { agentId: n.login.agentId, serviceIds: services, requestId: mine(n.login.origin, n.login.requestId) }, [
          ['ResourceGroupId', 0],
          ['PasscodeDigits', n.login.digits],
          ['ReEnterFlag', n.reEnter],
          ['ServiceIds', { ints: services }],
        ]);
        return;
      }
      case 'passcodeFailed': {
        const l = n.login;
        this.emit('agent', 'AgentLoginRequestFailed', { agentId: l.agentId, loginName: l.loginName, requestId: mine(l.origin, l.requestId) }, [
          ['AgentLoginName', l.loginName],
          ['FailureType', 'InvalidPasscode'],
          ['FailureReason', `The passcode was entered wrongly ${l.attempts} times`],
        ]);
        return;
      }
      case 'routeRequest':
        return this.emitRouteRequest(n.route);
      case 'routeUsed': {
        const r = n.route;
        const call = this.pbx.call(r.pbxCallId);
        this.emit('route', 'RouteUsed', { agentId: n.agentId, serviceId: r.serviceId, requestId: mine(n.origin, n.requestId) }, [
          ['CallId', r.callId],
          ['RouteStatus', n.status],
          ['RouteType', n.routeType],
          ['RouteDestination', n.destination],
          ['CallSequenceId', call ? String(call.ref) : '0'],
          ['CallOriginatingSiteId', this.config.siteId],
        ]);
        return;
      }
      case 'link':
        // L1797–L1811: system-wide, TenantId and RequestId 0, past every filter (§4.2 rule 3).
        this.emit('system', 'LinkStatus', { requestId: 0, tenantId: 0, bypassFilters: true }, [
          ['ComponentType', n.component],
          ['ComponentState', n.state],
        ]);
        return;
    }
  }

  private emitRouteRequest(r: CtipsRouteRecord): void {
    const call = this.pbx.call(r.pbxCallId);
    if (!call) return;
    const caller = this.callerOf(call, r.device);
    const ani = caller && !caller.withheld ? caller.number : '';
    const [first, ...rest] = (caller?.name ?? '').split(' ');
    const callData: EventField[][] = Object.entries(call.data).map(([k, v]) => [['key', k], ['value', v]]);
    this.emit('route', 'RouteRequest', { serviceId: r.serviceId, requestId: 0 }, [
      ['CallId', r.callId],
      ['RouteTimeout', r.routeTimeoutSec],
      ['ResourceGroupId', 0],
      ['CircuitId', 0],
      ['ChannelId', 0],
      ['MediaType', 'VoiceSip'],
      ['SipIpAddress', null],
      ['SipPortNumber', null],
      [
        'CallInfo',
        {
          structs: 'CTICallInfo',
          items: [
            [
              ['ANI', ani],
              ['DNIS', call.dialled],
              ['FirstName', first || null],
              ['LastName', rest.join(' ') || null],
              ['PhoneNumber', ani || null],
              ['CallerId', caller?.name ?? (ani || null)],
              ['CallData', { structs: 'CTICallDataItem', items: callData }],
            ],
          ],
        },
      ],
      ['CallSequenceId', String(call.ref)],
      ['CallOriginatingSiteId', this.config.siteId],
    ]);
  }

  // ---------------------------------------------------------------- external routing

  private routeReject(callId: number, serviceId: number, reason: string): void {
    const pbxId = this.platform.pbxCallOf(callId);
    const call = pbxId !== undefined ? this.pbx.call(pbxId) : undefined;
    // EventType as in the event table and Appendix C (digest §4.4); the enum member is RouteReject.
    this.emit('route', 'RouteRejected', { serviceId }, [
      ['CallId', callId],
      ['RouteRejectReason', reason],
      ['CallSequenceId', call ? String(call.ref) : '0'],
      ['CallOriginatingSiteId', this.config.siteId],
    ]);
  }

  private routeFailed(callId: number, serviceId: number, failureType: string, reason: string): void {
    const pbxId = this.platform.pbxCallOf(callId);
    const call = pbxId !== undefined ? this.pbx.call(pbxId) : undefined;
    this.emit('route', 'RouteRequestFailed', { serviceId }, [
      ['CallId', callId],
      ['FailureType', failureType],
      ['FailureReason', reason],
      ['CallSequenceId', call ? String(call.ref) : '0'],
      ['CallOriginatingSiteId', this.config.siteId],
    ]);
  }

  /** RouteSelect (§3.3, L1040–L1070): route a call waiting at a route point; RouteUsed, RouteRejected or RouteRequestFailed. */
  private routeSelect(a: Fields): void {
    const callId = this.needInt(a, 'CallId');
    const rawType = a.str('RouteActionType') ?? a.str('RouteType');
    if (rawType === undefined) throw new PortalFault('Client', 'Missing required field: RouteActionType');
    const routeType = enumMember(['RouteToAgent', 'RouteToService', 'RouteToExternal', 'RouteToDefault', 'Ivr', 'Voicemail'] as const, rawType);
    if (routeType === undefined || routeType === 'Ivr' || routeType === 'Voicemail') throw new PortalFault('Client', 'Invalid value for RouteActionType');
    const dest = (a.str('RouteDestination') ?? '').trim();
    if (routeType !== 'RouteToDefault' && dest === '') throw new PortalFault('Client', 'Missing required field: RouteDestination');
    const userData = a.list('UserData') ?? [];
    if (userData.length > 20) throw new PortalFault('Client', 'Invalid value for UserData');
    const pbxId = this.platform.pbxCallOf(callId);
    const route = pbxId !== undefined ? this.platform.routeOf(pbxId) : undefined;
    const serviceId = route?.serviceId ?? 0;
    if (this.platform.linkState('CenterCord') === 'Down') return this.routeFailed(callId, serviceId, 'InternalServerError', 'CTIPS has lost its connection to the Unified IP system (CenterCord down)');
    if (pbxId === undefined || !this.pbx.hasCall(pbxId)) return this.routeReject(callId, serviceId, 'CallCleared');
    if (!route) return this.routeReject(callId, serviceId, 'UnknownReason');
    if (route.state === 'routed') return this.routeReject(callId, serviceId, 'CallAlreadyRouted');
    if (route.state === 'default') return this.routeReject(callId, serviceId, 'RouteTimeout');
    if (!this.pbx.legsOf(route.device).some((x) => x.call.id === pbxId && x.leg.state === 'alerting')) return this.routeReject(callId, serviceId, 'CallCleared');
    // Where to: the PBX number, and what RouteUsed reports (the AgentId for an agent, L1724).
    let number: string | undefined;
    let destination = dest;
    let agentId = 0;
    if (routeType === 'RouteToAgent') {
      const ag = this.config.agents.find((x) => x.loginName === dest || String(x.agentId) === dest);
      if (!ag) return this.routeReject(callId, serviceId, 'NoRouteToDestination');
      const st = this.stateOf(ag.device);
      if (st === null) return this.routeFailed(callId, serviceId, 'DestinationAgentNotAvailable', `Agent ${dest.slice(0, 32)} is not logged in`);
      if (st !== 'Idle' || this.pbx.legsOf(ag.device).length > 0) return this.routeReject(callId, serviceId, 'DestinationBusy');
      number = ag.device;
      destination = String(ag.agentId);
      agentId = ag.agentId;
    } else if (routeType === 'RouteToService' || routeType === 'RouteToDefault') {
      const sid = routeType === 'RouteToDefault' ? String(route.defaultServiceId) : dest;
      const sv = this.config.services.find((x) => String(x.serviceId) === sid);
      const state = sv ? this.pbx.queueState(sv.queue) : undefined;
      number = sv ? this.pbx.pilotsOf(sv.queue)[0] : undefined;
      if (!sv || number === undefined || state === undefined || state === 'stopped') return this.routeReject(callId, serviceId, 'NoRouteToDestination');
      destination = sid;
    } else {
      if (!/^\+?[0-9*#]{1,32}$/.test(dest) || this.pbx.settings.unobtainableNumbers.includes(dest)) return this.routeReject(callId, serviceId, 'NoRouteToDestination');
      if (this.pbx.settings.busyNumbers.includes(dest)) return this.routeReject(callId, serviceId, 'DestinationBusy');
      if (this.pbx.isDevice(dest)) {
        const d = this.pbx.device(dest);
        if (dest === route.device || this.pbx.legsOf(dest).length > 0 || d?.dnd) return this.routeReject(callId, serviceId, 'DestinationBusy');
      } else if (!this.pbx.isQueue(dest) && !/^(\+|0)\d{5,}$/.test(dest)) return this.routeReject(callId, serviceId, 'NoRouteToDestination');
      number = dest;
    }
    if (userData.length > 0) {
      const changes: Record<string, string> = {};
      userData.forEach((v, i) => (changes[`UserData${i + 1}`] = v));
      this.pbx.setCallData(pbxId, { data: changes });
    }
    // RouteUsed first (it "logically completes the Route Select Request", L428), then the call moves: CallConnected follows.
    this.platform.routeSelected(route, { routeType, destination, agentId, requestId: this.ctx?.requestId ?? 0, origin: this.peer });
    try {
      this.pbx.divert(route.device, number, { callId: pbxId });
    } catch (e) {
      if (!(e instanceof PbxError)) throw e;
      this.routeFailed(callId, serviceId, 'RequestFailed', e.message);
    }
  }

  private setAgentState(a: Fields, ctx: RequestCtx): void {
    const agentId = this.needInt(a, 'AgentId');
    const wanted = this.needStr(a, 'NewState');
    const ag = this.agentById(agentId);
    if (!ag || this.stateOf(ag.device) === null) return this.agentFailed(agentId, 'InvalidAgent', 'Agent not logged in');
    const state = enumMember(['NotReady', 'NotReadyPark', 'Idle', 'PendingActive', 'Active', 'Wrap', 'ActiveWrap', 'WrapWarning', 'Reserved', 'MultiLine'] as const, wanted);
    if (state === undefined) throw new PortalFault('Client', 'Invalid value for NewState');
    if (state !== 'NotReady' && state !== 'NotReadyPark' && state !== 'Idle') return this.agentFailed(agentId, 'InvalidStateForRequest', `${state} cannot be requested`);
    const current = this.pbx.agent(ag.device)?.state;
    const target = state === 'Idle' ? 'ready' : 'notReady';
    ctx.device = ag.device;
    this.platform.setParked(ag.device, state === 'NotReadyPark');
    if (current !== target && !(target === 'notReady' && current === 'loggedOn')) {
      // The PBX's transition rules decide (its agent password is not part of CTIPS: force skips only that check).
      if (current === undefined || !this.pbx.permittedStates(current).includes(target)) return this.agentFailed(agentId, 'InvalidStateForRequest', `${current ?? '?'} → ${target} is not permitted`);
      try {
        this.pbx.setAgentState(ag.device, target, { force: true });
      } catch (e) {
        if (!(e instanceof PbxError)) throw e;
        return this.agentFailed(agentId, 'InvalidStateForRequest', e.message);
      }
    }
    // The park flag alone (NotReady ↔ NotReadyPark) changes no PBX state: every portal reports it here.
    this.platform.refreshAgent(ag.device);
  }

  /** The PBX number a destination resolves to, or the failure to report. */
  private destination(type: string | undefined, address: string | undefined): { number: string } | { failure: string; reason: string } {
    const addr = (address ?? '').trim();
    if (type === 'Agent') {
      const ag = this.config.agents.find((x) => x.loginName === addr || String(x.agentId) === addr);
      if (!ag || this.stateOf(ag.device) === null) return { failure: 'DestinationAgentNotAvailable', reason: `Agent ${addr.slice(0, 32)} not available` };
      return { number: ag.device };
    }
    if (type === 'Service') {
      const sv = this.config.services.find((x) => String(x.serviceId) === addr);
      const pilot = sv ? this.pbx.pilotsOf(sv.queue)[0] : undefined;
      if (!pilot) return { failure: 'DestinationInvalidServiceIdentifier', reason: `Service ${addr.slice(0, 32)} cannot be dialled` };
      return { number: pilot };
    }
    if (type === 'External') {
      if (!/^\+?[0-9*#]{1,32}$/.test(addr)) return { failure: 'DestinationInvalidNumber', reason: 'Invalid destination number' };
      return { number: addr };
    }
    return { failure: 'DestinationInvalidNumber', reason: 'Unsupported destination type' };
  }

  private callRequest(op: CtipsOperationName, a: Fields, ctx: RequestCtx): void {
    const agentId = this.needInt(a, 'AgentId');
    const callId = this.needInt(a, 'CallId');
    const ag = this.agentById(agentId);
    if (!ag || this.stateOf(ag.device) === null) return this.callFailed(agentId, callId, 'InvalidAgent', 'Agent not logged in');
    const device = ag.device;
    ctx.device = device;
    const fail = (type: string, reason: string): void => this.callFailed(agentId, callId, type, reason);
    const pbxFail = (e: unknown, fallback: string): void => {
      if (!(e instanceof PbxError)) throw e;
      fail(e.code === 'invalidNumber' ? 'DestinationInvalidNumber' : e.code === 'noCall' || e.code === 'rejected' ? 'InvalidStateForRequest' : fallback, e.message);
    };
    if (op === 'MakeCall') {
      const dest = this.destination(enumMember(['Agent', 'Service', 'External', 'NoDestination'] as const, a.str('DestinationType')), a.str('DestinationAddress'));
      a.bool('WrapState');
      if ('failure' in dest) return fail(dest.failure, dest.reason);
      try {
        this.pbx.makeCall(device, dest.number);
      } catch (e) {
        pbxFail(e, 'MakeCallFailure');
      }
      return;
    }
    const pbxId = this.platform.pbxCallOf(callId);
    if (pbxId === undefined || !this.pbx.hasCall(pbxId)) return fail('InvalidCallId', `Unknown CallId ${callId}`);
    const mine = this.pbx.legsOf(device).find((x) => x.call.id === pbxId);
    if (!mine) return fail('InvalidAgent', 'The agent is not a party to this call');
    try {
      switch (op) {
        case 'AcceptCall': {
          const accept = a.bool('AcceptCall');
          if (accept === undefined) throw new PortalFault('Client', 'Missing required field: AcceptCall');
          if (!accept && this.config.responseRequired && this.config.rejectReasonRequired && a.int('RejectReason') === undefined) throw new PortalFault('Client', 'Missing required field: RejectReason');
          if (mine.leg.state !== 'alerting') return fail('InvalidStateForRequest', 'The call is not alerting');
          if (accept) this.pbx.answer(device, { callId: pbxId });
          else this.pbx.drop(device, { callId: pbxId });
          return;
        }
        case 'ClearCall':
          this.pbx.drop(device, { callId: pbxId });
          return;
        case 'HoldCall':
          if (mine.leg.state !== 'connected') return fail('InvalidStateForRequest', 'The call is not connected');
          this.pbx.hold(device, { callId: pbxId });
          return;
        case 'RetrieveCall':
          if (mine.leg.state !== 'hold') return fail('InvalidStateForRequest', 'The call is not held');
          this.pbx.retrieve(device, { callId: pbxId });
          return;
        case 'SendDTMFDigits': {
          const digits = this.needStr(a, 'DTMFDigits');
          if (!/^[0-9*#A-Da-d]{1,32}$/.test(digits)) throw new PortalFault('Client', 'Invalid value for DTMFDigits');
          if (mine.leg.state !== 'connected') return fail('InvalidStateForRequest', 'The call is not connected');
          this.emit('call', 'DigitsDialed', { agentId, serviceId: this.serviceIdOf(mine.call.service) }, [...this.call3(callId, mine.call), ['DigitString', digits]]);
          return;
        }
        case 'SetCallData': {
          const data = a.list('UserData') ?? [];
          if (data.length > 20) throw new PortalFault('Client', 'Invalid value for UserData');
          const changes: Record<string, string> = {};
          data.forEach((v, i) => (changes[`UserData${i + 1}`] = v));
          this.pbx.setCallData(pbxId, { data: changes });
          this.emit('call', 'CallDataUpdate', { agentId }, [...this.call3(callId, mine.call), ['CallData', { structs: 'CTICallDataItem', items: [] }], ['UpdateType', 'SetCallDataSucceeded'], ['FailureReason', null]]);
          return;
        }
        case 'GetCallData': {
          const call = this.pbx.call(pbxId);
          const items: EventField[][] = Object.entries(call?.data ?? {}).map(([k, v]) => [['key', k], ['value', v]]);
          this.emit('call', 'CallDataUpdate', { agentId }, [
            ...this.call3(callId, mine.call),
            ['CallData', { structs: 'CTICallDataItem', items }],
            ['UpdateType', items.length > 0 ? 'GetCallDataReturned' : 'GetCallDataNotReturned'],
            ['FailureReason', items.length > 0 ? null : 'The call has no data'],
          ]);
          return;
        }
        case 'ConsultationCall': {
          if (mine.leg.state !== 'connected') return fail('InvalidStateForRequest', 'The call is not connected');
          const dest = this.destination(enumMember(['Agent', 'Service', 'External'] as const, a.str('DestinationType')), a.str('DestinationAddress'));
          if ('failure' in dest) return fail(dest.failure, dest.reason);
          this.pbx.consult(device, dest.number, { callId: pbxId });
          return;
        }
        case 'TransferCall': {
          const type = enumMember(['Blind', 'Consultation'] as const, a.str('TransferType'));
          if (type === undefined) throw new PortalFault('Client', 'Invalid value for TransferType');
          if (type === 'Blind') {
            const address = a.str('DestinationAddress');
            if (!address) throw new PortalFault('Client', 'Missing required field: DestinationAddress');
            const dest = this.destination(enumMember(['Agent', 'Service', 'External'] as const, a.str('DestinationType')), address);
            if ('failure' in dest) return fail(dest.failure, dest.reason);
            this.platform.transferring(device, () => this.pbx.divert(device, dest.number, { callId: pbxId }));
            // divert moves the call without clearing our leg with a cause we can see: every portal reports it if still live.
            this.platform.diverted(device, mine.call, callId);
            return;
          }
          const consultId = a.int('ConsultationCallId');
          if (consultId === undefined || Number.isNaN(consultId)) throw new PortalFault('Client', 'Missing required field: ConsultationCallId');
          const consultPbx = this.platform.pbxCallOf(consultId);
          if (consultPbx === undefined) return fail('InvalidCallId', `Unknown ConsultationCallId ${consultId}`);
          this.platform.transferring(device, () => this.pbx.transfer(device, { heldCallId: pbxId, activeCallId: consultPbx }));
          return;
        }
        case 'ConferenceCall': {
          const consultId = this.needInt(a, 'ConsultationCallId');
          const consultPbx = this.platform.pbxCallOf(consultId);
          if (consultPbx === undefined) return fail('InvalidCallId', `Unknown ConsultationCallId ${consultId}`);
          const consulted = this.pbx.call(consultPbx)?.legs.find((l) => l.number !== device && l.state === 'connected');
          this.pbx.conference(device, { heldCallId: pbxId, activeCallId: consultPbx });
          const call = this.pbx.call(pbxId) ?? mine.call;
          this.emit('call', 'CallConferenced', { agentId }, [
            ...this.call3(callId, call),
            ['ConsultingCallId', callId],
            ['ConsultedCallId', consultId],
            ['ConsultationAgentId', consulted ? (this.agentByDevice(consulted.number)?.agentId ?? 0) : 0],
            ['ConferenceCallId', callId],
          ]);
          return;
        }
        default:
          throw new PortalFault('Client', `Unknown operation ${op}`);
      }
    } catch (e) {
      if (e instanceof PortalFault) throw e;
      const fallback: Record<string, string> = { ClearCall: 'ClearCallFailure', ConsultationCall: 'ConsultationFailure', TransferCall: 'CallTransferFailure', ConferenceCall: 'ConferenceFailure' };
      pbxFail(e, fallback[op] ?? 'RequestFailed');
    }
  }
}
