// Test support for the integration tests: raw one-shot TCP, HTTP, and a UDP inbox whose datagrams can
// be awaited. Deliberately independent of the simulator's codec (tests speak literal XML strings).
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect } from 'node:net';
import { startLab, type Lab, type LabConfig } from '../lab.js';

export interface RawOptions {
  /** Half-close after writing (default true). */
  halfClose?: boolean;
  /** Write the request in chunks of this many bytes. */
  chunkSize?: number;
  localAddress?: string;
  timeoutMs?: number;
}

/** Send one request on a fresh TCP connection and read the reply until the server closes. */
export function rawRequest(port: number, request: string | Buffer, opts: RawOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: opts.localAddress });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no reply within the timeout'));
    }, opts.timeoutMs ?? 5000);
    socket.on('connect', () => {
      const bytes = typeof request === 'string' ? Buffer.from(request, 'utf8') : request;
      const size = opts.chunkSize ?? bytes.length;
      const writeFrom = (at: number): void => {
        if (at >= bytes.length) {
          if (opts.halfClose ?? true) socket.end();
          return;
        }
        socket.write(bytes.subarray(at, at + size), () => writeFrom(at + size));
      };
      writeFrom(0);
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export async function httpPost(port: number, body: string, path = '/'): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body, headers: { 'Content-Type': 'text/xml' } });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

export async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

/** Collects datagrams; next() awaits the next one matching a predicate. */
export class UdpInbox {
  readonly received: string[] = [];
  private cursor = 0;
  private wake: (() => void) | undefined;

  private constructor(
    private readonly socket: UdpSocket,
    readonly port: number,
  ) {
    socket.on('message', (m) => {
      this.received.push(m.toString('utf8'));
      this.wake?.();
    });
  }

  static async open(port = 0, host = '127.0.0.1'): Promise<UdpInbox> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => resolve());
    });
    return new UdpInbox(socket, socket.address().port);
  }

  /** The next datagram (after the ones already taken) that contains `needle`, skipping others. */
  async next(needle?: string | RegExp, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.received.length) {
        const d = this.received[this.cursor++] as string;
        if (needle === undefined || (typeof needle === 'string' ? d.includes(needle) : needle.test(d))) return d;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no datagram ${needle ? `matching ${String(needle)} ` : ''}within ${timeoutMs} ms; got:\n${this.received.join('\n')}`);
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

  /** Datagrams not yet taken, after waiting `ms` for stragglers (an upper bound for "nothing arrives"). */
  async rest(ms = 150): Promise<string[]> {
    await new Promise((r) => setTimeout(r, ms));
    const out = this.received.slice(this.cursor);
    this.cursor = this.received.length;
    return out;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

// ---------------------------------------------------------------- a lab per test


export const STANDARD = '<TelServiceReturn><result><standard/></result></TelServiceReturn>';
export const err = (name: string) => `<TelServiceReturn><error><${name}/></error></TelServiceReturn>`;

export interface LabHarness {
  lab: Lab;
  port: number;
  send(xml: string | Buffer, opts?: RawOptions): Promise<string>;
  /** openSession with a fresh UDP inbox; `extra` goes after eventUDPPort. */
  open(device: string, extra?: string, host?: string): Promise<UdpInbox>;
  control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

export async function labHarness(config: Partial<LabConfig> = {}): Promise<LabHarness> {
  const lab = await startLab({ portBase: 0, config: { ...config, pbx: { externalAnswerMs: -1, ...config.pbx } } });
  const port = lab.endpoints.find((e) => e.vendor === 'telservices' && e.transport === 'tcp')?.port as number;
  const inboxes: UdpInbox[] = [];
  const send = (xml: string | Buffer, opts?: RawOptions) => rawRequest(port, xml, opts);
  return {
    lab,
    port,
    send,
    async open(device, extra = '', host = '127.0.0.1') {
      const inbox = await UdpInbox.open(0, host);
      inboxes.push(inbox);
      const reply = await send(`<TelServiceRequest><openSession><deviceNumber>${device}</deviceNumber><eventUDPPort>${inbox.port}</eventUDPPort>${extra}</openSession></TelServiceRequest>`, {
        localAddress: host,
      });
      if (reply !== STANDARD) throw new Error(`openSession ${device} failed: ${reply}`);
      return inbox;
    },
    async control(method, path, body) {
      const res = await fetch(`http://${lab.control.host}:${lab.control.port}${path}`, {
        method,
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
      });
      return { status: res.status, json: await res.json() };
    },
    async close() {
      await Promise.all(inboxes.map((i) => i.close()));
      await lab.stop();
    },
  };
}

/** Durations vary with wall time; compare images with them blanked. */
export const noDurations = (xml: string) => xml.replace(/<duration>\d+<\/duration>/g, '<duration>N</duration>');
