// Codec cost: the TelServices event decoder beside a bare fast-xml-parser parse of the same bytes.
import { XMLParser } from 'fast-xml-parser';
import { decodeEvent } from '../main/connectors/telservices/codec.js';

/** Realistic UDP call events (alerting, connected, consultation pairs), as TelServer sends them. */
export function sampleFrames(count: number): Buffer[] {
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const number = `06${String(10_000_000 + i).slice(-8)}`;
    const party = `<otherParty><number>${number}</number><name>Caller ${i}</name><company>Company ${i % 50}</company></otherParty>`;
    const leg = (state: string) =>
      `<state><${state}/></state>${party}<duration>${i % 300}</duration><isOutgoing><false/></isOutgoing><isConference><false/></isConference>`;
    const body =
      i % 3 === 2
        ? `<primCall>${leg('hold')}</primCall><secCall>${leg('connected')}</secCall><permittedServices><dropCall/><holdCall/><reconnectCall/><alternateCall/><transferCall/><conferenceCall/></permittedServices>`
        : `<primCall>${leg(i % 3 === 0 ? 'alerting' : 'connected')}</primCall><permittedServices><answerCall/><divertCall/></permittedServices><extraData>customerId=C-${i}</extraData>`;
    frames.push(Buffer.from(`<TelServiceEvent><deviceNumber>1101</deviceNumber><event><call><id>${(i % 9) + 1}</id>${body}</call></event></TelServiceEvent>`));
  }
  return frames;
}

function timePerFrame(frames: Buffer[], rounds: number, fn: (b: Buffer) => unknown): number {
  for (const f of frames) fn(f); // warm-up
  const started = performance.now();
  for (let r = 0; r < rounds; r++) for (const f of frames) fn(f);
  return ((performance.now() - started) * 1000) / (rounds * frames.length);
}

export function runCodecBench(): { codecUs: number; bareUs: number; ratio: number; frames: number } {
  const frames = sampleFrames(2000);
  const bare = new XMLParser();
  let failures = 0;
  const rounds = 10;
  // Alternate the two to spread machine noise evenly, and keep the best of three.
  const codec: number[] = [];
  const reference: number[] = [];
  for (let i = 0; i < 3; i++) {
    reference.push(timePerFrame(frames, rounds, (b) => bare.parse(b.toString('utf8'))));
    codec.push(
      timePerFrame(frames, rounds, (b) => {
        if (!decodeEvent(b).ok) failures += 1;
      }),
    );
  }
  if (failures) throw new Error(`the codec rejected ${failures} sample frames`);
  const codecUs = Math.min(...codec);
  const bareUs = Math.min(...reference);
  return { codecUs, bareUs, ratio: codecUs / bareUs, frames: frames.length * rounds };
}
