// Diagnostics for support: how much the desktop logs, where its log files are, and one file with
// the connection's state and the latest log lines to send with a ticket.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DiagnosticsInfo, LogLevel } from '../../shared/bridge.js';
import { request } from '../bridge/index.js';
import { logLevelLabels } from '../format/labels.js';
import { toastError } from '../state/toastStore.js';
import { downloadText } from './download.js';

const diagnosticsKey = ['diagnostics'] as const;

/** The switchable levels, and the one set at start (LOG_LEVEL) when it is none of them. */
function levelChoices(info: DiagnosticsInfo | undefined): string[] {
  if (!info) return [];
  const levels: string[] = [...info.levels];
  return levels.includes(info.level) ? levels : [info.level, ...levels];
}

export function DiagnosticsSection() {
  const client = useQueryClient();
  const info = useQuery({ queryKey: diagnosticsKey, queryFn: () => request('diagnostics.info', {}) });
  const setLevel = useMutation({
    mutationFn: (level: LogLevel) => request('diagnostics.setLevel', { level }),
    onSuccess: (value) => client.setQueryData(diagnosticsKey, value),
    onError: (err) => toastError(`Log level not changed: ${err.message}`),
  });
  const download = async () => {
    try {
      const { filename, text } = await request('diagnostics.export', {});
      downloadText(filename, text, 'text/plain;charset=utf-8');
    } catch (err) {
      toastError(`Diagnostics not saved: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <section className="diagnostics" aria-labelledby="diagnostics-title" data-testid="diagnostics">
      <h3 id="diagnostics-title">Diagnostics</h3>
      <div className="diagnostics-row">
        <label htmlFor="diagnostics-level">Log detail</label>
        <select
          className="input select"
          id="diagnostics-level"
          data-testid="diagnostics-level"
          value={info.data?.level ?? ''}
          disabled={!info.data || setLevel.isPending}
          onChange={(e) => setLevel.mutate(e.target.value as LogLevel)}
        >
          {levelChoices(info.data).map((l) => (
            <option key={l} value={l}>
              {l in logLevelLabels ? logLevelLabels[l as LogLevel] : l}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-sm" data-testid="diagnostics-download" onClick={() => void download()}>
          Download diagnostics
        </button>
      </div>
      <p className="hint" data-testid="diagnostics-folder">
        {info.data?.logDir ? (
          <>
            Log files: <span className="mono">{info.data.logDir}</span>
          </>
        ) : (
          'This desktop keeps its log in memory only; the download holds the latest lines.'
        )}
      </p>
      <p className="hint">Passwords and keys never reach the log. A protocol trace of every frame is switched on per profile.</p>
    </section>
  );
}
