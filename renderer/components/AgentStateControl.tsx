// The agent's ACD state with its timer, and buttons for exactly the states the server permits.
// A click shows "pending" until the agent event confirms it: the reply is not the state change.
// Also the ACD group, the "Ask for help" toggle, and the transaction code the ACD may wait for;
// the site's codes where the vendor has them (a logout reason menu, the wrap-up disposition), the
// "log out after this call" (panic logout), the state queued for after the call, and the login
// passcode to key on the phone.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AgentInfo, AgentStateKind } from '../../shared/model.js';
import {
  agentStateChoices,
  canAskForHelp,
  dispositionCommand,
  dispositionControl,
  isSupervisor,
  logoutChoices,
  notReadyReasons,
  panicLogoutCommand,
  panicLogoutControl,
  passcodeText,
  pendingReasonLabel,
  showAgentPanel,
  transactionCodeTarget,
  type DispositionControl,
} from '../controls/agentControls.js';
import { promptCommand, promptSpecs } from '../controls/callButtons.js';
import { elapsedSec, formatDuration, remainingSec } from '../format/duration.js';
import { agentRoleLabels, agentStateActions, agentStateLabels } from '../format/labels.js';
import { comboLabel } from '../shortcuts/shortcuts.js';
import { useKeyMap } from '../state/settings.js';
import { useAgentPending } from '../state/agentPending.js';
import { useNow } from '../state/clock.js';
import { sendCommand, setAgentState } from '../state/commands.js';
import { usePromptStore } from '../state/promptStore.js';
import { useActiveProfile } from '../state/queries.js';
import { useCapability } from '../state/selectors.js';
import { useViewStore } from '../state/viewStore.js';
import { ChoiceMenu } from './ChoiceMenu.js';
import { CommandMenu } from './CommandMenu.js';
import { NextStateControl } from './NextStateControl.js';
import { NumberPrompt } from './NumberPrompt.js';
import { ReasonMenu } from './ReasonMenu.js';

function StateTimer({ since, timeoutSec }: { since: number; timeoutSec: number | undefined }) {
  const now = useNow();
  if (timeoutSec !== undefined) {
    return (
      <span className="agent-timer" title="Time left before the server changes the state">
        {formatDuration(remainingSec(since, timeoutSec, now))} left
      </span>
    );
  }
  return (
    <span className="agent-timer" title="Time in this state">
      {formatDuration(elapsedSec(since, now))}
    </span>
  );
}

/** Agent: ask a supervisor for help, or withdraw the request. The state is the server's. */
function HelpToggle({ requested }: { requested: boolean }) {
  const [busy, setBusy] = useState(false);
  const toggle = async () => {
    setBusy(true);
    await sendCommand({ kind: 'supervisorHelp', on: !requested });
    setBusy(false);
  };
  return (
    <div className="agent-help">
      <button
        type="button"
        className={`btn btn-sm btn-help${requested ? ' btn-help-on' : ''}`}
        aria-pressed={requested}
        aria-busy={busy || undefined}
        disabled={busy}
        onClick={() => void toggle()}
        data-testid="agent-help"
        data-state={requested ? 'on' : 'off'}
      >
        <span className="help-mark" aria-hidden="true">
          ?
        </span>
        Ask for help
      </button>
      <span className="hint" role="status" data-testid="agent-help-state">
        {busy ? (requested ? 'Withdrawing…' : 'Asking…') : requested ? 'Help requested: waiting for a supervisor. Press again to withdraw.' : ''}
      </span>
    </div>
  );
}

/** The ACD waits for the last call's transaction code, and no live call offers the field. */
function AwaitingCode({ agent }: { agent: AgentInfo }) {
  const target = useViewStore(useShallow((s) => transactionCodeTarget(s.view)));
  const open = usePromptStore((s) => s.open);
  const [busy, setBusy] = useState(false);
  const codeKey = useKeyMap().transactionCode;
  if (!agent.awaitingCode || !target) return null;
  const here = open?.action === 'transactionCode' && open.place === 'agent' && open.callId === target.callId;
  const prompt = { callId: target.callId, action: 'transactionCode' as const, place: target.place };

  const submit = async (code: string) => {
    setBusy(true);
    const ok = await sendCommand(promptCommand('transactionCode', target.callId, code));
    setBusy(false);
    if (ok) usePromptStore.getState().closeIf(prompt);
  };

  return (
    <div className="agent-code" data-testid="agent-awaiting-code">
      <p className="agent-code-note" role="status">
        The ACD is waiting for the transaction code of the last call.
      </p>
      {!here && (
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => usePromptStore.getState().show(prompt)}
          aria-keyshortcuts={codeKey ?? undefined}
          title={`Enter transaction code${codeKey ? ` (${comboLabel(codeKey)})` : ''}`}
          data-testid="agent-transaction-code"
        >
          Enter code…
        </button>
      )}
      {here && (
        <NumberPrompt
          label={promptSpecs.transactionCode.label}
          submitLabel={promptSpecs.transactionCode.submit}
          mode="code"
          busy={busy}
          onSubmit={(code) => void submit(code)}
          onCancel={() => usePromptStore.getState().close()}
        />
      )}
    </div>
  );
}

/** The login waits for the agent to key a passcode on the phone. */
function PasscodeBanner({ agent }: { agent: AgentInfo }) {
  const text = passcodeText(agent);
  if (!text) return null;
  return (
    <p className="agent-passcode" role="alert" data-testid="agent-passcode" data-passcode={agent.passcode?.trim()}>
      {text}
    </p>
  );
}

/** Wrap-up: pick the call's disposition from the site's list; the accepted one shows once set. */
function DispositionPicker({ control }: { control: DispositionControl }) {
  const [picked, setPicked] = useState('');
  const [successful, setSuccessful] = useState(true);
  const [endWrap, setEndWrap] = useState(false);
  const [busy, setBusy] = useState(false);
  const { callId, codes, accepted } = control;
  const choice = codes.some((c) => c.id === picked) ? picked : '';

  const submit = async () => {
    if (callId === null || !choice) return;
    setBusy(true);
    await sendCommand(dispositionCommand(callId, choice, successful, endWrap));
    setBusy(false);
  };

  return (
    <div className="agent-disposition" data-testid="agent-disposition" data-call-id={callId ?? undefined} data-state={accepted ? 'accepted' : 'open'}>
      {accepted && (
        <p className="agent-meta" role="status">
          <span className="hint">Disposition</span>{' '}
          <strong data-testid="agent-disposition-accepted" data-disposition={accepted.id}>
            {accepted.label}
          </strong>
        </p>
      )}
      {callId !== null && (
        <form
          className="agent-disposition-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label className="field-label" htmlFor={`disposition-${callId}`}>
            {accepted ? 'Change the disposition' : 'Disposition of the call'}
          </label>
          <select id={`disposition-${callId}`} className="input select" value={choice} onChange={(e) => setPicked(e.target.value)} data-testid="agent-disposition-select">
            <option value="" disabled>
              Choose…
            </option>
            {codes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
          <label className="check">
            <input type="checkbox" checked={successful} onChange={(e) => setSuccessful(e.target.checked)} data-testid="agent-disposition-successful" />
            Successful
          </label>
          <label className="check">
            <input type="checkbox" checked={endWrap} onChange={(e) => setEndWrap(e.target.checked)} data-testid="agent-disposition-end-wrap" />
            End wrap-up
          </label>
          <button type="submit" className="btn btn-sm btn-primary" disabled={busy || !choice} aria-busy={busy || undefined} data-testid="agent-disposition-submit">
            Set disposition
          </button>
        </form>
      )}
    </div>
  );
}

/** "Log out after this call" (panic logout), and "logout pending" once the ACD took it. */
function PanicLogout() {
  const agent = useViewStore((s) => s.view.agent);
  const calls = useViewStore((s) => s.view.calls);
  const capabilities = useViewStore((s) => s.view.capabilities);
  const control = panicLogoutControl({ agent, calls, capabilities });
  const [busy, setBusy] = useState(false);
  if (!control) return null;
  const send = async (command: Parameters<typeof sendCommand>[0]) => {
    setBusy(true);
    await sendCommand(command);
    setBusy(false);
  };
  return (
    <div className="agent-panic">
      {control.offer &&
        (control.choices.length > 0 ? (
          <CommandMenu
            choices={control.choices}
            label="Log out after this call"
            menuLabel="Logout reason"
            className="btn btn-sm agent-set-loggedOff"
            testId="agent-panic-logout"
            itemTestId="agent-logout-reason"
          />
        ) : (
          <button type="button" className="btn btn-sm agent-set-loggedOff" disabled={busy} aria-busy={busy || undefined} onClick={() => void send(panicLogoutCommand)} data-testid="agent-panic-logout">
            Log out after this call
          </button>
        ))}
      {control.pending && (
        <span className="chip chip-alert" role="status" data-testid="agent-logout-pending">
          Logout pending: after this call
        </span>
      )}
    </div>
  );
}

export function AgentStateControl() {
  const agent = useViewStore((s) => s.view.agent);
  const capabilities = useViewStore((s) => s.view.capabilities);
  const canSet = useCapability('setAgentState');
  const pending = useAgentPending((s) => s.pending);
  const profileReasons = useActiveProfile()?.profile.notReadyReasons;

  if (!showAgentPanel(agent, capabilities)) return null;
  if (!agent) {
    return (
      <section className="panel agent-panel" aria-labelledby="agent-title" data-testid="agent-state" data-state="none">
        <h2 id="agent-title" className="panel-title">Agent</h2>
        <p className="empty">No ACD agent on this device.</p>
      </section>
    );
  }

  const reasons = notReadyReasons(agent, profileReasons ?? []);
  const request = (state: AgentStateKind, reason?: string) =>
    void setAgentState({ kind: 'setAgentState', state, ...(reason !== undefined ? { reason } : {}) });
  const choices = agentStateChoices(agent, canSet, reasons);
  const logoutReasons = logoutChoices(agent);
  const disposition = dispositionControl(agent, capabilities);

  return (
    <section
      className="panel agent-panel"
      aria-labelledby="agent-title"
      data-testid="agent-state"
      data-state={agent.state}
      data-pending={pending ? pending.state : undefined}
    >
      <div className="panel-title-row">
        <h2 id="agent-title" className="panel-title">
          Agent{agent.agentId ? <span className="panel-sub"> {agent.agentId}</span> : null}
        </h2>
        {isSupervisor(agent) && (
          <span className="chip chip-accent" data-testid="agent-role">
            {agentRoleLabels.supervisor}
          </span>
        )}
      </div>
      <PasscodeBanner agent={agent} />
      <div className={`agent-current agent-${agent.state}`}>
        <span className="agent-dot" aria-hidden="true" />
        <div className="agent-label" role="status" aria-live="polite">
          <span className="agent-state-name">{agentStateLabels[agent.state]}</span>
          {agent.reason && <span className="agent-reason">{agent.reason}</span>}
        </div>
        <StateTimer key={`${agent.state}:${agent.since}`} since={agent.since} timeoutSec={agent.timeoutSec} />
      </div>
      {agent.group && (
        <p className="agent-meta">
          <span className="hint">ACD group</span>{' '}
          <span className="mono" data-testid="agent-group">
            {agent.group}
          </span>
        </p>
      )}
      {pending && (
        <p className="agent-pending" role="status" data-testid="agent-pending">
          <span className="spinner" aria-hidden="true" /> Changing to {agentStateLabels[pending.state]}
          {pending.reason ? ` (${pendingReasonLabel(agent, pending.state, pending.reason)})` : ''}…
        </p>
      )}
      {choices.length > 0 && (
        <div className="agent-actions" role="group" aria-label="Change agent state">
          {choices.map((state) =>
            state === 'notReady' && reasons.length > 0 ? (
              <ReasonMenu key={state} reasons={reasons} disabled={pending !== null} onPick={(reason) => request('notReady', reason)} />
            ) : state === 'loggedOff' && logoutReasons.length > 0 ? (
              <ChoiceMenu
                key={state}
                choices={logoutReasons}
                disabled={pending !== null}
                onPick={(id) => request('loggedOff', id)}
                label={agentStateActions.loggedOff}
                menuLabel="Logout reason"
                className="btn btn-sm agent-set-loggedOff"
                testId="agent-set-loggedOff"
                itemTestId="agent-logout-reason"
              />
            ) : (
              <button
                key={state}
                type="button"
                className={`btn btn-sm agent-set-${state}`}
                disabled={pending !== null}
                onClick={() => request(state)}
                data-testid={`agent-set-${state}`}
              >
                {agentStateActions[state]}
              </button>
            ),
          )}
        </div>
      )}
      <PanicLogout />
      <NextStateControl reasons={reasons} />
      {disposition && <DispositionPicker key={disposition.callId ?? 'accepted'} control={disposition} />}
      {canAskForHelp(agent, capabilities) && <HelpToggle requested={agent.helpRequested === true} />}
      <AwaitingCode agent={agent} />
    </section>
  );
}
