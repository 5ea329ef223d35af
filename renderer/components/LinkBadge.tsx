// The CTI link state, with the event feed in use when the vendor has several ("Connected · TCP
// event socket"): live for screen readers, without announcing the ticking countdown.
import { linkStateLabels, linkText } from '../format/labels.js';
import { useNow } from '../state/clock.js';
import { useViewStore } from '../state/viewStore.js';

export function LinkBadge() {
  const link = useViewStore((s) => s.view.link);
  return (
    <div className={`link-badge link-${link.state}`} data-testid="link-state" data-state={link.state} title={[linkText(link), link.detail].filter(Boolean).join(' — ')}>
      <span className="dot" aria-hidden="true" />
      <span role="status" aria-live="polite">
        <span className="visually-hidden">CTI link: </span>
        {linkStateLabels[link.state]}
        {link.feed && (
          <span className="link-feed" data-testid="link-feed">
            <span aria-hidden="true"> · </span>
            <span className="visually-hidden">, events by </span>
            {link.feed}
          </span>
        )}
      </span>
      {link.state === 'down' && link.retryAt !== undefined && <RetryCountdown at={link.retryAt} />}
    </div>
  );
}

export function RetryCountdown({ at }: { at: number }) {
  const now = useNow();
  const sec = Math.max(0, Math.ceil((at - now) / 1000));
  return (
    <span className="retry" aria-hidden="true">
      {sec > 0 ? `retry in ${sec} s` : 'retrying…'}
    </span>
  );
}
