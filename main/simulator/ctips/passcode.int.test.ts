// The passcode login (L1240–L1253, digest §7 #41) on the lab's HA pair: LoginAgent of agent1104 (fixture
// passcode 123) sends EnterPasscode (PasscodeDigits, ReEnterFlag false, the login's RequestId) instead of logging
// in; POST /ctips/passcode {device, digits} is the agent keying the digits on the phone: right → logged in as
// usual, wrong → EnterPasscode again (ReEnterFlag true), the 3rd wrong → AgentLoginRequestFailed InvalidPasscode.
// Both portals of the pair report the same outcome (the other portal's clients with RequestId 0).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pbx } from '../pbx/pbx.js';
import type { CtipsFrontEnd } from './front-end.js';
import { type CtipsTestClient, callRoute, enumName, fieldsOf as f } from './test-client.js';
import { ctipsPairPerTest } from './test-pair.js';

const lab = ctipsPairPerTest();
afterEach(() => lab.stop());
const pair = (): CtipsFrontEnd => lab.pair as CtipsFrontEnd;
const pbx = (): Pbx => lab.pbx as Pbx;
const online = (port: number): Promise<CtipsTestClient> => lab.online(port);

const keyed = (device: string, digits: string) => callRoute(pair().control().routes ?? [], 'POST', '/ctips/passcode', { device, digits });
const login1104 = (c: CtipsTestClient, requestId: number) => c.send(c.req.loginAgent({ RequestId: requestId, AgentLoginName: 'agent1104', StationId: '1104', InitialState: 'Idle', MultiLine: 0 }));

beforeEach(async () => {
  await lab.start();
});

describe('CTIPS passcode login (EnterPasscode)', () => {
  it('LoginAgent sends EnterPasscode and waits; the right digits log the agent in, on both portals', async () => {
    const ca = await online(pair().a.port);
    const cb = await online(pair().b.port);
    await login1104(ca, 41);
    const ask = await ca.event('EnterPasscode', (e) => e.header.agentId === 1104);
    expect(ask.header.requestId).toBe(41);
    expect(f(ask)).toMatchObject({ PasscodeDigits: '123', ReEnterFlag: false, ServiceIds: [1] });
    const askB = await cb.event('EnterPasscode', (e) => e.header.agentId === 1104);
    expect(askB.header.requestId).toBe(0);
    expect(f(askB)).toMatchObject({ PasscodeDigits: '123', ReEnterFlag: false });
    // Not logged in yet: the PBX agent is still logged off, nothing but EnterPasscode was reported.
    expect(pbx().agent('1104')?.state).toBe('loggedOff');
    expect(ca.types().filter((t) => t.startsWith('Agent'))).toEqual([]);
    expect(pair().platform.describe().passcodes).toEqual([{ device: '1104', loginName: 'agent1104', attempts: 0 }]);

    const r = await keyed('1104', '123');
    expect(r).toMatchObject({ json: { device: '1104', result: 'loggedIn', attempts: 0 } });
    const inA = await ca.event('AgentLoginStateChange', (e) => e.header.agentId === 1104);
    expect(inA.header.requestId).toBe(41);
    expect(enumName(f(inA).LoginState)).toBe('AgentLoggedIn');
    const stA = await ca.event('AgentStateChange', (e) => e.header.agentId === 1104);
    expect(stA.header.requestId).toBe(41);
    expect(enumName(f(stA).AgentState)).toBe('Idle');
    const stB = await cb.event('AgentStateChange', (e) => e.header.agentId === 1104);
    expect(stB.header.requestId).toBe(0);
    expect(enumName(f(stB).AgentState)).toBe('Idle');
    expect(cb.types().filter((t) => t.startsWith('Agent'))).toEqual(['AgentLoginStateChange', 'AgentStateChange']);
    expect(pbx().agent('1104')?.state).toBe('ready');
    expect(pair().platform.describe().passcodes).toEqual([]);
    // Nothing waits any more.
    expect((await keyed('1104', '123')).status).toBe(404);
  });

  it('wrong digits → EnterPasscode again with ReEnterFlag true; then the right ones log in (login through B)', async () => {
    const ca = await online(pair().a.port);
    const cb = await online(pair().b.port);
    await login1104(cb, 42);
    await cb.event('EnterPasscode', (e) => e.header.requestId === 42);
    expect(await keyed('1104', '999')).toMatchObject({ json: { result: 'reEnter', attempts: 1 } });
    const again = await cb.event('EnterPasscode', (e) => f(e).ReEnterFlag === true);
    expect(again.header.requestId).toBe(42);
    expect((await ca.event('EnterPasscode', (e) => f(e).ReEnterFlag === true)).header.requestId).toBe(0);
    expect(pbx().agent('1104')?.state).toBe('loggedOff');
    expect(await keyed('1104', '123')).toMatchObject({ json: { result: 'loggedIn', attempts: 1 } });
    expect((await cb.event('AgentLoginStateChange', (e) => e.header.agentId === 1104)).header.requestId).toBe(42);
    expect((await ca.event('AgentLoginStateChange', (e) => e.header.agentId === 1104)).header.requestId).toBe(0);
    expect(pbx().agent('1104')?.state).toBe('ready');
  });

  it('three wrong entries → AgentLoginRequestFailed InvalidPasscode on both portals; the agent stays logged out', async () => {
    const ca = await online(pair().a.port);
    const cb = await online(pair().b.port);
    await login1104(ca, 43);
    await ca.event('EnterPasscode', (e) => e.header.requestId === 43);
    expect(await keyed('1104', '000')).toMatchObject({ json: { result: 'reEnter', attempts: 1 } });
    expect(await keyed('1104', '321')).toMatchObject({ json: { result: 'reEnter', attempts: 2 } });
    expect(await keyed('1104', '12')).toMatchObject({ json: { result: 'failed', attempts: 3 } });
    const failA = await ca.event('AgentLoginRequestFailed', (e) => e.header.agentId === 1104);
    expect(failA.header.requestId).toBe(43);
    expect(enumName(f(failA).FailureType)).toBe('InvalidPasscode');
    expect(f(failA).AgentLoginName).toBe('agent1104');
    const failB = await cb.event('AgentLoginRequestFailed', (e) => e.header.agentId === 1104);
    expect(failB.header.requestId).toBe(0);
    expect(enumName(f(failB).FailureType)).toBe('InvalidPasscode');
    expect(ca.events.filter((e) => e.type === 'EnterPasscode').map((e) => f(e).ReEnterFlag)).toEqual([false, true, true]);
    expect(pbx().agent('1104')?.state).toBe('loggedOff');
    expect(ca.types().includes('AgentLoginStateChange')).toBe(false);
    expect((await keyed('1104', '123')).status).toBe(404);
    // A new LoginAgent starts over.
    await login1104(ca, 44);
    expect(f(await ca.event('EnterPasscode', (e) => e.header.requestId === 44)).ReEnterFlag).toBe(false);
  });

  it('agents without a passcode log in at once; the route checks its body', async () => {
    const ca = await online(pair().a.port);
    await ca.send(ca.req.loginAgent({ RequestId: 45, AgentLoginName: 'agent1101', StationId: '1101', InitialState: 'Idle', MultiLine: 0 }));
    await ca.event('AgentStateChange', (e) => e.header.requestId === 45);
    expect(ca.types().includes('EnterPasscode')).toBe(false);
    expect((await keyed('1101', '123')).status).toBe(404);
    expect((await callRoute(pair().control().routes ?? [], 'POST', '/ctips/passcode', { device: '1104' })).status).toBe(400);
    expect((await callRoute(pair().control().routes ?? [], 'POST', '/ctips/passcode', { device: '1104', digits: 'abc' })).status).toBe(400);
  });
});
