// STOMP request bodies and destination names (digest §2.2–§2.5, §4): a request is the JSON array
// `["<Method>", "<key>", {args}, "<identifier>"]` SENT to /queue/config; the reply comes on
// /topic/<KEY>; agent events on /topic/iv.agents.<accountcode>_<agent>. Argument names are the
// manual's JSON spelling per method (case differs between families, §7 #9). Pure; never throws.
import { fail, okValue, type Decoded } from './codes.js';
import { isObject, parseJson, type IvValue, type JsonOptions } from './replies.js';

export const REQUEST_QUEUE = '/queue/config';
/** Every agent's events (L2475; the guide omits `/topic/`, §7 #23). */
export const ALL_AGENTS_TOPIC = '/topic/iv.agents.#';

export const ivMethods = [
  'AgentAdd', 'AgentDelete', 'AgentModify', 'AgentList', 'AgentInfo',
  'AgentLineAdd', 'AgentLineDelete', 'AgentLineModify', 'AgentLineList',
  'AgentQueueAdd', 'AgentQueueDelete', 'AgentQueueModify', 'AgentQueueList', 'AgentQueueMembers',
  'AgentAddPermission', 'AgentDeletePermission', 'AgentModifyPermission', 'AgentInfoPermission',
  'AgentLogin', 'AgentLogoff', 'AgentPause', 'AgentUnpause', 'BlindTransfer', 'NewCall', 'SendSms', 'NewCallBack', 'Hangup',
  'QueueAdd', 'QueueModify', 'QueueDelete', 'QueueList', 'QueueInfo',
  'SipUserAdd', 'SipUserModify', 'SipUserDelete', 'SipUserList', 'SipUserInfo',
  'SipUserAddPermission', 'SipUserDeletePermission', 'SipUserModifyPermission', 'SipUserInfoPermission',
] as const;
export type IvMethod = (typeof ivMethods)[number];

export function isIvMethod(s: string): s is IvMethod {
  return (ivMethods as readonly string[]).includes(s);
}

/** A list item (AgentLineAdd `lines`, AgentQueueAdd `queues`). */
export type IvListItem = Record<string, string>;
export type IvArgs = Record<string, string | IvListItem[] | undefined>;

/** Mandatory arguments per method, JSON spelling (digest §4.1; §7 #10, #13, #32). */
export const requiredArgs: Readonly<Record<IvMethod, readonly string[]>> = {
  AgentAdd: ['accountcode', 'user'],
  AgentDelete: ['accountcode', 'user'],
  AgentModify: ['original_accountcode', 'original_user'],
  AgentList: ['accountcode'],
  AgentInfo: ['accountcode', 'user'],
  AgentLineAdd: ['accountcode', 'user', 'lines'],
  AgentLineDelete: ['accountcode', 'user', 'linenumber'],
  AgentLineModify: ['original_accountcode', 'original_user', 'original_linenumber'],
  AgentLineList: ['accountcode', 'user'],
  AgentQueueAdd: ['accountcode', 'user', 'queues'],
  AgentQueueDelete: ['accountcode', 'user', 'name'],
  AgentQueueModify: ['original_accountcode', 'original_user', 'original_name', 'priority'],
  AgentQueueList: ['accountcode', 'user'],
  AgentQueueMembers: ['accountcode', 'name'],
  AgentAddPermission: ['accountcode', 'user', 'location'],
  AgentDeletePermission: ['accountcode', 'user'],
  AgentModifyPermission: ['accountcode', 'user', 'location'],
  AgentInfoPermission: ['accountcode', 'user'],
  AgentLogin: ['Accountcode', 'User', 'Interface'],
  AgentLogoff: ['Accountcode', 'User'],
  AgentPause: ['Accountcode', 'User', 'Reason'],
  AgentUnpause: ['Accountcode', 'User'],
  BlindTransfer: ['Accountcode', 'Agent', 'Exten'],
  NewCall: ['Accountcode', 'Agent', 'Exten'],
  SendSms: ['Accountcode', 'Number', 'Text'],
  NewCallBack: ['Accountcode', 'Mcdu', 'Originator', 'Language'],
  Hangup: ['Accountcode', 'Uniqueid'],
  QueueAdd: ['accountcode', 'name'],
  QueueModify: ['original_accountcode', 'original_name'],
  QueueDelete: ['accountcode', 'name'],
  QueueList: ['accountcode'],
  QueueInfo: ['accountcode', 'name'],
  SipUserAdd: ['accountcode', 'name'],
  SipUserModify: ['original_accountcode', 'original_name'],
  SipUserDelete: ['accountcode', 'name'],
  SipUserList: ['accountcode'],
  SipUserInfo: ['accountcode', 'name'],
  SipUserAddPermission: ['accountcode', 'name', 'location'],
  SipUserDeletePermission: ['accountcode', 'name'],
  SipUserModifyPermission: ['accountcode', 'name', 'location'],
  SipUserInfoPermission: ['accountcode', 'name'],
};

/**
 * Arguments the manual's JSON examples send as bare numbers (QueueAdd/Modify/Delete L1604–L1701,
 * SipUserDelete L2101):
 * sent as JSON numbers when the text is a canonical integer (no leading zero), else as strings.
 */
const numericArgs: Partial<Record<IvMethod, ReadonlySet<string>>> = (() => {
  const q = new Set(['name', 'original_name', 'sl_answeredbefore_1', 'sl_answeredbefore_2', 'sl_answeredbefore_3', 'timeout', 'dialtimeout', 'maxlen', 'wrapuptime', 'quarantinetime']);
  return { QueueAdd: q, QueueModify: q, QueueDelete: new Set(['name']), SipUserDelete: new Set(['name']) };
})();

const keyRe = /^[A-Za-z0-9]{1,20}$/;
const canonicalInt = /^(0|[1-9][0-9]{0,14})$/;

export interface IvRequest {
  method: IvMethod;
  key: string;
  args: IvArgs;
  /** Echoed back in the reply (L314); always send one (§7 #6). */
  identifier?: string;
}

/** The access-key rule (L88): alphanumeric, at most 20 characters. */
export function isValidKey(key: string): boolean {
  return keyRe.test(key);
}

function jsonString(s: string): string {
  return JSON.stringify(s);
}

function encodeArg(method: IvMethod, name: string, v: string | IvListItem[]): string {
  if (typeof v === 'string') return numericArgs[method]?.has(name) && canonicalInt.test(v) ? v : jsonString(v);
  return `[${v.map((item) => `{${Object.entries(item).map(([k, x]) => `${jsonString(k)}:${jsonString(x)}`).join(',')}}`).join(',')}]`;
}

/** Validate and encode a request body (compact JSON). Errors: `missingArgument`, `badArgument`. */
export function encodeRequest(req: IvRequest): Decoded<string> {
  if (!isIvMethod(req.method)) return fail('badArgument', `unknown method ${String(req.method)}`);
  if (!isValidKey(req.key)) return fail('badArgument', 'the access key must be 1–20 alphanumeric characters (L88)');
  for (const name of requiredArgs[req.method]) {
    const v = req.args[name];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return fail('missingArgument', `${req.method} needs ${name}`);
  }
  const members: string[] = [];
  for (const [name, v] of Object.entries(req.args)) {
    if (v === undefined) continue;
    if (typeof v !== 'string' && !Array.isArray(v)) return fail('badArgument', `${name} must be a string or a list`);
    members.push(`${jsonString(name)}:${encodeArg(req.method, name, v)}`);
  }
  const parts = [jsonString(req.method), jsonString(req.key), `{${members.join(',')}}`];
  if (req.identifier !== undefined) parts.push(jsonString(req.identifier));
  return okValue(`[${parts.join(',')}]`);
}

export interface DecodedRequest {
  /** As received (the manual's Hangup and QueueInfo examples carry the wrong name, §7 #12). */
  method: string;
  key: string;
  args: Record<string, IvValue>;
  identifier: string | null;
  lenient: boolean;
}

/** Read a request body back (tests, logs, a simulator). Shape only: no per-method validation. */
export function decodeRequest(body: string | Uint8Array, opts: JsonOptions = {}): Decoded<DecodedRequest> {
  const p = parseJson(body, opts);
  if (!p.ok) return p;
  const v = p.value.value;
  if (!Array.isArray(v) || v.length < 3 || v.length > 4) return fail('badShape', 'a request is [event, key, {arguments}, identifier?]');
  const [method, key, args, id] = v;
  if (typeof method !== 'string' || typeof key !== 'string') return fail('badShape', 'event and key must be strings');
  if (!isObject(args)) return fail('badShape', 'the arguments must be an object');
  if (v.length === 4 && typeof id !== 'string') return fail('badShape', 'the identifier must be a string');
  return okValue({ method, key, args, identifier: typeof id === 'string' ? id : null, lenient: p.value.lenient });
}

// ---- destinations -------------------------------------------------------------------------

/** Agent username `<accountcode>_<agentNumber>` (L1217: "default_1001"). */
export function agentUsername(accountcode: string, agent: string): string {
  return `${accountcode}_${agent}`;
}

/** Where replies for `key` arrive (L310). */
export function replyTopic(key: string): string {
  return `/topic/${key}`;
}

/** One agent's event topic (L2475). */
export function agentTopic(accountcode: string, agent: string): string {
  return `/topic/iv.agents.${agentUsername(accountcode, agent)}`;
}

export interface AgentRef {
  /** `<accountcode>_<agentNumber>` as received. */
  username: string;
  /** Split at the last `_` (agent numbers are digits); null when there is no `_`. */
  accountcode: string | null;
  agent: string | null;
}

export function parseAgentUsername(username: string): AgentRef {
  const at = username.lastIndexOf('_');
  return at <= 0 || at === username.length - 1
    ? { username, accountcode: null, agent: null }
    : { username, accountcode: username.slice(0, at), agent: username.slice(at + 1) };
}

/** The agent of an event destination (`/topic/iv.agents.default_1001`, with or without `/topic/`); null otherwise or for `#`. */
export function parseAgentTopic(destination: string): AgentRef | null {
  const m = /^(?:\/topic\/)?iv\.agents\.([^/#*]+)$/.exec(destination);
  return m ? parseAgentUsername(m[1] as string) : null;
}

// ---- builders -----------------------------------------------------------------------------

interface Base {
  key: string;
  identifier?: string;
}
interface AgentState extends Base {
  accountcode: string;
  /** Agent number, e.g. `1001`; the username `<accountcode>_<agent>` is built. */
  agent: string;
}

const req = (method: IvMethod, b: Base, args: IvArgs): Decoded<string> =>
  encodeRequest({ method, key: b.key, args, ...(b.identifier !== undefined ? { identifier: b.identifier } : {}) });

/** Builders for the agent-desktop and supervisor methods, with the manual's JSON spellings. */
export const requests = {
  agentLogin: (p: AgentState & { interface: string }) =>
    req('AgentLogin', p, { Accountcode: p.accountcode, User: agentUsername(p.accountcode, p.agent), Interface: p.interface }),
  agentLogoff: (p: AgentState) => req('AgentLogoff', p, { Accountcode: p.accountcode, User: agentUsername(p.accountcode, p.agent) }),
  agentPause: (p: AgentState & { reason: string }) =>
    req('AgentPause', p, { Accountcode: p.accountcode, User: agentUsername(p.accountcode, p.agent), Reason: p.reason }),
  agentUnpause: (p: AgentState) => req('AgentUnpause', p, { Accountcode: p.accountcode, User: agentUsername(p.accountcode, p.agent) }),
  /** JSON `Agent` per the example (L1377), not the table's `User` (§7 #10). */
  newCall: (p: AgentState & { exten: string; externalId?: string }) =>
    req('NewCall', p, { Accountcode: p.accountcode, Agent: agentUsername(p.accountcode, p.agent), Exten: p.exten, External_id: p.externalId }),
  blindTransfer: (p: AgentState & { exten: string }) =>
    req('BlindTransfer', p, { Accountcode: p.accountcode, Agent: agentUsername(p.accountcode, p.agent), Exten: p.exten }),
  /** The event name is `Hangup` (the manual's example says NewCall, §7 #12). */
  hangup: (p: Base & { accountcode: string; uniqueid: string }) => req('Hangup', p, { Accountcode: p.accountcode, Uniqueid: p.uniqueid }),
  sendSms: (p: Base & { accountcode: string; number: string; text: string }) => req('SendSms', p, { Accountcode: p.accountcode, Number: p.number, Text: p.text }),
  newCallBack: (p: Base & { accountcode: string; mcdu: string; originator: string; language: string; ruleid?: string; locationId?: string; queueId?: string; email?: string }) =>
    req('NewCallBack', p, {
      Accountcode: p.accountcode, Ruleid: p.ruleid, Mcdu: p.mcdu, Originator: p.originator, Language: p.language,
      Location_id: p.locationId, Queue_id: p.queueId, Email: p.email,
    }),
  agentList: (p: Base & { accountcode: string }) => req('AgentList', p, { accountcode: p.accountcode }),
  agentInfo: (p: Base & { accountcode: string; user: string }) => req('AgentInfo', p, { accountcode: p.accountcode, user: p.user }),
  agentLineList: (p: Base & { accountcode: string; user: string }) => req('AgentLineList', p, { accountcode: p.accountcode, user: p.user }),
  agentQueueList: (p: Base & { accountcode: string; user: string }) => req('AgentQueueList', p, { accountcode: p.accountcode, user: p.user }),
  agentQueueMembers: (p: Base & { accountcode: string; queue: string }) => req('AgentQueueMembers', p, { accountcode: p.accountcode, name: p.queue }),
  agentInfoPermission: (p: Base & { accountcode: string; user: string }) => req('AgentInfoPermission', p, { accountcode: p.accountcode, user: p.user }),
  queueList: (p: Base & { accountcode: string }) => req('QueueList', p, { accountcode: p.accountcode }),
  queueInfo: (p: Base & { accountcode: string; queue: string }) => req('QueueInfo', p, { accountcode: p.accountcode, name: p.queue }),
  sipUserList: (p: Base & { accountcode: string }) => req('SipUserList', p, { accountcode: p.accountcode }),
  sipUserInfo: (p: Base & { accountcode: string; name: string }) => req('SipUserInfo', p, { accountcode: p.accountcode, name: p.name }),
  /** Any method with its JSON argument names as written in the manual (admin: Add/Modify/Delete…). */
  raw: (method: IvMethod, p: Base, args: IvArgs) => req(method, p, args),
};
