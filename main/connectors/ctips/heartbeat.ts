// CTIPS heartbeat supervision (manual L1094–L1100, L1862–L1872, L2565; digest §2.4, §7 #27): CTIPS
// calls the app's HeartbeatMessage every "Heartbeat interval" (default 30, [INF] seconds); there is
// no client→server ping, and "if the client does not receive any heartbeat messages … it must
// attempt to reconnect" (L1868). The watchdog counts intervals without a heartbeat: each one is a
// `missed` (for the log), and after more than `missedAllowed` (default 3, the server's "Missed
// Heartbeats") it reports `lost` once — i.e. no heartbeat for interval × (missed + 1) = 120 s by
// default, the digest's client default. Armed at StartSession or OnLine (`start`), fed by `beat`,
// stopped by `stop`. Timers and clock are injectable; nothing here touches a socket.

export interface WatchdogTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The global timers, looked up at call time (so test fake timers apply). */
export const realTimers: WatchdogTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
export const DEFAULT_MISSED_HEARTBEATS = 3;

export interface HeartbeatWatchdogOptions {
  /** Expected heartbeat interval, ms (default 30 000). */
  intervalMs?: number;
  /** Intervals without a heartbeat tolerated before `lost` (default 3; 1–999 like the server setting). */
  missedAllowed?: number;
  /** The link is down: no heartbeat for interval × (missedAllowed + 1). Called once per `start`. */
  onLost: (info: { missed: number; lastBeatAt: number | null; silentMs: number }) => void;
  /** An interval passed without a heartbeat (count so far). */
  onMissed?: (missed: number) => void;
  timers?: WatchdogTimers;
  now?: () => number;
}

export class HeartbeatWatchdog {
  readonly intervalMs: number;
  readonly missedAllowed: number;
  private readonly o: HeartbeatWatchdogOptions;
  private readonly timers: WatchdogTimers;
  private readonly now: () => number;
  private handle: unknown = null;
  private count = 0;
  private since = 0;
  private last: number | null = null;
  private state: 'idle' | 'running' | 'lost' = 'idle';

  constructor(o: HeartbeatWatchdogOptions) {
    const interval = o.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    const missed = o.missedAllowed ?? DEFAULT_MISSED_HEARTBEATS;
    if (!Number.isFinite(interval) || interval <= 0) throw new RangeError(`heartbeat interval ${interval} must be > 0 ms`);
    if (!Number.isInteger(missed) || missed < 0 || missed > 999) throw new RangeError(`missed heartbeats ${missed} must be an integer 0–999`);
    this.intervalMs = interval;
    this.missedAllowed = missed;
    this.o = o;
    this.timers = o.timers ?? realTimers;
    this.now = o.now ?? Date.now;
  }

  /** 'idle' (not armed), 'running', or 'lost' (reported; `start` re-arms). */
  get status(): 'idle' | 'running' | 'lost' {
    return this.state;
  }

  /** Intervals since the last heartbeat (or start). */
  get missed(): number {
    return this.count;
  }

  get lastBeatAt(): number | null {
    return this.last;
  }

  /** Arm (or re-arm, counters cleared). */
  start(): void {
    this.clear();
    this.state = 'running';
    this.count = 0;
    this.since = this.now();
    this.arm();
  }

  /** A heartbeat arrived: counter cleared, the interval restarts. Ignored (false) unless running. */
  beat(): boolean {
    if (this.state !== 'running') return false;
    this.last = this.now();
    this.since = this.last;
    this.count = 0;
    this.clear();
    this.arm();
    return true;
  }

  /** Disarm (session closed, reconnecting). */
  stop(): void {
    this.clear();
    this.state = 'idle';
    this.count = 0;
  }

  private arm(): void {
    this.handle = this.timers.setTimeout(() => this.tick(), this.intervalMs);
  }

  private clear(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  private tick(): void {
    this.handle = null;
    if (this.state !== 'running') return;
    this.count += 1;
    if (this.count > this.missedAllowed) {
      this.state = 'lost';
      this.o.onLost({ missed: this.count, lastBeatAt: this.last, silentMs: this.now() - this.since });
      return;
    }
    this.o.onMissed?.(this.count);
    this.arm();
  }
}
