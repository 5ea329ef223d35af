// Pure parts of the CTIPS transport: heartbeat watchdog, RequestId correlator, fault → CtiError
// mapping, address normalisation. Fake timers / injected clocks; no sockets.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { normalizeAddress, CtipsCallbackServer } from './callback-server.js';
import { RequestCorrelator } from './correlator.js';
import { decodeCtipsResponse, encodeCtipsFault, encodeCtipsResponse } from './responses.js';
import { HeartbeatWatchdog, type WatchdogTimers } from './heartbeat.js';
import { ctipsErrorToCtiError, CtipsSoapClient } from './soap-client.js';
import { ctipsProfile } from './wire.js';

type Ev = { header: { requestId: number }; n: number };
const ev = (requestId: number, n = 0): Ev => ({ header: { requestId }, n });

describe('HeartbeatWatchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('defaults to the digest: 30 s interval, 3 missed → lost after 120 s of silence', () => {
    const lost = vi.fn();
    const missed = vi.fn();
    const w = new HeartbeatWatchdog({ onLost: lost, onMissed: missed });
    expect([w.intervalMs, w.missedAllowed, w.status]).toEqual([30_000, 3, 'idle']);
    w.start();
    vi.advanceTimersByTime(119_999);
    expect(lost).not.toHaveBeenCalled();
    expect(missed.mock.calls.map((c) => c[0])).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(1);
    expect(lost).toHaveBeenCalledTimes(1);
    expect(lost.mock.calls[0]?.[0]).toMatchObject({ missed: 4, lastBeatAt: null, silentMs: 120_000 });
    expect(w.status).toBe('lost');
    vi.advanceTimersByTime(600_000);
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('each beat resets the count; stop disarms; start re-arms after lost', () => {
    const lost = vi.fn();
    const w = new HeartbeatWatchdog({ intervalMs: 1000, missedAllowed: 2, onLost: lost });
    expect(w.beat()).toBe(false); // not running
    w.start();
    for (let i = 0; i < 10; i += 1) {
      vi.advanceTimersByTime(2500);
      expect(w.missed).toBe(2);
      expect(w.beat()).toBe(true);
      expect(w.missed).toBe(0);
    }
    expect(lost).not.toHaveBeenCalled();
    w.stop();
    vi.advanceTimersByTime(10_000);
    expect(lost).not.toHaveBeenCalled();
    w.start();
    vi.advanceTimersByTime(3000);
    expect(lost).toHaveBeenCalledTimes(1);
    expect(w.beat()).toBe(false);
    w.start();
    expect(w.status).toBe('running');
  });

  it('uses injected timers and clock', () => {
    let t = 0;
    const queue: Array<{ fn: () => void; at: number; id: number }> = [];
    let ids = 0;
    const timers: WatchdogTimers = {
      setTimeout: (fn, ms) => {
        ids += 1;
        queue.push({ fn, at: t + ms, id: ids });
        return ids;
      },
      clearTimeout: (h) => {
        const i = queue.findIndex((q) => q.id === h);
        if (i >= 0) queue.splice(i, 1);
      },
    };
    const lost = vi.fn();
    const w = new HeartbeatWatchdog({ intervalMs: 10, missedAllowed: 0, onLost: lost, timers, now: () => t });
    w.start();
    t = 5;
    w.beat();
    expect(w.lastBeatAt).toBe(5);
    expect(queue).toHaveLength(1);
    const q = queue.shift();
    t = q?.at ?? 0;
    q?.fn();
    expect(lost).toHaveBeenCalledWith({ missed: 1, lastBeatAt: 5, silentMs: 10 });
  });

  it('refuses bad settings', () => {
    expect(() => new HeartbeatWatchdog({ intervalMs: 0, onLost: () => {} })).toThrow(RangeError);
    expect(() => new HeartbeatWatchdog({ missedAllowed: 1000, onLost: () => {} })).toThrow(RangeError);
  });
});

describe('RequestCorrelator', () => {
  it('allocates ids from a random start, never 0, wrapping at 2^31-1, skipping ids in use', () => {
    const c = new RequestCorrelator<Ev>({ random: () => 0.5 });
    expect(c.next()).toBe(1 + 2 ** 29);
    const w = new RequestCorrelator<Ev>({ firstId: 0x7ffffffe });
    expect([w.next(), w.next(), w.next()]).toEqual([0x7ffffffe, 0x7fffffff, 1]);
    const s = new RequestCorrelator<Ev>({ firstId: 5 });
    s.register(6, 'HoldCall');
    expect([s.next(), s.next()]).toEqual([5, 7]);
    for (let i = 0; i < 1000; i += 1) expect(new RequestCorrelator<Ev>().next()).toBeGreaterThan(0);
    expect(() => s.register(0, 'X')).toThrow(RangeError);
    expect(() => s.register(6, 'X')).toThrow(/already pending/);
  });

  it('matches an event that arrives before the SOAP reply, and reports it with the reply', () => {
    const c = new RequestCorrelator<Ev>({ now: () => 0 });
    const id = c.next();
    c.register(id, 'MakeCall');
    const r = c.onEvent(ev(id, 1));
    expect(r).toMatchObject({ kind: 'matched', beforeReply: true });
    const p = c.replied(id, true);
    expect(p?.events.map((e) => e.n)).toEqual([1]);
    expect(c.onEvent(ev(id, 2))).toMatchObject({ kind: 'matched', beforeReply: false });
    expect(c.complete(id)?.events.map((e) => e.n)).toEqual([1, 2]);
    expect(c.pendingCount).toBe(0);
    expect(c.onEvent(ev(0))).toEqual({ kind: 'unsolicited' });
  });

  it('holds events for an unregistered id until register, or releases them after the TTL', () => {
    let t = 0;
    const c = new RequestCorrelator<Ev>({ now: () => t, earlyTtlMs: 2000 });
    expect(c.onEvent(ev(42, 1))).toEqual({ kind: 'early', evicted: [] });
    expect(c.onEvent(ev(43, 2))).toEqual({ kind: 'early', evicted: [] });
    expect(c.heldCount).toBe(2);
    t = 1000;
    expect(c.register(42, 'HoldCall').map((e) => e.n)).toEqual([1]);
    expect(c.get(42)?.events).toHaveLength(1);
    expect(c.nextDeadline()).toBe(2000);
    t = 1999;
    expect(c.sweep().expired).toEqual([]);
    t = 2000;
    expect(c.sweep().expired.map((e) => e.n)).toEqual([2]);
    expect(c.heldCount).toBe(0);
  });

  it('bounds the held events (ids and per id), evicting the oldest', () => {
    const c = new RequestCorrelator<Ev>({ now: () => 0, maxEarlyIds: 2, maxEarlyPerId: 2 });
    c.onEvent(ev(1, 1));
    c.onEvent(ev(2, 2));
    expect(c.onEvent(ev(3, 3))).toEqual({ kind: 'early', evicted: [ev(1, 1)] });
    c.onEvent(ev(3, 4));
    expect(c.onEvent(ev(3, 5))).toEqual({ kind: 'early', evicted: [ev(3, 3)] });
    expect(c.heldCount).toBe(3);
  });

  it('times out requests without completion, drops failed replies, fails all on session loss', () => {
    let t = 0;
    const c = new RequestCorrelator<Ev>({ now: () => t, completionTimeoutMs: 15_000 });
    c.register(1, 'A');
    t = 5000;
    c.register(2, 'B');
    c.register(3, 'C');
    expect(c.replied(3, false)?.operation).toBe('C');
    expect(c.get(3)).toBeUndefined();
    expect(c.nextDeadline()).toBe(15_000);
    t = 15_000;
    expect(c.sweep().timedOut.map((p) => p.operation)).toEqual(['A']);
    c.onEvent(ev(9));
    const all = c.failAll();
    expect(all.pending.map((p) => p.requestId)).toEqual([2]);
    expect(all.held).toHaveLength(1);
    expect(c.nextDeadline()).toBeNull();
  });

  it('caps the pending map', () => {
    const c = new RequestCorrelator<Ev>({ maxPending: 1 });
    c.register(1, 'A');
    expect(() => c.register(2, 'B')).toThrow(/pending/);
  });
});

describe('ctipsErrorToCtiError', () => {
  const faultOf = (reason: string, code: 'Client' | 'Server' = 'Client', v: '1.1' | '1.2' = '1.1') => {
    const d = decodeCtipsResponse(encodeCtipsFault(code, reason, ctipsProfile({ soapVersion: v })));
    if (d.ok) throw new Error('expected a fault');
    return ctipsErrorToCtiError(d.error, 'CTIPS X');
  };
  it.each([
    ['Invalid SessionId', 'sessionLost'],
    ['Unknown user or wrong password', 'authFailed'],
    ['The maximum number of connections has been reached', 'limit'],
    ['Session not online', 'notConnected'],
    ['Missing field AgentId', 'invalid'],
    ['Agent is busy', 'rejected'],
  ] as const)('fault "%s" → %s', (reason, code) => {
    expect(faultOf(reason).code).toBe(code);
    expect(faultOf(reason, 'Client', '1.2').code).toBe(code);
  });
  it('a Server fault that says "invalid" is rejected, not invalid; the vendor code names the fault', () => {
    const e = faultOf('Invalid state', 'Server');
    expect(e.code).toBe('rejected');
    expect(e.vendorCode).toBe('fault:Server');
    expect(e.message).toMatch(/^CTIPS X: SOAP fault Server: Invalid state/);
  });
  it('statuses: OpenConnection [SIM] codes; other operations rejected; undecodable → protocol', () => {
    const st = (op: 'OpenConnection' | 'HoldCall', n: number) => {
      const d = decodeCtipsResponse(encodeCtipsResponse(op, n, null));
      if (d.ok) throw new Error('expected an error');
      return ctipsErrorToCtiError(d.error, 'w');
    };
    expect(st('OpenConnection', 1).code).toBe('authFailed');
    expect(st('OpenConnection', 3).code).toBe('limit');
    expect(st('OpenConnection', 3).vendorCode).toBe('status:3');
    expect(st('OpenConnection', 42).code).toBe('rejected');
    expect(st('HoldCall', 1).code).toBe('rejected');
    const g = decodeCtipsResponse('<x/>');
    expect(g.ok).toBe(false);
    if (!g.ok) expect(ctipsErrorToCtiError(g.error, 'w')).toMatchObject({ code: 'protocol', vendorCode: 'badShape' });
  });
});

describe('configuration checks', () => {
  it('normalizes loopback and IPv4-mapped addresses', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.1.2.3', '[::1]', '0:0:0:0:0:0:0:1'].map(normalizeAddress)).toEqual(Array(6).fill('loopback'));
    expect(normalizeAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeAddress('FE80::1%eth0')).toBe('fe80::1');
  });
  it('refuses unusable server and client settings', () => {
    const base = { bindHost: '127.0.0.1', port: 0, allowedHosts: ['127.0.0.1'] };
    expect(() => new CtipsCallbackServer({ ...base, allowedHosts: [] })).toThrow(/allowed/);
    expect(() => new CtipsCallbackServer({ ...base, bindHost: '0.0.0.0' })).toThrow(/advertised host/);
    expect(() => new CtipsCallbackServer({ ...base, port: 70000 })).toThrow(/port/);
    expect(() => new CtipsCallbackServer({ ...base, token: 'a b' })).toThrow(/token/);
    expect(() => new CtipsCallbackServer({ ...base, token: 'x' }).url()).toThrow(/not started/);
    expect(() => new CtipsSoapClient({ host: 'a/b' })).toThrow(/host/);
    expect(() => new CtipsSoapClient({ host: 'h', port: 0 })).toThrow(/port/);
    expect(new CtipsSoapClient({ host: '::1', port: 8700 }).url).toBe('http://[::1]:8700/CTIPortal/AgentCallService');
  });
});
