// The colleagues' busy-lamp list: one row per phone the profile lists, in its order, with the
// words for its state, who it talks to, and whether the agent can call it. Pure.
import type { Colleague, ColleagueStateKind } from '../../shared/model.js';
import { colleagueStateLabels } from '../format/labels.js';
import { isRedialable, partyTitle } from '../format/party.js';

export interface ColleagueRow {
  number: string;
  name: string | undefined;
  state: ColleagueStateKind;
  stateLabel: string;
  /** The vendor's own words for the state, for the tooltip (absent when they add nothing). */
  detail: string | undefined;
  /** Who the colleague is talking to: "Ada Lovelace" or the number; absent when unknown. */
  remote: string | undefined;
  since: number;
  /** Show a Call button: the vendor places calls, and this is not the agent's own phone. */
  canCall: boolean;
}

/** States where a colleague is on the phone (or about to be): the remote party means something. */
const onThePhone: ReadonlySet<ColleagueStateKind> = new Set(['ringing', 'busy', 'held']);

export function colleagueRows(colleagues: readonly Colleague[], capabilities: readonly string[], ownDevice: string | null): ColleagueRow[] {
  const canDial = capabilities.includes('makeCall');
  return colleagues.map((c) => {
    const name = c.name?.trim() || undefined;
    const stateLabel = colleagueStateLabels[c.state];
    const detail = c.detail?.trim();
    const remote = c.remote && onThePhone.has(c.state) && (c.remote.name?.trim() || isRedialable(c.remote)) ? partyTitle(c.remote) : undefined;
    return {
      number: c.number,
      name,
      state: c.state,
      stateLabel,
      detail: detail && detail.toLowerCase() !== stateLabel.toLowerCase() ? detail : undefined,
      remote,
      since: c.since,
      canCall: canDial && c.number.trim() !== '' && c.number !== ownDevice,
    };
  });
}

/** How many colleagues are in each state, for the panel heading ("3 on a call"), in state order. */
export function colleagueCounts(colleagues: readonly Colleague[]): { state: ColleagueStateKind; count: number }[] {
  const counts = new Map<ColleagueStateKind, number>();
  for (const c of colleagues) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  return (Object.keys(colleagueStateLabels) as ColleagueStateKind[]).filter((s) => counts.has(s)).map((state) => ({ state, count: counts.get(state) ?? 0 }));
}
