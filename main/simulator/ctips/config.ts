// The lab CTIPS portal's fixture (digest 002 §1.2 [SIM] defaults): tenant 1, the portal users (the
// manual's Appendix D sample credentials Test01/Test01, L2685–L2686, plus a lab user), the stations
// (= PBX devices), the agents' login names and ids, the services (= PBX queues), the connection
// limit (10, L309) and the heartbeat timing (interval 30 s, 3 missed, L2565).
import { pbxConfig, type AgentConfig, type DeviceConfig, type PbxConfig } from '../pbx/config.js';

export interface CtipsUser {
  userName: string;
  password: string;
}

export interface CtipsAgentConfig {
  /** AgentLoginName (L660); also the FT_AGENT_ID filter value (L1947). */
  loginName: string;
  /** AgentId = AgentCTIId [SIM, digest §1.7]. */
  agentId: number;
  /** The PBX device the agent's ACD position lives on; the only StationId it may log in at [SIM]. */
  device: string;
  /**
   * The 3 digits "CenterCord generates" for this agent's login (EnterPasscode, L1240–L1253): LoginAgent then waits
   * until they are keyed on the phone (control route POST /ctips/passcode). Absent = "Bypass 3-digit passcode".
   */
  passcode?: string;
}

/** A service configured for external routing (L329): its calls wait at a PBX device until RouteSelect or the timeout. */
export interface CtipsRoutePointConfig {
  serviceId: number;
  /** The PBX device (callWaiting) where the calls of the service wait for their route; dial it to start a RouteRequest. */
  device: string;
  /** RouteTimeout, in PBX seconds (`msPerSecond`): no RouteSelect by then → the default route. */
  routeTimeoutSec: number;
  /** The ServiceId of the default route (RouteToDefault, and the timeout); must have a PBX pilot. */
  defaultServiceId: number;
}

export interface CtipsServiceConfig {
  serviceId: number;
  /** The PBX queue (routing point) name. */
  queue: string;
}

export interface CtipsConfig {
  tenantId: number;
  siteId: number;
  switchId: number;
  users: CtipsUser[];
  agents: CtipsAgentConfig[];
  services: CtipsServiceConfig[];
  /** Services with external routing (RouteRequest → RouteSelect); reported in Snapshot ServiceInfo with ExternalRoutingEnabled. */
  routePoints: CtipsRoutePointConfig[];
  /** CallConnected's ResponseRequired (the client must answer AcceptCall); default false. */
  responseRequired: boolean;
  /** CallConnected's RejectReasonRequired (with responseRequired: AcceptCall false needs a RejectReason); default false. */
  rejectReasonRequired: boolean;
  /** Live (open, online, offline) sessions allowed; the next OpenConnection gets Status 3 (§2.6). */
  maxConnections: number;
  /** HeartbeatMessage period, ms (manual default 30 s). */
  heartbeatIntervalMs: number;
  /** A heartbeat not answered within this many ms is a failure (default min(10 s, interval)). */
  heartbeatTimeoutMs: number;
  /** Consecutive failed heartbeats after which the session is disposed (manual default 3). */
  missedHeartbeats: number;
  /** Time limit of one StartSession / PublishCTIEvent POST, ms. */
  callbackTimeoutMs: number;
}

/** The agents on the default lab's 1101–1103 (1102 and 1103 are added to the PBX by ctipsPbxConfig). */
export const ctipsAgentDevices = ['1101', '1102', '1103'] as const;

/** The passcode agent: agent1104 on the default lab's agent position 1104, passcode 123. */
export const ctipsPasscodeAgent = { loginName: 'agent1104', agentId: 1104, device: '1104', passcode: '123' } as const;

/** The route point of service 2 (external routing) and the pilot of service1 (its default route), added by withCtipsAgents. */
export const ctipsRoutePointDevice = '6200';
export const ctipsService1Pilot = '6201';

export function defaultCtipsConfig(): CtipsConfig {
  return {
    tenantId: 1,
    siteId: 1,
    switchId: 1,
    users: [
      { userName: 'Test01', password: 'Test01' },
      { userName: 'lab', password: 'lab' },
    ],
    agents: [...ctipsAgentDevices.map((device) => ({ loginName: `agent${device}`, agentId: Number(device), device })), { ...ctipsPasscodeAgent }],
    services: [{ serviceId: 1, queue: 'service1' }],
    routePoints: [{ serviceId: 2, device: ctipsRoutePointDevice, routeTimeoutSec: 10, defaultServiceId: 1 }],
    responseRequired: false,
    rejectReasonRequired: false,
    maxConnections: 10,
    heartbeatIntervalMs: 30_000,
    heartbeatTimeoutMs: 10_000,
    missedHeartbeats: 3,
    callbackTimeoutMs: 5_000,
  };
}

/** The default config with `partial` laid over it (top-level keys replace). */
export function ctipsConfig(partial: Partial<CtipsConfig> = {}): CtipsConfig {
  const c = { ...defaultCtipsConfig(), ...partial };
  if (partial.heartbeatIntervalMs !== undefined && partial.heartbeatTimeoutMs === undefined) c.heartbeatTimeoutMs = Math.min(10_000, c.heartbeatIntervalMs);
  return c;
}

/**
 * The PBX config the portal expects: the default lab plus agent positions on 1102 and 1103 (the
 * default fixture has agents on 1101 and 1104–1108 only), in service1, the route point device 6200 and
 * the pilot 6201 of service1. `partial` is laid over it.
 */
export function ctipsPbxConfig(partial: Partial<PbxConfig> = {}): PbxConfig {
  return { ...withCtipsAgents(pbxConfig()), ...partial };
}

/**
 * `base` (e.g. the lab's PBX config with other vendors' fixtures) with agent positions on those of 1101–1103 that
 * have none, the route point device 6200 (callWaiting: its calls wait there for RouteSelect) unless present, and
 * the pilot 6201 on service1 when service1 has no pilot (RouteToService 1 and the default route dial it).
 */
export function withCtipsAgents(base: PbxConfig): PbxConfig {
  const have = new Set(base.agents.map((a) => a.device));
  const extra: AgentConfig[] = ctipsAgentDevices
    .filter((d) => !have.has(d))
    .map((device) => ({ device, userID: `agent${device}`, password: '1234', inboundServices: ['service1'], wrapUpSec: 30, initialState: 'loggedOff' }));
  const devices: DeviceConfig[] = base.devices.some((d) => d.number === ctipsRoutePointDevice)
    ? base.devices
    : [...base.devices, { number: ctipsRoutePointDevice, name: 'CTIPS route point', callWaiting: true }];
  const queues = base.queues.map((q) => (q.service === 'service1' && !(q.pilots ?? []).length ? { ...q, pilots: [ctipsService1Pilot] } : q));
  return { ...base, devices, queues, agents: [...base.agents, ...extra] };
}
