// Property tests: the decoders and the splitter never throw on hostile input, and any chunking of
// a stream yields the same items (split invariance).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBody, decodeEvent, eventSchemas, EventStreamDecoder, RestErrorInfo, SessionInfo, type StreamItem } from './codec.js';
import { restError } from './errors.js';
import { dropNulls, parseJson } from './json.js';
import { manual } from './manual-examples.js';
import { LineSplitter } from './splitter.js';
import { sampleEvents } from './test/samples.js';

function total(input: string | Uint8Array): void {
  const r = decodeEvent(input);
  expect(typeof r.ok).toBe('boolean');
  if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0);
  const b = decodeBody(SessionInfo, input);
  expect(typeof b.ok).toBe('boolean');
}

const samples = Object.values(sampleEvents).map((e) => JSON.stringify(e));
const corpus = [...samples, ...Object.values(manual).map((m) => m.text)];

describe('the fast event checker', () => {
  // Ajv (compiled from the zod schemas) checks the hot path; it must never accept what zod refuses.
  const names = Object.keys(eventSchemas) as Array<keyof typeof eventSchemas>;
  const mutated = fc
    .tuple(fc.constantFrom(...Object.values(sampleEvents)), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 3 }))
    .map(([e, key, value]) => ({ ...e, [Object.keys(e)[Math.abs(key.length) % Object.keys(e).length] ?? 'x']: value }));
  const random = fc.tuple(fc.constantFrom(...names), fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }))).map(([eventName, rest]) => ({ ...rest, eventName }));

  it('accepts only what zod accepts, with the same values for the schema fields', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, random), (value) => {
        const r = decodeEvent(JSON.stringify(value));
        if (!r.ok || r.kind !== 'event') return;
        const z = eventSchemas[r.event.eventName].safeParse(dropNulls(JSON.parse(JSON.stringify(value))));
        expect(z.success).toBe(true);
        if (z.success) expect(r.event).toMatchObject(z.data as object);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decoders are total', () => {
  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => total(s)), { numRuns: 400 });
  });

  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => total(b)), { numRuns: 400 });
  });

  it('on arbitrary JSON values, with and without an eventName', () => {
    const names = fc.constantFrom(...Object.keys(sampleEvents), 'OnSomethingElse', '');
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), names, (v, name) => {
        total(JSON.stringify(v));
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) total(JSON.stringify({ ...v, eventName: name }));
      }),
      { numRuns: 500 },
    );
  });

  it('on known events with random members replaced', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(sampleEvents)), fc.string({ maxLength: 16 }), fc.jsonValue({ maxDepth: 3 }), (ev, key, value) => {
        const keys = Object.keys(ev);
        const k = keys.includes(key) ? key : (keys[key.length % keys.length] as string);
        total(JSON.stringify({ ...ev, [k === 'eventName' ? 'x' : k]: value }));
      }),
      { numRuns: 500 },
    );
  });

  it('on mutated samples and manual examples', () => {
    const mutation = fc.record({
      base: fc.constantFrom(...corpus),
      at: fc.nat(),
      deleteCount: fc.nat({ max: 30 }),
      insert: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('{', '}', '[', ']', '"', '\\', ',', ':', 'null', '9223372036854775807', '\u0000', '\ud800')),
    });
    fc.assert(
      fc.property(mutation, ({ base, at, deleteCount, insert }) => {
        const i = at % (base.length + 1);
        const s = base.slice(0, i) + insert + base.slice(i + deleteCount);
        total(s);
        total(Buffer.from(s));
        const e = restError('op', 400 + (at % 200), s, 'other');
        expect(e.code.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('on deep nesting', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50000 }), fc.constantFrom('[', '{"a":'), (depth, open) => {
        total(open.repeat(depth));
        total(`{"eventName":"OnCallCreated","callRef":"1","legs":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      }),
      { numRuns: 30 },
    );
  });

  it('error replies of any shape map to a typed error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 300, max: 599 }), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('auth', 'session', 'call', 'channel', 'other' as const), (status, body, kind) => {
        const e = restError('op', status, JSON.stringify(body), kind);
        expect(e.message.length).toBeGreaterThan(0);
        expect(e.status).toBe(status);
        // A body that is not a RestErrorInfo object is a protocol error unless the status decides.
        const info = decodeBody(RestErrorInfo, JSON.stringify(body));
        const described = info.ok && (info.value.code !== undefined || info.value.type !== undefined);
        if (!described && ![401, 403, 404, 503].includes(status)) expect(e.code).toBe('protocol');
      }),
      { numRuns: 300 },
    );
  });
});

describe('long-safe JSON', () => {
  it('parses like JSON.parse (nulls dropped) when no long ids are involved', () => {
    const noLongKeys = fc.jsonValue({ maxDepth: 5 }).filter((v) => !JSON.stringify(v).includes('"recordId'));
    fc.assert(
      fc.property(noLongKeys, (v) => {
        const text = JSON.stringify(v);
        const r = parseJson(text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toEqual(dropNulls(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps any 64-bit recordId exact', () => {
    const long = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(fc.array(long, { maxLength: 8 }), long, fc.jsonValue({ maxDepth: 2 }), (ids, id, noise) => {
        const text = `{"noise":${JSON.stringify(noise)},"record":{"recordId":${id},"comRef":"c"},"recordIds":[${ids.join(',')}]}`;
        const r = parseJson(text);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const v = r.value as { record: { recordId: string }; recordIds: string[] };
        expect(v.record.recordId).toBe(String(id));
        expect(v.recordIds).toEqual(ids.map(String));
      }),
      { numRuns: 300 },
    );
  });
});

// ------------------------------------------------------------ splitter and stream

/** Cut `bytes` at the given points (sorted, deduplicated, in range). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

const summary = (items: StreamItem[]) => items.map((i) => (i.ok ? (i.kind === 'event' ? JSON.stringify(i.event) : `unknown:${i.eventName}`) : `error:${i.error.kind}`));

function decodeAll(chunks: Buffer[], maxLineBytes: number): string[] {
  const d = new EventStreamDecoder({ maxLineBytes });
  const items: StreamItem[] = [];
  for (const c of chunks) items.push(...d.push(c));
  items.push(...d.end());
  return summary(items);
}

/** One line of a channel: an event, a keep-alive, garbage, an empty line, an oversize line. */
const streamLine = fc.oneof(
  fc.constantFrom(...samples),
  fc.constant('{"eventName":"OnChannelInformation","text":"KeepAlive"}'),
  fc.constant('{"eventName":"OnUnknownThing","x":1}'),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, '')),
  fc.constant(''),
  fc.constant('   '),
  fc.integer({ min: 300, max: 900 }).map((n) => `{"eventName":"OnCallRemoved","callRef":"${'9'.repeat(n)}"}`),
  fc.constant('{"eventName":"OnUserInfoChanged","user":{"firstName":"Zoë","lastName":"日本語"}}'),
);
const eol = fc.constantFrom('\n', '\r\n');

describe('the splitter and the stream decoder', () => {
  it('never throw on random bytes in random chunks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 20 }), fc.integer({ min: 1, max: 600 }), (bytes, cuts, max) => {
        const s = new LineSplitter({ maxLineBytes: max });
        for (const c of chunked(Buffer.from(bytes), cuts)) s.push(c);
        s.end();
        decodeAll(chunked(Buffer.from(bytes), cuts), max);
      }),
      { numRuns: 400 },
    );
  });

  it('any chunking of a stream yields the same items (split invariance)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(streamLine, eol), { maxLength: 25 }), fc.array(fc.nat(), { maxLength: 40 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map(([l, e]) => l + e).join(''), 'utf8');
        const whole = decodeAll([bytes], 256);
        expect(decodeAll(chunked(bytes, cuts), 256)).toEqual(whole);
        // Byte by byte, the extreme chunking.
        if (bytes.length < 4000) expect(decodeAll(chunked(bytes, [...Array(bytes.length).keys()]), 256)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('a valid stream yields exactly its events, in order, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...samples), { maxLength: 30 }), eol, fc.array(fc.nat(), { maxLength: 30 }), (events, nl, cuts) => {
        const bytes = Buffer.from(events.map((e) => e + nl).join(''), 'utf8');
        const got = decodeAll(chunked(bytes, cuts), 1 << 20);
        expect(got).toHaveLength(events.length);
        got.forEach((g, i) => expect(JSON.parse(g).eventName).toBe(JSON.parse(events[i] as string).eventName));
      }),
      { numRuns: 300 },
    );
  });
});
