// The profile editor's form model: every field as the agent types it (strings for numbers),
// converted to a Profile and checked with the shared zod schema, errors keyed by form field.
// The draft carries the fields of every vendor, so switching the vendor back and forth in the
// editor loses nothing; only the selected vendor's fields become the profile's connection.
import type { ServerLogin } from '../../shared/bridge.js';
import { MAX_QUICK_CONNECTS, Profile, ProfileSecret, twsFeeds, type Connection, type CtipsConnection, type InstantVoiceConnection, type PauseReason, type TwsConnection, type TwsFeed } from '../../shared/profile.js';
import { validatePopTemplate } from '../../shared/screenpop.js';

export type ConnectionVendor = Connection['vendor'];
export const connectionVendors: readonly ConnectionVendor[] = ['telservices', 'o2g', 'tws', 'instantvoice', 'ctips'];

/** One TWS event feed in the editor's ordered list: the connector tries the enabled ones in this order. */
export interface FeedChoice {
  feed: TwsFeed;
  on: boolean;
}

/** One CTIPS portal in the editor's failover list. */
export interface PortalDraft {
  host: string;
  port: string;
  https: boolean;
}

/** One site code (logout reason, disposition, reject reason) as typed: the number and its label. */
export interface CodeDraft {
  id: string;
  label: string;
}

/** The CTIPS code lists, and the portal list: edited row by row, errors keyed `<list>.<row>.<field>`. */
export type CodeListField = 'ctLogoutReasons' | 'ctDispositions' | 'ctRejectReasons';
export type RowListField = CodeListField | 'ctPortals';
export type RowErrorKey = `${RowListField}.${number}.${string}`;

/** The key of one row field's error, e.g. `ctPortals.0.host`. */
export const rowErrorKey = (list: RowListField, row: number, field: string): RowErrorKey => `${list}.${row}.${field}`;

export interface ProfileDraft {
  vendor: ConnectionVendor;
  id: string;
  name: string;
  device: string;
  agentId: string;
  // TelServices
  host: string;
  port: string;
  transport: 'tcp' | 'http';
  events: 'udp' | 'longPoll';
  udpPort: string;
  udpBind: string;
  endOfPdu: string;
  sessionTimeoutSec: string;
  // O2G
  primaryHost: string;
  primaryPort: string;
  primaryHttps: boolean;
  /** High availability: a secondary server is configured. */
  secondaryEnabled: boolean;
  secondaryHost: string;
  secondaryPort: string;
  secondaryHttps: boolean;
  login: string;
  applicationName: string;
  urls: 'internal' | 'public';
  tlsCaFile: string;
  tlsPinSha256: string;
  channelTimeoutMin: string;
  channelIdleSec: string;
  processingGroup: string;
  // TWS
  twsHost: string;
  twsPort: string;
  twsHttps: boolean;
  twsApi: TwsConnection['api'];
  twsAuth: TwsConnection['auth'];
  twsUsername: string;
  twsAdminUsername: string;
  /** Every feed once, most preferred first; only the enabled ones become the connection's `feeds`. */
  twsFeeds: FeedChoice[];
  twsTcpPort: string;
  twsWsPort: string;
  twsWss: boolean;
  twsPbx: TwsConnection['pbx'];
  twsAgentGroup: string;
  twsUnparkPrefix: string;
  /** Device numbers separated by commas, semicolons, spaces or new lines. */
  twsColleagues: string;
  twsTlsCaFile: string;
  twsTlsPinSha256: string;
  // InstantVoice
  ivHost: string;
  ivPort: string;
  ivBrokerUser: string;
  ivVhost: string;
  ivAccountcode: string;
  /** `TECH/name`; empty = `SIP/<accountcode>_<device>`. */
  ivInterface: string;
  ivRole: InstantVoiceConnection['role'];
  /** One pause per line: `1 = Lunch`. */
  ivPauseReasons: string;
  /** Empty = the broker's host. */
  ivwsHost: string;
  ivwsPort: string;
  ivwsHttps: boolean;
  ivHeartbeatMs: string;
  // CTIPS
  /** The portals in failover order. */
  ctPortals: PortalDraft[];
  ctUserName: string;
  ctTenantId: string;
  ctBindHost: string;
  ctCallbackPort: string;
  /** Empty = the listen address. */
  ctAdvertisedHost: string;
  ctCertFile: string;
  ctKeyFile: string;
  /** Host names separated by commas, semicolons, spaces or new lines; empty = the portals' hosts. */
  ctAllowedHosts: string;
  ctInitialState: CtipsConnection['initialState'];
  ctMultiLine: boolean;
  ctRole: CtipsConnection['role'];
  ctLogoutReasons: CodeDraft[];
  ctDispositions: CodeDraft[];
  ctRejectReasons: CodeDraft[];
  ctHeartbeatSec: string;
  ctHeartbeatMissed: string;
  /** The wire profile: '' (or an empty text) keeps the default. */
  ctSoapVersion: '' | NonNullable<CtipsConnection['wire']['soapVersion']>;
  ctRequestNamespace: string;
  ctCallbackNamespace: string;
  ctDataNamespace: string;
  ctRequestPath: string;
  ctCallbackPath: string;
  ctFieldOrder: '' | NonNullable<CtipsConnection['wire']['fieldOrder']>;
  ctWsAddressing: '' | 'on' | 'off';
  ctTlsCaFile: string;
  ctTlsPinSha256: string;
  /** Connect through a site gateway instead of the portals. */
  ctGatewayEnabled: boolean;
  ctGatewayHost: string;
  ctGatewayPort: string;
  ctGatewayHttps: boolean;
  // Every vendor
  keepAliveSec: string;
  commandTimeoutMs: string;
  popUrlTemplate: string;
  popAutoOpen: boolean;
  trace: boolean;
  /** One reason per line. */
  notReadyReasons: string;
  /** One per line: "Label = number", or a number alone. */
  quickConnects: string;
}

export type DraftField = keyof ProfileDraft;
export type DraftErrors = Partial<Record<DraftField | 'form' | RowErrorKey, string>>;

/** Schema paths (joined with '.') → the form field that edits them. */
const fieldOfPath: Record<string, DraftField> = {
  id: 'id',
  name: 'name',
  device: 'device',
  agentId: 'agentId',
  'connection.vendor': 'vendor',
  'connection.host': 'host',
  'connection.port': 'port',
  'connection.transport': 'transport',
  'connection.events': 'events',
  'connection.udpPort': 'udpPort',
  'connection.udpBind': 'udpBind',
  'connection.endOfPdu': 'endOfPdu',
  'connection.sessionTimeoutSec': 'sessionTimeoutSec',
  'connection.primary.host': 'primaryHost',
  'connection.primary.port': 'primaryPort',
  'connection.primary.https': 'primaryHttps',
  'connection.secondary.host': 'secondaryHost',
  'connection.secondary.port': 'secondaryPort',
  'connection.secondary.https': 'secondaryHttps',
  'connection.login': 'login',
  'connection.applicationName': 'applicationName',
  'connection.urls': 'urls',
  'connection.tls.caFile': 'tlsCaFile',
  'connection.tls.pinSha256': 'tlsPinSha256',
  'connection.channelTimeoutMin': 'channelTimeoutMin',
  'connection.channelIdleSec': 'channelIdleSec',
  'connection.processingGroup': 'processingGroup',
  // TWS (the same schema paths as TelServices' host and port: told apart by the vendor)
  'connection.https': 'twsHttps',
  'connection.api': 'twsApi',
  'connection.auth': 'twsAuth',
  'connection.username': 'twsUsername',
  'connection.adminUsername': 'twsAdminUsername',
  'connection.feeds': 'twsFeeds',
  'connection.tcpPort': 'twsTcpPort',
  'connection.wsPort': 'twsWsPort',
  'connection.wss': 'twsWss',
  'connection.pbx': 'twsPbx',
  'connection.agentGroup': 'twsAgentGroup',
  'connection.unparkPrefix': 'twsUnparkPrefix',
  'connection.colleagues': 'twsColleagues',
  // InstantVoice (host and port: see ivFieldOfPath)
  'connection.brokerUser': 'ivBrokerUser',
  'connection.vhost': 'ivVhost',
  'connection.accountcode': 'ivAccountcode',
  'connection.interface': 'ivInterface',
  'connection.role': 'ivRole',
  'connection.pauseReasons': 'ivPauseReasons',
  'connection.ivws.host': 'ivwsHost',
  'connection.ivws.port': 'ivwsPort',
  'connection.ivws.https': 'ivwsHttps',
  'connection.heartbeatMs': 'ivHeartbeatMs',
  keepAliveSec: 'keepAliveSec',
  commandTimeoutMs: 'commandTimeoutMs',
  'screenPop.urlTemplate': 'popUrlTemplate',
  'screenPop.autoOpen': 'popAutoOpen',
  trace: 'trace',
  notReadyReasons: 'notReadyReasons',
  quickConnects: 'quickConnects',
};

/** TWS paths that share a schema path with another vendor's field. */
const twsFieldOfPath: Record<string, DraftField> = {
  'connection.host': 'twsHost',
  'connection.port': 'twsPort',
  'connection.tls.caFile': 'twsTlsCaFile',
  'connection.tls.pinSha256': 'twsTlsPinSha256',
};

/** CTIPS paths (all of them: several share a schema path with another vendor's field). */
const ctipsFieldOfPath: Record<string, DraftField> = {
  'connection.vendor': 'vendor',
  'connection.portals': 'ctPortals',
  'connection.userName': 'ctUserName',
  'connection.tenantId': 'ctTenantId',
  'connection.callback.bindHost': 'ctBindHost',
  'connection.callback.port': 'ctCallbackPort',
  'connection.callback.advertisedHost': 'ctAdvertisedHost',
  'connection.callback.certFile': 'ctCertFile',
  'connection.callback.keyFile': 'ctKeyFile',
  'connection.allowedHosts': 'ctAllowedHosts',
  'connection.initialState': 'ctInitialState',
  'connection.multiLine': 'ctMultiLine',
  'connection.role': 'ctRole',
  'connection.logoutReasons': 'ctLogoutReasons',
  'connection.dispositions': 'ctDispositions',
  'connection.rejectReasons': 'ctRejectReasons',
  'connection.heartbeat.intervalSec': 'ctHeartbeatSec',
  'connection.heartbeat.missed': 'ctHeartbeatMissed',
  'connection.wire.soapVersion': 'ctSoapVersion',
  'connection.wire.requestNamespace': 'ctRequestNamespace',
  'connection.wire.callbackNamespace': 'ctCallbackNamespace',
  'connection.wire.dataNamespace': 'ctDataNamespace',
  'connection.wire.requestPath': 'ctRequestPath',
  'connection.wire.callbackPath': 'ctCallbackPath',
  'connection.wire.fieldOrder': 'ctFieldOrder',
  'connection.wire.wsAddressing': 'ctWsAddressing',
  'connection.tls.caFile': 'ctTlsCaFile',
  'connection.tls.pinSha256': 'ctTlsPinSha256',
  'connection.gateway.host': 'ctGatewayHost',
  'connection.gateway.port': 'ctGatewayPort',
  'connection.gateway.https': 'ctGatewayHttps',
};

/** CTIPS lists edited row by row: schema list name → draft field. */
const ctipsRowLists: Record<string, RowListField> = {
  portals: 'ctPortals',
  logoutReasons: 'ctLogoutReasons',
  dispositions: 'ctDispositions',
  rejectReasons: 'ctRejectReasons',
};

/** CTIPS defaults (as the schema has them) and the wire profile's defaults, shown as placeholders. */
export const ctipsDefaults = {
  portalPort: '8700',
  tenantId: '1',
  bindHost: '0.0.0.0',
  callbackPort: '0',
  heartbeatSec: '30',
  heartbeatMissed: '3',
  gatewayPort: '8780',
} as const;
export const ctipsWireDefaults = {
  soapVersion: '1.1',
  requestNamespace: 'http://tempuri.org/',
  callbackNamespace: 'http://tempuri.org/',
  dataNamespace: 'http://schemas.datacontract.org/2004/07/Aspect.UnifiedIP.CTIPS',
  requestPath: '/CTIPortal/AgentCallService',
  callbackPath: '/www.aspect.com/PublishEvents',
  fieldOrder: 'documented',
  wsAddressing: 'on',
} as const;

/** The schema's limits. */
export const MAX_CTIPS_PORTALS = 4;
export const MAX_CTIPS_CODES = 64;

/** The CTIPS fields hidden while connecting through a gateway (the portal side). */
export const ctipsPortalOnlyFields: readonly DraftField[] = [
  'ctPortals',
  'ctUserName',
  'ctTenantId',
  'ctBindHost',
  'ctCallbackPort',
  'ctAdvertisedHost',
  'ctCertFile',
  'ctKeyFile',
  'ctAllowedHosts',
  'ctHeartbeatSec',
  'ctHeartbeatMissed',
  'ctSoapVersion',
  'ctRequestNamespace',
  'ctCallbackNamespace',
  'ctDataNamespace',
  'ctRequestPath',
  'ctCallbackPath',
  'ctFieldOrder',
  'ctWsAddressing',
  'ctTlsCaFile',
  'ctTlsPinSha256',
];

export const emptyPortal = (): PortalDraft => ({ host: '', port: ctipsDefaults.portalPort, https: false });
export const emptyCode = (): CodeDraft => ({ id: '', label: '' });

/** Move one row up (-1) or down (+1); at an end, nothing moves. */
export function moveRow<T>(list: readonly T[], at: number, by: -1 | 1): T[] {
  const to = at + by;
  if (at < 0 || at >= list.length || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  [next[at], next[to]] = [next[to] as T, next[at] as T];
  return next;
}

export const removeRow = <T>(list: readonly T[], at: number): T[] => list.filter((_, i) => i !== at);
export const updateRow = <T>(list: readonly T[], at: number, patch: Partial<T>): T[] => list.map((r, i) => (i === at ? { ...r, ...patch } : r));

/** InstantVoice paths that share a schema path with another vendor's field. */
const ivFieldOfPath: Record<string, DraftField> = {
  'connection.host': 'ivHost',
  'connection.port': 'ivPort',
};

const O2G_HTTPS_PORT = '443';
const O2G_HTTP_PORT = '80';

/** TWS defaults (as the schema has them) and the ports a TWS server uses with TLS. */
export const twsPorts = { http: '9001', https: '9011', tcp: '9004', ws: '9003', wss: '9013' } as const;

/** InstantVoice defaults (as the schema has them). */
export const ivDefaults = { port: '61613', brokerUser: 'instantvoice', vhost: '/', accountcode: 'default', ivwsPort: '7789', heartbeatMs: '10000' } as const;

/** The pause list's limit (the schema's). */
export const MAX_PAUSE_REASONS = 64;

/** What each InstantVoice role gives the desktop, one line each. */
export const ivRoleHints: Record<InstantVoiceConnection['role'], string> = {
  agent: 'The agent’s own calls and agent state.',
  supervisor: 'Also every agent of the account live, in the Team panel.',
  admin: 'Also the Admin tab: agents, lines, queues, SIP users and permission groups on IVWS.',
};

/** The interface the agent answers on when the field is left empty, as the connector derives it. */
export function ivDefaultInterface(accountcode: string, device: string): string {
  return `SIP/${accountcode.trim() || ivDefaults.accountcode}_${device.trim() || '<device>'}`;
}

/**
 * Pause reasons as typed, one per line: `1 = Lunch` (the number AgentPause takes, then the label).
 * Blank lines are skipped; the first problem is reported with its line number.
 */
export function parsePauseReasons(text: string): { reasons: PauseReason[]; error: string | undefined } {
  const reasons: PauseReason[] = [];
  const seen = new Map<string, number>();
  let error: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line) continue;
    const at = `line ${i + 1}: `;
    const eq = line.indexOf('=');
    const id = eq < 0 ? '' : line.slice(0, eq).trim();
    const label = eq < 0 ? '' : line.slice(eq + 1).trim();
    if (eq < 0) error ??= `${at}write it as “number = label”, e.g. 1 = Lunch`;
    else if (!/^[0-9]{1,9}$/.test(id)) error ??= `${at}the pause number must be digits (at most 9)`;
    else if (!label) error ??= `${at}the label is missing`;
    else if (label.length > 64) error ??= `${at}the label is longer than 64 characters`;
    else if (seen.has(id)) error ??= `${at}number ${id} is already used on line ${seen.get(id)}`;
    else {
      seen.set(id, i + 1);
      reasons.push({ id, label });
    }
  }
  if (reasons.length > MAX_PAUSE_REASONS) error ??= `At most ${MAX_PAUSE_REASONS} pause reasons`;
  return { reasons, error };
}

/** The same list written back into the field. */
export const formatPauseReasons = (reasons: readonly PauseReason[]): string => reasons.map((r) => `${r.id} = ${r.label}`).join('\n');

/** The colleague list's limit (the schema's). */
export const MAX_COLLEAGUES = 200;

const defaultFeeds = (): FeedChoice[] => twsFeeds.map((feed) => ({ feed, on: true }));

/** The editor's list from a profile's feeds: the enabled ones in their order, then the others, off. */
export function feedChoices(feeds: readonly TwsFeed[]): FeedChoice[] {
  return [...feeds.map((feed) => ({ feed, on: true })), ...twsFeeds.filter((f) => !feeds.includes(f)).map((feed) => ({ feed, on: false }))];
}

/** Move one feed up (-1) or down (+1) in the preference order; at an end, nothing moves. */
export function moveFeed(list: readonly FeedChoice[], feed: TwsFeed, by: -1 | 1): FeedChoice[] {
  const at = list.findIndex((c) => c.feed === feed);
  const to = at + by;
  if (at < 0 || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  [next[at], next[to]] = [next[to] as FeedChoice, next[at] as FeedChoice];
  return next;
}

/** Turn one feed on or off. */
export function toggleFeed(list: readonly FeedChoice[], feed: TwsFeed, on: boolean): FeedChoice[] {
  return list.map((c) => (c.feed === feed ? { ...c, on } : c));
}

/** Colleagues' device numbers as typed: separated by commas, semicolons, spaces or new lines. */
export function parseColleagues(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** The same list written back into the field. */
export const formatColleagues = (numbers: readonly string[]): string => numbers.join(', ');

export function emptyDraft(vendor: ConnectionVendor = 'telservices'): ProfileDraft {
  return {
    vendor,
    id: '',
    name: '',
    device: '',
    agentId: '',
    host: '',
    port: '',
    transport: 'tcp',
    events: 'udp',
    udpPort: '0',
    udpBind: '0.0.0.0',
    endOfPdu: '',
    sessionTimeoutSec: '120',
    primaryHost: '',
    primaryPort: O2G_HTTPS_PORT,
    primaryHttps: true,
    secondaryEnabled: false,
    secondaryHost: '',
    secondaryPort: O2G_HTTPS_PORT,
    secondaryHttps: true,
    login: '',
    applicationName: 'AgentDesktop',
    urls: 'internal',
    tlsCaFile: '',
    tlsPinSha256: '',
    channelTimeoutMin: '0',
    channelIdleSec: '90',
    processingGroup: '',
    twsHost: '',
    twsPort: twsPorts.http,
    twsHttps: false,
    twsApi: 'json',
    twsAuth: 'user',
    twsUsername: '',
    twsAdminUsername: '',
    twsFeeds: defaultFeeds(),
    twsTcpPort: twsPorts.tcp,
    twsWsPort: twsPorts.ws,
    twsWss: false,
    twsPbx: 'alcatel',
    twsAgentGroup: '',
    twsUnparkPrefix: '402',
    twsColleagues: '',
    twsTlsCaFile: '',
    twsTlsPinSha256: '',
    ivHost: '',
    ivPort: ivDefaults.port,
    ivBrokerUser: ivDefaults.brokerUser,
    ivVhost: ivDefaults.vhost,
    ivAccountcode: ivDefaults.accountcode,
    ivInterface: '',
    ivRole: 'agent',
    ivPauseReasons: '',
    ivwsHost: '',
    ivwsPort: ivDefaults.ivwsPort,
    ivwsHttps: false,
    ivHeartbeatMs: ivDefaults.heartbeatMs,
    ctPortals: [emptyPortal()],
    ctUserName: '',
    ctTenantId: ctipsDefaults.tenantId,
    ctBindHost: ctipsDefaults.bindHost,
    ctCallbackPort: ctipsDefaults.callbackPort,
    ctAdvertisedHost: '',
    ctCertFile: '',
    ctKeyFile: '',
    ctAllowedHosts: '',
    ctInitialState: 'NotReady',
    ctMultiLine: false,
    ctRole: 'agent',
    ctLogoutReasons: [],
    ctDispositions: [],
    ctRejectReasons: [],
    ctHeartbeatSec: ctipsDefaults.heartbeatSec,
    ctHeartbeatMissed: ctipsDefaults.heartbeatMissed,
    ctSoapVersion: '',
    ctRequestNamespace: '',
    ctCallbackNamespace: '',
    ctDataNamespace: '',
    ctRequestPath: '',
    ctCallbackPath: '',
    ctFieldOrder: '',
    ctWsAddressing: '',
    ctTlsCaFile: '',
    ctTlsPinSha256: '',
    ctGatewayEnabled: false,
    ctGatewayHost: '',
    ctGatewayPort: ctipsDefaults.gatewayPort,
    ctGatewayHttps: true,
    keepAliveSec: '15',
    commandTimeoutMs: '8000',
    popUrlTemplate: '',
    popAutoOpen: false,
    trace: false,
    notReadyReasons: '',
    quickConnects: '',
  };
}

export function draftFromProfile(p: Profile): ProfileDraft {
  const c = p.connection;
  const common: ProfileDraft = {
    ...emptyDraft(c.vendor),
    id: p.id,
    name: p.name,
    device: p.device,
    agentId: p.agentId,
    keepAliveSec: String(p.keepAliveSec),
    commandTimeoutMs: String(p.commandTimeoutMs),
    popUrlTemplate: p.screenPop.urlTemplate,
    popAutoOpen: p.screenPop.autoOpen,
    trace: p.trace,
    notReadyReasons: p.notReadyReasons.join('\n'),
    quickConnects: p.quickConnects.map((q) => (q.label === q.number ? q.number : `${q.label} = ${q.number}`)).join('\n'),
  };
  if (c.vendor === 'telservices') {
    return {
      ...common,
      host: c.host,
      port: String(c.port),
      transport: c.transport,
      events: c.events,
      udpPort: String(c.udpPort),
      udpBind: c.udpBind,
      endOfPdu: c.endOfPdu ?? '',
      sessionTimeoutSec: String(c.sessionTimeoutSec),
    };
  }
  if (c.vendor === 'tws') {
    return {
      ...common,
      twsHost: c.host,
      twsPort: String(c.port),
      twsHttps: c.https,
      twsApi: c.api,
      twsAuth: c.auth,
      twsUsername: c.username,
      twsAdminUsername: c.adminUsername,
      twsFeeds: feedChoices(c.feeds),
      twsTcpPort: String(c.tcpPort),
      twsWsPort: String(c.wsPort),
      twsWss: c.wss,
      twsPbx: c.pbx,
      twsAgentGroup: c.agentGroup,
      twsUnparkPrefix: c.unparkPrefix,
      twsColleagues: formatColleagues(c.colleagues),
      twsTlsCaFile: c.tls.caFile ?? '',
      twsTlsPinSha256: c.tls.pinSha256 ?? '',
    };
  }
  if (c.vendor === 'instantvoice') {
    return {
      ...common,
      ivHost: c.host,
      ivPort: String(c.port),
      ivBrokerUser: c.brokerUser,
      ivVhost: c.vhost,
      ivAccountcode: c.accountcode,
      ivInterface: c.interface,
      ivRole: c.role,
      ivPauseReasons: formatPauseReasons(c.pauseReasons),
      ivwsHost: c.ivws.host,
      ivwsPort: String(c.ivws.port),
      ivwsHttps: c.ivws.https,
      ivHeartbeatMs: String(c.heartbeatMs),
    };
  }
  if (c.vendor === 'ctips') {
    const codes = (list: readonly { id: string; label: string }[]): CodeDraft[] => list.map((r) => ({ id: r.id, label: r.label }));
    return {
      ...common,
      ctPortals: c.portals.map((p) => ({ host: p.host, port: String(p.port), https: p.https })),
      ctUserName: c.userName,
      ctTenantId: String(c.tenantId),
      ctBindHost: c.callback.bindHost,
      ctCallbackPort: String(c.callback.port),
      ctAdvertisedHost: c.callback.advertisedHost,
      ctCertFile: c.callback.certFile ?? '',
      ctKeyFile: c.callback.keyFile ?? '',
      ctAllowedHosts: formatColleagues(c.allowedHosts),
      ctInitialState: c.initialState,
      ctMultiLine: c.multiLine,
      ctRole: c.role,
      ctLogoutReasons: codes(c.logoutReasons),
      ctDispositions: codes(c.dispositions),
      ctRejectReasons: codes(c.rejectReasons),
      ctHeartbeatSec: String(c.heartbeat.intervalSec),
      ctHeartbeatMissed: String(c.heartbeat.missed),
      ctSoapVersion: c.wire.soapVersion ?? '',
      ctRequestNamespace: c.wire.requestNamespace ?? '',
      ctCallbackNamespace: c.wire.callbackNamespace ?? '',
      ctDataNamespace: c.wire.dataNamespace ?? '',
      ctRequestPath: c.wire.requestPath ?? '',
      ctCallbackPath: c.wire.callbackPath ?? '',
      ctFieldOrder: c.wire.fieldOrder ?? '',
      ctWsAddressing: c.wire.wsAddressing === undefined ? '' : c.wire.wsAddressing ? 'on' : 'off',
      ctTlsCaFile: c.tls.caFile ?? '',
      ctTlsPinSha256: c.tls.pinSha256 ?? '',
      ctGatewayEnabled: c.gateway !== null,
      ...(c.gateway ? { ctGatewayHost: c.gateway.host, ctGatewayPort: String(c.gateway.port), ctGatewayHttps: c.gateway.https } : {}),
    };
  }
  return {
    ...common,
    primaryHost: c.primary.host,
    primaryPort: String(c.primary.port),
    primaryHttps: c.primary.https,
    secondaryEnabled: c.secondary !== null,
    ...(c.secondary ? { secondaryHost: c.secondary.host, secondaryPort: String(c.secondary.port), secondaryHttps: c.secondary.https } : {}),
    login: c.login,
    applicationName: c.applicationName,
    urls: c.urls,
    tlsCaFile: c.tls.caFile ?? '',
    tlsPinSha256: c.tls.pinSha256 ?? '',
    channelTimeoutMin: String(c.channelTimeoutMin),
    channelIdleSec: String(c.channelIdleSec),
    processingGroup: c.processingGroup,
  };
}

/** Empty number fields become undefined so the schema reports them (or applies its default). */
const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

/**
 * A certificate fingerprint as people paste it: `openssl`'s "sha256 Fingerprint=AB:CD:…", bare hex,
 * or bytes separated by spaces or dashes, become colon-separated hex. Anything else is kept for
 * the schema to report. The case is kept as typed.
 */
export function normalizeFingerprint(text: string): string {
  const s = text.trim().replace(/^(sha-?256\s+)?fingerprint\s*=\s*/i, '');
  const bare = s.replace(/[\s:-]/g, '');
  return /^[0-9A-Fa-f]{64}$/.test(bare) ? (bare.match(/../g) ?? []).join(':') : s;
}

/** Toggling HTTPS moves a port still at the other scheme's default along with it. */
export function portForScheme(port: string, https: boolean, defaults: { plain: string; tls: string } = { plain: O2G_HTTP_PORT, tls: O2G_HTTPS_PORT }): string {
  if (https && port.trim() === defaults.plain) return defaults.tls;
  if (!https && port.trim() === defaults.tls) return defaults.plain;
  return port;
}

/** TWS: the web-service port follows HTTPS (9001 ↔ 9011), the WebSocket port follows WSS (9003 ↔ 9013). */
export const twsWebPortFor = (port: string, https: boolean): string => portForScheme(port, https, { plain: twsPorts.http, tls: twsPorts.https });
export const twsWsPortFor = (port: string, wss: boolean): string => portForScheme(port, wss, { plain: twsPorts.ws, tls: twsPorts.wss });

const tlsInput = (caFileText: string, pinText: string) => {
  const caFile = caFileText.trim();
  const pin = normalizeFingerprint(pinText);
  return { ...(caFile ? { caFile } : {}), ...(pin ? { pinSha256: pin } : {}) };
};

function connectionInput(d: ProfileDraft, base?: Profile): Record<string, unknown> {
  // Fields the form does not show (event update mode, half-close) are kept from the profile being
  // edited, as long as it stays with the same vendor.
  const kept = base?.connection.vendor === d.vendor ? base.connection : {};
  if (d.vendor === 'telservices') {
    return {
      ...kept,
      vendor: 'telservices',
      host: d.host,
      port: num(d.port),
      transport: d.transport,
      events: d.events,
      udpPort: num(d.udpPort),
      udpBind: d.udpBind,
      endOfPdu: d.endOfPdu === '' ? null : d.endOfPdu,
      sessionTimeoutSec: num(d.sessionTimeoutSec),
    };
  }
  if (d.vendor === 'tws') {
    return {
      ...kept,
      vendor: 'tws',
      host: d.twsHost,
      port: num(d.twsPort),
      https: d.twsHttps,
      api: d.twsApi,
      auth: d.twsAuth,
      username: d.twsUsername,
      // Only administrator sign-in uses it; the draft keeps it while the mode is switched back and forth.
      adminUsername: d.twsAuth === 'admin' ? d.twsAdminUsername : '',
      feeds: d.twsFeeds.filter((c) => c.on).map((c) => c.feed),
      tcpPort: num(d.twsTcpPort),
      wsPort: num(d.twsWsPort),
      wss: d.twsWss,
      pbx: d.twsPbx,
      agentGroup: d.twsAgentGroup,
      unparkPrefix: d.twsUnparkPrefix,
      colleagues: parseColleagues(d.twsColleagues),
      tls: tlsInput(d.twsTlsCaFile, d.twsTlsPinSha256),
    };
  }
  if (d.vendor === 'instantvoice') {
    return {
      ...kept,
      vendor: 'instantvoice',
      host: d.ivHost,
      port: num(d.ivPort),
      brokerUser: d.ivBrokerUser,
      vhost: d.ivVhost,
      accountcode: d.ivAccountcode,
      interface: d.ivInterface,
      role: d.ivRole,
      // Lines that do not parse are left out here and reported by crossFieldErrors.
      pauseReasons: parsePauseReasons(d.ivPauseReasons).reasons,
      ivws: { host: d.ivwsHost.trim(), port: num(d.ivwsPort), https: d.ivwsHttps },
      heartbeatMs: num(d.ivHeartbeatMs),
    };
  }
  if (d.vendor === 'ctips') return ctipsConnectionInput(d, kept as Partial<CtipsConnection>);
  return {
    ...kept,
    vendor: 'o2g',
    primary: { host: d.primaryHost, port: num(d.primaryPort), https: d.primaryHttps },
    secondary: d.secondaryEnabled ? { host: d.secondaryHost, port: num(d.secondaryPort), https: d.secondaryHttps } : null,
    login: d.login,
    applicationName: d.applicationName,
    urls: d.urls,
    tls: tlsInput(d.tlsCaFile, d.tlsPinSha256),
    channelTimeoutMin: num(d.channelTimeoutMin),
    channelIdleSec: num(d.channelIdleSec),
    processingGroup: d.processingGroup,
  };
}

/** Empty text = the setting is left out (the wire profile's default applies). */
const optionalText = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

function ctipsConnectionInput(d: ProfileDraft, kept: Partial<CtipsConnection>): Record<string, unknown> {
  const gateway = d.ctGatewayEnabled;
  const wire = {
    ...(d.ctSoapVersion ? { soapVersion: d.ctSoapVersion } : {}),
    ...(optionalText(d.ctRequestNamespace) ? { requestNamespace: optionalText(d.ctRequestNamespace) } : {}),
    ...(optionalText(d.ctCallbackNamespace) ? { callbackNamespace: optionalText(d.ctCallbackNamespace) } : {}),
    ...(optionalText(d.ctDataNamespace) ? { dataNamespace: optionalText(d.ctDataNamespace) } : {}),
    ...(optionalText(d.ctRequestPath) ? { requestPath: optionalText(d.ctRequestPath) } : {}),
    ...(optionalText(d.ctCallbackPath) ? { callbackPath: optionalText(d.ctCallbackPath) } : {}),
    ...(d.ctFieldOrder ? { fieldOrder: d.ctFieldOrder } : {}),
    ...(d.ctWsAddressing ? { wsAddressing: d.ctWsAddressing === 'on' } : {}),
  };
  const codes = (list: readonly CodeDraft[]) => list.map((r) => ({ id: r.id, label: r.label }));
  // Through a gateway the portal list is hidden: rows left blank are dropped rather than reported.
  const portals = (gateway ? d.ctPortals.filter((p) => p.host.trim() !== '') : d.ctPortals).map((p) => ({ host: p.host, port: num(p.port), https: p.https }));
  return {
    // `serve` (the headless gateway's own settings) and anything else the form does not show stay as they were.
    ...kept,
    vendor: 'ctips',
    portals,
    userName: d.ctUserName,
    tenantId: num(d.ctTenantId),
    callback: {
      bindHost: d.ctBindHost,
      port: num(d.ctCallbackPort),
      advertisedHost: d.ctAdvertisedHost.trim(),
      ...(optionalText(d.ctCertFile) ? { certFile: optionalText(d.ctCertFile) } : {}),
      ...(optionalText(d.ctKeyFile) ? { keyFile: optionalText(d.ctKeyFile) } : {}),
    },
    allowedHosts: parseColleagues(d.ctAllowedHosts),
    initialState: d.ctInitialState,
    multiLine: d.ctMultiLine,
    role: d.ctRole,
    logoutReasons: codes(d.ctLogoutReasons),
    dispositions: codes(d.ctDispositions),
    rejectReasons: codes(d.ctRejectReasons),
    heartbeat: { intervalSec: num(d.ctHeartbeatSec), missed: num(d.ctHeartbeatMissed) },
    wire,
    tls: tlsInput(d.ctTlsCaFile, d.ctTlsPinSha256),
    gateway: gateway ? { host: d.ctGatewayHost, port: num(d.ctGatewayPort), https: d.ctGatewayHttps, tls: kept.gateway?.tls ?? {} } : null,
  };
}

/**
 * The profile the draft describes. Fields the form does not show (reconnect timing, and the
 * connection's hidden fields) are kept from `base`, the profile being edited.
 */
export function draftToInput(d: ProfileDraft, base?: Profile): unknown {
  return {
    ...(base ?? {}),
    id: d.id.trim(),
    name: d.name,
    device: d.device,
    agentId: d.agentId.trim(),
    connection: connectionInput(d, base),
    keepAliveSec: num(d.keepAliveSec),
    commandTimeoutMs: num(d.commandTimeoutMs),
    screenPop: { urlTemplate: d.popUrlTemplate.trim(), autoOpen: d.popAutoOpen },
    trace: d.trace,
    notReadyReasons: d.notReadyReasons
      .split('\n')
      .map((r) => r.trim())
      .filter(Boolean),
    quickConnects: quickConnectLines(d.quickConnects),
  };
}

/** "Billing queue = 6201" → label and number (split at the last "="); a number alone is its own label. */
function quickConnectLines(text: string): { label: string; number: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.lastIndexOf('=');
      // Separators people type in numbers (spaces, dots, dashes, brackets) are not dialled.
      const number = line.slice(at + 1).replace(/[\s().-]/g, '');
      return { label: at < 0 ? number : line.slice(0, at).trim(), number };
    });
}

function friendly(field: DraftField | 'form', code: string, message: string, input: unknown): string {
  if (field === 'twsFeeds' && code === 'too_small') return 'Enable at least one event feed';
  if (field === 'twsColleagues' && code === 'too_big') return `At most ${MAX_COLLEAGUES} numbers`;
  if (field === 'ivwsHost' && code === 'invalid_union') return 'A host name or IP address, or empty for the broker’s host';
  if (field === 'ivPauseReasons' && code === 'too_big') return `At most ${MAX_PAUSE_REASONS} pause reasons`;
  if (field === 'ctPortals' && code === 'too_big') return `At most ${MAX_CTIPS_PORTALS} portals`;
  if ((field === 'ctLogoutReasons' || field === 'ctDispositions' || field === 'ctRejectReasons') && code === 'too_big') return `At most ${MAX_CTIPS_CODES} codes`;
  if (field === 'quickConnects' && code === 'too_big') return `At most ${MAX_QUICK_CONNECTS} quick connects`;
  if (field === 'ctAdvertisedHost' && code === 'invalid_union') return 'A host name or IP address, or empty for the listen address';
  if (code === 'invalid_type') return input === undefined ? 'Required' : 'Enter a number';
  // An empty required text field: the schema's "too small" reads as what it is.
  if (code === 'too_small' && typeof input === 'string' && input.trim() === '') return 'Required';
  return message;
}

export type DraftResult = { ok: true; profile: Profile } | { ok: false; errors: DraftErrors };

/** Checks the schema cannot make: they need two fields at once. */
function crossFieldErrors(d: ProfileDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (d.vendor === 'telservices') {
    // Long-polled snapshots only exist on the HTTP transport.
    if (d.events === 'longPoll' && d.transport !== 'http') errors.events = 'Long polling needs the HTTP transport';
  } else if (d.vendor === 'tws') {
    if (d.twsAuth === 'admin' && !d.twsAdminUsername.trim()) errors.twsAdminUsername = 'Required for administrator sign-in';
    const seen = new Set<string>();
    for (const n of parseColleagues(d.twsColleagues)) {
      if (seen.has(n)) {
        errors.twsColleagues = `${n} is listed twice`;
        break;
      }
      seen.add(n);
    }
  } else if (d.vendor === 'instantvoice') {
    const { error } = parsePauseReasons(d.ivPauseReasons);
    if (error) errors.ivPauseReasons = error;
  } else if (d.vendor === 'ctips') {
    Object.assign(errors, ctipsCrossFieldErrors(d));
  } else if (d.secondaryEnabled) {
    const same = d.secondaryHost.trim().toLowerCase() === d.primaryHost.trim().toLowerCase() && d.secondaryPort.trim() === d.primaryPort.trim();
    if (same && d.primaryHost.trim()) errors.secondaryHost = 'The secondary server must differ from the primary one';
  }
  return errors;
}

/** Codes used twice in one list, portals listed twice. */
function ctipsCrossFieldErrors(d: ProfileDraft): DraftErrors {
  const errors: DraftErrors = {};
  for (const list of ['ctLogoutReasons', 'ctDispositions', 'ctRejectReasons'] as const) {
    const seen = new Map<string, number>();
    d[list].forEach((r, i) => {
      const id = r.id.trim();
      if (!id) return;
      const first = seen.get(id);
      if (first !== undefined) errors[rowErrorKey(list, i, 'id')] = `code ${id} is already used in row ${first + 1}`;
      else seen.set(id, i);
    });
  }
  if (!d.ctGatewayEnabled) {
    const seen = new Map<string, number>();
    d.ctPortals.forEach((p, i) => {
      const key = `${p.host.trim().toLowerCase()}:${p.port.trim()}`;
      if (!p.host.trim()) return;
      const first = seen.get(key);
      if (first !== undefined) errors[rowErrorKey('ctPortals', i, 'host')] = `the same portal as number ${first + 1}`;
      else seen.set(key, i);
    });
  }
  return errors;
}

/** Where a schema issue shows for a CTIPS draft: a field, a row's field, or the form. */
function ctipsErrorKey(path: string[]): DraftField | RowErrorKey | 'form' {
  const [root, list, row, field] = path;
  const rows = root === 'connection' && list !== undefined ? ctipsRowLists[list] : undefined;
  if (rows && row !== undefined && /^[0-9]+$/.test(row)) return field !== undefined ? rowErrorKey(rows, Number(row), field) : rows;
  const lookup = (key: string) => ctipsFieldOfPath[key] ?? (key.startsWith('connection.') ? undefined : fieldOfPath[key]);
  return lookup(path.join('.')) ?? lookup(path.slice(0, -1).join('.')) ?? lookup(path.slice(0, -2).join('.')) ?? 'form';
}

/** A problem on one line of a one-per-line field (notReadyReasons.3, quickConnects.3.number) → "line 4: ". */
function lineOf(field: string, path: string[]): string {
  const perLine = (field === 'notReadyReasons' && path.length === 2) || (field === 'quickConnects' && path.length === 3);
  if (!perLine) return '';
  const what = field === 'quickConnects' ? (path[2] === 'label' ? ' (its label)' : ' (its number)') : '';
  return `line ${Number(path[1]) + 1}${what}: `;
}

export function validateDraft(d: ProfileDraft, base?: Profile): DraftResult {
  const errors: DraftErrors = {};
  const r = Profile.safeParse(draftToInput(d, base), { reportInput: true });
  if (!r.success) {
    for (const issue of r.error.issues) {
      const path = issue.path.map(String);
      if (d.vendor === 'ctips') {
        const key = ctipsErrorKey(path);
        const entry = key === 'ctAllowedHosts' && path.length === 3 && typeof issue.input === 'string' ? `“${issue.input}”: ` : '';
        const line = lineOf(key, path);
        const field = key.includes('.') ? 'form' : (key as DraftField | 'form');
        errors[key] ??= line + entry + friendly(field, issue.code, issue.message, issue.input);
        continue;
      }
      // notReadyReasons.3 → the reasons field, as "line 4: …"
      const own = d.vendor === 'tws' ? twsFieldOfPath : d.vendor === 'instantvoice' ? ivFieldOfPath : {};
      const lookup = (key: string) => own[key] ?? fieldOfPath[key];
      const field = lookup(path.join('.')) ?? lookup(path.slice(0, -1).join('.')) ?? lookup(path.slice(0, -2).join('.')) ?? 'form';
      // notReadyReasons.3 → "line 4: …"; connection.colleagues.3 → "“12a”: a device number"
      const line = lineOf(field, path);
      const entry = field === 'twsColleagues' && path.length === 3 && typeof issue.input === 'string' ? `“${issue.input}”: ` : '';
      errors[field] ??= line + entry + friendly(field, issue.code, issue.message, issue.input);
    }
  }
  const popError = validatePopTemplate(d.popUrlTemplate);
  if (popError) errors.popUrlTemplate ??= popError;
  const cross = crossFieldErrors(d);
  for (const [field, message] of Object.entries(cross) as [DraftField | RowErrorKey, string][]) errors[field] ??= message;
  if (d.vendor === 'ctips' && d.ctGatewayEnabled) {
    // The portal settings are hidden through a gateway: their problems show at the gateway switch.
    const hidden = Object.keys(errors).filter((k) => ctipsPortalOnlyFields.includes(k.split('.')[0] as DraftField));
    if (hidden.length > 0) errors.ctGatewayEnabled ??= `The hidden portal settings have a problem (${ctipsErrorSummary(errors, hidden)}): turn the gateway off to correct them.`;
  }
  if (!r.success || popError || Object.keys(cross).length > 0) return { ok: false, errors };
  return { ok: true, profile: r.data };
}

const ctipsFieldNames: Partial<Record<DraftField, string>> = {
  ctPortals: 'portal',
  ctUserName: 'portal account',
  ctTenantId: 'tenant',
  ctBindHost: 'listen address',
  ctCallbackPort: 'event service port',
  ctAdvertisedHost: 'advertised address',
  ctCertFile: 'certificate',
  ctKeyFile: 'key',
  ctAllowedHosts: 'allowed hosts',
  ctHeartbeatSec: 'heartbeat',
  ctHeartbeatMissed: 'missed heartbeats',
  ctTlsCaFile: 'CA file',
  ctTlsPinSha256: 'pinned certificate',
};

/** "portal 2 host: Required" for the first hidden error. */
function ctipsErrorSummary(errors: DraftErrors, keys: string[]): string {
  const key = keys[0] as DraftField | RowErrorKey;
  const [field, row, sub] = key.split('.');
  const name = ctipsFieldNames[field as DraftField] ?? 'wire profile';
  return `${name}${row !== undefined ? ` ${Number(row) + 1}${sub ? ` ${sub}` : ''}` : ''}: ${errors[key] ?? ''}`;
}

/** Who the profile is for: placeholders let the server part be checked before they are known. */
const identityPlaceholders: Partial<Record<DraftField, string>> = {
  id: 'login-lookup',
  name: 'Login lookup',
  device: '0',
  agentId: '',
  login: 'lookup',
  popUrlTemplate: '',
  notReadyReasons: '',
  quickConnects: '',
};

/**
 * A profile good enough to reach the server, for `profiles.logins`: the draft's server settings,
 * with placeholders where the identity fields (id, name, device, login, …) are still empty or
 * invalid — those are what the admin is about to pick. Errors left are the server's own.
 */
export function validateServerDraft(d: ProfileDraft, base?: Profile): DraftResult {
  const first = validateDraft(d, base);
  if (first.ok) return first;
  const patched: ProfileDraft = { ...d };
  let changed = false;
  for (const field of Object.keys(first.errors)) {
    const placeholder = identityPlaceholders[field as DraftField];
    if (placeholder !== undefined) {
      (patched as unknown as Record<string, string>)[field] = placeholder;
      changed = true;
    }
  }
  return changed ? validateDraft(patched, base) : first;
}

/** Picking a server user fills the profile's login and (when the server knows it) its device. */
export function applyServerLogin(d: ProfileDraft, picked: ServerLogin): ProfileDraft {
  const device = picked.device?.trim();
  return { ...d, login: picked.login, ...(device ? { device } : {}) };
}

/** The server users matching a search (login, name or device), ACD operators only when asked. */
export function filterServerLogins(logins: readonly ServerLogin[], text: string, acdOnly = false): ServerLogin[] {
  const q = text.trim().toLowerCase();
  return logins
    .filter((l) => (!acdOnly || l.acd === true) && (!q || [l.login, l.name ?? '', l.device ?? ''].some((s) => s.toLowerCase().includes(q))))
    .sort((a, b) => a.login.localeCompare(b.login, undefined, { numeric: true }));
}

/** The server a profile connects to, as the profile list shows it. */
export function profileServerLabel(c: Connection): string {
  if (c.vendor === 'telservices') return `${c.host}:${c.port}`;
  if (c.vendor === 'tws') return `${c.host}:${c.port}${c.https ? ' (HTTPS)' : ''}`;
  if (c.vendor === 'instantvoice') return `${c.host}:${c.port}${c.role === 'agent' ? '' : ` (${c.role})`}`;
  if (c.vendor === 'ctips') {
    const role = c.role === 'agent' ? '' : ` (${c.role})`;
    if (c.gateway) return `gateway ${c.gateway.host}:${c.gateway.port}${c.gateway.https ? '' : ' (HTTP)'}${role}`;
    const [first, ...standby] = c.portals;
    const main = first ? `${first.host}:${first.port}${first.https ? ' (HTTPS)' : ''}` : '';
    return `${main}${standby.length ? `, then ${standby.map((p) => `${p.host}:${p.port}`).join(', ')}` : ''}${role}`;
  }
  const primary = `${c.primary.host}:${c.primary.port}${c.primary.https ? '' : ' (HTTP)'}`;
  return c.secondary ? `${primary}, standby ${c.secondary.host}:${c.secondary.port}` : primary;
}

/** The write-only secret fields: never pre-filled, sent only when typed. */
export type SecretField = 'password' | 'apiKey' | 'agentPassword';
export type TypedSecret = Record<SecretField, string>;
export type SecretErrors = Partial<Record<SecretField, string>>;

export const emptySecret = (): TypedSecret => ({ password: '', apiKey: '', agentPassword: '' });

/** The secret fields the vendor's form shows. */
export function secretFields(vendor: ConnectionVendor): SecretField[] {
  if (vendor === 'tws') return ['password', 'apiKey', 'agentPassword'];
  if (vendor === 'instantvoice') return ['password', 'apiKey'];
  return ['password'];
}

/** The InstantVoice access key: the API's `accesskey`, letters and digits, at most 20. */
const IV_ACCESS_KEY = /^[A-Za-z0-9]{1,20}$/;

export type SecretResult = { ok: true; secret: ProfileSecret | undefined } | { ok: false; errors: SecretErrors };

/**
 * The `secret` to send with `profiles.save` / `profiles.test`, from what was typed in the vendor's
 * secret fields. Nothing typed: none (the stored secret stays). The host replaces the whole stored
 * secret, so TWS takes its secret as one set: once any of its fields is typed, the password and the
 * API key are both required (a stored one is never half-replaced); the agent password is optional
 * and goes only when typed — replacing a stored secret without it clears a stored agent password.
 * InstantVoice likewise takes the broker password and the access key together.
 */
export function secretToSend(vendor: ConnectionVendor, typed: TypedSecret): SecretResult {
  const fields = secretFields(vendor);
  if (!fields.some((f) => typed[f] !== '')) return { ok: true, secret: undefined };
  const errors: SecretErrors = {};
  if (vendor === 'tws') {
    if (typed.password === '') errors.password = 'Type the password too: it is saved together with the API key';
    if (typed.apiKey === '') errors.apiKey = 'Type the API key too: it is saved together with the password';
  } else if (vendor === 'instantvoice') {
    if (typed.password === '') errors.password = 'Type the broker password too: it is saved together with the access key';
    if (typed.apiKey === '') errors.apiKey = 'Type the access key too: it is saved together with the broker password';
    else if (!IV_ACCESS_KEY.test(typed.apiKey)) errors.apiKey = 'Letters and digits only, at most 20';
  }
  const input = Object.fromEntries(fields.filter((f) => f === 'password' || typed[f] !== '').map((f) => [f, typed[f]]));
  const r = ProfileSecret.safeParse(input);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const field = issue.path[0];
      if (field === 'password' || field === 'apiKey' || field === 'agentPassword') errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !r.success) return { ok: false, errors };
  return { ok: true, secret: r.data };
}
