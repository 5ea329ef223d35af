// InstantVoice conformance (digest 004 §8, T01–T20) against the lab: a private RabbitMQ, the ACD as its STOMP
// client, desktops as further STOMP clients. Plus every literal STOMP request of the guide sent as written.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualExamples } from '../../connectors/instantvoice/manual-examples.js';
import { startLab, type Lab } from '../lab.js';
import { brokerAvailable } from './broker.js';
import { IvTestClient } from './test-client.js';

const K = 'f054bbd2f5ebab9';
const L = 'lim1234';
const available = brokerAvailable();
if (!available) console.warn('instantvoice conformance: skipped, rabbitmq-server is not installed');

const login = { Accountcode: 'default', User: 'default_1001', Interface: 'SIP/default_0001' };
const uniqueidFormat = /^\d+\.\d+\.\d+$/;

describe.skipIf(!available)('InstantVoice lab conformance (T01–T20)', () => {
  let lab: Lab;
  let desk: IvTestClient;
  const clients: IvTestClient[] = [];
  let controlBase = '';

  const control = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${controlBase}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
    return { status: res.status, json: await res.json() };
  };
  const client = async (...destinations: string[]) => {
    const c = new IvTestClient(lab.instantvoice!.broker);
    clients.push(c);
    return c.connect(...destinations);
  };
  const soap = async (method: string, inner: string) => {
    const { host, port } = lab.instantvoice!.ivws;
    const body = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ivws="Ivws.Ivws"><soapenv:Header/><soapenv:Body><ivws:${method}>${inner}</ivws:${method}></soapenv:Body></soapenv:Envelope>`;
    const res = await fetch(`http://${host}:${port}/`, { method: 'POST', body, headers: { 'content-type': 'text/xml', SOAPAction: `"${method}"` } });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    const t0 = Date.now();
    lab = await startLab({ vendors: ['instantvoice'], portBase: 0 });
    console.log(`instantvoice lab (private RabbitMQ) up in ${Date.now() - t0} ms`);
    controlBase = `http://${lab.control.host}:${lab.control.port}`;
    desk = await client(`/topic/${K}`, `/topic/${L}`, '/topic/badkey99', '/topic/iv.agents.default_1001');
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) await c.close();
    await lab?.stop();
  }, 60_000);

  beforeEach(async () => {
    expect((await control('POST', '/reset')).status).toBe(200);
  });

  it('T01 connects with the guide credentials; a wrong passcode gets an ERROR and no reconnect storm', async () => {
    expect(desk.transport.connected).toBe(true);
    const bad = new IvTestClient(lab.instantvoice!.broker, { passcode: 'wrong', maxAttempts: 1 });
    await expect(bad.connect()).rejects.toThrow(/refused|unreachable/);
    expect(bad.transport.attempts).toBe(1);
    await bad.close();
  });

  it('T02 AgentLogin: reply then LOGIN, and AgentInfo shows the agent IDLE on its interface', async () => {
    const m = desk.mark;
    expect(await desk.call('AgentLogin', K, login, 't02')).toEqual([0, 'Successful AgentLogin', 't02']);
    expect(await desk.event('default_1001', 'LOGIN', m)).toEqual({ direction: '', callerid: '', type: 'LOGIN', uniqueid: '', agent: 'default_1001' });
    const info = (await desk.call('AgentInfo', K, { accountcode: 'default', user: '1001' }, 't02b')) as [number, Record<string, unknown>, string];
    expect(info[0]).toBe(0);
    expect(info[1]).toMatchObject({ agentstatus: 'IDLE', interface: 'SIP/default_0001', user: 'default_1001', accountcode: 'default' });
    expect(info[2]).toBe('t02b');
  });

  it('T03 pause with reason 1 (Lunch) and unpause; an undefined reason is 3 with no event', async () => {
    await desk.call('AgentLogin', K, login);
    const m = desk.mark;
    expect((await desk.call('AgentPause', K, { Accountcode: 'default', User: 'default_1001', Reason: '1' }, 't03a'))[0]).toBe(0);
    expect(await desk.event('default_1001', 'PAUSE', m)).toMatchObject({ direction: 'Lunch', callerid: '', uniqueid: '' });
    expect((await desk.call('AgentUnpause', K, { Accountcode: 'default', User: 'default_1001' }, 't03b'))[0]).toBe(0);
    await desk.event('default_1001', 'UNPAUSE', m);
    const m2 = desk.mark;
    expect(await desk.call('AgentPause', K, { Accountcode: 'default', User: 'default_1001', Reason: '99' }, 't03c')).toMatchObject([3, expect.any(String), 't03c']);
    // The next event on the topic is the one the following request causes, not a PAUSE.
    await desk.call('AgentLogoff', K, { Accountcode: 'default', User: 'default_1001' });
    await desk.event('default_1001', 'LOGOUT', m2);
    expect(desk.events('default_1001', m2).map((e) => e.type)).toEqual(['LOGOUT']);
  });

  it('T04/T05 NewCall: NEWCALL < CONNECT < DNEWCALL < DCONNECT on one uniqueid, then Hangup by uniqueid', async () => {
    const m0 = desk.mark;
    await desk.call('AgentLogin', K, login);
    await desk.event('default_1001', 'LOGIN', m0); // the event follows the reply: mark after it
    const m = desk.mark;
    expect((await desk.call('NewCall', K, { Accountcode: 'default', Agent: 'default_1001', Exten: '6100', External_id: '9999' }, 't04'))[0]).toBe(0);
    const ring = await desk.event('default_1001', 'NEWCALL', m);
    expect(ring).toMatchObject({ direction: 'OUTBOUND', callerid: '6100' });
    expect(ring.uniqueid).toMatch(uniqueidFormat);
    expect((await control('POST', '/devices/0001/answer')).status).toBe(200); // the agent's phone answers
    await desk.event('default_1001', 'DCONNECT', m); // 6100 answers by itself
    const evs = desk.events('default_1001', m);
    expect(evs.map((e) => e.type)).toEqual(['NEWCALL', 'CONNECT', 'DNEWCALL', 'DCONNECT']);
    expect(new Set(evs.map((e) => e.uniqueid))).toEqual(new Set([ring.uniqueid]));
    const lines = (await desk.call('AgentLineList', K, { accountcode: 'default', user: '1001' })) as [number, Array<Record<string, unknown>>];
    expect(lines[1][0]).toMatchObject({ linestatus: 'ONCALL', uniqueid: ring.uniqueid });
    expect((await desk.call('Hangup', K, { Accountcode: 'default', Uniqueid: ring.uniqueid }, 't05'))[0]).toBe(0);
    expect(await desk.event('default_1001', 'HANGUP', m)).toEqual({ direction: '', callerid: '6100', type: 'HANGUP', uniqueid: ring.uniqueid, agent: 'default_1001', reason: 'BYCALLER' });
    expect(lab.pbx.allCalls()).toHaveLength(0);
  });

  it('T06 inbound queue call: NEWCALL INBOUND with the caller id, CONNECT on answer, HANGUP BYCALLER', async () => {
    await desk.call('AgentLogin', K, login);
    const m = desk.mark;
    const injected = await control('POST', '/instantvoice/queues/1/calls', { from: '2198765456' });
    expect(injected.status).toBe(201);
    const uid = (injected.json as { uniqueid: string }).uniqueid;
    expect(await desk.event('default_1001', 'NEWCALL', m)).toEqual({ direction: 'INBOUND', callerid: '2198765456', type: 'NEWCALL', uniqueid: uid, agent: 'default_1001' });
    await control('POST', '/devices/0001/answer');
    expect(await desk.event('default_1001', 'CONNECT', m)).toMatchObject({ uniqueid: uid, callerid: '2198765456' });
    const info = (await desk.call('AgentInfo', K, { accountcode: 'default', user: '1001' })) as [number, Record<string, unknown>];
    expect(info[1].agentstatus).toBe('ONCALL');
    await control('POST', '/devices/2198765456/hangup');
    expect(await desk.event('default_1001', 'HANGUP', m)).toEqual({ direction: '', callerid: '2198765456', type: 'HANGUP', uniqueid: uid, agent: 'default_1001', reason: 'BYCALLER' });
  });

  it('T06 variant: not answered within dialtimeout → HANGUP QUEUEMISSED, the call is offered again', async () => {
    expect((await desk.call('QueueModify', K, { original_accountcode: 'default', original_name: '1', dialtimeout: '1' }))[0]).toBe(0);
    await desk.call('AgentLogin', K, login);
    const m = desk.mark;
    const uid = ((await control('POST', '/instantvoice/queues/1/calls', { from: '2198765456' })).json as { uniqueid: string }).uniqueid;
    await desk.event('default_1001', 'NEWCALL', m);
    expect(await desk.event('default_1001', 'HANGUP', m, 4000)).toMatchObject({ uniqueid: uid, reason: 'QUEUEMISSED' });
    const again = desk.mark;
    expect(await desk.event('default_1001', 'NEWCALL', again, 4000)).toMatchObject({ uniqueid: uid, direction: 'INBOUND' });
    expect((await desk.call('Hangup', K, { Accountcode: 'default', Uniqueid: uid }))[0]).toBe(0);
  });

  it('queue: waits while no agent is free (QueueInfo len), is offered on unpause; events only for logged-in agents', async () => {
    await desk.call('AgentLogin', K, login);
    await desk.call('AgentPause', K, { Accountcode: 'default', User: 'default_1001', Reason: '2' });
    const m = desk.mark;
    await control('POST', '/instantvoice/queues/1/calls', { from: '2198765456' });
    const q = (await desk.call('QueueInfo', K, { accountcode: 'default', name: '1' })) as [number, Record<string, unknown>];
    expect(q[1]).toMatchObject({ len: 1, agents_total: 2, agents_loggedin: 1, agents_paused: 1, name: 'default_1' });
    await desk.call('AgentUnpause', K, { Accountcode: 'default', User: 'default_1001' });
    expect(await desk.event('default_1001', 'NEWCALL', m)).toMatchObject({ direction: 'INBOUND', callerid: '2198765456' });
    // A direct call to a phone whose agent is logged off produces nothing.
    await control('POST', '/calls', { from: '0612345678', to: '0002' });
    const q2 = (await desk.call('QueueInfo', K, { accountcode: 'default', name: '1' })) as [number, Record<string, unknown>];
    expect(q2[1]).toMatchObject({ len: 0, agents_oncall: 1 });
  });

  it('pause while on a call is pending: PENDING_PAUSE, PAUSE once the call ends', async () => {
    await desk.call('AgentLogin', K, login);
    const m = desk.mark;
    await control('POST', '/calls', { from: '2198765456', to: '0001' });
    await desk.event('default_1001', 'NEWCALL', m);
    await control('POST', '/devices/0001/answer');
    await desk.event('default_1001', 'CONNECT', m);
    expect((await desk.call('AgentPause', K, { Accountcode: 'default', User: 'default_1001', Reason: '1' }))[0]).toBe(0);
    const info = (await desk.call('AgentInfo', K, { accountcode: 'default', user: '1001' })) as [number, Record<string, unknown>];
    expect(info[1]).toMatchObject({ agentstatus: 'PENDING_PAUSE', reasons_reason: 'Lunch' });
    await control('POST', '/devices/0001/hangup');
    expect(await desk.event('default_1001', 'HANGUP', m)).toMatchObject({ reason: 'BYCALLEE' });
    expect(await desk.event('default_1001', 'PAUSE', m)).toMatchObject({ direction: 'Lunch' });
  });

  it('agent-dialled call from the phone: NEWCALL OUTBOUND with the dialled number, CONNECT, HANGUP', async () => {
    await desk.call('AgentLogin', K, login);
    const m = desk.mark;
    lab.pbx.makeCall('0001', '6100');
    expect(await desk.event('default_1001', 'NEWCALL', m)).toMatchObject({ direction: 'OUTBOUND', callerid: '6100' });
    await desk.event('default_1001', 'CONNECT', m);
    await control('POST', '/devices/6100/hangup');
    expect(await desk.event('default_1001', 'HANGUP', m)).toMatchObject({ callerid: '6100', reason: 'BYCALLEE' });
  });

  it('T07 BlindTransfer moves the call (HANGUP BTRANSFER); with no call it is 8', async () => {
    await desk.call('AgentLogin', K, login);
    const m = desk.mark;
    await control('POST', '/instantvoice/queues/1/calls', { from: '2198765456' });
    await desk.event('default_1001', 'NEWCALL', m);
    await control('POST', '/devices/0001/answer');
    await desk.event('default_1001', 'CONNECT', m);
    expect((await desk.call('BlindTransfer', K, { Accountcode: 'default', Agent: 'default_1001', Exten: '6100' }, 't07'))[0]).toBe(0);
    expect(await desk.event('default_1001', 'HANGUP', m)).toMatchObject({ reason: 'BTRANSFER', callerid: '2198765456' });
    // The caller now talks to 6100.
    expect(lab.pbx.allCalls().some((c) => c.legs.some((l) => l.number === '6100' && l.state !== 'cleared'))).toBe(true);
    expect((await desk.call('BlindTransfer', K, { Accountcode: 'default', Agent: 'default_1001', Exten: '6100' }, 't07b'))[0]).toBe(8);
  });

  it('T08 errors on call control: unknown uniqueid 3, missing Interface 1', async () => {
    expect(await desk.call('Hangup', K, { Accountcode: 'default', Uniqueid: '1.2.3' }, 't08a')).toMatchObject([3, expect.any(String), 't08a']);
    expect(await desk.call('AgentLogin', K, { Accountcode: 'default', User: 'default_1001' }, 't08b')).toMatchObject([1, expect.any(String), 't08b']);
  });

  it('T09 queue create, duplicate, info with defaults, modify (rename), list, delete', async () => {
    const add = { name: 7015, sl_answeredbefore_1: 56, announce: 'SynthR - Oceanus.mp3', accountcode: 'default', musiconhold: 'default' };
    expect(await desk.call('QueueAdd', K, add, 't09a')).toEqual([0, 'Successful QueueAdd', 't09a']);
    expect((await desk.call('QueueAdd', K, add, 't09b'))[0]).toBe(4);
    const info = (await desk.call('QueueInfo', K, { accountcode: 'default', name: '7015' }, 't09c')) as [number, Record<string, unknown>];
    expect(info[1]).toMatchObject({ sl_answeredbefore_1: 56, sl_answeredbefore_2: 60, sl_answeredbefore_3: 60, joinempty: 'yes', requiresendinfo: 'yes', dialtimeout: 10, timeout: 0, maxlen: 0, wrapuptime: 0, quarantinetime: 0, agents_loggedin: 0, name: 'default_7015' });
    expect((await desk.call('QueueModify', K, { original_name: 7015, original_accountcode: 'default', name: 8015, sl_answeredbefore_1: 30, announce: 'Welcome.mp3', accountcode: 'default' }, 't09d'))[0]).toBe(0);
    const list = (await desk.call('QueueList', K, { accountcode: 'default' }, 't09e')) as [number, string[]];
    expect(list[1]).toContain('8015');
    expect(list[1]).not.toContain('7015');
    expect((await desk.call('QueueDelete', K, { name: 8015, accountcode: 'default' }, 't09f'))[0]).toBe(0);
    expect((await desk.call('QueueInfo', K, { accountcode: 'default', name: '8015' }, 't09g'))[0]).toBe(3);
    expect((await desk.call('QueueAdd', K, { ...add, name: 7016, sl_answeredbefore_1: 300 }))[0]).toBe(5);
    expect((await desk.call('QueueAdd', K, { accountcode: 'default' }))[0]).toBe(1);
  });

  it('T10 agent create, list (numbers), info, modify, delete', async () => {
    expect((await desk.call('AgentAdd', K, { accountcode: 'default', user: '1000', pass: '1234', name: 'Foo Agent' }, 't10a'))[0]).toBe(0);
    const list = (await desk.call('AgentList', K, { accountcode: 'default' }, 't10b')) as [number, number[]];
    expect(list[1]).toEqual(expect.arrayContaining([1000, 1001, 1002]));
    const info = (await desk.call('AgentInfo', K, { accountcode: 'default', user: '1000' }, 't10c')) as [number, Record<string, unknown>];
    expect(info[1]).toMatchObject({ accountcode: 'default', name: 'Foo Agent', user: 'default_1000', pass: '1234', agentstatus: 'LOGOFF', interface: 'n/a', extension: 'n/a', disabled: 0, logints: 0, agentstatusts: 0, reasons_reason: '' });
    expect(typeof info[1].id).toBe('number');
    expect((await desk.call('AgentModify', K, { original_accountcode: 'default', original_user: '1000', pass: '4321' }, 't10d'))[0]).toBe(0);
    expect((await desk.call('AgentDelete', K, { accountcode: 'default', user: '1000' }, 't10e'))[0]).toBe(0);
    expect((await desk.call('AgentInfo', K, { accountcode: 'default', user: '1000' }, 't10f'))[0]).toBe(3);
    expect((await desk.call('AgentAdd', K, { accountcode: 'nosuch', user: '1000' }))[0]).toBe(3);
    expect((await desk.call('AgentAdd', K, { accountcode: 'default', user: 'abc' }))[0]).toBe(5);
  });

  it('T11 agent lines', async () => {
    expect((await desk.call('AgentLineAdd', K, { accountcode: 'default', user: '1001', lines: [{ linenumber: '2', inbound: '0', outbound: '1' }] }))[0]).toBe(0);
    const list = (await desk.call('AgentLineList', K, { accountcode: 'default', user: '1001' })) as [number, Array<Record<string, unknown>>];
    expect(list[1]).toEqual([expect.objectContaining({ linenumber: 1, linestatus: 'IDLE', uniqueid: '' }), expect.objectContaining({ linenumber: 2, inbound: 0, outbound: 1 })]);
    expect((await desk.call('AgentLineModify', K, { original_accountcode: 'default', original_user: '1001', original_linenumber: '2', inbound: '1', outbound: '0' }))[0]).toBe(0);
    expect((await desk.call('AgentLineDelete', K, { accountcode: 'default', user: '1001', linenumber: '2' }))[0]).toBe(0);
    expect((await desk.call('AgentLineDelete', K, { accountcode: 'default', user: '1001', linenumber: '1' }))[0]).toBe(10);
  });

  it('T12 queue membership', async () => {
    expect((await desk.call('AgentQueueAdd', K, { accountcode: 'default', user: '1001', queues: [{ name: '5', priority: '0' }] }))[0]).toBe(0);
    expect(await desk.call('AgentQueueList', K, { accountcode: 'default', user: '1001' }, 'l')).toEqual([0, [{ name: 1, priority: 0 }, { name: 5, priority: 0 }], 'l']);
    expect(await desk.call('AgentQueueMembers', K, { accountcode: 'default', name: '5' }, 'm')).toEqual([0, [{ priority: '0', user: '1001' }, { priority: '0', user: '0001' }], 'm']);
    expect((await desk.call('AgentQueueModify', K, { original_accountcode: 'default', original_user: '1001', original_name: '5', priority: '10' }))[0]).toBe(0);
    expect((await desk.call('AgentQueueDelete', K, { accountcode: 'default', user: '1001', name: '5' }))[0]).toBe(0);
    expect((await desk.call('AgentQueueDelete', K, { accountcode: 'default', user: '1001', name: '1' }))[0]).toBe(10);
    expect((await desk.call('AgentQueueAdd', K, { accountcode: 'default', user: '1001', queues: [{ name: '777', priority: '0' }] }))[0]).toBe(3);
  });

  it('T13 agent permission group', async () => {
    const a = { accountcode: 'default', user: '1001' };
    expect(await desk.call('AgentAddPermission', K, { ...a, location: '123' }, 'p1')).toMatchObject([0, expect.any(String), 'p1']);
    expect(await desk.call('AgentInfoPermission', K, a, 'p2')).toEqual([0, '123', 'p2']);
    expect((await desk.call('AgentModifyPermission', K, { ...a, location: 'otherpermissiongroup' }, 'p3'))[0]).toBe(0);
    expect(await desk.call('AgentInfoPermission', K, a, 'p4')).toEqual([0, 'otherpermissiongroup', 'p4']);
    expect((await desk.call('AgentDeletePermission', K, a, 'p5'))[0]).toBe(0);
    expect((await desk.call('AgentAddPermission', K, { ...a, location: 'nosuchgroup' }, 'p6'))[0]).toBe(3);
  });

  it('T14 bad key 9 on its own topic, key without permission 10, limited key allowed its method', async () => {
    const m = desk.mark;
    expect(await desk.call('AgentList', 'badkey99', { accountcode: 'default' }, 'k1')).toMatchObject([9, expect.any(String), 'k1']);
    expect(desk.received.slice(m).filter((r) => r.destination === `/topic/${K}`)).toHaveLength(0);
    expect((await desk.call('QueueList', L, { accountcode: 'default' }, 'k2'))[0]).toBe(10);
    expect((await desk.call('AgentList', L, { accountcode: 'default' }, 'k3'))[0]).toBe(0);
    const long = 'a'.repeat(21);
    desk.subscribe(`/topic/${long}`);
    await desk.subscribed();
    expect((await desk.call('AgentList', long, { accountcode: 'default' }, 'k4'))[0]).toBe(9);
  });

  it('T15 identifier handling: none → 2 elements; concurrent ids each come back', async () => {
    const m = desk.mark;
    desk.send(JSON.stringify(['AgentList', K, { accountcode: 'default' }]));
    const r = await desk.next((x) => x.destination === `/topic/${K}`, m);
    expect((r.json as unknown[]).length).toBe(2);
    const [a, b] = await Promise.all([desk.call('AgentList', K, { accountcode: 'default' }, 'a'), desk.call('QueueList', K, { accountcode: 'default' }, 'b')]);
    expect(a[2]).toBe('a');
    expect(b[2]).toBe('b');
  });

  it('T16 wildcard subscription gets every agent; a single-agent subscriber only its own', async () => {
    const all = await client('/topic/iv.agents.#');
    const only1002 = await client('/topic/iv.agents.default_1002');
    await desk.call('AgentLogin', K, login);
    await desk.call('AgentLogin', K, { Accountcode: 'default', User: 'default_1002', Interface: 'SIP/default_0002' });
    const e1 = await all.next((x) => (x.json as { agent?: string })?.agent === 'default_1001');
    const e2 = await all.next((x) => (x.json as { agent?: string })?.agent === 'default_1002');
    expect(e1.messageDestination).toBe('/topic/iv.agents.default_1001');
    expect(e2.messageDestination).toBe('/topic/iv.agents.default_1002');
    await only1002.next((x) => (x.json as { type?: string })?.type === 'LOGIN');
    expect(only1002.received.every((x) => (x.json as { agent?: string }).agent === 'default_1002')).toBe(true);
  });

  it('T17 logoff: LOGOUT, AgentInfo LOGOFF, a second logoff is 5', async () => {
    await desk.call('AgentLogin', K, login);
    const m = desk.mark;
    expect((await desk.call('AgentLogoff', K, { Accountcode: 'default', User: 'default_1001' }, 't17'))[0]).toBe(0);
    await desk.event('default_1001', 'LOGOUT', m);
    const info = (await desk.call('AgentInfo', K, { accountcode: 'default', user: '1001' })) as [number, Record<string, unknown>];
    expect(info[1].agentstatus).toBe('LOGOFF');
    expect((await desk.call('AgentLogoff', K, { Accountcode: 'default', User: 'default_1001' }))[0]).toBe(5);
  });

  it('T18 SOAP parity: WSDL, AgentLogin 0 with the STOMP LOGIN event, QueueList integerArray, AgentInfoPermission', async () => {
    const { host, port } = lab.instantvoice!.ivws;
    const w = await fetch(`http://${host}:${port}/?wsdl`);
    expect(w.status).toBe(200);
    expect(await w.text()).toMatch(/targetNamespace="Ivws\.Ivws"/);
    const m = desk.mark;
    const r = await soap('AgentLogin', `<ivws:key>${K}</ivws:key><ivws:Accountcode>default</ivws:Accountcode><ivws:User>default_1001</ivws:User><ivws:Interface>SIP/default_0001</ivws:Interface>`);
    expect(r.text).toContain('<AgentLoginResponse><AgentLoginResult xsi:type="xs:integer">0</AgentLoginResult></AgentLoginResponse>');
    await desk.event('default_1001', 'LOGIN', m);
    const q = await soap('QueueList', `<ivws:key>${K}</ivws:key><ivws:accountcode>default</ivws:accountcode>`);
    expect(q.text).toContain('<QueueListResult type="tns:integerArray"><integer xsi:type="xs:integer">1</integer>');
    await desk.call('AgentAddPermission', K, { accountcode: 'default', user: '1001', location: '123' });
    const p = await soap('AgentInfoPermission', `<ivws:key>${K}</ivws:key><ivws:accountcode>default</ivws:accountcode><ivws:user>1001</ivws:user>`);
    expect(p.text).toContain('<AgentInfoPermissionResult><code xsi:type="xs:integer">0</code><location xsi:type="xs:string">123</location></AgentInfoPermissionResult>');
  });

  it('T19 SendSms and NewCallBack; a bad language is 5', async () => {
    expect((await desk.call('SendSms', K, { Accountcode: 'default', Number: '552188283288', Text: 'Hi there!' }, 's1'))[0]).toBe(0);
    const cb = { Accountcode: 'default', Ruleid: '1', Mcdu: '6100', Originator: '2177277722', Language: 'pt_BR', Location_id: '1', Queue_id: '1', Email: 'instant@instant.com.br' };
    expect((await desk.call('NewCallBack', K, cb, 's2'))[0]).toBe(0);
    expect((await desk.call('NewCallBack', K, { ...cb, Language: 'fr_FR' }, 's3'))[0]).toBe(5);
  });

  it('T20 ACD down (1000 / SOAP -1) and media server lost (HANGUP MSGONE for every call)', async () => {
    await control('POST', '/instantvoice/acd/down', {});
    expect((await desk.call('AgentList', K, { accountcode: 'default' }, 'd1'))[0]).toBe(1000);
    const s = await soap('AgentLogoff', `<ivws:key>${K}</ivws:key><ivws:Accountcode>default</ivws:Accountcode><ivws:User>default_1001</ivws:User>`);
    expect(s.text).toContain('<AgentLogoffResult xsi:type="xs:integer">-1</AgentLogoffResult>');
    await control('POST', '/instantvoice/acd/up', {});
    await desk.call('AgentLogin', K, login);
    const m = desk.mark;
    await control('POST', '/instantvoice/queues/1/calls', { from: '2198765456' });
    await desk.event('default_1001', 'NEWCALL', m);
    await control('POST', '/devices/0001/answer');
    await desk.event('default_1001', 'CONNECT', m);
    expect((await control('POST', '/instantvoice/mediaserver/lost', {})).json).toEqual({ hungUp: 1 });
    expect(await desk.event('default_1001', 'HANGUP', m)).toMatchObject({ reason: 'MSGONE', callerid: '2198765456' });
    expect(lab.pbx.allCalls()).toHaveLength(0);
  });

  it("every literal STOMP request of the guide, sent as written, gets a sensible reply (unparseable ones: none, logged as dropped)", async () => {
    const keys = ['f054bbd2f5ebab9', '1234', 'mykey'];
    const c = await client(...keys.map((k) => `/topic/${k}`));
    const requests = manualExamples.filter((e) => e.kind === 'request');
    expect(requests).toHaveLength(42);
    // The guide's invalid bodies (digest §7 #14): a missing comma, a broken quote, SipUserAdd/Modify's "" keys.
    const unparseable = new Set(['AgentQueueAdd', 'NewCallBack', 'SipUserAdd', 'SipUserModify']);
    const log = lab.instantvoice!.acd.log;
    const got: Record<string, number> = {};
    for (const ex of requests) {
      const m = c.mark;
      const lm = log.length;
      c.send(ex.text);
      if (unparseable.has(ex.section)) {
        const d = await log.next((e) => e.kind === 'dropped', lm);
        expect(d.reason).toMatch(/not a request/);
        continue;
      }
      const r = await c.next((x) => keys.some((k) => x.destination === `/topic/${k}`), m);
      const arr = r.json as unknown[];
      expect(Array.isArray(arr)).toBe(true);
      got[`${ex.section}@${ex.lines[0]}`] = arr[0] as number;
    }
    // Codes as the lab's fixture makes them (agents 1001/1002/0001, queues 1/5/7012/1000, SIP users 0001–0003/1111).
    expect(got).toEqual({
      'Identifier@320': 0, // AgentLogin default_1001
      'AgentAdd@374': 0, // 1000
      'AgentDelete@408': 0, // 1000
      'AgentModify@441': 3, // 1000 was just deleted
      'AgentList@472': 0,
      'AgentInfo@529': 3, // 1000
      'AgentLineAdd@598': 4, // agent 0001 already has line 1
      'AgentLineDelete@647': 3, // 0001 has no line 2 (its AgentLineAdd was refused as a whole)
      'AgentLineModify@686': 0,
      'AgentLineList@746': 0,
      'AgentQueueDelete@863': 3, // 0001 is a member of queue 5 only
      'AgentQueueModify@900': 3, // likewise
      'AgentQueueList@959': 0,
      'AgentQueueMembers@1028': 0,
      'AgentAddPermission@1078': 0,
      'AgentDeletePermission@1112': 0,
      'AgentModifyPermission@1147': 3, // its group was deleted just before
      'AgentInfoPermission@1200': 3,
      'AgentLogin@1239': 4, // already logged in by the Identifier example
      'AgentLogoff@1273': 0,
      'AgentPause@1308': 5, // logged off now
      'AgentUnpause@1342': 5,
      'BlindTransfer@1377': 5,
      'NewCall@1415': 5,
      'SendSms@1456': 0,
      'Hangup@1544': 1, // the guide's example is named "NewCall" (Agent/Exten missing)
      'QueueAdd@1604': 0, // 7015
      'QueueModify@1657': 0, // 7015 → 8015
      'QueueDelete@1694': 3, // 7015 is 8015 now
      'QueueList@1746': 0,
      'QueueInfo@1813': 0, // the guide's example is named "QueueList"
      'SipUserDelete@2101': 3, // 1010 was never created (its SipUserAdd example is not JSON)
      'SipUserList@2153': 0,
      'SipUserInfo@2248': 3,
      'SipUserAddPermission@2338': 0, // 1111
      'SipUserDeletePermission@2372': 0,
      'SipUserModifyPermission@2407': 3,
      'SipUserInfoPermission@2460': 3,
    });
  });

  // Last: it closes every connection of the broker, the shared desktop client's included.
  it('broker/drop closes every broker connection (rabbitmqctl close_all_connections); ACD and desktops reconnect', async () => {
    const acd = lab.instantvoice!.acd;
    const before = acd.connects;
    const r = await control('POST', '/instantvoice/broker/drop', {});
    expect(r.status).toBe(200);
    expect((r.json as { closed: number }).closed).toBeGreaterThanOrEqual(2);
    expect(acd.connects).toBe(before + 1);
    await desk.transport.whenConnected();
    await desk.subscribed();
    expect((await desk.call('AgentLogin', K, login, 'back'))[0]).toBe(0);
  }, 30_000);
});
