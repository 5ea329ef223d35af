// Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with ±30 % jitter so a site's
// desktops do not reconnect in lock-step after a server restart.
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const jitter = 1 + (random() * 2 - 1) * 0.3;
  return Math.max(0, Math.round(Math.min(maxMs, base * jitter)));
}
