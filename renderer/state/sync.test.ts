import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BridgeApi, InvokeReply, StatePush } from '../../shared/bridge.js';
import type { ViewState } from '../../shared/model.js';
import type { BridgeLink, BridgeLinkStatus } from '../bridge/link.js';
import { makeCall, makeView } from '../../shared/test-fixtures.js';
import { RESYNC_RETRY_MS, startSync } from './sync.js';
import { createViewStore } from './viewStore.js';

type ReadyReply = InvokeReply<'app.ready'>;

/** A bridge whose app.ready replies the test releases one at a time. */
function fakeBridge() {
  const readyCalls: ((r: ReadyReply) => void)[] = [];
  let push: ((p: StatePush) => void) | null = null;
  const api = {
    invoke: (channel: string) => {
      if (channel !== 'app.ready') throw new Error(`unexpected ${channel}`);
      return new Promise<ReadyReply>((resolve) => readyCalls.push(resolve));
    },
    on: (_channel: string, l: (p: StatePush) => void) => {
      push = l;
      return () => (push = null);
    },
  } as unknown as BridgeApi;
  let status: BridgeLinkStatus = { state: 'open', attempt: 0 };
  const statusListeners = new Set<(s: BridgeLinkStatus) => void>();
  const link: BridgeLink = {
    status: () => status,
    onStatus: (l) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
  };
  return {
    api,
    link,
    readyCalls,
    push: (p: StatePush) => push?.(p),
    reply: async (state: ViewState, rev: number) => {
      const r = readyCalls.shift();
      if (!r) throw new Error('no app.ready pending');
      r({ ok: true, value: { state, rev } });
      await Promise.resolve();
      await Promise.resolve();
    },
    fail: async (message: string) => {
      readyCalls.shift()?.({ ok: false, error: { code: 'internal', message } });
      await Promise.resolve();
    },
    setStatus: (s: BridgeLinkStatus) => {
      status = s;
      for (const l of statusListeners) l(s);
    },
  };
}

function setup() {
  const bridge = fakeBridge();
  const store = createViewStore();
  const ended: string[][] = [];
  const errors: string[] = [];
  const stop = startSync({
    bridge: bridge.api,
    link: bridge.link,
    store,
    onCallsEnded: (ids) => ended.push(ids),
    onError: (m) => errors.push(m),
  });
  return { bridge, store, ended, errors, stop };
}

afterEach(() => vi.useRealTimers());

describe('startSync', () => {
  const a = makeCall('a');
  const b = makeCall('b', { state: 'alerting' });

  it('starts from app.ready and applies consecutive patches', async () => {
    const { bridge, store } = setup();
    expect(store.getState().synced).toBe(false);
    expect(bridge.readyCalls).toHaveLength(1);
    await bridge.reply(makeView([a]), 10);
    expect(store.getState()).toMatchObject({ synced: true, rev: 10 });
    bridge.push({ kind: 'patch', rev: 11, patch: { calls: { upsert: [b], remove: [] } } });
    expect(store.getState().rev).toBe(11);
    expect(Object.keys(store.getState().view.calls).sort()).toEqual(['a', 'b']);
  });

  it('a full push replaces the state', async () => {
    const { bridge, store } = setup();
    await bridge.reply(makeView([a]), 10);
    const next = makeView([b]);
    bridge.push({ kind: 'full', rev: 2, state: next });
    expect(store.getState().view).toBe(next);
    expect(store.getState().rev).toBe(2);
  });

  it('a rev gap re-requests app.ready and takes its state', async () => {
    const { bridge, store } = setup();
    await bridge.reply(makeView([a]), 10);
    bridge.push({ kind: 'patch', rev: 12, patch: { calls: { upsert: [b], remove: [] } } });
    expect(store.getState().rev).toBe(10);
    expect(bridge.readyCalls).toHaveLength(1);
    await bridge.reply(makeView([a, b]), 12);
    expect(store.getState().rev).toBe(12);
    expect(Object.keys(store.getState().view.calls)).toHaveLength(2);
  });

  it('buffers pushes while app.ready is in flight and replays the newer ones', async () => {
    const { bridge, store } = setup();
    bridge.push({ kind: 'patch', rev: 10, patch: {} }); // older than the reply: dropped as stale
    bridge.push({ kind: 'patch', rev: 11, patch: { calls: { upsert: [b], remove: [] } } });
    await bridge.reply(makeView([a]), 10);
    expect(store.getState().rev).toBe(11);
    expect(store.getState().view.calls.b).toBe(b);
    expect(bridge.readyCalls).toHaveLength(0);
  });

  it('reports ended calls from patches (for call-log invalidation)', async () => {
    const { bridge, ended } = setup();
    await bridge.reply(makeView([a, b]), 1);
    bridge.push({ kind: 'patch', rev: 2, patch: { calls: { upsert: [], remove: ['a'] } } });
    expect(ended).toEqual([['a']]);
    bridge.push({ kind: 'patch', rev: 3, patch: { set: { notices: [] } } });
    expect(ended).toHaveLength(1);
  });

  it('reports calls a resync found gone', async () => {
    const { bridge, ended } = setup();
    await bridge.reply(makeView([a, b]), 1);
    bridge.push({ kind: 'patch', rev: 5, patch: {} });
    await bridge.reply(makeView([b]), 5);
    expect(ended).toEqual([['a']]);
  });

  it('does not report the first state as ended calls', async () => {
    const { bridge, ended } = setup();
    await bridge.reply(makeView([a]), 1);
    expect(ended).toEqual([]);
  });

  it('resyncs when the bridge socket comes back', async () => {
    const { bridge, store } = setup();
    await bridge.reply(makeView([a]), 1);
    bridge.setStatus({ state: 'reconnecting', attempt: 0, retryAt: 0 });
    expect(bridge.readyCalls).toHaveLength(0);
    bridge.setStatus({ state: 'open', attempt: 0 });
    expect(bridge.readyCalls).toHaveLength(1);
    await bridge.reply(makeView([]), 1);
    expect(store.getState().view.calls).toEqual({});
  });

  it('retries a failed app.ready and reports the failure', async () => {
    vi.useFakeTimers();
    const { bridge, errors, store } = setup();
    await bridge.fail('boom');
    expect(errors).toEqual(['Could not load the desktop state: boom']);
    expect(bridge.readyCalls).toHaveLength(0);
    vi.advanceTimersByTime(RESYNC_RETRY_MS);
    expect(bridge.readyCalls).toHaveLength(1);
    await bridge.reply(makeView([a]), 3);
    expect(store.getState().synced).toBe(true);
  });

  it('stops listening when stopped', async () => {
    const { bridge, store, stop } = setup();
    await bridge.reply(makeView([a]), 1);
    stop();
    bridge.push({ kind: 'patch', rev: 2, patch: { calls: { upsert: [b], remove: [] } } });
    expect(store.getState().rev).toBe(1);
  });
});
