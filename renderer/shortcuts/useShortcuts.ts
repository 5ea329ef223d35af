// Window-level keyboard shortcuts (see shortcuts.ts for the table).
import { useEffect } from 'react';
import { orderedCalls } from '../../shared/reducer.js';
import type { WorkTab } from '../components/WorkTabs.js';
import { sendCommand } from '../state/commands.js';
import { usePromptStore } from '../state/promptStore.js';
import { useKeyMap } from '../state/settings.js';
import { useViewStore } from '../state/viewStore.js';
import { resolveShortcut } from './shortcuts.js';

interface ShortcutHandlers {
  openHelp(): void;
  showTab(tab: WorkTab): void;
}

const focusIds = { dial: 'dial-number', directory: 'directory-search', calllog: 'calllog-search' } as const;

function isTextField(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && el.type !== 'checkbox' && el.type !== 'button');
}

export function useShortcuts({ openHelp, showTab }: ShortcutHandlers): void {
  const keys = useKeyMap();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A key being recorded for a shortcut is not also run.
      if (e.defaultPrevented) return;
      const view = useViewStore.getState().view;
      const effect = resolveShortcut(e, orderedCalls(view), isTextField(document.activeElement), view, keys);
      if (!effect) return;
      e.preventDefault();
      if (effect.kind === 'command') void sendCommand(effect.command);
      else if (effect.kind === 'prompt') usePromptStore.getState().show(effect.prompt);
      else if (effect.kind === 'help') openHelp();
      else {
        if (effect.target !== 'dial') showTab(effect.target);
        // The tab's panel mounts on the next frame.
        requestAnimationFrame(() => document.getElementById(focusIds[effect.target])?.focus());
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openHelp, showTab, keys]);
}
