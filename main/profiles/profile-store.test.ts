import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Profile, type ProfileInput } from '../../shared/profile.js';
import { createLogger } from '../core/log.js';
import { DEMO_PROFILE_ID } from './demo-profile.js';
import { ProfileStoreError } from './errors.js';
import { ProfileStore, SETTINGS_FILE } from './profile-store.js';
import { MemorySecretStore } from './secret-store.js';

let dir: string;
let secrets: MemorySecretStore;
let logLines: string[];

function store(): ProfileStore {
  const log = createLogger({ level: 'debug', destination: { write: (s: string) => void logLines.push(s) } });
  return new ProfileStore(dir, { labPort: 4321, secrets, log });
}

function paris(over: Partial<ProfileInput> = {}): ProfileInput {
  return {
    id: 'paris',
    name: 'Paris HQ',
    device: '2001',
    connection: { vendor: 'telservices', host: 'cti.paris.example', port: 5000 },
    ...over,
  };
}

function caught(op: () => unknown): ProfileStoreError {
  try {
    op();
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileStoreError);
    return err as ProfileStoreError;
  }
  throw new Error('expected a ProfileStoreError');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'profiles-'));
  secrets = new MemorySecretStore();
  logLines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ProfileStore: the built-in demo profile', () => {
  it('is listed first, built in, pointing at the lab PBX', () => {
    const [first] = store().list();
    expect(first?.builtIn).toBe(true);
    expect(first?.profile).toMatchObject({
      id: 'demo',
      name: 'Lab PBX (demo)',
      device: '1101',
      agentId: 'agent1101',
      keepAliveSec: 2,
      connection: { vendor: 'telservices', host: '127.0.0.1', port: 4321 },
      notReadyReasons: ['Break', 'Lunch', 'Training', 'Meeting', 'Coaching'],
    });
    expect(first?.profile.screenPop.urlTemplate).toBe('https://crm.example.com/customers?phone={number}&customer={data.customerId}');
  });

  it('cannot be deleted', () => {
    expect(caught(() => store().delete(DEMO_PROFILE_ID)).reason).toBe('builtIn');
  });

  it('saving it creates a copy with a new id; the demo stays as it was', () => {
    const s = store();
    const demo = s.get('demo') as Profile;
    const first = s.save({ ...demo, device: '1102' });
    const second = s.save({ ...demo, name: 'My lab' });
    expect(first).toMatchObject({ id: 'demo-copy', name: 'Lab PBX (demo) copy', device: '1102' });
    expect(second).toMatchObject({ id: 'demo-copy-2', name: 'My lab' });
    expect(s.get('demo')?.device).toBe('1101');
    expect(existsSync(join(dir, 'demo.json'))).toBe(false);
    expect(s.list().map((p) => p.profile.id)).toEqual(['demo', 'demo-copy', 'demo-copy-2']);
  });

  it('ignores a demo.json on disk, reporting it', () => {
    writeFileSync(join(dir, 'demo.json'), JSON.stringify({ ...paris(), id: 'demo' }));
    const s = store();
    expect(s.get('demo')?.connection).toMatchObject({ vendor: 'telservices', host: '127.0.0.1' });
    expect(s.invalidFiles()).toEqual([{ file: 'demo.json', errors: ['demo is a built-in demo profile; this file is ignored'] }]);
  });
});

describe('ProfileStore: files', () => {
  it('saves, lists (by name), gets and deletes profiles as <id>.json', () => {
    const s = store();
    s.save(paris());
    s.save(paris({ id: 'lyon', name: 'Lyon', device: '3001' }));
    expect(JSON.parse(readFileSync(join(dir, 'paris.json'), 'utf8'))).toMatchObject({ id: 'paris', name: 'Paris HQ' });
    expect(s.list().map((p) => p.profile.id)).toEqual(['demo', 'lyon', 'paris']);
    expect(s.get('paris')?.keepAliveSec).toBe(15);
    s.delete('lyon');
    expect(s.get('lyon')).toBeNull();
    expect(caught(() => s.delete('lyon')).reason).toBe('notFound');
  });

  it('leaves no temporary file behind (atomic write: temp + rename)', () => {
    const s = store();
    s.save(paris());
    s.save(paris({ name: 'Paris again' }));
    expect(readdirSync(dir)).toEqual(['paris.json']);
    expect(s.get('paris')?.name).toBe('Paris again');
  });

  it('rejects an invalid profile on save with readable errors', () => {
    const e = caught(() => store().save(paris({ device: 'abc', connection: { vendor: 'telservices', host: 'x', port: 0 } })));
    expect(e.reason).toBe('invalid');
    expect(e.code).toBe('invalid');
    expect(e.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^device: /), expect.stringMatching(/^connection\.port: /)]));
    expect(existsSync(join(dir, 'paris.json'))).toBe(false);
  });

  it('rejects a screen-pop template that could not be opened', () => {
    const e = caught(() => store().save(paris({ screenPop: { urlTemplate: 'javascript:alert({number})', autoOpen: true } })));
    expect(e.errors[0]).toMatch(/^screenPop\.urlTemplate: only http and https/);
  });

  it('reports invalid files (name and readable errors) and skips them, never throwing', () => {
    const s = store();
    s.save(paris());
    writeFileSync(join(dir, 'broken.json'), '{ "id": "broken", ');
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify(paris({ id: 'wrong', connection: { vendor: 'telservices', host: 'h', port: 70000 } })));
    writeFileSync(join(dir, 'mismatch.json'), JSON.stringify(paris({ id: 'other' })));
    writeFileSync(join(dir, 'Bad Name.json'), JSON.stringify(paris()));
    writeFileSync(join(dir, 'notes.txt'), 'not a profile');
    expect(s.list().map((p) => p.profile.id)).toEqual(['demo', 'paris']);
    const invalid = s.invalidFiles();
    expect(invalid.map((i) => i.file)).toEqual(['Bad Name.json', 'broken.json', 'mismatch.json', 'wrong.json']);
    expect(invalid.find((i) => i.file === 'broken.json')?.errors[0]).toMatch(/^not valid JSON/);
    expect(invalid.find((i) => i.file === 'wrong.json')?.errors[0]).toMatch(/^connection\.port: /);
    expect(invalid.find((i) => i.file === 'mismatch.json')?.errors[0]).toMatch(/does not match the file name/);
    expect(s.get('wrong')).toBeNull();
    // Logged once per file, not on every list().
    s.list();
    expect(logLines.filter((l) => l.includes('broken.json'))).toHaveLength(1);
  });

  it('works with a profiles folder that does not exist yet', () => {
    const s = new ProfileStore(join(dir, 'later'), { labPort: 1 });
    expect(s.list()).toHaveLength(1);
    s.save(paris());
    expect(s.get('paris')?.name).toBe('Paris HQ');
  });

  it('reports hasSecret from the secret store, and delete removes the secret', () => {
    const s = store();
    s.save(paris());
    secrets.set('paris', { password: 'hunter2' });
    expect(s.list().find((p) => p.profile.id === 'paris')?.hasSecret).toBe(true);
    s.delete('paris');
    expect(secrets.has('paris')).toBe(false);
  });
});

describe('ProfileStore: the active profile', () => {
  it('defaults to the demo and persists the choice in the settings file', () => {
    const s = store();
    expect(s.activeId()).toBe('demo');
    s.save(paris());
    s.setActiveId('paris');
    expect(store().activeId()).toBe('paris');
    expect(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'))).toEqual({ activeProfileId: 'paris' });
  });

  it('falls back to the demo when the active profile is deleted or the settings file is damaged', () => {
    const s = store();
    s.save(paris());
    s.setActiveId('paris');
    s.delete('paris');
    expect(s.activeId()).toBe('demo');
    writeFileSync(join(dir, SETTINGS_FILE), '{nope');
    expect(s.activeId()).toBe('demo');
    expect(s.list()).toHaveLength(1);
  });

  it('refuses to activate an unknown profile', () => {
    expect(caught(() => store().setActiveId('nowhere')).reason).toBe('notFound');
  });
});

describe('ProfileStore: export and import', () => {
  it('exports a profile as JSON without secrets, which imports back to the same profile', () => {
    const s = store();
    const saved = s.save(paris());
    secrets.set('paris', { password: 'hunter2' });
    const json = s.exportJson('paris');
    expect(json).not.toMatch(/password|secret|hunter2/i);
    expect(Profile.parse(JSON.parse(json))).toEqual(saved);

    const other = new ProfileStore(join(dir, 'elsewhere'), { labPort: 1 });
    expect(other.importJson(json)).toEqual(saved);
  });

  it('exports the demo profile too, and an unknown id is notFound', () => {
    const s = store();
    expect(JSON.parse(s.exportJson('demo')).id).toBe('demo');
    expect(caught(() => s.exportJson('nope')).reason).toBe('notFound');
  });

  it('strips password and secret keys from imported JSON and reports them', () => {
    const s = store();
    const json = JSON.stringify({
      ...paris(),
      password: 'hunter2',
      connection: { vendor: 'telservices', host: 'cti.paris.example', port: 5000, password: 'x', Secret: 'y' },
      extras: { token: 't' },
    });
    const r = s.importJsonDetailed(json);
    expect(r.strippedSecrets.sort()).toEqual(['connection.Secret', 'connection.password', 'extras.token', 'password']);
    expect(r.ignoredKeys).toEqual(['extras']);
    expect(readFileSync(join(dir, 'paris.json'), 'utf8')).not.toMatch(/hunter2|password|secret/i);
    expect(logLines.join('')).not.toContain('hunter2');
    expect(logLines.join('')).toContain('connection.password');
  });

  it('imports a ctips profile, and rejects an unknown vendor block with a readable error', () => {
    const s = store();
    const unknown = caught(() => s.importJson(JSON.stringify(paris({ connection: { vendor: 'acme', host: 'h', port: 1 } as never }))));
    expect(unknown.errors).toEqual(["connection.vendor: unknown vendor 'acme' (supported: telservices, o2g, tws, instantvoice, ctips)"]);
    const ctips = s.importJson(
      JSON.stringify(
        paris({
          id: 'ctips-site',
          connection: { vendor: 'ctips', portals: [{ host: 'portal-a.example' }, { host: 'portal-b.example', port: 8701 }], userName: 'Test01', callback: { advertisedHost: '10.0.0.5', port: 8730 } },
        }),
      ),
    );
    expect(ctips.connection).toMatchObject({
      vendor: 'ctips',
      portals: [
        { host: 'portal-a.example', port: 8700, https: false },
        { host: 'portal-b.example', port: 8701, https: false },
      ],
      userName: 'Test01',
      gateway: null,
      serve: null,
    });
    expect(s.get('ctips-site')?.connection.vendor).toBe('ctips');
    const tws = caught(() => s.importJson(JSON.stringify(paris({ connection: { vendor: 'tws', host: 'h', port: 1 } as never }))));
    expect(tws.errors).toContain('connection.username: Invalid input: expected string, received undefined');
    const o2g = caught(() => s.importJson(JSON.stringify(paris({ connection: { vendor: 'o2g', host: 'h', port: 1 } as never }))));
    expect(o2g.errors).toContain('connection.primary: Invalid input: expected object, received undefined');
    const missing = caught(() => s.importJson(JSON.stringify(paris({ connection: { host: 'h', port: 1 } as never }))));
    expect(missing.errors[0]).toMatch(/^connection\.vendor: missing/);
  });

  it('rejects text that is not JSON or not an object', () => {
    const s = store();
    expect(caught(() => s.importJson('{"id": ')).errors[0]).toMatch(/JSON/);
    expect(caught(() => s.importJson('[1,2]')).errors[0]).toMatch(/expected a JSON object/);
    expect(caught(() => s.importJson('null')).reason).toBe('invalid');
  });

  it('never replaces an existing profile or the demo on import; a missing id comes from the name', () => {
    const s = store();
    s.save(paris());
    const again = s.importJsonDetailed(JSON.stringify(paris({ name: 'Paris 2' })));
    expect(again.profile.id).toBe('paris-imported');
    expect(again.renamedFrom).toBe('paris');
    expect(s.get('paris')?.name).toBe('Paris HQ');
    expect(s.importJson(JSON.stringify({ ...(s.get('demo') as Profile) })).id).toBe('demo-imported');
    const { id: _id, ...noId } = paris({ name: 'Lyon Été' });
    expect(s.importJson(JSON.stringify(noId)).id).toBe('lyon-ete');
  });
});

describe('ProfileStore: the O2G demo', () => {
  const labO2g = { host: '127.0.0.1', port: 5080, secondaryPort: 5081, caFile: '/tmp/lab-o2g.pem' };

  it('is listed after the TelServices demo only when the lab runs O2G', () => {
    expect(store().list().map((p) => p.profile.id)).toEqual(['demo']);
    const s = new ProfileStore(dir, { labO2g });
    expect(s.list().map((p) => [p.profile.id, p.builtIn])).toEqual([
      ['demo', true],
      ['demo-o2g', true],
    ]);
    expect(s.get('demo-o2g')?.connection).toMatchObject({
      vendor: 'o2g',
      primary: { host: '127.0.0.1', port: 5080, https: true },
      secondary: { host: '127.0.0.1', port: 5081, https: true },
      login: 'agent1',
      tls: { caFile: '/tmp/lab-o2g.pem' },
    });
  });

  it('cannot be deleted or overwritten: saving it stores a copy', () => {
    const s = new ProfileStore(dir, { labO2g });
    expect(caught(() => s.delete('demo-o2g')).reason).toBe('builtIn');
    const saved = s.save({ ...s.get('demo-o2g'), name: 'Site O2G' });
    expect(saved.id).toBe('demo-o2g-copy');
    expect(s.get('demo-o2g')?.name).toBe('Lab PBX, O2G (demo)');
  });
});
