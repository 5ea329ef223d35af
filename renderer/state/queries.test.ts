import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { invalidateCallLog, queryKeys } from './queries.js';

describe('call-log invalidation', () => {
  it('marks every call-log query stale and nothing else', async () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.callLogFor({ text: 'ada' }), []);
    client.setQueryData(queryKeys.callLogFor({}), []);
    client.setQueryData(queryKeys.profiles, { profiles: [], activeId: null });
    await invalidateCallLog(client);
    const state = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated;
    expect(state(queryKeys.callLogFor({ text: 'ada' }))).toBe(true);
    expect(state(queryKeys.callLogFor({}))).toBe(true);
    expect(state(queryKeys.profiles)).toBe(false);
  });
});
