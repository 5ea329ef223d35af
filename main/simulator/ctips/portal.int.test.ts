// The lab CTIPS portal over loopback, met by the desktop connector's own codec, SOAP client and
// callback server (two independent implementations of the digest 002 §1.5 profile). Every wait is
// on an event or callback, bounded; events may arrive before the SOAP reply (§2.8), so tests await
// events rather than assume an order between the two channels.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.js';
import { buildOpenConnection, ctipsRequests } from '../../connectors/ctips/requests.js';
import { CtipsSoapClient } from '../../connectors/ctips/soap-client.js';
import { Pbx } from '../pbx/pbx.js';
import { ctipsPbxConfig, type CtipsConfig } from './config.js';
import { CtipsPortal } from './portal.js';
import { CtipsTestClient, RawCallback, enumName, fieldsOf, rawPost } from './test-client.js';

let pbx: Pbx;
let portal: CtipsPortal;
const clients: CtipsTestClient[] = [];
const raws: RawCallback[] = [];

async function setup(cfg: Partial<CtipsConfig> = {}): Promise<void> {
  pbx = new Pbx(ctipsPbxConfig({ externalAnswerMs: 50 }));
  portal = await CtipsPortal.start(pbx, { host: '127.0.0.1', port: 0, config: { heartbeatIntervalMs: 100, ...cfg }, log: silentLogger() });
}

async function client(): Promise<CtipsTestClient> {
  const c = await CtipsTestClient.create(portal.port);
  clients.push(c);
  return c;
}

async function online(): Promise<CtipsTestClient> {
  const c = await client();
  await c.connect();
  return c;
}

const f = fieldsOf;

const login = (c: CtipsTestClient, device: string, requestId: number, initial: 'NotReady' | 'Idle' | 'NotReadyPark' = 'Idle'): Promise<void> => c.login(device, requestId, initial);

beforeEach(async () => {
  await setup();
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const r of raws.splice(0)) await r.stop();
  await portal.close();
  pbx.dispose();
});

describe('CTIPS portal: session lifecycle (§2.1–§2.6)', () => {
  it('calls StartSession during OpenConnection, then heartbeats from OnLine; CloseConnection ends the session', async () => {
    const c = await client();
    const r = await c.open();
    expect(r.status).toBe(0);
    expect(r.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await c.until(() => c.startSessions.length === 1, 'StartSession');
    expect(c.startSessions[0]?.sessionId).toBe(r.sessionId);
    expect(c.startSessions[0]?.userName).toBe('Test01');
    expect(c.heartbeats).toBe(0);
    for (const m of ['EventCategoryAgent', 'EventCategoryCall', 'EventCategoryRoute', 'EventCategorySystem'] as const) {
      expect((await c.send(c.req.addMessageClass({ MessageClass: m }))).status).toBe(0);
    }
    expect((await c.send(c.req.onLine())).status).toBe(0);
    await c.until(() => c.heartbeats >= 3, '3 heartbeats');
    expect(portal.sessionList()[0]).toMatchObject({ state: 'online', userName: 'Test01', missedHeartbeats: 0 });
    expect((await c.send(c.req.closeConnection())).status).toBe(0);
    expect(portal.sessionList()).toHaveLength(0);
    await expect(c.send(c.req.onLine())).rejects.toMatchObject({ code: 'sessionLost' });
  });

  it('refuses bad credentials and a wrong tenant with a status, a bad session / tenant / state with a fault', async () => {
    const bad = await CtipsTestClient.create(portal.port, { userName: 'Test01', password: 'nope' });
    clients.push(bad);
    await expect(bad.open()).rejects.toMatchObject({ code: 'authFailed', vendorCode: 'status:1' });
    const c = await client();
    await expect(c.open(2)).rejects.toMatchObject({ vendorCode: 'status:2' });
    expect(c.startSessions).toHaveLength(0);
    await c.open();
    const wrong = ctipsRequests({ SessionId: 'nope', TenantId: 1 });
    await expect(c.send(wrong.onLine())).rejects.toMatchObject({ code: 'sessionLost' });
    const otherTenant = ctipsRequests({ SessionId: c.sessionId, TenantId: 7 });
    await expect(c.send(otherTenant.onLine())).rejects.toThrow(/TenantId mismatch/);
    // Not online yet: agent requests are refused (§2.2).
    await expect(c.send(c.req.loginAgent({ RequestId: 5, AgentLoginName: 'agent1101', StationId: '1101', InitialState: 'Idle', MultiLine: 0 }))).rejects.toThrow(/Session not online/);
    const malformed = await rawPost(portal.port, '<s:Envelope><s:Body><OnLine>');
    expect(malformed.status).toBe(500);
    expect(malformed.body).toContain('Malformed request');
    const unknown = await rawPost(portal.port, '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Frobnicate/></s:Body></s:Envelope>');
    expect(unknown.body).toContain('Unknown operation');
    expect((await rawPost(portal.port, '', '/elsewhere')).status).toBe(404);
  });

  it('refuses the 11th connection with Status 3 and no StartSession; a freed slot can be reused (§2.6)', async () => {
    const ten: CtipsTestClient[] = [];
    for (let i = 0; i < 10; i++) {
      const c = await client();
      expect((await c.open()).status).toBe(0);
      ten.push(c);
    }
    const eleventh = await client();
    await expect(eleventh.open()).rejects.toMatchObject({ code: 'limit', vendorCode: 'status:3' });
    expect(eleventh.startSessions).toHaveLength(0);
    expect(portal.sessionList()).toHaveLength(10);
    await ten[0]?.send(ten[0].req.closeConnection());
    expect((await eleventh.open()).status).toBe(0);
    await eleventh.until(() => eleventh.startSessions.length === 1, 'StartSession');
  });

  it('disposes a session whose client stops answering heartbeats (3 consecutive failures, §2.4)', async () => {
    const raw = await RawCallback.start();
    raws.push(raw);
    const soap = new CtipsSoapClient({ host: '127.0.0.1', port: portal.port, timeoutMs: 5000 });
    try {
      const open = buildOpenConnection({ TenantIds: [1], UserCredentials: { UserName: 'lab', Password: 'lab' }, ClientCallbackURL: raw.url });
      if (!open.ok) throw new Error(open.error.message);
      const r = await soap.send(open.value);
      const req = ctipsRequests({ SessionId: r.sessionId ?? '', TenantId: 1 });
      const ended = new Promise<string>((resolve) => portal.onSessionEnd((id, why) => id === r.sessionId && resolve(why)));
      const online = req.onLine();
      if (!online.ok) throw new Error(online.error.message);
      await soap.send(online.value);
      await raw.until(() => raw.heartbeats >= 1, 'a good heartbeat');
      raw.heartbeatStatus = 503;
      expect(await ended).toBe('heartbeat');
      expect(raw.failedHeartbeats).toBe(3);
      const again = req.offLine();
      if (!again.ok) throw new Error(again.error.message);
      await expect(soap.send(again.value)).rejects.toMatchObject({ code: 'sessionLost' });
    } finally {
      soap.close();
    }
  });

  it('stop()/start() keeps the port and forgets the sessions (stateless restart); dropSessions and control()', async () => {
    const c = await online();
    const port = portal.port;
    await portal.stop();
    expect(portal.running).toBe(false);
    await portal.start();
    expect(portal.port).toBe(port);
    await expect(c.send(c.req.onLine())).rejects.toMatchObject({ code: 'sessionLost' });
    await c.connect();
    const ctl = portal.control();
    expect(ctl.vendor).toBe('ctips');
    expect(ctl.routes?.map((r) => `${r.method} ${r.path}`)).toContain('POST /ctips/sessions/drop');
    expect(ctl.dropClients()).toBe(1);
    await expect(c.send(c.req.onLine())).rejects.toMatchObject({ code: 'sessionLost' });
  });

  it('stall(ms) holds requests; stopHeartbeats() stops the heartbeats', async () => {
    const c = await online();
    await c.until(() => c.heartbeats >= 1, 'a heartbeat');
    portal.stopHeartbeats();
    portal.stall(150);
    const t0 = Date.now();
    await c.send(c.req.offLine());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    expect(portal.sessionList()[0]?.state).toBe('offline');
    // Heartbeats stopped > 150 ms ago (interval 100 ms): none arrives during another 150 ms.
    const n = c.heartbeats;
    portal.stall(150);
    await c.send(c.req.onLine());
    expect(c.heartbeats).toBe(n);
    portal.resumeHeartbeats();
    await c.until(() => c.heartbeats > n, 'heartbeats again');
  });
});

describe('CTIPS portal: agent requests (§3.2 #10–#15)', () => {
  it('login, ready, not ready, not ready park, state query, logout — each with its events and RequestId', async () => {
    const c = await online();
    let from = c.events.length;
    await c.send(c.req.loginAgent({ RequestId: 101, AgentLoginName: 'agent1101', StationId: '1101', InitialState: 'NotReady', MultiLine: 0 }));
    const loginEv = await c.event('AgentLoginStateChange', (e) => e.header.requestId === 101, from);
    expect(enumName(f(loginEv).LoginState)).toBe('AgentLoggedIn');
    expect(f(loginEv)).toMatchObject({ AgentLoginName: 'agent1101', AgentStationAddress: '1101', AgentCTIId: 1101 });
    expect(loginEv.header.agentId).toBe(1101);
    const st = await c.event('AgentStateChange', (e) => e.header.requestId === 101, from);
    expect(enumName(f(st).AgentState)).toBe('NotReady');
    expect(f(st).ServiceIds).toEqual([1]);
    expect(c.types(from)).toEqual(['AgentLoginStateChange', 'AgentStateChange']);
    expect(pbx.agent('1101')?.state).toBe('notReady');

    const steps: Array<[number, 'ready' | 'notReady' | 'notReadyPark', string, string]> = [
      [102, 'ready', 'Idle', 'ready'],
      [103, 'notReady', 'NotReady', 'notReady'],
      [104, 'notReadyPark', 'NotReadyPark', 'notReady'],
      [105, 'ready', 'Idle', 'ready'],
    ];
    for (const [rid, verb, ctipsState, pbxState] of steps) {
      from = c.events.length;
      await c.send(c.req[verb]({ RequestId: rid, AgentId: 1101 }));
      const e = await c.event('AgentStateChange', (x) => x.header.requestId === rid, from);
      expect(enumName(f(e).AgentState)).toBe(ctipsState);
      expect(pbx.agent('1101')?.state).toBe(pbxState);
    }
    from = c.events.length;
    await c.send(c.req.getAgentState({ RequestId: 106, AgentId: 1101 }));
    expect(enumName(f(await c.event('AgentStateChange', (x) => x.header.requestId === 106, from)).AgentState)).toBe('Idle');

    from = c.events.length;
    await c.send(c.req.loginAgent({ RequestId: 107, AgentLoginName: 'agent1101', StationId: '1101', InitialState: 'Idle', MultiLine: 0 }));
    expect(enumName(f(await c.event('AgentLoginRequestFailed', (x) => x.header.requestId === 107, from)).FailureType)).toBe('AgentAlreadyLoggedIn');
    await c.send(c.req.loginAgent({ RequestId: 108, AgentLoginName: 'agent1102', StationId: '1103', InitialState: 'Idle', MultiLine: 0 }));
    expect(enumName(f(await c.event('AgentLoginRequestFailed', (x) => x.header.requestId === 108, from)).FailureType)).toBe('StationNotAvailable');
    await c.send(c.req.loginAgent({ RequestId: 109, AgentLoginName: 'nobody', StationId: '1101', InitialState: 'Idle', MultiLine: 0 }));
    expect(enumName(f(await c.event('AgentLoginRequestFailed', (x) => x.header.requestId === 109, from)).FailureType)).toBe('InvalidAgentName');
    await c.send(c.req.setAgentState({ RequestId: 110, AgentId: 1101, NewState: 'Active' }));
    expect(enumName(f(await c.event('AgentRequestFailed', (x) => x.header.requestId === 110, from)).FailureType)).toBe('InvalidStateForRequest');

    from = c.events.length;
    await c.send(c.req.logoutAgent({ RequestId: 111, AgentId: 1101, ReasonCode: 0 }));
    const out = await c.event('AgentLoginStateChange', (x) => x.header.requestId === 111, from);
    expect(enumName(f(out).LoginState)).toBe('AgentLoggedOut');
    expect(f(out).AgentWorkGroupId).toBe(-1);
    expect(pbx.agent('1101')?.state).toBe('loggedOff');
  });

  it('PanicLogout logs out every idle agent at once (L691)', async () => {
    const c = await online();
    await login(c, '1101', 201);
    await login(c, '1102', 202, 'NotReady');
    const from = c.events.length;
    await c.send(c.req.panicLogout({ RequestId: 230, AgentLoginNameList: [], LogoutAllAgents: true }));
    await c.until(() => c.events.slice(from).filter((e) => e.type === 'AgentLoginStateChange' && e.header.requestId === 230).length === 2, 'two logouts');
    expect(pbx.agent('1101')?.state).toBe('loggedOff');
    expect(pbx.agent('1102')?.state).toBe('loggedOff');
  });

  it('agent activity on the PBX side (not requested) is reported with RequestId 0', async () => {
    const c = await online();
    await login(c, '1101', 301);
    const from = c.events.length;
    pbx.setAgentState('1101', 'notReady', { force: true });
    const e = await c.event('AgentStateChange', (x) => x.header.agentId === 1101, from);
    expect(e.header.requestId).toBe(0);
    expect(enumName(f(e).AgentState)).toBe('NotReady');
  });
});

describe('CTIPS portal: calls on the agent station (§4.5 a)', () => {
  it('an inbound ACD call rings the station with ANI/DNIS and call data; accept, hold, retrieve, clear by requests', async () => {
    const c = await online();
    await login(c, '1101', 401);
    let from = c.events.length;
    const pbxCall = pbx.placeExternalCall({ from: '0612345678', to: 'service1', fromName: 'Sophie Lefebvre', data: { AccountNumber: 'A-77' } });
    const delivered = await c.event('CallDelivered', () => true, from);
    expect(delivered.header).toMatchObject({ requestId: 0, agentId: 1101, serviceId: 1 });
    expect(f(delivered)).toMatchObject({ ANI: '0612345678', DNIS: 'service1' });
    expect(enumName(f(delivered).CallType)).toBe('InboundAcd');
    const connected = await c.event('CallConnected', () => true, from);
    const info = (f(connected).CallInfo as Array<Record<string, unknown>>)[0];
    expect(info).toMatchObject({ ANI: '0612345678', DNIS: 'service1', FirstName: 'Sophie', LastName: 'Lefebvre' });
    expect(info?.CallData).toEqual([{ key: 'AccountNumber', value: 'A-77' }]);
    const callId = f(connected).CallId as number;
    expect(callId).toBeGreaterThan(0);
    expect(enumName(f(await c.event('AgentStateChange', () => true, from)).AgentState)).toBe('PendingActive');

    from = c.events.length;
    await c.send(c.req.acceptCall({ RequestId: 402, AgentId: 1101, CallId: callId, AcceptCall: true }));
    const est = await c.event('CallEstablished', (e) => e.header.requestId === 402, from);
    expect(f(est)).toMatchObject({ CallId: callId, ANI: '0612345678' });
    expect(enumName(f(await c.event('AgentStateChange', (e) => e.header.requestId === 402, from)).AgentState)).toBe('Active');
    expect(pbx.agent('1101')?.state).toBe('busy');

    from = c.events.length;
    await c.send(c.req.holdCall({ RequestId: 403, AgentId: 1101, CallId: callId }));
    expect(f(await c.event('CallHeld', (e) => e.header.requestId === 403, from)).CallId).toBe(callId);
    await c.send(c.req.holdCall({ RequestId: 404, AgentId: 1101, CallId: callId }));
    expect(enumName(f(await c.event('CallRequestFailed', (e) => e.header.requestId === 404, from)).FailureType)).toBe('InvalidStateForRequest');
    await c.send(c.req.retrieveCall({ RequestId: 405, AgentId: 1101, CallId: callId }));
    expect(f(await c.event('CallRetrieved', (e) => e.header.requestId === 405, from)).CallId).toBe(callId);

    from = c.events.length;
    await c.send(c.req.setCallData({ RequestId: 406, AgentId: 1101, CallId: callId, UserData: ['Gold'] }));
    expect(enumName(f(await c.event('CallDataUpdate', (e) => e.header.requestId === 406, from)).UpdateType)).toBe('SetCallDataSucceeded');
    await c.send(c.req.getCallData({ RequestId: 407, AgentId: 1101, CallId: callId }));
    const data = await c.event('CallDataUpdate', (e) => e.header.requestId === 407, from);
    expect(f(data).CallData).toEqual([
      { key: 'AccountNumber', value: 'A-77' },
      { key: 'UserData1', value: 'Gold' },
    ]);
    await c.send(c.req.sendDTMFDigits({ RequestId: 408, AgentId: 1101, CallId: callId, DTMFDigits: '5' }));
    expect(f(await c.event('DigitsDialed', (e) => e.header.requestId === 408, from)).DigitString).toBe('5');

    from = c.events.length;
    await c.send(c.req.clearCall({ RequestId: 409, AgentId: 1101, CallId: callId }));
    const cleared = await c.event('CallCleared', (e) => e.header.requestId === 409, from);
    expect(enumName(f(cleared).ClearingPartyType)).toBe('NearEnd');
    expect(enumName(f(await c.event('AgentStateChange', (e) => e.header.requestId === 409, from)).AgentState)).toBe('Wrap');
    await c.event('CallEnd', (e) => f(e).CallId === callId, from);
    expect(pbx.hasCall(pbxCall)).toBe(false);

    await c.send(c.req.holdCall({ RequestId: 410, AgentId: 1101, CallId: callId }));
    expect(enumName(f(await c.event('CallRequestFailed', (e) => e.header.requestId === 410, from)).FailureType)).toBe('InvalidCallId');
    await c.send(c.req.setDisposition({ RequestId: 411, AgentId: 1101, CallId: callId, DispositionId: 1, SummaryDispositionSuccessful: true, WrapNotRequired: false }));
    expect(enumName(f(await c.event('AgentStateChange', (e) => e.header.requestId === 411, from)).AgentState)).toBe('Idle');
  });

  it('a caller hanging up is reported as CallCleared(FarEnd) with RequestId 0', async () => {
    const c = await online();
    await login(c, '1101', 501);
    let from = c.events.length;
    const pbxCall = pbx.placeExternalCall({ from: '0145678901', to: '1101' });
    const conn = await c.event('CallConnected', () => true, from);
    expect(enumName(f(conn).CallType)).toBe('InboundDid');
    const callId = f(conn).CallId as number;
    await c.send(c.req.acceptCall({ RequestId: 502, AgentId: 1101, CallId: callId, AcceptCall: true }));
    await c.event('CallEstablished', (e) => e.header.requestId === 502, from);
    from = c.events.length;
    pbx.clearCall(pbxCall, '0145678901');
    const cleared = await c.event('CallCleared', () => true, from);
    expect(cleared.header.requestId).toBe(0);
    expect(enumName(f(cleared).ClearingPartyType)).toBe('FarEnd');
    await c.event('CallEnd', () => true, from);
  });

  it('MakeCall to an outside number: CallOriginated with the RequestId, then CallEstablished when it answers', async () => {
    const c = await online();
    await login(c, '1101', 601, 'NotReady');
    const from = c.events.length;
    await c.send(c.req.makeCall({ RequestId: 602, AgentId: 1101, CallId: -1, DestinationType: 'External', DestinationAddress: '0478123456', WrapState: false }));
    const orig = await c.event('CallOriginated', (e) => e.header.requestId === 602, from);
    expect(f(orig).Destination).toBe('0478123456');
    expect(enumName(f(orig).DestType)).toBe('External');
    const est = await c.event('CallEstablished', (e) => f(e).CallId === f(orig).CallId, from);
    expect(est.header.requestId).toBe(0);
    await c.send(c.req.makeCall({ RequestId: 603, AgentId: 1101, CallId: -1, DestinationType: 'External', DestinationAddress: 'abc', WrapState: false }));
    expect(enumName(f(await c.event('CallRequestFailed', (e) => e.header.requestId === 603, from)).FailureType)).toBe('DestinationInvalidNumber');
  });

  it('consultation to another agent, then consultation transfer (Appendix E "Consult Transfer Agent")', async () => {
    const c = await online();
    await login(c, '1101', 701);
    await login(c, '1102', 702, 'NotReady');
    let from = c.events.length;
    pbx.placeExternalCall({ from: '0612345678', to: 'service1' });
    const conn = await c.event('CallConnected', (e) => e.header.agentId === 1101, from);
    const c1 = f(conn).CallId as number;
    await c.send(c.req.acceptCall({ RequestId: 703, AgentId: 1101, CallId: c1, AcceptCall: true }));
    await c.event('CallEstablished', (e) => e.header.requestId === 703, from);

    from = c.events.length;
    await c.send(c.req.consultationCall({ RequestId: 704, AgentId: 1101, CallId: c1, DestinationType: 'Agent', DestinationAddress: 'agent1102', ServiceId: 0 }));
    expect(f(await c.event('CallHeld', (e) => e.header.requestId === 704, from)).CallId).toBe(c1);
    const orig = await c.event('CallOriginated', (e) => e.header.requestId === 704, from);
    const c2 = f(orig).CallId as number;
    expect(c2).not.toBe(c1);
    const ring2 = await c.event('CallConnected', (e) => e.header.agentId === 1102, from);
    expect(f(ring2)).toMatchObject({ CallId: c2, OriginatingAgentId: 1101 });
    expect(enumName(f(ring2).CallType)).toBe('InboundInternal');
    await c.send(c.req.acceptCall({ RequestId: 705, AgentId: 1102, CallId: c2, AcceptCall: true }));
    const consult = await c.event('CallConsultation', (e) => e.header.agentId === 1101, from);
    expect(f(consult)).toMatchObject({ CallId: c1, ConsultationCallId: c2, ConsultationAgentId: 1102 });

    from = c.events.length;
    await c.send(c.req.consultationTransfer({ RequestId: 706, AgentId: 1101, CallId: c1, ConsultationCallId: c2, DestinationType: 'Agent' }));
    await c.event('CallTransferred', (e) => e.header.requestId === 706 && e.header.agentId === 1101, from);
    await c.until(() => pbx.legsOf('1101').length === 0, 'agent1101 free');
    const onB = pbx.legsOf('1102');
    expect(onB.map((x) => x.leg.state)).toEqual(['connected']);
    expect(onB[0]?.call.legs.some((l) => l.number === '0612345678' && l.state === 'connected')).toBe(true);
  });
});

describe('CTIPS portal: blind transfer, conference, panic logout on a call', () => {
  async function activeCall(c: CtipsTestClient, rid: number): Promise<number> {
    const from = c.events.length;
    pbx.placeExternalCall({ from: '0612345678', to: '1101' });
    const conn = await c.event('CallConnected', (e) => e.header.agentId === 1101, from);
    const id = f(conn).CallId as number;
    await c.send(c.req.acceptCall({ RequestId: rid, AgentId: 1101, CallId: id, AcceptCall: true }));
    await c.event('CallEstablished', (e) => e.header.requestId === rid, from);
    return id;
  }

  it('TransferCall Blind to an agent: CallTransferred to the transferring agent, the call rings the other', async () => {
    const c = await online();
    await login(c, '1101', 1001);
    await login(c, '1102', 1002, 'NotReady');
    const c1 = await activeCall(c, 1003);
    const from = c.events.length;
    await c.send(c.req.blindTransfer({ RequestId: 1004, AgentId: 1101, CallId: c1, DestinationType: 'Agent', DestinationAddress: 'agent1102' }));
    expect(f(await c.event('CallTransferred', (e) => e.header.requestId === 1004 && e.header.agentId === 1101, from)).TransferredCallId).toBe(c1);
    const ring = await c.event('CallConnected', (e) => e.header.agentId === 1102, from);
    expect((f(ring).CallInfo as Array<Record<string, unknown>>)[0]?.ANI).toBe('0612345678');
    expect(pbx.legsOf('1101')).toHaveLength(0);
    await c.send(c.req.blindTransfer({ RequestId: 1005, AgentId: 1102, CallId: f(ring).CallId as number, DestinationType: 'Agent', DestinationAddress: 'agent1103' }));
    expect(enumName(f(await c.event('CallRequestFailed', (e) => e.header.requestId === 1005, from)).FailureType)).toBe('DestinationAgentNotAvailable');
  });

  it('ConferenceCall joins the held call and the consultation call (CallConferenced with the RequestId)', async () => {
    const c = await online();
    await login(c, '1101', 1101);
    await login(c, '1102', 1102, 'NotReady');
    const c1 = await activeCall(c, 1103);
    let from = c.events.length;
    await c.send(c.req.consultationCall({ RequestId: 1104, AgentId: 1101, CallId: c1, DestinationType: 'Agent', DestinationAddress: 'agent1102', ServiceId: 0 }));
    const c2 = f(await c.event('CallOriginated', (e) => e.header.requestId === 1104, from)).CallId as number;
    await c.event('CallConnected', (e) => e.header.agentId === 1102, from);
    await c.send(c.req.acceptCall({ RequestId: 1105, AgentId: 1102, CallId: c2, AcceptCall: true }));
    await c.event('CallConsultation', () => true, from);
    from = c.events.length;
    await c.send(c.req.conferenceCall({ RequestId: 1106, AgentId: 1101, CallId: c1, ConsultationCallId: c2 }));
    const conf = await c.event('CallConferenced', (e) => e.header.requestId === 1106, from);
    expect(f(conf)).toMatchObject({ CallId: c1, ConsultingCallId: c1, ConsultedCallId: c2, ConsultationAgentId: 1102, ConferenceCallId: c1 });
    const parties = pbx.legsOf('1101')[0]?.call.legs.filter((l) => l.state === 'connected').map((l) => l.number).sort();
    expect(parties).toEqual(['0612345678', '1101', '1102']);
  });

  it('PanicLogout of an agent on a call logs it out once the call is gone', async () => {
    const c = await online();
    await login(c, '1101', 1201);
    const c1 = await activeCall(c, 1202);
    const from = c.events.length;
    await c.send(c.req.panicLogout({ RequestId: 1203, AgentLoginNameList: ['agent1101'], LogoutAllAgents: false }));
    expect(pbx.agent('1101')?.state).not.toBe('loggedOff');
    await c.send(c.req.clearCall({ RequestId: 1204, AgentId: 1101, CallId: c1 }));
    const out = await c.event('AgentLoginStateChange', (e) => enumName(f(e).LoginState) === 'AgentLoggedOut', from);
    expect(out.header.agentId).toBe(1101);
    expect(pbx.agent('1101')?.state).toBe('loggedOff');
  });
});

describe('CTIPS portal: message classes, filters, Snapshot (§4.2, §2.1 step 5)', () => {
  it('a session with only the Agent class and an FT_AGENT_ID filter gets that agent’s agent events only', async () => {
    const a = await online();
    const b = await client();
    await b.open();
    await b.send(b.req.addMessageClass({ MessageClass: 'EventCategoryAgent' }));
    await b.send(b.req.addFilter({ FieldType: 'FT_AGENT_ID', FieldValue: 'agent1102' }));
    await b.send(b.req.onLine());
    await login(a, '1101', 801);
    await login(a, '1102', 802);
    await b.event('AgentStateChange', (e) => e.header.requestId === 802);
    pbx.placeExternalCall({ from: '0612345678', to: '1102' });
    await a.event('CallConnected', (e) => e.header.agentId === 1102);
    // Probe: a later agent event for 1102 proves every earlier one reached B (one POST at a time, in order).
    await a.send(a.req.getAgentState({ RequestId: 803, AgentId: 1102 }));
    await b.event('AgentStateChange', (e) => e.header.requestId === 803);
    expect(b.events.every((e) => e.header.agentId === 1102 && (e.type === 'AgentStateChange' || e.type === 'AgentLoginStateChange'))).toBe(true);
    expect(a.events.some((e) => e.header.agentId === 1101)).toBe(true);
  });

  it('Snapshot(AgentInfo, ServiceInfo) sends SnapShotUpdate events, the last one complete, to the requester only', async () => {
    const a = await online();
    const b = await online();
    await login(a, '1101', 901);
    const from = a.events.length;
    await a.send(a.req.snapshot({ EntityType: ['AgentInfo', 'ServiceInfo'] }));
    await a.event('SnapShotUpdate', (e) => f(e).SnapShotComplete === true, from);
    const snaps = a.events.slice(from).filter((e) => e.type === 'SnapShotUpdate');
    expect(snaps).toHaveLength(3);
    expect(f(snaps[0] as never).AgentData).toMatchObject({ AgentId: 1101, AgentLoginName: 'agent1101', AgentStationAddress: '1101' });
    expect(enumName((f(snaps[0] as never).AgentData as Record<string, unknown>).AgentState)).toBe('Idle');
    expect(f(snaps[1] as never).ServiceData).toMatchObject({ ServiceId: 1, ExternalRoutingEnabled: false });
    // Service 2 is the external-routing service (route point 6200).
    expect(f(snaps[2] as never).ServiceData).toMatchObject({ ServiceId: 2, ExternalRoutingEnabled: true });
    expect(enumName((f(snaps[2] as never).ServiceData as Record<string, unknown>).ServiceState)).toBe('Active');
    await b.send(b.req.getAgentState({ RequestId: 902, AgentId: 1101 }));
    await b.event('AgentStateChange', (e) => e.header.requestId === 902);
    expect(b.events.some((e) => e.type === 'SnapShotUpdate')).toBe(false);
  });
});
