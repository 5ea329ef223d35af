// The lab ACD's pure logic, without a broker or sockets: the request decoder (Python-isms, strings kept),
// key checks, the methods' codes, and the call events mapped from the PBX core (in-process).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Pbx } from '../pbx/pbx.js';
import { pbxConfig } from '../pbx/config.js';
import { InstantVoiceAcd, type PublishedEvent } from './acd.js';
import { IvDecodeError, decodeRequest, encodeEvent, encodeReply, parseLenient } from './wire.js';

const K = 'f054bbd2f5ebab9';

describe('request decoder', () => {
  it('keeps every scalar a string: "0001" stays, 7015 arrives as "7015", null is absent', () => {
    expect(decodeRequest('["QueueAdd","k",{"name": 7015,"user":"0001","x":null,"b":true}]')).toEqual({ method: 'QueueAdd', key: 'k', args: { name: '7015', user: '0001', b: 'true' } });
  });
  it("accepts the guide's Python-isms: single quotes and trailing commas", () => {
    expect(parseLenient("[0, ['1002', '1004', '0015', '7021'] ]")).toEqual(['0', ['1002', '1004', '0015', '7021']]);
    expect(decodeRequest('[\n "AgentLogoff",\n "f054bbd2f5ebab9",\n {\n "Accountcode": "default",\n "User": "default_1001",\n }\n]').args).toEqual({ Accountcode: 'default', User: 'default_1001' });
  });
  it('optional identifier; rejects what is not [method, key, {args}, id?]', () => {
    expect(decodeRequest('["AgentList","k",{},"abc"]').identifier).toBe('abc');
    for (const bad of ['{}', '["AgentList"]', '["A","k",[]]', '["A","k",{},5,6]', '["A","k",{"a":"1" "b":"2"}]', '["A","k",{"a":"1\'}]', '', '[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]']) {
      expect(() => decodeRequest(bad), bad).toThrow(IvDecodeError);
    }
  });
  it('encodes replies and events as strict JSON in the guide order', () => {
    expect(encodeReply(0, 'Successful AgentLogin', 'id')).toBe('[0,"Successful AgentLogin","id"]');
    expect(encodeReply(0, [1001])).toBe('[0,[1001]]');
    expect(encodeEvent({ direction: '', callerid: '1', type: 'HANGUP', uniqueid: 'u', agent: 'a', reason: 'BYCALLER' })).toBe('{"direction":"","callerid":"1","type":"HANGUP","uniqueid":"u","agent":"a","reason":"BYCALLER"}');
  });
});

describe('ACD state logic (in-process PBX)', () => {
  let pbx: Pbx;
  let acd: InstantVoiceAcd;
  let events: PublishedEvent[];
  const call = (m: string, args: Record<string, string | unknown[]>, key = K) => acd.handle(m, key, args as never, 'stomp');
  const types = (agent = 'default_1001') => events.filter((e) => e.event.agent === agent).map((e) => e.event.type);
  const login = (user = '1001', sip = '0001') => call('AgentLogin', { Accountcode: 'default', User: `default_${user}`, Interface: `SIP/default_${sip}` });

  beforeEach(() => {
    pbx = new Pbx(pbxConfig({ externalAnswerMs: -1 }, { instantvoice: true }));
    pbx.configureColleague('6100', {}); // 6100 answers only when told to
    events = [];
    acd = new InstantVoiceAcd(pbx, { onEvent: (e) => events.push(e) });
  });
  afterEach(() => {
    acd.dispose();
    pbx.dispose();
  });

  it('keys: bad format and unknown 9, unknown method 5, method not permitted 10', () => {
    expect(call('AgentList', { accountcode: 'default' }, 'bad-key').code).toBe(9);
    expect(call('AgentList', { accountcode: 'default' }, 'x'.repeat(21)).code).toBe(9);
    expect(call('AgentList', { accountcode: 'default' }, 'nosuchkey').code).toBe(9);
    expect(call('NoSuchMethod', {}).code).toBe(5);
    expect(call('QueueList', { accountcode: 'default' }, 'lim1234').code).toBe(10);
    expect(call('AgentList', { accountcode: 'default' }, 'lim1234')).toMatchObject({ code: 0, json: [1001, 1002, '0001'] });
  });

  it('argument names: lenient case by default, exact in strict mode', () => {
    expect(call('AgentList', { AccountCode: 'default' }).code).toBe(0);
    const strict = new InstantVoiceAcd(pbx, { config: { strictArgNames: true } });
    expect(strict.handle('AgentList', K, { AccountCode: 'default' }, 'stomp').code).toBe(1);
    strict.dispose();
  });

  it('login rules: 3 for an unknown interface, 4 twice or on a used interface; events only after login', () => {
    expect(call('AgentLogin', { Accountcode: 'default', User: 'default_1001', Interface: 'SIP/default_0999' }).code).toBe(3);
    expect(call('AgentLogin', { Accountcode: 'default', User: 'default_1001', Interface: 'IAX2/default_0001' }).code).toBe(3);
    expect(login().code).toBe(0);
    expect(login().code).toBe(4);
    expect(login('1002', '0001').code).toBe(4);
    expect(types()).toEqual(['LOGIN']);
    expect(call('AgentDelete', { accountcode: 'default', user: '1001' }).code).toBe(5);
  });

  it('pause: reasons from the fixture, 4 twice, 5 logged off, unpause 5 when not paused', () => {
    expect(call('AgentPause', { Accountcode: 'default', User: 'default_1001', Reason: '1' }).code).toBe(5);
    login();
    expect(call('AgentPause', { Accountcode: 'default', User: 'default_1001', Reason: '2' }).code).toBe(0);
    expect(events.at(-1)?.event).toMatchObject({ type: 'PAUSE', direction: 'Break' });
    expect(call('AgentPause', { Accountcode: 'default', User: 'default_1001', Reason: '1' }).code).toBe(4);
    expect(call('AgentUnpause', { Accountcode: 'default', User: 'default_1001' }).code).toBe(0);
    expect(call('AgentUnpause', { Accountcode: 'default', User: 'default_1001' }).code).toBe(5);
  });

  it('NewCall: the agent phone rings first; events NEWCALL, CONNECT, DNEWCALL, DCONNECT, HANGUP with one uniqueid', () => {
    login();
    expect(call('NewCall', { Accountcode: 'default', Agent: 'default_1001', Exten: '6100' }).code).toBe(0);
    pbx.answer('0001');
    pbx.answer('6100');
    pbx.drop('6100');
    const evs = events.filter((e) => e.event.uniqueid !== '');
    expect(evs.map((e) => e.event.type)).toEqual(['NEWCALL', 'CONNECT', 'DNEWCALL', 'DCONNECT', 'HANGUP']);
    expect(new Set(evs.map((e) => e.event.uniqueid)).size).toBe(1);
    expect(evs[0]?.event).toMatchObject({ direction: 'OUTBOUND', callerid: '6100' });
    expect(evs[4]?.event.reason).toBe('BYCALLEE');
    expect(evs[0]?.topic).toBe('/topic/iv.agents.default_1001');
  });

  it('NewCall not answered by the agent: HANGUP NOANSWER; logged off: 5; hangupReason off drops the key', () => {
    expect(call('NewCall', { Accountcode: 'default', Agent: 'default_1001', Exten: '6100' }).code).toBe(5);
    login();
    call('NewCall', { Accountcode: 'default', Agent: 'default_1001', Exten: '6100' });
    pbx.drop('0001', { callId: pbx.allCalls()[0]?.id });
    expect(events.at(-1)?.event).toMatchObject({ type: 'HANGUP', reason: 'NOANSWER' });
    acd.config.hangupReason = false;
    call('NewCall', { Accountcode: 'default', Agent: 'default_1001', Exten: '6100' });
    pbx.drop('0001', { callId: pbx.allCalls()[0]?.id });
    expect(events.at(-1)?.event).not.toHaveProperty('reason');
  });

  it('queue distribution: by priority among free members; waits when none is free; counters live', () => {
    login('1001', '0001');
    login('1002', '0002');
    call('AgentQueueModify', { original_accountcode: 'default', original_user: '1001', original_name: '1', priority: '5' });
    const first = acd.queueCall('default', '1', '2198765456');
    expect(first.queued).toBe(false);
    expect(types('default_1002')).toEqual(['LOGIN', 'NEWCALL']); // priority 0 beats 5
    acd.queueCall('default', '1', '0612345678');
    expect(types('default_1001')).toEqual(['LOGIN', 'NEWCALL']);
    const third = acd.queueCall('default', '1', '0145678901');
    expect(third.queued).toBe(true);
    const info = call('QueueInfo', { accountcode: 'default', name: '1' }).json as Record<string, number>;
    expect(info).toMatchObject({ len: 1, agents_total: 2, agents_loggedin: 2, agents_oncall: 2, agents_idle: 0 });
    const lines = call('AgentLineList', { accountcode: 'default', user: '1002' }).json as Array<Record<string, unknown>>;
    expect(lines[0]).toMatchObject({ linestatus: 'RINGING', uniqueid: first.uniqueid });
    expect(call('Hangup', { Accountcode: 'default', Uniqueid: third.uniqueid }).code).toBe(0); // a waiting call
    expect((call('QueueInfo', { accountcode: 'default', name: '1' }).json as Record<string, number>).len).toBe(0);
  });

  it('BlindTransfer moves every call of the agent (HANGUP BTRANSFER each); media server lost hangs up all (MSGONE)', () => {
    login();
    pbx.placeExternalCall({ from: '2198765456', to: '0001' });
    pbx.answer('0001');
    expect(call('BlindTransfer', { Accountcode: 'default', User: 'default_1001', Exten: '6100' }).code).toBe(0);
    expect(events.at(-1)?.event).toMatchObject({ type: 'HANGUP', reason: 'BTRANSFER', callerid: '2198765456' });
    expect(pbx.legsOf('6100').some((l) => l.leg.state === 'alerting')).toBe(true);
    login('1002', '0002');
    pbx.placeExternalCall({ from: '2198765456', to: '0002' });
    pbx.answer('0002');
    expect(acd.mediaServerLost()).toBe(1);
    expect(events.at(-1)?.event).toMatchObject({ type: 'HANGUP', reason: 'MSGONE', agent: 'default_1002' });
  });

  it('agent-to-agent: each agent gets its own events (OUTBOUND for the caller, INBOUND for the callee)', () => {
    login('1001', '0001');
    login('1002', '0002');
    pbx.makeCall('0001', '0002');
    pbx.answer('0002');
    pbx.drop('0001');
    expect(events.filter((e) => e.event.agent === 'default_1001' && e.event.type === 'NEWCALL')[0]?.event).toMatchObject({ direction: 'OUTBOUND', callerid: '0002' });
    expect(events.filter((e) => e.event.agent === 'default_1002' && e.event.type === 'NEWCALL')[0]?.event).toMatchObject({ direction: 'INBOUND', callerid: '0001' });
    expect(events.filter((e) => e.event.type === 'HANGUP').map((e) => `${e.event.agent} ${e.event.reason}`).sort()).toEqual(['default_1001 BYCALLER', 'default_1002 BYCALLER']);
  });

  it('SIP users: add with aliases (call_limit), info in JSON spelling, list, delete; validation 5', () => {
    expect(call('SipUserAdd', { accountcode: 'default', name: '1010', call_limit: '2', ignoreexpire: 'yes', secret: 's' }).code).toBe(0);
    const info = call('SipUserInfo', { accountcode: 'default', name: '1010' }).json as Record<string, unknown>;
    expect(info).toMatchObject({ name: 'default_1010', 'call-limit': 2, ignoreregexpire: 'yes', secret: 's', context: 'instantvoice_agent', host: 'dynamic' });
    expect(call('SipUserList', { accountcode: 'default' }).json).toEqual(['0001', '0002', '0003', '1111', '1010']);
    expect(call('SipUserAdd', { accountcode: 'default', name: '1011', nat: 'maybe' }).code).toBe(5);
    expect(call('SipUserAdd', { accountcode: 'default', name: '1010' }).code).toBe(4);
    expect(call('SipUserDelete', { accountcode: 'default', name: '1010' }).code).toBe(0);
  });

  it('queues: delete with members 6; modify renames memberships; reset restores the fixture', () => {
    expect(call('QueueDelete', { accountcode: 'default', name: '1' }).code).toBe(6);
    expect(call('QueueModify', { original_accountcode: 'default', original_name: '5', name: '55' }).code).toBe(0);
    expect(call('AgentQueueList', { accountcode: 'default', user: '0001' }).json).toEqual([{ name: 55, priority: 0 }]);
    acd.reset();
    expect(call('AgentQueueList', { accountcode: 'default', user: '0001' }).json).toEqual([{ name: 5, priority: 0 }]);
  });
});
