// The site gateway (`cti serve`, docs/gateway.md): one SiteConnection (one vendor session for the
// whole site) served to many desktops over WebSocket (shared/gateway.ts). Each desktop signs in as
// its agent at its station and gets its own scoped connector (site.connectorFor), which it drives
// exactly as a desktop's supervisor drives a direct connector. Off loopback the gateway requires
// TLS and accounts; failed sign-ins are throttled per remote address; passwords never reach a log.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { CtiError, type CtiErrorShape } from '../../shared/commands.js';
import { CtiEvent } from '../../shared/events.js';
import {
  GATEWAY_CLOSE_LOST,
  GATEWAY_CLOSE_SIGNIN,
  GATEWAY_HEALTH_PATH,
  GATEWAY_MAX_CLIENT_FRAME_BYTES,
  GATEWAY_PATH,
  type GatewayChannel,
  type GatewayReply,
  type GatewayServerFrame,
  type GatewaySignInReply,
  decodeGatewayClientFrame,
  parseGatewayRequest,
} from '../../shared/gateway.js';
import type { GatewayAccount } from '../../shared/profile.js';
import type { Connector } from '../core/connector.js';
import type { Logger } from '../core/log.js';
import type { SiteConnection } from '../core/site.js';
import { isLoopback } from '../host/web/server.js';
import { AccountBook, type Grant } from './accounts.js';
import { SignInThrottle, type ThrottleOptions } from './throttle.js';

export interface GatewayOptions {
  site: SiteConnection;
  accounts: readonly GatewayAccount[];
  host: string;
  /** 0 = a free port. */
  port: number;
  /** PEM certificate (chain) and key: the gateway speaks HTTPS / WSS. Required off loopback. */
  tls?: { certPem: string; keyPem: string } | undefined;
  log: Logger;
  /** WebSocket connections at most (signed in or not); more are refused with HTTP 503. */
  maxClients?: number;
  /** Largest frame a desktop may send; a larger one closes its socket (1009). */
  maxPayload?: number;
  /** How long a new socket may take to sign in before it is closed. */
  signInTimeoutMs?: number;
  /** WebSocket ping period; a desktop that has not answered the previous ping is dropped. */
  pingIntervalMs?: number;
  /** A desktop whose unsent data exceeds this is too slow to follow its events: it is dropped. */
  maxBufferedBytes?: number;
  throttle?: ThrottleOptions;
}

export interface GatewayClientInfo {
  remote: string;
  login: string;
  station: string;
  role: 'agent' | 'supervisor';
  client?: string;
  since: number;
}

export interface Gateway {
  /** `https://host:port` (or `http://` on loopback without TLS). */
  url: string;
  port: number;
  /** Desktops signed in now. */
  clients(): GatewayClientInfo[];
  /** Drop every desktop (each gets `gateway.lost`) and stop listening. The site stays open. */
  close(): Promise<void>;
}

/** Refuse what a gateway must not do: listen off loopback without TLS, or without accounts. */
export function checkGatewayBinding(o: { host: string; tls: boolean; accounts: number }): void {
  if (isLoopback(o.host)) return;
  if (!o.tls) {
    throw new Error(
      `the gateway refuses to listen on ${o.host} without TLS: desktops would send their passwords in clear (set serve.certFile and serve.keyFile, or listen on 127.0.0.1)`,
    );
  }
  if (o.accounts === 0) {
    throw new Error(`the gateway refuses to listen on ${o.host} without accounts: anyone could sign in as any agent (add serve.accounts, made with \`cti hash-password\`)`);
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { site, log, host } = opts;
  checkGatewayBinding({ host, tls: Boolean(opts.tls), accounts: opts.accounts.length });
  const book = new AccountBook(opts.accounts);
  if (book.open) log.warn({ host }, 'gateway: no accounts configured: any login signs in as an agent, with any password (lab use, loopback only)');
  const throttle = new SignInThrottle(opts.throttle);
  const maxClients = opts.maxClients ?? 1000;
  const signInTimeoutMs = opts.signInTimeoutMs ?? 30_000;
  const pingIntervalMs = opts.pingIntervalMs ?? 30_000;
  const maxBufferedBytes = opts.maxBufferedBytes ?? 16 * 1024 * 1024;
  const sessions = new Set<ClientSession>();
  let closing = false;

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path === GATEWAY_HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      const link = site.link;
      const body = JSON.stringify({
        // The vendor server's address only to this computer.
        site: { state: link.state, detail: link.detail, ...(link.server && isLoopback(host) ? { server: link.server } : {}) },
        clients: [...sessions].filter((s) => s.grant).length,
      });
      res.writeHead(link.state === 'up' ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  };
  const server: Server = opts.tls
    ? createHttpsServer({ cert: opts.tls.certPem, key: opts.tls.keyPem, minVersion: 'TLSv1.2' }, onRequest)
    : createHttpServer(onRequest);
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.on('tlsClientError', (err: Error & { code?: string }, socket: Duplex) => {
    log.warn({ code: err.code, err: err.message }, 'gateway: TLS handshake failed');
    socket.destroy();
  });
  server.on('clientError', (_err, socket: Duplex) => {
    if (!socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? GATEWAY_MAX_CLIENT_FRAME_BYTES, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    const remote = req.socket.remoteAddress ?? 'unknown';
    socket.on('error', () => socket.destroy());
    if (closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    if (path !== GATEWAY_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (req.headers.origin !== undefined) {
      // Desktops connect from their main process, which sends no Origin; a browser always does. Refusing
      // it keeps web pages the agent opens from reaching the gateway (above all a lab gateway without accounts).
      log.warn({ remote, origin: req.headers.origin }, 'gateway: refused a browser connection (Origin header)');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    if (sessions.size >= maxClients) {
      log.warn({ remote, maxClients }, 'gateway: refused a desktop: too many connections');
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new ClientSession(ws, remote);
      sessions.add(session);
      ws.once('close', () => sessions.delete(session));
    });
  });

  class ClientSession {
    grant: Grant | null = null;
    clientName: string | undefined;
    since = 0;
    private connector: Connector | null = null;
    private signingIn = false;
    private ended = false;
    private alive = true;
    private refused = 0;
    private readonly signInTimer: NodeJS.Timeout;
    private readonly pingTimer: NodeJS.Timeout;
    /** Resolves once the socket has closed. */
    readonly closed: Promise<void>;

    constructor(
      private readonly ws: WebSocket,
      readonly remote: string,
    ) {
      this.signInTimer = setTimeout(() => {
        if (!this.grant) {
          log.warn({ remote }, 'gateway: a desktop did not sign in in time; closing');
          this.ws.close(GATEWAY_CLOSE_SIGNIN, 'sign in first');
        }
      }, signInTimeoutMs);
      this.pingTimer = setInterval(() => {
        if (!this.alive) {
          log.warn({ remote, login: this.grant?.login }, 'gateway: a desktop stopped answering pings; dropping it');
          this.ws.terminate();
          return;
        }
        this.alive = false;
        if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
      }, pingIntervalMs);
      ws.on('pong', () => (this.alive = true));
      ws.on('message', (data, isBinary) => {
        this.alive = true;
        this.onMessage(data, isBinary);
      });
      ws.on('error', (err) => log.warn({ remote, login: this.grant?.login, err: err.message }, 'gateway: desktop socket error'));
      this.closed = new Promise<void>((resolve) => {
        ws.on('close', (code) => {
          resolve();
          void this.end(code);
        });
      });
    }

    info(): GatewayClientInfo | null {
      if (!this.grant) return null;
      return { remote: this.remote, ...this.grant, ...(this.clientName ? { client: this.clientName } : {}), since: this.since };
    }

    private send(frame: GatewayServerFrame): void {
      if (this.ws.readyState !== this.ws.OPEN) return;
      if (this.ws.bufferedAmount > maxBufferedBytes) {
        log.warn({ remote: this.remote, login: this.grant?.login, buffered: this.ws.bufferedAmount }, 'gateway: a desktop does not keep up with its events; dropping it');
        this.ws.terminate();
        return;
      }
      this.ws.send(JSON.stringify(frame));
    }

    private reply(id: number, reply: GatewayReply): void {
      this.send({ id, reply });
    }

    private fail(id: number, err: unknown): void {
      this.reply(id, { ok: false, error: CtiError.from(err).toJSON() });
    }

    private onMessage(data: RawData, isBinary: boolean): void {
      if (this.ended) return;
      const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
      const decoded = isBinary ? ({ ok: false, id: null, error: { code: 'invalid', message: 'binary frames are not part of the protocol' } } as const) : decodeGatewayClientFrame(text);
      if (!decoded.ok) {
        log.warn({ remote: this.remote, login: this.grant?.login, error: decoded.error.message }, 'gateway: malformed frame');
        if (decoded.id !== null) this.reply(decoded.id, { ok: false, error: decoded.error });
        this.countRefused();
        return;
      }
      const { id, channel, payload } = decoded.frame;
      if (channel === 'gateway.signIn') {
        void this.signIn(id, payload);
        return;
      }
      if (!this.grant || !this.connector) {
        this.reply(id, { ok: false, error: { code: 'notConnected', message: `sign in first (${channel} refused)` } });
        this.countRefused();
        return;
      }
      void this.request(id, channel, payload, this.connector);
    }

    /** Unauthenticated sockets that keep sending junk are closed. */
    private countRefused(): void {
      if (this.grant) return;
      this.refused += 1;
      if (this.refused >= 10) this.ws.close(GATEWAY_CLOSE_SIGNIN, 'sign in first');
    }

    private async request(id: number, channel: Exclude<GatewayChannel, 'gateway.signIn'>, payload: unknown, connector: Connector): Promise<void> {
      try {
        switch (channel) {
          case 'cti.command': {
            const p = parseGatewayRequest(channel, payload);
            if (!p.ok) return this.reply(id, p);
            if (!connector.capabilities.has(p.value.kind)) throw new CtiError('unsupported', `${connector.vendor} does not support ${p.value.kind}`);
            await connector.execute(p.value);
            return this.reply(id, { ok: true, value: { accepted: true } });
          }
          case 'cti.query': {
            const p = parseGatewayRequest(channel, payload);
            if (!p.ok) return this.reply(id, p);
            return this.reply(id, { ok: true, value: await connector.query(p.value) });
          }
          case 'gateway.snapshot': {
            const p = parseGatewayRequest(channel, payload);
            if (!p.ok) return this.reply(id, p);
            return this.reply(id, { ok: true, value: await connector.snapshot() });
          }
          case 'gateway.keepAlive': {
            const p = parseGatewayRequest(channel, payload);
            if (!p.ok) return this.reply(id, p);
            return this.reply(id, { ok: true, value: await connector.keepAlive() });
          }
        }
      } catch (err) {
        const e = CtiError.from(err);
        if (e.code === 'internal') log.error({ remote: this.remote, login: this.grant?.login, channel, err: e.message }, 'gateway: request failed');
        this.fail(id, e);
      }
    }

    private async signIn(id: number, payload: unknown): Promise<void> {
      if (this.grant || this.signingIn) {
        this.reply(id, { ok: false, error: { code: 'invalid', message: 'this connection has already signed in' } });
        return;
      }
      const p = parseGatewayRequest('gateway.signIn', payload);
      if (!p.ok) {
        log.warn({ remote: this.remote, error: p.error.message }, 'gateway: malformed sign-in');
        this.refuse(id, p.error);
        return;
      }
      const req = p.value;
      const who = { remote: this.remote, login: req.login, station: req.station, client: req.client };
      this.signingIn = true;
      const wait = throttle.waitMs(this.remote);
      if (wait > 0) {
        log.warn({ ...who, waitMs: wait }, 'gateway: sign-in refused: too many failed sign-ins from this address');
        this.refuse(id, { code: 'limit', message: `too many failed sign-ins from this address; try again in ${Math.ceil(wait / 1000)} s` });
        return;
      }
      const check = await book.check(req);
      if (this.ended) return;
      if (!check.ok) {
        const lockMs = check.badCredentials ? throttle.fail(this.remote) : 0;
        log.warn({ ...who, code: check.error.code, reason: check.error.message, ...(lockMs ? { lockMs } : {}) }, 'gateway: sign-in refused');
        this.refuse(id, check.error.toJSON());
        return;
      }
      throttle.succeed(this.remote);
      const grant = check.grant;
      let connector: Connector;
      try {
        connector = site.connectorFor(grant);
      } catch (err) {
        log.warn({ ...who, err: CtiError.from(err).message }, 'gateway: the site refused the agent');
        this.refuse(id, CtiError.from(err).toJSON());
        return;
      }
      this.connector = connector;
      connector.setListeners({
        event: (e: CtiEvent) => {
          if (this.ended) return;
          const r = CtiEvent.safeParse(e);
          if (!r.success) {
            log.warn({ remote: this.remote, login: grant.login, type: (e as { type?: unknown }).type }, 'gateway: the site produced a malformed event; not forwarded');
            return;
          }
          this.send({ push: 'cti.event', payload: r.data });
        },
        lost: (err) => {
          if (this.ended) return;
          const e = CtiError.from(err);
          log.info({ remote: this.remote, login: grant.login, code: e.code, err: e.message }, 'gateway: the agent\'s session was lost');
          this.lose(e.toJSON());
        },
      });
      try {
        await connector.start();
      } catch (err) {
        const e = CtiError.from(err);
        log.warn({ ...who, code: e.code, err: e.message }, 'gateway: the agent\'s session did not start');
        this.refuse(id, e.toJSON());
        return;
      }
      if (this.ended) return;
      this.grant = grant;
      this.clientName = req.client?.replace(/[^\x20-\x7e]/g, '?');
      this.since = Date.now();
      this.signingIn = false;
      clearTimeout(this.signInTimer);
      log.info({ ...who, role: grant.role }, 'gateway: signed in');
      const value: GatewaySignInReply = {
        vendor: connector.vendor,
        capabilities: [...connector.capabilities],
        extraCapabilities: [...(connector.extraCapabilities ?? [])],
        role: grant.role,
        agentId: grant.login,
      };
      this.reply(id, { ok: true, value });
    }

    /** Answer a failed sign-in and close: one attempt per connection. */
    private refuse(id: number, error: CtiErrorShape): void {
      this.reply(id, { ok: false, error });
      this.ws.close(GATEWAY_CLOSE_SIGNIN, error.code);
    }

    /** The agent's session ended (site lost, or the gateway stops): tell the desktop, then close. */
    lose(error: CtiErrorShape): void {
      this.send({ push: 'gateway.lost', payload: error });
      this.ws.close(GATEWAY_CLOSE_LOST, error.code);
    }

    async end(code?: number): Promise<void> {
      if (this.ended) return;
      this.ended = true;
      clearTimeout(this.signInTimer);
      clearInterval(this.pingTimer);
      if (this.grant) log.info({ remote: this.remote, login: this.grant.login, station: this.grant.station, code }, 'gateway: signed out');
      const connector = this.connector;
      this.connector = null;
      if (connector) {
        try {
          await connector.stop();
        } catch (err) {
          log.warn({ login: this.grant?.login, err: CtiError.from(err).message }, 'gateway: stopping an agent\'s connector failed');
        }
      }
    }

    terminate(): Promise<void> {
      this.ws.terminate();
      return this.end();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err: err.message }, 'gateway: server error'));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `${opts.tls ? 'https' : 'http'}://${hostForUrl(host)}:${port}`;
  log.info({ url, accounts: book.size, tls: Boolean(opts.tls) }, 'gateway: listening');

  return {
    url,
    port,
    clients: () => [...sessions].map((s) => s.info()).filter((i): i is GatewayClientInfo => i !== null),
    close: async () => {
      if (closing) return;
      closing = true;
      const all = [...sessions];
      for (const s of all) s.lose({ code: 'notConnected', message: 'the gateway is shutting down' });
      // Give each desktop its close handshake, but not for long.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(all.map((s) => s.closed)), new Promise<void>((done) => (timer = setTimeout(done, 1000)))]);
      clearTimeout(timer);
      await Promise.all(all.map((s) => s.terminate()));
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
