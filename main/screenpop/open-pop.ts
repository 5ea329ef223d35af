// Opening a screen pop (the CRM page for a call) in the system browser, safely, and deciding when
// a call pops by itself. The URL rules themselves live in shared/screenpop.ts.
import { CtiError } from '../../shared/commands.js';
import type { Call } from '../../shared/model.js';
import type { Profile } from '../../shared/profile.js';
import { buildPopUrl, popValues } from '../../shared/screenpop.js';

/** The host's way to open a URL outside the app (Electron's shell.openExternal). */
export type OpenExternal = (url: string) => Promise<void>;

export type OpenPopResult = { ok: true; url: string; opened: boolean } | { ok: false; error: CtiError };

type PopSettings = Pick<Profile, 'screenPop'>;

/** A lone UTF-16 surrogate (possible in vendor call data) makes encodeURIComponent throw. */
const loneSurrogate = /\p{Cs}/gu;

function wellFormed(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k] = v.replace(loneSurrogate, '\uFFFD');
  return out;
}

/** Checked again right before opening, whatever built the URL: only http(s), no credentials. */
export function openableUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the screen-pop URL is not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `only http and https screen-pop URLs are allowed, not ${parsed.protocol}`;
  if (parsed.username || parsed.password) return 'screen-pop URLs may not carry credentials';
  return null;
}

/**
 * Build the call's screen-pop URL from the profile's template and open it with `openExternal`
 * when the host has one ({opened: true}); without one ({opened: false}) the renderer opens it.
 * Never throws: a bad template or value is CtiError('invalid'), a browser failure 'internal'.
 */
export async function openScreenPop(
  profile: PopSettings,
  call: Call,
  device: string,
  openExternal: OpenExternal | null,
): Promise<OpenPopResult> {
  let url: string;
  try {
    const built = buildPopUrl(profile.screenPop.urlTemplate, wellFormed(popValues(call, device)));
    if (!built.ok) return { ok: false, error: new CtiError('invalid', built.reason) };
    url = built.url;
  } catch (err) {
    return { ok: false, error: new CtiError('invalid', `the screen-pop URL could not be built (${err instanceof Error ? err.message : 'error'})`) };
  }
  const refused = openableUrl(url);
  if (refused) return { ok: false, error: new CtiError('invalid', refused) };
  if (!openExternal) return { ok: true, url, opened: false };
  try {
    await openExternal(url);
  } catch (err) {
    return { ok: false, error: new CtiError('internal', `the browser could not be opened (${err instanceof Error ? err.message : 'error'})`) };
  }
  return { ok: true, url, opened: true };
}

/** Ids of calls already popped; bounded, oldest forgotten first. */
export class PoppedCalls {
  private readonly ids = new Set<string>();
  private readonly max: number;

  constructor(max = 1000) {
    this.max = max;
  }

  has(callId: string): boolean {
    return this.ids.has(callId);
  }

  add(callId: string): void {
    this.ids.add(callId);
    if (this.ids.size > this.max) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}

/**
 * Whether to open the pop by itself now: the profile's autoOpen is on with a template, and this
 * is an inbound call alerting here. With `popped`, at most once per call (the decision records
 * the call), so later alerting images, retries and reconnect snapshots do not pop it again.
 */
export function autoPopDecision(profile: PopSettings, call: Call, popped?: Pick<PoppedCalls, 'has' | 'add'>): boolean {
  const { autoOpen, urlTemplate } = profile.screenPop;
  if (!autoOpen || !urlTemplate.trim()) return false;
  if (call.direction !== 'inbound' || call.state !== 'alerting') return false;
  if (!popped) return true;
  if (popped.has(call.id)) return false;
  popped.add(call.id);
  return true;
}
