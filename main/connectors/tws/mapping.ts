// TWS → the normalized model (shared/model.ts): the call tracker (TwsEvent call payloads and
// TWS_QueryCCosByDevice listings → Call images with stable ids), agent state, colleagues'
// busy lamps, forwards, call data, directory entries and call-log rows. Pure apart from the
// clock it is given. Rules and their reasons: NOTES.md "Mapping".
import type { CallLogRow } from '../../../shared/calllog.js';
import { changeForState, type CallChange, type CallEndedEvent, type CallEvent } from '../../../shared/events.js';
import {
  callActions,
  type AgentInfo,
  type AgentStateKind,
  type Call,
  type CallAction,
  type CallData,
  type CallState,
  type Colleague,
  type ColleagueStateKind,
  type DirectoryEntry,
  type Forward,
  type ForwardType as NormalizedForwardType,
  type Party,
} from '../../../shared/model.js';
import type { AgentStateName, ForwardType as TwsForwardType } from './codes.js';
import type { TwsCco, TwsConnection, TwsParty, TwsSupervision } from './events.js';
import type { CallLogEntry, DeviceInfo, ForwardInfo } from './results.js';
import { isObject, list, member, parseTwsDate, str, type TwsValue } from './value.js';

export type CallTrackerEvent = CallEvent | CallEndedEvent;

const clip = (s: string, n: number): string => (s.length > n ? s.slice(0, n) : s);
const blank = (s: string | null | undefined): s is null | undefined | '' => s === null || s === undefined || s.trim() === '';

// ---------------------------------------------------------------- parties

/** `****` (a masked correspondent, §4.6.6) or any run of asterisks only. */
export function isMasked(s: string | null | undefined): boolean {
  return !blank(s) && /^\*{3,}$/.test(s.trim());
}

/** A correspondent (`CGenericUser`) → Party. Masked or red-listed → withheld, no number, no name. */
export function partyOf(p: TwsParty): Party {
  const withheld = p.isRedList || isMasked(p.publicNumber) || isMasked(p.display) || isMasked(p.infoDisplay);
  if (withheld) return { number: '', withheld: true };
  const number = clip((p.publicNumber ?? '').trim(), 64);
  const person = [p.firstname, p.lastname].filter((x): x is string => !blank(x)).map((x) => x.trim()).join(' ');
  // A display that is only a number is not a name.
  const display = [p.infoDisplay, p.display].find((d): d is string => !blank(d) && d.trim() !== number && !/^[+\d\s*#]+$/.test(d.trim()));
  const name = person || display?.trim() || '';
  const party: Party = { number };
  if (name) party.name = clip(name, 256);
  if (!blank(p.company)) party.company = clip(p.company.trim(), 256);
  return party;
}

const hasIdentity = (p: Party): boolean => p.number !== '' || p.withheld === true || p.name !== undefined;

// ---------------------------------------------------------------- call states

/** EConnectionState (§4.7) → CallState; null = not a state to show (kept as it was). */
export function mapConnectionState(raw: string | null, direction: 'inbound' | 'outbound' | undefined): CallState | 'ended' | null {
  switch ((raw ?? '').trim().toLowerCase()) {
    case 'initiated':
    case 'originated':
      return 'dialing';
    case 'predelivered':
      return direction === 'outbound' ? 'dialing' : 'alerting';
    case 'delivered':
      return direction === 'outbound' ? 'ringing' : 'alerting';
    case 'queued':
      return 'queued';
    case 'established':
    case 'retrieved':
    case 'conferenced':
      return 'connected';
    case 'held':
      return 'held';
    case 'failed':
    case 'blocked':
      return 'failed';
    case 'cleared':
    case 'idle':
    case 'transferred':
    case 'diverted':
    case 'disconnected':
      return 'ended';
    default:
      return null;
  }
}

function directionOf(c: TwsConnection): 'inbound' | 'outbound' | undefined {
  const d = (c.direction ?? '').trim().toLowerCase();
  if (d === 'incoming') return 'inbound';
  if (d === 'outgoing') return 'outbound';
  const s = (c.state ?? '').trim().toLowerCase();
  if (s === 'initiated' || s === 'originated') return 'outbound';
  if (s === 'delivered' || s === 'queued') return 'inbound';
  return undefined;
}

/** Progress order: a call never goes back (a late or duplicated event is ignored). */
const rank: Record<CallState, number> = { dialing: 0, ringing: 1, queued: 1, alerting: 1, connected: 2, held: 2, failed: 3, cleared: 4 };

/** `m_callAction` flag (§4.6.5) → normalized action. Unlisted flags (Callback, DropConference, …) give nothing. */
const flagActions: Record<string, CallAction> = {
  answer: 'answer',
  release: 'clear',
  hold: 'hold',
  unhold: 'retrieve',
  recover: 'retrieve',
  swaphold: 'alternate',
  conference: 'conference',
  divertcall: 'redirect',
  singlesteptransfer: 'transfer',
};

/** Actions the TWS connector never offers (no TWS function, §9 "Not possible"). */
const neverOffered: ReadonlySet<CallAction> = new Set(['sendDtmf', 'record', 'callBack', 'transactionCode', 'reconnect', 'addParty']);

// ---------------------------------------------------------------- call tracker

interface CallRecord {
  id: string;
  connectionId: string;
  callLogId: string | null;
  ccoId: string | null;
  ccoType: string | null;
  device: string;
  state: CallState;
  rawState: string | null;
  direction: 'inbound' | 'outbound';
  remote: Party | undefined;
  parties: Party[];
  called: Party | undefined;
  redirectedBy: Party | undefined;
  flags: string[];
  consultation: boolean;
  conferenced: boolean;
  cause: string | undefined;
  data: CallData;
  startedAt: number;
  connectedAt: number | undefined;
  /** Creation order, for "the oldest alerting call". */
  order: number;
  /** Dedup key of the last event applied (§4.9). */
  lastKey: string | null;
  dialled: string | undefined;
  image: Call | undefined;
}

export interface TwsTrackerOptions {
  /** The profile's device: only its connections are the agent's calls. */
  device: string;
  now: () => number;
}

/** Where a normalized id points on the wire. */
export interface TwsCallLocation {
  connectionId: string;
  callLogId: string | null;
  device: string;
  call: Call;
}

const TOMBSTONE_MS = 60_000;
const MAX_TOMBSTONES = 1000;
const DIAL_HINT_MS = 15_000;

export class TwsCallTracker {
  private readonly opts: TwsTrackerOptions;
  /** Live records by connectionId. */
  private readonly records = new Map<string, CallRecord>();
  private readonly tombstones = new Map<string, number>();
  private readonly endedLogIds = new Map<string, number>();
  private dialHints: Array<{ number: string; data: CallData | undefined; at: number }> = [];
  private seq = 0;
  private order = 0;
  private nextId: number;
  /** Events with a state this tracker does not know (the connector resyncs on them). */
  unknownStates = 0;

  constructor(opts: TwsTrackerOptions) {
    this.opts = opts;
    // Seeded from the clock so ids stay unique across app restarts (call-log keys).
    this.nextId = Math.max(1, Math.floor(opts.now()));
  }

  get size(): number {
    return this.records.size;
  }

  calls(): Call[] {
    return [...this.records.values()].map((r) => r.image).filter((c): c is Call => c !== undefined);
  }

  locate(callId: string): TwsCallLocation | undefined {
    for (const r of this.records.values()) {
      if (r.id === callId && r.image) return { connectionId: r.connectionId, callLogId: r.callLogId, device: r.device, call: r.image };
    }
    return undefined;
  }

  /** What the tracker holds, comparable with a listing: `connectionId=state` sorted. */
  signature(): string {
    return [...this.records.values()].map((r) => `${r.connectionId}=${r.state}`).sort().join(',');
  }

  /** The signature a listing would give once reconciled (same rules), to count missed events. */
  listingSignature(ccos: readonly TwsCco[]): string {
    const out: string[] = [];
    for (const { conn } of this.mine(ccos)) {
      const id = conn.connectionId as string;
      if (this.isGone(id, conn.callLogId)) continue;
      const rec = this.records.get(id);
      const dir = rec?.direction ?? directionOf(conn);
      const s = mapConnectionState(conn.state, dir);
      if (s === 'ended') continue;
      const state = s === null ? (rec?.state ?? (dir === 'outbound' ? 'dialing' : 'alerting')) : rec && rank[s] < rank[rec.state] ? rec.state : s;
      out.push(`${id}=${state}`);
    }
    return out.sort().join(',');
  }

  /** A number just dialled (makeCall/consult), to name the outgoing call before TWS names its party. */
  expectDialled(number: string, data?: CallData): void {
    const now = this.opts.now();
    this.dialHints = [...this.dialHints.filter((h) => now - h.at < DIAL_HINT_MS), { number, data, at: now }].slice(-8);
  }

  /** The dial failed: forget its hint. */
  dropDialHint(number: string): void {
    const i = this.dialHints.findIndex((h) => h.number === number);
    if (i >= 0) this.dialHints.splice(i, 1);
  }

  /** A call event: every connection of the agent's device in its CCos. */
  apply(ccos: readonly TwsCco[]): CallTrackerEvent[] {
    this.sweep();
    const out: CallTrackerEvent[] = [];
    const touched = new Set<CallRecord>();
    const causes = new Map<CallRecord, CallChange | undefined>();
    for (const { cco, conn } of this.mine(ccos)) {
      const r = this.upsert(cco, conn, true, out);
      if (r) {
        touched.add(r.rec);
        causes.set(r.rec, r.change);
      }
    }
    out.push(...this.refresh(touched, causes));
    return out;
  }

  /** An authoritative listing (TWS_QueryCCosByDevice): what it lacks has ended. */
  reconcile(ccos: readonly TwsCco[]): CallTrackerEvent[] {
    this.sweep();
    const out: CallTrackerEvent[] = [];
    const listed = new Set<string>();
    const touched = new Set<CallRecord>();
    const causes = new Map<CallRecord, CallChange | undefined>();
    for (const { cco, conn } of this.mine(ccos)) {
      listed.add(conn.connectionId as string);
      const r = this.upsert(cco, conn, false, out);
      if (r) {
        touched.add(r.rec);
        causes.set(r.rec, r.change);
        listed.add(r.rec.connectionId);
      }
    }
    for (const rec of [...this.records.values()]) if (!listed.has(rec.connectionId)) out.push(this.end(rec, undefined));
    out.push(...this.refresh(touched, causes));
    return out;
  }

  /** Call data read or written for a call: merged into its image. */
  setData(callId: string, data: CallData, replace = false): CallTrackerEvent[] {
    const rec = [...this.records.values()].find((r) => r.id === callId);
    if (!rec) return [];
    const next = replace ? { ...data } : { ...rec.data, ...data };
    if (JSON.stringify(next) === JSON.stringify(rec.data)) return [];
    rec.data = next;
    if (!rec.image) return [];
    const image: Call = { ...rec.image, data: { ...next }, seq: ++this.seq };
    rec.image = image;
    return [{ type: 'call', change: 'dataUpdated', call: image }];
  }

  /** Forget tombstones past their time. */
  sweep(): void {
    const now = this.opts.now();
    for (const [id, at] of this.tombstones) if (now - at > TOMBSTONE_MS) this.tombstones.delete(id);
    for (const [id, at] of this.endedLogIds) if (now - at > TOMBSTONE_MS) this.endedLogIds.delete(id);
  }

  // ---------------------------------------------------------------- internals

  /**
   * An ended connection: its reference is tombstoned, unless the event names a call-log id never seen
   * ended (PBX call references are reused: a parked call taken back, say, comes under the same
   * m_connectionId with a new m_callLogId); a late event of the ended one carries the old id or none.
   */
  private isGone(connectionId: string, callLogId: string | null | undefined): boolean {
    const id = connectionId.trim();
    if (!this.tombstones.has(id)) return false;
    const logId = blank(callLogId) ? null : (callLogId as string).trim();
    return logId === null || this.endedLogIds.has(logId) || [...this.records.values()].some((r) => r.callLogId === logId);
  }

  private *mine(ccos: readonly TwsCco[]): Generator<{ cco: TwsCco; conn: TwsConnection }> {
    for (const cco of ccos) {
      for (const conn of cco.connections) {
        if (blank(conn.connectionId)) continue;
        if (!blank(conn.device) && conn.device.trim() !== this.opts.device) continue;
        yield { cco, conn };
      }
    }
  }

  private upsert(cco: TwsCco, conn: TwsConnection, dedup: boolean, out: CallTrackerEvent[]): { rec: CallRecord; change: CallChange | undefined } | null {
    const now = this.opts.now();
    const connectionId = (conn.connectionId as string).trim();
    if (this.isGone(connectionId, conn.callLogId)) return null; // a late event of a call already ended
    // A tombstoned reference with a new call-log id is a new connection under a reused reference.
    this.tombstones.delete(connectionId);
    let rec = this.records.get(connectionId);
    const callLogId = blank(conn.callLogId) ? null : conn.callLogId.trim();
    if (!rec && callLogId) {
      if (this.endedLogIds.has(callLogId)) return null;
      // The same call under a new connection reference (same m_callLogId): keep its id.
      const same = [...this.records.values()].find((r) => r.callLogId === callLogId);
      if (same) {
        this.records.delete(same.connectionId);
        this.tombstones.set(same.connectionId, now);
        same.connectionId = connectionId;
        this.records.set(connectionId, same);
        rec = same;
      }
    }
    const key = `${conn.state ?? ''}|${conn.timeEnd ?? ''}|${conn.eventReason ?? ''}`;
    if (dedup && rec && rec.lastKey === key) return null;
    const direction = rec?.direction ?? directionOf(conn) ?? 'inbound';
    const mapped = mapConnectionState(conn.state, direction);
    if (mapped === null) this.unknownStates += 1;
    if (mapped === 'ended') {
      if (!rec) {
        this.tombstones.set(connectionId, now);
        if (callLogId) this.endedLogIds.set(callLogId, now);
        return null;
      }
      rec.lastKey = key;
      this.absorb(rec, cco, conn);
      out.push(this.end(rec, conn.state ?? undefined));
      return null;
    }
    if (!rec) {
      const state: CallState = mapped ?? (direction === 'outbound' ? 'dialing' : 'alerting');
      const startedAt = parseTwsDate(conn.timeStart) ?? now;
      rec = {
        id: `tws:${this.opts.device}:${connectionId}:${this.nextId++}`,
        connectionId,
        callLogId,
        ccoId: null,
        ccoType: null,
        device: blank(conn.device) ? this.opts.device : conn.device.trim(),
        state,
        rawState: conn.state,
        direction,
        remote: undefined,
        parties: [],
        called: undefined,
        redirectedBy: undefined,
        flags: [],
        consultation: false,
        conferenced: false,
        cause: undefined,
        data: {},
        startedAt: Math.min(startedAt, now),
        connectedAt: undefined,
        order: ++this.order,
        lastKey: key,
        dialled: undefined,
        image: undefined,
      };
      if (direction === 'outbound') {
        const hint = this.takeDialHint(now);
        if (hint) {
          rec.dialled = hint.number;
          if (hint.data) rec.data = { ...hint.data };
        }
        rec.consultation = (cco.type ?? '').toLowerCase() === 'consultation' || [...this.records.values()].some((o) => o.state === 'held');
      }
      this.records.set(connectionId, rec);
      this.absorb(rec, cco, conn);
      if (state === 'connected') rec.connectedAt = parseTwsDate(conn.timeStart1) ?? now;
      return { rec, change: 'created' };
    }
    rec.lastKey = key;
    this.absorb(rec, cco, conn);
    if (mapped === null || rank[mapped] < rank[rec.state]) return { rec, change: undefined }; // unknown or a regression: keep the state
    const prev = rec.state;
    rec.state = mapped;
    if (mapped === 'connected' && rec.connectedAt === undefined) rec.connectedAt = now;
    let change: CallChange | undefined;
    if (prev !== mapped) {
      if (mapped === 'connected' && prev === 'held') change = 'retrieved';
      else if (mapped === 'connected' && (conn.state ?? '').toLowerCase() === 'conferenced') change = 'conferenced';
      else change = changeForState[mapped];
    }
    return { rec, change };
  }

  /** Take what a connection says about the call (parties, ids, flags). */
  private absorb(rec: CallRecord, cco: TwsCco, conn: TwsConnection): void {
    if (!blank(conn.callLogId)) rec.callLogId = conn.callLogId.trim();
    if (!blank(cco.ccoId)) rec.ccoId = cco.ccoId.trim();
    else if (!blank(conn.ccoId)) rec.ccoId = conn.ccoId.trim();
    if (!blank(cco.type)) rec.ccoType = cco.type.trim();
    rec.rawState = conn.state;
    rec.flags = conn.allowedActions.map((f) => f.toLowerCase().replace(/_/g, ''));
    const parties = conn.parties.map(partyOf).filter(hasIdentity).filter((p) => p.number !== this.opts.device || p.withheld);
    if (parties.length > 0) {
      rec.parties = parties;
      rec.remote = parties[0];
    }
    if (conn.calledParty) {
      const called = partyOf(conn.calledParty);
      if (called.number !== '') rec.called = called;
    }
    const redirector = conn.lastRedirectedParty ?? conn.forwardedParty;
    if (redirector) {
      const p = partyOf(redirector);
      if (hasIdentity(p)) rec.redirectedBy = p;
    }
    const type = (rec.ccoType ?? '').toLowerCase();
    rec.conferenced = (conn.state ?? '').toLowerCase() === 'conferenced' || type === 'conference' || rec.parties.length >= 2;
    if (type === 'consultation') rec.consultation = true;
  }

  private takeDialHint(now: number): { number: string; data: CallData | undefined } | undefined {
    this.dialHints = this.dialHints.filter((h) => now - h.at < DIAL_HINT_MS);
    return this.dialHints.shift();
  }

  private end(rec: CallRecord, cause: string | undefined): CallEndedEvent {
    const now = this.opts.now();
    this.records.delete(rec.connectionId);
    this.tombstones.set(rec.connectionId, now);
    if (rec.callLogId) this.endedLogIds.set(rec.callLogId, now);
    while (this.tombstones.size > MAX_TOMBSTONES) this.tombstones.delete(this.tombstones.keys().next().value as string);
    while (this.endedLogIds.size > MAX_TOMBSTONES) this.endedLogIds.delete(this.endedLogIds.keys().next().value as string);
    const base = rec.image ?? this.build(rec);
    const call: Call = { ...base, state: 'cleared', endedAt: now, allowed: [], seq: ++this.seq, ...(cause ? { cause: clip(cause, 64) } : {}) };
    return { type: 'callEnded', callId: rec.id, at: now, ...(call.cause ? { cause: call.cause } : {}), call };
  }

  /** Rebuild every image (`allowed` depends on the other calls) and emit what changed. */
  private refresh(touched: ReadonlySet<CallRecord>, causes: ReadonlyMap<CallRecord, CallChange | undefined>): CallTrackerEvent[] {
    const out: CallTrackerEvent[] = [];
    for (const rec of this.records.values()) {
      const next = this.build(rec);
      const prev = rec.image;
      if (prev && signature(prev) === signature(next)) continue;
      next.seq = ++this.seq;
      rec.image = next;
      const change: CallChange = !prev ? 'created' : touched.has(rec) ? (causes.get(rec) ?? 'updated') : 'updated';
      out.push({ type: 'call', change, call: next });
    }
    return out;
  }

  private build(rec: CallRecord): Call {
    const others = [...this.records.values()].filter((o) => o !== rec);
    const conferenceParties = rec.conferenced ? confParties(rec, others) : [];
    const remote: Party = rec.remote ?? { number: clip(rec.dialled ?? '', 64) };
    const call: Call = {
      id: rec.id,
      ref: {
        vendor: 'tws',
        device: rec.device,
        callId: rec.connectionId,
        ...(rec.ccoId ? { leg: clip(rec.ccoId, 256) } : {}),
        ...(rec.callLogId ? { callReference: clip(rec.callLogId, 256) } : {}),
      },
      state: rec.state,
      direction: rec.direction,
      remote,
      conferenceParties,
      isConference: rec.conferenced,
      isConsultation: rec.consultation && others.length > 0,
      data: { ...rec.data },
      startedAt: rec.startedAt,
      allowed: this.allowedOf(rec, others),
      seq: rec.image?.seq ?? 0,
    };
    if (rec.called && rec.called.number !== remote.number) call.called = rec.called;
    if (rec.redirectedBy) call.redirectedBy = rec.redirectedBy;
    if (rec.cause) call.cause = clip(rec.cause, 64);
    if (rec.connectedAt !== undefined) call.connectedAt = rec.connectedAt;
    return call;
  }

  /**
   * The rules (NOTES.md "Allowed actions"): the state's defaults plus the `m_callAction` flags,
   * then restricted to what TWS can do: answer only on the oldest ringing call (TWS answers the
   * first queued call), no transfer while a consultation pair exists (no attended-transfer
   * completion), never DTMF / record / call-back / transaction code.
   */
  private allowedOf(rec: CallRecord, others: readonly CallRecord[]): CallAction[] {
    const a = new Set<CallAction>();
    const flags = new Set(rec.flags.map((f) => flagActions[f]).filter((x): x is CallAction => x !== undefined));
    const ringingHere = [rec, ...others].filter((r) => r.direction === 'inbound' && (r.state === 'alerting' || r.state === 'queued'));
    const oldest = ringingHere.sort((x, y) => x.startedAt - y.startedAt || x.order - y.order)[0];
    const otherHeld = others.some((o) => o.state === 'held');
    const otherActive = others.some((o) => o.state === 'connected' || o.state === 'dialing' || o.state === 'ringing');
    // A consultation pair: one held call and another live call.
    const inPair = (rec.state === 'held' && otherActive) || (rec.state !== 'held' && otherHeld && rec.state !== 'alerting' && rec.state !== 'queued');
    switch (rec.state) {
      case 'alerting':
      case 'queued':
        if (rec.direction === 'inbound' && rec === oldest) a.add('answer');
        a.add('redirect');
        if (flags.has('clear')) a.add('clear');
        break;
      case 'dialing':
      case 'ringing':
        a.add('clear');
        break;
      case 'connected':
        a.add('clear');
        if (rec.conferenced) break;
        if (!otherHeld) a.add('hold');
        if (inPair) {
          a.add('alternate');
          a.add('conference');
        } else {
          a.add('consult');
          a.add('transfer');
          a.add('park');
        }
        break;
      case 'held':
        a.add('clear');
        if (!otherActive) a.add('retrieve');
        if (inPair) {
          a.add('alternate');
          a.add('conference');
        }
        break;
      case 'failed':
        a.add('clear');
        break;
      case 'cleared':
        break;
    }
    // Flags add what the state allows them to (they cannot re-open what the rules close).
    if (flags.has('clear') && rec.state !== 'cleared') a.add('clear');
    if (flags.has('hold') && rec.state === 'connected' && !otherHeld && !rec.conferenced) a.add('hold');
    if (flags.has('retrieve') && rec.state === 'held' && !otherActive) a.add('retrieve');
    if (flags.has('redirect') && (rec.state === 'alerting' || rec.state === 'queued')) a.add('redirect');
    if (inPair) a.delete('transfer');
    if (a.has('answer') && rec !== oldest) a.delete('answer');
    for (const x of neverOffered) a.delete(x);
    return callActions.filter((x) => a.has(x));
  }
}

function confParties(rec: CallRecord, others: readonly CallRecord[]): Party[] {
  const all = [...rec.parties, ...others.filter((o) => o.conferenced).flatMap((o) => o.parties)];
  const seen = new Set<string>();
  const out: Party[] = [];
  for (const p of all) {
    const k = `${p.number}\u0000${p.name ?? ''}\u0000${p.withheld ? 1 : 0}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out.slice(0, 32);
}

function signature(c: Call): string {
  const { seq: _seq, ...rest } = c;
  return JSON.stringify(rest);
}

// ---------------------------------------------------------------- agent

export const agentKindOf: Record<AgentStateName, AgentStateKind> = {
  AgentBusy: 'busy',
  LoggedOff: 'loggedOff',
  LoggedOn: 'loggedOn',
  NotReady: 'notReady',
  Ready: 'ready',
  WorkingAfterCall: 'wrapUp',
};

export function permittedFor(state: AgentStateKind): AgentStateKind[] {
  if (state === 'loggedOff' || state === 'unknown') return ['loggedOn'];
  return (['ready', 'notReady', 'wrapUp', 'loggedOff'] as const).filter((s) => s !== state);
}

export interface AgentContext {
  prev: AgentInfo | null;
  now: number;
  agentId: string | undefined;
  group: string | undefined;
}

/** An EPresenceAgent state (event or query) → AgentInfo. TWS has no not-ready reasons: `reasons: []`. */
export function mapAgent(state: AgentStateName | null, ctx: AgentContext): AgentInfo {
  const kind: AgentStateKind = state ? agentKindOf[state] : 'unknown';
  const since = ctx.prev && ctx.prev.state === kind ? ctx.prev.since : ctx.now;
  const info: AgentInfo = { state: kind, since, permitted: permittedFor(kind), services: [], reasons: [] };
  if (ctx.agentId) info.agentId = clip(ctx.agentId, 128);
  if (ctx.group) info.group = clip(ctx.group, 64);
  return info;
}

// ---------------------------------------------------------------- colleagues

// `Disconnected` only says that no TWS user monitors the set (GetDevicesState, L1612): the phone
// itself may be fine, so it leaves the lamp to the supervision events (unknown until one comes).
const outOfServiceStates = new Set(['providerlinknull', 'outofservice', 'invalidpassword']);

/** A supervised connection state → the colleague's lamp; null = the connection is over. */
export function colleagueKindOf(raw: string | null): Exclude<ColleagueStateKind, 'outOfService'> | null {
  switch ((raw ?? '').trim().toLowerCase()) {
    case 'delivered':
    case 'predelivered':
    case 'queued':
    case 'notified':
      return 'ringing';
    case 'initiated':
    case 'originated':
    case 'established':
    case 'retrieved':
    case 'conferenced':
      return 'busy';
    case 'held':
      return 'held';
    case 'cleared':
    case 'idle':
    case 'transferred':
    case 'diverted':
    case 'disconnected':
    case 'failed':
      return null;
    default:
      return 'unknown';
  }
}

interface ColleagueRecord {
  number: string;
  deviceState: string | null;
  connections: Map<string, { kind: Exclude<ColleagueStateKind, 'outOfService'>; raw: string; remote: Party | undefined }>;
  image: Colleague | undefined;
}

const lampOrder: ColleagueStateKind[] = ['ringing', 'busy', 'held', 'unknown'];

/** The busy-lamp field: the profile's colleagues (or, with an empty list, whoever TWS supervises). */
export class ColleagueBoard {
  private readonly listed: string[];
  private readonly records = new Map<string, ColleagueRecord>();
  private readonly now: () => number;

  constructor(numbers: readonly string[], now: () => number) {
    this.listed = [...numbers];
    this.now = now;
    for (const n of numbers) this.records.set(n, { number: n, deviceState: null, connections: new Map(), image: undefined });
  }

  get numbers(): readonly string[] {
    return this.listed;
  }

  /** A supervision event → the colleague's new image, or null when nothing changed / not ours. */
  supervision(s: TwsSupervision): Colleague | null {
    const number = (s.device ?? '').trim();
    if (!number) return null;
    let rec = this.records.get(number);
    if (!rec) {
      if (this.listed.length > 0) return null;
      rec = { number, deviceState: null, connections: new Map(), image: undefined };
      this.records.set(number, rec);
    }
    const connId = (s.connectionId ?? '').trim() || '?';
    const kind = colleagueKindOf(s.state);
    if (kind === null) rec.connections.delete(connId);
    else {
      const first = s.parties.map(partyOf).find(hasIdentity);
      rec.connections.set(connId, { kind, raw: s.state ?? '', remote: first });
    }
    return this.update(rec);
  }

  /** TWS_GetDevicesState for one colleague. */
  deviceState(number: string, info: DeviceInfo | null): Colleague | null {
    const rec = this.records.get(number);
    if (!rec) return null;
    rec.deviceState = info?.state ?? null;
    if (rec.deviceState !== null && outOfServiceStates.has(rec.deviceState.trim().toLowerCase())) rec.connections.clear();
    return this.update(rec);
  }

  list(): Colleague[] {
    const order = this.listed.length > 0 ? this.listed : [...this.records.keys()];
    return order.map((n) => this.records.get(n)).filter((r): r is ColleagueRecord => r !== undefined).map((r) => r.image ?? this.build(r, this.now()));
  }

  private update(rec: ColleagueRecord): Colleague | null {
    const next = this.build(rec, this.now());
    const prev = rec.image;
    if (prev && prev.state === next.state && prev.detail === next.detail && JSON.stringify(prev.remote) === JSON.stringify(next.remote)) return null;
    if (prev && prev.state === next.state) next.since = prev.since;
    rec.image = next;
    return next;
  }

  private build(rec: ColleagueRecord, now: number): Colleague {
    const ds = rec.deviceState?.trim() ?? null;
    if (ds && outOfServiceStates.has(ds.toLowerCase())) return { number: rec.number, state: 'outOfService', detail: clip(ds, 128), since: now };
    const conns = [...rec.connections.values()];
    for (const kind of lampOrder) {
      const c = conns.find((x) => x.kind === kind);
      if (!c) continue;
      const col: Colleague = { number: rec.number, state: kind, detail: clip(c.raw || kind, 128), since: now };
      if (c.remote && !c.remote.withheld) col.remote = c.remote;
      return col;
    }
    if (ds) {
      const monitored = ds.toLowerCase() === 'connected';
      return { number: rec.number, state: monitored ? 'idle' : 'unknown', detail: clip(monitored ? ds : `${ds}: not monitored by TWS`, 128), since: now };
    }
    return { number: rec.number, state: 'unknown', since: now };
  }
}

// ---------------------------------------------------------------- forwards

/** Normalized forward type → the manual's SetForwardOn type (L1369–1377; Off = On + 1). */
export const twsForwardTypeOf: Record<NormalizedForwardType, TwsForwardType> = {
  immediate: 'immediate',
  busy: 'busy',
  noAnswer: 'noAnswer',
  busyInt: 'internalBusy',
  busyExt: 'externalBusy',
  noAnswerInt: 'noInternalAnswer',
  noAnswerExt: 'noExternalAnswer',
  immInt: 'immediateInternal',
  immExt: 'immediateExternal',
};

/** TWS_QueryDeviceForwardInfo → the forwards that are set. */
export function forwardsOf(info: ForwardInfo | null): Forward[] {
  if (!info) return [];
  const out: Forward[] = [];
  for (const [norm, tws] of Object.entries(twsForwardTypeOf) as Array<[NormalizedForwardType, TwsForwardType]>) {
    const to = info[tws];
    if (to !== null && to.trim() !== '') out.push({ type: norm, to: clip(to.trim(), 64) });
  }
  return out;
}

// ---------------------------------------------------------------- call data

const escapeCd = (s: string): string => s.replace(/[%;=\n\r&]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
const unescapeCd = (s: string): string => s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
/**
 * TWS call data (one string per key, §3.2.6) → CallData: `k=v` pairs separated by `;`, `&` or
 * new lines become members (percent-escapes decoded); any other text is `{data: text}`. Linear
 * (no backtracking regex): the text is split on the separators and every piece must be a pair.
 */
export function parseCallData(text: string | null): CallData {
  if (text === null || text.trim() === '') return {};
  const parts = text.split(/[;&\n\r]/).filter((p) => p.trim() !== '');
  const pairs: Array<[string, string]> = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    const k = eq > 0 ? unescapeCd(part.slice(0, eq).trim()) : '';
    if (!k || k.length > 128 || k === '__proto__') return { data: clip(text, 4096) };
    pairs.push([k, clip(unescapeCd(part.slice(eq + 1).trim()), 4096)]);
  }
  if (pairs.length === 0) return { data: clip(text, 4096) };
  const out: CallData = {};
  for (const [k, v] of pairs) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** CallData → the string stored with TWS_SetCallData (`k=v;k=v`, `% ; = & CR LF` percent-escaped). */
export function serializeCallData(data: CallData): string {
  return Object.entries(data)
    .map(([k, v]) => `${escapeCd(k)}=${escapeCd(v)}`)
    .join(';');
}

// ---------------------------------------------------------------- directory and call log

const numberTypeOf = (key: string | null, label: string | null): DirectoryEntry['numberType'] | undefined => {
  const k = `${key ?? ''} ${label ?? ''}`.toLowerCase();
  if (k.includes('mobile') || k.includes('cell')) return 'mobile';
  if (k.includes('home')) return 'home';
  if (k.includes('work') || k.includes('office')) return 'work';
  return undefined;
};

/** TWS_SearchPeople's result → directory entries: one per phone number of each contact. */
export function directoryEntries(result: TwsValue | undefined, limit: number): DirectoryEntry[] {
  const contacts = list(isObject(result) ? (member(result, 'Results') ?? null) : result).filter(isObject);
  const out: DirectoryEntry[] = [];
  const seen = new Set<string>();
  for (const c of contacts) {
    const person = [str(c, 'Firstname'), str(c, 'Lastname')].filter((x): x is string => !blank(x)).map((x) => x.trim()).join(' ');
    const display = str(member(c, 'PersonalInfos'), 'DisplayName');
    const company = str(c, 'Company');
    const numbers: Array<{ number: string; type: DirectoryEntry['numberType'] | undefined }> = [];
    for (const ph of list(member(c, 'Phones')).filter(isObject)) {
      const v = str(ph, 'Value') ?? str(ph, 'RawValue');
      if (blank(v) || isMasked(v) || (str(ph, 'RedList') ?? '').toLowerCase() === 'true') continue;
      numbers.push({ number: v.trim(), type: numberTypeOf(str(ph, 'Key'), str(ph, 'Label')) });
    }
    for (const d of list(member(c, 'Devices')).filter(isObject)) {
      const v = str(d, 'Number');
      if (!blank(v)) numbers.push({ number: v.trim(), type: 'work' });
    }
    const name = person || (blank(display) ? '' : display.trim());
    for (const n of numbers) {
      const key = `${n.number}\u0000${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const e: DirectoryEntry = { number: clip(n.number, 64), name: clip(name || n.number, 256) };
      if (!blank(company)) e.company = clip(company.trim(), 256);
      if (n.type) e.numberType = n.type;
      out.push(e);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

export interface CallLogContext {
  profileId: string;
  device: string;
}

export const CALLLOG_ID_PREFIX = 'tws:log:';

/**
 * A call-log document (GetMyDocumentsByTypeWithAcls) → a row. Direction from `ActionType`
 * (CALLIN/CALLMISSED inbound, CALLOUT outbound); for the generic `CALL`, `IncomingCall` per the
 * field table (0 incoming, 1 outgoing; §3.2.10, §7 #40).
 */
export function callLogRow(e: CallLogEntry, ctx: CallLogContext): CallLogRow | null {
  const startedAt = parseTwsDate(e.timeStart);
  if (startedAt === null) return null;
  const type = (e.actionType ?? '').trim().toUpperCase();
  const direction: 'inbound' | 'outbound' =
    type === 'CALLOUT' ? 'outbound' : type === 'CALLIN' || type === 'CALLMISSED' ? 'inbound' : (e.incomingCall ?? '').trim() === '1' ? 'outbound' : 'inbound';
  const success = (e.success ?? '').trim().toLowerCase() === 'true';
  const outcome = type === 'CALLMISSED' ? 'missed' : success ? 'answered' : direction === 'inbound' ? 'missed' : 'failed';
  const sp = e.speakers.find((s) => !blank(s.phone) || !blank(s.lastname) || !blank(s.firstname)) ?? e.speakers[0];
  const masked = isMasked(sp?.phone);
  const id = e.guid ? `${CALLLOG_ID_PREFIX}${e.guid}` : `${CALLLOG_ID_PREFIX}${startedAt}:${sp?.phone ?? ''}`;
  const row: CallLogRow = {
    id,
    profileId: ctx.profileId,
    device: blank(e.device) ? ctx.device : e.device.trim(),
    direction,
    remoteNumber: masked ? '' : clip((sp?.phone ?? '').trim(), 64),
    startedAt,
    outcome,
    data: {},
    source: 'pbx',
  };
  const name = [sp?.firstname, sp?.lastname].filter((x): x is string => !blank(x)).join(' ');
  if (name) row.remoteName = clip(name, 256);
  if (!blank(sp?.company)) row.remoteCompany = clip((sp?.company as string).trim(), 256);
  const answeredAt = parseTwsDate(e.timeStart1);
  if (success && answeredAt !== null && answeredAt >= startedAt) row.answeredAt = answeredAt;
  const endedAt = parseTwsDate(e.timeEnd);
  if (endedAt !== null && endedAt >= startedAt) {
    row.endedAt = endedAt;
    if (success) row.durationSec = Math.round((endedAt - (row.answeredAt ?? startedAt)) / 1000);
  }
  if (!blank(sp?.cause)) row.cause = clip((sp?.cause as string).trim(), 64);
  return row;
}
