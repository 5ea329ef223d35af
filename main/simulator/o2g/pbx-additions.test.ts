// The PBX core's generic additions the O2G front-end needs: pilot numbers, calls addressed by id, the
// originator rung first, clear/drop-party, pickup, park/unpark, intrusion, call data, agent services.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../pbx/clock.js';
import { pbxConfig } from '../pbx/config.js';
import { Pbx } from '../pbx/pbx.js';
import type { PbxEvent } from '../pbx/types.js';

function lab() {
  const clock = new FakeClock();
  const pbx = new Pbx(pbxConfig({ externalAnswerMs: -1 }, { o2g: true }), { clock });
  const events: PbxEvent[] = [];
  pbx.subscribe((e) => events.push(e));
  return { clock, pbx, events };
}

const stateAt = (pbx: Pbx, device: string) => pbx.legsOf(device).map((x) => x.leg.state);

describe('the O2G part of the fixture', () => {
  it('is only added on request; the default lab is untouched', () => {
    expect(pbxConfig().devices.map((d) => d.number)).toEqual(['1101', '1102', '1103', '1104', '1105', '1106', '1107', '1108']);
    expect(pbxConfig().queues.map((q) => q.service)).toEqual(['service1']);
    const withO2g = pbxConfig({}, { o2g: true });
    expect(withO2g.devices.map((d) => d.number)).toContain('70123');
    expect(withO2g.queues.find((q) => q.service === '60121')?.pilots).toEqual(['60100']);
  });
});

describe('pilots', () => {
  it('a pilot number routes to its queue and counts as a queue', () => {
    const { pbx } = lab();
    expect(pbx.isQueue('60100')).toBe(true);
    expect(pbx.queueFor('60100')).toBe('60121');
    pbx.setAgentState('70123', 'ready', { force: true });
    const id = pbx.placeExternalCall({ from: '0612345678', to: '60100' });
    expect(pbx.call(id)).toMatchObject({ dialled: '60100', service: '60121' });
    expect(pbx.legsOf('70123')[0]?.leg).toMatchObject({ state: 'alerting', acdService: '60121' });
  });

  it('setAgentServices decides which queues distribute to an agent', () => {
    const { pbx } = lab();
    pbx.setAgentServices('70123', []);
    pbx.setAgentState('70123', 'ready', { force: true });
    pbx.placeExternalCall({ from: '0612345678', to: '60100' });
    expect(pbx.legsOf('70123')).toEqual([]);
    pbx.setAgentServices('70123', ['60121']);
    expect(stateAt(pbx, '70123')).toEqual(['alerting']);
  });

  it('an agent dropping its ringing ACD call sends it back to the queue', () => {
    const { pbx } = lab();
    pbx.setAgentState('70123', 'ready', { force: true });
    const id = pbx.placeExternalCall({ from: '0612345678', to: '60100' });
    pbx.drop('70123', { callId: id });
    expect(pbx.legsOf('70123')).toEqual([]);
    expect(pbx.queueInfo('60121')?.waiting.map((w) => w.callId)).toEqual([id]);
    expect(pbx.agent('70123')?.state).toBe('notReady');
  });
});

describe('calls addressed by id', () => {
  it('rings the originator first; answering it dials', () => {
    const { pbx } = lab();
    const id = pbx.makeCall('70123', '70125', { ringOriginatorFirst: true });
    expect(stateAt(pbx, '70123')).toEqual(['alerting']);
    expect(pbx.legsOf('70125')).toEqual([]);
    pbx.answer('70123', { callId: id });
    expect(stateAt(pbx, '70123')).toEqual(['delivered']);
    expect(stateAt(pbx, '70125')).toEqual(['alerting']);
  });

  it('holds, alternates by call id; clearCall releases every party; dropParty one', () => {
    const { pbx } = lab();
    const first = pbx.placeExternalCall({ from: '0612345678', to: '70123' });
    pbx.answer('70123');
    expect(() => pbx.hold('70123', { callId: 'c999' })).toThrow(/nothing connected/);
    pbx.hold('70123', { callId: first });
    const second = pbx.makeCall('70123', '70125');
    pbx.answer('70125');
    pbx.alternate('70123', { heldCallId: first, activeCallId: second });
    expect(pbx.legsOf('70123').map((x) => [x.call.id, x.leg.state])).toEqual([
      [first, 'connected'],
      [second, 'hold'],
    ]);
    pbx.clearCall(second, '70123');
    expect(pbx.hasCall(second)).toBe(false);
    expect(pbx.legsOf('70125')).toEqual([]);
    pbx.dropParty(first, '0612345678');
    expect(pbx.hasCall(first)).toBe(false);
    expect(() => pbx.dropParty(first, '0612345678')).toThrow(/not in call/);
  });

  it('history records name their call', () => {
    const { pbx } = lab();
    const id = pbx.placeExternalCall({ from: '0612345678', to: '70125' });
    pbx.drop('0612345678');
    expect(pbx.historyLength('70125')).toBe(1);
    expect(pbx.historySince('70125', 0)[0]).toMatchObject({ kind: 'call', callId: id, connected: false, cause: 'droppedByOtherParty' });
  });

  it('setCallData merges data and tells the front-ends', () => {
    const { pbx, events } = lab();
    const id = pbx.placeExternalCall({ from: '0612345678', to: '70125', data: { a: '1' } });
    pbx.setCallData(id, { extraData: 'X1', data: { b: '2' } });
    expect(pbx.call(id)).toMatchObject({ extraData: 'X1', data: { a: '1', b: '2' } });
    expect(events.at(-1)).toMatchObject({ type: 'callData', call: { id } });
  });
});

describe('pickup, park, intrusion', () => {
  it('picks up a ringing call, answered or ringing at the picker', () => {
    const { pbx } = lab();
    pbx.placeExternalCall({ from: '0612345678', to: '70125' });
    pbx.pickup('70123', { otherNumber: '70125', answer: true });
    expect(pbx.legsOf('70125')).toEqual([]);
    expect(pbx.legsOf('70123')[0]?.leg).toMatchObject({ state: 'connected', firstCalled: '70125', lastRedirection: '70125' });
    expect(() => pbx.pickup('70126', { otherNumber: '70125' })).toThrow(/nothing to pick up/);
  });

  it('parks a call on a device and unparks it elsewhere; the parked party may hang up', () => {
    const { pbx } = lab();
    const id = pbx.placeExternalCall({ from: '0612345678', to: '70123' });
    pbx.answer('70123');
    pbx.park('70123', { callId: id, parkTo: '70126' });
    expect(pbx.legsOf('70123')).toEqual([]);
    expect(pbx.parkedOn('70126')).toEqual([id]);
    pbx.unpark('70125', { from: '70126' });
    expect(pbx.legsOf('70125')[0]?.leg).toMatchObject({ state: 'connected', peer: '0612345678' });
    expect(pbx.parkedOn('70126')).toEqual([]);
    const other = pbx.placeExternalCall({ from: '0699887766', to: '70129' });
    pbx.answer('70129');
    pbx.park('70129', { callId: other });
    pbx.drop('0699887766');
    expect(pbx.hasCall(other)).toBe(false);
    expect(() => pbx.unpark('70129')).toThrow(/no call parked/);
  });

  it('a supervisor joins a call, changes mode, and never keeps the call alive alone with the customer', () => {
    const { pbx } = lab();
    const id = pbx.placeExternalCall({ from: '0612345678', to: '70123' });
    pbx.answer('70123');
    expect(pbx.intrude('70100', '70123', 'listen')).toBe(id);
    expect(() => pbx.intrude('70100', '70123', 'barge')).toThrow(/already in the call/);
    pbx.setMonitorMode('70100', 'barge');
    expect(pbx.legsOf('70100')[0]?.leg.monitorMode).toBe('barge');
    pbx.drop('70123');
    expect(pbx.hasCall(id)).toBe(false);
    expect(pbx.legsOf('70100')).toEqual([]);
  });
});
