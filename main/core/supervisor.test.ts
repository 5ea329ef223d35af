import { afterEach, describe, expect, it } from 'vitest';
import { type Command, type CommandKind, CtiError } from '../../shared/commands.js';
import type { CtiEvent, SnapshotEvent } from '../../shared/events.js';
import type { LinkStateKind } from '../../shared/model.js';
import { Profile } from '../../shared/profile.js';
import type { Connector, ConnectorListeners, KeepAliveResult } from './connector.js';
import { silentLogger } from './log.js';
import { SessionSupervisor } from './supervisor.js';

/** A scriptable connector: each method's behaviour is set by the test. */
class FakeConnector implements Connector {
  readonly vendor = 'telservices' as const;
  readonly capabilities: ReadonlySet<CommandKind> = new Set<CommandKind>(['makeCall', 'answer', 'snapshot']);
  listeners: ConnectorListeners | null = null;
  listenerSets = 0;
  startResults: (Error | null)[] = [];
  starts = 0;
  stops = 0;
  keepAlives = 0;
  keepAliveResult: KeepAliveResult | Error = { missedEvents: 0, pbxLinkUp: true };
  executed: Command[] = [];
  executeImpl: (cmd: Command) => Promise<void> = async () => {};
  snapshots = 0;

  setListeners(l: ConnectorListeners) {
    this.listeners = l;
    this.listenerSets += 1;
  }
  async start() {
    this.starts += 1;
    const r = this.startResults.shift();
    if (r) throw r;
  }
  async snapshot(): Promise<SnapshotEvent> {
    this.snapshots += 1;
    return { type: 'snapshot', at: Date.now(), calls: [] };
  }
  async keepAlive() {
    this.keepAlives += 1;
    const r = this.keepAliveResult;
    if (r instanceof Error) throw r;
    return r;
  }
  async execute(cmd: Command) {
    this.executed.push(cmd);
    return this.executeImpl(cmd);
  }
  async query() {
    return [];
  }
  async stop() {
    this.stops += 1;
  }
}

const profile = Profile.parse({
  id: 'p',
  name: 'P',
  device: '1101',
  connection: { vendor: 'telservices', host: '127.0.0.1', port: 1 },
  keepAliveSec: 0.2,
  commandTimeoutMs: 300,
  reconnect: { initialMs: 50, maxMs: 200 },
});

let sup: SessionSupervisor | null = null;
afterEach(async () => {
  await sup?.stop();
  sup = null;
});

/** Keep-alives and retries far away, so only a check brings them forward. */
const patientProfile = Profile.parse({ ...profile, keepAliveSec: 600, reconnect: { initialMs: 60_000, maxMs: 120_000 } });

function setup(fake = new FakeConnector(), withProfile: Profile = profile) {
  const events: CtiEvent[] = [];
  const linkWaiters: { state: LinkStateKind; resolve: () => void }[] = [];
  sup = new SessionSupervisor({
    profile: withProfile,
    connector: fake,
    log: silentLogger(),
    emit: (e) => {
      events.push(e);
      if (e.type === 'link') {
        for (const w of linkWaiters.filter((x) => x.state === e.link.state)) {
          linkWaiters.splice(linkWaiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
  });
  const waitLink = (state: LinkStateKind) => new Promise<void>((resolve) => linkWaiters.push({ state, resolve }));
  return { fake, events, sup, waitLink };
}

describe('SessionSupervisor', () => {
  it('connects, takes a snapshot, then reports the link up', async () => {
    const { fake, events, sup, waitLink } = setup();
    const up = waitLink('up');
    sup.start();
    await up;
    expect(fake.snapshots).toBe(1);
    const kinds = events.map((e) => (e.type === 'link' ? `link:${e.link.state}` : e.type));
    expect(kinds).toEqual(['session', 'link:connecting', 'snapshot', 'link:up']);
  });

  it('stops a connector whose start finished after the session was stopped (no session outlives stop)', async () => {
    class SlowStart extends FakeConnector {
      release: () => void = () => {};
      override async start() {
        this.starts += 1;
        await new Promise<void>((resolve) => (this.release = resolve));
      }
    }
    const slow = new SlowStart();
    const { sup } = setup(slow);
    sup.start();
    expect(slow.starts).toBe(1);
    await sup.stop();
    const stopsAtStop = slow.stops;
    slow.release();
    await new Promise((r) => setImmediate(r));
    expect(slow.stops).toBe(stopsAtStop + 1);
    expect(slow.snapshots).toBe(0);
  });

  it('shows the feed the connector reports with the link, and keeps it across link changes', async () => {
    const { fake, events, sup, waitLink } = setup();
    const up = waitLink('up');
    sup.start();
    await up;
    fake.listeners?.feed?.('TCP event socket');
    expect(sup.linkState).toMatchObject({ state: 'up', feed: 'TCP event socket' });
    const before = events.length;
    fake.listeners?.feed?.('TCP event socket');
    expect(events.length).toBe(before);
    const down = waitLink('down');
    fake.keepAliveResult = new CtiError('unreachable', 'connection refused');
    await down;
    expect(sup.linkState.feed).toBe('TCP event socket');
    fake.listeners?.feed?.(null);
    expect(sup.linkState.feed).toBeUndefined();
    const last = events[events.length - 1];
    expect(last?.type === 'link' && last.link.feed).toBe(undefined);
  });

  it('shows the link degraded while the connector re-opens a lost event feed, then up on the new one', async () => {
    const { fake, sup, waitLink } = setup();
    const up = waitLink('up');
    sup.start();
    await up;
    fake.listeners?.feed?.('TCP event socket');
    fake.listeners?.feed?.(null);
    expect(sup.linkState).toMatchObject({ state: 'degraded', detail: expect.stringMatching(/event feed was lost/) });
    expect(sup.linkState.feed).toBeUndefined();
    fake.listeners?.feed?.('WebSocket');
    expect(sup.linkState).toMatchObject({ state: 'up', feed: 'WebSocket' });
  });

  it('retries with backoff after a failed connect and keeps one listener set', async () => {
    const fake = new FakeConnector();
    fake.startResults = [new CtiError('unreachable', 'refused'), new CtiError('unreachable', 'refused')];
    const { events, sup, waitLink } = setup(fake);
    const up = waitLink('up');
    sup.start();
    await up;
    expect(fake.starts).toBe(3);
    expect(fake.listenerSets).toBe(1);
    const down = events.filter((e) => e.type === 'link' && e.link.state === 'down');
    expect(down).toHaveLength(2);
    const first = down[0];
    expect(first?.type === 'link' && first.link.retryAt).toBeGreaterThan(0);
  });

  it('detects a lost link from the keep-alive, reconnects and resyncs', async () => {
    const { fake, sup, waitLink } = setup();
    const up = waitLink('up');
    sup.start();
    await up;
    const down = waitLink('down');
    fake.keepAliveResult = new CtiError('unreachable', 'connection refused');
    await down;
    fake.keepAliveResult = { missedEvents: 0, pbxLinkUp: true };
    await waitLink('up');
    expect(fake.snapshots).toBe(2);
  });

  it('reports degraded while the PBX link is out of service and recovers', async () => {
    const { fake, sup, waitLink } = setup();
    const up = waitLink('up');
    sup.start();
    await up;
    const degraded = waitLink('degraded');
    fake.listeners?.event({ type: 'notice', level: 'warning', code: 'pbxLinkDown', message: 'PBX link down', at: 1 });
    await degraded;
    expect(sup.linkState.detail).toMatch(/PBX link/);
    const back = waitLink('up');
    fake.listeners?.event({ type: 'notice', level: 'info', code: 'pbxLinkUp', message: 'PBX link up', at: 2 });
    await back;
  });

  it('re-syncs and reports degraded when the keep-alive finds missed events', async () => {
    const { fake, sup, waitLink } = setup();
    const up = waitLink('up');
    sup.start();
    await up;
    fake.keepAliveResult = { missedEvents: 2, pbxLinkUp: true };
    await waitLink('degraded');
    expect(fake.snapshots).toBeGreaterThanOrEqual(2);
  });

  it('reconnects when the connector reports the session lost', async () => {
    const { fake, sup, waitLink } = setup();
    const up = waitLink('up');
    sup.start();
    await up;
    const down = waitLink('down');
    fake.listeners?.lost(new CtiError('sessionLost', 'closed by admin'));
    await down;
    await waitLink('up');
    expect(fake.starts).toBe(2);
  });

  it('rejects unsupported commands with a typed error and times out silent ones', async () => {
    const { fake, sup, waitLink } = setup();
    const up = waitLink('up');
    sup.start();
    await up;
    await expect(sup.execute({ kind: 'sendDtmf', callId: 'x', digits: '1' })).rejects.toMatchObject({ code: 'unsupported' });
    fake.executeImpl = () => new Promise(() => {});
    await expect(sup.execute({ kind: 'makeCall', to: '1102' })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('refuses commands while not connected', async () => {
    const fake = new FakeConnector();
    fake.startResults = [new CtiError('unreachable', 'refused')];
    const { sup, waitLink } = setup(fake);
    const down = waitLink('down');
    sup.start();
    await down;
    await expect(sup.execute({ kind: 'makeCall', to: '1102' })).rejects.toMatchObject({ code: 'notConnected' });
  });

  describe('checking the link now (wake from sleep, network change, "Retry now")', () => {
    it('probes a live session at once, and reconnects when the probe fails', async () => {
      const { fake, sup, waitLink } = setup(new FakeConnector(), patientProfile);
      const up = waitLink('up');
      sup.start();
      await up;
      expect(fake.keepAlives).toBe(0);
      fake.keepAliveResult = new CtiError('unreachable', 'connection reset');
      const down = waitLink('down');
      sup.checkLink('the computer woke up');
      await down;
      expect(fake.keepAlives).toBe(1);
      expect(sup.linkState.detail).toBe('connection reset');
    });

    it('keeps a live session that answers the probe, and probes again only at the keep-alive interval', async () => {
      const { fake, events, sup, waitLink } = setup(new FakeConnector(), patientProfile);
      const up = waitLink('up');
      sup.start();
      await up;
      const before = events.length;
      sup.checkLink('network addresses changed');
      sup.checkLink('network addresses changed');
      await new Promise((r) => setImmediate(r));
      expect(fake.keepAlives).toBe(1);
      expect(sup.linkState.state).toBe('up');
      expect(events.slice(before).filter((e) => e.type === 'link')).toEqual([]);
    });

    /** A first connect refused: the link is down with the next attempt a minute away. */
    async function downWithRetryPending() {
      const fake = new FakeConnector();
      fake.startResults = [new CtiError('unreachable', 'refused')];
      const t = setup(fake, patientProfile);
      const down = t.waitLink('down');
      t.sup.start();
      await down;
      return t;
    }

    it('brings a retry scheduled a minute away forward, as a command the renderer may send while down', async () => {
      const { fake, sup, waitLink } = await downWithRetryPending();
      // A minute away, less the backoff's jitter (at most 30 %).
      expect(sup.linkState.retryAt).toBeGreaterThan(Date.now() + 40_000);
      const up = waitLink('up');
      await sup.execute({ kind: 'checkLink' });
      await up;
      expect(fake.starts).toBe(2);
      expect(fake.snapshots).toBe(1);
    });

    it('does nothing once stopped', async () => {
      const { fake, sup } = await downWithRetryPending();
      await sup.stop();
      sup.checkLink('the computer woke up');
      await new Promise((r) => setImmediate(r));
      expect(fake.starts).toBe(1);
    });
  });
});
