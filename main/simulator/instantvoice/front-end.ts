// The lab's InstantVoice front-end, built like the guide's platform: the ACD is a STOMP *client* of a broker
// (RabbitMQ here). It consumes requests from /queue/config, answers on /topic/<KEY>, and publishes agent
// events on /topic/iv.agents.<accountcode>_<agent> (RabbitMQ's topic exchange routes them to iv.agents.#
// subscribers too). IVWS, the SOAP service, runs beside it on HTTP and drives the same ACD state.
// Faults (down, stall, restart, media server lost, garbage/oversize events, broker connection drops) are
// methods here and control-API routes in faults.ts.
import type { IMessage } from '@stomp/stompjs';
import type { Logger } from '../../core/log.js';
import { StompTransport } from '../../connectors/instantvoice/stomp-transport.js';
import type { FrontEndControl } from '../control-api.js';
import type { Pbx } from '../pbx/pbx.js';
import { InstantVoiceAcd, isQueryMethod, type IvResult, type PublishedEvent } from './acd.js';
import { IV, codeName } from './codes.js';
import type { InstantVoiceConfig } from './config.js';
import { instantVoiceControlRoutes } from './faults.js';
import { IvwsServer, type SoapRequest } from './ivws.js';
import { IvDecodeError, decodeRequest, encodeEvent, encodeReply } from './wire.js';

export const requestQueue = '/queue/config';

export interface IvBrokerInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  vhost: string;
  /** True when the lab attached to a broker it did not start (no rabbitmqctl faults then). */
  external: boolean;
  /** The private RabbitMQ node's name. */
  nodeName?: string;
}

export interface InstantVoiceFrontEndOptions {
  /** IVWS listen address. */
  host: string;
  /** IVWS port; 0 = a free one. */
  ivwsPort: number;
  broker: IvBrokerInfo;
  /** Closes every broker client connection, the ACD's own included (private broker only). */
  closeBrokerConnections?: () => Promise<number>;
  config?: Partial<InstantVoiceConfig>;
  log: Logger;
  /** STOMP reconnect delay of the ACD's own connection (ms). Default 250. */
  reconnectDelayMs?: number;
  /** The first connection must succeed within this (ms), else start() fails. Default 15 s. */
  connectTimeoutMs?: number;
}

/** What the ACD put on the broker (and what it dropped), for tests: bounded waits, no sleeps. */
export interface IvLogEntry {
  kind: 'reply' | 'event' | 'raw' | 'dropped';
  destination: string;
  body: string;
  at: number;
  /** For 'dropped': why the request got no reply. */
  reason?: string;
}

export class IvLog {
  readonly entries: IvLogEntry[] = [];
  private waiters = new Set<() => void>();
  private readonly max = 10_000;

  push(e: IvLogEntry): void {
    this.entries.push(e);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    for (const w of [...this.waiters]) w();
  }

  get length(): number {
    return this.entries.length;
  }

  /** The first entry from index `from` matching `pred`, waiting up to timeoutMs. */
  next(pred: (e: IvLogEntry) => boolean, from = 0, timeoutMs = 5000): Promise<IvLogEntry> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.entries.slice(from).find(pred);
        if (!hit) return false;
        cleanup();
        resolve(hit);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`instantvoice log: nothing matching within ${timeoutMs} ms (${this.entries.length} entries)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}

type Held = { kind: 'stomp'; body: string } | { kind: 'soap'; resolve: (r: IvResult | null) => void };

export class InstantVoiceFrontEnd {
  readonly state: InstantVoiceAcd;
  readonly log = new IvLog();
  private transport: StompTransport | undefined;
  private readonly ivws: IvwsServer;
  private isDown = false;
  private stalledUntil = 0;
  private stallMode: 'answer' | 'drop' = 'answer';
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private held: Held[] = [];
  private stopped = false;
  /** Events that could not be published (broker connection down). */
  lostEvents = 0;
  restarts = 0;
  /** CONNECTED frames received by the ACD (first connection included). */
  connects = 0;
  private connectWaiters: Array<() => void> = [];

  private constructor(
    pbx: Pbx,
    private readonly opts: InstantVoiceFrontEndOptions,
  ) {
    this.state = new InstantVoiceAcd(pbx, { config: opts.config, log: opts.log, onEvent: (e) => this.publishEvent(e) });
    this.ivws = new IvwsServer(opts.host, { call: (r) => this.onSoap(r), log: opts.log });
  }

  static async start(pbx: Pbx, opts: InstantVoiceFrontEndOptions): Promise<InstantVoiceFrontEnd> {
    const fe = new InstantVoiceFrontEnd(pbx, opts);
    try {
      await fe.connect();
      await fe.ivws.start(opts.ivwsPort);
    } catch (err) {
      await fe.stop();
      throw err;
    }
    return fe;
  }

  get broker(): IvBrokerInfo {
    return this.opts.broker;
  }

  get ivwsEndpoint(): { host: string; port: number } {
    return { host: this.opts.host, port: this.ivws.port };
  }

  get connected(): boolean {
    return this.transport?.connected ?? false;
  }

  get down(): boolean {
    return this.isDown;
  }

  get stalled(): boolean {
    return Date.now() < this.stalledUntil;
  }

  // ---------------------------------------------------------------- STOMP

  private async connect(): Promise<void> {
    const b = this.opts.broker;
    const t = new StompTransport({
      host: b.host,
      port: b.port,
      login: b.user,
      passcode: b.password,
      vhost: b.vhost,
      reconnectDelayMs: this.opts.reconnectDelayMs ?? 250,
      // The ACD keeps trying for as long as it runs.
      maxAttempts: Number.POSITIVE_INFINITY,
      onFatal: (err) => this.opts.log.error({ err }, 'instantvoice: ACD broker connection given up'),
      onDisconnected: () => {
        if (!this.stopped && this.transport === t) this.opts.log.warn('instantvoice: ACD lost its broker connection; reconnecting');
      },
      onConnected: () => {
        this.connects++;
        for (const w of this.connectWaiters.splice(0)) w();
      },
    });
    this.transport = t;
    // Acknowledged once handled: a request delivered as the connection closes (a restart) is not
    // lost but redelivered by the broker to the ACD's next subscription.
    t.subscribe(
      requestQueue,
      (m: IMessage) => {
        this.onStomp(m.body);
        m.ack();
      },
      { ack: 'client-individual' },
    );
    const limit = this.opts.connectTimeoutMs ?? 15_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        t.connect(),
        new Promise<never>((_r, reject) => {
          timer = setTimeout(() => reject(new Error(`the InstantVoice ACD could not connect to the STOMP broker ${b.host}:${b.port} within ${limit} ms`)), limit);
        }),
      ]);
    } catch (err) {
      this.transport = undefined;
      await t.close().catch(() => undefined);
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
    }
    await t.subscribed();
  }

  private publish(destination: string, body: string, kind: IvLogEntry['kind']): boolean {
    const t = this.transport;
    if (!t || !t.connected) {
      this.opts.log.warn({ destination }, 'instantvoice: not connected to the broker; message lost');
      return false;
    }
    try {
      t.publish(destination, body, { 'content-type': 'application/json' });
    } catch (err) {
      this.opts.log.warn({ err, destination }, 'instantvoice: publish failed');
      return false;
    }
    this.log.push({ kind, destination, body, at: Date.now() });
    return true;
  }

  private publishEvent(e: PublishedEvent): void {
    if (!this.publish(e.topic, encodeEvent(e.event), 'event')) this.lostEvents++;
  }

  private drop(body: string, reason: string): void {
    this.opts.log.warn({ reason }, 'instantvoice: request dropped');
    this.log.push({ kind: 'dropped', destination: requestQueue, body: body.slice(0, 4096), at: Date.now(), reason });
  }

  private onStomp(body: string): void {
    if (this.stalled) {
      this.held.push({ kind: 'stomp', body });
      return;
    }
    this.handleStomp(body);
  }

  private handleStomp(body: string): void {
    if (Buffer.byteLength(body) > this.state.config.maxRequestBytes) return this.drop(body, 'request too large');
    let req;
    try {
      req = decodeRequest(body);
    } catch (err) {
      // Not answerable: without a parsed key there is no reply topic.
      return this.drop(body, err instanceof IvDecodeError ? `not a request: ${err.message}` : 'not a request');
    }
    if (!/^[A-Za-z0-9._-]{1,255}$/.test(req.key)) return this.drop(body, 'key not usable as a topic name');
    const topic = `/topic/${req.key}`;
    if (this.isDown) {
      this.publish(topic, encodeReply(IV.UNDEFINED, `${codeName(IV.UNDEFINED)}: IVACD is currently disabled`, req.identifier), 'reply');
      return;
    }
    const { value, events } = this.state.withEventsHeld(() => this.state.handle(req.method, req.key, req.args, 'stomp'));
    this.publish(topic, encodeReply(value.code, value.json, req.identifier), 'reply');
    for (const e of events) this.publishEvent(e);
  }

  // ---------------------------------------------------------------- SOAP

  private async onSoap(req: SoapRequest): Promise<IvResult> {
    if (this.stalled) {
      const r = await new Promise<IvResult | null>((resolve) => this.held.push({ kind: 'soap', resolve }));
      if (r) return r;
    }
    return this.runSoap(req);
  }

  private runSoap(req: SoapRequest): IvResult {
    if (this.isDown) {
      const soap: IvResult['soap'] = isQueryMethod(req.method) ? { kind: 'struct', fields: [{ name: 'code', type: 'integer', value: String(IV.DAC_OFFLINE) }] } : { kind: 'code' };
      return { code: IV.DAC_OFFLINE, json: codeName(IV.DAC_OFFLINE), soap };
    }
    const { value, events } = this.state.withEventsHeld(() => this.state.handle(req.method, req.key, req.args, 'soap'));
    // The HTTP reply is written after this returns; events go out at once (different channels: no order).
    for (const e of events) this.publishEvent(e);
    return value;
  }

  // ---------------------------------------------------------------- faults

  /** ACD down: STOMP requests get 1000 (RESPONSE_UNDEFINED), SOAP requests -1 (DAC_OFFLINE); events continue. */
  setDown(down: boolean): void {
    this.isDown = down;
  }

  /**
   * Stop answering for `ms`. Requests that arrive meanwhile are held; afterwards `then: 'answer'` (default)
   * answers them in arrival order, `then: 'drop'` forgets the STOMP ones (logged as dropped) and answers held
   * SOAP calls -1. Call events keep flowing during a stall.
   */
  stall(ms: number, then: 'answer' | 'drop' = 'answer'): void {
    this.stalledUntil = Date.now() + ms;
    this.stallMode = then;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.endStall(), ms);
    this.stallTimer.unref?.();
  }

  endStall(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    this.stalledUntil = 0;
    const held = this.held.splice(0);
    for (const h of held) {
      if (h.kind === 'stomp') {
        if (this.stallMode === 'answer') this.handleStomp(h.body);
        else this.drop(h.body, 'dropped after a stall');
      } else if (this.stallMode === 'answer') h.resolve(null);
      else h.resolve({ code: IV.DAC_OFFLINE, json: '', soap: { kind: 'code' } }); // [SIM] a dropped SOAP request answers -1
    }
  }

  /** The ACD process restarts: its broker connection closes, it connects and subscribes again. State and calls are kept. */
  async restart(): Promise<void> {
    const old = this.transport;
    this.transport = undefined;
    await old?.close().catch(() => undefined);
    this.restarts++;
    await this.connect();
  }

  /** Media server lost: every active call ends with HANGUP reason MSGONE. */
  mediaServerLost(): number {
    return this.state.mediaServerLost('MSGONE');
  }

  /** Publish a raw body on an agent's event topic (garbage, oversize). */
  publishRaw(agent: string, body: string): boolean {
    return this.publish(`/topic/iv.agents.${agent}`, body, 'raw');
  }

  /**
   * Close every client connection of the private broker (`rabbitmqctl close_all_connections`): the desktops'
   * and the ACD's own, which reconnects and subscribes again within reconnectDelayMs. Resolves once the ACD is back.
   */
  async dropBrokerConnections(): Promise<number> {
    if (!this.opts.closeBrokerConnections) throw new Error('the lab did not start this broker: dropping its connections is not available');
    const before = this.connects;
    const n = await this.opts.closeBrokerConnections();
    await this.reconnected(before);
    return n;
  }

  /** Resolves once the ACD has connected again since `before` connections and its subscription is confirmed (bounded). */
  async reconnected(before: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connects <= before) {
      if (Date.now() > deadline) throw new Error('the ACD did not reconnect to the broker');
      await new Promise<void>((resolve) => {
        this.connectWaiters.push(resolve);
        setTimeout(resolve, 100).unref();
      });
    }
    await this.transport?.subscribed();
  }

  control(): FrontEndControl {
    return {
      vendor: 'instantvoice',
      // IVWS keep-alive connections close at once; the broker's client connections (private broker) close shortly after.
      dropClients: () => {
        const n = this.ivws.dropClients();
        if (this.opts.closeBrokerConnections) void this.dropBrokerConnections().catch((err: unknown) => this.opts.log.warn({ err }, 'instantvoice: broker drop failed'));
        return n;
      },
      // An agent logged in on that device is logged off (LOGOUT event).
      adminClose: (device) => this.state.adminLogoff(device),
      reset: () => {
        this.isDown = false;
        this.held = [];
        this.endStall();
        this.state.reset();
      },
      routes: instantVoiceControlRoutes(this),
    };
  }

  describe(): unknown {
    return {
      broker: { ...this.opts.broker, password: undefined, connected: this.connected },
      ivws: this.ivwsEndpoint,
      down: this.isDown,
      stalled: this.stalled,
      restarts: this.restarts,
      lostEvents: this.lostEvents,
      ...(this.state.describe() as object),
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.endStall();
    this.state.dispose();
    await this.ivws.stop();
    const t = this.transport;
    this.transport = undefined;
    await t?.close().catch(() => undefined);
  }
}
