import { describe, expect, it } from 'vitest';
import { cleanDialInput, insertAt } from './dial.js';
import { elapsedSec, formatDuration, remainingSec } from './duration.js';
import { displayNumber, isRedialable, partyTitle, UNKNOWN_NUMBER, WITHHELD } from './party.js';
import { checkPromptInput } from './promptInput.js';
import { callbackPresets, dateTimeInputValue, dayEnd, dayStart, formatWhen, fromDateTimeInput } from './time.js';

describe('durations', () => {
  it('formats m:ss under an hour and h:mm:ss above', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(65.9)).toBe('1:05');
    expect(formatDuration(3599)).toBe('59:59');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(36_061)).toBe('10:01:01');
  });

  it('never shows a negative time', () => {
    expect(formatDuration(-3)).toBe('0:00');
    expect(elapsedSec(10_000, 9_000)).toBe(0);
  });

  it('counts elapsed and remaining seconds', () => {
    expect(elapsedSec(1_000, 62_500)).toBe(61);
    expect(remainingSec(0, 30, 10_200)).toBe(20);
    expect(remainingSec(0, 30, 45_000)).toBe(0);
  });
});

describe('parties and numbers', () => {
  it('shows withheld numbers as Withheld, never the placeholder', () => {
    expect(displayNumber({ number: '*****-ref', withheld: true })).toBe(WITHHELD);
    expect(partyTitle({ number: '*****-ref', withheld: true })).toBe(WITHHELD);
    expect(isRedialable({ number: '*****-ref', withheld: true })).toBe(false);
  });

  it('keeps numbers exactly as given (leading zeros and +)', () => {
    expect(displayNumber({ number: '004930123' })).toBe('004930123');
    expect(displayNumber({ number: '+4930123' })).toBe('+4930123');
  });

  it('names an empty or missing number', () => {
    expect(displayNumber({ number: '  ' })).toBe(UNKNOWN_NUMBER);
    expect(displayNumber(undefined)).toBe(UNKNOWN_NUMBER);
    expect(isRedialable({ number: '' })).toBe(false);
  });

  it('prefers the name as the title', () => {
    expect(partyTitle({ number: '123', name: 'Ada Lovelace' })).toBe('Ada Lovelace');
    expect(partyTitle({ number: '123', name: ' ' })).toBe('123');
  });
});

describe('cleaning pasted numbers', () => {
  it.each([
    ['tel:+44 (20) 7946-0018', '+442079460018'],
    ['callto://0049 30 123', '004930123'],
    ['sip:4711@pbx.example', '4711'],
    ['tel:+1-555-0100;ext=12', '+15550100'],
    ['  030 / 123 45-67 ', '0301234567'],
    ['*21#', '*21#'],
    ['call me: 12 34', '1234'],
  ])('%s → %s', (input, out) => {
    expect(cleanDialInput(input)).toBe(out);
  });

  it('inserts at the caret, replacing the selection', () => {
    expect(insertAt('0301', 1, 3, '99')).toEqual({ value: '0991', caret: 3 });
  });
});

describe('dates', () => {
  it('turns date inputs into local day bounds', () => {
    const start = dayStart('2026-11-24');
    const end = dayEnd('2026-11-24');
    expect(start).toBe(new Date(2026, 10, 24).getTime());
    expect(end).toBe(new Date(2026, 10, 25).getTime() - 1);
    expect(dayStart('')).toBeUndefined();
    expect(dayEnd('24.11.2026')).toBeUndefined();
  });

  it('shows only the time for today', () => {
    const now = new Date(2026, 10, 24, 15, 0).getTime();
    const today = formatWhen(new Date(2026, 10, 24, 9, 5).getTime(), now);
    const older = formatWhen(new Date(2026, 10, 20, 9, 5).getTime(), now);
    expect(today.length).toBeLessThan(older.length);
    expect(today).toMatch(/09|9/);
  });
});

describe('prompt input', () => {
  it('a number to dial is cleaned like a paste, and must be dialable', () => {
    expect(checkPromptInput('dial', 'tel:+44 (20) 7946-0018')).toEqual({ ok: true, value: '+442079460018' });
    expect(checkPromptInput('dial', 'Zoe Martin')).toMatchObject({ ok: false });
  });

  it('DTMF takes digits, * and #', () => {
    expect(checkPromptInput('dtmf', ' 12*# ')).toEqual({ ok: true, value: '12*#' });
    expect(checkPromptInput('dtmf', '12-3')).toMatchObject({ ok: false });
  });

  it('a transaction code is 1 to 16 digits; spaces between groups are dropped', () => {
    expect(checkPromptInput('code', '12 34')).toEqual({ ok: true, value: '1234' });
    expect(checkPromptInput('code', '12*4')).toEqual({ ok: false, error: 'Use digits only, up to 16' });
    expect(checkPromptInput('code', '1'.repeat(17))).toMatchObject({ ok: false });
    expect(checkPromptInput('code', '')).toMatchObject({ ok: false });
  });
});

describe('callback times', () => {
  it('round-trips a datetime-local value in local time, to the minute', () => {
    const at = new Date(2026, 11, 1, 14, 35, 42).getTime();
    expect(dateTimeInputValue(at)).toBe('2026-12-01T14:35');
    expect(fromDateTimeInput('2026-12-01T14:35')).toBe(new Date(2026, 11, 1, 14, 35).getTime());
    expect(fromDateTimeInput('')).toBeUndefined();
    expect(fromDateTimeInput('tomorrow')).toBeUndefined();
  });

  it('offers in 15 minutes and in an hour (to the next 5 minutes) and tomorrow at 9:00', () => {
    const now = new Date(2026, 11, 31, 16, 2, 10).getTime();
    expect(callbackPresets(now).map((p) => [p.label, dateTimeInputValue(p.at)])).toEqual([
      ['In 15 min', '2026-12-31T16:20'],
      ['In 1 hour', '2026-12-31T17:05'],
      ['Tomorrow 9:00', '2027-01-01T09:00'],
    ]);
  });
});
