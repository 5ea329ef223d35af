// The InstantVoice connector (main/core/connector.ts): one STOMP connection to the broker (guide
// shared/seeds/004_69b839ff2dc46c84.txt, digest shared/digests/004-instantvoice.md).
//
// start():     StompTransport (one attempt; a refused login → authFailed) → SUBSCRIBE /topic/<KEY>
//              (replies), /topic/iv.agents.<acc>_<agent> (the agent's events) and, for a supervisor
//              or admin, /topic/iv.agents.# (the roster) → the receipts → AgentInfo of the agent
//              (verifies the key, the agent and the ACD).
// requests:    ["<Method>", KEY, {args}, "<identifier>"] to /queue/config; the reply settles the
//              pending request by identifier; a non-zero code → CtiError; no reply → timeout.
//              A reply is not the change: state changes only on the event.
// snapshot():  AgentInfo + AgentLineList (+ AgentList/AgentInfo per agent for the roster).
// keepAlive(): AgentInfo compared with the event-built agent state; heart-beats watch the socket.
// A lost connection → listeners.lost('unreachable'); the supervisor stops and starts again.
import { randomBytes } from 'node:crypto';
import type { IMessage } from '@stomp/stompjs';
import { CtiError, type Command, type CommandKind, type ErrorCode, type Query } from '../../../shared/commands.js';
import type { CtiEvent, SnapshotEvent } from '../../../shared/events.js';
import { ADMIN_CAPABILITY, TEAM_CAPABILITY } from '../../../shared/admin.js';
import type { AgentInfo, AgentStateKind, Colleague } from '../../../shared/model.js';
import type { InstantVoiceConnection, Profile } from '../../../shared/profile.js';
import type { Connector, ConnectorDeps, ConnectorListeners, KeepAliveResult, QueryResult } from '../../core/connector.js';
import { createTrace, type Logger, type TraceFn } from '../../core/log.js';
import { SessionSlot } from '../session-slot.js';
import { DEFAULT_MAX_BYTES, describeCode } from './codes.js';
import { decodeEvent } from './events.js';
import {
  agentClass,
  agentEventStatus,
  agentStatusOf,
  buildAgentInfo,
  dial,
  IvCallTracker,
  IvRoster,
  MAX_ROSTER,
  type IvAgentStatus,
  type TrackerOutput,
} from './mapping.js';
import { decodeReply, isObject, stripAccountPrefix, type IvRecord, type IvReply, type IvValue } from './replies.js';
import { ALL_AGENTS_TOPIC, agentTopic, agentUsername, encodeRequest, isValidKey, REQUEST_QUEUE, replyTopic, type IvArgs, type IvMethod } from './requests.js';
import { StompTransport } from './stomp-transport.js';

export interface InstantVoiceConnectorOptions {
  /** Largest message body accepted on a subscription (default 1 MiB); bigger → a notice, dropped. */
  maxBodyBytes?: number;
  /** How many AgentInfo requests the roster runs at once (default 8). */
  rosterParallel?: number;
}

/** Exactly what InstantVoice's API can do (no answer/hold/consult/conference/DTMF, digest §7 #41). */
export const instantVoiceCapabilities: ReadonlySet<CommandKind> = new Set<CommandKind>(['makeCall', 'clear', 'transfer', 'setAgentState', 'snapshot']);

/** A supervisor (or an administrator) also pauses, unpauses and logs off the team's agents. */
export function instantVoiceCapabilitiesFor(role: InstantVoiceConnection['role']): ReadonlySet<CommandKind> {
  return role === 'agent' ? instantVoiceCapabilities : new Set<CommandKind>([...instantVoiceCapabilities, 'setTeamAgentState']);
}

export function instantVoiceExtraCapabilities(role: InstantVoiceConnection['role']): readonly string[] {
  return role === 'admin' ? [TEAM_CAPABILITY, ADMIN_CAPABILITY] : role === 'supervisor' ? [TEAM_CAPABILITY] : [];
}

export function createInstantVoiceConnector(deps: ConnectorDeps, options: InstantVoiceConnectorOptions = {}): Connector {
  return new InstantVoiceConnectorImpl(deps, options);
}

interface Pending {
  method: IvMethod;
  resolve: (r: IvReply) => void;
  reject: (e: CtiError) => void;
  timer: NodeJS.Timeout;
}

interface Session {
  gen: number;
  transport: StompTransport;
  up: boolean;
  closed: boolean;
}

/** A non-zero return code → the typed error, with the codes.ts message. */
export function codeError(method: string, reply: Pick<IvReply, 'code' | 'description'>): CtiError {
  const info = describeCode(reply.code);
  const detail = reply.description ? ` (${reply.description.slice(0, 200)})` : '';
  const message = `${method}: ${info.message}${detail}`;
  let code: ErrorCode;
  switch (reply.code) {
    case 1:
      code = 'invalid';
      break;
    case 3:
      code = method === 'Hangup' ? 'noCall' : 'invalid';
      break;
    case 5:
    case 6:
    case 11:
      code = 'notPermitted';
      break;
    case 8:
      code = method === 'BlindTransfer' ? 'noCall' : 'rejected';
      break;
    case 9:
      code = 'authFailed';
      break;
    case 10:
      code = 'notPermitted';
      break;
    case 12:
      code = 'limit';
      break;
    case 1000:
    case -1:
      code = 'linkDown';
      break;
    default:
      code = 'rejected';
  }
  return new CtiError(code, message, info.name);
}

const STOP_TIMEOUT_MS = 2000;

class InstantVoiceConnectorImpl implements Connector {
  readonly vendor = 'instantvoice' as const;
  readonly capabilities: ReadonlySet<CommandKind>;
  readonly extraCapabilities: readonly string[];

  private readonly profile: Profile;
  private readonly conn: InstantVoiceConnection;
  private readonly deps: ConnectorDeps;
  private readonly log: Logger;
  private readonly trace: TraceFn;
  private readonly now: () => number;
  private readonly maxBody: number;
  private readonly rosterParallel: number;
  private readonly tracker: IvCallTracker;
  private readonly roster: IvRoster | null;

  private listeners: ConnectorListeners | null = null;
  private readonly slot = new SessionSlot<Session>((s) => this.teardown(s));
  private readonly pending = new Map<string, Pending>();
  private requestN = 0;
  private readonly idPrefix = randomBytes(4).toString('hex');
  private agentStatus: IvAgentStatus | null = null;
  private agentSince = 0;
  private snapshotInFlight: Promise<SnapshotEvent> | null = null;

  constructor(deps: ConnectorDeps, options: InstantVoiceConnectorOptions) {
    const connection = deps.profile.connection;
    if (connection.vendor !== 'instantvoice') throw new CtiError('invalid', 'not an InstantVoice profile');
    this.deps = deps;
    this.profile = deps.profile;
    this.conn = connection;
    this.capabilities = instantVoiceCapabilitiesFor(connection.role);
    this.extraCapabilities = instantVoiceExtraCapabilities(connection.role);
    this.log = deps.log.child({ connector: 'instantvoice', agent: deps.profile.agentId, device: deps.profile.device });
    const trace = createTrace(this.log, deps.profile.trace);
    // The access key travels inside the JSON array (and names the reply topic): never in a trace.
    this.trace = (dir, channel, frame) => {
      const key = this.deps.secret?.apiKey;
      const text = typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8');
      trace(dir, key ? channel.split(key).join('[key]') : channel, key ? text.split(key).join('[redacted]') : text);
    };
    this.now = deps.now ?? Date.now;
    this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BYTES;
    this.rosterParallel = Math.max(1, options.rosterParallel ?? 8);
    this.tracker = new IvCallTracker({ device: deps.profile.device, now: this.now });
    this.roster = connection.role === 'agent' ? null : new IvRoster({ accountcode: connection.accountcode, now: this.now });
  }

  setListeners(l: ConnectorListeners): void {
    this.listeners = l;
  }

  private get agent(): string {
    return this.profile.agentId.trim();
  }

  private get username(): string {
    return agentUsername(this.conn.accountcode, this.agent);
  }

  private get key(): string {
    return this.deps.secret?.apiKey ?? '';
  }

  private get iface(): string {
    return this.conn.interface || `SIP/${this.conn.accountcode}_${this.profile.device}`;
  }

  private get reasonLabels(): string[] {
    return this.conn.pauseReasons.map((r) => r.label);
  }

  // ================================================================ lifecycle

  async start(): Promise<void> {
    if (this.slot.stopping) await this.slot.stopping;
    if (this.slot.current) await this.stop();
    const gen = ++this.slot.gen;
    const secret = this.deps.secret;
    if (!secret?.apiKey) throw new CtiError('authFailed', 'No InstantVoice access key: set the profile secret’s API key (the key from Configuration → Web Service)');
    if (!isValidKey(secret.apiKey)) throw new CtiError('authFailed', 'The InstantVoice access key must be 1–20 letters and digits');
    if (this.agent === '' || !/^[0-9]+$/.test(this.agent)) throw new CtiError('invalid', 'The profile needs the InstantVoice agent number (agentId, digits)');

    let fatal: Error | null = null;
    const transport = new StompTransport({
      host: this.conn.host,
      port: this.conn.port,
      login: this.conn.brokerUser,
      passcode: secret.password,
      vhost: this.conn.vhost,
      heartbeatMs: this.conn.heartbeatMs,
      // One attempt: the supervisor owns the retries (and their back-off).
      maxAttempts: 0,
      reconnectDelayMs: 60_000,
      connectTimeoutMs: this.profile.commandTimeoutMs,
      onFatal: (err) => {
        fatal = err;
        this.connectionGone(s, err);
      },
      onDisconnected: () => this.connectionGone(s, new Error('the broker connection closed')),
      debug: (msg) => this.log.trace({ stomp: msg.slice(0, 500) }, 'stomp'),
    });
    const s: Session = { gen, transport, up: false, closed: false };
    this.slot.current = s;
    transport.subscribe(replyTopic(this.key), (m) => this.onReply(s, m));
    transport.subscribe(agentTopic(this.conn.accountcode, this.agent), (m) => this.onAgentMessage(s, m));
    if (this.roster) transport.subscribe(ALL_AGENTS_TOPIC, (m) => this.onTeamMessage(s, m));
    const check = () => {
      if (gen !== this.slot.gen || s.closed) throw new CtiError('notConnected', 'the InstantVoice start-up was cancelled');
    };
    try {
      try {
        await transport.connect();
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        if (/refused the connection/i.test(msg)) {
          throw new CtiError('authFailed', `The STOMP broker ${this.conn.host}:${this.conn.port} refused the login of broker user "${this.conn.brokerUser}" (vhost ${this.conn.vhost}): check the broker password`, 'STOMP_ERROR');
        }
        throw new CtiError('unreachable', `Cannot reach the InstantVoice STOMP broker ${this.conn.host}:${this.conn.port}: ${msg}`);
      }
      check();
      await this.withTimeout(transport.subscribed(), 'the broker did not confirm the subscriptions');
      check();
      this.trace('out', 'stomp', `SUBSCRIBE ${replyTopic(this.key)}, ${agentTopic(this.conn.accountcode, this.agent)}${this.roster ? `, ${ALL_AGENTS_TOPIC}` : ''}`);
      s.up = true;
      // The cheap request that proves the key, the agent and the ACD.
      try {
        const info = await this.agentInfo(this.agent);
        this.setAgentFromInfo(info, false);
      } catch (err) {
        throw this.verifyError(CtiError.from(err));
      }
      check();
    } catch (err) {
      await this.teardown(s);
      if (fatal && !(err instanceof CtiError)) throw new CtiError('unreachable', (fatal as Error).message);
      throw CtiError.from(err);
    }
  }

  private verifyError(e: CtiError): CtiError {
    if (e.vendorCode === 'RESPONSE_UNAUTHORIZED') return new CtiError('authFailed', 'InstantVoice: the access key is refused (RESPONSE_UNAUTHORIZED)', e.vendorCode);
    if (e.vendorCode === 'RESPONSE_NOT_ALLOWED') return new CtiError('notPermitted', 'InstantVoice: the access key may not call AgentInfo (RESPONSE_NOT_ALLOWED): grant it the agent methods in Configuration → Web Service', e.vendorCode);
    if (e.vendorCode === 'RESPONSE_NOT_FOUND') return new CtiError('invalid', `InstantVoice: agent ${this.agent} does not exist in account ${this.conn.accountcode}`, e.vendorCode);
    if (e.code === 'timeout') return new CtiError('timeout', `InstantVoice did not answer AgentInfo within ${this.profile.commandTimeoutMs} ms (no ACD behind the broker, or a key it ignores)`);
    return e;
  }

  stop(): Promise<void> {
    return this.slot.stop();
  }

  /** Idempotent; never throws. */
  private async teardown(s: Session): Promise<void> {
    if (!this.slot.retire(s)) return;
    s.up = false;
    this.failPending(new CtiError('notConnected', 'the InstantVoice connection was closed'));
    try {
      await Promise.race([s.transport.close(), new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())]);
    } catch (err) {
      this.log.debug({ err: CtiError.from(err).message }, 'InstantVoice: close');
    }
    try {
      s.transport.socket?.terminate();
    } catch {
      /* already closed */
    }
  }

  /** The broker connection dropped (heart-beats lost, closed, refused): report once, stop reconnecting. */
  private connectionGone(s: Session, err: Error): void {
    if (s.closed) return;
    const wasUp = s.up;
    s.up = false;
    this.failPending(new CtiError('unreachable', `InstantVoice broker connection lost: ${err.message}`));
    if (!wasUp || s !== this.slot.current) return;
    this.log.warn({ err: err.message }, 'InstantVoice: broker connection lost');
    void this.teardown(s);
    this.listeners?.lost(new CtiError('unreachable', `The InstantVoice broker connection was lost (${err.message})`));
  }

  private failPending(e: CtiError): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(e);
    }
  }

  private withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new CtiError('timeout', `InstantVoice: ${what} within ${this.profile.commandTimeoutMs} ms`)), this.profile.commandTimeoutMs);
      p.then(
        (v) => {
          clearTimeout(t);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(t);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  // ================================================================ requests

  private requireUp(): Session {
    const s = this.slot.current;
    if (!s || s.closed || !s.up || !s.transport.connected) throw new CtiError('notConnected', 'no InstantVoice broker connection');
    return s;
  }

  /** Sends one request; resolves with the code-0 reply. */
  private request(method: IvMethod, args: IvArgs): Promise<IvReply> {
    const s = this.requireUp();
    const identifier = `ad-${this.idPrefix}-${++this.requestN}`;
    const body = encodeRequest({ method, key: this.key, args, identifier });
    if (!body.ok) return Promise.reject(new CtiError('invalid', `${method}: ${body.error.message}`));
    return new Promise<IvReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(identifier);
        reject(new CtiError('timeout', `InstantVoice did not answer ${method} within ${this.profile.commandTimeoutMs} ms`));
      }, this.profile.commandTimeoutMs);
      this.pending.set(identifier, {
        method,
        timer,
        resolve: (r) => (r.code === 0 ? resolve(r) : reject(codeError(method, r))),
        reject,
      });
      try {
        this.trace('out', REQUEST_QUEUE, body.value);
        s.transport.publish(REQUEST_QUEUE, body.value, { 'content-type': 'application/json' });
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(identifier);
        reject(new CtiError('notConnected', `InstantVoice: cannot send ${method}: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  }

  private async agentInfo(agent: string): Promise<IvRecord> {
    const r = await this.request('AgentInfo', { accountcode: this.conn.accountcode, user: agent });
    return asRecord(r.data, 'AgentInfo');
  }

  // ================================================================ inbound messages

  private bodyOf(m: IMessage): Uint8Array {
    return m.binaryBody;
  }

  private notice(level: 'info' | 'warning' | 'error', code: string, message: string): void {
    this.emit({ type: 'notice', level, code, message: message.slice(0, 1024), at: this.now() });
  }

  private emit(e: CtiEvent): void {
    try {
      this.listeners?.event(e);
    } catch (err) {
      this.log.error({ err }, 'InstantVoice: listener failed');
    }
  }

  private bad(where: string, message: string): void {
    this.log.warn({ where, err: message }, 'InstantVoice: unreadable message dropped');
    this.notice('warning', 'ivBadMessage', `InstantVoice: an unreadable message on ${where} was dropped (${message.slice(0, 200)})`);
  }

  private onReply(s: Session, m: IMessage): void {
    if (s.closed) return;
    const body = this.bodyOf(m);
    this.trace('in', 'reply', body.length > 4096 ? `${Buffer.from(body.subarray(0, 4096)).toString('utf8')}…` : body);
    const r = decodeReply(body, { maxBytes: this.maxBody });
    if (!r.ok) return this.bad('the reply topic', r.error.message);
    const id = r.value.identifier;
    const p = id !== null ? this.pending.get(id) : undefined;
    if (!p || id === null) {
      this.log.debug({ identifier: id }, 'InstantVoice: a reply for another client or a late one');
      return;
    }
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(r.value);
  }

  private onAgentMessage(s: Session, m: IMessage): void {
    if (s.closed) return;
    const body = this.bodyOf(m);
    this.trace('in', 'agent', body.length > 4096 ? `${Buffer.from(body.subarray(0, 4096)).toString('utf8')}…` : body);
    const d = decodeEvent(body, { maxBytes: this.maxBody });
    if (!d.ok) return this.bad('the agent topic', d.error.message);
    const e = d.value;
    if (e.agent.username !== this.username) {
      this.log.debug({ agent: e.agent.username }, 'InstantVoice: an event for another agent on our topic');
      return;
    }
    if (e.kind === 'unknown') {
      this.log.debug({ type: e.type }, 'InstantVoice: unknown event type ignored');
      return;
    }
    if (e.kind === 'agent') {
      this.setAgent(agentEventStatus(e), true);
      return;
    }
    this.emitTracker(this.tracker.apply(e));
  }

  private onTeamMessage(s: Session, m: IMessage): void {
    if (s.closed || !this.roster) return;
    const d = decodeEvent(this.bodyOf(m), { maxBytes: this.maxBody });
    if (!d.ok) return this.bad('iv.agents.#', d.error.message);
    if (d.value.kind === 'unknown') {
      this.log.debug({ type: d.value.type }, 'InstantVoice: unknown event type ignored');
      return;
    }
    const c = this.roster.apply(d.value);
    if (c) this.emit({ type: 'colleague', colleague: c });
  }

  private emitTracker(out: TrackerOutput[]): void {
    for (const o of out) {
      if (o.kind === 'call') this.emit({ type: 'call', change: o.change, call: o.call });
      else this.emit({ type: 'callEnded', callId: o.callId, at: o.at, ...(o.cause ? { cause: o.cause } : {}), call: o.call });
    }
    // ONCALL is no event (digest §5.5): an available agent whose call is answered is busy, and the
    // end of the last call brings it back.
    if (out.some((o) => o.kind === 'call' && o.call.state === 'connected') && this.agentStatus?.state === 'ready') this.setAgent({ state: 'busy' }, true);
    if (out.some((o) => o.kind === 'ended') && this.tracker.size === 0 && this.agentStatus?.state === 'busy') this.setAgent({ state: 'ready' }, true);
  }

  private agentInfoNow(): AgentInfo | null {
    if (!this.agentStatus) return null;
    return buildAgentInfo(this.agentStatus, {
      agentId: this.agent,
      since: this.agentSince,
      reasons: this.reasonLabels,
      role: this.conn.role === 'agent' ? 'agent' : 'supervisor',
    });
  }

  private setAgent(status: IvAgentStatus, emit: boolean): void {
    const prev = this.agentStatus;
    if (prev && prev.state === status.state && prev.reason === status.reason) return;
    this.agentStatus = status;
    this.agentSince = this.now();
    const info = this.agentInfoNow();
    if (emit && info) this.emit({ type: 'agent', agent: info });
  }

  private setAgentFromInfo(info: IvRecord, emit: boolean): void {
    this.setAgent(agentStatusOf(info.agentstatus ?? null, info.reasons_reason ?? null), emit);
  }

  // ================================================================ snapshot / keep-alive

  snapshot(): Promise<SnapshotEvent> {
    if (!this.snapshotInFlight) {
      this.snapshotInFlight = this.fetchSnapshot().finally(() => {
        this.snapshotInFlight = null;
      });
    }
    return this.snapshotInFlight;
  }

  private async fetchSnapshot(): Promise<SnapshotEvent> {
    this.requireUp();
    const sinceSeq = this.tracker.seq;
    const [info, lines] = await Promise.all([
      this.agentInfo(this.agent),
      this.request('AgentLineList', { accountcode: this.conn.accountcode, user: this.agent }).then((r) => asRecordList(r.data, 'AgentLineList')),
    ]);
    const colleagues = this.roster ? await this.fetchRoster() : undefined;
    this.setAgentFromInfo(info, false);
    // Ended calls are reported by the snapshot itself (authoritative); no separate events.
    this.tracker.reconcile(lines.map((l) => ({ uniqueid: l.uniqueid ?? null, linestatus: l.linestatus ?? null })), sinceSeq);
    return {
      type: 'snapshot',
      at: this.now(),
      calls: this.tracker.list(),
      agent: this.agentInfoNow(),
      ...(colleagues ? { colleagues } : {}),
    };
  }

  private async fetchRoster(): Promise<Colleague[]> {
    if (!this.roster) return [];
    const r = await this.request('AgentList', { accountcode: this.conn.accountcode });
    const names: string[] = [];
    if (Array.isArray(r.data)) for (const v of r.data) if (typeof v === 'string') names.push(stripAccountPrefix(v, this.conn.accountcode));
    const numbers = [...new Set(names)].slice(0, MAX_ROSTER);
    const infos: Array<{ number: string; info: IvRecord | null }> = numbers.map((number) => ({ number, info: null }));
    let next = 0;
    const worker = async () => {
      while (next < infos.length) {
        const item = infos[next++] as { number: string; info: IvRecord | null };
        try {
          item.info = await this.agentInfo(item.number);
        } catch (err) {
          const e = CtiError.from(err);
          if (e.code === 'notConnected' || e.code === 'unreachable') throw e;
          this.log.debug({ agent: item.number, err: e.message }, 'InstantVoice: AgentInfo for the roster failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.rosterParallel, infos.length) }, worker));
    return this.roster.reset(infos);
  }

  async keepAlive(): Promise<KeepAliveResult> {
    const s = this.requireUp();
    if (!s.transport.connected) throw new CtiError('unreachable', 'the InstantVoice broker connection is gone');
    let info: IvRecord;
    try {
      info = await this.agentInfo(this.agent);
    } catch (err) {
      const e = CtiError.from(err);
      if (e.code === 'linkDown') return { missedEvents: 0, pbxLinkUp: false };
      throw e;
    }
    const fetched = agentStatusOf(info.agentstatus ?? null, info.reasons_reason ?? null);
    const held = this.agentStatus ? agentClass(this.agentStatus.state) : null;
    const now = agentClass(fetched.state);
    if (held !== null && now !== null && held !== now) {
      this.log.info({ held: this.agentStatus?.state, server: info.agentstatus }, 'InstantVoice: agent state differs from the events');
      return { missedEvents: 1, pbxLinkUp: true, snapshot: await this.snapshot() };
    }
    return { missedEvents: 0, pbxLinkUp: true };
  }

  // ================================================================ commands

  async execute(cmd: Command): Promise<void> {
    const acc = this.conn.accountcode;
    switch (cmd.kind) {
      case 'makeCall': {
        this.requireUp();
        const exten = dial(cmd.to);
        this.tracker.expectDial(exten);
        try {
          await this.request('NewCall', { Accountcode: acc, Agent: this.username, Exten: exten, External_id: this.externalId() });
        } catch (err) {
          this.tracker.cancelDial(exten);
          throw err;
        }
        return;
      }
      case 'clear': {
        const call = this.tracker.byCallId(cmd.callId);
        if (!call) throw new CtiError('noCall', `no InstantVoice call ${cmd.callId}`);
        await this.request('Hangup', { Accountcode: acc, Uniqueid: call.uniqueid });
        return;
      }
      case 'transfer': {
        if (cmd.to === undefined) throw new CtiError('unsupported', 'InstantVoice transfers blind only (BlindTransfer): give the destination number');
        const call = this.tracker.byCallId(cmd.callId);
        if (!call) throw new CtiError('noCall', `no InstantVoice call ${cmd.callId}`);
        if (this.tracker.size > 1) {
          throw new CtiError('notPermitted', `InstantVoice's BlindTransfer moves all the agent's calls at once, and there are ${this.tracker.size} now: end the others first`);
        }
        await this.request('BlindTransfer', { Accountcode: acc, Agent: this.username, Exten: dial(cmd.to) });
        return;
      }
      case 'setAgentState':
        return this.setAgentState(cmd.state, cmd.reason);
      case 'setTeamAgentState':
        return this.setTeamAgentState(cmd.agent, cmd.state, cmd.reason);
      case 'snapshot':
        this.emit(await this.snapshot());
        return;
      default:
        throw new CtiError('unsupported', `InstantVoice has no ${cmd.kind}`);
    }
  }

  private externalId(): string {
    // "Your number to identify this new call": digits, unique enough per desktop.
    return `${Date.now() % 1_000_000_000}${String(++this.requestN % 1000).padStart(3, '0')}`;
  }

  private async currentState(): Promise<IvAgentStatus> {
    if (this.agentStatus && this.agentStatus.state !== 'unknown') return this.agentStatus;
    const info = await this.agentInfo(this.agent);
    return agentStatusOf(info.agentstatus ?? null, info.reasons_reason ?? null);
  }

  /** The profile's pause reason id for a label (or an id); the first one when none is given. */
  private pauseReasonId(reason: string | undefined): string {
    const reasons = this.conn.pauseReasons;
    if (reason === undefined || reason.trim() === '') {
      const first = reasons[0]?.id;
      if (first === undefined) throw new CtiError('invalid', 'InstantVoice pauses need a reason number: add pause reasons to the profile (Telephony/Agent Pauses)');
      return first;
    }
    const r = reason.trim();
    const id = reasons.find((p) => p.label === r)?.id ?? reasons.find((p) => p.label.toLowerCase() === r.toLowerCase())?.id ?? reasons.find((p) => p.id === r)?.id;
    if (id === undefined) throw new CtiError('invalid', `"${r}" is not one of the profile's pause reasons (${this.reasonLabels.join(', ') || 'none'})`);
    return id;
  }

  /** A supervisor changes a team member's state: the same requests, for that agent's user. */
  private async setTeamAgentState(agent: string, state: 'ready' | 'notReady' | 'loggedOff', reason: string | undefined): Promise<void> {
    if (!this.roster) throw new CtiError('notPermitted', 'only a supervisor or administrator profile changes other agents’ states');
    const user = agentUsername(this.conn.accountcode, agent.trim());
    if (user === this.username) throw new CtiError('invalid', 'that is you: use your own agent state');
    await this.changeUser(user, state === 'ready' ? 'unpause' : state === 'notReady' ? 'pause' : 'logoff', reason);
  }

  private async setAgentState(state: AgentStateKind, reason: string | undefined): Promise<void> {
    const user = this.username;
    switch (state) {
      case 'loggedOn':
      case 'ready': {
        const cur = await this.currentState();
        if (cur.state === 'loggedOff') await this.request('AgentLogin', { Accountcode: this.conn.accountcode, User: user, Interface: this.iface });
        if (cur.state === 'notReady') await this.changeUser(user, 'unpause');
        return;
      }
      case 'notReady':
        return this.changeUser(user, 'pause', reason);
      case 'loggedOff':
        return this.changeUser(user, 'logoff');
      default:
        throw new CtiError('invalid', `InstantVoice agents cannot be put in the ${state} state`);
    }
  }

  /** Pause (with one of the profile's reasons), unpause or log off an agent's user. */
  private async changeUser(user: string, change: 'pause' | 'unpause' | 'logoff', reason?: string): Promise<void> {
    const acc = this.conn.accountcode;
    if (change === 'pause') await this.request('AgentPause', { Accountcode: acc, User: user, Reason: this.pauseReasonId(reason) });
    else if (change === 'unpause') await this.request('AgentUnpause', { Accountcode: acc, User: user });
    else await this.request('AgentLogoff', { Accountcode: acc, User: user });
  }

  query(q: Query): Promise<QueryResult> {
    return Promise.reject(new CtiError('unsupported', `InstantVoice has no ${q.kind} query`));
  }
}

function asRecord(v: IvValue, method: string): IvRecord {
  if (!isObject(v)) throw new CtiError('protocol', `${method}: expected an object in the reply`);
  const out: IvRecord = {};
  for (const [k, x] of Object.entries(v)) if (x === null || typeof x === 'string') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  return out;
}

function asRecordList(v: IvValue, method: string): IvRecord[] {
  if (!Array.isArray(v)) throw new CtiError('protocol', `${method}: expected a list in the reply`);
  return v.filter(isObject).map((x) => asRecord(x, method));
}
