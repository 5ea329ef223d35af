// CTIPS transport over real loopback sockets (127.0.0.1 only): the SOAP client against a tiny HTTP
// server answering hand-written SOAP, and the app's callback server fed with the portal's messages
// (the codec's CTIPS-side encoders). Bounded: every wait is on an event, timeouts are short.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CtiError } from '../../../shared/commands.js';
import { loopbackCert } from '../o2g/test/certs.js';
import { CtipsCallbackServer, type CtipsRejected, type CtipsStartSessionInfo } from './callback-server.js';
import { decodeCallbackReply, encodeHeartbeatMessage, encodePublishCTIEvent, encodeStartSession, type CtipsEvent } from './events.js';
import { buildOpenConnection, ctipsRequests } from './requests.js';
import { encodeCtipsFault, encodeCtipsResponse } from './responses.js';
import { CtipsSoapClient } from './soap-client.js';
import { ctipsProfile } from './wire.js';

// ---- SOAP client ---------------------------------------------------------------------------

type Reply = { status: number; body: string; delayMs?: number; headers?: Record<string, string> };
let nextReply: Reply = { status: 200, body: '' };
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
let portal: http.Server;
let portalPort = 0;

beforeAll(async () => {
  portal = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const r = nextReply;
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(r.status, { 'Content-Type': 'text/xml; charset=utf-8', ...(r.headers ?? {}) });
        res.end(r.body);
      };
      if (r.delayMs) setTimeout(send, r.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((ok) => portal.listen(0, '127.0.0.1', ok));
  portalPort = (portal.address() as AddressInfo).port;
});

afterAll(async () => {
  portal.closeAllConnections();
  await new Promise<void>((ok) => portal.close(() => ok()));
});

const session = ctipsRequests({ SessionId: 'S-1', TenantId: 1 });
const hold = () => {
  const r = session.holdCall({ RequestId: 7, AgentId: 1001, CallId: 1001 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const openConn = () => {
  const r = buildOpenConnection({ TenantIds: [1], UserCredentials: { UserName: 'Test01', Password: 'Secret!' }, ClientCallbackURL: 'http://127.0.0.1:1/cb' });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
async function failure(p: Promise<unknown>): Promise<CtiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CtiError);
    return e as CtiError;
  }
  throw new Error('expected a failure');
}

describe('CtipsSoapClient (loopback)', () => {
  let client: CtipsSoapClient;
  const traces: string[] = [];
  beforeAll(() => {
    client = new CtipsSoapClient({ host: '127.0.0.1', port: portalPort, timeoutMs: 2000, trace: (d, c, f) => traces.push(`${d} ${c} ${f}`) });
  });
  afterAll(() => client.close());

  it('POSTs the request to the profile path with its SOAPAction and decodes a success', async () => {
    nextReply = { status: 200, body: encodeCtipsResponse('HoldCall', 0) };
    const r = await client.send(hold());
    expect(r).toMatchObject({ operation: 'HoldCall', status: 0, requestId: 7 });
    const s = seen.at(-1);
    expect(s?.method).toBe('POST');
    expect(s?.url).toBe('/CTIPortal/AgentCallService');
    expect(s?.headers.soapaction).toBe('"http://tempuri.org/IAgentCallService/HoldCall"');
    expect(s?.headers.connection).toBe('keep-alive');
    expect(s?.body).toContain('<a:CallId>1001</a:CallId>');
  });

  it('OpenConnection: the session id; the password never reaches the trace', async () => {
    nextReply = { status: 200, body: encodeCtipsResponse('OpenConnection', 0, 'SID-9') };
    const r = await client.send(openConn());
    expect(r.sessionId).toBe('SID-9');
    expect(seen.at(-1)?.body).toContain('Secret!');
    expect(traces.join('\n')).not.toContain('Secret!');
    expect(traces.join('\n')).toContain('[redacted]');
  });

  it('a SOAP fault (HTTP 500) is mapped by what it says', async () => {
    nextReply = { status: 500, body: encodeCtipsFault('Client', 'Invalid SessionId') };
    expect(await failure(client.send(hold()))).toMatchObject({ code: 'sessionLost', vendorCode: 'fault:Client' });
    nextReply = { status: 500, body: encodeCtipsFault('Client', 'Unknown user or wrong password') };
    expect((await failure(client.send(openConn()))).code).toBe('authFailed');
    nextReply = { status: 500, body: encodeCtipsFault('Client', 'Missing field CallId') };
    expect((await failure(client.send(hold()))).code).toBe('invalid');
  });

  it('a non-zero status is rejected (OpenConnection: by the [SIM] code)', async () => {
    nextReply = { status: 200, body: encodeCtipsResponse('HoldCall', 2) };
    expect(await failure(client.send(hold()))).toMatchObject({ code: 'rejected', vendorCode: 'status:2' });
    nextReply = { status: 200, body: encodeCtipsResponse('OpenConnection', 3, null) };
    expect((await failure(client.send(openConn()))).code).toBe('limit');
  });

  it('HTTP 500/404 without a fault → rejected; garbage 200 → protocol', async () => {
    nextReply = { status: 500, body: 'Internal Server Error' };
    expect(await failure(client.send(hold()))).toMatchObject({ code: 'rejected', vendorCode: 'http500' });
    nextReply = { status: 404, body: '' };
    expect((await failure(client.send(hold()))).message).toMatch(/404.*request path/);
    nextReply = { status: 200, body: 'this is not <xml' };
    expect((await failure(client.send(hold()))).code).toBe('protocol');
    nextReply = { status: 200, body: encodeCtipsResponse('ClearCall', 0) };
    expect((await failure(client.send(hold()))).code).toBe('protocol');
  });

  it('a reply over the byte cap → protocol', async () => {
    const small = new CtipsSoapClient({ host: '127.0.0.1', port: portalPort, timeoutMs: 2000, maxBodyBytes: 100 });
    nextReply = { status: 200, body: encodeCtipsResponse('HoldCall', 0) };
    expect((await failure(small.send(hold()))).message).toMatch(/larger than 100 bytes/);
    small.close();
  });

  it('a slow portal → timeout', async () => {
    nextReply = { status: 200, body: encodeCtipsResponse('HoldCall', 0), delayMs: 1500 };
    const e = await failure(client.send(hold(), { timeoutMs: 150 }));
    expect(e.code).toBe('timeout');
  });

  it('a refused port → unreachable; a closed client → notConnected', async () => {
    const probe = http.createServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const freePort = (probe.address() as AddressInfo).port;
    await new Promise<void>((ok) => probe.close(() => ok()));
    const c = new CtipsSoapClient({ host: '127.0.0.1', port: freePort, timeoutMs: 2000 });
    expect(await failure(c.send(hold()))).toMatchObject({ code: 'unreachable', vendorCode: 'ECONNREFUSED' });
    c.close();
    expect((await failure(c.send(hold()))).code).toBe('notConnected');
  });

  it('https with a pinned certificate; a wrong pin is refused before sending', async () => {
    const cert = await loopbackCert('ctips.test');
    const tlsPortal = (await import('node:https')).createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'text/xml' });
        res.end(encodeCtipsResponse('HoldCall', 0));
      });
    });
    await new Promise<void>((ok) => tlsPortal.listen(0, '127.0.0.1', ok));
    const port = (tlsPortal.address() as AddressInfo).port;
    try {
      const good = new CtipsSoapClient({ host: '127.0.0.1', port, https: true, tls: { pinSha256: cert.fingerprint256 }, timeoutMs: 3000 });
      expect((await good.send(hold())).status).toBe(0);
      good.close();
      const ca = new CtipsSoapClient({ host: '127.0.0.1', port, https: true, tls: { caPem: cert.cert }, timeoutMs: 3000 });
      expect((await ca.send(hold())).status).toBe(0);
      ca.close();
      const bad = new CtipsSoapClient({ host: '127.0.0.1', port, https: true, tls: { pinSha256: 'AA:BB' }, timeoutMs: 3000 });
      expect(await failure(bad.send(hold()))).toMatchObject({ code: 'rejected', vendorCode: 'PIN_MISMATCH' });
      bad.close();
      const untrusted = new CtipsSoapClient({ host: '127.0.0.1', port, https: true, timeoutMs: 3000 });
      expect((await failure(untrusted.send(hold()))).code).toBe('rejected');
      untrusted.close();
    } finally {
      tlsPortal.closeAllConnections();
      await new Promise<void>((ok) => tlsPortal.close(() => ok()));
    }
  }, 20_000);
});

// ---- Callback server -----------------------------------------------------------------------

function post(url: string, body: string | Buffer, o: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8', ...(o.headers ?? {}) }, agent: false });
    req.setTimeout(5000, () => req.destroy(new Error('test request timed out')));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(body);
  });
}

const publish = (requestId: number, agentId = 5) => {
  const r = encodePublishCTIEvent('AgentStateChange', { RequestId: requestId, TenantId: 1, AgentId: agentId }, { AgentState: 'Idle' });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('CtipsCallbackServer (loopback)', () => {
  let srv: CtipsCallbackServer;
  let events: CtipsEvent[];
  let beats: number;
  let starts: CtipsStartSessionInfo[];
  let rejected: CtipsRejected[];

  const make = async (extra: Partial<ConstructorParameters<typeof CtipsCallbackServer>[0]> = {}) => {
    events = [];
    beats = 0;
    starts = [];
    rejected = [];
    srv = new CtipsCallbackServer({
      bindHost: '127.0.0.1',
      port: 0,
      allowedHosts: ['localhost'],
      expectedCredentials: { userName: 'Test01', password: 'Test01' },
      listeners: { onEvent: (e) => events.push(e), onHeartbeat: () => (beats += 1), onStartSession: (s) => starts.push(s), onRejected: (r) => rejected.push(r) },
      ...extra,
    });
    await srv.start();
    return srv;
  };
  afterEach(async () => {
    await srv.stop();
  });

  it('StartSession then PublishCTIEvent and HeartbeatMessage from an allowed address are delivered', async () => {
    await make();
    const url = srv.url();
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${srv.port}/www\\.aspect\\.com/PublishEvents\\?token=[0-9a-f]{32}$`));
    const s = await post(url, encodeStartSession('Test01', 'Test01', 'SID-1'));
    expect(s.status).toBe(200);
    expect(decodeCallbackReply(s.body)).toEqual({ ok: true, value: { operation: 'StartSession', result: 0 } });
    expect(starts).toEqual([{ sessionId: 'SID-1', userName: 'Test01', remote: 'loopback' }]);
    expect(srv.sessionId).toBe('SID-1');
    const p = await post(url, publish(77));
    expect(p.status).toBe(200);
    expect(decodeCallbackReply(p.body)).toEqual({ ok: true, value: { operation: 'PublishCTIEvent', result: null } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'AgentStateChange', header: { requestId: 77, agentId: 5 } });
    const h = await post(url, encodeHeartbeatMessage());
    expect(decodeCallbackReply(h.body)).toEqual({ ok: true, value: { operation: 'HeartbeatMessage', result: 0 } });
    expect(beats).toBe(1);
    expect(rejected).toEqual([]);
  });

  it('answers SOAP 1.2 calls in SOAP 1.2', async () => {
    await make();
    const p12 = ctipsProfile({ soapVersion: '1.2' });
    const s = await post(srv.url(), encodeStartSession('Test01', 'Test01', 'SID-2', p12), { headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' } });
    expect(s.body).toContain('http://www.w3.org/2003/05/soap-envelope');
    expect(starts).toHaveLength(1);
  });

  it('a disallowed address → 403, nothing delivered', async () => {
    await make({ allowedHosts: ['10.9.9.9'] });
    const r = await post(srv.url(), encodeStartSession('Test01', 'Test01', 'SID-1'));
    expect(r.status).toBe(403);
    expect(starts).toEqual([]);
    expect(rejected[0]).toMatchObject({ reason: 'forbidden', remote: 'loopback' });
  });

  it('resolves allowed host names with the injected resolver; ::ffff:127.0.0.1 counts as loopback', async () => {
    await make({ allowedHosts: ['portal.example'], resolve: async () => ['::ffff:127.0.0.1'] });
    expect((await post(srv.url(), encodeStartSession('Test01', 'Test01', 'SID-1'))).status).toBe(200);
    await srv.stop();
    await expect(make({ allowedHosts: ['nowhere.invalid'], resolve: async () => Promise.reject(new Error('ENOTFOUND')) })).rejects.toMatchObject({ code: 'invalid' });
    await make();
  });

  it('calls for another session: wrong token, a second StartSession id, calls before any session → refused, not delivered', async () => {
    await make();
    const url = srv.url();
    const before = await post(url, publish(1));
    expect(before.status).toBe(500);
    expect(before.body).toContain('No session');
    await post(url, encodeStartSession('Test01', 'Test01', 'SID-1'));
    const wrong = url.replace(/token=[0-9a-f]+/, 'token=deadbeef');
    const f = await post(wrong, publish(2));
    expect(f.status).toBe(500);
    expect(decodeCallbackReply(f.body)).toMatchObject({ ok: false, error: { kind: 'fault' } });
    expect((await post(url.replace(/\?.*$/, ''), encodeHeartbeatMessage())).status).toBe(500);
    const other = await post(url, encodeStartSession('Test01', 'Test01', 'SID-OTHER'));
    expect(decodeCallbackReply(other.body)).toEqual({ ok: true, value: { operation: 'StartSession', result: 1 } });
    expect(srv.sessionId).toBe('SID-1');
    expect(events).toEqual([]);
    expect(beats).toBe(0);
    expect(starts).toHaveLength(1);
    expect(rejected.map((r) => r.reason)).toEqual(['noSession', 'foreignSession', 'foreignSession', 'foreignSession']);
    // After a reconnect with a rotated token, the old URL is refused and the new session accepted.
    srv.resetSession({ rotateToken: true });
    expect(srv.url()).not.toBe(url);
    expect((await post(url, encodeStartSession('Test01', 'Test01', 'SID-3'))).status).toBe(500);
    expect(decodeCallbackReply((await post(srv.url(), encodeStartSession('Test01', 'Test01', 'SID-3'))).body)).toMatchObject({ ok: true, value: { result: 0 } });
    srv.expectSession('SID-3');
    await post(srv.url(), publish(3));
    expect(events).toHaveLength(1);
  });

  it('StartSession with other credentials → result 1, not delivered', async () => {
    await make();
    const r = await post(srv.url(), encodeStartSession('Test01', 'wrong', 'SID-1'));
    expect(decodeCallbackReply(r.body)).toMatchObject({ ok: true, value: { result: 1 } });
    expect(starts).toEqual([]);
    expect(srv.sessionId).toBeNull();
    expect(rejected[0]?.reason).toBe('badCredentials');
    expect(JSON.stringify(rejected)).not.toContain('wrong');
  });

  it('oversize → 413 (declared or streamed); wrong path → 404; wrong method → 405', async () => {
    await make({ maxBodyBytes: 4096 });
    const big = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${'x'.repeat(10_000)}</s:Body></s:Envelope>`;
    expect((await post(srv.url(), big)).status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(srv.url(), { method: 'POST', agent: false, headers: { 'Transfer-Encoding': 'chunked' } });
      req.on('error', reject);
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.write(big.slice(0, 3000));
      req.end(big.slice(3000));
    });
    expect(chunked).toBe(413);
    const base = srv.url().replace(/\/www\.aspect\.com.*$/, '');
    expect((await post(`${base}/other`, encodeHeartbeatMessage())).status).toBe(404);
    const get = await post(srv.url(), '', { method: 'GET' });
    expect(get.status).toBe(405);
    expect(rejected.map((r) => r.reason)).toEqual(['tooLarge', 'tooLarge', 'notFound', 'method']);
  });

  it('malformed XML or an unknown operation → SOAP fault 400, never a throw', async () => {
    await make();
    const url = srv.url();
    for (const body of ['<not-closed', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', Buffer.from([0xff, 0xfe, 0x00]), '']) {
      const r = await post(url, body);
      expect(r.status).toBe(400);
      expect(decodeCallbackReply(r.body)).toMatchObject({ ok: false, error: { kind: 'fault' } });
    }
    const unknown = await post(url, '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Nope/></s:Body></s:Envelope>');
    expect(unknown.status).toBe(400);
    expect(rejected.map((r) => r.reason)).toEqual(['malformed', 'malformed', 'malformed', 'malformed', 'unknownOperation']);
    // Still serving.
    expect((await post(url, encodeStartSession('Test01', 'Test01', 'S'))).status).toBe(200);
  });

  it('a throwing listener is reported, the portal still gets its reply', async () => {
    await make({ token: null, listeners: { onStartSession: () => { throw new Error('boom'); }, onRejected: (r) => rejected.push(r) } });
    expect(srv.url()).not.toContain('?');
    const r = await post(srv.url(), encodeStartSession('Test01', 'Test01', 'S'));
    expect(decodeCallbackReply(r.body)).toMatchObject({ ok: true, value: { result: 0 } });
    expect(rejected).toMatchObject([{ reason: 'listenerError', message: 'boom', operation: 'StartSession' }]);
  });

  it('the advertised host/port go into url(); a port in use → invalid', async () => {
    await make({ advertisedHost: 'agent-pc.example', advertisedPort: 8730 });
    expect(srv.url()).toMatch(/^http:\/\/agent-pc\.example:8730\/www\.aspect\.com\/PublishEvents\?token=/);
    const clash = new CtipsCallbackServer({ bindHost: '127.0.0.1', port: srv.port, allowedHosts: ['127.0.0.1'] });
    await expect(clash.start()).rejects.toMatchObject({ code: 'invalid', vendorCode: 'EADDRINUSE' });
  });

  it('serves HTTPS with the given certificate', async () => {
    const cert = await loopbackCert('ctips-cb.test');
    await make({ tls: { certPem: cert.cert, keyPem: cert.key } });
    expect(srv.url()).toMatch(/^https:/);
    const https = await import('node:https');
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(srv.url(), { method: 'POST', ca: cert.cert, agent: false, headers: { 'Content-Type': 'text/xml' } });
      req.on('error', reject);
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.end(encodeStartSession('Test01', 'Test01', 'S'));
    });
    expect(status).toBe(200);
    expect(starts).toHaveLength(1);
  }, 20_000);
});
