// `cti serve` and `cti hash-password`: the real command line as a child process where the
// registry decides (an unsupported vendor), and runServe in this process with the in-memory site
// registered as a site connection, driven by a real desktop connector.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Profile, type ProfileInput } from '../../shared/profile.js';
import type { ConnectorDeps } from '../core/connector.js';
import { siteConnectionFactories } from '../connectors/index.js';
import { silentLogger } from '../core/log.js';
import { runHashPassword } from '../cli/hash-password.js';
import { runServe, serveSettings, SECRET_ENV } from '../cli/serve.js';
import { UsageError } from '../cli/util.js';
import { hashPassword, verifyPassword } from './accounts.js';
import { createGatewayClientConnector } from './client-connector.js';
import { TestSite } from './test-site.js';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function cli(args: string[], input?: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(tsx, ['main/cli/index.ts', ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cti-serve-'));
});

async function profileFile(name: string, profile: ProfileInput | Record<string, unknown>): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(profile));
  return file;
}

const ctipsSite = (serve: Record<string, unknown> | null): ProfileInput => ({
  id: 'site-gw',
  name: 'Site gateway',
  device: '4000',
  connection: { vendor: 'ctips', portals: [{ host: '127.0.0.1', port: 8700 }], userName: 'gateway', callback: { bindHost: '127.0.0.1' }, serve },
});

describe('cti hash-password', () => {
  it('reads the password from stdin and prints a hash line that verifies', async () => {
    const r = await cli(['hash-password'], 'correct horse\n');
    expect(r.code).toBe(0);
    const line = r.stdout.trim();
    expect(line).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse', line)).toBe(true);
    expect(r.stdout).not.toContain('correct horse');
  });

  it('refuses a password on the command line', async () => {
    await expect(runHashPassword(['secret'])).rejects.toThrow(/takes no arguments/);
  });
});

describe('cti serve', () => {
  const saved = { ...siteConnectionFactories };
  afterEach(() => {
    for (const k of Object.keys(siteConnectionFactories)) delete siteConnectionFactories[k as keyof typeof siteConnectionFactories];
    Object.assign(siteConnectionFactories, saved);
    delete process.env[SECRET_ENV];
    vi.restoreAllMocks();
  });

  it('says in one line that a vendor without a site connection cannot be served (exit 2)', async () => {
    const file = await profileFile('tel', { id: 'tel', name: 'tel', device: '1101', connection: { vendor: 'telservices', host: '127.0.0.1', port: 5075 } });
    const r = await cli(['serve', '--profile', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^serve: telservices profiles cannot be served through a site gateway/)]);
  });

  it('refuses an invalid profile, a gateway-client profile and a bad port as usage errors', async () => {
    const bad = await profileFile('bad', { id: 'Bad Id', name: '', device: 'x' });
    expect(() => serveSettings(['--profile', bad])).toThrow(UsageError);
    expect(() => serveSettings(['--profile', bad])).toThrow(/invalid profile/);
    expect(() => serveSettings(['--profile', join(dir, 'missing.json')])).toThrow(/cannot read profile/);
    expect(() => serveSettings([])).toThrow(/--profile/);
    const client = await profileFile('client', { id: 'c', name: 'c', device: '4001', agentId: 'a', connection: { vendor: 'ctips', gateway: { host: 'gw.example' } } });
    expect(() => serveSettings(['--profile', client])).toThrow(/connects through a gateway itself/);
    const site = await profileFile('site', ctipsSite(null));
    expect(() => serveSettings(['--profile', site, '--port', '70000'])).toThrow(/--port/);
    expect(serveSettings(['--profile', site])).toMatchObject({ host: '127.0.0.1', port: 8780, accounts: [] });
    expect(serveSettings(['--profile', site, '--host', '::1', '--port', '0'])).toMatchObject({ host: '::1', port: 0 });
    expect(() => serveSettings(['--profile', site, '--password', 'x'])).toThrow();
  });

  it('refuses to listen off loopback without TLS before it opens the site session', async () => {
    let made = 0;
    siteConnectionFactories.ctips = () => {
      made += 1;
      return new TestSite();
    };
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    const file = await profileFile('open', ctipsSite({ host: '0.0.0.0', port: 0 }));
    expect(await runServe(['--profile', file])).toBe(2);
    expect(errors.join('\n')).toMatch(/without TLS/);
    expect(made).toBe(0);
  });

  it('starts the site, then the gateway; desktops sign in; the site password comes from the environment; SIGINT stops it cleanly', async () => {
    const site = new TestSite();
    let deps: ConnectorDeps | null = null;
    siteConnectionFactories.ctips = (d) => {
      deps = d;
      return site;
    };
    process.env[SECRET_ENV] = 'portal-secret';
    const prevLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'silent';
    const lines: string[] = [];
    let listening: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => (listening = resolve));
    vi.spyOn(console, 'log').mockImplementation((m: string) => {
      lines.push(m);
      const hit = /^gateway listening (\S+)$/.exec(m);
      if (hit) listening(hit[1] as string);
    });
    const passwordHash = await hashPassword('pw-1', { N: 1024, r: 8, p: 1 });
    const file = await profileFile('served', ctipsSite({ host: '127.0.0.1', port: 0, accounts: [{ login: 'agent1', stations: ['4001'], passwordHash }] }));
    const sigintListeners = process.listenerCount('SIGINT');
    const running = runServe(['--profile', file]);
    try {
      const base = await url;
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines).toContain('site link up: test site up (memory://site)');
      expect((deps as ConnectorDeps | null)?.secret).toEqual({ password: 'portal-secret' });
      expect(JSON.stringify((deps as ConnectorDeps | null)?.profile)).not.toContain('portal-secret');

      const profile = Profile.parse({ id: 'desk', name: 'desk', device: '4001', agentId: 'agent1', connection: { vendor: 'ctips', gateway: { host: '127.0.0.1', port: Number(new URL(base).port), https: false } } });
      const desk = createGatewayClientConnector({ profile, secret: { password: 'pw-1' }, log: silentLogger() }, { vendor: 'ctips', capabilities: new Set(['makeCall']) });
      await desk.start();
      await desk.execute({ kind: 'makeCall', to: '123' });
      expect(site.active('agent1')[0]?.commands).toEqual([{ kind: 'makeCall', to: '123' }]);
      const lost = new Promise<string>((resolve) => desk.setListeners({ event: () => {}, lost: (e) => resolve(e.code) }));

      process.emit('SIGINT');
      expect(await running).toBe(0);
      expect(await lost).toBe('notConnected');
      expect(site.stopped).toBe(true);
      expect(lines).toContain('gateway stopping');
      expect(process.listenerCount('SIGINT')).toBe(sigintListeners);
      await desk.stop();
    } finally {
      if (prevLevel === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = prevLevel;
    }
  });
});
