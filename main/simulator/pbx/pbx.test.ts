import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { Pbx } from './pbx.js';
import type { LegState, PbxEvent } from './types.js';
import type { PbxConfig } from './config.js';

function lab(config: Partial<PbxConfig> = {}) {
  const clock = new FakeClock();
  const pbx = new Pbx({ externalAnswerMs: -1, ...config }, { clock });
  const events: PbxEvent[] = [];
  pbx.subscribe((e) => events.push(e));
  const legStates = (device: string) =>
    events.filter((e): e is Extract<PbxEvent, { type: 'leg' }> => e.type === 'leg' && e.device === device).map((e) => (e.cause ? `${e.leg.state}/${e.cause}` : e.leg.state));
  const stateOf = (device: string): LegState | undefined => pbx.legsOf(device)[0]?.leg.state;
  return { clock, pbx, events, legStates, stateOf };
}

describe('basic calls', () => {
  it('makeCall goes initiated → originated → delivered → connected; the callee alerts then connects', () => {
    const { pbx, legStates } = lab();
    pbx.makeCall('1101', '1102');
    expect(legStates('1101')).toEqual(['initiated', 'originated', 'delivered']);
    expect(legStates('1102')).toEqual(['alerting']);
    pbx.answer('1102');
    expect(legStates('1101')).toEqual(['initiated', 'originated', 'delivered', 'connected']);
    expect(legStates('1102')).toEqual(['alerting', 'connected']);
  });

  it('hold and retrieve tell the far end; dropping clears both sides', () => {
    const { pbx, legStates } = lab();
    pbx.makeCall('1101', '1102');
    pbx.answer('1102');
    pbx.hold('1101');
    pbx.retrieve('1101');
    pbx.drop('1101');
    expect(legStates('1101').slice(-3)).toEqual(['hold', 'connected', 'cleared']);
    expect(legStates('1102').slice(-3)).toEqual(['connected/heldByOtherParty', 'connected/retrievedByOtherParty', 'cleared/droppedByOtherParty']);
    expect(pbx.allCalls()).toEqual([]);
    expect(() => pbx.drop('1101')).toThrow(/nothing to drop/);
  });

  it('a busy destination fails the call with cause busy, an unknown one with destNotObtainable', () => {
    const { pbx, legStates } = lab();
    pbx.makeCall('1102', '1103');
    pbx.makeCall('1101', '1102');
    expect(legStates('1101')).toEqual(['initiated', 'originated', 'failed/busy']);
    pbx.drop('1101');
    pbx.makeCall('1101', '1999');
    expect(legStates('1101').at(-1)).toBe('failed/destNotObtainable');
    expect(() => pbx.makeCall('1101', '12#A')).toThrow(/not diallable/);
  });

  it('DND makes the device busy; an immediate forward sends the call on', () => {
    const { pbx, legStates, stateOf } = lab();
    pbx.setDnd('1102', true);
    pbx.makeCall('1101', '1102');
    expect(legStates('1101').at(-1)).toBe('failed/busy');
    pbx.drop('1101');
    pbx.setDnd('1102', false);
    pbx.setForward('1102', { type: 'immediate', number: '1103', on: true });
    pbx.makeCall('1101', '1102');
    expect(stateOf('1103')).toBe('alerting');
    expect(pbx.legsOf('1103')[0]?.leg).toMatchObject({ firstCalled: '1102', lastRedirection: '1102' });
  });

  it('an outside caller brings call data, a name and possibly a withheld number', () => {
    const { pbx } = lab();
    const id = pbx.placeExternalCall({ from: '0612345678', to: '1101', data: { customerId: 'C-1001' }, fromName: 'Sophie', withheld: true });
    const call = pbx.call(id);
    expect(call?.data).toEqual({ customerId: 'C-1001' });
    expect(call?.legs[0]).toMatchObject({ number: '0612345678', kind: 'external', withheld: true, name: 'Sophie' });
    expect(pbx.legsOf('1101')[0]?.leg).toMatchObject({ state: 'alerting', peer: '0612345678' });
    pbx.answer('1101');
    pbx.drop('0612345678');
    expect(pbx.legsOf('1101')).toEqual([]);
  });
});

describe('consultation, transfer, conference, divert', () => {
  function connected() {
    const t = lab();
    t.pbx.makeCall('1101', '1102');
    t.pbx.answer('1102');
    t.clock.advance(118_000);
    return t;
  }

  it('consultation holds the first call implicitly and dials the second', () => {
    const { pbx, events } = connected();
    const before = events.length;
    pbx.consult('1101', '1103');
    const mine = events.slice(before).filter((e): e is Extract<PbxEvent, { type: 'leg' }> => e.type === 'leg' && e.device === '1101');
    expect(mine.map((e) => [e.leg.state, e.quiet ?? false])).toEqual([
      ['hold', true],
      ['initiated', false],
      ['originated', false],
      ['delivered', false],
    ]);
    expect(pbx.legsOf('1103')[0]?.leg).toMatchObject({ state: 'alerting', firstOther: '1102' });
  });

  it('transfer while the consulted party is still alerting joins the two others', () => {
    const { pbx, legStates } = connected();
    pbx.consult('1101', '1103');
    pbx.transfer('1101');
    expect(pbx.legsOf('1101')).toEqual([]);
    expect(legStates('1102').at(-1)).toBe('connected/transfer');
    expect(legStates('1103').at(-1)).toBe('alerting/transfer');
    pbx.answer('1103');
    const [only] = pbx.allCalls();
    expect(only?.legs.filter((l) => l.state === 'connected').map((l) => l.number).sort()).toEqual(['1102', '1103']);
  });

  it('transfer reports the old duration once, then restarts it', () => {
    const { pbx, clock, events } = connected();
    pbx.consult('1101', '1103');
    pbx.answer('1103');
    clock.advance(5_000);
    pbx.transfer('1101');
    const last = events.filter((e): e is Extract<PbxEvent, { type: 'leg' }> => e.type === 'leg' && e.device === '1102').at(-1);
    expect(last?.reportedDurationSec).toBe(123);
    expect(last?.leg).toMatchObject({ peer: '1103', lastRedirection: '1101' });
    expect(pbx.secondsSince(last?.leg.connectedAt)).toBe(0);
  });

  it('alternate swaps; reconnect drops the consultation and retrieves', () => {
    const { pbx, stateOf } = connected();
    pbx.consult('1101', '1103');
    pbx.answer('1103');
    pbx.alternate('1101');
    expect(pbx.legsOf('1101').map((x) => x.leg.state)).toEqual(['connected', 'hold']);
    pbx.alternate('1101');
    pbx.reconnect('1101');
    expect(pbx.legsOf('1101').map((x) => x.leg.state)).toEqual(['connected']);
    expect(stateOf('1103')).toBeUndefined();
  });

  it('conference merges both calls into one with three parties', () => {
    const { pbx, legStates } = connected();
    pbx.consult('1101', '1103');
    pbx.answer('1103');
    pbx.conference('1101');
    const calls = pbx.allCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.legs.map((l) => `${l.number}:${l.state}`).sort()).toEqual(['1101:connected', '1102:connected', '1103:connected']);
    expect(legStates('1103').at(-1)).toBe('connected/conference');
    pbx.drop('1103');
    expect(pbx.allCalls()[0]?.legs.filter((l) => l.state === 'connected')).toHaveLength(2);
  });

  it('addParty rings a third party into the call', () => {
    const { pbx, legStates } = connected();
    pbx.addParty('1102', '1103');
    expect(legStates('1103')).toEqual(['alerting']);
    pbx.answer('1103');
    expect(legStates('1101').at(-1)).toBe('connected/conference');
  });

  it('divert of an alerting call keeps the first called party and names the diverting one', () => {
    const { pbx, legStates } = lab();
    pbx.makeCall('1101', '1102');
    pbx.divert('1102', '1103');
    pbx.divert('1103', '1104');
    expect(legStates('1102')).toEqual(['alerting', 'cleared/redirect']);
    expect(pbx.legsOf('1104')[0]?.leg).toMatchObject({ state: 'alerting', firstCalled: '1102', lastRedirection: '1103', peer: '1101' });
  });

  it('divert of a connected call is a blind transfer', () => {
    const { pbx } = connected();
    pbx.divert('1102', '1103');
    expect(pbx.legsOf('1101')[0]?.leg).toMatchObject({ state: 'delivered', peer: '1103' });
    pbx.answer('1103');
    expect(pbx.legsOf('1101')[0]?.leg.state).toBe('connected');
  });

  it('operations without the call they need fail with noCall', () => {
    const { pbx } = lab();
    expect(() => pbx.answer('1101')).toThrow(expect.objectContaining({ code: 'noCall' }));
    expect(() => pbx.transfer('1101')).toThrow(expect.objectContaining({ code: 'noCall' }));
    expect(() => pbx.hold('1101')).toThrow(expect.objectContaining({ code: 'noCall' }));
  });
});

describe('agents and ACD', () => {
  const ready = (pbx: Pbx, ...devices: string[]) => devices.forEach((d) => pbx.setAgentState(d, 'ready', { force: true }));

  it('enforces permitted states and credentials', () => {
    const { pbx } = lab();
    expect(() => pbx.setAgentState('1101', 'ready', { password: '1234' })).toThrow(/not permitted/);
    expect(() => pbx.setAgentState('1101', 'loggedOn', { password: 'wrong' })).toThrow(/credentials/);
    pbx.setAgentState('1101', 'loggedOn', { userID: 'agent1101', password: '1234' });
    expect(pbx.agent('1101')?.permittedStates).toEqual(['ready', 'notReady', 'loggedOff']);
    expect(() => pbx.setAgentState('1102', 'loggedOn')).toThrow(/not an agent/);
  });

  it('delivers to the longest-idle ready agent', () => {
    const { pbx, clock, stateOf } = lab();
    ready(pbx, '1105');
    clock.advance(1000);
    ready(pbx, '1106');
    pbx.placeExternalCall({ from: '0612345678', to: 'service1' });
    expect(stateOf('1105')).toBe('alerting');
    pbx.placeExternalCall({ from: '0145678901', to: 'service1' });
    expect(stateOf('1106')).toBe('alerting');
    expect(pbx.legsOf('1105')[0]?.leg).toMatchObject({ acdService: 'service1', firstCalled: 'service1' });
  });

  it('queues calls while nobody is ready and delivers them, oldest first, when an agent becomes ready', () => {
    const { pbx, stateOf } = lab();
    pbx.placeExternalCall({ from: '0612345678', to: 'service1' });
    pbx.placeExternalCall({ from: '0145678901', to: 'service1' });
    expect(pbx.queueInfo('service1')?.waiting).toHaveLength(2);
    ready(pbx, '1107');
    expect(stateOf('1107')).toBe('alerting');
    expect(pbx.legsOf('1107')[0]?.leg.peer).toBe('0612345678');
    expect(pbx.queueInfo('service1')?.waiting).toHaveLength(1);
  });

  it('busy during the ACD call, wrap-up after it, ready again when the wrap-up timer expires', () => {
    const { pbx, clock } = lab();
    ready(pbx, '1101');
    pbx.placeExternalCall({ from: '0612345678', to: 'service1' });
    pbx.answer('1101');
    expect(pbx.agent('1101')?.state).toBe('busy');
    pbx.drop('1101');
    expect(pbx.agent('1101')).toMatchObject({ state: 'workingAfterCall', timeoutSec: 30, permittedStates: ['ready', 'notReady', 'workingAfterCall'] });
    clock.advance(10_000);
    expect(pbx.agent('1101')?.timeoutSec).toBe(20);
    clock.advance(20_000);
    expect(pbx.agent('1101')?.state).toBe('ready');
  });

  it('a call waiting in the queue reaches the agent after the wrap-up', () => {
    const { pbx, clock, stateOf } = lab();
    ready(pbx, '1101');
    pbx.placeExternalCall({ from: '0612345678', to: 'service1' });
    pbx.answer('1101');
    pbx.placeExternalCall({ from: '0145678901', to: 'service1' });
    pbx.drop('0612345678');
    expect(stateOf('1101')).toBeUndefined();
    clock.advance(30_000);
    expect(stateOf('1101')).toBe('alerting');
  });

  it('counts abandoned calls and suspended / stopped routing points', () => {
    const { pbx, clock } = lab();
    pbx.placeExternalCall({ from: '0612345678', to: 'service1' });
    clock.advance(2_000);
    pbx.drop('0612345678');
    pbx.placeExternalCall({ from: '0145678901', to: 'service1' });
    clock.advance(20_000);
    pbx.drop('0145678901');
    const stats = pbx.queueInfo('service1')?.stats;
    expect(stats).toMatchObject({ incomingCalls: 2, abandonedImmediately: 1, abandonedOnQueue: 1 });
    pbx.suspendQueue('service1');
    expect(pbx.queueState('service1')).toBe('started-suspended');
    expect(() => pbx.suspendQueue('service1')).toThrow(/not running/);
    pbx.resumeQueue('service1');
    expect(pbx.queueState('service1')).toBe('started');
    pbx.stopQueue('service1');
    pbx.startQueue('service1');
    ready(pbx, '1105');
    expect(pbx.queueState('service1')).toBe('started-running');
  });
});

describe('virtual colleagues', () => {
  it('answer after N ms and hang up after M ms', () => {
    const { pbx, clock, stateOf } = lab();
    pbx.configureColleague('1105', { autoAnswerMs: 2000, autoHangupMs: 5000 });
    pbx.placeExternalCall({ from: '0612345678', to: '1105' });
    clock.advance(1999);
    expect(stateOf('1105')).toBe('alerting');
    clock.advance(1);
    expect(stateOf('1105')).toBe('connected');
    clock.advance(5000);
    expect(stateOf('1105')).toBeUndefined();
    expect(pbx.history('1105')[0]).toMatchObject({ kind: 'call', otherParty: '0612345678', connected: true, durationSec: 5, alertingSec: 2 });
  });
});
