// The vocabulary of the virtual PBX core. Vendor-neutral: front-ends (TelServices, …) map it to their wire.
// Leg states use the CSTA names most CTI protocols share.

export const legStates = ['initiated', 'originated', 'delivered', 'queued', 'alerting', 'connected', 'hold', 'failed', 'cleared'] as const;
export type LegState = (typeof legStates)[number];

/** Why a leg changed; `normal` only appears in history records. */
export const callCauses = [
  'busy',
  'conference',
  'destNotObtainable',
  'droppedByOtherParty',
  'heldByOtherParty',
  'redirect',
  'retrievedByOtherParty',
  'transfer',
  'route',
  'normal',
] as const;
export type CallCause = (typeof callCauses)[number];

/** What a party of a call is: one of our extensions, an outside number, or a queue (routing point). */
export type PartyKind = 'device' | 'external' | 'queue';

export interface Leg {
  number: string;
  kind: PartyKind;
  state: LegState;
  /** True when this party placed the call. */
  outgoing: boolean;
  /** The party this leg is talking to ('' while dialling). In a conference: the first other party. */
  peer: string;
  /** Presentation name of this party (CLIP name from the network). */
  name?: string;
  /** The network withheld this party's number. */
  withheld?: boolean;
  joinedAt: number;
  alertingAt?: number;
  /** Start of the duration count; restarted by a transfer. */
  connectedAt?: number;
  endedAt?: number;
  wasConnected: boolean;
  /** The number first called (e.g. the queue or the diverting device). */
  firstCalled?: string;
  /** Who diverted or transferred the call here. */
  lastRedirection?: string;
  /** On a consulted device: the original party of the consulting device's held call. */
  firstOther?: string;
  /** On the consulting device's leg: the id of the held call this call consults. */
  consultOf?: string;
  /** The queue that delivered this leg (ACD call). */
  acdService?: string;
  /** A supervisor's leg joined by intrusion: listen only, talk to the agent only (coach), or talk to both (barge). */
  monitorMode?: MonitorMode;
  /** A placeholder leg (kind 'queue', state 'queued') holding a parked call on the device `number`. */
  parked?: boolean;
}

export const monitorModes = ['listen', 'coach', 'barge'] as const;
export type MonitorMode = (typeof monitorModes)[number];

export interface Call {
  id: string;
  /** Numeric call reference (used e.g. for withheld numbers). */
  ref: number;
  legs: Leg[];
  /** Structured call data (customerId, orderId, …). */
  data: Record<string, string>;
  /** Opaque correlator data set by a client (makeCall/consultation/divert extraData). */
  extraData?: string;
  createdAt: number;
  /** The number the caller dialled (before forwards, queues and diversions). */
  dialled: string;
  /** The queue the call entered, if any. */
  service?: string;
  queuedAt?: number;
  /** The originator's own set rings first; once it answers, the PBX dials this number. */
  pendingDestination?: string;
}

export const agentStates = ['null', 'loggedOff', 'loggedOn', 'busy', 'notReady', 'ready', 'workingAfterCall'] as const;
export type AgentState = (typeof agentStates)[number];
/** States a client may request (null and busy are set by the server only). */
export type RequestableAgentState = Exclude<AgentState, 'null' | 'busy'>;

export interface AgentSnapshot {
  device: string;
  userID: string;
  state: AgentState;
  /** Seconds left before the server changes the state by itself (wrap-up). */
  timeoutSec?: number;
  inboundServices: string[];
  outboundServices: string[];
  permittedStates: AgentState[];
}

export const forwardTypes = ['immediate', 'busy', 'noAnswer', 'immInt', 'immExt', 'busyInt', 'busyExt', 'noAnswerInt', 'noAnswerExt'] as const;
export type ForwardType = (typeof forwardTypes)[number];
export interface ForwardRecord {
  type: ForwardType;
  number: string;
  on: boolean;
}

export const routingPointStates = ['started', 'started-completed', 'started-failed', 'started-running', 'started-suspended', 'stopped'] as const;
export type RoutingPointState = (typeof routingPointStates)[number];

export interface DeviceSnapshot {
  number: string;
  name?: string;
  dnd: boolean;
  mwi: boolean;
  forwards: ForwardRecord[];
  agent?: AgentSnapshot;
  /** Ids of the calls this device is part of (not cleared). */
  calls: string[];
}

export interface HistoryRecord {
  kind: 'call' | 'agent';
  device: string;
  userID?: string;
  at: number;
  otherParty?: string;
  otherName?: string;
  alertingSec?: number;
  durationSec?: number;
  outgoing?: boolean;
  connected?: boolean;
  cause?: CallCause;
  agentState?: AgentState;
  /** The call the record is about (call records). */
  callId?: string;
}

/** Everything the core reports. Leg events exist for every party kind; front-ends pick the devices they serve. */
export type PbxEvent =
  | {
      type: 'leg';
      device: string;
      call: Call;
      leg: Leg;
      cause?: CallCause;
      /** Duration to report in this event instead of the running one (a transfer reports the old call's duration). */
      reportedDurationSec?: number;
      /** This leg now lives in `call` and no longer in the call with this id (transfer, conference). */
      replaces?: string;
      /** Part of a compound change: a following event for the same device carries it (consultation holds implicitly). */
      quiet?: boolean;
    }
  | { type: 'agent'; device: string; agent: AgentSnapshot }
  | { type: 'forward'; device: string; forward: ForwardRecord }
  | { type: 'dnd'; device: string; on: boolean }
  | { type: 'mwi'; device: string; on: boolean }
  | { type: 'link'; up: boolean }
  | { type: 'callEnded'; call: Call }
  /** A call's data or correlator data changed (setCallData). */
  | { type: 'callData'; call: Call }
  | { type: 'queue'; service: string };

export type PbxErrorCode =
  /** No call in the state the operation needs. */
  | 'noCall'
  /** The PBX refuses (unknown device, invalid number, state not permitted, bad credentials). */
  | 'rejected'
  | 'unknownDevice'
  | 'invalidNumber'
  | 'linkDown';

export class PbxError extends Error {
  constructor(
    readonly code: PbxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PbxError';
  }
}
