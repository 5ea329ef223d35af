// Call forwarding: the active forwards (each can be turned off) and a form to set one.
import { useState } from 'react';
import { Dialable } from '../../shared/commands.js';
import { forwardTypes, type ForwardType } from '../../shared/model.js';
import { cleanDialInput } from '../format/dial.js';
import { forwardTypeLabels } from '../format/labels.js';
import { sendCommand } from '../state/commands.js';
import { useCapability } from '../state/selectors.js';
import { useViewStore } from '../state/viewStore.js';

export function ForwardControl() {
  const forwards = useViewStore((s) => s.view.features.forwards);
  const canSet = useCapability('setForward');
  const [type, setType] = useState<ForwardType>('immediate');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = async (cmd: { type: ForwardType; on: boolean; to?: string }) => {
    setBusy(true);
    const ok = await sendCommand({ kind: 'setForward', ...cmd });
    setBusy(false);
    if (ok && cmd.on) setTo('');
  };

  const submit = () => {
    const number = cleanDialInput(to);
    if (!Dialable.safeParse(number).success) {
      setError('Enter the number to forward to');
      return;
    }
    void set({ type, to: number, on: true });
  };

  return (
    <div className="forward" data-testid="forward-panel">
      <h3 className="sub-title">Forwarding</h3>
      {forwards.length === 0 ? (
        <p className="hint" data-testid="forward-none">
          Calls are not forwarded.
        </p>
      ) : (
        <ul className="forward-list" data-testid="forward-list">
          {forwards.map((f) => (
            <li key={f.type} className="forward-item" data-testid="forward-item" data-type={f.type}>
              <span className="forward-type">{forwardTypeLabels[f.type]}</span>
              <span className="mono">→ {f.to}</span>
              {canSet && (
                <button type="button" className="btn btn-sm btn-ghost" disabled={busy} onClick={() => void set({ type: f.type, on: false })} data-testid="forward-off" aria-label={`Turn off forwarding ${forwardTypeLabels[f.type]}`}>
                  Turn off
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canSet && (
        <form
          className="forward-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label className="visually-hidden" htmlFor="forward-type">
            Forward when
          </label>
          <select id="forward-type" className="input select" value={type} onChange={(e) => setType(e.target.value as ForwardType)} data-testid="forward-type">
            {forwardTypes.map((t) => (
              <option key={t} value={t}>
                {forwardTypeLabels[t]}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor="forward-number">
            Forward to number
          </label>
          <input
            id="forward-number"
            className="input"
            inputMode="tel"
            autoComplete="off"
            placeholder="To number"
            value={to}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setTo(e.target.value);
              setError(null);
            }}
            data-testid="forward-number"
          />
          <button type="submit" className="btn btn-sm" disabled={busy || !to.trim()} data-testid="forward-on">
            Forward
          </button>
          {error && (
            <p className="field-error forward-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
