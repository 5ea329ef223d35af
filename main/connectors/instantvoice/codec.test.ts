// The InstantVoice codec against every literal example of the manual (digest §2–§5), the return
// codes (§6), destinations (§2.5) and bad inputs.
import { describe, expect, it } from 'vitest';
import {
  agentTopic,
  ALL_AGENTS_TOPIC,
  buildIvwsRequest,
  decodeEvent,
  decodeIvwsNameList,
  decodeIvwsRecord,
  decodeIvwsRecordList,
  decodeIvwsRequest,
  decodeIvwsResponse,
  decodeIvwsStatus,
  decodeLocationReply,
  decodeNameListReply,
  decodePollEvents,
  decodeRecordListReply,
  decodeRecordReply,
  decodeReply,
  decodeRequest,
  decodeStatusReply,
  describeCode,
  encodeRequest,
  isIvMethod,
  ivMethods,
  ivReturnCodes,
  ivwsSoapAction,
  matchReply,
  parseAgentTopic,
  parseJson,
  replyTopic,
  REQUEST_QUEUE,
  requests,
  stripAccountPrefix,
  unwrapPythonTuple,
  type Decoded,
  type IvArgs,
  type IvMethod,
} from './codec.js';
import { example, manualExamples } from './manual-examples.js';

const ok = <T>(r: Decoded<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.value;
};
const err = <T>(r: Decoded<T>): { kind: string; message: string; code?: number; codeName?: string } => {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
};
const byKind = (kind: string) => manualExamples.filter((e) => e.kind === kind);
const at = (line: number) => {
  const e = manualExamples.find((x) => x.lines[0] === line);
  if (!e) throw new Error(`no example at L${line}`);
  return e;
};

describe("the manual's literal examples are kept byte-exact", () => {
  it('has all 107 examples, typos and invalid JSON included', () => {
    expect(manualExamples).toHaveLength(107);
    expect(byKind('request')).toHaveLength(42);
    expect(byKind('reply')).toHaveLength(12);
    expect(byKind('soapRequest')).toHaveLength(41);
    expect(byKind('soapResponse')).toHaveLength(10);
    expect(at(1756).text).toBe("[0, ['1002', '1004', '0015', '7021'] ]");
    expect(at(820).text).toContain('"user":"0001"\n');
    expect(at(508).text).toContain(' mlns:plnk=');
    expect(at(1544).text).toContain('"NewCall"');
    for (const e of manualExamples) expect(e.lines[1]).toBeGreaterThanOrEqual(e.lines[0]);
  });
});

// Request examples that are not valid JSON (digest §7 #14), by first line, with the typed error.
const invalidStrict: Record<number, 'trailingComma' | 'badJson'> = {
  820: 'badJson', // AgentQueueAdd: comma missing after "user":"0001"
  1112: 'trailingComma', // AgentDeletePermission
  1200: 'trailingComma', // AgentInfoPermission
  1239: 'trailingComma', // AgentLogin
  1273: 'trailingComma', // AgentLogoff
  1342: 'trailingComma', // AgentUnpause
  1505: 'badJson', // NewCallBack: "Queue_id": "1',
  1986: 'badJson', // SipUserAdd: missing commas
  2067: 'badJson', // SipUserModify: missing commas
  2372: 'trailingComma', // SipUserDeletePermission
  2460: 'trailingComma', // SipUserInfoPermission
};

describe('STOMP request examples', () => {
  for (const e of byKind('request')) {
    const bad = invalidStrict[e.lines[0]];
    it(`L${e.lines[0]}–${e.lines[1]} ${e.section}`, () => {
      const strict = decodeRequest(e.text, { tolerant: false });
      if (bad) {
        const x = err(strict);
        expect(x.kind).toBe('badJson');
        expect(x.message).toMatch(bad === 'trailingComma' ? /trailing comma/ : /invalid JSON/);
        const lenient = decodeRequest(e.text);
        if (bad === 'badJson') {
          expect(err(lenient).kind).toBe('badJson');
          return;
        }
        expect(ok(lenient).lenient).toBe(true);
      }
      const d = ok(decodeRequest(e.text));
      expect(isIvMethod(d.method)).toBe(true);
      const enc = encodeRequest({ method: d.method as IvMethod, key: d.key, args: d.args as IvArgs, ...(d.identifier !== null ? { identifier: d.identifier } : {}) });
      if (e.lines[0] === 1544) {
        // Hangup's example is named NewCall (§7 #12): as NewCall it lacks Agent and Exten.
        expect(d.method).toBe('NewCall');
        expect(err(enc).kind).toBe('missingArgument');
        return;
      }
      const text = ok(enc);
      // Round trip: the same arguments, and for strictly valid examples the same JSON (numbers included).
      expect(ok(decodeRequest(text)).args).toEqual(d.args);
      if (!bad) expect(JSON.parse(text)).toEqual(JSON.parse(e.text));
    });
  }
});

describe('request builders (what the desktop sends)', () => {
  const K = 'f054bbd2f5ebab9';
  it('login, logoff, pause, unpause match the manual (L320, L1239, L1273, L1308, L1342)', () => {
    const login = ok(requests.agentLogin({ key: K, accountcode: 'default', agent: '1001', interface: 'SIP/default_0001', identifier: 'key1234' }));
    expect(JSON.parse(login)).toEqual(JSON.parse(at(320).text));
    expect(ok(decodeRequest(login)).args).toEqual(ok(decodeRequest(at(1239).text)).args);
    expect(ok(decodeRequest(ok(requests.agentLogoff({ key: K, accountcode: 'default', agent: '1001' })))).args).toEqual(ok(decodeRequest(at(1273).text)).args);
    expect(JSON.parse(ok(requests.agentPause({ key: K, accountcode: 'default', agent: '1001', reason: '1' })))).toEqual(JSON.parse(at(1308).text));
    expect(ok(decodeRequest(ok(requests.agentUnpause({ key: K, accountcode: 'default', agent: '1001' })))).args).toEqual(ok(decodeRequest(at(1342).text)).args);
  });
  it('new call, blind transfer, hang up, SMS (L1415, L1377, L1544 fixed, L1456)', () => {
    expect(JSON.parse(ok(requests.newCall({ key: K, accountcode: 'default', agent: '1001', exten: '6100', externalId: '9999' })))).toEqual(JSON.parse(at(1415).text));
    expect(JSON.parse(ok(requests.blindTransfer({ key: K, accountcode: 'default', agent: '1001', exten: '6100' })))).toEqual(JSON.parse(at(1377).text));
    const hang = JSON.parse(ok(requests.hangup({ key: K, accountcode: 'default', uniqueid: '1286208779.1.30' }))) as unknown[];
    expect(hang).toEqual(['Hangup', ...(JSON.parse(at(1544).text) as unknown[]).slice(1)]);
    expect(JSON.parse(ok(requests.sendSms({ key: 'mykey', accountcode: 'default', number: '552188283288', text: 'Hi there!' })))).toEqual(JSON.parse(at(1456).text));
  });
  it('supervisor queries', () => {
    expect(ok(requests.agentList({ key: K, accountcode: 'default', identifier: 'a' }))).toBe('["AgentList","f054bbd2f5ebab9",{"accountcode":"default"},"a"]');
    expect(ok(requests.queueInfo({ key: K, accountcode: 'default', queue: '7015' }))).toBe('["QueueInfo","f054bbd2f5ebab9",{"accountcode":"default","name":"7015"}]');
    expect(ok(requests.agentQueueMembers({ key: '1234', accountcode: 'default', queue: '1' }))).toBe(JSON.stringify(JSON.parse(at(1028).text)));
    for (const b of [requests.agentInfo, requests.agentLineList, requests.agentQueueList, requests.agentInfoPermission]) ok(b({ key: K, accountcode: 'default', user: '0001' }));
    ok(requests.queueList({ key: K, accountcode: 'default' }));
    ok(requests.sipUserList({ key: K, accountcode: 'default' }));
    ok(requests.sipUserInfo({ key: K, accountcode: 'default', name: '0001' }));
    ok(requests.newCallBack({ key: K, accountcode: 'default', ruleid: '1', mcdu: '6100', originator: '2177277722', language: 'pt_BR' }));
  });
  it('keeps ids as strings: leading zeros, queue names with a zero stay quoted', () => {
    expect(ok(requests.agentInfo({ key: K, accountcode: 'default', user: '0612345678' }))).toContain('"user":"0612345678"');
    expect(ok(requests.raw('QueueAdd', { key: K }, { accountcode: 'default', name: '0015' }))).toContain('"name":"0015"');
    expect(ok(requests.raw('QueueAdd', { key: K }, { accountcode: 'default', name: '7015' }))).toContain('"name":7015');
  });
  it('refuses bad keys, missing arguments, unknown methods', () => {
    expect(err(requests.agentList({ key: 'a'.repeat(21), accountcode: 'd' })).kind).toBe('badArgument');
    expect(err(requests.agentList({ key: 'bad key', accountcode: 'd' })).kind).toBe('badArgument');
    expect(err(requests.agentLogin({ key: K, accountcode: 'default', agent: '1001', interface: '' })).kind).toBe('missingArgument');
    expect(err(encodeRequest({ method: 'Nope' as IvMethod, key: K, args: {} })).kind).toBe('badArgument');
    expect(ivMethods).toHaveLength(41);
  });
  it('escapes hostile text', () => {
    const t = ok(requests.sendSms({ key: K, accountcode: 'default', number: '1', text: '"]},{"x\u2028\n' }));
    expect((JSON.parse(t) as [string, string, { Text: string }])[2].Text).toBe('"]},{"x\u2028\n');
  });
});

describe('destinations (§2.2–§2.5)', () => {
  it('names the queue and topics', () => {
    expect(REQUEST_QUEUE).toBe('/queue/config');
    expect(replyTopic('f054bbd2f5ebab9')).toBe('/topic/f054bbd2f5ebab9');
    expect(agentTopic('default', '1001')).toBe('/topic/iv.agents.default_1001');
    expect(ALL_AGENTS_TOPIC).toBe('/topic/iv.agents.#');
    expect(parseAgentTopic('/topic/iv.agents.default_1001')).toEqual({ username: 'default_1001', accountcode: 'default', agent: '1001' });
    expect(parseAgentTopic('iv.agents.instant_304512')?.agent).toBe('304512');
    expect(parseAgentTopic('/topic/iv.agents.my_acct_0001')).toEqual({ username: 'my_acct_0001', accountcode: 'my_acct', agent: '0001' });
    expect(parseAgentTopic(ALL_AGENTS_TOPIC)).toBeNull();
    expect(parseAgentTopic('/topic/f054bbd2f5ebab9')).toBeNull();
    expect(stripAccountPrefix('default_7012', 'default')).toBe('7012');
    expect(stripAccountPrefix('7012', 'default')).toBe('7012');
  });
});

describe('STOMP reply examples', () => {
  it('L333 status reply with its identifier, matched to the pending request', () => {
    const r = ok(decodeReply(at(333).text));
    expect(r).toMatchObject({ code: 0, codeName: 'SUCCESS', description: 'Successful QueueAdd', identifier: 'key1234', lenient: false });
    expect(matchReply(r, new Map([['key1234', 'login']]))).toBe('login');
    expect(matchReply(r, new Map([['other', 'x']]))).toBeNull();
    expect(ok(decodeStatusReply(at(333).text))).toBe('Successful QueueAdd');
  });
  it('L482 AgentList: bare numbers kept as their text', () => {
    expect(ok(decodeNameListReply(at(482).text))).toEqual(['1234', '5678', '6666', '1111', '7777']);
  });
  it('L1756 QueueList and L2163 SipUserList: Python single quotes (lenient), leading zeros kept', () => {
    expect(ok(decodeNameListReply(at(1756).text))).toEqual(['1002', '1004', '0015', '7021']);
    expect(ok(decodeReply(at(1756).text)).lenient).toBe(true);
    expect(err(decodeReply(at(1756).text, { tolerant: false })).kind).toBe('badJson');
    expect(ok(decodeNameListReply(at(2163).text))).toEqual(['instantvoice', '0001', '0002', '0003', '0004']);
  });
  it('L540 AgentInfo, L1823 QueueInfo, L2259 SipUserInfo records', () => {
    const a = ok(decodeRecordReply(at(540).text));
    expect(a).toMatchObject({ agentstatus: 'LOGOFF', user: 'default_1234', disabled: '0', id: '2', reasons_reason: 'test', interface: 'n/a' });
    const q = ok(decodeRecordReply(at(1823).text));
    expect(q).toMatchObject({ name: 'default_7012', sl_answeredbefore_3: '90', agents_total: '0', sl_w1_a1: null, description: 'Technical Support Queue' });
    const s = ok(decodeRecordReply(at(2259).text));
    expect(s).toMatchObject({ 'call-limit': '0', ignoreregexpire: 'no', callerid: null });
  });
  it('L757 AgentLineList, L970 AgentQueueList, L1039 AgentQueueMembers', () => {
    const lines = ok(decodeRecordListReply(at(757).text));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ linenumber: '1', linestatus: 'IDLE', uniqueid: '' });
    expect(ok(decodeRecordListReply(at(970).text))).toEqual([{ name: '1', priority: '0' }, { name: '2', priority: '0' }]);
    expect(ok(decodeRecordListReply(at(1039).text))).toEqual([{ priority: '0', user: '0001' }, { priority: '0', user: '0002' }]);
  });
  it('L1211 and L2471 permission group', () => {
    expect(ok(decodeLocationReply(at(1211).text))).toBe('123');
    expect(ok(decodeLocationReply(at(2471).text))).toBe('123');
  });
  it('every reply example decodes', () => {
    for (const e of byKind('reply')) expect(ok(decodeReply(e.text)).code).toBe(0);
  });
  it('error replies become typed returnCode errors', () => {
    const r = ok(decodeReply('[9,"Unauthorized","k1"]'));
    expect(r).toMatchObject({ code: 9, codeName: 'RESPONSE_UNAUTHORIZED', identifier: 'k1' });
    expect(err(decodeStatusReply('[3,"Not found","t"]'))).toMatchObject({ kind: 'returnCode', code: 3, codeName: 'RESPONSE_NOT_FOUND' });
    expect(err(decodeNameListReply('[1000,"down"]'))).toMatchObject({ code: 1000, codeName: 'RESPONSE_UNDEFINED' });
    expect(err(decodeRecordReply('[-1,"x"]'))).toMatchObject({ code: -1, codeName: 'DAC_OFFLINE' });
    expect(ok(decodeReply('[0,[1,2],"abc"]')).identifier).toBe('abc');
    expect(ok(decodeReply('[0,[1,2]]')).identifier).toBeNull();
    // The value model keeps numbers as text, so a quoted code reads the same as a bare one.
    expect(ok(decodeReply('["3","x"]')).code).toBe(3);
  });
  it('rejects malformed replies with a typed error', () => {
    for (const [body, kind] of [
      ['{}', 'badShape'], ['[]', 'badShape'], ['["x","x"]', 'badShape'], ['[0.5,"x"]', 'badShape'], ['[0,"x",{}]', 'badShape'], ['[0,"x","y","z"]', 'badShape'],
      ['[0,', 'badJson'], ['', 'badJson'], ['[0,"x"] trailing', 'badJson'], ['[' .repeat(100), 'tooDeep'],
    ] as const) expect(err(decodeReply(body)).kind).toBe(kind);
    expect(err(decodeReply(new Uint8Array([0x5b, 0xff, 0x5d]))).kind).toBe('encoding');
    expect(err(decodeReply(`[0,"${'x'.repeat(100)}"]`, { maxBytes: 50 })).kind).toBe('tooLarge');
    expect(err(decodeReply(new Uint8Array(60), { maxBytes: 50 })).kind).toBe('tooLarge');
    expect(err(decodeLocationReply('[0,[1]]')).kind).toBe('badShape');
    expect(err(decodeRecordReply('[0,{"a":{"b":1}}]')).kind).toBe('badShape');
  });
});

describe('JSON value model', () => {
  it('never turns numbers into JS numbers', () => {
    expect(err(parseJson('{"n":0612345678}')).kind).toBe('badJson'); // a leading zero is not JSON
    expect(ok(parseJson('[12345678901234567890, 1.50, true, null, "\\u00e9"]')).value).toEqual(['12345678901234567890', '1.50', 'true', null, 'é']);
    const p = ok(parseJson('{"__proto__":{"x":"1"}}')).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.keys(p)).toEqual(['__proto__']);
    expect(ok(parseJson('\ufeff[0]')).value).toEqual(['0']);
  });
});

describe('events (§2.5, §5)', () => {
  it('L2480 NEWCALL example', () => {
    const e = ok(decodeEvent(example('Receiving Call Events', 'event').text));
    expect(e).toMatchObject({ kind: 'call', type: 'NEWCALL', leg: 'agent', phase: 'offered', direction: 'outbound', callerid: '1234', uniqueid: '1282779516.1.6', hangupReason: null });
    expect(e.agent).toEqual({ username: 'default_1001', accountcode: 'default', agent: '1001' });
  });
  it('L272 PollEvents: the `{ ... }` placeholder makes it invalid JSON; without it, three events', () => {
    const text = example('PollEvents', 'pollEvents').text;
    expect(err(decodePollEvents(text)).kind).toBe('badJson');
    const fixed = text.replace(/,\{\n\s*\.\.\.\n\}/, '');
    const r = ok(decodePollEvents(fixed));
    expect(r.rejected).toEqual([]);
    expect(r.events.map((e) => [e.type, e.kind === 'call' ? e.direction : null])).toEqual([['NEWCALL', 'outbound'], ['NEWCALL', 'inbound'], ['HANGUP', null]]);
    const partial = ok(decodePollEvents('[{"type":"LOGIN","agent":"default_1001"},{"type":"x"},3]'));
    expect(partial.events).toHaveLength(1);
    expect(partial.rejected.map((x) => x.index)).toEqual([1, 2]);
  });
  const ev = (o: Record<string, unknown>) => ok(decodeEvent(JSON.stringify({ direction: '', callerid: '', uniqueid: '', agent: 'default_1001', ...o })));
  it('every type, both directions, both legs', () => {
    expect(ev({ type: 'NEWCALL', direction: 'INBOUND', callerid: '2198765456' })).toMatchObject({ kind: 'call', direction: 'inbound', callerid: '2198765456' });
    expect(ev({ type: 'CONNECT' })).toMatchObject({ leg: 'agent', phase: 'answered', direction: null });
    expect(ev({ type: 'DNEWCALL' })).toMatchObject({ leg: 'remote', phase: 'offered' });
    expect(ev({ type: 'DCONNECT' })).toMatchObject({ leg: 'remote', phase: 'answered' });
    expect(ev({ type: 'HANGUP', reason: 'BYCALLER' })).toMatchObject({ phase: 'ended', hangupReason: 'BYCALLER' });
    expect(ev({ type: 'HANGUP' })).toMatchObject({ hangupReason: null });
    expect(ev({ type: 'LOGIN' })).toMatchObject({ kind: 'agent', state: 'loggedIn', pauseDescription: null });
    expect(ev({ type: 'LOGOUT' })).toMatchObject({ kind: 'agent', state: 'loggedOut' });
    expect(ev({ type: 'PAUSE', direction: 'Lunch' })).toMatchObject({ kind: 'agent', state: 'paused', pauseDescription: 'Lunch' });
    expect(ev({ type: 'UNPAUSE' })).toMatchObject({ kind: 'agent', state: 'available' });
    expect(ev({ type: 'newcall' })).toMatchObject({ type: 'NEWCALL' });
    expect(ev({ type: 'TRANSFER' })).toMatchObject({ kind: 'unknown', type: 'TRANSFER' });
  });
  it('keeps a bare-number callerid as its text, fills missing fields with ""', () => {
    expect(ok(decodeEvent('{"type":"NEWCALL","agent":"default_1001","callerid":552188283288,"uniqueid":1282779516.1}'))).toMatchObject({ callerid: '552188283288', uniqueid: '1282779516.1', rawDirection: '' });
  });
  it('rejects what is not an event', () => {
    for (const b of ['[]', '{"agent":"a"}', '{"type":"NEWCALL"}', '{"type":"NEWCALL","agent":"a","callerid":{}}', 'nope']) expect(err(decodeEvent(b)).kind).toMatch(/badShape|badJson/);
  });
});

describe('IVWS SOAP (§3)', () => {
  for (const e of byKind('soapRequest')) {
    it(`L${e.lines[0]} ${e.section} request decodes and rebuilds to the same arguments`, () => {
      const d = ok(decodeIvwsRequest(e.text));
      expect(d.method).toBe(e.section);
      const built = ok(buildIvwsRequest(d.method as IvMethod, d.key, d.args as IvArgs));
      expect(ok(decodeIvwsRequest(built))).toEqual(d);
    });
  }
  it('renames JSON arguments to the SOAP spelling and numbers list items', () => {
    const xml = ok(buildIvwsRequest('AgentAdd', '1234', { accountcode: 'default', user: '0001', pass: '456', name: 'Foo Agent' }));
    expect(ok(decodeIvwsRequest(xml))).toEqual(ok(decodeIvwsRequest(at(358).text)));
    const lines = ok(buildIvwsRequest('AgentLineAdd', '1234', { accountcode: 'default', user: '0001', lines: [{ linenumber: '1', inbound: '0', outbound: '1' }, { linenumber: '2', inbound: '0', outbound: '1' }] }));
    expect(lines).toContain('<ivws:lines><line1><linenumber>1</linenumber>');
    expect(ok(decodeIvwsRequest(lines))).toEqual(ok(decodeIvwsRequest(at(572).text)));
    const bt = ok(buildIvwsRequest('BlindTransfer', 'f054bbd2f5ebab9', { Accountcode: 'default', Agent: 'default_1001', Exten: '6100' }));
    expect(ok(decodeIvwsRequest(bt))).toEqual(ok(decodeIvwsRequest(at(1362).text)));
    expect(ok(buildIvwsRequest('SendSms', 'k', { Accountcode: 'a', Number: '1', Text: '<&>' }))).toContain('<ivws:Text>&lt;&amp;&gt;</ivws:Text>');
    expect(err(buildIvwsRequest('AgentAdd', 'k', { accountcode: 'a' })).kind).toBe('missingArgument');
    expect(err(buildIvwsRequest('AgentAdd', 'k', { accountcode: 'a', user: '1', 'bad name': 'x' })).kind).toBe('badArgument');
    expect(ivwsSoapAction('AgentLogin')).toBe('"AgentLogin"');
  });
  it('L508 AgentInfo (mlns typos), L935 AgentQueueList, L1008 AgentQueueMembers, L722 AgentLineList', () => {
    expect(ok(decodeIvwsRecord(at(508).text))).toEqual({ pass: '456', accountcode: 'default', agents_id: '22', name: 'Foo Agent', user: '0001' });
    expect(ok(decodeIvwsRecordList(at(935).text))).toEqual([{ priority: '0', name: '1' }, { priority: '0', name: '2' }]);
    expect(ok(decodeIvwsRecordList(at(1008).text))).toEqual([{ priority: '0', user: '0001' }]);
    expect(ok(decodeIvwsRecordList(at(722).text))).toEqual([{ accountcode: 'default', outbound: '1', inbound: '1', linestatus: 'IDLE', linenumber: '1', linestatusts: null }]);
  });
  it('L1725 QueueList, L2132 SipUserList (tuple reprs), L1782 QueueInfo, L2189 SipUserInfo', () => {
    expect(ok(decodeIvwsNameList(at(1725).text))).toEqual(['1000', '1', '2000', '2341', '10666']);
    expect(ok(decodeIvwsNameList(at(2132).text))).toEqual(['instantvoice', '0001', '0002', '0003', '0004']);
    expect(ok(decodeIvwsRecord(at(1782).text))).toMatchObject({ requiresendinfo: 'no', dialtimeout: '9991', name: '1000' });
    expect(ok(decodeIvwsRecord(at(2189).text))).toMatchObject({ 'call-limit': '0', fullcontact: null, port: '5060' });
    expect(unwrapPythonTuple("('a',)")).toBe('a');
    expect(unwrapPythonTuple('plain')).toBe('plain');
  });
  it('L1182 and L2442 *InfoPermission carry a code', () => {
    for (const l of [1182, 2442]) {
      const r = ok(decodeIvwsResponse(at(l).text));
      expect(r.code).toBe(0);
      expect(ok(decodeIvwsRecord(at(l).text)).location).toBe('123');
    }
  });
  it('every response example decodes', () => {
    for (const e of byKind('soapResponse')) expect(ok(decodeIvwsResponse(e.text)).method).toBe(e.section);
  });
  const env = (inner: string) => `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
  it('write-method status [SIM], faults and non-zero codes', () => {
    expect(ok(decodeIvwsStatus(env('<AgentLoginResponse><AgentLoginResult xsi:type="xs:integer">0</AgentLoginResult></AgentLoginResponse>')))).toBe(0);
    expect(err(decodeIvwsStatus(env('<AgentLoginResponse><AgentLoginResult>3</AgentLoginResult></AgentLoginResponse>')))).toMatchObject({ kind: 'returnCode', code: 3 });
    expect(err(decodeIvwsRecord(env('<AgentInfoResponse><AgentInfoResult><code>-1</code></AgentInfoResult></AgentInfoResponse>')))).toMatchObject({ code: -1, codeName: 'DAC_OFFLINE' });
    expect(err(decodeIvwsStatus(env('<SOAP-ENV:Fault><faultcode>x</faultcode><faultstring>boom</faultstring></SOAP-ENV:Fault>')))).toMatchObject({ kind: 'fault', message: 'SOAP fault: boom' });
    expect(ok(decodeIvwsNameList(env('<QueueListResponse><QueueListResult type="tns:integerArray"/></QueueListResponse>')))).toEqual([]);
    expect(ok(decodeIvwsNameList(env('<QueueListResponse><QueueListResult type="tns:integerArray"><integer>0015</integer></QueueListResult></QueueListResponse>')))).toEqual(['0015']);
  });
  it('XML safety: no DOCTYPE/entities, values as strings, caps', () => {
    const bomb = '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + env('<R><XResult>&a;</XResult></R>');
    expect(err(decodeIvwsResponse(bomb)).kind).toBe('badXml');
    expect(ok(decodeIvwsResponse(env('<XResponse><XResult>&amp;lt;&#65;&unknown;</XResult></XResponse>'))).result).toBe('&lt;A&unknown;');
    expect(ok(decodeIvwsResponse(env('<XResponse><XResult><n>0612345678</n><e>1e5</e></XResult></XResponse>'))).result).toEqual({ n: '0612345678', e: '1e5' });
    expect(err(decodeIvwsResponse('<a>'.repeat(100) + '</a>'.repeat(100))).kind).toBe('badXml');
    expect(err(decodeIvwsResponse(env('<x/>'), { maxBytes: 10 })).kind).toBe('tooLarge');
    expect(err(decodeIvwsResponse('<a><b></a>')).kind).toBe('badXml');
    expect(err(decodeIvwsResponse('<root/>')).kind).toBe('badShape');
    expect(err(decodeIvwsResponse(env(''))).kind).toBe('badShape');
    expect(err(decodeIvwsResponse('')).kind).toBe('badXml');
  });
});

describe('return codes (§6)', () => {
  it('maps every code of the manual to a name and a message', () => {
    const codes = Object.keys(ivReturnCodes).map(Number).sort((a, b) => a - b);
    expect(codes).toEqual([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1000, 9999]);
    for (const c of codes) expect(describeCode(c).message.length).toBeGreaterThan(5);
    expect(describeCode(12).name).toBe('RESPONSE_NO_LICENSE');
    expect(describeCode(9999).name).toBe('RESPONSE_INTERNAL_ERROR');
    expect(describeCode(42)).toMatchObject({ name: 'CODE_42' });
    expect(describeCode(Number('-0')).name).toBe('SUCCESS');
  });
});
