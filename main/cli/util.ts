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
