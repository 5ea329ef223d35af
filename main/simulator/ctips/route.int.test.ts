// External routing (digest §3.3 RouteSelect, §4.4 R1–R4, §7 #16/#42) on the lab's HA pair: service 2 routes its
// calls externally; a call to its route point 6200 waits there while both portals send RouteRequest (CallId,
// RouteTimeout, CallInfo[0] ANI/DNIS) to sessions of EventCategoryRoute. RouteSelect moves the call on the PBX
// (RouteUsed RouteSuccess first, then CallConnected at the agent); a call already routed, a gone CallId or a
// busy/invalid destination → RouteRejected; an agent not logged in → RouteRequestFailed; no RouteSelect within
// RouteTimeout → RouteUsed RouteDefaultUsed (RequestId 0) and the default service (service1, via its pilot 6201).
import { afterEach, describe, expect, it } from 'vitest';
import type { Pbx } from '../pbx/pbx.js';
import type { PbxConfig } from '../pbx/config.js';
import type { CtipsConfig } from './config.js';
import type { CtipsFrontEnd } from './front-end.js';
import { type CtipsTestClient, enumName, fieldsOf as f } from './test-client.js';
import { ctipsPairPerTest } from './test-pair.js';

const lab = ctipsPairPerTest();
afterEach(() => lab.stop());
const start = (config: Partial<CtipsConfig> = {}, pbxPartial: Partial<PbxConfig> = {}): Promise<CtipsFrontEnd> => lab.start(config, pbxPartial);
const online = lab.online;

const login = (c: CtipsTestClient, device: string, requestId: number, initial: 'NotReady' | 'Idle' = 'Idle'): Promise<void> => c.login(device, requestId, initial);

/** An outside caller dials the route point; the RouteRequest `c` gets for it. */
async function routeRequest(c: CtipsTestClient, p: Pbx): Promise<{ callId: number; pbxCallId: string; fields: Record<string, unknown> }> {
  const from = c.events.length;
  const pbxCallId = p.placeExternalCall({ from: '0612345678', to: '6200', fromName: 'Sophie Lefebvre' });
  const rr = await c.event('RouteRequest', () => true, from);
  return { callId: f(rr).CallId as number, pbxCallId, fields: f(rr) };
}

describe('CTIPS external routing (RouteRequest / RouteSelect)', () => {
  it('a call to the route point → RouteRequest on both portals; RouteSelect(RouteToAgent) → RouteUsed, then the call rings the agent', async () => {
    const fe = await start();
    const p = lab.pbx as Pbx;
    const ca = await online(fe.a.port);
    const cb = await online(fe.b.port);
    const agentOnly = await online(fe.a.port, ['EventCategoryAgent', 'EventCategoryCall']);
    await login(ca, '1101', 50);
    const { callId, pbxCallId, fields } = await routeRequest(ca, p);
    const rrA = ca.events.find((e) => e.type === 'RouteRequest');
    expect(rrA?.header).toMatchObject({ requestId: 0, serviceId: 2, agentId: 0, tenantId: 1 });
    expect(callId).toBeGreaterThanOrEqual(1001);
    expect(fields.RouteTimeout).toBe(10);
    expect((fields.CallInfo as Array<Record<string, unknown>>)[0]).toMatchObject({ ANI: '0612345678', DNIS: '6200', FirstName: 'Sophie', LastName: 'Lefebvre' });
    expect(f(await cb.event('RouteRequest')).CallId).toBe(callId);
    // The call waits at the route point; the platform holds the request.
    expect(p.legsOf('6200').map((x) => x.leg.state)).toEqual(['alerting']);
    expect(fe.platform.describe().routes).toEqual([{ callId, serviceId: 2, device: '6200', state: 'pending' }]);

    const from = ca.events.length;
    await ca.send(ca.req.routeSelect({ RequestId: 51, CallId: callId, RouteActionType: 'RouteToAgent', RouteDestination: 'agent1101' }));
    const used = await ca.event('RouteUsed', () => true, from);
    expect(used.header).toMatchObject({ requestId: 51, serviceId: 2, agentId: 1101 });
    expect(f(used)).toMatchObject({ CallId: callId, RouteDestination: '1101' });
    expect(enumName(f(used).RouteStatus)).toBe('RouteSuccess');
    expect(enumName(f(used).RouteType)).toBe('RouteToAgent');
    const connected = await ca.event('CallConnected', (e) => e.header.agentId === 1101, from);
    expect(f(connected).CallId).toBe(callId);
    // RouteUsed "logically completes the Route Select Request" before the call is presented (L428).
    expect(ca.types(from).indexOf('RouteUsed')).toBeLessThan(ca.types(from).indexOf('CallConnected'));
    const usedB = await cb.event('RouteUsed');
    expect(usedB.header.requestId).toBe(0);
    expect(p.legsOf('1101').map((x) => [x.call.id, x.leg.state])).toEqual([[pbxCallId, 'alerting']]);
    expect(p.legsOf('6200')).toEqual([]);
    expect(fe.platform.describe().routes[0]?.state).toBe('routed');
    // Route events are of EventCategoryRoute only.
    expect(agentOnly.events.some((e) => e.type.startsWith('Route'))).toBe(false);

    // The same CallId again → RouteRejected CallAlreadyRouted; an unknown CallId → CallCleared.
    await ca.send(ca.req.routeSelect({ RequestId: 52, CallId: callId, RouteActionType: 'RouteToAgent', RouteDestination: 'agent1101' }));
    const again = await ca.event('RouteReject', (e) => e.header.requestId === 52);
    expect(enumName(f(again).RouteRejectReason)).toBe('CallAlreadyRouted');
    await ca.send(ca.req.routeSelect({ RequestId: 53, CallId: 99_999, RouteActionType: 'RouteToDefault' }));
    expect(enumName(f(await ca.event('RouteReject', (e) => e.header.requestId === 53)).RouteRejectReason)).toBe('CallCleared');
    // The agent answers the routed call as any other.
    await ca.send(ca.req.acceptCall({ RequestId: 54, AgentId: 1101, CallId: callId, AcceptCall: true }));
    await ca.event('CallEstablished', (e) => e.header.requestId === 54);
    expect(p.legsOf('1101')[0]?.leg.state).toBe('connected');
  });

  it('busy and invalid destinations → RouteRejected, an agent not logged in → RouteRequestFailed; the call still waits; RouteToService then queues it', async () => {
    const fe = await start();
    const p = lab.pbx as Pbx;
    const ca = await online(fe.a.port);
    await login(ca, '1101', 60, 'NotReady');
    const { callId } = await routeRequest(ca, p);
    const reject = async (requestId: number, type: 'RouteToAgent' | 'RouteToService' | 'RouteToExternal', dest: string): Promise<string> => {
      await ca.send(ca.req.routeSelect({ RequestId: requestId, CallId: callId, RouteActionType: type, RouteDestination: dest }));
      const e = await ca.event('RouteReject', (x) => x.header.requestId === requestId);
      expect(e.header.serviceId).toBe(2);
      expect(f(e).CallId).toBe(callId);
      return enumName(f(e).RouteRejectReason);
    };
    expect(await reject(61, 'RouteToAgent', 'agent1101')).toBe('DestinationBusy'); // logged in, NotReady
    expect(await reject(62, 'RouteToAgent', 'nobody')).toBe('NoRouteToDestination');
    expect(await reject(63, 'RouteToService', '9')).toBe('NoRouteToDestination');
    expect(await reject(64, 'RouteToExternal', '0600000001')).toBe('DestinationBusy');
    expect(await reject(65, 'RouteToExternal', 'abc')).toBe('NoRouteToDestination');
    await ca.send(ca.req.routeSelect({ RequestId: 66, CallId: callId, RouteActionType: 'RouteToAgent', RouteDestination: '1103' }));
    const failed = await ca.event('RouteRequestFailed', (e) => e.header.requestId === 66);
    expect(enumName(f(failed).FailureType)).toBe('DestinationAgentNotAvailable');
    expect(p.legsOf('6200').map((x) => x.leg.state)).toEqual(['alerting']);
    expect(ca.types().includes('RouteUsed')).toBe(false);

    // RouteToService 1 (with call data): the call queues in service1 and goes to the agent once it is Idle.
    await ca.send(ca.req.routeSelect({ RequestId: 67, CallId: callId, RouteActionType: 'RouteToService', RouteDestination: '1', UserData: ['acct-42'] }));
    const used = await ca.event('RouteUsed', (e) => e.header.requestId === 67);
    expect(f(used)).toMatchObject({ CallId: callId, RouteDestination: '1' });
    expect(enumName(f(used).RouteType)).toBe('RouteToService');
    expect(p.queueInfo('service1')?.waiting).toHaveLength(1);
    const from = ca.events.length;
    await ca.send(ca.req.ready({ RequestId: 68, AgentId: 1101 }));
    const delivered = await ca.event('CallDelivered', (e) => e.header.agentId === 1101, from);
    expect(delivered.header.serviceId).toBe(1);
    expect(f(delivered).CallId).toBe(callId);
    expect(enumName(f(delivered).CallType)).toBe('InboundAcd');
    expect(p.call(p.legsOf('1101')[0]?.call.id ?? '')?.data).toMatchObject({ UserData1: 'acct-42' });
  });

  it('no RouteSelect within RouteTimeout → RouteUsed RouteDefaultUsed (RequestId 0) on both portals and the default service; a late RouteSelect → RouteTimeout', async () => {
    // 2 PBX seconds of 100 ms each.
    const fe = await start({ routePoints: [{ serviceId: 2, device: '6200', routeTimeoutSec: 2, defaultServiceId: 1 }] }, { msPerSecond: 100 });
    const p = lab.pbx as Pbx;
    const ca = await online(fe.a.port);
    const cb = await online(fe.b.port);
    await login(ca, '1101', 70);
    const { callId, fields } = await routeRequest(ca, p);
    expect(fields.RouteTimeout).toBe(2);
    const used = await ca.event('RouteUsed');
    expect(used.header.requestId).toBe(0);
    expect(enumName(f(used).RouteStatus)).toBe('RouteDefaultUsed');
    expect(enumName(f(used).RouteType)).toBe('RouteToDefault');
    expect(f(used)).toMatchObject({ CallId: callId, RouteDestination: '1' });
    expect(enumName(f(await cb.event('RouteUsed')).RouteStatus)).toBe('RouteDefaultUsed');
    const connected = await ca.event('CallConnected', (e) => e.header.agentId === 1101);
    expect(connected.header.serviceId).toBe(1);
    expect(f(connected).CallId).toBe(callId);
    expect(p.legsOf('1101')[0]?.leg.acdService).toBe('service1');
    await ca.send(ca.req.routeSelect({ RequestId: 71, CallId: callId, RouteActionType: 'RouteToAgent', RouteDestination: 'agent1101' }));
    expect(enumName(f(await ca.event('RouteReject', (e) => e.header.requestId === 71)).RouteRejectReason)).toBe('RouteTimeout');
  });

  it('RouteToDefault and RouteToExternal route at once; the caller hanging up forgets the request; bad RouteSelects are faults', async () => {
    const fe = await start();
    const p = lab.pbx as Pbx;
    const ca = await online(fe.a.port);
    const first = await routeRequest(ca, p);
    await ca.send(ca.req.routeSelect({ RequestId: 80, CallId: first.callId, RouteActionType: 'RouteToDefault' }));
    const used = await ca.event('RouteUsed', (e) => e.header.requestId === 80);
    expect(enumName(f(used).RouteStatus)).toBe('RouteSuccess');
    expect(f(used).RouteDestination).toBe('1');
    expect(p.queueInfo('service1')?.waiting.map((w) => w.callId)).toEqual([first.pbxCallId]);

    const second = await routeRequest(ca, p);
    await ca.send(ca.req.routeSelect({ RequestId: 81, CallId: second.callId, RouteActionType: 'RouteToExternal', RouteDestination: '0478123456' }));
    expect(f(await ca.event('RouteUsed', (e) => e.header.requestId === 81)).RouteDestination).toBe('0478123456');
    expect(p.legsOf('0478123456').map((x) => x.call.id)).toEqual([second.pbxCallId]);

    const third = await routeRequest(ca, p);
    p.clearCall(third.pbxCallId, '0612345678');
    expect(fe.platform.describe().routes.some((r) => r.callId === third.callId)).toBe(false);
    await ca.send(ca.req.routeSelect({ RequestId: 82, CallId: third.callId, RouteActionType: 'RouteToDefault' }));
    expect(enumName(f(await ca.event('RouteReject', (e) => e.header.requestId === 82)).RouteRejectReason)).toBe('CallCleared');

    // Ivr/Voicemail cannot be requested; a destination is needed unless RouteToDefault.
    await expect(ca.send(ca.req.routeSelect({ RequestId: 83, CallId: first.callId, RouteActionType: 'Ivr', RouteDestination: 'x' }))).rejects.toThrow(/Invalid value for RouteActionType/);
  });
});
