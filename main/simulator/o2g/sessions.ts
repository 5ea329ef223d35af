// Authentication credentials (the AlcUserId cookie) and sessions of one O2G server (L43–L117, L419–L624):
// a credential opens at most one session (L460); a session lives timeToLive seconds after its last request
// (L547–L548); closing or expiry ends its subscriptions (the server is told through onClose).
import { createHmac, randomBytes } from 'node:crypto';
import { TimerSet, type Clock, type TimerHandle } from '../pbx/clock.js';
import { invalidSession, notAllowed } from './errors.js';
import type { O2gUser } from './users.js';

export type CloseReason = 'closed' | 'expired' | 'dropped';

interface Credential {
  token: string;
  user: O2gUser;
  /** fresh: may open a session; used: its session is open. Dead credentials are forgotten. */
  state: 'fresh' | 'used';
  timer?: TimerHandle;
}

export interface Session {
  /** The AlcUserId credential that opened it: the session key. */
  id: string;
  /** The JSESSIONID cookie set at creation (L96). */
  jsessionId: string;
  /** The authenticated account. */
  account: O2gUser;
  /** Whom the session acts as: the account, or the supervised user (L470–L475). */
  user: O2gUser;
  admin: boolean;
  applicationName: string;
  applicationAddress?: string;
  openedAt: number;
  lastUsed: number;
  closed: boolean;
  timer?: TimerHandle;
}

export interface SessionTableOptions {
  clock: Clock;
  timeToLiveSec: () => number;
  onClose(session: Session, reason: CloseReason): void;
}

export class SessionTable {
  private readonly credentials = new Map<string, Credential>();
  private readonly sessions = new Map<string, Session>();
  private readonly timers: TimerSet;
  private readonly secret = randomBytes(32);

  constructor(private readonly opts: SessionTableOptions) {
    this.timers = new TimerSet(opts.clock);
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  get count(): number {
    return this.sessions.size;
  }

  /** A new credential for a user who passed Basic authentication: a JWT-like HS256 token (L72). */
  authenticate(user: O2gUser): string {
    const header = b64url(JSON.stringify({ alg: 'HS256' }));
    const payload = b64url(JSON.stringify({ sub: user.loginName, iat: Math.floor(this.opts.clock.now() / 1000), jti: randomBytes(9).toString('base64url') }));
    const signature = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest('base64url');
    const token = `${header}.${payload}.${signature}`;
    const cred: Credential = { token, user, state: 'fresh' };
    // A credential nobody opens a session with goes stale after one time-to-live.
    cred.timer = this.timers.set(() => {
      if (cred.state === 'fresh') this.credentials.delete(token);
    }, this.ttlMs());
    this.credentials.set(token, cred);
    return token;
  }

  /** POST /sessions: one session per credential; a second open is refused (L460). */
  open(token: string | undefined, fields: { applicationName: string; applicationAddress?: string; supervised?: O2gUser }): Session {
    const cred = token ? this.credentials.get(token) : undefined;
    if (!cred) throw invalidSession(token);
    if (cred.state === 'used') throw notAllowed('A session is already opened with this authentication cookie');
    this.timers.clear(cred.timer);
    cred.state = 'used';
    const now = this.opts.clock.now();
    const user = fields.supervised ?? cred.user;
    const session: Session = {
      id: cred.token,
      jsessionId: `${randomBytes(16).toString('hex').toUpperCase()}.tomcat`,
      account: cred.user,
      user,
      admin: user.admin,
      applicationName: fields.applicationName,
      applicationAddress: fields.applicationAddress,
      openedAt: now,
      lastUsed: now,
      closed: false,
    };
    this.sessions.set(session.id, session);
    this.arm(session);
    return session;
  }

  /** The open session a request names; every use restarts its timer (L548). */
  resolve(token: string | undefined, jsessionId: string | undefined, strict: boolean): Session {
    const session = token ? this.sessions.get(token) : undefined;
    if (!session || session.closed) throw invalidSession(token);
    if (strict && jsessionId !== session.jsessionId) throw invalidSession(token);
    this.touch(session);
    return session;
  }

  /** The account a credential authenticated, if the credential is known. */
  peekCredential(token: string): O2gUser | undefined {
    return this.credentials.get(token)?.user;
  }

  /** The open session of a credential, without touching it. */
  peek(token: string | undefined): Session | undefined {
    const s = token ? this.sessions.get(token) : undefined;
    return s && !s.closed ? s : undefined;
  }

  touch(session: Session): void {
    session.lastUsed = this.opts.clock.now();
    this.arm(session);
  }

  close(session: Session, reason: CloseReason): void {
    if (session.closed) return;
    session.closed = true;
    this.timers.clear(session.timer);
    this.sessions.delete(session.id);
    // The credential dies with its session: it must be renewed by authenticating again (digest §2.1).
    this.credentials.delete(session.id);
    this.opts.onClose(session, reason);
  }

  /** Expire every session now (fault injection); returns how many. */
  expireAll(): number {
    const all = this.all();
    for (const s of all) this.close(s, 'expired');
    return all.length;
  }

  /** Forget everything, as a restarted server would; credentials become unknown. */
  clear(reason: CloseReason = 'dropped'): void {
    for (const s of this.all()) this.close(s, reason);
    this.timers.clearAll();
    this.credentials.clear();
  }

  private ttlMs(): number {
    return this.opts.timeToLiveSec() * 1000;
  }

  private arm(session: Session): void {
    this.timers.clear(session.timer);
    session.timer = this.timers.set(() => this.close(session, 'expired'), this.ttlMs());
  }
}

function b64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}
