// TelServices conformance over real loopback sockets: framing, call control and call events
// (digest §8, S01–S10, S19, S25). Requests are the manual's literal XML wherever it gives one.
import { afterEach, describe, expect, it } from 'vitest';
import { STANDARD, UdpInbox, err, labHarness, noDurations, type LabHarness } from './test-wire.js';

let h: LabHarness;
afterEach(async () => {
  await h?.close();
});

const E11 = `<TelServiceRequest>
  <openSession>
    <deviceNumber>1101</deviceNumber>
    <eventUDPPort>20001</eventUDPPort>
    <eventUpdate>
      <full/>
    </eventUpdate>
  </openSession>
</TelServiceRequest>`;

const makeCall1101to1102 = `<TelServiceRequest>
  <makeCall>
    <deviceNumber>1101</deviceNumber>
    <calledDeviceNumber>1102</calledDeviceNumber>
  </makeCall>
</TelServiceRequest>`;

const answer1102from1101 = `<TelServiceRequest>
  <answerCall>
    <deviceNumber>1102</deviceNumber>
    <callingNumber>1101</callingNumber>
  </answerCall>
</TelServiceRequest>`;

const E71 =
  '<TelServiceEvent><deviceNumber>1101</deviceNumber><event><call><id>1</id><primCall><state><initiated/></state><otherParty><number/></otherParty><duration>0</duration><isOutgoing><true/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><dropCall/></permittedServices></call></event></TelServiceEvent>';
const E72 =
  '<TelServiceEvent><deviceNumber>1101</deviceNumber><event><call><id>1</id><primCall><state><originated/></state><otherParty><number>1102</number></otherParty><duration>0</duration><isOutgoing><true/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><dropCall/></permittedServices></call></event></TelServiceEvent>';
const E73 =
  '<TelServiceEvent><deviceNumber>1101</deviceNumber><event><call><id>1</id><primCall><state><delivered/></state><otherParty><number>1102</number></otherParty><duration>0</duration><isOutgoing><true/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><dropCall/></permittedServices></call></event></TelServiceEvent>';
const E74 =
  '<TelServiceEvent><deviceNumber>1101</deviceNumber><event><call><id>1</id><primCall><state><connected/></state><otherParty><number>1102</number></otherParty><duration>0</duration><isOutgoing><true/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><holdCall/><dropCall/><divertCall/><consultationCall/></permittedServices></call></event></TelServiceEvent>';
const E75 =
  '<TelServiceEvent><deviceNumber>1102</deviceNumber><event><call><id>1</id><primCall><state><alerting/></state><otherParty><number>1101</number></otherParty><duration>0</duration><isOutgoing><false/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><answerCall/><divertCall/></permittedServices></call></event></TelServiceEvent>';
const E76 =
  '<TelServiceEvent><deviceNumber>1102</deviceNumber><event><call><id>1</id><primCall><state><connected/></state><otherParty><number>1101</number></otherParty><duration>0</duration><isOutgoing><false/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><holdCall/><dropCall/><divertCall/><consultationCall/></permittedServices></call></event></TelServiceEvent>';

/** 1101 and 1102 with sessions, connected to each other; their inboxes drained. */
async function connected11011102(): Promise<{ u1101: UdpInbox; u1102: UdpInbox }> {
  const u1101 = await h.open('1101');
  const u1102 = await h.open('1102');
  expect(await h.send(makeCall1101to1102)).toBe(STANDARD);
  await u1102.next('<alerting/>');
  expect(await h.send(answer1102from1101)).toBe(STANDARD);
  await u1101.next('<connected/>');
  await u1102.next('<connected/>');
  return { u1101, u1102 };
}

describe('S01 one-shot TCP framing and openSession', () => {
  it('answers the manual example with the standard result and closes; no datagram follows', async () => {
    h = await labHarness();
    const inbox = await UdpInbox.open(20001);
    try {
      expect(await h.send(E11)).toBe(STANDARD);
      expect(await inbox.rest()).toEqual([]);
    } finally {
      await inbox.close();
    }
  });

  it('detects the end of the request by the root close (no half-close), also in 1-byte segments', async () => {
    h = await labHarness();
    const compact = '<TelServiceRequest><openSession><deviceNumber>1102</deviceNumber></openSession></TelServiceRequest>';
    expect(await h.send(compact, { halfClose: false })).toBe(STANDARD);
    expect(await h.send(compact, { chunkSize: 1, halfClose: false })).toBe(STANDARD);
  });
});

describe('S02 basic call and event sequence (manual call examples 1 and 2)', () => {
  it('sends E71–E74 to 1101 and E75–E76 to 1102, byte for byte', async () => {
    h = await labHarness();
    const u1101 = await h.open('1101');
    const u1102 = await h.open('1102');
    expect(await h.send(makeCall1101to1102)).toBe(STANDARD);
    expect(await u1101.next()).toBe(E71);
    expect(await u1101.next()).toBe(E72);
    expect(await u1101.next()).toBe(E73);
    expect(await u1102.next()).toBe(E75);
    expect(await h.send(answer1102from1101)).toBe(STANDARD);
    expect(await u1102.next()).toBe(E76);
    expect(await u1101.next()).toBe(E74);
  });

  it('snapshot of 1102 while 1101 rings it is the manual snapshot example 1', async () => {
    h = await labHarness();
    await h.open('1102');
    await h.send(makeCall1101to1102);
    const reply = await h.send('<TelServiceRequest>\n  <snapshot>\n    <deviceNumber>1102</deviceNumber>\n  </snapshot>\n</TelServiceRequest>');
    expect(reply).toBe(
      '<TelServiceReturn><result><snapshot><calls><call><id>1</id><primCall><state><alerting/></state><otherParty><number>1101</number></otherParty><duration>0</duration><isOutgoing><false/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><answerCall/><divertCall/></permittedServices></call></calls><forwards/><msgWaiting><off/></msgWaiting><doNotDisturb><off/></doNotDisturb></snapshot></result></TelServiceReturn>',
    );
  });
});

describe('S03 session required', () => {
  it('answers noOpenSession to every session-requiring request on 1103', async () => {
    h = await labHarness();
    for (const op of ['holdCall', 'snapshot', 'dropCall', 'queryAgentState', 'qualifyCall', 'answerCall', 'transferCall']) {
      expect(await h.send(`<TelServiceRequest><${op}><deviceNumber>1103</deviceNumber></${op}></TelServiceRequest>`)).toBe(err('noOpenSession'));
    }
    expect(await h.send('<TelServiceRequest><agentState><deviceNumber>1103</deviceNumber><state><ready/></state></agentState></TelServiceRequest>')).toBe(err('noOpenSession'));
  });
});

describe('S04 no session needed', () => {
  it('answers the feature queries and makeCall without a session', async () => {
    h = await labHarness();
    const u1104 = await h.open('1104');
    expect(await h.send('<TelServiceRequest><queryDoNotDisturb><deviceNumber>1103</deviceNumber></queryDoNotDisturb></TelServiceRequest>')).toBe(
      '<TelServiceReturn><result><doNotDisturb><off/></doNotDisturb></result></TelServiceReturn>',
    );
    expect(await h.send('<TelServiceRequest><queryForward><deviceNumber>1103</deviceNumber></queryForward></TelServiceRequest>')).toBe('<TelServiceReturn><result><forwards/></result></TelServiceReturn>');
    expect(await h.send('<TelServiceRequest><queryMsgWaiting><deviceNumber>1103</deviceNumber></queryMsgWaiting></TelServiceRequest>')).toBe(
      '<TelServiceReturn><result><msgWaiting><off/></msgWaiting></result></TelServiceReturn>',
    );
    expect(await h.send('<TelServiceRequest><makeCall><deviceNumber>1103</deviceNumber><calledDeviceNumber>1104</calledDeviceNumber></makeCall></TelServiceRequest>')).toBe(STANDARD);
    expect(await u1104.next()).toContain('<state><alerting/></state><otherParty><number>1103</number></otherParty>');
  });
});

describe('S05 answerCall, qualifyCall, noCall', () => {
  it('answerCall with nothing alerting is noCall', async () => {
    h = await labHarness();
    await h.open('1102');
    expect(await h.send('<TelServiceRequest><answerCall><deviceNumber>1102</deviceNumber></answerCall></TelServiceRequest>')).toBe(err('noCall'));
  });

  it('qualifyCall returns the caller (manual example) and answers by default', async () => {
    h = await labHarness();
    const u1102 = await h.open('1102');
    await h.send(makeCall1101to1102);
    await u1102.next('<alerting/>');
    const reply = await h.send('<TelServiceRequest>\n  <qualifyCall>\n    <deviceNumber>1102</deviceNumber>\n  </qualifyCall>\n</TelServiceRequest>');
    expect(reply).toBe('<TelServiceReturn><result><qualifyCall><number>1101</number></qualifyCall></result></TelServiceReturn>');
    expect(await u1102.next()).toContain('<state><connected/></state>');
  });

  it('qualifyCall with answerCall false leaves the call alerting; a directory caller comes with a name', async () => {
    h = await labHarness();
    await h.open('1102');
    await h.control('POST', '/calls', { from: '+33160127764', to: '1102' });
    const reply = await h.send('<TelServiceRequest><qualifyCall><deviceNumber>1102</deviceNumber><answerCall><false/></answerCall></qualifyCall></TelServiceRequest>');
    expect(reply).toBe('<TelServiceReturn><result><qualifyCall><number>+33160127764</number><name>Martin Jagger</name></qualifyCall></result></TelServiceReturn>');
    expect(h.lab.pbx.legsOf('1102')[0]?.leg.state).toBe('alerting');
  });
});

describe('S06 hold, retrieve, drop', () => {
  it('reports the far end causes and clears both sides', async () => {
    h = await labHarness();
    const { u1101, u1102 } = await connected11011102();
    expect(await h.send('<TelServiceRequest>\n  <holdCall>\n    <deviceNumber>1101</deviceNumber>\n  </holdCall>\n</TelServiceRequest>')).toBe(STANDARD);
    expect(await u1101.next()).toContain('<state><hold/></state><otherParty><number>1102</number></otherParty>');
    expect(u1101.received.at(-1)).toContain('<permittedServices><retrieveCall/><dropCall/></permittedServices>');
    expect(await u1102.next()).toContain('<state><connected/></state><otherParty><number>1101</number></otherParty><duration>0</duration><isOutgoing><false/></isOutgoing><isConference><false/></isConference><cause><heldByOtherParty/></cause>');
    expect(await h.send('<TelServiceRequest><retrieveCall><deviceNumber>1101</deviceNumber></retrieveCall></TelServiceRequest>')).toBe(STANDARD);
    expect(await u1101.next()).toContain('<state><connected/></state>');
    expect(await u1102.next()).toContain('<cause><retrievedByOtherParty/></cause>');
    expect(await h.send('<TelServiceRequest><dropCall><deviceNumber>1101</deviceNumber></dropCall></TelServiceRequest>')).toBe(STANDARD);
    expect(await u1101.next()).toMatch(/<state><cleared\/><\/state>.*<permittedServices\/>/);
    expect(await u1102.next()).toContain('<cause><droppedByOtherParty/></cause>');
    expect(await h.send('<TelServiceRequest><dropCall><deviceNumber>1101</deviceNumber></dropCall></TelServiceRequest>')).toBe(err('noCall'));
  });
});

describe('S07 consultation then transfer (manual call example 3)', () => {
  it('sends the E77–E80 shapes, then transfers with cause transfer on both remaining parties', async () => {
    h = await labHarness();
    const { u1101, u1102 } = await connected11011102();
    const u1103 = await h.open('1103');
    expect(await h.send('<TelServiceRequest><consultationCall><deviceNumber>1101</deviceNumber><consultedDeviceNumber>1103</consultedDeviceNumber></consultationCall></TelServiceRequest>')).toBe(STANDARD);
    const prim = '<primCall><state><hold/></state><otherParty><number>1102</number></otherParty><duration>N</duration><isOutgoing><true/></isOutgoing><isConference><false/></isConference></primCall>';
    const image = (sec: string, services: string) =>
      `<TelServiceEvent><deviceNumber>1101</deviceNumber><event><call><id>1</id>${prim}<secCall><state><${sec}/></state><otherParty>${sec === 'initiated' ? '<number/>' : '<number>1103</number>'}</otherParty><duration>N</duration><isOutgoing><true/></isOutgoing><isConference><false/></isConference></secCall><permittedServices>${services}</permittedServices></call></event></TelServiceEvent>`;
    expect(noDurations(await u1101.next())).toBe(image('initiated', '<dropCall/><reconnectCall/>'));
    expect(noDurations(await u1101.next())).toBe(image('originated', '<dropCall/><reconnectCall/>'));
    expect(noDurations(await u1101.next())).toBe(image('delivered', '<dropCall/><reconnectCall/><transferCall/>'));
    expect(await u1102.next()).toContain('<cause><heldByOtherParty/></cause>');
    expect(await u1103.next()).toContain('<state><alerting/></state><otherParty><number>1101</number></otherParty><firstOtherParty><number>1102</number></firstOtherParty>');
    await h.send('<TelServiceRequest><answerCall><deviceNumber>1103</deviceNumber></answerCall></TelServiceRequest>');
    expect(noDurations(await u1101.next())).toBe(image('connected', '<dropCall/><holdCall/><reconnectCall/><alternateCall/><transferCall/><conferenceCall/>'));
    await u1103.next('<connected/>');
    expect(await h.send('<TelServiceRequest>\n  <transferCall>\n    <deviceNumber>1101</deviceNumber>\n  </transferCall>\n</TelServiceRequest>')).toBe(STANDARD);
    expect(await u1102.next()).toMatch(
      /<id>1<\/id><primCall><state><connected\/><\/state><otherParty><number>1103<\/number><\/otherParty><lastRedirectionParty><number>1101<\/number><\/lastRedirectionParty><duration>\d+<\/duration>.*<cause><transfer\/><\/cause>/,
    );
    expect(await u1103.next()).toMatch(/<state><connected\/><\/state><otherParty><number>1102<\/number><\/otherParty>.*<lastRedirectionParty><number>1101<\/number><\/lastRedirectionParty>.*<cause><transfer\/><\/cause>/);
    const last1101 = await u1101.next();
    expect(last1101).toMatch(/<primCall><state><cleared\/><\/state>.*<secCall><state><cleared\/><\/state>.*<permittedServices\/>/);
    const snapshot = await h.send('<TelServiceRequest><snapshot><deviceNumber>1102</deviceNumber></snapshot></TelServiceRequest>');
    expect(snapshot).toContain('<otherParty><number>1103</number></otherParty>');
  });

  it('allows the transfer while the consulted party is still alerting', async () => {
    h = await labHarness();
    await connected11011102();
    const u1103 = await h.open('1103');
    await h.send('<TelServiceRequest><consultationCall><deviceNumber>1101</deviceNumber><consultedDeviceNumber>1103</consultedDeviceNumber></consultationCall></TelServiceRequest>');
    await u1103.next('<alerting/>');
    expect(await h.send('<TelServiceRequest><transferCall><deviceNumber>1101</deviceNumber></transferCall></TelServiceRequest>')).toBe(STANDARD);
    expect(await u1103.next()).toMatch(/<state><alerting\/><\/state><otherParty><number>1102<\/number>.*<cause><transfer\/><\/cause>/);
  });
});

describe('S08 conference, reconnect, alternate', () => {
  async function consulting() {
    const inboxes = await connected11011102();
    const u1103 = await h.open('1103');
    await h.send('<TelServiceRequest><consultationCall><deviceNumber>1101</deviceNumber><consultedDeviceNumber>1103</consultedDeviceNumber></consultationCall></TelServiceRequest>');
    await h.send('<TelServiceRequest><answerCall><deviceNumber>1103</deviceNumber></answerCall></TelServiceRequest>');
    await inboxes.u1101.next(/<secCall><state><connected\/>/);
    await u1103.next('<connected/>');
    return { ...inboxes, u1103 };
  }

  it('alternate swaps the two calls, reconnect returns to the first', async () => {
    h = await labHarness();
    const { u1101, u1103 } = await consulting();
    expect(await h.send('<TelServiceRequest><alternateCall><deviceNumber>1102</deviceNumber></alternateCall></TelServiceRequest>')).toBe(err('noCall'));
    expect(await h.send('<TelServiceRequest><alternateCall><deviceNumber>1101</deviceNumber></alternateCall></TelServiceRequest>')).toBe(STANDARD);
    expect(await u1101.next()).toMatch(/<primCall><state><connected\/><\/state>.*<secCall><state><hold\/><\/state>/);
    await h.send('<TelServiceRequest><alternateCall><deviceNumber>1101</deviceNumber></alternateCall></TelServiceRequest>');
    expect(await u1101.next()).toMatch(/<primCall><state><hold\/><\/state>.*<secCall><state><connected\/><\/state>/);
    expect(await h.send('<TelServiceRequest><reconnectCall><deviceNumber>1101</deviceNumber></reconnectCall></TelServiceRequest>')).toBe(STANDARD);
    expect(await u1101.next()).toMatch(/<secCall><state><cleared\/><\/state>/);
    const back = await u1101.next();
    expect(back).toMatch(/<primCall><state><connected\/><\/state>/);
    expect(back).not.toContain('secCall');
    expect(await u1103.next('<droppedByOtherParty/>')).toContain('<state><cleared/></state>');
  });

  it('conference puts all three in one call with addedParties and cause conference', async () => {
    h = await labHarness();
    const { u1101, u1102, u1103 } = await consulting();
    expect(await h.send('<TelServiceRequest><conferenceCall><deviceNumber>1101</deviceNumber></conferenceCall></TelServiceRequest>')).toBe(STANDARD);
    for (const inbox of [u1101, u1102, u1103]) {
      const e = await inbox.next('<cause><conference/></cause>');
      expect(e).toContain('<isConference><true/></isConference>');
      expect(e).toContain('<addedParties>');
      expect(e).not.toContain('secCall');
    }
    expect(await h.send('<TelServiceRequest><transferCall><deviceNumber>1101</deviceNumber></transferCall></TelServiceRequest>')).toBe(err('noCall'));
  });

  it('addPartyToCall (the manual example) makes a conference once the added party answers', async () => {
    h = await labHarness();
    const { u1101 } = await connected11011102();
    const u1103 = await h.open('1103');
    expect(await h.send('<TelServiceRequest>\n  <addPartyToCall>\n    <deviceNumber>1102</deviceNumber>\n    <addedDeviceNumber>1103</addedDeviceNumber>\n  </addPartyToCall>\n</TelServiceRequest>')).toBe(STANDARD);
    await u1103.next('<alerting/>');
    await h.send('<TelServiceRequest><answerCall><deviceNumber>1103</deviceNumber></answerCall></TelServiceRequest>');
    expect(await u1101.next('<cause><conference/></cause>')).toContain('<isConference><true/></isConference>');
  });
});

describe('S09 divert (manual call examples 5 and 6)', () => {
  it('sends exactly E83 to 1103 and E84 to 1104', async () => {
    h = await labHarness();
    const u1102 = await h.open('1102');
    const u1103 = await h.open('1103');
    const u1104 = await h.open('1104');
    await h.send(makeCall1101to1102);
    await u1102.next('<alerting/>');
    expect(await h.send('<TelServiceRequest>\n  <divertCall>\n    <deviceNumber>1102</deviceNumber>\n    <divertedDeviceNumber>1103</divertedDeviceNumber>\n  </divertCall>\n</TelServiceRequest>')).toBe(STANDARD);
    expect(await u1103.next()).toBe(
      '<TelServiceEvent><deviceNumber>1103</deviceNumber><event><call><id>1</id><primCall><state><alerting/></state><otherParty><number>1101</number></otherParty><firstCalledParty><number>1102</number></firstCalledParty><lastRedirectionParty><number>1102</number></lastRedirectionParty><duration>0</duration><isOutgoing><false/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><answerCall/><divertCall/></permittedServices></call></event></TelServiceEvent>',
    );
    expect(await u1102.next()).toContain('<state><cleared/></state>');
    await h.send('<TelServiceRequest><divertCall><deviceNumber>1103</deviceNumber><divertedDeviceNumber>1104</divertedDeviceNumber></divertCall></TelServiceRequest>');
    expect(await u1104.next()).toBe(
      '<TelServiceEvent><deviceNumber>1104</deviceNumber><event><call><id>1</id><primCall><state><alerting/></state><otherParty><number>1101</number></otherParty><firstCalledParty><number>1102</number></firstCalledParty><lastRedirectionParty><number>1103</number></lastRedirectionParty><duration>0</duration><isOutgoing><false/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><answerCall/><divertCall/></permittedServices></call></event></TelServiceEvent>',
    );
  });

  it('divert of a connected call is a blind transfer', async () => {
    h = await labHarness();
    const { u1101 } = await connected11011102();
    const u1103 = await h.open('1103');
    expect(await h.send('<TelServiceRequest><divertCall><deviceNumber>1102</deviceNumber><divertedDeviceNumber>1103</divertedDeviceNumber></divertCall></TelServiceRequest>')).toBe(STANDARD);
    expect(await u1103.next()).toContain('<lastRedirectionParty><number>1102</number></lastRedirectionParty>');
    expect(await u1101.next()).toMatch(/<state><delivered\/><\/state><otherParty><number>1103<\/number>.*<cause><redirect\/><\/cause>/);
  });
});

describe('S10 agent lifecycle and wrap-up', () => {
  const agentEvent = (state: string, rest: string) =>
    `<TelServiceEvent><deviceNumber>1101</deviceNumber><event><agent><userID>agent1101</userID><state><${state}/></state>${rest}</agent></event></TelServiceEvent>`;
  const services = '<inboundServices><service>service1</service></inboundServices>';
  const agentState = (state: string) => `<TelServiceRequest><agentState><deviceNumber>1101</deviceNumber><state><${state}/></state></agentState></TelServiceRequest>`;

  it('logs on, goes ready and notReady, then busy → workingAfterCall → ready by itself', async () => {
    // 1 protocol second = 20 ms, so the 30 s wrap-up passes in 0.6 s.
    h = await labHarness({ pbx: { msPerSecond: 20 } });
    const u1101 = await h.open('1101', '<userID>agent1101</userID><userPassword>1234</userPassword>');
    expect(await h.send(agentState('loggedOn'))).toBe(STANDARD);
    expect(await u1101.next()).toBe(agentEvent('loggedOn', `${services}<permittedStates><ready/><notReady/><loggedOff/></permittedStates>`));
    expect(await h.send(agentState('ready'))).toBe(STANDARD);
    expect(await u1101.next()).toBe(agentEvent('ready', `${services}<permittedStates><notReady/><workingAfterCall/><loggedOff/></permittedStates>`));
    expect(await h.send(agentState('notReady'))).toBe(STANDARD);
    expect(await u1101.next()).toContain('<state><notReady/></state>');
    await h.send(agentState('ready'));
    await u1101.next('<state><ready/></state>');
    expect((await h.control('POST', '/calls', { from: '0612345678', to: 'service1', data: { customerId: 'C-1001' } })).status).toBe(201);
    const alerting = await u1101.next('<alerting/>');
    expect(alerting).toContain('<firstCalledParty><number>service1</number></firstCalledParty>');
    expect(alerting).toContain('<cause><route/></cause>');
    expect(alerting).toContain('<extraData>customerId=C-1001</extraData>');
    await h.send('<TelServiceRequest><answerCall><deviceNumber>1101</deviceNumber></answerCall></TelServiceRequest>');
    expect(await u1101.next('<agent>')).toContain('<state><busy/></state>');
    await h.send('<TelServiceRequest><dropCall><deviceNumber>1101</deviceNumber></dropCall></TelServiceRequest>');
    expect(await u1101.next('<agent>')).toBe(agentEvent('workingAfterCall', `<timeout>30</timeout>${services}<permittedStates><ready/><notReady/><workingAfterCall/></permittedStates>`));
    const query = await h.send('<TelServiceRequest><queryAgentState><deviceNumber>1101</deviceNumber></queryAgentState></TelServiceRequest>');
    expect(query).toMatch(/^<TelServiceReturn><result><agent><userID>agent1101<\/userID><state><workingAfterCall\/><\/state><timeout>\d+<\/timeout>/);
    expect(await u1101.next('<agent>', 5000)).toContain('<state><ready/></state>');
  });

  it('rejects busy and null, and refuses a wrong password with pbxReject', async () => {
    h = await labHarness();
    await h.open('1101', '<userID>agent1101</userID><userPassword>wrong</userPassword>');
    expect(await h.send(agentState('busy'))).toBe(err('reject'));
    expect(await h.send(agentState('null'))).toBe(err('reject'));
    expect(await h.send(agentState('loggedOn'))).toBe(err('pbxReject'));
    expect(await h.send('<TelServiceRequest><agentState><deviceNumber>1101</deviceNumber><state><sleeping/></state></agentState></TelServiceRequest>')).toBe(err('reject'));
  });

  it('queryAgentState of a device that is not an agent is the null state', async () => {
    h = await labHarness();
    await h.open('1102');
    expect(await h.send('<TelServiceRequest><queryAgentState><deviceNumber>1102</deviceNumber></queryAgentState></TelServiceRequest>')).toBe(
      '<TelServiceReturn><result><agent><state><null/></state></agent></result></TelServiceReturn>',
    );
  });
});

describe('S19 UDP loss and resync', () => {
  it('a snapshot after lost events holds the connected call', async () => {
    h = await labHarness();
    const u1101 = await h.open('1101');
    await h.open('1102');
    await h.control('POST', '/faults', { udpDropPorts: [u1101.port] });
    await h.send(makeCall1101to1102);
    await h.send(answer1102from1101);
    expect(await u1101.rest()).toEqual([]);
    await h.control('POST', '/faults', { udpDrop: false });
    const snapshot = await h.send('<TelServiceRequest><snapshot><deviceNumber>1101</deviceNumber></snapshot></TelServiceRequest>');
    expect(snapshot).toContain(
      '<calls><call><id>1</id><primCall><state><connected/></state><otherParty><number>1102</number></otherParty><duration>0</duration><isOutgoing><true/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><holdCall/><dropCall/><divertCall/><consultationCall/></permittedServices></call></calls>',
    );
  });
});

describe('S25 restricted events, withheld numbers, extraData', () => {
  it('restricted clients get only alerting call events (and session events)', async () => {
    h = await labHarness();
    const u1102 = await h.open('1102', '<eventUpdate><restricted/></eventUpdate>');
    await h.send(makeCall1101to1102);
    expect(await u1102.next()).toContain('<alerting/>');
    await h.send(answer1102from1101);
    await h.send('<TelServiceRequest><forward><deviceNumber>1102</deviceNumber><info><number>1103</number><type><busy/></type><state><on/></state></info></forward></TelServiceRequest>');
    expect(await u1102.rest()).toEqual([]);
    await h.control('POST', '/sessions/1102/close');
    expect(await u1102.next()).toContain('<session><sessionClosedByAdmin/></session>');
  });

  it('a withheld caller is *****-<ref>; extraData is echoed to both parties', async () => {
    h = await labHarness();
    const u1101 = await h.open('1101');
    const u1102 = await h.open('1102');
    await h.control('POST', '/calls', { from: '0612345678', to: '1101', withheld: true });
    expect(await u1101.next()).toMatch(/<otherParty><number>\*\*\*\*\*-\d+<\/number><\/otherParty>/);
    await h.send('<TelServiceRequest><dropCall><deviceNumber>1101</deviceNumber></dropCall></TelServiceRequest>').catch(() => undefined);
    await h.control('POST', '/devices/0612345678/hangup');
    await h.send('<TelServiceRequest><makeCall><deviceNumber>1101</deviceNumber><calledDeviceNumber>1102</calledDeviceNumber><extraData>ORDER-42</extraData></makeCall></TelServiceRequest>');
    expect(await u1101.next('<initiated/>')).toContain('</permittedServices><extraData>ORDER-42</extraData></call>');
    expect(await u1102.next('<alerting/>')).toContain('<extraData>ORDER-42</extraData>');
  });
});
