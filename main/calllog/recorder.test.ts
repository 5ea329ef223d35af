import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CtiEvent } from '../../shared/events.js';
import type { Call } from '../../shared/model.js';
import { endOutcome } from './outcome.js';
import { CallLogRecorder } from './recorder.js';
import { CallLogStore } from './store.js';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);

function call(over: Partial<Call> & Pick<Call, 'id' | 'state'>): Call {
  return {
    ref: { vendor: 'telservices', device: '1101', callId: over.id },
    direction: 'inbound',
    remote: { number: '+33160127764' },
    conferenceParties: [],
    isConference: false,
    isConsultation: false,
    data: {},
    startedAt: T0,
    allowed: [],
    seq: 0,
    ...over,
  };
}

const image = (c: Call, change: Extract<CtiEvent, { type: 'call' }>['change'] = 'updated'): CtiEvent => ({ type: 'call', change, call: c });
const ended = (callId: string, at: number, cause?: string, final?: Call): CtiEvent => ({
  type: 'callEnded',
  callId,
  at,
  ...(cause ? { cause } : {}),
  ...(final ? { call: final } : {}),
});
const snapshot = (at: number, calls: Call[]): CtiEvent => ({ type: 'snapshot', at, calls });

let store: CallLogStore;
let now: number;
let errors: unknown[];

function recorder(): CallLogRecorder {
  return new CallLogRecorder(store, 'demo', '1101', { now: () => now, onError: (e) => errors.push(e) });
}

beforeEach(() => {
  store = CallLogStore.openInMemory({ now: () => now });
  now = T0;
  errors = [];
});
afterEach(() => store.close());

describe('CallLogRecorder', () => {
  it('inbound answered: a row from the first image, answer time, then duration and outcome', () => {
    const r = recorder();
    r.apply(image(call({ id: 'c1', state: 'alerting', data: { customerId: '42' } }), 'alerting'));
    expect(store.get('c1', 'demo')).toMatchObject({ outcome: 'ongoing', direction: 'inbound', remoteNumber: '+33160127764' });
    expect(store.get('c1')?.answeredAt).toBeUndefined();

    r.apply(image(call({ id: 'c1', state: 'connected', connectedAt: T0 + 4000, remote: { number: '+33160127764', name: 'Hélène' }, data: { ivr: 'sales' } }), 'connected'));
    expect(store.get('c1')).toMatchObject({ outcome: 'ongoing', answeredAt: T0 + 4000, remoteName: 'Hélène' });

    r.apply(image(call({ id: 'c1', state: 'held', connectedAt: T0 + 4000 }), 'held'));
    r.apply(ended('c1', T0 + 64_400, 'droppedByOtherParty'));
    expect(store.get('c1')).toMatchObject({
      outcome: 'answered',
      startedAt: T0,
      answeredAt: T0 + 4000,
      endedAt: T0 + 64_400,
      durationSec: 60,
      cause: 'droppedByOtherParty',
      remoteName: 'Hélène',
      data: { customerId: '42', ivr: 'sales' },
      source: 'local',
    });
    expect(r.openCallIds()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('takes the answer time from the clock when the image has no connectedAt', () => {
    const r = recorder();
    r.apply(image(call({ id: 'c1', state: 'alerting' })));
    now = T0 + 3000;
    r.apply(image(call({ id: 'c1', state: 'connected' })));
    now = T0 + 9000;
    r.apply(image(call({ id: 'c1', state: 'connected', data: { x: '1' } })));
    expect(store.get('c1')?.answeredAt).toBe(T0 + 3000);
  });

  it('inbound missed: caller hangs up while it rings here', () => {
    const r = recorder();
    r.apply(image(call({ id: 'c1', state: 'queued' }), 'queued'));
    r.apply(image(call({ id: 'c1', state: 'alerting' }), 'alerting'));
    r.apply(ended('c1', T0 + 20_000, 'droppedByOtherParty'));
    expect(store.get('c1')).toMatchObject({ outcome: 'missed', durationSec: 0, endedAt: T0 + 20_000 });
    expect(store.get('c1')?.answeredAt).toBeUndefined();
  });

  it('inbound abandoned only when the vendor says so', () => {
    const r = recorder();
    r.apply(image(call({ id: 'c1', state: 'queued' })));
    r.apply(ended('c1', T0 + 5000, 'ABANDONED'));
    expect(store.get('c1')?.outcome).toBe('abandoned');
  });

  it('outbound answered and outbound unanswered', () => {
    const r = recorder();
    const out = (id: string, state: Call['state'], extra: Partial<Call> = {}): Call =>
      call({ id, state, direction: 'outbound', remote: { number: '1102' }, called: { number: '1102' }, ...extra });
    r.apply(image(out('o1', 'dialing'), 'dialing'));
    r.apply(image(out('o1', 'ringing'), 'ringing'));
    r.apply(image(out('o1', 'connected', { connectedAt: T0 + 2000 }), 'connected'));
    r.apply(image({ ...out('o1', 'cleared', { connectedAt: T0 + 2000 }), endedAt: T0 + 32_000 }));
    expect(store.get('o1')).toMatchObject({ direction: 'outbound', outcome: 'answered', calledNumber: '1102', durationSec: 30, endedAt: T0 + 32_000 });

    r.apply(image(out('o2', 'dialing', { startedAt: T0 + 40_000 })));
    r.apply(image(out('o2', 'ringing', { startedAt: T0 + 40_000 })));
    r.apply(ended('o2', T0 + 70_000));
    expect(store.get('o2')).toMatchObject({ outcome: 'unanswered', durationSec: 0 });
  });

  it('outbound failed: busy', () => {
    const r = recorder();
    r.apply(image(call({ id: 'o1', state: 'dialing', direction: 'outbound' })));
    r.apply(image(call({ id: 'o1', state: 'failed', direction: 'outbound', cause: 'busy' }), 'failed'));
    r.apply(ended('o1', T0 + 3000));
    expect(store.get('o1')).toMatchObject({ outcome: 'failed' });
  });

  it('consultative transfer: both legs end as transferred', () => {
    const r = recorder();
    r.apply(image(call({ id: 'c1', state: 'connected', connectedAt: T0 + 1000 })));
    r.apply(image(call({ id: 'c1', state: 'held', connectedAt: T0 + 1000 }), 'held'));
    r.apply(image(call({ id: 'c2', state: 'dialing', direction: 'outbound', isConsultation: true, remote: { number: '1102' }, startedAt: T0 + 10_000 })));
    r.apply(image(call({ id: 'c2', state: 'connected', direction: 'outbound', isConsultation: true, remote: { number: '1102' }, startedAt: T0 + 10_000, connectedAt: T0 + 15_000 })));
    r.apply(ended('c1', T0 + 30_000, 'transfer'));
    r.apply(ended('c2', T0 + 30_000, 'transfer'));
    expect(store.get('c1')).toMatchObject({ outcome: 'transferred', durationSec: 29, cause: 'transfer' });
    expect(store.get('c2')).toMatchObject({ outcome: 'transferred', durationSec: 15, direction: 'outbound' });
  });

  it('a transferred-in call that later ends normally is answered, not transferred', () => {
    const r = recorder();
    r.apply(image(call({ id: 't1', state: 'alerting', cause: 'transfer', redirectedBy: { number: '1102' } }), 'transferred'));
    r.apply(image(call({ id: 't1', state: 'connected', connectedAt: T0 + 1000 })));
    r.apply(ended('t1', T0 + 11_000));
    expect(store.get('t1')).toMatchObject({ outcome: 'answered' });
    expect(store.get('t1')?.cause).toBeUndefined();
  });

  it('redirect (deflect) of an alerting call', () => {
    const r = recorder();
    r.apply(image(call({ id: 'c1', state: 'alerting' })));
    r.apply(ended('c1', T0 + 3000, 'redirect'));
    expect(store.get('c1')?.outcome).toBe('redirected');
  });

  it('a call the snapshot no longer has is ended at the snapshot time', () => {
    const r = recorder();
    r.apply(image(call({ id: 'c1', state: 'connected', connectedAt: T0 })));
    r.apply(image(call({ id: 'c2', state: 'alerting', startedAt: T0 + 1000 })));
    r.apply(snapshot(T0 + 45_000, [call({ id: 'c2', state: 'alerting', startedAt: T0 + 1000 })]));
    expect(store.get('c1')).toMatchObject({ outcome: 'answered', endedAt: T0 + 45_000, durationSec: 45 });
    expect(store.get('c2')?.outcome).toBe('ongoing');
    expect(r.openCallIds()).toEqual(['c2']);
  });

  it('a snapshot brings in calls the recorder never saw', () => {
    const r = recorder();
    r.apply(snapshot(T0 + 5000, [call({ id: 's1', state: 'connected', connectedAt: T0 + 2000 })]));
    expect(store.get('s1')).toMatchObject({ outcome: 'ongoing', answeredAt: T0 + 2000 });
  });

  it('does not reopen a call on a late image after its end', () => {
    const r = recorder();
    r.apply(image(call({ id: 'c1', state: 'connected', connectedAt: T0, seq: 1 })));
    r.apply(ended('c1', T0 + 10_000));
    r.apply(image(call({ id: 'c1', state: 'alerting', seq: 2 })));
    expect(store.get('c1')?.outcome).toBe('answered');
  });

  it('logs a call seen only in its end event with a final image', () => {
    const r = recorder();
    r.apply(ended('c9', T0 + 8000, 'droppedByOtherParty', call({ id: 'c9', state: 'alerting' })));
    expect(store.get('c9')).toMatchObject({ outcome: 'missed', endedAt: T0 + 8000 });
  });

  it('withholds the placeholder of a withheld number', () => {
    const r = recorder();
    r.apply(image(call({ id: 'c1', state: 'alerting', remote: { number: '*****-17', withheld: true } })));
    expect(store.get('c1')?.remoteNumber).toBe('');
  });

  it('ignores events that are not about calls', () => {
    const r = recorder();
    r.apply({ type: 'link', link: { state: 'up', since: T0, attempt: 0 } });
    expect(store.query({})).toEqual([]);
  });
});

describe('CallLogRecorder: crashes and restarts', () => {
  it('the row exists from the first image, so a crash mid-call leaves it ongoing; restart marks it interrupted', () => {
    recorder().apply(image(call({ id: 'c1', state: 'connected', connectedAt: T0 })));
    // The app dies here. On the next start, before the session is up:
    now = T0 + 3_600_000;
    expect(store.markInterrupted('demo', now - 60_000)).toBe(1);
    expect(store.get('c1')).toMatchObject({ outcome: 'interrupted', answeredAt: T0 });
  });

  it('a call that survived the restart resumes its row, keeping the start and answer times', () => {
    recorder().apply(image(call({ id: 'c1', state: 'connected', connectedAt: T0 + 1000, data: { a: '1' } })));
    store.markInterrupted('demo', T0 + 1);
    const r = recorder();
    r.apply(snapshot(T0 + 60_000, [call({ id: 'c1', state: 'connected', startedAt: T0 + 50_000, data: { b: '2' } })]));
    expect(store.get('c1')).toMatchObject({ outcome: 'ongoing', startedAt: T0, answeredAt: T0 + 1000, data: { a: '1', b: '2' } });
    r.apply(ended('c1', T0 + 121_000));
    expect(store.get('c1')).toMatchObject({ outcome: 'answered', durationSec: 120 });
  });

  it('the first snapshot marks rows left ongoing by a crash, and gone from the PBX, as interrupted', () => {
    recorder().apply(image(call({ id: 'c1', state: 'alerting' })));
    const r = recorder();
    r.apply(snapshot(T0 + 60_000, []));
    expect(store.get('c1')?.outcome).toBe('interrupted');
  });

  it('a store failure is reported, never thrown into the event pipeline', () => {
    const r = recorder();
    store.close();
    expect(() => r.apply(image(call({ id: 'c1', state: 'alerting' })))).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'closed' });
  });
});

describe('endOutcome', () => {
  it('applies the documented precedence', () => {
    const leg = { direction: 'inbound' as const, answered: true, lastState: 'connected' as const, endCause: undefined };
    expect(endOutcome(leg)).toBe('answered');
    expect(endOutcome({ ...leg, endCause: 'transfer' })).toBe('transferred');
    expect(endOutcome({ ...leg, endCause: 'CALL_FORWARDED' })).toBe('redirected');
    expect(endOutcome({ ...leg, answered: false, lastState: 'failed', endCause: 'busy' })).toBe('failed');
    expect(endOutcome({ ...leg, answered: false, lastState: 'alerting' })).toBe('missed');
    expect(endOutcome({ ...leg, answered: false, lastState: 'queued', endCause: 'abandoned' })).toBe('abandoned');
    expect(endOutcome({ ...leg, direction: 'outbound', answered: false, lastState: 'ringing', endCause: 'normal' })).toBe('unanswered');
  });
});
