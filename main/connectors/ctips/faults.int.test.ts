// CTIPS connection faults against the lab portal, each with the desktop's view through the fault
// and a full recovery (same call, same id, nothing phantom): a 10 s stall of the portal mid-call,
// a half-open link (a relay that keeps the sockets but forwards nothing), the portal restarting
// mid-call (its sessions lost), garbage and oversize calls to the app's event service, and wrong
// credentials, which retry at the longest delay instead of storming the portal.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Call, ViewState } from '../../../shared/model.js';
import { Profile } from '../../../shared/profile.js';
import { silentLogger } from '../../core/log.js';
import { testDesk, type TestDesk } from '../../core/test-desk.js';
import { ctipsPbxConfig } from '../../simulator/ctips/config.js';
import { CtipsPortal } from '../../simulator/ctips/portal.js';
import { Pbx } from '../../simulator/pbx/pbx.js';
import { CuttableProxy } from '../cuttable-proxy.js';
import { createCtipsConnector } from './connector.js';

let pbx: Pbx;
let portal: CtipsPortal;
const desks: TestDesk[] = [];
const proxies: CuttableProxy[] = [];

afterEach(async () => {
  for (const d of desks.splice(0)) await d.sup.stop();
  for (const p of proxies.splice(0)) await p.close();
  await portal?.close();
  pbx?.dispose();
});

async function lab(): Promise<void> {
  pbx = new Pbx(ctipsPbxConfig({ externalAnswerMs: 50 }));
  portal = await CtipsPortal.start(pbx, { host: '127.0.0.1', port: 0, config: { heartbeatIntervalMs: 200 }, log: silentLogger() });
}

function desk(port: number, password = 'Test01'): TestDesk {
  const profile = Profile.parse({
    id: 'ctips-faults',
    name: 'CTIPS faults',
    device: '1101',
    agentId: 'agent1101',
    keepAliveSec: 0.3,
    commandTimeoutMs: 2000,
    reconnect: { initialMs: 50, maxMs: 1500 },
    connection: { vendor: 'ctips', portals: [{ host: '127.0.0.1', port }], userName: 'Test01', callback: { bindHost: '127.0.0.1' }, heartbeat: { intervalSec: 1, missed: 1 } },
  });
  const d = testDesk(profile, createCtipsConnector({ profile, secret: { password }, log: silentLogger() }), 20_000);
  desks.push(d);
  d.sup.start();
  return d;
}

const only = (s: ViewState): Call | undefined => {
  const calls = Object.values(s.calls);
  return calls.length === 1 ? calls[0] : undefined;
};

/** Logged in and on an answered inbound call. */
async function onACall(d: TestDesk): Promise<Call> {
  await d.sup.whenUp(10_000);
  await d.sup.execute({ kind: 'setAgentState', state: 'loggedOn' });
  await d.until((v) => v.agent?.state === 'notReady', 'logged in');
  pbx.placeExternalCall({ from: '0612345678', to: '1101' });
  const s = await d.until((v) => only(v)?.state === 'alerting', 'ringing');
  const call = only(s) as Call;
  await d.sup.execute({ kind: 'answer', callId: call.id });
  await d.until((v) => only(v)?.state === 'connected', 'connected');
  return call;
}

/** Down (with a reason) at some point, then up again with exactly the one call, under its id. */
async function recovered(d: TestDesk, call: Call, what: string): Promise<void> {
  await d.until((v) => v.link.state === 'down' && (v.link.detail ?? '') !== '', `${what}: the link shown down with a reason`);
  const s = await d.until((v) => v.link.state === 'up' && only(v)?.state === 'connected', `${what}: up again with the call`, 30_000);
  expect(only(s)?.id).toBe(call.id);
  expect(pbx.allCalls()).toHaveLength(1);
  await d.sup.execute({ kind: 'clear', callId: call.id });
  await d.until((v) => Object.keys(v.calls).length === 0, `${what}: the call cleared after the recovery`);
}

function post(url: string, body: string | Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('CTIPS faults against the lab portal', () => {
  it('a 10 s stall of the portal mid-call: down while it lasts, then back with the call', async () => {
    await lab();
    const d = desk(portal.port);
    const call = await onACall(d);
    portal.stall(10_000);
    await recovered(d, call, 'stall');
  }, 60_000);

  it('a half-open link (no FIN, no data): the keep-alive finds it, and the desktop comes back once the link does', async () => {
    await lab();
    const proxy = new CuttableProxy({ host: '127.0.0.1', port: portal.port });
    proxies.push(proxy);
    const d = desk(await proxy.listen());
    const call = await onACall(d);
    proxy.frozen = true;
    await d.until((v) => v.link.state !== 'up', 'the silent link noticed');
    proxy.frozen = false;
    proxy.cut();
    await recovered(d, call, 'half-open');
  }, 60_000);

  it('the portal restarts mid-call (every session lost): the desktop opens a new one and keeps the call', async () => {
    await lab();
    const d = desk(portal.port);
    const call = await onACall(d);
    await portal.restart(1500);
    await recovered(d, call, 'restart');
    expect(portal.sessionList()).toHaveLength(1);
  }, 60_000);

  it('garbage and an oversize body at the event service are refused; the session and its events go on', async () => {
    await lab();
    const d = desk(portal.port);
    await d.sup.whenUp(10_000);
    const url = portal.sessionList()[0]?.callbackUrl ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(await post(url, '<s:Envelope><s:Body><PublishCTIEvent><event>')).toBeGreaterThanOrEqual(400);
    expect(await post(url, Buffer.alloc(2 * 1024 * 1024, 0x41))).toBe(413);
    expect(d.view.current.link.state).toBe('up');
    await d.sup.execute({ kind: 'setAgentState', state: 'loggedOn' });
    await d.until((v) => v.agent?.state === 'notReady', 'events still applied after the bad calls');
  }, 30_000);

  it('wrong credentials: a clear message, and the next try only after the longest delay', async () => {
    await lab();
    const d = desk(portal.port, 'not-the-password');
    const s = await d.until((v) => v.link.state === 'down' && v.link.retryAt !== undefined, 'refused');
    expect(s.link.detail).toMatch(/credential|password|status/i);
    expect((s.link.retryAt ?? 0) - s.link.since).toBeGreaterThanOrEqual(1500 * 0.69);
  }, 30_000);
});
