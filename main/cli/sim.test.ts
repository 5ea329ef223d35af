// `sim` command line: vendor list, --stomp parsing, and the one clear line when InstantVoice has no broker.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as BrokerModule from '../simulator/instantvoice/broker.js';

vi.mock('../simulator/instantvoice/broker.js', async (importOriginal) => ({
  ...(await importOriginal<typeof BrokerModule>()),
  brokerAvailable: () => false,
}));

const { defaultSimVendors, runSim, simUsage } = await import('./sim.js');
const { parseHostPort } = await import('./util.js');
const { startLab } = await import('../simulator/lab.js');

describe('sim', () => {
  afterEach(() => vi.restoreAllMocks());

  it('usage names ctips, instantvoice and the --stomp options; the default vendor list stays telservices,o2g,tws', () => {
    expect(simUsage).toContain('--vendor telservices,o2g,tws,ctips,instantvoice');
    expect(simUsage).toContain('--stomp HOST:PORT');
    expect(simUsage).toContain('--stomp-user');
    expect(simUsage).toContain('--stomp-password');
    expect(simUsage).toContain('default vendors: telservices,o2g,tws,');
    expect([...defaultSimVendors]).toEqual(['telservices', 'o2g', 'tws']);
  });

  it('--vendor ctips prints one listening line per portal of the HA pair (portal a, portal b), then the control API and ready', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    expect(await runSim(['--vendor', 'ctips', '--port-base', '0', '--seconds', '0'])).toBe(0);
    const lines = out.join('').split('\n').filter((l) => l.startsWith('{'));
    const ports = lines.map((l) => (JSON.parse(l) as { port?: number }).port);
    expect(lines).toEqual([
      `{"event":"listening","vendor":"ctips","transport":"soap","host":"127.0.0.1","port":${ports[0]},"portal":"a"}`,
      `{"event":"listening","vendor":"ctips","transport":"soap","host":"127.0.0.1","port":${ports[1]},"portal":"b"}`,
      `{"event":"listening","vendor":"lab","transport":"control","host":"127.0.0.1","port":${ports[2]}}`,
      '{"event":"ready"}',
    ]);
    expect(new Set(ports.slice(0, 3)).size).toBe(3);
    for (const p of ports.slice(0, 3)) expect(p).toBeGreaterThan(0);
  });

  it('parses --stomp HOST:PORT (IPv6 in brackets) and rejects the rest', () => {
    expect(parseHostPort('127.0.0.1:61613')).toEqual({ host: '127.0.0.1', port: 61613 });
    expect(parseHostPort('[::1]:61613')).toEqual({ host: '::1', port: 61613 });
    for (const bad of ['127.0.0.1', ':61613', 'host:0', 'host:70000', 'a:b']) expect(() => parseHostPort(bad), bad).toThrow(/HOST:PORT/);
  });

  it('without --vendor the lab runs telservices, o2g and tws as before; the CTIPS pair comes with the others when named', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    expect(await runSim(['--port-base', '0', '--seconds', '0'])).toBe(0);
    const defaults = out.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(new Set(defaults.filter((e) => e.event === 'listening').map((e) => e.vendor))).toEqual(new Set(['telservices', 'o2g', 'tws', 'lab']));
    out.length = 0;
    expect(await runSim(['--vendor', 'telservices,o2g,tws,ctips', '--port-base', '0', '--seconds', '0'])).toBe(0);
    const events = out.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const listening = events.filter((e) => e.event === 'listening');
    expect(new Set(listening.map((e) => e.vendor))).toEqual(new Set(['telservices', 'o2g', 'tws', 'ctips', 'lab']));
    expect(listening.filter((e) => e.vendor === 'ctips').map((e) => [e.transport, e.portal])).toEqual([
      ['soap', 'a'],
      ['soap', 'b'],
    ]);
    expect(events.at(-1)).toEqual({ event: 'ready' });
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
