// In a browser tab, incoming calls are announced by the browser's notifications, which the agent
// allows once here. The desktop app notifies by itself and shows nothing here.
import { useState } from 'react';
import { pageNotifies } from '../state/browserNotifications.js';

const text: Record<NotificationPermission, string> = {
  granted: 'Incoming calls are announced by a notification while this tab is in the background.',
  default: 'Allow notifications to hear about incoming calls while this tab is in the background.',
  denied: 'Notifications are blocked for this page; allow them in the browser’s site settings to be told of incoming calls.',
};

export function NotificationsSection() {
  const [permission, setPermission] = useState<NotificationPermission>(() => (pageNotifies() ? Notification.permission : 'granted'));
  if (!pageNotifies()) return null;
  return (
    <section className="diagnostics" aria-labelledby="notifications-title" data-testid="notifications">
      <h3 id="notifications-title">Notifications</h3>
      <div className="diagnostics-row">
        <p className="hint" data-testid="notifications-state" data-permission={permission}>
          {text[permission]}
        </p>
        {permission === 'default' && (
          <button type="button" className="btn btn-sm" data-testid="notifications-allow" onClick={() => void Notification.requestPermission().then(setPermission)}>
            Allow
          </button>
        )}
      </div>
    </section>
  );
}
