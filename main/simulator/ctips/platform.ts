// The CTIPS platform model (digest 002 §2.7): what survives a CTIPS restart and what every CTIPS
// instance of an Active/Active pair agrees on. The agents, calls and services themselves are the PBX's;
// this holds the portal-level facts on top of them: the CTIPS CallId of each PBX call, the
// NotReadyPark flag (the PBX has one not-ready state), the PanicLogout still pending for agents on a
// call, and what a request in progress means for every instance (a transfer, a login's quiet period).
// The session state (sessions, classes, filters, heartbeats, listeners) stays in each CtipsPortal.
import type { TimerHandle } from '../pbx/clock.js';
import type { Pbx } from '../pbx/pbx.js';
import type { Call, PbxEvent } from '../pbx/types.js';

/** A LoginAgent waiting for the agent to key the EnterPasscode digits on the phone (L1240–L1253). */
export interface CtipsPasscodeLogin {
  device: string;
  agentId: number;
  loginName: string;
  digits: string;
  initial: 'NotReady' | 'NotReadyPark' | 'Idle';
  /** Wrong entries so far. */
  attempts: number;
  /** The LoginAgent's RequestId, on the portal that received it (`origin`); 0 on the others. */
  requestId: number;
  origin: CtipsPlatformPeer | undefined;
}

/** A call at a route point (a service with external routing): RouteRequest sent, RouteSelect or the timeout routes it. */
export interface CtipsRouteRecord {
  callId: number;
  pbxCallId: string;
  serviceId: number;
  /** The route point device the call waits at. */
  device: string;
  routeTimeoutSec: number;
  /** The default route (RouteToDefault, timeout): the ServiceId and the PBX number (its pilot). */
  defaultServiceId: number;
  defaultNumber: string | undefined;
  state: 'pending' | 'routed' | 'default';
  timer: TimerHandle | undefined;
}

export type CtipsComponent = 'Gateway' | 'CenterCord';
export type CtipsComponentState = 'Up' | 'Down';

/** What the platform asks every attached portal to report. */
export type CtipsPlatformNotice =
  | { kind: 'passcode'; login: CtipsPasscodeLogin; reEnter: boolean }
  | { kind: 'passcodeFailed'; login: CtipsPasscodeLogin }
  | { kind: 'routeRequest'; route: CtipsRouteRecord }
  | {
      kind: 'routeUsed';
      route: CtipsRouteRecord;
      status: 'RouteSuccess' | 'RouteDefaultUsed';
      routeType: 'RouteToAgent' | 'RouteToService' | 'RouteToExternal' | 'RouteToDefault';
      destination: string;
      agentId: number;
      requestId: number;
      origin: CtipsPlatformPeer | undefined;
    }
  | { kind: 'link'; component: CtipsComponent; state: CtipsComponentState };

/** What a portal attached to the platform lets the platform ask of it. */
export interface CtipsPlatformPeer {
  /** Re-read the station's agent state and report it if it changed (RequestId from the portal's own request, if any). */
  refreshAgent(device: string): void;
  /** A blind transfer by `device` moved `call` (CTIPS `callId`) away from the station. */
  diverted(device: string, call: Call, callId: number): void;
  /** Report a platform event (EnterPasscode, RouteRequest, RouteUsed, LinkStatus) to this portal's sessions. */
  notice(n: CtipsPlatformNotice): void;
  /** The passcode was keyed: log the agent in now, reporting `requestId` (the portal's own login, or 0). */
  completeLogin(login: CtipsPasscodeLogin, requestId: number): void;
}

export interface CtipsPlatformInfo {
  calls: Array<{ pbxCallId: string; callId: number }>;
  parked: string[];
  pendingLogout: string[];
  nextCallId: number;
  portals: number;
  passcodes: Array<{ device: string; loginName: string; attempts: number }>;
  routes: Array<{ callId: number; serviceId: number; device: string; state: CtipsRouteRecord['state'] }>;
  links: Record<CtipsComponent, CtipsComponentState>;
}

/** Wrong passcode entries after which the login fails with InvalidPasscode (§3.5). */
export const maxPasscodeAttempts = 3;

export class CtipsPlatform {
  /** PBX call id ↔ CTIPS CallId (int, L638). */
  private readonly callIds = new Map<string, number>();
  private readonly pbxCalls = new Map<number, string>();
  private nextCallId: number;
  private readonly park = new Set<string>();
  private readonly pendingLogout = new Set<string>();
  private readonly quiet = new Set<string>();
  private transferBy: string | undefined;
  private readonly peers = new Set<CtipsPlatformPeer>();
  private readonly passcodes = new Map<string, CtipsPasscodeLogin>();
  /** PBX call id → its route request. */
  private readonly routeRecords = new Map<string, CtipsRouteRecord>();
  private readonly links: Record<CtipsComponent, CtipsComponentState> = { Gateway: 'Up', CenterCord: 'Up' };
  private unsubscribe: (() => void) | undefined;

  constructor(
    readonly pbx: Pbx,
    opts: { firstCallId?: number } = {},
  ) {
    this.nextCallId = opts.firstCallId ?? 1001;
  }

  /**
   * Attach a portal (it has subscribed to the PBX already). The platform's own PBX listener is
   * moved behind it, so call ids are forgotten and pending logouts run after every portal saw an event.
   */
  attach(peer: CtipsPlatformPeer): () => void {
    this.peers.add(peer);
    this.unsubscribe?.();
    this.unsubscribe = this.pbx.subscribe((e) => this.onPbx(e));
    return () => {
      if (!this.peers.delete(peer)) return;
      if (this.peers.size === 0) {
        this.unsubscribe?.();
        this.unsubscribe = undefined;
        // Nobody left to report a default route: stop the route timers.
        for (const r of this.routeRecords.values()) if (r.timer !== undefined) this.pbx.clock.clearTimeout(r.timer);
        this.routeRecords.clear();
      }
    };
  }

  /** The CTIPS CallId of a PBX call, assigned on first use (from 1001 on). */
  callId(pbxCallId: string): number {
    let id = this.callIds.get(pbxCallId);
    if (id === undefined) {
      id = this.nextCallId++;
      this.callIds.set(pbxCallId, id);
      this.pbxCalls.set(id, pbxCallId);
    }
    return id;
  }

  /** The CallId already given to a PBX call, without assigning one. */
  peekCallId(pbxCallId: string): number | undefined {
    return this.callIds.get(pbxCallId);
  }

  /** The PBX call of a CTIPS CallId (undefined once the call ended). */
  pbxCallOf(callId: number): string | undefined {
    return this.pbxCalls.get(callId);
  }

  isParked(device: string): boolean {
    return this.park.has(device);
  }

  setParked(device: string, on: boolean): void {
    if (on) this.park.add(device);
    else this.park.delete(device);
  }

  /** PanicLogout of an agent on a call: log it out once its calls are gone (L691). */
  addPendingLogout(device: string): void {
    this.pendingLogout.add(device);
    this.settle(device);
  }

  hasPendingLogout(device: string): boolean {
    return this.pendingLogout.has(device);
  }

  /** The agent logged out: its park flag and any pending logout are gone. */
  loggedOut(device: string): void {
    this.park.delete(device);
    this.pendingLogout.delete(device);
  }

  /** Whether agent-state reports of the station are held back (a login in progress). */
  isQuiet(device: string): boolean {
    return this.quiet.has(device);
  }

  /** Run `fn` with the station's agent-state reports held back, then let every portal report the result. */
  quietly(device: string, fn: () => void): void {
    this.quiet.add(device);
    try {
      fn();
    } finally {
      this.quiet.delete(device);
    }
    this.refreshAgent(device);
  }

  /** The station whose own TransferCall request is running (its cleared legs are reported as CallTransferred). */
  get transferringDevice(): string | undefined {
    return this.transferBy;
  }

  transferring<T>(device: string, fn: () => T): T {
    const prev = this.transferBy;
    this.transferBy = device;
    try {
      return fn();
    } finally {
      this.transferBy = prev;
    }
  }

  /** Every attached portal re-reads the station's agent state (e.g. the park flag alone changed). */
  refreshAgent(device: string): void {
    for (const p of [...this.peers]) p.refreshAgent(device);
  }

  /** Every attached portal reports a blind transfer's leg that the PBX moved without a clear. */
  diverted(device: string, call: Call, callId: number): void {
    for (const p of [...this.peers]) p.diverted(device, call, callId);
  }

  private notify(n: CtipsPlatformNotice): void {
    for (const p of [...this.peers]) p.notice(n);
  }

  // ---------------------------------------------------------------- passcode logins

  /** A LoginAgent of an agent with a passcode: every portal reports EnterPasscode (ReEnterFlag false). A new login restarts it. */
  startPasscodeLogin(login: CtipsPasscodeLogin): void {
    this.passcodes.set(login.device, login);
    this.notify({ kind: 'passcode', login, reEnter: false });
  }

  passcodeLogin(device: string): CtipsPasscodeLogin | undefined {
    return this.passcodes.get(device);
  }

  /**
   * The agent keyed `digits` on the station's phone. Right → logged in (by the portal that received the login, so
   * its client gets the login's RequestId); wrong → EnterPasscode again (ReEnterFlag true), the 3rd wrong entry →
   * AgentLoginRequestFailed InvalidPasscode. Undefined when no login waits for a passcode at the station.
   */
  enterPasscode(device: string, digits: string): { result: 'loggedIn' | 'reEnter' | 'failed'; attempts: number } | undefined {
    const login = this.passcodes.get(device);
    if (!login) return undefined;
    if (digits === login.digits) {
      this.passcodes.delete(device);
      const origin = login.origin && this.peers.has(login.origin) ? login.origin : undefined;
      const performer = origin ?? [...this.peers][0];
      performer?.completeLogin(login, origin ? login.requestId : 0);
      return { result: 'loggedIn', attempts: login.attempts };
    }
    login.attempts++;
    if (login.attempts >= maxPasscodeAttempts) {
      this.passcodes.delete(device);
      this.notify({ kind: 'passcodeFailed', login });
      return { result: 'failed', attempts: login.attempts };
    }
    this.notify({ kind: 'passcode', login, reEnter: true });
    return { result: 'reEnter', attempts: login.attempts };
  }

  // ---------------------------------------------------------------- external routing

  /** A call alerting at a route point: the first portal to see it creates the request (every portal reports RouteRequest). */
  routeArrived(rec: Omit<CtipsRouteRecord, 'state' | 'timer'>, timeoutMs: number): CtipsRouteRecord {
    const have = this.routeRecords.get(rec.pbxCallId);
    if (have) return have;
    const route: CtipsRouteRecord = { ...rec, state: 'pending', timer: undefined };
    this.routeRecords.set(rec.pbxCallId, route);
    route.timer = this.pbx.clock.setTimeout(() => this.routeTimedOut(route), Math.max(0, timeoutMs));
    this.notify({ kind: 'routeRequest', route });
    return route;
  }

  routeOf(pbxCallId: string): CtipsRouteRecord | undefined {
    return this.routeRecords.get(pbxCallId);
  }

  /** RouteSelect accepted: the route is taken (no timeout any more); every portal reports RouteUsed. The caller then moves the call. */
  routeSelected(route: CtipsRouteRecord, used: { routeType: 'RouteToAgent' | 'RouteToService' | 'RouteToExternal' | 'RouteToDefault'; destination: string; agentId: number; requestId: number; origin: CtipsPlatformPeer | undefined }): void {
    route.state = 'routed';
    if (route.timer !== undefined) this.pbx.clock.clearTimeout(route.timer);
    route.timer = undefined;
    this.notify({ kind: 'routeUsed', route, status: 'RouteSuccess', ...used });
  }

  /** No RouteSelect within RouteTimeout: RouteUsed(RouteDefaultUsed, RequestId 0) and the call goes to the default service. */
  private routeTimedOut(route: CtipsRouteRecord): void {
    route.timer = undefined;
    if (route.state !== 'pending' || !this.pbx.hasCall(route.pbxCallId)) return;
    route.state = 'default';
    this.notify({ kind: 'routeUsed', route, status: 'RouteDefaultUsed', routeType: 'RouteToDefault', destination: String(route.defaultServiceId), agentId: 0, requestId: 0, origin: undefined });
    if (route.defaultNumber === undefined) return;
    try {
      this.pbx.divert(route.device, route.defaultNumber, { callId: route.pbxCallId });
    } catch {
      // The caller hung up meanwhile: nothing to route.
    }
  }

  // ---------------------------------------------------------------- links

  /** The component's link state; every portal reports LinkStatus (also when unchanged). */
  setLink(component: CtipsComponent, state: CtipsComponentState): void {
    this.links[component] = state;
    this.notify({ kind: 'link', component, state });
  }

  linkState(component: CtipsComponent): CtipsComponentState {
    return this.links[component];
  }

  /** Forget the call ids, park flags and pending logouts (the PBX was reset). CallIds keep counting up. */
  reset(): void {
    for (const r of this.routeRecords.values()) if (r.timer !== undefined) this.pbx.clock.clearTimeout(r.timer);
    this.routeRecords.clear();
    this.passcodes.clear();
    this.links.Gateway = 'Up';
    this.links.CenterCord = 'Up';
    this.callIds.clear();
    this.pbxCalls.clear();
    this.park.clear();
    this.pendingLogout.clear();
    this.quiet.clear();
    this.transferBy = undefined;
  }

  describe(): CtipsPlatformInfo {
    return {
      calls: [...this.callIds].map(([pbxCallId, callId]) => ({ pbxCallId, callId })),
      parked: [...this.park],
      pendingLogout: [...this.pendingLogout],
      nextCallId: this.nextCallId,
      portals: this.peers.size,
      passcodes: [...this.passcodes.values()].map((l) => ({ device: l.device, loginName: l.loginName, attempts: l.attempts })),
      routes: [...this.routeRecords.values()].map((r) => ({ callId: r.callId, serviceId: r.serviceId, device: r.device, state: r.state })),
      links: { ...this.links },
    };
  }

  private onPbx(e: PbxEvent): void {
    if (e.type === 'callEnded') {
      const cid = this.callIds.get(e.call.id);
      if (cid !== undefined) {
        this.callIds.delete(e.call.id);
        this.pbxCalls.delete(cid);
      }
      const route = this.routeRecords.get(e.call.id);
      if (route) {
        if (route.timer !== undefined) this.pbx.clock.clearTimeout(route.timer);
        this.routeRecords.delete(e.call.id);
      }
    }
    if (e.type === 'leg' || e.type === 'agent') this.settle(e.device);
    else if (e.type === 'callEnded') for (const l of e.call.legs) this.settle(l.number);
  }

  private settle(device: string): void {
    if (!this.pendingLogout.has(device) || this.pbx.legsOf(device).length > 0) return;
    this.pendingLogout.delete(device);
    const state = this.pbx.agent(device)?.state;
    if (state !== undefined && state !== 'loggedOff') this.pbx.setAgentState(device, 'loggedOff', { force: true });
  }
}
