// `probe`: connect one connector and print every normalized event as one JSON line.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Profile, parseProfile } from '../../shared/profile.js';
import type { ProfileSecret } from '../../shared/profile.js';
import { createConnector } from '../connectors/index.js';
import { createLogger } from '../core/log.js';
import { SessionSupervisor } from '../core/supervisor.js';
import { UsageError, printJsonLine, waitForSignalOrTimeout } from './util.js';

export const probeUsage = `probe --profile FILE [--seconds N]
probe --vendor telservices --host H --port P --device D [--transport tcp|http] [--events udp|longPoll]
      [--udp-port N] [--agent ID] [--password-env VAR] [--keepalive S] [--trace] [--seconds N]
probe --vendor o2g --host H --port P --device D --login L [--password-env VAR] [--ca FILE | --pin SHA256]
      [--http] [--secondary-port P] [--keepalive S] [--trace] [--seconds N]
probe --vendor tws --host H --port P --device D --user U --api-key-env VAR [--password-env VAR]
      [--api json|xml|soap] [--feeds tcp,websocket,poll] [--tcp-port P] [--ws-port P] [--https] [--wss]
      [--ca FILE | --pin SHA256] [--agent ID] [--agent-group G] [--agent-password-env VAR] [--pbx alcatel|other]
      [--colleagues N,N] [--keepalive S] [--trace] [--seconds N]
probe --vendor instantvoice --host H --port P --device SIPNAME --agent N --api-key-env VAR [--password-env VAR]
      [--user BROKERUSER] [--vhost V] [--accountcode A] [--interface TECH/name] [--role agent|supervisor|admin]
      [--ivws-port P] [--keepalive S] [--trace] [--seconds N]
probe --vendor ctips --host H --port P [--secondary-port P] --device STATION --agent LOGIN --user PORTALUSER
      [--password-env VAR] [--tenant N] [--https] [--callback-host H] [--callback-port P] [--advertise H]
      [--role agent|supervisor] [--keepalive S] [--trace] [--seconds N]`;

const vendors = ['telservices', 'o2g', 'tws', 'instantvoice', 'ctips'] as const;

/** The environment variable's value, or '' when the option was not given. */
function fromEnv(name: string | undefined): string {
  return name ? (process.env[name] ?? '') : '';
}

export function probeProfile(argv: string[]): { profile: Profile; secret: ProfileSecret | null; seconds: number | null } {
  const { values } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string' },
      vendor: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      device: { type: 'string' },
      transport: { type: 'string' },
      events: { type: 'string' },
      'udp-port': { type: 'string' },
      agent: { type: 'string' },
      login: { type: 'string' },
      ca: { type: 'string' },
      pin: { type: 'string' },
      http: { type: 'boolean', default: false },
      'secondary-port': { type: 'string' },
      'password-env': { type: 'string' },
      user: { type: 'string' },
      'api-key-env': { type: 'string' },
      'agent-password-env': { type: 'string' },
      'agent-group': { type: 'string' },
      api: { type: 'string' },
      feeds: { type: 'string' },
      'tcp-port': { type: 'string' },
      'ws-port': { type: 'string' },
      https: { type: 'boolean', default: false },
      wss: { type: 'boolean', default: false },
      pbx: { type: 'string' },
      colleagues: { type: 'string' },
      vhost: { type: 'string' },
      accountcode: { type: 'string' },
      interface: { type: 'string' },
      role: { type: 'string' },
      'ivws-port': { type: 'string' },
      tenant: { type: 'string' },
      'callback-host': { type: 'string' },
      'callback-port': { type: 'string' },
      advertise: { type: 'string' },
      keepalive: { type: 'string' },
      trace: { type: 'boolean', default: false },
      seconds: { type: 'string' },
    },
    strict: true,
  });
  const seconds = values.seconds === undefined ? null : Number(values.seconds);
  if (seconds !== null && !(seconds > 0)) throw new UsageError('--seconds takes a positive number');
  const password = fromEnv(values['password-env']);
  const apiKey = fromEnv(values['api-key-env']);
  const agentPassword = fromEnv(values['agent-password-env']);
  const secret = password || apiKey || agentPassword ? { password, ...(apiKey ? { apiKey } : {}), ...(agentPassword ? { agentPassword } : {}) } : null;
  let raw: unknown;
  if (values.profile) {
    try {
      raw = JSON.parse(readFileSync(values.profile, 'utf8'));
    } catch (err) {
      throw new UsageError(`cannot read profile ${values.profile}: ${(err as Error).message}`);
    }
  } else {
    if (!(vendors as readonly (string | undefined)[]).includes(values.vendor)) throw new UsageError(`--vendor must be one of: ${vendors.join(', ')} (got ${values.vendor ?? 'nothing'})`);
    if (!values.port || !values.device) throw new UsageError('--port and --device are required without --profile');
    if (values.vendor === 'o2g' && !values.login) throw new UsageError('--login is required with --vendor o2g');
    if (values.vendor === 'tws' && !values.user) throw new UsageError('--user is required with --vendor tws');
    if (values.vendor === 'tws' && !apiKey) throw new UsageError('--api-key-env is required with --vendor tws (the variable holding the API key)');
    if (values.vendor === 'instantvoice' && !apiKey) throw new UsageError('--api-key-env is required with --vendor instantvoice (the variable holding the access key)');
    if (values.vendor === 'ctips' && (!values.agent || !values.user)) throw new UsageError('--agent (the agent login name) and --user (the portal account) are required with --vendor ctips');
    if (values.vendor === 'instantvoice' && !values.agent) throw new UsageError('--agent (the agent number, e.g. 1001) is required with --vendor instantvoice');
    const list = (v: string | undefined) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
    const tls = { ...(values.ca ? { caFile: values.ca } : {}), ...(values.pin ? { pinSha256: values.pin } : {}) };
    const server = (port: string) => ({ host: values.host, port: Number(port), https: !values.http });
    const connection =
      values.vendor === 'o2g'
        ? {
            vendor: 'o2g',
            primary: server(values.port),
            secondary: values['secondary-port'] ? server(values['secondary-port']) : null,
            login: values.login,
            tls,
          }
        : values.vendor === 'tws'
          ? {
              vendor: 'tws',
              host: values.host,
              port: Number(values.port),
              https: values.https,
              username: values.user,
              ...(values.api ? { api: values.api } : {}),
              ...(list(values.feeds) ? { feeds: list(values.feeds) } : {}),
              ...(values['tcp-port'] ? { tcpPort: Number(values['tcp-port']) } : {}),
              ...(values['ws-port'] ? { wsPort: Number(values['ws-port']) } : {}),
              wss: values.wss,
              ...(values.pbx ? { pbx: values.pbx } : {}),
              ...(values['agent-group'] ? { agentGroup: values['agent-group'] } : {}),
              ...(list(values.colleagues) ? { colleagues: list(values.colleagues) } : {}),
              tls,
            }
          : values.vendor === 'instantvoice'
            ? {
                vendor: 'instantvoice',
                host: values.host,
                port: Number(values.port),
                ...(values.user ? { brokerUser: values.user } : {}),
                ...(values.vhost ? { vhost: values.vhost } : {}),
                ...(values.accountcode ? { accountcode: values.accountcode } : {}),
                ...(values.interface ? { interface: values.interface } : {}),
                ...(values.role ? { role: values.role } : {}),
                ...(values['ivws-port'] ? { ivws: { port: Number(values['ivws-port']) } } : {}),
              }
            : values.vendor === 'ctips'
              ? {
                  vendor: 'ctips',
                  portals: [values.port, values['secondary-port']].filter((p): p is string => p !== undefined).map((p) => ({ host: values.host, port: Number(p), https: values.https })),
                  userName: values.user,
                  ...(values.tenant ? { tenantId: Number(values.tenant) } : {}),
                  callback: {
                    bindHost: values['callback-host'] ?? (values.host === '::1' ? '::1' : '127.0.0.1'),
                    ...(values['callback-port'] ? { port: Number(values['callback-port']) } : {}),
                    ...(values.advertise ? { advertisedHost: values.advertise } : {}),
                  },
                  ...(values.role ? { role: values.role } : {}),
                  tls,
                }
              : null;
    raw = {
      id: 'probe',
      name: 'probe',
      device: values.device,
      agentId: values.agent ?? '',
      keepAliveSec: values.keepalive ? Number(values.keepalive) : 5,
      trace: values.trace,
      connection: connection ?? {
        vendor: 'telservices',
        host: values.host,
        port: Number(values.port),
        ...(values.transport ? { transport: values.transport } : {}),
        ...(values.events ? { events: values.events } : {}),
        ...(values['udp-port'] ? { udpPort: Number(values['udp-port']) } : {}),
        udpBind: values.host === '::1' ? '::1' : '127.0.0.1',
      },
    };
  }
  const parsed = parseProfile(raw);
  if (!parsed.ok) throw new UsageError(`invalid profile:\n  ${parsed.errors.join('\n  ')}`);
  return { profile: Profile.parse(parsed.profile), secret, seconds };
}

export async function runProbe(argv: string[]): Promise<number> {
  const { profile, secret, seconds } = probeProfile(argv);
  const log = createLogger({ level: profile.trace ? 'info' : 'warn', destination: process.stderr as never });
  const connector = createConnector({ profile, secret, log });
  const supervisor = new SessionSupervisor({
    profile,
    connector,
    log,
    emit: printJsonLine,
  });
  supervisor.start();
  await waitForSignalOrTimeout(seconds);
  await supervisor.stop();
  return 0;
}
