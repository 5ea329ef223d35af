import { afterEach, describe, expect, it } from 'vitest';
import { probeProfile } from './probe.js';
import { UsageError } from './util.js';

const env = process.env;
afterEach(() => {
  delete env.PROBE_TEST_KEY;
  delete env.PROBE_TEST_PW;
  delete env.PROBE_TEST_AGENT_PW;
});

describe('probe command line', () => {
  it('builds a TWS profile and its secret from the options and the environment', () => {
    env.PROBE_TEST_KEY = 'Adm1n+Key/Test==';
    env.PROBE_TEST_PW = 'pw4694';
    env.PROBE_TEST_AGENT_PW = 'x';
    const { profile, secret } = probeProfile(
      ['--vendor', 'tws', '--port', '5084', '--device', '4694', '--user', 'hpiaple', '--api-key-env', 'PROBE_TEST_KEY', '--password-env', 'PROBE_TEST_PW',
        '--agent-password-env', 'PROBE_TEST_AGENT_PW', '--api', 'soap', '--feeds', 'websocket,poll', '--tcp-port', '5086', '--ws-port', '5087', '--colleagues', '4594, 3000', '--agent', '1000', '--agent-group', '1100'],
    );
    expect(profile.connection).toMatchObject({
      vendor: 'tws',
      host: '127.0.0.1',
      port: 5084,
      api: 'soap',
      username: 'hpiaple',
      feeds: ['websocket', 'poll'],
      tcpPort: 5086,
      wsPort: 5087,
      colleagues: ['4594', '3000'],
      agentGroup: '1100',
      https: false,
    });
    expect(profile.agentId).toBe('1000');
    expect(secret).toEqual({ password: 'pw4694', apiKey: 'Adm1n+Key/Test==', agentPassword: 'x' });
  });

  it('refuses a TWS command line without a user or an API key', () => {
    expect(() => probeProfile(['--vendor', 'tws', '--port', '5084', '--device', '4694', '--api-key-env', 'NOPE'])).toThrow(/--user is required/);
    expect(() => probeProfile(['--vendor', 'tws', '--port', '5084', '--device', '4694', '--user', 'u'])).toThrow(UsageError);
    expect(() => probeProfile(['--vendor', 'acme', '--port', '1', '--device', '1'])).toThrow(/one of: telservices, o2g, tws/);
  });

  it('reports an invalid TWS profile field by name', () => {
    env.PROBE_TEST_KEY = 'k';
    expect(() => probeProfile(['--vendor', 'tws', '--port', '5084', '--device', '4694', '--user', 'u', '--api-key-env', 'PROBE_TEST_KEY', '--feeds', 'tcp,tcp'])).toThrow(
      /connection\.feeds: each feed at most once/,
    );
  });
});
