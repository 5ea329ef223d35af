// The web-service polling feed (digest §4.2): TWS_ConnectToEventService → eventTokenGuid, then
// TWS_GetEvent back to back (each blocks up to the server's 30 s wait, so the HTTP timeout is the
// wait plus a margin), TWS_DisconnectFromEventService on close. A failed GetEvent reconnects to
// the event service once (the id may have expired, §5.4); if that fails too the feed has failed.
import { CtiError } from '../../../shared/commands.js';
import type { TwsEvent } from './events.js';
import type { EventFeed, FeedCallbacks, FeedContext } from './feed.js';
import { feedLabels } from './feed.js';

/** The event-service calls, made by the session (token renewal included). */
export interface PollApi {
  connect(): Promise<string>;
  /** One GetEvent; null = the wait ended with nothing. `bad` = the reply could not be read. */
  getEvent(eventToken: string, signal: AbortSignal): Promise<{ event: TwsEvent | null } | { bad: { kind: string; message: string } }>;
  disconnect(eventToken: string): Promise<void>;
}

/** Gap after an empty GetEvent that came back at once (a server that does not block). */
const QUICK_EMPTY_GAP_MS = 250;

export function createPollFeed(ctx: FeedContext, api: PollApi, cb: FeedCallbacks): EventFeed {
  return new PollFeed(ctx, api, cb);
}

class PollFeed implements EventFeed {
  readonly kind = 'poll' as const;
  readonly label = feedLabels.poll;
  private eventToken: string | null = null;
  private abort = new AbortController();
  private running = false;
  private closedByUs = false;
  private openedAt = 0;
  private badRun = 0;

  constructor(
    private readonly ctx: FeedContext,
    private readonly api: PollApi,
    private readonly cb: FeedCallbacks,
  ) {}

  async open(): Promise<void> {
    const token = await this.api.connect();
    if (this.closedByUs) {
      void this.api.disconnect(token).catch(() => undefined);
      throw new CtiError('notConnected', 'TWS event polling: closed');
    }
    this.eventToken = token;
    this.openedAt = Date.now();
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    let reconnected = false;
    while (this.running && !this.closedByUs) {
      const token = this.eventToken as string;
      const began = Date.now();
      try {
        const r = await this.api.getEvent(token, this.abort.signal);
        if (!this.running) return;
        reconnected = false;
        if ('bad' in r) {
          this.badRun += 1;
          this.cb.bad(r.bad.kind, r.bad.message);
          if (this.badRun >= this.ctx.timing.maxBadFrames) {
            this.fail(new CtiError('protocol', `TWS event polling: ${this.badRun} unreadable events in a row`));
            return;
          }
          continue;
        }
        this.badRun = 0;
        if (r.event && r.event.kind !== 'audit') this.cb.event(r.event);
        else if (!r.event && Date.now() - began < 50) await this.pause(QUICK_EMPTY_GAP_MS); // a server that does not wait: no busy loop
      } catch (err) {
        if (!this.running || this.closedByUs) return;
        const e = CtiError.from(err);
        if (reconnected || e.code === 'authFailed') {
          this.fail(e);
          return;
        }
        // The event id may have expired: one new ConnectToEventService, then go on.
        reconnected = true;
        try {
          this.eventToken = await this.api.connect();
        } catch (err2) {
          this.fail(CtiError.from(err2));
          return;
        }
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }

  private fail(error: CtiError): void {
    if (!this.running) return;
    this.running = false;
    if (this.closedByUs) return;
    const early = Date.now() - this.openedAt < this.ctx.timing.tokenCheckMs && error.code === 'sessionLost';
    this.cb.closed({ error, early });
  }

  async close(): Promise<void> {
    this.closedByUs = true;
    this.running = false;
    this.abort.abort();
    const token = this.eventToken;
    this.eventToken = null;
    if (token) await this.api.disconnect(token).catch(() => undefined);
  }
}
