// A site connection: one vendor session shared by many agents (the CTIPS portal allows 10 client
// connections for a whole site, so a gateway holds one and serves every desktop through it). The
// site keeps its session up on its own (reconnecting and failing over after a loss); each agent
// gets a Connector restricted to its own agent and station, which a gateway drives exactly as a
// desktop's supervisor drives a direct connector.
import type { Connector, ConnectorDeps } from './connector.js';

export interface SiteScope {
  /** The agent's login name (CTIPS AgentLoginName); a supervisor's own name. */
  login: string;
  /** The station (PBX device) the agent works at. */
  station: string;
  /** `supervisor`: also sees every agent and service of the site. */
  role: 'agent' | 'supervisor';
}

export interface SiteLinkState {
  state: 'connecting' | 'up' | 'down';
  detail: string;
  /** The vendor server in use, e.g. `http://portal-a:8700`. */
  server?: string;
}

export interface SiteConnection {
  /** Start the shared session and keep it up (reconnecting with backoff); resolves once it is first up or throws CtiError. */
  start(): Promise<void>;
  /**
   * A connector for one agent at one station, on the shared session. Its start() fails with
   * CtiError('notConnected') while the site is down; it reports `lost` when the site loses its
   * session, and its stop() never closes the site.
   */
  connectorFor(scope: SiteScope): Connector;
  readonly link: SiteLinkState;
  onLink(listener: (link: SiteLinkState) => void): () => void;
  /** Close the shared session. Never throws. */
  stop(): Promise<void>;
}

export type SiteConnectionFactory = (deps: ConnectorDeps) => SiteConnection;
