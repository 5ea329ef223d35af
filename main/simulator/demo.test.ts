import { describe, expect, it } from 'vitest';
import { DemoTraffic, makeCaller } from './demo.js';
import { FakeClock } from './pbx/clock.js';
import { Pbx } from './pbx/pbx.js';
import { seededRng } from './pbx/prng.js';

describe('demo traffic', () => {
  it('makes the same callers from the same seed, with leading-zero numbers and call data', () => {
    const a = [1, 2, 3].map(() => makeCaller(seededRng(7)));
    expect(a[0]).toEqual(a[1]);
    const caller = makeCaller(seededRng(42));
    expect(caller.number).toMatch(/^0\d{9}$/);
    expect(Object.keys(caller.data)).toEqual(expect.arrayContaining(['customerId', 'language', 'reason']));
  });

  it('rings the queue; virtual colleagues answer; callers hang up or abandon; stop cancels everything', () => {
    const clock = new FakeClock();
    const pbx = new Pbx({ externalAnswerMs: -1 }, { clock });
    const demo = new DemoTraffic(pbx, { intervalMs: 5000, colleagues: ['1105', '1106'], seed: 1 });
    demo.start();
    expect(pbx.agent('1105')?.state).toBe('ready');
    clock.advance(1000);
    expect(demo.callsPlaced).toBe(1);
    expect(pbx.allCalls()[0]?.service).toBe('service1');
    clock.advance(5000);
    expect(pbx.legsOf('1105').length + pbx.legsOf('1106').length).toBeGreaterThan(0);
    clock.advance(10 * 60_000);
    expect(demo.callsPlaced).toBeGreaterThan(50);
    const queue = pbx.queueInfo('service1');
    expect(queue?.stats.incomingConnected).toBeGreaterThan(0);
    demo.stop();
    for (const c of pbx.allCalls()) for (const l of c.legs) if (l.kind === 'external' && l.state !== 'cleared') pbx.drop(l.number);
    clock.advance(60_000);
    // Colleagues are people again: nobody answers for them.
    pbx.setAgentState('1105', 'notReady', { force: true });
    pbx.setAgentState('1106', 'notReady', { force: true });
    pbx.placeExternalCall({ from: '0612345678', to: '1105' });
    clock.advance(60_000);
    expect(pbx.legsOf('1105')[0]?.leg.state).toBe('alerting');
    const placed = demo.callsPlaced;
    clock.advance(60_000);
    expect(demo.callsPlaced).toBe(placed);
  });
});
