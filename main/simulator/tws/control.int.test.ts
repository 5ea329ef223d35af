// Every /tws control route (the fault injector) and the generic control-API hooks, plus T20 (dropped feed,
// resync; server restart; a truncated frame) and writeRaw.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab.js';
import { TcpFeed, TwsClient, WsFeed, httpCall, paths, session, sleep, state, tag, until } from './test-client.js';

let lab: Lab;
let c: TwsClient;

beforeAll(async () => {
  lab = await startLab({ vendors: ['tws'], portBase: 0, config: { tws: { pollWaitMs: 1000 } } });
  c = new TwsClient(lab);
});
afterAll(async () => lab.stop());
beforeEach(async () => {
  await c.post('/reset');
});

const fe = () => {
  const f = lab.tws?.frontEnd;
  if (!f) throw new Error('no tws');
  return f;
};

describe('/tws control routes', () => {
  it('GET /tws describes tokens, monitors and open feeds', async () => {
    const { token, feed } = await session(c);
    const d = await c.getControl('/tws');
    expect((d.tokens as Array<{ token: string; username: string }>).some((t) => t.token === token && t.username === 'hpiaple')).toBe(true);
    expect((d.monitors as Record<string, string[]>).hpiaple).toEqual(['4694']);
    expect((d.feeds as Array<{ kind: string }>).map((f) => f.kind)).toEqual(['tcp']);
    expect(d.ports).toMatchObject({ http: c.ports.http, tcp: c.ports.tcp });
    feed.close();
  });

  it('feeds/{feed}/stop closes the clients and refuses new ones; start accepts again', async () => {
    const { token, feed } = await session(c);
    const ws = await WsFeed.open(`ws://127.0.0.1:${c.ports.ws}/`, token);
    await until(() => fe().clients('ws').length === 1);
    expect((await c.post('/tws/feeds/tcp/stop')).json).toEqual({ feed: 'tcp', stopped: true, closed: 1 });
    await feed.waitClosed();
    const refused = await TcpFeed.open(c.ports.tcp, token);
    await refused.waitClosed();
    expect(ws.closed).toBe(false);
    expect((await c.post('/tws/feeds/ws/stop')).json).toMatchObject({ closed: 1 });
    await ws.waitClosed();
    await expect(WsFeed.open(`ws://127.0.0.1:${c.ports.ws}/`, token)).rejects.toThrow();
    expect((await c.post('/tws/feeds/wss/stop')).json).toMatchObject({ feed: 'wss', closed: 0 });
    await expect(WsFeed.open(`wss://127.0.0.1:${c.ports.wss}/`, token, c.ca)).rejects.toThrow();
    const poll = (await c.fn('TWS_ConnectToEventService', { tokenGuid: token })) as string;
    expect((await c.post('/tws/feeds/poll/stop')).json).toMatchObject({ feed: 'poll', closed: 1 });
    expect((await c.json('toolkit', 'TWS_GetEvent', { eventTokenGuid: poll })).status).toBe(500);
    expect(await c.fn('TWS_ConnectToEventService', { tokenGuid: token })).toBeNull();
    for (const f of ['tcp', 'ws', 'wss', 'poll']) expect((await c.post(`/tws/feeds/${f}/start`)).json).toEqual({ feed: f, stopped: false });
    const again = await TcpFeed.open(c.ports.tcp, token);
    await until(() => fe().clients('tcp').length === 1);
    expect(again.closed).toBe(false);
    again.close();
    expect((await c.post('/tws/feeds/nope/stop')).status).toBe(404);
    expect((await c.post('/tws/feeds/poll/halfopen')).status).toBe(404);
  });

  it('T20: connections/drop closes every feed and pending poll; tokens and monitors stay; resync', async () => {
    const { token, feed } = await session(c);
    const poll = (await c.fn('TWS_ConnectToEventService', { tokenGuid: token })) as string;
    await c.post('/calls', { from: '0141906666', to: '4694' });
    await feed.waitFor((f) => state(f) === 'delivered');
    expect(await c.fn('TWS_AnswerCallQueued', { tokenGuid: token, szDevice: '4694' })).toBe(0);
    await c.fn('TWS_GetEvent', { eventTokenGuid: poll });
    await c.fn('TWS_GetEvent', { eventTokenGuid: poll });
    const pending = httpCall(`${c.http}${paths.toolkit}/Json/TWS_GetEvent?eventTokenGuid=${poll}`).catch((e: Error) => e);
    await sleep(50);
    const r = await c.post('/tws/connections/drop');
    expect(r.json.dropped).toBe(2);
    await feed.waitClosed();
    expect(await pending).toBeInstanceOf(Error);
    const again = await TcpFeed.open(c.ports.tcp, token);
    await until(() => fe().clients('tcp').length === 1);
    expect(await c.monitor(token, '4694')).toBe(0);
    const cc = (await c.fn('TWS_QueryCCosByDevice', { tokenGuid: token, szDevice: '4694' })) as Array<{ m_Connections: Array<{ m_connectionId: string; m_currentState: string }> }>;
    expect(cc[0]?.m_Connections[0]).toMatchObject({ m_connectionId: 'c1', m_currentState: 'established' });
    await c.post('/devices/0141906666/hangup');
    await again.waitFor((f) => state(f) === 'cleared');
    again.close();
  });

  it('feeds/{feed}/halfopen stops writing without closing', async () => {
    const { feed } = await session(c);
    expect((await c.post('/tws/feeds/tcp/halfopen')).json).toEqual({ feed: 'tcp', halfOpen: 1 });
    await c.post('/calls', { from: '0141906666', to: '4694' });
    await sleep(150);
    expect(feed.frames).toHaveLength(0);
    expect(feed.closed).toBe(false);
    feed.close();
  });

  it('feeds/{feed}/garbage and oversize send one frame; writeRaw counts the clients', async () => {
    const { token, feed } = await session(c);
    const ws = await WsFeed.open(`ws://127.0.0.1:${c.ports.ws}/`, token);
    await until(() => fe().clients('ws').length === 1);
    expect((await c.post('/tws/feeds/tcp/garbage')).json).toEqual({ feed: 'tcp', sent: 1 });
    const g = await feed.waitFor(() => true);
    expect(g).toContain('<m_Conn');
    expect((await c.post('/tws/feeds/ws/garbage', { text: '<<<not xml' })).json).toEqual({ feed: 'ws', sent: 1 });
    expect(await ws.waitFor(() => true)).toBe('<<<not xml');
    const o = await c.post('/tws/feeds/tcp/oversize', { bytes: 300_000 });
    expect(o.json).toMatchObject({ feed: 'tcp', sent: 1, bytes: 300_000 });
    const big = await feed.waitFor((f) => f.length > 100_000);
    expect(big.length).toBe(300_000);
    expect((await c.post('/tws/feeds/tcp/oversize', { bytes: -1 })).status).toBe(400);
    expect((await c.post('/tws/feeds/tcp/garbage', { text: 1 })).status).toBe(400);
    expect(fe().writeRaw('tcp', '<x/>')).toBe(1);
    expect(fe().writeRaw('wss', '<x/>')).toBe(0);
    await feed.waitFor((f) => f === '<x/>');
    feed.close();
    ws.close();
  });

  it('T20 variant: a truncated frame (no separator) then a close', async () => {
    const { feed } = await session(c);
    const client = fe().clients('tcp')[0];
    expect(client).toBeDefined();
    (client as unknown as { socket: { write(b: Buffer): void } }).socket.write(Buffer.from('<CGenericEvent><eventType>CallEv'));
    await c.post('/tws/connections/drop');
    await feed.waitClosed();
    expect(feed.frames).toHaveLength(0);
  });

  it('server/stall: web services and feeds answer nothing for ms, then held events flow', async () => {
    const { token, feed } = await session(c);
    expect((await c.post('/tws/server/stall', { ms: 400 })).json).toEqual({ stalledMs: 400 });
    const started = Date.now();
    const held = httpCall(`${c.http}${paths.toolkit}/Json/TWS_GetCallData?key=x`).catch((e: Error) => e);
    await c.post('/calls', { from: '0141906666', to: '4694' });
    await sleep(150);
    expect(feed.frames).toHaveLength(0);
    expect(await held).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    await feed.waitFor((f) => state(f) === 'delivered');
    expect(await c.fn('TWS_GetCallData', { key: 'x' })).toBeNull();
    expect(token).toBeTruthy();
    expect((await c.post('/tws/server/stall', {})).status).toBe(400);
    feed.close();
  });

  it('server/restart: same ports, tokens and monitors forgotten, the stale token is refused', async () => {
    const { token, feed } = await session(c);
    const ports = { ...c.ports };
    const r = await c.post('/tws/server/restart');
    expect(r.json).toMatchObject({ restarted: true, ports });
    await feed.waitClosed();
    expect(await c.monitor(token, '4694')).toBe(-44);
    const stale = await TcpFeed.open(c.ports.tcp, token);
    await stale.waitClosed(2000);
    const t2 = await c.token();
    expect(await c.monitor(t2, '4694')).toBe(0);
    // The manual's placeholder tokens are part of the fixture: issued again by the restart.
    expect(await c.fn('TWS_HoldCallActive', { tokenGuid: 'xxx-xxxxx-xxx', szDevice: '1000' })).toBe(-3);
  });

  it('tokens/expire: every token answers -44 and the feeds close', async () => {
    const { token, feed } = await session(c);
    const r = await c.post('/tws/tokens/expire');
    expect(r.json.closed).toBe(1);
    await feed.waitClosed();
    expect(await c.fn('TWS_HoldCallActive', { tokenGuid: token, szDevice: '4694' })).toBe(-44);
    expect(await c.fn('TWS_NormalizeNumber', { tokenGuid: token, szTo: '1' })).toBeNull();
    const t2 = await c.token();
    expect(await c.monitor(t2, '4694')).toBe(-44);
    await c.post('/reset');
    const t3 = await c.token();
    expect(await c.monitor(t3, '4694')).toBe(0);
  });

  it('FrontEndControl: /clients/drop, /sessions/{device}/close, /reset', async () => {
    const { token, feed } = await session(c);
    expect((await c.post('/sessions/4694/close')).json).toEqual({ closed: '4694' });
    expect(await c.fn('TWS_QueryCCosByDevice', { tokenGuid: token, szDevice: '4694' })).toBeNull();
    const d = await c.post('/clients/drop');
    expect(d.json.dropped).toBeGreaterThanOrEqual(1);
    await feed.waitClosed();
    expect(await c.monitor(token, '4694')).toBe(-44);
  });
});

describe('agent events from the control API', () => {
  it('a state change on the set (control API) reaches the monitoring user', async () => {
    const { feed } = await session(c);
    await c.post('/devices/4694/agent', { state: 'loggedOn' });
    const ev = await feed.waitFor((f) => tag(f, 'eventType') === 'CGenericAgentEvent');
    expect(tag(ev, 'AgentState')).toBe('LoggedOn');
    feed.close();
  });
});
