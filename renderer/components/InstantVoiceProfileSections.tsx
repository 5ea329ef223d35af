// The InstantVoice part of the profile editor: the STOMP broker (host, port, user, virtual host,
// and its password as a write-only secret), the account (accountcode, the access key, the
// interface the agent answers on), the role, the pause reasons, and IVWS, the SOAP web service.
import type { InstantVoiceConnection } from '../../shared/profile.js';
import { ivRoleLabels } from '../format/labels.js';
import { ivDefaultInterface, ivRoleHints, MAX_PAUSE_REASONS, parsePauseReasons } from '../profiles/profileDraft.js';
import { Check, Field, type DraftBinding } from './ProfileFields.js';

interface InstantVoiceSectionsProps {
  bind: DraftBinding;
  /** The profile has a stored secret. */
  stored: boolean;
  /** Something is typed in a secret field. */
  typedAny: boolean;
}

export function InstantVoiceSections({ bind, stored, typedAny }: InstantVoiceSectionsProps) {
  const { draft, errors, set, text, select, secretField } = bind;
  const pauses = parsePauseReasons(draft.ivPauseReasons).reasons.length;
  const storedHint = stored ? 'Stored.' : 'Not set.';

  return (
    <>
      <fieldset>
        <legend>InstantVoice broker (STOMP)</legend>
        <div className="form-grid">
          <Field name="ivHost" label="Broker host" error={errors.ivHost} hint="The message broker the ACD publishes on (ivstomp.host).">
            {(p) => <input {...p} {...text('ivHost')} spellCheck={false} />}
          </Field>
          <Field name="ivPort" label="Broker port" error={errors.ivPort} hint="STOMP: 61613.">
            {(p) => <input {...p} {...text('ivPort')} inputMode="numeric" />}
          </Field>
          <Field name="ivBrokerUser" label="Broker user" error={errors.ivBrokerUser} hint="Usually instantvoice.">
            {(p) => <input {...p} {...text('ivBrokerUser')} spellCheck={false} autoComplete="off" />}
          </Field>
          {secretField('password', 'Broker password', `The broker user’s password. ${storedHint}`)}
          <Field name="ivVhost" label="Virtual host" error={errors.ivVhost} hint="The broker’s virtual host; / on RabbitMQ.">
            {(p) => <input {...p} {...text('ivVhost')} spellCheck={false} />}
          </Field>
          <Field name="ivHeartbeatMs" label="Heart-beat (ms)" error={errors.ivHeartbeatMs} hint="Proposed both ways; 0 = none.">
            {(p) => <input {...p} {...text('ivHeartbeatMs')} inputMode="numeric" />}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>InstantVoice account</legend>
        <div className="form-grid">
          <Field name="ivAccountcode" label="Accountcode" error={errors.ivAccountcode} hint="The tenant the agent belongs to.">
            {(p) => <input {...p} {...text('ivAccountcode')} spellCheck={false} autoComplete="off" />}
          </Field>
          {secretField('apiKey', 'Access key', `The account’s access key: letters and digits, at most 20. ${storedHint}`)}
          <Field
            name="ivInterface"
            label="Interface"
            error={errors.ivInterface}
            hint={`Where the agent answers, TECH/name. Empty: ${ivDefaultInterface(draft.ivAccountcode, draft.device)}.`}
          >
            {(p) => <input {...p} {...text('ivInterface')} spellCheck={false} placeholder="SIP/<accountcode>_<device>" />}
          </Field>
          <Field name="ivRole" label="Role" error={errors.ivRole} hint={ivRoleHints[draft.ivRole]}>
            {(p) => (
              <select {...p} {...select('ivRole')}>
                {(Object.keys(ivRoleLabels) as InstantVoiceConnection['role'][]).map((r) => (
                  <option key={r} value={r}>
                    {ivRoleLabels[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <p className={`hint secret-note${stored && typedAny ? ' field-warning' : ''}`} role="note" data-testid="profile-secret-note">
            {stored
              ? typedAny
                ? 'Saving replaces the whole stored secret with the broker password and access key typed here.'
                : 'A secret is stored. Leave the broker password and the access key empty to keep it, or type both to replace it.'
              : 'The broker password and the access key are saved together.'}
          </p>
        </div>
      </fieldset>

      <fieldset>
        <legend>Pause reasons</legend>
        <div className="form-grid">
          <Field
            name="ivPauseReasons"
            label="Pause reasons"
            error={errors.ivPauseReasons}
            hint={`One per line: the pause number the site configured, “=”, and the label. ${pauses === 0 ? 'None: the agent pauses without a reason.' : `${pauses} of at most ${MAX_PAUSE_REASONS}.`}`}
          >
            {(p) => <textarea {...p} {...text('ivPauseReasons')} rows={4} spellCheck={false} placeholder={'1 = Lunch\n2 = Meeting'} />}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>IVWS web service</legend>
        <div className="form-grid">
          <Field name="ivwsHost" label="IVWS host" error={errors.ivwsHost} hint="The active ACD’s SOAP web service. Empty: the broker host.">
            {(p) => <input {...p} {...text('ivwsHost')} spellCheck={false} placeholder={draft.ivHost.trim() || 'broker host'} />}
          </Field>
          <Field name="ivwsPort" label="IVWS port" error={errors.ivwsPort} hint="7789 on the ACD.">
            {(p) => <input {...p} {...text('ivwsPort')} inputMode="numeric" />}
          </Field>
          <Check name="ivwsHttps" label="HTTPS" checked={draft.ivwsHttps} onChange={(v) => set('ivwsHttps', v)} />
          {!draft.ivwsHttps && (
            <p className="hint field-warning" role="note">
              Plain HTTP sends the access key unencrypted: only for a lab or a trusted network.
            </p>
          )}
        </div>
      </fieldset>
    </>
  );
}
