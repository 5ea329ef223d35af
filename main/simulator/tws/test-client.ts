// A small, independent TWS test client for the lab's integration tests: raw HTTP(S) requests, SOAP, the TCP
// event socket (its own separator splitting) and WebSockets, with regex-level XML reading so the tests never
// share the simulator's encoder or decoder (nor the connector's).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { Lab } from '../lab.js';

export const SEP = Buffer.concat([Buffer.from('82E51812-45C9-4733', 'ascii'), Buffer.from([0])]);
export const paths = {
  toolkit: '/tws/TWS_ToolkitWebSvc/TWS_ToolkitWebSvc.svc',
  user: '/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc',
  auth: '/tws/auth/TWS_UserWebSvc/TWS_UserWebSvc.svc',
  social: '/tws/TWS_SocialCollaborationWebSvc/TWS_SocialCollaborationWebSvc.svc',
} as const;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function httpCall(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; ca?: string; timeoutMs?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const fn = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = fn(
      u,
      { method: opts.method ?? 'GET', headers: { ...(opts.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(opts.body)) } : {}), ...(opts.headers ?? {}) }, ...(opts.ca ? { ca: opts.ca } : {}), agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error('timeout')));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** The text of the first element with this local name (any prefix). */
export function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<(?:[A-Za-z0-9_]+:)?${name}(?:\\s[^>]*[^/>])?>([\\s\\S]*?)</(?:[A-Za-z0-9_]+:)?${name}>`).exec(xml);
  return m?.[1];
}

/** Every text of elements with this local name. */
export function tags(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<(?:[A-Za-z0-9_]+:)?${name}(?:\\s[^>]*[^/>])?>([\\s\\S]*?)</(?:[A-Za-z0-9_]+:)?${name}>`, 'g'))].map((m) => m[1] ?? '');
}

export function qs(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

export class TwsClient {
  readonly http: string;
  readonly https: string;
  readonly ca: string;
  readonly control: string;

  constructor(readonly lab: Lab) {
    const tws = lab.tws;
    if (!tws) throw new Error('no TWS front-end in this lab');
    this.http = `http://127.0.0.1:${tws.frontEnd.ports.http}`;
    this.https = `https://127.0.0.1:${tws.frontEnd.ports.https}`;
    this.ca = tws.certificate.pem;
    this.control = `http://127.0.0.1:${lab.control.port}`;
  }

  get ports() {
    const fe = this.lab.tws?.frontEnd;
    if (!fe) throw new Error('no TWS');
    return fe.ports;
  }

  /** GET <base>/Json/<fn>?params → the parsed body (status 200 expected by the caller). */
  async json(service: keyof typeof paths, fn: string, params: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; result: unknown }> {
    const r = await httpCall(`${this.http}${paths[service]}/Json/${fn}?${qs(params)}`);
    const body = r.status === 200 ? (JSON.parse(r.text) as Record<string, unknown>) : {};
    const key = Object.keys(body).find((k) => k.toLowerCase().endsWith('result'));
    return { status: r.status, body, result: key === undefined ? undefined : body[key] };
  }

  async xml(service: keyof typeof paths, fn: string, params: Record<string, string> = {}): Promise<Reply> {
    return httpCall(`${this.http}${paths[service]}/Xml/${fn}?${qs(params)}`);
  }

  async soap(service: keyof typeof paths, op: string, params: Record<string, string>, contract = 'ITWS_ToolkitWebSvc'): Promise<Reply> {
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const body = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><${op} xmlns="http://tempuri.org/">${Object.entries(params)
      .map(([k, v]) => `<${k}>${esc(v)}</${k}>`)
      .join('')}</${op}></s:Body></s:Envelope>`;
    return httpCall(`${this.http}${paths[service]}`, { method: 'POST', body, headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"http://tempuri.org/${contract}/${op}"` } });
  }

  async token(username = 'hpiaple', password = 'pw4694', apiKey = 'rUL6jwLZ/MzO0zxPRINMJYUC6ul/vYkxY39fsR4tLXcIMLpXKBpwddC7me506Vfd059DBf6Y9eFr8NsjC/wUg=='): Promise<string> {
    const r = await this.json('user', 'TWS_GetMyToken2', { apiKey, username, password });
    const res = r.result as { Ok: boolean; Result: { Guid: string } | null };
    if (!res.Ok || !res.Result) throw new Error(`no token for ${username}`);
    return res.Result.Guid;
  }

  async monitor(token: string, device: string): Promise<number> {
    return (await this.json('toolkit', 'TWS_WebStartMonitor', { tokenGuid: token, szApp: 'TWS-TLK', szDevice: device })).result as number;
  }

  async fn(fn: string, params: Record<string, string>): Promise<unknown> {
    const r = await this.json('toolkit', fn, params);
    if (r.status !== 200) throw new Error(`${fn}: HTTP ${r.status}`);
    return r.result;
  }

  async post(path: string, body: unknown = {}): Promise<{ status: number; json: Record<string, unknown> }> {
    const r = await httpCall(`${this.control}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    return { status: r.status, json: JSON.parse(r.text) as Record<string, unknown> };
  }

  async getControl(path: string): Promise<Record<string, unknown>> {
    const r = await httpCall(`${this.control}${path}`);
    return JSON.parse(r.text) as Record<string, unknown>;
  }
}

/** Collects frames and waits for them. */
class Frames {
  readonly frames: string[] = [];
  closed = false;
  closeCode: number | undefined;
  private waiters: Array<() => void> = [];

  push(f: string): void {
    this.frames.push(f);
    this.notify();
  }

  notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  /** The first frame (from index `from`) matching, within `ms`. */
  async waitFor(pred: (f: string) => boolean, ms = 5000, from = 0): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.frames.slice(from).find(pred);
      if (hit !== undefined) return hit;
      if (this.closed) throw new Error(`feed closed before a matching frame (${this.frames.length} frames)`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${ms} ms (${this.frames.length} frames: ${this.frames.map((f) => state(f)).join(',')})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async waitClosed(ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('not closed');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

/** A frame's call or agent state; a colleague's (supervision) state is prefixed, so call waits never match it. */
export function state(frame: string): string {
  const s = tag(frame, 'm_currentState') ?? tag(frame, 'AgentState') ?? tag(frame, 'eventType') ?? '?';
  return tag(frame, 'eventType') === 'CallSupervisionEvent' ? `supervision:${s}` : s;
}

/** The TCP event socket: own separator splitting (marker, optional NUL). */
export class TcpFeed extends Frames {
  readonly socket: Socket;
  private buf = Buffer.alloc(0);
  readonly raw: Buffer[] = [];

  private constructor(port: number) {
    super();
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (c: Buffer) => {
      this.raw.push(c);
      this.buf = Buffer.concat([this.buf, c]);
      for (let i = this.buf.indexOf(SEP); i >= 0; i = this.buf.indexOf(SEP)) {
        this.push(this.buf.subarray(0, i).toString('utf8'));
        this.buf = this.buf.subarray(i + SEP.length);
      }
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  static async open(port: number, token?: string): Promise<TcpFeed> {
    const f = new TcpFeed(port);
    await new Promise<void>((resolve, reject) => {
      f.socket.once('connect', () => resolve());
      f.socket.once('error', reject);
    });
    if (token !== undefined) f.send(`<TWS_WaitForGenericEvent><tokenGuid>${token}</tokenGuid></TWS_WaitForGenericEvent>`);
    return f;
  }

  send(text: string, withSep = true): void {
    this.socket.write(withSep ? Buffer.concat([Buffer.from(text, 'utf8'), SEP]) : Buffer.from(text, 'utf8'));
  }

  close(): void {
    this.socket.destroy();
  }
}

export class WsFeed extends Frames {
  private constructor(readonly ws: WebSocket) {
    super();
    ws.on('message', (d) => this.push(d.toString()));
    ws.on('close', (code) => {
      this.closeCode = code;
      this.closed = true;
      this.notify();
    });
    ws.on('error', () => undefined);
  }

  static async open(url: string, token: string | undefined, ca?: string): Promise<WsFeed> {
    const ws = new WebSocket(url, ca ? { ca } : {});
    const f = new WsFeed(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    if (token !== undefined) ws.send(token);
    return f;
  }

  close(): void {
    this.ws.terminate();
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Wait until `fn` is true (feeds registered, …). */
export async function until(fn: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** A fresh session: token, StartMonitor on the device, an open TCP feed registered on the server. */
export async function session(c: TwsClient, user = 'hpiaple', password = 'pw4694', device = '4694'): Promise<{ token: string; feed: TcpFeed }> {
  const token = await c.token(user, password);
  const r = await c.monitor(token, device);
  if (r !== 0) throw new Error(`StartMonitor ${device}: ${r}`);
  const fe = c.lab.tws?.frontEnd;
  const before = fe?.clients('tcp').length ?? 0;
  const feed = await TcpFeed.open(c.ports.tcp, token);
  await until(() => (fe?.clients('tcp').length ?? 0) > before);
  return { token, feed };
}
