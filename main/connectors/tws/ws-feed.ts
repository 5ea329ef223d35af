// The WebSocket feed (ws://host:9003/ or wss://host:9013/, digest §4.5): the first message is the
// bare tokenGuid; each message is one event (XML or JSON, a trailing separator tolerated). TLS is
// verified like the web services (CA file or SHA-256 pin). We ping every `pingMs`; any message or
// pong is traffic, and `idleMs` without any ⇒ the connection is dead (half-open). Close code 1008
// = token refused; any close within the token-check window is reported as `early`.
import tls from 'node:tls';
import WebSocket from 'ws';
import { CtiError } from '../../../shared/commands.js';
import { PinnedAgent, type TlsTrust } from '../tls.js';
import { decodeEvent } from './events.js';
import type { EventFeed, FeedCallbacks, FeedContext } from './feed.js';
import { feedLabels } from './feed.js';
import { encodeWebSocketOpen } from './framing.js';
import { socketError } from '../socket-error.js';

export interface WsFeedOptions {
  port: number;
  secure: boolean;
  tls: TlsTrust;
  token: string;
  /** Path of the upgrade request; the manual names none (`/`). */
  path?: string;
}

export function createWsFeed(ctx: FeedContext, o: WsFeedOptions, cb: FeedCallbacks): EventFeed {
  return new WsFeed(ctx, o, cb);
}

class WsFeed implements EventFeed {
  readonly kind = 'websocket' as const;
  readonly label = feedLabels.websocket;
  private ws: WebSocket | null = null;
  private closedByUs = false;
  private ended = false;
  private openedAt = 0;
  private pingTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private badRun = 0;

  constructor(
    private readonly ctx: FeedContext,
    private readonly o: WsFeedOptions,
    private readonly cb: FeedCallbacks,
  ) {}

  private url(): string {
    const host = this.ctx.host.includes(':') && !this.ctx.host.startsWith('[') ? `[${this.ctx.host}]` : this.ctx.host;
    return `${this.o.secure ? 'wss' : 'ws'}://${host}:${this.o.port}${this.o.path ?? '/'}`;
  }

  open(): Promise<void> {
    const url = this.url();
    const where = `TWS WebSocket ${url}`;
    return new Promise((resolve, reject) => {
      let opened = false;
      const options: WebSocket.ClientOptions = {
        handshakeTimeout: this.ctx.timing.connectTimeoutMs,
        maxPayload: this.ctx.timing.maxFrameBytes,
        perMessageDeflate: false,
      };
      if (this.o.secure) {
        if (this.o.tls.pinSha256) options.agent = new PinnedAgent(this.o.tls.pinSha256, this.ctx.timing.connectTimeoutMs, false);
        else {
          options.rejectUnauthorized = true;
          if (this.o.tls.caPem) options.ca = [...tls.rootCertificates, this.o.tls.caPem];
        }
      }
      const ws = new WebSocket(url, options);
      this.ws = ws;
      ws.on('open', () => {
        if (this.closedByUs) {
          ws.terminate();
          reject(new CtiError('notConnected', `${where}: closed`));
          return;
        }
        opened = true;
        this.openedAt = Date.now();
        const first = encodeWebSocketOpen(this.o.token);
        this.ctx.trace('out', 'websocket', this.ctx.redact(first));
        ws.send(first);
        this.pingTimer = setInterval(() => {
          if (ws.readyState === WebSocket.OPEN) ws.ping();
        }, this.ctx.timing.pingMs);
        this.armIdle();
        resolve();
      });
      ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
      ws.on('pong', () => this.armIdle());
      ws.on('ping', () => this.armIdle());
      ws.on('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        ws.terminate();
        if (!opened) reject(new CtiError('protocol', `${where}: the server refused the upgrade (HTTP ${status})`, `http${status}`));
      });
      ws.on('error', (err) => {
        if (!opened) reject(socketError(err, where));
        else this.finish(socketError(err, where), false);
      });
      ws.on('close', (code, reason) => {
        if (!opened) {
          reject(new CtiError('unreachable', `${where}: closed before it opened (${code})`));
          return;
        }
        const text = reason.toString('utf8');
        if (code === 1008) this.finish(new CtiError('sessionLost', `${where}: the server refused the token (close 1008${text ? `: ${text}` : ''})`), true);
        else this.finish(new CtiError('unreachable', `${where}: closed by the server (${code}${text ? `: ${text}` : ''})`), false);
      });
    });
  }

  private armIdle(): void {
    if (this.ended) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.finish(new CtiError('timeout', `TWS WebSocket: nothing received (not even a pong) for ${this.ctx.timing.idleMs} ms`), false);
    }, this.ctx.timing.idleMs);
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.ended) return;
    this.armIdle();
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const text = buf.toString('utf8');
    this.ctx.trace('in', 'websocket', this.ctx.redact(text));
    if (isBinary && buf.length === 0) return;
    const d = decodeEvent(buf, { maxBytes: this.ctx.timing.maxFrameBytes });
    if (!d.ok) {
      // A keep-alive word some servers send as text.
      if (/^\s*(audit|ping|pong)?\s*$/i.test(text)) return;
      this.badRun += 1;
      this.cb.bad(d.error.kind, d.error.message);
      if (this.badRun >= this.ctx.timing.maxBadFrames) this.finish(new CtiError('protocol', `TWS WebSocket: ${this.badRun} unreadable messages in a row`), false);
      return;
    }
    this.badRun = 0;
    if (d.value.kind === 'audit') return;
    this.cb.event(d.value);
  }

  private finish(error: CtiError, tokenRefused: boolean): void {
    if (this.ended) return;
    this.ended = true;
    this.stopTimers();
    this.ws?.terminate();
    if (this.closedByUs) return;
    const early = tokenRefused || (Date.now() - this.openedAt < this.ctx.timing.tokenCheckMs && error.code !== 'timeout');
    this.cb.closed({ error, early, tokenRefused });
  }

  private stopTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.pingTimer = null;
    this.idleTimer = null;
  }

  close(): Promise<void> {
    this.closedByUs = true;
    this.ended = true;
    this.stopTimers();
    const ws = this.ws;
    this.ws = null;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      ws.once('close', () => resolve());
      try {
        if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'bye');
        else ws.terminate();
      } catch {
        ws.terminate();
      }
      setTimeout(() => {
        ws.terminate();
        resolve();
      }, 200).unref();
    });
  }
}
