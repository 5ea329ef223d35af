// Where profile secrets (passwords) live: never in a profile, never in clear text on disk.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ProfileSecret } from '../../shared/profile.js';
import type { Logger } from '../core/log.js';
import { writeFileAtomic } from './atomic-write.js';
import { SecretStoreError } from './errors.js';

export interface SecretStore {
  /** True when secrets survive a restart (encrypted on disk); false for memory only. */
  readonly persistent: boolean;
  get(profileId: string): ProfileSecret | null;
  /** Throws SecretStoreError; the caller falls back to a MemorySecretStore on 'unavailable'. */
  set(profileId: string, secret: ProfileSecret): void;
  delete(profileId: string): void;
  has(profileId: string): boolean;
}

/** The OS-backed cipher the Electron shell passes in (safeStorage). */
export interface SecretCipher {
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

const idPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Ids become file names: only the profile-id alphabet, so no path can escape the folder. */
function checkId(profileId: string): void {
  if (!idPattern.test(profileId)) throw new SecretStoreError('invalid', `Not a profile id: ${JSON.stringify(profileId.slice(0, 80))}`);
}

function checkSecret(secret: ProfileSecret): ProfileSecret {
  const r = ProfileSecret.safeParse(secret);
  if (!r.success) throw new SecretStoreError('invalid', 'Invalid secret (a password of at most 256 characters; an API key of at most 1024)');
  return r.data;
}

/** The web host's store: memory only, gone when the process ends, never written to disk. */
export class MemorySecretStore implements SecretStore {
  readonly persistent = false;
  private readonly secrets = new Map<string, ProfileSecret>();

  get(profileId: string): ProfileSecret | null {
    const s = this.secrets.get(profileId);
    return s ? { ...s } : null;
  }

  set(profileId: string, secret: ProfileSecret): void {
    this.secrets.set(profileId, { ...checkSecret(secret) });
  }

  delete(profileId: string): void {
    this.secrets.delete(profileId);
  }

  has(profileId: string): boolean {
    return this.secrets.has(profileId);
  }
}

/** One file per profile (`<id>.secret`) holding the cipher's output; nothing else is stored. */
export class EncryptedFileSecretStore implements SecretStore {
  readonly persistent = true;
  readonly folder: string;
  private readonly cipher: SecretCipher;
  private readonly log: Logger | undefined;

  constructor(folder: string, cipher: SecretCipher, opts: { log?: Logger } = {}) {
    this.folder = folder;
    this.cipher = cipher;
    this.log = opts.log;
  }

  get(profileId: string): ProfileSecret | null {
    checkId(profileId);
    const file = this.file(profileId);
    if (!existsSync(file)) return null;
    if (!this.cipher.isAvailable()) {
      this.log?.warn({ profileId }, 'secret store: encryption is unavailable, the stored password cannot be read');
      return null;
    }
    try {
      const r = ProfileSecret.safeParse(JSON.parse(this.cipher.decrypt(readFileSync(file))));
      if (r.success) return r.data;
      this.log?.warn({ profileId }, 'secret store: the stored secret has an unexpected shape; ignoring it');
    } catch (err) {
      // Typically the OS keychain changed (another user, a reinstall): the agent re-enters it.
      this.log?.warn({ profileId, error: err instanceof Error ? err.name : 'error' }, 'secret store: the stored password cannot be decrypted');
    }
    return null;
  }

  set(profileId: string, secret: ProfileSecret): void {
    checkId(profileId);
    const plain = JSON.stringify(checkSecret(secret));
    if (!this.cipher.isAvailable()) {
      throw new SecretStoreError(
        'unavailable',
        'The system keychain is not available, so the password cannot be saved encrypted; it will be kept for this session only.',
      );
    }
    let sealed: Buffer;
    try {
      sealed = this.cipher.encrypt(plain);
    } catch (err) {
      throw new SecretStoreError('unavailable', `The password could not be encrypted (${err instanceof Error ? err.message : 'error'}).`);
    }
    // Defence in depth: a cipher that hands the text back unchanged must not put it on disk.
    if (sealed.includes(Buffer.from(plain, 'utf8'))) {
      throw new SecretStoreError('unavailable', 'The system keychain returned unencrypted data; the password was not saved.');
    }
    try {
      writeFileAtomic(this.file(profileId), sealed, 0o600, 0o700);
    } catch (err) {
      throw new SecretStoreError('io', `The password could not be saved (${err instanceof Error ? err.message : 'error'}).`);
    }
  }

  delete(profileId: string): void {
    checkId(profileId);
    try {
      rmSync(this.file(profileId), { force: true });
    } catch (err) {
      throw new SecretStoreError('io', `The saved password could not be removed (${err instanceof Error ? err.message : 'error'}).`);
    }
  }

  has(profileId: string): boolean {
    return idPattern.test(profileId) && existsSync(this.file(profileId));
  }

  private file(profileId: string): string {
    return join(this.folder, `${profileId}.secret`);
  }
}
