// TelServices conformance over real loopback sockets: features, sessions, errors, HTTP, PBX link,
// directory and routing points (digest §8, S11–S18, S20–S24).
import { afterEach, describe, expect, it } from 'vitest';
import { STANDARD, UdpInbox, err, httpGet, httpPost, labHarness, rawRequest, type LabHarness } from './test-wire.js';

let h: LabHarness;
afterEach(async () => {
  await h?.close();
});

const snapshotOf = (device: string) => `<TelServiceRequest><snapshot><deviceNumber>${device}</deviceNumber></snapshot></TelServiceRequest>`;

describe('S11 forward and do-not-disturb', () => {
  const forwardOn = `<TelServiceRequest>
  <forward>
    <deviceNumber>1101</deviceNumber>
    <info>
      <number>1102</number>
      <type>
        <immediate/>
      </type>
      <state>
        <on/>
      </state>
    </info>
  </forward>
</TelServiceRequest>`;

  it('sets and reports a forward (manual examples), and clears it', async () => {
    h = await labHarness();
    const u1101 = await h.open('1101');
    expect(await h.send(forwardOn)).toBe(STANDARD);
    expect(await u1101.next()).toBe(
      '<TelServiceEvent><deviceNumber>1101</deviceNumber><event><forward><number>1102</number><type><immediate/></type><state><on/></state></forward></event></TelServiceEvent>',
    );
    expect(await h.send('<TelServiceRequest><queryForward><deviceNumber>1101</deviceNumber></queryForward></TelServiceRequest>')).toBe(
      '<TelServiceReturn><result><forwards><forward><number>1102</number><type><immediate/></type><state><on/></state></forward></forwards></result></TelServiceReturn>',
    );
    expect(await h.send(snapshotOf('1101'))).toBe(
      '<TelServiceReturn><result><snapshot><calls/><forwards><forward><number>1102</number><type><immediate/></type><state><on/></state></forward></forwards><msgWaiting><off/></msgWaiting><doNotDisturb><off/></doNotDisturb></snapshot></result></TelServiceReturn>',
    );
    expect(await h.send(forwardOn.replace('<on/>', '<off/>'))).toBe(STANDARD);
    expect(await u1101.next()).toContain('<forward><number>1102</number><type><immediate/></type><state><off/></state></forward>');
    expect(await h.send('<TelServiceRequest><queryForward><deviceNumber>1101</deviceNumber></queryForward></TelServiceRequest>')).toBe('<TelServiceReturn><result><forwards/></result></TelServiceReturn>');
    const lenient = forwardOn.replace('<info>', '<forward>').replace('</info>', '</forward>');
    expect(await h.send(lenient)).toBe(STANDARD);
  });

  it('rejects the manual’s malformed DND example and accepts the corrected one', async () => {
    h = await labHarness();
    const u1101 = await h.open('1101');
    const literal = 'TelServiceRequest>\n  <doNotDisturb>\n    <deviceNumber>1101</deviceNumber>\n    <state>\n      <on/>\n    </state>\n  </doNotDisturb>\n</TelServiceRequest>';
    expect(await h.send(literal)).toBe(err('reject'));
    expect(await h.send(`<${literal}`)).toBe(STANDARD);
    expect(await u1101.next()).toBe('<TelServiceEvent><deviceNumber>1101</deviceNumber><event><doNotDisturb><on/></doNotDisturb></event></TelServiceEvent>');
    expect(await h.send('<TelServiceRequest><queryDoNotDisturb><deviceNumber>1101</deviceNumber></queryDoNotDisturb></TelServiceRequest>')).toContain('<doNotDisturb><on/></doNotDisturb>');
  });

  it('reports message waiting set from the control API', async () => {
    h = await labHarness();
    const u1101 = await h.open('1101');
    expect((await h.control('POST', '/devices/1101/mwi', { on: true })).status).toBe(200);
    expect(await u1101.next()).toBe('<TelServiceEvent><deviceNumber>1101</deviceNumber><event><msgWaiting><on/></msgWaiting></event></TelServiceEvent>');
  });
});

describe('S12 session timeout', () => {
  it('closes an idle session with sessionClosedByTimeout; requests keep it alive; 0 and -5 are ignored', async () => {
    // 1 protocol second = 100 ms.
    h = await labHarness({ pbx: { msPerSecond: 100 } });
    const u1101 = await h.open('1101', '<sessionTimeout>2</sessionTimeout>');
    const u1102 = await h.open('1102', '<sessionTimeout>3</sessionTimeout>');
    await h.open('1103', '<sessionTimeout>0</sessionTimeout>');
    await h.open('1104', '<sessionTimeout>-5</sessionTimeout>');
    for (let i = 0; i < 6; i++) {
      expect(await h.send(snapshotOf('1102'))).toContain('<snapshot>');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await u1101.next()).toBe('<TelServiceEvent><deviceNumber>1101</deviceNumber><event><session><sessionClosedByTimeout/></session></event></TelServiceEvent>');
    expect(await h.send(snapshotOf('1101'))).toBe(err('noOpenSession'));
    expect(await h.send(snapshotOf('1102'))).toContain('<snapshot>');
    expect(u1102.received).toEqual([]);
    expect(await h.send(snapshotOf('1103'))).toContain('<snapshot>');
    expect(await h.send(snapshotOf('1104'))).toContain('<snapshot>');
  });
});

describe('S13 several clients and closeSession', () => {
  const close1101 = '<TelServiceRequest><closeSession><deviceNumber>1101</deviceNumber></closeSession></TelServiceRequest>';

  it('both clients get the events; a client-only close leaves the other; a full close tells it', async () => {
    h = await labHarness();
    const a = await h.open('1101', '', '127.0.0.1');
    const b = await h.open('1101', '', '127.0.0.2');
    await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
    expect(await a.next()).toContain('<alerting/>');
    expect(await b.next()).toContain('<alerting/>');
    expect(await h.send(close1101)).toBe(STANDARD);
    await h.control('POST', '/devices/0612345678/hangup');
    expect(await b.next()).toContain('<cleared/>');
    expect(await a.rest()).toEqual([]);
    const reply = await h.send(
      `<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber><eventUDPPort>${a.port}</eventUDPPort></openSession></TelServiceRequest>`,
    );
    expect(reply).toBe(STANDARD);
    expect(await rawRequest(h.port, '<TelServiceRequest><closeSession><deviceNumber>1101</deviceNumber><clientOnly><false/></clientOnly></closeSession></TelServiceRequest>', { localAddress: '127.0.0.2' })).toBe(STANDARD);
    expect(await a.next()).toContain('<session><sessionClosedByClient/></session>');
    expect(await h.send(snapshotOf('1101'))).toBe(err('noOpenSession'));
    expect(await h.send(close1101)).toBe(err('noOpenSession'));
  });

  it('a delayed close is cancelled by re-opening within the delay', async () => {
    h = await labHarness({ pbx: { msPerSecond: 100 } });
    const a = await h.open('1101');
    expect(await h.send('<TelServiceRequest><closeSession><deviceNumber>1101</deviceNumber><actualCloseSessionTimeout>3</actualCloseSessionTimeout></closeSession></TelServiceRequest>')).toBe(STANDARD);
    expect(await h.send(snapshotOf('1101'))).toContain('<snapshot>');
    await h.send(`<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber><eventUDPPort>${a.port}</eventUDPPort></openSession></TelServiceRequest>`);
    await new Promise((r) => setTimeout(r, 450));
    expect(await h.send(snapshotOf('1101'))).toContain('<snapshot>');
  });
});

describe('S14 session limit', () => {
  it('refuses a new device beyond maxSessions but lets a client join an open session', async () => {
    h = await labHarness({ telservices: { maxSessions: 1 } });
    await h.open('1101');
    expect(await h.send('<TelServiceRequest><openSession><deviceNumber>1102</deviceNumber></openSession></TelServiceRequest>')).toBe(err('sessionLimitExceeded'));
    await h.open('1101');
  });
});

describe('S15 administrator authentication', () => {
  it('requires credentials on the first open of a device only', async () => {
    h = await labHarness({ telservices: { adminAuth: { enabled: true, users: { admin: 'secret' } } } });
    const open = (extra: string) => h.send(`<TelServiceRequest><openSession><deviceNumber>1103</deviceNumber>${extra}</openSession></TelServiceRequest>`);
    expect(await open('')).toBe(err('invalidCredentials'));
    expect(await open('<userID>admin</userID><userPassword>wrong</userPassword>')).toBe(err('invalidCredentials'));
    expect(await open('<userID>admin</userID><userPassword>secret</userPassword>')).toBe(STANDARD);
    expect(await h.send('<TelServiceRequest><closeSession><deviceNumber>1103</deviceNumber></closeSession></TelServiceRequest>')).toBe(STANDARD);
    expect(await open('')).toBe(STANDARD);
  });
});

describe('S16 malformed and unknown input', () => {
  it('rejects each with <reject/> and closes', async () => {
    h = await labHarness();
    const cases: Array<string | Buffer> = [
      '<TelServiceRequest><fooCall><deviceNumber>1101</deviceNumber></fooCall></TelServiceRequest>',
      '<TelServiceRequest><holdCall/></TelServiceRequest>',
      '<TelServiceReturn><result><standard/></result></TelServiceReturn>',
      '<TelServiceRequest><agentState><deviceNumber>1101</deviceNumber><state><sleeping/></state></agentState></TelServiceRequest>',
      '<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber></openSession>',
      Buffer.concat([Buffer.from('<TelServiceRequest><searchName><name>'), Buffer.from([0xff, 0xfe]), Buffer.from('</name></searchName></TelServiceRequest>')]),
      'hello',
      '<TelServiceRequest><makeCall><deviceNumber>1101</deviceNumber><calledDeviceNumber>1102</calledDeviceNumber></makeCall><makeCall/></TelServiceRequest>',
      '<!DOCTYPE x [<!ENTITY e "x">]><TelServiceRequest><searchName><name>&e;</name></searchName></TelServiceRequest>',
    ];
    for (const c of cases) expect(await h.send(c)).toBe(err('reject'));
  });

  it('accepts a prolog and attributes when lenient, rejects them when strict', async () => {
    h = await labHarness();
    const withProlog = '<?xml version="1.0"?><TelServiceRequest xmlns="urn:x"><queryMsgWaiting><deviceNumber>1101</deviceNumber></queryMsgWaiting></TelServiceRequest>';
    expect(await h.send(withProlog)).toContain('<msgWaiting><off/></msgWaiting>');
    await h.close();
    h = await labHarness({ telservices: { strict: true } });
    expect(await h.send(withProlog)).toBe(err('reject'));
  });
});

describe('S17 oversize, slow and truncated input', () => {
  it('answers resourceError to a request over the size cap', async () => {
    h = await labHarness();
    const big = `<TelServiceRequest><searchName><name>${'x'.repeat(9 * 1024 * 1024)}</name></searchName></TelServiceRequest>`;
    expect(await h.send(big, { timeoutMs: 15_000 })).toBe(err('resourceError'));
  });

  it('closes a silent connection without reply after the idle time', async () => {
    h = await labHarness({ telservices: { idleCloseMs: 200 } });
    expect(await h.send('', { halfClose: false })).toBe('');
  });
});

describe('S18 end-of-PDU sequence', () => {
  it('appends the sequence to replies and events and accepts requests with or without it', async () => {
    h = await labHarness({ telservices: { endOfPdu: '\n' } });
    const inbox = await UdpInbox.open();
    try {
      const open = `<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber><eventUDPPort>${inbox.port}</eventUDPPort></openSession></TelServiceRequest>`;
      expect(await h.send(`${open}\n`, { halfClose: false })).toBe(`${STANDARD}\n`);
      expect(await h.send(open)).toBe(`${STANDARD}\n`);
      await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
      expect(await inbox.next()).toMatch(/<\/TelServiceEvent>\n$/);
    } finally {
      await inbox.close();
    }
  });
});

describe('S20 HTTP transport', () => {
  it('takes a POSTed request and the makeCall shortcut URL on the same port', async () => {
    h = await labHarness();
    const u1102 = await h.open('1102');
    const res = await httpPost(h.port, '<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber><eventUpdate><full/></eventUpdate></openSession></TelServiceRequest>');
    expect(res).toEqual({ status: 200, type: 'text/xml; charset=utf-8', body: STANDARD });
    expect(await httpGet(h.port, '/makeCall?deviceNumber=1101&calledDeviceNumber=1102')).toEqual({ status: 200, body: STANDARD });
    expect(await u1102.next()).toContain('<alerting/>');
    expect(await httpGet(h.port, '/makeCall?deviceNumber=1101')).toEqual({ status: 200, body: err('reject') });
    expect((await httpGet(h.port, '/nothing')).status).toBe(404);
  });

  it('long-polls snapshot: immediate when behind, waits for a change or the timeout', async () => {
    h = await labHarness({ pbx: { msPerSecond: 100 } });
    await httpPost(h.port, '<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber></openSession></TelServiceRequest>');
    const poll = (seq: number, timeout = 30) =>
      httpPost(h.port, `<TelServiceRequest><snapshot><deviceNumber>1101</deviceNumber><resultOnEvent><timeout>${timeout}</timeout><snapshotSeq>${seq}</snapshotSeq></resultOnEvent></snapshot></TelServiceRequest>`);
    const first = await poll(0);
    const seq = Number(/<snapshotSeq>(\d+)<\/snapshotSeq>/.exec(first.body)?.[1]);
    expect(seq).toBeGreaterThan(0);
    const started = Date.now();
    const idle = await poll(seq, 3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(idle.body).toContain(`<snapshotSeq>${seq}</snapshotSeq><calls/>`);
    const waiting = poll(seq);
    await new Promise((r) => setTimeout(r, 50));
    await h.control('POST', '/calls', { from: '0612345678', to: '1101' });
    const changed = await waiting;
    expect(changed.body).toContain(`<snapshotSeq>${seq + 1}</snapshotSeq><calls><call><id>1</id><primCall><state><alerting/></state>`);
    // On raw TCP the same request is answered at once, without snapshotSeq.
    const tcp = await h.send(`<TelServiceRequest><snapshot><deviceNumber>1101</deviceNumber><resultOnEvent><timeout>30</timeout><snapshotSeq>${seq + 1}</snapshotSeq></resultOnEvent></snapshot></TelServiceRequest>`);
    expect(tcp).toMatch(/^<TelServiceReturn><result><snapshot><calls><call>/);
  });
});

describe('S21 PBX link failure', () => {
  it('reports the link state, refuses PBX requests while down, and works again without re-opening', async () => {
    h = await labHarness();
    const u1101 = await h.open('1101');
    await h.control('POST', '/link/down');
    expect(await u1101.next()).toBe('<TelServiceEvent><deviceNumber>1101</deviceNumber><event><session><pbxlinkOutOfService/></session></event></TelServiceEvent>');
    const makeCall = '<TelServiceRequest><makeCall><deviceNumber>1101</deviceNumber><calledDeviceNumber>1102</calledDeviceNumber></makeCall></TelServiceRequest>';
    expect(await h.send(makeCall)).toBe(err('pbxlinkOutOfService'));
    expect(await h.send('<TelServiceRequest><searchName><name>Mar</name></searchName></TelServiceRequest>')).toContain('Marcel Jagger');
    await h.control('POST', '/link/up');
    expect(await u1101.next()).toContain('<session><pbxlinkInService/></session>');
    expect(await h.send(makeCall)).toBe(STANDARD);
    expect(await u1101.next()).toContain('<initiated/>');
  });
});

describe('S22 PBX reject and timeout', () => {
  it('injects pbxReject and pbxTimeout on the next request of a kind without changing the call', async () => {
    h = await labHarness({ telservices: { pbxTimeoutMs: 200 } });
    const u1101 = await h.open('1101');
    await h.open('1102');
    await h.send('<TelServiceRequest><makeCall><deviceNumber>1101</deviceNumber><calledDeviceNumber>1102</calledDeviceNumber></makeCall></TelServiceRequest>');
    await h.send('<TelServiceRequest><answerCall><deviceNumber>1102</deviceNumber></answerCall></TelServiceRequest>');
    await u1101.next('<connected/>');
    const hold = '<TelServiceRequest><holdCall><deviceNumber>1101</deviceNumber></holdCall></TelServiceRequest>';
    await h.control('POST', '/faults', { next: { request: 'holdCall', error: 'pbxReject' } });
    expect(await h.send(hold)).toBe(err('pbxReject'));
    await h.control('POST', '/faults', { next: { request: 'holdCall', error: 'pbxTimeout' } });
    const started = Date.now();
    expect(await h.send(hold)).toBe(err('pbxTimeout'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(await u1101.rest()).toEqual([]);
    expect(await h.send(hold)).toBe(STANDARD);
  });

  it('rejects an undiallable number and reports a busy destination as a failed call', async () => {
    h = await labHarness();
    const u1101 = await h.open('1101');
    expect(await h.send('<TelServiceRequest><makeCall><deviceNumber>1101</deviceNumber><calledDeviceNumber>12#A</calledDeviceNumber></makeCall></TelServiceRequest>')).toBe(err('pbxReject'));
    await h.control('POST', '/calls', { from: '0145678901', to: '1102' });
    expect(await h.send('<TelServiceRequest><makeCall><deviceNumber>1101</deviceNumber><calledDeviceNumber>1102</calledDeviceNumber></makeCall></TelServiceRequest>')).toBe(STANDARD);
    expect(await u1101.next('<failed/>')).toContain('<cause><busy/></cause>');
  });

  it('sends garbage instead of the next reply when asked', async () => {
    h = await labHarness();
    await h.control('POST', '/faults', { garbageReplies: 1 });
    expect(await h.send('<TelServiceRequest><queryMsgWaiting><deviceNumber>1101</deviceNumber></queryMsgWaiting></TelServiceRequest>')).not.toContain('</TelServiceReturn>');
  });
});

describe('S23 directory and name display', () => {
  it('searches with the manual’s smart search and private directories', async () => {
    h = await labHarness();
    const update =
      '<TelServiceRequest><updateUserDirectory><userID>agent1101</userID><directoryName>outlook</directoryName><parties><party><number>0160121314</number><name>Bob Blake</name><numberType><work/></numberType><company>TheCompany</company></party></parties></updateUserDirectory></TelServiceRequest>';
    expect(await h.send(update)).toBe(STANDARD);
    const search = (body: string) => h.send(`<TelServiceRequest><searchName>${body}</searchName></TelServiceRequest>`);
    expect(await search('<userID>agent1101</userID><name>bob</name>')).toContain('<name>Bob Blake</name>');
    expect(await search('<name>bob</name>')).toBe('<TelServiceReturn><result><searchDirectory/></result></TelServiceReturn>');
    const jaggers =
      '<TelServiceReturn><result><searchDirectory><party><number>+801</number><name>Marcel Jagger</name><numberType><work/></numberType><company>uniGone</company></party><party><number>+33160127764</number><name>Martin Jagger</name><numberType><home/></numberType><company>uniGone</company></party></searchDirectory></result></TelServiceReturn>';
    expect(await h.send('<TelServiceRequest>\n  <searchName>\n    <name>Mar</name>\n  </searchName>\n</TelServiceRequest>')).toBe(jaggers);
    expect(await search('<name>jag</name>')).toBe(jaggers);
    expect(await search('<name>unig</name>')).toBe(jaggers);
    expect(await search('<name>Mar</name><limit>1</limit>')).not.toContain('Martin');
    expect(await h.send('<TelServiceRequest><searchNumber><number>+33160127764</number></searchNumber></TelServiceRequest>')).toBe(
      '<TelServiceReturn><result><searchDirectory><party><number>+33160127764</number><name>Martin Jagger</name><numberType><home/></numberType><company>uniGone</company></party></searchDirectory></result></TelServiceReturn>',
    );
    expect(await h.send('<TelServiceRequest>\n  <searchNumber>\n    <number>+33130127764</number>\n  </searchNumber>\n</TelServiceRequest>')).toBe(
      '<TelServiceReturn><result><searchDirectory/></result></TelServiceReturn>',
    );
    const u1101 = await h.open('1101');
    await h.control('POST', '/calls', { from: '0160121314', to: '1101' });
    expect(await u1101.next()).toContain('<otherParty><number>0160121314</number><name>Bob Blake</name><company>TheCompany</company><numberType><work/></numberType></otherParty>');
    expect(await h.send(update.replace(/<parties>.*<\/parties>/, '<parties/>'))).toBe(STANDARD);
    expect(await search('<userID>agent1101</userID><name>bob</name>')).toBe('<TelServiceReturn><result><searchDirectory/></result></TelServiceReturn>');
    expect(await h.send('<TelServiceRequest><updateDirectory><directoryName>ldap</directoryName></updateDirectory></TelServiceRequest>')).toBe(STANDARD);
    expect(await h.send('<TelServiceRequest><updateDirectory><directoryName>nosuch</directoryName></updateDirectory></TelServiceRequest>')).toBe(err('reject'));
  });
});

describe('S24 routing points, statistics, history', () => {
  const rp = (op: string, service = 'service1') => `<TelServiceRequest><${op}><service>${service}</service></${op}></TelServiceRequest>`;
  const state = (s: string) => `<TelServiceReturn><result><routingPointState><${s}/></routingPointState></result></TelServiceReturn>`;

  it('walks the routing-point states', async () => {
    h = await labHarness();
    expect(await h.send('<TelServiceRequest>\n  <queryRoutingPointState>\n    <service>service1</service>\n  </queryRoutingPointState>\n</TelServiceRequest>')).toBe(state('started-running'));
    expect(await h.send(rp('suspendRoutingPoint'))).toBe(STANDARD);
    expect(await h.send(rp('queryRoutingPointState'))).toBe(state('started-suspended'));
    expect(await h.send(rp('resumeRoutingPoint'))).toBe(STANDARD);
    expect(await h.send(rp('queryRoutingPointState'))).toMatch(/started(-running)?\/>/);
    expect(await h.send(rp('stopRoutingPoint'))).toBe(STANDARD);
    expect(await h.send(rp('queryRoutingPointState'))).toBe(state('stopped'));
    expect(await h.send(rp('startRoutingPoint'))).toBe(STANDARD);
    expect(await h.send(rp('queryRoutingPointState'))).toMatch(/started(-running)?\/>/);
    expect(await h.send(rp('resumeRoutingPoint', 'nosuch'))).toBe(err('reject'));
    expect(await h.send(rp('updateRoutingPoint'))).toBe(STANDARD);
    expect(await h.send(rp('startRoutingPoint', 'camp1'))).toBe(STANDARD);
    expect(await h.send(rp('suspendRoutingPoint', 'camp1'))).toBe(STANDARD);
    expect(await h.send(rp('resumeRoutingPoint', 'camp1'))).toBe(STANDARD);
    expect(await h.send(rp('stopRoutingPoint', 'camp1'))).toBe(STANDARD);
    expect(await h.send(rp('queryRoutingPointState', 'camp1'))).toBe(err('reject'));
  });

  it('reports snapshot and total statistics with the manual’s element names', async () => {
    h = await labHarness();
    await h.control('POST', '/devices/1101/agent', { state: 'ready' });
    await h.control('POST', '/devices/1105/agent', { state: 'notReady' });
    const snap = await h.send('<TelServiceRequest><queryRoutingPointStatistics><service>service1</service><type><snapshot/></type></queryRoutingPointStatistics></TelServiceRequest>');
    expect(snap).toContain(
      '<snapshot><queuedCallsCount>0</queuedCallsCount><queuedCallsDuration>00:00:00</queuedCallsDuration><readyAvailableAgentsCount>1</readyAvailableAgentsCount><busyOrWorkingAfterCallAgentsCount>0</busyOrWorkingAfterCallAgentsCount><notReadyOrDirectCallAgentsCount>1</notReadyOrDirectCallAgentsCount><agentsInCallCount>0</agentsInCallCount><loggedOffOrClosedAgentsCount>4</loggedOffOrClosedAgentsCount>',
    );
    expect(snap).toContain('<agent><deviceNumber>1101</deviceNumber><userID>agent1101</userID><agentState><ready/></agentState><inboundServices><service>service1</service></inboundServices></agent>');
    expect(snap).toContain('<agent><deviceNumber>1102</deviceNumber>'.replace('1102', '1104') + '<agentState><loggedOff/></agentState></agent>');
    const total = await h.send('<TelServiceRequest><queryRoutingPointStatistics><service>service1</service><type><total/></type></queryRoutingPointStatistics></TelServiceRequest>');
    expect(total).toContain('<incomingCallsAbandoneddImmediatelCount>0</incomingCallsAbandoneddImmediatelCount>');
    expect(total).toMatch(/<agent><deviceNumber>1101<\/deviceNumber><start>[\d-]+T[\d:]+<\/start><userID>agent1101<\/userID><inboundServices>/);
    expect(total).toContain('<agent><deviceNumber>1104</deviceNumber><userID>agent1104</userID></agent>');
    expect(await h.send('<TelServiceRequest>\n  <queryUserStatistics>\n    <deviceNumber>1101</deviceNumber>\n    <type>\n      <snapshot/>\n    </type>\n  </queryUserStatistics>\n</TelServiceRequest>')).toBe(
      '<TelServiceReturn><result><userStatistics><snapshot><agentState><ready/></agentState><inboundServices><service>service1</service></inboundServices></snapshot></userStatistics></result></TelServiceReturn>',
    );
    const userTotal = await h.send('<TelServiceRequest><queryUserStatistics><deviceNumber>1101</deviceNumber><type><total/></type></queryUserStatistics></TelServiceRequest>');
    const names = [...(/<total>(.*)<\/total>/.exec(userTotal)?.[1] ?? '').matchAll(/<([A-Za-z]+)>(?:[^<]*|<service>[^<]*<\/service>)<\/\1>/g)].map((m) => m[1]);
    expect(names).toHaveLength(42);
    expect(names.slice(0, 3)).toEqual(['start', 'inboundServices', 'incomingCallsFailedCount']);
    expect(names.at(-1)).toBe('agentBusyPercentage');
    expect(userTotal).toMatch(/<\/TelServiceReturn>$/);
  });

  it('keeps a call history, newest first, and answers the manual example (unknown device 8001) with an empty history', async () => {
    h = await labHarness();
    await h.send('<TelServiceRequest><makeCall><deviceNumber>1101</deviceNumber><calledDeviceNumber>1102</calledDeviceNumber></makeCall></TelServiceRequest>');
    await h.control('POST', '/devices/1101/hangup');
    const history = await h.send('<TelServiceRequest><queryHistory><deviceNumber>1101</deviceNumber></queryHistory></TelServiceRequest>');
    expect(history).toMatch(
      /^<TelServiceReturn><result><history><record><creationDate>\d{4}-\d\d-\d\d<\/creationDate><creationTime>\d\d:\d\d:\d\d<\/creationTime><otherParty><number>1102<\/number><\/otherParty><alertingDuration>0<\/alertingDuration><duration>0<\/duration><isOutgoing><true\/><\/isOutgoing><isConnected><false\/><\/isConnected><cause><normal\/><\/cause><\/record><\/history>/,
    );
    expect(await h.send('<TelServiceRequest>\n  <queryHistory>\n    <deviceNumber>8001</deviceNumber>\n    <startDate>2009-12-02</startDate>\n  </queryHistory>\n</TelServiceRequest>')).toBe(
      '<TelServiceReturn><result><history/></result></TelServiceReturn>',
    );
  });
});

describe('openSession on a device the PBX cannot monitor', () => {
  it('answers standard, then sends sessionClosedByMonitoringReject', async () => {
    h = await labHarness();
    const inbox = await UdpInbox.open();
    try {
      expect(await h.send(`<TelServiceRequest><openSession><deviceNumber>9999</deviceNumber><eventUDPPort>${inbox.port}</eventUDPPort></openSession></TelServiceRequest>`)).toBe(STANDARD);
      expect(await inbox.next()).toBe('<TelServiceEvent><deviceNumber>9999</deviceNumber><event><session><sessionClosedByMonitoringReject/></session></event></TelServiceEvent>');
      expect(await h.send(snapshotOf('9999'))).toBe(err('noOpenSession'));
    } finally {
      await inbox.close();
    }
  });
});
