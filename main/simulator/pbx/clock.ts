// Time for the lab PBX: injectable so tests can drive it (FakeClock) and so stop() can cancel every timer.

export type TimerHandle = { readonly timerId: number };

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The wall clock, backed by Node timers. */
export function realClock(): Clock {
  let nextId = 1;
  const live = new Map<number, ReturnType<typeof setTimeout>>();
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const timerId = nextId++;
      live.set(
        timerId,
        setTimeout(() => {
          live.delete(timerId);
          fn();
        }, Math.max(0, ms)),
      );
      return { timerId };
    },
    clearTimeout(handle) {
      const t = live.get(handle.timerId);
      if (t !== undefined) clearTimeout(t);
      live.delete(handle.timerId);
    },
  };
}

/** A manual clock for unit tests: time moves only when advance() is called. */
export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly pending = new Map<number, { due: number; fn: () => void }>();

  constructor(start = Date.UTC(2024, 0, 15, 9, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timerId = this.nextId++;
    this.pending.set(timerId, { due: this.current + Math.max(0, ms), fn });
    return { timerId };
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle.timerId);
  }

  /** Move time forward, firing due timers in order (timers set by timers fire too). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      let nextKey: number | undefined;
      let nextDue = Infinity;
      for (const [key, t] of this.pending) {
        if (t.due <= target && (t.due < nextDue || (t.due === nextDue && key < (nextKey ?? Infinity)))) {
          nextDue = t.due;
          nextKey = key;
        }
      }
      if (nextKey === undefined) break;
      const timer = this.pending.get(nextKey);
      this.pending.delete(nextKey);
      this.current = Math.max(this.current, nextDue);
      timer?.fn();
    }
    this.current = target;
  }

  get pendingCount(): number {
    return this.pending.size;
  }
}

/** Timers owned by one component, so it can cancel all of them when it stops. */
export class TimerSet {
  private readonly live = new Set<TimerHandle>();

  constructor(private readonly clock: Clock) {}

  set(fn: () => void, ms: number): TimerHandle {
    const handle: TimerHandle = this.clock.setTimeout(() => {
      this.live.delete(handle);
      fn();
    }, ms);
    this.live.add(handle);
    return handle;
  }

  clear(handle: TimerHandle | undefined): void {
    if (!handle) return;
    this.clock.clearTimeout(handle);
    this.live.delete(handle);
  }

  clearAll(): void {
    for (const h of this.live) this.clock.clearTimeout(h);
    this.live.clear();
  }

  get size(): number {
    return this.live.size;
  }
}
