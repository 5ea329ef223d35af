// The O2G gateway logic shared by the two servers of the HA pair: users, the telephony, CCD, routing and
// comlog services over one PBX core, and the fan-out of their events. Core events are taken in batches (all
// the events of one core operation), so each user is told the outcome of an operation once.
import type { Logger } from '../../core/log.js';
import type { Pbx } from '../pbx/pbx.js';
import type { PbxEvent } from '../pbx/types.js';
import { AcdService } from './acd.js';
import { CallTracker, type BatchEvent, type OpContext } from './call-tracker.js';
import { ComlogService } from './comlog.js';
import { o2gConfig, type Licence, type O2gConfig } from './config.js';
import { badParameter, linkDown, notAllowed, notFound } from './errors.js';
import type { O2gEvent } from './events.js';
import type { RequestContext } from './router.js';
import { RoutingService } from './routing.js';
import { O2gUsers, type O2gUser } from './users.js';

export type EventListener = (event: O2gEvent) => void;

export class O2gService {
  readonly config: O2gConfig;
  readonly users: O2gUsers;
  readonly tracker: CallTracker;
  readonly acd: AcdService;
  readonly routing: RoutingService;
  readonly comlog: ComlogService;
  readonly startedAt: number;
  private readonly listeners = new Set<EventListener>();
  private readonly unsubscribe: () => void;
  private pending: BatchEvent[] = [];
  private scheduled = false;
  private op: OpContext | undefined;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly pendingSnapshots = new Set<string>();
  private disposed = false;

  constructor(
    readonly pbx: Pbx,
    config: Partial<O2gConfig>,
    readonly log: Logger,
  ) {
    this.config = o2gConfig(config);
    this.users = new O2gUsers(this.config, pbx);
    this.startedAt = Date.now();
    this.acd = new AcdService(this);
    this.tracker = new CallTracker({
      pbx,
      users: this.users,
      emit: (e) => this.emit(e),
      acdData: (call, leg) => this.acd.acdCallData(call, leg),
      dvaNumber: this.config.dvaNumber,
    });
    this.routing = new RoutingService(this);
    this.comlog = new ComlogService(this);
    this.unsubscribe = pbx.subscribe((e) => this.onPbxEvent(e));
  }

  /** Listen to every O2G event (the servers filter them per subscription). */
  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: O2gEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.log.error({ err }, 'o2g: event listener failed');
      }
    }
  }

  /** Run core operations on behalf of an O2G request: the events they raise carry `op`'s cause. */
  during<T>(op: OpContext, fn: () => T): T {
    const outer = this.op;
    this.op = op;
    try {
      return fn();
    } finally {
      this.op = outer;
    }
  }

  /**
   * A snapshot for `key` (e.g. "telephony|agent1") after the usual delay; "If a second request is asked since
   * the previous one is still in progress, it has no effect" (L3027–L3028).
   */
  snapshot(key: string, fn: () => void): void {
    if (this.pendingSnapshots.has(key)) return;
    this.pendingSnapshots.add(key);
    this.later(() => {
      this.pendingSnapshots.delete(key);
      fn();
    });
  }

  /** Run `fn` after `ms` (snapshot events, "0–200 ms after the 204"); cancelled on dispose. */
  later(fn: () => void, ms = this.config.snapshotDelayMs): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.disposed) fn();
    }, ms);
    this.timers.add(t);
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pendingSnapshots.clear();
    this.listeners.clear();
    this.acd.dispose();
  }

  /** The PBX was reset: calls and agents start again, so does the O2G view of them. */
  reset(): void {
    this.pending = [];
    this.tracker.reset();
    this.acd.reset();
    this.routing.reset();
    this.comlog.reset();
  }

  // ---------------------------------------------------------------- request helpers

  /**
   * The user a request acts for (L1430–L1431): the session's user; for an administrator session the
   * `loginName` query parameter, or (device-addressed endpoints, digest §1.4 [SIM]) the owner of `deviceId`.
   */
  actingUser(ctx: RequestContext, deviceId?: string): O2gUser {
    const who = this.actingUserOrAll(ctx, deviceId);
    if (who === 'all') throw badParameter('The loginName parameter is mandatory for an administrator session');
    return who;
  }

  /** As actingUser, but an administrator without loginName means every user (snapshots, L3036–L3037). */
  actingUserOrAll(ctx: RequestContext, deviceId?: string): O2gUser | 'all' {
    if (!ctx.session.admin) return ctx.session.user;
    const login = ctx.query.get('loginName');
    if (login !== null && login !== '') {
      const user = this.users.byLoginName(login);
      if (!user || user.admin) throw notFound(`Unknown login name ${login}`);
      return user;
    }
    if (deviceId !== undefined) {
      const owner = this.users.byDeviceNumber(deviceId);
      if (!owner) throw notFound(`No user owns the device ${deviceId}`);
      return owner;
    }
    return 'all';
  }

  requireLicence(user: O2gUser, ...anyOf: Licence[]): void {
    if (!this.users.has(user, ...anyOf)) throw notAllowed(`The ${anyOf.join(' or ')} license is required for ${user.loginName}`);
  }

  /** Telephony and CCD requests need the CTI link (503 while it is down, digest §1.6). */
  requireLink(): void {
    if (!this.pbx.linkUp) throw linkDown();
  }

  /** Telephony is served only to monitored users (A4980 ≠ NONE, L6; digest §6 #50). */
  requireMonitored(user: O2gUser): void {
    if (!this.users.monitored(user)) throw notAllowed(`The user ${user.loginName} is not monitored by the telephony service`);
  }

  // ---------------------------------------------------------------- core events

  private onPbxEvent(e: PbxEvent): void {
    this.pending.push({ e, ...(this.op ? { op: this.op } : {}) });
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (this.disposed || batch.length === 0) return;
    // While the CTI link is down nothing reaches O2G: views follow silently, clients resync after OnCtiLinkUp.
    const silent = !this.pbx.linkUp && !batch.some(({ e }) => e.type === 'link');
    try {
      this.tracker.process(batch, silent);
      this.acd.process(batch, silent);
      this.routing.process(batch, silent);
      this.comlog.process(batch, silent);
      for (const { e } of batch) {
        if (e.type === 'link') this.emit({ eventName: e.up ? 'OnCtiLinkUp' : 'OnCtiLinkDown', nodeId: this.config.nodeId });
      }
    } catch (err) {
      this.log.error({ err }, 'o2g: event processing failed');
    }
  }
}
