// O2G codec: zod schemas for the REST DTOs and the events the desktop uses, and total decoders
// (text/bytes → typed result, never a throw). Field names and cardinalities follow the manual's
// tables (shared/seeds/003_cb171520833ad09c.txt; digest shared/digests/003-o2g.md §5.2).
//
// Tolerance rules (digest §6 #1, #15, #32): unknown members are ignored (zod strips them); every
// field the manual marks [0..1]/[0..*] is optional, and so are a few marked [1] that a client can
// live without (loginName, Leg.state, PartyInfo.id); enumerations are open (`openEnum`): a value
// the manual does not list is kept as a string for the mapping to treat as unknown. Phone numbers,
// call refs and device ids stay strings; comlog record ids (64-bit longs) arrive as strings (json.ts).
import { z } from 'zod';
import { Ajv, type ValidateFunction } from 'ajv';
import { DEFAULT_LONG_KEYS, NO_LONG_KEYS, parseJson, type JsonErrorKind } from './json.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './splitter.js';

/** An enumeration the manual lists; any other string is accepted and typed as an open value. */
function openEnum<T extends string>(_values: readonly T[]): z.ZodType<T | (string & {})> {
  return z.string() as unknown as z.ZodType<T | (string & {})>;
}

const str = z.string();
const bool = z.boolean();
const num = z.number();
/** A record id: a 64-bit long kept as its decimal string (numbers below 2^53 also accepted). */
const longId = z.union([z.string().regex(/^-?\d{1,20}$/), z.number().int().transform((n) => String(n))]);

// ---------------------------------------------------------------- enumerations (§5.1)

export const mediaStates = ['UNKNOWN', 'OFF_HOOK', 'IDLE', 'RELEASING', 'DIALING', 'HELD', 'RINGING_INCOMING', 'RINGING_OUTGOING', 'ACTIVE'] as const;
export type MediaState = (typeof mediaStates)[number] | (string & {});
export const callCauses = [
  'ABANDONED', 'ALL_TRUNK_BUSY', 'BUSY', 'CLEARED', 'PARTICIPANT_LEFT', 'CONFERENCED', 'INVALID_NUMBER', 'DESTINATION_NOT_OBTAINABLE',
  'FORWARDED', 'PICKED_UP', 'REDIRECTED', 'TRANSFERRED', 'UNKNOWN', 'PICKED_UP_TANDEM', 'CALL_BACK', 'RECALL', 'DISTRIBUTED',
  'SUPERVISOR_LISTENING', 'SUPERVISOR_INTRUSION', 'SUPERVISOR_RESTRICT_INTRUSION', 'NO_AVAILABLE_AGENT', 'LOCKOUT',
] as const;
export const mainTypes = ['USER', 'DEVICE', 'SERVICE', 'EXTERNAL', 'UNKNOWN'] as const;
export const userStates = ['FREE', 'BUSY', 'UNKNOWN'] as const;
export const operationalStates = ['IN_SERVICE', 'OUT_OF_SERVICE', 'UNKNOWN'] as const;
export const recordStates = ['PAUSED', 'RECORDING'] as const;
export const agentMainStates = ['UNKNOWN', 'LOG_ON', 'LOG_OFF', 'ERROR'] as const;
export const agentSubStates = [
  'READY', 'OUT_OF_PG', 'BUSY', 'TRANSACTION_CODE_INPUT', 'WRAPUP', 'PAUSE', 'WITHDRAW',
  'WRAPUP_IM', 'WRAPUP_EMAIL', 'WRAPUP_EMAIL_INTERRUPTIBLE', 'WRAPUP_OUTBOUND', 'WRAPUP_CALLBACK',
] as const;
export const agentTypes = ['AGENT', 'SUPERVISOR'] as const;
export const forwardTypesO2g = ['BUSY', 'NO_ANSWER', 'BUSY_NO_ANSWER'] as const;
export const destinationTypes = ['OFFICE', 'MOBILE', 'VOICEMAIL', 'NUMBER', 'UNKNOWN', 'USER', 'OTHER', 'ASSOCIATE'] as const;
export const comRoles = ['CALLER', 'CALLEE', 'UNKNOWN'] as const;
export const searchResultCodes = ['OK', 'NOK', 'FINISH', 'TIMEOUT'] as const;
export const subscriptionStates = ['UNKNOWN', 'ACCEPTED', 'REFUSED'] as const;
export const deviceTypes = ['DECT', 'DESKPHONE', 'MOBILE', 'SOFTPHONE'] as const;
export const intrusionModes = ['NORMAL', 'RESTRICTED', 'DISCRETE'] as const;

// ---------------------------------------------------------------- bootstrap and session (§1, §5.2)

export const ServerInfo = z.object({
  productName: str.optional(),
  productType: str.optional(),
  productVersion: z.object({ major: str.optional(), minor: str.optional() }).optional(),
  haMode: bool.optional(),
});
export const ApiVersion = z.object({ id: str, status: str.optional(), publicUrl: str.optional(), internalUrl: str.optional() });
export const RoxeRestApiDescriptor = z.object({
  serverInfo: ServerInfo.optional(),
  versions: z.array(ApiVersion),
  custoFeatures: z.array(str).optional(),
});
export type RoxeRestApiDescriptor = z.infer<typeof RoxeRestApiDescriptor>;

/** The body of GET /api/rest/authenticate (L72, de-collapsed reading). */
export const AuthenticateResponse = z.object({ credential: str.optional(), publicUrl: str.optional(), internalUrl: str.optional() });
export type AuthenticateResponse = z.infer<typeof AuthenticateResponse>;

export const SessionRequest = z.object({
  applicationName: str,
  applicationAddress: str.optional(),
  supervisedAccount: z.object({ id: str, type: openEnum(['LOGIN_NAME', 'PHONE_NUMBER'] as const) }).optional(),
});
export type SessionRequest = z.infer<typeof SessionRequest>;

export const SessionService = z.object({ serviceName: str, serviceVersion: str.optional(), relativeUrl: str.optional() });
export const SessionInfo = z.object({
  admin: bool.optional(),
  timeToLive: num.optional(),
  publicBaseUrl: str.optional(),
  privateBaseUrl: str.optional(),
  services: z.array(SessionService).optional(),
  expirationDate: str.optional(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const Selector = z.object({ ids: z.array(str).optional(), names: z.array(str) });
export const SubscriptionRequest = z.object({
  filter: z.object({ selectors: z.array(Selector).optional() }).optional(),
  version: str,
  timeout: num.optional(),
});
export type SubscriptionRequest = z.infer<typeof SubscriptionRequest>;

export const Subscription = z.object({
  subscriptionId: str.optional(),
  message: str.optional(),
  publicPollingUrl: str.optional(),
  privatePollingUrl: str.optional(),
  status: openEnum(subscriptionStates),
  mode: str.optional(),
  format: str.optional(),
});
export type Subscription = z.infer<typeof Subscription>;

export const RestErrorInfo = z.object({
  httpStatus: str.optional(),
  code: num.optional(),
  helpMessage: str.optional(),
  type: str.optional(),
  innerMessage: str.optional(),
  canRetry: bool.optional(),
  routing: z.object({ errorType: str.optional(), destinationType: str.optional(), errorCause: str.optional(), message: str.optional() }).optional(),
  telephony: z.object({ errorType: str.optional(), errorCause: str.optional(), message: str.optional() }).optional(),
  userPreferences: z.object({ errorType: str.optional(), parameter: str.optional() }).optional(),
});
export type RestErrorInfo = z.infer<typeof RestErrorInfo>;

// ---------------------------------------------------------------- users (L982–L1087)

export const UserDevice = z.object({ type: openEnum(deviceTypes).optional(), id: str.optional(), subType: str.optional() });
export const User = z.object({
  companyPhone: str.optional(),
  firstName: str.optional(),
  lastName: str.optional(),
  loginName: str.optional(),
  voicemail: z.object({ number: str.optional(), type: str.optional() }).optional(),
  devices: z.array(UserDevice).optional(),
  nodeId: str.optional(),
});
export type User = z.infer<typeof User>;
export const LoginsResponse = z.object({ loginNames: z.array(str).default([]) });
export type LoginsResponse = z.infer<typeof LoginsResponse>;

// ---------------------------------------------------------------- telephony (L3059–L3642)

export const PartyInfo = z.object({
  id: z.object({ loginName: str.optional(), phoneNumber: str.optional() }).optional(),
  firstName: str.optional(),
  lastName: str.optional(),
  displayName: str.optional(),
  type: z.object({ main: openEnum(mainTypes).optional(), subType: str.optional() }).optional(),
});
export type PartyInfo = z.infer<typeof PartyInfo>;

export const legCapabilityNames = ['answer', 'drop', 'hold', 'retrieve', 'reconnect', 'mute', 'unMute', 'sendDtmf', 'switchDevice'] as const;
export const callCapabilityNames = [
  'addDevice', 'addParticipant', 'intruded', 'transfer', 'blindTransfer', 'merge', 'redirect', 'pickedUp', 'redirectToVoiceMail',
  'redirectToDVA', 'overflowToVoiceMail', 'dropMe', 'terminate', 'reject', 'callBack', 'park', 'startRecord', 'stopRecord',
  'pauseRecord', 'resumeRecord', 'dropParticipant', 'muteParticipant', 'holdParticipant',
] as const;
const flags = <K extends string>(names: readonly K[]) =>
  z.object(Object.fromEntries(names.map((n) => [n, bool.optional()])) as { [P in K]: z.ZodOptional<z.ZodBoolean> });
export const LegCapabilities = flags(legCapabilityNames);
export type LegCapabilities = z.infer<typeof LegCapabilities>;
export const CallCapabilities = flags(callCapabilityNames);
export type CallCapabilities = z.infer<typeof CallCapabilities>;

export const Leg = z.object({
  deviceId: str,
  state: openEnum(mediaStates).optional(),
  ringingRemote: bool.optional(),
  capabilities: LegCapabilities.optional(),
});
export type Leg = z.infer<typeof Leg>;

export const Participant = z.object({
  participantId: str,
  identity: PartyInfo.optional(),
  anonymous: bool.optional(),
  undroppable: bool.optional(),
  state: openEnum(mediaStates).optional(),
});
export type Participant = z.infer<typeof Participant>;

export const AcdCallData = z.object({
  callInfo: z.object({ queueWaitingTime: num.optional(), globalWaitingTime: num.optional(), agentGroup: str.optional(), local: bool.optional() }).optional(),
  queueData: z.object({ waitingTime: num.optional(), saturated: bool.optional() }).optional(),
  pilotNumber: str.optional(),
  rsiNumber: str.optional(),
  supervisedTransfer: bool.optional(),
  pilotTransferInfo: z.object({ transferPossible: bool.optional(), pilotStatus: str.optional() }).optional(),
});
export type AcdCallData = z.infer<typeof AcdCallData>;

export const CallData = z.object({
  initialCalled: PartyInfo.optional(),
  deviceCall: bool.optional(),
  anonymous: bool.optional(),
  callUUID: str.optional(),
  state: openEnum(mediaStates).optional(),
  recordState: openEnum(recordStates).optional(),
  tags: z.array(z.object({ name: str, value: str.optional(), visibilities: z.array(str).optional() })).optional(),
  capabilities: CallCapabilities.optional(),
  /** Sic (L3213); the request field is `associatedData`, read as a fallback (§6 #18). */
  associateData: str.optional(),
  associatedData: str.optional(),
  accountInfo: str.optional(),
  acdCallData: AcdCallData.optional(),
});
export type CallData = z.infer<typeof CallData>;

export const O2gCall = z.object({
  callRef: str,
  callData: CallData.optional(),
  legs: z.array(Leg).optional(),
  participants: z.array(Participant).optional(),
});
export type O2gCall = z.infer<typeof O2gCall>;
export const Calls = z.object({ calls: z.array(O2gCall).optional() });
export type Calls = z.infer<typeof Calls>;

export const DeviceCapabilities = z.object({
  deviceId: str,
  makeCall: bool.optional(),
  makeBusinessCall: bool.optional(),
  makePrivateCall: bool.optional(),
  unParkCall: bool.optional(),
});
export const DeviceState = z.object({ deviceId: str, state: openEnum(operationalStates).optional() });
export const TelephonicState = z.object({
  calls: z.array(O2gCall).optional(),
  deviceCapabilities: z.array(DeviceCapabilities).optional(),
  userState: openEnum(userStates).optional(),
});
export type TelephonicState = z.infer<typeof TelephonicState>;

// ---------------------------------------------------------------- directory (L3813–L3911)

export const DirectoryContact = z.object({
  id: z.object({ loginName: str.optional(), phoneNumber: str.optional() }).optional(),
  firstName: str.optional(),
  lastName: str.optional(),
});
export type DirectoryContact = z.infer<typeof DirectoryContact>;
export const SearchResult = z.object({
  resultCode: openEnum(searchResultCodes).optional(),
  resultElements: z.array(z.object({ contacts: z.array(DirectoryContact).optional() })).optional(),
});
export type SearchResult = z.infer<typeof SearchResult>;

// ---------------------------------------------------------------- routing (L4426–L4574)

export const Destination = z.object({ type: openEnum(destinationTypes).optional(), deviceId: str.optional(), number: str.optional(), selected: bool.optional() });
export type Destination = z.infer<typeof Destination>;
export const ForwardRoute = z.object({ forwardType: openEnum(forwardTypesO2g).optional(), destinations: z.array(Destination).optional() });
export const OverflowRoute = z.object({ overflowType: openEnum(forwardTypesO2g).optional(), destinations: z.array(Destination).optional() });
export const RoutingState = z.object({
  presentationRoutes: z.array(z.object({ destinations: z.array(Destination).optional() })).optional(),
  forwardRoutes: z.array(ForwardRoute).optional(),
  overflowRoutes: z.array(OverflowRoute).optional(),
  dndState: z.object({ activate: bool.optional() }).optional(),
});
export type RoutingState = z.infer<typeof RoutingState>;

// ---------------------------------------------------------------- comlog (L4803–L5006)

export const ComPartyInfo = PartyInfo;
export const ComParticipant = z.object({
  role: openEnum(comRoles).optional(),
  answered: bool.optional(),
  identity: ComPartyInfo.optional(),
  anonymous: bool.optional(),
  initialCalled: ComPartyInfo.optional(),
  reason: str.optional(),
});
export type ComParticipant = z.infer<typeof ComParticipant>;
export const ComHistoryRecord = z.object({
  recordId: longId.optional(),
  comRef: str.optional(),
  acknowledged: bool.optional(),
  participants: z.array(ComParticipant).optional(),
  beginDate: str.optional(),
  endDate: str.optional(),
  medias: z.array(str).optional(),
  extensions: z.array(z.object({ name: str.optional(), value: str.optional() })).optional(),
});
export type ComHistoryRecord = z.infer<typeof ComHistoryRecord>;
export const ComHistoryRecords = z.object({
  comHistoryRecords: z.array(ComHistoryRecord).optional(),
  offset: num.optional(),
  limit: num.optional(),
  totalCount: num.optional(),
});
export type ComHistoryRecords = z.infer<typeof ComHistoryRecords>;

// ---------------------------------------------------------------- event summary (L5061–L5092)

export const EventSummary = z.object({
  missedCallsNb: num.optional(),
  voiceMessagesNb: num.optional(),
  callBackRequestsNb: num.optional(),
  faxNb: num.optional(),
  newTextNb: num.optional(),
  oldTextNb: num.optional(),
  eventWaiting: bool.optional(),
});
export type EventSummary = z.infer<typeof EventSummary>;

// ---------------------------------------------------------------- CCD agent (L7817–L7995)

export const AgentConfig = z.object({
  type: openEnum(agentTypes).optional(),
  proacd: str.optional(),
  processingGroups: z.object({ preferred: str.optional(), groups: z.array(str).optional() }).optional(),
  skills: z.object({ skills: z.array(z.object({ number: num.optional(), level: num.optional(), active: bool.optional() })).optional() }).optional(),
  selfAssign: bool.optional(),
  headset: bool.optional(),
  help: bool.optional(),
  multiline: bool.optional(),
});
export type AgentConfig = z.infer<typeof AgentConfig>;
export const AgentState = z.object({
  mainState: openEnum(agentMainStates).optional(),
  subState: openEnum(agentSubStates).optional(),
  proAcdDeviceNumber: str.optional(),
  pgNumber: str.optional(),
  withdrawReason: num.optional(),
  withdrawn: bool.optional(),
});
export type AgentState = z.infer<typeof AgentState>;
export const WithdrawReasons = z.object({
  number: num.optional(),
  reasons: z.array(z.object({ index: num, label: str.optional() })).optional(),
});
export type WithdrawReasons = z.infer<typeof WithdrawReasons>;

// ---------------------------------------------------------------- events (§4.2)

const login = { loginName: str.optional() };
const ev = <N extends string, S extends z.ZodRawShape>(name: N, shape: S) => z.object({ eventName: z.literal(name), ...login, ...shape });

export const eventSchemas = {
  OnCallCreated: ev('OnCallCreated', {
    callRef: str,
    cause: openEnum(callCauses).optional(),
    callData: CallData.optional(),
    initiator: str.optional(),
    legs: z.array(Leg).optional(),
    participants: z.array(Participant).optional(),
    deviceCapabilities: z.array(DeviceCapabilities).optional(),
  }),
  OnCallModified: ev('OnCallModified', {
    callRef: str,
    cause: openEnum(callCauses).optional(),
    previousCallRef: str.optional(),
    replacedByCallRef: str.optional(),
    callData: CallData.optional(),
    modifiedLegs: z.array(Leg).optional(),
    addedLegs: z.array(Leg).optional(),
    removedLegs: z.array(Leg).optional(),
    modifiedParticipants: z.array(Participant).optional(),
    addedParticipants: z.array(Participant).optional(),
    removedParticipantIds: z.array(str).optional(),
    deviceCapabilities: z.array(DeviceCapabilities).optional(),
  }),
  OnCallRemoved: ev('OnCallRemoved', {
    callRef: str,
    cause: openEnum(callCauses).optional(),
    newDestination: str.optional(),
    /** Not in the OnCallRemoved table; accepted because the digest reads L3424 so (§6 #24). */
    replacedByCallRef: str.optional(),
    deviceCapabilities: z.array(DeviceCapabilities).optional(),
  }),
  OnUserStateModified: ev('OnUserStateModified', { state: openEnum(userStates).optional() }),
  OnTelephonyState: ev('OnTelephonyState', { state: TelephonicState.optional() }),
  OnDeviceStateModified: ev('OnDeviceStateModified', { deviceStates: z.array(DeviceState).optional() }),
  OnAgentStateChanged: ev('OnAgentStateChanged', { state: AgentState }),
  OnSupervisorHelpRequested: ev('OnSupervisorHelpRequested', { agentNumber: str.optional() }),
  OnSupervisorHelpCancelled: ev('OnSupervisorHelpCancelled', { agentNumber: str.optional() }),
  OnRoutingStateChanged: ev('OnRoutingStateChanged', { routingState: RoutingState }),
  OnComRecordCreated: ev('OnComRecordCreated', { record: ComHistoryRecord }),
  OnComRecordModified: ev('OnComRecordModified', { record: ComHistoryRecord }),
  OnComRecordsAck: ev('OnComRecordsAck', { recordIds: z.array(longId).optional() }),
  OnComRecordsUnAck: ev('OnComRecordsUnAck', { recordIds: z.array(longId).optional() }),
  OnComRecordsDeleted: ev('OnComRecordsDeleted', { recordIds: z.array(longId).optional() }),
  OnEventSummaryUpdated: ev('OnEventSummaryUpdated', { eventSummary: EventSummary }),
  OnCtiLinkDown: ev('OnCtiLinkDown', { nodeId: z.union([str, num.transform((n) => String(n))]).optional() }),
  OnCtiLinkUp: ev('OnCtiLinkUp', { nodeId: z.union([str, num.transform((n) => String(n))]).optional() }),
  OnPbxLoaded: ev('OnPbxLoaded', { nodeId: z.union([str, num.transform((n) => String(n))]).optional() }),
  OnLicenseExpiration: ev('OnLicenseExpiration', { message: str.optional(), nbDays: num.optional() }),
  /** [EXT]: the channel's first line and its keep-alive (digest §1.7). */
  OnChannelInformation: ev('OnChannelInformation', { text: str.optional() }),
  OnUserInfoChanged: ev('OnUserInfoChanged', { user: User.optional() }),
} as const;

/*
 * The zod schemas are the source of truth (types, error messages). On the event channel's hot
 * path Ajv checks the same schemas, compiled from their JSON Schema: it checks in place instead of
 * building a copy, ~30x faster here (docs/performance.md). A schema JSON Schema cannot express (a
 * transform) has no fast checker; a value the fast checker refuses goes to zod, which then
 * decides and explains.
 */
const ajv = new Ajv({ strict: false, allErrors: false, useDefaults: true });

function fastChecker(schema: z.ZodType): ValidateFunction | null {
  try {
    // A transform has no JSON Schema of its output: such schemas throw here and keep zod only.
    z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'throw' });
    return ajv.compile(z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'throw' }) as object);
  } catch {
    return null;
  }
}

const eventCheckers: Partial<Record<string, ValidateFunction>> = Object.fromEntries(
  Object.entries(eventSchemas).flatMap(([name, schema]) => {
    const check = fastChecker(schema);
    return check ? [[name, check]] : [];
  }),
);

export type O2gEventName = keyof typeof eventSchemas;
export type O2gEvent = { [K in O2gEventName]: z.infer<(typeof eventSchemas)[K]> }[O2gEventName];
export type O2gEventOf<K extends O2gEventName> = z.infer<(typeof eventSchemas)[K]>;
export const o2gEventNames = Object.keys(eventSchemas) as O2gEventName[];

// ---------------------------------------------------------------- decoders

export type CodecErrorKind = JsonErrorKind | 'notObject' | 'noEventName' | 'schema' | 'oversize' | 'badUtf8' | 'empty';
export interface CodecError {
  kind: CodecErrorKind;
  message: string;
  eventName?: string;
}
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: CodecError };

export type EventDecode =
  | { ok: true; kind: 'event'; event: O2gEvent }
  | { ok: true; kind: 'unknown'; eventName: string }
  | { ok: false; error: CodecError };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function toText(input: string | Uint8Array): string | null {
  if (typeof input === 'string') return input;
  // Buffer's decoder is the fast one, but it replaces bad sequences with U+FFFD: only when one
  // shows up does the strict decoder decide whether the bytes were bad or the text holds U+FFFD.
  const text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  if (!text.includes('\uFFFD')) return text;
  try {
    return utf8.decode(input);
  } catch {
    return null;
  }
}

function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** A REST body (the 2xx reply of an endpoint) against its DTO schema. */
export function decodeBody<S extends z.ZodType>(schema: S, input: string | Uint8Array): Decoded<z.infer<S>> {
  const text = toText(input);
  if (text === null) return { ok: false, error: { kind: 'badUtf8', message: 'the body is not UTF-8' } };
  if (text.trim() === '') return { ok: false, error: { kind: 'empty', message: 'the body is empty' } };
  const parsed = parseJson(text, DEFAULT_LONG_KEYS);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const r = schema.safeParse(parsed.value);
  if (!r.success) return { ok: false, error: { kind: 'schema', message: describe(r.error.issues) } };
  return { ok: true, value: r.data as z.infer<S> };
}

function isLongIdEvent(v: unknown): boolean {
  const name = v !== null && typeof v === 'object' ? (v as Record<string, unknown>).eventName : undefined;
  return typeof name === 'string' && name.startsWith('OnComRecord');
}

/** One line of the event channel. Unknown event names are a typed `unknown`, not an error. */
export function decodeEvent(input: string | Uint8Array): EventDecode {
  const text = toText(input);
  if (text === null) return { ok: false, error: { kind: 'badUtf8', message: 'the event is not UTF-8' } };
  if (text.trim() === '') return { ok: false, error: { kind: 'empty', message: 'the event line is empty' } };
  // Only the comlog events carry 64-bit ids: parse plainly, and again keeping long ids for those.
  let parsed = parseJson(text, NO_LONG_KEYS);
  if (parsed.ok && isLongIdEvent(parsed.value)) parsed = parseJson(text, DEFAULT_LONG_KEYS);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const v = parsed.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return { ok: false, error: { kind: 'notObject', message: 'an event must be a JSON object' } };
  }
  const name = (v as Record<string, unknown>).eventName;
  if (typeof name !== 'string' || name === '') {
    return { ok: false, error: { kind: 'noEventName', message: 'the event has no eventName' } };
  }
  if (!Object.hasOwn(eventSchemas, name)) return { ok: true, kind: 'unknown', eventName: name.slice(0, 128) };
  if (eventCheckers[name]?.(v)) return { ok: true, kind: 'event', event: v as O2gEvent };
  const schema = eventSchemas[name as O2gEventName];
  const r = schema.safeParse(v);
  if (!r.success) return { ok: false, error: { kind: 'schema', eventName: name, message: `${name}: ${describe(r.error.issues)}` } };
  return { ok: true, kind: 'event', event: r.data as O2gEvent };
}

export type StreamItem = EventDecode & { line?: string };

/**
 * The event channel decoder: bytes in (any chunking), decoded events out, in order. Garbage and
 * oversize lines come out as typed errors and the stream continues.
 */
export class EventStreamDecoder {
  private readonly splitter: LineSplitter;

  constructor(opts: { maxLineBytes?: number } = {}) {
    this.splitter = new LineSplitter({ maxLineBytes: opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES });
  }

  push(chunk: Uint8Array | string): StreamItem[] {
    return this.items(this.splitter.push(chunk));
  }

  end(): StreamItem[] {
    return this.items(this.splitter.end());
  }

  private items(parts: ReturnType<LineSplitter['push']>): StreamItem[] {
    const out: StreamItem[] = [];
    for (const p of parts) {
      if (p.kind === 'oversize') out.push({ ok: false, error: { kind: 'oversize', message: `event line longer than ${p.limit} bytes; skipped to the next line` } });
      else if (p.kind === 'badUtf8') out.push({ ok: false, error: { kind: 'badUtf8', message: `event line of ${p.bytes} bytes is not UTF-8` } });
      else out.push({ ...decodeEvent(p.text), line: p.text });
    }
    return out;
  }
}
