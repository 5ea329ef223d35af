// TelServices typed events and snapshots -> the normalized model (shared/model.ts, shared/events.ts).
//
// A TelServices call object (per-device `id`) carries full images of up to two legs: primCall and
// the consultation secCall. Each leg becomes one normalized Call with a stable id kept in a
// call-identity table (CallTracker), which lives as long as the connector, across reconnects.
import { changeForState, type CallEndedEvent, type CallEvent, type CallChange } from '../../../shared/events.js';
import type { AgentInfo, AgentStateKind, Call, CallAction, CallState, Forward, Party } from '../../../shared/model.js';
import type { TelAgentInfo, TelAgentState, TelCall, TelCallInfo, TelCallState, TelForward, TelParty, TelService } from './codec.js';

export type LegPosition = 'prim' | 'sec';
export type CallTrackerEvent = CallEvent | CallEndedEvent;

// ---------------------------------------------------------------- states and parties

const stateMap: Record<TelCallState, CallState> = {
  initiated: 'dialing',
  originated: 'dialing',
  delivered: 'ringing',
  queued: 'queued',
  alerting: 'alerting',
  connected: 'connected',
  hold: 'held',
  failed: 'failed',
  cleared: 'cleared',
};

/** `delivered` on an incoming leg means it rings here (the manual only shows it outbound). */
export function mapCallState(state: TelCallState, isOutgoing: boolean): CallState {
  if (state === 'delivered' && !isOutgoing) return 'alerting';
  return stateMap[state];
}

/** TelServer's generated number for a hidden caller: '*****-<reference>' (L1786). */
export const WITHHELD_PREFIX = '*****';

export function mapParty(p: TelParty): Party {
  const party: Party = { number: p.number.slice(0, 64) };
  if (p.name !== undefined) party.name = p.name.slice(0, 256);
  if (p.company !== undefined) party.company = p.company.slice(0, 256);
  if (p.numberType !== undefined) party.numberType = p.numberType;
  if (p.number.startsWith(WITHHELD_PREFIX)) party.withheld = true;
  return party;
}

// ---------------------------------------------------------------- permitted services -> actions

const actionOf: Partial<Record<TelService, CallAction>> = {
  answerCall: 'answer',
  dropCall: 'clear',
  holdCall: 'hold',
  retrieveCall: 'retrieve',
  consultationCall: 'consult',
  alternateCall: 'alternate',
  transferCall: 'transfer',
  conferenceCall: 'conference',
  reconnectCall: 'reconnect',
  divertCall: 'redirect',
  addPartyToCall: 'addParty',
  // makeCall is a device-level service ("de facto permitted", L1777), not an action on a call.
};

/** Services that act on the held leg of a pair; every other service acts on the active leg. */
const heldLegServices: ReadonlySet<TelService> = new Set(['retrieveCall', 'reconnectCall']);

/**
 * Distribute the call object's permittedServices to its legs.
 * Rule: with one leg, every service belongs to it. With two legs, retrieve and reconnect belong
 * to the held leg ("reconnect the call on hold", L957); alternate, transfer, conference, drop,
 * hold, consult, divert and answer belong to the active (non-held) leg, which is what they
 * release or operate on (Ex. 3: prim hold + sec connected). When no leg is held (or all are),
 * a service goes to every leg. addParty is never listed by the server (L1809): it is offered on
 * connected and held legs whenever the server lists any service at all.
 */
export function distributeActions(states: CallState[], services: readonly TelService[]): CallAction[][] {
  const held = states.map((s) => s === 'held');
  const anyHeld = held.some(Boolean);
  const allHeld = held.every(Boolean);
  const out: CallAction[][] = states.map(() => []);
  for (const service of services) {
    const action = actionOf[service];
    if (!action) continue;
    states.forEach((_, i) => {
      const wantsHeld = heldLegServices.has(service);
      const applies = states.length === 1 || !anyHeld || allHeld || held[i] === wantsHeld;
      if (applies && !out[i]?.includes(action)) out[i]?.push(action);
    });
  }
  if (services.length > 0) {
    states.forEach((s, i) => {
      if ((s === 'connected' || s === 'held') && !out[i]?.includes('addParty')) out[i]?.push('addParty');
    });
  }
  return out;
}

// ---------------------------------------------------------------- call identity table

interface LegRecord {
  id: string;
  position: LegPosition;
  call: Call;
}

interface CallObject {
  device: string;
  vendorId: string;
  legs: LegRecord[];
}

interface Tombstone {
  at: number;
  numbers: Set<string>;
}

export interface CallTrackerOptions {
  now: () => number;
  /** A cleared call's id is remembered this long to recognise late datagrams of it. */
  staleWindowMs?: number;
}

/** Where a normalized call id points on the wire. */
export interface LegLocation {
  device: string;
  vendorCallId: string;
  position: LegPosition;
  call: Call;
  /** The other legs of the same call object (for primOtherNumber/secOtherNumber). */
  siblings: Call[];
}

const established: ReadonlySet<CallState> = new Set(['connected', 'held']);
const preConnect: ReadonlySet<CallState> = new Set(['dialing', 'ringing', 'alerting', 'queued']);
const redirectionCauses: ReadonlySet<string> = new Set(['redirect', 'route']);

interface Image {
  position: LegPosition;
  info: TelCallInfo;
  state: CallState;
}

export class CallTracker {
  private readonly objects = new Map<string, CallObject>();
  private readonly tombstones = new Map<string, Tombstone>();
  private readonly now: () => number;
  private readonly staleWindowMs: number;
  private seq = 0;
  /** Leg counter seeded from the clock so ids stay unique across app restarts (call log keys). */
  private nextLeg: number;

  constructor(opts: CallTrackerOptions) {
    this.now = opts.now;
    this.staleWindowMs = opts.staleWindowMs ?? 3000;
    this.nextLeg = Math.max(1, Math.floor(opts.now()));
  }

  /** Current normalized calls (every live leg). */
  calls(): Call[] {
    return [...this.objects.values()].flatMap((o) => o.legs.map((l) => l.call));
  }

  locate(callId: string): LegLocation | undefined {
    for (const o of this.objects.values()) {
      const leg = o.legs.find((l) => l.id === callId);
      if (leg) {
        return {
          device: o.device,
          vendorCallId: o.vendorId,
          position: leg.position,
          call: leg.call,
          siblings: o.legs.filter((l) => l !== leg).map((l) => l.call),
        };
      }
    }
    return undefined;
  }

  /**
   * Apply one call image (a call event, or one call of a snapshot when `authoritative`).
   * Returns the normalized events it implies; an image that changes nothing returns none.
   */
  apply(device: string, call: TelCall, authoritative = false): CallTrackerEvent[] {
    const key = `${device}:${call.id}`;
    const now = this.now();
    const images: Image[] = [];
    if (call.primCall) images.push({ position: 'prim', info: call.primCall, state: mapCallState(call.primCall.state, call.primCall.isOutgoing) });
    if (call.secCall) images.push({ position: 'sec', info: call.secCall, state: mapCallState(call.secCall.state, call.secCall.isOutgoing) });

    let obj = this.objects.get(key);
    if (!obj) {
      // A final image for a call we never saw (or already ended): nothing to show or end.
      if (images.every((i) => i.state === 'cleared')) return [];
      if (!authoritative && this.isLateImage(key, images, now)) return [];
      obj = { device, vendorId: call.id, legs: [] };
      this.objects.set(key, obj);
      this.tombstones.delete(key);
    }

    const matches = matchLegs(obj.legs, images);
    const allowed = distributeActions(
      images.map((i) => i.state),
      call.permittedServices ?? [],
    );
    const events: CallTrackerEvent[] = [];
    const kept: LegRecord[] = [];
    images.forEach((image, i) => {
      const prev = matches[i];
      if (prev && !authoritative && established.has(prev.call.state) && preConnect.has(image.state)) {
        kept.push(prev); // a late datagram: a connected leg never rings again
        return;
      }
      const id = prev?.id ?? this.newId(device, call.id);
      const next = buildCall({
        id,
        device,
        vendorId: call.id,
        image,
        allowed: allowed[i] ?? [],
        extraData: call.extraData,
        prev: prev?.call,
        now,
      });
      if (image.state === 'cleared') {
        if (prev) events.push(this.ended(next, now));
        return;
      }
      if (prev && signature(prev.call) === signature(next)) {
        kept.push({ ...prev, position: image.position });
        return;
      }
      next.seq = ++this.seq;
      events.push({ type: 'call', change: prev ? deriveChange(prev.call, next) : 'created', call: next });
      kept.push({ id, position: image.position, call: next });
    });

    const cause = images.find((i) => i.info.cause !== undefined)?.info.cause;
    for (const leg of obj.legs) {
      if (!matches.includes(leg)) {
        events.push(this.ended({ ...leg.call, state: 'cleared', ...(cause ? { cause } : {}) }, now));
      }
    }
    obj.legs = kept;
    if (kept.length === 0) this.forget(key, images, now);
    return events;
  }

  /**
   * Apply a snapshot's call list for a device: every listed call as an authoritative image, and
   * every call object the snapshot no longer lists ended. Returns the implied events.
   */
  /**
   * Whether a snapshot's calls agree with what the events built, without changing anything:
   * the same call objects, each with legs in the same states. Used to tell a lost datagram from
   * one still in flight when the snapshot was taken.
   */
  matches(device: string, calls: readonly TelCall[]): boolean {
    const mine = [...this.objects.values()].filter((o) => o.device === device && o.legs.length > 0);
    const theirs = calls.filter((c) => c.primCall || c.secCall);
    if (mine.length !== theirs.length) return false;
    for (const c of theirs) {
      const obj = this.objects.get(`${device}:${c.id}`);
      const states = [c.primCall, c.secCall]
        .filter((i): i is TelCallInfo => i !== undefined && i.state !== 'cleared')
        .map((i) => mapCallState(i.state, i.isOutgoing))
        .sort();
      const held = (obj?.legs ?? []).map((l) => l.call.state).sort();
      if (states.join() !== held.join()) return false;
    }
    return true;
  }

  reconcile(device: string, calls: readonly TelCall[]): CallTrackerEvent[] {
    const events: CallTrackerEvent[] = [];
    const listed = new Set<string>();
    for (const c of calls) {
      listed.add(`${device}:${c.id}`);
      events.push(...this.apply(device, c, true));
    }
    const now = this.now();
    for (const [key, obj] of [...this.objects]) {
      if (obj.device !== device || listed.has(key)) continue;
      for (const leg of obj.legs) events.push(this.ended({ ...leg.call, state: 'cleared' }, now));
      obj.legs = [];
      this.forget(key, [], now);
    }
    return events;
  }

  private ended(last: Call, now: number): CallEndedEvent {
    const call: Call = { ...last, state: 'cleared', endedAt: now, allowed: [], seq: ++this.seq };
    return { type: 'callEnded', callId: call.id, at: now, ...(call.cause ? { cause: call.cause } : {}), call };
  }

  private forget(key: string, images: Image[], now: number): void {
    this.objects.delete(key);
    const numbers = new Set(images.map((i) => i.info.otherParty.number));
    this.tombstones.set(key, { at: now, numbers });
    // Bounded: drop tombstones past the window.
    for (const [k, t] of this.tombstones) if (now - t.at > this.staleWindowMs) this.tombstones.delete(k);
  }

  /**
   * A vendor id that reappears after its call cleared is a new call, unless the image arrives
   * within the stale window, is already established, and names the numbers of the cleared call:
   * that is a reordered datagram of the old call (a new call starts dialing or alerting).
   */
  private isLateImage(key: string, images: Image[], now: number): boolean {
    const t = this.tombstones.get(key);
    if (!t || now - t.at > this.staleWindowMs) return false;
    return images.every((i) => established.has(i.state) && t.numbers.has(i.info.otherParty.number));
  }

  private newId(device: string, vendorId: string): string {
    return `ts:${device}:${vendorId}:${this.nextLeg++}`;
  }
}

/**
 * Match the new image's legs to the previous legs. First by other-party number (the primary can
 * disappear and the secondary become primary), then by position when the numbers are compatible:
 * one of them is empty (still dialing) or the image says why the party changed (transfer,
 * redirection, conference).
 */
function matchLegs(prev: LegRecord[], images: Image[]): Array<LegRecord | undefined> {
  const out: Array<LegRecord | undefined> = images.map(() => undefined);
  const free = new Set(prev);
  images.forEach((img, i) => {
    const n = img.info.otherParty.number;
    if (n === '') return;
    const hit = [...free].find((l) => l.call.remote.number === n.slice(0, 64));
    if (hit) {
      out[i] = hit;
      free.delete(hit);
    }
  });
  images.forEach((img, i) => {
    if (out[i]) return;
    const hit = [...free].find((l) => l.position === img.position && compatible(l, img));
    if (hit) {
      out[i] = hit;
      free.delete(hit);
    }
  });
  return out;
}

function compatible(leg: LegRecord, img: Image): boolean {
  const info = img.info;
  return (
    leg.call.remote.number === '' ||
    info.otherParty.number === '' ||
    info.cause === 'transfer' ||
    info.cause === 'conference' ||
    (info.cause !== undefined && redirectionCauses.has(info.cause)) ||
    info.lastRedirectionParty !== undefined
  );
}

interface BuildArgs {
  id: string;
  device: string;
  vendorId: string;
  image: Image;
  allowed: CallAction[];
  extraData: string | undefined;
  prev: Call | undefined;
  now: number;
}

function buildCall(a: BuildArgs): Call {
  const info = a.image.info;
  const state = a.image.state;
  const sinceConnected = a.now - info.duration * 1000;
  const connectedAt = a.prev?.connectedAt ?? (established.has(state) ? sinceConnected : undefined);
  const call: Call = {
    id: a.id,
    ref: {
      vendor: 'telservices',
      device: a.device,
      callId: a.vendorId,
      leg: a.image.position,
      ...(info.callReference !== undefined ? { callReference: info.callReference } : {}),
    },
    state,
    direction: info.isOutgoing ? 'outbound' : 'inbound',
    remote: mapParty(info.otherParty),
    conferenceParties: (info.addedParties ?? []).slice(0, 32).map(mapParty),
    isConference: info.isConference,
    isConsultation: a.image.position === 'sec',
    // extraData is call-object level (L1810); every leg of the object carries it.
    data: a.extraData !== undefined ? callDataFromExtraData(a.extraData) : {},
    startedAt: a.prev?.startedAt ?? Math.min(a.now, connectedAt ?? a.now),
    allowed: a.allowed,
    seq: a.prev?.seq ?? 0,
  };
  if (info.firstCalledParty) call.called = mapParty(info.firstCalledParty);
  if (info.firstOtherParty) call.original = mapParty(info.firstOtherParty);
  if (info.lastRedirectionParty) call.redirectedBy = mapParty(info.lastRedirectionParty);
  if (info.cause !== undefined) call.cause = info.cause.slice(0, 64);
  if (connectedAt !== undefined) call.connectedAt = connectedAt;
  return call;
}

/** What matters for "did this image change anything" (duration ticks alone do not). */
function signature(c: Call): string {
  return JSON.stringify([
    c.state,
    c.direction,
    c.remote,
    c.called,
    c.original,
    c.redirectedBy,
    c.conferenceParties,
    c.isConference,
    c.isConsultation,
    c.cause,
    c.data,
    c.allowed,
    c.ref,
  ]);
}


/**
 * The change a new image of a known leg represents. A newly reported cause (or the same cause
 * with a new far party, as in two successive transfers) wins; then a state transition
 * (held → connected is 'retrieved'); then data; anything else is 'updated'.
 */
export function deriveChange(prev: Call, next: Call): CallChange {
  const partyChanged = prev.remote.number !== next.remote.number;
  if (next.cause !== undefined && (next.cause !== prev.cause || partyChanged)) {
    if (next.cause === 'transfer') return 'transferred';
    if (next.cause === 'conference') return 'conferenced';
    if (redirectionCauses.has(next.cause)) return 'redirected';
  }
  if (next.isConference && !prev.isConference) return 'conferenced';
  if (next.state !== prev.state) {
    if (next.state === 'connected' && prev.state === 'held') return 'retrieved';
    return changeForState[next.state];
  }
  if (partyChanged && next.redirectedBy && JSON.stringify(next.redirectedBy) !== JSON.stringify(prev.redirectedBy)) {
    return 'redirected';
  }
  if (JSON.stringify(prev.data) !== JSON.stringify(next.data)) return 'dataUpdated';
  return 'updated';
}

// ---------------------------------------------------------------- agent

const agentStateMap: Record<TelAgentState, AgentStateKind> = {
  null: 'unknown',
  loggedOff: 'loggedOff',
  loggedOn: 'loggedOn',
  busy: 'busy',
  notReady: 'notReady',
  ready: 'ready',
  workingAfterCall: 'wrapUp',
};

export function mapAgentState(s: TelAgentState): AgentStateKind {
  return agentStateMap[s];
}

/** Normalized state → what `agentState` can request; busy and unknown cannot be requested (L309). */
export function toTelAgentState(k: AgentStateKind): TelAgentState | null {
  switch (k) {
    case 'ready':
    case 'notReady':
    case 'loggedOn':
    case 'loggedOff':
      return k;
    case 'wrapUp':
      return 'workingAfterCall';
    case 'busy':
    case 'unknown':
      return null;
  }
}

export interface AgentContext {
  prev: AgentInfo | null;
  now: number;
  /** The profile's agent id, used when the server does not name the agent. */
  agentId?: string;
  /** The not-ready reason chosen locally (TelServices cannot carry one). */
  localReason?: string;
}

export function mapAgent(info: TelAgentInfo, ctx: AgentContext): AgentInfo {
  const state = mapAgentState(info.state);
  const sameState = ctx.prev !== null && ctx.prev.state === state;
  const agent: AgentInfo = {
    state,
    // A fresh timeout restarts the countdown; otherwise an unchanged state keeps its start time.
    since: sameState && info.timeout === undefined && ctx.prev ? ctx.prev.since : ctx.now,
    permitted: [...new Set((info.permittedStates ?? []).map(mapAgentState))].filter((s) => s !== 'unknown'),
    services: [...(info.inboundServices ?? []), ...(info.outboundServices ?? [])].slice(0, 256).map((s) => s.slice(0, 128)),
  };
  const agentId = info.userID ?? (ctx.agentId || undefined);
  if (agentId !== undefined) agent.agentId = agentId.slice(0, 128);
  if (info.timeout !== undefined && info.timeout >= 0) agent.timeoutSec = info.timeout;
  if (state === 'notReady' && ctx.localReason) agent.reason = ctx.localReason.slice(0, 128);
  return agent;
}

// ---------------------------------------------------------------- features

/** The active forwards of a queryForward/snapshot list ('off' records are not forwards). */
export function mapForwards(list: readonly TelForward[]): Forward[] {
  return list.filter((f) => f.state === 'on').map((f) => ({ type: f.type, to: f.number.slice(0, 64) }));
}

/** Fold one forward event into the current list: 'on' sets that type, 'off' removes it. */
export function applyForwardEvent(current: readonly Forward[], ev: TelForward): Forward[] {
  const rest = current.filter((f) => f.type !== ev.type);
  return ev.state === 'on' ? [...rest, { type: ev.type, to: ev.number.slice(0, 64) }] : rest;
}

/**
 * extraData is one opaque string (L1810). Sites commonly carry key=value pairs in it as a query
 * string (the lab PBX does); those keys become the call data. Any other string is kept as it is
 * under `extraData`. Either way the connector sends the same string back (see connector.ts).
 */
export function callDataFromExtraData(extraData: string): Record<string, string> {
  const raw = extraData.slice(0, 4096);
  const data: Record<string, string> = { extraData: raw };
  if (!/^[^=&\s]+=[^&\s]*(&[^=&\s]+=[^&\s]*)*$/.test(raw)) return data;
  const parsed: Record<string, string> = {};
  let count = 0;
  for (const [k, v] of new URLSearchParams(raw)) {
    if (++count > 64 || k === 'extraData' || k.length > 128) return data;
    parsed[k] = v.slice(0, 4096);
  }
  return parsed;
}
