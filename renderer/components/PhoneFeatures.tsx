// The device's features: voicemail and missed calls, do-not-disturb, call forwarding, overflow,
// and picking up / unparking calls from elsewhere.
import { voicemailText } from '../controls/features.js';
import { useViewStore } from '../state/viewStore.js';
import { DndToggle } from './DndToggle.js';
import { ForwardControl } from './ForwardControl.js';
import { OverflowControl } from './OverflowControl.js';
import { PickupControl } from './PickupControl.js';

interface PhoneFeaturesProps {
  /** Open the call log on its missed calls. */
  onShowMissed(): void;
}

export function PhoneFeatures({ onShowMissed }: PhoneFeaturesProps) {
  const messageWaiting = useViewStore((s) => s.view.features.messageWaiting);
  const voiceMessages = useViewStore((s) => s.view.features.voiceMessages);
  const missedCalls = useViewStore((s) => s.view.features.missedCalls);
  const mail = voicemailText({ messageWaiting, voiceMessages });
  return (
    <section className="panel features-panel" aria-labelledby="features-title">
      <div className="panel-title-row">
        <h2 id="features-title" className="panel-title">Phone</h2>
        <span className={`mwi${mail.on ? ' mwi-on' : ''}`} data-testid="mwi" data-state={mail.on ? 'on' : 'off'} data-count={voiceMessages}>
          <span className="dot" aria-hidden="true" />
          {mail.text}
        </span>
      </div>
      {missedCalls !== undefined && missedCalls > 0 && (
        <button type="button" className="missed-badge" onClick={onShowMissed} data-testid="missed-calls" data-count={missedCalls} title="Show the missed calls">
          <span className="missed-count">{missedCalls}</span>
          {missedCalls === 1 ? ' missed call' : ' missed calls'}
          <span className="missed-go" aria-hidden="true">
            ›
          </span>
        </button>
      )}
      <DndToggle />
      <ForwardControl />
      <OverflowControl />
      <PickupControl />
    </section>
  );
}
