// Settings of the O2G front-end and its fixture users (digest 003 §7). Every [SIM] choice of the digest
// that a test may want to flip is a field here; NOTES.md explains each default.

export const licences = ['TELEPHONY_BASIC', 'TELEPHONY_ADVANCED', 'API_CONTACTCENTER_AGENT', 'API_PHONESETPROG', 'MESSAGING', 'MANAGEMENT'] as const;
export type Licence = (typeof licences)[number];

export type DeviceType = 'DECT' | 'DESKPHONE' | 'MOBILE' | 'SOFTPHONE';

export interface O2gDeviceConfig {
  /** The PBX device number; used as `deviceId` in telephony. */
  id: string;
  type: DeviceType;
  subType?: string;
}

export interface O2gAcdConfig {
  type: 'AGENT' | 'SUPERVISOR';
  /** Processing groups the operator may work in (an agent) or supervises (a supervisor). */
  groups: string[];
  preferred?: string;
  /** The agent may choose its PG at logon. */
  selfAssign?: boolean;
  headset?: boolean;
  /** Supervisor help capability (AgentConfig.help). */
  help?: boolean;
  /** After an ACD call the agent owes a transaction code (TRANSACTION_CODE_INPUT until sendaccountinfo). */
  transactionCode?: boolean;
}

export interface O2gUserConfig {
  loginName: string;
  /** The secret code checked by Basic authentication. */
  password: string;
  firstName?: string;
  lastName?: string;
  /** An administrator account: no device, may act for every user with ?loginName=. */
  admin?: boolean;
  devices: O2gDeviceConfig[];
  companyPhone?: string;
  voicemail?: { number: string; type: 'VM_4635' | 'VM_4645' | 'EXTERNAL' };
  licences: Licence[];
  acd?: O2gAcdConfig;
  /** OXE attribute A4980 (ClickAndPh) ≠ NONE: only monitored users get telephony (L6–L7). */
  monitored?: boolean;
  /** The associate number (overflow destination ASSOCIATE). */
  associate?: string;
  guiLanguage?: string;
}

export interface ProcessingGroupConfig {
  /** The PG number; the PBX core queue of the same name distributes its calls. */
  number: string;
  name: string;
  /** 0–9 reasons, indexed 1..N (L7987–L7994). */
  withdrawReasons: Array<{ index: number; label: string }>;
}

export interface O2gConfig {
  users: O2gUserConfig[];
  processingGroups: ProcessingGroupConfig[];
  /** SessionInfo.timeToLive: a session without any request for this long expires (L547). */
  timeToLiveSec: number;
  /** Interval of the KeepAlive events on channels of subscriptions with timeout 0 (L1266). */
  keepAliveIntervalMs: number;
  /** Length of one "minute" of SubscriptionRequest.timeout (tests shrink it). */
  channelMinuteMs: number;
  /** Events kept per subscription while no channel is open (oldest dropped beyond). */
  maxQueuedEvents: number;
  /** Require the JSESSIONID cookie as well as AlcUserId on every request. */
  strictCookies: boolean;
  /** Base of the public URLs (publicUrl, publicBaseUrl, publicPollingUrl), e.g. "https://public-server:8443"; null = the private base. */
  publicBaseUrl: string | null;
  /** Also serve plain HTTP (on its own port); off by default. */
  plainHttp: boolean;
  /** Run the secondary server of the HA pair. */
  secondary: boolean;
  /** Body of the "201 string" answers (makeCall, basicCall, directory search): empty, or the new callRef as a JSON string. */
  createdBody: 'empty' | 'callRef';
  productVersion: { major: string; minor: string };
  /** TELEPHONY_ADVANCED licences installed: an admin subscription may not supervise more users (L1113). */
  telephonyAdvancedLicences: number;
  /** A directory search context unused for this long is freed (L3672). */
  searchIdleMs: number;
  /** Concurrent directory searches for the whole server (L3670). */
  maxSearches: number;
  nodeId: string;
  pbxName: string;
  /** Where redirect to "DVA" sends calls; null = no DVA (400 SERVICE_NOT_PROVIDED). */
  dvaNumber: string | null;
  /** Delay of the asynchronous snapshot events after their 204. */
  snapshotDelayMs: number;
  /** Directory the certificate PEM is written to; null = a fresh temporary directory. */
  certificateDir: string | null;
  /** Request bodies larger than this are refused (400). */
  maxBodyBytes: number;
}

const vm = { number: '70999', type: 'VM_4645' as const };
const deskphone = (id: string): O2gDeviceConfig[] => [{ id, type: 'DESKPHONE', subType: 'NOE_C_Color_IP' }];

/** The digest's §7 users, the manual's literal example account internal29/alcatel29, and a third user on 70126. */
export function defaultO2gUsers(): O2gUserConfig[] {
  return [
    {
      loginName: 'agent1',
      password: '1111',
      firstName: 'Isabelle',
      lastName: 'Marchand',
      devices: deskphone('70123'),
      companyPhone: '70123',
      voicemail: vm,
      licences: ['TELEPHONY_ADVANCED', 'API_CONTACTCENTER_AGENT'],
      acd: { type: 'AGENT', groups: ['60121'], preferred: '60121', selfAssign: true, headset: false },
    },
    {
      loginName: 'agent2',
      password: '2222',
      firstName: 'Jean',
      lastName: 'Dupont',
      devices: deskphone('70125'),
      companyPhone: '70125',
      voicemail: vm,
      licences: ['TELEPHONY_ADVANCED', 'API_CONTACTCENTER_AGENT'],
      acd: { type: 'AGENT', groups: ['60121'], preferred: '60121', selfAssign: true, headset: false },
    },
    {
      loginName: 'sup1',
      password: '3333',
      firstName: 'Philippe',
      lastName: 'Renard',
      devices: deskphone('70100'),
      companyPhone: '70100',
      voicemail: vm,
      licences: ['TELEPHONY_ADVANCED', 'API_CONTACTCENTER_AGENT'],
      acd: { type: 'SUPERVISOR', groups: ['60121'], preferred: '60121', selfAssign: true, headset: false, help: true },
    },
    {
      loginName: 'basic1',
      password: '4444',
      firstName: 'Lucas',
      lastName: 'Perrot',
      devices: deskphone('70130'),
      companyPhone: '70130',
      licences: ['TELEPHONY_BASIC'],
    },
    {
      loginName: 'internal29',
      password: 'alcatel29',
      firstName: 'Marc',
      lastName: 'Vidal',
      devices: deskphone('70129'),
      companyPhone: '70129',
      voicemail: vm,
      licences: ['TELEPHONY_ADVANCED'],
    },
    {
      loginName: 'klopez',
      password: '5555',
      firstName: 'Karine',
      lastName: 'Lopez',
      devices: deskphone('70126'),
      companyPhone: '70126',
      voicemail: vm,
      licences: ['TELEPHONY_ADVANCED'],
    },
    { loginName: 'admin', password: 'admin', firstName: 'O2G', lastName: 'Administrator', admin: true, devices: [], licences: ['TELEPHONY_ADVANCED', 'MANAGEMENT'] },
  ];
}

export function defaultO2gConfig(): O2gConfig {
  return {
    users: defaultO2gUsers(),
    processingGroups: [
      {
        number: '60121',
        name: 'Service clients',
        withdrawReasons: [
          { index: 1, label: 'Lunch' },
          { index: 2, label: 'Training' },
        ],
      },
    ],
    timeToLiveSec: 600,
    keepAliveIntervalMs: 30_000,
    channelMinuteMs: 60_000,
    maxQueuedEvents: 1000,
    strictCookies: false,
    publicBaseUrl: null,
    plainHttp: false,
    secondary: true,
    createdBody: 'empty',
    productVersion: { major: '2.3', minor: '000.041' },
    telephonyAdvancedLicences: 100,
    searchIdleMs: 60_000,
    maxSearches: 100,
    nodeId: '1',
    pbxName: 'OXE-LAB',
    dvaNumber: null,
    snapshotDelayMs: 20,
    certificateDir: null,
    maxBodyBytes: 1024 * 1024,
  };
}

/** The default config with `partial` laid over it (top-level keys replace). */
export function o2gConfig(partial: Partial<O2gConfig> = {}): O2gConfig {
  return { ...defaultO2gConfig(), ...partial };
}
