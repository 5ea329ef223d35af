// The normalized CTI model: every vendor connector speaks this vocabulary.
// Pure types and schemas only; no platform imports (see ARCHITECTURE.md).
import { z } from 'zod';
import type { NextAgentState } from './next-state.js';

export const vendorIds = ['telservices', 'tws', 'ctips', 'o2g', 'instantvoice'] as const;
export const Vendor = z.enum(vendorIds);
export type Vendor = z.infer<typeof Vendor>;

/** A phone number is always a string: leading zeros and '+' are significant. */
export const PhoneNumber = z.string().max(64);

export const Party = z.object({
  number: PhoneNumber,
  name: z.string().max(256).optional(),
  company: z.string().max(256).optional(),
  numberType: z.enum(['work', 'home', 'mobile', 'ip']).optional(),
  /** True when the network withheld the number (TelServices '*****-ref'). */
  withheld: z.boolean().optional(),
});
export type Party = z.infer<typeof Party>;

/**
 * Normalized call (leg) states, as seen from the agent's device.
 * dialing: handset up / number being processed; ringing: outbound call reached the far end;
 * alerting: inbound call ringing here; queued: waiting in a queue here.
 */
export const callStates = ['dialing', 'ringing', 'queued', 'alerting', 'connected', 'held', 'failed', 'cleared'] as const;
export const CallState = z.enum(callStates);
export type CallState = z.infer<typeof CallState>;

/** The call-control actions a call can offer; the UI shows exactly these. */
export const callActions = [
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
  'sendDtmf',
  'park',
  /** Recording control; `Call.recording` says which of start/stop/pause/resume applies. */
  'record',
  /** Ask the PBX to call back a busy or unanswered party. */
  'callBack',
  /** Enter the numeric transaction (account) code of an ACD call. */
  'transactionCode',
  /** Refuse an offered call (CTIPS AcceptCall false, with the profile's reject reasons). */
  'reject',
] as const;
export const CallAction = z.enum(callActions);
export type CallAction = z.infer<typeof CallAction>;

/** Vendor identifiers carried along so nothing of the wire is lost. */
export const VendorRef = z.object({
  vendor: Vendor,
  device: z.string(),
  callId: z.string(),
  leg: z.string().optional(),
  callReference: z.string().optional(),
});
export type VendorRef = z.infer<typeof VendorRef>;

export const CallData = z.record(z.string().max(128), z.string().max(4096));
export type CallData = z.infer<typeof CallData>;

export const Call = z.object({
  id: z.string().min(1).max(256),
  ref: VendorRef,
  state: CallState,
  direction: z.enum(['inbound', 'outbound']),
  remote: Party,
  /** The number first dialled or the DID the caller reached. */
  called: Party.optional(),
  /** The original party presented on a consultation (TelServices firstOtherParty). */
  original: Party.optional(),
  /** Who diverted or transferred the call here. */
  redirectedBy: Party.optional(),
  conferenceParties: z.array(Party).max(32).default([]),
  isConference: z.boolean().default(false),
  /** True for the consultation leg of a consultation pair. */
  isConsultation: z.boolean().default(false),
  cause: z.string().max(64).optional(),
  data: CallData.default({}),
  /** Epoch milliseconds. */
  startedAt: z.number(),
  connectedAt: z.number().optional(),
  endedAt: z.number().optional(),
  /** Actions the vendor permits right now for this call. */
  allowed: z.array(CallAction).default([]),
  /** Recording in progress or paused; absent when the call is not recorded. */
  recording: z.enum(['recording', 'paused']).optional(),
  /** Monotonic per connector; the reducer drops events older than what it holds. */
  seq: z.number().int().nonnegative().default(0),
});
export type Call = z.infer<typeof Call>;

export const agentStates = ['loggedOff', 'loggedOn', 'notReady', 'ready', 'busy', 'wrapUp', 'unknown'] as const;
export const AgentStateKind = z.enum(agentStates);
export type AgentStateKind = z.infer<typeof AgentStateKind>;

export const AgentInfo = z.object({
  state: AgentStateKind,
  agentId: z.string().max(128).optional(),
  reason: z.string().max(128).optional(),
  /** Seconds until the server changes the state by itself (wrap-up countdown). */
  timeoutSec: z.number().nonnegative().optional(),
  /** When the state (or its countdown) began, epoch ms, so the UI can show timers. */
  since: z.number(),
  permitted: z.array(AgentStateKind).default([]),
  services: z.array(z.string().max(128)).max(256).default([]),
  /** Not-ready reasons the vendor defines (e.g. O2G withdraw reasons); absent = the profile's list. */
  reasons: z.array(z.string().max(128)).max(64).optional(),
  /** Supervisor: the not-ready reasons a team member can be given (absent = the same as `reasons`). */
  teamReasons: z.array(z.string().max(128)).max(64).optional(),
  /** The ACD group (O2G processing group) the agent works in. */
  group: z.string().max(64).optional(),
  /** Groups the agent may enter (supervisors' two-step logon). */
  groups: z.array(z.string().max(64)).max(64).optional(),
  role: z.enum(['agent', 'supervisor']).optional(),
  /** The ACD waits for the transaction code of the last call. */
  awaitingCode: z.boolean().optional(),
  /** The agent has asked for a supervisor's help. */
  helpRequested: z.boolean().optional(),
  /** Supervisor: agents (numbers) asking for help. */
  helpRequests: z.array(z.string().max(64)).max(256).optional(),
  /** Codes the site configured, with labels, for the agent to pick (CTIPS: the profile's lists; the portal has none). */
  codes: z
    .object({
      logout: z.array(z.object({ id: z.string().max(16), label: z.string().max(64) })).max(64).default([]),
      disposition: z.array(z.object({ id: z.string().max(16), label: z.string().max(64) })).max(64).default([]),
      reject: z.array(z.object({ id: z.string().max(16), label: z.string().max(64) })).max(64).default([]),
    })
    .optional(),
  /** The call the wrap-up's disposition is for (set while one may be given). */
  dispositionCallId: z.string().max(256).optional(),
  /** The disposition given for that call, once accepted. */
  disposition: z.string().max(16).optional(),
  /** A logout is pending until the current call ends (CTIPS panic logout). */
  logoutPending: z.boolean().optional(),
  /** Digits the agent must key on the phone to complete the login (CTIPS EnterPasscode). */
  passcode: z.string().max(16).optional(),
  /** Supervisor: the current intrusion on an agent's call. */
  intrusion: z.object({ agent: z.string().max(64), mode: z.enum(['listen', 'coach', 'barge']) }).optional(),
});
export type AgentInfo = z.infer<typeof AgentInfo>;

export const forwardTypes = [
  'immediate',
  'busy',
  'noAnswer',
  'immInt',
  'immExt',
  'busyInt',
  'busyExt',
  'noAnswerInt',
  'noAnswerExt',
] as const;
export const ForwardType = z.enum(forwardTypes);
export type ForwardType = z.infer<typeof ForwardType>;

export const Forward = z.object({ type: ForwardType, to: PhoneNumber });
export type Forward = z.infer<typeof Forward>;

export const overflowTypes = ['busy', 'noAnswer', 'busyNoAnswer'] as const;
export const Overflow = z.object({ type: z.enum(overflowTypes), to: z.enum(['voicemail', 'associate']) });
export type Overflow = z.infer<typeof Overflow>;

export const DeviceFeatures = z.object({
  forwards: z.array(Forward).default([]),
  dnd: z.boolean().default(false),
  messageWaiting: z.boolean().default(false),
  /** Where unanswered or busy calls overflow to (O2G overflow route); null = none. */
  overflow: Overflow.nullable().optional(),
  /** Missed calls not yet acknowledged, when the vendor counts them. */
  missedCalls: z.number().int().nonnegative().optional(),
  voiceMessages: z.number().int().nonnegative().optional(),
});
export type DeviceFeatures = z.infer<typeof DeviceFeatures>;

export const linkStates = ['connecting', 'up', 'degraded', 'down'] as const;
export const LinkStateKind = z.enum(linkStates);
export type LinkStateKind = z.infer<typeof LinkStateKind>;

export const LinkInfo = z.object({
  state: LinkStateKind,
  /** The event feed in use, for vendors with several (TWS: "TCP event socket", "WebSocket", "web-service polling"). */
  feed: z.string().max(64).optional(),
  /** Human-readable detail: why degraded or down, the next retry. */
  detail: z.string().max(512).optional(),
  since: z.number(),
  /** Epoch ms of the next reconnect attempt while down. */
  retryAt: z.number().optional(),
  attempt: z.number().int().nonnegative().default(0),
});
export type LinkInfo = z.infer<typeof LinkInfo>;

export const QueueStats = z.object({
  id: z.string().max(128),
  name: z.string().max(256),
  state: z.string().max(64).optional(),
  queuedCalls: z.number().int().nonnegative().optional(),
  longestWaitSec: z.number().nonnegative().optional(),
  agentsReady: z.number().int().nonnegative().optional(),
  agentsBusy: z.number().int().nonnegative().optional(),
  agentsNotReady: z.number().int().nonnegative().optional(),
  agentsLoggedOff: z.number().int().nonnegative().optional(),
  agents: z
    .array(z.object({ device: z.string(), agentId: z.string().optional(), state: AgentStateKind }))
    .max(2000)
    .default([]),
});
export type QueueStats = z.infer<typeof QueueStats>;

export const DirectoryEntry = z.object({
  number: PhoneNumber,
  name: z.string().max(256),
  company: z.string().max(256).optional(),
  numberType: z.enum(['work', 'home', 'mobile', 'ip']).optional(),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

/**
 * A colleague's phone as a supervisor's busy-lamp list shows it (TWS device states and supervision events).
 * idle/ringing/busy/held: its call state; outOfService: not monitored or its PBX link is down.
 */
export const colleagueStates = ['idle', 'ringing', 'busy', 'held', 'outOfService', 'unknown'] as const;
export const ColleagueStateKind = z.enum(colleagueStates);
export type ColleagueStateKind = z.infer<typeof ColleagueStateKind>;

export const Colleague = z.object({
  number: PhoneNumber,
  name: z.string().max(256).optional(),
  state: ColleagueStateKind,
  /** The vendor's own words for the state (e.g. TWS `Connected`, `ProviderLinkNull`), for a tooltip. */
  detail: z.string().max(128).optional(),
  /** Who the colleague is talking to, when the vendor says and the number is not withheld. */
  remote: Party.optional(),
  /** The colleague as an ACD agent, where the vendor reports agents live (InstantVoice iv.agents.#). */
  agentState: AgentStateKind.optional(),
  /** Why the agent is not ready (the pause's description). */
  reason: z.string().max(128).optional(),
  /** Direction of the colleague's current call. */
  direction: z.enum(['inbound', 'outbound']).optional(),
  since: z.number(),
});
export type Colleague = z.infer<typeof Colleague>;

/** The agent's whole view, folded from events by the reducer in reducer.ts. */
export interface ViewState {
  profileId: string | null;
  vendor: Vendor | null;
  device: string | null;
  link: LinkInfo;
  agent: AgentInfo | null;
  features: DeviceFeatures;
  calls: Record<string, Call>;
  /** Ids of calls already ended, so late or duplicated events cannot resurrect them. */
  ended: Record<string, number>;
  queues: Record<string, QueueStats>;
  /** Colleagues' phones the profile lists (supervisor busy-lamp field), in the profile's order. */
  colleagues: Colleague[];
  /** Commands the connected vendor supports at all (capabilities). */
  capabilities: string[];
  /** The most recent inbound alerting call, kept for the screen pop panel after it ends. */
  pop: Call | null;
  /** Recent notices from the connection (newest last, bounded). */
  notices: Notice[];
  /** The state the agent asked for after the current call ("Not ready after this call"); main applies it. */
  nextState: NextAgentState | null;
}

export const Notice = z.object({
  id: z.number().int(),
  level: z.enum(['info', 'warning', 'error']),
  code: z.string().max(64),
  message: z.string().max(1024),
  at: z.number(),
});
export type Notice = z.infer<typeof Notice>;
