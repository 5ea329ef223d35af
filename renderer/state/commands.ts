// Sending CTI commands. The reply only says the vendor accepted it; what changed arrives as state.
import type { Command } from '../../shared/commands.js';
import { getBridge } from '../bridge/index.js';
import { commandLabel } from '../format/labels.js';
import { AGENT_CONFIRM_MS, useAgentPending } from './agentPending.js';
import { useToastStore, toastError } from './toastStore.js';

/** Resolves true when accepted; a refusal becomes an error toast. */
export async function sendCommand(cmd: Command): Promise<boolean> {
  const reply = await getBridge().invoke('cti.command', cmd);
  if (reply.ok) return true;
  toastError(`${commandLabel(cmd.kind)} failed: ${reply.error.message}`);
  return false;
}

export async function setAgentState(state: Command & { kind: 'setAgentState' }): Promise<void> {
  const pending = useAgentPending.getState();
  const req = { state: state.state, ...(state.reason !== undefined ? { reason: state.reason } : {}), at: Date.now() };
  pending.begin(req);
  if (!(await sendCommand(state))) {
    pending.cancel();
    return;
  }
  setTimeout(() => {
    const p = useAgentPending.getState().pending;
    if (p !== req) return;
    useAgentPending.getState().cancel();
    useToastStore.getState().push('warning', 'The phone system accepted the agent state change but has not reported it yet.');
  }, AGENT_CONFIRM_MS);
}
