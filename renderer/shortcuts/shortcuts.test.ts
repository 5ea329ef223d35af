import { describe, expect, it } from 'vitest';
import { makeCall } from '../../shared/test-fixtures.js';
import { resolveShortcut, type KeyLike } from './shortcuts.js';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
const ctrl = { ctrlKey: true };

describe('resolveShortcut', () => {
  const active = makeCall('active', { state: 'connected', allowed: ['clear', 'hold'] });
  const ringing = makeCall('ringing', { state: 'alerting', allowed: ['answer', 'clear'] });
  const held = makeCall('held', { state: 'held', allowed: ['clear', 'retrieve'] });

  it('Ctrl+Enter answers a ringing call before hanging up the active one', () => {
    expect(resolveShortcut(key('Enter', ctrl), [active, ringing], false)).toEqual({ kind: 'command', command: { kind: 'answer', callId: 'ringing' } });
    expect(resolveShortcut(key('Enter', ctrl), [active], true)).toEqual({ kind: 'command', command: { kind: 'clear', callId: 'active' } });
    expect(resolveShortcut(key('Enter', { metaKey: true }), [active], false)).toMatchObject({ kind: 'command' });
  });

  it('only offers what the call allows', () => {
    const noClear = makeCall('x', { state: 'connected', allowed: ['hold'] });
    expect(resolveShortcut(key('Enter', ctrl), [noClear], false)).toBeNull();
    expect(resolveShortcut(key('Enter', ctrl), [], false)).toBeNull();
  });

  it('Ctrl+Shift+H holds the active call, else retrieves the held one', () => {
    const hold = key('H', { ctrlKey: true, shiftKey: true });
    expect(resolveShortcut(hold, [active, held], false)).toEqual({ kind: 'command', command: { kind: 'hold', callId: 'active' } });
    expect(resolveShortcut(hold, [held], false)).toEqual({ kind: 'command', command: { kind: 'retrieve', callId: 'held' } });
  });

  it('focus shortcuts and help', () => {
    expect(resolveShortcut(key('D', { ctrlKey: true, shiftKey: true }), [], false)).toEqual({ kind: 'focus', target: 'dial' });
    expect(resolveShortcut(key('f', { ctrlKey: true, shiftKey: true }), [], false)).toEqual({ kind: 'focus', target: 'directory' });
    expect(resolveShortcut(key('?'), [], false)).toEqual({ kind: 'help' });
    expect(resolveShortcut(key('?'), [], true)).toBeNull();
    expect(resolveShortcut(key('Enter'), [active], false)).toBeNull();
  });
});
