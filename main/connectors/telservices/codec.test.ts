// The manual's literal examples (all 89 PDUs) decode to the expected typed values and re-encode
// to the manual's XML (compared after removing inter-tag whitespace).
import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  decodeReply,
  decodeRequest,
  encodeEvent,
  encodeReply,
  encodeRequest,
  findRootEnd,
  splitPdus,
  userTotalCounters,
  type Counters,
  type TelCallInfo,
  type TelEvent,
  type TelReply,
  type TelRequest,
  type UserTotalCounter,
} from './codec.js';
import { manualExamples, type ManualExample } from './manual-examples.js';

const compact = (xml: string): string => xml.replace(/>\s+</g, '><').trim();

function example(line: number): ManualExample {
  const e = manualExamples.find((x) => x.line === line);
  if (!e) throw new Error(`no manual example at line ${line}`);
  return e;
}

// ------------------------------------------------------------ expected values

const leg = (
  state: TelCallInfo['state'],
  number: string,
  duration: number,
  isOutgoing: boolean,
  extra: Partial<TelCallInfo> = {},
): TelCallInfo => ({ state, otherParty: { number }, duration, isOutgoing, isConference: false, ...extra });

const callEvent = (device: string, call: Extract<TelEvent['event'], { kind: 'call' }>['call']): TelEvent => ({
  deviceNumber: device,
  event: { kind: 'call', call },
});

const zeroUserCounters = (overrides: Counters<UserTotalCounter>): Counters<UserTotalCounter> => {
  const out: Counters<UserTotalCounter> = {};
  for (const name of userTotalCounters) {
    out[name] = name.endsWith('Duration') ? '00:00:00' : '0';
  }
  return { ...out, ...overrides };
};

const connectedServices = ['holdCall', 'dropCall', 'divertCall', 'consultationCall'] as const;
const err = (error: string): TelReply => ({ kind: 'error', error }) as TelReply;

const requests: Record<number, TelRequest> = {
  229: { op: 'openSession', deviceNumber: '1101', eventUDPPort: 20001, eventUpdate: 'full' },
  243: { op: 'openSession', deviceNumber: '1101', eventUDPPort: 20001, eventUpdate: 'full', userID: '1101' },
  268: { op: 'closeSession', deviceNumber: '1101' },
  293: { op: 'addPartyToCall', deviceNumber: '1102', addedDeviceNumber: '1103' },
  315: { op: 'agentState', deviceNumber: '1101', state: 'notReady' },
  340: { op: 'alternateCall', deviceNumber: '1102' },
  361: { op: 'answerCall', deviceNumber: '1102', callingNumber: '1101' },
  384: { op: 'conferenceCall', deviceNumber: '1102' },
  407: { op: 'consultationCall', deviceNumber: '1102', consultedDeviceNumber: '1103' },
  431: { op: 'divertCall', deviceNumber: '1102', divertedDeviceNumber: '1103' },
  477: { op: 'dropCall', deviceNumber: '1101' },
  499: { op: 'forward', deviceNumber: '1101', info: { number: '1102', type: 'immediate', state: 'on' } },
  529: { op: 'holdCall', deviceNumber: '1101' },
  555: { op: 'makeCall', deviceNumber: '1101', calledDeviceNumber: '1102' },
  585: { op: 'qualifyCall', deviceNumber: '1102' },
  617: { op: 'queryAgentState', deviceNumber: '1101' },
  652: { op: 'queryDoNotDisturb', deviceNumber: '1101' },
  687: { op: 'queryForward', deviceNumber: '1101' },
  712: { op: 'queryForward', deviceNumber: '1101' },
  761: { op: 'queryHistory', deviceNumber: '8001', startDate: '2009-12-02' },
  829: { op: 'queryMsgWaiting', deviceNumber: '1101' },
  865: { op: 'queryUserStatistics', deviceNumber: '1101', type: 'snapshot' },
  894: { op: 'queryUserStatistics', deviceNumber: '1101', type: 'total' },
  971: { op: 'reconnectCall', deviceNumber: '1102' },
  992: { op: 'retrieveCall', deviceNumber: '1101' },
  1020: { op: 'searchName', name: 'Mar' },
  1074: { op: 'searchNumber', number: '+33130127764' },
  1130: { op: 'snapshot', deviceNumber: '1102' },
  1177: { op: 'snapshot', deviceNumber: '1101' },
  1223: { op: 'transferCall', deviceNumber: '1102' },
  1246: {
    op: 'updateUserDirectory',
    userID: 'user',
    directoryName: 'outlook',
    parties: [
      { number: '0160121314', name: 'Bob Blake', numberType: 'work', company: 'TheCompany' },
      { number: '0160121315', name: 'Bob Blake', numberType: 'ip', company: 'TheCompany' },
    ],
  },
  1304: { op: 'queryRoutingPointState', service: 'service1' },
  1340: { op: 'queryRoutingPointStatistics', service: 'service1', type: 'snapshot' },
  1411: { op: 'queryRoutingPointStatistics', service: 'service1', type: 'total' },
  1589: { op: 'resumeRoutingPoint', service: 'camp1' },
  1632: { op: 'startRoutingPoint', service: 'camp1' },
  1658: { op: 'stopRoutingPoint', service: 'camp1' },
  1685: { op: 'suspendRoutingPoint', service: 'camp1' },
  1713: { op: 'updateRoutingPoint', service: 'camp1' },
  1733: { op: 'updateDirectory', directoryName: 'ldap' },
};

const wacAgent = {
  state: 'workingAfterCall',
  timeout: 30,
  inboundServices: ['service1'],
  permittedStates: ['ready', 'notReady', 'workingAfterCall'],
} as const;

const historyRecord = (creationTime: string, number: string) => ({
  creationDate: '2009-12-02',
  creationTime,
  otherParty: { number },
  alertingDuration: 0,
  duration: 0,
  isOutgoing: true,
  isConnected: false,
  cause: 'normal',
});

const rpTotalAgent = (deviceNumber: string, start: string, loggedOn: string) => ({
  deviceNumber,
  start,
  userID: `agent${deviceNumber}`,
  inboundServices: ['service1'],
  counters: zeroUserCounters({
    agentLoggedOnDuration: loggedOn,
    agentLoggedOnPercentage: '1.0E2',
    agentReadyDuration: loggedOn,
  }),
});

const zeroRoutingTotal = {
  routedToAssignedAgentCallsCount: '0',
  routedToDistributionCallsCount: '0',
  routedToFailureRouteCallsCount: '0',
  queuedCallsCount: '0',
  queuedCallsDuration: '00:00:00',
  queuedCallsAvgDuration: '00:00:00',
  queuedCallsMaxDuration: '00:00:00',
  incomingCallsCount: '0',
  incomingCallsAbandoneddImmediatelCount: '0',
  incomingCallsAbandonedOnAgentCount: '0',
  incomingCallsAbandonedOnQueueCount: '0',
  incomingCallsConnectedCount: '0',
  incomingCallsAlertingDuration: '00:00:00',
  incomingCallsAlertingAvgDuration: '00:00:00',
  incomingCallsConnectedDuration: '00:00:00',
  incomingCallsConnectedAvgDuration: '00:00:00',
  outgoingCallsOriginatedCount: '0',
  outgoingCallsConnectedCount: '0',
  outgoingCallsIntendedCount: '0',
  outgoingCallsPerformedCount: '0',
  outgoingCallsRetriedCount: '0',
  outgoingCallsFailedCount: '0',
  outgoingCallsConnectedDuration: '00:00:00',
  outgoingCallsConnectedAvgDuration: '00:00:00',
};

const replies: Record<number, TelReply> = {
  74: { kind: 'standard' },
  93: err('pbxlinkOutOfService'),
  106: err('pbxReject'),
  119: err('pbxTimeout'),
  132: err('noCall'),
  145: err('noOpenSession'),
  158: err('sessionLimitExceeded'),
  171: err('reject'),
  184: err('invalidCredentials'),
  197: err('resourceError'),
  590: { kind: 'qualifyCall', number: '1101' },
  622: { kind: 'agent', agent: { ...wacAgent, inboundServices: ['service1'], permittedStates: [...wacAgent.permittedStates] } },
  657: { kind: 'doNotDisturb', state: 'off' },
  692: { kind: 'forwards', forwards: [{ number: '1102', type: 'immediate', state: 'on' }] },
  717: { kind: 'forwards', forwards: [] },
  767: { kind: 'history', records: [historyRecord('15:32:43', '8005'), historyRecord('14:53:27', '8002')] },
  834: { kind: 'msgWaiting', state: 'off' },
  874: { kind: 'userStatistics', statistics: { type: 'snapshot', agentState: 'ready', inboundServices: ['service1'] } },
  1026: { kind: 'searchDirectory', parties: [] },
  1032: {
    kind: 'searchDirectory',
    parties: [
      { number: '+801', name: 'Marcel Jagger', numberType: 'work', company: 'uniGone' },
      { number: '+33160127764', name: 'Martin Jagger', numberType: 'home', company: 'uniGone' },
    ],
  },
  1080: { kind: 'searchDirectory', parties: [] },
  1086: {
    kind: 'searchDirectory',
    parties: [{ number: '+33160127764', name: 'Martin Jagger', numberType: 'home', company: 'uniGone' }],
  },
  1135: {
    kind: 'snapshot',
    snapshot: {
      calls: [{ id: '1', primCall: leg('alerting', '1101', 0, false), permittedServices: ['answerCall', 'divertCall'] }],
      forwards: [],
      msgWaiting: 'off',
      doNotDisturb: 'off',
    },
  },
  1182: {
    kind: 'snapshot',
    snapshot: {
      calls: [],
      forwards: [{ number: '1102', type: 'immediate', state: 'on' }],
      msgWaiting: 'off',
      doNotDisturb: 'off',
    },
  },
  1310: { kind: 'routingPointState', state: 'started-running' },
  1349: {
    kind: 'routingPointStatistics',
    statistics: {
      type: 'snapshot',
      counters: {
        queuedCallsCount: '0',
        queuedCallsDuration: '00:00:00',
        readyAvailableAgentsCount: '2',
        busyOrWorkingAfterCallAgentsCount: '0',
        notReadyOrDirectCallAgentsCount: '0',
        agentsInCallCount: '0',
        loggedOffOrClosedAgentsCount: '3',
      },
      agents: [
        { deviceNumber: '8001', userID: 'agent8001', agentState: 'ready', inboundServices: ['service1'] },
        { deviceNumber: '8002', agentState: 'loggedOff' },
        { deviceNumber: '8003', userID: 'agent8003', agentState: 'ready', inboundServices: ['service1'] },
        { deviceNumber: '8004', agentState: 'loggedOff' },
        { deviceNumber: '8005', agentState: 'loggedOff' },
      ],
    },
  },
  1420: {
    kind: 'routingPointStatistics',
    statistics: {
      type: 'total',
      start: '2009-11-09T11:12:23',
      workDuration: '04:10:23',
      counters: zeroRoutingTotal,
      agents: [
        rpTotalAgent('8001', '2009-11-09T11:13:23', '00:17:35'),
        { deviceNumber: '8002', userID: 'agent8002', counters: {} },
        rpTotalAgent('8003', '2009-11-09T11:12:25', '00:18:33'),
        { deviceNumber: '8004', userID: 'agent8004', counters: {} },
        { deviceNumber: '8005', userID: 'agent8005', counters: {} },
      ],
    },
  },
};

/** The manual's malformed total-statistics reply (L903), once its missing root close is added. */
const repairedUserTotal: TelReply = {
  kind: 'userStatistics',
  statistics: {
    type: 'total',
    start: '2009-11-09T11:13:23',
    inboundServices: ['service1'],
    counters: zeroUserCounters({
      agentLoggedOnDuration: '00:07:01',
      agentLoggedOnPercentage: '1.0E2',
      agentReadyDuration: '00:07:01',
    }),
  },
};

const consultPrim = (duration: number) => leg('hold', '1102', duration, true);
const events: Record<number, TelEvent> = {
  1760: { event: { kind: 'agent', agent: { ...wacAgent, inboundServices: ['service1'], permittedStates: [...wacAgent.permittedStates] } } },
  1816: callEvent('1101', { id: '1', primCall: leg('initiated', '', 0, true), permittedServices: ['dropCall'] }),
  1842: callEvent('1101', { id: '1', primCall: leg('originated', '1102', 0, true), permittedServices: ['dropCall'] }),
  1868: callEvent('1101', { id: '1', primCall: leg('delivered', '1102', 0, true), permittedServices: ['dropCall'] }),
  1894: callEvent('1101', { id: '1', primCall: leg('connected', '1102', 0, true), permittedServices: [...connectedServices] }),
  1928: callEvent('1102', { id: '1', primCall: leg('alerting', '1101', 0, false), permittedServices: ['answerCall', 'divertCall'] }),
  1955: callEvent('1102', { id: '1', primCall: leg('connected', '1101', 0, false), permittedServices: [...connectedServices] }),
  1989: callEvent('1101', {
    id: '1',
    primCall: consultPrim(118),
    secCall: leg('initiated', '', 0, true),
    permittedServices: ['dropCall', 'reconnectCall'],
  }),
  2031: callEvent('1101', {
    id: '1',
    primCall: consultPrim(118),
    secCall: leg('originated', '1103', 0, true),
    permittedServices: ['dropCall', 'reconnectCall'],
  }),
  2073: callEvent('1101', {
    id: '1',
    primCall: consultPrim(119),
    secCall: leg('delivered', '1103', 0, true),
    permittedServices: ['dropCall', 'reconnectCall', 'transferCall'],
  }),
  2116: callEvent('1101', {
    id: '1',
    primCall: consultPrim(124),
    secCall: leg('connected', '1103', 0, true),
    permittedServices: ['dropCall', 'holdCall', 'reconnectCall', 'alternateCall', 'transferCall', 'conferenceCall'],
  }),
  2167: callEvent('1104', {
    id: '1',
    primCall: leg('connected', '1102', 11, false, { lastRedirectionParty: { number: '1103' }, cause: 'transfer' }),
    permittedServices: [...connectedServices],
  }),
  2202: callEvent('1104', {
    id: '1',
    primCall: leg('connected', '1101', 44, false, { lastRedirectionParty: { number: '1102' }, cause: 'transfer' }),
    permittedServices: [...connectedServices],
  }),
  2242: callEvent('1103', {
    id: '1',
    primCall: leg('alerting', '1101', 0, false, {
      firstCalledParty: { number: '1102' },
      lastRedirectionParty: { number: '1102' },
    }),
    permittedServices: ['answerCall', 'divertCall'],
  }),
  2280: callEvent('1104', {
    id: '1',
    primCall: leg('alerting', '1101', 0, false, {
      firstCalledParty: { number: '1102' },
      lastRedirectionParty: { number: '1103' },
    }),
    permittedServices: ['answerCall', 'divertCall'],
  }),
  2329: { event: { kind: 'forward', forward: { number: '1102', type: 'immediate', state: 'on' } } },
  2347: { event: { kind: 'forward', forward: { number: '1102', type: 'immediate', state: 'off' } } },
  2375: { event: { kind: 'doNotDisturb', state: 'on' } },
  2397: { event: { kind: 'msgWaiting', state: 'on' } },
  2417: { event: { kind: 'session', session: 'pbxlinkOutOfService' } },
};

/** Lines of the two malformed examples; every other example must be in one of the tables above. */
const MALFORMED_DND_REQUEST = 453;
const MALFORMED_TOTAL_REPLY = 903;

describe('manual examples: coverage', () => {
  it('holds all 89 PDUs of the manual, each with an expected value or a documented malformation', () => {
    expect(manualExamples).toHaveLength(89);
    const counts = { TelServiceRequest: 0, TelServiceReturn: 0, TelServiceEvent: 0 };
    for (const e of manualExamples) counts[e.root] += 1;
    expect(counts).toEqual({ TelServiceRequest: 41, TelServiceReturn: 28, TelServiceEvent: 20 });
    const covered = new Set([
      ...Object.keys(requests),
      ...Object.keys(replies),
      ...Object.keys(events),
      String(MALFORMED_DND_REQUEST),
      String(MALFORMED_TOTAL_REPLY),
    ]);
    expect(manualExamples.map((e) => String(e.line)).filter((l) => !covered.has(l))).toEqual([]);
    expect(covered.size).toBe(89);
  });
});

describe('manual examples: requests', () => {
  for (const [line, expected] of Object.entries(requests)) {
    const e = example(Number(line));
    it(`L${line} ${e.section}: decodes and re-encodes`, () => {
      expect(e.root).toBe('TelServiceRequest');
      expect(decodeRequest(e.xml)).toEqual({ ok: true, value: expected });
      expect(encodeRequest(expected)).toBe(compact(e.xml));
    });
  }

  it('L453 DoNotDisturb: the literal example lacks its first "<" and is reported malformed', () => {
    // The manual's text starts with `TelServiceRequest>` (a typo); the decoder must not guess.
    const e = example(MALFORMED_DND_REQUEST);
    const r = decodeRequest(e.xml);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('malformed');
      expect(r.error.message).toContain('TelServiceRequest> <doNotDisturb>');
    }
    const repaired: TelRequest = { op: 'doNotDisturb', deviceNumber: '1101', state: 'on' };
    expect(decodeRequest(`<${e.xml}`)).toEqual({ ok: true, value: repaired });
    expect(encodeRequest(repaired)).toBe(compact(`<${e.xml}`));
  });
});

describe('manual examples: replies', () => {
  for (const [line, expected] of Object.entries(replies)) {
    const e = example(Number(line));
    it(`L${line} ${e.section}: decodes and re-encodes`, () => {
      expect(e.root).toBe('TelServiceReturn');
      expect(decodeReply(e.xml)).toEqual({ ok: true, value: expected });
      expect(encodeReply(expected)).toBe(compact(e.xml));
    });
  }

  it('L903 QueryUserStatistics total: the literal example misses </TelServiceReturn> and is reported malformed', () => {
    const e = example(MALFORMED_TOTAL_REPLY);
    const r = decodeReply(e.xml);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('malformed');
      expect(r.error.message).toMatch(/Unclosed tag 'TelServiceReturn'/);
    }
    const repaired = `${e.xml}\n</TelServiceReturn>`;
    expect(decodeReply(repaired)).toEqual({ ok: true, value: repairedUserTotal });
    expect(encodeReply(repairedUserTotal)).toBe(compact(repaired));
  });
});

describe('manual examples: events', () => {
  for (const [line, expected] of Object.entries(events)) {
    const e = example(Number(line));
    it(`L${line} ${e.section}: decodes and re-encodes`, () => {
      expect(e.root).toBe('TelServiceEvent');
      expect(decodeEvent(e.xml)).toEqual({ ok: true, value: expected });
      expect(encodeEvent(expected)).toBe(compact(e.xml));
    });
  }
});

describe('numbers stay strings', () => {
  it.each(['0612345678', '02082017', '+33160127764', '0E68', '007', '1e3', '00', '*****-4711'])('%s', (number) => {
    const xml = `<TelServiceRequest><makeCall><deviceNumber>${number}</deviceNumber><calledDeviceNumber>${number}</calledDeviceNumber><extraData>${number}</extraData></makeCall></TelServiceRequest>`;
    expect(decodeRequest(xml)).toEqual({
      ok: true,
      value: { op: 'makeCall', deviceNumber: number, calledDeviceNumber: number, extraData: number },
    });
    const ev = decodeEvent(
      `<TelServiceEvent><deviceNumber>${number}</deviceNumber><event><call><id>${number}</id><primCall><state><alerting/></state><otherParty><number>${number}</number></otherParty><duration>0</duration><isOutgoing><false/></isOutgoing></primCall></call></event></TelServiceEvent>`,
    );
    expect(ev.ok && ev.value.event.kind === 'call' ? [ev.value.deviceNumber, ev.value.event.call.id, ev.value.event.call.primCall?.otherParty.number] : null).toEqual([
      number,
      number,
      number,
    ]);
  });

  it('keeps statistics values as the server wrote them', () => {
    const r = decodeReply(
      '<TelServiceReturn><result><userStatistics><total><agentLoggedOnPercentage>1.0E2</agentLoggedOnPercentage><agentLoggedOffDuration>00:07:01</agentLoggedOffDuration></total></userStatistics></result></TelServiceReturn>',
    );
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'userStatistics',
        statistics: { type: 'total', counters: { agentLoggedOnPercentage: '1.0E2', agentLoggedOffDuration: '00:07:01' } },
      },
    });
  });
});

describe('tolerance', () => {
  const standard = { ok: true, value: { kind: 'standard' } };

  it('accepts a leading XML declaration, BOM and pretty-printing', () => {
    expect(decodeReply('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<TelServiceReturn>\n <result>\n  <standard/>\n </result>\n</TelServiceReturn>')).toEqual(standard);
  });

  it('accepts trailing NUL, newline and the configured end-of-PDU sequence', () => {
    expect(decodeReply('<TelServiceReturn><result><standard/></result></TelServiceReturn>\0')).toEqual(standard);
    expect(decodeReply('<TelServiceReturn><result><standard/></result></TelServiceReturn>\r\n')).toEqual(standard);
    expect(decodeReply('<TelServiceReturn><result><standard/></result></TelServiceReturn>#EOP#', { endOfPdu: '#EOP#' })).toEqual(standard);
  });

  it('reads an absent isConference as false', () => {
    const r = decodeEvent(
      '<TelServiceEvent><event><call><id>2</id><primCall><state><connected/></state><otherParty><number>1</number></otherParty><duration>5</duration><isOutgoing><true/></isOutgoing></primCall></call></event></TelServiceEvent>',
    );
    expect(r.ok && r.value.event.kind === 'call' && r.value.event.call.primCall?.isConference).toBe(false);
  });

  it('accepts the forward request with <forward> instead of <info>, and encodes <info>', () => {
    const r = decodeRequest(
      '<TelServiceRequest><forward><deviceNumber>1101</deviceNumber><forward><number>1102</number><type><busy/></type><state><off/></state></forward></forward></TelServiceRequest>',
    );
    const expected: TelRequest = { op: 'forward', deviceNumber: '1101', info: { number: '1102', type: 'busy', state: 'off' } };
    expect(r).toEqual({ ok: true, value: expected });
    expect(encodeRequest(expected)).toContain('<info><number>1102</number>');
  });

  it('accepts fields in any order and the text form of enumerations and booleans', () => {
    const r = decodeRequest(
      '<TelServiceRequest><qualifyCall><needName>false</needName><answerCall><false/></answerCall><deviceNumber>1102</deviceNumber></qualifyCall></TelServiceRequest>',
    );
    expect(r).toEqual({ ok: true, value: { op: 'qualifyCall', deviceNumber: '1102', answerCall: false, needName: false } });
  });

  it('decodes standard escapes and character references, and escapes on encode', () => {
    const r = decodeReply(
      '<TelServiceReturn><result><qualifyCall><number>1</number><name>A &amp; B &lt;x&gt; &quot;q&quot; &apos;s&apos; &#233;&#x4E2D;</name></qualifyCall></result></TelServiceReturn>',
    );
    expect(r).toEqual({ ok: true, value: { kind: 'qualifyCall', number: '1', name: 'A & B <x> "q" \'s\' é中' } });
    expect(encodeReply({ kind: 'qualifyCall', number: '1', name: 'A & B <x>' })).toBe(
      '<TelServiceReturn><result><qualifyCall><number>1</number><name>A &amp; B &lt;x&gt;</name></qualifyCall></result></TelServiceReturn>',
    );
  });

  it('keeps an unknown error element name', () => {
    expect(decodeReply('<TelServiceReturn><error><licenceExpired/></error></TelServiceReturn>')).toEqual({
      ok: true,
      value: { kind: 'unknownError', error: 'licenceExpired' },
    });
  });
});

describe('typed errors', () => {
  const kindOf = (r: { ok: boolean; error?: { kind: string } }) => (r.ok ? 'ok' : r.error?.kind);

  it.each([
    ['malformed', '<TelServiceReturn><result><standard/></result>'],
    ['malformed', ''],
    ['malformed', '<a/><b/>'],
    ['malformed', '<!DOCTYPE x [<!ENTITY a "b">]><TelServiceReturn><result><standard/></result></TelServiceReturn>'],
    ['unknownRoot', '<TelServiceRequest><dropCall><deviceNumber>1</deviceNumber></dropCall></TelServiceRequest>'],
    ['unknownElement', '<TelServiceReturn><result><fooResult/></result></TelServiceReturn>'],
    ['unknownElement', '<TelServiceReturn><whatever/></TelServiceReturn>'],
    ['missingField', '<TelServiceReturn><result><qualifyCall/></result></TelServiceReturn>'],
    ['badValue', '<TelServiceReturn><result><doNotDisturb><maybe/></doNotDisturb></result></TelServiceReturn>'],
    ['tooLarge', `<TelServiceReturn><result><standard/></result></TelServiceReturn>${' '.repeat(300 * 1024)}`],
    ['tooLarge', `${'<a>'.repeat(200)}${'</a>'.repeat(200)}`],
  ])('reply → %s', (kind, xml) => {
    expect(kindOf(decodeReply(xml))).toBe(kind);
  });

  it.each([
    ['unknownElement', '<TelServiceRequest><fooCall><deviceNumber>1101</deviceNumber></fooCall></TelServiceRequest>'],
    ['missingField', '<TelServiceRequest><holdCall/></TelServiceRequest>'],
    ['badValue', '<TelServiceRequest><agentState><deviceNumber>1101</deviceNumber><state><sleeping/></state></agentState></TelServiceRequest>'],
    ['badValue', '<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber><eventUDPPort>20x</eventUDPPort></openSession></TelServiceRequest>'],
    ['unknownElement', '<TelServiceRequest><toString><deviceNumber>1</deviceNumber></toString></TelServiceRequest>'],
  ])('request → %s', (kind, xml) => {
    expect(kindOf(decodeRequest(xml))).toBe(kind);
  });

  it('reports invalid UTF-8 bytes as an encoding error', () => {
    const bytes = new Uint8Array([...Buffer.from('<TelServiceEvent><event><msgWaiting><on/></msgWaiting></event></TelServiceEvent>'), 0xff]);
    expect(kindOf(decodeEvent(bytes))).toBe('encoding');
  });

  it('honours a configurable byte cap', () => {
    const xml = '<TelServiceReturn><result><standard/></result></TelServiceReturn>';
    expect(kindOf(decodeReply(xml, { maxBytes: 10 }))).toBe('tooLarge');
    expect(kindOf(decodeReply(Buffer.from(xml), { maxBytes: 10 }))).toBe('tooLarge');
  });

  it('includes a short excerpt of the input in the message', () => {
    const r = decodeReply('<TelServiceReturn><oops/></TelServiceReturn>');
    expect(r.ok ? '' : r.error.message).toContain('(input: "<TelServiceReturn><oops/></TelServiceReturn>")');
  });
});

describe('framing helpers', () => {
  const a = '<TelServiceEvent><event><msgWaiting><on/></msgWaiting></event></TelServiceEvent>';
  const b = '<TelServiceEvent><event><doNotDisturb><off/></doNotDisturb></event></TelServiceEvent>';

  it('findRootEnd reports where the root element closes, or -1 while open', () => {
    expect(findRootEnd(a)).toBe(a.length);
    expect(findRootEnd(`${a}trailing`)).toBe(a.length);
    expect(findRootEnd(a.slice(0, -1))).toBe(-1);
    expect(findRootEnd('<?xml version="1.0"?><x/>')).toBe('<?xml version="1.0"?><x/>'.length);
    expect(findRootEnd('<a><!-- </a> --><b/></a>')).toBe('<a><!-- </a> --><b/></a>'.length);
    expect(findRootEnd('')).toBe(-1);
  });

  it('splitPdus separates by end-of-PDU sequence and by back-to-back roots', () => {
    expect(splitPdus(`${a}\n${b}\n`, '\n')).toEqual([a, b]);
    expect(splitPdus(`${a}${b}`, null)).toEqual([a, b]);
    expect(splitPdus(`${a}\0`, null)).toEqual([a]);
    expect(splitPdus(`${a}<TelServiceEvent>`, null)).toEqual([a, '<TelServiceEvent>']);
    expect(splitPdus('', null)).toEqual([]);
    expect(splitPdus(`garbage\n${a}`, '\n')).toEqual(['garbage', a]);
    const pretty = example(2397).xml;
    expect(splitPdus(`${pretty}\n${pretty}\n`, '\n')).toEqual([pretty, pretty]);
  });
});
