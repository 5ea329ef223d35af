import { describe, expect, it } from 'vitest';
import { cycleBursts, cycleMs, ringTones } from './ringTones.js';
import { Ringer, type RingerAudio, type RingerStatus } from './ringer.js';

/** A stand-in AudioContext that records what the ringer schedules on its clock. */
class FakeAudio {
  currentTime = 0;
  state: AudioContextState = 'running';
  readonly destination = { name: 'destination' } as unknown as AudioNode;
  readonly oscillators: { freq: number; start: number; stop: number | null; stoppedEarly: boolean }[] = [];
  readonly gains: { value: number; connected: boolean }[] = [];
  readonly sinks: string[] = [];
  missingSinks = new Set<string>();
  resumeAllowed = true;
  private stateListeners: (() => void)[] = [];

  createOscillator(): OscillatorNode {
    const rec = { freq: 0, start: -1, stop: null as number | null, stoppedEarly: false };
    this.oscillators.push(rec);
    return {
      type: 'sine',
      frequency: {
        set value(v: number) {
          rec.freq = v;
        },
      },
      connect: () => {},
      start: (t: number) => {
        rec.start = t;
      },
      stop: (t?: number) => {
        if (t === undefined) rec.stoppedEarly = true;
        else rec.stop = t;
      },
      onended: null,
    } as unknown as OscillatorNode;
  }

  createGain(): GainNode {
    const rec = { value: 1, connected: false };
    this.gains.push(rec);
    const param = {
      set value(v: number) {
        rec.value = v;
      },
      get value() {
        return rec.value;
      },
      setValueAtTime: () => {},
      linearRampToValueAtTime: () => {},
    };
    return {
      gain: param,
      connect: () => {
        rec.connected = true;
      },
      disconnect: () => {
        rec.connected = false;
      },
    } as unknown as GainNode;
  }

  async resume(): Promise<void> {
    if (!this.resumeAllowed) return new Promise(() => {});
    this.setState('running');
  }

  async suspend(): Promise<void> {
    this.setState('suspended');
  }

  async setSinkId(id: string): Promise<void> {
    if (this.missingSinks.has(id)) throw new DOMException('device not found', 'NotFoundError');
    this.sinks.push(id);
  }

  addEventListener(_type: 'statechange', l: () => void): void {
    this.stateListeners.push(l);
  }

  setState(s: AudioContextState): void {
    this.state = s;
    for (const l of this.stateListeners) l();
  }
}

/** Timers the test fires by hand. */
class ManualTimers {
  private next = 1;
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  setTimeout(fn: () => void, ms: number): number {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(id: unknown): void {
    this.pending.delete(id as number);
  }
  fireAll(): void {
    const due = [...this.pending.entries()];
    this.pending.clear();
    for (const [, t] of due) t.fn();
  }
}

function rig() {
  const audio = new FakeAudio();
  const timers = new ManualTimers();
  let made = 0;
  const ringer = new Ringer(() => {
    made += 1;
    return audio as unknown as RingerAudio;
  }, timers);
  const statuses: RingerStatus[] = [];
  ringer.onStatus((s) => statuses.push(s));
  return { audio, timers, ringer, statuses, contexts: () => made };
}

const play = { deviceId: '', volume: 0.5, tone: 'double' as const };

describe('ring tones', () => {
  it('lays one cycle out in time, silences left out', () => {
    expect(cycleMs(ringTones.double)).toBe(3000);
    expect(cycleBursts(ringTones.double, 10)).toEqual([
      { freqs: [400, 450], start: 10, end: 10.4 },
      { freqs: [400, 450], start: 10.6, end: 11 },
    ]);
    for (const tone of Object.values(ringTones)) expect(cycleMs(tone)).toBeLessThanOrEqual(4000);
  });
});

describe('Ringer', () => {
  it('plays the cadence at the chosen volume, cycle after cycle, until stopped', async () => {
    const r = rig();
    await r.ringer.ring(play);
    expect(r.ringer.current).toEqual({ state: 'ringing' });
    expect(r.audio.gains[0]).toEqual({ value: 0.5, connected: true });
    expect(r.audio.oscillators.map((o) => [o.freq, o.start, o.stop])).toEqual([
      [400, 0.05, 0.45],
      [450, 0.05, 0.45],
      [400, 0.65, 1.05],
      [450, 0.65, 1.05],
    ]);
    // The next cycle is queued before this one ends.
    expect([...r.timers.pending.values()].map((t) => t.ms)).toEqual([2750]);
    r.audio.currentTime = 2.8;
    r.timers.fireAll();
    expect(r.audio.oscillators.slice(4).map((o) => o.start)).toEqual([3.05, 3.05, 3.65, 3.65]);

    r.ringer.stop();
    expect(r.ringer.current).toEqual({ state: 'idle' });
    expect(r.audio.oscillators.every((o) => o.stoppedEarly)).toBe(true);
    expect(r.timers.pending.size).toBe(0);
    expect(r.audio.state).toBe('suspended');
    // The context is kept for the next ring (the page's permission to sound goes with it).
    await r.ringer.ring(play);
    expect(r.contexts()).toBe(1);
    expect(r.ringer.current.state).toBe('ringing');
  });

  it('a test ring plays one cycle and goes quiet by itself', async () => {
    const r = rig();
    await r.ringer.ring({ ...play, tone: 'chime' }, 1);
    expect(r.audio.oscillators.map((o) => o.freq)).toEqual([880, 660]);
    expect([...r.timers.pending.values()].map((t) => t.ms)).toEqual([cycleMs(ringTones.chime)]);
    r.timers.fireAll();
    expect(r.ringer.current.state).toBe('idle');
    expect(r.audio.oscillators).toHaveLength(2);
  });

  it('sends the ring to the chosen output once, and to the default with the device named when it is gone', async () => {
    const r = rig();
    await r.ringer.ring({ ...play, deviceId: 'spk-1', deviceLabel: 'Speakers' });
    await r.ringer.ring({ ...play, deviceId: 'spk-1', deviceLabel: 'Speakers' });
    expect(r.audio.sinks).toEqual(['spk-1']);
    r.audio.missingSinks.add('usb-9');
    await r.ringer.ring({ ...play, deviceId: 'usb-9', deviceLabel: 'USB headset' });
    expect(r.audio.sinks).toEqual(['spk-1', '']);
    expect(r.ringer.current).toEqual({ state: 'ringing', fallback: 'USB headset' });
  });

  it('says it is blocked while the browser keeps the sound off, and rings once the agent clicks', async () => {
    const r = rig();
    r.audio.state = 'suspended';
    r.audio.resumeAllowed = false;
    await r.ringer.ring(play);
    expect(r.ringer.current.state).toBe('blocked');
    // The frozen clock gets one cycle queued, not one per timer tick.
    const queued = r.audio.oscillators.length;
    r.timers.fireAll();
    r.timers.fireAll();
    expect(r.audio.oscillators).toHaveLength(queued);
    r.audio.resumeAllowed = true;
    r.ringer.unblock();
    await Promise.resolve();
    expect(r.ringer.current.state).toBe('ringing');
    expect(r.statuses.map((s) => s.state)).toEqual(['blocked', 'ringing']);
  });
});
