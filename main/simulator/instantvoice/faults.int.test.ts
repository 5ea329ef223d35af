// InstantVoice faults through the control API, with the lab attached to a broker it did not start
// (startLab's instantvoice.stomp, as `sim --stomp HOST:PORT`): stall, ACD restart, garbage and oversize
// events, /clients/drop, /sessions/{device}/close, /reset, and broker/drop refused for an external broker.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab.js';
import { brokerAvailable, startPrivateBroker, type PrivateBroker } from './broker.js';
import { defaultGarbageEvent } from './faults.js';
import { IvTestClient } from './test-client.js';

const K = 'f054bbd2f5ebab9';
const available = brokerAvailable();
const login = { Accountcode: 'default', User: 'default_1001', Interface: 'SIP/default_0001' };

describe.skipIf(!available)('InstantVoice faults (lab on an external broker)', () => {
  let broker: PrivateBroker;
  let lab: Lab;
  let desk: IvTestClient;
  let controlBase = '';
  const control = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(`${controlBase}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const soap = (method: string, inner: string) => {
    const { host, port } = lab.instantvoice!.ivws;
    return fetch(`http://${host}:${port}/`, {
      method: 'POST',
      body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ivws="Ivws.Ivws"><soapenv:Body><ivws:${method}>${inner}</ivws:${method}></soapenv:Body></soapenv:Envelope>`,
    }).then((r) => r.text());
  };

  beforeAll(async () => {
    const t0 = Date.now();
    broker = await startPrivateBroker({ user: 'labuser', password: 'labpass', vhost: 'ivlab' });
    lab = await startLab({ vendors: ['instantvoice'], portBase: 0, instantvoice: { stomp: { host: broker.host, port: broker.stompPort, user: 'labuser', password: 'labpass', vhost: 'ivlab' } } });
    console.log(`external RabbitMQ + lab up in ${Date.now() - t0} ms`);
    controlBase = `http://${lab.control.host}:${lab.control.port}`;
    desk = await new IvTestClient(lab.instantvoice!.broker).connect(`/topic/${K}`, '/topic/iv.agents.default_1001');
  }, 90_000);

  afterAll(async () => {
    await desk?.close();
    await lab?.stop();
    await broker?.stop();
  }, 60_000);

  beforeEach(async () => {
    await control('POST', '/reset');
  });

  it('attaches to the given broker (vhost, credentials) and reports it as external', async () => {
    expect(lab.instantvoice!.broker).toMatchObject({ host: broker.host, port: broker.stompPort, user: 'labuser', vhost: 'ivlab', external: true });
    expect(lab.endpoints).toEqual(expect.arrayContaining([
      { vendor: 'instantvoice', transport: 'stomp', host: broker.host, port: broker.stompPort },
      { vendor: 'instantvoice', transport: 'soap', host: '127.0.0.1', port: lab.instantvoice!.ivws.port },
    ]));
    expect((await desk.call('AgentList', K, { accountcode: 'default' }))[0]).toBe(0);
    const drop = await control('POST', '/instantvoice/broker/drop', {});
    expect(drop.status).toBe(409);
    expect(String(drop.json.error)).toMatch(/external broker/);
    expect((await control('GET', '/instantvoice')).json).toMatchObject({ down: false, stalled: false, broker: { external: true, connected: true } });
  });

  it('stall then answer: requests held during the stall are answered afterwards, in order (STOMP and SOAP)', async () => {
    expect((await control('POST', '/instantvoice/acd/stall', { ms: 600 })).json).toEqual({ stalledMs: 600, then: 'answer' });
    const t0 = Date.now();
    const pending = Promise.all([desk.call('AgentList', K, { accountcode: 'default' }, 's1'), desk.call('QueueList', K, { accountcode: 'default' }, 's2')]);
    const viaSoap = soap('AgentList', `<ivws:key>${K}</ivws:key><ivws:accountcode>default</ivws:accountcode>`);
    const [a, b] = await pending;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect([a[0], a[2], b[0], b[2]]).toEqual([0, 's1', 0, 's2']);
    expect(await viaSoap).toContain('<AgentListResult type="tns:integerArray">');
  });

  it('stall then drop: held requests get no reply (logged as dropped); later ones are answered', async () => {
    await control('POST', '/instantvoice/acd/stall', { ms: 300, then: 'drop' });
    const log = lab.instantvoice!.acd.log;
    const lm = log.length;
    const m = desk.mark;
    desk.send(JSON.stringify(['AgentList', K, { accountcode: 'default' }, 'gone']));
    const d = await log.next((e) => e.kind === 'dropped', lm, 3000);
    expect(d.reason).toBe('dropped after a stall');
    expect((await desk.call('AgentList', K, { accountcode: 'default' }, 'after'))[0]).toBe(0);
    expect(desk.received.slice(m).some((r) => (r.json as unknown[])?.[2] === 'gone')).toBe(false);
  });

  it('ACD restart: its connection drops and comes back; state and PBX calls are kept, requests queued meanwhile answered', async () => {
    await desk.call('AgentLogin', K, login);
    const m = desk.mark;
    await control('POST', '/calls', { from: '2198765456', to: '0001' });
    await desk.event('default_1001', 'NEWCALL', m);
    const connects = lab.instantvoice!.acd.connects;
    const restarting = control('POST', '/instantvoice/acd/restart', {});
    desk.send(JSON.stringify(['AgentInfo', K, { accountcode: 'default', user: '1001' }, 'during']));
    expect((await restarting).json).toEqual({ restarted: true, connected: true });
    expect(lab.instantvoice!.acd.connects).toBe(connects + 1);
    const info = await desk.next((r) => (r.json as unknown[])?.[2] === 'during', m);
    expect((info.json as [number, Record<string, unknown>])[1]).toMatchObject({ agentstatus: 'ONCALL' });
    await control('POST', '/devices/0001/answer');
    await desk.event('default_1001', 'CONNECT', m);
    await control('POST', '/devices/2198765456/hangup');
    expect(await desk.event('default_1001', 'HANGUP', m)).toMatchObject({ reason: 'BYCALLER' });
  });

  it('garbage and 2 MiB oversize bodies on an agent topic reach its subscribers as published', async () => {
    const m = desk.mark;
    expect((await control('POST', '/instantvoice/agents/default_1001/garbage', {})).json).toMatchObject({ published: '/topic/iv.agents.default_1001' });
    const g = await desk.next((r) => r.messageDestination === '/topic/iv.agents.default_1001', m);
    expect(g.body).toBe(defaultGarbageEvent);
    const o = await control('POST', '/instantvoice/agents/default_1001/oversize', {});
    expect(o.json.bytes).toBe(2 * 1024 * 1024);
    const big = await desk.next((r) => r.body.length > 1024 * 1024, m, 10_000);
    expect(big.body.length).toBe(2 * 1024 * 1024);
    expect((await control('POST', '/instantvoice/agents/nobody/garbage', {})).status).toBe(400);
  });

  it('/sessions/{device}/close logs the agent on that phone off; /clients/drop closes IVWS keep-alive sockets; /reset restores the fixture', async () => {
    await desk.call('AgentLogin', K, login);
    const m = desk.mark;
    expect((await control('POST', '/sessions/0001/close')).status).toBe(200);
    await desk.event('default_1001', 'LOGOUT', m);
    expect((await control('POST', '/clients/drop')).status).toBe(200);
    await desk.call('AgentAdd', K, { accountcode: 'default', user: '4000' });
    await control('POST', '/reset');
    expect((await desk.call('AgentInfo', K, { accountcode: 'default', user: '4000' }))[0]).toBe(3);
  });

  it('queue injection errors: unknown queue 404, bad body 400', async () => {
    expect((await control('POST', '/instantvoice/queues/999/calls', { from: '2198765456' })).status).toBe(404);
    expect((await control('POST', '/instantvoice/queues/1/calls', { from: 'abc' })).status).toBe(400);
  });
});
