// What the agent panel and the supervisor panel offer, from the agent image and the vendor's
// capabilities. Pure, so which controls a state yields is tested without React.
import type { Command } from '../../shared/commands.js';
import type { AgentInfo, AgentStateKind, ViewState } from '../../shared/model.js';
import type { NextAgentStateKind } from '../../shared/next-state.js';
import { orderedCalls } from '../../shared/reducer.js';
import type { IntrusionMode } from '../format/labels.js';
import type { Choice, Code } from './callButtons.js';

/** States an agent can ask for, in button order. */
export const requestableStates: AgentStateKind[] = ['ready', 'notReady', 'wrapUp', 'loggedOn', 'loggedOff'];
export const intrusionModes: IntrusionMode[] = ['listen', 'coach', 'barge'];

/**
 * Whether the agent panel shows at all: for an agent the vendor reports, or (with no agent yet) when
 * the vendor can set agent states. A vendor without ACD functions (no agent, no `setAgentState`)
 * gets no agent panel.
 */
export function showAgentPanel(agent: AgentInfo | null, capabilities: readonly string[]): boolean {
  return agent !== null || capabilities.includes('setAgentState');
}

/** The vendor's own not-ready reasons when it defines them (even none), else the profile's. */
export function notReadyReasons(agent: Pick<AgentInfo, 'reasons'> | null, profileReasons: readonly string[]): string[] {
  return [...(agent?.reasons ?? profileReasons)];
}

/**
 * The state buttons: states the server permits, except the current one — but "Not ready" stays
 * while there are reasons, so the agent can change the reason.
 */
export function agentStateChoices(agent: Pick<AgentInfo, 'state' | 'permitted'>, canSet: boolean, reasons: readonly string[]): AgentStateKind[] {
  if (!canSet) return [];
  return requestableStates.filter((s) => agent.permitted.includes(s) && (s !== agent.state || (s === 'notReady' && reasons.length > 0)));
}

/** Logged on to the ACD in any working state. */
export function isLoggedOn(agent: Pick<AgentInfo, 'state'> | null): boolean {
  return agent !== null && agent.state !== 'loggedOff' && agent.state !== 'unknown';
}

export const isSupervisor = (agent: Pick<AgentInfo, 'role'> | null): boolean => agent?.role === 'supervisor';

/** An agent (not a supervisor) logged on can ask for, or cancel, a supervisor's help. */
export function canAskForHelp(agent: Pick<AgentInfo, 'state' | 'role'> | null, capabilities: readonly string[]): boolean {
  return capabilities.includes('supervisorHelp') && isLoggedOn(agent) && !isSupervisor(agent);
}

export interface CodeTarget {
  callId: string;
  /** 'call': a live call offers it on its row; 'agent': the agent panel asks for it. */
  place: 'call' | 'agent';
}

/**
 * Which call a transaction code goes to. A live call that offers `transactionCode` (the newest
 * one) takes it on its own row. Otherwise, while the ACD waits for the code (`awaitingCode`), the
 * last ACD call: the last inbound call (the screen-pop call, even ended), else the call that
 * ended last. The contract does not say which call the ACD waits for; see the renderer README.
 */
export function transactionCodeTarget(view: Pick<ViewState, 'agent' | 'calls' | 'pop' | 'ended' | 'capabilities'>): CodeTarget | null {
  if (!view.capabilities.includes('transactionCode')) return null;
  const live = orderedCalls(view).filter((c) => c.allowed.includes('transactionCode'));
  const newest = live[live.length - 1];
  if (newest) return { callId: newest.id, place: 'call' };
  if (!view.agent?.awaitingCode) return null;
  if (view.pop) return { callId: view.pop.id, place: 'agent' };
  let last: [string, number] | null = null;
  for (const entry of Object.entries(view.ended)) if (!last || entry[1] > last[1]) last = entry;
  return last ? { callId: last[0], place: 'agent' } : null;
}

export interface HelpRequestControl {
  agent: string;
  canReject: boolean;
  modes: IntrusionMode[];
}

export interface GroupControl {
  group: string;
  /** The supervisor works in this group now. */
  active: boolean;
}

export interface SupervisorControls {
  helpRequests: HelpRequestControl[];
  /** Modes offered by "Intrude on agent"; empty without the `intrude` capability. */
  intrudeModes: IntrusionMode[];
  intrusion: { agent: string; mode: IntrusionMode; switchTo: IntrusionMode[] } | null;
  permanentListen: boolean;
  /** Groups to enter or leave; empty without the `setGroup` capability. */
  groups: GroupControl[];
}

/** The supervisor panel, or null for an agent (or no agent). */
export function supervisorControls(agent: AgentInfo | null, capabilities: readonly string[]): SupervisorControls | null {
  if (!agent || !isSupervisor(agent)) return null;
  const canIntrude = capabilities.includes('intrude');
  const canReject = capabilities.includes('supervisorHelp');
  const modes = canIntrude ? intrusionModes : [];
  return {
    helpRequests: [...new Set(agent.helpRequests ?? [])].map((a) => ({ agent: a, canReject, modes })),
    intrudeModes: modes,
    intrusion: agent.intrusion
      ? { agent: agent.intrusion.agent, mode: agent.intrusion.mode, switchTo: modes.filter((m) => m !== agent.intrusion?.mode) }
      : null,
    permanentListen: capabilities.includes('permanentListen'),
    groups: capabilities.includes('setGroup') ? (agent.groups ?? []).map((g) => ({ group: g, active: g === agent.group })) : [],
  };
}

/** Nothing at all to show in the supervisor panel. */
export function supervisorPanelEmpty(c: SupervisorControls): boolean {
  return c.helpRequests.length === 0 && c.intrudeModes.length === 0 && !c.intrusion && !c.permanentListen && c.groups.length === 0;
}

/** The site's codes of one kind (CTIPS: the profile's lists), none when the vendor has none. */
export function agentCodes(agent: Pick<AgentInfo, 'codes'> | null, kind: 'logout' | 'disposition' | 'reject'): Code[] {
  return [...(agent?.codes?.[kind] ?? [])];
}

/** Logging off: with the site's logout reasons, a menu whose entries send `loggedOff` with the code's id; else none (a plain button). */
export function logoutChoices(agent: Pick<AgentInfo, 'codes'> | null): Choice[] {
  return agentCodes(agent, 'logout').map((c) => ({ id: c.id, label: c.label, command: { kind: 'setAgentState', state: 'loggedOff', reason: c.id } }));
}

/** What a pending agent request shows: a logout reason by its label rather than its number. */
export function pendingReasonLabel(agent: Pick<AgentInfo, 'codes'> | null, state: AgentStateKind, reason: string | undefined): string | undefined {
  if (reason === undefined || state !== 'loggedOff') return reason;
  return agentCodes(agent, 'logout').find((c) => c.id === reason)?.label ?? reason;
}

export interface DispositionControl {
  /** The call the disposition is for; null once only the accepted one is left to show. */
  callId: string | null;
  codes: Code[];
  /** The accepted disposition: its label (its number when the site's list lacks it). */
  accepted: Code | null;
}

/**
 * Wrap-up disposition: a picker while `dispositionCallId` is set, the site has dispositions and the
 * vendor takes `setDisposition`; the accepted one shows once set.
 */
export function dispositionControl(agent: Pick<AgentInfo, 'codes' | 'dispositionCallId' | 'disposition'> | null, capabilities: readonly string[]): DispositionControl | null {
  if (!agent || !capabilities.includes('setDisposition')) return null;
  const codes = agentCodes(agent, 'disposition');
  const accepted = agent.disposition !== undefined ? (codes.find((c) => c.id === agent.disposition) ?? { id: agent.disposition, label: agent.disposition }) : null;
  const callId = agent.dispositionCallId !== undefined && codes.length > 0 ? agent.dispositionCallId : null;
  if (callId === null && !accepted) return null;
  return { callId, codes, accepted };
}

/** The command of the disposition picker. */
export function dispositionCommand(callId: string, disposition: string, successful: boolean, endWrap: boolean): Command {
  return { kind: 'setDisposition', callId, disposition, successful, endWrap };
}

export interface PanicLogoutControl {
  /** "Log out after this call" is offered (with the logout reasons as a menu when there are any). */
  offer: boolean;
  choices: Choice[];
  /** The logout waits for the call to end. */
  pending: boolean;
}

/**
 * Panic logout (`panicLogout` capability): offered to a logged-on agent while a call is on the
 * device, until the logout is pending; "logout pending" shows while `agent.logoutPending`.
 */
export function panicLogoutControl(view: Pick<ViewState, 'agent' | 'calls' | 'capabilities'>): PanicLogoutControl | null {
  const agent = view.agent;
  if (!agent) return null;
  const pending = agent.logoutPending === true;
  const capable = view.capabilities.includes('panicLogout');
  const offer = capable && !pending && isLoggedOn(agent) && Object.keys(view.calls).length > 0;
  if (!offer && !pending) return null;
  const choices: Choice[] = agentCodes(agent, 'logout').map((c) => ({ id: c.id, label: c.label, command: { kind: 'panicLogout', reason: c.id } }));
  return { offer, choices, pending };
}

export const panicLogoutCommand: Command = { kind: 'panicLogout' };

/** The passcode banner's text while the login waits for the agent to key it on the phone. */
export function passcodeText(agent: Pick<AgentInfo, 'passcode'> | null): string | null {
  const code = agent?.passcode?.trim();
  return code ? `Key passcode ${code} on your phone to finish logging in` : null;
}

export interface NextStateControl {
  /** "After this call ▾": the states the agent can queue (empty once one is queued). */
  choices: Choice[];
  /** The queued state, as the chip shows it ("Not ready (Lunch)"); null when none. */
  queued: string | null;
}

/**
 * "After this call": offered to a logged-on agent with agent states while a call is on the device or
 * during wrap-up. Not ready with each reason (or plain), and log off with each logout reason where
 * the vendor has no logout of its own that waits for the call (panic logout). Main applies the
 * queued state once the agent is between calls; the chip shows it until then.
 */
export function nextStateControl(view: Pick<ViewState, 'agent' | 'calls' | 'capabilities' | 'nextState'>, reasons: readonly string[]): NextStateControl | null {
  const { agent, nextState } = view;
  if (!agent || !view.capabilities.includes('setAgentState')) return null;
  if (nextState) {
    const reason = pendingReasonLabel(agent, nextState.state, nextState.reason);
    return { choices: [], queued: `${nextStateNames[nextState.state]}${reason ? ` (${reason})` : ''}` };
  }
  const onCall = Object.keys(view.calls).length > 0 || agent.state === 'wrapUp';
  if (!isLoggedOn(agent) || !onCall) return null;
  const notReady: Choice[] = reasons.length
    ? reasons.map((r) => ({ id: `notReady:${r}`, label: notReadyChoiceLabel(r), command: { kind: 'setNextAgentState', state: 'notReady', reason: r } }))
    : [{ id: 'notReady', label: 'Not ready', command: { kind: 'setNextAgentState', state: 'notReady' } }];
  const codes = agentCodes(agent, 'logout');
  const logOff: Choice[] = view.capabilities.includes('panicLogout')
    ? []
    : codes.length
      ? codes.map((c) => ({ id: `loggedOff:${c.id}`, label: `Log off: ${c.label}`, command: { kind: 'setNextAgentState', state: 'loggedOff', reason: c.id } }))
      : [{ id: 'loggedOff', label: 'Log off', command: { kind: 'setNextAgentState', state: 'loggedOff' } }];
  return { choices: [...(agent.state === 'notReady' ? [] : notReady), ...logOff], queued: null };
}

const nextStateNames: Record<NextAgentStateKind, string> = { notReady: 'Not ready', loggedOff: 'Log off' };

/** A menu entry for a not-ready reason: "Not ready: Lunch", or the reason itself where it says so already (CTIPS's "Not ready (park)"). */
export const notReadyChoiceLabel = (reason: string): string => (/^not ready/i.test(reason) ? reason : `Not ready: ${reason}`);

export const dropNextStateCommand: Command = { kind: 'setNextAgentState', state: null };
