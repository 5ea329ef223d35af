// The lab's InstantVoice ACD: accounts, agents, lines, queues, SIP users and permission groups, the 41
// integration methods (digest §4) with the guide's return codes (§6), and the agents' call events (§5)
// derived from the PBX core's call progress on the agents' interfaces (SIP/<acc>_<name> = core device <name>).
// Transport-neutral: the STOMP side (front-end.ts) and IVWS (ivws.ts) both call handle(); each method
// returns its JSON reply data and its SOAP result, so each transport renders the guide's shape for it.
import type { Logger } from '../../core/log.js';
import type { Pbx } from '../pbx/pbx.js';
import type { Call, Leg, PbxEvent } from '../pbx/types.js';
import { IV, codeName } from './codes.js';
import { instantVoiceConfig, ivMethods, type InstantVoiceConfig, type IvMethod } from './config.js';
import type { IvEvent, IvValue } from './wire.js';

// ---------------------------------------------------------------- results

export type SoapField = { name: string; type: 'string' | 'integer'; value: string } | { name: string; type: 'nil' };
export type SoapResult =
  | { kind: 'code' }
  | { kind: 'struct'; fields: SoapField[] }
  | { kind: 'array'; arrayType: string; item: string; items: SoapField[][] }
  | { kind: 'integerArray'; items: string[] };

export interface IvResult {
  code: number;
  /** STOMP slot 2: the description, or the query's data. */
  json: unknown;
  soap: SoapResult;
}

export type Transport = 'stomp' | 'soap';

class Fail extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
function fail(code: number, message: string): never {
  throw new Fail(code, message);
}

// ---------------------------------------------------------------- state

interface Line {
  id: number;
  linenumber: number;
  inbound: 0 | 1;
  outbound: 0 | 1;
}

interface Agent {
  id: number;
  accountcode: string;
  user: string;
  pass: string;
  name: string;
  disabled: 0 | 1;
  lines: Map<number, Line>;
  /** queue name → priority */
  queues: Map<string, number>;
  location?: string;
  login?: { interface: string; device: string; at: number };
  statusTs: number;
  /** Pause reason number while paused. */
  pause?: string;
  /** Pause requested while on a call: applied when the last call ends. */
  pendingPause?: string;
  wrapUntil: number;
  quarantineUntil: number;
  lastCallEnd: number;
}

interface Queue {
  id: number;
  accountcode: string;
  name: string;
  f: QueueFields;
  waiting: Waiting[];
}

interface QueueFields {
  description: string;
  sl_answeredbefore_1: number;
  sl_answeredbefore_2: number;
  sl_answeredbefore_3: number;
  joinempty: string;
  requiresendinfo: string;
  timeout: number;
  dialtimeout: number;
  maxlen: number;
  wrapuptime: number;
  quarantinetime: number;
  announce: string;
  musiconhold: string;
}

interface Waiting {
  uniqueid: string;
  from: string;
  enteredAt: number;
  queue: string;
  accountcode: string;
}

interface SipUser {
  id: number;
  accountcode: string;
  name: string;
  fields: Record<string, string>;
  location?: string;
}

/** A call of a logged-in agent, as the ACD reports it. */
interface IvCall {
  callId: string;
  uniqueid: string;
  agent: Agent;
  device: string;
  direction: 'INBOUND' | 'OUTBOUND';
  callerid: string;
  clickToDial: boolean;
  sent: Set<IvEvent['type']>;
  ringing: boolean;
  /** Set by the ACD when it ends the call (BTRANSFER, MSGONE, QUEUEMISSED). */
  reason?: string;
  queue?: Waiting;
  offerTimer?: ReturnType<typeof setTimeout>;
  otherAnswered: boolean;
}

const queueDefaults = (): QueueFields => ({
  description: '',
  sl_answeredbefore_1: 30,
  sl_answeredbefore_2: 60,
  sl_answeredbefore_3: 60,
  joinempty: 'yes',
  requiresendinfo: 'yes',
  timeout: 0,
  dialtimeout: 10,
  maxlen: 0,
  wrapuptime: 0,
  quarantinetime: 0,
  announce: '',
  musiconhold: 'default',
});

/** SipUserAdd fields and their defaults (digest §4.2); '' = null. */
const sipDefaults: Record<string, string> = {
  description: '', allow: 'ilbc;gsm;ulaw;alaw', amaflags: 'default', 'call-limit': '0', callerid: '', callgroup: '', canreinvite: 'yes',
  context: 'instantvoice_agent', defaultip: '', deny: '', disallow: '', dtmfmode: 'rfc2833', fromdomain: '', fromuser: '', fullcontact: '',
  host: 'dynamic', ignoregexpire: 'no', insecure: '', language: 'en_US', mailbox: '', md5secret: '', musiconhold: '', nat: 'no', permit: '',
  pickupgroup: '', port: '5060', progressinband: 'never', promiscredir: 'no', qualify: 'no', regexten: '', regseconds: '0', rpid: '',
  rtpholdtimeout: '0', secret: '', sendrpid: 'no', setvar: '', subscribecontext: '', trustrpid: 'no', type: 'friend', useclientcode: '',
  username: '', route: 'no', macaddr: '', ipaddr: '',
};
const sipAliases: Record<string, string> = { call_limit: 'call-limit', ignoreexpire: 'ignoregexpire', ignoreregexpire: 'ignoregexpire' };
const sipIntFields = new Set(['call-limit', 'port', 'regseconds', 'rtpholdtimeout']);
const sipYesNo = new Set(['canreinvite', 'ignoregexpire', 'nat', 'promiscredir', 'sendrpid', 'trustrpid', 'useclientcode', 'route']);
const sipEnums: Record<string, string[]> = {
  amaflags: ['default', 'omit', 'billing', 'documentation'],
  dtmfmode: ['inband', 'info', 'rfc2833'],
  language: ['en_US', 'pt_BR', 'es_ES'],
  progressinband: ['yes', 'no', 'never'],
  type: ['user', 'friend', 'peer'],
  insecure: ['invite', 'port', 'invite,port'],
};

const digits = /^[0-9]+$/;
const keyFormat = /^[A-Za-z0-9]{1,20}$/;

export interface PublishedEvent {
  topic: string;
  event: IvEvent;
}

export interface AcdOptions {
  config?: Partial<InstantVoiceConfig>;
  log?: Logger;
  /** Where events go (the front-end publishes them on STOMP). */
  onEvent?: (e: PublishedEvent) => void;
}

export class InstantVoiceAcd {
  config: InstantVoiceConfig;
  private accounts = new Set<string>();
  private agents = new Map<string, Agent>();
  private queues = new Map<string, Queue>();
  private sipUsers = new Map<string, SipUser>();
  private calls = new Map<string, IvCall>();
  private uniqueSeq = 0;
  private idSeq = 100;
  private deferDepth = 0;
  private deferred: PublishedEvent[] = [];
  private pendingOffer: { device: string; from: string; entry: Waiting } | undefined;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private unsubscribe: () => void;
  onEvent: (e: PublishedEvent) => void;
  /** SendSms / NewCallBack requests accepted (nothing is sent; tests read them). */
  readonly sms: Array<Record<string, string>> = [];
  readonly callbacks: Array<Record<string, string>> = [];

  constructor(
    readonly pbx: Pbx,
    private readonly opts: AcdOptions = {},
  ) {
    this.config = instantVoiceConfig(opts.config);
    this.onEvent = opts.onEvent ?? (() => undefined);
    this.load();
    this.unsubscribe = pbx.subscribe((e) => this.onPbx(e));
  }

  dispose(): void {
    this.unsubscribe();
    this.clearTimers();
  }

  /** Back to the configured fixture (calls forgotten: the PBX reset drops them). */
  reset(): void {
    this.clearTimers();
    this.calls.clear();
    this.deferred = [];
    this.load();
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, fn: () => void): ReturnType<typeof setTimeout> {
    const t = setTimeout(() => {
      this.timers.delete(t);
      try {
        fn();
      } catch (err) {
        this.opts.log?.warn({ err }, 'instantvoice: timer failed');
      }
    }, ms);
    t.unref?.();
    this.timers.add(t);
    return t;
  }

  private load(): void {
    const c = this.config;
    this.accounts = new Set(c.accountcodes);
    this.agents = new Map();
    this.queues = new Map();
    this.sipUsers = new Map();
    this.idSeq = 1;
    for (const q of c.queues) {
      const f = queueDefaults();
      for (const [k, v] of Object.entries(q.fields ?? {})) if (k in f) (f as unknown as Record<string, string | number>)[k] = typeof (f as unknown as Record<string, unknown>)[k] === 'number' ? Number(v) : String(v);
      this.queues.set(`${q.accountcode}_${q.name}`, { id: this.idSeq++, accountcode: q.accountcode, name: q.name, f, waiting: [] });
    }
    for (const a of c.agents) {
      const lines = new Map<number, Line>();
      for (const l of a.lines ?? [{ linenumber: 1 }]) lines.set(l.linenumber, { id: this.idSeq++, linenumber: l.linenumber, inbound: l.inbound ?? 1, outbound: l.outbound ?? 1 });
      this.agents.set(`${a.accountcode}_${a.user}`, {
        id: this.idSeq++,
        accountcode: a.accountcode,
        user: a.user,
        pass: a.pass ?? '',
        name: a.name ?? '',
        disabled: a.disabled ? 1 : 0,
        lines,
        queues: new Map((a.queues ?? []).map((q) => [q.name, q.priority])),
        ...(a.location ? { location: a.location } : {}),
        statusTs: 0,
        wrapUntil: 0,
        quarantineUntil: 0,
        lastCallEnd: 0,
      });
    }
    for (const s of c.sipUsers) {
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.fields ?? {})) fields[sipAliases[k] ?? k] = String(v);
      this.sipUsers.set(`${s.accountcode}_${s.name}`, { id: this.idSeq++, accountcode: s.accountcode, name: s.name, fields, ...(s.location ? { location: s.location } : {}) });
    }
  }

  // ---------------------------------------------------------------- events

  private emit(agent: Agent, e: Omit<IvEvent, 'agent'>): void {
    const name = `${agent.accountcode}_${agent.user}`;
    const event: IvEvent = { ...e, agent: name };
    if (e.type !== 'HANGUP' || !this.config.hangupReason) delete event.reason;
    const pub = { topic: `/topic/iv.agents.${name}`, event };
    if (this.deferDepth > 0) this.deferred.push(pub);
    else this.onEvent(pub);
  }

  /** Run fn with events held back; returns them (the caller publishes its reply first, §7 #24). */
  withEventsHeld<T>(fn: () => T): { value: T; events: PublishedEvent[] } {
    this.deferDepth++;
    let value: T;
    try {
      value = fn();
    } finally {
      this.deferDepth--;
    }
    const events = this.deferDepth === 0 ? this.deferred.splice(0) : [];
    return { value, events };
  }

  // ---------------------------------------------------------------- requests

  /** Check the key and run one method; never throws. */
  handle(method: string, key: string, args: Record<string, IvValue>, via: Transport): IvResult {
    const queryError = (code: number, msg: string): IvResult => ({
      code,
      json: `${codeName(code)}: ${msg}`,
      // SOAP: a failed query is a struct holding only <code>; a write method's result is the integer code.
      soap: queryMethods.has(method as IvMethod) ? { kind: 'struct', fields: [{ name: 'code', type: 'integer', value: String(code) }] } : { kind: 'code' },
    });
    if (!keyFormat.test(key)) return queryError(IV.UNAUTHORIZED, 'invalid key');
    const k = this.config.keys.find((x) => x.key === key);
    if (!k) return queryError(IV.UNAUTHORIZED, 'unknown key');
    if (!(ivMethods as readonly string[]).includes(method)) return queryError(IV.INVALID, `unknown method ${method}`);
    if (k.methods !== '*' && !k.methods.includes(method as IvMethod)) return queryError(IV.NOT_ALLOWED, `key not allowed to call ${method}`);
    try {
      const r = this.run(method as IvMethod, new Args(args, via, this.config.strictArgNames));
      if (r) return r;
      return { code: 0, json: `Successful ${method}`, soap: { kind: 'code' } };
    } catch (err) {
      if (err instanceof Fail) return queryError(err.code, err.message);
      this.opts.log?.error({ err, method }, 'instantvoice: method failed');
      return { code: IV.INTERNAL_ERROR, json: 'RESPONSE_INTERNAL_ERROR', soap: { kind: 'code' } };
    }
  }

  private run(m: IvMethod, a: Args): IvResult | void {
    switch (m) {
      case 'AgentAdd': {
        const acc = this.account(a.req('accountcode'));
        const user = a.req('user');
        if (!digits.test(user)) fail(IV.INVALID, 'user must be an integer');
        const pass = a.opt('pass', 'passwd');
        if (pass !== undefined && !digits.test(pass)) fail(IV.INVALID, 'pass must be an integer');
        if (this.agents.has(`${acc}_${user}`)) fail(IV.DUPLICATE, `agent ${user} exists`);
        this.agents.set(`${acc}_${user}`, {
          id: this.idSeq++, accountcode: acc, user, pass: pass ?? '', name: a.opt('name') ?? '', disabled: 0,
          lines: new Map([[1, { id: this.idSeq++, linenumber: 1, inbound: 1, outbound: 1 }]]), queues: new Map(), statusTs: 0, wrapUntil: 0, quarantineUntil: 0, lastCallEnd: 0,
        });
        return;
      }
      case 'AgentDelete': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        if (ag.login) fail(IV.INVALID, 'agent is logged in');
        this.agents.delete(`${ag.accountcode}_${ag.user}`);
        return;
      }
      case 'AgentModify': {
        const ag = this.agent(a.req('original_accountcode'), a.req('original_user'));
        const acc = a.opt('accountcode');
        const user = a.opt('user');
        const pass = a.opt('pass', 'passwd');
        if (acc !== undefined) this.account(acc);
        if (user !== undefined && !digits.test(user)) fail(IV.INVALID, 'user must be an integer');
        if (pass !== undefined && !digits.test(pass)) fail(IV.INVALID, 'pass must be an integer');
        const newKey = `${acc ?? ag.accountcode}_${user ?? ag.user}`;
        if ((acc !== undefined || user !== undefined) && newKey !== `${ag.accountcode}_${ag.user}`) {
          if (this.agents.has(newKey)) fail(IV.DUPLICATE, `agent ${newKey} exists`);
          if (ag.login) fail(IV.INVALID, 'agent is logged in');
          this.agents.delete(`${ag.accountcode}_${ag.user}`);
          ag.accountcode = acc ?? ag.accountcode;
          ag.user = user ?? ag.user;
          this.agents.set(newKey, ag);
        }
        if (pass !== undefined) ag.pass = pass;
        const name = a.opt('name');
        if (name !== undefined) ag.name = name;
        return;
      }
      case 'AgentList': {
        const acc = this.account(a.req('accountcode'));
        const users = [...this.agents.values()].filter((x) => x.accountcode === acc).map((x) => x.user);
        // The guide prints JSON numbers ([0,[1234,5678,...]]); a number with leading zeros ("0001")
        // has no JSON number form that keeps it, so it is printed as a string (as requests do, §7 #15).
        return query(users.map((u) => (/^(0|[1-9][0-9]{0,14})$/.test(u) ? Number(u) : u)), { kind: 'integerArray', items: users });
      }
      case 'AgentInfo': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        return this.agentInfo(ag);
      }
      case 'AgentLineAdd': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        const lines = a.list('lines', 'line');
        if (lines.length === 0) fail(IV.MISSING_ARGS, 'lines missing');
        const parsed = lines.map((l) => {
          const n = l.linenumber ?? '1';
          if (!digits.test(n)) fail(IV.INVALID, 'linenumber must be an integer');
          return { linenumber: Number(n), inbound: flag(l.inbound, 'inbound'), outbound: flag(l.outbound, 'outbound') };
        });
        for (const l of parsed) if (ag.lines.has(l.linenumber) || parsed.filter((x) => x.linenumber === l.linenumber).length > 1) fail(IV.DUPLICATE, `line ${l.linenumber} exists`);
        for (const l of parsed) ag.lines.set(l.linenumber, { id: this.idSeq++, ...l });
        return;
      }
      case 'AgentLineDelete': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        const n = this.lineNumber(ag, a.req('linenumber'));
        if (ag.lines.size <= 1) fail(IV.NOT_ALLOWED, "cannot delete the agent's only line");
        ag.lines.delete(n);
        return;
      }
      case 'AgentLineModify': {
        const ag = this.agent(a.req('original_accountcode'), a.req('original_user'));
        const line = ag.lines.get(this.lineNumber(ag, a.req('original_linenumber'))) as Line;
        const inb = a.opt('inbound');
        const outb = a.opt('outbound');
        if (inb !== undefined) line.inbound = flag(inb, 'inbound');
        if (outb !== undefined) line.outbound = flag(outb, 'outbound');
        return;
      }
      case 'AgentLineList': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        return this.lineList(ag);
      }
      case 'AgentQueueAdd': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        const items = a.list('queues', 'queue');
        if (items.length === 0) fail(IV.MISSING_ARGS, 'queues missing');
        const parsed = items.map((q) => {
          if (q.name === undefined) fail(IV.MISSING_ARGS, 'queue name missing');
          const name = q.name as string;
          const priority = q.priority ?? '0';
          if (!/^-?[0-9]+$/.test(priority)) fail(IV.INVALID, 'priority must be an integer');
          if (!this.queues.has(`${ag.accountcode}_${name}`)) fail(IV.NOT_FOUND, `queue ${name} not found`);
          if (ag.queues.has(name)) fail(IV.DUPLICATE, `already a member of ${name}`);
          return { name, priority: Number(priority) };
        });
        for (const q of parsed) ag.queues.set(q.name, q.priority);
        this.dispatchAll();
        return;
      }
      case 'AgentQueueDelete': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        const name = a.req('name');
        if (!ag.queues.has(name)) fail(IV.NOT_FOUND, `not a member of ${name}`);
        if (ag.queues.size <= 1) fail(IV.NOT_ALLOWED, "cannot remove the agent's only queue");
        ag.queues.delete(name);
        return;
      }
      case 'AgentQueueModify': {
        const ag = this.agent(a.req('original_accountcode'), a.req('original_user'));
        const name = a.req('original_name');
        const priority = a.req('priority');
        if (!ag.queues.has(name)) fail(IV.NOT_FOUND, `not a member of ${name}`);
        if (!/^-?[0-9]+$/.test(priority)) fail(IV.INVALID, 'priority must be an integer');
        ag.queues.set(name, Number(priority));
        return;
      }
      case 'AgentQueueList': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        const qs = [...ag.queues.entries()];
        return query(
          qs.map(([name, priority]) => ({ name: Number(name), priority })),
          { kind: 'array', arrayType: 'tns:AgentQueuesArray', item: 'AgentQueues', items: qs.map(([name, priority]) => [int('priority', priority), str('name', name)]) },
        );
      }
      case 'AgentQueueMembers': {
        const q = this.queue(a.req('accountcode'), a.req('name'));
        const members = [...this.agents.values()].filter((x) => x.accountcode === q.accountcode && x.queues.has(q.name));
        return query(
          members.map((m) => ({ priority: String(m.queues.get(q.name)), user: m.user })),
          { kind: 'array', arrayType: 'tns:QueueMembersArray', item: 'QueueMembers', items: members.map((m) => [int('priority', m.queues.get(q.name) ?? 0), str('user', m.user)]) },
        );
      }
      case 'AgentAddPermission':
      case 'AgentModifyPermission': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        const loc = this.group(a.req('location'));
        if (m === 'AgentAddPermission' && ag.location !== undefined) fail(IV.DUPLICATE, 'agent already has a permission group');
        if (m === 'AgentModifyPermission' && ag.location === undefined) fail(IV.NOT_FOUND, 'agent has no permission group');
        ag.location = loc;
        return;
      }
      case 'AgentDeletePermission': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        if (ag.location === undefined) fail(IV.NOT_FOUND, 'agent has no permission group');
        delete ag.location;
        return;
      }
      case 'AgentInfoPermission': {
        const ag = this.agent(a.req('accountcode'), a.req('user'));
        if (ag.location === undefined) fail(IV.NOT_FOUND, 'agent has no permission group');
        return permissionReply(ag.location as string);
      }
      case 'AgentLogin': {
        const acc = this.account(a.req('Accountcode'));
        const ag = this.agentByName(acc, a.req('User'));
        const iface = a.req('Interface');
        const m2 = /^([A-Za-z0-9]+)\/([A-Za-z0-9]+)_([A-Za-z0-9]+)$/.exec(iface);
        if (!m2) fail(IV.INVALID, `interface ${iface} is not <TECH>/<accountcode>_<name>`);
        const [, tech, ifAcc, sipName] = m2 as RegExpExecArray;
        if (tech !== 'SIP' || ifAcc !== acc || !this.sipUsers.has(`${acc}_${sipName}`)) fail(IV.NOT_FOUND, `no SIP user for ${iface}`);
        if (ag.disabled) fail(IV.DISABLED, 'agent disabled');
        if (ag.login) fail(IV.DUPLICATE, 'agent already logged in');
        if ([...this.agents.values()].some((x) => x.login?.interface === iface)) fail(IV.DUPLICATE, `${iface} is used by another agent`);
        ag.login = { interface: iface, device: sipName as string, at: nowSec() };
        ag.statusTs = nowSec();
        delete ag.pause;
        delete ag.pendingPause;
        this.emit(ag, { direction: '', callerid: '', type: 'LOGIN', uniqueid: '' });
        this.dispatchAll();
        return;
      }
      case 'AgentLogoff': {
        const ag = this.agentByName(this.account(a.req('Accountcode')), a.req('User'));
        if (!ag.login) fail(IV.INVALID, 'agent is not logged in');
        this.emit(ag, { direction: '', callerid: '', type: 'LOGOUT', uniqueid: '' });
        // Calls on the phone go on; the ACD stops reporting them.
        for (const c of this.callsOf(ag)) this.forget(c);
        delete ag.login;
        delete ag.pause;
        delete ag.pendingPause;
        ag.statusTs = nowSec();
        return;
      }
      case 'AgentPause': {
        const ag = this.agentByName(this.account(a.req('Accountcode')), a.req('User'));
        const reason = a.req('Reason');
        const text = this.config.pauseReasons[reason];
        if (text === undefined) fail(IV.NOT_FOUND, `pause reason ${reason} not defined`);
        if (!ag.login) fail(IV.INVALID, 'agent is not logged in');
        if (ag.pause !== undefined || ag.pendingPause !== undefined) fail(IV.DUPLICATE, 'agent already paused');
        if (this.callsOf(ag).length > 0) {
          ag.pendingPause = reason; // [SIM] pending pause: PAUSE is sent when the last call ends
          return;
        }
        this.applyPause(ag, reason);
        return;
      }
      case 'AgentUnpause': {
        const ag = this.agentByName(this.account(a.req('Accountcode')), a.req('User'));
        if (!ag.login) fail(IV.INVALID, 'agent is not logged in');
        if (ag.pendingPause !== undefined) {
          delete ag.pendingPause; // cancels the pending pause; no event (PAUSE was never sent)
          return;
        }
        if (ag.pause === undefined) fail(IV.INVALID, 'agent is not paused');
        delete ag.pause;
        ag.statusTs = nowSec();
        this.emit(ag, { direction: '', callerid: '', type: 'UNPAUSE', uniqueid: '' });
        this.dispatchAll();
        return;
      }
      case 'BlindTransfer': {
        const ag = this.agentByName(this.account(a.req('Accountcode')), a.reqAny(['User', 'Agent']));
        const exten = a.req('Exten');
        if (!/^\+?[0-9*#]{1,32}$/.test(exten)) fail(IV.INVALID, `not diallable: ${exten}`);
        if (!ag.login) fail(IV.INVALID, 'agent is not logged in');
        const calls = this.callsOf(ag);
        if (calls.length === 0) fail(IV.ITEM_EMPTY, 'the agent has no call');
        for (const c of calls) {
          c.reason = 'BTRANSFER';
          this.clearOffer(c);
          try {
            this.pbx.divert(c.device, exten, { callId: c.callId });
          } catch {
            // Not divertable (e.g. the destination leg is not there yet): the agent's leg is released.
            this.pbx.clearCall(c.callId, c.device);
          }
        }
        return;
      }
      case 'NewCall': {
        const ag = this.agentByName(this.account(a.req('Accountcode')), a.reqAny(['User', 'Agent']));
        const exten = a.req('Exten');
        a.opt('External_id'); // [SIM] optional, not echoed in events
        if (!/^\+?[0-9*#]{1,32}$/.test(exten)) fail(IV.INVALID, `not diallable: ${exten}`);
        if (!ag.login) fail(IV.INVALID, 'agent is not logged in');
        if (![...ag.lines.values()].some((l) => l.outbound)) fail(IV.NOT_ALLOWED, 'no outbound line');
        if (!this.pbx.isDevice(ag.login.device)) fail(IV.NOT_FOUND, `interface ${ag.login.interface} has no phone`);
        this.pbx.makeCall(ag.login.device, exten, { ringOriginatorFirst: true });
        return;
      }
      case 'SendSms': {
        this.account(a.req('Accountcode'));
        const number = a.req('Number');
        const text = a.req('Text');
        if (!/^\+?[0-9]{3,20}$/.test(number)) fail(IV.INVALID, 'Number must be a phone number');
        this.sms.push({ number, text });
        return;
      }
      case 'NewCallBack': {
        this.account(a.req('Accountcode'));
        const entry: Record<string, string> = { Mcdu: a.req('Mcdu'), Originator: a.req('Originator'), Language: a.req('Language') };
        if (!this.config.callbackLanguages.includes(entry.Language as string)) fail(IV.INVALID, 'Language must be pt_BR or en_US');
        for (const k of ['Ruleid', 'Location_id', 'Queue_id', 'Email']) {
          const v = a.opt(k);
          if (v !== undefined) entry[k] = v;
        }
        this.callbacks.push(entry);
        return;
      }
      case 'Hangup': {
        const acc = this.account(a.req('Accountcode'));
        const uid = a.req('Uniqueid');
        const c = [...this.calls.values()].find((x) => x.uniqueid === uid && x.agent.accountcode === acc);
        if (c) {
          this.clearOffer(c);
          this.pbx.clearCall(c.callId, c.device);
          return;
        }
        for (const q of this.queues.values()) {
          const i = q.waiting.findIndex((w) => w.uniqueid === uid && w.accountcode === acc);
          if (i >= 0) {
            q.waiting.splice(i, 1);
            return;
          }
        }
        return fail(IV.NOT_FOUND, `no call ${uid}`);
      }
      case 'QueueAdd': {
        const acc = this.account(a.req('accountcode'));
        const name = a.req('name');
        if (!digits.test(name)) fail(IV.INVALID, 'name must be an integer');
        const f = queueDefaults();
        this.applyQueueFields(f, a);
        if (this.queues.has(`${acc}_${name}`)) fail(IV.DUPLICATE, `queue ${name} exists`);
        this.queues.set(`${acc}_${name}`, { id: this.idSeq++, accountcode: acc, name, f, waiting: [] });
        return;
      }
      case 'QueueModify': {
        const q = this.queue(a.req('original_accountcode'), a.req('original_name'));
        const acc = a.opt('accountcode');
        const name = a.opt('name');
        if (acc !== undefined) this.account(acc);
        if (name !== undefined && !digits.test(name)) fail(IV.INVALID, 'name must be an integer');
        const f = { ...q.f };
        this.applyQueueFields(f, a);
        const newKey = `${acc ?? q.accountcode}_${name ?? q.name}`;
        if (newKey !== `${q.accountcode}_${q.name}`) {
          if (this.queues.has(newKey)) fail(IV.DUPLICATE, `queue ${newKey} exists`);
          if (acc !== undefined && acc !== q.accountcode && this.membersOf(q).length > 0) fail(IV.NOTEMPTY, 'queue has members');
          for (const m2 of this.membersOf(q)) {
            const p = m2.queues.get(q.name) as number;
            m2.queues.delete(q.name);
            m2.queues.set(name ?? q.name, p);
          }
          this.queues.delete(`${q.accountcode}_${q.name}`);
          q.accountcode = acc ?? q.accountcode;
          q.name = name ?? q.name;
          for (const w of q.waiting) w.queue = q.name;
          this.queues.set(newKey, q);
        }
        q.f = f;
        return;
      }
      case 'QueueDelete': {
        const q = this.queue(a.req('accountcode'), a.req('name'));
        if (this.membersOf(q).length > 0) fail(IV.NOTEMPTY, 'queue has members');
        if (q.waiting.length > 0) fail(IV.NOTEMPTY, 'queue has waiting calls');
        this.queues.delete(`${q.accountcode}_${q.name}`);
        return;
      }
      case 'QueueList': {
        const acc = this.account(a.req('accountcode'));
        const names = [...this.queues.values()].filter((q) => q.accountcode === acc).map((q) => q.name);
        return query(names, { kind: 'integerArray', items: names });
      }
      case 'QueueInfo': {
        const q = this.queue(a.req('accountcode'), a.req('name'));
        return this.queueInfo(q);
      }
      case 'SipUserAdd': {
        const acc = this.account(a.req('accountcode'));
        const name = a.req('name');
        if (!digits.test(name)) fail(IV.INVALID, 'name must be numeric');
        const fields = this.sipFields(a);
        if (fields.location !== undefined) this.group(fields.location);
        if (this.sipUsers.has(`${acc}_${name}`)) fail(IV.DUPLICATE, `SIP user ${name} exists`);
        const loc = fields.location;
        delete fields.location;
        this.sipUsers.set(`${acc}_${name}`, { id: this.idSeq++, accountcode: acc, name, fields, ...(loc ? { location: loc } : {}) });
        return;
      }
      case 'SipUserModify': {
        const s = this.sipUser(a.req('original_accountcode'), a.req('original_name'));
        const acc = a.opt('accountcode');
        const name = a.opt('name');
        if (acc !== undefined) this.account(acc);
        if (name !== undefined && !digits.test(name)) fail(IV.INVALID, 'name must be numeric');
        const fields = this.sipFields(a);
        if (fields.location !== undefined) s.location = this.group(fields.location);
        delete fields.location;
        const newKey = `${acc ?? s.accountcode}_${name ?? s.name}`;
        if (newKey !== `${s.accountcode}_${s.name}`) {
          if (this.sipUsers.has(newKey)) fail(IV.DUPLICATE, `SIP user ${newKey} exists`);
          this.sipUsers.delete(`${s.accountcode}_${s.name}`);
          s.accountcode = acc ?? s.accountcode;
          s.name = name ?? s.name;
          this.sipUsers.set(newKey, s);
        }
        Object.assign(s.fields, fields);
        return;
      }
      case 'SipUserDelete': {
        const s = this.sipUser(a.req('accountcode'), a.req('name'));
        if ([...this.agents.values()].some((x) => x.login?.interface === `SIP/${s.accountcode}_${s.name}`)) fail(IV.INVALID, 'an agent is logged in on this SIP user');
        this.sipUsers.delete(`${s.accountcode}_${s.name}`);
        return;
      }
      case 'SipUserList': {
        const acc = this.account(a.req('accountcode'));
        const names = [...this.sipUsers.values()].filter((s) => s.accountcode === acc).map((s) => s.name);
        // SOAP: the guide's Python tuple reprs ('0001',) typed as integers.
        return query(names, { kind: 'integerArray', items: names.map((n) => `('${n}',)`) });
      }
      case 'SipUserInfo': {
        const s = this.sipUser(a.req('accountcode'), a.req('name'));
        return this.sipInfo(s, a.via);
      }
      case 'SipUserAddPermission':
      case 'SipUserModifyPermission': {
        const s = this.sipUser(a.req('accountcode'), a.req('name'));
        const loc = this.group(a.req('location'));
        if (m === 'SipUserAddPermission' && s.location !== undefined) fail(IV.DUPLICATE, 'SIP user already has a permission group');
        if (m === 'SipUserModifyPermission' && s.location === undefined) fail(IV.NOT_FOUND, 'SIP user has no permission group');
        s.location = loc;
        return;
      }
      case 'SipUserDeletePermission': {
        const s = this.sipUser(a.req('accountcode'), a.req('name'));
        if (s.location === undefined) fail(IV.NOT_FOUND, 'SIP user has no permission group');
        delete s.location;
        return;
      }
      case 'SipUserInfoPermission': {
        const s = this.sipUser(a.req('accountcode'), a.req('name'));
        if (s.location === undefined) fail(IV.NOT_FOUND, 'SIP user has no permission group');
        return permissionReply(s.location as string);
      }
    }
  }

  // ---------------------------------------------------------------- lookups

  private account(acc: string): string {
    if (!this.accounts.has(acc)) fail(IV.NOT_FOUND, `accountcode ${acc} not found`);
    return acc;
  }

  private agent(acc: string, user: string): Agent {
    this.account(acc);
    const ag = this.agents.get(`${acc}_${user}`);
    if (!ag) return fail(IV.NOT_FOUND, `agent ${user} not found`);
    return ag;
  }

  /** An agent username `<accountcode>_<agentNumber>` (the state and call methods). */
  private agentByName(acc: string, username: string): Agent {
    const prefix = `${acc}_`;
    if (!username.startsWith(prefix)) fail(IV.NOT_FOUND, `agent ${username} not in ${acc}`);
    return this.agent(acc, username.slice(prefix.length));
  }

  private queue(acc: string, name: string): Queue {
    this.account(acc);
    const q = this.queues.get(`${acc}_${name}`);
    if (!q) return fail(IV.NOT_FOUND, `queue ${name} not found`);
    return q;
  }

  private sipUser(acc: string, name: string): SipUser {
    this.account(acc);
    const s = this.sipUsers.get(`${acc}_${name}`);
    if (!s) return fail(IV.NOT_FOUND, `SIP user ${name} not found`);
    return s;
  }

  private group(loc: string): string {
    if (!this.config.permissionGroups.includes(loc)) fail(IV.NOT_FOUND, `permission group ${loc} not found`);
    return loc;
  }

  private lineNumber(ag: Agent, n: string): number {
    if (!digits.test(n)) fail(IV.INVALID, 'linenumber must be an integer');
    if (!ag.lines.has(Number(n))) fail(IV.NOT_FOUND, `line ${n} not found`);
    return Number(n);
  }

  private membersOf(q: Queue): Agent[] {
    return [...this.agents.values()].filter((x) => x.accountcode === q.accountcode && x.queues.has(q.name));
  }

  private applyQueueFields(f: QueueFields, a: Args): void {
    const ints: Array<[keyof QueueFields, number]> = [
      ['sl_answeredbefore_1', 300], ['sl_answeredbefore_2', 900], ['sl_answeredbefore_3', 900],
      ['timeout', Infinity], ['dialtimeout', Infinity], ['maxlen', Infinity], ['wrapuptime', Infinity], ['quarantinetime', Infinity],
    ];
    for (const [k, max] of ints) {
      const v = a.opt(k);
      if (v === undefined) continue;
      if (!digits.test(v) || Number(v) >= max) fail(IV.INVALID, `${k} must be an integer smaller than ${max}`);
      (f as unknown as Record<string, number>)[k] = Number(v);
    }
    for (const k of ['joinempty', 'requiresendinfo'] as const) {
      const v = a.opt(k, ...(k === 'requiresendinfo' ? ['requisendinfo'] : []));
      if (v === undefined) continue;
      if (v !== 'yes' && v !== 'no') fail(IV.INVALID, `${k} must be yes or no`);
      f[k] = v;
    }
    for (const k of ['description', 'announce', 'musiconhold'] as const) {
      const v = a.opt(k);
      if (v !== undefined) f[k] = v;
    }
  }

  private sipFields(a: Args): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of [...Object.keys(sipDefaults), ...Object.keys(sipAliases), 'location']) {
      if (name === 'name' || name === 'accountcode') continue;
      const v = a.opt(name);
      if (v === undefined) continue;
      const k = sipAliases[name] ?? name;
      if (sipIntFields.has(k) && !digits.test(v)) fail(IV.INVALID, `${k} must be numeric`);
      if (sipYesNo.has(k) && v !== 'yes' && v !== 'no') fail(IV.INVALID, `${k} must be yes or no`);
      const e = sipEnums[k];
      if (e && !e.includes(v)) fail(IV.INVALID, `${k} must be one of ${e.join(', ')}`);
      if (k === 'qualify' && !(v === 'yes' || v === 'no' || digits.test(v))) fail(IV.INVALID, 'qualify must be yes, no or ms');
      out[k] = v;
    }
    return out;
  }

  // ---------------------------------------------------------------- query replies

  status(ag: Agent): string {
    if (!ag.login) return 'LOGOFF';
    if (this.callsOf(ag).length > 0) return ag.pendingPause !== undefined ? 'PENDING_PAUSE' : 'ONCALL';
    if (ag.pause !== undefined) return 'PAUSED';
    const now = Date.now();
    if (ag.wrapUntil > now) return 'WRAPUP';
    if (ag.quarantineUntil > now) return 'QUARANTINE';
    return 'IDLE';
  }

  private agentInfo(ag: Agent): IvResult {
    const reason = ag.pause ?? ag.pendingPause;
    const o = {
      accountcode: ag.accountcode,
      name: ag.name,
      extension: 'n/a',
      reasons_reason: reason !== undefined ? (this.config.pauseReasons[reason] ?? '') : '',
      agentstatusts: ag.statusTs,
      logints: ag.login?.at ?? 0,
      disabled: ag.disabled,
      user: `${ag.accountcode}_${ag.user}`,
      pass: ag.pass,
      interface: ag.login?.interface ?? 'n/a',
      agentstatus: this.status(ag),
      id: ag.id,
    };
    // SOAP: the guide's five fields (passwd, accountcode, agents_id, name, user unprefixed) then the live status.
    return query(o, {
      kind: 'struct',
      fields: [
        str('passwd', ag.pass), str('accountcode', ag.accountcode), int('agents_id', ag.id), str('name', ag.name), str('user', ag.user),
        str('agentstatus', o.agentstatus), int('agentstatusts', o.agentstatusts), int('logints', o.logints), str('interface', o.interface),
        str('extension', o.extension), str('reasons_reason', o.reasons_reason), int('disabled', o.disabled),
      ],
    });
  }

  private lineList(ag: Agent): IvResult {
    const lines = [...ag.lines.values()].sort((x, y) => x.linenumber - y.linenumber);
    const calls = this.callsOf(ag);
    const rows = lines.map((l, i) => {
      const c = calls[i];
      return {
        id: l.id,
        queues_id: c?.queue ? (this.queues.get(`${ag.accountcode}_${c.queue.queue}`)?.id ?? 0) : 0,
        outbound: l.outbound,
        inbound: l.inbound,
        linestatus: c ? (c.ringing ? 'RINGING' : 'ONCALL') : 'IDLE',
        uniqueid: c?.uniqueid ?? '',
        linenumber: l.linenumber,
        linestatusts: c ? ag.statusTs : 0,
      };
    });
    return query(rows, {
      kind: 'array',
      arrayType: 'tns:AgentLinesArray',
      item: 'AgentLines',
      items: rows.map((r) => [
        str('accountcode', ag.accountcode), int('outbound', r.outbound), int('inbound', r.inbound), str('linestatus', r.linestatus), int('linenumber', r.linenumber),
        r.linestatusts ? int('linestatusts', r.linestatusts) : nil('linestatusts'), str('uniqueid', r.uniqueid),
      ]),
    });
  }

  private queueInfo(q: Queue): IvResult {
    const members = this.membersOf(q);
    const count = (pred: (s: string) => boolean) => members.filter((m) => pred(this.status(m))).length;
    const loggedIn = members.filter((m) => m.login).length;
    const o: Record<string, unknown> = {
      agents_total: members.length,
      agents_loggedin: loggedIn,
      agents_loggedoff: members.length - loggedIn,
      agents_idle: count((s) => s === 'IDLE'),
      agents_oncall: count((s) => s === 'ONCALL' || s === 'PENDING_PAUSE'),
      agents_paused: count((s) => s === 'PAUSED'),
      agents_pending_pause: count((s) => s === 'PENDING_PAUSE'),
      agents_pending_logoff: 0,
      agents_logoff_pause: 0,
      agents_unavailable_quarantine: count((s) => s === 'QUARANTINE'),
      agents_unavailable_wrapup: count((s) => s === 'WRAPUP'),
      len: q.waiting.length,
      maxwait: q.waiting.length ? Math.floor((Date.now() - Math.min(...q.waiting.map((w) => w.enteredAt))) / 1000) : 0,
      timestamp: nowSec(),
      id: q.id,
      sl_w1_a1: null, sl_w1_a2: null, sl_w1_a3: null, sl_w2_a1: null, sl_w2_a2: null, sl_w2_a3: null, sl_w3_a1: null, sl_w3_a2: null, sl_w3_a3: null,
      requiresendinfo: q.f.requiresendinfo,
      joinempty: q.f.joinempty,
      leavewhenempty: 'no',
      conditionalmon: 'yes',
      max_recordings: 0,
      monitorfilename: '',
      monitor_format: 'wav49',
      musiconhold: q.f.musiconhold,
      announce: q.f.announce,
      wrapuptime: q.f.wrapuptime,
      dialtimeout: q.f.dialtimeout,
      quarantinetime: q.f.quarantinetime,
      timeout: q.f.timeout,
      maxlen: q.f.maxlen,
      sl_answeredbefore_1: q.f.sl_answeredbefore_1,
      sl_answeredbefore_2: q.f.sl_answeredbefore_2,
      sl_answeredbefore_3: q.f.sl_answeredbefore_3,
      description: q.f.description,
      name: `${q.accountcode}_${q.name}`,
      accountcode: q.accountcode,
    };
    const s = (name: string, v: string) => (v === '' ? { name, type: 'string' as const, value: '' } : str(name, v));
    return query(o, {
      kind: 'struct',
      fields: [
        str('accountcode', q.accountcode), s('description', q.f.description), str('requisendinfo', q.f.requiresendinfo), int('sl_answeredbefore_2', q.f.sl_answeredbefore_2),
        int('maxlen', q.f.maxlen), str('joinempty', q.f.joinempty), int('sl_answeredbefore_1', q.f.sl_answeredbefore_1), int('timeout', q.f.timeout),
        int('sl_answeredbefore_3', q.f.sl_answeredbefore_3), s('announce', q.f.announce), int('wrapuptime', q.f.wrapuptime), int('dialtimeout', q.f.dialtimeout),
        int('quarantinetime', q.f.quarantinetime), str('musiconhold', q.f.musiconhold), str('name', q.name),
        ...Object.entries(o).filter(([k]) => k.startsWith('agents_') || k === 'len').map(([k, v]) => int(k, v as number)),
      ],
    });
  }

  private sipInfo(s: SipUser, via: Transport): IvResult {
    const v = (k: string) => s.fields[k] ?? sipDefaults[k] ?? '';
    const full = `${s.accountcode}_${s.name}`;
    const json: Record<string, unknown> = {};
    for (const k of Object.keys(sipDefaults)) {
      if (k === 'macaddr') continue;
      const key = k === 'ignoregexpire' ? 'ignoreregexpire' : k;
      const val = v(k);
      json[key] = sipIntFields.has(k) ? Number(val) : val;
    }
    json.qualify = v('qualify') === 'no' ? 0 : v('qualify');
    json.callerid = v('callerid') || null;
    json.username = v('username') || full;
    json.rtptimeout = 0;
    json.id = s.id;
    json.name = full;
    json.accountcode = s.accountcode;
    void via;
    const fields: SoapField[] = [];
    for (const k of Object.keys(sipDefaults)) {
      if (k === 'route' || k === 'macaddr' || k === 'context') continue;
      const name = k === 'call-limit' ? 'call_limit' : k === 'ignoregexpire' ? 'ignoreexpire' : k;
      let val = v(k);
      if (k === 'callerid' && val === '') val = full;
      if (val === '') fields.push(nil(name));
      else fields.push(sipIntFields.has(k) ? int(name, Number(val)) : str(name, val));
    }
    fields.push(str('accountcode', s.accountcode), str('name', full));
    return query(json, { kind: 'struct', fields });
  }

  // ---------------------------------------------------------------- agents and calls

  private callsOf(ag: Agent): IvCall[] {
    return [...this.calls.values()].filter((c) => c.agent === ag);
  }

  private applyPause(ag: Agent, reason: string): void {
    ag.pause = reason;
    ag.statusTs = nowSec();
    this.emit(ag, { direction: this.config.pauseReasons[reason] ?? '', callerid: '', type: 'PAUSE', uniqueid: '' });
  }

  private agentOnDevice(device: string): Agent | undefined {
    for (const ag of this.agents.values()) if (ag.login?.device === device) return ag;
    return undefined;
  }

  private newUniqueid(): string {
    return `${Math.floor(Date.now() / 1000)}.${this.config.mediaServer}.${++this.uniqueSeq}`;
  }

  private onPbx(e: PbxEvent): void {
    if (e.type !== 'leg') return;
    const { call, leg } = e;
    if (leg.kind === 'device') {
      const rec = this.calls.get(callKey(call.id, leg.number));
      const ag = rec ? rec.agent : this.agentOnDevice(leg.number);
      if (ag) this.onAgentLeg(ag, call, leg, rec, e.cause);
    }
    // The remote party of a NewCall (any kind of leg, another agent's phone included).
    for (const rec of [...this.calls.values()]) {
      if (rec.callId !== call.id || !rec.clickToDial || rec.device === leg.number || !rec.sent.has('CONNECT')) continue;
      if ((leg.state === 'alerting' || leg.state === 'delivered') && !rec.sent.has('DNEWCALL')) this.send(rec, 'DNEWCALL');
      if (leg.state === 'connected') {
        rec.otherAnswered = true;
        if (!rec.sent.has('DNEWCALL')) this.send(rec, 'DNEWCALL');
        if (!rec.sent.has('DCONNECT')) this.send(rec, 'DCONNECT');
      }
    }
  }

  private onAgentLeg(ag: Agent, call: Call, leg: Leg, rec: IvCall | undefined, cause: string | undefined): void {
    if (!rec) {
      if (leg.state === 'cleared' || leg.state === 'failed') return;
      const offer = this.pendingOffer && this.pendingOffer.device === leg.number ? this.pendingOffer : undefined;
      let direction: IvCall['direction'];
      let callerid: string;
      let clickToDial = false;
      if (!leg.outgoing) {
        direction = 'INBOUND';
        const caller = call.legs.find((l) => l !== leg && l.outgoing) ?? call.legs[0];
        callerid = caller && caller !== leg ? caller.number : leg.peer;
      } else if (leg.state === 'alerting' && call.pendingDestination !== undefined) {
        direction = 'OUTBOUND';
        callerid = call.pendingDestination;
        clickToDial = true;
      } else {
        if (leg.state === 'initiated') return; // wait for the dialled number
        direction = 'OUTBOUND';
        callerid = leg.peer || call.dialled;
      }
      rec = {
        callId: call.id,
        uniqueid: offer ? offer.entry.uniqueid : this.newUniqueid(),
        agent: ag,
        device: leg.number,
        direction,
        callerid,
        clickToDial,
        sent: new Set(),
        ringing: leg.state === 'alerting',
        ...(offer ? { queue: offer.entry } : {}),
        otherAnswered: false,
      };
      if (offer) this.pendingOffer = undefined;
      this.calls.set(callKey(call.id, rec.device), rec);
      ag.statusTs = nowSec();
      this.send(rec, 'NEWCALL');
      if (offer) this.armOffer(rec);
    }
    switch (leg.state) {
      case 'alerting':
        rec.ringing = true;
        return;
      case 'originated':
      case 'delivered':
        rec.ringing = false;
        if (rec.clickToDial && !rec.sent.has('CONNECT')) this.send(rec, 'CONNECT');
        return;
      case 'connected':
        rec.ringing = false;
        this.clearOffer(rec);
        if (!rec.sent.has('CONNECT')) this.send(rec, 'CONNECT');
        if (rec.clickToDial) {
          rec.otherAnswered = true;
          if (!rec.sent.has('DNEWCALL')) this.send(rec, 'DNEWCALL');
          if (!rec.sent.has('DCONNECT')) this.send(rec, 'DCONNECT');
        } else if (rec.direction === 'OUTBOUND') rec.otherAnswered = true;
        return;
      case 'cleared':
      case 'failed': {
        const reason = rec.reason ?? this.hangupReason(rec, leg, cause);
        this.send(rec, 'HANGUP', reason);
        this.forget(rec);
        this.afterCall(ag, rec);
        if (leg.state === 'failed') {
          // The phone keeps a failed call until it is dropped: the ACD clears it.
          this.later(0, () => {
            if (this.pbx.hasCall(call.id)) this.pbx.clearCall(call.id, leg.number);
          });
        }
        return;
      }
      default:
        return;
    }
  }

  private hangupReason(rec: IvCall, leg: Leg, cause: string | undefined): string {
    if (cause === 'busy') return 'BUSY';
    if (cause === 'destNotObtainable') return 'FAILED';
    if (cause === 'redirect') return 'BTRANSFER';
    if (cause === 'transfer') return 'ATRANSFER';
    const answered = rec.direction === 'INBOUND' ? leg.wasConnected : rec.otherAnswered;
    if (!answered) return rec.direction === 'INBOUND' && rec.queue ? 'QUEUEGIVEUP' : 'NOANSWER';
    const byOther = cause === 'droppedByOtherParty';
    if (rec.direction === 'INBOUND') return byOther ? 'BYCALLER' : 'BYCALLEE';
    return byOther ? 'BYCALLEE' : 'BYCALLER';
  }

  private send(rec: IvCall, type: IvEvent['type'], reason?: string): void {
    rec.sent.add(type);
    if (!rec.agent.login) return;
    const e: Omit<IvEvent, 'agent'> = {
      direction: type === 'NEWCALL' ? rec.direction : '',
      callerid: rec.callerid,
      type,
      uniqueid: rec.uniqueid,
      ...(reason !== undefined ? { reason } : {}),
    };
    this.emit(rec.agent, e);
  }

  private forget(rec: IvCall): void {
    this.clearOffer(rec);
    this.calls.delete(callKey(rec.callId, rec.device));
  }

  private afterCall(ag: Agent, rec: IvCall): void {
    ag.lastCallEnd = Date.now();
    ag.statusTs = nowSec();
    if (rec.queue) {
      const q = this.queues.get(`${ag.accountcode}_${rec.queue.queue}`);
      if (rec.reason === 'QUEUEMISSED') {
        if (q && q.f.quarantinetime > 0) ag.quarantineUntil = Date.now() + q.f.quarantinetime * this.pbx.msPerSecond;
      } else if (q && q.f.wrapuptime > 0 && rec.sent.has('CONNECT')) {
        ag.wrapUntil = Date.now() + q.f.wrapuptime * this.pbx.msPerSecond;
        this.later(q.f.wrapuptime * this.pbx.msPerSecond + 5, () => this.dispatchAll());
      }
      if (ag.quarantineUntil > Date.now()) this.later(ag.quarantineUntil - Date.now() + 5, () => this.dispatchAll());
    }
    if (ag.login && ag.pendingPause !== undefined && this.callsOf(ag).length === 0) {
      const r = ag.pendingPause;
      delete ag.pendingPause;
      this.applyPause(ag, r);
    }
    // Let the PBX finish clearing before the next offer.
    this.later(0, () => this.dispatchAll());
  }

  private armOffer(rec: IvCall): void {
    const q = rec.queue ? this.queues.get(`${rec.agent.accountcode}_${rec.queue.queue}`) : undefined;
    if (!q || q.f.dialtimeout <= 0) return;
    rec.offerTimer = this.later(q.f.dialtimeout * this.pbx.msPerSecond, () => {
      rec.offerTimer = undefined;
      if (!this.calls.has(callKey(rec.callId, rec.device)) || rec.sent.has('CONNECT')) return;
      rec.reason = 'QUEUEMISSED';
      const entry = rec.queue as Waiting;
      q.waiting.unshift(entry); // back to the head of the queue
      this.pbx.clearCall(rec.callId, rec.device);
    });
  }

  private clearOffer(rec: IvCall): void {
    if (rec.offerTimer) {
      clearTimeout(rec.offerTimer);
      this.timers.delete(rec.offerTimer);
      rec.offerTimer = undefined;
    }
  }

  /** An outside caller enters a queue (control API). Returns the uniqueid; throws Fail-like errors as Error. */
  queueCall(accountcode: string, queueName: string, from: string): { uniqueid: string; queued: boolean } {
    const q = this.queues.get(`${accountcode}_${queueName}`);
    if (!q) throw new Error(`no queue ${queueName} in ${accountcode}`);
    if (q.f.maxlen > 0 && q.waiting.length >= q.f.maxlen) throw new Error(`queue ${queueName} is full`);
    if (q.f.joinempty === 'no' && !this.membersOf(q).some((m) => m.login)) throw new Error(`queue ${queueName} has no logged-in agent (joinempty no)`);
    const entry: Waiting = { uniqueid: this.newUniqueid(), from, enteredAt: Date.now(), queue: q.name, accountcode };
    q.waiting.push(entry);
    this.dispatch(q);
    return { uniqueid: entry.uniqueid, queued: q.waiting.includes(entry) };
  }

  private dispatchAll(): void {
    for (const q of this.queues.values()) if (q.waiting.length > 0) this.dispatch(q);
  }

  private free(ag: Agent): boolean {
    const now = Date.now();
    return !!ag.login && ag.pause === undefined && ag.pendingPause === undefined && !ag.disabled && ag.wrapUntil <= now && ag.quarantineUntil <= now
      && this.callsOf(ag).length === 0 && [...ag.lines.values()].some((l) => l.inbound) && this.pbx.isDevice(ag.login.device)
      && (this.pbx.device(ag.login.device)?.calls.length ?? 0) === 0;
  }

  private dispatch(q: Queue): void {
    while (q.waiting.length > 0) {
      const candidates = this.membersOf(q)
        .filter((m) => this.free(m))
        .sort((x, y) => (x.queues.get(q.name) as number) - (y.queues.get(q.name) as number) || x.lastCallEnd - y.lastCallEnd);
      const ag = candidates[0];
      if (!ag || !ag.login) return;
      const entry = q.waiting.shift() as Waiting;
      this.pendingOffer = { device: ag.login.device, from: entry.from, entry };
      try {
        this.pbx.placeExternalCall({ from: entry.from, to: ag.login.device });
      } catch (err) {
        this.opts.log?.warn({ err }, 'instantvoice: queue offer failed');
        q.waiting.unshift(entry);
        this.pendingOffer = undefined;
        return;
      }
      this.pendingOffer = undefined;
    }
  }

  // ---------------------------------------------------------------- faults

  /** Media server lost: every active call is hung up with reason MSGONE; waiting callers are dropped. */
  mediaServerLost(reason = 'MSGONE'): number {
    const calls = [...this.calls.values()];
    for (const c of calls) {
      c.reason = reason;
      this.clearOffer(c);
      if (this.pbx.hasCall(c.callId)) this.pbx.clearCall(c.callId);
    }
    let dropped = calls.length;
    for (const q of this.queues.values()) {
      dropped += q.waiting.length;
      q.waiting = [];
    }
    return dropped;
  }

  /** Administrator logoff of the agent logged in on a core device (control API /sessions/{device}/close). */
  adminLogoff(device: string): boolean {
    const ag = this.agentOnDevice(device);
    if (!ag) return false;
    const { events } = this.withEventsHeld(() => this.handle('AgentLogoff', this.config.keys.find((k) => k.methods === '*')?.key ?? '', { Accountcode: ag.accountcode, User: `${ag.accountcode}_${ag.user}` }, 'stomp'));
    for (const e of events) this.onEvent(e);
    return true;
  }

  /** For tests and the control API: a snapshot of the ACD's agents and calls. */
  describe(): unknown {
    return {
      agents: [...this.agents.values()].map((a) => ({ agent: `${a.accountcode}_${a.user}`, status: this.status(a), interface: a.login?.interface ?? null, pause: a.pause ?? null })),
      calls: [...this.calls.values()].map((c) => ({ uniqueid: c.uniqueid, agent: `${c.agent.accountcode}_${c.agent.user}`, callId: c.callId, direction: c.direction, callerid: c.callerid, events: [...c.sent] })),
      queues: [...this.queues.values()].map((q) => ({ queue: `${q.accountcode}_${q.name}`, waiting: q.waiting.map((w) => w.uniqueid) })),
    };
  }

  /** The uniqueid the ACD gave a PBX call (tests). */
  uniqueidOf(callId: string): string | undefined {
    return [...this.calls.values()].find((c) => c.callId === callId)?.uniqueid;
  }

  /** The PBX call id of a uniqueid (tests, control API). */
  callIdOf(uniqueid: string): string | undefined {
    return [...this.calls.values()].find((c) => c.uniqueid === uniqueid)?.callId;
  }
}

function callKey(callId: string, device: string): string {
  return `${callId}|${device}`;
}

// ---------------------------------------------------------------- helpers

const queryMethods = new Set<IvMethod>(['AgentList', 'AgentInfo', 'AgentLineList', 'AgentQueueList', 'AgentQueueMembers', 'AgentInfoPermission', 'QueueList', 'QueueInfo', 'SipUserList', 'SipUserInfo', 'SipUserInfoPermission']);

export function isQueryMethod(m: string): boolean {
  return queryMethods.has(m as IvMethod);
}

function query(json: unknown, soap: SoapResult): IvResult {
  return { code: 0, json, soap };
}

function permissionReply(location: string): IvResult {
  return query(location, { kind: 'struct', fields: [int('code', 0), str('location', location)] });
}

const str = (name: string, value: string): SoapField => ({ name, type: 'string', value });
const int = (name: string, value: number): SoapField => ({ name, type: 'integer', value: String(value) });
const nil = (name: string): SoapField => ({ name, type: 'nil' });

function flag(v: string | undefined, name: string): 0 | 1 {
  if (v === undefined) return 1;
  if (v !== '0' && v !== '1') fail(IV.INVALID, `${name} must be 0 or 1`);
  return v === '1' ? 1 : 0;
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/** Argument access: exact names first, then (lenient) case-insensitively; '' counts as absent. */
class Args {
  constructor(
    private readonly raw: Record<string, IvValue>,
    readonly via: Transport,
    private readonly strict: boolean,
  ) {}

  private find(name: string): IvValue | undefined {
    if (name in this.raw) return this.raw[name];
    if (this.strict) return undefined;
    const lower = name.toLowerCase();
    const k = Object.keys(this.raw).find((x) => x.toLowerCase() === lower);
    return k === undefined ? undefined : this.raw[k];
  }

  opt(...names: string[]): string | undefined {
    for (const n of names) {
      const v = this.find(n);
      if (v === undefined) continue;
      if (typeof v !== 'string') fail(IV.INVALID, `${n} must be a scalar`);
      const t = (v as string).trim();
      if (t !== '') return t;
    }
    return undefined;
  }

  req(name: string): string {
    const v = this.opt(name);
    if (v === undefined) fail(IV.MISSING_ARGS, `${name} missing`);
    return v as string;
  }

  reqAny(names: string[]): string {
    const v = this.opt(...names);
    if (v === undefined) fail(IV.MISSING_ARGS, `${names.join('/')} missing`);
    return v as string;
  }

  /** A list argument: a JSON array of objects, or SOAP's numbered children {line1:{…}, line2:{…}}. */
  list(name: string, itemPrefix: string): Array<Record<string, string | undefined>> {
    const v = this.find(name);
    if (v === undefined || v === '') return [];
    let items: IvValue[];
    if (Array.isArray(v)) items = v;
    else if (typeof v === 'object') {
      items = Object.keys(v)
        .filter((k) => k.toLowerCase().startsWith(itemPrefix))
        .sort((x, y) => Number(x.slice(itemPrefix.length)) - Number(y.slice(itemPrefix.length)))
        .map((k) => (v as Record<string, IvValue>)[k] as IvValue);
    } else return fail(IV.INVALID, `${name} must be a list`);
    return items.map((it) => {
      if (typeof it !== 'object' || Array.isArray(it)) fail(IV.INVALID, `${name} items must be objects`);
      const o: Record<string, string | undefined> = {};
      for (const [k, val] of Object.entries(it as Record<string, IvValue>)) {
        if (typeof val !== 'string') fail(IV.INVALID, `${name}.${k} must be a scalar`);
        const t = (val as string).trim();
        o[k.toLowerCase()] = t === '' ? undefined : t;
      }
      return o;
    });
  }
}
