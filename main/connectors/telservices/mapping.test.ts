// Mapping TelServices call objects, agent info and features to the normalized model.
import { describe, expect, it } from 'vitest';
import type { CallEndedEvent, CallEvent } from '../../../shared/events.js';
import { Call as CallSchema } from '../../../shared/model.js';
import { decodeEvent, type TelCall, type TelCallInfo } from './codec.js';
import { manualExamples } from './manual-examples.js';
import {
  callDataFromExtraData,
  applyForwardEvent,
  CallTracker,
  distributeActions,
  mapAgent,
  mapCallState,
  mapForwards,
  toTelAgentState,
  type CallTrackerEvent,
} from './mapping.js';

/** The call object of the manual's call event at `line`. */
function manualCall(line: number): TelCall {
  const xml = manualExamples.find((e) => e.line === line)?.xml ?? '';
  const r = decodeEvent(xml);
  if (!r.ok || r.value.event.kind !== 'call') throw new Error(`L${line} is not a call event`);
  return r.value.event.call;
}

const leg = (state: TelCallInfo['state'], number: string, extra: Partial<TelCallInfo> = {}): TelCallInfo => ({
  state,
  otherParty: { number },
  duration: 0,
  isOutgoing: true,
  isConference: false,
  ...extra,
});

function rig(start = 1_000_000) {
  let now = start;
  const tracker = new CallTracker({ now: () => now, staleWindowMs: 3000 });
  return {
    tracker,
    advance: (ms: number) => (now += ms),
    apply: (call: TelCall, device = '1101') => tracker.apply(device, call),
  };
}

const callEvents = (evs: CallTrackerEvent[]) => evs.filter((e): e is CallEvent => e.type === 'call');
const endedEvents = (evs: CallTrackerEvent[]) => evs.filter((e): e is CallEndedEvent => e.type === 'callEnded');
const summary = (evs: CallTrackerEvent[]) =>
  evs.map((e) => (e.type === 'call' ? `${e.change}:${e.call.state}:${e.call.remote.number}` : `ended:${e.call?.remote.number ?? ''}`));

describe('call state mapping', () => {
  it.each([
    ['initiated', true, 'dialing'],
    ['originated', true, 'dialing'],
    ['delivered', true, 'ringing'],
    ['delivered', false, 'alerting'],
    ['queued', false, 'queued'],
    ['alerting', false, 'alerting'],
    ['connected', true, 'connected'],
    ['hold', true, 'held'],
    ['failed', true, 'failed'],
    ['cleared', true, 'cleared'],
  ] as const)('%s (outgoing %s) → %s', (state, out, expected) => {
    expect(mapCallState(state, out)).toBe(expected);
  });
});

describe('CallTracker with the manual examples', () => {
  it('follows an outbound call (Ex. 1) with one stable id and valid Call images', () => {
    const r = rig();
    const evs = [1816, 1842, 1868, 1894].flatMap((l) => r.apply(manualCall(l)));
    expect(summary(evs)).toEqual(['created:dialing:', 'updated:dialing:1102', 'ringing:ringing:1102', 'connected:connected:1102']);
    const calls = callEvents(evs).map((e) => e.call);
    expect(new Set(calls.map((c) => c.id)).size).toBe(1);
    expect(calls[0]?.id).toMatch(/^ts:1101:1:\d+$/);
    expect(calls.map((c) => c.seq)).toEqual([1, 2, 3, 4]);
    expect(calls[0]?.allowed).toEqual(['clear']);
    expect(calls[3]?.allowed).toEqual(['hold', 'clear', 'redirect', 'consult', 'addParty']);
    expect(calls[3]).toMatchObject({ direction: 'outbound', ref: { vendor: 'telservices', device: '1101', callId: '1', leg: 'prim' } });
    for (const c of calls) expect(CallSchema.safeParse(c).success).toBe(true);
  });

  it('follows an inbound call (Ex. 2)', () => {
    const r = rig();
    const evs = [1928, 1955].flatMap((l) => r.apply(manualCall(l), '1102'));
    expect(summary(evs)).toEqual(['created:alerting:1101', 'connected:connected:1101']);
    expect(callEvents(evs)[0]?.call).toMatchObject({ direction: 'inbound', allowed: ['answer', 'redirect'] });
  });

  it('splits a consultation (Ex. 3) into a held leg and a consultation leg with the services distributed', () => {
    const r = rig();
    r.apply(manualCall(1894));
    const first = r.apply(manualCall(1989));
    expect(summary(first)).toEqual(['held:held:1102', 'created:dialing:']);
    const [held, consult] = callEvents(first).map((e) => e.call);
    expect(held?.allowed).toEqual(['reconnect', 'addParty']);
    expect(consult).toMatchObject({ isConsultation: true, allowed: ['clear'], ref: { leg: 'sec' } });

    const later = [2031, 2073, 2116].flatMap((l) => r.apply(manualCall(l)));
    expect(summary(later)).toEqual(['updated:dialing:1103', 'ringing:ringing:1103', 'connected:connected:1103']);
    const last = r.tracker.calls();
    expect(last.map((c) => c.id)).toEqual([held?.id, consult?.id]);
    expect(last[0]?.allowed).toEqual(['reconnect', 'addParty']);
    expect(last[1]?.allowed).toEqual(['clear', 'hold', 'alternate', 'transfer', 'conference', 'addParty']);
  });

  it('alternates, then transfers away (both legs end)', () => {
    const r = rig();
    for (const l of [1894, 1989, 2116]) r.apply(manualCall(l));
    const [held, consult] = r.tracker.calls();
    const alt = r.apply({
      id: '1',
      primCall: leg('connected', '1102'),
      secCall: leg('hold', '1103'),
      permittedServices: ['dropCall', 'holdCall', 'reconnectCall', 'alternateCall', 'transferCall', 'conferenceCall'],
    });
    expect(callEvents(alt).map((e) => [e.call.id, e.change])).toEqual([
      [held?.id, 'retrieved'],
      [consult?.id, 'held'],
    ]);
    const transferred = r.apply({ id: '1', primCall: leg('cleared', '1102', { cause: 'transfer' }), permittedServices: [] });
    expect(endedEvents(transferred).map((e) => [e.callId, e.cause])).toEqual([
      [held?.id, 'transfer'],
      [consult?.id, 'transfer'],
    ]);
    expect(r.tracker.calls()).toEqual([]);
  });

  it('keeps the consultation leg when the held party hangs up and it becomes the primary', () => {
    const r = rig();
    for (const l of [1894, 1989, 2116]) r.apply(manualCall(l));
    const [held, consult] = r.tracker.calls();
    const evs = r.apply({ id: '1', primCall: leg('connected', '1103'), permittedServices: ['holdCall', 'dropCall'] });
    expect(callEvents(evs).map((e) => [e.call.id, e.call.isConsultation, e.call.ref.leg])).toEqual([[consult?.id, false, 'prim']]);
    expect(endedEvents(evs).map((e) => e.callId)).toEqual([held?.id]);
  });

  it('reconnects: the consultation leg ends and the held one is retrieved', () => {
    const r = rig();
    for (const l of [1894, 1989, 2116]) r.apply(manualCall(l));
    const [held, consult] = r.tracker.calls();
    const evs = r.apply({ id: '1', primCall: leg('connected', '1102'), permittedServices: ['holdCall', 'dropCall'] });
    expect(summary(evs)).toEqual(['retrieved:connected:1102', 'ended:1103']);
    expect(callEvents(evs)[0]?.call.id).toBe(held?.id);
    expect(endedEvents(evs)[0]?.callId).toBe(consult?.id);
  });

  it('reports a conference on the surviving leg', () => {
    const r = rig();
    for (const l of [1894, 1989, 2116]) r.apply(manualCall(l));
    const [held, consult] = r.tracker.calls();
    const evs = r.apply({
      id: '1',
      primCall: leg('connected', '1102', { isConference: true, addedParties: [{ number: '1103' }], cause: 'conference' }),
      permittedServices: ['holdCall', 'dropCall'],
    });
    const up = callEvents(evs)[0];
    expect([up?.call.id, up?.change, up?.call.conferenceParties, up?.call.isConference]).toEqual([held?.id, 'conferenced', [{ number: '1103' }], true]);
    expect(endedEvents(evs).map((e) => e.callId)).toEqual([consult?.id]);
  });

  it('reports successive transfers on the transferred-to device (Ex. 4)', () => {
    const r = rig();
    const evs = [2167, 2202].flatMap((l) => r.apply(manualCall(l), '1104'));
    expect(summary(evs)).toEqual(['created:connected:1102', 'transferred:connected:1101']);
    const [a, b] = callEvents(evs).map((e) => e.call);
    expect(a?.id).toBe(b?.id);
    expect(b).toMatchObject({ redirectedBy: { number: '1102' }, cause: 'transfer' });
  });

  it('maps a diverted call on the target (Ex. 5/6) and a divert on the diverter', () => {
    const target = rig();
    const [created] = callEvents(target.apply(manualCall(2280), '1104'));
    expect(created?.call).toMatchObject({ state: 'alerting', called: { number: '1102' }, redirectedBy: { number: '1103' } });

    const diverter = rig();
    diverter.apply(manualCall(1928), '1102');
    const gone = diverter.apply({ id: '1', primCall: leg('cleared', '1101', { isOutgoing: false, cause: 'redirect' }), permittedServices: [] }, '1102');
    expect(endedEvents(gone).map((e) => [e.cause, e.call?.state, e.call?.allowed])).toEqual([['redirect', 'cleared', []]]);
  });

  it('ignores duplicated images and reordered late ones', () => {
    const r = rig();
    r.apply(manualCall(1894));
    expect(r.apply(manualCall(1894))).toEqual([]);
    // The 'delivered' datagram arriving after 'connected' must not make the call ring again.
    expect(r.apply(manualCall(1868))).toEqual([]);
    expect(r.tracker.calls()[0]?.state).toBe('connected');
    // A duration tick alone changes nothing the model shows.
    expect(r.apply({ ...manualCall(1894), primCall: { ...leg('connected', '1102'), duration: 9 }, permittedServices: ['holdCall', 'dropCall', 'divertCall', 'consultationCall'] })).toEqual([]);
  });

  it('gives a vendor id that reappears after its call cleared a new normalized id', () => {
    const r = rig();
    const [first] = callEvents(r.apply(manualCall(1928), '1102'));
    r.apply({ id: '1', primCall: leg('cleared', '1101', { isOutgoing: false }), permittedServices: [] }, '1102');
    // A duplicated final image is not a new call.
    expect(r.apply({ id: '1', primCall: leg('cleared', '1101', { isOutgoing: false }) }, '1102')).toEqual([]);
    // A late 'connected' datagram of the cleared call inside the stale window is dropped.
    expect(r.apply(manualCall(1955), '1102')).toEqual([]);
    r.advance(10);
    const [again] = callEvents(r.apply(manualCall(1928), '1102'));
    expect(again?.change).toBe('created');
    expect(again?.call.id).not.toBe(first?.call.id);
    expect(again?.call.id).toMatch(/^ts:1102:1:/);
  });

  it('marks withheld numbers and carries extraData as call data', () => {
    const r = rig();
    const base: TelCall = { id: '7', primCall: leg('alerting', '*****-4711', { isOutgoing: false }), permittedServices: ['answerCall'], extraData: 'ORDER-42' };
    const [created] = callEvents(r.apply(base));
    expect(created?.call.remote).toEqual({ number: '*****-4711', withheld: true });
    expect(created?.call.data).toEqual({ extraData: 'ORDER-42' });
    const [updated] = callEvents(r.apply({ ...base, extraData: 'ORDER-43' }));
    expect(updated?.change).toBe('dataUpdated');
  });

  it('keeps first called, first other and redirecting parties', () => {
    const r = rig();
    const [ev] = callEvents(
      r.apply({
        id: '3',
        primCall: leg('alerting', '1102', {
          isOutgoing: false,
          firstCalledParty: { number: '0800123456' },
          firstOtherParty: { number: '0612345678', name: 'Bob' },
          lastRedirectionParty: { number: '1103' },
          callReference: 'R9',
        }),
      }),
    );
    expect(ev?.call).toMatchObject({
      called: { number: '0800123456' },
      original: { number: '0612345678', name: 'Bob' },
      redirectedBy: { number: '1103' },
      ref: { callReference: 'R9' },
    });
  });
});

describe('CallTracker.reconcile (snapshot)', () => {
  it('ends calls the snapshot no longer lists and adopts new ones, bypassing the stale check', () => {
    const r = rig();
    r.apply(manualCall(1894));
    const [kept] = r.tracker.calls();
    const evs = r.tracker.reconcile('1101', [{ id: '2', primCall: leg('connected', '1105', { duration: 30 }), permittedServices: ['dropCall'] }]);
    expect(summary(evs)).toEqual(['created:connected:1105', 'ended:1102']);
    expect(endedEvents(evs)[0]?.callId).toBe(kept?.id);
    const adopted = r.tracker.calls()[0];
    expect(adopted?.connectedAt).toBe(1_000_000 - 30_000);
    // The same snapshot again changes nothing.
    expect(r.tracker.reconcile('1101', [{ id: '2', primCall: leg('connected', '1105', { duration: 31 }), permittedServices: ['dropCall'] }])).toEqual([]);
  });
});

describe('distributeActions', () => {
  it('gives everything to a single leg', () => {
    expect(distributeActions(['alerting'], ['answerCall', 'divertCall', 'makeCall'])).toEqual([['answer', 'redirect']]);
  });
  it('sends retrieve/reconnect to the held leg and the rest to the active leg', () => {
    expect(distributeActions(['held', 'dialing'], ['dropCall', 'reconnectCall'])).toEqual([['reconnect', 'addParty'], ['clear']]);
  });
  it('gives every service to both legs when both are held', () => {
    expect(distributeActions(['held', 'held'], ['retrieveCall', 'dropCall'])).toEqual([
      ['retrieve', 'clear', 'addParty'],
      ['retrieve', 'clear', 'addParty'],
    ]);
  });
  it('offers nothing when the server lists nothing', () => {
    expect(distributeActions(['connected'], [])).toEqual([[]]);
  });
});

describe('agent and features', () => {
  it('maps the manual agent event (L1760)', () => {
    const r = decodeEvent(manualExamples.find((e) => e.line === 1760)?.xml ?? '');
    if (!r.ok || r.value.event.kind !== 'agent') throw new Error('not an agent event');
    expect(mapAgent(r.value.event.agent, { prev: null, now: 5, agentId: 'agent1101' })).toEqual({
      state: 'wrapUp',
      agentId: 'agent1101',
      timeoutSec: 30,
      since: 5,
      permitted: ['ready', 'notReady', 'wrapUp'],
      services: ['service1'],
    });
  });

  it('maps null to unknown, keeps the start of an unchanged state, and attaches the local reason', () => {
    expect(mapAgent({ state: 'null' }, { prev: null, now: 1 }).state).toBe('unknown');
    const prev = mapAgent({ state: 'notReady' }, { prev: null, now: 1, localReason: 'Break' });
    expect(prev).toMatchObject({ state: 'notReady', reason: 'Break', since: 1 });
    expect(mapAgent({ state: 'notReady', userID: 'a7' }, { prev, now: 9, localReason: 'Break' })).toMatchObject({ since: 1, agentId: 'a7' });
    expect(mapAgent({ state: 'ready' }, { prev, now: 9 })).toMatchObject({ since: 9, state: 'ready' });
  });

  it('maps requestable agent states, refusing busy and unknown', () => {
    expect(['ready', 'notReady', 'wrapUp', 'loggedOn', 'loggedOff', 'busy', 'unknown'].map((s) => toTelAgentState(s as never))).toEqual([
      'ready',
      'notReady',
      'workingAfterCall',
      'loggedOn',
      'loggedOff',
      null,
      null,
    ]);
  });

  it('keeps the forwards list complete across forward events', () => {
    let list = mapForwards([{ number: '1102', type: 'immediate', state: 'on' }]);
    list = applyForwardEvent(list, { number: '0612345678', type: 'busy', state: 'on' });
    expect(list).toEqual([
      { type: 'immediate', to: '1102' },
      { type: 'busy', to: '0612345678' },
    ]);
    list = applyForwardEvent(list, { number: '1102', type: 'immediate', state: 'off' });
    expect(list).toEqual([{ type: 'busy', to: '0612345678' }]);
  });
});

describe('extraData as call data', () => {
  it('splits a query string into keys', () => {
    expect(callDataFromExtraData('customerId=C-1001&orderId=02082017')).toEqual({
      customerId: 'C-1001',
      orderId: '02082017',
    });
  });
  it('keeps any other string as it is', () => {
    expect(callDataFromExtraData('ORDER-42')).toEqual({ extraData: 'ORDER-42' });
    expect(callDataFromExtraData('a=b c')).toEqual({ extraData: 'a=b c' });
  });
});
