// Merging the vendor's own call history (the PBX's journal) into the local call log.
import type { CallLogRow } from '../../shared/calllog.js';

/** A vendor row and a local row closer in start time than this are the same call. */
export const DEFAULT_MERGE_TOLERANCE_MS = 120_000;

/** A merged row; a local row that absorbed a vendor row names it, so the UI can show both agree. */
export type MergedCallLogRow = CallLogRow & { vendorMatchId?: string };

/** Numbers compare without formatting: '+33 1 60-12' and '+33160 12' are the same number. */
function numberKey(n: string): string {
  return n.replace(/[^0-9+*#]/g, '');
}

function matchKey(r: CallLogRow): string {
  return `${r.direction}\u0000${numberKey(r.remoteNumber)}`;
}

function newestFirst(a: CallLogRow, b: CallLogRow): number {
  return b.startedAt - a.startedAt || a.id.localeCompare(b.id);
}

/**
 * Local rows always stay (they carry call data and exact times). A vendor row is dropped when it
 * matches a local row: same direction, same remote number (ignoring formatting) and start times
 * within `toleranceMs`. Matching is one-to-one, closest start times first, so two quick calls to
 * the same number keep both vendor rows apart. Unmatched vendor rows are included as source 'pbx'.
 */
export function mergeVendorHistory(
  local: readonly CallLogRow[],
  vendor: readonly CallLogRow[],
  toleranceMs = DEFAULT_MERGE_TOLERANCE_MS,
): MergedCallLogRow[] {
  const localByKey = new Map<string, number[]>();
  local.forEach((row, i) => {
    const key = matchKey(row);
    const list = localByKey.get(key);
    if (list) list.push(i);
    else localByKey.set(key, [i]);
  });

  const pairs: Array<{ localIndex: number; vendorIndex: number; gap: number }> = [];
  vendor.forEach((row, vendorIndex) => {
    for (const localIndex of localByKey.get(matchKey(row)) ?? []) {
      const gap = Math.abs((local[localIndex] as CallLogRow).startedAt - row.startedAt);
      if (gap <= toleranceMs) pairs.push({ localIndex, vendorIndex, gap });
    }
  });
  pairs.sort((a, b) => a.gap - b.gap || a.localIndex - b.localIndex || a.vendorIndex - b.vendorIndex);

  const matchOfLocal = new Map<number, string>();
  const matchedVendor = new Set<number>();
  for (const p of pairs) {
    if (matchOfLocal.has(p.localIndex) || matchedVendor.has(p.vendorIndex)) continue;
    matchOfLocal.set(p.localIndex, (vendor[p.vendorIndex] as CallLogRow).id);
    matchedVendor.add(p.vendorIndex);
  }

  const vendorById = new Map(vendor.map((row) => [row.id, row]));
  const merged: MergedCallLogRow[] = local.map((row, i) => {
    const vendorMatchId = matchOfLocal.get(i);
    if (vendorMatchId === undefined) return { ...row };
    // The vendor tracks whether a missed call was acknowledged; the local row takes that over.
    const acknowledged = vendorById.get(vendorMatchId)?.acknowledged;
    return { ...row, vendorMatchId, ...(acknowledged !== undefined ? { acknowledged } : {}) };
  });
  vendor.forEach((row, i) => {
    if (!matchedVendor.has(i)) merged.push({ ...row, source: 'pbx' });
  });
  return merged.sort(newestFirst);
}
