// Pure mapping: the call tracker (click-to-dial, inbound, duplicates, late events, snapshot
// reconciliation), the agent-state vocabulary and the supervisor roster.
import { describe, expect, it } from 'vitest';
import { decodeEvent, type IvAgentEvent, type IvCallEvent } from './events.js';
import { agentClass, agentStatusOf, IvCallTracker, IvRoster, MAX_ROSTER, permittedFrom } from './mapping.js';

const ev = (json: string): IvCallEvent | IvAgentEvent => {
  const d = decodeEvent(json);
  if (!d.ok || d.value.kind === 'unknown') throw new Error('bad fixture');
  return d.value;
};
const call = (type: string, uid: string, extra = '') =>
  ev(`{"direction":"${extra}","callerid":"6100","type":"${type}","uniqueid":"${uid}","agent":"default_1001"}`) as IvCallEvent;

function tracker() {
  let t = 1000;
  return { tr: new IvCallTracker({ device: '0001', now: () => t }), tick: () => (t += 10) };
}

describe('IvCallTracker', () => {
  it('click-to-dial: NEWCALL dialing, CONNECT stays dialing, DNEWCALL ringing, DCONNECT connected, HANGUP ended with the reason', () => {
    const { tr, tick } = tracker();
    tr.expectDial('6100');
    const [a] = tr.apply(call('NEWCALL', 'u1', 'OUTBOUND'));
    expect(a).toMatchObject({ kind: 'call', change: 'dialing', call: { id: 'iv-u1', state: 'dialing', direction: 'outbound', allowed: ['clear'], ref: { vendor: 'instantvoice', callId: 'u1', device: '0001' } } });
    expect(tr.apply(call('CONNECT', 'u1'))).toEqual([]);
    tick();
    const [r] = tr.apply(call('DNEWCALL', 'u1'));
    expect(r).toMatchObject({ change: 'ringing', call: { state: 'ringing' } });
    const [c] = tr.apply(call('DCONNECT', 'u1'));
    expect(c).toMatchObject({ change: 'connected', call: { state: 'connected', allowed: ['clear', 'transfer'], connectedAt: 1010 } });
    const hang = ev('{"direction":"","callerid":"6100","type":"HANGUP","uniqueid":"u1","agent":"default_1001","reason":"BYCALLEE"}') as IvCallEvent;
    const [e] = tr.apply(hang);
    expect(e).toMatchObject({ kind: 'ended', callId: 'iv-u1', cause: 'BYCALLEE', call: { state: 'cleared', allowed: [] } });
    const seqs = [a, r, c, e].map((x) => x!.call.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    // Late and duplicated events never come back.
    expect(tr.apply(call('DCONNECT', 'u1'))).toEqual([]);
    expect(tr.apply(call('NEWCALL', 'u1', 'OUTBOUND'))).toEqual([]);
    expect(tr.apply(hang)).toEqual([]);
    expect(tr.size).toBe(0);
  });

  it('an outbound call from the phone (no NewCall sent) connects on CONNECT; inbound alerts then connects; duplicates ignored', () => {
    const { tr } = tracker();
    tr.apply(call('NEWCALL', 'o1', 'OUTBOUND'));
    expect(tr.apply(call('CONNECT', 'o1'))[0]).toMatchObject({ call: { state: 'connected' } });
    const [i] = tr.apply(ev('{"direction":"INBOUND","callerid":"2198765456","type":"NEWCALL","uniqueid":"i1","agent":"default_1001"}') as IvCallEvent);
    expect(i).toMatchObject({ change: 'alerting', call: { state: 'alerting', direction: 'inbound', remote: { number: '2198765456' } } });
    expect(tr.apply(call('NEWCALL', 'i1', 'INBOUND'))).toEqual([]);
    expect(tr.apply(call('CONNECT', 'i1'))[0]).toMatchObject({ call: { state: 'connected' } });
    expect(tr.apply(call('CONNECT', 'i1'))).toEqual([]);
    expect(tr.apply(call('DNEWCALL', 'i1'))).toEqual([]); // never back from connected
    expect(tr.byCallId('iv-i1')?.uniqueid).toBe('i1');
    expect(tr.apply(call('HANGUP', 'unknown'))).toEqual([]);
    expect(tr.apply(call('NEWCALL', 'unknown', 'INBOUND'))).toEqual([]);
    expect(tr.apply(call('NEWCALL', '', 'INBOUND'))).toEqual([]);
  });

  it('a cancelled NewCall does not make the next outbound call a click-to-dial', () => {
    const { tr } = tracker();
    tr.expectDial('6100');
    tr.cancelDial('6100');
    tr.apply(call('NEWCALL', 'x', 'OUTBOUND'));
    expect(tr.apply(call('CONNECT', 'x'))[0]).toMatchObject({ call: { state: 'connected' } });
  });

  it('a snapshot ends calls on no line (but not those born after it began) and adds unknown calls on a line', () => {
    const { tr } = tracker();
    tr.apply(call('NEWCALL', 'gone', 'INBOUND'));
    const since = tr.seq;
    tr.apply(call('NEWCALL', 'young', 'INBOUND'));
    const out = tr.reconcile([{ uniqueid: 'new', linestatus: 'ONCALL' }, { uniqueid: '', linestatus: 'IDLE' }], since);
    expect(out.map((o) => [o.kind, o.call.ref.callId, o.call.state])).toEqual([['ended', 'gone', 'cleared'], ['call', 'new', 'connected']]);
    expect(tr.list().map((c) => c.ref.callId).sort()).toEqual(['new', 'young']);
    expect(tr.list().find((c) => c.ref.callId === 'new')?.remote.number).toBe('');
    // An ended uniqueid still on a line (a race) is not revived.
    expect(tr.reconcile([{ uniqueid: 'gone', linestatus: 'ONCALL' }, { uniqueid: 'new', linestatus: null }, { uniqueid: 'young', linestatus: null }], tr.seq)).toEqual([]);
  });
});

describe('agent states', () => {
  it('maps agentstatus and events', () => {
    expect(agentStatusOf('LOGOFF', 'test')).toEqual({ state: 'loggedOff' });
    expect(agentStatusOf('IDLE', null)).toEqual({ state: 'ready' });
    expect(agentStatusOf('PAUSED', 'Lunch')).toEqual({ state: 'notReady', reason: 'Lunch' });
    expect(agentStatusOf('oncall', null)).toEqual({ state: 'busy' });
    expect(agentStatusOf('PENDING_PAUSE', null)).toEqual({ state: 'busy' });
    expect(agentStatusOf('WRAPUP', null)).toEqual({ state: 'wrapUp' });
    expect(agentStatusOf('QUARANTINE', null)).toEqual({ state: 'notReady', reason: 'Quarantine' });
    expect(agentStatusOf('SOMETHING', null)).toEqual({ state: 'unknown' });
    expect(agentStatusOf(null, null)).toEqual({ state: 'unknown' });
    expect(permittedFrom('loggedOff')).toEqual(['ready']);
    expect(agentClass('busy')).toBe(agentClass('ready'));
    expect(agentClass('unknown')).toBeNull();
  });
});

describe('IvRoster', () => {
  it('builds the team from AgentInfo and follows iv.agents.# events; other accounts ignored; bounded', () => {
    const r = new IvRoster({ accountcode: 'default', now: () => 5 });
    const list = r.reset([
      { number: '1001', info: { agentstatus: 'IDLE', name: 'Ann' } },
      { number: '1002', info: { agentstatus: 'PAUSED', reasons_reason: 'Lunch' } },
      { number: '1003', info: null },
    ]);
    expect(list.map((c) => [c.number, c.state, c.agentState, c.reason])).toEqual([['1001', 'idle', 'ready', undefined], ['1002', 'idle', 'notReady', 'Lunch'], ['1003', 'unknown', undefined, undefined]]);
    const c1 = r.apply(ev('{"direction":"INBOUND","callerid":"555","type":"NEWCALL","uniqueid":"a","agent":"default_1001"}'));
    expect(c1).toMatchObject({ number: '1001', state: 'ringing', direction: 'inbound', remote: { number: '555' }, name: 'Ann' });
    // Answered: the phone is busy and the available agent counts as busy for the ACD (ONCALL has no event).
    expect(r.apply(ev('{"direction":"","callerid":"555","type":"CONNECT","uniqueid":"a","agent":"default_1001"}'))).toMatchObject({ state: 'busy', agentState: 'busy', direction: 'inbound' });
    expect(r.apply(ev('{"direction":"","callerid":"555","type":"CONNECT","uniqueid":"a","agent":"default_1001"}'))).toBeNull();
    expect(r.apply(ev('{"direction":"","callerid":"","type":"HANGUP","uniqueid":"a","agent":"default_1001"}'))).toMatchObject({ state: 'idle', agentState: 'ready' });
    expect(r.apply(ev('{"direction":"Break","callerid":"","type":"PAUSE","uniqueid":"","agent":"default_1002"}'))).toMatchObject({ agentState: 'notReady', reason: 'Break' });
    expect(r.apply(ev('{"direction":"","callerid":"","type":"LOGIN","uniqueid":"","agent":"other_1001"}'))).toBeNull();
    for (let i = 0; i < MAX_ROSTER + 10; i++) r.apply(ev(`{"type":"LOGIN","agent":"default_${5000 + i}"}`));
    expect(r.list()).toHaveLength(MAX_ROSTER);
  });
});
