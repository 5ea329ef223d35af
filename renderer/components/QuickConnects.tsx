// The profile's quick connects: one click calls a colleague, a queue or a service from the dial
// panel, or completes a consult, transfer, divert or add-party prompt.
import type { QuickConnect } from '../../shared/profile.js';
import { useActiveProfile } from '../state/queries.js';

const none: QuickConnect[] = [];

export function useQuickConnects(): QuickConnect[] {
  return useActiveProfile()?.profile.quickConnects ?? none;
}

interface QuickConnectListProps {
  /** What the list is, for screen readers: "Quick connects", "Transfer to a quick connect". */
  label: string;
  disabled?: boolean;
  onPick(entry: QuickConnect): void;
}

export function QuickConnectList({ label, disabled, onPick }: QuickConnectListProps) {
  const entries = useQuickConnects();
  if (entries.length === 0) return null;
  return (
    <ul className="quick-connects" aria-label={label}>
      {entries.map((q) => (
        <li key={`${q.label}-${q.number}`}>
          <button type="button" className="quick-connect" data-testid="quick-connect" data-number={q.number} disabled={disabled} title={`${q.label}: ${q.number}`} onClick={() => onPick(q)}>
            <span className="quick-connect-label">{q.label}</span>
            {q.label !== q.number && <span className="quick-connect-number">{q.number}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
