// One agent's connector on a CTIPS site: the agent (by login name) and its station, read out of the
// site model and turned into the normalized model, and the desktop's commands turned into CTIPS
// agent and call requests for that agent only. A supervisor also sees every agent (the team) and
// every service (queues, with calls waiting and agents per state counted here: CTIPS has no
// statistics, digest §9). The site's session is shared: a gateway runs one such connector per
// signed-in desktop; a desktop runs one on a private site it owns.
import { TEAM_CAPABILITY } from '../../../shared/admin.js';
import { CtiError, type Command, type CommandKind, type Query } from '../../../shared/commands.js';
import type { CtiEvent, SnapshotEvent } from '../../../shared/events.js';
import { changeForState } from '../../../shared/events.js';
import type { AgentInfo, AgentStateKind, Call, CallAction, CallData, Colleague, QueueStats } from '../../../shared/model.js';
import type { CtipsConnection } from '../../../shared/profile.js';
import type { Connector, ConnectorDeps, ConnectorListeners, KeepAliveResult, QueryResult } from '../../core/connector.js';
import type { SiteScope } from '../../core/site.js';
import type { CtipsEvent } from './events.js';
import type { CtipsSite } from './site.js';
import { isWrap, type AgentRec, type CallRec, type LegRec, type ModelChange } from './site-model.js';

/** The not-ready reason that means NotReadyPark (the protocol's only not-ready variant). */
export const PARK_REASON = 'Not ready (park)';
/** What a supervisor's menu calls plain NotReady for another agent (any reason but park means it). */
const PLAIN_NOT_READY = 'Not ready';

/** Abilities beyond commands, by role: a supervisor has the team roster. */
export function ctipsExtraCapabilities(role: SiteScope['role']): readonly string[] {
  return role === 'supervisor' ? [TEAM_CAPABILITY] : [];
}

/** A supervisor also sets the team's agents ready, not ready (or parked) and logs them out. */
export function ctipsCapabilitiesFor(role: SiteScope['role']): ReadonlySet<CommandKind> {
  return role === 'supervisor' ? new Set<CommandKind>([...ctipsCapabilities, 'setTeamAgentState']) : ctipsCapabilities;
}

export const ctipsCapabilities: ReadonlySet<CommandKind> = new Set<CommandKind>([
  'makeCall', 'answer', 'reject', 'clear', 'hold', 'retrieve', 'consult', 'reconnect', 'transfer', 'conference', 'sendDtmf', 'setCallData',
  'setAgentState', 'setDisposition', 'panicLogout', 'snapshot',
]);

const callIdOf = (id: number): string => `ctips-${id}`;

function parseCallId(id: string): number {
  const m = /^ctips-(\d{1,10})$/.exec(id);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(n) || n <= 0 || n > 0x7fffffff) throw new CtiError('noCall', `no such call ${id.slice(0, 64)}`);
  return n;
}

export function agentStateKind(ctips: string): AgentStateKind {
  switch (ctips) {
    case 'LoggedOut':
      return 'loggedOff';
    case 'NotReady':
    case 'NotReadyPark':
      return 'notReady';
    case 'Idle':
      return 'ready';
    case 'PendingActive':
    case 'Active':
    case 'Reserved':
    case 'MultiLine':
      return 'busy';
    case 'Wrap':
    case 'WrapWarning':
    case 'ActiveWrap':
      return 'wrapUp';
    default:
      return 'unknown';
  }
}

const permittedFrom: Record<AgentStateKind, AgentStateKind[]> = {
  loggedOff: ['loggedOn'],
  loggedOn: ['ready', 'notReady', 'loggedOff'],
  notReady: ['ready', 'notReady', 'loggedOff'],
  ready: ['notReady', 'loggedOff'],
  busy: ['notReady'],
  wrapUp: ['ready', 'notReady'],
  unknown: ['ready', 'notReady', 'loggedOff'],
};

export interface AgentConnectorOptions {
  /** The connector owns the site: start connects it, stop closes it (a desktop). */
  ownsSite: boolean;
}

export class CtipsAgentConnector implements Connector {
  readonly vendor = 'ctips' as const;
  readonly capabilities: ReadonlySet<CommandKind>;
  readonly extraCapabilities: readonly string[];
  private listeners: ConnectorListeners | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly conn: CtipsConnection;
  /** The profile's codes and not-ready reasons, as every agent image carries them. */
  private readonly codes: NonNullable<AgentInfo['codes']>;
  private readonly reasons: string[];
  private readonly now: () => number;
  /** Local not-ready reason (the portal has none, L727). */
  private notReadyReason: string | undefined;
  private passcode: string | undefined;
  private logoutPending = false;
  private dispositionCallId: number | undefined;
  private disposition: string | undefined;
  private lastAgentState: string | undefined;
  private readonly dataFetched = new Set<number>();
  /** The AgentId a pending passcode login told us. */
  private loginAgentId: number | undefined;
  private readonly passcodeShown = new WeakSet<CtipsEvent>();

  constructor(
    private readonly site: CtipsSite,
    private readonly scope: SiteScope,
    private readonly deps: ConnectorDeps,
    private readonly opts: AgentConnectorOptions,
  ) {
    const c = deps.profile.connection;
    if (c.vendor !== 'ctips') throw new CtiError('invalid', 'not a CTIPS profile');
    this.conn = c;
    this.now = deps.now ?? Date.now;
    this.capabilities = ctipsCapabilitiesFor(scope.role);
    this.extraCapabilities = ctipsExtraCapabilities(scope.role);
    this.codes = { logout: [...c.logoutReasons], disposition: [...c.dispositions], reject: [...c.rejectReasons] };
    this.reasons = [PARK_REASON, ...deps.profile.notReadyReasons];
  }

  setListeners(l: ConnectorListeners): void {
    this.listeners = l;
  }

  async start(): Promise<void> {
    this.detach();
    if (!this.opts.ownsSite && !this.site.connected) throw new CtiError('notConnected', `the site's CTIPS session is down (${this.site.link.detail})`);
    // Subscribed before connecting, so the connect's own notices (failover) reach the desktop.
    this.unsubscribe = this.site.subscribe({
      changed: (changes, e) => this.onChanges(changes, e),
      lost: (err) => {
        this.detach();
        this.listeners?.lost(err);
      },
      notice: (n) => this.emit(n),
    });
    if (!this.opts.ownsSite) return;
    try {
      await this.site.connect();
    } catch (err) {
      this.detach();
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.detach();
    if (this.opts.ownsSite) await this.site.stop();
  }

  private detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  async snapshot(): Promise<SnapshotEvent> {
    await this.site.snapshot(this.opts.ownsSite);
    const me = this.me();
    const snap: SnapshotEvent = {
      type: 'snapshot',
      at: this.now(),
      calls: me ? this.site.model.callsOf(me.agentId).flatMap((c) => this.callImage(c, me.agentId) ?? []) : [],
      agent: this.agentInfo(me),
      ...(this.scope.role === 'supervisor' ? { colleagues: this.team() } : {}),
    };
    if (this.scope.role === 'supervisor') queueMicrotask(() => this.emitQueues());
    return snap;
  }

  async keepAlive(): Promise<KeepAliveResult> {
    if (!this.opts.ownsSite) {
      if (!this.site.connected) throw new CtiError('notConnected', `the site's CTIPS session is down (${this.site.link.detail})`);
      return { missedEvents: 0, pbxLinkUp: this.site.model.linksDown.size === 0 };
    }
    // The agent's state query, answered by an AgentStateChange (L1198): it proves the session and
    // re-reads the state in one request. Logged out, OnLine proves the session alone.
    const me = this.me();
    const held = me && me.state !== 'LoggedOut' ? me.state : null;
    if (me && held) {
      const answer = await this.site.portal().call('GetAgentState', (RequestId, r) => r.getAgentState({ RequestId, AgentId: me.agentId }), (e) => e.type === 'AgentStateChange');
      const reported = answer && answer.kind !== 'unknown' && answer.type === 'AgentStateChange' ? answer.fields.AgentState : null;
      const name = reported && reported.known ? reported.name : null;
      return { missedEvents: name !== null && name !== held ? 1 : 0, pbxLinkUp: this.site.model.linksDown.size === 0 };
    }
    await this.site.verify();
    return { missedEvents: 0, pbxLinkUp: this.site.model.linksDown.size === 0 };
  }

  async query(q: Query): Promise<QueryResult> {
    if (q.kind === 'queues') return this.queues();
    throw new CtiError('unsupported', `CTIPS has no ${q.kind} query`);
  }

  // ---------------------------------------------------------------- commands

  async execute(cmd: Command): Promise<void> {
    const portal = this.site.portal();
    const tracked = async (op: string, build: Parameters<typeof portal.call>[1], completes?: Parameters<typeof portal.call>[2]) => {
      return portal.call(op, build, completes);
    };
    if (cmd.kind === 'setAgentState' && cmd.state === 'loggedOn') {
      const outcome = await tracked('LoginAgent', (RequestId, r) =>
        r.loginAgent({ RequestId, AgentLoginName: this.scope.login, StationId: this.scope.station, InitialState: this.conn.initialState, MultiLine: this.conn.multiLine ? 1 : 0 }),
      );
      // A site asking for the phone passcode answers the login with EnterPasscode (L1240): it also
      // tells our AgentId, which the passcode events that follow (a wrong entry) carry.
      if (outcome && outcome.kind !== 'unknown' && outcome.type === 'EnterPasscode') {
        this.loginAgentId = outcome.header.agentId ?? undefined;
        this.showPasscode(outcome, outcome.fields.PasscodeDigits ?? '', outcome.fields.ReEnterFlag === true);
      }
      return;
    }
    if (cmd.kind === 'setTeamAgentState') {
      const AgentId = this.teamMember(cmd.agent).agentId;
      if (cmd.state === 'ready') await tracked('SetAgentState', (RequestId, r) => r.ready({ RequestId, AgentId }));
      else if (cmd.state === 'notReady') await tracked('SetAgentState', (RequestId, r) => (cmd.reason === PARK_REASON ? r.notReadyPark({ RequestId, AgentId }) : r.notReady({ RequestId, AgentId })));
      else await tracked('LogoutAgent', (RequestId, r) => r.logoutAgent({ RequestId, AgentId, ReasonCode: 0 }));
      return;
    }
    const me = this.me();
    if (!me || me.state === 'LoggedOut') throw new CtiError('notPermitted', `${this.scope.login} is not logged in`);
    const AgentId = me.agentId;
    switch (cmd.kind) {
      case 'setAgentState': {
        if (cmd.state === 'ready') await tracked('SetAgentState', (RequestId, r) => r.ready({ RequestId, AgentId }));
        else if (cmd.state === 'notReady') {
          const park = cmd.reason === PARK_REASON;
          await tracked('SetAgentState', (RequestId, r) => (park ? r.notReadyPark({ RequestId, AgentId }) : r.notReady({ RequestId, AgentId })));
          this.notReadyReason = park ? undefined : cmd.reason;
          this.emitAgent();
        } else if (cmd.state === 'loggedOff') {
          const reason = this.code(cmd.reason, this.conn.logoutReasons, 'logout reason');
          await tracked('LogoutAgent', (RequestId, r) => r.logoutAgent({ RequestId, AgentId, ReasonCode: reason ?? 0 }));
        } else throw new CtiError('notPermitted', `CTIPS cannot set the agent state ${cmd.state}`);
        return;
      }
      case 'panicLogout': {
        await tracked('PanicLogout', (RequestId, r) => r.panicLogout({ RequestId, AgentLoginNameList: [this.scope.login], LogoutAllAgents: false }));
        if (this.site.model.callsOf(AgentId).length > 0) {
          this.logoutPending = true;
          this.emitAgent();
        }
        return;
      }
      case 'setDisposition': {
        const callId = cmd.callId ? parseCallId(cmd.callId) : this.dispositionCallId;
        if (callId === undefined) throw new CtiError('noCall', 'no call to give a disposition for');
        const DispositionId = this.code(cmd.disposition, this.conn.dispositions, 'disposition') ?? Number(cmd.disposition);
        await tracked('SetDisposition', (RequestId, r) =>
          r.setDisposition({ RequestId, AgentId, CallId: callId, DispositionId, SummaryDispositionSuccessful: cmd.successful, WrapNotRequired: cmd.endWrap }),
        );
        this.disposition = cmd.disposition;
        this.emitAgent();
        return;
      }
      case 'makeCall': {
        const dest = this.destination(cmd.to);
        await tracked('MakeCall', (RequestId, r) => r.makeCall({ RequestId, AgentId, CallId: -1, DestinationType: dest.type, DestinationAddress: dest.address, WrapState: false }));
        return;
      }
      case 'answer':
        await tracked('AcceptCall', (RequestId, r) => r.acceptCall({ RequestId, AgentId, CallId: this.myCall(cmd.callId, me).callId, AcceptCall: true }));
        return;
      case 'reject': {
        const reason = this.code(cmd.reason, this.conn.rejectReasons, 'reject reason');
        const CallId = this.myCall(cmd.callId, me).callId;
        await tracked('AcceptCall', (RequestId, r) => r.acceptCall({ RequestId, AgentId, CallId, AcceptCall: false, ...(reason !== undefined ? { RejectReason: reason } : {}) }));
        return;
      }
      case 'clear':
        await tracked('ClearCall', (RequestId, r) => r.clearCall({ RequestId, AgentId, CallId: this.myCall(cmd.callId, me).callId }));
        return;
      case 'hold':
        await tracked('HoldCall', (RequestId, r) => r.holdCall({ RequestId, AgentId, CallId: this.myCall(cmd.callId, me).callId }));
        return;
      case 'retrieve':
        await tracked('RetrieveCall', (RequestId, r) => r.retrieveCall({ RequestId, AgentId, CallId: this.myCall(cmd.callId, me).callId }));
        return;
      case 'consult': {
        const call = this.myCall(cmd.callId, me);
        const dest = this.destination(cmd.to);
        const UserData = cmd.data ? userData(cmd.data) : undefined;
        const outcome = await tracked('ConsultationCall', (RequestId, r) =>
          r.consultationCall({ RequestId, AgentId, CallId: call.callId, DestinationAddress: dest.address, DestinationType: dest.type, ...(UserData ? { UserData } : {}) }),
          (e) => e.type === 'CallOriginated',
        );
        // The new call's id comes with CallOriginated (digest §9); CallConsultation only once it is answered.
        if (outcome && outcome.kind !== 'unknown' && outcome.type === 'CallOriginated' && outcome.fields.CallId) {
          this.onChanges(this.site.model.linkConsultation(call.callId, outcome.fields.CallId), undefined);
        }
        return;
      }
      case 'reconnect': {
        const { held, consult } = this.pair(this.myCall(cmd.callId, me));
        await tracked('ClearCall', (RequestId, r) => r.clearCall({ RequestId, AgentId, CallId: consult.callId }));
        await tracked('RetrieveCall', (RequestId, r) => r.retrieveCall({ RequestId, AgentId, CallId: held.callId }));
        return;
      }
      case 'transfer': {
        const call = this.myCall(cmd.callId, me);
        if (cmd.to !== undefined) {
          const dest = this.destination(cmd.to);
          await tracked('TransferCall', (RequestId, r) => r.blindTransfer({ RequestId, AgentId, CallId: call.callId, DestinationType: dest.type, DestinationAddress: dest.address }));
          return;
        }
        const { held, consult } = this.pair(call);
        await tracked('TransferCall', (RequestId, r) => r.consultationTransfer({ RequestId, AgentId, CallId: held.callId, DestinationType: 'Agent', ConsultationCallId: consult.callId }));
        return;
      }
      case 'conference': {
        const { held, consult } = this.pair(this.myCall(cmd.callId, me));
        await tracked('ConferenceCall', (RequestId, r) => r.conferenceCall({ RequestId, AgentId, CallId: held.callId, ConsultationCallId: consult.callId }));
        return;
      }
      case 'sendDtmf': {
        const CallId = this.myCall(cmd.callId, me).callId;
        // One digit per request (digest §7 #19: "a digit" vs "a digit sequence").
        for (const digit of cmd.digits) await tracked('SendDTMFDigits', (RequestId, r) => r.sendDTMFDigits({ RequestId, AgentId, CallId, DTMFDigits: digit }));
        return;
      }
      case 'setCallData': {
        const CallId = this.myCall(cmd.callId, me).callId;
        await tracked('SetCallData', (RequestId, r) => r.setCallData({ RequestId, AgentId, CallId, UserData: userData(cmd.data) }));
        return;
      }
      default:
        throw new CtiError('unsupported', `CTIPS does not support ${cmd.kind}`);
    }
  }

  /** A code the profile configured (by id; a label is accepted too); undefined when none was given. */
  private code(value: string | undefined, list: ReadonlyArray<{ id: string; label: string }>, what: string): number | undefined {
    if (value === undefined || value === '') return undefined;
    const hit = list.find((c) => c.id === value || c.label === value);
    if (hit) return Number(hit.id);
    if (/^-?\d{1,9}$/.test(value)) return Number(value);
    throw new CtiError('invalid', `unknown ${what} ${value.slice(0, 64)}`);
  }

  /** An agent of the site (by station or login name) → Agent, else an external number. */
  private destination(to: string): { type: 'Agent' | 'External'; address: string } {
    const digits = to.replace(/[\s().-]/g, '');
    const agent = this.site.model.agentByStation(digits) ?? this.site.model.agentByLogin(to.trim());
    if (agent && agent.state !== 'LoggedOut') return { type: 'Agent', address: agent.login };
    return { type: 'External', address: digits };
  }

  private me(): AgentRec | undefined {
    return this.site.model.agentByLogin(this.scope.login);
  }

  private myCall(id: string, me: AgentRec): CallRec {
    const c = this.site.model.calls.get(parseCallId(id));
    if (!c || !c.legs.has(me.agentId)) throw new CtiError('noCall', `no such call ${id.slice(0, 64)} at ${this.scope.station}`);
    return c;
  }

  /** The held call and its consultation, from either of the two. */
  private pair(c: CallRec): { held: CallRec; consult: CallRec } {
    const calls = this.site.model.calls;
    const held = c.consultOf !== undefined ? calls.get(c.consultOf) : c;
    const consult = c.consultCallId !== undefined ? calls.get(c.consultCallId) : c.consultOf !== undefined ? c : undefined;
    if (!held || !consult || held === consult) throw new CtiError('notPermitted', 'there is no consultation call to join');
    return { held, consult };
  }

  // ---------------------------------------------------------------- model → normalized

  private onChanges(changes: readonly ModelChange[], e: CtipsEvent | undefined): void {
    const me = this.me();
    const mine = me?.agentId;
    let agentChanged = false;
    let queuesChanged = false;
    for (const c of changes) {
      switch (c.kind) {
        case 'agent':
          if (c.agentId === mine) agentChanged = true;
          else if (this.scope.role === 'supervisor') this.emitColleague(c.agentId);
          if (this.scope.role === 'supervisor') queuesChanged = true;
          break;
        case 'call':
          if (c.agentId === mine) {
            this.emitCall(c.callId, c.agentId);
            this.fetchCallDataOnce(c.callId, c.agentId);
          }
          break;
        case 'legEnded':
          if (c.agentId === mine) {
            this.emit({ type: 'callEnded', callId: callIdOf(c.callId), at: this.now(), cause: c.cause, call: { ...this.image(c.last, c.leg), state: 'cleared', endedAt: this.now(), allowed: [] } });
            this.dispositionCallId = c.callId;
            this.disposition = undefined;
            agentChanged = true;
          }
          break;
        case 'service':
          queuesChanged = this.scope.role === 'supervisor';
          break;
        case 'passcode':
          if (e && (c.agentId === mine || c.agentId === this.loginAgentId)) this.showPasscode(e, c.digits, c.reEnter);
          break;
        case 'failure':
          if ((c.agentId === mine || c.login === this.scope.login) && c.requestId === 0) {
            this.emit({ type: 'notice', level: 'warning', code: `ctips${c.failure || 'Failure'}`.slice(0, 64), message: (c.reason || c.failure).slice(0, 1024), at: this.now() });
          }
          break;
        case 'wrapDone':
          if (c.agentId === mine) {
            this.dispositionCallId = undefined;
            agentChanged = true;
          }
          break;
        default:
          break;
      }
    }
    if (agentChanged) this.emitAgent();
    if (queuesChanged) this.emitQueues();
  }

  /** Shown once per EnterPasscode event (the login's own comes both as its outcome and as a change). */
  private showPasscode(event: CtipsEvent, digits: string, reEnter: boolean): void {
    if (this.passcodeShown.has(event)) return;
    this.passcodeShown.add(event);
    this.passcode = digits;
    this.emitAgent();
    this.emit({ type: 'notice', level: 'info', code: 'ctipsPasscode', message: `${reEnter ? 'Key the passcode again' : 'Key the passcode'} ${digits} on your phone to finish logging in`, at: this.now() });
  }

  /** Once a call of ours is answered, read its call data (GetCallData → CallDataUpdate), for the screen pop. */
  private fetchCallDataOnce(callId: number, agentId: number): void {
    const leg = this.site.model.calls.get(callId)?.legs.get(agentId);
    if (!leg || leg.state !== 'connected' || this.dataFetched.has(callId)) return;
    this.dataFetched.add(callId);
    if (this.dataFetched.size > 256) this.dataFetched.delete(this.dataFetched.values().next().value as number);
    let portal;
    try {
      portal = this.site.portal();
    } catch {
      return;
    }
    portal.call('GetCallData', (RequestId, r) => r.getCallData({ RequestId, AgentId: agentId, CallId: callId }), (e) => e.type === 'CallDataUpdate').catch((err: unknown) => {
      this.deps.log.debug({ callId, err: err instanceof Error ? err.message : String(err) }, 'ctips: no call data');
    });
  }

  private emit(e: CtiEvent): void {
    this.listeners?.event(e);
  }

  private emitAgent(): void {
    this.emit({ type: 'agent', agent: this.agentInfo(this.me()) });
  }

  private emitCall(callId: number, agentId: number): void {
    const c = this.site.model.calls.get(callId);
    const image = c ? this.callImage(c, agentId) : null;
    if (image) this.emit({ type: 'call', change: changeForState[image.state], call: image });
  }

  private emitColleague(agentId: number): void {
    const a = this.site.model.agents.get(agentId);
    if (a && a.station) this.emit({ type: 'colleague', colleague: this.colleague(a) });
  }

  private emitQueues(): void {
    for (const q of this.queues()) this.emit({ type: 'queue', queue: q });
  }

  private agentInfo(me: AgentRec | undefined): AgentInfo {
    const state = me ? me.state : 'LoggedOut';
    if (this.lastAgentState !== state) {
      if (state === 'LoggedOut') {
        this.logoutPending = false;
        this.dispositionCallId = undefined;
      }
      if (state !== 'LoggedOut') this.passcode = undefined;
      // A local reason belongs to one spell of NotReady (the command sets it once the state is there).
      if (state !== 'NotReady') this.notReadyReason = undefined;
      this.lastAgentState = state;
    }
    const kind = agentStateKind(state);
    const reason = state === 'NotReadyPark' ? PARK_REASON : kind === 'notReady' ? this.notReadyReason : undefined;
    const inWrap = isWrap(state);
    return {
      state: kind,
      agentId: this.scope.login,
      since: me?.since ?? this.now(),
      permitted: permittedFrom[kind],
      services: (me?.services ?? []).map(String),
      reasons: this.reasons,
      // The portal carries no reason: another agent can only be made not ready, or parked.
      ...(this.scope.role === 'supervisor' ? { teamReasons: [PLAIN_NOT_READY, PARK_REASON] } : {}),
      role: this.scope.role,
      codes: this.codes,
      ...(reason ? { reason } : {}),
      ...(inWrap && this.dispositionCallId !== undefined ? { dispositionCallId: callIdOf(this.dispositionCallId) } : {}),
      ...(inWrap && this.disposition !== undefined ? { disposition: this.disposition } : {}),
      ...(this.logoutPending ? { logoutPending: true } : {}),
      ...(this.passcode ? { passcode: this.passcode } : {}),
    };
  }

  private callImage(c: CallRec, agentId: number): Call | null {
    const leg = c.legs.get(agentId);
    return leg ? this.image(c, leg) : null;
  }

  private image(c: CallRec, leg: LegRec): Call {
    const name = [c.firstName, c.lastName].filter(Boolean).join(' ') || (c.callerId && c.callerId !== c.ani ? c.callerId : '');
    const inbound = leg.direction === 'inbound';
    const remoteNumber = inbound ? c.ani : (c.destination ?? c.dnis);
    const data: CallData = {};
    for (const [k, v] of Object.entries(c.data)) if (k.length <= 128) data[k] = v.slice(0, 4096);
    const pairOpen = c.consultCallId !== undefined || c.consultOf !== undefined;
    return {
      id: callIdOf(c.callId),
      ref: { vendor: 'ctips', device: this.scope.station, callId: String(c.callId) },
      state: leg.state,
      direction: leg.direction,
      remote: { number: remoteNumber, ...(inbound && name ? { name } : {}), ...(inbound && !c.ani ? { withheld: true } : {}) },
      ...(inbound && c.dnis ? { called: { number: c.dnis } } : {}),
      conferenceParties: [],
      isConference: c.conference,
      isConsultation: c.consultOf !== undefined,
      ...(leg.cause ? { cause: leg.cause } : {}),
      data,
      startedAt: leg.startedAt,
      ...(leg.connectedAt !== undefined ? { connectedAt: leg.connectedAt } : {}),
      allowed: allowedActions(leg, pairOpen),
      seq: c.seq,
    };
  }

  private colleague(a: AgentRec): Colleague {
    const calls = this.site.model.callsOf(a.agentId);
    const legs = calls.map((c) => c.legs.get(a.agentId)).filter((l): l is LegRec => l !== undefined);
    const kind = agentStateKind(a.state);
    const state: Colleague['state'] =
      a.state === 'LoggedOut' ? 'outOfService' : legs.some((l) => l.state === 'alerting') ? 'ringing' : legs.some((l) => l.state === 'connected' || l.state === 'dialing' || l.state === 'ringing') ? 'busy' : legs.some((l) => l.state === 'held') ? 'held' : 'idle';
    const first = legs[0];
    return {
      number: a.station,
      name: a.login,
      state,
      detail: a.state,
      agentState: kind,
      ...(a.state === 'NotReadyPark' ? { reason: PARK_REASON } : {}),
      ...(first ? { direction: first.direction } : {}),
      since: a.since,
    };
  }

  /** A supervisor's target: the agent logged in at that station (the roster numbers agents by station). */
  private teamMember(station: string): AgentRec {
    if (this.scope.role !== 'supervisor') throw new CtiError('notPermitted', 'only a supervisor changes other agents’ states');
    const agent = [...this.site.model.agents.values()].find((a) => a.station === station.trim() && a.state !== 'LoggedOut');
    if (!agent) throw new CtiError('invalid', `no agent is logged in at station ${station.trim()}`);
    if (agent.login === this.scope.login) throw new CtiError('invalid', 'that is you: use your own agent state');
    return agent;
  }

  private team(): Colleague[] {
    return [...this.site.model.agents.values()].filter((a) => a.login !== this.scope.login && a.station).map((a) => this.colleague(a));
  }

  /** Services with what CTIPS lets us count: calls waiting (delivered, at no agent yet), the longest wait, agents per state. */
  private queues(): QueueStats[] {
    const m = this.site.model;
    const now = this.now();
    const ids = new Set<number>([...m.services.keys()]);
    for (const a of m.agents.values()) for (const s of a.services) ids.add(s);
    return [...ids].sort((a, b) => a - b).map((id) => {
      const agents = [...m.agents.values()].filter((a) => a.services.includes(id) && a.state !== 'LoggedOut');
      const waiting = [...m.calls.values()].filter((c) => c.serviceId === id && c.queuedAt !== undefined && ![...c.legs.values()].some((l) => l.state === 'connected' || l.state === 'held'));
      const longest = waiting.reduce((mx, c) => Math.max(mx, (now - (c.queuedAt ?? now)) / 1000), 0);
      const count = (k: AgentStateKind) => agents.filter((a) => agentStateKind(a.state) === k).length;
      return {
        id: String(id),
        name: `Service ${id}`,
        state: m.services.get(id)?.state ?? 'NoState',
        queuedCalls: waiting.length,
        longestWaitSec: Math.round(longest),
        agentsReady: count('ready'),
        agentsBusy: count('busy') + count('wrapUp'),
        agentsNotReady: count('notReady'),
        agentsLoggedOff: 0,
        agents: agents.map((a) => ({ device: a.station, agentId: a.login, state: agentStateKind(a.state) })),
      };
    });
  }
}

/** What the agent may do with a leg now (the portal refuses the rest; digest §9). */
export function allowedActions(leg: LegRec, pairOpen: boolean): CallAction[] {
  switch (leg.state) {
    case 'alerting':
      return ['answer', 'reject'];
    case 'dialing':
    case 'ringing':
    case 'failed':
      return ['clear'];
    case 'connected':
      return pairOpen ? ['clear', 'transfer', 'conference', 'reconnect', 'sendDtmf'] : ['clear', 'hold', 'consult', 'transfer', 'sendDtmf'];
    case 'held':
      return pairOpen ? ['clear', 'retrieve', 'transfer', 'conference', 'reconnect'] : ['clear', 'retrieve'];
  }
}

/** Call data as SetCallData's positional UserData (≤ 20): `UserDataN` keys at their place, other values after, in order. */
export function userData(data: CallData): string[] {
  const out: string[] = [];
  const rest: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    const m = /^UserData([1-9]|1\d|20)$/.exec(k);
    if (m) out[Number(m[1]) - 1] = v;
    else rest.push(v);
  }
  for (const v of rest) {
    const free = out.findIndex((x) => x === undefined);
    if (free >= 0) out[free] = v;
    else if (out.length < 20) out.push(v);
  }
  return Array.from({ length: Math.min(20, out.length) }, (_, i) => out[i] ?? '');
}
