// InstantVoice → the normalized model (pure): the call tracker keyed by `uniqueid`, the agent-state
// vocabulary (events and AgentInfo `agentstatus`), and the supervisor's roster of agents fed by
// `iv.agents.#`. No sockets, no timers; the clock is injected.
import type { CallChange } from '../../../shared/events.js';
import type { AgentInfo, AgentStateKind, Call, CallAction, CallState, Colleague, ColleagueStateKind } from '../../../shared/model.js';
import type { IvAgentEvent, IvCallEvent } from './events.js';
import type { IvRecord } from './replies.js';

export const dial = (to: string): string => to.replace(/[\s().-]/g, '');

const ENDED_MEMORY = 1000;
/** How long a NewCall we sent waits for its NEWCALL (click-to-dial matching). */
const PENDING_DIAL_MS = 60_000;

export type TrackerOutput =
  | { kind: 'call'; change: CallChange; call: Call }
  | { kind: 'ended'; callId: string; at: number; cause?: string; call: Call };

interface Tracked {
  call: Call;
  uniqueid: string;
  /** An outbound NEWCALL that matched a NewCall we sent: CONNECT is the agent's leg. */
  clickToDial: boolean;
  /** The tracker's seq when the call was first seen (a snapshot only ends calls older than itself). */
  bornSeq: number;
}

const allowedFor = (state: CallState): CallAction[] =>
  state === 'connected' ? ['clear', 'transfer'] : state === 'alerting' || state === 'dialing' || state === 'ringing' ? ['clear'] : [];

/** Order of progress: an image never moves back (a late or duplicated event). */
const rank: Record<CallState, number> = { dialing: 0, queued: 0, alerting: 0, ringing: 1, connected: 2, held: 2, failed: 3, cleared: 3 };

/** Line status (AgentLineList `linestatus`) → call state for a call the tracker did not know. Only IDLE is documented. */
export function lineCallState(linestatus: string | null): CallState {
  const s = (linestatus ?? '').trim().toUpperCase();
  if (s === 'RINGING' || s === 'RING' || s === 'ALERTING') return 'alerting';
  if (s === 'DIALING' || s === 'DIAL') return 'dialing';
  return 'connected';
}

export class IvCallTracker {
  private seqN = 0;
  private readonly calls = new Map<string, Tracked>();
  private readonly ended: string[] = [];
  private readonly endedSet = new Set<string>();
  private pendingDials: Array<{ exten: string; at: number }> = [];

  constructor(private readonly opts: { device: string; now: () => number }) {}

  get seq(): number {
    return this.seqN;
  }

  /** A NewCall is about to be sent to `exten`: its outbound NEWCALL is the agent's leg of a click-to-dial. */
  expectDial(exten: string): void {
    const now = this.opts.now();
    this.pendingDials = this.pendingDials.filter((p) => now - p.at < PENDING_DIAL_MS);
    this.pendingDials.push({ exten: dial(exten), at: now });
  }

  /** The NewCall failed: no NEWCALL will come for it. */
  cancelDial(exten: string): void {
    const i = this.pendingDials.findIndex((p) => p.exten === dial(exten));
    if (i >= 0) this.pendingDials.splice(i, 1);
  }

  static callId(uniqueid: string): string {
    return `iv-${uniqueid}`;
  }

  list(): Call[] {
    return [...this.calls.values()].map((t) => t.call);
  }

  get size(): number {
    return this.calls.size;
  }

  byCallId(callId: string): { uniqueid: string; call: Call } | null {
    for (const t of this.calls.values()) if (t.call.id === callId) return { uniqueid: t.uniqueid, call: t.call };
    return null;
  }

  isEnded(uniqueid: string): boolean {
    return this.endedSet.has(uniqueid);
  }

  /** One call event of the agent → the normalized changes (empty for duplicates and late events). */
  apply(e: IvCallEvent): TrackerOutput[] {
    const uid = e.uniqueid.trim();
    if (uid === '' || this.endedSet.has(uid)) return [];
    const now = this.opts.now();
    const t = this.calls.get(uid);
    if (e.type === 'HANGUP') {
      if (!t) {
        this.remember(uid);
        return [];
      }
      return [this.end(t, now, e.hangupReason ?? undefined)];
    }
    if (!t) {
      // First sight of this call.
      if (e.type === 'NEWCALL') {
        const outbound = e.direction === 'outbound';
        const c2d = outbound && this.takeDial(e.callerid);
        return [this.create(uid, outbound ? 'dialing' : 'alerting', outbound ? 'outbound' : 'inbound', e.callerid, c2d, now)];
      }
      // NEWCALL missed: the call is taken as it now is.
      if (e.type === 'CONNECT') return [this.create(uid, 'connected', e.direction ?? 'inbound', e.callerid, false, now)];
      if (e.type === 'DNEWCALL') return [this.create(uid, 'ringing', 'outbound', e.callerid, true, now)];
      return [this.create(uid, 'connected', 'outbound', e.callerid, true, now)]; // DCONNECT
    }
    let next: CallState;
    switch (e.type) {
      case 'NEWCALL':
        return []; // duplicate
      case 'CONNECT':
        next = t.clickToDial ? t.call.state : 'connected';
        break;
      case 'DNEWCALL':
        t.clickToDial = true;
        next = 'ringing';
        break;
      case 'DCONNECT':
        t.clickToDial = true;
        next = 'connected';
        break;
    }
    if (next === t.call.state || rank[next] < rank[t.call.state]) return [];
    return [this.update(t, next, now)];
  }

  /**
   * A snapshot's lines (AgentLineList `uniqueid`s) are authoritative: calls held that no line shows
   * (and that are older than the snapshot request, `sinceSeq`) end; a call on a line the tracker does
   * not know is added with an unknown remote.
   */
  reconcile(lines: ReadonlyArray<{ uniqueid: string | null; linestatus: string | null }>, sinceSeq: number): TrackerOutput[] {
    const now = this.opts.now();
    const out: TrackerOutput[] = [];
    const onLine = new Map<string, string | null>();
    for (const l of lines) {
      const uid = (l.uniqueid ?? '').trim();
      if (uid !== '' && uid !== '0') onLine.set(uid, l.linestatus);
    }
    for (const t of [...this.calls.values()]) {
      if (!onLine.has(t.uniqueid) && t.bornSeq <= sinceSeq) out.push(this.end(t, now, undefined));
    }
    for (const [uid, status] of onLine) {
      if (this.calls.has(uid) || this.endedSet.has(uid)) continue;
      out.push(this.create(uid, lineCallState(status), 'inbound', '', false, now));
    }
    return out;
  }

  private takeDial(callerid: string): boolean {
    const now = this.opts.now();
    const number = dial(callerid);
    const i = this.pendingDials.findIndex((p) => p.exten === number && now - p.at < PENDING_DIAL_MS);
    if (i < 0) return false;
    this.pendingDials.splice(i, 1);
    return true;
  }

  private create(uid: string, state: CallState, direction: 'inbound' | 'outbound', callerid: string, clickToDial: boolean, now: number): TrackerOutput {
    const seq = ++this.seqN;
    const call: Call = {
      id: IvCallTracker.callId(uid),
      ref: { vendor: 'instantvoice', device: this.opts.device, callId: uid },
      state,
      direction,
      remote: { number: callerid },
      conferenceParties: [],
      isConference: false,
      isConsultation: false,
      data: {},
      startedAt: now,
      ...(state === 'connected' ? { connectedAt: now } : {}),
      allowed: allowedFor(state),
      seq,
    };
    this.calls.set(uid, { call, uniqueid: uid, clickToDial, bornSeq: seq });
    return { kind: 'call', change: state === 'connected' ? 'connected' : state === 'alerting' ? 'alerting' : state === 'ringing' ? 'ringing' : 'dialing', call };
  }

  private update(t: Tracked, state: CallState, now: number): TrackerOutput {
    t.call = {
      ...t.call,
      state,
      allowed: allowedFor(state),
      ...(state === 'connected' && t.call.connectedAt === undefined ? { connectedAt: now } : {}),
      seq: ++this.seqN,
    };
    return { kind: 'call', change: state === 'connected' ? 'connected' : state === 'ringing' ? 'ringing' : 'updated', call: t.call };
  }

  private end(t: Tracked, now: number, cause: string | undefined): TrackerOutput {
    this.calls.delete(t.uniqueid);
    this.remember(t.uniqueid);
    const call: Call = { ...t.call, state: 'cleared', allowed: [], endedAt: now, ...(cause ? { cause } : {}), seq: ++this.seqN };
    return { kind: 'ended', callId: call.id, at: now, ...(cause ? { cause } : {}), call };
  }

  private remember(uid: string): void {
    if (this.endedSet.has(uid)) return;
    this.ended.push(uid);
    this.endedSet.add(uid);
    while (this.ended.length > ENDED_MEMORY) this.endedSet.delete(this.ended.shift() as string);
  }
}

// ---- agent state ------------------------------------------------------------------------------

export interface IvAgentStatus {
  state: AgentStateKind;
  reason?: string;
}

/**
 * AgentInfo `agentstatus` → state. Only LOGOFF is documented (L540); the rest is the vocabulary the
 * QueueInfo counters imply (digest §5.5): IDLE, ONCALL, PAUSED, PENDING_PAUSE / PENDING_LOGOFF (still
 * on a call), WRAPUP, QUARANTINE, LOGOFF_PAUSE. Anything else → unknown.
 */
export function agentStatusOf(agentstatus: string | null, reasonsReason: string | null): IvAgentStatus {
  const s = (agentstatus ?? '').trim().toUpperCase().replace(/[\s-]/g, '_');
  const reason = reasonsReason !== null && reasonsReason.trim() !== '' ? reasonsReason.trim() : undefined;
  switch (s) {
    case 'LOGOFF':
    case 'LOGGEDOFF':
    case 'LOGOUT':
    case 'LOGOFF_PAUSE':
      return { state: 'loggedOff' };
    case 'IDLE':
    case 'LOGIN':
    case 'LOGGEDIN':
    case 'AVAILABLE':
      return { state: 'ready' };
    case 'PAUSED':
    case 'PAUSE':
      return reason ? { state: 'notReady', reason } : { state: 'notReady' };
    case 'ONCALL':
    case 'PENDING_PAUSE':
    case 'PENDING_LOGOFF':
      return { state: 'busy' };
    case 'WRAPUP':
    case 'UNAVAILABLE_WRAPUP':
      return { state: 'wrapUp' };
    case 'QUARANTINE':
    case 'UNAVAILABLE_QUARANTINE':
      return { state: 'notReady', reason: 'Quarantine' };
    default:
      return { state: 'unknown' };
  }
}

/** An agent event → state. */
export function agentEventStatus(e: IvAgentEvent): IvAgentStatus {
  switch (e.state) {
    case 'loggedIn':
    case 'available':
      return { state: 'ready' };
    case 'loggedOut':
      return { state: 'loggedOff' };
    case 'paused':
      return e.pauseDescription ? { state: 'notReady', reason: e.pauseDescription } : { state: 'notReady' };
  }
}

/** What the agent may ask for next (setAgentState). */
export function permittedFrom(state: AgentStateKind): AgentStateKind[] {
  switch (state) {
    case 'loggedOff':
      return ['ready'];
    case 'ready':
      return ['notReady', 'loggedOff'];
    case 'notReady':
      return ['ready', 'notReady', 'loggedOff'];
    case 'busy':
    case 'wrapUp':
      return ['notReady', 'loggedOff'];
    default:
      return ['ready', 'notReady', 'loggedOff'];
  }
}

/** Coarse class used to compare the keep-alive's AgentInfo with what the events built (ONCALL is not an event). */
export function agentClass(state: AgentStateKind): 'off' | 'paused' | 'on' | null {
  if (state === 'loggedOff') return 'off';
  if (state === 'notReady') return 'paused';
  if (state === 'ready' || state === 'busy' || state === 'wrapUp' || state === 'loggedOn') return 'on';
  return null;
}

export function buildAgentInfo(
  status: IvAgentStatus,
  o: { agentId: string; since: number; reasons: string[]; role: 'agent' | 'supervisor' },
): AgentInfo {
  return {
    state: status.state,
    agentId: o.agentId,
    ...(status.reason ? { reason: status.reason.slice(0, 128) } : {}),
    since: o.since,
    permitted: permittedFrom(status.state),
    services: [],
    reasons: o.reasons,
    role: o.role,
  };
}

// ---- supervisor roster ------------------------------------------------------------------------

export const MAX_ROSTER = 200;

interface RosterCall {
  phase: 'offered' | 'answered';
  direction: 'inbound' | 'outbound' | null;
  callerid: string;
}

interface RosterEntry {
  number: string;
  name?: string;
  agent: IvAgentStatus | null;
  /** Status text as AgentInfo gave it. */
  detail?: string;
  calls: Map<string, RosterCall>;
  image?: Colleague;
}

/** The team as `iv.agents.#` reports it: AgentList + AgentInfo, then live events. Bounded to MAX_ROSTER. */
export class IvRoster {
  private readonly entries = new Map<string, RosterEntry>();

  constructor(private readonly o: { accountcode: string; now: () => number }) {}

  /** Replace the roster from AgentList + AgentInfo (null = AgentInfo failed for that agent). */
  reset(agents: ReadonlyArray<{ number: string; info: IvRecord | null }>): Colleague[] {
    const previous = new Map(this.entries);
    this.entries.clear();
    for (const a of agents.slice(0, MAX_ROSTER)) {
      const prev = previous.get(a.number);
      const info = a.info;
      const entry: RosterEntry = {
        number: a.number,
        ...(info?.name ? { name: info.name } : prev?.name ? { name: prev.name } : {}),
        agent: info ? agentStatusOf(info.agentstatus ?? null, info.reasons_reason ?? null) : null,
        ...(info?.agentstatus ? { detail: info.agentstatus } : {}),
        // Calls seen live are kept when AgentInfo says the agent is still on a call.
        calls: info && agentStatusOf(info.agentstatus ?? null, null).state === 'busy' && prev ? prev.calls : new Map(),
        ...(prev?.image ? { image: prev.image } : {}),
      };
      this.entries.set(a.number, entry);
      this.refresh(entry);
    }
    return this.list();
  }

  list(): Colleague[] {
    return [...this.entries.values()].map((e) => e.image ?? this.build(e));
  }

  /** An agent or call event from `iv.agents.#` → the colleague's new image (null: nothing changed, other account, roster full). */
  apply(e: IvAgentEvent | IvCallEvent): Colleague | null {
    if (e.agent.accountcode !== this.o.accountcode || e.agent.agent === null) return null;
    let entry = this.entries.get(e.agent.agent);
    if (!entry) {
      if (this.entries.size >= MAX_ROSTER) return null;
      entry = { number: e.agent.agent, agent: null, calls: new Map() };
      this.entries.set(entry.number, entry);
    }
    if (e.kind === 'agent') {
      entry.agent = agentEventStatus(e);
      entry.detail = e.type;
    } else {
      const uid = e.uniqueid.trim() || '?';
      if (e.type === 'HANGUP') entry.calls.delete(uid);
      else {
        const prev = entry.calls.get(uid);
        entry.calls.set(uid, {
          phase: e.phase === 'answered' || prev?.phase === 'answered' ? 'answered' : 'offered',
          direction: e.type === 'DNEWCALL' || e.type === 'DCONNECT' ? 'outbound' : (e.direction ?? prev?.direction ?? null),
          callerid: e.callerid || prev?.callerid || '',
        });
        while (entry.calls.size > 16) entry.calls.delete(entry.calls.keys().next().value as string);
      }
    }
    return this.refresh(entry);
  }

  private refresh(entry: RosterEntry): Colleague | null {
    const next = this.build(entry);
    const prev = entry.image;
    if (
      prev &&
      prev.state === next.state &&
      prev.agentState === next.agentState &&
      prev.reason === next.reason &&
      prev.direction === next.direction &&
      prev.remote?.number === next.remote?.number &&
      prev.name === next.name
    )
      return null;
    if (prev && prev.state === next.state && prev.agentState === next.agentState) next.since = prev.since;
    entry.image = next;
    return next;
  }

  private build(entry: RosterEntry): Colleague {
    const calls = [...entry.calls.values()];
    const current = calls.find((c) => c.phase === 'answered') ?? calls[calls.length - 1];
    let state: ColleagueStateKind;
    if (current) state = current.phase === 'answered' ? 'busy' : 'ringing';
    else if (!entry.agent || entry.agent.state === 'unknown') state = 'unknown';
    else state = entry.agent.state === 'busy' ? 'busy' : 'idle';
    return {
      number: entry.number,
      ...(entry.name ? { name: entry.name.slice(0, 256) } : {}),
      state,
      ...(entry.detail ? { detail: entry.detail.slice(0, 128) } : {}),
      ...(current && current.callerid ? { remote: { number: current.callerid.slice(0, 64) } } : {}),
      // No event says ONCALL: an available agent talking on a call is busy for the ACD.
      ...(entry.agent ? { agentState: entry.agent.state === 'ready' && current?.phase === 'answered' ? 'busy' : entry.agent.state } : {}),
      ...(entry.agent?.reason ? { reason: entry.agent.reason.slice(0, 128) } : {}),
      ...(current?.direction ? { direction: current.direction } : {}),
      since: this.o.now(),
    };
  }
}
