// A banner whenever calls may not be controllable: the desktop service (WebSocket) is
// reconnecting, or the CTI link is not up. Calls themselves live in main and on the PBX.
import { useSyncExternalStore } from 'react';
import { getBridgeLink } from '../bridge/index.js';
import { sendCommand } from '../state/commands.js';
import { useViewStore } from '../state/viewStore.js';
import { RetryCountdown } from './LinkBadge.js';

const subscribe = (fn: () => void) => getBridgeLink().onStatus(fn);
const bridgeStatus = () => getBridgeLink().status();

export function ConnectionBanner() {
  const bridge = useSyncExternalStore(subscribe, bridgeStatus);
  const cti = useViewStore((s) => s.view.link);
  const synced = useViewStore((s) => s.synced);

  if (bridge.state !== 'open') {
    return (
      <div className="banner banner-down" role="alert" data-testid="bridge-banner" data-state={bridge.state}>
        <strong>{bridge.state === 'connecting' ? 'Connecting to the desktop service…' : 'Reconnecting to the desktop service…'}</strong>
        <span>Calls on your phone are not affected.</span>
        {bridge.retryAt !== undefined && <RetryCountdown at={bridge.retryAt} />}
      </div>
    );
  }
  if (!synced || cti.state === 'up') return null;
  const text = {
    connecting: 'Connecting to the phone system…',
    degraded: 'The phone system is only partly available.',
    down: 'No connection to the phone system. Call control is unavailable.',
  }[cti.state];
  return (
    <div className={`banner banner-${cti.state}`} role={cti.state === 'down' ? 'alert' : 'status'} data-testid="link-banner" data-state={cti.state}>
      <strong>{text}</strong>
      {cti.detail && <span>{cti.detail}</span>}
      {cti.feed && <span data-testid="link-banner-feed">Events: {cti.feed}.</span>}
      {cti.state === 'down' && cti.attempt > 0 && <span>Attempt {cti.attempt}.</span>}
      {cti.state === 'down' && cti.retryAt !== undefined && (
        <span className="banner-retry">
          <RetryCountdown at={cti.retryAt} />
          {/* After a network fix the agent need not wait out the backoff. */}
          <button type="button" className="btn btn-sm" data-testid="link-retry-now" onClick={() => void sendCommand({ kind: 'checkLink' })}>
            Retry now
          </button>
        </span>
      )}
    </div>
  );
}
