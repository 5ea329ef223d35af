// The profile editor's form model: every field as the agent types it (strings for numbers),
// converted to a Profile and checked with the shared zod schema, errors keyed by form field.
// The draft carries the fields of every vendor, so switching the vendor back and forth in the
// editor loses nothing; only the selected vendor's fields become the profile's connection.
import type { ServerLogin } from '../../shared/bridge.js';
import { Profile, type Connection } from '../../shared/profile.js';
import { validatePopTemplate } from '../../shared/screenpop.js';

export type ConnectionVendor = Connection['vendor'];
export const connectionVendors: readonly ConnectionVendor[] = ['telservices', 'o2g'];

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
  // Both
  keepAliveSec: string;
  commandTimeoutMs: string;
  popUrlTemplate: string;
  popAutoOpen: boolean;
  trace: boolean;
  /** One reason per line. */
  notReadyReasons: string;
}

export type DraftField = keyof ProfileDraft;
export type DraftErrors = Partial<Record<DraftField | 'form', string>>;

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
  keepAliveSec: 'keepAliveSec',
  commandTimeoutMs: 'commandTimeoutMs',
  'screenPop.urlTemplate': 'popUrlTemplate',
  'screenPop.autoOpen': 'popAutoOpen',
  trace: 'trace',
  notReadyReasons: 'notReadyReasons',
};

const O2G_HTTPS_PORT = '443';
const O2G_HTTP_PORT = '80';

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
    keepAliveSec: '15',
    commandTimeoutMs: '8000',
    popUrlTemplate: '',
    popAutoOpen: false,
    trace: false,
    notReadyReasons: '',
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
export function portForScheme(port: string, https: boolean): string {
  if (https && port.trim() === O2G_HTTP_PORT) return O2G_HTTPS_PORT;
  if (!https && port.trim() === O2G_HTTPS_PORT) return O2G_HTTP_PORT;
  return port;
}

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
  const caFile = d.tlsCaFile.trim();
  const pin = normalizeFingerprint(d.tlsPinSha256);
  return {
    ...kept,
    vendor: 'o2g',
    primary: { host: d.primaryHost, port: num(d.primaryPort), https: d.primaryHttps },
    secondary: d.secondaryEnabled ? { host: d.secondaryHost, port: num(d.secondaryPort), https: d.secondaryHttps } : null,
    login: d.login,
    applicationName: d.applicationName,
    urls: d.urls,
    tls: { ...(caFile ? { caFile } : {}), ...(pin ? { pinSha256: pin } : {}) },
    channelTimeoutMin: num(d.channelTimeoutMin),
    channelIdleSec: num(d.channelIdleSec),
    processingGroup: d.processingGroup,
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
  };
}

function friendly(code: string, message: string, input: unknown): string {
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
  } else if (d.secondaryEnabled) {
    const same = d.secondaryHost.trim().toLowerCase() === d.primaryHost.trim().toLowerCase() && d.secondaryPort.trim() === d.primaryPort.trim();
    if (same && d.primaryHost.trim()) errors.secondaryHost = 'The secondary server must differ from the primary one';
  }
  return errors;
}

export function validateDraft(d: ProfileDraft, base?: Profile): DraftResult {
  const errors: DraftErrors = {};
  const r = Profile.safeParse(draftToInput(d, base), { reportInput: true });
  if (!r.success) {
    for (const issue of r.error.issues) {
      const path = issue.path.map(String);
      // notReadyReasons.3 → the reasons field, as "line 4: …"
      const field = fieldOfPath[path.join('.')] ?? fieldOfPath[path.slice(0, -1).join('.')] ?? 'form';
      const line = field === 'notReadyReasons' && path.length === 2 ? `line ${Number(path[1]) + 1}: ` : '';
      errors[field] ??= line + friendly(issue.code, issue.message, issue.input);
    }
  }
  const popError = validatePopTemplate(d.popUrlTemplate);
  if (popError) errors.popUrlTemplate ??= popError;
  const cross = crossFieldErrors(d);
  for (const [field, message] of Object.entries(cross) as [DraftField, string][]) errors[field] ??= message;
  if (!r.success || popError || Object.keys(cross).length > 0) return { ok: false, errors };
  return { ok: true, profile: r.data };
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
  const primary = `${c.primary.host}:${c.primary.port}${c.primary.https ? '' : ' (HTTP)'}`;
  return c.secondary ? `${primary}, standby ${c.secondary.host}:${c.secondary.port}` : primary;
}
