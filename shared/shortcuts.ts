// Keyboard shortcuts as data: the actions, their default keys, the user's own keys (in the window
// and, for call control, system-wide), and what a call action does given the calls. Pure, so the
// renderer (keys in the window) and main (global keys, answered while another app has focus)
// decide the same way.
import { z } from 'zod';
import type { Command } from './commands.js';
import type { Call } from './model.js';

export const shortcutActions = ['answerOrHangUp', 'holdOrRetrieve', 'record', 'transactionCode', 'focusDial', 'focusDirectory', 'focusCallLog', 'help'] as const;
export type ShortcutAction = (typeof shortcutActions)[number];

/** The actions that may also work while another application has focus: plain call control. */
export const globalShortcutActions = ['answerOrHangUp', 'holdOrRetrieve'] as const satisfies readonly ShortcutAction[];
export type GlobalShortcutAction = (typeof globalShortcutActions)[number];

const modifiers = ['Control', 'Alt', 'Shift'] as const;
const namedKeys = ['Enter', 'Space', 'Tab', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'];
const functionKey = /^F([1-9]|1[0-9]|2[0-4])$/;

/**
 * A key combination as `aria-keyshortcuts` writes it: modifiers in the order Control, Alt, Shift,
 * then one key (a capital letter, a digit, a printable sign, a named key or F1–F24). Cmd on macOS
 * counts as Control, as everywhere in the app.
 */
export const KeyCombo = z
  .string()
  .max(40)
  .refine((s) => parseCombo(s) !== null, 'a key combination such as Control+Shift+H');
export type KeyCombo = z.infer<typeof KeyCombo>;

export function parseCombo(s: string): { mods: (typeof modifiers)[number][]; key: string } | null {
  const parts = s.split('+');
  // "Control++" is Control and the plus key.
  if (s.endsWith('++')) parts.splice(-2, 2, '+');
  const key = parts.pop();
  if (!key) return null;
  const mods = modifiers.filter((m) => parts.includes(m));
  // Each modifier once, known, in the canonical order.
  if (mods.length !== parts.length || mods.some((m, i) => parts[i] !== m)) return null;
  const printable = key.length === 1 && key >= '!' && key <= '~' && !(key >= 'a' && key <= 'z');
  if (!printable && !namedKeys.includes(key) && !functionKey.test(key)) return null;
  // Without Control or Alt a letter or digit is typing, not a shortcut (a sign such as ? is fine outside text fields).
  const bare = !mods.includes('Control') && !mods.includes('Alt');
  if (bare && (/^[A-Z0-9]$/.test(key) || ['Enter', 'Space', 'Tab', 'Backspace', 'Delete'].includes(key))) return null;
  return { mods, key };
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The combination a key press makes, in KeyCombo's spelling; null for a lone modifier. */
export function comboOf(e: KeyLike): string | null {
  if (['Control', 'Alt', 'Shift', 'Meta', 'AltGraph', 'CapsLock', 'Dead', 'Unidentified', ''].includes(e.key)) return null;
  const key = e.key === ' ' ? 'Space' : e.key.length === 1 ? e.key.toUpperCase() : e.key;
  const mods = [e.ctrlKey || e.metaKey ? 'Control' : null, e.altKey ? 'Alt' : null, e.shiftKey ? 'Shift' : null].filter(Boolean);
  // A sign typed with Shift ('?' is Shift+/ on many layouts) is the sign itself.
  const sign = key.length === 1 && !/[A-Z0-9]/.test(key);
  const shown = sign ? mods.filter((m) => m !== 'Shift') : mods;
  return [...shown, key].join('+');
}

export const defaultShortcutKeys: Record<ShortcutAction, KeyCombo> = {
  answerOrHangUp: 'Control+Enter',
  holdOrRetrieve: 'Control+Shift+H',
  record: 'Control+Shift+E',
  transactionCode: 'Control+Shift+K',
  focusDial: 'Control+Shift+D',
  focusDirectory: 'Control+Shift+F',
  focusCallLog: 'Control+Shift+L',
  help: '?',
};

/** The user's shortcuts: a changed key (null switches the shortcut off) and the system-wide ones. */
export const ShortcutSettings = z
  .object({
    keys: z.partialRecord(z.enum(shortcutActions), KeyCombo.nullable()).default({}),
    global: z.partialRecord(z.enum(globalShortcutActions), KeyCombo).default({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const [combo, actions] of conflicts(effectiveKeys(s))) ctx.addIssue({ code: 'custom', path: ['keys'], message: `${combo} is set for more than one shortcut (${actions.join(', ')})` });
    for (const [combo, actions] of conflicts(s.global)) ctx.addIssue({ code: 'custom', path: ['global'], message: `${combo} is set for more than one system-wide shortcut (${actions.join(', ')})` });
  });
export type ShortcutSettings = z.infer<typeof ShortcutSettings>;

export const emptyShortcutSettings: ShortcutSettings = { keys: {}, global: {} };

/** Each action's key now: the user's, else the default; null when switched off. */
export function effectiveKeys(s: Pick<ShortcutSettings, 'keys'>): Record<ShortcutAction, KeyCombo | null> {
  const out = { ...defaultShortcutKeys } as Record<ShortcutAction, KeyCombo | null>;
  for (const a of shortcutActions) if (s.keys[a] !== undefined) out[a] = s.keys[a] ?? null;
  return out;
}

/** Combinations given to more than one action. */
export function conflicts(keys: Partial<Record<string, string | null>>): [string, string[]][] {
  const by = new Map<string, string[]>();
  for (const [action, combo] of Object.entries(keys)) if (combo) by.set(combo, [...(by.get(combo) ?? []), action]);
  return [...by].filter(([, actions]) => actions.length > 1);
}

/** Electron's accelerator for a combination: Control becomes CommandOrControl, so Cmd works on macOS. */
export function acceleratorOf(combo: KeyCombo): string {
  const p = parseCombo(combo);
  if (!p) throw new Error(`not a key combination: ${combo}`);
  const key = { ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right', '+': 'Plus' }[p.key] ?? p.key;
  return [...p.mods.map((m) => (m === 'Control' ? 'CommandOrControl' : m)), key].join('+');
}

const first = (calls: readonly Call[], state: Call['state'][], action: Call['allowed'][number]) =>
  calls.find((c) => state.includes(c.state) && c.allowed.includes(action));

/** Answer beats hang up, so a second call ringing in never hangs up the first by accident. */
export function answerOrHangUp(calls: readonly Call[]): Command | null {
  const ringing = first(calls, ['alerting', 'queued'], 'answer');
  if (ringing) return { kind: 'answer', callId: ringing.id };
  const active = first(calls, ['connected'], 'clear') ?? first(calls, ['dialing', 'ringing'], 'clear');
  return active ? { kind: 'clear', callId: active.id } : null;
}

export function holdOrRetrieve(calls: readonly Call[]): Command | null {
  const active = first(calls, ['connected'], 'hold');
  if (active) return { kind: 'hold', callId: active.id };
  const held = first(calls, ['held'], 'retrieve');
  return held ? { kind: 'retrieve', callId: held.id } : null;
}

/** Start recording the active call; pause a recording; resume a paused one. Stop stays a button. */
export function recordToggle(calls: readonly Call[]): Command | null {
  const active = first(calls, ['connected'], 'record');
  if (!active) return null;
  const action = active.recording === 'recording' ? 'pause' : active.recording === 'paused' ? 'resume' : 'start';
  return { kind: 'record', callId: active.id, action };
}

/** What a system-wide shortcut does now, from the calls in main's view. */
export function globalShortcutCommand(action: GlobalShortcutAction, calls: readonly Call[]): Command | null {
  return action === 'answerOrHangUp' ? answerOrHangUp(calls) : holdOrRetrieve(calls);
}


/** What main says about system-wide shortcuts: whether this host can have them, and which keys another app holds. */
export interface GlobalShortcutStatus {
  available: boolean;
  /** Why not, when not available (the web host has no system-wide keys). */
  reason?: string;
  /** Actions whose key could not be taken (another application has it). */
  failed: GlobalShortcutAction[];
}
