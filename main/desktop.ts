// The composition root shared by both hosts (Electron and the web host): profiles and secrets,
// the active profile's connector and session supervisor, the view store, the call log, screen
// pops, and the bridge handlers. It knows nothing of Electron: host specifics are injected.
import { join } from 'node:path';
import type { BridgeHandlers } from './core/bridge-server.js';
import { BridgeServer } from './core/bridge-server.js';
import { type Command, CtiError, type Query } from '../shared/commands.js';
import type { CallLogQuery, CallLogRow } from '../shared/calllog.js';
import { type DiagnosticsInfo, logLevels } from '../shared/bridge.js';
import type { CtiEvent } from '../shared/events.js';
import type { Call } from '../shared/model.js';
import { connectionAddress, type Profile, type ProfileSecret } from '../shared/profile.js';
import type { Callback } from '../shared/callbacks.js';
import { CallbackAlarm, callbacksDueText } from './calllog/callback-alarm.js';
import { CallLogRecorder } from './calllog/recorder.js';
import { CallLogStore } from './calllog/store.js';
import { callLogToCsv } from './calllog/csv.js';
import { mergeVendorHistory } from './calllog/merge.js';
import { adminLoginListers, adminServiceFactories, createConnector } from './connectors/index.js';
import type { AdminService } from './core/admin.js';
import type { Logger } from './core/log.js';
import type { DesktopLog } from './core/desktop-log.js';
import { diagnosticsReport } from './core/diagnostics-report.js';
import { answerHoldingOthers } from './core/answer-holding-others.js';
import { NextStateKeeper } from './core/next-state-keeper.js';
import { SessionSupervisor } from './core/supervisor.js';
import { watchSystem } from './core/system-watch.js';
import { applyGlobalShortcuts, type GlobalShortcutHost } from './settings/global-shortcuts.js';
import { UserSettingsStore } from './settings/user-settings-store.js';
import { type GlobalShortcutAction, globalShortcutCommand } from '../shared/shortcuts.js';
import { orderedCalls } from '../shared/reducer.js';
import { ViewStore } from './core/view-store.js';
import { demoSecret, type LabCtips, type LabInstantVoice, type LabO2g, type LabTws, setDemoBrokerPassword } from './profiles/demo-profile.js';
import { ProfileStore } from './profiles/profile-store.js';
import { MemorySecretStore, type SecretStore } from './profiles/secret-store.js';
import { SecretStoreError } from './profiles/errors.js';
import { PoppedCalls, autoPopDecision, openScreenPop } from './screenpop/open-pop.js';

export interface DesktopOptions {
  dataDir: string;
  log: Logger;
  /** The log's folder, latest lines and level, for diagnostics; without it the log is the host's business. */
  logControl?: Pick<DesktopLog, 'dir' | 'recent' | 'level' | 'setLevel'>;
  /** Shown in diagnostics. */
  appVersion?: string;
  /** The host's system-wide keys (Electron); without it the settings say they are unavailable. */
  globalShortcuts?: GlobalShortcutHost;
  secrets: SecretStore;
  /** The host's way to open a URL in the system browser; null when the renderer opens it. */
  openExternal: ((url: string) => Promise<void>) | null;
  /** TelServices port of the built-in lab PBX, for the demo profile. */
  labPort?: number;
  /** The built-in lab's O2G front-end, for the O2G demo profile. */
  labO2g?: LabO2g;
  /** The built-in lab's TWS front-end, for the TWS demo profile. */
  labTws?: LabTws;
  /** The built-in lab's InstantVoice ACD (and its broker), for the InstantVoice demo profile. */
  labInstantVoice?: LabInstantVoice;
  /** The built-in lab's CTIPS portal pair, for the CTIPS demo profile. */
  labCtips?: LabCtips;
  /** Tweak the built-in demo profile (tests use a short keep-alive). */
  demoOverrides?: Partial<Profile>;
  /** Use an in-memory call log (tests). */
  inMemoryCallLog?: boolean;
  /** The bridge's coalescing frame; only the benchmark changes it, to show what the frame costs. */
  bridgeFrameMs?: number;
}

export interface Desktop {
  readonly view: ViewStore;
  readonly bridge: BridgeServer;
  activeProfile(): Profile | null;
  supervisor(): SessionSupervisor | null;
  activate(id: string): Promise<void>;
  /** Click-to-dial from the OS (tel: links) or the CLI. */
  dial(number: string): Promise<void>;
  /** Called when a call first alerts here (the Electron shell shows a notification). */
  onIncomingCall(listener: (call: Call) => void): void;
  /** Check the CTI link now (the machine woke, the network changed, the screen was unlocked). */
  checkLink(why: string): void;
  /** Called when scheduled callbacks fall due, those due together at once (the Electron shell shows a notification). */
  onCallbackDue(listener: (due: Callback[]) => void): void;
  stop(): Promise<void>;
}

export async function createDesktop(opts: DesktopOptions): Promise<Desktop> {
  const { log } = opts;
  const sessionSecrets = new MemorySecretStore();
  const secrets: SecretStore = {
    persistent: opts.secrets.persistent,
    get: (id) => sessionSecrets.get(id) ?? opts.secrets.get(id),
    set: (id, s) => opts.secrets.set(id, s),
    delete: (id) => {
      sessionSecrets.delete(id);
      opts.secrets.delete(id);
    },
    has: (id) => sessionSecrets.has(id) || opts.secrets.has(id),
  };
  const view = new ViewStore();
  if (opts.labInstantVoice) setDemoBrokerPassword(opts.labInstantVoice.brokerPassword);
  const profiles = new ProfileStore(join(opts.dataDir, 'profiles'), {
    log,
    ...(opts.labPort !== undefined ? { labPort: opts.labPort } : {}),
    ...(opts.labO2g ? { labO2g: opts.labO2g } : {}),
    ...(opts.labTws ? { labTws: opts.labTws } : {}),
    ...(opts.labInstantVoice ? { labInstantVoice: opts.labInstantVoice } : {}),
    ...(opts.labCtips ? { labCtips: opts.labCtips } : {}),
    ...(opts.demoOverrides ? { demoOverrides: opts.demoOverrides } : {}),
  });
  const opened = opts.inMemoryCallLog ? { store: CallLogStore.openInMemory({ log }), fallback: null } : CallLogStore.openWithFallback(opts.dataDir, { log });
  const callLog = opened.store;
  const incomingListeners: ((call: Call) => void)[] = [];
  const callbackListeners: ((due: Callback[]) => void)[] = [];
  let active: Profile | null = null;
  let supervisor: SessionSupervisor | null = null;
  let recorder: CallLogRecorder | null = null;
  let admin: AdminService | null = null;
  const alerted = new PoppedCalls();

  const emit = (e: CtiEvent) => {
    view.apply(e);
    try {
      recorder?.apply(e);
    } catch (err) {
      log.error({ err }, 'call log: could not record an event');
    }
    if (e.type === 'call' && e.call.direction === 'inbound' && e.call.state === 'alerting' && !alerted.has(e.call.id)) {
      alerted.add(e.call.id);
      for (const l of incomingListeners) l(e.call);
      if (active && opts.openExternal && autoPopDecision(active, e.call)) {
        void openScreenPop(active, e.call, active.device, opts.openExternal);
      }
    }
  };

  if (opened.fallback) {
    emit({ type: 'notice', level: 'warning', code: 'callLogMemory', message: `${opened.fallback.message}; this session's calls are kept in memory only`, at: Date.now() });
  }

  const callbackAlarm = new CallbackAlarm({
    pending: () => (active ? callLog.callbacks.pending(active.id) : []),
    onDue: (due) => {
      emit({ type: 'notice', level: 'info', code: 'callbackDue', message: callbacksDueText(due), at: Date.now() });
      for (const l of callbackListeners) l(due);
    },
  });

  const nextState = new NextStateKeeper({
    view,
    emit,
    execute: (cmd) => requireSupervisor().execute(cmd),
    confirmMs: () => active?.commandTimeoutMs ?? 5000,
  });

  function requireActive(): Profile {
    if (!active) throw new CtiError('notConnected', 'no active profile: choose one in Profiles');
    return active;
  }

  async function activate(id: string): Promise<void> {
    const profile = profiles.get(id);
    if (!profile) throw new CtiError('invalid', `no profile ${id}`);
    nextState.drop();
    if (supervisor) await supervisor.stop();
    active = profile;
    const secret: ProfileSecret | null = secrets.get(id) ?? (profiles.isBuiltIn(id) ? demoSecret(id) : null);
    const connector = createConnector({ profile, secret, log });
    admin = adminServiceFactories[profile.connection.vendor]?.({ profile, secret, log }) ?? null;
    recorder = new CallLogRecorder(callLog, profile.id, profile.device);
    callLog.markInterrupted(profile.id, Date.now());
    supervisor = new SessionSupervisor({ profile, connector, log, emit });
    profiles.setActiveId(id);
    supervisor.start();
    // On the next turn: at start-up the host registers its notification listener right after
    // createDesktop returns, and callbacks already due must reach it too.
    setImmediate(() => callbackAlarm.check());
  }

  function requireAdmin(): AdminService {
    if (!admin) throw new CtiError('unsupported', 'this profile has no administration role; an administrator profile of a server with an admin service opens this view');
    return admin;
  }

  function requireSupervisor(): SessionSupervisor {
    if (!supervisor) throw new CtiError('notConnected', 'no active profile: choose one in Profiles');
    return supervisor;
  }

  /** Local call-log row id → the vendor record it absorbed, from the last merge (acknowledging missed calls). */
  let vendorMatches = new Map<string, string>();

  async function callLogRows(q: CallLogQuery): Promise<CallLogRow[]> {
    const profileId = active?.id;
    const local = callLog.query({ ...q, ...(profileId ? { profileId } : {}) });
    if (!q.includeVendor || !supervisor) return local;
    try {
      const vendor = (await supervisor.query({ kind: 'vendorHistory', limit: Math.min(q.limit, 1000), ...(q.text ? { text: q.text } : {}) })) as CallLogRow[];
      const merged = mergeVendorHistory(local, vendor).slice(0, q.limit);
      vendorMatches = new Map(merged.flatMap((r) => (r.vendorMatchId ? [[r.id, r.vendorMatchId] as const] : [])));
      return merged;
    } catch (err) {
      log.info({ err: (err as Error).message }, 'vendor history unavailable; showing the local call log');
      return local;
    }
  }

  const userSettings = new UserSettingsStore(opts.dataDir);
  if (userSettings.loadProblem) {
    emit({ type: 'notice', level: 'warning', code: 'settingsInvalid', message: `Your settings file could not be used (${userSettings.loadProblem}); the default shortcuts apply until you save new ones`, at: Date.now() });
  }
  /** What the desk adds to a command before the session runs it: the state kept for after the call, a hold before a second answer. */
  async function runCommand(cmd: Command): Promise<void> {
    // The desk, not the vendor, keeps the state queued for after the call.
    if (cmd.kind === 'setNextAgentState') {
      nextState.set(cmd.state, cmd.reason);
      return;
    }
    // A state chosen now replaces the one queued for later.
    if (cmd.kind === 'setAgentState' || cmd.kind === 'panicLogout') nextState.drop();
    const session = requireSupervisor();
    if (cmd.kind === 'answer') {
      await answerHoldingOthers(cmd.callId, { view, execute: (c) => session.execute(c), timeoutMs: active?.commandTimeoutMs ?? 5000 });
      return;
    }
    await session.execute(cmd);
  }

  /** A system-wide key: what it does is decided here, from the calls main holds. */
  const runGlobalShortcut = (action: GlobalShortcutAction) => {
    const command = globalShortcutCommand(action, orderedCalls(view.current));
    if (!command || !supervisor) return;
    runCommand(command).catch((err: unknown) => {
      const e = CtiError.from(err);
      emit({ type: 'notice', level: 'error', code: 'shortcutFailed', message: `The system-wide shortcut (${command.kind}) failed: ${e.message}`, at: Date.now() });
    });
  };
  let globalStatus = applyGlobalShortcuts(opts.globalShortcuts ?? null, userSettings.get().shortcuts, runGlobalShortcut);

  const diagnosticsInfo = (): DiagnosticsInfo => ({ level: opts.logControl?.level() ?? log.level, levels: logLevels, logDir: opts.logControl?.dir ?? null });

  const handlers: BridgeHandlers = {
    'cti.command': async (cmd: Command) => {
      // The renderer acknowledges the rows it shows; a local row stands for the vendor record it absorbed.
      if (cmd.kind === 'acknowledgeMissed') cmd = { ...cmd, ids: cmd.ids.map((id) => vendorMatches.get(id) ?? id) };
      await runCommand(cmd);
      return { accepted: true };
    },
    'cti.query': async (q: Query) => requireSupervisor().query(q),
    'calllog.query': callLogRows,
    'calllog.exportCsv': async (q) => {
      const rows = await callLogRows(q);
      return { filename: `call-log-${new Date().toISOString().slice(0, 10)}.csv`, csv: callLogToCsv(rows) };
    },
    'calllog.setNote': async ({ id, note }) => {
      // Merged rows carry the local row's id; a row only the vendor has is not ours to annotate.
      if (!callLog.setNote(requireActive().id, id, note)) throw new CtiError('invalid', 'notes go on calls this desk recorded; that call is only in the phone system’s history');
      return { saved: true };
    },
    'callbacks.list': async () => callLog.callbacks.pending(requireActive().id),
    'callbacks.save': async (input) => {
      const saved = callLog.callbacks.save(requireActive().id, input);
      callbackAlarm.check();
      return saved;
    },
    'callbacks.done': async ({ id }) => {
      const done = callLog.callbacks.done(requireActive().id, id);
      callbackAlarm.check();
      return { done };
    },
    'callbacks.delete': async ({ id }) => {
      const deleted = callLog.callbacks.remove(requireActive().id, id);
      callbackAlarm.check();
      return { deleted };
    },
    'profiles.list': async () => ({
      profiles: profiles.list().map((s) => ({ ...s, hasSecret: secrets.has(s.profile.id) })),
      activeId: active?.id ?? null,
    }),
    'profiles.save': async ({ profile, secret }) => {
      const saved = profiles.save(profile);
      if (secret) {
        try {
          secrets.set(saved.id, secret);
        } catch (err) {
          if (!(err instanceof SecretStoreError)) throw err;
          // No OS encryption: keep the password for this session only, never in clear on disk.
          sessionSecrets.set(saved.id, secret);
          emit({ type: 'notice', level: 'warning', code: 'secretMemory', message: `${err.message}; the password is kept for this session only`, at: Date.now() });
        }
      }
      if (active?.id === saved.id) await activate(saved.id);
      return { profile: saved, hasSecret: secrets.has(saved.id), builtIn: false };
    },
    'profiles.delete': async ({ id }) => {
      if (active?.id === id) throw new CtiError('invalid', 'the active profile cannot be deleted; switch to another first');
      profiles.delete(id);
      secrets.delete(id);
      return { deleted: true };
    },
    'profiles.activate': async ({ id }) => {
      await activate(id);
      return { activeId: id };
    },
    'profiles.test': async ({ profile, secret }) => testConnection(profile, secret ?? secrets.get(profile.id) ?? (profiles.isBuiltIn(profile.id) ? demoSecret(profile.id) : null), log),
    'profiles.logins': async ({ profile, admin }) => {
      const list = adminLoginListers[profile.connection.vendor];
      if (!list) throw new CtiError('unsupported', `${profile.connection.vendor} has no user list to pick from; type the device number`);
      return { logins: await list(profile, admin, log) };
    },
    'profiles.export': async ({ id }) => ({ filename: `${id}.profile.json`, json: profiles.exportJson(id) }),
    'profiles.import': async ({ json }) => {
      const { profile, strippedSecrets } = profiles.importJsonDetailed(json);
      if (strippedSecrets.length) {
        emit({
          type: 'notice',
          level: 'warning',
          code: 'secretsStripped',
          message: `The imported file carried secrets (${strippedSecrets.join(', ')}); they were discarded. Enter the password (and, for TWS or InstantVoice, the API or access key) in the profile.`,
          at: Date.now(),
        });
      }
      return { profile, hasSecret: secrets.has(profile.id), builtIn: false };
    },
    'screenpop.open': async ({ callId }) => {
      if (!active) throw new CtiError('notConnected', 'no active profile');
      const state = view.current;
      const call = state.calls[callId] ?? (state.pop?.id === callId ? state.pop : undefined);
      if (!call) throw new CtiError('noCall', 'that call is no longer known');
      const r = await openScreenPop(active, call, active.device, opts.openExternal);
      if (!r.ok) throw r.error;
      return { url: r.url, opened: r.opened };
    },
    'admin.schema': async () => requireAdmin().schema(),
    'admin.list': async (req) => ({ records: await requireAdmin().list(req) }),
    'admin.get': async (req) => requireAdmin().get(req),
    'admin.save': async (req) => requireAdmin().save(req),
    'admin.delete': async (req) => {
      await requireAdmin().remove(req);
      return { deleted: true };
    },
    'settings.get': async () => ({ settings: userSettings.get(), globalShortcuts: globalStatus }),
    'settings.save': async ({ settings }) => {
      const saved = userSettings.save(settings);
      globalStatus = applyGlobalShortcuts(opts.globalShortcuts ?? null, saved.shortcuts, runGlobalShortcut);
      return { settings: saved, globalShortcuts: globalStatus };
    },
    'diagnostics.info': async () => diagnosticsInfo(),
    'diagnostics.setLevel': async ({ level }) => {
      if (!opts.logControl) throw new CtiError('unsupported', 'this host sets the log level at start (LOG_LEVEL)');
      opts.logControl.setLevel(level);
      return diagnosticsInfo();
    },
    'diagnostics.export': async () =>
      diagnosticsReport({
        appVersion: opts.appVersion ?? 'unknown',
        at: Date.now(),
        profile: active,
        view: view.current,
        logLevel: diagnosticsInfo().level,
        logDir: opts.logControl?.dir ?? null,
        recentLog: opts.logControl?.recent() ?? '',
      }),
  };

  const bridge = new BridgeServer(view, handlers, log, opts.bridgeFrameMs);
  const checkLink = (why: string) => {
    log.info({ why }, 'system change; checking the CTI link');
    supervisor?.checkLink(why);
  };
  const systemWatch = watchSystem({ onChange: (_change, detail) => checkLink(detail) });
  const startId = profiles.activeId() ?? 'demo';
  await activate(profiles.get(startId) ? startId : 'demo').catch((err: unknown) => log.error({ err }, 'could not activate the start profile'));

  return {
    view,
    bridge,
    activeProfile: () => active,
    supervisor: () => supervisor,
    activate,
    dial: async (number) => {
      await runCommand({ kind: 'makeCall', to: number });
    },
    onIncomingCall: (l) => incomingListeners.push(l),
    checkLink,
    onCallbackDue: (l) => callbackListeners.push(l),
    stop: async () => {
      systemWatch.stop();
      callbackAlarm.stop();
      nextState.stop();
      opts.globalShortcuts?.clear();
      await supervisor?.stop();
      supervisor = null;
      bridge.dispose();
      callLog.close();
    },
  };
}

/** "Test connection": a throw-away connector that connects, takes a snapshot and signs off. */
async function testConnection(profile: Profile, secret: ProfileSecret | null, log: Logger) {
  const started = Date.now();
  // A free UDP port, so the test never collides with the running session's event port.
  const connection = profile.connection.vendor === 'telservices' ? { ...profile.connection, udpPort: 0 } : profile.connection;
  const connector = createConnector({ profile: { ...profile, connection }, secret, log });
  connector.setListeners({ event: () => {}, lost: () => {} });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CtiError('timeout', `no answer within ${profile.commandTimeoutMs} ms`)), profile.commandTimeoutMs);
  });
  try {
    await Promise.race([connector.start(), timeout]);
    const snap = await Promise.race([connector.snapshot(), timeout]);
    const latencyMs = Date.now() - started;
    return { ok: true, message: `Connected to ${connectionAddress(profile.connection)}; device ${profile.device} has ${snap.calls.length} call(s)`, latencyMs };
  } catch (err) {
    const e = CtiError.from(err);
    return { ok: false, message: `${e.code}: ${e.message}` };
  } finally {
    clearTimeout(timer);
    await connector.stop();
  }
}
