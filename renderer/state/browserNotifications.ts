// Incoming-call notifications where there is no desktop shell to show them: in the web host the
// page itself uses the browser's Notification API while it is hidden (Electron's main process
// notifies on its own, so the page stays quiet there). A notification closes when its call stops
// ringing.
import { useEffect } from 'react';
import type { Call, ViewState } from '../../shared/model.js';
import { findPreloadBridge } from '../bridge/preloadBridge.js';
import { displayNumber } from '../format/party.js';
import { ringingCalls } from './selectors.js';
import { useViewStore } from './viewStore.js';

/** Whether this page is the one to notify: a browser tab with the Notification API. */
export function pageNotifies(global: object = window): boolean {
  return findPreloadBridge(global) === null && 'Notification' in global;
}

/** Title and body, as the Electron shell writes them. */
export function incomingCallNotice(call: Pick<Call, 'remote'>): { title: string; body: string } {
  return { title: 'Incoming call', body: [call.remote.name, displayNumber(call.remote)].filter(Boolean).join(' ') };
}

export function useBrowserCallNotifications(): void {
  useEffect(() => {
    if (!pageNotifies()) return;
    const shown = new Map<string, Notification>();
    const seen = new Set<string>();
    const onView = (view: ViewState) => {
      const calls = ringingCalls(view);
      const ids = new Set(calls.map((c) => c.id));
      for (const [id, n] of shown) {
        if (ids.has(id)) continue;
        n.close();
        shown.delete(id);
      }
      for (const call of calls) {
        if (seen.has(call.id)) continue;
        seen.add(call.id);
        if (document.visibilityState !== 'hidden' || Notification.permission !== 'granted') continue;
        const { title, body } = incomingCallNotice(call);
        const n = new Notification(title, { body, tag: call.id });
        n.onclick = () => window.focus();
        shown.set(call.id, n);
      }
    };
    onView(useViewStore.getState().view);
    const unsubscribe = useViewStore.subscribe((s, prev) => {
      if (s.view.calls !== prev.view.calls) onView(s.view);
    });
    return () => {
      unsubscribe();
      for (const n of shown.values()) n.close();
    };
  }, []);
}
