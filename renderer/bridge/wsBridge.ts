// The bridge over the web host's WebSocket: request frames {id, channel, payload} answered by
// {id, reply}, state pushes {push, payload}. Requests made while disconnected wait for the socket
// (their timeout keeps running); the socket reconnects with jittered exponential backoff.
import type {
  BridgeApi,
  InvokeChannel,
  InvokeReply,
  InvokeRequest,
  PushChannel,
  PushPayloads,
  WsServerFrame,
} from '../../shared/bridge.js';
import { droppedReply, REQUEST_TIMEOUT_MS, timeoutReply } from './errors.js';
import type { BridgeLink, BridgeLinkStatus } from './link.js';

export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(): void;
}

export interface SocketHandle {
  send(data: string): void;
  close(): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketHandle;

export interface WsBridgeOptions {
  createSocket?: SocketFactory;
  timeoutMs?: number;
  now?: () => number;
  random?: () => number;
}

/** Delay before reconnect attempt `attempt` (0-based): 250 ms doubling to 10 s, ±20 % jitter. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 250 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The web host's bridge address: same origin, ws(s) scheme, the page's per-run token. */
export function bridgeUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return `${scheme}//${location.host}/bridge?token=${encodeURIComponent(token)}`;
}

export const browserSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  ws.onmessage = (e: MessageEvent) => handlers.message(typeof e.data === 'string' ? e.data : '');
  ws.onclose = () => handlers.close();
  return { send: (data) => ws.send(data), close: () => ws.close() };
};

interface PendingRequest {
  channel: InvokeChannel;
  frame: string;
  sent: boolean;
  timer: ReturnType<typeof setTimeout>;
  resolve(reply: InvokeReply<InvokeChannel>): void;
}

type PushListener = (payload: PushPayloads[PushChannel]) => void;

export class WsBridge implements BridgeApi, BridgeLink {
  private readonly createSocket: SocketFactory;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private socket: SocketHandle | null = null;
  private open = false;
  private stopped = false;
  private nextId = 1;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private linkStatus: BridgeLinkStatus = { state: 'connecting', attempt: 0 };
  private readonly pending = new Map<number, PendingRequest>();
  private readonly pushListeners = new Map<PushChannel, Set<PushListener>>();
  private readonly statusListeners = new Set<(s: BridgeLinkStatus) => void>();

  constructor(
    private readonly url: string,
    options: WsBridgeOptions = {},
  ) {
    this.createSocket = options.createSocket ?? browserSocket;
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.connect();
  }

  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeReply<C>> {
    return new Promise<InvokeReply<C>>((resolve) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(timeoutReply(channel, this.timeoutMs, this.open));
      }, this.timeoutMs);
      this.pending.set(id, {
        channel,
        frame: JSON.stringify({ id, channel, payload: request }),
        sent: false,
        timer,
        resolve: resolve as (reply: InvokeReply<InvokeChannel>) => void,
      });
      this.flush();
    });
  }

  on<P extends PushChannel>(channel: P, listener: (payload: PushPayloads[P]) => void): () => void {
    let set = this.pushListeners.get(channel);
    if (!set) this.pushListeners.set(channel, (set = new Set()));
    const l = listener as PushListener;
    set.add(l);
    return () => set.delete(l);
  }

  status(): BridgeLinkStatus {
    return this.linkStatus;
  }

  onStatus(listener: (status: BridgeLinkStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Close for good: no reconnect after this. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
  }

  private connect(): void {
    this.socket = this.createSocket(this.url, {
      open: () => this.onOpen(),
      message: (data) => this.onMessage(data),
      close: () => this.onClose(),
    });
  }

  private onOpen(): void {
    this.open = true;
    this.setStatus({ state: 'open', attempt: 0 });
    this.flush();
  }

  private onClose(): void {
    const wasOpen = this.open;
    this.open = false;
    this.socket = null;
    // Requests already on the wire will never be answered on a new socket.
    for (const [id, req] of this.pending) {
      if (!req.sent) continue;
      clearTimeout(req.timer);
      this.pending.delete(id);
      req.resolve(droppedReply(req.channel));
    }
    if (this.stopped) return;
    const attempt = wasOpen ? 0 : this.linkStatus.attempt + 1;
    const delay = reconnectDelayMs(attempt, this.random);
    this.setStatus({ state: 'reconnecting', attempt, retryAt: this.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private onMessage(data: string): void {
    let frame: WsServerFrame;
    try {
      frame = JSON.parse(data) as WsServerFrame;
    } catch {
      console.warn('bridge: ignoring a frame that is not JSON');
      return;
    }
    if ('reply' in frame) {
      const req = this.pending.get(frame.id);
      if (!req) return; // already timed out
      clearTimeout(req.timer);
      this.pending.delete(frame.id);
      req.resolve(frame.reply);
    } else if ('push' in frame) {
      for (const l of this.pushListeners.get(frame.push) ?? []) l(frame.payload);
    }
  }

  private flush(): void {
    if (!this.open || !this.socket) return;
    for (const req of this.pending.values()) {
      if (req.sent) continue;
      req.sent = true;
      this.socket.send(req.frame);
    }
  }

  private setStatus(s: BridgeLinkStatus): void {
    this.linkStatus = s;
    for (const l of this.statusListeners) l(s);
  }
}
