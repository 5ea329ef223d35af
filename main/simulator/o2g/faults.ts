// The O2G front-end's control-API routes (mounted under /o2g by the lab's control API): server stop/start and
// stall, connection drops, session expiry, and event-channel faults (drop, half-open, garbage, oversize,
// split and coalesced chunks). Bodies are validated with zod; each route answers what it did.
import { z } from 'zod';
import { HttpError, parseControlBody, type ControlRoute } from '../control-api.js';
import type { O2gFrontEnd } from './front-end.js';
import type { O2gServer, Role } from './server.js';

const role = z.enum(['primary', 'secondary']);
const Target = z.object({ role: role.optional(), subscriptionId: z.string().min(1).max(200).optional() }).strict();
const DropBody = Target.extend({ midLine: z.boolean().optional() }).strict();
const GarbageBody = Target.extend({ text: z.string().min(1).max(65_536).optional() }).strict();
const OversizeBody = Target.extend({ bytes: z.number().int().min(1).max(64 * 1024 * 1024).optional() }).strict();
const SplitBody = Target.extend({ parts: z.number().int().min(2).max(64).optional(), events: z.number().int().min(1).max(1000).optional() }).strict();
const CoalesceBody = Target.extend({ events: z.number().int().min(2).max(1000).optional() }).strict();
const StallBody = z.object({ ms: z.number().int().min(1).max(600_000) }).strict();
const ConnectionsBody = z.object({ role: role.optional(), keepSessions: z.boolean().optional() }).strict();
const RoleBody = z.object({ role: role.optional() }).strict();

export function o2gControlRoutes(fe: O2gFrontEnd): ControlRoute[] {
  const server = (name: string | undefined): O2gServer => {
    const parsed = role.safeParse(name);
    const s = parsed.success ? fe.server(parsed.data) : undefined;
    if (!s) throw new HttpError(404, `no O2G ${name ?? ''} server`);
    return s;
  };
  const servers = (r: Role | undefined): O2gServer[] => (r ? [server(r)] : fe.servers());
  /** The subscriptions a channel fault targets; 404 when a named one is not there. */
  const targets = (t: z.infer<typeof Target>, openOnly: boolean) => {
    const subs = servers(t.role).flatMap((s) => (openOnly ? s.channels(t.subscriptionId) : s.subscriptions.all().filter((x) => t.subscriptionId === undefined || x.id === t.subscriptionId)));
    if (t.subscriptionId !== undefined && subs.length === 0) throw new HttpError(404, openOnly ? `no open channel for subscription ${t.subscriptionId}` : `no subscription ${t.subscriptionId}`);
    return subs;
  };
  return [
    { method: 'GET', path: '/o2g', handler: () => ({ json: fe.describe() }) },
    {
      method: 'POST',
      path: '/o2g/servers/{role}/stop',
      handler: async ([r]) => {
        const s = server(r);
        await s.stop();
        return { json: { role: s.role, running: false } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/servers/{role}/start',
      handler: async ([r]) => {
        const s = server(r);
        await s.start();
        return { json: { role: s.role, running: true, port: s.port } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/servers/{role}/restart',
      handler: async ([r]) => {
        const s = server(r);
        await s.stop();
        await s.start();
        return { json: { role: s.role, running: true, port: s.port } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/servers/{role}/stall',
      handler: ([r], body) => {
        const s = server(r);
        const b = parseControlBody(StallBody, body);
        s.stall(b.ms);
        return { json: { role: s.role, stalledMs: b.ms } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/connections/drop',
      handler: (_p, body) => {
        const b = parseControlBody(ConnectionsBody, body ?? {});
        const dropped = servers(b.role).reduce((n, s) => n + s.dropConnections(!(b.keepSessions ?? false)), 0);
        return { json: { dropped } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/sessions/expire',
      handler: (_p, body) => {
        const b = parseControlBody(RoleBody, body ?? {});
        const expired = servers(b.role).reduce((n, s) => n + s.sessions.expireAll(), 0);
        return { json: { expired } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/channels/drop',
      handler: (_p, body) => {
        const b = parseControlBody(DropBody, body ?? {});
        const subs = targets(b, true);
        for (const s of subs) s.channel.drop(b.midLine ?? false);
        return { json: { channels: subs.length } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/channels/halfopen',
      handler: (_p, body) => {
        const subs = targets(parseControlBody(Target, body ?? {}), true);
        for (const s of subs) s.channel.halfOpen();
        return { json: { channels: subs.length } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/channels/garbage',
      handler: (_p, body) => {
        const b = parseControlBody(GarbageBody, body ?? {});
        const subs = targets(b, true);
        for (const s of subs) s.channel.writeRaw(b.text ?? '{"eventName":"OnCallCreated","loginName":<<garbage>>}\n');
        return { json: { channels: subs.length } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/channels/oversize',
      handler: (_p, body) => {
        const b = parseControlBody(OversizeBody, body ?? {});
        const subs = targets(b, true);
        // One line of `bytes` bytes without a newline: a client must bound its line buffer.
        const blob = '{"eventName":"OnChannelInformation","text":"' + 'x'.repeat(Math.max(0, (b.bytes ?? 2 * 1024 * 1024) - 44));
        for (const s of subs) s.channel.writeRaw(blob);
        return { json: { channels: subs.length, bytes: blob.length } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/channels/split',
      handler: (_p, body) => {
        const b = parseControlBody(SplitBody, body ?? {});
        const subs = targets(b, false);
        for (const s of subs) s.channel.splitNext(b.parts ?? 3, b.events ?? 1);
        return { json: { channels: subs.length } };
      },
    },
    {
      method: 'POST',
      path: '/o2g/channels/coalesce',
      handler: (_p, body) => {
        const b = parseControlBody(CoalesceBody, body ?? {});
        const subs = targets(b, false);
        for (const s of subs) s.channel.coalesceNext(b.events ?? 2);
        return { json: { channels: subs.length } };
      },
    },
  ];
}
