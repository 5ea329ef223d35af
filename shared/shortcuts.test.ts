import { describe, expect, it } from 'vitest';
import { makeCall } from './test-fixtures.js';
import { acceleratorOf, comboOf, effectiveKeys, globalShortcutCommand, type KeyLike, parseCombo, ShortcutSettings } from './shortcuts.js';
import { UserSettings } from './settings.js';

const press = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('key combinations', () => {
  it('spells a key press the way aria-keyshortcuts does, Cmd as Control', () => {
    expect(comboOf(press('h', { ctrlKey: true, shiftKey: true }))).toBe('Control+Shift+H');
    expect(comboOf(press('Enter', { metaKey: true }))).toBe('Control+Enter');
    expect(comboOf(press('?', { shiftKey: true }))).toBe('?');
    expect(comboOf(press(' ', { altKey: true }))).toBe('Alt+Space');
    expect(comboOf(press('F8'))).toBe('F8');
    expect(comboOf(press('Shift', { shiftKey: true }))).toBeNull();
  });

  it('accepts shortcuts and refuses what is typing or malformed', () => {
    for (const ok of ['Control+Enter', 'Control+Shift+H', 'Alt+1', 'F8', 'Shift+F12', '?', 'Control++', 'Control+Alt+Shift+ArrowUp']) expect(parseCombo(ok), ok).not.toBeNull();
    for (const bad of ['H', 'Shift+H', '5', 'Enter', 'Shift+Space', 'Shift+Control+H', 'Control+Control+H', 'Meta+H', 'Control+h', 'Control+', 'Control+F25', 'Control+Foo', '']) expect(parseCombo(bad), bad).toBeNull();
    expect(parseCombo('Control++')).toEqual({ mods: ['Control'], key: '+' });
  });

  it("gives Electron accelerators that work with Cmd on macOS", () => {
    expect(acceleratorOf('Control+Shift+A')).toBe('CommandOrControl+Shift+A');
    expect(acceleratorOf('Alt+ArrowUp')).toBe('Alt+Up');
    expect(acceleratorOf('Control++')).toBe('CommandOrControl+Plus');
    expect(acceleratorOf('F9')).toBe('F9');
  });
});

describe('shortcut settings', () => {
  it('overlays the user keys on the defaults; null switches one off', () => {
    const keys = effectiveKeys(ShortcutSettings.parse({ keys: { answerOrHangUp: 'F8', help: null } }));
    expect(keys.answerOrHangUp).toBe('F8');
    expect(keys.help).toBeNull();
    expect(keys.holdOrRetrieve).toBe('Control+Shift+H');
  });

  it('refuses a key given to two shortcuts, including a default one, and two system-wide ones', () => {
    const clash = ShortcutSettings.safeParse({ keys: { answerOrHangUp: 'Control+Shift+H' } });
    expect(clash.success).toBe(false);
    expect(clash.error?.issues[0]?.message).toBe('Control+Shift+H is set for more than one shortcut (answerOrHangUp, holdOrRetrieve)');
    // Moving the other one away first makes it fine.
    expect(ShortcutSettings.safeParse({ keys: { answerOrHangUp: 'Control+Shift+H', holdOrRetrieve: 'F9' } }).success).toBe(true);
    expect(ShortcutSettings.safeParse({ global: { answerOrHangUp: 'F7', holdOrRetrieve: 'F7' } }).success).toBe(false);
  });

  it('refuses unknown actions, non-call actions system-wide, and unknown settings', () => {
    expect(ShortcutSettings.safeParse({ keys: { dance: 'F8' } }).success).toBe(false);
    expect(ShortcutSettings.safeParse({ global: { focusDial: 'F8' } }).success).toBe(false);
    expect(UserSettings.safeParse({ theme: 'dark' }).success).toBe(false);
    expect(UserSettings.parse({})).toEqual({ shortcuts: { keys: {}, global: {} }, ringer: { enabled: false, deviceId: '', volume: 0.6, tone: 'double' } });
  });
});

describe('system-wide shortcuts', () => {
  const active = makeCall('active', { state: 'connected', allowed: ['clear', 'hold'] });
  const ringing = makeCall('ringing', { state: 'alerting', allowed: ['answer'] });
  const held = makeCall('held', { state: 'held', allowed: ['retrieve'] });

  it('answer before hang up, hold before retrieve, nothing when no call allows it', () => {
    expect(globalShortcutCommand('answerOrHangUp', [active, ringing])).toEqual({ kind: 'answer', callId: 'ringing' });
    expect(globalShortcutCommand('answerOrHangUp', [active])).toEqual({ kind: 'clear', callId: 'active' });
    expect(globalShortcutCommand('holdOrRetrieve', [active, held])).toEqual({ kind: 'hold', callId: 'active' });
    expect(globalShortcutCommand('holdOrRetrieve', [held])).toEqual({ kind: 'retrieve', callId: 'held' });
    expect(globalShortcutCommand('answerOrHangUp', [held])).toBeNull();
  });
});
