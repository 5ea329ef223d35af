// Take a call from elsewhere: pick up one ringing at another extension, or unpark one parked at
// another extension (or, with the field empty, on this phone).
import { useId, useState } from 'react';
import { checkPromptInput } from '../format/promptInput.js';
import { sendCommand } from '../state/commands.js';
import { useCapability } from '../state/selectors.js';

export function PickupControl() {
  const canPickup = useCapability('pickup');
  const canUnpark = useCapability('unpark');
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!canPickup && !canUnpark) return null;

  const run = async (kind: 'pickup' | 'unpark') => {
    const empty = text.trim() === '';
    if (empty && kind === 'pickup') {
      setError('Enter the extension that rings');
      return;
    }
    const checked = empty ? null : checkPromptInput('dial', text);
    if (checked && !checked.ok) {
      setError(checked.error);
      return;
    }
    setBusy(true);
    const from = checked?.value;
    const ok = await sendCommand(kind === 'pickup' ? { kind, from: from ?? '' } : from ? { kind, from } : { kind });
    setBusy(false);
    if (ok) setText('');
  };

  return (
    <div className="pickup" data-testid="pickup-panel">
      <h3 className="sub-title">{canPickup && canUnpark ? 'Pick up or unpark' : canPickup ? 'Pick up' : 'Unpark'}</h3>
      <form
        className="forward-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(canPickup ? 'pickup' : 'unpark');
        }}
      >
        <label className="visually-hidden" htmlFor={`${id}-number`}>
          {canPickup ? 'Extension ringing or holding the parked call' : 'Extension holding the parked call'}
        </label>
        <input
          id={`${id}-number`}
          className="input pickup-number"
          inputMode="tel"
          autoComplete="off"
          placeholder={canUnpark ? 'Extension (empty: this phone)' : 'Extension'}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          data-testid="pickup-number"
        />
        {canPickup && (
          <button type="submit" className="btn btn-sm" disabled={busy || !text.trim()} data-testid="pickup-call">
            Pick up
          </button>
        )}
        {canUnpark && (
          <button
            type={canPickup ? 'button' : 'submit'}
            className="btn btn-sm"
            disabled={busy}
            onClick={canPickup ? () => void run('unpark') : undefined}
            aria-label={text.trim() ? `Unpark the call parked at ${text.trim()}` : 'Unpark the call parked on this phone'}
            data-testid="unpark-call"
          >
            Unpark
          </button>
        )}
        {error && (
          <p id={`${id}-error`} className="field-error forward-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}
