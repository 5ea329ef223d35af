// Unit tests of the O2G front-end's pure parts: error bodies, subscription filters, directory criteria,
// sessions and their timers.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../pbx/clock.js';
import { pbxConfig } from '../pbx/config.js';
import { Pbx } from '../pbx/pbx.js';
import { o2gConfig } from './config.js';
import { checkCriterion, dtmfOf, matches } from './directory.js';
import { O2gError, errorTypes, invalidSession } from './errors.js';
import { basicCredentials, parseCookies, queryFlag } from './http-util.js';
import { SessionTable, type Session } from './sessions.js';
import { checkFilter, selectorsMatch } from './subscriptions.js';
import { O2gUsers } from './users.js';

const pbx = new Pbx(pbxConfig({}, { o2g: true }), { clock: new FakeClock() });
const config = o2gConfig({ telephonyAdvancedLicences: 2 });
const users = new O2gUsers(config, pbx);
const sessionOf = (login: string): Session => {
  const user = users.byLoginName(login);
  if (!user) throw new Error(login);
  return { id: 't', jsessionId: 'j', account: user, user, admin: user.admin, applicationName: 'x', openedAt: 0, lastUsed: 0, closed: false };
};

describe('RestErrorInfo', () => {
  it('is the manual\'s example 2 for an invalid session (L162–L170)', () => {
    expect(invalidSession('abc323437343').body()).toEqual({
      httpStatus: 'FORBIDDEN',
      code: 1001,
      helpMessage: 'No valid session found for the given identifier. Please logout and login with correct credentials.',
      type: 'INVALID_SESSION',
      innerMessage: 'AlcChameleonException.BAD_FRAMEWORK_SESSION_IDENTIFIER No framework session in API with this ID : ...323437343',
      canRetry: true,
    });
  });

  it('carries the table\'s codes and help texts, with sub-infos', () => {
    expect(Object.fromEntries(Object.entries(errorTypes).map(([k, v]) => [k, v.code]))).toEqual({
      NOT_READY: 1000,
      INVALID_SESSION: 1001,
      NOT_ALLOWED: 1002,
      NOT_FOUND: 1003,
      NOT_EXPECTED: 1004,
      NOT_SUPPORTED: 1005,
      BAD_PARAMETER: 1006,
      SERVER_PROBLEM: 1007,
    });
    const e = new O2gError(503, 'SERVER_PROBLEM', 'x', { telephony: { errorType: 'SERVICE_UNAVAILABLE' } }).body();
    expect(e).toMatchObject({ httpStatus: 'SERVICE_UNAVAILABLE', helpMessage: 'Server general problem. Please contact the administrator to fix the problem.', canRetry: false, telephony: { errorType: 'SERVICE_UNAVAILABLE' } });
  });
});

describe('HTTP helpers', () => {
  it('parses cookies, bare query flags and Basic credentials', () => {
    expect([...parseCookies('AlcUserId=a.b.c; JSESSIONID=X.tomcat;')]).toEqual([
      ['AlcUserId', 'a.b.c'],
      ['JSESSIONID', 'X.tomcat'],
    ]);
    expect(queryFlag(new URLSearchParams('onlyACD'), 'onlyACD')).toBe(true);
    expect(queryFlag(new URLSearchParams('onlyACD=false'), 'onlyACD')).toBe(false);
    expect(queryFlag(new URLSearchParams(''), 'onlyACD')).toBeUndefined();
    expect(basicCredentials('Basic aW50ZXJuYWwyOTphbGNhdGVsMjk=')).toEqual({ login: 'internal29', password: 'alcatel29' });
    expect(basicCredentials('Bearer x')).toBeUndefined();
  });
});

describe('subscription filters', () => {
  it('expands packages and event names; refuses mixed packages and unknown names', () => {
    const s = sessionOf('agent1');
    const ok = checkFilter({ selectors: [{ names: ['telephony'] }, { names: ['OnAgentStateChanged'] }] }, s, users, config);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.selectors[0]?.events.has('OnCallCreated')).toBe(true);
    expect(ok.selectors[1]?.events.has('OnSupervisorHelpRequested')).toBe(false);
    expect(() => checkFilter({ selectors: [{ names: ['OnCallCreated', 'OnAgentStateChanged'] }] }, s, users, config)).toThrow(/mixes the packages/);
    expect(() => checkFilter({ selectors: [{ names: ['telephony', 'nope'] }] }, s, users, config)).toThrow(/unknown event or package/);
    expect(() => checkFilter({ selectors: [{ names: [] }] }, s, users, config)).toThrow(/must not be empty/);
  });

  it('filters a user session to its own events, whatever its ids say', () => {
    const s = sessionOf('agent1');
    const r = checkFilter({ selectors: [{ ids: ['agent2'], names: ['telephony'] }] }, s, users, config);
    if (!r.ok) throw new Error(r.message);
    expect(selectorsMatch(r.selectors, s, { eventName: 'OnCallCreated', loginName: 'agent1' })).toBe(true);
    expect(selectorsMatch(r.selectors, s, { eventName: 'OnCallCreated', loginName: 'agent2' })).toBe(false);
    expect(selectorsMatch(r.selectors, s, { eventName: 'OnCtiLinkDown', nodeId: '1' })).toBe(false);
  });

  it('administrators: ids mandatory, "*" for all, licence overflow refused, system events without ids', () => {
    const s = sessionOf('admin');
    expect(() => checkFilter({ selectors: [{ names: ['telephony'] }] }, s, users, config)).toThrow(/ids is mandatory/);
    const all = checkFilter({ selectors: [{ ids: ['*'], names: ['agent'] }, { names: ['system'] }] }, s, users, config);
    if (!all.ok) throw new Error(all.message);
    expect(selectorsMatch(all.selectors, s, { eventName: 'OnAgentStateChanged', loginName: 'sup1' })).toBe(true);
    expect(selectorsMatch(all.selectors, s, { eventName: 'OnCtiLinkUp', nodeId: '1' })).toBe(true);
    expect(checkFilter({ selectors: [{ ids: ['agent1', 'agent2', 'sup1'], names: ['telephony'] }] }, s, users, config)).toMatchObject({ ok: false, message: expect.stringMatching(/License limit/) });
  });

  it('a user session without a filter gets every package its licences allow; unlicensed packages are left out', () => {
    const basic = checkFilter(undefined, sessionOf('basic1'), users, config);
    expect(basic.ok && basic.selectors[0]?.events.has('OnCallCreated')).toBe(false);
    const partial = checkFilter({ selectors: [{ names: ['telephony'] }, { names: ['agent'] }] }, sessionOf('internal29'), users, config);
    expect(partial).toMatchObject({ ok: true, message: expect.stringMatching(/agent/) });
    expect(checkFilter({ selectors: [{ names: ['telephony'] }] }, sessionOf('basic1'), users, config).ok).toBe(false);
  });
});

describe('directory criteria', () => {
  const dupont = { id: { loginName: 'agent2', phoneNumber: '70125' }, firstName: 'Jean', lastName: 'Dupont' };
  it('matches AND/OR trees case- and accent-insensitively', () => {
    expect(matches({ field: 'lastName', operation: 'BEGIN_WITH', operand: 'dup' }, dupont)).toBe(true);
    expect(matches({ field: 'firstName', operation: 'EQUAL_IGNORE_CASE', operand: 'JEAN' }, dupont)).toBe(true);
    expect(matches({ field: 'lastName', operation: 'END_WITH', operand: 'ont' }, dupont)).toBe(true);
    expect(matches({ field: 'id.phoneNumber', operation: 'CONTAIN', operand: '012' }, dupont)).toBe(true);
    expect(matches({ field: 'lastName', operation: 'CONTAIN', operand: 'é' }, { id: {}, lastName: 'Fréchet' })).toBe(true);
    const tree = {
      operation: 'AND',
      operand: [
        { field: 'lastName', operation: 'BEGIN_WITH', operand: 'Du' },
        { operation: 'OR', operand: [{ field: 'firstName', operation: 'EQUAL_IGNORE_CASE', operand: 'x' }, { field: 'id.loginName', operation: 'EQUAL_IGNORE_CASE', operand: 'agent2' }] },
      ],
    };
    expect(() => checkCriterion(tree)).not.toThrow();
    expect(matches(tree, dupont)).toBe(true);
    expect(() => checkCriterion({ field: 'email', operation: 'BEGIN_WITH', operand: 'x' })).toThrow(/field must be/);
    expect(() => checkCriterion({ operation: 'OR', operand: [] })).toThrow(/non-empty list/);
    expect(() => checkCriterion({ field: 'lastName', operation: 'LIKE', operand: 'x' })).toThrow(/unknown operation/);
  });

  it('encodes names as DTMF digits (ITU and the older CCITT keypad)', () => {
    expect(dtmfOf('Dupont', 'ITU')).toBe('387668');
    expect(dtmfOf('Quézac', 'ITU')).toBe('783922');
    expect(dtmfOf('Quézac', 'CCITT')).toBe('183122');
  });
});

describe('sessions', () => {
  function table() {
    const clock = new FakeClock();
    const closed: Array<[string, string]> = [];
    const t = new SessionTable({ clock, timeToLiveSec: () => 5, onClose: (s, why) => closed.push([s.user.loginName, why]) });
    return { clock, t, closed };
  }
  const agent1 = users.byLoginName('agent1');
  if (!agent1) throw new Error('fixture');

  it('issues JWT-like HS256 credentials whose subject is the login name (L72)', () => {
    const { t } = table();
    const token = t.authenticate(agent1);
    const [header, payload, sig] = token.split('.');
    expect(JSON.parse(Buffer.from(header as string, 'base64url').toString())).toEqual({ alg: 'HS256' });
    expect(JSON.parse(Buffer.from(payload as string, 'base64url').toString())).toMatchObject({ sub: 'agent1' });
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudDEi')).toBe(true);
  });

  it('one session per credential; expiry after the time to live; every use restarts it', () => {
    const { clock, t, closed } = table();
    const token = t.authenticate(agent1);
    const s = t.open(token, { applicationName: 'x' });
    expect(() => t.open(token, { applicationName: 'x' })).toThrow(/already opened/);
    clock.advance(4000);
    t.resolve(token, undefined, false);
    clock.advance(4000);
    expect(t.resolve(token, s.jsessionId, true)).toBe(s);
    clock.advance(5001);
    expect(() => t.resolve(token, undefined, false)).toThrow(/No framework session/);
    expect(closed).toEqual([['agent1', 'expired']]);
    expect(() => t.open(token, { applicationName: 'x' })).toThrow(/No framework session/);
  });

  it('strict mode wants the JSESSIONID; an unused credential goes stale', () => {
    const { clock, t } = table();
    const token = t.authenticate(agent1);
    const s = t.open(token, { applicationName: 'x' });
    expect(() => t.resolve(token, 'other', true)).toThrow();
    expect(t.resolve(token, s.jsessionId, true)).toBe(s);
    const stale = t.authenticate(agent1);
    clock.advance(6000);
    expect(() => t.open(stale, { applicationName: 'x' })).toThrow(/No framework session/);
  });
});
