// Screen-pop URLs: built only from a template, every value URL-encoded, http(s) only.
import type { Call } from './model.js';

export const popPlaceholders = ['number', 'name', 'company', 'called', 'callId', 'device', 'direction'] as const;

export type PopResult = { ok: true; url: string } | { ok: false; reason: string };

/** Values a template may use: the call's fields, then its call data as {data.key}. */
export function popValues(call: Call, device: string): Record<string, string> {
  const values: Record<string, string> = {
    number: call.remote.withheld ? '' : call.remote.number,
    name: call.remote.name ?? '',
    company: call.remote.company ?? '',
    called: call.called?.number ?? '',
    callId: call.id,
    device,
    direction: call.direction,
  };
  for (const [k, v] of Object.entries(call.data)) values[`data.${k}`] = v;
  return values;
}

/** Lone surrogates (possible in vendor call data) would make encodeURIComponent throw. */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Fill `{placeholder}` in the template. Placeholders are replaced by encodeURIComponent(value);
 * an unknown placeholder is an error rather than a silent blank, and the result must parse as an
 * http: or https: URL whose origin comes from the template itself (values cannot change the host).
 */
export function buildPopUrl(template: string, values: Record<string, string>): PopResult {
  if (!template.trim()) return { ok: false, reason: 'no screen-pop URL template in this profile' };
  let unknown: string | null = null;
  const filled = template.replace(/\{([A-Za-z0-9_.-]+)\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) {
      unknown ??= key;
      return '';
    }
    return encodeURIComponent(wellFormed(v));
  });
  if (unknown) return { ok: false, reason: `unknown placeholder {${unknown}} in the screen-pop template` };
  let url: URL;
  let origin: URL;
  try {
    url = new URL(filled);
    origin = new URL(template.replace(/\{[A-Za-z0-9_.-]+\}/g, 'x'));
  } catch {
    return { ok: false, reason: 'the screen-pop template is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `only http and https screen-pop URLs are allowed, not ${url.protocol}` };
  }
  if (url.origin !== origin.origin) return { ok: false, reason: 'a placeholder may not change the URL host' };
  if (url.username || url.password) return { ok: false, reason: 'screen-pop URLs may not carry credentials' };
  return { ok: true, url: url.toString() };
}

/** Check a template when an admin saves it. */
export function validatePopTemplate(template: string): string | null {
  if (!template.trim()) return null;
  const sample: Record<string, string> = {};
  for (const p of popPlaceholders) sample[p] = '0';
  const withData = template.replace(/\{data\.([A-Za-z0-9_.-]+)\}/g, (_m, k: string) => {
    sample[`data.${k}`] = '0';
    return `{data.${k}}`;
  });
  const r = buildPopUrl(withData, sample);
  return r.ok ? null : r.reason;
}
