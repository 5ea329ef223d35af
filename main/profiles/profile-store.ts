// Server profiles on disk: one validated JSON file per profile (<id>.json) plus the built-in
// demo profile, and the active profile id in a small settings file. Bad files never crash it.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Profile, type ProfileSummary } from '../../shared/profile.js';
import type { Logger } from '../core/log.js';
import { writeFileAtomic } from './atomic-write.js';
import { DEMO_PROFILE_ID, demoCtipsProfile, demoInstantVoiceProfile, demoO2gProfile, demoProfile, demoTwsProfile, type LabCtips, type LabInstantVoice, type LabO2g, type LabTws } from './demo-profile.js';
import { ProfileStoreError } from './errors.js';
import type { SecretStore } from './secret-store.js';
import { checkProfile, findSecrets, stripSecrets, unknownTopLevelKeys } from './validate.js';

/** The lab PBX's default TelServices gateway port (main/simulator/ports.ts), used when the host passes none. */
export const DEFAULT_LAB_PORT = 5075;

/** Not a valid profile id (ids never contain '_'), so it can share the folder with the profiles. */
export const SETTINGS_FILE = '_settings.json';

const Settings = z.object({ activeProfileId: z.string().nullable().default(null) });
type Settings = z.infer<typeof Settings>;

const idPattern = /^[a-z0-9][a-z0-9-]*$/;
const MAX_ID = 64;

export interface InvalidProfileFile {
  /** File name inside the profiles folder. */
  file: string;
  errors: string[];
}

export interface ProfileImport {
  profile: Profile;
  /** Paths of password/secret keys found in the JSON and dropped (secrets never travel in files). */
  strippedSecrets: string[];
  /** Top-level keys this version does not know, dropped. */
  ignoredKeys: string[];
  /** Set when the imported id was taken (or was the demo's) and the profile got a new one. */
  renamedFrom?: string;
}

export interface ProfileStoreOptions {
  /** TelServices port of the built-in lab PBX, for the demo profile. */
  labPort?: number;
  /** The lab's O2G front-end, when it runs here: adds the built-in O2G demo profile. */
  labO2g?: LabO2g;
  /** The lab's TWS front-end, for the TWS demo profile. */
  labTws?: LabTws;
  /** The lab's InstantVoice ACD and its broker, for the InstantVoice demo profile. */
  labInstantVoice?: LabInstantVoice;
  /** The lab's CTIPS portal pair, for the CTIPS demo profile. */
  labCtips?: LabCtips;
  /** Adjust the built-in demo profiles (tests use a short keep-alive). */
  demoOverrides?: Partial<Profile>;
  /** When given, list() reports hasSecret and delete() removes the profile's secret. */
  secrets?: SecretStore;
  log?: Logger;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Reads the folder on every call rather than caching, so a profile an admin drops in (or fixes)
 * is seen at once; the files are small and few. Synchronous on purpose: the calls are tiny and
 * the API (list/get/save) stays simple for both hosts.
 */
export class ProfileStore {
  readonly folder: string;
  /** Built-in profiles (the demos), never written, never deleted. */
  private readonly builtIns: Profile[];
  private readonly opts: ProfileStoreOptions;
  /** File name + content already reported as invalid, so a bad file is logged once, not per list(). */
  private readonly reported = new Set<string>();

  constructor(folder: string, opts: ProfileStoreOptions = {}) {
    this.folder = folder;
    this.opts = opts;
    const bases = [demoProfile(opts.labPort ?? DEFAULT_LAB_PORT), ...(opts.labO2g ? [demoO2gProfile(opts.labO2g)] : []), ...(opts.labTws ? [demoTwsProfile(opts.labTws)] : []),
      ...(opts.labInstantVoice ? [demoInstantVoiceProfile(opts.labInstantVoice)] : []),
      ...(opts.labCtips ? [demoCtipsProfile(opts.labCtips)] : []),
    ];
    this.builtIns = bases.map((base) => (opts.demoOverrides ? Profile.parse({ ...base, ...opts.demoOverrides, id: base.id, connection: base.connection }) : base));
  }

  private builtIn(id: string): Profile | undefined {
    return this.builtIns.find((p) => p.id === id);
  }

  /** Built-in demo first, then by name. Invalid files are skipped (see invalidFiles()). */
  list(): ProfileSummary[] {
    const stored = this.scan().profiles.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return [...this.builtIns, ...stored].map((profile) => ({
      profile,
      hasSecret: this.opts.secrets?.has(profile.id) ?? false,
      builtIn: this.isBuiltIn(profile.id),
    }));
  }

  /** Files in the folder that are not valid profiles, with readable reasons. */
  invalidFiles(): InvalidProfileFile[] {
    return this.scan().invalid;
  }

  get(id: string): Profile | null {
    const builtIn = this.builtIn(id);
    if (builtIn) return builtIn;
    if (!idPattern.test(id)) return null;
    const r = this.readFile(`${id}.json`);
    return r.ok ? r.profile : null;
  }

  isBuiltIn(id: string): boolean {
    return this.builtIn(id) !== undefined;
  }

  /**
   * Validate and write the profile; returns what was stored. Saving the built-in demo profile
   * stores a copy under a new id instead (the demo itself is never overwritten).
   * Throws ProfileStoreError('invalid') with readable errors, or ('io').
   */
  save(input: unknown): Profile {
    const check = checkProfile(input);
    if (!check.ok) throw new ProfileStoreError('invalid', 'Invalid profile', check.errors);
    let profile = check.profile;
    const builtIn = this.builtIn(profile.id);
    if (builtIn) {
      const name = profile.name === builtIn.name ? `${profile.name} copy` : profile.name;
      profile = { ...profile, id: this.freeId(`${builtIn.id}-copy`), name };
    }
    this.write(profile);
    return profile;
  }

  /** Remove a stored profile (and its secret). The demo profile cannot be deleted. */
  delete(id: string): void {
    if (this.isBuiltIn(id)) throw new ProfileStoreError('builtIn', 'A built-in demo profile cannot be deleted');
    const file = idPattern.test(id) ? join(this.folder, `${id}.json`) : null;
    if (!file || !existsSync(file)) throw new ProfileStoreError('notFound', `No profile '${id}'`);
    try {
      rmSync(file);
    } catch (err) {
      throw new ProfileStoreError('io', `Could not delete profile '${id}' (${errorText(err)})`);
    }
    this.opts.secrets?.delete(id);
    if (this.readSettings().activeProfileId === id) this.writeSettings({ activeProfileId: null });
  }

  /** The profile as JSON for another machine. Profiles never hold secrets; this checks it anyway. */
  exportJson(id: string): string {
    const profile = this.get(id);
    if (!profile) throw new ProfileStoreError('notFound', `No profile '${id}'`);
    const leaked = findSecrets(profile);
    if (leaked.length) {
      // Unreachable while the schema has no secret field; a schema change must not leak one.
      throw new ProfileStoreError('invalid', 'Refusing to export a profile that contains secrets', leaked);
    }
    return `${JSON.stringify(profile, null, 2)}\n`;
  }

  /** Import and store a profile from JSON; see importJsonDetailed for what was dropped. */
  importJson(json: string): Profile {
    return this.importJsonDetailed(json).profile;
  }

  /**
   * Parse, strip secrets, validate and store a profile from JSON. A taken id (or the demo's) gets a
   * new one rather than silently replacing an existing profile; a missing id is made from the name.
   */
  importJsonDetailed(json: string): ProfileImport {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (err) {
      throw new ProfileStoreError('invalid', 'The file is not valid JSON', [errorText(err)]);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ProfileStoreError('invalid', 'The file does not contain a profile', ['(profile): expected a JSON object']);
    }
    const { value, stripped } = stripSecrets(raw);
    const candidate = { ...(value as Record<string, unknown>) };
    const ignoredKeys = unknownTopLevelKeys(candidate, Object.keys(Profile.shape));
    if (candidate.id === undefined && typeof candidate.name === 'string') candidate.id = slug(candidate.name);

    const check = checkProfile(candidate);
    if (!check.ok) throw new ProfileStoreError('invalid', 'Invalid profile', check.errors);
    let profile = check.profile;
    let renamedFrom: string | undefined;
    if (this.isBuiltIn(profile.id) || this.exists(profile.id)) {
      renamedFrom = profile.id;
      profile = { ...profile, id: this.freeId(`${profile.id}-imported`) };
    }
    this.write(profile);
    if (stripped.length || ignoredKeys.length) {
      this.opts.log?.warn({ profileId: profile.id, strippedSecrets: stripped, ignoredKeys }, 'profile import: dropped keys');
    }
    return { profile, strippedSecrets: stripped, ignoredKeys, ...(renamedFrom ? { renamedFrom } : {}) };
  }

  /** The persisted active profile id, or the demo's when none is set or it no longer exists. */
  activeId(): string {
    const id = this.readSettings().activeProfileId;
    return id !== null && this.get(id) ? id : DEMO_PROFILE_ID;
  }

  setActiveId(id: string): void {
    if (!this.get(id)) throw new ProfileStoreError('notFound', `No profile '${id}'`);
    this.writeSettings({ activeProfileId: id });
  }

  private exists(id: string): boolean {
    return this.isBuiltIn(id) || existsSync(join(this.folder, `${id}.json`));
  }

  /** `base`, or `base-2`, `base-3`, … whichever is free, within the id length limit. */
  private freeId(base: string): string {
    const stem = base.slice(0, MAX_ID - 4).replace(/-+$/, '') || 'profile';
    if (!this.exists(stem)) return stem;
    for (let n = 2; ; n += 1) {
      const id = `${stem}-${n}`;
      if (!this.exists(id)) return id;
    }
  }

  private write(profile: Profile): void {
    try {
      writeFileAtomic(join(this.folder, `${profile.id}.json`), `${JSON.stringify(profile, null, 2)}\n`, 0o644);
    } catch (err) {
      throw new ProfileStoreError('io', `Could not save profile '${profile.id}' (${errorText(err)})`);
    }
  }

  private scan(): { profiles: Profile[]; invalid: InvalidProfileFile[] } {
    const profiles: Profile[] = [];
    const invalid: InvalidProfileFile[] = [];
    let files: string[];
    try {
      files = readdirSync(this.folder).filter((f) => f.endsWith('.json') && f !== SETTINGS_FILE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') invalid.push({ file: '.', errors: [`cannot read the profiles folder: ${errorText(err)}`] });
      return { profiles, invalid };
    }
    for (const file of files.sort()) {
      const r = this.readFile(file);
      if (r.ok) profiles.push(r.profile);
      else invalid.push({ file, errors: r.errors });
    }
    return { profiles, invalid };
  }

  private readFile(file: string): { ok: true; profile: Profile } | { ok: false; errors: string[] } {
    const id = file.slice(0, -'.json'.length);
    let text: string;
    try {
      text = readFileSync(join(this.folder, file), 'utf8');
    } catch (err) {
      return { ok: false, errors: [`cannot read: ${errorText(err)}`] };
    }
    const result = ((): { ok: true; profile: Profile } | { ok: false; errors: string[] } => {
      if (this.isBuiltIn(id)) return { ok: false, errors: [`${id} is a built-in demo profile; this file is ignored`] };
      if (!idPattern.test(id)) return { ok: false, errors: ['the file name must be <profile id>.json (lower-case letters, digits, dashes)'] };
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        return { ok: false, errors: [`not valid JSON: ${errorText(err)}`] };
      }
      const check = checkProfile(raw);
      if (!check.ok) return check;
      if (check.profile.id !== id) return { ok: false, errors: [`id: '${check.profile.id}' does not match the file name ${file}`] };
      return check;
    })();
    if (!result.ok) this.report(file, text, result.errors);
    return result;
  }

  private report(file: string, content: string, errors: string[]): void {
    const key = `${file}\u0000${content}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.opts.log?.warn({ file, errors }, 'skipping an invalid profile file');
  }

  private readSettings(): Settings {
    const path = join(this.folder, SETTINGS_FILE);
    try {
      return Settings.parse(JSON.parse(readFileSync(path, 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.opts.log?.warn({ file: SETTINGS_FILE, error: errorText(err) }, 'ignoring an unreadable settings file');
      }
      return { activeProfileId: null };
    }
  }

  private writeSettings(settings: Settings): void {
    try {
      writeFileAtomic(join(this.folder, SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`, 0o644);
    } catch (err) {
      throw new ProfileStoreError('io', `Could not save the settings (${errorText(err)})`);
    }
  }
}

/** A profile id from a display name: 'Paris HQ (TelServer)' → 'paris-hq-telserver'. */
function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_ID);
  return s || 'profile';
}
