import { describe, expect, it } from 'vitest';
import { BRIDGE_GLOBAL } from '../../shared/bridge.js';
import { incomingCallNotice, pageNotifies } from './browserNotifications.js';

describe('browser notifications', () => {
  it('are the page’s job only in a browser tab that has the Notification API', () => {
    const Notification = class {};
    expect(pageNotifies({ Notification })).toBe(true);
    expect(pageNotifies({})).toBe(false);
    // In Electron the preload bridge is there and main notifies.
    expect(pageNotifies({ Notification, [BRIDGE_GLOBAL]: { invoke: () => {}, on: () => {} } })).toBe(false);
  });

  it('say who is calling as the desktop app does', () => {
    expect(incomingCallNotice({ remote: { number: '0612345678', name: 'Sophie Lefebvre' } })).toEqual({ title: 'Incoming call', body: 'Sophie Lefebvre 0612345678' });
    expect(incomingCallNotice({ remote: { number: '0612345678' } }).body).toBe('0612345678');
    expect(incomingCallNotice({ remote: { number: '', withheld: true } }).body).toMatch(/withheld/i);
  });
});
