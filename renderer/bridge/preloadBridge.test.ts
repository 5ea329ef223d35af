import { afterEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_GLOBAL, type BridgeApi } from '../../shared/bridge.js';
import { findPreloadBridge, withTimeout } from './preloadBridge.js';

afterEach(() => vi.useRealTimers());

const never = { invoke: () => new Promise(() => {}), on: () => () => {} } as unknown as BridgeApi;

describe('preload bridge', () => {
  it('is found only when the global has invoke and on', () => {
    expect(findPreloadBridge({ [BRIDGE_GLOBAL]: never })).toBe(never);
    expect(findPreloadBridge({})).toBeNull();
    expect(findPreloadBridge({ [BRIDGE_GLOBAL]: { invoke: () => {} } })).toBeNull();
  });

  it('times requests out', async () => {
    vi.useFakeTimers();
    const reply = withTimeout(never, 1000).invoke('app.ready', {});
    vi.advanceTimersByTime(1000);
    await expect(reply).resolves.toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('turns a rejected invoke into a typed error', async () => {
    const failing = { invoke: () => Promise.reject(new Error('ipc gone')), on: () => () => {} } as unknown as BridgeApi;
    await expect(withTimeout(failing, 1000).invoke('app.ready', {})).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'ipc gone' },
    });
  });
});
