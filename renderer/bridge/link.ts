// The renderer's own connection to the desktop service (not the CTI link, which lives in the
// ViewState). With the Electron preload it is always open; over the web host's WebSocket it can
// drop and come back while the call carries on in main.
export type BridgeLinkState = 'connecting' | 'open' | 'reconnecting';

export interface BridgeLinkStatus {
  state: BridgeLinkState;
  /** Consecutive failed attempts since the socket was last open. */
  attempt: number;
  /** Epoch ms of the next connection attempt while reconnecting. */
  retryAt?: number;
}

export interface BridgeLink {
  status(): BridgeLinkStatus;
  onStatus(listener: (status: BridgeLinkStatus) => void): () => void;
}

const open: BridgeLinkStatus = { state: 'open', attempt: 0 };

/** status() returns the same object every time, as useSyncExternalStore requires. */
export const alwaysOpenLink: BridgeLink = {
  status: () => open,
  onStatus: () => () => {},
};
