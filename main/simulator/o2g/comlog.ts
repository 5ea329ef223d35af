// The communication log (L4576–L5006), the event summary (L5008–L5104) and incoming callback requests.
// Records are built from the PBX core's call history (one per call leg of a user, "built at O2G server level,
// thanks to its telephony call monitoring", L4582), at most 100 per user (L4585), FIFO.
import type { Call, HistoryRecord } from '../pbx/types.js';
import type { BatchEvent } from './call-tracker.js';
import { badParameter, notFound } from './errors.js';
import { queryFlag } from './http-util.js';
import { noContent, ok, type RequestContext, type Route } from './router.js';
import type { O2gService } from './service.js';
import type { O2gUser, PartyInfo } from './users.js';

export type ComReason =
  | 'ALL_TRUNK_BUSY'
  | 'INVALID_NUMBER'
  | 'ABANDONED'
  | 'BUSY'
  | 'CONFERENCED'
  | 'PICKUP'
  | 'FORWARDED'
  | 'REDIRECTED'
  | 'RELEASED_ON_REDIRECT'
  | 'TRANSFERRED'
  | 'RELEASED_ON_TRANSFER'
  | 'VOICEMAIL'
  | 'NORMAL'
  | 'UNKNOWN';

export interface ComParticipant {
  role?: 'CALLER' | 'CALLEE';
  answered?: boolean;
  identity: PartyInfo;
  anonymous?: boolean;
  initialCalled?: PartyInfo;
  reason?: ComReason;
}

export interface ComRecord {
  recordId: number;
  comRef: string;
  acknowledged: boolean;
  participants: ComParticipant[];
  beginDate: string;
  endDate: string;
  medias: ['AUDIO'];
  /** Not sent: filtering helpers. */
  missed: boolean;
  remote?: string;
}

export interface Callback {
  callbackId: string;
  partyInfo: PartyInfo;
}

interface PerUser {
  records: ComRecord[];
  historySeen: number;
  voiceMessages: number;
  callbacks: Callback[];
  lastSummary?: string;
}

const maxRecords = 100;
const wire = (r: ComRecord): Record<string, unknown> => {
  const { missed: _m, remote: _r, ...rest } = r;
  return rest;
};

export class ComlogService {
  private readonly perUser = new Map<string, PerUser>();
  private nextRecordId = 1;
  private nextCallback = 1;

  constructor(private readonly svc: O2gService) {
    for (const u of svc.users.people()) this.data(u);
  }

  reset(): void {
    this.perUser.clear();
    for (const u of this.svc.users.people()) this.data(u);
  }

  private data(user: O2gUser): PerUser {
    let d = this.perUser.get(user.loginName);
    if (!d) {
      const device = user.device;
      d = { records: [], historySeen: device ? this.svc.pbx.historyLength(device) : 0, voiceMessages: 0, callbacks: [] };
      this.perUser.set(user.loginName, d);
    }
    return d;
  }

  /** EventSummary (L5061–L5092); an absent counter means "unknown" (faxes, texts). */
  summary(user: O2gUser): Record<string, unknown> {
    const d = this.data(user);
    const missedCallsNb = d.records.filter((r) => r.missed && !r.acknowledged).length;
    const callBackRequestsNb = d.callbacks.length;
    return {
      missedCallsNb,
      voiceMessagesNb: d.voiceMessages,
      callBackRequestsNb,
      eventWaiting: missedCallsNb + d.voiceMessages + callBackRequestsNb > 0,
    };
  }

  private sendSummary(user: O2gUser, silent: boolean, force = false): void {
    const d = this.data(user);
    const eventSummary = this.summary(user);
    const json = JSON.stringify(eventSummary);
    if (!force && d.lastSummary === json) return;
    d.lastSummary = json;
    if (!silent) this.svc.emit({ eventName: 'OnEventSummaryUpdated', loginName: user.loginName, eventSummary });
  }

  addCallback(user: O2gUser, from: PartyInfo): void {
    const d = this.data(user);
    d.callbacks.push({ callbackId: String(this.nextCallback++), partyInfo: from });
    this.sendSummary(user, !this.svc.pbx.linkUp);
  }

  // ---------------------------------------------------------------- core events

  process(batch: BatchEvent[], silent: boolean): void {
    const calls = new Map<string, Call>();
    const touched = new Set<string>();
    for (const { e } of batch) {
      if (e.type === 'leg' || e.type === 'callEnded') calls.set(e.call.id, e.call);
      if (e.type === 'leg') touched.add(e.device);
      if (e.type === 'leg' && e.leg.state === 'connected' && this.svc.users.isVoicemailServer(e.device)) this.deposit(e.leg.lastRedirection ?? e.leg.firstCalled);
      if (e.type === 'mwi') {
        const user = this.svc.users.byDeviceNumber(e.device);
        if (user) {
          const d = this.data(user);
          d.voiceMessages = e.on ? Math.max(1, d.voiceMessages) : 0;
          this.sendSummary(user, silent);
        }
      }
    }
    for (const device of touched) {
      const user = this.svc.users.byDeviceNumber(device);
      if (!user || !this.svc.users.monitored(user)) continue;
      const d = this.data(user);
      const total = this.svc.pbx.historyLength(device);
      if (total <= d.historySeen) continue;
      const fresh = this.svc.pbx.historySince(device, d.historySeen).filter((r) => r.kind === 'call');
      d.historySeen = total;
      for (const r of fresh) this.addRecord(user, r, calls, silent);
      this.sendSummary(user, silent);
    }
  }

  /** A call answered by the voice-mail server on behalf of a user leaves a message: the MWI lights. */
  private deposit(forNumber: string | undefined): void {
    const user = forNumber ? this.svc.users.byDeviceNumber(forNumber) : undefined;
    if (!user?.device) return;
    this.data(user).voiceMessages++;
    const device = user.device;
    setImmediate(() => {
      if (!this.svc.pbx.isDevice(device)) return;
      if (this.svc.pbx.mwi(device)) this.sendSummary(user, !this.svc.pbx.linkUp);
      else this.svc.pbx.setMwi(device, true);
    });
  }

  private addRecord(user: O2gUser, r: HistoryRecord, calls: Map<string, Call>, silent: boolean): void {
    const d = this.data(user);
    const users = this.svc.users;
    const now = this.svc.pbx.clock.now();
    const missed = !r.outgoing && !r.connected && r.cause !== 'redirect' && r.cause !== 'transfer';
    const call = r.callId ? (calls.get(r.callId) ?? this.svc.pbx.call(r.callId)) : undefined;
    const leg = call?.legs.filter((l) => l.number === r.device).at(-1);
    const firstCalled = leg && !leg.outgoing && leg.firstCalled && leg.firstCalled !== r.device ? leg.firstCalled : undefined;
    const reason: ComReason | undefined =
      r.cause === 'redirect' ? (r.connected ? 'RELEASED_ON_REDIRECT' : 'REDIRECTED') : r.cause === 'transfer' ? 'TRANSFERRED' : r.cause === 'busy' ? 'BUSY' : r.cause === 'destNotObtainable' ? 'INVALID_NUMBER' : r.cause === 'conference' ? 'CONFERENCED' : missed ? 'ABANDONED' : undefined;
    const owner: ComParticipant = {
      role: r.outgoing ? 'CALLER' : 'CALLEE',
      answered: r.connected ?? false,
      // The owner is identified only by its loginName (L4933).
      identity: { id: { loginName: user.loginName } },
      ...(firstCalled ? { initialCalled: users.partyInfo(firstCalled) } : {}),
      ...(reason ? { reason } : {}),
    };
    const withheld = call?.legs.some((l) => l.number === r.otherParty && l.withheld) ?? false;
    const participants: ComParticipant[] = [owner];
    if (r.otherParty) participants.push({ identity: users.partyInfo(r.otherParty, { name: r.otherName, withheld }), ...(withheld ? { anonymous: true } : {}) });
    const record: ComRecord = {
      recordId: this.nextRecordId++,
      comRef: r.callId ? this.svc.tracker.refOf(r.callId) : String(this.nextRecordId),
      acknowledged: !missed,
      participants,
      beginDate: new Date(r.at).toISOString(),
      endDate: new Date(now).toISOString(),
      medias: ['AUDIO'],
      missed,
      remote: withheld ? undefined : r.otherParty,
    };
    d.records.unshift(record);
    if (d.records.length > maxRecords) d.records.length = maxRecords;
    if (!silent) this.svc.emit({ eventName: 'OnComRecordCreated', loginName: user.loginName, record: wire(record) });
    // missedCallsNb also drops "when a new answered call with the same user arrives" (L5064).
    if (r.connected && record.remote) {
      const acked = d.records.filter((x) => x !== record && x.missed && !x.acknowledged && x.remote === record.remote);
      for (const x of acked) x.acknowledged = true;
      if (acked.length > 0 && !silent) this.svc.emit({ eventName: 'OnComRecordsAck', loginName: user.loginName, recordIds: acked.map((x) => x.recordId) });
    }
  }

  // ---------------------------------------------------------------- requests

  private filter(user: O2gUser, q: URLSearchParams): ComRecord[] {
    const d = this.data(user);
    const ids = q.get('recordIdList');
    if (ids !== null && ids.trim() !== '') {
      const wanted = new Set(ids.split(',').map((s) => Number(s.trim())));
      return d.records.filter((r) => wanted.has(r.recordId));
    }
    const date = (name: string): number | undefined => {
      const v = q.get(name);
      if (v === null || v === '') return undefined;
      const t = Date.parse(v);
      if (Number.isNaN(t)) throw badParameter(`${name} is not a yyyy-MM-ddTHH:mm:ss.SSSZ date`);
      return t;
    };
    const after = date('afterDate');
    const before = date('beforeDate');
    const unanswered = queryFlag(q, 'unanswered');
    const unacknowledged = queryFlag(q, 'unacknowledged');
    const role = q.get('role');
    if (role !== null && role !== '' && role !== 'CALLER' && role !== 'CALLEE') throw badParameter(`role must be CALLER or CALLEE`);
    const comRef = q.get('comRef');
    const remote = q.get('remotePartyId');
    return d.records.filter((r) => {
      const begin = Date.parse(r.beginDate);
      if (after !== undefined && begin < after) return false;
      if (before !== undefined && begin >= before) return false;
      if (unanswered && !r.missed) return false;
      if (unacknowledged && r.acknowledged) return false;
      if (role && r.participants[0]?.role !== role) return false;
      if (comRef && r.comRef !== comRef) return false;
      if (remote && !r.participants.some((p) => p.identity.id.phoneNumber === remote || p.identity.id.loginName === remote)) return false;
      return true;
    });
  }

  private user(ctx: RequestContext): O2gUser {
    const user = this.svc.actingUser(ctx);
    this.svc.requireLicence(user, 'TELEPHONY_ADVANCED');
    if (user.admin || !user.device) throw badParameter(`${user.loginName} has no communication log`);
    return user;
  }

  private setAck(user: O2gUser, records: ComRecord[], acknowledged: boolean): void {
    if (records.length === 0) return;
    for (const r of records) r.acknowledged = acknowledged;
    const silent = !this.svc.pbx.linkUp;
    if (!silent) this.svc.emit({ eventName: acknowledged ? 'OnComRecordsAck' : 'OnComRecordsUnAck', loginName: user.loginName, recordIds: records.map((r) => r.recordId) });
    this.sendSummary(user, silent);
  }

  private remove(user: O2gUser, records: ComRecord[], all: boolean): void {
    if (records.length === 0) return;
    const d = this.data(user);
    const gone = new Set(records);
    d.records = d.records.filter((r) => !gone.has(r));
    // "if element is not present it means that all user's records have been destroyed" (L4894).
    this.svc.emit({ eventName: 'OnComRecordsDeleted', loginName: user.loginName, ...(all ? {} : { recordIds: records.map((r) => r.recordId) }) });
    this.sendSummary(user, false);
  }

  routes(): Route[] {
    const svc = this.svc;
    const hasFilter = (q: URLSearchParams) => ['recordIdList', 'unanswered', 'unacknowledged', 'afterDate', 'beforeDate', 'role', 'comRef', 'remotePartyId'].some((k) => q.has(k));
    return [
      {
        method: 'GET',
        path: '/comlog/records',
        handler: (ctx) => {
          const user = this.user(ctx);
          const all = this.filter(user, ctx.query);
          const offset = intParam(ctx.query, 'offset', 0);
          const limit = intParam(ctx.query, 'limit', 0);
          const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
          const seen = new Set<string>();
          const optimized = queryFlag(ctx.query, 'optimized') === true;
          const out = page.map((r) => {
            const w = wire(r);
            if (!optimized) return w;
            // Only the first occurrence of a party carries its full identity (L4936).
            return {
              ...w,
              participants: r.participants.map((p) => {
                const key = p.identity.id.loginName ?? p.identity.id.phoneNumber ?? '';
                if (!key || !seen.has(key)) {
                  seen.add(key);
                  return p;
                }
                return { ...p, identity: { id: p.identity.id.phoneNumber ? { phoneNumber: p.identity.id.phoneNumber } : { loginName: p.identity.id.loginName } } };
              }),
            };
          });
          return ok({ comHistoryRecords: out, offset, limit, totalCount: all.length });
        },
      },
      {
        method: 'PUT',
        path: '/comlog/records',
        handler: (ctx) => {
          const user = this.user(ctx);
          const ack = ctx.query.get('acknowledge');
          if (ack === null || !/^(true|false)$/i.test(ack)) throw badParameter('acknowledge must be true or false');
          const body = (ctx.body ?? {}) as { recordIds?: unknown };
          if (body.recordIds !== undefined && (!Array.isArray(body.recordIds) || body.recordIds.some((x) => typeof x !== 'number'))) throw badParameter('recordIds must be a list of numbers');
          const d = this.data(user);
          const ids = body.recordIds as number[] | undefined;
          const targets = ids ? d.records.filter((r) => ids.includes(r.recordId)) : d.records;
          this.setAck(user, targets, ack.toLowerCase() === 'true');
          return noContent();
        },
      },
      {
        method: 'DELETE',
        path: '/comlog/records',
        handler: (ctx) => {
          const user = this.user(ctx);
          const all = !hasFilter(ctx.query);
          // "If the IDs are unknown, no error message will be raised … the event won't be generated" (L4687).
          this.remove(user, this.filter(user, ctx.query), all);
          return noContent();
        },
      },
      { method: 'GET', path: '/comlog/records/recordIds', handler: (ctx) => ok({ recordIds: this.data(this.user(ctx)).records.map((r) => r.recordId) }) },
      {
        method: 'GET',
        path: '/comlog/records/{recordId}',
        handler: (ctx) => {
          const user = this.user(ctx);
          const id = Number(ctx.params[0]);
          const r = this.data(user).records.find((x) => x.recordId === id);
          if (!r) throw notFound(`No record ${ctx.params[0]}`, 404);
          return ok(wire(r));
        },
      },
      {
        method: 'DELETE',
        path: '/comlog/records/{recordId}',
        handler: (ctx) => {
          const user = this.user(ctx);
          const id = Number(ctx.params[0]);
          this.remove(user, this.data(user).records.filter((x) => x.recordId === id), false);
          return noContent();
        },
      },
      {
        method: 'GET',
        path: '/eventSummary',
        handler: (ctx) => ok(this.summary(this.user(ctx))),
      },
      {
        method: 'GET',
        path: '/telephony/incomingCallbacks',
        handler: (ctx) => ok({ callbacks: this.data(this.user(ctx)).callbacks.map((c) => ({ ...c })) }),
      },
      {
        method: 'DELETE',
        path: '/telephony/incomingCallbacks',
        handler: (ctx) => {
          const user = this.user(ctx);
          this.data(user).callbacks = [];
          this.sendSummary(user, !svc.pbx.linkUp);
          return noContent();
        },
      },
      {
        method: 'DELETE',
        path: '/telephony/incomingCallbacks/{callbackId}',
        handler: (ctx) => {
          const user = this.user(ctx);
          const d = this.data(user);
          const before = d.callbacks.length;
          d.callbacks = d.callbacks.filter((c) => c.callbackId !== ctx.params[0]);
          if (d.callbacks.length === before) throw notFound(`No callback ${ctx.params[0]}`);
          this.sendSummary(user, !svc.pbx.linkUp);
          return noContent();
        },
      },
    ];
  }
}

function intParam(q: URLSearchParams, name: string, dflt: number): number {
  const v = q.get(name);
  if (v === null || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badParameter(`${name} must be a non-negative integer`);
  return n;
}
