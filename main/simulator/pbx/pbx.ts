// The virtual PBX core: devices, calls with legs, agents, ACD queues, forwards, DND, MWI, history and
// statistics. Plain TypeScript, deterministic, driven by an injectable clock. Vendor front-ends subscribe to
// its events and call its methods; it knows nothing of any wire protocol.
import type { Logger } from '../../core/log.js';
import { TimerSet, realClock, type Clock, type TimerHandle } from './clock.js';
import { pbxConfig, type AgentConfig, type DeviceConfig, type PbxConfig, type QueueConfig } from './config.js';
import { Directory } from './directory.js';
import { FaultPlan } from './faults.js';
import { QueueStats, UserStats } from './stats.js';
import {
  PbxError,
  type AgentSnapshot,
  type AgentState,
  type Call,
  type CallCause,
  type DeviceSnapshot,
  type ForwardRecord,
  type ForwardType,
  type HistoryRecord,
  type Leg,
  type LegState,
  type MonitorMode,
  type PbxEvent,
  type RequestableAgentState,
  type RoutingPointState,
} from './types.js';

interface AgentRuntime {
  cfg: AgentConfig;
  state: AgentState;
  wrapUpUntil?: number;
  wrapUpTimer?: TimerHandle;
  /** When the agent last became available (longest-idle distribution). */
  idleSince: number;
  loggedOnAt?: number;
}

interface DeviceRuntime {
  cfg: DeviceConfig;
  dnd: boolean;
  mwi: boolean;
  forwards: Map<ForwardType, ForwardRecord>;
  stats: UserStats;
  history: HistoryRecord[];
  agent?: AgentRuntime;
}

interface QueueRuntime {
  cfg: QueueConfig;
  state: RoutingPointState;
  /** Waiting call ids, oldest first. */
  waiting: string[];
  stats: QueueStats;
  startedAt: number;
}

export interface CallOptions {
  extraData?: string;
  data?: Record<string, string>;
}

export interface MakeCallOptions extends CallOptions {
  /** Ring the originator's own set first; the PBX dials once it is answered (third-party call control). */
  ringOriginatorFirst?: boolean;
}

export interface ExternalCallOptions {
  from: string;
  to: string;
  data?: Record<string, string>;
  fromName?: string;
  withheld?: boolean;
}

/** Picks one of a device's calls: by the other party's number, or by call id, when given. */
export interface PickOptions {
  otherNumber?: string;
  /** The device's leg in this call (any live state); front-ends that address calls by reference use it. */
  callId?: string;
}

export interface TwoCallOptions {
  /** Other party of the held (first) call. */
  primOtherNumber?: string;
  /** Other party of the active (second) call. */
  secOtherNumber?: string;
  /** The held call, by id. */
  heldCallId?: string;
  /** The active call, by id. */
  activeCallId?: string;
}

export interface AgentCredentials {
  userID?: string;
  password?: string;
}

/** Targets an agent may request from each state (busy and null are server-set). */
const permittedAgentStates: Record<AgentState, AgentState[]> = {
  null: [],
  loggedOff: ['loggedOn'],
  loggedOn: ['ready', 'notReady', 'loggedOff'],
  ready: ['notReady', 'workingAfterCall', 'loggedOff'],
  busy: ['notReady', 'workingAfterCall'],
  notReady: ['ready', 'workingAfterCall', 'loggedOff'],
  // As the manual's example (queryAgentState, agent event): ready, notReady, workingAfterCall (restart).
  workingAfterCall: ['ready', 'notReady', 'workingAfterCall'],
};

const liveStates: ReadonlySet<LegState> = new Set(['initiated', 'originated', 'delivered', 'queued', 'alerting', 'connected', 'hold', 'failed']);
const dialingStates: ReadonlySet<LegState> = new Set(['initiated', 'originated', 'delivered', 'queued']);
const diallable = /^\+?[0-9*#]{1,32}$/;

export class Pbx {
  readonly directory: Directory;
  readonly faults = new FaultPlan();
  readonly clock: Clock;
  private config: PbxConfig;
  private readonly timers: TimerSet;
  private readonly log: Logger | undefined;
  private readonly listeners = new Set<(e: PbxEvent) => void>();
  private devicesByNumber = new Map<string, DeviceRuntime>();
  private queues = new Map<string, QueueRuntime>();
  /** Pilot number → the queue it routes to. */
  private pilots = new Map<string, string>();
  private calls = new Map<string, Call>();
  private nextCallSeq = 1;
  private nextRef = 1;
  private link = true;
  private pending: PbxEvent[] = [];
  private depth = 0;
  private flushing = false;

  constructor(config: Partial<PbxConfig> = {}, deps: { clock?: Clock; log?: Logger } = {}) {
    this.clock = deps.clock ?? realClock();
    this.timers = new TimerSet(this.clock);
    this.log = deps.log;
    this.config = pbxConfig(config);
    this.directory = new Directory(this.config.directory);
    this.build();
  }

  // ---------------------------------------------------------------- lifecycle and subscriptions

  /** Subscribe to every event; returns the unsubscribe function. */
  subscribe(listener: (e: PbxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Back to the configured initial state (calls dropped silently, statistics restarted). */
  reset(config?: Partial<PbxConfig>): void {
    this.timers.clearAll();
    if (config) this.config = pbxConfig(config);
    this.directory.replaceShared(this.config.directory);
    this.calls.clear();
    this.nextCallSeq = 1;
    this.nextRef = 1;
    this.link = true;
    this.faults.clear();
    this.build();
  }

  /** Cancel every timer; the PBX stays readable. */
  dispose(): void {
    this.timers.clearAll();
    this.listeners.clear();
  }

  get settings(): Readonly<PbxConfig> {
    return this.config;
  }

  get msPerSecond(): number {
    return this.config.msPerSecond;
  }

  /** Whole protocol seconds elapsed since `since`. */
  secondsSince(since: number | undefined): number {
    if (since === undefined) return 0;
    return Math.max(0, Math.floor((this.clock.now() - since) / this.config.msPerSecond));
  }

  private build(): void {
    const now = this.clock.now();
    this.devicesByNumber = new Map();
    for (const cfg of this.config.devices) {
      this.devicesByNumber.set(cfg.number, {
        cfg: { ...cfg },
        dnd: false,
        mwi: cfg.mwi ?? false,
        forwards: new Map(),
        stats: new UserStats(now, 'null'),
        history: [],
      });
    }
    for (const cfg of this.config.agents) {
      const dev = this.devicesByNumber.get(cfg.device);
      if (!dev) continue;
      dev.agent = { cfg: { ...cfg, inboundServices: [...cfg.inboundServices] }, state: cfg.initialState, idleSince: now };
      if (cfg.initialState !== 'loggedOff') dev.agent.loggedOnAt = now;
      dev.stats = new UserStats(now, cfg.initialState);
    }
    this.queues = new Map();
    this.pilots = new Map();
    for (const cfg of this.config.queues) {
      this.queues.set(cfg.service, { cfg: { ...cfg, pilots: [...(cfg.pilots ?? [])] }, state: cfg.state, waiting: [], stats: new QueueStats(now), startedAt: now });
      for (const pilot of cfg.pilots ?? []) this.pilots.set(pilot, cfg.service);
    }
  }

  // ---------------------------------------------------------------- event plumbing

  /** Run a mutation; events it raises are delivered once the outermost mutation is done. */
  private op<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      if (this.depth === 0) this.flush();
    }
  }

  private emit(e: PbxEvent): void {
    this.pending.push(e);
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let e = this.pending.shift(); e; e = this.pending.shift()) {
        for (const l of [...this.listeners]) {
          try {
            l(e);
          } catch (err) {
            this.log?.error({ err }, 'pbx listener failed');
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private emitLeg(call: Call, leg: Leg, extra: { cause?: CallCause; reportedDurationSec?: number; replaces?: string; quiet?: boolean } = {}): void {
    this.emit({ type: 'leg', device: leg.number, call: structuredClone(call), leg: structuredClone(leg), ...extra });
  }

  // ---------------------------------------------------------------- queries

  get linkUp(): boolean {
    return this.link;
  }

  isDevice(number: string): boolean {
    return this.devicesByNumber.has(number);
  }

  /** A queue (routing point) name, or a pilot number that routes to one. */
  isQueue(service: string): boolean {
    return this.queues.has(service) || this.pilots.has(service);
  }

  /** The queue a number reaches: itself when it is a queue, the pilot's queue for a pilot number. */
  queueFor(number: string): string | undefined {
    return this.queues.has(number) ? number : this.pilots.get(number);
  }

  /** The pilot numbers that route to a queue. */
  pilotsOf(service: string): string[] {
    return [...(this.queues.get(service)?.cfg.pilots ?? [])];
  }

  deviceNumbers(): string[] {
    return [...this.devicesByNumber.keys()];
  }

  device(number: string): DeviceSnapshot | undefined {
    const dev = this.devicesByNumber.get(number);
    if (!dev) return undefined;
    return {
      number,
      name: dev.cfg.name,
      dnd: dev.dnd,
      mwi: dev.mwi,
      forwards: [...dev.forwards.values()].map((f) => ({ ...f })),
      agent: dev.agent ? this.agentSnapshot(dev, dev.agent) : undefined,
      calls: this.legsOf(number).map((x) => x.call.id),
    };
  }

  devices(): DeviceSnapshot[] {
    return this.deviceNumbers().map((n) => this.device(n) as DeviceSnapshot);
  }

  agent(device: string): AgentSnapshot | undefined {
    const dev = this.devicesByNumber.get(device);
    return dev?.agent ? this.agentSnapshot(dev, dev.agent) : undefined;
  }

  /** The device that a userID logs in on, if it is an agent. */
  agentByUserID(userID: string): AgentSnapshot | undefined {
    for (const dev of this.devicesByNumber.values()) {
      if (dev.agent?.cfg.userID === userID) return this.agentSnapshot(dev, dev.agent);
    }
    return undefined;
  }

  call(id: string): Call | undefined {
    const c = this.calls.get(id);
    return c ? structuredClone(c) : undefined;
  }

  /** Whether a call is still live (cheaper than call()). */
  hasCall(id: string): boolean {
    return this.calls.has(id);
  }

  allCalls(): Call[] {
    return [...this.calls.values()].map((c) => structuredClone(c));
  }

  /** The device's live legs, oldest call first. */
  legsOf(number: string): Array<{ call: Call; leg: Leg }> {
    const out: Array<{ call: Call; leg: Leg }> = [];
    for (const call of this.calls.values()) {
      for (const leg of call.legs) if (leg.number === number && liveStates.has(leg.state)) out.push({ call, leg });
    }
    return out;
  }

  forwards(device: string): ForwardRecord[] {
    return [...(this.requireDevice(device).forwards.values())].filter((f) => f.on).map((f) => ({ ...f }));
  }

  dnd(device: string): boolean {
    return this.requireDevice(device).dnd;
  }

  mwi(device: string): boolean {
    return this.requireDevice(device).mwi;
  }

  /** History records, newest first. */
  history(device: string): HistoryRecord[] {
    return [...(this.devicesByNumber.get(device)?.history ?? [])].reverse();
  }

  /** How many history records a device has (they are only ever appended). */
  historyLength(device: string): number {
    return this.devicesByNumber.get(device)?.history.length ?? 0;
  }

  /** The device's history records from index `from` on, oldest first. */
  historySince(device: string, from: number): HistoryRecord[] {
    return (this.devicesByNumber.get(device)?.history ?? []).slice(from).map((r) => ({ ...r }));
  }

  /** History of every device, newest first. */
  allHistory(): HistoryRecord[] {
    return [...this.devicesByNumber.values()].flatMap((d) => d.history).sort((a, b) => b.at - a.at);
  }

  userStats(device: string): { stats: UserStats; agent?: AgentSnapshot } | undefined {
    const dev = this.devicesByNumber.get(device);
    if (!dev) return undefined;
    return { stats: dev.stats, agent: dev.agent ? this.agentSnapshot(dev, dev.agent) : undefined };
  }

  queueState(service: string): RoutingPointState | undefined {
    return this.queues.get(service)?.state;
  }

  queueNames(): string[] {
    return [...this.queues.keys()];
  }

  queueInfo(service: string): { state: RoutingPointState; direction: 'inbound' | 'outbound'; waiting: Array<{ callId: string; sinceSec: number }>; stats: QueueStats; startedAt: number; agents: AgentSnapshot[] } | undefined {
    const q = this.queues.get(service);
    if (!q) return undefined;
    return {
      state: q.state,
      direction: q.cfg.direction,
      waiting: q.waiting.map((id) => ({ callId: id, sinceSec: this.secondsSince(this.calls.get(id)?.queuedAt) })),
      stats: q.stats,
      startedAt: q.startedAt,
      agents: this.queueMembers(service).map(([dev, a]) => this.agentSnapshot(dev, a)),
    };
  }

  /** Every agent of the PBX (members of any queue or none). */
  agents(): AgentSnapshot[] {
    return [...this.devicesByNumber.values()].filter((d) => d.agent).map((d) => this.agentSnapshot(d, d.agent as AgentRuntime));
  }

  // ---------------------------------------------------------------- link, features

  setLinkUp(up: boolean): void {
    this.op(() => {
      if (this.link === up) return;
      this.link = up;
      this.emit({ type: 'link', up });
    });
  }

  setDnd(device: string, on: boolean): void {
    this.op(() => {
      const dev = this.requireDevice(device);
      dev.dnd = on;
      this.emit({ type: 'dnd', device, on });
    });
  }

  /** Let a second call ring at the device while it has one (call waiting), or not; until the next reset. */
  setCallWaiting(device: string, on: boolean): void {
    this.op(() => {
      this.requireDevice(device).cfg.callWaiting = on;
    });
  }

  setMwi(device: string, on: boolean): void {
    this.op(() => {
      const dev = this.requireDevice(device);
      dev.mwi = on;
      this.emit({ type: 'mwi', device, on });
    });
  }

  setForward(device: string, forward: ForwardRecord): void {
    this.op(() => {
      const dev = this.requireDevice(device);
      if (forward.on && !diallable.test(forward.number)) throw new PbxError('invalidNumber', `cannot forward to ${forward.number}`);
      if (forward.on && forward.number === device) throw new PbxError('rejected', 'a device cannot forward to itself');
      const record = { ...forward };
      if (record.on) dev.forwards.set(record.type, record);
      else {
        const existing = dev.forwards.get(record.type);
        dev.forwards.delete(record.type);
        if (existing && !record.number) record.number = existing.number;
      }
      this.emit({ type: 'forward', device, forward: record });
    });
  }

  /** Turn a device into a virtual colleague (or back): answers after autoAnswerMs, hangs up after autoHangupMs. */
  configureColleague(device: string, behaviour: { autoAnswerMs?: number; autoHangupMs?: number }): void {
    const dev = this.requireDevice(device);
    dev.cfg.autoAnswerMs = behaviour.autoAnswerMs;
    dev.cfg.autoHangupMs = behaviour.autoHangupMs;
  }

  // ---------------------------------------------------------------- calls

  /** A device dials a number (the PBX takes the handset off-hook). Returns the call id. */
  makeCall(from: string, to: string, opts: MakeCallOptions = {}): string {
    return this.op(() => {
      this.requireDevice(from);
      if (!diallable.test(to)) throw new PbxError('invalidNumber', `not diallable: ${to}`);
      const call = this.newCall(to, opts);
      if (opts.ringOriginatorFirst) {
        // Third-party call control: the originator's set rings; answering it dials `to` (see answer()).
        call.pendingDestination = to;
        const own = this.addLeg(call, { number: from, kind: 'device', state: 'alerting', outgoing: true, peer: to });
        own.alertingAt = this.clock.now();
        this.emitLeg(call, own);
        return call.id;
      }
      const caller = this.addLeg(call, { number: from, kind: 'device', state: 'initiated', outgoing: true, peer: '' });
      this.emitLeg(call, caller);
      caller.state = 'originated';
      caller.peer = to;
      this.emitLeg(call, caller);
      this.deviceStats(from, (s) => {
        s.outgoingOriginated++;
        if (this.isLoggedOnAgent(from)) s.agentOutgoingOriginated++;
      });
      this.route(call, caller, to, { firstCalled: to });
      return call.id;
    });
  }

  /** An outside caller rings a device or a queue. Returns the call id. */
  placeExternalCall(opts: ExternalCallOptions): string {
    return this.op(() => {
      if (!this.isDevice(opts.to) && !this.isQueue(opts.to)) throw new PbxError('unknownDevice', `no device or queue ${opts.to}`);
      const call = this.newCall(opts.to, { data: opts.data });
      const caller = this.addLeg(call, {
        number: opts.from,
        kind: 'external',
        state: 'originated',
        outgoing: true,
        peer: opts.to,
        name: opts.fromName,
        withheld: opts.withheld,
      });
      this.emitLeg(call, caller);
      this.route(call, caller, opts.to, { firstCalled: opts.to });
      return call.id;
    });
  }

  /** Answer an alerting call at a device (or at an outside party), the first one unless callingNumber picks one. */
  answer(number: string, opts: { callingNumber?: string; callId?: string } = {}): string {
    return this.op(() => {
      const hit = this.legsOf(number).find(
        ({ call, leg }) => leg.state === 'alerting' && (opts.callingNumber === undefined || leg.peer === opts.callingNumber) && (opts.callId === undefined || call.id === opts.callId),
      );
      if (!hit) throw new PbxError('noCall', `nothing alerting at ${number}`);
      if (hit.call.pendingDestination !== undefined && hit.leg.outgoing) this.dialPending(hit.call, hit.leg);
      else this.connect(hit.call, hit.leg);
      return hit.call.id;
    });
  }

  /** Release every party of a call (the requester first, when named). */
  clearCall(callId: string, by?: string): void {
    this.op(() => {
      const call = this.calls.get(callId);
      if (!call) throw new PbxError('noCall', `no call ${callId}`);
      const legs = call.legs.filter((l) => liveStates.has(l.state) && l.kind !== 'queue');
      legs.sort((a, b) => Number(b.number === by) - Number(a.number === by));
      for (const leg of legs) {
        if (!this.calls.has(call.id)) break;
        if (leg.state === 'cleared') continue;
        this.releaseLeg(call, leg, leg.number === by ? undefined : 'droppedByOtherParty');
      }
      // Only a queue or park placeholder may be left.
      if (this.calls.has(call.id) && this.live(call).every((l) => l.kind === 'queue')) {
        for (const l of this.live(call)) {
          const q = call.service ? this.queues.get(call.service) : undefined;
          if (q && l.state === 'queued' && !l.parked) this.abandonQueued(call, q, l);
          l.state = 'cleared';
        }
        this.endCall(call);
      }
    });
  }

  /** Drop one party (any kind) from a call; a two-party call ends. */
  dropParty(callId: string, number: string): void {
    this.op(() => {
      const call = this.calls.get(callId);
      const leg = call?.legs.find((l) => l.number === number && l.kind !== 'queue' && liveStates.has(l.state));
      if (!call || !leg) throw new PbxError('noCall', `${number} is not in call ${callId}`);
      this.releaseLeg(call, leg);
    });
  }

  /** A device picks up a call alerting at another device (directed pickup). */
  pickup(device: string, opts: { otherNumber: string; callId?: string; answer?: boolean }): string {
    return this.op(() => {
      this.requireDevice(device);
      const hit = this.legsOf(opts.otherNumber).find(({ call, leg }) => leg.state === 'alerting' && !leg.outgoing && (opts.callId === undefined || call.id === opts.callId));
      if (!hit || hit.leg.number === device) throw new PbxError('noCall', `nothing to pick up at ${opts.otherNumber}`);
      const { call, leg } = hit;
      const caller = this.live(call).find((l) => l !== leg && l.kind !== 'queue');
      if (!caller) throw new PbxError('noCall', `nothing to pick up at ${opts.otherNumber}`);
      leg.state = 'cleared';
      leg.endedAt = this.clock.now();
      this.emitLeg(call, leg, { cause: 'redirect' });
      this.legEnded(call, leg, 'redirect');
      const picked = this.addAlertingLeg(call, caller, device, { firstCalled: leg.firstCalled ?? leg.number, lastRedirection: leg.number, acdService: leg.acdService, callerCause: 'redirect' });
      if (opts.answer) this.connect(call, picked);
      return call.id;
    });
  }

  /** Park a two-party call on a device (default: the parking one); the parking device leaves the call. */
  park(device: string, opts: PickOptions & { parkTo?: string } = {}): string {
    return this.op(() => {
      const hit = this.pickActive(device, opts, ['connected', 'hold']);
      if (!hit) throw new PbxError('noCall', `nothing connected or held at ${device}`);
      const parkTo = opts.parkTo ?? device;
      this.requireDevice(parkTo);
      const { call, leg } = hit;
      const others = this.live(call).filter((l) => l !== leg);
      const other = others[0];
      if (others.length !== 1 || !other || other.kind === 'queue') throw new PbxError('rejected', 'only a two-party call can be parked');
      this.addLeg(call, { number: parkTo, kind: 'queue', state: 'queued', outgoing: false, peer: other.number, parked: true });
      leg.state = 'cleared';
      leg.endedAt = this.clock.now();
      this.emitLeg(call, leg);
      this.legEnded(call, leg, undefined);
      other.peer = parkTo;
      this.emitLeg(call, other);
      return call.id;
    });
  }

  /** Take the call parked on `from` (default: the device itself); the device is connected to it. */
  unpark(device: string, opts: { from?: string } = {}): string {
    return this.op(() => {
      this.requireDevice(device);
      const from = opts.from ?? device;
      const call = [...this.calls.values()].find((c) => c.legs.some((l) => l.parked && l.number === from && l.state === 'queued'));
      const slot = call?.legs.find((l) => l.parked && l.number === from && l.state === 'queued');
      const other = call ? this.live(call).find((l) => l !== slot) : undefined;
      if (!call || !slot || !other) throw new PbxError('noCall', `no call parked on ${from}`);
      slot.state = 'cleared';
      call.legs = call.legs.filter((l) => l !== slot);
      const now = this.clock.now();
      const leg = this.addLeg(call, { number: device, kind: 'device', state: 'connected', outgoing: false, peer: other.number, firstCalled: from });
      leg.connectedAt = now;
      leg.wasConnected = true;
      other.peer = device;
      this.emitLeg(call, leg);
      this.emitLeg(call, other);
      return call.id;
    });
  }

  /** The calls parked on a device (ids). */
  parkedOn(device: string): string[] {
    return [...this.calls.values()].filter((c) => c.legs.some((l) => l.parked && l.number === device && l.state === 'queued')).map((c) => c.id);
  }

  /** A supervisor's device joins the target device's connected call (intrusion, coaching or silent listening). */
  intrude(device: string, target: string, mode: MonitorMode): string {
    return this.op(() => {
      this.requireDevice(device);
      const hit = this.pickActive(target, {}, ['connected']);
      if (!hit) throw new PbxError('noCall', `nothing connected at ${target}`);
      if (hit.call.legs.some((l) => l.number === device && liveStates.has(l.state))) throw new PbxError('rejected', `${device} is already in the call`);
      const now = this.clock.now();
      const leg = this.addLeg(hit.call, { number: device, kind: 'device', state: 'connected', outgoing: true, peer: target, monitorMode: mode });
      leg.connectedAt = now;
      leg.wasConnected = true;
      this.emitLeg(hit.call, leg);
      return hit.call.id;
    });
  }

  /** Change the mode of a device's intrusion leg. */
  setMonitorMode(device: string, mode: MonitorMode): void {
    this.op(() => {
      const hit = this.legsOf(device).find(({ leg }) => leg.monitorMode !== undefined);
      if (!hit) throw new PbxError('noCall', `${device} is not in intrusion`);
      hit.leg.monitorMode = mode;
      this.emitLeg(hit.call, hit.leg);
    });
  }

  /** Replace a call's correlator data and/or merge structured data into it. */
  setCallData(callId: string, changes: { extraData?: string; data?: Record<string, string> }): void {
    this.op(() => {
      const call = this.calls.get(callId);
      if (!call) throw new PbxError('noCall', `no call ${callId}`);
      if (changes.extraData !== undefined) call.extraData = changes.extraData;
      if (changes.data) Object.assign(call.data, changes.data);
      this.emit({ type: 'callData', call: structuredClone(call) });
    });
  }

  /**
   * Release the device's active call: connected first, then one being set up, then failed, then held.
   * With a call id, the device's leg in that call whatever its state (an alerting ACD call goes back to its queue).
   */
  drop(number: string, opts: PickOptions = {}): string {
    return this.op(() => {
      const states: LegState[] = ['connected', 'initiated', 'originated', 'delivered', 'queued', 'failed', 'hold'];
      const hit = this.pickActive(number, opts, opts.callId !== undefined ? [...states, 'alerting'] : states);
      if (!hit) throw new PbxError('noCall', `nothing to drop at ${number}`);
      const queue = hit.leg.state === 'alerting' && hit.leg.acdService ? this.queues.get(hit.leg.acdService) : undefined;
      if (queue) this.requeueUnanswered(hit.call, hit.leg, queue);
      else this.releaseLeg(hit.call, hit.leg);
      return hit.call.id;
    });
  }

  hold(device: string, opts: PickOptions = {}): void {
    this.op(() => {
      const hit = this.pickActive(device, opts, ['connected']);
      if (!hit) throw new PbxError('noCall', `nothing connected at ${device}`);
      this.holdLeg(hit.call, hit.leg, false);
    });
  }

  retrieve(device: string, opts: PickOptions = {}): void {
    this.op(() => {
      const hit = this.pickActive(device, opts, ['hold']);
      if (!hit) throw new PbxError('noCall', `nothing on hold at ${device}`);
      this.retrieveLeg(hit.call, hit.leg);
    });
  }

  /** Hold the connected call (implicitly) and dial a consultation call. */
  consult(device: string, to: string, opts: PickOptions & { extraData?: string } = {}): string {
    return this.op(() => {
      const hit = this.pickActive(device, opts, ['connected']);
      if (!hit) throw new PbxError('noCall', `nothing connected at ${device}`);
      if (!diallable.test(to)) throw new PbxError('invalidNumber', `not diallable: ${to}`);
      this.holdLeg(hit.call, hit.leg, true);
      const call = this.newCall(to, { data: { ...hit.call.data }, extraData: opts.extraData ?? hit.call.extraData });
      const leg = this.addLeg(call, { number: device, kind: 'device', state: 'initiated', outgoing: true, peer: '', consultOf: hit.call.id });
      this.emitLeg(call, leg);
      leg.state = 'originated';
      leg.peer = to;
      this.emitLeg(call, leg);
      this.route(call, leg, to, { firstCalled: to, firstOther: hit.leg.peer || undefined });
      return call.id;
    });
  }

  /** Release the active call and retrieve the held one. */
  reconnect(device: string, opts: TwoCallOptions = {}): void {
    this.op(() => {
      const pair = this.heldAndActive(device, opts, ['initiated', 'originated', 'delivered', 'queued', 'connected', 'failed']);
      this.releaseLeg(pair.active.call, pair.active.leg);
      this.retrieveLeg(pair.held.call, pair.held.leg);
    });
  }

  /** Swap: hold the active call, retrieve the held one. */
  alternate(device: string, opts: TwoCallOptions = {}): void {
    this.op(() => {
      const pair = this.heldAndActive(device, opts, ['connected']);
      this.holdLeg(pair.active.call, pair.active.leg, true);
      this.retrieveLeg(pair.held.call, pair.held.leg);
    });
  }

  /** Join the held call's party and the active call's party; the device leaves both. Allowed while the active call is still ringing. */
  transfer(device: string, opts: TwoCallOptions = {}): void {
    this.op(() => {
      const { held, active } = this.heldAndActive(device, opts, ['delivered', 'connected', 'queued']);
      const target = held.call;
      const source = active.call;
      const now = this.clock.now();
      held.leg.state = 'cleared';
      held.leg.endedAt = now;
      this.emitLeg(target, held.leg, { cause: 'transfer', quiet: true });
      active.leg.state = 'cleared';
      active.leg.endedAt = now;
      this.emitLeg(source, active.leg, { cause: 'transfer' });
      const stayers = this.live(target).filter((l) => l !== held.leg);
      const movers = this.live(source).filter((l) => l !== active.leg);
      this.moveLegs(source, target, movers);
      const report = new Map<Leg, number>();
      for (const leg of [...stayers, ...movers]) {
        report.set(leg, this.secondsSince(leg.connectedAt));
        leg.lastRedirection = device;
        if (leg.state === 'connected') leg.connectedAt = now;
      }
      this.refreshPeers(target);
      this.legEnded(target, held.leg, undefined);
      this.legEnded(source, active.leg, undefined);
      for (const leg of stayers) this.emitLeg(target, leg, { cause: 'transfer', reportedDurationSec: report.get(leg) });
      for (const leg of movers) this.emitLeg(target, leg, { cause: 'transfer', reportedDurationSec: report.get(leg), replaces: source.id });
      this.endCall(source);
      if (this.live(target).length < 2) this.endCallWithRemaining(target);
    });
  }

  /** Three-way conference of the held call and the active call. */
  conference(device: string, opts: TwoCallOptions = {}): void {
    this.op(() => {
      const { held, active } = this.heldAndActive(device, opts, ['connected']);
      const target = held.call;
      const source = active.call;
      source.legs = source.legs.filter((l) => l !== active.leg);
      const movers = this.live(source);
      this.moveLegs(source, target, movers);
      held.leg.state = 'connected';
      this.refreshPeers(target);
      for (const leg of this.live(target)) {
        const replaces = leg === held.leg || movers.includes(leg) ? source.id : undefined;
        this.emitLeg(target, leg, { cause: 'conference', replaces });
      }
      this.endCall(source);
    });
  }

  /** Single-step conference: ring another party into the device's connected or held call. */
  addParty(device: string, added: string, opts: PickOptions & { extraData?: string } = {}): void {
    this.op(() => {
      const hit = this.pickActive(device, opts, ['connected', 'hold']);
      if (!hit) throw new PbxError('noCall', `nothing connected or held at ${device}`);
      if (!diallable.test(added)) throw new PbxError('invalidNumber', `not diallable: ${added}`);
      if (this.legsOf(added).some(({ call }) => call === hit.call)) throw new PbxError('rejected', `${added} is already in the call`);
      if (opts.extraData !== undefined) hit.call.extraData = opts.extraData;
      const reachable = this.isDevice(added) ? !this.isBusy(added) && !this.requireDevice(added).dnd : !this.isQueue(added) && this.externalReachable(added) === undefined;
      if (!reachable) throw new PbxError('rejected', `${added} cannot be reached`);
      this.addAlertingLeg(hit.call, hit.leg, added, { firstCalled: added, keepCallerState: true });
    });
  }

  /** Move an alerting or connected call to another destination (deflection / blind transfer). */
  divert(device: string, to: string, opts: PickOptions & { extraData?: string } = {}): void {
    this.op(() => {
      const hit = this.pickActive(device, opts, ['alerting', 'connected']);
      if (!hit) throw new PbxError('noCall', `nothing alerting or connected at ${device}`);
      if (!diallable.test(to)) throw new PbxError('invalidNumber', `not diallable: ${to}`);
      const others = this.live(hit.call).filter((l) => l !== hit.leg);
      const caller = others[0];
      if (others.length !== 1 || !caller) throw new PbxError('rejected', 'only a two-party call can be diverted');
      if (opts.extraData !== undefined) hit.call.extraData = opts.extraData;
      this.divertLeg(hit.call, hit.leg, caller, to);
    });
  }

  // ---------------------------------------------------------------- agents

  /** Change an agent's state as requested by a client; credentials are checked unless `force` (the control API). */
  setAgentState(device: string, state: RequestableAgentState, opts: AgentCredentials & { force?: boolean } = {}): void {
    this.op(() => {
      const dev = this.requireDevice(device);
      const agent = dev.agent;
      if (!agent) throw new PbxError('rejected', `${device} is not an agent device`);
      if (!opts.force) {
        if (agent.cfg.password !== undefined && opts.password !== agent.cfg.password) throw new PbxError('rejected', 'agent credentials not accepted');
        if (opts.userID !== undefined && opts.userID !== agent.cfg.userID && opts.userID !== device) throw new PbxError('rejected', 'agent credentials not accepted');
        if (!permittedAgentStates[agent.state].includes(state)) throw new PbxError('rejected', `${agent.state} → ${state} is not permitted`);
      }
      this.applyAgentState(dev, agent, state);
    });
  }

  /** The queues an agent takes calls from (e.g. the processing group it logged on to); distribution follows. */
  setAgentServices(device: string, services: string[]): void {
    this.op(() => {
      const dev = this.requireDevice(device);
      if (!dev.agent) throw new PbxError('rejected', `${device} is not an agent device`);
      dev.agent.cfg.inboundServices = [...services];
      if (dev.agent.state === 'ready') this.distributeFor(device);
    });
  }

  /** The state the agent may request from where it is. */
  permittedStates(state: AgentState): AgentState[] {
    return [...permittedAgentStates[state]];
  }

  // ---------------------------------------------------------------- routing points

  /** Start a routing point; an unknown name creates an outbound campaign from the template (no dialler is simulated). */
  startQueue(service: string): void {
    this.op(() => {
      let q = this.queues.get(service);
      if (!q) {
        q = {
          cfg: { service, direction: 'outbound', state: 'started-running', agentNoAnswerSec: 0, immediateAbandonSec: 5, agentReadyOnLoggedOn: false },
          state: 'stopped',
          waiting: [],
          stats: new QueueStats(this.clock.now()),
          startedAt: this.clock.now(),
        };
        this.queues.set(service, q);
      }
      if (q.state !== 'stopped') throw new PbxError('rejected', `${service} is already started`);
      q.startedAt = this.clock.now();
      q.state = q.cfg.direction === 'outbound' || this.hasReadyAgent(service) ? 'started-running' : 'started';
      this.emit({ type: 'queue', service });
    });
  }

  stopQueue(service: string): void {
    this.op(() => {
      const q = this.requireQueue(service);
      if (q.state === 'stopped') throw new PbxError('rejected', `${service} is already stopped`);
      q.state = 'stopped';
      for (const id of [...q.waiting]) {
        const call = this.calls.get(id);
        if (call) this.failQueued(call, q, 'destNotObtainable');
      }
      if (q.cfg.direction === 'outbound') this.queues.delete(service);
      this.emit({ type: 'queue', service });
    });
  }

  suspendQueue(service: string): void {
    this.op(() => {
      const q = this.requireQueue(service);
      if (q.state !== 'started-running' && q.state !== 'started') throw new PbxError('rejected', `${service} is not running`);
      q.state = 'started-suspended';
      this.emit({ type: 'queue', service });
    });
  }

  resumeQueue(service: string): void {
    this.op(() => {
      const q = this.requireQueue(service);
      if (q.state !== 'started-suspended') throw new PbxError('rejected', `${service} is not suspended`);
      q.state = q.cfg.direction === 'outbound' || this.hasReadyAgent(service) ? 'started-running' : 'started';
      this.emit({ type: 'queue', service });
      this.distribute(q);
    });
  }

  /** Update part of a routing point's configuration (unknown keys are ignored). */
  updateQueue(service: string, changes: Partial<Pick<QueueConfig, 'agentNoAnswerSec' | 'immediateAbandonSec' | 'agentReadyOnLoggedOn' | 'failureRoute'>> & { wrapUpSec?: number } = {}): void {
    this.op(() => {
      const q = this.requireQueue(service);
      const { wrapUpSec, ...queueChanges } = changes;
      Object.assign(q.cfg, queueChanges);
      if (wrapUpSec !== undefined) for (const [, agent] of this.queueMembers(service)) agent.cfg.wrapUpSec = wrapUpSec;
      this.emit({ type: 'queue', service });
    });
  }

  // ================================================================ internals: routing

  private newCall(dialled: string, opts: CallOptions): Call {
    const call: Call = {
      dialled,
      id: `c${this.nextCallSeq++}`,
      ref: this.nextRef++,
      legs: [],
      data: { ...(opts.data ?? {}) },
      extraData: opts.extraData,
      createdAt: this.clock.now(),
    };
    this.calls.set(call.id, call);
    return call;
  }

  private addLeg(call: Call, fields: Omit<Leg, 'joinedAt' | 'wasConnected'>): Leg {
    const leg: Leg = { ...fields, joinedAt: this.clock.now(), wasConnected: false };
    call.legs.push(leg);
    return leg;
  }

  private live(call: Call): Leg[] {
    return call.legs.filter((l) => liveStates.has(l.state) && l.state !== 'failed');
  }

  /** Deliver `caller`'s call to `target`, following forwards, DND and busy rules. */
  private route(call: Call, caller: Leg, target: string, info: { firstCalled?: string; lastRedirection?: string; firstOther?: string; callerCause?: CallCause }, depth = 0): void {
    const firstCalled = info.firstCalled ?? target;
    if (depth > 5) {
      this.failCaller(call, caller, 'destNotObtainable');
      return;
    }
    const queue = this.queues.get(this.pilots.get(target) ?? target);
    if (queue) {
      this.enqueue(call, caller, queue, depth);
      return;
    }
    const dev = this.devicesByNumber.get(target);
    if (dev) {
      const external = caller.kind === 'external';
      const forward = this.activeForward(dev, ['immediate', external ? 'immExt' : 'immInt']);
      if (forward) {
        this.route(call, caller, forward.number, { ...info, firstCalled, lastRedirection: target }, depth + 1);
        return;
      }
      if (dev.dnd || this.isBusy(target)) {
        const busyForward = this.activeForward(dev, ['busy', external ? 'busyExt' : 'busyInt']);
        if (busyForward && !dev.dnd) {
          this.route(call, caller, busyForward.number, { ...info, firstCalled, lastRedirection: target }, depth + 1);
          return;
        }
        this.failCaller(call, caller, 'busy');
        return;
      }
      this.addAlertingLeg(call, caller, target, { ...info, firstCalled });
      return;
    }
    const unreachable = this.externalReachable(target);
    if (unreachable) {
      this.failCaller(call, caller, unreachable);
      return;
    }
    this.addAlertingLeg(call, caller, target, { ...info, firstCalled });
  }

  /** Why an outside number cannot be reached, if it cannot. */
  private externalReachable(number: string): CallCause | undefined {
    if (this.config.busyNumbers.includes(number)) return 'busy';
    if (this.config.unobtainableNumbers.includes(number)) return 'destNotObtainable';
    // Short numbers are internal extensions; unknown ones do not exist.
    if (!/^(\+|0)\d{5,}$/.test(number)) return 'destNotObtainable';
    return undefined;
  }

  private addAlertingLeg(
    call: Call,
    caller: Leg,
    target: string,
    info: { firstCalled?: string; lastRedirection?: string; firstOther?: string; callerCause?: CallCause; acdService?: string; keepCallerState?: boolean; legCause?: CallCause },
  ): Leg {
    const kind = this.isDevice(target) ? 'device' : 'external';
    const leg = this.addLeg(call, {
      number: target,
      kind,
      state: 'alerting',
      outgoing: false,
      peer: caller.number,
      firstCalled: info.firstCalled,
      lastRedirection: info.lastRedirection,
      firstOther: info.firstOther,
      acdService: info.acdService,
    });
    leg.alertingAt = this.clock.now();
    this.emitLeg(call, leg, { cause: info.legCause });
    if (!info.keepCallerState) {
      caller.state = 'delivered';
      caller.peer = target;
      if (info.lastRedirection) caller.lastRedirection = info.lastRedirection;
      this.emitLeg(call, caller, { cause: info.callerCause });
    }
    this.scheduleAnswerBehaviour(call, leg);
    return leg;
  }

  private scheduleAnswerBehaviour(call: Call, leg: Leg): void {
    // The leg may have moved to another call meanwhile (a transfer while ringing): look it up when the timer fires.
    const whenStillAlerting = (fn: (current: Call) => void) => () =>
      this.op(() => {
        const current = this.callOf(leg);
        if (current && leg.state === 'alerting') fn(current);
      });
    const dev = this.devicesByNumber.get(leg.number);
    if (!dev) {
      if (this.config.externalAnswerMs >= 0) this.timers.set(whenStillAlerting((c) => this.connect(c, leg)), this.config.externalAnswerMs);
      return;
    }
    if (dev.cfg.autoAnswerMs !== undefined) this.timers.set(whenStillAlerting((c) => this.connect(c, leg)), dev.cfg.autoAnswerMs);
    const callerLeg = this.live(call).find((l) => l !== leg);
    const external = callerLeg?.kind === 'external';
    const noAnswer = this.activeForward(dev, ['noAnswer', external ? 'noAnswerExt' : 'noAnswerInt']);
    if (noAnswer) {
      this.timers.set(
        whenStillAlerting((c) => {
          const caller = this.live(c).find((l) => l !== leg);
          if (caller) this.divertLeg(c, leg, caller, noAnswer.number);
        }),
        this.config.noAnswerForwardMs,
      );
    }
    const queue = leg.acdService ? this.queues.get(leg.acdService) : undefined;
    if (queue && queue.cfg.agentNoAnswerSec > 0) {
      this.timers.set(whenStillAlerting((c) => this.requeueUnanswered(c, leg, queue)), queue.cfg.agentNoAnswerSec * this.config.msPerSecond);
    }
  }

  private callOf(leg: Leg): Call | undefined {
    for (const call of this.calls.values()) if (call.legs.includes(leg)) return call;
    return undefined;
  }

  private divertLeg(call: Call, leg: Leg, caller: Leg, to: string): void {
    const now = this.clock.now();
    leg.state = 'cleared';
    leg.endedAt = now;
    this.emitLeg(call, leg, { cause: 'redirect' });
    this.legEnded(call, leg, 'redirect');
    this.route(call, caller, to, { firstCalled: leg.firstCalled ?? leg.number, lastRedirection: leg.number, callerCause: 'redirect' });
  }

  private failCaller(call: Call, caller: Leg, cause: CallCause): void {
    caller.state = 'failed';
    this.emitLeg(call, caller, { cause });
    // An outside caller hears the tone and hangs up; a device keeps the failed call until it drops it.
    if (caller.kind !== 'device') this.releaseLeg(call, caller, cause);
  }

  /** The originator answered its own ringing set: the PBX now dials the pending destination. */
  private dialPending(call: Call, leg: Leg): void {
    const to = call.pendingDestination as string;
    call.pendingDestination = undefined;
    leg.state = 'originated';
    leg.alertingAt = undefined;
    leg.peer = to;
    this.emitLeg(call, leg);
    this.deviceStats(leg.number, (s) => {
      s.outgoingOriginated++;
      if (this.isLoggedOnAgent(leg.number)) s.agentOutgoingOriginated++;
    });
    this.route(call, leg, to, { firstCalled: to });
  }

  private connect(call: Call, leg: Leg): void {
    const now = this.clock.now();
    const alertingSec = this.secondsSince(leg.alertingAt);
    leg.state = 'connected';
    leg.connectedAt = now;
    leg.wasConnected = true;
    const others = this.live(call).filter((l) => l !== leg);
    const waitingCallers = others.filter((l) => l.state === 'delivered' || l.state === 'queued' || l.state === 'originated');
    for (const other of waitingCallers) {
      other.state = 'connected';
      other.connectedAt = now;
      other.wasConnected = true;
    }
    this.refreshPeers(call);
    const conference = this.live(call).filter((l) => l.state !== 'alerting').length >= 3;
    this.emitLeg(call, leg, { cause: conference ? 'conference' : undefined });
    for (const other of conference ? others : waitingCallers) this.emitLeg(call, other, { cause: conference ? 'conference' : undefined });
    if (leg.acdService) {
      const q = this.queues.get(leg.acdService);
      if (q) {
        q.stats.incomingConnected++;
        q.stats.alertingDur.add(alertingSec);
      }
      const dev = this.devicesByNumber.get(leg.number);
      if (dev?.agent && (dev.agent.state === 'ready' || dev.agent.state === 'workingAfterCall')) this.applyAgentState(dev, dev.agent, 'busy');
    }
    const dev = this.devicesByNumber.get(leg.number);
    if (dev?.cfg.autoHangupMs !== undefined) {
      this.timers.set(
        () =>
          this.op(() => {
            const current = this.callOf(leg);
            if (current && leg.state === 'connected') this.releaseLeg(current, leg);
          }),
        dev.cfg.autoHangupMs,
      );
    }
  }

  private holdLeg(call: Call, leg: Leg, quiet: boolean): void {
    leg.state = 'hold';
    this.emitLeg(call, leg, { quiet });
    for (const other of this.live(call)) if (other !== leg && other.state === 'connected') this.emitLeg(call, other, { cause: 'heldByOtherParty' });
  }

  private retrieveLeg(call: Call, leg: Leg): void {
    leg.state = 'connected';
    this.emitLeg(call, leg);
    for (const other of this.live(call)) if (other !== leg && other.state === 'connected') this.emitLeg(call, other, { cause: 'retrievedByOtherParty' });
  }

  /** A party leaves the call; with one party left the call ends. */
  private releaseLeg(call: Call, leg: Leg, cause?: CallCause): void {
    const now = this.clock.now();
    const wasFailed = leg.state === 'failed';
    leg.state = 'cleared';
    leg.endedAt = now;
    if (leg.kind !== 'queue' && !(wasFailed && leg.kind !== 'device')) this.emitLeg(call, leg);
    this.legEnded(call, leg, cause);
    const queueLeg = call.legs.find((l) => l.kind === 'queue' && l.state === 'queued' && !l.parked);
    if (queueLeg && call.service) {
      const q = this.queues.get(call.service);
      if (q) this.abandonQueued(call, q, queueLeg);
    }
    this.endCallWithRemaining(call);
  }

  /** End the call if at most one party remains, else tell the remaining parties their peers changed. */
  private endCallWithRemaining(call: Call): void {
    const remaining = this.live(call);
    // A supervisor listening in (intrusion) does not keep a call alive on its own.
    if (remaining.filter((l) => l.monitorMode === undefined).length >= 2) {
      this.refreshPeers(call);
      for (const l of remaining) this.emitLeg(call, l);
      return;
    }
    const now = this.clock.now();
    for (const other of remaining) {
      other.state = 'cleared';
      other.endedAt = now;
      this.emitLeg(call, other, { cause: 'droppedByOtherParty' });
      this.legEnded(call, other, 'droppedByOtherParty');
    }
    // A device whose call failed keeps it until it drops it.
    if (call.legs.some((l) => l.state === 'failed' && l.kind === 'device')) return;
    this.endCall(call);
  }

  private endCall(call: Call): void {
    if (!this.calls.has(call.id)) return;
    this.calls.delete(call.id);
    this.emit({ type: 'callEnded', call: structuredClone(call) });
  }

  private moveLegs(from: Call, to: Call, legs: Leg[]): void {
    from.legs = from.legs.filter((l) => !legs.includes(l));
    to.legs.push(...legs);
    for (const [k, v] of Object.entries(from.data)) if (!(k in to.data)) to.data[k] = v;
    if (to.extraData === undefined) to.extraData = from.extraData;
  }

  private refreshPeers(call: Call): void {
    const live = this.live(call).sort((a, b) => a.joinedAt - b.joinedAt);
    for (const leg of live) {
      const other = live.find((l) => l !== leg);
      if (other && leg.state !== 'initiated') leg.peer = other.number;
    }
  }

  /** Statistics, history and ACD bookkeeping when a party's leg ends. */
  private legEnded(call: Call, leg: Leg, cause: CallCause | undefined): void {
    const now = this.clock.now();
    const dev = this.devicesByNumber.get(leg.number);
    if (!dev || leg.kind !== 'device') return;
    const connectedSec = leg.wasConnected ? this.secondsSince(leg.connectedAt) : 0;
    const alertingSec = leg.alertingAt !== undefined ? Math.floor(((leg.connectedAt ?? leg.endedAt ?? now) - leg.alertingAt) / this.config.msPerSecond) : 0;
    const s = dev.stats;
    const acd = leg.acdService !== undefined;
    if (leg.outgoing) {
      if (leg.wasConnected) {
        s.outgoingConnected++;
        s.outgoingConnectedDur.add(connectedSec);
        if (this.isLoggedOnAgent(leg.number)) {
          s.agentOutgoingConnected++;
          s.agentOutgoingConnectedDur.add(connectedSec);
        }
      }
    } else {
      if (leg.alertingAt !== undefined) {
        s.incomingAlerting++;
        s.incomingAlertingDur.add(alertingSec);
        if (acd) {
          s.agentIncomingAlerting++;
          s.agentIncomingAlertingDur.add(alertingSec);
        }
      }
      if (leg.wasConnected) {
        s.incomingConnected++;
        s.incomingConnectedDur.add(connectedSec);
        if (acd) {
          s.agentIncomingConnected++;
          s.agentIncomingConnectedDur.add(connectedSec);
        }
      } else if (cause === 'droppedByOtherParty') {
        s.incomingAbandoned++;
        if (acd) s.agentIncomingAbandoned++;
      }
    }
    const other = call.legs.find((l) => l.number === leg.peer);
    dev.history.push({
      kind: 'call',
      device: leg.number,
      userID: dev.agent?.cfg.userID,
      at: leg.joinedAt,
      otherParty: leg.peer || undefined,
      otherName: other?.name,
      alertingSec: leg.outgoing ? 0 : alertingSec,
      durationSec: connectedSec,
      outgoing: leg.outgoing,
      connected: leg.wasConnected,
      cause: cause ?? 'normal',
      callId: call.id,
    });
    if (acd) {
      const q = leg.acdService ? this.queues.get(leg.acdService) : undefined;
      if (q && leg.wasConnected) q.stats.connectedDur.add(connectedSec);
      if (q && !leg.wasConnected && cause === 'droppedByOtherParty') q.stats.abandonedOnAgent++;
      const agent = dev.agent;
      if (agent && leg.wasConnected && agent.state === 'busy') {
        this.applyAgentState(dev, agent, agent.cfg.wrapUpSec > 0 ? 'workingAfterCall' : 'ready');
        return;
      }
    }
    // A ready agent whose call ended is free again for waiting calls.
    if (dev.agent?.state === 'ready') this.distributeFor(leg.number);
  }

  // ================================================================ internals: ACD

  private enqueue(call: Call, caller: Leg, q: QueueRuntime, depth: number): void {
    if (q.cfg.direction === 'outbound' || q.state === 'stopped' || q.state === 'started-failed' || q.state === 'started-completed') {
      this.failCaller(call, caller, 'destNotObtainable');
      return;
    }
    q.stats.incomingCalls++;
    if (q.state === 'started-suspended') {
      q.stats.routedToFailureRoute++;
      if (q.cfg.failureRoute) this.route(call, caller, q.cfg.failureRoute, { firstCalled: q.cfg.service, lastRedirection: q.cfg.service }, depth + 1);
      else this.failCaller(call, caller, 'busy');
      return;
    }
    const queueLeg = this.addLeg(call, { number: q.cfg.service, kind: 'queue', state: 'queued', outgoing: false, peer: caller.number, firstCalled: q.cfg.service });
    call.service = q.cfg.service;
    call.queuedAt = this.clock.now();
    caller.peer = q.cfg.service;
    if (caller.kind === 'device') {
      caller.state = 'queued';
      this.emitLeg(call, caller);
    }
    this.emitLeg(call, queueLeg);
    q.waiting.push(call.id);
    this.emit({ type: 'queue', service: q.cfg.service });
    this.distribute(q);
  }

  private queueMembers(service: string): Array<[DeviceRuntime, AgentRuntime]> {
    const out: Array<[DeviceRuntime, AgentRuntime]> = [];
    for (const dev of this.devicesByNumber.values()) if (dev.agent?.cfg.inboundServices.includes(service)) out.push([dev, dev.agent]);
    return out;
  }

  private hasReadyAgent(service: string): boolean {
    return this.queueMembers(service).some(([, a]) => a.state === 'ready');
  }

  /** Hand waiting calls to free ready agents, the longest idle first. */
  private distribute(q: QueueRuntime): void {
    if (q.state !== 'started-running' && q.state !== 'started') return;
    for (let guard = 0; guard < 10_000 && q.waiting.length > 0; guard++) {
      const free = this.queueMembers(q.cfg.service)
        .filter(([dev, a]) => a.state === 'ready' && this.legsOf(dev.cfg.number).length === 0 && !dev.dnd)
        .sort((x, y) => x[1].idleSince - y[1].idleSince);
      const pick = free[0];
      if (!pick) return;
      const callId = q.waiting.shift() as string;
      const call = this.calls.get(callId);
      if (!call) continue;
      const queueLeg = call.legs.find((l) => l.kind === 'queue' && l.state === 'queued');
      const caller = this.live(call).find((l) => l.kind !== 'queue');
      if (!queueLeg || !caller) continue;
      queueLeg.state = 'cleared';
      queueLeg.endedAt = this.clock.now();
      call.legs = call.legs.filter((l) => l !== queueLeg);
      q.stats.queuedDur.add(this.secondsSince(call.queuedAt));
      q.stats.routedToDistribution++;
      this.addAlertingLeg(call, caller, pick[0].cfg.number, {
        firstCalled: q.cfg.service,
        lastRedirection: q.cfg.service,
        acdService: q.cfg.service,
        legCause: 'route',
      });
      this.emit({ type: 'queue', service: q.cfg.service });
    }
  }

  private distributeFor(device: string): void {
    const agent = this.devicesByNumber.get(device)?.agent;
    if (!agent) return;
    for (const service of agent.cfg.inboundServices) {
      const q = this.queues.get(service);
      if (!q) continue;
      if (q.state === 'started' && agent.state === 'ready') {
        q.state = 'started-running';
        this.emit({ type: 'queue', service });
      }
      this.distribute(q);
    }
  }

  private requeueUnanswered(call: Call, leg: Leg, q: QueueRuntime): void {
    const caller = this.live(call).find((l) => l !== leg);
    leg.state = 'cleared';
    leg.endedAt = this.clock.now();
    this.emitLeg(call, leg);
    this.legEnded(call, leg, undefined);
    const dev = this.devicesByNumber.get(leg.number);
    if (dev?.agent && dev.agent.state === 'ready') this.applyAgentState(dev, dev.agent, 'notReady');
    if (!caller) return;
    const queueLeg = this.addLeg(call, { number: q.cfg.service, kind: 'queue', state: 'queued', outgoing: false, peer: caller.number, firstCalled: q.cfg.service });
    caller.peer = q.cfg.service;
    if (caller.kind === 'device') caller.state = 'queued';
    this.emitLeg(call, queueLeg);
    call.queuedAt = this.clock.now();
    q.waiting.unshift(call.id);
    this.distribute(q);
  }

  private abandonQueued(call: Call, q: QueueRuntime, queueLeg: Leg): void {
    queueLeg.state = 'cleared';
    queueLeg.endedAt = this.clock.now();
    q.waiting = q.waiting.filter((id) => id !== call.id);
    const waited = this.secondsSince(call.queuedAt);
    q.stats.queuedDur.add(waited);
    if (waited < q.cfg.immediateAbandonSec) q.stats.abandonedImmediately++;
    else q.stats.abandonedOnQueue++;
    this.emit({ type: 'queue', service: q.cfg.service });
  }

  private failQueued(call: Call, q: QueueRuntime, cause: CallCause): void {
    const queueLeg = call.legs.find((l) => l.kind === 'queue' && l.state === 'queued');
    if (queueLeg) {
      queueLeg.state = 'cleared';
      call.legs = call.legs.filter((l) => l !== queueLeg);
    }
    q.waiting = q.waiting.filter((id) => id !== call.id);
    const caller = this.live(call)[0];
    if (caller) this.failCaller(call, caller, cause);
  }

  private applyAgentState(dev: DeviceRuntime, agent: AgentRuntime, state: AgentState): void {
    const now = this.clock.now();
    this.timers.clear(agent.wrapUpTimer);
    agent.wrapUpTimer = undefined;
    agent.wrapUpUntil = undefined;
    const wasLoggedOff = agent.state === 'loggedOff';
    agent.state = state;
    if (state === 'loggedOn' && wasLoggedOff) agent.loggedOnAt = now;
    if (state === 'workingAfterCall' && agent.cfg.wrapUpSec > 0) {
      agent.wrapUpUntil = now + agent.cfg.wrapUpSec * this.config.msPerSecond;
      agent.wrapUpTimer = this.timers.set(
        () => this.op(() => agent.state === 'workingAfterCall' && this.applyAgentState(dev, agent, 'ready')),
        agent.cfg.wrapUpSec * this.config.msPerSecond,
      );
    }
    if (state === 'ready') agent.idleSince = now;
    dev.stats.agentStateChanged(state, now);
    dev.history.push({ kind: 'agent', device: dev.cfg.number, userID: agent.cfg.userID, at: now, agentState: state });
    this.emit({ type: 'agent', device: dev.cfg.number, agent: this.agentSnapshot(dev, agent) });
    if (state === 'loggedOn' && agent.cfg.inboundServices.some((s) => this.queues.get(s)?.cfg.agentReadyOnLoggedOn)) {
      this.applyAgentState(dev, agent, 'ready');
      return;
    }
    if (state === 'ready') this.distributeFor(dev.cfg.number);
  }

  private agentSnapshot(dev: DeviceRuntime, agent: AgentRuntime): AgentSnapshot {
    const timeoutSec =
      agent.wrapUpUntil !== undefined ? Math.max(0, Math.ceil((agent.wrapUpUntil - this.clock.now()) / this.config.msPerSecond)) : undefined;
    return {
      device: dev.cfg.number,
      userID: agent.cfg.userID,
      state: agent.state,
      timeoutSec,
      inboundServices: [...agent.cfg.inboundServices],
      outboundServices: [...(agent.cfg.outboundServices ?? [])],
      permittedStates: [...permittedAgentStates[agent.state]],
    };
  }

  // ================================================================ internals: helpers

  private requireDevice(number: string): DeviceRuntime {
    const dev = this.devicesByNumber.get(number);
    if (!dev) throw new PbxError('unknownDevice', `no device ${number}`);
    return dev;
  }

  private requireQueue(service: string): QueueRuntime {
    const q = this.queues.get(service);
    if (!q) throw new PbxError('rejected', `no routing point ${service}`);
    return q;
  }

  private isBusy(device: string): boolean {
    const dev = this.devicesByNumber.get(device);
    return !dev?.cfg.callWaiting && this.legsOf(device).length > 0;
  }

  private isLoggedOnAgent(device: string): boolean {
    const s = this.devicesByNumber.get(device)?.agent?.state;
    return s !== undefined && s !== 'loggedOff' && s !== 'null';
  }

  private activeForward(dev: DeviceRuntime, types: ForwardType[]): ForwardRecord | undefined {
    for (const t of types) {
      const f = dev.forwards.get(t);
      if (f?.on) return f;
    }
    return undefined;
  }

  private deviceStats(device: string, fn: (s: UserStats) => void): void {
    const dev = this.devicesByNumber.get(device);
    if (dev) fn(dev.stats);
  }

  /** The device's leg in the first preferred state (by order of `states`), optionally with a given other party. */
  private pickActive(number: string, opts: PickOptions, states: LegState[]): { call: Call; leg: Leg } | undefined {
    const legs = this.legsOf(number).filter(({ call, leg }) => (opts.otherNumber === undefined || leg.peer === opts.otherNumber) && (opts.callId === undefined || call.id === opts.callId));
    for (const state of states) {
      const hit = legs.find(({ leg }) => leg.state === state);
      if (hit) return hit;
    }
    return undefined;
  }

  /** A held call and an active call (in one of `activeStates`) at the device, or noCall. */
  private heldAndActive(device: string, opts: TwoCallOptions, activeStates: LegState[]): { held: { call: Call; leg: Leg }; active: { call: Call; leg: Leg } } {
    const legs = this.legsOf(device);
    const held = legs.find(
      ({ call, leg }) =>
        leg.state === 'hold' && (opts.primOtherNumber === undefined || leg.peer === opts.primOtherNumber) && (opts.heldCallId === undefined || call.id === opts.heldCallId),
    );
    const active = legs.find(
      ({ call, leg }) =>
        call !== held?.call &&
        activeStates.includes(leg.state) &&
        (opts.secOtherNumber === undefined || leg.peer === opts.secOtherNumber) &&
        (opts.activeCallId === undefined || call.id === opts.activeCallId),
    );
    if (!held || !active) throw new PbxError('noCall', `${device} needs a held call and an active call`);
    return { held, active };
  }

  /** For the control API: states of a leg still being set up. */
  static isDialing(state: LegState): boolean {
    return dialingStates.has(state);
  }
}
