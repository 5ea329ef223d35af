// One call: state, party, direction, timer, conference parties, and its allowed actions.
import { memo } from 'react';
import type { Call } from '../../shared/model.js';
import { elapsedSec, formatDuration } from '../format/duration.js';
import { callStateLabels, recordingStateLabels } from '../format/labels.js';
import { displayNumber, partyTitle } from '../format/party.js';
import { useNow } from '../state/clock.js';
import { CallActions } from './CallActions.js';

function CallTimer({ call }: { call: Call }) {
  const now = useNow();
  const from = call.connectedAt ?? call.startedAt;
  return (
    <span className="call-timer" title={call.connectedAt ? 'Talk time' : 'Ringing for'}>
      {formatDuration(elapsedSec(from, now))}
    </span>
  );
}

interface CallRowProps {
  call: Call;
  consulting: boolean;
}

export const CallRow = memo(function CallRow({ call, consulting }: CallRowProps) {
  const title = partyTitle(call.remote);
  const number = displayNumber(call.remote);
  const ringing = call.state === 'alerting' || call.state === 'queued';
  const rec = call.recording ? recordingStateLabels[call.recording] : null;

  return (
    <li
      className={`call-row call-${call.state}${ringing ? ' call-ringing' : ''}`}
      data-testid="call-row"
      data-call-id={call.id}
      data-state={call.state}
      aria-label={`${callStateLabels[call.state]} ${call.direction} call, ${title}${rec ? `, ${rec.spoken.toLowerCase()}` : ''}`}
    >
      <div className="call-head">
        <span className={`call-state state-${call.state}`}>{callStateLabels[call.state]}</span>
        <span className="call-direction" title={call.direction === 'inbound' ? 'Inbound' : 'Outbound'}>
          <span aria-hidden="true">{call.direction === 'inbound' ? '↙' : '↗'}</span> {call.direction === 'inbound' ? 'Inbound' : 'Outbound'}
        </span>
        {call.isConsultation && <span className="tag">Consultation</span>}
        {call.isConference && <span className="tag">Conference</span>}
        {call.recording && rec && (
          <span className={`rec rec-${call.recording}`} data-testid="call-recording" data-state={call.recording} title={rec.spoken}>
            <span className="rec-dot" aria-hidden="true" />
            <span aria-hidden="true">{rec.short}</span>
            <span className="visually-hidden">{rec.spoken}</span>
          </span>
        )}
        <CallTimer call={call} />
      </div>
      <div className="call-party">
        <span className="call-title">{title}</span>
        {title !== number && <span className="call-number">{number}</span>}
        {call.remote.company && <span className="call-company">{call.remote.company}</span>}
      </div>
      {(call.called?.number || call.redirectedBy || call.original) && (
        <div className="call-meta">
          {call.called?.number && <span>To {displayNumber(call.called)}</span>}
          {call.redirectedBy && <span>Diverted by {partyTitle(call.redirectedBy)}</span>}
          {call.original && <span>Consulting for {partyTitle(call.original)}</span>}
        </div>
      )}
      {call.conferenceParties.length > 0 && (
        <ul className="conference-parties" aria-label="Conference parties">
          {call.conferenceParties.map((p, i) => (
            <li key={`${p.number}-${i}`}>
              {partyTitle(p)}
              {p.name && <span className="call-number"> {displayNumber(p)}</span>}
            </li>
          ))}
        </ul>
      )}
      <CallActions call={call} consulting={consulting} />
    </li>
  );
});
