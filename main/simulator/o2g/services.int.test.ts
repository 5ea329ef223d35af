// The communication log and event summary (T21), the directory search loop (T22) and routing/DND (T24).
import { afterEach, describe, expect, it } from 'vitest';
import { o2gHarness, type O2gHarness } from './test-client.js';

let h: O2gHarness;
afterEach(async () => {
  await h?.close();
});

describe('T21 missed call → comlog → acknowledgement → counters', () => {
  it('creates an unacknowledged record, counts it, acknowledges it; unknown deletes are silent', async () => {
    h = await o2gHarness();
    const { c, ch } = await h.subscribed('agent2', '2222');
    await h.control('POST', '/calls', { from: '0612345678', to: '70125' });
    await ch.next('OnCallCreated');
    await h.control('POST', '/devices/0612345678/hangup');
    expect(await ch.next('OnCallRemoved')).toMatchObject({ cause: 'ABANDONED' });
    const created = await ch.next('OnComRecordCreated');
    const id = created.record.recordId as number;
    expect(created.record).toMatchObject({
      acknowledged: false,
      medias: ['AUDIO'],
      participants: [
        { role: 'CALLEE', answered: false, identity: { id: { loginName: 'agent2' } }, reason: 'ABANDONED' },
        { identity: { id: { phoneNumber: '0612345678' }, displayName: 'Sophie Lefebvre' } },
      ],
    });
    expect(created.record.beginDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await ch.next('OnEventSummaryUpdated')).toMatchObject({ eventSummary: { missedCallsNb: 1, eventWaiting: true } });
    const list = await c.api('GET', '/comlog/records?unanswered=true&unacknowledged=true');
    expect(list.json).toMatchObject({ offset: 0, limit: 0, totalCount: 1 });
    expect(list.json.comHistoryRecords.map((r: { recordId: number }) => r.recordId)).toEqual([id]);
    expect((await c.api('GET', `/comlog/records/${id}`)).json.comRef).toBe(created.record.comRef);
    expect((await c.api('GET', '/comlog/records/424242')).status).toBe(404);
    expect((await c.api('GET', '/eventSummary')).json).toMatchObject({ missedCallsNb: 1 });
    expect((await c.api('PUT', `/comlog/records?acknowledge=true`, { recordIds: [id] })).status).toBe(204);
    expect(await ch.next('OnComRecordsAck')).toEqual({ eventName: 'OnComRecordsAck', loginName: 'agent2', recordIds: [id] });
    expect(await ch.next('OnEventSummaryUpdated')).toMatchObject({ eventSummary: { missedCallsNb: 0 } });
    expect((await c.api('PUT', `/comlog/records?acknowledge=false`, { recordIds: [id] })).status).toBe(204);
    expect(await ch.next('OnComRecordsUnAck')).toMatchObject({ recordIds: [id] });
    expect((await c.api('PUT', `/comlog/records`, { recordIds: [id] })).status).toBe(400);
    expect((await c.api('DELETE', '/comlog/records?recordIdList=999999')).status).toBe(204);
    expect((await ch.rest(80)).filter((e) => e.eventName === 'OnComRecordsDeleted')).toEqual([]);
    expect((await c.api('GET', '/comlog/records/recordIds')).json).toEqual({ recordIds: [id] });
    expect((await c.api('DELETE', `/comlog/records/${id}`)).status).toBe(204);
    expect(await ch.next('OnComRecordsDeleted')).toMatchObject({ recordIds: [id] });
  });

  it('an answered call from the same number acknowledges the earlier missed one (L5064); paging and filters', async () => {
    h = await o2gHarness();
    const { c, ch } = await h.subscribed('agent2', '2222');
    await h.control('POST', '/calls', { from: '0612345678', to: '70125' });
    await h.control('POST', '/devices/0612345678/hangup');
    await ch.next((e) => e.eventName === 'OnEventSummaryUpdated' && e.eventSummary.missedCallsNb === 1);
    await h.control('POST', '/calls', { from: '0612345678', to: '70125' });
    const call = await ch.next('OnCallCreated');
    await c.api('POST', `/telephony/calls/${call.callRef}/answer`, { deviceId: '70125' });
    await c.api('DELETE', `/telephony/calls/${call.callRef}`);
    expect(await ch.next('OnComRecordsAck')).toBeDefined();
    expect(await ch.next((e) => e.eventName === 'OnEventSummaryUpdated' && e.eventSummary.missedCallsNb === 0)).toBeDefined();
    const page = await c.api('GET', '/comlog/records?offset=1&limit=1');
    expect(page.json).toMatchObject({ offset: 1, limit: 1, totalCount: 2 });
    expect(page.json.comHistoryRecords).toHaveLength(1);
    expect((await c.api('GET', '/comlog/records?role=CALLER')).json.totalCount).toBe(0);
    expect((await c.api('GET', '/comlog/records?remotePartyId=0612345678')).json.totalCount).toBe(2);
    expect((await c.api('GET', '/comlog/records?afterDate=garbage')).status).toBe(400);
    const optimized = await c.api('GET', '/comlog/records?optimized=true');
    expect(optimized.json.comHistoryRecords[1].participants[1].identity).toEqual({ id: { phoneNumber: '0612345678' } });
    expect((await c.api('DELETE', '/comlog/records')).status).toBe(204);
    expect(await ch.next('OnComRecordsDeleted')).toEqual({ eventName: 'OnComRecordsDeleted', loginName: 'agent2' });
  });
});

describe('T22 directory search', () => {
  it('polls NOK → OK → FINISH; composite criteria; limits', async () => {
    h = await o2gHarness();
    const c = await h.user('agent1', '1111');
    expect((await c.api('POST', '/directory/search', { limit: 10, filter: { field: 'lastName', operation: 'BEGIN_WITH', operand: 'Dup' } })).status).toBe(201);
    expect((await c.api('GET', '/directory/search')).json).toEqual({ resultCode: 'NOK' });
    expect((await c.api('GET', '/directory/search')).json).toEqual({
      resultCode: 'OK',
      resultElements: [{ contacts: [{ id: { loginName: 'agent2', phoneNumber: '70125' }, firstName: 'Jean', lastName: 'Dupont' }] }],
    });
    expect((await c.api('GET', '/directory/search')).json).toEqual({ resultCode: 'FINISH' });
    expect((await c.api('DELETE', '/directory/search')).status).toBe(204);
    expect((await c.api('GET', '/directory/search')).status).toBe(400);
    const composite = {
      filter: {
        operation: 'AND',
        operand: [
          { field: 'lastName', operation: 'BEGIN_WITH', operand: 'Du' },
          { field: 'firstName', operation: 'EQUAL_IGNORE_CASE', operand: 'jean' },
        ],
      },
    };
    expect((await c.api('POST', '/directory/search', composite)).status).toBe(201);
    await c.api('GET', '/directory/search');
    expect((await c.api('GET', '/directory/search')).json.resultElements[0].contacts.map((x: { lastName: string }) => x.lastName)).toEqual(['Dupont']);
    // The PBX directory too, accent-insensitive.
    await c.api('POST', '/directory/search', { filter: { operation: 'OR', operand: [{ field: 'id.phoneNumber', operation: 'EQUAL_IGNORE_CASE', operand: '0612345678' }, { field: 'lastName', operation: 'CONTAIN', operand: 'lefebvre' }] } });
    await c.api('GET', '/directory/search');
    expect((await c.api('GET', '/directory/search')).json.resultElements[0].contacts).toEqual([{ id: { phoneNumber: '0612345678' }, firstName: 'Sophie', lastName: 'Lefebvre' }]);
    expect((await c.api('POST', '/directory/search', { limit: 101, filter: { field: 'lastName', operation: 'BEGIN_WITH', operand: 'D' } })).status).toBe(400);
    expect((await c.api('POST', '/directory/search', { filter: { field: 'email', operation: 'BEGIN_WITH', operand: 'D' } })).status).toBe(400);
    expect((await c.api('POST', '/directory/search', { filter: { operation: 'AND', operand: 'x' } })).status).toBe(400);
    // By DTMF: "Dupont" is 387668 on a keypad.
    expect((await c.api('POST', '/directory/searchbydtmf', { lastName: '3876', keyboardType: 'ITU' })).status).toBe(201);
    await c.api('GET', '/directory/search');
    expect((await c.api('GET', '/directory/search')).json.resultElements[0].contacts[0].lastName).toBe('Dupont');
  });

  it('an unused search context times out', async () => {
    h = await o2gHarness({ o2g: { searchIdleMs: 100 } });
    const c = await h.user('agent1', '1111');
    await c.api('POST', '/directory/search', { filter: { field: 'lastName', operation: 'BEGIN_WITH', operand: 'Dup' } });
    await new Promise((r) => setTimeout(r, 200));
    expect((await c.api('GET', '/directory/search')).json).toEqual({ resultCode: 'TIMEOUT' });
  });
});

describe('T24 routing and DND', () => {
  it('sets and cancels DND and forwards with OnRoutingStateChanged; refuses bad numbers with a routing error block', async () => {
    h = await o2gHarness();
    const { c, ch } = await h.subscribed('agent1', '1111');
    expect((await c.api('GET', '/routing')).json).toEqual({ presentationRoute: false, forwardRoute: true, overflowRoute: true, dnd: true });
    expect((await c.api('POST', '/routing/dnd')).status).toBe(204);
    expect(await ch.next('OnRoutingStateChanged')).toMatchObject({ routingState: { dndState: { activate: true }, presentationRoutes: [{ destinations: [{ type: 'OFFICE', deviceId: '70123', selected: true }] }] } });
    expect((await c.api('GET', '/routing/dnd')).json).toEqual({ activate: true });
    expect((await c.api('DELETE', '/routing/dnd')).status).toBe(204);
    expect(await ch.next('OnRoutingStateChanged')).toMatchObject({ routingState: { dndState: { activate: false } } });
    expect((await c.api('POST', '/routing/forwardroute', { forwardRoute: { destinations: [{ type: 'VOICEMAIL' }] } })).status).toBe(204);
    expect(await ch.next('OnRoutingStateChanged')).toMatchObject({ routingState: { forwardRoutes: [{ destinations: [{ type: 'VOICEMAIL', number: '70999' }] }] } });
    expect((await c.api('GET', '/routing/forwardroute')).json).toEqual({ destinations: [{ type: 'VOICEMAIL', number: '70999' }] });
    expect((await c.api('POST', '/routing/forwardroute', { forwardRoute: { forwardType: 'BUSY', destinations: [{ type: 'NUMBER', number: '70125' }] } })).status).toBe(204);
    const busy = await ch.next((e) => e.eventName === 'OnRoutingStateChanged' && e.routingState.forwardRoutes[0]?.forwardType === 'BUSY');
    expect(busy.routingState.forwardRoutes).toEqual([{ forwardType: 'BUSY', destinations: [{ type: 'NUMBER', number: '70125' }] }]);
    const bad = await c.api('POST', '/routing/forwardroute', { forwardRoute: { destinations: [{ type: 'NUMBER', number: 'abc!' }] } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 1006, routing: { errorType: 'BAD_PARAMETER_VALUE', errorCause: 'BAD_PHONE_NUMBER_FORMAT' } });
    expect((await c.api('POST', '/routing/forwardroute', { forwardRoute: { destinations: [{ type: 'NUMBER', number: '70123' }] } })).json.routing.errorCause).toBe('UNAUTHORIZED_PHONE_NUMBER');
    expect((await c.api('POST', '/routing/forwardroute', { forwardRoute: { destinations: [{ type: 'NUMBER', number: '12' }] } })).json.routing.errorType).toBe('UNKNOWN_PHONE_NUMBER');
    expect((await c.api('POST', '/routing/forwardroute', { forwardRoute: { destinations: [{ type: 'NUMBER', number: '70125' }, { type: 'VOICEMAIL' }] } })).json.routing.errorCause).toBe('INVALID_FORWARD_ROUTE');
    expect((await c.api('DELETE', '/routing/forwardroute')).status).toBe(204);
    expect(await ch.next((e) => e.eventName === 'OnRoutingStateChanged' && e.routingState.forwardRoutes.length === 0)).toBeDefined();
    expect((await c.api('GET', '/routing/forwardroute')).json).toEqual({});
  });

  it('a forward routes the next call; an overflow fills the condition the forward leaves free', async () => {
    h = await o2gHarness();
    const a = await h.subscribed('agent1', '1111');
    const b = await h.subscribed('agent2', '2222');
    await a.c.api('POST', '/routing/forwardroute', { forwardRoute: { destinations: [{ type: 'USER', number: '70125' }] } });
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    expect(await b.ch.next('OnCallCreated')).toMatchObject({ cause: 'FORWARDED', callData: { initialCalled: { id: { loginName: 'agent1' } } } });
    await a.c.api('DELETE', '/routing/forwardroute');
    expect((await a.c.api('POST', '/routing/overflowroute', { overflowRoutes: [{ overflowType: 'BUSY', destinations: [{ type: 'VOICEMAIL' }] }] })).status).toBe(204);
    const st = await a.ch.next((e) => e.eventName === 'OnRoutingStateChanged' && e.routingState.overflowRoutes.length === 1);
    expect(st.routingState).toMatchObject({ forwardRoutes: [], overflowRoutes: [{ overflowType: 'BUSY', destinations: [{ type: 'VOICEMAIL', number: '70999' }] }] });
    expect((await a.c.api('GET', '/routing/overflowroute')).json).toEqual({ overflowType: 'BUSY', destinations: [{ type: 'VOICEMAIL', number: '70999' }] });
    expect((await a.c.api('POST', '/routing/overflowroute', { overflowRoutes: [{ destinations: [{ type: 'VOICEMAIL' }] }] })).json.routing.errorCause).toBe('INVALID_OVERFLOW_ROUTE');
    expect((await a.c.api('POST', '/routing/overflowroute', { overflowRoutes: [{ overflowType: 'BUSY', destinations: [{ type: 'NUMBER', number: '70125' }] }] })).json.routing.errorCause).toBe('INVALID_OVERFLOW_ROUTE');
    expect((await a.c.api('DELETE', '/routing/overflowroute')).status).toBe(204);
    expect((await a.c.api('GET', '/routing/state')).json).toMatchObject({ forwardRoutes: [], overflowRoutes: [], dndState: { activate: false } });
    expect((await a.c.api('POST', '/routing/state/snapshot')).status).toBe(204);
    expect(await a.ch.next((e) => e.eventName === 'OnRoutingStateChanged' && e.routingState.overflowRoutes.length === 0)).toBeDefined();
    expect((await a.c.api('POST', '/routing', { presentationRoutes: [{ destinations: [{ type: 'MOBILE', selected: true }] }] })).status).toBe(400);
  });
});
