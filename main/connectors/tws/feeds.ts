// The feed manager: opens the profile's event feeds in preference order (`connection.feeds`), and
// when the active one fails (connect error, close, idle/half-open, garbage beyond resync) falls
// back to the next one, then to the more preferred ones, then the failed one again; every switch
// is followed by a resync (the connector's snapshot). While a less preferred feed is active it
// tries the preferred ones again every `retryPreferredMs` (make-before-break). A feed closed
// within the token-check window makes it re-authenticate once and re-open the same feed first.
// When nothing opens, `onAllFailed` (the connector reports listeners.lost).
import { CtiError } from '../../../shared/commands.js';
import type { TwsFeed } from '../../../shared/profile.js';
import type { Logger } from '../../core/log.js';
import type { TwsEvent } from './events.js';
import { feedLabels, type EventFeed, type FeedCallbacks, type FeedEnd } from './feed.js';

export interface FeedManagerOptions {
  order: readonly TwsFeed[];
  create(kind: TwsFeed, cb: FeedCallbacks): EventFeed;
  onEvent(ev: TwsEvent, kind: TwsFeed): void;
  onBad(kind: string, message: string, feed: TwsFeed): void;
  /** The active feed's label (LinkInfo.feed), null when none. */
  onActive(label: string | null): void;
  /** A feed took over (after a failure or going back to the preferred one): resync now. */
  onSwitched(from: TwsFeed | null, to: TwsFeed, why: string): void;
  onAllFailed(err: CtiError): void;
  /** New token (and monitor) after a feed refused the old one. */
  reauthenticate(): Promise<void>;
  retryPreferredMs: number;
  /** Going back to a preferred feed: it must stay open this long (the token-check window) before the
   *  current feed is closed; one that the server closes at once is dropped and the current feed kept. */
  settleMs?: number;
  log: Logger;
}

export class FeedManager {
  private readonly o: FeedManagerOptions;
  private activeFeed: EventFeed | null = null;
  private candidate: EventFeed | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private busy = false;
  private stopped = false;
  private reauthDone = false;
  /** Feeds that closed right after opening, since a feed last proved itself (an event, or a later close). */
  private readonly earlyFailures = new Map<TwsFeed, number>();
  private lastLabel: string | null | undefined = undefined;
  /** The active feed ended while a switch was running: handled when it is over. */
  private pending: { kind: TwsFeed; end: FeedEnd } | null = null;
  /** Wakes retryPreferred's settle wait when the candidate closes. */
  private settleWake: (() => void) | null = null;

  constructor(o: FeedManagerOptions) {
    this.o = o;
  }

  get active(): TwsFeed | null {
    return this.activeFeed?.kind ?? null;
  }

  /** Every feed failed (onAllFailed was reported) and none is open. */
  get dead(): boolean {
    return this.allFailed && this.activeFeed === null;
  }

  private allFailed = false;

  private failAll(err: CtiError): void {
    this.allFailed = true;
    this.report(null);
    this.o.onAllFailed(err);
  }

  /** Open the most preferred feed that opens; throws a CtiError naming every failure. */
  async start(): Promise<void> {
    this.stopped = false;
    this.busy = true;
    try {
      const opened = await this.openFirst([...this.o.order], null);
      if (!opened.feed) throw opened.error;
      this.activate(opened.feed);
    } finally {
      this.busy = false;
      this.drainPending();
    }
  }

  private drainPending(): void {
    const p = this.pending;
    this.pending = null;
    if (p && !this.activeFeed && !this.stopped) void this.failover(p.kind, p.end);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearRetry();
    const feeds = [this.activeFeed, this.candidate].filter((f): f is EventFeed => f !== null);
    this.activeFeed = null;
    this.candidate = null;
    await Promise.all(feeds.map((f) => f.close().catch(() => undefined)));
    this.report(null);
  }

  /** The connector found the active feed silent while events were missed: treat it as failed. */
  recycle(why: string): void {
    const f = this.activeFeed;
    if (!f || this.busy || this.stopped) return;
    this.o.log.warn({ feed: f.kind, why }, 'TWS: the event feed seems dead; switching');
    this.activeFeed = null;
    this.report(null);
    void f.close();
    void this.failover(f.kind, { error: new CtiError('timeout', why), early: false });
  }

  private report(label: string | null): void {
    if (this.lastLabel === label) return;
    this.lastLabel = label;
    this.o.onActive(label);
  }

  private callbacks(get: () => EventFeed | null): FeedCallbacks {
    const live = () => {
      const f = get();
      return f !== null && (f === this.activeFeed || f === this.candidate);
    };
    return {
      event: (ev) => {
        const f = get();
        if (!f || !live()) return;
        if (f === this.activeFeed) {
          // The token works and the feed delivers.
          this.reauthDone = false;
          this.earlyFailures.clear();
        }
        this.o.onEvent(ev, f.kind);
      },
      bad: (kind, message) => {
        const f = get();
        if (!f || !live()) return;
        this.o.onBad(kind, message, f.kind);
      },
      closed: (end) => {
        const f = get();
        if (!f || this.stopped) return;
        if (f === this.candidate) {
          this.candidate = null;
          this.settleWake?.();
          return;
        }
        if (f !== this.activeFeed) return;
        this.activeFeed = null;
        // No feed until the failover opens one: the link shows it (degraded) meanwhile.
        this.report(null);
        this.o.log.warn({ feed: f.kind, code: end.error.code, err: end.error.message, early: end.early }, 'TWS: event feed ended');
        if (this.busy) this.pending = { kind: f.kind, end };
        else void this.failover(f.kind, end);
      },
    };
  }

  private make(kind: TwsFeed): EventFeed {
    let feed: EventFeed | null = null;
    feed = this.o.create(kind, this.callbacks(() => feed));
    return feed;
  }

  /** Try `kinds` in order; the first that opens wins (it is the candidate until activated). */
  private async openFirst(kinds: TwsFeed[], failed: TwsFeed | null): Promise<{ feed: EventFeed | null; error: CtiError }> {
    const errors: string[] = [];
    let last: CtiError | null = null;
    for (const kind of kinds) {
      if (this.stopped) break;
      const feed = this.make(kind);
      this.candidate = feed;
      try {
        await feed.open();
        if (this.stopped) {
          await feed.close();
          break;
        }
        if (this.candidate !== feed) {
          // It ended while opening.
          errors.push(`${feedLabels[kind]}: closed at once`);
          continue;
        }
        return { feed, error: new CtiError('internal', '') };
      } catch (err) {
        const e = CtiError.from(err);
        if (this.candidate === feed) this.candidate = null;
        last = e;
        errors.push(`${feedLabels[kind]}: ${e.message}`);
        this.o.log.info({ feed: kind, code: e.code, err: e.message, after: failed }, 'TWS: event feed did not open');
        if (e.code === 'authFailed') break;
      }
    }
    this.candidate = null;
    const code = last?.code === 'authFailed' ? 'authFailed' : last?.code === 'sessionLost' ? 'sessionLost' : 'unreachable';
    return { feed: null, error: new CtiError(code, `no TWS event feed could be opened (${errors.join('; ') || 'stopped'})`, last?.vendorCode) };
  }

  private activate(feed: EventFeed): void {
    this.allFailed = false;
    if (this.candidate === feed) this.candidate = null;
    this.activeFeed = feed;
    this.report(feed.label);
    this.scheduleRetry();
  }

  private async failover(failed: TwsFeed, end: FeedEnd): Promise<void> {
    if (this.stopped) return;
    this.busy = true;
    this.clearRetry();
    try {
      const idx = this.o.order.indexOf(failed);
      if (end.early) this.earlyFailures.set(failed, (this.earlyFailures.get(failed) ?? 0) + 1);
      else this.earlyFailures.clear();
      // A feed that keeps closing right after it opened is left out until another one proves itself.
      const usable = (k: TwsFeed) => (this.earlyFailures.get(k) ?? 0) < 2;
      let kinds = [...this.o.order.slice(idx + 1), ...this.o.order.slice(0, idx), failed].filter(usable);
      if (end.early && !this.reauthDone) {
        this.reauthDone = true;
        try {
          await this.o.reauthenticate();
        } catch (err) {
          const e = CtiError.from(err);
          if (this.stopped) return;
          this.failAll(e);
          return;
        }
        kinds = usable(failed) ? [failed, ...kinds.filter((k) => k !== failed)] : kinds;
      }
      if (kinds.length === 0) {
        this.failAll(new CtiError(end.tokenRefused ? 'sessionLost' : 'unreachable', `every TWS event feed closed right after opening (last: ${feedLabels[failed]}: ${end.error.message})`));
        return;
      }
      if (this.stopped) return;
      const opened = await this.openFirst(kinds, failed);
      if (this.stopped) {
        await opened.feed?.close();
        return;
      }
      if (!opened.feed) {
        this.failAll(new CtiError(opened.error.code === 'authFailed' ? 'authFailed' : 'unreachable', `the TWS event feed ${feedLabels[failed]} failed (${end.error.message}) and ${opened.error.message}`, opened.error.vendorCode));
        return;
      }
      this.activate(opened.feed);
      this.o.onSwitched(failed, opened.feed.kind, end.error.message);
    } finally {
      this.busy = false;
      this.drainPending();
    }
  }

  private scheduleRetry(): void {
    this.clearRetry();
    const f = this.activeFeed;
    if (!f || this.stopped) return;
    const idx = this.o.order.indexOf(f.kind);
    if (idx <= 0) return;
    this.retryTimer = setTimeout(() => void this.retryPreferred(), this.o.retryPreferredMs);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** True when `feed` (the candidate) is still open after the settle window. */
  private async settle(feed: EventFeed): Promise<boolean> {
    const ms = this.o.settleMs ?? 0;
    if (ms > 0 && this.candidate === feed && !this.stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => resolve(), ms);
        this.settleWake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.settleWake = null;
    }
    return this.candidate === feed && !this.stopped;
  }

  /** Make-before-break: open a more preferred feed, then close the current one. */
  private async retryPreferred(): Promise<void> {
    this.retryTimer = null;
    const current = this.activeFeed;
    if (!current || this.busy || this.stopped) {
      this.scheduleRetry();
      return;
    }
    this.busy = true;
    try {
      const idx = this.o.order.indexOf(current.kind);
      const opened = await this.openFirst(this.o.order.slice(0, idx), null);
      if (this.stopped) {
        await opened.feed?.close();
        return;
      }
      if (!opened.feed) return;
      if (!(await this.settle(opened.feed))) {
        // Open, then closed by the server at once (a feed switched off, a refused token): the current feed
        // works, so it stays; no re-authentication, no switch back and forth.
        this.o.log.info({ feed: opened.feed.kind }, 'TWS: the preferred event feed closed right after opening; staying on the current one');
        await opened.feed.close().catch(() => undefined);
        return;
      }
      if (this.activeFeed === current) {
        this.activeFeed = null;
        await current.close().catch(() => undefined);
      }
      // (If the current one failed meanwhile, the preferred one simply takes over.)
      this.pending = null;
      this.activate(opened.feed);
      this.o.onSwitched(current.kind, opened.feed.kind, 'back to the preferred feed');
    } finally {
      this.busy = false;
      if (this.pending) this.drainPending();
      else this.scheduleRetry();
    }
  }
}
