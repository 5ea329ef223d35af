// The one inline "which number / which code?" prompt open at a time: on a call row, or in the
// agent panel (a transaction code for a call that has already ended). A store rather than
// component state so the keyboard shortcuts can open it too.
import { create } from 'zustand';
import type { PromptAction } from '../controls/callButtons.js';

export type PromptPlace = 'call' | 'agent';

export interface OpenPrompt {
  callId: string;
  action: PromptAction;
  place: PromptPlace;
}

const same = (a: OpenPrompt | null, b: OpenPrompt) => a !== null && a.callId === b.callId && a.action === b.action && a.place === b.place;

interface PromptState {
  open: OpenPrompt | null;
  show(p: OpenPrompt): void;
  /** Open it, or close it when it is the one open. */
  toggle(p: OpenPrompt): void;
  /** Close it if it is still the one open (a reply may arrive after the agent opened another). */
  closeIf(p: OpenPrompt): void;
  close(): void;
}

export const usePromptStore = create<PromptState>()((set, get) => ({
  open: null,
  show(p) {
    set({ open: p });
  },
  toggle(p) {
    set({ open: same(get().open, p) ? null : p });
  },
  closeIf(p) {
    if (same(get().open, p)) set({ open: null });
  },
  close() {
    set({ open: null });
  },
}));
