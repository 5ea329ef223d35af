// The user's own settings (keyboard shortcuts, the ringer) in one JSON file in the data folder. A file
// that is unreadable or invalid never stops the desk: the defaults apply, the problem is reported
// once, and the next save writes a valid file over it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserSettings } from '../../shared/settings.js';
import { writeFileAtomic } from '../profiles/atomic-write.js';

export const USER_SETTINGS_FILE = 'settings.json';

export class UserSettingsStore {
  private readonly file: string;
  private current: UserSettings;
  /** Why the file on disk was not used, when it was not. */
  readonly loadProblem: string | null;

  constructor(dataDir: string) {
    this.file = join(dataDir, USER_SETTINGS_FILE);
    const { settings, problem } = read(this.file);
    this.current = settings;
    this.loadProblem = problem;
  }

  get(): UserSettings {
    return this.current;
  }

  /** Validate and write; the settings in effect change only when the write worked. */
  save(next: unknown): UserSettings {
    const parsed = UserSettings.parse(next);
    writeFileAtomic(this.file, `${JSON.stringify(parsed, null, 2)}\n`);
    this.current = parsed;
    return parsed;
  }
}

function read(file: string): { settings: UserSettings; problem: string | null } {
  const defaults = UserSettings.parse({});
  if (!existsSync(file)) return { settings: defaults, problem: null };
  try {
    const r = UserSettings.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (r.success) return { settings: r.data, problem: null };
    return { settings: defaults, problem: `${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}` };
  } catch (err) {
    return { settings: defaults, problem: `${file}: ${(err as Error).message}` };
  }
}
