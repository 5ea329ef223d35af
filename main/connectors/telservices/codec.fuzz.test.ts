// Property tests: the decoders never throw and stay fast on hostile input, and
// encode → decode is the identity on arbitrary valid typed values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  decodeReply,
  decodeRequest,
  encodeEvent,
  encodeReply,
  encodeRequest,
  numberTypes,
  onOffValues,
  routingPointStates,
  splitPdus,
  telAgentStates,
  telCallStates,
  telErrorNames,
  telForwardTypes,
  telKnownCauses,
  telServices,
  telSessionEvents,
  type TelCallInfo,
  type TelEvent,
  type TelParty,
  type TelReply,
  type TelRequest,
} from './codec.js';
import { manualExamples } from './manual-examples.js';

const decoders = [decodeRequest, decodeReply, decodeEvent];

/** Decoding must return a result object (never throw); a runaway input would hit the test timeout. */
function assertTotal(input: string | Uint8Array): void {
  for (const decode of decoders) {
    const r = decode(input);
    expect(typeof r.ok).toBe('boolean');
    if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0);
  }
}

const corpus = manualExamples.map((e) => e.xml);

describe('decoders are total', () => {
  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => assertTotal(s)), { numRuns: 400 });
  });

  it('on random XML-ish strings', () => {
    const token = fc.constantFrom('<', '>', '/', '</', '/>', '<?xml?>', '&amp;', '&', ';', 'TelServiceReturn', 'result', 'event', 'call', ' ', '\0', '<![CDATA[', ']]>', '<!--', '-->');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 200 }), (parts) => assertTotal(parts.join(''))),
      { numRuns: 400 },
    );
  });

  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => assertTotal(b)), { numRuns: 400 });
  });

  it('on mutated manual examples', () => {
    const mutation = fc.record({
      base: fc.constantFrom(...corpus),
      at: fc.nat(),
      deleteCount: fc.nat({ max: 40 }),
      insert: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('<', '>', '</x>', '<y/>', '&', '&#0;', '&#x110000;', '\ud800')),
      duplicate: fc.boolean(),
    });
    fc.assert(
      fc.property(mutation, ({ base, at, deleteCount, insert, duplicate }) => {
        const i = at % (base.length + 1);
        let s = base.slice(0, i) + insert + base.slice(i + deleteCount);
        if (duplicate) s = s.slice(0, i) + s.slice(i / 2, i) + s.slice(i);
        assertTotal(s);
        assertTotal(Buffer.from(s));
      }),
      { numRuns: 1000 },
    );
  });

  it('on deep nesting', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20000 }), fc.constantFrom('TelServiceReturn', 'a', 'result'), (depth, tag) => {
        assertTotal(`<${tag}>`.repeat(depth) + `</${tag}>`.repeat(depth));
        assertTotal(`<${tag}>`.repeat(depth));
      }),
      { numRuns: 30 },
    );
  });

  it('on huge inputs (over the byte cap)', () => {
    const big = `<TelServiceReturn><result><history>${'<record><creationDate>x</creationDate><creationTime>y</creationTime></record>'.repeat(5000)}</history></result></TelServiceReturn>`;
    expect(big.length).toBeGreaterThan(256 * 1024);
    for (const input of [big, Buffer.from(big), 'x'.repeat(10 * 1024 * 1024)]) {
      const r = decodeReply(input);
      expect(r.ok ? 'ok' : r.error.kind).toBe('tooLarge');
    }
  });

  it('on many roots in one datagram', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...corpus.filter((x) => x.startsWith('<TelServiceEvent'))), { maxLength: 20 }), fc.constantFrom(null, '\n', '\0'), (pdus, eop) => {
        const joined = pdus.join(eop ?? '');
        const pieces = splitPdus(joined, eop);
        expect(pieces).toHaveLength(pdus.length);
        for (const p of pieces) expect(decodeEvent(p).ok).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

// ------------------------------------------------------------ round trip

// Decoding trims text values and XML normalizes line ends, so generated text is trimmed and has no CR.
// eslint-disable-next-line no-control-regex
const xmlUnsafe = /[\u0000-\u0008\u000b-\u001f\ufffe\uffff\ud800-\udfff]/g;
const text = fc.string({ maxLength: 24 }).map((s) => s.replace(xmlUnsafe, '').trim());
const number = fc.oneof(fc.stringMatching(/^[+*]?[0-9]{0,14}$/), fc.constantFrom('0612345678', '0E68', '*****-42', ''));
const int = fc.integer({ min: -1_000_000, max: 1_000_000 });
const nonNeg = fc.integer({ min: 0, max: 1_000_000 });

const party: fc.Arbitrary<TelParty> = fc.record(
  { number, name: text, company: text, numberType: fc.constantFrom(...numberTypes) },
  { requiredKeys: ['number'] },
);
const forward = fc.record({ number, type: fc.constantFrom(...telForwardTypes), state: fc.constantFrom(...onOffValues) });
const cause = fc.oneof(fc.constantFrom(...telKnownCauses), fc.constantFrom('normal', 'futureCause'));
const callInfo: fc.Arbitrary<TelCallInfo> = fc.record(
  {
    state: fc.constantFrom(...telCallStates),
    otherParty: party,
    addedParties: fc.array(party, { maxLength: 3 }),
    firstOtherParty: party,
    firstCalledParty: party,
    lastRedirectionParty: party,
    duration: nonNeg,
    isOutgoing: fc.boolean(),
    isConference: fc.boolean(),
    callReference: text,
    cause,
  },
  { requiredKeys: ['state', 'otherParty', 'duration', 'isOutgoing', 'isConference'] },
);
const call = fc.record(
  {
    id: fc.stringMatching(/^[0-9]{1,6}$/),
    primCall: callInfo,
    secCall: callInfo,
    permittedServices: fc.uniqueArray(fc.constantFrom(...telServices), { maxLength: 8 }),
    extraData: text,
  },
  { requiredKeys: ['id'] },
);
const agent = fc.record(
  {
    userID: text,
    state: fc.constantFrom(...telAgentStates),
    timeout: nonNeg,
    inboundServices: fc.array(text, { maxLength: 3 }),
    outboundServices: fc.array(text, { maxLength: 3 }),
    permittedStates: fc.uniqueArray(fc.constantFrom(...telAgentStates), { maxLength: 4 }),
  },
  { requiredKeys: ['state'] },
);

const eventBody = fc.oneof(
  agent.map((a) => ({ kind: 'agent' as const, agent: a })),
  call.map((c) => ({ kind: 'call' as const, call: c })),
  forward.map((fw) => ({ kind: 'forward' as const, forward: fw })),
  fc.constantFrom(...onOffValues).map((state) => ({ kind: 'doNotDisturb' as const, state })),
  fc.constantFrom(...onOffValues).map((state) => ({ kind: 'msgWaiting' as const, state })),
  fc.constantFrom(...telSessionEvents).map((session) => ({ kind: 'session' as const, session })),
);
const telEvent: fc.Arbitrary<TelEvent> = fc.record({ deviceNumber: number, event: eventBody }, { requiredKeys: ['event'] });

const dev = { deviceNumber: number };
const telRequest: fc.Arbitrary<TelRequest> = fc.oneof(
  fc.record(
    {
      op: fc.constant('openSession' as const),
      ...dev,
      eventUDPPort: nonNeg,
      eventUpdate: fc.constantFrom('full' as const, 'restricted' as const),
      userID: text,
      userPassword: text,
      sessionTimeout: int,
      startPbxMonitor: fc.boolean(),
    },
    { requiredKeys: ['op', 'deviceNumber'] },
  ),
  fc.record({ op: fc.constant('closeSession' as const), ...dev, actualCloseSessionTimeout: nonNeg, clientOnly: fc.boolean() }, { requiredKeys: ['op', 'deviceNumber'] }),
  fc.record({ op: fc.constant('makeCall' as const), ...dev, calledDeviceNumber: number, extraData: text }, { requiredKeys: ['op', 'deviceNumber', 'calledDeviceNumber'] }),
  fc.record({ op: fc.constant('consultationCall' as const), ...dev, otherNumber: number, consultedDeviceNumber: number, extraData: text }, { requiredKeys: ['op', 'deviceNumber', 'consultedDeviceNumber'] }),
  fc.record({ op: fc.constant('addPartyToCall' as const), ...dev, otherNumber: number, addedDeviceNumber: number, extraData: text }, { requiredKeys: ['op', 'deviceNumber', 'addedDeviceNumber'] }),
  fc.record({ op: fc.constant('divertCall' as const), ...dev, otherNumber: number, divertedDeviceNumber: number, extraData: text }, { requiredKeys: ['op', 'deviceNumber', 'divertedDeviceNumber'] }),
  fc.record({ op: fc.constantFrom('transferCall' as const, 'alternateCall' as const, 'conferenceCall' as const, 'reconnectCall' as const), ...dev, primOtherNumber: number, secOtherNumber: number }, { requiredKeys: ['op', 'deviceNumber'] }),
  fc.record({ op: fc.constantFrom('dropCall' as const, 'holdCall' as const, 'retrieveCall' as const), ...dev, otherNumber: number }, { requiredKeys: ['op', 'deviceNumber'] }),
  fc.record({ op: fc.constant('answerCall' as const), ...dev, callingNumber: number }, { requiredKeys: ['op', 'deviceNumber'] }),
  fc.record({ op: fc.constant('agentState' as const), ...dev, state: fc.constantFrom(...telAgentStates) }),
  fc.record({ op: fc.constant('doNotDisturb' as const), ...dev, state: fc.constantFrom(...onOffValues) }),
  fc.record({ op: fc.constant('forward' as const), ...dev, info: forward }),
  fc.record({ op: fc.constant('qualifyCall' as const), ...dev, answerCall: fc.boolean(), needName: fc.boolean() }, { requiredKeys: ['op', 'deviceNumber'] }),
  fc.record({ op: fc.constantFrom('queryAgentState' as const, 'queryDoNotDisturb' as const, 'queryForward' as const, 'queryMsgWaiting' as const), ...dev }),
  fc.record(
    {
      op: fc.constant('queryHistory' as const),
      recordType: fc.constantFrom('call' as const, 'agent' as const, 'all' as const),
      deviceNumber: number,
      userID: text,
      startDate: text,
      startHour: nonNeg,
      endDate: text,
      search: text,
      limit: nonNeg,
    },
    { requiredKeys: ['op'] },
  ),
  fc.record({ op: fc.constant('queryUserStatistics' as const), ...dev, userID: text, type: fc.constantFrom('snapshot' as const, 'total' as const) }, { requiredKeys: ['op', 'deviceNumber', 'type'] }),
  fc.record({ op: fc.constant('searchName' as const), userID: text, deviceNumber: number, name: text, limit: nonNeg }, { requiredKeys: ['op', 'name'] }),
  fc.record({ op: fc.constant('searchNumber' as const), userID: text, deviceNumber: number, number }, { requiredKeys: ['op', 'number'] }),
  fc.record({ op: fc.constant('snapshot' as const), ...dev, resultOnEvent: fc.record({ timeout: nonNeg, snapshotSeq: fc.stringMatching(/^[0-9]{1,8}$/) }) }, { requiredKeys: ['op', 'deviceNumber'] }),
  fc.record({ op: fc.constant('updateUserDirectory' as const), userID: text, deviceNumber: number, directoryName: text, parties: fc.array(party, { maxLength: 4 }) }, { requiredKeys: ['op', 'directoryName', 'parties'] }),
  fc.record({ op: fc.constantFrom('queryRoutingPointState' as const, 'resumeRoutingPoint' as const, 'stopRoutingPoint' as const, 'suspendRoutingPoint' as const), service: text }),
  fc.record({ op: fc.constant('queryRoutingPointStatistics' as const), service: text, type: fc.constantFrom('snapshot' as const, 'total' as const) }),
  fc.record(
    {
      op: fc.constantFrom('startRoutingPoint' as const, 'updateRoutingPoint' as const),
      service: text,
      config: fc.record(
        {
          serviceTimeout: nonNeg,
          workingHours: text,
          nonWorkingDaysOfWeek: text,
          nonWorkingDays: text,
          noAnswerTimeout: nonNeg,
          failedCallRetryTimeout: nonNeg,
          failedCallRetryLimit: nonNeg,
          agentWorkingAfterCallTimeout: nonNeg,
          agentsDistribution: fc.constantFrom('cyclic' as const, 'sequential' as const, 'most-idle' as const),
          queueLimit: nonNeg,
          agentLoggedOnOnOpenSession: fc.boolean(),
          agentReadyOnLoggedOn: fc.boolean(),
          statisticsIncomingCallImmediateAbandonTimeout: nonNeg,
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['op', 'service'] },
  ),
  fc.record({ op: fc.constant('updateDirectory' as const), directoryName: text }),
);

const telReply: fc.Arbitrary<TelReply> = fc.oneof(
  fc.constant({ kind: 'standard' as const }),
  fc.constantFrom(...telErrorNames).map((error) => ({ kind: 'error' as const, error })),
  fc.stringMatching(/^[a-z][A-Za-z]{0,12}$/).filter((n) => !(telErrorNames as readonly string[]).includes(n)).map((error) => ({ kind: 'unknownError' as const, error })),
  fc.record({ kind: fc.constant('qualifyCall' as const), number, name: text }, { requiredKeys: ['kind', 'number'] }),
  agent.map((a) => ({ kind: 'agent' as const, agent: a })),
  fc.array(forward, { maxLength: 4 }).map((forwards) => ({ kind: 'forwards' as const, forwards })),
  fc.array(party, { maxLength: 4 }).map((parties) => ({ kind: 'searchDirectory' as const, parties })),
  fc.constantFrom(...routingPointStates).map((state) => ({ kind: 'routingPointState' as const, state })),
  fc
    .record(
      {
        snapshotSeq: fc.stringMatching(/^[0-9]{1,6}$/),
        calls: fc.array(call, { maxLength: 3 }),
        forwards: fc.array(forward, { maxLength: 3 }),
        msgWaiting: fc.constantFrom(...onOffValues),
        doNotDisturb: fc.constantFrom(...onOffValues),
        agent,
        session: fc.constantFrom(...telSessionEvents),
      },
      { requiredKeys: [] },
    )
    .map((snapshot) => ({ kind: 'snapshot' as const, snapshot })),
);

describe('round trip', () => {
  it('decodeEvent(encodeEvent(e)) equals e', () => {
    fc.assert(
      fc.property(telEvent, (ev) => {
        expect(decodeEvent(encodeEvent(ev))).toEqual({ ok: true, value: ev });
      }),
      { numRuns: 500 },
    );
  });

  it('decodeRequest(encodeRequest(r)) equals r', () => {
    fc.assert(
      fc.property(telRequest, (r) => {
        expect(decodeRequest(encodeRequest(r))).toEqual({ ok: true, value: r });
      }),
      { numRuns: 800 },
    );
  });

  it('decodeReply(encodeReply(r)) equals r', () => {
    fc.assert(
      fc.property(telReply, (r) => {
        expect(decodeReply(encodeReply(r))).toEqual({ ok: true, value: r });
      }),
      { numRuns: 500 },
    );
  });
});
