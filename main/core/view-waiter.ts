// Waiting for the view to reach a state, for tests and tools that drive a session from outside:
// resolves on the first view change that satisfies the predicate, or rejects after `ms` with the
// link, calls and agent it saw (a readable failure instead of a bare timeout).
import type { ViewState } from '../../shared/model.js';
import type { ViewStore } from './view-store.js';

export type ViewWaiter = (pred: (s: ViewState) => boolean, what: string, ms?: number) => Promise<ViewState>;

export function viewWaiter(view: ViewStore, defaultMs = 5000): ViewWaiter {
  const waiters = new Set<() => void>();
  view.subscribe(() => {
    for (const w of [...waiters]) w();
  });
  return (pred, what, ms = defaultMs) =>
    new Promise<ViewState>((resolve, reject) => {
      if (pred(view.current)) return resolve(view.current);
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; state: ${JSON.stringify({ link: view.current.link, calls: view.current.calls, agent: view.current.agent })}`));
      }, ms);
      const check = () => {
        if (!pred(view.current)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(view.current);
      };
      waiters.add(check);
    });
}
