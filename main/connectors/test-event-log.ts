// Test helper for every connector's tests: the events, lost() calls and feed labels a connector
// reports, with "wait for the next matching one" (bounded; no sleeps).
import type { CtiError } from '../../shared/commands.js';
import type { CtiEvent } from '../../shared/events.js';

/** Connector events, lost() calls and feed labels, with "wait for the next matching one". */
export class EventLog {
  readonly events: CtiEvent[] = [];
  readonly lost: CtiError[] = [];
  readonly feeds: Array<string | null> = [];
  private waiters: Array<() => void> = [];

  push(e: CtiEvent): void {
    this.events.push(e);
    this.wake();
  }
  pushLost(e: CtiError): void {
    this.lost.push(e);
    this.wake();
  }
  pushFeed(f: string | null): void {
    this.feeds.push(f);
    this.wake();
  }
  get feed(): string | null | undefined {
    return this.feeds[this.feeds.length - 1];
  }
  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
  next<T extends CtiEvent>(pred: (e: CtiEvent) => e is T, from?: number, timeoutMs?: number): Promise<T>;
  next(pred: (e: CtiEvent) => boolean, from?: number, timeoutMs?: number): Promise<CtiEvent>;
  next(pred: (e: CtiEvent) => boolean, from = 0, timeoutMs = 4000): Promise<CtiEvent> {
    return this.until(() => this.events.slice(from).find(pred), timeoutMs, () => `no matching event; got ${this.events.map((e) => e.type).join(', ')}`);
  }
  nextLost(timeoutMs = 4000): Promise<CtiError> {
    return this.until(() => this.lost[0], timeoutMs, () => 'lost() was not called');
  }
  feedIs(label: string | null, timeoutMs = 4000): Promise<void> {
    return this.until(() => (this.feed === label ? true : undefined), timeoutMs, () => `feed is ${String(this.feed)}, not ${String(label)} (history ${this.feeds.join(' → ')})`).then(() => undefined);
  }
  until<T>(probe: () => T | undefined, timeoutMs: number, why: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = probe();
        if (hit === undefined) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(why()));
      }, timeoutMs);
      this.waiters.push(check);
      check();
    });
  }
}
