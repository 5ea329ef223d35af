// The telephony events the O2G service derives from the PBX core, without sockets: per-user views, deltas,
// call continuations (previousCallRef), causes, capabilities, and the demo ringing the pilot.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.js';
import { DemoTraffic } from '../demo.js';
import { FakeClock } from '../pbx/clock.js';
import { pbxConfig } from '../pbx/config.js';
import { Pbx } from '../pbx/pbx.js';
import type { O2gEvent } from './events.js';
import { O2gService } from './service.js';

function setup() {
  const clock = new FakeClock();
  const pbx = new Pbx(pbxConfig({ externalAnswerMs: -1 }, { o2g: true }), { clock });
  const svc = new O2gService(pbx, {}, silentLogger());
  const events: O2gEvent[] = [];
  svc.onEvent((e) => events.push(e));
  const settle = () => new Promise<void>((r) => setImmediate(r));
  const of = (login: string, name?: string) => events.filter((e) => e.loginName === login && (name === undefined || e.eventName === name));
  const take = () => events.splice(0);
  return { clock, pbx, svc, events, settle, of, take };
}

describe('per-user views of core calls', () => {
  it('a conference made by another front-end keeps the active call\'s ref for everyone (no OnCallRemoved)', async () => {
    const { pbx, settle, of, take } = setup();
    pbx.placeExternalCall({ from: '0612345678', to: '70123' });
    pbx.answer('70123');
    await settle();
    const c1 = of('agent1', 'OnCallCreated')[0]?.callRef;
    pbx.consult('70123', '70125');
    pbx.answer('70125');
    await settle();
    const c2 = of('agent2', 'OnCallCreated')[0]?.callRef;
    expect(c2).not.toBe(c1);
    take();
    pbx.conference('70123');
    await settle();
    expect(of('agent1', 'OnCallRemoved')).toEqual([]);
    expect(of('agent1', 'OnCallModified')).toEqual([expect.objectContaining({ callRef: c2, previousCallRef: c1, cause: 'CONFERENCED' })]);
    expect(of('agent2', 'OnCallModified')).toEqual([expect.objectContaining({ callRef: c2, cause: 'CONFERENCED', addedParticipants: [expect.objectContaining({ identity: expect.objectContaining({ id: { phoneNumber: '0612345678' } }) })] })]);
    expect(of('agent2', 'OnCallModified')[0]?.previousCallRef).toBeUndefined();
  });

  it('capabilities: a held call with an active one may be transferred, merged, reconnected', async () => {
    const { pbx, svc, settle } = setup();
    pbx.placeExternalCall({ from: '0612345678', to: '70123' });
    pbx.answer('70123');
    pbx.consult('70123', '70125');
    pbx.answer('70125');
    await settle();
    const user = svc.users.byLoginName('agent1');
    if (!user) throw new Error('fixture');
    const [held, active] = svc.tracker.currentViews(user);
    expect(held?.legs[0]).toMatchObject({ state: 'HELD', capabilities: { retrieve: true, reconnect: true, hold: false } });
    expect(held?.callData.capabilities).toMatchObject({ transfer: true, merge: true, dropMe: true });
    expect(active?.legs[0]).toMatchObject({ state: 'ACTIVE', capabilities: { hold: true, drop: true } });
    expect(active?.callData.capabilities).toMatchObject({ transfer: true, merge: true, blindTransfer: true, park: true, dropParticipant: false });
    expect(Object.keys(active?.callData.capabilities ?? {})).toHaveLength(23);
    expect(Object.keys(active?.legs[0]?.capabilities ?? {})).toHaveLength(9);
  });

  it('a discreet listener is hidden from the agent; a barging one is shown', async () => {
    const { pbx, svc, settle, of, take } = setup();
    pbx.placeExternalCall({ from: '0612345678', to: '70123' });
    pbx.answer('70123');
    await settle();
    take();
    svc.during({ cause: 'SUPERVISOR_LISTENING' }, () => pbx.intrude('70100', '70123', 'listen'));
    await settle();
    expect(of('sup1', 'OnCallCreated')).toEqual([expect.objectContaining({ cause: 'SUPERVISOR_LISTENING' })]);
    expect(of('agent1', 'OnCallModified')[0]?.addedParticipants).toBeUndefined();
    take();
    svc.during({ cause: 'SUPERVISOR_INTRUSION' }, () => pbx.setMonitorMode('70100', 'barge'));
    await settle();
    expect(of('agent1', 'OnCallModified')[0]).toMatchObject({ cause: 'SUPERVISOR_INTRUSION', addedParticipants: [expect.objectContaining({ identity: expect.objectContaining({ id: { loginName: 'sup1', phoneNumber: '70100' } }) })] });
  });

  it('an abandoned ringing call: OnCallRemoved ABANDONED, a missed record, the counter', async () => {
    const { pbx, settle, of } = setup();
    pbx.placeExternalCall({ from: '0612345678', to: '70125' });
    await settle();
    pbx.drop('0612345678');
    await settle();
    const names = of('agent2').map((e) => e.eventName);
    expect(names).toEqual(['OnCallCreated', 'OnUserStateModified', 'OnCallRemoved', 'OnUserStateModified', 'OnComRecordCreated', 'OnEventSummaryUpdated']);
    expect(of('agent2', 'OnCallRemoved')[0]?.cause).toBe('ABANDONED');
    expect(of('agent2', 'OnEventSummaryUpdated')[0]?.eventSummary).toMatchObject({ missedCallsNb: 1 });
  });

  it('nothing is told while the link is down; the view follows silently', async () => {
    const { pbx, svc, settle, of, take } = setup();
    pbx.setLinkUp(false);
    await settle();
    take();
    pbx.placeExternalCall({ from: '0612345678', to: '70123' });
    await settle();
    expect(of('agent1')).toEqual([]);
    pbx.setLinkUp(true);
    await settle();
    const user = svc.users.byLoginName('agent1');
    expect(user && svc.tracker.currentViews(user)).toHaveLength(1);
    pbx.answer('70123');
    await settle();
    expect(of('agent1', 'OnCallModified')).toHaveLength(1);
  });
});

describe('demo traffic with the O2G front-end', () => {
  it('rings the TelServices queue and the O2G pilot in turn; a READY agent1 gets calls with data', () => {
    const clock = new FakeClock();
    const pbx = new Pbx(pbxConfig({ externalAnswerMs: -1 }, { o2g: true }), { clock });
    pbx.setAgentState('70123', 'ready', { force: true });
    const demo = new DemoTraffic(pbx, { intervalMs: 5000, colleagues: ['1105', '1106'], seed: 3 });
    demo.start();
    clock.advance(1000);
    clock.advance(5000);
    const calls = pbx.allCalls();
    expect(calls.map((c) => c.dialled)).toEqual(['service1', '60100']);
    const leg = pbx.legsOf('70123')[0];
    expect(leg?.leg.acdService).toBe('60121');
    expect(Object.keys(leg?.call.data ?? {})).toEqual(expect.arrayContaining(['customerId', 'language', 'reason']));
    demo.stop();
  });
});
