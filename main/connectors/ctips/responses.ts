// Synchronous replies of the 27 operations (digest §1.5 #5, §3.5): `<OpResponse><OpResult>n</OpResult>`
// (an int; 0 = accepted, L270, L417) or, for OpenConnection, a ResponseCode/SessionObject with
// `SessionId` and a status field (L479, §7 #3); SOAP Faults (1.1 and 1.2) for rejected requests
// (L417, L1839). The manual lists no status codes: a non-zero value is an error whose message
// says so; the digest's [SIM] codes are named when they match. Pure; never throws.
import { escapeXmlAttr, escapeXmlText } from '../xml-text.js';
import { fail, okValue, type Decoded } from './result.js';
import { ctipsOperations, type CtipsOperation } from './schema.js';
import { buildEnvelope, buildFault, child, ctipsSoapAction, decodeFault, DEFAULT_CTIPS_PROFILE, faultMessage, isNil, type CtipsWireProfile, type XmlOptions, parseEnvelope } from './wire.js';

export interface CtipsResponse {
  operation: CtipsOperation;
  /** The int result, or OpenConnection's status. 0 = success. */
  status: number;
  /** OpenConnection only: the session id (null when absent or nil). */
  sessionId: string | null;
  /** The RequestId of the request this answers, when the caller passed it (replies carry none, §2.8). */
  requestId: number | null;
  message: string;
}

/**
 * Status codes: the manual enumerates none (§3.5). 0 is success (L479); the others are the
 * digest's [SIM] simulator codes for OpenConnection, named only so that logs read well.
 */
export const ctipsStatusCodes: Readonly<Record<number, { name: string; message: string }>> = {
  0: { name: 'Success', message: 'Success' },
  1: { name: 'InvalidCredentials', message: 'Unknown user or wrong password [SIM code]' },
  2: { name: 'InvalidTenant', message: 'Tenant list empty, with more than one tenant, or unknown tenant [SIM code]' },
  3: { name: 'MaxConnectionsReached', message: 'The maximum number of connections (10) has been reached [SIM code]' },
  4: { name: 'CallbackUnreachable', message: 'CTIPS could not reach the client callback URL [SIM code]' },
  5: { name: 'CallbackRejected', message: 'The client callback rejected StartSession [SIM code]' },
  99: { name: 'InternalError', message: 'Internal error [SIM code]' },
};

export function describeStatus(op: CtipsOperation, status: number): string {
  if (status === 0) return 'Success';
  const known = op === 'OpenConnection' ? ctipsStatusCodes[status] : undefined;
  return known ? `${op} failed: status ${status} (${known.name}: ${known.message})` : `${op} failed: status ${status} (CTIPS status codes are not documented)`;
}

export interface ResponseOptions extends XmlOptions {
  /** The operation the reply is expected for: a reply for another one is `badShape`. */
  operation?: CtipsOperation;
  /** Echoed into the result (the reply itself carries no RequestId). */
  requestId?: number;
}

const INT_RE = /^[+-]?[0-9]{1,10}$/;

/**
 * Decode a reply. Fault → `fault` (with the decoded fault); a non-zero int or OpenConnection
 * status, or an OpenConnection without SessionId → `status`; else the response.
 */
export function decodeCtipsResponse(input: string | Uint8Array, opts: ResponseOptions = {}): Decoded<CtipsResponse> {
  const env = parseEnvelope(input, opts);
  if (!env.ok) return env;
  const p = env.value.payload;
  const fault = decodeFault(p, env.value.soapVersion);
  if (fault) return fail('fault', faultMessage(fault), { fault });
  const m = /^(.*)Response$/.exec(p.name);
  const op = m ? ctipsOperations.find((o) => o.toLowerCase() === (m[1] as string).toLowerCase()) : undefined;
  if (op === undefined) return fail('unknownOperation', `not a CTIPS operation response: <${p.name.slice(0, 60)}>`);
  if (opts.operation !== undefined && opts.operation !== op) return fail('badShape', `expected ${opts.operation}Response, got <${p.name.slice(0, 60)}>`);
  const result = child(p, `${op}Result`) ?? (p.children.length === 1 ? p.children[0] : undefined);
  if (!result) return fail('badShape', `<${p.name}> has no ${op}Result`);
  const requestId = opts.requestId ?? null;
  if (op === 'OpenConnection') {
    const sid = child(result, 'SessionId');
    const st = child(result, 'Status') ?? child(result, 'ResponseCode') ?? child(result, 'StatusCode');
    const sessionId = sid && !isNil(sid) && sid.text !== '' ? sid.text : null;
    if (st && !INT_RE.test(st.text)) return fail('badShape', `OpenConnection status is not an integer: "${st.text.slice(0, 40)}"`);
    const status = st ? Number(st.text) : sessionId !== null ? 0 : -1;
    if (status !== 0) return fail('status', describeStatus(op, status), { status });
    if (sessionId === null) return fail('status', 'OpenConnection returned status 0 without a SessionId', { status });
    return okValue({ operation: op, status, sessionId, requestId, message: 'Success' });
  }
  if (!INT_RE.test(result.text)) return fail('badShape', `${op}Result is not an integer: "${result.text.slice(0, 40)}"`);
  const status = Number(result.text);
  if (status !== 0) return fail('status', describeStatus(op, status), { status });
  return okValue({ operation: op, status, sessionId: null, requestId, message: 'Success' });
}

/** Encode a reply (simulator side; round-trip tests). */
export function encodeCtipsResponse(op: CtipsOperation, status: number, sessionId: string | null = null, profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE): string {
  const ns = escapeXmlAttr(profile.requestNamespace);
  const inner =
    op === 'OpenConnection'
      ? `<OpenConnectionResult xmlns:a="${escapeXmlAttr(profile.dataNamespace)}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
        `${sessionId === null ? '<a:SessionId i:nil="true"/>' : `<a:SessionId>${escapeXmlText(sessionId)}</a:SessionId>`}<a:Status>${Math.trunc(status)}</a:Status></OpenConnectionResult>`
      : `<${op}Result>${Math.trunc(status)}</${op}Result>`;
  return buildEnvelope(profile, `<${op}Response xmlns="${ns}">${inner}</${op}Response>`, `${ctipsSoapAction(profile, 'request', op)}Response`);
}

/** Encode a fault reply (simulator side; tests). */
export function encodeCtipsFault(code: 'Client' | 'Server', reason: string, profile: CtipsWireProfile = DEFAULT_CTIPS_PROFILE, ctiFault?: { code: number; message: string }): string {
  return buildEnvelope(profile, buildFault(profile, code, reason, ctiFault), 'http://www.w3.org/2005/08/addressing/soap/fault');
}
