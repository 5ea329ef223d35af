// TWS figures: the socket event decoder beside a bare fast-xml-parser parse of the same frames,
// and event-to-screen latency: a CGenericEvent frame leaves the lab's TCP user event socket →
// the connector's splitter, decoder and call tracker → reducer → bridge → web host → React → DOM.
// The frames are the lab's own (the manual's §6.9 socket shape, about 6 kB each with the
// correspondent's full contact record), so the bench measures what a TWS server sends.
import { XMLParser } from 'fast-xml-parser';
import { decodeEvent } from '../main/connectors/tws/codec.js';
import { DEMO_TWS_PROFILE_ID } from '../main/profiles/demo-profile.js';
import { type ActionName, type ConnSnapshot, type Party, actionNames, genericEventXml } from '../main/simulator/tws/events.js';
import { withBenchDesktop } from './desktop-rig.js';
import { collect, latencies, observeScript, pace, referenceRun } from './screen-timing.js';
import { type CodecFigures, compareCodec } from './stats.js';

const CALLS = 4;
const DEVICE = '4694';
const context = { userGuid: '97a02200-fa08-4cdd-96ab-e44eb7f577ad', domainGuid: '2047d7f2-428b-49f6-beaf-7b2e102f954d', ownDevice: DEVICE, objectGuid: 'bench-object' };

function caller(label: number): Party {
  const i = label;
  return {
    number: `06${String(10_000_000 + (i % CALLS)).slice(-8)}`,
    guid: null,
    personGuid: `c3bb0324-a8f5-444c-8059-${String(979744573000 + i).slice(-12)}`,
    firstName: 'Bench',
    lastName: `${i}.`,
    company: 'Bench Co',
    isUser: false,
    username: null,
    devices: [],
    phoneType: 'PHONE',
    domainGuid: context.domainGuid,
    redList: false,
    infoDisplay: `Bench ${i}.`,
    direction: 'incoming',
  };
}

const allowed = (on: ActionName[]) => Object.fromEntries(actionNames.map((a) => [a, on.includes(a)])) as Record<ActionName, boolean>;

/**
 * Frame i: call i % CALLS, held here, its correspondent named "Bench <label>." (a server sends a
 * new image when it has resolved a caller's name, the digest's §4.8). Held rather than ringing, as
 * in the other vendors' benches (a ringing row's animation would add its own cost); the reason
 * alternates so the connector's duplicate filter (state, end time, reason) keeps every image.
 */
export function benchFrame(i: number, label = i, at = Date.now()): string {
  const call = i % CALLS;
  const resolved = Math.floor(i / CALLS) % 2 === 1;
  const conn: ConnSnapshot = {
    device: DEVICE,
    connectionId: `bench-c${call + 1}`,
    ccoId: `bench-${call + 1}`,
    ccoState: 'held',
    ccoType: 'simplecall',
    state: 'held',
    reason: 'Connected',
    eventReason: resolved ? 'NameResolved' : 'Normal',
    direction: 'incoming',
    callLogId: `bench-log-${call + 1}`,
    timeStart: at - 10_000,
    timeStart1: 0,
    timeEnd: 0,
    actions: allowed(['UnHold', 'Release']),
    users: [caller(label), null],
    called: null,
  };
  return genericEventXml({ kind: 'call', at, device: DEVICE, deviceGuid: 'bench-device', conn }, context);
}

export function runTwsCodecBench(): CodecFigures & { bytes: number } {
  const frames = Array.from({ length: 2000 }, (_, i) => Buffer.from(benchFrame(i, i, 1_700_000_000_000 + i * 5)));
  const bare = new XMLParser();
  const figures = compareCodec(frames, 3, (f) => bare.parse(f.toString('utf8')), (f) => decodeEvent(f).ok, 'the TWS codec');
  return { ...figures, bytes: Math.round(frames.reduce((n, f) => n + f.length, 0) / frames.length) };
}

export async function runTwsLatencyBench(opts: { rate: number; seconds: number; frameMs?: number }) {
  const count = Math.round(opts.rate * opts.seconds);
  return withBenchDesktop('tws', DEMO_TWS_PROFILE_ID, async ({ browser, lab, page }) => {
    const frontEnd = lab.tws?.frontEnd;
    if (!frontEnd) throw new Error('the lab started no TWS front-end');
    await page.waitForFunction(() => (document.querySelector('[data-testid="link-feed"]')?.textContent ?? '').includes('TCP'), undefined, { timeout: 15_000 });
    // The calls' first images carry labels the run never sends, so they are not timed.
    for (let i = 0; i < CALLS; i++) if (frontEnd.writeRaw('tcp', benchFrame(i, 1_000_000 + i)) === 0) throw new Error('the desktop has no TCP event socket open');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="call-row"]').length === n, CALLS);
    await page.evaluate(observeScript);
    const sent = new Map<number, number>();
    await pace(count, opts.rate, (i) => frontEnd.writeRaw('tcp', benchFrame(i + CALLS, i)), sent);
    await new Promise((r) => setTimeout(r, 500));
    const app = latencies(sent, await collect(page));
    const reference = await referenceRun(browser, count, opts.rate, (i) => benchFrame(i + CALLS, i));
    return { rate: opts.rate, count, app, reference };
  }, opts.frameMs);
}
