// Overflow (O2G overflow route): where calls go when the agent is busy or does not answer —
// off, or to voicemail (or the associate) on busy, no answer, or both.
import { useId, useState } from 'react';
import { overflowTypes, type Overflow } from '../../shared/model.js';
import { overflowState, overflowSummary } from '../controls/features.js';
import { overflowTargetLabels, overflowTypeLabels } from '../format/labels.js';
import { sendCommand } from '../state/commands.js';
import { useCapability } from '../state/selectors.js';
import { useViewStore } from '../state/viewStore.js';

const targets = Object.keys(overflowTargetLabels) as Overflow['to'][];

export function OverflowControl() {
  const overflow = useViewStore((s) => s.view.features.overflow);
  const canSet = useCapability('setOverflow');
  const id = useId();
  const [type, setType] = useState<Overflow['type']>(overflow?.type ?? 'busyNoAnswer');
  const [to, setTo] = useState<Overflow['to']>(overflow?.to ?? 'voicemail');
  const [busy, setBusy] = useState(false);
  const summary = overflowSummary(overflow);
  if (!canSet && summary === null) return null;

  const set = async (on: boolean) => {
    setBusy(true);
    await sendCommand(on ? { kind: 'setOverflow', on, type, to } : { kind: 'setOverflow', on, type: overflow?.type ?? type, to: overflow?.to ?? to });
    setBusy(false);
  };
  const unchanged = overflow?.type === type && overflow.to === to;

  return (
    <div className="overflow" data-testid="overflow-panel">
      <h3 className="sub-title" id={`${id}-title`}>
        Overflow
      </h3>
      <div className={`overflow-state${overflow ? ' overflow-on' : ''}`} data-testid="overflow-state" data-state={overflowState(overflow)} data-to={overflow?.to}>
        <span>{summary ?? 'Not reported by the phone system'}</span>
        {canSet && overflow && (
          <button type="button" className="btn btn-sm btn-ghost" disabled={busy} onClick={() => void set(false)} aria-label="Turn overflow off" data-testid="overflow-off">
            Turn off
          </button>
        )}
      </div>
      {canSet && (
        <form
          className="forward-form"
          aria-labelledby={`${id}-title`}
          onSubmit={(e) => {
            e.preventDefault();
            void set(true);
          }}
        >
          <label className="visually-hidden" htmlFor={`${id}-type`}>
            Overflow when
          </label>
          <select id={`${id}-type`} className="input select" value={type} onChange={(e) => setType(e.target.value as Overflow['type'])} data-testid="overflow-type">
            {overflowTypes.map((t) => (
              <option key={t} value={t}>
                {overflowTypeLabels[t]}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor={`${id}-to`}>
            Overflow to
          </label>
          <select id={`${id}-to`} className="input select" value={to} onChange={(e) => setTo(e.target.value as Overflow['to'])} data-testid="overflow-to">
            {targets.map((t) => (
              <option key={t} value={t}>
                To {overflowTargetLabels[t].toLowerCase()}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-sm" disabled={busy || unchanged} data-testid="overflow-on">
            {overflow ? 'Change overflow' : 'Turn overflow on'}
          </button>
        </form>
      )}
    </div>
  );
}
