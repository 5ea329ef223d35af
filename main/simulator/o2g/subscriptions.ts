// Subscriptions of one O2G server (L1089–L1275): validation of SubscriptionRequest and Filter (digest §2.2
// [SIM] rules), licence checks (REFUSED), the per-subscription event filter, and deleted/orphaned ids, so
// a channel re-open can tell "deleted" (404) from "session gone" (403).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { O2gConfig } from './config.js';
import { badParameter } from './errors.js';
import { eventPackages, packageOf, type O2gEvent } from './events.js';
import type { Session } from './sessions.js';
import type { O2gUsers } from './users.js';

export const SelectorSchema = z.object({ ids: z.array(z.string()).optional(), names: z.array(z.string()) }).passthrough();
export const FilterSchema = z.object({ selectors: z.array(SelectorSchema).optional() }).passthrough();
export const SubscriptionRequestSchema = z
  .object({
    filter: FilterSchema.optional(),
    sessionId: z.unknown().optional(),
    version: z.string(),
    timeout: z.number().int().optional(),
    webHookUrl: z.string().optional(),
  })
  .passthrough();

export interface NormalizedSelector {
  /** Event names the selector lets through. */
  events: ReadonlySet<string>;
  /** Administrator selectors: '*' or the login names; undefined for user sessions (always their own events). */
  ids?: '*' | ReadonlySet<string>;
}

export type FilterCheck = { ok: true; selectors: NormalizedSelector[]; message?: string } | { ok: false; message: string };

/** Validate a Filter for a session: 400 for malformed selectors (thrown), REFUSED (returned) for licences. */
export function checkFilter(filter: z.infer<typeof FilterSchema> | undefined, session: Session, users: O2gUsers, config: O2gConfig): FilterCheck {
  const admin = session.admin;
  const user = session.user;
  const selectors = filter?.selectors ?? [];
  if (selectors.length === 0) {
    // [SIM] No selector: a user session gets every package its licences allow; an administrator must name ids (L1238).
    if (admin) throw badParameter('An administrator subscription needs selectors with ids');
    const events = new Set<string>();
    for (const pkg of Object.values(eventPackages)) {
      if (pkg.adminOnly || (pkg.licence && !users.has(user, pkg.licence))) continue;
      for (const e of pkg.events) events.add(e);
    }
    return { ok: true, selectors: [{ events }] };
  }
  const out: NormalizedSelector[] = [];
  const supervised = new Set<string>();
  const unlicensed: string[] = [];
  for (const [i, sel] of selectors.entries()) {
    if (sel.names.length === 0) throw badParameter(`selectors[${i}].names must not be empty`);
    const pkgNames = new Set<string>();
    const events = new Set<string>();
    for (const name of sel.names) {
      const pkg = name === '' ? undefined : packageOf(name);
      if (!pkg) throw badParameter(`selectors[${i}]: unknown event or package name "${name}"`);
      pkgNames.add(pkg);
      if (name === pkg) for (const e of eventPackages[pkg]?.events ?? []) events.add(e);
      else events.add(name);
    }
    // "It is not possible to mix event names of different packages inside the same selector" (L1101).
    if (pkgNames.size > 1) throw badParameter(`selectors[${i}] mixes the packages ${[...pkgNames].join(', ')}; use one selector per package`);
    const pkgName = [...pkgNames][0] as string;
    const pkg = eventPackages[pkgName];
    if (!pkg) throw badParameter(`unknown package ${pkgName}`);
    if (pkg.adminOnly && !admin) {
      // Like a missing licence: left out, refused only when nothing else is asked.
      unlicensed.push(`${pkgName} (administrator sessions only)`);
      continue;
    }
    let ids: NormalizedSelector['ids'];
    if (admin) {
      const list = (sel.ids ?? []).map((s) => s.trim()).filter(Boolean);
      // [SIM] System-wide packages carry no login name: their selectors need no ids.
      if (list.length === 0 && pkg.perUser) throw badParameter(`selectors[${i}].ids is mandatory for an administrator session (L1238)`);
      ids = list.includes('*') ? '*' : new Set(list);
      if (pkg.perUser && ids !== '*') for (const id of ids) supervised.add(id);
    } else if (pkg.licence && !users.has(user, pkg.licence)) {
      // [SIM] A user's package without its licence is left out; the subscription is refused only if nothing is left.
      unlicensed.push(`${pkgName} (${pkg.licence})`);
      continue;
    }
    out.push({ events, ...(ids !== undefined ? { ids } : {}) });
  }
  if (out.length === 0) return { ok: false, message: `No licence for the requested events: ${unlicensed.join(', ')}` };
  // "the amount of supervised users can not exceed the number of TELEPHONY_ADVANCED licenses" (L1113).
  if (supervised.size > config.telephonyAdvancedLicences) {
    return { ok: false, message: `License limit exceeded: ${supervised.size} supervised users for ${config.telephonyAdvancedLicences} TELEPHONY_ADVANCED licenses` };
  }
  return { ok: true, selectors: out, ...(unlicensed.length > 0 ? { message: `Not delivered without licence: ${unlicensed.join(', ')}` } : {}) };
}

export function selectorsMatch(selectors: readonly NormalizedSelector[], session: Session, event: O2gEvent): boolean {
  for (const sel of selectors) {
    if (!sel.events.has(event.eventName)) continue;
    if (event.loginName === undefined) {
      if (session.admin) return true;
      continue;
    }
    if (!session.admin) {
      if (event.loginName === session.user.loginName) return true;
      continue;
    }
    if (sel.ids === '*' || sel.ids?.has(event.loginName)) return true;
  }
  return false;
}

export interface Subscription<C> {
  id: string;
  session: Session;
  selectors: NormalizedSelector[];
  /** SubscriptionRequest.timeout, minutes (0 = as long as the session, with keep-alive events). */
  timeoutMin: number;
  channel: C;
  createdAt: number;
}

export type Tombstone = 'deleted' | 'sessionGone';

export class SubscriptionTable<C> {
  private readonly subs = new Map<string, Subscription<C>>();
  private readonly gone = new Map<string, Tombstone>();

  get(id: string): Subscription<C> | undefined {
    return this.subs.get(id);
  }

  all(): Subscription<C>[] {
    return [...this.subs.values()];
  }

  forSession(session: Session): Subscription<C>[] {
    return this.all().filter((s) => s.session === session);
  }

  /** The session's most recent subscription (the target of PUT /subscriptions, digest §6 #9). */
  latestOf(session: Session): Subscription<C> | undefined {
    return this.forSession(session).at(-1);
  }

  add(fields: Omit<Subscription<C>, 'id'>): Subscription<C> {
    const id = randomBytes(18).toString('base64url');
    const sub = { id, ...fields };
    this.subs.set(id, sub);
    return sub;
  }

  remove(id: string, why: Tombstone): Subscription<C> | undefined {
    const sub = this.subs.get(id);
    if (!sub) return undefined;
    this.subs.delete(id);
    this.gone.set(id, why);
    // Remember a bounded number of ended ids.
    if (this.gone.size > 2000) this.gone.delete(this.gone.keys().next().value as string);
    return sub;
  }

  tombstone(id: string): Tombstone | undefined {
    return this.gone.get(id);
  }

  clear(): Subscription<C>[] {
    const all = this.all();
    for (const s of all) this.remove(s.id, 'sessionGone');
    return all;
  }
}
