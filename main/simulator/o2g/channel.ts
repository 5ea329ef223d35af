// The HTTP-chunk event channel of one subscription (digest §1.7 [SIM] wire contract): a chunked 200 that
// stays open, one JSON event + "\n" per chunk, first line OnChannelInformation "Chunk started"; keep-alive
// events every N ms when the subscription's timeout is 0, otherwise closed after `timeout` minutes without
// an event; events queued while no channel is open and flushed on re-open; a second open closes the first.
// Fault hooks: drop (optionally mid-line), half-open, raw garbage, split and coalesced chunks.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/log.js';
import { TimerSet, type Clock, type TimerHandle } from '../pbx/clock.js';
import { channelInfo, type O2gEvent } from './events.js';
import { jsonType } from './http-util.js';

export interface ChannelOptions {
  clock: Clock;
  log: Logger;
  keepAliveIntervalMs: () => number;
  /** Close after this long without an event; 0 = never (keep-alive events instead). */
  idleCloseMs: number;
  maxQueued: () => number;
}

interface OpenStream {
  res: ServerResponse;
  keepAlive?: TimerHandle;
  idle?: TimerHandle;
  /** Half-open fault: nothing more is written, nothing is closed. */
  frozen: boolean;
  /** Writes waiting behind a split write in progress. */
  backlog: string[];
  writing: boolean;
}

export class EventChannel {
  private queue: string[] = [];
  private stream: OpenStream | undefined;
  private readonly timers: TimerSet;
  private splitParts = 0;
  private splitCount = 0;
  private coalesce: { remaining: number; lines: string[] } | undefined;
  private disposed = false;
  /** Events dropped because the queue was full. */
  dropped = 0;

  constructor(private readonly opts: ChannelOptions) {
    this.timers = new TimerSet(opts.clock);
  }

  get isOpen(): boolean {
    return this.stream !== undefined;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Answer a channel request: the older stream (if any) is closed, queued events follow the first line. */
  open(req: IncomingMessage, res: ServerResponse): void {
    if (this.disposed) {
      res.destroy();
      return;
    }
    if (this.stream) this.endStream(this.stream);
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.writeHead(200, { 'Content-Type': jsonType, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
    const stream: OpenStream = { res, frozen: false, backlog: [], writing: false };
    this.stream = stream;
    res.on('close', () => {
      if (this.stream === stream) this.forget(stream);
    });
    this.write(stream, JSON.stringify(channelInfo('Chunk started')) + '\n');
    const pending = this.queue;
    this.queue = [];
    for (const line of pending) this.writeEvent(stream, line);
    this.armKeepAlive(stream);
    this.armIdle(stream);
  }

  /** An event for this subscription: written now, or queued until the channel is (re)opened. */
  deliver(event: O2gEvent): void {
    if (this.disposed) return;
    const line = JSON.stringify(event);
    const stream = this.stream;
    if (!stream) {
      this.queue.push(line);
      const max = this.opts.maxQueued();
      while (this.queue.length > max) {
        this.queue.shift();
        this.dropped++;
      }
      return;
    }
    this.writeEvent(stream, line);
    this.armIdle(stream);
  }

  /** End the open stream cleanly (terminating chunk). */
  close(): void {
    if (this.stream) this.endStream(this.stream);
  }

  /** The subscription is gone: close the stream and drop the queued events (L1199). */
  dispose(): void {
    this.close();
    this.queue = [];
    this.disposed = true;
    this.timers.clearAll();
  }

  // ---------------------------------------------------------------- faults

  /** Kill the TCP connection (after half of a JSON line when `midLine`). */
  drop(midLine = false): boolean {
    const stream = this.stream;
    if (!stream) return false;
    this.forget(stream);
    if (midLine) {
      const line = JSON.stringify(channelInfo('KeepAlive'));
      stream.res.write(line.slice(0, Math.floor(line.length / 2)));
    }
    const socket = stream.res.socket;
    // Let the half line leave before the reset.
    if (midLine && socket) setImmediate(() => socket.destroy());
    else socket?.destroy();
    return true;
  }

  /** Stop writing without closing: the client sees a silent but open connection; events meanwhile are lost. */
  halfOpen(): boolean {
    const stream = this.stream;
    if (!stream || stream.frozen) return false;
    stream.frozen = true;
    this.timers.clear(stream.keepAlive);
    this.timers.clear(stream.idle);
    return true;
  }

  /** Write raw bytes (a garbage line, an oversize line) as one chunk. */
  writeRaw(text: string): boolean {
    const stream = this.stream;
    if (!stream || stream.frozen) return false;
    this.write(stream, text);
    return true;
  }

  /** The next `count` events are each split over `parts` chunks. */
  splitNext(parts: number, count = 1): void {
    this.splitParts = Math.max(2, parts);
    this.splitCount = count;
  }

  /** The next `count` events go out together in one chunk. */
  coalesceNext(count: number): void {
    this.coalesce = { remaining: Math.max(2, count), lines: [] };
  }

  // ---------------------------------------------------------------- internals

  private writeEvent(stream: OpenStream, line: string): void {
    if (this.coalesce) {
      this.coalesce.lines.push(line + '\n');
      this.coalesce.remaining--;
      if (this.coalesce.remaining > 0) return;
      const text = this.coalesce.lines.join('');
      this.coalesce = undefined;
      this.write(stream, text);
      return;
    }
    if (this.splitCount > 0) {
      this.splitCount--;
      this.writeSplit(stream, line + '\n', this.splitParts);
      return;
    }
    this.write(stream, line + '\n');
  }

  private write(stream: OpenStream, text: string): void {
    if (stream.frozen || stream.res.writableEnded || stream.res.destroyed) return;
    if (stream.writing) {
      stream.backlog.push(text);
      return;
    }
    stream.res.write(text);
  }

  /** One event over several chunks, each in its own write and TCP segment; later writes wait. */
  private writeSplit(stream: OpenStream, text: string, parts: number): void {
    if (stream.frozen || stream.res.writableEnded || stream.res.destroyed) return;
    const size = Math.ceil(text.length / parts);
    const pieces: string[] = [];
    for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
    if (stream.writing) {
      stream.backlog.push(...pieces);
      return;
    }
    stream.writing = true;
    const next = () => {
      const piece = pieces.shift();
      if (piece === undefined || stream.res.destroyed || stream.res.writableEnded) {
        stream.writing = false;
        const backlog = stream.backlog;
        stream.backlog = [];
        for (const t of backlog) this.write(stream, t);
        return;
      }
      stream.res.write(piece);
      setTimeout(next, 5);
    };
    next();
  }

  private endStream(stream: OpenStream): void {
    this.forget(stream);
    if (!stream.res.writableEnded && !stream.res.destroyed) stream.res.end();
  }

  private forget(stream: OpenStream): void {
    this.timers.clear(stream.keepAlive);
    this.timers.clear(stream.idle);
    if (this.stream === stream) this.stream = undefined;
  }

  private armKeepAlive(stream: OpenStream): void {
    if (this.opts.idleCloseMs > 0) return;
    const every = this.opts.keepAliveIntervalMs();
    const tick = () => {
      if (this.stream !== stream || stream.frozen) return;
      this.write(stream, JSON.stringify(channelInfo('KeepAlive')) + '\n');
      stream.keepAlive = this.timers.set(tick, every);
    };
    stream.keepAlive = this.timers.set(tick, every);
  }

  private armIdle(stream: OpenStream): void {
    if (this.opts.idleCloseMs <= 0 || stream.frozen) return;
    this.timers.clear(stream.idle);
    stream.idle = this.timers.set(() => {
      if (this.stream !== stream) return;
      this.opts.log.debug('o2g: channel closed after its timeout without events');
      this.endStream(stream);
    }, this.opts.idleCloseMs);
  }
}
