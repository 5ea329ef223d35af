// O2G error replies → the contract's CtiError (shared/commands.ts). Pure.
//
// The manual gives RestErrorInfo {httpStatus, code, type, helpMessage, innerMessage, canRetry,
// telephony/routing sub-infos} (L137–L170, L260–L410) but pairs a status with a type only twice
// (INVALID_SESSION → 403, SERVER_PROBLEM → 503). The rules below branch on the HTTP status plus
// `type`/`code` plus `telephony.errorType`, never on message text, except to tell a licence refusal
// from a rights refusal (NOT_ALLOWED covers both). Digest §1.6 and §6 #6, #7.
import { CtiError, type ErrorCode } from '../../../shared/commands.js';
import { decodeBody, RestErrorInfo } from './codec.js';

/** What kind of endpoint answered: it changes what 401/403/404 mean. */
export type EndpointKind =
  /** GET /api/rest/authenticate: 401 = bad credentials. */
  | 'auth'
  /** /sessions, /sessions/keepalive: 403 = the session does not exist (L533, L565). */
  | 'session'
  /** An endpoint addressed by a callRef: NOT_FOUND = no such call. */
  | 'call'
  /** The event channel (polling URL): 403/404 = session or subscription gone. */
  | 'channel'
  | 'other';

/** A CtiError that remembers the HTTP status (the start-up's HA fallback looks at it). */
export class O2gError extends CtiError {
  readonly status: number | undefined;
  readonly info: RestErrorInfo | undefined;
  constructor(code: ErrorCode, message: string, vendorCode?: string, status?: number, info?: RestErrorInfo) {
    super(code, message, vendorCode);
    this.name = 'O2gError';
    this.status = status;
    this.info = info;
  }
}

const licence = /licen[cs]e/i;

export const O2G_ERROR_TYPES: Record<number, string> = {
  1000: 'NOT_READY',
  1001: 'INVALID_SESSION',
  1002: 'NOT_ALLOWED',
  1003: 'NOT_FOUND',
  1004: 'NOT_EXPECTED',
  1005: 'NOT_SUPPORTED',
  1006: 'BAD_PARAMETER',
  1007: 'SERVER_PROBLEM',
};

function vendorCodeOf(status: number, info: RestErrorInfo | undefined): string {
  const type = info?.type ?? (info?.code !== undefined ? O2G_ERROR_TYPES[info.code] : undefined);
  const sub = info?.telephony?.errorType ?? info?.routing?.errorType;
  if (type && sub) return `${type}/${sub}`;
  return type ?? sub ?? `HTTP ${status}`;
}

function detail(info: RestErrorInfo | undefined): string {
  if (!info) return '';
  const parts = [info.telephony?.message, info.routing?.message, info.helpMessage, info.innerMessage].filter(
    (p): p is string => typeof p === 'string' && p.trim() !== '',
  );
  const text = parts[0] ?? '';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** The contract code for an O2G error reply. */
export function errorCodeFor(status: number, info: RestErrorInfo | undefined, kind: EndpointKind): ErrorCode {
  const code = info?.code;
  const type = info?.type ?? (code !== undefined ? O2G_ERROR_TYPES[code] : undefined);
  const tel = info?.telephony?.errorType;
  if (kind === 'auth' && (status === 401 || status === 403)) return 'authFailed';
  if (status === 401) return 'sessionLost';
  if (type === 'INVALID_SESSION' || code === 1001) return 'sessionLost';
  if ((kind === 'session' || kind === 'channel') && status === 403) return 'sessionLost';
  if (kind === 'channel' && status === 404) return 'sessionLost';
  if (tel === 'CALL_REFERENCE_NOT_FOUND' || tel === 'LEG_NOT_FOUND') return 'noCall';
  if (tel === 'INCOMPATIBLE_WITH_STATE') return 'notPermitted';
  if (tel === 'REQUEST_TIMEOUT') return 'timeout';
  if (tel === 'SERVICE_UNAVAILABLE' && status >= 500) return 'linkDown';
  switch (type) {
    case 'NOT_READY':
      return 'linkDown';
    case 'NOT_ALLOWED': {
      const text = `${info?.innerMessage ?? ''} ${info?.helpMessage ?? ''} ${info?.telephony?.message ?? ''}`;
      return licence.test(text) ? 'limit' : 'rejected';
    }
    case 'NOT_FOUND':
      return kind === 'call' ? 'noCall' : 'invalid';
    case 'NOT_EXPECTED':
      return 'notPermitted';
    case 'NOT_SUPPORTED':
      return 'unsupported';
    case 'BAD_PARAMETER':
      return 'invalid';
    case 'SERVER_PROBLEM':
      return status === 503 || info?.httpStatus === 'SERVICE_UNAVAILABLE' ? 'linkDown' : 'rejected';
  }
  if (status === 503) return 'linkDown';
  if (status === 400) return 'invalid';
  if (status === 403) return 'rejected';
  if (status === 404) return kind === 'call' ? 'noCall' : 'unsupported';
  if (status === 405) return 'unsupported';
  if (status === 408 || status === 504) return 'timeout';
  return 'rejected';
}

/**
 * The CtiError for a non-2xx reply. A body that is not a RestErrorInfo JSON object is a protocol
 * error, except where the status alone decides (401/403 of the authentication, 401 anywhere else,
 * 403/404 of the channel, 403 of the session endpoints) and for a 503 (a proxy in front of a
 * server that is down answers with an HTML page).
 */
export function restError(op: string, status: number, body: string, kind: EndpointKind): O2gError {
  const decoded = body.trim() === '' ? null : decodeBody(RestErrorInfo, body);
  const info = decoded?.ok && (decoded.value.code !== undefined || decoded.value.type !== undefined) ? decoded.value : undefined;
  const vendorCode = vendorCodeOf(status, info);
  if (!info) {
    const statusDecides =
      (kind === 'auth' && (status === 401 || status === 403)) ||
      status === 401 ||
      ((kind === 'channel' || kind === 'session') && status === 403) ||
      (kind === 'channel' && status === 404) ||
      status === 503;
    if (!statusDecides) {
      const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 120);
      return new O2gError('protocol', `${op}: O2G answered HTTP ${status} without an error description${snippet ? ` ("${snippet}")` : ''}`, vendorCode, status);
    }
  }
  const code = errorCodeFor(status, info, kind);
  const text = detail(info);
  const what =
    code === 'authFailed'
      ? 'the O2G login or password was refused'
      : code === 'sessionLost'
        ? 'the O2G session is no longer valid'
        : code === 'linkDown'
          ? 'O2G or its PBX link is not available'
          : `O2G refused the request (HTTP ${status}${info?.code !== undefined ? `, ${info.code}` : ''})`;
  return new O2gError(code, `${op}: ${what}${text ? `: ${text}` : ''} [${vendorCode}]`, vendorCode, status, info);
}

/** Errors after which the start-up tries the other server of the HA pair. */
export function isFailoverError(err: unknown): boolean {
  if (!(err instanceof CtiError)) return false;
  if (err.code === 'unreachable' || err.code === 'timeout') return true;
  if (err instanceof O2gError && err.status !== undefined && err.status >= 500) return true;
  return err.code === 'linkDown';
}
