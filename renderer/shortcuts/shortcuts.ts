// Keyboard shortcuts: what each key does given the calls on screen. Pure, so it is tested and
// the help popover lists exactly what is handled.
import type { Command } from '../../shared/commands.js';
import type { Call } from '../../shared/model.js';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export type ShortcutEffect =
  | { kind: 'command'; command: Command }
  | { kind: 'focus'; target: 'dial' | 'directory' | 'calllog' }
  | { kind: 'help' };

export interface ShortcutHelp {
  keys: string;
  does: string;
}

export const shortcutHelp: ShortcutHelp[] = [
  { keys: 'Ctrl+Enter', does: 'Answer the incoming call, or hang up the active call' },
  { keys: 'Ctrl+Shift+H', does: 'Hold the active call, or retrieve the held call' },
  { keys: 'Ctrl+Shift+D', does: 'Go to the number field' },
  { keys: 'Ctrl+Shift+F', does: 'Search the directory' },
  { keys: 'Ctrl+Shift+L', does: 'Search the call log' },
  { keys: '?', does: 'Show these shortcuts' },
  { keys: 'Esc', does: 'Close a dialog or number prompt' },
];

const first = (calls: readonly Call[], state: Call['state'][], action: Call['allowed'][number]) =>
  calls.find((c) => state.includes(c.state) && c.allowed.includes(action));

/** Answer beats hang up, so a second call ringing in never hangs up the first by accident. */
function answerOrHangUp(calls: readonly Call[]): Command | null {
  const ringing = first(calls, ['alerting', 'queued'], 'answer');
  if (ringing) return { kind: 'answer', callId: ringing.id };
  const active = first(calls, ['connected'], 'clear') ?? first(calls, ['dialing', 'ringing'], 'clear');
  return active ? { kind: 'clear', callId: active.id } : null;
}

function holdOrRetrieve(calls: readonly Call[]): Command | null {
  const active = first(calls, ['connected'], 'hold');
  if (active) return { kind: 'hold', callId: active.id };
  const held = first(calls, ['held'], 'retrieve');
  return held ? { kind: 'retrieve', callId: held.id } : null;
}

/** `typing` is true when focus is in a text field, where '?' is just a character. */
export function resolveShortcut(e: KeyLike, calls: readonly Call[], typing: boolean): ShortcutEffect | null {
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && !e.shiftKey && !e.altKey && e.key === 'Enter') {
    const command = answerOrHangUp(calls);
    return command ? { kind: 'command', command } : null;
  }
  if (ctrl && e.shiftKey && !e.altKey) {
    switch (e.key.toLowerCase()) {
      case 'h': {
        const command = holdOrRetrieve(calls);
        return command ? { kind: 'command', command } : null;
      }
      case 'd':
        return { kind: 'focus', target: 'dial' };
      case 'f':
        return { kind: 'focus', target: 'directory' };
      case 'l':
        return { kind: 'focus', target: 'calllog' };
    }
  }
  if (!typing && !ctrl && !e.altKey && e.key === '?') return { kind: 'help' };
  return null;
}
