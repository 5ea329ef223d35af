// Tabs under the call list: the call log and the directory (arrow keys move between tabs).
import type { KeyboardEvent } from 'react';
import { missedCallsText } from '../controls/features.js';
import { useViewStore } from '../state/viewStore.js';
import { CallLog } from './CallLog.js';
import { Directory } from './Directory.js';

export type WorkTab = 'calllog' | 'directory';

const tabs: { id: WorkTab; label: string }[] = [
  { id: 'calllog', label: 'Recent calls' },
  { id: 'directory', label: 'Directory' },
];

interface WorkTabsProps {
  tab: WorkTab;
  onTab(tab: WorkTab): void;
}

export function WorkTabs({ tab, onTab }: WorkTabsProps) {
  const missed = useViewStore((s) => s.view.features.missedCalls) ?? 0;
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const at = tabs.findIndex((t) => t.id === tab);
    const next = tabs[(at + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    if (!next) return;
    onTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <section className="panel work-panel">
      <div className="tabs" role="tablist" aria-label="Call history and directory" onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === t.id}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => onTab(t.id)}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
            {t.id === 'calllog' && missed > 0 && (
              <span className="count count-alert" data-testid="tab-missed-count">
                <span aria-hidden="true">{missed}</span>
                <span className="visually-hidden">, {missedCallsText(missed)}</span>
              </span>
            )}
          </button>
        ))}
      </div>
      <div id={`tabpanel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === 'calllog' ? <CallLog /> : <Directory />}
      </div>
    </section>
  );
}
