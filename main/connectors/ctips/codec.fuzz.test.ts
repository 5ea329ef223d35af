// Property tests: every decoder is total on hostile input (random strings and bytes, XML-ish soup,
// mutated valid envelopes and manual examples) and returns a typed result; builders round-trip
// through the decoders (requests, responses, events, callbacks), SOAP 1.1 and 1.2.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCtipsRequest,
  ctipsOperations,
  ctipsProfile,
  decodeCallbackReply,
  decodeCtipsCallback,
  decodeCtipsRequest,
  decodeCtipsResponse,
  decodeEnum,
  encodeCallbackReply,
  encodeCtipsResponse,
  encodePublishCTIEvent,
  encodeStartSession,
  eventSpecs,
  INT32_MAX,
  INT32_MIN,
  parseEnvelope,
  type CtipsArgs,
  type CtipsEventType,
  type Decoded,
} from './codec.js';
import { manualExamples } from './manual-examples.js';
import { sampleArgs, sampleEvents } from './test-fixtures.js';

const kinds = new Set(['tooLarge', 'encoding', 'badXml', 'tooDeep', 'badShape', 'fault', 'status', 'unknownOperation', 'missingField', 'badField']);

function typed(r: Decoded<unknown>): void {
  expect(typeof r.ok).toBe('boolean');
  if (!r.ok) {
    expect(kinds.has(r.error.kind)).toBe(true);
    expect(r.error.message.length).toBeGreaterThan(0);
  }
}

function total(input: string | Uint8Array): void {
  for (const r of [decodeCtipsCallback(input), decodeCtipsResponse(input), decodeCtipsRequest(input), decodeCallbackReply(input), parseEnvelope(input)]) typed(r);
  typed(decodeCtipsResponse(input, { operation: 'OpenConnection', maxBytes: 4096 }));
}

const P12 = ctipsProfile({ soapVersion: '1.2' });
const valid: string[] = [
  ...ctipsOperations.flatMap((op) => [buildCtipsRequest(op, sampleArgs[op] as CtipsArgs<typeof op>), buildCtipsRequest(op, sampleArgs[op] as CtipsArgs<typeof op>, P12)]).map((r) => (r.ok ? r.value.body : '')),
  ...ctipsOperations.map((op) => encodeCtipsResponse(op, 0, 'sid')),
  ...(Object.keys(eventSpecs) as CtipsEventType[]).map((t) => {
    const r = encodePublishCTIEvent(t, { RequestId: 1 }, sampleEvents[t] as never);
    return r.ok ? r.value : '';
  }),
  encodeStartSession('u', 'p', 's'),
  encodeCallbackReply('HeartbeatMessage'),
];
const corpus = [...valid, ...manualExamples.map((e) => e.text)];

describe('decoders are total', { timeout: 120_000 }, () => {
  it('the corpus of valid envelopes decodes', () => {
    expect(valid.every((v) => v.startsWith('<s:Envelope'))).toBe(true);
    for (const v of valid) total(v);
  });
  it('on random strings and unicode', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => total(s)), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), (s) => total(s)), { numRuns: 200 });
  });
  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => total(b)), { numRuns: 300 });
  });
  it('on XML-ish soup', () => {
    const tag = fc.constantFrom(
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">', '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">', '</s:Envelope>', '<s:Body>', '</s:Body>',
      '<s:Header>', '</s:Header>', '<PublishCTIEvent>', '</PublishCTIEvent>', '<event i:type="a:X" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">', '</event>',
      '<a:EventType>', '</a:EventType>', 'CallConnected', 'RouteRejected', '<a:CallInfo>', '</a:CallInfo>', '<a:CTICallInfo>', '</a:CTICallInfo>', '<a:RequestId>', '</a:RequestId>',
      '<OnLineResponse>', '</OnLineResponse>', '<OnLineResult>', '</OnLineResult>', '<s:Fault>', '</s:Fault>', '<faultstring>', '</faultstring>', '<x i:nil="true"/>',
      '<!DOCTYPE x>', '<!ENTITY a "b">', '&a;', '&amp;', '&#0;', '&#x10FFFF;', '<![CDATA[x]]>', '<?pi?>', '<!-- c -->', '0', '-1', '99999999999', '0612345678', '<', '>', '"', ' ',
      '<a:__proto__>', '</a:__proto__>', '<a:constructor/>',
    );
    fc.assert(fc.property(fc.array(tag, { maxLength: 150 }), (t) => total(t.join(''))), { numRuns: 600 });
  });
  it('on mutated and truncated valid envelopes and manual examples', () => {
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.nat(), fc.nat(), fc.string({ maxLength: 6 }), (text, a, b, ins) => {
        const i = a % (text.length + 1);
        const j = Math.min(text.length, i + (b % 20));
        total(text.slice(0, i) + ins + text.slice(j));
        total(text.slice(0, i));
        total(new TextEncoder().encode(text).subarray(0, i));
      }),
      { numRuns: 800 },
    );
  });
  it('on deep nesting and big input', () => {
    total('<a>'.repeat(10_000));
    total(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${'<x>'.repeat(70)}${'</x>'.repeat(70)}</s:Body></s:Envelope>`);
    total(`<s:Envelope>${'x'.repeat(2 << 20)}</s:Envelope>`);
    total(new Uint8Array(2 << 20));
  });
});

const xmlSafe = (min = 0) => fc.string({ minLength: min, maxLength: 40 }).map((s) => s.replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd]/g, '').trim()).filter((s) => s.length >= min);
const int32 = fc.integer({ min: INT32_MIN, max: INT32_MAX });
const reqId = int32.filter((n) => n !== 0);

describe('builders round-trip through the decoders', { timeout: 120_000 }, () => {
  for (const profile of [ctipsProfile(), P12, ctipsProfile({ fieldOrder: 'alphabetical', requestNamespace: 'urn:x', dataNamespace: 'urn:y' })]) {
    it(`LoginAgent: any text and ids survive (SOAP ${profile.soapVersion}, ${profile.fieldOrder})`, () => {
      fc.assert(
        fc.property(xmlSafe(1), reqId, int32, xmlSafe(1), xmlSafe(1), fc.constantFrom('NotReady', 'NotReadyPark', 'Idle', 'ActiveWrap') as fc.Arbitrary<'Idle'>, fc.constantFrom(0, 1), (sid, rid, tenant, name, station, state, ml) => {
          const r = buildCtipsRequest('LoginAgent', { SessionId: sid, RequestId: rid, TenantId: tenant, AgentLoginName: name, StationId: station, InitialState: state, MultiLine: ml }, profile);
          if (!r.ok) throw new Error(r.error.message);
          const d = decodeCtipsRequest(r.value.body);
          if (!d.ok) throw new Error(d.error.message);
          expect(d.value.args).toEqual({ SessionId: sid, RequestId: rid, TenantId: tenant, AgentLoginName: name, StationId: station, InitialState: decodeEnum('CTIAgentState', state), MultiLine: ml });
        }),
        { numRuns: 200 },
      );
    });
  }
  it('SetCallData: up to 20 entries (nulls included) survive; 21 are refused', () => {
    fc.assert(
      fc.property(fc.array(fc.option(xmlSafe(), { nil: null }), { maxLength: 25 }), (ud) => {
        const r = buildCtipsRequest('SetCallData', { ...sampleArgs.SetCallData, UserData: ud });
        if (ud.length > 20) {
          expect(r.ok).toBe(false);
          return;
        }
        if (!r.ok) throw new Error(r.error.message);
        const d = decodeCtipsRequest(r.value.body);
        expect(d.ok && d.value.args.UserData).toEqual(ud);
      }),
      { numRuns: 300 },
    );
  });
  it('responses: any int32 status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ctipsOperations), int32, xmlSafe(1), (op, st, sid) => {
        const d = decodeCtipsResponse(encodeCtipsResponse(op, st, sid), { operation: op });
        if (st === 0) expect(d.ok && d.value.status).toBe(0);
        else expect(!d.ok && d.error.kind === 'status' && d.error.status).toBe(st);
        if (op === 'OpenConnection' && st === 0) expect(d.ok && d.value.sessionId).toBe(sid);
      }),
      { numRuns: 300 },
    );
  });
  it('events: header ids, 64-bit sequence ids and caller data survive', () => {
    fc.assert(
      fc.property(int32, int32, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.option(xmlSafe(), { nil: null }), xmlSafe(), fc.array(fc.tuple(xmlSafe(), fc.option(xmlSafe(), { nil: null })), { maxLength: 5 }), (rid, agent, seq, ani, dnis, items) => {
        const r = encodePublishCTIEvent('CallConnected', { RequestId: rid, AgentId: agent }, {
          CallId: 1, CallSequenceId: seq, CallInfo: [{ ANI: ani, DNIS: dnis, CallData: items.map(([key, value]) => ({ key, value })) }],
        });
        if (!r.ok) throw new Error(r.error.message);
        const d = decodeCtipsCallback(r.value);
        if (!d.ok || d.value.operation !== 'PublishCTIEvent') throw new Error('decode');
        const e = d.value.event;
        if (e.kind === 'unknown' || e.type !== 'CallConnected') throw new Error('type');
        expect([e.header.requestId, e.header.agentId, e.fields.CallSequenceId]).toEqual([rid, agent, seq.toString()]);
        expect(e.fields.CallInfo[0]?.ANI).toBe(ani);
        expect(e.fields.CallInfo[0]?.DNIS).toBe(dnis);
        expect(e.fields.CallInfo[0]?.CallData.map((x) => [x?.key, x?.value])).toEqual(items);
      }),
      { numRuns: 300 },
    );
  });
  it('StartSession credentials survive escaping', () => {
    fc.assert(
      fc.property(xmlSafe(1), xmlSafe(1), xmlSafe(1), (u, p, s) => {
        const d = decodeCtipsCallback(encodeStartSession(u, p, s, P12));
        expect(d.ok && d.value).toEqual({ operation: 'StartSession', soapVersion: '1.2', userName: u, password: p, sessionId: s });
      }),
      { numRuns: 200 },
    );
  });
});
