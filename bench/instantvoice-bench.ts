// InstantVoice figures: the event decoder beside a bare JSON.parse of the same message bodies, and
// event-to-screen latency: an agent event published on the broker (as the ACD publishes it) →
// RabbitMQ → the connector's STOMP client, decoder and agent state → reducer → bridge → web host →
// React → DOM. The events are PAUSE events whose pause description (the guide's `direction`) is
// "Bench N.", which the agent-state control shows.
import { decodeEvent } from '../main/connectors/instantvoice/codec.js';
import { StompTransport } from '../main/connectors/instantvoice/stomp-transport.js';
import { DEMO_IV_PROFILE_ID } from '../main/profiles/demo-profile.js';
import { withBenchDesktop } from './desktop-rig.js';
import { collect, latencies, observeScript, pace, referenceRun } from './screen-timing.js';
import { type CodecFigures, compareCodec } from './stats.js';

const AGENT = 'default_1001';
const TOPIC = `/topic/iv.agents.${AGENT}`;

/** Frame i: a PAUSE of the demo agent, or (every other one) a call event of another, as the guide writes them. */
export function benchEventBody(i: number, label = i): string {
  return JSON.stringify({ direction: `Bench ${label}.`, callerid: '', type: 'PAUSE', uniqueid: '', agent: AGENT });
}

/** What the codec sees on a busy account: the guide's five members, numbers as text, both event families. */
function sampleBodies(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) =>
    Buffer.from(
      i % 2 === 0
        ? benchEventBody(i)
        : JSON.stringify({ direction: i % 4 === 1 ? 'INBOUND' : 'OUTBOUND', callerid: `21${String(98_765_456 + i)}`, type: ['NEWCALL', 'CONNECT', 'HANGUP'][i % 3], uniqueid: `1282781304.${i}.5`, agent: `default_${1000 + (i % 50)}` }),
    ),
  );
}

export function runInstantVoiceCodecBench(): CodecFigures & { bytes: number } {
  const frames = sampleBodies(4000);
  // The bare reference decodes the bytes too: both sides start from what the socket delivered.
  const figures = compareCodec(frames, 5, (f) => JSON.parse(f.toString('utf8')), (f) => decodeEvent(f).ok, 'the InstantVoice codec');
  return { ...figures, bytes: Math.round(frames.reduce((n, f) => n + f.length, 0) / frames.length) };
}

export async function runInstantVoiceLatencyBench(opts: { rate: number; seconds: number; frameMs?: number }) {
  const count = Math.round(opts.rate * opts.seconds);
  return withBenchDesktop('instantvoice', DEMO_IV_PROFILE_ID, async ({ browser, lab, page }) => {
    const iv = lab.instantvoice;
    if (!iv) throw new Error('the lab started no InstantVoice ACD');
    // The bench publishes on the agent's topic as the ACD does, from its own broker connection.
    const publisher = new StompTransport({ host: iv.broker.host, port: iv.broker.port, login: iv.broker.user, passcode: iv.broker.password, vhost: iv.broker.vhost });
    await publisher.connect();
    try {
      await page.evaluate(observeScript);
      const sent = new Map<number, number>();
      await pace(count, opts.rate, (i) => publisher.publish(TOPIC, benchEventBody(i)), sent);
      await new Promise((r) => setTimeout(r, 500));
      const app = latencies(sent, await collect(page));
      const reference = await referenceRun(browser, count, opts.rate, (i) => benchEventBody(i));
      return { rate: opts.rate, count, app, reference };
    } finally {
      await publisher.close();
    }
  }, opts.frameMs);
}
