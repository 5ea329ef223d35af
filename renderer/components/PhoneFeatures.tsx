// The device's features: do-not-disturb, call forwarding, message waiting.
import { useViewStore } from '../state/viewStore.js';
import { DndToggle } from './DndToggle.js';
import { ForwardControl } from './ForwardControl.js';

export function PhoneFeatures() {
  const messageWaiting = useViewStore((s) => s.view.features.messageWaiting);
  return (
    <section className="panel features-panel" aria-labelledby="features-title">
      <div className="panel-title-row">
        <h2 id="features-title" className="panel-title">Phone</h2>
        <span className={`mwi${messageWaiting ? ' mwi-on' : ''}`} data-testid="mwi" data-state={messageWaiting ? 'on' : 'off'}>
          <span className="dot" aria-hidden="true" />
          {messageWaiting ? 'Voicemail waiting' : 'No new voicemail'}
        </span>
      </div>
      <DndToggle />
      <ForwardControl />
    </section>
  );
}
