// Settings of the TelServices front-end ([SIM] choices of the digest, each switchable).

export interface TelServicesConfig {
  /** telserver.TelServices.endOfPDU.sequence: appended to TCP replies and UDP events, stripped from requests (digest §1.3). */
  endOfPdu: string | null;
  /** The licence's session limit (devices with at least one registration). */
  maxSessions: number;
  /** Administrator authentication on the first openSession of a device (digest §2.3). */
  adminAuth: { enabled: boolean; users: Record<string, string> };
  /** Reply pbxReject to openSession on an unmonitorable device instead of the sessionClosedByMonitoringReject event. */
  monitorRejectSync: boolean;
  /** Strict XML: reject prologs, attributes, and resultOnEvent on raw TCP. */
  strict: boolean;
  /** qualifyCall may auto-answer (its default is answerCall=true). */
  qualifyAutoAnswerAllowed: boolean;
  /** Put <deviceNumber> in every event (the manual shows it in call events only; digest §7 #17). */
  deviceNumberInAllEvents: boolean;
  /** Emit <isConference><false/></isConference> as the examples do (digest §7 #12). */
  emitIsConferenceFalse: boolean;
  /** Add <cause><redirect/></cause> to the diverted-to party's alerting event (digest §7 #13: off, as the examples). */
  causeRedirectOnDivertTarget: boolean;
  /** Present the original party on the consulted device (digest §7 #41). */
  presentFirstOtherParty: boolean;
  /** Emit <callReference> in call infos (off: the manual's examples never show it). */
  emitCallReference: boolean;
  /** Request size cap in bytes; larger gets <resourceError/> (digest §1.8). */
  maxRequestBytes: number;
  /** A raw TCP connection with no complete request after this long is closed without reply. */
  idleCloseMs: number;
  /** How long a request with an injected pbxTimeout waits before answering. */
  pbxTimeoutMs: number;
  /** Directories defined "within the configuration" that updateDirectory may synchronize. */
  configuredDirectories: string[];
}

export function defaultTelServicesConfig(): TelServicesConfig {
  return {
    endOfPdu: null,
    maxSessions: 100,
    adminAuth: { enabled: false, users: {} },
    monitorRejectSync: false,
    strict: false,
    qualifyAutoAnswerAllowed: true,
    deviceNumberInAllEvents: true,
    emitIsConferenceFalse: true,
    causeRedirectOnDivertTarget: false,
    presentFirstOtherParty: true,
    emitCallReference: false,
    maxRequestBytes: 8 * 1024 * 1024,
    idleCloseMs: 10_000,
    pbxTimeoutMs: 5_000,
    configuredDirectories: ['ldap'],
  };
}
