// CTIPS figures: the callback decoder (SOAP envelope, namespaces, the event's typed fields and
// enums) beside a bare fast-xml-parser parse of the same PublishCTIEvent bodies, as the app's event
// service receives them from the portal.
import { XMLParser } from 'fast-xml-parser';
import { decodeCtipsCallback, encodePublishCTIEvent } from '../main/connectors/ctips/events.js';
import { type CodecFigures, compareCodec } from './stats.js';

/** A busy site's mix: agent state changes, ringing calls with caller data, established and cleared calls. */
function sampleBodies(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => {
    const agent = 1100 + (i % 50);
    const callId = 7000 + i;
    const h = { RequestId: i % 5 === 0 ? i : 0, TenantId: 1, SiteId: 1, SwitchId: 1, ServiceId: 1, AgentId: agent };
    const xml =
      i % 4 === 0
        ? encodePublishCTIEvent('AgentStateChange', h, { AgentState: i % 8 === 0 ? 'Idle' : 'Active', ServiceIds: [1, 2] })
        : i % 4 === 1
          ? encodePublishCTIEvent('CallConnected', h, {
              CallId: callId,
              CallSequenceId: String(900000 + i),
              CallOriginatingSiteId: 1,
              CallInfo: [{ ANI: `06${String(12345678 + i)}`, DNIS: '8005550100', FirstName: 'Ann', LastName: 'Lee', PhoneNumber: null, CallerId: 'Ann Lee', CallData: [{ key: 'AccountNumber', value: `A-${i}` }] }],
              ResponseRequired: false,
              CallType: 'InboundAcd',
            })
          : i % 4 === 2
            ? encodePublishCTIEvent('CallEstablished', h, { CallId: callId, MediaType: 'VoiceSip', ANI: '0612345678', DNIS: '8005550100' })
            : encodePublishCTIEvent('CallCleared', h, { CallId: callId, ConsultationCallId: 0, ClearingPartyType: 'FarEnd' });
    if (!xml.ok) throw new Error(xml.error.message);
    return Buffer.from(xml.value);
  });
}

export function runCtipsCodecBench(): CodecFigures & { bytes: number } {
  const frames = sampleBodies(2000);
  const bare = new XMLParser();
  const figures = compareCodec(frames, 3, (f) => bare.parse(f.toString('utf8')), (f) => decodeCtipsCallback(f).ok, 'the CTIPS codec');
  return { ...figures, bytes: Math.round(frames.reduce((n, f) => n + f.length, 0) / frames.length) };
}
