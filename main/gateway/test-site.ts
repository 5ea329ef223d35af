// An in-memory SiteConnection for the gateway's tests: no vendor, no sockets. Each scoped
// connector records the commands it ran; the test emits events per station (an agent's connector
// gets its own station's, a supervisor's gets every station's) and can drop the whole site.
import { type Command, type CommandKind, CtiError, type Query } from '../../shared/commands.js';
import type { CtiEvent, SnapshotEvent } from '../../shared/events.js';
import type { Connector, ConnectorListeners, KeepAliveResult, QueryResult } from '../core/connector.js';
import type { SiteConnection, SiteLinkState, SiteScope } from '../core/site.js';

export const testSiteCapabilities: ReadonlySet<CommandKind> = new Set<CommandKind>(['makeCall', 'answer', 'clear', 'hold', 'retrieve', 'setAgentState', 'snapshot']);

type Waiter = { pred: () => boolean; resolve: () => void };

export class TestScopedConnector implements Connector {
  readonly vendor = 'ctips' as const;
  readonly capabilities = testSiteCapabilities;
  readonly extraCapabilities = ['team'] as const;
  readonly commands: Command[] = [];
  readonly queries: Query[] = [];
  started = false;
  stopped = false;
  listeners: ConnectorListeners | null = null;

  constructor(
    private readonly site: TestSite,
    readonly scope: SiteScope,
  ) {}

  setListeners(l: ConnectorListeners): void {
    this.listeners = l;
  }

  async start(): Promise<void> {
    if (this.site.link.state !== 'up') throw new CtiError('notConnected', 'the site is down');
    this.started = true;
    this.site.changed();
  }

  async snapshot(): Promise<SnapshotEvent> {
    return { type: 'snapshot', at: 1, calls: [], agent: { state: 'loggedOn', agentId: this.scope.login, since: 1, permitted: [], services: [] } };
  }

  async keepAlive(): Promise<KeepAliveResult> {
    if (this.site.link.state !== 'up') throw new CtiError('notConnected', 'the site is down');
    return { missedEvents: 0, pbxLinkUp: true };
  }

  async execute(cmd: Command): Promise<void> {
    if (cmd.kind === 'clear' && cmd.callId === 'no-such-call') throw new CtiError('noCall', 'no call no-such-call', 'CallNotFound');
    this.commands.push(cmd);
    this.site.changed();
  }

  async query(q: Query): Promise<QueryResult> {
    this.queries.push(q);
    if (q.kind === 'directory') return [{ number: this.scope.station, name: `${this.scope.login} at ${this.scope.station}` }];
    return [];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.started = false;
    this.site.changed();
  }

  /** Receives this event (started and either the station's agent or a supervisor). */
  sees(station: string): boolean {
    return this.started && !this.stopped && (this.scope.role === 'supervisor' || this.scope.station === station);
  }
}

export class TestSite implements SiteConnection {
  link: SiteLinkState = { state: 'connecting', detail: 'not started' };
  readonly connectors: TestScopedConnector[] = [];
  private readonly linkListeners = new Set<(l: SiteLinkState) => void>();
  private readonly waiters = new Set<Waiter>();
  stopped = false;

  async start(): Promise<void> {
    this.setLink({ state: 'up', detail: 'test site up', server: 'memory://site' });
  }

  connectorFor(scope: SiteScope): TestScopedConnector {
    const c = new TestScopedConnector(this, { ...scope });
    this.connectors.push(c);
    this.changed();
    return c;
  }

  onLink(listener: (link: SiteLinkState) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.setLink({ state: 'down', detail: 'stopped' });
  }

  setLink(link: SiteLinkState): void {
    this.link = link;
    for (const l of this.linkListeners) l(link);
    this.changed();
  }

  /** Deliver an event about `station` to every connector that may see it; returns how many got it. */
  emit(station: string, event: CtiEvent | unknown): number {
    let n = 0;
    for (const c of this.connectors) {
      if (c.sees(station)) {
        c.listeners?.event(event as CtiEvent);
        n += 1;
      }
    }
    return n;
  }

  /** The shared session dropped: every started connector reports `lost`. */
  lose(err = new CtiError('sessionLost', 'the portal dropped the site session')): void {
    this.setLink({ state: 'down', detail: err.message });
    for (const c of this.connectors) if (c.started && !c.stopped) c.listeners?.lost(err);
  }

  /** Started connectors, optionally for one login. */
  active(login?: string): TestScopedConnector[] {
    return this.connectors.filter((c) => c.started && !c.stopped && (login === undefined || c.scope.login === login));
  }

  /** Resolves when `pred` holds (checked now and after every change), or rejects after `timeoutMs`. */
  until(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        pred,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`test site: ${what} not reached within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  changed(): void {
    for (const w of [...this.waiters]) {
      if (w.pred()) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }
}

export function createTestSite(): TestSite {
  return new TestSite();
}
