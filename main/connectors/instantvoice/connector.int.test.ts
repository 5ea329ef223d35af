// The InstantVoice connector against a real private RabbitMQ (STOMP) and a small fake ACD that
// answers /queue/config with hand-written JSON (test/fake-acd.ts): agent states, click-to-dial,
// inbound calls, hangup, blind transfer, timeouts and codes, refused login, bad keys, garbage and
// oversize bodies, a cut and a half-open connection (through a TCP relay) → lost → start → resynced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtiError } from '../../../shared/commands.js';
import type { CtiEvent } from '../../../shared/events.js';
import { Profile, type ProfileInput, type ProfileSecret } from '../../../shared/profile.js';
import type { Connector } from '../../core/connector.js';
import { silentLogger } from '../../core/log.js';
import { brokerAvailable, startPrivateBroker, type PrivateBroker } from '../../simulator/instantvoice/broker.js';
import { createInstantVoiceConnector, type InstantVoiceConnectorOptions } from './connector.js';
import { CuttableProxy } from '../cuttable-proxy.js';
import { FakeAcd } from './test/fake-acd.js';

const KEY = 'f054bbd2f5ebab9';
const available = brokerAvailable();
if (!available) console.warn('instantvoice connector.int.test: skipped, rabbitmq-server is not installed');

function recorder() {
  const events: CtiEvent[] = [];
  const lost: CtiError[] = [];
  let wake: (() => void) | null = null;
  const listeners = {
    event: (e: CtiEvent) => { events.push(e); wake?.(); },
    lost: (e: CtiError) => { lost.push(e); wake?.(); },
  };
  async function until<T>(pick: () => T | undefined, timeoutMs = 5000, what = 'an event'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = pick();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, 50); });
    }
  }
  const from = (i: number) => ({
    event: <T extends CtiEvent>(pred: (e: CtiEvent) => e is T, timeoutMs?: number) =>
      until(() => events.slice(i).find(pred) as T | undefined, timeoutMs),
  });
  return { events, lost, listeners, until, mark: () => from(events.length) };
}

describe.skipIf(!available)('InstantVoice connector over a private broker', () => {
  let broker: PrivateBroker;
  let acd: FakeAcd;
  const connectors: Connector[] = [];
  const proxies: CuttableProxy[] = [];

  beforeAll(async () => {
    broker = await startPrivateBroker({ user: 'instantvoice', password: 'sT0MpM3' });
    acd = await FakeAcd.start({ host: broker.host, port: broker.stompPort, login: 'instantvoice', passcode: 'sT0MpM3' });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(connectors.map((c) => c.stop()));
    await Promise.all(proxies.map((p) => p.close()));
    await acd?.close().catch(() => undefined);
    await broker?.stop();
  }, 60_000);

  function make(over: { connection?: Record<string, unknown>; profile?: Partial<ProfileInput>; secret?: Partial<ProfileSecret>; port?: number; options?: InstantVoiceConnectorOptions } = {}) {
    const profile = Profile.parse({
      id: 'iv-test', name: 'IV test', device: '0001', agentId: '1001', commandTimeoutMs: 1500,
      ...over.profile,
      connection: {
        vendor: 'instantvoice', host: broker.host, port: over.port ?? broker.stompPort, heartbeatMs: 1000,
        pauseReasons: [{ id: '1', label: 'Lunch' }, { id: '2', label: 'Break' }],
        ...over.connection,
      },
    });
    const secret: ProfileSecret = { password: 'sT0MpM3', apiKey: KEY, ...over.secret };
    const c = createInstantVoiceConnector({ profile, secret, log: silentLogger() }, over.options);
    const rec = recorder();
    c.setListeners(rec.listeners);
    connectors.push(c);
    return { c, rec };
  }

  async function proxy(): Promise<CuttableProxy> {
    const p = new CuttableProxy({ host: broker.host, port: broker.stompPort });
    await p.listen();
    proxies.push(p);
    return p;
  }

  it('starts (subscribes, verifies the key with AgentInfo) and snapshots the agent', async () => {
    const { c } = make();
    expect([...c.capabilities].sort()).toEqual(['clear', 'makeCall', 'setAgentState', 'snapshot', 'transfer']);
    expect(c.extraCapabilities).toEqual([]);
    const before = acd.requests.length;
    await c.start();
    const verify = acd.requests.slice(before).find((r) => r.method === 'AgentInfo');
    expect(verify).toMatchObject({ key: KEY, args: { accountcode: 'default', user: '1001' } });
    expect(verify?.id).toMatch(/^ad-/);
    const snap = await c.snapshot();
    expect(snap.agent).toMatchObject({ state: 'loggedOff', agentId: '1001', reasons: ['Lunch', 'Break'], permitted: ['ready'] });
    expect(snap.calls).toEqual([]);
    await expect(c.execute({ kind: 'answer', callId: 'x' })).rejects.toMatchObject({ code: 'unsupported' });
    await c.stop();
  });

  it('logs in, pauses with the reason number, unpauses and logs off; the state follows the events', async () => {
    const { c, rec } = make();
    await c.start();
    let m = rec.mark();
    await c.execute({ kind: 'setAgentState', state: 'ready' });
    expect((await acd.waitFor('AgentLogin')).args).toEqual({ Accountcode: 'default', User: 'default_1001', Interface: 'SIP/default_0001' });
    await m.event((e): e is Extract<CtiEvent, { type: 'agent' }> => e.type === 'agent' && e.agent.state === 'ready');

    m = rec.mark();
    await c.execute({ kind: 'setAgentState', state: 'notReady', reason: 'Lunch' });
    expect((await acd.waitFor('AgentPause')).args).toMatchObject({ Reason: '1', User: 'default_1001' });
    const paused = await m.event((e): e is Extract<CtiEvent, { type: 'agent' }> => e.type === 'agent' && e.agent.state === 'notReady');
    expect(paused.agent.reason).toBe('Lunch');
    await expect(c.execute({ kind: 'setAgentState', state: 'notReady', reason: 'Nap' })).rejects.toMatchObject({ code: 'invalid' });

    m = rec.mark();
    await c.execute({ kind: 'setAgentState', state: 'ready' });
    await acd.waitFor('AgentUnpause');
    await m.event((e): e is Extract<CtiEvent, { type: 'agent' }> => e.type === 'agent' && e.agent.state === 'ready');
    expect(acd.requests.filter((r) => r.method === 'AgentLogin')).toHaveLength(1);

    m = rec.mark();
    await c.execute({ kind: 'setAgentState', state: 'loggedOff' });
    await m.event((e): e is Extract<CtiEvent, { type: 'agent' }> => e.type === 'agent' && e.agent.state === 'loggedOff');
    // A second logoff: code 5 from the ACD, with the codes.ts message and the code name.
    const err = await c.execute({ kind: 'setAgentState', state: 'loggedOff' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CtiError);
    expect(err).toMatchObject({ code: 'notPermitted', vendorCode: 'RESPONSE_INVALID', message: expect.stringMatching(/AgentLogoff: The request does not make sense/) });
    await c.stop();
  });

  it('click-to-dial: NewCall, NEWCALL/CONNECT (agent leg, still dialing), DNEWCALL ringing, DCONNECT connected, Hangup, HANGUP ended', async () => {
    const { c, rec } = make();
    await c.start();
    acd.handlers.set('NewCall', (r) => `[0,"Successful NewCall","${r.id}"]`);
    acd.handlers.set('Hangup', (r, a) => {
      setImmediate(() => a.event('1001', `{"direction":"","callerid":"6100","type":"HANGUP","uniqueid":"${String(r.args.Uniqueid)}","agent":"default_1001","reason":"BYCALLER"}`));
      return `[0,"Successful Hangup","${r.id}"]`;
    });
    await c.execute({ kind: 'makeCall', to: '61 00' });
    const nc = await acd.waitFor('NewCall');
    expect(nc.args).toMatchObject({ Accountcode: 'default', Agent: 'default_1001', Exten: '6100' });
    expect(String(nc.args.External_id)).toMatch(/^[0-9]+$/);
    expect(rec.events.some((e) => e.type === 'call')).toBe(false); // a reply is not the change

    const call = (state: string) => rec.until(() => {
      const e = rec.events.filter((x) => x.type === 'call').at(-1);
      return e?.type === 'call' && e.call.state === state ? e.call : undefined;
    }, 5000, state);
    acd.event('1001', '{"direction":"OUTBOUND","callerid":"6100","type":"NEWCALL","uniqueid":"1282779516.1.6","agent":"default_1001"}');
    const dialing = await call('dialing');
    expect(dialing).toMatchObject({ id: 'iv-1282779516.1.6', direction: 'outbound', remote: { number: '6100' }, allowed: ['clear'], ref: { vendor: 'instantvoice', callId: '1282779516.1.6' } });
    acd.event('1001', '{"direction":"","callerid":"6100","type":"CONNECT","uniqueid":"1282779516.1.6","agent":"default_1001"}');
    acd.event('1001', '{"direction":"","callerid":"6100","type":"DNEWCALL","uniqueid":"1282779516.1.6","agent":"default_1001"}');
    const ringing = await call('ringing');
    expect(ringing.seq).toBeGreaterThan(dialing.seq);
    expect(rec.events.filter((e) => e.type === 'call' && e.call.state === 'connected')).toHaveLength(0);
    acd.event('1001', '{"direction":"","callerid":"6100","type":"DCONNECT","uniqueid":"1282779516.1.6","agent":"default_1001"}');
    const connected = await call('connected');
    expect(connected.allowed).toEqual(['clear', 'transfer']);
    expect(connected.id).toBe(dialing.id);

    await c.execute({ kind: 'clear', callId: connected.id });
    expect((await acd.waitFor('Hangup')).args).toEqual({ Accountcode: 'default', Uniqueid: '1282779516.1.6' });
    const ended = await rec.until(() => rec.events.find((e) => e.type === 'callEnded'));
    expect(ended).toMatchObject({ callId: connected.id, cause: 'BYCALLER' });
    // Late and duplicated events never bring it back.
    const n = rec.events.length;
    acd.event('1001', '{"direction":"","callerid":"6100","type":"DCONNECT","uniqueid":"1282779516.1.6","agent":"default_1001"}');
    acd.event('1001', '{"type":"TALKING","agent":"default_1001"}'); // unknown type: ignored
    await c.snapshot(); // a round trip: the events above have been delivered by now
    expect(rec.events.slice(n).filter((e) => e.type === 'call' || e.type === 'callEnded' || e.type === 'notice')).toEqual([]);
    await c.stop();
  });

  it('inbound call, blind transfer (one call only), unknown uniqueid, codes, reply timeout', async () => {
    const { c, rec } = make();
    await c.start();
    acd.event('1001', '{"direction":"INBOUND","callerid":"2198765456","type":"NEWCALL","uniqueid":"1282781304.2.5","agent":"default_1001"}');
    const alerting = await rec.until(() => { const e = rec.events.find((x) => x.type === 'call'); return e?.type === 'call' ? e.call : undefined; });
    expect(alerting).toMatchObject({ state: 'alerting', direction: 'inbound', remote: { number: '2198765456' }, allowed: ['clear'] });
    acd.event('1001', '{"direction":"","callerid":"2198765456","type":"CONNECT","uniqueid":"1282781304.2.5","agent":"default_1001"}');
    await rec.until(() => rec.events.find((e) => e.type === 'call' && e.call.state === 'connected'));

    await expect(c.execute({ kind: 'transfer', callId: alerting.id })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/blind only/) });
    acd.event('1001', '{"direction":"INBOUND","callerid":"555","type":"NEWCALL","uniqueid":"1282781304.2.9","agent":"default_1001"}');
    await rec.until(() => rec.events.find((e) => e.type === 'call' && e.call.ref.callId === '1282781304.2.9'));
    await expect(c.execute({ kind: 'transfer', callId: alerting.id, to: '6100' })).rejects.toMatchObject({ code: 'notPermitted', message: expect.stringMatching(/all the agent's calls/) });
    acd.event('1001', '{"direction":"","callerid":"555","type":"HANGUP","uniqueid":"1282781304.2.9","agent":"default_1001","reason":"QUEUEMISSED"}');
    await rec.until(() => rec.events.find((e) => e.type === 'callEnded' && e.cause === 'QUEUEMISSED'));

    acd.handlers.set('BlindTransfer', (r, a) => {
      setImmediate(() => a.event('1001', '{"direction":"","callerid":"2198765456","type":"HANGUP","uniqueid":"1282781304.2.5","agent":"default_1001","reason":"BTRANSFER"}'));
      return `[0,"Successful BlindTransfer","${r.id}"]`;
    });
    await c.execute({ kind: 'transfer', callId: alerting.id, to: '6100' });
    expect((await acd.waitFor('BlindTransfer')).args).toEqual({ Accountcode: 'default', Agent: 'default_1001', Exten: '6100' });
    await rec.until(() => rec.events.find((e) => e.type === 'callEnded' && e.cause === 'BTRANSFER'));

    await expect(c.execute({ kind: 'clear', callId: 'iv-nope' })).rejects.toMatchObject({ code: 'noCall' });
    acd.handlers.set('NewCall', (r) => `[12,"No license","${r.id}"]`);
    await expect(c.execute({ kind: 'makeCall', to: '6100' })).rejects.toMatchObject({ code: 'limit', vendorCode: 'RESPONSE_NO_LICENSE' });
    acd.handlers.set('NewCall', (r) => `[1000,"","${r.id}"]`);
    await expect(c.execute({ kind: 'makeCall', to: '6100' })).rejects.toMatchObject({ code: 'linkDown', message: expect.stringMatching(/IVACD is currently disabled/) });
    acd.handlers.set('NewCall', () => null);
    const t0 = Date.now();
    await expect(c.execute({ kind: 'makeCall', to: '6100' })).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    await c.stop();
  });

  it('refused broker login → authFailed naming the user, one attempt only', async () => {
    const p = await proxy();
    const { c } = make({ port: p.port, secret: { password: 'wrong' } });
    const err = await c.start().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'authFailed', message: expect.stringMatching(/"instantvoice"/) });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(p.connections).toBe(1);
  });

  it('a missing, refused or limited key, and an unknown agent', async () => {
    await expect(make({ secret: { apiKey: undefined } }).c.start()).rejects.toMatchObject({ code: 'authFailed', message: expect.stringMatching(/access key/) });
    await expect(make({ secret: { apiKey: 'badkey99' } }).c.start()).rejects.toMatchObject({ code: 'authFailed', message: expect.stringMatching(/the access key is refused/) });
    await expect(make({ secret: { apiKey: 'limited1' } }).c.start()).rejects.toMatchObject({ code: 'notPermitted', message: expect.stringMatching(/may not call AgentInfo/) });
    await expect(make({ profile: { agentId: '4242' } }).c.start()).rejects.toMatchObject({ code: 'invalid', message: 'InstantVoice: agent 4242 does not exist in account default' });
  });

  it('garbage and oversize bodies on every subscription → warning notices, dropped; the session goes on', async () => {
    const { c, rec } = make({ connection: { role: 'supervisor' }, options: { maxBodyBytes: 4096 } });
    await c.start();
    acd.event('1001', '{"type": NEWCALL');
    acd.send(`/topic/${KEY}`, '[0,"x"');
    acd.event('1002', '[1,2,3]');
    acd.event('1001', `{"type":"NEWCALL","agent":"default_1001","callerid":"${'9'.repeat(8000)}"}`);
    await rec.until(() => (rec.events.filter((e) => e.type === 'notice').length >= 4 ? true : undefined));
    expect(rec.events.filter((e) => e.type === 'notice').every((e) => e.type === 'notice' && e.level === 'warning')).toBe(true);
    expect(rec.lost).toEqual([]);
    expect((await c.snapshot()).agent).toBeTruthy();
    await c.stop();
  });

  it('supervisor: roster from AgentList + AgentInfo, live colleague events from iv.agents.#', async () => {
    const { c, rec } = make({ connection: { role: 'supervisor' } });
    expect(c.extraCapabilities).toEqual(['team']);
    await c.start();
    const snap = await c.snapshot();
    expect(snap.colleagues?.map((x) => [x.number, x.agentState, x.name])).toEqual([['1001', 'loggedOff', 'Agent 1001'], ['1002', 'ready', 'Agent 1002']]);
    acd.event('1002', '{"direction":"INBOUND","callerid":"2198765456","type":"NEWCALL","uniqueid":"9.9.9","agent":"default_1002"}');
    const col = await rec.until(() => { const e = rec.events.find((x) => x.type === 'colleague'); return e?.type === 'colleague' ? e.colleague : undefined; });
    expect(col).toMatchObject({ number: '1002', state: 'ringing', direction: 'inbound', remote: { number: '2198765456' } });
    // The supervisor's own calls still come only from its own topic (no double images).
    expect(rec.events.filter((e) => e.type === 'call')).toEqual([]);
    await c.stop();
    expect(make({ connection: { role: 'admin' } }).c.extraCapabilities).toEqual(['team', 'admin']);
  });

  it('a cut connection → lost(unreachable); start again → resubscribed, and the snapshot resyncs', async () => {
    const p = await proxy();
    const { c, rec } = make({ port: p.port });
    await c.start();
    acd.event('1001', '{"direction":"INBOUND","callerid":"111","type":"NEWCALL","uniqueid":"5.5.1","agent":"default_1001"}');
    const first = await rec.until(() => { const e = rec.events.find((x) => x.type === 'call'); return e?.type === 'call' ? e.call : undefined; });
    p.cut();
    const lost = await rec.until(() => rec.lost[0]);
    expect(lost).toMatchObject({ code: 'unreachable' });
    await expect(c.execute({ kind: 'snapshot' })).rejects.toMatchObject({ code: 'notConnected' });
    // While we were away: 5.5.1 ended, 5.5.2 is on the line.
    acd.lineCall = '5.5.2';
    await c.stop();
    await c.start();
    const snap = await c.snapshot();
    expect(snap.calls.map((x) => [x.ref.callId, x.state, x.remote.number])).toEqual([['5.5.2', 'connected', '']]);
    expect(snap.calls.some((x) => x.id === first.id)).toBe(false);
    acd.lineCall = '';
    const m = rec.mark();
    acd.event('1001', '{"direction":"","callerid":"","type":"HANGUP","uniqueid":"5.5.2","agent":"default_1001"}');
    await m.event((e): e is Extract<CtiEvent, { type: 'callEnded' }> => e.type === 'callEnded' && e.callId === 'iv-5.5.2');
    expect(p.connections).toBe(2);
    await c.stop();
  });

  it('a half-open connection (frozen relay) is found by the heart-beats → lost', async () => {
    const p = await proxy();
    const { c, rec } = make({ port: p.port, connection: { heartbeatMs: 300 } });
    await c.start();
    p.frozen = true;
    const t0 = Date.now();
    const lost = await rec.until(() => rec.lost[0], 8000, 'lost');
    expect(lost.code).toBe('unreachable');
    expect(Date.now() - t0).toBeLessThan(5000);
    p.frozen = false;
    await c.stop();
    await c.start();
    expect((await c.keepAlive()).missedEvents).toBe(0);
    // keepAlive: the ACD now says paused, the events said nothing → missed events + the snapshot.
    acd.status = 'PAUSED';
    acd.reason = 'Lunch';
    const ka = await c.keepAlive();
    expect(ka.missedEvents).toBe(1);
    expect(ka.snapshot?.agent).toMatchObject({ state: 'notReady', reason: 'Lunch' });
    acd.status = 'LOGOFF';
    acd.reason = '';
    await c.stop();
    await c.stop();
  });
});
