// mapping.ts: the call tracker (every event kind, dedup, out-of-order, allowed-action rules,
// consultation pairs, conference), agent states, colleagues, forwards, call data, directory and
// call-log rows; plus the manual's own event examples through codec + tracker.
import { describe, expect, it } from 'vitest';
import type { CallEndedEvent, CallEvent } from '../../../shared/events.js';
import { forwardTypes } from '../../../shared/model.js';
import { agentStates, forwardTypes as twsForwardCodes } from './codes.js';
import { decodeEvent, decodeGetEventResult, type TwsCco, type TwsConnection, type TwsParty } from './events.js';
import { manual, unpage } from './manual-examples.js';
import {
  callLogRow,
  ColleagueBoard,
  directoryEntries,
  forwardsOf,
  mapAgent,
  mapConnectionState,
  parseCallData,
  partyOf,
  permittedFor,
  serializeCallData,
  twsForwardTypeOf,
  TwsCallTracker,
  type CallTrackerEvent,
} from './mapping.js';
import { requests } from './requests.js';
import type { TwsValue } from './value.js';

const DEVICE = '4694';

function party(over: Partial<TwsParty> = {}): TwsParty {
  return {
    publicNumber: '4594',
    display: '4594',
    infoDisplay: '4594',
    direction: 'incoming',
    isRedList: false,
    firstname: null,
    lastname: null,
    company: null,
    guid: null,
    personGuid: null,
    isUser: null,
    ...over,
  };
}

function conn(over: Partial<TwsConnection> = {}): TwsConnection {
  return {
    connectionId: 'c1',
    state: 'delivered',
    reason: 'Connected',
    eventReason: 'Normal',
    direction: 'incoming',
    device: DEVICE,
    callLogId: 'log1',
    ccoId: null,
    domainGuid: null,
    mediaType: null,
    timeStart: null,
    timeStart1: null,
    timeEnd: null,
    userGuid: null,
    parties: [party()],
    calledParty: null,
    forwardedParty: null,
    lastRedirectedParty: null,
    allowedActions: [],
    ...over,
  };
}

const cco = (c: Partial<TwsConnection>, over: Partial<Omit<TwsCco, 'connections'>> = {}): TwsCco => ({ ccoId: '102', state: 'active', type: 'simplecall', connections: [conn(c)], ...over });

function tracker(start = 1_000_000) {
  let now = start;
  const t = new TwsCallTracker({ device: DEVICE, now: () => now });
  return { t, tick: (ms = 1000) => (now += ms) };
}

const calls = (evs: CallTrackerEvent[]) => evs.filter((e): e is CallEvent => e.type === 'call');
const ended = (evs: CallTrackerEvent[]) => evs.filter((e): e is CallEndedEvent => e.type === 'callEnded');

describe('call tracker: states and identity', () => {
  it('an inbound call: alerting, connected, cleared, with one stable id', () => {
    const { t, tick } = tracker();
    const a = calls(t.apply([cco({ state: 'delivered', allowedActions: ['Answer'] }, { state: 'delivered' })]));
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ change: 'created', call: { state: 'alerting', direction: 'inbound', remote: { number: '4594' }, allowed: ['answer', 'redirect'] } });
    const id = a[0]?.call.id as string;
    expect(a[0]?.call.ref).toEqual({ vendor: 'tws', device: DEVICE, callId: 'c1', leg: '102', callReference: 'log1' });
    tick();
    const b = calls(t.apply([cco({ state: 'established', allowedActions: ['Hold', 'Release'] })]));
    expect(b[0]).toMatchObject({ change: 'connected', call: { id, state: 'connected' } });
    expect(b[0]?.call.connectedAt).toBeDefined();
    tick();
    const c = t.apply([cco({ state: 'cleared' }, { state: 'free', type: 'free' })]);
    expect(ended(c)).toEqual([expect.objectContaining({ callId: id, cause: 'cleared' })]);
    expect(t.calls()).toEqual([]);
  });

  it('an outbound call: dialing, ringing, connected; the dialled number names it until TWS does', () => {
    const { t } = tracker();
    t.expectDialled('4001', { ticket: '7' });
    const a = calls(t.apply([cco({ state: 'originated', direction: 'outgoing', parties: [] })]));
    expect(a[0]?.call).toMatchObject({ state: 'dialing', direction: 'outbound', remote: { number: '4001' }, data: { ticket: '7' }, allowed: ['clear'] });
    const b = calls(t.apply([cco({ state: 'delivered', direction: 'outgoing', parties: [party({ publicNumber: '4001', firstname: 'Ann', lastname: 'Lee' })] })]));
    expect(b[0]?.call).toMatchObject({ state: 'ringing', remote: { number: '4001', name: 'Ann Lee' } });
    const c = calls(t.apply([cco({ state: 'established', direction: 'outgoing', parties: [party({ publicNumber: '4001' })] })]));
    expect(c[0]?.call.state).toBe('connected');
  });

  it('maps every EConnectionState', () => {
    expect(mapConnectionState('initiated', 'outbound')).toBe('dialing');
    expect(mapConnectionState('originated', undefined)).toBe('dialing');
    expect(mapConnectionState('predelivered', 'inbound')).toBe('alerting');
    expect(mapConnectionState('predelivered', 'outbound')).toBe('dialing');
    expect(mapConnectionState('delivered', 'inbound')).toBe('alerting');
    expect(mapConnectionState('delivered', 'outbound')).toBe('ringing');
    expect(mapConnectionState('queued', 'inbound')).toBe('queued');
    for (const s of ['established', 'retrieved', 'conferenced']) expect(mapConnectionState(s, 'inbound')).toBe('connected');
    expect(mapConnectionState('held', 'inbound')).toBe('held');
    expect(mapConnectionState('failed', 'inbound')).toBe('failed');
    expect(mapConnectionState('blocked', 'inbound')).toBe('failed');
    for (const s of ['cleared', 'idle', 'transferred', 'diverted', 'disconnected']) expect(mapConnectionState(s, 'inbound')).toBe('ended');
    for (const s of ['notified', 'all', 'weird', null]) expect(mapConnectionState(s, 'inbound')).toBeNull();
  });

  it('hold and retrieve', () => {
    const { t } = tracker();
    t.apply([cco({ state: 'established' })]);
    const h = calls(t.apply([cco({ state: 'held' })]));
    expect(h[0]).toMatchObject({ change: 'held', call: { state: 'held', allowed: ['clear', 'retrieve'] } });
    const r = calls(t.apply([cco({ state: 'retrieved' })]));
    expect(r[0]).toMatchObject({ change: 'retrieved', call: { state: 'connected' } });
  });

  it('drops duplicates (§4.9 key) but takes a NameResolved re-send', () => {
    const { t } = tracker();
    const ev = cco({ state: 'delivered', eventReason: 'Normal', timeEnd: 'x' });
    expect(calls(t.apply([ev]))).toHaveLength(1);
    expect(t.apply([ev])).toEqual([]);
    const named = calls(t.apply([cco({ state: 'delivered', eventReason: 'NameResolved', timeEnd: 'x', parties: [party({ firstname: 'test', lastname: 'Me' })] })]));
    expect(named[0]).toMatchObject({ change: 'updated', call: { remote: { name: 'test Me' } } });
  });

  it('ignores a late, older event (no regression) and anything after the end', () => {
    const { t } = tracker();
    t.apply([cco({ state: 'established', timeEnd: '2' })]);
    expect(calls(t.apply([cco({ state: 'delivered', timeEnd: '1' })])).every((e) => e.call.state === 'connected')).toBe(true);
    t.apply([cco({ state: 'cleared', timeEnd: '3' })]);
    expect(t.apply([cco({ state: 'established', timeEnd: '4' })])).toEqual([]);
    expect(t.size).toBe(0);
    // A cleared event for a call never seen: nothing, and it stays dead.
    expect(t.apply([cco({ connectionId: 'c9', callLogId: 'l9', state: 'cleared' })])).toEqual([]);
    expect(t.apply([cco({ connectionId: 'c9', callLogId: 'l9', state: 'delivered' })])).toEqual([]);
  });

  it('keeps the id when the connection reference changes (same m_callLogId)', () => {
    const { t } = tracker();
    const id = calls(t.apply([cco({ connectionId: 'c1', state: 'established' })]))[0]?.call.id;
    const next = calls(t.apply([cco({ connectionId: 'c2', state: 'held' })]));
    expect(next[0]?.call).toMatchObject({ id, state: 'held', ref: { callId: 'c2' } });
  });

  it("ignores other devices' connections", () => {
    const { t } = tracker();
    expect(t.apply([cco({ device: '4000' })])).toEqual([]);
  });

  it('counts unknown states and keeps the state', () => {
    const { t } = tracker();
    t.apply([cco({ state: 'established' })]);
    t.apply([cco({ state: 'notified' })]);
    expect(t.unknownStates).toBe(1);
    expect(t.calls()[0]?.state).toBe('connected');
  });

  it('sequence numbers only grow', () => {
    const { t } = tracker();
    const seqs = [
      ...t.apply([cco({ state: 'delivered' })]),
      ...t.apply([cco({ state: 'established' })]),
      ...t.apply([cco({ state: 'held' })]),
      ...t.apply([cco({ state: 'cleared' })]),
    ].map((e) => (e.type === 'call' ? e.call.seq : (e.call?.seq ?? 0)));
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('reconcile: the listing is authoritative', () => {
    const { t } = tracker();
    t.apply([cco({ connectionId: 'a', callLogId: 'la', state: 'established' })]);
    t.apply([cco({ connectionId: 'b', callLogId: 'lb', state: 'delivered' })]);
    const out = t.reconcile([cco({ connectionId: 'b', callLogId: 'lb', state: 'established' }), cco({ connectionId: 'c', callLogId: 'lc', state: 'held' })]);
    expect(ended(out).map((e) => e.call?.ref.callId)).toEqual(['a']);
    expect(t.calls().map((c) => [c.ref.callId, c.state]).sort()).toEqual([
      ['b', 'connected'],
      ['c', 'held'],
    ]);
    expect(t.signature()).toBe(t.listingSignature([cco({ connectionId: 'b', callLogId: 'lb', state: 'established' }), cco({ connectionId: 'c', callLogId: 'lc', state: 'held' })]));
  });

  it('call data merges into the image', () => {
    const { t } = tracker();
    const id = calls(t.apply([cco({})]))[0]?.call.id as string;
    const ev = t.setData(id, { a: '1' });
    expect(ev[0]).toMatchObject({ change: 'dataUpdated', call: { data: { a: '1' } } });
    expect(t.setData(id, { a: '1' })).toEqual([]);
  });
});

describe('call tracker: parties', () => {
  it('names, company, called party and redirecting party', () => {
    const { t } = tracker();
    const ev = calls(
      t.apply([
        cco({
          parties: [party({ firstname: 'test ', lastname: 'Me', company: 'Algo', infoDisplay: 'test Me' })],
          calledParty: party({ publicNumber: '3000', display: 'Sales' }),
          lastRedirectedParty: party({ publicNumber: '4100', infoDisplay: 'Bob' }),
        }),
      ]),
    );
    expect(ev[0]?.call).toMatchObject({ remote: { number: '4594', name: 'test Me', company: 'Algo' }, called: { number: '3000', name: 'Sales' }, redirectedBy: { number: '4100', name: 'Bob' } });
  });

  it('falls back to the display text, never repeating the number as a name', () => {
    expect(partyOf(party({ infoDisplay: 'Hector Piaple' }))).toEqual({ number: '4594', name: 'Hector Piaple' });
    expect(partyOf(party())).toEqual({ number: '4594' });
  });

  it('withheld: red list or masked display', () => {
    expect(partyOf(party({ isRedList: true, firstname: 'Secret' }))).toEqual({ number: '', withheld: true });
    expect(partyOf(party({ publicNumber: '', display: '****', infoDisplay: '****' }))).toEqual({ number: '', withheld: true });
  });
});

describe('call tracker: allowed actions', () => {
  it('a lone connected call: clear, hold, consult, blind transfer, park', () => {
    const { t } = tracker();
    const ev = calls(t.apply([cco({ state: 'established', allowedActions: ['Hold', 'Release'] })]));
    expect(ev[0]?.call.allowed).toEqual(['clear', 'hold', 'consult', 'transfer', 'park']);
  });

  it('never DTMF, record, call-back or transaction code, whatever the flags say', () => {
    const { t } = tracker();
    const flags = ['Answer', 'Callback', 'Conference', 'DivertCall', 'DropConference', 'Hold', 'Recover', 'Release', 'SingleStepTransfer', 'Swaphold', 'Transfer', 'UnHold'];
    for (const state of ['delivered', 'established', 'held']) {
      const ev = calls(t.apply([cco({ state, allowedActions: flags, timeEnd: state })]));
      for (const c of ev) for (const a of ['sendDtmf', 'record', 'callBack', 'transactionCode', 'reconnect', 'addParty']) expect(c.call.allowed).not.toContain(a);
    }
  });

  it('answer only on the oldest ringing call; redirect on every ringing call', () => {
    const { t, tick } = tracker();
    t.apply([cco({ connectionId: 'a', callLogId: 'la' })]);
    tick();
    t.apply([cco({ connectionId: 'b', callLogId: 'lb' })]);
    const [a, b] = t.calls();
    expect(a?.allowed).toEqual(['answer', 'redirect']);
    expect(b?.allowed).toEqual(['redirect']);
    t.apply([cco({ connectionId: 'a', callLogId: 'la', state: 'cleared' })]);
    expect(t.calls()[0]?.allowed).toEqual(['answer', 'redirect']);
  });

  it('clear on a ringing call only when TWS flags Release', () => {
    const { t } = tracker();
    expect(calls(t.apply([cco({ allowedActions: ['Answer', 'Release'] })]))[0]?.call.allowed).toEqual(['answer', 'clear', 'redirect']);
  });

  it('consultation pair: alternate and conference on both legs, no transfer on either', () => {
    const { t } = tracker();
    t.apply([cco({ connectionId: 'a', callLogId: 'la', state: 'established' })]);
    t.apply([cco({ connectionId: 'a', callLogId: 'la', state: 'held' })]);
    const consult = calls(t.apply([cco({ connectionId: 'b', callLogId: 'lb', state: 'originated', direction: 'outgoing', parties: [] }, { ccoId: '103', type: 'consultation' })]));
    expect(consult.find((e) => e.call.ref.callId === 'b')?.call).toMatchObject({ isConsultation: true, state: 'dialing' });
    t.apply([cco({ connectionId: 'b', callLogId: 'lb', state: 'established', direction: 'outgoing', parties: [party({ publicNumber: '4001' })] }, { ccoId: '103', type: 'consultation' })]);
    const byRef = Object.fromEntries(t.calls().map((c) => [c.ref.callId, c]));
    expect(byRef.a?.allowed).toEqual(['clear', 'alternate', 'conference']);
    expect(byRef.b?.allowed).toEqual(['clear', 'alternate', 'conference']);
    expect(byRef.b?.isConsultation).toBe(true);
    // The consultation ends: the held call may be retrieved, transfer is back once connected.
    t.apply([cco({ connectionId: 'b', callLogId: 'lb', state: 'cleared', direction: 'outgoing' })]);
    expect(t.calls()[0]?.allowed).toEqual(['clear', 'retrieve']);
  });

  it('conference: both legs flagged, parties merged, only clear', () => {
    const { t } = tracker();
    t.apply([cco({ connectionId: 'a', callLogId: 'la', state: 'held' })]);
    t.apply([cco({ connectionId: 'b', callLogId: 'lb', state: 'established', direction: 'outgoing', parties: [party({ publicNumber: '4001' })] })]);
    t.apply([
      cco({ connectionId: 'a', callLogId: 'la', state: 'conferenced', parties: [party(), party({ publicNumber: '4001' })] }, { type: 'conference' }),
      cco({ connectionId: 'b', callLogId: 'lb', state: 'conferenced', direction: 'outgoing', parties: [party({ publicNumber: '4001' }), party()] }, { type: 'conference' }),
    ]);
    for (const c of t.calls()) {
      expect(c).toMatchObject({ state: 'connected', isConference: true, allowed: ['clear'] });
      expect(c.conferenceParties.map((p) => p.number).sort()).toEqual(['4001', '4594']);
    }
  });
});

describe('the manual examples through codec and tracker', () => {
  it('polling delivered → polling established → socket cleared: one call, same id', () => {
    const { t } = tracker();
    const d = decodeEvent(unpage(manual.pollDelivered.text));
    const e = decodeEvent(unpage(manual.pollEstablished.text));
    const c = decodeEvent(unpage(manual.socketCallCleared.text));
    if (!d.ok || !e.ok || !c.ok || d.value.kind !== 'call' || e.value.kind !== 'call' || c.value.kind !== 'call') throw new Error('decode failed');
    const first = calls(t.apply(d.value.ccos));
    expect(first[0]?.call).toMatchObject({ state: 'alerting', remote: { number: '4594', name: 'test Me', company: 'Algo' }, allowed: ['answer', 'redirect'] });
    const second = calls(t.apply(e.value.ccos));
    expect(second[0]?.call).toMatchObject({ id: first[0]?.call.id, state: 'connected' });
    const third = ended(t.apply(c.value.ccos));
    expect(third[0]?.callId).toBe(first[0]?.call.id);
  });

  it('a SOAP GetEvent result maps like the socket event', () => {
    const soap =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><TWS_GetEventResponse xmlns="http://tempuri.org/"><TWS_GetEventResult i:type="a:CTLKCallEvent" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:a="x">' +
      '<a:eventType>CallEvent</a:eventType><a:genericCCOs><a:CGenericCCo><a:m_Connections><a:CGenericConnection><a:m_Users><a:CGenericUser><a:m_publicUserNumber>4594</a:m_publicUserNumber></a:CGenericUser></a:m_Users>' +
      '<a:m_callLogId>l1</a:m_callLogId><a:m_connectionDirection>incoming</a:m_connectionDirection><a:m_connectionId>c1</a:m_connectionId><a:m_currentState>delivered</a:m_currentState><a:m_deviceNumber>4694</a:m_deviceNumber>' +
      '</a:CGenericConnection></a:m_Connections><a:m_ccoId>1</a:m_ccoId></a:CGenericCCo></a:genericCCOs></TWS_GetEventResult></TWS_GetEventResponse></s:Body></s:Envelope>';
    const d = decodeGetEventResult(soap, 'soap');
    if (!d.ok || d.value?.kind !== 'call') throw new Error('decode failed');
    const { t } = tracker();
    expect(calls(t.apply(d.value.ccos))[0]?.call).toMatchObject({ state: 'alerting', remote: { number: '4594' }, ref: { callId: 'c1', callReference: 'l1' } });
  });
});

describe('agent', () => {
  it('maps every EPresenceAgent state, with no reasons', () => {
    const kinds = agentStates.map((s) => mapAgent(s, { prev: null, now: 5, agentId: '1000', group: '1100' }));
    expect(kinds.map((a) => a.state)).toEqual(['busy', 'loggedOff', 'loggedOn', 'notReady', 'ready', 'wrapUp']);
    for (const a of kinds) expect(a).toMatchObject({ reasons: [], agentId: '1000', group: '1100', since: 5 });
    expect(mapAgent(null, { prev: null, now: 1, agentId: undefined, group: undefined }).state).toBe('unknown');
    expect(permittedFor('loggedOff')).toEqual(['loggedOn']);
    expect(permittedFor('ready')).toEqual(['notReady', 'wrapUp', 'loggedOff']);
  });

  it('keeps `since` while the state holds', () => {
    const a = mapAgent('Ready', { prev: null, now: 10, agentId: '1', group: undefined });
    expect(mapAgent('Ready', { prev: a, now: 20, agentId: '1', group: undefined }).since).toBe(10);
    expect(mapAgent('NotReady', { prev: a, now: 20, agentId: '1', group: undefined }).since).toBe(20);
  });
});

describe('colleagues', () => {
  const sup = (device: string, state: string, p?: Partial<TwsParty>, connectionId = 'c1') => ({ connectionId, state, reason: null, device, deviceType: null, parties: p ? [party(p)] : [] });

  it('lamp states from supervision events, remote unless masked', () => {
    const b = new ColleagueBoard(['4594'], () => 7);
    expect(b.supervision(sup('4594', 'delivered', { publicNumber: '0141' }))).toMatchObject({ number: '4594', state: 'ringing', remote: { number: '0141' } });
    expect(b.supervision(sup('4594', 'established', { publicNumber: '', display: '****', infoDisplay: '****' }))?.remote).toBeUndefined();
    expect(b.supervision(sup('4594', 'held'))).toMatchObject({ state: 'held' });
    expect(b.supervision(sup('4594', 'cleared'))).toMatchObject({ state: 'unknown' });
    expect(b.supervision(sup('9999', 'established'))).toBeNull();
  });

  it('ringing wins over busy when a colleague has two calls', () => {
    const b = new ColleagueBoard(['4594'], () => 7);
    b.supervision(sup('4594', 'established', undefined, 'x'));
    expect(b.supervision(sup('4594', 'delivered', undefined, 'y'))?.state).toBe('ringing');
    expect(b.supervision(sup('4594', 'cleared', undefined, 'y'))?.state).toBe('busy');
  });

  it('device states: Connected idle, others out of service; an empty list takes whoever is supervised', () => {
    const b = new ColleagueBoard(['1', '2'], () => 7);
    b.deviceState('1', { device: '1', state: 'Connected', type: null, provider: null, cluster: null, site: null, voicemail: null });
    b.deviceState('2', { device: '2', state: 'ProviderLinkNull', type: null, provider: null, cluster: null, site: null, voicemail: null });
    expect(b.list().map((c) => [c.number, c.state, c.detail])).toEqual([
      ['1', 'idle', 'Connected'],
      ['2', 'outOfService', 'ProviderLinkNull'],
    ]);
    const open = new ColleagueBoard([], () => 7);
    expect(open.supervision(sup('77', 'established'))?.state).toBe('busy');
    expect(open.list().map((c) => c.number)).toEqual(['77']);
  });
});

describe('forwards, call data, directory, call log', () => {
  it('every normalized forward type has a TWS code (Off = On + 1)', () => {
    for (const t of forwardTypes) {
      const tws = twsForwardTypeOf[t];
      expect(twsForwardCodes[tws]).toBeDefined();
      const on = requests.forwardOn({ token: 't', userGuid: 'u', to: '1', type: tws }).params.find(([k]) => k === 'intType')?.[1];
      const off = requests.forwardOff({ token: 't', userGuid: 'u', type: tws }).params.find(([k]) => k === 'intType')?.[1];
      expect(Number(off)).toBe(Number(on) + 1);
    }
    expect(twsForwardTypeOf.busy).toBe('busy');
    expect(twsForwardCodes[twsForwardTypeOf.immExt]).toBe(16);
  });

  it('forward info → the forwards set', () => {
    const info = { immediate: '4001', busy: '4002', noAnswer: null, internalBusy: null, externalBusy: null, noInternalAnswer: null, noExternalAnswer: ' ', immediateInternal: null, immediateExternal: null, isSoftPhone: false, isUpdated: true, personalNumber: null };
    expect(forwardsOf(info)).toEqual([
      { type: 'immediate', to: '4001' },
      { type: 'busy', to: '4002' },
    ]);
    expect(forwardsOf(null)).toEqual([]);
  });

  it('call data: pairs or free text', () => {
    expect(parseCallData('a=1;b=two')).toEqual({ a: '1', b: 'two' });
    expect(parseCallData('a=1&b=2\nc=3')).toEqual({ a: '1', b: '2', c: '3' });
    expect(parseCallData('just a note')).toEqual({ data: 'just a note' });
    expect(parseCallData(null)).toEqual({});
    expect(parseCallData('')).toEqual({});
    const data = { 'k;=': 'v%;=&\n' };
    expect(parseCallData(serializeCallData(data))).toEqual(data);
  });

  it('directory entries per phone, masked numbers skipped', () => {
    const v: TwsValue = {
      Count: '1',
      Results: [
        { Firstname: 'Ann', Lastname: 'Lee', Company: 'ACME', Phones: [{ Key: 'home0', Value: '0141' }, { Key: 'work0', Value: '****' }], Devices: [{ Number: '4001' }] },
        { Firstname: null, Lastname: null, PersonalInfos: { DisplayName: 'Reception' }, Phones: [{ Key: 'x', Value: '9' }] },
      ],
    };
    expect(directoryEntries(v, 10)).toEqual([
      { number: '0141', name: 'Ann Lee', company: 'ACME', numberType: 'home' },
      { number: '4001', name: 'Ann Lee', company: 'ACME', numberType: 'work' },
      { number: '9', name: 'Reception' },
    ]);
    expect(directoryEntries(v, 1)).toHaveLength(1);
    expect(directoryEntries(null, 5)).toEqual([]);
  });

  it('call-log rows: direction from ActionType, IncomingCall per the table for CALL', () => {
    const base = { guid: 'g', device: '1000', success: 'false', timeStart: '2016-11-14T10:40:12.712Z', timeStart1: null, timeEnd: '2016-11-14T10:40:20.712Z', speakers: [{ phone: '0141', firstname: null, lastname: null, company: null, personGuid: null, cause: 'RINGING' }] };
    const ctx = { profileId: 'p', device: '1000' };
    expect(callLogRow({ ...base, actionType: 'CALLOUT', incomingCall: '0' }, ctx)).toMatchObject({ direction: 'outbound', outcome: 'failed', cause: 'RINGING' });
    expect(callLogRow({ ...base, actionType: 'CALLMISSED', incomingCall: '1' }, ctx)).toMatchObject({ direction: 'inbound', outcome: 'missed' });
    expect(callLogRow({ ...base, actionType: 'CALL', incomingCall: '1' }, ctx)).toMatchObject({ direction: 'outbound' });
    expect(callLogRow({ ...base, actionType: 'CALL', incomingCall: '0', success: 'true', timeStart1: '2016-11-14T10:40:14.712Z' }, ctx)).toMatchObject({ direction: 'inbound', outcome: 'answered', durationSec: 6 });
    expect(callLogRow({ ...base, actionType: 'CALL', incomingCall: '0', timeStart: null }, ctx)).toBeNull();
  });
});
