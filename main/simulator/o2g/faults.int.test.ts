// Fault injection through the control API (README, control-API section): dropped connections, a stopped or
// stalled server, half-open channels, garbage and oversize lines, split and coalesced chunks, expired
// sessions, the PBX link down and up.
import { afterEach, describe, expect, it } from 'vitest';
import { o2gHarness, type O2gHarness } from './test-client.js';

let h: O2gHarness;
afterEach(async () => {
  await h?.close();
});

describe('connections', () => {
  it('POST /clients/drop closes every O2G connection, channels included, and forgets the sessions', async () => {
    h = await o2gHarness();
    const { c, ch } = await h.subscribed('agent1', '1111', ['telephony']);
    const r = await h.control('POST', '/clients/drop');
    expect(r.status).toBe(200);
    expect(r.json.dropped).toBeGreaterThanOrEqual(1);
    await ch.ends();
    expect((await c.api('GET', '/telephony/calls')).json.code).toBe(1001);
  });

  it('/o2g/connections/drop with keepSessions: the stream dies, the session and the subscription live on', async () => {
    h = await o2gHarness();
    const { c, ch, url } = await h.subscribed('agent1', '1111', ['telephony']);
    expect((await h.control('POST', '/o2g/connections/drop', { keepSessions: true })).json.dropped).toBeGreaterThanOrEqual(1);
    await ch.ends();
    expect((await c.api('GET', '/telephony/calls')).status).toBe(200);
    const again = await c.openChannel(url);
    expect(await again.next('OnChannelInformation')).toBeDefined();
    again.close();
  });

  it('a stopped server refuses connections; started again it serves, without the old sessions', async () => {
    h = await o2gHarness();
    const c = await h.user('agent1', '1111');
    expect((await h.control('POST', '/o2g/servers/primary/stop')).json).toEqual({ role: 'primary', running: false });
    await expect(c.request('GET', '/api/rest')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // The secondary still answers.
    expect((await h.client('secondary').request('GET', '/api/rest')).status).toBe(200);
    expect((await h.control('POST', '/o2g/servers/primary/start')).json).toMatchObject({ role: 'primary', running: true, port: h.lab.o2g?.primary.port });
    expect((await c.request('GET', '/api/rest')).status).toBe(200);
    expect((await c.api('GET', '/telephony/calls')).json.code).toBe(1001);
    expect((await h.control('POST', '/o2g/servers/secondary/restart')).json.running).toBe(true);
    expect((await h.control('POST', '/o2g/servers/tertiary/stop')).status).toBe(404);
  });

  it('a stalled server accepts connections and answers nothing until the stall ends', async () => {
    h = await o2gHarness();
    const c = h.client();
    expect((await h.control('POST', '/o2g/servers/primary/stall', { ms: 600 })).json).toEqual({ role: 'primary', stalledMs: 600 });
    await expect(c.request('GET', '/api/rest', undefined, { timeoutMs: 250 })).rejects.toThrow(/no answer/);
    expect((await h.control('GET', '/o2g')).json.servers[0].stalled).toBe(true);
    await new Promise((r) => setTimeout(r, 450));
    expect((await c.request('GET', '/api/rest')).status).toBe(200);
    expect((await h.control('POST', '/o2g/servers/primary/stall', {})).status).toBe(400);
  });

  it('an administrator close of a device\'s session (POST /sessions/{device}/close)', async () => {
    h = await o2gHarness();
    const c = await h.user('agent1', '1111');
    expect((await h.control('POST', '/sessions/70123/close')).status).toBe(200);
    expect((await c.api('GET', '/telephony/calls')).json.code).toBe(1001);
    expect((await h.control('POST', '/sessions/70123/close')).status).toBe(404);
  });
});

describe('channel faults', () => {
  it('drop: the TCP connection dies (mid-line with midLine), queued events follow on re-open', async () => {
    h = await o2gHarness();
    const { c, ch, url, subscriptionId } = await h.subscribed('agent1', '1111', ['telephony']);
    expect((await h.control('POST', '/o2g/channels/drop', { subscriptionId, midLine: true })).json).toEqual({ channels: 1 });
    await ch.done;
    expect(ch.chunks.at(-1)?.endsWith('\n')).toBe(false);
    expect(ch.events).toHaveLength(1);
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    const again = await c.openChannel(url);
    await again.next('OnChannelInformation');
    expect(await again.next('OnCallCreated')).toBeDefined();
    again.close();
    expect((await h.control('POST', '/o2g/channels/drop', { subscriptionId: 'nope' })).status).toBe(404);
  });

  it('half-open: the connection stays up but silent (no keep-alives, events lost); a re-open replaces it', async () => {
    h = await o2gHarness({ o2g: { keepAliveIntervalMs: 100 } });
    const { c, ch, url } = await h.subscribed('agent1', '1111', ['telephony']);
    expect((await h.control('POST', '/o2g/channels/halfopen', {})).json).toEqual({ channels: 1 });
    const count = ch.events.length;
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    expect(await ch.rest(350)).toEqual([]);
    expect(ch.events.length).toBe(count);
    expect(ch.ended).toBe(false);
    const again = await c.openChannel(url);
    await again.next('OnChannelInformation');
    await ch.ends();
    expect((await c.api('POST', '/telephony/state/snapshot')).status).toBe(204);
    expect((await again.next('OnTelephonyState')).state.calls).toHaveLength(1);
    again.close();
  });

  it('garbage and oversize lines on an open channel; later events still arrive', async () => {
    h = await o2gHarness();
    const { c, ch } = await h.subscribed('agent1', '1111', ['telephony']);
    expect((await h.control('POST', '/o2g/channels/garbage', { text: 'this is not JSON\n' })).json.channels).toBe(1);
    expect((await h.control('POST', '/o2g/channels/garbage', {})).json.channels).toBe(1);
    await c.api('POST', '/telephony/state/snapshot');
    await ch.next('OnTelephonyState');
    expect(ch.garbage).toEqual(['this is not JSON', expect.stringContaining('<<garbage>>')]);
    const big = await h.control('POST', '/o2g/channels/oversize', { bytes: 2 * 1024 * 1024 });
    expect(big.json).toEqual({ channels: 1, bytes: 2 * 1024 * 1024 });
    // The first event after the oversize line ends that line; the next ones are whole.
    await c.api('POST', '/telephony/state/snapshot');
    await new Promise((r) => setTimeout(r, 100));
    await c.api('POST', '/telephony/state/snapshot');
    expect(await ch.next('OnTelephonyState', 5000)).toBeDefined();
    expect(ch.garbage.some((g) => /bytes without a newline/.test(g))).toBe(true);
  });

  it('split: one event over several chunks; coalesce: several events in one chunk', async () => {
    h = await o2gHarness();
    const { c, ch } = await h.subscribed('agent1', '1111', ['telephony']);
    expect((await h.control('POST', '/o2g/channels/split', { parts: 3 })).json.channels).toBe(1);
    let before = ch.chunks.length;
    await c.api('POST', '/telephony/state/snapshot');
    const snap = await ch.next('OnTelephonyState');
    expect(snap.state.userState).toBe('FREE');
    const pieces = ch.chunks.slice(before);
    expect(pieces.length).toBe(3);
    expect(pieces.slice(0, 2).every((p) => !p.includes('\n'))).toBe(true);
    expect((await h.control('POST', '/o2g/channels/coalesce', { events: 2 })).json.channels).toBe(1);
    before = ch.chunks.length;
    await c.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125', autoAnswer: true });
    await ch.next('OnCallCreated');
    await ch.next('OnUserStateModified');
    const chunk = ch.chunks.slice(before)[0] as string;
    expect(chunk.split('\n').filter(Boolean)).toHaveLength(2);
  });
});

describe('sessions and the PBX link', () => {
  it('expire every session of one server', async () => {
    h = await o2gHarness();
    const a = await h.user('agent1', '1111');
    const b = await h.user('agent2', '2222', 'secondary');
    expect((await h.control('POST', '/o2g/sessions/expire', { role: 'primary' })).json).toEqual({ expired: 1 });
    expect((await a.api('GET', '/sessions')).json.code).toBe(1001);
    expect((await b.api('GET', '/sessions')).status).toBe(200);
  });

  it('link down: OnCtiLinkDown to system subscribers, 503 on telephony, no call events; link up: OnCtiLinkUp', async () => {
    h = await o2gHarness();
    const admin = await h.user('admin', 'admin');
    const sub = await admin.subscribe([{ names: ['system'] }]);
    const sys = await admin.openChannel(sub.privatePollingUrl);
    await sys.next('OnChannelInformation');
    const { c, ch } = await h.subscribed('agent1', '1111', ['telephony']);
    expect((await h.control('POST', '/link/down')).json).toEqual({ link: 'down' });
    expect(await sys.next('OnCtiLinkDown')).toEqual({ eventName: 'OnCtiLinkDown', nodeId: '1' });
    const r = await c.api('GET', '/telephony/calls');
    expect(r.status).toBe(503);
    expect(r.json).toMatchObject({ httpStatus: 'SERVICE_UNAVAILABLE', code: 1007, type: 'SERVER_PROBLEM', telephony: { errorType: 'SERVICE_UNAVAILABLE' } });
    expect((await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70123' })).status).toBe(503);
    // Nothing reaches O2G while the link is down.
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    expect((await ch.rest(100)).filter((e) => e.eventName === 'OnCallCreated')).toEqual([]);
    expect((await admin.api('GET', '/system/status')).json.pbxs[0].ctiLinkState).toBe('DISCONNECTED');
    expect((await h.control('POST', '/link/up')).json).toEqual({ link: 'up' });
    expect(await sys.next('OnCtiLinkUp')).toEqual({ eventName: 'OnCtiLinkUp', nodeId: '1' });
    // After the link is back the client resynchronises: the ringing call is there.
    expect((await c.api('GET', '/telephony/calls')).json.calls).toHaveLength(1);
    sys.close();
  });

  it('GET /o2g describes the servers, sessions, subscriptions and the certificate', async () => {
    h = await o2gHarness();
    await h.subscribed('agent1', '1111', ['telephony']);
    const r = await h.control('GET', '/o2g');
    expect(r.json).toMatchObject({
      certificate: { file: h.lab.o2g?.certificate.file, sha256: h.lab.o2g?.certificate.sha256 },
      servers: [
        { role: 'primary', running: true, stalled: false, sessions: [{ loginName: 'agent1', admin: false }], subscriptions: [{ loginName: 'agent1', open: true, queued: 0, timeout: 0 }] },
        { role: 'secondary', running: true, sessions: [] },
      ],
      link: 'up',
    });
  });
});
