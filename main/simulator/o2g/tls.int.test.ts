// TLS of the O2G front-end: a self-signed certificate for the names it listens on, trusted through its PEM
// (or NODE_EXTRA_CA_CERTS), its SHA-256 fingerprint, one certificate per process, and optional plain HTTP.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab.js';
import { O2gClient, o2gHarness, type O2gHarness } from './test-client.js';

let h: O2gHarness | undefined;
let other: Lab | undefined;
afterEach(async () => {
  await h?.close();
  await other?.stop();
  h = undefined;
  other = undefined;
});

function get(port: number, opts: { ca?: string; servername?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/rest', agent: false, ...opts }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the lab certificate', () => {
  it('is trusted through its PEM only, and is valid for 127.0.0.1, ::1 and localhost', async () => {
    h = await o2gHarness();
    const o2g = h.lab.o2g;
    if (!o2g) throw new Error('no O2G');
    const port = o2g.primary.port;
    expect(await get(port, { ca: o2g.certificate.pem })).toBe(200);
    expect(await get(port, { ca: o2g.certificate.pem, servername: 'localhost' })).toBe(200);
    await expect(get(port, {})).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY/) });
    await expect(get(port, { ca: o2g.certificate.pem, servername: 'o2g.example.com' })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const x = new X509Certificate(o2g.certificate.pem);
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.checkIP('::1')).toBeDefined();
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.subjectAltName).toContain('DNS:localhost');
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
    // Both HA servers present it.
    expect(await get(o2g.secondary?.port as number, { ca: o2g.certificate.pem })).toBe(200);
  });

  it('exposes its PEM file and SHA-256 fingerprint (as openssl x509 -fingerprint -sha256)', async () => {
    h = await o2gHarness();
    const cert = h.lab.o2g?.certificate;
    if (!cert) throw new Error('no certificate');
    expect(readFileSync(cert.file, 'utf8')).toBe(cert.pem);
    expect(cert.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(cert.sha256).toBe(new X509Certificate(readFileSync(cert.file)).fingerprint256);
    // A second lab in the same process reuses the certificate (generated once).
    other = await startLab({ vendors: ['o2g'], portBase: 0 });
    expect(other.o2g?.certificate.sha256).toBe(cert.sha256);
    expect(other.o2g?.certificate.file).not.toBe(cert.file);
    const file = cert.file;
    await h.close();
    h = undefined;
    expect(existsSync(file)).toBe(false);
  });

  it('a client process trusts it through NODE_EXTRA_CA_CERTS', async () => {
    h = await o2gHarness();
    const o2g = h.lab.o2g;
    if (!o2g) throw new Error('no O2G');
    const script = `require('https').get('https://127.0.0.1:${o2g.primary.port}/api/rest', (r) => { console.log(r.statusCode); r.resume(); }).on('error', (e) => { console.log(e.code); });`;
    const run = (env: NodeJS.ProcessEnv) =>
      new Promise<string>((resolve, reject) => execFile(process.execPath, ['-e', script], { env, timeout: 10_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))));
    const { NODE_EXTRA_CA_CERTS: _drop, ...env } = process.env;
    expect(await run({ ...env, NODE_EXTRA_CA_CERTS: o2g.certificate.file })).toBe('200');
    expect(await run(env)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  it('writes the PEM into a given directory, and keeps it there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'o2g-cert-test-'));
    try {
      h = await o2gHarness({ o2g: { certificateDir: dir } });
      const file = h.lab.o2g?.certificate.file as string;
      expect(file.startsWith(dir)).toBe(true);
      await h.close();
      h = undefined;
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('plain HTTP (off by default)', () => {
  it('serves the same API on its own port, with http polling URLs', async () => {
    h = await o2gHarness({ o2g: { plainHttp: true } });
    const o2g = h.lab.o2g;
    if (!o2g) throw new Error('no O2G');
    const httpPort = o2g.primary.httpPort as number;
    expect(h.lab.endpoints.filter((e) => e.vendor === 'o2g').map((e) => `${e.transport}${e.role ? `/${e.role}` : ''}`)).toEqual(['https', 'http', 'https/secondary', 'http/secondary']);
    const c = new O2gClient(`http://127.0.0.1:${httpPort}`, undefined);
    const d = await c.request('GET', '/api/rest');
    expect(d.json.versions[0].internalUrl).toBe(`http://127.0.0.1:${httpPort}/api/rest/authenticate?version=1.0`);
    await c.login('agent1', '1111');
    const sub = await c.subscribe([{ names: ['telephony'] }]);
    expect(sub.privatePollingUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${httpPort}/OTEvents\\?subscriptionId=`));
    const ch = await c.openChannel(sub.privatePollingUrl);
    expect(await ch.next('OnChannelInformation')).toBeDefined();
    ch.close();
  });

  it('is not served by default', async () => {
    h = await o2gHarness();
    expect(h.lab.o2g?.primary.httpPort).toBeUndefined();
    expect(h.lab.endpoints.filter((e) => e.vendor === 'o2g').every((e) => e.transport === 'https')).toBe(true);
  });
});
