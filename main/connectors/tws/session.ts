// The TWS session: the token (TWS_GetMyToken2, or TWS_GetMyTokenAdmin for an administrator key),
// the user's identity (GetMyUser: name, devices, userGuid, domainGuid), the device monitor
// (TWS_WebStartMonitor 'TWS-TLK'), and every web-service call with its return code mapped to a
// CtiError. A refused token (-44, a null result where a value was due, a token fault) renews the
// token once (new token + StartMonitor) and retries the call once; credentials refused → authFailed
// at once, never retried here (the supervisor backs off).
import { CtiError, type ErrorCode } from '../../../shared/commands.js';
import type { Profile, ProfileSecret, TwsConnection } from '../../../shared/profile.js';
import type { Logger } from '../../core/log.js';
import { monitorIdempotentCodes, twsReturnCodes } from './codes.js';
import type { TwsHttp, TwsApi } from './http.js';
import { requests, type TwsRequest } from './requests.js';
import { decodeIntResult, decodeResult, decodeTokenResult, type TwsFormat } from './results.js';
import { isObject, list, member, str, type TwsValue } from './value.js';
import type { Decoded, TwsCodecError } from './xml.js';

/** §5.2 return codes → normalized error codes (vendorCode keeps the name). */
const codeMap: Partial<Record<keyof typeof twsReturnCodes, ErrorCode>> = {
  tokenNotFound: 'sessionLost',
  deviceNotFound: 'invalid',
  deviceForbidden: 'notPermitted',
  unauthorizedAction: 'notPermitted',
  connectionNotFound: 'noCall',
  callDisconnected: 'noCall',
  callDisconnectedCauseOfMediaDeviceDialog: 'noCall',
  actionFailed: 'rejected',
  actionAlreadyDone: 'rejected',
  actionAlreadyStarted: 'rejected',
  cantStartMonitorDuringStarting: 'rejected',
  serverNotRunning: 'linkDown',
  providerNotFound: 'linkDown',
  providerResponseTimeout: 'linkDown',
  timeout: 'timeout',
  invalidParameter: 'invalid',
  nullException: 'invalid',
  applicationNotFound: 'invalid',
  actionNotFound: 'invalid',
  voiceMailNumberNotFound: 'invalid',
  contactNotFound: 'invalid',
  personalContactNotFound: 'invalid',
  methodNotImplemented: 'unsupported',
  licenceLimitOverflow: 'limit',
  twstkLicenceLimitOverflow: 'limit',
  twsvisLicenceLimitOverflow: 'limit',
  twsrecLicenceLimitOverflow: 'limit',
  twsmallLicenceLimitOverflow: 'limit',
  twsvipLicenceLimitOverflow: 'limit',
  twsphpLicenceLimitOverflow: 'limit',
  twsaltLicenceLimitOverflow: 'limit',
  twscallLicenceLimitOverflow: 'limit',
  twssrvLicenceLimitOverflow: 'limit',
  serverException: 'rejected',
  webServiceException: 'rejected',
};

const explain: Partial<Record<keyof typeof twsReturnCodes, string>> = {
  deviceNotFound: 'the device is unknown or not monitored',
  deviceForbidden: 'the user may not control this device',
  unauthorizedAction: 'the user is not authorized for this',
  connectionNotFound: 'no such call on the device',
  actionFailed: 'the PBX refused it in the current state',
  serverNotRunning: 'the TWS server has no link to the PBX',
  providerNotFound: 'the device has no PBX link',
  methodNotImplemented: 'not available on this PBX',
  licenceLimitOverflow: 'TWS licence limit reached',
  twstkLicenceLimitOverflow: 'TWS Toolkit licence limit reached',
};

/** A codec error of a call → CtiError. */
export function codecToCti(what: string, e: TwsCodecError): CtiError {
  if (e.kind === 'returnCode' && e.code !== undefined) {
    const name = (e.codeName ?? `error${e.code}`) as keyof typeof twsReturnCodes;
    const code = codeMap[name] ?? 'rejected';
    const why = explain[name];
    return new CtiError(code, `${what}: TWS answered ${name} (${e.code})${why ? `: ${why}` : ''}`, name);
  }
  if (e.kind === 'fault') return new CtiError('rejected', `${what}: ${e.message}`, 'fault');
  if (e.kind === 'authRejected') return new CtiError('authFailed', `${what}: ${e.message}`, 'authRejected');
  return new CtiError('protocol', `${what}: unreadable TWS reply (${e.kind}): ${e.message}`, e.kind);
}

const tokenFault = /token/i;

export interface RunOptions {
  /** A null result means the token was refused (object/string functions, §2.5). */
  nullIsRefusal?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Override the API style (the event service always uses SOAP). */
  api?: TwsApi;
  /** Do not renew on refusal (the renewal's own calls). */
  noRenew?: boolean;
}

export interface SessionIdentity {
  token: string;
  userGuid: string | null;
  domainGuid: string | null;
  username: string | null;
  displayName: string | null;
  devices: string[];
}

export interface TwsSessionOptions {
  http: TwsHttp;
  profile: Profile;
  conn: TwsConnection;
  secret: ProfileSecret | null;
  log: Logger;
  /** Called after a renewed token (the feeds re-open with it). */
  onRenewed?: () => void;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; refused: boolean; error: CtiError };

export class TwsSession {
  readonly http: TwsHttp;
  private readonly o: TwsSessionOptions;
  id: SessionIdentity | null = null;
  /** Token requests made (tests: exactly one per start with wrong credentials). */
  tokenRequests = 0;
  private renewing: Promise<void> | null = null;
  private closed = false;

  constructor(o: TwsSessionOptions) {
    this.o = o;
    this.http = o.http;
  }

  get token(): string {
    if (!this.id) throw new CtiError('notConnected', 'no TWS token');
    return this.id.token;
  }

  get device(): string {
    return this.o.profile.device;
  }

  close(): void {
    this.closed = true;
  }

  // ---------------------------------------------------------------- start-up

  /** One token request; refused credentials → authFailed naming what was refused. */
  async authenticate(): Promise<void> {
    const apiKey = this.o.secret?.apiKey ?? '';
    const password = this.o.secret?.password ?? '';
    const c = this.o.conn;
    if (!apiKey) throw new CtiError('authFailed', 'no TWS API key is stored for this profile (create one with TWS_ApiKeyManager on the server)');
    if (c.auth === 'admin' && !c.adminUsername) throw new CtiError('authFailed', 'the profile uses an administrator key but names no administrator account');
    this.http.addSecret(apiKey);
    this.http.addSecret(password);
    const req =
      c.auth === 'admin'
        ? requests.getMyTokenAdmin({ apiKey, adminUsername: c.adminUsername, adminPassword: password, username: c.username })
        : requests.getMyToken2({ apiKey, username: c.username, password });
    this.tokenRequests += 1;
    const reply = await this.http.call(req, c.api);
    if (reply.kind === 'fault') throw new CtiError('authFailed', `TWS refused the sign-in: ${reply.message}`, 'fault');
    const d = decodeTokenResult(reply.body, reply.format);
    if (!d.ok) {
      if (d.error.kind === 'authRejected') throw authError(d.error.message, c.auth);
      throw codecToCti('sign in', d.error);
    }
    const t = d.value;
    this.http.addSecret(t.token);
    this.id = {
      token: t.token,
      userGuid: t.userGuid,
      domainGuid: t.domainGuid,
      username: t.username,
      displayName: this.id?.displayName ?? null,
      devices: t.devices.length > 0 ? t.devices : (this.id?.devices ?? []),
    };
  }

  /** GetMyUser: name, devices, guids (an admin token carries neither devices nor domain). Tolerant. */
  async loadUser(): Promise<void> {
    const id = this.id;
    if (!id) return;
    try {
      const v = await this.value('read the TWS user', (token) => requests.getMyUser({ token }), { nullIsRefusal: false });
      if (!isObject(v)) return;
      const first = str(v, 'Firstname');
      const last = str(v, 'Lastname');
      const name = [first, last].filter((x): x is string => !!x && x.trim() !== '').join(' ');
      if (name) id.displayName = name;
      id.userGuid ??= str(v, 'UserGuid') ?? str(v, 'Guid');
      id.domainGuid ??= str(v, 'DomainGuid');
      if (id.devices.length === 0) {
        id.devices = list(member(v, 'Devices'))
          .map((d) => (isObject(d) ? str(d, 'Number') : typeof d === 'string' ? d : null))
          .filter((x): x is string => !!x && x.trim() !== '');
      }
    } catch (err) {
      const e = CtiError.from(err);
      if (e.code === 'unreachable' || e.code === 'authFailed' || e.code === 'sessionLost') throw e;
      this.o.log.info({ code: e.code, err: e.message }, 'TWS: GetMyUser failed; going on');
    }
    if (id.domainGuid) return;
    // An admin token carries no domain: the profile may (GetDevicesState needs it). Its shape is
    // undocumented (§3.2.1): look for DomainGuid in it or in its User.
    try {
      const p = await this.value('read the TWS profile', (token) => requests.getMyProfile({ token }), { nullIsRefusal: false });
      id.domainGuid = str(p, 'DomainGuid') ?? str(member(p, 'User'), 'DomainGuid');
    } catch (err) {
      const e = CtiError.from(err);
      if (e.code === 'unreachable' || e.code === 'authFailed' || e.code === 'sessionLost') throw e;
      this.o.log.info({ code: e.code, err: e.message }, 'TWS: GetMyProfile failed; going on');
    }
  }

  /** The profile's device must be one of the user's, unless the user has '0000' (any device, L709). */
  checkDevice(): void {
    const devices = this.id?.devices ?? [];
    if (devices.length === 0 || devices.includes('0000') || devices.includes(this.device)) return;
    throw new CtiError(
      'authFailed',
      `the TWS user ${this.o.conn.username} may not use device ${this.device} (its devices: ${devices.join(', ')}); set the profile's device or give the user '0000' in TWS administration`,
      'deviceForbidden',
    );
  }

  async startMonitor(noRenew = false): Promise<void> {
    await this.int('start monitoring the device', (token) => requests.startMonitor({ token, device: this.device }), { noRenew, idempotent: true, securityFault: true });
  }

  async stopMonitor(timeoutMs: number): Promise<void> {
    if (!this.id) return;
    await this.int('stop monitoring the device', (token) => requests.stopMonitor({ token, device: this.device }), { noRenew: true, idempotent: true, timeoutMs });
  }

  /** New token + monitor, once for all concurrent callers. */
  renew(): Promise<void> {
    if (!this.renewing) {
      this.renewing = (async () => {
        this.o.log.info('TWS: the token was refused; signing in again');
        await this.authenticate();
        await this.startMonitor(true);
        this.o.onRenewed?.();
      })().finally(() => {
        this.renewing = null;
      });
    }
    return this.renewing;
  }

  // ---------------------------------------------------------------- calls

  /** One call with the token-renewal rule; `decode` turns the body into the value or a codec error. */
  async run<T>(what: string, build: (token: string) => TwsRequest, decode: (body: string, format: TwsFormat) => Decoded<T>, opts: RunOptions & { securityFault?: boolean } = {}): Promise<T> {
    const first = await this.attempt(what, build, decode, opts);
    if (first.ok) return first.value;
    if (!first.refused || opts.noRenew) throw first.error;
    if (this.renewing) await this.renewing;
    else await this.renew();
    const second = await this.attempt(what, build, decode, opts);
    if (second.ok) return second.value;
    if (second.refused) throw new CtiError('sessionLost', `${what}: TWS refused the token even after signing in again`, 'tokenNotFound');
    throw second.error;
  }

  private async attempt<T>(what: string, build: (token: string) => TwsRequest, decode: (body: string, format: TwsFormat) => Decoded<T>, opts: RunOptions & { securityFault?: boolean }): Promise<Attempt<T>> {
    if (this.closed) throw new CtiError('notConnected', `${what}: the TWS session is closed`);
    const req = build(this.id?.token ?? '');
    const reply = await this.http.call(req, opts.api ?? this.o.conn.api, { ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    if (reply.kind === 'fault') {
      if (tokenFault.test(reply.message)) return { ok: false, refused: true, error: new CtiError('sessionLost', `${what}: ${reply.message}`, 'fault') };
      const code: ErrorCode = opts.securityFault ? 'notPermitted' : 'rejected';
      return { ok: false, refused: false, error: new CtiError(code, `${what}: TWS exception: ${reply.message}`, 'fault') };
    }
    const d = decode(reply.body, reply.format);
    if (!d.ok) {
      if (d.error.kind === 'returnCode' && d.error.code === twsReturnCodes.tokenNotFound) return { ok: false, refused: true, error: codecToCti(what, d.error) };
      if (d.error.kind === 'fault' && tokenFault.test(d.error.message)) return { ok: false, refused: true, error: codecToCti(what, d.error) };
      return { ok: false, refused: false, error: codecToCti(what, d.error) };
    }
    if (d.value === null && opts.nullIsRefusal) return { ok: false, refused: true, error: new CtiError('sessionLost', `${what}: TWS returned nothing (token refused?)`, 'null') };
    return { ok: true, value: d.value };
  }

  /** An int function; a negative code throws (the monitor's "already" codes count as success). */
  async int(what: string, build: (token: string) => TwsRequest, opts: RunOptions & { idempotent?: boolean; securityFault?: boolean } = {}): Promise<number> {
    return this.run(
      what,
      build,
      (body, format) => {
        const d = decodeIntResult(body, format);
        if (!d.ok && opts.idempotent && d.error.kind === 'returnCode' && d.error.code !== undefined && monitorIdempotentCodes.includes(d.error.code)) {
          return { ok: true, value: 0 };
        }
        return d.ok ? { ok: true, value: d.value.code } : d;
      },
      opts,
    );
  }

  /** Any result value (objects, lists, strings). */
  async value(what: string, build: (token: string) => TwsRequest, opts: RunOptions = {}): Promise<TwsValue> {
    return this.run(
      what,
      build,
      (body, format) => {
        const d = decodeResult(body, format);
        return d.ok ? { ok: true, value: d.value.value } : d;
      },
      opts,
    );
  }
}

function authError(message: string, auth: 'user' | 'admin'): CtiError {
  const text = message.replace(/^token refused:\s*/i, '');
  if (/api\s*-?key|apikey|\bkey\b/i.test(text)) return new CtiError('authFailed', `TWS refused the API key: ${text}`, 'invalidApiKey');
  if (/password|user|login|credential|account/i.test(text)) {
    return new CtiError('authFailed', `TWS refused the ${auth === 'admin' ? 'administrator account or password' : 'user name or password'}: ${text}`, 'invalidCredentials');
  }
  return new CtiError('authFailed', `TWS refused the sign-in: ${text}`, 'authRejected');
}
