// The O2G connector (main/core/connector.ts): an Alcatel-Lucent OmniPCX Enterprise seen through
// its O2G REST API (manual shared/seeds/003_cb171520833ad09c.txt, digest shared/digests/003-o2g.md).
// One connector serves one user session (profile login) and follows the profile's device.
//
// start():    discovery → version 1.0 → Basic authentication → POST /sessions → GET /users/{login}
//             → GET /acd/agent/config → POST /subscriptions → open the event channel and wait for
//             its first OnChannelInformation (digest §8). On a primary that is unreachable, times
//             out or answers 5xx, the whole start-up runs against the secondary (HA, L172–L175).
// channel:    re-opened on the same URL when it ends (at once after a clean end or an idle
//             timeout, then with back-off), then a snapshot resyncs the desktop; a 403/404 on
//             re-open means the session or subscription is gone → listeners.lost (full restart).
// keepAlive(): POST /sessions/keepalive; reports the CTI link (OnCtiLinkDown/Up).
// stop():     DELETE /subscriptions/{id}, DELETE /sessions; never throws.
import type { CallLogRow } from '../../../shared/calllog.js';
import { CtiError, commandKinds, type Command, type CommandKind, type Query, DIRECTORY_CAPABILITY } from '../../../shared/commands.js';
import type { CtiEvent, SnapshotEvent } from '../../../shared/events.js';
import type { AgentInfo, CallData as NormalizedCallData, DeviceFeatures, DirectoryEntry } from '../../../shared/model.js';
import type { O2gConnection, O2gServer, Profile } from '../../../shared/profile.js';
import { backoffDelay } from '../../core/backoff.js';
import type { Connector, ConnectorDeps, ConnectorListeners, KeepAliveResult, QueryResult } from '../../core/connector.js';
import { createTrace, type Logger, type TraceFn } from '../../core/log.js';
import { openEventChannel, type ChannelEnd, type EventChannel } from './channel.js';
import {
  AgentConfig,
  AgentState,
  Calls,
  ComHistoryRecords,
  EventSummary,
  O2gCall,
  RoutingState,
  SearchResult,
  Subscription,
  User,
  WithdrawReasons,
  type CodecError,
  type O2gEvent,
} from './codec.js';
import { isFailoverError } from './errors.js';
import { SessionSlot } from '../session-slot.js';
import { loadTlsTrust } from '../tls.js';
import { O2gHttp, type TlsTrust } from './http.js';
import { isLongId, recordIdsBody } from './json.js';
import {
  associatedFromCallData,
  CallTracker,
  COMLOG_ID_PREFIX,
  comlogRow,
  directoryEntry,
  mapAgent,
  mapEventSummary,
  mapRouting,
  o2gForwardType,
  reasonIndex,
  reasonLabels,
  type CallLocation,
  type CallTrackerEvent,
} from './mapping.js';
import { bootstrap, call, closeSession, pickUrl, resolveServerUrl, serverLabel, type OpenSession } from './session.js';

/**
 * What O2G has no request for: adding a party by number (only merging a held call), redial, refusing
 * an offered call with a reason, dispositions and panic logout (CTIPS), changing another agent's
 * state, and the desk's own queued state (applied by the desk with setAgentState).
 */
const o2gLacks: ReadonlySet<CommandKind> = new Set<CommandKind>(['addParty', 'redial', 'reject', 'setDisposition', 'panicLogout', 'setNextAgentState', 'setTeamAgentState']);
export const o2gCapabilities: ReadonlySet<CommandKind> = new Set(commandKinds.filter((k) => !o2gLacks.has(k)));

/** Event packages (digest §2.2 [EXT] names). The optional ones are dropped if the server refuses them. */
const OPTIONAL_PACKAGES = ['system', 'user'];

export interface O2gConnectorOptions {
  /** First delay before re-opening the event channel after an error; doubles up to the max. */
  channelRetryMs?: number;
  channelRetryMaxMs?: number;
  /** Directory search poll interval (the manual suggests ~500 ms, L3709). */
  directoryPollMs?: number;
  /** Longest event line accepted. */
  maxLineBytes?: number;
  /** HTTP method that opens the event channel. */
  channelMethod?: 'GET' | 'POST';
  random?: () => number;
}

export function createO2gConnector(deps: ConnectorDeps, options: O2gConnectorOptions = {}): Connector {
  return new O2gConnectorImpl(deps, options);
}

interface Session {
  gen: number;
  http: O2gHttp;
  server: O2gServer;
  open: OpenSession | null;
  subscriptionId: string | null;
  pollingUrl: string | null;
  /** GET first (the tutorial's browser); POST (ALE's SDK) when GET is refused with 405. */
  channelMethod: 'GET' | 'POST';
  channel: EventChannel | null;
  channelReady: boolean;
  /** When the channel last became ready. */
  readyAt: number;
  reopenAttempt: number;
  downNotified: boolean;
  reopenTimer: NodeJS.Timeout | null;
  /** A resync scheduled after an unreadable line (it may have swallowed events). */
  resyncTimer: NodeJS.Timeout | null;
  sessionTimer: NodeJS.Timeout | null;
  closed: boolean;
  badLines: number;
  /** The subscription carries the `system` package (OnCtiLinkDown/Up); admin sessions only, as a rule. */
  systemEvents: boolean;
}

/** Start-up errors that stop it, even on an optional step. */
const fatalAtStart = new Set(['sessionLost', 'unreachable', 'timeout', 'notConnected', 'linkDown']);

const dial = (to: string) => to.replace(/[\s().-]/g, '');
const STOP_TIMEOUT_MS = 1500;
/** Quiet time after the last unreadable event line before the resync. */
const BAD_LINE_RESYNC_MS = 150;
/** A channel up this long counts as healthy: its next failure re-opens at once again. */
const STABLE_CHANNEL_MS = 2000;
const ASSOCIATED_DATA_MAX_BYTES = 32;

class O2gConnectorImpl implements Connector {
  readonly vendor = 'o2g' as const;
  readonly capabilities = o2gCapabilities;
  readonly extraCapabilities: readonly string[] = [DIRECTORY_CAPABILITY];

  private readonly profile: Profile;
  private readonly conn: O2gConnection;
  private readonly password: string;
  private readonly log: Logger;
  private readonly trace: TraceFn;
  private readonly now: () => number;
  private readonly options: Required<Omit<O2gConnectorOptions, 'random'>> & { random: () => number };
  /** The call-identity table: lives as long as the connector, across restarts. */
  private readonly tracker: CallTracker;

  private listeners: ConnectorListeners | null = null;
  private readonly slot = new SessionSlot<Session>((s) => this.teardown(s));
  /** The HA server that last started successfully (tried first next time). */
  private active: O2gServer | null = null;
  private announced: string | null = null;

  // model state, kept across restarts
  private user: User | null = null;
  private agentConfig: AgentConfig | null = null;
  private isAcd = false;
  private agentState: AgentState | null = null;
  private agent: AgentInfo | null = null;
  private reasons = new Map<string, WithdrawReasons | null>();
  private features: DeviceFeatures = { forwards: [], dnd: false, messageWaiting: false };
  private linkDownNodes = new Set<string>();
  private helpRequested = false;
  private helpSupervisor: string | undefined;
  private helpRequests = new Set<string>();
  private intrusion: AgentInfo['intrusion'];
  private deviceOutOfService = false;
  /** OnUserStateModified FREE while calls are still listed: an event was lost. */
  private freeWithCalls = false;
  /** Events that arrive while a snapshot is fetched are held, then folded into it. */
  private held: O2gEvent[] | null = null;
  private absorbing = false;
  /** Sessions this connector opened; from the second on (a re-login) the server snapshots are asked too. */
  private sessionsOpened = 0;
  private snapshotInFlight: Promise<SnapshotEvent> | null = null;
  private directoryLock: Promise<unknown> = Promise.resolve();

  constructor(deps: ConnectorDeps, options: O2gConnectorOptions) {
    const connection = deps.profile.connection;
    if (connection.vendor !== 'o2g') throw new CtiError('invalid', 'not an O2G profile');
    this.profile = deps.profile;
    this.conn = connection;
    this.password = deps.secret?.password ?? '';
    this.log = deps.log.child({ connector: 'o2g', login: connection.login, device: deps.profile.device });
    this.trace = createTrace(this.log, deps.profile.trace);
    this.now = deps.now ?? Date.now;
    this.options = {
      channelRetryMs: options.channelRetryMs ?? 1000,
      channelRetryMaxMs: options.channelRetryMaxMs ?? 30_000,
      directoryPollMs: options.directoryPollMs ?? 300,
      maxLineBytes: options.maxLineBytes ?? 1024 * 1024,
      channelMethod: options.channelMethod ?? 'GET',
      random: options.random ?? Math.random,
    };
    this.tracker = new CallTracker({ device: deps.profile.device, login: connection.login, now: this.now });
  }

  setListeners(l: ConnectorListeners): void {
    this.listeners = l;
  }

  private get device(): string {
    return this.profile.device;
  }

  private get timeoutMs(): number {
    return this.profile.commandTimeoutMs;
  }

  // ================================================================ lifecycle

  async start(): Promise<void> {
    if (this.slot.stopping) await this.slot.stopping;
    if (this.slot.current) await this.stop();
    if (!this.password) throw new CtiError('authFailed', 'no O2G password (secret code) is stored for this profile');
    const gen = ++this.slot.gen;
    const servers = this.serverOrder();
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i] as O2gServer;
      const hasFallback = i < servers.length - 1;
      try {
        await this.startOn(server, gen, hasFallback);
        this.active = server;
        this.announce(server);
        return;
      } catch (err) {
        const e = CtiError.from(err);
        if (gen !== this.slot.gen) throw new CtiError('notConnected', 'the O2G start-up was cancelled');
        if (hasFallback && isFailoverError(e)) {
          this.log.warn({ server: serverLabel(server), code: e.code, err: e.message }, 'O2G: server unavailable; trying the other server of the HA pair');
          continue;
        }
        throw e;
      }
    }
    throw new CtiError('unreachable', 'no O2G server configured');
  }

  private serverOrder(): O2gServer[] {
    const all = [this.conn.primary, ...(this.conn.secondary ? [this.conn.secondary] : [])];
    if (this.active && all.length > 1) {
      const a = this.active;
      return [a, ...all.filter((s) => s !== a)];
    }
    return all;
  }

  private announce(server: O2gServer): void {
    const label = serverLabel(server);
    if (this.announced === label) return;
    this.announced = label;
    const secondary = server === this.conn.secondary;
    if (secondary) this.notice('warning', 'o2gServer', `Connected to the secondary O2G server ${label} (the primary ${serverLabel(this.conn.primary)} is not available)`);
    else this.notice('info', 'o2gServer', `Connected to the ${this.conn.secondary ? 'primary ' : ''}O2G server ${label}`);
  }

  private async loadTrust(server: O2gServer): Promise<TlsTrust> {
    return server.https ? loadTlsTrust(this.conn.tls, 'O2G') : {};
  }

  private async startOn(server: O2gServer, gen: number, hasFallback: boolean): Promise<void> {
    const http = new O2gHttp({ tls: await this.loadTrust(server), timeoutMs: this.timeoutMs, trace: this.trace });
    const s: Session = {
      gen,
      http,
      server,
      open: null,
      subscriptionId: null,
      pollingUrl: null,
      channelMethod: this.options.channelMethod,
      channel: null,
      channelReady: false,
      readyAt: 0,
      reopenAttempt: 0,
      downNotified: false,
      reopenTimer: null,
      resyncTimer: null,
      sessionTimer: null,
      closed: false,
      badLines: 0,
      systemEvents: false,
    };
    if (gen !== this.slot.gen) {
      http.close();
      throw new CtiError('notConnected', 'the O2G start-up was cancelled');
    }
    this.slot.current = s;
    const check = () => {
      if (gen !== this.slot.gen || s.closed) throw new CtiError('notConnected', 'the O2G start-up was cancelled');
    };
    try {
      const open = await bootstrap({
        http,
        server,
        login: this.conn.login,
        password: this.password,
        applicationName: this.conn.applicationName,
        urls: this.conn.urls,
        ...(hasFallback ? { discoveryTimeoutMs: Math.max(300, Math.floor(this.timeoutMs / 3)) } : {}),
        checkpoint: check,
      });
      s.open = open;
      this.reasons.clear();
      await this.loadUser(s);
      check();
      await this.loadAgentConfig(s);
      check();
      await this.subscribe(s);
      check();
      await this.connectChannel(s);
      check();
      this.armSessionTimer(s);
      if (this.sessionsOpened++ > 0) this.requestServerSnapshots(s);
    } catch (err) {
      await this.teardown(s);
      throw err;
    }
  }

  private has(s: Session, service: string): boolean {
    const services = s.open?.services;
    return !services || services.has(service);
  }

  private async loadUser(s: Session): Promise<void> {
    const open = s.open as OpenSession;
    try {
      const { value } = await call(s.http, 'read the user', 'GET', `${open.baseUrl}/users/${encodeURIComponent(this.conn.login)}`, { schema: User });
      this.user = value ?? null;
    } catch (err) {
      const e = CtiError.from(err);
      if (fatalAtStart.has(e.code)) throw e;
      this.log.warn({ code: e.code, err: e.message }, 'O2G: could not read the user; continuing');
      return;
    }
    const ids = (this.user?.devices ?? []).map((d) => d.id).filter((x): x is string => !!x);
    if (ids.length > 0 && !ids.includes(this.device) && this.user?.companyPhone !== this.device) {
      this.notice('warning', 'deviceNotOwned', `The profile's device ${this.device} is not one of ${this.conn.login}'s O2G devices (${ids.join(', ')}); call control on it will be refused`);
    }
  }

  private async loadAgentConfig(s: Session): Promise<void> {
    const open = s.open as OpenSession;
    this.agentConfig = null;
    this.isAcd = false;
    if (!this.has(s, 'acdagent')) return;
    try {
      const { value } = await call(s.http, 'read the agent configuration', 'GET', `${open.baseUrl}/acd/agent/config`, { schema: AgentConfig });
      this.agentConfig = value ?? null;
      this.isAcd = this.agentConfig !== null;
    } catch (err) {
      const e = CtiError.from(err);
      if (fatalAtStart.has(e.code)) throw e;
      // 403/404: not an ACD operator (or no CCD licence). The desktop then has no agent state.
      this.log.info({ code: e.code }, 'O2G: the user is not an ACD operator');
    }
  }

  private async subscribe(s: Session): Promise<void> {
    const open = s.open as OpenSession;
    const core: string[] = [];
    if (this.has(s, 'telephony')) core.push('telephony');
    if (this.isAcd) core.push('agent');
    if (this.has(s, 'comlog')) core.push('unifiedComLog');
    if (this.has(s, 'eventsummary')) core.push('eventSummary');
    if (this.has(s, 'routing')) core.push('routingManagement');
    const optional = OPTIONAL_PACKAGES.filter((p) => p === 'user' || this.has(s, 'maintenance') || this.has(s, 'system'));
    const attempt = async (names: string[]) =>
      call(s.http, 'subscribe to events', 'POST', `${open.baseUrl}/subscriptions`, {
        schema: Subscription,
        body: { filter: { selectors: names.map((n) => ({ names: [n] })) }, version: '1.0', timeout: this.conn.channelTimeoutMin },
      });
    let sub: Subscription | undefined;
    try {
      sub = (await attempt([...core, ...optional])).value;
    } catch (err) {
      const e = CtiError.from(err);
      if (!['invalid', 'rejected', 'limit', 'unsupported'].includes(e.code)) throw e;
      this.log.warn({ code: e.code, err: e.message }, 'O2G: subscription refused with the optional packages; retrying without them');
    }
    if (sub && sub.status !== 'ACCEPTED') {
      this.log.warn({ status: sub.status, message: sub.message }, 'O2G: subscription not accepted with the optional packages; retrying without them');
      sub = undefined;
    }
    if (sub) s.systemEvents = optional.includes('system');
    sub ??= (await attempt(core)).value;
    if (!sub || sub.status !== 'ACCEPTED' || !sub.subscriptionId) {
      throw new CtiError('limit', `O2G refused the event subscription (${sub?.status ?? 'no status'}${sub?.message ? `: ${sub.message}` : ''})`, sub?.status);
    }
    const raw = pickUrl(this.conn.urls, sub.privatePollingUrl, sub.publicPollingUrl);
    if (!raw) throw new CtiError('protocol', 'O2G accepted the subscription but gave no polling URL');
    s.subscriptionId = sub.subscriptionId;
    s.pollingUrl = resolveServerUrl(raw, s.server, 'event channel');
  }

  /** Open the channel; resolves at its first OnChannelInformation, rejects if it ends before. */
  private connectChannel(s: Session): Promise<void> {
    const url = s.pollingUrl as string;
    const readyWaitMs = Math.min(5000, Math.max(200, Math.floor(this.timeoutMs / 2)));
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let opened = false;
      let readyTimer: NodeJS.Timeout | null = null;
      const markReady = () => {
        if (ready) return;
        ready = true;
        if (readyTimer) clearTimeout(readyTimer);
        s.channelReady = true;
        s.readyAt = this.now();
        resolve();
      };
      const channel = openEventChannel(
        { http: s.http, url, method: s.channelMethod, idleMs: this.conn.channelIdleSec * 1000, connectTimeoutMs: this.timeoutMs, maxLineBytes: this.options.maxLineBytes },
        {
          onOpen: () => {
            opened = true;
            readyTimer = setTimeout(() => {
              if (!ready && opened) {
                this.log.warn('O2G: the event channel is open but sent no OnChannelInformation; going on');
                markReady();
              }
            }, readyWaitMs);
          },
          onEvent: (ev) => {
            if (s.closed) return;
            if (ev.eventName === 'OnChannelInformation') {
              markReady();
              return;
            }
            this.onO2gEvent(ev);
          },
          onUnknown: (name) => this.log.debug({ eventName: name }, 'O2G: ignored an unknown event'),
          onBadLine: (error) => this.onBadLine(s, error),
          onClose: (end) => {
            if (readyTimer) clearTimeout(readyTimer);
            if (s.channel === channel) s.channel = null;
            s.channelReady = false;
            if (!ready) {
              ready = true;
              if (end.kind === 'refused' && end.status === 405 && s.channelMethod === 'GET' && !s.closed) {
                this.log.info('O2G: the event channel refuses GET; opening it with POST');
                s.channelMethod = 'POST';
                this.connectChannel(s).then(resolve, reject);
                return;
              }
              reject(channelEndError(end));
              return;
            }
            this.onChannelClosed(s, end);
          },
        },
      );
      s.channel = channel;
    });
  }

  private onBadLine(s: Session, error: CodecError): void {
    s.badLines += 1;
    this.log.warn({ kind: error.kind, err: error.message, eventName: error.eventName, badLines: s.badLines }, 'O2G: unreadable event line skipped');
    // What the line held is lost (an over-long line runs on into the events after it), so take a
    // snapshot once the burst of bad lines is over.
    if (s.resyncTimer) clearTimeout(s.resyncTimer);
    s.resyncTimer = setTimeout(() => void this.resyncAfterBadLines(s), BAD_LINE_RESYNC_MS);
  }

  private async resyncAfterBadLines(s: Session): Promise<void> {
    s.resyncTimer = null;
    if (s !== this.slot.current || s.closed) return;
    await this.resync(s, 'after unreadable event lines');
  }

  private onChannelClosed(s: Session, end: ChannelEnd): void {
    if (s !== this.slot.current || s.closed) return;
    this.log.warn({ end: end.kind, ...(end.kind === 'error' || end.kind === 'refused' ? { err: end.error.message } : {}) }, 'O2G: the event channel closed');
    if (end.kind === 'refused' || (end.kind === 'error' && end.error.code === 'sessionLost')) {
      this.sessionGone(s, end.kind === 'refused' ? end.error : end.error);
      return;
    }
    const clean = end.kind === 'end' || end.kind === 'idle';
    // A channel that stayed up a while starts the back-off afresh; one that keeps dying at once does not.
    if (s.readyAt > 0 && this.now() - s.readyAt >= STABLE_CHANNEL_MS) s.reopenAttempt = 0;
    s.readyAt = 0;
    const delay =
      s.reopenAttempt === 0 && clean
        ? 0
        : backoffDelay(Math.max(0, s.reopenAttempt - (clean ? 1 : 0)), this.options.channelRetryMs, this.options.channelRetryMaxMs, this.options.random);
    s.reopenAttempt += 1;
    if (s.reopenAttempt === 3 && !s.downNotified) {
      s.downNotified = true;
      this.notice('warning', 'eventChannel', 'The O2G event channel is down; re-opening it');
    }
    s.reopenTimer = setTimeout(() => void this.reopenChannel(s), delay);
  }

  private async reopenChannel(s: Session): Promise<void> {
    s.reopenTimer = null;
    if (s !== this.slot.current || s.closed) return;
    try {
      await this.connectChannel(s);
    } catch (err) {
      if (s !== this.slot.current || s.closed) return;
      const e = CtiError.from(err);
      this.onChannelClosed(s, e.code === 'sessionLost' ? { kind: 'refused', status: 403, error: e } : { kind: 'error', error: e });
      return;
    }
    if (s !== this.slot.current || s.closed) return;
    if (s.downNotified) {
      s.downNotified = false;
      this.notice('info', 'eventChannel', 'The O2G event channel is back');
    }
    // Events the server queued while the channel was closed arrived first; now resync.
    this.requestServerSnapshots(s);
    await this.resync(s, 'after the channel re-opened');
  }

  /** Take a snapshot and hand it on as an event; a lost session on the way is reported as lost. */
  private async resync(s: Session, why: string): Promise<void> {
    try {
      this.emit(await this.snapshot());
    } catch (err) {
      const e = CtiError.from(err);
      this.log.warn({ code: e.code, err: e.message }, `O2G: resync ${why} failed`);
      if (e.code === 'sessionLost') this.sessionGone(s, e);
    }
  }

  /**
   * After a re-login or a re-opened channel, the manual's snapshot requests: the server answers
   * 204 and then sends OnTelephonyState, OnAgentStateChanged and OnRoutingStateChanged on the
   * channel, in order with the other events (the GET-based snapshot() answers the supervisor at
   * once; these confirm it through the channel). Failures only get a log line.
   */
  private requestServerSnapshots(s: Session): void {
    const base = (s.open as OpenSession).baseUrl;
    const asks: Array<[string, string]> = [];
    if (this.has(s, 'telephony')) asks.push(['telephony snapshot', '/telephony/state/snapshot']);
    if (this.has(s, 'routing')) asks.push(['routing snapshot', '/routing/state/snapshot']);
    if (this.isAcd) asks.push(['agent snapshot', '/acd/agent/state/snapshot']);
    for (const [what, path] of asks) {
      call(s.http, `ask for the ${what}`, 'POST', `${base}${path}`, { kind: 'session' }).catch((err: unknown) => {
        const e = CtiError.from(err);
        this.log.info({ code: e.code, err: e.message }, `O2G: the ${what} was not taken`);
      });
    }
  }

  private sessionGone(s: Session, err: CtiError): void {
    if (s !== this.slot.current || s.closed) return;
    s.channel?.close();
    s.channel = null;
    const e = err.code === 'sessionLost' ? err : new CtiError('sessionLost', err.message, err.vendorCode);
    this.log.warn({ err: e.message }, 'O2G: the session is gone; the supervisor restarts it');
    this.listeners?.lost(e);
  }

  /** Keep a short-lived session alive between the supervisor's keep-alives (timeToLive/2). */
  private armSessionTimer(s: Session): void {
    const ttl = s.open?.info.timeToLive;
    if (!ttl || ttl <= 0) return;
    const everyMs = Math.max(1000, Math.floor((ttl * 1000) / 2));
    if (everyMs >= this.profile.keepAliveSec * 1000) return;
    const tick = async () => {
      if (s !== this.slot.current || s.closed) return;
      try {
        await this.keepAliveRequest(s);
      } catch (err) {
        const e = CtiError.from(err);
        if (e.code === 'sessionLost') {
          this.sessionGone(s, e);
          return;
        }
      }
      if (s === this.slot.current && !s.closed) s.sessionTimer = setTimeout(() => void tick(), everyMs);
    };
    s.sessionTimer = setTimeout(() => void tick(), everyMs);
  }

  stop(): Promise<void> {
    return this.slot.stop();
  }

  /** Close a session's channel, subscription and session. Idempotent; never throws. */
  private async teardown(s: Session): Promise<void> {
    if (!this.slot.retire(s)) return;
    if (s.reopenTimer) clearTimeout(s.reopenTimer);
    if (s.resyncTimer) clearTimeout(s.resyncTimer);
    if (s.sessionTimer) clearTimeout(s.sessionTimer);
    s.channel?.close();
    s.channel = null;
    try {
      if (s.open && s.subscriptionId) {
        await s.http
          .request('DELETE', `${s.open.baseUrl}/subscriptions/${encodeURIComponent(s.subscriptionId)}`, { timeoutMs: STOP_TIMEOUT_MS })
          .catch((err: unknown) => this.log.debug({ err }, 'O2G: DELETE subscription failed'));
      }
      if (s.open) await closeSession(s.http, `${s.open.baseUrl}/sessions`, STOP_TIMEOUT_MS);
    } finally {
      s.http.close();
    }
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

  private async fetchSnapshot(): Promise<SnapshotEvent> {
    const s = this.requireSession();
    const open = s.open as OpenSession;
    const base = open.baseUrl;
    this.held ??= [];
    let ok = false;
    try {
      const tolerate = <T>(p: Promise<T>): Promise<T | null> =>
        p.catch((err: unknown) => {
          const e = CtiError.from(err);
          if (e.code === 'sessionLost' || e.code === 'unreachable') throw e;
          this.log.warn({ code: e.code, err: e.message }, 'O2G: part of the snapshot is unavailable');
          return null;
        });
      const [calls, agentState, routing, summary] = await Promise.all([
        call(s.http, 'list the calls', 'GET', `${base}/telephony/calls`, { schema: Calls }).then((r) => r.value?.calls ?? []),
        this.isAcd ? tolerate(call(s.http, 'read the agent state', 'GET', `${base}/acd/agent/state`, { schema: AgentState }).then((r) => r.value ?? null)) : null,
        this.has(s, 'routing') ? tolerate(call(s.http, 'read the routing state', 'GET', `${base}/routing/state`, { schema: RoutingState }).then((r) => r.value ?? null)) : null,
        this.has(s, 'eventsummary') ? tolerate(call(s.http, 'read the event summary', 'GET', `${base}/eventSummary`, { schema: EventSummary }).then((r) => r.value ?? null)) : null,
      ]);
      const detailed = await Promise.all(calls.map((c) => (c.legs && c.legs.length > 0 ? c : this.callDetails(s, c))));
      if (agentState) {
        const pg = this.pgOf(agentState);
        if (pg !== undefined) await this.withdrawReasons(s, pg);
      }
      // Fold: the server's lists first, then whatever arrived meanwhile, silently.
      this.absorbing = true;
      try {
        this.tracker.reconcile(detailed.filter((c): c is O2gCall => c !== null));
        if (routing) this.features = { ...this.features, ...mapRouting(routing, { voicemailNumber: this.user?.voicemail?.number }) };
        if (summary) this.features = { ...this.features, ...mapEventSummary(summary) };
        if (agentState) this.setAgentState(agentState);
        const held = this.held ?? [];
        this.held = null;
        for (const ev of held) this.onO2gEvent(ev);
      } finally {
        this.absorbing = false;
      }
      ok = true;
      return {
        type: 'snapshot',
        at: this.now(),
        calls: this.tracker.calls(),
        agent: this.isAcd ? this.agent : null,
        features: { ...this.features, forwards: [...this.features.forwards] },
      };
    } finally {
      if (!ok) {
        const held = this.held ?? [];
        this.held = null;
        for (const ev of held) this.onO2gEvent(ev);
      }
    }
  }

  private async callDetails(s: Session, c: O2gCall): Promise<O2gCall | null> {
    try {
      const { value } = await call(s.http, 'read a call', 'GET', `${(s.open as OpenSession).baseUrl}/telephony/calls/${encodeURIComponent(c.callRef)}`, { schema: O2gCall, kind: 'call' });
      return value ?? c;
    } catch (err) {
      const e = CtiError.from(err);
      if (e.code === 'noCall') return null;
      if (e.code === 'sessionLost' || e.code === 'unreachable') throw e;
      return c;
    }
  }

  async keepAlive(): Promise<KeepAliveResult> {
    const s = this.requireSession();
    await this.keepAliveRequest(s);
    for (const e of this.tracker.sweep()) this.emit(e);
    const channelDown = !s.channelReady;
    const missed = (channelDown ? 1 : 0) + (this.freeWithCalls && this.tracker.size > 0 ? 1 : 0);
    this.freeWithCalls = false;
    return { missedEvents: missed, pbxLinkUp: this.linkDownNodes.size === 0 && (await this.telephonyAnswers(s)) };
  }

  /**
   * Without the `system` package (a user session) nothing reports the CTI link to the PBX: the
   * telephony service answering 503 SERVICE_UNAVAILABLE is the sign, so the keep-alive asks it.
   */
  private async telephonyAnswers(s: Session): Promise<boolean> {
    if (s.systemEvents || !this.has(s, 'telephony')) return true;
    try {
      await call(s.http, 'check the telephony service', 'GET', `${(s.open as OpenSession).baseUrl}/telephony/state`, { kind: 'session' });
      return true;
    } catch (err) {
      if (CtiError.from(err).code === 'linkDown') return false;
      throw err;
    }
  }

  private async keepAliveRequest(s: Session): Promise<void> {
    await call(s.http, 'keep-alive', 'POST', `${(s.open as OpenSession).baseUrl}/sessions/keepalive`, { kind: 'session' });
  }

  private requireSession(): Session {
    const s = this.slot.current;
    if (!s || s.closed || !s.open) throw new CtiError('notConnected', 'no O2G session');
    return s;
  }

  // ================================================================ events

  private emit(e: CtiEvent): void {
    if (this.absorbing && (e.type === 'call' || e.type === 'callEnded' || e.type === 'agent' || e.type === 'features')) return;
    try {
      this.listeners?.event(e);
    } catch (err) {
      this.log.error({ err, type: e.type }, 'O2G: event listener failed');
    }
  }

  private emitAll(events: readonly CallTrackerEvent[]): void {
    for (const e of events) this.emit(e);
  }

  private notice(level: 'info' | 'warning' | 'error', code: string, message: string): void {
    this.emit({ type: 'notice', level, code, message: message.slice(0, 1024), at: this.now() });
  }

  private onO2gEvent(ev: O2gEvent): void {
    if (this.held) {
      this.held.push(ev);
      return;
    }
    switch (ev.eventName) {
      case 'OnCallCreated':
      case 'OnCallModified':
      case 'OnCallRemoved':
        this.emitAll(this.tracker.apply(ev));
        return;
      case 'OnTelephonyState':
        this.emitAll(this.tracker.reconcile(ev.state?.calls ?? []));
        return;
      case 'OnUserStateModified':
        this.freeWithCalls = ev.state === 'FREE' && this.tracker.size > 0;
        return;
      case 'OnDeviceStateModified': {
        const mine = ev.deviceStates?.find((d) => d.deviceId === this.device);
        if (!mine) return;
        const out = mine.state === 'OUT_OF_SERVICE';
        if (out === this.deviceOutOfService) return;
        this.deviceOutOfService = out;
        if (out) this.notice('warning', 'deviceOutOfService', `The phone ${this.device} is out of service`);
        else if (mine.state === 'IN_SERVICE') this.notice('info', 'deviceInService', `The phone ${this.device} is back in service`);
        return;
      }
      case 'OnAgentStateChanged':
        this.onAgentState(ev.state);
        return;
      case 'OnSupervisorHelpRequested':
      case 'OnSupervisorHelpCancelled': {
        const on = ev.eventName === 'OnSupervisorHelpRequested';
        if (this.agentConfig?.type === 'SUPERVISOR') {
          if (ev.agentNumber) {
            if (on) this.helpRequests.add(ev.agentNumber);
            else this.helpRequests.delete(ev.agentNumber);
          }
        } else {
          this.helpRequested = on;
          if (on && ev.agentNumber) this.helpSupervisor = ev.agentNumber;
        }
        this.refreshAgent();
        return;
      }
      case 'OnRoutingStateChanged': {
        const f = mapRouting(ev.routingState, { voicemailNumber: this.user?.voicemail?.number });
        this.features = { ...this.features, ...f };
        this.emit({ type: 'features', features: { ...f, forwards: [...f.forwards] } });
        return;
      }
      case 'OnEventSummaryUpdated': {
        const f = mapEventSummary(ev.eventSummary);
        this.features = { ...this.features, ...f };
        if (Object.keys(f).length > 0) this.emit({ type: 'features', features: f });
        return;
      }
      case 'OnCtiLinkDown':
      case 'OnCtiLinkUp': {
        const node = ev.nodeId ?? '?';
        const wasUp = this.linkDownNodes.size === 0;
        if (ev.eventName === 'OnCtiLinkDown') this.linkDownNodes.add(node);
        else this.linkDownNodes.delete(node);
        const up = this.linkDownNodes.size === 0;
        if (wasUp && !up) this.notice('warning', 'pbxLinkDown', `O2G reports its CTI link to the PBX (node ${node}) down; calls cannot be controlled`);
        if (!wasUp && up) {
          this.notice('info', 'pbxLinkUp', `O2G reports its CTI link to the PBX (node ${node}) back up`);
          this.resyncSoon();
        }
        return;
      }
      case 'OnPbxLoaded':
        this.log.info({ nodeId: ev.nodeId }, 'O2G: PBX data loaded; re-syncing');
        this.resyncSoon();
        return;
      case 'OnLicenseExpiration':
        this.notice('warning', 'licenseExpiration', `O2G licence: ${ev.message ?? 'expiring'}${ev.nbDays !== undefined ? ` (${ev.nbDays} days)` : ''}`);
        return;
      case 'OnUserInfoChanged':
        if (ev.user) this.user = { ...this.user, ...ev.user };
        return;
      case 'OnComRecordCreated':
      case 'OnComRecordModified':
      case 'OnComRecordsAck':
      case 'OnComRecordsUnAck':
      case 'OnComRecordsDeleted':
        // The desktop reads the vendor's call log on demand (vendorHistory); the counters come
        // with OnEventSummaryUpdated. Nothing to push.
        this.log.debug({ eventName: ev.eventName }, 'O2G: comlog changed');
        return;
      case 'OnChannelInformation':
        return;
    }
  }

  private resyncSoon(): void {
    const s = this.slot.current;
    if (!s) return;
    void this.snapshot().then(
      (snap) => {
        if (s === this.slot.current) this.emit(snap);
      },
      (err: unknown) => this.log.warn({ err: CtiError.from(err).message }, 'O2G: resync failed'),
    );
  }

  private pgOf(state: AgentState | null): string | undefined {
    const pg = state?.pgNumber || this.conn.processingGroup || this.agentConfig?.processingGroups?.preferred;
    return pg && pg !== '' ? pg : undefined;
  }

  private async withdrawReasons(s: Session, pg: string): Promise<WithdrawReasons | null> {
    if (this.reasons.has(pg)) return this.reasons.get(pg) ?? null;
    try {
      const { value } = await call(s.http, 'read the withdraw reasons', 'GET', `${(s.open as OpenSession).baseUrl}/acd/agent/withdrawReasons?pgNumber=${encodeURIComponent(pg)}`, { schema: WithdrawReasons });
      this.reasons.set(pg, value ?? null);
      return value ?? null;
    } catch (err) {
      const e = CtiError.from(err);
      if (e.code === 'sessionLost' || e.code === 'unreachable') throw e;
      this.log.warn({ code: e.code, pg }, 'O2G: no withdraw reasons for the group');
      this.reasons.set(pg, null);
      return null;
    }
  }

  private onAgentState(state: AgentState): void {
    this.setAgentState(state);
    const pg = this.pgOf(state);
    const s = this.slot.current;
    if (pg !== undefined && !this.reasons.has(pg) && s?.open) {
      // A new group: fetch its reasons, then show the labels.
      void this.withdrawReasons(s, pg).then(
        () => this.refreshAgent(),
        () => {},
      );
    }
  }

  private setAgentState(state: AgentState): void {
    this.agentState = state;
    if (state.mainState === 'LOG_OFF') this.helpRequested = false;
    this.refreshAgent();
    this.emitAll(this.tracker.setAgentLoggedOn(state.mainState === 'LOG_ON'));
  }

  private refreshAgent(): void {
    if (!this.agentState) return;
    const pg = this.pgOf(this.agentState);
    const next = mapAgent(this.agentState, {
      prev: this.agent,
      now: this.now(),
      config: this.agentConfig,
      reasons: pg !== undefined ? (this.reasons.get(pg) ?? null) : null,
      agentId: this.profile.agentId || this.conn.login,
      helpRequested: this.helpRequested,
      helpRequests: [...this.helpRequests],
      intrusion: this.intrusion,
    });
    if (this.agent && JSON.stringify(this.agent) === JSON.stringify(next)) return;
    this.agent = next;
    this.emit({ type: 'agent', agent: next });
  }

  // ================================================================ commands

  private url(path: string): string {
    return `${(this.requireSession().open as OpenSession).baseUrl}${path}`;
  }

  private async send(op: string, method: string, path: string, body?: unknown, kind: 'call' | 'other' = 'other', rawJson?: string): Promise<void> {
    const s = this.requireSession();
    await call(s.http, op, method, this.url(path), { ...(body !== undefined ? { body } : {}), ...(rawJson !== undefined ? { rawJson } : {}), kind });
  }

  private live(callId: string): CallLocation {
    const loc = this.tracker.locate(callId);
    if (!loc || !loc.live) throw new CtiError('noCall', `no such call ${callId}`);
    return loc;
  }

  private callPath(loc: CallLocation, action = ''): string {
    return `/telephony/calls/${encodeURIComponent(loc.callRef)}${action ? `/${action}` : ''}`;
  }

  /** The held and the active call of a pair, whichever of the two the command named. */
  private pair(callId: string): { held: CallLocation; active: CallLocation } {
    const me = this.live(callId);
    const others = this.tracker.calls().filter((c) => c.id !== callId);
    const locOf = (id: string) => this.live(id);
    if (me.call.state === 'held') {
      const act = others.find((c) => c.state !== 'held') ?? others[0];
      if (!act) throw new CtiError('noCall', 'there is no other call to pair with the held call');
      return { held: me, active: locOf(act.id) };
    }
    const held = others.find((c) => c.state === 'held');
    if (!held) throw new CtiError('noCall', 'there is no held call');
    return { held: locOf(held.id), active: me };
  }

  private associated(data: NormalizedCallData): string {
    const text = associatedFromCallData(data);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > ASSOCIATED_DATA_MAX_BYTES) {
      throw new CtiError('invalid', `O2G carries at most ${ASSOCIATED_DATA_MAX_BYTES} bytes of call data (L3345); this is ${bytes}`);
    }
    return text;
  }

  private async makeCall(to: string, data: NormalizedCallData | undefined): Promise<void> {
    const callee = dial(to);
    const body: Record<string, unknown> = { deviceId: this.device, callee, autoAnswer: true };
    if (data && Object.keys(data).length > 0) body.associatedData = this.associated(data);
    this.tracker.expectDialled(callee);
    await this.send('make a call', 'POST', '/telephony/calls', body);
  }

  private requireAcd(): void {
    if (!this.isAcd) throw new CtiError('notPermitted', `${this.conn.login} is not an ACD operator (no O2G agent configuration)`);
  }

  async execute(cmd: Command): Promise<void> {
    if (!this.capabilities.has(cmd.kind)) {
      throw new CtiError('unsupported', cmd.kind === 'addParty' ? 'O2G cannot add a party by number; consult the party, then conference' : `O2G does not support ${cmd.kind}`);
    }
    this.requireSession();
    switch (cmd.kind) {
      case 'makeCall':
        return this.makeCall(cmd.to, cmd.data);
      case 'answer': {
        const loc = this.live(cmd.callId);
        return this.send('answer', 'POST', this.callPath(loc, 'answer'), { deviceId: loc.deviceId }, 'call');
      }
      case 'clear': {
        const loc = this.live(cmd.callId);
        // dropme leaves a conference running for the others; DELETE releases every party (L1559, L1867).
        if (loc.callCaps.dropMe) return this.send('hang up', 'POST', this.callPath(loc, 'dropme'), undefined, 'call');
        return this.send('hang up', 'DELETE', this.callPath(loc), undefined, 'call');
      }
      case 'hold': {
        const loc = this.live(cmd.callId);
        return this.send('hold', 'POST', this.callPath(loc, 'hold'), { deviceId: loc.deviceId }, 'call');
      }
      case 'retrieve': {
        const loc = this.live(cmd.callId);
        return this.send('retrieve', 'POST', this.callPath(loc, 'retrieve'), { deviceId: loc.deviceId }, 'call');
      }
      case 'consult': {
        const loc = this.live(cmd.callId);
        let heldHere = false;
        if (loc.call.state === 'connected') {
          await this.send('hold for a consultation', 'POST', this.callPath(loc, 'hold'), { deviceId: loc.deviceId }, 'call');
          heldHere = true;
        }
        try {
          await this.makeCall(cmd.to, cmd.data);
        } catch (err) {
          if (heldHere) {
            await this.send('retrieve after a failed consultation', 'POST', this.callPath(loc, 'retrieve'), { deviceId: loc.deviceId }, 'call').catch(() => {});
          }
          throw err;
        }
        return;
      }
      case 'alternate': {
        // The path names the held call (L1599).
        const { held } = this.pair(cmd.callId);
        return this.send('alternate', 'POST', this.callPath(held, 'alternate'), { deviceId: held.deviceId }, 'call');
      }
      case 'reconnect': {
        // The path names the held call; the body the enquiry call to release (L2141).
        const { held, active } = this.pair(cmd.callId);
        return this.send('reconnect', 'POST', this.callPath(held, 'reconnect'), { deviceId: held.deviceId, enquiryCallRef: active.callRef }, 'call');
      }
      case 'transfer': {
        if (cmd.to !== undefined) {
          const loc = this.live(cmd.callId);
          return this.send('blind transfer', 'POST', this.callPath(loc, 'blindtransfer'), { transferTo: dial(cmd.to) }, 'call');
        }
        // The path names the active call; the body the held one (L2374).
        const { held, active } = this.pair(cmd.callId);
        return this.send('transfer', 'POST', this.callPath(active, 'transfer'), { heldCallRef: held.callRef }, 'call');
      }
      case 'conference': {
        const { held, active } = this.pair(cmd.callId);
        return this.send('conference', 'POST', this.callPath(active, 'merge'), { heldCallRef: held.callRef }, 'call');
      }
      case 'redirect': {
        const loc = this.live(cmd.callId);
        return this.send('redirect', 'POST', this.callPath(loc, 'redirect'), { redirectTo: dial(cmd.to) }, 'call');
      }
      case 'sendDtmf': {
        const loc = this.live(cmd.callId);
        return this.send('send DTMF', 'POST', this.callPath(loc, 'sendDtmf'), { deviceId: loc.deviceId, number: cmd.digits }, 'call');
      }
      case 'park': {
        const loc = this.live(cmd.callId);
        return this.send('park', 'POST', this.callPath(loc, 'park'), cmd.to !== undefined ? { parkTo: dial(cmd.to) } : {}, 'call');
      }
      case 'unpark':
        return this.send('unpark', 'POST', `/telephony/devices/${encodeURIComponent(this.device)}/unpark`, cmd.from !== undefined ? { unParkFrom: dial(cmd.from) } : {});
      case 'pickup':
        return this.send('pick up', 'POST', `/telephony/devices/${encodeURIComponent(this.device)}/pickup`, { otherPhoneNumber: dial(cmd.from), autoAnswer: true });
      case 'setCallData': {
        const loc = this.live(cmd.callId);
        return this.send('attach call data', 'POST', this.callPath(loc, 'attachdata'), { deviceId: loc.deviceId, associatedData: this.associated(cmd.data) }, 'call');
      }
      case 'record': {
        const loc = this.live(cmd.callId);
        return this.send(`${cmd.action} recording`, 'POST', `${this.callPath(loc, 'recording')}?action=${cmd.action}`, undefined, 'call');
      }
      case 'callBack': {
        const loc = this.live(cmd.callId);
        return this.send('call back', 'POST', this.callPath(loc, 'callback'), undefined, 'call');
      }
      case 'transactionCode': {
        // The code usually follows the call (TRANSACTION_CODE_INPUT): a recently ended call counts.
        const loc = this.tracker.locate(cmd.callId) ?? (this.agent?.awaitingCode ? this.tracker.lastEndedAcd() : undefined);
        if (!loc) throw new CtiError('noCall', `no such call ${cmd.callId}`);
        return this.send('send the transaction code', 'POST', this.callPath(loc, 'sendaccountinfo'), { deviceId: loc.deviceId, accountInfo: cmd.code }, 'call');
      }
      case 'setAgentState':
        return this.setAgent(cmd.state, cmd.reason);
      case 'supervisorHelp': {
        this.requireAcd();
        if (cmd.on && cmd.agent === undefined) return this.send('ask for help', 'POST', '/acd/agent/supervisorHelp');
        const other = cmd.agent !== undefined ? dial(cmd.agent) : this.helpSupervisor;
        await this.send(cmd.agent !== undefined ? 'reject a help request' : 'cancel the help request', 'DELETE', `/acd/agent/supervisorHelp${other ? `?other=${encodeURIComponent(other)}` : ''}`);
        return;
      }
      case 'intrude': {
        this.requireAcd();
        const mode = intrusionMode[cmd.mode];
        if (cmd.agent !== undefined) {
          const agent = dial(cmd.agent);
          await this.send('intrude', 'POST', '/acd/agent/intrusion', { agentNumber: agent, mode });
          this.intrusion = { agent, mode: cmd.mode };
        } else {
          await this.send('change the intrusion mode', 'PUT', '/acd/agent/intrusion', { mode });
          // The same mode again drops the supervisor from the call (L7903–L7906).
          if (this.intrusion) this.intrusion = this.intrusion.mode === cmd.mode ? undefined : { ...this.intrusion, mode: cmd.mode };
        }
        this.refreshAgent();
        return;
      }
      case 'permanentListen':
        this.requireAcd();
        return this.send('listen permanently', 'POST', '/acd/agent/permanentListening', { agentNumber: dial(cmd.agent) });
      case 'setGroup': {
        this.requireAcd();
        const [seed, newer] = cmd.on ? ['enterPG', 'enter'] : ['exitPG', 'exit'];
        try {
          await this.send(cmd.on ? 'enter the group' : 'leave the group', 'POST', `/acd/agent/${seed}`, { pgGroupNumber: cmd.group });
        } catch (err) {
          // Newer O2G spells them /acd/agent/enter and /exit (digest §6 #44).
          if (CtiError.from(err).code !== 'unsupported') throw err;
          await this.send(cmd.on ? 'enter the group' : 'leave the group', 'POST', `/acd/agent/${newer}`, { pgGroupNumber: cmd.group });
        }
        return;
      }
      case 'setForward': {
        const type = o2gForwardType(cmd.type);
        if (type === null) throw new CtiError('unsupported', `O2G has no ${cmd.type} forward (only immediate, busy and no-answer)`);
        if (!cmd.on) {
          const current = this.features.forwards.find((f) => f.type === cmd.type);
          if (!current && this.features.forwards.length > 0) return; // another kind of forward is set; leave it
          return this.send('cancel the forward', 'DELETE', '/routing/forwardroute');
        }
        if (!cmd.to) throw new CtiError('invalid', 'a forward needs a destination');
        const vm = this.user?.voicemail?.number;
        const toVoicemail = cmd.to.trim().toLowerCase() === 'voicemail' || (vm !== undefined && dial(cmd.to) === vm);
        const destination = toVoicemail ? { type: 'VOICEMAIL' } : { type: 'NUMBER', number: dial(cmd.to) };
        return this.send('set a forward', 'POST', '/routing/forwardroute', { forwardRoute: { ...(type ? { forwardType: type } : {}), destinations: [destination] } });
      }
      case 'setDnd':
        return this.send(cmd.on ? 'set do-not-disturb' : 'cancel do-not-disturb', cmd.on ? 'POST' : 'DELETE', '/routing/dnd');
      case 'setOverflow': {
        if (!cmd.on) return this.send('cancel the overflow', 'DELETE', '/routing/overflowroute');
        const overflowType = cmd.type === 'busy' ? 'BUSY' : cmd.type === 'noAnswer' ? 'NO_ANSWER' : 'BUSY_NO_ANSWER';
        return this.send('set the overflow', 'POST', '/routing/overflowroute', {
          overflowRoutes: [{ overflowType, destinations: [{ type: cmd.to === 'voicemail' ? 'VOICEMAIL' : 'ASSOCIATE' }] }],
        });
      }
      case 'acknowledgeMissed':
        return this.acknowledge(cmd.ids);
      case 'snapshot':
        this.emit(await this.snapshot());
        return;
      case 'checkLink':
        // The supervisor answers it before any connector sees it.
        return;
      case 'addParty':
      case 'redial':
      case 'reject':
      case 'setDisposition':
      case 'panicLogout':
      case 'setNextAgentState':
      case 'setTeamAgentState':
        throw new CtiError('unsupported', `O2G does not support ${cmd.kind}`);
      default: {
        const unhandled: never = cmd;
        throw new CtiError('unsupported', `O2G does not support ${(unhandled as Command).kind}`);
      }
    }
  }

  private async setAgent(state: AgentInfo['state'], reason: string | undefined): Promise<void> {
    this.requireAcd();
    switch (state) {
      case 'loggedOn': {
        const proAcd = this.agentConfig?.proacd || this.device;
        const pg = this.conn.processingGroup || this.agentConfig?.processingGroups?.preferred;
        return this.send('log on', 'POST', '/acd/agent/logon', { proAcdDeviceNumber: proAcd, ...(pg ? { pgGroupNumber: pg } : {}) });
      }
      case 'ready':
        return this.send('ready', 'POST', '/acd/agent/ready');
      case 'notReady': {
        if (reason === undefined || reason.trim() === '') return this.send('pause', 'POST', '/acd/agent/pause');
        const pg = this.pgOf(this.agentState);
        const reasons = pg !== undefined ? await this.withdrawReasons(this.requireSession(), pg) : null;
        const index = reasonIndex(reasons, reason);
        if (index === undefined) {
          const known = reasonLabels(reasons);
          throw new CtiError('invalid', `unknown not-ready reason "${reason}"${known.length ? `; the group offers: ${known.join(', ')}` : '; the group has no withdraw reasons'}`);
        }
        return this.send('withdraw', 'POST', '/acd/agent/withdraw', { reasonIndex: index });
      }
      case 'wrapUp':
        return this.send('wrap up', 'POST', '/acd/agent/wrapUp');
      case 'loggedOff':
        return this.send('log off', 'POST', '/acd/agent/logoff');
      default:
        throw new CtiError('invalid', `the agent state ${state} cannot be requested (O2G sets it by itself)`);
    }
  }

  private async acknowledge(ids: readonly string[]): Promise<void> {
    const s = this.requireSession();
    let recordIds: string[];
    if (ids.length === 0) {
      const { value } = await call(s.http, 'list the missed calls', 'GET', this.url('/comlog/records?unanswered=true&unacknowledged=true'), { schema: ComHistoryRecords });
      recordIds = (value?.comHistoryRecords ?? []).map((r) => r.recordId).filter((x): x is string => x !== undefined && isLongId(x));
      if (recordIds.length === 0) return;
    } else {
      recordIds = ids.filter((id) => id.startsWith(COMLOG_ID_PREFIX)).map((id) => id.slice(COMLOG_ID_PREFIX.length)).filter(isLongId);
      if (recordIds.length === 0) throw new CtiError('invalid', 'none of these call-log entries comes from the O2G communication log');
    }
    await this.send('acknowledge missed calls', 'PUT', '/comlog/records?acknowledge=true', undefined, 'other', recordIdsBody(recordIds));
  }

  // ================================================================ queries

  async query(q: Query): Promise<QueryResult> {
    switch (q.kind) {
      case 'directory':
        return this.directory(q.text, q.limit);
      case 'vendorHistory':
        return this.history(q);
      case 'queues':
        throw new CtiError('unsupported', 'O2G has no queue statistics (no pilot or queue monitoring in its REST API)');
    }
  }

  private directory(text: string, limit: number): Promise<DirectoryEntry[]> {
    // One search context per session at a time (GET/DELETE name no search, L3704–L3745).
    const run = () => this.searchDirectory(text, limit);
    const next = this.directoryLock.then(run, run);
    this.directoryLock = next.catch(() => undefined);
    return next;
  }

  private async searchDirectory(text: string, limit: number): Promise<DirectoryEntry[]> {
    const s = this.requireSession();
    const url = this.url('/directory/search');
    const deadline = this.now() + Math.floor(this.timeoutMs * 0.8);
    await call(s.http, 'start a directory search', 'POST', url, { body: { limit: Math.min(100, limit), filter: directoryFilter(text) } });
    const out: DirectoryEntry[] = [];
    const seen = new Set<string>();
    try {
      for (;;) {
        const { value } = await call(s.http, 'read the directory search', 'GET', url, { schema: SearchResult });
        const code = value?.resultCode;
        for (const el of value?.resultElements ?? []) {
          for (const c of el.contacts ?? []) {
            const e = directoryEntry(c);
            const key = e ? `${e.number}\u0000${e.name}` : '';
            if (e && !seen.has(key)) {
              seen.add(key);
              out.push(e);
            }
          }
        }
        if (code === 'FINISH' || code === 'TIMEOUT' || out.length >= limit) break;
        if (this.now() + this.options.directoryPollMs > deadline) break;
        await new Promise((r) => setTimeout(r, this.options.directoryPollMs));
        if (s !== this.slot.current) break;
      }
    } finally {
      await s.http.request('DELETE', url, { timeoutMs: STOP_TIMEOUT_MS }).catch(() => undefined);
    }
    return out.slice(0, limit);
  }

  private async history(q: Extract<Query, { kind: 'vendorHistory' }>): Promise<CallLogRow[]> {
    const s = this.requireSession();
    const params = new URLSearchParams({ limit: String(q.limit) });
    if (q.since) {
      const [y, m, d] = q.since.split('-').map(Number) as [number, number, number];
      params.set('afterDate', new Date(y, m - 1, d).toISOString());
    }
    const { value } = await call(s.http, 'read the communication log', 'GET', this.url(`/comlog/records?${params.toString()}`), { schema: ComHistoryRecords });
    const ctx = { profileId: this.profile.id, device: this.device, login: this.conn.login };
    const needle = q.text?.trim().toLowerCase();
    return (value?.comHistoryRecords ?? [])
      .map((r) => comlogRow(r, ctx))
      .filter((r): r is CallLogRow => r !== null)
      .filter((r) => !needle || r.remoteNumber.toLowerCase().includes(needle) || (r.remoteName ?? '').toLowerCase().includes(needle))
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, q.limit);
  }
}

const intrusionMode = { listen: 'DISCRETE', coach: 'RESTRICTED', barge: 'NORMAL' } as const;

function channelEndError(end: ChannelEnd): CtiError {
  switch (end.kind) {
    case 'refused':
    case 'error':
      return end.error;
    case 'end':
      return new CtiError('unreachable', 'the O2G event channel closed before it started');
    case 'idle':
      return new CtiError('timeout', `the O2G event channel sent nothing for ${Math.round(end.idleMs / 1000)} s`);
  }
}

/** The directory criterion for what the agent typed (digest §5.2 Criterion, §6 #14). */
export function directoryFilter(text: string): unknown {
  const t = text.trim();
  if (/^\+?[0-9][0-9\s().-]*$/.test(t)) return { field: 'id.phoneNumber', operation: 'BEGIN_WITH', operand: dial(t) };
  const words = t.split(/\s+/).filter(Boolean);
  if (words.length <= 1) {
    return { operation: 'OR', operand: [{ field: 'lastName', operation: 'BEGIN_WITH', operand: t }, { field: 'firstName', operation: 'BEGIN_WITH', operand: t }] };
  }
  const first = words[0] as string;
  const rest = words.slice(1).join(' ');
  return {
    operation: 'OR',
    operand: [
      { operation: 'AND', operand: [{ field: 'firstName', operation: 'BEGIN_WITH', operand: first }, { field: 'lastName', operation: 'BEGIN_WITH', operand: rest }] },
      { operation: 'AND', operand: [{ field: 'lastName', operation: 'BEGIN_WITH', operand: first }, { field: 'firstName', operation: 'BEGIN_WITH', operand: rest }] },
    ],
  };
}
