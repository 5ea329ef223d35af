// Small helpers shared by the CLI commands.

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** Resolves on SIGINT/SIGTERM, or after `seconds` when given. */
export function waitForSignalOrTimeout(seconds: number | null): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      if (timer) clearTimeout(timer);
      resolve();
    };
    const timer = seconds === null ? null : setTimeout(done, seconds * 1000);
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** `--stomp HOST:PORT` (IPv6 as [::1]:61613), for `sim` and `start`. */
export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw new UsageError(`--stomp takes HOST:PORT (e.g. 127.0.0.1:61613), not ${text}`);
  return { host: (m[1] ?? m[2]) as string, port };
}
