// LinkStatus (digest §2.7 step 5, L1797–L1811) and CallConnected's ResponseRequired flags on the lab's HA pair.
// POST /ctips/link {component, state} makes both portals send LinkStatus (EventCategorySystem, TenantId and
// RequestId 0, past every filter) to their online sessions; while CenterCord is Down agent and call requests fail
// with InternalServerError (Snapshot with SnapShotRequestFailed); while the Gateway is Down LoginAgent fails with
// GatewayLoginFailure. The `responseRequired` / `rejectReasonRequired` fixture flags set CallConnected's fields.
import { afterEach, describe, expect, it } from 'vitest';
import type { CtipsConfig } from './config.js';
import type { CtipsFrontEnd } from './front-end.js';
import { type CtipsTestClient, callRoute, enumName, fieldsOf as f } from './test-client.js';
import { ctipsPairPerTest } from './test-pair.js';

const lab = ctipsPairPerTest();
afterEach(() => lab.stop());
const start = (config: Partial<CtipsConfig> = {}): Promise<CtipsFrontEnd> => lab.start(config);
const online = lab.online;

const login = (c: CtipsTestClient, device: string, requestId: number): Promise<void> => c.login(device, requestId);

const link = (component: string, state: string) => callRoute((lab.pair as CtipsFrontEnd).control().routes ?? [], 'POST', '/ctips/link', { component, state });

describe('CTIPS LinkStatus', () => {
  it('CenterCord Down → LinkStatus on both portals (past filters); agent/call requests fail InternalServerError until Up', async () => {
    const fe = await start();
    const ca = await online(fe.a.port);
    const cb = await online(fe.b.port);
    const noSystem = await online(fe.a.port, ['EventCategoryAgent', 'EventCategoryCall']);
    await login(ca, '1101', 90);
    // A filter that matches nothing else: LinkStatus still arrives (§4.2 rule 3).
    await cb.send(cb.req.addFilter({ FieldType: 'FT_AGENT_ID', FieldValue: 'agent1103' }));

    expect(await link('CenterCord', 'Down')).toMatchObject({ json: { component: 'CenterCord', state: 'Down', links: { Gateway: 'Up', CenterCord: 'Down' } } });
    for (const c of [ca, cb]) {
      const e = await c.event('LinkStatus');
      expect(e.header).toMatchObject({ requestId: 0, tenantId: 0, agentId: 0 });
      expect(enumName(f(e).ComponentType)).toBe('CenterCord');
      expect(enumName(f(e).ComponentState)).toBe('Down');
    }
    expect(fe.platform.describe().links).toEqual({ Gateway: 'Up', CenterCord: 'Down' });

    await ca.send(ca.req.notReady({ RequestId: 91, AgentId: 1101 }));
    expect(enumName(f(await ca.event('AgentRequestFailed', (e) => e.header.requestId === 91)).FailureType)).toBe('InternalServerError');
    await ca.send(ca.req.makeCall({ RequestId: 92, AgentId: 1101, CallId: -1, DestinationType: 'External', DestinationAddress: '0478123456', WrapState: false }));
    expect(enumName(f(await ca.event('CallRequestFailed', (e) => e.header.requestId === 92)).FailureType)).toBe('InternalServerError');
    await ca.send(ca.req.loginAgent({ RequestId: 93, AgentLoginName: 'agent1102', StationId: '1102', InitialState: 'Idle', MultiLine: 0 }));
    const loginFail = await ca.event('AgentLoginRequestFailed', (e) => e.header.requestId === 93);
    expect(enumName(f(loginFail).FailureType)).toBe('InternalServerError');
    expect(f(loginFail).AgentLoginName).toBe('agent1102');
    await ca.send(ca.req.snapshot({ EntityType: ['AgentInfo'] }));
    expect(enumName(f(await ca.event('SnapShotRequestFailed')).FailureType)).toBe('InternalServerError');
    // Nothing changed on the PBX.
    expect(lab.pbx?.agent('1101')?.state).toBe('ready');
    expect(lab.pbx?.agent('1102')?.state).toBe('loggedOff');
    expect(lab.pbx?.legsOf('1101')).toEqual([]);

    const from = ca.events.length;
    await link('CenterCord', 'Up');
    expect(enumName(f(await ca.event('LinkStatus', () => true, from)).ComponentState)).toBe('Up');
    await ca.send(ca.req.notReady({ RequestId: 94, AgentId: 1101 }));
    expect(enumName(f(await ca.event('AgentStateChange', (e) => e.header.requestId === 94)).AgentState)).toBe('NotReady');
    expect(noSystem.events.some((e) => e.type === 'LinkStatus')).toBe(false);
  });

  it('Gateway Down → LinkStatus Gateway; LoginAgent fails GatewayLoginFailure, other requests still run; the route checks its body', async () => {
    const fe = await start();
    const ca = await online(fe.a.port);
    await login(ca, '1101', 95);
    await link('gateway', 'down');
    expect(enumName(f(await ca.event('LinkStatus')).ComponentType)).toBe('Gateway');
    await ca.send(ca.req.loginAgent({ RequestId: 96, AgentLoginName: 'agent1102', StationId: '1102', InitialState: 'Idle', MultiLine: 0 }));
    expect(enumName(f(await ca.event('AgentLoginRequestFailed', (e) => e.header.requestId === 96)).FailureType)).toBe('GatewayLoginFailure');
    await ca.send(ca.req.notReady({ RequestId: 97, AgentId: 1101 }));
    await ca.event('AgentStateChange', (e) => e.header.requestId === 97);
    expect((await link('Switch', 'Down')).status).toBe(400);
    expect((await link('Gateway', 'Sideways')).status).toBe(400);
    // A reset brings the links back up.
    fe.reset();
    expect(fe.platform.describe().links).toEqual({ Gateway: 'Up', CenterCord: 'Up' });
  });
});

describe('CTIPS CallConnected ResponseRequired', () => {
  it('by default ResponseRequired and RejectReasonRequired are false', async () => {
    const fe = await start();
    const ca = await online(fe.a.port);
    await login(ca, '1101', 100);
    lab.pbx?.placeExternalCall({ from: '0612345678', to: '1101' });
    expect(f(await ca.event('CallConnected'))).toMatchObject({ ResponseRequired: false, RejectReasonRequired: false });
  });

  it('with the fixture flags CallConnected requires a response; AcceptCall false then needs a RejectReason', async () => {
    const fe = await start({ responseRequired: true, rejectReasonRequired: true });
    const ca = await online(fe.a.port);
    await login(ca, '1101', 101);
    lab.pbx?.placeExternalCall({ from: '0612345678', to: '1101' });
    const connected = await ca.event('CallConnected');
    expect(f(connected)).toMatchObject({ ResponseRequired: true, RejectReasonRequired: true });
    const callId = f(connected).CallId as number;
    await expect(ca.send(ca.req.acceptCall({ RequestId: 102, AgentId: 1101, CallId: callId, AcceptCall: false }))).rejects.toThrow(/RejectReason/);
    expect(lab.pbx?.legsOf('1101')[0]?.leg.state).toBe('alerting');
    await ca.send(ca.req.acceptCall({ RequestId: 103, AgentId: 1101, CallId: callId, AcceptCall: false, RejectReason: 2 }));
    await ca.event('CallCleared', (e) => e.header.requestId === 103);
    expect(lab.pbx?.legsOf('1101')).toEqual([]);
  });
});
