// A setAgentState reply only means the server accepted the request; the agent state changes
// when its event arrives. Until then the control shows the requested state as pending.
import { create } from 'zustand';
import type { AgentInfo, AgentStateKind } from '../../shared/model.js';

export const AGENT_CONFIRM_MS = 10_000;

export interface AgentRequest {
  state: AgentStateKind;
  reason?: string;
  at: number;
}

/** Whether an agent image shows the request applied. */
export function satisfies(agent: AgentInfo | null, req: AgentRequest): boolean {
  if (!agent) return false;
  // A logon lands in whatever state the ACD puts a new agent in (O2G: straight to ready).
  if (req.state === 'loggedOn') return agent.state !== 'loggedOff' && agent.state !== 'unknown';
  if (agent.state !== req.state) return false;
  // A logout reason is a code the ACD takes, not one it reports back.
  if (req.state === 'loggedOff') return true;
  return req.reason === undefined || agent.reason === req.reason;
}

interface AgentPendingState {
  pending: AgentRequest | null;
  begin(req: AgentRequest): void;
  /** The request failed or went unconfirmed. */
  cancel(): void;
  /** A new agent image arrived. */
  settle(agent: AgentInfo | null): void;
}

export const useAgentPending = create<AgentPendingState>()((set, get) => ({
  pending: null,
  begin(req) {
    set({ pending: req });
  },
  cancel() {
    set({ pending: null });
  },
  settle(agent) {
    const p = get().pending;
    if (p && satisfies(agent, p)) set({ pending: null });
  },
}));
