// Do-not-disturb switch. It shows the device's state: it flips when the PBX reports the change.
// Vendors without DND (TWS) never report that state, so the switch is not shown at all.
import { useState } from 'react';
import { sendCommand } from '../state/commands.js';
import { useCapability } from '../state/selectors.js';
import { useViewStore } from '../state/viewStore.js';

export function DndToggle() {
  const dnd = useViewStore((s) => s.view.features.dnd);
  const canSet = useCapability('setDnd');
  const [busy, setBusy] = useState(false);

  const toggle = async () => {
    setBusy(true);
    await sendCommand({ kind: 'setDnd', on: !dnd });
    setBusy(false);
  };

  if (!canSet) return null;
  return (
    <div className="feature-row">
      <span id="dnd-label" className="feature-label">
        Do not disturb
      </span>
      <button
        type="button"
        role="switch"
        aria-checked={dnd}
        aria-labelledby="dnd-label"
        aria-busy={busy || undefined}
        className={`switch${dnd ? ' switch-on' : ''}`}
        disabled={busy}
        onClick={() => void toggle()}
        data-testid="dnd-toggle"
        data-state={dnd ? 'on' : 'off'}
      >
        <span className="switch-knob" aria-hidden="true" />
        <span className="switch-text" aria-hidden="true">{dnd ? 'On' : 'Off'}</span>
      </button>
    </div>
  );
}
