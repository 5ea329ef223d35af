// The bridge contract between the renderer and main: one table of channels, each with the
// schema main validates the payload against. Hosts (Electron preload, web host WebSocket)
// carry exactly these channels and nothing else.
import { z } from 'zod';
import { AdminDeleteRequest, AdminGetRequest, AdminListRequest, type AdminRecord, AdminSaveRequest, type AdminSchema } from './admin.js';
import { CallLogQuery, type CallLogRow, MAX_CALL_NOTE } from './calllog.js';
import { type Callback, CallbackInput } from './callbacks.js';
import { Command, type CtiErrorShape, Query } from './commands.js';
import { type DirectoryEntry, type QueueStats, type ViewState } from './model.js';
import { Profile, ProfileSecret, type ProfileSummary } from './profile.js';
import type { StatePatch } from './patch.js';
import { UserSettings } from './settings.js';
import type { GlobalShortcutStatus } from './shortcuts.js';

const profileId = z.string().min(1).max(64);

/** The log levels support can switch the desktop to while it runs. */
export const logLevels = ['info', 'debug', 'trace'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Renderer → main requests. Every payload is validated in main with `request`. */
export const invokeChannels = {
  'app.ready': { request: z.object({}).strict() },
  'cti.command': { request: Command },
  'cti.query': { request: Query },
  'calllog.query': { request: CallLogQuery },
  'calllog.exportCsv': { request: CallLogQuery },
  /** The agent's note on a call (empty removes it). */
  'calllog.setNote': { request: z.object({ id: z.string().min(1).max(256), note: z.string().max(MAX_CALL_NOTE) }).strict() },
  /** Scheduled callbacks of the active profile. */
  'callbacks.list': { request: z.object({}).strict() },
  'callbacks.save': { request: CallbackInput },
  'callbacks.done': { request: z.object({ id: z.string().min(1).max(64) }).strict() },
  'callbacks.delete': { request: z.object({ id: z.string().min(1).max(64) }).strict() },
  'profiles.list': { request: z.object({}).strict() },
  'profiles.save': { request: z.object({ profile: Profile, secret: ProfileSecret.optional() }).strict() },
  'profiles.delete': { request: z.object({ id: profileId }).strict() },
  'profiles.activate': { request: z.object({ id: profileId }).strict() },
  'profiles.test': { request: z.object({ profile: Profile, secret: ProfileSecret.optional() }).strict() },
  'profiles.export': { request: z.object({ id: profileId }).strict() },
  'profiles.import': { request: z.object({ json: z.string().max(1_000_000) }).strict() },
  /** Admin: list the server's logins (users) to pick the profile's agent, with an administrator account. */
  'profiles.logins': {
    request: z
      .object({ profile: Profile, admin: z.object({ login: z.string().trim().min(1).max(64), password: z.string().max(256) }).strict() })
      .strict(),
  },
  'screenpop.open': { request: z.object({ callId: z.string().min(1).max(256) }).strict() },
  /** Admin view (sessions with the `admin` capability): the entities the server lets an administrator edit. */
  'admin.schema': { request: z.object({}).strict() },
  'admin.list': { request: AdminListRequest },
  'admin.get': { request: AdminGetRequest },
  'admin.save': { request: AdminSaveRequest },
  'admin.delete': { request: AdminDeleteRequest },
  /** Diagnostics: the log's level and folder; switch the level; the file an agent sends to support. */
  'diagnostics.info': { request: z.object({}).strict() },
  'diagnostics.setLevel': { request: z.object({ level: z.enum(logLevels) }).strict() },
  'diagnostics.export': { request: z.object({}).strict() },
  /** The user's own settings (keyboard shortcuts, in the window and system-wide; the ringer). */
  'settings.get': { request: z.object({}).strict() },
  'settings.save': { request: z.object({ settings: UserSettings }).strict() },
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export const invokeChannelNames = Object.keys(invokeChannels) as InvokeChannel[];

export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;

export interface ProfilesList {
  profiles: ProfileSummary[];
  activeId: string | null;
}

/** One login of the server, as the admin picks the profile's agent. */
export interface ServerLogin {
  login: string;
  name?: string;
  device?: string;
  /** An ACD operator (agent or supervisor). */
  acd?: boolean;
}

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  latencyMs?: number;
}

/** What each channel answers with. */
export interface InvokeResponses {
  'app.ready': { state: ViewState; rev: number };
  'cti.command': { accepted: true };
  'cti.query': DirectoryEntry[] | CallLogRow[] | QueueStats[];
  'calllog.query': CallLogRow[];
  'calllog.exportCsv': { filename: string; csv: string };
  'calllog.setNote': { saved: true };
  'callbacks.list': Callback[];
  'callbacks.save': Callback;
  'callbacks.done': { done: boolean };
  'callbacks.delete': { deleted: boolean };
  'profiles.list': ProfilesList;
  'profiles.save': ProfileSummary;
  'profiles.delete': { deleted: true };
  'profiles.activate': { activeId: string };
  'profiles.test': ConnectionTestResult;
  'profiles.export': { filename: string; json: string };
  'profiles.import': ProfileSummary;
  'profiles.logins': { logins: ServerLogin[] };
  /** The host opens the URL; `opened` is false when the host left that to the renderer. */
  'screenpop.open': { url: string; opened: boolean };
  'admin.schema': AdminSchema;
  'admin.list': { records: AdminRecord[] };
  'admin.get': AdminRecord;
  'admin.save': AdminRecord;
  'admin.delete': { deleted: true };
  'diagnostics.info': DiagnosticsInfo;
  'diagnostics.setLevel': DiagnosticsInfo;
  'diagnostics.export': { filename: string; text: string };
  'settings.get': SettingsReply;
  'settings.save': SettingsReply;
}

export interface SettingsReply {
  settings: UserSettings;
  globalShortcuts: GlobalShortcutStatus;
}

export interface DiagnosticsInfo {
  level: string;
  levels: readonly LogLevel[];
  /** Where the log files are; null when the log is kept in memory (and on the console) only. */
  logDir: string | null;
}

export type InvokeReply<C extends InvokeChannel> =
  | { ok: true; value: InvokeResponses[C] }
  | { ok: false; error: CtiErrorShape };

/** Main → renderer pushes. */
export const pushChannels = ['state'] as const;
export type PushChannel = (typeof pushChannels)[number];

export type StatePush =
  | { kind: 'full'; rev: number; state: ViewState }
  | { kind: 'patch'; rev: number; patch: StatePatch };

export interface PushPayloads {
  state: StatePush;
}

/** The API the renderer sees, whatever the host (preload or web socket). */
export interface BridgeApi {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeReply<C>>;
  on<P extends PushChannel>(channel: P, listener: (payload: PushPayloads[P]) => void): () => void;
}

/** The web host's WebSocket frames. */
export const WsClientFrame = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(64),
  payload: z.unknown(),
});
export type WsClientFrame = z.infer<typeof WsClientFrame>;
export type WsServerFrame =
  | { id: number; reply: InvokeReply<InvokeChannel> }
  | { push: PushChannel; payload: PushPayloads[PushChannel] };

/** Electron's preload exposes the bridge under this global name. */
export const BRIDGE_GLOBAL = 'agentDesktop';
/** Electron IPC channel names are the contract names with this prefix. */
export const IPC_PREFIX = 'cti:';
