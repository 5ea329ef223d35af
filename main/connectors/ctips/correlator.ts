// CTIPS RequestId correlation (manual L636, L1143; digest §1.7, §2.8, §7 #7–#8): the reply only
// says a request was accepted; its outcome arrives as events carrying its RequestId, on another
// HTTP channel (the app's callback server), so an event can arrive BEFORE the SOAP reply is read.
// - `next()` allocates ids: a random start in [1, 2^30] (two sessions' ids rarely collide, §2.8),
//   +1 with wrap-around at 2^31−1, never 0 (0 marks unsolicited events), never one in use.
// - `register(id, op)` before sending: events for it are then `matched` at once (and remembered,
//   `beforeReply: true`, until `replied`), so none is lost to the race.
// - An event for an id not registered (sent then registered, a previous session, another client)
//   is held `early` for `earlyTtlMs` (default 2 s, §2.8); `register` of that id takes the held
//   events; `sweep` releases the expired ones for the caller to treat as uncorrelated. Bounded:
//   at most `maxEarlyIds` ids × `maxEarlyPerId` events; the oldest id is evicted (returned) first.
// - `sweep(now)` also ends requests without completion within `completionTimeoutMs` (default 15 s,
//   §2.8 "unknown outcome"). `failAll()` on a lost session (§2.7 step 3).
// Pure: no timers; the clock and random source are injectable; `nextDeadline()` says when to sweep.
import type { CtipsEvent } from './events.js';

const MAX_ID = 0x7fffffff;

export interface CorrelatorEvent {
  header: { requestId: number };
}

export interface PendingRequest<E extends CorrelatorEvent = CtipsEvent> {
  requestId: number;
  operation: string;
  registeredAt: number;
  /** null until `replied`. */
  repliedAt: number | null;
  /** Every event matched to it so far, in arrival order. */
  events: E[];
}

export type Correlation<E extends CorrelatorEvent = CtipsEvent> =
  | { kind: 'unsolicited' }
  | { kind: 'matched'; request: PendingRequest<E>; beforeReply: boolean }
  /** Held for a registration; `evicted` are older held events pushed out by the bound (treat as uncorrelated). */
  | { kind: 'early'; evicted: E[] };

export interface RequestCorrelatorOptions {
  /** No completion within this time after register → `sweep` returns it as timed out. Default 15 000 ms. */
  completionTimeoutMs?: number;
  /** How long an event for an unknown id is held. Default 2 000 ms. */
  earlyTtlMs?: number;
  maxEarlyIds?: number;
  maxEarlyPerId?: number;
  /** Pending requests cap (register beyond it throws RangeError). Default 1024. */
  maxPending?: number;
  /** First id; default random in [1, 2^30]. */
  firstId?: number;
  now?: () => number;
  random?: () => number;
}

interface Held<E> {
  since: number;
  events: E[];
}

export class RequestCorrelator<E extends CorrelatorEvent = CtipsEvent> {
  private readonly completionTimeoutMs: number;
  private readonly earlyTtlMs: number;
  private readonly maxEarlyIds: number;
  private readonly maxEarlyPerId: number;
  private readonly maxPending: number;
  private readonly now: () => number;
  private nextId: number;
  private readonly pending = new Map<number, PendingRequest<E>>();
  /** Insertion order = age order (oldest first). */
  private readonly early = new Map<number, Held<E>>();

  constructor(o: RequestCorrelatorOptions = {}) {
    this.completionTimeoutMs = o.completionTimeoutMs ?? 15_000;
    this.earlyTtlMs = o.earlyTtlMs ?? 2_000;
    this.maxEarlyIds = o.maxEarlyIds ?? 256;
    this.maxEarlyPerId = o.maxEarlyPerId ?? 32;
    this.maxPending = o.maxPending ?? 1024;
    this.now = o.now ?? Date.now;
    const random = o.random ?? Math.random;
    const first = o.firstId ?? 1 + Math.floor(random() * 2 ** 30);
    this.nextId = Number.isInteger(first) && first >= 1 && first <= MAX_ID ? first : 1;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  get heldCount(): number {
    let n = 0;
    for (const h of this.early.values()) n += h.events.length;
    return n;
  }

  /** A fresh RequestId: never 0, never one pending or held. */
  next(): number {
    for (let tries = 0; tries <= this.pending.size + this.early.size + 1; tries += 1) {
      const id = this.nextId;
      this.nextId = id >= MAX_ID ? 1 : id + 1;
      if (!this.pending.has(id) && !this.early.has(id)) return id;
    }
    throw new RangeError('no free RequestId');
  }

  /** Register a request before sending it; returns the events already held for its id (matched now, before the reply). */
  register(requestId: number, operation: string): E[] {
    if (!Number.isInteger(requestId) || requestId < 1 || requestId > MAX_ID) throw new RangeError(`RequestId ${requestId} must be 1–${MAX_ID}`);
    if (this.pending.has(requestId)) throw new RangeError(`RequestId ${requestId} is already pending`);
    if (this.pending.size >= this.maxPending) throw new RangeError(`more than ${this.maxPending} pending CTIPS requests`);
    const held = this.early.get(requestId);
    this.early.delete(requestId);
    const events = held ? held.events : [];
    this.pending.set(requestId, { requestId, operation, registeredAt: this.now(), repliedAt: null, events: [...events] });
    return events;
  }

  /** The SOAP reply arrived: ok → still pending (awaiting completion), with the events matched before it; failed → removed. */
  replied(requestId: number, ok: boolean): PendingRequest<E> | null {
    const p = this.pending.get(requestId);
    if (!p) return null;
    p.repliedAt = this.now();
    if (!ok) this.pending.delete(requestId);
    return p;
  }

  /** The request completed (its completing or failure event was seen): forget it. */
  complete(requestId: number): PendingRequest<E> | null {
    const p = this.pending.get(requestId) ?? null;
    this.pending.delete(requestId);
    return p;
  }

  get(requestId: number): PendingRequest<E> | undefined {
    return this.pending.get(requestId);
  }

  /** Correlate an incoming event. */
  onEvent(e: E): Correlation<E> {
    const id = e.header.requestId;
    if (!Number.isInteger(id) || id === 0) return { kind: 'unsolicited' };
    const p = this.pending.get(id);
    if (p) {
      p.events.push(e);
      if (p.events.length > this.maxEarlyPerId * 4) p.events.shift();
      return { kind: 'matched', request: p, beforeReply: p.repliedAt === null };
    }
    const evicted: E[] = [];
    let h = this.early.get(id);
    if (!h) {
      while (this.early.size >= this.maxEarlyIds) {
        const oldest = this.early.keys().next().value as number;
        evicted.push(...(this.early.get(oldest)?.events ?? []));
        this.early.delete(oldest);
      }
      h = { since: this.now(), events: [] };
      this.early.set(id, h);
    }
    if (h.events.length >= this.maxEarlyPerId) evicted.push(h.events.shift() as E);
    h.events.push(e);
    return { kind: 'early', evicted };
  }

  /** Expire held events older than the TTL and requests past the completion timeout. */
  sweep(now: number = this.now()): { timedOut: PendingRequest<E>[]; expired: E[] } {
    const expired: E[] = [];
    for (const [id, h] of this.early) {
      if (now - h.since < this.earlyTtlMs) break; // insertion order = age order
      expired.push(...h.events);
      this.early.delete(id);
    }
    const timedOut: PendingRequest<E>[] = [];
    for (const [id, p] of this.pending) {
      if (now - p.registeredAt >= this.completionTimeoutMs) {
        timedOut.push(p);
        this.pending.delete(id);
      }
    }
    return { timedOut, expired };
  }

  /** When the next `sweep` has something to do (ms epoch of the clock), or null. */
  nextDeadline(): number | null {
    let d: number | null = null;
    const first = this.early.values().next().value as Held<E> | undefined;
    if (first) d = first.since + this.earlyTtlMs;
    for (const p of this.pending.values()) {
      const t = p.registeredAt + this.completionTimeoutMs;
      if (d === null || t < d) d = t;
    }
    return d;
  }

  /** The session is gone: every pending request and held event, removed. */
  failAll(): { pending: PendingRequest<E>[]; held: E[] } {
    const pending = [...this.pending.values()];
    const held = [...this.early.values()].flatMap((h) => h.events);
    this.pending.clear();
    this.early.clear();
    return { pending, held };
  }
}
