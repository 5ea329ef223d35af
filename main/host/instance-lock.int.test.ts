import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, lockAddress } from './instance-lock.js';

const dirs: string[] = [];
const releases: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const r of releases.splice(0)) await r();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'agent-desktop-lock-'));
  dirs.push(d);
  return d;
};

describe('single-instance lock', () => {
  it('hands a second instance over to the first, with its command line', async () => {
    const dir = dataDir();
    const received: string[][] = [];
    const first = await acquireInstanceLock(dir, [], (argv) => {
      received.push(argv);
      return 'http://127.0.0.1:1234/?token=t';
    });
    expect(first.primary).toBe(true);
    if (first.primary) releases.push(first.release);
    const second = await acquireInstanceLock(dir, ['tel:0612345678'], () => 'never');
    expect(second).toEqual({ primary: false, reply: 'http://127.0.0.1:1234/?token=t' });
    expect(received).toEqual([['tel:0612345678']]);
  });

  it('lets another data folder run its own instance', async () => {
    const a = await acquireInstanceLock(dataDir(), [], () => 'a');
    const b = await acquireInstanceLock(dataDir(), [], () => 'b');
    expect(a.primary && b.primary).toBe(true);
    if (a.primary) releases.push(a.release);
    if (b.primary) releases.push(b.release);
  });

  it.skipIf(process.platform === 'win32')('recovers from a socket file left by a crashed instance', async () => {
    const dir = dataDir();
    writeFileSync(lockAddress(dir), '');
    const lock = await acquireInstanceLock(dir, [], () => 'x');
    expect(lock.primary).toBe(true);
    if (lock.primary) releases.push(lock.release);
  });

  it('becomes primary again once the first instance released the lock', async () => {
    const dir = dataDir();
    const first = await acquireInstanceLock(dir, [], () => 'first');
    if (first.primary) await first.release();
    const again = await acquireInstanceLock(dir, [], () => 'again');
    expect(again.primary).toBe(true);
    if (again.primary) releases.push(again.release);
  });
});
