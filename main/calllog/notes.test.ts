import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallLogRow } from '../../shared/calllog.js';
import { callLogToCsv } from './csv.js';
import { CallLogStore } from './store.js';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const row = (over: Partial<CallLogRow> = {}): CallLogRow => ({
  id: 'c1',
  profileId: 'demo',
  device: '1101',
  direction: 'inbound',
  remoteNumber: '0612345678',
  remoteName: 'Sophie Lefebvre',
  startedAt: T0,
  outcome: 'ongoing',
  data: {},
  source: 'local',
  ...over,
});

let dir: string;
let store: CallLogStore | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'notes-'));
});
afterEach(() => {
  store?.close();
  store = null;
  rmSync(dir, { recursive: true, force: true });
});
const open = () => (store = CallLogStore.open(dir));

describe('call notes', () => {
  it('keeps the note while the recorder writes the call again, and across a restart', () => {
    const s = open();
    s.upsert(row());
    expect(s.setNote('demo', 'c1', '  Wants a quote for the flat in Lyon  ')).toBe(true);
    s.upsert(row({ outcome: 'answered', endedAt: T0 + 60_000 }));
    expect(s.get('c1', 'demo')).toMatchObject({ outcome: 'answered', note: 'Wants a quote for the flat in Lyon' });
    store?.close();
    expect(open().get('c1', 'demo')?.note).toBe('Wants a quote for the flat in Lyon');
  });

  it('finds a call by the words of its note, ignoring case and accents', () => {
    const s = open();
    s.upsert(row());
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
