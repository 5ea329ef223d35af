// Renderer entry: connect the bridge, keep the view store in sync, mount the UI.
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { getBridge, getBridgeLink } from './bridge/index.js';
import { missedCountChanged } from './controls/callLog.js';
import { useAgentPending } from './state/agentPending.js';
import { freshNotices } from './state/notices.js';
import { invalidateCallLog } from './state/queries.js';
import { startSync } from './state/sync.js';
import { toastError, useToastStore } from './state/toastStore.js';
import { useViewStore } from './state/viewStore.js';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 10_000, refetchOnWindowFocus: false, retry: 1 } },
  // Queries show their errors where their data would be; failed actions become toasts, except
  // those whose form shows the error itself (`meta.errorShownInline`: the admin view).
  mutationCache: new MutationCache({
    onError: (err, _vars, _result, mutation) => {
      if (mutation.meta?.errorShownInline !== true) toastError(err.message);
    },
  }),
});

startSync({
  bridge: getBridge(),
  link: getBridgeLink(),
  store: useViewStore,
  onCallsEnded: () => void invalidateCallLog(queryClient),
  onError: toastError,
});

const seenNotices = new Set<string>();
useViewStore.subscribe((s, prev) => {
  if (s.view.agent !== prev.view.agent) useAgentPending.getState().settle(s.view.agent);
  // The vendor's missed-call counter moved (a new missed call, or one acknowledged on the phone).
  if (prev.synced && missedCountChanged(prev.view, s.view)) void invalidateCallLog(queryClient);
  if (s.view.notices !== prev.view.notices) {
    for (const n of freshNotices(s.view.notices, seenNotices, Date.now(), !prev.synced)) {
      useToastStore.getState().push(n.level, n.message);
    }
  }
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
