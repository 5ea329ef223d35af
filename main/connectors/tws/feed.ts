// The event-feed contract shared by the three TWS feeds (TCP socket, WebSocket, web-service
// polling) and the feed manager that falls back between them (feeds.ts).
import type { CtiError } from '../../../shared/commands.js';
import type { TwsFeed } from '../../../shared/profile.js';
import type { TraceFn } from '../../core/log.js';
import type { TwsEvent } from './events.js';

/** What the desktop shows for each feed (LinkInfo.feed). */
export const feedLabels: Record<TwsFeed, string> = {
  tcp: 'TCP event socket',
  websocket: 'WebSocket',
  poll: 'web-service polling',
};

export interface FeedEnd {
  error: CtiError;
  /** Closed by the server within the token-check window after opening: the token was probably refused (§4.3). */
  early: boolean;
  /** The server said so explicitly (WebSocket close 1008). */
  tokenRefused?: boolean;
}

export interface FeedCallbacks {
  /** A decoded event (AUDIT echoes are already dropped). */
  event(ev: TwsEvent): void;
  /** A frame that could not be read (typed error kind + message); the stream goes on. */
  bad(kind: string, message: string): void;
  /** The feed ended after it had opened; called once. Not called after close(). */
  closed(end: FeedEnd): void;
}

export interface EventFeed {
  readonly kind: TwsFeed;
  readonly label: string;
  /** Connect and send the open message; rejects with a CtiError when the feed cannot open. */
  open(): Promise<void>;
  /** Close from this side; no callback afterwards. Never throws. */
  close(): Promise<void>;
}

export interface FeedTiming {
  /** TCP keep-alive (AUDIT) period; the manual's 30 s. */
  keepAliveMs: number;
  /** No byte at all for this long ⇒ the feed is dead (only where the feed provokes traffic; see NOTES). */
  idleMs: number;
  /** A close within this time after opening ⇒ the token was refused (§4.3: 2 s). */
  tokenCheckMs: number;
  /** Connect timeout. */
  connectTimeoutMs: number;
  /** WebSocket ping period (pongs count as traffic). */
  pingMs: number;
  /** Consecutive unreadable frames after which the feed counts as failed ("garbage beyond resync"). */
  maxBadFrames: number;
  maxFrameBytes: number;
}

export interface FeedContext {
  host: string;
  timing: FeedTiming;
  trace: TraceFn;
  /** Remove secrets (token) from a traced frame. */
  redact: (text: string) => string;
}
