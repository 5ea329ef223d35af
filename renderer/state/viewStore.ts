// The renderer's copy of main's ViewState. Only the sync loop writes it; components read the
// smallest slice they need.
import { create } from 'zustand';
import type { ViewState } from '../../shared/model.js';
import { initialView } from '../../shared/reducer.js';

export interface ViewStoreState {
  view: ViewState;
  rev: number;
  /** False until the first app.ready reply: the view is a placeholder. */
  synced: boolean;
}

export const createViewStore = () =>
  create<ViewStoreState>()(() => ({ view: { ...initialView(0), link: { state: 'connecting', since: 0, attempt: 0 } }, rev: 0, synced: false }));

export type ViewStore = ReturnType<typeof createViewStore>;

export const useViewStore = createViewStore();
