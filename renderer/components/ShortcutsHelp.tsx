// Help: the keyboard shortcuts (each one changeable or switched off, and call control also
// system-wide in the desktop app), browser notifications (web host), then diagnostics.
import { useCallback, useState } from 'react';
import { conflicts, effectiveKeys, globalShortcutActions, type GlobalShortcutAction, type ShortcutAction, shortcutActions, type ShortcutSettings } from '../../shared/shortcuts.js';
import { comboLabel, shortcutDoes } from '../shortcuts/shortcuts.js';
import { useKeyRecorder } from '../shortcuts/useKeyRecorder.js';
import { useKeyMap, useSaveSettings, useSettings } from '../state/settings.js';
import { DiagnosticsSection } from './DiagnosticsSection.js';
import { Modal } from './Modal.js';
import { NotificationsSection } from './NotificationsSection.js';
import { RingerSection } from './RingerSection.js';

type Target = { scope: 'window'; action: ShortcutAction } | { scope: 'global'; action: GlobalShortcutAction };

const isGlobal = (a: ShortcutAction): a is GlobalShortcutAction => (globalShortcutActions as readonly string[]).includes(a);

function Keys({ combo, testId }: { combo: string | null | undefined; testId: string }) {
  return combo ? <kbd data-testid={testId}>{comboLabel(combo)}</kbd> : <span className="hint" data-testid={testId}>Off</span>;
}

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  const settings = useSettings();
  const save = useSaveSettings();
  const keys = useKeyMap();
  const [editing, setEditing] = useState(false);
  const [recording, setRecording] = useState<Target | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const shortcuts = settings.data?.settings.shortcuts;
  const global = settings.data?.globalShortcuts;

  /** `changed`: the shortcut being set, left out of "already used for". */
  const apply = useCallback(
    (next: ShortcutSettings, changed?: ShortcutAction) => {
      const clash = conflicts(effectiveKeys(next))[0] ?? conflicts(next.global)[0];
      if (clash) {
        const others = clash[1].filter((a) => a !== changed).map((a) => shortcutDoes[a as ShortcutAction]);
        setProblem(`${comboLabel(clash[0])} is already used for: ${others.join('; ')}.`);
        return;
      }
      setProblem(null);
      save.mutate({ shortcuts: next }, { onError: (err) => setProblem(err.message) });
    },
    [save],
  );

  const set = useCallback(
    (target: Target, combo: string | null) => {
      if (!shortcuts) return;
      if (target.scope === 'window') {
        apply({ ...shortcuts, keys: { ...shortcuts.keys, [target.action]: combo } }, target.action);
      } else {
        const { [target.action]: _old, ...rest } = shortcuts.global;
        apply({ ...shortcuts, global: combo ? { ...rest, [target.action]: combo } : rest }, target.action);
      }
    },
    [apply, shortcuts],
  );

  const onCombo = useCallback(
    (combo: string) => {
      if (recording) set(recording, combo);
      setRecording(null);
    },
    [recording, set],
  );
  const onInvalid = useCallback((pressed: string) => setProblem(`${comboLabel(pressed)} is typing, not a shortcut: use Ctrl or Alt with a letter or digit, or a function key.`), []);
  const onCancel = useCallback(() => setRecording(null), []);
  useKeyRecorder(recording !== null, onCombo, onInvalid, onCancel);

  const changeButton = (target: Target, testId: string) => {
    const here = recording?.scope === target.scope && recording.action === target.action;
    return (
      <button type="button" className="btn btn-sm" data-testid={testId} aria-pressed={here} onClick={() => setRecording(here ? null : target)}>
        {here ? 'Press keys… (Esc cancels)' : 'Change'}
      </button>
    );
  };

  return (
    <Modal title="Help" onClose={onClose} className={editing ? '' : 'modal-sm'} testId="help-dialog">
      <div className="help-heading-row">
        <h3 className="help-heading">Keyboard shortcuts</h3>
        <button type="button" className="btn btn-sm btn-ghost" data-testid="shortcuts-edit" aria-pressed={editing} disabled={!shortcuts} onClick={() => setEditing(!editing)}>
          {editing ? 'Done' : 'Customize'}
        </button>
      </div>
      <table className="table shortcuts">
        {editing && (
          <thead>
            <tr>
              <th scope="col">In this window</th>
              <th scope="col">Does</th>
              <th scope="col">System-wide</th>
            </tr>
          </thead>
        )}
        <tbody>
          {shortcutActions.map((a) => (
            <tr key={a} data-testid="shortcut-row" data-action={a}>
              <th scope="row">
                <Keys combo={keys[a]} testId="shortcut-keys" />
                {editing && (
                  <span className="shortcut-edit">
                    {changeButton({ scope: 'window', action: a }, 'shortcut-change')}
                    {keys[a] && (
                      <button type="button" className="btn btn-sm btn-ghost" data-testid="shortcut-off" onClick={() => set({ scope: 'window', action: a }, null)}>
                        Turn off
                      </button>
                    )}
                  </span>
                )}
              </th>
              <td>{shortcutDoes[a]}</td>
              {editing && (
                <td>
                  {isGlobal(a) && global?.available && (
                    <span className="shortcut-edit">
                      <Keys combo={shortcuts?.global[a]} testId="shortcut-global-keys" />
                      {changeButton({ scope: 'global', action: a }, 'shortcut-global-change')}
                      {shortcuts?.global[a] && (
                        <button type="button" className="btn btn-sm btn-ghost" data-testid="shortcut-global-off" onClick={() => set({ scope: 'global', action: a }, null)}>
                          Turn off
                        </button>
                      )}
                      {global.failed.includes(a) && (
                        <span className="field-error" data-testid="shortcut-global-taken">
                          Another application holds this key.
                        </span>
                      )}
                    </span>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <div className="shortcuts-foot">
          <p className="hint" data-testid="shortcuts-global-note">
            {global?.available ? 'System-wide keys work while another application has focus, such as your CRM.' : `System-wide keys: ${global?.reason ?? 'not available here'}.`}
          </p>
          <button type="button" className="btn btn-sm" data-testid="shortcuts-reset" onClick={() => apply({ keys: {}, global: {} })}>
            Reset to defaults
          </button>
        </div>
      )}
      {problem && (
        <p className="field-error" role="alert" data-testid="shortcuts-problem">
          {problem}
        </p>
      )}
      <p className="hint">On macOS, Cmd works wherever Ctrl is listed. Tab and Shift+Tab move between controls; Enter dials from the number field.</p>
      <NotificationsSection />
      <RingerSection />
      <DiagnosticsSection />
    </Modal>
  );
}
