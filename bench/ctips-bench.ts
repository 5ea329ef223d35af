// CTIPS figures: the callback decoder (SOAP envelope, namespaces, the event's typed fields and
// enums) beside a bare fast-xml-parser parse of the same PublishCTIEvent bodies, as the app's event
// service receives them from the portal; and event-to-screen latency: a PublishCTIEvent POSTed to
// the desktop's event service (the session's ClientCallbackURL, as the lab portal posts it: one
// request in flight per session, the next queued) → the callback server, decoder, site model and
// agent connector → reducer → bridge → web host → React → DOM. The events are CallDataUpdate
// events of the agent's real, answered call whose call-data value is "Bench N.", which the screen
// pop's call-data list shows (another application setting the call's data, digest §9).
import http from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { decodeCtipsCallback, encodePublishCTIEvent } from '../main/connectors/ctips/events.js';
import { DEMO_CTIPS_PROFILE_ID } from '../main/profiles/demo-profile.js';
import { callbackAction, encodeEventElement, encodePublishCTIEvent as portalPublishCTIEvent } from '../main/simulator/ctips/xml.js';
import { withBenchDesktop } from './desktop-rig.js';
import { collect, latencies, observeScript, pace, referenceRun } from './screen-timing.js';
import { type CodecFigures, compareCodec, percentile } from './stats.js';

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

/** The demo profile's agent: agent1102 at station 1102 (AgentId 1102 in the lab's fixture). */
const AGENT_ID = 1102;
const STATION = '1102';

/**
 * Frame i: the portal's own encoding (its xml.ts, not the connector's codec) of a CallDataUpdate for
 * the call `callId`, whose data item `note` is "Bench <label>.".
 */
export function benchCallDataUpdate(callId: number, i: number, label = i): string {
  return portalPublishCTIEvent(
    encodeEventElement('EventCategoryCall', 'CallDataUpdate', { RequestId: 0, TenantId: 1, SiteId: 1, SwitchId: 1, ServiceId: 0, AgentId: AGENT_ID }, [
      ['CallId', callId],
      ['CallSequenceId', String(900_000 + i)],
      ['CallOriginatingSiteId', 1],
      ['CallData', { structs: 'CTICallDataItem', items: [[['key', 'note'], ['value', `Bench ${label}.`]]] }],
      ['UpdateType', 'SetCallDataSucceeded'],
      ['FailureReason', null],
    ]),
  );
}

/** The 95th percentile of event-to-screen times (the shared summary has p50 and p99 only). */
function p95Of(sent: Map<number, number>, seen: Map<number, number>): number {
  const values = [...sent].flatMap(([i, t]) => {
    const s = seen.get(i);
    return s === undefined ? [] : [s - t];
  });
  return percentile(values.sort((a, b) => a - b), 95);
}

/** Posts PublishCTIEvent bodies to one callback URL the way the lab portal does: in order, one in flight, over a kept-alive connection. */
function serialPoster(url: URL) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const queue: string[] = [];
  let sending = false;
  let failed = 0;
  let idle: (() => void) | undefined;
  const pump = (): void => {
    const body = queue.shift();
    if (body === undefined) {
      sending = false;
      idle?.();
      return;
    }
    sending = true;
    const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: callbackAction('PublishCTIEvent'), 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      if ((res.statusCode ?? 0) >= 300) failed += 1;
      res.resume();
      res.on('end', pump);
    });
    req.on('error', () => {
      failed += 1;
      pump();
    });
    req.end(body);
  };
  return {
    send(body: string): void {
      queue.push(body);
      if (!sending) pump();
    },
    /** Resolves when everything queued was delivered (or refused). */
    drained(): Promise<void> {
      return sending || queue.length > 0 ? new Promise((r) => (idle = r)) : Promise.resolve();
    },
    get failed() {
      return failed;
    },
    close(): void {
      agent.destroy();
    },
  };
}

export async function runCtipsLatencyBench(opts: { rate: number; seconds: number; frameMs?: number }) {
  const count = Math.round(opts.rate * opts.seconds);
  return withBenchDesktop('ctips', DEMO_CTIPS_PROFILE_ID, async ({ browser, lab, desktop, page }) => {
    const portal = lab.ctips?.a;
    const sup = desktop.supervisor();
    if (!portal || !sup) throw new Error('the lab started no CTIPS portal, or the desktop has no session');
    const session = portal.sessionList().find((s) => s.state === 'online');
    if (!session) throw new Error('the desktop has no online session on portal A');
    // A real agent on a real call: logged on and ready through the portal, a caller rings 1102, answered.
    await sup.execute({ kind: 'setAgentState', state: 'loggedOn' });
    await page.waitForSelector('[data-testid="agent-state"][data-state="notReady"]', { timeout: 10_000 });
    await sup.execute({ kind: 'setAgentState', state: 'ready' });
    await page.waitForSelector('[data-testid="agent-state"][data-state="ready"]', { timeout: 10_000 });
    lab.pbx.placeExternalCall({ from: '0612345678', to: STATION, fromName: 'Marie Curie' });
    const row = page.locator('[data-testid="call-row"][data-state="alerting"]');
    await row.waitFor({ timeout: 10_000 });
    const id = (await row.getAttribute('data-call-id')) ?? '';
    const callId = Number(/^ctips-(\d+)$/.exec(id)?.[1]);
    if (!Number.isInteger(callId)) throw new Error(`unexpected call id ${id}`);
    await sup.execute({ kind: 'answer', callId: id });
    await page.waitForSelector(`[data-testid="call-row"][data-call-id="${id}"][data-state="connected"]`, { timeout: 10_000 });
    await page.waitForSelector(`[data-testid="screen-pop"][data-call-id="${id}"]`, { timeout: 10_000 });

    const poster = serialPoster(new URL(session.callbackUrl));
    try {
      // A first update with a label the run never sends, so the data list exists before timing starts.
      poster.send(benchCallDataUpdate(callId, 0, 1_000_000));
      await page.waitForFunction(() => (document.querySelector('[data-testid="screen-pop-data"]')?.textContent ?? '').includes('Bench 1000000.'), undefined, { timeout: 10_000 });
      await page.evaluate(observeScript);
      const sent = new Map<number, number>();
      await pace(count, opts.rate, (i) => poster.send(benchCallDataUpdate(callId, i + 1, i)), sent);
      await poster.drained();
      await new Promise((r) => setTimeout(r, 500));
      const seen = await collect(page);
      const app = { ...latencies(sent, seen), p95: p95Of(sent, seen) };
      if (poster.failed) throw new Error(`the desktop's event service refused ${poster.failed} PublishCTIEvent posts`);
      const reference = await referenceRun(browser, count, opts.rate, (i) => benchCallDataUpdate(callId, i + 1, i));
      return { rate: opts.rate, count, app, reference };
    } finally {
      poster.close();
    }
  }, opts.frameMs);
}
