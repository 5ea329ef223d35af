// Applies the state the agent queued for after the call ("Not ready after this call"). The queued
// state lives in the view (so the renderer shows it and a reload keeps it); this watches the view,
// sends setAgentState once the agent is between calls, and takes the agent event, not the reply,
// as the proof that it worked.
import { type Command, CtiError } from '../../shared/commands.js';
import type { CtiEvent } from '../../shared/events.js';
import type { AgentStateKind } from '../../shared/model.js';
import { type NextAgentState, type NextAgentStateKind, nextStateStep } from '../../shared/next-state.js';
import type { ViewStore } from './view-store.js';

export interface NextStateKeeperOptions {
  view: ViewStore;
  emit: (event: CtiEvent) => void;
  /** Runs a command on the active session (the supervisor's execute). */
  execute: (cmd: Command) => Promise<void>;
  /** How long to wait for the agent event after the command was accepted. */
  confirmMs: () => number;
  now?: () => number;
}

const stateNames: Record<NextAgentStateKind, string> = { notReady: 'Not ready', loggedOff: 'Logged off' };

export class NextStateKeeper {
  /** The queued state being sent, while its command or its confirmation is outstanding. */
  private applying: NextAgentState | null = null;
  private confirmTimer: NodeJS.Timeout | undefined;
  private stepQueued = false;
  /** Each queued state's name, taken when it was queued (a logout reason's label may be gone after the logout). */
  private readonly names = new WeakMap<NextAgentState, string>();
  private readonly unsubscribe: () => void;
  private readonly now: () => number;

  constructor(private readonly opts: NextStateKeeperOptions) {
    this.now = opts.now ?? Date.now;
    // Reacting on a microtask keeps this listener from emitting while the store still notifies others;
    // with nothing queued (nearly always) a view change costs one read.
    this.unsubscribe = opts.view.subscribe((next) => {
      if (next.nextState) this.queueStep();
    });
  }

  get pending(): NextAgentState | null {
    return this.opts.view.current.nextState;
  }

  /** Queue a state for after the call (null drops the queued one). Between calls it applies at once. */
  set(state: NextAgentStateKind | null, reason?: string): void {
    if (state === null) {
      this.drop();
      return;
    }
    const view = this.opts.view.current;
    if (!view.capabilities.includes('setAgentState')) throw new CtiError('unsupported', 'this connection cannot change the agent state');
    const agent = view.agent;
    if (!agent || agent.state === 'loggedOff' || agent.state === 'unknown') throw new CtiError('notPermitted', 'log on to the ACD first');
    this.clearApplying();
    const next: NextAgentState = { state, ...(reason !== undefined ? { reason } : {}), at: this.now() };
    this.names.set(next, this.describe(next));
    this.opts.emit({ type: 'nextState', next });
    this.queueStep();
  }

  /** The agent chose a state directly (or the profile changed): the queued one no longer applies. */
  drop(): void {
    this.clearApplying();
    if (this.pending) this.opts.emit({ type: 'nextState', next: null });
  }

  stop(): void {
    this.unsubscribe();
    this.clearApplying();
  }

  private queueStep(): void {
    if (this.stepQueued) return;
    this.stepQueued = true;
    queueMicrotask(() => {
      this.stepQueued = false;
      this.step();
    });
  }

  private step(): void {
    const next = this.pending;
    if (!next) return;
    const view = this.opts.view.current;
    const step = nextStateStep(view, next);
    if (step === 'reached') {
      const applied = this.applying === next;
      this.clearApplying();
      this.opts.emit({ type: 'nextState', next: null });
      if (applied) this.notice('info', 'nextStateApplied', `${this.nameOf(next)} now, as you asked during the call`);
      return;
    }
    if (step === 'lost') {
      this.clearApplying();
      this.opts.emit({ type: 'nextState', next: null });
      this.notice('warning', 'nextStateDropped', `${this.nameOf(next)} after the call was dropped: you are no longer logged on to the ACD`);
      return;
    }
    // The ACD offered a call before the change went through: keep the state for after that call.
    if (step === 'wait' && this.applying === next && Object.keys(view.calls).length > 0) this.clearApplying();
    if (step === 'apply' && this.applying !== next) void this.apply(next, view.agent?.state ?? 'unknown');
  }

  private nameOf(next: NextAgentState): string {
    return this.names.get(next) ?? this.describe(next);
  }

  /** "Not ready (Lunch)"; a logout reason by its label where the site has one. */
  private describe(next: Pick<NextAgentState, 'state' | 'reason'>): string {
    const label = next.state === 'loggedOff' ? this.opts.view.current.agent?.codes?.logout.find((c) => c.id === next.reason)?.label : undefined;
    const reason = label ?? next.reason;
    return `${stateNames[next.state]}${reason ? ` (${reason})` : ''}`;
  }

  private async apply(next: NextAgentState, from: AgentStateKind): Promise<void> {
    this.applying = next;
    try {
      await this.opts.execute({ kind: 'setAgentState', state: next.state, ...(next.reason !== undefined ? { reason: next.reason } : {}) });
    } catch (err) {
      if (this.applying === next) this.fail(next, from, CtiError.from(err).message);
      return;
    }
    if (this.applying !== next) return;
    // The reply is not the change: wait for the agent event (step() sees `reached`).
    this.confirmTimer = setTimeout(() => {
      if (this.applying === next && this.pending === next) this.fail(next, from, `the ACD did not confirm it within ${Math.round(this.opts.confirmMs() / 1000)} s`);
    }, this.opts.confirmMs());
    this.queueStep();
  }

  private fail(next: NextAgentState, from: AgentStateKind, why: string): void {
    this.clearApplying();
    if (this.pending === next) this.opts.emit({ type: 'nextState', next: null });
    const now = this.opts.view.current.agent?.state ?? from;
    this.notice('error', 'nextStateFailed', `Could not change to ${this.nameOf(next)} after the call: ${why}. You are ${stateLabel(now)}: choose a state.`);
  }

  private clearApplying(): void {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = undefined;
    this.applying = null;
  }

  private notice(level: 'info' | 'warning' | 'error', code: string, message: string): void {
    this.opts.emit({ type: 'notice', level, code, message, at: this.now() });
  }
}

const agentStateNames: Record<AgentStateKind, string> = {
  loggedOff: 'logged off',
  loggedOn: 'logged on',
  notReady: 'not ready',
  ready: 'ready',
  busy: 'on a call',
  wrapUp: 'in wrap-up',
  unknown: 'in an unknown state',
};
const stateLabel = (s: AgentStateKind) => agentStateNames[s];
