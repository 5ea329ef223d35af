// Fifty agents' desktops through one site gateway on one CTIPS session, against the lab portal,
// which enforces the manual's 10-connection limit (L309): the gateway holds one portal session
// (and the 10th direct client is refused), every desktop logs its agent in and goes ready through
// it, sees only its own station's calls, cannot touch another station's call, and a supervisor sees
// the whole team. Then the portal is killed mid-call and every desktop comes back with its call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, ViewState } from '../../../shared/model.js';
import { Profile, type GatewayAccount } from '../../../shared/profile.js';
import { silentLogger } from '../../core/log.js';
import type { SiteConnection } from '../../core/site.js';
import { SessionSupervisor } from '../../core/supervisor.js';
import { ViewStore } from '../../core/view-store.js';
import { viewWaiter } from '../../core/view-waiter.js';
import { hashPassword } from '../../gateway/accounts.js';
import { startGateway, type Gateway } from '../../gateway/server.js';
import { CtipsFrontEnd } from '../../simulator/ctips/front-end.js';
import { CtipsTestClient } from '../../simulator/ctips/test-client.js';
import { pbxConfig } from '../../simulator/pbx/config.js';
import { Pbx } from '../../simulator/pbx/pbx.js';
import { createCtipsConnector, createCtipsSiteConnection } from './connector.js';

const N = 50;
const stations = Array.from({ length: N }, (_, i) => String(2001 + i));
const SUPERVISOR = '2099';
const PASSWORD = 'desk-pw';
const cheap = { N: 1024, r: 8, p: 1 };

interface Desk {
  station: string;
  view: ViewStore;
  sup: SessionSupervisor;
  until: ReturnType<typeof viewWaiter>;
}

let pbx: Pbx;
let portals: CtipsFrontEnd;
let site: SiteConnection;
let gateway: Gateway;
const desks: Desk[] = [];
const extraClients: CtipsTestClient[] = [];

const calls = (s: ViewState): Call[] => Object.values(s.calls);
const only = (s: ViewState): Call | undefined => (calls(s).length === 1 ? calls(s)[0] : undefined);

function siteProfile(ports: number[]) {
  return Profile.parse({
    id: 'site',
    name: 'Site gateway',
    device: '0000',
    commandTimeoutMs: 5000,
    reconnect: { initialMs: 50, maxMs: 300 },
    connection: { vendor: 'ctips', portals: ports.map((port) => ({ host: '127.0.0.1', port })), userName: 'Test01', callback: { bindHost: '127.0.0.1' }, heartbeat: { intervalSec: 1, missed: 1 } },
  });
}

function desk(station: string, role: 'agent' | 'supervisor' = 'agent'): Desk {
  const profile = Profile.parse({
    id: `desk-${station}`,
    name: `Desk ${station}`,
    device: station,
    agentId: `agent${station}`,
    keepAliveSec: 0.5,
    commandTimeoutMs: 5000,
    reconnect: { initialMs: 50, maxMs: 400 },
    connection: { vendor: 'ctips', role, gateway: { host: '127.0.0.1', port: gateway.port, https: false } },
  });
  const view = new ViewStore();
  const sup = new SessionSupervisor({ profile, connector: createCtipsConnector({ profile, secret: { password: PASSWORD }, log: silentLogger() }), log: silentLogger(), emit: (e) => view.apply(e) });
  const d = { station, view, sup, until: viewWaiter(view, 15_000) };
  desks.push(d);
  sup.start();
  return d;
}

beforeAll(async () => {
  const base = pbxConfig();
  const all = [...stations, SUPERVISOR];
  pbx = new Pbx({
    ...base,
    externalAnswerMs: 50,
    devices: [...base.devices, ...all.map((number) => ({ number, name: `Agent ${number}` }))],
    agents: [...base.agents, ...all.map((device) => ({ device, userID: `agent${device}`, password: '1234', inboundServices: ['service1'], wrapUpSec: 0, initialState: 'loggedOff' as const }))],
  });
  portals = await CtipsFrontEnd.start(pbx, {
    host: '127.0.0.1',
    ports: { a: 0, b: 0 },
    config: { heartbeatIntervalMs: 200, agents: all.map((device) => ({ loginName: `agent${device}`, agentId: Number(device), device })) },
    log: silentLogger(),
  });
  site = createCtipsSiteConnection({ profile: siteProfile([portals.a.port, portals.b.port]), secret: { password: 'Test01' }, log: silentLogger() });
  await site.start();
  const hash = await hashPassword(PASSWORD, cheap);
  const accounts: GatewayAccount[] = [
    ...stations.map((s) => ({ login: `agent${s}`, role: 'agent' as const, stations: [s], passwordHash: hash })),
    { login: `agent${SUPERVISOR}`, role: 'supervisor', stations: [SUPERVISOR], passwordHash: hash },
  ];
  gateway = await startGateway({ site, accounts, host: '127.0.0.1', port: 0, log: silentLogger() });
}, 60_000);

afterAll(async () => {
  await Promise.all(desks.map((d) => d.sup.stop()));
  for (const c of extraClients) await c.close();
  await gateway?.close();
  await site?.stop();
  await portals?.stop();
  pbx?.dispose();
}, 60_000);

describe(`${N} desktops through one gateway on one CTIPS session`, () => {
  it('signs every desktop in and logs every agent in through the one portal session; the portal keeps its limit for everyone else', async () => {
    for (const s of stations) desk(s);
    await Promise.all(desks.map((d) => d.sup.whenUp(20_000)));
    expect(gateway.clients()).toHaveLength(N);
    expect(portals.a.sessionList()).toHaveLength(1);

    await Promise.all(desks.map((d) => d.sup.execute({ kind: 'setAgentState', state: 'loggedOn' })));
    await Promise.all(desks.map((d) => d.until((v) => v.agent?.state === 'notReady', `${d.station} logged in`)));
    await Promise.all(desks.map((d) => d.sup.execute({ kind: 'setAgentState', state: 'ready' })));
    await Promise.all(desks.map((d) => d.until((v) => v.agent?.state === 'ready', `${d.station} ready`)));
    for (const d of desks) expect(d.view.current.agent?.agentId).toBe(`agent${d.station}`);

    // The gateway uses one of the portal's ten connections: nine more clients fit, the next is refused.
    for (let i = 0; i < 9; i++) {
      const c = await CtipsTestClient.create(portals.a.port);
      extraClients.push(c);
      expect((await c.open()).status).toBe(0);
    }
    const refused = await CtipsTestClient.create(portals.a.port);
    extraClients.push(refused);
    await expect(refused.open()).rejects.toMatchObject({ code: 'limit' });
    for (const c of extraClients.splice(0)) {
      await c.send(c.req.closeConnection()).catch(() => undefined);
      await c.close();
    }
  }, 90_000);

  it('gives each desktop only its own calls, refuses another station’s call, and lets a supervisor see the team', async () => {
    const ringing = desks.slice(0, 5);
    for (const d of ringing) pbx.placeExternalCall({ from: `06000${d.station}`, to: d.station, data: { ticket: `T-${d.station}` } });
    await Promise.all(ringing.map((d) => d.until((v) => only(v)?.state === 'alerting' && only(v)?.remote.number === `06000${d.station}`, `${d.station} rings`)));
    for (const d of ringing) expect(only(d.view.current)?.data).toEqual({ ticket: `T-${d.station}` });
    for (const d of desks.slice(5)) expect(calls(d.view.current)).toHaveLength(0);

    const [first, second] = ringing as [Desk, Desk];
    const othersCall = only(second.view.current) as Call;
    await expect(first.sup.execute({ kind: 'answer', callId: othersCall.id })).rejects.toMatchObject({ code: 'noCall' });
    await Promise.all(ringing.map((d) => d.sup.execute({ kind: 'answer', callId: (only(d.view.current) as Call).id })));
    await Promise.all(ringing.map((d) => d.until((v) => only(v)?.state === 'connected', `${d.station} connected`)));

    const boss = desk(SUPERVISOR, 'supervisor');
    await boss.sup.whenUp(10_000);
    const team = await boss.until((v) => v.colleagues.filter((c) => c.agentState !== undefined).length >= N, 'the whole team');
    expect(team.colleagues.filter((c) => c.state === 'busy').map((c) => c.number).sort()).toEqual(ringing.map((d) => d.station).sort());
    expect(desks[10]?.view.current.colleagues).toHaveLength(0);
  }, 60_000);

  it('fails the site over to portal B when portal A dies; every desktop keeps its call', async () => {
    const withCalls = desks.slice(0, 5);
    const before = withCalls.map((d) => (only(d.view.current) as Call).id);
    await portals.a.stop();
    await Promise.all(withCalls.map((d) => d.until((v) => v.link.state !== 'up', `${d.station} sees the loss`)));
    await Promise.all(desks.map((d) => d.until((v) => v.link.state === 'up', `${d.station} up again`, 20_000)));
    expect(portals.b.sessionList()).toHaveLength(1);
    withCalls.forEach((d, i) => expect(only(d.view.current)?.id).toBe(before[i]));
    await Promise.all(withCalls.map((d) => d.sup.execute({ kind: 'clear', callId: (only(d.view.current) as Call).id })));
    await Promise.all(withCalls.map((d) => d.until((v) => calls(v).length === 0, `${d.station} cleared through portal B`)));
  }, 60_000);
});
