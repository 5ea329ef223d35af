// The TWS connector end to end against the fake TWS server of test/fake-tws.ts (loopback only):
// start-up over JSON/XML/SOAP, credentials, token renewal, the three feeds and the fallback between
// them, garbage frames, keep-alive, commands, queries, colleagues, TLS, stop, stable ids.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallEndedEvent, CallEvent, CtiEvent, SnapshotEvent } from '../../../shared/events.js';
import { createLogger, silentLogger } from '../../core/log.js';
import { SessionSupervisor } from '../../core/supervisor.js';
import { connectorFactories } from '../index.js';
import { fingerprintOfPem } from '../tls.js';
import { loopbackCert } from '../o2g/test/certs.js';
import { createTwsConnector, twsCapabilities } from './connector.js';
import { oneCall, refusedPort } from './test/fake-tws.js';
import { EventLog, rejection, rig, twsProfile } from './test/rig.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const isCall = (e: CtiEvent): e is CallEvent => e.type === 'call';
const isEnded = (e: CtiEvent): e is CallEndedEvent => e.type === 'callEnded';
const isSnapshot = (e: CtiEvent): e is SnapshotEvent => e.type === 'snapshot';

const caller = { number: '4594', firstname: 'test', lastname: 'Me', company: 'Algo' };
const ringing = (id = 'c1102', extra: Record<string, unknown> = {}) =>
  oneCall('4694', { connectionId: id, state: 'delivered', callLogId: `log-${id}`, party: caller, actions: ['Answer'], eventReason: 'NameResolved', ...extra });

describe('TWS connector: start-up', () => {
  it('signs in, monitors the device and opens the TCP feed (JSON)', async () => {
    const { fake, connector, log } = await rig(cleanups);
    expect(fake.count('TWS_GetMyToken2')).toBe(1);
    expect(fake.last('TWS_GetMyToken2')?.format).toBe('json');
    expect(fake.last('TWS_WebStartMonitor')?.params).toMatchObject({ szapp: 'TWS-TLK', szdevice: '4694' });
    expect(fake.monitors.has('4694')).toBe(true);
    await fake.until(() => fake.tcpSessions.size === 1, 4000, 'a TCP session');
    expect(log.feed).toBe('TCP event socket');
    expect(connector.capabilities.has('setAgentState')).toBe(true);
    expect(connector.capabilities.has('sendDtmf')).toBe(false);
  });

  it('capabilities: exactly what TWS can do; agent states only on Alcatel', () => {
    expect([...twsCapabilities({ pbx: 'alcatel' })].sort()).toEqual(
      ['alternate', 'answer', 'clear', 'conference', 'consult', 'hold', 'makeCall', 'park', 'redial', 'redirect', 'retrieve', 'setAgentState', 'setCallData', 'setForward', 'snapshot', 'transfer', 'unpark'].sort(),
    );
    expect(twsCapabilities({ pbx: 'other' }).has('setAgentState')).toBe(false);
  });

  it('every command outside the capabilities is unsupported', async () => {
    const { connector } = await rig(cleanups);
    const cmds = [
      { kind: 'addParty', callId: 'x', to: '1' },
      { kind: 'reconnect', callId: 'x' },
      { kind: 'record', callId: 'x', action: 'start' },
      { kind: 'callBack', callId: 'x' },
      { kind: 'transactionCode', callId: 'x', code: '1' },
      { kind: 'pickup', from: '1' },
      { kind: 'supervisorHelp', on: true },
      { kind: 'intrude', mode: 'listen' },
      { kind: 'permanentListen', agent: '1' },
      { kind: 'setGroup', group: 'g', on: true },
      { kind: 'setOverflow', on: true, type: 'busy', to: 'voicemail' },
      { kind: 'acknowledgeMissed', ids: [] },
    ] as const;
    for (const c of cmds) expect((await rejection(connector.execute(c as never))).code).toBe('unsupported');
  });

  it('is registered in the connector registry', () => {
    expect(connectorFactories.tws).toBeTypeOf('function');
  });

  it.each(['xml', 'soap'] as const)('works with the %s API style', async (api) => {
    const { fake, connector, log } = await rig(cleanups, { connection: { api } });
    expect(fake.last('TWS_GetMyToken2')?.format).toBe(api);
    fake.setCalls('4694', [ringing()]);
    const snap = await connector.snapshot();
    expect(snap.calls).toHaveLength(1);
    expect(snap.calls[0]?.remote).toMatchObject({ number: '4594', name: 'test Me', company: 'Algo' });
    await connector.execute({ kind: 'makeCall', to: '4001' });
    // 4694 is the user's first device: the …ByDefaultDevice variant.
    expect(fake.last('TWS_MakeCallByDefaultDevice')?.format).toBe(api);
    expect(fake.last('TWS_MakeCallByDefaultDevice')?.params.szto).toBe('4001');
    await fake.until(() => fake.tcpSessions.size === 1);
    fake.push({ kind: 'call', cco: ringing('c2') });
    const ev = await log.next((e): e is CallEvent => isCall(e) && e.call.ref.callId === 'c2');
    expect(ev.call.state).toBe('alerting');
  });

  it('wrong password: one token request, authFailed naming the credentials', async () => {
    const { fake, connector } = await rig(cleanups, { start: false, secret: { password: 'nope', apiKey: 'key-1' } });
    const err = await rejection(connector.start());
    expect(err.code).toBe('authFailed');
    expect(err.message).toMatch(/user name or password/);
    expect(fake.count('TWS_GetMyToken2')).toBe(1);
    expect(fake.count('TWS_WebStartMonitor')).toBe(0);
  });

  it('invalid API key: authFailed naming the key', async () => {
    const { fake, connector } = await rig(cleanups, { start: false, secret: { password: 'pw1', apiKey: 'bad' } });
    const err = await rejection(connector.start());
    expect(err.code).toBe('authFailed');
    expect(err.message).toMatch(/API key/);
    expect(fake.count('TWS_GetMyToken2')).toBe(1);
  });

  it('no API key stored: authFailed without any request', async () => {
    const { fake, connector } = await rig(cleanups, { start: false, secret: { password: 'pw1' } });
    expect((await rejection(connector.start())).code).toBe('authFailed');
    expect(fake.requests).toHaveLength(0);
  });

  it('under the supervisor, wrong credentials cause no retry storm', async () => {
    const { fake, profile } = await rig(cleanups, { start: false, secret: { password: 'nope', apiKey: 'key-1' } });
    const connector = createTwsConnector({ profile, secret: { password: 'nope', apiKey: 'key-1' }, log: silentLogger() });
    const events = new EventLog();
    const sup = new SessionSupervisor({ profile, connector, log: silentLogger(), emit: (e) => events.push(e) });
    cleanups.push(() => sup.stop());
    sup.start();
    await events.next((e) => e.type === 'link' && e.link.state === 'down' && e.link.retryAt !== undefined);
    expect(fake.count('TWS_GetMyToken2')).toBe(1);
    expect(sup.linkState.detail).toMatch(/user name or password/);
    // authFailed waits the longest delay (30 s by default).
    expect((sup.linkState.retryAt ?? 0) - Date.now()).toBeGreaterThan(20_000);
  });

  it('admin key: TWS_GetMyTokenAdmin with the admin account, devices from GetMyUser', async () => {
    const { fake, log } = await rig(cleanups, {
      fake: { adminKey: 'admin-key', admin: { username: 'admin', password: 'adminpw' } },
      connection: { auth: 'admin', adminUsername: 'admin' },
      secret: { password: 'adminpw', apiKey: 'admin-key' },
    });
    expect(fake.count('TWS_GetMyTokenAdmin')).toBe(1);
    expect(fake.last('TWS_GetMyTokenAdmin')?.params).toMatchObject({ adminusername: 'admin', adminpassword: 'adminpw', username: 'agent1' });
    expect(fake.count('TWS_GetMyUser')).toBe(1);
    expect(log.feed).toBe('TCP event socket');
  });

  it("refuses a device that is not the user's", async () => {
    const { fake, connector } = await rig(cleanups, { start: false, extra: { device: '5000' } });
    const err = await rejection(connector.start());
    expect(err.code).toBe('authFailed');
    expect(err.message).toMatch(/may not use device 5000/);
    expect(fake.count('TWS_WebStartMonitor')).toBe(0);
  });

  it("accepts any device for a '0000' user", async () => {
    const { fake } = await rig(cleanups, {
      fake: { users: [{ username: 'agent1', password: 'pw1', devices: ['0000'], userGuid: 'u', domainGuid: 'd' }] },
      extra: { device: '5000' },
    });
    expect(fake.monitors.has('5000')).toBe(true);
  });
});

describe('TWS connector: token renewal', () => {
  it('renews a refused token once and retries the command', async () => {
    const { fake, connector } = await rig(cleanups);
    fake.setCalls('4694', [oneCall('4694', { connectionId: 'c1', state: 'established', callLogId: 'l1', party: caller })]);
    const snap = await connector.snapshot();
    const id = snap.calls[0]?.id as string;
    fake.expireTokens();
    await connector.execute({ kind: 'hold', callId: id });
    expect(fake.count('TWS_GetMyToken2')).toBe(2);
    expect(fake.count('TWS_WebStartMonitor')).toBe(2);
    expect(fake.count('TWS_HoldCall')).toBe(2);
    expect(fake.last('TWS_HoldCall')?.params).toMatchObject({ szcall: 'c1', szdevice: '4694' });
  });

  it('a null listing (token gone) renews too', async () => {
    const { fake, connector } = await rig(cleanups);
    fake.expireTokens();
    const snap = await connector.snapshot();
    expect(snap.calls).toEqual([]);
    expect(fake.count('TWS_GetMyToken2')).toBe(2);
  });

  it('renewal refused → authFailed, no loop', async () => {
    const { fake, connector } = await rig(cleanups);
    fake.expireTokens();
    fake.users[0] = { ...fake.users[0]!, password: 'changed' };
    const err = await rejection(connector.execute({ kind: 'unpark' }));
    expect(err.code).toBe('authFailed');
    expect(fake.count('TWS_GetMyToken2')).toBe(2);
  });

  it('still refused after renewal → sessionLost', async () => {
    const { fake, connector } = await rig(cleanups);
    fake.codes.set('TWS_SendFacility', -44);
    const err = await rejection(connector.execute({ kind: 'unpark' }));
    expect(err.code).toBe('sessionLost');
    expect(fake.count('TWS_SendFacility')).toBe(2);
    expect(fake.count('TWS_GetMyToken2')).toBe(2);
  });
});

describe('TWS connector: feeds and fallback', () => {
  it('falls back to the WebSocket when the TCP socket is refused', async () => {
    const port = await refusedPort();
    const { fake, log } = await rig(cleanups, { connection: { tcpPort: port } });
    expect(log.feed).toBe('WebSocket');
    await fake.until(() => fake.wsSessions.size === 1);
    fake.push({ kind: 'call', cco: ringing() });
    const ev = await log.next(isCall);
    expect(ev.call.remote.name).toBe('test Me');
  });

  it('WebSocket with JSON events', async () => {
    const { fake, log } = await rig(cleanups, { fake: { wsJson: true }, connection: { feeds: ['websocket'] } });
    await fake.until(() => fake.wsSessions.size === 1);
    fake.push({ kind: 'call', cco: ringing() });
    const ev = await log.next(isCall);
    expect(ev.call.state).toBe('alerting');
    expect(ev.call.allowed).toContain('answer');
  });

  it('falls back to polling when TCP and WebSocket are refused, and polling delivers events', async () => {
    const { fake, log } = await rig(cleanups, { connection: { tcpPort: await refusedPort(), wsPort: await refusedPort() } });
    expect(log.feed).toBe('web-service polling');
    expect(fake.last('TWS_ConnectToEventService')?.format).toBe('soap');
    fake.push({ kind: 'call', cco: ringing() });
    const ev = await log.next(isCall);
    expect(ev.call.ref).toMatchObject({ vendor: 'tws', device: '4694', callId: 'c1102', callReference: 'log-c1102' });
    fake.push({ kind: 'supervision', device: '4594', connectionId: 'c9', state: 'delivered', party: { number: '5555' } });
    const col = await log.next((e) => e.type === 'colleague');
    expect(col).toMatchObject({ colleague: { number: '4594', state: 'ringing' } });
  });

  it('every feed refused at start → unreachable', async () => {
    const { connector } = await rig(cleanups, { start: false, connection: { tcpPort: await refusedPort(), wsPort: await refusedPort(), feeds: ['tcp', 'websocket'] } });
    const err = await rejection(connector.start());
    expect(err.code).toBe('unreachable');
    expect(err.message).toMatch(/TCP event socket.*WebSocket/);
  });

  it('when the TCP socket drops, switches to the WebSocket and resyncs', async () => {
    const { fake, log } = await rig(cleanups);
    await fake.until(() => fake.tcpSessions.size === 1);
    fake.setCalls('4694', [ringing()]);
    const from = log.events.length;
    await fake.stopTcp();
    await log.feedIs('WebSocket');
    const snap = await log.next(isSnapshot, from);
    expect(snap.calls.map((c) => c.ref.callId)).toEqual(['c1102']);
    expect(log.events.slice(from).some((e) => e.type === 'notice' && e.code === 'twsFeed')).toBe(true);
    expect(log.lost).toHaveLength(0);
  });

  it('goes back to the preferred feed when it returns', async () => {
    const probe = await rig(cleanups, { start: false });
    const tcpPort = probe.fake.tcpPort;
    await probe.fake.stopTcp();
    const { connector, log } = probe;
    await connector.start();
    expect(log.feed).toBe('WebSocket');
    await connector.stop();
    // A fresh connector with a short retry interval on the same fake.
    const c2 = createTwsConnector({ profile: probe.profile, secret: { password: 'pw1', apiKey: 'key-1' }, log: silentLogger() }, { retryPreferredMs: 50, tokenCheckMs: 300, badFrameResyncMs: 20 });
    const log2 = new EventLog();
    c2.setListeners({ event: (e) => log2.push(e), lost: (e) => log2.pushLost(e), feed: (f) => log2.pushFeed(f) });
    cleanups.push(() => c2.stop());
    await c2.start();
    expect(log2.feed).toBe('WebSocket');
    const from = log2.events.length;
    await probe.fake.startTcp(tcpPort);
    await log2.feedIs('TCP event socket');
    await log2.next(isSnapshot, from);
    await probe.fake.until(() => probe.fake.wsSessions.size === 0, 4000, 'the WebSocket closed');
  });

  it('a socket closed right after the open message: re-authenticates once, then falls back', async () => {
    const { fake, log } = await rig(cleanups, { start: false });
    fake.tcpCloseOnOpen = true;
    const c = await rig(cleanups, { profile: () => twsProfile(fake) });
    await c.log.feedIs('WebSocket');
    // One token for the start, one after the early close.
    expect(fake.count('TWS_GetMyToken2')).toBe(2);
    expect(c.log.lost).toHaveLength(0);
    expect(log.lost).toHaveLength(0);
  });

  it('half-open TCP (server answers keep-alives, then goes silent) → falls back', async () => {
    const { fake, log } = await rig(cleanups, { fake: { echoAudit: true }, options: { keepAliveMs: 30, feedIdleMs: 300 } });
    await fake.until(() => fake.audits >= 2, 4000, 'keep-alives');
    fake.tcpSilent = true;
    await log.feedIs('WebSocket');
  });

  it('a garbage frame is skipped, a resync follows and the stream goes on', async () => {
    const { fake, log } = await rig(cleanups);
    await fake.until(() => fake.tcpSessions.size === 1);
    const from = log.events.length;
    fake.push({ kind: 'raw', tcp: '<CGenericEvent><eventType>CallEvent</eventType><genericCallEvent><CGenericCCo>' + '82E51812-45C9-4733\u0000' });
    fake.push({ kind: 'raw', tcp: '}{ not json at all 82E51812-45C9-4733\u0000' });
    await log.next(isSnapshot, from);
    fake.push({ kind: 'call', cco: ringing() });
    await log.next(isCall, from);
    expect(log.feed).toBe('TCP event socket');
  });

  it('an oversize frame is skipped and the stream goes on', async () => {
    const { fake, log } = await rig(cleanups, { options: { maxFrameBytes: 4096 } });
    await fake.until(() => fake.tcpSessions.size === 1);
    const from = log.events.length;
    fake.push({ kind: 'raw', tcp: Buffer.concat([Buffer.from('<CGenericEvent>'), Buffer.alloc(10_000, 0x41), Buffer.from('</CGenericEvent>82E51812-45C9-4733\u0000')]) });
    await log.next(isSnapshot, from);
    fake.push({ kind: 'call', cco: ringing() });
    await log.next(isCall, from);
  });

  it('every feed failing at run time → lost(), and the keep-alive says so too', async () => {
    const { fake, log, connector } = await rig(cleanups, { connection: { feeds: ['tcp', 'websocket'] } });
    await fake.until(() => fake.tcpSessions.size === 1);
    fake.wsCloseOnOpen = true;
    await fake.stopTcp();
    const err = await log.nextLost();
    expect(err.code).toBe('unreachable');
    await log.feedIs(null);
    expect((await rejection(connector.keepAlive())).code).toBe('unreachable');
  });
});

describe('TWS connector: calls and commands', () => {
  it('follows a call from ringing to cleared, reads its call data, answers it', async () => {
    const { fake, connector, log } = await rig(cleanups);
    await fake.until(() => fake.tcpSessions.size === 1);
    fake.callData.set('log-c1102', 'customer=42;vip=yes');
    fake.push({ kind: 'call', cco: ringing() });
    const created = await log.next(isCall);
    expect(created.change).toBe('created');
    expect(created.call).toMatchObject({ state: 'alerting', direction: 'inbound', remote: { number: '4594', name: 'test Me' } });
    const withData = await log.next((e): e is CallEvent => isCall(e) && e.change === 'dataUpdated');
    expect(withData.call.data).toEqual({ customer: '42', vip: 'yes' });
    await connector.execute({ kind: 'answer', callId: created.call.id });
    expect(fake.count('TWS_AnswerCallQueuedByDefaultDevice')).toBe(1);
    fake.push({ kind: 'call', cco: oneCall('4694', { connectionId: 'c1102', state: 'established', callLogId: 'log-c1102', party: caller, actions: ['Hold', 'Release'] }) });
    const up = await log.next((e): e is CallEvent => isCall(e) && e.call.state === 'connected');
    expect(up.call.id).toBe(created.call.id);
    expect(up.call.allowed).toEqual(expect.arrayContaining(['clear', 'hold', 'consult', 'transfer', 'park']));
    fake.push({ kind: 'call', cco: oneCall('4694', { connectionId: 'c1102', state: 'cleared', callLogId: 'log-c1102', party: caller }) });
    const ended = await log.next(isEnded);
    expect(ended.callId).toBe(created.call.id);
  });

  it('makeCall normalizes the number first and attaches the data to the new call', async () => {
    const { fake, connector, log } = await rig(cleanups);
    await fake.until(() => fake.tcpSessions.size === 1);
    await connector.execute({ kind: 'makeCall', to: '(0)61 234-5678', data: { ticket: 'T-1' } });
    expect(fake.last('TWS_NormalizeNumber')?.params.szto).toBe('0612345678');
    expect(fake.last('TWS_MakeCallByDefaultDevice')?.params).toMatchObject({ szto: '00612345678' });
    fake.push({ kind: 'call', cco: oneCall('4694', { connectionId: 'c5', state: 'originated', direction: 'outgoing', callLogId: 'log-5' }) });
    const ev = await log.next(isCall);
    expect(ev.call).toMatchObject({ direction: 'outbound', state: 'dialing', remote: { number: '00612345678' }, data: { ticket: 'T-1' } });
    await fake.until(() => fake.callData.get('log-5') === 'ticket=T-1', 4000, 'the call data written');
  });

  it('redial; an unmonitored phone still places the call (TWS_OpenMakeCall) and has the session rebuilt', async () => {
    const { fake, connector, log } = await rig(cleanups);
    await connector.execute({ kind: 'redial' });
    expect(fake.count('TWS_BisByDefaultDevice')).toBe(1);
    fake.codes.set('TWS_MakeCallByDefaultDevice', -4);
    await connector.execute({ kind: 'makeCall', to: '4001' });
    expect(fake.last('TWS_OpenMakeCallByDefaultDevice')?.params.szto).toBe('4001');
    expect((await log.nextLost()).code).toBe('sessionLost');
    fake.codes.set('TWS_OpenMakeCallByDefaultDevice', -25);
    const err = await rejection(connector.execute({ kind: 'makeCall', to: '4002' }));
    expect(err.vendorCode).toBe('deviceNotFound');
  });

  it('commands map to the TWS functions', async () => {
    const { fake, connector } = await rig(cleanups);
    fake.setCalls('4694', [oneCall('4694', { connectionId: 'c1', state: 'established', callLogId: 'l1', party: caller })]);
    const id = (await connector.snapshot()).calls[0]?.id as string;
    await connector.execute({ kind: 'transfer', callId: id, to: '5000' });
    expect(fake.last('TWS_SingleStepTrans')?.params).toMatchObject({ szcall: 'c1', szfrom: '4694', szto: '5000' });
    await connector.execute({ kind: 'consult', callId: id, to: '5001' });
    expect(fake.last('TWS_ConsultationCall')?.params).toMatchObject({ szcall: 'c1', szto: '5001' });
    await connector.execute({ kind: 'park', callId: id });
    expect(fake.last('TWS_ParkCall')?.params).toMatchObject({ szcall: 'c1', szto: '' });
    await connector.execute({ kind: 'clear', callId: id });
    expect(fake.last('TWS_ClearConnection')?.params).toMatchObject({ szcall: 'c1', szdevice: '4694' });
    await connector.execute({ kind: 'unpark', from: '5000' });
    expect(fake.last('TWS_SendFacility')?.params).toMatchObject({ szprefix: '402', szto: '5000', szarg: '5000' });
    await connector.execute({ kind: 'setCallData', callId: id, data: { note: 'a;b' } });
    expect(fake.callData.get('l1')).toBe('note=a%3Bb');
    const err = await rejection(connector.execute({ kind: 'transfer', callId: id }));
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/attended transfer/);
    expect((await rejection(connector.execute({ kind: 'sendDtmf', callId: id, digits: '1' }))).code).toBe('unsupported');
    expect((await rejection(connector.execute({ kind: 'setDnd', on: true }))).code).toBe('unsupported');
    expect((await rejection(connector.execute({ kind: 'hold', callId: 'nope' }))).code).toBe('noCall');
  });

  it('return codes become typed errors with the code name', async () => {
    const { fake, connector } = await rig(cleanups);
    fake.codes.set('TWS_SendFacility', -3);
    let err = await rejection(connector.execute({ kind: 'unpark' }));
    expect(err).toMatchObject({ code: 'noCall', vendorCode: 'connectionNotFound' });
    fake.codes.set('TWS_SendFacility', -2);
    err = await rejection(connector.execute({ kind: 'unpark' }));
    expect(err).toMatchObject({ code: 'linkDown', vendorCode: 'serverNotRunning' });
    fake.codes.set('TWS_SendFacility', -20);
    err = await rejection(connector.execute({ kind: 'unpark' }));
    expect(err).toMatchObject({ code: 'limit' });
  });

  it('HTTP status handling: 404/400 protocol, 500 exception, a token fault renews', async () => {
    const { fake, connector } = await rig(cleanups);
    fake.handlers.set('TWS_SendFacility', () => ({ status: 404, body: 'Endpoint not found.' }));
    expect(await rejection(connector.execute({ kind: 'unpark' }))).toMatchObject({ code: 'protocol', vendorCode: 'http404' });
    fake.handlers.set('TWS_SendFacility', () => ({ status: 400, body: '' }));
    expect(await rejection(connector.execute({ kind: 'unpark' }))).toMatchObject({ code: 'protocol', vendorCode: 'http400' });
    fake.handlers.set('TWS_SendFacility', () => ({ fault: 'Object reference not set' }));
    const err = await rejection(connector.execute({ kind: 'unpark' }));
    expect(err).toMatchObject({ code: 'rejected', vendorCode: 'fault' });
    expect(err.message).toMatch(/Object reference not set/);
    let n = 0;
    fake.handlers.set('TWS_SendFacility', () => (n++ === 0 ? { fault: 'Invalid token' } : undefined));
    await connector.execute({ kind: 'unpark' });
    expect(fake.count('TWS_GetMyToken2')).toBe(2);
  });

  it.each(['xml', 'soap'] as const)('a %s fault body is read', async (api) => {
    const { fake, connector } = await rig(cleanups, { connection: { api } });
    fake.handlers.set('TWS_SendFacility', () => ({ fault: 'boom' }));
    const err = await rejection(connector.execute({ kind: 'unpark' }));
    expect(err.message).toMatch(/boom/);
  });

  it('a security exception on StartMonitor → notPermitted', async () => {
    const { fake, connector } = await rig(cleanups, { start: false });
    fake.handlers.set('TWS_WebStartMonitor', () => ({ fault: 'Security exception' }));
    expect((await rejection(connector.start())).code).toBe('notPermitted');
  });

  it('answer only on the oldest ringing call', async () => {
    const { fake, connector } = await rig(cleanups);
    fake.setCalls('4694', [ringing('c1', { timeStart: '2024-03-01T10:00:00.0000000+01:00' }), ringing('c2', { timeStart: '2024-03-01T10:00:05.0000000+01:00' })]);
    const snap = await connector.snapshot();
    const [first, second] = [...snap.calls].sort((a, b) => a.startedAt - b.startedAt);
    expect(first?.allowed).toContain('answer');
    expect(second?.allowed).not.toContain('answer');
    expect(second?.allowed).toContain('redirect');
    const err = await rejection(connector.execute({ kind: 'answer', callId: second?.id as string }));
    expect(err.code).toBe('notPermitted');
    await connector.execute({ kind: 'redirect', callId: second?.id as string, to: '4000' });
    expect(fake.last('TWS_DivertCall')?.params).toMatchObject({ szcall: 'c2', szto: '4000' });
  });

  it('forwards: set, read back, cancel', async () => {
    const { fake, connector, log } = await rig(cleanups);
    await connector.execute({ kind: 'setForward', type: 'busy', to: '4002', on: true });
    expect(fake.last('TWS_SetForwardOn')?.params).toMatchObject({ userguid: 'user-guid-1', szto: '4002', inttype: '2' });
    const f = await log.next((e) => e.type === 'features');
    expect(f).toMatchObject({ features: { forwards: [{ type: 'busy', to: '4002' }] } });
    await connector.execute({ kind: 'setForward', type: 'noAnswerExt', on: false });
    expect(fake.last('TWS_SetForwardOff')?.params.inttype).toBe('13');
    await connector.execute({ kind: 'setForward', type: 'busy', on: false });
    expect(fake.last('TWS_SetForwardOff')?.params.inttype).toBe('3');
    expect((await connector.snapshot()).features?.forwards).toEqual([]);
  });

  it('agent states on an Alcatel PBX', async () => {
    const { fake, connector, log } = await rig(cleanups, { connection: { agentGroup: '1100' } });
    expect((await connector.snapshot()).agent).toMatchObject({ state: 'loggedOff', reasons: [], permitted: ['loggedOn'] });
    await connector.execute({ kind: 'setAgentState', state: 'loggedOn' });
    expect(fake.last('TWS_AgentLogin')?.params).toMatchObject({ szdevice: '4694', agentid: '1000', agentgroup: '1100', password: '0000' });
    await log.next((e) => e.type === 'agent' && e.agent.state === 'ready');
    await connector.execute({ kind: 'setAgentState', state: 'wrapUp' });
    expect(fake.last('TWS_SetAgentState')?.params).toMatchObject({ agentid: '1000', state: '5' });
    await log.next((e) => e.type === 'agent' && e.agent.state === 'wrapUp');
    await connector.execute({ kind: 'setAgentState', state: 'loggedOff' });
    expect(fake.count('TWS_AgentLogout')).toBe(1);
  });

  it('no agent functions on another PBX', async () => {
    const { connector } = await rig(cleanups, { connection: { pbx: 'other' } });
    expect(connector.capabilities.has('setAgentState')).toBe(false);
    const err = await rejection(connector.execute({ kind: 'setAgentState', state: 'ready' }));
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/Alcatel/);
    expect((await connector.snapshot()).agent).toBeNull();
  });
});

describe('TWS connector: state, queries, colleagues', () => {
  it('keep-alive finds missed calls and the PBX link', async () => {
    const { fake, connector } = await rig(cleanups);
    let r = await connector.keepAlive();
    expect(r).toMatchObject({ missedEvents: 0, pbxLinkUp: true });
    fake.setCalls('4694', [ringing()]);
    expect(fake.count('TWS_WebResetDeviceMonitor')).toBe(0);
    r = await connector.keepAlive();
    expect(r.missedEvents).toBe(1);
    expect(r.snapshot?.calls).toHaveLength(1);
    expect(fake.last('TWS_WebResetDeviceMonitor')?.params.szdevice).toBe('4694');
    r = await connector.keepAlive();
    expect(r.missedEvents).toBe(0);
    fake.deviceStates.set('4694', 'ProviderLinkNull');
    r = await connector.keepAlive();
    expect(r.pbxLinkUp).toBe(false);
  });

  it('keeps call ids across a restart', async () => {
    const { fake, connector } = await rig(cleanups);
    fake.setCalls('4694', [oneCall('4694', { connectionId: 'c1', state: 'established', callLogId: 'l1', party: caller })]);
    const a = (await connector.snapshot()).calls[0]?.id;
    await connector.stop();
    expect(fake.count('TWS_WebStopMonitor')).toBe(1);
    await connector.start();
    const b = (await connector.snapshot()).calls[0]?.id;
    expect(b).toBe(a);
  });

  it('directory and call log', async () => {
    const { fake, connector } = await rig(cleanups);
    fake.contacts = [
      { Company: 'ACME', Firstname: 'Francis', Lastname: 'Dupont', Phones: { $items: 'CContactInfo', list: [{ Key: 'work0', Label: '[Work]', Type: 'PHONE', Value: '4001' }, { Key: 'mobile0', Label: '[Mobile]', Type: 'PHONE', Value: '0612345678' }] } },
    ];
    const dir = await connector.query({ kind: 'directory', text: 'franc', limit: 10 });
    expect(dir).toEqual([
      { number: '4001', name: 'Francis Dupont', company: 'ACME', numberType: 'work' },
      { number: '0612345678', name: 'Francis Dupont', company: 'ACME', numberType: 'mobile' },
    ]);
    fake.callLog = [
      {
        ActionType: 'CALLIN',
        Call: {
          Device: '4694',
          Guid: 'g1',
          IncomingCall: 0,
          Speakers: { $items: 'CSpeaker', list: [{ Cause: 'NORMAL', Company: '', Firstname: 'Ann', Lastname: 'Lee', Phone: '0141906666' }] },
          Success: true,
          TimeEnd: '2016-11-14T10:40:54.756Z',
          TimeStart: '2016-11-14T10:40:12.712Z',
          TimeStart1: '2016-11-14T10:40:42.749Z',
        },
        Guid: 'doc1',
      },
    ];
    const rows = await connector.query({ kind: 'vendorHistory', limit: 50 });
    expect(rows).toEqual([
      expect.objectContaining({ id: 'tws:log:doc1', direction: 'inbound', remoteNumber: '0141906666', remoteName: 'Ann Lee', outcome: 'answered', durationSec: 12, source: 'pbx' }),
    ]);
    expect(fake.last('GetMyDocumentsByTypeWithAcls')?.params).toMatchObject({ userguid: 'user-guid-1', search: '3' });
    expect((await rejection(connector.query({ kind: 'queues' }))).code).toBe('unsupported');
  });

  it('colleagues: device states in the snapshot, supervision events, masked parties', async () => {
    const { fake, connector, log } = await rig(cleanups, { connection: { colleagues: ['4594', '4595'] } });
    fake.deviceStates.set('4594', 'Connected');
    fake.deviceStates.set('4595', 'OutOfService');
    const snap = await connector.snapshot();
    expect(snap.colleagues?.map((c) => [c.number, c.state])).toEqual([
      ['4594', 'idle'],
      ['4595', 'outOfService'],
    ]);
    await fake.until(() => fake.tcpSessions.size === 1);
    fake.push({ kind: 'supervision', device: '4594', connectionId: 'c7', state: 'established', party: { number: '', display: '****' } });
    const ev = await log.next((e) => e.type === 'colleague' && e.colleague.state === 'busy');
    expect(ev).toMatchObject({ colleague: { number: '4594', state: 'busy' } });
    expect((ev as { colleague: { remote?: unknown } }).colleague.remote).toBeUndefined();
    fake.push({ kind: 'supervision', device: '9999', connectionId: 'c8', state: 'established' });
    fake.push({ kind: 'supervision', device: '4594', connectionId: 'c7', state: 'cleared' });
    await log.next((e) => e.type === 'colleague' && e.colleague.state === 'idle');
    expect(log.events.some((e) => e.type === 'colleague' && e.colleague.number === '9999')).toBe(false);
  });

  it('stop closes the feed and never throws, even when the server is gone', async () => {
    const { fake, connector, log } = await rig(cleanups);
    await fake.close();
    await connector.stop();
    expect(log.feed).toBeNull();
    await connector.stop();
  });
});

describe('TWS connector: TLS', () => {
  it('HTTPS and WSS with the CA file; a wrong pin is refused', async () => {
    const cert = await loopbackCert('tws.test');
    const { fake, log } = await rig(cleanups, {
      fake: { tls: { key: cert.key, cert: cert.cert } },
      connection: { https: true, wss: true, feeds: ['websocket'], tls: { caFile: cert.caFile } },
    });
    expect(log.feed).toBe('WebSocket');
    expect(fake.count('TWS_GetMyToken2')).toBe(1);

    const pinned = await rig(cleanups, {
      fake: { tls: { key: cert.key, cert: cert.cert } },
      connection: { https: true, wss: true, feeds: ['websocket'], tls: { pinSha256: fingerprintOfPem(cert.cert) } },
    });
    expect(pinned.log.feed).toBe('WebSocket');

    const wrong = await rig(cleanups, {
      start: false,
      fake: { tls: { key: cert.key, cert: cert.cert } },
      connection: { https: true, tls: { pinSha256: 'AA:'.repeat(31) + 'AA' } },
    });
    const err = await rejection(wrong.connector.start());
    expect(err.code).toBe('rejected');
    expect(wrong.fake.requests).toHaveLength(0);
  });

  it('HTTPS without a CA or pin is refused (self-signed)', async () => {
    const cert = await loopbackCert('tws.test');
    const r = await rig(cleanups, { start: false, fake: { tls: { key: cert.key, cert: cert.cert } }, connection: { https: true } });
    const err = await rejection(r.connector.start());
    expect(err.code).toBe('rejected');
  });
});

describe('TWS connector: trace and supervisor', () => {
  it('traces every frame in and out with the credentials and the token redacted', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', destination: { write: (l: string) => lines.push(l) } });
    const { fake, connector } = await rig(cleanups, {
      fake: { apiKey: 'SECRET/API+KEY==' },
      secret: { password: 'pw1', apiKey: 'SECRET/API+KEY==' },
      extra: { trace: true },
      log,
    });
    await fake.until(() => fake.tcpSessions.size === 1);
    fake.push({ kind: 'call', cco: ringing() });
    await connector.snapshot();
    await fake.until(() => lines.some((l) => l.includes('"channel":"tcp"') && l.includes('"direction":"in"')), 4000, 'a traced TCP frame');
    const frames = lines.filter((l) => l.includes('"trace"'));
    expect(frames.some((l) => l.includes('TWS_GetMyToken2'))).toBe(true);
    expect(frames.some((l) => l.includes('TWS_WaitForGenericEvent'))).toBe(true);
    const token = [...fake.tokens.keys()][0] as string;
    for (const l of frames) {
      expect(l).not.toContain('SECRET');
      expect(l).not.toContain(encodeURIComponent('SECRET/API+KEY=='));
      expect(l).not.toContain('pw1');
      expect(l).not.toContain(token);
    }
  });

  it('runs under the supervisor: link up with the feed label, resync after a feed switch', async () => {
    const { fake, profile } = await rig(cleanups, { start: false });
    const connector = createTwsConnector({ profile, secret: { password: 'pw1', apiKey: 'key-1' }, log: silentLogger() }, { tokenCheckMs: 300, badFrameResyncMs: 20 });
    const events = new EventLog();
    const sup = new SessionSupervisor({ profile, connector, log: silentLogger(), emit: (e) => events.push(e) });
    cleanups.push(() => sup.stop());
    fake.setCalls('4694', [ringing()]);
    sup.start();
    await sup.whenUp(4000);
    await events.next((e) => e.type === 'link' && e.link.feed === 'TCP event socket');
    const snap = await events.next(isSnapshot);
    expect(snap.calls).toHaveLength(1);
    const from = events.events.length;
    await fake.stopTcp();
    await events.next((e) => e.type === 'link' && e.link.feed === 'WebSocket', from);
    expect(sup.linkState.state).toBe('up');
  });
});
