// High availability: a primary and a secondary O2G server on one PBX core (digest §1.9). haMode, the
// system status, sessions not shared, events on both, failover to the secondary.
import { afterEach, describe, expect, it } from 'vitest';
import { o2gHarness, type O2gHarness } from './test-client.js';

let h: O2gHarness;
afterEach(async () => {
  await h?.close();
});

describe('the HA pair', () => {
  it('reports haMode and the pair; sessions of one server are unknown to the other', async () => {
    h = await o2gHarness();
    const o2g = h.lab.o2g;
    if (!o2g?.secondary) throw new Error('no secondary');
    expect(o2g.secondary.port).not.toBe(o2g.primary.port);
    for (const role of ['primary', 'secondary'] as const) {
      expect((await h.client(role).request('GET', '/api/rest')).json.serverInfo.haMode).toBe(true);
    }
    const admin = await h.user('admin', 'admin', 'secondary');
    expect((await admin.api('GET', '/system/status')).json).toMatchObject({
      ha: true,
      primary: `127.0.0.1:${o2g.primary.port}`,
      primaryVersion: '2.3.000.041',
      secondary: `127.0.0.1:${o2g.secondary.port}`,
      secondaryVersion: '2.3.000.041',
    });
    const p = await h.user('agent1', '1111', 'primary');
    const s = h.client('secondary');
    for (const [k, v] of p.cookies) s.cookies.set(k, v);
    expect((await s.api('GET', '/sessions')).json).toMatchObject({ code: 1001 });
    expect((await s.api('POST', '/sessions', { applicationName: 'x' })).json).toMatchObject({ code: 1001 });
    // One user may hold a session on each server at once.
    await s.login('agent1', '1111');
    expect((await s.api('GET', '/sessions')).status).toBe(200);
    expect((await s.api('GET', '/sessions')).json.privateBaseUrl).toBe(`${o2g.secondary.baseUrl}/api/rest/1.0`);
  });

  it('events of the one PBX reach subscribers on both servers; a client fails over when the primary stops', async () => {
    h = await o2gHarness();
    const a = h.client('primary');
    await a.login('agent1', '1111');
    const b = h.client('secondary');
    await b.login('agent2', '2222');
    const subA = await a.subscribe([{ names: ['telephony'] }]);
    const subB = await b.subscribe([{ names: ['telephony'] }]);
    const chA = await a.openChannel(subA.privatePollingUrl);
    const chB = await b.openChannel(subB.privatePollingUrl);
    expect(subB.privatePollingUrl.startsWith(h.lab.o2g?.secondary?.baseUrl as string)).toBe(true);
    await a.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125', autoAnswer: true });
    const created = await chA.next('OnCallCreated');
    expect((await chB.next('OnCallCreated')).callRef).toBe(created.callRef);
    await h.control('POST', '/o2g/servers/primary/stop');
    await chA.ends();
    await expect(a.request('GET', '/api/rest')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // Full bootstrap against the other server: the call is there.
    const again = h.client('secondary');
    await again.login('agent1', '1111');
    expect((await again.api('GET', '/telephony/calls')).json.calls.map((c: { callRef: string }) => c.callRef)).toEqual([created.callRef]);
    chB.close();
  });

  it('a single server when the secondary is disabled: haMode false', async () => {
    h = await o2gHarness({ o2g: { secondary: false } });
    expect(h.lab.o2g?.secondary).toBeUndefined();
    expect(h.lab.endpoints.filter((e) => e.vendor === 'o2g')).toHaveLength(1);
    expect((await h.client().request('GET', '/api/rest')).json.serverInfo.haMode).toBe(false);
    const admin = await h.user('admin', 'admin');
    const status = (await admin.api('GET', '/system/status')).json;
    expect(status.ha).toBe(false);
    expect(status.secondary).toBeUndefined();
  });
});
