// Socket-level failures (HTTP requests, TCP feeds, WebSockets) as typed errors, shared by the
// connectors: refused or unreachable hosts, untrusted certificates, TLS failures.
import { CtiError } from '../../shared/commands.js';

const unreachableCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN',
  'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EADDRNOTAVAIL',
]);
const certCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
  'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE', 'INVALID_CA', 'HOSTNAME_MISMATCH',
]);

/** A socket-level failure → CtiError: certificate problems say how to fix them. */
export function socketError(err: unknown, where: string): CtiError {
  if (err instanceof CtiError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : '';
  const msg = e instanceof Error ? e.message : String(err);
  if (certCodes.has(code)) return new CtiError('rejected', `${where}: the server's TLS certificate is not trusted (${code}); set the profile's CA file or certificate fingerprint`, code);
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return new CtiError('protocol', `${where}: TLS failed (${code}): ${msg}`, code);
  if (unreachableCodes.has(code) || msg === 'socket hang up') return new CtiError('unreachable', `${where}: ${code || msg}`, code || undefined);
  return new CtiError('unreachable', `${where}: ${msg}`, code || undefined);
}
