import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { invalidateAdminRecords, invalidateCallLog, queryKeys } from './queries.js';

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

describe('admin invalidation', () => {
  it('marks the profile’s admin lists and records stale, not its schema nor another profile’s', async () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.adminSchema('iv'), { title: '', entities: [] });
    client.setQueryData(queryKeys.adminList('iv', 'agents'), []);
    client.setQueryData(queryKeys.adminList('iv', 'agentLines', '1001'), []);
    client.setQueryData(queryKeys.adminRecord('iv', 'agents', '1001'), { key: '1001', fields: {} });
    client.setQueryData(queryKeys.adminList('other', 'agents'), []);
    client.setQueryData(queryKeys.profiles, { profiles: [], activeId: null });
    await invalidateAdminRecords(client, 'iv');
    const state = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated;
    expect(state(queryKeys.adminList('iv', 'agents'))).toBe(true);
    expect(state(queryKeys.adminList('iv', 'agentLines', '1001'))).toBe(true);
    expect(state(queryKeys.adminRecord('iv', 'agents', '1001'))).toBe(true);
    expect(state(queryKeys.adminSchema('iv'))).toBe(false);
    expect(state(queryKeys.adminList('other', 'agents'))).toBe(false);
    expect(state(queryKeys.profiles)).toBe(false);
  });
});
