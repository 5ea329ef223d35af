// The TelServices connector (main/core/connector.ts): sessions, commands, queries and events of a
// TelServer gateway, mapped to the normalized model. One connector serves one device (profile.device).
import type { CallLogRow } from '../../../shared/calllog.js';
import { CtiError, type Command, type CommandKind, type Query, DIRECTORY_CAPABILITY } from '../../../shared/commands.js';
import type { CtiEvent, SnapshotEvent } from '../../../shared/events.js';
import type { AgentInfo, Call, DeviceFeatures, DirectoryEntry, QueueStats } from '../../../shared/model.js';
import type { Profile, TelServicesConnection } from '../../../shared/profile.js';
import type { Connector, ConnectorDeps, ConnectorListeners, KeepAliveResult, QueryResult } from '../../core/connector.js';
import { createTrace, type Logger, type TraceFn } from '../../core/log.js';
import type { TelAgentInfo, TelEvent, TelHistoryRecord, TelParty, TelReply, TelRequest, TelSnapshot } from './codec.js';
import { exchange, expectOk } from './exchange.js';
import { createHttpTransport, LONG_POLL_GRACE_MS } from './http-transport.js';
import { applyForwardEvent, CallTracker, mapAgent, mapAgentState, mapForwards, toTelAgentState, type CallTrackerEvent } from './mapping.js';
import { createTcpTransport, type RequestOptions, type TelTransport } from './tcp-transport.js';
import { startUdpListener, type UdpListener } from './udp-listener.js';

/** What TelServices can do (no DTMF, park, pickup or call data: the protocol has none). */
/** How long a keep-alive waits for in-flight events before it counts a difference as lost. */
export const SETTLE_MS = 300;

export const telServicesCapabilities: ReadonlySet<CommandKind> = new Set<CommandKind>([
  'makeCall',
  'answer',
  'clear',
  'hold',
  'retrieve',
  'consult',
  'alternate',
  'transfer',
  'conference',
  'reconnect',
  'redirect',
  'addParty',
  'setAgentState',
  'setForward',
  'setDnd',
  'snapshot',
]);

/** The Connector plus the PBX-link state the supervisor turns into 'degraded'. */
export interface TelServicesConnector extends Connector {
  pbxLinkUp(): boolean;
}

/** Seconds TelServer may hold a long-poll snapshot before answering unchanged. */
export const LONG_POLL_TIMEOUT_SEC = 25;
const CLOSE_SESSION_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 3000;
const LONG_POLL_MAX_FAILURES = 3;

export function createTelServicesConnector(deps: ConnectorDeps): TelServicesConnector {
  return new TelServicesConnectorImpl(deps);
}

const unsupportedWhy: Partial<Record<CommandKind, string>> = {
  sendDtmf: 'TelServices has no DTMF service',
  park: 'TelServices has no call park service',
  pickup: 'TelServices has no call pickup service',
  setCallData: 'TelServices can only attach extraData when a call is made, consulted or diverted',
};

class TelServicesConnectorImpl implements TelServicesConnector {
  readonly vendor = 'telservices' as const;
  readonly capabilities = telServicesCapabilities;
  readonly extraCapabilities: readonly string[] = [DIRECTORY_CAPABILITY];

  private readonly profile: Profile;
  private readonly conn: TelServicesConnection;
  private readonly password: string;
  private readonly log: Logger;
  private readonly trace: TraceFn;
  private readonly now: () => number;
  private readonly transport: TelTransport;
  private readonly channel: string;
  /** The call-identity table: lives as long as the connector, across reconnects. */
  private readonly tracker: CallTracker;

  private listeners: ConnectorListeners | null = null;
  private agent: AgentInfo | null = null;
  private telAgent: TelAgentInfo | null = null;
  private features: DeviceFeatures = { forwards: [], dnd: false, messageWaiting: false };
  private linkUp = true;
  private localReason: string | undefined;
  private udp: UdpListener | null = null;
  private sessionOpen = false;
  private stopping: Promise<void> | null = null;
  /** Requests for the device run one at a time so call control never races. */
  private queue: Promise<unknown> = Promise.resolve();
  private poll: { controller: AbortController } | null = null;
  private snapshotSeq = '0';

  constructor(deps: ConnectorDeps) {
    const connection = deps.profile.connection;
    if (connection.vendor !== 'telservices') throw new CtiError('invalid', 'not a TelServices profile');
    this.profile = deps.profile;
    this.conn = connection;
    this.password = deps.secret?.password ?? '';
    this.log = deps.log.child({ connector: 'telservices', device: deps.profile.device });
    this.trace = createTrace(this.log, deps.profile.trace);
    this.now = deps.now ?? Date.now;
    this.tracker = new CallTracker({ now: this.now });
    const replyTimeoutMs = deps.profile.commandTimeoutMs;
    this.channel = connection.transport;
    this.transport =
      connection.transport === 'http'
        ? createHttpTransport({ host: connection.host, port: connection.port, replyTimeoutMs })
        : createTcpTransport({
            host: connection.host,
            port: connection.port,
            connectTimeoutMs: Math.min(CONNECT_TIMEOUT_MS, replyTimeoutMs),
            replyTimeoutMs,
            endOfPdu: connection.endOfPdu,
            halfClose: connection.halfClose,
          });
  }

  setListeners(l: ConnectorListeners): void {
    this.listeners = l;
  }

  pbxLinkUp(): boolean {
    return this.linkUp;
  }

  private get device(): string {
    return this.profile.device;
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    if (this.stopping) await this.stopping;
    if (this.conn.events === 'longPoll' && this.conn.transport !== 'http') {
      throw new CtiError('invalid', 'TelServices long-poll events need the http transport (the manual allows resultOnEvent over HTTP only)');
    }
    if (this.conn.events === 'udp' && !this.udp) {
      this.udp = await startUdpListener({
        bindAddress: this.conn.udpBind,
        port: this.conn.udpPort,
        serverHost: this.conn.host,
        endOfPdu: this.conn.endOfPdu,
        log: this.log,
        trace: this.trace,
        onEvent: (ev) => this.onTelEvent(ev),
      });
    }
    const open: TelRequest = {
      op: 'openSession',
      deviceNumber: this.device,
      ...(this.udp ? { eventUDPPort: this.udp.port } : {}),
      eventUpdate: this.conn.eventUpdate,
      ...(this.profile.agentId ? { userID: this.profile.agentId } : {}),
      ...(this.password ? { userPassword: this.password } : {}),
      ...(this.conn.sessionTimeoutSec > 0 ? { sessionTimeout: this.conn.sessionTimeoutSec } : {}),
    };
    expectOk(await this.request(open), 'openSession');
    this.sessionOpen = true;
    this.linkUp = true;
    if (this.conn.events === 'longPoll') this.startLongPoll();
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.poll?.controller.abort();
    this.poll = null;
    const udp = this.udp;
    this.udp = null;
    const wasOpen = this.sessionOpen;
    this.sessionOpen = false;
    this.stopping = (async () => {
      if (wasOpen) {
        try {
          // Best effort and not queued: a hung request must not keep the session from closing.
          const reply = await exchange(
            this.transport,
            { op: 'closeSession', deviceNumber: this.device },
            this.trace,
            this.channel,
            { replyTimeoutMs: CLOSE_SESSION_TIMEOUT_MS },
          );
          if (reply.kind !== 'standard') this.log.debug({ reply }, 'TelServices: closeSession not accepted');
        } catch (err) {
          this.log.debug({ err }, 'TelServices: closeSession failed');
        }
      }
      try {
        await udp?.close();
      } catch (err) {
        this.log.debug({ err }, 'TelServices: UDP close failed');
      }
    })().finally(() => {
      this.stopping = null;
    });
    return this.stopping;
  }

  // ------------------------------------------------------------ state

  async snapshot(): Promise<SnapshotEvent> {
    let snap = await this.fetchSnapshot();
    if (!snap.agent && this.profile.agentId) {
      // A snapshot carries <agent> only while the agent is logged on; ask, so the desktop can offer log-on.
      const reply = await this.request({ op: 'queryAgentState', deviceNumber: this.device }).catch(() => null);
      if (reply?.kind === 'agent') snap = { ...snap, agent: reply.agent };
    }
    this.absorbSnapshot(snap, false);
    return this.snapshotEvent();
  }

  async keepAlive(): Promise<KeepAliveResult> {
    // noOpenSession maps to CtiError('sessionLost'): the server forgot us; the supervisor reconnects.
    let snap = await this.fetchSnapshot();
    if (!this.inStep(snap)) {
      // A datagram may still be on its way: look again after it had time to land, and count
      // only what is still different then.
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      snap = await this.fetchSnapshot();
    }
    const missedEvents = this.absorbSnapshot(snap, false);
    return { missedEvents, pbxLinkUp: this.linkUp, ...(missedEvents > 0 ? { snapshot: this.snapshotEvent() } : {}) };
  }

  private inStep(snap: TelSnapshot): boolean {
    if (snap.calls && !this.tracker.matches(this.device, snap.calls)) return false;
    return !snap.agent || this.agent?.state === mapAgentState(snap.agent.state);
  }

  private async fetchSnapshot(extra: Partial<Extract<TelRequest, { op: 'snapshot' }>> = {}, opts: RequestOptions = {}, queued = true): Promise<TelSnapshot> {
    const req: TelRequest = { op: 'snapshot', deviceNumber: this.device, ...extra };
    const reply = queued ? await this.request(req, opts) : await exchange(this.transport, req, this.trace, this.channel, opts);
    const ok = expectOk(reply, 'snapshot');
    if (ok.kind !== 'snapshot') throw new CtiError('protocol', `snapshot: TelServer answered <${ok.kind}> instead of <snapshot>`);
    return ok.snapshot;
  }

  private snapshotEvent(): SnapshotEvent {
    return {
      type: 'snapshot',
      at: this.now(),
      calls: this.tracker.calls(),
      agent: this.agent,
      features: { ...this.features, forwards: [...this.features.forwards] },
    };
  }

  /**
   * Fold a snapshot into the connector's state; returns how many things differed from what the
   * events had built (the keep-alive's missedEvents). With `emit`, the differences go out as events
   * (the long-poll feed); otherwise the caller emits a SnapshotEvent.
   */
  private absorbSnapshot(snap: TelSnapshot, emit: boolean): number {
    let differences = 0;
    const out: CtiEvent[] = [];
    if (snap.calls) {
      const evs: CallTrackerEvent[] = this.tracker.reconcile(this.device, snap.calls);
      // A snapshot image lacks what only a transition carries (its cause, say): a detail that
      // differs is refreshed, but only a call that appeared, ended or changed state was missed.
      differences += evs.filter((e) => e.type === 'callEnded' || (e.change !== 'updated' && e.change !== 'dataUpdated')).length;
      out.push(...evs);
    }
    if (snap.agent) {
      const agent = this.mapTelAgent(snap.agent);
      // A wrap-up countdown moves on between the event and the snapshot: refresh it, but only a
      // different state means an agent event was lost.
      if (!this.agent || this.agent.state !== agent.state) differences += 1;
      if (!this.agent || this.agent.state !== agent.state || this.agent.timeoutSec !== agent.timeoutSec) {
        this.agent = agent;
        out.push({ type: 'agent', agent });
      }
    }
    const features: Partial<DeviceFeatures> = {};
    if (snap.forwards) {
      const forwards = mapForwards(snap.forwards);
      if (JSON.stringify(forwards) !== JSON.stringify(this.features.forwards)) features.forwards = forwards;
    }
    if (snap.doNotDisturb && (snap.doNotDisturb === 'on') !== this.features.dnd) features.dnd = snap.doNotDisturb === 'on';
    if (snap.msgWaiting && (snap.msgWaiting === 'on') !== this.features.messageWaiting) features.messageWaiting = snap.msgWaiting === 'on';
    if (Object.keys(features).length > 0) {
      differences += Object.keys(features).length;
      this.features = { ...this.features, ...features };
      out.push({ type: 'features', features });
    }
    if (differences > 0 && !emit) {
      // What the keep-alive found that no event had reported: the first thing to read when a
      // site sees "events were lost" (a firewall dropping UDP, say).
      this.log.info(
        {
          calls: out.flatMap((e) => (e.type === 'call' ? [`${e.change}:${e.call.state}`] : e.type === 'callEnded' ? ['ended'] : [])),
          agent: out.some((e) => e.type === 'agent') ? this.agent?.state : undefined,
          features: Object.keys(features),
        },
        'TelServices: the snapshot differs from the events',
      );
    }
    if (snap.snapshotSeq !== undefined) this.snapshotSeq = snap.snapshotSeq;
    if (snap.session) this.onSession(snap.session);
    if (emit) for (const e of out) this.emit(e);
    return differences;
  }

  // ------------------------------------------------------------ events

  private emit(e: CtiEvent): void {
    try {
      this.listeners?.event(e);
    } catch (err) {
      this.log.error({ err, type: e.type }, 'TelServices: event listener failed');
    }
  }

  private notice(level: 'info' | 'warning' | 'error', code: string, message: string): void {
    this.emit({ type: 'notice', level, code, message, at: this.now() });
  }

  private onTelEvent(ev: TelEvent): void {
    if (ev.deviceNumber !== undefined && ev.deviceNumber !== this.device) {
      this.log.warn({ device: ev.deviceNumber }, 'TelServices: ignored an event for another device');
      return;
    }
    const body = ev.event;
    switch (body.kind) {
      case 'call':
        for (const e of this.tracker.apply(this.device, body.call)) this.emit(e);
        return;
      case 'agent':
        this.agent = this.mapTelAgent(body.agent);
        this.emit({ type: 'agent', agent: this.agent });
        return;
      case 'forward':
        this.features = { ...this.features, forwards: applyForwardEvent(this.features.forwards, body.forward) };
        this.emit({ type: 'features', features: { forwards: [...this.features.forwards] } });
        return;
      case 'doNotDisturb':
        this.features = { ...this.features, dnd: body.state === 'on' };
        this.emit({ type: 'features', features: { dnd: this.features.dnd } });
        return;
      case 'msgWaiting':
        this.features = { ...this.features, messageWaiting: body.state === 'on' };
        this.emit({ type: 'features', features: { messageWaiting: this.features.messageWaiting } });
        return;
      case 'session':
        this.onSession(body.session);
        return;
    }
  }

  private onSession(session: TelSnapshot['session'] & string): void {
    if (session === 'pbxlinkOutOfService' || session === 'pbxlinkInService') {
      const up = session === 'pbxlinkInService';
      if (up === this.linkUp) return;
      this.linkUp = up;
      if (up) this.notice('info', 'pbxLinkUp', 'TelServer reports its PBX link back in service (pbxlinkInService)');
      else this.notice('warning', 'pbxLinkDown', 'TelServer reports its PBX link out of service (pbxlinkOutOfService); calls cannot be controlled');
      return;
    }
    // sessionClosedByAdmin / ByTimeout / ByMonitoringReject / ByClient: the session is gone.
    if (!this.sessionOpen) return;
    this.sessionOpen = false;
    this.poll?.controller.abort();
    this.poll = null;
    this.notice('warning', 'sessionClosed', `TelServer closed the session (${session})`);
    this.listeners?.lost(new CtiError('sessionLost', `TelServer closed the session (${session})`, session));
  }

  private mapTelAgent(info: TelAgentInfo): AgentInfo {
    this.telAgent = info;
    return mapAgent(info, { prev: this.agent, now: this.now(), agentId: this.profile.agentId, localReason: this.localReason });
  }

  // ------------------------------------------------------------ long-poll

  private startLongPoll(): void {
    this.poll?.controller.abort();
    const poll = { controller: new AbortController() };
    this.poll = poll;
    void this.longPollLoop(poll);
  }

  /** HTTP event feed: snapshot with resultOnEvent, answered on a change or after the timeout. */
  private async longPollLoop(poll: { controller: AbortController }): Promise<void> {
    const signal = poll.controller.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const snap = await this.fetchSnapshot(
          { resultOnEvent: { timeout: LONG_POLL_TIMEOUT_SEC, snapshotSeq: this.snapshotSeq } },
          { replyTimeoutMs: LONG_POLL_TIMEOUT_SEC * 1000 + LONG_POLL_GRACE_MS, signal },
          false, // not queued: it waits for server events and must not hold up commands
        );
        if (signal.aborted) return;
        failures = 0;
        this.absorbSnapshot(snap, true);
      } catch (err) {
        if (signal.aborted) return;
        const e = CtiError.from(err);
        failures += 1;
        this.log.warn({ code: e.code, err: e.message, failures }, 'TelServices: long-poll failed');
        if (e.code === 'sessionLost' || failures >= LONG_POLL_MAX_FAILURES) {
          if (this.poll === poll) this.poll = null;
          this.sessionOpen = false;
          this.listeners?.lost(e);
          return;
        }
        await abortableDelay(250 * 2 ** failures, signal);
      }
    }
  }

  // ------------------------------------------------------------ requests and commands

  private request(req: TelRequest, opts: RequestOptions = {}): Promise<TelReply> {
    const run = () => exchange(this.transport, req, this.trace, this.channel, opts);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async call(req: TelRequest): Promise<Exclude<TelReply, { kind: 'error' | 'unknownError' }>> {
    return expectOk(await this.request(req), req.op);
  }

  async execute(cmd: Command): Promise<void> {
    if (!this.capabilities.has(cmd.kind)) {
      throw new CtiError('unsupported', `${unsupportedWhy[cmd.kind] ?? `TelServices does not support ${cmd.kind}`}`);
    }
    const deviceNumber = this.device;
    switch (cmd.kind) {
      case 'makeCall':
        await this.call({ op: 'makeCall', deviceNumber, calledDeviceNumber: dialString(cmd.to), ...extraData(cmd.data) });
        return;
      case 'answer': {
        const leg = this.leg(cmd.callId);
        const alerting = this.tracker.calls().filter((c) => c.state === 'alerting').length;
        const number = usableNumber(leg.call);
        await this.call({ op: 'answerCall', deviceNumber, ...(alerting > 1 && number ? { callingNumber: number } : {}) });
        return;
      }
      case 'clear':
        await this.call({ op: 'dropCall', deviceNumber, ...this.otherNumber(cmd.callId) });
        return;
      case 'hold':
        await this.call({ op: 'holdCall', deviceNumber, ...this.otherNumber(cmd.callId) });
        return;
      case 'retrieve':
        await this.call({ op: 'retrieveCall', deviceNumber, ...this.otherNumber(cmd.callId) });
        return;
      case 'consult':
        await this.call({
          op: 'consultationCall',
          deviceNumber,
          ...this.otherNumber(cmd.callId),
          consultedDeviceNumber: dialString(cmd.to),
          ...extraData(cmd.data),
        });
        return;
      case 'transfer':
        if (cmd.to !== undefined) {
          // Blind (single-step) transfer: divertCall of a connected call (L420).
          await this.call({ op: 'divertCall', deviceNumber, ...this.otherNumber(cmd.callId), divertedDeviceNumber: dialString(cmd.to) });
        } else {
          await this.call({ op: 'transferCall', deviceNumber, ...this.pairNumbers(cmd.callId) });
        }
        return;
      case 'alternate':
        await this.call({ op: 'alternateCall', deviceNumber, ...this.pairNumbers(cmd.callId) });
        return;
      case 'conference':
        await this.call({ op: 'conferenceCall', deviceNumber, ...this.pairNumbers(cmd.callId) });
        return;
      case 'reconnect':
        await this.call({ op: 'reconnectCall', deviceNumber, ...this.pairNumbers(cmd.callId) });
        return;
      case 'redirect':
        await this.call({ op: 'divertCall', deviceNumber, ...this.otherNumber(cmd.callId), divertedDeviceNumber: dialString(cmd.to) });
        return;
      case 'addParty':
        await this.call({ op: 'addPartyToCall', deviceNumber, ...this.otherNumber(cmd.callId), addedDeviceNumber: dialString(cmd.to) });
        return;
      case 'setAgentState': {
        const state = toTelAgentState(cmd.state);
        if (!state) throw new CtiError('invalid', `the agent state ${cmd.state} cannot be requested (TelServer sets it by itself)`);
        await this.call({ op: 'agentState', deviceNumber, state });
        // TelServices has no reason codes (L308): the reason is kept locally and shown with the state.
        this.localReason = cmd.state === 'notReady' ? cmd.reason : undefined;
        if (this.agent && this.agent.state === 'notReady' && this.localReason !== this.agent.reason) {
          this.agent = { ...this.agent, ...(this.localReason ? { reason: this.localReason } : {}) };
          if (!this.localReason) delete this.agent.reason;
          this.emit({ type: 'agent', agent: this.agent });
        }
        return;
      }
      case 'setForward': {
        if (cmd.on && !cmd.to) throw new CtiError('invalid', 'a forward needs a destination number');
        const current = this.features.forwards.find((f) => f.type === cmd.type);
        const number = cmd.to ? dialString(cmd.to) : (current?.to ?? '');
        await this.call({ op: 'forward', deviceNumber, info: { number, type: cmd.type, state: cmd.on ? 'on' : 'off' } });
        return;
      }
      case 'setDnd':
        await this.call({ op: 'doNotDisturb', deviceNumber, state: cmd.on ? 'on' : 'off' });
        return;
      case 'snapshot':
        this.emit(await this.snapshot());
        return;
      default:
        throw new CtiError('unsupported', `TelServices does not support ${cmd.kind}`);
    }
  }

  private leg(callId: string) {
    const leg = this.tracker.locate(callId);
    if (!leg) throw new CtiError('noCall', `no such call ${callId} on ${this.device}`);
    return leg;
  }

  /**
   * otherNumber names the call when the device has several; with a single call the server
   * knows which one, and the manual's examples leave it out.
   */
  private otherNumber(callId: string): { otherNumber?: string } {
    const number = usableNumber(this.leg(callId).call);
    return this.tracker.calls().length > 1 && number ? { otherNumber: number } : {};
  }

  /** primOtherNumber (the held leg) and secOtherNumber (the active leg) for two-call services. */
  private pairNumbers(callId: string): { primOtherNumber?: string; secOtherNumber?: string } {
    const leg = this.leg(callId);
    const all = this.tracker.calls();
    if (all.length <= 2) return {};
    const partner = leg.siblings[0] ?? all.find((c) => c.id !== callId && (c.state === 'held') !== (leg.call.state === 'held'));
    if (!partner) return {};
    const [held, active] = leg.call.state === 'held' ? [leg.call, partner] : [partner, leg.call];
    const prim = usableNumber(held);
    const sec = usableNumber(active);
    return { ...(prim ? { primOtherNumber: prim } : {}), ...(sec ? { secOtherNumber: sec } : {}) };
  }

  // ------------------------------------------------------------ queries

  async query(q: Query): Promise<QueryResult> {
    switch (q.kind) {
      case 'directory':
        return this.searchDirectory(q.text, q.limit);
      case 'vendorHistory':
        return this.history(q);
      case 'queues':
        return this.queues();
    }
  }

  private who(): { userID: string } | { deviceNumber: string } {
    return this.profile.agentId ? { userID: this.profile.agentId } : { deviceNumber: this.device };
  }

  private async searchDirectory(text: string, limit: number): Promise<DirectoryEntry[]> {
    const parties: TelParty[] = [];
    const byName = await this.call({ op: 'searchName', ...this.who(), name: text, limit });
    if (byName.kind === 'searchDirectory') parties.push(...byName.parties);
    if (looksLikeNumber(text)) {
      const byNumber = await this.call({ op: 'searchNumber', ...this.who(), number: dialString(text) });
      if (byNumber.kind === 'searchDirectory') parties.unshift(...byNumber.parties);
    }
    const seen = new Set<string>();
    const out: DirectoryEntry[] = [];
    for (const p of parties) {
      const key = `${p.number}\u0000${p.name ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        number: p.number.slice(0, 64),
        name: (p.name ?? p.number).slice(0, 256),
        ...(p.company !== undefined ? { company: p.company.slice(0, 256) } : {}),
        ...(p.numberType !== undefined ? { numberType: p.numberType } : {}),
      });
    }
    return out.slice(0, limit);
  }

  private async history(q: Extract<Query, { kind: 'vendorHistory' }>): Promise<CallLogRow[]> {
    const reply = await this.call({
      op: 'queryHistory',
      deviceNumber: this.device,
      ...(this.profile.agentId ? { userID: this.profile.agentId } : {}),
      ...(q.since ? { startDate: q.since } : {}),
      ...(q.text ? { search: q.text } : {}),
      limit: q.limit,
    });
    if (reply.kind !== 'history') return [];
    return historyRows(reply.records, this.profile.id, this.device);
  }

  private async queues(): Promise<QueueStats[]> {
    let agent = this.telAgent;
    if (!agent) {
      const reply = await this.request({ op: 'queryAgentState', deviceNumber: this.device });
      if (reply.kind === 'agent') agent = reply.agent;
    }
    const out: QueueStats[] = [];
    for (const service of agent?.inboundServices ?? []) {
      const stats = await this.call({ op: 'queryRoutingPointStatistics', service, type: 'snapshot' });
      const stateReply = await this.request({ op: 'queryRoutingPointState', service });
      const q: QueueStats = { id: service.slice(0, 128), name: service.slice(0, 256), agents: [] };
      if (stateReply.kind === 'routingPointState') q.state = stateReply.state;
      if (stats.kind === 'routingPointStatistics' && stats.statistics.type === 'snapshot') {
        const c = stats.statistics.counters;
        const set = (key: 'queuedCalls' | 'agentsReady' | 'agentsBusy' | 'agentsNotReady' | 'agentsLoggedOff', v: string | undefined) => {
          const n = v === undefined ? NaN : Number(v);
          if (Number.isInteger(n) && n >= 0) q[key] = n;
        };
        set('queuedCalls', c.queuedCallsCount);
        set('agentsReady', c.readyAvailableAgentsCount);
        set('agentsBusy', c.busyOrWorkingAfterCallAgentsCount);
        set('agentsNotReady', c.notReadyOrDirectCallAgentsCount);
        set('agentsLoggedOff', c.loggedOffOrClosedAgentsCount);
        q.agents = (stats.statistics.agents ?? []).slice(0, 2000).map((a) => ({
          device: a.deviceNumber,
          ...(a.userID !== undefined ? { agentId: a.userID } : {}),
          state: a.agentState ? mapAgentState(a.agentState) : 'unknown',
        }));
      }
      out.push(q);
    }
    return out;
  }
}

// ---------------------------------------------------------------- helpers

/** TelServer dials what it is given (L541): strip the separators people type. */
function dialString(to: string): string {
  return to.replace(/[\s().-]/g, '');
}

function looksLikeNumber(text: string): boolean {
  return /^\+?[0-9][0-9\s().-]*$/.test(text.trim());
}

/** A remote number the server will recognise: not empty, not TelServer's withheld placeholder. */
function usableNumber(call: Call): string | undefined {
  return call.remote.number !== '' && !call.remote.withheld ? call.remote.number : undefined;
}

/**
 * Normalized call data → TelServices extraData (one opaque string). An `extraData` key is sent
 * as is; other keys are sent as a query string, which stays ASCII-safe on every PBX.
 */
function extraData(data: Record<string, string> | undefined): { extraData?: string } {
  if (!data || Object.keys(data).length === 0) return {};
  if (data.extraData !== undefined) return { extraData: data.extraData };
  return { extraData: new URLSearchParams(data).toString() };
}

async function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * TelServices history records → call-log rows (source 'pbx'). Ids are derived from date, time and
 * number so the same record always gets the same id; same-second duplicates get a suffix.
 * Dates are read as local time (the manual gives no zone). Agent-state records are skipped.
 */
export function historyRows(records: readonly TelHistoryRecord[], profileId: string, device: string): CallLogRow[] {
  const rows: CallLogRow[] = [];
  const used = new Map<string, number>();
  for (const r of records) {
    if (!r.otherParty) continue;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(r.creationDate);
    const t = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(r.creationTime);
    if (!m || !t) continue;
    const startedAt = new Date(+m[1]!, +m[2]! - 1, +m[3]!, +t[1]!, +t[2]!, +t[3]!).getTime();
    const base = `ts-pbx:${r.deviceNumber ?? device}:${r.creationDate}T${r.creationTime}:${r.otherParty.number}`;
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    const alerting = r.alertingDuration ?? 0;
    const duration = r.duration ?? 0;
    const outbound = r.isOutgoing === true;
    const row: CallLogRow = {
      id: n === 0 ? base : `${base}#${n}`,
      profileId,
      device: r.deviceNumber ?? device,
      direction: outbound ? 'outbound' : 'inbound',
      remoteNumber: r.otherParty.number,
      startedAt,
      endedAt: startedAt + (alerting + duration) * 1000,
      durationSec: duration,
      outcome: r.isConnected ? 'answered' : outbound ? 'failed' : 'missed',
      data: {},
      source: 'pbx',
    };
    if (r.otherParty.name !== undefined) row.remoteName = r.otherParty.name;
    if (r.otherParty.company !== undefined) row.remoteCompany = r.otherParty.company;
    if (r.isConnected) row.answeredAt = startedAt + alerting * 1000;
    if (r.cause !== undefined) row.cause = r.cause;
    rows.push(row);
  }
  return rows;
}
