// Percentiles and formatting for the benchmarks.
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function summarize(values: number[]): { n: number; p50: number; p99: number; max: number; mean: number } {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN, mean };
}

export const ms = (v: number) => `${v.toFixed(2)} ms`;

/** Epoch milliseconds with sub-millisecond precision, comparable with a page's performance.timeOrigin + now(). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
