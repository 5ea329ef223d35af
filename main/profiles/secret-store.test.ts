import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../core/log.js';
import { SecretStoreError } from './errors.js';
import { EncryptedFileSecretStore, MemorySecretStore, type SecretCipher } from './secret-store.js';

const PASSWORD = 'correct horse battery staple';

/** A real cipher standing in for safeStorage (AES-256-GCM, random key per test). */
function testCipher(available = true): SecretCipher & { available: boolean } {
  const key = randomBytes(32);
  return {
    available,
    isAvailable() {
      return this.available;
    },
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(data) {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

let dir: string;
let logLines: string[];
const log = () => createLogger({ level: 'debug', destination: { write: (s: string) => void logLines.push(s) } });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  logLines = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function everyFileUnder(folder: string): Buffer[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name)));
}

describe('EncryptedFileSecretStore', () => {
  it('round-trips a secret, one file per profile, with no clear text anywhere on disk', () => {
    const s = new EncryptedFileSecretStore(join(dir, 'secrets'), testCipher(), { log: log() });
    expect(s.persistent).toBe(true);
    s.set('paris', { password: PASSWORD });
    s.set('lyon', { password: 'other' });
    expect(s.get('paris')).toEqual({ password: PASSWORD });
    expect(s.has('paris')).toBe(true);
    expect(readdirSync(join(dir, 'secrets')).sort()).toEqual(['lyon.secret', 'paris.secret']);
    for (const content of everyFileUnder(dir)) {
      expect(content.includes(Buffer.from(PASSWORD))).toBe(false);
      expect(content.includes(Buffer.from('password'))).toBe(false);
    }
    if (process.platform !== 'win32') expect(statSync(join(dir, 'secrets', 'paris.secret')).mode & 0o077).toBe(0);
    s.delete('paris');
    expect(s.has('paris')).toBe(false);
    expect(s.get('paris')).toBeNull();
    s.delete('paris');
  });

  it('refuses to store anything when the cipher is unavailable, with a typed error', () => {
    const s = new EncryptedFileSecretStore(dir, testCipher(false));
    let caught: unknown;
    try {
      s.set('paris', { password: PASSWORD });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SecretStoreError);
    expect((caught as SecretStoreError).reason).toBe('unavailable');
    expect((caught as SecretStoreError).message).toMatch(/keychain is not available/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a cipher that hands back the clear text', () => {
    const identity: SecretCipher = { isAvailable: () => true, encrypt: (p) => Buffer.from(p), decrypt: (d) => d.toString() };
    const s = new EncryptedFileSecretStore(dir, identity);
    expect(() => s.set('paris', { password: PASSWORD })).toThrow(expect.objectContaining({ reason: 'unavailable' }));
    for (const content of everyFileUnder(dir)) expect(content.includes(Buffer.from(PASSWORD))).toBe(false);
  });

  it('returns null (and logs without the secret) for a file it cannot decrypt', () => {
    const s = new EncryptedFileSecretStore(dir, testCipher(), { log: log() });
    s.set('paris', { password: PASSWORD });
    const reinstalled = new EncryptedFileSecretStore(dir, testCipher(), { log: log() });
    expect(reinstalled.get('paris')).toBeNull();
    writeFileSync(join(dir, 'lyon.secret'), 'garbage');
    expect(reinstalled.get('lyon')).toBeNull();
    expect(logLines.length).toBeGreaterThanOrEqual(2);
    expect(logLines.join('')).not.toContain(PASSWORD);
  });

  it('rejects ids that would escape the folder', () => {
    const s = new EncryptedFileSecretStore(dir, testCipher());
    for (const id of ['../evil', 'a/b', '', 'UPPER', '.hidden']) {
      expect(() => s.set(id, { password: 'x' })).toThrow(expect.objectContaining({ reason: 'invalid' }));
      expect(s.has(id)).toBe(false);
    }
  });

  it('rejects an invalid secret', () => {
    const s = new EncryptedFileSecretStore(dir, testCipher());
    expect(() => s.set('paris', { password: 'x'.repeat(300) })).toThrow(expect.objectContaining({ reason: 'invalid' }));
  });
});

describe('MemorySecretStore', () => {
  it('keeps secrets in memory only and hands out copies', () => {
    const s = new MemorySecretStore();
    expect(s.persistent).toBe(false);
    const secret = { password: PASSWORD };
    s.set('paris', secret);
    secret.password = 'changed';
    const got = s.get('paris');
    expect(got).toEqual({ password: PASSWORD });
    if (got) got.password = 'mutated';
    expect(s.get('paris')).toEqual({ password: PASSWORD });
    expect(s.has('paris')).toBe(true);
    s.delete('paris');
    expect(s.get('paris')).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('secrets in logs', () => {
  it('the logger redacts a secret field at any usual depth', () => {
    const l = log();
    l.info({ profileId: 'paris', password: PASSWORD }, 'top level');
    l.info({ profileId: 'paris', secret: { password: PASSWORD } }, 'nested under secret');
    l.info({ profile: { connection: { password: PASSWORD } } }, 'two levels');
    l.info({ req: { token: PASSWORD, apiKey: PASSWORD } }, 'tokens');
    expect(logLines).toHaveLength(4);
    for (const line of logLines) expect(line).not.toContain(PASSWORD);
    expect(logLines.join('')).toContain('[redacted]');
  });
});
