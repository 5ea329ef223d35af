import { describe, expect, it } from 'vitest';
import { callActions } from '../../shared/model.js';
import { makeCall } from '../../shared/test-fixtures.js';
import { callButtons, promptCommand, recordOps, rejectRun } from './callButtons.js';

const ALL = [...callActions];
const ids = (bs: ReturnType<typeof callButtons>) => bs.map((b) => b.testId);

describe('call buttons', () => {
  it('shows an action only when the call allows it and the vendor supports it', () => {
    const call = makeCall('c1', { allowed: ['hold', 'clear', 'record', 'callBack'] });
    expect(ids(callButtons(call, ['hold', 'clear', 'callBack'], false))).toEqual(['call-action-clear', 'call-action-hold', 'call-action-callBack']);
    expect(callButtons(makeCall('c2', { allowed: [] }), ALL, false)).toEqual([]);
  });

  it('recording: start, then pause and stop, then resume and stop', () => {
    const rec = (recording?: 'recording' | 'paused') => makeCall('c', { allowed: ['record'], ...(recording ? { recording } : {}) });
    expect(ids(callButtons(rec(), ALL, false))).toEqual(['call-action-record-start']);
    expect(ids(callButtons(rec('recording'), ALL, false))).toEqual(['call-action-record-pause', 'call-action-record-stop']);
    expect(ids(callButtons(rec('paused'), ALL, false))).toEqual(['call-action-record-resume', 'call-action-record-stop']);
    const [pause] = callButtons(rec('recording'), ALL, false);
    expect(pause?.run).toEqual({ kind: 'command', command: { kind: 'record', callId: 'c', action: 'pause' } });
    expect(recordOps(undefined)).toEqual(['start']);
  });

  it('call back is a plain command, the transaction code opens a digits prompt', () => {
    const call = makeCall('c', { state: 'ringing', direction: 'outbound', allowed: ['callBack', 'transactionCode'] });
    const [back, code] = callButtons(call, ALL, false);
    expect(back).toMatchObject({ label: 'Call back', run: { kind: 'command', command: { kind: 'callBack', callId: 'c' } } });
    expect(code).toMatchObject({ testId: 'call-action-transactionCode', ariaLabel: 'Enter transaction code', run: { kind: 'prompt', action: 'transactionCode' } });
    expect(promptCommand('transactionCode', 'c', '4711')).toEqual({ kind: 'transactionCode', callId: 'c', code: '4711' });
  });

  it('transfer asks for a number unless a consultation pair is on screen', () => {
    const call = makeCall('c', { allowed: ['transfer'] });
    expect(callButtons(call, ALL, false)[0]).toMatchObject({ label: 'Transfer…', run: { kind: 'prompt', action: 'transfer' } });
    expect(callButtons(call, ALL, true)[0]).toMatchObject({ label: 'Complete transfer', run: { kind: 'command', command: { kind: 'transfer', callId: 'c' } } });
  });

  it('hang up reads as Decline while ringing in and Cancel while ringing out', () => {
    const label = (state: 'alerting' | 'ringing' | 'connected') => callButtons(makeCall('c', { state, allowed: ['clear'] }), ALL, false)[0]?.label;
    expect(label('alerting')).toBe('Decline');
    expect(label('ringing')).toBe('Cancel');
    expect(label('connected')).toBe('Hang up');
  });

  it('announces the keyboard shortcuts of the buttons that have one', () => {
    const call = makeCall('c', { allowed: ['answer', 'hold', 'record', 'park'] });
    const keys = Object.fromEntries(callButtons(call, ALL, false).map((b) => [b.testId, b.keyShortcuts]));
    expect(keys).toEqual({
      'call-action-answer': 'Control+Enter',
      'call-action-hold': 'Control+Shift+H',
      'call-action-park': undefined,
      'call-action-record-start': 'Control+Shift+E',
    });
  });
});

describe('what the vendor does not offer stays hidden', () => {
  it('an alerting call without answer in allowed has no Answer button', () => {
    const call = makeCall('c', { state: 'alerting', allowed: ['clear', 'redirect'] });
    const buttons = ids(callButtons(call, ALL, false));
    expect(buttons).not.toContain('call-action-answer');
    expect(buttons).toEqual(['call-action-clear', 'call-action-redirect']);
  });

  it('no Complete transfer on a consultation pair whose calls lack transfer', () => {
    const held = makeCall('a', { state: 'held', allowed: ['retrieve', 'clear'] });
    const consult = makeCall('b', { state: 'connected', isConsultation: true, allowed: ['clear', 'reconnect'] });
    for (const call of [held, consult]) {
      const buttons = callButtons(call, ALL, true);
      expect(buttons.map((b) => b.label)).not.toContain('Complete transfer');
      expect(buttons.map((b) => b.action)).not.toContain('transfer');
    }
  });

  it('an action the call allows but the vendor lacks stays hidden too', () => {
    const call = makeCall('c', { state: 'alerting', allowed: ['answer', 'clear'] });
    expect(ids(callButtons(call, ['clear'], false))).toEqual(['call-action-clear']);
  });
});

describe('reject (CTIPS)', () => {
  const offered = makeCall('c9', { state: 'alerting', allowed: ['answer', 'clear', 'reject'] });

  it('is offered only when the call allows it and the vendor supports it', () => {
    expect(ids(callButtons(offered, ['answer', 'clear'], false))).toEqual(['call-action-answer', 'call-action-clear']);
    expect(ids(callButtons(makeCall('c', { allowed: ['answer'] }), ALL, false))).toEqual(['call-action-answer']);
  });

  it('without reject reasons it rejects at once, without a reason', () => {
    const reject = callButtons(offered, ALL, false).find((b) => b.testId === 'call-action-reject');
    expect(reject).toMatchObject({ label: 'Reject', tone: 'danger', run: { kind: 'command', command: { kind: 'reject', callId: 'c9' } } });
    expect(rejectRun('c9', [])).toEqual({ kind: 'command', command: { kind: 'reject', callId: 'c9' } });
  });

  it('with the site’s reject reasons it opens a menu, each sending its id', () => {
    const reasons = [
      { id: '3', label: 'Busy' },
      { id: '4', label: 'Wrong skill' },
    ];
    const reject = callButtons(offered, ALL, false, reasons).find((b) => b.testId === 'call-action-reject');
    expect(reject?.ariaLabel).toBe('Reject with a reason');
    expect(reject?.run).toEqual({
      kind: 'choose',
      title: 'Reject reason',
      choices: [
        { id: '3', label: 'Busy', command: { kind: 'reject', callId: 'c9', reason: '3' } },
        { id: '4', label: 'Wrong skill', command: { kind: 'reject', callId: 'c9', reason: '4' } },
      ],
    });
  });
});
