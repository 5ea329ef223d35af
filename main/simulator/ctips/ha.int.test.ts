// Two CTIPS portals on one PBX and one CtipsPlatform (the Active/Active pair of digest 002 §2.7, T22):
// the same CallIds, NotReadyPark flags and agents through either portal; a restart of one portal
// (sessions dropped, listener closed for the downtime, same port again); each portal's own
// 10-connection limit. Clients are the desktop connector's codec, SOAP client and callback server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.js';
import { Pbx } from '../pbx/pbx.js';
import { ctipsPbxConfig } from './config.js';
import { CtipsPlatform } from './platform.js';
import { CtipsPortal } from './portal.js';
import { CtipsTestClient, enumName, fieldsOf, rawPost } from './test-client.js';

let pbx: Pbx;
let platform: CtipsPlatform;
let a: CtipsPortal;
let b: CtipsPortal;
const clients: CtipsTestClient[] = [];

const f = fieldsOf;

const online = (portal: CtipsPortal): Promise<CtipsTestClient> => CtipsTestClient.online(portal.port, undefined, clients);

const login = (c: CtipsTestClient, device: string, requestId: number, initial: 'NotReady' | 'Idle' | 'NotReadyPark' = 'Idle'): Promise<void> => c.login(device, requestId, initial);

/** Snapshot(types) through `c`: the SnapShotUpdate events up to the complete one. */
const snapshot = (c: CtipsTestClient, types: Array<'AgentInfo' | 'CallInfo' | 'ServiceInfo'>) => c.snapshot(types);

beforeEach(async () => {
  pbx = new Pbx(ctipsPbxConfig({ externalAnswerMs: 50 }));
  platform = new CtipsPlatform(pbx);
  const opts = { host: '127.0.0.1', port: 0, config: { heartbeatIntervalMs: 100 }, platform, log: silentLogger() };
  a = await CtipsPortal.start(pbx, opts);
  b = await CtipsPortal.start(pbx, opts);
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await a.close();
  await b.close();
  pbx.dispose();
});

describe('CTIPS HA pair: one platform behind two portals', () => {
  it('the two portals listen on different ports and share the platform object, which belongs to one PBX', async () => {
    expect(a.port).not.toBe(b.port);
    expect(a.platform).toBe(platform);
    expect(b.platform).toBe(platform);
    expect(platform.describe().portals).toBe(2);
    const other = new Pbx(ctipsPbxConfig());
    try {
      await expect(CtipsPortal.start(other, { host: '127.0.0.1', port: 0, platform })).rejects.toThrow(/another PBX/);
    } finally {
      other.dispose();
    }
  });

  it("a call made through A has the same CallId in B's events and B's Snapshot; B can hold it", async () => {
    const ca = await online(a);
    const cb = await online(b);
    await login(ca, '1101', 11, 'NotReady');
    // B's client sees the login once, with RequestId 0 (the request was A's), in its end state.
    const loginB = await cb.event('AgentStateChange', (e) => e.header.agentId === 1101);
    expect(loginB.header.requestId).toBe(0);
    expect(enumName(f(loginB).AgentState)).toBe('NotReady');
    expect(cb.types().filter((t) => t.startsWith('Agent'))).toEqual(['AgentLoginStateChange', 'AgentStateChange']);

    const fromA = ca.events.length;
    const fromB = cb.events.length;
    await ca.send(ca.req.makeCall({ RequestId: 12, AgentId: 1101, CallId: -1, DestinationType: 'External', DestinationAddress: '0478123456', WrapState: false }));
    const origA = await ca.event('CallOriginated', (e) => e.header.requestId === 12, fromA);
    const callId = f(origA).CallId as number;
    expect(callId).toBeGreaterThanOrEqual(1001);
    const origB = await cb.event('CallOriginated', () => true, fromB);
    expect(f(origB).CallId).toBe(callId);
    expect(origB.header.requestId).toBe(0);
    await cb.event('CallEstablished', (e) => f(e).CallId === callId, fromB);

    // A client failing over to B rebuilds its model from B's Snapshot: same agent, same CallId.
    const late = await online(b);
    const snaps = await snapshot(late, ['AgentInfo', 'CallInfo']);
    const agent = snaps.map((s) => s.AgentData as Record<string, unknown> | null).find((d) => d?.AgentId === 1101);
    expect(agent).toMatchObject({ AgentLoginName: 'agent1101', AgentStationAddress: '1101', CallId: callId });
    expect(enumName(agent?.AgentState)).toBe('Active');
    const call = snaps.map((s) => s.CallData as Record<string, unknown> | null).find((d) => d?.CallId === callId);
    expect(call).toMatchObject({ AgentId: 1101 });
    expect(enumName(call?.CallState)).toBe('CallEstablished');

    // …and its requests on that CallId work through B; A's client sees them with RequestId 0.
    const holdFromA = ca.events.length;
    await late.send(late.req.holdCall({ RequestId: 13, AgentId: 1101, CallId: callId }));
    expect((await late.event('CallHeld', (e) => e.header.requestId === 13)).header.agentId).toBe(1101);
    expect((await ca.event('CallHeld', (e) => f(e).CallId === callId, holdFromA)).header.requestId).toBe(0);

    // The call ends: CallEnd reaches the clients of both portals, and the CallId is forgotten.
    const endA = ca.events.length;
    const endB = cb.events.length;
    await late.send(late.req.clearCall({ RequestId: 14, AgentId: 1101, CallId: callId }));
    await ca.event('CallEnd', (e) => f(e).CallId === callId, endA);
    await cb.event('CallEnd', (e) => f(e).CallId === callId, endB);
    expect(platform.pbxCallOf(callId)).toBeUndefined();
  });

  it('the NotReadyPark flag set through A is what B reports (events, GetAgentState, Snapshot)', async () => {
    const ca = await online(a);
    const cb = await online(b);
    await login(ca, '1102', 21, 'NotReadyPark');
    const first = await cb.event('AgentStateChange', (e) => e.header.agentId === 1102);
    expect(enumName(f(first).AgentState)).toBe('NotReadyPark');
    await ca.send(ca.req.ready({ RequestId: 22, AgentId: 1102 }));
    await cb.event('AgentStateChange', (e) => e.header.agentId === 1102 && enumName(f(e).AgentState) === 'Idle');
    // NotReady → NotReadyPark changes no PBX state: B still reports it.
    await ca.send(ca.req.notReady({ RequestId: 23, AgentId: 1102 }));
    await cb.event('AgentStateChange', (e) => e.header.agentId === 1102 && enumName(f(e).AgentState) === 'NotReady');
    const from = cb.events.length;
    await ca.send(ca.req.notReadyPark({ RequestId: 24, AgentId: 1102 }));
    const park = await cb.event('AgentStateChange', (e) => e.header.agentId === 1102, from);
    expect(enumName(f(park).AgentState)).toBe('NotReadyPark');
    expect(park.header.requestId).toBe(0);
    expect(pbx.agent('1102')?.state).toBe('notReady');
    await cb.send(cb.req.getAgentState({ RequestId: 25, AgentId: 1102 }));
    expect(enumName(f(await cb.event('AgentStateChange', (e) => e.header.requestId === 25)).AgentState)).toBe('NotReadyPark');
    const snaps = await snapshot(cb, ['AgentInfo']);
    expect(enumName((snaps[0]?.AgentData as Record<string, unknown>).AgentState)).toBe('NotReadyPark');
    expect(platform.describe().parked).toEqual(['1102']);
    // B logs the agent out: the flag is gone for both.
    await cb.send(cb.req.logoutAgent({ RequestId: 26, AgentId: 1102, ReasonCode: 0 }));
    await ca.event('AgentLoginStateChange', (e) => e.header.agentId === 1102 && enumName(f(e).LoginState) === 'AgentLoggedOut');
    expect(platform.describe().parked).toEqual([]);
  });

  it('PanicLogout through A of an agent on a call: both portals report the logout once the call is gone', async () => {
    const ca = await online(a);
    const cb = await online(b);
    await login(ca, '1101', 31);
    const from = cb.events.length;
    const pbxCall = pbx.placeExternalCall({ from: '0612345678', to: '1101' });
    const connected = await cb.event('CallConnected', () => true, from);
    await cb.send(cb.req.acceptCall({ RequestId: 32, AgentId: 1101, CallId: f(connected).CallId as number, AcceptCall: true }));
    await cb.event('CallEstablished', (e) => e.header.requestId === 32, from);
    await ca.send(ca.req.panicLogout({ RequestId: 33, AgentLoginNameList: ['agent1101'], LogoutAllAgents: false }));
    expect(platform.describe().pendingLogout).toEqual(['1101']);
    expect(pbx.agent('1101')?.state).not.toBe('loggedOff');
    pbx.drop('0612345678', { callId: pbxCall });
    for (const c of [ca, cb]) await c.event('AgentLoginStateChange', (e) => e.header.agentId === 1101 && enumName(f(e).LoginState) === 'AgentLoggedOut');
    expect(pbx.agent('1101')?.state).toBe('loggedOff');
    expect(platform.describe().pendingLogout).toEqual([]);
  });

  it('transfers requested through one portal are CallTransferred (not CallCleared) through the other too', async () => {
    const ca = await online(a);
    const cb = await online(b);
    await login(ca, '1101', 51);
    await login(ca, '1102', 52, 'NotReady');
    let from = cb.events.length;
    pbx.placeExternalCall({ from: '0612345678', to: '1101' });
    const c1 = f(await cb.event('CallConnected', (e) => e.header.agentId === 1101, from)).CallId as number;
    await ca.send(ca.req.acceptCall({ RequestId: 53, AgentId: 1101, CallId: c1, AcceptCall: true }));
    await cb.event('CallEstablished', (e) => f(e).CallId === c1, from);
    // Blind through A: B's client sees agent 1101's leg transferred, with RequestId 0.
    from = cb.events.length;
    await ca.send(ca.req.blindTransfer({ RequestId: 54, AgentId: 1101, CallId: c1, DestinationType: 'Agent', DestinationAddress: 'agent1102' }));
    const blind = await cb.event('CallTransferred', (e) => e.header.agentId === 1101, from);
    expect(blind.header.requestId).toBe(0);
    expect(f(blind).TransferredCallId).toBe(c1);
    expect(cb.events.slice(from).some((e) => e.type === 'CallCleared' && e.header.agentId === 1101)).toBe(false);
    const ring = await cb.event('CallConnected', (e) => e.header.agentId === 1102, from);
    const c2 = f(ring).CallId as number;
    // Consultation through B from 1102 to 1101, then the transfer through B: A's client sees CallTransferred.
    await ca.send(ca.req.ready({ RequestId: 55, AgentId: 1101 }));
    await cb.send(cb.req.acceptCall({ RequestId: 56, AgentId: 1102, CallId: c2, AcceptCall: true }));
    await ca.event('CallEstablished', (e) => f(e).CallId === c2 && e.header.agentId === 1102);
    from = ca.events.length;
    await cb.send(cb.req.consultationCall({ RequestId: 57, AgentId: 1102, CallId: c2, DestinationType: 'Agent', DestinationAddress: 'agent1101', ServiceId: 0 }));
    const c3 = f(await ca.event('CallConnected', (e) => e.header.agentId === 1101, from)).CallId as number;
    await ca.send(ca.req.acceptCall({ RequestId: 58, AgentId: 1101, CallId: c3, AcceptCall: true }));
    await ca.event('CallConsultation', (e) => e.header.agentId === 1102, from);
    from = ca.events.length;
    await cb.send(cb.req.consultationTransfer({ RequestId: 59, AgentId: 1102, CallId: c2, ConsultationCallId: c3, DestinationType: 'Agent' }));
    const consult = await ca.event('CallTransferred', (e) => e.header.agentId === 1102, from);
    expect(consult.header.requestId).toBe(0);
    await ca.until(() => pbx.legsOf('1102').length === 0, 'agent1102 free');
    expect(ca.events.slice(from).some((e) => e.type === 'CallCleared' && e.header.agentId === 1102)).toBe(false);
  });

  it('restart(downtime) drops A’s sessions and closes its port, B carries on, A comes back on the same port, empty', async () => {
    const ca = await online(a);
    const cb = await online(b);
    await login(ca, '1101', 41);
    const pbxCall = pbx.placeExternalCall({ from: '0612345678', to: '1101' });
    const connected = await ca.event('CallConnected');
    const callId = f(connected).CallId as number;
    const port = a.port;

    const back = a.restart(60_000);
    expect(a.running).toBe(false);
    expect(a.restarting).toBe(true);
    expect(a.sessionList()).toEqual([]);
    await expect(rawPost(port, '')).rejects.toThrow(/ECONNREFUSED/);
    // B is untouched: its session lives, its heartbeats go on, it reports the same call.
    const beats = cb.heartbeats;
    await cb.until(() => cb.heartbeats > beats, 'a heartbeat from B');
    const snaps = await snapshot(cb, ['CallInfo']);
    expect((snaps[0]?.CallData as Record<string, unknown>).CallId).toBe(callId);
    // start() ends the downtime early; the restart resolves.
    await a.start();
    await back;
    expect(a.status()).toEqual({ running: true, restarting: false, port, sessions: 0 });
    await expect(ca.send(ca.req.onLine())).rejects.toMatchObject({ code: 'sessionLost' });
    // The platform survived: a new session on A sees the call under the same CallId.
    const again = await online(a);
    const after = await snapshot(again, ['CallInfo']);
    expect((after[0]?.CallData as Record<string, unknown>).CallId).toBe(callId);

    // A short downtime: the timer brings the listener back by itself, on the same port.
    await a.restart(50);
    expect(a.status()).toEqual({ running: true, restarting: false, port, sessions: 0 });
    expect((await rawPost(port, '', '/elsewhere')).status).toBe(404);
    pbx.drop('0612345678', { callId: pbxCall });
  });

  it('stop() during the downtime cancels the comeback (portal A dies for good)', async () => {
    const back = a.restart(60_000);
    await a.stop();
    await back;
    expect(a.status()).toMatchObject({ running: false, restarting: false });
    await expect(rawPost(a.port, '')).rejects.toThrow(/ECONNREFUSED/);
    expect(b.running).toBe(true);
  });

  it('each portal has its own 10-connection limit: A full does not refuse B', async () => {
    const open = async (portal: CtipsPortal): Promise<CtipsTestClient> => {
      const c = await CtipsTestClient.create(portal.port);
      clients.push(c);
      return c;
    };
    for (let i = 0; i < 10; i++) expect((await (await open(a)).open()).status).toBe(0);
    await expect((await open(a)).open()).rejects.toMatchObject({ code: 'limit', vendorCode: 'status:3' });
    for (let i = 0; i < 10; i++) expect((await (await open(b)).open()).status).toBe(0);
    await expect((await open(b)).open()).rejects.toMatchObject({ code: 'limit', vendorCode: 'status:3' });
    expect(a.sessionList()).toHaveLength(10);
    expect(b.sessionList()).toHaveLength(10);
  });
});
