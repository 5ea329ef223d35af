// Admin helper: list the O2G server's logins (users) so an administrator can pick a profile's
// agent. Authenticates with an administrator account, opens an administrator session,
// GET /logins (and /logins?onlyACD for the ACD operators, L674), GET /users/{login} for names and
// devices (the first MAX_DETAILED logins, a few at a time), then closes the session.
import { readFile } from 'node:fs/promises';
import type { ServerLogin } from '../../../shared/bridge.js';
import { CtiError } from '../../../shared/commands.js';
import type { O2gServer, Profile } from '../../../shared/profile.js';
import { createTrace, type Logger } from '../../core/log.js';
import { LoginsResponse, User } from './codec.js';
import { isFailoverError } from './errors.js';
import { O2gHttp, type TlsTrust } from './http.js';
import { bootstrap, call, closeSession, type OpenSession } from './session.js';

export const MAX_DETAILED = 200;
const PARALLEL = 8;

export async function listO2gLogins(profile: Profile, admin: { login: string; password: string }, log: Logger): Promise<ServerLogin[]> {
  const conn = profile.connection;
  if (conn.vendor !== 'o2g') throw new CtiError('invalid', 'not an O2G profile');
  const servers: O2gServer[] = [conn.primary, ...(conn.secondary ? [conn.secondary] : [])];
  const trace = createTrace(log.child({ connector: 'o2g', admin: admin.login }), profile.trace);
  let last: unknown;
  for (let i = 0; i < servers.length; i++) {
    const server = servers[i] as O2gServer;
    const trust: TlsTrust = {};
    if (server.https) {
      if (conn.tls.pinSha256) trust.pinSha256 = conn.tls.pinSha256;
      if (conn.tls.caFile) {
        try {
          trust.caPem = await readFile(conn.tls.caFile, 'utf8');
        } catch (err) {
          throw new CtiError('invalid', `cannot read the O2G CA file ${conn.tls.caFile}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    const http = new O2gHttp({ tls: trust, timeoutMs: profile.commandTimeoutMs, trace });
    let open: OpenSession | null = null;
    try {
      open = await bootstrap({ http, server, login: admin.login, password: admin.password, applicationName: conn.applicationName, urls: conn.urls });
      if (open.info.admin === false) throw new CtiError('rejected', `${admin.login} is not an O2G administrator account`);
      return await collect(http, open);
    } catch (err) {
      last = err;
      if (i < servers.length - 1 && isFailoverError(err)) continue;
      throw CtiError.from(err);
    } finally {
      if (open) await closeSession(http, `${open.baseUrl}/sessions`, 1500);
      http.close();
    }
  }
  throw CtiError.from(last ?? new CtiError('unreachable', 'no O2G server configured'));
}

async function collect(http: O2gHttp, open: OpenSession): Promise<ServerLogin[]> {
  const base = open.baseUrl;
  let all: string[];
  try {
    all = (await call(http, 'list the logins', 'GET', `${base}/logins`, { schema: LoginsResponse })).value?.loginNames ?? [];
  } catch (err) {
    const e = CtiError.from(err);
    // A non-administrator gets 403 NOT_ALLOWED on an administrator listing.
    if (e.code === 'rejected' || e.code === 'limit') throw new CtiError('rejected', `the account cannot list O2G logins (not an administrator?): ${e.message}`, e.vendorCode);
    throw e;
  }
  let acd = new Set<string>();
  try {
    acd = new Set((await call(http, 'list the ACD operators', 'GET', `${base}/logins?onlyACD`, { schema: LoginsResponse })).value?.loginNames ?? []);
  } catch (err) {
    const e = CtiError.from(err);
    if (e.code === 'sessionLost' || e.code === 'unreachable' || e.code === 'timeout') throw e;
  }
  const logins = [...new Set(all)].sort((a, b) => a.localeCompare(b));
  const out: ServerLogin[] = logins.map((login) => ({ login, ...(acd.has(login) ? { acd: true } : {}) }));
  const detailed = out.slice(0, MAX_DETAILED);
  let next = 0;
  const worker = async () => {
    while (next < detailed.length) {
      const entry = detailed[next++] as ServerLogin;
      try {
        const { value } = await call(http, 'read a user', 'GET', `${base}/users/${encodeURIComponent(entry.login)}`, { schema: User });
        const name = [value?.firstName, value?.lastName].filter((x): x is string => !!x && x.trim() !== '').join(' ');
        if (name) entry.name = name;
        const device = value?.devices?.find((d) => d.type === 'DESKPHONE' && d.id)?.id ?? value?.devices?.find((d) => d.id)?.id ?? value?.companyPhone;
        if (device) entry.device = device;
      } catch (err) {
        const e = CtiError.from(err);
        if (e.code === 'sessionLost' || e.code === 'unreachable') throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, detailed.length) }, worker));
  return out;
}
