// Demo traffic: every few seconds a realistic outside caller (name, company, number with leading zero,
// call data) rings the queue. Virtual colleagues answer; callers hang up after a random talk time, or
// abandon when nobody answers for a while. Seeded, so a demo run is reproducible.
import { TimerSet } from './pbx/clock.js';
import type { Pbx } from './pbx/pbx.js';
import { seededRng, type Rng } from './pbx/prng.js';
import type { PbxEvent } from './pbx/types.js';

export interface DemoOptions {
  /** Time between two new callers. */
  intervalMs: number;
  seed: number;
  /** The queue the callers ring. */
  service: string;
  /** More queues or pilots (e.g. the O2G CCD pilot 60100) rung in turn with `service`, when the PBX has them. */
  alsoServices: string[];
  /** Devices that behave as virtual colleagues while the demo runs (logged on, ready, auto-answer). */
  colleagues: string[];
  answerDelayMs: [number, number];
  talkMs: [number, number];
  abandonMs: [number, number];
  /** At most this many demo callers at once. */
  maxConcurrent: number;
}

export function defaultDemoOptions(): DemoOptions {
  return {
    intervalMs: 8000,
    seed: 20240115,
    service: 'service1',
    alsoServices: ['60100'],
    colleagues: ['1105', '1106', '1107', '1108'],
    answerDelayMs: [1500, 4000],
    talkMs: [8000, 30000],
    abandonMs: [25000, 60000],
    maxConcurrent: 6,
  };
}

const firstNames = ['Claire', 'Julien', 'Amélie', 'Nicolas', 'Isabelle', 'Karim', 'Léa', 'Pierre', 'Sandrine', 'Yann', 'Hélène', 'Antoine'];
const lastNames = ['Durand', 'Lemoine', 'Girard', 'Bonnet', 'Faure', 'Mercier', 'Blanc', 'Chevalier', 'Robin', 'Perrin', 'Morel', 'Fontaine'];
const companies = ['Boulangerie Durand', 'Atelier Girard', 'Cabinet Faure & Associés', 'Garage du Centre', 'Hôtel Bellevue', 'Librairie Robin', undefined, undefined];
const prefixes = ['06', '07', '01', '02', '03', '04', '05', '09'];
const languages = ['fr', 'en', 'de', 'nl', 'es'];
const reasons = ['billing', 'delivery', 'technical-support', 'new-order', 'complaint', 'cancellation'];

export interface DemoCaller {
  number: string;
  name: string;
  company?: string;
  data: Record<string, string>;
}

/** One made-up caller from the seeded generator. */
export function makeCaller(rng: Rng): DemoCaller {
  const name = `${rng.pick(firstNames)} ${rng.pick(lastNames)}`;
  const company = rng.pick(companies);
  let digits = '';
  for (let i = 0; i < 8; i++) digits += String(rng.int(0, 9));
  const data: Record<string, string> = {
    customerId: `C-${rng.int(1000, 9999)}`,
    language: rng.pick(languages),
    reason: rng.pick(reasons),
  };
  if (rng.next() < 0.6) data.orderId = `O-${rng.int(100000, 999999)}`;
  if (company) data.company = company;
  return { number: `${rng.pick(prefixes)}${digits}`, name, company, data };
}

export class DemoTraffic {
  private readonly opts: DemoOptions;
  private rng: Rng;
  private readonly timers: TimerSet;
  private unsubscribe: (() => void) | undefined;
  /** Demo call id → the caller's number. */
  private readonly active = new Map<string, string>();
  private placed = 0;
  private turn = 0;

  constructor(
    private readonly pbx: Pbx,
    opts: Partial<DemoOptions> = {},
  ) {
    this.opts = { ...defaultDemoOptions(), ...opts };
    this.rng = seededRng(this.opts.seed);
    this.timers = new TimerSet(pbx.clock);
  }

  get running(): boolean {
    return this.unsubscribe !== undefined;
  }

  get callsPlaced(): number {
    return this.placed;
  }

  start(): void {
    if (this.running) return;
    this.rng = seededRng(this.opts.seed);
    this.unsubscribe = this.pbx.subscribe((e) => this.onEvent(e));
    for (const device of this.opts.colleagues) {
      if (!this.pbx.isDevice(device)) continue;
      const [min, max] = this.opts.answerDelayMs;
      this.pbx.configureColleague(device, { autoAnswerMs: this.rng.int(min, max) });
      const agent = this.pbx.agent(device);
      if (agent && agent.state !== 'ready' && agent.state !== 'busy' && agent.state !== 'workingAfterCall') {
        this.pbx.setAgentState(device, 'ready', { force: true });
      }
    }
    this.schedule(1000);
  }

  stop(): void {
    if (!this.running) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.timers.clearAll();
    for (const device of this.opts.colleagues) if (this.pbx.isDevice(device)) this.pbx.configureColleague(device, {});
    this.active.clear();
  }

  private schedule(ms: number): void {
    this.timers.set(() => {
      this.tick();
      this.schedule(this.opts.intervalMs);
    }, ms);
  }

  /** The queues that exist, rung in turn (TelServices' service1, O2G's pilot 60100 when that front-end runs). */
  private nextService(): string | undefined {
    const services = [this.opts.service, ...this.opts.alsoServices].filter((s) => this.pbx.isQueue(s));
    if (services.length === 0) return undefined;
    return services[this.turn++ % services.length];
  }

  private tick(): void {
    if (this.active.size >= this.opts.maxConcurrent) return;
    const service = this.nextService();
    if (service === undefined) return;
    let caller = makeCaller(this.rng);
    const inUse = new Set(this.active.values());
    for (let i = 0; i < 5 && inUse.has(caller.number); i++) caller = makeCaller(this.rng);
    if (inUse.has(caller.number)) return;
    try {
      const id = this.pbx.placeExternalCall({ from: caller.number, to: service, data: caller.data, fromName: caller.name });
      this.placed++;
      if (!this.pbx.call(id)) return;
      this.active.set(id, caller.number);
      const [min, max] = this.opts.abandonMs;
      this.timers.set(() => this.abandonIfWaiting(id), this.rng.int(min, max));
    } catch {
      // The queue may refuse (stopped): the next tick tries again.
    }
  }

  private abandonIfWaiting(id: string): void {
    const number = this.active.get(id);
    const call = this.pbx.call(id);
    if (!number || !call) return;
    const caller = call.legs.find((l) => l.number === number);
    if (caller && !caller.wasConnected) this.hangUp(number);
  }

  private hangUp(number: string): void {
    try {
      this.pbx.drop(number);
    } catch {
      // Already gone.
    }
  }

  private onEvent(e: PbxEvent): void {
    if (e.type === 'callEnded') {
      this.active.delete(e.call.id);
      return;
    }
    if (e.type !== 'leg' || e.leg.kind !== 'device' || e.leg.state !== 'connected' || e.cause !== undefined) return;
    const number = this.active.get(e.call.id);
    if (!number || !this.opts.colleagues.includes(e.device)) return;
    // Answered by a virtual colleague: the caller talks for a while, then hangs up.
    const [min, max] = this.opts.talkMs;
    this.timers.set(() => {
      if (this.pbx.call(e.call.id)) this.hangUp(number);
    }, this.rng.int(min, max));
  }
}
