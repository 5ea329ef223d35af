import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PENDING_CALLBACKS } from './callbacks.js';
import { CALL_LOG_FILE, CALL_LOG_SCHEMA_VERSION, CallLogStore } from './store.js';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
let dir: string;
let store: CallLogStore | null = null;
let now = T0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'callbacks-'));
  now = T0;
});
afterEach(() => {
  store?.close();
  store = null;
  rmSync(dir, { recursive: true, force: true });
});

const open = () => (store = CallLogStore.open(dir, { now: () => now }));

describe('scheduled callbacks', () => {
  it('lists what is pending for the profile, soonest first, and keeps it across a restart', () => {
    const book = open().callbacks;
    const later = book.save('demo', { number: '0612345678', name: 'Sophie Lefebvre', note: 'quote for the flat', dueAt: T0 + 3_600_000 });
    const sooner = book.save('demo', { number: '0145678901', dueAt: T0 + 60_000, fromCallId: 'call-7' });
    book.save('other', { number: '1102', dueAt: T0 });
    expect(later).toMatchObject({ profileId: 'demo', number: '0612345678', name: 'Sophie Lefebvre', note: 'quote for the flat', createdAt: T0 });
    expect(book.pending('demo').map((c) => c.id)).toEqual([sooner.id, later.id]);
    store?.close();
    expect(open().callbacks.pending('demo')).toEqual([sooner, later]);
  });

  it('changes a pending callback, marks one done once, removes one', () => {
    const book = open().callbacks;
    const c = book.save('demo', { number: '0612345678', dueAt: T0 + 60_000 });
    const moved = book.save('demo', { id: c.id, number: '0612345678', note: 'after lunch', dueAt: T0 + 7_200_000 });
    expect(moved).toMatchObject({ id: c.id, note: 'after lunch', dueAt: T0 + 7_200_000, createdAt: T0 });
    expect(book.done('other', c.id)).toBe(false);
    expect(book.done('demo', c.id)).toBe(true);
    expect(book.done('demo', c.id)).toBe(false);
    expect(book.pending('demo')).toEqual([]);
    expect(() => book.save('demo', { id: c.id, number: '1', dueAt: T0 })).toThrow(/done or no longer exists/);
    const d = book.save('demo', { number: '1102', dueAt: T0 });
    expect(book.remove('demo', d.id)).toBe(true);
    expect(book.remove('demo', d.id)).toBe(false);
  });

  it('refuses an invalid callback with what is wrong', () => {
    const book = open().callbacks;
    expect(() => book.save('demo', { number: 'call me', dueAt: T0 })).toThrow(/number: digits, \+ \* # and separators only/);
    expect(() => book.save('demo', { number: '1102', dueAt: -1 })).toThrow(/dueAt/);
    expect(() => book.save('demo', { number: '1102', dueAt: T0, extra: 1 })).toThrow(/Invalid callback/);
  });

  it('caps the pending list', () => {
    const book = open().callbacks;
    for (let i = 0; i < MAX_PENDING_CALLBACKS; i++) book.save('demo', { number: '1102', dueAt: T0 + i });
    expect(() => book.save('demo', { number: '1102', dueAt: T0 })).toThrow(/mark some done first/);
  });

  it('adds the table (and the note columns) to a call log written by version 1, keeping its calls', () => {
    const db = new Database(join(dir, CALL_LOG_FILE));
    db.exec(`CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);
      CREATE TABLE call_log (profile_id TEXT NOT NULL, id TEXT NOT NULL, device TEXT NOT NULL, direction TEXT NOT NULL, remote_number TEXT NOT NULL,
        remote_name TEXT, remote_company TEXT, called_number TEXT, started_at INTEGER NOT NULL, answered_at INTEGER, ended_at INTEGER,
        duration_sec REAL, outcome TEXT NOT NULL, cause TEXT, data TEXT NOT NULL DEFAULT '{}', source TEXT NOT NULL DEFAULT 'local',
        search_text TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (profile_id, id));
      INSERT INTO call_log VALUES ('demo', 'old', '1101', 'inbound', '0612345678', NULL, NULL, NULL, ${T0}, NULL, NULL, NULL, 'missed', NULL, '{}', 'local', '0612345678', ${T0});`);
    db.close();
    const s = open();
    expect(s.schemaVersion()).toBe(CALL_LOG_SCHEMA_VERSION);
    expect(s.get('old', 'demo')?.outcome).toBe('missed');
    expect(s.callbacks.save('demo', { number: '0612345678', dueAt: T0, fromCallId: 'old' }).fromCallId).toBe('old');
  });
});
