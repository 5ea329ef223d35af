// The control API over real HTTP on loopback: every route, and 400/404/409 for bad requests.
import { afterEach, describe, expect, it } from 'vitest';
import { labHarness, type LabHarness } from './telservices/test-wire.js';

let h: LabHarness;
afterEach(async () => {
  await h?.close();
});

describe('control API', () => {
  it('reports health and devices', async () => {
    h = await labHarness();
    expect(await h.control('GET', '/health')).toEqual({ status: 200, json: { ok: true, link: 'up', calls: 0, demo: false } });
    const devices = (await h.control('GET', '/devices')).json as Array<{ number: string; agent?: { userID: string } }>;
    expect(devices.map((d) => d.number)).toEqual(['1101', '1102', '1103', '1104', '1105', '1106', '1107', '1108']);
    expect(devices[0]?.agent?.userID).toBe('agent1101');
  });

  it('places an outside call with data, lists it, answers and hangs up as the handset', async () => {
    h = await labHarness();
    const placed = await h.control('POST', '/calls', { from: '0612345678', to: '1101', data: { customerId: 'C-1001' }, fromName: 'Sophie Lefebvre' });
    expect(placed.status).toBe(201);
    const id = (placed.json as { id: string }).id;
    expect((await h.control('GET', '/calls')).json).toEqual([
      {
        id,
        ref: 1,
        from: '0612345678',
        to: '1101',
        parties: [
          { number: '0612345678', kind: 'external', state: 'delivered', name: 'Sophie Lefebvre' },
          { number: '1101', kind: 'device', state: 'alerting' },
        ],
        data: { customerId: 'C-1001' },
      },
    ]);
    expect(await h.control('POST', '/devices/1101/answer')).toEqual({ status: 200, json: { id } });
    expect((await h.control('POST', '/devices/1101/answer')).status).toBe(409);
    expect(await h.control('POST', '/devices/1101/hangup')).toEqual({ status: 200, json: { id } });
    expect(await h.control('POST', '/devices/1101/hangup')).toEqual({ status: 409, json: { error: 'nothing to hang up at 1101' } });
    expect((await h.control('POST', '/devices/9999/answer')).status).toBe(404);
  });

  it('rings the queue and sets agent states', async () => {
    h = await labHarness();
    expect((await h.control('POST', '/calls', { from: '0612345678', to: 'service1' })).status).toBe(201);
    const agent = await h.control('POST', '/devices/1105/agent', { state: 'ready' });
    expect(agent.json).toMatchObject({ device: '1105', state: 'ready' });
    const calls = (await h.control('GET', '/calls')).json as Array<{ parties: Array<{ number: string; state: string }> }>;
    expect(calls[0]?.parties.find((p) => p.number === '1105')?.state).toBe('alerting');
    expect((await h.control('POST', '/devices/1102/agent', { state: 'ready' })).status).toBe(409);
  });

  it('takes the link down and up, drops clients, closes sessions, injects faults', async () => {
    h = await labHarness();
    const inbox = await h.open('1101');
    expect((await h.control('POST', '/link/down')).json).toEqual({ link: 'down' });
    expect((await h.control('GET', '/health')).json).toMatchObject({ link: 'down' });
    expect((await h.control('POST', '/link/up')).json).toEqual({ link: 'up' });
    expect(await inbox.next('pbxlinkInService')).toContain('<session>');
    expect((await h.control('POST', '/sessions/1101/close')).status).toBe(200);
    expect((await h.control('POST', '/sessions/1101/close')).status).toBe(404);
    await h.open('1101');
    expect((await h.control('POST', '/clients/drop')).status).toBe(200);
    expect(await h.send('<TelServiceRequest><snapshot><deviceNumber>1101</deviceNumber></snapshot></TelServiceRequest>')).toContain('<noOpenSession/>');
    const faults = await h.control('POST', '/faults', { udpDrop: true, next: { request: 'holdCall', error: 'pbxReject' } });
    expect(faults.json).toMatchObject({ udpDropAll: true, next: [{ request: 'holdCall', error: 'pbxReject' }] });
    expect((await h.control('POST', '/faults', { clear: true })).json).toMatchObject({ udpDropAll: false, next: [] });
  });

  it('lets a second call ring at a device with call waiting on, until the reset', async () => {
    h = await labHarness();
    const partyAt = async (from: string) => {
      const calls = (await h?.control('GET', '/calls'))?.json as Array<{ from: string; parties: Array<{ number: string; state: string }> }>;
      return calls.find((c) => c.from === from)?.parties.find((p) => p.number === '1101')?.state;
    };
    await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
    await h.control('POST', '/devices/1101/answer');
    // By default a device with a call is busy to a new caller.
    await h.control('POST', '/calls', { from: '0145678901', to: '1101' });
    expect(await partyAt('0145678901')).toBeUndefined();
    expect(await h.control('POST', '/devices/1101/call-waiting', { on: true })).toEqual({ status: 200, json: { callWaiting: true } });
    await h.control('POST', '/calls', { from: '0478123456', to: '1101' });
    expect(await partyAt('0478123456')).toBe('alerting');
    expect((await h.control('POST', '/devices/1101/call-waiting', {})).status).toBe(400);
    expect((await h.control('POST', '/devices/9999/call-waiting', { on: true })).status).toBe(404);
    await h.control('POST', '/reset');
    await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
    await h.control('POST', '/devices/1101/answer');
    await h.control('POST', '/calls', { from: '0478123456', to: '1101' });
    expect(await partyAt('0478123456')).toBeUndefined();
  });

  it('starts and stops the demo, and resets the PBX', async () => {
    h = await labHarness();
    expect((await h.control('POST', '/demo/start', { intervalMs: 1000 })).json).toEqual({ demo: 'running' });
    expect((await h.control('GET', '/health')).json).toMatchObject({ demo: true });
    expect((await h.control('POST', '/demo/stop')).json).toEqual({ demo: 'stopped' });
    await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
    expect((await h.control('POST', '/reset')).json).toEqual({ reset: true });
    expect((await h.control('GET', '/calls')).json).toEqual([]);
  });

  it('answers 400 to invalid bodies and 404 to unknown routes', async () => {
    h = await labHarness();
    const bad: Array<[string, unknown]> = [
      ['/calls', { from: '0612345678' }],
      ['/calls', { from: 42, to: '1101' }],
      ['/calls', { from: '0612345678', to: '1101', withheld: 'yes' }],
      ['/calls', '{not json'],
      ['/devices/1101/agent', { state: 'busy' }],
      ['/faults', { next: { request: 'holdCall', error: 'nonsense' } }],
      ['/demo/start', { intervalMs: -1 }],
      ['/devices/1101/mwi', {}],
    ];
    for (const [path, body] of bad) {
      const res = await h.control('POST', path, body);
      expect(res.status, path).toBe(400);
      expect(typeof (res.json as { error: unknown }).error).toBe('string');
    }
    expect((await h.control('POST', '/calls', { from: '0612345678', to: '4242' })).status).toBe(404);
    expect(await h.control('GET', '/nothing')).toEqual({ status: 404, json: { error: 'no route GET /nothing' } });
    expect((await h.control('GET', '/link/down')).status).toBe(404);
  });
});
