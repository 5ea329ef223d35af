// Scheduled callbacks: schedule one (from a call-log row, or typed in), see what is due, call it
// in one click (which marks it done), or mark it done or remove it.
import { useState } from 'react';
import type { Callback } from '../../shared/callbacks.js';
import { callbackPresets, dateTimeInputValue, formatWhen, fromDateTimeInput } from '../format/time.js';
import { useNow } from '../state/clock.js';
import { sendCommand } from '../state/commands.js';
import { type CallbackDraft, useCallbackDraft, useCallbacks, useFinishCallback, useSaveCallback } from '../state/callbacks.js';
import { useCapability } from '../state/selectors.js';
import { toastError } from '../state/toastStore.js';

/** Remounted (by key) for each "call back later" draft, so it starts from that call. */
function ScheduleForm({ draft }: { draft: CallbackDraft | null }) {
  const clearDraft = useCallbackDraft((s) => s.set);
  const save = useSaveCallback();
  const now = useNow();
  const [number, setNumber] = useState(draft?.number ?? '');
  const [name, setName] = useState(draft?.name ?? '');
  const [when, setWhen] = useState(() => dateTimeInputValue(callbackPresets(Date.now())[1]?.at ?? Date.now()));
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    const dueAt = fromDateTimeInput(when);
    if (!number.trim()) return setError('Enter the number to call back');
    if (dueAt === undefined) return setError('Choose when');
    save.mutate(
      { number: number.trim(), dueAt, ...(name.trim() ? { name: name.trim() } : {}), ...(note.trim() ? { note: note.trim() } : {}), ...(draft?.fromCallId && draft.number === number ? { fromCallId: draft.fromCallId } : {}) },
      {
        onSuccess: () => {
          setNumber('');
          setName('');
          setNote('');
          setError(null);
          clearDraft(null);
        },
        onError: (err) => setError(err.message),
      },
    );
  };

  return (
    <form
      className="callback-form"
      data-testid="callback-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="callback-fields">
        <label>
          <span>Number</span>
          <input className="input" data-testid="callback-number" inputMode="tel" autoComplete="off" value={number} onChange={(e) => setNumber(e.target.value)} />
        </label>
        <label>
          <span>Name</span>
          <input className="input" data-testid="callback-name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} placeholder="Optional" />
        </label>
        <label>
          <span>When</span>
          <input
            id="callback-when"
            className="input"
            type="datetime-local"
            data-testid="callback-when"
            value={when}
            autoFocus={draft !== null}
            onChange={(e) => setWhen(e.target.value)}
          />
        </label>
      </div>
      <div className="callback-presets" role="group" aria-label="When: presets">
        {callbackPresets(now).map((p) => (
          <button key={p.label} type="button" className="btn btn-sm btn-ghost" onClick={() => setWhen(dateTimeInputValue(p.at))}>
            {p.label}
          </button>
        ))}
      </div>
      <label className="callback-note">
        <span>Note</span>
        <input className="input" data-testid="callback-note" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What to call about (optional)" />
      </label>
      <div className="callback-submit">
        <button type="submit" className="btn btn-primary btn-sm" data-testid="callback-schedule" disabled={save.isPending}>
          Schedule callback
        </button>
        {error && (
          <p className="field-error" role="alert" data-testid="callback-error">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}

function CallbackRow({ c, now, canDial }: { c: Callback; now: number; canDial: boolean }) {
  const finish = useFinishCallback();
  const due = c.dueAt <= now;
  const who = c.name ?? c.number;
  const call = async () => {
    if (await sendCommand({ kind: 'makeCall', to: c.number })) finish.mutate({ id: c.id, how: 'done' });
  };
  const end = (how: 'done' | 'delete') => finish.mutate({ id: c.id, how }, { onError: (err) => toastError(`Callback not updated: ${err.message}`) });
  return (
    <li className={`callback${due ? ' callback-due' : ''}`} data-testid="callback-row" data-due={due}>
      <span className="callback-when">
        {formatWhen(c.dueAt, now)}
        {due && <span className="chip chip-alert">Due</span>}
      </span>
      <span className="callback-who">
        <strong>{who}</strong>
        {c.name && <span className="mono">{c.number}</span>}
        {c.note && <span className="callback-note-text">{c.note}</span>}
      </span>
      <span className="callback-actions">
        {canDial && (
          <button type="button" className="btn btn-sm btn-success" data-testid="callback-call" aria-label={`Call ${who} back`} disabled={finish.isPending} onClick={() => void call()}>
            Call
          </button>
        )}
        <button type="button" className="btn btn-sm" data-testid="callback-done" aria-label={`Mark the callback to ${who} done`} disabled={finish.isPending} onClick={() => end('done')}>
          Done
        </button>
        <button type="button" className="btn btn-sm btn-ghost" data-testid="callback-remove" aria-label={`Remove the callback to ${who}`} disabled={finish.isPending} onClick={() => end('delete')}>
          Remove
        </button>
      </span>
    </li>
  );
}

export function Callbacks() {
  const draft = useCallbackDraft((s) => s.draft);
  const list = useCallbacks();
  const now = useNow();
  const canDial = useCapability('makeCall');
  return (
    <div className="callbacks">
      <ScheduleForm key={draft ? `${draft.fromCallId ?? ''}:${draft.number}` : 'new'} draft={draft} />
      {list.error && <p className="field-error">Callbacks: {list.error.message}</p>}
      {list.data?.length === 0 && <p className="empty">No callbacks scheduled.</p>}
      {list.data && list.data.length > 0 && (
        <ul className="callback-list" aria-label="Scheduled callbacks, soonest first">
          {list.data.map((c) => (
            <CallbackRow key={c.id} c={c} now={now} canDial={canDial} />
          ))}
        </ul>
      )}
    </div>
  );
}
