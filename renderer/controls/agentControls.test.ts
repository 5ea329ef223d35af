import { describe, expect, it } from 'vitest';
import type { AgentInfo } from '../../shared/model.js';
import { makeCall, makeView } from '../../shared/test-fixtures.js';
import {
  agentCodes,
  agentStateChoices,
  canAskForHelp,
  dispositionCommand,
  dispositionControl,
  dropNextStateCommand,
  logoutChoices,
  nextStateControl,
  notReadyReasons,
  panicLogoutCommand,
  panicLogoutControl,
  passcodeText,
  pendingReasonLabel,
  showAgentPanel,
  supervisorControls,
  supervisorPanelEmpty,
  transactionCodeTarget,
} from './agentControls.js';

const agent = (over: Partial<AgentInfo> = {}): AgentInfo => ({ state: 'ready', since: 0, permitted: [], services: [], ...over });
const ALL = ['setAgentState', 'supervisorHelp', 'intrude', 'permanentListen', 'setGroup', 'transactionCode'];

describe('not-ready reasons', () => {
  it("offers the vendor's reasons when it defines them, else the profile's", () => {
    expect(notReadyReasons(agent({ reasons: ['Training', 'Lunch'] }), ['Break'])).toEqual(['Training', 'Lunch']);
    expect(notReadyReasons(agent(), ['Break'])).toEqual(['Break']);
    // A vendor list that is empty means: no reasons, not the profile's.
    expect(notReadyReasons(agent({ reasons: [] }), ['Break'])).toEqual([]);
    expect(notReadyReasons(null, ['Break'])).toEqual(['Break']);
  });

  it('state buttons: permitted ones, the current one only for a new not-ready reason', () => {
    const a = agent({ state: 'notReady', permitted: ['ready', 'notReady', 'loggedOff'] });
    expect(agentStateChoices(a, true, [])).toEqual(['ready', 'loggedOff']);
    expect(agentStateChoices(a, true, ['Lunch'])).toEqual(['ready', 'notReady', 'loggedOff']);
    expect(agentStateChoices(a, false, ['Lunch'])).toEqual([]);
  });
});

describe('help request', () => {
  it('is offered to a logged-on agent when the vendor supports it', () => {
    expect(canAskForHelp(agent({ state: 'busy' }), ALL)).toBe(true);
    expect(canAskForHelp(agent({ state: 'loggedOff' }), ALL)).toBe(false);
    expect(canAskForHelp(agent({ state: 'ready' }), ['setAgentState'])).toBe(false);
    expect(canAskForHelp(agent({ state: 'ready', role: 'supervisor' }), ALL)).toBe(false);
    expect(canAskForHelp(null, ALL)).toBe(false);
  });
});

describe('transaction code target', () => {
  it('a live call that offers it takes it on its row, the newest first', () => {
    const older = makeCall('a', { startedAt: 1, allowed: ['transactionCode'] });
    const newer = makeCall('b', { startedAt: 2, allowed: ['transactionCode'] });
    expect(transactionCodeTarget(makeView([older, newer], { capabilities: ALL }))).toEqual({ callId: 'b', place: 'call' });
  });

  it('while the ACD waits for it, the last ACD call: the screen-pop call, else the call ended last', () => {
    const pop = { ...makeCall('acd-1'), state: 'cleared' as const };
    const waiting = agent({ state: 'wrapUp', awaitingCode: true });
    expect(transactionCodeTarget(makeView([], { capabilities: ALL, agent: waiting, pop, ended: { x: 5, 'acd-1': 3 } }))).toEqual({ callId: 'acd-1', place: 'agent' });
    expect(transactionCodeTarget(makeView([], { capabilities: ALL, agent: waiting, ended: { x: 5, y: 9, z: 1 } }))).toEqual({ callId: 'y', place: 'agent' });
  });

  it('nothing without the capability, or when nothing waits for a code', () => {
    const waiting = agent({ awaitingCode: true });
    expect(transactionCodeTarget(makeView([], { capabilities: ['setAgentState'], agent: waiting, ended: { x: 1 } }))).toBeNull();
    expect(transactionCodeTarget(makeView([makeCall('a')], { capabilities: ALL, agent: agent(), ended: { x: 1 } }))).toBeNull();
    expect(transactionCodeTarget(makeView([], { capabilities: ALL, agent: waiting }))).toBeNull();
  });
});

describe('supervisor panel', () => {
  const sup = (over: Partial<AgentInfo> = {}) => agent({ role: 'supervisor', ...over });

  it('is only for supervisors', () => {
    expect(supervisorControls(agent({ role: 'agent', helpRequests: ['1201'] }), ALL)).toBeNull();
    expect(supervisorControls(agent(), ALL)).toBeNull();
    expect(supervisorControls(null, ALL)).toBeNull();
  });

  it('lists help requests with reject and the intrusion modes the vendor offers', () => {
    const c = supervisorControls(sup({ helpRequests: ['1201', '1202', '1201'] }), ALL);
    expect(c?.helpRequests).toEqual([
      { agent: '1201', canReject: true, modes: ['listen', 'coach', 'barge'] },
      { agent: '1202', canReject: true, modes: ['listen', 'coach', 'barge'] },
    ]);
    const bare = supervisorControls(sup({ helpRequests: ['1201'] }), []);
    expect(bare?.helpRequests).toEqual([{ agent: '1201', canReject: false, modes: [] }]);
    expect(bare?.intrudeModes).toEqual([]);
    expect(bare?.permanentListen).toBe(false);
  });

  it('the current intrusion offers the other modes', () => {
    const c = supervisorControls(sup({ intrusion: { agent: '1203', mode: 'listen' } }), ALL);
    expect(c?.intrusion).toEqual({ agent: '1203', mode: 'listen', switchTo: ['coach', 'barge'] });
    expect(supervisorControls(sup({ intrusion: { agent: '1203', mode: 'coach' } }), [])?.intrusion?.switchTo).toEqual([]);
  });

  it('groups to enter or leave, the one worked in marked', () => {
    const c = supervisorControls(sup({ group: '300', groups: ['300', '301'] }), ALL);
    expect(c?.groups).toEqual([
      { group: '300', active: true },
      { group: '301', active: false },
    ]);
    expect(supervisorControls(sup({ groups: ['300'] }), ['intrude'])?.groups).toEqual([]);
  });

  it('knows when it has nothing to show', () => {
    const empty = supervisorControls(sup(), []);
    expect(empty && supervisorPanelEmpty(empty)).toBe(true);
    const some = supervisorControls(sup(), ['permanentListen']);
    expect(some && supervisorPanelEmpty(some)).toBe(false);
  });
});

describe('a vendor without ACD functions', () => {
  it('gets no agent panel without an agent and without setAgentState', () => {
    expect(showAgentPanel(null, ['makeCall', 'answer', 'clear'])).toBe(false);
    expect(showAgentPanel(null, ['setAgentState'])).toBe(true);
    // An agent the vendor reports is shown even when it cannot be changed from here.
    expect(showAgentPanel(agent(), [])).toBe(true);
  });

  it('an agent with an empty reason list gets a plain Not ready button, no reason menu', () => {
    const a = agent({ state: 'ready', permitted: ['notReady', 'loggedOff'], reasons: [] });
    const reasons = notReadyReasons(a, ['Break', 'Lunch']);
    expect(reasons).toEqual([]);
    expect(agentStateChoices(a, true, reasons)).toEqual(['notReady', 'loggedOff']);
    // Already not ready, no reasons: nothing to re-pick.
    expect(agentStateChoices({ ...a, state: 'notReady' }, true, reasons)).toEqual(['loggedOff']);
  });
});

describe('CTIPS: site codes, disposition, panic logout, passcode', () => {
  const codes = {
    logout: [
      { id: '1', label: 'End of shift' },
      { id: '2', label: 'Training' },
    ],
    disposition: [
      { id: '10', label: 'Sale' },
      { id: '-1', label: 'No sale' },
    ],
    reject: [{ id: '3', label: 'Busy' }],
  };

  it('logging off asks for a logout reason when the site has some, sending its id', () => {
    expect(logoutChoices(agent({ codes }))).toEqual([
      { id: '1', label: 'End of shift', command: { kind: 'setAgentState', state: 'loggedOff', reason: '1' } },
      { id: '2', label: 'Training', command: { kind: 'setAgentState', state: 'loggedOff', reason: '2' } },
    ]);
    expect(logoutChoices(agent({ codes: { ...codes, logout: [] } }))).toEqual([]);
    expect(logoutChoices(agent())).toEqual([]);
    expect(logoutChoices(null)).toEqual([]);
    expect(agentCodes(agent({ codes }), 'reject')).toEqual([{ id: '3', label: 'Busy' }]);
  });

  it('a pending logout shows the reason by its label', () => {
    expect(pendingReasonLabel(agent({ codes }), 'loggedOff', '2')).toBe('Training');
    expect(pendingReasonLabel(agent({ codes }), 'loggedOff', '9')).toBe('9');
    expect(pendingReasonLabel(agent({ codes }), 'notReady', '1')).toBe('1');
    expect(pendingReasonLabel(agent({ codes }), 'loggedOff', undefined)).toBeUndefined();
  });

  it('the disposition picker: while a call is named, with dispositions and the capability', () => {
    const wrap = agent({ state: 'wrapUp', codes, dispositionCallId: 'c7' });
    expect(dispositionControl(wrap, ['setDisposition'])).toEqual({ callId: 'c7', codes: codes.disposition, accepted: null });
    expect(dispositionControl(wrap, ['setAgentState'])).toBeNull();
    expect(dispositionControl(agent({ codes: { ...codes, disposition: [] }, dispositionCallId: 'c7' }), ['setDisposition'])).toBeNull();
    expect(dispositionControl(agent({ codes }), ['setDisposition'])).toBeNull();
    expect(dispositionControl(null, ['setDisposition'])).toBeNull();
    expect(dispositionCommand('c7', '-1', false, true)).toEqual({ kind: 'setDisposition', callId: 'c7', disposition: '-1', successful: false, endWrap: true });
  });

  it('the accepted disposition shows by its label, also once the call is no longer named', () => {
    expect(dispositionControl(agent({ codes, dispositionCallId: 'c7', disposition: '10' }), ['setDisposition'])?.accepted).toEqual({ id: '10', label: 'Sale' });
    expect(dispositionControl(agent({ codes, disposition: '-1' }), ['setDisposition'])).toEqual({ callId: null, codes: codes.disposition, accepted: { id: '-1', label: 'No sale' } });
    expect(dispositionControl(agent({ codes, disposition: '42' }), ['setDisposition'])?.accepted).toEqual({ id: '42', label: '42' });
  });

  it('"log out after this call": with the capability, for a logged-on agent with a call; then pending', () => {
    const onCall = (a: AgentInfo, caps = ['panicLogout']) => panicLogoutControl(makeView([makeCall('c1')], { capabilities: caps, agent: a }));
    expect(onCall(agent({ state: 'busy' }))).toEqual({ offer: true, choices: [], pending: false });
    expect(onCall(agent({ state: 'busy', codes }))?.choices).toEqual([
      { id: '1', label: 'End of shift', command: { kind: 'panicLogout', reason: '1' } },
      { id: '2', label: 'Training', command: { kind: 'panicLogout', reason: '2' } },
    ]);
    expect(onCall(agent({ state: 'busy' }), ['setAgentState'])).toBeNull();
    expect(onCall(agent({ state: 'loggedOff' }))).toBeNull();
    expect(panicLogoutControl(makeView([], { capabilities: ['panicLogout'], agent: agent({ state: 'ready' }) }))).toBeNull();
    expect(onCall(agent({ state: 'busy', logoutPending: true }))).toEqual({ offer: false, choices: [], pending: true });
    // Pending is shown even when the call has just ended.
    expect(panicLogoutControl(makeView([], { capabilities: ['panicLogout'], agent: agent({ logoutPending: true }) }))?.pending).toBe(true);
    expect(panicLogoutCommand).toEqual({ kind: 'panicLogout' });
  });

  it('the passcode banner', () => {
    expect(passcodeText(agent({ passcode: '4711' }))).toBe('Key passcode 4711 on your phone to finish logging in');
    expect(passcodeText(agent({ passcode: '' }))).toBeNull();
    expect(passcodeText(agent())).toBeNull();
    expect(passcodeText(null)).toBeNull();
  });
});

describe('after this call', () => {
  const codes = { logout: [{ id: '1', label: 'End of shift' }], disposition: [], reject: [] };
  const onCall = (a: AgentInfo, caps = ['setAgentState'], reasons: string[] = []) =>
    nextStateControl(makeView([makeCall('c1')], { capabilities: caps, agent: a }), reasons);

  it('offers Not ready with each reason and Log off during a call', () => {
    expect(onCall(agent({ state: 'busy' }), ['setAgentState'], ['Lunch', 'Break'])).toEqual({
      queued: null,
      choices: [
        { id: 'notReady:Lunch', label: 'Not ready: Lunch', command: { kind: 'setNextAgentState', state: 'notReady', reason: 'Lunch' } },
        { id: 'notReady:Break', label: 'Not ready: Break', command: { kind: 'setNextAgentState', state: 'notReady', reason: 'Break' } },
        { id: 'loggedOff', label: 'Log off', command: { kind: 'setNextAgentState', state: 'loggedOff' } },
      ],
    });
    expect(onCall(agent({ state: 'busy' }))?.choices.map((c) => c.label)).toEqual(['Not ready', 'Log off']);
    // CTIPS's park reason already says "Not ready".
    expect(onCall(agent({ state: 'busy' }), ['setAgentState', 'panicLogout'], ['Not ready (park)', 'Coaching'])?.choices.map((c) => c.label)).toEqual(['Not ready (park)', 'Not ready: Coaching']);
  });

  it('logs off with the site’s logout reasons, and leaves logging off to the vendor’s own panic logout', () => {
    expect(onCall(agent({ state: 'busy', codes }))?.choices.map((c) => c.command)).toEqual([
      { kind: 'setNextAgentState', state: 'notReady' },
      { kind: 'setNextAgentState', state: 'loggedOff', reason: '1' },
    ]);
    expect(onCall(agent({ state: 'busy', codes }), ['setAgentState', 'panicLogout'])?.choices.map((c) => c.label)).toEqual(['Not ready']);
  });

  it('is offered in wrap-up too, but not between calls, not logged off and not without agent states', () => {
    expect(nextStateControl(makeView([], { capabilities: ['setAgentState'], agent: agent({ state: 'wrapUp' }) }), [])?.choices).toHaveLength(2);
    expect(nextStateControl(makeView([], { capabilities: ['setAgentState'], agent: agent({ state: 'ready' }) }), [])).toBeNull();
    expect(onCall(agent({ state: 'loggedOff' }))).toBeNull();
    expect(onCall(agent({ state: 'busy' }), [])).toBeNull();
    expect(onCall(agent({ state: 'notReady' }))?.choices.map((c) => c.label)).toEqual(['Log off']);
  });

  it('shows the queued state, a logout reason by its label, in place of the menu', () => {
    const queued = (next: { state: 'notReady' | 'loggedOff'; reason?: string }) =>
      nextStateControl(makeView([makeCall('c1')], { capabilities: ['setAgentState'], agent: agent({ state: 'busy', codes }), nextState: { ...next, at: 1 } }), ['Lunch']);
    expect(queued({ state: 'notReady', reason: 'Lunch' })).toEqual({ choices: [], queued: 'Not ready (Lunch)' });
    expect(queued({ state: 'loggedOff', reason: '1' })).toEqual({ choices: [], queued: 'Log off (End of shift)' });
    expect(queued({ state: 'notReady' })?.queued).toBe('Not ready');
    expect(dropNextStateCommand).toEqual({ kind: 'setNextAgentState', state: null });
  });
});
