// The agent-desktop call flow seen on the TCP feed: an inbound call from the control API to 4694 (screen pop
// with the caller's name) → answer → hold → retrieve → single-step transfer → cleared, in order.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab.js';
import { TwsClient, session, state, tag } from './test-client.js';

let lab: Lab;
let c: TwsClient;
beforeAll(async () => {
  lab = await startLab({ vendors: ['tws'], portBase: 0 });
  c = new TwsClient(lab);
});
afterAll(async () => lab.stop());

it('inbound → delivered (caller name) → answer → hold → retrieve → single-step transfer → cleared', async () => {
  const { token: T, feed } = await session(c);
  const placed = await c.post('/calls', { from: '0612345678', to: '4694', fromName: 'Sophie Lefebvre' });
  expect(placed.status).toBe(201);
  const delivered = await feed.waitFor((f) => state(f) === 'delivered');
  const caller = tag(delivered, 'm_Users') as string;
  expect(tag(caller, 'm_publicUserNumber')).toBe('0612345678');
  expect(tag(caller, 'm_UserInfoDisplay')).toBe('Sophie Lefebvre');
  expect(tag(delivered, 'm_eventReason')).toBe('NameResolved');
  const callLogId = tag(delivered, 'm_callLogId');
  expect(await c.fn('TWS_AnswerCallQueuedByDefaultDevice', { tokenGuid: T })).toBe(0);
  await feed.waitFor((f) => state(f) === 'established');
  expect(await c.fn('TWS_HoldCallActiveByDefaultDevice', { tokenGuid: T })).toBe(0);
  await feed.waitFor((f) => state(f) === 'held');
  expect(await c.fn('TWS_RetrieveCallHeldByDefaultDevice', { tokenGuid: T })).toBe(0);
  await feed.waitFor((f) => state(f) === 'retrieved');
  const back = feed.frames.length;
  await feed.waitFor((f) => state(f) === 'established', 3000, back - 1);
  expect(await c.fn('TWS_SingleStepTransActiveByDefaultDevice', { tokenGuid: T, szTo: '3000' })).toBe(0);
  const cleared = await feed.waitFor((f) => state(f) === 'cleared');
  expect(tag(cleared, 'm_ccoState')).toBe('free');
  // Hector's intercom group (4594, 3000) also sends colleague (supervision) frames: only his calls here.
  const calls = feed.frames.filter((f) => tag(f, 'eventType') === 'CallEvent');
  const seq = calls.map(state);
  expect(seq).toEqual(['delivered', 'established', 'held', 'retrieved', 'established', 'transferred', 'cleared']);
  // One call, one connection id and one call-log id throughout.
  expect(new Set(calls.map((f) => tag(f, 'm_connectionId')))).toEqual(new Set(['c1']));
  expect(new Set(calls.map((f) => tag(f, 'm_callLogId')))).toEqual(new Set([callLogId]));
  // The caller now rings 3000.
  expect(lab.pbx.legsOf('3000').map((x) => x.leg.state)).toEqual(['alerting']);
  feed.close();
});
