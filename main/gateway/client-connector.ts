// The desktop's side of a site gateway (docs/gateway.md): a Connector that reaches its vendor
// through `cti serve` instead of directly. start() opens the WebSocket (wss verified with the
// profile's CA file or certificate pin, as main/connectors/tls.ts does for the other connectors)
// and signs in as the profile's agent at the profile's device; snapshot, keepAlive, execute and
// query are request frames answered within the profile's commandTimeoutMs; pushed events go to
// the listeners (validated: a malformed one becomes a warning notice); `gateway.lost` or the
// socket closing is reported once per session as `lost`.
import tls from 'node:tls';
import WebSocket from 'ws';
import { type Command, type CommandKind, CtiError, type CtiErrorShape, type Query, commandKinds } from '../../shared/commands.js';
import type { SnapshotEvent } from '../../shared/events.js';
import {
  GATEWAY_MAX_SERVER_FRAME_BYTES,
  GATEWAY_PATH,
  type GatewayChannel,
  type GatewayRequestInput,
  type GatewaySignInReply,
  type GatewayValue,
  decodeGatewayServerFrame,
  parseGatewayEvent,
  parseGatewayValue,
} from '../../shared/gateway.js';
import type { Vendor } from '../../shared/model.js';
import type { CtipsConnection } from '../../shared/profile.js';
import type { Connector, ConnectorDeps, ConnectorListeners, KeepAliveResult, QueryResult } from '../core/connector.js';
import { createTrace, redactFrame } from '../core/log.js';
import { isLoopback } from '../host/web/server.js';
import { socketError } from '../connectors/socket-error.js';
import { PinnedAgent, loadTlsTrust } from '../connectors/tls.js';

export interface GatewayClientOptions {
  vendor: Vendor;
  capabilities: ReadonlySet<CommandKind>;
  extraCapabilities?: readonly string[];
  /** Names this desktop in the gateway's log. */
  clientName?: string;
}

export interface GatewayClientConnector extends Connector {
  /** What the gateway granted at the last sign-in (null before, and after stop). */
  readonly signedIn: GatewaySignInReply | null;
  /** Resolves once the current socket (if any) has closed. */
  closed(): Promise<void>;
}

interface Pending {
  channel: GatewayChannel;
  resolve: (value: unknown) => void;
  reject: (err: CtiError) => void;
  timer: NodeJS.Timeout;
}

type GatewaySettings = NonNullable<CtipsConnection['gateway']>;

function gatewaySettings(deps: ConnectorDeps): GatewaySettings {
  const c = deps.profile.connection;
  if (c.vendor !== 'ctips' || !c.gateway) throw new CtiError('invalid', 'a gateway connector needs a CTIPS profile with a gateway block');
  return c.gateway;
}

export function createGatewayClientConnector(deps: ConnectorDeps, opts: GatewayClientOptions): GatewayClientConnector {
  return new GatewayClient(deps, opts);
}

class GatewayClient implements GatewayClientConnector {
  readonly vendor: Vendor;
  readonly capabilities: ReadonlySet<CommandKind>;
  readonly extraCapabilities: readonly string[] | undefined;
  signedIn: GatewaySignInReply | null = null;

  private readonly gw: GatewaySettings;
  private readonly url: string;
  private readonly where: string;
  private readonly trace: ReturnType<typeof createTrace>;
  private readonly now: () => number;
  private listeners: ConnectorListeners | null = null;
  private ws: WebSocket | null = null;
  private wsClosed: Promise<void> = Promise.resolve();
  /** Bumped by every start and stop: callbacks of an older socket are ignored. */
  private epoch = 0;
  /** The current session has been reported lost (or stopped): report nothing more. */
  private lostReported = true;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly deps: ConnectorDeps,
    opts: GatewayClientOptions,
  ) {
    this.gw = gatewaySettings(deps);
    this.vendor = opts.vendor;
    this.capabilities = opts.capabilities;
    this.extraCapabilities = opts.extraCapabilities;
    const host = this.gw.host.includes(':') && !this.gw.host.startsWith('[') ? `[${this.gw.host}]` : this.gw.host;
    this.url = `${this.gw.https ? 'wss' : 'ws'}://${host}:${this.gw.port}${GATEWAY_PATH}`;
    this.where = `gateway ${this.gw.https ? 'https' : 'http'}://${host}:${this.gw.port}`;
    this.trace = createTrace(deps.log, deps.profile.trace);
    this.now = deps.now ?? Date.now;
    this.clientName = opts.clientName ?? 'agent-desktop';
  }

  private readonly clientName: string;

  setListeners(l: ConnectorListeners): void {
    this.listeners = l;
  }

  closed(): Promise<void> {
    return this.wsClosed;
  }

  async start(): Promise<void> {
    await this.stop();
    const epoch = ++this.epoch;
    const login = this.deps.profile.agentId.trim();
    if (!login) throw new CtiError('invalid', `${this.where}: the profile's agent id (the agent's login name) is needed to sign in to a gateway`);
    if (!this.gw.https && !isLoopback(this.gw.host)) {
      throw new CtiError('invalid', `${this.where}: a gateway off this computer is reached over TLS only (set the gateway's https), so the password never travels in clear`);
    }
    const options: WebSocket.ClientOptions = {
      handshakeTimeout: this.deps.profile.commandTimeoutMs,
      maxPayload: GATEWAY_MAX_SERVER_FRAME_BYTES,
      perMessageDeflate: false,
      followRedirects: false,
    };
    if (this.gw.https) {
      const trust = await loadTlsTrust(this.gw.tls, 'gateway');
      if (epoch !== this.epoch) throw new CtiError('notConnected', `${this.where}: stopped`);
      if (trust.pinSha256) options.agent = new PinnedAgent(trust.pinSha256, this.deps.profile.commandTimeoutMs, false);
      else {
        options.rejectUnauthorized = true;
        if (trust.caPem) options.ca = [...tls.rootCertificates, trust.caPem];
      }
    }
    await this.open(epoch, options);
    const password = this.deps.secret?.password ?? '';
    const role = this.deps.profile.connection.vendor === 'ctips' ? this.deps.profile.connection.role : 'agent';
    try {
      const reply = await this.request('gateway.signIn', { login, password, station: this.deps.profile.device, role, client: this.clientName.slice(0, 128) });
      if (epoch !== this.epoch) throw new CtiError('notConnected', `${this.where}: stopped`);
      this.signedIn = reply;
      const missing = [...this.capabilities].filter((k) => !reply.capabilities.includes(k));
      if (missing.length > 0) this.deps.log.warn({ missing }, 'gateway: the site does not offer every command this desktop expects');
      if (reply.vendor !== this.vendor) this.deps.log.warn({ expected: this.vendor, got: reply.vendor }, 'gateway: the site speaks another vendor than the profile says');
      this.lostReported = false;
    } catch (err) {
      if (epoch === this.epoch) this.closeSocket();
      throw CtiError.from(err);
    }
  }

  private open(epoch: number, options: WebSocket.ClientOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      let opened = false;
      const ws = new WebSocket(this.url, options);
      this.ws = ws;
      let markClosed: () => void = () => {};
      this.wsClosed = new Promise<void>((r) => (markClosed = r));
      ws.on('open', () => {
        if (epoch !== this.epoch) {
          ws.terminate();
          reject(new CtiError('notConnected', `${this.where}: stopped`));
          return;
        }
        opened = true;
        resolve();
      });
      ws.on('message', (data, isBinary) => {
        if (epoch === this.epoch && !isBinary) this.onMessage(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));
      });
      ws.on('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        ws.terminate();
        const err =
          status === 503
            ? new CtiError('limit', `${this.where}: the gateway is full or shutting down (HTTP 503)`, 'http503')
            : new CtiError('protocol', `${this.where}: no gateway at ${GATEWAY_PATH} (HTTP ${status})`, `http${status}`);
        if (!opened) reject(err);
      });
      ws.on('error', (err) => {
        const e = socketError(err, this.where);
        if (!opened) reject(e);
        else if (epoch === this.epoch) this.deps.log.warn({ err: e.message }, 'gateway: socket error');
      });
      ws.on('close', (code, reason) => {
        markClosed();
        if (!opened) {
          reject(new CtiError('unreachable', `${this.where}: closed before it opened (${code})`));
          return;
        }
        if (epoch !== this.epoch) return;
        const text = reason.toString('utf8');
        const err = new CtiError('unreachable', `${this.where}: the connection closed (${code}${text ? `: ${text}` : ''})`);
        this.failPending(err);
        this.reportLost(err);
      });
    });
  }

  private onMessage(buf: Buffer): void {
    const text = buf.toString('utf8');
    this.trace('in', 'gateway', redactFrame(text));
    const frame = decodeGatewayServerFrame(text);
    if (!frame.ok) {
      this.deps.log.warn({ err: frame.error.message }, 'gateway: unreadable frame ignored');
      return;
    }
    const f = frame.value;
    if ('id' in f) {
      const p = this.pending.get(f.id);
      if (!p) return;
      this.pending.delete(f.id);
      clearTimeout(p.timer);
      if (!f.reply.ok) {
        p.reject(toError(f.reply.error));
        return;
      }
      const v = parseGatewayValue(p.channel, f.reply.value);
      if (v.ok) p.resolve(v.value);
      else p.reject(toError(v.error));
      return;
    }
    if (f.push === 'gateway.lost') {
      const err = toError(f.payload);
      this.failPending(err);
      this.reportLost(err);
      this.closeSocket();
      return;
    }
    const ev = parseGatewayEvent(f.payload);
    if (ev.ok) {
      this.listeners?.event(ev.value);
      return;
    }
    this.deps.log.warn({ err: ev.error.message }, 'gateway: malformed event ignored');
    this.listeners?.event({ type: 'notice', level: 'warning', code: 'gateway.badEvent', message: ev.error.message.slice(0, 1024), at: this.now() });
  }

  private reportLost(err: CtiError): void {
    if (this.lostReported) return;
    this.lostReported = true;
    this.signedIn = null;
    this.failPending(err);
    this.listeners?.lost(err);
  }

  private failPending(err: CtiError): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.reject(err);
    }
  }

  private request<C extends GatewayChannel>(channel: C, payload: GatewayRequestInput<C>): Promise<GatewayValue<C>> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new CtiError('notConnected', `${this.where}: not connected`));
    const id = this.nextId++;
    const ms = this.deps.profile.commandTimeoutMs;
    return new Promise<GatewayValue<C>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CtiError('timeout', `${this.where}: no reply to ${channel} within ${ms} ms`));
      }, ms);
      this.pending.set(id, { channel, resolve: resolve as (v: unknown) => void, reject, timer });
      const text = JSON.stringify({ id, channel, payload });
      this.trace('out', 'gateway', redactFrame(text));
      ws.send(text, (err) => {
        if (!err) return;
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        clearTimeout(p.timer);
        p.reject(socketError(err, this.where));
      });
    });
  }

  private requireSignedIn(): void {
    if (!this.signedIn) throw new CtiError('notConnected', `${this.where}: not signed in`);
  }

  async snapshot(): Promise<SnapshotEvent> {
    this.requireSignedIn();
    return this.request('gateway.snapshot', {});
  }

  async keepAlive(): Promise<KeepAliveResult> {
    this.requireSignedIn();
    const r = await this.request('gateway.keepAlive', {});
    return { missedEvents: r.missedEvents, pbxLinkUp: r.pbxLinkUp, ...(r.snapshot ? { snapshot: r.snapshot } : {}) };
  }

  async execute(cmd: Command): Promise<void> {
    this.requireSignedIn();
    if (!commandKinds.includes(cmd.kind)) throw new CtiError('invalid', `unknown command ${String(cmd.kind)}`);
    await this.request('cti.command', cmd);
  }

  async query(q: Query): Promise<QueryResult> {
    this.requireSignedIn();
    return this.request('cti.query', q);
  }

  private closeSocket(): void {
    const ws = this.ws;
    if (!ws) return;
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'signed out');
    else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
  }

  async stop(): Promise<void> {
    this.epoch += 1;
    this.lostReported = true;
    this.signedIn = null;
    this.failPending(new CtiError('notConnected', `${this.where}: signed out`));
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    if (ws.readyState === WebSocket.CLOSED) return;
    const closed = this.wsClosed;
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'signed out');
    else ws.terminate();
    // A peer that does not answer the close handshake is cut off.
    const timer = setTimeout(() => ws.terminate(), 2000);
    await closed;
    clearTimeout(timer);
  }
}

function toError(e: CtiErrorShape): CtiError {
  return new CtiError(e.code, e.message, e.vendorCode);
}
