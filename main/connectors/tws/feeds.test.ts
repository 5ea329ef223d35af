// The feed manager's fallback order with scripted feeds, and each feed module on its own against a
// raw loopback peer (TCP framing + keep-alive + early close, WebSocket open/1008/ping, polling).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { CtiError } from '../../../shared/commands.js';
import type { TwsFeed } from '../../../shared/profile.js';
import { silentLogger } from '../../core/log.js';
import type { TwsEvent } from './events.js';
import { feedLabels, type EventFeed, type FeedCallbacks, type FeedContext, type FeedEnd } from './feed.js';
import { FeedManager } from './feeds.js';
import { createPollFeed, type PollApi } from './poll-feed.js';
import { createTcpFeed } from './tcp-feed.js';
import { socketEventXml, oneCall } from './test/fake-tws.js';
import { EventLog } from './test/rig.js';
import { createWsFeed } from './ws-feed.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Wake-ups for probes on plain state (no polling, no sleeps). */
class Signal {
  private waiters: Array<() => void> = [];
  notify(): void {
    for (const w of [...this.waiters]) w();
  }
  until(probe: () => boolean, why: string, timeoutMs = 3000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!probe()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(why));
      }, timeoutMs);
      this.waiters.push(check);
      check();
    });
  }
}
const signal = new Signal();

// ---------------------------------------------------------------- scripted feeds

interface Script {
  /** Per kind: how each successive open behaves. */
  opens: Partial<Record<TwsFeed, Array<'ok' | 'fail'>>>;
}

class Scripted {
  readonly opened: TwsFeed[] = [];
  readonly live = new Map<TwsFeed, FeedCallbacks>();
  readonly closedByUs: TwsFeed[] = [];
  constructor(private readonly script: Script) {}
  create = (kind: TwsFeed, cb: FeedCallbacks): EventFeed => ({
    kind,
    label: feedLabels[kind],
    open: async () => {
      const plan = this.script.opens[kind] ?? [];
      const step = plan.length > 1 ? plan.shift() : plan[0];
      if (step !== 'ok') throw new CtiError('unreachable', `${kind} refused`);
      this.opened.push(kind);
      this.live.set(kind, cb);
      signal.notify();
    },
    close: async () => {
      this.closedByUs.push(kind);
      this.live.delete(kind);
    },
  });
  /** The server ends `kind`. */
  end(kind: TwsFeed, end: FeedEnd = { error: new CtiError('unreachable', 'gone'), early: false }): void {
    const cb = this.live.get(kind);
    this.live.delete(kind);
    cb?.closed(end);
  }
}

function manager(script: Script, order: TwsFeed[], over: { retryPreferredMs?: number; reauth?: () => Promise<void> } = {}) {
  const s = new Scripted(script);
  const log = new EventLog();
  const switched: Array<[TwsFeed | null, TwsFeed]> = [];
  const lost: CtiError[] = [];
  let reauths = 0;
  const events: TwsEvent[] = [];
  const m = new FeedManager({
    order,
    create: s.create,
    onEvent: (ev) => events.push(ev),
    onBad: () => undefined,
    onActive: (label) => log.pushFeed(label),
    onSwitched: (from, to) => {
      switched.push([from, to]);
      signal.notify();
    },
    onAllFailed: (err) => {
      lost.push(err);
      log.pushLost(err);
    },
    reauthenticate: async () => {
      reauths += 1;
      await over.reauth?.();
    },
    retryPreferredMs: over.retryPreferredMs ?? 60_000,
    log: silentLogger(),
  });
  cleanups.push(() => m.stop());
  return { m, s, log, switched, lost, events, reauths: () => reauths };
}

describe('feed manager', () => {
  it('opens the first feed that opens, in the profile order', async () => {
    const { m, s, log } = manager({ opens: { tcp: ['fail'], websocket: ['ok'], poll: ['ok'] } }, ['tcp', 'websocket', 'poll']);
    await m.start();
    expect(m.active).toBe('websocket');
    expect(s.opened).toEqual(['websocket']);
    expect(log.feed).toBe('WebSocket');
  });

  it('honours another order', async () => {
    const { m } = manager({ opens: { tcp: ['ok'], poll: ['ok'] } }, ['poll', 'tcp']);
    await m.start();
    expect(m.active).toBe('poll');
  });

  it('start fails when nothing opens, naming every feed', async () => {
    const { m } = manager({ opens: {} }, ['tcp', 'websocket', 'poll']);
    await expect(m.start()).rejects.toThrow(/TCP event socket.*WebSocket.*web-service polling/);
  });

  it('falls back to the next feed, then the ones before, then the failed one', async () => {
    const { m, s, log, switched } = manager({ opens: { tcp: ['fail'], websocket: ['ok', 'fail'], poll: ['ok', 'fail'] } }, ['tcp', 'websocket', 'poll']);
    await m.start();
    expect(m.active).toBe('websocket');
    s.end('websocket');
    await log.feedIs('web-service polling');
    expect(switched).toEqual([['websocket', 'poll']]);
    // poll fails: the order is tcp (before), websocket (before), poll (itself): all fail now.
    s.end('poll');
    const err = await log.nextLost();
    expect(err.code).toBe('unreachable');
    expect(log.feed).toBeNull();
    expect(m.dead).toBe(true);
  });

  it('a failed feed that opens again is taken back when nothing else works', async () => {
    const { m, s, lost } = manager({ opens: { tcp: ['ok'], websocket: ['fail'] } }, ['tcp', 'websocket']);
    await m.start();
    s.end('tcp');
    await signal.until(() => s.opened.length === 2 && m.active === 'tcp', 'no reopen');
    expect(m.active).toBe('tcp');
    expect(lost).toHaveLength(0);
  });

  it('early close: re-authenticates once and retries the same feed first', async () => {
    const { m, s, log, reauths } = manager({ opens: { tcp: ['ok'], websocket: ['ok'] } }, ['tcp', 'websocket']);
    await m.start();
    s.end('tcp', { error: new CtiError('sessionLost', 'closed at once'), early: true });
    await signal.until(() => s.opened.length === 2, 'no reopen');
    expect(reauths()).toBe(1);
    expect(s.opened).toEqual(['tcp', 'tcp']);
    // Early again: no second re-authentication; the feed is left out, the next one is used.
    s.end('tcp', { error: new CtiError('sessionLost', 'closed at once'), early: true });
    await log.feedIs('WebSocket');
    expect(reauths()).toBe(1);
  });

  it('re-authentication refused → all failed with authFailed', async () => {
    const { m, s, log } = manager({ opens: { tcp: ['ok'] } }, ['tcp'], {
      reauth: async () => {
        throw new CtiError('authFailed', 'bad password');
      },
    });
    await m.start();
    s.end('tcp', { error: new CtiError('sessionLost', 'x'), early: true });
    expect((await log.nextLost()).code).toBe('authFailed');
  });

  it('goes back to the preferred feed (make-before-break)', async () => {
    const { m, s, log, switched } = manager({ opens: { tcp: ['fail', 'fail', 'ok'], websocket: ['ok'] } }, ['tcp', 'websocket'], { retryPreferredMs: 10 });
    await m.start();
    expect(m.active).toBe('websocket');
    await log.feedIs('TCP event socket');
    expect(s.closedByUs).toContain('websocket');
    expect(switched).toEqual([['websocket', 'tcp']]);
  });

  it('recycle() treats the active feed as failed', async () => {
    const { m, log } = manager({ opens: { tcp: ['ok'], websocket: ['ok'] } }, ['tcp', 'websocket']);
    await m.start();
    m.recycle('silent while events were missed');
    await log.feedIs('WebSocket');
  });

  it('events of a closed feed are dropped', async () => {
    const { m, s, events } = manager({ opens: { tcp: ['ok'], websocket: ['ok'] } }, ['tcp', 'websocket']);
    await m.start();
    const old = s.live.get('tcp') as FeedCallbacks;
    await m.stop();
    old.event({ kind: 'audit', envelope: { source: 'socket', eventType: 'AUDIT', root: 'x', creationDate: null, objectGuid: null, objectName: null, userGuid: null, repaired: false } });
    expect(events).toHaveLength(0);
  });
});

// ---------------------------------------------------------------- feed modules

const timing = { keepAliveMs: 40, idleMs: 400, tokenCheckMs: 300, connectTimeoutMs: 1000, pingMs: 50, maxBadFrames: 3, maxFrameBytes: 64 * 1024 };
const ctx = (over: Partial<typeof timing> = {}): FeedContext => ({ host: '127.0.0.1', timing: { ...timing, ...over }, trace: () => undefined, redact: (t) => t });

function collector() {
  const events: TwsEvent[] = [];
  const bad: string[] = [];
  const ends: FeedEnd[] = [];
  const cb: FeedCallbacks = {
    event: (e) => {
      events.push(e);
      signal.notify();
    },
    bad: (k) => {
      bad.push(k);
      signal.notify();
    },
    closed: (e) => {
      ends.push(e);
      signal.notify();
    },
  };
  const wait = (probe: () => boolean, why: string) => signal.until(probe, why);
  return { events, bad, ends, cb, wait };
}

async function tcpPeer(onConn: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConn);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as net.AddressInfo).port;
}

const SEP = '82E51812-45C9-4733\u0000';
const callXml = socketEventXml({ kind: 'call', cco: oneCall('4694', { connectionId: 'c1', state: 'delivered', party: { number: '4594' } }) });

describe('TCP feed', () => {
  it('sends the open message and keep-alives; reassembles split frames; skips AUDIT and garbage', async () => {
    let received = '';
    let peer: net.Socket | null = null;
    const port = await tcpPeer((s) => {
      peer = s;
      s.on('data', (d) => {
        received += d.toString('utf8');
        signal.notify();
      });
      s.on('error', () => undefined);
    });
    const c = collector();
    const feed = createTcpFeed(ctx(), { port, token: 'tok<&>' }, c.cb);
    cleanups.push(() => feed.close());
    await feed.open();
    await c.wait(() => received.includes('AUDIT'), 'a keep-alive');
    expect(received.startsWith(`<TWS_WaitForGenericEvent><tokenGuid>tok&lt;&amp;&gt;</tokenGuid></TWS_WaitForGenericEvent>${SEP}`)).toBe(true);
    expect(received).toContain(`<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>${SEP}`);
    const bytes = Buffer.from(`<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>${SEP}${callXml}${SEP}junk<${SEP}`);
    const s = peer as unknown as net.Socket;
    for (let i = 0; i < bytes.length; i += 7) s.write(bytes.subarray(i, i + 7));
    await c.wait(() => c.events.length === 1 && c.bad.length === 1, 'one event and one bad frame');
    expect(c.events[0]?.kind).toBe('call');
    expect(c.ends).toHaveLength(0);
  });

  it('a close right after opening is early; a later one is not', async () => {
    const port = await tcpPeer((s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.destroy());
    });
    const c = collector();
    const feed = createTcpFeed(ctx(), { port, token: 't' }, c.cb);
    await feed.open();
    await c.wait(() => c.ends.length === 1, 'the close');
    expect(c.ends[0]).toMatchObject({ early: true, error: { code: 'sessionLost' } });

    const sockets: net.Socket[] = [];
    const port2 = await tcpPeer((s) => {
      s.on('error', () => undefined);
      sockets.push(s);
      signal.notify();
    });
    const c2 = collector();
    const feed2 = createTcpFeed(ctx({ tokenCheckMs: 0 }), { port: port2, token: 't' }, c2.cb);
    await feed2.open();
    await c2.wait(() => sockets.length === 1, 'the connection');
    sockets[0]?.destroy();
    await c2.wait(() => c2.ends.length === 1, 'the close');
    expect(c2.ends[0]).toMatchObject({ early: false, error: { code: 'unreachable' } });
  });

  it('too many unreadable frames in a row end the feed', async () => {
    const port = await tcpPeer((s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.write(`a${SEP}b${SEP}c${SEP}`));
    });
    const c = collector();
    const feed = createTcpFeed(ctx({ tokenCheckMs: 0 }), { port, token: 't' }, c.cb);
    await feed.open();
    await c.wait(() => c.ends.length === 1, 'the end');
    expect(c.bad).toHaveLength(3);
    expect(c.ends[0]?.error.code).toBe('protocol');
  });

  it('refused → open rejects with unreachable', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const feed = createTcpFeed(ctx(), { port, token: 't' }, collector().cb);
    await expect(feed.open()).rejects.toMatchObject({ code: 'unreachable' });
  });
});

describe('WebSocket feed', () => {
  async function wsPeer(onMessage: (ws: WebSocket, text: string) => void): Promise<number> {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    wss.on('connection', (ws) => ws.on('message', (d) => onMessage(ws, d.toString())));
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    return (wss.address() as net.AddressInfo).port;
  }

  it('sends the bare token first and decodes each message (separator tolerated)', async () => {
    const got: string[] = [];
    const port = await wsPeer((ws, text) => {
      got.push(text);
      ws.send(`${callXml}${SEP}`);
      ws.send('AUDIT');
    });
    const c = collector();
    const feed = createWsFeed(ctx(), { port, secure: false, tls: {}, token: ' tok-1 ' }, c.cb);
    cleanups.push(() => feed.close());
    await feed.open();
    await c.wait(() => c.events.length === 1, 'an event');
    expect(got[0]).toBe('tok-1');
    expect(c.bad).toHaveLength(0);
  });

  it('close 1008 = token refused', async () => {
    const port = await wsPeer((ws) => ws.close(1008, 'invalid token'));
    const c = collector();
    const feed = createWsFeed(ctx({ tokenCheckMs: 0 }), { port, secure: false, tls: {}, token: 't' }, c.cb);
    await feed.open();
    await c.wait(() => c.ends.length === 1, 'the close');
    expect(c.ends[0]).toMatchObject({ early: true, tokenRefused: true, error: { code: 'sessionLost' } });
  });
});

describe('polling feed', () => {
  it('loops GetEvent, reconnects once after a failure, disconnects on close', async () => {
    const calls: string[] = [];
    let n = 0;
    const queue: Array<TwsEvent | null | 'fail'> = [null, 'fail', { kind: 'audit', envelope: {} as TwsEvent['envelope'] }];
    const api: PollApi = {
      connect: async () => {
        calls.push('connect');
        return `e${++n}`;
      },
      getEvent: async (id, abort) => {
        calls.push(`get:${id}`);
        signal.notify();
        const next = queue.shift();
        if (next === 'fail') throw new CtiError('sessionLost', 'expired');
        if (next !== undefined) return { event: next };
        await new Promise<void>((r) => abort.addEventListener('abort', () => r(), { once: true }));
        return { event: null };
      },
      disconnect: async (id) => {
        calls.push(`disconnect:${id}`);
      },
    };
    const c = collector();
    const feed = createPollFeed(ctx(), api, c.cb);
    await feed.open();
    await c.wait(() => calls.filter((x) => x.startsWith('get')).length >= 4, 'four GetEvent calls');
    expect(calls.slice(0, 5)).toEqual(['connect', 'get:e1', 'get:e1', 'connect', 'get:e2']);
    await feed.close();
    expect(calls[calls.length - 1]).toBe('disconnect:e2');
    expect(c.ends).toHaveLength(0);
  });

  it('a second failure in a row ends the feed', async () => {
    const api: PollApi = {
      connect: async () => 'e',
      getEvent: async () => {
        throw new CtiError('unreachable', 'down');
      },
      disconnect: async () => undefined,
    };
    const c = collector();
    const feed = createPollFeed(ctx({ tokenCheckMs: 0 }), api, c.cb);
    await feed.open();
    await c.wait(() => c.ends.length === 1, 'the end');
    expect(c.ends[0]?.error.code).toBe('unreachable');
  });
});
