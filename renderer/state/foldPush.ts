// How one state push moves the renderer's copy of the ViewState. Pure, so the rev/gap rules
// are unit-tested without a bridge.
import type { StatePush } from '../../shared/bridge.js';
import type { ViewState } from '../../shared/model.js';
import { applyPatch } from '../../shared/patch.js';

export interface Synced {
  view: ViewState;
  rev: number;
}

export type FoldResult =
  | { kind: 'applied'; view: ViewState; rev: number; endedCallIds: string[] }
  /** Already have it (duplicate or older push): nothing to do. */
  | { kind: 'stale' }
  /** A patch we cannot apply: re-request the whole state with app.ready. */
  | { kind: 'gap' };

/** Calls present before and gone after: they ended (or a resync found them gone). */
export function endedCalls(prev: ViewState | null, next: ViewState): string[] {
  if (!prev) return [];
  return Object.keys(prev.calls).filter((id) => !(id in next.calls));
}

export function foldPush(current: Synced | null, push: StatePush): FoldResult {
  if (push.kind === 'full') {
    // A full state is authoritative even with a lower rev: main may have restarted.
    return { kind: 'applied', view: push.state, rev: push.rev, endedCallIds: endedCalls(current?.view ?? null, push.state) };
  }
  if (!current) return { kind: 'gap' };
  if (push.rev <= current.rev) return { kind: 'stale' };
  if (push.rev !== current.rev + 1) return { kind: 'gap' };
  const view = applyPatch(current.view, push.patch);
  const endedCallIds = (push.patch.calls?.remove ?? []).filter((id) => id in current.view.calls);
  return { kind: 'applied', view, rev: push.rev, endedCallIds };
}
