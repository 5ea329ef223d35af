// O2G call/leg/participant, agent, routing, counters and comlog → the normalized model.
import { describe, expect, it } from 'vitest';
import type { CallEndedEvent, CallEvent } from '../../../shared/events.js';
import { type O2gEventOf } from './codec.js';
import {
  CallTracker,
  comlogRow,
  directoryEntry,
  mapAgent,
  mapAgentKind,
  mapCallData,
  mapEventSummary,
  mapMediaState,
  mapRouting,
  mergeCallData,
  permittedFrom,
  reasonIndex,
  type CallTrackerEvent,
} from './mapping.js';

type Created = O2gEventOf<'OnCallCreated'>;
type Modified = O2gEventOf<'OnCallModified'>;
type Removed = O2gEventOf<'OnCallRemoved'>;

function rig(device = '70123', login = 'agent1') {
  let t = 1_000_000;
  const tracker = new CallTracker({ device, login, now: () => t });
  return {
    tracker,
    tick: (ms: number) => (t += ms),
    created: (e: Omit<Created, 'eventName'>) => tracker.apply({ eventName: 'OnCallCreated', ...e }),
    modified: (e: Omit<Modified, 'eventName'>) => tracker.apply({ eventName: 'OnCallModified', ...e }),
    removed: (e: Omit<Removed, 'eventName'>) => tracker.apply({ eventName: 'OnCallRemoved', ...e }),
  };
}

const calls = (evs: CallTrackerEvent[]) => evs.filter((e): e is CallEvent => e.type === 'call');
const ends = (evs: CallTrackerEvent[]) => evs.filter((e): e is CallEndedEvent => e.type === 'callEnded');
const only = (evs: CallTrackerEvent[]) => {
  const c = calls(evs);
  expect(c).toHaveLength(1);
  return c[0] as CallEvent;
};

const caller = { participantId: 'p-bob', identity: { id: { phoneNumber: '0612345678' }, firstName: 'Bob', lastName: 'Blake', type: { main: 'EXTERNAL' } } };
const agent2 = { participantId: 'p-a2', identity: { id: { loginName: 'agent2', phoneNumber: '70125' }, firstName: 'Ann', lastName: 'Other', type: { main: 'USER' } } };
const agent3 = { participantId: 'p-a3', identity: { id: { loginName: 'agent3', phoneNumber: '70126' }, type: { main: 'USER' } } };
const activeCaps = { answer: false, drop: true, hold: true, retrieve: false, sendDtmf: true };
const heldCaps = { answer: false, drop: true, hold: false, retrieve: true, reconnect: true, sendDtmf: false };

function acdCall(r: ReturnType<typeof rig>) {
  return only(
    r.created({
      loginName: 'agent1',
      callRef: 'c1',
      cause: 'DISTRIBUTED',
      initiator: 'p-bob',
      callData: {
        associateData: 'CUST-42',
        acdCallData: { pilotNumber: '60100', callInfo: { queueWaitingTime: 12, globalWaitingTime: 15, agentGroup: '60121', local: true }, queueData: { waitingTime: 30, saturated: false } },
        initialCalled: { id: { phoneNumber: '60100' } },
        capabilities: { redirect: true, redirectToVoiceMail: true, terminate: true },
      },
      legs: [{ deviceId: '70123', state: 'RINGING_INCOMING', capabilities: { answer: true, drop: true } }],
      participants: [caller],
    }),
  );
}

describe('media states', () => {
  it('maps every leg state', () => {
    expect(mapMediaState('RINGING_INCOMING', undefined)).toBe('alerting');
    expect(mapMediaState('DIALING', undefined)).toBe('dialing');
    expect(mapMediaState('OFF_HOOK', undefined)).toBe('dialing');
    expect(mapMediaState('RINGING_OUTGOING', false)).toBe('dialing');
    expect(mapMediaState('RINGING_OUTGOING', true)).toBe('ringing');
    expect(mapMediaState('ACTIVE', undefined)).toBe('connected');
    expect(mapMediaState('HELD', undefined)).toBe('held');
    expect(mapMediaState('RELEASING', undefined)).toBe('cleared');
    expect(mapMediaState('UNKNOWN', undefined)).toBeUndefined();
    expect(mapMediaState('SOMETHING_NEW', undefined)).toBeUndefined();
  });
});

describe('calls', () => {
  it('an incoming ACD call with data alerts, offers answer and clear, and carries the screen-pop data', () => {
    const r = rig();
    const e = acdCall(r);
    expect(e.change).toBe('created');
    const c = e.call;
    expect(c.state).toBe('alerting');
    expect(c.direction).toBe('inbound');
    expect(c.remote).toEqual({ number: '0612345678', name: 'Bob Blake' });
    expect(c.called).toEqual({ number: '60100' });
    expect(c.allowed).toEqual(['answer', 'clear', 'redirect']);
    expect(c.data).toEqual({
      associatedData: 'CUST-42',
      pilotNumber: '60100',
      queueWaitingTime: '12',
      globalWaitingTime: '15',
      agentGroup: '60121',
      estimatedWaitingTime: '30',
      queueSaturated: 'false',
    });
    expect(c.ref).toEqual({ vendor: 'o2g', device: '70123', callId: 'c1', leg: '70123' });
    expect(c.id).toMatch(/^o2g:70123:c1:\d+$/);
    expect(c.cause).toBe('DISTRIBUTED');
  });

  it('offers a transaction code on answered ACD calls while the agent is logged on', () => {
    const r = rig();
    const id = acdCall(r).call.id;
    // Still ringing: logging on changes nothing on the call yet.
    expect(r.tracker.setAgentLoggedOn(true)).toEqual([]);
    const answered = only(r.modified({ callRef: 'c1', callData: { state: 'ACTIVE' }, modifiedLegs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }] }));
    expect(answered.call.allowed).toContain('transactionCode');
    const evs = [answered];
    expect(only(evs).call.id).toBe(id);
    expect(only(r.tracker.setAgentLoggedOn(false)).call.allowed).not.toContain('transactionCode');
  });

  it('answer → connected; deltas merge field by field', () => {
    const r = rig();
    const id = acdCall(r).call.id;
    r.tick(3000);
    const e = only(r.modified({ callRef: 'c1', callData: { state: 'ACTIVE' }, modifiedLegs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }] }));
    expect(e.change).toBe('connected');
    expect(e.call.id).toBe(id);
    expect(e.call.state).toBe('connected');
    expect(e.call.connectedAt).toBe(1_003_000);
    expect(e.call.allowed).toEqual(['clear', 'hold', 'consult', 'redirect', 'sendDtmf']); // agent logged off: no code
    // Untouched by the delta: the data and the remote party.
    expect(e.call.data.associatedData).toBe('CUST-42');
    expect(e.call.remote.name).toBe('Bob Blake');
    // A delta with only a state keeps the leg's capabilities.
    const e2 = only(r.modified({ callRef: 'c1', modifiedLegs: [{ deviceId: '70123', state: 'HELD' }] }));
    expect(e2.call.state).toBe('held');
    expect(e2.call.allowed).toContain('sendDtmf');
  });

  it('hold and retrieve', () => {
    const r = rig();
    acdCall(r);
    r.modified({ callRef: 'c1', modifiedLegs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }] });
    const held = only(r.modified({ callRef: 'c1', modifiedLegs: [{ deviceId: '70123', state: 'HELD', capabilities: heldCaps }] }));
    expect(held.change).toBe('held');
    expect(held.call.allowed).toEqual(['clear', 'retrieve', 'reconnect', 'redirect']);
    const back = only(r.modified({ callRef: 'c1', modifiedLegs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }] }));
    expect(back.change).toBe('retrieved');
    expect(back.call.state).toBe('connected');
  });

  it('an image that changes nothing emits nothing', () => {
    const r = rig();
    acdCall(r);
    expect(r.modified({ callRef: 'c1', modifiedLegs: [{ deviceId: '70123', state: 'RINGING_INCOMING' }] })).toEqual([]);
  });

  it('consultation, then transfer: both calls end on this side; the far side keeps its id under previousCallRef', () => {
    const r = rig();
    acdCall(r);
    r.modified({ callRef: 'c1', modifiedLegs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }] });
    r.modified({ callRef: 'c1', modifiedLegs: [{ deviceId: '70123', state: 'HELD', capabilities: heldCaps }], callData: { capabilities: { transfer: true, merge: true } } });
    r.tracker.expectDialled('70125');
    const dial = r.created({ callRef: 'c2', legs: [{ deviceId: '70123', state: 'RINGING_OUTGOING', ringingRemote: false, capabilities: { drop: true } }] });
    const consult = calls(dial).find((e) => e.call.ref.callId === 'c2') as CallEvent;
    expect(consult.call.state).toBe('dialing');
    expect(consult.call.direction).toBe('outbound');
    expect(consult.call.isConsultation).toBe(true);
    expect(consult.call.remote.number).toBe('70125');
    const ringing = calls(r.modified({ callRef: 'c2', modifiedLegs: [{ deviceId: '70123', state: 'RINGING_OUTGOING', ringingRemote: true }], addedParticipants: [agent2] }));
    expect(ringing.find((e) => e.call.ref.callId === 'c2')?.call.state).toBe('ringing');
    const up = calls(
      r.modified({ callRef: 'c2', modifiedLegs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }], callData: { capabilities: { transfer: true, merge: true } } }),
    );
    const c2 = up.find((e) => e.call.ref.callId === 'c2')?.call;
    expect(c2?.state).toBe('connected');
    expect(c2?.remote).toEqual({ number: '70125', name: 'Ann Other', numberType: 'work' });
    expect(c2?.allowed).toEqual(expect.arrayContaining(['alternate', 'transfer', 'conference']));
    const c1 = r.tracker.calls().find((c) => c.ref.callId === 'c1');
    expect(c1?.allowed).toEqual(expect.arrayContaining(['alternate', 'retrieve', 'reconnect', 'transfer', 'conference']));

    const gone = [...r.removed({ callRef: 'c2', cause: 'TRANSFERRED' }), ...r.removed({ callRef: 'c1', cause: 'TRANSFERRED' })];
    expect(ends(gone).map((e) => [e.call?.ref.callId, e.cause])).toEqual([
      ['c2', 'TRANSFERRED'],
      ['c1', 'TRANSFERRED'],
    ]);
    expect(r.tracker.calls()).toEqual([]);

    // The consulted party's side (agent2): its call c2 continues as c1 with the caller.
    const far = rig('70125', 'agent2');
    const mine = only(far.created({ callRef: 'c2', legs: [{ deviceId: '70125', state: 'RINGING_INCOMING', capabilities: { answer: true } }], participants: [{ participantId: 'p-a1', identity: { id: { loginName: 'agent1', phoneNumber: '70123' } } }] }));
    const moved = far.modified({ callRef: 'c1', previousCallRef: 'c2', cause: 'TRANSFERRED', removedParticipantIds: ['p-a1'], addedParticipants: [caller] });
    expect(ends(moved)).toEqual([]);
    const t = only(moved);
    expect(t.change).toBe('transferred');
    expect(t.call.id).toBe(mine.call.id);
    expect(t.call.ref.callId).toBe('c1');
    expect(t.call.remote.name).toBe('Bob Blake');
    // The old ref is gone: a late delta for it does not bring it back.
    expect(far.modified({ callRef: 'c2', modifiedLegs: [{ deviceId: '70125', state: 'ACTIVE' }] })).toEqual([]);
  });

  it('merge: the held call ends into the active one, which becomes a conference and inherits the data', () => {
    const r = rig();
    acdCall(r);
    r.modified({ callRef: 'c1', modifiedLegs: [{ deviceId: '70123', state: 'HELD', capabilities: heldCaps }] });
    r.created({ callRef: 'c2', legs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }], participants: [agent2], callData: { capabilities: { merge: true } } });
    const c2id = r.tracker.calls().find((c) => c.ref.callId === 'c2')?.id;
    const evs = r.modified({ callRef: 'c2', previousCallRef: 'c1', cause: 'CONFERENCED', addedParticipants: [caller], callData: { capabilities: { merge: false, dropParticipant: true, dropMe: true } } });
    expect(ends(evs).map((e) => e.call?.ref.callId)).toEqual(['c1']);
    const conf = calls(evs).find((e) => e.call.id === c2id) as CallEvent;
    expect(conf.change).toBe('conferenced');
    expect(conf.call.isConference).toBe(true);
    expect(conf.call.conferenceParties.map((p) => p.number)).toEqual(['70125', '0612345678']);
    expect(conf.call.data.associatedData).toBe('CUST-42');
    expect(conf.call.allowed).toContain('clear');
    expect(conf.call.allowed).not.toContain('conference');
  });

  it('redirect: the redirecting side ends with the new destination; the new side sees who redirected', () => {
    const b = rig('70125', 'agent2');
    b.created({ callRef: 'c9', legs: [{ deviceId: '70125', state: 'RINGING_INCOMING', capabilities: { answer: true } }], participants: [caller], callData: { capabilities: { redirect: true } } });
    const gone = ends(b.removed({ callRef: 'c9', cause: 'REDIRECTED', newDestination: '70126' }));
    expect(gone).toHaveLength(1);
    expect(gone[0]?.cause).toBe('REDIRECTED');
    expect(gone[0]?.call?.data.newDestination).toBe('70126');
    expect(gone[0]?.call?.state).toBe('cleared');

    const c = rig('70126', 'agent3');
    const e = only(
      c.created({
        callRef: 'c9',
        cause: 'REDIRECTED',
        legs: [{ deviceId: '70126', state: 'RINGING_INCOMING', capabilities: { answer: true } }],
        participants: [caller],
        callData: { initialCalled: { id: { loginName: 'agent2', phoneNumber: '70125' }, firstName: 'Ann', lastName: 'Other', type: { main: 'USER' } } },
      }),
    );
    expect(e.call.redirectedBy).toEqual({ number: '70125', name: 'Ann Other', numberType: 'work' });
    expect(e.call.called?.number).toBe('70125');
    expect(e.call.direction).toBe('inbound');
  });

  it('replacedByCallRef moves the call to the new ref with the same id', () => {
    const r = rig();
    const id = acdCall(r).call.id;
    const moved = r.removed({ callRef: 'c1', replacedByCallRef: 'c7' });
    expect(ends(moved)).toEqual([]);
    expect(only(moved).call).toMatchObject({ id, ref: { callId: 'c7' } });
    const e = only(r.created({ callRef: 'c7', legs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }], participants: [caller] }));
    expect(e.call.id).toBe(id);
    expect(e.call.ref.callId).toBe('c7');
  });

  it('a replacement that never comes ends the call after a while', () => {
    const r = rig();
    acdCall(r);
    r.removed({ callRef: 'c1', replacedByCallRef: 'c7' });
    r.tick(11_000);
    expect(ends(r.tracker.sweep())).toHaveLength(1);
    expect(r.tracker.calls()).toEqual([]);
  });

  it('RELEASING ends the call at once; the later OnCallRemoved is ignored', () => {
    const r = rig();
    acdCall(r);
    const evs = r.modified({ callRef: 'c1', modifiedLegs: [{ deviceId: '70123', state: 'RELEASING' }] });
    expect(ends(evs)).toHaveLength(1);
    expect(r.removed({ callRef: 'c1', cause: 'CLEARED' })).toEqual([]);
  });

  it('a delta for a call never seen creates it (a missed OnCallCreated)', () => {
    const r = rig();
    const e = only(r.modified({ callRef: 'c5', modifiedLegs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }], addedParticipants: [caller] }));
    expect(e.change).toBe('created');
    expect(e.call.state).toBe('connected');
  });

  it('an outgoing call: dialing, then ringing when the far end alerts, then connected', () => {
    const r = rig();
    const d = only(r.created({ callRef: 'o1', initiator: 'me', legs: [{ deviceId: '70123', state: 'DIALING', capabilities: { drop: true } }] }));
    expect(d.call.direction).toBe('outbound');
    expect(d.call.state).toBe('dialing');
    expect(only(r.modified({ callRef: 'o1', modifiedLegs: [{ deviceId: '70123', state: 'RINGING_OUTGOING', ringingRemote: true }], addedParticipants: [agent2] })).change).toBe('ringing');
  });

  it('anonymous callers are withheld; USER parties have work numbers', () => {
    const r = rig();
    const e = only(r.created({ callRef: 'a1', legs: [{ deviceId: '70123', state: 'RINGING_INCOMING' }], participants: [{ participantId: 'x', anonymous: true }] }));
    expect(e.call.remote).toEqual({ number: '', withheld: true });
  });

  it('ignores the user among the participants and follows the profile device among several legs', () => {
    const r = rig();
    const e = only(
      r.created({
        callRef: 'm1',
        legs: [
          { deviceId: '71000', state: 'IDLE' },
          { deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps },
        ],
        participants: [{ participantId: 'me', identity: { id: { loginName: 'AGENT1', phoneNumber: '70123' } } }, agent3],
      }),
    );
    expect(e.call.ref.device).toBe('70123');
    expect(e.call.remote.number).toBe('70126');
    expect(e.call.isConference).toBe(false);
  });

  it('recording follows recordState; stop clears it', () => {
    const r = rig();
    r.created({ callRef: 'r1', legs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }], participants: [caller], callData: { capabilities: { startRecord: true } } });
    const on = only(r.modified({ callRef: 'r1', callData: { recordState: 'RECORDING', capabilities: { startRecord: false, stopRecord: true, pauseRecord: true } } }));
    expect(on.call.recording).toBe('recording');
    expect(on.call.allowed).toContain('record');
    expect(only(r.modified({ callRef: 'r1', callData: { recordState: 'PAUSED', capabilities: { pauseRecord: false, resumeRecord: true } } })).call.recording).toBe('paused');
    const off = only(r.modified({ callRef: 'r1', callData: { capabilities: { startRecord: true, stopRecord: false, pauseRecord: false, resumeRecord: false } } }));
    expect(off.call.recording).toBeUndefined();
  });

  it('offers only what the capabilities say', () => {
    const r = rig();
    const e = only(
      r.created({
        callRef: 'k1',
        legs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: {} }],
        participants: [caller],
        callData: { capabilities: { blindTransfer: true, park: true, callBack: true, dropMe: true } },
      }),
    );
    expect(e.call.allowed).toEqual(['clear', 'transfer', 'park', 'callBack']);
  });

  it('reconcile keeps known ids, adds new calls, ends calls the server no longer lists', () => {
    const r = rig();
    const id = acdCall(r).call.id;
    r.created({ callRef: 'c2', legs: [{ deviceId: '70123', state: 'ACTIVE' }], participants: [agent2] });
    const evs = r.tracker.reconcile([
      { callRef: 'c1', legs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: activeCaps }], participants: [caller], callData: { associateData: 'CUST-42' } },
      { callRef: 'c3', legs: [{ deviceId: '70123', state: 'HELD' }], participants: [agent3] },
    ]);
    expect(ends(evs).map((e) => e.call?.ref.callId)).toEqual(['c2']);
    const now = r.tracker.calls();
    expect(now.map((c) => c.ref.callId).sort()).toEqual(['c1', 'c3']);
    expect(now.find((c) => c.ref.callId === 'c1')?.id).toBe(id);
    expect(now.find((c) => c.ref.callId === 'c1')?.state).toBe('connected');
  });

  it('locates recently ended ACD calls for the transaction code', () => {
    const r = rig();
    const id = acdCall(r).call.id;
    r.removed({ callRef: 'c1', cause: 'CLEARED' });
    expect(r.tracker.locate(id)).toMatchObject({ callRef: 'c1', live: false, acd: true });
    expect(r.tracker.lastEndedAcd()?.callRef).toBe('c1');
  });

  it('mergeCallData keeps absent fields and merges capabilities', () => {
    const merged = mergeCallData({ associateData: 'X', capabilities: { transfer: true, merge: false } }, { capabilities: { merge: true } });
    expect(merged).toEqual({ associateData: 'X', capabilities: { transfer: true, merge: true } });
  });
});

describe('agent', () => {
  const reasons = { number: 2, reasons: [{ index: 1, label: 'Lunch' }, { index: 2, label: 'Training' }] };
  const ctx = { prev: null, now: 5, config: { type: 'AGENT', processingGroups: { preferred: '60121', groups: ['60121'] } }, reasons, agentId: 'agent1' };

  it('maps main and sub states', () => {
    expect(mapAgentKind({ mainState: 'LOG_OFF' })).toBe('loggedOff');
    expect(mapAgentKind({ mainState: 'LOG_ON', subState: 'READY' })).toBe('ready');
    expect(mapAgentKind({ mainState: 'LOG_ON', subState: 'BUSY' })).toBe('busy');
    expect(mapAgentKind({ mainState: 'LOG_ON', subState: 'PAUSE' })).toBe('notReady');
    expect(mapAgentKind({ mainState: 'LOG_ON', subState: 'WITHDRAW' })).toBe('notReady');
    expect(mapAgentKind({ mainState: 'LOG_ON', subState: 'WRAPUP' })).toBe('wrapUp');
    expect(mapAgentKind({ mainState: 'LOG_ON', subState: 'WRAPUP_OUTBOUND' })).toBe('wrapUp');
    expect(mapAgentKind({ mainState: 'LOG_ON', subState: 'TRANSACTION_CODE_INPUT' })).toBe('wrapUp');
    expect(mapAgentKind({ mainState: 'LOG_ON', subState: 'OUT_OF_PG' })).toBe('loggedOn');
    expect(mapAgentKind({ mainState: 'ERROR' })).toBe('unknown');
  });

  it('withdraw carries the reason label; the PG reasons are listed', () => {
    const a = mapAgent({ mainState: 'LOG_ON', subState: 'WITHDRAW', pgNumber: '60121', withdrawReason: 2 }, ctx);
    expect(a).toMatchObject({ state: 'notReady', reason: 'Training', reasons: ['Lunch', 'Training'], group: '60121', groups: ['60121'], role: 'agent', agentId: 'agent1', since: 5 });
    expect(a.permitted).toEqual(['ready', 'notReady', 'loggedOff']);
    expect(reasonIndex(reasons, ' lunch ')).toBe(1);
    expect(reasonIndex(reasons, 'Coffee')).toBeUndefined();
  });

  it('transaction code input is wrap-up awaiting the code', () => {
    const a = mapAgent({ mainState: 'LOG_ON', subState: 'TRANSACTION_CODE_INPUT', pgNumber: '60121' }, ctx);
    expect(a.state).toBe('wrapUp');
    expect(a.awaitingCode).toBe(true);
  });

  it('keeps `since` while the state does not change', () => {
    const first = mapAgent({ mainState: 'LOG_ON', subState: 'READY' }, ctx);
    const again = mapAgent({ mainState: 'LOG_ON', subState: 'READY' }, { ...ctx, prev: first, now: 99 });
    expect(again.since).toBe(5);
    expect(mapAgent({ mainState: 'LOG_ON', subState: 'BUSY' }, { ...ctx, prev: first, now: 99 }).since).toBe(99);
  });

  it('permits what the state machine allows', () => {
    expect(permittedFrom({ mainState: 'LOG_OFF' })).toEqual(['loggedOn']);
    expect(permittedFrom({ mainState: 'LOG_ON', subState: 'READY' })).toEqual(['notReady', 'wrapUp', 'loggedOff']);
    expect(permittedFrom({ mainState: 'LOG_ON', subState: 'WRAPUP' })).toEqual(['ready', 'loggedOff']);
    expect(permittedFrom({ mainState: 'LOG_ON', subState: 'BUSY' })).toEqual(['loggedOff']);
  });

  it('supervisors: role, help requests, intrusion', () => {
    const a = mapAgent(
      { mainState: 'LOG_ON', subState: 'OUT_OF_PG' },
      { ...ctx, config: { type: 'SUPERVISOR' }, helpRequests: ['70123'], intrusion: { agent: '70123', mode: 'coach' } },
    );
    expect(a).toMatchObject({ state: 'loggedOn', role: 'supervisor', helpRequests: ['70123'], intrusion: { agent: '70123', mode: 'coach' } });
  });
});

describe('routing and counters', () => {
  it('maps DND, forwards (with type) and overflow', () => {
    const f = mapRouting(
      {
        forwardRoutes: [{ forwardType: 'BUSY_NO_ANSWER', destinations: [{ type: 'NUMBER', number: '70125' }] }],
        overflowRoutes: [{ overflowType: 'NO_ANSWER', destinations: [{ type: 'VOICEMAIL' }] }],
        dndState: { activate: true },
      },
      {},
    );
    expect(f).toEqual({
      dnd: true,
      forwards: [
        { type: 'busy', to: '70125' },
        { type: 'noAnswer', to: '70125' },
      ],
      overflow: { type: 'noAnswer', to: 'voicemail' },
    });
    expect(mapRouting({ forwardRoutes: [{ destinations: [{ type: 'VOICEMAIL' }] }] }, { voicemailNumber: '70999' })).toEqual({
      dnd: false,
      forwards: [{ type: 'immediate', to: '70999' }],
      overflow: null,
    });
  });

  it('an absent counter stays unknown', () => {
    expect(mapEventSummary({ missedCallsNb: 2 })).toEqual({ missedCalls: 2 });
    expect(mapEventSummary({ voiceMessagesNb: 1 })).toEqual({ voiceMessages: 1, messageWaiting: true });
    expect(mapEventSummary({ voiceMessagesNb: 1, eventWaiting: false })).toEqual({ voiceMessages: 1, messageWaiting: false });
  });
});

describe('comlog rows and directory entries', () => {
  const ctx = { profileId: 'p', device: '70123', login: 'agent1' };

  it('a missed, unacknowledged incoming call', () => {
    const row = comlogRow(
      {
        recordId: '9223372036854775807',
        comRef: 'r1',
        acknowledged: false,
        beginDate: '2024-05-16T18:17:15.489Z',
        endDate: '2024-05-16T18:17:45.489Z',
        participants: [
          { role: 'CALLEE', answered: false, identity: { id: { loginName: 'agent1' } } },
          { identity: { id: { phoneNumber: '0612345678' }, firstName: 'Bob', lastName: 'Blake' } },
        ],
      },
      ctx,
    );
    expect(row).toEqual({
      id: 'o2g:9223372036854775807',
      profileId: 'p',
      device: '70123',
      direction: 'inbound',
      remoteNumber: '0612345678',
      remoteName: 'Bob Blake',
      startedAt: Date.parse('2024-05-16T18:17:15.489Z'),
      endedAt: Date.parse('2024-05-16T18:17:45.489Z'),
      outcome: 'missed',
      data: { comRef: 'r1' },
      source: 'pbx',
      acknowledged: false,
    });
  });

  it('an answered outgoing call has a duration; a re-routed one says so', () => {
    const out = comlogRow(
      {
        recordId: '7',
        beginDate: '2024-05-16T10:00:00.000Z',
        endDate: '2024-05-16T10:01:30.000Z',
        participants: [{ role: 'CALLER', answered: true, identity: { id: { loginName: 'agent1' } } }, { identity: { id: { phoneNumber: '70125' } } }],
      },
      ctx,
    );
    expect(out).toMatchObject({ direction: 'outbound', outcome: 'answered', durationSec: 90, remoteNumber: '70125' });
    const rerouted = comlogRow(
      {
        recordId: '8',
        beginDate: '2024-05-16T10:00:00.000Z',
        participants: [
          { identity: { id: { phoneNumber: '0612345678' } } },
          { role: 'CALLEE', answered: true, reason: 'REDIRECTED', identity: { id: { loginName: 'agent3', phoneNumber: '70126' } }, initialCalled: { id: { loginName: 'agent1', phoneNumber: '70123' } } },
        ],
      },
      ctx,
    );
    expect(rerouted).toMatchObject({ outcome: 'rerouted', remoteNumber: '0612345678', cause: 'REDIRECTED', calledNumber: '70123' });
  });

  it('skips records without a date or id', () => {
    expect(comlogRow({ recordId: '1' }, ctx)).toBeNull();
    expect(comlogRow({ beginDate: '2024-05-16T10:00:00.000Z' }, ctx)).toBeNull();
  });

  it('directory contacts need a number', () => {
    expect(directoryEntry({ id: { phoneNumber: '70125', loginName: 'agent2' }, firstName: 'Ann', lastName: 'Other' })).toEqual({ number: '70125', name: 'Ann Other' });
    expect(directoryEntry({ id: { loginName: 'x' } })).toBeNull();
    expect(directoryEntry({ id: { phoneNumber: '1', loginName: 'x' } })).toEqual({ number: '1', name: 'x' });
  });
});

describe('call data', () => {
  it('takes each tag under its own name, beside the ACD data and the associated data', () => {
    const data = mapCallData({
      tags: [{ name: 'customerId', value: 'C-1001' }, { name: 'orderId', value: '02082017' }],
      acdCallData: { pilotNumber: '60100', callInfo: { queueWaitingTime: 12, agentGroup: '60121' } },
      associateData: 'CUST-42',
    } as never);
    expect(data).toMatchObject({ customerId: 'C-1001', orderId: '02082017', pilotNumber: '60100', queueWaitingTime: '12', agentGroup: '60121', associatedData: 'CUST-42' });
  });
});
