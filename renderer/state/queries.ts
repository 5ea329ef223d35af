// Request/response data through react-query: the call log, the directory, the profiles and the
// admin view's schema and records.
// Call and agent state are pushed and never live here.
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { AdminDeleteRequest, AdminSaveRequest } from '../../shared/admin.js';
import type { CallLogQueryInput } from '../../shared/calllog.js';
import type { ProfileSecret, ProfileSummary, Profile } from '../../shared/profile.js';
import type { DirectoryEntry } from '../../shared/model.js';
import { request } from '../bridge/index.js';
import { sendCommand } from './commands.js';
import { useViewStore } from './viewStore.js';

export const queryKeys = {
  callLog: ['calllog'] as const,
  callLogFor: (q: CallLogQueryInput) => ['calllog', q] as const,
  directory: (text: string) => ['directory', text] as const,
  profiles: ['profiles'] as const,
  /** Everything the admin view fetched, per profile (another profile is another server). */
  admin: (profileId: string | null) => ['admin', profileId] as const,
  adminSchema: (profileId: string | null) => ['admin', profileId, 'schema'] as const,
  adminList: (profileId: string | null, entity: string, parentKey?: string) => ['admin', profileId, 'list', entity, parentKey ?? null] as const,
  adminRecord: (profileId: string | null, entity: string, key: string, parentKey?: string) => ['admin', profileId, 'get', entity, parentKey ?? null, key] as const,
};

/** Calls ended: the call log has new rows. */
export function invalidateCallLog(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: queryKeys.callLog });
}

export function useCallLog(q: CallLogQueryInput) {
  return useQuery({
    queryKey: queryKeys.callLogFor(q),
    queryFn: () => request('calllog.query', q),
    placeholderData: keepPreviousData,
  });
}

/**
 * Acknowledge missed calls (call-log row ids; none = all of them). The call log is fetched again
 * either way, so the rows show what the vendor now holds.
 */
export function useAcknowledgeMissed() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => sendCommand({ kind: 'acknowledgeMissed', ids }),
    onSettled: () => invalidateCallLog(client),
  });
}

export const DIRECTORY_MIN_CHARS = 2;

export function useDirectory(text: string, limit = 50) {
  const trimmed = text.trim();
  return useQuery({
    queryKey: queryKeys.directory(trimmed),
    queryFn: () => request('cti.query', { kind: 'directory', text: trimmed, limit }) as Promise<DirectoryEntry[]>,
    enabled: trimmed.length >= DIRECTORY_MIN_CHARS,
    staleTime: 60_000,
    retry: false,
    placeholderData: keepPreviousData,
  });
}

export function useProfiles() {
  return useQuery({ queryKey: queryKeys.profiles, queryFn: () => request('profiles.list', {}), staleTime: 30_000 });
}

/** The profile the session runs, from the session's profileId. */
export function useActiveProfile(): ProfileSummary | undefined {
  const profileId = useViewStore((s) => s.view.profileId);
  const { data } = useProfiles();
  return data?.profiles.find((p) => p.profile.id === profileId);
}

function useProfileMutation<TArgs, TResult>(fn: (args: TArgs) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.profiles }) });
}

export interface SaveProfileArgs {
  profile: Profile;
  secret?: ProfileSecret;
}

export const useSaveProfile = () => useProfileMutation((a: SaveProfileArgs) => request('profiles.save', a));
export const useDeleteProfile = () => useProfileMutation((id: string) => request('profiles.delete', { id }));
export const useActivateProfile = () => useProfileMutation((id: string) => request('profiles.activate', { id }));
export const useImportProfile = () => useProfileMutation((json: string) => request('profiles.import', { json }));

/** The entities the server lets an administrator edit (only asked for when the session has the admin capability). */
export function useAdminSchema(enabled = true) {
  const profileId = useViewStore((s) => s.view.profileId);
  return useQuery({ queryKey: queryKeys.adminSchema(profileId), queryFn: () => request('admin.schema', {}), enabled, staleTime: 5 * 60_000, retry: false });
}

export function useAdminList(entity: string, parentKey?: string) {
  const profileId = useViewStore((s) => s.view.profileId);
  return useQuery({
    queryKey: queryKeys.adminList(profileId, entity, parentKey),
    queryFn: async () => (await request('admin.list', { entity, ...(parentKey !== undefined ? { parentKey } : {}) })).records,
    retry: false,
  });
}

/** One record in full (the list may carry only the listed fields); none while `key` is null. */
export function useAdminRecord(entity: string, key: string | null, parentKey?: string) {
  const profileId = useViewStore((s) => s.view.profileId);
  return useQuery({
    queryKey: queryKeys.adminRecord(profileId, entity, key ?? '', parentKey),
    queryFn: () => request('admin.get', { entity, key: key ?? '', ...(parentKey !== undefined ? { parentKey } : {}) }),
    enabled: key !== null,
    retry: false,
  });
}

/** A change fetches the profile's admin lists and records again (a delete or a rename can touch other rows, and children); not the schema. */
export function invalidateAdminRecords(client: QueryClient, profileId: string | null): Promise<void> {
  return client.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'admin' && q.queryKey[1] === profileId && q.queryKey[2] !== 'schema' });
}

function useAdminMutation<TArgs, TResult>(fn: (args: TArgs) => Promise<TResult>) {
  const client = useQueryClient();
  const profileId = useViewStore((s) => s.view.profileId);
  // The admin form shows a refusal next to itself (role=alert), so no toast on top of it.
  return useMutation({ mutationFn: fn, meta: { errorShownInline: true }, onSuccess: () => invalidateAdminRecords(client, profileId) });
}

export const useAdminSave = () => useAdminMutation((req: AdminSaveRequest) => request('admin.save', req));
export const useAdminDelete = () => useAdminMutation((req: AdminDeleteRequest) => request('admin.delete', req));
