import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Callback } from '../../shared/callbacks.js';
import { CallbackAlarm, callbacksDueText } from './callback-alarm.js';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const cb = (id: string, dueAt: number): Callback => ({ id, profileId: 'demo', number: '1102', dueAt, createdAt: T0 });

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CallbackAlarm', () => {
  it('announces those already due at once, together, then each one at its time, once', () => {
    let pending = [cb('past', T0 - 60_000), cb('past2', T0 - 1), cb('soon', T0 + 60_000), cb('later', T0 + 7_200_000)];
    const due: string[] = [];
    const alarm = new CallbackAlarm({ pending: () => pending, onDue: (list) => due.push(list.map((c) => c.id).join('+')) });
    alarm.check();
    expect(due).toEqual(['past+past2']);
    vi.advanceTimersByTime(59_999);
    expect(due).toEqual(['past+past2']);
    vi.advanceTimersByTime(1);
    expect(due).toEqual(['past+past2', 'soon']);
    alarm.check();
    expect(due).toEqual(['past+past2', 'soon']);
    // Two hours on: the far one, across the hourly re-look.
    vi.advanceTimersByTime(7_200_000);
    expect(due).toEqual(['past+past2', 'soon', 'later']);
    pending = [];
    alarm.stop();
  });

  it('announces a callback moved to a new time again at that time, and forgets one done', () => {
    let pending = [cb('a', T0 - 1)];
    const due: string[] = [];
    const alarm = new CallbackAlarm({ pending: () => pending, onDue: (list) => due.push(...list.map((c) => `${c.id}@${c.dueAt - T0}`)) });
    alarm.check();
    pending = [cb('a', T0 + 10_000)];
    alarm.check();
    vi.advanceTimersByTime(10_000);
    expect(due).toEqual(['a@-1', 'a@10000']);
    pending = [];
    alarm.check();
    vi.advanceTimersByTime(3_600_000);
    expect(due).toHaveLength(2);
    alarm.stop();
  });

  it('stays quiet once stopped', () => {
    const due: string[] = [];
    const alarm = new CallbackAlarm({ pending: () => [cb('a', T0 + 1000)], onDue: (list) => due.push(...list.map((c) => c.id)) });
    alarm.check();
    alarm.stop();
    vi.advanceTimersByTime(5000);
    alarm.check();
    expect(due).toEqual([]);
  });
});

describe('callbacksDueText', () => {
  it('names one callback with its note, a few by name, and a backlog by count', () => {
    const named = (id: string, name?: string, note?: string): Callback => ({ ...cb(id, T0), number: `0${id}`, ...(name ? { name } : {}), ...(note ? { note } : {}) });
    expect(callbacksDueText([named('1', 'Sophie Lefebvre', 'quote for the flat')])).toBe('Callback due: Sophie Lefebvre (01), quote for the flat');
    expect(callbacksDueText([named('1', 'Sophie'), named('2')])).toBe('2 callbacks due: Sophie (01) and 02');
    expect(callbacksDueText([named('1'), named('2'), named('3'), named('4'), named('5')])).toBe('5 callbacks due: 01, 02, 03 and 2 more');
  });
});
