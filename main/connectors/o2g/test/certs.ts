// Self-signed certificates for the TLS tests (selfsigned v5), generated once per test file.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TestCert {
  key: string;
  cert: string;
  /** SHA-256 fingerprint, colon-separated upper-case hex. */
  fingerprint256: string;
  /** The certificate written to a PEM file (the profile's caFile). */
  caFile: string;
}

export async function loopbackCert(cn = 'o2g.test'): Promise<TestCert> {
  const pems = await generate([{ name: 'commonName', value: cn }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const dir = await mkdtemp(join(tmpdir(), 'o2g-cert-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, pems.cert);
  return { key: pems.private, cert: pems.cert, fingerprint256: new X509Certificate(pems.cert).fingerprint256, caFile };
}
