// Test rig for the TWS connector: a fake server, a connector on it, and an awaitable event log
// (main/connectors/test-event-log.ts, re-exported for the TWS tests).
import { CtiError } from '../../../../shared/commands.js';
import { EventLog } from '../../test-event-log.js';
import { Profile } from '../../../../shared/profile.js';
import type { Connector } from '../../../core/connector.js';
import { silentLogger, type Logger } from '../../../core/log.js';
import { createTwsConnector, type TwsConnectorOptions } from '../connector.js';
import { FakeTws, type FakeTwsOptions } from './fake-tws.js';

export function twsProfile(fake: FakeTws, connection: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Profile {
  return Profile.parse({
    id: 'tws-test',
    name: 'TWS test',
    device: '4694',
    agentId: '1000',
    commandTimeoutMs: 2000,
    keepAliveSec: 15,
    connection: {
      vendor: 'tws',
      host: '127.0.0.1',
      port: fake.port,
      tcpPort: fake.tcpPort,
      wsPort: fake.wsPort,
      username: 'agent1',
      ...connection,
    },
    ...extra,
  });
}

export interface Rig {
  fake: FakeTws;
  connector: Connector;
  log: EventLog;
  profile: Profile;
}

export const fastTiming: TwsConnectorOptions = { retryPreferredMs: 60_000, badFrameResyncMs: 20, tokenCheckMs: 300, pollWaitMs: 200 };

export async function rig(
  cleanups: Array<() => Promise<void> | void>,
  opts: {
    fake?: FakeTwsOptions;
    connection?: Record<string, unknown>;
    extra?: Record<string, unknown>;
    secret?: { password: string; apiKey?: string; agentPassword?: string } | null;
    options?: TwsConnectorOptions;
    start?: boolean;
    before?: (fake: FakeTws) => Promise<void> | void;
    log?: Logger;
    profile?: (fake: FakeTws) => Profile;
  } = {},
): Promise<Rig> {
  const fake = await FakeTws.start({ pollWaitMs: 200, ...opts.fake });
  cleanups.push(() => fake.close());
  await opts.before?.(fake);
  const profile = opts.profile?.(fake) ?? twsProfile(fake, opts.connection, opts.extra);
  const connector = createTwsConnector(
    { profile, secret: opts.secret === undefined ? { password: 'pw1', apiKey: 'key-1', agentPassword: '0000' } : opts.secret, log: opts.log ?? silentLogger() },
    { ...fastTiming, ...opts.options },
  );
  const log = new EventLog();
  connector.setListeners({ event: (e) => log.push(e), lost: (e) => log.pushLost(e), feed: (f) => log.pushFeed(f) });
  cleanups.push(() => connector.stop());
  if (opts.start !== false) await connector.start();
  return { fake, connector, log, profile };
}

export async function rejection(p: Promise<unknown>): Promise<CtiError> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof CtiError)) throw err;
    return err;
  }
  throw new Error('expected a rejection');
}

export { EventLog };
