// The CLI as the README documents it: `sim` prints its endpoints as JSON lines, `probe` prints
// normalized events as JSON lines, a second `start` hands over to the first, and `serve` runs a
// site gateway on the lab's CTIPS portals that a desktop profile reaches through `probe`.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; lines: AsyncIterableIterator<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/cli/index.ts'), ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', ...env },
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines };
}

async function nextLine(lines: AsyncIterableIterator<string>, match: (l: string) => boolean, what: string, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const r = await Promise.race([lines.next(), new Promise<null>((ok) => setTimeout(() => ok(null), deadline - Date.now()))]);
    if (r === null || r.done) break;
    if (match(r.value)) return r.value;
  }
  throw new Error(`no line for ${what}`);
}

interface Listening {
  event: string;
  vendor: string;
  transport: string;
  host: string;
  port: number;
}

describe('CLI', () => {
  let controlPort = 0;
  let telPort = 0;

  it('sim prints one JSON line per endpoint, then ready', async () => {
    const { lines } = cli(['sim', '--vendor', 'telservices', '--port-base', '0']);
    const endpoints: Listening[] = [];
    for (;;) {
      const line = await nextLine(lines, () => true, 'sim output');
      const e = JSON.parse(line) as Listening | { event: 'ready' };
      if (e.event === 'ready') break;
      endpoints.push(e as Listening);
    }
    const transports = endpoints.map((e) => `${e.vendor}/${e.transport}`);
    expect(transports).toEqual(expect.arrayContaining(['telservices/tcp', 'telservices/http']));
    expect(endpoints.some((e) => e.transport === 'control')).toBe(true);
    for (const e of endpoints) expect(e.host).toBe('127.0.0.1');
    controlPort = endpoints.find((e) => e.transport === 'control')!.port;
    telPort = endpoints.find((e) => e.transport === 'tcp')!.port;
    expect(controlPort).toBeGreaterThan(0);
  });

  it('probe prints normalized events as JSON lines', async () => {
    const { lines } = cli(['probe', '--vendor', 'telservices', '--host', '127.0.0.1', '--port', String(telPort), '--device', '1102', '--seconds', '20']);
    await nextLine(lines, (l) => (JSON.parse(l) as { type: string; link?: { state: string } }).link?.state === 'up', 'link up');
    const res = await fetch(`http://127.0.0.1:${controlPort}/calls`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: '0612345678', to: '1102', data: { customerId: 'C-1001' } }),
    });
    expect(res.status).toBe(201);
    const line = await nextLine(lines, (l) => (JSON.parse(l) as { type: string }).type === 'call', 'a call event');
    const e = JSON.parse(line) as { call: { state: string; remote: { number: string }; data: Record<string, string> } };
    expect(e.call.state).toBe('alerting');
    expect(e.call.remote.number).toBe('0612345678');
    expect(e.call.data.customerId).toBe('C-1001');
  });

  it('probe refuses an invalid command line with a clear message', async () => {
    const { child } = cli(['probe', '--vendor', 'telservices', '--port', '5075']);
    let err = '';
    child.stderr!.on('data', (d) => (err += d.toString()));
    const code = await new Promise<number | null>((ok) => child.on('exit', ok));
    expect(code).toBe(2);
    expect(err).toMatch(/--device/);
  });

  it('serve holds one CTIPS session for the site; a desktop profile signs in through it (probe)', async () => {
    const sim = cli(['sim', '--vendor', 'ctips', '--port-base', '0']);
    const portals: number[] = [];
    for (;;) {
      const e = JSON.parse(await nextLine(sim.lines, () => true, 'sim output')) as Listening | { event: 'ready' };
      if (e.event === 'ready') break;
      if ((e as Listening).vendor === 'ctips') portals.push((e as Listening).port);
    }
    expect(portals).toHaveLength(2);
    const hasher = cli(['hash-password']);
    hasher.child.stdin?.end('desk-secret\n');
    const hash = await nextLine(hasher.lines, (l) => l.startsWith('scrypt$'), 'a password hash');
    const dir = mkdtempSync(join(tmpdir(), 'agent-desktop-serve-'));
    dirs.push(dir);
    const site = join(dir, 'site.json');
    const deskFile = join(dir, 'desk.json');
    writeFileSync(site, JSON.stringify({
      id: 'site', name: 'Site', device: '0000',
      connection: {
        vendor: 'ctips', portals: portals.map((port) => ({ host: '127.0.0.1', port })), userName: 'Test01', callback: { bindHost: '127.0.0.1' },
        serve: { host: '127.0.0.1', port: 0, accounts: [{ login: 'agent1101', stations: ['1101'], passwordHash: hash }] },
      },
    }));
    const serve = cli(['serve', '--profile', site], { CTI_SECRET_PASSWORD: 'Test01' });
    const listening = await nextLine(serve.lines, (l) => l.startsWith('gateway listening'), 'gateway listening', 30_000);
    const gatewayPort = Number(/:(\d+)\s*$/.exec(listening)?.[1]);
    expect(gatewayPort).toBeGreaterThan(0);
    writeFileSync(deskFile, JSON.stringify({ id: 'desk', name: 'Desk', device: '1101', agentId: 'agent1101', connection: { vendor: 'ctips', gateway: { host: '127.0.0.1', port: gatewayPort, https: false } } }));
    const probe = cli(['probe', '--profile', deskFile, '--password-env', 'DESK_PW', '--seconds', '20'], { DESK_PW: 'desk-secret' });
    const snapshot = JSON.parse(await nextLine(probe.lines, (l) => (JSON.parse(l) as { type: string }).type === 'snapshot', 'a snapshot through the gateway')) as { agent: { agentId: string } };
    expect(snapshot.agent.agentId).toBe('agent1101');
    await nextLine(probe.lines, (l) => (JSON.parse(l) as { link?: { state: string } }).link?.state === 'up', 'link up through the gateway');
  }, 90_000);

  it('a second start hands over to the first', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agent-desktop-cli-'));
    dirs.push(dataDir);
    // Without the InstantVoice demo: its private broker has nothing to do with the hand-over, and takes seconds to start.
    const first = cli(['start', '--web', '--no-demo', '--no-instantvoice', '--data-dir', dataDir]);
    const running = await nextLine(first.lines, (l) => l.startsWith('Agent Desktop is running'), 'first start', 40_000);
    const url = /Open (\S+)/.exec(running)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const second = cli(['start', '--web', '--no-demo', '--no-instantvoice', '--data-dir', dataDir, 'tel:1102']);
    const handed = await nextLine(second.lines, (l) => l.includes('already running'), 'hand-over', 40_000);
    expect(handed).toContain(url);
    expect(await new Promise<number | null>((ok) => second.child.on('exit', ok))).toBe(0);
    await nextLine(first.lines, (l) => l.includes('handed over'), 'first instance notified');
  });
});
