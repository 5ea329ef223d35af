// The desk's ring cadences: one cycle of tone bursts and silences, repeated while a call rings.
// Synthesized with Web Audio (no sound files to ship or allow in the CSP).
import type { RingToneId } from '../../shared/settings.js';

/** A burst of one or more sine tones (Hz) for `ms`; no frequencies is a silence. */
export interface RingSegment {
  freqs: number[];
  ms: number;
}

export interface RingTone {
  label: string;
  cycle: RingSegment[];
}

export const ringTones: Record<RingToneId, RingTone> = {
  // The British double ring: 400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
  double: {
    label: 'Double ring',
    cycle: [
      { freqs: [400, 450], ms: 400 },
      { freqs: [], ms: 200 },
      { freqs: [400, 450], ms: 400 },
      { freqs: [], ms: 2000 },
    ],
  },
  // The European ring (CEPT): 425 Hz, 1 s on, 4 s off; shortened to 3 s off so a call is not missed between rings.
  single: {
    label: 'Single ring',
    cycle: [
      { freqs: [425], ms: 1000 },
      { freqs: [], ms: 3000 },
    ],
  },
  chime: {
    label: 'Chime',
    cycle: [
      { freqs: [880], ms: 180 },
      { freqs: [], ms: 60 },
      { freqs: [660], ms: 360 },
      { freqs: [], ms: 2400 },
    ],
  },
  beep: {
    label: 'Beep',
    cycle: [
      { freqs: [1000], ms: 150 },
      { freqs: [], ms: 150 },
      { freqs: [1000], ms: 150 },
      { freqs: [], ms: 2550 },
    ],
  },
};

export function cycleMs(tone: RingTone): number {
  return tone.cycle.reduce((sum, s) => sum + s.ms, 0);
}

/** A tone burst placed in time (seconds on the audio clock). */
export interface ScheduledBurst {
  freqs: number[];
  start: number;
  end: number;
}

/** The bursts of one cycle starting at `at` (seconds). */
export function cycleBursts(tone: RingTone, at: number): ScheduledBurst[] {
  const bursts: ScheduledBurst[] = [];
  let t = at;
  for (const s of tone.cycle) {
    const end = t + s.ms / 1000;
    if (s.freqs.length) bursts.push({ freqs: s.freqs, start: t, end });
    t = end;
  }
  return bursts;
}
