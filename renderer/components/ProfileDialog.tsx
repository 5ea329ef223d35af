// Server profiles: list, activate, import/export, and the editor for a new or existing one.
import { useRef, useState } from 'react';
import type { ProfileSummary } from '../../shared/profile.js';
import { vendorLabels } from '../format/labels.js';
import { request } from '../bridge/index.js';
import { profileServerLabel } from '../profiles/profileDraft.js';
import { useActivateProfile, useDeleteProfile, useImportProfile, useProfiles } from '../state/queries.js';
import { toastError, useToastStore } from '../state/toastStore.js';
import { downloadText } from './download.js';
import { Modal } from './Modal.js';
import { ProfileEditor } from './ProfileEditor.js';

type Editing = { summary: ProfileSummary | null } | null;

function ProfileItem({ summary, active, onEdit }: { summary: ProfileSummary; active: boolean; onEdit(): void }) {
  const [confirming, setConfirming] = useState(false);
  const activate = useActivateProfile();
  const remove = useDeleteProfile();
  const p = summary.profile;

  const exportProfile = async () => {
    try {
      const { filename, json } = await request('profiles.export', { id: p.id });
      downloadText(filename, json, 'application/json');
    } catch (err) {
      toastError(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <li className={`profile-item${active ? ' profile-active' : ''}`} data-testid="profile-item" data-profile-id={p.id}>
      <div className="profile-who">
        <span className="profile-name">
          {p.name} {active && <span className="chip chip-accent">Active</span>} {summary.builtIn && <span className="chip">Built-in</span>}
        </span>
        <span className="profile-detail">
          <span className="chip" data-testid="profile-vendor" data-vendor={p.connection.vendor}>
            {vendorLabels[p.connection.vendor]}
          </span>{' '}
          <span className="mono" data-testid="profile-server">
            {profileServerLabel(p.connection)}
          </span>{' '}
          · device {p.device}
          {p.connection.vendor === 'o2g' ? ` · login ${p.connection.login}` : ''}
          {p.connection.vendor === 'tws' ? ` · user ${p.connection.username}` : ''}
          {p.connection.vendor === 'ctips' && !p.connection.gateway && p.connection.userName ? ` · account ${p.connection.userName}` : ''}
          {p.agentId ? ` · agent ${p.agentId}` : ''}
        </span>
      </div>
      <div className="profile-buttons">
        {confirming ? (
          <>
            <span className="hint">Delete “{p.name}”?</span>
            <button type="button" className="btn btn-sm btn-danger" onClick={() => remove.mutate(p.id)} disabled={remove.isPending} data-testid="profile-delete-confirm">
              Delete
            </button>
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <>
            {!active && (
              <button type="button" className="btn btn-sm btn-primary" onClick={() => activate.mutate(p.id)} disabled={activate.isPending} data-testid="profile-activate">
                {activate.isPending ? 'Activating…' : 'Activate'}
              </button>
            )}
            <button type="button" className="btn btn-sm" onClick={onEdit} data-testid="profile-edit">
              Edit
            </button>
            <button type="button" className="btn btn-sm" onClick={() => void exportProfile()} data-testid="profile-export">
              Export
            </button>
            {!summary.builtIn && (
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => setConfirming(true)} data-testid="profile-delete">
                Delete
              </button>
            )}
          </>
        )}
      </div>
    </li>
  );
}

export function ProfileDialog({ onClose }: { onClose(): void }) {
  const { data, error, isPending } = useProfiles();
  const importProfile = useImportProfile();
  const [editing, setEditing] = useState<Editing>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const onImport = async (file: File | undefined) => {
    if (!file) return;
    const summary = await importProfile.mutateAsync(await file.text()).catch(() => null);
    if (summary) useToastStore.getState().push('info', `Imported “${summary.profile.name}”.`);
  };

  return (
    <Modal title={editing ? (editing.summary ? `Edit “${editing.summary.profile.name}”` : 'New profile') : 'Server profiles'} onClose={onClose} testId="profile-dialog">
      {editing ? (
        <ProfileEditor summary={editing.summary} onDone={() => setEditing(null)} />
      ) : (
        <>
          {error ? (
            <p className="field-error" role="alert">
              Could not load profiles: {error.message}
            </p>
          ) : isPending ? (
            <p className="empty">Loading…</p>
          ) : (
            <ul className="profile-list" aria-label="Profiles">
              {data.profiles.map((s) => (
                <ProfileItem key={s.profile.id} summary={s} active={s.profile.id === data.activeId} onEdit={() => setEditing({ summary: s })} />
              ))}
            </ul>
          )}
          <div className="modal-actions">
            <button type="button" className="btn btn-primary" onClick={() => setEditing({ summary: null })} data-testid="profile-new">
              New profile
            </button>
            <button type="button" className="btn" onClick={() => fileRef.current?.click()} disabled={importProfile.isPending} data-testid="profile-import">
              Import…
            </button>
            <input
              ref={fileRef}
              type="file"
              accept="application/json,.json"
              className="visually-hidden"
              tabIndex={-1}
              aria-hidden="true"
              onChange={(e) => {
                void onImport(e.target.files?.[0]);
                e.target.value = '';
              }}
              data-testid="profile-import-file"
            />
          </div>
        </>
      )}
    </Modal>
  );
}
