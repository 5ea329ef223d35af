// Edit or create a profile: checked against the shared zod schema as the agent types, with
// per-field errors. The password is write-only: never shown, only "stored" or replaced.
import { useId, useState, type ReactNode } from 'react';
import type { ConnectionTestResult } from '../../shared/bridge.js';
import type { ProfileSummary } from '../../shared/profile.js';
import { request } from '../bridge/index.js';
import { draftFromProfile, emptyDraft, validateDraft, type DraftErrors, type DraftField, type ProfileDraft } from '../profiles/profileDraft.js';
import { useSaveProfile } from '../state/queries.js';
import { useToastStore } from '../state/toastStore.js';

interface FieldProps {
  name: DraftField | 'password';
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string; 'data-testid': string }) => ReactNode;
}

function Field({ name, label, error, hint, children }: FieldProps) {
  const id = `${useId()}-${name}`;
  const described = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
        'data-testid': `profile-field-${name}`,
      })}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" data-testid={`profile-error-${name}`}>
          {error}
        </span>
      )}
    </div>
  );
}

type TestState = { kind: 'running' } | { kind: 'done'; result: ConnectionTestResult } | { kind: 'failed'; message: string } | null;

export function ProfileEditor({ summary, onDone }: { summary: ProfileSummary | null; onDone(): void }) {
  const base = summary?.profile;
  const [draft, setDraft] = useState<ProfileDraft>(() => (base ? draftFromProfile(base) : emptyDraft()));
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [test, setTest] = useState<TestState>(null);
  const save = useSaveProfile();

  const checked = validateDraft(draft, base);
  // Errors appear once the agent tries to save or test, not while filling in a new profile.
  const errors: DraftErrors = touched && !checked.ok ? checked.errors : {};
  const secret = password ? { password } : undefined;

  const set = <K extends DraftField>(key: K, value: ProfileDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: Exclude<DraftField, 'popAutoOpen' | 'trace' | 'transport' | 'events'>) => ({
    className: 'input',
    value: draft[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
  });

  /** Show the errors and take the agent to the first one. */
  const reject = (form: HTMLFormElement | null) => {
    setTouched(true);
    requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const onSave = (form: HTMLFormElement) => {
    setTouched(true);
    if (!checked.ok) return reject(form);
    save.mutate(
      { profile: checked.profile, ...(secret ? { secret } : {}) },
      {
        onSuccess: (saved) => {
          useToastStore.getState().push('info', `Saved “${saved.profile.name}”.`);
          onDone();
        },
      },
    );
  };

  const onTest = async (form: HTMLFormElement | null) => {
    setTouched(true);
    if (!checked.ok) return reject(form);
    setTest({ kind: 'running' });
    try {
      const result = await request('profiles.test', { profile: checked.profile, ...(secret ? { secret } : {}) });
      setTest({ kind: 'done', result });
    } catch (err) {
      setTest({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <form
      className="profile-editor"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSave(e.currentTarget);
      }}
    >
      <fieldset>
        <legend>Profile</legend>
        <div className="form-grid">
          <Field name="name" label="Name" error={errors.name}>
            {(p) => <input {...p} {...text('name')} />}
          </Field>
          <Field name="id" label="Id" error={errors.id} hint={base ? 'The id of a saved profile cannot change.' : 'Lower-case letters, digits and dashes.'}>
            {(p) => <input {...p} {...text('id')} disabled={Boolean(base)} />}
          </Field>
          <Field name="device" label="Device (extension)" error={errors.device}>
            {(p) => <input {...p} {...text('device')} inputMode="tel" />}
          </Field>
          <Field name="agentId" label="Agent id" error={errors.agentId} hint="Leave empty when the agent does not log in to a queue.">
            {(p) => <input {...p} {...text('agentId')} />}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>TelServices server</legend>
        <div className="form-grid">
          <Field name="host" label="Host" error={errors.host}>
            {(p) => <input {...p} {...text('host')} spellCheck={false} />}
          </Field>
          <Field name="port" label="Port" error={errors.port}>
            {(p) => <input {...p} {...text('port')} inputMode="numeric" />}
          </Field>
          <Field name="transport" label="Transport" error={errors.transport}>
            {(p) => (
              <select {...p} className="input select" value={draft.transport} onChange={(e) => set('transport', e.target.value as ProfileDraft['transport'])}>
                <option value="tcp">TCP</option>
                <option value="http">HTTP</option>
              </select>
            )}
          </Field>
          <Field name="events" label="Events" error={errors.events}>
            {(p) => (
              <select {...p} className="input select" value={draft.events} onChange={(e) => set('events', e.target.value as ProfileDraft['events'])}>
                <option value="udp">UDP datagrams</option>
                <option value="longPoll">Long polling (HTTP)</option>
              </select>
            )}
          </Field>
          <Field name="udpPort" label="UDP port" error={errors.udpPort} hint="0 picks a free port.">
            {(p) => <input {...p} {...text('udpPort')} inputMode="numeric" disabled={draft.events !== 'udp'} />}
          </Field>
          <Field name="udpBind" label="UDP bind address" error={errors.udpBind}>
            {(p) => <input {...p} {...text('udpBind')} spellCheck={false} disabled={draft.events !== 'udp'} />}
          </Field>
          <Field name="endOfPdu" label="End-of-PDU sequence" error={errors.endOfPdu} hint="Only when the server configured one.">
            {(p) => <input {...p} {...text('endOfPdu')} spellCheck={false} />}
          </Field>
          <Field name="sessionTimeoutSec" label="Session timeout (s)" error={errors.sessionTimeoutSec}>
            {(p) => <input {...p} {...text('sessionTimeoutSec')} inputMode="numeric" />}
          </Field>
          <Field name="password" label="Password" hint={summary?.hasSecret ? 'Stored. Type a new one to replace it.' : 'Not set.'}>
            {(p) => (
              <input
                {...p}
                className="input"
                type="password"
                autoComplete="new-password"
                placeholder={summary?.hasSecret ? 'stored' : ''}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Behaviour</legend>
        <div className="form-grid">
          <Field name="keepAliveSec" label="Keep-alive (s)" error={errors.keepAliveSec}>
            {(p) => <input {...p} {...text('keepAliveSec')} inputMode="decimal" />}
          </Field>
          <Field name="commandTimeoutMs" label="Command timeout (ms)" error={errors.commandTimeoutMs}>
            {(p) => <input {...p} {...text('commandTimeoutMs')} inputMode="numeric" />}
          </Field>
          <Field name="popUrlTemplate" label="Screen-pop URL" error={errors.popUrlTemplate} hint="e.g. https://crm.example/search?phone={number}; also {name}, {company}, {called}, {callId}, {data.key}.">
            {(p) => <input {...p} {...text('popUrlTemplate')} spellCheck={false} className="input input-wide" />}
          </Field>
          <label className="check">
            <input type="checkbox" checked={draft.popAutoOpen} onChange={(e) => set('popAutoOpen', e.target.checked)} data-testid="profile-field-popAutoOpen" />
            Open the screen pop automatically when a call rings
          </label>
          <label className="check">
            <input type="checkbox" checked={draft.trace} onChange={(e) => set('trace', e.target.checked)} data-testid="profile-field-trace" />
            Protocol trace (redacted) in the log
          </label>
          <Field name="notReadyReasons" label="Not-ready reasons" error={errors.notReadyReasons} hint="One per line.">
            {(p) => <textarea {...p} {...text('notReadyReasons')} rows={4} />}
          </Field>
        </div>
      </fieldset>

      {errors.form && (
        <p className="field-error" role="alert">
          {errors.form}
        </p>
      )}
      {test && (
        <p className={`test-result${test.kind === 'done' && test.result.ok ? ' test-ok' : test.kind === 'running' ? '' : ' test-failed'}`} role="status" data-testid="profile-test-result">
          {test.kind === 'running'
            ? 'Testing the connection…'
            : test.kind === 'failed'
              ? `Test failed: ${test.message}`
              : `${test.result.ok ? 'Connected' : 'Failed'}: ${test.result.message}${test.result.latencyMs !== undefined ? ` (${Math.round(test.result.latencyMs)} ms)` : ''}`}
        </p>
      )}
      <div className="modal-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="profile-save">
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn" onClick={(e) => void onTest(e.currentTarget.form)} disabled={test?.kind === 'running'} data-testid="profile-test">
          Test connection
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone} data-testid="profile-cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}
