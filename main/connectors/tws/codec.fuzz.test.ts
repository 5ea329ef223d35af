// Property tests: the decoders and the splitter never throw on hostile input, and any chunking of
// a byte stream yields the same frames (split invariance).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildSoap,
  buildUrl,
  decodeAgentStateResult,
  decodeCallLog,
  decodeCallsSnapshot,
  decodeDevicesState,
  decodeForwardInfo,
  decodeEvent,
  decodeGetEventResult,
  decodeIntResult,
  decodeResult,
  decodeTokenResult,
  EventFrameSplitter,
  MESSAGE_SEPARATOR,
  parseXml,
  requests,
  type FrameItem,
  type TwsFormat,
} from './codec.js';
import { manual, manualJsonResults, unpage } from './manual-examples.js';

const formats: TwsFormat[] = ['json', 'xml', 'soap'];

function total(input: string | Uint8Array): void {
  for (const tolerant of [true, false]) {
    const e = decodeEvent(input, { tolerant });
    expect(typeof e.ok).toBe('boolean');
    if (!e.ok) expect(e.error.message.length).toBeGreaterThan(0);
  }
  for (const f of formats) {
    for (const r of [decodeResult(input, f), decodeIntResult(input, f), decodeTokenResult(input, f), decodeAgentStateResult(input, f), decodeGetEventResult(input, f),
      decodeForwardInfo(input, f), decodeDevicesState(input, f), decodeCallLog(input, f), decodeCallsSnapshot(input, f)]) {
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(typeof r.error.kind).toBe('string');
    }
  }
}

const corpus = [
  ...Object.values(manual).map((m) => m.text),
  ...Object.values(manual).map((m) => unpage(m.text)),
  ...manualJsonResults.map((m) => m.text),
];

describe('decoders are total', { timeout: 60_000 }, () => {
  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => total(s)), { numRuns: 300 });
  });

  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => total(b)), { numRuns: 300 });
  });

  it('on XML-ish tag soup', () => {
    const tag = fc.constantFrom('<a>', '</a>', '<b i:nil="true">', '</b>', '<a:Result>', '</a:Result>', '<CGenericEvent>', '</CGenericEvent>', '<eventType>CallEvent</eventType>',
      '<genericCallEvent>', '</genericCallEvent>', '<CGenericCCo>', '</CGenericCCo>', '<m_Connections>', '</m_Connections>', '<x<ns0:Infos/>', '<a>Type>', '&amp;', '&#0;', '<![CDATA[', ']]>', '<!--', '-->', '<?xml ?>', 'text', ' ', '\n', '<', '>', '/>');
    fc.assert(fc.property(fc.array(tag, { maxLength: 200 }), (parts) => total(parts.join(''))), { numRuns: 400 });
  });

  it('on arbitrary JSON values and JSON events', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom('CallEvent', 'CGenericAgentEvent', 'CallSupervisionEvent', 'AUDIT', ''), (v, type) => {
        total(JSON.stringify(v));
        total(JSON.stringify({ XResult: v }));
        total(JSON.stringify({ eventType: type, genericCallEvent: v, genericAgentEvent: v }));
      }),
      { numRuns: 300 },
    );
  });

  it('on mutated manual examples', () => {
    const mutation = fc.record({ base: fc.constantFrom(...corpus), at: fc.nat(), deleteCount: fc.nat({ max: 40 }), insert: fc.string({ maxLength: 12 }) });
    fc.assert(
      fc.property(mutation, ({ base, at, deleteCount, insert }) => {
        const i = at % (base.length + 1);
        total(base.slice(0, i) + insert + base.slice(i + deleteCount));
      }),
      { numRuns: 400 },
    );
  });

  it('on deep or huge input within bounded time', () => {
    total('<a>'.repeat(5000));
    total(`${'['.repeat(5000)}`);
    total(`<CGenericEvent>${'</x>'.repeat(20000)}`);
    total(`<r>${'<a i:nil="true">'.repeat(20000)}</r>`);
    total(`<r>${'<a>x</a>'.repeat(10000)}<`);
    total(`<r>${'<a><b></a>'.repeat(10000)}`);
    expect(parseXml('x'.repeat(2_000_000)).ok).toBe(false);
  });
});

describe('the splitter', { timeout: 60_000 }, () => {
  const frameText = fc.constantFrom(...Object.values(manual).map((m) => unpage(m.text)), '<a/>', '', '  ', 'Ω≈ç√', '{"eventType":"AUDIT"}');
  const delim = fc.constantFrom(MESSAGE_SEPARATOR, '82E51812-45C9-4733', '\u0000');
  const stream = fc.array(fc.tuple(frameText, delim), { maxLength: 8 }).map((parts) => Buffer.from(parts.map(([f, d]) => f + d).join(''), 'utf8'));

  const run = (bytes: Buffer, cuts: number[], max?: number): FrameItem[] => {
    const s = new EventFrameSplitter({ maxFrameBytes: max });
    const out: FrameItem[] = [];
    let prev = 0;
    for (const c of [...new Set(cuts.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b)) {
      out.push(...s.push(bytes.subarray(prev, c)));
      prev = c;
    }
    out.push(...s.push(bytes.subarray(prev)), ...s.end());
    return out;
  };

  it('is chunking-invariant (including multi-byte characters and markers cut in half)', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 30 }), (bytes, cuts) => {
        expect(run(bytes, cuts)).toEqual(run(bytes, []));
      }),
      { numRuns: 400 },
    );
  });

  it('is chunking-invariant with a small cap (oversize and resync)', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 30 }), fc.integer({ min: 1, max: 300 }), (bytes, cuts, max) => {
        const whole = run(bytes, [], max);
        expect(run(bytes, cuts, max)).toEqual(whole);
        for (const item of whole) if (item.kind === 'frame') expect(Buffer.byteLength(item.text)).toBeLessThanOrEqual(max);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on random byte chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), fc.integer({ min: 1, max: 500 }), (chunks, max) => {
        const s = new EventFrameSplitter({ maxFrameBytes: max });
        for (const c of chunks) for (const item of s.push(c)) if (item.kind === 'frame') total(item.text);
        s.end();
        expect(s.pending).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('every frame it yields from encoded events decodes', () => {
    const s = new EventFrameSplitter();
    // The 7 event examples plus the 9002 keep-alive (L341), which decodes as `audit`.
    const events = Object.values(manual).filter((m) => /CGenericEvent|CTLKCallEvent/.test(m.text) && !m.text.includes('{messageSeparator}'));
    expect(events).toHaveLength(8);
    const frames = s.push(events.map((m) => unpage(m.text) + MESSAGE_SEPARATOR).join(''));
    expect(frames).toHaveLength(8);
    for (const f of frames) expect(f.kind === 'frame' && decodeEvent(f.text).ok).toBe(true);
  });
});

describe('encoders', () => {
  it('URLs and SOAP bodies are well-formed for any parameter text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (a, b) => {
        const r = requests.makeCall({ token: a, device: b, to: `${a}${b}` });
        const u = new URL(buildUrl(r, { baseUrl: 'http://h:9001' }));
        expect(u.searchParams.get('tokenGuid')).toBe(a);
        expect(u.searchParams.get('szTo')).toBe(`${a}${b}`);
        expect(parseXml(buildSoap(r).body, { tolerant: false }).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
