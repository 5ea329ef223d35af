// Server profiles: what an admin sets up per site. Validated at every boundary (files, bridge, CLI).
// Secrets are never part of a profile; they live in the host's secret store keyed by profile id.
import { z } from 'zod';

const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'a host name or IP address');
const port = z.number().int().min(1).max(65535);

export const TelServicesConnection = z.object({
  vendor: z.literal('telservices'),
  host,
  /** Gateway port (raw TCP and HTTP share it on TelServer). */
  port,
  transport: z.enum(['tcp', 'http']).default('tcp'),
  /** How events arrive: UDP datagrams, or (HTTP only) long-polled snapshots with resultOnEvent. */
  events: z.enum(['udp', 'longPoll']).default('udp'),
  /** Local UDP port for events; 0 picks a free one. */
  udpPort: z.number().int().min(0).max(65535).default(0),
  /** Local address the UDP listener binds to. */
  udpBind: host.default('0.0.0.0'),
  /** TelServer's telserver.TelServices.endOfPDU.sequence, when the site configured one. */
  endOfPdu: z.string().max(8).nullable().default(null),
  /** Server-side idle timeout asked for in openSession (seconds, 0 = none). */
  sessionTimeoutSec: z.number().int().min(0).max(86400).default(120),
  eventUpdate: z.enum(['full', 'restricted']).default('full'),
  /** Half-close the TCP socket after writing a request (most servers need it). */
  halfClose: z.boolean().default(true),
});
export type TelServicesConnection = z.infer<typeof TelServicesConnection>;

export const Connection = z.discriminatedUnion('vendor', [TelServicesConnection]);
export type Connection = z.infer<typeof Connection>;

export const ScreenPop = z.object({
  /** e.g. https://crm.example/search?phone={number}; placeholders are URL-encoded. */
  urlTemplate: z.string().max(2048).default(''),
  /** Open the URL in the system browser as soon as a call alerts. */
  autoOpen: z.boolean().default(false),
});

export const Profile = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  name: z.string().trim().min(1).max(128),
  /** The agent's phone (PBX device number). */
  device: z.string().trim().min(1).max(32).regex(/^[0-9+*#]+$/, 'a device number'),
  /** ACD agent id, when the agent logs in to a queue. */
  agentId: z.string().max(64).default(''),
  connection: Connection,
  /** How often the connection is checked (and state re-synced), seconds. */
  keepAliveSec: z.number().min(0.2).max(600).default(15),
  commandTimeoutMs: z.number().int().min(200).max(120000).default(8000),
  reconnect: z
    .object({
      initialMs: z.number().int().min(50).max(60000).default(1000),
      maxMs: z.number().int().min(100).max(600000).default(30000),
    })
    .default({ initialMs: 1000, maxMs: 30000 }),
  screenPop: ScreenPop.default({ urlTemplate: '', autoOpen: false }),
  /** Write a redacted protocol trace (every frame in and out) to the log. */
  trace: z.boolean().default(false),
  /** Not-ready reasons offered to the agent (kept locally when the vendor has none). */
  notReadyReasons: z.array(z.string().trim().min(1).max(64)).max(200).default([]),
});
export type Profile = z.infer<typeof Profile>;
export type ProfileInput = z.input<typeof Profile>;

export const ProfileSecret = z.object({ password: z.string().max(256) });
export type ProfileSecret = z.infer<typeof ProfileSecret>;

/** Profile as listed to the renderer: never a secret, only whether one is stored. */
export const ProfileSummary = z.object({
  profile: Profile,
  hasSecret: z.boolean(),
  builtIn: z.boolean(),
});
export type ProfileSummary = z.infer<typeof ProfileSummary>;

/** Parse a profile and return readable errors instead of throwing. */
export function parseProfile(input: unknown): { ok: true; profile: Profile } | { ok: false; errors: string[] } {
  const r = Profile.safeParse(input);
  if (r.success) return { ok: true, profile: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || '(profile)'}: ${i.message}`) };
}
