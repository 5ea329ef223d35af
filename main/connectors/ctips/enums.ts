// The 24 enumerations of Appendix A (manual L2012–L2535, digest §5.1), in the manual's member
// order, with the implicit C# numbering [INF] (explicit `= n` values agree with it). A decoder that
// accepts a member name (case-insensitive, spaces ignored, the digest §7 #13–#15 aliases) or its
// decimal number, and keeps anything else as `{ known: false, raw }`. Pure; never throws.

export const ctipsEnums = {
  CTIAgentCapabilities: ['INVALID', 'StandardAgent', 'Director', 'OnDemand'],
  CTIAgentState: ['INVALID', 'NotReady', 'NotReadyPark', 'Idle', 'PendingActive', 'Active', 'Wrap', 'WrapWarning', 'Reserved', 'MultiLine'],
  CTICallProgressSignalType: ['INVALID', 'None', 'Ringing', 'Busy', 'SitTone'],
  CTIServiceState: ['NoState', 'Active', 'InActive', 'AddService', 'RemoveService', 'UnManned', 'Holiday', 'Pause', 'Failed', 'Wait', 'Activating'],
  CTIMediaType: ['INVALID', 'VoiceAnalog', 'VoiceSip', 'Chat', 'Email', 'IM', 'Workflow'],
  CTIDestinationType: ['INVALID', 'Agent', 'Service', 'External', 'NoDestination'],
  CTICallState: [
    'INVALID', 'CallCleared', 'CallConnected', 'CallConsulting', 'CallDelivered', 'CallEnd', 'CallEstablished', 'CallError', 'CallStateUnknown',
    'CallOffered', 'CallOriginated', 'CallTransferred', 'CallOnHoldDialing', 'CallHeld', 'CallRetrieved', 'CallConferenced', 'DigitsDialed',
  ],
  CTICallType: [
    'CallTypeUnavailable', 'InboundAcd', 'InboundDid', 'InboundConsultation', 'InboundInternal', 'InboundIvr', 'OutboundAod', 'OutboundConsultation',
    'OutboundConsultationTransfer', 'OutboundMakecall', 'Conference', 'InboundIpniq',
  ],
  CTIMessageClass: ['INVALID', 'EventCategoryAgent', 'EventCategoryCall', 'EventCategoryRoute', 'EventCategorySystem'],
  CTIEventCategory: ['INVALID', 'EventCategoryAgent', 'EventCategoryCall', 'EventCategoryRoute', 'EventCategorySystem'],
  CTIEventType: [
    'INVALID', 'Filter', 'AgentLoginStateChange', 'AgentLoginRequestFailed', 'AgentStateChange', 'AgentRequestFailed', 'AudioPathStateChange', 'EnterPasscode',
    'ServiceStateChange', 'CallCleared', 'CallCompleted', 'CallConferenced', 'CallConnected', 'CallConsultation', 'CallDataUpdate', 'CallDelivered', 'CallEnd',
    'CallEstablished', 'CallHeld', 'CallOffered', 'CallOriginated', 'CallRequestFailed', 'CallRetrieved', 'CallStarted', 'CallTransferred', 'DigitsDialed',
    'RouteRequest', 'RouteRequestFailed', 'RouteUsed', 'RouteReject', 'LinkStatus', 'SnapShot', 'SnapShotUpdate', 'SnapShotRequestFailed',
  ],
  CTICallDataUpdateType: ['INVALID', 'GetCallDataReturned', 'GetCallDataNotReturned', 'SetCallDataSucceeded'],
  CTIEntityType: ['INVALID', 'AgentInfo', 'CallInfo', 'ServiceInfo'],
  CTIFieldType: ['INVALID', 'FT_AGENT_ID', 'FT_SERVICE_ID', 'FT_SWITCH_ID', 'FT_TENANT_ID'],
  CTIAgentLoginState: ['INVALID', 'AgentLoggedIn', 'AgentLoggedOut'],
  CTIClearingPartyType: ['INVALID', 'NearEnd', 'FarEnd', 'Internal'],
  CTIRouteType: ['INVALID', 'RouteToAgent', 'RouteToService', 'RouteToExternal', 'RouteToDefault', 'Ivr', 'Voicemail'],
  CTIRouteStatusType: ['INVALID', 'RouteSuccess', 'RouteDefaultUsed'],
  CTIRejectReason: ['INVALID', 'NoRouteToDestination', 'RouteTimeout', 'CallCleared', 'CallAlreadyRouted', 'DestinationBusy', 'UnknownReason'],
  CTITransferType: ['INVALID', 'Blind', 'Consultation'],
  CTIAudioPathState: ['INVALID', 'Connected', 'Disconnected'],
  CTIFailureType: [
    'INVALID', 'InvalidPasscode', 'InvalidAgent', 'InvalidCallId', 'DestinationBusy', 'DestinationNoAnswer', 'DestinationNoRoute', 'NoRouteToDestination',
    'RouteTimeout', 'GetCallDataNotReturned', 'SetCallDataFailed', 'InternalError', 'UnKnownFailure', 'InternalServerError', 'GatewayLoginFailure',
    'AgentAlreadyLoggedIn', 'AgentLicenseExceeded', 'InvalidAgentName', 'StationNotAvailable', 'InvalidStateForRequest', 'InvalidSwitchIdentifier',
    'NoActiveService', 'DestinationAgentNotAvailable', 'DestinationInvalidSwitchIdentifier', 'DestinationInvalidNumber', 'DestinationInvalidServiceIdentifier',
    'TrunkLicenseExceeded', 'CustomerHungUpWaitingForTransfer', 'ClearCallFailure', 'MakeCallFailure', 'ConsultationFailure', 'CallTransferFailure',
    'ConferenceFailure', 'PlayDigitsFailure', 'RequestFailed',
  ],
  CTIComponentType: ['INVALID', 'Gateway', 'CenterCord'],
  CTIComponentState: ['INVALID', 'Up', 'Down'],
} as const;

export type CtipsEnumName = keyof typeof ctipsEnums;
export type CtipsEnumMember<E extends CtipsEnumName> = (typeof ctipsEnums)[E][number];

/**
 * Names accepted that are not members (digest §5.1, §7 #11, #13–#15): `ActiveWrap` (in the
 * LoginAgent and AgentStateChange lists, L662, L1211, but not in the enum, so it has no number),
 * `None` for AudioPathState (L1233), event-text spellings, and event type spellings (§7 #14).
 */
const extraNames: { [E in CtipsEnumName]?: Record<string, string> } = {
  CTIAgentState: { activewrap: 'ActiveWrap' },
  CTIAudioPathState: { none: 'INVALID' },
  CTICallType: { inboundipnig: 'InboundIpniq' },
  CTIRouteStatusType: { defaultrouteused: 'RouteDefaultUsed' },
  CTIEventType: {
    routerejected: 'RouteReject',
    enterpasscodeevent: 'EnterPasscode',
    callrequestedfailed: 'CallRequestFailed',
    snapshotupdateevent: 'SnapShotUpdate',
  },
};

/** Members that exist only as names (no C# number). */
export type CtipsEnumExtra<E extends CtipsEnumName> = E extends 'CTIAgentState' ? 'ActiveWrap' : never;

export type CtipsEnumValue<E extends CtipsEnumName> =
  | { known: true; name: CtipsEnumMember<E> | CtipsEnumExtra<E>; value: number | null }
  | { known: false; raw: string };

const norm = (s: string): string => s.replace(/\s+/g, '').toLowerCase();

const lookups = new Map<CtipsEnumName, Map<string, { name: string; value: number | null }>>();
for (const e of Object.keys(ctipsEnums) as CtipsEnumName[]) {
  const m = new Map<string, { name: string; value: number | null }>();
  (ctipsEnums[e] as readonly string[]).forEach((name, value) => m.set(norm(name), { name, value }));
  for (const [alias, target] of Object.entries(extraNames[e] ?? {})) {
    const t = m.get(norm(target));
    m.set(alias, t ?? { name: target, value: null });
  }
  lookups.set(e, m);
}

/** Decode an enum value: a name (any case, spaces ignored, aliases) or the decimal number; else unknown. */
export function decodeEnum<E extends CtipsEnumName>(e: E, raw: string): CtipsEnumValue<E> {
  const t = raw.trim();
  const m = lookups.get(e);
  const hit = m?.get(norm(t));
  if (hit) return { known: true, name: hit.name as CtipsEnumMember<E>, value: hit.value };
  if (/^[0-9]{1,3}$/.test(t)) {
    const members = ctipsEnums[e] as readonly string[];
    const n = Number(t);
    if (n < members.length) return { known: true, name: members[n] as CtipsEnumMember<E>, value: n };
  }
  return { known: false, raw: raw.slice(0, 200) };
}

/** A member name for sending: the canonical spelling, or null when not a member (aliases accepted). */
export function enumNameFor<E extends CtipsEnumName>(e: E, name: string): CtipsEnumMember<E> | CtipsEnumExtra<E> | null {
  const m = lookups.get(e)?.get(norm(name));
  return m ? (m.name as CtipsEnumMember<E>) : null;
}

export function isEnumName(e: string): e is CtipsEnumName {
  return Object.hasOwn(ctipsEnums, e);
}

/** Every known failure type with a message for an agent or a log (digest §3.5, §5.1). */
export const failureTypeMessages: Readonly<Record<CtipsEnumMember<'CTIFailureType'>, string>> = {
  INVALID: 'Invalid failure type',
  InvalidPasscode: 'The login passcode was entered wrongly',
  InvalidAgent: 'Unknown or not logged-in agent',
  InvalidCallId: 'Unknown call',
  DestinationBusy: 'The destination is busy',
  DestinationNoAnswer: 'The destination did not answer',
  DestinationNoRoute: 'No route to the destination',
  NoRouteToDestination: 'No route to the destination',
  RouteTimeout: 'The route was selected too late',
  GetCallDataNotReturned: 'Call data could not be read',
  SetCallDataFailed: 'Call data could not be set',
  InternalError: 'Internal error',
  UnKnownFailure: 'Unknown failure',
  InternalServerError: 'Internal CTI Portal Server error',
  GatewayLoginFailure: 'Login failed at the gateway',
  AgentAlreadyLoggedIn: 'The agent is already logged in',
  AgentLicenseExceeded: 'Agent licences exceeded',
  InvalidAgentName: 'Unknown agent login name',
  StationNotAvailable: 'The station is not available',
  InvalidStateForRequest: 'Not allowed in the current agent or call state',
  InvalidSwitchIdentifier: 'Invalid switch',
  NoActiveService: 'The agent has no active service',
  DestinationAgentNotAvailable: 'The destination agent is not available',
  DestinationInvalidSwitchIdentifier: 'Invalid destination switch',
  DestinationInvalidNumber: 'Invalid destination number',
  DestinationInvalidServiceIdentifier: 'Invalid destination service',
  TrunkLicenseExceeded: 'Trunk licences exceeded',
  CustomerHungUpWaitingForTransfer: 'The customer hung up before the transfer completed',
  ClearCallFailure: 'The call could not be cleared',
  MakeCallFailure: 'The call could not be made',
  ConsultationFailure: 'The consultation call failed',
  CallTransferFailure: 'The transfer failed',
  ConferenceFailure: 'The conference failed',
  PlayDigitsFailure: 'The digits could not be sent',
  RequestFailed: 'The request failed',
};

/** Route reject reasons (RouteRejected, L1744). */
export const rejectReasonMessages: Readonly<Record<CtipsEnumMember<'CTIRejectReason'>, string>> = {
  INVALID: 'Invalid reject reason',
  NoRouteToDestination: 'No route to the destination',
  RouteTimeout: 'The route selection came too late; default routing was applied',
  CallCleared: 'The call was cleared',
  CallAlreadyRouted: 'The call was already routed',
  DestinationBusy: 'The destination is busy',
  UnknownReason: 'Unknown reason',
};

/** Message for a decoded failure type (unknown values included). */
export function describeFailure(v: CtipsEnumValue<'CTIFailureType'> | null): string {
  if (v === null) return 'No failure type given';
  return v.known ? (failureTypeMessages[v.name] ?? v.name) : `Undocumented failure type "${v.raw}"`;
}
