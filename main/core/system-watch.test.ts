import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { externalAddresses, type SystemChange, type SystemWatch, watchSystem } from './system-watch.js';

let watch: SystemWatch | null = null;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  watch?.stop();
  watch = null;
  vi.useRealTimers();
});

/** A wall clock the test moves on its own, as a machine waking from sleep does (timers do not run while asleep). */
function setup(addresses: () => string = () => 'eth0 192.0.2.10') {
  let wall = 1_000_000;
  const changes: { change: SystemChange; detail: string }[] = [];
  watch = watchSystem({ intervalMs: 5_000, lateMs: 15_000, now: () => wall, addresses, onChange: (change, detail) => changes.push({ change, detail }) });
  return {
    changes,
    /** Time passes with the process running: the wall clock and the timers move together. */
    run(ms: number) {
      for (let left = ms; left > 0; left -= 1_000) {
        wall += 1_000;
        vi.advanceTimersByTime(1_000);
      }
    },
    sleep(ms: number) {
      wall += ms;
    },
  };
}

describe('watchSystem', () => {
  it('says nothing while the machine runs normally, even when a tick is a few seconds late', () => {
    const t = setup();
    t.run(60_000);
    t.sleep(8_000);
    t.run(10_000);
    expect(t.changes).toEqual([]);
  });

  it('reports a wake once, with how long the machine was asleep', () => {
    const t = setup();
    t.run(10_000);
    t.sleep(120_000);
    t.run(5_000);
    expect(t.changes).toEqual([{ change: 'wake', detail: 'the computer was asleep for about 120 s' }]);
    t.run(30_000);
    expect(t.changes).toHaveLength(1);
  });

  it('reports a change of network addresses, and not the same addresses twice', () => {
    let now = 'eth0 192.0.2.10';
    const t = setup(() => now);
    t.run(10_000);
    now = 'wlan0 198.51.100.7';
    t.run(5_000);
    t.run(20_000);
    expect(t.changes).toEqual([{ change: 'network', detail: 'network addresses changed (now: wlan0 198.51.100.7)' }]);
    now = '';
    t.run(5_000);
    expect(t.changes.at(-1)).toEqual({ change: 'network', detail: 'network addresses changed (now: none)' });
  });

  it('keeps watching when the interfaces cannot be read for a while', () => {
    let fail = false;
    let now = 'eth0 192.0.2.10';
    const t = setup(() => {
      if (fail) throw new Error('EPERM');
      return now;
    });
    fail = true;
    t.run(10_000);
    fail = false;
    t.run(5_000);
    expect(t.changes).toEqual([]);
    now = 'eth0 192.0.2.11';
    t.run(5_000);
    expect(t.changes.map((c) => c.change)).toEqual(['network']);
  });

  it('stops when asked', () => {
    const t = setup();
    watch?.stop();
    t.sleep(120_000);
    t.run(10_000);
    expect(t.changes).toEqual([]);
  });
});

describe('externalAddresses', () => {
  it('lists no loopback address, in a stable order', () => {
    const a = externalAddresses();
    expect(a).not.toMatch(/\b127\.0\.0\.1\b/);
    expect(a).toBe(externalAddresses());
    expect(a.split(', ')).toEqual([...a.split(', ')].sort());
  });
});
