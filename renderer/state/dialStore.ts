// The number field, shared so click-to-dial elsewhere (call log, directory) fills it and dials.
import { create } from 'zustand';
import { Dialable } from '../../shared/commands.js';
import { sendCommand } from './commands.js';

interface DialState {
  number: string;
  /** Validation message for the current number, shown under the field. */
  error: string | null;
  busy: boolean;
  setNumber(number: string): void;
  /** Dial `to` (or the field's number); the field shows it until the call is accepted. */
  dial(to?: string): Promise<void>;
}

export const useDialStore = create<DialState>()((set, get) => ({
  number: '',
  error: null,
  busy: false,
  setNumber(number) {
    set({ number, error: null });
  },
  async dial(to) {
    const target = to ?? get().number;
    if (!target.trim()) {
      set({ error: 'Enter a number to dial' });
      return;
    }
    const parsed = Dialable.safeParse(target);
    if (!parsed.success) {
      set({ number: target, error: parsed.error.issues[0]?.message ?? 'not a dialable number' });
      return;
    }
    set({ number: target, error: null, busy: true });
    const ok = await sendCommand({ kind: 'makeCall', to: parsed.data });
    set(ok && get().number === target ? { number: '', busy: false } : { busy: false });
  },
}));
