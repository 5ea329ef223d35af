// The CCD agent service (L7136–L7995): agent and supervisor state over the PBX core's agents (mainState /
// subState mapped from the core state plus what O2G alone knows: the PG, the withdraw reason, out-of-group
// supervisors, a pending transaction code), supervisor help, intrusion (§5.3 matrix) and permanent listening.
import { z } from 'zod';
import type { Call, Leg, MonitorMode } from '../pbx/types.js';
import type { AcdCallData } from './call-model.js';
import type { BatchEvent, O2gCallCause } from './call-tracker.js';
import type { ProcessingGroupConfig } from './config.js';
import { badParameter, notAllowed, notExpected, notFound, telephonyErrors } from './errors.js';
import { noContent, ok, type RequestContext, type Route } from './router.js';
import type { O2gService } from './service.js';
import type { O2gUser } from './users.js';

export type AgentSubState = 'READY' | 'OUT_OF_PG' | 'BUSY' | 'TRANSACTION_CODE_INPUT' | 'WRAPUP' | 'PAUSE' | 'WITHDRAW';

export interface AgentStateDto {
  mainState: 'LOG_ON' | 'LOG_OFF' | 'UNKNOWN' | 'ERROR';
  subState?: AgentSubState;
  proAcdDeviceNumber?: string;
  pgNumber?: string;
  withdrawReason?: number;
}

interface Overlay {
  /** The PG the operator works in; undefined = out of group (supervisor) or logged off. */
  pg?: string;
  withdrawReason?: number;
  /** A transaction code is owed (TRANSACTION_CODE_INPUT). */
  transactionPending: boolean;
  headset: boolean;
}

export type IntrusionMode = 'NORMAL' | 'RESTRICTED' | 'DISCRETE';
const monitorOf: Record<IntrusionMode, MonitorMode> = { NORMAL: 'barge', RESTRICTED: 'coach', DISCRETE: 'listen' };
const intrusionOf: Record<MonitorMode, IntrusionMode> = { barge: 'NORMAL', coach: 'RESTRICTED', listen: 'DISCRETE' };
export const intrusionCause: Record<IntrusionMode, O2gCallCause> = {
  NORMAL: 'SUPERVISOR_INTRUSION',
  RESTRICTED: 'SUPERVISOR_RESTRICT_INTRUSION',
  DISCRETE: 'SUPERVISOR_LISTENING',
};

const LogonBody = z.object({ proAcdDeviceNumber: z.string().min(1), pgGroupNumber: z.string().optional(), headset: z.boolean().optional() }).passthrough();
const PgBody = z.object({ pgGroupNumber: z.string().optional() }).passthrough();
const WithdrawBody = z.object({ reasonIndex: z.number().int() }).passthrough();
const IntrusionBody = z.object({ agentNumber: z.string().min(1), mode: z.enum(['NORMAL', 'RESTRICTED', 'DISCRETE']).optional() }).passthrough();
const ChangeIntrusionBody = z.object({ mode: z.enum(['NORMAL', 'RESTRICTED', 'DISCRETE']) }).passthrough();
const ListeningBody = z.object({ agentNumber: z.string().min(1) }).passthrough();

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw badParameter(`${what}: ${issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'invalid body'}`);
  }
  return r.data;
}

export class AcdService {
  private readonly overlays = new Map<string, Overlay>();
  private readonly lastSent = new Map<string, string>();
  /** agent device → the supervisor device asked for help. */
  private readonly help = new Map<string, string>();
  /** supervisor device → agent device listened to permanently. */
  private readonly listening = new Map<string, string>();
  private readonly pgs: Map<string, ProcessingGroupConfig>;

  constructor(private readonly svc: O2gService) {
    this.pgs = new Map(svc.config.processingGroups.map((pg) => [pg.number, pg]));
  }

  reset(): void {
    this.overlays.clear();
    this.lastSent.clear();
    this.help.clear();
    this.listening.clear();
  }

  dispose(): void {
    this.reset();
  }

  private overlay(device: string): Overlay {
    let o = this.overlays.get(device);
    if (!o) {
      o = { transactionPending: false, headset: false };
      this.overlays.set(device, o);
    }
    return o;
  }

  /** AgentState (L7859–L7872) of an operator. */
  state(user: O2gUser): AgentStateDto {
    const device = user.device;
    const agent = device ? this.svc.pbx.agent(device) : undefined;
    if (!device || !agent || !user.cfg.acd) return { mainState: 'LOG_OFF' };
    if (agent.state === 'loggedOff' || agent.state === 'null') return { mainState: 'LOG_OFF' };
    const o = this.overlay(device);
    const supervisor = user.cfg.acd.type === 'SUPERVISOR';
    // Logged on by other means (the control API, another CTI front-end): an agent works in its queue's PG.
    if (o.pg === undefined && !supervisor) o.pg = agent.inboundServices.find((s) => this.pgs.has(s));
    let subState: AgentSubState;
    switch (agent.state) {
      case 'ready':
        subState = 'READY';
        break;
      case 'busy':
        subState = 'BUSY';
        break;
      case 'workingAfterCall':
        subState = o.transactionPending ? 'TRANSACTION_CODE_INPUT' : 'WRAPUP';
        break;
      case 'notReady':
        subState = o.withdrawReason !== undefined ? 'WITHDRAW' : 'PAUSE';
        break;
      default:
        // Core "loggedOn" (not yet ready): a supervisor out of its group, else an agent in pause.
        subState = supervisor && o.pg === undefined ? 'OUT_OF_PG' : 'PAUSE';
    }
    if (supervisor && o.pg === undefined && agent.state !== 'busy') subState = 'OUT_OF_PG';
    return {
      mainState: 'LOG_ON',
      subState,
      proAcdDeviceNumber: device,
      ...(o.pg !== undefined ? { pgNumber: o.pg } : {}),
      ...(subState === 'WITHDRAW' && o.withdrawReason !== undefined ? { withdrawReason: o.withdrawReason } : {}),
    };
  }

  /** acdCallData of a call distributed by a PG (L3075–L3100). */
  acdCallData(call: Call, leg: Leg): AcdCallData | undefined {
    const pg = leg.acdService;
    if (!pg || !this.pgs.has(pg)) return undefined;
    const pbx = this.svc.pbx;
    const pilots = pbx.pilotsOf(pg);
    const pilot = pilots.includes(call.dialled) ? call.dialled : pilots[0];
    const ms = pbx.msPerSecond;
    const at = leg.alertingAt ?? pbx.clock.now();
    const info = pbx.queueInfo(pg);
    return {
      callInfo: {
        queueWaitingTime: call.queuedAt !== undefined ? Math.max(0, Math.floor((at - call.queuedAt) / ms)) : 0,
        globalWaitingTime: Math.max(0, Math.floor((at - call.createdAt) / ms)),
        agentGroup: pg,
        local: true,
      },
      queueData: { waitingTime: info?.stats.queuedDur.avgSec ?? 0, saturated: false },
      ...(pilot ? { pilotNumber: pilot } : {}),
      supervisedTransfer: false,
      pilotTransferInfo: { transferPossible: true, pilotStatus: info?.state === 'started-suspended' || info?.state === 'stopped' ? 'BLOCKED' : 'OPEN' },
    };
  }

  // ---------------------------------------------------------------- core events

  process(batch: BatchEvent[], silent: boolean): void {
    const touched = new Set<string>();
    for (const { e } of batch) {
      if (e.type === 'agent') {
        const o = this.overlay(e.device);
        if (e.agent.state !== 'notReady') o.withdrawReason = undefined;
        if (e.agent.state === 'loggedOff') {
          o.pg = undefined;
          o.transactionPending = false;
          this.cancelHelp(e.device, silent);
        }
        if (e.agent.state !== 'workingAfterCall') o.transactionPending = false;
        touched.add(e.device);
      }
      if (e.type === 'leg' && e.leg.state === 'connected' && e.leg.kind === 'device') this.maybeListen(e.device);
    }
    // The core's wrap-up after an ACD call: agents that owe a transaction code enter TRANSACTION_CODE_INPUT.
    for (const { e } of batch) {
      if (e.type !== 'agent' || e.agent.state !== 'workingAfterCall') continue;
      const user = this.svc.users.byDeviceNumber(e.device);
      const prevBusy = batch.some(({ e: x }) => x.type === 'leg' && x.device === e.device && x.leg.acdService !== undefined && x.leg.state === 'cleared');
      if (user?.cfg.acd?.transactionCode && prevBusy) this.overlay(e.device).transactionPending = true;
    }
    for (const device of touched) {
      const user = this.svc.users.byDeviceNumber(device);
      if (user?.cfg.acd) this.sendState(user, false, silent);
    }
  }

  /** OnAgentStateChanged with the full AgentState, when it changed (or always, for a snapshot). */
  sendState(user: O2gUser, force: boolean, silent = false): void {
    const state = this.state(user);
    const json = JSON.stringify(state);
    if (!force && this.lastSent.get(user.loginName) === json) return;
    this.lastSent.set(user.loginName, json);
    if (!silent) this.svc.emit({ eventName: 'OnAgentStateChanged', loginName: user.loginName, state });
  }

  private maybeListen(agentDevice: string): void {
    for (const [sup, agent] of this.listening) {
      if (agent !== agentDevice) continue;
      setImmediate(() => {
        const pbx = this.svc.pbx;
        if (this.listening.get(sup) !== agentDevice || pbx.legsOf(sup).length > 0) return;
        if (!pbx.legsOf(agentDevice).some(({ leg }) => leg.state === 'connected')) return;
        try {
          this.svc.during({ cause: 'SUPERVISOR_LISTENING' }, () => pbx.intrude(sup, agentDevice, 'listen'));
        } catch (err) {
          this.svc.log.debug({ err }, 'o2g: permanent listening could not join');
        }
      });
    }
  }

  private cancelHelp(device: string, silent: boolean): void {
    const sup = this.help.get(device);
    if (sup !== undefined) this.endHelp(device, sup, silent);
    for (const [agent, s] of this.help) if (s === device) this.endHelp(agent, s, silent);
  }

  private endHelp(agentDevice: string, supDevice: string, silent = false): void {
    this.help.delete(agentDevice);
    if (silent) return;
    const agent = this.svc.users.byDeviceNumber(agentDevice);
    const sup = this.svc.users.byDeviceNumber(supDevice);
    if (agent) this.svc.emit({ eventName: 'OnSupervisorHelpCancelled', loginName: agent.loginName, agentNumber: supDevice });
    if (sup) this.svc.emit({ eventName: 'OnSupervisorHelpCancelled', loginName: sup.loginName, agentNumber: agentDevice });
  }

  // ---------------------------------------------------------------- requests

  private operator(ctx: RequestContext): { user: O2gUser; device: string; type: 'AGENT' | 'SUPERVISOR' } {
    const user = this.svc.actingUser(ctx);
    // L7614 spells the licence API_CONTACT_CENTER_AGENT: the same licence (digest §6 #40).
    this.svc.requireLicence(user, 'API_CONTACTCENTER_AGENT');
    const acd = user.cfg.acd;
    if (!acd || !user.device || !this.svc.pbx.agent(user.device)) throw notAllowed(`${user.loginName} is not an ACD operator`);
    this.svc.requireLink();
    return { user, device: user.device, type: acd.type };
  }

  private supervisor(ctx: RequestContext) {
    const op = this.operator(ctx);
    if (op.type !== 'SUPERVISOR') throw notAllowed(`${op.user.loginName} is not a supervisor`);
    return op;
  }

  private subState(user: O2gUser): AgentSubState | undefined {
    const s = this.state(user);
    return s.mainState === 'LOG_ON' ? s.subState : undefined;
  }

  private expect(user: O2gUser, allowed: AgentSubState[], what: string): AgentSubState {
    const sub = this.subState(user);
    if (sub === undefined) throw notExpected(`${what}: the operator is logged off`);
    if (!allowed.includes(sub)) throw notExpected(`${what} is not possible in state ${sub}`);
    return sub;
  }

  private core(device: string, state: 'loggedOff' | 'loggedOn' | 'ready' | 'notReady' | 'workingAfterCall'): void {
    this.svc.pbx.setAgentState(device, state, { force: true });
  }

  private groupOf(number: string): ProcessingGroupConfig {
    const pg = this.pgs.get(number);
    if (!pg) throw badParameter(`Unknown processing group ${number}`);
    return pg;
  }

  private enterPg(user: O2gUser, device: string, pg: string): void {
    const o = this.overlay(device);
    o.pg = pg;
    o.withdrawReason = undefined;
    this.svc.pbx.setAgentServices(device, [pg]);
    this.core(device, 'ready');
    this.sendState(user, false);
  }

  routes(): Route[] {
    const svc = this.svc;
    const agentState = (ctx: RequestContext) => {
      const { user } = this.operator(ctx);
      return ok(this.state(user));
    };
    const enter = (ctx: RequestContext) => {
      const { user, device } = this.supervisor(ctx);
      const body = parse(PgBody, ctx.body, 'PGRequest');
      this.expect(user, ['OUT_OF_PG'], 'enterPG');
      if (!body.pgGroupNumber) throw badParameter('pgGroupNumber is mandatory to enter a PG');
      if (!user.cfg.acd?.groups.includes(body.pgGroupNumber)) throw badParameter(`${user.loginName} does not supervise the PG ${body.pgGroupNumber}`);
      this.groupOf(body.pgGroupNumber);
      this.enterPg(user, device, body.pgGroupNumber);
      return noContent();
    };
    const exit = (ctx: RequestContext) => {
      const { user, device } = this.supervisor(ctx);
      const body = parse(PgBody, ctx.body, 'PGRequest');
      const o = this.overlay(device);
      this.expect(user, ['READY', 'BUSY', 'PAUSE', 'WITHDRAW', 'WRAPUP', 'TRANSACTION_CODE_INPUT'], 'exitPG');
      // "if the PG number is empty, the request is accepted too and is equivalent to a logoff" (L7272).
      if (!body.pgGroupNumber) {
        this.core(device, 'loggedOff');
        return noContent();
      }
      if (body.pgGroupNumber !== o.pg) throw badParameter(`The supervisor is not in the PG ${body.pgGroupNumber}`);
      o.pg = undefined;
      o.withdrawReason = undefined;
      svc.pbx.setAgentServices(device, []);
      this.core(device, 'loggedOn');
      this.sendState(user, false);
      return noContent();
    };
    return [
      {
        method: 'GET',
        path: '/acd/agent/config',
        handler: (ctx) => {
          const user = svc.actingUser(ctx);
          svc.requireLicence(user, 'API_CONTACTCENTER_AGENT');
          const acd = user.cfg.acd;
          if (!acd) throw notAllowed(`${user.loginName} is not an ACD operator`);
          return ok({
            type: acd.type,
            ...(user.device ? { proacd: user.device } : {}),
            processingGroups: { ...(acd.preferred ? { preferred: acd.preferred } : {}), groups: [...acd.groups] },
            skills: { skills: [] },
            selfAssign: acd.selfAssign ?? false,
            headset: acd.headset ?? false,
            help: acd.help ?? acd.type === 'SUPERVISOR',
            multiline: false,
          });
        },
      },
      {
        method: 'POST',
        path: '/acd/agent/logon',
        handler: (ctx) => {
          const { user, device, type } = this.operator(ctx);
          const body = parse(LogonBody, ctx.body, 'LoggOnAgentRequest');
          const acd = user.cfg.acd as NonNullable<O2gUser['cfg']['acd']>;
          const sub = this.subState(user);
          // An out-of-group supervisor logging on "again" with its own number enters the group (L7929).
          if (sub === 'OUT_OF_PG' && type === 'SUPERVISOR' && body.pgGroupNumber) {
            if (body.proAcdDeviceNumber !== device) throw badParameter('An already logged on supervisor enters a PG with its own number as pro-ACD device');
            if (!acd.groups.includes(body.pgGroupNumber)) throw badParameter(`${user.loginName} does not supervise the PG ${body.pgGroupNumber}`);
            this.enterPg(user, device, body.pgGroupNumber);
            return noContent();
          }
          if (sub !== undefined) throw notExpected(`${user.loginName} is already logged on`);
          // [SIM] Each operator logs on at its own set (the core ties an agent to one device).
          if (body.proAcdDeviceNumber !== device) throw badParameter(`${body.proAcdDeviceNumber} is not a pro-ACD device for ${user.loginName}`);
          const pg = body.pgGroupNumber || (type === 'AGENT' ? (acd.preferred ?? acd.groups[0]) : undefined);
          if (pg !== undefined) {
            if (!acd.groups.includes(pg)) throw badParameter(`${user.loginName} may not work in the PG ${pg}`);
            this.groupOf(pg);
          }
          const o = this.overlay(device);
          o.headset = body.headset ?? false;
          o.withdrawReason = undefined;
          o.pg = pg;
          svc.pbx.setAgentServices(device, pg ? [pg] : []);
          this.core(device, 'loggedOn');
          // For a supervisor without PG: logged on out of group (2-step logon, L7426).
          if (pg !== undefined) this.core(device, 'ready');
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/acd/agent/logoff',
        handler: (ctx) => {
          const { user, device } = this.operator(ctx);
          if (this.subState(user) === undefined) throw notExpected(`${user.loginName} is not logged on`);
          this.core(device, 'loggedOff');
          return noContent();
        },
      },
      { method: 'POST', path: '/acd/agent/enterPG', handler: enter },
      { method: 'POST', path: '/acd/agent/exitPG', handler: exit },
      // The newer SDK spellings (digest §6 #44).
      { method: 'POST', path: '/acd/agent/enter', handler: enter },
      { method: 'POST', path: '/acd/agent/exit', handler: exit },
      {
        method: 'POST',
        path: '/acd/agent/ready',
        handler: (ctx) => {
          const { user, device } = this.operator(ctx);
          const sub = this.expect(user, ['READY', 'PAUSE', 'WITHDRAW', 'WRAPUP', 'TRANSACTION_CODE_INPUT'], 'ready');
          // [SIM] ready when ready is a no-op (204), not an error.
          if (sub === 'READY') return noContent();
          this.overlay(device).withdrawReason = undefined;
          this.core(device, 'ready');
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/acd/agent/pause',
        handler: (ctx) => {
          const { user, device } = this.operator(ctx);
          this.expect(user, ['READY', 'WITHDRAW', 'WRAPUP', 'TRANSACTION_CODE_INPUT', 'BUSY'], 'pause');
          this.overlay(device).withdrawReason = undefined;
          this.core(device, 'notReady');
          this.sendState(user, false);
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/acd/agent/withdraw',
        handler: (ctx) => {
          const { user, device } = this.operator(ctx);
          const body = parse(WithdrawBody, ctx.body, 'WithdrawAgentRequest');
          this.expect(user, ['READY', 'PAUSE', 'WITHDRAW', 'WRAPUP', 'TRANSACTION_CODE_INPUT', 'BUSY'], 'withdraw');
          const o = this.overlay(device);
          const pg = o.pg ? this.pgs.get(o.pg) : undefined;
          if (!pg?.withdrawReasons.some((r) => r.index === body.reasonIndex)) throw badParameter(`No withdraw reason ${body.reasonIndex} in the PG ${o.pg ?? '(none)'}`);
          o.withdrawReason = body.reasonIndex;
          this.core(device, 'notReady');
          this.sendState(user, false);
          return noContent();
        },
      },
      {
        method: 'GET',
        path: '/acd/agent/withdrawReasons',
        handler: (ctx) => {
          const { user, device } = this.operator(ctx);
          const number = ctx.query.get('pgNumber') || this.overlay(device).pg || user.cfg.acd?.preferred;
          const pg = number ? this.pgs.get(number) : undefined;
          if (!pg) throw notFound(`Unknown processing group ${number ?? '(none)'}`);
          return ok({ number: pg.withdrawReasons.length, reasons: pg.withdrawReasons.map((r) => ({ index: r.index, label: r.label })) });
        },
      },
      {
        method: 'POST',
        path: '/acd/agent/wrapUp',
        handler: (ctx) => {
          const { user, device } = this.operator(ctx);
          this.expect(user, ['READY', 'PAUSE', 'WITHDRAW', 'BUSY'], 'wrapUp');
          this.overlay(device).withdrawReason = undefined;
          this.core(device, 'workingAfterCall');
          return noContent();
        },
      },
      { method: 'GET', path: '/acd/agent/state', handler: agentState },
      {
        method: 'POST',
        path: '/acd/agent/state/snapshot',
        handler: (ctx) => {
          const who = svc.actingUserOrAll(ctx);
          const targets = who === 'all' ? svc.users.people().filter((u) => u.cfg.acd) : [who];
          for (const u of targets) {
            svc.requireLicence(u, 'API_CONTACTCENTER_AGENT');
            if (!u.cfg.acd) throw notAllowed(`${u.loginName} is not an ACD operator`);
          }
          svc.requireLink();
          for (const u of targets) svc.snapshot(`agent|${u.loginName}`, () => this.sendState(u, true));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/acd/agent/supervisorHelp',
        handler: (ctx) => {
          const { user, device, type } = this.operator(ctx);
          if (type !== 'AGENT') throw notAllowed('Only an agent asks for supervisor help');
          this.expect(user, ['READY', 'BUSY', 'PAUSE', 'WITHDRAW', 'WRAPUP', 'TRANSACTION_CODE_INPUT'], 'supervisorHelp');
          if (this.help.has(device)) throw notExpected('A supervisor help request is already pending');
          const pg = this.overlay(device).pg;
          const sup = svc.users
            .people()
            .find((u) => u.cfg.acd?.type === 'SUPERVISOR' && pg !== undefined && u.cfg.acd.groups.includes(pg) && this.subState(u) !== undefined);
          if (!sup?.device) throw notExpected(`No supervisor of the PG ${pg ?? '(none)'} is logged on`);
          this.help.set(device, sup.device);
          svc.emit({ eventName: 'OnSupervisorHelpRequested', loginName: user.loginName, agentNumber: sup.device });
          svc.emit({ eventName: 'OnSupervisorHelpRequested', loginName: sup.loginName, agentNumber: device });
          return noContent();
        },
      },
      {
        method: 'DELETE',
        path: '/acd/agent/supervisorHelp',
        handler: (ctx) => {
          const { device, type } = this.operator(ctx);
          const other = ctx.query.get('other') || undefined;
          if (type === 'AGENT') {
            const sup = this.help.get(device);
            if (sup === undefined) throw notExpected('No supervisor help request is pending');
            if (other !== undefined && other !== sup) throw badParameter(`The help was asked to ${sup}, not ${other}`);
            this.endHelp(device, sup);
            return noContent();
          }
          if (other === undefined) throw badParameter('A supervisor names the agent whose help request it rejects (other)');
          if (this.help.get(other) !== device) throw notExpected(`No help request from ${other} is pending`);
          this.endHelp(other, device);
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/acd/agent/intrusion',
        handler: (ctx) => {
          const { user, device } = this.supervisor(ctx);
          const body = parse(IntrusionBody, ctx.body, 'IntrusionRequest');
          const mode = body.mode ?? 'NORMAL';
          this.checkSupervised(user, body.agentNumber);
          if (this.subState(user) === undefined) throw notExpected('The supervisor is not logged on');
          if (svc.pbx.legsOf(device).length > 0) throw notExpected('The supervisor set is busy', { errorType: 'INCOMPATIBLE_WITH_STATE', errorCause: 'RESOURCE_BUSY' });
          if (!svc.pbx.legsOf(body.agentNumber).some(({ leg }) => leg.state === 'connected')) throw telephonyErrors.incompatible(`The agent ${body.agentNumber} has no active call`);
          svc.during({ cause: intrusionCause[mode] }, () => svc.pbx.intrude(device, body.agentNumber, monitorOf[mode]));
          return noContent();
        },
      },
      {
        method: 'PUT',
        path: '/acd/agent/intrusion',
        handler: (ctx) => {
          const { device } = this.supervisor(ctx);
          const body = parse(ChangeIntrusionBody, ctx.body, 'ChangeIntrusionModeRequest');
          const hit = svc.pbx.legsOf(device).find(({ leg }) => leg.monitorMode !== undefined);
          if (!hit?.leg.monitorMode) throw notExpected('The supervisor is not in intrusion on an agent call');
          const from = intrusionOf[hit.leg.monitorMode];
          // §5.3 matrix (L7903–L7906): the same mode again = the supervisor drops himself from the call.
          if (from === body.mode) svc.pbx.drop(device, { callId: hit.call.id });
          else svc.during({ cause: intrusionCause[body.mode] }, () => svc.pbx.setMonitorMode(device, monitorOf[body.mode]));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/acd/agent/permanentListening',
        handler: (ctx) => {
          const { user, device } = this.supervisor(ctx);
          const body = parse(ListeningBody, ctx.body, 'PermanentListeningRequest');
          this.checkSupervised(user, body.agentNumber);
          this.listening.set(device, body.agentNumber);
          if (svc.pbx.legsOf(body.agentNumber).some(({ leg }) => leg.state === 'connected')) this.maybeListen(body.agentNumber);
          return noContent();
        },
      },
      {
        method: 'DELETE',
        path: '/acd/agent/permanentListening',
        handler: (ctx) => {
          const { device } = this.supervisor(ctx);
          const agent = this.listening.get(device);
          if (agent === undefined) throw notExpected('No permanent listening is active');
          this.listening.delete(device);
          const hit = svc.pbx.legsOf(device).find(({ call, leg }) => leg.monitorMode === 'listen' && call.legs.some((l) => l.number === agent));
          if (hit) svc.pbx.drop(device, { callId: hit.call.id });
          return noContent();
        },
      },
    ];
  }

  private checkSupervised(sup: O2gUser, agentNumber: string): void {
    const agent = this.svc.users.byDeviceNumber(agentNumber);
    if (!agent?.cfg.acd) throw badParameter(`${agentNumber} is not an agent`);
    const groups = sup.cfg.acd?.groups ?? [];
    if (!agent.cfg.acd.groups.some((g) => groups.includes(g))) throw notAllowed(`${sup.loginName} does not supervise ${agent.loginName}`);
  }

  /** The number of a logged-on supervisor of the agent's PG (an ACD call to the supervisor, L1520). */
  supervisorFor(agent: O2gUser): string | undefined {
    const pg = agent.device ? this.overlay(agent.device).pg : undefined;
    const groups = pg ? [pg] : (agent.cfg.acd?.groups ?? []);
    return this.svc.users
      .people()
      .find((u) => u.cfg.acd?.type === 'SUPERVISOR' && u.cfg.acd.groups.some((g) => groups.includes(g)) && this.subState(u) !== undefined)?.device;
  }

  /** sendaccountinfo: an agent that owed its transaction code is ready again (T15). */
  transactionCodeEntered(user: O2gUser): void {
    const device = user.device;
    if (!device) return;
    const o = this.overlay(device);
    if (!o.transactionPending) return;
    o.transactionPending = false;
    this.core(device, 'ready');
  }
}
