// Unit tests of the portal's pure parts: its own SOAP encoder/decoder (checked against the desktop
// connector's independent codec), the enum/filter/state rules, and the fixture.
import { describe, expect, it } from 'vitest';
import { decodeCtipsCallback } from '../../connectors/ctips/events.js';
import { buildOpenConnection, ctipsRequests } from '../../connectors/ctips/requests.js';
import { decodeCtipsResponse } from '../../connectors/ctips/responses.js';
import { Pbx } from '../pbx/pbx.js';
import { ctipsConfig, ctipsPbxConfig, defaultCtipsConfig } from './config.js';
import { ctipsAgentState, enumMember, matchesFilters } from './portal.js';
import {
  decodeCallbackReply,
  decodeRequest,
  encodeEventElement,
  encodeFault,
  encodeHeartbeat,
  encodeIntResponse,
  encodeOpenConnectionResponse,
  encodePublishCTIEvent,
  encodeStartSession,
} from './xml.js';

const header = { RequestId: 101, TenantId: 1, SiteId: 1, SwitchId: 1, ServiceId: 1, AgentId: 1101 };

function decodedEvent(xml: string): { type: string; header: Record<string, unknown>; fields: Record<string, unknown> } {
  const d = decodeCtipsCallback(xml);
  if (!d.ok || d.value.operation !== 'PublishCTIEvent') throw new Error(d.ok ? d.value.operation : d.error.message);
  const e = d.value.event as unknown as { type: string; header: Record<string, unknown>; fields: Record<string, unknown> };
  return e;
}

const name = (v: unknown): unknown => (v as { name?: unknown } | null)?.name;

describe('ctips sim xml: requests read leniently (§1.5 #4, #6)', () => {
  it('reads what the connector builds: LoginAgent and OpenConnection', () => {
    const r = ctipsRequests({ SessionId: 'S1', TenantId: 1 }).loginAgent({ RequestId: 7, AgentLoginName: 'agent1101', StationId: '1101', InitialState: 'Idle', MultiLine: 0 });
    if (!r.ok) throw new Error(r.error.message);
    const d = decodeRequest(r.value.body);
    if (!d.ok) throw new Error(d.reason);
    expect(d.operation).toBe('LoginAgent');
    expect(d.args.str('SessionId')).toBe('S1');
    expect(d.args.int('RequestId')).toBe(7);
    expect(d.args.str('initial_state')).toBe('Idle');
    const o = buildOpenConnection({ TenantIds: [1], UserCredentials: { UserName: 'Test01', Password: 'Test01' }, ClientCallbackURL: 'http://10.128.98.146:8730/www.aspect.com/PublishEvents' });
    if (!o.ok) throw new Error(o.error.message);
    const od = decodeRequest(o.value.body);
    if (!od.ok) throw new Error(od.reason);
    expect(od.args.list('TenantIds')).toEqual(['1']);
    expect(od.args.sub('UserCredentials')?.str('UserName')).toBe('Test01');
    expect(od.args.str('ClientCallbackURL')).toBe('http://10.128.98.146:8730/www.aspect.com/PublishEvents');
  });

  it('matches names case-insensitively, reads nil, bad ints and bools; refuses non-envelopes and DOCTYPE', () => {
    const xml =
      '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><S:Body><holdcall><ARGS>' +
      '<requestid>x1</requestid><AgentId>1101</AgentId><SessionId i:nil="true"/><Flag>TRUE</Flag><Odd>maybe</Odd><Big>99999999999</Big></ARGS></holdcall></S:Body></S:Envelope>';
    const d = decodeRequest(xml);
    if (!d.ok) throw new Error(d.reason);
    expect(d.operation).toBe('holdcall');
    expect(d.args.int('RequestId')).toBeNaN();
    expect(d.args.int('AgentId')).toBe(1101);
    expect(d.args.int('Big')).toBeNaN();
    expect(d.args.str('SessionId')).toBeUndefined();
    expect(d.args.has('SessionId')).toBe(false);
    expect(d.args.bool('Flag')).toBe(true);
    expect(d.args.bool('Odd')).toBeUndefined();
    expect(d.args.int('Absent')).toBeUndefined();
    expect(decodeRequest('<a><b>')).toEqual({ ok: false, reason: 'Malformed request' });
    expect(decodeRequest('<root/>').ok).toBe(false);
    expect(decodeRequest('<!DOCTYPE x [<!ENTITY e "x">]><s:Envelope xmlns:s="x"><s:Body><OnLine/></s:Body></s:Envelope>').ok).toBe(false);
    const noArgs = decodeRequest('<s:Envelope xmlns:s="x"><s:Body><OnLine/></s:Body></s:Envelope>');
    expect(noArgs.ok && noArgs.args.str('SessionId')).toBeUndefined();
  });
});

describe('ctips sim xml: what the portal sends, read by the connector codec', () => {
  it('OpenConnection replies (status 0 with SessionId, status 3 without) and int replies', () => {
    const ok = decodeCtipsResponse(encodeOpenConnectionResponse('sid-1', 0), { operation: 'OpenConnection' });
    expect(ok.ok && ok.value).toMatchObject({ status: 0, sessionId: 'sid-1' });
    const full = decodeCtipsResponse(encodeOpenConnectionResponse(null, 3), { operation: 'OpenConnection' });
    expect(full.ok).toBe(false);
    if (!full.ok) expect(full.error).toMatchObject({ kind: 'status', status: 3 });
    const login = decodeCtipsResponse(encodeIntResponse('LoginAgent', 0), { operation: 'LoginAgent' });
    expect(login.ok && login.value.status).toBe(0);
  });

  it('faults carry the reason and the CTIFault detail', () => {
    const d = decodeCtipsResponse(encodeFault('Client', 'Invalid SessionId & more'));
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.error.kind).toBe('fault');
      expect(d.error.fault).toMatchObject({ code: 'Client', reason: 'Invalid SessionId & more' });
    }
  });

  it('StartSession echoes the credentials; HeartbeatMessage decodes', () => {
    const s = decodeCtipsCallback(encodeStartSession('Test01', 'Test01', 'sid-<1>'));
    expect(s.ok && s.value).toMatchObject({ operation: 'StartSession', userName: 'Test01', password: 'Test01', sessionId: 'sid-<1>' });
    const h = decodeCtipsCallback(encodeHeartbeat());
    expect(h.ok && h.value.operation).toBe('HeartbeatMessage');
  });

  it('AgentStateChange: the 8 header fields, the enum by name, the int array, a nil string', () => {
    const e = decodedEvent(
      encodePublishCTIEvent(
        encodeEventElement('EventCategoryAgent', 'AgentStateChange', header, [
          ['AgentState', 'NotReadyPark'],
          ['ServiceIds', { ints: [1, 4] }],
          ['SipAddress', null],
          ['SipPort', 0],
        ]),
      ),
    );
    expect(e.type).toBe('AgentStateChange');
    expect(e.header).toMatchObject({ requestId: 101, tenantId: 1, siteId: 1, switchId: 1, serviceId: 1, agentId: 1101 });
    expect(name(e.header.category)).toBe('EventCategoryAgent');
    expect(name(e.fields.AgentState)).toBe('NotReadyPark');
    expect(e.fields.ServiceIds).toEqual([1, 4]);
    expect(e.fields.SipAddress).toBeNull();
  });

  it('CallConnected: CallInfo struct array with nested CallData, booleans, escaped text', () => {
    const e = decodedEvent(
      encodePublishCTIEvent(
        encodeEventElement('EventCategoryCall', 'CallConnected', { ...header, RequestId: 0 }, [
          ['CallId', 1001],
          ['CallSequenceId', '12'],
          ['CallOriginatingSiteId', 1],
          [
            'CallInfo',
            {
              structs: 'CTICallInfo',
              items: [
                [
                  ['ANI', '0612345678'],
                  ['DNIS', 'service1'],
                  ['CallerId', 'A & B <x>'],
                  ['CallData', { structs: 'CTICallDataItem', items: [[['key', 'AccountNumber'], ['value', 'A-77']]] }],
                ],
              ],
            },
          ],
          ['ResponseRequired', false],
          ['PlayAudioAlert', true],
          ['CallType', 'InboundAcd'],
          ['AgentCapabilities', { enums: 'CTIAgentCapabilities', items: ['StandardAgent'] }],
        ]),
      ),
    );
    expect(e.type).toBe('CallConnected');
    expect(e.header.requestId).toBe(0);
    expect(e.fields).toMatchObject({ CallId: 1001, CallSequenceId: '12', ResponseRequired: false, PlayAudioAlert: true });
    expect(name(e.fields.CallType)).toBe('InboundAcd');
    expect((e.fields.CallInfo as unknown[])[0]).toMatchObject({ ANI: '0612345678', DNIS: 'service1', CallerId: 'A & B <x>', CallData: [{ key: 'AccountNumber', value: 'A-77' }] });
  });

  it('SnapShotUpdate: a struct field and an absent one', () => {
    const e = decodedEvent(
      encodePublishCTIEvent(
        encodeEventElement('EventCategorySystem', 'SnapShotUpdate', header, [
          ['SnapShotType', 'ServiceInfo'],
          ['AgentData', null],
          ['ServiceData', { struct: [['ServiceId', 1], ['ServiceState', 'Active'], ['ExternalRoutingEnabled', false]] }],
          ['SnapShotComplete', true],
        ]),
      ),
    );
    expect(e.fields.SnapShotComplete).toBe(true);
    expect(e.fields.ServiceData).toMatchObject({ ServiceId: 1, ExternalRoutingEnabled: false });
    expect(e.fields.AgentData).toBeNull();
  });
});

describe('ctips sim xml: callback replies (§1.5 #9)', () => {
  it('2xx without a fault is success; 202 empty is fine; a fault or an HTTP error is a failure', () => {
    expect(decodeCallbackReply(202, '')).toEqual({ ok: true, result: null });
    expect(decodeCallbackReply(200, '<s:Envelope xmlns:s="x"><s:Body><StartSessionResponse><StartSessionResult>0</StartSessionResult></StartSessionResponse></s:Body></s:Envelope>')).toEqual({ ok: true, result: 0 });
    expect(decodeCallbackReply(200, '<s:Envelope xmlns:s="x"><s:Body><PublishCTIEventResponse/></s:Body></s:Envelope>')).toEqual({ ok: true, result: null });
    expect(decodeCallbackReply(200, '<s:Envelope xmlns:s="x"><s:Body><s:Fault><faultstring>no</faultstring></s:Fault></s:Body></s:Envelope>').ok).toBe(false);
    expect(decodeCallbackReply(503, '')).toEqual({ ok: false, reason: 'HTTP 503' });
    expect(decodeCallbackReply(200, '<broken').ok).toBe(false);
  });
});

describe('ctips portal rules', () => {
  it('enumMember: names in any case and spacing, the implicit C# numbers (INVALID = 0)', () => {
    const classes = ['EventCategoryAgent', 'EventCategoryCall'] as const;
    expect(enumMember(classes, 'eventcategorycall')).toBe('EventCategoryCall');
    expect(enumMember(classes, 'Event Category Agent')).toBe('EventCategoryAgent');
    expect(enumMember(classes, '1')).toBe('EventCategoryAgent');
    expect(enumMember(classes, '0')).toBeUndefined();
    expect(enumMember(classes, 'INVALID')).toBeUndefined();
    expect(enumMember(classes, undefined)).toBeUndefined();
  });

  it('matchesFilters: no filter → all; OR over filters; login names and ids; 0 never matches', () => {
    const ids = { switchId: 1, tenantId: 1, agentIdOfLogin: (v: string) => (v === 'agent1101' ? 1101 : undefined) };
    const ev = { agentId: 1101, serviceIds: [1] };
    expect(matchesFilters([], ev, ids)).toBe(true);
    expect(matchesFilters([{ fieldType: 'FT_AGENT_ID', value: 'agent1101' }], ev, ids)).toBe(true);
    expect(matchesFilters([{ fieldType: 'FT_AGENT_ID', value: '1101' }], ev, ids)).toBe(true);
    expect(matchesFilters([{ fieldType: 'FT_AGENT_ID', value: 'agent1102' }], ev, ids)).toBe(false);
    expect(matchesFilters([{ fieldType: 'FT_AGENT_ID', value: '0' }], { agentId: 0, serviceIds: [] }, ids)).toBe(false);
    expect(matchesFilters([{ fieldType: 'FT_AGENT_ID', value: 'x' }], { agentId: 0, serviceIds: [], loginName: 'x' }, ids)).toBe(true);
    expect(matchesFilters([{ fieldType: 'FT_SERVICE_ID', value: '1' }], ev, ids)).toBe(true);
    expect(matchesFilters([{ fieldType: 'FT_SERVICE_ID', value: '3' }, { fieldType: 'FT_SWITCH_ID', value: '1' }], ev, ids)).toBe(true);
    expect(matchesFilters([{ fieldType: 'FT_SWITCH_ID', value: '2' }, { fieldType: 'FT_TENANT_ID', value: '2' }], ev, ids)).toBe(false);
  });

  it('ctipsAgentState: PBX agent state + the station legs + the park flag → CTIAgentState', () => {
    expect(ctipsAgentState(undefined, [], false)).toBeNull();
    expect(ctipsAgentState('loggedOff', [], false)).toBeNull();
    expect(ctipsAgentState('loggedOn', [], false)).toBe('NotReady');
    expect(ctipsAgentState('notReady', [], true)).toBe('NotReadyPark');
    expect(ctipsAgentState('ready', [], false)).toBe('Idle');
    expect(ctipsAgentState('ready', ['alerting'], false)).toBe('PendingActive');
    expect(ctipsAgentState('ready', ['connected'], false)).toBe('Active');
    expect(ctipsAgentState('busy', ['hold'], false)).toBe('Active');
    expect(ctipsAgentState('workingAfterCall', [], false)).toBe('Wrap');
    expect(ctipsAgentState('notReady', ['originated'], false)).toBe('Active');
  });
});

describe('ctips fixture', () => {
  it('has tenant 1, the Appendix D user, 10 connections, 30 s heartbeats, agents on 1101–1103 and the passcode agent on 1104', () => {
    const c = defaultCtipsConfig();
    expect(c.tenantId).toBe(1);
    expect(c.users).toContainEqual({ userName: 'Test01', password: 'Test01' });
    expect(c.maxConnections).toBe(10);
    expect(c).toMatchObject({ heartbeatIntervalMs: 30_000, missedHeartbeats: 3 });
    expect(c.agents).toEqual([
      { loginName: 'agent1101', agentId: 1101, device: '1101' },
      { loginName: 'agent1102', agentId: 1102, device: '1102' },
      { loginName: 'agent1103', agentId: 1103, device: '1103' },
      { loginName: 'agent1104', agentId: 1104, device: '1104', passcode: '123' },
    ]);
    expect(c.services).toEqual([{ serviceId: 1, queue: 'service1' }]);
    expect(c.routePoints).toEqual([{ serviceId: 2, device: '6200', routeTimeoutSec: 10, defaultServiceId: 1 }]);
    expect(c).toMatchObject({ responseRequired: false, rejectReasonRequired: false });
    expect(ctipsConfig({ heartbeatIntervalMs: 200 }).heartbeatTimeoutMs).toBe(200);
  });

  it('ctipsPbxConfig adds agent positions on 1102 and 1103 in service1, keeping the default lab', () => {
    const cfg = ctipsPbxConfig();
    for (const d of ['1101', '1102', '1103']) expect(cfg.agents.find((a) => a.device === d)?.inboundServices).toEqual(['service1']);
    expect(cfg.agents.filter((a) => a.device === '1101')).toHaveLength(1);
    const pbx = new Pbx(cfg);
    try {
      expect(pbx.agent('1102')?.state).toBe('loggedOff');
      expect(pbx.agent('1104')).toBeDefined();
      // The route point of service 2 takes several waiting calls; service1 gets the pilot its default route dials.
      expect(pbx.device('6200')).toBeDefined();
      expect(cfg.devices.find((d) => d.number === '6200')?.callWaiting).toBe(true);
      expect(pbx.pilotsOf('service1')).toEqual(['6201']);
    } finally {
      pbx.dispose();
    }
  });
});
