// The profile editor's form model: every field as the agent types it (strings for numbers),
// converted to a Profile and checked with the shared zod schema, errors keyed by form field.
import { Profile } from '../../shared/profile.js';
import { validatePopTemplate } from '../../shared/screenpop.js';

export interface ProfileDraft {
  id: string;
  name: string;
  device: string;
  agentId: string;
  host: string;
  port: string;
  transport: 'tcp' | 'http';
  events: 'udp' | 'longPoll';
  udpPort: string;
  udpBind: string;
  endOfPdu: string;
  sessionTimeoutSec: string;
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
  'connection.host': 'host',
  'connection.port': 'port',
  'connection.transport': 'transport',
  'connection.events': 'events',
  'connection.udpPort': 'udpPort',
  'connection.udpBind': 'udpBind',
  'connection.endOfPdu': 'endOfPdu',
  'connection.sessionTimeoutSec': 'sessionTimeoutSec',
  keepAliveSec: 'keepAliveSec',
  commandTimeoutMs: 'commandTimeoutMs',
  'screenPop.urlTemplate': 'popUrlTemplate',
  'screenPop.autoOpen': 'popAutoOpen',
  trace: 'trace',
  notReadyReasons: 'notReadyReasons',
};

export function emptyDraft(): ProfileDraft {
  return {
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
  return {
    id: p.id,
    name: p.name,
    device: p.device,
    agentId: p.agentId,
    host: c.host,
    port: String(c.port),
    transport: c.transport,
    events: c.events,
    udpPort: String(c.udpPort),
    udpBind: c.udpBind,
    endOfPdu: c.endOfPdu ?? '',
    sessionTimeoutSec: String(c.sessionTimeoutSec),
    keepAliveSec: String(p.keepAliveSec),
    commandTimeoutMs: String(p.commandTimeoutMs),
    popUrlTemplate: p.screenPop.urlTemplate,
    popAutoOpen: p.screenPop.autoOpen,
    trace: p.trace,
    notReadyReasons: p.notReadyReasons.join('\n'),
  };
}

/** Empty number fields become undefined so the schema reports them (or applies its default). */
const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

/**
 * The profile the draft describes. Fields the form does not show (event update mode, half-close,
 * reconnect timing) are kept from `base`, the profile being edited.
 */
export function draftToInput(d: ProfileDraft, base?: Profile): unknown {
  return {
    ...(base ?? {}),
    id: d.id.trim(),
    name: d.name,
    device: d.device,
    agentId: d.agentId.trim(),
    connection: {
      ...(base?.connection ?? {}),
      vendor: 'telservices',
      host: d.host,
      port: num(d.port),
      transport: d.transport,
      events: d.events,
      udpPort: num(d.udpPort),
      udpBind: d.udpBind,
      endOfPdu: d.endOfPdu === '' ? null : d.endOfPdu,
      sessionTimeoutSec: num(d.sessionTimeoutSec),
    },
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
  return message;
}

export type DraftResult = { ok: true; profile: Profile } | { ok: false; errors: DraftErrors };

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
  // Long-polled snapshots only exist on the HTTP transport.
  const pollError = d.events === 'longPoll' && d.transport !== 'http';
  if (pollError) errors.events ??= 'Long polling needs the HTTP transport';
  if (!r.success || popError || pollError) return { ok: false, errors };
  return { ok: true, profile: r.data };
}
