// Builders for unit tests (shared, main and renderer): a minimal valid call and view state.
import type { Call, ViewState } from './model.js';
import { initialView } from './reducer.js';

export function makeCall(id: string, over: Partial<Call> = {}): Call {
  return {
    id,
    ref: { vendor: 'telservices', device: '4711', callId: id },
    state: 'connected',
    direction: 'inbound',
    remote: { number: '0301234567' },
    conferenceParties: [],
    isConference: false,
    isConsultation: false,
    data: {},
    startedAt: 1000,
    allowed: [],
    seq: 1,
    ...over,
  };
}

export function makeView(calls: Call[] = [], over: Partial<ViewState> = {}): ViewState {
  return {
    ...initialView(0),
    profileId: 'demo',
    vendor: 'telservices',
    device: '4711',
    link: { state: 'up', since: 0, attempt: 0 },
    calls: Object.fromEntries(calls.map((c) => [c.id, c])),
    ...over,
  };
}
