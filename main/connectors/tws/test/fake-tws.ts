// A small scripted TWS server for the connector's tests, written here from the manual's examples
// (web services in /Json/, /Xml/ and SOAP 1.1; the TCP event socket with the 82E51812-45C9-4733+NUL
// separator; the WebSocket with the bare token; the TWS_GetEvent long-poll). It shares nothing
// with main/simulator/ nor with the connector's codec: its encoders are its own, so a bug in one
// cannot hide a bug in the other. Tests script its state (users, calls, codes) and push events; it
// records every request.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const SEP = '82E51812-45C9-4733\u0000';
const NS_TEMPURI = 'http://tempuri.org/';
const NS_DB = 'http://schemas.datacontract.org/2004/07/TWS_Database';
const NS_XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const NS_GENERIC = 'http://schemas.datacontract.org/2004/07/Algoria.TWS.GenericClass';

/** A value as the fake serializes it: scalars, nil, objects, or a list of same-named items. */
export type X = string | number | boolean | null | { [k: string]: X } | XList;
export interface XList {
  $items: string;
  list: X[];
}
const isList = (v: X): v is XList => typeof v === 'object' && v !== null && '$items' in v;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function xml(name: string, v: X, prefix = ''): string {
  const tag = `${prefix}${name}`;
  if (v === null) return `<${tag} i:nil="true"/>`;
  if (typeof v !== 'object') return `<${tag}>${esc(String(v))}</${tag}>`;
  if (isList(v)) return `<${tag}>${v.list.map((x) => xml(v.$items, x, prefix)).join('')}</${tag}>`;
  return `<${tag}>${Object.entries(v).map(([k, x]) => xml(k, x, prefix)).join('')}</${tag}>`;
}

function json(v: X): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (isList(v)) return v.list.map(json);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, json(x)]));
}

// ---------------------------------------------------------------- model

export interface FakeParty {
  number: string;
  firstname?: string;
  lastname?: string;
  company?: string;
  display?: string;
  info?: string;
  redList?: boolean;
}

export interface FakeConn {
  connectionId: string;
  state: string;
  direction: 'incoming' | 'outgoing';
  device: string;
  callLogId?: string;
  eventReason?: string;
  timeEnd?: string;
  timeStart?: string;
  actions?: string[];
  party?: FakeParty | null;
  /** Second correspondent (conference). */
  party2?: FakeParty;
  called?: FakeParty;
}

export interface FakeCco {
  ccoId: string;
  ccoState: string;
  ccoType: string;
  connections: FakeConn[];
}

const flags = ['Answer', 'AnswerWithVideo', 'Callback', 'Conference', 'DivertCall', 'DropConference', 'Hold', 'HoldConference', 'Recover', 'Release', 'SingleStepTransfer', 'Swaphold', 'Transfer', 'UnHold', 'UnholdConference'];

function userX(p: FakeParty, direction: string): X {
  return {
    Company: p.company ?? null,
    Firstname: p.firstname ?? null,
    Lastname: p.lastname ?? null,
    m_IsRedList: p.redList ?? false,
    m_UserDisplay: p.display ?? p.number,
    m_UserInfoDisplay: p.info ?? p.display ?? p.number,
    m_connectionDirection: direction,
    m_publicUserNumber: p.number,
  };
}

export function connX(c: FakeConn): X {
  const users: X[] = [c.party ? userX(c.party, c.direction) : null, c.party2 ? userX(c.party2, c.direction) : null];
  const stamp = c.timeEnd ?? '2024-03-01T10:00:00.0000000+01:00';
  return {
    genericCalledUser: c.called ? userX(c.called, 'outgoing') : null,
    m_Users: { $items: 'CGenericUser', list: users },
    m_callAction: Object.fromEntries(flags.map((f) => [f, (c.actions ?? []).includes(f)])),
    m_callLogId: c.callLogId ?? null,
    m_connectionDirection: c.direction,
    m_connectionId: c.connectionId,
    m_currentReason: c.state === 'cleared' ? 'Idle' : 'Connected',
    m_currentState: c.state,
    m_deviceNumber: c.device,
    m_eventReason: c.eventReason ?? 'Normal',
    m_timeEnd: stamp,
    m_timeStart: c.timeStart ?? '2024-03-01T10:00:00.0000000+01:00',
    m_timeStart1: c.timeStart ?? '2024-03-01T10:00:00.0000000+01:00',
  };
}

export function ccoX(c: FakeCco): X {
  return { m_Connections: { $items: 'CGenericConnection', list: c.connections.map(connX) }, m_ccoId: c.ccoId, m_ccoState: c.ccoState, m_ccoType: c.ccoType };
}

export type FakeEvent =
  | { kind: 'call'; cco: FakeCco; device?: string }
  | { kind: 'agent'; state: string; agentId?: string; group?: string }
  | { kind: 'supervision'; device: string; connectionId: string; state: string; party?: FakeParty }
  /** Raw bytes/text for one channel kind (garbage tests). */
  | { kind: 'raw'; tcp?: string | Buffer; ws?: string };

function envelope(eventType: string, slot: string, payload: X, objectName: string): Record<string, X> {
  return { creationDate: '2024-03-01T10:00:00.0000000+01:00', eventType, [slot]: payload, objectGuid: '62c98c72-4863-4626-8078-fe65c321b22b', objectName, userGuid: 'user-guid-1' };
}

function socketEventX(ev: Exclude<FakeEvent, { kind: 'raw' }>): Record<string, X> {
  switch (ev.kind) {
    case 'call':
      return envelope('CallEvent', 'genericCallEvent', { $items: 'CGenericCCo', list: [ccoX(ev.cco)] }, ev.device ?? ev.cco.connections[0]?.device ?? '');
    case 'agent':
      return envelope('CGenericAgentEvent', 'genericAgentEvent', { AgentDevice: null, AgentGroup: ev.group ?? '1100', AgentID: ev.agentId ?? '1000', AgentState: ev.state, Cause: null }, ev.agentId ?? '1000');
    case 'supervision':
      return envelope(
        'CallSupervisionEvent',
        'genericCallSupervisionEvent',
        { m_Users: { $items: 'CGenericUser', list: [ev.party ? userX(ev.party, 'outgoing') : null, null] }, m_connectionId: ev.connectionId, m_currentReason: 'Connected', m_currentState: ev.state, m_deviceNumber: ev.device, m_deviceType: 'PROFESSIONAL' },
        '4694',
      );
  }
}

/** The socket/WebSocket XML form (§6.7 shape, with the unused slots nil). */
export function socketEventXml(ev: Exclude<FakeEvent, { kind: 'raw' }>): string {
  const body = socketEventX(ev);
  const inner = Object.entries(body).map(([k, v]) => xml(k, v)).join('');
  const nils = ['genericCallQueueEvent', 'genericDTMFEVENT', 'genericForwardEvent'].map((s) => `<${s} i:nil="true"/>`).join('');
  return `<CGenericEvent xmlns="${NS_GENERIC}" xmlns:i="${NS_XSI}">${inner.replace('</eventType>', `</eventType>${nils}`)}</CGenericEvent>`;
}

export function socketEventJson(ev: Exclude<FakeEvent, { kind: 'raw' }>): string {
  const body = socketEventX(ev);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[k] = json(k === 'genericCallEvent' && isList(v) ? (v.list[0] ?? null) : v);
  return JSON.stringify(out);
}

/** The polling form: the CTLK root name and its members (agent events only with agentEventsOnPolling). */
function pollEvent(ev: Exclude<FakeEvent, { kind: 'raw' }>): { type: string; members: Record<string, X> } | null {
  const env = (eventType: string, objectName: string) => ({ creationDate: '2024-03-01T10:00:00.0000000+01:00', eventType, objectGuid: '62c98c72-4863-4626-8078-fe65c321b22b', objectName, userGuid: 'user-guid-1' });
  switch (ev.kind) {
    case 'call':
      return { type: 'CTLKCallEvent', members: { ...env('CallEvent', ev.device ?? ''), genericCCOs: { $items: 'CGenericCCo', list: [ccoX(ev.cco)] } } };
    case 'supervision':
      return {
        type: 'CTLKConnectionSupervisionEvent',
        members: { ...env('CallSupervisionEvent', '4694'), m_Users: { $items: 'CGenericUser', list: [ev.party ? userX(ev.party, 'outgoing') : null] }, m_connectionId: ev.connectionId, m_currentState: ev.state, m_deviceNumber: ev.device },
      };
    case 'agent':
      return null;
  }
}

// ---------------------------------------------------------------- server

export interface FakeTwsUser {
  username: string;
  password: string;
  devices: string[];
  userGuid: string;
  domainGuid: string;
  firstname?: string;
  lastname?: string;
}

export interface FakeTwsOptions {
  apiKey?: string;
  adminKey?: string;
  admin?: { username: string; password: string };
  users?: FakeTwsUser[];
  tls?: { key: string; cert: string };
  /** TWS_GetEvent wait when nothing is queued. */
  pollWaitMs?: number;
  echoAudit?: boolean;
  /** Send JSON events on the WebSocket instead of XML. */
  wsJson?: boolean;
  agentEventsOnPolling?: boolean;
}

export interface FakeRequest {
  fn: string;
  format: 'json' | 'xml' | 'soap';
  params: Record<string, string>;
  service: string;
}

type Reply = { value: X } | { fault: string } | { status: number; body: string };

interface PollSession {
  id: string;
  queue: Array<{ type: string; members: Record<string, X> }>;
  waiter: (() => void) | null;
}

export const defaultUser: FakeTwsUser = { username: 'agent1', password: 'pw1', devices: ['4694'], userGuid: 'user-guid-1', domainGuid: 'domain-guid-1', firstname: 'Hector', lastname: 'Piaple' };

export class FakeTws {
  readonly requests: FakeRequest[] = [];
  readonly tokens = new Map<string, FakeTwsUser>();
  readonly monitors = new Set<string>();
  readonly calls = new Map<string, FakeCco[]>();
  readonly callData = new Map<string, string>();
  readonly deviceStates = new Map<string, string>();
  forwards: Record<string, string> = {};
  agentState: string | null = 'LoggedOff';
  /** Code returned by a function instead of 0. */
  readonly codes = new Map<string, number>();
  /** Full overrides per function. */
  readonly handlers = new Map<string, (p: Record<string, string>) => Reply | undefined>();
  contacts: X[] = [];
  callLog: X[] = [];
  audits = 0;
  /** TCP: close the socket right after the open message, whatever the token. */
  tcpCloseOnOpen = false;
  /** Stop writing anything on the TCP sockets (half-open). */
  tcpSilent = false;
  wsCloseOnOpen = false;
  readonly opts: FakeTwsOptions;
  readonly users: FakeTwsUser[];

  port = 0;
  tcpPort = 0;
  wsPort = 0;
  private httpServer!: http.Server | https.Server;
  private tcpServer: net.Server | null = null;
  private wsHttp!: http.Server | https.Server;
  private wss!: WebSocketServer;
  readonly tcpSessions = new Set<net.Socket>();
  /** Every TCP connection, open or not (closed on stopTcp). */
  private readonly tcpAll = new Set<net.Socket>();
  private closing = false;
  readonly wsSessions = new Set<WebSocket>();
  readonly pollSessions = new Map<string, PollSession>();
  private seq = 0;
  private waiters: Array<() => void> = [];

  private constructor(opts: FakeTwsOptions) {
    this.opts = opts;
    this.users = opts.users ?? [defaultUser];
  }

  static async start(opts: FakeTwsOptions = {}): Promise<FakeTws> {
    const f = new FakeTws(opts);
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void f.onHttp(req, res);
    f.httpServer = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
    f.port = await listen(f.httpServer, 0);
    f.tcpPort = await f.startTcp(0);
    f.wsHttp = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }) : http.createServer();
    f.wss = new WebSocketServer({ server: f.wsHttp });
    f.wss.on('connection', (ws) => f.onWs(ws));
    f.wsPort = await listen(f.wsHttp, 0);
    return f;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const p of this.pollSessions.values()) p.waiter?.();
    await this.stopTcp();
    for (const w of this.wss.clients) w.terminate();
    this.wss.close();
    const closeHttp = (srv: http.Server | https.Server) =>
      new Promise<void>((r) => {
        srv.close(() => r());
        srv.closeAllConnections();
      });
    await Promise.all([closeHttp(this.wsHttp), closeHttp(this.httpServer)]);
  }

  /** Resolves when `probe` holds (re-checked on every request and channel change). */
  until(probe: () => boolean, timeoutMs = 4000, why = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!probe()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`fake TWS: timed out waiting for ${why}`));
      }, timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  count(fn: string): number {
    return this.requests.filter((r) => r.fn.toLowerCase() === fn.toLowerCase()).length;
  }

  last(fn: string): FakeRequest | undefined {
    return [...this.requests].reverse().find((r) => r.fn.toLowerCase() === fn.toLowerCase());
  }

  /** Invalidate every token (the server forgot them). */
  expireTokens(): void {
    this.tokens.clear();
  }

  setCalls(device: string, ccos: FakeCco[]): void {
    this.calls.set(device, ccos);
  }

  // ---------------------------------------------------------------- channels

  async startTcp(port: number): Promise<number> {
    const server = net.createServer((sock) => this.onTcp(sock));
    this.tcpServer = server;
    return listen(server, port);
  }

  async stopTcp(): Promise<void> {
    const s = this.tcpServer;
    this.tcpServer = null;
    for (const sock of this.tcpAll) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  dropTcp(): void {
    for (const sock of this.tcpSessions) sock.destroy();
  }

  dropWs(): void {
    for (const w of this.wsSessions) w.terminate();
  }

  private onTcp(sock: net.Socket): void {
    if (this.closing) {
      sock.destroy();
      return;
    }
    this.tcpAll.add(sock);
    let buf = '';
    let open = false;
    sock.on('error', () => undefined);
    sock.on('close', () => {
      this.tcpAll.delete(sock);
      this.tcpSessions.delete(sock);
      this.wake();
    });
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        const at = buf.indexOf(SEP);
        if (at < 0) break;
        const frame = buf.slice(0, at);
        buf = buf.slice(at + SEP.length);
        if (!open) {
          const token = /<tokenGuid>([^<]*)<\/tokenGuid>/.exec(frame)?.[1] ?? '';
          if (!this.tokens.has(token) || this.tcpCloseOnOpen) {
            sock.destroy();
            return;
          }
          open = true;
          this.tcpSessions.add(sock);
          this.wake();
          continue;
        }
        if (frame.includes('AUDIT')) {
          this.audits += 1;
          if (this.opts.echoAudit && !this.tcpSilent) sock.write(`<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>${SEP}`);
          this.wake();
        }
      }
    });
  }

  private onWs(ws: WebSocket): void {
    if (this.closing) {
      ws.terminate();
      return;
    }
    let open = false;
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.wsSessions.delete(ws);
      this.wake();
    });
    ws.on('message', (data) => {
      const text = (Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer)).toString('utf8').trim();
      if (open) return;
      if (!this.tokens.has(text) || this.wsCloseOnOpen) {
        ws.close(1008, 'invalid token');
        return;
      }
      open = true;
      this.wsSessions.add(ws);
      this.wake();
    });
  }

  /** Push one event to every open channel, each in its own shape. */
  push(ev: FakeEvent): void {
    if (ev.kind === 'raw') {
      if (ev.tcp !== undefined) for (const s of this.tcpSessions) s.write(ev.tcp);
      if (ev.ws !== undefined) for (const w of this.wsSessions) w.send(ev.ws);
      return;
    }
    if (!this.tcpSilent) {
      const text = `${socketEventXml(ev)}${SEP}`;
      for (const s of this.tcpSessions) s.write(text);
    }
    const wsText = this.opts.wsJson ? socketEventJson(ev) : socketEventXml(ev);
    for (const w of this.wsSessions) w.send(wsText);
    const p = pollEvent(ev) ?? (ev.kind === 'agent' && this.opts.agentEventsOnPolling ? { type: 'CTLKGenericEvent', members: socketEventX(ev) } : null);
    if (p) {
      for (const s of this.pollSessions.values()) {
        s.queue.push(p);
        s.waiter?.();
      }
    }
  }

  // ---------------------------------------------------------------- web services

  private async onHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.closing) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    let fn: string;
    let format: FakeRequest['format'];
    const params: Record<string, string> = {};
    const m = /^\/tws\/(?:auth\/)?(\w+)\/\w+\.svc(?:\/(json|xml)\/(\w+))?\/?$/i.exec(url.pathname);
    if (!m) {
      res.writeHead(404).end('Endpoint not found.');
      return;
    }
    const service = m[1] as string;
    if (m[2] && m[3]) {
      format = m[2].toLowerCase() === 'xml' ? 'xml' : 'json';
      fn = m[3];
      for (const [k, v] of url.searchParams) params[k.toLowerCase()] = v;
    } else if (req.method === 'POST') {
      format = 'soap';
      const op = /<s:Body>\s*<(\w+)[^>]*>([\s\S]*)<\/\1>\s*<\/s:Body>/.exec(body);
      if (!op) {
        res.writeHead(400).end('bad SOAP');
        return;
      }
      fn = op[1] as string;
      for (const p of (op[2] as string).matchAll(/<(\w+)>([^<]*)<\/\1>/g)) params[(p[1] as string).toLowerCase()] = unesc(p[2] as string);
      const action = String(req.headers.soapaction ?? '');
      if (!action.includes(fn)) {
        res.writeHead(400).end('SOAPAction mismatch');
        return;
      }
    } else {
      res.writeHead(404).end('Endpoint not found.');
      return;
    }
    this.requests.push({ fn, format, params, service });
    this.wake();
    const reply = await this.dispatch(fn, params);
    this.wake();
    if ('status' in reply) {
      res.writeHead(reply.status).end(reply.body);
      return;
    }
    const key = `${canonical(fn)}Result`;
    if ('fault' in reply) {
      const text =
        format === 'json'
          ? JSON.stringify({ Message: reply.fault })
          : format === 'xml'
            ? `<Fault xmlns="http://schemas.microsoft.com/ws/2005/05/envelope/none"><Message>${esc(reply.fault)}</Message></Fault>`
            : `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="en-US">${esc(reply.fault)}</faultstring></s:Fault></s:Body></s:Envelope>`;
      res.writeHead(500, { 'Content-Type': format === 'json' ? 'application/json' : 'text/xml' }).end(text);
      return;
    }
    let text: string;
    if (format === 'json') text = JSON.stringify({ [key]: json(reply.value) });
    else {
      const v = reply.value;
      let inner: string;
      if (v !== null && typeof v === 'object' && !isList(v) && typeof v.$type === 'string') {
        const { $type, ...members } = v as Record<string, X>;
        inner = `<${key} i:type="a:${String($type)}" xmlns:i="${NS_XSI}" xmlns:a="${NS_GENERIC}">${Object.entries(members).map(([k, x]) => xml(k, x, 'a:')).join('')}</${key}>`;
      } else if (v === null) inner = `<${key} i:nil="true" xmlns:i="${NS_XSI}"/>`;
      else if (typeof v !== 'object') inner = `<${key}>${esc(String(v))}</${key}>`;
      else {
        const children = isList(v) ? v.list.map((x) => xml(v.$items, x, 'a:')).join('') : Object.entries(v).map(([k, x]) => xml(k, x, 'a:')).join('');
        inner = `<${key} xmlns:i="${NS_XSI}" xmlns:a="${NS_DB}">${children}</${key}>`;
      }
      const resp = `<${canonical(fn)}Response xmlns="${NS_TEMPURI}">${inner}</${canonical(fn)}Response>`;
      text = format === 'soap' ? `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${resp}</s:Body></s:Envelope>` : resp;
    }
    res.writeHead(200, { 'Content-Type': format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8' }).end(text);
  }

  private user(token: string | undefined): FakeTwsUser | undefined {
    return token ? this.tokens.get(token) : undefined;
  }

  private newToken(u: FakeTwsUser): string {
    const t = `tok-${++this.seq}-${Math.random().toString(16).slice(2, 10)}`;
    this.tokens.set(t, u);
    return t;
  }

  private mayUse(u: FakeTwsUser, device: string): boolean {
    return u.devices.includes('0000') || u.devices.includes(device);
  }

  private async dispatch(fnRaw: string, p: Record<string, string>): Promise<Reply> {
    const fn = canonical(fnRaw);
    const custom = this.handlers.get(fn)?.(p);
    if (custom) return custom;
    const apiKey = this.opts.apiKey ?? 'key-1';
    switch (fn) {
      case 'TWS_GetMyToken2': {
        if (p.apikey !== apiKey) return { value: envelopeResult(false, 'Invalid API key', null) };
        const u = this.users.find((x) => x.username === p.username && x.password === p.password);
        if (!u) return { value: envelopeResult(false, 'Invalid username or password', null) };
        const token = this.newToken(u);
        return { value: envelopeResult(true, null, { Devices: { $items: 'string', list: u.devices }, DomainGuid: u.domainGuid, Guid: token, UserGuid: u.userGuid, Username: u.username }) };
      }
      case 'TWS_GetMyTokenAdmin': {
        if (!this.opts.adminKey || p.apikey !== this.opts.adminKey) return { value: envelopeResult(false, 'Invalid API key', null) };
        if (!this.opts.admin || p.adminusername !== this.opts.admin.username || p.adminpassword !== this.opts.admin.password) {
          return { value: envelopeResult(false, 'Invalid admin username or password', null) };
        }
        const u = this.users.find((x) => x.username === p.username);
        if (!u) return { value: envelopeResult(false, 'Unknown user', null) };
        const token = this.newToken(u);
        return { value: envelopeResult(true, null, { Guid: token, UserGuid: u.userGuid, Username: u.username }) };
      }
      case 'TWS_GetMyUser': {
        const u = this.user(p.guidtoken);
        if (!u) return { value: null };
        return {
          value: {
            DomainGuid: u.domainGuid,
            Firstname: u.firstname ?? null,
            Guid: u.userGuid,
            Lastname: u.lastname ?? null,
            Devices: { $items: 'CDevice', list: u.devices.map((d) => ({ Guid: `dev-${d}`, Number: d })) },
          },
        };
      }
      case 'TWS_NormalizeNumber': {
        if (!this.user(p.tokenguid)) return { value: null };
        const v = (p.szto ?? '').replace(/[^0-9+]/g, '');
        return { value: v.length > 4 ? `0${v}` : v };
      }
      case 'TWS_SearchPeople': {
        if (!this.user(p.guidtoken)) return { value: null };
        return { value: { Count: this.contacts.length, Results: { $items: 'CContact', list: this.contacts }, ResultsGuids: null, TimeDatabase: 15, TimeIndex: 31 } };
      }
      case 'TWS_GetDevicesState': {
        if (p.protocol !== 'CSTA' && p.protocol !== 'VTIXML') return { value: { $items: 'CDeviceInfos', list: [] } };
        const first = p.firstnumber ?? '';
        const states = [...this.deviceStates.entries(), ...[...this.monitors].filter((d) => !this.deviceStates.has(d)).map((d) => [d, 'Connected'] as [string, string])];
        const list = states.filter(([d]) => d === first).map(([d, s]) => ({ Cluster: 1, Device: d, Provider: '192.1.3.251', Site: 1, State: s, Type: 'cti', vmNumber: '9999' }));
        return { value: { $items: 'CDeviceInfos', list } };
      }
      case 'TWS_SetCallData': {
        const k = p.key ?? '';
        if (!k) return { value: -29 };
        this.callData.set(k, p.add === 'true' ? (this.callData.get(k) ?? '') + (p.data ?? '') : (p.data ?? ''));
        return { value: 0 };
      }
      case 'TWS_GetCallData':
        return { value: this.callData.get(p.key ?? '') ?? null };
      case 'TWS_ChangeKeyCallData': {
        const v = this.callData.get(p.oldkey ?? '');
        if (v === undefined) return { value: -29 };
        this.callData.delete(p.oldkey ?? '');
        this.callData.set(p.newkey ?? '', v);
        return { value: 0 };
      }
      case 'GetMyDocumentsByTypeWithAcls':
      case 'GetPersonDocumentsByTypeWithAcls':
        return { value: { $items: 'CDocument', list: p.userguid ? this.callLog : [] } };
      case 'TWS_GetEvent': {
        const s = this.pollSessions.get(p.eventtokenguid ?? '');
        if (!s) return { fault: 'Unknown event session' };
        if (s.queue.length === 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(() => {
              s.waiter = null;
              resolve();
            }, this.opts.pollWaitMs ?? 200);
            s.waiter = () => {
              clearTimeout(t);
              s.waiter = null;
              resolve();
            };
          });
        }
        const ev = s.queue.shift();
        if (!ev) return { value: null };
        return { value: { $type: ev.type, ...ev.members } };
      }
      case 'TWS_DisconnectFromEventService': {
        const s = this.pollSessions.get(p.eventtokenguid ?? '');
        if (!s) return { value: -44 };
        s.waiter?.();
        this.pollSessions.delete(s.id);
        return { value: 0 };
      }
    }
    // Everything else takes a token.
    const u = this.user(p.tokenguid);
    const nullish = ['TWS_QueryCCosByDevice', 'TWS_QueryDeviceForwardInfo', 'TWS_QueryDeviceForwardInfoByDevice', 'TWS_ConnectToEventService'];
    if (!u) return { value: nullish.includes(fn) ? null : -44 };
    const device = p.szdevice || p.szfrom || '';
    const code = this.codes.get(fn);
    if (code !== undefined) return { value: code };
    switch (fn) {
      case 'TWS_WebStartMonitor':
      case 'TWS_WebStopMonitor': {
        if (p.szapp !== 'TWS-TLK') return { value: -7 };
        if (!this.mayUse(u, device)) return { fault: `Security exception: the user may not monitor ${device}` };
        if (fn === 'TWS_WebStartMonitor') this.monitors.add(device);
        else this.monitors.delete(device);
        return { value: 0 };
      }
      case 'TWS_QueryCCosByDevice':
        if (!this.monitors.has(device)) return { value: null };
        return { value: { $items: 'CGenericCCo', list: (this.calls.get(device) ?? []).map(ccoX) } };
      case 'TWS_QueryDeviceForwardInfo':
      case 'TWS_QueryDeviceForwardInfoByDevice': {
        const f = (k: string) => this.forwards[k] ?? '';
        return { value: { Busy: f('Busy'), BusyExt: f('BusyExt'), BusyInt: f('BusyInt'), Imm: f('Imm'), ImmExt: f('ImmExt'), ImmInt: f('ImmInt'), IsSoftPhone: false, IsUpdated: true, NoAns: f('NoAns'), NoAnsExt: f('NoAnsExt'), NoAnsInt: f('NoAnsInt'), PersonnalNumber: '' } };
      }
      case 'TWS_SetForwardOn':
      case 'TWS_SetForwardOff': {
        const n = Number(p.inttype);
        const names = ['Imm', 'Busy', 'NoAns', 'BusyInt', 'BusyExt', 'NoAnsInt', 'NoAnsExt', 'ImmInt', 'ImmExt'];
        const on = fn === 'TWS_SetForwardOn';
        if (!Number.isInteger(n) || n < 0 || n > 17 || (n % 2 === 0) !== on) return { value: -251 };
        const name = names[Math.floor(n / 2)] as string;
        if (on) this.forwards[name] = p.szto ?? '';
        else delete this.forwards[name];
        return { value: 0 };
      }
      case 'TWS_QueryAgentState':
      case 'TWS_QueryAgentStateByDefaultDevice': {
        const states = ['AgentBusy', 'LoggedOff', 'LoggedOn', 'NotReady', 'Ready', 'WorkingAfterCall'];
        if (this.agentState === null) return { value: -4 };
        return { value: states.indexOf(this.agentState) };
      }
      case 'TWS_AgentLogin':
        this.agentState = 'Ready';
        this.push({ kind: 'agent', state: 'LoggedOn', agentId: p.agentid });
        this.push({ kind: 'agent', state: 'Ready', agentId: p.agentid });
        return { value: 0 };
      case 'TWS_AgentLogout':
        this.agentState = 'LoggedOff';
        this.push({ kind: 'agent', state: 'LoggedOff', agentId: p.agentid });
        return { value: 0 };
      case 'TWS_SetAgentState': {
        const states = ['AgentBusy', 'LoggedOff', 'LoggedOn', 'NotReady', 'Ready', 'WorkingAfterCall'];
        const n = Number(p.state);
        if (n === 1 || n === 2 || !states[n]) return { value: -251 };
        this.agentState = states[n] as string;
        this.push({ kind: 'agent', state: this.agentState, agentId: p.agentid });
        return { value: 0 };
      }
      case 'TWS_ConnectToEventService': {
        const id = `evt-${++this.seq}`;
        this.pollSessions.set(id, { id, queue: [], waiter: null });
        return { value: id };
      }
      default:
        if (fn.startsWith('TWS_')) return { value: 0 };
        return { status: 404, body: 'Endpoint not found.' };
    }
  }
}

function envelopeResult(ok: boolean, error: string | null, result: X): X {
  return { AffectedDocuments: 0, ErrorMessage: error, InfoMessage: null, Ok: ok, WasNew: false, Result: result };
}

const names = [
  'TWS_GetMyToken2', 'TWS_GetMyTokenAdmin', 'TWS_GetMyUser', 'TWS_GetMyProfile', 'TWS_SearchPeople', 'TWS_NormalizeNumber', 'TWS_WebStartMonitor', 'TWS_WebStopMonitor',
  'TWS_WebResetDeviceMonitor', 'TWS_MakeCall', 'TWS_AnswerCallQueued', 'TWS_ClearConnection', 'TWS_DivertCall', 'TWS_HoldCall', 'TWS_RetrieveCall', 'TWS_ConsultationCall',
  'TWS_AlternateCallActive', 'TWS_ConferenceCallActive', 'TWS_SingleStepTrans', 'TWS_SetForwardOn', 'TWS_SetForwardOff', 'TWS_QueryDeviceForwardInfo',
  'TWS_QueryDeviceForwardInfoByDevice', 'TWS_QueryCCosByDevice', 'TWS_GetDevicesState', 'TWS_SetCallData', 'TWS_GetCallData', 'TWS_ChangeKeyCallData', 'TWS_ParkCall',
  'TWS_SendFacility', 'TWS_AgentLogin', 'TWS_AgentLogout', 'TWS_SetAgentState', 'TWS_QueryAgentState', 'TWS_QueryAgentStateByDefaultDevice', 'TWS_ConnectToEventService',
  'TWS_GetEvent', 'TWS_DisconnectFromEventService', 'GetMyDocumentsByTypeWithAcls', 'GetPersonDocumentsByTypeWithAcls',
  'TWS_MakeCallByDefaultDevice', 'TWS_OpenMakeCall', 'TWS_OpenMakeCallByDefaultDevice', 'TWS_Bis', 'TWS_BisByDefaultDevice', 'TWS_AnswerCallQueuedByDefaultDevice',
  'TWS_AlternateCallActiveByDefaultDevice', 'TWS_ConferenceCallActiveByDefaultDevice', 'TWS_DivertCallFromQueue',
];

/** Function names are case-insensitive on the server (§1.4). */
function canonical(fn: string): string {
  return names.find((n) => n.toLowerCase() === fn.toLowerCase()) ?? fn;
}

function unesc(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function listen(server: net.Server | http.Server | https.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** A loopback port nothing listens on. */
export async function refusedPort(): Promise<number> {
  const s = net.createServer();
  const port = await listen(s, 0);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A CCo with one connection of the device, for the common cases. */
export function oneCall(device: string, c: Partial<FakeConn> & { connectionId: string; state: string }, cco: Partial<Omit<FakeCco, 'connections'>> = {}): FakeCco {
  const ccoState = c.state === 'delivered' ? 'delivered' : c.state === 'held' ? 'held' : c.state === 'cleared' ? 'free' : 'active';
  return {
    ccoId: cco.ccoId ?? `cco-${c.connectionId}`,
    ccoState: cco.ccoState ?? ccoState,
    ccoType: cco.ccoType ?? (c.state === 'cleared' ? 'free' : 'simplecall'),
    connections: [{ direction: 'incoming', device, ...c }],
  };
}
