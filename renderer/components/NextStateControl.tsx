// "After this call ▾": the agent queues Not ready (with a reason) or Log off during a call; main
// applies it once the call and its wrap-up are over, so the ACD does not route another call first.
// A chip shows the queued state, with a button that drops it.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { dropNextStateCommand, nextStateControl } from '../controls/agentControls.js';
import { sendCommand } from '../state/commands.js';
import { useViewStore } from '../state/viewStore.js';
import { CommandMenu } from './CommandMenu.js';

export function NextStateControl({ reasons }: { reasons: readonly string[] }) {
  const view = useViewStore(useShallow((s) => ({ agent: s.view.agent, calls: s.view.calls, capabilities: s.view.capabilities, nextState: s.view.nextState })));
  const [busy, setBusy] = useState(false);
  const control = nextStateControl(view, reasons);
  if (!control) return null;
  const drop = async () => {
    setBusy(true);
    await sendCommand(dropNextStateCommand);
    setBusy(false);
  };
  return (
    <div className="agent-next">
      {control.choices.length > 0 && (
        <CommandMenu
          choices={control.choices}
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
          <button type="button" className="btn btn-sm btn-ghost" disabled={busy} onClick={() => void drop()} aria-label="Cancel the state after this call" data-testid="agent-next-state-drop">
            Cancel
          </button>
        </>
      )}
    </div>
  );
}
