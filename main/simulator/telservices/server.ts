// The TelServices gateway's sockets: one TCP port serving raw one-shot TCP (one request per connection)
// and HTTP (told apart by the first bytes), plus the UDP socket that sends events.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../core/log.js';
import type { Pbx } from '../pbx/pbx.js';
import type { TelServicesConfig } from './config.js';
import { errorReply } from './encode.js';
import { RootCloseScanner } from './framing.js';
import { TelServicesService, type RequestContext } from './service.js';

export interface TelServicesServerOptions {
  host: string;
  port: number;
  config?: Partial<TelServicesConfig>;
  log: Logger;
}

const garbageReply = '<TelServiceReturn><result><standa';

export class TelServicesServer {
  readonly service: TelServicesService;
  private readonly tcp: Server;
  private readonly http = createHttpServer((req, res) => void this.onHttp(req, res));
  private udp: UdpSocket | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly log: Logger;
  private boundPort = 0;
  private udpPort = 0;

  constructor(
    private readonly pbx: Pbx,
    private readonly opts: TelServicesServerOptions,
  ) {
    this.log = opts.log;
    this.service = new TelServicesService(pbx, opts.config ?? {}, (ip, port, payload) => this.sendDatagram(ip, port, payload), opts.log);
    // allowHalfOpen: a client may half-close after its request and still read the reply.
    this.tcp = createServer({ allowHalfOpen: true }, (socket) => this.onConnection(socket));
    // HTTP connections are handed over from the TCP server, never accepted by this server itself.
    this.http.keepAliveTimeout = 1000;
  }

  get port(): number {
    return this.boundPort;
  }

  get eventSourcePort(): number {
    return this.udpPort;
  }

  async start(): Promise<void> {
    const udp = createSocket('udp4');
    udp.on('error', (err) => this.log.warn({ err }, 'telservices: udp error'));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, this.opts.host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    this.udp = udp;
    this.udpPort = udp.address().port;
    try {
      await new Promise<void>((resolve, reject) => {
        this.tcp.once('error', reject);
        this.tcp.listen(this.opts.port, this.opts.host, () => {
          this.tcp.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      udp.close();
      this.udp = undefined;
      throw err;
    }
    const addr = this.tcp.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : this.opts.port;
  }

  /** Close every client connection and forget the sessions (a restart, seen from the clients). */
  dropClients(): number {
    const count = this.sockets.size;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.service.forgetSessions();
    return count;
  }

  async stop(): Promise<void> {
    this.service.dispose();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    this.http.close();
    if (this.udp) {
      const udp = this.udp;
      this.udp = undefined;
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    }
  }

  private sendDatagram(ip: string, port: number, payload: string): void {
    const udp = this.udp;
    if (!udp) return;
    udp.send(Buffer.from(payload, 'utf8'), port, normalizeIp(ip), (err) => {
      if (err) this.log.debug({ err, port }, 'telservices: event not sent');
    });
  }

  // ---------------------------------------------------------------- raw TCP

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', (err) => this.log.debug({ err }, 'telservices: client socket error'));
    let buf: Buffer = Buffer.alloc(0);
    let decided = false;
    let done = false;
    const scanner = new RootCloseScanner();
    const eop = this.service.config.endOfPdu !== null ? Buffer.from(this.service.config.endOfPdu, 'utf8') : undefined;
    // Nothing complete within the idle time: close without replying (digest §1.2).
    socket.setTimeout(this.service.config.idleCloseMs, () => socket.destroy());

    const finish = (request: Buffer) => {
      if (done) return;
      done = true;
      socket.removeAllListeners('data');
      // Anything after the request is read and ignored (one request per connection).
      socket.on('data', () => {});
      socket.setTimeout(0);
      void this.answerRaw(socket, request);
    };

    const onData = (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      if (!decided) {
        const head = buf.subarray(0, 5).toString('latin1');
        if (isHttpStart(head)) {
          decided = true;
          socket.removeListener('data', onData);
          socket.removeListener('end', onEnd);
          socket.setTimeout(0);
          socket.pause();
          socket.unshift(buf);
          this.http.emit('connection', socket);
          socket.resume();
          return;
        }
        if (isHttpPrefix(head)) return;
        decided = true;
      }
      if (buf.length > this.service.config.maxRequestBytes) {
        done = true;
        socket.removeAllListeners('data');
        socket.on('data', () => {});
        this.log.info({ bytes: buf.length }, 'telservices: request over the size cap');
        this.writeRaw(socket, errorReply('resourceError'));
        return;
      }
      if (eop) {
        const at = buf.indexOf(eop, Math.max(0, buf.length - chunk.length - eop.length));
        if (at >= 0) {
          finish(buf.subarray(0, at));
          return;
        }
      }
      const end = scanner.scan(buf);
      if (end !== undefined) finish(buf.subarray(0, end));
    };
    const onEnd = () => {
      // EOF: whatever arrived is the request (incomplete documents are rejected by the parser).
      if (!done && buf.length > 0) finish(buf);
      else if (!done) socket.end();
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
  }

  private async answerRaw(socket: Socket, request: Buffer): Promise<void> {
    const text = decodeUtf8(request);
    let reply: string;
    if (text === undefined) {
      this.log.info('telservices: request is not UTF-8');
      reply = errorReply('reject');
    } else {
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      reply = await this.service.handle(stripEndOfPdu(text, this.service.config.endOfPdu), { ip: normalizeIp(socket.remoteAddress ?? '127.0.0.1'), transport: 'tcp', closed });
    }
    this.writeRaw(socket, reply);
  }

  private writeRaw(socket: Socket, reply: string): void {
    if (socket.destroyed) return;
    const body = this.pbx.faults.takeGarbageReply() ? garbageReply : reply;
    socket.end(body + (this.service.config.endOfPdu ?? ''));
  }

  // ---------------------------------------------------------------- HTTP

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx: RequestContext = {
      ip: normalizeIp(req.socket.remoteAddress ?? '127.0.0.1'),
      transport: 'http',
      closed: new Promise<void>((resolve) => res.once('close', () => resolve())),
    };
    try {
      const url = new URL(req.url ?? '/', 'http://gateway');
      if (req.method === 'GET') {
        if (url.pathname !== '/makeCall') {
          this.reply(res, 404, 'text/plain; charset=utf-8', 'not found');
          return;
        }
        // The manual's shortcut URL is the HTTP form of the makeCall request.
        const from = url.searchParams.get('deviceNumber');
        const to = url.searchParams.get('calledDeviceNumber');
        const xml =
          from && to
            ? `<TelServiceRequest><makeCall><deviceNumber>${escapeXml(from)}</deviceNumber><calledDeviceNumber>${escapeXml(to)}</calledDeviceNumber></makeCall></TelServiceRequest>`
            : undefined;
        this.replyXml(res, xml ? await this.service.handle(xml, ctx) : errorReply('reject'));
        return;
      }
      if (req.method !== 'POST') {
        this.reply(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
        return;
      }
      const body = await readBody(req, this.service.config.maxRequestBytes);
      if (body === 'tooLarge') {
        this.replyXml(res, errorReply('resourceError'));
        return;
      }
      const text = decodeUtf8(body);
      this.replyXml(res, text === undefined ? errorReply('reject') : await this.service.handle(text, ctx));
    } catch (err) {
      this.log.warn({ err }, 'telservices: http request failed');
      if (!res.headersSent) this.replyXml(res, errorReply('reject'));
    }
  }

  private replyXml(res: ServerResponse, xml: string): void {
    // No end-of-PDU sequence on HTTP (digest §1.3).
    const body = this.pbx.faults.takeGarbageReply() ? garbageReply : xml;
    this.reply(res, 200, 'text/xml; charset=utf-8', body);
  }

  private reply(res: ServerResponse, status: number, type: string, body: string): void {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  }
}

function isHttpStart(head: string): boolean {
  return head.startsWith('GET ') || head.startsWith('POST ');
}

/** Could still become "GET " or "POST " with more bytes. */
function isHttpPrefix(head: string): boolean {
  return head.length < 5 && ('GET '.startsWith(head) || 'POST '.startsWith(head));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(buf: Buffer): string | undefined {
  try {
    return utf8.decode(buf);
  } catch {
    return undefined;
  }
}

function stripEndOfPdu(text: string, eop: string | null): string {
  if (eop && text.endsWith(eop)) return text.slice(0, -eop.length);
  return text;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** IPv4-mapped IPv6 addresses ("::ffff:127.0.0.1") back to IPv4 for the udp4 socket. */
function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function readBody(req: IncomingMessage, cap: number): Promise<Buffer | 'tooLarge'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > cap) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'tooLarge' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
