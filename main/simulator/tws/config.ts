// Settings of the TWS Toolkit front-end and its fixture (digest 000 §8, plus the manual's own examples so each
// URL it prints works as printed). Every [SIM] switch of the digest that a test may want to flip is a field
// here; NOTES.md explains each default.

/** Authorization groups of a TWS user (digest §2.4, §2.6). */
export type TwsAuthorization = 'caller' | 'runtime' | 'openCall';

export interface TwsUserConfig {
  username: string;
  password: string;
  /** `UserGuid`. */
  guid: string;
  /** Other user guids that name this user (the manual's placeholders `uuuu-uuuuu-uuuuu`, …). */
  guidAliases?: string[];
  firstName: string;
  lastName: string;
  /** Devices the user may act on, the first being the default device; `0000` = any device (L709). */
  devices: string[];
  authorizations: TwsAuthorization[];
  /** Devices of the user's intercom group: their connection changes come as supervision events. */
  intercom?: string[];
  /** Queues whose waiting calls the user may see (DivertCallFromQueue). */
  queueVisibility?: string[];
  /** MakeCall/OpenMakeCall answer 20 (makeCallMobile). */
  mobileMode?: boolean;
  /** Tokens issued to this user when the lab starts (the manual's placeholder tokens for the example user). */
  preIssuedTokens?: string[];
  /** Devices this user monitors when the lab starts (the example user, so the manual's URLs need no prior StartMonitor). */
  preMonitored?: string[];
}

export interface TwsApiKey {
  key: string;
  /** `example`: the manual's `[APIKEY]` placeholder, a user key when a password is given, else an administrator key. */
  type: 'user' | 'admin' | 'example';
}

export interface TwsContact {
  personGuid: string;
  firstName: string;
  lastName: string;
  company: string;
  phone: string;
}

export interface TwsAgentConfig {
  /** `agentID` / `agentId`. */
  agentId: string;
  /** The PBX device the core's agent lives on (the PBX fixture's AgentConfig.device). */
  device: string;
  group: string;
  password: string;
}

export interface TwsDeviceInfo {
  cluster: number;
  site: number;
  provider: string;
  type: 'cti' | 'sipcti' | 'voip' | 'local';
  vmNumber: string;
}

export interface TwsConfig {
  /** Agent functions answer -100 unless 'Alcatel' (L1780). */
  pbxType: 'Alcatel' | 'other';
  /** TWS_GetEvent waits this long for an event before returning nil (L2172: 30 s). */
  pollWaitMs: number;
  /** A polling session is forgotten this long after its last GetEvent returned. */
  eventSessionIdleMs: number;
  /** Bound of a polling session's queue (oldest dropped). */
  pollQueueLimit: number;
  /** L133: without the unlock key every Toolkit function answers -11. */
  toolkitUnlocked: boolean;
  /** Distinct monitored devices over all users; a new one beyond this answers -20. */
  toolkitLicences: number;
  /** The monitor functions answer -22 instead of throwing a security exception (HTTP 500). */
  securityAsCode: boolean;
  /** `/Ison/` and `/Isbn/` (the manual's OCR typos) reach the Json format; false = HTTP 404 (faithful). */
  lenientFormat: boolean;
  /** Only the parameter names of the manual's URLs (MakeCall szFrom, OpenMakeCall szDevice, SendFacility szTo). */
  strictParams: boolean;
  /** Tolerance mode (T25): AUDIT echoes, a ForwardEvent, capitalised member names, d7p1:nil, a JSON frame, a BOM. */
  quirks: boolean;
  /** Extra m_callAction flags (DivertCall/Release on ringing, SingleStepTransfer when established). */
  richCallActions: boolean;
  /** Format of the events on the WebSocket (9003) and the secure WebSocket (9013). */
  wsFormat: 'xml' | 'json';
  wssFormat: 'xml' | 'json';
  /** TCP feed: close a connection that sent no open-session message within this many ms. */
  openTimeoutMs: number;
  /** TCP feed: close a client silent (no AUDIT, nothing) this long; 0 = never. */
  keepAliveTimeoutMs: number;
  /** TCP feed: answer every AUDIT keep-alive with the same AUDIT frame. */
  echoAudit: boolean;
  /** TCP feed: split every frame over several writes and coalesce the tail with the next (tests reassembly). */
  fragmentWrites: boolean;
  /** WebSocket ping interval; 0 = none. */
  wsPingMs: number;
  /** Tokens unused this long answer -44; 0 = never expire. */
  tokenIdleTtlMs: number;
  /** Agent events also go to polling sessions. */
  agentEventsOnPolling: boolean;
  /** Call logs: IncomingCall 1 = incoming (the name) instead of the table's 0 = incoming. */
  incomingCallFlagByName: boolean;
  /** Lifetime of call data after the last write (L1624: 4 hours). */
  callDataTtlMs: number;
  /** Push a ForwardEvent on forwarding changes. */
  forwardEvents: boolean;
  domainGuid: string;
  /** Other domain guids accepted (the manual's placeholders). */
  domainAliases: string[];
  apiKeys: TwsApiKey[];
  adminAccounts: Array<{ username: string; password: string }>;
  users: TwsUserConfig[];
  /** The user of `/tws/auth/…` when username is empty (Windows authentication). */
  windowsUser: string;
  contacts: TwsContact[];
  agents: TwsAgentConfig[];
  /** Queue numbers (DivertCallFromQueue szDevice) → the PBX core's queue. */
  queues: Array<{ number: string; service: string }>;
  numbering: { internalLength: number; externalPrefix: string };
  unparkPrefix: string;
  /** Per-device PBX information for GetDevicesState; `default` applies to the others. */
  deviceInfo: { default: TwsDeviceInfo } & Record<string, TwsDeviceInfo>;
  /** Directory for the certificate PEM; null = a fresh temporary directory. */
  certificateDir: string | null;
}

export const KU = 'rUL6jwLZ/MzO0zxPRINMJYUC6ul/vYkxY39fsR4tLXcIMLpXKBpwddC7me506Vfd059DBf6Y9eFr8NsjC/wUg==';
export const KA = 'Adm1n+Key/Test==';
export const fixtureDomain = '2047d7f2-428b-49f6-beaf-7b2e102f954d';

/** The manual's placeholder tokens (§6.1, §6.2): pre-issued to the example user. */
export const exampleTokens = [
  'xxx-xxxxx-xxx',
  'xxxx-xxxx-xxxx-xxxx',
  'xxxxxxxx-xxx',
  'xx-xx-xx',
  'xxxx-xxxxx-xxxx',
  'xxx-xxxxxx-xxx',
  'xxxxx-xxxxx-xxxx',
  'xxxx-xxxxxx-xxxx',
  '[TOKENGUID]',
  '{TOKENGUID}',
  '[GUIDTOKEN]',
  '3911534b-e16c-4427-bc6a-59a78628b2bb',
  '0ab99936-a653-4b28-9e0f-c187d12b54ad',
];

export function defaultTwsConfig(): TwsConfig {
  return {
    pbxType: 'Alcatel',
    pollWaitMs: 30_000,
    eventSessionIdleMs: 120_000,
    pollQueueLimit: 1000,
    toolkitUnlocked: true,
    toolkitLicences: 20,
    securityAsCode: false,
    lenientFormat: true,
    strictParams: false,
    quirks: false,
    richCallActions: false,
    wsFormat: 'xml',
    wssFormat: 'xml',
    openTimeoutMs: 10_000,
    keepAliveTimeoutMs: 90_000,
    echoAudit: false,
    fragmentWrites: false,
    wsPingMs: 30_000,
    tokenIdleTtlMs: 0,
    agentEventsOnPolling: false,
    incomingCallFlagByName: false,
    callDataTtlMs: 4 * 3600_000,
    forwardEvents: false,
    domainGuid: fixtureDomain,
    domainAliases: ['xxx-xxxxxx-xxx', 'xxxx-xxxxxx-xxxx'],
    apiKeys: [
      { key: KU, type: 'user' },
      { key: KA, type: 'admin' },
      { key: '[APIKEY]', type: 'example' },
    ],
    adminAccounts: [
      { username: 'mgplMKIT', password: 'notasecret' },
      { username: '[ADMINUSERNAME]', password: '[ADMINPASSWORD]' },
    ],
    users: [
      {
        username: 'hpiaple',
        password: 'pw4694',
        guid: '97a02200-fa08-4cdd-96ab-e44eb7f577ad',
        firstName: 'Hector',
        lastName: 'Piaple',
        devices: ['4694'],
        authorizations: ['runtime', 'openCall'],
        // Not in the digest's fixture: Hector's colleagues, so the demo's busy lamps are live.
        intercom: ['4594', '3000'],
      },
      {
        username: 'tme',
        password: 'pw4594',
        guid: 'c3bb0324-a8f5-444c-8059-9797445a73de',
        firstName: 'test',
        lastName: 'Me',
        devices: ['4594'],
        authorizations: ['caller'],
        intercom: ['4694'],
      },
      {
        username: 'super',
        password: 'pw0000',
        guid: '4133bb7d-c4a7-48e2-9ea3-2d2affe2b395',
        firstName: 'Super',
        lastName: 'Visor',
        devices: ['0000'],
        authorizations: ['runtime', 'openCall'],
        queueVisibility: ['6000'],
      },
      {
        username: 'noauth',
        password: 'pw3000',
        guid: 'd10f0711-03b1-4d7c-ac92-766c5c17b3f0',
        firstName: 'No',
        lastName: 'Auth',
        devices: ['3000'],
        authorizations: [],
      },
      {
        // The manual's example user: its placeholders ([USERNAME], the xxx tokens, uuuu/yyy user guids, the
        // call-log guid …f577dd) and its example sets, already monitored.
        username: '[USERNAME]',
        password: '[PASSWORD]',
        guid: '97a02200-fa08-4cdd-96ab-e44eb7f577dd',
        guidAliases: ['uuuu-uuuuu-uuuuu', 'yyy-yyy-yyy', 'yyy-yyyy-yyyyy-yyyy', 'yyy-yyy-yyyyy-yyyy'],
        firstName: 'Example',
        lastName: 'User',
        devices: ['1000', '100', '101', '4000', '0000'],
        authorizations: ['caller', 'runtime', 'openCall'],
        queueVisibility: ['6000', '5000'],
        preIssuedTokens: exampleTokens,
        preMonitored: ['1000', '100', '101', '4000'],
      },
    ],
    windowsUser: 'hpiaple',
    contacts: [{ personGuid: '58d83796-28d1-43ad-b1e3-ac88a5ee0b86', firstName: 'Françoise', lastName: 'Martin', company: 'Algo', phone: '0141906666' }],
    agents: [
      { agentId: '1000', device: '4694', group: '1100', password: 'x' },
      { agentId: '100', device: '100', group: '110', password: 'x' },
    ],
    // 6000: the fixture's queue; 5000: the manual's example queue (L1109), the same ACD group.
    queues: [
      { number: '6000', service: '1100' },
      { number: '5000', service: '1100' },
    ],
    numbering: { internalLength: 4, externalPrefix: '0' },
    unparkPrefix: '402',
    deviceInfo: { default: { cluster: 2, site: 1, provider: '192.1.3.251', type: 'cti', vmNumber: '9999' } },
    certificateDir: null,
  };
}

/** The default config with `partial` laid over it (top-level keys replace). */
export function twsConfig(partial: Partial<TwsConfig> = {}): TwsConfig {
  return { ...defaultTwsConfig(), ...partial };
}
