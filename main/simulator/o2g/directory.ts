// The Directory service (L3644–L3911): search of the phone book (O2G users, the PBX's named subscribers and
// the shared directory) with criteria (AND/OR trees, [EXT] list operands), polled NOK → OK → FINISH.
// One search context per session: a new search replaces the previous one (digest §6 #13 [SIM]).
import { z } from 'zod';
import type { Clock } from '../pbx/clock.js';
import { O2gError, badParameter, notExpected } from './errors.js';
import { noContent, ok, type Reply, type RequestContext, type Route } from './router.js';
import type { O2gService } from './service.js';

export interface DirContact {
  id: { loginName?: string; phoneNumber?: string };
  firstName?: string;
  lastName?: string;
}

export interface Criterion {
  field?: string;
  operation: string;
  operand: string | Criterion[];
}

const fields = ['lastName', 'firstName', 'id.phoneNumber', 'id.loginName'] as const;
const matchOps = ['EQUAL_IGNORE_CASE', 'BEGIN_WITH', 'CONTAIN', 'END_WITH'] as const;

const CriterionSchema: z.ZodType<Criterion> = z.lazy(() =>
  z.object({ field: z.string().optional(), operation: z.string(), operand: z.union([z.string(), z.array(CriterionSchema)]) }).passthrough(),
) as z.ZodType<Criterion>;
const SearchSchema = z.object({ limit: z.number().int().optional(), filter: CriterionSchema }).passthrough();
const DtmfSchema = z
  .object({ lastName: z.string().regex(/^[0-9]+$/, 'DTMF digits'), firstName: z.string().regex(/^[0-9]*$/).optional(), keyboardType: z.enum(['CCITT', 'ITU']), limit: z.number().int().optional() })
  .passthrough();

/** Validate a criterion tree (digest §6 #14): AND/OR take a list, the others a field and a string. */
export function checkCriterion(c: Criterion, path = 'filter'): void {
  if (c.operation === 'AND' || c.operation === 'OR') {
    if (!Array.isArray(c.operand) || c.operand.length === 0) throw badParameter(`${path}: ${c.operation} takes a non-empty list of criteria`);
    c.operand.forEach((x, i) => checkCriterion(x, `${path}.operand[${i}]`));
    return;
  }
  if (!(matchOps as readonly string[]).includes(c.operation)) throw badParameter(`${path}: unknown operation ${c.operation}`);
  if (!c.field || !(fields as readonly string[]).includes(c.field)) throw badParameter(`${path}: field must be one of ${fields.join(', ')}`);
  if (typeof c.operand !== 'string' || c.operand === '') throw badParameter(`${path}: operand must be a non-empty string`);
}

export function matches(c: Criterion, contact: DirContact): boolean {
  if (c.operation === 'AND') return (c.operand as Criterion[]).every((x) => matches(x, contact));
  if (c.operation === 'OR') return (c.operand as Criterion[]).some((x) => matches(x, contact));
  const value = (c.field === 'lastName' ? contact.lastName : c.field === 'firstName' ? contact.firstName : c.field === 'id.phoneNumber' ? contact.id.phoneNumber : contact.id.loginName) ?? '';
  const v = fold(value);
  const o = fold(c.operand as string);
  switch (c.operation) {
    case 'EQUAL_IGNORE_CASE':
      return v === o;
    case 'BEGIN_WITH':
      return v.startsWith(o);
    case 'CONTAIN':
      return v.includes(o);
    case 'END_WITH':
      return v.endsWith(o);
    default:
      return false;
  }
}

/** Case- and accent-insensitive comparison form. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const itu: Record<string, string> = { a: '2', b: '2', c: '2', d: '3', e: '3', f: '3', g: '4', h: '4', i: '4', j: '5', k: '5', l: '5', m: '6', n: '6', o: '6', p: '7', q: '7', r: '7', s: '7', t: '8', u: '8', v: '8', w: '9', x: '9', y: '9', z: '9' };

/** A name as typed on a phone keypad; CCITT (the older layout) has no Q and Z on 7 and 9: they are on 1. */
export function dtmfOf(name: string, keyboard: 'CCITT' | 'ITU'): string {
  let out = '';
  for (const ch of fold(name)) {
    if (keyboard === 'CCITT' && (ch === 'q' || ch === 'z')) out += '1';
    else if (itu[ch]) out += itu[ch];
    else if (/[0-9]/.test(ch)) out += ch;
  }
  return out;
}

interface Search {
  results: DirContact[];
  polls: number;
  lastUsed: number;
  finished: boolean;
}

function splitName(full: string): { firstName?: string; lastName: string } {
  const parts = full.trim().split(/\s+/);
  const lastName = parts.pop() ?? full;
  return parts.length > 0 ? { firstName: parts.join(' '), lastName } : { lastName };
}

export class DirectoryService {
  private readonly searches = new Map<string, Search>();

  constructor(
    private readonly svc: O2gService,
    private readonly clock: Clock,
  ) {}

  /** Everyone the phone book knows. */
  contacts(): DirContact[] {
    const out: DirContact[] = [];
    const seen = new Set<string>();
    for (const u of this.svc.users.people()) {
      out.push({ id: { loginName: u.loginName, phoneNumber: u.device }, firstName: u.cfg.firstName, lastName: u.cfg.lastName });
      if (u.device) seen.add(u.device);
    }
    for (const d of this.svc.pbx.devices()) {
      if (seen.has(d.number) || !d.name || this.svc.users.isVoicemailServer(d.number)) continue;
      seen.add(d.number);
      out.push({ id: { phoneNumber: d.number }, ...splitName(d.name) });
    }
    for (const e of this.svc.pbx.directory.visibleTo([])) {
      if (seen.has(e.number)) continue;
      seen.add(e.number);
      out.push({ id: { phoneNumber: e.number }, ...splitName(e.name) });
    }
    return out;
  }

  forget(sessionId: string): void {
    this.searches.delete(sessionId);
  }

  clear(): void {
    this.searches.clear();
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [id, s] of this.searches) if (now - s.lastUsed > this.svc.config.searchIdleMs) this.searches.delete(id);
  }

  private start(ctx: RequestContext, results: DirContact[]): Reply {
    this.sweep();
    if (!this.searches.has(ctx.session.id) && this.searches.size >= this.svc.config.maxSearches) {
      throw new O2gError(503, 'SERVER_PROBLEM', `Only ${this.svc.config.maxSearches} concurrent searches are authorized`);
    }
    this.searches.set(ctx.session.id, { results, polls: 0, lastUsed: this.clock.now(), finished: false });
    return { status: 201 };
  }

  private limit(raw: number | undefined): number {
    const limit = raw ?? 100;
    if (limit < 1 || limit > 100) throw badParameter('limit must be between 1 and 100');
    return limit;
  }

  routes(): Route[] {
    const svc = this.svc;
    const licensed = (ctx: RequestContext) => {
      const user = ctx.session.admin && !ctx.query.get('loginName') ? ctx.session.user : svc.actingUser(ctx);
      svc.requireLicence(user, 'TELEPHONY_ADVANCED');
    };
    return [
      {
        method: 'POST',
        path: '/directory/search',
        handler: (ctx) => {
          licensed(ctx);
          const r = SearchSchema.safeParse(ctx.body);
          if (!r.success) throw badParameter(`SearchRequest: ${r.error.issues[0]?.message ?? 'invalid'}`);
          const limit = this.limit(r.data.limit);
          checkCriterion(r.data.filter);
          const results = this.contacts()
            .filter((c) => matches(r.data.filter, c))
            .slice(0, limit);
          return this.start(ctx, results);
        },
      },
      {
        method: 'POST',
        path: '/directory/searchbydtmf',
        handler: (ctx) => {
          licensed(ctx);
          const r = DtmfSchema.safeParse(ctx.body);
          if (!r.success) throw badParameter(`SearchByDtmfRequest: ${r.error.issues[0]?.message ?? 'invalid'}`);
          const { lastName, firstName, keyboardType } = r.data;
          const limit = this.limit(r.data.limit);
          const results = this.contacts()
            .filter((c) => dtmfOf(c.lastName ?? '', keyboardType).startsWith(lastName) && (!firstName || dtmfOf(c.firstName ?? '', keyboardType).startsWith(firstName)))
            .slice(0, limit);
          return this.start(ctx, results);
        },
      },
      {
        method: 'GET',
        path: '/directory/search',
        handler: (ctx) => {
          licensed(ctx);
          const s = this.searches.get(ctx.session.id);
          if (!s) throw notExpected('No search in progress for this session');
          const now = this.clock.now();
          // "An unused search context is freed after 1 minute" (L3672): the next poll learns it.
          if (now - s.lastUsed > svc.config.searchIdleMs) {
            this.searches.delete(ctx.session.id);
            return ok({ resultCode: 'TIMEOUT' });
          }
          s.lastUsed = now;
          s.polls++;
          // [SIM] The first poll finds the search still running (NOK), the second gets the results, then FINISH.
          if (s.polls === 1) return ok({ resultCode: 'NOK' });
          if (!s.finished && s.results.length > 0) {
            s.finished = true;
            return ok({ resultCode: 'OK', resultElements: [{ contacts: s.results }] });
          }
          s.finished = true;
          return ok({ resultCode: 'FINISH' });
        },
      },
      {
        method: 'DELETE',
        path: '/directory/search',
        handler: (ctx) => {
          licensed(ctx);
          this.searches.delete(ctx.session.id);
          return noContent();
        },
      },
    ];
  }
}
