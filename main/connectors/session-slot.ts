// A connector's one live session, the generation that lets a stop cancel a start-up under way,
// and the stop in flight: the stop/teardown bookkeeping the O2G, TWS and InstantVoice connectors
// share. What a teardown closes stays in each connector.

/** What a session carries so that it is torn down once. */
export interface SlotSession {
  closed: boolean;
}

export class SessionSlot<S extends SlotSession> {
  /** The session the connector works on, or null. */
  current: S | null = null;
  /** Bumped by every start and stop: a start-up compares its own to know it was cancelled. */
  gen = 0;
  private inFlight: Promise<void> | null = null;

  /** teardown: close one session; it must never throw. */
  constructor(private readonly teardown: (s: S) => Promise<void>) {}

  /** The stop under way, if any, for start() to wait out. */
  get stopping(): Promise<void> | null {
    return this.inFlight;
  }

  /** Cancel any start-up, take the session out and tear it down; a second call while it runs joins it. */
  stop(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.gen += 1;
    const s = this.current;
    this.current = null;
    if (!s) return Promise.resolve();
    this.inFlight = this.teardown(s).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Mark s closed and take it out of the slot; false when it was closed already, so a teardown runs once. */
  retire(s: S): boolean {
    if (s.closed) return false;
    s.closed = true;
    if (this.current === s) this.current = null;
    return true;
  }
}
