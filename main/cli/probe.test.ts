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
    expect(() => probeProfile(['--vendor', 'acme', '--port', '1', '--device', '1'])).toThrow(/one of: telservices, o2g, tws, instantvoice, ctips/);
  });

  it('builds an InstantVoice profile: broker, account, agent and the access key from the environment', () => {
    env.PROBE_TEST_KEY = 'f054bbd2f5ebab9';
    env.PROBE_TEST_PW = 'sT0MpM3';
    const { profile, secret } = probeProfile(
      ['--vendor', 'instantvoice', '--port', '61613', '--device', '0001', '--agent', '1001', '--api-key-env', 'PROBE_TEST_KEY', '--password-env', 'PROBE_TEST_PW',
        '--user', 'instantvoice', '--accountcode', 'default', '--role', 'supervisor', '--ivws-port', '7789'],
    );
    expect(profile.connection).toMatchObject({ vendor: 'instantvoice', host: '127.0.0.1', port: 61613, brokerUser: 'instantvoice', accountcode: 'default', role: 'supervisor', ivws: { port: 7789 } });
    expect(profile.device).toBe('0001');
    expect(profile.agentId).toBe('1001');
    expect(secret).toEqual({ password: 'sT0MpM3', apiKey: 'f054bbd2f5ebab9' });
  });

  it('refuses an InstantVoice command line without the access key or the agent', () => {
    env.PROBE_TEST_KEY = 'k';
    expect(() => probeProfile(['--vendor', 'instantvoice', '--port', '61613', '--device', '0001', '--agent', '1001'])).toThrow(/--api-key-env is required/);
    expect(() => probeProfile(['--vendor', 'instantvoice', '--port', '61613', '--device', '0001', '--api-key-env', 'PROBE_TEST_KEY'])).toThrow(/--agent/);
    expect(() => probeProfile(['--vendor', 'instantvoice', '--port', '61613', '--device', '0001', '--agent', '1001', '--api-key-env', 'PROBE_TEST_KEY', '--role', 'boss'])).toThrow(
      /connection\.role/,
    );
  });

  it('builds a CTIPS profile: the portal pair, the portal account, the agent and the event service address', () => {
    env.PROBE_TEST_PW = 'Test01';
    const { profile, secret } = probeProfile(
      ['--vendor', 'ctips', '--port', '5101', '--secondary-port', '5102', '--device', '1101', '--agent', 'agent1101', '--user', 'Test01', '--password-env', 'PROBE_TEST_PW', '--tenant', '1', '--callback-port', '8730'],
    );
    expect(profile.connection).toMatchObject({
      vendor: 'ctips',
      portals: [{ host: '127.0.0.1', port: 5101, https: false }, { host: '127.0.0.1', port: 5102, https: false }],
      userName: 'Test01',
      tenantId: 1,
      callback: { bindHost: '127.0.0.1', port: 8730 },
    });
    expect(profile.agentId).toBe('agent1101');
    expect(secret).toEqual({ password: 'Test01' });
    expect(() => probeProfile(['--vendor', 'ctips', '--port', '5101', '--device', '1101', '--agent', 'agent1101'])).toThrow(/--user/);
    expect(() => probeProfile(['--vendor', 'ctips', '--port', '5101', '--device', '1101', '--agent', 'a', '--user', 'u', '--callback-host', '0.0.0.0'])).toThrow(/advertisedHost/);
  });

  it('reports an invalid TWS profile field by name', () => {
    env.PROBE_TEST_KEY = 'k';
    expect(() => probeProfile(['--vendor', 'tws', '--port', '5084', '--device', '4694', '--user', 'u', '--api-key-env', 'PROBE_TEST_KEY', '--feeds', 'tcp,tcp'])).toThrow(
      /connection\.feeds: each feed at most once/,
    );
  });
});
