// The TWS connector under the session supervisor, against the lab PBX's TWS front-end over real loopback
// sockets (web services in Json / Xml / SOAP over HTTP and HTTPS, the TCP event socket, the WebSocket, the
// long-poll event service), driven and faulted through the control API. The lab's and the connector's timers
// are shrunk (poll wait, keep-alives, preferred-feed retry, backoff) so the file runs in well under a minute.
import { afterEach, describe, expect, it } from 'vitest';
import { CtiError } from '../../../shared/commands.js';
import type { CtiEvent } from '../../../shared/events.js';
import type { Call, Colleague, LinkInfo, ViewState } from '../../../shared/model.js';
import { Profile, type ProfileSecret } from '../../../shared/profile.js';
import { createLogger, silentLogger } from '../../core/log.js';
import type { SessionSupervisor } from '../../core/supervisor.js';
import { testDesk } from '../../core/test-desk.js';
import type { ViewStore } from '../../core/view-store.js';
import { demoSecret, demoTwsProfile } from '../../profiles/demo-profile.js';
import { type ControlReply, callControl } from '../../simulator/lab-client.js';
import { startLab, type Lab } from '../../simulator/lab.js';
import type { TwsConfig } from '../../simulator/tws/config.js';
import { createTwsConnector, type TwsConnectorOptions } from './connector.js';

const TCP = 'TCP event socket';
const WS = 'WebSocket';
const POLL = 'web-service polling';

interface Desk {
  view: ViewStore;
  sup: SessionSupervisor;
  events: CtiEvent[];
  /** Labels the connector reported through listeners.feed, in order. */
  feeds: Array<string | null>;
  until(pred: (s: ViewState) => boolean, what: string, ms?: number): Promise<ViewState>;
  /** Wait for the n-th feed label report from `from` on that matches. */
  feedIs(label: string | null, from?: number, ms?: number): Promise<void>;
}

interface Rig extends Desk {
  lab: Lab;
  feedIdsAt: Map<number, string[]>;
  control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ControlReply>;
  desk(opts?: DeskOptions): Promise<Desk>;
}

interface DeskOptions {
  /** Fields laid over the demo profile's connection (feeds, api, https, tls, pbx, username …). */
  connection?: Record<string, unknown> | ((lab: Lab) => Record<string, unknown>);
  /** Fields laid over the profile (device, agentId, commandTimeoutMs …). */
  profile?: Record<string, unknown>;
  secret?: Partial<ProfileSecret>;
  options?: TwsConnectorOptions;
  waitUp?: boolean;
}

interface RigOptions extends DeskOptions {
  tws?: Partial<TwsConfig>;
}

const rigs: Array<{ lab: Lab; sups: SessionSupervisor[] }> = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    for (const s of r.sups) await s.stop();
    await r.lab.stop();
  }
});

/** Short timers for the connector: keep-alive comparison and AUDIT fast, fallback quick, polls short. */
const fastOptions: TwsConnectorOptions = { keepAliveMs: 300, feedIdleMs: 1500, retryPreferredMs: 700, pollWaitMs: 400, tokenCheckMs: 400, wsPingMs: 300, badFrameResyncMs: 50 };

async function rig(opts: RigOptions = {}): Promise<Rig> {
  const lab = await startLab({ vendors: ['tws'], portBase: 0, demo: false, log: silentLogger(), config: { tws: { pollWaitMs: 400, ...opts.tws } } });
  const entry = { lab, sups: [] as SessionSupervisor[] };
  rigs.push(entry);
  const port = (t: 'http' | 'https' | 'tcp' | 'ws' | 'wss') => lab.endpoints.find((e) => e.vendor === 'tws' && e.transport === t)?.port ?? 0;
  const control = (method: 'GET' | 'POST', path: string, body?: unknown) => callControl(() => lab, method, path, body);

  const desk = async (o: DeskOptions = {}): Promise<Desk> => {
    const demo = demoTwsProfile({ host: '127.0.0.1', port: port('http'), tcpPort: port('tcp'), wsPort: port('ws') });
    const conn = typeof o.connection === 'function' ? o.connection(lab) : (o.connection ?? {});
    const https = conn.https === true;
    const profile = Profile.parse({
      ...demo,
      keepAliveSec: 0.4,
      commandTimeoutMs: 3000,
      reconnect: { initialMs: 50, maxMs: 400 },
      ...o.profile,
      connection: { ...demo.connection, feeds: ['tcp'], ...(https ? { port: port('https') } : {}), ...conn },
    });
    const feeds: Array<string | null> = [];
    const feedWaiters = new Set<() => void>();
    // TWS_LAB_DEBUG=1 shows the connector's log (and every frame) while a scenario runs.
    const log = process.env.TWS_LAB_DEBUG ? createLogger({ level: 'debug' }) : silentLogger();
    const secret = { ...(demoSecret('demo-tws') as ProfileSecret), ...o.secret };
    const connector = createTwsConnector({ profile: { ...profile, trace: process.env.TWS_LAB_DEBUG === 'trace' }, secret, log }, { ...fastOptions, ...o.options });
    const setListeners = connector.setListeners.bind(connector);
    connector.setListeners = (l) =>
      setListeners({
        ...l,
        feed: (f) => {
          feeds.push(f);
          l.feed?.(f);
          for (const w of [...feedWaiters]) w();
        },
      });
    const { view, sup, events, until } = testDesk(profile, connector);
    entry.sups.push(sup);
    const feedIs = (label: string | null, from = 0, ms = 8000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!feeds.slice(from).includes(label)) return;
          clearTimeout(timer);
          feedWaiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          feedWaiters.delete(check);
          reject(new Error(`feed label ${String(label)} not reported (history: ${feeds.map(String).join(' → ')})`));
        }, ms);
        feedWaiters.add(check);
        check();
      });
    const d: Desk = { view, sup, events, feeds, until, feedIs };
    sup.start();
    if (o.waitUp !== false) await sup.whenUp(8000);
    return d;
  };
  const main = await desk(opts);
  return { ...main, lab, control, desk, feedIdsAt: new Map() };
}

const calls = (s: ViewState): Call[] => Object.values(s.calls);
const only = (s: ViewState): Call | undefined => (calls(s).length === 1 ? calls(s)[0] : undefined);
const linkEvents = (d: Desk, from = 0): LinkInfo[] => d.events.slice(from).flatMap((e) => (e.type === 'link' ? [e.link] : []));
const snapshotsSince = (d: Desk, from: number): number => d.events.slice(from).filter((e) => e.type === 'snapshot').length;
const colleague = (s: ViewState, n: string): Colleague | undefined => s.colleagues.find((c) => c.number === n);

interface PbxCall {
  id: string;
  parties: Array<{ number: string; state: string }>;
}
const pbxCalls = async (r: Rig): Promise<PbxCall[]> => (await r.control('GET', '/calls')).json as PbxCall[];
/** The PBX's calls that 4694 is in. */
const pbxCallsOf4694 = async (r: Rig) => (await pbxCalls(r)).filter((c) => c.parties.some((p) => p.number === '4694' && p.state !== 'cleared'));

async function place(r: Rig, from: string, fromName?: string, to = '4694'): Promise<void> {
  const res = await r.control('POST', '/calls', { from, to, ...(fromName ? { fromName } : {}) });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
}

async function hangup(r: Rig, n: string): Promise<void> {
  const res = await r.control('POST', `/devices/${n}/hangup`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
}

/** An inbound call to 4694 from `from`, answered. */
async function connectedCall(r: Desk & Pick<Rig, 'control'>, from = '0612345678'): Promise<Call> {
  await place(r as Rig, from, 'Sophie Lefebvre');
  const s = await r.until((v) => calls(v).some((c) => c.remote.number === from && c.state === 'alerting'), `${from} alerting`);
  const call = calls(s).find((c) => c.remote.number === from) as Call;
  await r.sup.execute({ kind: 'answer', callId: call.id });
  await r.until((v) => v.calls[call.id]?.state === 'connected', 'connected');
  return call;
}

/** After a fault: the link went away from up (or the feed was replaced), is up again, and the desktop holds
 *  exactly the PBX's calls of 4694 under their old ids. */
async function recovered(r: Rig, mark: number, expected: Call[], what: string, opts: { dip?: 'link' | 'any' } = {}): Promise<ViewState> {
  const ids = expected.map((c) => c.id).sort();
  const feedsBefore = r.feedIdsAt.get(mark) ?? [];
  const s = await r.until(
    (v) =>
      v.link.state === 'up' &&
      v.link.feed !== undefined &&
      calls(v)
        .map((c) => c.id)
        .sort()
        .join() === ids.join() &&
      snapshotsSince(r, mark) > 0,
    `${what}: up with ${ids.join(', ') || 'no call'} after a resync`,
    15_000,
  );
  const dip = opts.dip ?? 'link';
  const linkDipped = linkEvents(r, mark).some((l) => l.state !== 'up');
  // Or the feed was replaced in place (same kind, so the same label): a new client on the lab's side.
  const feedsNow = await labFeedIds(r);
  const replaced = feedsNow.length > 0 && feedsNow.every((id) => !feedsBefore.includes(id));
  if (dip === 'link') expect(linkDipped, `${what}: the link should leave 'up' (${JSON.stringify(linkEvents(r, mark))})`).toBe(true);
  else expect(linkDipped || replaced, `${what}: the link left 'up' or the feed was replaced`).toBe(true);
  expect((await pbxCallsOf4694(r)).length, `${what}: the PBX's calls of 4694`).toBe(expected.length);
  for (const c of expected) expect(s.calls[c.id]?.remote.number).toBe(c.remote.number);
  return s;
}

const labFeedIds = async (r: Rig): Promise<string[]> => {
  const t = (await r.control('GET', '/tws')).json as { feeds: Array<{ id: string | number; username: string }> };
  return t.feeds.filter((f) => f.username === 'hpiaple').map((f) => String(f.id));
};

/** Mark the event log before a fault (and remember the lab's feed clients then). */
async function markFault(r: Rig): Promise<number> {
  const mark = r.events.length;
  r.feedIdsAt.set(mark, await labFeedIds(r));
  return mark;
}

const tokenRequests = async (r: Rig): Promise<number> => {
  const t = (await r.control('GET', '/tws')).json as { requests?: Record<string, number> };
  return t.requests?.TWS_GetMyToken2 ?? 0;
};

describe('TWS against the lab PBX', () => {
  it('the whole agent flow over the TCP feed (json)', async () => {
    // The fixture: tme (4594) has 4694 in its intercom group, so tme's desktop gets supervision events of 4694
    // (and hpiaple's group holds 4594 and 3000, whose lamps start from GetDevicesState).
    const r = await rig({ connection: { api: 'json', feeds: ['tcp'] } });
    expect(r.view.current.link.feed).toBe(TCP);
    expect(r.feeds).toContain(TCP);
    expect(r.view.current.capabilities).toContain('setAgentState');
    const tme = await r.desk({ profile: { id: 'lab-tme', device: '4594', agentId: '' }, connection: { username: 'tme', colleagues: ['4694'], agentGroup: '' }, secret: { password: 'pw4594' } });
    await tme.until((v) => colleague(v, '4694')?.state === 'idle', "4694 idle on tme's desk");

    // ACD login, ready.
    await r.sup.execute({ kind: 'setAgentState', state: 'loggedOn' });
    let s = await r.until((v) => v.agent?.state === 'ready', 'agent logged on and ready');
    expect(s.agent).toMatchObject({ agentId: '1000', group: '1100' });
    await r.sup.execute({ kind: 'setAgentState', state: 'notReady' });
    await r.until((v) => v.agent?.state === 'notReady', 'not ready');
    await r.sup.execute({ kind: 'setAgentState', state: 'ready' });
    await r.until((v) => v.agent?.state === 'ready', 'ready again');

    // Colleagues on hpiaple's desk: device states (4594 monitored by tme's desk → Connected → idle).
    await r.sup.resync();
    s = await r.until((v) => colleague(v, '4594')?.state === 'idle', '4594 idle (Connected)');
    // Nobody monitors 3000: TWS says Disconnected, which means "not monitored", not out of service.
    expect(colleague(s, '3000')).toMatchObject({ state: 'unknown' });

    // Inbound call with the caller's name: the screen pop fields.
    await place(r, '0612345678', 'Sophie Lefebvre');
    s = await r.until((v) => only(v)?.state === 'alerting', 'alerting');
    const call = only(s) as Call;
    expect(call).toMatchObject({ direction: 'inbound', remote: { number: '0612345678', name: 'Sophie Lefebvre' } });
    expect(call.called?.number).toBe('4694');
    expect(call.allowed).toEqual(expect.arrayContaining(['answer', 'redirect']));
    expect(s.pop).toMatchObject({ id: call.id, remote: { number: '0612345678', name: 'Sophie Lefebvre' } });
    await tme.until((v) => colleague(v, '4694')?.state === 'ringing', "4694 ringing on tme's desk");

    await r.sup.execute({ kind: 'answer', callId: call.id });
    await r.until((v) => v.calls[call.id]?.state === 'connected', 'connected');
    s = await tme.until((v) => colleague(v, '4694')?.state === 'busy', "4694 busy on tme's desk");
    expect(colleague(s, '4694')?.remote?.number).toBe('0612345678');
    await r.sup.execute({ kind: 'hold', callId: call.id });
    await r.until((v) => v.calls[call.id]?.state === 'held', 'held');
    await r.sup.execute({ kind: 'retrieve', callId: call.id });
    await r.until((v) => v.calls[call.id]?.state === 'connected', 'retrieved');

    // Call data set on the call.
    await r.sup.execute({ kind: 'setCallData', callId: call.id, data: { customerId: 'C-1001', topic: 'billing; late' } });
    await r.until((v) => v.calls[call.id]?.data.customerId === 'C-1001', 'call data on the call');

    // Consultation of 4594, alternate, conference.
    await r.sup.execute({ kind: 'consult', callId: call.id, to: '4594' });
    s = await r.until((v) => calls(v).length === 2 && v.calls[call.id]?.state === 'held', 'consultation');
    const consult = calls(s).find((c) => c.id !== call.id) as Call;
    expect(consult).toMatchObject({ direction: 'outbound', isConsultation: true, remote: { number: '4594' } });
    await tme.until((v) => calls(v).some((c) => c.state === 'alerting'), 'the consultation rings on 4594');
    expect((await r.control('POST', '/devices/4594/answer')).status).toBe(200);
    s = await r.until((v) => v.calls[consult.id]?.state === 'connected' && (v.calls[consult.id]?.allowed ?? []).includes('alternate'), 'consultation answered');
    expect(s.calls[consult.id]?.allowed).not.toContain('transfer');
    await r.sup.execute({ kind: 'alternate', callId: consult.id });
    await r.until((v) => v.calls[call.id]?.state === 'connected' && v.calls[consult.id]?.state === 'held', 'alternated');
    await r.sup.execute({ kind: 'alternate', callId: call.id });
    await r.until((v) => v.calls[call.id]?.state === 'held' && v.calls[consult.id]?.state === 'connected', 'alternated back');
    await r.sup.execute({ kind: 'conference', callId: consult.id });
    s = await r.until((v) => calls(v).length === 1 && only(v)?.isConference === true, 'conference');
    const conf = only(s) as Call;
    expect(conf.conferenceParties.map((p) => p.number).sort()).toEqual(['0612345678', '4594']);
    expect((await pbxCallsOf4694(r)).length).toBe(1);
    await r.sup.execute({ kind: 'clear', callId: conf.id });
    await r.until((v) => calls(v).length === 0, 'conference left');
    expect(await pbxCallsOf4694(r)).toHaveLength(0);
    // The two others stay together; hang them up.
    await hangup(r, '4594');
    await tme.until((v) => calls(v).length === 0, 'tme idle');
    for (const c of await pbxCalls(r)) for (const p of c.parties) if (p.state !== 'cleared') await r.control('POST', `/devices/${p.number}/hangup`);

    // Blind transfer to 4594.
    const t1 = await connectedCall(r, '0611111111');
    await r.sup.execute({ kind: 'transfer', callId: t1.id, to: '4594' });
    s = await r.until((v) => calls(v).length === 0 && v.ended[t1.id] !== undefined, 'transferred away');
    await tme.until((v) => calls(v).some((c) => c.remote.number === '0611111111' && c.state === 'alerting'), 'the transferred call rings on 4594');
    expect(await pbxCallsOf4694(r)).toHaveLength(0);
    await hangup(r, '0611111111');
    await tme.until((v) => calls(v).length === 0, 'tme idle');

    // Redirect (divert) of a ringing call.
    await place(r, '0622222222');
    s = await r.until((v) => only(v)?.state === 'alerting', 'alerting for the divert');
    const d1 = only(s) as Call;
    await r.sup.execute({ kind: 'redirect', callId: d1.id, to: '4594' });
    await r.until((v) => calls(v).length === 0 && v.ended[d1.id] !== undefined, 'diverted away');
    await tme.until((v) => calls(v).some((c) => c.remote.number === '0622222222'), 'the diverted call rings on 4594');
    await hangup(r, '0622222222');
    await tme.until((v) => calls(v).length === 0, 'tme idle');

    // Park on 5000 and take it back.
    const p1 = await connectedCall(r, '0633333333');
    await r.sup.execute({ kind: 'park', callId: p1.id, to: '5000' });
    await r.until((v) => calls(v).length === 0, 'parked away');
    expect(await pbxCallsOf4694(r)).toHaveLength(0);
    await r.sup.execute({ kind: 'unpark', from: '5000' });
    s = await r.until((v) => only(v)?.state === 'connected' && only(v)?.remote.number === '0633333333', 'unparked');
    const unparked = only(s) as Call;
    expect((await pbxCallsOf4694(r)).length).toBe(1);
    await r.sup.execute({ kind: 'clear', callId: unparked.id });
    await r.until((v) => calls(v).length === 0, 'cleared');
    expect(await pbxCallsOf4694(r)).toHaveLength(0);

    // Forward on and off (immediate), and the features event.
    let mark = r.events.length;
    await r.sup.execute({ kind: 'setForward', type: 'immediate', to: '4594', on: true });
    await r.until((v) => v.features.forwards.some((f) => f.type === 'immediate' && f.to === '4594'), 'forward on');
    expect(r.events.slice(mark).some((e) => e.type === 'features' && e.features.forwards?.some((f) => f.to === '4594'))).toBe(true);
    mark = r.events.length;
    await r.sup.execute({ kind: 'setForward', type: 'immediate', on: false });
    await r.until((v) => v.features.forwards.length === 0, 'forward off');
    expect(r.events.slice(mark).some((e) => e.type === 'features')).toBe(true);

    // Directory.
    const found = await r.sup.query({ kind: 'directory', text: 'Martin', limit: 10 });
    expect(found).toEqual(expect.arrayContaining([expect.objectContaining({ name: expect.stringContaining('Françoise Martin') as unknown, number: '0141906666' })]));

    // Call log: the calls above, newest first.
    const rows = (await r.sup.query({ kind: 'vendorHistory', limit: 50 })) as Array<{ remoteNumber: string; direction: string; outcome: string; source: string }>;
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows).toEqual(expect.arrayContaining([expect.objectContaining({ remoteNumber: '0612345678', direction: 'inbound', source: 'pbx' })]));
    expect(rows.find((x) => x.remoteNumber === '0622222222')).toBeDefined();

    // Call data where the lab has it: a later desktop session of the same user sees a live call's data, read
    // back from TWS's call-data cache (TWS_GetCallData by m_callLogId); a new inbound call carries none.
    const cd = await connectedCall(r, '0644444444');
    await r.sup.execute({ kind: 'setCallData', callId: cd.id, data: { customerId: 'C-2002' } });
    await r.until((v) => v.calls[cd.id]?.data.customerId === 'C-2002', 'data set');
    const later = await r.desk({ profile: { id: 'lab-tws-2' } });
    s = await later.until((v) => calls(v).some((c) => c.remote.number === '0644444444' && c.data.customerId === 'C-2002'), 'call data read back from TWS');
    await hangup(r, '0644444444');
    await r.until((v) => calls(v).length === 0, 'the data call ended');
    await place(r, '0655555555');
    s = await r.until((v) => only(v)?.remote.number === '0655555555', 'the next inbound call');
    expect(only(s)?.data).toEqual({});
    expect((await pbxCallsOf4694(r)).length).toBe(1);
  });

  it.each([
    ['xml', { api: 'xml' }],
    ['soap', { api: 'soap' }],
    ['json over HTTPS trusting the lab certificate', { https: true, tls: 'ca' }],
    ['soap over HTTPS with a pin', { https: true, api: 'soap', tls: 'pin' }],
  ] as const)('the basic call with %s', async (_name, conn) => {
    const r = await rig({
      connection: (lab) => {
        const cert = lab.tws?.certificate;
        const { tls, ...rest } = conn as { tls?: 'ca' | 'pin' };
        return { ...rest, tls: tls === 'ca' ? { caFile: cert?.file } : tls === 'pin' ? { pinSha256: cert?.sha256 } : {} };
      },
    });
    const call = await connectedCall(r);
    expect(call.remote).toMatchObject({ number: '0612345678', name: 'Sophie Lefebvre' });
    await r.sup.execute({ kind: 'clear', callId: call.id });
    await r.until((v) => calls(v).length === 0, 'cleared');
    expect(await pbxCallsOf4694(r)).toHaveLength(0);
  });

  it('refuses HTTPS with a wrong pin: a clear error, no retry storm', async () => {
    const r = await rig({ waitUp: false, connection: { https: true, tls: { pinSha256: Array(32).fill('AB').join(':') } } });
    const s = await r.until((v) => v.link.state === 'down' && (v.link.detail ?? '').includes('fingerprint'), 'down with the pin error');
    expect(s.link.detail).toMatch(/certificate fingerprint mismatch/);
    // Refused before any request: no token asked for; the supervisor's backoff spaces the attempts.
    expect(s.link.retryAt ?? 0).toBeGreaterThan(s.link.since);
    const t0 = Date.now();
    await r.until((v) => v.link.attempt >= 3, 'three attempts', 5000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50);
    expect(await tokenRequests(r)).toBe(0);
  });

  it.each([
    ['websocket', WS],
    ['poll', POLL],
  ] as const)('receives the call events on the %s feed alone', async (feed, label) => {
    const r = await rig({ connection: { feeds: [feed] } });
    expect(r.view.current.link.feed).toBe(label);
    const call = await connectedCall(r);
    await r.sup.execute({ kind: 'hold', callId: call.id });
    await r.until((v) => v.calls[call.id]?.state === 'held', 'held');
    await hangup(r, '0612345678');
    await r.until((v) => calls(v).length === 0, 'the caller hung up');
  });

  it('falls back TCP → WebSocket → polling and back to TCP, re-syncing on each switch', async () => {
    const r = await rig({ connection: { feeds: ['tcp', 'websocket', 'poll'] } });
    expect(r.view.current.link.feed).toBe(TCP);
    /** A call to 4694 seen ringing, then the caller hangs up and it is gone (the lab has no call waiting). */
    const ringAndGo = async (from: string, what: string) => {
      const s = await r.until((v) => calls(v).some((c) => c.remote.number === from && c.state === 'alerting'), `${what}: ${from} ringing`);
      const id = calls(s).find((c) => c.remote.number === from)?.id as string;
      await hangup(r, from);
      await r.until((v) => v.calls[id] === undefined && v.ended[id] !== undefined, `${what}: ${from} gone`);
    };
    const step = async (fault: string, from: string, label: string, what: string) => {
      const mark = r.events.length;
      const fm = r.feeds.length;
      const t0 = Date.now();
      expect((await r.control('POST', fault)).status).toBe(200);
      // A call placed while switching is not lost: the resync after the switch brings it.
      await place(r, from);
      await r.feedIs(label, fm);
      const took = Date.now() - t0;
      await ringAndGo(from, what);
      expect(r.view.current.link.feed).toBe(label);
      expect(snapshotsSince(r, mark), `${what}: a resync`).toBeGreaterThan(0);
      return took;
    };
    await step('/tws/feeds/tcp/stop', '0611111111', WS, 'TCP stopped');
    await place(r, '0622222222');
    await ringAndGo('0622222222', 'a call placed on the WebSocket');
    expect(r.events.some((e) => e.type === 'notice' && e.code === 'twsFeed' && e.message.includes(WS))).toBe(true);
    await step('/tws/feeds/ws/stop', '0633333333', POLL, 'WebSocket stopped');
    // Back to the preferred feed within retryPreferredMs (700 ms) plus the settle window (400 ms).
    const back = await step('/tws/feeds/tcp/start', '0644444444', TCP, 'TCP started');
    expect(back).toBeLessThan(2500);
    await place(r, '0655555555');
    await ringAndGo('0655555555', 'back on TCP');
    // The feeds in use, in order; between two, a gap (null) the link shows as degraded.
    const inUse = r.feeds.filter((f, i, all) => f !== null && f !== all.slice(0, i).filter((x) => x !== null).at(-1));
    expect(inUse).toEqual([TCP, WS, POLL, TCP]);
    expect(r.feeds).toContain(null);
    expect(await pbxCallsOf4694(r)).toHaveLength(0);
    expect(calls(r.view.current)).toHaveLength(0);
  });

  describe('faults: full recovery, the desktop ends with the PBX calls', () => {
    it('every connection dropped mid-call', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      const mark = await markFault(r);
      expect((await r.control('POST', '/tws/connections/drop')).status).toBe(200);
      await recovered(r, mark, [call], 'connections dropped', { dip: 'any' });
      // The UI saw the gap: degraded while the feed was re-opened, then up on it again.
      const seen = linkEvents(r);
      expect(seen.some((l) => l.state === 'degraded' && /event feed was lost/.test(l.detail ?? ''))).toBe(true);
      expect(seen.at(-1)).toMatchObject({ state: 'up', feed: 'TCP event socket' });
    });

    it('a half-open TCP feed is found and replaced; calls changed meanwhile are right after', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      const mark = r.events.length;
      await r.control('POST', '/tws/feeds/tcp/halfopen');
      // During the silence: the caller hangs up and a new call rings.
      await hangup(r, '0612345678');
      await place(r, '0699999999');
      const s = await r.until((v) => v.calls[call.id] === undefined && calls(v).some((c) => c.remote.number === '0699999999' && c.state === 'alerting'), 'the state after the half-open feed was replaced', 15_000);
      expect(s.ended[call.id]).toBeDefined();
      expect(calls(s)).toHaveLength(1);
      expect(snapshotsSince(r, mark)).toBeGreaterThan(0);
      // Detected by the keep-alive comparison (missed changes on a silent feed): degraded, then up on a new socket.
      expect(linkEvents(r, mark).some((l) => l.state === 'degraded')).toBe(true);
      await r.until((v) => v.link.state === 'up', 'up again');
      expect((await r.control('GET', '/tws')).json).toMatchObject({ feedsByKind: { tcp: 1 } });
      const fresh = only(s) as Call;
      expect((await pbxCallsOf4694(r)).length).toBe(1);
      // The new socket delivers: answer it.
      await r.sup.execute({ kind: 'answer', callId: fresh.id });
      await r.until((v) => v.calls[fresh.id]?.state === 'connected', 'answered on the new feed');
    });

    it('a 10 s server stall: commands time out clearly, state recovers after', async () => {
      const r = await rig({ profile: { commandTimeoutMs: 1500 } });
      const call = await connectedCall(r);
      const mark = await markFault(r);
      await r.control('POST', '/tws/server/stall', { ms: 10_000 });
      const err = await r.sup.execute({ kind: 'hold', callId: call.id }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CtiError);
      expect((err as CtiError).code).toBe('timeout');
      expect((err as CtiError).message).toMatch(/hold|no reply/i);
      await r.until((v) => v.link.state !== 'up', 'stall noticed', 12_000);
      await recovered(r, mark, [call], 'after the stall');
      // The hold may have been carried out when the server woke up: the desktop follows the PBX.
      const st = r.view.current.calls[call.id]?.state;
      const pbx = (await pbxCallsOf4694(r))[0]?.parties.find((p) => p.number === '4694')?.state;
      expect(st === 'held').toBe(pbx === 'hold');
    }, 40_000);

    it('a server restart mid-call: re-authenticates, re-monitors, the call keeps its id', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      const before = await tokenRequests(r);
      const mark = await markFault(r);
      await r.control('POST', '/tws/server/restart');
      await recovered(r, mark, [call], 'server restart', { dip: 'any' });
      expect(await tokenRequests(r)).toBeGreaterThan(0);
      void before;
      const tws = (await r.control('GET', '/tws')).json as { monitors: Record<string, string[]> };
      expect(tws.monitors.hpiaple).toEqual(['4694']);
      await r.sup.execute({ kind: 'hold', callId: call.id });
      await r.until((v) => v.calls[call.id]?.state === 'held', 'held after the restart');
    });

    it.each(['garbage', 'oversize'] as const)('a %s frame on the TCP feed: typed error logged, the feed goes on, resync', async (kind) => {
      const r = await rig();
      const call = await connectedCall(r);
      const mark = r.events.length;
      const res = await r.control('POST', `/tws/feeds/tcp/${kind}`, kind === 'oversize' ? { bytes: 2 * 1024 * 1024 } : {});
      expect(res.json).toMatchObject({ sent: 1 });
      await r.until(() => snapshotsSince(r, mark) > 0, 'a resync after the bad frame');
      await r.sup.execute({ kind: 'hold', callId: call.id });
      await r.until((v) => v.calls[call.id]?.state === 'held', 'held after the bad frame');
      await hangup(r, '0612345678');
      await place(r, '0677777777');
      const s = await r.until((v) => calls(v).length === 1 && only(v)?.remote.number === '0677777777', 'the next call');
      expect(s.link).toMatchObject({ state: 'up', feed: TCP });
      expect(r.feeds).toEqual([TCP]);
      expect((await pbxCallsOf4694(r)).length).toBe(1);
    });

    it('token expiry: re-authenticates without losing the call', async () => {
      const r = await rig();
      const call = await connectedCall(r);
      const before = await tokenRequests(r);
      const mark = await markFault(r);
      expect((await r.control('POST', '/tws/tokens/expire', { existingOnly: true })).status).toBe(200);
      await recovered(r, mark, [call], 'token expiry', { dip: 'any' });
      expect(await tokenRequests(r)).toBeGreaterThan(before);
      await r.sup.execute({ kind: 'hold', callId: call.id });
      await r.until((v) => v.calls[call.id]?.state === 'held', 'held after re-authentication');
    });

    it.each([
      ['a bad password', { password: 'wrong' }, /user name or password/i],
      ['a wrong API key', { apiKey: 'bm90IHRoZSBrZXk=' }, /API key/i],
    ] as const)('refuses %s: authFailed with the reason, one token request per attempt, no retry storm', async (_n, secret, why) => {
      const r = await rig({ waitUp: false, secret });
      const s = await r.until((v) => v.link.state === 'down' && v.link.retryAt !== undefined, 'down');
      expect(s.link.detail ?? '').toMatch(why);
      // authFailed waits the longest backoff (400 ms here) between attempts.
      expect((s.link.retryAt ?? 0) - s.link.since).toBeGreaterThanOrEqual(390);
      await r.until((v) => v.link.attempt >= 3 && v.link.state === 'down', 'three attempts', 5000);
      await r.sup.stop();
      const attempts = linkEvents(r).filter((l) => l.state === 'connecting').length;
      expect(await tokenRequests(r)).toBe(attempts);
    });
  });

  it("another PBX than Alcatel: no agent functions, an agent command is 'unsupported'", async () => {
    const r = await rig({ tws: { pbxType: 'other' }, connection: { pbx: 'other' } });
    expect(r.view.current.capabilities).not.toContain('setAgentState');
    expect(r.view.current.agent).toBeNull();
    await expect(r.sup.execute({ kind: 'setAgentState', state: 'ready' })).rejects.toMatchObject({ code: 'unsupported' });
    const call = await connectedCall(r);
    expect(call.remote.number).toBe('0612345678');
  });
});

