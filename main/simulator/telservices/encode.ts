// Encoding the core's state as TelServices XML: call images, agent info, features, snapshot, history,
// directory and statistics, with the manual's element names and orders.
import type { Pbx } from '../pbx/pbx.js';
import type { DirectoryEntry } from '../pbx/config.js';
import type { AgentSnapshot, AgentState, Call, ForwardRecord, HistoryRecord, Leg } from '../pbx/types.js';
import { type stateBuckets, type DurationStat, type UserStats } from '../pbx/stats.js';
import { isConference, permittedServices, type CallObject, type LegView } from './call-view.js';
import type { TelServicesConfig } from './config.js';
import { bool, choice, el, leaf } from './xml.js';

export const standardResult = '<TelServiceReturn><result><standard/></result></TelServiceReturn>';

export function errorReply(error: string): string {
  return `<TelServiceReturn><error><${error}/></error></TelServiceReturn>`;
}

export function resultReply(body: string): string {
  return `<TelServiceReturn><result>${body}</result></TelServiceReturn>`;
}

export function eventEnvelope(device: string | undefined, body: string): string {
  return `<TelServiceEvent>${device !== undefined ? leaf('deviceNumber', device) : ''}<event>${body}</event></TelServiceEvent>`;
}

/** Encode call data for the single opaque extraData field: the client's own correlator, else the call data as a query string. */
export function extraDataOf(call: Call): string | undefined {
  if (call.extraData !== undefined) return call.extraData;
  const entries = Object.entries(call.data);
  if (entries.length === 0) return undefined;
  // A choice (digest §7 #40: the type is undefined): application/x-www-form-urlencoded, ASCII-safe.
  return new URLSearchParams(entries).toString();
}

export class TelServicesEncoder {
  constructor(
    private readonly pbx: Pbx,
    private readonly config: TelServicesConfig,
    /** The userIDs whose private directories name the parties a device sees. */
    private readonly userIDsOf: (device: string) => string[],
  ) {}

  /** A <call> element: one call object as the device sees it. */
  callElement(device: string, object: CallObject): string {
    const extra = extraDataOf(object.prim.call) ?? (object.sec ? extraDataOf(object.sec.call) : undefined);
    return el(
      'call',
      leaf('id', object.id),
      this.callInfo('primCall', device, object.prim),
      object.sec && this.callInfo('secCall', device, object.sec),
      el('permittedServices', ...permittedServices(object).map((s) => `<${s}/>`)),
      extra !== undefined && leaf('extraData', extra),
    );
  }

  private callInfo(name: string, device: string, view: LegView): string {
    const { call, leg } = view;
    const others = call.legs
      .filter((l) => l !== leg && l.number !== device && l.kind !== 'queue' && l.state !== 'cleared' && l.state !== 'failed')
      .sort((a, b) => a.joinedAt - b.joinedAt);
    const conference = isConference(call);
    const added = conference ? others.filter((l) => l.number !== leg.peer) : [];
    const duration = view.reportedDurationSec ?? this.durationOf(leg);
    const cause = view.causeFresh ? view.cause : undefined;
    const showCause = cause !== undefined && !(cause === 'redirect' && leg.state === 'alerting' && !this.config.causeRedirectOnDivertTarget);
    return el(
      name,
      choice('state', leg.state),
      this.party('otherParty', device, call, leg.state === 'initiated' ? '' : leg.peer),
      added.length > 0 && el('addedParties', ...added.map((l) => this.party('otherParty', device, call, l.number))),
      this.config.presentFirstOtherParty && leg.firstOther !== undefined && this.party('firstOtherParty', device, call, leg.firstOther),
      !leg.outgoing && leg.firstCalled !== undefined && leg.firstCalled !== leg.number && this.party('firstCalledParty', device, call, leg.firstCalled),
      leg.lastRedirection !== undefined && this.party('lastRedirectionParty', device, call, leg.lastRedirection),
      leaf('duration', duration),
      bool('isOutgoing', leg.outgoing),
      (conference || this.config.emitIsConferenceFalse) && bool('isConference', conference),
      this.config.emitCallReference && leaf('callReference', call.ref),
      showCause && choice('cause', cause),
    );
  }

  private durationOf(leg: Leg): number {
    if (leg.connectedAt === undefined) return 0;
    const end = leg.state === 'cleared' && leg.endedAt !== undefined ? leg.endedAt : this.pbx.clock.now();
    return Math.max(0, Math.floor((end - leg.connectedAt) / this.pbx.msPerSecond));
  }

  /** A party as `device` sees it: withheld numbers become *****-<ref>; names come from the directories, else the network. */
  party(name: string, device: string, call: Call, number: string): string {
    const leg = call.legs.find((l) => l.number === number);
    if (leg?.withheld) return el(name, leaf('number', `*****-${call.ref}`));
    if (number === '') return el(name, leaf('number', ''));
    const entry = this.pbx.directory.lookup(number, this.userIDsOf(device));
    const displayName = entry?.name ?? leg?.name;
    return el(
      name,
      leaf('number', number),
      displayName !== undefined && leaf('name', displayName),
      entry?.company !== undefined && leaf('company', entry.company),
      entry?.numberType !== undefined && choice('numberType', entry.numberType),
    );
  }

  /** The calling party of a call, for qualifyCall. */
  callerNumberAndName(device: string, call: Call, leg: Leg): { number: string; name?: string } {
    const peer = call.legs.find((l) => l.number === leg.peer);
    if (peer?.withheld) return { number: `*****-${call.ref}` };
    const entry = this.pbx.directory.lookup(leg.peer, this.userIDsOf(device));
    return { number: leg.peer, name: entry?.name ?? peer?.name };
  }

  agentInfo(name: string, agent: AgentSnapshot): string {
    return el(
      name,
      leaf('userID', agent.userID),
      choice('state', agent.state),
      agent.timeoutSec !== undefined && leaf('timeout', agent.timeoutSec),
      agent.inboundServices.length > 0 && el('inboundServices', ...agent.inboundServices.map((s) => leaf('service', s))),
      agent.outboundServices.length > 0 && el('outboundServices', ...agent.outboundServices.map((s) => leaf('service', s))),
      el('permittedStates', ...agent.permittedStates.map((s) => `<${s}/>`)),
    );
  }

  /** The agent info of a device that is not an agent (digest §3.3: the null state). */
  nullAgent(name: string): string {
    return el(name, choice('state', 'null'));
  }

  forward(name: string, f: ForwardRecord): string {
    return el(name, leaf('number', f.number), choice('type', f.type), choice('state', f.on ? 'on' : 'off'));
  }

  forwards(records: ForwardRecord[]): string {
    return el('forwards', ...records.map((f) => this.forward('forward', f)));
  }

  onOff(name: string, on: boolean): string {
    return choice(name, on ? 'on' : 'off');
  }

  directoryParty(e: DirectoryEntry): string {
    return el('party', leaf('number', e.number), leaf('name', e.name), e.numberType !== undefined && choice('numberType', e.numberType), e.company !== undefined && leaf('company', e.company));
  }

  historyRecord(r: HistoryRecord, withDevice: boolean, withUser: boolean): string {
    const at = new Date(r.at);
    return el(
      'record',
      withDevice && leaf('deviceNumber', r.device),
      withUser && r.userID !== undefined && leaf('userID', r.userID),
      leaf('creationDate', formatDate(at)),
      leaf('creationTime', formatTime(at)),
      r.kind === 'call' && el('otherParty', leaf('number', r.otherParty ?? ''), r.otherName !== undefined && leaf('name', r.otherName)),
      r.alertingSec !== undefined && leaf('alertingDuration', r.alertingSec),
      r.durationSec !== undefined && leaf('duration', r.durationSec),
      r.outgoing !== undefined && bool('isOutgoing', r.outgoing),
      r.connected !== undefined && bool('isConnected', r.connected),
      r.cause !== undefined && choice('cause', r.cause),
      r.agentState !== undefined && choice('agentState', r.agentState),
    );
  }

  /** The 42 children of a user's "total" statistics, in the manual's order (E50). */
  userTotals(stats: UserStats, agent: AgentSnapshot | undefined): string[] {
    const now = this.pbx.clock.now();
    const time = stats.timeIn(now);
    const totalMs = Math.max(1, now - stats.start);
    const sec = (ms: number) => Math.floor(ms / this.pbx.msPerSecond);
    const bucket = (b: (typeof stateBuckets)[number], label: string) => [
      leaf(`agent${label}Duration`, hms(sec(time[b]))),
      leaf(`agent${label}Percentage`, javaDouble((time[b] / totalMs) * 100)),
    ];
    const durations = (prefix: string, d: DurationStat, withMax: boolean) => [
      leaf(`${prefix}Duration`, hms(d.totalSec)),
      leaf(`${prefix}AvgDuration`, hms(d.avgSec)),
      withMax && leaf(`${prefix}MaxDuration`, hms(d.maxSec)),
    ];
    return [
      leaf('start', formatTimestamp(new Date(stats.start))),
      agent && agent.inboundServices.length > 0 ? el('inboundServices', ...agent.inboundServices.map((s) => leaf('service', s))) : '',
      leaf('incomingCallsFailedCount', stats.incomingFailed),
      leaf('incomingCallsAlertingCount', stats.incomingAlerting),
      leaf('agentIncomingCallsAlertingCount', stats.agentIncomingAlerting),
      leaf('incomingCallsConnectedCount', stats.incomingConnected),
      leaf('agentIncomingCallsConnectedCount', stats.agentIncomingConnected),
      leaf('incomingCallsAbandonedCount', stats.incomingAbandoned),
      leaf('agentIncomingCallsAbandonedCount', stats.agentIncomingAbandoned),
      ...durations('incomingCallsAlerting', stats.incomingAlertingDur, true),
      ...durations('agentIncomingCallsAlerting', stats.agentIncomingAlertingDur, false),
      ...durations('incomingCallsConnected', stats.incomingConnectedDur, true),
      ...durations('agentIncomingCallsConnected', stats.agentIncomingConnectedDur, false),
      leaf('outgoingCallsOriginatedCount', stats.outgoingOriginated),
      leaf('agentOutgoingCallsOriginatedCount', stats.agentOutgoingOriginated),
      leaf('outgoingCallsConnectedCount', stats.outgoingConnected),
      leaf('agentOutgoingCallsConnectedCount', stats.agentOutgoingConnected),
      ...durations('outgoingCallsConnected', stats.outgoingConnectedDur, true),
      ...durations('agentOutgoingCallsConnected', stats.agentOutgoingConnectedDur, false),
      ...bucket('loggedOff', 'LoggedOff'),
      ...bucket('loggedOn', 'LoggedOn'),
      ...bucket('notReady', 'NotReady'),
      ...bucket('ready', 'Ready'),
      ...bucket('directCall', 'DirectCall'),
      ...bucket('workingAfterCall', 'WorkingAfterCall'),
      ...bucket('busy', 'Busy'),
    ].filter((x): x is string => typeof x === 'string' && x !== '');
  }

  agentStateChoice(state: AgentState): string {
    return choice('agentState', state);
  }
}

/** Seconds as HH:MM:SS (hours may exceed 99). */
export function hms(totalSec: number): string {
  const s = Math.max(0, Math.floor(totalSec));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Percentages as the manual prints them: "0", or Java-style scientific ("1.0E2" for 100). */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value) || value === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(value)));
  let mantissa = (value / 10 ** exp).toFixed(4).replace(/0+$/, '');
  if (mantissa.endsWith('.')) mantissa += '0';
  return `${mantissa}E${exp}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** yyyy-MM-dd in the server's local time. */
export function formatDate(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

export function formatTime(d: Date): string {
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

export function formatTimestamp(d: Date): string {
  return `${formatDate(d)}T${formatTime(d)}`;
}
