import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentInfo } from '../../shared/model.js';
import { satisfies, useAgentPending } from './agentPending.js';

const agent = (state: AgentInfo['state'], reason?: string): AgentInfo => ({
  state,
  since: 0,
  permitted: [],
  services: [],
  ...(reason ? { reason } : {}),
});

beforeEach(() => useAgentPending.getState().cancel());

describe('agent state pending', () => {
  it('is satisfied only by the requested state (and reason when given)', () => {
    expect(satisfies(agent('ready'), { state: 'ready', at: 0 })).toBe(true);
    expect(satisfies(agent('notReady', 'Lunch'), { state: 'notReady', reason: 'Break', at: 0 })).toBe(false);
    expect(satisfies(agent('notReady', 'Break'), { state: 'notReady', reason: 'Break', at: 0 })).toBe(true);
    expect(satisfies(null, { state: 'ready', at: 0 })).toBe(false);
  });

  it('a logout with a reason code is satisfied by the logged-off state (the code is not reported back)', () => {
    expect(satisfies(agent('loggedOff'), { state: 'loggedOff', reason: '3', at: 0 })).toBe(true);
    expect(satisfies(agent('notReady'), { state: 'loggedOff', reason: '3', at: 0 })).toBe(false);
  });

  it('takes any logged-on state as the result of a logon (an ACD may make the agent ready at once)', () => {
    const logon = { state: 'loggedOn' as const, at: 0 };
    expect(satisfies(agent('ready'), logon)).toBe(true);
    expect(satisfies(agent('notReady'), logon)).toBe(true);
    expect(satisfies(agent('loggedOn'), logon)).toBe(true);
    expect(satisfies(agent('loggedOff'), logon)).toBe(false);
    expect(satisfies(agent('unknown'), logon)).toBe(false);
  });

  it('stays pending through unrelated agent events, clears on the confirming one', () => {
    const store = useAgentPending.getState();
    store.begin({ state: 'ready', at: 0 });
    useAgentPending.getState().settle(agent('notReady'));
    expect(useAgentPending.getState().pending).not.toBeNull();
    useAgentPending.getState().settle(agent('ready'));
    expect(useAgentPending.getState().pending).toBeNull();
  });
});
