// Timers: m:ss under an hour, h:mm:ss above; never negative.

export function formatDuration(totalSec: number): string {
  const s = Math.max(0, Math.floor(totalSec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Whole seconds from `since` to `now` (epoch ms), clamped at 0 for clock skew. */
export function elapsedSec(since: number, now: number): number {
  return Math.max(0, Math.floor((now - since) / 1000));
}

/** Seconds left of a `timeoutSec` countdown that started at `since`. */
export function remainingSec(since: number, timeoutSec: number, now: number): number {
  return Math.max(0, Math.ceil(timeoutSec - (now - since) / 1000));
}
