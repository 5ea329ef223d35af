// Number field and keypad. Enter dials; a pasted "tel:+44 (20) 7946-0018" becomes "+442079460018".
import { useState, type ClipboardEvent } from 'react';
import { cleanDialInput, insertAt } from '../format/dial.js';
import { sendCommand } from '../state/commands.js';
import { useCapability } from '../state/selectors.js';
import { useDialStore } from '../state/dialStore.js';
import { QuickConnectList } from './QuickConnects.js';

const keys: [string, string][] = [
  ['1', ''], ['2', 'ABC'], ['3', 'DEF'],
  ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'],
  ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'],
  ['*', ''], ['0', '+'], ['#', ''],
];

export function DialPad() {
  const number = useDialStore((s) => s.number);
  const error = useDialStore((s) => s.error);
  const busy = useDialStore((s) => s.busy);
  const setNumber = useDialStore((s) => s.setNumber);
  const dial = useDialStore((s) => s.dial);
  const canDial = useCapability('makeCall');
  // The PBX's own last-number redial, where the vendor has one (TWS_Bis).
  const canRedial = useCapability('redial');
  const [redialing, setRedialing] = useState(false);
  const redial = async () => {
    setRedialing(true);
    await sendCommand({ kind: 'redial' });
    setRedialing(false);
  };

  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    e.preventDefault();
    const input = e.currentTarget;
    const next = insertAt(number, input.selectionStart ?? number.length, input.selectionEnd ?? number.length, cleanDialInput(e.clipboardData.getData('text')));
    setNumber(next.value);
    requestAnimationFrame(() => input.setSelectionRange(next.caret, next.caret));
  };

  const press = (key: string) => {
    setNumber(number + key);
    document.getElementById('dial-number')?.focus();
  };

  return (
    <section className="panel dial-panel" aria-labelledby="dial-title">
      <h2 id="dial-title" className="panel-title">Dial</h2>
      <form
        className="dial-form"
        onSubmit={(e) => {
          e.preventDefault();
          void dial();
        }}
      >
        <label htmlFor="dial-number" className="visually-hidden">
          Number to call
        </label>
        <div className="dial-field">
          <input
            id="dial-number"
            className="input dial-input"
            data-testid="dial-number"
            inputMode="tel"
            autoComplete="off"
            spellCheck={false}
            placeholder="Number or extension"
            value={number}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'dial-error' : undefined}
            onChange={(e) => setNumber(e.target.value)}
            onPaste={onPaste}
          />
          {number && (
            <button type="button" className="btn btn-ghost btn-icon dial-backspace" aria-label="Delete last digit" onClick={() => setNumber(number.slice(0, -1))}>
              ⌫
            </button>
          )}
        </div>
        {error && (
          <p id="dial-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="keypad" role="group" aria-label="Keypad">
          {keys.map(([key, letters]) => (
            <button key={key} type="button" className="key" onClick={() => press(key)} data-testid={`dial-key-${key}`}>
              <span className="key-digit">{key}</span>
              <span className="key-letters" aria-hidden="true">
                {letters}
              </span>
            </button>
          ))}
        </div>
        <button type="submit" className="btn btn-success btn-block" data-testid="dial-button" disabled={!canDial || busy || !number.trim()}>
          {busy ? 'Calling…' : 'Call'}
        </button>
        {canRedial && (
          <button type="button" className="btn btn-block" data-testid="redial-button" disabled={redialing} onClick={() => void redial()}>
            {redialing ? 'Redialling…' : 'Redial'}
          </button>
        )}
        {!canDial && <p className="hint">This phone system does not place calls from the desktop.</p>}
      </form>
      {canDial && <QuickConnectList label="Quick connects: call in one click" disabled={busy} onPick={(q) => void sendCommand({ kind: 'makeCall', to: q.number })} />}
    </section>
  );
}
