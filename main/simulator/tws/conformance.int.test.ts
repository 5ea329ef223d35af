// Digest 000 §8, the simulator side of the conformance scenarios T01–T16, T19, T21–T24, over real loopback
// sockets with the independent test client (Json, Xml and the TCP feed).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab.js';
import { FakeClock } from '../pbx/clock.js';
import { KA, KU } from './config.js';
import { TwsClient, httpCall, paths, qs, session, state, tag, tags, type TcpFeed } from './test-client.js';

const hpiapleGuid = '97a02200-fa08-4cdd-96ab-e44eb7f577ad';
const domain = '2047d7f2-428b-49f6-beaf-7b2e102f954d';

let lab: Lab;
let c: TwsClient;
let T: string;
let feed: TcpFeed;

beforeAll(async () => {
  lab = await startLab({ vendors: ['tws'], portBase: 0 });
  c = new TwsClient(lab);
});
afterAll(async () => lab.stop());

beforeEach(async () => {
  await c.post('/reset');
  ({ token: T, feed } = await session(c));
});
afterEach(() => feed.close());

const isState = (s: string) => (f: string) => state(f) === s;

/** Ring 4694 from outside and answer it: the established call c1. */
async function established(from = '0141906666'): Promise<void> {
  await c.post('/calls', { from, to: '4694' });
  await feed.waitFor(isState('delivered'));
  expect(await c.fn('TWS_AnswerCallQueuedByDefaultDevice', { tokenGuid: T })).toBe(0);
  await feed.waitFor(isState('established'));
}

describe('T01–T04 tokens', () => {
  it('T01: GetMyToken2 over XML gives the token, user guid, domain and devices', async () => {
    const r = await c.xml('user', 'TWS_GetMyToken2', { apiKey: KU, username: 'hpiaple', password: 'pw4694' });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^<TWS_GetMyToken2Response xmlns="http:\/\/tempuri.org\/"><TWS_GetMyToken2Result xmlns:i="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xmlns:a="http:\/\/schemas.datacontract.org\/2004\/07\/TWS_Database"><a:AffectedDocuments>0<\/a:AffectedDocuments><a:ErrorMessage i:nil="true"\/><a:InfoMessage i:nil="true"\/><a:Ok>true<\/a:Ok><a:WasNew>false<\/a:WasNew><a:Result><a:Devices xmlns:b="http:\/\/schemas.microsoft.com\/2003\/10\/Serialization\/Arrays"><b:string>4694<\/b:string><\/a:Devices>/);
    expect(tag(r.text, 'Guid')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(tag(r.text, 'UserGuid')).toBe(hpiapleGuid);
    expect(tag(r.text, 'DomainGuid')).toBe(domain);
    const j = await c.json('user', 'TWS_GetMyToken2', { apiKey: KU, username: 'hpiaple', password: 'pw4694' });
    expect(j.result).toMatchObject({ Ok: true, Result: { Devices: ['4694'], DomainGuid: domain, UserGuid: hpiapleGuid, Username: 'hpiaple' } });
  });

  it('T02: rejections carry Ok=false and a message; Windows auth picks the Windows user', async () => {
    expect((await c.json('user', 'TWS_GetMyToken2', { apiKey: KU, username: 'hpiaple', password: 'wrong' })).body).toEqual({
      TWS_GetMyToken2Result: { AffectedDocuments: 0, ErrorMessage: 'Invalid username or password', InfoMessage: null, Ok: false, WasNew: false, Result: null },
    });
    expect((await c.json('user', 'TWS_GetMyToken2', { apiKey: 'nope', username: 'hpiaple', password: 'pw4694' })).result).toMatchObject({ Ok: false, ErrorMessage: 'Invalid API key' });
    // KA sent unencoded: the + arrives as a space.
    const raw = await httpCall(`${c.http}${paths.user}/Json/TWS_GetMyToken2?apiKey=${KA}&username=hpiaple`);
    expect(JSON.parse(raw.text)).toMatchObject({ TWS_GetMyToken2Result: { Ok: false, ErrorMessage: 'Invalid API key' } });
    const win = await c.json('auth', 'TWS_GetMyToken2', { apiKey: KU, username: '', password: '' });
    expect(win.result).toMatchObject({ Ok: true, Result: { Username: 'hpiaple' } });
    expect((await c.json('user', 'TWS_GetMyToken2', { apiKey: KU, username: '', password: '' })).result).toMatchObject({ Ok: false });
  });

  it('T03: the administrator key gives a single-use token', async () => {
    const r = await c.xml('user', 'TWS_GetMyToken2', { apiKey: KA, username: 'hpiaple' });
    expect(r.text).toContain('<a:Ok>true</a:Ok>');
    expect(r.text).toContain('<a:UserGuid i:nil="true"/>');
    expect(r.text).toContain('<a:Username i:nil="true"/>');
    const e1 = tag(r.text, 'Guid') as string;
    expect(await c.fn('TWS_OpenMakeCall', { tokenGuid: e1, szDevice: '4694', szTo: '4594' })).toBe(0);
    expect(await c.fn('TWS_OpenMakeCall', { tokenGuid: e1, szDevice: '4694', szTo: '4594' })).toBe(-44);
    const e2 = tag((await c.xml('user', 'TWS_GetMyToken2', { apiKey: KA, username: 'hpiaple' })).text, 'Guid') as string;
    expect(await c.fn('TWS_OpenMakeCallByDefaultDevice', { tokenGuid: e2, szTo: '4594' })).toBe(-4);
    expect((await c.json('user', 'TWS_GetMyToken2', { apiKey: KA, username: 'noauth' })).result).toMatchObject({ Ok: false });
  });

  it('T04: GetMyTokenAdmin gives a reusable token for the named user', async () => {
    const r = await c.xml('user', 'TWS_GetMyTokenAdmin', { apiKey: KA, adminUsername: 'mgplMKIT', adminPassword: 'notasecret', username: 'tme' });
    expect(r.text).toContain('<a:Ok>true</a:Ok>');
    expect(tag(r.text, 'Username')).toBe('tme');
    expect(r.text).not.toContain('DomainGuid');
    const t = tag(r.text, 'Guid') as string;
    expect(await c.monitor(t, '4594')).toBe(0);
    expect(await c.monitor(t, '4594')).toBe(0);
    expect((await c.json('user', 'TWS_GetMyTokenAdmin', { apiKey: KU, adminUsername: 'mgplMKIT', adminPassword: 'notasecret', username: 'tme' })).result).toMatchObject({ Ok: false });
  });
});

describe('T05 StartMonitor outcomes', () => {
  it('answers 0, -7, -4, a security exception, -44, 0 again', async () => {
    const start = (p: Record<string, string>) => c.json('toolkit', 'TWS_WebStartMonitor', { tokenGuid: T, szApp: 'TWS-TLK', szDevice: '4694', ...p });
    expect((await start({})).body).toEqual({ TWS_WebStartMonitorResult: 0 });
    expect((await start({ szApp: 'TWS-XXX' })).result).toBe(-7);
    expect((await start({ szDevice: '9999' })).result).toBe(-4);
    const sec = await start({ szDevice: '4594' });
    expect(sec.status).toBe(500);
    expect((await start({ tokenGuid: '00000000-0000-0000-0000-000000000000' })).result).toBe(-44);
    expect((await start({})).result).toBe(0);
  });

  it('securityAsCode answers -22; no licence left answers -20', async () => {
    const other = await startLab({ vendors: ['tws'], portBase: 0, config: { tws: { securityAsCode: true, toolkitLicences: 4 } } });
    try {
      const oc = new TwsClient(other);
      const t = await oc.token();
      // The example user's four pre-monitored sets use the four licences.
      expect((await oc.json('toolkit', 'TWS_WebStartMonitor', { tokenGuid: t, szApp: 'TWS-TLK', szDevice: '4594' })).result).toBe(-22);
      expect((await oc.json('toolkit', 'TWS_WebStartMonitor', { tokenGuid: t, szApp: 'TWS-TLK', szDevice: '4694' })).result).toBe(-20);
    } finally {
      await other.stop();
    }
  });
});

describe('T07–T12 calls', () => {
  it('T07: inbound call, screen pop, answer, QueryCCos, remote hang-up', async () => {
    await c.post('/calls', { from: '0141906666', to: '4694' });
    const d = await feed.waitFor(isState('delivered'));
    expect(tag(d, 'm_ccoState')).toBe('delivered');
    expect(tags(d, 'm_connectionDirection')).toContain('incoming');
    expect(tag(d, 'm_connectionId')).toBe('c1');
    expect(tag(d, 'Answer')).toBe('true');
    const users = tag(d, 'm_Users') as string;
    expect(tag(users, 'm_publicUserNumber')).toBe('0141906666');
    expect(tag(users, 'm_UserInfoDisplay')).toBe('Françoise Martin');
    expect((await c.json('toolkit', 'TWS_AnswerCallQueuedByDefaultDevice', { tokenGuid: T })).body).toEqual({ TWS_AnswerCallQueuedbyDefaultDeviceResult: 0 });
    const e = await feed.waitFor(isState('established'));
    expect(tag(e, 'm_ccoState')).toBe('active');
    expect(tag(e, 'Hold')).toBe('true');
    expect(tag(e, 'Release')).toBe('true');
    const cc = (await c.json('toolkit', 'TWS_QueryCCosByDevice', { tokenGuid: T, szDevice: '4694' })).result as Array<Record<string, unknown>>;
    expect(cc).toHaveLength(1);
    expect(cc[0]).toMatchObject({ m_ccoId: '1', m_ccoState: 'active', m_ccoType: 'simplecall', m_Connections: [{ m_connectionId: 'c1', m_currentState: 'established' }] });
    expect((cc[0]?.m_Connections as Array<{ m_Users: unknown[] }>)[0]?.m_Users).toHaveLength(2);
    await c.post('/devices/0141906666/hangup');
    const cl = await feed.waitFor(isState('cleared'));
    expect(tag(cl, 'm_ccoState')).toBe('free');
    expect(tag(cl, 'm_ccoType')).toBe('free');
    expect(tag(cl, 'm_currentReason')).toBe('Idle');
  });

  it('T08: outgoing call seen on both users; variants', async () => {
    const tme = await session(c, 'tme', 'pw4594', '4594');
    try {
      expect((await c.json('toolkit', 'TWS_MakeCall', { tokenGuid: T, szFrom: '4694', szDevice: '4694', szTo: '4594' })).body).toEqual({ TWS_MakeCallResult: 0 });
      await feed.waitFor(isState('originated'));
      const dl = await feed.waitFor(isState('delivered'));
      expect(tag(dl, 'm_connectionDirection')).toBe('outgoing');
      await tme.feed.waitFor(isState('delivered'));
      await c.post('/devices/4594/answer');
      await feed.waitFor(isState('established'));
      const inc = await tme.feed.waitFor(isState('established'));
      expect(tags(inc, 'm_connectionDirection')).toContain('incoming');
      await c.post('/devices/4594/hangup');
      await feed.waitFor(isState('cleared'));
    } finally {
      tme.feed.close();
    }
    expect(await c.fn('TWS_MakeCall', { tokenGuid: T, szDevice: '4694', szTo: '3000' })).toBe(0);
    await c.post('/devices/4694/hangup');
    await feed.waitFor(isState('cleared'));
    expect(await c.fn('TWS_MakeCall', { tokenGuid: T, szFrom: '3000', szTo: '4594' })).toBe(-22);
    expect(await c.fn('TWS_WebStopMonitor', { tokenGuid: T, szApp: 'TWS-TLK', szDevice: '4694' })).toBe(0);
    expect(await c.fn('TWS_MakeCall', { tokenGuid: T, szFrom: '4694', szTo: '4594' })).toBe(-4);
    expect(await c.fn('TWS_OpenMakeCall', { tokenGuid: T, szDevice: '4694', szTo: '4594' })).toBe(0);
  });

  it('T08: strictParams refuses MakeCall with szDevice only', async () => {
    const other = await startLab({ vendors: ['tws'], portBase: 0, config: { tws: { strictParams: true } } });
    try {
      const oc = new TwsClient(other);
      const t = await oc.token();
      await oc.monitor(t, '4694');
      expect(await oc.fn('TWS_MakeCall', { tokenGuid: t, szDevice: '4694', szTo: '4594' })).toBe(-250);
    } finally {
      await other.stop();
    }
  });

  it('T09: hold and retrieve', async () => {
    await established();
    expect(await c.fn('TWS_HoldCallActive', { tokenGuid: T, szDevice: '4694' })).toBe(0);
    const h = await feed.waitFor(isState('held'));
    expect(tag(h, 'm_ccoState')).toBe('held');
    expect(await c.fn('TWS_HoldCallActive', { tokenGuid: T, szDevice: '4694' })).toBe(-27);
    expect((await c.json('toolkit', 'TWS_RetrieveCallHeldByDefaultDevice', { tokenGuid: T })).body).toEqual({ TWS_RetrieveCallHeldbyDefaultDeviceResult: 0 });
    const n = feed.frames.length;
    await feed.waitFor(isState('retrieved'), 3000, n - 1);
    await feed.waitFor(isState('established'), 3000, n);
    expect(await c.fn('TWS_RetrieveCallHeld', { tokenGuid: T, szDevice: '4694' })).toBe(-3);
    expect(await c.fn('TWS_HoldCall', { tokenGuid: T, szCall: 'c999', szDevice: '4694' })).toBe(-3);
    expect(await c.fn('TWS_HoldCall', { tokenGuid: T, szCall: 'c1', szDevice: '4694' })).toBe(0);
  });

  it('T10: consultation, alternate, conference', async () => {
    await c.post('/devices/4594/answer').catch(() => undefined);
    expect(await c.fn('TWS_MakeCall', { tokenGuid: T, szFrom: '4694', szTo: '4594' })).toBe(0);
    await c.post('/devices/4594/answer');
    await feed.waitFor(isState('established'));
    expect(await c.fn('TWS_ConsultationCallActive', { tokenGuid: T, szDevice: '4694', szFrom: '4694', szTo: '3000' })).toBe(0);
    await feed.waitFor((f) => state(f) === 'held' && tag(f, 'm_connectionId') === 'c1');
    await feed.waitFor((f) => state(f) === 'delivered' && tag(f, 'm_connectionId') === 'c2');
    await c.post('/devices/3000/answer');
    const e2 = await feed.waitFor((f) => state(f) === 'established' && tag(f, 'm_connectionId') === 'c2');
    expect(tag(e2, 'm_ccoId')).toBe('2');
    expect(tag(e2, 'm_ccoType')).toBe('consultation');
    expect(tag(e2, 'Swaphold')).toBe('true');
    expect(await c.fn('TWS_ConsultationCallActive', { tokenGuid: T, szDevice: '4694' })).toBe(-250);
    const n = feed.frames.length;
    expect(await c.fn('TWS_AlternateCallActiveByDefaultDevice', { tokenGuid: T })).toBe(0);
    await feed.waitFor((f) => state(f) === 'held' && tag(f, 'm_connectionId') === 'c2', 3000, n);
    await feed.waitFor((f) => state(f) === 'established' && tag(f, 'm_connectionId') === 'c1', 3000, n);
    expect(await c.fn('TWS_ConferenceCallActiveByDefaultDevice', { tokenGuid: T })).toBe(0);
    // The merged-away CCo goes conferenced/free, the surviving one conferenced/active with both parties.
    await feed.waitFor((f) => state(f) === 'conferenced' && tag(f, 'm_ccoState') === 'free', 3000, n);
    const conf = await feed.waitFor((f) => state(f) === 'conferenced' && tag(f, 'm_ccoType') === 'conference', 3000, n);
    expect(tag(conf, 'm_ccoState')).toBe('active');
    expect(tags(tag(conf, 'm_Users') as string, 'm_publicUserNumber').sort()).toEqual(['3000', '4594']);
    expect(await c.fn('TWS_AlternateCallActive', { tokenGuid: T, szDevice: '4694' })).toBe(-29);
    const isbn = await httpCall(`${c.http}${paths.toolkit}/Isbn/TWS_ConsultationCallActive?tokenGuid=${T}&szDevice=4694`);
    expect(JSON.parse(isbn.text)).toEqual({ TWS_ConsultationCallActiveResult: -250 });
  });

  it('T11: blind transfer and divert', async () => {
    await established();
    expect(await c.fn('TWS_SingleStepTransActive', { tokenGuid: T, szFrom: '4694', szTo: '3000' })).toBe(0);
    await feed.waitFor(isState('transferred'));
    await feed.waitFor(isState('cleared'));
    await c.post('/reset');
    ({ token: T, feed } = await session(c));
    await c.post('/calls', { from: '0141906666', to: '4694' });
    await feed.waitFor(isState('delivered'));
    expect(await c.fn('TWS_DivertCall', { tokenGuid: T, szCall: 'c7', szDevice: '4694', szTo: '3000' })).toBe(-3);
    expect(await c.fn('TWS_DivertCallQueuedByDefaultDevice', { tokenGuid: T, szTo: '3000' })).toBe(0);
    await feed.waitFor(isState('diverted'));
    await feed.waitFor(isState('cleared'));
    await established();
    expect(await c.fn('TWS_DivertCallQueuedByDefaultDevice', { tokenGuid: T, szTo: '3000' })).toBe(-29);
  });

  it('DivertCallFromQueue: queue visibility, the waiting call, unknown queue and call', async () => {
    const sup = await c.token('super', 'pw0000');
    const placed = await c.post('/calls', { from: '0612345678', to: '6000', fromName: 'Sophie Lefebvre' });
    const id = placed.json.id as string;
    expect(await c.fn('TWS_DivertCallFromQueue', { tokenGuid: T, szCall: id, szDevice: '6000', szTo: '4694' })).toBe(-25);
    expect(await c.fn('TWS_DivertCallFromQueue', { tokenGuid: sup, szCall: id, szDevice: '7777', szTo: '4694' })).toBe(-4);
    expect(await c.fn('TWS_DivertCallFromQueue', { tokenGuid: sup, szCall: 'c99', szDevice: '6000', szTo: '4694' })).toBe(-3);
    expect((await c.json('toolkit', 'TWS_DivertCallFromQueue', { tokenGuid: sup, szCall: id, szDevice: '6000', szTo: '4694' })).body).toEqual({ TWS_DivertCallFromQueueResult: 0 });
    const d = await feed.waitFor(isState('delivered'));
    expect(tag(tag(d, 'm_Users') as string, 'm_UserInfoDisplay')).toBe('Sophie Lefebvre');
  });

  it('T12: clear connection', async () => {
    await established();
    expect(await c.fn('TWS_ClearConnection', { tokenGuid: T, szCall: 'c1', szDevice: '4694' })).toBe(0);
    await feed.waitFor(isState('cleared'));
    expect(await c.fn('TWS_ClearConnection', { tokenGuid: T, szCall: 'c1', szDevice: '4694' })).toBe(-3);
    expect(await c.fn('TWS_ClearConnectionActiveByDefaultDevice', { tokenGuid: T })).toBe(-3);
  });
});

describe('T13–T16 features', () => {
  it('T13: forwarding on, query, off', async () => {
    expect((await c.json('toolkit', 'TWS_SetForwardOn', { tokenGuid: T, userGuid: hpiapleGuid, szTo: '4001', intType: '0' })).body).toEqual({ TWS_SetForwardOnResult: 0 });
    expect(await c.fn('TWS_SetForwardOn', { tokenGuid: T, userGuid: hpiapleGuid, szTo: '4002', intType: '2' })).toBe(0);
    const x = await c.xml('toolkit', 'TWS_QueryDeviceForwardInfoByDevice', { tokenGuid: T, szDevice: '4694' });
    expect(x.text).toContain('<a:Busy>4002</a:Busy><a:BusyExt/><a:BusyInt/><a:Imm>4001</a:Imm><a:ImmExt/><a:ImmInt/><a:IsSoftPhone>false</a:IsSoftPhone><a:IsUpdated>true</a:IsUpdated><a:NoAns/><a:NoAnsExt/><a:NoAnsInt/><a:PersonnalNumber/>');
    expect(await c.fn('TWS_SetForwardOn', { tokenGuid: T, userGuid: hpiapleGuid, szTo: '4001', intType: '1' })).toBe(-251);
    expect(await c.fn('TWS_SetForwardOff', { tokenGuid: T, userGuid: hpiapleGuid, intType: '1' })).toBe(0);
    expect((await c.fn('TWS_QueryDeviceForwardInfo', { tokenGuid: T, userGuid: hpiapleGuid })) as Record<string, unknown>).toMatchObject({ Imm: '', Busy: '4002' });
    expect((await c.json('toolkit', 'TWS_SetForwardOn', { tokenGuid: T, userGuid: hpiapleGuid, szTo: '4001', intType: 'abc' })).status).toBe(400);
    expect(await c.fn('TWS_SetForwardOffByDefaultDevice', { tokenGuid: T, intType: '3' })).toBe(0);
  });

  it('T14: call-data cache, no token, 4-hour TTL', async () => {
    const key = 'b0b40e79-b51a-4528-8d3c-0794cec8eabd';
    expect((await c.json('toolkit', 'TWS_SetCallData', { key, data: 'Order 42', add: 'false' })).body).toEqual({ TWS_SetCallDataResult: 0 });
    expect(await c.fn('TWS_SetCallData', { key, data: ';vip', add: 'true' })).toBe(0);
    expect((await c.json('toolkit', 'TWS_GetCallData', { key })).body).toEqual({ TWS_GetCallDataResult: 'Order 42;vip' });
    expect(await c.fn('TWS_ChangeKeyCallData', { oldkey: key, newkey: 'k2' })).toBe(0);
    expect(await c.fn('TWS_GetCallData', { key })).toBeNull();
    expect(await c.fn('TWS_ChangeKeyCallData', { oldkey: 'nosuch', newkey: 'k3' })).toBe(-29);
    const clock = new FakeClock(Date.now());
    const other = await startLab({ vendors: ['tws'], portBase: 0, clock });
    try {
      const oc = new TwsClient(other);
      expect(await oc.fn('TWS_SetCallData', { key: 'k2', data: 'x', add: 'false' })).toBe(0);
      clock.advance(4 * 3600_000 - 1000);
      expect(await oc.fn('TWS_GetCallData', { key: 'k2' })).toBe('x');
      clock.advance(61_000);
      expect(await oc.fn('TWS_GetCallData', { key: 'k2' })).toBeNull();
    } finally {
      await other.stop();
    }
  });

  it('T15: park and unpark with the 402 facility', async () => {
    await established();
    expect((await c.json('toolkit', 'TWS_ParkCallActiveByDefaultDevice', { tokenGuid: T, szTo: '5000' })).body).toEqual({ TWS_ParkCallActiveByDefaultDeviceResult: 0 });
    const n = feed.frames.length;
    const h = await feed.waitFor(isState('held'), 3000, n - 2);
    expect(tag(h, 'm_eventReason')).toBe('Park');
    await feed.waitFor(isState('cleared'));
    expect(await c.fn('TWS_SendFacility', { tokenGuid: T, szPrefix: '999', szTo: '5000' })).toBe(-5);
    const m = feed.frames.length;
    expect((await c.json('toolkit', 'TWS_SendFacility', { tokenGuid: T, szPrefix: '402', szTo: '5000', szArg: '5000' })).body).toEqual({ TWS_SendFacilityResult: 0 });
    await feed.waitFor(isState('established'), 3000, m);
    expect(await c.fn('TWS_SendFacility', { tokenGuid: T, szPrefix: '402', szTo: '5000' })).toBe(-3);
  });

  it('T16: agent cycle', async () => {
    const login = { tokenGuid: T, szDevice: '4694', agentDevice: '4694', agentID: '1000', agentGroup: '1100', password: 'x' };
    expect((await c.json('toolkit', 'TWS_AgentLogin', login)).body).toEqual({ TWS_AgentLoginResult: 0 });
    const on = await feed.waitFor(isState('LoggedOn'));
    expect(on).toContain('<eventType>CGenericAgentEvent</eventType>');
    expect(on).toContain('<AgentDevice i:nil="true"/><AgentGroup>1100</AgentGroup><AgentID>1000</AgentID><AgentState>LoggedOn</AgentState><Cause i:nil="true"/>');
    expect(tag(on, 'objectName')).toBe('1000');
    await feed.waitFor(isState('Ready'));
    expect(await c.fn('TWS_SetAgentState', { tokenGuid: T, agentId: '1000', state: '3' })).toBe(0);
    await feed.waitFor(isState('NotReady'));
    const n = feed.frames.length;
    expect((await c.json('toolkit', 'TWS_QueryAgentStateByDefaultDevice', { tokenGuid: T })).body).toEqual({ TWS_QueryAgentStateByDefaultDeviceResult: 3 });
    await feed.waitFor(isState('NotReady'), 3000, n);
    expect(await c.fn('TWS_SetAgentState', { tokenGuid: T, agentId: '1000', state: '1' })).toBe(-251);
    expect(await c.fn('TWS_SetAgentState', { tokenGuid: T, agentId: '1000', state: '5' })).toBe(0);
    expect(await c.fn('TWS_QueryAgentState', { tokenGuid: T, szDevice: '4694' })).toBe(5);
    expect(await c.fn('TWS_SetAgentState', { tokenGuid: T, agentId: '1000', state: '4' })).toBe(0);
    expect(await c.fn('TWS_AgentLogin', login)).toBe(-27);
    expect(await c.fn('TWS_AgentLogout', { tokenGuid: T, szDevice: '4694', agentID: '1000', password: 'x' })).toBe(0);
    await feed.waitFor(isState('LoggedOff'));
    expect(await c.fn('TWS_AgentLogin', { ...login, password: 'bad' })).toBe(-25);
    expect(await c.fn('TWS_SetAgentState', { tokenGuid: T, agentId: '1000', state: '4' })).toBe(-29);
    const other = await startLab({ vendors: ['tws'], portBase: 0, config: { tws: { pbxType: 'other' } } });
    try {
      const oc = new TwsClient(other);
      const t = await oc.token();
      expect(await oc.fn('TWS_AgentLogin', { ...login, tokenGuid: t })).toBe(-100);
    } finally {
      await other.stop();
    }
  });
});

describe('T19 malformed requests', () => {
  it('404, -44, -250, 400, any parameter casing, a JSON POST body', async () => {
    expect((await c.json('toolkit', 'TWS_DoesNotExist', { tokenGuid: T })).status).toBe(404);
    expect((await c.json('toolkit', 'TWS_GetMyToken', { tokenGuid: T })).status).toBe(404);
    expect(await c.fn('TWS_HoldCallActive', { szDevice: '4694' })).toBe(-44);
    expect(await c.fn('TWS_HoldCallActive', { tokenGuid: T })).toBe(-250);
    expect((await c.json('toolkit', 'TWS_SetAgentState', { tokenGuid: T, agentId: '1000', state: 'ready' })).status).toBe(400);
    expect(await c.fn('TWS_HoldCallActive', { TOKENGUID: T, SZDEVICE: '4694' })).toBe(-3);
    const lower = await httpCall(`${c.http}/tws/tws_toolkitwebsvc/tws_toolkitwebsvc.svc/json/tws_holdcallactive?${qs({ tokenGuid: T, szDevice: '4694' })}`);
    expect(JSON.parse(lower.text)).toEqual({ TWS_HoldCallActiveResult: -3 });
    const post = await httpCall(`${c.http}${paths.toolkit}/Json/TWS_MakeCallByDefaultDevice`, { method: 'POST', body: JSON.stringify({ tokenGuid: T, szTo: '4594' }), headers: { 'Content-Type': 'application/json' } });
    expect(JSON.parse(post.text)).toEqual({ TWS_MakeCallByDefaultDeviceResult: 0 });
    await c.post('/devices/4694/hangup');
    const form = await httpCall(`${c.http}${paths.toolkit}/Xml/TWS_NormalizeNumber?tokenGuid=${T}`, { method: 'POST', body: 'szTo=12', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.text).toBe('<TWS_NormalizeNumberResponse xmlns="http://tempuri.org/"><TWS_NormalizeNumberResult>12</TWS_NormalizeNumberResult></TWS_NormalizeNumberResponse>');
  });

  it('faithful format mode: /Ison/ and /Isbn/ answer 404', async () => {
    const other = await startLab({ vendors: ['tws'], portBase: 0, config: { tws: { lenientFormat: false } } });
    try {
      const oc = new TwsClient(other);
      const t = await oc.token();
      expect((await httpCall(`${oc.http}${paths.toolkit}/Ison/TWS_AnswerCallQueued?tokenGuid=${t}&szDevice=4694`)).status).toBe(404);
      expect((await httpCall(`${oc.http}${paths.toolkit}/Isbn/TWS_ConsultationCallActive?tokenGuid=${t}&szDevice=4694`)).status).toBe(404);
    } finally {
      await other.stop();
    }
    const lenient = await httpCall(`${c.http}${paths.toolkit}/Ison/TWS_AnswerCallQueued?tokenGuid=${T}&szDevice=4694`);
    expect(JSON.parse(lenient.text)).toEqual({ TWS_AnswerCallQueuedResult: -3 });
  });
});

describe('T21–T24', () => {
  it('T21: directory and numbering', async () => {
    const s = await httpCall(`${c.http}${paths.user}/XML/TWS_SearchPeople?${qs({ guidToken: T, search: 'franc' })}`);
    expect(tag(s.text, 'Count')).toBe('1');
    expect(tags(s.text, 'CContact')).toHaveLength(1);
    expect(tag(s.text, 'Firstname')).toBe('Françoise');
    const n = await c.xml('user', 'TWS_SearchPeople', { guidToken: T, search: '0141906666' });
    expect(tag(n.text, 'Lastname')).toBe('Martin');
    expect((await c.json('toolkit', 'TWS_NormalizeNumber', { tokenGuid: T, szTo: 'fsqfqqq 4001 qsfqsf' })).body).toEqual({ TWS_NormalizeNumberResult: '4001' });
    expect(await c.fn('TWS_NormalizeNumber', { tokenGuid: T, szTo: '01 41 90 66 66' })).toBe('00141906666');
    expect((await c.json('toolkit', 'TWS_NormalizeNumber', { tokenGuid: 'bad', szTo: '4001' })).body).toEqual({ TWS_NormalizeNumberResult: null });
    const me = (await c.json('user', 'TWS_GetMyUser', { guidToken: T })).result as Record<string, unknown>;
    expect(me).toMatchObject({ Firstname: 'Hector', Lastname: 'Piaple', IsUser: true });
    expect((await c.json('user', 'TWS_GetMyUser', { guidToken: 'bad' })).body).toEqual({ TWS_GetMyUserResult: null });
    expect((await c.json('user', 'TWS_GetMyProfile', { guidToken: T })).result).toMatchObject({ User: { Firstname: 'Hector' } });
  });

  it('T22: GetDevicesState without a token', async () => {
    const r = await c.xml('toolkit', 'TWS_GetDevicesState', { domainGuid: domain, protocol: 'CSTA', firstnumber: '4594', lastnumber: '4694' });
    const infos = tags(r.text, 'CDeviceInfos');
    expect(infos).toHaveLength(2);
    expect(infos.map((i) => `${tag(i, 'Device')}:${tag(i, 'State')}:${tag(i, 'Type')}`)).toEqual(['4594:Disconnected:cti', '4694:Connected:cti']);
    expect(tag(infos[0] as string, 'vmNumber')).toBe('9999');
    const sip = await c.xml('toolkit', 'TWS_GetDevicesState', { domainGuid: domain, protocol: 'SIP', firstnumber: '4594', lastnumber: '4694' });
    expect(tags(sip.text, 'CDeviceInfos')).toHaveLength(0);
    expect((await c.json('toolkit', 'TWS_GetDevicesState', { domainGuid: domain, protocol: 'CSTA', firstnumber: 'a', lastnumber: '1' })).status).toBe(400);
  });

  it('T23: call history, newest first, by type and by person', async () => {
    await established();
    await c.post('/devices/4694/hangup');
    await feed.waitFor(isState('cleared'));
    await c.post('/calls', { from: '0612345678', to: '4694' });
    await feed.waitFor((f) => state(f) === 'delivered' && tag(f, 'm_connectionId') === 'c2');
    await c.post('/devices/0612345678/hangup');
    await feed.waitFor((f) => state(f) === 'cleared' && tag(f, 'm_connectionId') === 'c2');
    const r = await httpCall(`${c.http}${paths.social}/XML/GetMyDocumentsByTypeWithAcls?userGuid=${hpiapleGuid}&personGuid=&page=1&length=2&search=3`);
    const docs = tags(r.text, 'CDocument');
    expect(docs).toHaveLength(2);
    expect(tag(docs[0] as string, 'Phone')).toBe('0612345678');
    expect(tag(docs[1] as string, 'Phone')).toBe('0141906666');
    expect(tag(docs[0] as string, 'ActionType')).toBe('CALL');
    expect(tag(docs[0] as string, 'Device')).toBe('4694');
    for (const f of ['TimeStart', 'TimeStart1', 'TimeEnd']) expect(tag(docs[1] as string, f)).toMatch(/^\d{4}-\d\d-\d\dT/);
    const missed = await c.json('social', 'GetMyDocumentsByTypeWithAcls', { userGuid: hpiapleGuid, personGuid: '', page: '1', length: '10', search: '1003' });
    expect(missed.result).toHaveLength(1);
    expect((await c.json('social', 'GetMyDocumentsByTypeWithAcls', { userGuid: hpiapleGuid, page: '99', length: '2', search: '3' })).result).toEqual([]);
    const person = await c.json('social', 'GetPersonDocumentsByTypeWithAcls', { userGuid: hpiapleGuid, personGuid: '58d83796-28d1-43ad-b1e3-ac88a5ee0b86', page: '1', length: '10', search: '1000' });
    expect(person.result).toHaveLength(1);
    expect((await c.json('social', 'GetMyDocumentsByTypeWithAcls', { userGuid: 'nobody', page: '1', length: '2', search: '3' })).result).toEqual([]);
  });

  it('T24: stop and reset monitoring', async () => {
    expect((await c.json('toolkit', 'TWS_WebStopMonitor', { tokenGuid: T, szApp: 'TWS-TLK', szDevice: '4694' })).body).toEqual({ TWS_WebStopMonitorResult: 0 });
    await c.post('/calls', { from: '0141906666', to: '4694' });
    await new Promise((r) => setTimeout(r, 150));
    expect(feed.frames.filter((f) => tag(f, 'eventType') === 'CallEvent')).toHaveLength(0);
    expect(await c.fn('TWS_QueryCCosByDevice', { tokenGuid: T, szDevice: '4694' })).toBeNull();
    expect(await c.monitor(T, '4694')).toBe(0);
    expect(await c.fn('TWS_QueryCCosByDevice', { tokenGuid: T, szDevice: '4694' })).toHaveLength(1);
    expect((await c.json('toolkit', 'TWS_WebResetDeviceMonitor', { tokenGuid: T, szDevice: '4694' })).body).toEqual({ TWS_WebResetDeviceMonitorResult: 0 });
    const ev = await feed.waitFor((f) => tag(f, 'eventType') === 'CallEvent');
    expect(state(ev)).toBe('delivered');
    expect((await c.json('toolkit', 'TWS_WebResetDeviceMonitor', { tokenGuid: T, szDevice: '4594' })).status).toBe(500);
    expect(await c.fn('TWS_WebResetDeviceMonitor', { tokenGuid: 'xxx-xxxxx-xxx', szDevice: '2000' })).toBe(-4);
  });
});
