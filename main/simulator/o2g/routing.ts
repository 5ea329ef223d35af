// The Routing service (L3913–L4574): DND, the forward route and the overflow route of a user, applied to the
// PBX core's forwards (forward types IMMEDIATE/BUSY/NO_ANSWER/BUSY_NO_ANSWER; an overflow fills the busy /
// no-answer conditions the forward leaves free), with the routing error block of L285–L336.
import { z } from 'zod';
import type { ForwardType } from '../pbx/types.js';
import type { BatchEvent } from './call-tracker.js';
import { O2gError, badParameter, type RoutingErrorInfo } from './errors.js';
import { noContent, ok, type RequestContext, type Route } from './router.js';
import type { O2gService } from './service.js';
import type { O2gUser } from './users.js';

type Condition = 'BUSY' | 'NO_ANSWER' | 'BUSY_NO_ANSWER';

interface Dest {
  type: string;
  number: string;
}

interface Overlay {
  /** The destination type the user gave its forward (NUMBER or USER), to echo it back. */
  forwardType?: string;
  overflow?: { overflowType: Condition; dest: Dest };
  /** What the overflow put into the core's forwards. */
  overflowApplied: Map<ForwardType, string>;
}

const DestinationSchema = z.object({ type: z.string(), number: z.string().optional(), deviceId: z.string().optional(), selected: z.boolean().optional() }).passthrough();
const ForwardRouteSchema = z
  .object({ forwardType: z.enum(['BUSY', 'NO_ANSWER', 'BUSY_NO_ANSWER', 'IMMEDIATE']).optional(), destinations: z.array(DestinationSchema).optional() })
  .passthrough();
const SetForwardRouteSchema = z.object({ forwardRoute: ForwardRouteSchema.optional() }).passthrough();
const OverflowRouteSchema = z.object({ overflowType: z.enum(['BUSY', 'NO_ANSWER', 'BUSY_NO_ANSWER']).optional(), destinations: z.array(DestinationSchema).optional() }).passthrough();
const SetOverflowSchema = z.object({ overflowRoutes: z.array(OverflowRouteSchema).optional() }).passthrough();
const SetRoutesSchema = z
  .object({ presentationRoutes: z.array(z.object({ destinations: z.array(DestinationSchema).optional() }).passthrough()).optional(), forwardRoutes: z.array(ForwardRouteSchema).optional() })
  .passthrough();
const DndSchema = z.object({ activate: z.boolean().optional() }).passthrough();

/** "[+]?[0-9A-D*#\\(\\) ]{1,49}" (L290; the doubled backslashes are escaping artefacts, digest §1.5). */
const phoneNumber = /^\+?[0-9A-D*#() ]{1,49}$/;

function routingError(message: string, info: Omit<RoutingErrorInfo, 'message'>): O2gError {
  return new O2gError(400, 'BAD_PARAMETER', message, { routing: { ...info, message } });
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    const message = `${what}: ${issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'invalid body'}`;
    throw routingError(message, { errorType: 'BAD_PARAMETER_VALUE', errorCause: 'UNKNOWN' });
  }
  return r.data;
}

const coreTypes: ForwardType[] = ['immediate', 'busy', 'noAnswer'];

export class RoutingService {
  private readonly overlays = new Map<string, Overlay>();
  private readonly lastSent = new Map<string, string>();

  constructor(private readonly svc: O2gService) {}

  reset(): void {
    this.overlays.clear();
    this.lastSent.clear();
  }

  private overlay(user: O2gUser): Overlay {
    let o = this.overlays.get(user.loginName);
    if (!o) {
      o = { overflowApplied: new Map() };
      this.overlays.set(user.loginName, o);
    }
    return o;
  }

  /** RoutingState (L4530–L4538). */
  state(user: O2gUser): Record<string, unknown> {
    const device = user.device as string;
    const pbx = this.svc.pbx;
    const forward = this.forwardRoute(user);
    const o = this.overlay(user);
    return {
      presentationRoutes: [{ destinations: [{ type: 'OFFICE', deviceId: device, selected: true }] }],
      forwardRoutes: forward ? [forward] : [],
      overflowRoutes: o.overflow ? [{ overflowType: o.overflow.overflowType, destinations: [{ type: o.overflow.dest.type, number: o.overflow.dest.number }] }] : [],
      dndState: { activate: pbx.dnd(device) },
    };
  }

  /** The forward route, read back from the core's forwards (minus what the overflow put there). */
  forwardRoute(user: O2gUser): Record<string, unknown> | undefined {
    const device = user.device as string;
    const o = this.overlay(user);
    const fwd = new Map<ForwardType, string>();
    for (const f of this.svc.pbx.forwards(device)) {
      if (!coreTypes.includes(f.type) || o.overflowApplied.get(f.type) === f.number) continue;
      fwd.set(f.type, f.number);
    }
    const dest = (number: string) => ({ type: number === user.cfg.voicemail?.number ? 'VOICEMAIL' : (o.forwardType ?? 'NUMBER'), number });
    const imm = fwd.get('immediate');
    if (imm) return { destinations: [dest(imm)] };
    const busy = fwd.get('busy');
    const noAnswer = fwd.get('noAnswer');
    if (busy && noAnswer === busy) return { forwardType: 'BUSY_NO_ANSWER', destinations: [dest(busy)] };
    if (busy) return { forwardType: 'BUSY', destinations: [dest(busy)] };
    if (noAnswer) return { forwardType: 'NO_ANSWER', destinations: [dest(noAnswer)] };
    return undefined;
  }

  process(batch: BatchEvent[], silent: boolean): void {
    const touched = new Set<string>();
    for (const { e } of batch) if (e.type === 'forward' || e.type === 'dnd') touched.add(e.device);
    for (const device of touched) {
      const user = this.svc.users.byDeviceNumber(device);
      if (user && this.svc.users.has(user, 'TELEPHONY_ADVANCED')) this.send(user, false, silent);
    }
  }

  /** OnRoutingStateChanged (L4495–L4502), when the state changed (or always, for a snapshot). */
  send(user: O2gUser, force: boolean, silent = false): void {
    const routingState = this.state(user);
    const json = JSON.stringify(routingState);
    if (!force && this.lastSent.get(user.loginName) === json) return;
    this.lastSent.set(user.loginName, json);
    if (!silent) this.svc.emit({ eventName: 'OnRoutingStateChanged', loginName: user.loginName, routingState });
  }

  // ---------------------------------------------------------------- validation and application

  /** A destination number a route may use, normalised for the PBX. */
  private checkNumber(user: O2gUser, raw: string | undefined, destinationType: string, route: 'forward' | 'overflow'): string {
    if (raw === undefined || raw.trim() === '') throw routingError('The destination number is missing', { errorType: 'BAD_PARAMETER_VALUE', destinationType, errorCause: 'NULL_OR_EMPTY_PARAMETER' });
    if (!phoneNumber.test(raw)) throw routingError(`${raw} is not a phone number`, { errorType: 'BAD_PARAMETER_VALUE', destinationType, errorCause: 'BAD_PHONE_NUMBER_FORMAT' });
    const number = raw.replace(/[ ()]/g, '');
    const pbx = this.svc.pbx;
    if (user.cfg.devices.some((d) => d.id === number)) {
      throw routingError('The destination is one of the user\'s devices', { errorType: 'UNAUTHORIZED', destinationType, errorCause: 'UNAUTHORIZED_PHONE_NUMBER' });
    }
    if (destinationType === 'USER' && !this.svc.users.byDeviceNumber(number)) {
      throw routingError(`${number} is not a user`, { errorType: 'UNAUTHORIZED', destinationType, errorCause: 'UNAUTHORIZED_NOT_A_USER' });
    }
    if (pbx.isQueue(number)) throw routingError('The destination can not be a service number', { errorType: 'UNAUTHORIZED', destinationType, errorCause: 'UNAUTHORIZED_PHONE_NUMBER' });
    const internal = pbx.isDevice(number);
    if (!internal && !/^(\+|0)\d{5,}$/.test(number)) {
      throw routingError(`${number} is not in the dial plan`, { errorType: 'UNKNOWN_PHONE_NUMBER', destinationType, errorCause: route === 'forward' ? 'INVALID_FORWARD_ROUTE' : 'INVALID_OVERFLOW_ROUTE' });
    }
    return number;
  }

  private voicemailOf(user: O2gUser, destinationType: string): string {
    const vm = user.cfg.voicemail?.number;
    if (!vm) throw routingError('The user has no voicemail', { errorType: 'UNAUTHORIZED', destinationType, errorCause: 'UNAUTHORIZED_PHONE_NUMBER' });
    return vm;
  }

  private forwardDest(user: O2gUser, route: z.infer<typeof ForwardRouteSchema>): Dest | undefined {
    const dests = route.destinations ?? [];
    if (dests.length === 0) return undefined;
    if (dests.length > 1) throw routingError('Only one forward destination is accepted', { errorType: 'BAD_PARAMETER_VALUE', errorCause: 'INVALID_FORWARD_ROUTE' });
    const d = dests[0] as z.infer<typeof DestinationSchema>;
    switch (d.type) {
      case 'VOICEMAIL':
        return { type: 'VOICEMAIL', number: this.voicemailOf(user, d.type) };
      case 'NUMBER':
      case 'USER':
      case 'OTHER':
        return { type: d.type === 'OTHER' ? 'NUMBER' : d.type, number: this.checkNumber(user, d.number, d.type, 'forward') };
      case 'UNKNOWN': {
        // "If UNKNOWN is selected, it will be changed … depending on the value set in number" (L4515).
        if (d.number && d.number === user.cfg.voicemail?.number) return { type: 'VOICEMAIL', number: d.number };
        const number = this.checkNumber(user, d.number, d.type, 'forward');
        return { type: this.svc.users.byDeviceNumber(number) ? 'USER' : 'NUMBER', number };
      }
      default:
        throw routingError(`A forward route can not go to ${d.type}`, { errorType: 'BAD_PARAMETER_VALUE', destinationType: d.type, errorCause: 'INVALID_FORWARD_ROUTE' });
    }
  }

  private overflowDest(user: O2gUser, route: z.infer<typeof OverflowRouteSchema>): { overflowType: Condition; dest: Dest } {
    if (!route.overflowType) throw routingError('The overflow type is not specified', { errorType: 'BAD_PARAMETER_VALUE', errorCause: 'INVALID_OVERFLOW_ROUTE' });
    const dests = route.destinations ?? [];
    if (dests.length !== 1) throw routingError('An overflow route has exactly one destination', { errorType: 'BAD_PARAMETER_VALUE', errorCause: 'INVALID_OVERFLOW_ROUTE' });
    const d = dests[0] as z.infer<typeof DestinationSchema>;
    let type = d.type;
    if (type === 'UNKNOWN') type = d.number && d.number === user.cfg.voicemail?.number ? 'VOICEMAIL' : d.number && this.svc.users.byDeviceNumber(d.number) ? 'USER' : 'OTHER';
    // "The overflow destination type is not one of VOICEMAIL / ASSOCIATE for a STANDARD user" (L301).
    if (type === 'VOICEMAIL') return { overflowType: route.overflowType, dest: { type, number: this.voicemailOf(user, type) } };
    if (type === 'ASSOCIATE') {
      const associate = user.cfg.associate;
      if (!associate) throw routingError('The user has no associate', { errorType: 'UNAUTHORIZED', destinationType: type, errorCause: 'UNAUTHORIZED_OVERFLOW' });
      return { overflowType: route.overflowType, dest: { type, number: associate } };
    }
    throw routingError(`An overflow route of a standard user can not go to ${type}`, { errorType: 'BAD_PARAMETER_VALUE', destinationType: type, errorCause: 'INVALID_OVERFLOW_ROUTE' });
  }

  private loopCheck(user: O2gUser, dest: Dest): void {
    const target = this.svc.users.byDeviceNumber(dest.number);
    if (!target?.device) return;
    if (this.svc.pbx.forwards(target.device).some((f) => f.type === 'immediate' && user.cfg.devices.some((d) => d.id === f.number))) {
      throw routingError('A loop in the forward chain has been detected', { errorType: 'BAD_PARAMETER_VALUE', destinationType: dest.type, errorCause: 'INVALID_FORWARD_ROUTE' });
    }
  }

  /** Make the core's forwards what the forward and overflow routes ask for. */
  private apply(user: O2gUser, forward: { condition?: Condition; dest: Dest } | undefined | 'keep'): void {
    const device = user.device as string;
    const pbx = this.svc.pbx;
    const o = this.overlay(user);
    const current = new Map<ForwardType, string>();
    for (const f of pbx.forwards(device)) if (coreTypes.includes(f.type)) current.set(f.type, f.number);
    const want = new Map<ForwardType, string>();
    if (forward === 'keep') {
      for (const [t, n] of current) if (o.overflowApplied.get(t) !== n) want.set(t, n);
    } else if (forward) {
      const types: ForwardType[] = forward.condition === undefined ? ['immediate'] : forward.condition === 'BUSY' ? ['busy'] : forward.condition === 'NO_ANSWER' ? ['noAnswer'] : ['busy', 'noAnswer'];
      for (const t of types) want.set(t, forward.dest.number);
    }
    const applied = new Map<ForwardType, string>();
    if (o.overflow) {
      const c = o.overflow.overflowType;
      const types: ForwardType[] = c === 'BUSY' ? ['busy'] : c === 'NO_ANSWER' ? ['noAnswer'] : ['busy', 'noAnswer'];
      for (const t of types) {
        if (want.has(t) || want.has('immediate')) continue;
        want.set(t, o.overflow.dest.number);
        applied.set(t, o.overflow.dest.number);
      }
    }
    o.overflowApplied = applied;
    for (const t of coreTypes) {
      const w = want.get(t);
      const c = current.get(t);
      if (w === c) continue;
      try {
        if (w === undefined) pbx.setForward(device, { type: t, number: c ?? '', on: false });
        else pbx.setForward(device, { type: t, number: w, on: true });
      } catch (err) {
        throw routingError(`The PBX refused the route: ${(err as Error).message}`, { errorType: 'UNKNOWN_PHONE_NUMBER', errorCause: 'UNKNOWN' });
      }
    }
    // Overlay-only changes (e.g. an overflow hidden by a forward) raise no core event: tell the user here.
    this.send(user, false);
  }

  private setForward(user: O2gUser, route: z.infer<typeof ForwardRouteSchema> | undefined): void {
    const dest = route ? this.forwardDest(user, route) : undefined;
    if (dest) this.loopCheck(user, dest);
    const condition = route?.forwardType === 'IMMEDIATE' ? undefined : route?.forwardType;
    this.overlay(user).forwardType = dest && dest.type !== 'VOICEMAIL' ? dest.type : undefined;
    this.apply(user, dest ? { condition, dest } : undefined);
  }

  routes(): Route[] {
    const svc = this.svc;
    const who = (ctx: RequestContext, write: boolean): O2gUser => {
      const user = svc.actingUser(ctx);
      svc.requireLicence(user, 'TELEPHONY_ADVANCED');
      if (!user.device || !svc.pbx.isDevice(user.device)) throw badParameter(`${user.loginName} has no device to route`);
      if (write) svc.requireLink();
      return user;
    };
    return [
      { method: 'GET', path: '/routing', handler: (ctx) => (who(ctx, false), ok({ presentationRoute: false, forwardRoute: true, overflowRoute: true, dnd: true })) },
      {
        method: 'POST',
        path: '/routing',
        handler: (ctx) => {
          const user = who(ctx, true);
          const body = parse(SetRoutesSchema, ctx.body, 'SetRoutesRequest');
          for (const p of body.presentationRoutes ?? []) {
            if ((p.destinations ?? []).some((d) => d.type === 'MOBILE')) {
              throw routingError('The user has no remote extension (MOBILE)', { errorType: 'INVALID_OPERATION', destinationType: 'MOBILE', errorCause: 'INVALID_CURRENT_DEVICE' });
            }
          }
          if (body.forwardRoutes) {
            if (body.forwardRoutes.length > 1) throw routingError('Only one forward route can be set', { errorType: 'BAD_PARAMETER_VALUE', errorCause: 'INVALID_FORWARD_ROUTE' });
            this.setForward(user, body.forwardRoutes[0]);
          }
          return noContent();
        },
      },
      { method: 'GET', path: '/routing/dnd', handler: (ctx) => ok({ activate: svc.pbx.dnd(who(ctx, false).device as string) }) },
      {
        method: 'POST',
        path: '/routing/dnd',
        handler: (ctx) => {
          const user = who(ctx, true);
          // No body documented (L4100–L4128): an empty body activates; {"activate":false} is accepted leniently.
          const body = parse(DndSchema, ctx.body, 'DNDState');
          svc.pbx.setDnd(user.device as string, body.activate ?? true);
          return noContent();
        },
      },
      {
        method: 'DELETE',
        path: '/routing/dnd',
        handler: (ctx) => {
          svc.pbx.setDnd(who(ctx, true).device as string, false);
          return noContent();
        },
      },
      { method: 'GET', path: '/routing/forwardroute', handler: (ctx) => ok(this.forwardRoute(who(ctx, false)) ?? {}) },
      {
        method: 'POST',
        path: '/routing/forwardroute',
        handler: (ctx) => {
          const user = who(ctx, true);
          this.setForward(user, parse(SetForwardRouteSchema, ctx.body, 'SetForwardRouteRequest').forwardRoute);
          return noContent();
        },
      },
      {
        method: 'DELETE',
        path: '/routing/forwardroute',
        handler: (ctx) => {
          const user = who(ctx, true);
          this.overlay(user).forwardType = undefined;
          this.apply(user, undefined);
          return noContent();
        },
      },
      {
        method: 'GET',
        path: '/routing/overflowroute',
        handler: (ctx) => {
          const o = this.overlay(who(ctx, false)).overflow;
          return ok(o ? { overflowType: o.overflowType, destinations: [{ type: o.dest.type, number: o.dest.number }] } : {});
        },
      },
      {
        method: 'POST',
        path: '/routing/overflowroute',
        handler: (ctx) => {
          const user = who(ctx, true);
          const routes = parse(SetOverflowSchema, ctx.body, 'SetOverflowRoutesRequest').overflowRoutes ?? [];
          if (routes.length !== 1) throw routingError('Exactly one overflow route can be set', { errorType: 'BAD_PARAMETER_VALUE', errorCause: 'INVALID_OVERFLOW_ROUTE' });
          this.overlay(user).overflow = this.overflowDest(user, routes[0] as z.infer<typeof OverflowRouteSchema>);
          this.apply(user, 'keep');
          return noContent();
        },
      },
      {
        method: 'DELETE',
        path: '/routing/overflowroute',
        handler: (ctx) => {
          const user = who(ctx, true);
          this.overlay(user).overflow = undefined;
          this.apply(user, 'keep');
          return noContent();
        },
      },
      { method: 'GET', path: '/routing/state', handler: (ctx) => ok(this.state(who(ctx, false))) },
      {
        method: 'POST',
        path: '/routing/state/snapshot',
        handler: (ctx) => {
          const target = svc.actingUserOrAll(ctx);
          const users = target === 'all' ? svc.users.people().filter((u) => svc.users.has(u, 'TELEPHONY_ADVANCED')) : [target];
          for (const u of users) svc.requireLicence(u, 'TELEPHONY_ADVANCED');
          for (const u of users) if (u.device && svc.pbx.isDevice(u.device)) svc.snapshot(`routing|${u.loginName}`, () => this.send(u, true));
          return noContent();
        },
      },
    ];
  }
}
