// The lab servers' TLS identity (O2G's HTTPS pair, TWS's HTTPS and WSS): a self-signed certificate whose
// subjectAltName covers the names and addresses it listens on (the bind IP, 127.0.0.1, ::1, localhost),
// generated with `selfsigned` once per process for a given set of names (both HA servers, the TWS listeners and
// every lab in a test run share it), and written as a PEM file so a client can trust it (CA file,
// NODE_EXTRA_CA_CERTS) or pin its SHA-256 fingerprint.
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface LabCertificate {
  /** The certificate, PEM. */
  pem: string;
  /** Its private key, PEM (PKCS#8). */
  key: string;
  /** SHA-256 of the DER, colon-separated upper-case hex (`openssl x509 -fingerprint -sha256`). */
  sha256: string;
  /** The names it is valid for (subjectAltName). */
  altNames: string[];
}

const cache = new Map<string, Promise<LabCertificate>>();

/** The names a server bound to `host` is reached by. Wildcard binds add nothing beyond loopback. */
export function certificateNames(host: string): string[] {
  const names = new Set<string>(['127.0.0.1', '::1', 'localhost']);
  if (host !== '0.0.0.0' && host !== '::' && host !== '') names.add(host);
  return [...names];
}

/** The certificate for these names, generated on first use in this process. */
export function labCertificate(names: string[]): Promise<LabCertificate> {
  const key = [...names].sort().join(',');
  let pending = cache.get(key);
  if (!pending) {
    pending = create(names);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

async function create(names: string[]): Promise<LabCertificate> {
  const altNames = names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n }));
  const now = Date.now();
  const pems = await generate(
    [
      { name: 'commonName', value: 'Agent Desktop lab server' },
      { name: 'organizationName', value: 'Agent Desktop lab PBX' },
    ],
    {
      // EC P-256: generated in milliseconds, accepted by every TLS stack the desktop meets.
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now - 60_000),
      notAfterDate: new Date(now + 365 * 24 * 3600 * 1000),
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    },
  );
  return { pem: pems.cert, key: pems.private, sha256: new X509Certificate(pems.cert).fingerprint256, altNames: names };
}

/** Write the PEM to `dir` (created if needed; default a fresh temporary directory); returns the file path. */
export async function writeCertificateFile(cert: LabCertificate, dir: string | null, vendor = 'o2g'): Promise<string> {
  const target = dir ?? (await mkdtemp(join(tmpdir(), `${vendor}-lab-`)));
  await mkdir(target, { recursive: true });
  const file = join(target, `${vendor}-lab-cert.pem`);
  await writeFile(file, cert.pem, { mode: 0o644 });
  return file;
}
