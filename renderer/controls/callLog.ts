// Missed calls in the call log: which rows are missed, which the vendor still counts as not
// acknowledged, the "Missed" filter, and when the log needs fetching again. Pure.
import type { CallLogRow } from '../../shared/calllog.js';
import type { ViewState } from '../../shared/model.js';

/** An inbound call nobody answered here; a row carrying an acknowledgement flag is one by definition. */
export function isMissed(row: Pick<CallLogRow, 'outcome' | 'acknowledged'>): boolean {
  return row.acknowledged !== undefined || row.outcome === 'missed' || row.outcome === 'abandoned';
}

/** A missed call the vendor tracks and the agent has not acknowledged yet. */
export const isUnacknowledged = (row: Pick<CallLogRow, 'acknowledged'>): boolean => row.acknowledged === false;

export interface CallLogFilter {
  missedOnly: boolean;
}

export function filterCallLog<R extends Pick<CallLogRow, 'outcome' | 'acknowledged'>>(rows: readonly R[], f: CallLogFilter): R[] {
  return f.missedOnly ? rows.filter(isMissed) : [...rows];
}

export const unacknowledgedCount = (rows: readonly Pick<CallLogRow, 'acknowledged'>[]): number => rows.filter(isUnacknowledged).length;

/** The vendor's missed-call counter moved: rows were added or acknowledged elsewhere (the phone, another client). */
export function missedCountChanged(prev: Pick<ViewState, 'features'>, next: Pick<ViewState, 'features'>): boolean {
  return prev.features.missedCalls !== next.features.missedCalls;
}
