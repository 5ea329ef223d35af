// Route requests as a routing application sees them (ANI and DNIS from CallInfo[0], §7 #42), and
// the gateway's routing rules that answer them.
import { describe, expect, it } from 'vitest';
import { decodeCtipsCallback, encodePublishCTIEvent } from './events.js';
import { RoutingRule } from '../../../shared/profile.js';
import { routeRequestOf, type RouteRequestInfo } from './routing.js';
import { routeFor } from './routing-rules.js';
import { CtipsSiteModel } from './site-model.js';

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

describe('the gateway routing rules', () => {
  const req = (over: Partial<RouteRequestInfo> = {}): RouteRequestInfo => ({ callId: 9, timeoutSec: 4, ani: '0612345678', dnis: '6200', callData: {}, serviceId: 2, receivedAt: 0, ...over });
  const rules = [
    RoutingRule.parse({ dnis: '6201', route: 'agent', to: 'agent1103' }),
    RoutingRule.parse({ aniPrefix: '+33', data: { language: 'fr' }, route: 'external', to: '0140000000' }),
    RoutingRule.parse({ serviceId: 2, route: 'readyAgent', to: '1' }),
  ];

  it('takes the first rule whose every condition holds', () => {
    const m = new CtipsSiteModel(() => 0);
    expect(routeFor(rules, req({ dnis: '6201' }), m)).toEqual({ target: { to: 'agent', login: 'agent1103' }, rule: 0 });
    expect(routeFor(rules, req({ ani: '+33612', callData: { language: 'fr' } }), m).rule).toBe(1);
    expect(routeFor(rules, req({ ani: '+33612', callData: { language: 'de' } }), m).rule).toBe(2);
    expect(routeFor(rules, req({ serviceId: 5 }), m)).toEqual({ target: { to: 'default' }, rule: -1 });
  });

  it('sends readyAgent to the agent of the service ready the longest, else to the default route', () => {
    let t = 0;
    const m = new CtipsSiteModel(() => t);
    expect(routeFor(rules, req(), m).target).toEqual({ to: 'default' });
    for (const [id, at] of [[1101, 30], [1102, 10], [1103, 20]] as const) {
      t = at;
      m.apply(event(encodePublishCTIEvent('AgentLoginStateChange', { AgentId: id }, { AgentLoginName: `agent${id}`, LoginState: 'AgentLoggedIn', AgentStationAddress: String(id), AgentCTIId: id })));
      m.apply(event(encodePublishCTIEvent('AgentStateChange', { AgentId: id }, { AgentState: id === 1102 ? 'NotReady' : 'Idle', ServiceIds: [1] })));
    }
    expect(routeFor(rules, req(), m).target).toEqual({ to: 'agent', login: 'agent1103' });
  });

  it('refuses a rule without a destination or with a bad service id', () => {
    expect(RoutingRule.safeParse({ route: 'agent' }).success).toBe(false);
    expect(RoutingRule.safeParse({ route: 'readyAgent', to: 'sales' }).success).toBe(false);
    expect(RoutingRule.safeParse({ route: 'default' }).success).toBe(true);
  });
});
