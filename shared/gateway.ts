// The site gateway protocol (`cti serve`, docs/gateway.md): one WebSocket per desktop, carrying the
// web host's framing (shared/bridge.ts WsClientFrame: {id, channel, payload} → {id, reply} or
// {push, payload}) and the bridge's commands, queries, events and typed errors. A desktop first
// signs in as its agent at its station; nothing else is accepted before that succeeds. Every
// payload has a schema here, checked by the gateway on what it receives and by the desktop on what
// it receives.
import { z } from 'zod';
import { WsClientFrame } from './bridge.js';
import { CallLogRow } from './calllog.js';
import { Command, CtiErrorShape, Query } from './commands.js';
import { CtiEvent, SnapshotEvent } from './events.js';
import { DirectoryEntry, QueueStats, Vendor } from './model.js';

/** The WebSocket path of the gateway; `GET /health` answers beside it. */
export const GATEWAY_PATH = '/gateway';
export const GATEWAY_HEALTH_PATH = '/health';
export const GATEWAY_DEFAULT_PORT = 8780;
/** Largest frame a desktop may send (sign-in, commands and queries are small). */
export const GATEWAY_MAX_CLIENT_FRAME_BYTES = 256 * 1024;
/** Largest frame the gateway may send (a supervisor's snapshot or queue list). */
export const GATEWAY_MAX_SERVER_FRAME_BYTES = 8 * 1024 * 1024;
/** Close code the gateway uses after `gateway.lost` (the site's session ended, or the gateway stops). */
export const GATEWAY_CLOSE_LOST = 4001;
/** Close code after a refused sign-in. */
export const GATEWAY_CLOSE_SIGNIN = 4003;

export const GatewayRole = z.enum(['agent', 'supervisor']);
export type GatewayRole = z.infer<typeof GatewayRole>;

/** The agent's login name, as profile.ts's GatewayAccount spells it. */
export const GatewayLogin = z.string().trim().min(1).max(64).regex(/^[^\s:]+$/, 'a login name without spaces or colons');
/** A station (PBX device number), as profile.ts's device. */
export const GatewayStation = z.string().trim().min(1).max(32).regex(/^[0-9+*#]+$/, 'a device number');

/** `gateway.signIn`: who the desktop is and where it sits. `role` is a wish the account must allow. */
export const GatewaySignIn = z
  .object({
    login: GatewayLogin,
    password: z.string().max(256),
    station: GatewayStation,
    role: GatewayRole.optional(),
    /** Free text naming the desktop (logged), e.g. `agent-desktop 0.1.0`. */
    client: z.string().max(128).optional(),
  })
  .strict();
export type GatewaySignIn = z.infer<typeof GatewaySignIn>;

export const GatewaySignInReply = z.object({
  vendor: Vendor,
  /** Command kinds the site's connector supports (unknown kinds are ignored by older desktops). */
  capabilities: z.array(z.string().max(64)).max(128),
  extraCapabilities: z.array(z.string().max(64)).max(64),
  /** The role granted, which the account decides. */
  role: GatewayRole,
  agentId: z.string().max(64).optional(),
});
export type GatewaySignInReply = z.infer<typeof GatewaySignInReply>;

export const GatewayKeepAlive = z.object({
  missedEvents: z.number().int().nonnegative(),
  pbxLinkUp: z.boolean(),
  snapshot: SnapshotEvent.optional(),
});
export type GatewayKeepAlive = z.infer<typeof GatewayKeepAlive>;

export const GatewayQueryResult = z.union([z.array(DirectoryEntry), z.array(CallLogRow), z.array(QueueStats)]);
export type GatewayQueryResult = z.infer<typeof GatewayQueryResult>;

const empty = z.object({}).strict();

/** Desktop → gateway requests: each channel's payload schema and the schema of its reply's value. */
export const gatewayChannels = {
  'gateway.signIn': { request: GatewaySignIn, reply: GatewaySignInReply },
  'cti.command': { request: Command, reply: z.object({ accepted: z.literal(true) }) },
  'cti.query': { request: Query, reply: GatewayQueryResult },
  'gateway.snapshot': { request: empty, reply: SnapshotEvent },
  'gateway.keepAlive': { request: empty, reply: GatewayKeepAlive },
} as const;

export type GatewayChannel = keyof typeof gatewayChannels;
export const gatewayChannelNames = Object.keys(gatewayChannels) as GatewayChannel[];
export type GatewayRequest<C extends GatewayChannel> = z.infer<(typeof gatewayChannels)[C]['request']>;
export type GatewayRequestInput<C extends GatewayChannel> = z.input<(typeof gatewayChannels)[C]['request']>;
export type GatewayValue<C extends GatewayChannel> = z.infer<(typeof gatewayChannels)[C]['reply']>;

export function isGatewayChannel(name: string): name is GatewayChannel {
  return Object.prototype.hasOwnProperty.call(gatewayChannels, name);
}

/** Desktop → gateway frame: the web host's frame. */
export const GatewayClientFrame = WsClientFrame;
export type GatewayClientFrame = WsClientFrame;

export const GatewayReply = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: CtiErrorShape }),
]);
export type GatewayReply = { ok: true; value: unknown } | { ok: false; error: CtiErrorShape };

export const gatewayPushChannels = ['cti.event', 'gateway.lost'] as const;
export type GatewayPushChannel = (typeof gatewayPushChannels)[number];

/**
 * Gateway → desktop frame, as first read: the envelope only. An event's payload is checked
 * against CtiEvent afterwards, so one bad event is reported and the session goes on.
 */
export const GatewayServerFrame = z.union([
  z.object({ id: z.number().int().nonnegative(), reply: GatewayReply }),
  z.object({ push: z.literal('cti.event'), payload: z.unknown() }),
  z.object({ push: z.literal('gateway.lost'), payload: CtiErrorShape }),
]);
export type GatewayServerFrame =
  | { id: number; reply: GatewayReply }
  | { push: 'cti.event'; payload: CtiEvent }
  | { push: 'gateway.lost'; payload: CtiErrorShape };

function issues(error: z.ZodError): string {
  // Paths and messages only: never the values (a sign-in carries a password).
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
    .join('; ');
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: CtiErrorShape };

/** A request's payload checked against its channel's schema. */
export function parseGatewayRequest<C extends GatewayChannel>(channel: C, payload: unknown): Parsed<GatewayRequest<C>> {
  const r = gatewayChannels[channel].request.safeParse(payload);
  if (r.success) return { ok: true, value: r.data as GatewayRequest<C> };
  return { ok: false, error: { code: 'invalid', message: `${channel}: ${issues(r.error)}` } };
}

/** A reply's value checked against its channel's schema (on the desktop). */
export function parseGatewayValue<C extends GatewayChannel>(channel: C, value: unknown): Parsed<GatewayValue<C>> {
  const r = gatewayChannels[channel].reply.safeParse(value);
  if (r.success) return { ok: true, value: r.data as GatewayValue<C> };
  return { ok: false, error: { code: 'protocol', message: `the gateway's ${channel} reply is malformed: ${issues(r.error)}` } };
}

/** An event pushed by the gateway, checked against CtiEvent. */
export function parseGatewayEvent(payload: unknown): Parsed<CtiEvent> {
  const r = CtiEvent.safeParse(payload);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: { code: 'protocol', message: `the gateway sent a malformed event: ${issues(r.error)}` } };
}

/** A frame from the gateway: JSON text → envelope, or a protocol error. */
export function decodeGatewayServerFrame(text: string): Parsed<z.infer<typeof GatewayServerFrame>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: 'protocol', message: 'the gateway sent a frame that is not JSON' } };
  }
  const r = GatewayServerFrame.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: { code: 'protocol', message: `the gateway sent an unknown frame: ${issues(r.error)}` } };
}

/**
 * A frame from a desktop: JSON text → {id, channel, payload}. When the frame is unreadable but
 * names a numeric id, the id comes back so the error can be answered.
 */
export function decodeGatewayClientFrame(
  text: string,
): { ok: true; frame: { id: number; channel: GatewayChannel; payload: unknown } } | { ok: false; id: number | null; error: CtiErrorShape } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: { code: 'invalid', message: 'the frame is not JSON' } };
  }
  const r = GatewayClientFrame.safeParse(json);
  if (!r.success) {
    const raw = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
    const id = typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? raw : null;
    return { ok: false, id, error: { code: 'invalid', message: `malformed frame: ${issues(r.error)}` } };
  }
  if (!isGatewayChannel(r.data.channel)) {
    return { ok: false, id: r.data.id, error: { code: 'invalid', message: `unknown channel ${JSON.stringify(r.data.channel)}` } };
  }
  return { ok: true, frame: { id: r.data.id, channel: r.data.channel, payload: r.data.payload } };
}
