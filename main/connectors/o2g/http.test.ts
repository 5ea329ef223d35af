// The O2G HTTP transport: TLS trust (CA file, pin, refusal), timeouts, refused connections,
// the cookie jar, and the redacted trace.
import type http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CtiError } from '../../../shared/commands.js';
import type { TraceFn } from '../../core/log.js';
import { CookieJar, normalizeFingerprint, O2gHttp } from './http.js';
import { loopbackCert, type TestCert } from './test/certs.js';
import { refusedPort } from './test/fake-o2g.js';

let cert: TestCert;
let other: TestCert;
let tlsServer: https.Server;
let tlsPort = 0;
const received: Array<{ url: string | undefined; headers: http.IncomingHttpHeaders }> = [];

beforeAll(async () => {
  [cert, other] = await Promise.all([loopbackCert(), loopbackCert('other.test')]);
  tlsServer = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    received.push({ url: req.url, headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': ['AlcUserId=secret-cookie-value; Path=/'] });
    res.end('{"credential":"secret-cookie-value","ok":true}');
  });
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  tlsPort = (tlsServer.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => tlsServer.close(() => r()));
});

const clients: O2gHttp[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
function client(opts: Partial<ConstructorParameters<typeof O2gHttp>[0]> = {}): O2gHttp {
  const c = new O2gHttp({ tls: {}, timeoutMs: 2000, trace: () => {}, ...opts });
  clients.push(c);
  return c;
}
async function failure(p: Promise<unknown>): Promise<CtiError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CtiError);
    return err as CtiError;
  }
  throw new Error('expected a failure');
}

describe('TLS trust', () => {
  it('refuses a self-signed server without a CA file or a pin', async () => {
    const e = await failure(client().request('GET', `https://127.0.0.1:${tlsPort}/api/rest`));
    expect(e.code).toBe('rejected');
    expect(e.message).toMatch(/not trusted/);
  });

  it('trusts the server with its certificate as the CA file', async () => {
    const r = await client({ tls: { caPem: cert.cert } }).request('GET', `https://127.0.0.1:${tlsPort}/api/rest`);
    expect(r.status).toBe(200);
  });

  it('refuses with the wrong CA file', async () => {
    const e = await failure(client({ tls: { caPem: other.cert } }).request('GET', `https://127.0.0.1:${tlsPort}/api/rest`));
    expect(e.code).toBe('rejected');
  });

  it('accepts exactly the pinned certificate', async () => {
    const r = await client({ tls: { pinSha256: cert.fingerprint256.toLowerCase() } }).request('GET', `https://127.0.0.1:${tlsPort}/x`);
    expect(r.status).toBe(200);
  });

  it('refuses another certificate under a pin, before sending a byte of the request', async () => {
    const before = received.length;
    const e = await failure(client({ tls: { pinSha256: other.fingerprint256 } }).request('POST', `https://127.0.0.1:${tlsPort}/secret`, { body: { password: 'p' } }));
    expect(e.code).toBe('rejected');
    expect(e.message).toMatch(/fingerprint mismatch/);
    expect(e.vendorCode).toBe('PIN_MISMATCH');
    expect(received.length).toBe(before);
  });

  it('a pin wins over a CA file that would trust the server', async () => {
    const e = await failure(client({ tls: { pinSha256: other.fingerprint256, caPem: cert.cert } }).request('GET', `https://127.0.0.1:${tlsPort}/x`));
    expect(e.code).toBe('rejected');
  });

  it('normalizes fingerprints', () => {
    expect(normalizeFingerprint('ab:cd:EF')).toBe('AB:CD:EF');
    expect(normalizeFingerprint('abcdef')).toBe('AB:CD:EF');
  });
});

describe('requests', () => {
  it('a refused connection is unreachable', async () => {
    const port = await refusedPort();
    const e = await failure(client().request('GET', `http://127.0.0.1:${port}/api/rest`));
    expect(e.code).toBe('unreachable');
  });

  it('a server that never answers times out', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const e = await failure(client({ timeoutMs: 150 }).request('GET', `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`));
      expect(e.code).toBe('timeout');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('sends the cookies it was given on every request', async () => {
    const c = client({ tls: { caPem: cert.cert } });
    await c.request('GET', `https://127.0.0.1:${tlsPort}/one`);
    c.cookies.set('JSESSIONID', 'JS1.tomcat');
    await c.request('GET', `https://127.0.0.1:${tlsPort}/two`);
    expect(received.at(-1)?.headers.cookie).toBe('AlcUserId=secret-cookie-value; JSESSIONID=JS1.tomcat');
  });

  it('redacts Authorization, cookies and the credential from the trace', async () => {
    const frames: string[] = [];
    const trace: TraceFn = (_d, _c, f) => frames.push(typeof f === 'string' ? f : Buffer.from(f).toString());
    const c = client({ tls: { caPem: cert.cert }, trace });
    c.addSecret('dXNlcjpwYXNz');
    await c.request('GET', `https://127.0.0.1:${tlsPort}/auth`, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    await c.request('GET', `https://127.0.0.1:${tlsPort}/again`);
    const all = frames.join('\n');
    expect(frames.length).toBe(4);
    expect(all).not.toContain('dXNlcjpwYXNz');
    expect(all).not.toContain('secret-cookie-value');
    expect(all).toContain('"credential":"[redacted]"');
    expect(all).toMatch(/GET https:\/\/127\.0\.0\.1:\d+\/auth/);
  });

  it('an unusable URL is a protocol error, not a throw', async () => {
    const e = await failure(client().request('GET', 'not a url'));
    expect(e.code).toBe('protocol');
  });
});

describe('CookieJar', () => {
  it('keeps name=value, drops attributes and expired cookies', () => {
    const j = new CookieJar();
    j.setFrom({ 'set-cookie': ['AlcUserId=abc; Path=/', 'JSESSIONID=xyz.tomcat; Path=/api; HttpOnly'] });
    expect(j.header()).toBe('AlcUserId=abc; JSESSIONID=xyz.tomcat');
    j.setFrom({ 'set-cookie': ['JSESSIONID=; Max-Age=0'] });
    expect(j.header()).toBe('AlcUserId=abc');
  });
});
