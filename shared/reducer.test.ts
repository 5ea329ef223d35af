import { describe, expect, it } from 'vitest';
import type { CtiEvent } from './events.js';
import type { Call } from './model.js';
import { applyPatch, diffState, mergePatches } from './patch.js';
import { MAX_ENDED, initialView, orderedCalls, reduce } from './reducer.js';
import { makeCall } from './test-fixtures.js';

/** An inbound call ringing on 1101. */
const call = (id: string, over: Partial<Call> = {}): Call =>
  makeCall(id, { ref: { vendor: 'telservices', device: '1101', callId: id }, state: 'alerting', remote: { number: '0612345678' }, allowed: ['answer'], ...over });

const fold = (events: CtiEvent[]) => events.reduce(reduce, initialView(0));

describe('reducer', () => {
  it('adds, updates and ends a call, keeping the pop after the call ends', () => {
    const s = fold([
      { type: 'call', change: 'alerting', call: call('a', { data: { customerId: 'C-1' } }) },
      { type: 'call', change: 'connected', call: call('a', { state: 'connected', seq: 2, connectedAt: 2000, allowed: ['clear', 'hold'] }) },
    ]);
    expect(s.calls.a?.state).toBe('connected');
    expect(s.calls.a?.data).toEqual({ customerId: 'C-1' });
    expect(s.pop?.id).toBe('a');
    const ended = reduce(s, { type: 'callEnded', callId: 'a', at: 5000 });
    expect(ended.calls.a).toBeUndefined();
    expect(ended.ended.a).toBe(5000);
    expect(ended.pop?.state).toBe('cleared');
    expect(ended.pop?.data.customerId).toBe('C-1');
  });

  it('ignores duplicated and older images', () => {
    const s1 = fold([{ type: 'call', change: 'connected', call: call('a', { state: 'connected', seq: 5 }) }]);
    const dup = reduce(s1, { type: 'call', change: 'connected', call: call('a', { state: 'connected', seq: 5 }) });
    expect(dup).toBe(s1);
    const older = reduce(s1, { type: 'call', change: 'held', call: call('a', { state: 'held', seq: 4 }) });
    expect(older).toBe(s1);
  });

  it('never lets a late ringing image undo a connected call', () => {
    const s1 = fold([{ type: 'call', change: 'connected', call: call('a', { state: 'connected', seq: 2 }) }]);
    const late = reduce(s1, { type: 'call', change: 'alerting', call: call('a', { state: 'alerting', seq: 3 }) });
    expect(late.calls.a?.state).toBe('connected');
  });

  it('does not resurrect an ended call from a late event', () => {
    const s = fold([
      { type: 'call', change: 'alerting', call: call('a') },
      { type: 'callEnded', callId: 'a', at: 3000 },
      { type: 'call', change: 'connected', call: call('a', { state: 'connected', seq: 9 }) },
    ]);
    expect(s.calls.a).toBeUndefined();
  });

  it('treats a cleared image as the end of the call', () => {
    const s = fold([
      { type: 'call', change: 'alerting', call: call('a') },
      { type: 'call', change: 'updated', call: call('a', { state: 'cleared', seq: 2, endedAt: 4000 }) },
    ]);
    expect(s.calls.a).toBeUndefined();
    expect(s.ended.a).toBe(4000);
  });

  it('resyncs from a snapshot: removes phantoms, adds missing, revives wrongly ended', () => {
    const s = fold([
      { type: 'call', change: 'connected', call: call('phantom', { state: 'connected' }) },
      { type: 'call', change: 'alerting', call: call('kept', { data: { k: 'v' } }) },
      { type: 'callEnded', callId: 'back', at: 10 },
      {
        type: 'snapshot',
        at: 9000,
        calls: [call('kept', { state: 'connected', seq: 7 }), call('new', { seq: 8 }), call('back', { seq: 9, state: 'held' })],
        agent: { state: 'busy', since: 9000, permitted: [], services: [] },
      },
    ]);
    expect(Object.keys(s.calls).sort()).toEqual(['back', 'kept', 'new']);
    expect(s.calls.kept?.state).toBe('connected');
    expect(s.calls.kept?.data).toEqual({ k: 'v' });
    expect(s.ended.phantom).toBe(9000);
    expect(s.ended.back).toBeUndefined();
    expect(s.agent?.state).toBe('busy');
  });

  it('bounds the ended-call memory', () => {
    let s = initialView(0);
    for (let i = 0; i < MAX_ENDED + 50; i++) s = reduce(s, { type: 'callEnded', callId: `c${i}`, at: i });
    expect(Object.keys(s.ended)).toHaveLength(MAX_ENDED);
    expect(s.ended.c0).toBeUndefined();
    expect(s.ended[`c${MAX_ENDED + 49}`]).toBeDefined();
  });

  it('keeps state on a session event for the same profile and resets it for another', () => {
    const withCall = fold([
      { type: 'session', profileId: 'p', vendor: 'telservices', device: '1101', capabilities: ['answer'] },
      { type: 'call', change: 'alerting', call: call('a') },
    ]);
    const same = reduce(withCall, { type: 'session', profileId: 'p', vendor: 'telservices', device: '1101', capabilities: ['answer'] });
    expect(same.calls.a).toBeDefined();
    const other = reduce(withCall, { type: 'session', profileId: 'q', vendor: 'telservices', device: '1102', capabilities: [] });
    expect(other.calls).toEqual({});
    expect(other.device).toBe('1102');
  });

  it('orders calls oldest first', () => {
    const s = fold([
      { type: 'call', change: 'alerting', call: call('b', { startedAt: 20 }) },
      { type: 'call', change: 'alerting', call: call('a', { startedAt: 10 }) },
    ]);
    expect(orderedCalls(s).map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('keeps a bounded list of notices with increasing ids', () => {
    let s = initialView(0);
    for (let i = 0; i < 30; i++) s = reduce(s, { type: 'notice', level: 'info', code: 'x', message: `m${i}`, at: i });
    expect(s.notices).toHaveLength(20);
    expect(s.notices[19]?.id).toBe(30);
  });
});

describe('patches', () => {
  it('diff then apply reproduces the next state', () => {
    const a = fold([{ type: 'call', change: 'alerting', call: call('a') }]);
    const b = fold([
      { type: 'call', change: 'alerting', call: call('b') },
      { type: 'link', link: { state: 'up', since: 5, attempt: 0 } },
    ]);
    const patch = diffState(a, b);
    expect(patch).not.toBeNull();
    const applied = applyPatch(a, patch!);
    expect(applied.calls).toEqual(b.calls);
    expect(applied.link).toEqual(b.link);
    expect(diffState(b, b)).toBeNull();
  });

  it('merging consecutive patches equals one patch over both changes', () => {
    const s0 = initialView(0);
    const s1 = reduce(s0, { type: 'call', change: 'alerting', call: call('a') });
    const s2 = reduce(reduce(s1, { type: 'callEnded', callId: 'a', at: 9 }), { type: 'call', change: 'alerting', call: call('b') });
    const merged = mergePatches(diffState(s0, s1)!, diffState(s1, s2)!);
    expect(applyPatch(s0, merged).calls).toEqual(s2.calls);
  });

  it('keeps colleagues in list order, updates one in place and takes a snapshot list as authoritative', () => {
    const c = (number: string, state: 'idle' | 'busy' | 'ringing', since = 0) => ({ number, state, since });
    const s1 = fold([
      { type: 'colleague', colleague: c('4594', 'idle') },
      { type: 'colleague', colleague: c('3000', 'idle') },
      { type: 'colleague', colleague: c('4594', 'busy', 5) },
    ]);
    expect(s1.colleagues.map((x) => `${x.number}:${x.state}`)).toEqual(['4594:busy', '3000:idle']);
    expect(reduce(s1, { type: 'colleague', colleague: c('4594', 'busy', 9) })).toBe(s1);
    const s2 = reduce(s1, { type: 'snapshot', at: 10, calls: [], colleagues: [c('3000', 'ringing', 10)] });
    expect(s2.colleagues).toEqual([c('3000', 'ringing', 10)]);
    const s3 = reduce(s2, { type: 'snapshot', at: 11, calls: [] });
    expect(s3.colleagues).toBe(s2.colleagues);
    const patch = diffState(s1, s2);
    expect(patch?.set?.colleagues).toEqual(s2.colleagues);
    expect(applyPatch(s1, patch ?? {}).colleagues).toEqual(s2.colleagues);
  });

  it('holds the state queued for after the call, sends it in a patch, keeps it over a resync and drops it with the session', () => {
    const session: CtiEvent = { type: 'session', profileId: 'p', vendor: 'telservices', device: '1101', capabilities: ['setAgentState'] };
    const s1 = fold([session, { type: 'call', change: 'connected', call: call('a', { state: 'connected' }) }]);
    const next = { state: 'notReady' as const, reason: 'Lunch', at: 5 };
    const s2 = reduce(s1, { type: 'nextState', next });
    expect(s2.nextState).toEqual(next);
    expect(reduce(s2, { type: 'nextState', next: s2.nextState })).toBe(s2);
    expect(applyPatch(s1, diffState(s1, s2) ?? {}).nextState).toEqual(next);
    expect(reduce(s2, { type: 'snapshot', at: 10, calls: [] }).nextState).toEqual(next);
    expect(reduce(s2, { type: 'session', profileId: 'other', vendor: 'telservices', device: '1101', capabilities: [] }).nextState).toBeNull();
    expect(reduce(s2, { type: 'nextState', next: null }).nextState).toBeNull();
  });
});
