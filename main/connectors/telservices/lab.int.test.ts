// The TelServices connector under the session supervisor, against the lab PBX over real
// loopback sockets (TCP one-shot requests, HTTP, UDP events), driven through the control API.
import { afterEach, describe, expect, it } from 'vitest';
import type { Call, ViewState } from '../../../shared/model.js';
import { Profile } from '../../../shared/profile.js';
import { silentLogger } from '../../core/log.js';
import { testDesk, type TestDesk } from '../../core/test-desk.js';
import { type ControlReply, callControl, startLabOnFreePortBase } from '../../simulator/lab-client.js';
import { type Lab, startLab } from '../../simulator/lab.js';
import { createTelServicesConnector } from './connector.js';

interface Rig extends TestDesk {
  lab: Lab;
  portBase: number;
  control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ControlReply>;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.sup.stop();
    await r.lab.stop();
  }
});

async function rig(connection: Record<string, unknown> = {}, device = '1101'): Promise<Rig> {
  const { lab, portBase } = await startLabOnFreePortBase({}, 30000);
  const port = lab.endpoints.find((e) => e.vendor === 'telservices' && e.transport === 'tcp')?.port ?? 0;
  const profile = Profile.parse({
    id: 'lab',
    name: 'Lab',
    device,
    agentId: `agent${device}`,
    keepAliveSec: 0.25,
    commandTimeoutMs: 3000,
    reconnect: { initialMs: 50, maxMs: 300 },
    connection: { vendor: 'telservices', host: '127.0.0.1', port, udpBind: '127.0.0.1', ...connection },
  });
  const { view, sup, events, until } = testDesk(profile, createTelServicesConnector({ profile, secret: { password: '1234' }, log: silentLogger() }), 5000);
  const control = (method: 'GET' | 'POST', path: string, body?: unknown) => callControl(() => r.lab, method, path, body);
  const r: Rig = { lab, portBase, view, sup, events, control, until };
  rigs.push(r);
  sup.start();
  await sup.whenUp(5000);
  return r;
}

const calls = (s: ViewState): Call[] => Object.values(s.calls);
const only = (s: ViewState): Call | undefined => (calls(s).length === 1 ? calls(s)[0] : undefined);

describe('TelServices against the lab PBX', () => {
  it('shows an inbound call with its data, answers, holds, retrieves and hangs up', async () => {
    const r = await rig();
    const placed = await r.control('POST', '/calls', { from: '0612345678', to: '1101', data: { customerId: 'C-1001' } });
    expect(placed.status).toBe(201);
    let s = await r.until((v) => only(v)?.state === 'alerting', 'alerting');
    const call = only(s)!;
    expect(call.remote.number).toBe('0612345678');
    expect(call.direction).toBe('inbound');
    expect(call.allowed).toContain('answer');
    expect(s.pop?.id).toBe(call.id);

    await r.sup.execute({ kind: 'answer', callId: call.id });
    s = await r.until((v) => only(v)?.state === 'connected', 'connected');
    await r.sup.execute({ kind: 'hold', callId: call.id });
    await r.until((v) => only(v)?.state === 'held', 'held');
    await r.sup.execute({ kind: 'retrieve', callId: call.id });
    await r.until((v) => only(v)?.state === 'connected', 'retrieved');
    await r.sup.execute({ kind: 'clear', callId: call.id });
    s = await r.until((v) => calls(v).length === 0, 'cleared');
    expect(s.ended[call.id]).toBeDefined();
  });

  it('makes a call that the far end answers, then consults and transfers', async () => {
    const r = await rig();
    await r.sup.execute({ kind: 'makeCall', to: '1102' });
    const dialing = await r.until((v) => only(v)?.direction === 'outbound', 'outbound call');
    expect(only(dialing)?.remote.number === '1102' || only(dialing)?.state === 'dialing').toBe(true);
    expect((await r.control('POST', '/devices/1102/answer')).status).toBe(200);
    const connected = await r.until((v) => only(v)?.state === 'connected', 'connected');
    const first = only(connected)!;
    await r.sup.execute({ kind: 'consult', callId: first.id, to: '1103' });
    await r.until((v) => calls(v).length === 2 && v.calls[first.id]?.state === 'held', 'consultation');
    expect((await r.control('POST', '/devices/1103/answer')).status).toBe(200);
    const both = await r.until((v) => calls(v).some((c) => c.id !== first.id && c.state === 'connected'), 'consulted party answered');
    const consult = calls(both).find((c) => c.id !== first.id)!;
    expect(consult.allowed).toContain('transfer');
    await r.sup.execute({ kind: 'transfer', callId: consult.id });
    await r.until((v) => calls(v).length === 0, 'transferred away');
    const list = (await r.control('GET', '/calls')).json as unknown[];
    expect(list.length).toBe(1);
  });

  it('reports the PBX link down and up as degraded and up', async () => {
    const r = await rig();
    await r.control('POST', '/link/down');
    const s = await r.until((v) => v.link.state === 'degraded', 'degraded');
    expect(s.link.detail).toMatch(/PBX link/);
    await expect(r.sup.execute({ kind: 'makeCall', to: '1102' })).rejects.toMatchObject({ code: 'linkDown' });
    await r.control('POST', '/link/up');
    await r.until((v) => v.link.state === 'up', 'up again');
  });

  it('re-opens the session after the server forgot it and resyncs the calls', async () => {
    const r = await rig();
    await r.control('POST', '/calls', { from: '0612345678', to: '1101' });
    await r.until((v) => only(v)?.state === 'alerting', 'alerting');
    await r.control('POST', '/clients/drop');
    await r.until((v) => v.link.state !== 'up', 'link not up');
    const s = await r.until((v) => v.link.state === 'up', 'up again');
    expect(only(s)?.state).toBe('alerting');
  });

  it('notices missed UDP events and rebuilds the state from the snapshot', async () => {
    const r = await rig();
    await r.control('POST', '/faults', { udpDrop: true });
    await r.control('POST', '/calls', { from: '0498765432', to: '1101' });
    const s = await r.until((v) => only(v)?.state === 'alerting', 'alerting from a snapshot');
    expect(only(s)?.remote.number).toBe('0498765432');
    expect(r.events.some((e) => e.type === 'link' && e.link.state === 'degraded')).toBe(true);
    await r.control('POST', '/faults', { udpDrop: false });
  });

  it('works over HTTP requests too', async () => {
    const r = await rig({ transport: 'http' });
    await r.control('POST', '/calls', { from: '0612345678', to: '1101' });
    const s = await r.until((v) => only(v)?.state === 'alerting', 'alerting');
    await r.sup.execute({ kind: 'answer', callId: only(s)!.id });
    await r.until((v) => only(v)?.state === 'connected', 'connected');
  });

  it('follows agent state changes from the events', async () => {
    const r = await rig();
    await r.sup.execute({ kind: 'setAgentState', state: 'loggedOn' });
    await r.until((v) => v.agent !== null && v.agent.state !== 'loggedOff', 'logged on');
    await r.sup.execute({ kind: 'setAgentState', state: 'ready' });
    await r.until((v) => v.agent?.state === 'ready', 'ready');
    await r.sup.execute({ kind: 'setAgentState', state: 'notReady', reason: 'Break' });
    await r.until((v) => v.agent?.state === 'notReady', 'not ready');
  });

  it('recovers when the lab PBX restarts', async () => {
    const r = await rig();
    await r.control('POST', '/calls', { from: '0612345678', to: '1101' });
    await r.until((v) => only(v)?.state === 'alerting', 'alerting');
    await r.lab.stop();
    await r.until((v) => v.link.state === 'down', 'down');
    r.lab = await startLab({ vendors: ['telservices'], portBase: r.portBase, demo: false, log: silentLogger() });
    const s = await r.until((v) => v.link.state === 'up', 'up again', 8000);
    expect(calls(s)).toHaveLength(0);
  });
});
