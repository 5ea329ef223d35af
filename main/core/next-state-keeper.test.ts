import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Command, CtiError } from '../../shared/commands.js';
import type { CtiEvent } from '../../shared/events.js';
import type { AgentInfo, AgentStateKind } from '../../shared/model.js';
import { nextStateStep } from '../../shared/next-state.js';
import { makeCall, makeView } from '../../shared/test-fixtures.js';
import { NextStateKeeper } from './next-state-keeper.js';
import { ViewStore } from './view-store.js';
import { viewWaiter } from './view-waiter.js';

const agent = (state: AgentStateKind, over: Partial<AgentInfo> = {}): AgentInfo => ({ state, since: 0, permitted: [], services: [], ...over });

describe('nextStateStep', () => {
  it('waits while a call is on the device or the agent is busy or in wrap-up', () => {
    expect(nextStateStep(makeView([makeCall('c1')], { agent: agent('busy') }), { state: 'notReady' })).toBe('wait');
    expect(nextStateStep(makeView([makeCall('c1', { state: 'held' })], { agent: agent('ready') }), { state: 'notReady' })).toBe('wait');
    expect(nextStateStep(makeView([], { agent: agent('wrapUp') }), { state: 'notReady' })).toBe('wait');
    expect(nextStateStep(makeView([], { agent: agent('busy') }), { state: 'loggedOff' })).toBe('wait');
  });

  it('applies between calls, and is reached in the state itself', () => {
    expect(nextStateStep(makeView([], { agent: agent('ready') }), { state: 'notReady' })).toBe('apply');
    expect(nextStateStep(makeView([], { agent: agent('loggedOn') }), { state: 'notReady' })).toBe('apply');
    expect(nextStateStep(makeView([], { agent: agent('notReady') }), { state: 'loggedOff' })).toBe('apply');
    expect(nextStateStep(makeView([], { agent: agent('notReady') }), { state: 'notReady' })).toBe('reached');
    expect(nextStateStep(makeView([makeCall('c1')], { agent: agent('notReady') }), { state: 'notReady' })).toBe('reached');
  });

  it('is lost when the agent is logged off, unless logging off was the point', () => {
    expect(nextStateStep(makeView([], { agent: agent('loggedOff') }), { state: 'notReady' })).toBe('lost');
    expect(nextStateStep(makeView([], { agent: null }), { state: 'notReady' })).toBe('lost');
    expect(nextStateStep(makeView([], { agent: agent('loggedOff') }), { state: 'loggedOff' })).toBe('reached');
  });
});

/** A view fed by the test (the ACD's events) and a keeper whose commands the test answers. */
function rig(opts: { execute?: (cmd: Command, emit: (e: CtiEvent) => void) => Promise<void>; confirmMs?: number } = {}) {
  const view = new ViewStore(() => 0);
  const emit = (e: CtiEvent) => view.apply(e);
  const sent: Command[] = [];
  const keeper = new NextStateKeeper({
    view,
    emit,
    execute: async (cmd) => {
      sent.push(cmd);
      await opts.execute?.(cmd, emit);
    },
    confirmMs: () => opts.confirmMs ?? 2000,
    now: () => 42,
  });
  emit({ type: 'session', profileId: 'p', vendor: 'telservices', device: '1101', capabilities: ['setAgentState'] });
  const until = viewWaiter(view, 2000);
  const notices = () => view.current.notices.map((n) => `${n.level} ${n.code}: ${n.message}`);
  return { view, emit, sent, keeper, until, notices };
}

/** An ACD that takes setAgentState at once and reports it. */
const obedientAcd = async (cmd: Command, emit: (e: CtiEvent) => void) => {
  if (cmd.kind === 'setAgentState') emit({ type: 'agent', agent: agent(cmd.state, cmd.reason ? { reason: cmd.reason } : {}) });
};

let keepers: NextStateKeeper[] = [];
afterEach(() => {
  for (const k of keepers) k.stop();
  keepers = [];
  vi.useRealTimers();
});

describe('NextStateKeeper', () => {
  it('holds the state through the call and its wrap-up, then sends it once and confirms it from the agent event', async () => {
    const r = rig({ execute: obedientAcd });
    keepers.push(r.keeper);
    r.emit({ type: 'agent', agent: agent('busy') });
    r.emit({ type: 'call', change: 'connected', call: makeCall('c1') });
    r.keeper.set('notReady', 'Lunch');
    expect(r.view.current.nextState).toEqual({ state: 'notReady', reason: 'Lunch', at: 42 });

    r.emit({ type: 'callEnded', callId: 'c1', at: 2000 });
    r.emit({ type: 'agent', agent: agent('wrapUp', { timeoutSec: 30 }) });
    await Promise.resolve();
    expect(r.sent).toEqual([]);

    r.emit({ type: 'agent', agent: agent('ready') });
    const done = await r.until((s) => s.nextState === null, 'the queued state to be applied');
    expect(r.sent).toEqual([{ kind: 'setAgentState', state: 'notReady', reason: 'Lunch' }]);
    expect(done.agent).toMatchObject({ state: 'notReady', reason: 'Lunch' });
    expect(r.notices()).toEqual(['info nextStateApplied: Not ready (Lunch) now, as you asked during the call']);
  });

  it('applies at once when the agent is already between calls', async () => {
    const r = rig({ execute: obedientAcd });
    keepers.push(r.keeper);
    r.emit({ type: 'agent', agent: agent('ready') });
    r.keeper.set('loggedOff');
    await r.until((s) => s.agent?.state === 'loggedOff' && s.nextState === null, 'the agent logged off');
    expect(r.sent).toEqual([{ kind: 'setAgentState', state: 'loggedOff' }]);
  });

  it('refuses without an ACD agent or without agent states, with the reason', () => {
    const r = rig();
    keepers.push(r.keeper);
    expect(() => r.keeper.set('notReady')).toThrow(/log on to the ACD first/);
    r.emit({ type: 'agent', agent: agent('loggedOff') });
    expect(() => r.keeper.set('notReady')).toThrow(CtiError);
    r.emit({ type: 'session', profileId: 'p', vendor: 'telservices', device: '1101', capabilities: [] });
    r.emit({ type: 'agent', agent: agent('busy') });
    expect(() => r.keeper.set('notReady')).toThrow(/cannot change the agent state/);
    expect(r.view.current.nextState).toBeNull();
  });

  it('reports a refused change, drops the queued state and names the state the agent is left in', async () => {
    const r = rig({
      execute: async () => {
        throw new CtiError('rejected', 'pbxReject: state change refused');
      },
    });
    keepers.push(r.keeper);
    r.emit({ type: 'agent', agent: agent('busy') });
    r.keeper.set('notReady');
    r.emit({ type: 'agent', agent: agent('ready') });
    await r.until((s) => s.nextState === null, 'the queued state to be dropped');
    expect(r.notices()).toEqual(['error nextStateFailed: Could not change to Not ready after the call: pbxReject: state change refused. You are ready: choose a state.']);
    expect(r.sent).toHaveLength(1);
  });

  it('does not take an accepted reply for the change: no agent event within the confirmation time is a failure', async () => {
    const r = rig({ confirmMs: 50 });
    keepers.push(r.keeper);
    r.emit({ type: 'agent', agent: agent('busy') });
    r.keeper.set('notReady', 'Break');
    r.emit({ type: 'agent', agent: agent('ready') });
    await r.until((s) => s.nextState === null, 'the unconfirmed change to be given up');
    expect(r.notices()[0]).toMatch(/^error nextStateFailed: Could not change to Not ready \(Break\) after the call: the ACD did not confirm it/);
  });

  it('keeps the state for after the next call when the ACD offers one before the change went through', async () => {
    let answer: (() => void) | undefined;
    const r = rig({
      execute: (cmd, emit) =>
        new Promise<void>((resolve, reject) => {
          if (r.sent.length === 1) {
            // The first attempt loses the race: a call is offered, the ACD refuses the change.
            emit({ type: 'call', change: 'alerting', call: makeCall('c2', { state: 'alerting' }) });
            reject(new CtiError('notPermitted', 'a call is being offered'));
            return;
          }
          answer = () => {
            void obedientAcd(cmd, emit);
            resolve();
          };
        }),
    });
    keepers.push(r.keeper);
    r.emit({ type: 'agent', agent: agent('busy') });
    r.keeper.set('notReady');
    r.emit({ type: 'agent', agent: agent('ready') });
    await r.until((s) => s.calls.c2 !== undefined, 'the second call');
    await Promise.resolve();
    expect(r.view.current.nextState).toMatchObject({ state: 'notReady' });
    expect(r.notices()).toEqual([]);

    r.emit({ type: 'agent', agent: agent('busy') });
    r.emit({ type: 'callEnded', callId: 'c2', at: 3000 });
    r.emit({ type: 'agent', agent: agent('ready') });
    await vi.waitFor(() => expect(answer).toBeDefined());
    answer?.();
    await r.until((s) => s.agent?.state === 'notReady' && s.nextState === null, 'not ready after the second call');
    expect(r.sent).toHaveLength(2);
  });

  it('drops the queued state when the agent logs off meanwhile, and on request, without sending anything', async () => {
    const r = rig({ execute: obedientAcd });
    keepers.push(r.keeper);
    r.emit({ type: 'agent', agent: agent('busy') });
    r.keeper.set('notReady');
    r.emit({ type: 'agent', agent: agent('loggedOff') });
    await r.until((s) => s.nextState === null, 'the queued state to be dropped');
    expect(r.notices()).toEqual(['warning nextStateDropped: Not ready after the call was dropped: you are no longer logged on to the ACD']);

    r.emit({ type: 'agent', agent: agent('busy') });
    r.keeper.set('notReady');
    r.keeper.set(null);
    expect(r.view.current.nextState).toBeNull();
    r.emit({ type: 'agent', agent: agent('ready') });
    await Promise.resolve();
    expect(r.sent).toEqual([]);
  });

  it('names a logout reason by the label the site gave it', async () => {
    const r = rig({ execute: obedientAcd });
    keepers.push(r.keeper);
    r.emit({ type: 'agent', agent: agent('busy', { codes: { logout: [{ id: '7', label: 'End of shift' }], disposition: [], reject: [] } }) });
    r.keeper.set('loggedOff', '7');
    r.emit({ type: 'agent', agent: agent('ready', { codes: { logout: [{ id: '7', label: 'End of shift' }], disposition: [], reject: [] } }) });
    await r.until((s) => s.nextState === null, 'logged off');
    expect(r.sent).toEqual([{ kind: 'setAgentState', state: 'loggedOff', reason: '7' }]);
    expect(r.notices()).toEqual(['info nextStateApplied: Logged off (End of shift) now, as you asked during the call']);
  });
});
