// One CTIPS session on one portal (manual L1819–L1907, digest §2.1–§2.4, §2.8): OpenConnection with
// the app's callback URL (the portal calls StartSession during it), the message classes and
// filters, OnLine, then requests whose outcome is the first event carrying their RequestId (a
// failure event rejects them; events that beat the SOAP reply are held by the correlator), one
// Snapshot at a time collected until SnapShotComplete, the heartbeat watchdog (missed heartbeats =
// the link is down), and OffLine then CloseConnection at the end. The session reports `lost` once
// (heartbeats gone, a fault saying the session is unknown, the portal unreachable); it never
// reconnects: the site does.
import { CtiError } from '../../../shared/commands.js';
import type { Logger } from '../../core/log.js';
import type { TlsTrust } from '../tls.js';
import type { CtipsCallbackServer } from './callback-server.js';
import { RequestCorrelator } from './correlator.js';
import { describeFailure, type CtipsEnumMember } from './enums.js';
import type { CtipsEvent, CtipsKnownEvent } from './events.js';
import { HeartbeatWatchdog } from './heartbeat.js';
import { buildOpenConnection, ctipsRequests, type CtipsRequest } from './requests.js';
import type { Decoded } from './result.js';
import { enumText } from './site-model.js';
import { CtipsSoapClient, type CtipsTraceFn } from './soap-client.js';
import type { CtipsWireProfile } from './wire.js';

export type SnapshotUpdate = Extract<CtipsKnownEvent, { type: 'SnapShotUpdate' }>;
type Requests = ReturnType<typeof ctipsRequests>;

export interface CtipsSessionOptions {
  portal: { host: string; port: number; https: boolean };
  wire: CtipsWireProfile;
  tls: TlsTrust;
  credentials: { userName: string; password: string };
  tenantId: number;
  callback: CtipsCallbackServer;
  classes: ReadonlyArray<CtipsEnumMember<'CTIMessageClass'>>;
  filters: ReadonlyArray<{ fieldType: CtipsEnumMember<'CTIFieldType'>; value: string }>;
  heartbeat: { intervalMs: number; missed: number };
  /** Per SOAP request. */
  timeoutMs: number;
  /** How long a request's outcome event is awaited after its reply; none by then = accepted. */
  outcomeMs?: number;
  log: Logger;
  trace?: CtipsTraceFn;
  onEvent(e: CtipsEvent): void;
  onLost(err: CtiError): void;
}

const failureEvents = new Set(['AgentLoginRequestFailed', 'AgentRequestFailed', 'CallRequestFailed', 'RouteRequestFailed', 'SnapShotRequestFailed']);

/** A failure event as a typed error: what the agent can fix (state, destination) vs what the site must. */
export function failureError(e: CtipsKnownEvent, operation: string): CtiError {
  const f = e.fields as { FailureType?: unknown; FailureReason?: string | null };
  const type = enumText(f.FailureType);
  const decoded = f.FailureType as Parameters<typeof describeFailure>[0];
  const text = `${operation}: ${f.FailureReason || describeFailure(decoded ?? null)}`;
  const byType: Record<string, CtiError['code']> = {
    InvalidStateForRequest: 'notPermitted',
    AgentAlreadyLoggedIn: 'notPermitted',
    StationNotAvailable: 'notPermitted',
    InvalidAgent: 'notPermitted',
    InvalidAgentName: 'invalid',
    InvalidPasscode: 'authFailed',
    InvalidCallId: 'noCall',
    DestinationInvalidNumber: 'invalid',
    DestinationInvalidServiceIdentifier: 'invalid',
    DestinationInvalidSwitchIdentifier: 'invalid',
    AgentLicenseExceeded: 'limit',
    TrunkLicenseExceeded: 'limit',
    GatewayLoginFailure: 'linkDown',
  };
  return new CtiError(byType[type] ?? 'rejected', text, `failure:${type || 'unknown'}`);
}

export class CtipsPortalSession {
  readonly url: string;
  private readonly soap: CtipsSoapClient;
  private readonly correlator = new RequestCorrelator();
  private readonly watchdog: HeartbeatWatchdog;
  private readonly waiters = new Map<number, (e: CtipsEvent) => void>();
  private sessionId = '';
  private req: Requests | null = null;
  private collecting: { updates: SnapshotUpdate[]; done: (u: SnapshotUpdate[]) => void; fail: (e: CtiError) => void } | null = null;
  private snapshotInFlight: Promise<SnapshotUpdate[]> | null = null;
  private ended = false;

  constructor(private readonly o: CtipsSessionOptions) {
    this.soap = new CtipsSoapClient({ host: o.portal.host, port: o.portal.port, https: o.portal.https, tls: o.tls, profile: o.wire, timeoutMs: o.timeoutMs, ...(o.trace ? { trace: o.trace } : {}) });
    this.url = this.soap.url;
    this.watchdog = new HeartbeatWatchdog({
      intervalMs: o.heartbeat.intervalMs,
      missedAllowed: o.heartbeat.missed,
      onMissed: (n) => o.log.warn({ portal: this.url, missed: n }, 'ctips: heartbeat missed'),
      onLost: (i) => this.lose(new CtiError('unreachable', `no heartbeat from the portal ${this.url} for ${Math.round(i.silentMs / 1000)} s`, 'heartbeat')),
    });
  }

  get id(): string {
    return this.sessionId;
  }

  /** OpenConnection → message classes → filters → OnLine, then the watchdog runs. Throws CtiError. */
  async open(): Promise<void> {
    const cb = this.o.callback;
    cb.resetSession({ rotateToken: true });
    const open = await this.send(
      buildOpenConnection(
        { TenantIds: [this.o.tenantId], UserCredentials: { UserName: this.o.credentials.userName, Password: this.o.credentials.password }, ClientCallbackURL: cb.url() },
        this.o.wire,
      ),
    );
    if (!open.sessionId) throw new CtiError('protocol', `CTIPS OpenConnection on ${this.url}: no SessionId in the reply`);
    this.sessionId = open.sessionId;
    cb.expectSession(open.sessionId);
    this.req = ctipsRequests({ SessionId: open.sessionId, TenantId: this.o.tenantId }, this.o.wire);
    try {
      for (const c of this.o.classes) await this.send(this.req.addMessageClass({ MessageClass: c }));
      for (const f of this.o.filters) await this.send(this.req.addFilter({ FieldType: f.fieldType, FieldValue: f.value }));
      await this.send(this.req.onLine());
    } catch (err) {
      await this.close();
      throw err;
    }
    this.watchdog.start();
  }

  /** A heartbeat reached the callback service. */
  heartbeat(): void {
    this.watchdog.beat();
  }

  /** An event for this session, from the callback service. */
  event(e: CtipsEvent): void {
    if (this.ended) return;
    if (e.kind !== 'unknown' && e.type === 'SnapShotUpdate' && this.collecting) {
      this.collecting.updates.push(e);
      if (e.fields.SnapShotComplete === true) this.collecting.done(this.collecting.updates);
      return;
    }
    if (e.kind !== 'unknown' && e.type === 'SnapShotRequestFailed' && this.collecting) {
      this.collecting.fail(failureError(e, 'CTIPS Snapshot'));
      return;
    }
    const c = this.correlator.onEvent(e);
    if (c.kind === 'matched') this.waiters.get(e.header.requestId)?.(e);
    this.o.onEvent(e);
  }

  /** Re-assert OnLine: a cheap request that fails with sessionLost when the portal forgot us. */
  async verify(): Promise<void> {
    await this.send(this.requests().onLine());
  }

  requests(): Requests {
    if (!this.req || this.ended) throw new CtiError('notConnected', 'no CTIPS session');
    return this.req;
  }

  /**
   * Send an agent or call request built with a fresh RequestId; resolves with its first outcome
   * event (null when none came within `outcomeMs`), rejects with the failure event's error.
   */
  async call(operation: string, build: (requestId: number, r: Requests) => Decoded<CtipsRequest>, completes: (e: CtipsEvent) => boolean = () => true): Promise<CtipsEvent | null> {
    const r = this.requests();
    const requestId = this.correlator.next();
    const early = this.correlator.register(requestId, operation);
    const outcome = new Promise<CtipsEvent | null>((resolve, reject) => {
      const settle = (e: CtipsEvent | null): void => {
        const failed = e !== null && e.kind !== 'unknown' && failureEvents.has(e.type);
        if (e !== null && !failed && !completes(e)) return;
        this.cancel(requestId);
        this.correlator.complete(requestId);
        if (e && e.kind !== 'unknown' && failureEvents.has(e.type)) reject(failureError(e, `CTIPS ${operation}`));
        else resolve(e);
      };
      this.waiters.set(requestId, settle);
      for (const e of early) settle(e);
      if (!this.waiters.has(requestId)) return;
      const timer = setTimeout(() => settle(null), this.o.outcomeMs ?? 2000);
      timer.unref?.();
      this.pendingTimers.set(requestId, timer);
    });
    outcome.catch(() => undefined);
    try {
      await this.send(build(requestId, r));
      this.correlator.replied(requestId, true);
    } catch (err) {
      this.correlator.replied(requestId, false);
      this.cancel(requestId);
      throw err;
    }
    return outcome;
  }

  private readonly pendingTimers = new Map<number, ReturnType<typeof setTimeout>>();

  private cancel(requestId: number): void {
    const t = this.pendingTimers.get(requestId);
    if (t) clearTimeout(t);
    this.pendingTimers.delete(requestId);
    this.waiters.delete(requestId);
  }

  /** Snapshot of agents, calls and services: the SnapShotUpdate records up to SnapShotComplete (one in flight). */
  snapshot(timeoutMs = 10_000): Promise<SnapshotUpdate[]> {
    this.snapshotInFlight ??= this.takeSnapshot(timeoutMs).finally(() => {
      this.snapshotInFlight = null;
    });
    return this.snapshotInFlight;
  }

  private async takeSnapshot(timeoutMs: number): Promise<SnapshotUpdate[]> {
    const r = this.requests();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const result = new Promise<SnapshotUpdate[]>((resolve, reject) => {
      this.collecting = { updates: [], done: resolve, fail: reject };
      timer = setTimeout(() => reject(new CtiError('timeout', `CTIPS Snapshot on ${this.url}: not complete within ${timeoutMs} ms`)), timeoutMs);
    });
    result.catch(() => undefined);
    try {
      await this.send(r.snapshot({ EntityType: ['AgentInfo', 'CallInfo', 'ServiceInfo'] }));
      return await result;
    } finally {
      clearTimeout(timer);
      this.collecting = null;
    }
  }

  /** CloseConnection (best effort), then release everything. Never throws. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.watchdog.stop();
    this.failPending(new CtiError('notConnected', 'the CTIPS session was closed'));
    if (this.sessionId && this.req) {
      // The manual's shutdown (L1885–L1907): OffLine (no more events), then CloseConnection.
      const budget = { timeoutMs: Math.min(2000, this.o.timeoutMs) };
      const offLine = this.req.offLine();
      if (offLine.ok) await this.soap.send(offLine.value, budget).catch(() => undefined);
      const close = this.req.closeConnection();
      if (close.ok) await this.soap.send(close.value, budget).catch(() => undefined);
    }
    this.soap.close();
  }

  private failPending(err: CtiError): void {
    for (const t of this.pendingTimers.values()) clearTimeout(t);
    this.pendingTimers.clear();
    this.waiters.clear();
    this.correlator.failAll();
    this.collecting?.fail(err);
    this.collecting = null;
  }

  private lose(err: CtiError): void {
    if (this.ended) return;
    this.ended = true;
    this.watchdog.stop();
    this.failPending(err);
    this.soap.close();
    this.o.onLost(err);
  }

  private async send(r: Decoded<CtipsRequest>): Promise<{ sessionId: string | null }> {
    if (!r.ok) throw new CtiError('invalid', `CTIPS request: ${r.error.message}`);
    try {
      return await this.soap.send(r.value);
    } catch (err) {
      const e = CtiError.from(err);
      if ((e.code === 'sessionLost' || e.code === 'unreachable') && this.sessionId && r.value.operation !== 'OpenConnection') this.lose(e);
      throw e;
    }
  }
}
