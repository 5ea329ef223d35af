// Scheduled callbacks in the call log's database: add or change, list what is pending for a
// profile (soonest first), mark one done, remove one, and the next one due.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type Callback, CallbackInput } from '../../shared/callbacks.js';
import { CallLogStoreError } from './errors.js';

interface DbCallback {
  id: string;
  profile_id: string;
  number: string;
  name: string | null;
  note: string | null;
  due_at: number;
  created_at: number;
  from_call_id: string | null;
}

function fromDb(r: DbCallback): Callback {
  return {
    id: r.id,
    profileId: r.profile_id,
    number: r.number,
    dueAt: r.due_at,
    createdAt: r.created_at,
    ...(r.name ? { name: r.name } : {}),
    ...(r.note ? { note: r.note } : {}),
    ...(r.from_call_id ? { fromCallId: r.from_call_id } : {}),
  };
}

/** At most this many pending callbacks per profile: a list an agent can still work through. */
export const MAX_PENDING_CALLBACKS = 500;

export class CallbackBook {
  private readonly stmt;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
    private readonly run: <T>(op: () => T) => T,
  ) {
    this.stmt = {
      insert: db.prepare(`
        INSERT INTO callbacks (id, profile_id, number, name, note, due_at, created_at, from_call_id)
        VALUES (@id, @profileId, @number, @name, @note, @dueAt, @createdAt, @fromCallId)`),
      update: db.prepare(`
        UPDATE callbacks SET number = @number, name = @name, note = @note, due_at = @dueAt
        WHERE id = @id AND profile_id = @profileId AND done_at IS NULL`),
      get: db.prepare(`SELECT * FROM callbacks WHERE id = @id AND profile_id = @profileId`),
      pending: db.prepare(`SELECT * FROM callbacks WHERE profile_id = @profileId AND done_at IS NULL ORDER BY due_at, created_at LIMIT @limit`),
      count: db.prepare(`SELECT count(*) AS n FROM callbacks WHERE profile_id = @profileId AND done_at IS NULL`),
      done: db.prepare(`UPDATE callbacks SET done_at = @doneAt WHERE id = @id AND profile_id = @profileId AND done_at IS NULL`),
      remove: db.prepare(`DELETE FROM callbacks WHERE id = @id AND profile_id = @profileId`),
    };
  }

  /** Add a callback (input without id) or change a pending one. */
  save(profileId: string, input: unknown): Callback {
    const parsed = CallbackInput.safeParse(input);
    if (!parsed.success) throw new CallLogStoreError('invalid', `Invalid callback: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(callback)'}: ${i.message}`).join('; ')}`);
    const c = parsed.data;
    const row = { profileId, number: c.number, name: c.name || null, note: c.note || null, dueAt: c.dueAt };
    return this.run(() => {
      if (c.id) {
        if (this.stmt.update.run({ ...row, id: c.id }).changes === 0) throw new CallLogStoreError('invalid', 'That callback is done or no longer exists.');
        return fromDb(this.stmt.get.get({ id: c.id, profileId }) as DbCallback);
      }
      if ((this.stmt.count.get({ profileId }) as { n: number }).n >= MAX_PENDING_CALLBACKS) {
        throw new CallLogStoreError('invalid', `At most ${MAX_PENDING_CALLBACKS} callbacks can wait; mark some done first.`);
      }
      const id = randomUUID();
      this.stmt.insert.run({ ...row, id, createdAt: this.now(), fromCallId: c.fromCallId ?? null });
      return fromDb(this.stmt.get.get({ id, profileId }) as DbCallback);
    });
  }

  /** The callbacks still to make, soonest first. */
  pending(profileId: string): Callback[] {
    return this.run(() => this.stmt.pending.all({ profileId, limit: MAX_PENDING_CALLBACKS }) as DbCallback[]).map(fromDb);
  }

  /** Mark a callback made; false when it was not pending. */
  done(profileId: string, id: string): boolean {
    return this.run(() => this.stmt.done.run({ id, profileId, doneAt: this.now() }).changes > 0);
  }

  remove(profileId: string, id: string): boolean {
    return this.run(() => this.stmt.remove.run({ id, profileId }).changes > 0);
  }
}
