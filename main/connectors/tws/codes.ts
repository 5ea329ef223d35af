// The manual's return-code table (L3031–3077, digest §5.2), verbatim names, and the enums of
// digest §4.7. Pure data.

export const twsReturnCodes = {
  fileConversionException: -2010,
  voiceMediaException: -2000,
  callDisconnectedCauseOfMediaDeviceDialog: -1001,
  callDisconnected: -1000,
  ruleActivationFailed: -501,
  invalidParameter: -251,
  nullException: -250,
  fileNotFound: -200,
  smsMessageTooLong: -152,
  smsSentFromServerFailed: -151,
  smsConnectionToServerFailed: -150,
  methodNotImplemented: -100,
  tokenNotFound: -44,
  personalContactNotFound: -41,
  contactNotFound: -40,
  sendEmailException: -30,
  actionFailed: -29,
  timeout: -28,
  actionAlreadyDone: -27,
  actionAlreadyStarted: -26,
  unauthorizedAction: -25,
  providerResponseTimeout: -24,
  webServiceException: -23,
  deviceForbidden: -22,
  cantStartMonitorDuringStarting: -21,
  twstkLicenceLimitOverflow: -20,
  twsvisLicenceLimitOverflow: -19,
  twsrecLicenceLimitOverflow: -18,
  twsmallLicenceLimitOverflow: -17,
  twsvipLicenceLimitOverflow: -16,
  twsphpLicenceLimitOverflow: -15,
  twsaltLicenceLimitOverflow: -14,
  twscallLicenceLimitOverflow: -13,
  twssrvLicenceLimitOverflow: -12,
  licenceLimitOverflow: -11,
  voiceMailNumberNotFound: -10,
  pretelComNotFound: -9,
  telComNotFound: -8,
  applicationNotFound: -7,
  providerNotFound: -6,
  actionNotFound: -5,
  deviceNotFound: -4,
  connectionNotFound: -3,
  serverNotRunning: -2,
  serverException: -1,
  ok: 0,
  makeCallMobile: 20,
} as const;

export type TwsReturnCodeName = keyof typeof twsReturnCodes;

const byCode = new Map<number, TwsReturnCodeName>(
  (Object.entries(twsReturnCodes) as Array<[TwsReturnCodeName, number]>).map(([k, v]) => [v, k]),
);

/** The §5.2 name of a code, or `error<n>` for an unlisted one (the list may be truncated, §5.1). */
export function returnCodeName(code: number): string {
  return byCode.get(code) ?? `error${code}`;
}

/**
 * Codes a connector may treat as success on the monitor functions (digest §3.2.2, §4.9):
 * "already started/done" means the monitor is in place.
 */
export const monitorIdempotentCodes: readonly number[] = [twsReturnCodes.actionAlreadyStarted, twsReturnCodes.actionAlreadyDone];

/** EPresenceAgent (L2253–2261, L1858). Results carry the ordinal, events the name (§7 #39). */
export const agentStates = ['AgentBusy', 'LoggedOff', 'LoggedOn', 'NotReady', 'Ready', 'WorkingAfterCall'] as const;
export type AgentStateName = (typeof agentStates)[number];

/** ECCoState (L2210–2262). */
export const ccoStates = ['free', 'active', 'held', 'delivered', 'predelivered', 'undef'] as const;
/** EConnectionState (L2210–2262). */
export const connectionStates = [
  'idle', 'initiated', 'originated', 'delivered', 'established', 'cleared', 'held', 'conferenced', 'transferred',
  'diverted', 'queued', 'retrieved', 'blocked', 'predelivered', 'disconnected', 'notified', 'failed', 'all',
] as const;
/** EPresenceType. */
export const presenceTypes = ['NONE', 'CALENDAR', 'TWS', 'AGENT'] as const;

/** SetForwardOn/Off `intType` (L1369–1377, L1413–1421; digest §3.2.4). Off = On + 1. */
export const forwardTypes = {
  immediate: 0,
  busy: 2,
  noAnswer: 4,
  internalBusy: 6,
  externalBusy: 8,
  noInternalAnswer: 10,
  noExternalAnswer: 12,
  immediateInternal: 14,
  immediateExternal: 16,
} as const;
export type ForwardType = keyof typeof forwardTypes;

/** Call-log `search` codes (L2001–2010). */
export const callLogSearch = { all: 3, incoming: 1001, outgoing: 1002, missed: 1003 } as const;
