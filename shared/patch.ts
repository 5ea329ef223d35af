// Deltas between two view states, so the bridge sends only what changed.
// The reducer shares structure, so comparisons are by reference.
import type { Call, QueueStats, ViewState } from './model.js';

type Scalar = Exclude<keyof ViewState, 'calls' | 'queues' | 'ended'>;
const scalarKeys: Scalar[] = ['profileId', 'vendor', 'device', 'link', 'agent', 'features', 'capabilities', 'pop', 'notices', 'colleagues', 'nextState'];

export interface StatePatch {
  set?: Partial<Pick<ViewState, Scalar>>;
  calls?: { upsert: Call[]; remove: string[] };
  queues?: { upsert: QueueStats[]; remove: string[] };
}

function diffMap<T>(prev: Record<string, T>, next: Record<string, T>): { upsert: T[]; remove: string[] } | undefined {
  if (prev === next) return undefined;
  const upsert: T[] = [];
  const remove: string[] = [];
  for (const [id, v] of Object.entries(next)) if (prev[id] !== v) upsert.push(v);
  for (const id of Object.keys(prev)) if (!(id in next)) remove.push(id);
  return upsert.length || remove.length ? { upsert, remove } : undefined;
}

export function diffState(prev: ViewState, next: ViewState): StatePatch | null {
  if (prev === next) return null;
  const patch: StatePatch = {};
  const set: Partial<Pick<ViewState, Scalar>> = {};
  let any = false;
  for (const k of scalarKeys) {
    if (prev[k] !== next[k]) {
      (set as Record<string, unknown>)[k] = next[k];
      any = true;
    }
  }
  if (any) patch.set = set;
  const calls = diffMap(prev.calls, next.calls);
  if (calls) patch.calls = calls;
  const queues = diffMap(prev.queues, next.queues);
  if (queues) patch.queues = queues;
  return patch.set || patch.calls || patch.queues ? patch : null;
}

function applyMap<T extends { id: string }>(
  map: Record<string, T>,
  change: { upsert: T[]; remove: string[] } | undefined,
): Record<string, T> {
  if (!change) return map;
  const next = { ...map };
  for (const id of change.remove) delete next[id];
  for (const v of change.upsert) next[v.id] = v;
  return next;
}

export function applyPatch(state: ViewState, patch: StatePatch): ViewState {
  return {
    ...state,
    ...(patch.set ?? {}),
    calls: applyMap(state.calls, patch.calls),
    queues: applyMap(state.queues, patch.queues),
  };
}

/** Merge two consecutive patches into one (used when coalescing per frame). */
export function mergePatches(a: StatePatch, b: StatePatch): StatePatch {
  const mergeMap = <T extends { id: string }>(
    x: { upsert: T[]; remove: string[] } | undefined,
    y: { upsert: T[]; remove: string[] } | undefined,
  ) => {
    if (!x) return y;
    if (!y) return x;
    const up = new Map<string, T>();
    const rm = new Set<string>(x.remove);
    for (const v of x.upsert) up.set(v.id, v);
    for (const id of y.remove) {
      up.delete(id);
      rm.add(id);
    }
    for (const v of y.upsert) {
      up.set(v.id, v);
      rm.delete(v.id);
    }
    return { upsert: [...up.values()], remove: [...rm] };
  };
  const out: StatePatch = {};
  if (a.set || b.set) out.set = { ...(a.set ?? {}), ...(b.set ?? {}) };
  const calls = mergeMap(a.calls, b.calls);
  if (calls) out.calls = calls;
  const queues = mergeMap(a.queues, b.queues);
  if (queues) out.queues = queues;
  return out;
}
