// Caller details for the latest inbound call (kept after it ends), with every call-data field
// and "Open in CRM": the host opens the URL, or leaves that to this window.
import { useState } from 'react';
import type { Call } from '../../shared/model.js';
import { getBridge } from '../bridge/index.js';
import { callStateLabels } from '../format/labels.js';
import { displayNumber, partyTitle } from '../format/party.js';
import { toastError } from '../state/toastStore.js';
import { useViewStore } from '../state/viewStore.js';
import { useCapability } from '../state/selectors.js';
import { sendCommand } from '../state/commands.js';
import { useLoggedNote } from '../state/callNotes.js';
import { CallNote } from './CallNote.js';

type OpenResult = { kind: 'opened' } | { kind: 'error'; message: string };

function PopDetails({ pop, onDismiss }: { pop: Call; onDismiss(): void }) {
  const [opening, setOpening] = useState(false);
  const [result, setResult] = useState<OpenResult | null>(null);
  const canAnswer = useCapability('answer') && pop.allowed.includes('answer') && pop.state !== 'cleared';
  const title = partyTitle(pop.remote);
  const dataEntries = Object.entries(pop.data);
  const loggedNote = useLoggedNote(pop.id);

  const openInCrm = async () => {
    setOpening(true);
    setResult(null);
    const reply = await getBridge().invoke('screenpop.open', { callId: pop.id });
    setOpening(false);
    if (!reply.ok) {
      setResult({ kind: 'error', message: reply.error.message });
      toastError(`Open in CRM failed: ${reply.error.message}`);
      return;
    }
    if (!reply.value.opened) window.open(reply.value.url, '_blank', 'noopener,noreferrer');
    setResult({ kind: 'opened' });
  };

  return (
    <section className={`panel pop-panel pop-${pop.state}`} aria-labelledby="pop-title" data-testid="screen-pop" data-call-id={pop.id} data-state={pop.state}>
      <div className="panel-title-row">
        <h2 id="pop-title" className="panel-title">
          {pop.state === 'cleared' ? 'Last caller' : 'Caller'}
        </h2>
        <span className={`call-state state-${pop.state}`}>{callStateLabels[pop.state]}</span>
        <button type="button" className="btn btn-ghost btn-icon pop-dismiss" onClick={onDismiss} aria-label="Dismiss caller details" title="Dismiss" data-testid="screen-pop-dismiss">
          ×
        </button>
      </div>
      <div className="pop-caller" aria-live="polite">
        <span className="pop-name">{title}</span>
        {title !== displayNumber(pop.remote) && <span className="pop-number">{displayNumber(pop.remote)}</span>}
      </div>
      <dl className="kv">
        <dt>Number</dt>
        <dd data-testid="screen-pop-number">{displayNumber(pop.remote)}</dd>
        <dt>Name</dt>
        <dd>{pop.remote.name || '—'}</dd>
        <dt>Company</dt>
        <dd>{pop.remote.company || '—'}</dd>
        <dt>Called (DID)</dt>
        <dd>{pop.called ? displayNumber(pop.called) : '—'}</dd>
        {pop.redirectedBy && (
          <>
            <dt>Diverted by</dt>
            <dd>{partyTitle(pop.redirectedBy)}</dd>
          </>
        )}
      </dl>
      <h3 className="sub-title">Call data</h3>
      {dataEntries.length === 0 ? (
        <p className="empty">No call data.</p>
      ) : (
        <dl className="kv kv-data" data-testid="screen-pop-data">
          {dataEntries.map(([key, value]) => (
            <div key={key} className="kv-pair">
              <dt>{key}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      <h3 className="sub-title">Note</h3>
      {/* Remounted when the call log's copy of the note arrives (or changes after a save). */}
      <CallNote key={`${pop.id}:${loggedNote ?? ''}`} callId={pop.id} initial={loggedNote ?? ''} />
      <div className="pop-actions">
        {canAnswer && (
          <button type="button" className="btn btn-success" onClick={() => void sendCommand({ kind: 'answer', callId: pop.id })} data-testid="screen-pop-answer">
            Answer
          </button>
        )}
        <button type="button" className="btn btn-primary" onClick={() => void openInCrm()} disabled={opening} data-testid="screen-pop-open">
          {opening ? 'Opening…' : 'Open in CRM'}
        </button>
      </div>
      {result?.kind === 'error' && (
        <p className="field-error" role="alert" data-testid="screen-pop-error">
          {result.message}
        </p>
      )}
      {result?.kind === 'opened' && (
        <p className="hint" role="status">
          Opened in the browser.
        </p>
      )}
    </section>
  );
}

export function ScreenPop() {
  const pop = useViewStore((s) => s.view.pop);
  const [dismissed, setDismissed] = useState<string | null>(null);

  if (!pop || pop.id === dismissed) {
    return (
      <section className="panel pop-panel pop-empty" aria-labelledby="pop-title">
        <h2 id="pop-title" className="panel-title">Caller</h2>
        <p className="empty">Caller details appear here when a call comes in.</p>
      </section>
    );
  }
  // key: a new caller starts with a fresh "Open in CRM" result.
  return <PopDetails key={pop.id} pop={pop} onDismiss={() => setDismissed(pop.id)} />;
}
