// Test support for the O2G integration tests: a small HTTPS client with a cookie jar that trusts only the
// lab's certificate, and a chunk-channel reader whose events can be awaited. Deliberately independent of the
// desktop's O2G connector (main/connectors/o2g) and of the simulator's own encoders.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { startLab, type Lab, type LabConfig } from '../lab.js';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // Tests read whatever the server sent.
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** A raw body instead of JSON. */
  raw?: string;
  timeoutMs?: number;
}

/** One O2G client: base URL, the CA it trusts, its cookies. */
export class O2gClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    readonly ca: string | undefined,
  ) {}

  async request(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<HttpReply> {
    const url = new URL(path, this.base);
    const payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie && !headers.Cookie) headers.Cookie = cookie;
    const res = await send(url, method, headers, payload, this.ca, opts.timeoutMs ?? 5000);
    for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair] = c.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  }

  /** Discovery, Basic authentication, session creation: the bootstrap of digest §8. */
  async login(login: string, password: string, applicationName = 'LabTest'): Promise<HttpReply> {
    const auth = await this.request('GET', '/api/rest/authenticate?version=1.0', undefined, { headers: { Authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` } });
    if (auth.status !== 200) throw new Error(`authentication of ${login} failed: ${auth.status} ${auth.text}`);
    const session = await this.request('POST', '/api/rest/1.0/sessions', { applicationName });
    if (session.status !== 200) throw new Error(`session of ${login} failed: ${session.status} ${session.text}`);
    return session;
  }

  api(method: string, path: string, body?: unknown, opts?: RequestOptions): Promise<HttpReply> {
    return this.request(method, `/api/rest/1.0${path}`, body, opts);
  }

  /** Subscribe and return the accepted subscription (throws otherwise). */
  async subscribe(selectors: Array<{ ids?: string[]; names: string[] }>, timeout = 0): Promise<{ subscriptionId: string; privatePollingUrl: string; publicPollingUrl: string }> {
    const r = await this.api('POST', '/subscriptions', { filter: { selectors }, version: '1.0', timeout });
    if (r.status !== 200 || r.json?.status !== 'ACCEPTED') throw new Error(`subscription refused: ${r.status} ${r.text}`);
    return r.json;
  }

  /** Open a chunk channel on a polling URL; resolves once the response headers arrived. */
  openChannel(url: string, method: 'GET' | 'POST' = 'GET', opts: { cookies?: boolean } = {}): Promise<ChannelReader> {
    return ChannelReader.open(url, method, this.ca, opts.cookies === false ? '' : [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
  }
}

function send(url: URL, method: string, headers: Record<string, string>, payload: string | undefined, ca: string | undefined, timeoutMs: number): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers, agent: false, ...(ca ? { ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = undefined;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer to ${method} ${url.pathname} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Reads a chunk channel: raw chunks as they arrive, complete lines, and the parsed events. */
export class ChannelReader {
  readonly chunks: string[] = [];
  readonly lines: string[] = [];
  // Events as the server wrote them.
  readonly events: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Lines that were not JSON. */
  readonly garbage: string[] = [];
  ended = false;
  readonly done: Promise<void>;
  private buffer = '';
  private cursor = 0;
  private wake: (() => void) | undefined;

  private constructor(
    readonly res: IncomingMessage,
    private readonly destroyRequest: () => void,
    /** Longest line kept; longer ones are dropped (as a robust client must). */
    private readonly maxLine = 64 * 1024,
  ) {
    this.done = new Promise((resolve) => {
      const finish = () => {
        this.ended = true;
        this.wake?.();
        resolve();
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    res.on('data', (c: Buffer) => this.onData(c.toString('utf8')));
  }

  static open(url: string, method: 'GET' | 'POST', ca: string | undefined, cookie: string): Promise<ChannelReader> {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
        u,
        { method, agent: false, headers: { Accept: '*/*', ...(cookie ? { Cookie: cookie } : {}) }, ...(ca ? { ca } : {}) },
        (res) => resolve(new ChannelReader(res, () => req.destroy())),
      );
      req.on('error', reject);
      req.end();
    });
  }

  get status(): number {
    return this.res.statusCode ?? 0;
  }

  close(): void {
    this.destroyRequest();
    this.res.destroy();
  }

  private onData(text: string): void {
    this.chunks.push(text);
    this.buffer += text;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line === '') continue;
      this.lines.push(line);
      try {
        this.events.push(JSON.parse(line));
      } catch {
        this.garbage.push(line.slice(0, 200));
      }
    }
    if (this.buffer.length > this.maxLine) {
      this.garbage.push(`(${this.buffer.length} bytes without a newline dropped)`);
      this.buffer = '';
    }
    this.wake?.();
  }

  /** The next event (after the ones already taken) matching `pred`, skipping others. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async next(pred: string | ((e: any) => boolean), timeoutMs = 3000): Promise<any> {
    const match = typeof pred === 'string' ? (e: { eventName?: string }) => e.eventName === pred : pred;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.events.length) {
        const e = this.events[this.cursor++];
        if (match(e)) return e;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) {
        throw new Error(`no matching event within ${timeoutMs} ms${this.ended ? ' (channel ended)' : ''}; got:\n${this.events.map((e) => JSON.stringify(e).slice(0, 300)).join('\n')}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Events not yet taken, after waiting `ms` for stragglers (an upper bound for "nothing arrives"). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async rest(ms = 150): Promise<any[]> {
    await new Promise((r) => setTimeout(r, ms));
    const out = this.events.slice(this.cursor);
    this.cursor = this.events.length;
    return out;
  }

  /** Resolves when the stream ends (or rejects after the timeout). */
  async ends(timeoutMs = 3000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.done, new Promise<void>((_r, reject) => (timer = setTimeout(() => reject(new Error(`the channel did not end within ${timeoutMs} ms`)), timeoutMs)))]);
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------- a lab per test

export interface O2gHarness {
  lab: Lab;
  ca: string;
  /** A client of the primary (default) or secondary server. */
  client(role?: 'primary' | 'secondary'): O2gClient;
  /** A logged-in client. */
  user(login: string, password: string, role?: 'primary' | 'secondary'): Promise<O2gClient>;
  /** A logged-in client with an open channel on the given packages (timeout 0), first line consumed. */
  subscribed(login: string, password: string, names?: string[]): Promise<{ c: O2gClient; ch: ChannelReader; subscriptionId: string; url: string }>;
  control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

export const allUserPackages = ['telephony', 'agent', 'unifiedComLog', 'eventSummary', 'routingManagement'];

export async function o2gHarness(config: Partial<LabConfig> = {}): Promise<O2gHarness> {
  const lab = await startLab({ vendors: ['o2g'], portBase: 0, config: { ...config, pbx: { externalAnswerMs: -1, ...config.pbx } } });
  const o2g = lab.o2g;
  if (!o2g) throw new Error('the O2G front-end did not start');
  const readers: ChannelReader[] = [];
  const ca = o2g.certificate.pem;
  const client = (role: 'primary' | 'secondary' = 'primary') => {
    const server = role === 'primary' ? o2g.primary : o2g.secondary;
    if (!server) throw new Error(`no ${role} server`);
    return new O2gClient(server.baseUrl, ca);
  };
  return {
    lab,
    ca,
    client,
    async user(login, password, role) {
      const c = client(role);
      await c.login(login, password);
      return c;
    },
    async subscribed(login, password, names = allUserPackages) {
      const c = client();
      await c.login(login, password);
      const sub = await c.subscribe(names.map((n) => ({ names: [n] })));
      const ch = await c.openChannel(sub.privatePollingUrl);
      readers.push(ch);
      await ch.next('OnChannelInformation');
      return { c, ch, subscriptionId: sub.subscriptionId, url: sub.privatePollingUrl };
    },
    async control(method, path, body) {
      const res = await fetch(`http://${lab.control.host}:${lab.control.port}${path}`, {
        method,
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    async close() {
      for (const r of readers) r.close();
      await lab.stop();
    },
  };
}
