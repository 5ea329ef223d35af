// The TWS front-end's control-API routes (mounted under /tws by the lab's control API): feed stop/start,
// connection drops, half-open, garbage and oversize frames, server stall and restart, token expiry.
// Bodies are validated with zod; each route answers what it did.
import { z } from 'zod';
import { HttpError, parseControlBody, type ControlRoute } from '../control-api.js';
import type { TwsFrontEnd } from './front-end.js';
import { feedKinds, type FeedKind } from './service.js';

const socketFeeds = ['tcp', 'ws', 'wss'] as const;
type SocketFeed = (typeof socketFeeds)[number];

const GarbageBody = z.object({ text: z.string().min(1).max(65_536).optional() }).strict();
const OversizeBody = z.object({ bytes: z.number().int().min(1).max(64 * 1024 * 1024).optional() }).strict();
const StallBody = z.object({ ms: z.number().int().min(1).max(600_000) }).strict();
/** `existingOnly`: only the tokens issued so far expire (a real expiry: a new sign-in works); by default every
 *  token, those issued later included, answers -44 until /reset or a restart. */
const ExpireBody = z.object({ existingOnly: z.boolean().optional() }).strict();
const Empty = z.object({}).strict();

/** The default malformed frame: a CGenericEvent cut in the middle of an element. */
export const defaultGarbage = '<CGenericEvent xmlns="http://schemas.datacontract.org/2004/07/Algoria.TWS.GenericClass"><eventType>CallEvent</eventType><genericCallEvent><CGenericCCo><m_Conn';

export function twsControlRoutes(fe: TwsFrontEnd): ControlRoute[] {
  const feed = (name: string | undefined): FeedKind => {
    if (!feedKinds.includes(name as FeedKind)) throw new HttpError(404, `no TWS feed ${name ?? ''} (tcp, ws, wss, poll)`);
    return name as FeedKind;
  };
  const socketFeed = (name: string | undefined): SocketFeed => {
    if (!socketFeeds.includes(name as SocketFeed)) throw new HttpError(404, `no TWS socket feed ${name ?? ''} (tcp, ws, wss)`);
    return name as SocketFeed;
  };
  return [
    { method: 'GET', path: '/tws', handler: () => ({ json: fe.describe() }) },
    {
      method: 'POST',
      path: '/tws/feeds/{feed}/stop',
      handler: ([f], body) => {
        parseControlBody(Empty, body ?? {});
        const kind = feed(f);
        return { json: { feed: kind, stopped: true, closed: fe.stopFeed(kind) } };
      },
    },
    {
      method: 'POST',
      path: '/tws/feeds/{feed}/start',
      handler: ([f], body) => {
        parseControlBody(Empty, body ?? {});
        const kind = feed(f);
        fe.startFeed(kind);
        return { json: { feed: kind, stopped: false } };
      },
    },
    {
      method: 'POST',
      path: '/tws/feeds/{feed}/halfopen',
      handler: ([f], body) => {
        parseControlBody(Empty, body ?? {});
        const kind = socketFeed(f);
        return { json: { feed: kind, halfOpen: fe.halfOpen(kind) } };
      },
    },
    {
      method: 'POST',
      path: '/tws/feeds/{feed}/garbage',
      handler: ([f], body) => {
        const b = parseControlBody(GarbageBody, body ?? {});
        const kind = socketFeed(f);
        return { json: { feed: kind, sent: fe.writeRaw(kind, b.text ?? defaultGarbage) } };
      },
    },
    {
      method: 'POST',
      path: '/tws/feeds/{feed}/oversize',
      handler: ([f], body) => {
        const b = parseControlBody(OversizeBody, body ?? {});
        const kind = socketFeed(f);
        const bytes = b.bytes ?? 2 * 1024 * 1024;
        const open = '<CGenericEvent><eventType>CallEvent</eventType><objectName>';
        const close = '</objectName></CGenericEvent>';
        const text = open + 'x'.repeat(Math.max(0, bytes - open.length - close.length)) + close;
        return { json: { feed: kind, bytes: Buffer.byteLength(text), sent: fe.writeRaw(kind, text) } };
      },
    },
    {
      method: 'POST',
      path: '/tws/connections/drop',
      handler: (_p, body) => {
        parseControlBody(Empty, body ?? {});
        return { json: { dropped: fe.dropConnections() } };
      },
    },
    {
      method: 'POST',
      path: '/tws/server/stall',
      handler: (_p, body) => {
        const b = parseControlBody(StallBody, body);
        fe.stall(b.ms);
        return { json: { stalledMs: b.ms } };
      },
    },
    {
      method: 'POST',
      path: '/tws/server/restart',
      handler: async (_p, body) => {
        parseControlBody(Empty, body ?? {});
        await fe.restart();
        return { json: { restarted: true, ports: fe.ports } };
      },
    },
    {
      method: 'POST',
      path: '/tws/tokens/expire',
      handler: (_p, body) => {
        const b = parseControlBody(ExpireBody, body ?? {});
        const tokens = fe.service.tokens.size;
        return { json: { expired: tokens, closed: fe.service.expireTokens({ existingOnly: b.existingOnly === true }) } };
      },
    },
  ];
}
