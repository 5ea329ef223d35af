import { describe, expect, it } from 'vitest';
import { redactFrame } from './log.js';

describe('protocol trace redaction', () => {
  it('hides secret XML elements with or without a namespace prefix', () => {
    const out = redactFrame('<ivws:AgentAdd><ivws:key>k</ivws:key><ivws:passwd>1234</ivws:passwd><ivws:name>Foo</ivws:name></ivws:AgentAdd><password>pw</password>');
    expect(out).toContain('<ivws:passwd>[redacted]</ivws:passwd>');
    expect(out).toContain('<password>[redacted]</password>');
    expect(out).toContain('<ivws:name>Foo</ivws:name>');
    expect(out).not.toContain('1234');
    expect(redactFrame('<a:Password i:type="x:string">s3cret</a:Password>')).toBe('<a:Password i:type="x:string">[redacted]</a:Password>');
  });

  it('hides JSON secret members, STOMP passcodes and HTTP credentials', () => {
    expect(redactFrame('{"user":"1000","pass":"1234","md5secret":"abc"}')).toBe('{"user":"1000","pass":"[redacted]","md5secret":"[redacted]"}');
    expect(redactFrame('CONNECT\nlogin:instantvoice\npasscode:sT0MpM3\n\n')).toBe('CONNECT\nlogin:instantvoice\npasscode: [redacted]\n\n');
    expect(redactFrame('GET /x?apiKey=abc&n=1 HTTP/1.1\nAuthorization: Basic Zm9v\n')).toBe('GET /x?apiKey=[redacted]&n=1 HTTP/1.1\nAuthorization: [redacted]\n');
  });
});
