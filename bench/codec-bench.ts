// Codec cost: the TelServices event decoder beside a bare fast-xml-parser parse of the same bytes.
import { XMLParser } from 'fast-xml-parser';
import { decodeEvent } from '../main/connectors/telservices/codec.js';
import { type CodecFigures, compareCodec } from './stats.js';

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

export function runCodecBench(): CodecFigures {
  const bare = new XMLParser();
  return compareCodec(sampleFrames(2000), 10, (b) => bare.parse(b.toString('utf8')), (b) => decodeEvent(b).ok, 'the codec');
}
