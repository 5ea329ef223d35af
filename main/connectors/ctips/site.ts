// The CTIPS site: the app's callback service, one session on the first portal that answers (the
// profile lists them in failover order, Active/Active HA, L294–L305, digest §2.7), and the site
// model every agent view reads. After a loss it never re-sends LoginAgent: the platform kept its
// agents and calls, so a new session re-registers its classes and filters, goes online and takes a
// snapshot, which replaces the model (live events that arrive meanwhile are applied after it).
// A desktop owns a private site (its supervisor restarts it); a gateway owns one for the whole
// site and lets it reconnect on its own (`autoReconnect`), with backoff and jitter.
import { readFile } from 'node:fs/promises';
import { CtiError } from '../../../shared/commands.js';
import type { CtiEvent } from '../../../shared/events.js';
import type { CtipsConnection } from '../../../shared/profile.js';
import { backoffDelay } from '../../core/backoff.js';
import type { ConnectorDeps } from '../../core/connector.js';
import { createTrace } from '../../core/log.js';
import type { SiteLinkState } from '../../core/site.js';
import { loadTlsTrust } from '../tls.js';
import { CtipsCallbackServer } from './callback-server.js';
import type { CtipsEnumMember } from './enums.js';
import type { CtipsEvent } from './events.js';
import { routeRequestOf, selectRoute, type RouteOutcome, type RouteRequestInfo, type RouteTarget } from './routing.js';
import { CtipsPortalSession, type SnapshotUpdate } from './session.js';
import { CtipsSiteModel, type ModelChange } from './site-model.js';
import { ctipsProfile, type CtipsWireProfile } from './wire.js';

export interface SiteListener {
  /** The model changed (`event` is the CTIPS event that changed it; absent for a snapshot). */
  changed(changes: readonly ModelChange[], event?: CtipsEvent): void;
  /** The session is gone. */
  lost(err: CtiError): void;
  /** A normalized notice for every view (failover, link status). */
  notice?(e: Extract<CtiEvent, { type: 'notice' }>): void;
}

export interface CtipsSiteOptions {
  /** Reconnect on its own after a loss (a gateway); a desktop's supervisor restarts it instead. */
  autoReconnect: boolean;
  /** Event filters for the session (a single agent's desktop: its own login name). */
  filters: ReadonlyArray<{ fieldType: CtipsEnumMember<'CTIFieldType'>; value: string }>;
}

const allClasses = ['EventCategoryAgent', 'EventCategoryCall', 'EventCategoryRoute', 'EventCategorySystem'] as const;

/** Which error tells the admin most when every portal failed. */
const errorWeight: Partial<Record<CtiError['code'], number>> = { authFailed: 5, invalid: 4, limit: 3, rejected: 2, protocol: 2, timeout: 1 };

export function portalLabel(p: { host: string; port: number; https: boolean }): string {
  return `${p.https ? 'https' : 'http'}://${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`;
}

export function wireProfileOf(conn: CtipsConnection): CtipsWireProfile {
  const w = conn.wire;
  return ctipsProfile(Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined)) as Partial<CtipsWireProfile>);
}

export class CtipsSite {
  readonly model: CtipsSiteModel;
  private readonly conn: CtipsConnection;
  private readonly wire: CtipsWireProfile;
  private readonly listeners = new Set<SiteListener>();
  private readonly linkListeners = new Set<(l: SiteLinkState) => void>();
  private readonly routeListeners = new Set<(r: RouteRequestInfo) => void>();
  private callback: CtipsCallbackServer | null = null;
  private session: CtipsPortalSession | null = null;
  private connecting: Promise<void> | null = null;
  /** A stop still closing the previous session and event service (whose port a new one needs). */
  private stopping: Promise<void> | null = null;
  private snapshotting: Promise<void> | null = null;
  private buffered: CtipsEvent[] | null = null;
  /** A snapshot was taken since the session opened (agent views can read the model as is). */
  private fresh = false;
  private linkState: SiteLinkState = { state: 'down', detail: 'not connected' };
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    private readonly deps: ConnectorDeps,
    private readonly opts: CtipsSiteOptions,
  ) {
    const c = deps.profile.connection;
    if (c.vendor !== 'ctips') throw new CtiError('invalid', `a CTIPS site needs a ctips profile, not ${c.vendor}`);
    this.conn = c;
    this.wire = wireProfileOf(c);
    this.now = deps.now ?? Date.now;
    this.model = new CtipsSiteModel(this.now);
  }

  get link(): SiteLinkState {
    return this.linkState;
  }

  get connected(): boolean {
    return this.session !== null;
  }

  subscribe(l: SiteListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onLink(l: (link: SiteLinkState) => void): () => void {
    this.linkListeners.add(l);
    return () => this.linkListeners.delete(l);
  }

  /** Connect once (every portal in order); concurrent callers share the attempt. Throws CtiError. */
  connect(): Promise<void> {
    this.stopped = false;
    if (this.session) return Promise.resolve();
    this.connecting ??= this.connectOnce().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** The session's request API, or notConnected. */
  portal(): CtipsPortalSession {
    if (!this.session) throw new CtiError('notConnected', `not connected to a CTIPS portal (${this.linkState.detail})`);
    return this.session;
  }

  /** A snapshot into the model, unless one was taken on this session already and `force` is false. */
  async snapshot(force: boolean): Promise<void> {
    if (!force && this.fresh) return;
    this.snapshotting ??= this.takeSnapshot().finally(() => {
      this.snapshotting = null;
    });
    return this.snapshotting;
  }

  /** Route requests, for a routing application on this site (see routing.ts). */
  onRouteRequest(l: (r: RouteRequestInfo) => void): () => void {
    this.routeListeners.add(l);
    return () => this.routeListeners.delete(l);
  }

  /** Answer a route request: where the call goes. */
  routeSelect(callId: number, target: RouteTarget, userData: readonly string[] = []): Promise<RouteOutcome> {
    return selectRoute(this.portal(), callId, target, userData);
  }

  /** Check the session (OnLine again): fails with sessionLost when the portal forgot it. */
  async verify(): Promise<void> {
    await this.portal().verify();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    // Taken now, so a connect that starts while this one closes makes its own (after it, see connectOnce).
    const s = this.session;
    const cb = this.callback;
    this.session = null;
    this.callback = null;
    this.fresh = false;
    const closing = (async () => {
      await s?.close();
      await cb?.stop();
    })();
    this.stopping = closing;
    try {
      await closing;
    } finally {
      if (this.stopping === closing) this.stopping = null;
    }
    if (this.stopped) this.setLink({ state: 'down', detail: 'signed out' });
  }

  private setLink(l: SiteLinkState): void {
    this.linkState = l;
    for (const f of [...this.linkListeners]) f(l);
  }

  private notice(level: 'info' | 'warning' | 'error', code: string, message: string): void {
    const e = { type: 'notice' as const, level, code, message: message.slice(0, 1024), at: this.now() };
    for (const l of [...this.listeners]) l.notice?.(e);
  }

  private async ensureCallback(): Promise<CtipsCallbackServer> {
    if (this.callback) return this.callback;
    const cb = this.conn.callback;
    let tls: { certPem: string; keyPem: string } | undefined;
    if (cb.certFile && cb.keyFile) {
      try {
        tls = { certPem: await readFile(cb.certFile, 'utf8'), keyPem: await readFile(cb.keyFile, 'utf8') };
      } catch (err) {
        throw new CtiError('invalid', `cannot read the CTIPS event service certificate or key: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const allowed = this.conn.allowedHosts.length > 0 ? this.conn.allowedHosts : this.conn.portals.map((p) => p.host);
    const server = new CtipsCallbackServer({
      bindHost: cb.bindHost,
      port: cb.port,
      ...(cb.advertisedHost ? { advertisedHost: cb.advertisedHost } : {}),
      allowedHosts: allowed,
      profile: this.wire,
      ...(tls ? { tls } : {}),
      expectedCredentials: { userName: this.conn.userName, password: this.deps.secret?.password ?? '' },
      listeners: {
        onEvent: (e) => this.session?.event(e),
        onHeartbeat: () => this.session?.heartbeat(),
        onRejected: (r) => this.deps.log.warn({ reason: r.reason, remote: r.remote, operation: r.operation }, `ctips event service refused a call: ${r.message}`),
      },
    });
    try {
      await server.start();
    } catch (err) {
      throw new CtiError('invalid', `the CTIPS event service cannot listen on ${cb.bindHost}:${cb.port}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.callback = server;
    return server;
  }

  private async connectOnce(): Promise<void> {
    if (this.stopping) await this.stopping;
    if (!this.deps.secret?.password) throw new CtiError('authFailed', `no password stored for the CTIPS account ${this.conn.userName}`);
    const callback = await this.ensureCallback();
    const trust = await loadTlsTrust(this.conn.tls, 'CTIPS');
    const trace = createTrace(this.deps.log, this.deps.profile.trace);
    // Each portal gets its share of the connect time the supervisor allows, so a dead primary leaves time for the next.
    const perPortal = Math.max(1000, Math.floor(this.deps.profile.commandTimeoutMs / Math.max(1, this.conn.portals.length)) - 200);
    const errors: Array<{ label: string; err: CtiError }> = [];
    this.setLink({ state: 'connecting', detail: `connecting to ${portalLabel(this.conn.portals[0] ?? { host: '?', port: 0, https: false })}` });
    for (const [i, portal] of this.conn.portals.entries()) {
      if (this.stopped) break;
      const label = portalLabel(portal);
      const session: CtipsPortalSession = new CtipsPortalSession({
        portal,
        wire: this.wire,
        tls: portal.https ? trust : {},
        credentials: { userName: this.conn.userName, password: this.deps.secret.password },
        tenantId: this.conn.tenantId,
        callback,
        classes: allClasses,
        filters: this.opts.filters,
        heartbeat: { intervalMs: this.conn.heartbeat.intervalSec * 1000, missed: this.conn.heartbeat.missed },
        timeoutMs: perPortal,
        log: this.deps.log,
        trace,
        onEvent: (e) => this.onEvent(session, e),
        onLost: (err) => this.onLost(session, err),
      });
      try {
        await session.open();
      } catch (err) {
        errors.push({ label, err: CtiError.from(err) });
        this.deps.log.warn({ portal: label, code: CtiError.from(err).code, err: CtiError.from(err).message }, 'ctips: portal not available');
        continue;
      }
      if (this.stopped) {
        await session.close();
        break;
      }
      this.session = session;
      this.fresh = false;
      this.attempt = 0;
      this.setLink({ state: 'up', detail: `online on ${label}`, server: label });
      if (i > 0) this.notice('warning', 'ctipsFailover', `Connected to the portal ${label}; ${errors.map((e) => `${e.label} is not available (${e.err.message})`).join('; ')}`);
      else if (this.conn.portals.length > 1) this.notice('info', 'ctipsPortal', `Connected to the portal ${label}`);
      return;
    }
    const worst = [...errors].sort((a, b) => (errorWeight[b.err.code] ?? 0) - (errorWeight[a.err.code] ?? 0))[0];
    const detail = errors.map((e) => `${e.label}: ${e.err.message}`).join('; ') || 'stopped';
    this.setLink({ state: 'down', detail });
    throw new CtiError(worst?.err.code ?? 'notConnected', errors.length > 1 ? `no CTIPS portal available (${detail})` : (worst?.err.message ?? detail), worst?.err.vendorCode);
  }

  private async takeSnapshot(): Promise<void> {
    const session = this.portal();
    this.buffered = [];
    let updates: SnapshotUpdate[];
    try {
      updates = await session.snapshot(Math.max(2000, this.deps.profile.commandTimeoutMs - 500));
    } catch (err) {
      this.flushBuffered();
      throw err;
    }
    if (session !== this.session) throw new CtiError('notConnected', 'the CTIPS session changed during the snapshot');
    const changes = this.model.replaceFromSnapshot(updates);
    this.fresh = true;
    this.dispatch(changes);
    this.flushBuffered();
  }

  private flushBuffered(): void {
    const held = this.buffered ?? [];
    this.buffered = null;
    for (const e of held) this.applyEvent(e);
  }

  private onEvent(session: CtipsPortalSession, e: CtipsEvent): void {
    if (session !== this.session) return;
    if (this.buffered) {
      this.buffered.push(e);
      return;
    }
    this.applyEvent(e);
  }

  private applyEvent(e: CtipsEvent): void {
    const route = routeRequestOf(e, this.now());
    if (route) {
      for (const l of [...this.routeListeners]) {
        try {
          l(route);
        } catch (err) {
          this.deps.log.error({ err }, 'ctips: a routing application failed on a route request');
        }
      }
    }
    let changes: ModelChange[];
    try {
      changes = this.model.apply(e);
    } catch (err) {
      this.deps.log.error({ err, type: e.type }, 'ctips: event not applied');
      return;
    }
    for (const c of changes) {
      if (c.kind === 'unknown') this.deps.log.warn({ type: c.type.slice(0, 64) }, 'ctips: unknown event type kept out of the model');
      if (c.kind === 'link') {
        this.notice(c.up ? 'info' : 'warning', c.up ? 'pbxLinkUp' : 'pbxLinkDown', c.up ? `The platform's ${c.component} link is back up` : `The platform's ${c.component} link is down: calls and agent requests may fail`);
        if (c.up) void this.snapshot(true).catch(() => undefined);
      }
    }
    if (e.kind !== 'unknown' && e.invalid.length > 0) this.deps.log.warn({ type: e.type, invalid: e.invalid.slice(0, 10) }, 'ctips: event fields not understood (kept as empty)');
    this.dispatch(changes, e);
  }

  private dispatch(changes: readonly ModelChange[], e?: CtipsEvent): void {
    if (changes.length === 0) return;
    for (const l of [...this.listeners]) {
      try {
        l.changed(changes, e);
      } catch (err) {
        this.deps.log.error({ err }, 'ctips: a view failed on a change');
      }
    }
  }

  private onLost(session: CtipsPortalSession, err: CtiError): void {
    if (session !== this.session) return;
    this.session = null;
    this.fresh = false;
    this.buffered = null;
    this.deps.log.warn({ code: err.code, err: err.message }, 'ctips: session lost');
    this.setLink({ state: 'down', detail: err.message });
    for (const l of [...this.listeners]) l.lost(err);
    if (this.opts.autoReconnect && !this.stopped) this.scheduleReconnect();
  }

  /** Gateway: keep trying (backoff with jitter) until a portal answers, then snapshot. */
  scheduleReconnect(): void {
    if (this.retryTimer || this.stopped) return;
    const { initialMs, maxMs } = this.deps.profile.reconnect;
    const delay = backoffDelay(this.attempt, initialMs, maxMs);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect()
        .then(() => this.snapshot(true))
        .catch((err: unknown) => {
          this.deps.log.warn({ err: CtiError.from(err).message }, 'ctips: reconnect failed');
          this.scheduleReconnect();
        });
    }, delay);
  }
}
