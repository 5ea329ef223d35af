// The agent's ACD state with its timer, and buttons for exactly the states the server permits.
// A click shows "pending" until the agent event confirms it: the reply is not the state change.
import type { AgentStateKind } from '../../shared/model.js';
import { elapsedSec, formatDuration, remainingSec } from '../format/duration.js';
import { agentStateActions, agentStateLabels } from '../format/labels.js';
import { useAgentPending } from '../state/agentPending.js';
import { useNow } from '../state/clock.js';
import { setAgentState } from '../state/commands.js';
import { useActiveProfile } from '../state/queries.js';
import { useCapability } from '../state/selectors.js';
import { useViewStore } from '../state/viewStore.js';
import { ReasonMenu } from './ReasonMenu.js';

/** States an agent can ask for, in button order. */
const requestable: AgentStateKind[] = ['ready', 'notReady', 'wrapUp', 'loggedOn', 'loggedOff'];

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

export function AgentStateControl() {
  const agent = useViewStore((s) => s.view.agent);
  const canSet = useCapability('setAgentState');
  const pending = useAgentPending((s) => s.pending);
  const reasons = useActiveProfile()?.profile.notReadyReasons ?? [];

  if (!agent) {
    return (
      <section className="panel agent-panel" aria-labelledby="agent-title" data-testid="agent-state" data-state="none">
        <h2 id="agent-title" className="panel-title">Agent</h2>
        <p className="empty">No ACD agent on this device.</p>
      </section>
    );
  }

  const request = (state: AgentStateKind, reason?: string) =>
    void setAgentState({ kind: 'setAgentState', state, ...(reason !== undefined ? { reason } : {}) });
  const choices = canSet
    ? requestable.filter((s) => agent.permitted.includes(s) && (s !== agent.state || (s === 'notReady' && reasons.length > 0)))
    : [];

  return (
    <section
      className="panel agent-panel"
      aria-labelledby="agent-title"
      data-testid="agent-state"
      data-state={agent.state}
      data-pending={pending ? pending.state : undefined}
    >
      <h2 id="agent-title" className="panel-title">
        Agent{agent.agentId ? <span className="panel-sub"> {agent.agentId}</span> : null}
      </h2>
      <div className={`agent-current agent-${agent.state}`}>
        <span className="agent-dot" aria-hidden="true" />
        <div className="agent-label" role="status" aria-live="polite">
          <span className="agent-state-name">{agentStateLabels[agent.state]}</span>
          {agent.reason && <span className="agent-reason">{agent.reason}</span>}
        </div>
        <StateTimer key={`${agent.state}:${agent.since}`} since={agent.since} timeoutSec={agent.timeoutSec} />
      </div>
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
    </section>
  );
}
