// Typed TelServices PDUs (TelServer v1.7 manual): requests, replies and events.
// Field order in every interface is the manual's documented order, which is also the encoding order.
// Phone numbers, ids and statistics values stay strings: '0612345678', '+33160127764', '1.0E2'.
import { forwardTypes } from '../../../shared/model.js';

export const onOffValues = ['on', 'off'] as const;
export type OnOff = (typeof onOffValues)[number];

export const numberTypes = ['work', 'home', 'mobile', 'ip'] as const;
export type TelNumberType = (typeof numberTypes)[number];

// The normalized forward types are the manual's own list.
export const telForwardTypes = forwardTypes;
export type TelForwardType = (typeof telForwardTypes)[number];

export const telAgentStates = ['null', 'loggedOff', 'loggedOn', 'busy', 'notReady', 'ready', 'workingAfterCall'] as const;
export type TelAgentState = (typeof telAgentStates)[number];

export const telCallStates = [
  'initiated',
  'originated',
  'delivered',
  'queued',
  'alerting',
  'connected',
  'cleared',
  'failed',
  'hold',
] as const;
export type TelCallState = (typeof telCallStates)[number];

/** The manual's cause list; decoding keeps any other token as a string (e.g. history's 'normal'). */
export const telKnownCauses = [
  'busy',
  'conference',
  'destNotObtainable',
  'droppedByOtherParty',
  'heldByOtherParty',
  'redirect',
  'retrievedByOtherParty',
  'transfer',
  'route',
] as const;

/** permittedServices vocabulary (L1809); addPartyToCall is accepted too although never listed. */
export const telServices = [
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
  'addPartyToCall',
] as const;
export type TelService = (typeof telServices)[number];

export const telSessionEvents = [
  'sessionClosedByAdmin',
  'sessionClosedByTimeout',
  'sessionClosedByMonitoringReject',
  'sessionClosedByClient',
  'pbxlinkOutOfService',
  'pbxlinkInService',
] as const;
export type TelSessionEvent = (typeof telSessionEvents)[number];

export const telErrorNames = [
  'pbxlinkOutOfService',
  'pbxReject',
  'pbxTimeout',
  'noCall',
  'noOpenSession',
  'sessionLimitExceeded',
  'reject',
  'invalidCredentials',
  'resourceError',
] as const;
export type TelErrorName = (typeof telErrorNames)[number];

export const routingPointStates = [
  'started',
  'started-completed',
  'started-failed',
  'started-running',
  'started-suspended',
  'stopped',
] as const;
export type RoutingPointState = (typeof routingPointStates)[number];

export const statisticsTypes = ['snapshot', 'total'] as const;
export type StatisticsType = (typeof statisticsTypes)[number];

export const eventUpdateLevels = ['full', 'restricted'] as const;
export type EventUpdate = (typeof eventUpdateLevels)[number];

export const historyRecordTypes = ['call', 'agent', 'all'] as const;
export type HistoryRecordType = (typeof historyRecordTypes)[number];

export const agentsDistributions = ['cyclic', 'sequential', 'most-idle'] as const;
export type AgentsDistribution = (typeof agentsDistributions)[number];

/** otherParty and every party-shaped element (firstCalledParty, directory party, ...). */
export interface TelParty {
  number: string;
  name?: string;
  company?: string;
  numberType?: TelNumberType;
}

export interface TelForward {
  number: string;
  type: TelForwardType;
  state: OnOff;
}

/** AgentInfo: the agent event, queryAgentState result and snapshot/agent. */
export interface TelAgentInfo {
  userID?: string;
  state: TelAgentState;
  timeout?: number;
  inboundServices?: string[];
  outboundServices?: string[];
  permittedStates?: TelAgentState[];
}

/** primCall / secCall. */
export interface TelCallInfo {
  state: TelCallState;
  otherParty: TelParty;
  addedParties?: TelParty[];
  firstOtherParty?: TelParty;
  firstCalledParty?: TelParty;
  lastRedirectionParty?: TelParty;
  duration: number;
  isOutgoing: boolean;
  /** Absent on the wire means false (L1796). */
  isConference: boolean;
  callReference?: string;
  /** One of telKnownCauses, or a newer server's token. */
  cause?: string;
}

/** One call object of a device: `id` is per device; prim and sec share it. */
export interface TelCall {
  id: string;
  primCall?: TelCallInfo;
  secCall?: TelCallInfo;
  permittedServices?: TelService[];
  extraData?: string;
}

// ---------------------------------------------------------------- requests

export interface RoutingPointConfig {
  serviceTimeout?: number;
  workingHours?: string;
  nonWorkingDaysOfWeek?: string;
  nonWorkingDays?: string;
  noAnswerTimeout?: number;
  failedCallRetryTimeout?: number;
  failedCallRetryLimit?: number;
  agentWorkingAfterCallTimeout?: number;
  agentsDistribution?: AgentsDistribution;
  queueLimit?: number;
  agentLoggedOnOnOpenSession?: boolean;
  agentReadyOnLoggedOn?: boolean;
  statisticsIncomingCallImmediateAbandonTimeout?: number;
}

type Dev = { deviceNumber: string };
type TwoCalls = Dev & { primOtherNumber?: string; secOtherNumber?: string };
type OneCall = Dev & { otherNumber?: string };

export type TelRequest =
  | ({ op: 'openSession' } & Dev & {
        eventUDPPort?: number;
        eventUpdate?: EventUpdate;
        userID?: string;
        userPassword?: string;
        sessionTimeout?: number;
        startPbxMonitor?: boolean;
      })
  | ({ op: 'closeSession' } & Dev & { actualCloseSessionTimeout?: number; clientOnly?: boolean })
  | ({ op: 'addPartyToCall' } & OneCall & { addedDeviceNumber: string; extraData?: string })
  | ({ op: 'agentState' } & Dev & { state: TelAgentState })
  | ({ op: 'alternateCall' } & TwoCalls)
  | ({ op: 'answerCall' } & Dev & { callingNumber?: string })
  | ({ op: 'conferenceCall' } & TwoCalls)
  | ({ op: 'consultationCall' } & OneCall & { consultedDeviceNumber: string; extraData?: string })
  | ({ op: 'divertCall' } & OneCall & { divertedDeviceNumber: string; extraData?: string })
  | ({ op: 'doNotDisturb' } & Dev & { state: OnOff })
  | ({ op: 'dropCall' } & OneCall)
  | ({ op: 'forward' } & Dev & { info: TelForward })
  | ({ op: 'holdCall' } & OneCall)
  | ({ op: 'makeCall' } & Dev & { calledDeviceNumber: string; extraData?: string })
  | ({ op: 'qualifyCall' } & Dev & { answerCall?: boolean; needName?: boolean })
  | ({ op: 'queryAgentState' } & Dev)
  | ({ op: 'queryDoNotDisturb' } & Dev)
  | ({ op: 'queryForward' } & Dev)
  | {
      op: 'queryHistory';
      recordType?: HistoryRecordType;
      deviceNumber?: string;
      userID?: string;
      startDate?: string;
      startHour?: number;
      endDate?: string;
      search?: string;
      limit?: number;
    }
  | ({ op: 'queryMsgWaiting' } & Dev)
  | ({ op: 'queryUserStatistics' } & Dev & { userID?: string; type: StatisticsType })
  | ({ op: 'reconnectCall' } & TwoCalls)
  | ({ op: 'retrieveCall' } & OneCall)
  | { op: 'searchName'; userID?: string; deviceNumber?: string; name: string; limit?: number }
  | { op: 'searchNumber'; userID?: string; deviceNumber?: string; number: string }
  | ({ op: 'snapshot' } & Dev & { resultOnEvent?: { timeout: number; snapshotSeq: string } })
  | ({ op: 'transferCall' } & TwoCalls)
  | { op: 'updateUserDirectory'; userID?: string; deviceNumber?: string; directoryName: string; parties: TelParty[] }
  | { op: 'queryRoutingPointState'; service: string }
  | { op: 'queryRoutingPointStatistics'; service: string; type: StatisticsType }
  | { op: 'resumeRoutingPoint'; service: string }
  | { op: 'startRoutingPoint'; service: string; template?: string; config?: RoutingPointConfig }
  | { op: 'stopRoutingPoint'; service: string }
  | { op: 'suspendRoutingPoint'; service: string }
  | { op: 'updateRoutingPoint'; service: string; config?: RoutingPointConfig }
  | { op: 'updateDirectory'; directoryName: string };

export type TelRequestOp = TelRequest['op'];
export type TelRequestOf<K extends TelRequestOp> = Extract<TelRequest, { op: K }>;

// ---------------------------------------------------------------- replies

export interface TelHistoryRecord {
  deviceNumber?: string;
  userID?: string;
  creationDate: string;
  creationTime: string;
  otherParty?: TelParty;
  alertingDuration?: number;
  duration?: number;
  isOutgoing?: boolean;
  isConnected?: boolean;
  cause?: string;
  agentState?: TelAgentState;
}

/** Per-user activity counters of a 'total' statistics result, in the manual's order. */
export const userTotalCounters = [
  'incomingCallsFailedCount',
  'incomingCallsAlertingCount',
  'agentIncomingCallsAlertingCount',
  'incomingCallsConnectedCount',
  'agentIncomingCallsConnectedCount',
  'incomingCallsAbandonedCount',
  'agentIncomingCallsAbandonedCount',
  'incomingCallsAlertingDuration',
  'incomingCallsAlertingAvgDuration',
  'incomingCallsAlertingMaxDuration',
  'agentIncomingCallsAlertingDuration',
  'agentIncomingCallsAlertingAvgDuration',
  'incomingCallsConnectedDuration',
  'incomingCallsConnectedAvgDuration',
  'incomingCallsConnectedMaxDuration',
  'agentIncomingCallsConnectedDuration',
  'agentIncomingCallsConnectedAvgDuration',
  'outgoingCallsOriginatedCount',
  'agentOutgoingCallsOriginatedCount',
  'outgoingCallsConnectedCount',
  'agentOutgoingCallsConnectedCount',
  'outgoingCallsConnectedDuration',
  'outgoingCallsConnectedAvgDuration',
  'outgoingCallsConnectedMaxDuration',
  'agentOutgoingCallsConnectedDuration',
  'agentOutgoingCallsConnectedAvgDuration',
  'agentLoggedOffDuration',
  'agentLoggedOffPercentage',
  'agentLoggedOnDuration',
  'agentLoggedOnPercentage',
  'agentNotReadyDuration',
  'agentNotReadyPercentage',
  'agentReadyDuration',
  'agentReadyPercentage',
  'agentDirectCallDuration',
  'agentDirectCallPercentage',
  'agentWorkingAfterCallDuration',
  'agentWorkingAfterCallPercentage',
  'agentBusyDuration',
  'agentBusyPercentage',
] as const;
export type UserTotalCounter = (typeof userTotalCounters)[number];

/** Routing-point 'total' counters; the misspelt element name is the manual's own (L1434). */
export const routingTotalCounters = [
  'routedToAssignedAgentCallsCount',
  'routedToDistributionCallsCount',
  'routedToFailureRouteCallsCount',
  'queuedCallsCount',
  'queuedCallsDuration',
  'queuedCallsAvgDuration',
  'queuedCallsMaxDuration',
  'incomingCallsCount',
  'incomingCallsAbandoneddImmediatelCount',
  'incomingCallsAbandonedOnAgentCount',
  'incomingCallsAbandonedOnQueueCount',
  'incomingCallsConnectedCount',
  'incomingCallsAlertingDuration',
  'incomingCallsAlertingAvgDuration',
  'incomingCallsConnectedDuration',
  'incomingCallsConnectedAvgDuration',
  'outgoingCallsOriginatedCount',
  'outgoingCallsConnectedCount',
  'outgoingCallsIntendedCount',
  'outgoingCallsPerformedCount',
  'outgoingCallsRetriedCount',
  'outgoingCallsFailedCount',
  'outgoingCallsConnectedDuration',
  'outgoingCallsConnectedAvgDuration',
] as const;
export type RoutingTotalCounter = (typeof routingTotalCounters)[number];

export const routingSnapshotCounters = [
  'queuedCallsCount',
  'queuedCallsDuration',
  'readyAvailableAgentsCount',
  'busyOrWorkingAfterCallAgentsCount',
  'notReadyOrDirectCallAgentsCount',
  'agentsInCallCount',
  'loggedOffOrClosedAgentsCount',
] as const;
export type RoutingSnapshotCounter = (typeof routingSnapshotCounters)[number];

/** Counter values are kept as the server's text ('00:07:01', '1.0E2'); mapping parses them. */
export type Counters<K extends string> = Partial<Record<K, string>>;

export interface UserStatisticsSnapshot {
  type: 'snapshot';
  agentState?: TelAgentState;
  inboundServices?: string[];
  outboundServices?: string[];
}
export interface UserStatisticsTotal {
  type: 'total';
  start?: string;
  inboundServices?: string[];
  counters: Counters<UserTotalCounter>;
}

export interface RoutingSnapshotAgent {
  deviceNumber: string;
  userID?: string;
  agentState?: TelAgentState;
  inboundServices?: string[];
}
export interface RoutingTotalAgent {
  deviceNumber: string;
  start?: string;
  userID?: string;
  inboundServices?: string[];
  counters: Counters<UserTotalCounter>;
}
export interface RoutingStatisticsSnapshot {
  type: 'snapshot';
  counters: Counters<RoutingSnapshotCounter>;
  agents?: RoutingSnapshotAgent[];
}
export interface RoutingStatisticsTotal {
  type: 'total';
  start?: string;
  workDuration?: string;
  counters: Counters<RoutingTotalCounter>;
  agents?: RoutingTotalAgent[];
}

export interface TelSnapshot {
  snapshotSeq?: string;
  calls?: TelCall[];
  forwards?: TelForward[];
  msgWaiting?: OnOff;
  doNotDisturb?: OnOff;
  agent?: TelAgentInfo;
  session?: TelSessionEvent;
}

export type TelReply =
  | { kind: 'standard' }
  | { kind: 'qualifyCall'; number: string; name?: string }
  | { kind: 'agent'; agent: TelAgentInfo }
  | { kind: 'doNotDisturb'; state: OnOff }
  | { kind: 'forwards'; forwards: TelForward[] }
  | { kind: 'history'; records: TelHistoryRecord[] }
  | { kind: 'msgWaiting'; state: OnOff }
  | { kind: 'userStatistics'; statistics: UserStatisticsSnapshot | UserStatisticsTotal }
  | { kind: 'searchDirectory'; parties: TelParty[] }
  | { kind: 'snapshot'; snapshot: TelSnapshot }
  | { kind: 'routingPointState'; state: RoutingPointState }
  | { kind: 'routingPointStatistics'; statistics: RoutingStatisticsSnapshot | RoutingStatisticsTotal }
  | { kind: 'error'; error: TelErrorName }
  /** An error element this codec does not know (a newer server); the name is kept. */
  | { kind: 'unknownError'; error: string };

export type TelReplyKind = TelReply['kind'];

// ---------------------------------------------------------------- events

export type TelEventBody =
  | { kind: 'agent'; agent: TelAgentInfo }
  | { kind: 'call'; call: TelCall }
  | { kind: 'forward'; forward: TelForward }
  | { kind: 'doNotDisturb'; state: OnOff }
  | { kind: 'msgWaiting'; state: OnOff }
  | { kind: 'session'; session: TelSessionEvent };

export interface TelEvent {
  /** Present in the manual's call events only; optional envelope field. */
  deviceNumber?: string;
  event: TelEventBody;
}
