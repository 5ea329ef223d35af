import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StatePush } from '../../shared/bridge.js';
import type { BridgeLinkStatus } from './link.js';
import { bridgeUrl, reconnectDelayMs, WsBridge, type SocketHandlers } from './wsBridge.js';

/** Sockets the bridge opened, controllable from the test. */
function fakeSockets() {
  const sockets: { url: string; h: SocketHandlers; sent: string[]; closed: boolean }[] = [];
  const createSocket = (url: string, h: SocketHandlers) => {
    const s = { url, h, sent: [] as string[], closed: false };
    sockets.push(s);
    return { send: (d: string) => s.sent.push(d), close: () => (s.closed = true) };
  };
  return { sockets, createSocket, last: () => sockets[sockets.length - 1]! };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('bridgeUrl', () => {
  it('uses the page origin with the ws scheme and the page token', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:5000', search: '?token=a+b/c' })).toBe('ws://127.0.0.1:5000/bridge?token=a%20b%2Fc');
    expect(bridgeUrl({ protocol: 'https:', host: 'gw.example', search: '?x=1&token=t0k' })).toBe('wss://gw.example/bridge?token=t0k');
    expect(bridgeUrl({ protocol: 'http:', host: 'h', search: '' })).toBe('ws://h/bridge?token=');
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 250 ms to a 10 s cap, with ±20 % jitter', () => {
    expect(reconnectDelayMs(0, () => 0.5)).toBe(250);
    expect(reconnectDelayMs(3, () => 0.5)).toBe(2000);
    expect(reconnectDelayMs(20, () => 0.5)).toBe(10_000);
    expect(reconnectDelayMs(0, () => 0)).toBe(200);
    expect(reconnectDelayMs(0, () => 1)).toBe(300);
  });
});

describe('WsBridge', () => {
  it('queues requests until open, then sends {id, channel, payload} and resolves the reply', async () => {
    const fs = fakeSockets();
    const bridge = new WsBridge('ws://h/bridge?token=t', { createSocket: fs.createSocket });
    const reply = bridge.invoke('profiles.list', {});
    expect(fs.last().sent).toEqual([]);
    fs.last().h.open();
    const frame = JSON.parse(fs.last().sent[0]!) as { id: number; channel: string; payload: unknown };
    expect(frame).toMatchObject({ channel: 'profiles.list', payload: {} });
    fs.last().h.message(JSON.stringify({ id: frame.id, reply: { ok: true, value: { profiles: [], activeId: null } } }));
    await expect(reply).resolves.toEqual({ ok: true, value: { profiles: [], activeId: null } });
  });

  it('times out with a clear error', async () => {
    const fs = fakeSockets();
    const bridge = new WsBridge('ws://h/bridge', { createSocket: fs.createSocket, timeoutMs: 5000 });
    fs.last().h.open();
    const reply = bridge.invoke('cti.command', { kind: 'snapshot' });
    vi.advanceTimersByTime(5000);
    const r = await reply;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('timeout');
      expect(r.error.message).toContain('cti.command');
      expect(r.error.message).toContain('5 s');
    }
  });

  it('delivers state pushes to listeners', () => {
    const fs = fakeSockets();
    const bridge = new WsBridge('ws://h/bridge', { createSocket: fs.createSocket });
    const got: StatePush[] = [];
    const off = bridge.on('state', (p) => got.push(p));
    fs.last().h.open();
    const push = { kind: 'patch', rev: 3, patch: {} };
    fs.last().h.message(JSON.stringify({ push: 'state', payload: push }));
    off();
    fs.last().h.message(JSON.stringify({ push: 'state', payload: push }));
    expect(got).toEqual([push]);
  });

  it('ignores frames that are not JSON', () => {
    const fs = fakeSockets();
    new WsBridge('ws://h/bridge', { createSocket: fs.createSocket });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => fs.last().h.message('{nope')).not.toThrow();
    warn.mockRestore();
  });

  it('fails requests on the wire when the socket drops, and reconnects with backoff', async () => {
    const fs = fakeSockets();
    const statuses: BridgeLinkStatus[] = [];
    const bridge = new WsBridge('ws://h/bridge', { createSocket: fs.createSocket, random: () => 0.5, now: () => 1000 });
    bridge.onStatus((s) => statuses.push(s));
    fs.last().h.open();
    const inFlight = bridge.invoke('cti.command', { kind: 'snapshot' });
    fs.last().h.close();
    const r = await inFlight;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('unreachable');
    expect(statuses.at(-1)).toEqual({ state: 'reconnecting', attempt: 0, retryAt: 1250 });

    // A request made while down waits for the new socket.
    const later = bridge.invoke('profiles.list', {});
    vi.advanceTimersByTime(250);
    expect(fs.sockets).toHaveLength(2);
    fs.last().h.close(); // refused: the next attempt waits longer
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1, retryAt: 1500 });
    vi.advanceTimersByTime(500);
    expect(fs.sockets).toHaveLength(3);
    fs.last().h.open();
    expect(statuses.at(-1)).toEqual({ state: 'open', attempt: 0 });
    const frame = JSON.parse(fs.last().sent[0]!) as { id: number };
    fs.last().h.message(JSON.stringify({ id: frame.id, reply: { ok: true, value: { profiles: [], activeId: null } } }));
    await expect(later).resolves.toMatchObject({ ok: true });
  });

  it('stop() closes for good', () => {
    const fs = fakeSockets();
    const bridge = new WsBridge('ws://h/bridge', { createSocket: fs.createSocket });
    fs.last().h.open();
    bridge.stop();
    expect(fs.last().closed).toBe(true);
    fs.last().h.close();
    vi.advanceTimersByTime(60_000);
    expect(fs.sockets).toHaveLength(1);
  });
});
