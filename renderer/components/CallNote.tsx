// A note on a call: typed during or after it, saved into the call log (searchable, exported).
import { useId, useState } from 'react';
import { MAX_CALL_NOTE } from '../../shared/calllog.js';
import { useSaveNote } from '../state/callNotes.js';

interface CallNoteProps {
  callId: string;
  initial: string;
  /** After a save or a cancel (the call log's inline editor closes). */
  onClose?(): void;
  autoFocus?: boolean;
}

export function CallNote({ callId, initial, onClose, autoFocus }: CallNoteProps) {
  const id = useId();
  const [text, setText] = useState(initial);
  /** What the call log holds, as far as this editor knows. */
  const [stored, setStored] = useState(initial);
  const save = useSaveNote();
  const dirty = text.trim() !== stored.trim();
  return (
    <form
      className="call-note"
      data-testid="call-note"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          { id: callId, note: text },
          {
            onSuccess: () => {
              setStored(text);
              onClose?.();
            },
          },
        );
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        Note on this call
      </label>
      <textarea
        id={id}
        className="input"
        data-testid="call-note-text"
        rows={2}
        maxLength={MAX_CALL_NOTE}
        placeholder="Note on this call (saved in the call log)"
        value={text}
        autoFocus={autoFocus}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="call-note-actions">
        <button type="submit" className="btn btn-sm" data-testid="call-note-save" disabled={save.isPending || !dirty}>
          Save note
        </button>
        {onClose && (
          <button type="button" className="btn btn-sm btn-ghost" onClick={onClose}>
            Cancel
          </button>
        )}
        {!dirty && stored.trim() !== '' && (
          <span className="hint" role="status">
            Saved.
          </span>
        )}
        {save.error && (
          <span className="field-error" role="alert" data-testid="call-note-error">
            {save.error.message}
          </span>
        )}
      </div>
    </form>
  );
}
