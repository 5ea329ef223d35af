// Keyboard shortcuts: what each key does given the calls on screen. Pure, so it is tested and
// the help popover lists exactly what is handled.
import type { Command } from '../../shared/commands.js';
import type { Call, ViewState } from '../../shared/model.js';
import { transactionCodeTarget } from '../controls/agentControls.js';
import type { OpenPrompt } from '../state/promptStore.js';

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
  | { kind: 'prompt'; prompt: OpenPrompt }
  | { kind: 'help' };

/** What else the shortcuts look at besides the calls; without it, the vendor's capabilities are not checked. */
export type ShortcutContext = Pick<ViewState, 'capabilities' | 'agent' | 'pop' | 'ended'>;

/** The keys, as buttons announce them (aria-keyshortcuts). */
export const shortcutKeys = {
  answerOrHangUp: 'Control+Enter',
  holdOrRetrieve: 'Control+Shift+H',
  record: 'Control+Shift+E',
  transactionCode: 'Control+Shift+K',
} as const;

export interface ShortcutHelp {
  keys: string;
  does: string;
}

export const shortcutHelp: ShortcutHelp[] = [
  { keys: 'Ctrl+Enter', does: 'Answer the incoming call, or hang up the active call' },
  { keys: 'Ctrl+Shift+H', does: 'Hold the active call, or retrieve the held call' },
  { keys: 'Ctrl+Shift+E', does: 'Start recording the active call, or pause / resume its recording' },
  { keys: 'Ctrl+Shift+K', does: 'Enter the transaction code of the ACD call' },
  { keys: 'Ctrl+Shift+D', does: 'Go to the number field' },
  { keys: 'Ctrl+Shift+F', does: 'Search the directory' },
  { keys: 'Ctrl+Shift+L', does: 'Search the call log' },
  { keys: '?', does: 'Show this help' },
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

/** Start recording the active call; pause a recording; resume a paused one. Stop stays a button. */
function recordToggle(calls: readonly Call[]): Command | null {
  const active = first(calls, ['connected'], 'record');
  if (!active) return null;
  const action = active.recording === 'recording' ? 'pause' : active.recording === 'paused' ? 'resume' : 'start';
  return { kind: 'record', callId: active.id, action };
}

function codePrompt(calls: readonly Call[], ctx: ShortcutContext): OpenPrompt | null {
  const target = transactionCodeTarget({ ...ctx, calls: Object.fromEntries(calls.map((c) => [c.id, c])) });
  return target ? { callId: target.callId, action: 'transactionCode', place: target.place } : null;
}

/** `typing` is true when focus is in a text field, where '?' is just a character. */
export function resolveShortcut(e: KeyLike, calls: readonly Call[], typing: boolean, ctx?: ShortcutContext): ShortcutEffect | null {
  const ctrl = e.ctrlKey || e.metaKey;
  const can = (kind: string) => !ctx || ctx.capabilities.includes(kind);
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
      case 'e': {
        const command = can('record') ? recordToggle(calls) : null;
        return command ? { kind: 'command', command } : null;
      }
      case 'k': {
        const prompt = ctx ? codePrompt(calls, ctx) : null;
        return prompt ? { kind: 'prompt', prompt } : null;
      }
    }
  }
  if (!typing && !ctrl && !e.altKey && e.key === '?') return { kind: 'help' };
  return null;
}
