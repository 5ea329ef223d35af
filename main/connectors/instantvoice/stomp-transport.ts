// InstantVoice's STOMP broker (manual: default localhost:61613, login instantvoice / sT0MpM3) spoken
// over plain TCP with @stomp/stompjs — no hand-written framing. stompjs only knows WebSockets, so
// TcpStompSocket adapts a net.Socket to its IStompSocket interface: STOMP frames are self-delimiting
// (NUL-terminated, or content-length) and the stompjs parser is incremental, so TCP's byte stream can
// be fed to it chunk by chunk as if each chunk were a WebSocket message.
//
// StompTransport adds what stompjs leaves to the application: it re-subscribes every live
// subscription after each reconnect (stompjs forgets them), it caps consecutive failed attempts, and
// it stops at once — no reconnect storm — when the broker refuses the login.
import net from 'node:net';
import { Client, StompSocketState, type IFrame, type IMessage, type IStompSocket, type StompHeaders, type StompSubscription } from '@stomp/stompjs';

/** Larger than any message the connector accepts (1 MiB bodies), small enough to bound memory. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** A net.Socket seen through the WebSocket-like interface stompjs drives. */
export class TcpStompSocket implements IStompSocket {
  readonly url: string;
  // stompjs sets this to 'arraybuffer'; incoming data is always delivered as an ArrayBuffer.
  binaryType = 'arraybuffer';
  readyState: number = StompSocketState.CONNECTING;
  onclose: ((ev?: unknown) => unknown) | undefined | null = null;
  onerror: ((ev: unknown) => unknown) | undefined | null = null;
  onmessage: ((ev: { data: ArrayBuffer }) => unknown) | undefined | null = null;
  onopen: ((ev?: unknown) => unknown) | undefined | null = null;
  private readonly socket: net.Socket;
  private lastError: Error | undefined;

  /** Bytes received since the last frame end (NUL); stompjs would buffer an unbounded frame. */
  private pendingFrameBytes = 0;

  constructor(host: string, port: number, private readonly maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.url = `tcp://${host}:${port}`;
    this.socket = net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      this.readyState = StompSocketState.OPEN;
      this.onopen?.();
    });
    this.socket.on('data', (chunk: Buffer) => {
      const end = chunk.lastIndexOf(0);
      this.pendingFrameBytes = end < 0 ? this.pendingFrameBytes + chunk.length : chunk.length - end - 1;
      if (this.pendingFrameBytes > this.maxFrameBytes) {
        // A peer sending a frame this big is broken or hostile: drop the connection (the owner reconnects).
        this.socket.destroy(new Error(`a STOMP frame over ${this.maxFrameBytes} bytes`));
        return;
      }
      // Copy: a Buffer may be a view into a shared pool, and the parser wants exactly these bytes.
      const data = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer;
      this.onmessage?.({ data });
    });
    this.socket.on('error', err => {
      this.lastError = err;
      this.onerror?.(err);
    });
    this.socket.on('close', hadError => {
      this.readyState = StompSocketState.CLOSED;
      // Shaped like a WebSocket CloseEvent: 1000 normal, 1006 abnormal (what a browser reports).
      this.onclose?.({ code: hadError ? 1006 : 1000, reason: this.lastError?.message ?? '', wasClean: !hadError });
    });
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (this.readyState !== StompSocketState.OPEN) return;
    if (typeof data === 'string') this.socket.write(data, 'utf8');
    else if (ArrayBuffer.isView(data)) this.socket.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    else if (data instanceof ArrayBuffer || data instanceof SharedArrayBuffer) this.socket.write(Buffer.from(data));
    else throw new TypeError('TcpStompSocket cannot send a Blob');
  }

  /** Graceful close: half-close after pending writes (the DISCONNECT frame) are flushed. */
  close(): void {
    if (this.readyState === StompSocketState.CLOSED) return;
    this.readyState = StompSocketState.CLOSING;
    this.socket.end();
    // A peer that never closes its side must not keep us open.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** Immediate close, used by stompjs when heart-beats are lost (discardWebsocketOnCommFailure). */
  terminate(): void {
    this.readyState = StompSocketState.CLOSING;
    this.socket.destroy();
  }

  /** Tests only: cut the TCP connection as a network failure would. */
  destroyForTest(): void {
    this.socket.destroy(new Error('connection cut'));
  }
}

export interface StompTransportOptions {
  host: string;
  port: number;
  login: string;
  passcode: string;
  /** RabbitMQ takes the virtual host from the CONNECT `host` header; "/" is its default. */
  vhost?: string;
  /** Heart-beat proposed in both directions (ms); 0 disables. Default 10 s. */
  heartbeatMs?: number;
  /** Delay before a reconnect attempt (ms). Default 2 s. */
  reconnectDelayMs?: number;
  /** Consecutive failed connection attempts before giving up. Default 5. */
  maxAttempts?: number;
  /** How long one attempt may take to reach CONNECTED (ms). Default 10 s. */
  connectTimeoutMs?: number;
  /** Largest STOMP frame accepted from the broker; a bigger one drops the connection. Default 4 MiB. */
  maxFrameBytes?: number;
  /** Called once when the transport gives up (refused login, or maxAttempts reached). */
  onFatal?: (err: Error) => void;
  onConnected?: (frame: IFrame) => void;
  onDisconnected?: () => void;
  debug?: (msg: string) => void;
}

interface Registration {
  destination: string;
  headers: StompHeaders;
  callback: (message: IMessage) => void;
  current: StompSubscription | undefined;
}

export class StompTransport {
  readonly client: Client;
  /** The last CONNECTED frame: its `heart-beat` header is what the broker agreed to. */
  connectedFrame: IFrame | undefined;
  /** The socket of the current (or last) connection attempt. */
  socket: TcpStompSocket | undefined;
  /** Connection attempts made, successful or not. */
  attempts = 0;
  private failures = 0;
  private fatal: Error | undefined;
  private readonly subs = new Set<Registration>();
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  /** SUBSCRIBE frames sent with a receipt the broker has not confirmed yet. */
  private unconfirmed: Promise<void>[] = [];
  private receipts = 0;

  constructor(private readonly opts: StompTransportOptions) {
    const heartbeat = opts.heartbeatMs ?? 10_000;
    this.client = new Client({
      webSocketFactory: () => {
        this.attempts++;
        this.socket = new TcpStompSocket(opts.host, opts.port, opts.maxFrameBytes);
        return this.socket;
      },
      connectHeaders: { login: opts.login, passcode: opts.passcode, host: opts.vhost ?? '/' },
      heartbeatIncoming: heartbeat,
      heartbeatOutgoing: heartbeat,
      reconnectDelay: opts.reconnectDelayMs ?? 2000,
      connectionTimeout: opts.connectTimeoutMs ?? 10_000,
      // A lost heart-beat means a dead peer: drop the socket at once rather than wait for a FIN.
      discardWebsocketOnCommFailure: true,
      debug: opts.debug ?? (() => undefined),
      onConnect: frame => {
        this.failures = 0;
        this.connectedFrame = frame;
        for (const reg of this.subs) reg.current = this.sendSubscribe(reg);
        for (const w of this.waiters.splice(0)) w.resolve();
        opts.onConnected?.(frame);
      },
      onStompError: frame => {
        // Before CONNECTED, an ERROR frame is the broker refusing us (RabbitMQ: "Access refused",
        // unknown vhost): retrying with the same credentials cannot help.
        if (!this.client.connected) this.giveUp(new Error(`STOMP broker refused the connection: ${frame.headers.message ?? ''} ${frame.body}`.trim()));
      },
      onWebSocketClose: () => {
        for (const reg of this.subs) reg.current = undefined;
        if (this.connectedFrame && this.failures === 0) opts.onDisconnected?.();
        if (!this.fatal && ++this.failures > (opts.maxAttempts ?? 5)) {
          this.giveUp(new Error(`STOMP broker ${opts.host}:${opts.port} unreachable after ${this.failures} attempts`));
        }
      },
    });
  }

  /** Starts connecting (and reconnecting); resolves on the first CONNECTED, rejects if it gives up. */
  connect(): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal);
    const p = this.whenConnected();
    if (!this.client.active) this.client.activate();
    return p;
  }

  /** Resolves on the next CONNECTED (at once when connected). */
  whenConnected(): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal);
    if (this.client.connected) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Subscribes now (if connected) and again after every reconnect; returns the unsubscribe. */
  subscribe(destination: string, callback: (message: IMessage) => void, headers: StompHeaders = {}): () => void {
    const reg: Registration = { destination, headers, callback, current: undefined };
    this.subs.add(reg);
    if (this.client.connected) reg.current = this.sendSubscribe(reg);
    return () => {
      this.subs.delete(reg);
      if (this.client.connected) reg.current?.unsubscribe();
      reg.current = undefined;
    };
  }

  /**
   * Resolves when the broker has confirmed every SUBSCRIBE sent so far (each carries a receipt),
   * re-subscriptions after a reconnect included: from then on, what is published reaches us.
   */
  async subscribed(): Promise<void> {
    while (this.unconfirmed.length > 0) await Promise.all(this.unconfirmed.splice(0));
  }

  private sendSubscribe(reg: Registration): StompSubscription {
    const receipt = `sub-${++this.receipts}`;
    this.unconfirmed.push(new Promise<void>((resolve) => this.client.watchForReceipt(receipt, () => resolve())));
    return this.client.subscribe(reg.destination, reg.callback, { ...reg.headers, receipt });
  }

  /** Sends a message; throws when not connected (stompjs does not queue). */
  publish(destination: string, body: string, headers: StompHeaders = {}): void {
    this.client.publish({ destination, body, headers });
  }

  /** Disconnects (DISCONNECT with receipt when connected) and stops reconnecting. */
  async close(): Promise<void> {
    this.subs.clear();
    await this.client.deactivate();
  }

  private giveUp(err: Error): void {
    if (this.fatal) return;
    this.fatal = err;
    void this.client.deactivate({ force: true });
    for (const w of this.waiters.splice(0)) w.reject(err);
    this.opts.onFatal?.(err);
  }
}
