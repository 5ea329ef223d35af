// The IVWS admin service against a small fake IVWS on 127.0.0.1 answering hand-written SOAP in the
// guide's style (soaplib envelopes, tns:…Array results, xs:nil, tuple reprs, integer status results).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Profile } from '../../../shared/profile.js';
import { silentLogger } from '../../core/log.js';
import { createInstantVoiceAdmin } from './admin.js';

const env = (inner: string) =>
  `<?xml version='1.0' encoding='utf-8'?><SOAP-ENV:Envelope xmlns:plnk="http://schemas.xmlsoap.org/ws/2003/05/partner-link/" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/1999/XMLSchema-instance" xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns="Ivws.Ivws"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
const status = (m: string, code: number) => env(`<${m}Response><${m}Result xsi:type="xs:integer">${code}</${m}Result></${m}Response>`);

interface Seen { action: string; body: string }
const seen: Seen[] = [];
let server: http.Server;
let port = 0;
let hang = false;

const responses: Record<string, (body: string) => string> = {
  AgentList: () => env('<AgentListResponse><AgentListResult type="tns:integerArray"><integer xsi:type="xs:integer">1001</integer><integer xsi:type="xs:integer">0002</integer></AgentListResult></AgentListResponse>'),
  AgentInfo: (b) => {
    const user = /<ivws:user>([^<]*)</.exec(b)?.[1] ?? '';
    if (user === '4242') return env('<AgentInfoResponse><AgentInfoResult><code xsi:type="xs:integer">3</code></AgentInfoResult></AgentInfoResponse>');
    return env(`<AgentInfoResponse><AgentInfoResult><passwd xsi:type="xs:string">456</passwd><accountcode xsi:type="xs:string">default</accountcode><agents_id xsi:type="xs:integer">22</agents_id><name xsi:type="xs:string">Foo Agent</name><user xsi:type="xs:string">${user}</user></AgentInfoResult></AgentInfoResponse>`);
  },
  AgentInfoPermission: () => env('<AgentInfoPermissionResponse><AgentInfoPermissionResult><code xsi:type="xs:integer">0</code><location xsi:type="xs:string">123</location></AgentInfoPermissionResult></AgentInfoPermissionResponse>'),
  AgentAdd: () => status('AgentAdd', 0),
  AgentModify: () => status('AgentModify', 0),
  AgentModifyPermission: () => status('AgentModifyPermission', 0),
  AgentDelete: () => status('AgentDelete', 9),
  AgentLineList: () => env('<AgentLineListResponse><AgentLineListResult type="tns:AgentLinesArray"><AgentLines><accountcode xsi:type="xs:string">default</accountcode><outbound xsi:type="xs:integer">1</outbound><inbound xsi:type="xs:integer">0</inbound><linestatus xsi:type="xs:string">IDLE</linestatus><linenumber xsi:type="xs:integer">1</linenumber><linestatusts xs:nil="1"/></AgentLines></AgentLineListResult></AgentLineListResponse>'),
  AgentLineAdd: () => status('AgentLineAdd', 0),
  AgentLineDelete: () => status('AgentLineDelete', 10),
  QueueList: () => env('<QueueListResponse><QueueListResult type="tns:integerArray"><integer xsi:type="xs:integer">1000</integer></QueueListResult></QueueListResponse>'),
  QueueInfo: () => env('<QueueInfoResponse><QueueInfoResult><accountcode xsi:type="xs:string">default</accountcode><description xsi:type="xs:string">Support</description><requisendinfo xsi:type="xs:string">no</requisendinfo><joinempty xsi:type="xs:string">yes</joinempty><sl_answeredbefore_1 xsi:type="xs:integer">30</sl_answeredbefore_1><dialtimeout xsi:type="xs:integer">10</dialtimeout><announce xs:nil="1"/><name xsi:type="xs:string">1000</name></QueueInfoResult></QueueInfoResponse>'),
  QueueModify: () => status('QueueModify', 0),
  AgentQueueMembers: () => env('<AgentQueueMembersResponse><AgentQueueMembersResult type="tns:QueueMembersArray"><QueueMembers><priority xsi:type="xs:integer">0</priority><user xsi:type="xs:string">0001</user></QueueMembers></AgentQueueMembersResult></AgentQueueMembersResponse>'),
  SipUserList: () => env(`<SipUserListResponse><SipUserListResult type="tns:integerArray"><integer xsi:type="xs:integer">('0001',)</integer></SipUserListResult></SipUserListResponse>`),
  SipUserInfo: () => env('<SipUserInfoResponse><SipUserInfoResult><name xsi:type="xs:string">0001</name><secret xsi:type="xs:string">s3cret</secret><call_limit xsi:type="xs:integer">0</call_limit><host xsi:type="xs:string">dynamic</host><nat xsi:type="xs:string">no</nat></SipUserInfoResult></SipUserInfoResponse>'),
  SipUserInfoPermission: () => env('<SipUserInfoPermissionResponse><SipUserInfoPermissionResult><code xsi:type="xs:integer">3</code></SipUserInfoPermissionResult></SipUserInfoPermissionResponse>'),
  SipUserDelete: () => env('<SOAP-ENV:Fault><faultcode>Server</faultcode><faultstring>database is locked</faultstring></SOAP-ENV:Fault>'),
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const action = String(req.headers.soapaction ?? '').replace(/"/g, '');
      seen.push({ action, body });
      if (hang) return; // never answer
      const r = responses[action];
      const fault = r ? r(body) : '';
      res.writeHead(!r ? 404 : /Fault/.test(fault) ? 500 : 200, { 'content-type': 'text/xml' });
      res.end(fault);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function admin(role: 'agent' | 'admin' = 'admin', apiKey = '1234') {
  const profile = Profile.parse({
    id: 'iv', name: 'IV', device: '0001', agentId: '1001', commandTimeoutMs: 500,
    connection: { vendor: 'instantvoice', host: '127.0.0.1', role, ivws: { host: '', port } },
  });
  return createInstantVoiceAdmin({ profile, secret: { password: 'x', apiKey }, log: silentLogger() });
}
const last = (action: string) => seen.filter((s) => s.action === action).at(-1)?.body ?? '';

describe('InstantVoice IVWS admin service', () => {
  it('exists only for the admin role, with a data-driven schema', () => {
    expect(admin('agent')).toBeNull();
    const s = admin()!.schema();
    expect(s.title).toMatch(/account default/);
    expect(s.entities.map((e) => e.id)).toEqual(['agents', 'agentLines', 'agentQueues', 'queues', 'queueMembers', 'sipUsers']);
    const lines = s.entities.find((e) => e.id === 'agentLines')!;
    expect(lines).toMatchObject({ parent: 'agents', keyField: 'linenumber', deleteWarning: expect.stringMatching(/at least one line/) });
    expect(s.entities.find((e) => e.id === 'queueMembers')).toMatchObject({ canCreate: false, canEdit: false, canDelete: false });
    expect(s.entities.find((e) => e.id === 'agents')!.fields.find((f) => f.name === 'location')!.hint).toMatch(/cannot|not through IVWS/);
  });

  it('lists and gets agents (AgentList + AgentInfo, permission group), never returning a password', async () => {
    const a = admin()!;
    const list = await a.list({ entity: 'agents' });
    expect(list.map((r) => r.key)).toEqual(['1001', '0002']);
    expect(list[0]!.fields).toMatchObject({ name: 'Foo Agent', pass: null });
    expect(last('AgentList')).toContain('<ivws:key>1234</ivws:key><ivws:accountcode>default</ivws:accountcode>');
    const one = await a.get({ entity: 'agents', key: '1001' });
    expect(one.fields).toMatchObject({ user: '1001', location: '123', pass: null });
    await expect(a.get({ entity: 'agents', key: '4242' })).rejects.toMatchObject({ code: 'invalid', vendorCode: 'RESPONSE_NOT_FOUND', message: expect.stringMatching(/not found/) });
  });

  it('creates, renames and changes the permission group; a non-zero code or a fault is a typed error', async () => {
    const a = admin()!;
    await a.save({ entity: 'agents', fields: { user: '1000', pass: '1234', name: 'New' } });
    expect(last('AgentAdd')).toContain('<ivws:user>1000</ivws:user><ivws:passwd>1234</ivws:passwd><ivws:name>New</ivws:name>');
    await a.save({ entity: 'agents', key: '1000', fields: { user: '1003', location: 'otherpermissiongroup' } });
    expect(last('AgentModify')).toContain('<ivws:original_accountcode>default</ivws:original_accountcode><ivws:original_user>1000</ivws:original_user><ivws:accountcode>default</ivws:accountcode><ivws:user>1003</ivws:user>');
    expect(last('AgentModifyPermission')).toContain('<ivws:location>otherpermissiongroup</ivws:location>');
    await expect(a.save({ entity: 'agents', fields: { name: 'no number' } })).rejects.toMatchObject({ code: 'invalid' });
    await expect(a.save({ entity: 'agents', key: '1', fields: { agentstatus: 'IDLE' } })).rejects.toMatchObject({ code: 'invalid' });
    await expect(a.remove({ entity: 'agents', key: '1001', confirmed: true })).rejects.toMatchObject({ code: 'authFailed', vendorCode: 'RESPONSE_UNAUTHORIZED' });
    await expect(a.remove({ entity: 'sipUsers', key: '0001', confirmed: true })).rejects.toMatchObject({ code: 'rejected', message: expect.stringMatching(/database is locked/) });
  });

  it('agent lines: yes/no ↔ 1/0, the last line cannot go', async () => {
    const a = admin()!;
    await expect(a.list({ entity: 'agentLines' })).rejects.toMatchObject({ code: 'invalid' });
    const lines = await a.list({ entity: 'agentLines', parentKey: '1001' });
    expect(lines).toEqual([{ key: '1', fields: { linenumber: '1', inbound: 'no', outbound: 'yes', linestatus: 'IDLE' } }]);
    await a.save({ entity: 'agentLines', parentKey: '1001', fields: { linenumber: '2', inbound: 'no', outbound: 'yes' } }).catch(() => undefined);
    expect(last('AgentLineAdd')).toContain('<ivws:lines><line1><linenumber>2</linenumber><inbound>0</inbound><outbound>1</outbound></line1></ivws:lines>');
    await expect(a.save({ entity: 'agentLines', parentKey: '1001', fields: { linenumber: '3', inbound: 'maybe' } })).rejects.toMatchObject({ code: 'invalid' });
    await expect(a.remove({ entity: 'agentLines', parentKey: '1001', key: '1', confirmed: true })).rejects.toMatchObject({ code: 'notPermitted', vendorCode: 'RESPONSE_NOT_ALLOWED' });
  });

  it('queues, members and SIP users (tuple reprs, SOAP spellings, secrets hidden)', async () => {
    const a = admin()!;
    const queues = await a.list({ entity: 'queues' });
    expect(queues[0]).toMatchObject({ key: '1000', fields: { description: 'Support', requiresendinfo: 'no', announce: null, dialtimeout: '10' } });
    await a.save({ entity: 'queues', key: '1000', fields: { name: '8015', sl_answeredbefore_1: '56' } }).catch(() => undefined);
    expect(last('QueueModify')).toMatch(/<ivws:original_accountcode>default<\/ivws:original_accountcode><ivws:original_name>1000<\/ivws:original_name>.*<ivws:name>8015<\/ivws:name>/);
    expect(await a.list({ entity: 'queueMembers', parentKey: '1000' })).toEqual([{ key: '0001', fields: { user: '0001', priority: '0' } }]);
    await expect(a.save({ entity: 'queueMembers', parentKey: '1000', fields: { user: '1' } })).rejects.toMatchObject({ code: 'notPermitted' });
    const sip = await a.get({ entity: 'sipUsers', key: '0001' });
    expect(sip.fields).toMatchObject({ name: '0001', secret: null, host: 'dynamic', location: null });
    expect((await a.list({ entity: 'sipUsers' })).map((r) => r.key)).toEqual(['0001']);
    await expect(a.list({ entity: 'nothing' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('a timeout, an unreachable server and a bad key are clear errors', async () => {
    hang = true;
    try {
      await expect(admin()!.list({ entity: 'queues' })).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/QueueList within 500 ms/) });
    } finally {
      hang = false;
    }
    await expect(admin('admin', 'bad key!')!.list({ entity: 'queues' })).rejects.toMatchObject({ code: 'authFailed' });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const p = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const profile = Profile.parse({ id: 'iv', name: 'IV', device: '1', agentId: '1', connection: { vendor: 'instantvoice', host: '127.0.0.1', role: 'admin', ivws: { host: '127.0.0.1', port: p } } });
    await expect(createInstantVoiceAdmin({ profile, secret: { password: '', apiKey: 'k1' }, log: silentLogger() })!.list({ entity: 'agents' })).rejects.toMatchObject({ code: 'unreachable' });
  });
});
