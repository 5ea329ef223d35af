// The user's settings from main (react-query: main owns them, the renderer asks and saves), and
// the key map they make, which the window's shortcuts and the buttons' aria-keyshortcuts follow.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { SettingsReply } from '../../shared/bridge.js';
import type { UserSettings } from '../../shared/settings.js';
import { effectiveKeys, emptyShortcutSettings } from '../../shared/shortcuts.js';
import { request } from '../bridge/index.js';
import type { KeyMap } from '../shortcuts/shortcuts.js';

export const settingsKey = ['settings'] as const;

export function useSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: () => request('settings.get', {}), staleTime: Infinity });
}

export function useKeyMap(): KeyMap {
  const shortcuts = useSettings().data?.settings.shortcuts;
  // One object per settings value: the window's key listener is re-attached only when keys change.
  return useMemo(() => effectiveKeys(shortcuts ?? emptyShortcutSettings), [shortcuts]);
}

/** Saves one part of the settings (the shortcuts, the ringer) over what main last said, keeping the rest. */
export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (part: Partial<UserSettings>) => {
      const current = client.getQueryData<SettingsReply>(settingsKey)?.settings;
      return request('settings.save', { settings: { ...current, ...part } });
    },
    onSuccess: (reply: SettingsReply) => client.setQueryData(settingsKey, reply),
  });
}
