// Keeps a view store in step with main: app.ready for the whole state, then state pushes.
// While an app.ready is in flight, pushes are buffered and replayed on top of its reply.
import type { BridgeApi, StatePush } from '../../shared/bridge.js';
import type { BridgeLink } from '../bridge/link.js';
import { endedCalls, foldPush } from './foldPush.js';
import type { ViewStore } from './viewStore.js';

export const RESYNC_RETRY_MS = 3000;

export interface SyncOptions {
  bridge: BridgeApi;
  link: BridgeLink;
  store: ViewStore;
  /** Calls left the view (ended): the call log has new rows. */
  onCallsEnded(callIds: string[]): void;
  /** app.ready failed; the loop retries by itself. */
  onError(message: string): void;
}

export function startSync({ bridge, link, store, onCallsEnded, onError }: SyncOptions): () => void {
  let syncing = false;
  let again = false;
  let stopped = false;
  let buffered: StatePush[] = [];
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const apply = (push: StatePush): void => {
    const cur = store.getState();
    const r = foldPush(cur.synced ? { view: cur.view, rev: cur.rev } : null, push);
    if (r.kind === 'applied') {
      store.setState({ view: r.view, rev: r.rev, synced: true });
      if (r.endedCallIds.length) onCallsEnded(r.endedCallIds);
    } else if (r.kind === 'gap') {
      void resync();
    }
  };

  const resync = async (): Promise<void> => {
    if (stopped) return;
    if (syncing) {
      again = true;
      return;
    }
    syncing = true;
    again = false;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const reply = await bridge.invoke('app.ready', {});
    syncing = false;
    if (stopped) return;
    if (!reply.ok) {
      buffered = [];
      // While the socket is down the banner already says so; a toast per attempt is noise.
      if (link.status().state === 'open') onError(`Could not load the desktop state: ${reply.error.message}`);
      retryTimer = setTimeout(() => void resync(), RESYNC_RETRY_MS);
      return;
    }
    const prev = store.getState();
    const ended = endedCalls(prev.synced ? prev.view : null, reply.value.state);
    store.setState({ view: reply.value.state, rev: reply.value.rev, synced: true });
    if (ended.length) onCallsEnded(ended);
    const queued = buffered;
    buffered = [];
    for (const push of queued) apply(push);
    if (again) void resync();
  };

  const offPush = bridge.on('state', (push) => {
    if (syncing) buffered.push(push);
    else apply(push);
  });

  // Pushes sent while the socket was down are lost: start over from app.ready. An app.ready
  // still in flight at that moment was queued, not sent, so its reply is fresh already.
  let wasOpen = link.status().state === 'open';
  const offLink = link.onStatus((s) => {
    const isOpen = s.state === 'open';
    if (isOpen && !wasOpen && !syncing) void resync();
    wasOpen = isOpen;
  });

  void resync();

  return () => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    offPush();
    offLink();
  };
}
