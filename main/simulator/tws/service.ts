// The TWS server's state over the lab PBX core: tokens, monitors (per user), the call-data cache, call logs,
// the agents' TWS view, polling sessions, and the fan-out of the core's events to every open feed of a user
// (TCP, WebSocket, polling). The web functions themselves live in functions.ts.
import { randomUUID, createHash } from 'node:crypto';
import type { Logger } from '../../core/log.js';
import type { Pbx } from '../pbx/pbx.js';
import type { AgentState, Call, Leg, PbxEvent } from '../pbx/types.js';
import { twsConfig, type TwsConfig, type TwsContact, type TwsUserConfig } from './config.js';
import { agentStateNames, type AgentStateName, type ConnSnapshot, type EventContext, type Party, type TwsConnState, type TwsEvent } from './events.js';
import { actionsFor, baseState, ccoStateOf, ccoTypeOf, isConference, otherParties, type Track } from './model.js';

export type FeedKind = 'tcp' | 'ws' | 'wss' | 'poll';
export const feedKinds: readonly FeedKind[] = ['tcp', 'ws', 'wss', 'poll'];

export interface UserRuntime {
  cfg: TwsUserConfig;
  monitors: Set<string>;
}

export interface Token {
  id: string;
  user: UserRuntime;
  /** Admin single-use token (GetMyToken2 with an administrator key, L509–522). */
  ephemeral: boolean;
  consumed: boolean;
  lastUsed: number;
  via: string;
}

/** An open event channel of a user: a TCP or WebSocket client, or a polling session. */
export interface FeedClient {
  readonly kind: FeedKind;
  readonly id: string;
  readonly user: UserRuntime;
  readonly token: string;
  deliver(ev: TwsEvent): void;
  /** Close the channel (socket closed, session forgotten). */
  close(): void;
  describe(): Record<string, unknown>;
}

export interface CallLogRecord {
  guid: string;
  callGuid: string;
  userGuid: string;
  device: string;
  incoming: boolean;
  connected: boolean;
  timeStart: number;
  timeStart1: number;
  timeEnd: number;
  peer: Party;
}

export interface AgentLogin {
  agentId: string;
  device: string;
  group: string;
  fromDevice: string;
  by: string;
}

const pbxToTwsAgent: Record<AgentState, AgentStateName> = {
  null: 'LoggedOff',
  loggedOff: 'LoggedOff',
  loggedOn: 'LoggedOn',
  busy: 'AgentBusy',
  notReady: 'NotReady',
  ready: 'Ready',
  workingAfterCall: 'WorkingAfterCall',
};

export function agentStateCode(state: AgentState): number {
  return agentStateNames.indexOf(pbxToTwsAgent[state]);
}

/** A stable GUID for a name (devices, agents): the same in every run, so fixtures can be compared. */
export function stableGuid(name: string): string {
  const h = createHash('sha1').update(`tws-lab:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class TwsService {
  readonly config: TwsConfig;
  readonly users = new Map<string, UserRuntime>();
  readonly tokens = new Map<string, Token>();
  readonly feeds = new Set<FeedClient>();
  readonly stoppedFeeds = new Set<FeedKind>();
  readonly callData = new Map<string, { data: string; expires: number }>();
  readonly callLogs: CallLogRecord[] = [];
  readonly agentLogins = new Map<string, AgentLogin>();
  /** Last number a device dialled (Bis). */
  readonly lastDialled = new Map<string, string>();
  private readonly tracks = new Map<string, Track>();
  private readonly unsubscribe: () => void;
  private outbox: Array<{ ev: TwsEvent; to: Set<string> }> = [];
  private flushScheduled = false;
  /** While the server is stalled, events wait here. */
  private held = false;
  /** Set around a park so the parked leg shows held(Park) then cleared (§4.8). */
  parking: string | undefined;
  /** Tokens expired by the control API: every lookup fails until reset/restart. */
  private expiredAll = false;

  constructor(
    readonly pbx: Pbx,
    config: Partial<TwsConfig>,
    readonly log: Logger,
  ) {
    this.config = twsConfig(config);
    this.seed();
    this.unsubscribe = pbx.subscribe((e) => this.onPbx(e));
  }

  dispose(): void {
    this.unsubscribe();
    for (const f of [...this.feeds]) f.close();
  }

  /** The fixture's users, pre-issued tokens and pre-started monitors; everything else forgotten. */
  seed(): void {
    this.users.clear();
    this.tokens.clear();
    this.agentLogins.clear();
    this.expiredAll = false;
    const now = this.pbx.clock.now();
    for (const cfg of this.config.users) {
      const u: UserRuntime = { cfg, monitors: new Set(cfg.preMonitored ?? []) };
      this.users.set(cfg.username, u);
      for (const t of cfg.preIssuedTokens ?? []) this.tokens.set(t, { id: t, user: u, ephemeral: false, consumed: false, lastUsed: now, via: 'fixture' });
    }
  }

  /** Forget tokens, monitors and sessions (server restart), close every feed. */
  restart(): number {
    const closed = this.closeFeeds();
    this.seed();
    this.tracks.clear();
    return closed;
  }

  reset(): void {
    this.restart();
    this.callData.clear();
    this.callLogs.length = 0;
    this.lastDialled.clear();
    this.stoppedFeeds.clear();
  }

  /** Every token answers -44 (new ones too, until /reset or a restart); `existingOnly`: only those issued so far. */
  expireTokens(opts: { existingOnly?: boolean } = {}): number {
    if (opts.existingOnly) this.tokens.clear();
    else this.expiredAll = true;
    return this.closeFeeds();
  }

  closeFeeds(kind?: FeedKind): number {
    let n = 0;
    for (const f of [...this.feeds]) {
      if (kind !== undefined && f.kind !== kind) continue;
      f.close();
      this.feeds.delete(f);
      n++;
    }
    return n;
  }

  // ---------------------------------------------------------------- users, tokens

  userByName(name: string): UserRuntime | undefined {
    for (const u of this.users.values()) if (u.cfg.username.toLowerCase() === name.toLowerCase()) return u;
    return undefined;
  }

  userByGuid(guid: string): UserRuntime | undefined {
    const g = guid.toLowerCase();
    for (const u of this.users.values()) if (u.cfg.guid.toLowerCase() === g || (u.cfg.guidAliases ?? []).some((a) => a.toLowerCase() === g)) return u;
    return undefined;
  }

  issueToken(user: UserRuntime, ephemeral: boolean, via: string): Token {
    const t: Token = { id: randomUUID(), user, ephemeral, consumed: false, lastUsed: this.pbx.clock.now(), via };
    this.tokens.set(t.id, t);
    return t;
  }

  /** The live token, or undefined (unknown, expired, consumed). `consume` uses up an ephemeral token. */
  lookupToken(id: string | undefined, consume: boolean): Token | undefined {
    if (id === undefined || this.expiredAll) return undefined;
    const t = this.tokens.get(id.trim());
    if (!t || t.consumed) return undefined;
    const now = this.pbx.clock.now();
    if (this.config.tokenIdleTtlMs > 0 && now - t.lastUsed > this.config.tokenIdleTtlMs) {
      this.tokens.delete(t.id);
      return undefined;
    }
    t.lastUsed = now;
    if (consume && t.ephemeral) t.consumed = true;
    return t;
  }

  /** The user may act on this device (its devices list, `0000` = any). */
  allowed(user: UserRuntime, device: string): boolean {
    return user.cfg.devices.includes(device) || user.cfg.devices.includes('0000');
  }

  defaultDevice(token: Token): string | undefined {
    if (token.ephemeral) return undefined;
    const d = token.user.cfg.devices[0];
    return d === undefined || d === '0000' ? undefined : d;
  }

  monitoredCount(): number {
    const all = new Set<string>();
    for (const u of this.users.values()) for (const d of u.monitors) all.add(d);
    return all.size;
  }

  isMonitoredByAnyone(device: string): boolean {
    for (const u of this.users.values()) if (u.monitors.has(device)) return true;
    return false;
  }

  // ---------------------------------------------------------------- parties

  private userOfDevice(number: string): UserRuntime | undefined {
    for (const u of this.users.values()) if (u.cfg.preIssuedTokens === undefined && u.cfg.devices.includes(number)) return u;
    return undefined;
  }

  contactByPhone(number: string): TwsContact | undefined {
    return this.config.contacts.find((c) => c.phone === number);
  }

  /** The correspondent for `number` as seen by a connection going `direction`. */
  party(number: string, direction: 'incoming' | 'outgoing', leg?: Leg): Party {
    const base: Party = {
      number,
      guid: null,
      personGuid: null,
      firstName: null,
      lastName: null,
      company: null,
      isUser: false,
      username: null,
      devices: [],
      phoneType: 'PHONE',
      domainGuid: this.config.domainGuid,
      redList: leg?.withheld ?? false,
      infoDisplay: number,
      direction,
    };
    if (base.redList) return base;
    const user = this.userOfDevice(number);
    if (user) {
      return {
        ...base,
        guid: user.cfg.guid,
        personGuid: user.cfg.guid,
        firstName: user.cfg.firstName,
        lastName: user.cfg.lastName,
        company: 'Algo',
        isUser: true,
        username: user.cfg.username,
        devices: user.cfg.devices.filter((d) => d !== '0000').map((d) => ({ guid: stableGuid(`device:${d}`), number: d })),
        phoneType: 'TWS',
        infoDisplay: `${user.cfg.firstName} ${user.cfg.lastName}`,
      };
    }
    const contact = this.contactByPhone(number);
    if (contact) {
      return { ...base, guid: contact.personGuid, personGuid: contact.personGuid, firstName: contact.firstName, lastName: contact.lastName, company: contact.company, infoDisplay: `${contact.firstName} ${contact.lastName}` };
    }
    const name = leg?.name ?? this.pbx.device(number)?.name ?? this.pbx.directory.lookup(number, [])?.name;
    if (name) {
      const cut = name.indexOf(' ');
      return { ...base, firstName: cut > 0 ? name.slice(0, cut) : null, lastName: cut > 0 ? name.slice(cut + 1) : name, infoDisplay: name, company: this.pbx.directory.lookup(number, [])?.company ?? null };
    }
    return base;
  }

  // ---------------------------------------------------------------- call view

  private key(device: string, callId: string): string {
    return `${device}|${callId}`;
  }

  track(device: string, callId: string): Track | undefined {
    return this.tracks.get(this.key(device, callId));
  }

  /** The core call id a client's szCall names on a device: our m_connectionId, the core id, or the numeric ref. */
  callIdFor(device: string, szCall: string): string | undefined {
    const legs = this.pbx.legsOf(device);
    const hit = legs.find(({ call }) => call.id === szCall || this.track(device, call.id)?.connectionId === szCall || String(call.ref) === szCall);
    return hit?.call.id;
  }

  /** The snapshot of a device's connection now (QueryCCosByDevice, ResetDeviceMonitor). */
  currentSnapshot(device: string, call: Call, leg: Leg): ConnSnapshot | undefined {
    const t = this.track(device, call.id) ?? this.newTrack(device, call, leg);
    const state = t.state ?? baseState(leg);
    if (!state) return undefined;
    return this.snapshot(t, call, leg, state, 'Normal');
  }

  private newTrack(device: string, call: Call, leg: Leg): Track {
    const now = this.pbx.clock.now();
    const t: Track = {
      device,
      callId: call.id,
      connectionId: call.id,
      ccoId: call.id.replace(/^c/, ''),
      callLogId: randomUUID(),
      timeStart: leg.joinedAt ?? now,
      timeStart1: leg.joinedAt ?? now,
      direction: leg.outgoing ? 'outgoing' : 'incoming',
      state: baseState(leg) ?? 'originated',
      peer: leg.peer,
      wasConnected: false,
    };
    this.tracks.set(this.key(device, call.id), t);
    return t;
  }

  private snapshot(t: Track, call: Call, leg: Leg, state: TwsConnState, eventReason: string): ConnSnapshot {
    const others = otherParties(call, leg.number);
    const peerLeg = others.find((o) => o.number === leg.peer) ?? others[0];
    const conference = isConference(call) && state !== 'cleared';
    const users: [Party | null, Party | null] = [null, null];
    if (peerLeg) users[0] = this.party(peerLeg.number, t.direction, peerLeg);
    else if (leg.peer) users[0] = this.party(leg.peer, t.direction);
    if (conference) {
      const second = others.find((o) => o !== peerLeg);
      if (second) users[1] = this.party(second.number, t.direction, second);
    }
    const otherHeld = this.pbx.legsOf(leg.number).some(({ call: c, leg: l }) => c.id !== call.id && l.state === 'hold');
    const now = this.pbx.clock.now();
    const self = this.party(leg.number, t.direction === 'incoming' ? 'outgoing' : 'incoming');
    return {
      device: leg.number,
      connectionId: t.connectionId,
      ccoId: t.ccoId,
      ccoState: ccoStateOf(state),
      ccoType: ccoTypeOf(state, call, leg),
      state,
      reason: ccoStateOf(state) === 'free' ? 'Idle' : 'Connected',
      eventReason,
      direction: t.direction,
      callLogId: t.callLogId,
      timeStart: t.timeStart,
      timeStart1: t.timeStart1,
      timeEnd: now,
      actions: actionsFor(state, t.direction, { otherHeld, conference, rich: this.config.richCallActions }),
      users,
      // [INF] the called party: the monitored user himself on an incoming call, the far end on an outgoing one.
      called: t.direction === 'incoming' ? self : users[0],
    };
  }

  private onPbx(e: PbxEvent): void {
    try {
      if (e.type === 'leg') this.onLeg(e);
      else if (e.type === 'agent') this.onAgent(e.device, e.agent.state);
      else if (e.type === 'forward' && this.config.forwardEvents) {
        const typeCode = ['immediate', 'busy', 'noAnswer', 'busyInt', 'busyExt', 'noAnswerInt', 'noAnswerExt', 'immInt', 'immExt'].indexOf(e.forward.type) * 2 + (e.forward.on ? 0 : 1);
        this.publish({ kind: 'forward', at: this.pbx.clock.now(), device: e.device, deviceGuid: stableGuid(`device:${e.device}`), forwardType: typeCode, number: e.forward.number, on: e.forward.on }, this.monitorsOf(e.device));
      }
    } catch (err) {
      this.log.error({ err }, 'tws: event mapping failed');
    }
  }

  private onLeg(e: Extract<PbxEvent, { type: 'leg' }>): void {
    const { leg, call } = e;
    if (leg.kind !== 'device' || !this.pbx.isDevice(e.device)) return;
    const device = e.device;
    // A leg that moved into this call (conference, transfer): its old connection goes away first.
    if (e.replaces) {
      const old = this.track(device, e.replaces);
      if (old) {
        this.tracks.delete(this.key(device, e.replaces));
        const gone = e.cause === 'transfer' ? 'transferred' : 'conferenced';
        this.emitConn({ ...old }, call, leg, gone, 'Normal', true);
        const t = this.track(device, call.id) ?? this.newTrack(device, call, leg);
        t.callLogId = old.callLogId;
        t.timeStart = old.timeStart;
        t.timeStart1 = old.timeStart1;
        t.wasConnected = old.wasConnected;
      }
    }
    if (leg.outgoing && leg.state === 'originated' && call.dialled) this.lastDialled.set(device, call.dialled);
    const base = baseState(leg);
    if (!base) return;
    let t = this.track(device, call.id);
    if (!t) {
      if (base === 'cleared') return;
      t = this.newTrack(device, call, leg);
      t.state = 'idle' as TwsConnState;
    }
    const now = this.pbx.clock.now();
    const seq: Array<[TwsConnState, string]> = [];
    if (base === 'cleared') {
      if (this.parking === device) seq.push(['held', 'Park']);
      else if (e.cause === 'redirect') seq.push([t.wasConnected ? 'transferred' : 'diverted', 'Normal']);
      seq.push(['cleared', 'Normal']);
    } else if (base === 'established') {
      if (t.state === 'held') seq.push(['retrieved', 'Normal']);
      seq.push([e.cause === 'conference' ? 'conferenced' : 'established', 'Normal']);
    } else if (base === 'delivered' && !leg.outgoing) {
      const named = this.party(leg.peer, 'incoming', otherParties(call, device).find((o) => o.number === leg.peer));
      seq.push(['delivered', named.infoDisplay !== named.number && !named.redList ? 'NameResolved' : 'Normal']);
    } else seq.push([base, 'Normal']);
    if (base === 'established' && !t.wasConnected) {
      t.wasConnected = true;
      t.timeStart1 = leg.connectedAt ?? now;
    }
    // Nothing new for this connection (e.g. the other party held it): no event.
    const last = seq[seq.length - 1];
    if (last && seq.length === 1 && last[0] === t.state && leg.peer === t.peer && e.cause !== 'conference') return;
    t.peer = leg.peer;
    for (const [state, reason] of seq) this.emitConn(t, call, leg, state, reason, false);
    if (base === 'cleared') {
      this.tracks.delete(this.key(device, call.id));
      this.recordCallLog(t, call, leg, now);
    }
  }

  private emitConn(t: Track, call: Call, leg: Leg, state: TwsConnState, reason: string, merged: boolean): void {
    t.state = state;
    const snap = this.snapshot(t, call, leg, state, reason);
    if (merged) {
      snap.ccoState = 'free';
      snap.ccoType = 'free';
    }
    const at = this.pbx.clock.now();
    this.publish({ kind: 'call', at, device: t.device, deviceGuid: stableGuid(`device:${t.device}`), conn: snap }, this.monitorsOf(t.device));
    const supervisors = this.supervisorsOf(t.device);
    if (supervisors.size > 0) this.publish({ kind: 'supervision', at, device: t.device, state, connectionId: t.connectionId, reason: snap.reason, users: snap.users }, supervisors);
  }

  private recordCallLog(t: Track, call: Call, leg: Leg, now: number): void {
    // Every user whose own device list names the device (not the 0000 wildcard) gets the record.
    for (const u of this.users.values()) {
      if (!u.cfg.devices.includes(t.device)) continue;
      const peerLeg = call.legs.find((l) => l.number === (leg.peer || t.peer));
      this.callLogs.push({
        guid: randomUUID(),
        callGuid: t.callLogId,
        userGuid: u.cfg.guid,
        device: t.device,
        incoming: t.direction === 'incoming',
        connected: t.wasConnected,
        timeStart: t.timeStart,
        timeStart1: t.wasConnected ? t.timeStart1 : now,
        timeEnd: now,
        peer: this.party(leg.peer || t.peer, t.direction, peerLeg),
      });
    }
  }

  /** Users who monitor a device. */
  monitorsOf(device: string): Set<string> {
    const out = new Set<string>();
    for (const u of this.users.values()) if (u.monitors.has(device)) out.add(u.cfg.username);
    return out;
  }

  /** Users whose intercom group contains the device. */
  supervisorsOf(device: string): Set<string> {
    const out = new Set<string>();
    for (const u of this.users.values()) if ((u.cfg.intercom ?? []).includes(device)) out.add(u.cfg.username);
    return out;
  }

  // ---------------------------------------------------------------- agents

  agentFor(id: string): { agentId: string; device: string; group: string; password: string } | undefined {
    return this.config.agents.find((a) => a.agentId === id);
  }

  /** The TWS agent on a device: logged in from it, living on it, or whose id is the device number. */
  agentOnDevice(device: string): { agentId: string; device: string; group: string; password: string } | undefined {
    for (const login of this.agentLogins.values()) if (login.fromDevice === device || login.device === device) return this.agentFor(login.agentId);
    return this.config.agents.find((a) => a.device === device || a.agentId === device);
  }

  private onAgent(device: string, state: AgentState): void {
    const agent = this.config.agents.find((a) => a.device === device);
    if (!agent) return;
    this.pushAgentEvent(agent.agentId, state);
  }

  pushAgentEvent(agentId: string, state: AgentState): void {
    const agent = this.agentFor(agentId);
    if (!agent) return;
    const login = this.agentLogins.get(agentId);
    const to = new Set([...this.monitorsOf(agent.device), ...(login ? [...this.monitorsOf(login.fromDevice), login.by] : [])]);
    this.publish({ kind: 'agent', at: this.pbx.clock.now(), agentId, group: login?.group ?? agent.group, state: pbxToTwsAgent[state], objectGuid: stableGuid(`agent:${agentId}`) }, to);
  }

  // ---------------------------------------------------------------- fan-out

  /** Queue an event for every open feed of these users; delivered after the current request answered (§4.8 ordering). */
  publish(ev: TwsEvent, to: Set<string>): void {
    if (to.size === 0) return;
    this.outbox.push({ ev, to });
    this.scheduleFlush();
  }

  /** Events wait while held (server stall) and go out in order afterwards. */
  hold(on: boolean): void {
    this.held = on;
    if (!on) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.held) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.held) return;
      const batch = this.outbox;
      this.outbox = [];
      for (const { ev, to } of batch) {
        for (const f of [...this.feeds]) {
          if (!to.has(f.user.cfg.username)) continue;
          try {
            f.deliver(ev);
          } catch (err) {
            this.log.warn({ err }, 'tws: feed delivery failed');
          }
        }
      }
    });
  }

  /** The per-recipient context of an event. */
  eventContext(user: UserRuntime): EventContext {
    const own = user.cfg.devices.find((d) => d !== '0000') ?? '0000';
    return { userGuid: user.cfg.guid, domainGuid: this.config.domainGuid, ownDevice: own, objectGuid: stableGuid(`device:${own}`), quirks: this.config.quirks };
  }

  describe(): Record<string, unknown> {
    return {
      tokens: [...this.tokens.values()].map((t) => ({ token: t.id, username: t.user.cfg.username, ephemeral: t.ephemeral, consumed: t.consumed, via: t.via })),
      tokensExpired: this.expiredAll,
      monitors: Object.fromEntries([...this.users.values()].map((u) => [u.cfg.username, [...u.monitors]])),
      feeds: [...this.feeds].map((f) => f.describe()),
      stoppedFeeds: [...this.stoppedFeeds],
      agents: [...this.agentLogins.values()],
      callData: this.callData.size,
      callLogs: this.callLogs.length,
    };
  }
}
