// The agent's notes on calls: saved through main into the call log, read back from the call-log
// rows already fetched (the note shows where the call does).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { CallLogRow } from '../../shared/calllog.js';
import { request } from '../bridge/index.js';
import { invalidateCallLog, queryKeys } from './queries.js';

export function useSaveNote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) => request('calllog.setNote', { id, note }),
    onSettled: () => invalidateCallLog(client),
  });
}

/** The note the call log holds for a call, from any call-log page in the cache (kept current as pages refetch). */
export function useLoggedNote(callId: string): string | undefined {
  const client = useQueryClient();
  const cache = client.getQueryCache();
  const read = () => {
    for (const [, rows] of client.getQueriesData<CallLogRow[]>({ queryKey: queryKeys.callLog })) {
      const row = rows?.find((r) => r.id === callId);
      if (row) return row.note;
    }
    return undefined;
  };
  return useSyncExternalStore((notify) => cache.subscribe(notify), read);
}
