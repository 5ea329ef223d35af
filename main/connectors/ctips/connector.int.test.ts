// The CTIPS connector, driven by the session supervisor as a desktop drives it, against the lab's
// CTIPS portals on the PBX core over loopback: agent states, inbound and outbound calls with their
// screen-pop data, hold, consultation, transfer, conference, DTMF, call data, reject with a reason,
// wrap-up with a disposition, panic logout, wrong credentials, a portal that forgot the session,
// heartbeats that stop, and failover to the second portal with the calls kept. Every wait is on the
// view, bounded.
import { afterEach, describe, expect, it } from 'vitest';
import type { Call, ViewState } from '../../../shared/model.js';
import { Profile } from '../../../shared/profile.js';
import { silentLogger } from '../../core/log.js';
import { testDesk, type TestDesk } from '../../core/test-desk.js';
import { ctipsPbxConfig } from '../../simulator/ctips/config.js';
import { CtipsPortal } from '../../simulator/ctips/portal.js';
import { Pbx } from '../../simulator/pbx/pbx.js';
import { PARK_REASON } from './agent-connector.js';
import { createCtipsConnector, createCtipsSiteConnection } from './connector.js';
import type { SiteConnection } from '../../core/site.js';

interface Lab {
  pbx: Pbx;
  portals: CtipsPortal[];
}

type Desk = TestDesk;

const labs: Lab[] = [];
const desks: Desk[] = [];
const sites: SiteConnection[] = [];

afterEach(async () => {
  for (const d of desks.splice(0)) await d.sup.stop();
  for (const site of sites.splice(0)) await site.stop();
  for (const l of labs.splice(0)) {
    for (const p of l.portals) await p.close();
    l.pbx.dispose();
  }
});

async function lab(portals = 1, heartbeatIntervalMs = 200): Promise<Lab> {
  const pbx = new Pbx(ctipsPbxConfig({ externalAnswerMs: 50 }));
  const list: CtipsPortal[] = [];
  for (let i = 0; i < portals; i++) list.push(await CtipsPortal.start(pbx, { host: '127.0.0.1', port: 0, config: { heartbeatIntervalMs }, log: silentLogger() }));
  const l = { pbx, portals: list };
  labs.push(l);
  return l;
}

function desk(l: Lab, over: { device?: string; role?: 'agent' | 'supervisor'; password?: string; connection?: Record<string, unknown>; waitUp?: boolean } = {}): Desk {
  const device = over.device ?? '1101';
  const profile = Profile.parse({
    id: `ctips-${device}`,
    name: `CTIPS ${device}`,
    device,
    agentId: `agent${device}`,
    keepAliveSec: 0.3,
    commandTimeoutMs: 3000,
    reconnect: { initialMs: 50, maxMs: 300 },
    notReadyReasons: ['Coaching'],
    connection: {
      vendor: 'ctips',
      portals: l.portals.map((p) => ({ host: '127.0.0.1', port: p.port })),
      userName: 'Test01',
      callback: { bindHost: '127.0.0.1' },
      heartbeat: { intervalSec: 1, missed: 1 },
      role: over.role ?? 'agent',
      initialState: 'NotReady',
      logoutReasons: [{ id: '3', label: 'End of shift' }],
      dispositions: [{ id: '7', label: 'Sale' }],
      rejectReasons: [{ id: '2', label: 'Busy with a customer' }],
      ...over.connection,
    },
  });
  const d = testDesk(profile, createCtipsConnector({ profile, secret: { password: over.password ?? 'Test01' }, log: silentLogger() }));
  desks.push(d);
  d.sup.start();
  return d;
}

async function up(l: Lab, over: Parameters<typeof desk>[1] = {}): Promise<Desk> {
  const d = desk(l, over);
  await d.sup.whenUp(8000);
  return d;
}

const calls = (s: ViewState): Call[] => Object.values(s.calls);
const only = (s: ViewState): Call | undefined => (calls(s).length === 1 ? calls(s)[0] : undefined);

async function loggedInReady(d: Desk): Promise<void> {
  await d.sup.execute({ kind: 'setAgentState', state: 'loggedOn' });
  await d.until((s) => s.agent?.state === 'notReady', 'logged on, not ready');
  await d.sup.execute({ kind: 'setAgentState', state: 'ready' });
  await d.until((s) => s.agent?.state === 'ready', 'ready');
}

async function answeredInbound(l: Lab, d: Desk): Promise<Call> {
  l.pbx.placeExternalCall({ from: '0612345678', to: d.view.current.device ?? '1101', fromName: 'Marie Curie', data: { account: 'A-77' } });
  const s = await d.until((v) => only(v)?.state === 'alerting', 'alerting');
  const call = only(s) as Call;
  await d.sup.execute({ kind: 'answer', callId: call.id });
  await d.until((v) => only(v)?.state === 'connected', 'connected');
  return call;
}

describe('CTIPS connector against the lab portal', () => {
  it('logs in, takes an inbound call with its screen-pop data, holds, retrieves, sends DTMF and clears, then dispositions the wrap-up', async () => {
    const l = await lab();
    const d = await up(l);
    expect(d.view.current.capabilities).toEqual(expect.arrayContaining(['answer', 'reject', 'setDisposition', 'panicLogout', 'consult', 'conference']));
    expect(d.view.current.agent?.state).toBe('loggedOff');
    await loggedInReady(d);
    expect(d.view.current.agent?.codes?.disposition).toEqual([{ id: '7', label: 'Sale' }]);
    expect(d.view.current.agent?.reasons?.[0]).toBe(PARK_REASON);

    // Through the ACD queue (service 1), so the agent goes to wrap-up after the call.
    l.pbx.placeExternalCall({ from: '0612345678', to: 'service1', fromName: 'Marie Curie', data: { account: 'A-77' } });
    const ringing = await d.until((v) => only(v)?.state === 'alerting', 'alerting');
    const call = only(ringing) as Call;
    expect(call).toMatchObject({ direction: 'inbound', remote: { number: '0612345678', name: 'Marie Curie' }, data: { account: 'A-77' } });
    expect(call.allowed).toEqual(['answer', 'reject']);
    expect(ringing.pop?.id).toBe(call.id);

    // Data attached while it rang reaches the desktop once answered (GetCallData → CallDataUpdate).
    l.pbx.setCallData(l.pbx.allCalls()[0]?.id ?? '', { data: { tier: 'Gold' } });
    await d.sup.execute({ kind: 'answer', callId: call.id });
    await d.until((v) => only(v)?.state === 'connected' && v.agent?.state === 'busy', 'connected, agent busy');
    await d.until((v) => only(v)?.data.tier === 'Gold' && only(v)?.data.account === 'A-77', 'call data read after the answer');
    await d.sup.execute({ kind: 'hold', callId: call.id });
    await d.until((v) => only(v)?.state === 'held', 'held');
    await d.sup.execute({ kind: 'retrieve', callId: call.id });
    await d.until((v) => only(v)?.state === 'connected', 'retrieved');
    await d.sup.execute({ kind: 'sendDtmf', callId: call.id, digits: '12#' });
    await d.sup.execute({ kind: 'setCallData', callId: call.id, data: { UserData2: 'VIP' } });
    expect(l.pbx.call(l.pbx.allCalls()[0]?.id ?? '')?.data).toMatchObject({ UserData2: 'VIP' });

    await d.sup.execute({ kind: 'clear', callId: call.id });
    const wrap = await d.until((v) => calls(v).length === 0 && v.agent?.state === 'wrapUp' && v.agent.dispositionCallId === call.id, 'wrap-up with the call to disposition');
    expect(wrap.ended[call.id]).toBeDefined();
    await d.sup.execute({ kind: 'setDisposition', disposition: '7', successful: true, endWrap: false });
    await d.until((v) => v.agent?.state === 'ready' && v.agent.dispositionCallId === undefined, 'ready after the disposition');
  });

  it('refuses a call with a reject reason, places an outbound call, and keeps a local not-ready reason or parks', async () => {
    const l = await lab();
    const d = await up(l);
    await loggedInReady(d);
    l.pbx.placeExternalCall({ from: '0499111222', to: '1101' });
    const s = await d.until((v) => only(v)?.state === 'alerting', 'alerting');
    await d.sup.execute({ kind: 'reject', callId: (only(s) as Call).id, reason: '2' });
    await d.until((v) => calls(v).length === 0, 'rejected call gone');
    await expect(d.sup.execute({ kind: 'reject', callId: 'ctips-999999', reason: '2' })).rejects.toMatchObject({ code: 'noCall' });
    await expect(d.sup.execute({ kind: 'setAgentState', state: 'loggedOff', reason: 'no such reason' })).rejects.toMatchObject({ code: 'invalid' });

    await d.until((v) => v.agent?.state === 'ready' || v.agent?.state === 'wrapUp', 'back from the rejected call');
    if (d.view.current.agent?.state === 'wrapUp') await d.sup.execute({ kind: 'setAgentState', state: 'ready' });
    await d.until((v) => v.agent?.state === 'ready', 'ready');
    await d.sup.execute({ kind: 'makeCall', to: '0611223344' });
    const out = await d.until((v) => only(v)?.direction === 'outbound' && only(v)?.state === 'connected', 'outbound connected (the lab answers after 50 ms)');
    expect(only(out)?.remote.number).toBe('0611223344');
    await d.sup.execute({ kind: 'clear', callId: (only(out) as Call).id });
    await d.until((v) => calls(v).length === 0, 'outbound cleared');

    await d.until((v) => v.agent?.state === 'wrapUp' || v.agent?.state === 'ready', 'after the outbound call');
    await d.sup.execute({ kind: 'setAgentState', state: 'notReady', reason: 'Coaching' });
    await d.until((v) => v.agent?.state === 'notReady' && v.agent.reason === 'Coaching', 'not ready, coaching');
    await d.sup.execute({ kind: 'setAgentState', state: 'notReady', reason: PARK_REASON });
    await d.until((v) => v.agent?.state === 'notReady' && v.agent.reason === PARK_REASON, 'parked');
    await d.sup.execute({ kind: 'setAgentState', state: 'loggedOff', reason: 'End of shift' });
    await d.until((v) => v.agent?.state === 'loggedOff', 'logged off with a reason');
  });

  it('consults a colleague, cancels, consults again and transfers; the colleague conferences the agent in', async () => {
    const l = await lab();
    const a = await up(l);
    const b = await up(l, { device: '1102' });
    await loggedInReady(a);
    await loggedInReady(b);
    const call = await answeredInbound(l, a);

    await a.sup.execute({ kind: 'consult', callId: call.id, to: '1102' });
    await b.until((v) => only(v)?.state === 'alerting', 'colleague rings');
    const pair = await a.until((v) => calls(v).length === 2 && calls(v).some((c) => c.isConsultation), 'consultation pair at the agent');
    const consult = calls(pair).find((c) => c.isConsultation) as Call;
    expect(consult.remote.number).toBe('1102');
    expect(pair.calls[call.id]?.state).toBe('held');
    expect(pair.calls[call.id]?.allowed).toEqual(expect.arrayContaining(['transfer', 'conference', 'reconnect']));
    await b.sup.execute({ kind: 'answer', callId: (only(b.view.current) as Call).id });
    await a.until((v) => v.calls[consult.id]?.state === 'connected', 'consultation answered');

    await a.sup.execute({ kind: 'reconnect', callId: consult.id });
    await a.until((v) => calls(v).length === 1 && only(v)?.id === call.id && only(v)?.state === 'connected', 'back with the customer');

    await b.until((v) => v.agent?.state !== 'busy', 'colleague free');
    if (b.view.current.agent?.state === 'wrapUp') await b.sup.execute({ kind: 'setAgentState', state: 'ready' });
    await a.sup.execute({ kind: 'consult', callId: call.id, to: '1102' });
    await b.until((v) => only(v)?.state === 'alerting', 'colleague rings again');
    await b.sup.execute({ kind: 'answer', callId: (only(b.view.current) as Call).id });
    await a.until((v) => calls(v).some((c) => c.isConsultation && c.state === 'connected'), 'second consultation answered');
    await a.sup.execute({ kind: 'transfer', callId: call.id });
    const after = await a.until((v) => calls(v).length === 0, 'both legs gone from the agent');
    expect(after.ended[call.id]).toBeDefined();
    await b.until((v) => only(v)?.state === 'connected' && only(v)?.remote.number === '0612345678', 'the customer is with the colleague');

    // Conference: the colleague consults the agent back and joins the three parties.
    await a.until((v) => v.agent?.state !== 'busy', 'agent free');
    if (a.view.current.agent?.state === 'wrapUp') await a.sup.execute({ kind: 'setAgentState', state: 'ready' });
    const customer = only(b.view.current) as Call;
    await b.sup.execute({ kind: 'consult', callId: customer.id, to: '1101' });
    await a.until((v) => only(v)?.state === 'alerting', 'agent rings');
    await a.sup.execute({ kind: 'answer', callId: (only(a.view.current) as Call).id });
    await b.until((v) => calls(v).some((c) => c.isConsultation && c.state === 'connected'), 'consultation answered by the agent');
    await b.sup.execute({ kind: 'conference', callId: customer.id });
    const conf = await b.until((v) => calls(v).length === 1 && only(v)?.isConference === true && only(v)?.state === 'connected', 'one conference call');
    expect(only(conf)?.id).toBe(customer.id);
  });

  it('panic logout waits for the call to end; refuses bad passwords; a forgotten session and silent heartbeats reconnect with the call kept', async () => {
    const l = await lab();
    const bad = desk(l, { password: 'wrong', waitUp: false });
    await bad.until((v) => v.link.state === 'down' && /credential|password|status/i.test(v.link.detail ?? ''), 'refused credentials');

    const d = await up(l);
    await loggedInReady(d);
    const call = await answeredInbound(l, d);

    expect(l.portals[0]?.dropSessions()).toBeGreaterThan(0);
    await d.until((v) => v.link.state !== 'up', 'loss noticed (keep-alive OnLine fault)');
    await d.until((v) => v.link.state === 'up' && only(v)?.id === call.id && only(v)?.state === 'connected', 'reconnected with the same call', 10_000);

    l.portals[0]?.stopHeartbeats();
    await d.until((v) => v.link.state !== 'up', 'silent heartbeats noticed', 10_000);
    l.portals[0]?.resumeHeartbeats();
    await d.until((v) => v.link.state === 'up' && only(v)?.id === call.id, 'up again after the heartbeats came back', 10_000);

    await d.sup.execute({ kind: 'panicLogout' });
    await d.until((v) => v.agent?.logoutPending === true, 'logout pending');
    await d.sup.execute({ kind: 'clear', callId: call.id });
    await d.until((v) => v.agent?.state === 'loggedOff' && !v.agent.logoutPending, 'logged out when the call ended');
  });

  it('fails over to the second portal when the first dies, without logging in again, keeping the calls', async () => {
    const l = await lab(2);
    const d = await up(l);
    await loggedInReady(d);
    const call = await answeredInbound(l, d);
    const logins = d.events.filter((e) => e.type === 'agent' && e.agent.state === 'notReady').length;
    await l.portals[0]?.stop();
    await d.until((v) => v.link.state !== 'up', 'loss noticed', 10_000);
    const s = await d.until((v) => v.link.state === 'up' && only(v)?.state === 'connected', 'up on the second portal with the call', 10_000);
    expect(only(s)?.id).toBe(call.id);
    expect(s.agent?.state).toBe('busy');
    expect(d.events.some((e) => e.type === 'notice' && e.code === 'ctipsFailover')).toBe(true);
    expect(d.events.filter((e) => e.type === 'agent' && e.agent.state === 'notReady').length).toBe(logins);
    expect(l.portals[1]?.sessionList()).toHaveLength(1);
    await d.sup.execute({ kind: 'clear', callId: call.id });
    await d.until((v) => calls(v).length === 0, 'cleared through the second portal');
  });

  it('shows the passcode to key on the phone and finishes the login when it is keyed', async () => {
    const l = await lab();
    const d = await up(l, { device: '1104' });
    await d.sup.execute({ kind: 'setAgentState', state: 'loggedOn' });
    await d.until((v) => v.agent?.passcode === '123' && v.agent.state === 'loggedOff', 'passcode shown');
    expect(d.events.some((e) => e.type === 'notice' && e.code === 'ctipsPasscode')).toBe(true);
    expect(l.portals[0]?.platform.enterPasscode('1104', '999')?.result).toBe('reEnter');
    await d.until((v) => v.notices.some((n) => n.code === 'ctipsPasscode' && /again/.test(n.message)), 'asked again');
    expect(l.portals[0]?.platform.enterPasscode('1104', '123')?.result).toBe('loggedIn');
    const s = await d.until((v) => v.agent?.state === 'notReady', 'logged in after the passcode');
    expect(s.agent?.passcode).toBeUndefined();
  });

  it('shows the platform link down as degraded, keeps working after it is back', async () => {
    const l = await lab();
    const d = await up(l);
    await loggedInReady(d);
    l.portals[0]?.platform.setLink('CenterCord', 'Down');
    await d.until((v) => v.link.state === 'degraded', 'degraded while CenterCord is down');
    await expect(d.sup.execute({ kind: 'setAgentState', state: 'notReady' })).rejects.toMatchObject({ code: 'rejected' });
    l.portals[0]?.platform.setLink('CenterCord', 'Up');
    await d.until((v) => v.link.state === 'up', 'up again');
    await d.sup.execute({ kind: 'setAgentState', state: 'notReady' });
    await d.until((v) => v.agent?.state === 'notReady', 'requests work again');
  });

  it('a site with routing rules answers route requests: a call to the route point reaches the agent ready the longest', async () => {
    const l = await lab();
    const a = await up(l);
    const b = await up(l, { device: '1102' });
    const siteProfile = Profile.parse({
      id: 'router',
      name: 'Router',
      device: '0000',
      commandTimeoutMs: 3000,
      connection: {
        vendor: 'ctips',
        portals: [{ host: '127.0.0.1', port: l.portals[0]?.port }],
        userName: 'lab',
        callback: { bindHost: '127.0.0.1' },
        serve: { routing: [{ serviceId: 2, route: 'readyAgent', to: '1' }] },
      },
    });
    const router = createCtipsSiteConnection({ profile: siteProfile, secret: { password: 'lab' }, log: silentLogger() });
    sites.push(router);
    await router.start();
    // The router sees the agents become ready live (a snapshot says nothing of since when).
    await loggedInReady(b);
    await loggedInReady(a);
    l.pbx.placeExternalCall({ from: '0655443322', to: '6200' });
    const s = await b.until((v) => only(v)?.state === 'alerting', 'routed to agent1102, ready before agent1101');
    expect(only(s)?.remote.number).toBe('0655443322');
    expect(calls(a.view.current)).toHaveLength(0);
  });

  it('a supervisor sees the team and the services, counting calls waiting', async () => {
    const l = await lab();
    const agent = await up(l);
    await loggedInReady(agent);
    const sup = await up(l, { device: '1103', role: 'supervisor' });
    await loggedInReady(sup);
    await sup.until((v) => v.colleagues.some((c) => c.number === '1101' && c.agentState === 'ready'), 'the agent in the team');
    expect(sup.view.current.capabilities).toContain('team');
    const queues = await sup.until((v) => Object.values(v.queues).some((q) => q.id === '1' && (q.agentsReady ?? 0) >= 2), 'service 1 with two ready agents');
    expect(Object.values(queues.queues).find((q) => q.id === '1')?.name).toBe('Service 1');
    await agent.sup.execute({ kind: 'setAgentState', state: 'notReady' });
    await sup.until((v) => v.colleagues.some((c) => c.number === '1101' && c.agentState === 'notReady'), 'the agent not ready, seen live');
    expect(agent.view.current.colleagues).toHaveLength(0);
  });

  it('a supervisor makes a team member ready, parks them, and logs them out; an agent may not', async () => {
    const l = await lab();
    const agent = await up(l);
    await loggedInReady(agent);
    const sup = await up(l, { device: '1103', role: 'supervisor' });
    await loggedInReady(sup);
    expect(sup.view.current.capabilities).toContain('setTeamAgentState');
    expect(sup.view.current.agent?.teamReasons).toEqual(['Not ready', 'Not ready (park)']);
    expect(agent.view.current.capabilities).not.toContain('setTeamAgentState');
    await expect(agent.sup.execute({ kind: 'setTeamAgentState', agent: '1103', state: 'loggedOff' })).rejects.toMatchObject({ code: 'unsupported' });
    const member = (v: ViewState) => v.colleagues.find((c) => c.number === '1101');
    await sup.until((v) => member(v)?.agentState === 'ready', 'the agent ready in the team');

    await sup.sup.execute({ kind: 'setTeamAgentState', agent: '1101', state: 'notReady', reason: 'Not ready (park)' });
    await agent.until((v) => v.agent?.state === 'notReady' && v.agent.reason === 'Not ready (park)', 'the agent parked by the supervisor');
    await sup.until((v) => member(v)?.reason === 'Not ready (park)', 'parked, seen in the team');
    await sup.sup.execute({ kind: 'setTeamAgentState', agent: '1101', state: 'ready' });
    await agent.until((v) => v.agent?.state === 'ready', 'ready again');
    await sup.sup.execute({ kind: 'setTeamAgentState', agent: '1101', state: 'notReady', reason: 'Not ready' });
    await agent.until((v) => v.agent?.state === 'notReady' && v.agent.reason === undefined, 'plain not ready');
    await expect(sup.sup.execute({ kind: 'setTeamAgentState', agent: '1103', state: 'loggedOff' })).rejects.toThrow(/that is you/);
    await expect(sup.sup.execute({ kind: 'setTeamAgentState', agent: '1109', state: 'ready' })).rejects.toThrow(/no agent is logged in at station 1109/);
    await sup.sup.execute({ kind: 'setTeamAgentState', agent: '1101', state: 'loggedOff' });
    await agent.until((v) => v.agent?.state === 'loggedOff', 'logged out by the supervisor');
  });
});
