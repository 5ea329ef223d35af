// The connector contract: one implementation per vendor under main/connectors/<vendor>/.
// The session supervisor owns a connector for the lifetime of a profile and drives it through
// start → (snapshot, keepAlive, execute, query)* → stop, calling start again after a loss.
// A connector keeps its listeners and its call-identity table across restarts, so a reconnect
// never leaves a listener dead or gives a surviving call a new id.
import type { CallLogRow } from '../../shared/calllog.js';
import type { Command, CommandKind, CtiError, Query } from '../../shared/commands.js';
import type { CtiEvent, SnapshotEvent } from '../../shared/events.js';
import type { DirectoryEntry, QueueStats, Vendor } from '../../shared/model.js';
import type { Profile, ProfileSecret } from '../../shared/profile.js';
import type { Logger } from './log.js';

export interface KeepAliveResult {
  /** Changes the keep-alive found that no event had reported (lost events). */
  missedEvents: number;
  /** Whether the vendor reports its PBX link in service. */
  pbxLinkUp: boolean;
  /** The state the keep-alive already fetched, when it found missed events (saves a round trip). */
  snapshot?: SnapshotEvent;
}

export type QueryResult = DirectoryEntry[] | CallLogRow[] | QueueStats[];

export interface ConnectorListeners {
  /** A normalized event. */
  event(e: CtiEvent): void;
  /** The session or the connection was lost; the supervisor reconnects. */
  lost(err: CtiError): void;
  /**
   * The event feed in use changed (vendors with several feeds, e.g. TWS falling back from its TCP
   * socket to polling); null when none is open. Shown with the link state.
   */
  feed?(feed: string | null): void;
}

export interface Connector {
  readonly vendor: Vendor;
  /** Commands this vendor supports at all; anything else gets CtiError('unsupported'). */
  readonly capabilities: ReadonlySet<CommandKind>;
  /** Abilities beyond commands that the UI offers (shared/admin.ts: `admin`, `team`); advertised with the capabilities. */
  readonly extraCapabilities?: readonly string[];
  /** Connect, authenticate, open the session and start the event feed. Throws CtiError. */
  start(): Promise<void>;
  /** Full state from the vendor, as one snapshot event. */
  snapshot(): Promise<SnapshotEvent>;
  /** Keep the session alive and verify it. Throws CtiError when the link is gone. */
  keepAlive(): Promise<KeepAliveResult>;
  /** Run a command. Resolves when the vendor accepted it (the state change comes as an event). */
  execute(cmd: Command): Promise<void>;
  query(q: Query): Promise<QueryResult>;
  /** Close the session and release sockets. Never throws. */
  stop(): Promise<void>;
  /** Register the (single, long-lived) listener set. */
  setListeners(l: ConnectorListeners): void;
}

export interface ConnectorDeps {
  profile: Profile;
  secret: ProfileSecret | null;
  log: Logger;
  /** Clock, injectable for tests. */
  now?: () => number;
}

export type ConnectorFactory = (deps: ConnectorDeps) => Connector;
