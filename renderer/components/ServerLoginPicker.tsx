// "Pick user from server…": an administrator account lists the server's users, the admin picks
// the profile's one. The administrator's password lives only in this dialog while it is open: it
// is sent once with `profiles.logins`, cleared as soon as the list arrives, and never stored.
import { useId, useState, type KeyboardEvent } from 'react';
import type { ServerLogin } from '../../shared/bridge.js';
import type { Profile } from '../../shared/profile.js';
import { request } from '../bridge/index.js';
import { filterServerLogins } from '../profiles/profileDraft.js';
import { Modal } from './Modal.js';

type Phase = { kind: 'ask' } | { kind: 'loading' } | { kind: 'list'; logins: ServerLogin[] };

const MAX_SHOWN = 200;

interface ServerLoginPickerProps {
  /** The profile being edited, with placeholders where its login and device are not known yet. */
  profile: Profile;
  onPick(login: ServerLogin): void;
  onClose(): void;
}

/** Arrow keys move between the search field and the results. */
function onListKey(e: KeyboardEvent<HTMLElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const root = e.currentTarget.closest('.login-picker');
  const items = [...(root?.querySelectorAll<HTMLElement>('[data-testid="login-result"]') ?? [])];
  if (items.length === 0) return;
  e.preventDefault();
  const at = items.indexOf(document.activeElement as HTMLElement);
  if (at === -1) {
    if (e.key === 'ArrowDown') items[0]?.focus();
    return;
  }
  const next = at + (e.key === 'ArrowDown' ? 1 : -1);
  if (next < 0) root?.querySelector<HTMLElement>('[data-testid="login-search"]')?.focus();
  else items[Math.min(next, items.length - 1)]?.focus();
}

export function ServerLoginPicker({ profile, onPick, onClose }: ServerLoginPickerProps) {
  const id = useId();
  const [adminLogin, setAdminLogin] = useState('');
  const [adminPassword, setAdminPassword] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'ask' });
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [acdOnly, setAcdOnly] = useState(false);

  const list = async () => {
    if (!adminLogin.trim()) {
      setError('Enter the administrator login');
      return;
    }
    setError(null);
    setPhase({ kind: 'loading' });
    try {
      const { logins } = await request('profiles.logins', { profile, admin: { login: adminLogin.trim(), password: adminPassword } });
      setAdminPassword('');
      setPhase({ kind: 'list', logins });
      requestAnimationFrame(() => document.getElementById(`${id}-search`)?.focus());
    } catch (err) {
      setPhase({ kind: 'ask' });
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const matches = phase.kind === 'list' ? filterServerLogins(phase.logins, search, acdOnly) : [];
  const shown = matches.slice(0, MAX_SHOWN);

  return (
    <Modal title="Pick user from server" onClose={onClose} className="modal-sm login-picker" testId="login-picker">
      {phase.kind !== 'list' ? (
        <form
          className="login-admin"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            e.stopPropagation();
            void list();
          }}
        >
          <p className="hint login-intro">
            An administrator account of {profile.connection.vendor === 'o2g' ? profile.connection.primary.host : 'the server'} lists its users. It is used once and
            not saved.
          </p>
          <div className="form-grid">
            <div className="field">
              <label htmlFor={`${id}-admin`}>Administrator login</label>
              <input
                id={`${id}-admin`}
                className="input"
                autoComplete="off"
                spellCheck={false}
                autoFocus
                value={adminLogin}
                onChange={(e) => setAdminLogin(e.target.value)}
                data-testid="login-admin-login"
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-password`}>Administrator password</label>
              <input
                id={`${id}-password`}
                className="input"
                type="password"
                autoComplete="off"
                value={adminPassword}
                onChange={(e) => setAdminPassword(e.target.value)}
                data-testid="login-admin-password"
              />
            </div>
          </div>
          {error && (
            <p className="field-error login-error" role="alert" data-testid="login-error">
              {error}
            </p>
          )}
          <div className="modal-actions">
            <button type="submit" className="btn btn-primary" disabled={phase.kind === 'loading'} aria-busy={phase.kind === 'loading' || undefined} data-testid="login-list">
              {phase.kind === 'loading' ? 'Listing users…' : 'List users'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="login-results">
          <div className="toolbar">
            <label className="visually-hidden" htmlFor={`${id}-search`}>
              Search users by login, name or device
            </label>
            <input
              id={`${id}-search`}
              type="search"
              className="input toolbar-search"
              placeholder="Search login, name or device"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onKeyDown={onListKey}
              data-testid="login-search"
            />
            <label className="inline-label">
              <input type="checkbox" checked={acdOnly} onChange={(e) => setAcdOnly(e.target.checked)} data-testid="login-acd-only" />
              ACD only
            </label>
          </div>
          <p className="hint" role="status" aria-live="polite">
            {matches.length === phase.logins.length ? `${matches.length} users` : `${matches.length} of ${phase.logins.length} users`}
            {matches.length > shown.length ? ` — the first ${shown.length} shown, search to narrow` : ''}
          </p>
          {shown.length === 0 ? (
            <p className="empty">{phase.logins.length === 0 ? 'The server has no users.' : 'No user matches.'}</p>
          ) : (
            <ul className="login-list" aria-label="Server users" onKeyDown={onListKey}>
              {shown.map((l) => (
                <li key={l.login}>
                  <button type="button" className="login-item" onClick={() => onPick(l)} data-testid="login-result" data-login={l.login}>
                    <span className="login-login mono">{l.login}</span>
                    <span className="login-name">{l.name || '—'}</span>
                    <span className="login-device mono">{l.device ? `device ${l.device}` : ''}</span>
                    {l.acd && (
                      <span className="chip chip-accent" title="ACD operator (agent or supervisor)">
                        ACD
                      </span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="modal-actions">
            <button type="button" className="btn" onClick={() => setPhase({ kind: 'ask' })} data-testid="login-back">
              Other account
            </button>
            <button type="button" className="btn btn-ghost" onClick={onClose}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}
