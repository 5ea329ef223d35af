// TelServices' per-device "call objects": an id (per device, from 1), a primary call and an optional
// secondary (consultation) call, built from the core's leg events. Each event is sent as a full image of one
// object (digest §4.3), so this view keeps the last known state of each leg.
import type { Call, CallCause, Leg, LegState } from '../pbx/types.js';

export interface LegView {
  call: Call;
  leg: Leg;
  /** The cause of the leg's last change, reported once (in the next image only). */
  cause?: CallCause;
  causeFresh: boolean;
  reportedDurationSec?: number;
}

export interface CallObject {
  id: number;
  prim: LegView;
  sec?: LegView;
}

type LegEvent = {
  device: string;
  call: Call;
  leg: Leg;
  cause?: CallCause;
  reportedDurationSec?: number;
  replaces?: string;
  quiet?: boolean;
};

export class CallViews {
  private readonly byDevice = new Map<string, { nextId: number; objects: CallObject[] }>();

  reset(): void {
    this.byDevice.clear();
  }

  /** Live call objects of a device, oldest first. */
  objects(device: string): CallObject[] {
    return [...(this.byDevice.get(device)?.objects ?? [])];
  }

  /** Fold one leg event in; returns the object to send, or undefined for a quiet (compound) step. */
  apply(e: LegEvent): CallObject | undefined {
    let view = this.byDevice.get(e.device);
    if (!view) {
      view = { nextId: 1, objects: [] };
      this.byDevice.set(e.device, view);
    }
    const { objects } = view;
    if (e.replaces) {
      const holder = objects.find((o) => o.prim.call.id === e.replaces || o.sec?.call.id === e.replaces);
      if (holder) {
        const hasTarget = holder.prim.call.id === e.call.id || holder.sec?.call.id === e.call.id;
        if (hasTarget) {
          // Conference: the replaced call merged into the object's other call.
          if (holder.sec?.call.id === e.replaces) holder.sec = undefined;
          else if (holder.sec) {
            holder.prim = holder.sec;
            holder.sec = undefined;
          }
        } else if (holder.prim.call.id === e.replaces) holder.prim = fresh(e);
        else holder.sec = fresh(e);
      }
    }
    let object = objects.find((o) => o.prim.call.id === e.call.id || o.sec?.call.id === e.call.id);
    if (!object && e.leg.consultOf) {
      object = objects.find((o) => (o.prim.call.id === e.leg.consultOf || o.sec?.call.id === e.leg.consultOf) && (!o.sec || o.sec.leg.state === 'cleared'));
      if (object) object.sec = fresh(e);
    }
    if (!object) {
      if (e.leg.state === 'cleared') return undefined;
      object = { id: view.nextId++, prim: fresh(e) };
      objects.push(object);
    }
    if (object.prim.call.id === e.call.id) object.prim = fresh(e);
    else object.sec = fresh(e);
    return e.quiet ? undefined : object;
  }

  /** After an image was sent: causes are reported once; cleared legs and objects are forgotten. */
  sent(device: string, object: CallObject): void {
    for (const v of [object.prim, object.sec]) {
      if (!v) continue;
      v.causeFresh = false;
      v.reportedDurationSec = undefined;
    }
    const view = this.byDevice.get(device);
    if (!view) return;
    const primGone = object.prim.leg.state === 'cleared';
    const secGone = !object.sec || object.sec.leg.state === 'cleared';
    if (primGone && secGone) view.objects = view.objects.filter((o) => o !== object);
    else if (primGone && object.sec) {
      object.prim = object.sec;
      object.sec = undefined;
    } else if (object.sec && secGone) object.sec = undefined;
  }
}

function fresh(e: LegEvent): LegView {
  return { call: e.call, leg: e.leg, cause: e.cause, causeFresh: true, reportedDurationSec: e.reportedDurationSec };
}

const setupStates: ReadonlySet<LegState> = new Set(['initiated', 'originated']);

/** permittedServices per the digest's §4.5 matrix (from the manual's examples where it shows them). */
export function permittedServices(object: CallObject): string[] {
  const p = object.prim.leg;
  const s = object.sec && object.sec.leg.state !== 'cleared' ? object.sec.leg : undefined;
  if (p.state === 'cleared' && !s) return [];
  if (s && p.state !== 'cleared') {
    const held = p.state === 'hold' ? p : s.state === 'hold' ? s : undefined;
    const other = held === p ? s : p;
    if (held && other.state === 'hold') return ['retrieveCall', 'dropCall'];
    if (held) {
      if (setupStates.has(other.state) || other.state === 'failed' || other.state === 'queued') return ['dropCall', 'reconnectCall'];
      if (other.state === 'delivered') return ['dropCall', 'reconnectCall', 'transferCall'];
      if (other.state === 'connected') return ['dropCall', 'holdCall', 'reconnectCall', 'alternateCall', 'transferCall', 'conferenceCall'];
    }
  }
  const single = p.state === 'cleared' && s ? s : p;
  const conference = isConference(single === p ? object.prim.call : (object.sec?.call ?? object.prim.call));
  switch (single.state) {
    case 'initiated':
    case 'originated':
    case 'delivered':
    case 'queued':
    case 'failed':
      return ['dropCall'];
    case 'alerting':
      return ['answerCall', 'divertCall'];
    case 'connected':
      return conference ? ['holdCall', 'dropCall'] : ['holdCall', 'dropCall', 'divertCall', 'consultationCall'];
    case 'hold':
      return ['retrieveCall', 'dropCall'];
    default:
      return [];
  }
}

/** Three or more parties present (ringing add-ons not counted). */
export function isConference(call: Call): boolean {
  return call.legs.filter((l) => l.kind !== 'queue' && l.state !== 'cleared' && l.state !== 'failed' && l.state !== 'alerting').length >= 3;
}
