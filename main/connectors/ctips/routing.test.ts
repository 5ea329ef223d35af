// Route requests as a routing application sees them (ANI and DNIS from CallInfo[0], §7 #42).
import { describe, expect, it } from 'vitest';
import { decodeCtipsCallback, encodePublishCTIEvent } from './events.js';
import { routeRequestOf } from './routing.js';

function event(xml: ReturnType<typeof encodePublishCTIEvent>) {
  if (!xml.ok) throw new Error(xml.error.message);
  const d = decodeCtipsCallback(xml.value);
  if (!d.ok || d.value.operation !== 'PublishCTIEvent') throw new Error('not an event');
  return d.value.event;
}

describe('CTIPS route requests', () => {
  it('reads the call, the timeout, ANI, DNIS and call data of a RouteRequest', () => {
    const e = event(
      encodePublishCTIEvent('RouteRequest', { ServiceId: 2 }, { CallId: 7005, RouteTimeout: 4, CallInfo: [{ ANI: '0612345678', DNIS: '6200', CallData: [{ key: 'language', value: 'fr' }, { key: 'skip', value: null }] }] }),
    );
    expect(routeRequestOf(e, 123)).toEqual({ callId: 7005, timeoutSec: 4, ani: '0612345678', dnis: '6200', callData: { language: 'fr' }, serviceId: 2, receivedAt: 123 });
  });

  it('is null for other events and for a RouteRequest without a call', () => {
    expect(routeRequestOf(event(encodePublishCTIEvent('CallHeld', {}, { CallId: 1 })), 0)).toBeNull();
    expect(routeRequestOf(event(encodePublishCTIEvent('RouteRequest', {}, { RouteTimeout: 4 })), 0)).toBeNull();
  });
});
