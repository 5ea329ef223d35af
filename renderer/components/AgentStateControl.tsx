// The agent's ACD state with its timer, and buttons for exactly the states the server permits.
// A click shows "pending" until the agent event confirms it: the reply is not the state change.
// Also the ACD group, the "Ask for help" toggle, and the transaction code the ACD may wait for.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AgentInfo, AgentStateKind } from '../../shared/model.js';
import { agentStateChoices, canAskForHelp, isSupervisor, notReadyReasons, showAgentPanel, transactionCodeTarget } from '../controls/agentControls.js';
import { promptCommand, promptSpecs } from '../controls/callButtons.js';
import { elapsedSec, formatDuration, remainingSec } from '../format/duration.js';
import { agentRoleLabels, agentStateActions, agentStateLabels } from '../format/labels.js';
import { shortcutKeys } from '../shortcuts/shortcuts.js';
import { useAgentPending } from '../state/agentPending.js';
import { useNow } from '../state/clock.js';
import { sendCommand, setAgentState } from '../state/commands.js';
import { usePromptStore } from '../state/promptStore.js';
import { useActiveProfile } from '../state/queries.js';
import { useCapability } from '../state/selectors.js';
import { useViewStore } from '../state/viewStore.js';
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
          aria-keyshortcuts={shortcutKeys.transactionCode}
          title="Enter transaction code (Ctrl+Shift+K)"
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
          {pending.reason ? ` (${pending.reason})` : ''}…
        </p>
      )}
      {choices.length > 0 && (
        <div className="agent-actions" role="group" aria-label="Change agent state">
          {choices.map((state) =>
            state === 'notReady' && reasons.length > 0 ? (
              <ReasonMenu key={state} reasons={reasons} disabled={pending !== null} onPick={(reason) => request('notReady', reason)} />
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
      {canAskForHelp(agent, capabilities) && <HelpToggle requested={agent.helpRequested === true} />}
      <AwaitingCode agent={agent} />
    </section>
  );
}
