// A private RabbitMQ (STOMP plugin) with the manual's broker user, driven by two stompjs clients
// through the connector's TCP transport: topics and queues named as in the InstantVoice guide,
// negotiated heart-beats, re-subscription after a cut connection, and a refused login that does
// not turn into a reconnect storm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IMessage } from '@stomp/stompjs';
import { StompTransport } from '../../connectors/instantvoice/stomp-transport.js';
import { brokerAvailable, nodePids, processAlive, startPrivateBroker, type PrivateBroker } from './broker.js';

// The guide's defaults (ivstomp.username / ivstomp.password) and destinations.
const manualUser = 'instantvoice';
const manualPassword = 'sT0MpM3';
const accessKey = 'f054bbd2f5ebab9';
const requestQueue = '/queue/config';
const replyTopic = `/topic/${accessKey}`;
const agentTopic = '/topic/iv.agents.default_1001';
const allAgentsTopic = '/topic/iv.agents.#';

const available = brokerAvailable();
if (!available) console.warn('broker.int.test: skipped, rabbitmq-server is not installed (apt-get install rabbitmq-server)');

/** Collects messages; next() waits for the next one (bounded). */
function inbox() {
  const got: IMessage[] = [];
  let wake: (() => void) | undefined;
  const push = (m: IMessage) => { got.push(m); wake?.(); };
  const next = async (timeoutMs = 5000): Promise<IMessage> => {
    const deadline = Date.now() + timeoutMs;
    while (got.length === 0) {
      if (Date.now() > deadline) throw new Error('no message arrived');
      await new Promise<void>(resolve => { wake = resolve; setTimeout(resolve, 50); });
    }
    return got.shift()!;
  };
  return { push, next, got };
}

describe.skipIf(!available)('InstantVoice private STOMP broker (RabbitMQ)', () => {
  let broker: PrivateBroker;
  const transports: StompTransport[] = [];
  const transport = (over: Partial<ConstructorParameters<typeof StompTransport>[0]> = {}) => {
    const t = new StompTransport({
      host: broker.host, port: broker.stompPort, login: manualUser, passcode: manualPassword,
      heartbeatMs: 1000, reconnectDelayMs: 200, ...over,
    });
    transports.push(t);
    return t;
  };

  beforeAll(async () => {
    broker = await startPrivateBroker({ user: manualUser, password: manualPassword });
    console.log(`private RabbitMQ ${broker.nodeName}: STOMP ${broker.stompPort} accepting after ${broker.startMs} ms`);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(transports.map(t => t.close().catch(() => undefined)));
    if (!broker) return;
    const pids = broker.livePids();
    expect(pids.length).toBeGreaterThan(0); // beam (+ epmd) were running
    await broker.stop();
    expect(broker.livePids()).toEqual([]);
    for (const pid of pids) expect(processAlive(pid)).toBe(false);
  }, 60_000);

  it('delivers queue and topic messages between two clients, with heart-beats negotiated', async () => {
    const sub = transport();
    const pub = transport();
    await Promise.all([sub.connect(), pub.connect()]);

    // The broker answers the proposed 1000,1000 with its own non-zero values in CONNECTED.
    const hb = sub.connectedFrame?.headers['heart-beat'] ?? '';
    const [sx, sy] = hb.split(',').map(Number);
    expect(sx).toBeGreaterThan(0);
    expect(sy).toBeGreaterThan(0);
    expect(sub.connectedFrame?.headers.version).toBe('1.2');

    const requests = inbox();
    const replies = inbox();
    const agent = inbox();
    const allAgents = inbox();
    sub.subscribe(requestQueue, requests.push);
    sub.subscribe(replyTopic, replies.push);
    sub.subscribe(agentTopic, agent.push);
    sub.subscribe(allAgentsTopic, allAgents.push);
    await sub.subscribed(); // every SUBSCRIBE carries a receipt

    const request = JSON.stringify(['AgentLogin', accessKey, { Accountcode: 'default', User: 'default_1001', Interface: 'SIP/default_0001' }, 'key1234']);
    pub.publish(requestQueue, request, { 'content-type': 'application/json' });
    expect((await requests.next()).body).toBe(request);

    pub.publish(replyTopic, JSON.stringify([0, 'Successful AgentLogin', 'key1234']));
    expect(JSON.parse((await replies.next()).body)).toEqual([0, 'Successful AgentLogin', 'key1234']);

    const event = { direction: 'OUTBOUND', callerid: '1234', type: 'NEWCALL', uniqueid: '1282779516.1.6', agent: 'default_1001' };
    pub.publish(agentTopic, JSON.stringify(event));
    expect(JSON.parse((await agent.next()).body)).toEqual(event);
    expect(JSON.parse((await allAgents.next()).body)).toEqual(event); // '#' wildcard
    pub.publish('/topic/iv.agents.default_1002', JSON.stringify({ ...event, agent: 'default_1002' }));
    expect(JSON.parse((await allAgents.next()).body).agent).toBe('default_1002');
    expect(agent.got).toHaveLength(0);
  });

  it('reconnects after the TCP connection is cut and re-subscribes', async () => {
    const sub = transport();
    const pub = transport();
    await Promise.all([sub.connect(), pub.connect()]);
    const events = inbox();
    sub.subscribe(agentTopic, events.push);
    await sub.subscribed();
    pub.publish(agentTopic, 'before');
    expect((await events.next()).body).toBe('before');

    const attempts = sub.attempts;
    const reconnected = new Promise<void>(resolve => {
      const check = setInterval(() => { if (sub.attempts > attempts && sub.connected) { clearInterval(check); resolve(); } }, 20);
    });
    sub.socket!.destroyForTest();
    await reconnected;
    expect(sub.attempts).toBe(attempts + 1);
    await sub.subscribed(); // the re-subscription after the reconnect is confirmed
    pub.publish(agentTopic, 'after');
    expect((await events.next()).body).toBe('after');
  });

  it('reports a wrong password clearly and does not retry', async () => {
    let fatal: Error | undefined;
    const bad = transport({ passcode: 'wrong', onFatal: err => { fatal = err; } });
    await expect(bad.connect()).rejects.toThrow(/refused/i);
    expect(fatal?.message).toMatch(/refused/i);
    await new Promise(resolve => setTimeout(resolve, 1000)); // 5 × the reconnect delay
    expect(bad.attempts).toBe(1);
    expect(bad.client.active).toBe(false);
  });
});

describe.skipIf(!available)('private broker start-up failure', () => {
  it('fails with the log tail and leaves no process behind', async () => {
    const marker = `iv-${process.pid}-`;
    const before = new Set(nodePids(marker));
    await expect(startPrivateBroker({ user: manualUser, password: manualPassword, startTimeoutMs: 300 }))
      .rejects.toThrow(/not accepting after \d+ ms[\s\S]*--- log ---/);
    expect(nodePids(marker).filter(pid => !before.has(pid))).toEqual([]);
  }, 60_000);
});
