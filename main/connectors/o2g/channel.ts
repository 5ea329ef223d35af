// The O2G event channel ("HTTP Chunk notification channel", L1093): one long HTTP response on the
// polling URL the subscription returned, carrying one JSON event per line (digest §1.7 [EXT]).
// This module opens it once, streams the body through the decoder and reports how it ended:
//   - `end`: the server closed the body (its inactivity timeout, or DELETE of the subscription);
//   - `idle`: no byte for `idleMs` (a half-open connection; with timeout 0 the server sends keep-alives);
//   - `error`: the socket failed;
//   - `refused`: a non-2xx answer to the open (403 = session gone, 404 = subscription gone).
// Re-opening, back-off and resynchronisation are the connector's (connector.ts).
import { type CtiError } from '../../../shared/commands.js';
import { EventStreamDecoder, type CodecError, type O2gEvent } from './codec.js';
import { restError } from './errors.js';
import type { O2gHttp } from './http.js';

export type ChannelEnd =
  | { kind: 'end' }
  | { kind: 'idle'; idleMs: number }
  | { kind: 'error'; error: CtiError }
  | { kind: 'refused'; status: number; error: CtiError };

export interface ChannelHandlers {
  /** The server answered 2xx; events follow. */
  onOpen(): void;
  onEvent(event: O2gEvent): void;
  /** An event name this connector does not know: logged and ignored. */
  onUnknown(eventName: string): void;
  /** A line that did not decode (garbage, oversize, schema): the stream continues. */
  onBadLine(error: CodecError): void;
  /** Called once, when the channel is over. */
  onClose(end: ChannelEnd): void;
}

export interface ChannelOptions {
  http: O2gHttp;
  url: string;
  method: 'GET' | 'POST';
  idleMs: number;
  connectTimeoutMs: number;
  maxLineBytes?: number;
}

export interface EventChannel {
  close(): void;
}

export function openEventChannel(opts: ChannelOptions, h: ChannelHandlers): EventChannel {
  const decoder = new EventStreamDecoder(opts.maxLineBytes !== undefined ? { maxLineBytes: opts.maxLineBytes } : {});
  let closed = false;
  let idleTimer: NodeJS.Timeout | null = null;

  const finish = (end: ChannelEnd) => {
    if (closed) return;
    closed = true;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    handle.close();
    h.onClose(end);
  };
  const armIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => finish({ kind: 'idle', idleMs: opts.idleMs }), opts.idleMs);
  };
  const deliver = (items: ReturnType<EventStreamDecoder['push']>) => {
    for (const item of items) {
      if (closed) return;
      if (item.line !== undefined) opts.http.traceLine('events', item.line);
      if (!item.ok) h.onBadLine(item.error);
      else if (item.kind === 'unknown') h.onUnknown(item.eventName);
      else h.onEvent(item.event);
    }
  };

  const handle = opts.http.stream(
    opts.method,
    opts.url,
    {
      onOpen: () => {
        if (closed) return;
        armIdle();
        h.onOpen();
      },
      onRefused: (status, text) => finish({ kind: 'refused', status, error: restError('open the event channel', status, text, 'channel') }),
      onData: (chunk) => {
        if (closed) return;
        armIdle();
        deliver(decoder.push(chunk));
      },
      onEnd: () => {
        deliver(decoder.end());
        finish({ kind: 'end' });
      },
      onError: (error) => {
        deliver(decoder.end());
        finish({ kind: 'error', error });
      },
    },
    { connectTimeoutMs: opts.connectTimeoutMs, channel: 'events' },
  );

  return {
    close: () => {
      if (closed) return;
      closed = true;
      if (idleTimer) clearTimeout(idleTimer);
      handle.close();
    },
  };
}
