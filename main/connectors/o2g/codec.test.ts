// The O2G codec against the manual's literal examples, every event schema, and bad inputs;
// the long-safe JSON reader; the chunk-stream splitter.
import { describe, expect, it } from 'vitest';
import {
  AuthenticateResponse,
  ComHistoryRecords,
  decodeBody,
  decodeEvent,
  EventStreamDecoder,
  o2gEventNames,
  RestErrorInfo,
  RoxeRestApiDescriptor,
  SessionInfo,
  type O2gEvent,
} from './codec.js';
import { restError } from './errors.js';
import { CookieJar } from './http.js';
import { isLongId, parseJson, quoteLongs, recordIdsBody } from './json.js';
import { manual, manualBlocks } from './manual-examples.js';
import { LineSplitter } from './splitter.js';
import { requiredField, sampleEvents } from './test/samples.js';

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { kind: string; message: string } }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.value;
};

const event = (line: string | Uint8Array): O2gEvent => {
  const r = decodeEvent(line);
  if (!r.ok) throw new Error(`expected an event, got ${r.error.kind}: ${r.error.message}`);
  if (r.kind !== 'event') throw new Error(`expected a known event, got unknown ${r.eventName}`);
  return r.event;
};

describe("the manual's literal examples", () => {
  it('keeps the five blocks byte-exact (tabs included)', () => {
    expect(manualBlocks).toHaveLength(5);
    expect(manualBlocks[0]?.text).toContain('"haMode": true\t\n');
    expect(manualBlocks[1]?.text).toContain('\tAuthorization: Basic aW50ZXJuYWwyOTphbGNhdGVsMjk=');
    expect(manualBlocks[2]?.text).toContain('Set-Cookie: JSESSIONID=88C00EA2B3C482E19825F1184D0BB50E.tomcat; Path=/api');
    for (const part of Object.values(manual)) {
      const block = manualBlocks.find((b) => b.lines[0] <= part.lines[0] && part.lines[1] <= b.lines[1]);
      expect(block?.text, part.note).toContain(part.text);
    }
  });

  it('discovery (L17–L33): the RoxeRestApiDescriptor', () => {
    const d = ok(decodeBody(RoxeRestApiDescriptor, manual.discoveryResponse.text));
    expect(d.serverInfo).toEqual({ productName: 'O2G Solution', productType: 'O2G', productVersion: { major: '2.3', minor: '000.041' }, haMode: true });
    expect(d.versions).toEqual([
      {
        id: '1.0',
        status: 'CURRENT',
        publicUrl: 'https://public-server/api/rest/authenticate?version=1.0',
        internalUrl: 'https://server/api/rest/authenticate?version=1.0',
      },
    ]);
  });

  it('authentication walk-through (L51–L72): discovery, Basic request, cookie and credential', () => {
    expect(manual.authDiscoveryRequest.text.trim()).toBe('GET http://server/api/rest');
    const d = ok(decodeBody(RoxeRestApiDescriptor, manual.authDiscoveryResponse.text));
    expect(d.serverInfo).toBeUndefined();
    expect(d.versions[0]?.id).toBe('1.0');

    const token = /Authorization: Basic (\S+)/.exec(manual.authRequest.text)?.[1];
    expect(token).toBe(Buffer.from('internal29:alcatel29', 'utf8').toString('base64'));

    // The response's headers and body are collapsed onto one line (L72): read them apart.
    const line = manual.authResponse.text;
    const setCookie = /^Set-Cookie: (.*?) Content-Type:/.exec(line)?.[1] as string;
    const jar = new CookieJar();
    jar.setFrom({ 'set-cookie': [setCookie] });
    expect(jar.get('AlcUserId')).toBe('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpbnRlcm5...');
    const body = ok(decodeBody(AuthenticateResponse, line.slice(line.indexOf('{'))));
    expect(body).toEqual({
      credential: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpbnRlcm5...',
      publicUrl: 'https://public-server/api/rest/1.0/sessions',
      internalUrl: 'https://server/api/rest/1.0/sessions',
    });
    expect(body.credential).toBe(jar.get('AlcUserId'));
  });

  it('session creation (L82–L117): JSESSIONID cookie, the misplaced body, both cookies afterwards', () => {
    expect(manual.sessionRequest.text).toContain('POST /api/rest/1.0/sessions HTTP/1.1');
    const jar = new CookieJar();
    jar.set('AlcUserId', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpbnRlcm5...');
    jar.setFrom({ 'set-cookie': [manual.sessionResponseSetCookie.text.replace(/^\tSet-Cookie: /, '')] });
    expect(jar.get('JSESSIONID')).toBe('88C00EA2B3C482E19825F1184D0BB50E.tomcat');
    // "All the subsequent requests invoked by the session MUST contain this cookie" (L110).
    const sent = /Cookie: (JSESSIONID=[^;]+);/.exec(manual.subscriptionRequest.text)?.[1];
    expect(jar.header()).toContain(sent);
    expect(jar.header()).toContain('AlcUserId=eyJhbGciOiJIUzI1NiJ9');
    // The body printed is the version list (a copy error, digest §6 #3): as a SessionInfo it has no
    // base URL, so the client derives it from the sessions URL; it is a valid descriptor too.
    const info = ok(decodeBody(SessionInfo, manual.sessionResponseBody.text));
    expect(info.privateBaseUrl).toBeUndefined();
    expect(ok(decodeBody(RoxeRestApiDescriptor, manual.sessionResponseBody.text)).versions[0]?.status).toBe('CURRENT');
  });

  it('error example 1 (L154–L161): SERVICE_UNAVAILABLE 1007 → linkDown', () => {
    const info = ok(decodeBody(RestErrorInfo, manual.errorServiceUnavailable.text));
    expect(info).toMatchObject({ httpStatus: 'SERVICE_UNAVAILABLE', code: 1007, type: 'SERVER_PROBLEM', canRetry: false });
    const e = restError('subscribe', 503, manual.errorServiceUnavailable.text, 'other');
    expect(e.code).toBe('linkDown');
    expect(e.vendorCode).toBe('SERVER_PROBLEM');
    expect(e.message).toContain('Server general problem');
  });

  it('error example 2 (L163–L170): FORBIDDEN 1001 INVALID_SESSION → sessionLost', () => {
    const info = ok(decodeBody(RestErrorInfo, manual.errorInvalidSession.text));
    expect(info).toMatchObject({ httpStatus: 'FORBIDDEN', code: 1001, type: 'INVALID_SESSION', canRetry: true });
    const e = restError('list the calls', 403, manual.errorInvalidSession.text, 'other');
    expect(e.code).toBe('sessionLost');
    expect(e.vendorCode).toBe('INVALID_SESSION');
  });
});

describe('event schemas', () => {
  it('has a sample for every decoded event', () => {
    expect(Object.keys(sampleEvents).sort()).toEqual([...o2gEventNames].sort());
  });

  for (const name of o2gEventNames) {
    it(`decodes ${name}`, () => {
      const e = event(JSON.stringify(sampleEvents[name]));
      expect(e.eventName).toBe(name);
    });
  }

  for (const [name, field] of Object.entries(requiredField)) {
    it(`refuses ${name} without ${field}`, () => {
      const { [field]: _gone, ...rest } = sampleEvents[name as keyof typeof sampleEvents];
      const r = decodeEvent(JSON.stringify(rest));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe('schema');
        expect(r.error.eventName).toBe(name);
      }
    });
  }

  it('keeps the call model fields', () => {
    const e = event(JSON.stringify(sampleEvents.OnCallCreated));
    if (e.eventName !== 'OnCallCreated') throw new Error('wrong event');
    expect(e.legs?.[0]).toEqual({ deviceId: '70123', state: 'RINGING_INCOMING', capabilities: { answer: true, drop: true } });
    expect(e.participants?.[0]?.identity?.type?.main).toBe('EXTERNAL');
    expect(e.callData?.acdCallData?.callInfo?.queueWaitingTime).toBe(12);
    expect(e.callData?.associateData).toBe('CUST-42');
  });

  it('tolerates unknown fields and unknown enumeration values', () => {
    const e = event(
      JSON.stringify({ ...sampleEvents.OnCallModified, brandNew: { x: 1 }, modifiedLegs: [{ deviceId: '70123', state: 'SOMETHING_NEW', futureFlag: true }] }),
    );
    if (e.eventName !== 'OnCallModified') throw new Error('wrong event');
    // Unknown members ride along untouched (the fast checker validates in place); nothing reads them.
    expect(e.modifiedLegs?.[0]).toMatchObject({ deviceId: '70123', state: 'SOMETHING_NEW' });
    expect(e.callRef).toBe(sampleEvents.OnCallModified.callRef);
  });

  it('treats null members as absent', () => {
    const e = event('{"eventName":"OnCallRemoved","loginName":null,"callRef":"5","cause":null,"newDestination":null}');
    expect(e).toEqual({ eventName: 'OnCallRemoved', callRef: '5' });
  });

  it('keeps phone numbers as strings, leading zeros and plus included', () => {
    const e = event('{"eventName":"OnCallCreated","callRef":"1","participants":[{"participantId":"p","identity":{"id":{"phoneNumber":"+0033612345678"}}}]}');
    if (e.eventName !== 'OnCallCreated') throw new Error('wrong event');
    expect(e.participants?.[0]?.identity?.id?.phoneNumber).toBe('+0033612345678');
  });

  it('reports an unknown event name as a typed unknown, not an error', () => {
    expect(decodeEvent('{"eventName":"OnPilotCallQueued","pilot":"60100"}')).toEqual({ ok: true, kind: 'unknown', eventName: 'OnPilotCallQueued' });
    expect(decodeEvent('{"eventName":"toString"}')).toEqual({ ok: true, kind: 'unknown', eventName: 'toString' });
    expect(decodeEvent('{"eventName":"__proto__"}')).toEqual({ ok: true, kind: 'unknown', eventName: '__proto__' });
  });
});

describe('bad inputs', () => {
  const cases: Array<[string, string | Uint8Array, string]> = [
    ['not JSON', '{"eventName":"OnCallCreated",', 'json'],
    ['garbage', 'hello world', 'json'],
    ['an array', '[{"eventName":"OnCallCreated"}]', 'notObject'],
    ['a number', '42', 'notObject'],
    ['no eventName', '{"callRef":"1"}', 'noEventName'],
    ['a non-string eventName', '{"eventName":7}', 'noEventName'],
    ['an empty line', '   ', 'empty'],
    ['bad UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'badUtf8'],
    // JSON.parse takes any depth; the codec's own walk (dropping nulls) is where the bound applies.
    ['deep nesting', `{"eventName":"X","a":${'['.repeat(100)}null${']'.repeat(100)}}`, 'tooDeep'],
    ['a wrong type', '{"eventName":"OnCallRemoved","callRef":17}', 'schema'],
  ];
  it('takes deep nesting without nulls as JSON.parse does (unknown members are never walked)', () => {
    expect(decodeEvent(`{"eventName":"X","a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).toEqual({ ok: true, kind: 'unknown', eventName: 'X' });
  });
  for (const [what, input, kind] of cases) {
    it(`gives a typed error for ${what}`, () => {
      const r = decodeEvent(input);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe(kind);
        expect(r.error.message.length).toBeGreaterThan(0);
      }
    });
  }

  it('decodeBody reports empty and malformed bodies', () => {
    expect(decodeBody(SessionInfo, '').ok).toBe(false);
    const r = decodeBody(RoxeRestApiDescriptor, '{"versions":"1.0"}');
    expect(r.ok ? 'ok' : r.error.kind).toBe('schema');
  });
});

describe('64-bit comlog ids', () => {
  const big = '9223372036854775807';

  it('keeps recordId and recordIds exact, as strings', () => {
    const e = event(`{"eventName":"OnComRecordsAck","loginName":"a","recordIds":[${big},1,-9223372036854775808]}`);
    if (e.eventName !== 'OnComRecordsAck') throw new Error('wrong event');
    expect(e.recordIds).toEqual([big, '1', '-9223372036854775808']);
    const r = ok(decodeBody(ComHistoryRecords, `{"comHistoryRecords":[{"recordId":${big},"comRef":"x","medias":["AUDIO"]}],"totalCount":1}`));
    expect(r.comHistoryRecords?.[0]?.recordId).toBe(big);
    expect(r.totalCount).toBe(1);
  });

  it('leaves other numbers, strings that look like keys, and nested members alone', () => {
    const text = '{"a":"recordId","recordId":12345678901234567890,"n":12345678901234567890,"x":{"recordIds":[1.5,2e3,3]},"s":"\\"recordId\\":1"}';
    const v = ok(parseJson(text)) as Record<string, unknown>;
    expect(v.recordId).toBe('12345678901234567890');
    expect(v.n).toBe(Number('12345678901234567890')); // a plain number: precision lost, as JSON.parse does
    expect(v.x).toEqual({ recordIds: [1.5, 2000, '3'] });
    expect(v.s).toBe('"recordId":1');
  });

  it('does not touch text without long keys', () => {
    const text = '{"a":1,"b":[2,3]}';
    expect(quoteLongs(text, new Set(['recordId']))).toEqual({ ok: true, text });
  });

  it('writes ids back as JSON numbers without a double in between', () => {
    expect(recordIdsBody([big, '42'])).toBe(`{"recordIds":[${big},42]}`);
    expect(() => recordIdsBody(['12a'])).toThrow(RangeError);
    expect(isLongId('9223372036854775808')).toBe(false);
    expect(isLongId(big)).toBe(true);
  });
});

describe('the chunk-stream splitter', () => {
  const lines = (items: ReturnType<LineSplitter['push']>) => items.map((i) => (i.kind === 'line' ? i.text : `<${i.kind}>`));

  it('joins an event split across chunks and splits several events in one chunk', () => {
    const s = new LineSplitter();
    expect(lines(s.push('{"eventName":"A"'))).toEqual([]);
    expect(lines(s.push('}\n{"eventName":"B"}\n{"event'))).toEqual(['{"eventName":"A"}', '{"eventName":"B"}']);
    expect(lines(s.push('Name":"C"}\n'))).toEqual(['{"eventName":"C"}']);
  });

  it('reassembles a UTF-8 character split across chunks', () => {
    const bytes = Buffer.from('{"n":"Zoë 日本"}\n', 'utf8');
    const s = new LineSplitter();
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...lines(s.push(bytes.subarray(i, i + 1))));
    expect(out).toEqual(['{"n":"Zoë 日本"}']);
  });

  it('handles CRLF and skips empty lines', () => {
    const s = new LineSplitter();
    expect(lines(s.push('\r\n\n{"a":1}\r\n  \n\r\n{"b":2}\n'))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('caps a line without newline, then resynchronises at the next newline', () => {
    const s = new LineSplitter({ maxLineBytes: 16 });
    expect(lines(s.push('x'.repeat(10)))).toEqual([]);
    expect(lines(s.push('x'.repeat(10)))).toEqual(['<oversize>']);
    expect(lines(s.push('y'.repeat(100)))).toEqual([]);
    expect(s.pending).toBe(0);
    expect(lines(s.push('zz\n{"ok":1}\n'))).toEqual(['{"ok":1}']);
  });

  it('reports an oversize line that arrives whole, exactly once', () => {
    const s = new LineSplitter({ maxLineBytes: 8 });
    expect(lines(s.push('123456789\n12345678\n12345678\r\n'))).toEqual(['<oversize>', '12345678', '12345678']);
  });

  it('parses a trailing fragment at end of stream', () => {
    const s = new LineSplitter();
    s.push('{"a":1}\n{"b":');
    expect(lines(s.end())).toEqual(['{"b":']);
  });

  it('reports bad UTF-8 and goes on', () => {
    const s = new LineSplitter();
    expect(lines(s.push(Buffer.from([0xc3, 0x28, 0x0a, 0x41, 0x0a])))).toEqual(['<badUtf8>', 'A']);
  });
});

describe('the event stream decoder', () => {
  it('turns garbage and oversize lines into typed errors and continues', () => {
    const d = new EventStreamDecoder({ maxLineBytes: 200 });
    const items = d.push(
      `{"eventName":"OnChannelInformation","text":"Chunk started"}\ngarbage!\n${'x'.repeat(500)}\n{"eventName":"OnUnknownThing"}\n{"eventName":"OnUserStateModified","state":"FREE"}\n`,
    );
    expect(items.map((i) => (i.ok ? (i.kind === 'event' ? i.event.eventName : `unknown:${i.eventName}`) : `error:${i.error.kind}`))).toEqual([
      'OnChannelInformation',
      'error:json',
      'error:oversize',
      'unknown:OnUnknownThing',
      'OnUserStateModified',
    ]);
  });
});
