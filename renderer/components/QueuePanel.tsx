// Supervisor view of the queues this session watches: waiting calls and agents by state.
import type { AgentStateKind, QueueStats } from '../../shared/model.js';
import { formatDuration } from '../format/duration.js';
import { agentStateLabels } from '../format/labels.js';
import { useQueues } from '../state/selectors.js';

const countKeys: { key: keyof QueueStats; label: string; cls: string }[] = [
  { key: 'agentsReady', label: 'Ready', cls: 'ready' },
  { key: 'agentsBusy', label: 'Busy', cls: 'busy' },
  { key: 'agentsNotReady', label: 'Not ready', cls: 'notReady' },
  { key: 'agentsLoggedOff', label: 'Off', cls: 'loggedOff' },
];

function byState(agents: QueueStats['agents']): [AgentStateKind, QueueStats['agents']][] {
  const groups = new Map<AgentStateKind, QueueStats['agents']>();
  for (const a of agents) groups.set(a.state, [...(groups.get(a.state) ?? []), a]);
  return [...groups.entries()];
}

function QueueCard({ queue }: { queue: QueueStats }) {
  const waiting = queue.queuedCalls ?? 0;
  return (
    <li className="queue-card" data-testid="queue-card" data-queue-id={queue.id}>
      <div className="queue-head">
        <span className="queue-name">{queue.name}</span>
        {queue.state && <span className="chip">{queue.state}</span>}
      </div>
      <div className="queue-figures">
        <div className={`figure${waiting > 0 ? ' figure-alert' : ''}`}>
          <span className="figure-value">{queue.queuedCalls ?? '—'}</span>
          <span className="figure-label">Waiting</span>
        </div>
        <div className="figure">
          <span className="figure-value">{queue.longestWaitSec !== undefined ? formatDuration(queue.longestWaitSec) : '—'}</span>
          <span className="figure-label">Longest wait</span>
        </div>
      </div>
      <ul className="agent-counts" aria-label="Agents">
        {countKeys.map(({ key, label, cls }) => (
          <li key={key} className={`agent-count agent-${cls}`}>
            <span className="agent-count-value">{(queue[key] as number | undefined) ?? '—'}</span> {label}
          </li>
        ))}
      </ul>
      {queue.agents.length > 0 && (
        <details className="queue-agents">
          <summary>{queue.agents.length === 1 ? '1 agent' : `${queue.agents.length} agents`}</summary>
          {byState(queue.agents).map(([state, agents]) => (
            <div key={state} className="queue-agent-group">
              <span className={`agent-dot-sm agent-${state}`} aria-hidden="true" />
              <span className="queue-agent-state">{agentStateLabels[state]}:</span> {agents.map((a) => a.agentId ?? a.device).join(', ')}
            </div>
          ))}
        </details>
      )}
    </li>
  );
}

export function QueuePanel() {
  const queues = useQueues();
  if (queues.length === 0) return null;
  return (
    <section className="panel queue-panel" aria-labelledby="queues-title">
      <h2 id="queues-title" className="panel-title">
        Queues <span className="count">{queues.length}</span>
      </h2>
      <ul className="queue-list">
        {queues.map((q) => (
          <QueueCard key={q.id} queue={q} />
        ))}
      </ul>
    </section>
  );
}
