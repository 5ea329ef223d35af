// Edit or create a profile: checked against the shared zod schema as the agent types, with
// per-field errors. Secrets are write-only: never shown, only "stored" or replaced.
// The vendor decides the server section: TelServices (host, port, transport, events), O2G
// (primary and standby servers, login, TLS trust, event channel) or TWS (server, sign-in with an
// API key, event feeds in order of preference, PBX, colleagues, TLS trust), InstantVoice or CTIPS
// (portals in failover order or a site gateway, the event service, the site's codes, the wire
// profile), each with its own fields.
import { useId, useState } from 'react';
import type { ConnectionTestResult, ServerLogin } from '../../shared/bridge.js';
import type { Profile, ProfileSummary } from '../../shared/profile.js';
import { request } from '../bridge/index.js';
import { o2gUrlsLabels, vendorLabels } from '../format/labels.js';
import {
  applyServerLogin,
  connectionVendors,
  draftFromProfile,
  emptyDraft,
  emptySecret,
  portForScheme,
  secretToSend,
  validateDraft,
  validateServerDraft,
  type ConnectionVendor,
  type DraftErrors,
  type DraftField,
  type ProfileDraft,
  type SecretErrors,
  type SecretField,
  type TypedSecret,
} from '../profiles/profileDraft.js';
import { useSaveProfile } from '../state/queries.js';
import { useToastStore } from '../state/toastStore.js';
import { Check, Field, type DraftBinding, type SelectField, type TextField } from './ProfileFields.js';
import { ServerLoginPicker } from './ServerLoginPicker.js';
import { CtipsSections } from './CtipsProfileSections.js';
import { InstantVoiceSections } from './InstantVoiceProfileSections.js';
import { TwsSections } from './TwsProfileSections.js';

const vendorOptionLabels: Record<ConnectionVendor, string> = {
  telservices: vendorLabels.telservices,
  o2g: `${vendorLabels.o2g} (Alcatel-Lucent OmniPCX Enterprise)`,
  tws: `${vendorLabels.tws} Toolkit`,
  instantvoice: vendorLabels.instantvoice,
  ctips: `${vendorLabels.ctips} (Aspect CTI Portal)`,
};

/** What the device and the agent id mean for each vendor. */
const identityText: Record<ConnectionVendor, { device: string; deviceHint?: string; agentId: string; agentIdHint: string }> = {
  telservices: { device: 'Device (extension)', agentId: 'Agent id', agentIdHint: 'Leave empty when the agent does not log in to a queue.' },
  o2g: { device: 'Device (extension)', deviceHint: 'The user’s phone number on the OmniPCX.', agentId: 'Agent id', agentIdHint: 'Leave empty when the agent does not log in to a queue.' },
  tws: { device: 'Device (extension)', deviceHint: 'The user’s phone (device number) on the PBX.', agentId: 'Agent id', agentIdHint: 'Leave empty when the agent does not log in to a queue.' },
  instantvoice: {
    device: 'Phone (SIP user)',
    deviceHint: 'The SIP user name of the agent’s phone, e.g. 0001.',
    agentId: 'Agent number',
    agentIdHint: 'The agent’s number on the ACD, e.g. 1001.',
  },
  ctips: {
    device: 'Station (extension)',
    deviceHint: 'The phone the agent logs in at.',
    agentId: 'Agent login name',
    agentIdHint: 'The agent’s login name on the portal (AgentLoginName).',
  },
};


type TestState = { kind: 'running' } | { kind: 'done'; result: ConnectionTestResult } | { kind: 'failed'; message: string } | null;

/** Which errors are on screen: none while filling in, the server's after "Pick user", all after Save or Test. */
type Shown = 'none' | 'server' | 'all';

export function ProfileEditor({ summary, onDone }: { summary: ProfileSummary | null; onDone(): void }) {
  const base = summary?.profile;
  const [draft, setDraft] = useState<ProfileDraft>(() => (base ? draftFromProfile(base) : emptyDraft()));
  const [typed, setTyped] = useState<TypedSecret>(emptySecret);
  const [shown, setShown] = useState<Shown>('none');
  const [test, setTest] = useState<TestState>(null);
  const [picking, setPicking] = useState<Profile | null>(null);
  const save = useSaveProfile();
  const secondaryId = `${useId()}-secondary`;

  const checked = validateDraft(draft, base);
  // Errors appear once the agent tries to save or test, not while filling in a new profile.
  const serverChecked = shown === 'server' ? validateServerDraft(draft, base) : null;
  const secretChecked = secretToSend(draft.vendor, typed);
  const errors: DraftErrors & SecretErrors = {
    ...(shown === 'all' && !checked.ok ? checked.errors : serverChecked && !serverChecked.ok ? serverChecked.errors : {}),
    ...(shown === 'all' && !secretChecked.ok ? secretChecked.errors : {}),
  };
  const secret = secretChecked.ok ? secretChecked.secret : undefined;
  const o2g = draft.vendor === 'o2g';
  const tws = draft.vendor === 'tws';
  const identity = identityText[draft.vendor];
  const stored = summary?.hasSecret === true;

  const set = <K extends DraftField>(key: K, value: ProfileDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: TextField): ReturnType<DraftBinding['text']> => ({
    className: 'input',
    value: draft[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
  });
  const select = <K extends SelectField>(key: K) => ({
    className: 'input select',
    value: draft[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as ProfileDraft[K]),
  });
  /** HTTPS on or off; a port still at the scheme's default follows it. */
  const setHttps = (which: 'primary' | 'secondary', https: boolean) =>
    setDraft((d) =>
      which === 'primary'
        ? { ...d, primaryHttps: https, primaryPort: portForScheme(d.primaryPort, https) }
        : { ...d, secondaryHttps: https, secondaryPort: portForScheme(d.secondaryPort, https) },
    );

  /** Show the errors and take the agent to the first one. */
  const reject = (form: HTMLFormElement | null, which: Shown = 'all') => {
    setShown(which);
    requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const onPickLogin = (form: HTMLFormElement | null) => {
    const server = validateServerDraft(draft, base);
    if (!server.ok) return reject(form, shown === 'all' ? 'all' : 'server');
    setPicking(server.profile);
  };

  const onPicked = (picked: ServerLogin) => {
    setDraft((d) => applyServerLogin(d, picked));
    setPicking(null);
    useToastStore.getState().push('info', `Login ${picked.login}${picked.device ? ` and device ${picked.device}` : ''} filled in.`);
  };

  const onSave = (form: HTMLFormElement) => {
    setShown('all');
    if (!checked.ok || !secretChecked.ok) return reject(form);
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
    setShown('all');
    if (!checked.ok || !secretChecked.ok) return reject(form);
    setTest({ kind: 'running' });
    try {
      const result = await request('profiles.test', { profile: checked.profile, ...(secret ? { secret } : {}) });
      setTest({ kind: 'done', result });
    } catch (err) {
      setTest({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  /** A write-only secret field: never pre-filled; what is typed goes with Save or Test only. */
  const secretField = (name: SecretField, label: string, hint: string) => (
    <Field name={name} label={label} error={errors[name]} hint={hint}>
      {(p) => (
        <input
          {...p}
          className="input"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          placeholder={stored ? 'stored' : ''}
          value={typed[name]}
          onChange={(e) => setTyped((t) => ({ ...t, [name]: e.target.value }))}
        />
      )}
    </Field>
  );
  const storedHint = stored ? 'Stored. Type a new one to replace it.' : 'Not set.';
  const passwordField = secretField('password', 'Password', `${o2g ? 'The user’s password (secret code). ' : ''}${storedHint}`);

  return (
    <>
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
            <Field name="vendor" label="Phone system" error={errors.vendor} hint={base && base.connection.vendor !== draft.vendor ? `Was ${vendorLabels[base.connection.vendor]}: the server settings below replace the old ones on Save.` : undefined}>
              {(p) => (
                <select
                  {...p}
                  {...select('vendor')}
                  onChange={(e) => {
                    set('vendor', e.target.value as ConnectionVendor);
                    setTest(null);
                  }}
                >
                  {connectionVendors.map((v) => (
                    <option key={v} value={v}>
                      {vendorOptionLabels[v]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="name" label="Name" error={errors.name}>
              {(p) => <input {...p} {...text('name')} />}
            </Field>
            <Field name="id" label="Id" error={errors.id} hint={base ? 'The id of a saved profile cannot change.' : 'Lower-case letters, digits and dashes.'}>
              {(p) => <input {...p} {...text('id')} disabled={Boolean(base)} />}
            </Field>
            <Field name="device" label={identity.device} error={errors.device} hint={identity.deviceHint}>
              {(p) => <input {...p} {...text('device')} inputMode="tel" />}
            </Field>
            <Field name="agentId" label={identity.agentId} error={errors.agentId} hint={identity.agentIdHint}>
              {(p) => <input {...p} {...text('agentId')} />}
            </Field>
          </div>
        </fieldset>

        {draft.vendor === 'telservices' && (
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
                  <select {...p} {...select('transport')}>
                    <option value="tcp">TCP</option>
                    <option value="http">HTTP</option>
                  </select>
                )}
              </Field>
              <Field name="events" label="Events" error={errors.events}>
                {(p) => (
                  <select {...p} {...select('events')}>
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
              {passwordField}
            </div>
          </fieldset>
        )}

        {o2g && (
          <>
            <fieldset>
              <legend>O2G server</legend>
              <div className="form-grid">
                <Field name="primaryHost" label="Primary host" error={errors.primaryHost}>
                  {(p) => <input {...p} {...text('primaryHost')} spellCheck={false} />}
                </Field>
                <Field name="primaryPort" label="Primary port" error={errors.primaryPort}>
                  {(p) => <input {...p} {...text('primaryPort')} inputMode="numeric" />}
                </Field>
                <Check name="primaryHttps" label="HTTPS" checked={draft.primaryHttps} onChange={(v) => setHttps('primary', v)} />
                <Check
                  name="secondaryEnabled"
                  label="Secondary server (high availability)"
                  checked={draft.secondaryEnabled}
                  onChange={(v) => set('secondaryEnabled', v)}
                  controls={secondaryId}
                />
                {draft.secondaryEnabled && (
                  <div id={secondaryId} className="form-grid form-grid-nested" role="group" aria-label="Secondary server">
                    <Field name="secondaryHost" label="Secondary host" error={errors.secondaryHost} hint="Used when the primary server fails.">
                      {(p) => <input {...p} {...text('secondaryHost')} spellCheck={false} />}
                    </Field>
                    <Field name="secondaryPort" label="Secondary port" error={errors.secondaryPort}>
                      {(p) => <input {...p} {...text('secondaryPort')} inputMode="numeric" />}
                    </Field>
                    <Check name="secondaryHttps" label="HTTPS" checked={draft.secondaryHttps} onChange={(v) => setHttps('secondary', v)} />
                  </div>
                )}
                {(!draft.primaryHttps || (draft.secondaryEnabled && !draft.secondaryHttps)) && (
                  <p className="hint field-warning" role="note">
                    Plain HTTP sends the password unencrypted: only for a lab or behind a trusted proxy.
                  </p>
                )}
                <Field name="login" label="Login" error={errors.login} hint="The user’s O2G login name.">
                  {(p) => (
                    <div className="input-row">
                      <input {...p} {...text('login')} spellCheck={false} autoComplete="off" />
                      <button type="button" className="btn btn-sm" onClick={(e) => onPickLogin(e.currentTarget.form)} aria-haspopup="dialog" data-testid="profile-pick-login">
                        Pick user from server…
                      </button>
                    </div>
                  )}
                </Field>
                {passwordField}
                <Field name="applicationName" label="Application name" error={errors.applicationName} hint="How the session shows on the server.">
                  {(p) => <input {...p} {...text('applicationName')} spellCheck={false} />}
                </Field>
                <Field name="urls" label="Server URLs" error={errors.urls} hint="Public: the server is reached through a reverse proxy.">
                  {(p) => (
                    <select {...p} {...select('urls')}>
                      {(Object.keys(o2gUrlsLabels) as ProfileDraft['urls'][]).map((u) => (
                        <option key={u} value={u}>
                          {o2gUrlsLabels[u]}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field name="processingGroup" label="Processing group" error={errors.processingGroup} hint="The ACD group to log on to; empty for the agent’s preferred group.">
                  {(p) => <input {...p} {...text('processingGroup')} inputMode="numeric" />}
                </Field>
                <Field name="channelTimeoutMin" label="Event channel timeout (min)" error={errors.channelTimeoutMin} hint="0: as long as the session; or 2 to 60.">
                  {(p) => <input {...p} {...text('channelTimeoutMin')} inputMode="numeric" />}
                </Field>
                <Field name="channelIdleSec" label="Re-open a silent channel after (s)" error={errors.channelIdleSec}>
                  {(p) => <input {...p} {...text('channelIdleSec')} inputMode="numeric" />}
                </Field>
              </div>
            </fieldset>

            <fieldset>
              <legend>O2G certificate trust</legend>
              <div className="form-grid">
                <Field name="tlsCaFile" label="CA certificate file" error={errors.tlsCaFile} hint="PEM file of the CA (or the server’s self-signed certificate), trusted besides the system’s.">
                  {(p) => <input {...p} {...text('tlsCaFile')} spellCheck={false} className="input input-wide" placeholder="/etc/ssl/o2g-ca.pem" />}
                </Field>
                <Field
                  name="tlsPinSha256"
                  label="Pinned certificate (SHA-256)"
                  error={errors.tlsPinSha256}
                  hint={
                    <>
                      Accept exactly this server certificate. As printed by <code>openssl x509 -noout -fingerprint -sha256</code>.
                    </>
                  }
                >
                  {(p) => <input {...p} {...text('tlsPinSha256')} spellCheck={false} autoComplete="off" className="input input-wide mono" placeholder="AB:CD:…:EF (32 bytes)" />}
                </Field>
              </div>
            </fieldset>
          </>
        )}

        {tws && (
          <TwsSections
            bind={{ draft, errors, set, setDraft, text, select, secretField }}
            stored={stored}
            typedAny={!secretChecked.ok || secretChecked.secret !== undefined}
          />
        )}

        {draft.vendor === 'instantvoice' && (
          <InstantVoiceSections
            bind={{ draft, errors, set, setDraft, text, select, secretField }}
            stored={stored}
            typedAny={!secretChecked.ok || secretChecked.secret !== undefined}
          />
        )}

        {draft.vendor === 'ctips' && <CtipsSections bind={{ draft, errors, set, setDraft, text, select, secretField }} stored={stored} />}

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
            <Check name="popAutoOpen" label="Open the screen pop automatically when a call rings" checked={draft.popAutoOpen} onChange={(v) => set('popAutoOpen', v)} />
            <Check name="trace" label="Protocol trace (redacted) in the log" checked={draft.trace} onChange={(v) => set('trace', v)} />
            <Field
              name="notReadyReasons"
              label="Not-ready reasons"
              error={errors.notReadyReasons}
              hint={o2g ? 'One per line. Used only when the server defines no withdraw reasons of its own.' : 'One per line.'}
            >
              {(p) => <textarea {...p} {...text('notReadyReasons')} rows={4} />}
            </Field>
            <Field name="quickConnects" label="Quick connects" error={errors.quickConnects} hint="One per line, “Label = number”: colleagues, queues and services the agent calls or transfers to in one click.">
              {(p) => <textarea {...p} {...text('quickConnects')} rows={4} spellCheck={false} placeholder={'Team lead = 1102\nBilling queue = 6201'} />}
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
      {picking && <ServerLoginPicker profile={picking} onPick={onPicked} onClose={() => setPicking(null)} />}
    </>
  );
}
