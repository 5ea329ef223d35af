// The CTIPS pair in the lab: startLab({vendors:['ctips']}) starts portals A and B on one platform, lists
// both endpoints, extends the PBX with agent positions 1102/1103, mounts the /ctips, /ctips/a and /ctips/b
// control routes, and the control API's reset also resets the platform.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.js';
import { callControl } from '../lab-client.js';
import { startLab, type Lab } from '../lab.js';
import { CtipsTestClient, enumName, fieldsOf as f, rawPost } from './test-client.js';

let lab: Lab | undefined;
const clients: CtipsTestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await lab?.stop();
  lab = undefined;
});

const control = (method: 'GET' | 'POST', path: string, body?: unknown) => callControl(() => lab as Lab, method, path, body);

async function online(port: number): Promise<CtipsTestClient> {
  const c = await CtipsTestClient.create(port);
  clients.push(c);
  await c.connect();
  return c;
}

/** Poll the control API (bounded) until portal `name` reports running. */
async function untilRunning(name: 'a' | 'b'): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const r = await control('GET', `/ctips/${name}/status`);
    if ((r.json as { running: boolean }).running) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`portal ${name} did not come back`);
}

describe('lab: the CTIPS HA pair', () => {
  it('starts portals A and B on their own ports, one soap endpoint each, with the ctips agents on the PBX', async () => {
    lab = await startLab({ vendors: ['ctips'], portBase: 0, log: silentLogger() });
    const soap = lab.endpoints.filter((e) => e.vendor === 'ctips');
    expect(soap.map((e) => ({ transport: e.transport, portal: e.portal, host: e.host }))).toEqual([
      { transport: 'soap', portal: 'a', host: '127.0.0.1' },
      { transport: 'soap', portal: 'b', host: '127.0.0.1' },
    ]);
    expect(soap[0]?.port).toBe(lab.ctips?.a.port);
    expect(soap[1]?.port).toBe(lab.ctips?.b.port);
    expect(soap[0]?.port).not.toBe(soap[1]?.port);
    expect(lab.ctips?.a.platform).toBe(lab.ctips?.b.platform);
    for (const d of ['1101', '1102', '1103']) expect(lab.pbx.agent(d)?.userID).toBe(`agent${d}`);
    expect((await control('GET', '/ctips/portals')).json).toEqual([
      { portal: 'a', running: true, restarting: false, port: soap[0]?.port, sessions: 0 },
      { portal: 'b', running: true, restarting: false, port: soap[1]?.port, sessions: 0 },
    ]);
  });

  it('routes address one portal: /ctips/… and /ctips/a/… are A, /ctips/b/… is B; restart, stop, start', async () => {
    lab = await startLab({ vendors: ['ctips'], portBase: 0, log: silentLogger(), config: { ctips: { heartbeatIntervalMs: 200 } } });
    const ctips = lab.ctips;
    if (!ctips) throw new Error('no ctips');
    const ca = await online(ctips.a.port);
    const cb = await online(ctips.b.port);
    const ids = (r: { json: unknown }) => (r.json as Array<{ sessionId: string }>).map((s) => s.sessionId);
    expect(ids(await control('GET', '/ctips/sessions'))).toEqual([ca.sessionId]);
    expect(ids(await control('GET', '/ctips/a/sessions'))).toEqual([ca.sessionId]);
    expect(ids(await control('GET', '/ctips/b/sessions'))).toEqual([cb.sessionId]);

    expect((await control('POST', '/ctips/b/restart', {})).status).toBe(400);
    expect((await control('POST', '/ctips/b/restart', { downtimeMs: -1 })).status).toBe(400);
    const r = await control('POST', '/ctips/b/restart', { downtimeMs: 400 });
    expect(r).toEqual({ status: 200, json: { running: false, restarting: true, port: ctips.b.port, sessions: 0, dropped: 1, downtimeMs: 400 } });
    await expect(rawPost(ctips.b.port, '')).rejects.toThrow(/ECONNREFUSED/);
    expect(ids(await control('GET', '/ctips/a/sessions'))).toEqual([ca.sessionId]);
    await untilRunning('b');
    await expect(cb.send(cb.req.onLine())).rejects.toMatchObject({ code: 'sessionLost' });

    // Portal A dies (stop) until started again; B serves meanwhile. /ctips/restart is A's.
    expect((await control('POST', '/ctips/a/stop')).json).toMatchObject({ running: false, dropped: 1 });
    await expect(rawPost(ctips.a.port, '')).rejects.toThrow(/ECONNREFUSED/);
    await online(ctips.b.port);
    expect((await control('POST', '/ctips/a/start')).json).toMatchObject({ running: true, port: ctips.a.port });
    expect((await control('POST', '/ctips/restart', { downtimeMs: 0 })).json).toMatchObject({ restarting: true, port: ctips.a.port });
    await untilRunning('a');
    expect((await control('POST', '/ctips/b/stall', { ms: 0 })).json).toEqual({ stalledMs: 0 });
    expect((await control('POST', '/clients/drop')).json).toEqual({ dropped: 1 });
  });

  it('the control API reset drops both portals’ sessions and forgets the platform’s CallIds and park flags', async () => {
    lab = await startLab({ vendors: ['ctips'], portBase: 0, log: silentLogger(), config: { pbx: { externalAnswerMs: -1 } } });
    const ctips = lab.ctips;
    if (!ctips) throw new Error('no ctips');
    const ca = await online(ctips.a.port);
    const cb = await online(ctips.b.port);
    await ca.send(ca.req.loginAgent({ RequestId: 1, AgentLoginName: 'agent1103', StationId: '1103', InitialState: 'NotReadyPark', MultiLine: 0 }));
    await cb.event('AgentStateChange', (e) => e.header.agentId === 1103);
    expect((await control('POST', '/calls', { from: '0612345678', to: '1103' })).status).toBe(201);
    await cb.event('CallConnected', (e) => e.header.agentId === 1103);
    const before = (await control('GET', '/ctips/platform')).json as { calls: unknown[]; parked: string[] };
    expect(before.calls).toHaveLength(1);
    expect(before.parked).toEqual(['1103']);
    expect((await control('POST', '/reset')).status).toBe(200);
    const after = (await control('GET', '/ctips/platform')).json as { calls: unknown[]; parked: string[]; portals: number };
    expect(after).toMatchObject({ calls: [], parked: [], pendingLogout: [], portals: 2 });
    expect(ctips.a.sessionList()).toEqual([]);
    expect(ctips.b.sessionList()).toEqual([]);
    // adminClose through the control API logs the station's agent out (once, for the pair).
    const c = await online(ctips.b.port);
    await c.send(c.req.loginAgent({ RequestId: 2, AgentLoginName: 'agent1102', StationId: '1102', InitialState: 'Idle', MultiLine: 0 }));
    await c.event('AgentStateChange', (e) => e.header.requestId === 2);
    expect((await control('POST', '/sessions/1102/close')).json).toEqual({ closed: '1102' });
    expect(lab.pbx.agent('1102')?.state).toBe('loggedOff');
  });

  it('runs beside the other vendors that need nothing outside the lab; without ctips 1102/1103 stay plain phones', async () => {
    lab = await startLab({ vendors: ['telservices', 'o2g', 'tws', 'ctips'], portBase: 0, log: silentLogger() });
    expect(new Set(lab.endpoints.map((e) => e.vendor))).toEqual(new Set(['telservices', 'o2g', 'tws', 'ctips', 'lab']));
    expect(lab.pbx.agent('1102')?.userID).toBe('agent1102');
    await lab.stop();
    lab = await startLab({ vendors: ['telservices'], portBase: 0, log: silentLogger() });
    expect(lab.pbx.agent('1102')).toBeUndefined();
    expect(lab.pbx.device('6200')).toBeUndefined();
    expect(lab.pbx.pilotsOf('service1')).toEqual([]);
    expect(lab.ctips).toBeUndefined();
  });

  it('control routes for the passcode, the links and a call to the route point 6200 (RouteRequest → RouteSelect)', async () => {
    lab = await startLab({ vendors: ['ctips'], portBase: 0, log: silentLogger() });
    const ctips = lab.ctips;
    if (!ctips) throw new Error('no ctips');
    const ca = await online(ctips.a.port);
    const cb = await online(ctips.b.port);
    // Passcode: agent1104 (passcode 123) through B, the digits keyed through the control API.
    await cb.send(cb.req.loginAgent({ RequestId: 3, AgentLoginName: 'agent1104', StationId: '1104', InitialState: 'Idle', MultiLine: 0 }));
    expect(f(await ca.event('EnterPasscode', (e) => e.header.agentId === 1104)).PasscodeDigits).toBe('123');
    expect((await control('GET', '/ctips/platform')).json).toMatchObject({ passcodes: [{ device: '1104', loginName: 'agent1104', attempts: 0 }] });
    expect(await control('POST', '/ctips/passcode', { device: '1104', digits: '123' })).toEqual({ status: 200, json: { device: '1104', result: 'loggedIn', attempts: 0 } });
    expect((await cb.event('AgentLoginStateChange', (e) => e.header.agentId === 1104)).header.requestId).toBe(3);
    expect(lab.pbx.agent('1104')?.state).toBe('ready');
    // LinkStatus on both portals.
    expect((await control('POST', '/ctips/link', { component: 'CenterCord', state: 'Down' })).json).toMatchObject({ links: { CenterCord: 'Down' } });
    for (const c of [ca, cb]) expect(enumName(f(await c.event('LinkStatus')).ComponentState)).toBe('Down');
    await control('POST', '/ctips/link', { component: 'CenterCord', state: 'Up' });
    // A call to the route point: RouteRequest, then RouteSelect to the passcode agent.
    const from = ca.events.length;
    expect((await control('POST', '/calls', { from: '0612345678', to: '6200' })).status).toBe(201);
    const rr = await ca.event('RouteRequest', () => true, from);
    expect(rr.header.serviceId).toBe(2);
    await ca.send(ca.req.routeSelect({ RequestId: 4, CallId: f(rr).CallId as number, RouteActionType: 'RouteToAgent', RouteDestination: '1104' }));
    expect(f(await ca.event('RouteUsed', (e) => e.header.requestId === 4)).RouteDestination).toBe('1104');
    expect(f(await cb.event('CallConnected', (e) => e.header.agentId === 1104)).CallId).toBe(f(rr).CallId);
    expect((await control('POST', '/ctips/passcode', { device: '1104', digits: '123' })).status).toBe(404);
  });
});
