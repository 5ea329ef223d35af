// Keyboard shortcuts in the window: what a key press does given the calls on screen and the
// user's keys (shared/shortcuts.ts holds the actions, the defaults and the call logic). Pure, so it
// is tested and the help lists exactly what is handled.
import type { Command } from '../../shared/commands.js';
import type { Call, ViewState } from '../../shared/model.js';
import {
  answerOrHangUp,
  comboOf,
  effectiveKeys,
  emptyShortcutSettings,
  holdOrRetrieve,
  type KeyCombo,
  type KeyLike,
  recordToggle,
  type ShortcutAction,
  shortcutActions,
} from '../../shared/shortcuts.js';
import { transactionCodeTarget } from '../controls/agentControls.js';
import type { OpenPrompt } from '../state/promptStore.js';

export type ShortcutEffect =
  | { kind: 'command'; command: Command }
  | { kind: 'focus'; target: 'dial' | 'directory' | 'calllog' }
  | { kind: 'prompt'; prompt: OpenPrompt }
  | { kind: 'help' };

/** What else the shortcuts look at besides the calls; without it, the vendor's capabilities are not checked. */
export type ShortcutContext = Pick<ViewState, 'capabilities' | 'agent' | 'pop' | 'ended'>;

/** Each action's key as buttons announce it (aria-keyshortcuts), or nothing when switched off. */
export type KeyMap = Record<ShortcutAction, KeyCombo | null>;

export const defaultKeyMap: KeyMap = effectiveKeys(emptyShortcutSettings);

/** What each shortcut does, for the help table and the settings. */
export const shortcutDoes: Record<ShortcutAction, string> = {
  answerOrHangUp: 'Answer the incoming call, or hang up the active call',
  holdOrRetrieve: 'Hold the active call, or retrieve the held call',
  record: 'Start recording the active call, or pause / resume its recording',
  transactionCode: 'Enter the transaction code of the ACD call',
  focusDial: 'Go to the number field',
  focusDirectory: 'Search the directory',
  focusCallLog: 'Search the call log',
  help: 'Show this help',
};

/** A combination as the help shows it: Ctrl+Shift+H. */
export function comboLabel(combo: KeyCombo): string {
  return combo.replace(/Control/g, 'Ctrl').replace(/ArrowUp/, '↑').replace(/ArrowDown/, '↓').replace(/ArrowLeft/, '←').replace(/ArrowRight/, '→');
}

function codePrompt(calls: readonly Call[], ctx: ShortcutContext): OpenPrompt | null {
  const target = transactionCodeTarget({ ...ctx, calls: Object.fromEntries(calls.map((c) => [c.id, c])) });
  return target ? { callId: target.callId, action: 'transactionCode', place: target.place } : null;
}

const command = (c: Command | null): ShortcutEffect | null => (c ? { kind: 'command', command: c } : null);

/**
 * `typing` is true when focus is in a text field: there a combination without Ctrl or Alt ('?',
 * F-keys aside) is just typing.
 */
export function resolveShortcut(e: KeyLike, calls: readonly Call[], typing: boolean, ctx?: ShortcutContext, keys: KeyMap = defaultKeyMap): ShortcutEffect | null {
  const combo = comboOf(e);
  if (!combo) return null;
  const action = shortcutActions.find((a) => keys[a] === combo);
  if (!action) return null;
  const bare = !e.ctrlKey && !e.metaKey && !e.altKey;
  if (typing && bare && !/^F\d+$/.test(combo)) return null;
  const can = (kind: string) => !ctx || ctx.capabilities.includes(kind);
  switch (action) {
    case 'answerOrHangUp':
      return command(answerOrHangUp(calls));
    case 'holdOrRetrieve':
      return command(holdOrRetrieve(calls));
    case 'record':
      return command(can('record') ? recordToggle(calls) : null);
    case 'transactionCode': {
      const prompt = ctx ? codePrompt(calls, ctx) : null;
      return prompt ? { kind: 'prompt', prompt } : null;
    }
    case 'focusDial':
      return { kind: 'focus', target: 'dial' };
    case 'focusDirectory':
      return { kind: 'focus', target: 'directory' };
    case 'focusCallLog':
      return { kind: 'focus', target: 'calllog' };
    case 'help':
      return { kind: 'help' };
  }
}
