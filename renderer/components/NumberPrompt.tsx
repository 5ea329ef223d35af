// Inline "to which number?" field for consult, divert, blind transfer and add party, with
// directory suggestions; for DTMF it takes digits only.
import { useId, useState } from 'react';
import { Dialable } from '../../shared/commands.js';
import { cleanDialInput } from '../format/dial.js';
import { DIRECTORY_MIN_CHARS, useDirectory } from '../state/queries.js';
import { useDebouncedValue } from './useDebouncedValue.js';

const DTMF = /^[0-9*#A-Da-d]{1,64}$/;
const MAX_SUGGESTIONS = 6;

interface NumberPromptProps {
  label: string;
  submitLabel: string;
  digitsOnly: boolean;
  busy: boolean;
  onSubmit(to: string): void;
  onCancel(): void;
}

export function NumberPrompt({ label, submitLabel, digitsOnly, busy, onSubmit, onCancel }: NumberPromptProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const search = useDebouncedValue(digitsOnly ? '' : text, 250);
  const directory = useDirectory(search, MAX_SUGGESTIONS);
  const suggestions = search.trim().length >= DIRECTORY_MIN_CHARS ? (directory.data ?? []) : [];

  const submit = () => {
    const value = digitsOnly ? text.trim() : cleanDialInput(text) || text.trim();
    const valid = digitsOnly ? DTMF.test(value) : Dialable.safeParse(value).success;
    if (!valid) {
      setError(digitsOnly ? 'Use digits, * and # only' : 'Enter a number, or pick a directory entry');
      return;
    }
    onSubmit(value);
  };

  return (
    <form
      className="number-prompt"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <label htmlFor={id} className="prompt-label">
        {label}
      </label>
      <div className="prompt-row">
        <input
          id={id}
          className="input"
          data-testid="call-prompt-number"
          autoComplete="off"
          spellCheck={false}
          placeholder={digitsOnly ? 'Digits' : 'Number or name'}
          value={text}
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()} data-testid="call-prompt-submit">
          {submitLabel}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel} data-testid="call-prompt-cancel">
          Cancel
        </button>
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
      {directory.error && search.trim().length >= DIRECTORY_MIN_CHARS && <p className="hint">Directory: {directory.error.message}</p>}
      {suggestions.length > 0 && (
        <ul className="suggestions" aria-label="Directory matches">
          {suggestions.map((entry) => (
            <li key={`${entry.number}-${entry.name}`}>
              <button
                type="button"
                className="suggestion"
                data-testid="call-prompt-result"
                onClick={() => {
                  setText(entry.number);
                  setError(null);
                }}
              >
                <span className="suggestion-name">{entry.name}</span>
                <span className="suggestion-number">{entry.number}</span>
                {entry.company && <span className="suggestion-company">{entry.company}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
