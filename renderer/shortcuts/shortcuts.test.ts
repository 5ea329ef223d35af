import { describe, expect, it } from 'vitest';
import type { AgentInfo } from '../../shared/model.js';
import { makeCall, makeView } from '../../shared/test-fixtures.js';
import type { KeyLike } from '../../shared/shortcuts.js';
import { defaultKeyMap, resolveShortcut } from './shortcuts.js';

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

describe('recording and transaction-code shortcuts', () => {
  const recKey = key('E', { ctrlKey: true, shiftKey: true });
  const codeKey = key('k', { ctrlKey: true, shiftKey: true });
  const ctx = (capabilities: string[], agent: AgentInfo | null = null, ended: Record<string, number> = {}) =>
    makeView([], { capabilities, agent, ended });

  it('Ctrl+Shift+E starts recording the active call, then pauses and resumes it', () => {
    const call = (recording?: 'recording' | 'paused') => makeCall('c', { state: 'connected', allowed: ['record'], ...(recording ? { recording } : {}) });
    const action = (c: ReturnType<typeof call>) => resolveShortcut(recKey, [c], false, ctx(['record']));
    expect(action(call())).toEqual({ kind: 'command', command: { kind: 'record', callId: 'c', action: 'start' } });
    expect(action(call('recording'))).toEqual({ kind: 'command', command: { kind: 'record', callId: 'c', action: 'pause' } });
    expect(action(call('paused'))).toEqual({ kind: 'command', command: { kind: 'record', callId: 'c', action: 'resume' } });
  });

  it('Ctrl+Shift+E does nothing unless the call allows recording and the vendor supports it', () => {
    const c = makeCall('c', { state: 'connected', allowed: ['record'] });
    expect(resolveShortcut(recKey, [c], false, ctx(['hold']))).toBeNull();
    expect(resolveShortcut(recKey, [makeCall('d', { state: 'connected', allowed: ['hold'] })], false, ctx(['record']))).toBeNull();
    expect(resolveShortcut(recKey, [makeCall('e', { state: 'held', allowed: ['record'] })], false, ctx(['record']))).toBeNull();
  });

  it('Ctrl+Shift+K opens the transaction-code prompt where the code goes', () => {
    const live = makeCall('acd', { allowed: ['transactionCode'] });
    expect(resolveShortcut(codeKey, [live], true, ctx(['transactionCode']))).toEqual({
      kind: 'prompt',
      prompt: { callId: 'acd', action: 'transactionCode', place: 'call' },
    });
    const waiting: AgentInfo = { state: 'wrapUp', since: 0, permitted: [], services: [], awaitingCode: true };
    expect(resolveShortcut(codeKey, [], false, ctx(['transactionCode'], waiting, { gone: 7 }))).toEqual({
      kind: 'prompt',
      prompt: { callId: 'gone', action: 'transactionCode', place: 'agent' },
    });
    expect(resolveShortcut(codeKey, [live], false, ctx([]))).toBeNull();
    expect(resolveShortcut(codeKey, [live], false)).toBeNull();
  });
});

describe('the user keys', () => {
  const active = makeCall('active', { state: 'connected', allowed: ['clear', 'hold'] });
  const keys = { ...defaultKeyMap, answerOrHangUp: 'F8', holdOrRetrieve: null, help: 'Control+H' };

  it('runs a changed key, and no longer the default it replaced', () => {
    expect(resolveShortcut(key('F8'), [active], false, undefined, keys)).toEqual({ kind: 'command', command: { kind: 'clear', callId: 'active' } });
    expect(resolveShortcut(key('Enter', ctrl), [active], false, undefined, keys)).toBeNull();
    expect(resolveShortcut(key('h', ctrl), [], false, undefined, keys)).toEqual({ kind: 'help' });
  });

  it('does nothing for a shortcut switched off', () => {
    expect(resolveShortcut(key('H', { ctrlKey: true, shiftKey: true }), [active], false, undefined, keys)).toBeNull();
  });

  it('lets a function key work in a text field, where a plain sign is typing', () => {
    expect(resolveShortcut(key('F8'), [active], true, undefined, keys)).toMatchObject({ kind: 'command' });
    expect(resolveShortcut(key('?', { shiftKey: true }), [], true)).toBeNull();
  });
});
