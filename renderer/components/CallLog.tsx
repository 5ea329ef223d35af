// Recent calls from the call log (local and PBX history): search, date range, redial, CSV export,
// the "Missed" filter and, where the vendor tracks them, acknowledging missed calls.
// Paged, so thousands of rows never become thousands of DOM nodes.
import { useState } from 'react';
import type { CallLogQueryInput, CallLogRow } from '../../shared/calllog.js';
import { getBridge } from '../bridge/index.js';
import { filterCallLog, isMissed, isUnacknowledged, unacknowledgedCount } from '../controls/callLog.js';
import { formatDuration } from '../format/duration.js';
import { isRedialable, WITHHELD } from '../format/party.js';
import { formatWhen, dayEnd, dayStart } from '../format/time.js';
import { useCallbackDraft } from '../state/callbacks.js';
import { CallNote } from './CallNote.js';
import { useNow } from '../state/clock.js';
import { useDialStore } from '../state/dialStore.js';
import { useCallLogView } from '../state/callLogView.js';
import { useAcknowledgeMissed, useCallLog } from '../state/queries.js';
import { useCapability } from '../state/selectors.js';
import { useViewStore } from '../state/viewStore.js';
import { toastError } from '../state/toastStore.js';
import { downloadText } from './download.js';
import { useDebouncedValue } from './useDebouncedValue.js';

export const CALLLOG_PAGE_SIZE = 25;
const CALLLOG_LIMIT = 1000;

function outcomeClass(outcome: string): string {
  return ['missed', 'abandoned', 'failed'].includes(outcome) ? 'outcome outcome-bad' : 'outcome';
}

function missedState(row: CallLogRow): string | undefined {
  if (isUnacknowledged(row)) return 'unacknowledged';
  if (row.acknowledged === true) return 'acknowledged';
  return isMissed(row) ? 'missed' : undefined;
}

interface RowProps {
  row: CallLogRow;
  now: number;
  canDial: boolean;
  canAck: boolean;
  acking: boolean;
  onAck(id: string): void;
}

function Row({ row, now, canDial, canAck, acking, onAck }: RowProps) {
  const dial = useDialStore((s) => s.dial);
  const [editingNote, setEditingNote] = useState(false);
  const number = row.remoteNumber.trim();
  const unacked = isUnacknowledged(row);
  const who = row.remoteName ?? (number || WITHHELD);
  return (
    <>
      <tr data-testid="calllog-row" data-call-id={row.id} data-missed={missedState(row)} className={unacked ? 'row-unacked' : undefined}>
        <td className="nowrap">{formatWhen(row.startedAt, now)}</td>
        <td className="mono">
          <span className="call-direction" title={row.direction === 'inbound' ? 'Inbound' : 'Outbound'}>
            <span aria-hidden="true">{row.direction === 'inbound' ? '↙' : '↗'}</span>
            <span className="visually-hidden">{row.direction}</span>
          </span>{' '}
          {/* CallLogRow has no withheld flag; an inbound row without a number is a withheld caller. */}
          {number || WITHHELD}
        </td>
        <td className="ellipsis" title={[row.remoteCompany ? `${row.remoteName ?? ''} · ${row.remoteCompany}` : row.remoteName, row.note].filter(Boolean).join('\n')}>
          {row.remoteName ?? '—'}
          {row.note && (
            <span className="calllog-note" data-testid="calllog-note">
              {row.note}
            </span>
          )}
        </td>
        <td className="num">{row.durationSec !== undefined ? formatDuration(row.durationSec) : '—'}</td>
        <td className="outcome-cell">
          <span className={outcomeClass(row.outcome)}>{row.outcome}</span>
          {unacked && (
            <span className="chip chip-alert" title="Missed call not acknowledged yet" data-testid="calllog-missed-new">
              New<span className="visually-hidden">, not acknowledged</span>
            </span>
          )}
          {/* Rows from the phone system's own history, merged in; the others this desk recorded. */}
          {row.source === 'pbx' && (
            <span className="source" title="From the phone system's history" data-testid="calllog-source-pbx">
              PBX
            </span>
          )}
        </td>
        <td className="actions-cell">
          {canAck && unacked && (
            <button
              type="button"
              className="btn btn-sm btn-ghost btn-ack"
              onClick={() => onAck(row.id)}
              disabled={acking}
              aria-label={`Acknowledge the missed call from ${who}`}
              title="Acknowledge"
              data-testid="calllog-ack"
            >
              <span aria-hidden="true">✓</span>
            </button>
          )}
          {canDial && isRedialable({ number }) && (
            <button type="button" className="btn btn-sm btn-ghost btn-call" onClick={() => void dial(number)} aria-label={`Call ${row.remoteName ?? number}`} data-testid="calllog-redial">
              Call
            </button>
          )}
          {row.source === 'local' && (
            <button
              type="button"
              className="btn btn-sm btn-ghost btn-glyph"
              onClick={() => setEditingNote(!editingNote)}
              aria-expanded={editingNote}
              aria-label={`${row.note ? 'Edit the note' : 'Add a note'} on the call with ${who}`}
              title={row.note ? 'Edit the note' : 'Add a note'}
              data-testid="calllog-note-edit"
            >
              <span aria-hidden="true">✎</span>
            </button>
          )}
          {isRedialable({ number }) && (
            <button
              type="button"
              className="btn btn-sm btn-ghost btn-glyph"
              onClick={() => useCallbackDraft.getState().set({ number, ...(row.remoteName ? { name: row.remoteName } : {}), fromCallId: row.id })}
              aria-label={`Call ${row.remoteName ?? number} back later`}
              title="Schedule a callback"
              data-testid="calllog-later"
            >
              <span aria-hidden="true">◷</span>
            </button>
          )}
        </td>
      </tr>
      {editingNote && (
        <tr className="calllog-note-row">
          <td colSpan={6}>
            <CallNote callId={row.id} initial={row.note ?? ''} autoFocus onClose={() => setEditingNote(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

export function CallLog() {
  const [text, setText] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const missedOnly = useCallLogView((s) => s.missedOnly);
  const setMissedOnly = useCallLogView((s) => s.setMissedOnly);
  // The page belongs to a filter: switching "Missed" (here or from the phone panel) starts over.
  const [paging, setPaging] = useState({ missedOnly, page: 0 });
  const page = paging.missedOnly === missedOnly ? paging.page : 0;
  const setPage = (p: number) => setPaging({ missedOnly, page: p });
  const [exporting, setExporting] = useState(false);
  const search = useDebouncedValue(text.trim(), 300);
  const now = useNow();
  const canDial = useCapability('makeCall');
  const canAck = useCapability('acknowledgeMissed');
  const missedCalls = useViewStore((s) => s.view.features.missedCalls);
  const acknowledge = useAcknowledgeMissed();

  const query: CallLogQueryInput = {
    ...(search ? { text: search } : {}),
    ...(dayStart(from) !== undefined ? { from: dayStart(from) } : {}),
    ...(dayEnd(to) !== undefined ? { to: dayEnd(to) } : {}),
    limit: CALLLOG_LIMIT,
  };
  const { data, error, isPending, isFetching } = useCallLog(query);
  const all = data ?? [];
  const rows = filterCallLog(all, { missedOnly });
  const unacked = unacknowledgedCount(all);
  // The vendor's counter covers calls beyond this page of the log too.
  const newMissed = Math.max(unacked, missedCalls ?? 0);
  const pages = Math.max(1, Math.ceil(rows.length / CALLLOG_PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const visible = rows.slice(current * CALLLOG_PAGE_SIZE, (current + 1) * CALLLOG_PAGE_SIZE);

  const exportCsv = async () => {
    setExporting(true);
    const reply = await getBridge().invoke('calllog.exportCsv', query);
    setExporting(false);
    if (reply.ok) downloadText(reply.value.filename, reply.value.csv, 'text/csv;charset=utf-8');
    else toastError(`Export failed: ${reply.error.message}`);
  };

  return (
    <div className="calllog">
      <div className="toolbar">
        <label className="visually-hidden" htmlFor="calllog-search">
          Search calls by number or name
        </label>
        <input
          id="calllog-search"
          type="search"
          className="input toolbar-search"
          placeholder="Search number or name"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setPage(0);
          }}
          data-testid="calllog-search"
        />
        <label className="inline-label">
          From
          <input type="date" className="input input-date" value={from} max={to || undefined} onChange={(e) => {
              setFrom(e.target.value);
              setPage(0);
            }} data-testid="calllog-from" />
        </label>
        <label className="inline-label">
          To
          <input type="date" className="input input-date" value={to} min={from || undefined} onChange={(e) => {
              setTo(e.target.value);
              setPage(0);
            }} data-testid="calllog-to" />
        </label>
        <button
          type="button"
          className={`btn btn-sm btn-filter${missedOnly ? ' btn-filter-on' : ''}`}
          aria-pressed={missedOnly}
          onClick={() => setMissedOnly(!missedOnly)}
          data-testid="calllog-missed"
        >
          Missed
          {/* With a vendor counter, the tab above shows the count already. */}
          {missedCalls === undefined && unacked > 0 && (
            <span className="count count-alert" aria-label={`${unacked} not acknowledged`}>
              {unacked}
            </span>
          )}
        </button>
        {canAck && newMissed > 0 && (
          <button type="button" className="btn btn-sm" onClick={() => acknowledge.mutate([])} disabled={acknowledge.isPending} data-testid="calllog-ack-all">
            {acknowledge.isPending ? 'Acknowledging…' : 'Acknowledge all'}
          </button>
        )}
        <button type="button" className="btn btn-sm" onClick={() => void exportCsv()} disabled={exporting} data-testid="calllog-export">
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          Could not load the call log: {error.message}
        </p>
      ) : isPending ? (
        <p className="empty">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="empty">{missedOnly ? (search || from || to ? 'No missed calls match.' : 'No missed calls.') : search || from || to ? 'No calls match.' : 'No calls yet.'}</p>
      ) : (
        <>
          <div className="table-wrap" aria-busy={isFetching}>
            <table className={`table table-fixed${unacked > 0 ? ' has-unacked' : ''}`}>
              <caption className="visually-hidden">{missedOnly ? 'Missed calls' : 'Recent calls'}</caption>
              <thead>
                <tr>
                  <th scope="col" className="col-time">
                    Time
                  </th>
                  <th scope="col" className="col-number">
                    Number
                  </th>
                  <th scope="col">Name</th>
                  <th scope="col" className="num col-duration">
                    Duration
                  </th>
                  <th scope="col" className="col-outcome">
                    Outcome
                  </th>
                  <th scope="col" className={canAck && unacked > 0 ? 'col-actions col-actions-wide' : 'col-actions'}>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {visible.map((row) => (
                  <Row key={row.id} row={row} now={now} canDial={canDial} canAck={canAck} acking={acknowledge.isPending} onAck={(id) => acknowledge.mutate([id])} />
                ))}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <span aria-live="polite">
              {current * CALLLOG_PAGE_SIZE + 1}–{current * CALLLOG_PAGE_SIZE + visible.length} of {rows.length}
              {rows.length >= CALLLOG_LIMIT ? '+' : ''}
            </span>
            <button type="button" className="btn btn-sm" disabled={current === 0} onClick={() => setPage(current - 1)} data-testid="calllog-prev">
              Previous
            </button>
            <button type="button" className="btn btn-sm" disabled={current >= pages - 1} onClick={() => setPage(current + 1)} data-testid="calllog-next">
              Next
            </button>
          </div>
        </>
      )}
    </div>
  );
}
