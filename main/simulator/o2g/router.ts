// The REST routes of the O2G front-end: path patterns relative to /api/rest/1.0, the request context a
// handler gets, and the replies it returns. 405 for a known path with another method, undefined (404) else.
import type { O2gUser } from './users.js';
import type { Session } from './sessions.js';

export interface ServerInfo {
  role: 'primary' | 'secondary';
  /** Base of the private URLs of the listener the request came in on, e.g. "https://127.0.0.1:5080". */
  privateBase: string;
  /** Base of the public URLs (configurable, default the private base). */
  publicBase: string;
}

export interface RequestContext {
  method: string;
  path: string;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  session: Session;
  server: ServerInfo;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  path: string;
  handler: Handler;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const noContent = (): Reply => ({ status: 204 });

export class Router {
  private readonly routes: Array<Route & { pattern: RegExp }> = [];

  add(routes: Route[]): void {
    for (const r of routes) {
      const pattern = new RegExp(`^${r.path.replace(/\{[A-Za-z]+\}/g, '([^/]+)')}$`);
      this.routes.push({ ...r, pattern });
    }
    // Literal paths win over patterns (e.g. /telephony/basicCall/answer vs /telephony/calls/{callRef}).
    this.routes.sort((a, b) => Number(a.path.includes('{')) - Number(b.path.includes('{')));
  }

  match(method: string, path: string): { route: Route; params: string[] } | 'methodNotAllowed' | undefined {
    let pathKnown = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (r.method === method) return { route: r, params: m.slice(1).map((p) => decodeURIComponent(p)) };
    }
    return pathKnown ? 'methodNotAllowed' : undefined;
  }
}

/** Who a request acts for, once resolved (see service.actingUser). */
export interface Acting {
  user: O2gUser;
  /** The request came from an administrator session acting for the user. */
  byAdmin: boolean;
}
