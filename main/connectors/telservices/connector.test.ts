// The TelServices connector against a small scripted fake TelServer written here: canned literal
// XML replies over TCP (or HTTP) and UDP events sent by the test.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CtiError } from '../../../shared/commands.js';
import type { CtiEvent } from '../../../shared/events.js';
import { Profile } from '../../../shared/profile.js';
import { silentLogger } from '../../core/log.js';
import { createTelServicesConnector, type TelServicesConnector } from './connector.js';

const STANDARD = '<TelServiceReturn><result><standard/></result></TelServiceReturn>';
const EMPTY_SNAPSHOT =
  '<TelServiceReturn><result><snapshot><calls/><forwards/><msgWaiting><off/></msgWaiting><doNotDisturb><off/></doNotDisturb></snapshot></result></TelServiceReturn>';
const ALERTING_EVENT =
  '<TelServiceEvent><deviceNumber>1101</deviceNumber><event><call><id>1</id><primCall><state><alerting/></state><otherParty><number>0612345678</number><name>Bob Blake</name></otherParty><duration>0</duration><isOutgoing><false/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><answerCall/><divertCall/></permittedServices><extraData>C-1001</extraData></call></event></TelServiceEvent>';
const SECOND_ALERTING_EVENT =
  '<TelServiceEvent><deviceNumber>1101</deviceNumber><event><call><id>2</id><primCall><state><alerting/></state><otherParty><number>0498765432</number></otherParty><duration>0</duration><isOutgoing><false/></isOutgoing></primCall><permittedServices><answerCall/></permittedServices></call></event></TelServiceEvent>';

type Script = (request: string) => string | Promise<string>;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A fake TelServer: one request per TCP connection, replies from the test's script. */
async function fakeTelServer(script: Script) {
  const requests: string[] = [];
  const waiters: Array<() => void> = [];
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    let buffer = '';
    let answered = false;
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      if (answered || !buffer.includes('</TelServiceRequest>')) return;
      answered = true;
      requests.push(buffer);
      waiters.splice(0).forEach((w) => w());
      void Promise.resolve(script(buffer)).then((reply) => socket.end(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as net.AddressInfo).port;
  const requestCount = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (requests.length >= n ? resolve() : waiters.push(check));
      check();
    });
  return { port, requests, requestCount };
}

/** Replies by request element name; anything unscripted gets a standard result. */
function byOp(replies: Record<string, string | ((req: string) => string)>): Script {
  return (req) => {
    const op = /<TelServiceRequest><([A-Za-z]+)/.exec(req)?.[1] ?? '';
    const r = replies[op];
    return typeof r === 'function' ? r(req) : (r ?? (op === 'snapshot' ? EMPTY_SNAPSHOT : STANDARD));
  };
}

function profileFor(port: number, connection: Record<string, unknown> = {}) {
  return Profile.parse({
    id: 'test',
    name: 'Test',
    device: '1101',
    agentId: 'agent1101',
    commandTimeoutMs: 2000,
    connection: { vendor: 'telservices', host: '127.0.0.1', port, udpBind: '127.0.0.1', ...connection },
  });
}

async function connectorRig(script: Script, connection: Record<string, unknown> = {}) {
  const server = await fakeTelServer(script);
  const connector = createTelServicesConnector({
    profile: profileFor(server.port, connection),
    secret: { password: '1234' },
    log: silentLogger(),
    now: () => 1_700_000_000_000,
  });
  const events: CtiEvent[] = [];
  const lost: CtiError[] = [];
  const waiters: Array<() => void> = [];
  connector.setListeners({
    event: (e) => {
      events.push(e);
      waiters.splice(0).forEach((w) => w());
    },
    lost: (e) => {
      lost.push(e);
      waiters.splice(0).forEach((w) => w());
    },
  });
  cleanups.push(() => connector.stop());
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (pred() ? resolve() : waiters.push(check));
      check();
    });
  const sender = dgram.createSocket('udp4');
  cleanups.push(() => new Promise<void>((resolve) => sender.close(() => resolve())));
  const udpPort = () => Number(/<eventUDPPort>(\d+)<\/eventUDPPort>/.exec(server.requests[0] ?? '')?.[1]);
  const sendEvent = (xml: string) =>
    new Promise<void>((resolve, reject) => sender.send(xml, udpPort(), '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  return { server, connector, events, lost, until, sendEvent, udpPort };
}

async function rejection(p: Promise<unknown>): Promise<CtiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CtiError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

const callEvents = (events: CtiEvent[]) => events.filter((e): e is Extract<CtiEvent, { type: 'call' }> => e.type === 'call');

describe('start', () => {
  it('binds UDP and opens the session with the profile, agent and secret', async () => {
    const r = await connectorRig(byOp({}));
    await r.connector.start();
    expect(r.udpPort()).toBeGreaterThan(0);
    expect(r.server.requests[0]).toBe(
      `<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber><eventUDPPort>${r.udpPort()}</eventUDPPort><eventUpdate><full/></eventUpdate><userID>agent1101</userID><userPassword>1234</userPassword><sessionTimeout>120</sessionTimeout></openSession></TelServiceRequest>`,
    );
  });

  it.each([
    ['invalidCredentials', 'authFailed'],
    ['sessionLimitExceeded', 'limit'],
    ['pbxlinkOutOfService', 'linkDown'],
    ['pbxReject', 'rejected'],
    ['reject', 'rejected'],
    ['noCall', 'noCall'],
    ['noOpenSession', 'sessionLost'],
    ['pbxTimeout', 'timeout'],
    ['resourceError', 'rejected'],
    ['brandNewError', 'rejected'],
  ])('maps an openSession <%s/> to %s, naming the token', async (token, code) => {
    const r = await connectorRig(byOp({ openSession: `<TelServiceReturn><error><${token}/></error></TelServiceReturn>` }));
    const e = await rejection(r.connector.start());
    expect([e.code, e.vendorCode]).toEqual([code, token]);
    expect(e.message).toContain(token);
  });

  it('reports an unreachable server', async () => {
    const r = await connectorRig(byOp({}));
    await cleanups.shift()?.(); // closes the fake server (registered first)
    expect((await rejection(r.connector.start())).code).toBe('unreachable');
  });

  it('refuses long-poll events over raw TCP', async () => {
    const r = await connectorRig(byOp({}), { events: 'longPoll' });
    expect((await rejection(r.connector.start())).code).toBe('invalid');
  });
});

describe('events', () => {
  it('turns a UDP call event into a normalized call and ignores other devices', async () => {
    const r = await connectorRig(byOp({}));
    await r.connector.start();
    await r.sendEvent(ALERTING_EVENT.replace('<deviceNumber>1101</deviceNumber>', '<deviceNumber>1999</deviceNumber>'));
    await r.sendEvent(ALERTING_EVENT);
    await r.until(() => callEvents(r.events).length > 0);
    const [ev] = callEvents(r.events);
    expect(callEvents(r.events)).toHaveLength(1);
    expect(ev).toMatchObject({
      change: 'created',
      call: {
        state: 'alerting',
        direction: 'inbound',
        remote: { number: '0612345678', name: 'Bob Blake' },
        data: { extraData: 'C-1001' },
        allowed: ['answer', 'redirect'],
        ref: { vendor: 'telservices', device: '1101', callId: '1', leg: 'prim' },
      },
    });
  });

  it('emits agent and full feature lists', async () => {
    const r = await connectorRig(byOp({}));
    await r.connector.start();
    await r.sendEvent(
      '<TelServiceEvent><event><agent><userID>agent1101</userID><state><workingAfterCall/></state><timeout>30</timeout><permittedStates><ready/><notReady/></permittedStates></agent></event></TelServiceEvent>',
    );
    await r.sendEvent('<TelServiceEvent><event><forward><number>1102</number><type><immediate/></type><state><on/></state></forward></event></TelServiceEvent>');
    await r.sendEvent('<TelServiceEvent><event><forward><number>0612345678</number><type><busy/></type><state><on/></state></forward></event></TelServiceEvent>');
    await r.sendEvent('<TelServiceEvent><event><doNotDisturb><on/></doNotDisturb></event></TelServiceEvent>');
    await r.until(() => r.events.length >= 4);
    expect(r.events).toEqual([
      { type: 'agent', agent: { state: 'wrapUp', agentId: 'agent1101', timeoutSec: 30, since: 1_700_000_000_000, permitted: ['ready', 'notReady'], services: [] } },
      { type: 'features', features: { forwards: [{ type: 'immediate', to: '1102' }] } },
      {
        type: 'features',
        features: {
          forwards: [
            { type: 'immediate', to: '1102' },
            { type: 'busy', to: '0612345678' },
          ],
        },
      },
      { type: 'features', features: { dnd: true } },
    ]);
  });

  it('reports the PBX link going down and up as notices and through pbxLinkUp()', async () => {
    const r = await connectorRig(byOp({}));
    await r.connector.start();
    await r.sendEvent('<TelServiceEvent><event><session><pbxlinkOutOfService/></session></event></TelServiceEvent>');
    await r.until(() => r.events.length >= 1);
    expect(r.events[0]).toMatchObject({ type: 'notice', code: 'pbxLinkDown', level: 'warning' });
    expect(r.connector.pbxLinkUp()).toBe(false);
    expect(await r.connector.keepAlive()).toEqual({ missedEvents: 0, pbxLinkUp: false });
    await r.sendEvent('<TelServiceEvent><event><session><pbxlinkInService/></session></event></TelServiceEvent>');
    await r.until(() => r.events.length >= 2);
    expect(r.events[1]).toMatchObject({ type: 'notice', code: 'pbxLinkUp' });
    expect(r.connector.pbxLinkUp()).toBe(true);
  });

  it('tells the supervisor the session is lost when TelServer closes it', async () => {
    const r = await connectorRig(byOp({}));
    await r.connector.start();
    await r.sendEvent('<TelServiceEvent><event><session><sessionClosedByAdmin/></session></event></TelServiceEvent>');
    await r.until(() => r.lost.length > 0);
    expect([r.lost[0]?.code, r.lost[0]?.vendorCode]).toEqual(['sessionLost', 'sessionClosedByAdmin']);
  });
});

describe('snapshot and keep-alive', () => {
  const snapshotWithCall =
    '<TelServiceReturn><result><snapshot><calls><call><id>4</id><primCall><state><connected/></state><otherParty><number>0612345678</number></otherParty><duration>20</duration><isOutgoing><true/></isOutgoing><isConference><false/></isConference></primCall><permittedServices><holdCall/><dropCall/></permittedServices></call></calls><forwards><forward><number>1102</number><type><immediate/></type><state><on/></state></forward></forwards><msgWaiting><on/></msgWaiting><doNotDisturb><off/></doNotDisturb><agent><state><ready/></state><inboundServices><service>sales</service></inboundServices></agent></snapshot></result></TelServiceReturn>';

  it('returns the full state as one snapshot event', async () => {
    const r = await connectorRig(byOp({ snapshot: snapshotWithCall }));
    await r.connector.start();
    const snap = await r.connector.snapshot();
    expect(r.server.requests[1]).toBe('<TelServiceRequest><snapshot><deviceNumber>1101</deviceNumber></snapshot></TelServiceRequest>');
    expect(snap.calls).toHaveLength(1);
    expect(snap.calls[0]).toMatchObject({ state: 'connected', remote: { number: '0612345678' }, connectedAt: 1_700_000_000_000 - 20_000 });
    expect(snap.features).toEqual({ forwards: [{ type: 'immediate', to: '1102' }], dnd: false, messageWaiting: true });
    expect(snap.agent).toMatchObject({ state: 'ready', services: ['sales'] });
  });

  it('counts what the events missed, and nothing once in step', async () => {
    const r = await connectorRig(byOp({}));
    await r.connector.start();
    await r.sendEvent(ALERTING_EVENT);
    await r.until(() => callEvents(r.events).length > 0);
    // The server's snapshot has no call: the clear event was lost.
    // The keep-alive hands back the state it fetched, so the supervisor need not ask again.
    const missed = await r.connector.keepAlive();
    expect(missed.missedEvents).toBe(1);
    expect(missed.pbxLinkUp).toBe(true);
    expect(missed.snapshot?.calls).toEqual([]);
    expect(await r.connector.keepAlive()).toEqual({ missedEvents: 0, pbxLinkUp: true });
    expect((await r.connector.snapshot()).calls).toEqual([]);
  });

  it('does not count an event still in flight when the snapshot was taken', async () => {
    const alertingSnapshot = EMPTY_SNAPSHOT.replace('<calls/>', `<calls>${/<call>.*<\/call>/.exec(ALERTING_EVENT)?.[0]}</calls>`);
    let rig: Awaited<ReturnType<typeof connectorRig>> | null = null;
    let sent = false;
    const r = await connectorRig(
      byOp({
        snapshot: () => {
          // The server already has the call; its datagram leaves just after this reply.
          if (rig && !sent) {
            sent = true;
            setTimeout(() => void rig?.sendEvent(ALERTING_EVENT), 20);
          }
          return rig ? alertingSnapshot : EMPTY_SNAPSHOT;
        },
      }),
    );
    await r.connector.start();
    rig = r;
    expect(await r.connector.keepAlive()).toEqual({ missedEvents: 0, pbxLinkUp: true });
    expect(callEvents(r.events)).toHaveLength(1);
  });

  it('does not take a moving wrap-up countdown for a lost event', async () => {
    const wrapUp = (timeout: number) =>
      `<TelServiceReturn><result><snapshot><calls/><forwards/><msgWaiting><off/></msgWaiting><doNotDisturb><off/></doNotDisturb><agent><state><workingAfterCall/></state><timeout>${timeout}</timeout></agent></snapshot></result></TelServiceReturn>`;
    let timeout = 30;
    const r = await connectorRig(byOp({ snapshot: () => wrapUp(timeout) }));
    await r.connector.start();
    await r.connector.snapshot();
    timeout = 27;
    expect(await r.connector.keepAlive()).toEqual({ missedEvents: 0, pbxLinkUp: true });
  });

  it('throws sessionLost when the server no longer knows the session', async () => {
    let lostSession = false;
    const r = await connectorRig(byOp({ snapshot: () => (lostSession ? '<TelServiceReturn><error><noOpenSession/></error></TelServiceReturn>' : EMPTY_SNAPSHOT) }));
    await r.connector.start();
    lostSession = true;
    expect((await rejection(r.connector.keepAlive())).code).toBe('sessionLost');
  });
});

describe('commands', () => {
  async function withCalls(script: Record<string, string> = {}) {
    const r = await connectorRig(byOp(script));
    await r.connector.start();
    await r.sendEvent(ALERTING_EVENT);
    await r.until(() => callEvents(r.events).length >= 1);
    return r;
  }
  const idOf = (r: { events: CtiEvent[] }, number: string) => callEvents(r.events).find((e) => e.call.remote.number === number)?.call.id ?? '';

  it('answers a single call without naming it, and names it when two are alerting', async () => {
    const r = await withCalls();
    await r.connector.execute({ kind: 'answer', callId: idOf(r, '0612345678') });
    expect(r.server.requests.at(-1)).toBe('<TelServiceRequest><answerCall><deviceNumber>1101</deviceNumber></answerCall></TelServiceRequest>');
    await r.sendEvent(SECOND_ALERTING_EVENT);
    await r.until(() => callEvents(r.events).length >= 2);
    await r.connector.execute({ kind: 'answer', callId: idOf(r, '0498765432') });
    expect(r.server.requests.at(-1)).toBe(
      '<TelServiceRequest><answerCall><deviceNumber>1101</deviceNumber><callingNumber>0498765432</callingNumber></answerCall></TelServiceRequest>',
    );
    await r.connector.execute({ kind: 'clear', callId: idOf(r, '0612345678') });
    expect(r.server.requests.at(-1)).toBe('<TelServiceRequest><dropCall><deviceNumber>1101</deviceNumber><otherNumber>0612345678</otherNumber></dropCall></TelServiceRequest>');
  });

  it('maps every supported command to its TelServices request', async () => {
    const r = await withCalls();
    const id = idOf(r, '0612345678');
    const sent = async (cmd: Parameters<TelServicesConnector['execute']>[0]) => {
      await r.connector.execute(cmd);
      return r.server.requests.at(-1);
    };
    const d = '<deviceNumber>1101</deviceNumber>';
    expect(await sent({ kind: 'makeCall', to: '06 12-34.56(78)', data: { customerId: 'C 1' } })).toBe(
      `<TelServiceRequest><makeCall>${d}<calledDeviceNumber>0612345678</calledDeviceNumber><extraData>customerId=C+1</extraData></makeCall></TelServiceRequest>`,
    );
    expect(await sent({ kind: 'hold', callId: id })).toBe(`<TelServiceRequest><holdCall>${d}</holdCall></TelServiceRequest>`);
    expect(await sent({ kind: 'retrieve', callId: id })).toBe(`<TelServiceRequest><retrieveCall>${d}</retrieveCall></TelServiceRequest>`);
    expect(await sent({ kind: 'consult', callId: id, to: '1103' })).toBe(
      `<TelServiceRequest><consultationCall>${d}<consultedDeviceNumber>1103</consultedDeviceNumber></consultationCall></TelServiceRequest>`,
    );
    expect(await sent({ kind: 'alternate', callId: id })).toBe(`<TelServiceRequest><alternateCall>${d}</alternateCall></TelServiceRequest>`);
    expect(await sent({ kind: 'transfer', callId: id })).toBe(`<TelServiceRequest><transferCall>${d}</transferCall></TelServiceRequest>`);
    expect(await sent({ kind: 'transfer', callId: id, to: '1104' })).toBe(
      `<TelServiceRequest><divertCall>${d}<divertedDeviceNumber>1104</divertedDeviceNumber></divertCall></TelServiceRequest>`,
    );
    expect(await sent({ kind: 'conference', callId: id })).toBe(`<TelServiceRequest><conferenceCall>${d}</conferenceCall></TelServiceRequest>`);
    expect(await sent({ kind: 'reconnect', callId: id })).toBe(`<TelServiceRequest><reconnectCall>${d}</reconnectCall></TelServiceRequest>`);
    expect(await sent({ kind: 'redirect', callId: id, to: '1105' })).toBe(
      `<TelServiceRequest><divertCall>${d}<divertedDeviceNumber>1105</divertedDeviceNumber></divertCall></TelServiceRequest>`,
    );
    expect(await sent({ kind: 'addParty', callId: id, to: '1106' })).toBe(
      `<TelServiceRequest><addPartyToCall>${d}<addedDeviceNumber>1106</addedDeviceNumber></addPartyToCall></TelServiceRequest>`,
    );
    expect(await sent({ kind: 'setAgentState', state: 'wrapUp' })).toBe(
      `<TelServiceRequest><agentState>${d}<state><workingAfterCall/></state></agentState></TelServiceRequest>`,
    );
    expect(await sent({ kind: 'setForward', type: 'busy', to: '0612345678', on: true })).toBe(
      `<TelServiceRequest><forward>${d}<info><number>0612345678</number><type><busy/></type><state><on/></state></info></forward></TelServiceRequest>`,
    );
    expect(await sent({ kind: 'setDnd', on: true })).toBe(`<TelServiceRequest><doNotDisturb>${d}<state><on/></state></doNotDisturb></TelServiceRequest>`);
  });

  it('refuses what TelServices cannot do, with a clear typed error', async () => {
    const r = await withCalls();
    const id = idOf(r, '0612345678');
    const before = r.server.requests.length;
    for (const cmd of [
      { kind: 'sendDtmf', callId: id, digits: '12' },
      { kind: 'park', callId: id },
      { kind: 'pickup', from: '1102' },
      { kind: 'setCallData', callId: id, data: { a: 'b' } },
    ] as const) {
      const e = await rejection(r.connector.execute(cmd));
      expect([e.code, e.message]).toEqual(['unsupported', expect.stringMatching(/TelServices/)]);
      expect(r.connector.capabilities.has(cmd.kind)).toBe(false);
    }
    expect((await rejection(r.connector.execute({ kind: 'setAgentState', state: 'busy' }))).code).toBe('invalid');
    expect((await rejection(r.connector.execute({ kind: 'hold', callId: 'ts:nope' }))).code).toBe('noCall');
    expect((await rejection(r.connector.execute({ kind: 'setForward', type: 'busy', on: true }))).code).toBe('invalid');
    expect(r.server.requests.length).toBe(before);
  });

  it('maps error replies of commands', async () => {
    const r = await withCalls({ holdCall: '<TelServiceReturn><error><noCall/></error></TelServiceReturn>' });
    const e = await rejection(r.connector.execute({ kind: 'hold', callId: idOf(r, '0612345678') }));
    expect([e.code, e.vendorCode]).toEqual(['noCall', 'noCall']);
  });

  it('keeps a not-ready reason locally and shows it on the agent state', async () => {
    const r = await connectorRig(byOp({}));
    await r.connector.start();
    await r.connector.execute({ kind: 'setAgentState', state: 'notReady', reason: 'Break' });
    expect(r.server.requests.at(-1)).toBe('<TelServiceRequest><agentState><deviceNumber>1101</deviceNumber><state><notReady/></state></agentState></TelServiceRequest>');
    await r.sendEvent('<TelServiceEvent><event><agent><state><notReady/></state></agent></event></TelServiceEvent>');
    await r.until(() => r.events.some((e) => e.type === 'agent'));
    expect(r.events.find((e) => e.type === 'agent')).toMatchObject({ agent: { state: 'notReady', reason: 'Break' } });
  });

  it('sends requests for the device one at a time', async () => {
    const log: string[] = [];
    let releaseFirst: (() => void) | null = null;
    const r = await connectorRig(async (req) => {
      const op = /<TelServiceRequest><([A-Za-z]+)/.exec(req)?.[1] ?? '';
      log.push(`recv ${op}`);
      if (op === 'holdCall') {
        // Hold the first reply until a second request shows up, or 300 ms pass (bounded window).
        await new Promise<void>((resolve) => {
          releaseFirst = resolve;
          setTimeout(resolve, 300);
        });
      }
      log.push(`reply ${op}`);
      return STANDARD;
    });
    await r.connector.start();
    await r.sendEvent(ALERTING_EVENT);
    await r.until(() => callEvents(r.events).length >= 1);
    const id = idOf(r, '0612345678');
    const first = r.connector.execute({ kind: 'hold', callId: id });
    const second = r.connector.execute({ kind: 'setDnd', on: false });
    void r.server.requestCount(3).then(() => (releaseFirst as (() => void) | null)?.());
    await Promise.all([first, second]);
    expect(log.slice(2)).toEqual(['recv holdCall', 'reply holdCall', 'recv doNotDisturb', 'reply doNotDisturb']);
  });
});

describe('queries', () => {
  it('searches the directory by name and number, merged without duplicates', async () => {
    const martin = '<party><number>+33160127764</number><name>Martin Jagger</name><numberType><home/></numberType><company>uniGone</company></party>';
    const r = await connectorRig(
      byOp({
        searchName: `<TelServiceReturn><result><searchDirectory>${martin}<party><number>+801</number><name>Marcel Jagger</name></party></searchDirectory></result></TelServiceReturn>`,
        searchNumber: `<TelServiceReturn><result><searchDirectory>${martin}</searchDirectory></result></TelServiceReturn>`,
      }),
    );
    await r.connector.start();
    const entries = await r.connector.query({ kind: 'directory', text: '+33 1 60 12 77 64', limit: 50 });
    expect(entries).toEqual([
      { number: '+33160127764', name: 'Martin Jagger', numberType: 'home', company: 'uniGone' },
      { number: '+801', name: 'Marcel Jagger' },
    ]);
    expect(r.server.requests.slice(1)).toEqual([
      '<TelServiceRequest><searchName><userID>agent1101</userID><name>+33 1 60 12 77 64</name><limit>50</limit></searchName></TelServiceRequest>',
      '<TelServiceRequest><searchNumber><userID>agent1101</userID><number>+33160127764</number></searchNumber></TelServiceRequest>',
    ]);
    await r.connector.query({ kind: 'directory', text: 'Mar', limit: 5 });
    expect(r.server.requests.at(-1)).toContain('<searchName>');
  });

  it('reads the PBX call history as call-log rows with deterministic ids', async () => {
    const record = (time: string, number: string, connected: boolean) =>
      `<record><creationDate>2009-12-02</creationDate><creationTime>${time}</creationTime><otherParty><number>${number}</number></otherParty><alertingDuration>4</alertingDuration><duration>60</duration><isOutgoing><false/></isOutgoing><isConnected>${connected ? '<true/>' : '<false/>'}</isConnected><cause><normal/></cause></record>`;
    const r = await connectorRig(
      byOp({
        queryHistory: `<TelServiceReturn><result><history>${record('15:32:43', '8005', true)}${record('14:53:27', '0612345678', false)}<record><creationDate>2009-12-02</creationDate><creationTime>14:00:00</creationTime><agentState><ready/></agentState></record></history></result></TelServiceReturn>`,
      }),
    );
    await r.connector.start();
    const rows = await r.connector.query({ kind: 'vendorHistory', since: '2009-12-02', limit: 10 });
    const startedAt = new Date(2009, 11, 2, 15, 32, 43).getTime();
    expect(rows).toEqual([
      {
        id: 'ts-pbx:1101:2009-12-02T15:32:43:8005',
        profileId: 'test',
        device: '1101',
        direction: 'inbound',
        remoteNumber: '8005',
        startedAt,
        answeredAt: startedAt + 4000,
        endedAt: startedAt + 64_000,
        durationSec: 60,
        outcome: 'answered',
        cause: 'normal',
        data: {},
        source: 'pbx',
      },
      expect.objectContaining({ id: 'ts-pbx:1101:2009-12-02T14:53:27:0612345678', remoteNumber: '0612345678', outcome: 'missed' }),
    ]);
    expect(r.server.requests.at(-1)).toBe(
      '<TelServiceRequest><queryHistory><deviceNumber>1101</deviceNumber><userID>agent1101</userID><startDate>2009-12-02</startDate><limit>10</limit></queryHistory></TelServiceRequest>',
    );
  });

  it("reports the agent's queues from routing-point statistics and state", async () => {
    const r = await connectorRig(
      byOp({
        queryAgentState:
          '<TelServiceReturn><result><agent><state><ready/></state><inboundServices><service>service1</service></inboundServices></agent></result></TelServiceReturn>',
        queryRoutingPointStatistics:
          '<TelServiceReturn><result><routingPointStatistics><snapshot><queuedCallsCount>3</queuedCallsCount><queuedCallsDuration>00:01:10</queuedCallsDuration><readyAvailableAgentsCount>2</readyAvailableAgentsCount><busyOrWorkingAfterCallAgentsCount>1</busyOrWorkingAfterCallAgentsCount><notReadyOrDirectCallAgentsCount>0</notReadyOrDirectCallAgentsCount><agentsInCallCount>1</agentsInCallCount><loggedOffOrClosedAgentsCount>3</loggedOffOrClosedAgentsCount><agents><agent><deviceNumber>8001</deviceNumber><userID>agent8001</userID><agentState><ready/></agentState></agent><agent><deviceNumber>8002</deviceNumber><agentState><workingAfterCall/></agentState></agent></agents></snapshot></routingPointStatistics></result></TelServiceReturn>',
        queryRoutingPointState: '<TelServiceReturn><result><routingPointState><started-running/></routingPointState></result></TelServiceReturn>',
      }),
    );
    await r.connector.start();
    expect(await r.connector.query({ kind: 'queues' })).toEqual([
      {
        id: 'service1',
        name: 'service1',
        state: 'started-running',
        queuedCalls: 3,
        agentsReady: 2,
        agentsBusy: 1,
        agentsNotReady: 0,
        agentsLoggedOff: 3,
        agents: [
          { device: '8001', agentId: 'agent8001', state: 'ready' },
          { device: '8002', state: 'wrapUp' },
        ],
      },
    ]);
  });
});

describe('stop', () => {
  it('closes the session and the UDP socket, and never throws even when the server is gone', async () => {
    const r = await connectorRig(byOp({}));
    await r.connector.start();
    await r.connector.stop();
    expect(r.server.requests.at(-1)).toBe('<TelServiceRequest><closeSession><deviceNumber>1101</deviceNumber></closeSession></TelServiceRequest>');
    // A closed UDP socket refuses nothing visibly; starting again binds a fresh one.
    await r.connector.start();
    await cleanups.shift()?.(); // the fake server goes away
    await expect(r.connector.stop()).resolves.toBeUndefined();
  });
});

describe('HTTP long-poll events', () => {
  it('polls snapshots with resultOnEvent and emits the differences as events', async () => {
    const bodies: string[] = [];
    const held: http.ServerResponse[] = [];
    let onHeld: () => void = () => {};
    const pollHeld = new Promise<void>((resolve) => (onHeld = resolve));
    const pollReplies = [
      '<TelServiceReturn><result><snapshot><snapshotSeq>7</snapshotSeq><calls><call><id>1</id><primCall><state><alerting/></state><otherParty><number>0612345678</number></otherParty><duration>0</duration><isOutgoing><false/></isOutgoing></primCall><permittedServices><answerCall/></permittedServices></call></calls></snapshot></result></TelServiceReturn>',
    ];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        if (body.includes('<resultOnEvent>')) {
          const reply = pollReplies.shift();
          if (reply) res.writeHead(200).end(reply);
          else {
            held.push(res); // nothing changed: the server holds the poll
            onHeld();
          }
        } else {
          res.writeHead(200).end(STANDARD);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const port = (server.address() as net.AddressInfo).port;
    const connector = createTelServicesConnector({
      profile: profileFor(port, { transport: 'http', events: 'longPoll' }),
      secret: null,
      log: silentLogger(),
    });
    const events: CtiEvent[] = [];
    let notify: (() => void) | null = null;
    connector.setListeners({ event: (e) => (events.push(e), notify?.()), lost: () => {} });
    cleanups.push(() => connector.stop());
    await connector.start();
    await new Promise<void>((resolve) => {
      notify = () => callEvents(events).length > 0 && resolve();
      notify();
    });
    expect(bodies[0]).toBe(
      '<TelServiceRequest><openSession><deviceNumber>1101</deviceNumber><eventUpdate><full/></eventUpdate><userID>agent1101</userID><sessionTimeout>120</sessionTimeout></openSession></TelServiceRequest>',
    );
    expect(bodies[1]).toBe(
      '<TelServiceRequest><snapshot><deviceNumber>1101</deviceNumber><resultOnEvent><timeout>25</timeout><snapshotSeq>0</snapshotSeq></resultOnEvent></snapshot></TelServiceRequest>',
    );
    expect(callEvents(events)[0]?.call).toMatchObject({ state: 'alerting', remote: { number: '0612345678' } });
    // The next poll carries the sequence number the server gave.
    await pollHeld;
    expect(bodies[2]).toContain('<snapshotSeq>7</snapshotSeq>');
    // Commands are not held up by the pending poll.
    await connector.execute({ kind: 'setDnd', on: true });
    await connector.stop();
    expect(bodies.at(-1)).toContain('<closeSession>');
  });
});
