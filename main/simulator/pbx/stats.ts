// Activity counters: per user (device) and per queue. Durations are kept in protocol seconds.
import type { AgentState } from './types.js';

export class DurationStat {
  count = 0;
  totalSec = 0;
  maxSec = 0;

  add(sec: number): void {
    this.count++;
    this.totalSec += sec;
    this.maxSec = Math.max(this.maxSec, sec);
  }

  get avgSec(): number {
    return this.count === 0 ? 0 : Math.round(this.totalSec / this.count);
  }
}

/** Agent-state time buckets, as the statistics name them ("directCall" = logged on and in a non-ACD call). */
export const stateBuckets = ['loggedOff', 'loggedOn', 'notReady', 'ready', 'directCall', 'workingAfterCall', 'busy'] as const;
export type StateBucket = (typeof stateBuckets)[number];

export class UserStats {
  incomingFailed = 0;
  incomingAlerting = 0;
  agentIncomingAlerting = 0;
  incomingConnected = 0;
  agentIncomingConnected = 0;
  incomingAbandoned = 0;
  agentIncomingAbandoned = 0;
  readonly incomingAlertingDur = new DurationStat();
  readonly agentIncomingAlertingDur = new DurationStat();
  readonly incomingConnectedDur = new DurationStat();
  readonly agentIncomingConnectedDur = new DurationStat();
  outgoingOriginated = 0;
  agentOutgoingOriginated = 0;
  outgoingConnected = 0;
  agentOutgoingConnected = 0;
  readonly outgoingConnectedDur = new DurationStat();
  readonly agentOutgoingConnectedDur = new DurationStat();
  /** Milliseconds spent per bucket, closed periods only (see timeIn). */
  private readonly closedMs: Record<StateBucket, number> = {
    loggedOff: 0,
    loggedOn: 0,
    notReady: 0,
    ready: 0,
    directCall: 0,
    workingAfterCall: 0,
    busy: 0,
  };
  private state: AgentState;
  private since: number;

  constructor(
    readonly start: number,
    initialState: AgentState,
  ) {
    this.state = initialState;
    this.since = start;
  }

  /** Note an agent state change at `now`. */
  agentStateChanged(state: AgentState, now: number): void {
    this.close(now);
    this.state = state;
  }

  /** Milliseconds spent in each bucket up to `now`. */
  timeIn(now: number): Record<StateBucket, number> {
    const out = { ...this.closedMs };
    this.addPeriod(out, this.state, now - this.since);
    return out;
  }

  private close(now: number): void {
    this.addPeriod(this.closedMs, this.state, now - this.since);
    this.since = now;
  }

  private addPeriod(into: Record<StateBucket, number>, state: AgentState, ms: number): void {
    if (state === 'null') return;
    if (state === 'loggedOff') {
      into.loggedOff += ms;
      return;
    }
    into.loggedOn += ms;
    if (state !== 'loggedOn') into[state] += ms;
  }
}

export class QueueStats {
  routedToAssignedAgent = 0;
  routedToDistribution = 0;
  routedToFailureRoute = 0;
  readonly queuedDur = new DurationStat();
  incomingCalls = 0;
  abandonedImmediately = 0;
  abandonedOnAgent = 0;
  abandonedOnQueue = 0;
  incomingConnected = 0;
  readonly alertingDur = new DurationStat();
  readonly connectedDur = new DurationStat();

  constructor(readonly start: number) {}
}
