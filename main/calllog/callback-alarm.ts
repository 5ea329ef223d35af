// Announces each scheduled callback once when it falls due (and, at start, those already due).
// One timer to the soonest one not yet announced; a callback moved to a new time is announced
// again at that time. Those falling due together come in one announcement, so a morning's
// backlog is one notice, not fifty.
import type { Callback } from '../../shared/callbacks.js';

/** setTimeout takes at most 2^31-1 ms; a far-off callback is looked at again within the hour. */
const MAX_WAIT_MS = 3_600_000;

export interface CallbackAlarmOptions {
  pending: () => Callback[];
  /** The callbacks that have just fallen due, soonest first (never empty). */
  onDue: (due: Callback[]) => void;
  now?: () => number;
}

export class CallbackAlarm {
  private readonly now: () => number;
  /** id → the due time it was announced for. */
  private readonly announced = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly opts: CallbackAlarmOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Look again (after a change, or another profile): announce what is due, wait for the next. */
  check(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const t = this.now();
    let next = Infinity;
    const due: Callback[] = [];
    const pending = this.opts.pending();
    const ids = new Set(pending.map((c) => c.id));
    for (const id of this.announced.keys()) if (!ids.has(id)) this.announced.delete(id);
    for (const c of pending) {
      if (this.announced.get(c.id) === c.dueAt) continue;
      if (c.dueAt <= t) {
        this.announced.set(c.id, c.dueAt);
        due.push(c);
      } else next = Math.min(next, c.dueAt);
    }
    if (due.length > 0) this.opts.onDue(due);
    if (next === Infinity) return;
    this.timer = setTimeout(() => this.check(), Math.min(next - t, MAX_WAIT_MS));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** "Callback due: Sophie Lefebvre (0612345678), quote for the flat", or "3 callbacks due: A, B and C". */
export function callbacksDueText(due: readonly Callback[]): string {
  const who = (c: Callback) => (c.name ? `${c.name} (${c.number})` : c.number);
  const [first] = due;
  if (due.length === 1 && first) return `Callback due: ${who(first)}${first.note ? `, ${first.note}` : ''}`;
  const names = due.slice(0, 3).map(who);
  const more = due.length - names.length;
  const list = more > 0 ? `${names.join(', ')} and ${more} more` : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
  return `${due.length} callbacks due: ${list}`;
}
