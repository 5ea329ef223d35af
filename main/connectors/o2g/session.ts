// O2G bootstrap and REST calls (manual L9–L117, digest §1.1–§1.4, §2.1):
//   GET /api/rest (discovery) → version 1.0 → GET its authentication URL with Basic credentials
//   (Set-Cookie AlcUserId) → POST /api/rest/1.0/sessions {applicationName} (Set-Cookie JSESSIONID,
//   SessionInfo) → REST calls under the session's base URL → DELETE /sessions.
// Used by the connector and by the admin helper.
import type { z } from 'zod';
import { CtiError } from '../../../shared/commands.js';
import type { O2gServer } from '../../../shared/profile.js';
import { AuthenticateResponse, decodeBody, RoxeRestApiDescriptor, SessionInfo } from './codec.js';
import { restError, type EndpointKind } from './errors.js';
import type { HttpReply, O2gHttp } from './http.js';

export const API_VERSION = '1.0';

export type UrlChoice = 'internal' | 'public';

export function serverOrigin(server: O2gServer): string {
  const host = server.host.includes(':') && !server.host.startsWith('[') ? `[${server.host}]` : server.host;
  return `${server.https ? 'https' : 'http'}://${host}:${server.port}`;
}

export function serverLabel(server: O2gServer): string {
  return `${server.host}:${server.port}`;
}

/** Pick the internal or public URL of a pair, falling back to the other when one is missing. */
export function pickUrl(choice: UrlChoice, internal: string | undefined, pub: string | undefined): string | undefined {
  const a = choice === 'public' ? pub : internal;
  const b = choice === 'public' ? internal : pub;
  return a && a.trim() !== '' ? a : b && b.trim() !== '' ? b : undefined;
}

/**
 * Resolve a URL the server handed out. Relative URLs are taken against the server's origin. A
 * plain-http URL while the profile asks for TLS is refused: credentials never leave over plain HTTP.
 */
export function resolveServerUrl(url: string, server: O2gServer, what: string): string {
  let u: URL;
  try {
    u = new URL(url, `${serverOrigin(server)}/`);
  } catch {
    throw new CtiError('protocol', `O2G gave an unusable ${what} URL: ${url.slice(0, 200)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CtiError('protocol', `O2G gave a non-HTTP ${what} URL: ${u.protocol}`);
  if (server.https && u.protocol === 'http:') {
    throw new CtiError('rejected', `O2G gave a plain-http ${what} URL (${u.origin}) on a TLS connection; refusing to send credentials without TLS`);
  }
  return u.toString();
}

/** One REST call: non-2xx → the mapped CtiError; 2xx with a schema → the decoded DTO. */
export async function call<S extends z.ZodType>(
  http: O2gHttp,
  op: string,
  method: string,
  url: string,
  opts: { body?: unknown; rawJson?: string; schema?: S; kind?: EndpointKind; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ reply: HttpReply; value: z.infer<S> | undefined }> {
  const reply = await http.request(method, url, {
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    ...(opts.rawJson !== undefined ? { rawJson: opts.rawJson } : {}),
    ...(opts.headers ? { headers: opts.headers } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
  if (reply.status < 200 || reply.status >= 300) throw restError(op, reply.status, reply.text, opts.kind ?? 'other');
  if (!opts.schema) return { reply, value: undefined };
  if (reply.status === 204 || reply.text.trim() === '') {
    throw new CtiError('protocol', `${op}: O2G answered ${reply.status} without the expected body`);
  }
  const decoded = decodeBody(opts.schema, reply.text);
  if (!decoded.ok) throw new CtiError('protocol', `${op}: O2G sent an unreadable reply: ${decoded.error.kind}: ${decoded.error.message}`);
  return { reply, value: decoded.value };
}

export interface OpenSession {
  server: O2gServer;
  descriptor: RoxeRestApiDescriptor;
  info: SessionInfo;
  /** `.../api/rest/1.0`, from SessionInfo (or derived from the sessions URL). */
  baseUrl: string;
  sessionsUrl: string;
  /** Lower-cased service names, or null when the server did not list services (assume all). */
  services: Set<string> | null;
}

export interface BootstrapOptions {
  http: O2gHttp;
  server: O2gServer;
  login: string;
  password: string;
  applicationName: string;
  urls: UrlChoice;
  /** Timeout of the first request (discovery): short when a secondary server can take over. */
  discoveryTimeoutMs?: number;
  /** Checked between steps; a superseded start-up stops there. */
  checkpoint?: () => void;
}

/** Discovery → authentication → session. Throws CtiError; the session is not closed on failure here. */
export async function bootstrap(o: BootstrapOptions): Promise<OpenSession> {
  const step = () => o.checkpoint?.();
  const origin = serverOrigin(o.server);
  const { value: descriptor } = await call(o.http, 'discovery', 'GET', `${origin}/api/rest`, {
    schema: RoxeRestApiDescriptor,
    ...(o.discoveryTimeoutMs !== undefined ? { timeoutMs: o.discoveryTimeoutMs } : {}),
  });
  step();
  const desc = descriptor as RoxeRestApiDescriptor;
  const version = desc.versions.find((v) => v.id === API_VERSION);
  if (!version) {
    throw new CtiError('unsupported', `O2G offers API version(s) ${desc.versions.map((v) => v.id).join(', ') || '(none)'}; this desktop speaks ${API_VERSION}`);
  }
  const authRaw = pickUrl(o.urls, version.internalUrl, version.publicUrl) ?? `/api/rest/authenticate?version=${API_VERSION}`;
  const authUrl = resolveServerUrl(authRaw, o.server, 'authentication');

  const token = Buffer.from(`${o.login}:${o.password}`, 'utf8').toString('base64');
  o.http.addSecret(token);
  o.http.addSecret(o.password);
  const { value: auth } = await call(o.http, 'authenticate', 'GET', authUrl, {
    schema: AuthenticateResponse,
    kind: 'auth',
    headers: { Authorization: `Basic ${token}` },
  });
  step();
  const authBody = auth as AuthenticateResponse;
  if (!o.http.cookies.get('AlcUserId')) {
    // The cookie is the session key (L72); the body's credential carries the same value [INF].
    if (!authBody.credential) throw new CtiError('protocol', 'authenticate: O2G set no AlcUserId cookie and sent no credential');
    o.http.cookies.set('AlcUserId', authBody.credential);
  }
  o.http.addSecret(authBody.credential);
  o.http.addSecret(o.http.cookies.get('AlcUserId'));

  const sessionsRaw = pickUrl(o.urls, authBody.internalUrl, authBody.publicUrl) ?? `/api/rest/${API_VERSION}/sessions`;
  const sessionsUrl = resolveServerUrl(sessionsRaw, o.server, 'session');
  const { value: info } = await call(o.http, 'open the session', 'POST', sessionsUrl, {
    schema: SessionInfo,
    kind: 'session',
    body: { applicationName: o.applicationName },
  });
  step();
  const sessionInfo = info as SessionInfo;
  o.http.addSecret(o.http.cookies.get('JSESSIONID'));
  const baseRaw = pickUrl(o.urls, sessionInfo.privateBaseUrl, sessionInfo.publicBaseUrl) ?? sessionsUrl.replace(/\/sessions\/?(\?.*)?$/, '');
  const baseUrl = resolveServerUrl(baseRaw, o.server, 'service').replace(/\/+$/, '');
  const services = sessionInfo.services ? new Set(sessionInfo.services.map((s) => s.serviceName.toLowerCase())) : null;
  return { server: o.server, descriptor: desc, info: sessionInfo, baseUrl, sessionsUrl, services };
}

/** DELETE /sessions, best effort (never throws). */
export async function closeSession(http: O2gHttp, sessionsUrl: string, timeoutMs: number): Promise<void> {
  try {
    await http.request('DELETE', sessionsUrl, { timeoutMs });
  } catch {
    // The session expires on its own (timeToLive).
  }
}
