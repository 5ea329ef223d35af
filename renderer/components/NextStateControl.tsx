// "After this call ▾": the agent queues Not ready (with a reason) or Log off during a call; main
// applies it once the call and its wrap-up are over, so the ACD does not route another call first.
// A chip shows the queued state, with a button that drops it.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Command } from '../../shared/commands.js';
import { dropNextStateCommand, nextStateControl } from '../controls/agentControls.js';
import { sendCommand } from '../state/commands.js';
import { useViewStore } from '../state/viewStore.js';
import { ChoiceMenu } from './ChoiceMenu.js';

export function NextStateControl({ reasons }: { reasons: readonly string[] }) {
  const view = useViewStore(useShallow((s) => ({ agent: s.view.agent, calls: s.view.calls, capabilities: s.view.capabilities, nextState: s.view.nextState })));
  const [busy, setBusy] = useState(false);
  const control = nextStateControl(view, reasons);
  if (!control) return null;
  const send = async (command: Command) => {
    setBusy(true);
    await sendCommand(command);
    setBusy(false);
  };
  return (
    <div className="agent-next">
      {control.choices.length > 0 && (
        <ChoiceMenu
          choices={control.choices}
          disabled={busy}
          onPick={(id) => {
            const c = control.choices.find((x) => x.id === id);
            if (c) void send(c.command);
          }}
          label="After this call"
          menuLabel="State after this call"
          className="btn btn-sm"
          testId="agent-next-state"
          itemTestId="agent-next-state-choice"
        />
      )}
      {control.queued && (
        <>
          <span className="chip chip-accent" role="status" data-testid="agent-next-state-queued">
            After this call: {control.queued}
          </span>
          <button type="button" className="btn btn-sm btn-ghost" disabled={busy} onClick={() => void send(dropNextStateCommand)} aria-label="Cancel the state after this call" data-testid="agent-next-state-drop">
            Cancel
          </button>
        </>
      )}
    </div>
  );
}
