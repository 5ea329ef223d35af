// The CLI as the README documents it: `sim` prints its endpoints as JSON lines, `probe` prints
// normalized events as JSON lines, and a second `start` hands over to the first.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

function cli(args: string[]): { child: ChildProcess; lines: AsyncIterableIterator<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/cli/index.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
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

  it('a second start hands over to the first', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agent-desktop-cli-'));
    dirs.push(dataDir);
    const first = cli(['start', '--web', '--no-demo', '--data-dir', dataDir]);
    const running = await nextLine(first.lines, (l) => l.startsWith('Agent Desktop is running'), 'first start', 40_000);
    const url = /Open (\S+)/.exec(running)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const second = cli(['start', '--web', '--no-demo', '--data-dir', dataDir, 'tel:1102']);
    const handed = await nextLine(second.lines, (l) => l.includes('already running'), 'hand-over', 40_000);
    expect(handed).toContain(url);
    expect(await new Promise<number | null>((ok) => second.child.on('exit', ok))).toBe(0);
    await nextLine(first.lines, (l) => l.includes('handed over'), 'first instance notified');
  });
});
