import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DesktopLog, RecentLines, openDesktopLog } from './desktop-log.js';

const dirs: string[] = [];
const logs: DesktopLog[] = [];
afterEach(async () => {
  for (const l of logs.splice(0)) await l.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'desktop-log-'));
  dirs.push(d);
  return d;
}

async function open(opts: Parameters<typeof openDesktopLog>[0]): Promise<DesktopLog> {
  const l = await openDesktopLog(opts);
  logs.push(l);
  return l;
}

const messages = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; level: number; password?: string });

describe('openDesktopLog', () => {
  it('writes the same redacted lines to the rolled file and the latest lines, at the level set', async () => {
    const dir = join(tempDir(), 'logs');
    const l = await open({ name: 'agent-desktop', dir });
    expect(l.dir).toBe(dir);
    l.log.info({ password: 'hunter2' }, 'signed in');
    l.log.debug('not at info');
    l.setLevel('debug');
    l.log.debug('now at debug');
    expect(messages(l.recent()).map((m) => m.msg)).toEqual(['signed in', 'log level changed', 'now at debug']);
    expect(l.recent()).not.toContain('hunter2');
    expect(messages(l.recent())[0]?.password).toBe('[redacted]');
    await l.close();
    logs.splice(logs.indexOf(l), 1);
    expect(readdirSync(dir)).toEqual(['agent-desktop.1.log']);
    const file = readFileSync(join(dir, 'agent-desktop.1.log'), 'utf8');
    expect(messages(file).map((m) => m.msg)).toEqual(['signed in', 'log level changed', 'now at debug']);
    expect(file).not.toContain('hunter2');
  });

  it('continues the same file after a restart', async () => {
    const dir = tempDir();
    const first = await open({ name: 'agent-desktop', dir });
    first.log.info('first run');
    await first.close();
    logs.splice(logs.indexOf(first), 1);
    const second = await open({ name: 'agent-desktop', dir });
    second.log.info('second run');
    await second.close();
    logs.splice(logs.indexOf(second), 1);
    expect(messages(readFileSync(join(dir, 'agent-desktop.1.log'), 'utf8')).map((m) => m.msg)).toEqual(['first run', 'second run']);
  });

  it('keeps logging in memory, and says why, when the folder cannot be written', async () => {
    const blocker = join(tempDir(), 'not-a-folder');
    writeFileSync(blocker, '');
    const l = await open({ name: 'agent-desktop', dir: join(blocker, 'logs') });
    expect(l.dir).toBeNull();
    l.log.info('still logged');
    expect(messages(l.recent()).map((m) => m.msg)).toEqual(['the log folder cannot be written; logging to memory and the console only', 'still logged']);
  });

  it('writes to the console only from its own level on', async () => {
    const lines: string[] = [];
    const l = await open({ name: 'agent-desktop', dir: null, console: { stream: { write: (s: string) => void lines.push(s) }, level: 'warn' } });
    l.log.info('quiet');
    l.log.warn('loud');
    expect(lines.map((s) => (JSON.parse(s) as { msg: string }).msg)).toEqual(['loud']);
    expect(messages(l.recent()).map((m) => m.msg)).toEqual(['quiet', 'loud']);
  });
});

describe('RecentLines', () => {
  it('drops the oldest lines beyond its byte budget, and keeps the newest even when it alone is larger', () => {
    const r = new RecentLines(10);
    r.write('aaaa\n');
    r.write('bbbb\n');
    r.write('cccc\n');
    expect(r.text()).toBe('bbbb\ncccc\n');
    r.write(`${'x'.repeat(30)}\n`);
    expect(r.text()).toBe(`${'x'.repeat(30)}\n`);
  });
});

