// Failed sign-ins, per remote address: after `freeFailures` wrong passwords in a row, the address is
// locked out for `baseDelayMs`, doubling with each further failure up to `maxDelayMs`. A sign-in
// from a locked-out address is refused without its password being checked, so parallel guesses
// gain nothing. A successful sign-in clears the address; an entry is forgotten after `forgetMs`.

export interface ThrottleOptions {
  freeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  forgetMs?: number;
  /** Entries kept at most (oldest dropped first), so a flood of addresses cannot grow it without end. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  lockedUntil: number;
  last: number;
}

export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly forgetMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(o: ThrottleOptions = {}) {
    this.freeFailures = o.freeFailures ?? 3;
    this.baseDelayMs = o.baseDelayMs ?? 1000;
    this.maxDelayMs = o.maxDelayMs ?? 5 * 60_000;
    this.forgetMs = o.forgetMs ?? 30 * 60_000;
    this.maxEntries = o.maxEntries ?? 10_000;
    this.now = o.now ?? Date.now;
  }

  /** Milliseconds this address must still wait before a sign-in is checked (0 = go ahead). */
  waitMs(address: string): number {
    const e = this.entry(address);
    return e ? Math.max(0, e.lockedUntil - this.now()) : 0;
  }

  /** Record a wrong password; returns the lock-out that follows (0 while failures are free). */
  fail(address: string): number {
    const now = this.now();
    const e = this.entry(address) ?? { failures: 0, lockedUntil: 0, last: now };
    e.failures += 1;
    e.last = now;
    const over = e.failures - this.freeFailures;
    const delay = over < 0 ? 0 : Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(over, 30));
    e.lockedUntil = delay > 0 ? now + delay : 0;
    this.entries.delete(address);
    this.entries.set(address, e);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return delay;
  }

  succeed(address: string): void {
    this.entries.delete(address);
  }

  failures(address: string): number {
    return this.entry(address)?.failures ?? 0;
  }

  private entry(address: string): Entry | undefined {
    const e = this.entries.get(address);
    if (e && this.now() - e.last > this.forgetMs && this.now() >= e.lockedUntil) {
      this.entries.delete(address);
      return undefined;
    }
    return e;
  }
}
