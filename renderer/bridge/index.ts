// The one bridge of this window: the Electron preload when present, else the web host's WebSocket.
import type { BridgeApi, InvokeChannel, InvokeRequest, InvokeResponses } from '../../shared/bridge.js';
import type { CtiErrorShape } from '../../shared/commands.js';
import { alwaysOpenLink, type BridgeLink } from './link.js';
import { findPreloadBridge, withTimeout } from './preloadBridge.js';
import { bridgeUrl, WsBridge } from './wsBridge.js';

let current: { api: BridgeApi; link: BridgeLink } | null = null;

function connect(): { api: BridgeApi; link: BridgeLink } {
  if (!current) {
    const preload = findPreloadBridge(window);
    if (preload) {
      current = { api: withTimeout(preload), link: alwaysOpenLink };
    } else {
      const ws = new WsBridge(bridgeUrl(window.location));
      current = { api: ws, link: ws };
    }
  }
  return current;
}

export function getBridge(): BridgeApi {
  return connect().api;
}

export function getBridgeLink(): BridgeLink {
  return connect().link;
}

/** A failed bridge request, carrying the typed error main (or the bridge client) returned. */
export class BridgeRequestError extends Error {
  readonly code: CtiErrorShape['code'];
  constructor(error: CtiErrorShape) {
    super(error.message);
    this.name = 'BridgeRequestError';
    this.code = error.code;
  }
}

/** Invoke and unwrap: resolves with the value or throws BridgeRequestError (for react-query). */
export async function request<C extends InvokeChannel>(channel: C, payload: InvokeRequest<C>): Promise<InvokeResponses[C]> {
  const reply = await getBridge().invoke(channel, payload);
  if (!reply.ok) throw new BridgeRequestError(reply.error);
  return reply.value;
}
