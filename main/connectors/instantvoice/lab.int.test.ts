// The InstantVoice connector under the session supervisor, against the lab PBX's InstantVoice ACD:
// both are STOMP clients of one private RabbitMQ (started once for the file), the calls run on the
// lab's PBX core, and the faults come through the control API. Skipped where RabbitMQ is absent.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Call, ViewState } from '../../../shared/model.js';
import { Profile, type ProfileSecret } from '../../../shared/profile.js';
import { silentLogger } from '../../core/log.js';
import type { SessionSupervisor } from '../../core/supervisor.js';
import { testDesk, type TestDesk } from '../../core/test-desk.js';
import { demoInstantVoiceProfile, demoSecret, DEMO_IV_PROFILE_ID } from '../../profiles/demo-profile.js';
import { brokerAvailable } from '../../simulator/instantvoice/broker.js';
import { callControl } from '../../simulator/lab-client.js';
import { startLab, type Lab } from '../../simulator/lab.js';
import { createInstantVoiceConnector } from './connector.js';
import { CuttableProxy } from '../cuttable-proxy.js';

type Desk = TestDesk;

let lab: Lab;
const desks: SessionSupervisor[] = [];

const control = (method: 'GET' | 'POST', path: string, body?: unknown) => callControl(() => lab, method, path, body);

async function desk(o: { connection?: Record<string, unknown>; profile?: Record<string, unknown>; secret?: Partial<ProfileSecret>; waitUp?: boolean } = {}): Promise<Desk> {
  const iv = lab.instantvoice;
  if (!iv) throw new Error('no InstantVoice ACD in the lab');
  const demo = demoInstantVoiceProfile({
    host: iv.broker.host,
    stompPort: iv.broker.port,
    brokerUser: iv.broker.user,
    brokerPassword: iv.broker.password,
    vhost: iv.broker.vhost,
    ivwsHost: iv.ivws.host,
    ivwsPort: iv.ivws.port,
  });
  const profile = Profile.parse({
    ...demo,
    keepAliveSec: 0.5,
    commandTimeoutMs: 2500,
    reconnect: { initialMs: 100, maxMs: 500 },
    ...o.profile,
    connection: { ...demo.connection, role: 'agent', heartbeatMs: 1000, ...o.connection },
  });
  const secret = { ...(demoSecret(DEMO_IV_PROFILE_ID) as ProfileSecret), password: iv.broker.password, ...o.secret };
  const connector = createInstantVoiceConnector({ profile, secret, log: silentLogger() });
  const desk = testDesk(profile, connector, 10_000);
  desks.push(desk.sup);
  desk.sup.start();
  if (o.waitUp !== false) await desk.sup.whenUp(10_000);
  return desk;
}

const live = (s: ViewState): Call[] => Object.values(s.calls).filter((c) => c.state !== 'cleared' && c.state !== 'failed');
const only = (s: ViewState): Call | undefined => (live(s).length === 1 ? live(s)[0] : undefined);
const up = (s: ViewState) => s.link.state === 'up';

async function readyAgent(d: Desk): Promise<void> {
  await d.sup.execute({ kind: 'setAgentState', state: 'ready' });
  await d.until((s) => s.agent?.state === 'ready', 'the agent ready');
}

async function loggedOff(d: Desk): Promise<void> {
  if (d.view.current.agent?.state === 'loggedOff') return;
  await d.sup.execute({ kind: 'setAgentState', state: 'loggedOff' });
  await d.until((s) => s.agent?.state === 'loggedOff', 'the agent logged off');
}

/** An inbound caller queued to queue 1, offered to agent 1001 on phone 0001, answered there. */
async function answeredQueueCall(d: Desk, from = '2198765456'): Promise<Call> {
  const r = await control('POST', '/instantvoice/queues/1/calls', { from });
  expect(r.status).toBe(201);
  const ringing = await d.until((s) => only(s)?.state === 'alerting', 'the queue call ringing');
  expect(only(ringing)?.remote.number).toBe(from);
  expect(only(ringing)?.allowed).toEqual(['clear']);
  expect((await control('POST', '/devices/0001/answer')).status).toBeLessThan(300);
  const connected = await d.until((s) => only(s)?.state === 'connected', 'the queue call connected');
  return only(connected) as Call;
}

describe.skipIf(!brokerAvailable())('InstantVoice connector against the lab ACD over RabbitMQ', () => {
  beforeAll(async () => {
    lab = await startLab({ vendors: ['instantvoice'], portBase: 0, demo: false, log: silentLogger() });
  }, 60_000);
  afterEach(async () => {
    for (const s of desks.splice(0)) await s.stop();
    await control('POST', '/instantvoice/acd/up');
    await control('POST', '/reset');
  });
  afterAll(async () => {
    await lab?.stop();
  }, 30_000);

  it('logs the agent in, pauses with a configured reason, unpauses and logs off; capabilities say what InstantVoice can do', async () => {
    const d = await desk();
    expect(d.view.current.capabilities).toEqual(expect.arrayContaining(['makeCall', 'clear', 'transfer', 'setAgentState']));
    for (const kind of ['answer', 'hold', 'retrieve', 'consult', 'conference', 'sendDtmf']) expect(d.view.current.capabilities).not.toContain(kind);
    await expect(d.sup.execute({ kind: 'hold', callId: 'x' })).rejects.toMatchObject({ code: 'unsupported' });
    await d.until((s) => s.agent?.state === 'loggedOff', 'the fixture agent logged off');
    expect(d.view.current.agent?.reasons).toEqual(['Lunch', 'Break']);
    await readyAgent(d);
    await d.sup.execute({ kind: 'setAgentState', state: 'notReady', reason: 'Lunch' });
    await d.until((s) => s.agent?.state === 'notReady' && s.agent.reason === 'Lunch', 'paused for lunch');
    await readyAgent(d);
    await loggedOff(d);
  });

  it('pops a queue call, answered on the phone, and transfers it blind to 6100', async () => {
    const d = await desk();
    await readyAgent(d);
    const call = await answeredQueueCall(d);
    expect(call.direction).toBe('inbound');
    expect(call.allowed).toEqual(expect.arrayContaining(['clear', 'transfer']));
    expect(call.allowed).not.toContain('hold');
    await expect(d.sup.execute({ kind: 'transfer', callId: call.id })).rejects.toMatchObject({ code: 'unsupported' });
    await d.sup.execute({ kind: 'transfer', callId: call.id, to: '6100' });
    await d.until((s) => live(s).length === 0, 'the call gone from the agent');
    const ended = d.events.find((e) => e.type === 'callEnded' && e.callId === call.id);
    expect(ended?.type === 'callEnded' ? ended.cause : undefined).toBe('BTRANSFER');
    await loggedOff(d);
  });

  it('dials through NewCall: the agent phone rings first, then the destination, then both talk; hang up by uniqueid', async () => {
    const d = await desk();
    await readyAgent(d);
    await d.sup.execute({ kind: 'makeCall', to: '6100' });
    const dialing = await d.until((s) => only(s)?.state === 'dialing', 'the agent leg ringing');
    expect(only(dialing)?.direction).toBe('outbound');
    expect(only(dialing)?.remote.number).toBe('6100');
    await control('POST', '/devices/0001/answer');
    // 6100 answers by itself in the lab (after half a second).
    const connected = await d.until((s) => only(s)?.state === 'connected', 'the destination answered');
    const call = only(connected) as Call;
    await d.sup.execute({ kind: 'clear', callId: call.id });
    await d.until((s) => live(s).length === 0, 'the call hung up');
    expect(((await control('GET', '/calls')).json as unknown[]).length).toBe(0);
    await loggedOff(d);
  });

  it('keeps the call through a dropped broker connection: link down, then up, resynced with no phantom and none missing', async () => {
    const d = await desk();
    await readyAgent(d);
    const call = await answeredQueueCall(d);
    const mark = d.events.length;
    const r = await control('POST', '/instantvoice/broker/drop');
    expect(r.status).toBeLessThan(300);
    await d.until((s) => s.link.state !== 'up' || d.events.slice(mark).some((e) => e.type === 'link' && e.link.state !== 'up'), 'the loss seen');
    const back = await d.until((s) => up(s) && only(s)?.id === call.id, 'up again with the same call');
    expect(only(back)?.state).toBe('connected');
    expect(live(back)).toHaveLength(1);
    // The caller hangs up while the desktop is connected again: the event reaches it.
    await control('POST', '/devices/2198765456/hangup');
    await d.until((s) => live(s).length === 0, 'the call ended after the caller hung up');
    await loggedOff(d);
  });

  it('finds a half-open broker connection (no FIN, no data) by its heart-beats, and keeps the call once the path is back', async () => {
    const iv = lab.instantvoice;
    if (!iv) throw new Error('no InstantVoice ACD');
    const relay = new CuttableProxy({ host: iv.broker.host, port: iv.broker.port });
    await relay.listen();
    try {
      const d = await desk({ connection: { port: relay.port } });
      await readyAgent(d);
      const call = await answeredQueueCall(d);
      relay.frozen = true;
      await d.until((s) => s.link.state === 'down', 'the dead connection noticed');
      relay.frozen = false;
      const back = await d.until((s) => up(s) && only(s)?.id === call.id, 'up again with the same call', 15_000);
      expect(only(back)?.state).toBe('connected');
      await control('POST', '/devices/0001/hangup');
      await d.until((s) => live(s).length === 0, 'the call ended');
      await loggedOff(d);
    } finally {
      await relay.close();
    }
  });

  it('resyncs after the ACD restarts mid-call, and ends what the PBX ended meanwhile', async () => {
    const d = await desk();
    await readyAgent(d);
    await answeredQueueCall(d);
    await control('POST', '/instantvoice/acd/restart');
    await control('POST', '/devices/0001/hangup');
    await d.until((s) => live(s).length === 0, 'the call ended');
    await d.sup.execute({ kind: 'snapshot' });
    expect(live(d.view.current)).toHaveLength(0);
    await loggedOff(d);
  });

  it('ends every call when the media server is lost (MSGONE)', async () => {
    const d = await desk();
    await readyAgent(d);
    const call = await answeredQueueCall(d);
    expect((await control('POST', '/instantvoice/mediaserver/lost')).status).toBeLessThan(300);
    await d.until((s) => live(s).length === 0, 'the calls hung up');
    const ended = d.events.find((e) => e.type === 'callEnded' && e.callId === call.id);
    expect(ended?.type === 'callEnded' ? ended.cause : undefined).toBe('MSGONE');
    await loggedOff(d);
  });

  it('shows a garbage and an oversize event as a notice and stays up', async () => {
    const d = await desk();
    expect((await control('POST', '/instantvoice/agents/default_1001/garbage', {})).status).toBeLessThan(300);
    expect((await control('POST', '/instantvoice/agents/default_1001/oversize', {})).status).toBeLessThan(300);
    await d.until((s) => s.notices.filter((n) => n.level === 'warning').length >= 2, 'two warnings');
    expect(d.view.current.link.state).toBe('up');
    await readyAgent(d);
    await loggedOff(d);
  });

  it('reports the ACD down as a linkDown error and recovers when it is back', async () => {
    const d = await desk();
    await control('POST', '/instantvoice/acd/down');
    await expect(d.sup.execute({ kind: 'setAgentState', state: 'ready' })).rejects.toMatchObject({ code: 'linkDown' });
    await d.until((s) => s.link.state === 'degraded' || s.link.state === 'down', 'the link not up');
    await control('POST', '/instantvoice/acd/up');
    await d.until(up, 'up again', 15_000);
    await readyAgent(d);
    await loggedOff(d);
  });

  it('survives a 10 s stall of the ACD: the command times out clearly, then everything works again', async () => {
    const d = await desk();
    await control('POST', '/instantvoice/acd/stall', { ms: 10_000, then: 'drop' });
    // Either the command's own timeout, or the keep-alive's (the link is re-opened and the command ends with it).
    const err = await d.sup.execute({ kind: 'setAgentState', state: 'ready' }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(['timeout', 'notConnected']).toContain(err?.code);
    expect(err?.message).toMatch(/no reply|closed|timed out/i);
    // The keep-alive gets no answer either: the link is re-opened, and comes up once the ACD answers again.
    await d.until((s) => !up(s), 'the link re-opening', 10_000);
    await d.until(up, 'up after the stall', 20_000);
    await readyAgent(d);
    await loggedOff(d);
  }, 40_000);

  it('refuses a wrong broker password with one clear message, and a wrong access key', async () => {
    const wrong = await desk({ secret: { password: 'wrong' }, waitUp: false });
    const down = await wrong.until((s) => s.link.state === 'down' && /refus|login|credential/i.test(s.link.detail ?? ''), 'the refusal shown');
    expect(down.link.detail).toMatch(/instantvoice/);
    const attempts = wrong.events.filter((e) => e.type === 'link' && e.link.state === 'connecting').length;
    expect(attempts).toBeLessThanOrEqual(2);
    const badKey = await desk({ secret: { apiKey: 'badkey99' }, waitUp: false });
    await badKey.until((s) => s.link.state === 'down' && /access key/i.test(s.link.detail ?? ''), 'the key refusal shown');
  });

  it('gives a supervisor every agent live through iv.agents.#', async () => {
    const sup = await desk({ connection: { role: 'supervisor' } });
    expect(sup.view.current.capabilities).toContain('team');
    await sup.until((s) => s.colleagues.some((c) => c.number === '1002'), 'agent 1002 on the roster');
    const agent = await desk({ profile: { id: 'agent-1002', agentId: '1002', device: '0002' } });
    await readyAgent(agent);
    await sup.until((s) => s.colleagues.find((c) => c.number === '1002')?.agentState === 'ready', '1002 ready on the roster');
    await loggedOff(agent);
    await sup.until((s) => s.colleagues.find((c) => c.number === '1002')?.agentState === 'loggedOff', '1002 off on the roster');
  });

  it('lets a supervisor pause, unpause and log off a team member, and only a supervisor', async () => {
    const sup = await desk({ connection: { role: 'supervisor' } });
    expect(sup.view.current.capabilities).toContain('setTeamAgentState');
    const agent = await desk({ profile: { id: 'agent-1002', agentId: '1002', device: '0002' } });
    expect(agent.view.current.capabilities).not.toContain('setTeamAgentState');
    await expect(agent.sup.execute({ kind: 'setTeamAgentState', agent: '1001', state: 'loggedOff' })).rejects.toMatchObject({ code: 'unsupported' });
    await readyAgent(agent);
    const member = (s: ViewState) => s.colleagues.find((c) => c.number === '1002');

    await sup.sup.execute({ kind: 'setTeamAgentState', agent: '1002', state: 'notReady', reason: 'Lunch' });
    // Both sides see it from the ACD's events: the agent's own panel and the supervisor's roster.
    await agent.until((s) => s.agent?.state === 'notReady' && s.agent.reason === 'Lunch', '1002 paused for lunch');
    await sup.until((s) => member(s)?.agentState === 'notReady' && member(s)?.reason === 'Lunch', '1002 paused on the roster');
    await sup.sup.execute({ kind: 'setTeamAgentState', agent: '1002', state: 'ready' });
    await agent.until((s) => s.agent?.state === 'ready', '1002 ready again');
    await expect(sup.sup.execute({ kind: 'setTeamAgentState', agent: '1002', state: 'notReady', reason: 'Nap' })).rejects.toThrow(/not one of the profile's pause reasons/);
    await expect(sup.sup.execute({ kind: 'setTeamAgentState', agent: '1001', state: 'loggedOff' })).rejects.toThrow(/that is you/);
    await sup.sup.execute({ kind: 'setTeamAgentState', agent: '1002', state: 'loggedOff' });
    await agent.until((s) => s.agent?.state === 'loggedOff', '1002 logged off by the supervisor');
    await sup.until((s) => member(s)?.agentState === 'loggedOff', '1002 off on the roster');
    // An agent who is not logged on: the ACD's answer, as a clear error.
    await expect(sup.sup.execute({ kind: 'setTeamAgentState', agent: '1002', state: 'ready' })).rejects.toThrow(/AgentUnpause/);
  });
});
