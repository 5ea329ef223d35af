// Holds the agent's view (the reducer's state) in main and tells subscribers what changed.
import type { CtiEvent } from '../../shared/events.js';
import type { ViewState } from '../../shared/model.js';
import { initialView, reduce } from '../../shared/reducer.js';

export type ViewListener = (next: ViewState, prev: ViewState, event: CtiEvent) => void;

export class ViewStore {
  private state: ViewState;
  private readonly listeners = new Set<ViewListener>();

  constructor(now: () => number = Date.now) {
    this.state = initialView(now());
  }

  get current(): ViewState {
    return this.state;
  }

  apply(event: CtiEvent): void {
    const prev = this.state;
    const next = reduce(prev, event);
    if (next === prev) return;
    this.state = next;
    for (const l of this.listeners) {
      try {
        l(next, prev, event);
      } catch {
        // A failing listener (e.g. the call-log writer) must not stop the others.
      }
    }
  }

  subscribe(listener: ViewListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
