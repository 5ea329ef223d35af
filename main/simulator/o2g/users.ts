// The O2G users of the lab (one PBX device each), their identities as the telephony, directory and comlog
// services show them, and the Users service: /logins, /users, /users/{loginName} (+ preferences).
import { z } from 'zod';
import type { Pbx } from '../pbx/pbx.js';
import type { Licence, O2gConfig, O2gUserConfig } from './config.js';
import { badParameter, notAllowed, notFound } from './errors.js';
import { queryFlag } from './http-util.js';
import { noContent, ok, type RequestContext, type Route } from './router.js';

export interface O2gUser {
  cfg: O2gUserConfig;
  loginName: string;
  admin: boolean;
  /** The main device (the first one); undefined for administrators. */
  device: string | undefined;
  licences: ReadonlySet<Licence>;
  guiLanguage: string;
}

export type MainType = 'USER' | 'DEVICE' | 'SERVICE' | 'EXTERNAL' | 'UNKNOWN';

/** PartyInfo (telephony, L3505–L3513) / ComPartyInfo (comlog). */
export interface PartyInfo {
  id: { loginName?: string; phoneNumber?: string };
  firstName?: string;
  lastName?: string;
  displayName?: string;
  type?: { main: MainType; subType?: string };
}

export const supportedGuiLanguages = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'];

export class O2gUsers {
  private readonly byLogin = new Map<string, O2gUser>();
  private readonly byDevice = new Map<string, O2gUser>();

  constructor(
    config: O2gConfig,
    private readonly pbx: Pbx,
  ) {
    for (const cfg of config.users) {
      const user: O2gUser = {
        cfg: { ...cfg },
        loginName: cfg.loginName,
        admin: cfg.admin ?? false,
        device: cfg.admin ? undefined : cfg.devices[0]?.id,
        licences: new Set(cfg.licences),
        guiLanguage: cfg.guiLanguage ?? 'en',
      };
      this.byLogin.set(cfg.loginName, user);
      for (const d of cfg.devices) if (!cfg.admin) this.byDevice.set(d.id, user);
    }
  }

  all(): O2gUser[] {
    return [...this.byLogin.values()];
  }

  /** Users that have a device (everyone but administrators). */
  people(): O2gUser[] {
    return this.all().filter((u) => !u.admin && u.device !== undefined);
  }

  byLoginName(loginName: string): O2gUser | undefined {
    return this.byLogin.get(loginName);
  }

  byDeviceNumber(number: string): O2gUser | undefined {
    return this.byDevice.get(number);
  }

  /** Telephony (calls, events) is served only for monitored users whose device exists at the PBX. */
  monitored(user: O2gUser): boolean {
    return !user.admin && user.cfg.monitored !== false && user.device !== undefined && this.pbx.isDevice(user.device);
  }

  has(user: O2gUser, ...anyOf: Licence[]): boolean {
    return user.admin || anyOf.some((l) => user.licences.has(l));
  }

  isAcdOperator(user: O2gUser): boolean {
    return user.cfg.acd !== undefined;
  }

  /** Who a phone number is, as a call participant (L3505–L3519). */
  partyInfo(number: string, opts: { name?: string; withheld?: boolean; kind?: 'device' | 'external' | 'queue' } = {}): PartyInfo {
    if (opts.withheld) return { id: {}, type: { main: 'UNKNOWN' } };
    const user = this.byDevice.get(number);
    if (user) {
      return { id: { loginName: user.loginName, phoneNumber: number }, firstName: user.cfg.firstName, lastName: user.cfg.lastName, type: { main: 'USER', subType: 'pbx' } };
    }
    if (this.isVoicemailServer(number)) return { id: { phoneNumber: number }, displayName: 'Voicemail', type: { main: 'SERVICE', subType: 'voicemail' } };
    if (this.pbx.isQueue(number)) return { id: { phoneNumber: number }, displayName: `CCD ${number}`, type: { main: 'SERVICE', subType: 'pilot' } };
    if (this.pbx.isDevice(number)) {
      // A PBX subscriber without an O2G account: a user of the system, not monitored.
      const name = this.pbx.device(number)?.name;
      return { id: { phoneNumber: number }, ...(name ? { displayName: name } : {}), type: { main: 'USER', subType: 'pbx' } };
    }
    const name = opts.name ?? this.pbx.directory.lookup(number, [])?.name;
    return { id: { phoneNumber: number }, ...(name ? { displayName: name } : {}), type: { main: 'EXTERNAL', subType: 'public' } };
  }

  isVoicemailServer(number: string): boolean {
    return this.all().some((u) => u.cfg.voicemail?.number === number);
  }

  /** The User resource (L1040–L1062); devices only for the owner or an administrator (L1059–L1061). */
  userResource(user: O2gUser, withDevices: boolean, nodeId: string): Record<string, unknown> {
    return {
      ...(user.cfg.companyPhone ? { companyPhone: user.cfg.companyPhone } : {}),
      ...(user.cfg.firstName ? { firstName: user.cfg.firstName } : {}),
      ...(user.cfg.lastName ? { lastName: user.cfg.lastName } : {}),
      loginName: user.loginName,
      ...(user.cfg.voicemail ? { voicemail: { ...user.cfg.voicemail } } : {}),
      ...(withDevices && !user.admin ? { devices: user.cfg.devices.map((d) => ({ type: d.type, id: d.id, ...(d.subType ? { subType: d.subType } : {}) })) } : {}),
      nodeId,
    };
  }
}

const PreferencesBody = z.object({ guiLanguage: z.string().optional(), oxeLanguage: z.string().optional() }).passthrough();
const PasswordBody = z.object({ oldPassword: z.string(), newPassword: z.string().min(1).max(64) });

export interface UsersDeps {
  users: O2gUsers;
  nodeId: string;
  emitUserInfo(user: O2gUser): void;
}

export function usersRoutes(deps: UsersDeps): Route[] {
  const { users } = deps;
  const target = (ctx: RequestContext, loginName: string) => {
    const user = users.byLoginName(loginName);
    if (!user) throw notFound(`Unknown login name ${loginName}`);
    const me = ctx.session.user;
    // A user session sees itself; the path loginName of preferences is ignored for users (L919–L920).
    if (!ctx.session.admin && user !== me) return { user, own: false };
    return { user, own: true };
  };
  return [
    {
      method: 'GET',
      path: '/logins',
      handler: (ctx) => {
        if (!ctx.session.admin) return ok({ loginNames: [ctx.session.user.loginName] });
        const onlyAcd = queryFlag(ctx.query, 'onlyACD') === true;
        const nodes = (ctx.query.get('nodeIds') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        if (nodes.length > 0 && !nodes.includes(deps.nodeId)) return ok({ loginNames: [] });
        const list = users.people().filter((u) => !onlyAcd || users.isAcdOperator(u));
        return ok({ loginNames: list.map((u) => u.loginName) });
      },
    },
    {
      method: 'GET',
      path: '/users',
      handler: (ctx) => {
        const phone = ctx.query.get('companyPhone');
        if (phone === null || phone === '') throw badParameter('One query parameter is expected (companyPhone)');
        const user = users.all().find((u) => u.cfg.companyPhone === phone || u.cfg.devices.some((d) => d.id === phone));
        if (!user) throw notFound(`No user with the company phone ${phone}`, 404);
        return ok(users.userResource(user, ctx.session.admin || user === ctx.session.user, deps.nodeId));
      },
    },
    {
      method: 'GET',
      path: '/users/{loginName}',
      handler: (ctx) => {
        const { user } = target(ctx, ctx.params[0] as string);
        return ok(users.userResource(user, ctx.session.admin || user === ctx.session.user, deps.nodeId));
      },
    },
    {
      method: 'GET',
      path: '/users/{loginName}/preferences',
      handler: (ctx) => {
        const t = target(ctx, ctx.params[0] as string);
        const user = t.own ? t.user : ctx.session.user;
        return ok({ guiLanguage: user.guiLanguage, oxeLanguage: user.guiLanguage === 'fr' ? 'French' : 'US_English' });
      },
    },
    {
      method: 'POST',
      path: '/users/{loginName}/preferences',
      handler: (ctx) => {
        const t = target(ctx, ctx.params[0] as string);
        const user = t.own ? t.user : ctx.session.user;
        const body = PreferencesBody.safeParse(ctx.body ?? {});
        if (!body.success) throw badParameter('Invalid UserPreferences');
        const lang = body.data.guiLanguage;
        if (lang !== undefined) {
          if (!supportedGuiLanguages.includes(lang)) throw badParameter(`Unsupported GUI language ${lang}`);
          user.guiLanguage = lang;
          deps.emitUserInfo(user);
        }
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/users/{loginName}/preferences/supportedLanguages',
      handler: () => ok({ supportedLanguages: ['US_English', 'French', 'German', 'Spanish', 'Italian', 'Dutch', 'Portuguese'], supportedGuiLanguages: supportedGuiLanguages }),
    },
    {
      method: 'PUT',
      path: '/users/{loginName}/password',
      handler: (ctx) => {
        const t = target(ctx, ctx.params[0] as string);
        if (!t.own) throw notAllowed('A user may change its own password only');
        const body = PasswordBody.safeParse(ctx.body);
        if (!body.success) throw badParameter('ChangePasswordRequest needs oldPassword and newPassword');
        if (body.data.oldPassword !== t.user.cfg.password) throw notAllowed('The old password is wrong');
        t.user.cfg.password = body.data.newPassword;
        return noContent();
      },
    },
  ];
}
