// The TWS Toolkit connector (main/core/connector.ts): TWS Server v5 web services (manual
// shared/seeds/000_c9428f5e13a36304.txt, digest shared/digests/000-tws.md) seen as one device.
//
// start():    token (TWS_GetMyToken2 / TWS_GetMyTokenAdmin) → GetMyUser → device check →
//             TWS_WebStartMonitor(device) → the first event feed of `connection.feeds` that opens
//             (TCP 9004, WebSocket 9003/9013, web-service polling), falling back along the list.
// events:     TwsEvent (codec) → mapping.ts → normalized events; garbage frames are logged and a
//             resync follows; a feed switch is followed by a resync (snapshot event).
// snapshot(): TWS_QueryCCosByDevice + TWS_QueryAgentState (Alcatel) + forward info +
//             TWS_GetDevicesState per colleague.
// keepAlive(): TWS_QueryCCosByDevice compared with the tracker (missed events → snapshot) and
//             TWS_GetDevicesState of the device (ProviderLinkNull → PBX link down).
// stop():     feeds closed, TWS_WebStopMonitor; never throws.
import type { CallLogRow } from '../../../shared/calllog.js';
import { CtiError, type Command, type CommandKind, type Query, DIRECTORY_CAPABILITY } from '../../../shared/commands.js';
import type { CtiEvent, SnapshotEvent } from '../../../shared/events.js';
import type { AgentInfo, CallData, DeviceFeatures, DirectoryEntry } from '../../../shared/model.js';
import type { Profile, TwsConnection, TwsFeed } from '../../../shared/profile.js';
import type { Connector, ConnectorDeps, ConnectorListeners, KeepAliveResult, QueryResult } from '../../core/connector.js';
import { createTrace, type Logger, type TraceFn } from '../../core/log.js';
import { SessionSlot } from '../session-slot.js';
import { loadTlsTrust, type TlsTrust } from '../tls.js';
import { callLogSearch, type AgentStateName } from './codes.js';
import { decodeCallsSnapshot, decodeGetEventResult, type TwsCco, type TwsEvent } from './events.js';
import type { EventFeed, FeedCallbacks, FeedContext, FeedTiming } from './feed.js';
import { FeedManager } from './feeds.js';
import { TwsHttp } from './http.js';
import {
  callLogRow,
  ColleagueBoard,
  directoryEntries,
  forwardsOf,
  mapAgent,
  parseCallData,
  serializeCallData,
  twsForwardTypeOf,
  TwsCallTracker,
  type CallTrackerEvent,
  type TwsCallLocation,
} from './mapping.js';
import { createPollFeed, type PollApi } from './poll-feed.js';
import { requests, type TwsRequest } from './requests.js';
import { decodeAgentStateResult, decodeCallLog, decodeDevicesState, decodeForwardInfo, decodeStringResult, type DeviceInfo } from './results.js';
import { TwsSession } from './session.js';
import { createTcpFeed } from './tcp-feed.js';
import { createWsFeed } from './ws-feed.js';

export interface TwsConnectorOptions {
  /** No byte on a feed that provokes traffic for this long ⇒ dead (default 75 s, > the 30 s keep-alive). */
  feedIdleMs?: number;
  /** TCP AUDIT keep-alive period (default 30 s, L322). */
  keepAliveMs?: number;
  /** While on a fallback feed, try the preferred ones again this often (default 60 s). */
  retryPreferredMs?: number;
  /** The server's TWS_GetEvent wait (default 30 s); the HTTP timeout is this plus 15 s. */
  pollWaitMs?: number;
  /** A feed closed this soon after opening ⇒ token refused (default 2 s, §4.3). */
  tokenCheckMs?: number;
  /** WebSocket ping period (default 30 s). */
  wsPingMs?: number;
  /** WebSocket path (default `/`). */
  wsPath?: string;
  maxFrameBytes?: number;
  /** Unreadable frames in a row after which a feed counts as failed (default 20). */
  maxBadFrames?: number;
  /** Quiet time after an unreadable frame before the resync (default 150 ms). */
  badFrameResyncMs?: number;
}

const STOP_TIMEOUT_MS = 1500;
const dial = (to: string) => to.replace(/[\s().-]/g, '');

/** What the connector offers; setAgentState only on an Alcatel PBX (L1780). */
export function twsCapabilities(conn: Pick<TwsConnection, 'pbx'>): ReadonlySet<CommandKind> {
  const kinds: CommandKind[] = ['makeCall', 'redial', 'answer', 'clear', 'hold', 'retrieve', 'consult', 'alternate', 'conference', 'transfer', 'redirect', 'park', 'unpark', 'setForward', 'setCallData', 'snapshot'];
  if (conn.pbx === 'alcatel') kinds.push('setAgentState');
  return new Set(kinds);
}

export function createTwsConnector(deps: ConnectorDeps, options: TwsConnectorOptions = {}): Connector {
  return new TwsConnectorImpl(deps, options);
}

interface Session {
  gen: number;
  http: TwsHttp;
  session: TwsSession;
  trust: TlsTrust;
  feeds: FeedManager | null;
  closed: boolean;
  resyncTimer: NodeJS.Timeout | null;
  /** Events received since the last keep-alive (a silent feed with missed events is dead). */
  eventsSinceKeepAlive: number;
  /** GetDevicesState protocol that answered (CSTA, else VTIXML). */
  protocol: 'CSTA' | 'VTIXML';
}

class TwsConnectorImpl implements Connector {
  readonly vendor = 'tws' as const;
  readonly capabilities: ReadonlySet<CommandKind>;
  readonly extraCapabilities: readonly string[] = [DIRECTORY_CAPABILITY];

  private readonly profile: Profile;
  private readonly conn: TwsConnection;
  private readonly deps: ConnectorDeps;
  private readonly log: Logger;
  private readonly trace: TraceFn;
  private readonly now: () => number;
  private readonly timing: FeedTiming;
  private readonly o: Required<Pick<TwsConnectorOptions, 'retryPreferredMs' | 'pollWaitMs' | 'badFrameResyncMs'>> & { wsPath: string };
  /** Call identities live as long as the connector, across restarts. */
  private readonly tracker: TwsCallTracker;
  private readonly board: ColleagueBoard;

  private listeners: ConnectorListeners | null = null;
  private readonly slot = new SessionSlot<Session>((s) => this.teardown(s));
  private agent: AgentInfo | null = null;
  private features: DeviceFeatures = { forwards: [], dnd: false, messageWaiting: false };
  private pbxLinkUp = true;
  /** Events that arrive while a snapshot is fetched are held, then folded into it. */
  private held: TwsEvent[] | null = null;
  private absorbing = false;
  private snapshotInFlight: Promise<SnapshotEvent> | null = null;
  /** Where each call's data was written (key), to re-key it when the call log id shows up. */
  private readonly dataKeys = new Map<string, string>();
  private readonly dataRead = new Set<string>();

  constructor(deps: ConnectorDeps, options: TwsConnectorOptions) {
    const connection = deps.profile.connection;
    if (connection.vendor !== 'tws') throw new CtiError('invalid', 'not a TWS profile');
    this.deps = deps;
    this.profile = deps.profile;
    this.conn = connection;
    this.capabilities = twsCapabilities(connection);
    this.log = deps.log.child({ connector: 'tws', user: connection.username, device: deps.profile.device });
    this.trace = createTrace(this.log, deps.profile.trace);
    this.now = deps.now ?? Date.now;
    const keepAliveMs = options.keepAliveMs ?? 30_000;
    const idle = options.feedIdleMs ?? 75_000;
    this.timing = {
      keepAliveMs,
      idleMs: idle > keepAliveMs ? idle : Math.round(keepAliveMs * 2.5),
      tokenCheckMs: options.tokenCheckMs ?? 2000,
      connectTimeoutMs: deps.profile.commandTimeoutMs,
      pingMs: options.wsPingMs ?? 30_000,
      maxBadFrames: options.maxBadFrames ?? 20,
      maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024,
    };
    this.o = {
      retryPreferredMs: options.retryPreferredMs ?? 60_000,
      pollWaitMs: options.pollWaitMs ?? 30_000,
      badFrameResyncMs: options.badFrameResyncMs ?? 150,
      wsPath: options.wsPath ?? '/',
    };
    this.tracker = new TwsCallTracker({ device: deps.profile.device, now: this.now });
    this.board = new ColleagueBoard(connection.colleagues, this.now);
  }

  setListeners(l: ConnectorListeners): void {
    this.listeners = l;
  }

  private get device(): string {
    return this.profile.device;
  }

  /**
   * The device for the functions that have a `…ByDefaultDevice` variant: undefined (use the
   * variant) when the profile's phone is the user's default device, the first of the token's.
   */
  private ownDevice(s: Session): string | undefined {
    return s.session.id?.devices[0] === this.device ? undefined : this.device;
  }

  private get isAgent(): boolean {
    return this.conn.pbx === 'alcatel';
  }

  private baseUrl(): string {
    const host = this.conn.host.includes(':') && !this.conn.host.startsWith('[') ? `[${this.conn.host}]` : this.conn.host;
    return `${this.conn.https ? 'https' : 'http'}://${host}:${this.conn.port}`;
  }

  // ================================================================ lifecycle

  async start(): Promise<void> {
    if (this.slot.stopping) await this.slot.stopping;
    if (this.slot.current) await this.stop();
    const gen = ++this.slot.gen;
    const trust = this.conn.https || this.conn.wss ? await loadTlsTrust(this.conn.tls, 'TWS') : {};
    const http = new TwsHttp({ baseUrl: this.baseUrl(), tls: trust, timeoutMs: this.profile.commandTimeoutMs, trace: this.trace, tracing: this.profile.trace });
    const session = new TwsSession({ http, profile: this.profile, conn: this.conn, secret: this.deps.secret, log: this.log });
    const s: Session = { gen, http, session, trust, feeds: null, closed: false, resyncTimer: null, eventsSinceKeepAlive: 0, protocol: 'CSTA' };
    this.slot.current = s;
    const check = () => {
      if (gen !== this.slot.gen || s.closed) throw new CtiError('notConnected', 'the TWS start-up was cancelled');
    };
    try {
      await session.authenticate();
      check();
      await session.loadUser();
      check();
      session.checkDevice();
      await session.startMonitor();
      check();
      const feeds = this.feedManager(s);
      s.feeds = feeds;
      await feeds.start();
      check();
      this.log.info({ feed: feeds.active, user: session.id?.displayName ?? this.conn.username }, 'TWS: session open');
    } catch (err) {
      await this.teardown(s);
      throw CtiError.from(err);
    }
  }

  private feedManager(s: Session): FeedManager {
    const ctx: FeedContext = { host: this.conn.host, timing: this.timing, trace: this.trace, redact: (t) => (this.profile.trace ? s.http.redact(t) : '') };
    return new FeedManager({
      order: this.conn.feeds,
      create: (kind, cb) => this.createFeed(s, ctx, kind, cb),
      onEvent: (ev) => {
        if (s !== this.slot.current || s.closed) return;
        s.eventsSinceKeepAlive += 1;
        this.onTwsEvent(ev);
      },
      onBad: (kind, message, feed) => this.onBadFrame(s, kind, message, feed),
      onActive: (label) => {
        try {
          this.listeners?.feed?.(label);
        } catch (err) {
          this.log.error({ err }, 'TWS: feed listener failed');
        }
      },
      onSwitched: (from, to, why) => {
        if (s !== this.slot.current || s.closed) return;
        this.log.warn({ from, to, why }, 'TWS: event feed switched; re-syncing');
        if (from !== null && this.conn.feeds.indexOf(to) > this.conn.feeds.indexOf(from)) {
          this.notice('warning', 'twsFeed', `The TWS event feed fell back to ${labelOf(to)} (${why})`);
        }
        void this.resync(s, `after switching to ${to}`);
      },
      onAllFailed: (err) => {
        if (s !== this.slot.current || s.closed) return;
        this.log.warn({ code: err.code, err: err.message }, 'TWS: every event feed failed');
        this.listeners?.lost(err.code === 'authFailed' ? err : new CtiError(err.code === 'sessionLost' ? 'sessionLost' : 'unreachable', err.message, err.vendorCode));
      },
      reauthenticate: () => s.session.renew(),
      retryPreferredMs: this.o.retryPreferredMs,
      settleMs: this.timing.tokenCheckMs,
      log: this.log,
    });
  }

  private createFeed(s: Session, ctx: FeedContext, kind: TwsFeed, cb: FeedCallbacks): EventFeed {
    switch (kind) {
      case 'tcp':
        return createTcpFeed(ctx, { port: this.conn.tcpPort, token: s.session.token }, cb);
      case 'websocket':
        return createWsFeed(ctx, { port: this.conn.wsPort, secure: this.conn.wss, tls: s.trust, token: s.session.token, path: this.o.wsPath }, cb);
      case 'poll':
        return createPollFeed(ctx, this.pollApi(s), cb);
    }
  }

  /** The event web service, always in SOAP ("the best way", L2152). */
  private pollApi(s: Session): PollApi {
    return {
      connect: async () => {
        const id = await s.session.run('connect to the TWS event service', (token) => requests.connectToEventService({ token }), decodeStringResult, { nullIsRefusal: true, api: 'soap' });
        const t = (id ?? '').trim();
        if (!t) throw new CtiError('sessionLost', 'the TWS event service gave no event id');
        s.http.addSecret(t);
        return t;
      },
      getEvent: async (eventToken, signal) => {
        const reply = await s.http.call(requests.getEvent({ eventToken }), 'soap', { timeoutMs: this.o.pollWaitMs + 15_000, signal });
        if (reply.kind === 'fault') throw new CtiError('sessionLost', `TWS_GetEvent: ${reply.message}`, 'fault');
        const d = decodeGetEventResult(reply.body, reply.format, { maxBytes: this.timing.maxFrameBytes });
        if (!d.ok) return { bad: { kind: d.error.kind, message: d.error.message } };
        return { event: d.value };
      },
      disconnect: async (eventToken) => {
        await s.http.call(requests.disconnectFromEventService({ eventToken }), 'soap', { timeoutMs: STOP_TIMEOUT_MS }).catch(() => undefined);
      },
    };
  }

  stop(): Promise<void> {
    return this.slot.stop();
  }

  /** Feeds, monitor, HTTP. Idempotent; never throws. */
  private async teardown(s: Session): Promise<void> {
    if (!this.slot.retire(s)) return;
    if (s.resyncTimer) clearTimeout(s.resyncTimer);
    try {
      await s.feeds?.stop().catch(() => undefined);
      if (s.session.id) await s.session.stopMonitor(STOP_TIMEOUT_MS).catch((err: unknown) => this.log.debug({ err: CtiError.from(err).message }, 'TWS: stop monitor failed'));
    } catch (err) {
      this.log.debug({ err }, 'TWS: teardown');
    } finally {
      s.session.close();
      s.http.close();
    }
  }

  private requireSession(): Session {
    const s = this.slot.current;
    if (!s || s.closed || !s.session.id) throw new CtiError('notConnected', 'no TWS session');
    return s;
  }

  // ================================================================ state

  snapshot(): Promise<SnapshotEvent> {
    if (!this.snapshotInFlight) {
      this.snapshotInFlight = this.fetchSnapshot().finally(() => {
        this.snapshotInFlight = null;
      });
    }
    return this.snapshotInFlight;
  }

  private async queryCalls(s: Session): Promise<TwsCco[]> {
    const ccos = await s.session.run('list the calls', (token) => requests.queryCalls({ token, device: this.device }), decodeCallsSnapshot, { nullIsRefusal: true });
    return ccos ?? [];
  }

  private tolerate<T>(p: Promise<T>, what: string): Promise<T | null> {
    return p.catch((err: unknown) => {
      const e = CtiError.from(err);
      if (e.code === 'sessionLost' || e.code === 'unreachable' || e.code === 'authFailed') throw e;
      this.log.warn({ code: e.code, err: e.message }, `TWS: ${what} unavailable`);
      return null;
    });
  }

  private async fetchSnapshot(): Promise<SnapshotEvent> {
    const s = this.requireSession();
    this.held ??= [];
    let ok = false;
    try {
      const [ccos, agentState, forwards] = await Promise.all([
        this.queryCalls(s),
        this.isAgent ? this.tolerate(this.readAgentState(s), 'the agent state') : Promise.resolve(null),
        this.tolerate(this.readForwards(s), 'the forward state'),
      ]);
      await this.tolerate(this.readColleagues(s), 'the colleagues');
      this.absorbing = true;
      try {
        this.tracker.reconcile(ccos);
        if (agentState !== null) this.setAgent(agentState);
        if (forwards !== null) this.features = { ...this.features, forwards };
        const held = this.held ?? [];
        this.held = null;
        for (const ev of held) this.onTwsEvent(ev);
      } finally {
        this.absorbing = false;
      }
      ok = true;
      for (const c of this.tracker.calls()) this.maybeReadCallData(c.id);
      const snap: SnapshotEvent = {
        type: 'snapshot',
        at: this.now(),
        calls: this.tracker.calls(),
        agent: this.isAgent ? this.agent : null,
        features: { ...this.features, forwards: [...this.features.forwards] },
      };
      if (this.board.numbers.length > 0) snap.colleagues = this.board.list();
      return snap;
    } finally {
      if (!ok) {
        const held = this.held ?? [];
        this.held = null;
        for (const ev of held) this.onTwsEvent(ev);
      }
    }
  }

  /** EPresenceAgent of the device; no agent there (-4) = logged off. */
  private async readAgentState(s: Session): Promise<AgentStateName | 'none'> {
    try {
      const r = await s.session.run('read the agent state', (token) => requests.queryAgentState({ token, device: this.device }), decodeAgentStateResult);
      return r.state ?? 'none';
    } catch (err) {
      const e = CtiError.from(err);
      if (e.vendorCode === 'deviceNotFound') return 'LoggedOff';
      throw e;
    }
  }

  private setAgent(state: AgentStateName | 'none'): void {
    const next = mapAgent(state === 'none' ? null : state, { prev: this.agent, now: this.now(), agentId: this.profile.agentId || this.device, group: this.conn.agentGroup || undefined });
    if (this.agent && JSON.stringify(this.agent) === JSON.stringify(next)) return;
    this.agent = next;
    this.emit({ type: 'agent', agent: next });
  }

  private async readForwards(s: Session) {
    const userGuid = s.session.id?.userGuid;
    const info = await s.session.run(
      'read the forwards',
      (token) => (userGuid ? requests.queryForward({ token, userGuid }) : requests.queryForward({ token, device: this.device })),
      decodeForwardInfo,
    );
    return forwardsOf(info);
  }

  private async devicesState(s: Session, number: string): Promise<DeviceInfo | null> {
    const domainGuid = s.session.id?.domainGuid;
    if (!domainGuid) return null;
    const ask = (protocol: 'CSTA' | 'VTIXML') =>
      s.session.run(`read the state of ${number}`, () => requests.devicesState({ domainGuid, protocol, first: number, last: number }), decodeDevicesState, { noRenew: true });
    let list = await ask(s.protocol);
    if (list.length === 0 && s.protocol === 'CSTA') {
      const other = await ask('VTIXML');
      if (other.length > 0) {
        s.protocol = 'VTIXML';
        list = other;
      }
    }
    return list.find((d) => (d.device ?? '').trim() === number) ?? list[0] ?? null;
  }

  private async readColleagues(s: Session): Promise<void> {
    const numbers = this.board.numbers;
    if (numbers.length === 0 || !s.session.id?.domainGuid) return;
    for (let i = 0; i < numbers.length; i += 10) {
      const chunk = numbers.slice(i, i + 10);
      const infos = await Promise.all(chunk.map((n) => this.devicesState(s, n).catch(() => null)));
      // The snapshot carries the list; no colleague events here.
      chunk.forEach((n, j) => this.board.deviceState(n, infos[j] ?? null));
    }
  }

  async keepAlive(): Promise<KeepAliveResult> {
    const s = this.requireSession();
    // A feed failure reported before the link was up (lost() is ignored then) surfaces here.
    if (s.feeds?.dead) throw new CtiError('unreachable', 'every TWS event feed failed');
    const ccos = await this.queryCalls(s);
    const mine = this.tracker.signature().split(',').filter(Boolean);
    const theirs = this.tracker.listingSignature(ccos).split(',').filter(Boolean);
    const a = new Set(mine);
    const b = new Set(theirs);
    const missed = mine.filter((x) => !b.has(x)).length + theirs.filter((x) => !a.has(x)).length;
    const silent = s.eventsSinceKeepAlive === 0;
    s.eventsSinceKeepAlive = 0;
    const pbxLinkUp = await this.ownLinkUp(s);
    if (pbxLinkUp !== this.pbxLinkUp) {
      this.pbxLinkUp = pbxLinkUp;
      this.log.warn({ pbxLinkUp }, 'TWS: PBX link state changed');
    }
    if (this.isAgent && s.feeds?.active === 'poll') {
      // Agent events are not delivered by polling (§4.2 [SIM]): read the state.
      const st = await this.tolerate(this.readAgentState(s), 'the agent state');
      if (st !== null) this.setAgent(st);
    }
    if (missed === 0) return { missedEvents: 0, pbxLinkUp };
    if (silent && s.feeds?.active) s.feeds.recycle(`${missed} call changes were missed while the ${labelOf(s.feeds.active)} was silent`);
    // The server's monitor of the phone may be stale too (§4.9): have it rebuilt, then re-read.
    await this.tolerate(
      this.send(s, 'reset the device monitor', (token) => requests.resetMonitor({ token, device: this.device })),
      'the device monitor reset',
    );
    const snapshot = await this.snapshot();
    return { missedEvents: missed, pbxLinkUp, snapshot };
  }

  /** GetDevicesState of the agent's own device: ProviderLinkNull (or out of service) = no PBX link. */
  private async ownLinkUp(s: Session): Promise<boolean> {
    try {
      const info = await this.devicesState(s, this.device);
      if (!info?.state) return true;
      const st = info.state.trim().toLowerCase();
      return st !== 'providerlinknull' && st !== 'outofservice';
    } catch (err) {
      const e = CtiError.from(err);
      if (e.code === 'unreachable' || e.code === 'sessionLost') throw e;
      return true;
    }
  }

  // ================================================================ events

  private emit(e: CtiEvent): void {
    if (this.absorbing && (e.type === 'call' || e.type === 'callEnded' || e.type === 'agent' || e.type === 'features' || e.type === 'colleague')) return;
    try {
      this.listeners?.event(e);
    } catch (err) {
      this.log.error({ err, type: e.type }, 'TWS: event listener failed');
    }
  }

  private notice(level: 'info' | 'warning' | 'error', code: string, message: string): void {
    this.emit({ type: 'notice', level, code, message: message.slice(0, 1024), at: this.now() });
  }

  private emitCalls(events: readonly CallTrackerEvent[]): void {
    for (const e of events) {
      this.emit(e);
      if (e.type === 'callEnded') {
        this.dataKeys.delete(e.callId);
        this.dataRead.delete(e.callId);
        continue;
      }
      if (this.absorbing) continue;
      this.afterCallChange(e.call.id);
    }
  }

  private onTwsEvent(ev: TwsEvent): void {
    if (this.held) {
      this.held.push(ev);
      return;
    }
    switch (ev.kind) {
      case 'call': {
        const unknownBefore = this.tracker.unknownStates;
        this.emitCalls(this.tracker.apply(ev.ccos));
        if (this.tracker.unknownStates !== unknownBefore) this.resyncSoon('an unknown call state');
        return;
      }
      case 'agent':
        if (!this.isAgent) return;
        this.setAgent(ev.agent.state ?? 'none');
        return;
      case 'supervision': {
        const c = this.board.supervision(ev.supervision);
        if (c) this.emit({ type: 'colleague', colleague: c });
        return;
      }
      case 'forward': {
        const s = this.slot.current;
        if (!s) return;
        void this.tolerate(this.readForwards(s), 'the forward state').then(
          (forwards) => {
            if (forwards === null || s !== this.slot.current) return;
            this.features = { ...this.features, forwards };
            this.emit({ type: 'features', features: { forwards: [...forwards] } });
          },
          () => undefined,
        );
        return;
      }
      case 'presence':
      case 'unknown':
      case 'audit':
        this.log.debug({ kind: ev.kind, eventType: ev.envelope.eventType }, 'TWS: event ignored');
        return;
    }
  }

  private onBadFrame(s: Session, kind: string, message: string, feed: TwsFeed): void {
    if (s !== this.slot.current || s.closed) return;
    this.log.warn({ kind, err: message, feed }, 'TWS: unreadable event skipped');
    if (s.resyncTimer) clearTimeout(s.resyncTimer);
    s.resyncTimer = setTimeout(() => {
      s.resyncTimer = null;
      void this.resync(s, 'after an unreadable event');
    }, this.o.badFrameResyncMs);
  }

  private resyncSoon(why: string): void {
    const s = this.slot.current;
    if (!s || s.resyncTimer) return;
    s.resyncTimer = setTimeout(() => {
      s.resyncTimer = null;
      void this.resync(s, why);
    }, this.o.badFrameResyncMs);
  }

  private async resync(s: Session, why: string): Promise<void> {
    if (s !== this.slot.current || s.closed) return;
    try {
      const snap = await this.snapshot();
      if (s === this.slot.current) this.emit(snap);
    } catch (err) {
      const e = CtiError.from(err);
      this.log.warn({ code: e.code, err: e.message }, `TWS: resync ${why} failed`);
      if ((e.code === 'sessionLost' || e.code === 'authFailed') && s === this.slot.current) this.listeners?.lost(e);
    }
  }

  /** Call data: read it for a new inbound call; write dialled data; re-key it when the call log id appears. */
  private afterCallChange(callId: string): void {
    const loc = this.tracker.locate(callId);
    const s = this.slot.current;
    if (!loc || !s) return;
    const key = dataKey(loc);
    const known = this.dataKeys.get(callId);
    if (known !== undefined && known !== key) {
      this.dataKeys.set(callId, key);
      void s.session
        .int('re-key the call data', () => requests.changeCallDataKey({ oldKey: known, newKey: key }), { noRenew: true })
        .catch((err: unknown) => this.log.info({ err: CtiError.from(err).message }, 'TWS: ChangeKeyCallData failed'));
      return;
    }
    if (known === undefined && loc.call.direction === 'outbound' && Object.keys(loc.call.data).length > 0) {
      this.dataKeys.set(callId, key);
      void s.session
        .int('attach call data', () => requests.setCallData({ key, data: serializeCallData(loc.call.data), add: false }), { noRenew: true })
        .catch((err: unknown) => this.log.info({ err: CtiError.from(err).message }, 'TWS: SetCallData failed'));
      return;
    }
    this.maybeReadCallData(callId);
  }

  /** TWS_GetCallData for an inbound call once it rings here, keyed by its m_callLogId. */
  private maybeReadCallData(callId: string): void {
    const loc = this.tracker.locate(callId);
    const s = this.slot.current;
    if (!loc || !s || this.dataRead.has(callId) || loc.call.direction !== 'inbound' || !loc.callLogId) return;
    this.dataRead.add(callId);
    const key = dataKey(loc);
    void s.session.run('read the call data', () => requests.getCallData({ key }), decodeStringResult, { noRenew: true }).then(
      (text) => {
        const data = parseCallData(text);
        if (Object.keys(data).length === 0 || s !== this.slot.current) return;
        this.dataKeys.set(callId, key);
        this.emitCalls(this.tracker.setData(callId, data));
      },
      (err: unknown) => this.log.info({ err: CtiError.from(err).message }, 'TWS: GetCallData failed'),
    );
  }

  // ================================================================ commands

  private live(callId: string): TwsCallLocation {
    const loc = this.tracker.locate(callId);
    if (!loc) throw new CtiError('noCall', `no such call ${callId}`);
    return loc;
  }

  private async normalize(s: Session, to: string): Promise<string> {
    const cleaned = dial(to);
    const n = await s.session.run('normalize the number', (token) => requests.normalizeNumber({ token, number: cleaned }), decodeStringResult, { nullIsRefusal: true });
    const out = (n ?? '').trim();
    if (!out) throw new CtiError('invalid', `TWS could not make a dialable number of "${to}"`);
    return out;
  }

  private send(s: Session, what: string, build: (token: string) => TwsRequest): Promise<number> {
    return s.session.int(what, build);
  }

  async execute(cmd: Command): Promise<void> {
    if (!this.capabilities.has(cmd.kind)) {
      throw new CtiError('unsupported', unsupportedWhy(cmd.kind, this.conn.pbx));
    }
    const s = this.requireSession();
    const device = this.device;
    switch (cmd.kind) {
      case 'makeCall': {
        const to = await this.normalize(s, cmd.to);
        this.tracker.expectDialled(to, cmd.data);
        const own = this.ownDevice(s);
        try {
          await this.send(s, 'make a call', (token) => requests.makeCall({ token, device: own, to }));
        } catch (err) {
          // The server no longer monitors the phone (an administrator reset it, a licence was
          // taken back): place the call without a monitor (TWS_OpenMakeCall, the OpenCall
          // authorization) and have the monitor restarted by a resync.
          if (err instanceof CtiError && err.vendorCode === 'deviceNotFound') {
            try {
              await this.send(s, 'make a call without a monitor', (token) => requests.openMakeCall({ token, device: own, to }));
              this.log.warn({ device }, 'TWS: the phone was not monitored; the call was placed with TWS_OpenMakeCall, re-monitoring');
              this.listeners?.lost(new CtiError('sessionLost', 'TWS no longer monitored the phone; signing in again'));
              return;
            } catch {
              // Report the first error: it says why.
            }
          }
          this.tracker.dropDialHint(to);
          throw err;
        }
        return;
      }
      case 'redial':
        await this.send(s, 'redial', (token) => requests.redial({ token, device: this.ownDevice(s) }));
        return;
      case 'answer': {
        const loc = this.live(cmd.callId);
        if (!loc.call.allowed.includes('answer')) {
          if (loc.call.state === 'alerting' || loc.call.state === 'queued') {
            throw new CtiError('notPermitted', 'TWS answers the first ringing call only; answer the oldest ringing call first (TWS cannot answer a chosen call)');
          }
          throw new CtiError('notPermitted', `the call is ${loc.call.state}, not ringing`);
        }
        await this.send(s, 'answer', (token) => requests.answer({ token, device: this.ownDevice(s) }));
        return;
      }
      case 'clear': {
        const loc = this.live(cmd.callId);
        await this.send(s, 'hang up', (token) => requests.clear({ token, device, call: loc.connectionId }));
        return;
      }
      case 'hold': {
        const loc = this.live(cmd.callId);
        await this.send(s, 'hold', (token) => requests.hold({ token, device, call: loc.connectionId }));
        return;
      }
      case 'retrieve': {
        const loc = this.live(cmd.callId);
        await this.send(s, 'retrieve', (token) => requests.retrieve({ token, device, call: loc.connectionId }));
        return;
      }
      case 'consult': {
        const loc = this.live(cmd.callId);
        const to = await this.normalize(s, cmd.to);
        this.tracker.expectDialled(to, cmd.data);
        try {
          await this.send(s, 'consult', (token) => requests.consult({ token, device, call: loc.connectionId, to }));
        } catch (err) {
          this.tracker.dropDialHint(to);
          throw err;
        }
        return;
      }
      case 'alternate':
      case 'conference': {
        const loc = this.live(cmd.callId);
        if (!loc.call.allowed.includes(cmd.kind)) throw new CtiError('noCall', `${cmd.kind} needs a held call and another call on the device`);
        const own = this.ownDevice(s);
        if (cmd.kind === 'alternate') await this.send(s, 'alternate', (token) => requests.alternate({ token, device: own }));
        else await this.send(s, 'conference', (token) => requests.conference({ token, device: own }));
        return;
      }
      case 'transfer': {
        if (cmd.to === undefined) {
          throw new CtiError('unsupported', 'TWS cannot complete an attended transfer (it has no transfer function after a consultation); transfer blind to a number, or complete it on the phone');
        }
        const loc = this.live(cmd.callId);
        const to = await this.normalize(s, cmd.to);
        await this.send(s, 'transfer', (token) => requests.transfer({ token, device, call: loc.connectionId, to }));
        return;
      }
      case 'redirect': {
        const loc = this.live(cmd.callId);
        const to = await this.normalize(s, cmd.to);
        // A call waiting in a queue (seen by a user with queue visibility) leaves the queue with
        // TWS_DivertCallFromQueue; a call ringing here is diverted from this phone.
        const queue = loc.call.state === 'queued' && loc.call.ref.device !== device ? loc.call.ref.device : null;
        if (queue) await this.send(s, 'divert from the queue', (token) => requests.divertFromQueue({ token, call: loc.connectionId, queue, to }));
        else await this.send(s, 'redirect', (token) => requests.divert({ token, device, call: loc.connectionId, to }));
        return;
      }
      case 'park': {
        const loc = this.live(cmd.callId);
        const to = cmd.to !== undefined ? dial(cmd.to) : '';
        await this.send(s, 'park', (token) => requests.park({ token, device, call: loc.connectionId, to }));
        return;
      }
      case 'unpark': {
        const slot = cmd.from !== undefined ? dial(cmd.from) : device;
        const prefix = this.conn.unparkPrefix;
        if (!prefix) throw new CtiError('invalid', 'the profile has no unpark facility prefix');
        await this.send(s, 'unpark', (token) => requests.unpark({ token, prefix, slot }));
        return;
      }
      case 'setForward':
        return this.setForward(s, cmd.type, cmd.to, cmd.on);
      case 'setCallData': {
        const loc = this.live(cmd.callId);
        const key = dataKey(loc);
        const merged: CallData = { ...loc.call.data, ...cmd.data };
        await s.session.int('attach call data', () => requests.setCallData({ key, data: serializeCallData(merged), add: false }), { noRenew: true });
        this.dataKeys.set(loc.call.id, key);
        this.emitCalls(this.tracker.setData(loc.call.id, merged, true));
        return;
      }
      case 'setAgentState':
        return this.setAgentState(s, cmd.state, cmd.reason);
      case 'snapshot':
        this.emit(await this.snapshot());
        return;
      default:
        throw new CtiError('unsupported', unsupportedWhy(cmd.kind, this.conn.pbx));
    }
  }

  private async setForward(s: Session, type: Extract<Command, { kind: 'setForward' }>['type'], to: string | undefined, on: boolean): Promise<void> {
    const twsType = twsForwardTypeOf[type];
    if (!twsType) throw new CtiError('invalid', `TWS has no ${type} forward`);
    const userGuid = s.session.id?.userGuid;
    if (!userGuid) throw new CtiError('notPermitted', 'TWS gave no user id for this login (an ephemeral admin token?); forwards cannot be set');
    if (on) {
      if (!to || dial(to) === '') throw new CtiError('invalid', 'a forward needs a destination');
      const dest = dial(to);
      await s.session.int('set a forward', (token) => requests.forwardOn({ token, userGuid, to: dest, type: twsType }));
    } else {
      await s.session.int('cancel a forward', (token) => requests.forwardOff({ token, userGuid, type: twsType }));
    }
    const forwards = await this.tolerate(this.readForwards(s), 'the forward state');
    if (forwards !== null) {
      this.features = { ...this.features, forwards };
      this.emit({ type: 'features', features: { forwards: [...forwards] } });
    }
  }

  private async setAgentState(s: Session, state: AgentInfo['state'], reason: string | undefined): Promise<void> {
    const device = this.device;
    const agentId = this.profile.agentId || device;
    const password = this.deps.secret?.agentPassword ?? '';
    if (reason) this.log.info({ reason }, 'TWS has no not-ready reasons; the reason stays local');
    switch (state) {
      case 'loggedOn':
        await s.session.int('log on the agent', (token) => requests.agentLogin({ token, device, agentDevice: device, agentId, agentGroup: this.conn.agentGroup, password }));
        break;
      case 'loggedOff':
        await s.session.int('log off the agent', (token) => requests.agentLogout({ token, device, agentId, password }));
        break;
      case 'ready':
      case 'notReady':
      case 'wrapUp':
      case 'busy': {
        const st = ({ ready: 'Ready', notReady: 'NotReady', wrapUp: 'WorkingAfterCall', busy: 'AgentBusy' } as const)[state];
        await s.session.int('set the agent state', (token) => requests.setAgentState({ token, agentId, state: st }));
        break;
      }
      default:
        throw new CtiError('invalid', `the agent state ${state} cannot be requested`);
    }
    const st = await this.tolerate(this.readAgentState(s), 'the agent state');
    if (st !== null) this.setAgent(st);
  }

  // ================================================================ queries

  async query(q: Query): Promise<QueryResult> {
    const s = this.requireSession();
    switch (q.kind) {
      case 'directory':
        return this.directory(s, q.text, q.limit);
      case 'vendorHistory':
        return this.history(s, q);
      case 'queues':
        throw new CtiError('unsupported', 'TWS has no queue statistics (no list of waiting calls, agents or groups)');
    }
  }

  private async directory(s: Session, text: string, limit: number): Promise<DirectoryEntry[]> {
    const v = await s.session.value('search the directory', (token) => requests.searchPeople({ token, search: text.trim() }));
    return directoryEntries(v, limit);
  }

  private async history(s: Session, q: Extract<Query, { kind: 'vendorHistory' }>): Promise<CallLogRow[]> {
    const userGuid = s.session.id?.userGuid;
    if (!userGuid) throw new CtiError('notPermitted', 'TWS gave no user id for this login; its call log cannot be read');
    const entries = await s.session.run('read the call log', () => requests.callLog({ userGuid, page: 1, length: q.limit, search: callLogSearch.all }), decodeCallLog, { noRenew: true });
    const ctx = { profileId: this.profile.id, device: this.device };
    const since = q.since ? Date.parse(`${q.since}T00:00:00`) : undefined;
    const needle = q.text?.trim().toLowerCase();
    return entries
      .map((e) => callLogRow(e, ctx))
      .filter((r): r is CallLogRow => r !== null)
      .filter((r) => since === undefined || r.startedAt >= since)
      .filter((r) => !needle || r.remoteNumber.toLowerCase().includes(needle) || (r.remoteName ?? '').toLowerCase().includes(needle) || (r.remoteCompany ?? '').toLowerCase().includes(needle))
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, q.limit);
  }
}

function labelOf(kind: TwsFeed): string {
  return { tcp: 'TCP event socket', websocket: 'WebSocket', poll: 'web-service polling' }[kind];
}

/** The call-data key: m_callLogId (stable for the whole call, unguessable), else the connection. */
function dataKey(loc: TwsCallLocation): string {
  return loc.callLogId ?? loc.connectionId;
}

function unsupportedWhy(kind: CommandKind, pbx: TwsConnection['pbx']): string {
  switch (kind) {
    case 'sendDtmf':
      return 'TWS has no function to send DTMF';
    case 'setAgentState':
      return pbx === 'alcatel' ? 'tws does not support setAgentState' : 'TWS agent functions need an Alcatel PBX (the profile says another PBX)';
    case 'record':
      return 'TWS has no recording control';
    case 'addParty':
      return 'TWS cannot add a party by number; consult the party, then conference';
    case 'reconnect':
      return 'TWS has no reconnect; hang up the consultation, then retrieve the held call';
    case 'pickup':
      return 'TWS has no call pick-up function';
    case 'setDnd':
      return 'TWS has no do-not-disturb function';
    case 'callBack':
    case 'transactionCode':
    case 'supervisorHelp':
    case 'intrude':
    case 'permanentListen':
    case 'setGroup':
    case 'setOverflow':
    case 'acknowledgeMissed':
      return `TWS has no ${kind} function`;
    default:
      return `tws does not support ${kind}`;
  }
}

