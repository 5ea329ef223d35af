// Inline "to which number?" field for consult, divert, blind transfer and add party, with
// directory suggestions; for DTMF it takes digits, * and #; for a transaction code, digits only.
import { useId, useState } from 'react';
import { checkPromptInput, type PromptMode } from '../format/promptInput.js';
import { DIRECTORY_MIN_CHARS, useDirectory } from '../state/queries.js';
import { QuickConnectList } from './QuickConnects.js';
import { useDebouncedValue } from './useDebouncedValue.js';

const MAX_SUGGESTIONS = 6;

const placeholders: Record<PromptMode, string> = { dial: 'Number or name', dtmf: 'Digits', code: 'Digits only' };

interface NumberPromptProps {
  label: string;
  submitLabel: string;
  mode: PromptMode;
  busy: boolean;
  /** Shown under the field, e.g. which call a transaction code is for. */
  hint?: string;
  onSubmit(value: string): void;
  onCancel(): void;
}

export function NumberPrompt({ label, submitLabel, mode, busy, hint, onSubmit, onCancel }: NumberPromptProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const lookup = mode === 'dial';
  const search = useDebouncedValue(lookup ? text : '', 250);
  const directory = useDirectory(search, MAX_SUGGESTIONS);
  const suggestions = search.trim().length >= DIRECTORY_MIN_CHARS ? (directory.data ?? []) : [];
  const described = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');

  const submit = () => {
    const checked = checkPromptInput(mode, text);
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    onSubmit(checked.value);
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
          placeholder={placeholders[mode]}
          inputMode={mode === 'code' ? 'numeric' : mode === 'dtmf' ? 'tel' : undefined}
          maxLength={mode === 'code' ? 24 : undefined}
          value={text}
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
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
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
      {lookup && !text.trim() && <QuickConnectList label={`${submitLabel}: quick connects`} disabled={busy} onPick={(q) => onSubmit(q.number)} />}
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
