// The lab's TWS Toolkit front-end: the web services on HTTP and HTTPS, the TCP user event socket, the
// WebSocket and secure WebSocket feeds, all over one TwsService on the PBX core, plus what the control API
// needs (FrontEndControl, the /tws routes) and writeRaw for benchmarks and tests.
import { rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { dirname } from 'node:path';
import type { Socket } from 'node:net';
import type { Logger } from '../../core/log.js';
import type { FrontEndControl } from '../control-api.js';
import { certificateNames, labCertificate, writeCertificateFile, type LabCertificate } from '../certificate.js';
import type { Pbx } from '../pbx/pbx.js';
import type { TwsConfig } from './config.js';
import { twsControlRoutes } from './faults.js';
import { TcpClient, TcpFeedServer, WsClient, WsFeedServer } from './feeds.js';
import { PollSession, TwsFunctions } from './functions.js';
import { feedKinds, TwsService, type FeedKind } from './service.js';
import { handleWeb } from './web.js';

export interface TwsPorts {
  http: number;
  https: number;
  tcp: number;
  ws: number;
  wss: number;
}

export interface TwsFrontEndOptions {
  host: string;
  /** 0 = a free port. */
  ports: TwsPorts;
  config?: Partial<TwsConfig>;
  log: Logger;
}

export class TwsFrontEnd {
  readonly service: TwsService;
  readonly functions: TwsFunctions;
  private http: HttpServer | undefined;
  private https: HttpServer | undefined;
  private readonly tcp: TcpFeedServer;
  private readonly ws: WsFeedServer;
  private readonly wss: WsFeedServer;
  private readonly webSockets = new Set<Socket>();
  private readonly pendingPolls = new Set<Socket>();
  private readonly stalledSockets = new Set<Socket>();
  private stalledUntil = 0;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private stallWaiters: Array<() => void> = [];
  /** The bound ports (fixed after the first start, so a restart listens on the same ones). */
  readonly ports: TwsPorts;
  private running = false;

  private constructor(
    pbx: Pbx,
    private readonly opts: TwsFrontEndOptions,
    readonly certificate: LabCertificate,
    readonly certificateFile: string,
    private readonly ownsCertificateDir: boolean,
  ) {
    this.service = new TwsService(pbx, opts.config ?? {}, opts.log);
    this.functions = new TwsFunctions(this.service);
    this.ports = { ...opts.ports };
    const feedOpts = {
      svc: this.service,
      host: opts.host,
      isStalled: () => this.isStalled,
      afterStall: () => this.afterStall(),
      log: opts.log,
    };
    this.tcp = new TcpFeedServer(feedOpts);
    this.ws = new WsFeedServer('ws', feedOpts);
    this.wss = new WsFeedServer('wss', { ...feedOpts, tls: { cert: certificate.pem, key: certificate.key } });
  }

  /** Generate (or reuse) the certificate, write its PEM, start every listener. */
  static async start(pbx: Pbx, opts: TwsFrontEndOptions): Promise<TwsFrontEnd> {
    const certificate = await labCertificate(certificateNames(opts.host));
    const dir = opts.config?.certificateDir ?? null;
    const file = await writeCertificateFile(certificate, dir, 'tws');
    const fe = new TwsFrontEnd(pbx, opts, certificate, file, dir === null);
    try {
      await fe.listen();
    } catch (err) {
      await fe.stop();
      throw err;
    }
    return fe;
  }

  get isRunning(): boolean {
    return this.running;
  }

  private async listen(): Promise<void> {
    const web = (req: Parameters<typeof handleWeb>[1], res: Parameters<typeof handleWeb>[2]) =>
      void handleWeb(
        {
          functions: this.functions,
          lenientFormat: this.service.config.lenientFormat,
          isStalled: () => this.isStalled,
          holdSocket: (s) => this.stalledSockets.add(s),
          trackPending: (s, on) => (on ? this.pendingPolls.add(s) : this.pendingPolls.delete(s)),
          log: this.opts.log,
        },
        req,
        res,
      ).catch((err: unknown) => {
        this.opts.log.warn({ err }, 'tws: request failed');
        if (!res.headersSent) {
          res.writeHead(500);
          res.end();
        }
      });
    const track = (server: HttpServer) => {
      server.keepAliveTimeout = 5000;
      server.on('connection', (s: Socket) => {
        this.webSockets.add(s);
        s.on('close', () => this.webSockets.delete(s));
      });
      return server;
    };
    this.http = track(createHttpServer(web));
    this.https = track(createHttpsServer({ cert: this.certificate.pem, key: this.certificate.key }, web));
    this.ports.http = await listenOn(this.http, this.opts.host, this.ports.http);
    this.ports.https = await listenOn(this.https, this.opts.host, this.ports.https);
    await this.tcp.start(this.ports.tcp);
    this.ports.tcp = this.tcp.port;
    await this.ws.start(this.ports.ws);
    this.ports.ws = this.ws.port;
    await this.wss.start(this.ports.wss);
    this.ports.wss = this.wss.port;
    this.running = true;
  }

  private async closeListeners(): Promise<void> {
    this.running = false;
    this.endStall();
    for (const s of this.webSockets) s.destroy();
    this.webSockets.clear();
    this.service.closeFeeds();
    await Promise.all([this.tcp.stop(), this.ws.stop(), this.wss.stop(), closeHttp(this.http), closeHttp(this.https)]);
    this.http = undefined;
    this.https = undefined;
  }

  async stop(): Promise<void> {
    await this.closeListeners();
    this.service.dispose();
    if (this.ownsCertificateDir) await rm(dirname(this.certificateFile), { recursive: true, force: true }).catch(() => undefined);
  }

  /** Close every listener and connection, forget tokens and monitors, listen again on the same ports. */
  async restart(): Promise<void> {
    await this.closeListeners();
    this.service.restart();
    await this.listen();
  }

  // ---------------------------------------------------------------- stall

  get isStalled(): boolean {
    return Date.now() < this.stalledUntil;
  }

  /** Web services and feeds answer nothing for `ms` (held requests are then closed, held events sent). */
  stall(ms: number): void {
    this.stalledUntil = Date.now() + ms;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.endStall(), ms);
    this.service.hold(true);
  }

  private endStall(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    this.stalledUntil = 0;
    for (const s of this.stalledSockets) s.destroy();
    this.stalledSockets.clear();
    this.service.hold(false);
    const waiters = this.stallWaiters;
    this.stallWaiters = [];
    for (const w of waiters) w();
  }

  private afterStall(): Promise<void> {
    if (!this.isStalled) return Promise.resolve();
    return new Promise((resolve) => this.stallWaiters.push(resolve));
  }

  // ---------------------------------------------------------------- feeds

  /** Open socket clients of a feed. */
  clients(feed: 'tcp' | 'ws' | 'wss'): Array<TcpClient | WsClient> {
    return [...this.service.feeds].filter((f): f is TcpClient | WsClient => f.kind === feed && (f instanceof TcpClient || f instanceof WsClient));
  }

  /** Send `text` (plus the separator on TCP) to every open client of the feed; returns how many got it. */
  writeRaw(feed: 'tcp' | 'ws' | 'wss', text: string): number {
    return this.clients(feed).filter((c) => c.raw(text)).length;
  }

  stopFeed(feed: FeedKind): number {
    this.service.stoppedFeeds.add(feed);
    return this.service.closeFeeds(feed);
  }

  startFeed(feed: FeedKind): void {
    this.service.stoppedFeeds.delete(feed);
  }

  /** Close every feed connection and every pending poll; tokens, monitors and poll sessions stay. */
  dropConnections(): number {
    let n = 0;
    for (const f of [...this.service.feeds]) {
      if (f instanceof PollSession) continue;
      f.close();
      this.service.feeds.delete(f);
      n++;
    }
    for (const s of this.pendingPolls) {
      s.destroy();
      n++;
    }
    this.pendingPolls.clear();
    return n;
  }

  halfOpen(feed: 'tcp' | 'ws' | 'wss'): number {
    const cs = this.clients(feed);
    for (const c of cs) c.halfOpen = true;
    return cs.length;
  }

  describe(): Record<string, unknown> {
    return {
      running: this.running,
      stalled: this.isStalled,
      ports: this.ports,
      certificate: { file: this.certificateFile, sha256: this.certificate.sha256, altNames: this.certificate.altNames },
      config: { pbxType: this.service.config.pbxType, pollWaitMs: this.service.config.pollWaitMs, quirks: this.service.config.quirks, wsFormat: this.service.config.wsFormat, wssFormat: this.service.config.wssFormat },
      ...this.service.describe(),
      requests: Object.fromEntries(this.functions.requestCounts),
      feedsByKind: Object.fromEntries(feedKinds.map((k) => [k, [...this.service.feeds].filter((f) => f.kind === k).length])),
      link: this.service.pbx.linkUp ? 'up' : 'down',
    };
  }

  /** The control API's view of this front-end. */
  control(): FrontEndControl {
    return {
      vendor: 'tws',
      dropClients: () => {
        const n = this.dropConnections() + this.service.closeFeeds();
        this.service.restart();
        return n;
      },
      adminClose: (device) => {
        let closed = false;
        for (const u of this.service.users.values()) if (u.monitors.delete(device)) closed = true;
        return closed;
      },
      reset: () => {
        this.dropConnections();
        this.service.reset();
      },
      routes: twsControlRoutes(this),
    };
  }
}

function listenOn(server: HttpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

function closeHttp(server: HttpServer | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
