// The lab's CTIPS front-end: an Active/Active pair (digest 002 §2.7, T22) of two CtipsPortal instances,
// portal A and portal B, on different ports over one PBX and one CtipsPlatform, so a client failing
// over from A to B finds the same agents, CallIds and NotReadyPark flags in B's Snapshot. Each portal
// has its own sessions, heartbeats, listener and 10-connection limit. Control routes: /ctips/a/… and
// /ctips/b/… address one portal (/ctips/… is portal A); GET /ctips/portals and GET /ctips/platform
// describe the pair; POST /ctips/passcode (digits keyed on a phone) and POST /ctips/link (LinkStatus)
// act on the platform, so both portals report the outcome.
import type { Logger } from '../../core/log.js';
import type { ControlRoute, FrontEndControl } from '../control-api.js';
import type { Pbx } from '../pbx/pbx.js';
import type { CtipsConfig } from './config.js';
import { CtipsPlatform, type CtipsComponent, type CtipsComponentState } from './platform.js';
import { CtipsPortal, type CtipsPortalStatus } from './portal.js';

export type CtipsPortalName = 'a' | 'b';

export interface CtipsFrontEndOptions {
  host: string;
  /** 0 = a free port (kept across restarts). */
  ports: { a: number; b: number };
  /** Both portals' config (same tenant, users, agents). */
  config?: Partial<CtipsConfig>;
  log?: Logger;
  /** The platform to share; a new one when absent. */
  platform?: CtipsPlatform;
}

const str = (body: unknown, key: string): string | undefined => {
  const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * The platform's control routes under `prefix`: POST …/passcode {device, digits} (the agent keys the
 * EnterPasscode digits on the station's phone) and POST …/link {component: Gateway|CenterCord, state: Up|Down}.
 */
export function platformRoutes(platform: CtipsPlatform, prefix = '/ctips'): ControlRoute[] {
  return [
    {
      method: 'POST',
      path: `${prefix}/passcode`,
      handler: (_p, body) => {
        const device = str(body, 'device')?.trim();
        const digits = str(body, 'digits')?.trim();
        if (!device || digits === undefined || !/^[0-9*#]{1,32}$/.test(digits)) return { status: 400, json: { error: 'body must be {device, digits} with digits 0-9 * # (1–32)' } };
        const r = platform.enterPasscode(device, digits);
        if (!r) return { status: 404, json: { error: `no login waits for a passcode at ${device.slice(0, 32)}` } };
        return { json: { device, ...r } };
      },
    },
    {
      method: 'POST',
      path: `${prefix}/link`,
      handler: (_p, body) => {
        const component = (['Gateway', 'CenterCord'] as const).find((c) => c.toLowerCase() === str(body, 'component')?.toLowerCase());
        const state = (['Up', 'Down'] as const).find((c) => c.toLowerCase() === str(body, 'state')?.toLowerCase());
        if (!component || !state) return { status: 400, json: { error: "body must be {component: 'Gateway'|'CenterCord', state: 'Up'|'Down'}" } };
        platform.setLink(component as CtipsComponent, state as CtipsComponentState);
        return { json: { component, state, links: platform.describe().links } };
      },
    },
  ];
}

export class CtipsFrontEnd {
  private constructor(
    readonly platform: CtipsPlatform,
    readonly a: CtipsPortal,
    readonly b: CtipsPortal,
  ) {}

  static async start(pbx: Pbx, opts: CtipsFrontEndOptions): Promise<CtipsFrontEnd> {
    const platform = opts.platform ?? new CtipsPlatform(pbx);
    const start = (name: CtipsPortalName, port: number): Promise<CtipsPortal> =>
      CtipsPortal.start(pbx, { host: opts.host, port, platform, ...(opts.config ? { config: opts.config } : {}), ...(opts.log ? { log: opts.log.child({ portal: name }) } : {}) });
    const a = await start('a', opts.ports.a);
    try {
      const b = await start('b', opts.ports.b);
      return new CtipsFrontEnd(platform, a, b);
    } catch (err) {
      await a.close();
      throw err;
    }
  }

  portal(name: CtipsPortalName): CtipsPortal {
    return name === 'a' ? this.a : this.b;
  }

  portals(): Array<{ name: CtipsPortalName; portal: CtipsPortal }> {
    return [
      { name: 'a', portal: this.a },
      { name: 'b', portal: this.b },
    ];
  }

  status(): Array<{ portal: CtipsPortalName } & CtipsPortalStatus> {
    return this.portals().map(({ name, portal }) => ({ portal: name, ...portal.status() }));
  }

  /** Both portals' sessions dropped, what they reported and the platform's ids and flags forgotten. */
  reset(): void {
    this.a.reset();
    this.b.reset();
  }

  /**
   * For the control API: dropClients (both portals), adminClose (logs the station's agent out, once),
   * reset, and the routes: each portal's under /ctips/a and /ctips/b, portal A's also under /ctips,
   * plus GET /ctips/portals, GET /ctips/platform, POST /ctips/passcode and POST /ctips/link.
   */
  control(): FrontEndControl {
    const routes: ControlRoute[] = [
      { method: 'GET', path: '/ctips/portals', handler: () => ({ json: this.status() }) },
      { method: 'GET', path: '/ctips/platform', handler: () => ({ json: this.platform.describe() }) },
      ...platformRoutes(this.platform, '/ctips'),
      ...this.a.routes('/ctips'),
      ...this.a.routes('/ctips/a'),
      ...this.b.routes('/ctips/b'),
    ];
    return {
      vendor: 'ctips',
      dropClients: () => this.a.dropSessions() + this.b.dropSessions(),
      adminClose: (device) => this.a.adminClose(device),
      reset: () => this.reset(),
      routes,
    };
  }

  async stop(): Promise<void> {
    await this.b.close();
    await this.a.close();
  }
}
