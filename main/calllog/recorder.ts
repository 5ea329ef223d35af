// Writes the call log from normalized events: a row from a call's first image, kept up to date,
// closed with an outcome when the call ends. Never throws into the event pipeline.
import type { CallLogRow } from '../../shared/calllog.js';
import type { CtiEvent } from '../../shared/events.js';
import type { Call, CallState, ViewState } from '../../shared/model.js';
import { initialView, reduce } from '../../shared/reducer.js';
import type { Logger } from '../core/log.js';
import { type CallLogStoreError, toCallLogError } from './errors.js';
import { endOutcome, talkSeconds } from './outcome.js';
import type { CallLogStore } from './store.js';

/** The part of the store the recorder needs (an in-memory fake in tests is fine). */
export type CallLogWriter = Pick<CallLogStore, 'upsert' | 'get' | 'listOngoing'>;

export interface CallLogRecorderOptions {
  log?: Logger;
  now?: () => number;
  /** Told about each failed write, so the host can warn the user once; the recorder goes on. */
  onError?: (err: CallLogStoreError) => void;
}

interface RecorderContext extends CallLogRecorderOptions {
  store: CallLogWriter;
  profileId: string;
  device: string;
}

/** How many ids of calls logged by an earlier run are remembered as "leave alone". */
const MAX_IGNORED = 1000;

interface Ending {
  at: number;
  cause: string | undefined;
  final: Call | undefined;
}

/**
 * Folds events through the same reducer as the UI, so late datagrams, sequence numbers and
 * snapshots are handled exactly as the agent sees them, and diffs the calls before and after:
 * a new or changed call is an image to write, a call gone is an end.
 */
export class CallLogRecorder {
  private view: ViewState = initialView();
  /** The row as last written, per open call id. */
  private readonly rows = new Map<string, CallLogRow>();
  /** Ids whose row was finished by an earlier run: a late image must not reopen them. */
  private readonly ignored = new Set<string>();
  private readonly opts: RecorderContext;
  private readonly now: () => number;

  /** `device` is the agent's device, used when an image does not name one. */
  constructor(store: CallLogWriter, profileId: string, device: string, opts: CallLogRecorderOptions = {}) {
    this.opts = { ...opts, store, profileId, device };
    this.now = opts.now ?? Date.now;
  }

  /** Feed every normalized event; events other than call, callEnded and snapshot are ignored. */
  apply(event: CtiEvent): void {
    if (event.type !== 'call' && event.type !== 'callEnded' && event.type !== 'snapshot') return;
    const prev = this.view;
    const next = reduce(prev, event);
    this.view = next;

    for (const [id, call] of Object.entries(next.calls)) {
      if (prev.calls[id] !== call) this.guard(id, () => this.onImage(call));
    }
    for (const [id, last] of Object.entries(prev.calls)) {
      if (!next.calls[id]) this.guard(id, () => this.onEnd(last, this.endingOf(event, id)));
    }
    // An end for a call this run never saw: a final image, or a row left open by a previous run.
    const endedId = endedCallId(event);
    if (endedId && !prev.calls[endedId] && prev.ended[endedId] === undefined) {
      this.guard(endedId, () => this.onUnseenEnd(endedId, this.endingOf(event, endedId)));
    }
    if (event.type === 'snapshot') this.guard('(snapshot)', () => this.closeOrphans(event.calls));
  }

  /** Ids of calls the recorder holds open. */
  openCallIds(): string[] {
    return [...this.rows.keys()];
  }

  private endingOf(event: CtiEvent, id: string): Ending {
    if (event.type === 'callEnded') return { at: event.at, cause: event.cause ?? event.call?.cause, final: event.call };
    if (event.type === 'call' && event.call.id === id) {
      return { at: event.call.endedAt ?? this.now(), cause: event.call.cause, final: event.call };
    }
    // Removed by a snapshot: the PBX no longer has it; the snapshot time is the best end time known.
    return { at: event.type === 'snapshot' ? event.at : this.now(), cause: undefined, final: undefined };
  }

  private onImage(call: Call): void {
    if (this.ignored.has(call.id)) return;
    let prev = this.rows.get(call.id);
    if (!prev) {
      const stored = this.opts.store.get(call.id, this.opts.profileId);
      if (stored && !isOpen(stored)) {
        this.ignore(call.id);
        return;
      }
      // A row left 'ongoing' or 'interrupted' by a crash: the call survived, so resume that row.
      prev = stored ?? undefined;
    }
    this.write(withImage(prev, call, this.opts, this.now()));
  }

  private onEnd(last: Call, ending: Ending): void {
    if (this.ignored.has(last.id)) return;
    const final = ending.final ? { ...last, ...ending.final, data: { ...last.data, ...ending.final.data } } : last;
    this.finish(withImage(this.rows.get(last.id), final, this.opts, this.now()), stateBeforeEnd(ending.final, last.state), ending);
  }

  private onUnseenEnd(id: string, ending: Ending): void {
    if (this.ignored.has(id)) return;
    const stored = this.opts.store.get(id, this.opts.profileId);
    if (stored && !isOpen(stored)) return;
    if (!stored && !ending.final) return;
    const row = ending.final ? withImage(stored ?? undefined, ending.final, this.opts, this.now()) : (stored as CallLogRow);
    // Without an image, the stored row says as much as is known: answered or not.
    const guessed: CallState = row.answeredAt !== undefined ? 'connected' : 'alerting';
    this.finish(row, stateBeforeEnd(ending.final, guessed), ending);
  }

  /** Rows of this profile and device still open in the store that neither this run nor the PBX knows. */
  private closeOrphans(present: Call[]): void {
    const live = new Set(present.map((c) => c.id));
    for (const row of this.opts.store.listOngoing(this.opts.profileId)) {
      if (row.device !== this.opts.device || live.has(row.id) || this.rows.has(row.id)) continue;
      this.opts.store.upsert({ ...row, outcome: 'interrupted' });
    }
  }

  private finish(row: CallLogRow, lastState: CallState, ending: Ending): void {
    const endedAt = Math.max(ending.at, row.answeredAt ?? row.startedAt);
    const outcome = endOutcome({
      direction: row.direction,
      answered: row.answeredAt !== undefined,
      lastState,
      endCause: ending.cause,
    });
    const { cause: _imageCause, ...rest } = row;
    const done: CallLogRow = { ...rest, endedAt, durationSec: talkSeconds(row.answeredAt, endedAt), outcome };
    if (ending.cause !== undefined) done.cause = ending.cause;
    this.opts.store.upsert(done);
    this.rows.delete(row.id);
  }

  private write(row: CallLogRow): void {
    const before = this.rows.get(row.id);
    if (before && JSON.stringify(before) === JSON.stringify(row)) return;
    this.opts.store.upsert(row);
    this.rows.set(row.id, row);
  }

  private ignore(id: string): void {
    this.ignored.add(id);
    if (this.ignored.size > MAX_IGNORED) {
      const oldest = this.ignored.values().next().value;
      if (oldest !== undefined) this.ignored.delete(oldest);
    }
  }

  private guard(callId: string, op: () => void): void {
    try {
      op();
    } catch (err) {
      const e = toCallLogError(err, 'database');
      // Only ids and the reason: numbers, names and call data stay out of the log.
      this.opts.log?.warn({ callId, reason: e.reason, sqliteCode: e.sqliteCode }, `call log write failed: ${e.message}`);
      this.opts.onError?.(e);
    }
  }
}

/** The call an event ends by id, when it is a callEnded or a 'cleared' image. */
function endedCallId(event: CtiEvent): string | null {
  if (event.type === 'callEnded') return event.callId;
  if (event.type === 'call' && event.call.state === 'cleared') return event.call.id;
  return null;
}

/** The state that decides the outcome: the final image's, unless it only says 'cleared'. */
function stateBeforeEnd(final: Call | undefined, fallback: CallState): CallState {
  return final && final.state !== 'cleared' ? final.state : fallback;
}

function isOpen(row: CallLogRow): boolean {
  return row.outcome === 'ongoing' || row.outcome === 'interrupted';
}

const established: ReadonlySet<CallState> = new Set(['connected', 'held']);

/** The row after one more image of the call: sticky answer time, merged data, latest party. */
function withImage(prev: CallLogRow | undefined, call: Call, opts: RecorderContext, now: number): CallLogRow {
  // A withheld number is logged empty, like the screen pop: the placeholder is not a number to redial.
  const remoteNumber = call.remote.withheld ? '' : call.remote.number;
  const sameParty = prev !== undefined && prev.remoteNumber === remoteNumber;
  const answeredAt = prev?.answeredAt ?? call.connectedAt ?? (established.has(call.state) ? now : undefined);
  const row: CallLogRow = {
    id: call.id,
    profileId: opts.profileId,
    device: call.ref.device || opts.device,
    direction: call.direction,
    remoteNumber,
    startedAt: prev ? Math.min(prev.startedAt, call.startedAt) : call.startedAt,
    outcome: 'ongoing',
    data: { ...(prev?.data ?? {}), ...call.data },
    source: 'local',
  };
  const remoteName = call.remote.name ?? (sameParty ? prev.remoteName : undefined);
  const remoteCompany = call.remote.company ?? (sameParty ? prev.remoteCompany : undefined);
  const calledNumber = call.called?.number ?? prev?.calledNumber;
  if (remoteName !== undefined) row.remoteName = remoteName;
  if (remoteCompany !== undefined) row.remoteCompany = remoteCompany;
  if (calledNumber !== undefined) row.calledNumber = calledNumber;
  if (answeredAt !== undefined) row.answeredAt = answeredAt;
  if (call.cause !== undefined) row.cause = call.cause;
  return row;
}
