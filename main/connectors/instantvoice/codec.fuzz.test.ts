// Property tests: every decoder is total on hostile input (random strings, bytes, JSON-ish and
// XML-ish soup, mutated manual examples) and always returns a typed result; encoders round-trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildIvwsRequest,
  decodeEvent,
  decodeIvwsNameList,
  decodeIvwsRecord,
  decodeIvwsRecordList,
  decodeIvwsRequest,
  decodeIvwsResponse,
  decodeIvwsStatus,
  decodeLocationReply,
  decodeNameListReply,
  decodePollEvents,
  decodeRecordListReply,
  decodeRecordReply,
  decodeReply,
  decodeRequest,
  decodeStatusReply,
  encodeRequest,
  parseAgentTopic,
  parseJson,
  requests,
  type Decoded,
} from './codec.js';
import { manualExamples } from './manual-examples.js';

const kinds = new Set(['tooLarge', 'encoding', 'badJson', 'tooDeep', 'badShape', 'badXml', 'fault', 'returnCode', 'missingArgument', 'badArgument']);

function typed(r: Decoded<unknown>): void {
  expect(typeof r.ok).toBe('boolean');
  if (!r.ok) {
    expect(kinds.has(r.error.kind)).toBe(true);
    expect(r.error.message.length).toBeGreaterThan(0);
  }
}

function total(input: string | Uint8Array): void {
  for (const tolerant of [true, false]) {
    const o = { tolerant };
    for (const r of [parseJson(input, o), decodeReply(input, o), decodeRequest(input, o), decodeEvent(input, o), decodePollEvents(input, o), decodeStatusReply(input, o),
      decodeNameListReply(input, o), decodeRecordReply(input, o), decodeRecordListReply(input, o), decodeLocationReply(input, o)]) typed(r);
  }
  for (const r of [decodeIvwsResponse(input), decodeIvwsStatus(input), decodeIvwsNameList(input), decodeIvwsRecord(input), decodeIvwsRecordList(input), decodeIvwsRequest(input)]) typed(r);
  if (typeof input === 'string') parseAgentTopic(input);
}

const corpus = manualExamples.map((e) => e.text);

describe('decoders are total', { timeout: 120_000 }, () => {
  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => total(s)), { numRuns: 300 });
  });
  it('on random unicode and bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), (s) => total(s)), { numRuns: 200 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => total(b)), { numRuns: 300 });
  });
  it('on JSON-ish soup', () => {
    const tok = fc.constantFrom('[', ']', '{', '}', ',', ':', '"', "'", '0', '-1', '0612345678', '1e400', 'true', 'null', '"type"', '"agent"', '"NEWCALL"', '"default_1001"', '"__proto__"', '\\', '\\u12', ' ', '\n', '"x"');
    fc.assert(fc.property(fc.array(tok, { maxLength: 200 }), (t) => total(t.join(''))), { numRuns: 500 });
  });
  it('on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
      const s = JSON.stringify(v) ?? 'null';
      total(s);
      // Every valid JSON text parses, strictly.
      expect(parseJson(s, { tolerant: false }).ok).toBe(true);
    }), { numRuns: 300 });
  });
  it('on XML-ish soup', () => {
    const tag = fc.constantFrom('<SOAP-ENV:Envelope>', '</SOAP-ENV:Envelope>', '<SOAP-ENV:Body>', '</SOAP-ENV:Body>', '<XResponse>', '</XResponse>', '<XResult type="tns:integerArray">', '</XResult>',
      '<integer>', '</integer>', '<code>', '</code>', '<a xs:nil="1"/>', '<!DOCTYPE x>', '<!ENTITY a "b">', '&a;', '&amp;', '&#0;', '<![CDATA[x]]>', '<?pi?>', '<!-- c -->', '0', '-1', "('0001',)", '<', '>', '"', ' ', '<Fault>', '</Fault>');
    fc.assert(fc.property(fc.array(tag, { maxLength: 150 }), (t) => total(t.join(''))), { numRuns: 500 });
  });
  it('on mutated and truncated manual examples', () => {
    fc.assert(fc.property(fc.constantFrom(...corpus), fc.nat(), fc.nat(), fc.string({ maxLength: 5 }), (text, a, b, ins) => {
      const i = a % (text.length + 1);
      const j = Math.min(text.length, i + (b % 20));
      total(text.slice(0, i) + ins + text.slice(j));
      total(text.slice(0, i));
    }), { numRuns: 500 });
  });
  it('on deep nesting and big input', () => {
    total('['.repeat(100_000));
    total('{"a":'.repeat(10_000));
    total('<a>'.repeat(10_000));
    total(`[0,"${'x'.repeat(2 << 20)}"]`);
  });
});

describe('encoders round-trip', { timeout: 60_000 }, () => {
  const id = fc.string({ maxLength: 30 });
  it('STOMP requests: any argument text survives, ids stay strings', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9]{1,20}$/), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), id, (key, acct, agent, iface, ident) => {
      const t = requests.agentLogin({ key, accountcode: acct, agent, interface: iface, identifier: ident });
      if (!t.ok) throw new Error(t.error.message);
      const d = decodeRequest(t.value, { tolerant: false });
      if (!d.ok) throw new Error(d.error.message);
      expect(d.value).toEqual({ method: 'AgentLogin', key, args: { Accountcode: acct, User: `${acct}_${agent}`, Interface: iface }, identifier: ident, lenient: false });
    }), { numRuns: 300 });
  });
  it('numeric-looking ids keep their text', () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{1,20}$/), (n) => {
      const t = encodeRequest({ method: 'QueueAdd', key: 'k', args: { accountcode: 'a', name: n } });
      if (!t.ok) throw new Error(t.error.message);
      const d = decodeRequest(t.value);
      expect(d.ok && d.value.args.name).toBe(n);
    }), { numRuns: 300 });
  });
  it('SOAP requests: text survives XML escaping (minus what XML cannot carry)', () => {
    const xmlSafe = fc.string({ minLength: 1, maxLength: 50 }).map((s) => s.replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd]/g, '').trim()).filter((s) => s !== '');
    fc.assert(fc.property(xmlSafe, xmlSafe, (acct, text) => {
      const x = buildIvwsRequest('SendSms', 'k1', { Accountcode: acct, Number: '0612345678', Text: text });
      if (!x.ok) throw new Error(x.error.message);
      const d = decodeIvwsRequest(x.value);
      if (!d.ok) throw new Error(d.error.message);
      expect(d.value.args).toEqual({ Accountcode: acct, Number: '0612345678', Text: text });
    }), { numRuns: 300 });
  });
});
