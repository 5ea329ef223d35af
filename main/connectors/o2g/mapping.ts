// O2G → the normalized model (shared/model.ts). Pure apart from the clock it is given.
//
// Calls: O2G reports a call from one user's point of view: `legs` are the user's devices,
// `participants` the other parties (digest §4.3). OnCallCreated carries an image, OnCallModified
// deltas ("if not specified, there is no modification", L3425–L3432), merged here field by field
// by deviceId / participantId; OnCallRemoved ends it. The CallTracker keeps one normalized id per
// callRef for as long as the connector lives (across reconnects), follows `previousCallRef`
// (the call continues under a new ref without OnCallRemoved, L3423) and `replacedByCallRef` (L3424),
// and derives each call's `allowed` actions only from the capabilities the server sent.
import type { CallLogRow } from '../../../shared/calllog.js';
import { changeForState, type CallChange, type CallEndedEvent, type CallEvent } from '../../../shared/events.js';
import {
  callActions,
  type AgentInfo,
  type AgentStateKind,
  type Call,
  type CallAction,
  type CallData as NormalizedCallData,
  type CallState,
  type DeviceFeatures,
  type DirectoryEntry,
  type Forward,
  type ForwardType,
  type Overflow,
  type Party,
} from '../../../shared/model.js';
import type {
  AgentConfig,
  AgentState,
  CallCapabilities,
  CallData,
  ComHistoryRecord,
  ComParticipant,
  DirectoryContact,
  EventSummary,
  Leg,
  LegCapabilities,
  O2gCall,
  O2gEventOf,
  Participant,
  PartyInfo,
  RoutingState,
  WithdrawReasons,
} from './codec.js';

export type CallTrackerEvent = CallEvent | CallEndedEvent;

// ---------------------------------------------------------------- parties

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

function nameOf(p: PartyInfo | undefined): string | undefined {
  if (!p) return undefined;
  const full = [p.firstName, p.lastName].filter((x): x is string => !!x && x.trim() !== '').join(' ').trim();
  if (full) return full;
  if (p.displayName && p.displayName.trim() !== '') return p.displayName.trim();
  return undefined;
}

/** A PartyInfo as a normalized Party. USER participants (company numbers) get numberType 'work'. */
export function partyOfInfo(p: PartyInfo | undefined, anonymous = false): Party {
  const party: Party = { number: clip(p?.id?.phoneNumber ?? '', 64) };
  const name = nameOf(p) ?? (p?.type?.main === 'USER' ? p.id?.loginName : undefined);
  if (name) party.name = clip(name, 256);
  if (p?.type?.main === 'USER') party.numberType = 'work';
  if (anonymous) party.withheld = true;
  return party;
}

export function partyOf(p: Participant): Party {
  return partyOfInfo(p.identity, p.anonymous === true);
}

// ---------------------------------------------------------------- call data

/** Associated data (≤ 32 bytes) → call data: the raw string, plus its pairs when it is a query string. */
export function callDataFromAssociated(raw: string): NormalizedCallData {
  const value = clip(raw, 4096);
  const data: NormalizedCallData = { associatedData: value };
  if (!/^[^=&\s]+=[^&\s]*(&[^=&\s]+=[^&\s]*)*$/.test(value)) return data;
  let count = 0;
  for (const [k, v] of new URLSearchParams(value)) {
    if (++count > 16 || k.length > 128 || k === 'associatedData') break;
    data[k] = clip(v, 4096);
  }
  return data;
}

/** Normalized call data → the associatedData string a request carries (the inverse of the above). */
export function associatedFromCallData(data: NormalizedCallData): string {
  if (data.associatedData !== undefined) return data.associatedData;
  return new URLSearchParams(data).toString();
}

/** The screen-pop data of a call: associated data, account info, ACD data, tags. */
export function mapCallData(cd: CallData | undefined): NormalizedCallData {
  const out: NormalizedCallData = {};
  if (!cd) return out;
  const put = (k: string, v: string | number | boolean | undefined) => {
    if (v === undefined || Object.keys(out).length >= 64) return;
    out[clip(k, 128)] = clip(String(v), 4096);
  };
  // Tags are named values attached to the call: they are the call data (customerId, orderId, ...).
  for (const t of cd.tags ?? []) put(t.name, t.value ?? '');
  const acd = cd.acdCallData;
  if (acd) {
    put('pilotNumber', acd.pilotNumber);
    put('rsiNumber', acd.rsiNumber);
    put('queueWaitingTime', acd.callInfo?.queueWaitingTime);
    put('globalWaitingTime', acd.callInfo?.globalWaitingTime);
    put('agentGroup', acd.callInfo?.agentGroup);
    put('estimatedWaitingTime', acd.queueData?.waitingTime);
    put('queueSaturated', acd.queueData?.saturated);
    put('supervisedTransfer', acd.supervisedTransfer);
  }
  put('accountInfo', cd.accountInfo);
  const assoc = cd.associateData ?? cd.associatedData;
  if (assoc !== undefined) Object.assign(out, callDataFromAssociated(assoc));
  return out;
}

// ---------------------------------------------------------------- states

const liveMedia = new Set(['DIALING', 'OFF_HOOK', 'RINGING_INCOMING', 'RINGING_OUTGOING', 'ACTIVE', 'HELD']);

/** Leg MediaState → normalized state (digest §4.3). `undefined` = not decidable from this image. */
export function mapMediaState(state: string | undefined, ringingRemote: boolean | undefined): CallState | undefined {
  switch (state) {
    case 'RINGING_INCOMING':
      return 'alerting';
    case 'DIALING':
    case 'OFF_HOOK':
      return 'dialing';
    case 'RINGING_OUTGOING':
      return ringingRemote ? 'ringing' : 'dialing';
    case 'ACTIVE':
      return 'connected';
    case 'HELD':
      return 'held';
    case 'RELEASING':
    case 'IDLE':
      return 'cleared';
    default:
      return undefined;
  }
}

/** The leg the desktop shows: the profile's device when it is in the call, else a live leg. */
export function pickLeg(legs: readonly Leg[], device: string): Leg | undefined {
  const live = (l: Leg) => l.state !== undefined && liveMedia.has(l.state);
  return (
    legs.find((l) => l.deviceId === device && live(l)) ??
    legs.find(live) ??
    legs.find((l) => l.deviceId === device) ??
    legs[0]
  );
}

// ---------------------------------------------------------------- call tracker

interface CallRecord {
  id: string;
  callRef: string;
  callData: CallData;
  legs: Map<string, Leg>;
  participants: Map<string, Participant>;
  initiator: string | undefined;
  cause: string | undefined;
  direction: 'inbound' | 'outbound' | undefined;
  startedAt: number;
  connectedAt: number | undefined;
  consultation: boolean;
  acd: boolean;
  /** The remote number we dialled, until a participant names it. */
  dialled: string | undefined;
  /** Renamed on replacedByCallRef: waiting for the new ref's events since this time. */
  awaitingSince: number | undefined;
  image: Call | undefined;
  state: CallState | undefined;
}

export interface CallTrackerOptions {
  /** The profile's device: the leg the desktop follows. */
  device: string;
  /** The user's O2G login (to recognise the user among participants). */
  login: string;
  now: () => number;
}

/** Where a normalized id points on the wire. */
export interface CallLocation {
  callRef: string;
  deviceId: string;
  call: Call;
  live: boolean;
  acd: boolean;
  /** The call-level capabilities O2G last sent (dropMe decides how to hang up). */
  callCaps: CallCapabilities;
}

const TOMBSTONE_MS = 60_000;
const AWAIT_REPLACEMENT_MS = 10_000;
const DIAL_HINT_MS = 15_000;
const MAX_ENDED = 64;

type CreatedEv = O2gEventOf<'OnCallCreated'>;
type ModifiedEv = O2gEventOf<'OnCallModified'>;
type RemovedEv = O2gEventOf<'OnCallRemoved'>;

export class CallTracker {
  private readonly opts: CallTrackerOptions;
  private readonly records = new Map<string, CallRecord>();
  private readonly tombstones = new Map<string, number>();
  private readonly ended = new Map<string, CallLocation>();
  private dialHints: Array<{ number: string; at: number }> = [];
  private agentLoggedOn = false;
  private seq = 0;
  private nextId: number;

  constructor(opts: CallTrackerOptions) {
    this.opts = opts;
    // Seeded from the clock so ids stay unique across app restarts (call-log keys).
    this.nextId = Math.max(1, Math.floor(opts.now()));
  }

  calls(): Call[] {
    return [...this.records.values()].map((r) => r.image).filter((c): c is Call => c !== undefined && c.state !== 'cleared');
  }

  get size(): number {
    return this.records.size;
  }

  /** A live call by normalized id, or a recently ended one (transaction codes come after the call). */
  locate(callId: string): CallLocation | undefined {
    for (const r of this.records.values()) {
      if (r.id === callId && r.image) {
        return { callRef: r.callRef, deviceId: r.image.ref.device, call: r.image, live: true, acd: r.acd, callCaps: r.callData.capabilities ?? {} };
      }
    }
    return this.ended.get(callId);
  }

  /** The most recent ACD call that ended (for the transaction code after the call). */
  lastEndedAcd(): CallLocation | undefined {
    return [...this.ended.values()].reverse().find((l) => l.acd);
  }

  /** A number just dialled from this device, to name an outgoing call before O2G names its participant. */
  expectDialled(number: string): void {
    const now = this.opts.now();
    this.dialHints = [...this.dialHints.filter((h) => now - h.at < DIAL_HINT_MS), { number, at: now }].slice(-8);
  }

  /** The agent's log-on state decides whether ACD calls offer a transaction code. */
  setAgentLoggedOn(on: boolean): CallTrackerEvent[] {
    if (this.agentLoggedOn === on) return [];
    this.agentLoggedOn = on;
    return this.refresh(undefined, undefined);
  }

  apply(ev: CreatedEv | ModifiedEv | RemovedEv): CallTrackerEvent[] {
    this.sweep();
    switch (ev.eventName) {
      case 'OnCallCreated':
        return this.onCreated(ev);
      case 'OnCallModified':
        return this.onModified(ev);
      case 'OnCallRemoved':
        return this.onRemoved(ev);
    }
  }

  /** A full list of the user's calls (GET /telephony/calls, OnTelephonyState): authoritative. */
  reconcile(calls: readonly O2gCall[]): CallTrackerEvent[] {
    const out: CallTrackerEvent[] = [];
    const listed = new Set<string>();
    const now = this.opts.now();
    for (const c of calls) {
      listed.add(c.callRef);
      let rec = this.records.get(c.callRef);
      if (!rec) {
        rec = this.newRecord(c.callRef, now);
        this.records.set(c.callRef, rec);
        this.tombstones.delete(c.callRef);
      }
      rec.callData = { ...(c.callData ?? {}) };
      rec.legs = new Map((c.legs ?? []).map((l) => [l.deviceId, { ...l }]));
      rec.participants = new Map((c.participants ?? []).map((p) => [p.participantId, { ...p }]));
      rec.awaitingSince = undefined;
      if (rec.callData.acdCallData) rec.acd = true;
    }
    for (const [ref, rec] of [...this.records]) {
      if (!listed.has(ref)) out.push(this.end(rec, undefined));
    }
    out.push(...this.refresh(undefined, undefined));
    return out;
  }

  /** End records whose replacement never came. */
  sweep(): CallTrackerEvent[] {
    const now = this.opts.now();
    const out: CallTrackerEvent[] = [];
    for (const rec of [...this.records.values()]) {
      if (rec.awaitingSince !== undefined && now - rec.awaitingSince > AWAIT_REPLACEMENT_MS) out.push(this.end(rec, rec.cause));
    }
    for (const [ref, at] of this.tombstones) if (now - at > TOMBSTONE_MS) this.tombstones.delete(ref);
    return out;
  }

  // ---------------------------------------------------------------- events

  private onCreated(ev: CreatedEv): CallTrackerEvent[] {
    const now = this.opts.now();
    this.tombstones.delete(ev.callRef);
    let rec = this.records.get(ev.callRef);
    if (!rec) {
      rec = this.newRecord(ev.callRef, now);
      this.records.set(ev.callRef, rec);
    }
    rec.awaitingSince = undefined;
    rec.callData = { ...(ev.callData ?? {}) };
    rec.legs = new Map((ev.legs ?? []).map((l) => [l.deviceId, { ...l }]));
    rec.participants = new Map((ev.participants ?? []).map((p) => [p.participantId, { ...p }]));
    if (ev.initiator !== undefined) rec.initiator = ev.initiator;
    this.noteCause(rec, ev.cause);
    return this.refresh(rec, ev.cause);
  }

  private onModified(ev: ModifiedEv): CallTrackerEvent[] {
    const now = this.opts.now();
    const out: CallTrackerEvent[] = [];
    let rec = this.records.get(ev.callRef);
    if (ev.previousCallRef !== undefined && ev.previousCallRef !== ev.callRef) {
      const prev = this.records.get(ev.previousCallRef);
      if (prev && !rec) {
        // The call continues under the new ref: same normalized id, no callEnded (L3423).
        this.records.delete(prev.callRef);
        prev.callRef = ev.callRef;
        this.records.set(ev.callRef, prev);
        rec = prev;
      } else if (prev && rec) {
        // Both known (merge/transfer on this side): the new ref survives and inherits the old one's data.
        rec.callData = { ...prev.callData, ...rec.callData };
        rec.acd ||= prev.acd;
        out.push(this.end(prev, ev.cause));
      }
      this.tombstones.set(ev.previousCallRef, now);
    }
    if (!rec) {
      if (this.tombstones.has(ev.callRef)) return out; // late delta of a call already ended
      rec = this.newRecord(ev.callRef, now);
      this.records.set(ev.callRef, rec);
    }
    rec.awaitingSince = undefined;
    if (ev.callData) rec.callData = mergeCallData(rec.callData, ev.callData);
    for (const l of ev.addedLegs ?? []) rec.legs.set(l.deviceId, mergeLeg(rec.legs.get(l.deviceId), l));
    for (const l of ev.modifiedLegs ?? []) rec.legs.set(l.deviceId, mergeLeg(rec.legs.get(l.deviceId), l));
    for (const l of ev.removedLegs ?? []) rec.legs.delete(l.deviceId);
    for (const p of ev.addedParticipants ?? []) rec.participants.set(p.participantId, mergeParticipant(rec.participants.get(p.participantId), p));
    for (const p of ev.modifiedParticipants ?? []) rec.participants.set(p.participantId, mergeParticipant(rec.participants.get(p.participantId), p));
    for (const id of ev.removedParticipantIds ?? []) rec.participants.delete(id);
    this.noteCause(rec, ev.cause);

    if (ev.replacedByCallRef !== undefined && ev.replacedByCallRef !== ev.callRef) {
      out.push(...this.replace(rec, ev.replacedByCallRef, ev.cause));
      out.push(...this.refresh(this.records.get(ev.replacedByCallRef), ev.cause));
      return out;
    }
    out.push(...this.refresh(rec, ev.cause));
    return out;
  }

  private onRemoved(ev: RemovedEv): CallTrackerEvent[] {
    const rec = this.records.get(ev.callRef);
    if (!rec) return [];
    this.noteCause(rec, ev.cause);
    if (ev.replacedByCallRef !== undefined && ev.replacedByCallRef !== ev.callRef) {
      return [...this.replace(rec, ev.replacedByCallRef, ev.cause), ...this.refresh(undefined, undefined)];
    }
    const cause = ev.cause ?? rec.cause;
    const out: CallTrackerEvent[] = [this.end(rec, cause, ev.newDestination)];
    out.push(...this.refresh(undefined, undefined));
    return out;
  }

  /** `rec` is replaced by `newRef`: move it there (same id) or, when that call is known, fold it in. */
  private replace(rec: CallRecord, newRef: string, cause: string | undefined): CallTrackerEvent[] {
    const now = this.opts.now();
    const target = this.records.get(newRef);
    this.tombstones.set(rec.callRef, now);
    if (target) {
      target.callData = { ...rec.callData, ...target.callData };
      target.acd ||= rec.acd;
      return [this.end(rec, cause)];
    }
    this.records.delete(rec.callRef);
    rec.callRef = newRef;
    rec.awaitingSince = now;
    this.tombstones.delete(newRef);
    this.records.set(newRef, rec);
    return [];
  }

  private noteCause(rec: CallRecord, cause: string | undefined): void {
    if (cause === undefined) return;
    rec.cause = cause;
    if (cause === 'DISTRIBUTED') rec.acd = true;
  }

  private newRecord(callRef: string, now: number): CallRecord {
    return {
      id: `o2g:${this.opts.device}:${callRef}:${this.nextId++}`,
      callRef,
      callData: {},
      legs: new Map(),
      participants: new Map(),
      initiator: undefined,
      cause: undefined,
      direction: undefined,
      startedAt: now,
      connectedAt: undefined,
      consultation: false,
      acd: false,
      dialled: undefined,
      awaitingSince: undefined,
      image: undefined,
      state: undefined,
    };
  }

  private end(rec: CallRecord, cause: string | undefined, newDestination?: string): CallEndedEvent {
    const now = this.opts.now();
    this.records.delete(rec.callRef);
    this.tombstones.set(rec.callRef, now);
    const base = rec.image ?? this.build(rec, now);
    const call: Call = {
      ...base,
      state: 'cleared',
      endedAt: now,
      allowed: [],
      seq: ++this.seq,
      ...(cause !== undefined ? { cause: clip(cause, 64) } : {}),
    };
    if (newDestination !== undefined) call.data = { ...call.data, newDestination: clip(newDestination, 4096) };
    const loc: CallLocation = { callRef: rec.callRef, deviceId: base.ref.device, call, live: false, acd: rec.acd, callCaps: {} };
    this.ended.delete(rec.id);
    this.ended.set(rec.id, loc);
    while (this.ended.size > MAX_ENDED) this.ended.delete(this.ended.keys().next().value as string);
    return { type: 'callEnded', callId: rec.id, at: now, ...(call.cause ? { cause: call.cause } : {}), call };
  }

  /**
   * Rebuild every call's image (`allowed` depends on the other calls and on the agent) and emit
   * what changed: the event's own call with the change it implies, the others as 'updated'.
   */
  private refresh(target: CallRecord | undefined, cause: string | undefined): CallTrackerEvent[] {
    const now = this.opts.now();
    const out: CallTrackerEvent[] = [];
    // States first: `allowed` of one call looks at the states of the others.
    for (const rec of this.records.values()) rec.state = this.stateOf(rec);
    for (const rec of [...this.records.values()]) {
      if (rec.state === 'cleared') {
        out.push(this.end(rec, rec.cause ?? cause));
        continue;
      }
      const next = this.build(rec, now);
      const prev = rec.image;
      if (prev && signature(prev) === signature(next)) continue;
      next.seq = ++this.seq;
      rec.image = next;
      const change: CallChange = !prev ? 'created' : rec === target ? deriveChange(prev, next, cause) : 'updated';
      out.push({ type: 'call', change, call: next });
    }
    return out;
  }

  private stateOf(rec: CallRecord): CallState {
    const leg = pickLeg([...rec.legs.values()], this.opts.device);
    const fromLeg = leg ? mapMediaState(leg.state, leg.ringingRemote) : undefined;
    if (fromLeg) return fromLeg;
    const fromCall = mapMediaState(rec.callData.state, undefined);
    if (fromCall) return fromCall;
    return rec.image?.state ?? 'dialing';
  }

  private build(rec: CallRecord, now: number): Call {
    const legs = [...rec.legs.values()];
    const leg = pickLeg(legs, this.opts.device);
    const state = rec.state ?? this.stateOf(rec);
    const participants = [...rec.participants.values()].filter((p) => !this.isMe(p.identity));
    if (rec.direction === undefined) rec.direction = this.inferDirection(rec, leg, participants);
    if (!rec.image) {
      rec.consultation =
        rec.direction === 'outbound' && [...this.records.values()].some((o) => o !== rec && o.state === 'held');
      if (rec.direction === 'outbound' && participants.length === 0) rec.dialled = this.takeDialHint(now);
    }
    if (state === 'connected' && rec.connectedAt === undefined) rec.connectedAt = now;
    const parties = participants.map(partyOf);
    const remote: Party = parties[0] ?? { number: clip(rec.dialled ?? '', 64) };
    const cd = rec.callData;
    const call: Call = {
      id: rec.id,
      ref: {
        vendor: 'o2g',
        device: leg?.deviceId ?? this.opts.device,
        callId: rec.callRef,
        ...(leg ? { leg: leg.deviceId } : {}),
        ...(cd.callUUID !== undefined ? { callReference: clip(cd.callUUID, 256) } : {}),
      },
      state,
      direction: rec.direction,
      remote,
      conferenceParties: parties.length >= 2 ? parties.slice(0, 32) : [],
      isConference: parties.length >= 2,
      isConsultation: rec.consultation && this.records.size > 1,
      data: mapCallData(cd),
      startedAt: rec.startedAt,
      allowed: this.allowedOf(rec, state, leg),
      seq: rec.image?.seq ?? 0,
    };
    if (cd.initialCalled && !this.sameParty(cd.initialCalled, remote)) call.called = partyOfInfo(cd.initialCalled);
    if ((rec.cause === 'REDIRECTED' || rec.cause === 'FORWARDED') && cd.initialCalled && !this.isMe(cd.initialCalled)) {
      call.redirectedBy = partyOfInfo(cd.initialCalled);
    }
    if (rec.cause !== undefined) call.cause = clip(rec.cause, 64);
    if (rec.connectedAt !== undefined) call.connectedAt = rec.connectedAt;
    if (cd.recordState === 'RECORDING') call.recording = 'recording';
    else if (cd.recordState === 'PAUSED') call.recording = 'paused';
    return call;
  }

  private allowedOf(rec: CallRecord, state: CallState, leg: Leg | undefined): CallAction[] {
    const lc: LegCapabilities = leg?.capabilities ?? {};
    const cc: CallCapabilities = rec.callData.capabilities ?? {};
    const a = new Set<CallAction>();
    if (lc.answer) a.add('answer');
    if (lc.drop || cc.terminate || cc.dropMe) a.add('clear');
    if (lc.hold) a.add('hold');
    if (lc.retrieve) a.add('retrieve');
    if (lc.reconnect) a.add('reconnect');
    if (lc.sendDtmf) a.add('sendDtmf');
    if (state === 'connected' && lc.hold) a.add('consult');
    const others = [...this.records.values()].filter((o) => o !== rec && o.state !== 'cleared');
    const retrievable = (o: CallRecord) => o.state === 'held' && pickLeg([...o.legs.values()], this.opts.device)?.capabilities?.retrieve === true;
    if ((state === 'held' && lc.retrieve && others.length > 0) || (state !== 'held' && others.some(retrievable))) a.add('alternate');
    if (cc.transfer || cc.blindTransfer) a.add('transfer');
    if (cc.merge) a.add('conference');
    if (cc.redirect) a.add('redirect');
    if (cc.park) a.add('park');
    if (cc.startRecord || cc.stopRecord || cc.pauseRecord || cc.resumeRecord) a.add('record');
    if (cc.callBack) a.add('callBack');
    // The code is about the conversation: once the ACD call is answered (the wrap-up box covers after it).
    const answered = state === 'connected' || state === 'held';
    if (answered && (rec.acd || rec.callData.acdCallData !== undefined) && this.agentLoggedOn) a.add('transactionCode');
    return callActions.filter((x) => a.has(x));
  }

  private inferDirection(rec: CallRecord, leg: Leg | undefined, participants: Participant[]): 'inbound' | 'outbound' {
    if (rec.initiator !== undefined) return participants.some((p) => p.participantId === rec.initiator) ? 'inbound' : 'outbound';
    switch (leg?.state) {
      case 'RINGING_INCOMING':
        return 'inbound';
      case 'DIALING':
      case 'OFF_HOOK':
      case 'RINGING_OUTGOING':
        return 'outbound';
    }
    if (rec.cause && ['DISTRIBUTED', 'PICKED_UP', 'REDIRECTED', 'FORWARDED', 'TRANSFERRED'].includes(rec.cause)) return 'inbound';
    const ic = rec.callData.initialCalled;
    if (ic && this.isMe(ic)) return 'inbound';
    if (ic && participants.some((p) => this.sameParty(ic, partyOf(p)))) return 'outbound';
    return 'inbound';
  }

  private takeDialHint(now: number): string | undefined {
    this.dialHints = this.dialHints.filter((h) => now - h.at < DIAL_HINT_MS);
    return this.dialHints.shift()?.number;
  }

  private isMe(p: PartyInfo | undefined): boolean {
    if (!p?.id) return false;
    const login = p.id.loginName;
    if (login !== undefined && login.toLowerCase() === this.opts.login.toLowerCase()) return true;
    return p.id.phoneNumber !== undefined && p.id.phoneNumber === this.opts.device && login === undefined;
  }

  private sameParty(p: PartyInfo, party: Party): boolean {
    return p.id?.phoneNumber !== undefined && p.id.phoneNumber === party.number;
  }
}

function mergeCaps<T extends object>(prev: T | undefined, next: T | undefined): T | undefined {
  if (!next) return prev;
  return { ...(prev ?? {}), ...next } as T;
}

/**
 * A callData delta merged field by field. recordState is only present "if recording is active"
 * (L3210): a delta whose capabilities offer startRecord (or no stop/pause/resume) means it stopped.
 */
export function mergeCallData(prev: CallData, delta: CallData): CallData {
  const next: CallData = { ...prev, ...delta };
  next.capabilities = mergeCaps(prev.capabilities, delta.capabilities);
  if (prev.acdCallData || delta.acdCallData) next.acdCallData = { ...(prev.acdCallData ?? {}), ...(delta.acdCallData ?? {}) };
  if (delta.recordState === undefined && prev.recordState !== undefined && delta.capabilities) {
    const c = delta.capabilities;
    const stopped = c.startRecord === true || (c.stopRecord === false && c.pauseRecord === false && c.resumeRecord === false);
    if (stopped) delete next.recordState;
  }
  if (!next.capabilities) delete next.capabilities;
  return next;
}

export function mergeLeg(prev: Leg | undefined, delta: Leg): Leg {
  if (!prev) return { ...delta };
  const next: Leg = { ...prev, ...delta };
  const caps = mergeCaps(prev.capabilities, delta.capabilities);
  if (caps) next.capabilities = caps;
  return next;
}

export function mergeParticipant(prev: Participant | undefined, delta: Participant): Participant {
  if (!prev) return { ...delta };
  const next: Participant = { ...prev, ...delta };
  if (prev.identity || delta.identity) {
    next.identity = {
      ...(prev.identity ?? {}),
      ...(delta.identity ?? {}),
      ...(prev.identity?.id || delta.identity?.id ? { id: { ...(prev.identity?.id ?? {}), ...(delta.identity?.id ?? {}) } } : {}),
    };
  }
  return next;
}

/** What matters for "did this image change anything". */
function signature(c: Call): string {
  const { seq: _seq, ...rest } = c;
  return JSON.stringify(rest);
}


/** The change an image of a known call represents: the event's cause first, then the state, then data. */
export function deriveChange(prev: Call, next: Call, cause: string | undefined): CallChange {
  if (cause === 'TRANSFERRED') return 'transferred';
  if (cause === 'CONFERENCED' || (next.isConference && !prev.isConference)) return 'conferenced';
  if (cause === 'REDIRECTED' || cause === 'FORWARDED') return 'redirected';
  if (next.state !== prev.state) {
    if (next.state === 'connected' && prev.state === 'held') return 'retrieved';
    return changeForState[next.state];
  }
  if (JSON.stringify(prev.data) !== JSON.stringify(next.data)) return 'dataUpdated';
  return 'updated';
}

// ---------------------------------------------------------------- agent (digest §4.5)

export interface AgentContext {
  prev: AgentInfo | null;
  now: number;
  config: AgentConfig | null;
  /** Withdraw reasons of the agent's PG (GET /acd/agent/withdrawReasons). */
  reasons: WithdrawReasons | null;
  agentId: string;
  helpRequested?: boolean;
  helpRequests?: readonly string[];
  intrusion?: AgentInfo['intrusion'];
}

export function reasonLabels(reasons: WithdrawReasons | null): string[] {
  return [...(reasons?.reasons ?? [])]
    .sort((a, b) => a.index - b.index)
    .map((r) => clip(r.label && r.label.trim() !== '' ? r.label.trim() : `Reason ${r.index}`, 128))
    .slice(0, 64);
}

export function reasonLabel(reasons: WithdrawReasons | null, index: number | undefined): string | undefined {
  if (index === undefined) return undefined;
  const r = reasons?.reasons?.find((x) => x.index === index);
  return clip(r?.label && r.label.trim() !== '' ? r.label.trim() : `Reason ${index}`, 128);
}

/** The withdraw index of a reason label (case and surrounding space ignored). */
export function reasonIndex(reasons: WithdrawReasons | null, label: string): number | undefined {
  const want = label.trim().toLowerCase();
  const list = reasons?.reasons ?? [];
  const hit = list.find((r) => (r.label ?? '').trim().toLowerCase() === want) ?? list.find((r) => `reason ${r.index}` === want);
  return hit?.index;
}

/** AgentState → normalized kind: LOG_OFF → loggedOff, OUT_OF_PG → loggedOn, PAUSE/WITHDRAW → notReady … */
export function mapAgentKind(s: AgentState): AgentStateKind {
  if (s.mainState === 'LOG_OFF') return 'loggedOff';
  if (s.mainState !== 'LOG_ON') return 'unknown';
  switch (s.subState) {
    case 'READY':
      return 'ready';
    case 'BUSY':
      return 'busy';
    case 'PAUSE':
    case 'WITHDRAW':
      return 'notReady';
    case 'TRANSACTION_CODE_INPUT':
      return 'wrapUp';
    case 'OUT_OF_PG':
    case undefined:
      return 'loggedOn';
    default:
      return s.subState.startsWith('WRAPUP') ? 'wrapUp' : 'loggedOn';
  }
}

/** The states an agent may ask for from here (digest §4.5's transitions). */
export function permittedFrom(s: AgentState): AgentStateKind[] {
  if (s.mainState === 'LOG_OFF') return ['loggedOn'];
  if (s.mainState !== 'LOG_ON') return [];
  switch (s.subState) {
    case 'READY':
      return ['notReady', 'wrapUp', 'loggedOff'];
    case 'PAUSE':
    case 'WITHDRAW':
      return ['ready', 'notReady', 'loggedOff'];
    case 'BUSY':
    case 'OUT_OF_PG':
      return ['loggedOff'];
    case 'TRANSACTION_CODE_INPUT':
      return ['ready', 'loggedOff'];
    default:
      return s.subState?.startsWith('WRAPUP') ? ['ready', 'loggedOff'] : ['loggedOff'];
  }
}

export function mapAgent(s: AgentState, ctx: AgentContext): AgentInfo {
  const state = mapAgentKind(s);
  const reason = state === 'notReady' && s.subState === 'WITHDRAW' ? reasonLabel(ctx.reasons, s.withdrawReason) : undefined;
  const same = ctx.prev !== null && ctx.prev.state === state && ctx.prev.reason === reason && ctx.prev.awaitingCode === (s.subState === 'TRANSACTION_CODE_INPUT' || undefined);
  const agent: AgentInfo = {
    state,
    since: same && ctx.prev ? ctx.prev.since : ctx.now,
    permitted: permittedFrom(s),
    services: [],
  };
  if (ctx.agentId) agent.agentId = clip(ctx.agentId, 128);
  if (reason) agent.reason = reason;
  const labels = reasonLabels(ctx.reasons);
  if (ctx.reasons) agent.reasons = labels;
  const group = s.pgNumber && s.pgNumber !== '' ? s.pgNumber : undefined;
  if (group) agent.group = clip(group, 64);
  const groups = ctx.config?.processingGroups?.groups;
  if (groups && groups.length > 0) agent.groups = groups.slice(0, 64).map((g) => clip(g, 64));
  if (ctx.config?.type === 'SUPERVISOR') agent.role = 'supervisor';
  else if (ctx.config?.type === 'AGENT') agent.role = 'agent';
  if (s.subState === 'TRANSACTION_CODE_INPUT') agent.awaitingCode = true;
  if (ctx.helpRequested) agent.helpRequested = true;
  if (ctx.helpRequests && ctx.helpRequests.length > 0) agent.helpRequests = ctx.helpRequests.slice(0, 256).map((n) => clip(n, 64));
  if (ctx.intrusion) agent.intrusion = ctx.intrusion;
  return agent;
}

// ---------------------------------------------------------------- routing and counters

const forwardOf: Record<string, ForwardType[]> = {
  BUSY: ['busy'],
  NO_ANSWER: ['noAnswer'],
  BUSY_NO_ANSWER: ['busy', 'noAnswer'],
};

/** O2G forward type for a normalized one; undefined = immediate; null = not expressible in O2G. */
export function o2gForwardType(t: ForwardType): 'BUSY' | 'NO_ANSWER' | undefined | null {
  switch (t) {
    case 'immediate':
      return undefined;
    case 'busy':
      return 'BUSY';
    case 'noAnswer':
      return 'NO_ANSWER';
    default:
      return null;
  }
}

export interface RoutingContext {
  /** The user's voicemail number, shown as a forward's destination when it goes to voicemail. */
  voicemailNumber?: string | undefined;
}

export function mapRouting(rs: RoutingState, ctx: RoutingContext = {}): Pick<DeviceFeatures, 'dnd' | 'forwards' | 'overflow'> {
  const forwards: Forward[] = [];
  for (const f of rs.forwardRoutes ?? []) {
    const d = f.destinations?.[0];
    if (!d) continue;
    const to = d.type === 'VOICEMAIL' ? (ctx.voicemailNumber ?? 'voicemail') : (d.number ?? d.deviceId ?? '');
    if (to === '') continue;
    const types = f.forwardType === undefined || f.forwardType === 'IMMEDIATE' ? (['immediate'] as ForwardType[]) : (forwardOf[f.forwardType] ?? []);
    for (const type of types) forwards.push({ type, to: clip(to, 64) });
  }
  let overflow: Overflow | null = null;
  const o = rs.overflowRoutes?.[0];
  const od = o?.destinations?.[0];
  if (o && od) {
    const type = o.overflowType === 'BUSY' ? 'busy' : o.overflowType === 'NO_ANSWER' ? 'noAnswer' : 'busyNoAnswer';
    overflow = { type, to: od.type === 'VOICEMAIL' ? 'voicemail' : 'associate' };
  }
  return { dnd: rs.dndState?.activate === true, forwards, overflow };
}

/** Event-summary counters; an absent counter means "unknown", never 0 (L5065). */
export function mapEventSummary(es: EventSummary): Partial<DeviceFeatures> {
  const out: Partial<DeviceFeatures> = {};
  const count = (n: number | undefined) => (n !== undefined && Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined);
  const missed = count(es.missedCallsNb);
  const voice = count(es.voiceMessagesNb);
  if (missed !== undefined) out.missedCalls = missed;
  if (voice !== undefined) out.voiceMessages = voice;
  if (es.eventWaiting !== undefined) out.messageWaiting = es.eventWaiting;
  else if (voice !== undefined) out.messageWaiting = voice > 0;
  return out;
}

// ---------------------------------------------------------------- comlog (L4905–L4936)

export interface ComlogContext {
  profileId: string;
  device: string;
  login: string;
}

export const COMLOG_ID_PREFIX = 'o2g:';

export function comlogRowId(recordId: string): string {
  return `${COMLOG_ID_PREFIX}${recordId}`;
}

function parseDate(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * A comlog record → a call-log row. The owner (this user) carries role and answered; on a
 * re-routed call the owner may be absent and the participant that took the call carries them
 * (L4909–L4925), which makes the row 'rerouted'.
 */
export function comlogRow(rec: ComHistoryRecord, ctx: ComlogContext): CallLogRow | null {
  const parts = rec.participants ?? [];
  const isOwner = (p: ComParticipant) => {
    const id = p.identity?.id;
    return (id?.loginName !== undefined && id.loginName.toLowerCase() === ctx.login.toLowerCase()) || (id?.phoneNumber !== undefined && id.phoneNumber === ctx.device && id.loginName === undefined);
  };
  const owner = parts.find(isOwner);
  const roled = owner && owner.role !== undefined ? owner : parts.find((p) => p.role !== undefined && p.role !== 'UNKNOWN');
  const remote = parts.find((p) => p !== owner && p !== roled) ?? parts.find((p) => p !== owner);
  const startedAt = parseDate(rec.beginDate);
  if (startedAt === undefined) return null;
  const id = rec.recordId !== undefined ? comlogRowId(rec.recordId) : rec.comRef ? `${COMLOG_ID_PREFIX}ref:${rec.comRef}` : null;
  if (!id) return null;
  const direction = roled?.role === 'CALLER' ? 'outbound' : 'inbound';
  const answered = roled?.answered === true;
  const rerouted = !owner && roled !== undefined;
  const outcome = rerouted ? 'rerouted' : answered ? 'answered' : direction === 'inbound' ? 'missed' : 'failed';
  const remoteParty = remote ? partyOfInfo(remote.identity, remote.anonymous === true) : { number: '' };
  const row: CallLogRow = {
    id,
    profileId: ctx.profileId,
    device: ctx.device,
    direction,
    remoteNumber: remoteParty.number,
    startedAt,
    outcome,
    data: rec.comRef ? { comRef: clip(rec.comRef, 4096) } : {},
    source: 'pbx',
  };
  if (remoteParty.name) row.remoteName = remoteParty.name;
  const initialCalled = (roled ?? owner)?.initialCalled?.id?.phoneNumber;
  if (initialCalled) row.calledNumber = clip(initialCalled, 64);
  const endedAt = parseDate(rec.endDate);
  if (endedAt !== undefined && endedAt >= startedAt) {
    row.endedAt = endedAt;
    if (answered) row.durationSec = Math.round((endedAt - startedAt) / 1000);
  }
  const reason = roled?.reason ?? remote?.reason;
  if (reason) row.cause = clip(reason, 64);
  if (outcome === 'missed') row.acknowledged = rec.acknowledged !== false;
  return row;
}

// ---------------------------------------------------------------- directory

export function directoryEntry(c: DirectoryContact): DirectoryEntry | null {
  const number = c.id?.phoneNumber;
  if (!number) return null;
  const name = [c.firstName, c.lastName].filter((x): x is string => !!x && x.trim() !== '').join(' ').trim() || c.id?.loginName || number;
  return { number: clip(number, 64), name: clip(name, 256) };
}
