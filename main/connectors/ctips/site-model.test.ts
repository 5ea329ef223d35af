// The site model folds decoded CTIPS events (made with the codec's own encoder, so the wire shape is
// real) and snapshots; unknown event types and enum values are kept out of the way, never a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentStateKind, allowedActions, userData } from './agent-connector.js';
import { decodeCtipsCallback, encodePublishCTIEvent, type CtipsEvent, type CtipsEventHeaderIn } from './events.js';
import type { CtipsEventFieldsIn, CtipsEventType } from './schema.js';
import { CtipsSiteModel, type ModelChange } from './site-model.js';

function ev<T extends CtipsEventType>(type: T, header: CtipsEventHeaderIn, fields: CtipsEventFieldsIn<T>): CtipsEvent {
  const xml = encodePublishCTIEvent(type, header, fields);
  if (!xml.ok) throw new Error(xml.error.message);
  const d = decodeCtipsCallback(xml.value);
  if (!d.ok || d.value.operation !== 'PublishCTIEvent') throw new Error('not an event');
  return d.value.event;
}

function raw(xml: string): CtipsEvent {
  const d = decodeCtipsCallback(xml);
  if (!d.ok || d.value.operation !== 'PublishCTIEvent') throw new Error('not an event');
  return d.value.event;
}

const login = (id: number, name: string, station: string) =>
  ev('AgentLoginStateChange', { AgentId: id }, { AgentLoginName: name, LoginState: 'AgentLoggedIn', AgentStationAddress: station, AgentCTIId: id, ServiceState: [{ ServiceId: 1, ServiceState: 'Active' }] });

describe('CTIPS site model', () => {
  it('follows an inbound ACD call from delivery to wrap, with caller data and service counts', () => {
    let t = 1000;
    const m = new CtipsSiteModel(() => t);
    m.apply(login(1101, 'agent1101', '1101'));
    m.apply(ev('AgentStateChange', { AgentId: 1101 }, { AgentState: 'Idle', ServiceIds: [1] }));
    expect(m.agentByLogin('agent1101')).toMatchObject({ agentId: 1101, station: '1101', state: 'Idle', services: [1] });

    const queued = m.apply(ev('CallDelivered', { ServiceId: 1 }, { CallId: 7001, ANI: '0612345678', DNIS: '8005550100', CallType: 'InboundAcd' }));
    expect(queued).toEqual([{ kind: 'service', serviceId: 1 }]);
    expect(m.calls.get(7001)?.queuedAt).toBe(1000);
    t = 4000;
    const ring = m.apply(
      ev('CallConnected', { AgentId: 1101, ServiceId: 1 }, { CallId: 7001, CallType: 'InboundAcd', ResponseRequired: true, CallInfo: [{ ANI: '0612345678', DNIS: '8005550100', FirstName: 'Ann', LastName: 'Lee', CallData: [{ key: 'AccountNumber', value: 'A-77' }] }] }),
    );
    expect(ring).toContainEqual({ kind: 'call', callId: 7001, agentId: 1101 });
    const c = m.calls.get(7001);
    expect(c).toMatchObject({ ani: '0612345678', dnis: '8005550100', firstName: 'Ann', lastName: 'Lee', data: { AccountNumber: 'A-77' }, serviceId: 1 });
    expect(c?.legs.get(1101)).toMatchObject({ state: 'alerting', direction: 'inbound', responseRequired: true, startedAt: 4000 });
    // Still waiting while it rings at the agent; no longer once answered.
    expect(c?.queuedAt).toBe(1000);
    m.apply(ev('CallEstablished', { AgentId: 1101 }, { CallId: 7001, ANI: '0612345678', DNIS: '8005550100' }));
    expect(m.calls.get(7001)?.queuedAt).toBeUndefined();
    m.apply(ev('CallHeld', { AgentId: 1101 }, { CallId: 7001 }));
    expect(m.calls.get(7001)?.legs.get(1101)?.state).toBe('held');
    m.apply(ev('CallRetrieved', { AgentId: 1101 }, { CallId: 7001 }));
    const cleared = m.apply(ev('CallCleared', { AgentId: 1101 }, { CallId: 7001, ClearingPartyType: 'FarEnd' }));
    expect(cleared[0]).toMatchObject({ kind: 'legEnded', callId: 7001, agentId: 1101, cause: 'remoteCleared' });
    expect(m.calls.has(7001)).toBe(false);
    m.apply(ev('AgentStateChange', { AgentId: 1101 }, { AgentState: 'Wrap', ServiceIds: [1] }));
    const done = m.apply(ev('AgentStateChange', { AgentId: 1101 }, { AgentState: 'Idle', ServiceIds: [1] }));
    expect(done).toContainEqual({ kind: 'wrapDone', callId: 0, agentId: 1101 });
  });

  it('links a consultation and breaks the link on conference or when one call goes', () => {
    const m = new CtipsSiteModel(() => 0);
    m.apply(login(1101, 'agent1101', '1101'));
    m.apply(ev('CallConnected', { AgentId: 1101 }, { CallId: 7001 }));
    m.apply(ev('CallEstablished', { AgentId: 1101 }, { CallId: 7001 }));
    m.apply(ev('CallOriginated', { AgentId: 1101 }, { CallId: 7010, DestType: 'External', Destination: '0499', CallProgressSignal: 'Ringing' }));
    expect(m.linkConsultation(7001, 7010)).toHaveLength(2);
    expect(m.calls.get(7010)).toMatchObject({ consultOf: 7001, destination: '0499' });
    expect(m.calls.get(7010)?.legs.get(1101)).toMatchObject({ state: 'ringing', direction: 'outbound' });
    m.apply(ev('CallCleared', { AgentId: 1101 }, { CallId: 7010, ClearingPartyType: 'NearEnd' }));
    expect(m.calls.get(7001)?.consultCallId).toBeUndefined();
    m.apply(ev('CallOriginated', { AgentId: 1101 }, { CallId: 7011, DestType: 'External', Destination: '0500' }));
    m.apply(ev('CallConsultation', { AgentId: 1101 }, { CallId: 7001, ConsultationCallId: 7011 }));
    m.apply(ev('CallConferenced', { AgentId: 1101 }, { CallId: 7001, ConsultedCallId: 7011, ConferenceCallId: 7001 }));
    expect(m.calls.get(7001)).toMatchObject({ conference: true });
    expect(m.calls.get(7001)?.consultCallId).toBeUndefined();
  });

  it('reports failures with their request id, marks a failed dial, and follows LinkStatus', () => {
    const m = new CtipsSiteModel(() => 0);
    m.apply(login(1101, 'agent1101', '1101'));
    m.apply(ev('CallOriginated', { AgentId: 1101, RequestId: 9 }, { CallId: 7002, DestType: 'External', Destination: '0499' }));
    const f = m.apply(ev('CallRequestFailed', { AgentId: 1101 }, { CallId: 7002, FailureType: 'DestinationBusy', FailureReason: 'busy' }));
    expect(f[0]).toMatchObject({ kind: 'failure', requestId: 0, failure: 'DestinationBusy', reason: 'busy' });
    expect(m.calls.get(7002)?.legs.get(1101)).toMatchObject({ state: 'failed', cause: 'DestinationBusy' });
    expect(m.apply(ev('LinkStatus', {}, { ComponentType: 'CenterCord', ComponentState: 'Down' }))).toEqual([{ kind: 'link', component: 'CenterCord', up: false }]);
    expect([...m.linksDown]).toEqual(['CenterCord']);
    m.apply(ev('LinkStatus', {}, { ComponentType: 'CenterCord', ComponentState: 'Up' }));
    expect(m.linksDown.size).toBe(0);
  });

  it('keeps unknown event types and unknown enum values out of the model', () => {
    const m = new CtipsSiteModel(() => 0);
    m.apply(login(1101, 'agent1101', '1101'));
    const env = (inner: string) =>
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PublishCTIEvent xmlns="http://tempuri.org/"><event xmlns:a="http://schemas.datacontract.org/2004/07/Aspect.UnifiedIP.CTIPS">${inner}</event></PublishCTIEvent></s:Body></s:Envelope>`;
    expect(m.apply(raw(env('<a:EventType>CallParked</a:EventType><a:AgentId>1101</a:AgentId>')))).toEqual([{ kind: 'unknown', type: 'CallParked' }]);
    m.apply(raw(env('<a:EventType>AgentStateChange</a:EventType><a:AgentId>1101</a:AgentId><a:AgentState>Meditating</a:AgentState>')));
    expect(m.agents.get(1101)?.state).toBe('?Meditating');
    expect(agentStateKind('?Meditating')).toBe('unknown');
  });

  it('replaces everything from a snapshot: calls gone are ended, agents missing are logged out', () => {
    const m = new CtipsSiteModel(() => 0);
    m.apply(login(1101, 'agent1101', '1101'));
    m.apply(login(1102, 'agent1102', '1102'));
    m.apply(ev('CallConnected', { AgentId: 1101 }, { CallId: 7001 }));
    const snap = (fields: CtipsEventFieldsIn<'SnapShotUpdate'>) => ev('SnapShotUpdate', {}, fields) as Extract<CtipsEvent, { type: 'SnapShotUpdate' }>;
    const changes: ModelChange[] = m.replaceFromSnapshot([
      snap({ SnapShotType: 'AgentInfo', AgentData: { AgentId: 1101, AgentLoginName: 'agent1101', AgentState: 'Active', AgentStationAddress: '1101', Services: [{ ServiceId: 1, ServiceState: 'Active' }] } }),
      snap({ SnapShotType: 'CallInfo', CallData: { CallId: 7005, AgentId: 1101, CallState: 'CallEstablished', ANI: '0612', DNIS: '800', CallType: 'InboundAcd' } }),
      snap({ SnapShotType: 'ServiceInfo', ServiceData: { ServiceId: 1, ServiceState: 'Active', ExternalRoutingEnabled: false }, SnapShotComplete: true }),
    ]);
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'legEnded', callId: 7001, agentId: 1101, cause: 'gone' }));
    expect(m.calls.get(7005)?.legs.get(1101)).toMatchObject({ state: 'connected', direction: 'inbound' });
    expect(m.agents.get(1102)?.state).toBe('LoggedOut');
    expect(m.services.get(1)?.state).toBe('Active');
  });

  it('never throws on any decoded event (fuzzed field values)', () => {
    const types = ['AgentLoginStateChange', 'AgentStateChange', 'CallConnected', 'CallCleared', 'CallTransferred', 'CallConferenced', 'CallConsultation', 'CallDataUpdate', 'CallEnd', 'LinkStatus', 'ServiceStateChange'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.string({ maxLength: 8 }), (type, callId, agentId, text) => {
        const m = new CtipsSiteModel(() => 0);
        const fields = { CallId: callId, ConsultationCallId: callId + 1, ConsultedCallId: callId, AgentLoginName: text, AgentStationAddress: text, AgentCTIId: agentId } as never;
        const e = ev(type, { AgentId: agentId, ServiceId: agentId }, fields);
        expect(() => m.apply(e)).not.toThrow();
        expect(() => m.apply(e)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('CTIPS agent view helpers', () => {
  it('offers what the portal allows per leg state', () => {
    const leg = (state: 'alerting' | 'connected' | 'held') => ({ agentId: 1, state, direction: 'inbound' as const, startedAt: 0 });
    expect(allowedActions(leg('alerting'), false)).toEqual(['answer', 'reject']);
    expect(allowedActions(leg('connected'), false)).toEqual(['clear', 'hold', 'consult', 'transfer', 'sendDtmf']);
    expect(allowedActions(leg('held'), true)).toEqual(['clear', 'retrieve', 'transfer', 'conference', 'reconnect']);
  });

  it('writes call data as positional UserData', () => {
    expect(userData({ UserData3: 'c', note: 'n', UserData1: 'a' })).toEqual(['a', 'n', 'c']);
    expect(userData({})).toEqual([]);
    expect(userData(Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, String(i)])))).toHaveLength(20);
  });
});
