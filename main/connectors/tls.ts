// TLS verification shared by the connectors (O2G, TWS). Verification is always on:
// - `caPem` (the profile's caFile, already read) is trusted besides Node's root certificates, for
//   that connection only;
// - `pinSha256` accepts exactly the certificate with that SHA-256 fingerprint (whoever signed it):
//   the TLS socket is made first, its peer certificate compared, and only a matching socket is
//   handed on, so no application byte is written before the check.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { CtiError } from '../../shared/commands.js';

export interface TlsTrust {
  /** PEM text to trust besides the system roots (the profile's caFile, already read). */
  caPem?: string | undefined;
  /** Colon-separated SHA-256 fingerprint of the only certificate to accept. */
  pinSha256?: string | undefined;
}

/** Normalise a fingerprint for comparison: upper-case hex with colons. */
export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? '';
}

/** SHA-256 fingerprint of a PEM certificate, as openssl prints it. */
export function fingerprintOfPem(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/** Read the profile's TLS settings into a trust (the CA file is read and checked to be a PEM certificate). */
export async function loadTlsTrust(conf: { caFile?: string | undefined; pinSha256?: string | undefined }, vendorLabel: string): Promise<TlsTrust> {
  const trust: TlsTrust = {};
  if (conf.pinSha256) trust.pinSha256 = conf.pinSha256;
  if (conf.caFile) {
    let pem: string;
    try {
      pem = await readFile(conf.caFile, 'utf8');
    } catch (err) {
      throw new CtiError('invalid', `cannot read the ${vendorLabel} CA file ${conf.caFile}: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      new X509Certificate(pem);
    } catch {
      throw new CtiError('invalid', `the ${vendorLabel} CA file ${conf.caFile} is not a PEM certificate`);
    }
    trust.caPem = pem;
  }
  return trust;
}

/** The error of a pinned socket whose certificate is not the pinned one. */
export function pinMismatch(got: string, pin: string): CtiError {
  return new CtiError('rejected', `certificate fingerprint mismatch: the server presented ${got || 'no certificate'}, the profile pins ${normalizeFingerprint(pin)}`, 'PIN_MISMATCH');
}

/**
 * Open a verified TLS socket: with a pin, the callback gets the socket only once its certificate
 * matched; otherwise the normal chain and host-name checks apply (plus the CA, if any).
 */
export function connectVerified(
  options: tls.ConnectionOptions,
  trust: TlsTrust,
  connectTimeoutMs: number,
  callback: (err: Error | null, socket: tls.TLSSocket) => void,
): tls.TLSSocket {
  const pin = trust.pinSha256 ? normalizeFingerprint(trust.pinSha256) : null;
  const socket = pin
    ? tls.connect({ ...options, rejectUnauthorized: false, checkServerIdentity: () => undefined })
    : tls.connect({ ...options, rejectUnauthorized: true, ...(trust.caPem ? { ca: [...tls.rootCertificates, trust.caPem] } : {}) });
  let settled = false;
  const done = (err: Error | null) => {
    if (settled) return;
    settled = true;
    socket.setTimeout(0);
    socket.removeListener('error', onError);
    if (err) socket.destroy();
    callback(err, socket);
  };
  const onError = (err: Error) => done(err);
  socket.once('error', onError);
  socket.setTimeout(connectTimeoutMs, () => done(Object.assign(new Error('TLS connect timed out'), { code: 'ETIMEDOUT' })));
  socket.once('secureConnect', () => {
    if (!pin) {
      done(null);
      return;
    }
    const got = normalizeFingerprint(socket.getPeerCertificate()?.fingerprint256 ?? '');
    done(got === pin ? null : pinMismatch(got, pin));
  });
  return socket;
}

/** An https.Agent that accepts exactly one certificate (by SHA-256), checked before any write. */
export class PinnedAgent extends https.Agent {
  private readonly pin: string;
  private readonly connectTimeoutMs: number;

  constructor(pin: string, connectTimeoutMs: number, keepAlive = true) {
    super({ keepAlive, maxCachedSessions: 0 });
    this.pin = normalizeFingerprint(pin);
    this.connectTimeoutMs = connectTimeoutMs;
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | undefined {
    // The chain is not checked against a CA here: the pin names the one certificate to accept.
    connectVerified(options as tls.ConnectionOptions, { pinSha256: this.pin }, this.connectTimeoutMs, (err, socket) => callback?.(err, socket));
    return undefined;
  }
}

/** An https.Agent for a trust: pinned, or verifying the chain (with the extra CA, if any). */
export function httpsAgentFor(trust: TlsTrust, connectTimeoutMs: number, keepAlive = true): https.Agent {
  if (trust.pinSha256) return new PinnedAgent(trust.pinSha256, connectTimeoutMs, keepAlive);
  return new https.Agent({ keepAlive, ...(trust.caPem ? { ca: [...tls.rootCertificates, trust.caPem] } : {}) });
}
