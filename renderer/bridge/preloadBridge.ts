// The Electron preload exposes the bridge as window[BRIDGE_GLOBAL]; IPC cannot drop, but main
// can still be slow, so requests get the same timeout as over the WebSocket.
import { BRIDGE_GLOBAL, type BridgeApi } from '../../shared/bridge.js';
import { REQUEST_TIMEOUT_MS, timeoutReply } from './errors.js';

function isBridgeApi(value: unknown): value is BridgeApi {
  if (typeof value !== 'object' || value === null) return false;
  const api = value as Partial<Record<keyof BridgeApi, unknown>>;
  return typeof api.invoke === 'function' && typeof api.on === 'function';
}

export function findPreloadBridge(global: object): BridgeApi | null {
  const candidate = (global as Record<string, unknown>)[BRIDGE_GLOBAL];
  return isBridgeApi(candidate) ? candidate : null;
}

export function withTimeout(api: BridgeApi, timeoutMs = REQUEST_TIMEOUT_MS): BridgeApi {
  return {
    invoke: (channel, request) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(timeoutReply(channel, timeoutMs, true)), timeoutMs);
        api.invoke(channel, request).then(
          (reply) => {
            clearTimeout(timer);
            resolve(reply);
          },
          (err: unknown) => {
            clearTimeout(timer);
            resolve({ ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } });
          },
        );
      }),
    on: (channel, listener) => api.on(channel, listener),
  };
}
