// CSV export of call-log rows: RFC 4180 quoting plus spreadsheet formula-injection neutralization.
import type { CallLogRow } from '../../shared/calllog.js';

/**
 * Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP list).
 * A cell starting with one of them gets a leading apostrophe, which spreadsheets display as text.
 */
const formulaTrigger = /^[=+\-@\t\r]/;

/**
 * The one exception: a plain phone number, '+' then digits only (E.164 as vendors send it).
 * It cannot form a formula (no operator or function may follow), and agents paste it back to dial,
 * so it must stay exact. Anything else after '+' (spaces, letters, a second operator) is prefixed.
 */
const plainPhoneNumber = /^\+[0-9]{1,32}$/;

/** Neutralize a cell that a spreadsheet would evaluate; see formulaTrigger and plainPhoneNumber. */
export function neutralizeFormula(cell: string): string {
  if (!formulaTrigger.test(cell) || plainPhoneNumber.test(cell)) return cell;
  return `'${cell}`;
}

/** RFC 4180: quote a field containing a comma, a quote, CR or LF, doubling the quotes inside. */
export function quoteCsvField(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function isoTime(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString();
}

const columns: ReadonlyArray<readonly [header: string, cell: (r: CallLogRow) => string]> = [
  ['id', (r) => r.id],
  ['profile', (r) => r.profileId],
  ['device', (r) => r.device],
  ['direction', (r) => r.direction],
  ['remote number', (r) => r.remoteNumber],
  ['remote name', (r) => r.remoteName ?? ''],
  ['remote company', (r) => r.remoteCompany ?? ''],
  ['called number', (r) => r.calledNumber ?? ''],
  ['started', (r) => isoTime(r.startedAt)],
  ['answered', (r) => isoTime(r.answeredAt)],
  ['ended', (r) => isoTime(r.endedAt)],
  ['duration (s)', (r) => (r.durationSec === undefined ? '' : String(r.durationSec))],
  ['outcome', (r) => r.outcome],
  ['cause', (r) => r.cause ?? ''],
  ['source', (r) => r.source],
  ['call data', (r) => (Object.keys(r.data).length ? JSON.stringify(r.data) : '')],
  ['note', (r) => r.note ?? ''],
];

/** Rows as CSV text: a header line, CRLF line ends (RFC 4180), ISO-8601 UTC times. */
export function callLogToCsv(rows: readonly CallLogRow[]): string {
  const line = (cells: string[]): string => cells.map((c) => quoteCsvField(neutralizeFormula(c))).join(',');
  const lines = [line(columns.map(([header]) => header))];
  for (const row of rows) lines.push(line(columns.map(([, cell]) => cell(row))));
  return `${lines.join('\r\n')}\r\n`;
}
