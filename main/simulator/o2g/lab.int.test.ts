// The O2G front-end in the lab: with TelServices on one core, the control API's calls to the pilot and to
// the agent, the fixed ports, and the `sim` CLI's lines.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab.js';
import { portOffsets } from '../ports.js';
import { O2gClient } from './test-client.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

const control = async (l: Lab, method: string, path: string, body?: unknown) => {
  const res = await fetch(`http://${l.control.host}:${l.control.port}${path}`, { method, ...(body ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}) });
  return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('startLab with O2G', () => {
  it('runs beside TelServices on one core: the TelServices fixture is unchanged, the O2G one added', async () => {
    lab = await startLab({ vendors: ['telservices', 'o2g'], portBase: 0, config: { pbx: { externalAnswerMs: -1 } } });
    expect(lab.endpoints.map((e) => `${e.vendor}/${e.transport}${e.role ? `/${e.role}` : ''}`)).toEqual([
      'telservices/tcp',
      'telservices/http',
      'telservices/udp',
      'o2g/https',
      'o2g/https/secondary',
      'lab/control',
    ]);
    const devices = (await control(lab, 'GET', '/devices')).json.map((d: { number: string }) => d.number);
    expect(devices).toEqual(['1101', '1102', '1103', '1104', '1105', '1106', '1107', '1108', '70100', '70123', '70125', '70126', '70129', '70130', '70999']);
    expect(lab.pbx.queueNames()).toEqual(['service1', '60121']);
    expect(lab.pbx.pilotsOf('60121')).toEqual(['60100']);
  });

  it('POST /calls to the pilot rings the READY agent of PG 60121; to 70123 rings agent1 directly', async () => {
    lab = await startLab({ vendors: ['o2g'], portBase: 0, config: { pbx: { externalAnswerMs: -1 } } });
    const o2g = lab.o2g;
    if (!o2g) throw new Error('no O2G');
    const c = new O2gClient(o2g.primary.baseUrl, o2g.certificate.pem);
    await c.login('agent1', '1111');
    await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70123', pgGroupNumber: '60121' });
    const placed = await control(lab, 'POST', '/calls', { from: '0612345678', to: '60100', data: { customerId: 'C-1001' } });
    expect(placed.status).toBe(201);
    const calls = (await control(lab, 'GET', '/calls')).json;
    expect(calls[0].parties.find((p: { number: string }) => p.number === '70123')?.state).toBe('alerting');
    expect(calls[0]).toMatchObject({ to: '60100', service: '60121' });
    const view = (await c.api('GET', '/telephony/calls')).json.calls[0];
    expect(view.callData).toMatchObject({ associateData: 'C-1001', acdCallData: { pilotNumber: '60100' } });
    await control(lab, 'POST', '/devices/0612345678/hangup');
    await control(lab, 'POST', '/calls', { from: '0699887766', to: '70123' });
    expect((await c.api('GET', '/telephony/calls')).json.calls[0].callData.acdCallData).toBeUndefined();
    // The control API sets an agent's state at the PBX: O2G shows it.
    await c.api('POST', '/acd/agent/logoff');
    await control(lab, 'POST', '/devices/70123/agent', { state: 'ready' });
    expect((await c.api('GET', '/acd/agent/state')).json).toEqual({ mainState: 'LOG_ON', subState: 'READY', proAcdDeviceNumber: '70123', pgNumber: '60121' });
    // Reset: O2G forgets its sessions with the rest.
    expect((await control(lab, 'POST', '/reset')).json).toEqual({ reset: true });
    expect((await c.api('GET', '/sessions')).json.code).toBe(1001);
  });

  it('the demo rings the O2G pilot too, with call data', async () => {
    lab = await startLab({ vendors: ['telservices', 'o2g'], portBase: 0, demo: { intervalMs: 100 } });
    const pilotCall = async () => {
      for (let i = 0; i < 100; i++) {
        const calls = (await control(lab as Lab, 'GET', '/calls')).json as Array<{ to: string; data: Record<string, string> }>;
        const hit = calls.find((c) => c.to === '60100');
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no demo call to 60100');
    };
    const call = await pilotCall();
    expect(call.data.customerId).toMatch(/^C-\d{4}$/);
  });

  it('uses the fixed ports of ports.ts', () => {
    expect(portOffsets.o2g).toBe(10);
    expect(portOffsets.o2gSecondary).toBe(11);
  });
});

describe('sim --vendor o2g', () => {
  it('prints the listening lines (the secondary with role), the certificate line, then ready', async () => {
    const root = resolve(import.meta.dirname, '../../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', 'sim', '--vendor', 'o2g', '--port-base', '0', '--seconds', '2'], { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ event: 'listening', vendor: 'o2g', transport: 'https', host: '127.0.0.1', port: expect.any(Number) });
    expect(lines[1]).toEqual({ event: 'listening', vendor: 'o2g', transport: 'https', host: '127.0.0.1', port: expect.any(Number), role: 'secondary' });
    expect(lines[2]).toMatchObject({ event: 'listening', vendor: 'lab', transport: 'control' });
    expect(lines[3]).toEqual({ event: 'certificate', vendor: 'o2g', file: expect.stringMatching(/\.pem$/), sha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
    expect(lines[4]).toEqual({ event: 'ready' });
  }, 30_000);
});
