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

function timePerFrame(frames: Buffer[], rounds: number, fn: (frame: Buffer) => unknown): number {
  for (const f of frames) fn(f); // warm-up
  const started = performance.now();
  for (let r = 0; r < rounds; r++) for (const f of frames) fn(f);
  return ((performance.now() - started) * 1000) / (rounds * frames.length);
}

export interface CodecFigures {
  codecUs: number;
  bareUs: number;
  ratio: number;
  /** Frames decoded per side and round set. */
  frames: number;
}

/**
 * A codec beside its bare reference on the same bytes: the two alternate over three rounds (to
 * spread machine noise evenly) and the best of each counts. `decode` says whether the codec accepted
 * the frame; a rejected sample frame is a bench error, not a figure.
 */
export function compareCodec(frames: Buffer[], rounds: number, bare: (frame: Buffer) => unknown, decode: (frame: Buffer) => boolean, what: string): CodecFigures {
  let failures = 0;
  const codec: number[] = [];
  const reference: number[] = [];
  for (let r = 0; r < 3; r++) {
    reference.push(timePerFrame(frames, rounds, bare));
    codec.push(
      timePerFrame(frames, rounds, (f) => {
        if (!decode(f)) failures += 1;
      }),
    );
  }
  if (failures) throw new Error(`${what} rejected ${failures} sample frames`);
  const codecUs = Math.min(...codec);
  const bareUs = Math.min(...reference);
  return { codecUs, bareUs, ratio: codecUs / bareUs, frames: frames.length * rounds };
}
