import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Callback } from '../../shared/callbacks.js';
import { CallbackAlarm } from './callback-alarm.js';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const cb = (id: string, dueAt: number): Callback => ({ id, profileId: 'demo', number: '1102', dueAt, createdAt: T0 });

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CallbackAlarm', () => {
  it('announces those already due at once, then each one at its time, once', () => {
    let pending = [cb('past', T0 - 60_000), cb('soon', T0 + 60_000), cb('later', T0 + 7_200_000)];
    const due: string[] = [];
    const alarm = new CallbackAlarm({ pending: () => pending, onDue: (c) => due.push(c.id) });
    alarm.check();
    expect(due).toEqual(['past']);
    vi.advanceTimersByTime(59_999);
    expect(due).toEqual(['past']);
    vi.advanceTimersByTime(1);
    expect(due).toEqual(['past', 'soon']);
    alarm.check();
    expect(due).toEqual(['past', 'soon']);
    // Two hours on: the far one, across the hourly re-look.
    vi.advanceTimersByTime(7_200_000);
    expect(due).toEqual(['past', 'soon', 'later']);
    pending = [];
    alarm.stop();
  });

  it('announces a callback moved to a new time again at that time, and forgets one done', () => {
    let pending = [cb('a', T0 - 1)];
    const due: string[] = [];
    const alarm = new CallbackAlarm({ pending: () => pending, onDue: (c) => due.push(`${c.id}@${c.dueAt - T0}`) });
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
    const alarm = new CallbackAlarm({ pending: () => [cb('a', T0 + 1000)], onDue: (c) => due.push(c.id) });
    alarm.check();
    alarm.stop();
    vi.advanceTimersByTime(5000);
    alarm.check();
    expect(due).toEqual([]);
  });
});
