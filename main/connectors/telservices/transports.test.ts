// TCP, HTTP and UDP transports against tiny in-test servers on 127.0.0.1 with canned XML.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CtiError } from '../../../shared/commands.js';
import type { TelEvent } from './codec.js';
import { exchange, expectOk } from './exchange.js';
import { createHttpTransport } from './http-transport.js';
import { createTcpTransport, type TcpTransportOptions } from './tcp-transport.js';
import { startUdpListener, type UdpListener } from './udp-listener.js';

const STANDARD = '<TelServiceReturn><result><standard/></result></TelServiceReturn>';
const REQUEST = '<TelServiceRequest><holdCall><deviceNumber>1101</deviceNumber></holdCall></TelServiceRequest>';
const noTrace = () => {};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A TCP server whose per-connection behaviour the test scripts; resolves with its port. */
async function tcpServer(onConnection: (socket: net.Socket, received: Promise<string>) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  // allowHalfOpen: a real TelServer keeps answering after our FIN (the point of halfClose).
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const chunks: Buffer[] = [];
    const received = new Promise<string>((resolve) => {
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        const text = Buffer.concat(chunks).toString('utf8');
        if (text.includes('</TelServiceRequest>')) resolve(text);
      });
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    onConnection(socket, received);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

const tcpOpts = (port: number, extra: Partial<TcpTransportOptions> = {}): TcpTransportOptions => ({
  host: '127.0.0.1',
  port,
  connectTimeoutMs: 1000,
  replyTimeoutMs: 1000,
  endOfPdu: null,
  halfClose: true,
  ...extra,
});

async function rejection(p: Promise<unknown>): Promise<CtiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CtiError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('TCP transport', () => {
  it('writes the request, half-closes, and reads the reply to EOF', async () => {
    let got: Promise<string> = Promise.resolve('');
    let sawEnd: Promise<boolean> = Promise.resolve(false);
    const port = await tcpServer((socket, received) => {
      got = received;
      sawEnd = new Promise((resolve) => socket.on('end', () => resolve(true)));
      void sawEnd.then(() => socket.end('<TelServiceReturn>\n  <result>\n    <standard/>\n  </result>\n</TelServiceReturn>'));
    });
    const reply = await createTcpTransport(tcpOpts(port)).request(REQUEST);
    expect(reply).toBe('<TelServiceReturn>\n  <result>\n    <standard/>\n  </result>\n</TelServiceReturn>');
    expect(await got).toBe(REQUEST);
    expect(await sawEnd).toBe(true);
  });

  it('appends the end-of-PDU sequence and stops reading at it, without waiting for EOF', async () => {
    let got: Promise<string> = Promise.resolve('');
    const port = await tcpServer((socket, received) => {
      got = received;
      // Reply, then keep the connection open: only the sequence marks the end.
      void received.then(() => socket.write(`${STANDARD}\n<garbage`));
    });
    const reply = await createTcpTransport(tcpOpts(port, { endOfPdu: '\n', halfClose: false })).request(REQUEST);
    expect(reply).toBe(STANDARD);
    expect(await got).toBe(`${REQUEST}\n`);
  });

  it('stops reading as soon as the root element closed when the server keeps the socket open', async () => {
    const port = await tcpServer((socket, received) => {
      void received.then(() => {
        socket.write(STANDARD.slice(0, 20));
        setImmediate(() => socket.write(STANDARD.slice(20)));
      });
    });
    expect(await createTcpTransport(tcpOpts(port, { halfClose: false })).request(REQUEST)).toBe(STANDARD);
  });

  it('maps an empty reply to a protocol error', async () => {
    const port = await tcpServer((socket, received) => void received.then(() => socket.end()));
    const e = await rejection(createTcpTransport(tcpOpts(port)).request(REQUEST));
    expect(e.code).toBe('protocol');
    expect(e.message).toMatch(/empty reply/);
  });

  it('maps a refused connection to unreachable', async () => {
    const port = await tcpServer(() => {});
    await cleanups.pop()?.(); // close the server: the port now refuses
    const e = await rejection(createTcpTransport(tcpOpts(port)).request(REQUEST));
    expect(e.code).toBe('unreachable');
    expect(e.message).toMatch(/ECONNREFUSED/);
  });

  it('times out when the server never answers', async () => {
    const port = await tcpServer(() => {});
    const started = Date.now();
    const e = await rejection(createTcpTransport(tcpOpts(port, { replyTimeoutMs: 100 })).request(REQUEST));
    expect(e.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('rejects a reply over the byte cap', async () => {
    const port = await tcpServer((socket, received) => void received.then(() => socket.end('<a>' + 'x'.repeat(5000))));
    const e = await rejection(createTcpTransport(tcpOpts(port, { maxReplyBytes: 1000 })).request(REQUEST));
    expect(e.code).toBe('protocol');
  });

  it('turns a malformed reply into a protocol error with an excerpt, and error replies into typed errors', async () => {
    const replies = ['<TelServiceReturn><result><standard/></resu', '<TelServiceReturn><error><pbxReject/></error></TelServiceReturn>'];
    const port = await tcpServer((socket, received) => void received.then(() => socket.end(replies.shift() ?? '')));
    const transport = createTcpTransport(tcpOpts(port));
    const req = { op: 'holdCall', deviceNumber: '1101' } as const;
    const bad = await rejection(exchange(transport, req, noTrace, 'tcp'));
    expect(bad.code).toBe('protocol');
    expect(bad.message).toContain('<TelServiceReturn><result><standard/></resu');
    const reply = await exchange(transport, req, noTrace, 'tcp');
    const err = (() => {
      try {
        expectOk(reply, 'holdCall');
      } catch (e) {
        return e as CtiError;
      }
      return null;
    })();
    expect(err?.code).toBe('rejected');
    expect(err?.vendorCode).toBe('pbxReject');
    expect(err?.message).toContain('pbxReject');
  });
});

describe('HTTP transport', () => {
  async function httpServer(handler: http.RequestListener): Promise<number> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return (server.address() as net.AddressInfo).port;
  }

  it('POSTs the XML to / as text/xml and returns the body', async () => {
    let seen = { method: '', url: '', type: '', body: '' };
    const port = await httpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen = { method: req.method ?? '', url: req.url ?? '', type: req.headers['content-type'] ?? '', body };
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(STANDARD);
      });
    });
    const reply = await createHttpTransport({ host: '127.0.0.1', port, replyTimeoutMs: 1000 }).request(REQUEST);
    expect(reply).toBe(STANDARD);
    expect(seen).toEqual({ method: 'POST', url: '/', type: 'text/xml; charset=utf-8', body: REQUEST });
  });

  it('maps a non-200 status and an empty body to protocol errors', async () => {
    const statuses = [500, 200];
    const port = await httpServer((_req, res) => {
      const status = statuses.shift() ?? 200;
      res.writeHead(status).end(status === 500 ? 'boom' : '');
    });
    const t = createHttpTransport({ host: '127.0.0.1', port, replyTimeoutMs: 1000 });
    const first = await rejection(t.request(REQUEST));
    expect([first.code, first.message]).toEqual(['protocol', expect.stringContaining('HTTP 500 "boom"')]);
    const second = await rejection(t.request(REQUEST));
    expect([second.code, second.message]).toEqual(['protocol', expect.stringContaining('empty reply')]);
  });

  it('times out by default but allows a longer timeout for a long-poll', async () => {
    const port = await httpServer((_req, res) => void setTimeout(() => res.writeHead(200).end(STANDARD), 200));
    const t = createHttpTransport({ host: '127.0.0.1', port, replyTimeoutMs: 50 });
    expect((await rejection(t.request(REQUEST))).code).toBe('timeout');
    expect(await t.request(REQUEST, { replyTimeoutMs: 2000 })).toBe(STANDARD);
  });

  it('maps a refused connection to unreachable', async () => {
    const port = await httpServer(() => {});
    await cleanups.pop()?.();
    const e = await rejection(createHttpTransport({ host: '127.0.0.1', port, replyTimeoutMs: 1000 }).request(REQUEST));
    expect(e.code).toBe('unreachable');
  });
});

describe('UDP listener', () => {
  const MW_ON = '<TelServiceEvent><event><msgWaiting><on/></msgWaiting></event></TelServiceEvent>';
  const DND_OFF = '<TelServiceEvent><deviceNumber>1101</deviceNumber><event><doNotDisturb><off/></doNotDisturb></event></TelServiceEvent>';

  /** A logger that records warnings and lets the test await one. */
  function recordingLogger() {
    const lines: string[] = [];
    const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
    const log = pino(
      { level: 'debug' },
      {
        write(line: string) {
          lines.push(line);
          for (const w of waiters.filter((x) => x.re.test(line))) w.resolve();
        },
      },
    );
    const waitFor = (re: RegExp) =>
      new Promise<void>((resolve) => {
        if (lines.some((l) => re.test(l))) resolve();
        else waiters.push({ re, resolve });
      });
    return { log, lines, waitFor };
  }

  async function listen(serverHost = '127.0.0.1', endOfPdu: string | null = null) {
    const events: TelEvent[] = [];
    const waiting: Array<() => void> = [];
    const bad: string[] = [];
    const rec = recordingLogger();
    const listener: UdpListener = await startUdpListener({
      bindAddress: '127.0.0.1',
      port: 0,
      serverHost,
      endOfPdu,
      log: rec.log,
      trace: noTrace,
      onEvent: (e) => {
        events.push(e);
        waiting.splice(0).forEach((w) => w());
      },
      onBadPdu: (e) => bad.push(e.kind),
    });
    cleanups.push(() => listener.close());
    const sender = dgram.createSocket('udp4');
    cleanups.push(() => new Promise<void>((resolve) => sender.close(() => resolve())));
    const send = (text: string | Buffer) =>
      new Promise<void>((resolve, reject) => sender.send(text, listener.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    const eventCount = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (events.length >= n ? resolve() : waiting.push(check));
        check();
      });
    return { listener, events, bad, send, eventCount, ...rec };
  }

  it('binds an ephemeral port and delivers decoded events', async () => {
    const u = await listen();
    expect(u.listener.port).toBeGreaterThan(0);
    await u.send(MW_ON);
    await u.eventCount(1);
    expect(u.events).toEqual([{ event: { kind: 'msgWaiting', state: 'on' } }]);
  });

  it('splits a datagram holding several PDUs and the end-of-PDU sequence', async () => {
    const u = await listen('127.0.0.1', '\0');
    await u.send(`${MW_ON}\0${DND_OFF}\0`);
    await u.eventCount(2);
    expect(u.events.map((e) => e.event.kind)).toEqual(['msgWaiting', 'doNotDisturb']);
    expect(u.events[1]?.deviceNumber).toBe('1101');
  });

  it('logs and skips undecodable datagrams, then keeps delivering', async () => {
    const u = await listen();
    await u.send('<TelServiceEvent><event><call>');
    await u.send(Buffer.from([0x3c, 0xff, 0xfe]));
    await u.send(MW_ON);
    await u.eventCount(1);
    expect(u.bad).toEqual(['malformed', 'encoding']);
    expect(u.lines.filter((l) => l.includes('undecodable event'))).toHaveLength(2);
  });

  it('drops datagrams that do not come from the TelServer host', async () => {
    const u = await listen('127.0.0.2');
    await u.send(MW_ON);
    await u.waitFor(/not TelServer/);
    expect(u.events).toEqual([]);
  });

  it('resolves a host name once and accepts its address', async () => {
    const u = await listen('localhost');
    await u.send(MW_ON);
    await u.eventCount(1);
    expect(u.events).toHaveLength(1);
  });

  it('closes cleanly, twice', async () => {
    const u = await listen();
    await u.listener.close();
    await u.listener.close();
  });
});
