// The CTIPS platform model (digest 002 §2.7): what survives a CTIPS restart and what every CTIPS
// instance of an Active/Active pair agrees on. The agents, calls and services themselves are the PBX's;
// this holds the portal-level facts on top of them: the CTIPS CallId of each PBX call, the
// NotReadyPark flag (the PBX has one not-ready state), the PanicLogout still pending for agents on a
// call, and what a request in progress means for every instance (a transfer, a login's quiet period).
// The session state (sessions, classes, filters, heartbeats, listeners) stays in each CtipsPortal.
import type { Pbx } from '../pbx/pbx.js';
import type { Call, PbxEvent } from '../pbx/types.js';

/** What a portal attached to the platform lets the platform ask of it. */
export interface CtipsPlatformPeer {
  /** Re-read the station's agent state and report it if it changed (RequestId from the portal's own request, if any). */
  refreshAgent(device: string): void;
  /** A blind transfer by `device` moved `call` (CTIPS `callId`) away from the station. */
  diverted(device: string, call: Call, callId: number): void;
}

export interface CtipsPlatformInfo {
  calls: Array<{ pbxCallId: string; callId: number }>;
  parked: string[];
  pendingLogout: string[];
  nextCallId: number;
  portals: number;
}

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

  /** Forget the call ids, park flags and pending logouts (the PBX was reset). CallIds keep counting up. */
  reset(): void {
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
    };
  }

  private onPbx(e: PbxEvent): void {
    if (e.type === 'callEnded') {
      const cid = this.callIds.get(e.call.id);
      if (cid !== undefined) {
        this.callIds.delete(e.call.id);
        this.pbxCalls.delete(cid);
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
