// Telephony events from the PBX core: after every batch of core events (one core operation), each affected
// user's calls are rebuilt (call-model) and compared with what that user was last told, giving OnCallCreated,
// OnCallModified (deltas, with previousCallRef for transfer/merge continuations, L3423), OnCallRemoved and
// OnUserStateModified. callRefs are O2G-side: one per physical call, shared by its users (digest §6 #25);
// a merge keeps the active call's ref (T13, §4.4 #7), a transfer the held call's (§4.4 #6).
import type { Pbx } from '../pbx/pbx.js';
import type { Call, CallCause, Leg, PbxEvent } from '../pbx/types.js';
import { buildViews, callResource, type AcdCallData, type CallExtras, type CallView, type ViewContext } from './call-model.js';
import type { O2gEvent } from './events.js';
import type { O2gUser, O2gUsers } from './users.js';

export type O2gCallCause =
  | 'ABANDONED'
  | 'ALL_TRUNK_BUSY'
  | 'BUSY'
  | 'CLEARED'
  | 'PARTICIPANT_LEFT'
  | 'CONFERENCED'
  | 'INVALID_NUMBER'
  | 'DESTINATION_NOT_OBTAINABLE'
  | 'FORWARDED'
  | 'PICKED_UP'
  | 'REDIRECTED'
  | 'TRANSFERRED'
  | 'UNKNOWN'
  | 'CALL_BACK'
  | 'RECALL'
  | 'DISTRIBUTED'
  | 'SUPERVISOR_LISTENING'
  | 'SUPERVISOR_INTRUSION'
  | 'SUPERVISOR_RESTRICT_INTRUSION'
  | 'NO_AVAILABLE_AGENT';

/** What an O2G request is doing, so the events it causes carry the right cause. */
export interface OpContext {
  cause: O2gCallCause;
  newDestination?: string;
}

/** One core event with the O2G operation that caused it, if any. */
export interface BatchEvent {
  e: PbxEvent;
  op?: OpContext;
}

export interface TrackerDeps {
  pbx: Pbx;
  users: O2gUsers;
  emit(event: O2gEvent): void;
  acdData(call: Call, leg: Leg): AcdCallData | undefined;
  dvaNumber: string | null;
}

interface Batch {
  /** The latest image of each call touched (ended calls included). */
  calls: Map<string, Call>;
  /** `${callId}|${device}` → the last core cause of that device's leg. */
  causes: Map<string, CallCause | undefined>;
  /** `${newCallId}|${device}` → the call id the leg came from (transfer, conference). */
  moves: Map<string, string>;
  ops: Map<string, OpContext>;
}

const maxRemembered = 5000;

export class CallTracker {
  /** core call id → callRef. */
  private readonly refs = new Map<string, string>();
  private nextRef = 1;
  private readonly participantIds = new Map<string, string>();
  private nextParticipant = 1;
  /** loginName → callRef → what the user was last told. */
  private readonly views = new Map<string, Map<string, CallView>>();
  private readonly lastUserState = new Map<string, 'FREE' | 'BUSY'>();
  private readonly lastDeviceCaps = new Map<string, string>();
  private readonly extrasByCall = new Map<string, CallExtras>();
  /** `${callId}|${device}` → the cause of a call that failed at the device (busy, unobtainable). */
  private readonly failures = new Map<string, O2gCallCause>();
  /** Recently ended calls of each user (for sendaccountinfo after the call). */
  private readonly ended = new Map<string, Array<{ callRef: string; coreId: string }>>();
  readonly ctx: ViewContext;

  constructor(private readonly deps: TrackerDeps) {
    this.ctx = {
      users: deps.users,
      refOf: (id) => this.refOf(id),
      participantId: (leg) => this.participantId(leg),
      extras: (id) => this.extrasByCall.get(id) ?? {},
      acdData: deps.acdData,
      dvaNumber: deps.dvaNumber,
    };
  }

  reset(): void {
    this.refs.clear();
    this.participantIds.clear();
    this.views.clear();
    this.lastUserState.clear();
    this.lastDeviceCaps.clear();
    this.extrasByCall.clear();
    this.failures.clear();
    this.ended.clear();
  }

  refOf(coreId: string): string {
    let ref = this.refs.get(coreId);
    if (!ref) {
      ref = String(this.nextRef++);
      this.refs.set(coreId, ref);
      if (this.refs.size > maxRemembered) {
        // Forget the oldest ended call (live calls keep their ref however old).
        for (const id of this.refs.keys()) {
          if (this.deps.pbx.hasCall(id)) continue;
          this.refs.delete(id);
          break;
        }
      }
    }
    return ref;
  }

  /** The core call a callRef names (live calls only). */
  coreIdOf(callRef: string): string | undefined {
    for (const [id, ref] of this.refs) if (ref === callRef && this.deps.pbx.hasCall(id)) return id;
    return undefined;
  }

  extras(coreId: string): CallExtras {
    let x = this.extrasByCall.get(coreId);
    if (!x) {
      x = {};
      this.extrasByCall.set(coreId, x);
    }
    return x;
  }

  /**
   * [SIM] A party keeps its participantId through holds, transfers and merges: it is keyed by the party's
   * number (a party is in a call once), opaque for the client ("Should not be displayed", L3494).
   */
  participantId(leg: Leg): string {
    const key = leg.number;
    let id = this.participantIds.get(key);
    if (!id) {
      id = `p${this.nextParticipant++}`;
      this.participantIds.set(key, id);
      if (this.participantIds.size > maxRemembered) this.participantIds.delete(this.participantIds.keys().next().value as string);
    }
    return id;
  }

  /** The user's calls now (fresh from the core). */
  currentViews(user: O2gUser): CallView[] {
    return buildViews(user, this.callsOf(user), this.ctx);
  }

  view(user: O2gUser, callRef: string): CallView | undefined {
    return this.currentViews(user).find((v) => v.callRef === callRef);
  }

  /** A call of the user that ended recently, by ref. */
  recentlyEnded(user: O2gUser, callRef: string): { callRef: string; coreId: string } | undefined {
    return this.ended.get(user.loginName)?.find((e) => e.callRef === callRef);
  }

  deviceCapabilities(user: O2gUser): Array<Record<string, unknown>> {
    const pbx = this.deps.pbx;
    return user.cfg.devices.map((d) => ({
      deviceId: d.id,
      makeCall: pbx.linkUp,
      makeBusinessCall: false,
      makePrivateCall: false,
      unParkCall: pbx.isDevice(d.id) && pbx.parkedOn(d.id).length > 0,
    }));
  }

  /** TelephonicState (L3598–L3604). */
  telephonicState(user: O2gUser): Record<string, unknown> {
    const calls = this.currentViews(user);
    return { calls: calls.map(callResource), deviceCapabilities: this.deviceCapabilities(user), userState: calls.length > 0 ? 'BUSY' : 'FREE' };
  }

  // ---------------------------------------------------------------- batches

  process(events: BatchEvent[], silent: boolean): void {
    const batch: Batch = { calls: new Map(), causes: new Map(), moves: new Map(), ops: new Map() };
    for (const { e, op } of events) {
      if (e.type === 'leg') {
        batch.calls.set(e.call.id, e.call);
        batch.causes.set(`${e.call.id}|${e.device}`, e.cause);
        if (e.replaces) batch.moves.set(`${e.call.id}|${e.device}`, e.replaces);
        if (e.cause === 'conference' && e.replaces) this.remapConference(e.call.id, e.replaces);
      } else if (e.type === 'callEnded' || e.type === 'callData') {
        batch.calls.set(e.call.id, e.call);
      } else continue;
      if (op) batch.ops.set(e.call.id, op);
    }
    if (batch.calls.size === 0) return;
    const affected = new Set<O2gUser>();
    for (const id of batch.calls.keys()) {
      const call = this.deps.pbx.call(id) ?? batch.calls.get(id);
      for (const leg of call?.legs ?? []) {
        const u = this.deps.users.byDeviceNumber(leg.number);
        if (u) affected.add(u);
      }
      for (const leg of batch.calls.get(id)?.legs ?? []) {
        const u = this.deps.users.byDeviceNumber(leg.number);
        if (u) affected.add(u);
      }
    }
    for (const [login, views] of this.views) {
      for (const v of views.values()) {
        if (!batch.calls.has(v.coreId)) continue;
        const u = this.deps.users.byLoginName(login);
        if (u) affected.add(u);
      }
    }
    for (const user of affected) if (this.deps.users.monitored(user)) this.processUser(user, batch, silent);
    for (const id of batch.calls.keys()) if (!this.deps.pbx.hasCall(id)) this.extrasByCall.delete(id);
  }

  /** The merged call (the held one in the core) keeps the active call's ref; its own ref becomes previousCallRef. */
  private remapConference(target: string, source: string): void {
    const sourceRef = this.refs.get(source);
    if (!sourceRef || this.refs.get(target) === sourceRef) return;
    this.refs.set(target, sourceRef);
    const x = this.extrasByCall.get(source);
    if (x && !this.extrasByCall.has(target)) this.extrasByCall.set(target, x);
  }

  private callsOf(user: O2gUser): Call[] {
    const seen = new Set<string>();
    const out: Call[] = [];
    for (const d of user.cfg.devices) {
      if (!this.deps.pbx.isDevice(d.id)) continue;
      for (const { call } of this.deps.pbx.legsOf(d.id)) {
        if (seen.has(call.id)) continue;
        seen.add(call.id);
        out.push(call);
      }
    }
    return out;
  }

  private processUser(user: O2gUser, batch: Batch, silent: boolean): void {
    const device = user.device as string;
    const old = this.views.get(user.loginName) ?? new Map<string, CallView>();
    const fresh = this.currentViews(user);
    const freshRefs = new Set(fresh.map((v) => v.callRef));
    const next = new Map<string, CallView>();
    const consumed = new Set<string>();
    const out: O2gEvent[] = [];
    /** Removals go first: "A: OnCallRemoved {c2} and A: OnCallModified {c1 ACTIVE}" (digest §4.4 #6). */
    const removals: O2gEvent[] = [];
    const caps = this.deviceCapabilities(user);
    const capsJson = JSON.stringify(caps);
    const capsChanged = this.lastDeviceCaps.get(user.loginName) !== capsJson;
    const leftover = (pred: (v: CallView) => boolean) => [...old.values()].find((v) => pred(v) && !freshRefs.has(v.callRef) && !consumed.has(v.callRef));

    for (const view of fresh) {
      next.set(view.callRef, view);
      const prev = old.get(view.callRef);
      let base = prev;
      let previousCallRef: string | undefined;
      // The same physical call under another ref (merge), or the call this leg moved from (transfer).
      const sameCall = leftover((v) => v.coreId === view.coreId && v.callRef !== view.callRef);
      const movedFrom = batch.moves.get(`${view.coreId}|${device}`);
      const moved = !sameCall && movedFrom ? leftover((v) => v.coreId === movedFrom) : undefined;
      const replaced = sameCall ?? moved;
      if (replaced) {
        previousCallRef = replaced.callRef;
        consumed.add(replaced.callRef);
        if (!base) base = replaced;
      }
      const cause = this.causeFor(batch, view.coreId, device);
      if (!base) {
        const createdCause = cause ?? this.createdCause(batch, view);
        out.push({
          eventName: 'OnCallCreated',
          loginName: user.loginName,
          callRef: view.callRef,
          ...(createdCause ? { cause: createdCause } : {}),
          callData: view.callData,
          ...(view.initiator ? { initiator: view.initiator } : {}),
          legs: view.legs,
          participants: view.participants,
          deviceCapabilities: caps,
        });
        continue;
      }
      const delta = diffViews(base, view);
      // An O2G operation on the call (e.g. an intrusion mode change) is told even when no field changed.
      if (!delta && !previousCallRef && !batch.ops.has(view.coreId)) continue;
      const modifiedCause = cause ?? (delta?.removedParticipantIds && !delta.addedParticipants && view.participants.length > 0 ? 'PARTICIPANT_LEFT' : undefined);
      out.push({
        eventName: 'OnCallModified',
        loginName: user.loginName,
        callRef: view.callRef,
        ...(modifiedCause ? { cause: modifiedCause } : {}),
        ...(previousCallRef ? { previousCallRef } : {}),
        ...(delta ?? {}),
        ...(capsChanged ? { deviceCapabilities: caps } : {}),
      });
    }
    for (const prev of old.values()) {
      if (next.has(prev.callRef) || consumed.has(prev.callRef)) continue;
      const op = batch.ops.get(prev.coreId);
      const cause = this.removedCause(batch, prev, device);
      removals.push({
        eventName: 'OnCallRemoved',
        loginName: user.loginName,
        callRef: prev.callRef,
        ...(cause ? { cause } : {}),
        ...(op?.newDestination ? { newDestination: op.newDestination } : {}),
        deviceCapabilities: caps,
      });
      const ended = this.ended.get(user.loginName) ?? [];
      ended.unshift({ callRef: prev.callRef, coreId: prev.coreId });
      this.ended.set(user.loginName, ended.slice(0, 10));
      this.failures.delete(`${prev.coreId}|${device}`);
    }
    this.lastDeviceCaps.set(user.loginName, capsJson);
    if (next.size > 0) this.views.set(user.loginName, next);
    else this.views.delete(user.loginName);
    const userState = next.size > 0 ? 'BUSY' : 'FREE';
    if ((this.lastUserState.get(user.loginName) ?? 'FREE') !== userState) {
      this.lastUserState.set(user.loginName, userState);
      out.push({ eventName: 'OnUserStateModified', loginName: user.loginName, state: userState });
    }
    if (!silent) for (const e of [...removals, ...out]) this.deps.emit(e);
    this.releaseFailed(user, batch);
  }

  /** A call failed at one of the user's sets (busy, unobtainable): OXE releases it, the user is told why. */
  private releaseFailed(user: O2gUser, batch: Batch): void {
    for (const d of user.cfg.devices) {
      if (!this.deps.pbx.isDevice(d.id)) continue;
      for (const { call, leg } of this.deps.pbx.legsOf(d.id)) {
        if (leg.state !== 'failed') continue;
        const key = `${call.id}|${d.id}`;
        if (this.failures.has(key)) continue;
        const core = batch.causes.get(key);
        this.failures.set(key, core === 'busy' ? 'BUSY' : 'DESTINATION_NOT_OBTAINABLE');
        const callId = call.id;
        setImmediate(() => {
          const still = this.deps.pbx.legsOf(d.id).find((x) => x.call.id === callId && x.leg.state === 'failed');
          if (!still) return;
          try {
            this.deps.pbx.drop(d.id, { callId });
          } catch {
            // Gone meanwhile.
          }
        });
      }
    }
  }

  private causeFor(batch: Batch, coreId: string, device: string): O2gCallCause | undefined {
    const op = batch.ops.get(coreId);
    if (op) return op.cause;
    const failure = this.failures.get(`${coreId}|${device}`);
    const core = batch.causes.get(`${coreId}|${device}`);
    if (core === 'busy') return 'BUSY';
    if (core === 'destNotObtainable') return 'DESTINATION_NOT_OBTAINABLE';
    if (failure) return failure;
    switch (core) {
      case 'conference':
        return 'CONFERENCED';
      case 'transfer':
        return 'TRANSFERRED';
      case 'redirect':
        return 'REDIRECTED';
      case 'route':
        return 'DISTRIBUTED';
      default:
        return undefined;
    }
  }

  private createdCause(batch: Batch, view: CallView): O2gCallCause | undefined {
    const call = this.deps.pbx.call(view.coreId) ?? batch.calls.get(view.coreId);
    const leg = call?.legs.find((l) => view.legs.some((v) => v.deviceId === l.number) && l.state !== 'cleared');
    if (!leg) return undefined;
    if (leg.acdService) return 'DISTRIBUTED';
    if (!leg.outgoing && leg.lastRedirection && leg.lastRedirection !== leg.number) return 'FORWARDED';
    return undefined;
  }

  private removedCause(batch: Batch, prev: CallView, device: string): O2gCallCause | undefined {
    const failure = this.failures.get(`${prev.coreId}|${device}`);
    if (failure) return failure;
    const cause = this.causeFor(batch, prev.coreId, device);
    if (cause && cause !== 'DISTRIBUTED') return cause;
    const call = batch.calls.get(prev.coreId) ?? this.deps.pbx.call(prev.coreId);
    const leg = call?.legs.filter((l) => l.number === device).at(-1);
    const core = batch.causes.get(`${prev.coreId}|${device}`);
    if (core === 'droppedByOtherParty' && leg && !leg.wasConnected && !leg.outgoing) return 'ABANDONED';
    return 'CLEARED';
  }
}

interface Delta {
  modifiedLegs?: unknown[];
  addedLegs?: unknown[];
  removedLegs?: unknown[];
  modifiedParticipants?: unknown[];
  addedParticipants?: unknown[];
  removedParticipantIds?: string[];
  callData?: unknown;
}

/** OnCallModified deltas: full Leg/Participant objects in the lists (digest §6 #23), callData when it changed. */
export function diffViews(a: CallView, b: CallView): Delta | undefined {
  const d: Delta = {};
  const aLegs = new Map(a.legs.map((l) => [l.deviceId, l]));
  const bLegs = new Map(b.legs.map((l) => [l.deviceId, l]));
  const modifiedLegs = b.legs.filter((l) => aLegs.has(l.deviceId) && JSON.stringify(aLegs.get(l.deviceId)) !== JSON.stringify(l));
  const addedLegs = b.legs.filter((l) => !aLegs.has(l.deviceId));
  const removedLegs = a.legs.filter((l) => !bLegs.has(l.deviceId));
  const aParts = new Map(a.participants.map((p) => [p.participantId, p]));
  const bParts = new Map(b.participants.map((p) => [p.participantId, p]));
  const modifiedParticipants = b.participants.filter((p) => aParts.has(p.participantId) && JSON.stringify(aParts.get(p.participantId)) !== JSON.stringify(p));
  const addedParticipants = b.participants.filter((p) => !aParts.has(p.participantId));
  const removedParticipantIds = a.participants.filter((p) => !bParts.has(p.participantId)).map((p) => p.participantId);
  if (modifiedLegs.length) d.modifiedLegs = modifiedLegs;
  if (addedLegs.length) d.addedLegs = addedLegs;
  if (removedLegs.length) d.removedLegs = removedLegs;
  if (modifiedParticipants.length) d.modifiedParticipants = modifiedParticipants;
  if (addedParticipants.length) d.addedParticipants = addedParticipants;
  if (removedParticipantIds.length) d.removedParticipantIds = removedParticipantIds;
  if (JSON.stringify(a.callData) !== JSON.stringify(b.callData)) d.callData = b.callData;
  return Object.keys(d).length > 0 ? d : undefined;
}
