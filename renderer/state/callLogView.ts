// How the call log is filtered, shared so the phone panel's missed-calls badge can open it on
// the missed calls.
import { create } from 'zustand';

interface CallLogViewState {
  missedOnly: boolean;
  setMissedOnly(on: boolean): void;
}

export const useCallLogView = create<CallLogViewState>()((set) => ({
  missedOnly: false,
  setMissedOnly(on) {
    set({ missedOnly: on });
  },
}));
