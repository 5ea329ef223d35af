import { describe, expect, it } from 'vitest';
import { GatewayAccount } from '../../shared/profile.js';
import { AccountBook, authorise, hashPassword, parseHash, verifyPassword } from './accounts.js';
import { SignInThrottle } from './throttle.js';

// Cheap parameters keep the tests fast; the default cost is checked once.
const cheap = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('hashes with scrypt N=16384 r=8 p=1 by default, in the format profiles accept', async () => {
    const line = await hashPassword('s3cret pass');
    expect(line).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(GatewayAccount.safeParse({ login: 'agent1', passwordHash: line }).success).toBe(true);
    expect(await verifyPassword('s3cret pass', line)).toBe(true);
    expect(await verifyPassword('s3cret pasS', line)).toBe(false);
  });

  it('salts every hash', async () => {
    const a = await hashPassword('same', cheap);
    const b = await hashPassword('same', cheap);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', a)).toBe(true);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('treats empty and unicode passwords as passwords (NFC-normalised)', async () => {
    const line = await hashPassword('', cheap);
    expect(await verifyPassword('', line)).toBe(true);
    expect(await verifyPassword(' ', line)).toBe(false);
    const u = await hashPassword('caf\u00e9', cheap);
    expect(await verifyPassword('cafe\u0301', u)).toBe(true);
  });

  it('refuses malformed or unreasonable hash lines instead of throwing', async () => {
    const good = await hashPassword('x', cheap);
    const [, , , , salt, hash] = good.split('$');
    for (const bad of [
      '',
      'plain',
      `bcrypt$1024$8$1$${salt}$${hash}`,
      `scrypt$1000$8$1$${salt}$${hash}`, // N not a power of two
      `scrypt$${2 ** 21}$8$1$${salt}$${hash}`, // too costly
      `scrypt$1024$0$1$${salt}$${hash}`,
      `scrypt$1024$8$1$short$${hash}`,
      `scrypt$1024$8$1$${salt}$${hash}$extra`,
    ]) {
      expect(parseHash(bad), bad).toBeNull();
      expect(await verifyPassword('x', bad)).toBe(false);
    }
    expect(parseHash(good)).toMatchObject({ N: 1024, r: 8, p: 1 });
  });
});

describe('accounts', () => {
  const account = (login: string, over: Partial<GatewayAccount> = {}): Promise<GatewayAccount> =>
    hashPassword(`${login}-pw`, cheap).then((passwordHash) => GatewayAccount.parse({ login, passwordHash, ...over }));

  it('signs in with the right password only; unknown logins look the same', async () => {
    const book = new AccountBook([await account('agent1', { stations: ['4001', '4002'] })]);
    expect(await book.check({ login: 'agent1', password: 'agent1-pw', station: '4002' })).toEqual({ ok: true, grant: { login: 'agent1', station: '4002', role: 'agent' } });
    const wrong = await book.check({ login: 'agent1', password: 'nope', station: '4001' });
    const unknown = await book.check({ login: 'ghost', password: 'agent1-pw', station: '4001' });
    for (const r of [wrong, unknown]) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('authFailed');
        expect(r.badCredentials).toBe(true);
        expect(r.error.message).toBe('unknown login or wrong password');
      }
    }
  });

  it('refuses a station outside the account list with notPermitted (not a credential failure)', async () => {
    const book = new AccountBook([await account('agent1', { stations: ['4001'] })]);
    const r = await book.check({ login: 'agent1', password: 'agent1-pw', station: '4999' });
    expect(r).toMatchObject({ ok: false, badCredentials: false });
    if (!r.ok) expect(r.error.code).toBe('notPermitted');
  });

  it('takes the role from the account: an agent cannot ask to be a supervisor, a supervisor may sign in as an agent', async () => {
    const agent = await account('agent1');
    const sup = await account('boss', { role: 'supervisor' });
    expect(authorise(agent, '4001', 'supervisor')).toMatchObject({ ok: false, error: { code: 'notPermitted' } });
    expect(authorise(agent, '4001')).toMatchObject({ ok: true, grant: { role: 'agent' } });
    expect(authorise(sup, '4001')).toMatchObject({ ok: true, grant: { role: 'supervisor' } });
    expect(authorise(sup, '4001', 'supervisor')).toMatchObject({ ok: true, grant: { role: 'supervisor' } });
    expect(authorise(sup, '4001', 'agent')).toMatchObject({ ok: true, grant: { role: 'agent' } });
    expect(authorise(agent, '4001', 'agent')).toMatchObject({ ok: true, grant: { role: 'agent' } });
  });

  it('an empty station list allows any station', async () => {
    expect(authorise(await account('agent1'), '12345')).toMatchObject({ ok: true });
  });

  it('lab mode (no accounts): any login as an agent, never a supervisor', async () => {
    const book = new AccountBook([]);
    expect(book.open).toBe(true);
    expect(await book.check({ login: 'anyone', password: '', station: '4001' })).toEqual({ ok: true, grant: { login: 'anyone', station: '4001', role: 'agent' } });
    expect(await book.check({ login: 'anyone', password: '', station: '4001', role: 'supervisor' })).toMatchObject({ ok: false, error: { code: 'notPermitted' } });
  });

  it('refuses duplicate logins and hashes it cannot check', async () => {
    const a = await account('agent1');
    expect(() => new AccountBook([a, a])).toThrow(/listed twice/);
    const weird = { ...a, passwordHash: a.passwordHash.replace('$1024$', '$1000$') };
    expect(() => new AccountBook([weird])).toThrow(/cannot check/);
  });
});

describe('sign-in throttle', () => {
  it('locks an address out exponentially after three failures, and forgets on success', () => {
    let now = 0;
    const t = new SignInThrottle({ baseDelayMs: 1000, maxDelayMs: 8000, now: () => now });
    expect(t.fail('10.0.0.1')).toBe(0);
    expect(t.fail('10.0.0.1')).toBe(0);
    expect(t.waitMs('10.0.0.1')).toBe(0);
    expect(t.fail('10.0.0.1')).toBe(1000);
    expect(t.waitMs('10.0.0.1')).toBe(1000);
    expect(t.waitMs('10.0.0.2')).toBe(0);
    now += 1000;
    expect(t.waitMs('10.0.0.1')).toBe(0);
    expect(t.fail('10.0.0.1')).toBe(2000);
    expect(t.fail('10.0.0.1')).toBe(4000);
    expect(t.fail('10.0.0.1')).toBe(8000);
    expect(t.fail('10.0.0.1')).toBe(8000);
    t.succeed('10.0.0.1');
    expect(t.waitMs('10.0.0.1')).toBe(0);
    expect(t.failures('10.0.0.1')).toBe(0);
  });

  it('forgets old failures and bounds its table', () => {
    let now = 0;
    const t = new SignInThrottle({ forgetMs: 60_000, maxEntries: 3, now: () => now });
    t.fail('a');
    t.fail('a');
    now += 61_000;
    expect(t.failures('a')).toBe(0);
    for (const addr of ['b', 'c', 'd', 'e']) t.fail(addr);
    expect(t.failures('b')).toBe(0);
    expect(t.failures('e')).toBe(1);
  });
});
