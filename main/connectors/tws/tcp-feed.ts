// The TCP event socket (port 9004, digest §4.3): connect, send the open-session message at once,
// send the AUDIT keep-alive every 30 s, split the byte stream with EventFrameSplitter and decode
// each frame. A close within the token-check window (2 s) after opening is reported as `early`
// (the server closes silently on a bad token). Half-open detection: OS TCP keep-alive probes plus
// the keep-alive writes; the read timeout (`idleMs`, no byte at all) is armed only once the server
// has shown it answers the keep-alive (it echoed an AUDIT), because a faithful server sends
// nothing on a quiet line (NOTES.md "Feeds").
import net from 'node:net';
import { CtiError } from '../../../shared/commands.js';
import { decodeEvent } from './events.js';
import { EventFrameSplitter, encodeKeepAlive, encodeOpenSession } from './framing.js';
import type { EventFeed, FeedCallbacks, FeedContext } from './feed.js';
import { feedLabels } from './feed.js';
import { socketError } from '../socket-error.js';

export interface TcpFeedOptions {
  port: number;
  token: string;
}

export function createTcpFeed(ctx: FeedContext, o: TcpFeedOptions, cb: FeedCallbacks): EventFeed {
  return new TcpFeed(ctx, o, cb);
}

class TcpFeed implements EventFeed {
  readonly kind = 'tcp' as const;
  readonly label = feedLabels.tcp;
  private socket: net.Socket | null = null;
  private closedByUs = false;
  private ended = false;
  private openedAt = 0;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private echoes = false;
  private badRun = 0;
  private readonly splitter: EventFrameSplitter;

  constructor(
    private readonly ctx: FeedContext,
    private readonly o: TcpFeedOptions,
    private readonly cb: FeedCallbacks,
  ) {
    this.splitter = new EventFrameSplitter({ maxFrameBytes: ctx.timing.maxFrameBytes });
  }

  open(): Promise<void> {
    const where = `TWS event socket ${this.ctx.host}:${this.o.port}`;
    return new Promise((resolve, reject) => {
      let opened = false;
      const socket = net.connect({ host: this.ctx.host, port: this.o.port });
      this.socket = socket;
      const timer = setTimeout(() => {
        if (opened) return;
        socket.destroy();
        reject(new CtiError('timeout', `${where}: no connection within ${this.ctx.timing.connectTimeoutMs} ms`));
      }, this.ctx.timing.connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        if (this.closedByUs) {
          socket.destroy();
          reject(new CtiError('notConnected', `${where}: closed`));
          return;
        }
        opened = true;
        this.openedAt = Date.now();
        socket.setNoDelay(true);
        socket.setKeepAlive(true, Math.min(10_000, this.ctx.timing.keepAliveMs));
        const open = encodeOpenSession(this.o.token);
        this.ctx.trace('out', 'tcp', this.ctx.redact(Buffer.from(open).toString('utf8')));
        socket.write(open);
        this.keepAliveTimer = setInterval(() => this.sendKeepAlive(), this.ctx.timing.keepAliveMs);
        resolve();
      });
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('error', (err) => {
        clearTimeout(timer);
        if (!opened) reject(socketError(err, where));
        else this.finish(socketError(err, where));
      });
      socket.on('close', () => {
        clearTimeout(timer);
        if (!opened) {
          reject(new CtiError('unreachable', `${where}: closed before it opened`));
          return;
        }
        this.finish(new CtiError('unreachable', `${where}: the server closed the socket`));
      });
    });
  }

  private sendKeepAlive(): void {
    const s = this.socket;
    if (!s || s.destroyed) return;
    const ka = encodeKeepAlive();
    this.ctx.trace('out', 'tcp', Buffer.from(ka).toString('utf8'));
    s.write(ka, (err) => {
      if (err) this.finish(new CtiError('unreachable', `TWS event socket: the keep-alive could not be sent (${err.message})`));
    });
  }

  private armIdle(): void {
    if (!this.echoes || this.ended) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.finish(new CtiError('timeout', `TWS event socket: nothing received for ${this.ctx.timing.idleMs} ms although the server answers keep-alives (half-open connection)`));
    }, this.ctx.timing.idleMs);
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    this.armIdle();
    for (const item of this.splitter.push(chunk)) {
      if (this.ended) return;
      if (item.kind !== 'frame') {
        this.badFrame(item.kind, item.kind === 'oversize' ? `event frame larger than ${item.limit} bytes skipped` : `unreadable event frame (${item.kind})`);
        continue;
      }
      this.ctx.trace('in', 'tcp', this.ctx.redact(item.text));
      const d = decodeEvent(item.text, { maxBytes: this.ctx.timing.maxFrameBytes });
      if (!d.ok) {
        this.badFrame(d.error.kind, d.error.message);
        continue;
      }
      this.badRun = 0;
      if (d.value.kind === 'audit') {
        if (!this.echoes) {
          this.echoes = true;
          this.armIdle();
        }
        continue;
      }
      this.cb.event(d.value);
    }
  }

  private badFrame(kind: string, message: string): void {
    this.badRun += 1;
    this.cb.bad(kind, message);
    if (this.badRun >= this.ctx.timing.maxBadFrames) {
      this.finish(new CtiError('protocol', `TWS event socket: ${this.badRun} unreadable frames in a row`));
    }
  }

  private finish(error: CtiError): void {
    if (this.ended) return;
    this.ended = true;
    this.stopTimers();
    this.socket?.destroy();
    if (this.closedByUs) return;
    const early = Date.now() - this.openedAt < this.ctx.timing.tokenCheckMs && error.code !== 'timeout';
    this.cb.closed({ error: early ? new CtiError('sessionLost', `${error.message} right after the open message (token refused?)`) : error, early });
  }

  private stopTimers(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.keepAliveTimer = null;
    this.idleTimer = null;
  }

  close(): Promise<void> {
    this.closedByUs = true;
    this.ended = true;
    this.stopTimers();
    const s = this.socket;
    this.socket = null;
    if (!s || s.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      s.once('close', () => resolve());
      s.end();
      setTimeout(() => {
        s.destroy();
        resolve();
      }, 200).unref();
    });
  }
}
