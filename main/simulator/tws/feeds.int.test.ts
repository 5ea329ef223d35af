// The transports: HTTPS, SOAP (incl. long-poll T17), the TCP feed's framing, keep-alive and timeouts (T06),
// WebSocket and secure WebSocket (T18), fan-out to every feed of a user, supervision events, quirks (T25).
import { afterEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab.js';
import type { TwsConfig } from './config.js';
import { KU } from './config.js';
import { SEP, TcpFeed, TwsClient, WsFeed, httpCall, paths, session, sleep, state, tag, until } from './test-client.js';

let labs: Lab[] = [];
afterEach(async () => {
  for (const l of labs) await l.stop();
  labs = [];
});

async function lab(tws: Partial<TwsConfig> = {}): Promise<TwsClient> {
  const l = await startLab({ vendors: ['tws'], portBase: 0, config: { tws } });
  labs.push(l);
  return new TwsClient(l);
}

const isState = (s: string) => (f: string) => state(f) === s;

describe('web services transports', () => {
  it('HTTPS with the lab certificate (SAN 127.0.0.1), Json and Xml', async () => {
    const c = await lab();
    const r = await httpCall(`${c.https}${paths.user}/Json/TWS_GetMyToken2?apiKey=${encodeURIComponent(KU)}&username=hpiaple&password=pw4694`, { ca: c.ca });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ TWS_GetMyToken2Result: { Ok: true } });
    const help = await httpCall(`${c.https}/tws/tws_toolkitwebsvc/tws_toolkitwebsvc.svc`, { ca: c.ca });
    expect(help.status).toBe(200);
    expect(help.text).toContain('Vous avez créé un service');
    expect(c.lab.tws?.frontEnd.certificate.altNames).toEqual(expect.arrayContaining(['127.0.0.1', '::1', 'localhost']));
  });

  it('WSDL and singlewsdl for the three services', async () => {
    const c = await lab();
    for (const p of [paths.toolkit, paths.user, paths.social, paths.auth]) {
      for (const q of ['wsdl', 'singlewsdl']) {
        const r = await httpCall(`${c.http}${p}?${q}`);
        expect(r.status).toBe(200);
        expect(r.text).toContain('<wsdl:definitions');
      }
    }
    expect((await httpCall(`${c.http}${paths.toolkit}?wsdl`)).text).toContain('soapAction="http://tempuri.org/ITWS_ToolkitWebSvc/TWS_MakeCall"');
  });

  it('SOAP 1.1: envelopes in, envelopes out, faults, any SOAPAction', async () => {
    const c = await lab();
    const tok = await c.soap('user', 'TWS_GetMyToken2', { apiKey: KU, username: 'hpiaple', password: 'pw4694' }, 'ITWS_UserWebSvc');
    expect(tok.status).toBe(200);
    expect(tok.headers['content-type']).toContain('text/xml');
    expect(tok.text).toMatch(/^<s:Envelope xmlns:s="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/"><s:Body><TWS_GetMyToken2Response xmlns="http:\/\/tempuri.org\/"><TWS_GetMyToken2Result xmlns:i=/);
    const t = tag(tok.text, 'Guid') as string;
    const start = await c.soap('toolkit', 'TWS_WebStartMonitor', { tokenGuid: t, szApp: 'TWS-TLK', szDevice: '4694' });
    expect(start.text).toContain('<TWS_WebStartMonitorResponse xmlns="http://tempuri.org/"><TWS_WebStartMonitorResult>0</TWS_WebStartMonitorResult></TWS_WebStartMonitorResponse>');
    const sec = await c.soap('toolkit', 'TWS_WebStartMonitor', { tokenGuid: t, szApp: 'TWS-TLK', szDevice: '4594' });
    expect(sec.status).toBe(500);
    expect(sec.text).toContain('<s:Fault><faultcode>s:Server</faultcode>');
    const unknown = await c.soap('toolkit', 'TWS_Nope', { tokenGuid: t });
    expect(unknown.status).toBe(500);
    expect(unknown.text).toContain('s:Client');
    const bad = await httpCall(`${c.http}${paths.toolkit}`, { method: 'POST', body: '<not xml', headers: { 'Content-Type': 'text/xml' } });
    expect(bad.status).toBe(500);
    const noAction = await httpCall(`${c.http}${paths.toolkit}`, {
      method: 'POST',
      body: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><TWS_GetCallData xmlns="http://tempuri.org/"><key>nothing</key></TWS_GetCallData></s:Body></s:Envelope>`,
      headers: { 'Content-Type': 'text/xml' },
    });
    expect(noAction.text).toContain(`<TWS_GetCallDataResult i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>`);
  });

  it('T17: long-poll over SOAP: connect, event at once, nil on timeout, disconnect, then a fault', async () => {
    const c = await lab({ pollWaitMs: 300 });
    const t = await c.token();
    await c.monitor(t, '4694');
    const conn = await c.soap('toolkit', 'TWS_ConnectToEventService', { tokenGuid: t });
    const e = tag(conn.text, 'TWS_ConnectToEventServiceResult') as string;
    expect(e).toMatch(/^[0-9a-f-]{36}$/);
    await c.post('/calls', { from: '0141906666', to: '4694' });
    await sleep(50);
    const ev = await c.soap('toolkit', 'TWS_GetEvent', { eventTokenGuid: e });
    expect(ev.text).toContain('i:type="a:CTLKCallEvent"');
    expect(ev.text).toContain('<a:genericCCOs>');
    expect(tag(ev.text, 'm_currentState')).toBe('delivered');
    const started = Date.now();
    const empty = await c.soap('toolkit', 'TWS_GetEvent', { eventTokenGuid: e });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(empty.text).toContain('<TWS_GetEventResult i:nil="true"');
    // An event arriving during the wait ends it.
    const waiting = c.json('toolkit', 'TWS_GetEvent', { eventTokenGuid: e });
    await sleep(50);
    await c.post('/devices/0141906666/hangup');
    const woke = await waiting;
    expect(woke.result).toMatchObject({ __type: 'CTLKCallEvent:#Algoria.TWS.GenericClass', eventType: 'CallEvent' });
    expect((await c.soap('toolkit', 'TWS_DisconnectFromEventService', { eventTokenGuid: e })).text).toContain('<TWS_DisconnectFromEventServiceResult>0</TWS_DisconnectFromEventServiceResult>');
    const gone = await c.soap('toolkit', 'TWS_GetEvent', { eventTokenGuid: e });
    expect(gone.status).toBe(500);
    expect(gone.text).toContain('s:Fault');
    expect(await c.fn('TWS_DisconnectFromEventService', { eventTokenGuid: e })).toBe(-44);
    expect(await c.fn('TWS_ConnectToEventService', { tokenGuid: 'bad' })).toBeNull();
  });
});

describe('TCP event socket (T06)', () => {
  it('open message, no reply, keep-alive ignored, events framed with the separator', async () => {
    const c = await lab();
    const { token, feed } = await session(c);
    feed.send('<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>');
    await sleep(50);
    expect(feed.frames).toHaveLength(0);
    await c.post('/calls', { from: '0141906666', to: '4694' });
    const f = await feed.waitFor(isState('delivered'));
    expect(f.startsWith('<CGenericEvent xmlns="http://schemas.datacontract.org/2004/07/Algoria.TWS.GenericClass" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><creationDate>')).toBe(true);
    const all = Buffer.concat(feed.raw);
    expect(all.subarray(all.length - SEP.length).equals(SEP)).toBe(true);
    expect(token).toBeTruthy();
    feed.close();
  });

  it('fragmentWrites splits and coalesces frames; the client still gets every event in order', async () => {
    const c = await lab({ fragmentWrites: true });
    const { token, feed } = await session(c);
    expect(await c.fn('TWS_MakeCall', { tokenGuid: token, szFrom: '4694', szTo: '4594' })).toBe(0);
    await c.post('/devices/4594/answer');
    await feed.waitFor(isState('established'));
    expect(feed.frames.map(state).filter((x) => !x.startsWith('supervision:'))).toEqual(['originated', 'delivered', 'established']);
    expect(feed.raw.length).toBeGreaterThan(feed.frames.length);
    feed.close();
  });

  it('a bad token closes the socket at once; a silent client is dropped; echoAudit answers AUDIT', async () => {
    const c = await lab({ keepAliveTimeoutMs: 300, openTimeoutMs: 300, echoAudit: true });
    const bad = await TcpFeed.open(c.ports.tcp, 'not-a-token');
    const t0 = Date.now();
    await bad.waitClosed(2000);
    expect(Date.now() - t0).toBeLessThan(2000);
    const silentOpen = await TcpFeed.open(c.ports.tcp);
    await silentOpen.waitClosed(2000);
    const { feed } = await session(c);
    feed.send('<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>');
    await feed.waitFor((f) => f.includes('AUDIT'));
    await feed.waitClosed(2000);
  });

  it('AUDIT keeps a client alive; a marker without NUL and a lone NUL both delimit', async () => {
    const c = await lab({ keepAliveTimeoutMs: 400 });
    const t = await c.token();
    await c.monitor(t, '4694');
    const feed = await TcpFeed.open(c.ports.tcp);
    feed.socket.write(`<TWS_WaitForGenericEvent><tokenGuid>${t}</tokenGuid></TWS_WaitForGenericEvent>\u0000`);
    await until(() => (c.lab.tws?.frontEnd.clients('tcp').length ?? 0) === 1);
    for (let i = 0; i < 4; i++) {
      await sleep(200);
      feed.send('<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>');
    }
    expect(feed.closed).toBe(false);
    feed.close();
  });
});

describe('WebSocket feeds (T18)', () => {
  it('ws: the token first, one XML text message per event; a bad token closes with 1008', async () => {
    const c = await lab();
    const t = await c.token();
    await c.monitor(t, '4694');
    const ws = await WsFeed.open(`ws://127.0.0.1:${c.ports.ws}/`, t);
    await until(() => (c.lab.tws?.frontEnd.clients('ws').length ?? 0) === 1);
    await c.post('/calls', { from: '0141906666', to: '4694' });
    const m = await ws.waitFor(isState('delivered'));
    expect(m.startsWith('<CGenericEvent')).toBe(true);
    expect(m).not.toContain('82E51812');
    ws.ws.send('AUDIT');
    const bad = await WsFeed.open(`ws://127.0.0.1:${c.ports.ws}/any/path`, 'bad-token');
    await bad.waitClosed();
    expect(bad.closeCode).toBe(1008);
    ws.close();
  });

  it('wss with the lab certificate; wsFormat json gives JSON events', async () => {
    const c = await lab({ wsFormat: 'json' });
    const t = await c.token();
    await c.monitor(t, '4694');
    const wss = await WsFeed.open(`wss://127.0.0.1:${c.ports.wss}/`, t, c.ca);
    const ws = await WsFeed.open(`ws://127.0.0.1:${c.ports.ws}/`, `<TWS_WaitForGenericEvent><tokenGuid>${t}</tokenGuid></TWS_WaitForGenericEvent>82E51812-45C9-4733\u0000`);
    await until(() => (c.lab.tws?.frontEnd.clients('wss').length ?? 0) === 1 && (c.lab.tws?.frontEnd.clients('ws').length ?? 0) === 1);
    await c.post('/calls', { from: '0141906666', to: '4694' });
    const x = await wss.waitFor((f) => f.includes('delivered'));
    expect(x.startsWith('<CGenericEvent')).toBe(true);
    const j = JSON.parse(await ws.waitFor((f) => f.includes('delivered'))) as Record<string, unknown>;
    expect(j).toMatchObject({ eventType: 'CallEvent', genericCallEvent: { m_ccoState: 'delivered', m_Connections: [{ m_currentState: 'delivered' }] }, genericCallQueueEvent: null, objectName: '4694' });
    expect((j.genericCallEvent as { m_Connections: Array<{ m_Users: unknown[] }> }).m_Connections[0]?.m_Users[1]).toBeNull();
    wss.close();
    ws.close();
  });
});

describe('fan-out and supervision', () => {
  it('one change reaches every open feed of the user; the intercom colleague gets a supervision event', async () => {
    const c = await lab({ pollWaitMs: 2000 });
    const { token, feed } = await session(c);
    const ws = await WsFeed.open(`ws://127.0.0.1:${c.ports.ws}/`, token);
    const other = await c.token();
    const feed2 = await TcpFeed.open(c.ports.tcp, other);
    const poll = (await c.fn('TWS_ConnectToEventService', { tokenGuid: token })) as string;
    const tme = await c.token('tme', 'pw4594');
    const sup = await TcpFeed.open(c.ports.tcp, tme);
    await until(() => (c.lab.tws?.frontEnd.clients('tcp').length ?? 0) === 3 && (c.lab.tws?.frontEnd.clients('ws').length ?? 0) === 1);
    await c.post('/calls', { from: '0141906666', to: '4694' });
    await feed.waitFor(isState('delivered'));
    await feed2.waitFor(isState('delivered'));
    await ws.waitFor(isState('delivered'));
    const p = (await c.fn('TWS_GetEvent', { eventTokenGuid: poll })) as Record<string, unknown>;
    expect(p.eventType).toBe('CallEvent');
    const s = await sup.waitFor((f) => f.includes('<eventType>CallSupervisionEvent</eventType>'));
    expect(tag(s, 'm_deviceNumber')).toBe('4694');
    expect(tag(s, 'objectName')).toBe('4594');
    expect(tag(s, 'm_deviceType')).toBe('PROFESSIONAL');
    for (const f of [feed, feed2, sup]) f.close();
    ws.close();
  });
});

describe('token lifetime', () => {
  it('tokenIdleTtlMs: a token unused that long answers -44; the Toolkit lock answers -11', async () => {
    const c = await lab({ tokenIdleTtlMs: 150 });
    const t = await c.token();
    expect(await c.monitor(t, '4694')).toBe(0);
    await sleep(250);
    expect(await c.monitor(t, '4694')).toBe(-44);
    const locked = await lab({ toolkitUnlocked: false });
    const t2 = await locked.token();
    expect(await locked.monitor(t2, '4694')).toBe(-11);
  });
});

describe('quirks (T25)', () => {
  it('AUDIT echo, an unknown ForwardEvent, a BOM, a JSON frame, d7p1:nil, capitalised names, CCContactInfo', async () => {
    const c = await lab({ quirks: true });
    const { token, feed } = await session(c);
    expect(await c.fn('TWS_MakeCall', { tokenGuid: token, szFrom: '4694', szTo: '4594' })).toBe(0);
    await c.post('/devices/4594/answer');
    await feed.waitFor((f) => f.includes('established'));
    await sleep(50);
    const frames = feed.frames;
    expect(frames[0]).toContain('<eventType>ForwardEvent</eventType>');
    expect(frames[1]?.startsWith('\uFEFF<CGenericEvent')).toBe(true);
    expect(frames[1]).toContain('m_ConnectionDirection');
    expect(frames[1]).toContain('CCContactInfo');
    expect(() => JSON.parse(frames[2] as string) as unknown).not.toThrow();
    expect(frames[3]).toContain('d7p1:nil="true"');
    feed.send('<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>');
    await feed.waitFor((f) => f.includes('AUDIT'));
    feed.close();
  });
});
