import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallLogRow } from '../../shared/calllog.js';
import { callLogToCsv, neutralizeFormula } from './csv.js';
import { CallLogStoreError } from './errors.js';
import { mergeVendorHistory } from './merge.js';
import { CALL_LOG_FILE, CALL_LOG_SCHEMA_VERSION, CallLogStore } from './store.js';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);

function row(over: Partial<CallLogRow> = {}): CallLogRow {
  return {
    id: 'c1',
    profileId: 'demo',
    device: '1101',
    direction: 'inbound',
    remoteNumber: '+33160127764',
    startedAt: T0,
    outcome: 'answered',
    data: {},
    source: 'local',
    ...over,
  };
}

let dir: string;
let store: CallLogStore | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'calllog-'));
});
afterEach(() => {
  store?.close();
  store = null;
  rmSync(dir, { recursive: true, force: true });
});

function open(): CallLogStore {
  store = CallLogStore.open(dir);
  return store;
}

describe('CallLogStore: opening', () => {
  it('creates the file in the given folder, in WAL mode, at the current schema version', () => {
    const s = open();
    expect(existsSync(join(dir, CALL_LOG_FILE))).toBe(true);
    expect(s.journalMode()).toBe('wal');
    expect(s.schemaVersion()).toBe(CALL_LOG_SCHEMA_VERSION);
    expect(s.inMemory).toBe(false);
  });

  it('creates a missing data folder', () => {
    store = CallLogStore.open(join(dir, 'a', 'b'));
    expect(store.journalMode()).toBe('wal');
  });

  it('keeps rows across a reopen (migrations run once)', () => {
    open().upsert(row());
    store?.close();
    const again = open();
    expect(again.get('c1', 'demo')?.remoteNumber).toBe('+33160127764');
    expect(again.schemaVersion()).toBe(CALL_LOG_SCHEMA_VERSION);
  });

  it('reports a corrupt file as a typed error, and openWithFallback falls back to memory', () => {
    writeFileSync(join(dir, CALL_LOG_FILE), 'this is not a database, just some text that is long enough'.repeat(50));
    let caught: unknown;
    try {
      CallLogStore.open(dir);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CallLogStoreError);
    expect((caught as CallLogStoreError).reason).toBe('corrupt');
    expect((caught as CallLogStoreError).message).toContain(CALL_LOG_FILE);

    const { store: fallbackStore, fallback } = CallLogStore.openWithFallback(dir);
    store = fallbackStore;
    expect(fallback?.reason).toBe('corrupt');
    expect(fallbackStore.inMemory).toBe(true);
    fallbackStore.upsert(row());
    expect(fallbackStore.get('c1')?.id).toBe('c1');
    // The damaged file is left as it was, for the user or support to recover.
    expect(readFileSync(join(dir, CALL_LOG_FILE), 'utf8')).toContain('this is not a database');
  });

  it('reports damaged pages in a real database as corrupt, at open or at the first query', () => {
    const s = open();
    for (let i = 0; i < 2000; i++) s.upsert(row({ id: `c${i}`, remoteNumber: String(i), startedAt: T0 + i }));
    s.close();
    const fd = openSync(join(dir, CALL_LOG_FILE), 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xab), 0, 8192, 4096);
    closeSync(fd);
    let caught: unknown;
    try {
      store = CallLogStore.open(dir);
      store.query({ limit: 5000 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CallLogStoreError);
    expect((caught as CallLogStoreError).reason).toBe('corrupt');
  });

  it('reports a file locked by another program as locked', () => {
    const other = new Database(join(dir, CALL_LOG_FILE));
    other.exec('CREATE TABLE x (a); BEGIN EXCLUSIVE; INSERT INTO x VALUES (1);');
    try {
      const { store: s, fallback } = CallLogStore.openWithFallback(dir, { busyTimeoutMs: 50 });
      store = s;
      expect(fallback?.reason).toBe('locked');
      expect(fallback?.code).toBe('internal');
      expect(s.inMemory).toBe(true);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('refuses a file written by a newer schema', () => {
    const other = new Database(join(dir, CALL_LOG_FILE));
    other.exec(`CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (${CALL_LOG_SCHEMA_VERSION + 1});`);
    other.close();
    expect(() => CallLogStore.open(dir)).toThrow(expect.objectContaining({ reason: 'newerSchema' }));
  });

  it('fails cleanly after close', () => {
    const s = open();
    s.close();
    expect(() => s.get('c1')).toThrow(expect.objectContaining({ reason: 'closed' }));
    s.close();
  });
});

describe('CallLogStore: rows', () => {
  it('round-trips every field, and upsert replaces', () => {
    const s = open();
    const full = row({
      remoteName: 'Hélène Dupont',
      remoteCompany: 'ACME',
      calledNumber: '3000',
      answeredAt: T0 + 5000,
      endedAt: T0 + 65000,
      durationSec: 60,
      cause: 'normal',
      data: { customerId: '42', note: 'a "quoted", note' },
      source: 'pbx',
    });
    s.upsert(full);
    expect(s.get('c1', 'demo')).toEqual(full);
    s.upsert({ ...full, outcome: 'transferred' });
    expect(s.get('c1')?.outcome).toBe('transferred');
    expect(s.query({})).toHaveLength(1);
  });

  it('keeps the same call id apart per profile', () => {
    const s = open();
    s.upsert(row({ profileId: 'a', remoteNumber: '1' }));
    s.upsert(row({ profileId: 'b', remoteNumber: '2' }));
    expect(s.get('c1', 'a')?.remoteNumber).toBe('1');
    expect(s.get('c1', 'b')?.remoteNumber).toBe('2');
    expect(s.query({ profileId: 'a' }).map((r) => r.profileId)).toEqual(['a']);
    expect(s.query({}, 'b').map((r) => r.profileId)).toEqual(['b']);
    expect(s.query({})).toHaveLength(2);
  });

  it('rejects an invalid row with a typed error', () => {
    const s = open();
    expect(() => s.upsert({ ...row(), direction: 'sideways' })).toThrow(expect.objectContaining({ reason: 'invalid', code: 'invalid' }));
  });

  it('stores values as parameters, never as SQL', () => {
    const s = open();
    const nasty = `x'); DROP TABLE call_log; --`;
    s.upsert(row({ id: nasty, remoteName: nasty }));
    expect(s.get(nasty)?.remoteName).toBe(nasty);
    expect(s.query({ text: `'); DROP` })).toHaveLength(1);
  });
});

describe('CallLogStore: query', () => {
  function seed(s: CallLogStore): void {
    s.upsert(row({ id: 'a', remoteNumber: '+33160127764', remoteName: 'Hélène Dupont', startedAt: T0 }));
    s.upsert(row({ id: 'b', remoteNumber: '0612345678', remoteName: 'Bob Martin', remoteCompany: 'Globex', startedAt: T0 + 60_000 }));
    s.upsert(row({ id: 'c', remoteNumber: '1102', remoteName: 'Carol', startedAt: T0 + 120_000, direction: 'outbound' }));
    s.upsert(row({ id: 'd', remoteNumber: '3000', remoteCompany: 'Initech 100%_off', startedAt: T0 - 86_400_000 }));
  }

  it('returns newest first and honours the limit', () => {
    const s = open();
    seed(s);
    expect(s.query({}).map((r) => r.id)).toEqual(['c', 'b', 'a', 'd']);
    expect(s.query({ limit: 2 }).map((r) => r.id)).toEqual(['c', 'b']);
  });

  it('matches a substring of the number, as written or as bare digits', () => {
    const s = open();
    seed(s);
    expect(s.query({ text: '6012' }).map((r) => r.id)).toEqual(['a']);
    expect(s.query({ text: '+3316' }).map((r) => r.id)).toEqual(['a']);
    expect(s.query({ text: '06 12 34' }).map((r) => r.id)).toEqual(['b']);
  });

  it('matches name and company ignoring case and accents', () => {
    const s = open();
    seed(s);
    expect(s.query({ text: 'helene' }).map((r) => r.id)).toEqual(['a']);
    expect(s.query({ text: 'DUPONT' }).map((r) => r.id)).toEqual(['a']);
    expect(s.query({ text: 'globex' }).map((r) => r.id)).toEqual(['b']);
    expect(s.query({ text: '  mart ' }).map((r) => r.id)).toEqual(['b']);
  });

  it('treats % and _ literally (no LIKE wildcards)', () => {
    const s = open();
    seed(s);
    expect(s.query({ text: '100%_' }).map((r) => r.id)).toEqual(['d']);
    expect(s.query({ text: '%' }).map((r) => r.id)).toEqual(['d']);
    expect(s.query({ text: '_' }).map((r) => r.id)).toEqual(['d']);
  });

  it('filters by date range, both ends inclusive', () => {
    const s = open();
    seed(s);
    expect(s.query({ from: T0, to: T0 + 60_000 }).map((r) => r.id)).toEqual(['b', 'a']);
    expect(s.query({ from: T0 + 1 }).map((r) => r.id)).toEqual(['c', 'b']);
    expect(s.query({ to: T0 - 1 }).map((r) => r.id)).toEqual(['d']);
    expect(s.query({ text: 'o', from: T0 + 60_000 }).map((r) => r.id)).toEqual(['c', 'b']);
  });

  it('rejects a bad query with a typed error', () => {
    const s = open();
    expect(() => s.query({ limit: 0 })).toThrow(expect.objectContaining({ reason: 'invalid' }));
  });
});

describe('CallLogStore: interrupted calls', () => {
  it('marks stale ongoing rows of the profile as interrupted', () => {
    const s = open();
    s.upsert(row({ id: 'old', outcome: 'ongoing', startedAt: T0 - 3_600_000 }));
    s.upsert(row({ id: 'fresh', outcome: 'ongoing', startedAt: T0 }));
    s.upsert(row({ id: 'done', outcome: 'answered', startedAt: T0 - 3_600_000 }));
    s.upsert(row({ id: 'other', profileId: 'x', outcome: 'ongoing', startedAt: T0 - 3_600_000 }));
    expect(s.markInterrupted('demo', T0 - 60_000)).toBe(1);
    expect(s.get('old', 'demo')?.outcome).toBe('interrupted');
    expect(s.get('fresh', 'demo')?.outcome).toBe('ongoing');
    expect(s.get('done', 'demo')?.outcome).toBe('answered');
    expect(s.get('other', 'x')?.outcome).toBe('ongoing');
    expect(s.listOngoing('demo').map((r) => r.id)).toEqual(['fresh']);
  });
});

describe('CSV export', () => {
  const lines = (csv: string): string[] => csv.split('\r\n');

  it('writes a header line, CRLF line ends and ISO-8601 times', () => {
    const csv = callLogToCsv([row({ answeredAt: T0 + 1000, endedAt: T0 + 61_000, durationSec: 60 })]);
    const [header, first, end] = lines(csv);
    expect(header).toBe(
      'id,profile,device,direction,remote number,remote name,remote company,called number,started,answered,ended,duration (s),outcome,cause,source,call data,note',
    );
    expect(first).toBe('c1,demo,1101,inbound,+33160127764,,,,2026-11-24T09:00:00.000Z,2026-11-24T09:00:01.000Z,2026-11-24T09:01:01.000Z,60,answered,,local,,');
    expect(end).toBe('');
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    const csv = callLogToCsv([row({ remoteName: 'Dupont, "Hélène"', remoteCompany: 'line1\nline2', data: { k: 'v' } })]);
    const first = csv.split('\r\n')[1] ?? '';
    expect(first).toContain(',"Dupont, ""Hélène""","line1\nline2",');
    expect(first).toContain(',"{""k"":""v""}"');
  });

  it('neutralizes formula injection but keeps plain phone numbers exact', () => {
    expect(neutralizeFormula('=HYPERLINK("http://evil")')).toBe(`'=HYPERLINK("http://evil")`);
    expect(neutralizeFormula('+1+cmd|calc')).toBe(`'+1+cmd|calc`);
    expect(neutralizeFormula('-2+3')).toBe(`'-2+3`);
    expect(neutralizeFormula('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutralizeFormula('\t=1')).toBe(`'\t=1`);
    expect(neutralizeFormula('\r=1')).toBe(`'\r=1`);
    expect(neutralizeFormula('+33 1 60')).toBe(`'+33 1 60`);
    expect(neutralizeFormula('+33160127764')).toBe('+33160127764');
    expect(neutralizeFormula('0160127764')).toBe('0160127764');
    expect(neutralizeFormula('Bob = boss')).toBe('Bob = boss');

    const csv = callLogToCsv([row({ remoteName: '=cmd|" /C calc"!A0', remoteCompany: '@x,y' })]);
    const first = csv.split('\r\n')[1] ?? '';
    expect(first).toContain(',+33160127764,');
    expect(first).toContain(`,"'=cmd|"" /C calc""!A0","'@x,y",`);
  });

  it('is reachable from the store', () => {
    expect(open().toCsv([])).toBe(lines(callLogToCsv([]))[0] + '\r\n');
  });
});

describe('merging vendor history', () => {
  it('drops a vendor row that matches a local one, keeping the local row and noting the match', () => {
    const local = [row({ id: 'L1', data: { customerId: '42' } })];
    const vendor = [row({ id: 'V1', remoteNumber: '+33 1 60 12 77 64', startedAt: T0 + 90_000, source: 'pbx' })];
    const merged = mergeVendorHistory(local, vendor);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ id: 'L1', source: 'local', vendorMatchId: 'V1', data: { customerId: '42' } });
  });

  it('keeps vendor rows outside the tolerance, with another number or direction, as pbx rows, newest first', () => {
    const local = [row({ id: 'L1' })];
    const vendor = [
      row({ id: 'late', startedAt: T0 + 121_000 }),
      row({ id: 'other-number', remoteNumber: '1102', startedAt: T0 + 1000 }),
      row({ id: 'callback', direction: 'outbound', startedAt: T0 + 2000 }),
      row({ id: 'old', startedAt: T0 - 3_600_000 }),
    ];
    const merged = mergeVendorHistory(local, vendor);
    expect(merged.map((r) => r.id)).toEqual(['late', 'callback', 'other-number', 'L1', 'old']);
    expect(merged.filter((r) => r.id !== 'L1').every((r) => r.source === 'pbx')).toBe(true);
    expect(merged.find((r) => r.id === 'L1')?.vendorMatchId).toBeUndefined();
  });

  it('takes over whether the vendor saw a missed call acknowledged', () => {
    const local = [row({ id: 'L1', outcome: 'missed' }), row({ id: 'L2', remoteNumber: '0612345678', outcome: 'missed' })];
    const vendor = [row({ id: 'o2g:7', outcome: 'missed', acknowledged: false }), row({ id: 'o2g:8', remoteNumber: '0612345678', outcome: 'missed', acknowledged: true })];
    const merged = mergeVendorHistory(local, vendor);
    expect(merged.map((r) => [r.id, r.vendorMatchId, r.acknowledged])).toEqual([
      ['L1', 'o2g:7', false],
      ['L2', 'o2g:8', true],
    ]);
  });

  it('matches one to one, closest start first', () => {
    const local = [row({ id: 'L1', startedAt: T0 }), row({ id: 'L2', startedAt: T0 + 100_000 })];
    const vendor = [row({ id: 'V2', startedAt: T0 + 99_000 }), row({ id: 'V1', startedAt: T0 + 1000 }), row({ id: 'V3', startedAt: T0 + 50_000 })];
    const merged = mergeVendorHistory(local, vendor);
    expect(merged.map((r) => [r.id, r.vendorMatchId])).toEqual([
      ['L2', 'V2'],
      ['V3', undefined],
      ['L1', 'V1'],
    ]);
  });

  it('is reachable from the store with a custom tolerance', () => {
    const merged = open().mergeVendor([row({ id: 'L1' })], [row({ id: 'V1', startedAt: T0 + 10_000 })], 5000);
    expect(merged.map((r) => r.id)).toEqual(['V1', 'L1']);
  });
});

describe('call notes', () => {
  it('keeps the note while the recorder writes the call again, and across a restart', () => {
    const s = open();
    s.upsert(row({ outcome: 'ongoing' }));
    expect(s.setNote('demo', 'c1', '  Wants a quote for the flat in Lyon  ')).toBe(true);
    s.upsert(row({ outcome: 'answered', endedAt: T0 + 60_000 }));
    expect(s.get('c1', 'demo')).toMatchObject({ outcome: 'answered', note: 'Wants a quote for the flat in Lyon' });
    store?.close();
    expect(open().get('c1', 'demo')?.note).toBe('Wants a quote for the flat in Lyon');
  });

  it('finds a call by the words of its note, ignoring case and accents', () => {
    const s = open();
    s.upsert(row({ remoteName: 'Sophie Lefebvre' }));
    s.upsert(row({ id: 'c2', remoteNumber: '0145678901', remoteName: 'Jean Moreau' }));
    s.setNote('demo', 'c2', 'Remboursement demandé');
    expect(s.query({ text: 'rembourse' }, 'demo').map((r) => r.id)).toEqual(['c2']);
    expect(s.query({ text: 'DEMANDE' }, 'demo').map((r) => r.id)).toEqual(['c2']);
  });

  it('removes a note set empty, refuses one too long, and says when the call is not in the log', () => {
    const s = open();
    s.upsert(row());
    s.setNote('demo', 'c1', 'first');
    s.setNote('demo', 'c1', '   ');
    expect(s.get('c1', 'demo')?.note).toBeUndefined();
    expect(s.query({ text: 'first' }, 'demo')).toEqual([]);
    expect(() => s.setNote('demo', 'c1', 'x'.repeat(2001))).toThrow(/at most 2000/);
    expect(s.setNote('demo', 'nope', 'hello')).toBe(false);
    expect(s.setNote('other', 'c1', 'hello')).toBe(false);
  });

  it('exports the note as the last CSV column, neutralized like every cell', () => {
    const csv = callLogToCsv([row({ note: '=HYPERLINK("x")' })]);
    const [header, line] = csv.split('\r\n');
    expect(header?.endsWith(',note')).toBe(true);
    expect(line?.endsWith(`"'=HYPERLINK(""x"")"`)).toBe(true);
  });
});
