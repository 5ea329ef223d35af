// `sim` command line: vendor list, --stomp parsing, and the one clear line when InstantVoice has no broker.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as BrokerModule from '../simulator/instantvoice/broker.js';

vi.mock('../simulator/instantvoice/broker.js', async (importOriginal) => ({
  ...(await importOriginal<typeof BrokerModule>()),
  brokerAvailable: () => false,
}));

const { runSim, simUsage } = await import('./sim.js');
const { parseHostPort } = await import('./util.js');
const { startLab } = await import('../simulator/lab.js');

describe('sim', () => {
  afterEach(() => vi.restoreAllMocks());

  it('usage names instantvoice and the --stomp options; the default vendor list stays telservices,o2g,tws', () => {
    expect(simUsage).toContain('instantvoice');
    expect(simUsage).toContain('--stomp HOST:PORT');
    expect(simUsage).toContain('--stomp-user');
    expect(simUsage).toContain('--stomp-password');
    expect(simUsage).toContain('default vendors: telservices,o2g,tws');
  });

  it('parses --stomp HOST:PORT (IPv6 in brackets) and rejects the rest', () => {
    expect(parseHostPort('127.0.0.1:61613')).toEqual({ host: '127.0.0.1', port: 61613 });
    expect(parseHostPort('[::1]:61613')).toEqual({ host: '::1', port: 61613 });
    for (const bad of ['127.0.0.1', ':61613', 'host:0', 'host:70000', 'a:b']) expect(() => parseHostPort(bad), bad).toThrow(/HOST:PORT/);
  });

  it('rejects an unknown vendor', async () => {
    await expect(runSim(['--vendor', 'telservices,nosuch'])).rejects.toThrow(/unknown vendor nosuch/);
  });

  it('--vendor instantvoice without --stomp and without rabbitmq-server: exit 1 and one clear line', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await runSim(['--vendor', 'telservices,instantvoice', '--port-base', '0', '--seconds', '0'])).toBe(1);
    expect(err).toHaveBeenCalledTimes(1);
    expect(err.mock.calls[0]?.[0]).toBe('error: a STOMP broker is needed: install rabbitmq-server or pass --stomp HOST:PORT');
  });

  it('startLab refuses instantvoice without a broker, and a --stomp broker that does not answer fails in bounded time', async () => {
    await expect(startLab({ vendors: ['instantvoice'], portBase: 0 })).rejects.toThrow('a STOMP broker is needed: install rabbitmq-server or pass --stomp HOST:PORT');
    await expect(
      startLab({ vendors: ['instantvoice'], portBase: 0, instantvoice: { stomp: { host: '127.0.0.1', port: 1, user: 'instantvoice', password: 'sT0MpM3' }, connectTimeoutMs: 800 } }),
    ).rejects.toThrow(/could not connect to the STOMP broker 127\.0\.0\.1:1/);
  });
});
