// Words on screen for the model's enums.
import type { LogLevel } from '../../shared/bridge.js';
import type { Command, CommandKind } from '../../shared/commands.js';
import type { AgentInfo, AgentStateKind, Call, CallAction, CallState, ColleagueStateKind, ForwardType, LinkInfo, LinkStateKind, Overflow, Vendor } from '../../shared/model.js';
import type { CtipsConnection, InstantVoiceConnection, O2gConnection, TwsConnection, TwsFeed } from '../../shared/profile.js';

export const vendorLabels: Record<Vendor, string> = {
  telservices: 'TelServices',
  tws: 'TWS',
  ctips: 'CTIPS',
  o2g: 'O2G',
  instantvoice: 'InstantVoice',
};

export const agentStateLabels: Record<AgentStateKind, string> = {
  loggedOff: 'Logged off',
  loggedOn: 'Logged on',
  notReady: 'Not ready',
  ready: 'Ready',
  busy: 'On a call',
  wrapUp: 'Wrap-up',
  unknown: 'Unknown',
};

/** What the button that requests each state says. */
export const agentStateActions: Partial<Record<AgentStateKind, string>> = {
  ready: 'Ready',
  notReady: 'Not ready',
  wrapUp: 'Wrap-up',
  loggedOn: 'Log on',
  loggedOff: 'Log off',
};

export const callStateLabels: Record<CallState, string> = {
  dialing: 'Dialing',
  ringing: 'Ringing',
  queued: 'Queued',
  alerting: 'Incoming',
  connected: 'Connected',
  held: 'On hold',
  failed: 'Failed',
  cleared: 'Ended',
};

export const linkStateLabels: Record<LinkStateKind, string> = {
  connecting: 'Connecting',
  up: 'Connected',
  degraded: 'Degraded',
  down: 'Disconnected',
};

/** The link state with the event feed in use, when the vendor names one: "Connected · TCP event socket". */
export function linkText(link: Pick<LinkInfo, 'state' | 'feed'>): string {
  const feed = link.feed?.trim();
  return feed ? `${linkStateLabels[link.state]} · ${feed}` : linkStateLabels[link.state];
}

/** A colleague's phone in the busy-lamp list. */
export const colleagueStateLabels: Record<ColleagueStateKind, string> = {
  idle: 'Free',
  ringing: 'Ringing',
  busy: 'On a call',
  held: 'On hold',
  outOfService: 'Out of service',
  unknown: 'Unknown',
};

export const forwardTypeLabels: Record<ForwardType, string> = {
  immediate: 'Always',
  busy: 'When busy',
  noAnswer: 'No answer',
  immInt: 'Always (internal)',
  immExt: 'Always (external)',
  busyInt: 'Busy (internal)',
  busyExt: 'Busy (external)',
  noAnswerInt: 'No answer (internal)',
  noAnswerExt: 'No answer (external)',
};

/** Button labels; the ones ending in "…" ask for a number first. */
export const callActionLabels: Record<CallAction, string> = {
  answer: 'Answer',
  clear: 'Hang up',
  hold: 'Hold',
  retrieve: 'Retrieve',
  consult: 'Consult…',
  alternate: 'Alternate',
  transfer: 'Transfer',
  conference: 'Conference',
  reconnect: 'Cancel consult',
  redirect: 'Divert…',
  addParty: 'Add party…',
  sendDtmf: 'Keypad…',
  park: 'Park',
  record: 'Record',
  callBack: 'Call back',
  transactionCode: 'Code…',
  reject: 'Reject',
};

export type RecordOp = (Command & { kind: 'record' })['action'];

/** Recording buttons: which ones a call shows follows `Call.recording`. */
export const recordActionLabels: Record<RecordOp, string> = {
  start: 'Record',
  pause: 'Pause recording',
  resume: 'Resume recording',
  stop: 'Stop recording',
};

/** The recording indicator on a call row: short text, and what a screen reader says. */
export const recordingStateLabels: Record<NonNullable<Call['recording']>, { short: string; spoken: string }> = {
  recording: { short: 'REC', spoken: 'Recording' },
  paused: { short: 'REC paused', spoken: 'Recording paused' },
};

export type IntrusionMode = NonNullable<AgentInfo['intrusion']>['mode'];

/** Buttons that join (or switch) an intrusion in each mode. */
export const intrusionModeLabels: Record<IntrusionMode, string> = {
  listen: 'Listen',
  coach: 'Coach',
  barge: 'Barge in',
};

/** What the supervisor is doing in each mode. */
export const intrusionStateLabels: Record<IntrusionMode, string> = {
  listen: 'Listening to',
  coach: 'Coaching',
  barge: 'In the call of',
};

export const intrusionModeHints: Record<IntrusionMode, string> = {
  listen: 'Hear the call; nobody hears you',
  coach: 'Talk to the agent only',
  barge: 'Join the call: everybody hears you',
};

export const agentRoleLabels: Record<NonNullable<AgentInfo['role']>, string> = {
  agent: 'Agent',
  supervisor: 'Supervisor',
};

export const overflowTypeLabels: Record<Overflow['type'], string> = {
  busy: 'When busy',
  noAnswer: 'No answer',
  busyNoAnswer: 'Busy or no answer',
};

export const overflowTargetLabels: Record<Overflow['to'], string> = {
  voicemail: 'Voicemail',
  associate: 'Associate',
};

export const o2gUrlsLabels: Record<O2gConnection['urls'], string> = {
  internal: 'Internal (LAN)',
  public: 'Public (reverse proxy)',
};

export const twsApiLabels: Record<TwsConnection['api'], string> = {
  json: 'JSON (HTTP GET)',
  xml: 'XML (HTTP GET)',
  soap: 'SOAP 1.1',
};

export const twsAuthLabels: Record<TwsConnection['auth'], string> = {
  user: 'User: API key with the user’s own password',
  admin: 'Administrator: admin API key and account',
};

export const twsFeedLabels: Record<TwsFeed, string> = {
  tcp: 'TCP event socket',
  websocket: 'WebSocket',
  poll: 'Web-service polling',
};

export const ivRoleLabels: Record<InstantVoiceConnection['role'], string> = {
  agent: 'Agent',
  supervisor: 'Supervisor',
  admin: 'Administrator',
};

export const ctipsRoleLabels: Record<CtipsConnection['role'], string> = {
  agent: 'Agent',
  supervisor: 'Supervisor',
};

export const ctipsInitialStateLabels: Record<CtipsConnection['initialState'], string> = {
  NotReady: 'Not ready',
  Idle: 'Ready (idle)',
};

/** A call's direction, as the team roster says it. */
export const callDirectionLabels: Record<'inbound' | 'outbound', string> = {
  inbound: 'Inbound',
  outbound: 'Outbound',
};

export const twsPbxLabels: Record<TwsConnection['pbx'], string> = {
  alcatel: 'Alcatel-Lucent OmniPCX',
  other: 'Other PBX',
};

const commandLabels: Record<CommandKind, string> = {
  makeCall: 'Call',
  redial: 'Redial',
  answer: 'Answer',
  clear: 'Hang up',
  hold: 'Hold',
  retrieve: 'Retrieve',
  consult: 'Consult',
  alternate: 'Alternate',
  transfer: 'Transfer',
  conference: 'Conference',
  reconnect: 'Cancel consult',
  redirect: 'Divert',
  addParty: 'Add party',
  sendDtmf: 'Send digits',
  park: 'Park',
  pickup: 'Pick up',
  setAgentState: 'Agent state change',
  setNextAgentState: 'State after this call',
  setForward: 'Forwarding',
  setDnd: 'Do not disturb',
  setCallData: 'Call data update',
  snapshot: 'Refresh',
  checkLink: 'Retry now',
  record: 'Recording',
  callBack: 'Call back',
  transactionCode: 'Transaction code',
  unpark: 'Unpark',
  supervisorHelp: 'Supervisor help',
  intrude: 'Intrusion',
  permanentListen: 'Permanent listening',
  setGroup: 'Group change',
  setTeamAgentState: 'Team agent state change',
  setOverflow: 'Overflow',
  acknowledgeMissed: 'Acknowledge missed calls',
  reject: 'Reject',
  setDisposition: 'Disposition',
  panicLogout: 'Log out after this call',
};

export const logLevelLabels: Record<LogLevel, string> = {
  info: 'Normal',
  debug: 'Detailed',
  trace: 'Everything',
};

export function commandLabel(kind: CommandKind): string {
  return commandLabels[kind];
}
