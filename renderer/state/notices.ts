// Which of the ViewState's notices are new and should pop up as toasts.
import type { Notice } from '../../shared/model.js';

/** On first load, notices older than this are history, not news. */
export const NOTICE_FRESH_MS = 60_000;

export const noticeKey = (n: Notice): string => `${n.id}:${n.at}:${n.code}`;

/**
 * Notices in `next` not yet in `seen` (ids restart when the session changes, so the key includes
 * the time). `seen` is updated. When `initial`, stale notices are marked seen without showing.
 */
export function freshNotices(next: readonly Notice[], seen: Set<string>, now: number, initial: boolean): Notice[] {
  const fresh: Notice[] = [];
  for (const n of next) {
    const key = noticeKey(n);
    if (seen.has(key)) continue;
    seen.add(key);
    if (initial && now - n.at > NOTICE_FRESH_MS) continue;
    fresh.push(n);
  }
  return fresh;
}
