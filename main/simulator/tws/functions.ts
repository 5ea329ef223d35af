// The TWS web functions (digest §3.1) over the lab PBX core: the User service (tokens, user, directory), the
// Toolkit service (monitoring, call control, forwarding, state, call data, parking, agent, event service)
// and the SocialCollaboration service (call logs). Each handler reads its parameters by wire name
// (case-insensitive) and answers an int code, a string or a data-contract value (§1.5, §5).
import { randomUUID } from 'node:crypto';
import { PbxError, type Call, type ForwardType, type Leg, type LegState, type RequestableAgentState } from '../pbx/types.js';
import { ns as xmlNs, l, nil, o, sn, strings, v, type N } from './xml.js';
import { ccoNode, pollingEvent, type Party, type TwsEvent } from './events.js';
import { agentStateCode, type FeedClient, type Token, type TwsService, type UserRuntime } from './service.js';

export type ServiceName = 'toolkit' | 'user' | 'social';

/** An HTTP-level answer instead of a result: 400 (bad int/bool), 404, 500 (the manual's "exceptions"). */
export class TwsHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwsHttpError';
  }
}

export type FnResult =
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string | null }
  /** A data contract (or nil). `ns`: the namespace of its `a:` members; `type`: polymorphic i:type. */
  | { kind: 'node'; value: N; ns?: string; type?: string };

const int = (value: number): FnResult => ({ kind: 'int', value });
const str = (value: string | null): FnResult => ({ kind: 'string', value });
const node = (value: N, extra: { ns?: string; type?: string } = {}): FnResult => ({ kind: 'node', value, ...extra });

/** Parameters by name, case-insensitive (WCF binding, §1.4). */
export class Params {
  private readonly map = new Map<string, string>();
  constructor(entries: Iterable<[string, string]>) {
    for (const [k, val] of entries) if (!this.map.has(k.toLowerCase())) this.map.set(k.toLowerCase(), val);
  }
  get(...names: string[]): string | undefined {
    for (const n of names) {
      const val = this.map.get(n.toLowerCase());
      if (val !== undefined) return val;
    }
    return undefined;
  }
  /** An int parameter; absent → undefined; unparseable → HTTP 400. */
  int(name: string): number | undefined {
    const raw = this.get(name);
    if (raw === undefined || raw === '') return undefined;
    if (!/^\s*[-+]?\d+\s*$/.test(raw)) throw new TwsHttpError(400, `The value '${raw}' of parameter '${name}' is not an integer.`);
    return Number(raw);
  }
  bool(name: string): boolean | undefined {
    const raw = this.get(name);
    if (raw === undefined || raw === '') return undefined;
    const t = raw.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
    throw new TwsHttpError(400, `The value '${raw}' of parameter '${name}' is not a boolean.`);
  }
}

export interface FnContext {
  params: Params;
  /** Called on /tws/auth/… (Windows authentication). */
  windowsAuth: boolean;
  /** Resolves when the HTTP request is gone (long-poll wake-up). */
  aborted: Promise<void>;
}

export interface FnDef {
  /** Canonical spelling, used for the result key (§3.1). */
  name: string;
  service: ServiceName;
  run(ctx: FnContext): FnResult | Promise<FnResult>;
}

/** Core errors → return codes (§5.3). */
function codeOf(err: unknown): number {
  if (err instanceof PbxError) {
    switch (err.code) {
      case 'noCall':
        return -3;
      case 'unknownDevice':
        return -4;
      case 'linkDown':
        return -2;
      default:
        return -29;
    }
  }
  throw err;
}

const activeStates: LegState[] = ['connected', 'initiated', 'originated', 'delivered', 'queued', 'failed', 'alerting'];

const forwardTypes: ForwardType[] = ['immediate', 'busy', 'noAnswer', 'busyInt', 'busyExt', 'noAnswerInt', 'noAnswerExt', 'immInt', 'immExt'];

// ---------------------------------------------------------------- polling sessions

export class PollSession implements FeedClient {
  readonly kind = 'poll' as const;
  readonly queue: TwsEvent[] = [];
  private waiter: ((ev: TwsEvent | null) => void) | undefined;
  lastActivity: number;
  closed = false;

  constructor(
    readonly id: string,
    readonly user: UserRuntime,
    readonly token: string,
    private readonly svc: TwsService,
  ) {
    this.lastActivity = Date.now();
  }

  deliver(ev: TwsEvent): void {
    if (ev.kind === 'agent' && !this.svc.config.agentEventsOnPolling) return;
    if (ev.kind === 'forward') return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(ev);
      return;
    }
    this.queue.push(ev);
    if (this.queue.length > this.svc.config.pollQueueLimit) this.queue.shift();
  }

  /** The next event, or null after `waitMs` (or when another GetEvent or a close takes over). */
  next(waitMs: number, aborted: Promise<void>): Promise<TwsEvent | null> {
    if (this.waiter) this.wake(null);
    const head = this.queue.shift();
    if (head) return Promise.resolve(head);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(null), waitMs);
      this.waiter = (ev) => {
        clearTimeout(timer);
        this.lastActivity = Date.now();
        resolve(ev);
      };
      void aborted.then(() => this.wake(null));
    });
  }

  private wake(ev: TwsEvent | null): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.(ev);
  }

  get pending(): boolean {
    return this.waiter !== undefined;
  }

  close(): void {
    this.closed = true;
    this.wake(null);
  }

  describe(): Record<string, unknown> {
    return { kind: 'poll', id: this.id, username: this.user.cfg.username, queued: this.queue.length, pending: this.pending };
  }
}

// ---------------------------------------------------------------- the functions

export class TwsFunctions {
  private readonly byName = new Map<string, FnDef>();
  /** Requests per function (declared name), for tests that count them (GET /tws `requests`). */
  readonly requestCounts = new Map<string, number>();

  constructor(private readonly svc: TwsService) {
    for (const def of this.defs()) this.byName.set(`${def.service}:${def.name.toLowerCase()}`, def);
    if (svc.config.lenientFormat) {
      // The manual's misspelt names (L1215–1221) reach the real function in lenient mode.
      this.alias('toolkit', 'TWS_ConsultationCallAvtive', 'TWS_ConsultationCallActive');
      this.alias('toolkit', 'TWS_ConsultationCallAvtiveByDefaultDevice', 'TWS_ConsultationCallActiveByDefaultDevice');
      this.alias('toolkit', 'TWS_QueryDeviceForwardInfoDevice', 'TWS_QueryDeviceForwardInfoByDevice');
    }
  }

  private alias(service: ServiceName, name: string, target: string): void {
    const def = this.byName.get(`${service}:${target.toLowerCase()}`);
    if (def) this.byName.set(`${service}:${name.toLowerCase()}`, def);
  }

  find(service: ServiceName, name: string): FnDef | undefined {
    return this.byName.get(`${service}:${name.toLowerCase()}`);
  }

  /** One request for `def` reached the server (counted before it runs, whatever it answers). */
  count(def: FnDef): void {
    this.requestCounts.set(def.name, (this.requestCounts.get(def.name) ?? 0) + 1);
  }

  names(service: ServiceName): string[] {
    return [...new Set([...this.byName.entries()].filter(([k]) => k.startsWith(`${service}:`)).map(([, d]) => d.name))];
  }

  // ------------------------------------------------ shared checks

  /** Token → Token, or the code to answer (-44; -11 when the Toolkit is locked). */
  private auth(p: Params, consume = true, names: string[] = ['tokenGuid', 'guidToken']): Token | number {
    const t = this.svc.lookupToken(p.get(...names), consume);
    if (!t) return -44;
    if (!this.svc.config.toolkitUnlocked) return -11;
    return t;
  }

  /** An explicit device parameter: -250 missing, -251 empty, -4 unknown, -22 forbidden. */
  private explicitDevice(t: Token, p: Params, names: string[]): string | number {
    const d = p.get(...names);
    if (d === undefined) return -250;
    if (d.trim() === '') return -251;
    if (!this.svc.pbx.isDevice(d)) return -4;
    if (!this.svc.allowed(t.user, d)) return -22;
    return d;
  }

  private deviceFor(t: Token, p: Params, byDefault: boolean, names: string[], monitor = true): string | number {
    let d: string | number;
    if (byDefault) d = this.svc.defaultDevice(t) ?? -4;
    else d = this.explicitDevice(t, p, names);
    if (typeof d === 'number') return d;
    if (byDefault && !this.svc.pbx.isDevice(d)) return -4;
    if (monitor && !t.user.monitors.has(d)) return -4;
    return d;
  }

  private linkDown(): boolean {
    return !this.svc.pbx.linkUp;
  }

  /** The standard int pipeline: token, device (explicit or default), monitor, then `act`. */
  private control(
    p: Params,
    opts: { byDefault: boolean; deviceNames?: string[]; monitor?: boolean },
    act: (device: string, t: Token) => number,
  ): FnResult {
    const t = this.auth(p);
    if (typeof t === 'number') return int(t);
    const device = this.deviceFor(t, p, opts.byDefault, opts.deviceNames ?? ['szDevice'], opts.monitor ?? true);
    if (typeof device === 'number') return int(device);
    try {
      return int(act(device, t));
    } catch (err) {
      return int(codeOf(err));
    }
  }

  private legs(device: string): Array<{ call: Call; leg: Leg }> {
    return this.svc.pbx.legsOf(device);
  }

  private pick(device: string, states: LegState[], szCall?: string): { call: Call; leg: Leg } | undefined {
    const legs = this.legs(device);
    if (szCall !== undefined) {
      const id = this.svc.callIdFor(device, szCall);
      return legs.find(({ call, leg }) => call.id === id && states.includes(leg.state));
    }
    for (const s of states) {
      const hit = legs.find(({ leg }) => leg.state === s);
      if (hit) return hit;
    }
    return undefined;
  }

  /** szCall given: the leg, or -250/-3. */
  private byCall(device: string, p: Params): { call: Call; leg: Leg } | number {
    const szCall = p.get('szCall');
    if (szCall === undefined) return -250;
    const id = this.svc.callIdFor(device, szCall);
    const hit = this.legs(device).find(({ call }) => call.id === id);
    return hit ?? -3;
  }

  private to(p: Params, ...names: string[]): string | number {
    const to = p.get(...(names.length ? names : ['szTo']));
    if (to === undefined) return -250;
    if (to.trim() === '') return -251;
    return to.trim();
  }

  // ------------------------------------------------ call control

  private makeCall(device: string, to: string, t: Token): number {
    const legs = this.legs(device);
    if (legs.some(({ leg }) => leg.state !== 'hold')) return -29;
    if (this.linkDown()) return -2;
    this.svc.pbx.makeCall(device, to);
    return t.user.cfg.mobileMode ? 20 : 0;
  }

  private answer(device: string): number {
    const hit = this.legs(device).find(({ leg }) => leg.state === 'alerting' && !leg.outgoing);
    if (!hit) return -3;
    if (this.linkDown()) return -2;
    this.svc.pbx.answer(device, { callId: hit.call.id });
    return 0;
  }

  private clear(device: string, hit: { call: Call } | undefined): number {
    if (!hit) return -3;
    if (this.linkDown()) return -2;
    this.svc.pbx.drop(device, { callId: hit.call.id });
    return 0;
  }

  private hold(device: string, hit: { call: Call; leg: Leg } | number): number {
    if (typeof hit === 'number') return hit;
    if (hit.leg.state === 'hold') return -27;
    if (hit.leg.state !== 'connected') return -29;
    if (this.linkDown()) return -2;
    this.svc.pbx.hold(device, { callId: hit.call.id });
    return 0;
  }

  private holdActive(device: string): number {
    const hit = this.pick(device, ['connected']);
    if (!hit) return this.pick(device, ['hold']) ? -27 : -3;
    return this.hold(device, hit);
  }

  private retrieve(device: string, hit: { call: Call; leg: Leg } | number): number {
    if (typeof hit === 'number') return hit;
    if (hit.leg.state === 'connected') return -27;
    if (hit.leg.state !== 'hold') return -29;
    if (this.legs(device).some(({ call, leg }) => call.id !== hit.call.id && leg.state === 'connected')) return -29;
    if (this.linkDown()) return -2;
    this.svc.pbx.retrieve(device, { callId: hit.call.id });
    return 0;
  }

  private consult(device: string, p: Params, withCall: boolean): number {
    const to = this.to(p);
    if (typeof to === 'number') return to;
    let hit: { call: Call; leg: Leg } | number | undefined;
    if (withCall) hit = this.byCall(device, p);
    else hit = this.pick(device, ['connected']);
    if (hit === undefined) return -3;
    if (typeof hit === 'number') return hit;
    if (hit.leg.state !== 'connected') return -29;
    if (this.linkDown()) return -2;
    this.svc.pbx.consult(device, to, { callId: hit.call.id });
    return 0;
  }

  private twoCalls(device: string): boolean {
    const legs = this.legs(device);
    return legs.some(({ leg }) => leg.state === 'hold') && legs.some(({ leg }) => leg.state === 'connected');
  }

  private singleStep(device: string, p: Params, withCall: boolean): number {
    const to = this.to(p);
    if (typeof to === 'number') return to;
    let hit: { call: Call; leg: Leg } | number | undefined;
    if (withCall) hit = this.byCall(device, p);
    else hit = this.pick(device, ['connected', 'hold']);
    if (hit === undefined) return -3;
    if (typeof hit === 'number') return hit;
    if (hit.leg.state !== 'connected' && hit.leg.state !== 'hold') return -29;
    if (this.linkDown()) return -2;
    if (hit.leg.state === 'hold') {
      // [SIM] a held call is transferred by retrieving it first (the core diverts connected calls only).
      if (this.legs(device).some(({ leg }) => leg.state === 'connected')) return -29;
      this.svc.pbx.retrieve(device, { callId: hit.call.id });
    }
    this.svc.pbx.divert(device, to, { callId: hit.call.id });
    return 0;
  }

  private divert(device: string, to: string, hit: { call: Call; leg: Leg } | number | undefined): number {
    if (hit === undefined) return this.legs(device).length > 0 ? -29 : -3;
    if (typeof hit === 'number') return hit;
    if (hit.leg.state !== 'alerting' || hit.leg.outgoing) return -29;
    if (this.linkDown()) return -2;
    this.svc.pbx.divert(device, to, { callId: hit.call.id });
    return 0;
  }

  private park(device: string, p: Params, hit: { call: Call; leg: Leg } | number | undefined): number {
    if (hit === undefined) return -3;
    if (typeof hit === 'number') return hit;
    if (hit.leg.state !== 'connected' && hit.leg.state !== 'hold') return -29;
    const slot = (p.get('szTo') ?? '').trim() || device;
    if (!this.svc.pbx.isDevice(slot)) return -4;
    if (this.linkDown()) return -2;
    this.svc.parking = device;
    try {
      this.svc.pbx.park(device, { callId: hit.call.id, parkTo: slot });
    } finally {
      this.svc.parking = undefined;
    }
    return 0;
  }

  // ------------------------------------------------ data contracts

  private contactNode(p: Party | null): N {
    if (!p) return nil();
    return o([
      ['Addresses', v('')],
      ['Company', sn(p.company)],
      ['Devices', l('CDevice', p.devices.map((d) => o([['Guid', v(d.guid)], ['Number', v(d.number)]])))],
      ['DomainGuid', v(this.svc.config.domainGuid)],
      ['Emails', v('')],
      ['Firstname', sn(p.firstName)],
      ['Guid', sn(p.guid)],
      ['IsUser', v(p.isUser)],
      ['Lastname', sn(p.lastName)],
      ['PersonGuid', sn(p.personGuid)],
      ['Phones', l('CContactInfo', p.number ? [o([['Key', v('work0')], ['Label', v('[Work]')], ['Type', v(p.phoneType)], ['Value', v(p.number)]])] : [])],
      ['UserInfos', o([['Culture', v('fr-FR')], ['Enabled', v(true)], ['Type', v('USER')], ['Username', sn(p.username)]])],
    ]);
  }

  private userParty(u: UserRuntime): Party {
    const dev = u.cfg.devices.find((d) => d !== '0000') ?? '';
    return {
      number: dev,
      guid: u.cfg.guid,
      personGuid: u.cfg.guid,
      firstName: u.cfg.firstName,
      lastName: u.cfg.lastName,
      company: 'Algo',
      isUser: true,
      username: u.cfg.username,
      devices: u.cfg.devices.filter((d) => d !== '0000').map((d) => ({ guid: d, number: d })),
      phoneType: 'TWS',
      domainGuid: this.svc.config.domainGuid,
      redList: false,
      infoDisplay: `${u.cfg.firstName} ${u.cfg.lastName}`,
      direction: 'incoming',
    };
  }

  private envelope(ok: boolean, error: string | null, result: N): N {
    return o([
      ['AffectedDocuments', v(0)],
      ['ErrorMessage', sn(error)],
      ['InfoMessage', nil()],
      ['Ok', v(ok)],
      ['WasNew', v(false)],
      ['Result', ok ? result : nil()],
    ]);
  }

  private forwardInfo(device: string): N {
    const fw = new Map(this.svc.pbx.forwards(device).map((f) => [f.type, f.number]));
    const f = (t: ForwardType) => v(fw.get(t) ?? '');
    return o([
      ['Busy', f('busy')],
      ['BusyExt', f('busyExt')],
      ['BusyInt', f('busyInt')],
      ['Imm', f('immediate')],
      ['ImmExt', f('immExt')],
      ['ImmInt', f('immInt')],
      ['IsSoftPhone', v(false)],
      ['IsUpdated', v(true)],
      ['NoAns', f('noAnswer')],
      ['NoAnsExt', f('noAnswerExt')],
      ['NoAnsInt', f('noAnswerInt')],
      ['PersonnalNumber', v('')],
    ]);
  }

  // ------------------------------------------------ the table

  private defs(): FnDef[] {
    const svc = this.svc;
    const pbx = svc.pbx;
    const cfg = svc.config;
    const T = (name: string, run: (p: Params, ctx: FnContext) => FnResult | Promise<FnResult>): FnDef => ({ name, service: 'toolkit', run: (ctx) => run(ctx.params, ctx) });
    const U = (name: string, run: (p: Params, ctx: FnContext) => FnResult): FnDef => ({ name, service: 'user', run: (ctx) => run(ctx.params, ctx) });
    const S = (name: string, run: (p: Params) => FnResult): FnDef => ({ name, service: 'social', run: (ctx) => run(ctx.params) });
    const strict = cfg.strictParams;
    const makeCallDevice = strict ? ['szFrom'] : ['szFrom', 'szDevice'];
    const openDevice = strict ? ['szDevice'] : ['szDevice', 'szFrom'];
    const anyDevice = ['szDevice', 'szFrom'];
    const agentsOff = () => (cfg.pbxType !== 'Alcatel' ? int(-100) : undefined);

    const token2 = (p: Params, ctx: FnContext): FnResult => {
      const key = cfg.apiKeys.find((k) => k.key === (p.get('apiKey') ?? ''));
      const username = p.get('username') ?? '';
      const password = p.get('password') ?? '';
      const fail = (msg: string) => node(this.envelope(false, msg, nil()), { ns: xmlNs.database });
      if (!key) return fail('Invalid API key');
      const adminUse = key.type === 'admin' || (key.type === 'example' && password === '');
      if (adminUse && username !== '' && password === '') {
        const u = svc.userByName(username);
        if (!u) return fail('Invalid username or password');
        if (!u.cfg.authorizations.includes('caller') && !u.cfg.authorizations.includes('runtime')) return fail('The user has neither the TWS Caller nor the TWS Toolkit Runtime authorization');
        const t = svc.issueToken(u, true, 'GetMyToken2 (admin, single use)');
        return node(this.envelope(true, null, o([['DomainGuid', v(cfg.domainGuid)], ['Guid', v(t.id)], ['UserGuid', nil()], ['Username', nil()]])), { ns: xmlNs.database });
      }
      let u: UserRuntime | undefined;
      if (ctx.windowsAuth && username === '' && password === '') u = svc.userByName(cfg.windowsUser);
      else {
        if (username === '' || password === '') return fail('Invalid username or password');
        u = svc.userByName(username);
        if (!u || u.cfg.password !== password) return fail('Invalid username or password');
      }
      if (!u) return fail('Invalid username or password');
      const t = svc.issueToken(u, false, ctx.windowsAuth ? 'GetMyToken2 (Windows)' : 'GetMyToken2');
      return node(
        this.envelope(
          true,
          null,
          o([
            ['Devices', strings(u.cfg.devices)],
            ['DomainGuid', v(cfg.domainGuid)],
            ['Guid', v(t.id)],
            ['UserGuid', v(u.cfg.guid)],
            ['Username', v(u.cfg.username)],
          ]),
        ),
        { ns: xmlNs.database },
      );
    };

    const userOf = (p: Params): UserRuntime | undefined => {
      const t = svc.lookupToken(p.get('guidToken', 'tokenGuid'), true);
      return t?.user;
    };

    const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

    const forwardSet = (p: Params, byDefault: boolean, on: boolean): FnResult => {
      const t = this.auth(p);
      if (typeof t === 'number') return int(t);
      let target: UserRuntime | undefined = t.user;
      if (!byDefault) {
        const g = p.get('userGuid');
        if (g === undefined) return int(-250);
        target = svc.userByGuid(g);
        if (!target) return int(-4);
        if (target !== t.user && !t.user.cfg.devices.includes('0000')) return int(-22);
      }
      const type = p.int('intType');
      if (type === undefined) return int(-250);
      if (type < 0 || type > 17 || (type % 2 === 0) !== on) return int(-251);
      const device = target.cfg.devices.find((d) => d !== '0000');
      if (!device || !pbx.isDevice(device)) return int(-4);
      const ftype = forwardTypes[Math.floor(type / 2)] as ForwardType;
      let number = '';
      if (on) {
        const to = this.to(p);
        if (typeof to === 'number') return int(to);
        number = to;
      }
      if (this.linkDown()) return int(-2);
      try {
        pbx.setForward(device, { type: ftype, number, on });
      } catch (err) {
        return int(err instanceof PbxError ? -251 : codeOf(err));
      }
      return int(0);
    };

    const queryCCos = (p: Params): FnResult => {
      const t = this.auth(p);
      if (typeof t === 'number') return node(nil());
      const device = this.deviceFor(t, p, false, ['szDevice']);
      if (typeof device === 'number') return node(nil());
      const ctx = svc.eventContext(t.user);
      const items: N[] = [];
      for (const { call, leg } of this.legs(device)) {
        const snap = svc.currentSnapshot(device, call, leg);
        if (snap) items.push(ccoNode(snap, ctx, 'socket', pbx.clock.now()));
      }
      return node(l('CGenericCCo', items), { ns: xmlNs.generic });
    };

    const agentState = (p: Params, byDefault: boolean): FnResult => {
      const off = agentsOff();
      if (off) return off;
      const t = this.auth(p);
      if (typeof t === 'number') return int(t);
      let agent;
      if (byDefault) {
        const login = [...svc.agentLogins.values()].find((x) => x.by === t.user.cfg.username);
        const dev = svc.defaultDevice(t);
        agent = login ? svc.agentFor(login.agentId) : dev ? svc.agentOnDevice(dev) : undefined;
      } else {
        const d = p.get('szDevice');
        if (d === undefined) return int(-250);
        agent = svc.agentOnDevice(d);
      }
      if (!agent) return int(-4);
      const snapshot = pbx.agent(agent.device);
      if (!snapshot) return int(-4);
      // L1882: the query also pushes an agent event.
      svc.pushAgentEvent(agent.agentId, snapshot.state);
      return int(agentStateCode(snapshot.state));
    };

    const documents = (p: Params, byPerson: boolean): FnResult => {
      const userGuid = p.get('userGuid') ?? '';
      const page = p.int('page') ?? 1;
      const length = p.int('length') ?? 20;
      const search = p.int('search') ?? 1000;
      const person = (p.get('personGuid') ?? '').trim();
      const user = svc.userByGuid(userGuid);
      if (!user) return node(l('CDocument', []), { ns: xmlNs.database });
      const docs = svc.callLogs
        .filter((d) => d.userGuid === user.cfg.guid)
        .filter((d) => {
          // [SIM] 3 (CALL) and 1000 (the manual's example value) = every call.
          if (search === 1001) return d.incoming && d.connected;
          if (search === 1002) return !d.incoming;
          if (search === 1003) return d.incoming && !d.connected;
          return true;
        })
        .filter((d) => !byPerson || person === '' || d.peer.personGuid === person)
        .reverse();
      const slice = page >= 1 && length >= 1 ? docs.slice((page - 1) * length, page * length) : [];
      const iso = (ms: number) => new Date(ms).toISOString();
      const incomingFlag = (incoming: boolean) => (cfg.incomingCallFlagByName ? (incoming ? 1 : 0) : incoming ? 0 : 1);
      return node(
        l(
          'CDocument',
          slice.map((d) =>
            o([
              ['Acls', strings([d.userGuid])],
              ['AclsDeny', nil()],
              ['ActionType', v('CALL')],
              [
                'Call',
                o([
                  ['Device', v(d.device)],
                  ['Guid', v(d.callGuid)],
                  ['IncomingCall', v(incomingFlag(d.incoming))],
                  [
                    'Speakers',
                    l('CSpeaker', [
                      o([
                        ['Cause', v(d.incoming ? (d.connected ? 'ANSWERED' : 'MISSED') : 'RINGING')],
                        ['Company', v(d.peer.company ?? '')],
                        ['DomainGuid', nil()],
                        ['Firstname', v(d.peer.firstName ?? '')],
                        ['Lastname', v(d.peer.lastName ?? '')],
                        ['On', v(iso(d.timeStart))],
                        ['PersonGuid', sn(d.peer.personGuid)],
                        ['Phone', v(d.peer.redList ? '' : d.peer.number)],
                        ['PhoneContactInfoKey', nil()],
                        ['PhoneRedList', v(d.peer.redList)],
                        ['Picture', nil()],
                        ['Type', v(d.peer.isUser ? 'USER' : d.peer.personGuid ? 'CONTACT' : 'UNKNOWN')],
                        ['UserGuid', d.peer.isUser ? sn(d.peer.guid) : nil()],
                      ]),
                    ]),
                  ],
                  ['Success', v(d.connected ? 1 : 0)],
                  ['TimeEnd', v(iso(d.timeEnd))],
                  ['TimeStart', v(iso(d.timeStart))],
                  ['TimeStart1', v(iso(d.timeStart1))],
                  ['UserGuid', v(d.userGuid)],
                  ['UserName', v('')],
                ]),
              ],
              ['ChildDocuments', nil()],
              ['CreateOn', v(iso(d.timeStart))],
              ['Guid', v(d.guid)],
              ['IsOpen', v(false)],
              ['MediaFile', nil()],
              ['Messages', nil()],
              ['OwnerFirstName', nil()],
              ['OwnerGuid', v(d.userGuid)],
              ['OwnerLastName', nil()],
              ['OwnerPicture', nil()],
              ['RootGuid', nil()],
              ['Sms', nil()],
              ['Subject', v('')],
              ['Text', nil()],
              ['ToFirstName', v(d.peer.firstName ?? '')],
              ['ToGuid', sn(d.peer.personGuid)],
              ['ToLastName', v(d.peer.lastName ?? '')],
              ['ToPhone', v(d.peer.redList ? '' : d.peer.number)],
              ['ToPicture', nil()],
            ]),
          ),
        ),
        { ns: xmlNs.database },
      );
    };

    const cacheGet = (key: string): { data: string; expires: number } | undefined => {
      const hit = svc.callData.get(key);
      if (hit && hit.expires <= pbx.clock.now()) {
        svc.callData.delete(key);
        return undefined;
      }
      return hit;
    };

    return [
      // ---------------- User service
      U('TWS_GetMyToken2', token2),
      U('TWS_GetMyTokenAdmin', (p) => {
        const fail = (msg: string) => node(this.envelope(false, msg, nil()), { ns: xmlNs.database });
        const key = cfg.apiKeys.find((k) => k.key === (p.get('apiKey') ?? ''));
        if (!key) return fail('Invalid API key');
        if (key.type === 'user') return fail('The API key is not an administrator key');
        const admin = cfg.adminAccounts.find((a) => a.username === p.get('adminUsername') && a.password === p.get('adminPassword'));
        if (!admin) return fail('Invalid administrator username or password');
        const u = svc.userByName(p.get('username') ?? '');
        if (!u) return fail('Unknown user');
        const t = svc.issueToken(u, false, 'GetMyTokenAdmin');
        return node(this.envelope(true, null, o([['Guid', v(t.id)], ['UserGuid', v(u.cfg.guid)], ['Username', v(u.cfg.username)]])), { ns: xmlNs.database });
      }),
      U('TWS_GetMyUser', (p) => {
        const u = userOf(p);
        return node(u ? this.contactNode(this.userParty(u)) : nil(), { ns: xmlNs.database });
      }),
      U('TWS_GetMyProfile', (p) => {
        const u = userOf(p);
        if (!u) return node(nil(), { ns: xmlNs.database });
        // [SIM] invented shape (no example in the manual): treat as opaque.
        return node(o([['Favorites', l('CContact', [])], ['Presence', nil()], ['Settings', l('CSetting', [])], ['User', this.contactNode(this.userParty(u))]]), { ns: xmlNs.database });
      }),
      U('TWS_SearchPeople', (p) => {
        const u = userOf(p);
        if (!u) return node(nil(), { ns: xmlNs.database });
        const q = (p.get('search', 'stringToSearch') ?? '').trim();
        const found: Party[] = [];
        if (q !== '') {
          const digits = /^\+?[\d\s.-]+$/.test(q) ? q.replace(/[^\d+]/g, '') : '';
          const needle = fold(q);
          const candidates: Party[] = [
            ...cfg.contacts.map((c) => svc.party(c.phone, 'incoming')),
            ...[...svc.users.values()].filter((x) => x.cfg.preIssuedTokens === undefined && x.cfg.devices[0] !== '0000').map((x) => this.userParty(x)),
          ];
          for (const c of candidates) {
            const hit = digits
              ? c.number !== '' && (c.number === digits || c.number.endsWith(digits))
              : [c.firstName, c.lastName, c.company].some((f) => f !== null && fold(f).includes(needle));
            if (hit) found.push(c);
          }
        }
        return node(
          o([
            ['Count', v(found.length)],
            ['Results', l('CContact', found.map((c) => this.contactNode(c)))],
            ['ResultsGuids', nil()],
            ['TimeDatabase', v(0)],
            ['TimeIndex', v(0)],
          ]),
          { ns: xmlNs.database },
        );
      }),

      // ---------------- Toolkit: directory
      T('TWS_NormalizeNumber', (p) => {
        const t = this.auth(p);
        if (typeof t === 'number') return str(null);
        const raw = p.get('szTo', 'stringToNormalize');
        if (raw === undefined) return str(null);
        const plus = raw.trim().startsWith('+');
        const digits = raw.replace(/\D/g, '');
        if (plus) return str(`+${digits}`);
        return str(digits.length > cfg.numbering.internalLength ? `${cfg.numbering.externalPrefix}${digits}` : digits);
      }),

      // ---------------- Toolkit: monitoring
      T('TWS_WebStartMonitor', (p) => {
        const t = this.auth(p);
        if (typeof t === 'number') return int(t);
        const app = p.get('szApp');
        if (app === undefined) return int(-250);
        if (app.trim() === '') return int(-251);
        if (app !== 'TWS-TLK') return int(-7);
        const d = p.get('szDevice');
        if (d === undefined) return int(-250);
        if (!pbx.isDevice(d)) return int(-4);
        if (!svc.allowed(t.user, d)) {
          if (cfg.securityAsCode) return int(-22);
          throw new TwsHttpError(500, `Security exception: the user ${t.user.cfg.username} may not monitor the device ${d}.`);
        }
        if (t.user.monitors.has(d)) return int(0);
        if (!svc.isMonitoredByAnyone(d) && svc.monitoredCount() >= cfg.toolkitLicences) return int(-20);
        if (this.linkDown()) return int(-2);
        t.user.monitors.add(d);
        return int(0);
      }),
      T('TWS_WebStopMonitor', (p) => {
        const t = this.auth(p);
        if (typeof t === 'number') return int(t);
        const app = p.get('szApp');
        if (app === undefined) return int(-250);
        if (app !== 'TWS-TLK') return int(-7);
        const d = p.get('szDevice');
        if (d === undefined) return int(-250);
        if (!pbx.isDevice(d)) return int(-4);
        if (!svc.allowed(t.user, d)) {
          if (cfg.securityAsCode) return int(-22);
          throw new TwsHttpError(500, `Security exception: the user ${t.user.cfg.username} may not monitor the device ${d}.`);
        }
        t.user.monitors.delete(d);
        return int(0);
      }),
      T('TWS_WebResetDeviceMonitor', (p) => {
        const t = this.auth(p);
        if (typeof t === 'number') return int(t);
        const d = p.get('szDevice');
        if (d === undefined) return int(-250);
        if (!pbx.isDevice(d)) return int(-4);
        if (!svc.allowed(t.user, d)) {
          if (cfg.securityAsCode) return int(-22);
          throw new TwsHttpError(500, `Security exception: the user ${t.user.cfg.username} may not monitor the device ${d}.`);
        }
        if (!t.user.monitors.has(d)) return int(-4);
        // Re-read the device from the core and push one CallEvent per existing call (resync).
        const now = pbx.clock.now();
        for (const { call, leg } of this.legs(d)) {
          const snap = svc.currentSnapshot(d, call, leg);
          if (snap) svc.publish({ kind: 'call', at: now, device: d, deviceGuid: svc.eventContext(t.user).objectGuid, conn: snap }, new Set([t.user.cfg.username]));
        }
        return int(0);
      }),

      // ---------------- Toolkit: call control
      T('TWS_MakeCall', (p) => this.control(p, { byDefault: false, deviceNames: makeCallDevice }, (d, t) => {
        const to = this.to(p);
        return typeof to === 'number' ? to : this.makeCall(d, to, t);
      })),
      T('TWS_MakeCallByDefaultDevice', (p) => this.control(p, { byDefault: true }, (d, t) => {
        const to = this.to(p);
        return typeof to === 'number' ? to : this.makeCall(d, to, t);
      })),
      ...(['TWS_OpenMakeCall', 'TWS_OpenMakeCallByDefaultDevice'] as const).map((name) =>
        T(name, (p) => {
          const t = this.auth(p);
          if (typeof t === 'number') return int(t);
          const byDefault = name.endsWith('ByDefaultDevice');
          const d = this.deviceFor(t, p, byDefault, openDevice, false);
          if (typeof d === 'number') return int(d);
          if (!t.user.cfg.authorizations.includes('openCall')) return int(-25);
          const to = this.to(p);
          if (typeof to === 'number') return int(to);
          try {
            return int(this.makeCall(d, to, t));
          } catch (err) {
            return int(codeOf(err));
          }
        }),
      ),
      ...(['TWS_Bis', 'TWS_BisByDefaultDevice'] as const).map((name) =>
        T(name, (p) =>
          this.control(p, { byDefault: name.endsWith('ByDefaultDevice'), deviceNames: anyDevice }, (d, t) => {
            const last = svc.lastDialled.get(d);
            return last === undefined ? -29 : this.makeCall(d, last, t);
          }),
        ),
      ),
      T('TWS_AnswerCallQueued', (p) => this.control(p, { byDefault: false }, (d) => this.answer(d))),
      T('TWS_AnswerCallQueuedbyDefaultDevice', (p) => this.control(p, { byDefault: true }, (d) => this.answer(d))),
      T('TWS_ClearConnection', (p) => this.control(p, { byDefault: false }, (d) => {
        const hit = this.byCall(d, p);
        return typeof hit === 'number' ? hit : this.clear(d, hit);
      })),
      T('TWS_ClearConnectionActive', (p) => this.control(p, { byDefault: false }, (d) => this.clear(d, this.pick(d, activeStates)))),
      T('TWS_ClearConnectionActiveByDefaultDevice', (p) => this.control(p, { byDefault: true }, (d) => this.clear(d, this.pick(d, activeStates)))),
      T('TWS_DivertCall', (p) => this.control(p, { byDefault: false }, (d) => {
        const to = this.to(p);
        if (typeof to === 'number') return to;
        return this.divert(d, to, this.byCall(d, p));
      })),
      T('TWS_DivertCallQueued', (p) => this.control(p, { byDefault: false }, (d) => {
        const to = this.to(p);
        return typeof to === 'number' ? to : this.divert(d, to, this.pick(d, ['alerting']));
      })),
      T('TWS_DivertCallQueuedByDefaultDevice', (p) => this.control(p, { byDefault: true }, (d) => {
        const to = this.to(p);
        return typeof to === 'number' ? to : this.divert(d, to, this.pick(d, ['alerting']));
      })),
      T('TWS_DivertCallFromQueue', (p) => {
        const t = this.auth(p);
        if (typeof t === 'number') return int(t);
        const queue = p.get('szDevice');
        const szCall = p.get('szCall');
        if (queue === undefined || szCall === undefined) return int(-250);
        const to = this.to(p);
        if (typeof to === 'number') return int(to);
        const q = cfg.queues.find((x) => x.number === queue);
        if (!q) return int(-4);
        if (!(t.user.cfg.queueVisibility ?? []).includes(queue)) return int(-25);
        const waiting = pbx.queueInfo(q.service)?.waiting ?? [];
        const hit = waiting.find((w) => w.callId === szCall || pbx.call(w.callId)?.ref === Number(szCall));
        const call = hit ? pbx.call(hit.callId) : undefined;
        const caller = call?.legs.find((x) => x.kind !== 'queue' && x.state !== 'cleared');
        if (!call || !caller) return int(-3);
        if (!pbx.isDevice(to) && !pbx.isQueue(to)) return int(-29);
        if (this.linkDown()) return int(-2);
        // [SIM] the core has no "move a queued call": the lab ends the queued call and places it again to szTo.
        pbx.clearCall(call.id);
        if (caller.kind === 'device') pbx.makeCall(caller.number, to);
        else pbx.placeExternalCall({ from: caller.number, to, data: call.data, fromName: caller.name, withheld: caller.withheld });
        return int(0);
      }),
      T('TWS_HoldCall', (p) => this.control(p, { byDefault: false }, (d) => this.hold(d, this.byCall(d, p)))),
      T('TWS_HoldCallActive', (p) => this.control(p, { byDefault: false }, (d) => this.holdActive(d))),
      T('TWS_HoldCallActiveByDefaultDevice', (p) => this.control(p, { byDefault: true }, (d) => this.holdActive(d))),
      T('TWS_RetrieveCall', (p) => this.control(p, { byDefault: false }, (d) => this.retrieve(d, this.byCall(d, p)))),
      T('TWS_RetrieveCallHeld', (p) => this.control(p, { byDefault: false }, (d) => this.retrieve(d, this.pick(d, ['hold']) ?? -3))),
      T('TWS_RetrieveCallHeldbyDefaultDevice', (p) => this.control(p, { byDefault: true }, (d) => this.retrieve(d, this.pick(d, ['hold']) ?? -3))),
      T('TWS_ConsultationCall', (p) => this.control(p, { byDefault: false, deviceNames: anyDevice }, (d) => this.consult(d, p, true))),
      T('TWS_ConsultationCallActive', (p) => this.control(p, { byDefault: false, deviceNames: anyDevice }, (d) => this.consult(d, p, p.get('szCall') !== undefined))),
      T('TWS_ConsultationCallActiveByDefaultDevice', (p) => this.control(p, { byDefault: true }, (d) => this.consult(d, p, false))),
      ...(['TWS_AlternateCallActive', 'TWS_AlternateCallActiveByDefaultDevice', 'TWS_ConferenceCallActive', 'TWS_ConferenceCallActiveByDefaultDevice'] as const).map((name) =>
        T(name, (p) =>
          this.control(p, { byDefault: name.endsWith('ByDefaultDevice') }, (d) => {
            if (!this.twoCalls(d)) return -29;
            if (this.linkDown()) return -2;
            if (name.startsWith('TWS_Alternate')) pbx.alternate(d);
            else pbx.conference(d);
            return 0;
          }),
        ),
      ),
      T('TWS_SingleStepTrans', (p) => this.control(p, { byDefault: false, deviceNames: anyDevice }, (d) => this.singleStep(d, p, true))),
      T('TWS_SingleStepTransActive', (p) => this.control(p, { byDefault: false, deviceNames: anyDevice }, (d) => this.singleStep(d, p, false))),
      T('TWS_SingleStepTransActiveByDefaultDevice', (p) => this.control(p, { byDefault: true }, (d) => this.singleStep(d, p, false))),

      // ---------------- Toolkit: forwarding
      T('TWS_SetForwardOn', (p) => forwardSet(p, false, true)),
      T('TWS_SetForwardOnByDefaultDevice', (p) => forwardSet(p, true, true)),
      T('TWS_SetForwardOff', (p) => forwardSet(p, false, false)),
      T('TWS_SetForwardOffByDefaultDevice', (p) => forwardSet(p, true, false)),
      T('TWS_QueryDeviceForwardInfo', (p) => {
        const t = this.auth(p);
        if (typeof t === 'number') return node(nil(), { ns: xmlNs.database });
        const target = svc.userByGuid(p.get('userGuid') ?? '');
        const device = target?.cfg.devices.find((d) => d !== '0000');
        if (!target || !device || !pbx.isDevice(device) || (target !== t.user && !t.user.cfg.devices.includes('0000'))) return node(nil(), { ns: xmlNs.database });
        return node(this.forwardInfo(device), { ns: xmlNs.database });
      }),
      T('TWS_QueryDeviceForwardInfoByDevice', (p) => {
        const t = this.auth(p);
        if (typeof t === 'number') return node(nil(), { ns: xmlNs.database });
        const d = this.explicitDevice(t, p, ['szDevice']);
        if (typeof d === 'number') return node(nil(), { ns: xmlNs.database });
        return node(this.forwardInfo(d), { ns: xmlNs.database });
      }),

      // ---------------- Toolkit: state
      T('TWS_QueryCCosByDevice', queryCCos),
      T('TWS_GetDevicesState', (p) => {
        const domain = p.get('domainGuid') ?? '';
        const protocol = (p.get('protocol') ?? '').toUpperCase();
        const first = p.int('firstnumber');
        const last = p.int('lastnumber') ?? first;
        const empty = node(l('CDeviceInfos', []), { ns: xmlNs.database });
        if (domain !== cfg.domainGuid && !cfg.domainAliases.includes(domain)) return empty;
        if (protocol !== 'CSTA' && protocol !== 'VTIXML') return empty;
        if (first === undefined || last === undefined) return empty;
        const devices = pbx
          .deviceNumbers()
          .filter((d) => /^\d+$/.test(d) && Number(d) >= first && Number(d) <= last)
          .sort((a, b) => Number(a) - Number(b));
        return node(
          l(
            'CDeviceInfos',
            devices.map((d) => {
              const info = cfg.deviceInfo[d] ?? cfg.deviceInfo.default;
              const state = !pbx.linkUp ? 'ProviderLinkNull' : svc.isMonitoredByAnyone(d) ? 'Connected' : 'Disconnected';
              return o([
                ['Cluster', v(info.cluster)],
                ['Device', v(d)],
                ['Provider', v(info.provider)],
                ['Site', v(info.site)],
                ['State', v(state)],
                ['Type', v(info.type)],
                ['vmNumber', v(info.vmNumber)],
              ]);
            }),
          ),
          { ns: xmlNs.database },
        );
      }),

      // ---------------- Toolkit: call data (no token)
      T('TWS_SetCallData', (p) => {
        const key = p.get('key') ?? '';
        const data = p.get('data') ?? '';
        const add = p.bool('add') ?? false;
        if (key === '') return int(-29);
        const old = cacheGet(key);
        svc.callData.set(key, { data: add && old ? old.data + data : data, expires: pbx.clock.now() + cfg.callDataTtlMs });
        return int(0);
      }),
      T('TWS_GetCallData', (p) => str(cacheGet(p.get('key') ?? '')?.data ?? null)),
      T('TWS_ChangeKeyCallData', (p) => {
        const oldKey = p.get('oldkey') ?? '';
        const newKey = p.get('newkey') ?? '';
        const old = cacheGet(oldKey);
        if (!old || newKey === '') return int(-29);
        svc.callData.delete(oldKey);
        svc.callData.set(newKey, { data: old.data, expires: pbx.clock.now() + cfg.callDataTtlMs });
        return int(0);
      }),

      // ---------------- Toolkit: parking
      T('TWS_ParkCall', (p) => this.control(p, { byDefault: false }, (d) => {
        const hit = this.byCall(d, p);
        return this.park(d, p, hit);
      })),
      T('TWS_ParkCallActiveByDefaultDevice', (p) => this.control(p, { byDefault: true }, (d) => this.park(d, p, this.pick(d, ['connected', 'hold'])))),
      T('TWS_SendFacility', (p) => {
        const t = this.auth(p);
        if (typeof t === 'number') return int(t);
        const prefix = p.get('szPrefix');
        const slot = strict ? p.get('szTo') : p.get('szTo', 'szArg');
        if (prefix === undefined || slot === undefined) return int(-250);
        if (prefix !== cfg.unparkPrefix) return int(-5);
        const device = svc.defaultDevice(t);
        if (!device || !pbx.isDevice(device)) return int(-4);
        if (pbx.parkedOn(slot).length === 0) return int(-3);
        if (this.linkDown()) return int(-2);
        try {
          pbx.unpark(device, { from: slot });
        } catch (err) {
          return int(codeOf(err));
        }
        return int(0);
      }),

      // ---------------- Toolkit: agent ("Required PBX: Alcatel")
      T('TWS_AgentLogin', (p) => {
        const off = agentsOff();
        if (off) return off;
        const t = this.auth(p);
        if (typeof t === 'number') return int(t);
        const d = this.explicitDevice(t, p, ['szDevice']);
        if (typeof d === 'number') return int(d);
        const agentId = p.get('agentID', 'agentId');
        const group = p.get('agentGroup');
        if (agentId === undefined || group === undefined) return int(-250);
        const agent = svc.agentFor(agentId);
        if (!agent || agent.group !== group) return int(-4);
        const agentDevice = p.get('agentDevice');
        if (agentDevice !== undefined && agentDevice !== '' && !pbx.isDevice(agentDevice)) return int(-4);
        const state = pbx.agent(agent.device)?.state;
        if (state === undefined) return int(-4);
        if (state !== 'loggedOff' && state !== 'null') return int(-27);
        if (p.get('password') !== agent.password) return int(-25);
        if (this.linkDown()) return int(-2);
        svc.agentLogins.set(agentId, { agentId, device: agent.device, group, fromDevice: d, by: t.user.cfg.username });
        // "Log on the agent and set the agent state to 'logged on' and then 'ready'" (L1784): two events.
        pbx.setAgentState(agent.device, 'loggedOn', { force: true });
        pbx.setAgentState(agent.device, 'ready', { force: true });
        return int(0);
      }),
      T('TWS_AgentLogout', (p) => {
        const off = agentsOff();
        if (off) return off;
        const t = this.auth(p);
        if (typeof t === 'number') return int(t);
        const d = this.explicitDevice(t, p, ['szDevice']);
        if (typeof d === 'number') return int(d);
        const agentId = p.get('agentID', 'agentId');
        if (agentId === undefined) return int(-250);
        const agent = svc.agentFor(agentId);
        if (!agent) return int(-4);
        const state = pbx.agent(agent.device)?.state;
        if (state === undefined) return int(-4);
        if (state === 'loggedOff' || state === 'null') return int(-27);
        if (p.get('password') !== agent.password) return int(-25);
        if (this.linkDown()) return int(-2);
        pbx.setAgentState(agent.device, 'loggedOff', { force: true });
        svc.agentLogins.delete(agentId);
        return int(0);
      }),
      T('TWS_SetAgentState', (p) => {
        const off = agentsOff();
        if (off) return off;
        const t = this.auth(p);
        if (typeof t === 'number') return int(t);
        const agentId = p.get('agentId', 'agentID');
        if (agentId === undefined) return int(-250);
        const state = p.int('state');
        if (state === undefined) return int(-250);
        if (state < 0 || state > 5 || state === 1 || state === 2) return int(-251);
        const agent = svc.agentFor(agentId);
        if (!agent) return int(-4);
        const now = pbx.agent(agent.device)?.state;
        if (now === undefined) return int(-4);
        if (now === 'loggedOff' || now === 'null') return int(-29);
        const target = (['busy', 'loggedOff', 'loggedOn', 'notReady', 'ready', 'workingAfterCall'] as const)[state];
        if (target === now) return int(0);
        if (this.linkDown()) return int(-2);
        pbx.setAgentState(agent.device, target as RequestableAgentState, { force: true });
        return int(0);
      }),
      T('TWS_QueryAgentState', (p) => agentState(p, false)),
      T('TWS_QueryAgentStateByDefaultDevice', (p) => agentState(p, true)),

      // ---------------- Toolkit: event web service (long-poll)
      T('TWS_ConnectToEventService', (p) => {
        const t = svc.lookupToken(p.get('tokenGuid', 'guidToken'), true);
        if (!t || svc.stoppedFeeds.has('poll')) return str(null);
        const session = new PollSession(randomUUID(), t.user, t.id, svc);
        svc.feeds.add(session);
        return str(session.id);
      }),
      T('TWS_GetEvent', async (p, ctx) => {
        const session = this.pollSession(p.get('eventTokenGuid'));
        if (!session) throw new TwsHttpError(500, 'The event session is unknown or expired.');
        const ev = await session.next(cfg.pollWaitMs, ctx.aborted);
        session.lastActivity = Date.now();
        if (!ev) return node(nil(), { ns: xmlNs.generic });
        const shaped = pollingEvent(ev, svc.eventContext(session.user));
        if (!shaped) return node(nil(), { ns: xmlNs.generic });
        return node(shaped.node, { ns: xmlNs.generic, type: shaped.type });
      }),
      T('TWS_DisconnectFromEventService', (p) => {
        const session = this.pollSession(p.get('eventTokenGuid'));
        if (!session) return int(-44);
        session.close();
        svc.feeds.delete(session);
        return int(0);
      }),

      // ---------------- SocialCollaboration (no token)
      S('GetMyDocumentsByTypeWithAcls', (p) => documents(p, false)),
      S('GetPersonDocumentsByTypeWithAcls', (p) => documents(p, true)),
    ];
  }

  /** A live polling session (expired ones are forgotten here). */
  private pollSession(id: string | undefined): PollSession | undefined {
    if (!id) return undefined;
    for (const f of this.svc.feeds) {
      if (f instanceof PollSession && f.id === id.trim()) {
        if (!f.pending && Date.now() - f.lastActivity > this.svc.config.eventSessionIdleMs) {
          f.close();
          this.svc.feeds.delete(f);
          return undefined;
        }
        return f;
      }
    }
    return undefined;
  }
}
