// The lab's control API: HTTP + JSON on loopback for tests, demos and training. It plays the phones'
// handsets, outside callers, the PBX link and the fault injector. Bodies are validated with zod.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../core/log.js';
import type { DemoTraffic } from './demo.js';
import type { Pbx } from './pbx/pbx.js';
import { PbxError, type Call } from './pbx/types.js';

/** A vendor-specific control route (e.g. the O2G server faults), mounted as given (paths start with /<vendor>/). */
export interface ControlRoute {
  method: 'GET' | 'POST';
  /** e.g. "/o2g/servers/{role}/stop"; {name} segments are passed in order as params. */
  path: string;
  handler: (params: string[], body: unknown) => ControlReply | Promise<ControlReply>;
}

export interface ControlReply {
  status?: number;
  json: unknown;
}

/** What a vendor front-end offers to the control API. */
export interface FrontEndControl {
  vendor: string;
  /** Close every client connection and forget sessions, as a restart would. Returns connections closed. */
  dropClients(): number;
  /** Administrator close of a device's session; false when there is none. */
  adminClose(device: string): boolean;
  /** The PBX was reset. */
  reset(): void;
  /** Extra routes of this front-end (documented in README's control-API section). */
  routes?: ControlRoute[];
}

export interface ControlTarget {
  pbx: Pbx;
  frontEnds: FrontEndControl[];
  demo: DemoTraffic;
  /** Start the demo with another interval (a new generator). */
  restartDemo(intervalMs?: number): void;
}

const phoneNumber = z.string().min(1).max(64).regex(/^[+0-9*#A-Za-z._-]+$/, 'not a phone number or queue name');

const PlaceCall = z.object({
  from: phoneNumber,
  to: phoneNumber,
  data: z.record(z.string().max(128), z.string().max(4096)).optional(),
  fromName: z.string().max(256).optional(),
  withheld: z.boolean().optional(),
});

const AgentStateBody = z.object({ state: z.enum(['loggedOff', 'loggedOn', 'ready', 'notReady', 'workingAfterCall']) });

const OnOffBody = z.object({ on: z.boolean() });

const errorNames = ['pbxReject', 'pbxTimeout', 'pbxlinkOutOfService', 'noCall', 'noOpenSession', 'sessionLimitExceeded', 'reject', 'invalidCredentials', 'resourceError'] as const;

const FaultsBody = z.object({
  udpDrop: z.boolean().optional(),
  udpDropPorts: z.array(z.number().int().min(1).max(65535)).max(100).optional(),
  next: z.object({ request: z.string().min(1).max(64), error: z.enum(errorNames) }).optional(),
  garbageReplies: z.number().int().min(0).max(1000).optional(),
  garbageEvents: z.number().int().min(0).max(1000).optional(),
  clear: z.boolean().optional(),
});

const DemoStartBody = z.object({ intervalMs: z.number().int().min(100).max(3_600_000).optional() });

/** An error answer of a control route: `{"error": message}` with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Handler = (params: string[], body: unknown) => ControlReply | Promise<ControlReply>;

export class ControlApi {
  private readonly server: Server;
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: Handler }> = [];
  private boundPort = 0;

  constructor(
    private readonly target: ControlTarget,
    private readonly log: Logger,
  ) {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.keepAliveTimeout = 1000;
    this.defineRoutes();
  }

  get port(): number {
    return this.boundPort;
  }

  async listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(method: string, path: string, handler: Handler): void {
    const pattern = new RegExp(`^${path.replace(/\{[A-Za-z]+\}/g, '([^/]+)')}$`);
    this.routes.push({ method, pattern, handler });
  }

  private defineRoutes(): void {
    const { pbx } = this.target;
    this.route('GET', '/health', () => ({ json: { ok: true, link: pbx.linkUp ? 'up' : 'down', calls: pbx.allCalls().length, demo: this.target.demo.running } }));
    this.route('GET', '/devices', () => ({ json: pbx.devices() }));
    this.route('GET', '/calls', () => ({ json: pbx.allCalls().map(describeCall) }));
    this.route('POST', '/calls', (_p, body) => {
      const b = parse(PlaceCall, body);
      if (!pbx.isDevice(b.to) && !pbx.isQueue(b.to)) throw new HttpError(404, `no device or queue ${b.to}`);
      const id = pbx.placeExternalCall({ from: b.from, to: b.to, data: b.data, fromName: b.fromName, withheld: b.withheld });
      return { status: 201, json: { id } };
    });
    this.route('POST', '/devices/{number}/answer', ([number]) => this.handset(number as string, 'answer'));
    this.route('POST', '/devices/{number}/hangup', ([number]) => this.handset(number as string, 'hangup'));
    this.route('POST', '/devices/{number}/agent', ([number], body) => {
      const device = this.requireDevice(number as string);
      const b = parse(AgentStateBody, body);
      if (!pbx.agent(device)) throw new HttpError(409, `${device} is not an agent device`);
      pbx.setAgentState(device, b.state, { force: true });
      return { json: pbx.agent(device) };
    });
    this.route('POST', '/devices/{number}/mwi', ([number], body) => {
      const device = this.requireDevice(number as string);
      pbx.setMwi(device, parse(OnOffBody, body).on);
      return { json: { mwi: pbx.mwi(device) } };
    });
    this.route('POST', '/devices/{number}/call-waiting', ([number], body) => {
      const device = this.requireDevice(number as string);
      const on = parse(OnOffBody, body).on;
      pbx.setCallWaiting(device, on);
      return { json: { callWaiting: on } };
    });
    this.route('POST', '/devices/{number}/dnd', ([number], body) => {
      const device = this.requireDevice(number as string);
      pbx.setDnd(device, parse(OnOffBody, body).on);
      return { json: { dnd: pbx.dnd(device) } };
    });
    this.route('POST', '/link/down', () => {
      pbx.setLinkUp(false);
      return { json: { link: 'down' } };
    });
    this.route('POST', '/link/up', () => {
      pbx.setLinkUp(true);
      return { json: { link: 'up' } };
    });
    this.route('POST', '/clients/drop', () => ({ json: { dropped: this.target.frontEnds.reduce((n, f) => n + f.dropClients(), 0) } }));
    this.route('POST', '/sessions/{device}/close', ([device]) => {
      const closed = this.target.frontEnds.some((f) => f.adminClose(device as string));
      if (!closed) throw new HttpError(404, `no session on ${device}`);
      return { json: { closed: device } };
    });
    this.route('POST', '/faults', (_p, body) => {
      const b = parse(FaultsBody, body);
      const faults = pbx.faults;
      if (b.clear) faults.clear();
      if (b.udpDrop !== undefined) {
        faults.udpDropAll = b.udpDrop;
        if (!b.udpDrop) faults.udpDropPorts.clear();
      }
      for (const p of b.udpDropPorts ?? []) faults.udpDropPorts.add(p);
      if (b.next) faults.failNext(b.next);
      if (b.garbageReplies) faults.garbleNextReplies(b.garbageReplies);
      if (b.garbageEvents) faults.garbleNextEvents(b.garbageEvents);
      return { json: faults.describe() };
    });
    this.route('POST', '/demo/start', (_p, body) => {
      const b = parse(DemoStartBody, body ?? {});
      this.target.restartDemo(b.intervalMs);
      return { json: { demo: 'running' } };
    });
    this.route('POST', '/demo/stop', () => {
      this.target.demo.stop();
      return { json: { demo: 'stopped' } };
    });
    this.route('POST', '/reset', () => {
      this.target.demo.stop();
      pbx.reset();
      for (const f of this.target.frontEnds) f.reset();
      return { json: { reset: true } };
    });
    for (const f of this.target.frontEnds) for (const r of f.routes ?? []) this.route(r.method, r.path, r.handler);
  }

  private requireDevice(number: string): string {
    if (!this.target.pbx.isDevice(number)) throw new HttpError(404, `no device ${number}`);
    return number;
  }

  /** The phone's handset (or an outside party in a call): answer the ringing call, or hang up. */
  private handset(number: string, action: 'answer' | 'hangup'): { json: unknown } {
    const pbx = this.target.pbx;
    if (!pbx.isDevice(number) && pbx.legsOf(number).length === 0) throw new HttpError(404, `no device ${number}`);
    try {
      const id = action === 'answer' ? pbx.answer(number) : pbx.drop(number);
      return { json: { id } };
    } catch (err) {
      if (err instanceof PbxError && err.code === 'noCall') throw new HttpError(409, action === 'answer' ? `nothing to answer at ${number}` : `nothing to hang up at ${number}`);
      throw err;
    }
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://control');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const match = this.routes.map((r) => ({ r, m: r.method === req.method ? r.pattern.exec(path) : null })).find((x) => x.m);
      if (!match || !match.m) {
        await readBody(req);
        throw new HttpError(404, `no route ${req.method} ${path}`);
      }
      const raw = await readBody(req);
      let body: unknown = undefined;
      if (raw.trim() !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new HttpError(400, 'invalid JSON');
        }
      }
      const params = match.m.slice(1).map((p) => decodeURIComponent(p));
      const out = await match.r.handler(params, body);
      send(res, out.status ?? 200, out.json);
    } catch (err) {
      if (err instanceof HttpError) send(res, err.status, { error: err.message });
      else if (err instanceof PbxError) send(res, err.code === 'unknownDevice' ? 404 : 409, { error: err.message });
      else {
        this.log.error({ err }, 'control api: request failed');
        send(res, 500, { error: 'internal error' });
      }
    }
  }
}

/** Validate a control-API body (400 with the first issue otherwise); for vendor routes too. */
export function parseControlBody<T>(schema: z.ZodType<T>, body: unknown): T {
  return parse(schema, body);
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new HttpError(400, issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid body');
  }
  return r.data;
}

function describeCall(call: Call): unknown {
  const first = call.legs[0];
  return {
    id: call.id,
    ref: call.ref,
    from: first?.number,
    to: call.dialled,
    parties: call.legs.map((l) => ({ number: l.number, kind: l.kind, state: l.state, ...(l.name ? { name: l.name } : {}), ...(l.withheld ? { withheld: true } : {}) })),
    data: call.data,
    ...(call.extraData !== undefined ? { extraData: call.extraData } : {}),
    ...(call.service ? { service: call.service } : {}),
  };
}

function send(res: ServerResponse, status: number, json: unknown): void {
  const body = JSON.stringify(json);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const maxBody = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBody) chunks.push(c);
    });
    req.on('end', () => (size > maxBody ? reject(new HttpError(413, 'body too large')) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
