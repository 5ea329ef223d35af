// O2G error replies → CtiError codes (digest §1.6, §6 #6, #7).
import { describe, expect, it } from 'vitest';
import { CtiError } from '../../../shared/commands.js';
import { isFailoverError, O2gError, restError } from './errors.js';

const body = (code: number, type: string, extra: Record<string, unknown> = {}) => JSON.stringify({ httpStatus: 'X', code, type, helpMessage: `help ${type}`, ...extra });

describe('restError', () => {
  const cases: Array<[string, number, string, 'auth' | 'session' | 'call' | 'channel' | 'other', string]> = [
    ['403 + 1001 INVALID_SESSION', 403, body(1001, 'INVALID_SESSION'), 'other', 'sessionLost'],
    ['400 + 1001 anywhere', 400, body(1001, 'INVALID_SESSION'), 'call', 'sessionLost'],
    ['401 from a non-auth endpoint', 401, body(1002, 'NOT_ALLOWED'), 'call', 'sessionLost'],
    ['401 without a body from a non-auth endpoint', 401, '', 'other', 'sessionLost'],
    ['401 from /authenticate', 401, body(1002, 'NOT_ALLOWED'), 'auth', 'authFailed'],
    ['401 from /authenticate with an HTML body', 401, '<html>Unauthorized</html>', 'auth', 'authFailed'],
    ['403 from /authenticate', 403, body(1002, 'NOT_ALLOWED'), 'auth', 'authFailed'],
    ['1002 NOT_ALLOWED (rights)', 403, body(1002, 'NOT_ALLOWED'), 'other', 'rejected'],
    ['1002 NOT_ALLOWED (licence)', 403, body(1002, 'NOT_ALLOWED', { innerMessage: 'No TELEPHONY_ADVANCED license available' }), 'other', 'limit'],
    ['1003 on a call', 404, body(1003, 'NOT_FOUND'), 'call', 'noCall'],
    ['1003 elsewhere', 400, body(1003, 'NOT_FOUND'), 'other', 'invalid'],
    ['CALL_REFERENCE_NOT_FOUND', 400, body(1003, 'NOT_FOUND', { telephony: { errorType: 'CALL_REFERENCE_NOT_FOUND' } }), 'other', 'noCall'],
    ['1004 NOT_EXPECTED', 400, body(1004, 'NOT_EXPECTED'), 'other', 'notPermitted'],
    ['INCOMPATIBLE_WITH_STATE', 400, body(1004, 'NOT_EXPECTED', { telephony: { errorType: 'INCOMPATIBLE_WITH_STATE' } }), 'call', 'notPermitted'],
    ['1005 NOT_SUPPORTED', 404, body(1005, 'NOT_SUPPORTED'), 'other', 'unsupported'],
    ['1006 BAD_PARAMETER', 400, body(1006, 'BAD_PARAMETER'), 'other', 'invalid'],
    ['1000 NOT_READY', 503, body(1000, 'NOT_READY'), 'other', 'linkDown'],
    ['1007 on 503', 503, body(1007, 'SERVER_PROBLEM'), 'other', 'linkDown'],
    ['1007 on 500', 500, body(1007, 'SERVER_PROBLEM'), 'other', 'rejected'],
    ['REQUEST_TIMEOUT', 500, body(1007, 'SERVER_PROBLEM', { telephony: { errorType: 'REQUEST_TIMEOUT' } }), 'call', 'timeout'],
    ['503 from a proxy (HTML)', 503, '<html>Service Unavailable</html>', 'other', 'linkDown'],
    ['non-JSON error body', 500, '<html>oops</html>', 'other', 'protocol'],
    ['JSON but not an error description', 400, '{"foo":1}', 'other', 'protocol'],
    ['keep-alive 403 without a body', 403, '', 'session', 'sessionLost'],
    ['channel 404', 404, '', 'channel', 'sessionLost'],
    ['channel 403', 403, body(1001, 'INVALID_SESSION'), 'channel', 'sessionLost'],
    ['only a code, no type', 400, JSON.stringify({ code: 1004 }), 'other', 'notPermitted'],
  ];
  for (const [what, status, text, kind, code] of cases) {
    it(`${what} → ${code}`, () => {
      const e = restError('op', status, text, kind);
      expect(e).toBeInstanceOf(CtiError);
      expect(e.code).toBe(code);
      expect(e.status).toBe(status);
      expect(e.message).toMatch(/^op: /);
    });
  }

  it('names the O2G type and sub-type as vendorCode', () => {
    expect(restError('op', 400, body(1004, 'NOT_EXPECTED', { telephony: { errorType: 'INCOMPATIBLE_WITH_STATE' } }), 'call').vendorCode).toBe('NOT_EXPECTED/INCOMPATIBLE_WITH_STATE');
    expect(restError('op', 400, body(1006, 'BAD_PARAMETER', { routing: { errorType: 'BAD_PARAMETER_VALUE' } }), 'other').vendorCode).toBe('BAD_PARAMETER/BAD_PARAMETER_VALUE');
    expect(restError('op', 400, JSON.stringify({ code: 1006 }), 'other').vendorCode).toBe('BAD_PARAMETER');
    expect(restError('op', 500, 'x', 'other').vendorCode).toBe('HTTP 500');
  });

  it('prefers the telephony message in the text', () => {
    const e = restError('hold', 400, body(1004, 'NOT_EXPECTED', { telephony: { errorType: 'INCOMPATIBLE_WITH_STATE', message: 'call not active' } }), 'call');
    expect(e.message).toContain('call not active');
  });
});

describe('isFailoverError', () => {
  it('fails over on unreachable, timeout, 5xx and link problems only', () => {
    expect(isFailoverError(new CtiError('unreachable', 'x'))).toBe(true);
    expect(isFailoverError(new CtiError('timeout', 'x'))).toBe(true);
    expect(isFailoverError(new O2gError('rejected', 'x', undefined, 500))).toBe(true);
    expect(isFailoverError(new CtiError('linkDown', 'x'))).toBe(true);
    expect(isFailoverError(new CtiError('authFailed', 'x'))).toBe(false);
    expect(isFailoverError(new O2gError('rejected', 'x', undefined, 403))).toBe(false);
    expect(isFailoverError(new Error('x'))).toBe(false);
  });
});
