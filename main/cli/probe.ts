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
      [--http] [--secondary-port P] [--keepalive S] [--trace] [--seconds N]`;

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
      keepalive: { type: 'string' },
      trace: { type: 'boolean', default: false },
      seconds: { type: 'string' },
    },
    strict: true,
  });
  const seconds = values.seconds === undefined ? null : Number(values.seconds);
  if (seconds !== null && !(seconds > 0)) throw new UsageError('--seconds takes a positive number');
  const password = values['password-env'] ? (process.env[values['password-env']] ?? '') : '';
  const secret = password ? { password } : null;
  let raw: unknown;
  if (values.profile) {
    try {
      raw = JSON.parse(readFileSync(values.profile, 'utf8'));
    } catch (err) {
      throw new UsageError(`cannot read profile ${values.profile}: ${(err as Error).message}`);
    }
  } else {
    if (values.vendor !== 'telservices' && values.vendor !== 'o2g') throw new UsageError(`--vendor must be one of: telservices, o2g (got ${values.vendor ?? 'nothing'})`);
    if (!values.port || !values.device) throw new UsageError('--port and --device are required without --profile');
    if (values.vendor === 'o2g' && !values.login) throw new UsageError('--login is required with --vendor o2g');
    const server = (port: string) => ({ host: values.host, port: Number(port), https: !values.http });
    const connection =
      values.vendor === 'o2g'
        ? {
            vendor: 'o2g',
            primary: server(values.port),
            secondary: values['secondary-port'] ? server(values['secondary-port']) : null,
            login: values.login,
            tls: { ...(values.ca ? { caFile: values.ca } : {}), ...(values.pin ? { pinSha256: values.pin } : {}) },
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
