// The CTIPS (Aspect CTI Portal) part of the profile editor: the portals in failover order (or a
// site gateway instead, which hides the portal side), the portal account with its password as a
// write-only secret, the tenant, the app's own event service the portal calls, the agent's login
// settings, the site's codes (logout reasons, dispositions, reject reasons), the heartbeat and,
// folded away, the wire profile. Every list edit is a pure function of profileDraft.ts.
import { useId } from 'react';
import type { CtipsConnection } from '../../shared/profile.js';
import { ctipsInitialStateLabels, ctipsRoleLabels } from '../format/labels.js';
import {
  ctipsDefaults,
  ctipsWireDefaults,
  emptyCode,
  emptyPortal,
  MAX_CTIPS_CODES,
  MAX_CTIPS_PORTALS,
  moveRow,
  removeRow,
  rowErrorKey,
  updateRow,
  type CodeDraft,
  type CodeListField,
  type DraftErrors,
  type PortalDraft,
} from '../profiles/profileDraft.js';
import { Check, Field, type DraftBinding } from './ProfileFields.js';

/** The site's code lists the profile carries (the portal has none of its own). */
const siteCodeLists: { field: CodeListField; title: string; hint: string }[] = [
  { field: 'ctLogoutReasons', title: 'Logout reasons', hint: 'The codes the site configured in UCC-A; logging off asks for one.' },
  { field: 'ctDispositions', title: 'Dispositions', hint: 'Offered in wrap-up to classify the call.' },
  { field: 'ctRejectReasons', title: 'Reject reasons', hint: 'Offered when the agent rejects an offered call.' },
];

/** The × that removes one row of a list (a portal, a code). */
function RemoveRowButton({ what, position, onRemove, testId }: { what: string; position: number; onRemove: () => void; testId: string }) {
  return (
    <button type="button" className="btn btn-sm btn-ghost btn-icon" aria-label={`Remove ${what} ${position}`} title={`Remove this ${what}`} onClick={onRemove} data-testid={testId}>
      ×
    </button>
  );
}

function RowError({ errors, list, row, field }: { errors: DraftErrors; list: CodeListField | 'ctPortals'; row: number; field: string }) {
  const message = errors[rowErrorKey(list, row, field)];
  if (!message) return null;
  return (
    <span className="field-error" data-testid="profile-row-error" data-field={field} id={`${list}-${row}-${field}-error`}>
      {message}
    </span>
  );
}

interface PortalListProps {
  portals: PortalDraft[];
  errors: DraftErrors;
  onChange(next: PortalDraft[]): void;
}

/** The portals, tried in this order: host, port, HTTPS each; add, remove, move. */
function PortalList({ portals, errors, onChange }: PortalListProps) {
  const id = useId();
  const error = errors.ctPortals;
  const move = (at: number, by: -1 | 1) => {
    onChange(moveRow(portals, at, by));
    const to = at + by;
    const keep = (by === -1 && to === 0) || (by === 1 && to === portals.length - 1) ? (by === -1 ? 'down' : 'up') : by === -1 ? 'up' : 'down';
    requestAnimationFrame(() => document.getElementById(`${id}-${to}-${keep}`)?.focus());
  };
  const rowInvalid = (i: number, f: string) => (errors[rowErrorKey('ctPortals', i, f)] ? true : undefined);
  return (
    <div className={`field feed-field${error ? ' field-invalid' : ''}`} role="group" aria-labelledby={`${id}-label`} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
      <span id={`${id}-label`} className="field-label">
        Portals
      </span>
      {portals.length > 0 && (
        <ol className="feed-list ctips-rows" data-testid="profile-field-ctPortals" aria-label="Portals, in failover order">
          {portals.map((p, i) => (
            <li key={i} className="feed-item ctips-portal" data-testid="profile-ctips-portal" data-position={i + 1}>
              <span className="feed-rank" aria-hidden="true">
                {i + 1}
              </span>
              <div className="ctips-row-fields">
                <input
                  className="input"
                  aria-label={`Portal ${i + 1} host`}
                  placeholder="portal host"
                  spellCheck={false}
                  value={p.host}
                  aria-invalid={rowInvalid(i, 'host')}
                  onChange={(e) => onChange(updateRow(portals, i, { host: e.target.value }))}
                  data-testid="profile-ctips-portal-host"
                />
                <input
                  className="input ctips-port"
                  aria-label={`Portal ${i + 1} port`}
                  inputMode="numeric"
                  placeholder={ctipsDefaults.portalPort}
                  value={p.port}
                  aria-invalid={rowInvalid(i, 'port')}
                  onChange={(e) => onChange(updateRow(portals, i, { port: e.target.value }))}
                  data-testid="profile-ctips-portal-port"
                />
                <label className="check feed-check">
                  <input
                    type="checkbox"
                    checked={p.https}
                    onChange={(e) => onChange(updateRow(portals, i, { https: e.target.checked }))}
                    data-testid="profile-ctips-portal-https"
                  />
                  HTTPS
                </label>
                <RowError errors={errors} list="ctPortals" row={i} field="host" />
                <RowError errors={errors} list="ctPortals" row={i} field="port" />
              </div>
              <span className="feed-move">
                <button
                  type="button"
                  id={`${id}-${i}-up`}
                  className="btn btn-sm btn-ghost btn-icon"
                  disabled={i === 0}
                  aria-label={`Move portal ${i + 1} up`}
                  title="Try this portal earlier"
                  onClick={() => move(i, -1)}
                  data-testid="profile-ctips-portal-up"
                >
                  ↑
                </button>
                <button
                  type="button"
                  id={`${id}-${i}-down`}
                  className="btn btn-sm btn-ghost btn-icon"
                  disabled={i === portals.length - 1}
                  aria-label={`Move portal ${i + 1} down`}
                  title="Try this portal later"
                  onClick={() => move(i, 1)}
                  data-testid="profile-ctips-portal-down"
                >
                  ↓
                </button>
                <RemoveRowButton what="portal" position={i + 1} onRemove={() => onChange(removeRow(portals, i))} testId="profile-ctips-portal-remove" />
              </span>
            </li>
          ))}
        </ol>
      )}
      <div>
        <button
          type="button"
          className="btn btn-sm"
          disabled={portals.length >= MAX_CTIPS_PORTALS}
          onClick={() => onChange([...portals, emptyPortal()])}
          data-testid="profile-ctips-portal-add"
        >
          Add portal
        </button>
      </div>
      <span id={`${id}-hint`} className="hint">
        Tried in this order; the first that answers is used (at most {MAX_CTIPS_PORTALS}). Port {ctipsDefaults.portalPort} on the portal.
      </span>
      {error && (
        <span id={`${id}-error`} className="field-error" data-testid="profile-error-ctPortals">
          {error}
        </span>
      )}
    </div>
  );
}

interface CodeListProps {
  field: CodeListField;
  title: string;
  hint: string;
  codes: CodeDraft[];
  errors: DraftErrors;
  onChange(next: CodeDraft[]): void;
}

/** One of the site's code lists: number and label per row; add, remove, edit. */
function CodeList({ field, title, hint, codes, errors, onChange }: CodeListProps) {
  const id = useId();
  const error = errors[field];
  const rowInvalid = (i: number, f: string) => (errors[rowErrorKey(field, i, f)] ? true : undefined);
  return (
    <div
      className={`field feed-field${error ? ' field-invalid' : ''}`}
      role="group"
      aria-labelledby={`${id}-label`}
      aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
      data-testid={`profile-field-${field}`}
    >
      <span id={`${id}-label`} className="field-label">
        {title}
      </span>
      {codes.length > 0 && (
        <ul className="feed-list ctips-rows">
          {codes.map((c, i) => (
            <li key={i} className="feed-item ctips-code" data-testid="profile-code-row" data-position={i + 1}>
              <span className="feed-rank" aria-hidden="true">
                {i + 1}
              </span>
              <div className="ctips-row-fields">
                <input
                  className="input ctips-code-id"
                  aria-label={`${title}: code ${i + 1} number`}
                  inputMode="numeric"
                  placeholder="number"
                  value={c.id}
                  aria-invalid={rowInvalid(i, 'id')}
                  onChange={(e) => onChange(updateRow(codes, i, { id: e.target.value }))}
                  data-testid="profile-code-id"
                />
                <input
                  className="input"
                  aria-label={`${title}: code ${i + 1} label`}
                  placeholder="label"
                  value={c.label}
                  aria-invalid={rowInvalid(i, 'label')}
                  onChange={(e) => onChange(updateRow(codes, i, { label: e.target.value }))}
                  data-testid="profile-code-label"
                />
                <RowError errors={errors} list={field} row={i} field="id" />
                <RowError errors={errors} list={field} row={i} field="label" />
              </div>
              <span className="feed-move">
                <RemoveRowButton what="code" position={i + 1} onRemove={() => onChange(removeRow(codes, i))} testId="profile-code-remove" />
              </span>
            </li>
          ))}
        </ul>
      )}
      <div>
        <button type="button" className="btn btn-sm" disabled={codes.length >= MAX_CTIPS_CODES} onClick={() => onChange([...codes, emptyCode()])} data-testid="profile-code-add">
          Add code
        </button>
      </div>
      <span id={`${id}-hint`} className="hint">
        {hint} {codes.length === 0 ? 'None.' : `${codes.length} of at most ${MAX_CTIPS_CODES}.`}
      </span>
      {error && (
        <span id={`${id}-error`} className="field-error" data-testid={`profile-error-${field}`}>
          {error}
        </span>
      )}
    </div>
  );
}

interface CtipsSectionsProps {
  bind: DraftBinding;
  /** The profile has a stored secret. */
  stored: boolean;
}

export function CtipsSections({ bind, stored }: CtipsSectionsProps) {
  const { draft, errors, set, text, select, secretField } = bind;
  const gatewayId = `${useId()}-gateway`;
  const gateway = draft.ctGatewayEnabled;
  const storedHint = stored ? 'Stored. Type a new one to replace it.' : 'Not set.';
  const wireSet = [draft.ctSoapVersion, draft.ctRequestNamespace, draft.ctCallbackNamespace, draft.ctDataNamespace, draft.ctRequestPath, draft.ctCallbackPath, draft.ctFieldOrder, draft.ctWsAddressing].some(
    (v) => v.trim() !== '',
  );
  const wireError = ['ctSoapVersion', 'ctRequestNamespace', 'ctCallbackNamespace', 'ctDataNamespace', 'ctRequestPath', 'ctCallbackPath', 'ctFieldOrder', 'ctWsAddressing'].some(
    (f) => errors[f as keyof DraftErrors],
  );

  return (
    <>
      <fieldset>
        <legend>CTI Portal connection</legend>
        <div className="form-grid">
          <Check
            name="ctGatewayEnabled"
            label="Connect through a site gateway"
            checked={gateway}
            onChange={(v) => set('ctGatewayEnabled', v)}
            controls={gatewayId}
          />
          {errors.ctGatewayEnabled && (
            <p className="field-error ctips-wide" data-testid="profile-error-ctGatewayEnabled">
              {errors.ctGatewayEnabled}
            </p>
          )}
          {gateway ? (
            <div id={gatewayId} className="form-grid form-grid-nested" role="group" aria-label="Site gateway">
              <Field name="ctGatewayHost" label="Gateway host" error={errors.ctGatewayHost} hint="The site gateway (cti serve) that holds the portal session for every desktop.">
                {(p) => <input {...p} {...text('ctGatewayHost')} spellCheck={false} />}
              </Field>
              <Field name="ctGatewayPort" label="Gateway port" error={errors.ctGatewayPort} hint={`Usually ${ctipsDefaults.gatewayPort}.`}>
                {(p) => <input {...p} {...text('ctGatewayPort')} inputMode="numeric" placeholder={ctipsDefaults.gatewayPort} />}
              </Field>
              <Check name="ctGatewayHttps" label="HTTPS" checked={draft.ctGatewayHttps} onChange={(v) => set('ctGatewayHttps', v)} />
              {!draft.ctGatewayHttps && (
                <p className="hint field-warning" role="note">
                  Plain HTTP sends the gateway password unencrypted: only for a lab or a trusted network.
                </p>
              )}
              {secretField('password', 'Gateway password', `The agent’s own password on the gateway (signs in with the agent login name). ${storedHint}`)}
            </div>
          ) : (
            <>
              <PortalList portals={draft.ctPortals} errors={errors} onChange={(next) => set('ctPortals', next)} />
              {draft.ctPortals.some((p) => !p.https) && (
                <p className="hint field-warning" role="note">
                  Plain HTTP sends the portal password unencrypted: only for a lab or a trusted network.
                </p>
              )}
              <Field name="ctUserName" label="Portal account" error={errors.ctUserName} hint="The portal account the app signs in with (UserCredentials).">
                {(p) => <input {...p} {...text('ctUserName')} spellCheck={false} autoComplete="off" />}
              </Field>
              {secretField('password', 'Portal account password', storedHint)}
              <Field name="ctTenantId" label="Tenant id" error={errors.ctTenantId} hint="The tenant the agent belongs to; usually 1.">
                {(p) => <input {...p} {...text('ctTenantId')} inputMode="numeric" />}
              </Field>
            </>
          )}
        </div>
      </fieldset>

      {!gateway && (
        <fieldset>
          <legend>Event service (the portal calls this computer)</legend>
          <div className="form-grid">
            <Field name="ctBindHost" label="Listen address" error={errors.ctBindHost} hint="0.0.0.0: every interface (then the advertised address is needed).">
              {(p) => <input {...p} {...text('ctBindHost')} spellCheck={false} />}
            </Field>
            <Field name="ctCallbackPort" label="Port" error={errors.ctCallbackPort} hint="0 picks a free port: only when the portal can reach any port.">
              {(p) => <input {...p} {...text('ctCallbackPort')} inputMode="numeric" />}
            </Field>
            <Field name="ctAdvertisedHost" label="Advertised address" error={errors.ctAdvertisedHost} hint="Where the portal reaches this computer (the callback URL’s host). Empty: the listen address.">
              {(p) => <input {...p} {...text('ctAdvertisedHost')} spellCheck={false} placeholder={draft.ctBindHost.trim() || 'listen address'} />}
            </Field>
            <Field name="ctAllowedHosts" label="Allowed portal hosts" error={errors.ctAllowedHosts} hint="Who may call the event service, separated by commas. Empty: the portals’ hosts.">
              {(p) => <input {...p} {...text('ctAllowedHosts')} spellCheck={false} placeholder="the portals’ hosts" />}
            </Field>
            <Field name="ctCertFile" label="Certificate file" error={errors.ctCertFile} hint="Serve the callbacks over HTTPS with this PEM certificate and its key; neither for HTTP.">
              {(p) => <input {...p} {...text('ctCertFile')} spellCheck={false} className="input input-wide" placeholder="/etc/ssl/agent-desktop.pem" />}
            </Field>
            <Field name="ctKeyFile" label="Key file" error={errors.ctKeyFile}>
              {(p) => <input {...p} {...text('ctKeyFile')} spellCheck={false} className="input input-wide" placeholder="/etc/ssl/agent-desktop.key" />}
            </Field>
            <Field name="ctHeartbeatSec" label="Heartbeat every (s)" error={errors.ctHeartbeatSec} hint="The portal’s heartbeat period.">
              {(p) => <input {...p} {...text('ctHeartbeatSec')} inputMode="numeric" />}
            </Field>
            <Field name="ctHeartbeatMissed" label="Missed heartbeats allowed" error={errors.ctHeartbeatMissed} hint="Then the link counts as down.">
              {(p) => <input {...p} {...text('ctHeartbeatMissed')} inputMode="numeric" />}
            </Field>
          </div>
        </fieldset>
      )}

      <fieldset>
        <legend>CTIPS agent</legend>
        <div className="form-grid">
          {!gateway && (
            <Field name="ctInitialState" label="State after login" error={errors.ctInitialState}>
              {(p) => (
                <select {...p} {...select('ctInitialState')}>
                  {(Object.keys(ctipsInitialStateLabels) as CtipsConnection['initialState'][]).map((s) => (
                    <option key={s} value={s}>
                      {ctipsInitialStateLabels[s]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field name="ctRole" label="Role" error={errors.ctRole} hint={draft.ctRole === 'supervisor' ? 'Also every agent and service of the tenant.' : 'The agent’s own calls and agent state.'}>
            {(p) => (
              <select {...p} {...select('ctRole')}>
                {(Object.keys(ctipsRoleLabels) as CtipsConnection['role'][]).map((r) => (
                  <option key={r} value={r}>
                    {ctipsRoleLabels[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {gateway ? (
            <p className="field-hint ctips-wide">The state after login, multi-line and the site codes come from the gateway’s own profile: one set for the whole site.</p>
          ) : (
            <Check name="ctMultiLine" label="Multi-line: the agent may hold two calls" checked={draft.ctMultiLine} onChange={(v) => set('ctMultiLine', v)} />
          )}
        </div>
      </fieldset>

      {!gateway && (
        <fieldset>
          <legend>Site codes</legend>
          <div className="form-grid">
            {siteCodeLists.map(({ field, title, hint }) => (
              <CodeList key={field} field={field} title={title} hint={hint} codes={draft[field]} errors={errors} onChange={(next) => set(field, next)} />
            ))}
          </div>
        </fieldset>
      )}

      {!gateway && (
        <fieldset>
          <legend>Portal certificate trust</legend>
          <div className="form-grid">
            <Field name="ctTlsCaFile" label="CA certificate file" error={errors.ctTlsCaFile} hint="PEM file of the CA (or the portal’s self-signed certificate), trusted besides the system’s.">
              {(p) => <input {...p} {...text('ctTlsCaFile')} spellCheck={false} className="input input-wide" placeholder="/etc/ssl/ctips-ca.pem" />}
            </Field>
            <Field name="ctTlsPinSha256" label="Pinned certificate (SHA-256)" error={errors.ctTlsPinSha256} hint="Accept exactly this portal certificate.">
              {(p) => <input {...p} {...text('ctTlsPinSha256')} spellCheck={false} autoComplete="off" className="input input-wide mono" placeholder="AB:CD:…:EF (32 bytes)" />}
            </Field>
          </div>
        </fieldset>
      )}

      {!gateway && (
        <details className="ctips-wire" open={wireSet || wireError || undefined} data-testid="profile-ctips-wire">
          <summary>Advanced: wire profile</summary>
          <p className="hint">Only to match a real portal’s WSDL. Empty: the default shown.</p>
          <div className="form-grid">
            <Field name="ctSoapVersion" label="SOAP version" error={errors.ctSoapVersion}>
              {(p) => (
                <select {...p} {...select('ctSoapVersion')}>
                  <option value="">Default (SOAP {ctipsWireDefaults.soapVersion})</option>
                  <option value="1.1">SOAP 1.1</option>
                  <option value="1.2">SOAP 1.2</option>
                </select>
              )}
            </Field>
            <Field name="ctFieldOrder" label="Request field order" error={errors.ctFieldOrder}>
              {(p) => (
                <select {...p} {...select('ctFieldOrder')}>
                  <option value="">Default (as documented)</option>
                  <option value="documented">As documented</option>
                  <option value="alphabetical">Alphabetical (WCF)</option>
                </select>
              )}
            </Field>
            <Field name="ctWsAddressing" label="WS-Addressing" error={errors.ctWsAddressing}>
              {(p) => (
                <select {...p} {...select('ctWsAddressing')}>
                  <option value="">Default (on)</option>
                  <option value="on">On</option>
                  <option value="off">Off</option>
                </select>
              )}
            </Field>
            <Field name="ctRequestNamespace" label="Request namespace" error={errors.ctRequestNamespace}>
              {(p) => <input {...p} {...text('ctRequestNamespace')} spellCheck={false} className="input input-wide" placeholder={ctipsWireDefaults.requestNamespace} />}
            </Field>
            <Field name="ctCallbackNamespace" label="Callback namespace" error={errors.ctCallbackNamespace}>
              {(p) => <input {...p} {...text('ctCallbackNamespace')} spellCheck={false} className="input input-wide" placeholder={ctipsWireDefaults.callbackNamespace} />}
            </Field>
            <Field name="ctDataNamespace" label="Data namespace" error={errors.ctDataNamespace}>
              {(p) => <input {...p} {...text('ctDataNamespace')} spellCheck={false} className="input input-wide" placeholder={ctipsWireDefaults.dataNamespace} />}
            </Field>
            <Field name="ctRequestPath" label="Request service path" error={errors.ctRequestPath}>
              {(p) => <input {...p} {...text('ctRequestPath')} spellCheck={false} className="input input-wide" placeholder={ctipsWireDefaults.requestPath} />}
            </Field>
            <Field name="ctCallbackPath" label="Event service path" error={errors.ctCallbackPath}>
              {(p) => <input {...p} {...text('ctCallbackPath')} spellCheck={false} className="input input-wide" placeholder={ctipsWireDefaults.callbackPath} />}
            </Field>
          </div>
        </details>
      )}
    </>
  );
}
