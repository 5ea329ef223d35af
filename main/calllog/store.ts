// The call log: one SQLite row per call leg (better-sqlite3, WAL), searchable and exportable.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CallLogQuery, CallLogRow, type CallLogQueryInput, MAX_CALL_NOTE } from '../../shared/calllog.js';
import { CallData } from '../../shared/model.js';
import type { Logger } from '../core/log.js';
import { CallbackBook } from './callbacks.js';
import { callLogToCsv } from './csv.js';
import { CallLogStoreError, toCallLogError } from './errors.js';
import { DEFAULT_MERGE_TOLERANCE_MS, mergeVendorHistory, type MergedCallLogRow } from './merge.js';
import { foldText, searchColumn, searchNeedles } from './search.js';

type Db = Database.Database;
type Statement = Database.Statement;

export const CALL_LOG_FILE = 'calllog.sqlite';

/** Outcomes of a row that is not finished yet; everything else is final. */
export const OPEN_OUTCOMES: readonly string[] = ['ongoing', 'interrupted'];

/**
 * Schema migrations, applied in order inside one transaction each. Never edit a shipped one:
 * add the next version. The `schema_version` table holds the single current version.
 */
const migrations: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE call_log (
        profile_id     TEXT    NOT NULL,
        id             TEXT    NOT NULL,
        device         TEXT    NOT NULL,
        direction      TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        remote_number  TEXT    NOT NULL,
        remote_name    TEXT,
        remote_company TEXT,
        called_number  TEXT,
        started_at     INTEGER NOT NULL,
        answered_at    INTEGER,
        ended_at       INTEGER,
        duration_sec   REAL,
        outcome        TEXT    NOT NULL,
        cause          TEXT,
        data           TEXT    NOT NULL DEFAULT '{}',
        source         TEXT    NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'pbx')),
        search_text    TEXT    NOT NULL,
        updated_at     INTEGER NOT NULL,
        PRIMARY KEY (profile_id, id)
      );
      CREATE INDEX call_log_started ON call_log (started_at DESC);
      CREATE INDEX call_log_profile_started ON call_log (profile_id, started_at DESC);
      CREATE INDEX call_log_number ON call_log (remote_number);
      CREATE INDEX call_log_name ON call_log (remote_name COLLATE NOCASE);
      CREATE INDEX call_log_open ON call_log (profile_id, outcome, started_at);
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE callbacks (
        id           TEXT    PRIMARY KEY,
        profile_id   TEXT    NOT NULL,
        number       TEXT    NOT NULL,
        name         TEXT,
        note         TEXT,
        due_at       INTEGER NOT NULL,
        created_at   INTEGER NOT NULL,
        from_call_id TEXT,
        done_at      INTEGER
      );
      CREATE INDEX callbacks_pending ON callbacks (profile_id, done_at, due_at);
    `,
  },
  {
    version: 3,
    sql: `
      ALTER TABLE call_log ADD COLUMN note TEXT;
      ALTER TABLE call_log ADD COLUMN note_search TEXT NOT NULL DEFAULT '';
    `,
  },
];

export const CALL_LOG_SCHEMA_VERSION = migrations[migrations.length - 1]?.version ?? 0;

interface DbRow {
  profile_id: string;
  id: string;
  device: string;
  direction: 'inbound' | 'outbound';
  remote_number: string;
  remote_name: string | null;
  remote_company: string | null;
  called_number: string | null;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  duration_sec: number | null;
  outcome: string;
  cause: string | null;
  data: string;
  source: 'local' | 'pbx';
  note: string | null;
}

function parseData(json: string): CallData {
  try {
    const r = CallData.safeParse(JSON.parse(json));
    return r.success ? r.data : {};
  } catch {
    return {};
  }
}

function fromDb(r: DbRow): CallLogRow {
  const row: CallLogRow = {
    id: r.id,
    profileId: r.profile_id,
    device: r.device,
    direction: r.direction,
    remoteNumber: r.remote_number,
    startedAt: r.started_at,
    outcome: r.outcome,
    data: parseData(r.data),
    source: r.source === 'pbx' ? 'pbx' : 'local',
  };
  if (r.remote_name !== null) row.remoteName = r.remote_name;
  if (r.remote_company !== null) row.remoteCompany = r.remote_company;
  if (r.called_number !== null) row.calledNumber = r.called_number;
  if (r.answered_at !== null) row.answeredAt = r.answered_at;
  if (r.ended_at !== null) row.endedAt = r.ended_at;
  if (r.duration_sec !== null) row.durationSec = r.duration_sec;
  if (r.cause !== null) row.cause = r.cause;
  if (r.note) row.note = r.note;
  return row;
}

export interface CallLogStoreOptions {
  /** File name inside the folder. */
  fileName?: string;
  /** How long a write waits for another connection's lock before failing as 'locked'. */
  busyTimeoutMs?: number;
  log?: Logger;
  now?: () => number;
}

export class CallLogStore {
  /** The database file, or ':memory:'. */
  readonly location: string;
  readonly inMemory: boolean;
  private readonly db: Db;
  private readonly now: () => number;
  private readonly stmt: Record<'upsert' | 'get' | 'query' | 'listOpen' | 'interrupt' | 'setNote', Statement>;
  private closed = false;
  /** The scheduled callbacks, in the same database. */
  readonly callbacks: CallbackBook;

  private constructor(db: Db, location: string, now: () => number) {
    this.db = db;
    this.location = location;
    this.inMemory = location === ':memory:';
    this.now = now;
    this.callbacks = new CallbackBook(db, now, (op) => this.run(op));
    this.stmt = {
      upsert: db.prepare(`
        INSERT INTO call_log (profile_id, id, device, direction, remote_number, remote_name, remote_company,
          called_number, started_at, answered_at, ended_at, duration_sec, outcome, cause, data, source,
          search_text, updated_at, note, note_search)
        VALUES (@profileId, @id, @device, @direction, @remoteNumber, @remoteName, @remoteCompany,
          @calledNumber, @startedAt, @answeredAt, @endedAt, @durationSec, @outcome, @cause, @data, @source,
          @searchText, @updatedAt, @note, @noteSearch)
        ON CONFLICT (profile_id, id) DO UPDATE SET
          device = excluded.device, direction = excluded.direction, remote_number = excluded.remote_number,
          remote_name = excluded.remote_name, remote_company = excluded.remote_company,
          called_number = excluded.called_number, started_at = excluded.started_at,
          answered_at = excluded.answered_at, ended_at = excluded.ended_at, duration_sec = excluded.duration_sec,
          outcome = excluded.outcome, cause = excluded.cause, data = excluded.data, source = excluded.source,
          search_text = excluded.search_text, updated_at = excluded.updated_at,
          -- The recorder never carries the agent's note: a row written again keeps it.
          note = coalesce(excluded.note, call_log.note),
          note_search = CASE WHEN excluded.note IS NULL THEN call_log.note_search ELSE excluded.note_search END`),
      setNote: db.prepare(`
        UPDATE call_log SET note = @note, note_search = @noteSearch, updated_at = @updatedAt
        WHERE profile_id = @profileId AND id = @id`),
      get: db.prepare(`
        SELECT * FROM call_log WHERE id = @id AND (@profileId IS NULL OR profile_id = @profileId)
        ORDER BY started_at DESC LIMIT 1`),
      query: db.prepare(`
        SELECT * FROM call_log
        WHERE (@profileId IS NULL OR profile_id = @profileId)
          AND (@from IS NULL OR started_at >= @from)
          AND (@to IS NULL OR started_at <= @to)
          AND (@needle IS NULL OR instr(search_text, @needle) > 0 OR instr(note_search, @needle) > 0
               OR (@digits IS NOT NULL AND instr(search_text, @digits) > 0))
        ORDER BY started_at DESC, id
        LIMIT @limit`),
      listOpen: db.prepare(`
        SELECT * FROM call_log WHERE profile_id = @profileId AND outcome = 'ongoing' ORDER BY started_at DESC`),
      interrupt: db.prepare(`
        UPDATE call_log SET outcome = 'interrupted', updated_at = @updatedAt
        WHERE profile_id = @profileId AND outcome = 'ongoing' AND started_at < @olderThan`),
    };
  }

  /**
   * Open (creating when missing) the call log in `folder`, the user's data folder.
   * Throws CallLogStoreError ('corrupt', 'locked', 'io', 'newerSchema'); see openWithFallback.
   */
  static open(folder: string, opts: CallLogStoreOptions = {}): CallLogStore {
    const location = join(folder, opts.fileName ?? CALL_LOG_FILE);
    try {
      mkdirSync(folder, { recursive: true });
    } catch (err) {
      throw toCallLogError(err, location);
    }
    return CallLogStore.openAt(location, opts);
  }

  /** A call log that lives only as long as the process (fallback, web host without a data folder, tests). */
  static openInMemory(opts: CallLogStoreOptions = {}): CallLogStore {
    return CallLogStore.openAt(':memory:', opts);
  }

  /**
   * Open the file, or when that fails, an in-memory log so calls are still recorded this session.
   * `fallback` is the reason to tell the user (their history is not being saved to disk).
   */
  static openWithFallback(
    folder: string,
    opts: CallLogStoreOptions = {},
  ): { store: CallLogStore; fallback: CallLogStoreError | null } {
    try {
      return { store: CallLogStore.open(folder, opts), fallback: null };
    } catch (err) {
      const fallback = toCallLogError(err, join(folder, opts.fileName ?? CALL_LOG_FILE));
      opts.log?.error({ reason: fallback.reason, sqliteCode: fallback.sqliteCode }, fallback.message);
      return { store: CallLogStore.openInMemory(opts), fallback };
    }
  }

  private static openAt(location: string, opts: CallLogStoreOptions): CallLogStore {
    let db: Db | null = null;
    try {
      db = new Database(location, { timeout: opts.busyTimeoutMs ?? 2000 });
      // WAL: the recorder writes while the UI queries, and a crash never leaves a half-written page.
      db.pragma('journal_mode = WAL');
      // NORMAL is durable against an app crash in WAL mode (only an OS crash may lose the last commit).
      db.pragma('synchronous = NORMAL');
      migrate(db, location);
      return new CallLogStore(db, location, opts.now ?? Date.now);
    } catch (err) {
      try {
        db?.close();
      } catch {
        // Already failing; the first error is the one to report.
      }
      throw toCallLogError(err, location);
    }
  }

  /** 'wal' for a file database ('memory' in memory). */
  journalMode(): string {
    return String(this.run(() => this.db.pragma('journal_mode', { simple: true })));
  }

  schemaVersion(): number {
    return this.run(() => readVersion(this.db));
  }

  /** Insert or replace the row (profileId, id). Returns the row as stored. */
  upsert(input: unknown): CallLogRow {
    const parsed = CallLogRow.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`);
      throw new CallLogStoreError('invalid', `Invalid call-log row: ${issues.join('; ')}`);
    }
    const row = parsed.data;
    this.run(() =>
      this.stmt.upsert.run({
        profileId: row.profileId,
        id: row.id,
        device: row.device,
        direction: row.direction,
        remoteNumber: row.remoteNumber,
        remoteName: row.remoteName ?? null,
        remoteCompany: row.remoteCompany ?? null,
        calledNumber: row.calledNumber ?? null,
        startedAt: row.startedAt,
        answeredAt: row.answeredAt ?? null,
        endedAt: row.endedAt ?? null,
        durationSec: row.durationSec ?? null,
        outcome: row.outcome,
        cause: row.cause ?? null,
        data: JSON.stringify(row.data),
        source: row.source,
        searchText: searchColumn(row.remoteNumber, row.remoteName, row.remoteCompany),
        updatedAt: this.now(),
        note: row.note ?? null,
        noteSearch: row.note ? foldText(row.note) : '',
      }),
    );
    return row;
  }

  /** The agent's note on a call this desk recorded (empty removes it); false when there is no such row. */
  setNote(profileId: string, id: string, note: string): boolean {
    const text = note.trim();
    if (text.length > MAX_CALL_NOTE) throw new CallLogStoreError('invalid', `A note has at most ${MAX_CALL_NOTE} characters.`);
    return this.run(() => this.stmt.setNote.run({ profileId, id, note: text || null, noteSearch: foldText(text), updatedAt: this.now() }).changes > 0);
  }

  /** A row by call id; ids are unique per profile, so pass the profile when more than one is logged. */
  get(id: string, profileId?: string): CallLogRow | null {
    const r = this.run(() => this.stmt.get.get({ id, profileId: profileId ?? null }) as DbRow | undefined);
    return r ? fromDb(r) : null;
  }

  /**
   * Rows newest first. `text` matches a substring of the number (as written or as bare digits),
   * the name or the company, ignoring case and accents; `from`/`to` bound startedAt, both inclusive.
   * The vendor half (`includeVendor`) is the caller's: it asks the connector, then mergeVendor.
   * The profile may be given in the query object or as the second argument; without one, all profiles.
   */
  query(input: CallLogQueryInput & { profileId?: string }, profileId: string | undefined = input.profileId): CallLogRow[] {
    const parsed = CallLogQuery.safeParse(input);
    if (!parsed.success) {
      throw new CallLogStoreError('invalid', `Invalid call-log query: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    const q = parsed.data;
    const needles = q.text ? searchNeedles(q.text) : null;
    const rows = this.run(
      () =>
        this.stmt.query.all({
          profileId: profileId ?? null,
          from: q.from ?? null,
          to: q.to ?? null,
          needle: needles?.text ?? null,
          digits: needles?.digits ?? null,
          limit: q.limit,
        }) as DbRow[],
    );
    return rows.map(fromDb);
  }

  /** Rows of the profile still marked 'ongoing' (calls in progress, or left over by a crash). */
  listOngoing(profileId: string): CallLogRow[] {
    return this.run(() => this.stmt.listOpen.all({ profileId }) as DbRow[]).map(fromDb);
  }

  /**
   * After a restart: rows still 'ongoing' that started before `olderThan` (epoch ms) belong to a
   * previous run and are marked 'interrupted' (end unknown). Returns how many were marked.
   */
  markInterrupted(profileId: string, olderThan: number): number {
    return this.run(() => this.stmt.interrupt.run({ profileId, olderThan, updatedAt: this.now() }).changes);
  }

  toCsv(rows: readonly CallLogRow[]): string {
    return callLogToCsv(rows);
  }

  mergeVendor(local: readonly CallLogRow[], vendor: readonly CallLogRow[], toleranceMs = DEFAULT_MERGE_TOLERANCE_MS): MergedCallLogRow[] {
    return mergeVendorHistory(local, vendor, toleranceMs);
  }

  /** Close the database (checkpointing the WAL). Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } catch {
      // Closing never fails the caller: the WAL is replayed on the next open.
    }
  }

  /** Run a database operation, turning SQLite failures into CallLogStoreError. */
  private run<T>(op: () => T): T {
    if (this.closed) throw new CallLogStoreError('closed', 'The call log is closed.');
    try {
      return op();
    } catch (err) {
      throw toCallLogError(err, this.location);
    }
  }
}

function readVersion(db: Db): number {
  const table = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`).get();
  if (!table) return 0;
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  return row?.version ?? 0;
}

function migrate(db: Db, location: string): void {
  const current = readVersion(db);
  if (current > CALL_LOG_SCHEMA_VERSION) {
    throw new CallLogStoreError(
      'newerSchema',
      `The call log ${location} was written by a newer version of the app (schema ${current}, this version knows ${CALL_LOG_SCHEMA_VERSION}).`,
    );
  }
  const apply = db.transaction((from: number) => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    for (const m of migrations) if (m.version > from) db.exec(m.sql);
    db.prepare('DELETE FROM schema_version').run();
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(CALL_LOG_SCHEMA_VERSION);
  });
  if (current < CALL_LOG_SCHEMA_VERSION) apply.immediate(current);
}
