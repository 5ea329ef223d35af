// The TWS part of the profile editor: the web-services server, the sign-in (user or administrator,
// with the API key and passwords as write-only secrets), the event feeds in order of preference,
// the PBX, the colleagues' phones and the TLS trust.
import { useId } from 'react';
import type { TwsConnection, TwsFeed } from '../../shared/profile.js';
import { twsApiLabels, twsAuthLabels, twsFeedLabels, twsPbxLabels } from '../format/labels.js';
import { MAX_COLLEAGUES, moveFeed, parseColleagues, toggleFeed, twsWebPortFor, twsWsPortFor, type FeedChoice } from '../profiles/profileDraft.js';
import { Check, Field, type DraftBinding } from './ProfileFields.js';

interface FeedListProps {
  feeds: FeedChoice[];
  error: string | undefined;
  onChange(next: FeedChoice[]): void;
}

/** The event feeds, most preferred first: each can be turned on or off and moved; one stays on. */
function FeedList({ feeds, error, onChange }: FeedListProps) {
  const id = useId();
  const enabled = feeds.filter((f) => f.on).length;
  const move = (feed: TwsFeed, by: -1 | 1) => {
    const next = moveFeed(feeds, feed, by);
    onChange(next);
    // Keep the focus on the moved feed: on the same button, or the other one at an end of the list.
    const at = next.findIndex((c) => c.feed === feed);
    const keep = (by === -1 && at === 0) || (by === 1 && at === next.length - 1) ? (by === -1 ? 'down' : 'up') : by === -1 ? 'up' : 'down';
    requestAnimationFrame(() => document.getElementById(`${id}-${feed}-${keep}`)?.focus());
  };
  return (
    <div className={`field feed-field${error ? ' field-invalid' : ''}`} role="group" aria-labelledby={`${id}-label`} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
      <span id={`${id}-label`} className="field-label">
        Event feeds
      </span>
      <ol className="feed-list" data-testid="profile-field-twsFeeds" aria-label="Event feeds, most preferred first">
        {feeds.map((c, i) => (
          <li key={c.feed} className={`feed-item${c.on ? '' : ' feed-off'}`} data-testid={`profile-feed-${c.feed}`} data-state={c.on ? 'on' : 'off'} data-position={i + 1}>
            <span className="feed-rank" aria-hidden="true">
              {c.on ? feeds.slice(0, i + 1).filter((f) => f.on).length : '–'}
            </span>
            <label className="check feed-check">
              <input
                type="checkbox"
                checked={c.on}
                // The last feed on stays on: the connector needs one.
                disabled={c.on && enabled === 1}
                aria-invalid={error ? true : undefined}
                onChange={(e) => onChange(toggleFeed(feeds, c.feed, e.target.checked))}
                data-testid={`profile-feed-${c.feed}-on`}
              />
              {twsFeedLabels[c.feed]}
            </label>
            <span className="feed-move">
              <button
                type="button"
                id={`${id}-${c.feed}-up`}
                className="btn btn-sm btn-ghost btn-icon"
                disabled={i === 0}
                aria-label={`Move ${twsFeedLabels[c.feed]} up`}
                title="Prefer this feed"
                onClick={() => move(c.feed, -1)}
                data-testid={`profile-feed-${c.feed}-up`}
              >
                ↑
              </button>
              <button
                type="button"
                id={`${id}-${c.feed}-down`}
                className="btn btn-sm btn-ghost btn-icon"
                disabled={i === feeds.length - 1}
                aria-label={`Move ${twsFeedLabels[c.feed]} down`}
                title="Prefer this feed less"
                onClick={() => move(c.feed, 1)}
                data-testid={`profile-feed-${c.feed}-down`}
              >
                ↓
              </button>
            </span>
          </li>
        ))}
      </ol>
      <span id={`${id}-hint`} className="hint">
        The first feed that works is used; when it fails, the next one takes over. At least one stays on.
      </span>
      {error && (
        <span id={`${id}-error`} className="field-error" data-testid="profile-error-twsFeeds">
          {error}
        </span>
      )}
    </div>
  );
}

const authWho: Record<TwsConnection['auth'], string> = {
  user: 'The TWS user’s password.',
  admin: 'The administrator’s password.',
};

interface TwsSectionsProps {
  bind: DraftBinding;
  /** The profile has a stored secret. */
  stored: boolean;
  /** Something is typed in a secret field. */
  typedAny: boolean;
}

export function TwsSections({ bind, stored, typedAny }: TwsSectionsProps) {
  const { draft, errors, set, setDraft, text, select, secretField } = bind;
  const on = (feed: TwsFeed) => draft.twsFeeds.some((c) => c.feed === feed && c.on);
  const colleagues = parseColleagues(draft.twsColleagues).length;
  const admin = draft.twsAuth === 'admin';

  return (
    <>
      <fieldset>
        <legend>TWS server</legend>
        <div className="form-grid">
          <Field name="twsHost" label="Host" error={errors.twsHost}>
            {(p) => <input {...p} {...text('twsHost')} spellCheck={false} />}
          </Field>
          <Field name="twsPort" label="Port" error={errors.twsPort} hint="Web services: 9001 with HTTP, 9011 with HTTPS.">
            {(p) => <input {...p} {...text('twsPort')} inputMode="numeric" />}
          </Field>
          <Check
            name="twsHttps"
            label="HTTPS"
            checked={draft.twsHttps}
            onChange={(v) => setDraft((d) => ({ ...d, twsHttps: v, twsPort: twsWebPortFor(d.twsPort, v) }))}
          />
          <Field name="twsApi" label="API style" error={errors.twsApi}>
            {(p) => (
              <select {...p} {...select('twsApi')}>
                {(Object.keys(twsApiLabels) as TwsConnection['api'][]).map((a) => (
                  <option key={a} value={a}>
                    {twsApiLabels[a]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {!draft.twsHttps && (
            <p className="hint field-warning" role="note">
              Plain HTTP sends the API key and the password unencrypted: only for a lab or behind a trusted proxy.
            </p>
          )}
        </div>
      </fieldset>

      <fieldset>
        <legend>TWS sign-in</legend>
        <div className="form-grid">
          <Field name="twsAuth" label="Sign-in" error={errors.twsAuth}>
            {(p) => (
              <select {...p} {...select('twsAuth')}>
                {(Object.keys(twsAuthLabels) as TwsConnection['auth'][]).map((a) => (
                  <option key={a} value={a}>
                    {twsAuthLabels[a]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="twsUsername" label="User name" error={errors.twsUsername} hint="The TWS user the desktop works as.">
            {(p) => <input {...p} {...text('twsUsername')} spellCheck={false} autoComplete="off" />}
          </Field>
          {admin && (
            <Field name="twsAdminUsername" label="Administrator user name" error={errors.twsAdminUsername} hint="The account that fetches the user’s token.">
              {(p) => <input {...p} {...text('twsAdminUsername')} spellCheck={false} autoComplete="off" />}
            </Field>
          )}
          {secretField('password', admin ? 'Administrator password' : 'Password', `${authWho[draft.twsAuth]} ${stored ? 'Stored.' : 'Not set.'}`)}
          {secretField('apiKey', 'API key', `Created with TWS_ApiKeyManager on the server${admin ? ' (an administrator key)' : ''}. ${stored ? 'Stored.' : 'Not set.'}`)}
          {secretField('agentPassword', 'Agent password', 'Only when the ACD agent logon asks for a password of its own.')}
          <p className={`hint secret-note${stored && typedAny ? ' field-warning' : ''}`} role="note" data-testid="profile-secret-note">
            {stored
              ? typedAny
                ? 'Saving replaces the whole stored secret: only the password, API key and agent password typed here are kept.'
                : 'A secret is stored. Leave these fields empty to keep it. To replace it, type the password and the API key together, and the agent password if the agent has one.'
              : 'The password and the API key are saved together; the agent password is optional.'}
          </p>
        </div>
      </fieldset>

      <fieldset>
        <legend>Event feeds</legend>
        <div className="form-grid">
          <FeedList feeds={draft.twsFeeds} error={errors.twsFeeds} onChange={(next) => set('twsFeeds', next)} />
          <Field name="twsTcpPort" label="TCP event socket port" error={errors.twsTcpPort} hint="9004 on a TWS server.">
            {(p) => <input {...p} {...text('twsTcpPort')} inputMode="numeric" disabled={!on('tcp')} />}
          </Field>
          <Field name="twsWsPort" label="WebSocket port" error={errors.twsWsPort} hint="9003; 9013 with secure WebSocket.">
            {(p) => <input {...p} {...text('twsWsPort')} inputMode="numeric" disabled={!on('websocket')} />}
          </Field>
          <Check
            name="twsWss"
            label="Secure WebSocket (WSS)"
            checked={draft.twsWss}
            disabled={!on('websocket')}
            onChange={(v) => setDraft((d) => ({ ...d, twsWss: v, twsWsPort: twsWsPortFor(d.twsWsPort, v) }))}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>PBX</legend>
        <div className="form-grid">
          <Field
            name="twsPbx"
            label="PBX behind TWS"
            error={errors.twsPbx}
            hint={draft.twsPbx === 'alcatel' ? 'Agent (ACD) functions are available.' : 'Agent (ACD) functions need an Alcatel PBX: with another PBX the desktop offers call control only.'}
          >
            {(p) => (
              <select {...p} {...select('twsPbx')}>
                {(Object.keys(twsPbxLabels) as TwsConnection['pbx'][]).map((x) => (
                  <option key={x} value={x}>
                    {twsPbxLabels[x]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="twsAgentGroup" label="Agent group" error={errors.twsAgentGroup} hint="The ACD group the agent logs on to.">
            {(p) => <input {...p} {...text('twsAgentGroup')} inputMode="numeric" spellCheck={false} />}
          </Field>
          <Field name="twsUnparkPrefix" label="Unpark prefix" error={errors.twsUnparkPrefix} hint="Facility code that takes a parked call back; 402 on Alcatel.">
            {(p) => <input {...p} {...text('twsUnparkPrefix')} inputMode="tel" spellCheck={false} />}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Colleagues</legend>
        <div className="form-grid">
          <Field
            name="twsColleagues"
            label="Colleagues’ phones"
            error={errors.twsColleagues}
            hint={`Device numbers, separated by commas or new lines; shown with their state in the Colleagues panel. ${colleagues === 0 ? 'None.' : `${colleagues} of at most ${MAX_COLLEAGUES}.`}`}
          >
            {(p) => <textarea {...p} {...text('twsColleagues')} rows={3} spellCheck={false} placeholder="1201, 1202, 1203" />}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>TWS certificate trust</legend>
        <div className="form-grid">
          <Field name="twsTlsCaFile" label="CA certificate file" error={errors.twsTlsCaFile} hint="For HTTPS and secure WebSocket: PEM file of the CA (or the server’s self-signed certificate), trusted besides the system’s.">
            {(p) => <input {...p} {...text('twsTlsCaFile')} spellCheck={false} className="input input-wide" placeholder="/etc/ssl/tws-ca.pem" />}
          </Field>
          <Field
            name="twsTlsPinSha256"
            label="Pinned certificate (SHA-256)"
            error={errors.twsTlsPinSha256}
            hint={
              <>
                Accept exactly this server certificate. As printed by <code>openssl x509 -noout -fingerprint -sha256</code>.
              </>
            }
          >
            {(p) => <input {...p} {...text('twsTlsPinSha256')} spellCheck={false} autoComplete="off" className="input input-wide mono" placeholder="AB:CD:…:EF (32 bytes)" />}
          </Field>
        </div>
      </fieldset>
    </>
  );
}
