// Supervisor tools (only for `role: 'supervisor'`): agents asking for help (reject, or join their
// call), intrusion on an agent's call and its mode, permanent listening, and the ACD groups to
// enter or leave. Every control needs its command in the vendor's capabilities.
import { useId, useState, type FormEvent } from 'react';
import { TEAM_CAPABILITY } from '../../shared/admin.js';
import type { Command } from '../../shared/commands.js';
import { supervisorControls, supervisorPanelEmpty } from '../controls/agentControls.js';
import { intrusionModeHints, intrusionModeLabels, intrusionStateLabels, type IntrusionMode } from '../format/labels.js';
import { checkPromptInput } from '../format/promptInput.js';
import { sendCommand } from '../state/commands.js';
import { useViewStore } from '../state/viewStore.js';

interface NumberFormProps {
  label: string;
  /** Field test id; each button's test id is given with it. */
  testId: string;
  buttons: { key: string; label: string; testId: string; title?: string }[];
  busy: boolean;
  onSubmit(agent: string, key: string): Promise<boolean>;
}

/** An agent number and one or more buttons; Enter uses the first. */
function AgentNumberForm({ label, testId, buttons, busy, onSubmit }: NumberFormProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const key = submitter?.value || buttons[0]?.key || '';
    const checked = checkPromptInput('dial', text);
    if (!checked.ok) {
      setError('Enter the agent’s number');
      return;
    }
    if (await onSubmit(checked.value, key)) setText('');
  };

  return (
    <form className="sup-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={id} className="prompt-label">
        {label}
      </label>
      <input
        id={id}
        className="input"
        inputMode="tel"
        autoComplete="off"
        spellCheck={false}
        placeholder="Agent number"
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        data-testid={testId}
      />
      <div className="sup-buttons">
        {buttons.map((b) => (
          <button key={b.key} type="submit" value={b.key} className="btn btn-sm" disabled={busy || !text.trim()} title={b.title} data-testid={b.testId}>
            {b.label}
          </button>
        ))}
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function SupervisorPanel() {
  const agent = useViewStore((s) => s.view.agent);
  const capabilities = useViewStore((s) => s.view.capabilities);
  const [busy, setBusy] = useState<string | null>(null);
  const controls = supervisorControls(agent, capabilities);
  if (!controls || !agent) return null;

  const send = async (key: string, command: Command): Promise<boolean> => {
    setBusy(key);
    const ok = await sendCommand(command);
    setBusy(null);
    return ok;
  };
  const modeButtons = (prefix: string) =>
    controls.intrudeModes.map((m) => ({ key: m, label: intrusionModeLabels[m], testId: `${prefix}-${m}`, title: intrusionModeHints[m] }));
  const showHelp = controls.helpRequests.length > 0 || capabilities.includes('supervisorHelp') || agent.helpRequests !== undefined;
  // A supervisor whose vendor's only supervision is the team roster (InstantVoice) has it in the Team panel.
  if (supervisorPanelEmpty(controls) && !showHelp && capabilities.includes(TEAM_CAPABILITY)) return null;

  return (
    <section className="panel supervisor-panel" aria-labelledby="supervisor-title" data-testid="supervisor-panel">
      <h2 id="supervisor-title" className="panel-title">
        Supervisor
        {controls.helpRequests.length > 0 && (
          <span className="count count-alert" aria-label={`${controls.helpRequests.length} help requests`}>
            {controls.helpRequests.length}
          </span>
        )}
      </h2>

      {controls.intrusion && (
        <div className="sup-intrusion" data-testid="supervisor-intrusion" data-agent={controls.intrusion.agent} data-mode={controls.intrusion.mode} role="status">
          <span className="sup-intrusion-what">
            {intrusionStateLabels[controls.intrusion.mode]} <span className="mono">{controls.intrusion.agent}</span>
          </span>
          {controls.intrusion.switchTo.length > 0 && (
            <div className="sup-buttons" role="group" aria-label="Change the intrusion mode">
              {controls.intrusion.switchTo.map((m) => (
                <button
                  key={m}
                  type="button"
                  className="btn btn-sm"
                  disabled={busy !== null}
                  title={intrusionModeHints[m]}
                  onClick={() => void send(`switch-${m}`, { kind: 'intrude', mode: m })}
                  data-testid={`supervisor-intrusion-${m}`}
                >
                  {intrusionModeLabels[m]}
                </button>
              ))}
            </div>
          )}
          <span className="hint">Hang up its call to end the intrusion.</span>
        </div>
      )}

      {showHelp && (
        <>
          <h3 className="sub-title">Help requests</h3>
          {controls.helpRequests.length === 0 ? (
            <p className="hint">No agent is asking for help.</p>
          ) : (
            <ul className="sup-requests" aria-label="Agents asking for help">
              {controls.helpRequests.map((r) => (
                <li key={r.agent} className="sup-request" data-testid="supervisor-help-request" data-agent={r.agent}>
                  <div className="sup-request-head">
                    <span className="mono sup-agent">{r.agent}</span>
                    {r.canReject && (
                      <button
                        type="button"
                        className="btn btn-sm btn-ghost"
                        disabled={busy !== null}
                        aria-label={`Reject the help request of ${r.agent}`}
                        onClick={() => void send(`reject-${r.agent}`, { kind: 'supervisorHelp', on: false, agent: r.agent })}
                        data-testid="supervisor-help-reject"
                      >
                        Reject
                      </button>
                    )}
                  </div>
                  {r.modes.length > 0 && (
                    <div className="sup-buttons" role="group" aria-label={`Join the call of ${r.agent}`}>
                      {r.modes.map((m: IntrusionMode) => (
                        <button
                          key={m}
                          type="button"
                          className="btn btn-sm"
                          disabled={busy !== null}
                          title={intrusionModeHints[m]}
                          aria-label={`${intrusionModeLabels[m]}: ${r.agent}`}
                          onClick={() => void send(`help-${r.agent}-${m}`, { kind: 'intrude', agent: r.agent, mode: m })}
                          data-testid={`supervisor-help-${m}`}
                        >
                          {intrusionModeLabels[m]}
                        </button>
                      ))}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}

      {controls.intrudeModes.length > 0 && (
        <AgentNumberForm
          label="Intrude on agent"
          testId="supervisor-intrude-number"
          buttons={modeButtons('supervisor-intrude')}
          busy={busy !== null}
          onSubmit={(a, mode) => send(`intrude-${mode}`, { kind: 'intrude', agent: a, mode: mode as IntrusionMode })}
        />
      )}

      {controls.permanentListen && (
        <AgentNumberForm
          label="Permanent listening"
          testId="supervisor-listen-number"
          buttons={[{ key: 'listen', label: 'Listen to all calls', testId: 'supervisor-listen-start', title: 'Hear every call of this agent until you hang up' }]}
          busy={busy !== null}
          onSubmit={(a) => send('permanent', { kind: 'permanentListen', agent: a })}
        />
      )}

      {controls.groups.length > 0 && (
        <>
          <h3 className="sub-title">ACD groups</h3>
          <ul className="sup-groups" aria-label="ACD groups">
            {controls.groups.map((g) => (
              <li key={g.group} className={`sup-group${g.active ? ' sup-group-in' : ''}`} data-testid="supervisor-group" data-group={g.group} data-state={g.active ? 'in' : 'out'}>
                <span className="mono">{g.group}</span>
                {g.active && <span className="chip chip-accent">Working in</span>}
                <button
                  type="button"
                  className="btn btn-sm"
                  disabled={busy !== null}
                  aria-label={`${g.active ? 'Leave' : 'Enter'} group ${g.group}`}
                  onClick={() => void send(`group-${g.group}`, { kind: 'setGroup', group: g.group, on: !g.active })}
                  data-testid="supervisor-group-toggle"
                >
                  {g.active ? 'Leave' : 'Enter'}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}

      {supervisorPanelEmpty(controls) && !showHelp && <p className="empty">This phone system offers no supervisor features.</p>}
    </section>
  );
}
