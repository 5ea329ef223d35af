// The desk's ringer: plays the chosen ring cadence on the chosen audio output while a call rings.
// One AudioContext for the page's life (a browser lets a page that was once clicked resume it
// later; a new one might start blocked), suspended while quiet so its audio thread sleeps.
import type { RingerSettings } from '../../shared/settings.js';
import { cycleBursts, cycleMs, ringTones, type RingTone } from './ringTones.js';

/** The part of AudioContext the ringer uses (setSinkId: Chromium 110+, Electron). */
export interface RingerAudio {
  readonly currentTime: number;
  readonly state: AudioContextState | 'interrupted';
  readonly destination: AudioNode;
  createOscillator(): OscillatorNode;
  createGain(): GainNode;
  resume(): Promise<void>;
  suspend(): Promise<void>;
  setSinkId?: (sinkId: string) => Promise<void>;
  addEventListener(type: 'statechange', listener: () => void): void;
}

/**
 * What the ringer is doing: `ringing`; `blocked` while the browser keeps sound off until the agent
 * clicks in the page; `idle`. `fallback` names the chosen device when it could not be used and the
 * ring went to the system default instead.
 */
export interface RingerStatus {
  state: 'idle' | 'ringing' | 'blocked';
  fallback?: string;
}

export type RingerPlay = Pick<RingerSettings, 'deviceId' | 'volume' | 'tone'> & { deviceLabel?: string | undefined };

/** Scheduling this far ahead of a cycle's end keeps the ring seamless when timers run late. */
const LOOKAHEAD_MS = 250;
/** Ramps at each burst's edges, so tones start and end without a click. */
const EDGE_S = 0.012;

interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export class Ringer {
  private ctx: RingerAudio | null = null;
  private master: GainNode | null = null;
  private oscillators = new Set<OscillatorNode>();
  private timer: unknown = null;
  private nextAt = 0;
  /** The output the context plays on; a new context plays on the system default (''). */
  private sink = '';
  private status: RingerStatus = { state: 'idle' };
  private readonly listeners = new Set<(s: RingerStatus) => void>();
  /** Bumped by every ring/stop, so a late sink change of an old ring does nothing. */
  private generation = 0;

  constructor(
    private readonly makeContext: () => RingerAudio = () => new AudioContext() as unknown as RingerAudio,
    private readonly timers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id as number) },
  ) {}

  get current(): RingerStatus {
    return this.status;
  }

  onStatus(listener: (s: RingerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ring until stop(); `cycles` limits it (the settings' "Test" plays one). */
  async ring(play: RingerPlay, cycles = Infinity): Promise<void> {
    this.halt();
    const generation = ++this.generation;
    const ctx = this.context();
    const fallback = await this.useDevice(ctx, play);
    if (generation !== this.generation) return;
    const master = ctx.createGain();
    master.gain.value = play.volume;
    master.connect(ctx.destination);
    this.master = master;
    // Resuming needs the page to have been clicked once; until then the ring waits, and says so.
    void ctx.resume().catch(() => {});
    const tone = ringTones[play.tone];
    this.nextAt = ctx.currentTime + 0.05;
    this.schedule(ctx, tone, cycles, generation);
    this.setStatus({ state: ctx.state === 'running' ? 'ringing' : 'blocked', ...(fallback ? { fallback } : {}) });
  }

  stop(): void {
    this.generation++;
    this.halt();
    if (this.ctx && this.ctx.state === 'running') void this.ctx.suspend().catch(() => {});
    this.setStatus({ state: 'idle' });
  }

  /** The agent clicked to allow sound: a resume inside a click is always allowed. */
  unblock(): void {
    void this.ctx?.resume().catch(() => {});
  }

  private context(): RingerAudio {
    if (this.ctx) return this.ctx;
    const ctx = this.makeContext();
    ctx.addEventListener('statechange', () => {
      if (this.status.state === 'idle') return;
      const state = ctx.state === 'running' ? 'ringing' : 'blocked';
      if (state !== this.status.state) this.setStatus({ ...this.status, state });
    });
    this.ctx = ctx;
    return ctx;
  }

  /** Route the context to the chosen output; a device that is gone falls back to the default, with its name. */
  private async useDevice(ctx: RingerAudio, play: RingerPlay): Promise<string | undefined> {
    if (!ctx.setSinkId || this.sink === play.deviceId) return undefined;
    try {
      await ctx.setSinkId(play.deviceId);
      this.sink = play.deviceId;
      return undefined;
    } catch {
      if (this.sink !== '') {
        await ctx.setSinkId('').catch(() => {});
        this.sink = '';
      }
      return play.deviceLabel || 'the chosen speaker';
    }
  }

  private schedule(ctx: RingerAudio, tone: RingTone, cycles: number, generation: number): void {
    if (generation !== this.generation || !this.master || cycles <= 0) return;
    const length = cycleMs(tone);
    // A suspended (blocked) clock does not move: keep one cycle queued ahead of it, no more.
    if (this.nextAt - ctx.currentTime > length / 1000) {
      this.timer = this.timers.setTimeout(() => this.schedule(ctx, tone, cycles, generation), length);
      return;
    }
    const at = Math.max(this.nextAt, ctx.currentTime + 0.02);
    for (const burst of cycleBursts(tone, at)) {
      const gain = ctx.createGain();
      const level = 1 / burst.freqs.length;
      gain.gain.setValueAtTime(0, burst.start);
      gain.gain.linearRampToValueAtTime(level, burst.start + EDGE_S);
      gain.gain.setValueAtTime(level, burst.end - EDGE_S);
      gain.gain.linearRampToValueAtTime(0, burst.end);
      gain.connect(this.master);
      for (const freq of burst.freqs) {
        const osc = ctx.createOscillator();
        osc.type = 'sine';
        osc.frequency.value = freq;
        osc.connect(gain);
        osc.onended = () => {
          this.oscillators.delete(osc);
          gain.disconnect();
        };
        this.oscillators.add(osc);
        osc.start(burst.start);
        osc.stop(burst.end);
      }
    }
    this.nextAt = at + length / 1000;
    if (cycles - 1 <= 0) {
      this.timer = this.timers.setTimeout(() => {
        if (generation === this.generation) this.stop();
      }, length);
      return;
    }
    this.timer = this.timers.setTimeout(() => this.schedule(ctx, tone, cycles - 1, generation), Math.max(0, length - LOOKAHEAD_MS));
  }

  private halt(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    for (const osc of this.oscillators) {
      try {
        osc.stop();
      } catch {
        // Already stopped.
      }
    }
    this.oscillators.clear();
    this.master?.disconnect();
    this.master = null;
  }

  private setStatus(s: RingerStatus): void {
    this.status = s;
    for (const l of this.listeners) l(s);
  }
}
