// Words on screen for the model's enums.
import type { CommandKind } from '../../shared/commands.js';
import type { AgentStateKind, CallAction, CallState, ForwardType, LinkStateKind, Vendor } from '../../shared/model.js';

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
};

const commandLabels: Record<CommandKind, string> = {
  makeCall: 'Call',
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
  setForward: 'Forwarding',
  setDnd: 'Do not disturb',
  setCallData: 'Call data update',
  snapshot: 'Refresh',
};

export function commandLabel(kind: CommandKind): string {
  return commandLabels[kind];
}
