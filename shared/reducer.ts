// The pure reducer: folds normalized events into the agent's view. The single source of truth;
// it returns the same object when an event changes nothing, so diffs are by reference.
import type { CtiEvent } from './events.js';
import type { Call, CallState, ViewState } from './model.js';

export const MAX_ENDED = 500;
export const MAX_NOTICES = 20;

export function initialView(now = 0): ViewState {
  return {
    profileId: null,
    vendor: null,
    device: null,
    link: { state: 'down', since: now, attempt: 0, detail: 'not connected' },
    agent: null,
    features: { forwards: [], dnd: false, messageWaiting: false },
    calls: {},
    ended: {},
    queues: {},
    colleagues: [],
    capabilities: [],
    pop: null,
    notices: [],
    nextState: null,
  };
}

const preConnect: ReadonlySet<CallState> = new Set(['dialing', 'ringing', 'alerting', 'queued']);
const established: ReadonlySet<CallState> = new Set(['connected', 'held']);

/** A call that was connected never goes back to ringing: such an image is a late datagram. */
function isRegression(prev: Call, next: Call): boolean {
  return established.has(prev.state) && preConnect.has(next.state);
}

function withEnded(ended: Record<string, number>, id: string, at: number): Record<string, number> {
  const next = { ...ended, [id]: at };
  const ids = Object.keys(next);
  if (ids.length > MAX_ENDED) {
    ids.sort((a, b) => (next[a] ?? 0) - (next[b] ?? 0));
    for (const old of ids.slice(0, ids.length - MAX_ENDED)) delete next[old];
  }
  return next;
}

function upsertCall(state: ViewState, incoming: Call): ViewState {
  if (incoming.state === 'cleared') {
    return endCall(state, incoming.id, incoming.endedAt ?? incoming.startedAt, incoming);
  }
  if (state.ended[incoming.id] !== undefined) return state;
  const prev = state.calls[incoming.id];
  if (prev && (prev.seq > incoming.seq || (prev.seq === incoming.seq && incoming.seq > 0))) return state;
  if (prev && isRegression(prev, incoming)) return state;
  const call: Call = prev
    ? {
        ...incoming,
        startedAt: Math.min(prev.startedAt, incoming.startedAt),
        connectedAt: incoming.connectedAt ?? prev.connectedAt,
        data: { ...prev.data, ...incoming.data },
      }
    : incoming;
  let pop = state.pop;
  if (call.direction === 'inbound' && (call.state === 'alerting' || call.state === 'queued') && !prev) pop = call;
  else if (pop && pop.id === call.id) pop = call;
  return { ...state, calls: { ...state.calls, [call.id]: call }, pop };
}

function endCall(state: ViewState, id: string, at: number, last?: Call): ViewState {
  if (state.ended[id] !== undefined && !state.calls[id]) return state;
  const { [id]: removed, ...calls } = state.calls;
  const final = last ?? removed;
  const pop =
    state.pop && state.pop.id === id && final ? { ...state.pop, ...final, state: 'cleared' as const, endedAt: at } : state.pop;
  return { ...state, calls, ended: withEnded(state.ended, id, at), pop };
}

export function reduce(state: ViewState, event: CtiEvent): ViewState {
  switch (event.type) {
    case 'session': {
      const sameSession = state.profileId === event.profileId && state.device === event.device;
      const base = sameSession ? state : { ...initialView(state.link.since), link: state.link };
      return {
        ...base,
        profileId: event.profileId,
        vendor: event.vendor,
        device: event.device,
        capabilities: [...event.capabilities],
      };
    }
    case 'call':
      return upsertCall(state, event.call);
    case 'callEnded':
      return endCall(state, event.callId, event.at, event.call);
    case 'agent':
      return { ...state, agent: event.agent };
    case 'features':
      return { ...state, features: { ...state.features, ...event.features } };
    case 'link': {
      const l = state.link;
      const n = event.link;
      if (l.state === n.state && l.detail === n.detail && l.feed === n.feed && l.retryAt === n.retryAt && l.attempt === n.attempt) return state;
      return { ...state, link: n };
    }
    case 'snapshot': {
      // Authoritative: calls the PBX no longer has are ended; calls it has are taken as they are.
      const calls: Record<string, Call> = {};
      let ended = state.ended;
      for (const c of event.calls) {
        if (c.state === 'cleared') continue;
        const prev = state.calls[c.id];
        calls[c.id] = prev
          ? { ...c, startedAt: Math.min(prev.startedAt, c.startedAt), connectedAt: c.connectedAt ?? prev.connectedAt, data: { ...prev.data, ...c.data } }
          : c;
        if (ended[c.id] !== undefined) {
          const { [c.id]: _dropped, ...rest } = ended;
          ended = rest;
        }
      }
      let next: ViewState = { ...state, calls, ended };
      for (const id of Object.keys(state.calls)) {
        if (!calls[id]) next = endCall({ ...next, calls: { ...next.calls, [id]: state.calls[id] as Call } }, id, event.at);
      }
      if (event.agent !== undefined) next = { ...next, agent: event.agent };
      if (event.features) next = { ...next, features: event.features };
      if (event.colleagues) next = { ...next, colleagues: event.colleagues };
      if (next.pop && calls[next.pop.id]) next = { ...next, pop: calls[next.pop.id] as Call };
      return next;
    }
    case 'queue':
      return { ...state, queues: { ...state.queues, [event.queue.id]: event.queue } };
    case 'colleague': {
      const c = event.colleague;
      const i = state.colleagues.findIndex((x) => x.number === c.number);
      if (i < 0) return { ...state, colleagues: [...state.colleagues, c] };
      const prev = state.colleagues[i] as (typeof state.colleagues)[number];
      if (prev.state === c.state && prev.detail === c.detail && prev.name === c.name && prev.remote?.number === c.remote?.number && prev.remote?.name === c.remote?.name) return state;
      const colleagues = [...state.colleagues];
      colleagues[i] = c;
      return { ...state, colleagues };
    }
    case 'nextState':
      return state.nextState === event.next ? state : { ...state, nextState: event.next };
    case 'notice': {
      const last = state.notices[state.notices.length - 1];
      const notice = { id: (last?.id ?? 0) + 1, level: event.level, code: event.code, message: event.message, at: event.at };
      return { ...state, notices: [...state.notices, notice].slice(-MAX_NOTICES) };
    }
  }
}

/** Calls in display order: oldest first, the consultation leg right after its held call. */
export function orderedCalls(state: Pick<ViewState, 'calls'>): Call[] {
  return Object.values(state.calls).sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
}
