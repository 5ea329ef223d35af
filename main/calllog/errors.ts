// Typed failures of the call-log database, so the host can fall back to memory and say why.
import { CtiError } from '../../shared/commands.js';

/** Why the call-log database could not be used. */
export type CallLogFailure =
  /** The file is not a SQLite database, or its pages are damaged. */
  | 'corrupt'
  /** Another process (a second app instance, a backup tool) holds a lock on it. */
  | 'locked'
  /** The folder or file cannot be opened, read or written (permissions, disk full). */
  | 'io'
  /** The file was written by a newer version of the app. */
  | 'newerSchema'
  /** A row or query failed validation. */
  | 'invalid'
  | 'closed';

export class CallLogStoreError extends CtiError {
  readonly reason: CallLogFailure;
  /** The SQLite error code, e.g. SQLITE_NOTADB, when there was one. */
  readonly sqliteCode: string | undefined;

  constructor(reason: CallLogFailure, message: string, sqliteCode?: string) {
    super(reason === 'invalid' ? 'invalid' : 'internal', message, sqliteCode);
    this.name = 'CallLogStoreError';
    this.reason = reason;
    this.sqliteCode = sqliteCode;
  }
}

function sqliteCodeOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** Map a better-sqlite3 (or fs) failure onto a CallLogStoreError with a message a user can act on. */
export function toCallLogError(err: unknown, location: string): CallLogStoreError {
  if (err instanceof CallLogStoreError) return err;
  const code = sqliteCodeOf(err);
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB' || code?.startsWith('SQLITE_CORRUPT')) {
    return new CallLogStoreError('corrupt', `The call log ${location} is damaged or not a call-log database (${detail}).`, code);
  }
  if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) {
    return new CallLogStoreError('locked', `The call log ${location} is locked by another program (${detail}).`, code);
  }
  return new CallLogStoreError('io', `The call log ${location} cannot be used (${detail}).`, code);
}
