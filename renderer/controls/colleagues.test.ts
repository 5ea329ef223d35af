import { describe, expect, it } from 'vitest';
import { TEAM_CAPABILITY } from '../../shared/admin.js';
import { colleagueStates, type Colleague } from '../../shared/model.js';
import { colleagueStateLabels, linkText } from '../format/labels.js';
import { agentStateCounts, colleagueCounts, colleagueRows, colleagueSummary, colleaguesTitle, teamAgentChoices, type ColleagueRow } from './colleagues.js';

const colleague = (number: string, over: Partial<Colleague> = {}): Colleague => ({ number, state: 'idle', since: 1000, ...over });

describe('colleague rows', () => {
  it('keep the profile’s order, with the state in words and the vendor’s words as a tooltip', () => {
    const rows = colleagueRows(
      [colleague('1202', { name: ' Ada ', state: 'busy', detail: 'Connected' }), colleague('1201', { state: 'outOfService', detail: 'ProviderLinkNull' })],
      [],
      null,
    );
    expect(rows.map((r) => [r.number, r.name, r.stateLabel, r.detail])).toEqual([
      ['1202', 'Ada', 'On a call', 'Connected'],
      ['1201', undefined, 'Out of service', 'ProviderLinkNull'],
    ]);
  });

  it('drops a detail that says the same as the label', () => {
    expect(colleagueRows([colleague('1', { state: 'ringing', detail: 'ringing' })], [], null)[0]?.detail).toBeUndefined();
  });

  it('name the remote party while the colleague is on the phone', () => {
    const remote = { number: '0301234567', name: 'ACME' };
    const [busy, idle, anon, bare] = colleagueRows(
      [
        colleague('1', { state: 'busy', remote }),
        colleague('2', { state: 'idle', remote }),
        colleague('3', { state: 'held', remote: { number: '', withheld: true } }),
        colleague('4', { state: 'ringing', remote: { number: '0301234567' } }),
      ],
      [],
      null,
    );
    expect(busy?.remote).toBe('ACME');
    expect(idle?.remote).toBeUndefined();
    expect(anon?.remote).toBeUndefined();
    expect(bare?.remote).toBe('0301234567');
  });

  it('offer Call only when the vendor places calls, and never for the agent’s own phone', () => {
    const list = [colleague('1201'), colleague('1202')];
    expect(colleagueRows(list, ['makeCall'], '1201').map((r) => r.canCall)).toEqual([false, true]);
    expect(colleagueRows(list, ['answer'], null).map((r) => r.canCall)).toEqual([false, false]);
  });

  it('count the colleagues by state, in state order', () => {
    const list = [colleague('1', { state: 'busy' }), colleague('2'), colleague('3', { state: 'busy' })];
    expect(colleagueCounts(list)).toEqual([
      { state: 'idle', count: 1 },
      { state: 'busy', count: 2 },
    ]);
    expect(colleagueCounts([])).toEqual([]);
  });

  it('every state has words', () => {
    for (const s of colleagueStates) expect(colleagueStateLabels[s]).toMatch(/\w/);
  });
});

describe('link text', () => {
  it('adds the event feed in use when the vendor names one', () => {
    expect(linkText({ state: 'up', feed: 'TCP event socket' })).toBe('Connected · TCP event socket');
    expect(linkText({ state: 'degraded', feed: 'web-service polling' })).toBe('Degraded · web-service polling');
    expect(linkText({ state: 'connecting' })).toBe('Connecting');
    expect(linkText({ state: 'up', feed: ' ' })).toBe('Connected');
  });
});

describe('team roster (colleagues reported as agents)', () => {
  it('shows the agent state, the reason only while not ready', () => {
    const [paused, ready, plain] = colleagueRows(
      [
        colleague('1001', { agentState: 'notReady', reason: ' Lunch ' }),
        colleague('1002', { agentState: 'ready', reason: 'stale' }),
        colleague('1201'),
      ],
      [],
      null,
    );
    expect([paused?.agentState, paused?.agentStateLabel, paused?.reason]).toEqual(['notReady', 'Not ready', 'Lunch']);
    expect([ready?.agentState, ready?.agentStateLabel, ready?.reason]).toEqual(['ready', 'Ready', undefined]);
    // A busy lamp without an agent (TWS) stays as it was.
    expect([plain?.agentState, plain?.agentStateLabel, plain?.reason, plain?.direction, plain?.callText]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    // An idle phone beside an agent state says it is the phone that is free, not the agent.
    expect([paused?.stateLabel, plain?.stateLabel]).toEqual(['Phone free', 'Free']);
  });

  it('says the call’s direction and the remote party while on a call', () => {
    const remote = { number: '0301234567', name: 'ACME' };
    const [inbound, outbound, bare, idle, agentBusy] = colleagueRows(
      [
        colleague('1', { state: 'busy', agentState: 'busy', direction: 'inbound', remote }),
        colleague('2', { state: 'ringing', direction: 'outbound', remote: { number: '0301234567' } }),
        colleague('3', { state: 'busy', agentState: 'busy', direction: 'inbound' }),
        colleague('4', { state: 'idle', agentState: 'wrapUp', direction: 'inbound', remote }),
        colleague('5', { state: 'unknown', agentState: 'busy', direction: 'outbound', remote }),
      ],
      [],
      null,
    );
    expect(inbound?.callText).toBe('Inbound call from ACME');
    expect(outbound?.callText).toBe('Outbound call to 0301234567');
    expect(bare?.callText).toBe('Inbound call');
    expect([idle?.direction, idle?.callText, idle?.remote]).toEqual([undefined, undefined, undefined]);
    expect(agentBusy?.callText).toBe('Outbound call to ACME');
  });

  it('is titled Team with the team capability, and sums up agent states', () => {
    expect(colleaguesTitle(['makeCall', TEAM_CAPABILITY])).toBe('Team');
    expect(colleaguesTitle(['makeCall'])).toBe('Colleagues');
    const team = [colleague('1', { agentState: 'ready' }), colleague('2', { agentState: 'notReady' }), colleague('3', { agentState: 'ready', state: 'busy' })];
    expect(agentStateCounts(team)).toEqual([
      { state: 'notReady', count: 1 },
      { state: 'ready', count: 2 },
    ]);
    expect(colleagueSummary(team)).toBe('1 not ready · 2 ready');
    expect(colleagueSummary([colleague('1'), colleague('2', { state: 'busy' })])).toBe('1 free · 1 on a call');
  });
});

describe('a supervisor’s team agent menu', () => {
  const caps = ['setTeamAgentState', 'team'];
  const row = (agentState: ColleagueRow['agentState'], number = '1002') => ({ number, agentState });

  it('pauses a working agent with each reason, makes a paused one ready, and logs either off after asking', () => {
    expect(teamAgentChoices(row('ready'), caps, ['Lunch', 'Break'], '1001')).toEqual([
      { id: 'notReady:Lunch', label: 'Not ready: Lunch', command: { kind: 'setTeamAgentState', agent: '1002', state: 'notReady', reason: 'Lunch' }, confirm: false },
      { id: 'notReady:Break', label: 'Not ready: Break', command: { kind: 'setTeamAgentState', agent: '1002', state: 'notReady', reason: 'Break' }, confirm: false },
      { id: 'loggedOff', label: 'Log off…', command: { kind: 'setTeamAgentState', agent: '1002', state: 'loggedOff' }, confirm: true },
    ]);
    expect(teamAgentChoices(row('busy'), caps, [], '1001').map((c) => c.label)).toEqual(['Not ready', 'Log off…']);
    // A vendor's own team reasons that already say "Not ready" (CTIPS: plain or parked) read as they are.
    expect(teamAgentChoices(row('ready'), caps, ['Not ready', 'Not ready (park)'], '1001').map((c) => c.label)).toEqual(['Not ready', 'Not ready (park)', 'Log off…']);
    expect(teamAgentChoices(row('notReady'), caps, ['Lunch'], '1001').map((c) => [c.label, c.command])).toEqual([
      ['Make ready', { kind: 'setTeamAgentState', agent: '1002', state: 'ready' }],
      ['Log off…', { kind: 'setTeamAgentState', agent: '1002', state: 'loggedOff' }],
    ]);
  });

  it('offers nothing without the capability, for a phone without an agent, an agent logged off, or the supervisor’s own row', () => {
    expect(teamAgentChoices(row('ready'), ['team'], [], '1001')).toEqual([]);
    expect(teamAgentChoices(row(undefined), caps, [], '1001')).toEqual([]);
    expect(teamAgentChoices(row('loggedOff'), caps, [], '1001')).toEqual([]);
    expect(teamAgentChoices(row('unknown'), caps, [], '1001')).toEqual([]);
    expect(teamAgentChoices(row('ready', '1001'), caps, [], '1001')).toEqual([]);
  });
});
