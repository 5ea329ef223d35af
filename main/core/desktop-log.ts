// The desktop's log as support needs it: the console (when there is one), a size-rolled file in the
// log folder, and the latest lines in memory for "Download diagnostics". Every line goes through
// the same redacting logger, so the file and the download hold no secret either.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DestinationStream, type Level, multistream } from 'pino';
import roll from 'pino-roll';
import type { LogLevel } from '../../shared/bridge.js';
import { createLogger, type Logger } from './log.js';

export interface DesktopLogOptions {
  name: string;
  /** Where the rolled files go; null: no file (tests, or a folder that cannot be written). */
  dir: string | null;
  level?: LogLevel;
  /** Also write to a console stream from this level on (the CLI; Electron on a desktop has nobody reading it). */
  console?: { stream: DestinationStream; level: Level };
  /** How much of the latest log the download carries. */
  recentBytes?: number;
}

export interface DesktopLog {
  readonly log: Logger;
  /** The folder of the log files, when there are files. */
  readonly dir: string | null;
  /** The latest lines (newline-delimited JSON), oldest first. */
  recent(): string;
  level(): string;
  setLevel(level: LogLevel): void;
  close(): Promise<void>;
}

/** Lines kept in memory up to a byte budget; the oldest go first. */
export class RecentLines implements DestinationStream {
  private readonly lines: string[] = [];
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  write(line: string): void {
    this.lines.push(line);
    this.bytes += line.length;
    while (this.bytes > this.maxBytes && this.lines.length > 1) this.bytes -= this.lines.shift()?.length ?? 0;
  }

  text(): string {
    return this.lines.join('');
  }
}

export async function openDesktopLog(opts: DesktopLogOptions): Promise<DesktopLog> {
  const recent = new RecentLines(opts.recentBytes ?? 2 * 1024 * 1024);
  // Every stream takes everything; the logger's own level decides what is written.
  const streams: { level: Level; stream: DestinationStream }[] = [{ level: 'trace', stream: recent }];
  if (opts.console) streams.push(opts.console);
  let file: Awaited<ReturnType<typeof roll>> | null = null;
  let fileError: string | null = null;
  let fileFailed = false;
  if (opts.dir) {
    try {
      // Made here, not by the file stream, whose own mkdir fails later, as an unhandled 'error'.
      mkdirSync(opts.dir, { recursive: true });
      file = await roll({ file: join(opts.dir, opts.name), extension: '.log', size: '5m', limit: { count: 4 } });
      // A full disk must not take the desktop down; the console and the latest lines go on.
      file.on('error', (err: Error) => {
        if (!fileFailed) process.stderr.write(`agent-desktop: the log file cannot be written (${err.message})\n`);
        fileFailed = true;
      });
      streams.push({ level: 'trace', stream: file });
    } catch (err) {
      fileError = (err as Error).message;
      file = null;
    }
  }
  const log = createLogger({ name: opts.name, ...(opts.level ? { level: opts.level } : {}), destination: multistream(streams) });
  if (fileError) log.warn({ dir: opts.dir, err: fileError }, 'the log folder cannot be written; logging to memory and the console only');
  const dir = file ? opts.dir : null;
  return {
    log,
    dir,
    recent: () => recent.text(),
    level: () => log.level,
    setLevel: (level) => {
      log.level = level;
      log.info({ level }, 'log level changed');
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!file || file.destroyed) return resolve();
        file.once('close', () => resolve());
        file.end();
      }),
  };
}
