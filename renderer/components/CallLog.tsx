// Recent calls from the call log (local and PBX history): search, date range, redial, CSV export.
// Paged, so thousands of rows never become thousands of DOM nodes.
import { useState } from 'react';
import type { CallLogQueryInput, CallLogRow } from '../../shared/calllog.js';
import { getBridge } from '../bridge/index.js';
import { formatDuration } from '../format/duration.js';
import { isRedialable, WITHHELD } from '../format/party.js';
import { formatWhen, dayEnd, dayStart } from '../format/time.js';
import { useNow } from '../state/clock.js';
import { useDialStore } from '../state/dialStore.js';
import { useCallLog } from '../state/queries.js';
import { useCapability } from '../state/selectors.js';
import { toastError } from '../state/toastStore.js';
import { downloadText } from './download.js';
import { useDebouncedValue } from './useDebouncedValue.js';

export const CALLLOG_PAGE_SIZE = 25;
const CALLLOG_LIMIT = 1000;

function outcomeClass(outcome: string): string {
  return ['missed', 'abandoned', 'failed'].includes(outcome) ? 'outcome outcome-bad' : 'outcome';
}

function Row({ row, now, canDial }: { row: CallLogRow; now: number; canDial: boolean }) {
  const dial = useDialStore((s) => s.dial);
  const number = row.remoteNumber.trim();
  return (
    <tr data-testid="calllog-row" data-call-id={row.id}>
      <td className="nowrap">{formatWhen(row.startedAt, now)}</td>
      <td className="mono">
        <span className="call-direction" title={row.direction === 'inbound' ? 'Inbound' : 'Outbound'}>
          <span aria-hidden="true">{row.direction === 'inbound' ? '↙' : '↗'}</span>
          <span className="visually-hidden">{row.direction}</span>
        </span>{' '}
        {/* CallLogRow has no withheld flag; an inbound row without a number is a withheld caller. */}
        {number || WITHHELD}
      </td>
      <td className="ellipsis" title={row.remoteCompany ? `${row.remoteName ?? ''} · ${row.remoteCompany}` : row.remoteName}>
        {row.remoteName ?? '—'}
      </td>
      <td className="num">{row.durationSec !== undefined ? formatDuration(row.durationSec) : '—'}</td>
      <td>
        <span className={outcomeClass(row.outcome)}>{row.outcome}</span>
      </td>
      <td>
        <span className="source">{row.source === 'pbx' ? 'PBX' : 'Local'}</span>
      </td>
      <td className="actions-cell">
        {canDial && isRedialable({ number }) && (
          <button type="button" className="btn btn-sm btn-ghost btn-call" onClick={() => void dial(number)} aria-label={`Call ${row.remoteName ?? number}`} data-testid="calllog-redial">
            Call
          </button>
        )}
      </td>
    </tr>
  );
}

export function CallLog() {
  const [text, setText] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(0);
  const [exporting, setExporting] = useState(false);
  const search = useDebouncedValue(text.trim(), 300);
  const now = useNow();
  const canDial = useCapability('makeCall');

  const query: CallLogQueryInput = {
    ...(search ? { text: search } : {}),
    ...(dayStart(from) !== undefined ? { from: dayStart(from) } : {}),
    ...(dayEnd(to) !== undefined ? { to: dayEnd(to) } : {}),
    limit: CALLLOG_LIMIT,
  };
  const { data, error, isPending, isFetching } = useCallLog(query);
  const rows = data ?? [];
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
        <p className="empty">{search || from || to ? 'No calls match.' : 'No calls yet.'}</p>
      ) : (
        <>
          <div className="table-wrap" aria-busy={isFetching}>
            <table className="table table-fixed">
              <caption className="visually-hidden">Recent calls</caption>
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
                  <th scope="col" className="col-source">
                    Source
                  </th>
                  <th scope="col" className="col-actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {visible.map((row) => (
                  <Row key={row.id} row={row} now={now} canDial={canDial} />
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
