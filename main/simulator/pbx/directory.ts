// The directory: a shared directory plus private directories per user (updateUserDirectory), with the
// TelServices-style "smart" name search (prefix, then word start, then company) and exact number lookup.
import type { DirectoryEntry } from './config.js';

export class Directory {
  private shared: DirectoryEntry[];
  /** userID → directoryName → entries. */
  private readonly privateDirs = new Map<string, Map<string, DirectoryEntry[]>>();

  constructor(entries: DirectoryEntry[]) {
    this.shared = entries.map((e) => ({ ...e }));
  }

  /** Replace one private directory of a user entirely (the manual: an update holds the whole directory). */
  replaceUserDirectory(userID: string, directoryName: string, entries: DirectoryEntry[]): void {
    let dirs = this.privateDirs.get(userID);
    if (!dirs) {
      dirs = new Map();
      this.privateDirs.set(userID, dirs);
    }
    dirs.set(directoryName, entries.map((e) => ({ ...e })));
  }

  replaceShared(entries: DirectoryEntry[]): void {
    this.shared = entries.map((e) => ({ ...e }));
  }

  /** Entries visible to these users: the shared directory plus their private ones. */
  visibleTo(userIDs: readonly string[]): DirectoryEntry[] {
    const out = [...this.shared];
    for (const id of userIDs) {
      for (const entries of this.privateDirs.get(id)?.values() ?? []) out.push(...entries);
    }
    return out;
  }

  /**
   * Smart name search, case-insensitive: names starting with `name`; if none, names containing " name";
   * if none, companies starting with `name`. Sorted by name, then cut to `limit`.
   */
  searchName(name: string, userIDs: readonly string[], limit?: number): DirectoryEntry[] {
    const needle = name.toLowerCase();
    const entries = this.visibleTo(userIDs);
    const steps: Array<(e: DirectoryEntry) => boolean> = [
      (e) => e.name.toLowerCase().startsWith(needle),
      (e) => e.name.toLowerCase().includes(` ${needle}`),
      (e) => (e.company ?? '').toLowerCase().startsWith(needle),
    ];
    let found: DirectoryEntry[] = [];
    for (const step of steps) {
      found = entries.filter(step);
      if (found.length > 0) break;
    }
    found.sort((a, b) => compareNames(a.name, b.name) || a.number.localeCompare(b.number));
    return limit !== undefined && limit >= 0 ? found.slice(0, limit) : found;
  }

  /** Exact match on the number as recorded (the manual: numbers are expected as stored). */
  searchNumber(number: string, userIDs: readonly string[]): DirectoryEntry[] {
    return this.visibleTo(userIDs).filter((e) => e.number === number);
  }

  /** The entry that names a caller, private directories first (they are the user's own contacts). */
  lookup(number: string, userIDs: readonly string[]): DirectoryEntry | undefined {
    for (const id of userIDs) {
      for (const entries of this.privateDirs.get(id)?.values() ?? []) {
        const hit = entries.find((e) => e.number === number);
        if (hit) return hit;
      }
    }
    return this.shared.find((e) => e.number === number);
  }
}

function compareNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}
