// Property tests for what the connector layer parses or folds: call data text, the call tracker
// under arbitrary event sequences (its invariants), the colleague board, and the fake server's
// encoders through the codec (party fields survive XML and JSON).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callActions, colleagueStates, type Call } from '../../../shared/model.js';
import { decodeEvent, type TwsCco, type TwsConnection } from './events.js';
import { ColleagueBoard, parseCallData, serializeCallData, TwsCallTracker } from './mapping.js';
import { oneCall, socketEventJson, socketEventXml } from './test/fake-tws.js';

const DEVICE = '4694';

describe('call data text', () => {
  it('parseCallData never throws and stays within the model limits', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 3000 }), fc.constant(null), fc.array(fc.constantFrom('a', '=', ';', '&', '\n', '%', ' ', '%3B', 'k'), { maxLength: 400 }).map((a) => a.join(''))), (text) => {
        const d = parseCallData(text);
        for (const [k, v] of Object.entries(d)) {
          expect(k.length).toBeGreaterThan(0);
          expect(k.length).toBeLessThanOrEqual(128);
          expect(v.length).toBeLessThanOrEqual(4096);
        }
      }),
    );
  });

  it('serialize → parse is the identity for trimmed keys and values', () => {
    const trimmed = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s === s.trim() && s !== '__proto__');
    fc.assert(
      fc.property(fc.dictionary(trimmed(40), fc.string({ maxLength: 80 }).filter((s) => s === s.trim()), { minKeys: 1, maxKeys: 6 }), (data) => {
        expect(parseCallData(serializeCallData(data))).toEqual(data);
      }),
    );
  });

  it('is linear on long separator runs', () => {
    const text = `a=b${'\n'.repeat(50_000)}x`;
    expect(parseCallData(text)).toEqual({ data: text.slice(0, 4096) });
  });
});

const states = ['initiated', 'originated', 'delivered', 'predelivered', 'queued', 'established', 'held', 'retrieved', 'conferenced', 'failed', 'cleared', 'transferred', 'diverted', 'notified', 'weird', ''];

const connArb: fc.Arbitrary<TwsConnection> = fc.record({
  id: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
  log: fc.option(fc.constantFrom('l1', 'l2', 'l3', 'l4', 'l5'), { nil: null }),
  state: fc.constantFrom(...states),
  direction: fc.constantFrom('incoming', 'outgoing', null),
  device: fc.constantFrom(DEVICE, DEVICE, DEVICE, '4000', null),
  flags: fc.subarray(['Answer', 'Release', 'Hold', 'UnHold', 'Swaphold', 'Conference', 'DivertCall', 'SingleStepTransfer', 'Transfer', 'Callback']),
  timeEnd: fc.option(fc.constantFrom('1', '2', '3'), { nil: null }),
  reason: fc.constantFrom('Normal', 'NameResolved'),
  number: fc.constantFrom('4594', '4001', '', '****', DEVICE),
}).map((r) => ({
  connectionId: r.id,
  state: r.state,
  reason: null,
  eventReason: r.reason,
  direction: r.direction,
  device: r.device,
  callLogId: r.log,
  ccoId: null,
  domainGuid: null,
  mediaType: null,
  timeStart: null,
  timeStart1: null,
  timeEnd: r.timeEnd,
  userGuid: null,
  parties: [{ publicNumber: r.number, display: r.number, infoDisplay: r.number, direction: null, isRedList: false, firstname: null, lastname: null, company: null, guid: null, personGuid: null, isUser: null }],
  calledParty: null,
  forwardedParty: null,
  lastRedirectedParty: null,
  allowedActions: r.flags,
}));

const stepArb = fc.oneof(
  { weight: 5, arbitrary: fc.array(connArb, { minLength: 1, maxLength: 2 }).map((connections) => ({ kind: 'apply' as const, ccos: connections.map((c): TwsCco => ({ ccoId: '1', state: null, type: null, connections: [c] })) })) },
  { weight: 1, arbitrary: fc.array(connArb, { maxLength: 3 }).map((connections) => ({ kind: 'reconcile' as const, ccos: connections.map((c): TwsCco => ({ ccoId: '1', state: null, type: null, connections: [c] })) })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 120_000 }).map((ms) => ({ kind: 'tick' as const, ms })) },
);

const forbidden = ['sendDtmf', 'record', 'callBack', 'transactionCode', 'reconnect', 'addParty'];

describe('call tracker invariants', () => {
  it('never throws; ids unique; seq grows; ended calls stay ended; the allowed-action rules hold', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        let now = 1_000_000;
        const t = new TwsCallTracker({ device: DEVICE, now: () => now });
        let lastSeq = 0;
        const endedIds = new Set<string>();
        for (const step of steps) {
          if (step.kind === 'tick') {
            now += step.ms;
            continue;
          }
          const out = step.kind === 'apply' ? t.apply(step.ccos) : t.reconcile(step.ccos);
          for (const e of out) {
            const seq = e.type === 'call' ? e.call.seq : (e.call?.seq ?? lastSeq + 1);
            expect(seq).toBeGreaterThan(lastSeq);
            lastSeq = seq;
            if (e.type === 'callEnded') {
              // Ended once; its id never comes back (within the tombstone time).
              expect(endedIds.has(e.callId)).toBe(false);
              endedIds.add(e.callId);
            } else if (step.kind === 'apply') expect(endedIds.has(e.call.id)).toBe(false);
          }
          const calls: Call[] = t.calls();
          expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
          expect(calls.filter((c) => c.allowed.includes('answer')).length).toBeLessThanOrEqual(1);
          const held = calls.filter((c) => c.state === 'held');
          const active = calls.filter((c) => ['connected', 'dialing', 'ringing'].includes(c.state));
          const pair = held.length > 0 && active.length > 0;
          for (const c of calls) {
            expect(c.state).not.toBe('cleared');
            for (const a of c.allowed) expect(callActions).toContain(a);
            for (const a of forbidden) expect(c.allowed).not.toContain(a);
            if (pair && (c.state === 'held' || active.includes(c))) expect(c.allowed).not.toContain('transfer');
            if (c.allowed.includes('answer')) expect(['alerting', 'queued']).toContain(c.state);
            expect(c.ref.device).toBe(DEVICE);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('colleague board', () => {
  it('never throws and only reports known states', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ device: fc.constantFrom('1', '2', '3', ''), id: fc.constantFrom('a', 'b', ''), state: fc.constantFrom(...states), masked: fc.boolean(), ds: fc.option(fc.constantFrom('Connected', 'Disconnected', 'ProviderLinkNull', 'OutOfService', 'Weird'), { nil: null }) }),
          { maxLength: 30 },
        ),
        (steps) => {
          const b = new ColleagueBoard(['1', '2'], () => 1);
          for (const s of steps) {
            const party = { publicNumber: s.masked ? '' : '77', display: s.masked ? '****' : '77', infoDisplay: null, direction: null, isRedList: false, firstname: null, lastname: null, company: null, guid: null, personGuid: null, isUser: null };
            const c = b.supervision({ connectionId: s.id, state: s.state, reason: null, device: s.device, deviceType: null, parties: [party] });
            if (c) {
              expect(colleagueStates).toContain(c.state);
              // A masked correspondent is never shown (the lamp may show another call's party).
              if (c.remote) {
                expect(c.remote.withheld).toBeFalsy();
                expect(c.remote.number).toBe('77');
              }
            }
            if (s.ds !== null) b.deviceState('1', { device: '1', state: s.ds, type: null, provider: null, cluster: null, site: null, voicemail: null });
          }
          expect(b.list().map((c) => c.number)).toEqual(['1', '2']);
        },
      ),
    );
  });
});

describe('fake encoders through the codec', () => {
  // eslint-disable-next-line no-control-regex
  const text = fc.string({ maxLength: 40 }).map((s) => s.replace(/[\u0000-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]/g, '').trim());
  it('party fields survive the XML and the JSON socket forms', () => {
    fc.assert(
      fc.property(text, text, text, fc.constantFrom('xml', 'json'), (first, last, company, form) => {
        const ev = { kind: 'call' as const, cco: oneCall(DEVICE, { connectionId: 'c1', state: 'delivered', party: { number: '4594', firstname: first, lastname: last, company } }) };
        const d = decodeEvent(form === 'xml' ? socketEventXml(ev) : socketEventJson(ev));
        expect(d.ok).toBe(true);
        if (!d.ok || d.value.kind !== 'call') return;
        const p = d.value.ccos[0]?.connections[0]?.parties[0];
        expect(p?.firstname ?? '').toBe(first);
        expect(p?.lastname ?? '').toBe(last);
        expect(p?.company ?? '').toBe(company);
      }),
      { numRuns: 200 },
    );
  });
});
