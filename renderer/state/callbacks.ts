// Scheduled callbacks: the list from main (react-query), its changes, and the "call back later"
// draft a call-log row hands to the Callbacks tab.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { create } from 'zustand';
import type { CallbackInput } from '../../shared/callbacks.js';
import { request } from '../bridge/index.js';
import { useViewStore } from './viewStore.js';

export const callbacksKey = (profileId: string | null) => ['callbacks', profileId] as const;

export function useCallbacks() {
  const profileId = useViewStore((s) => s.view.profileId);
  return useQuery({ queryKey: callbacksKey(profileId), queryFn: () => request('callbacks.list', {}), enabled: profileId !== null });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['callbacks'] });
}

export function useSaveCallback() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (input: CallbackInput) => request('callbacks.save', input), onSettled: invalidate });
}

export function useFinishCallback() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ id, how }: { id: string; how: 'done' | 'delete' }) => {
      if (how === 'done') await request('callbacks.done', { id });
      else await request('callbacks.delete', { id });
    },
    onSettled: invalidate,
  });
}

/** What the schedule form starts from when a call-log row asks to call back later. */
export interface CallbackDraft {
  number: string;
  name?: string;
  fromCallId?: string;
}

export const useCallbackDraft = create<{ draft: CallbackDraft | null; set(d: CallbackDraft | null): void }>((set) => ({
  draft: null,
  set: (draft) => set({ draft }),
}));

/** How many wait past their time. */
export function dueCount(list: readonly { dueAt: number }[] | undefined, now: number): number {
  return list?.filter((c) => c.dueAt <= now).length ?? 0;
}
