// The TWS event feeds: the per-user TCP event socket (§4.3, port 9004: the open-session message, the
// `82E51812-45C9-4733`+NUL separator, AUDIT keep-alives) and the WebSocket / secure WebSocket feeds (§4.5,
// 9003/9013: the bare tokenGuid first, then one text message per event). Fault hooks: stop/start, half-open,
// garbage and oversize frames, raw writes.
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { genericEventJson, genericEventNode, type TwsEvent } from './events.js';
import type { FeedClient, FeedKind, TwsService, UserRuntime } from './service.js';
import { ns, toXml } from './xml.js';
import { parseXml, child } from './xml.js';

export const separatorText = '82E51812-45C9-4733';
export const separator = Buffer.concat([Buffer.from(separatorText, 'ascii'), Buffer.from([0])]);
const marker = Buffer.from(separatorText, 'ascii');
const auditFrame = '<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>';

/** Split a byte stream on the marker (an optional NUL after it dropped) or on a lone NUL. */
export class FrameReader {
  private buf = Buffer.alloc(0);
  constructor(private readonly limit = 1024 * 1024) {}

  /** A marker ended the last chunk: its NUL, if it comes, starts the next one. */
  private skipNul = false;

  push(chunk: Buffer): string[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (this.skipNul && this.buf.length > 0) {
      if (this.buf[0] === 0) this.buf = this.buf.subarray(1);
      this.skipNul = false;
    }
    const out: string[] = [];
    for (;;) {
      const m = this.buf.indexOf(marker);
      const z = this.buf.indexOf(0);
      if (m < 0 && z < 0) break;
      if (m >= 0 && (z < 0 || m < z)) {
        let end = m + marker.length;
        if (end >= this.buf.length) this.skipNul = true;
        else if (this.buf[end] === 0) end++;
        out.push(this.buf.subarray(0, m).toString('utf8'));
        this.buf = this.buf.subarray(end);
      } else {
        out.push(this.buf.subarray(0, z).toString('utf8'));
        this.buf = this.buf.subarray(z + 1);
      }
    }
    if (this.buf.length > this.limit) this.buf = Buffer.alloc(0);
    return out.map((f) => f.replace(/^\uFEFF/, '').trim()).filter((f) => f !== '');
  }
}

/** The token of an open-session message (`<TWS_WaitForGenericEvent><tokenGuid>…`), or undefined. */
export function openSessionToken(frame: string): string | undefined {
  try {
    const root = parseXml(frame);
    if (root.name.toLowerCase() !== 'tws_waitforgenericevent') return undefined;
    return child(root, 'tokenGuid')?.text.trim();
  } catch {
    return undefined;
  }
}

export function isAudit(frame: string): boolean {
  return /<eventtype>\s*audit\s*<\/eventtype>/i.test(frame) || frame.trim().toUpperCase() === 'AUDIT';
}

/** Write-side fault state shared by the socket clients. */
abstract class SocketClient implements FeedClient {
  abstract readonly kind: FeedKind;
  readonly id = randomUUID();
  halfOpen = false;
  sent = 0;
  constructor(
    readonly user: UserRuntime,
    readonly token: string,
    protected readonly svc: TwsService,
  ) {}
  abstract deliver(ev: TwsEvent): void;
  abstract close(): void;
  /** Send raw text (one frame); false when the client is half-open or closed. */
  abstract raw(text: string): boolean;
  describe(): Record<string, unknown> {
    return { kind: this.kind, id: this.id, username: this.user.cfg.username, halfOpen: this.halfOpen, sent: this.sent };
  }
}

export class TcpClient extends SocketClient {
  readonly kind = 'tcp' as const;
  private readonly pieces: Array<{ b: Buffer; coalesce?: boolean }> = [];
  private tailTimer: ReturnType<typeof setTimeout> | undefined;
  private quirkCount = 0;

  constructor(
    user: UserRuntime,
    token: string,
    svc: TwsService,
    readonly socket: Socket,
  ) {
    super(user, token, svc);
  }

  deliver(ev: TwsEvent): void {
    const ctx = this.svc.eventContext(this.user);
    if (this.svc.config.quirks) {
      // T25: an unknown event type and a BOM first, then a JSON frame, then d7p1:nil, then capitalised XML.
      const n = this.quirkCount++;
      if (n === 0) {
        this.raw(toXml('CGenericEvent', genericEventNode({ kind: 'forward', at: ev.at, device: ctx.ownDevice, deviceGuid: ctx.objectGuid, forwardType: 0, number: '', on: false }, ctx), { mode: 'event' }, { xmlns: ns.generic, 'xmlns:i': ns.xsi }));
        this.raw(`\uFEFF${this.xml(ev)}`);
      } else if (n === 1) this.raw(genericEventJson(ev, ctx));
      else if (n === 2) this.raw(toXml('CGenericEvent', genericEventNode(ev, ctx), { mode: 'event', nilStyle: 'd7p1' }, { xmlns: ns.generic, 'xmlns:i': ns.xsi }));
      else this.raw(this.xml(ev));
      return;
    }
    this.raw(this.xml(ev));
  }

  private xml(ev: TwsEvent): string {
    return toXml('CGenericEvent', genericEventNode(ev, this.svc.eventContext(this.user)), { mode: 'event' }, { xmlns: ns.generic, 'xmlns:i': ns.xsi });
  }

  raw(text: string, withSeparator = true): boolean {
    if (this.halfOpen || this.socket.destroyed) return false;
    const bytes = withSeparator ? Buffer.concat([Buffer.from(text, 'utf8'), separator]) : Buffer.from(text, 'utf8');
    this.sent++;
    if (!this.svc.config.fragmentWrites) {
      this.socket.write(bytes);
      return true;
    }
    // Split every frame in three writes, a few ms apart; a frame's tail shares a write with the next frame's
    // head when one is queued (T06 reassembly).
    const cut1 = Math.max(1, Math.floor(bytes.length / 3));
    const cut2 = Math.max(cut1 + 1, Math.floor((bytes.length * 3) / 4));
    this.pieces.push({ b: bytes.subarray(0, cut1) }, { b: bytes.subarray(cut1, cut2) }, { b: bytes.subarray(cut2), coalesce: true });
    this.pump();
    return true;
  }

  private pump(): void {
    if (this.tailTimer) return;
    this.tailTimer = setTimeout(() => {
      this.tailTimer = undefined;
      const piece = this.pieces.shift();
      if (!piece || this.socket.destroyed || this.halfOpen) return;
      let out = piece.b;
      const next = this.pieces[0];
      if (piece.coalesce && next) {
        out = Buffer.concat([out, next.b]);
        this.pieces.shift();
      }
      this.socket.write(out);
      if (this.pieces.length > 0) this.pump();
    }, 2);
  }

  close(): void {
    if (this.tailTimer) clearTimeout(this.tailTimer);
    this.socket.destroy();
  }
}

export class WsClient extends SocketClient {
  constructor(
    readonly kind: 'ws' | 'wss',
    user: UserRuntime,
    token: string,
    svc: TwsService,
    readonly ws: WebSocket,
  ) {
    super(user, token, svc);
  }

  deliver(ev: TwsEvent): void {
    const ctx = this.svc.eventContext(this.user);
    const format = this.kind === 'ws' ? this.svc.config.wsFormat : this.svc.config.wssFormat;
    this.raw(format === 'json' ? genericEventJson(ev, ctx) : toXml('CGenericEvent', genericEventNode(ev, ctx), { mode: 'event' }, { xmlns: ns.generic, 'xmlns:i': ns.xsi }));
  }

  raw(text: string): boolean {
    if (this.halfOpen || this.ws.readyState !== this.ws.OPEN) return false;
    this.sent++;
    this.ws.send(text);
    return true;
  }

  close(): void {
    this.ws.terminate();
  }
}

export interface FeedServerOptions {
  svc: TwsService;
  host: string;
  tls?: { cert: string; key: string };
  isStalled(): boolean;
  /** Resolves when the current stall is over. */
  afterStall(): Promise<void>;
  log: { debug(obj: unknown, msg: string): void };
}

/** Listen on `port` and resolve with the bound port. */
function listen(server: NetServer | HttpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

function closeServer(server: NetServer | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The TCP user event socket (9004). */
export class TcpFeedServer {
  private server: NetServer | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly opts: FeedServerOptions) {}

  async start(port: number): Promise<void> {
    const server = createNetServer((socket) => this.onConnection(socket));
    this.port = await listen(server, this.opts.host, port);
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (this.server) await closeServer(this.server);
    this.server = undefined;
  }

  private onConnection(socket: Socket): void {
    const { svc } = this.opts;
    if (svc.stoppedFeeds.has('tcp')) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    const reader = new FrameReader();
    let client: TcpClient | undefined;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const arm = (ms: number) => {
      if (idle) clearTimeout(idle);
      idle = ms > 0 ? setTimeout(() => socket.destroy(), ms) : undefined;
    };
    arm(svc.config.openTimeoutMs);
    const onFrames = (frames: string[]) => {
      for (const frame of frames) {
        if (!client) {
          const token = openSessionToken(frame);
          const t = svc.lookupToken(token, false);
          if (!t) {
            // §4.3 [SIM]: a bad token closes the socket silently, at once.
            this.opts.log.debug({ frame: frame.slice(0, 200) }, 'tws tcp: open-session refused');
            socket.destroy();
            return;
          }
          client = new TcpClient(t.user, t.id, svc, socket);
          svc.feeds.add(client);
          arm(svc.config.keepAliveTimeoutMs);
          continue;
        }
        arm(svc.config.keepAliveTimeoutMs);
        if (isAudit(frame) && (svc.config.echoAudit || svc.config.quirks)) client.raw(auditFrame);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      const frames = reader.push(chunk);
      if (frames.length === 0) {
        if (client) arm(svc.config.keepAliveTimeoutMs);
        return;
      }
      if (this.opts.isStalled()) {
        socket.pause();
        void this.opts.afterStall().then(() => {
          if (!socket.destroyed) {
            socket.resume();
            onFrames(frames);
          }
        });
        return;
      }
      onFrames(frames);
    });
    socket.on('close', () => {
      if (idle) clearTimeout(idle);
      this.sockets.delete(socket);
      if (client) svc.feeds.delete(client);
    });
  }
}

/** The WebSocket (9003) or secure WebSocket (9013) user feed. */
export class WsFeedServer {
  private http: HttpServer | undefined;
  private wss: WebSocketServer | undefined;
  private readonly sockets = new Set<Socket>();
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  port = 0;

  constructor(
    private readonly kind: 'ws' | 'wss',
    private readonly opts: FeedServerOptions,
  ) {}

  async start(port: number): Promise<void> {
    const { svc } = this.opts;
    const http = this.opts.tls ? createHttpsServer({ cert: this.opts.tls.cert, key: this.opts.tls.key }) : createHttpServer();
    const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
    http.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    http.on('request', (_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain' });
      res.end('WebSocket only');
    });
    // Any path is accepted (§4.5 [SIM]); a stopped feed refuses the upgrade.
    http.on('upgrade', (req, socket, head) => {
      if (svc.stoppedFeeds.has(this.kind)) {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
    this.port = await listen(http, this.opts.host, port);
    this.http = http;
    this.wss = wss;
    if (svc.config.wsPingMs > 0) {
      this.pingTimer = setInterval(() => {
        for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.ping();
      }, svc.config.wsPingMs);
      this.pingTimer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.wss?.close();
    if (this.http) await closeServer(this.http);
    this.http = undefined;
    this.wss = undefined;
  }

  private onConnection(ws: WebSocket): void {
    const { svc } = this.opts;
    let client: WsClient | undefined;
    const openTimer = setTimeout(() => {
      if (!client) ws.close(1008, 'no token');
    }, svc.config.openTimeoutMs);
    ws.on('error', () => undefined);
    const onMessage = (text: string) => {
      if (client) return; // AUDIT or anything else after the token: ignored
      clearTimeout(openTimer);
      // The bare tokenGuid; leniently the 9004 open-session XML, with or without the separator.
      let token = text.split('\u0000').join('').split(separatorText)[0]?.trim() ?? '';
      if (token.startsWith('<')) token = openSessionToken(token) ?? '';
      const t = svc.lookupToken(token, false);
      if (!t) {
        ws.close(1008, 'invalid token');
        return;
      }
      client = new WsClient(this.kind, t.user, t.id, svc, ws);
      svc.feeds.add(client);
    };
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      if (this.opts.isStalled()) void this.opts.afterStall().then(() => onMessage(text));
      else onMessage(text);
    });
    ws.on('close', () => {
      clearTimeout(openTimer);
      if (client) svc.feeds.delete(client);
    });
  }
}
