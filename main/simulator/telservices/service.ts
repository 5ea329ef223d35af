// The TelServices gateway logic over the PBX core: request handling (errors in the digest's §3.2 order),
// sessions, and the fan-out of core events as <TelServiceEvent>s. Transport-free: the server feeds it
// request text and gives it a datagram sender.
import type { Logger } from '../../core/log.js';
import type { Pbx } from '../pbx/pbx.js';
import { PbxError, type PbxEvent, type HistoryRecord } from '../pbx/types.js';
import { CallViews, type CallObject } from './call-view.js';
import { defaultTelServicesConfig, type TelServicesConfig } from './config.js';
import { TelServicesEncoder, errorReply, eventEnvelope, formatDate, hms, resultReply, standardResult, formatTimestamp } from './encode.js';
import { RejectError, decodeRequest, deviceOf, type RoutingPointConfigInput, type TelServicesRequest } from './requests.js';
import { SessionTable, type Registration, type Session, type SessionNotice } from './sessions.js';
import { choice, el, leaf, parseXml, XmlError } from './xml.js';

export interface RequestContext {
  ip: string;
  transport: 'tcp' | 'http';
  /** Resolves when the client connection goes away (ends a long-poll early). */
  closed?: Promise<void>;
}

export type DatagramSender = (ip: string, port: number, payload: string) => void;

/** Operations that need an open session (the manual: "This service requires an opened session."). */
const sessionOps = new Set<TelServicesRequest['op']>([
  'addPartyToCall',
  'agentState',
  'alternateCall',
  'answerCall',
  'conferenceCall',
  'consultationCall',
  'divertCall',
  'dropCall',
  'holdCall',
  'qualifyCall',
  'queryAgentState',
  'reconnectCall',
  'retrieveCall',
  'snapshot',
  'transferCall',
]);

/** Operations that go to the PBX and fail while its link is down (digest §3.2 step 3). */
const pbxOps = new Set<TelServicesRequest['op']>([
  'openSession',
  'addPartyToCall',
  'agentState',
  'alternateCall',
  'answerCall',
  'conferenceCall',
  'consultationCall',
  'divertCall',
  'dropCall',
  'holdCall',
  'makeCall',
  'reconnectCall',
  'retrieveCall',
  'transferCall',
  'doNotDisturb',
  'forward',
]);

class ErrorReply extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

export class TelServicesService {
  readonly config: TelServicesConfig;
  readonly sessions: SessionTable;
  private readonly views = new CallViews();
  private readonly encoder: TelServicesEncoder;
  private readonly unsubscribe: () => void;
  /** Devices that passed administrator authentication once (digest §2.3). */
  private readonly authenticatedDevices = new Set<string>();
  private outbox: Array<() => void> = [];
  private outboxTimer: NodeJS.Immediate | undefined;
  private readonly pendingTimeouts = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly pbx: Pbx,
    config: Partial<TelServicesConfig>,
    private readonly send: DatagramSender,
    private readonly log: Logger,
  ) {
    this.config = { ...defaultTelServicesConfig(), ...config };
    this.sessions = new SessionTable(pbx.clock, () => pbx.msPerSecond, {
      notify: (session, reg, notice) => this.sendEvent(session, reg, eventEnvelope(session.device, el('session', `<${notice}/>`)), 'session'),
    });
    this.encoder = new TelServicesEncoder(pbx, this.config, (device) => this.userIDsOf(device));
    this.unsubscribe = pbx.subscribe((e) => this.onPbxEvent(e));
  }

  dispose(): void {
    this.unsubscribe();
    this.sessions.dispose();
    if (this.outboxTimer) clearImmediate(this.outboxTimer);
    this.outbox = [];
    for (const t of this.pendingTimeouts) clearTimeout(t);
    this.pendingTimeouts.clear();
  }

  /** Forget every session and call image silently, as a restarted server would. */
  forgetSessions(): void {
    this.sessions.clear();
  }

  /** The PBX was reset: its call ids start again, so do the per-device call ids. */
  resetViews(): void {
    this.views.reset();
    this.sessions.clear();
    this.authenticatedDevices.clear();
  }

  /** Administrator close of a device's session (digest §2.5). */
  adminClose(device: string): boolean {
    return this.sessions.closeAll(device, 'sessionClosedByAdmin');
  }

  // ---------------------------------------------------------------- requests

  /** Handle one request document; always resolves to a reply (never throws). */
  async handle(text: string, ctx: RequestContext): Promise<string> {
    let req: TelServicesRequest;
    try {
      req = decodeRequest(parseXml(text, { strict: this.config.strict }));
    } catch (err) {
      if (err instanceof XmlError || err instanceof RejectError) {
        this.log.info({ reason: err.message, ip: ctx.ip }, 'telservices: request rejected');
        return errorReply('reject');
      }
      this.log.error({ err }, 'telservices: decoding failed');
      return errorReply('reject');
    }
    try {
      return await this.execute(req, ctx);
    } catch (err) {
      if (err instanceof ErrorReply) return errorReply(err.error);
      if (err instanceof RejectError) return errorReply('reject');
      if (err instanceof PbxError) return errorReply(err.code === 'noCall' ? 'noCall' : 'pbxReject');
      this.log.error({ err, op: req.op }, 'telservices: request failed');
      return errorReply('resourceError');
    }
  }

  private async execute(req: TelServicesRequest, ctx: RequestContext): Promise<string> {
    const device = deviceOf(req);
    if (device !== undefined) this.sessions.touch(device, ctx.ip);
    if (sessionOps.has(req.op) && device !== undefined) {
      const session = this.sessions.get(device);
      if (!session) throw new ErrorReply('noOpenSession');
      // startPbxMonitor=false: monitoring starts with the first request that needs the session (digest §2.2).
      session.monitoring = true;
    }
    if (pbxOps.has(req.op) && !this.pbx.linkUp) throw new ErrorReply('pbxlinkOutOfService');
    const fault = this.pbx.faults.takeRequestFault(req.op);
    if (fault) {
      if (fault.error === 'pbxTimeout') await this.delay(this.config.pbxTimeoutMs);
      throw new ErrorReply(fault.error);
    }
    return this.run(req, ctx);
  }

  private run(req: TelServicesRequest, ctx: RequestContext): string | Promise<string> {
    const pbx = this.pbx;
    switch (req.op) {
      case 'openSession':
        return this.openSession(req, ctx);
      case 'closeSession': {
        const ok = this.sessions.close(req.deviceNumber, ctx.ip, { clientOnly: req.clientOnly, delaySec: req.actualCloseSessionTimeout, udpPort: req.eventUDPPort });
        if (!ok) throw new ErrorReply('noOpenSession');
        return standardResult;
      }
      case 'makeCall':
        pbx.makeCall(req.deviceNumber, req.calledDeviceNumber, { extraData: req.extraData });
        return standardResult;
      case 'answerCall':
        pbx.answer(req.deviceNumber, { callingNumber: req.callingNumber });
        return standardResult;
      case 'dropCall':
        this.requireDevice(req.deviceNumber);
        pbx.drop(req.deviceNumber, { otherNumber: req.otherNumber });
        return standardResult;
      case 'holdCall':
        pbx.hold(req.deviceNumber, { otherNumber: req.otherNumber });
        return standardResult;
      case 'retrieveCall':
        pbx.retrieve(req.deviceNumber, { otherNumber: req.otherNumber });
        return standardResult;
      case 'consultationCall':
        pbx.consult(req.deviceNumber, req.consultedDeviceNumber, { otherNumber: req.otherNumber, extraData: req.extraData });
        return standardResult;
      case 'reconnectCall':
        pbx.reconnect(req.deviceNumber, req);
        return standardResult;
      case 'alternateCall':
        pbx.alternate(req.deviceNumber, req);
        return standardResult;
      case 'transferCall':
        pbx.transfer(req.deviceNumber, req);
        return standardResult;
      case 'conferenceCall':
        pbx.conference(req.deviceNumber, req);
        return standardResult;
      case 'addPartyToCall':
        pbx.addParty(req.deviceNumber, req.addedDeviceNumber, { otherNumber: req.otherNumber, extraData: req.extraData });
        return standardResult;
      case 'divertCall':
        pbx.divert(req.deviceNumber, req.divertedDeviceNumber, { otherNumber: req.otherNumber, extraData: req.extraData });
        return standardResult;
      case 'qualifyCall':
        return this.qualifyCall(req);
      case 'agentState': {
        const creds = this.credentialsOf(req.deviceNumber, ctx.ip);
        pbx.setAgentState(req.deviceNumber, req.state, { userID: creds?.userID, password: creds?.password });
        return standardResult;
      }
      case 'queryAgentState': {
        const agent = pbx.agent(req.deviceNumber);
        return resultReply(agent ? this.encoder.agentInfo('agent', agent) : this.encoder.nullAgent('agent'));
      }
      case 'doNotDisturb':
        pbx.setDnd(req.deviceNumber, req.on);
        return standardResult;
      case 'forward':
        pbx.setForward(req.deviceNumber, { type: req.type, number: req.number, on: req.on });
        return standardResult;
      case 'queryDoNotDisturb':
        return resultReply(this.encoder.onOff('doNotDisturb', pbx.dnd(req.deviceNumber)));
      case 'queryMsgWaiting':
        return resultReply(this.encoder.onOff('msgWaiting', pbx.mwi(req.deviceNumber)));
      case 'queryForward':
        return resultReply(this.encoder.forwards(pbx.forwards(req.deviceNumber)));
      case 'snapshot':
        return this.snapshot(req, ctx);
      case 'queryHistory':
        return resultReply(this.history(req));
      case 'queryUserStatistics':
        return resultReply(this.userStatistics(req));
      case 'searchName': {
        const found = pbx.directory.searchName(req.name, this.searchScope(req), req.limit);
        return resultReply(el('searchDirectory', ...found.map((e) => this.encoder.directoryParty(e))));
      }
      case 'searchNumber': {
        const found = pbx.directory.searchNumber(req.number, this.searchScope(req));
        return resultReply(el('searchDirectory', ...found.map((e) => this.encoder.directoryParty(e))));
      }
      case 'updateUserDirectory':
        pbx.directory.replaceUserDirectory(req.userID, req.directoryName, req.parties);
        return standardResult;
      case 'updateDirectory':
        // Nothing to synchronize from: a configured directory is accepted, any other name rejected.
        if (!this.config.configuredDirectories.includes(req.directoryName)) throw new RejectError(`no directory ${req.directoryName}`);
        return standardResult;
      case 'queryRoutingPointState': {
        const state = pbx.queueState(req.service);
        if (!state) throw new RejectError(`no routing point ${req.service}`);
        return resultReply(choice('routingPointState', state));
      }
      case 'queryRoutingPointStatistics':
        return resultReply(this.routingPointStatistics(req.service, req.type));
      case 'startRoutingPoint':
      case 'updateRoutingPoint':
        return this.routingPointCommand(req.op, req.service, req.config);
      case 'stopRoutingPoint':
      case 'suspendRoutingPoint':
      case 'resumeRoutingPoint':
        return this.routingPointCommand(req.op, req.service, {});
    }
  }

  private openSession(req: Extract<TelServicesRequest, { op: 'openSession' }>, ctx: RequestContext): string {
    const { users, enabled } = this.config.adminAuth;
    if (enabled && !this.authenticatedDevices.has(req.deviceNumber)) {
      // The first open of a device must authenticate; later ones succeed without credentials (L215).
      const ok = req.userID !== undefined && users[req.userID] !== undefined && users[req.userID] === req.userPassword;
      if (!ok) throw new ErrorReply('invalidCredentials');
      this.authenticatedDevices.add(req.deviceNumber);
    }
    const existing = this.sessions.get(req.deviceNumber);
    if (!existing && this.sessions.count >= this.config.maxSessions) throw new ErrorReply('sessionLimitExceeded');
    if (!this.pbx.isDevice(req.deviceNumber)) {
      if (this.config.monitorRejectSync) throw new ErrorReply('pbxReject');
      // The monitor result comes after the reply (digest §2.2): standard now, then the reject event.
      if (req.eventUDPPort !== undefined) {
        const port = req.eventUDPPort;
        const payload = eventEnvelope(req.deviceNumber, el('session', '<sessionClosedByMonitoringReject/>'));
        this.defer(() => this.transmit(ctx.ip, port, payload));
      }
      return standardResult;
    }
    this.sessions.open(
      req.deviceNumber,
      {
        ip: ctx.ip,
        udpPort: req.eventUDPPort,
        transport: ctx.transport,
        level: req.eventUpdate,
        timeoutSec: req.sessionTimeout,
        userID: req.userID,
        password: req.userPassword,
      },
      req.startPbxMonitor,
    );
    return standardResult;
  }

  private qualifyCall(req: Extract<TelServicesRequest, { op: 'qualifyCall' }>): string {
    const alerting = this.pbx.legsOf(req.deviceNumber).find(({ leg }) => leg.state === 'alerting');
    if (!alerting) throw new ErrorReply('noCall');
    const caller = this.encoder.callerNumberAndName(req.deviceNumber, alerting.call, alerting.leg);
    if (req.answerCall && this.config.qualifyAutoAnswerAllowed) {
      if (!this.pbx.linkUp) throw new ErrorReply('pbxlinkOutOfService');
      this.pbx.answer(req.deviceNumber, { callingNumber: alerting.leg.peer });
    }
    return resultReply(el('qualifyCall', leaf('number', caller.number), req.needName && caller.name !== undefined && leaf('name', caller.name)));
  }

  private async snapshot(req: Extract<TelServicesRequest, { op: 'snapshot' }>, ctx: RequestContext): Promise<string> {
    const session = this.sessions.get(req.deviceNumber) as Session;
    const roe = req.resultOnEvent;
    if (roe && ctx.transport === 'tcp' && this.config.strict) throw new RejectError('resultOnEvent is for HTTP clients only');
    if (roe && ctx.transport === 'http' && roe.timeout > 0 && roe.snapshotSeq >= session.seq) {
      await this.waitForChange(session, roe.timeout * this.pbx.msPerSecond, ctx.closed);
    }
    const sinceSeq = roe?.snapshotSeq ?? Number.MAX_SAFE_INTEGER;
    return resultReply(this.snapshotBody(req.deviceNumber, session, ctx.transport === 'http', sinceSeq));
  }

  private snapshotBody(device: string, session: Session, http: boolean, sinceSeq: number): string {
    const agent = this.pbx.agent(device);
    const showNotice = http && session.notice !== undefined && session.notice.seq > sinceSeq;
    const live = !session.closed;
    return el(
      'snapshot',
      http && leaf('snapshotSeq', session.seq),
      el('calls', ...(live ? this.views.objects(device).map((o) => this.encoder.callElement(device, o)) : [])),
      this.encoder.forwards(this.pbx.forwards(device)),
      this.encoder.onOff('msgWaiting', this.pbx.mwi(device)),
      this.encoder.onOff('doNotDisturb', this.pbx.dnd(device)),
      // Snapshot Example 2 shows 1101 (an agent elsewhere in the manual) without <agent>, "agent state is not
      // managed": the element is present only while the agent is logged on. queryAgentState always answers.
      agent !== undefined && agent.state !== 'loggedOff' && this.encoder.agentInfo('agent', agent),
      showNotice && session.notice !== undefined && el('session', `<${session.notice.value}/>`),
    );
  }

  private waitForChange(session: Session, ms: number, closed: Promise<void> | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        session.waiters.delete(finish);
        clearTimeout(timer);
        this.pendingTimeouts.delete(timer);
        resolve();
      };
      // Real time here: long-polls hold sockets, which the fake clock does not drive.
      const timer = setTimeout(finish, ms);
      this.pendingTimeouts.add(timer);
      session.waiters.add(finish);
      void closed?.then(finish);
    });
  }

  private history(req: Extract<TelServicesRequest, { op: 'queryHistory' }>): string {
    let records: HistoryRecord[];
    if (req.deviceNumber !== undefined) records = this.pbx.history(req.deviceNumber);
    else if (req.userID !== undefined) records = this.pbx.allHistory().filter((r) => r.userID === req.userID || r.device === req.userID);
    else records = this.pbx.allHistory();
    if (req.recordType !== 'all') records = records.filter((r) => r.kind === req.recordType);
    if (req.startDate !== undefined) {
      const start = req.startDate;
      const hour = req.startHour ?? 0;
      records = records.filter((r) => {
        const d = formatDate(new Date(r.at));
        return d > start || (d === start && new Date(r.at).getHours() >= hour);
      });
    }
    if (req.endDate !== undefined) {
      const end = req.endDate;
      records = records.filter((r) => formatDate(new Date(r.at)) <= end);
    }
    if (req.search !== undefined) {
      const needle = req.search.toLowerCase();
      records = records.filter((r) => (r.otherParty ?? '').toLowerCase().includes(needle) || (r.otherName ?? '').toLowerCase().includes(needle));
    }
    if (req.limit !== undefined) records = records.slice(0, req.limit);
    return el('history', ...records.map((r) => this.encoder.historyRecord(r, req.deviceNumber === undefined, req.userID !== undefined)));
  }

  private userStatistics(req: Extract<TelServicesRequest, { op: 'queryUserStatistics' }>): string {
    const found = this.pbx.userStats(req.deviceNumber);
    if (!found) throw new ErrorReply('pbxReject');
    const { stats, agent } = found;
    const services = agent && agent.inboundServices.length > 0 ? el('inboundServices', ...agent.inboundServices.map((s) => leaf('service', s))) : undefined;
    if (req.type === 'snapshot') {
      return el('userStatistics', el('snapshot', agent && this.encoder.agentStateChoice(agent.state), services));
    }
    return el('userStatistics', el('total', ...this.encoder.userTotals(stats, agent)));
  }

  private routingPointStatistics(service: string, type: 'snapshot' | 'total'): string {
    const info = this.pbx.queueInfo(service);
    if (!info) throw new RejectError(`no routing point ${service}`);
    const loggedOn = (state: string) => state !== 'loggedOff' && state !== 'null';
    if (type === 'snapshot') {
      const inCall = (device: string) => this.pbx.legsOf(device).length > 0;
      const agents = info.agents;
      return el(
        'routingPointStatistics',
        el(
          'snapshot',
          leaf('queuedCallsCount', info.waiting.length),
          leaf('queuedCallsDuration', hms(Math.max(0, ...info.waiting.map((w) => w.sinceSec)))),
          leaf('readyAvailableAgentsCount', agents.filter((a) => a.state === 'ready' && !inCall(a.device)).length),
          leaf('busyOrWorkingAfterCallAgentsCount', agents.filter((a) => a.state === 'busy' || a.state === 'workingAfterCall').length),
          leaf('notReadyOrDirectCallAgentsCount', agents.filter((a) => a.state === 'notReady' || a.state === 'loggedOn' || (a.state === 'ready' && inCall(a.device))).length),
          leaf('agentsInCallCount', agents.filter((a) => inCall(a.device)).length),
          leaf('loggedOffOrClosedAgentsCount', agents.filter((a) => !loggedOn(a.state)).length),
          el(
            'agents',
            ...agents.map((a) =>
              el(
                'agent',
                leaf('deviceNumber', a.device),
                loggedOn(a.state) && leaf('userID', a.userID),
                this.encoder.agentStateChoice(a.state),
                loggedOn(a.state) && el('inboundServices', ...a.inboundServices.map((s) => leaf('service', s))),
              ),
            ),
          ),
        ),
      );
    }
    const s = info.stats;
    const now = this.pbx.clock.now();
    return el(
      'routingPointStatistics',
      el(
        'total',
        leaf('start', formatTimestamp(new Date(s.start))),
        leaf('workDuration', hms(this.pbx.secondsSince(info.startedAt))),
        leaf('routedToAssignedAgentCallsCount', s.routedToAssignedAgent),
        leaf('routedToDistributionCallsCount', s.routedToDistribution),
        leaf('routedToFailureRouteCallsCount', s.routedToFailureRoute),
        leaf('queuedCallsCount', s.queuedDur.count),
        leaf('queuedCallsDuration', hms(s.queuedDur.totalSec)),
        leaf('queuedCallsAvgDuration', hms(s.queuedDur.avgSec)),
        leaf('queuedCallsMaxDuration', hms(s.queuedDur.maxSec)),
        leaf('incomingCallsCount', s.incomingCalls),
        // Spelled exactly as the manual (L1434, digest §7 #35).
        leaf('incomingCallsAbandoneddImmediatelCount', s.abandonedImmediately),
        leaf('incomingCallsAbandonedOnAgentCount', s.abandonedOnAgent),
        leaf('incomingCallsAbandonedOnQueueCount', s.abandonedOnQueue),
        leaf('incomingCallsConnectedCount', s.incomingConnected),
        leaf('incomingCallsAlertingDuration', hms(s.alertingDur.totalSec)),
        leaf('incomingCallsAlertingAvgDuration', hms(s.alertingDur.avgSec)),
        leaf('incomingCallsConnectedDuration', hms(s.connectedDur.totalSec)),
        leaf('incomingCallsConnectedAvgDuration', hms(s.connectedDur.avgSec)),
        // No dialler is simulated: the outbound counters stay at zero.
        leaf('outgoingCallsOriginatedCount', 0),
        leaf('outgoingCallsConnectedCount', 0),
        leaf('outgoingCallsIntendedCount', 0),
        leaf('outgoingCallsPerformedCount', 0),
        leaf('outgoingCallsRetriedCount', 0),
        leaf('outgoingCallsFailedCount', 0),
        leaf('outgoingCallsConnectedDuration', hms(0)),
        leaf('outgoingCallsConnectedAvgDuration', hms(0)),
        el(
          'agents',
          ...info.agents.map((a) => {
            const us = this.pbx.userStats(a.device);
            const everLoggedOn = us !== undefined && (loggedOn(a.state) || us.stats.timeIn(now).loggedOn > 0);
            if (!us || !everLoggedOn) return el('agent', leaf('deviceNumber', a.device), leaf('userID', a.userID));
            // A per-agent total: deviceNumber, start, userID, then the user totals from inboundServices on (L1452–L1454).
            const [start, ...rest] = this.encoder.userTotals(us.stats, us.agent);
            return el('agent', leaf('deviceNumber', a.device), start, leaf('userID', a.userID), ...rest);
          }),
        ),
      ),
    );
  }

  private routingPointCommand(
    op: 'startRoutingPoint' | 'stopRoutingPoint' | 'suspendRoutingPoint' | 'resumeRoutingPoint' | 'updateRoutingPoint',
    service: string,
    c: RoutingPointConfigInput,
  ): string {
    try {
      if (op === 'startRoutingPoint') this.pbx.startQueue(service);
      else if (op === 'stopRoutingPoint') this.pbx.stopQueue(service);
      else if (op === 'suspendRoutingPoint') this.pbx.suspendQueue(service);
      else if (op === 'resumeRoutingPoint') this.pbx.resumeQueue(service);
      if (op === 'updateRoutingPoint' && !this.pbx.isQueue(service)) throw new RejectError(`no routing point ${service}`);
      if (Object.values(c).some((v) => v !== undefined)) {
        this.pbx.updateQueue(service, {
          ...(c.wrapUpSec !== undefined ? { wrapUpSec: c.wrapUpSec } : {}),
          ...(c.agentNoAnswerSec !== undefined ? { agentNoAnswerSec: c.agentNoAnswerSec } : {}),
          ...(c.immediateAbandonSec !== undefined ? { immediateAbandonSec: c.immediateAbandonSec } : {}),
          ...(c.agentReadyOnLoggedOn !== undefined ? { agentReadyOnLoggedOn: c.agentReadyOnLoggedOn } : {}),
        });
      }
    } catch (err) {
      // Routing-point refusals are all <reject/> (digest §3.3).
      if (err instanceof PbxError) throw new RejectError(err.message);
      throw err;
    }
    return standardResult;
  }

  private requireDevice(device: string): void {
    if (!this.pbx.isDevice(device)) throw new ErrorReply('pbxReject');
  }

  /** Agent credentials the requesting client gave at openSession, else any client's on that device. */
  private credentialsOf(device: string, ip: string): { userID?: string; password?: string } | undefined {
    const session = this.sessions.get(device);
    if (!session) return undefined;
    const regs = [...this.sessions.clientRegistrations(session, ip), ...session.registrations.values()];
    return regs.find((r) => r.password !== undefined || r.userID !== undefined);
  }

  /** userID scope of a directory search: the userID, else the deviceNumber used as userID (L1006–L1007). */
  private searchScope(req: { userID?: string; deviceNumber?: string }): string[] {
    const id = req.userID ?? req.deviceNumber;
    return id !== undefined ? [id] : [];
  }

  /** Whose private directories name a device's callers: the device itself, its agent, its clients' userIDs. */
  private userIDsOf(device: string): string[] {
    const ids = new Set<string>([device]);
    const agent = this.pbx.agent(device);
    if (agent) ids.add(agent.userID);
    for (const reg of this.sessions.get(device)?.registrations.values() ?? []) if (reg.userID) ids.add(reg.userID);
    return [...ids];
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.pendingTimeouts.delete(t);
        resolve();
      }, ms);
      this.pendingTimeouts.add(t);
    });
  }

  // ---------------------------------------------------------------- events

  private onPbxEvent(e: PbxEvent): void {
    switch (e.type) {
      case 'leg': {
        const object = this.views.apply(e);
        if (!object) return;
        this.deviceEvent(e.device, 'call', () => this.encoder.callElement(e.device, object), object);
        this.views.sent(e.device, object);
        return;
      }
      case 'agent':
        this.deviceEvent(e.device, 'agent', () => this.encoder.agentInfo('agent', e.agent));
        return;
      case 'forward':
        this.deviceEvent(e.device, 'feature', () => this.encoder.forward('forward', e.forward));
        return;
      case 'dnd':
        this.deviceEvent(e.device, 'feature', () => this.encoder.onOff('doNotDisturb', e.on));
        return;
      case 'mwi':
        this.deviceEvent(e.device, 'feature', () => this.encoder.onOff('msgWaiting', e.on));
        return;
      case 'link': {
        const notice: SessionNotice = e.up ? 'pbxlinkInService' : 'pbxlinkOutOfService';
        for (const session of this.sessions.all()) {
          for (const reg of session.registrations.values()) this.sendEvent(session, reg, eventEnvelope(session.device, el('session', `<${notice}/>`)), 'session');
          this.sessions.bump(session, notice);
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * Send a device event to its session's clients. While the PBX link is down nothing reaches TelServer,
   * so nothing is sent: clients resynchronize with snapshot after pbxlinkInService.
   */
  private deviceEvent(device: string, kind: 'call' | 'agent' | 'feature', body: () => string, object?: CallObject): void {
    const session = this.sessions.get(device);
    if (!session || !session.monitoring || !this.pbx.linkUp) return;
    const inner = body();
    const envelope = eventEnvelope(kind === 'call' || this.config.deviceNumberInAllEvents ? device : undefined, inner);
    const alerting = object !== undefined && (object.prim.leg.state === 'alerting' || object.sec?.leg.state === 'alerting');
    for (const reg of session.registrations.values()) {
      // restricted = "only alerting events" (L219): alerting call images and session events (digest §7 #24).
      if (reg.level === 'restricted' && !alerting) continue;
      this.sendEvent(session, reg, envelope, kind);
    }
    this.sessions.bump(session);
  }

  private sendEvent(_session: Session, reg: Registration, payload: string, _kind: string): void {
    if (reg.udpPort === undefined) return;
    const port = reg.udpPort;
    this.defer(() => this.transmit(reg.ip, port, payload));
  }

  private transmit(ip: string, port: number, payload: string): void {
    const faults = this.pbx.faults;
    if (faults.dropsUdpTo(port)) return;
    const body = faults.takeGarbageEvent() ? '<TelServiceEvent><event><call><id>' : payload;
    this.send(ip, port, body + (this.config.endOfPdu ?? ''));
  }

  /** Events leave after the reply of the request that caused them (the reply is written first). */
  private defer(fn: () => void): void {
    this.outbox.push(fn);
    if (this.outboxTimer) return;
    this.outboxTimer = setImmediate(() => {
      this.outboxTimer = undefined;
      const batch = this.outbox;
      this.outbox = [];
      for (const f of batch) {
        try {
          f();
        } catch (err) {
          this.log.warn({ err }, 'telservices: event send failed');
        }
      }
    });
  }
}
