// The telephony call model of O2G (L3119–L3305, L3485–L3520) built from the PBX core's calls, always from one
// user's point of view (digest §4.3): `legs` are the user's own devices in the call, `participants` the other
// parties. Capabilities follow the digest's [SIM] rules (§4.3 table); every capability is sent, true or false.
import type { Call, Leg, LegState } from '../pbx/types.js';
import type { O2gUser, O2gUsers, PartyInfo } from './users.js';

export type MediaState = 'UNKNOWN' | 'OFF_HOOK' | 'IDLE' | 'RELEASING' | 'DIALING' | 'HELD' | 'RINGING_INCOMING' | 'RINGING_OUTGOING' | 'ACTIVE';

export const legCapabilityNames = ['answer', 'drop', 'hold', 'retrieve', 'reconnect', 'mute', 'unMute', 'sendDtmf', 'switchDevice'] as const;
export type LegCapabilities = Record<(typeof legCapabilityNames)[number], boolean>;

export const callCapabilityNames = [
  'addDevice',
  'addParticipant',
  'intruded',
  'transfer',
  'blindTransfer',
  'merge',
  'redirect',
  'pickedUp',
  'redirectToVoiceMail',
  'redirectToDVA',
  'overflowToVoiceMail',
  'dropMe',
  'terminate',
  'reject',
  'callBack',
  'park',
  'startRecord',
  'stopRecord',
  'pauseRecord',
  'resumeRecord',
  'dropParticipant',
  'muteParticipant',
  'holdParticipant',
] as const;
export type CallCapabilities = Record<(typeof callCapabilityNames)[number], boolean>;

export interface LegDto {
  deviceId: string;
  state: MediaState;
  ringingRemote?: boolean;
  capabilities: LegCapabilities;
}

export interface ParticipantDto {
  participantId: string;
  identity: PartyInfo;
  anonymous?: boolean;
  undroppable?: boolean;
  state?: MediaState;
}

export interface AcdCallData {
  callInfo?: { queueWaitingTime?: number; globalWaitingTime?: number; agentGroup?: string; local?: boolean };
  queueData?: { waitingTime?: number; saturated?: boolean };
  pilotNumber?: string;
  rsiNumber?: string;
  supervisedTransfer?: boolean;
  pilotTransferInfo?: { transferPossible?: boolean; pilotStatus?: string };
}

export interface CallDataDto {
  initialCalled?: PartyInfo;
  anonymous?: boolean;
  state: MediaState;
  recordState?: 'RECORDING' | 'PAUSED';
  tags?: Array<{ name: string; value?: string; visibilities?: string[] }>;
  capabilities: CallCapabilities;
  associateData?: string;
  accountInfo?: string;
  acdCallData?: AcdCallData;
}

/** One call as one user sees it. */
export interface CallView {
  coreId: string;
  callRef: string;
  legs: LegDto[];
  participants: ParticipantDto[];
  callData: CallDataDto;
  /** participantId of the party that placed the call. */
  initiator?: string;
}

/** O2G-side facts about a call the core does not keep. */
export interface CallExtras {
  recordState?: 'RECORDING' | 'PAUSED';
  accountInfo?: string;
}

export interface ViewContext {
  users: O2gUsers;
  refOf(coreId: string): string;
  participantId(leg: Leg): string;
  extras(coreId: string): CallExtras;
  /** ACD facts of a call distributed by a PG queue. */
  acdData(call: Call, leg: Leg): AcdCallData | undefined;
  /** Number of the DVA, if there is one. */
  dvaNumber: string | null;
}

const ownStates: ReadonlySet<LegState> = new Set(['initiated', 'originated', 'delivered', 'queued', 'alerting', 'connected', 'hold', 'failed']);

/** The user's own live legs in a call (failed included: shown as RELEASING until the set is released). */
export function ownLegs(user: O2gUser, call: Call): Leg[] {
  const devices = new Set(user.cfg.devices.map((d) => d.id));
  return call.legs.filter((l) => l.kind === 'device' && devices.has(l.number) && ownStates.has(l.state));
}

/** The media state of a leg, as its owner sees it (digest §4.3 media-state machine). */
export function mediaState(leg: Leg, call: Call): MediaState {
  switch (leg.state) {
    case 'initiated':
    case 'originated':
      return 'DIALING';
    case 'delivered':
    case 'queued':
      return 'RINGING_OUTGOING';
    case 'alerting':
      // autoAnswer=false: the originator's own set rings before the PBX dials (L3339).
      return 'RINGING_INCOMING';
    case 'connected':
      return 'ACTIVE';
    case 'hold':
      return 'HELD';
    case 'failed':
      return 'RELEASING';
    default:
      return call.legs.length > 0 ? 'IDLE' : 'UNKNOWN';
  }
}

/** A remote party's state, as shown in multi-party calls. */
function remoteState(leg: Leg): MediaState {
  switch (leg.state) {
    case 'alerting':
      return 'RINGING_INCOMING';
    case 'delivered':
    case 'queued':
      return 'RINGING_OUTGOING';
    case 'initiated':
    case 'originated':
      return 'DIALING';
    case 'hold':
      return 'HELD';
    case 'connected':
      return 'ACTIVE';
    default:
      return 'UNKNOWN';
  }
}

const remoteLive: ReadonlySet<LegState> = new Set(['initiated', 'originated', 'delivered', 'queued', 'alerting', 'connected', 'hold']);

/** The other parties of a call seen by `user` (a discreet supervisor is hidden from everyone but itself). */
export function otherParties(user: O2gUser, call: Call, own: Leg[]): Leg[] {
  return call.legs.filter((l) => {
    if (own.includes(l) || !remoteLive.has(l.state)) return false;
    if (l.kind === 'queue' && !l.parked) return false;
    if (l.monitorMode === 'listen') return false;
    return true;
  });
}

function falseCaps<K extends string>(names: readonly K[]): Record<K, boolean> {
  return Object.fromEntries(names.map((n) => [n, false])) as Record<K, boolean>;
}

/** Every call of a user, built together so capabilities can depend on the user's other calls. */
export function buildViews(user: O2gUser, calls: Call[], ctx: ViewContext): CallView[] {
  const entries = calls
    .map((call) => ({ call, own: ownLegs(user, call) }))
    .filter((e) => e.own.length > 0)
    .map((e) => ({ ...e, state: mediaState(e.own[0] as Leg, e.call) }));
  return entries.map(({ call, own, state }) => {
    const others = entries.filter((e) => e.call !== call);
    const otherHeld = others.some((e) => e.state === 'HELD');
    const otherActive = others.some((e) => e.state === 'ACTIVE' || e.state === 'RINGING_OUTGOING' || e.state === 'DIALING');
    return buildView(user, call, own, state, { otherHeld, otherActive }, ctx);
  });
}

function buildView(user: O2gUser, call: Call, own: Leg[], state: MediaState, around: { otherHeld: boolean; otherActive: boolean }, ctx: ViewContext): CallView {
  const parties = otherParties(user, call, own);
  const extras = ctx.extras(call.id);
  const multiParty = parties.length >= 2;
  const conference = parties.filter((l) => l.state === 'connected' || l.state === 'hold').length >= 2;
  const main = own[0] as Leg;
  const intruder = main.monitorMode !== undefined;
  const withheld = parties.some((l) => l.withheld);
  const participants: ParticipantDto[] = parties.map((l) => {
    const identity = l.parked
      ? { id: { phoneNumber: l.number }, displayName: 'Parked call', type: { main: 'SERVICE' as const, subType: 'park' } }
      : ctx.users.partyInfo(l.number, { name: l.name, withheld: l.withheld, kind: l.kind });
    return {
      participantId: ctx.participantId(l),
      identity,
      ...(l.withheld ? { anonymous: true } : {}),
      ...(l.parked ? { undroppable: true } : {}),
      // "only filled in multi-party call (>=3 participants)" (L3497).
      ...(multiParty ? { state: remoteState(l) } : {}),
    };
  });
  const remoteUser = parties.length === 1 && parties[0] ? ctx.users.byDeviceNumber(parties[0].number) : undefined;
  const hasVoicemail = user.cfg.voicemail !== undefined;
  const recording = extras.recordState;

  const callCaps = falseCaps(callCapabilityNames);
  const legCaps = (leg: Leg): LegCapabilities => {
    const caps = falseCaps(legCapabilityNames);
    const s = mediaState(leg, call);
    switch (s) {
      case 'RINGING_INCOMING':
        caps.answer = true;
        caps.drop = true;
        break;
      case 'DIALING':
      case 'RINGING_OUTGOING':
      case 'RELEASING':
        caps.drop = true;
        break;
      case 'ACTIVE':
        caps.drop = true;
        caps.hold = !intruder;
        caps.sendDtmf = true;
        caps.switchDevice = user.cfg.devices.length > 1;
        break;
      case 'HELD':
        caps.drop = true;
        caps.retrieve = true;
        caps.reconnect = around.otherActive;
        break;
      default:
        break;
    }
    return caps;
  };
  switch (state) {
    case 'RINGING_INCOMING': {
      const own3pcc = main.outgoing && call.pendingDestination !== undefined;
      callCaps.redirect = !own3pcc;
      callCaps.redirectToVoiceMail = !own3pcc && hasVoicemail;
      callCaps.redirectToDVA = !own3pcc && ctx.dvaNumber !== null;
      callCaps.terminate = true;
      break;
    }
    case 'DIALING':
    case 'RINGING_OUTGOING':
      callCaps.dropMe = true;
      callCaps.terminate = true;
      callCaps.callBack = state === 'RINGING_OUTGOING' && remoteUser !== undefined;
      callCaps.overflowToVoiceMail = state === 'RINGING_OUTGOING' && remoteUser?.cfg.voicemail !== undefined && parties[0]?.state === 'alerting';
      callCaps.transfer = state === 'RINGING_OUTGOING' && around.otherHeld;
      break;
    case 'ACTIVE':
      callCaps.dropMe = true;
      callCaps.terminate = !intruder;
      callCaps.blindTransfer = !intruder && parties.length === 1;
      callCaps.park = !intruder && parties.length === 1;
      callCaps.startRecord = !intruder && recording === undefined;
      callCaps.stopRecord = recording !== undefined;
      callCaps.pauseRecord = recording === 'RECORDING';
      callCaps.resumeRecord = recording === 'PAUSED';
      callCaps.transfer = !intruder && around.otherHeld;
      callCaps.merge = !intruder && around.otherHeld;
      callCaps.dropParticipant = !intruder && conference;
      break;
    case 'HELD':
      callCaps.dropMe = true;
      callCaps.terminate = true;
      callCaps.transfer = around.otherActive;
      callCaps.merge = around.otherActive;
      break;
    case 'RELEASING':
      callCaps.dropMe = true;
      break;
    default:
      break;
  }

  const legs: LegDto[] = own.map((l) => {
    const s = mediaState(l, call);
    const alertedRemote = s === 'RINGING_OUTGOING' && parties.some((p) => p.state === 'alerting');
    return { deviceId: l.number, state: s, ...(s === 'RINGING_OUTGOING' ? { ringingRemote: alertedRemote } : {}), capabilities: legCaps(l) };
  });

  const firstCalled = main.firstCalled ?? (main.outgoing ? undefined : call.dialled);
  const initialCalledNumber = !main.outgoing && firstCalled && firstCalled !== main.number ? initialCalledOf(call, firstCalled) : undefined;
  const tags = Object.entries(call.data)
    .filter(([k]) => k !== 'associatedData' && k !== 'associateData')
    .map(([name, value]) => ({ name, value }));
  const associateData = call.extraData ?? call.data.associatedData ?? call.data.associateData ?? call.data.customerId;
  const acd = ctx.acdData(call, main);
  const callData: CallDataDto = {
    ...(initialCalledNumber ? { initialCalled: ctx.users.partyInfo(initialCalledNumber) } : {}),
    ...(withheld ? { anonymous: true } : {}),
    state,
    ...(recording ? { recordState: recording } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    capabilities: callCaps,
    ...(associateData !== undefined ? { associateData } : {}),
    ...(extras.accountInfo !== undefined ? { accountInfo: extras.accountInfo } : {}),
    ...(acd ? { acdCallData: acd } : {}),
  };
  const originator = call.legs.find((l) => l.outgoing && l.kind !== 'queue' && l.monitorMode === undefined);
  return {
    coreId: call.id,
    callRef: ctx.refOf(call.id),
    legs,
    participants,
    callData,
    ...(originator ? { initiator: ctx.participantId(originator) } : {}),
  };
}

/** For an ACD call the initial called is the pilot the caller dialled, not the PG queue. */
function initialCalledOf(call: Call, firstCalled: string): string {
  if (call.service && firstCalled === call.service && call.dialled !== call.service) return call.dialled;
  return firstCalled;
}

/** The Call resource (L3119–L3126). */
export function callResource(view: CallView): Record<string, unknown> {
  return { callRef: view.callRef, callData: view.callData, legs: view.legs, participants: view.participants };
}
