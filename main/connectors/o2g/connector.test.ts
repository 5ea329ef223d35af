// The O2G connector end to end against the fake O2G server of test/fake-o2g.ts (loopback only):
// start-up, HA fallback, credentials, session expiry, channel drop/idle/garbage, TLS, commands,
// queries, stop, and stable call ids across restarts.
import http from 'node:http';
import type net from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CtiError, type Command } from '../../../shared/commands.js';
import type { CallEvent, CtiEvent, SnapshotEvent } from '../../../shared/events.js';
import { Profile } from '../../../shared/profile.js';
import type { Connector } from '../../core/connector.js';
import { silentLogger } from '../../core/log.js';
import { SessionSupervisor } from '../../core/supervisor.js';
import { adminLoginListers } from '../index.js';
import { EventLog } from '../test-event-log.js';
import { createO2gConnector, type O2gConnectorOptions } from './connector.js';
import { O2gHttp } from './http.js';
import { manual } from './manual-examples.js';
import { bootstrap, call } from './session.js';
import { loopbackCert, type TestCert } from './test/certs.js';
import { FakeO2g, refusedPort, type FakeO2gOptions } from './test/fake-o2g.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const isCall = (e: CtiEvent): e is CallEvent => e.type === 'call';
const isSnapshot = (e: CtiEvent): e is SnapshotEvent => e.type === 'snapshot';

function profileFor(primaryPort: number, connection: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return Profile.parse({
    id: 'o2g-test',
    name: 'O2G test',
    device: '70123',
    commandTimeoutMs: 2000,
    keepAliveSec: 15,
    connection: { vendor: 'o2g', primary: { host: '127.0.0.1', port: primaryPort, https: false }, login: 'agent1', ...connection },
    ...extra,
  });
}

interface Rig {
  fake: FakeO2g;
  connector: Connector;
  log: EventLog;
  profile: Profile;
}

async function rig(
  opts: { fake?: FakeO2gOptions; connection?: Record<string, unknown>; password?: string; options?: O2gConnectorOptions; start?: boolean; profile?: (fake: FakeO2g) => Profile } = {},
): Promise<Rig> {
  const fake = await FakeO2g.start(opts.fake);
  cleanups.push(() => fake.close());
  const profile = opts.profile?.(fake) ?? profileFor(fake.port, opts.connection);
  const connector = createO2gConnector(
    { profile, secret: { password: opts.password ?? '1111' }, log: silentLogger() },
    { channelRetryMs: 20, channelRetryMaxMs: 100, directoryPollMs: 10, ...opts.options },
  );
  const log = new EventLog();
  connector.setListeners({ event: (e) => log.push(e), lost: (e) => log.pushLost(e) });
  cleanups.push(() => connector.stop());
  if (opts.start !== false) await connector.start();
  return { fake, connector, log, profile };
}

async function rejection(p: Promise<unknown>): Promise<CtiError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CtiError);
    return err as CtiError;
  }
  throw new Error('expected a rejection');
}

const ringing = {
  eventName: 'OnCallCreated',
  callRef: 'c1',
  cause: 'DISTRIBUTED',
  initiator: 'p1',
  callData: { associateData: 'CUST-42', acdCallData: { pilotNumber: '60100' }, capabilities: { redirect: true, terminate: true } },
  legs: [{ deviceId: '70123', state: 'RINGING_INCOMING', capabilities: { answer: true, drop: true } }],
  participants: [{ participantId: 'p1', identity: { id: { phoneNumber: '0612345678' }, firstName: 'Bob', lastName: 'Blake', type: { main: 'EXTERNAL' } } }],
};

// ================================================================ start-up

describe('start-up', () => {
  it('runs the start-up sequence of the manual, with both cookies on every request', async () => {
    const { fake } = await rig();
    const seq = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(seq).toEqual([
      'GET /api/rest',
      'GET /api/rest/authenticate',
      'POST /sessions',
      'GET /users/agent1',
      'GET /acd/agent/config',
      'POST /subscriptions',
      'GET /OTEvents',
    ]);
    const [, auth, session, , , sub, channel] = fake.requests;
    expect(auth?.query.get('version')).toBe('1.0');
    expect(auth?.headers.authorization).toBe(`Basic ${Buffer.from('agent1:1111').toString('base64')}`);
    expect(session?.json).toEqual({ applicationName: 'AgentDesktop' });
    expect(session?.cookies.AlcUserId).toMatch(/^eyJ/);
    expect(sub?.json).toEqual({
      filter: {
        selectors: [
          { names: ['telephony'] },
          { names: ['agent'] },
          { names: ['unifiedComLog'] },
          { names: ['eventSummary'] },
          { names: ['routingManagement'] },
          { names: ['system'] },
          { names: ['user'] },
        ],
      },
      version: '1.0',
      timeout: 0,
    });
    for (const r of [sub, channel]) {
      expect(r?.cookies.AlcUserId).toBe(session?.cookies.AlcUserId);
      expect(r?.cookies.JSESSIONID).toMatch(/\.tomcat$/);
    }
    expect(channel?.query.get('subscriptionId')).toBe(fake.subscriptionIds()[0]);
  });

  it('snapshot: calls, agent with the PG reasons, routing and counters', async () => {
    const { fake, connector } = await rig({ start: false });
    fake.calls = [{ callRef: 'c1', legs: ringing.legs, participants: ringing.participants, callData: ringing.callData }];
    fake.agentState = { mainState: 'LOG_ON', subState: 'WITHDRAW', pgNumber: '60121', withdrawReason: 1, proAcdDeviceNumber: '70123' };
    fake.routingState = { forwardRoutes: [{ forwardType: 'BUSY', destinations: [{ type: 'VOICEMAIL' }] }], overflowRoutes: [], dndState: { activate: true } };
    fake.eventSummary = { missedCallsNb: 3, voiceMessagesNb: 1, eventWaiting: true };
    await connector.start();
    const snap = await connector.snapshot();
    expect(snap.calls).toHaveLength(1);
    expect(snap.calls[0]).toMatchObject({ state: 'alerting', remote: { number: '0612345678', name: 'Bob Blake' }, data: { associatedData: 'CUST-42', pilotNumber: '60100' } });
    expect(snap.agent).toMatchObject({ state: 'notReady', reason: 'Lunch', reasons: ['Lunch', 'Training'], group: '60121', role: 'agent', groups: ['60121'] });
    expect(snap.features).toEqual({ forwards: [{ type: 'busy', to: '70999' }], dnd: true, messageWaiting: true, overflow: null, missedCalls: 3, voiceMessages: 1 });
    expect(fake.find('GET', '/acd/agent/withdrawReasons')[0]?.query.get('pgNumber')).toBe('60121');
  });

  it('a user without an ACD configuration has no agent state and no agent subscription', async () => {
    const { fake, connector } = await rig({ fake: { users: { agent1: { password: '1111', devices: [{ type: 'DESKPHONE', id: '70123' }] } } } });
    const sub = fake.find('POST', '/subscriptions')[0]?.json as { filter: { selectors: Array<{ names: string[] }> } };
    expect(sub.filter.selectors.flatMap((s) => s.names)).not.toContain('agent');
    const snap = await connector.snapshot();
    expect(snap.agent).toBeNull();
    expect(fake.find('GET', '/acd/agent/state')).toEqual([]);
    expect((await rejection(connector.execute({ kind: 'setAgentState', state: 'ready' }))).code).toBe('notPermitted');
  });

  it('warns when the profile device is not one of the user devices', async () => {
    const { log } = await rig({ fake: { users: { agent1: { password: '1111', devices: [{ type: 'DESKPHONE', id: '70999' }] } } } });
    expect(log.events.find((e) => e.type === 'notice' && e.code === 'deviceNotOwned')).toBeDefined();
  });

  it('retries the subscription without the optional packages when they are refused', async () => {
    const { fake } = await rig({
      start: false,
    });
    fake.subscriptionAnswer = (names) => (names.includes('system') ? { status: 'REFUSED', message: 'License limit exceeded' } : null);
    const connector = createO2gConnector({ profile: profileFor(fake.port), secret: { password: '1111' }, log: silentLogger() });
    cleanups.push(() => connector.stop());
    await connector.start();
    const subs = fake.find('POST', '/subscriptions');
    expect(subs).toHaveLength(2);
    expect((subs[1]?.json as { filter: { selectors: unknown[] } }).filter.selectors).toHaveLength(5);
  });

  it('a refused subscription is a typed limit error', async () => {
    const { fake, connector } = await rig({ start: false });
    fake.subscriptionAnswer = () => ({ status: 'REFUSED', message: 'License limit exceeded' });
    const e = await rejection(connector.start());
    expect(e.code).toBe('limit');
    expect(e.message).toContain('License limit exceeded');
    // The half-open session was closed.
    expect(fake.find('DELETE', '/sessions')).toHaveLength(1);
  });

  it('follows the public URLs when the profile says so, and the internal ones otherwise', async () => {
    const { fake } = await rig({ start: false });
    const routes = (which: 'public' | 'internal') => {
      fake.routes.set('POST /subscriptions', () => ({
        status: 200,
        body: {
          subscriptionId: 'S9',
          status: 'ACCEPTED',
          privatePollingUrl: `${fake.origin}/OTEvents?subscriptionId=private`,
          publicPollingUrl: `${fake.origin}/OTEvents?subscriptionId=public`,
        },
      }));
      return which;
    };
    routes('public');
    const c = createO2gConnector({ profile: profileFor(fake.port, { urls: 'public' }), secret: { password: '1111' }, log: silentLogger() });
    cleanups.push(() => c.stop());
    // The fake knows neither id: the open is refused with 404, so start-up fails, after asking for the right URL.
    await rejection(c.start());
    expect(fake.find('GET', '/OTEvents').at(-1)?.query.get('subscriptionId')).toBe('public');
  });

  it('opens the channel with POST when GET is refused with 405', async () => {
    const { fake } = await rig({ start: false });
    fake.routes.set('GET /OTEvents', () => ({ status: 405, body: { code: 1005, type: 'NOT_SUPPORTED', httpStatus: 'METHOD_NOT_ALLOWED' } }));
    const c = createO2gConnector({ profile: profileFor(fake.port), secret: { password: '1111' }, log: silentLogger() });
    cleanups.push(() => c.stop());
    await c.start();
    expect(fake.requests.filter((r) => r.path === '/OTEvents').map((r) => r.method)).toEqual(['GET', 'POST']);
  });

  it('goes on when the channel never says OnChannelInformation', async () => {
    const { connector } = await rig({ fake: { noChannelInfo: true } });
    await expect(connector.keepAlive()).resolves.toMatchObject({ pbxLinkUp: true });
  });
});

describe('bootstrap against the manual literal replies', () => {
  it('sends the manual requests: discovery, Basic auth, session with AlcUserId, then both cookies', async () => {
    const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
    let origin = '';
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        const real = (s: string) => s.replaceAll('https://server', origin).replaceAll('https://public-server', origin);
        if (req.url === '/api/rest') {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(real(manual.discoveryResponse.text));
        } else if (req.url?.startsWith('/api/rest/authenticate')) {
          const line = manual.authResponse.text;
          const cookie = /^Set-Cookie: (.*?) Content-Type:/.exec(line)?.[1] as string;
          res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': cookie }).end(real(line.slice(line.indexOf('{'))));
        } else if (req.url === '/api/rest/1.0/sessions') {
          const cookie = manual.sessionResponseSetCookie.text.replace(/^\tSet-Cookie: /, '');
          res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': cookie }).end(manual.sessionResponseBody.text);
        } else {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ACCEPTED","subscriptionId":"S1"}');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as net.AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
    const o2g = new O2gHttp({ tls: {}, timeoutMs: 2000, trace: () => {} });
    cleanups.push(() => o2g.close());
    const open = await bootstrap({
      http: o2g,
      server: { host: '127.0.0.1', port, https: false },
      login: 'internal29',
      password: 'alcatel29',
      applicationName: 'AgentDesktop',
      urls: 'internal',
    });
    // The session body of the manual is the version list: the base URL comes from the sessions URL.
    expect(open.baseUrl).toBe(`${origin}/api/rest/1.0`);
    await call(o2g, 'subscribe', 'POST', `${open.baseUrl}/subscriptions`, { body: { version: '1.0' } });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/rest',
      'GET /api/rest/authenticate?version=1.0',
      'POST /api/rest/1.0/sessions',
      'POST /api/rest/1.0/subscriptions',
    ]);
    expect(`Authorization: ${seen[1]?.headers.authorization}`).toBe(manual.authRequest.text.split('\n')[1]?.trim());
    expect(`Cookie: ${seen[2]?.headers.cookie}`).toBe(manual.sessionRequest.text.split('\n').find((l) => l.startsWith('Cookie:')));
    expect(seen[2]?.headers['content-type']).toBe('application/json');
    expect(seen[3]?.headers.cookie).toContain('JSESSIONID=88C00EA2B3C482E19825F1184D0BB50E.tomcat');
    expect(seen[3]?.headers.cookie).toContain('AlcUserId=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpbnRlcm5...');
  });
});

describe('high availability', () => {
  it('runs the whole start-up against the secondary when the primary refuses', async () => {
    const dead = await refusedPort();
    const { fake, log } = await rig({
      profile: (f) => profileFor(dead, { secondary: { host: '127.0.0.1', port: f.port, https: false } }),
    });
    expect(fake.requests[0]?.path).toBe('/api/rest');
    const notice = await log.next((e) => e.type === 'notice' && e.code === 'o2gServer');
    expect(notice.type === 'notice' && notice.message).toContain(`secondary O2G server 127.0.0.1:${fake.port}`);
  });

  it('falls back on a 5xx primary, and not on bad credentials', async () => {
    const primary = await FakeO2g.start();
    cleanups.push(() => primary.close());
    primary.routes.set('GET /api/rest', () => ({ status: 503, raw: '<html>Service Unavailable</html>' }));
    const { fake } = await rig({ profile: (f) => profileFor(primary.port, { secondary: { host: '127.0.0.1', port: f.port, https: false } }) });
    expect(fake.find('POST', '/sessions')).toHaveLength(1);

    const primary2 = await FakeO2g.start();
    cleanups.push(() => primary2.close());
    const second = await FakeO2g.start();
    cleanups.push(() => second.close());
    const c = createO2gConnector({ profile: profileFor(primary2.port, { secondary: { host: '127.0.0.1', port: second.port, https: false } }), secret: { password: 'wrong' }, log: silentLogger() });
    cleanups.push(() => c.stop());
    expect((await rejection(c.start())).code).toBe('authFailed');
    expect(second.requests).toEqual([]);
  });

  it('starts again on the server that worked last', async () => {
    const dead = await refusedPort();
    const { fake, connector } = await rig({ profile: (f) => profileFor(dead, { secondary: { host: '127.0.0.1', port: f.port, https: false } }) });
    await connector.stop();
    const before = fake.requests.length;
    await connector.start();
    expect(fake.requests[before]?.path).toBe('/api/rest');
  });
});

describe('credentials', () => {
  it('wrong credentials: authFailed, one attempt, no session', async () => {
    const { fake, connector } = await rig({ start: false, password: 'nope' });
    const e = await rejection(connector.start());
    expect(e.code).toBe('authFailed');
    expect(fake.authAttempts).toBe(1);
    expect(fake.find('POST', '/sessions')).toEqual([]);
  });

  it('no stored password: authFailed without contacting the server', async () => {
    const fake = await FakeO2g.start();
    cleanups.push(() => fake.close());
    const c = createO2gConnector({ profile: profileFor(fake.port), secret: null, log: silentLogger() });
    expect((await rejection(c.start())).code).toBe('authFailed');
    expect(fake.requests).toEqual([]);
  });
});

// ================================================================ TLS

describe('TLS end to end', () => {
  let cert: TestCert;
  beforeAll(async () => {
    cert = await loopbackCert();
  });
  const tlsProfile = (port: number, tls: Record<string, unknown>) =>
    Profile.parse({ ...profileFor(port), connection: { ...profileFor(port).connection, primary: { host: '127.0.0.1', port, https: true }, tls } });

  it('trusts the server by CA file', async () => {
    const { connector } = await rig({ fake: { tls: cert }, profile: (f) => tlsProfile(f.port, { caFile: cert.caFile }) });
    await expect(connector.snapshot()).resolves.toMatchObject({ type: 'snapshot' });
  });

  it('trusts the server by pin', async () => {
    const { connector } = await rig({ fake: { tls: cert }, profile: (f) => tlsProfile(f.port, { pinSha256: cert.fingerprint256 }) });
    await expect(connector.keepAlive()).resolves.toMatchObject({ missedEvents: 0 });
  });

  it('refuses the server without either, and with a wrong pin', async () => {
    const a = await rig({ start: false, fake: { tls: cert }, profile: (f) => tlsProfile(f.port, {}) });
    expect((await rejection(a.connector.start())).code).toBe('rejected');
    const wrong = cert.fingerprint256.replace(/^../, cert.fingerprint256.startsWith('00') ? '11' : '00');
    const b = await rig({ start: false, fake: { tls: cert }, profile: (f) => tlsProfile(f.port, { pinSha256: wrong }) });
    const e = await rejection(b.connector.start());
    expect(e.code).toBe('rejected');
    expect(e.message).toContain('fingerprint mismatch');
    expect(b.fake.requests).toEqual([]);
  });

  it('refuses a plain-http URL handed out on a TLS connection', async () => {
    const { fake, connector } = await rig({ start: false, fake: { tls: cert }, profile: (f) => tlsProfile(f.port, { caFile: cert.caFile }) });
    fake.routes.set('GET /api/rest', () => ({ status: 200, body: { versions: [{ id: '1.0', status: 'CURRENT', internalUrl: `http://127.0.0.1:${fake.port}/api/rest/authenticate?version=1.0` }] } }));
    const e = await rejection(connector.start());
    expect(e.code).toBe('rejected');
    expect(fake.authAttempts).toBe(0);
  });
});

// ================================================================ the event channel

describe('event channel', () => {
  it('maps call events as they arrive', async () => {
    const { fake, log } = await rig();
    fake.push(ringing);
    const e = await log.next(isCall);
    expect(e.call).toMatchObject({ state: 'alerting', allowed: ['answer', 'clear', 'redirect'], data: { associatedData: 'CUST-42' } });
  });

  it('channel drop: re-opens the same URL, takes the queued events first, then a snapshot', async () => {
    const { fake, log } = await rig();
    const url = fake.requests.find((r) => r.path === '/OTEvents')?.query.get('subscriptionId');
    fake.dropChannel();
    fake.push(ringing); // queued while the channel is down
    const reopen = await fake.channelOpens(2);
    expect(reopen.query.get('subscriptionId')).toBe(url);
    const created = await log.next(isCall);
    const snap = await log.next(isSnapshot);
    expect(log.events.indexOf(created)).toBeLessThan(log.events.indexOf(snap));
    expect(snap.calls.map((c) => c.id)).toEqual([]);
    expect(log.lost).toEqual([]);
    // And the manual's snapshot requests, so the server confirms the state on the channel too.
    await fake.waitFor((r) => r.method === 'POST' && r.path === '/telephony/state/snapshot');
    await fake.waitFor((r) => r.method === 'POST' && r.path === '/acd/agent/state/snapshot');
    await fake.waitFor((r) => r.method === 'POST' && r.path === '/routing/state/snapshot');
  });

  it('a clean end of the channel re-opens it at once', async () => {
    const { fake, log } = await rig();
    fake.endChannel();
    await fake.channelOpens(2);
    await log.next(isSnapshot);
  });

  it('a silent (half-open) channel is given up after channelIdleSec and re-opened', async () => {
    const { fake, log } = await rig({
      profile: (f) => {
        const p = profileFor(f.port);
        if (p.connection.vendor === 'o2g') p.connection.channelIdleSec = 0.3; // below the schema minimum, for the test
        return p;
      },
    });
    fake.freezeChannel();
    fake.push(ringing);
    await fake.channelOpens(2);
    await log.next(isCall);
    await log.next(isSnapshot);
  });

  it('garbage and oversize lines are skipped; the stream continues', async () => {
    const { fake, log } = await rig({ options: { maxLineBytes: 1024 } });
    fake.pushRaw('this is not json\n');
    fake.pushRaw(`{"eventName":"OnCallCreated","callRef":"${'x'.repeat(5000)}"}\n`);
    fake.pushRaw('{"eventName":"OnSomethingNew","x":1}\n{"eventName":"OnCallRemoved"}\n');
    // One event split over three chunks, then two events in one chunk.
    const line = JSON.stringify({ loginName: 'agent1', ...ringing });
    fake.pushRaw(line.slice(0, 20));
    fake.pushRaw(line.slice(20, 200));
    fake.pushRaw(`${line.slice(200)}\r\n${JSON.stringify({ eventName: 'OnCallModified', callRef: 'c1', modifiedLegs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: { drop: true, hold: true } }] })}\n`);
    const connected = await log.next((e) => isCall(e) && e.call.state === 'connected');
    expect(connected.type === 'call' && connected.call.remote.name).toBe('Bob Blake');
    expect(log.lost).toEqual([]);
    expect(fake.openChannels()).toBe(1);
  });

  it('session expiry: the re-open is refused and lost(sessionLost) is called; keep-alive says so too', async () => {
    const { fake, connector, log } = await rig();
    fake.expireSessions();
    expect((await rejection(connector.keepAlive())).code).toBe('sessionLost');
    fake.dropChannel();
    const lost = await log.nextLost();
    expect(lost.code).toBe('sessionLost');
  });

  it('a deleted subscription (404 on re-open) is a lost session', async () => {
    const { fake, connector, log } = await rig();
    const id = fake.subscriptionIds()[0] as string;
    fake.routes.set('GET /OTEvents', () => ({ status: 404, body: { code: 1003, type: 'NOT_FOUND', httpStatus: 'NOT_FOUND' } }));
    fake.dropChannel();
    expect((await log.nextLost()).code).toBe('sessionLost');
    expect(id).toMatch(/^S/);
    await connector.stop();
  });

  it('CTI link down/up: a notice, and keep-alive reports the link', async () => {
    const { fake, connector, log } = await rig();
    fake.push({ eventName: 'OnCtiLinkDown', nodeId: '7' });
    await log.next((e) => e.type === 'notice' && e.code === 'pbxLinkDown');
    expect((await connector.keepAlive()).pbxLinkUp).toBe(false);
    fake.push({ eventName: 'OnCtiLinkUp', nodeId: '7' });
    await log.next((e) => e.type === 'notice' && e.code === 'pbxLinkUp');
    expect((await connector.keepAlive()).pbxLinkUp).toBe(true);
  });

  it('agent, routing and counter events', async () => {
    const { fake, log } = await rig();
    fake.push({ eventName: 'OnAgentStateChanged', state: { mainState: 'LOG_ON', subState: 'READY', pgNumber: '60121' } });
    const a = await log.next((e) => e.type === 'agent' && e.agent.state === 'ready');
    expect(a.type === 'agent' && a.agent.permitted).toEqual(['notReady', 'wrapUp', 'loggedOff']);
    fake.push({ eventName: 'OnRoutingStateChanged', routingState: { dndState: { activate: true } } });
    await log.next((e) => e.type === 'features' && e.features.dnd === true);
    fake.push({ eventName: 'OnEventSummaryUpdated', eventSummary: { missedCallsNb: 4 } });
    await log.next((e) => e.type === 'features' && e.features.missedCalls === 4);
    fake.push({ eventName: 'OnSupervisorHelpRequested', agentNumber: '70100' });
    await log.next((e) => e.type === 'agent' && e.agent.helpRequested === true);
  });

  it('keeps call ids stable across a restart', async () => {
    const { fake, connector, log } = await rig();
    fake.push(ringing);
    const first = await log.next(isCall);
    await connector.stop();
    fake.calls = [{ callRef: 'c1', legs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: { drop: true } }], participants: ringing.participants }];
    await connector.start();
    const snap = await connector.snapshot();
    expect(snap.calls.map((c) => c.id)).toEqual([first.call.id]);
    expect(snap.calls[0]?.state).toBe('connected');
  });

  it('events that arrive during a snapshot are folded into it', async () => {
    const { fake, connector } = await rig();
    // While the snapshot waits for the server's replies, a call arrives on the channel.
    fake.routes.set('GET /routing/state', () => {
      fake.push(ringing);
      return { status: 200, body: fake.routingState };
    });
    const snap = await connector.snapshot();
    // The call list (empty) came first, the event arrived meanwhile: the snapshot shows it.
    expect(snap.calls.map((c) => c.ref.callId)).toEqual(['c1']);
  });
});

// ================================================================ commands and queries

describe('commands', () => {
  async function withCalls() {
    const r = await rig();
    r.fake.push(ringing);
    const c1 = (await r.log.next(isCall)).call.id;
    return { ...r, c1 };
  }
  const last = (fake: FakeO2g) => fake.requests.at(-1);
  const exec = async (connector: Connector, fake: FakeO2g, cmd: Command) => {
    const before = fake.requests.length;
    await connector.execute(cmd);
    return fake.requests.slice(before).map((r) => ({ method: r.method, path: r.path, query: r.query.toString(), json: r.json }));
  };

  it('capabilities: none of what O2G has no request for, which is refused as unsupported rather than ignored', async () => {
    const { connector } = await rig();
    for (const kind of ['addParty', 'redial', 'reject', 'setDisposition', 'panicLogout', 'setNextAgentState', 'setTeamAgentState'] as const) expect(connector.capabilities.has(kind)).toBe(false);
    expect(connector.capabilities.has('intrude')).toBe(true);
    expect((await rejection(connector.execute({ kind: 'addParty', callId: 'x', to: '1' }))).code).toBe('unsupported');
    expect((await rejection(connector.execute({ kind: 'panicLogout' }))).code).toBe('unsupported');
    expect((await rejection(connector.execute({ kind: 'redial' }))).code).toBe('unsupported');
  });

  it('makeCall with data, within and over 32 bytes', async () => {
    const { connector, fake } = await rig();
    expect(await exec(connector, fake, { kind: 'makeCall', to: '0612 34-56.78', data: { associatedData: 'CUST-42' } })).toEqual([
      { method: 'POST', path: '/telephony/calls', query: '', json: { deviceId: '70123', callee: '0612345678', autoAnswer: true, associatedData: 'CUST-42' } },
    ]);
    expect(await exec(connector, fake, { kind: 'makeCall', to: '70125', data: { customerId: 'C-1' } })).toEqual([
      { method: 'POST', path: '/telephony/calls', query: '', json: { deviceId: '70123', callee: '70125', autoAnswer: true, associatedData: 'customerId=C-1' } },
    ]);
    const e = await rejection(connector.execute({ kind: 'makeCall', to: '70125', data: { associatedData: 'x'.repeat(33) } }));
    expect(e.code).toBe('invalid');
    expect(last(fake)?.path).not.toBe('/telephony/calls?x');
  });

  it('call control on one call', async () => {
    const { connector, fake, c1 } = await withCalls();
    const one = async (cmd: Command) => (await exec(connector, fake, cmd))[0];
    expect(await one({ kind: 'answer', callId: c1 })).toEqual({ method: 'POST', path: '/telephony/calls/c1/answer', query: '', json: { deviceId: '70123' } });
    expect(await one({ kind: 'hold', callId: c1 })).toEqual({ method: 'POST', path: '/telephony/calls/c1/hold', query: '', json: { deviceId: '70123' } });
    expect(await one({ kind: 'retrieve', callId: c1 })).toEqual({ method: 'POST', path: '/telephony/calls/c1/retrieve', query: '', json: { deviceId: '70123' } });
    expect(await one({ kind: 'clear', callId: c1 })).toMatchObject({ method: 'DELETE', path: '/telephony/calls/c1' });
    expect(await one({ kind: 'redirect', callId: c1, to: '70126' })).toEqual({ method: 'POST', path: '/telephony/calls/c1/redirect', query: '', json: { redirectTo: '70126' } });
    expect(await one({ kind: 'transfer', callId: c1, to: '70126' })).toEqual({ method: 'POST', path: '/telephony/calls/c1/blindtransfer', query: '', json: { transferTo: '70126' } });
    expect(await one({ kind: 'sendDtmf', callId: c1, digits: '12#' })).toEqual({ method: 'POST', path: '/telephony/calls/c1/sendDtmf', query: '', json: { deviceId: '70123', number: '12#' } });
    expect(await one({ kind: 'park', callId: c1 })).toEqual({ method: 'POST', path: '/telephony/calls/c1/park', query: '', json: {} });
    expect(await one({ kind: 'park', callId: c1, to: '70200' })).toEqual({ method: 'POST', path: '/telephony/calls/c1/park', query: '', json: { parkTo: '70200' } });
    expect(await one({ kind: 'setCallData', callId: c1, data: { associatedData: 'X1' } })).toEqual({ method: 'POST', path: '/telephony/calls/c1/attachdata', query: '', json: { deviceId: '70123', associatedData: 'X1' } });
    expect(await one({ kind: 'record', callId: c1, action: 'pause' })).toMatchObject({ method: 'POST', path: '/telephony/calls/c1/recording', query: 'action=pause' });
    expect(await one({ kind: 'callBack', callId: c1 })).toMatchObject({ method: 'POST', path: '/telephony/calls/c1/callback' });
    expect(await one({ kind: 'transactionCode', callId: c1, code: '4711' })).toEqual({ method: 'POST', path: '/telephony/calls/c1/sendaccountinfo', query: '', json: { deviceId: '70123', accountInfo: '4711' } });
    expect(await one({ kind: 'unpark' })).toEqual({ method: 'POST', path: '/telephony/devices/70123/unpark', query: '', json: {} });
    expect(await one({ kind: 'unpark', from: '70200' })).toEqual({ method: 'POST', path: '/telephony/devices/70123/unpark', query: '', json: { unParkFrom: '70200' } });
    expect(await one({ kind: 'pickup', from: '70125' })).toEqual({ method: 'POST', path: '/telephony/devices/70123/pickup', query: '', json: { otherPhoneNumber: '70125', autoAnswer: true } });
    expect((await rejection(connector.execute({ kind: 'hold', callId: 'nope' }))).code).toBe('noCall');
  });

  it('clear leaves a conference with dropme when O2G offers it', async () => {
    const { connector, fake, log } = await rig();
    fake.push({ ...ringing, callData: { capabilities: { dropMe: true, terminate: true } } });
    const id = (await log.next(isCall)).call.id;
    expect((await exec(connector, fake, { kind: 'clear', callId: id }))[0]).toMatchObject({ method: 'POST', path: '/telephony/calls/c1/dropme' });
  });

  it('two-call services name the held and the active call as the manual says', async () => {
    const { connector, fake, log } = await rig();
    fake.push({ eventName: 'OnCallCreated', callRef: 'h1', legs: [{ deviceId: '70123', state: 'HELD', capabilities: { retrieve: true } }], participants: ringing.participants });
    fake.push({ eventName: 'OnCallCreated', callRef: 'a2', legs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: { hold: true } }], participants: [{ participantId: 'x', identity: { id: { phoneNumber: '70125' } } }] });
    const held = (await log.next((e) => isCall(e) && e.call.ref.callId === 'h1')) as CallEvent;
    const active = (await log.next((e) => isCall(e) && e.call.ref.callId === 'a2')) as CallEvent;
    for (const id of [held.call.id, active.call.id]) {
      expect(await exec(connector, fake, { kind: 'alternate', callId: id })).toEqual([{ method: 'POST', path: '/telephony/calls/h1/alternate', query: '', json: { deviceId: '70123' } }]);
      expect(await exec(connector, fake, { kind: 'reconnect', callId: id })).toEqual([
        { method: 'POST', path: '/telephony/calls/h1/reconnect', query: '', json: { deviceId: '70123', enquiryCallRef: 'a2' } },
      ]);
      expect(await exec(connector, fake, { kind: 'transfer', callId: id })).toEqual([{ method: 'POST', path: '/telephony/calls/a2/transfer', query: '', json: { heldCallRef: 'h1' } }]);
      expect(await exec(connector, fake, { kind: 'conference', callId: id })).toEqual([{ method: 'POST', path: '/telephony/calls/a2/merge', query: '', json: { heldCallRef: 'h1' } }]);
    }
  });

  it('consult holds the active call, then calls; a failed call retrieves it', async () => {
    const { connector, fake, log } = await rig();
    fake.push({ eventName: 'OnCallCreated', callRef: 'a1', legs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: { hold: true } }], participants: ringing.participants });
    const id = (await log.next(isCall)).call.id;
    expect(await exec(connector, fake, { kind: 'consult', callId: id, to: '70125' })).toEqual([
      { method: 'POST', path: '/telephony/calls/a1/hold', query: '', json: { deviceId: '70123' } },
      { method: 'POST', path: '/telephony/calls', query: '', json: { deviceId: '70123', callee: '70125', autoAnswer: true } },
    ]);
    fake.routes.set('POST /telephony/calls', () => ({ status: 403, body: { code: 1002, type: 'NOT_ALLOWED', httpStatus: 'FORBIDDEN' } }));
    const before = fake.requests.length;
    expect((await rejection(connector.execute({ kind: 'consult', callId: id, to: '70125' }))).code).toBe('rejected');
    expect(fake.requests.slice(before).map((r) => r.path)).toEqual(['/telephony/calls/a1/hold', '/telephony/calls', '/telephony/calls/a1/retrieve']);
  });

  it('O2G error replies come back as typed errors', async () => {
    const { connector, fake, c1 } = await withCalls();
    fake.routes.set('POST /telephony/calls/c1/hold', () => ({
      status: 400,
      body: { httpStatus: 'BAD_REQUEST', code: 1004, type: 'NOT_EXPECTED', telephony: { errorType: 'INCOMPATIBLE_WITH_STATE', errorCause: 'INVALID_CONNECTION_STATE' } },
    }));
    const e = await rejection(connector.execute({ kind: 'hold', callId: c1 }));
    expect(e.code).toBe('notPermitted');
    expect(e.vendorCode).toBe('NOT_EXPECTED/INCOMPATIBLE_WITH_STATE');
  });

  it('agent states', async () => {
    const { connector, fake } = await rig();
    const one = async (cmd: Command) => (await exec(connector, fake, cmd)).at(-1);
    expect(await one({ kind: 'setAgentState', state: 'loggedOn' })).toEqual({ method: 'POST', path: '/acd/agent/logon', query: '', json: { proAcdDeviceNumber: '70123', pgGroupNumber: '60121' } });
    expect(await one({ kind: 'setAgentState', state: 'ready' })).toMatchObject({ path: '/acd/agent/ready' });
    expect(await one({ kind: 'setAgentState', state: 'notReady' })).toMatchObject({ path: '/acd/agent/pause' });
    expect(await one({ kind: 'setAgentState', state: 'notReady', reason: 'training' })).toEqual({ method: 'POST', path: '/acd/agent/withdraw', query: '', json: { reasonIndex: 2 } });
    expect(await one({ kind: 'setAgentState', state: 'wrapUp' })).toMatchObject({ path: '/acd/agent/wrapUp' });
    expect(await one({ kind: 'setAgentState', state: 'loggedOff' })).toMatchObject({ path: '/acd/agent/logoff' });
    const e = await rejection(connector.execute({ kind: 'setAgentState', state: 'notReady', reason: 'Coffee' }));
    expect(e.code).toBe('invalid');
    expect(e.message).toContain('Lunch, Training');
    expect((await rejection(connector.execute({ kind: 'setAgentState', state: 'busy' }))).code).toBe('invalid');
  });

  it('logon uses the profile processing group first', async () => {
    const { connector, fake } = await rig({ connection: { processingGroup: '60999' } });
    expect((await exec(connector, fake, { kind: 'setAgentState', state: 'loggedOn' }))[0]?.json).toEqual({ proAcdDeviceNumber: '70123', pgGroupNumber: '60999' });
  });

  it('supervisor help, intrusion, permanent listening, groups', async () => {
    const { connector, fake, log } = await rig();
    fake.agentState = { mainState: 'LOG_ON', subState: 'READY', pgNumber: '60121' };
    await connector.snapshot(); // as the supervisor does after every start
    const one = async (cmd: Command) => (await exec(connector, fake, cmd)).at(-1);
    expect(await one({ kind: 'supervisorHelp', on: true })).toMatchObject({ method: 'POST', path: '/acd/agent/supervisorHelp' });
    fake.push({ eventName: 'OnSupervisorHelpRequested', agentNumber: '70100' });
    await log.next((e) => e.type === 'agent' && e.agent.helpRequested === true);
    expect(await one({ kind: 'supervisorHelp', on: false })).toMatchObject({ method: 'DELETE', path: '/acd/agent/supervisorHelp', query: 'other=70100' });
    expect(await one({ kind: 'supervisorHelp', on: false, agent: '70123' })).toMatchObject({ method: 'DELETE', query: 'other=70123' });
    expect(await one({ kind: 'intrude', agent: '70123', mode: 'listen' })).toEqual({ method: 'POST', path: '/acd/agent/intrusion', query: '', json: { agentNumber: '70123', mode: 'DISCRETE' } });
    expect(await one({ kind: 'intrude', mode: 'coach' })).toEqual({ method: 'PUT', path: '/acd/agent/intrusion', query: '', json: { mode: 'RESTRICTED' } });
    expect(await one({ kind: 'intrude', mode: 'barge' })).toMatchObject({ json: { mode: 'NORMAL' } });
    expect(await one({ kind: 'permanentListen', agent: '70123' })).toEqual({ method: 'POST', path: '/acd/agent/permanentListening', query: '', json: { agentNumber: '70123' } });
    expect(await one({ kind: 'setGroup', group: '60121', on: true })).toEqual({ method: 'POST', path: '/acd/agent/enterPG', query: '', json: { pgGroupNumber: '60121' } });
    expect(await one({ kind: 'setGroup', group: '60121', on: false })).toEqual({ method: 'POST', path: '/acd/agent/exitPG', query: '', json: { pgGroupNumber: '60121' } });
    fake.routes.set('POST /acd/agent/enterPG', () => ({ status: 404, body: { code: 1005, type: 'NOT_SUPPORTED' } }));
    expect(await exec(connector, fake, { kind: 'setGroup', group: '60121', on: true })).toHaveLength(2);
    expect(last(fake)?.path).toBe('/acd/agent/enter');
  });

  it('routing: forward, DND, overflow', async () => {
    const { connector, fake } = await rig();
    const one = async (cmd: Command) => (await exec(connector, fake, cmd)).at(-1);
    expect(await one({ kind: 'setForward', type: 'immediate', to: '70125', on: true })).toEqual({
      method: 'POST',
      path: '/routing/forwardroute',
      query: '',
      json: { forwardRoute: { destinations: [{ type: 'NUMBER', number: '70125' }] } },
    });
    expect((await one({ kind: 'setForward', type: 'busy', to: '70999', on: true }))?.json).toEqual({ forwardRoute: { forwardType: 'BUSY', destinations: [{ type: 'VOICEMAIL' }] } });
    expect(await one({ kind: 'setForward', type: 'noAnswer', on: false })).toMatchObject({ method: 'DELETE', path: '/routing/forwardroute' });
    expect((await rejection(connector.execute({ kind: 'setForward', type: 'immExt', to: '1', on: true }))).code).toBe('unsupported');
    expect(await one({ kind: 'setDnd', on: true })).toEqual({ method: 'POST', path: '/routing/dnd', query: '', json: undefined });
    expect(await one({ kind: 'setDnd', on: false })).toMatchObject({ method: 'DELETE', path: '/routing/dnd' });
    expect(await one({ kind: 'setOverflow', on: true, type: 'busy', to: 'associate' })).toEqual({
      method: 'POST',
      path: '/routing/overflowroute',
      query: '',
      json: { overflowRoutes: [{ overflowType: 'BUSY', destinations: [{ type: 'ASSOCIATE' }] }] },
    });
    expect(await one({ kind: 'setOverflow', on: false, type: 'busyNoAnswer', to: 'voicemail' })).toMatchObject({ method: 'DELETE', path: '/routing/overflowroute' });
  });

  it('acknowledges missed calls by 64-bit record id, or all unacknowledged ones', async () => {
    const { connector, fake } = await rig();
    await connector.execute({ kind: 'acknowledgeMissed', ids: ['o2g:9223372036854775807', 'o2g:5', 'local:1'] });
    const put = last(fake);
    expect(put).toMatchObject({ method: 'PUT', path: '/comlog/records' });
    expect(put?.query.get('acknowledge')).toBe('true');
    expect(put?.body).toBe('{"recordIds":[9223372036854775807,5]}');
    fake.comlogJson = '{"comHistoryRecords":[{"recordId":9007199254740993,"comRef":"a","acknowledged":false,"medias":["AUDIO"]}]}';
    await connector.execute({ kind: 'acknowledgeMissed', ids: [] });
    const get = fake.find('GET', '/comlog/records').at(-1);
    expect(get?.query.get('unanswered')).toBe('true');
    expect(get?.query.get('unacknowledged')).toBe('true');
    expect(last(fake)?.body).toBe('{"recordIds":[9007199254740993]}');
    expect((await rejection(connector.execute({ kind: 'acknowledgeMissed', ids: ['local:1'] }))).code).toBe('invalid');
  });

  it('snapshot command emits a snapshot', async () => {
    const { connector, log } = await rig();
    await connector.execute({ kind: 'snapshot' });
    await log.next(isSnapshot);
  });
});

describe('queries', () => {
  it('directory: start, poll until FINISH, stop, map contacts', async () => {
    const { connector, fake } = await rig();
    fake.directoryScript = [
      { resultCode: 'NOK' },
      { resultCode: 'OK', resultElements: [{ contacts: [{ id: { loginName: 'agent2', phoneNumber: '70125' }, firstName: 'Jean', lastName: 'Dupont' }, { id: { loginName: 'nophone' } }] }] },
      { resultCode: 'FINISH' },
    ];
    const out = await connector.query({ kind: 'directory', text: 'Dup', limit: 10 });
    expect(out).toEqual([{ number: '70125', name: 'Jean Dupont' }]);
    expect(fake.find('POST', '/directory/search')[0]?.json).toEqual({
      limit: 10,
      filter: { operation: 'OR', operand: [{ field: 'lastName', operation: 'BEGIN_WITH', operand: 'Dup' }, { field: 'firstName', operation: 'BEGIN_WITH', operand: 'Dup' }] },
    });
    expect(fake.find('GET', '/directory/search')).toHaveLength(3);
    expect(fake.find('DELETE', '/directory/search')).toHaveLength(1);
  });

  it('directory by number', async () => {
    const { connector, fake } = await rig();
    await connector.query({ kind: 'directory', text: '701', limit: 5 });
    expect(fake.find('POST', '/directory/search')[0]?.json).toEqual({ limit: 5, filter: { field: 'id.phoneNumber', operation: 'BEGIN_WITH', operand: '701' } });
  });

  it('vendor history from the comlog, ids exact', async () => {
    const { connector, fake } = await rig();
    fake.comlogJson = JSON.stringify({
      comHistoryRecords: [
        {
          recordId: 1,
          comRef: 'r1',
          acknowledged: false,
          beginDate: '2024-05-16T18:17:15.489Z',
          medias: ['AUDIO'],
          participants: [{ role: 'CALLEE', answered: false, identity: { id: { loginName: 'agent1' } } }, { identity: { id: { phoneNumber: '0612345678' } } }],
        },
      ],
    }).replace('"recordId":1', '"recordId":9223372036854775807');
    const rows = await connector.query({ kind: 'vendorHistory', limit: 50, since: '2024-05-01' });
    expect(rows).toMatchObject([{ id: 'o2g:9223372036854775807', outcome: 'missed', acknowledged: false, remoteNumber: '0612345678', source: 'pbx' }]);
    const q = fake.find('GET', '/comlog/records')[0]?.query;
    expect(q?.get('limit')).toBe('50');
    expect(q?.get('afterDate')).toMatch(/^2024-0[45]-\d\dT\d\d:00:00\.000Z$/);
  });

  it('queues are not available in O2G', async () => {
    const { connector } = await rig();
    expect((await rejection(connector.query({ kind: 'queues' }))).code).toBe('unsupported');
  });
});

describe('stop', () => {
  it('deletes the subscription and the session, and never throws', async () => {
    const { connector, fake } = await rig();
    const id = fake.subscriptionIds()[0];
    await connector.stop();
    expect(fake.find('DELETE', `/subscriptions/${id}`)).toHaveLength(1);
    expect(fake.find('DELETE', '/sessions')).toHaveLength(1);
    await connector.stop();
    expect((await rejection(connector.execute({ kind: 'setDnd', on: true }))).code).toBe('notConnected');
  });

  it('stop during start-up cancels it', async () => {
    const { connector, fake } = await rig({ start: false });
    // Observe the outcome from the start, so the rejection that stop() causes is never unhandled.
    const starting = rejection(connector.start());
    await fake.waitFor((r) => r.path === '/users/agent1');
    await connector.stop();
    expect((await starting).code).toBe('notConnected');
    expect(fake.find('POST', '/subscriptions')).toEqual([]);
  });
});

describe('admin login listing', () => {
  const users = {
    admin: { password: 'admin', admin: true },
    agent1: { password: '1111', firstName: 'Alice', lastName: 'Agent', devices: [{ type: 'DESKPHONE', id: '70123' }], agentConfig: { type: 'AGENT' } },
    basic1: { password: '4444', devices: [{ type: 'SOFTPHONE', id: '70130' }] },
  };

  it('lists logins with names, devices and ACD operators, then closes the session', async () => {
    const fake = await FakeO2g.start({ users });
    cleanups.push(() => fake.close());
    const list = adminLoginListers.o2g;
    expect(list).toBeDefined();
    const out = await list?.(profileFor(fake.port), { login: 'admin', password: 'admin' }, silentLogger());
    expect(out).toEqual([
      { login: 'admin' },
      { login: 'agent1', acd: true, name: 'Alice Agent', device: '70123' },
      { login: 'basic1', device: '70130' },
    ]);
    expect(fake.find('GET', '/logins').map((r) => r.query.toString())).toEqual(['', 'onlyACD=']);
    expect(fake.find('DELETE', '/sessions')).toHaveLength(1);
  });

  it('typed errors: bad credentials, not an administrator, unreachable', async () => {
    const fake = await FakeO2g.start({ users });
    cleanups.push(() => fake.close());
    const list = adminLoginListers.o2g as NonNullable<typeof adminLoginListers.o2g>;
    expect((await rejection(list(profileFor(fake.port), { login: 'admin', password: 'x' }, silentLogger()))).code).toBe('authFailed');
    expect((await rejection(list(profileFor(fake.port), { login: 'agent1', password: '1111' }, silentLogger()))).code).toBe('rejected');
    expect((await rejection(list(profileFor(await refusedPort()), { login: 'admin', password: 'admin' }, silentLogger()))).code).toBe('unreachable');
  });
});

describe('with the session supervisor', () => {
  it('session expiry: lost → full re-login, re-subscribe, snapshot; the call keeps its id', async () => {
    const fake = await FakeO2g.start();
    cleanups.push(() => fake.close());
    const profile = Profile.parse({ ...profileFor(fake.port), reconnect: { initialMs: 50, maxMs: 200 } });
    const connector = createO2gConnector({ profile, secret: { password: '1111' }, log: silentLogger() }, { channelRetryMs: 20 });
    const log = new EventLog();
    const sup = new SessionSupervisor({ profile, connector, log: silentLogger(), emit: (e) => log.push(e), random: () => 0.5 });
    cleanups.push(() => sup.stop());
    sup.start();
    await sup.whenUp(4000);
    fake.push(ringing);
    const first = await log.next(isCall);
    fake.calls = [{ callRef: 'c1', legs: ringing.legs, participants: ringing.participants, callData: ringing.callData }];
    const from = log.events.length;
    fake.expireSessions();
    fake.dropChannel();
    // The re-open is refused (403), the supervisor restarts: a second authentication and subscription.
    await fake.waitFor((r) => r.path === '/OTEvents' && r.query.get('subscriptionId') !== fake.requests.find((x) => x.path === '/OTEvents')?.query.get('subscriptionId'));
    expect(fake.authAttempts).toBe(2);
    const snap = await log.next(isSnapshot, from);
    expect(snap.calls.map((c) => c.id)).toEqual([first.call.id]);
    await sup.whenUp(4000);
  });
});
