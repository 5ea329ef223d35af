// `serve`: run headless as a site gateway (docs/gateway.md). One vendor session for the whole site
// (siteConnectionFactories), served to many desktops over WebSocket; each signs in as its agent.
// The site's password comes from the CTI_SECRET_PASSWORD environment variable, never from argv.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CtiError } from '../../shared/commands.js';
import { GATEWAY_DEFAULT_PORT } from '../../shared/gateway.js';
import type { GatewayAccount, Profile, ProfileSecret } from '../../shared/profile.js';
import { siteConnectionFactories } from '../connectors/index.js';
import { createLogger } from '../core/log.js';
import type { SiteLinkState } from '../core/site.js';
import { AccountBook } from '../gateway/accounts.js';
import { checkGatewayBinding, startGateway } from '../gateway/server.js';
import { checkProfile } from '../profiles/validate.js';
import { UsageError } from './util.js';

export const SECRET_ENV = 'CTI_SECRET_PASSWORD';

export const serveUsage = `serve --profile FILE [--host H] [--port P]
      site gateway: one vendor session for the site, served to many desktops (docs/gateway.md);
      the site account's password is read from $${SECRET_ENV}`;

export interface ServeSettings {
  profile: Profile;
  host: string;
  port: number;
  certFile: string | undefined;
  keyFile: string | undefined;
  accounts: GatewayAccount[];
}

/** The profile file and the command line → what to serve. Throws UsageError for the user's mistakes. */
export function serveSettings(argv: string[]): ServeSettings {
  const { values } = parseArgs({
    args: argv,
    options: { profile: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.profile) throw new UsageError('serve needs --profile FILE');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(values.profile, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read profile ${values.profile}: ${(err as Error).message}`);
  }
  const checked = checkProfile(raw);
  if (!checked.ok) throw new UsageError(`invalid profile ${values.profile}:\n  ${checked.errors.join('\n  ')}`);
  const profile = checked.profile;
  const c = profile.connection;
  if (c.vendor === 'ctips' && c.gateway) {
    throw new UsageError(`profile ${profile.id} connects through a gateway itself; a gateway needs the portals (remove its "gateway" block)`);
  }
  const serve = c.vendor === 'ctips' ? c.serve : null;
  const port = values.port === undefined ? (serve?.port ?? GATEWAY_DEFAULT_PORT) : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes 0 to 65535, not ${values.port}`);
  const host = values.host?.trim() || serve?.host || '127.0.0.1';
  return { profile, host, port, certFile: serve?.certFile, keyFile: serve?.keyFile, accounts: serve?.accounts ?? [] };
}

/** SIGINT / SIGTERM as a promise, with its handlers removed by `dispose` (or once it fired). */
function stopSignal(): { fired: Promise<'signal'>; dispose: () => void } {
  let dispose = () => {};
  const fired = new Promise<'signal'>((resolve) => {
    const on = () => {
      dispose();
      resolve('signal');
    };
    dispose = () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  return { fired, dispose };
}

function describeLink(l: SiteLinkState): string {
  return `site link ${l.state}: ${l.detail}${l.server ? ` (${l.server})` : ''}`;
}

export async function runServe(argv: string[]): Promise<number> {
  const s = serveSettings(argv);
  const vendor = s.profile.connection.vendor;
  const factory = siteConnectionFactories[vendor];
  if (!factory) {
    const served = Object.keys(siteConnectionFactories);
    console.error(`serve: ${vendor} profiles cannot be served through a site gateway (${served.length ? `this build serves: ${served.join(', ')}` : 'this build has no site connection yet'})`);
    return 2;
  }
  let tls: { certPem: string; keyPem: string } | undefined;
  if (s.certFile && s.keyFile) {
    try {
      tls = { certPem: await readFile(s.certFile, 'utf8'), keyPem: await readFile(s.keyFile, 'utf8') };
    } catch (err) {
      console.error(`serve: cannot read the gateway's certificate or key: ${(err as Error).message}`);
      return 1;
    }
  }
  // Refuse an unsafe binding or an unusable account before any session is opened at the portal.
  try {
    checkGatewayBinding({ host: s.host, tls: Boolean(tls), accounts: s.accounts.length });
    new AccountBook(s.accounts);
  } catch (err) {
    console.error(`serve: ${(err as Error).message}`);
    return 2;
  }
  const password = process.env[SECRET_ENV];
  const secret: ProfileSecret | null = password === undefined ? null : { password };
  if (!secret) console.error(`serve: ${SECRET_ENV} is not set: signing in to ${vendor} without a password`);

  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'info', destination: process.stderr as never, name: 'cti-gateway' });
  const signal = stopSignal();
  const site = factory({ profile: s.profile, secret, log });
  const offLink = site.onLink((l) => console.log(describeLink(l)));
  const shutdown = async (code: number) => {
    signal.dispose();
    offLink();
    await site.stop();
    return code;
  };
  try {
    const first = await Promise.race([site.start().then(() => 'up' as const), signal.fired]);
    if (first === 'signal') return await shutdown(0);
  } catch (err) {
    console.error(`serve: the site session did not start: ${CtiError.from(err).message}`);
    return await shutdown(1);
  }
  let gateway;
  try {
    gateway = await startGateway({ site, accounts: s.accounts, host: s.host, port: s.port, tls, log });
  } catch (err) {
    console.error(`serve: ${(err as Error).message}`);
    return await shutdown(1);
  }
  console.log(`gateway listening ${gateway.url}`);
  await signal.fired;
  console.log('gateway stopping');
  await gateway.close();
  return await shutdown(0);
}
