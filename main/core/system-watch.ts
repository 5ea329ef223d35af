// Notices the two moments when a CTI session that looks up is most likely dead: the computer has
// just woken from sleep, and its network addresses have changed (Wi-Fi to cable, VPN up or down).
// Both hosts run it, so the web host gets the same recovery as Electron (whose power events the
// shell adds on top). A sleep shows as a tick that comes far too late by the wall clock.
import { networkInterfaces } from 'node:os';

export type SystemChange = 'wake' | 'network';

export interface SystemWatchOptions {
  onChange: (change: SystemChange, detail: string) => void;
  /** How often to look; the wake detection's resolution. */
  intervalMs?: number;
  /** A tick this much later than planned means the process did not run: the machine slept. */
  lateMs?: number;
  now?: () => number;
  /** The machine's external addresses, as one comparable string. */
  addresses?: () => string;
}

export interface SystemWatch {
  stop(): void;
}

/** Non-internal addresses by interface, sorted, so that only a real change differs. */
export function externalAddresses(): string {
  const rows: string[] = [];
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal) rows.push(`${name} ${a.address}`);
  }
  return rows.sort().join(', ');
}

export function watchSystem(opts: SystemWatchOptions): SystemWatch {
  const intervalMs = opts.intervalMs ?? 5_000;
  const lateMs = opts.lateMs ?? 15_000;
  const now = opts.now ?? Date.now;
  const addresses = opts.addresses ?? externalAddresses;
  let last = now();
  let seen = safeAddresses(addresses);

  const timer = setInterval(() => {
    const t = now();
    const late = t - last - intervalMs;
    last = t;
    if (late >= lateMs) opts.onChange('wake', `the computer was asleep for about ${Math.round(late / 1000)} s`);
    const current = safeAddresses(addresses);
    if (current !== null && seen !== null && current !== seen) opts.onChange('network', `network addresses changed (now: ${current || 'none'})`);
    if (current !== null) seen = current;
  }, intervalMs);
  // Never the reason the process stays alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Reading the interfaces can fail on some systems (no permission): then there is nothing to compare. */
function safeAddresses(read: () => string): string | null {
  try {
    return read();
  } catch {
    return null;
  }
}
