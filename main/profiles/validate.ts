// Profile validation at the store's boundary: the schema, plus errors an admin can act on.
import { secretKeys } from '../core/log.js';
import { Connection, parseProfile, type Profile } from '../../shared/profile.js';
import { vendorIds } from '../../shared/model.js';
import { validatePopTemplate } from '../../shared/screenpop.js';

export type ProfileCheck = { ok: true; profile: Profile } | { ok: false; errors: string[] };

/** Vendors this build has a connection schema for. */
export const supportedVendors: readonly string[] = Connection.options.map((o) => o.shape.vendor.value);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The schema's own message for an unknown union member is "Invalid input"; say what is wrong instead. */
function vendorError(input: unknown): string | null {
  if (!isRecord(input) || !isRecord(input.connection)) return null;
  const vendor = input.connection.vendor;
  const supported = `supported: ${supportedVendors.join(', ')}`;
  if (typeof vendor !== 'string') return `connection.vendor: missing (${supported})`;
  if (supportedVendors.includes(vendor)) return null;
  if ((vendorIds as readonly string[]).includes(vendor)) {
    return `connection.vendor: '${vendor}' profiles are not supported by this version (${supported})`;
  }
  return `connection.vendor: unknown vendor '${vendor}' (${supported})`;
}

/** parseProfile, with a readable vendor error and the screen-pop template checked as on save. */
export function checkProfile(input: unknown): ProfileCheck {
  const vendor = vendorError(input);
  const parsed = parseProfile(input);
  if (!parsed.ok) {
    const errors = vendor ? [vendor, ...parsed.errors.filter((e) => !e.startsWith('connection'))] : parsed.errors;
    return { ok: false, errors };
  }
  const popError = validatePopTemplate(parsed.profile.screenPop.urlTemplate);
  if (popError) return { ok: false, errors: [`screenPop.urlTemplate: ${popError}`] };
  return parsed;
}

const secretKeySet = new Set(secretKeys.map((k) => k.toLowerCase()));

export function isSecretKey(key: string): boolean {
  return secretKeySet.has(key.toLowerCase());
}

/** A copy of `value` without any secret-named key at any depth, and the paths removed. */
export function stripSecrets(value: unknown, path = ''): { value: unknown; stripped: string[] } {
  if (Array.isArray(value)) {
    const stripped: string[] = [];
    const out = value.map((v, i) => {
      const r = stripSecrets(v, `${path}[${i}]`);
      stripped.push(...r.stripped);
      return r.value;
    });
    return { value: out, stripped };
  }
  if (!isRecord(value)) return { value, stripped: [] };
  const stripped: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (isSecretKey(k)) {
      stripped.push(at);
      continue;
    }
    const r = stripSecrets(v, at);
    stripped.push(...r.stripped);
    out[k] = r.value;
  }
  return { value: out, stripped };
}

/** Paths of secret-named keys in `value`; empty when there are none. */
export function findSecrets(value: unknown): string[] {
  return stripSecrets(value).stripped;
}

/** Top-level keys the schema does not know (dropped by parsing; reported so nothing vanishes silently). */
export function unknownTopLevelKeys(input: unknown, known: readonly string[]): string[] {
  if (!isRecord(input)) return [];
  return Object.keys(input).filter((k) => !known.includes(k) && !isSecretKey(k));
}
