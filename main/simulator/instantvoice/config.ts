// The InstantVoice lab ACD's configuration and default fixture (digest 004 §8 plus what the guide's literal
// examples use, so that those examples sent as written find their agents, queues and SIP users).
// Everything partial-overridable, as the TWS front-end's config: top-level keys replace.

/** The 41 integration methods (digest §4.1, all "STOMP, WSDL"). */
export const ivMethods = [
  'AgentAdd', 'AgentDelete', 'AgentModify', 'AgentList', 'AgentInfo',
  'AgentLineAdd', 'AgentLineDelete', 'AgentLineModify', 'AgentLineList',
  'AgentQueueAdd', 'AgentQueueDelete', 'AgentQueueModify', 'AgentQueueList', 'AgentQueueMembers',
  'AgentAddPermission', 'AgentDeletePermission', 'AgentModifyPermission', 'AgentInfoPermission',
  'AgentLogin', 'AgentLogoff', 'AgentPause', 'AgentUnpause',
  'BlindTransfer', 'NewCall', 'SendSms', 'NewCallBack', 'Hangup',
  'QueueAdd', 'QueueModify', 'QueueDelete', 'QueueList', 'QueueInfo',
  'SipUserAdd', 'SipUserModify', 'SipUserDelete', 'SipUserList', 'SipUserInfo',
  'SipUserAddPermission', 'SipUserDeletePermission', 'SipUserModifyPermission', 'SipUserInfoPermission',
] as const;
export type IvMethod = (typeof ivMethods)[number];

export interface IvKeyConfig {
  /** Alphanumeric, at most 20 characters (guide §1.3). */
  key: string;
  /** Methods this key may call; '*' = all. */
  methods: '*' | IvMethod[];
}

export interface IvLineFixture {
  linenumber: number;
  inbound?: 0 | 1;
  outbound?: 0 | 1;
}

export interface IvAgentFixture {
  accountcode: string;
  /** Digit string, kept as a string ("0001" stays "0001"). */
  user: string;
  pass?: string;
  name?: string;
  /** Default: line 1, inbound and outbound. */
  lines?: IvLineFixture[];
  queues?: Array<{ name: string; priority: number }>;
  /** Permission group. */
  location?: string;
  disabled?: boolean;
}

export interface IvQueueFixture {
  accountcode: string;
  name: string;
  /** Any QueueAdd field over the documented defaults (description, sl_answeredbefore_1, dialtimeout, …). */
  fields?: Record<string, string | number>;
}

export interface IvSipUserFixture {
  accountcode: string;
  name: string;
  fields?: Record<string, string | number>;
  location?: string;
}

export interface InstantVoiceConfig {
  /** The pre-created accountcodes (the API cannot create them). */
  accountcodes: string[];
  keys: IvKeyConfig[];
  agents: IvAgentFixture[];
  queues: IvQueueFixture[];
  sipUsers: IvSipUserFixture[];
  /** Telephony/Agent Pauses: number → description (shown in the PAUSE event's `direction`). */
  pauseReasons: Record<string, string>;
  /** Permission groups that exist (`location`). */
  permissionGroups: string[];
  /** Add the non-guide key "reason" to HANGUP events (digest §5.3 [SIM]). */
  hangupReason: boolean;
  /** Middle part of every uniqueid (`<epoch>.<mediaServer>.<n>`). */
  mediaServer: number;
  /** Argument names: exact as documented only (true), or also case-insensitively (false, default). */
  strictArgNames: boolean;
  /** Larger STOMP request bodies are dropped (bytes). */
  maxRequestBytes: number;
  /** NewCallBack languages accepted (guide: "either pt_BR or en_US"). */
  callbackLanguages: string[];
}

export function defaultInstantVoiceConfig(): InstantVoiceConfig {
  const q = (accountcode: string, name: string, fields: Record<string, string | number> = {}): IvQueueFixture => ({ accountcode, name, fields });
  return {
    accountcodes: ['default', 'instant'],
    keys: [
      { key: 'f054bbd2f5ebab9', methods: '*' },
      { key: '1234', methods: '*' },
      { key: 'mykey', methods: '*' },
      { key: 'lim1234', methods: ['AgentList'] },
    ],
    agents: [
      { accountcode: 'default', user: '1001', pass: '1234', name: 'Ana Lima', lines: [{ linenumber: 1 }], queues: [{ name: '1', priority: 0 }] },
      { accountcode: 'default', user: '1002', pass: '1234', name: 'Bruno Costa', lines: [{ linenumber: 1 }], queues: [{ name: '1', priority: 0 }] },
      // The guide's configuration examples address agent "0001" (SOAP AgentInfo reply: passwd 456, "Foo Agent").
      { accountcode: 'default', user: '0001', pass: '456', name: 'Foo Agent', lines: [{ linenumber: 1 }], queues: [{ name: '5', priority: 0 }] },
    ],
    queues: [
      q('default', '1'),
      q('default', '5'),
      q('default', '7012', { description: 'Technical Support Queue', sl_answeredbefore_3: 90, requiresendinfo: 'no' }),
      // The SOAP QueueInfo example asks for queue 1000.
      q('default', '1000'),
    ],
    sipUsers: [
      { accountcode: 'default', name: '0001', fields: { secret: 'creative-password' } },
      { accountcode: 'default', name: '0002' },
      { accountcode: 'default', name: '0003' },
      // The SIP-user permission examples use 1111.
      { accountcode: 'default', name: '1111' },
    ],
    pauseReasons: { '1': 'Lunch', '2': 'Break' },
    permissionGroups: ['123', 'otherpermissiongroup'],
    hangupReason: true,
    mediaServer: 1,
    strictArgNames: false,
    maxRequestBytes: 256 * 1024,
    callbackLanguages: ['pt_BR', 'en_US'],
  };
}

export function instantVoiceConfig(partial: Partial<InstantVoiceConfig> = {}): InstantVoiceConfig {
  return { ...defaultInstantVoiceConfig(), ...partial };
}

/** The PBX core devices an InstantVoice lab needs: the SIP users' sets (interface SIP/<acc>_<name> = device <name>). */
export function instantVoiceDevices(config: InstantVoiceConfig = defaultInstantVoiceConfig()): string[] {
  return [...new Set(config.sipUsers.map((s) => s.name))];
}
