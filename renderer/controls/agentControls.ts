// What the agent panel and the supervisor panel offer, from the agent image and the vendor's
// capabilities. Pure, so which controls a state yields is tested without React.
import type { AgentInfo, AgentStateKind, ViewState } from '../../shared/model.js';
import { orderedCalls } from '../../shared/reducer.js';
import type { IntrusionMode } from '../format/labels.js';

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
