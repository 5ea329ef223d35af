// O2G figures: the event decoder beside a bare JSON.parse of the same lines, and event-to-screen
// latency: an OnCallModified line leaves the lab's O2G event channel (HTTPS, chunked) → the
// connector splits and decodes it → reducer → bridge → web host → React → the DOM.
import { decodeEvent } from '../main/connectors/o2g/codec.js';
import { DEMO_O2G_PROFILE_ID } from '../main/profiles/demo-profile.js';
import { withBenchDesktop } from './desktop-rig.js';
import { collect, latencies, observeScript, pace, referenceRun } from './screen-timing.js';
import { type CodecFigures, compareCodec } from './stats.js';

const CALLS = 4;
const callRef = (i: number) => `bench-${(i % CALLS) + 1}`;
const remote = (i: number) => ({
  participantId: `p-${callRef(i)}`,
  identity: { id: { phoneNumber: `06${String(10_000_000 + (i % CALLS)).slice(-8)}` }, displayName: `Bench ${i}.`, type: { main: 'EXTERNAL' } },
});
// Full capability objects, as O2G sends them on every leg or call change (every flag, most false).
const flags = (names: string[], on: string[]) => Object.fromEntries(names.map((n) => [n, on.includes(n)]));
const legCaps = flags(['answer', 'drop', 'hold', 'retrieve', 'reconnect', 'mute', 'unMute', 'sendDtmf', 'switchDevice'], ['drop', 'hold', 'sendDtmf']);
const callCaps = flags(
  ['addDevice', 'addParticipant', 'intruded', 'transfer', 'blindTransfer', 'merge', 'redirect', 'pickedUp', 'redirectToVoiceMail', 'redirectToDVA', 'overflowToVoiceMail', 'dropMe', 'terminate', 'reject', 'callBack', 'park', 'startRecord', 'stopRecord', 'pauseRecord', 'resumeRecord', 'dropParticipant', 'muteParticipant', 'holdParticipant'],
  ['blindTransfer', 'dropMe', 'terminate', 'park', 'startRecord'],
);
const leg = { deviceId: '70123', state: 'ACTIVE', ringingRemote: false, capabilities: legCaps };

/** A call's first image, as the server sends it when the call appears. */
function createdLine(i: number): string {
  return JSON.stringify({
    eventName: 'OnCallCreated',
    loginName: 'agent1',
    callRef: callRef(i),
    cause: 'NEW_CALL',
    callData: { state: 'ACTIVE', capabilities: callCaps },
    legs: [leg],
    participants: [remote(i)],
  });
}

/** A change of the remote party (its presentation name), as a delta. */
export function modifiedLine(i: number): string {
  return JSON.stringify({
    eventName: 'OnCallModified',
    loginName: 'agent1',
    callRef: callRef(i),
    cause: 'NEW_CALL',
    modifiedLegs: [leg],
    modifiedParticipants: [remote(i)],
    callData: { state: 'ACTIVE', associateData: `C-${i % 9000}`, capabilities: callCaps },
  });
}

export function runO2gCodecBench(): CodecFigures {
  // Bytes, as lines come off the event channel; both sides decode the UTF-8 (as the TelServices bench does).
  const lines = Array.from({ length: 2000 }, (_, i) => Buffer.from(i % 5 === 0 ? createdLine(i) : modifiedLine(i)));
  return compareCodec(lines, 20, (l) => JSON.parse(l.toString('utf8')), (l) => decodeEvent(l).ok, 'the O2G codec');
}

export async function runO2gLatencyBench(opts: { rate: number; seconds: number; frameMs?: number }) {
  const count = Math.round(opts.rate * opts.seconds);
  return withBenchDesktop('o2g', DEMO_O2G_PROFILE_ID, async ({ browser, lab, page }) => {
    const channel = lab.o2g?.primary.channels()[0]?.channel;
    if (!channel) throw new Error('the desktop opened no O2G event channel');
    for (let i = 0; i < CALLS; i++) channel.writeRaw(createdLine(i) + '\n');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="call-row"]').length === n, CALLS);
    await page.evaluate(observeScript);
    const sent = new Map<number, number>();
    await pace(count, opts.rate, (i) => channel.writeRaw(modifiedLine(i) + '\n'), sent);
    await new Promise((r) => setTimeout(r, 500));
    const app = latencies(sent, await collect(page));
    const reference = await referenceRun(browser, count, opts.rate, modifiedLine);
    return { rate: opts.rate, count, app, reference };
  }, opts.frameMs);
}
