// The InstantVoice administration service (main/core/admin.ts) over IVWS, the SOAP web service on the
// active ACD (digest §3, §4.2): agents (+ permission group), their lines and queues, queues and their
// members, SIP users (+ permission group). The schema is data: the renderer draws one generic view.
// Permission groups cannot be created through the API; they are assigned with the `location` field.
import http from 'node:http';
import https from 'node:https';
import type { AdminDeleteRequest, AdminEntity, AdminField, AdminGetRequest, AdminListRequest, AdminRecord, AdminSaveRequest, AdminSchema } from '../../../shared/admin.js';
import { CtiError } from '../../../shared/commands.js';
import type { InstantVoiceConnection, Profile, ProfileSecret } from '../../../shared/profile.js';
import type { AdminService } from '../../core/admin.js';
import { createTrace, type Logger, type TraceFn } from '../../core/log.js';
import { DEFAULT_MAX_BYTES, type Decoded } from './codes.js';
import { codeError } from './connector.js';
import { buildIvwsRequest, decodeIvwsNameList, decodeIvwsRecord, decodeIvwsRecordList, decodeIvwsResponse, decodeIvwsStatus, ivwsSoapAction } from './ivws.js';
import { stripAccountPrefix, type IvRecord } from './replies.js';
import { isValidKey, type IvArgs, type IvListItem, type IvMethod } from './requests.js';

/** Records fetched one by one for a list (AgentInfo, QueueInfo, SipUserInfo per name). */
export const MAX_LISTED = 200;
const PARALLEL = 6;

const yesNo = ['yes', 'no'];
const f = (name: string, label: string, kind: AdminField['kind'], extra: Partial<AdminField> = {}): AdminField => ({ name, label, kind, editable: 'always', ...extra });

const location = (what: string): AdminField =>
  f('location', 'Permission group', 'text', {
    hint: `The permission group that controls the ${what}'s outbound calls; it must already exist (groups are created in the InstantVoice web administration, not through IVWS). Empty = none.`,
  });

const ENTITIES: AdminEntity[] = [
  {
    id: 'agents',
    label: 'Agents',
    singular: 'agent',
    keyField: 'user',
    fields: [
      f('user', 'Agent number', 'integer', { required: true, listed: true, hint: 'Digits, unique in the account (e.g. 1001); leading zeros are kept.' }),
      f('name', 'Name', 'text', { listed: true, hint: 'For information only.' }),
      f('pass', 'Password', 'secret', { hint: 'Digits: the agent’s phone-side login password. Left empty = unchanged.' }),
      location('agent'),
      f('agentstatus', 'Status', 'text', { editable: 'never', listed: true }),
      f('interface', 'Interface', 'text', { editable: 'never', hint: 'Where the agent is logged in (TECH/name).' }),
    ],
    canCreate: true,
    canEdit: true,
    canDelete: true,
    deleteWarning: 'The agent, its lines and its queue memberships are removed from the account.',
  },
  {
    id: 'agentLines',
    label: 'Lines',
    singular: 'line',
    keyField: 'linenumber',
    parent: 'agents',
    fields: [
      f('linenumber', 'Line number', 'integer', { required: true, editable: 'create', listed: true, hint: 'Unique per agent. Default 1.' }),
      f('inbound', 'Inbound calls', 'yesno', { listed: true, hint: 'Default yes.' }),
      f('outbound', 'Outbound calls', 'yesno', { listed: true, hint: 'Default yes.' }),
      f('linestatus', 'Line status', 'text', { editable: 'never', listed: true }),
    ],
    canCreate: true,
    canEdit: true,
    canDelete: true,
    deleteWarning: 'An agent keeps at least one line: the server refuses to delete the agent’s only line.',
  },
  {
    id: 'agentQueues',
    label: 'Queues of the agent',
    singular: 'queue membership',
    keyField: 'name',
    parent: 'agents',
    fields: [
      f('name', 'Queue', 'integer', { required: true, editable: 'create', listed: true, hint: 'The number of an existing queue.' }),
      f('priority', 'Priority', 'integer', { required: true, listed: true, hint: 'An integer, e.g. 0.' }),
    ],
    canCreate: true,
    canEdit: true,
    canDelete: true,
    deleteWarning: 'An agent stays in at least one queue: the server refuses to remove the agent from its only queue.',
  },
  {
    id: 'queues',
    label: 'Queues',
    singular: 'queue',
    keyField: 'name',
    fields: [
      f('name', 'Queue number', 'integer', { required: true, listed: true, hint: 'The queue’s extension: an integer, unique.' }),
      f('description', 'Description', 'text', { listed: true }),
      f('sl_answeredbefore_1', 'Service level 1 (s)', 'integer', { hint: 'First service-level interval: below 300. Default 30.' }),
      f('sl_answeredbefore_2', 'Service level 2 (s)', 'integer', { hint: 'Second interval: below 900. Default 60.' }),
      f('sl_answeredbefore_3', 'Service level 3 (s)', 'integer', { hint: 'Third interval: below 900. Default 60.' }),
      f('joinempty', 'Join when empty', 'choice', { options: yesNo, hint: 'Callers may join when no agent is logged in. Default yes.' }),
      f('requiresendinfo', 'Require CTI info', 'choice', { options: yesNo, hint: 'Hang up when the CTI information cannot reach the agent. Default yes.' }),
      f('timeout', 'Queue timeout (s)', 'integer', { hint: 'Longest wait in the queue; 0 = forever (default).' }),
      f('dialtimeout', 'Dial timeout (s)', 'integer', { hint: 'Per attempt to an agent; 0 = none. Default 10.' }),
      f('maxlen', 'Maximum callers', 'integer', { hint: '0 = no limit (default).' }),
      f('wrapuptime', 'Wrap-up time (s)', 'integer', { hint: 'Minimum time between calls for the queue’s agents. Default 0.' }),
      f('quarantinetime', 'Quarantine time (s)', 'integer', { hint: 'An agent who does not answer is set aside this long. Default 0.' }),
      f('announce', 'Announcement', 'text', { hint: 'The name of a sound file (messages.name).' }),
      f('musiconhold', 'Music on hold', 'text', { hint: 'A class configured in musiconhold.conf, e.g. default.' }),
    ],
    canCreate: true,
    canEdit: true,
    canDelete: true,
    deleteWarning: 'Callers waiting in the queue and its agents’ memberships are affected.',
  },
  {
    id: 'queueMembers',
    label: 'Members',
    singular: 'member',
    keyField: 'user',
    parent: 'queues',
    fields: [f('user', 'Agent', 'text', { editable: 'never', listed: true }), f('priority', 'Priority', 'integer', { editable: 'never', listed: true })],
    canCreate: false,
    canEdit: false,
    canDelete: false,
  },
  {
    id: 'sipUsers',
    label: 'SIP users',
    singular: 'SIP user',
    keyField: 'name',
    fields: [
      f('name', 'Name', 'integer', { required: true, listed: true, hint: 'Numeric and unique (e.g. 0001: interface SIP/<account>_0001).' }),
      f('description', 'Description', 'text', { listed: true }),
      f('secret', 'SIP password', 'secret', { hint: 'Left empty = unchanged.' }),
      f('callerid', 'Caller id', 'text', { listed: true }),
      f('host', 'Host', 'text', { hint: 'An IP address, a host name or dynamic (default).' }),
      f('context', 'Context', 'text', { hint: 'Default instantvoice_agent.' }),
      f('allow', 'Codecs', 'text', { hint: '; separated: ilbc, gsm, ulaw, alaw, g729. Default ilbc;gsm;ulaw;alaw.' }),
      f('dtmfmode', 'DTMF mode', 'choice', { options: ['rfc2833', 'inband', 'info'], hint: 'Default rfc2833.' }),
      f('nat', 'NAT', 'choice', { options: yesNo, hint: 'Default no.' }),
      f('qualify', 'Qualify', 'text', { hint: 'yes, no or milliseconds. Default no.' }),
      f('type', 'Type', 'choice', { options: ['friend', 'user', 'peer'], hint: 'Default friend.' }),
      f('language', 'Language', 'choice', { options: ['en_US', 'pt_BR', 'es_ES'], hint: 'Default en_US.' }),
      location('SIP user'),
    ],
    canCreate: true,
    canEdit: true,
    canDelete: true,
    deleteWarning: 'Agents logged in on this SIP user’s interface can no longer take calls.',
  },
];

export interface InstantVoiceAdminDeps {
  profile: Profile;
  secret: ProfileSecret | null;
  log: Logger;
}

export function createInstantVoiceAdmin(deps: InstantVoiceAdminDeps): AdminService | null {
  const conn = deps.profile.connection;
  if (conn.vendor !== 'instantvoice' || conn.role !== 'admin') return null;
  return new IvwsAdmin(deps.profile, conn, deps.secret, deps.log);
}

type Rec = Record<string, string | null>;

class IvwsAdmin implements AdminService {
  private readonly trace: TraceFn;
  private readonly acc: string;
  private readonly url: URL;

  constructor(
    private readonly profile: Profile,
    private readonly conn: InstantVoiceConnection,
    private readonly secret: ProfileSecret | null,
    private readonly log: Logger,
  ) {
    this.acc = conn.accountcode;
    const host = conn.ivws.host || conn.host;
    const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    this.url = new URL(`${conn.ivws.https ? 'https' : 'http'}://${h}:${conn.ivws.port}/`);
    const trace = createTrace(log.child({ admin: 'ivws' }), profile.trace);
    this.trace = (d, ch, frame) => {
      const key = this.secret?.apiKey;
      const text = typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8');
      trace(d, ch, key ? text.split(key).join('[redacted]') : text);
    };
  }

  schema(): AdminSchema {
    return { title: `InstantVoice (IVWS) · account ${this.acc}`, entities: ENTITIES };
  }

  private entity(id: string): AdminEntity {
    const e = ENTITIES.find((x) => x.id === id);
    if (!e) throw new CtiError('invalid', `no InstantVoice admin entity "${id}"`);
    return e;
  }

  private parent(e: AdminEntity, parentKey: string | undefined): string {
    if (!e.parent) return '';
    if (!parentKey) throw new CtiError('invalid', `${e.label} belong to one of the ${this.entity(e.parent).label.toLowerCase()}: give its key`);
    return parentKey;
  }

  // ================================================================ SOAP

  private post(method: IvMethod, body: string): Promise<string> {
    const lib = this.url.protocol === 'https:' ? https : http;
    const timeoutMs = this.profile.commandTimeoutMs;
    return new Promise<string>((resolve, reject) => {
      const req = lib.request(
        this.url,
        { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: ivwsSoapAction(method), 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > DEFAULT_MAX_BYTES) {
              req.destroy(new CtiError('protocol', `IVWS ${method}: the response is over ${DEFAULT_MAX_BYTES} bytes`));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            this.trace('in', 'ivws', text);
            const status = res.statusCode ?? 0;
            // A SOAP fault comes with 500: let the decoder say it.
            if ((status < 200 || status >= 300) && !/Fault/.test(text)) reject(new CtiError('rejected', `IVWS ${method}: HTTP ${status} ${res.statusMessage ?? ''}`.trim()));
            else resolve(text);
          });
          res.on('error', (err) => reject(err));
        },
      );
      req.on('timeout', () => req.destroy(new CtiError('timeout', `IVWS did not answer ${method} within ${timeoutMs} ms`)));
      req.on('error', (err) => {
        if (err instanceof CtiError) return reject(err);
        const code = (err as NodeJS.ErrnoException).code ?? '';
        reject(new CtiError('unreachable', `IVWS ${this.url.host} unreachable (${code || err.message})`));
      });
      this.trace('out', 'ivws', body);
      req.end(body);
    });
  }

  private async call<T>(method: IvMethod, args: IvArgs, decode: (body: string) => Decoded<T>): Promise<T> {
    const key = this.secret?.apiKey ?? '';
    if (!isValidKey(key)) throw new CtiError('authFailed', 'No valid InstantVoice access key (the profile secret’s API key, 1–20 letters and digits)');
    const env = buildIvwsRequest(method, key, args);
    if (!env.ok) throw new CtiError('invalid', `${method}: ${env.error.message}`);
    const text = await this.post(method, env.value);
    const d = decode(text);
    if (d.ok) return d.value;
    const e = d.error;
    if (e.kind === 'returnCode' && e.code !== undefined) throw codeError(method, { code: e.code, description: null });
    if (e.kind === 'fault') throw new CtiError('rejected', `IVWS ${method}: ${e.message}`);
    throw new CtiError('protocol', `IVWS ${method}: ${e.message}`);
  }

  /** Write methods: a code (0) in the result, or — undocumented replies — any non-fault response. */
  private status(method: IvMethod, args: IvArgs): Promise<void> {
    return this.call(method, args, (body) => {
      const s = decodeIvwsStatus(body);
      if (!s.ok && s.error.kind === 'badShape') {
        const r = decodeIvwsResponse(body);
        if (r.ok) return { ok: true, value: 0 };
      }
      return s;
    }).then(() => undefined);
  }

  private record(method: IvMethod, args: IvArgs): Promise<IvRecord> {
    return this.call(method, args, decodeIvwsRecord);
  }

  private names(method: IvMethod, args: IvArgs): Promise<string[]> {
    return this.call(method, args, decodeIvwsNameList);
  }

  private records(method: IvMethod, args: IvArgs): Promise<IvRecord[]> {
    return this.call(method, args, decodeIvwsRecordList);
  }

  private async permission(method: 'AgentInfoPermission' | 'SipUserInfoPermission', args: IvArgs): Promise<string | null> {
    try {
      const r = await this.record(method, args);
      return r.location ?? null;
    } catch (err) {
      if (err instanceof CtiError && err.vendorCode === 'RESPONSE_NOT_FOUND') return null;
      throw err;
    }
  }

  private async each(names: string[], fetch: (n: string) => Promise<AdminRecord>): Promise<AdminRecord[]> {
    const list = names.slice(0, MAX_LISTED);
    const out: AdminRecord[] = new Array<AdminRecord>(list.length);
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const i = next++;
        const n = list[i] as string;
        try {
          out[i] = await fetch(n);
        } catch (err) {
          if (err instanceof CtiError && (err.code === 'unreachable' || err.code === 'authFailed' || err.code === 'timeout')) throw err;
          this.log.debug({ name: n, err: CtiError.from(err).message }, 'IVWS: a record could not be read');
          out[i] = { key: n, fields: {} };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, list.length) }, worker));
    return out;
  }

  // ================================================================ records

  private agentRecord(r: IvRecord, loc: string | null | undefined): AdminRecord {
    const user = stripAccountPrefix(r.user ?? '', this.acc);
    const fields: Rec = { user, name: r.name ?? null, pass: null, agentstatus: r.agentstatus ?? null, interface: r.interface ?? null };
    if (loc !== undefined) fields.location = loc;
    return { key: user, fields };
  }

  private lineRecord(r: IvRecord): AdminRecord {
    const yn = (v: string | null | undefined) => (v === null || v === undefined ? null : v.trim() === '0' ? 'no' : 'yes');
    const n = r.linenumber ?? '';
    return { key: n, fields: { linenumber: n, inbound: yn(r.inbound), outbound: yn(r.outbound), linestatus: r.linestatus ?? null } };
  }

  private queueRecord(r: IvRecord, fallbackName: string): AdminRecord {
    const name = stripAccountPrefix(r.name ?? fallbackName, this.acc);
    const fields: Rec = {};
    for (const fl of this.entity('queues').fields) fields[fl.name] = r[fl.name] ?? null;
    fields.name = name;
    return { key: name, fields };
  }

  private sipRecord(r: IvRecord, fallbackName: string, loc: string | null | undefined): AdminRecord {
    const name = stripAccountPrefix(r.name ?? fallbackName, this.acc);
    const fields: Rec = {};
    for (const fl of this.entity('sipUsers').fields) if (fl.name !== 'location') fields[fl.name] = r[fl.name] ?? null;
    fields.name = name;
    fields.secret = null;
    if (loc !== undefined) fields.location = loc;
    return { key: name, fields };
  }

  async list(req: AdminListRequest): Promise<AdminRecord[]> {
    const e = this.entity(req.entity);
    const parent = this.parent(e, req.parentKey);
    const acc = this.acc;
    switch (e.id) {
      case 'agents': {
        const names = (await this.names('AgentList', { accountcode: acc })).map((n) => stripAccountPrefix(n, acc));
        return this.each(names, async (n) => this.agentRecord({ ...(await this.record('AgentInfo', { accountcode: acc, user: n })), user: n }, undefined));
      }
      case 'agentLines':
        return (await this.records('AgentLineList', { accountcode: acc, user: parent })).map((r) => this.lineRecord(r));
      case 'agentQueues':
        return (await this.records('AgentQueueList', { accountcode: acc, user: parent })).map((r) => {
          const n = stripAccountPrefix(r.name ?? '', acc);
          return { key: n, fields: { name: n, priority: r.priority ?? null } };
        });
      case 'queues': {
        const names = (await this.names('QueueList', { accountcode: acc })).map((n) => stripAccountPrefix(n, acc));
        return this.each(names, async (n) => this.queueRecord(await this.record('QueueInfo', { accountcode: acc, name: n }), n));
      }
      case 'queueMembers':
        return (await this.records('AgentQueueMembers', { accountcode: acc, name: parent })).map((r) => {
          const u = stripAccountPrefix(r.user ?? '', acc);
          return { key: u, fields: { user: u, priority: r.priority ?? null } };
        });
      default: {
        const names = (await this.names('SipUserList', { accountcode: acc })).map((n) => stripAccountPrefix(n, acc));
        return this.each(names, async (n) => this.sipRecord(await this.record('SipUserInfo', { accountcode: acc, name: n }), n, undefined));
      }
    }
  }

  async get(req: AdminGetRequest): Promise<AdminRecord> {
    const e = this.entity(req.entity);
    const parent = this.parent(e, req.parentKey);
    const acc = this.acc;
    switch (e.id) {
      case 'agents': {
        const [r, loc] = await Promise.all([this.record('AgentInfo', { accountcode: acc, user: req.key }), this.permission('AgentInfoPermission', { accountcode: acc, user: req.key })]);
        return this.agentRecord({ ...r, user: r.user ?? req.key }, loc);
      }
      case 'queues':
        return this.queueRecord(await this.record('QueueInfo', { accountcode: acc, name: req.key }), req.key);
      case 'sipUsers': {
        const [r, loc] = await Promise.all([this.record('SipUserInfo', { accountcode: acc, name: req.key }), this.permission('SipUserInfoPermission', { accountcode: acc, name: req.key })]);
        return this.sipRecord(r, req.key, loc);
      }
      default: {
        const all = await this.list({ entity: e.id, parentKey: parent });
        const found = all.find((r) => r.key === req.key);
        if (!found) throw new CtiError('invalid', `no ${e.singular} ${req.key}`);
        return found;
      }
    }
  }

  /** Checks the fields against the schema; yes/no fields go on the wire as 1/0 where the API wants that. */
  private checked(e: AdminEntity, fields: Record<string, string>, creating: boolean): Record<string, string> {
    if (!e.canCreate && creating) throw new CtiError('notPermitted', `${e.label} cannot be created here`);
    if (!e.canEdit && !creating) throw new CtiError('notPermitted', `${e.label} are read-only`);
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(fields)) {
      const fl = e.fields.find((x) => x.name === name);
      if (!fl) throw new CtiError('invalid', `${e.singular} has no field ${name}`);
      if (fl.editable === 'never') throw new CtiError('invalid', `${fl.label} is read-only`);
      if (fl.editable === 'create' && !creating && raw !== '') throw new CtiError('invalid', `${fl.label} is set when the ${e.singular} is created`);
      const v = raw.trim();
      if (v === '' && fl.kind !== 'text') continue; // empty = not given / unchanged
      if (fl.kind === 'integer' && !/^-?[0-9]+$/.test(v)) throw new CtiError('invalid', `${fl.label}: an integer`);
      if (fl.kind === 'yesno' && v !== 'yes' && v !== 'no') throw new CtiError('invalid', `${fl.label}: yes or no`);
      if (fl.kind === 'choice' && fl.options && !fl.options.includes(v)) throw new CtiError('invalid', `${fl.label}: one of ${fl.options.join(', ')}`);
      out[name] = fl.kind === 'yesno' ? (v === 'yes' ? '1' : '0') : v;
    }
    if (creating) for (const fl of e.fields) if (fl.required && !out[fl.name]) throw new CtiError('invalid', `${fl.label} is needed to create a ${e.singular}`);
    return out;
  }

  private async setLocation(kind: 'agent' | 'sip', target: string, wanted: string | undefined, creating: boolean): Promise<void> {
    if (wanted === undefined) return;
    const idArg = kind === 'agent' ? { user: target } : { name: target };
    const m = kind === 'agent' ? (['AgentAddPermission', 'AgentModifyPermission', 'AgentDeletePermission', 'AgentInfoPermission'] as const) : (['SipUserAddPermission', 'SipUserModifyPermission', 'SipUserDeletePermission', 'SipUserInfoPermission'] as const);
    const current = creating ? null : await this.permission(m[3], { accountcode: this.acc, ...idArg });
    if ((current ?? '') === wanted) return;
    if (wanted === '') await this.status(m[2], { accountcode: this.acc, ...idArg });
    else await this.status(current ? m[1] : m[0], { accountcode: this.acc, ...idArg, location: wanted });
  }

  async save(req: AdminSaveRequest): Promise<AdminRecord> {
    const e = this.entity(req.entity);
    const parent = this.parent(e, req.parentKey);
    const creating = req.key === undefined;
    const v = this.checked(e, req.fields, creating);
    const acc = this.acc;
    const opt = (name: string): Record<string, string> => (v[name] !== undefined && v[name] !== '' ? { [name]: v[name] as string } : {});
    let key = req.key ?? '';
    switch (e.id) {
      case 'agents': {
        const { location: loc, ...rest } = v;
        if (creating) {
          key = rest.user as string;
          await this.status('AgentAdd', { accountcode: acc, user: key, ...opt('pass'), ...('name' in rest ? { name: rest.name } : {}) });
        } else {
          const renamed = rest.user !== undefined && rest.user !== key ? rest.user : undefined;
          const changes: IvArgs = { ...opt('pass'), ...('name' in rest ? { name: rest.name } : {}), ...(renamed ? { accountcode: acc, user: renamed } : {}) };
          if (Object.keys(changes).length > 0) await this.status('AgentModify', { original_accountcode: acc, original_user: key, ...changes });
          if (renamed) key = renamed;
        }
        await this.setLocation('agent', key, loc, creating);
        break;
      }
      case 'agentLines': {
        if (creating) {
          key = v.linenumber as string;
          const line: IvListItem = { linenumber: key, ...opt('inbound'), ...opt('outbound') };
          await this.status('AgentLineAdd', { accountcode: acc, user: parent, lines: [line] });
        } else {
          await this.status('AgentLineModify', { original_accountcode: acc, original_user: parent, original_linenumber: key, ...opt('inbound'), ...opt('outbound') });
        }
        break;
      }
      case 'agentQueues': {
        if (creating) {
          key = v.name as string;
          await this.status('AgentQueueAdd', { accountcode: acc, user: parent, queues: [{ name: key, priority: v.priority as string }] });
        } else {
          if (v.priority === undefined) throw new CtiError('invalid', 'Priority is needed to change a queue membership');
          await this.status('AgentQueueModify', { original_accountcode: acc, original_user: parent, original_name: key, priority: v.priority });
        }
        break;
      }
      case 'queues': {
        const args: IvArgs = {};
        for (const [k, x] of Object.entries(v)) if (x !== '' || k === 'description') args[k] = x;
        if (creating) {
          key = v.name as string;
          await this.status('QueueAdd', { ...args, accountcode: acc, name: key });
        } else {
          const renamed = v.name !== undefined && v.name !== key ? v.name : undefined;
          await this.status('QueueModify', { original_accountcode: acc, original_name: key, ...args, accountcode: acc, name: renamed ?? key });
          if (renamed) key = renamed;
        }
        break;
      }
      case 'sipUsers': {
        const { location: loc, ...rest } = v;
        const args: IvArgs = {};
        for (const [k, x] of Object.entries(rest)) if (x !== '' || k === 'description' || k === 'callerid') args[k] = x;
        if (creating) {
          key = rest.name as string;
          await this.status('SipUserAdd', { ...args, accountcode: acc, name: key });
        } else {
          const renamed = rest.name !== undefined && rest.name !== key ? rest.name : undefined;
          await this.status('SipUserModify', { original_accountcode: acc, original_name: key, ...args, accountcode: acc, name: renamed ?? key });
          if (renamed) key = renamed;
        }
        await this.setLocation('sip', key, loc, creating);
        break;
      }
      default:
        throw new CtiError('notPermitted', `${e.label} are read-only`);
    }
    return this.get({ entity: e.id, key, ...(e.parent ? { parentKey: parent } : {}) });
  }

  async remove(req: AdminDeleteRequest): Promise<void> {
    const e = this.entity(req.entity);
    const parent = this.parent(e, req.parentKey);
    if (!e.canDelete) throw new CtiError('notPermitted', `${e.label} cannot be deleted here`);
    const acc = this.acc;
    switch (e.id) {
      case 'agents':
        return this.status('AgentDelete', { accountcode: acc, user: req.key });
      case 'agentLines':
        return this.status('AgentLineDelete', { accountcode: acc, user: parent, linenumber: req.key });
      case 'agentQueues':
        return this.status('AgentQueueDelete', { accountcode: acc, user: parent, name: req.key });
      case 'queues':
        return this.status('QueueDelete', { accountcode: acc, name: req.key });
      default:
        return this.status('SipUserDelete', { accountcode: acc, name: req.key });
    }
  }
}
