import { describe, expect, it } from 'vitest';
import { makeView } from '../../shared/test-fixtures.js';
import { filterCallLog, isMissed, isUnacknowledged, missedCountChanged, unacknowledgedCount } from './callLog.js';
import { missedCallsText, overflowState, overflowSummary, voicemailText } from './features.js';

const row = (id: string, outcome: string, acknowledged?: boolean) => ({ id, outcome, ...(acknowledged !== undefined ? { acknowledged } : {}) });

describe('missed calls in the call log', () => {
  const rows = [row('a', 'answered'), row('b', 'missed'), row('c', 'missed', false), row('d', 'missed', true), row('e', 'abandoned'), row('f', 'unanswered')];

  it('tells missed rows, and the ones not acknowledged yet', () => {
    expect(rows.filter(isMissed).map((r) => r.id)).toEqual(['b', 'c', 'd', 'e']);
    expect(rows.filter(isUnacknowledged).map((r) => r.id)).toEqual(['c']);
    // A vendor-tracked row is a missed call whatever its outcome says.
    expect(isMissed(row('g', 'redirected', false))).toBe(true);
    expect(unacknowledgedCount(rows)).toBe(1);
  });

  it('the Missed filter keeps missed calls only, the rest stays as it is', () => {
    expect(filterCallLog(rows, { missedOnly: true }).map((r) => r.id)).toEqual(['b', 'c', 'd', 'e']);
    expect(filterCallLog(rows, { missedOnly: false })).toEqual(rows);
  });

  it('the call log is stale when the vendor missed-call counter moves', () => {
    const at = (missedCalls?: number) => makeView([], { features: { forwards: [], dnd: false, messageWaiting: false, ...(missedCalls !== undefined ? { missedCalls } : {}) } });
    expect(missedCountChanged(at(2), at(3))).toBe(true);
    expect(missedCountChanged(at(3), at(0))).toBe(true);
    expect(missedCountChanged(at(), at(1))).toBe(true);
    expect(missedCountChanged(at(2), at(2))).toBe(false);
    expect(missedCountChanged(at(), at())).toBe(false);
  });
});

describe('phone features', () => {
  it('overflow reads as off, a route, or not reported', () => {
    expect(overflowSummary(null)).toBe('Off');
    expect(overflowSummary({ type: 'busyNoAnswer', to: 'voicemail' })).toBe('To voicemail when busy or not answered');
    expect(overflowSummary({ type: 'busy', to: 'associate' })).toBe('To associate when busy');
    expect(overflowSummary(undefined)).toBeNull();
    expect([overflowState(null), overflowState({ type: 'noAnswer', to: 'voicemail' }), overflowState(undefined)]).toEqual(['off', 'noAnswer', 'unknown']);
  });

  it('voicemail shows a count when the vendor gives one', () => {
    expect(voicemailText({ messageWaiting: true, voiceMessages: 2 })).toEqual({ on: true, text: '2 voice messages' });
    expect(voicemailText({ messageWaiting: false, voiceMessages: 1 })).toEqual({ on: true, text: '1 voice message' });
    expect(voicemailText({ messageWaiting: true })).toEqual({ on: true, text: 'Voicemail waiting' });
    expect(voicemailText({ messageWaiting: false, voiceMessages: 0 })).toEqual({ on: false, text: 'No new voicemail' });
    expect(missedCallsText(1)).toBe('1 missed call');
    expect(missedCallsText(4)).toBe('4 missed calls');
  });
});
