// Telephony over real HTTPS and chunk channels (digest §7 T09–T13, T15–T17): call control by callRef, the
// events each party gets, capabilities, the error mapping.
import { afterEach, describe, expect, it } from 'vitest';
import { o2gHarness, type O2gHarness } from './test-client.js';

let h: O2gHarness;
afterEach(async () => {
  await h?.close();
});

const legOf = (e: { legs?: Array<{ deviceId: string }>; modifiedLegs?: Array<{ deviceId: string }> }, device: string) =>
  (e.legs ?? e.modifiedLegs ?? []).find((l) => l.deviceId === device) as { state: string; ringingRemote?: boolean; capabilities: Record<string, boolean> } | undefined;

async function twoAgents() {
  h = await o2gHarness();
  const a = await h.subscribed('agent1', '1111');
  const b = await h.subscribed('agent2', '2222');
  return { a, b };
}

/** agent1 and agent2 in an ACTIVE call made by agent1; returns the callRef. */
async function connected(a: Awaited<ReturnType<typeof twoAgents>>['a'], b: Awaited<ReturnType<typeof twoAgents>>['b']): Promise<string> {
  expect((await a.c.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125', autoAnswer: true })).status).toBe(201);
  const created = await b.ch.next('OnCallCreated');
  expect((await b.c.api('POST', `/telephony/calls/${created.callRef}/answer`, { deviceId: '70125' })).status).toBe(204);
  await a.ch.next((e) => e.eventName === 'OnCallModified' && legOf(e, '70123')?.state === 'ACTIVE');
  await b.ch.next((e) => e.eventName === 'OnCallModified' && legOf(e, '70125')?.state === 'ACTIVE');
  return created.callRef as string;
}

describe('T09 make, answer, hang up', () => {
  it('gives both parties Created → Modified(ACTIVE) → Removed(CLEARED), with user states', async () => {
    const { a, b } = await twoAgents();
    const made = await a.c.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125', autoAnswer: true });
    expect(made.status).toBe(201);
    expect(made.text).toBe('');
    const ac = await a.ch.next('OnCallCreated');
    expect(ac).toMatchObject({ loginName: 'agent1', legs: [{ deviceId: '70123', state: 'RINGING_OUTGOING', ringingRemote: true }] });
    expect(ac.participants).toEqual([expect.objectContaining({ identity: expect.objectContaining({ id: { loginName: 'agent2', phoneNumber: '70125' }, lastName: 'Dupont' }) })]);
    expect(await a.ch.next('OnUserStateModified')).toMatchObject({ state: 'BUSY' });
    const bc = await b.ch.next('OnCallCreated');
    expect(bc.callRef).toBe(ac.callRef);
    expect(legOf(bc, '70125')).toMatchObject({ state: 'RINGING_INCOMING', capabilities: { answer: true, drop: true, hold: false } });
    expect(bc.callData.capabilities).toMatchObject({ redirect: true, redirectToVoiceMail: true, terminate: true, reject: false });
    expect((await b.c.api('POST', `/telephony/calls/${bc.callRef}/answer`, { deviceId: '70125' })).status).toBe(204);
    const bm = await b.ch.next('OnCallModified');
    expect(legOf(bm, '70125')).toMatchObject({ state: 'ACTIVE', capabilities: { answer: false, hold: true, sendDtmf: true } });
    const am = await a.ch.next('OnCallModified');
    expect(legOf(am, '70123')).toMatchObject({ state: 'ACTIVE' });
    expect(legOf(am, '70123')?.ringingRemote).toBeUndefined();
    expect((await a.c.api('DELETE', `/telephony/calls/${ac.callRef}`)).status).toBe(204);
    expect(await a.ch.next('OnCallRemoved')).toMatchObject({ callRef: ac.callRef, cause: 'CLEARED' });
    expect(await a.ch.next('OnUserStateModified')).toMatchObject({ state: 'FREE' });
    expect(await b.ch.next('OnCallRemoved')).toMatchObject({ callRef: ac.callRef, cause: 'CLEARED' });
    expect(await b.ch.next('OnUserStateModified')).toMatchObject({ state: 'FREE' });
    expect((await a.c.api('GET', '/telephony/calls')).json).toEqual({ calls: [] });
  });

  it('without autoAnswer rings the caller\'s own set first (L3339); answering it dials', async () => {
    const { a, b } = await twoAgents();
    expect((await a.c.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125' })).status).toBe(201);
    const own = await a.ch.next('OnCallCreated');
    expect(legOf(own, '70123')).toMatchObject({ state: 'RINGING_INCOMING', capabilities: { answer: true } });
    expect(own.participants).toEqual([]);
    expect(await b.ch.rest(100)).toEqual([]);
    expect((await a.c.api('POST', `/telephony/calls/${own.callRef}/answer`, { deviceId: '70123' })).status).toBe(204);
    await b.ch.next('OnCallCreated');
    const m = await a.ch.next((e) => e.eventName === 'OnCallModified' && legOf(e, '70123')?.state === 'RINGING_OUTGOING');
    expect(m.addedParticipants).toHaveLength(1);
  });

  it('a busy callee: the call is shown releasing, then removed with cause BUSY', async () => {
    h = await o2gHarness();
    const a = await h.subscribed('agent1', '1111');
    await h.control('POST', '/devices/70125/dnd', { on: true });
    expect((await a.c.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125', autoAnswer: true })).status).toBe(201);
    const created = await a.ch.next('OnCallCreated');
    expect(created).toMatchObject({ cause: 'BUSY', legs: [{ state: 'RELEASING' }] });
    expect(await a.ch.next('OnCallRemoved')).toMatchObject({ callRef: created.callRef, cause: 'BUSY' });
    expect((await a.c.api('GET', '/telephony/calls')).json).toEqual({ calls: [] });
  });
});

describe('T10 ACD call distributed by the pilot', () => {
  it('rings the READY agent with acdCallData and associateData; answer makes the agent BUSY', async () => {
    h = await o2gHarness();
    const a = await h.subscribed('agent1', '1111');
    expect((await a.c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70123', pgGroupNumber: '60121' })).status).toBe(204);
    await a.ch.next((e) => e.eventName === 'OnAgentStateChanged' && e.state.subState === 'READY');
    const placed = await h.control('POST', '/calls', { from: '0612345678', to: '60100', data: { associatedData: 'CUST-42', orderId: 'O-123456' } });
    expect(placed.status).toBe(201);
    const c = await a.ch.next('OnCallCreated');
    expect(c).toMatchObject({
      cause: 'DISTRIBUTED',
      callData: {
        associateData: 'CUST-42',
        tags: [{ name: 'orderId', value: 'O-123456' }],
        acdCallData: { pilotNumber: '60100', callInfo: { agentGroup: '60121', queueWaitingTime: expect.any(Number), globalWaitingTime: expect.any(Number) }, queueData: { saturated: false } },
        initialCalled: { id: { phoneNumber: '60100' } },
      },
      participants: [{ identity: { id: { phoneNumber: '0612345678' }, displayName: 'Sophie Lefebvre', type: { main: 'EXTERNAL' } } }],
    });
    expect(legOf(c, '70123')).toMatchObject({ state: 'RINGING_INCOMING', capabilities: { answer: true } });
    expect((await a.c.api('POST', `/telephony/calls/${c.callRef}/answer`, { deviceId: '70123' })).status).toBe(204);
    await a.ch.next((e) => e.eventName === 'OnCallModified' && legOf(e, '70123')?.state === 'ACTIVE');
    expect(await a.ch.next('OnAgentStateChanged')).toMatchObject({ state: { mainState: 'LOG_ON', subState: 'BUSY', proAcdDeviceNumber: '70123', pgNumber: '60121' } });
    const got = await a.c.api('GET', `/telephony/calls/${c.callRef}`);
    expect(got.status).toBe(200);
    expect(got.json.callData.acdCallData).toEqual(c.callData.acdCallData);
    // The caller hangs up: the agent goes to wrap-up.
    await h.control('POST', '/devices/0612345678/hangup');
    expect(await a.ch.next('OnCallRemoved')).toMatchObject({ callRef: c.callRef, cause: 'CLEARED' });
    expect(await a.ch.next('OnAgentStateChanged')).toMatchObject({ state: { subState: 'WRAPUP' } });
  });

  it('a call to the agent\'s own number rings it directly, without ACD data', async () => {
    h = await o2gHarness();
    const a = await h.subscribed('agent1', '1111');
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    const c = await a.ch.next('OnCallCreated');
    expect(c.cause).toBeUndefined();
    expect(c.callData.acdCallData).toBeUndefined();
  });
});

describe('T11 hold, retrieve, illegal state, foreign device', () => {
  it('holds and retrieves; hold twice is INCOMPATIBLE_WITH_STATE; another user\'s device is UNAUTHORIZED', async () => {
    const { a, b } = await twoAgents();
    const ref = await connected(a, b);
    expect((await a.c.api('POST', `/telephony/calls/${ref}/hold`, { deviceId: '70123' })).status).toBe(204);
    const held = await a.ch.next('OnCallModified');
    expect(legOf(held, '70123')).toMatchObject({ state: 'HELD', capabilities: { answer: false, retrieve: true, hold: false } });
    const again = await a.c.api('POST', `/telephony/calls/${ref}/hold`, { deviceId: '70123' });
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({ httpStatus: 'BAD_REQUEST', code: 1004, type: 'NOT_EXPECTED', telephony: { errorType: 'INCOMPATIBLE_WITH_STATE' } });
    expect((await a.c.api('POST', `/telephony/calls/${ref}/retrieve`, { deviceId: '70123' })).status).toBe(204);
    expect(legOf(await a.ch.next('OnCallModified'), '70123')).toMatchObject({ state: 'ACTIVE' });
    const foreign = await a.c.api('POST', `/telephony/calls/${ref}/hold`, { deviceId: '70125' });
    expect(foreign.status).toBe(403);
    expect(foreign.json).toMatchObject({ code: 1002, type: 'NOT_ALLOWED', telephony: { errorType: 'UNAUTHORIZED' } });
    // The far end hears music on hold but gets no event for it (digest §4.4 #5).
    expect((await b.ch.rest(50)).filter((e) => e.eventName === 'OnCallModified')).toEqual([]);
  });
});

describe('T12 consultation: transfer, reconnect, alternate', () => {
  async function consulting() {
    h = await o2gHarness();
    const a = await h.subscribed('agent1', '1111');
    const b = await h.subscribed('agent2', '2222');
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    const c1 = (await a.ch.next('OnCallCreated')).callRef as string;
    await a.c.api('POST', `/telephony/calls/${c1}/answer`, { deviceId: '70123' });
    await a.ch.next((e) => e.eventName === 'OnCallModified' && legOf(e, '70123')?.state === 'ACTIVE');
    expect((await a.c.api('POST', `/telephony/calls/${c1}/hold`, { deviceId: '70123' })).status).toBe(204);
    await a.ch.next((e) => e.eventName === 'OnCallModified' && legOf(e, '70123')?.state === 'HELD');
    expect((await a.c.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125', autoAnswer: true })).status).toBe(201);
    const c2 = (await a.ch.next('OnCallCreated')).callRef as string;
    const bc = await b.ch.next('OnCallCreated');
    await b.c.api('POST', `/telephony/calls/${bc.callRef}/answer`, { deviceId: '70125' });
    // With a held call besides, the active call can be transferred and merged.
    const m = await a.ch.next((e) => e.eventName === 'OnCallModified' && e.callRef === c2 && legOf(e, '70123')?.state === 'ACTIVE');
    expect(m.callData.capabilities).toMatchObject({ transfer: true, merge: true });
    await b.ch.next('OnCallModified');
    return { a, b, c1, c2 };
  }

  it('transfer joins the caller and agent2: agent1 loses both calls, agent2 continues on c1 with previousCallRef c2', async () => {
    const { a, b, c1, c2 } = await consulting();
    expect((await a.c.api('POST', `/telephony/calls/${c2}/transfer`, { heldCallRef: c1 })).status).toBe(204);
    const removed = [await a.ch.next('OnCallRemoved'), await a.ch.next('OnCallRemoved')];
    expect(removed.map((e) => e.callRef).sort()).toEqual([c1, c2].sort());
    expect(removed.every((e) => e.cause === 'TRANSFERRED')).toBe(true);
    const bm = await b.ch.next('OnCallModified');
    expect(bm).toMatchObject({ callRef: c1, previousCallRef: c2, cause: 'TRANSFERRED' });
    expect(bm.addedParticipants[0].identity.id.phoneNumber).toBe('0612345678');
    expect(bm.removedParticipantIds).toHaveLength(1);
    expect((await b.ch.rest(50)).filter((e) => e.eventName === 'OnCallRemoved')).toEqual([]);
  });

  it('reconnect cancels the consultation; alternate swaps the calls', async () => {
    const { a, b, c1, c2 } = await consulting();
    expect((await a.c.api('POST', `/telephony/calls/${c1}/alternate`, { deviceId: '70123' })).status).toBe(204);
    const swapped = [await a.ch.next('OnCallModified'), await a.ch.next('OnCallModified')];
    const byRef = Object.fromEntries(swapped.map((e) => [e.callRef, legOf(e, '70123')?.state]));
    expect(byRef).toEqual({ [c1]: 'ACTIVE', [c2]: 'HELD' });
    // The path names the held call: reconnect from c2 (held now) drops the enquiry c1.
    expect((await a.c.api('POST', `/telephony/calls/${c2}/reconnect`, { deviceId: '70123', enquiryCallRef: c1 })).status).toBe(204);
    expect(await a.ch.next('OnCallRemoved')).toMatchObject({ callRef: c1 });
    expect(legOf(await a.ch.next((e) => e.eventName === 'OnCallModified' && e.callRef === c2), '70123')).toMatchObject({ state: 'ACTIVE' });
    // agent2 was held and retrieved: a two-party call shows no remote hold (digest §4.4 #5).
    expect((await b.ch.rest(50)).filter((e) => e.eventName === 'OnCallModified')).toEqual([]);
    const wrong = await a.c.api('POST', `/telephony/calls/${c2}/transfer`, { heldCallRef: c2 });
    expect(wrong.json.telephony.errorType).toBe('INCOMPATIBLE_WITH_STATE');
  });

  it('merge makes a conference on the active call\'s ref, with previousCallRef and no OnCallRemoved (L3423)', async () => {
    const { a, b, c1, c2 } = await consulting();
    expect((await a.c.api('POST', `/telephony/calls/${c2}/merge`, { heldCallRef: c1 })).status).toBe(204);
    const am = await a.ch.next('OnCallModified');
    expect(am).toMatchObject({ callRef: c2, previousCallRef: c1, cause: 'CONFERENCED' });
    expect(am.addedParticipants).toHaveLength(1);
    expect(am.callData.capabilities.dropParticipant).toBe(true);
    expect((await a.ch.rest(50)).filter((e) => e.eventName === 'OnCallRemoved')).toEqual([]);
    const bm = await b.ch.next('OnCallModified');
    expect(bm).toMatchObject({ callRef: c2, cause: 'CONFERENCED' });
    const parts = await a.c.api('GET', `/telephony/calls/${c2}/participants`);
    expect(parts.json.participants).toHaveLength(2);
    expect(parts.json.participants.every((p: { state?: string }) => p.state === 'ACTIVE')).toBe(true);
    // Drop the outside caller: agent1 and agent2 stay.
    const caller = parts.json.participants.find((p: { identity: { id: { phoneNumber?: string } } }) => p.identity.id.phoneNumber === '0612345678');
    expect((await a.c.api('DELETE', `/telephony/calls/${c2}/participants/${caller.participantId}`)).status).toBe(204);
    expect(await a.ch.next('OnCallModified')).toMatchObject({ callRef: c2, removedParticipantIds: [caller.participantId], cause: 'PARTICIPANT_LEFT' });
    expect((await a.c.api('DELETE', `/telephony/calls/${c2}/participants/nobody`)).json.telephony.errorType).toBe('BAD_PARAMETER_VALUE');
    // agent1 leaves: a two-party call ends for agent2 too.
    expect((await a.c.api('POST', `/telephony/calls/${c2}/dropme`)).status).toBe(204);
    await a.ch.next('OnCallRemoved');
    await b.ch.next('OnCallRemoved');
  });
});

describe('T13 DTMF, blind transfer, redirect to voicemail', () => {
  it('sends DTMF on an active call only', async () => {
    const { a, b } = await twoAgents();
    const ref = await connected(a, b);
    expect((await a.c.api('POST', `/telephony/calls/${ref}/sendDtmf`, { deviceId: '70123', number: '12#' })).status).toBe(204);
    expect((await a.c.api('POST', `/telephony/calls/${ref}/sendDtmf`, { deviceId: '70123', number: 'x!' })).json.telephony.errorType).toBe('BAD_PARAMETER_VALUE');
  });

  it('blind transfer: agent1 leaves, the caller rings agent2 with cause TRANSFERRED', async () => {
    h = await o2gHarness();
    const a = await h.subscribed('agent1', '1111');
    const b = await h.subscribed('agent2', '2222');
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    const c = await a.ch.next('OnCallCreated');
    await a.c.api('POST', `/telephony/calls/${c.callRef}/answer`, { deviceId: '70123' });
    await a.ch.next('OnCallModified');
    expect((await a.c.api('POST', `/telephony/calls/${c.callRef}/blindtransfer`, { transferTo: '70125' })).status).toBe(204);
    expect(await a.ch.next('OnCallRemoved')).toMatchObject({ cause: 'TRANSFERRED', newDestination: '70125' });
    const bc = await b.ch.next('OnCallCreated');
    expect(bc).toMatchObject({ cause: 'TRANSFERRED', legs: [{ state: 'RINGING_INCOMING' }] });
    // agent2 redirects the ringing call to its voicemail.
    expect((await b.c.api('POST', `/telephony/calls/${bc.callRef}/redirect`, { redirectTo: 'VOICEMAIL' })).status).toBe(204);
    expect(await b.ch.next('OnCallRemoved')).toMatchObject({ cause: 'REDIRECTED', newDestination: '70999' });
    // The voicemail takes the call: a message is left, agent2's counter and MWI light.
    expect(await b.ch.next((e) => e.eventName === 'OnEventSummaryUpdated' && e.eventSummary.voiceMessagesNb === 1, 5000)).toBeDefined();
  });

  it('redirect to a number; redirect of an active call is refused', async () => {
    const { a, b } = await twoAgents();
    const ref = await connected(a, b);
    expect((await a.c.api('POST', `/telephony/calls/${ref}/redirect`, { redirectTo: '70126' })).json.telephony.errorType).toBe('INCOMPATIBLE_WITH_STATE');
    await a.c.api('DELETE', `/telephony/calls/${ref}`);
    await h.control('POST', '/calls', { from: '0612345678', to: '70125' });
    const bc = await b.ch.next('OnCallCreated');
    const k = await h.subscribed('klopez', '5555');
    expect((await b.c.api('POST', `/telephony/calls/${bc.callRef}/redirect`, { redirectTo: '70126' })).status).toBe(204);
    expect(await b.ch.next('OnCallRemoved')).toMatchObject({ cause: 'REDIRECTED', newDestination: '70126' });
    const kc = await k.ch.next('OnCallCreated');
    expect(kc).toMatchObject({ cause: 'REDIRECTED', callData: { initialCalled: { id: { loginName: 'agent2', phoneNumber: '70125' } } } });
    expect((await b.c.api('POST', '/telephony/calls/nope/redirect', { redirectTo: '70126' })).status).toBe(404);
  });
});

describe('T15 T16 account info and associated data', () => {
  it('sendaccountinfo takes digits only, also just after the call', async () => {
    const { a, b } = await twoAgents();
    const ref = await connected(a, b);
    expect((await a.c.api('POST', `/telephony/calls/${ref}/sendaccountinfo`, { deviceId: '70123', accountInfo: '4711' })).status).toBe(204);
    expect((await a.ch.next((e) => e.eventName === 'OnCallModified' && e.callData?.accountInfo === '4711')).callRef).toBe(ref);
    const bad = await a.c.api('POST', `/telephony/calls/${ref}/sendaccountinfo`, { deviceId: '70123', accountInfo: 'ABC' });
    expect(bad.status).toBe(400);
    expect(bad.json.telephony.errorType).toBe('BAD_PARAMETER_VALUE');
    await a.c.api('DELETE', `/telephony/calls/${ref}`);
    await a.ch.next('OnCallRemoved');
    expect((await a.c.api('POST', `/telephony/calls/${ref}/sendaccountinfo`, { deviceId: '70123', accountInfo: '4712' })).status).toBe(204);
  });

  it('associatedData over 32 bytes is BAD_PARAMETER_VALUE; 32 bytes reach the callee; attachdata changes it', async () => {
    const { a, b } = await twoAgents();
    const tooLong = await a.c.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125', autoAnswer: true, associatedData: 'x'.repeat(33) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toMatchObject({ code: 1006, type: 'BAD_PARAMETER', telephony: { errorType: 'BAD_PARAMETER_VALUE' } });
    const data = 'D'.repeat(32);
    expect((await a.c.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125', autoAnswer: true, associatedData: data })).status).toBe(201);
    const bc = await b.ch.next('OnCallCreated');
    expect(bc.callData.associateData).toBe(data);
    expect((await a.c.api('POST', `/telephony/calls/${bc.callRef}/attachdata`, { deviceId: '70123', associatedData: 'X1' })).status).toBe(204);
    expect((await b.ch.next('OnCallModified')).callData.associateData).toBe('X1');
    expect((await a.ch.next((e) => e.eventName === 'OnCallModified' && e.callData?.associateData === 'X1')).callRef).toBe(bc.callRef);
    expect((await a.c.api('POST', `/telephony/calls/${bc.callRef}/attachdata`, { hexaBinaryAssociatedData: '00'.repeat(33) })).status).toBe(400);
  });
});

describe('T17 unknown callRef and bad parameters', () => {
  it('answers 404 / 400 with CALL_REFERENCE_NOT_FOUND, 400 for a bad action or malformed JSON', async () => {
    h = await o2gHarness();
    const c = await h.user('agent1', '1111');
    const get = await c.api('GET', '/telephony/calls/does-not-exist');
    expect(get.status).toBe(404);
    expect(get.json).toMatchObject({ httpStatus: 'NOT_FOUND', code: 1003, type: 'NOT_FOUND', telephony: { errorType: 'CALL_REFERENCE_NOT_FOUND', errorCause: 'INVALID_CALL_ID' } });
    const answer = await c.api('POST', '/telephony/calls/does-not-exist/answer', { deviceId: '70123' });
    expect(answer.status).toBe(400);
    expect(answer.json.telephony.errorType).toBe('CALL_REFERENCE_NOT_FOUND');
    const rec = await c.api('POST', '/telephony/calls/x/recording?action=rewind');
    expect(rec.status).toBe(400);
    const bad = await c.api('POST', '/telephony/calls', undefined, { raw: '{"deviceId":' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 1006, type: 'BAD_PARAMETER' });
    const noDevice = await c.api('POST', '/telephony/calls', { callee: '70125' });
    expect(noDevice.status).toBe(400);
    expect((await c.api('POST', '/telephony/calls', { deviceId: '70123', callee: 'abc!' })).json.telephony.errorType).toBe('BAD_PARAMETER_VALUE');
  });
});

describe('recording, park, pickup, callback, snapshot', () => {
  it('records: start → pause → resume → stop, with recordState and capabilities', async () => {
    const { a, b } = await twoAgents();
    const ref = await connected(a, b);
    const step = async (action: string, expected: string | undefined) => {
      expect((await a.c.api('POST', `/telephony/calls/${ref}/recording?action=${action}`)).status).toBe(204);
      const m = await a.ch.next((e) => e.eventName === 'OnCallModified' && e.callData);
      expect(m.callData.recordState).toBe(expected);
      return m.callData.capabilities;
    };
    expect(await step('start', 'RECORDING')).toMatchObject({ startRecord: false, stopRecord: true, pauseRecord: true });
    expect(await step('pause', 'PAUSED')).toMatchObject({ resumeRecord: true, pauseRecord: false });
    await step('resume', 'RECORDING');
    expect(await step('stop', undefined)).toMatchObject({ startRecord: true });
    expect((await a.c.api('POST', `/telephony/calls/${ref}/recording?action=stop`)).json.telephony.errorType).toBe('INCOMPATIBLE_WITH_STATE');
  });

  it('parks a call on a device and unparks it from another', async () => {
    const { a, b } = await twoAgents();
    const ref = await connected(a, b);
    expect((await a.c.api('POST', `/telephony/calls/${ref}/park`, { parkTo: '70126' })).status).toBe(204);
    await a.ch.next('OnCallRemoved');
    const k = await h.subscribed('klopez', '5555');
    const state = await k.c.api('GET', '/telephony/state');
    expect(state.json.deviceCapabilities).toEqual([expect.objectContaining({ deviceId: '70126', unParkCall: true })]);
    expect((await k.c.api('POST', '/telephony/devices/70126/unpark', {})).status).toBe(204);
    const kc = await k.ch.next('OnCallCreated');
    expect(legOf(kc, '70126')).toMatchObject({ state: 'ACTIVE' });
    expect(kc.participants[0].identity.id.loginName).toBe('agent2');
    expect((await k.c.api('POST', '/telephony/devices/70126/unpark', {})).json.telephony.errorType).toBe('INCOMPATIBLE_WITH_STATE');
  });

  it('picks up a call ringing at a colleague', async () => {
    const { a, b } = await twoAgents();
    await h.control('POST', '/calls', { from: '0612345678', to: '70125' });
    const bc = await b.ch.next('OnCallCreated');
    expect((await a.c.api('POST', '/telephony/devices/70123/pickup', { otherPhoneNumber: '70125', otherCallRef: bc.callRef, autoAnswer: true })).status).toBe(204);
    expect(await b.ch.next('OnCallRemoved')).toMatchObject({ cause: 'PICKED_UP' });
    const ac = await a.ch.next('OnCallCreated');
    expect(ac).toMatchObject({ cause: 'PICKED_UP', legs: [{ state: 'ACTIVE' }] });
    expect((await a.c.api('POST', '/telephony/devices/70125/pickup', { otherPhoneNumber: '70126' })).status).toBe(403);
  });

  it('a callback request on a ringing user counts on its event summary', async () => {
    const { a, b } = await twoAgents();
    await a.c.api('POST', '/telephony/calls', { deviceId: '70123', callee: '70125', autoAnswer: true });
    const ac = await a.ch.next('OnCallCreated');
    expect(ac.callData.capabilities.callBack).toBe(true);
    expect((await a.c.api('POST', `/telephony/calls/${ac.callRef}/callback`)).status).toBe(204);
    await a.ch.next('OnCallRemoved');
    expect(await b.ch.next((e) => e.eventName === 'OnEventSummaryUpdated' && e.eventSummary.callBackRequestsNb === 1)).toBeDefined();
    const cbs = await b.c.api('GET', '/telephony/incomingCallbacks');
    expect(cbs.json.callbacks).toEqual([expect.objectContaining({ partyInfo: expect.objectContaining({ id: { loginName: 'agent1', phoneNumber: '70123' } }) })]);
  });

  it('state/snapshot sends OnTelephonyState with the calls and device capabilities', async () => {
    const { a, b } = await twoAgents();
    const ref = await connected(a, b);
    expect((await a.c.api('POST', '/telephony/state/snapshot')).status).toBe(204);
    const s = await a.ch.next('OnTelephonyState');
    expect(s.state.calls.map((c: { callRef: string }) => c.callRef)).toEqual([ref]);
    expect(s.state).toMatchObject({ userState: 'BUSY', deviceCapabilities: [{ deviceId: '70123', makeCall: true }] });
    const legs = await a.c.api('GET', `/telephony/calls/${ref}/deviceLegs`);
    expect(legs.json.legs).toEqual([expect.objectContaining({ deviceId: '70123', state: 'ACTIVE' })]);
    expect((await a.c.api('GET', `/telephony/calls/${ref}/deviceLegs/70123`)).status).toBe(200);
    expect((await a.c.api('GET', `/telephony/calls/${ref}/deviceLegs/70999`)).status).toBe(404);
  });
});
