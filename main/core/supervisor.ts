// The session supervisor: owns one connector for one profile. It connects, keeps the session
// alive, detects loss, reconnects with backoff and jitter, and resynchronizes from the vendor's
// snapshot after every (re)connect so no phantom or missing call remains. It reports the link as
// connecting / up / degraded / down. Commands time out with a clear error and never block.
import { type Command, type Query, CtiError } from '../../shared/commands.js';
import type { CtiEvent } from '../../shared/events.js';
import type { LinkInfo, LinkStateKind } from '../../shared/model.js';
import type { Profile } from '../../shared/profile.js';
import { backoffDelay } from './backoff.js';
import type { Connector, QueryResult } from './connector.js';
import type { Logger } from './log.js';

export interface SupervisorOptions {
  profile: Profile;
  connector: Connector;
  log: Logger;
  emit: (e: CtiEvent) => void;
  now?: () => number;
  random?: () => number;
}

/** Errors after which retrying at once is pointless; the supervisor waits the longest delay. */
const slowRetry = new Set(['authFailed', 'limit']);

export class SessionSupervisor {
  private readonly profile: Profile;
  private readonly connector: Connector;
  private readonly log: Logger;
  private readonly emit: (e: CtiEvent) => void;
  private readonly now: () => number;
  private readonly random: () => number;

  private running = false;
  /** Bumped on every (re)connect; async work from an older epoch is ignored. */
  private epoch = 0;
  private attempt = 0;
  private link: LinkInfo;
  private pbxLinkUp = true;
  private missedEvents = false;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private keepAliveBusy = false;
  /** The connector reported its event feed gone while the session stays up (it is re-opening it). */
  private feedLost = false;
  private readonly waiters = new Set<() => void>();

  constructor(opts: SupervisorOptions) {
    this.profile = opts.profile;
    this.connector = opts.connector;
    this.log = opts.log;
    this.emit = opts.emit;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.link = { state: 'down', since: this.now(), attempt: 0, detail: 'not connected' };
    this.connector.setListeners({
      event: (e) => this.onConnectorEvent(e),
      lost: (err) => this.onLost(err),
      feed: (feed) => this.onFeed(feed),
    });
  }

  get linkState(): LinkInfo {
    return this.link;
  }

  get vendor() {
    return this.connector.vendor;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.emit({
      type: 'session',
      profileId: this.profile.id,
      vendor: this.connector.vendor,
      device: this.profile.device,
      capabilities: [...this.connector.capabilities, ...(this.connector.extraCapabilities ?? [])],
    });
    void this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.epoch += 1;
    this.clearTimers();
    await this.connector.stop();
    this.setLink('down', 'signed out');
  }

  /** Resolves when the link is up (or degraded), for tests and the CLI. */
  whenUp(timeoutMs = 10_000): Promise<void> {
    if (this.isUsable()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(new CtiError('timeout', `the link did not come up within ${timeoutMs} ms: ${this.link.detail ?? ''}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.add(done);
    });
  }

  async execute(cmd: Command): Promise<void> {
    if (cmd.kind === 'snapshot') {
      await this.resync();
      return;
    }
    if (cmd.kind === 'checkLink') {
      this.checkLink('asked by the agent');
      return;
    }
    if (!this.connector.capabilities.has(cmd.kind)) {
      throw new CtiError('unsupported', `${this.connector.vendor} does not support ${cmd.kind}`);
    }
    this.requireUsable();
    try {
      await this.withTimeout(this.connector.execute(cmd), `${cmd.kind}`);
    } catch (err) {
      const e = CtiError.from(err);
      if (e.code === 'unreachable' || e.code === 'sessionLost') this.onLost(e);
      throw e;
    }
  }

  async query(q: Query): Promise<QueryResult> {
    this.requireUsable();
    return this.withTimeout(this.connector.query(q), q.kind);
  }

  /**
   * Check the link now instead of at the next keep-alive or retry: after the machine wakes from
   * sleep or its network changes, a session that looks up may be dead, and a retry scheduled
   * minutes away would leave the agent unable to answer until then.
   */
  checkLink(why: string): void {
    if (!this.running) return;
    if (this.isUsable()) {
      if (this.keepAliveBusy) return;
      this.log.info({ why }, 'checking the CTI link now');
      if (this.keepAliveTimer) clearTimeout(this.keepAliveTimer);
      this.keepAliveTimer = null;
      void this.keepAlive(this.epoch);
      return;
    }
    // A connect in progress answers for itself; only a pending retry is brought forward.
    if (this.retryTimer === null) return;
    this.log.info({ why }, 'reconnecting now instead of waiting');
    void this.connect();
  }

  /** Pull a fresh snapshot now (after a reconnect, on request, or when events were missed). */
  async resync(): Promise<void> {
    this.requireUsable();
    const snap = await this.withTimeout(this.connector.snapshot(), 'snapshot');
    this.emit(snap);
  }

  private isUsable(): boolean {
    return this.link.state === 'up' || this.link.state === 'degraded';
  }

  private requireUsable(): void {
    if (!this.isUsable()) {
      throw new CtiError('notConnected', `not connected to the CTI server (${this.link.detail ?? this.link.state})`);
    }
  }

  private withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
    const ms = this.profile.commandTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CtiError('timeout', `${what}: no reply from the CTI server within ${ms} ms`)), ms);
      p.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(CtiError.from(e));
        },
      );
    });
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    const epoch = ++this.epoch;
    this.clearTimers();
    this.setLink('connecting', this.attempt === 0 ? 'connecting' : `reconnecting (attempt ${this.attempt + 1})`);
    try {
      await this.withTimeout(this.connector.start(), 'connect');
      if (epoch !== this.epoch) return this.abandoned();
      const snap = await this.withTimeout(this.connector.snapshot(), 'snapshot');
      if (epoch !== this.epoch) return this.abandoned();
      this.emit(snap);
      this.attempt = 0;
      this.missedEvents = false;
      this.feedLost = false;
      this.updateHealthyLink();
      this.scheduleKeepAlive(epoch);
    } catch (err) {
      if (epoch !== this.epoch) return;
      this.scheduleRetry(CtiError.from(err));
    }
  }

  /** A connect overtaken by stop(): the start that finished after the stop must not keep the session open. */
  private abandoned(): void {
    if (!this.running) void this.connector.stop();
  }

  private scheduleRetry(err: CtiError): void {
    this.clearTimers();
    void this.connector.stop();
    const { initialMs, maxMs } = this.profile.reconnect;
    const delay = slowRetry.has(err.code) ? maxMs : backoffDelay(this.attempt, initialMs, maxMs, this.random);
    this.attempt += 1;
    const retryAt = this.now() + delay;
    this.log.warn({ code: err.code, err: err.message, delay }, 'CTI link lost; retrying');
    this.setLink('down', err.message, retryAt);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private scheduleKeepAlive(epoch: number): void {
    const ms = Math.round(this.profile.keepAliveSec * 1000);
    this.keepAliveTimer = setTimeout(() => void this.keepAlive(epoch), ms);
  }

  private async keepAlive(epoch: number): Promise<void> {
    if (epoch !== this.epoch || this.keepAliveBusy) return;
    this.keepAliveBusy = true;
    try {
      const r = await this.withTimeout(this.connector.keepAlive(), 'keep-alive');
      if (epoch !== this.epoch) return;
      this.pbxLinkUp = r.pbxLinkUp;
      this.missedEvents = r.missedEvents > 0;
      if (this.missedEvents) {
        this.log.warn({ missed: r.missedEvents }, 'events were missed; re-syncing from snapshot');
        this.emit(r.snapshot ?? (await this.withTimeout(this.connector.snapshot(), 'snapshot')));
      }
      this.updateHealthyLink();
      this.scheduleKeepAlive(epoch);
    } catch (err) {
      if (epoch === this.epoch) this.scheduleRetry(CtiError.from(err));
    } finally {
      this.keepAliveBusy = false;
    }
  }

  private onConnectorEvent(e: CtiEvent): void {
    if (e.type === 'notice' && (e.code === 'pbxLinkDown' || e.code === 'pbxLinkUp')) {
      this.pbxLinkUp = e.code === 'pbxLinkUp';
      this.emit(e);
      if (this.isUsable()) this.updateHealthyLink();
      return;
    }
    this.emit(e);
  }

  private onFeed(feed: string | null): void {
    const was = this.link.feed ?? null;
    if (was === feed) return;
    const { feed: _old, ...rest } = this.link;
    this.link = feed ? { ...rest, feed } : rest;
    this.emit({ type: 'link', link: this.link });
    if (!this.running || !this.isUsable()) return;
    // While a connected session re-opens its event feed, calls may change unseen: say so.
    this.feedLost = feed === null && was !== null;
    this.updateHealthyLink();
  }

  private onLost(err: CtiError): void {
    if (!this.running || !this.isUsable()) return;
    this.scheduleRetry(err);
  }

  private updateHealthyLink(): void {
    if (this.feedLost) this.setLink('degraded', 'the event feed was lost; re-opening it (calls are re-read when it is back)');
    else if (!this.pbxLinkUp) this.setLink('degraded', 'the PBX link is out of service; calls cannot be controlled');
    else if (this.missedEvents) this.setLink('degraded', 'events were lost on the way; state re-synced from the server');
    else this.setLink('up', 'connected');
  }

  private setLink(state: LinkStateKind, detail: string, retryAt?: number): void {
    const same = this.link.state === state && this.link.detail === detail && this.link.retryAt === retryAt;
    if (same) return;
    this.link = {
      state,
      detail,
      since: this.link.state === state ? this.link.since : this.now(),
      attempt: this.attempt,
      ...(retryAt !== undefined ? { retryAt } : {}),
      ...(this.link.feed !== undefined ? { feed: this.link.feed } : {}),
    };
    this.emit({ type: 'link', link: this.link });
    if (this.isUsable()) {
      for (const w of this.waiters) w();
      this.waiters.clear();
    }
  }

  private clearTimers(): void {
    if (this.keepAliveTimer) clearTimeout(this.keepAliveTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.keepAliveTimer = null;
    this.retryTimer = null;
  }
}
