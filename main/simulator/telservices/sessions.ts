// TelServices sessions: one per device, holding client registrations keyed by (client IP, event UDP port)
// (digest §2.1, §7 #7). Idle timeouts, delayed closes, the session events, and the long-poll change counter.
import { TimerSet, type Clock, type TimerHandle } from '../pbx/clock.js';

export type SessionNotice =
  | 'sessionClosedByAdmin'
  | 'sessionClosedByTimeout'
  | 'sessionClosedByMonitoringReject'
  | 'sessionClosedByClient'
  | 'pbxlinkOutOfService'
  | 'pbxlinkInService';

export interface Registration {
  key: string;
  ip: string;
  udpPort?: number;
  transport: 'tcp' | 'http';
  level: 'full' | 'restricted';
  timeoutSec?: number;
  userID?: string;
  password?: string;
  idleTimer?: TimerHandle;
  closeTimer?: TimerHandle;
}

export interface Session {
  device: string;
  registrations: Map<string, Registration>;
  /** False until the first session-requiring request when opened with startPbxMonitor=false. */
  monitoring: boolean;
  /** Change counter for HTTP long-poll snapshots; starts at 1 so a client's seq 0 is always behind. */
  seq: number;
  /** The last session event and the seq it happened at (reported in snapshots to HTTP clients). */
  notice?: { value: SessionNotice; seq: number };
  /** Long-poll snapshots waiting for a change. */
  waiters: Set<() => void>;
  closed: boolean;
}

export interface SessionHooks {
  /** Send a session event to one registration. */
  notify(session: Session, reg: Registration, notice: SessionNotice): void;
}

export function clientKey(ip: string, udpPort: number | undefined): string {
  return `${ip}|${udpPort ?? '-'}`;
}

export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  private readonly timers: TimerSet;

  constructor(
    clock: Clock,
    private readonly msPerSecond: () => number,
    private readonly hooks: SessionHooks,
  ) {
    this.timers = new TimerSet(clock);
  }

  get(device: string): Session | undefined {
    return this.sessions.get(device);
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  get count(): number {
    return this.sessions.size;
  }

  /** Add or refresh a registration; creates the session when it is the first. */
  open(device: string, reg: Omit<Registration, 'key' | 'idleTimer' | 'closeTimer'>, monitoring: boolean): Session {
    let session = this.sessions.get(device);
    if (!session) {
      session = { device, registrations: new Map(), monitoring, seq: 1, waiters: new Set(), closed: false };
      this.sessions.set(device, session);
    } else if (monitoring) session.monitoring = true;
    const key = clientKey(reg.ip, reg.udpPort);
    const existing = session.registrations.get(key);
    if (existing) {
      // Re-opening cancels a pending delayed close (the page-refresh case of actualCloseSessionTimeout).
      this.timers.clear(existing.closeTimer);
      this.timers.clear(existing.idleTimer);
    }
    const registration: Registration = { ...reg, key };
    session.registrations.set(key, registration);
    this.armIdle(session, registration);
    return session;
  }

  /** A request from `ip` named this device: restart the idle timeout of that client's registrations. */
  touch(device: string, ip: string): void {
    const session = this.sessions.get(device);
    if (!session) return;
    for (const reg of session.registrations.values()) if (reg.ip === ip) this.armIdle(session, reg);
  }

  /** Registrations of the requesting client (by IP, and UDP port when given). */
  clientRegistrations(session: Session, ip: string, udpPort?: number): Registration[] {
    return [...session.registrations.values()].filter((r) => r.ip === ip && (udpPort === undefined || r.udpPort === udpPort));
  }

  /** closeSession: false when the requester has nothing to close. */
  close(device: string, ip: string, opts: { clientOnly: boolean; delaySec: number; udpPort?: number }): boolean {
    const session = this.sessions.get(device);
    if (!session) return false;
    const targets = opts.clientOnly ? this.clientRegistrations(session, ip, opts.udpPort) : [...session.registrations.values()];
    if (targets.length === 0) return false;
    const requesters = new Set(this.clientRegistrations(session, ip, opts.udpPort));
    const doClose = () => {
      for (const reg of targets) {
        if (session.registrations.get(reg.key) !== reg) continue;
        // The other clients learn that somebody closed the whole session; the requester does not need telling.
        if (!requesters.has(reg)) this.hooks.notify(session, reg, 'sessionClosedByClient');
        this.removeRegistration(session, reg, 'sessionClosedByClient');
      }
    };
    if (opts.delaySec > 0) {
      for (const reg of targets) {
        this.timers.clear(reg.closeTimer);
        reg.closeTimer = this.timers.set(() => {
          if (session.registrations.get(reg.key) !== reg) return;
          if (!requesters.has(reg)) this.hooks.notify(session, reg, 'sessionClosedByClient');
          this.removeRegistration(session, reg, 'sessionClosedByClient');
        }, opts.delaySec * this.msPerSecond());
      }
    } else doClose();
    return true;
  }

  /** Close every registration of a device with a session event (admin close, monitor reject). */
  closeAll(device: string, notice: SessionNotice): boolean {
    const session = this.sessions.get(device);
    if (!session) return false;
    for (const reg of [...session.registrations.values()]) {
      this.hooks.notify(session, reg, notice);
      this.removeRegistration(session, reg, notice);
    }
    return true;
  }

  /** Record a change for long-poll clients and wake them. */
  bump(session: Session, notice?: SessionNotice): void {
    session.seq++;
    if (notice) session.notice = { value: notice, seq: session.seq };
    const waiters = [...session.waiters];
    session.waiters.clear();
    for (const w of waiters) w();
  }

  /** Forget everything silently (a server restart). */
  clear(): void {
    this.timers.clearAll();
    for (const s of this.sessions.values()) {
      s.closed = true;
      this.bump(s);
    }
    this.sessions.clear();
  }

  dispose(): void {
    this.clear();
  }

  private armIdle(session: Session, reg: Registration): void {
    this.timers.clear(reg.idleTimer);
    reg.idleTimer = undefined;
    if (reg.timeoutSec === undefined) return;
    reg.idleTimer = this.timers.set(() => {
      if (session.registrations.get(reg.key) !== reg) return;
      this.hooks.notify(session, reg, 'sessionClosedByTimeout');
      this.removeRegistration(session, reg, 'sessionClosedByTimeout');
    }, reg.timeoutSec * this.msPerSecond());
  }

  private removeRegistration(session: Session, reg: Registration, notice: SessionNotice): void {
    this.timers.clear(reg.idleTimer);
    this.timers.clear(reg.closeTimer);
    session.registrations.delete(reg.key);
    if (session.registrations.size === 0) {
      // Last client gone: the session is fully closed and the device no longer monitored.
      session.closed = true;
      this.sessions.delete(session.device);
      this.bump(session, notice);
    }
  }
}
