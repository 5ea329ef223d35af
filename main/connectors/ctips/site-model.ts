// What the portal has told this site about its platform, folded from CTIPS events and snapshots:
// agents (login name, station, CTIAgentState, services), calls (one leg per agent involved, with
// ANI/DNIS, caller names, call data, the consultation pair, conference) and services (state, calls
// waiting). CTIPS is a third-party view of the whole tenant, so the model is site-wide; each agent's
// connector reads its own agent and station out of it (agent-view.ts). Calls are keyed by the
// portal's CallId, which is the platform's (two portals of an HA pair report the same ids), so a
// failover keeps every call's identity. Pure: no I/O; `apply` returns what changed.
import { callerInfo, type CtipsEvent, type CtipsKnownEvent } from './events.js';
import type { StructOut } from './schema.js';

export type LegState = 'alerting' | 'dialing' | 'ringing' | 'connected' | 'held' | 'failed';

export interface LegRec {
  agentId: number;
  state: LegState;
  direction: 'inbound' | 'outbound';
  startedAt: number;
  connectedAt?: number;
  /** Why a failed leg failed (CTIFailureType name). */
  cause?: string;
  /** The portal asked for an accept/reject answer (CallConnected ResponseRequired). */
  responseRequired?: boolean;
}

export interface CallRec {
  callId: number;
  ani: string;
  dnis: string;
  firstName: string | null;
  lastName: string | null;
  callerId: string | null;
  /** Where an outbound call goes (CallOriginated Destination, resolved to a station for agents). */
  destination: string | null;
  callType: string | null;
  serviceId: number;
  data: Record<string, string>;
  legs: Map<number, LegRec>;
  /** This call is the consultation of `consultOf`. */
  consultOf?: number;
  /** This call's consultation call. */
  consultCallId?: number;
  conference: boolean;
  /** Queued to a service and not yet at an agent (CallDelivered without an agent). */
  queuedAt?: number;
  /** Bumped on every change (the reducer drops older images). */
  seq: number;
}

export interface AgentRec {
  agentId: number;
  login: string;
  station: string;
  /** CTIAgentState name, or 'LoggedOut'. Unknown values keep their raw text. */
  state: string;
  services: number[];
  since: number;
}

export interface ServiceRec {
  serviceId: number;
  state: string;
}

export type ModelChange =
  | { kind: 'agent'; agentId: number }
  | { kind: 'call'; callId: number; agentId: number }
  /** The agent's leg of the call is gone (`transferred`: moved away by a transfer). */
  | { kind: 'legEnded'; callId: number; agentId: number; cause: string; last: CallRec; leg: LegRec }
  | { kind: 'service'; serviceId: number }
  | { kind: 'passcode'; agentId: number; digits: string; reEnter: boolean }
  /** A request failed (agent or call request, login): for the request's owner. */
  | { kind: 'failure'; agentId: number; requestId: number; failure: string; reason: string; login?: string; callId?: number }
  | { kind: 'callData'; callId: number; agentId: number; update: string; failure?: string }
  | { kind: 'wrapDone'; callId: number; agentId: number }
  | { kind: 'link'; component: string; up: boolean }
  | { kind: 'unknown'; type: string };

/** An enum value's member name; an unknown value as `?raw`; '' when absent. */
export function enumText(v: unknown): string {
  if (v === null || v === undefined || typeof v !== 'object') return '';
  const x = v as { known?: boolean; name?: string; raw?: string };
  return x.known ? String(x.name) : `?${x.raw ?? ''}`;
}

const isOutboundType = (t: string | null): boolean => t !== null && t.startsWith('Outbound');

export class CtipsSiteModel {
  readonly agents = new Map<number, AgentRec>();
  readonly calls = new Map<number, CallRec>();
  readonly services = new Map<number, ServiceRec>();
  /** Components whose LinkStatus is Down (Gateway, CenterCord). */
  readonly linksDown = new Set<string>();
  private seq = 0;

  constructor(private readonly now: () => number = Date.now) {}

  agentByLogin(login: string): AgentRec | undefined {
    for (const a of this.agents.values()) if (a.login === login) return a;
    return undefined;
  }

  agentByStation(station: string): AgentRec | undefined {
    for (const a of this.agents.values()) if (a.station === station && a.state !== 'LoggedOut') return a;
    return undefined;
  }

  /** The calls with a leg of this agent. */
  callsOf(agentId: number): CallRec[] {
    return [...this.calls.values()].filter((c) => c.legs.has(agentId));
  }

  /** Replace everything with a completed snapshot (SnapShotUpdate records, in order). */
  replaceFromSnapshot(updates: ReadonlyArray<Extract<CtipsKnownEvent, { type: 'SnapShotUpdate' }>>): ModelChange[] {
    const before = { agents: new Map(this.agents), calls: new Map(this.calls), services: new Set(this.services.keys()) };
    const changes: ModelChange[] = [];
    const now = this.now();
    const agents = new Map<number, AgentRec>();
    const calls = new Map<number, CallRec>();
    const services = new Map<number, ServiceRec>();
    for (const u of updates) {
      const a = u.fields.AgentData;
      if (a && a.AgentId) {
        const prev = this.agents.get(a.AgentId);
        const state = enumText(a.AgentState) || 'NotReady';
        agents.set(a.AgentId, {
          agentId: a.AgentId,
          login: a.AgentLoginName ?? prev?.login ?? String(a.AgentId),
          station: a.AgentStationAddress ?? prev?.station ?? '',
          state,
          services: (a.Services ?? []).flatMap((s) => (s?.ServiceId ? [s.ServiceId] : [])),
          since: prev && prev.state === state ? prev.since : now,
        });
      }
      const c = u.fields.CallData;
      if (c && c.CallId) this.snapshotCall(calls, c, now);
      const s = u.fields.ServiceData;
      if (s && s.ServiceId) services.set(s.ServiceId, { serviceId: s.ServiceId, state: enumText(s.ServiceState) || 'NoState' });
    }
    // Agents that went away from the snapshot are logged out (keep their login and station: the scope needs them).
    for (const [id, prev] of before.agents) {
      if (!agents.has(id) && prev.state !== 'LoggedOut') agents.set(id, { ...prev, state: 'LoggedOut', services: [], since: now });
      else if (!agents.has(id)) agents.set(id, prev);
    }
    for (const [id, call] of before.calls) {
      const next = calls.get(id);
      for (const [agentId, leg] of call.legs) {
        if (!next || !next.legs.has(agentId)) changes.push({ kind: 'legEnded', callId: id, agentId, cause: 'gone', last: call, leg });
      }
    }
    this.agents.clear();
    for (const [k, v] of agents) this.agents.set(k, v);
    this.calls.clear();
    for (const [k, v] of calls) this.calls.set(k, v);
    this.services.clear();
    for (const [k, v] of services) this.services.set(k, v);
    for (const id of this.agents.keys()) changes.push({ kind: 'agent', agentId: id });
    for (const c of this.calls.values()) for (const agentId of c.legs.keys()) changes.push({ kind: 'call', callId: c.callId, agentId });
    for (const id of new Set([...before.services, ...this.services.keys()])) changes.push({ kind: 'service', serviceId: id });
    return changes;
  }

  private snapshotCall(calls: Map<number, CallRec>, c: StructOut<'CTISnapShotCallData'>, now: number): void {
    const id = c.CallId as number;
    const prev = this.calls.get(id);
    const rec: CallRec = calls.get(id) ?? {
      callId: id,
      ani: c.ANI ?? prev?.ani ?? '',
      dnis: c.DNIS ?? prev?.dnis ?? '',
      firstName: prev?.firstName ?? null,
      lastName: prev?.lastName ?? null,
      callerId: prev?.callerId ?? null,
      destination: prev?.destination ?? null,
      callType: enumText(c.CallType) || prev?.callType || null,
      serviceId: c.ServiceId ?? prev?.serviceId ?? 0,
      data: { ...(prev?.data ?? {}) },
      legs: new Map(),
      ...(prev?.consultOf !== undefined ? { consultOf: prev.consultOf } : {}),
      ...(prev?.consultCallId !== undefined ? { consultCallId: prev.consultCallId } : {}),
      conference: prev?.conference ?? false,
      seq: ++this.seq,
    };
    calls.set(id, rec);
    const agentId = c.AgentId ?? 0;
    if (!agentId) {
      rec.queuedAt = prev?.queuedAt ?? now;
      return;
    }
    const st = enumText(c.CallState);
    const prevLeg = prev?.legs.get(agentId);
    const state: LegState = st === 'CallConnected' || st === 'CallDelivered' || st === 'CallOffered' ? 'alerting' : st === 'CallHeld' ? 'held' : st === 'CallOriginated' ? 'ringing' : 'connected';
    const direction = prevLeg?.direction ?? (isOutboundType(rec.callType) ? 'outbound' : 'inbound');
    rec.legs.set(agentId, {
      agentId,
      state,
      direction,
      startedAt: prevLeg?.startedAt ?? now,
      ...(state === 'connected' || state === 'held' ? { connectedAt: prevLeg?.connectedAt ?? now } : {}),
    });
  }

  /** Fold one live event. */
  apply(e: CtipsEvent): ModelChange[] {
    if (e.kind === 'unknown') return [{ kind: 'unknown', type: e.type }];
    const now = this.now();
    const agentId = e.header.agentId ?? 0;
    switch (e.type) {
      case 'AgentLoginStateChange': {
        const f = e.fields;
        const id = f.AgentCTIId || agentId;
        if (!id) return [];
        const prev = this.agents.get(id);
        const loggedIn = enumText(f.LoginState) === 'AgentLoggedIn';
        const services = [...(f.ServiceState ?? [])].flatMap((s) => (s?.ServiceId ? [s.ServiceId] : []));
        this.agents.set(id, {
          agentId: id,
          login: f.AgentLoginName ?? prev?.login ?? String(id),
          station: f.AgentStationAddress ?? prev?.station ?? '',
          state: loggedIn ? (prev && prev.state !== 'LoggedOut' ? prev.state : 'NotReady') : 'LoggedOut',
          services: loggedIn ? services : [],
          since: loggedIn && prev && prev.state !== 'LoggedOut' ? prev.since : now,
        });
        return [{ kind: 'agent', agentId: id }];
      }
      case 'AgentStateChange': {
        if (!agentId) return [];
        const prev = this.agents.get(agentId);
        const state = enumText(e.fields.AgentState) || 'NotReady';
        const wasWrap = prev !== undefined && isWrap(prev.state);
        this.agents.set(agentId, {
          agentId,
          login: prev?.login ?? String(agentId),
          station: prev?.station ?? '',
          state,
          services: e.fields.ServiceIds.length > 0 ? e.fields.ServiceIds.flatMap((n) => (n ? [n] : [])) : (prev?.services ?? []),
          since: prev && prev.state === state ? prev.since : now,
        });
        const out: ModelChange[] = [{ kind: 'agent', agentId }];
        if (wasWrap && !isWrap(state)) out.push({ kind: 'wrapDone', callId: 0, agentId });
        return out;
      }
      case 'AgentLoginRequestFailed':
        return [{ kind: 'failure', agentId, requestId: e.header.requestId, failure: enumText(e.fields.FailureType), reason: e.fields.FailureReason ?? '', login: e.fields.AgentLoginName ?? '' }];
      case 'AgentRequestFailed':
        return [{ kind: 'failure', agentId, requestId: e.header.requestId, failure: enumText(e.fields.FailureType), reason: e.fields.FailureReason ?? '', ...(e.fields.CallId ? { callId: e.fields.CallId } : {}) }];
      case 'EnterPasscode':
        return agentId ? [{ kind: 'passcode', agentId, digits: e.fields.PasscodeDigits ?? '', reEnter: e.fields.ReEnterFlag === true }] : [];
      case 'ServiceStateChange': {
        const id = e.header.serviceId ?? 0;
        if (!id) return [];
        this.services.set(id, { serviceId: id, state: enumText(e.fields.ServiceState) || 'NoState' });
        return [{ kind: 'service', serviceId: id }];
      }
      case 'AudioPathStateChange':
        return [];
      case 'LinkStatus': {
        const component = enumText(e.fields.ComponentType) || 'Gateway';
        const up = enumText(e.fields.ComponentState) !== 'Down';
        if (up) this.linksDown.delete(component);
        else this.linksDown.add(component);
        return [{ kind: 'link', component, up }];
      }
      case 'SnapShotUpdate':
      case 'SnapShotRequestFailed':
        return [];
      case 'RouteRequest':
      case 'RouteUsed':
      case 'RouteReject':
      case 'RouteRequestFailed':
        return [];
      default:
        return this.applyCall(e, agentId, now);
    }
  }

  /** `consult` is the consultation call of `original` (learned from the ConsultationCall's CallOriginated). */
  linkConsultation(original: number, consult: number): ModelChange[] {
    const o = this.calls.get(original);
    const k = this.calls.get(consult);
    if (!o || !k || original === consult) return [];
    o.consultCallId = consult;
    k.consultOf = original;
    o.seq = ++this.seq;
    k.seq = ++this.seq;
    return [...[...o.legs.keys()].map((agentId) => ({ kind: 'call' as const, callId: original, agentId })), ...[...k.legs.keys()].map((agentId) => ({ kind: 'call' as const, callId: consult, agentId }))];
  }

  private call(callId: number, seed: Partial<CallRec> = {}): CallRec {
    let c = this.calls.get(callId);
    if (!c) {
      c = { callId, ani: '', dnis: '', firstName: null, lastName: null, callerId: null, destination: null, callType: null, serviceId: 0, data: {}, legs: new Map(), conference: false, seq: 0, ...seed };
      this.calls.set(callId, c);
    }
    c.seq = ++this.seq;
    return c;
  }

  private setLeg(c: CallRec, agentId: number, state: LegState, direction: 'inbound' | 'outbound', now: number, extra: Partial<LegRec> = {}): ModelChange[] {
    const prev = c.legs.get(agentId);
    const leg: LegRec = { ...(prev ?? { agentId, startedAt: now, direction }), ...extra, agentId, state };
    if ((state === 'connected' || state === 'held') && leg.connectedAt === undefined) leg.connectedAt = now;
    c.legs.set(agentId, leg);
    if (state !== 'alerting' && c.queuedAt !== undefined) delete c.queuedAt;
    return [{ kind: 'call', callId: c.callId, agentId }];
  }

  private endLeg(c: CallRec, agentId: number, cause: string): ModelChange[] {
    const leg = c.legs.get(agentId);
    if (!leg) return [];
    c.legs.delete(agentId);
    const out: ModelChange[] = [{ kind: 'legEnded', callId: c.callId, agentId, cause, last: { ...c, legs: new Map(c.legs) }, leg }];
    if (c.legs.size === 0 && c.queuedAt === undefined) this.forget(c);
    return out;
  }

  private forget(c: CallRec): void {
    this.calls.delete(c.callId);
    if (c.consultOf !== undefined) {
      const o = this.calls.get(c.consultOf);
      if (o && o.consultCallId === c.callId) delete o.consultCallId;
    }
    if (c.consultCallId !== undefined) {
      const k = this.calls.get(c.consultCallId);
      if (k && k.consultOf === c.callId) delete k.consultOf;
    }
  }

  private applyCall(e: CtipsKnownEvent, agentId: number, now: number): ModelChange[] {
    const f = e.fields as Record<string, unknown>;
    const callId = typeof f.CallId === 'number' ? f.CallId : 0;
    if (!callId) return [];
    const info = callerInfo(e);
    const touch = (c: CallRec): void => {
      if (!info) return;
      if (info.ani) c.ani = info.ani;
      if (info.dnis) c.dnis = info.dnis;
      if (info.firstName) c.firstName = info.firstName;
      if (info.lastName) c.lastName = info.lastName;
      if (info.callerId) c.callerId = info.callerId;
      for (const [k, v] of Object.entries(info.callData)) if (v !== null) c.data[k] = v;
    };
    const serviceId = e.header.serviceId ?? 0;
    switch (e.type) {
      case 'CallOffered':
      case 'CallDelivered': {
        const c = this.call(callId);
        touch(c);
        if (serviceId) c.serviceId = serviceId;
        if ('CallType' in f) c.callType = enumText(f.CallType) || c.callType;
        if (!agentId) {
          c.queuedAt ??= now;
          return serviceId ? [{ kind: 'service', serviceId }] : [];
        }
        return [];
      }
      case 'CallConnected': {
        if (!agentId) return [];
        const c = this.call(callId);
        touch(c);
        if (serviceId) c.serviceId = serviceId;
        c.callType = enumText(e.fields.CallType) || c.callType;
        const out = this.setLeg(c, agentId, 'alerting', 'inbound', now, { responseRequired: e.fields.ResponseRequired === true });
        return c.serviceId ? [...out, { kind: 'service', serviceId: c.serviceId }] : out;
      }
      case 'CallOriginated': {
        if (!agentId) return [];
        const c = this.call(callId);
        const destType = enumText(e.fields.DestType);
        const dest = e.fields.Destination ?? '';
        const destAgent = destType === 'Agent' ? (this.agents.get(Number(dest)) ?? this.agentByLogin(dest)) : undefined;
        c.destination = destAgent?.station || dest || c.destination;
        c.callType ??= 'OutboundMakecall';
        const signal = enumText(e.fields.CallProgressSignal);
        return this.setLeg(c, agentId, signal === 'Ringing' ? 'ringing' : 'dialing', 'outbound', now);
      }
      case 'CallEstablished': {
        if (!agentId) return [];
        const c = this.call(callId);
        const leg = c.legs.get(agentId);
        const outbound = leg ? leg.direction === 'outbound' : isOutboundType(c.callType);
        if (!outbound) touch(c);
        else if (info?.dnis) c.dnis = info.dnis;
        return this.setLeg(c, agentId, 'connected', outbound ? 'outbound' : 'inbound', now);
      }
      case 'CallHeld':
        return agentId && this.calls.get(callId)?.legs.has(agentId) ? this.setLeg(this.call(callId), agentId, 'held', 'inbound', now) : [];
      case 'CallRetrieved':
        return agentId && this.calls.get(callId)?.legs.has(agentId) ? this.setLeg(this.call(callId), agentId, 'connected', 'inbound', now) : [];
      case 'CallConsultation': {
        const consult = e.fields.ConsultationCallId;
        if (!consult) return [];
        const o = this.call(callId);
        const k = this.call(consult);
        o.consultCallId = consult;
        k.consultOf = callId;
        const out: ModelChange[] = [];
        for (const a of o.legs.keys()) out.push({ kind: 'call', callId, agentId: a });
        for (const a of k.legs.keys()) out.push({ kind: 'call', callId: consult, agentId: a });
        return out;
      }
      case 'CallConferenced': {
        const c = this.call(callId);
        c.conference = true;
        const consulted = e.fields.ConsultedCallId;
        if (consulted && consulted !== callId) {
          const k = this.calls.get(consulted);
          if (k) delete k.consultOf;
          delete c.consultCallId;
        }
        return [...c.legs.keys()].map((a) => ({ kind: 'call' as const, callId, agentId: a }));
      }
      case 'CallTransferred': {
        const c = this.calls.get(callId);
        return c && agentId ? this.endLeg(c, agentId, 'transferred') : [];
      }
      case 'CallCleared': {
        const c = this.calls.get(callId);
        if (!c) return [];
        if (!agentId) {
          const all = [...c.legs.keys()].flatMap((a) => this.endLeg(c, a, 'cleared'));
          if (c.queuedAt !== undefined) {
            delete c.queuedAt;
            if (c.legs.size === 0) this.forget(c);
            if (c.serviceId) all.push({ kind: 'service', serviceId: c.serviceId });
          }
          return all;
        }
        const party = enumText(e.fields.ClearingPartyType);
        return this.endLeg(c, agentId, party === 'FarEnd' ? 'remoteCleared' : party === 'Internal' ? 'system' : 'cleared');
      }
      case 'CallRequestFailed': {
        const failure = enumText(e.fields.FailureType);
        const out: ModelChange[] = [{ kind: 'failure', agentId, requestId: e.header.requestId, failure, reason: e.fields.FailureReason ?? '', callId }];
        const c = this.calls.get(callId);
        const leg = c?.legs.get(agentId);
        if (c && leg && (leg.state === 'dialing' || leg.state === 'ringing')) out.push(...this.setLeg(c, agentId, 'failed', leg.direction, now, { cause: failure }));
        return out;
      }
      case 'CallDataUpdate': {
        const c = this.calls.get(callId);
        if (!c) return [];
        touch(c);
        c.seq = ++this.seq;
        const update = enumText(e.fields.UpdateType);
        const out: ModelChange[] = [{ kind: 'callData', callId, agentId, update, ...(e.fields.FailureReason ? { failure: e.fields.FailureReason } : {}) }];
        for (const a of c.legs.keys()) out.push({ kind: 'call', callId, agentId: a });
        return out;
      }
      case 'CallEnd': {
        // CallEnd may come as the call clears or once the agent leaves wrap (digest §7 #20): it ends
        // a leg still held, but only the agent leaving Wrap ends the wrap-up (and its disposition).
        const c = this.calls.get(callId);
        return c && agentId && c.legs.has(agentId) ? this.endLeg(c, agentId, 'cleared') : [];
      }
      case 'CallStarted':
      case 'CallCompleted':
      case 'DigitsDialed':
        return [];
      default:
        return [];
    }
  }
}

export function isWrap(state: string): boolean {
  return state === 'Wrap' || state === 'WrapWarning' || state === 'ActiveWrap';
}
