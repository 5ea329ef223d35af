// The agent's calls, oldest first, the consultation leg after its held call.
import { useOrderedCalls } from '../state/selectors.js';
import { CallRow } from './CallRow.js';

export function CallList() {
  const calls = useOrderedCalls();
  // A consultation pair makes "Transfer" and "Conference" join the two legs instead of dialing.
  const consulting = calls.length > 1 && calls.some((c) => c.isConsultation);

  return (
    <section className="panel calls-panel" aria-labelledby="calls-title">
      <h2 id="calls-title" className="panel-title">
        Calls {calls.length > 0 && <span className="count">{calls.length}</span>}
      </h2>
      {calls.length === 0 ? (
        <p className="empty">No calls. Dial a number, or wait for the next call.</p>
      ) : (
        <ul className="call-list">
          {calls.map((call) => (
            <CallRow key={call.id} call={call} consulting={consulting} />
          ))}
        </ul>
      )}
    </section>
  );
}
