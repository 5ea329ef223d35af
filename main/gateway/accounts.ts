// Gateway accounts: scrypt password hashes (node:crypto only), account lookup and station
// authorisation. A hash line is `scrypt$N$r$p$salt$hash` with salt and hash in base64url, the
// format GatewayAccount (shared/profile.ts) accepts and `cti hash-password` prints.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { CtiError } from '../../shared/commands.js';
import type { GatewayRole, GatewaySignIn } from '../../shared/gateway.js';
import type { GatewayAccount } from '../../shared/profile.js';

export const SCRYPT_DEFAULTS = { N: 16384, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Upper bounds on a hash's cost, so a hand-edited profile cannot make one sign-in eat the machine. */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

const hashLine = /^scrypt\$([0-9]+)\$([0-9]+)\$([0-9]+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;

/** Parse a hash line; null when it is not one this gateway can check. */
export function parseHash(line: string): ScryptHash | null {
  const m = hashLine.exec(line);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return null;
  const salt = Buffer.from(m[4] as string, 'base64url');
  const hash = Buffer.from(m[5] as string, 'base64url');
  if (salt.length < 8 || hash.length < 16) return null;
  return { N, r, p, salt, hash };
}

function options(h: { N: number; r: number; p: number }): ScryptOptions {
  // scrypt needs about 128·N·r bytes; give it that with room to spare.
  return { N: h.N, r: h.r, p: h.p, maxmem: 256 * h.N * h.r + 1024 * 1024 };
}

/** Hash a password for a GatewayAccount: `scrypt$16384$8$1$<salt>$<hash>`. */
export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = SCRYPT_DEFAULTS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, options(cost));
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `password` matches the hash line (false for a malformed line). Compared in constant time. */
export async function verifyPassword(password: string, line: string): Promise<boolean> {
  const h = parseHash(line);
  if (!h) return false;
  const key = await scrypt(password, h.salt, h.hash.length, options(h));
  return key.length === h.hash.length && timingSafeEqual(key, h.hash);
}


export interface Grant {
  login: string;
  station: string;
  role: GatewayRole;
}

export type SignInCheck = { ok: true; grant: Grant } | { ok: false; error: CtiError; badCredentials: boolean };

/** The accounts a gateway accepts, by login. Empty = lab mode: any login signs in as an agent. */
export class AccountBook {
  private readonly byLogin = new Map<string, GatewayAccount>();
  /** A hash of nothing anyone knows, at the accounts' cost: unknown logins take as long as known ones. */
  private decoy: Promise<string> | null = null;
  private decoyCost: { N: number; r: number; p: number } = SCRYPT_DEFAULTS;

  constructor(accounts: readonly GatewayAccount[]) {
    for (const a of accounts) {
      if (this.byLogin.has(a.login)) throw new Error(`gateway accounts: ${a.login} is listed twice`);
      if (!parseHash(a.passwordHash)) {
        throw new Error(`gateway accounts: ${a.login} has a password hash this gateway cannot check (make one with \`cti hash-password\`)`);
      }
      if (this.byLogin.size === 0) {
        const h = parseHash(a.passwordHash);
        if (h) this.decoyCost = { N: h.N, r: h.r, p: h.p };
      }
      this.byLogin.set(a.login, a);
    }
  }

  /** No accounts: the lab mode, allowed on loopback only. */
  get open(): boolean {
    return this.byLogin.size === 0;
  }

  get size(): number {
    return this.byLogin.size;
  }

  lookup(login: string): GatewayAccount | undefined {
    return this.byLogin.get(login);
  }

  /**
   * Check a sign-in: the password against the account's hash, then the station and the role. The
   * role comes from the account: a desktop may ask for less (a supervisor signing in as an agent),
   * never for more.
   */
  async check(req: Pick<GatewaySignIn, 'login' | 'password' | 'station' | 'role'>): Promise<SignInCheck> {
    if (this.open) {
      if (req.role === 'supervisor') {
        return { ok: false, badCredentials: false, error: new CtiError('notPermitted', 'this gateway has no accounts (lab use): everyone signs in as an agent') };
      }
      return { ok: true, grant: { login: req.login, station: req.station, role: 'agent' } };
    }
    const account = this.byLogin.get(req.login);
    this.decoy ??= hashPassword(randomBytes(18).toString('base64url'), this.decoyCost);
    const matches = await verifyPassword(req.password, account?.passwordHash ?? (await this.decoy));
    if (!account || !matches) {
      return { ok: false, badCredentials: true, error: new CtiError('authFailed', 'unknown login or wrong password') };
    }
    return authorise(account, req.station, req.role);
  }
}

/** Station and role rules for an account whose password matched. */
export function authorise(account: GatewayAccount, station: string, wanted?: GatewayRole): SignInCheck {
  if (account.stations.length > 0 && !account.stations.includes(station)) {
    return { ok: false, badCredentials: false, error: new CtiError('notPermitted', `${account.login} may not work at station ${station}`) };
  }
  if (wanted === 'supervisor' && account.role !== 'supervisor') {
    return { ok: false, badCredentials: false, error: new CtiError('notPermitted', `${account.login} is not a supervisor`) };
  }
  const role: GatewayRole = wanted === 'agent' ? 'agent' : account.role;
  return { ok: true, grant: { login: account.login, station, role } };
}
