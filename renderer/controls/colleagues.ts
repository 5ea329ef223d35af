// The colleagues' busy-lamp list: one row per phone the profile lists, in its order, with the
// words for its state, who it talks to, and whether the agent can call it. Where the vendor reports
// the colleagues as ACD agents (the supervisor's team roster), also the agent state, the pause
// reason and the call's direction, and what the supervisor may change about it. Pure.
import { TEAM_CAPABILITY } from '../../shared/admin.js';
import type { Command } from '../../shared/commands.js';
import type { AgentStateKind, Colleague, ColleagueStateKind } from '../../shared/model.js';
import { agentStateLabels, callDirectionLabels, colleagueStateLabels } from '../format/labels.js';
import { isRedialable, partyTitle } from '../format/party.js';
import { notReadyChoiceLabel } from './agentControls.js';
import type { Choice } from './callButtons.js';

export interface ColleagueRow {
  number: string;
  name: string | undefined;
  state: ColleagueStateKind;
  stateLabel: string;
  /** The vendor's own words for the state, for the tooltip (absent when they add nothing). */
  detail: string | undefined;
  /** Who the colleague is talking to: "Ada Lovelace" or the number; absent when unknown. */
  remote: string | undefined;
  since: number;
  /** Show a Call button: the vendor places calls, and this is not the agent's own phone. */
  canCall: boolean;
  /** The colleague as an ACD agent, when the vendor reports it (absent for a plain busy lamp). */
  agentState: AgentStateKind | undefined;
  agentStateLabel: string | undefined;
  /** Why the agent is not ready; only while not ready. */
  reason: string | undefined;
  /** The current call's direction, while on the phone with a known direction. */
  direction: 'inbound' | 'outbound' | undefined;
  /** The call in words for an agent: "Inbound call from ACME", "Outbound call" (absent otherwise). */
  callText: string | undefined;
}

/** States where a colleague is on the phone (or about to be): the remote party means something. */
const onThePhone: ReadonlySet<ColleagueStateKind> = new Set(['ringing', 'busy', 'held']);

export function colleagueRows(colleagues: readonly Colleague[], capabilities: readonly string[], ownDevice: string | null): ColleagueRow[] {
  const canDial = capabilities.includes('makeCall');
  return colleagues.map((c) => {
    const name = c.name?.trim() || undefined;
    // Beside an agent state, a bare "Free" reads as the agent's; say it is the phone.
    const stateLabel = c.agentState && c.state === 'idle' ? 'Phone free' : colleagueStateLabels[c.state];
    const detail = c.detail?.trim();
    const onCall = onThePhone.has(c.state) || c.agentState === 'busy';
    const remote = c.remote && onCall && (c.remote.name?.trim() || isRedialable(c.remote)) ? partyTitle(c.remote) : undefined;
    const direction = onCall ? c.direction : undefined;
    const reason = c.agentState === 'notReady' ? c.reason?.trim() || undefined : undefined;
    return {
      number: c.number,
      name,
      state: c.state,
      stateLabel,
      detail: detail && detail.toLowerCase() !== stateLabel.toLowerCase() ? detail : undefined,
      remote,
      since: c.since,
      canCall: canDial && c.number.trim() !== '' && c.number !== ownDevice,
      agentState: c.agentState,
      agentStateLabel: c.agentState ? agentStateLabels[c.agentState] : undefined,
      reason,
      direction,
      callText: direction ? `${callDirectionLabels[direction]} call${remote ? ` ${direction === 'inbound' ? 'from' : 'to'} ${remote}` : ''}` : undefined,
    };
  });
}

/** How many colleagues are in each state, for the panel heading ("3 on a call"), in state order. */
export function colleagueCounts(colleagues: readonly Colleague[]): { state: ColleagueStateKind; count: number }[] {
  const counts = new Map<ColleagueStateKind, number>();
  for (const c of colleagues) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  return (Object.keys(colleagueStateLabels) as ColleagueStateKind[]).filter((s) => counts.has(s)).map((state) => ({ state, count: counts.get(state) ?? 0 }));
}

/** How many agents are in each agent state (colleagues without one are left out), in state order. */
export function agentStateCounts(colleagues: readonly Colleague[]): { state: AgentStateKind; count: number }[] {
  const counts = new Map<AgentStateKind, number>();
  for (const c of colleagues) if (c.agentState) counts.set(c.agentState, (counts.get(c.agentState) ?? 0) + 1);
  return (Object.keys(agentStateLabels) as AgentStateKind[]).filter((s) => counts.has(s)).map((state) => ({ state, count: counts.get(state) ?? 0 }));
}

/** The panel's title: "Team" for a session that reports every agent live, else "Colleagues". */
export const colleaguesTitle = (capabilities: readonly string[]): string => (capabilities.includes(TEAM_CAPABILITY) ? 'Team' : 'Colleagues');

/** The summary under the title: agent states when the vendor reports agents, else the phones' states. */
export function colleagueSummary(colleagues: readonly Colleague[]): string {
  const agents = agentStateCounts(colleagues);
  if (agents.length > 0) return agents.map((c) => `${c.count} ${agentStateLabels[c.state].toLowerCase()}`).join(' · ');
  return colleagueCounts(colleagues)
    .map((c) => `${c.count} ${colleagueStateLabels[c.state].toLowerCase()}`)
    .join(' · ');
}

/** A supervisor's change to a team member's state; logging off asks first. */
export interface TeamAgentChoice extends Choice {
  confirm: boolean;
}

/**
 * What a supervisor can do to an agent on the team roster (`setTeamAgentState`): make a paused agent
 * ready, pause a working one with each of the reasons (the vendor's `teamReasons` where it has its
 * own, e.g. CTIPS: plain or parked), log any logged-on agent off. Not for the
 * supervisor's own row (their own panel does that), nor for agents logged off or in an unknown state.
 */
export function teamAgentChoices(row: Pick<ColleagueRow, 'number' | 'agentState'>, capabilities: readonly string[], reasons: readonly string[], ownAgentId: string | undefined): TeamAgentChoice[] {
  if (!capabilities.includes('setTeamAgentState') || !row.agentState || row.agentState === 'loggedOff' || row.agentState === 'unknown') return [];
  if (ownAgentId !== undefined && row.number === ownAgentId) return [];
  const command = (state: 'ready' | 'notReady' | 'loggedOff', reason?: string): Command => ({
    kind: 'setTeamAgentState',
    agent: row.number,
    state,
    ...(reason !== undefined ? { reason } : {}),
  });
  const choices: TeamAgentChoice[] = [];
  if (row.agentState === 'notReady') choices.push({ id: 'ready', label: 'Make ready', command: command('ready'), confirm: false });
  else if (reasons.length) for (const r of reasons) choices.push({ id: `notReady:${r}`, label: notReadyChoiceLabel(r), command: command('notReady', r), confirm: false });
  else choices.push({ id: 'notReady', label: 'Not ready', command: command('notReady'), confirm: false });
  choices.push({ id: 'loggedOff', label: 'Log off…', command: command('loggedOff'), confirm: true });
  return choices;
}
