// The site gateway end to end on loopback: the real server (main/gateway/server.ts) in front of an
// in-memory site (test-site.ts), and the real desktop connector (client-connector.ts) or raw
// WebSockets where a test must send what a desktop never would.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type CommandKind, CtiError } from '../../shared/commands.js';
import type { CtiEvent } from '../../shared/events.js';
import { GATEWAY_CLOSE_SIGNIN, GATEWAY_PATH } from '../../shared/gateway.js';
import { GatewayAccount, Profile } from '../../shared/profile.js';
import { makeCall } from '../../shared/test-fixtures.js';
import { createLogger, silentLogger } from '../core/log.js';
import { labCertificate } from '../simulator/certificate.js';
import { hashPassword } from './accounts.js';
import { type GatewayClientConnector, createGatewayClientConnector } from './client-connector.js';
import { type Gateway, type GatewayOptions, checkGatewayBinding, startGateway } from './server.js';
import { TestSite, testSiteCapabilities } from './test-site.js';

const cheap = { N: 2048, r: 8, p: 1 };
const AGENTS = 50;
const stationOf = (i: number) => String(4000 + i);
const loginOf = (i: number) => `agent${String(i).padStart(2, '0')}`;

let accounts: GatewayAccount[] = [];
beforeAll(async () => {
  const agents = await Promise.all(
    Array.from({ length: AGENTS }, async (_, i) => GatewayAccount.parse({ login: loginOf(i), stations: [stationOf(i)], passwordHash: await hashPassword(`${loginOf(i)}-pw`, cheap) })),
  );
  const boss = GatewayAccount.parse({ login: 'boss', role: 'supervisor', passwordHash: await hashPassword('boss-pw', cheap) });
  accounts = [...agents, boss];
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function gatewayWith(over: Partial<GatewayOptions> = {}): Promise<{ site: TestSite; gw: Gateway }> {
  const site = new TestSite();
  await site.start();
  const gw = await startGateway({ site, accounts, host: '127.0.0.1', port: 0, log: silentLogger(), ...over });
  cleanups.push(() => gw.close());
  return { site, gw };
}

/** A desktop: the real client connector, with its events and losses recorded and awaitable. */
class Desktop {
  readonly events: CtiEvent[] = [];
  readonly lost: CtiError[] = [];
  readonly connector: GatewayClientConnector;
  private readonly waiters = new Set<() => void>();

  constructor(port: number, login: string, station: string, password: string | null, gatewayOver: Record<string, unknown> = {}, role: 'agent' | 'supervisor' = 'agent') {
    const profile = Profile.parse({
      id: `desk-${login}`,
      name: login,
      device: station,
      agentId: login,
      commandTimeoutMs: 5000,
      connection: { vendor: 'ctips', role, gateway: { host: '127.0.0.1', port, https: false, ...gatewayOver } },
    });
    this.connector = createGatewayClientConnector(
      { profile, secret: password === null ? null : { password }, log: silentLogger() },
      { vendor: 'ctips', capabilities: new Set<CommandKind>(['makeCall', 'answer', 'clear']) },
    );
    this.connector.setListeners({
      event: (e) => {
        this.events.push(e);
        this.changed();
      },
      lost: (err) => {
        this.lost.push(err);
        this.changed();
      },
    });
    cleanups.push(() => this.connector.stop());
  }

  private changed(): void {
    for (const w of [...this.waiters]) w();
  }

  until(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pred()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`desktop: ${what} not reached within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  markers(): string[] {
    return this.events.flatMap((e) => (e.type === 'notice' && e.code === 'test.marker' ? [e.message] : []));
  }
}

const callEvent = (station: string): CtiEvent => ({
  type: 'call',
  change: 'created',
  call: makeCall(`call-${station}`, { ref: { vendor: 'ctips', device: station, callId: `call-${station}` }, state: 'alerting' }),
});
const marker = (station: string): CtiEvent => ({ type: 'notice', level: 'info', code: 'test.marker', message: station, at: 1 });

async function startError(d: Desktop): Promise<CtiError> {
  try {
    await d.connector.start();
  } catch (err) {
    expect(err).toBeInstanceOf(CtiError);
    return err as CtiError;
  }
  throw new Error('start() succeeded');
}

/** A raw WebSocket to the gateway, for frames a desktop would never send. */
function raw(url: string, options: WebSocket.ClientOptions = {}) {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + GATEWAY_PATH, options);
  const frames: unknown[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (d) => {
    frames.push(JSON.parse(d.toString()));
    for (const w of [...waiters]) w();
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const frame = (n: number, timeoutMs = 5000) =>
    new Promise<unknown>((resolve, reject) => {
      const check = () => {
        if (frames.length < n) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(frames[n - 1]);
      };
      const timer = setTimeout(() => reject(new Error(`raw: no frame ${n}`)), timeoutMs);
      waiters.add(check);
      check();
    });
  cleanups.push(async () => {
    ws.terminate();
  });
  return { ws, frames, opened, closed, frame, send: (v: unknown) => ws.send(typeof v === 'string' ? v : JSON.stringify(v)) };
}

describe('site gateway', () => {
  it('serves 50 desktops at once, each seeing and driving only its own station; a supervisor sees all', async () => {
    const { site, gw } = await gatewayWith();
    const desks = Array.from({ length: AGENTS }, (_, i) => new Desktop(gw.port, loginOf(i), stationOf(i), `${loginOf(i)}-pw`));
    const boss = new Desktop(gw.port, 'boss', '4999', 'boss-pw', {}, 'supervisor');
    await Promise.all([...desks, boss].map((d) => d.connector.start()));

    expect(gw.clients()).toHaveLength(AGENTS + 1);
    expect(site.active()).toHaveLength(AGENTS + 1);
    desks.forEach((d, i) => {
      expect(d.connector.signedIn).toMatchObject({ vendor: 'ctips', role: 'agent', agentId: loginOf(i), extraCapabilities: ['team'] });
      expect(d.connector.signedIn?.capabilities.sort()).toEqual([...testSiteCapabilities].sort());
      expect(site.active(loginOf(i))[0]?.scope).toEqual({ login: loginOf(i), station: stationOf(i), role: 'agent' });
    });
    expect(boss.connector.signedIn?.role).toBe('supervisor');
    expect(site.active('boss')[0]?.scope.role).toBe('supervisor');

    // Every station's call, then every station's marker: a desktop holding its marker holds everything sent before it.
    for (let i = 0; i < AGENTS; i++) expect(site.emit(stationOf(i), callEvent(stationOf(i)))).toBe(2);
    for (let i = 0; i < AGENTS; i++) site.emit(stationOf(i), marker(stationOf(i)));
    await Promise.all(desks.map((d, i) => d.until(() => d.markers().includes(stationOf(i)), `marker of ${stationOf(i)}`)));
    await boss.until(() => boss.markers().length === AGENTS, 'all markers at the supervisor');
    desks.forEach((d, i) => {
      expect(d.events).toEqual([expect.objectContaining({ type: 'call', call: expect.objectContaining({ id: `call-${stationOf(i)}` }) }), marker(stationOf(i))]);
    });
    expect(boss.events.filter((e) => e.type === 'call')).toHaveLength(AGENTS);

    // Commands reach only the sender's scoped connector.
    await Promise.all(desks.map((d, i) => d.connector.execute({ kind: 'makeCall', to: `9${stationOf(i)}` })));
    desks.forEach((_, i) => {
      const [mine, ...more] = site.active(loginOf(i));
      expect(more).toHaveLength(0);
      expect(mine?.commands).toEqual([{ kind: 'makeCall', to: `9${stationOf(i)}` }]);
    });
    expect(site.active('boss')[0]?.commands).toEqual([]);

    // Queries, snapshot and keep-alive go to the same connector.
    expect(await desks[7]?.connector.query({ kind: 'directory', text: 'x', limit: 5 })).toEqual([{ number: stationOf(7), name: `${loginOf(7)} at ${stationOf(7)}` }]);
    expect((await desks[8]?.connector.snapshot())?.agent?.agentId).toBe(loginOf(8));
    expect(await desks[9]?.connector.keepAlive()).toEqual({ missedEvents: 0, pbxLinkUp: true });

    // The connector's errors come back typed.
    await expect(desks[0]?.connector.execute({ kind: 'clear', callId: 'no-such-call' })).rejects.toMatchObject({ code: 'noCall', vendorCode: 'CallNotFound' });
    await expect(desks[0]?.connector.execute({ kind: 'sendDtmf', callId: 'c', digits: '1' })).rejects.toMatchObject({ code: 'unsupported' });

    // Signing out stops the desktop's connector only; the site stays up.
    await desks[0]?.connector.stop();
    await site.until(() => site.connectors.find((c) => c.scope.login === loginOf(0))?.stopped === true, 5000, 'agent00 stopped');
    expect(site.active()).toHaveLength(AGENTS);
    expect(site.stopped).toBe(false);
    expect(desks[0]?.lost).toEqual([]);
  });

  it('refuses a wrong password or unknown login (authFailed) and a station or role the account does not allow (notPermitted)', async () => {
    const { site, gw } = await gatewayWith({ throttle: { freeFailures: 10 } });
    expect((await startError(new Desktop(gw.port, loginOf(1), stationOf(1), 'wrong'))).code).toBe('authFailed');
    expect((await startError(new Desktop(gw.port, 'nobody', stationOf(1), 'x'))).code).toBe('authFailed');
    expect((await startError(new Desktop(gw.port, loginOf(1), stationOf(2), `${loginOf(1)}-pw`))).code).toBe('notPermitted');
    expect((await startError(new Desktop(gw.port, loginOf(1), stationOf(1), `${loginOf(1)}-pw`, {}, 'supervisor'))).code).toBe('notPermitted');
    expect((await startError(new Desktop(gw.port, loginOf(1), stationOf(1), null))).code).toBe('authFailed');
    expect(site.connectors).toHaveLength(0);
    expect(gw.clients()).toEqual([]);
    // A supervisor account may work at any station; asking for the agent view gives the agent view.
    const bossAsAgent = new Desktop(gw.port, 'boss', '4321', 'boss-pw', {}, 'agent');
    await bossAsAgent.connector.start();
    expect(bossAsAgent.connector.signedIn?.role).toBe('agent');
    expect(site.active('boss')[0]?.scope).toEqual({ login: 'boss', station: '4321', role: 'agent' });
  });

  it('throttles failed sign-ins per address: after three, even the right password waits', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(s) } });
    const { site, gw } = await gatewayWith({ log, throttle: { baseDelayMs: 60_000 } });
    for (let n = 0; n < 3; n++) expect((await startError(new Desktop(gw.port, loginOf(3), stationOf(3), `guess${n}`))).code).toBe('authFailed');
    const locked = await startError(new Desktop(gw.port, loginOf(3), stationOf(3), `${loginOf(3)}-pw`));
    expect(locked.code).toBe('limit');
    expect(locked.message).toMatch(/too many failed sign-ins/);
    expect(site.connectors).toHaveLength(0);
    const text = lines.join('');
    expect(text).toContain('sign-in refused');
    for (const secret of ['guess0', 'guess1', 'guess2', `${loginOf(3)}-pw`]) expect(text).not.toContain(secret);
  });

  it('refuses every frame before a successful sign-in', async () => {
    const { site, gw } = await gatewayWith();
    const r = raw(gw.url);
    await r.opened;
    r.send({ id: 1, channel: 'cti.command', payload: { kind: 'makeCall', to: '123' } });
    r.send({ id: 2, channel: 'gateway.snapshot', payload: {} });
    r.send({ id: 3, channel: 'gateway.keepAlive', payload: {} });
    r.send({ id: 4, channel: 'cti.query', payload: { kind: 'queues' } });
    await r.frame(4);
    for (const [i, f] of r.frames.entries()) expect(f).toEqual({ id: i + 1, reply: { ok: false, error: { code: 'notConnected', message: expect.stringContaining('sign in first') } } });
    expect(site.connectors).toHaveLength(0);
    // Ten refused frames and the socket is closed.
    for (let id = 5; id <= 10; id++) r.send({ id, channel: 'gateway.snapshot', payload: {} });
    expect((await r.closed).code).toBe(GATEWAY_CLOSE_SIGNIN);
  });

  it('survives malformed and oversize frames: answered with invalid or dropped, never a crash', async () => {
    const { site, gw } = await gatewayWith({ maxPayload: 4096 });
    const r = raw(gw.url);
    await r.opened;
    r.send('{this is not json');
    r.send(Buffer.from([0xff, 0x00, 0x13]));
    r.send('[1,2,3]');
    r.send({ id: 11, channel: 'no.such.channel', payload: {} });
    await r.frame(1);
    expect(r.frames[0]).toEqual({ id: 11, reply: { ok: false, error: { code: 'invalid', message: expect.stringContaining('unknown channel') } } });
    r.send({ id: 12, channel: 'gateway.signIn', payload: { login: loginOf(4), password: `${loginOf(4)}-pw` } });
    await r.frame(2);
    expect(r.frames[1]).toMatchObject({ id: 12, reply: { ok: false, error: { code: 'invalid' } } });
    expect((await r.closed).code).toBe(GATEWAY_CLOSE_SIGNIN);

    // Signed in, a bad command is answered with invalid and the session goes on.
    const s = raw(gw.url);
    await s.opened;
    s.send({ id: 1, channel: 'gateway.signIn', payload: { login: loginOf(4), password: `${loginOf(4)}-pw`, station: stationOf(4) } });
    await s.frame(1);
    expect(s.frames[0]).toMatchObject({ id: 1, reply: { ok: true, value: { role: 'agent' } } });
    s.send({ id: 2, channel: 'cti.command', payload: { kind: 'makeCall', to: 'not a number!' } });
    s.send({ id: 3, channel: 'gateway.signIn', payload: { login: loginOf(4), password: `${loginOf(4)}-pw`, station: stationOf(4) } });
    s.send({ id: 4, channel: 'cti.command', payload: { kind: 'answer', callId: 'c1' } });
    await s.frame(4);
    expect(s.frames.slice(1)).toEqual([
      { id: 2, reply: { ok: false, error: expect.objectContaining({ code: 'invalid' }) } },
      { id: 3, reply: { ok: false, error: { code: 'invalid', message: 'this connection has already signed in' } } },
      { id: 4, reply: { ok: true, value: { accepted: true } } },
    ]);

    // An oversize frame closes that socket (1009); the gateway goes on serving.
    s.send({ id: 5, channel: 'cti.command', payload: { kind: 'makeCall', to: '1', data: { big: 'x'.repeat(5000) } } });
    expect((await s.closed).code).toBe(1009);
    await site.until(() => site.active().length === 0, 5000, 'the oversize sender signed out');
    const d = new Desktop(gw.port, loginOf(5), stationOf(5), `${loginOf(5)}-pw`);
    await d.connector.start();
    await d.connector.execute({ kind: 'answer', callId: 'c9' });
    expect(site.active(loginOf(5))[0]?.commands).toEqual([{ kind: 'answer', callId: 'c9' }]);
  });

  it('does not forward a malformed event from the site', async () => {
    const { site, gw } = await gatewayWith();
    const d = new Desktop(gw.port, loginOf(6), stationOf(6), `${loginOf(6)}-pw`);
    await d.connector.start();
    site.emit(stationOf(6), { type: 'call', change: 'created' });
    site.emit(stationOf(6), marker(stationOf(6)));
    await d.until(() => d.markers().length === 1, 'marker');
    expect(d.events).toEqual([marker(stationOf(6))]);
  });

  it('reports a lost site to every desktop exactly once, and closes their sockets', async () => {
    const { site, gw } = await gatewayWith();
    const desks = Array.from({ length: 20 }, (_, i) => new Desktop(gw.port, loginOf(i), stationOf(i), `${loginOf(i)}-pw`));
    await Promise.all(desks.map((d) => d.connector.start()));
    site.lose();
    await Promise.all(desks.map((d) => d.until(() => d.lost.length > 0, 'lost')));
    await Promise.all(desks.map((d) => d.connector.closed()));
    await site.until(() => site.active().length === 0, 5000, 'all connectors stopped');
    for (const d of desks) {
      expect(d.lost).toHaveLength(1);
      expect(d.lost[0]).toMatchObject({ code: 'sessionLost', message: 'the portal dropped the site session' });
      expect(d.connector.signedIn).toBeNull();
    }
    expect(gw.clients()).toEqual([]);
    // While the site is down a sign-in fails with notConnected; once it is back, the desktop gets in again.
    expect((await startError(desks[0] as Desktop)).code).toBe('notConnected');
    site.setLink({ state: 'up', detail: 'back' });
    await desks[0]?.connector.start();
    expect(desks[0]?.connector.signedIn?.role).toBe('agent');
  });

  it('tells every desktop when the gateway itself stops', async () => {
    const { site, gw } = await gatewayWith();
    const d = new Desktop(gw.port, loginOf(1), stationOf(1), `${loginOf(1)}-pw`);
    await d.connector.start();
    await gw.close();
    await d.until(() => d.lost.length > 0, 'lost');
    await d.connector.closed();
    expect(d.lost).toHaveLength(1);
    expect(d.lost[0]?.message).toMatch(/shutting down/);
    expect(site.active()).toHaveLength(0);
    expect(site.stopped).toBe(false);
    expect((await startError(d)).code).toBe('unreachable');
  });

  it('refuses to listen off loopback without TLS or without accounts', async () => {
    const site = new TestSite();
    await expect(startGateway({ site, accounts, host: '0.0.0.0', port: 0, log: silentLogger() })).rejects.toThrow(/without TLS/);
    const cert = await labCertificate(['127.0.0.1', 'localhost']);
    await expect(startGateway({ site, accounts: [], host: '0.0.0.0', port: 0, log: silentLogger(), tls: { certPem: cert.pem, keyPem: cert.key } })).rejects.toThrow(/without accounts/);
    expect(() => checkGatewayBinding({ host: '192.168.1.10', tls: false, accounts: 3 })).toThrow(/without TLS/);
    expect(() => checkGatewayBinding({ host: '::', tls: true, accounts: 0 })).toThrow(/without accounts/);
    expect(() => checkGatewayBinding({ host: '10.0.0.1', tls: true, accounts: 1 })).not.toThrow();
    expect(() => checkGatewayBinding({ host: '127.0.0.1', tls: false, accounts: 0 })).not.toThrow();
    expect(() => checkGatewayBinding({ host: '::1', tls: false, accounts: 0 })).not.toThrow();
  });

  it('on loopback without accounts, lets any login in as an agent and says so in the log', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(s) } });
    const { site, gw } = await gatewayWith({ accounts: [], log });
    expect(lines.join('')).toMatch(/no accounts configured/);
    const d = new Desktop(gw.port, 'whoever', '5555', null);
    await d.connector.start();
    expect(d.connector.signedIn?.role).toBe('agent');
    expect(site.active('whoever')[0]?.scope).toEqual({ login: 'whoever', station: '5555', role: 'agent' });
    expect((await startError(new Desktop(gw.port, 'wannabe', '5556', null, {}, 'supervisor'))).code).toBe('notPermitted');
  });

  it('serves TLS with a self-signed certificate the desktop trusts by pin or CA file, and nothing else', async () => {
    const cert = await labCertificate(['127.0.0.1', 'localhost']);
    const { site, gw } = await gatewayWith({ tls: { certPem: cert.pem, keyPem: cert.key } });
    expect(gw.url).toBe(`https://127.0.0.1:${gw.port}`);

    const pinned = new Desktop(gw.port, loginOf(1), stationOf(1), `${loginOf(1)}-pw`, { https: true, tls: { pinSha256: cert.sha256 } });
    await pinned.connector.start();
    await pinned.connector.execute({ kind: 'makeCall', to: '123' });
    expect(site.active(loginOf(1))[0]?.commands).toEqual([{ kind: 'makeCall', to: '123' }]);

    const dir = await mkdtemp(join(tmpdir(), 'gateway-ca-'));
    const caFile = join(dir, 'gateway.pem');
    await writeFile(caFile, cert.pem);
    const byCa = new Desktop(gw.port, loginOf(2), stationOf(2), `${loginOf(2)}-pw`, { https: true, tls: { caFile } });
    await byCa.connector.start();
    expect(byCa.connector.signedIn?.role).toBe('agent');

    const untrusted = await startError(new Desktop(gw.port, loginOf(3), stationOf(3), `${loginOf(3)}-pw`, { https: true }));
    expect(untrusted.code).toBe('rejected');
    const wrongPin = await startError(new Desktop(gw.port, loginOf(3), stationOf(3), `${loginOf(3)}-pw`, { https: true, tls: { pinSha256: cert.sha256.replace(/^../, cert.sha256.startsWith('00') ? '11' : '00') } }));
    expect(wrongPin).toMatchObject({ code: 'rejected', vendorCode: 'PIN_MISMATCH' });
    const plain = await startError(new Desktop(gw.port, loginOf(3), stationOf(3), `${loginOf(3)}-pw`, { https: false }));
    expect(['unreachable', 'protocol']).toContain(plain.code);
    expect(site.active(loginOf(3))).toHaveLength(0);
  });

  it('never sends a password in clear to another computer', async () => {
    const d = new Desktop(1, loginOf(1), stationOf(1), 'pw', { host: '10.255.255.1', https: false });
    const err = await startError(d);
    expect(err.code).toBe('invalid');
    expect(err.message).toMatch(/over TLS only/);
  });

  it('answers GET /health with the site link and the number of desktops', async () => {
    const { site, gw } = await gatewayWith();
    const d = new Desktop(gw.port, loginOf(1), stationOf(1), `${loginOf(1)}-pw`);
    await d.connector.start();
    const res = await fetch(`${gw.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ site: { state: 'up', detail: 'test site up', server: 'memory://site' }, clients: 1 });
    site.setLink({ state: 'down', detail: 'portal gone' });
    const down = await fetch(`${gw.url}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ site: { state: 'down' } });
    expect((await fetch(`${gw.url}/other`)).status).toBe(404);
  });

  it('limits connections and drops a socket that does not sign in', async () => {
    const { gw } = await gatewayWith({ maxClients: 2, signInTimeoutMs: 150 });
    const a = new Desktop(gw.port, loginOf(1), stationOf(1), `${loginOf(1)}-pw`);
    await a.connector.start();
    const silent = raw(gw.url, { autoPong: false });
    await silent.opened;
    expect((await startError(new Desktop(gw.port, loginOf(2), stationOf(2), `${loginOf(2)}-pw`))).code).toBe('limit');
    // The raw socket does not sign in: it is closed; the desktop stays.
    expect((await silent.closed).code).toBe(GATEWAY_CLOSE_SIGNIN);
    expect(await a.connector.keepAlive()).toEqual({ missedEvents: 0, pbxLinkUp: true });
    expect(gw.clients()).toHaveLength(1);
  });

  it('refuses browsers (any Origin header) and other paths', async () => {
    const { gw } = await gatewayWith({ accounts: [] });
    const status = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${gw.port}${path}`, { headers });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => reject(new Error('opened')));
        ws.on('error', () => {});
      });
    expect(await status(GATEWAY_PATH, { Origin: 'https://evil.example' })).toBe(403);
    expect(await status(GATEWAY_PATH, { Origin: `http://127.0.0.1:${gw.port}` })).toBe(403);
    expect(await status('/bridge', {})).toBe(404);
  });

  it('drops a signed-in desktop that stops answering pings', async () => {
    const { site, gw } = await gatewayWith({ pingIntervalMs: 50 });
    const r = raw(gw.url, { autoPong: false });
    await r.opened;
    r.send({ id: 1, channel: 'gateway.signIn', payload: { login: loginOf(1), password: `${loginOf(1)}-pw`, station: stationOf(1) } });
    await r.frame(1);
    expect(r.frames[0]).toMatchObject({ reply: { ok: true } });
    expect((await r.closed).code).toBe(1006);
    await site.until(() => site.active().length === 0, 5000, 'the dead desktop signed out');
  });
});

describe('gateway client connector against a misbehaving gateway', () => {
  it('turns a malformed event into a warning notice, ignores junk frames, and reports a close once', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: GATEWAY_PATH });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    const port = (wss.address() as { port: number }).port;
    let server: WebSocket | null = null;
    wss.on('connection', (ws) => {
      server = ws;
      ws.on('message', (data) => {
        const f = JSON.parse(data.toString()) as { id: number; channel: string };
        if (f.channel === 'gateway.signIn') ws.send(JSON.stringify({ id: f.id, reply: { ok: true, value: { vendor: 'ctips', capabilities: ['makeCall'], extraCapabilities: [], role: 'agent' } } }));
        if (f.channel === 'gateway.snapshot') ws.send(JSON.stringify({ id: f.id, reply: { ok: true, value: { type: 'nonsense' } } }));
      });
    });
    const d = new Desktop(port, loginOf(1), stationOf(1), 'pw');
    await d.connector.start();
    const peer = server as WebSocket | null;
    if (!peer) throw new Error('no server socket');
    peer.send('garbage');
    peer.send(JSON.stringify({ push: 'cti.event', payload: { type: 'call', change: 'created', call: { id: '' } } }));
    peer.send(JSON.stringify({ push: 'cti.event', payload: marker('4001') }));
    await d.until(() => d.markers().length === 1, 'marker');
    expect(d.events[0]).toMatchObject({ type: 'notice', level: 'warning', code: 'gateway.badEvent' });
    expect(d.events).toHaveLength(2);
    await expect(d.connector.snapshot()).rejects.toMatchObject({ code: 'protocol' });
    peer.close(1001, 'bye');
    await d.until(() => d.lost.length > 0, 'lost');
    await d.connector.closed();
    expect(d.lost).toHaveLength(1);
    expect(d.lost[0]).toMatchObject({ code: 'unreachable' });
    await expect(d.connector.execute({ kind: 'makeCall', to: '1' })).rejects.toMatchObject({ code: 'notConnected' });
  });

  it('times out a request the gateway never answers, and says unreachable when nothing listens', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: GATEWAY_PATH });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    const port = (wss.address() as { port: number }).port;
    const profile = Profile.parse({ id: 'slow', name: 'slow', device: '4001', agentId: 'a', commandTimeoutMs: 200, connection: { vendor: 'ctips', gateway: { host: '127.0.0.1', port, https: false } } });
    const c = createGatewayClientConnector({ profile, secret: null, log: silentLogger() }, { vendor: 'ctips', capabilities: new Set() });
    cleanups.push(() => c.stop());
    await expect(c.start()).rejects.toMatchObject({ code: 'timeout' });
    await c.stop();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await expect(c.start()).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('needs a CTIPS profile with a gateway block and an agent id', () => {
    const direct = Profile.parse({ id: 'p', name: 'p', device: '4001', agentId: 'a', connection: { vendor: 'ctips', portals: [{ host: 'portal' }], userName: 'u', callback: { bindHost: '127.0.0.1' } } });
    expect(() => createGatewayClientConnector({ profile: direct, secret: null, log: silentLogger() }, { vendor: 'ctips', capabilities: new Set() })).toThrow(CtiError);
    const noAgent = Profile.parse({ id: 'p', name: 'p', device: '4001', connection: { vendor: 'ctips', gateway: { host: '127.0.0.1', https: false } } });
    const c = createGatewayClientConnector({ profile: noAgent, secret: null, log: silentLogger() }, { vendor: 'ctips', capabilities: new Set() });
    return expect(c.start()).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('agent id') });
  });
});
