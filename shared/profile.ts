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

export const O2gServer = z.object({
  host,
  port,
  /** HTTPS (the default); plain HTTP only for a lab or a trusted proxy. */
  https: z.boolean().default(true),
});
export type O2gServer = z.infer<typeof O2gServer>;

/** SHA-256 of a certificate's DER bytes, as colon-separated hex (what `openssl x509 -fingerprint -sha256` prints). */
export const CertFingerprint = z
  .string()
  .trim()
  .regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, 'a SHA-256 fingerprint: 32 hex bytes separated by colons');

export const O2gConnection = z.object({
  vendor: z.literal('o2g'),
  primary: O2gServer,
  /** High availability: the other server of the pair; start-up runs against it when the primary fails. */
  secondary: O2gServer.nullable().default(null),
  /** The user's O2G login name (QMCDU); the password (secret code) is the profile's secret. */
  login: z.string().trim().min(1).max(64).regex(/^[^\s:]+$/, 'a login name without spaces or colons'),
  applicationName: z.string().trim().min(1).max(64).default('AgentDesktop'),
  /** Which of the server's URLs to follow: internal (LAN) or public (through a reverse proxy). */
  urls: z.enum(['internal', 'public']).default('internal'),
  tls: z
    .object({
      /** PEM file of the CA (or the self-signed certificate) to trust, besides the system's. */
      caFile: z.string().trim().max(4096).optional(),
      /** Accept exactly this server certificate (pinning), whoever signed it. */
      pinSha256: CertFingerprint.optional(),
    })
    .default({}),
  /** Event channel lifetime asked in the subscription, minutes: 0 = as long as the session (with keep-alive events), or 2–60. */
  channelTimeoutMin: z
    .number()
    .int()
    .refine((v) => v === 0 || (v >= 2 && v <= 60), '0, or 2 to 60 minutes')
    .default(0),
  /** Re-open the event channel after this long without a byte on it (keep-alive events included). */
  channelIdleSec: z.number().int().min(5).max(3600).default(90),
  /** The CCD processing group to log on to; empty = the agent's preferred group. */
  processingGroup: z.string().trim().max(16).default(''),
});
export type O2gConnection = z.infer<typeof O2gConnection>;

export const twsFeeds = ['tcp', 'websocket', 'poll'] as const;
export const TwsFeed = z.enum(twsFeeds);
export type TwsFeed = z.infer<typeof TwsFeed>;

export const TwsConnection = z.object({
  vendor: z.literal('tws'),
  host,
  /** Web services port: 9001 for HTTP, 9011 for HTTPS on a TWS server. */
  port: port.default(9001),
  https: z.boolean().default(false),
  /** How the web services are called: HTTP GET with the /Json/ or /Xml/ path segment, or SOAP 1.1. */
  api: z.enum(['json', 'xml', 'soap']).default('json'),
  /** `user`: the API key with the user's own name and password (TWS_GetMyToken2). `admin`: an
   *  administrator key and account fetch the user's token (TWS_GetMyTokenAdmin); the password is the admin's. */
  auth: z.enum(['user', 'admin']).default('user'),
  /** The TWS user name; the API key and the password are the profile's secret. */
  username: z.string().trim().min(1).max(128),
  /** The administrator account, for `auth: 'admin'`. */
  adminUsername: z.string().trim().max(128).default(''),
  /** Event feeds, most preferred first: the connector falls back along this list when one fails. */
  feeds: z
    .array(TwsFeed)
    .min(1)
    .max(3)
    .refine((f) => new Set(f).size === f.length, 'each feed at most once')
    .default(['tcp', 'websocket', 'poll']),
  /** The user event socket (9004 on a TWS server). */
  tcpPort: port.default(9004),
  /** The WebSocket feed: 9003 plain, 9013 with TLS (`wss`). */
  wsPort: port.default(9003),
  wss: z.boolean().default(false),
  /** The PBX behind TWS: agent (ACD) functions exist only on an Alcatel PBX. */
  pbx: z.enum(['alcatel', 'other']).default('alcatel'),
  /** ACD group for the agent logon (TWS_AgentLogin agentGroup). */
  agentGroup: z.string().trim().max(32).default(''),
  /** Facility prefix to take a parked call back (TWS_SendFacility); "402" on Alcatel. */
  unparkPrefix: z.string().trim().max(16).regex(/^[0-9*#]*$/, 'digits, * and #').default('402'),
  /** Colleagues' phones shown in the busy-lamp list (TWS_GetDevicesState and supervision events). */
  colleagues: z.array(z.string().trim().min(1).max(32).regex(/^[0-9+*#]+$/, 'a device number')).max(200).default([]),
  tls: z
    .object({
      caFile: z.string().trim().max(4096).optional(),
      pinSha256: CertFingerprint.optional(),
    })
    .default({}),
});
export type TwsConnection = z.infer<typeof TwsConnection>;

/** A pause reason as the site configured it (Telephony/Agent Pauses): the API cannot list them. */
export const PauseReason = z.object({
  id: z.string().trim().regex(/^[0-9]{1,9}$/, 'the pause number'),
  label: z.string().trim().min(1).max(64),
});
export type PauseReason = z.infer<typeof PauseReason>;

export const InstantVoiceConnection = z.object({
  vendor: z.literal('instantvoice'),
  /** The STOMP broker (ivstomp.host / ivstomp.port); its login is `brokerUser`, its password the profile secret's. */
  host,
  port: port.default(61613),
  brokerUser: z.string().trim().min(1).max(128).default('instantvoice'),
  /** The broker's virtual host (RabbitMQ: `/`). */
  vhost: z.string().trim().min(1).max(128).default('/'),
  /** The tenant the agent belongs to; the access key is the profile secret's `apiKey`. */
  accountcode: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, dot, dash or underscore')
    .default('default'),
  /** Where the agent answers, `<TECH>/<name>` (AgentLogin Interface); empty = `SIP/<accountcode>_<device>`. */
  interface: z
    .string()
    .trim()
    .max(128)
    .regex(/^([A-Za-z0-9]+\/[^\s/]+)?$/, 'TECH/name, e.g. SIP/default_0001')
    .default(''),
  /** Pause reasons offered to the agent, with the numbers AgentPause takes. */
  pauseReasons: z.array(PauseReason).max(64).default([]),
  /** `agent`: the agent's own calls and state. `supervisor`: also every agent live (iv.agents.#).
   *  `admin`: also the IVWS administration view (agents, lines, queues, SIP users, permission groups). */
  role: z.enum(['agent', 'supervisor', 'admin']).default('agent'),
  /** IVWS, the SOAP web service on the active ACD (port 7789); host empty = the broker's host. */
  ivws: z
    .object({
      host: z.union([host, z.literal('')]).default(''),
      port: port.default(7789),
      https: z.boolean().default(false),
    })
    .default({ host: '', port: 7789, https: false }),
  /** STOMP heart-beats proposed both ways, ms (0 = none). */
  heartbeatMs: z.number().int().min(0).max(120000).default(10000),
});
export type InstantVoiceConnection = z.infer<typeof InstantVoiceConnection>;

/** A numbered code the site configured in UCC-A (logout reasons, dispositions, reject reasons): the portal cannot list them. */
export const CodedReason = z.object({
  id: z.string().trim().regex(/^-?[0-9]{1,9}$/, 'the code number'),
  label: z.string().trim().min(1).max(64),
});
export type CodedReason = z.infer<typeof CodedReason>;

export const CtipsPortalServer = z.object({
  host,
  /** The request service's port (the manual's is a placeholder; the wire profile's default is 8700). */
  port: port.default(8700),
  https: z.boolean().default(false),
});
export type CtipsPortalServer = z.infer<typeof CtipsPortalServer>;

/** One person allowed to sign in to a site gateway. The password is stored only as a scrypt hash (`cti hash-password`). */
export const GatewayAccount = z.object({
  /** The agent's AgentLoginName (a supervisor's own name). */
  login: z.string().trim().min(1).max(64).regex(/^[^\s:]+$/, 'a login name without spaces or colons'),
  role: z.enum(['agent', 'supervisor']).default('agent'),
  /** Stations (PBX devices) this agent may use; empty = any. */
  stations: z.array(z.string().trim().min(1).max(32).regex(/^[0-9+*#]+$/, 'a device number')).max(32).default([]),
  passwordHash: z.string().regex(/^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{32,}$/, 'a hash made by `cti hash-password`'),
});
export type GatewayAccount = z.infer<typeof GatewayAccount>;

const optionalFile = z.string().trim().min(1).max(4096).optional();

/**
 * A routing rule of the site gateway (CTIPS route requests, for a service with external routing):
 * every condition given must hold; the first rule that matches says where the call goes.
 */
export const RoutingRule = z
  .object({
    /** The number the caller dialled. */
    dnis: z.string().trim().max(32).optional(),
    /** The caller's number starts with this. */
    aniPrefix: z.string().trim().max(32).optional(),
    /** The service the request is for. */
    serviceId: z.number().int().min(0).optional(),
    /** Call data items the call must carry, key → value. */
    data: z.record(z.string().max(128), z.string().max(256)).optional(),
    /** `readyAgent`: the agent of service `to` who has been ready the longest; `default`: the platform's default route. */
    route: z.enum(['agent', 'readyAgent', 'service', 'external', 'default']),
    /** An agent login name, a service id, or a number; empty for `default`. */
    to: z.string().trim().max(64).default(''),
  })
  .refine((r) => r.route === 'default' || r.to !== '', { message: 'where the call goes (to)', path: ['to'] })
  .refine((r) => (r.route !== 'service' && r.route !== 'readyAgent') || /^\d{1,9}$/.test(r.to), { message: 'a service id', path: ['to'] });
export type RoutingRule = z.infer<typeof RoutingRule>;

export const CtipsConnection = z
  .object({
    vendor: z.literal('ctips'),
    /** The CTI Portal servers in failover order (Active/Active HA, L294–L305); the first that answers is used. */
    portals: z.array(CtipsPortalServer).max(4).default([]),
    /** The portal account (OpenConnection UserCredentials); its password is the profile secret's. */
    userName: z.string().trim().max(128).default(''),
    tenantId: z.number().int().min(0).max(2147483647).default(1),
    /** The app's own event service, which the portal calls (StartSession, HeartbeatMessage, PublishCTIEvent). */
    callback: z
      .object({
        /** Address to listen on; a wildcard (0.0.0.0, ::) needs `advertisedHost`. */
        bindHost: host.default('0.0.0.0'),
        /** 0 = a free port (only when the portal can reach any port). */
        port: z.number().int().min(0).max(65535).default(0),
        /** The address the portal reaches this computer at (the ClientCallbackURL's host); empty = bindHost. */
        advertisedHost: z.union([host, z.literal('')]).default(''),
        /** Serve the callbacks over HTTPS with this certificate and key (PEM files). */
        certFile: optionalFile,
        keyFile: optionalFile,
      })
      .default({ bindHost: '0.0.0.0', port: 0, advertisedHost: '' }),
    /** Hosts allowed to call the event service; empty = the portals' hosts. */
    allowedHosts: z.array(host).max(16).default([]),
    /** LoginAgent's initial state. */
    initialState: z.enum(['NotReady', 'Idle']).default('NotReady'),
    /** LoginAgent MultiLine: the agent may hold two calls. */
    multiLine: z.boolean().default(false),
    /** `agent`: the agent's own calls and state. `supervisor`: also every agent and service of the tenant. */
    role: z.enum(['agent', 'supervisor']).default('agent'),
    logoutReasons: z.array(CodedReason).max(64).default([]),
    dispositions: z.array(CodedReason).max(64).default([]),
    rejectReasons: z.array(CodedReason).max(64).default([]),
    /** The portal's heartbeat period and how many may be missed before the link counts as down. */
    heartbeat: z
      .object({ intervalSec: z.number().int().min(1).max(3600).default(30), missed: z.number().int().min(1).max(20).default(3) })
      .default({ intervalSec: 30, missed: 3 }),
    /** Match a real portal's WSDL (docs/ctips.md); absent settings keep the wire profile's defaults. */
    wire: z
      .object({
        soapVersion: z.enum(['1.1', '1.2']).optional(),
        requestNamespace: z.string().trim().min(1).max(512).optional(),
        callbackNamespace: z.string().trim().min(1).max(512).optional(),
        dataNamespace: z.string().trim().min(1).max(512).optional(),
        requestPath: z.string().trim().regex(/^\/[^\s?#]*$/, 'a path starting with /').max(512).optional(),
        callbackPath: z.string().trim().regex(/^\/[^\s?#]*$/, 'a path starting with /').max(512).optional(),
        fieldOrder: z.enum(['documented', 'alphabetical']).optional(),
        wsAddressing: z.boolean().optional(),
      })
      .default({}),
    tls: z.object({ caFile: z.string().trim().max(4096).optional(), pinSha256: CertFingerprint.optional() }).default({}),
    /** Connect through a site gateway (`cti serve`) instead of the portals: the desktop signs in as its agent. */
    gateway: z
      .object({
        host,
        port: port.default(8780),
        https: z.boolean().default(true),
        tls: z.object({ caFile: z.string().trim().max(4096).optional(), pinSha256: CertFingerprint.optional() }).default({}),
      })
      .nullable()
      .default(null),
    /** For `cti serve` only: where the site gateway listens and who may sign in. */
    serve: z
      .object({
        host: host.default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8780),
        certFile: optionalFile,
        keyFile: optionalFile,
        accounts: z.array(GatewayAccount).max(5000).default([]),
        /** Answer the portal's route requests with these rules (first match); without rules the platform routes by default. */
        routing: z.array(RoutingRule).max(500).default([]),
      })
      .nullable()
      .default(null),
  })
  .superRefine((c, ctx) => {
    if (!c.gateway && c.portals.length === 0) ctx.addIssue({ code: 'custom', path: ['portals'], message: 'at least one portal, or a gateway' });
    if (!c.gateway && c.userName === '') ctx.addIssue({ code: 'custom', path: ['userName'], message: 'the portal account name' });
    const wild = ['0.0.0.0', '::', '[::]'].includes(c.callback.bindHost);
    if (!c.gateway && wild && c.callback.advertisedHost === '') {
      ctx.addIssue({ code: 'custom', path: ['callback', 'advertisedHost'], message: 'the address the portal reaches this computer at (the event service listens on every interface)' });
    }
    if (Boolean(c.callback.certFile) !== Boolean(c.callback.keyFile)) {
      ctx.addIssue({ code: 'custom', path: ['callback', 'certFile'], message: 'a certificate and its key, or neither' });
    }
    if (c.serve && Boolean(c.serve.certFile) !== Boolean(c.serve.keyFile)) {
      ctx.addIssue({ code: 'custom', path: ['serve', 'certFile'], message: 'a certificate and its key, or neither' });
    }
  });
export type CtipsConnection = z.infer<typeof CtipsConnection>;

export const Connection = z.discriminatedUnion('vendor', [TelServicesConnection, O2gConnection, TwsConnection, InstantVoiceConnection, CtipsConnection]);
export type Connection = z.infer<typeof Connection>;

export const ScreenPop = z.object({
  /** e.g. https://crm.example/search?phone={number}; placeholders are URL-encoded. */
  urlTemplate: z.string().max(2048).default(''),
  /** Open the URL in the system browser as soon as a call alerts. */
  autoOpen: z.boolean().default(false),
});

/** A destination the agent reaches in one click (call, consult, transfer): a colleague, a queue, a service. */
export const QuickConnect = z.object({
  label: z.string().trim().min(1).max(40),
  number: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[0-9+*#]+$/, 'digits, + * and # only'),
});
export type QuickConnect = z.infer<typeof QuickConnect>;

export const MAX_QUICK_CONNECTS = 50;

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
  /** The site's common destinations, offered beside the keypad and in every "to which number?" prompt. */
  quickConnects: z.array(QuickConnect).max(MAX_QUICK_CONNECTS).default([]),
});
export type Profile = z.infer<typeof Profile>;
export type ProfileInput = z.input<typeof Profile>;

export const ProfileSecret = z.object({
  password: z.string().max(256),
  /** TWS: the API key created with the server's TWS_ApiKeyManager. InstantVoice: the access key (≤ 20 letters and digits). */
  apiKey: z.string().max(1024).optional(),
  /** The ACD agent's own password, where the vendor asks for one besides the login's (TWS_AgentLogin). */
  agentPassword: z.string().max(256).optional(),
});
export type ProfileSecret = z.infer<typeof ProfileSecret>;

/** Profile as listed to the renderer: never a secret, only whether one is stored. */
export const ProfileSummary = z.object({
  profile: Profile,
  hasSecret: z.boolean(),
  builtIn: z.boolean(),
});
export type ProfileSummary = z.infer<typeof ProfileSummary>;

/** Where a profile connects, for people: `host:port` (O2G: the primary, and the secondary when set). */
export function connectionAddress(c: Connection): string {
  if (c.vendor === 'o2g') {
    const server = (s: O2gServer) => `${s.https ? 'https' : 'http'}://${s.host}:${s.port}`;
    return c.secondary ? `${server(c.primary)} (secondary ${server(c.secondary)})` : server(c.primary);
  }
  if (c.vendor === 'tws') return `${c.https ? 'https' : 'http'}://${c.host}:${c.port}`;
  if (c.vendor === 'instantvoice') return `stomp://${c.host}:${c.port}`;
  if (c.vendor === 'ctips') {
    if (c.gateway) return `gateway ${c.gateway.https ? 'https' : 'http'}://${c.gateway.host}:${c.gateway.port}`;
    return c.portals.map((p) => `${p.https ? 'https' : 'http'}://${p.host}:${p.port}`).join(', then ');
  }
  return `${c.host}:${c.port}`;
}

/** Parse a profile and return readable errors instead of throwing. */
export function parseProfile(input: unknown): { ok: true; profile: Profile } | { ok: false; errors: string[] } {
  const r = Profile.safeParse(input);
  if (r.success) return { ok: true, profile: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || '(profile)'}: ${i.message}`) };
}
