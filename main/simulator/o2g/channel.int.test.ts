// The HTTP-chunk event channel (digest §1.7 [SIM] contract, T07, T19, T20): framing, keep-alives, idle
// close, queueing while closed, last-open-wins, subscription update/delete, session loss.
import { afterEach, describe, expect, it } from 'vitest';
import { o2gHarness, type O2gHarness } from './test-client.js';

let h: O2gHarness;

/** Poll a condition, bounded. */
async function until(cond: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
afterEach(async () => {
  await h?.close();
});

describe('T07 opening the channel', () => {
  it('answers GET and POST with a chunked 200 whose first line is OnChannelInformation, then keep-alives', async () => {
    h = await o2gHarness({ o2g: { keepAliveIntervalMs: 200 } });
    const c = await h.user('agent1', '1111');
    const sub = await c.subscribe([{ names: ['telephony'] }]);
    for (const method of ['GET', 'POST'] as const) {
      const ch = await c.openChannel(sub.privatePollingUrl, method);
      expect(ch.status).toBe(200);
      expect(ch.res.headers['transfer-encoding']).toBe('chunked');
      expect(ch.res.headers['content-type']).toMatch(/^application\/json/);
      expect(ch.res.headers['cache-control']).toBe('no-cache');
      expect(await ch.next(() => true)).toEqual({ eventName: 'OnChannelInformation', text: 'Chunk started' });
      expect(ch.chunks[0]).toBe('{"eventName":"OnChannelInformation","text":"Chunk started"}\n');
      expect(await ch.next(() => true, 2000)).toEqual({ eventName: 'OnChannelInformation', text: 'KeepAlive' });
      expect(await ch.next((e) => e.text === 'KeepAlive', 2000)).toBeDefined();
      ch.close();
    }
    // The public URL works the same (default: the private base).
    const pub = await c.openChannel(sub.publicPollingUrl);
    expect(pub.status).toBe(200);
    pub.close();
    expect((await c.request('PUT', new URL(sub.privatePollingUrl).pathname + new URL(sub.privatePollingUrl).search)).status).toBe(405);
  });

  it('one JSON event + "\\n" per chunk', async () => {
    h = await o2gHarness();
    const { c, ch } = await h.subscribed('agent1', '1111', ['telephony']);
    const before = ch.chunks.length;
    await c.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125', autoAnswer: true });
    await ch.next('OnCallCreated');
    await ch.next('OnUserStateModified');
    const fresh = ch.chunks.slice(before);
    expect(fresh.length).toBeGreaterThanOrEqual(2);
    for (const chunk of fresh) {
      expect(chunk.endsWith('\n')).toBe(true);
      expect(chunk.slice(0, -1)).not.toContain('\n');
      expect(() => JSON.parse(chunk)).not.toThrow();
    }
  });

  it('with a timeout of N minutes the server ends a channel idle that long, and sends no keep-alives', async () => {
    h = await o2gHarness({ o2g: { channelMinuteMs: 150 } });
    const c = await h.user('agent1', '1111');
    const sub = await c.subscribe([{ names: ['telephony'] }], 2);
    const ch = await c.openChannel(sub.privatePollingUrl);
    await ch.next('OnChannelInformation');
    await ch.ends(2000);
    expect(ch.events.filter((e) => e.text === 'KeepAlive')).toEqual([]);
  });

  it('an unknown subscription is 404; a missing id 400', async () => {
    h = await o2gHarness();
    const c = await h.user('agent1', '1111');
    const base = h.lab.o2g?.primary.baseUrl;
    const ch = await c.openChannel(`${base}/OTEvents?subscriptionId=nope`);
    expect(ch.status).toBe(404);
    await ch.done;
    expect(JSON.parse(ch.chunks.join(''))).toMatchObject({ code: 1003, type: 'NOT_FOUND' });
    expect((await c.request('GET', '/OTEvents')).status).toBe(400);
  });
});

describe('T19 queueing, re-open, resync', () => {
  it('queues events while no channel is open and delivers them, in order, after the first line on re-open', async () => {
    h = await o2gHarness();
    const { c, ch, url } = await h.subscribed('agent1', '1111', ['telephony']);
    ch.close();
    await ch.done;
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    await until(async () => (await h.control('GET', '/o2g')).json.servers[0].subscriptions[0].queued >= 2);
    const again = await c.openChannel(url);
    expect(await again.next(() => true)).toEqual({ eventName: 'OnChannelInformation', text: 'Chunk started' });
    const created = await again.next(() => true);
    expect(created).toMatchObject({ eventName: 'OnCallCreated', legs: [{ state: 'RINGING_INCOMING' }] });
    expect(await again.next(() => true)).toMatchObject({ eventName: 'OnUserStateModified', state: 'BUSY' });
    // Resync: the snapshot says the same.
    expect((await c.api('POST', '/telephony/state/snapshot')).status).toBe(204);
    const snap = await again.next('OnTelephonyState');
    expect(snap.state.calls.map((x: { callRef: string }) => x.callRef)).toEqual([created.callRef]);
    again.close();
  });

  it('a second open of the same subscription ends the first (last one wins)', async () => {
    h = await o2gHarness();
    const { c, ch, url } = await h.subscribed('agent1', '1111', ['telephony']);
    const second = await c.openChannel(url);
    await second.next('OnChannelInformation');
    await ch.ends();
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    await second.next('OnCallCreated');
    expect(ch.events.filter((e) => e.eventName === 'OnCallCreated')).toEqual([]);
    second.close();
  });

  it('after the session expired, re-opening says 403 INVALID_SESSION (the client must log in again)', async () => {
    h = await o2gHarness();
    const { c, ch, url } = await h.subscribed('agent1', '1111', ['telephony']);
    expect((await h.control('POST', '/o2g/sessions/expire', {})).json).toEqual({ expired: 1 });
    await ch.ends();
    const again = await c.openChannel(url);
    expect(again.status).toBe(403);
    await again.done;
    expect(JSON.parse(again.chunks.join(''))).toMatchObject({ code: 1001, type: 'INVALID_SESSION' });
  });

  it('T25 closing the session ends the open channel', async () => {
    h = await o2gHarness();
    const { c, ch } = await h.subscribed('agent1', '1111', ['telephony']);
    expect((await c.api('DELETE', '/sessions')).status).toBe(204);
    await ch.ends();
  });
});

describe('T20 subscription update and delete', () => {
  it('PUT replaces the filter; DELETE ends the stream and drops the queue; re-open is 404; delete again 400', async () => {
    h = await o2gHarness();
    const { c, ch, url, subscriptionId } = await h.subscribed('agent1', '1111', ['telephony', 'agent']);
    expect((await c.api('PUT', '/subscriptions', { selectors: [{ names: ['telephony'] }] })).status).toBe(204);
    expect((await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70123' })).status).toBe(204);
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    await ch.next('OnCallCreated');
    expect(ch.events.filter((e) => e.eventName === 'OnAgentStateChanged')).toEqual([]);
    expect((await c.api('PUT', '/subscriptions', { selectors: [{ names: [] }] })).status).toBe(400);
    expect((await c.api('DELETE', `/subscriptions/${subscriptionId}`)).status).toBe(204);
    await ch.ends();
    const again = await c.openChannel(url);
    expect(again.status).toBe(404);
    const del = await c.api('DELETE', `/subscriptions/${subscriptionId}`);
    expect(del.status).toBe(400);
    expect(del.json).toMatchObject({ code: 1003, type: 'NOT_FOUND' });
    expect((await c.api('PUT', '/subscriptions', { selectors: [{ names: ['telephony'] }] })).status).toBe(400);
  });

  it('another session can neither delete nor (in strict mode) open someone else\'s subscription', async () => {
    h = await o2gHarness({ o2g: { strictCookies: true } });
    const { url, subscriptionId } = await h.subscribed('agent1', '1111', ['telephony']);
    const other = await h.user('agent2', '2222');
    expect((await other.api('DELETE', `/subscriptions/${subscriptionId}`)).status).toBe(400);
    const ch = await other.openChannel(url);
    expect(ch.status).toBe(403);
  });
});
