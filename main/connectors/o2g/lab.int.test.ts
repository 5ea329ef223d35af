// The O2G connector under the session supervisor, against the lab PBX's O2G front-end over real
// loopback HTTPS (REST + chunked event channel), driven and faulted through the control API.
import { afterEach, describe, expect, it } from 'vitest';
import type { Call, ViewState } from '../../../shared/model.js';
import { Profile } from '../../../shared/profile.js';
import { createLogger, silentLogger } from '../../core/log.js';
import { testDesk, type TestDesk } from '../../core/test-desk.js';
import { type ControlReply, callControl, startLabOnFreePortBase } from '../../simulator/lab-client.js';
import type { Lab } from '../../simulator/lab.js';
import { adminLoginListers } from '../index.js';
import { createO2gConnector } from './connector.js';

interface Rig extends TestDesk {
  lab: Lab;
  control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ControlReply>;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.sup.stop();
    await r.lab.stop();
  }
});

interface RigOptions {
  password?: string;
  /** Profile fields laid over the defaults (e.g. channelIdleSec). */
  connection?: Record<string, unknown>;
  commandTimeoutMs?: number;
  waitUp?: boolean;
}

async function rig(opts: RigOptions = {}): Promise<Rig> {
  // Keep-alive events every 200 ms on the channel, so a silent (half-open) channel is found quickly.
  const { lab } = await startLabOnFreePortBase({ vendors: ['o2g'], config: { o2g: { keepAliveIntervalMs: 200 } } }, 30000);
  const https = (role?: 'secondary') => lab.endpoints.find((e) => e.vendor === 'o2g' && e.transport === 'https' && e.role === role)?.port ?? 0;
  const profile = Profile.parse({
    id: 'lab-o2g',
    name: 'Lab O2G',
    device: '70123',
    agentId: 'agent1',
    keepAliveSec: 0.3,
    commandTimeoutMs: opts.commandTimeoutMs ?? 3000,
    reconnect: { initialMs: 50, maxMs: 300 },
    connection: {
      vendor: 'o2g',
      primary: { host: '127.0.0.1', port: https() },
      secondary: { host: '127.0.0.1', port: https('secondary') },
      login: 'agent1',
      tls: { caFile: lab.o2g?.certificate.file },
      channelIdleSec: 5,
      ...opts.connection,
    },
  });
  // O2G_LAB_DEBUG=1 shows the connector's log (and, with trace, every frame) while a scenario runs.
  const log = process.env.O2G_LAB_DEBUG ? createLogger({ level: 'debug' }) : silentLogger();
  const connector = createO2gConnector({ profile: { ...profile, trace: Boolean(process.env.O2G_LAB_DEBUG) }, secret: { password: opts.password ?? '1111' }, log });
  const { view, sup, events, until } = testDesk(profile, connector);
  const control = (method: 'GET' | 'POST', path: string, body?: unknown) => callControl(() => r.lab, method, path, body);
  const r: Rig = { lab, view, sup, events, control, until };
  rigs.push(r);
  sup.start();
  if (opts.waitUp !== false) await sup.whenUp(8000);
  return r;
}

const calls = (s: ViewState): Call[] => Object.values(s.calls);
const only = (s: ViewState): Call | undefined => (calls(s).length === 1 ? calls(s)[0] : undefined);
const pbxCallIds = async (r: Rig) => ((await r.control('GET', '/calls')).json as Array<{ id: string }>).map((c) => c.id);

/** An inbound call to agent1's phone, answered: the starting point of the fault scenarios. */
async function connectedCall(r: Rig): Promise<Call> {
  expect((await r.control('POST', '/calls', { from: '0612345678', to: '70123', data: { customerId: 'C-1001' } })).status).toBe(201);
  const s = await r.until((v) => only(v)?.state === 'alerting', 'alerting');
  const call = only(s) as Call;
  await r.sup.execute({ kind: 'answer', callId: call.id });
  await r.until((v) => only(v)?.state === 'connected', 'connected');
  return call;
}

/** After a fault: the link is up again and the desktop holds exactly the one call the PBX has, under its old id. */
async function recovered(r: Rig, call: Call, what: string): Promise<void> {
  const s = await r.until((v) => v.link.state === 'up' && only(v)?.state === 'connected', `${what}: up with the call`, 15_000);
  expect(only(s)?.id).toBe(call.id);
  expect(await pbxCallIds(r)).toHaveLength(1);
}

describe('O2G against the lab PBX', () => {
  it('logs the agent on, takes an ACD call with its data, holds, consults, transfers and goes ready', async () => {
    const r = await rig();
    await r.sup.execute({ kind: 'setAgentState', state: 'loggedOn' });
    let s = await r.until((v) => v.agent?.state === 'ready' || v.agent?.state === 'loggedOn', 'logged on');
    if (s.agent?.state !== 'ready') await r.sup.execute({ kind: 'setAgentState', state: 'ready' });
    s = await r.until((v) => v.agent?.state === 'ready', 'ready');
    expect(s.agent?.group).toBe('60121');
    expect(s.agent?.reasons).toEqual(['Lunch', 'Training']);

    expect((await r.control('POST', '/calls', { from: '0612345678', to: '60100', data: { customerId: 'C-1001' } })).status).toBe(201);
    s = await r.until((v) => only(v)?.state === 'alerting', 'ACD call alerting');
    const call = only(s) as Call;
    expect(call.remote.number).toBe('0612345678');
    expect(call.data).toMatchObject({ customerId: 'C-1001', pilotNumber: '60100' });
    expect(call.allowed).toContain('answer');

    await r.sup.execute({ kind: 'answer', callId: call.id });
    await r.until((v) => only(v)?.state === 'connected' && v.agent?.state === 'busy', 'connected and busy');
    await r.sup.execute({ kind: 'hold', callId: call.id });
    await r.until((v) => only(v)?.state === 'held', 'held');
    await r.sup.execute({ kind: 'retrieve', callId: call.id });
    await r.until((v) => only(v)?.state === 'connected', 'retrieved');

    await r.sup.execute({ kind: 'consult', callId: call.id, to: '70125' });
    await r.until((v) => calls(v).length === 2 && calls(v).some((c) => c.state === 'held'), 'consultation');
    expect((await r.control('POST', '/devices/70125/answer')).status).toBe(200);
    s = await r.until((v) => calls(v).some((c) => c.state === 'connected' && c.allowed.includes('transfer')), 'consultation answered');
    const consultation = calls(s).find((c) => c.state === 'connected') as Call;
    await r.sup.execute({ kind: 'transfer', callId: consultation.id });
    await r.until((v) => calls(v).length === 0, 'transferred away');
    expect(await pbxCallIds(r)).toHaveLength(1);

    // After the ACD call: wrap-up, then ready again.
    s = await r.until((v) => v.agent?.state === 'wrapUp' || v.agent?.state === 'ready', 'after-call state');
    if (s.agent?.state === 'wrapUp') await r.sup.execute({ kind: 'setAgentState', state: 'ready' });
    await r.until((v) => v.agent?.state === 'ready', 'ready again');
    await r.sup.execute({ kind: 'setAgentState', state: 'notReady', reason: 'Training' });
    s = await r.until((v) => v.agent?.state === 'notReady', 'withdrawn');
    expect(s.agent?.reason).toBe('Training');
  });

  it('sets do-not-disturb and a forward, and finds a colleague in the directory', async () => {
    const r = await rig();
    await r.sup.execute({ kind: 'setDnd', on: true });
    await r.until((v) => v.features.dnd, 'dnd on');
    await r.sup.execute({ kind: 'setDnd', on: false });
    await r.until((v) => !v.features.dnd, 'dnd off');
    await r.sup.execute({ kind: 'setForward', type: 'immediate', to: '70125', on: true });
    await r.until((v) => v.features.forwards.some((f) => f.to === '70125'), 'forward on');
    const found = await r.sup.query({ kind: 'directory', text: 'Dup', limit: 10 });
    expect(found).toEqual(expect.arrayContaining([expect.objectContaining({ number: '70125' })]));
  });

  it('lists a missed call from the communication log and acknowledges it', async () => {
    const r = await rig();
    expect((await r.control('POST', '/calls', { from: '0699887766', to: '70123' })).status).toBe(201);
    await r.until((v) => only(v)?.state === 'alerting', 'alerting');
    expect((await r.control('POST', '/devices/0699887766/hangup')).status).toBe(200);
    await r.until((v) => calls(v).length === 0 && (v.features.missedCalls ?? 0) >= 1, 'missed call counted');
    const rows = (await r.sup.query({ kind: 'vendorHistory', limit: 50 })) as Array<{ id: string; outcome: string; acknowledged?: boolean; remoteNumber: string }>;
    const missed = rows.find((row) => row.remoteNumber === '0699887766');
    expect(missed).toMatchObject({ outcome: 'missed', acknowledged: false });
    await r.sup.execute({ kind: 'acknowledgeMissed', ids: [missed?.id ?? ''] });
    await r.until((v) => v.features.missedCalls === 0, 'missed calls acknowledged');
  });

  it("lists the node's users for the profile editor with the administrator account", async () => {
    const r = await rig();
    const profile = Profile.parse({ id: 'pick', name: 'Pick', device: '0', connection: { vendor: 'o2g', primary: { host: '127.0.0.1', port: r.lab.o2g?.primary.port }, login: 'lookup', tls: { caFile: r.lab.o2g?.certificate.file } } });
    const logins = (await adminLoginListers.o2g?.(profile, { login: 'admin', password: 'admin' }, silentLogger())) ?? [];
    expect(logins).toEqual(expect.arrayContaining([expect.objectContaining({ login: 'agent1', device: '70123', acd: true }), expect.objectContaining({ login: 'basic1' })]));
    expect(logins.find((l) => l.login === 'basic1')?.acd).not.toBe(true);
    // A user account is not an administrator: a clear refusal.
    await expect(adminLoginListers.o2g?.(profile, { login: 'agent1', password: '1111' }, silentLogger())).rejects.toMatchObject({ code: 'rejected' });
  });

  it('refuses wrong credentials with a clear error and no retry storm', async () => {
    const r = await rig({ password: 'wrong', waitUp: false });
    const s = await r.until((v) => v.link.state === 'down', 'down');
    expect(s.link.detail ?? '').toMatch(/credential|password|authentic/i);
    // A refused password is retried only at the longest backoff (300 ms here, 30 s by default), never in a burst.
    expect((s.link.retryAt ?? 0) - s.link.since).toBeGreaterThanOrEqual(290);
  });

  it('falls over to the secondary server when the primary is down at start-up', async () => {
    const r = await rig();
    await r.control('POST', '/o2g/servers/primary/stop');
    await r.sup.stop();
    r.sup.start();
    await r.sup.whenUp(8000);
    const secondaryPort = r.lab.endpoints.find((e) => e.vendor === 'o2g' && e.role === 'secondary')?.port;
    expect(r.events.some((e) => e.type === 'notice' && e.code === 'o2gServer' && e.message.includes(`:${secondaryPort}`))).toBe(true);
    const call = await connectedCall(r);
    expect(call.remote.number).toBe('0612345678');
  });

  describe('faults mid-call: the UI ends with the same calls as the PBX', () => {
    it('every connection dropped', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      expect((await r.control('POST', '/clients/drop')).status).toBe(200);
      await recovered(r, call, 'connections dropped');
    });

    it('a half-open event channel (no FIN, no data) is found by its silence and re-opened', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      await r.control('POST', '/o2g/channels/halfopen');
      // The caller hangs up while the channel is silent: once it is re-opened and resynced the call is gone.
      expect((await r.control('POST', '/devices/0612345678/hangup')).status).toBe(200);
      const s = await r.until((v) => calls(v).length === 0, 'the call gone after the re-open', 15_000);
      expect(s.ended[call.id]).toBeDefined();
      expect(await pbxCallIds(r)).toHaveLength(0);
    });

    it('a 10 s stall of the server', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      await r.control('POST', '/o2g/servers/primary/stall', { ms: 10_000 });
      await r.until((v) => v.link.state !== 'up', 'stall noticed', 12_000);
      await recovered(r, call, 'after the stall');
    }, 40_000);

    it('the server restarted mid-call (sessions lost)', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      await r.control('POST', '/o2g/servers/primary/restart');
      await recovered(r, call, 'server restart');
    });

    it('sessions expired: re-authenticates without losing the call', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      await r.control('POST', '/o2g/sessions/expire');
      await recovered(r, call, 'session expiry');
    });

    it('a garbage line and an oversize line on the channel: typed errors, the stream continues', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      await r.control('POST', '/o2g/channels/garbage');
      await r.control('POST', '/o2g/channels/oversize', { bytes: 2 * 1024 * 1024 });
      await r.sup.execute({ kind: 'hold', callId: call.id });
      await r.until((v) => only(v)?.state === 'held', 'held after the bad lines', 15_000);
      expect(only(r.view.current)?.id).toBe(call.id);
    });

    it('events split over several chunks, and several events in one chunk', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      await r.control('POST', '/o2g/channels/split', { parts: 5, events: 2 });
      await r.sup.execute({ kind: 'hold', callId: call.id });
      const held = await r.until((v) => only(v)?.state === 'held', 'held, from split chunks');
      const seq = only(held)?.seq ?? 0;
      // The next two events (retrieve, then hold again) leave the server in one chunk.
      await r.control('POST', '/o2g/channels/coalesce', { events: 2 });
      await r.sup.execute({ kind: 'retrieve', callId: call.id });
      await r.sup.execute({ kind: 'hold', callId: call.id });
      await r.until((v) => only(v)?.state === 'held' && (only(v)?.seq ?? 0) >= seq + 2, 'both events of the coalesced chunk applied');
    });

    it('the PBX link down and up', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      await r.control('POST', '/link/down');
      await r.until((v) => v.link.state === 'degraded', 'degraded');
      await r.control('POST', '/link/up');
      await recovered(r, call, 'link up');
    });
  });
});
