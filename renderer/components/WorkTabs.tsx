// Tabs under the call list: the call log, scheduled callbacks, the directory and, for a session
// with the admin capability, the admin view (arrow keys move between tabs).
import { type KeyboardEvent, useEffect } from 'react';
import { ADMIN_CAPABILITY } from '../../shared/admin.js';
import { DIRECTORY_CAPABILITY } from '../../shared/commands.js';
import { missedCallsText } from '../controls/features.js';
import { dueCount, useCallbackDraft, useCallbacks } from '../state/callbacks.js';
import { useNow } from '../state/clock.js';
import { useViewStore } from '../state/viewStore.js';
import { AdminView } from './AdminView.js';
import { Callbacks } from './Callbacks.js';
import { CallLog } from './CallLog.js';
import { Directory } from './Directory.js';

export type WorkTab = 'calllog' | 'callbacks' | 'directory' | 'admin';

const allTabs: { id: WorkTab; label: string; testId: string }[] = [
  { id: 'calllog', label: 'Recent calls', testId: 'tab-calllog' },
  { id: 'callbacks', label: 'Callbacks', testId: 'tab-callbacks' },
  { id: 'directory', label: 'Directory', testId: 'tab-directory' },
  { id: 'admin', label: 'Admin', testId: 'admin-tab' },
];

/** The tabs a session shows: Directory only where the vendor has one, Admin only with the admin capability. */
export function workTabs(capabilities: readonly string[]): WorkTab[] {
  const needs: Partial<Record<WorkTab, string>> = { directory: DIRECTORY_CAPABILITY, admin: ADMIN_CAPABILITY };
  return allTabs.filter((t) => needs[t.id] === undefined || capabilities.includes(needs[t.id] as string)).map((t) => t.id);
}

/** The count of callbacks past their time; on its own, so the clock's tick re-renders only it, not the tab's panel. */
function CallbacksDue() {
  const due = dueCount(useCallbacks().data, useNow());
  if (due === 0) return null;
  return (
    <span className="count count-alert" data-testid="tab-callbacks-due">
      <span aria-hidden="true">{due}</span>
      <span className="visually-hidden">, {due === 1 ? '1 callback due' : `${due} callbacks due`}</span>
    </span>
  );
}

interface WorkTabsProps {
  tab: WorkTab;
  onTab(tab: WorkTab): void;
}

export function WorkTabs({ tab: asked, onTab }: WorkTabsProps) {
  const missed = useViewStore((s) => s.view.features.missedCalls) ?? 0;
  const capabilities = useViewStore((s) => s.view.capabilities);
  const shown = workTabs(capabilities);
  const tabs = allTabs.filter((t) => shown.includes(t.id));
  // A tab goes when its capability does (another profile): back to the call log.
  const tab = shown.includes(asked) ? asked : 'calllog';
  // "Call back later" on a call-log row opens the schedule form.
  const draft = useCallbackDraft((s) => s.draft);
  useEffect(() => {
    if (draft) onTab('callbacks');
  }, [draft, onTab]);
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
      <div className="tabs" role="tablist" aria-label={tabs.map((t) => t.label).join(', ')} onKeyDown={onKey}>
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
            data-testid={t.testId}
          >
            {t.label}
            {t.id === 'callbacks' && <CallbacksDue />}
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
        {tab === 'calllog' ? <CallLog /> : tab === 'callbacks' ? <Callbacks /> : tab === 'directory' ? <Directory /> : <AdminView />}
      </div>
    </section>
  );
}
