// The TWS codec against every literal example of the manual (digest §6), the return-code table
// (§5), the socket framing (§4.3) and bad inputs.
import { describe, expect, it } from 'vitest';
import {
  buildSoap,
  buildUrl,
  ccoFromValue,
  decodeAgentStateResult,
  decodeCallLog,
  decodeCallsSnapshot,
  decodeDevicesState,
  decodeForwardInfo,
  decodeEvent,
  decodeGetEventResult,
  decodeIntResult,
  decodeResult,
  decodeStringResult,
  decodeTokenResult,
  encodeKeepAlive,
  encodeOpenSession,
  encodeWebSocketOpen,
  EventFrameSplitter,
  KEEPALIVE_INTERVAL_MS,
  list,
  member,
  MESSAGE_SEPARATOR,
  parseTwsDate,
  parseXml,
  requests,
  returnCodeName,
  str,
  twsReturnCodes,
  type Decoded,
  type TwsEvent,
  type TwsRequest,
} from './codec.js';
import { manual, manualJsonResults, manualMarkdownUrls, manualUrls, unpage } from './manual-examples.js';

const ok = <T>(r: Decoded<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`);
  return r.value;
};
const err = <T>(r: Decoded<T>): { kind: string; message: string; code?: number; codeName?: string } => {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
};
const ev = (text: string): TwsEvent => ok(decodeEvent(unpage(text)));

describe("the manual's literal examples are kept byte-exact", () => {
  it('keeps trailing spaces, page-break fences and OCR damage', () => {
    expect(manual.tokenUserXml.text).toContain('<?xml version="1.0"?>  \n');
    expect(manual.tokenUserXml.text).toContain('```');
    expect(manual.devicesStateXml.text).toContain('<a>Type>cti</a>Type>');
    expect(manual.socketCallCleared.text).toContain('<ExternalUserInfo<ns0:Infos');
    expect(manual.separatorRule.text).toContain('« 82E51812-45C9-4733 » + 0');
    expect(manualJsonResults).toHaveLength(27);
    expect(manualUrls.length + manualMarkdownUrls.length).toBe(65);
  });
});

describe('JSON results (§6.3, L652–L1908)', () => {
  it('reads the single …Result member whatever its spelling, and maps every code', () => {
    for (const ex of manualJsonResults) {
      const r = ok(decodeResult(ex.text, 'json'));
      expect(r.key.endsWith('Result')).toBe(true);
      if (ex.lines[0] === 652) {
        expect(ok(decodeStringResult(ex.text, 'json'))).toBe('4031');
        continue;
      }
      const n = ok(decodeIntResult(ex.text, 'json'));
      expect(n.code).toBe(ex.lines[0] >= 1907 ? 3 : 0);
    }
  });

  it('keeps misspelled keys as sent (by / Avtive)', () => {
    expect(ok(decodeResult('{ "TWS_AnswerCallQueuedbyDefaultDeviceResult":0 }', 'json')).key).toBe('TWS_AnswerCallQueuedbyDefaultDeviceResult');
    expect(ok(decodeIntResult('{ "TWS_ConsultationCallAvtiveByDefaultDeviceResult":0 }', 'json')).name).toBe('ok');
  });

  it('maps QueryAgentState ordinals to EPresenceAgent (L1907–1913)', () => {
    expect(ok(decodeAgentStateResult('{ "TWS_QueryAgentStateResult":3}', 'json'))).toEqual({ code: 3, state: 'NotReady' });
    expect(ok(decodeAgentStateResult('{"TWS_QueryAgentStateResult":5}', 'json')).state).toBe('WorkingAfterCall');
    expect(err(decodeAgentStateResult('{"TWS_QueryAgentStateResult":-4}', 'json')).codeName).toBe('deviceNotFound');
  });

  it('keeps numbers as strings: 0612345678, big ints, decimals', () => {
    expect(ok(decodeStringResult('{"TWS_NormalizeNumberResult":"0612345678"}', 'json'))).toBe('0612345678');
    expect(ok(decodeResult('{"XResult":12345678901234567890}', 'json')).value).toBe('12345678901234567890');
    expect(ok(decodeResult('{"XResult":[1.50,true,null]}', 'json')).value).toEqual(['1.50', 'true', null]);
    expect(err(decodeResult('{"XResult":0612345678}', 'json')).kind).toBe('malformed');
  });

  it('treats null and a nil string alike (GetCallData, NormalizeNumber on a bad token)', () => {
    expect(ok(decodeStringResult('{"TWS_GetCallDataResult":null}', 'json'))).toBeNull();
    expect(ok(decodeStringResult('{"TWS_GetCallDataResult":"Order 42;vip"}', 'json'))).toBe('Order 42;vip');
  });
});

describe('dates (§1.5, §1.6)', () => {
  it('reads .NET round-trip, ISO Z, WCF JSON dates; MinValue is unknown', () => {
    expect(parseTwsDate('2017-06-10T14:11:28.8696341+02:00')).toBe(Date.UTC(2017, 5, 10, 12, 11, 28, 869));
    expect(parseTwsDate('2016-11-14T10:40:12.736Z')).toBe(Date.UTC(2016, 10, 14, 10, 40, 12, 736));
    expect(parseTwsDate('\\/Date(1372690748787+0200)\\/')).toBe(1372690748787);
    expect(parseTwsDate('/Date(1372690748787)/')).toBe(1372690748787);
    expect(parseTwsDate('0001-01-01T00:00:00')).toBeNull();
    expect(parseTwsDate('2012-05-')).toBeNull();
    expect(parseTwsDate(null)).toBeNull();
  });
});

describe('return codes (§5.2)', () => {
  it('has the 47 codes of the table', () => {
    expect(Object.keys(twsReturnCodes)).toHaveLength(47);
    expect(returnCodeName(-29)).toBe('actionFailed');
    expect(returnCodeName(-3)).toBe('connectionNotFound');
    expect(returnCodeName(-9999)).toBe('error-9999');
  });

  it('maps every negative code to a typed error and >= 0 to success', () => {
    for (const [name, code] of Object.entries(twsReturnCodes)) {
      const r = decodeIntResult(`{"TWS_HoldCallActiveResult":${code}}`, 'json');
      if (code < 0) expect(err(r)).toMatchObject({ kind: 'returnCode', code, codeName: name });
      else expect(ok(r)).toMatchObject({ code, name });
    }
    expect(err(decodeIntResult('{"TWS_MakeCallResult":-7777}', 'json'))).toMatchObject({ kind: 'returnCode', code: -7777, codeName: 'error-7777' });
  });

  it('reads codes from XML and SOAP too', () => {
    const xml = '<TWS_MakeCallResponse xmlns="http://tempuri.org/"><TWS_MakeCallResult>-44</TWS_MakeCallResult></TWS_MakeCallResponse>';
    expect(err(decodeIntResult(xml, 'xml')).codeName).toBe('tokenNotFound');
    const soap =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><TWS_MakeCallResponse xmlns="http://tempuri.org/"><TWS_MakeCallResult>20</TWS_MakeCallResult></TWS_MakeCallResponse></s:Body></s:Envelope>';
    expect(ok(decodeIntResult(soap, 'soap'))).toMatchObject({ code: 20, name: 'makeCallMobile' });
  });

  it('rejects a non-integer code', () => {
    expect(err(decodeIntResult('{"TWS_MakeCallResult":"x"}', 'json')).kind).toBe('badValue');
    expect(err(decodeIntResult('{"TWS_MakeCallResult":null}', 'json')).kind).toBe('badValue');
    expect(err(decodeIntResult('{"TWS_MakeCallResult":1.5}', 'json')).kind).toBe('badValue');
  });
});

describe('XML results (§6.3)', () => {
  it('decodes the user token response (L436–463)', () => {
    const t = ok(decodeTokenResult(unpage(manual.tokenUserXml.text), 'xml'));
    expect(t).toMatchObject({ token: 'string', userGuid: 'string', domainGuid: 'string', username: 'string', devices: ['string'] });
  });

  it('decodes the admin token response with unbound prefixes (L486–507)', () => {
    expect(ok(decodeTokenResult(unpage(manual.tokenAdminXml.text), 'xml'))).toMatchObject({ token: 'string', domainGuid: null, devices: [] });
  });

  it('decodes the ephemeral token response with nil UserGuid/Username (L544–562)', () => {
    expect(ok(decodeTokenResult(unpage(manual.tokenEphemeralXml.text), 'xml'))).toMatchObject({ token: 'string', userGuid: null, username: null });
  });

  it('turns Ok=false into a typed auth error with ErrorMessage (§5.4)', () => {
    const json = '{"TWS_GetMyToken2Result":{"AffectedDocuments":0,"ErrorMessage":"Invalid API key","InfoMessage":null,"Ok":false,"WasNew":false,"Result":null}}';
    expect(err(decodeTokenResult(json, 'json'))).toMatchObject({ kind: 'authRejected' });
    expect(err(decodeTokenResult(json, 'json')).message).toContain('Invalid API key');
    const ok2 = '{"TWS_GetMyToken2Result":{"Ok":true,"Result":{"Devices":["4694","0612345678"],"DomainGuid":"d","Guid":"0ab99936-a653-4b28-9e0f-c187d12b54ad","UserGuid":"u","Username":"hpiaple"}}}';
    expect(ok(decodeTokenResult(ok2, 'json'))).toMatchObject({ token: '0ab99936-a653-4b28-9e0f-c187d12b54ad', devices: ['4694', '0612345678'] });
  });

  it('decodes SearchPeople (L681–694)', () => {
    const v = ok(decodeResult(unpage(manual.searchPeopleXml.text), 'xml')).value;
    expect(str(v, 'Count')).toBe('2');
    expect(list(member(v, 'Results'))).toHaveLength(2);
    expect(member(v, 'ResultsGuids')).toBeNull();
  });

  it('decodes the damaged forward info tolerantly (L1477–1499) and rejects it strictly', () => {
    const text = unpage(manual.forwardInfoXml.text);
    const r = ok(decodeResult(text, 'xml'));
    expect(r.repaired).toBe(true);
    expect(r.value).toMatchObject({ Busy: '4002', Imm: '4001', NoAns: '', NoAnsExt: '', NoAnsInt: '', IsUpdated: 'true', PersonnalNumber: '' });
    expect(err(decodeResult(text, 'xml', { tolerant: false })).kind).toBe('malformed');
  });

  it('decodes GetDevicesState with the <a>Type> damage (L1594–1608)', () => {
    const r = ok(decodeResult(unpage(manual.devicesStateXml.text), 'xml'));
    expect(r.value).toEqual([{ Cluster: '2', Device: '1000', Provider: '192.1.3.251', Site: '1', State: 'Connected', Type: 'cti', vmNumber: '9999' }]);
  });

  it('decodes the call-log documents (L2023–2087)', () => {
    const docs = list(ok(decodeResult(unpage(manual.callLogXml.text), 'xml')).value);
    expect(docs).toHaveLength(1);
    const call = member(docs[0], 'Call');
    expect(str(docs[0], 'ActionType')).toBe('CALL');
    expect(str(call, 'IncomingCall')).toBe('1');
    expect(str(list(member(call, 'Speakers'))[0], 'Phone')).toBe('0141906666');
    expect(str(docs[0], 'CreateOn')).toBe('2016-11-14T10:40:12.712Z');
  });

  it('typed readers: forward info, devices state, call log, calls snapshot', () => {
    expect(ok(decodeForwardInfo(unpage(manual.forwardInfoXml.text), 'xml'))).toEqual({
      immediate: '4001', busy: '4002', noAnswer: null, internalBusy: null, externalBusy: null, noInternalAnswer: null, noExternalAnswer: null,
      immediateInternal: null, immediateExternal: null, isSoftPhone: false, isUpdated: true, personalNumber: null,
    });
    expect(ok(decodeForwardInfo('{"TWS_QueryDeviceForwardInfoResult":null}', 'json'))).toBeNull();
    expect(ok(decodeDevicesState(unpage(manual.devicesStateXml.text), 'xml'))).toEqual([
      { device: '1000', state: 'Connected', type: 'cti', provider: '192.1.3.251', cluster: '2', site: '1', voicemail: '9999' },
    ]);
    expect(ok(decodeDevicesState('{"TWS_GetDevicesStateResult":[]}', 'json'))).toEqual([]);
    const log = ok(decodeCallLog(unpage(manual.callLogXml.text), 'xml'));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ actionType: 'CALL', device: '1000', incomingCall: '1', success: '1', timeStart: '2016-11-14T10:40:12.712Z', speakers: [{ phone: '0141906666', cause: 'RINGING', firstname: null, personGuid: '58d83796-28d1-43ad-b1e3-ac88a5ee0b86' }] });
    expect(ok(decodeCallsSnapshot('{"TWS_QueryCCosByDeviceResult":null}', 'json'))).toBeNull();
    expect(ok(decodeCallsSnapshot('{"TWS_QueryCCosByDeviceResult":[]}', 'json'))).toEqual([]);
    expect(ok(decodeCallsSnapshot('{"TWS_QueryCCosByDeviceResult":[{"m_Connections":[{"m_connectionId":"c1","m_currentState":"held"}],"m_ccoId":"1","m_ccoState":"held"}]}', 'json'))).toMatchObject([{ ccoId: '1', state: 'held', connections: [{ connectionId: 'c1', state: 'held' }] }]);
  });

  it('reports service exceptions as typed faults (§1.7, §5.4)', () => {
    const soapFault =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="fr-FR">Security breach</faultstring></s:Fault></s:Body></s:Envelope>';
    expect(err(decodeResult(soapFault, 'soap'))).toMatchObject({ kind: 'fault', message: 'service exception: Security breach' });
    expect(err(decodeResult('{"Message":"Invalid event id"}', 'json')).kind).toBe('fault');
    expect(err(decodeResult('<Fault><Message>boom</Message></Fault>', 'xml')).message).toContain('boom');
  });

  it('decodes QueryCCosByDevice items (§3.2.5) with the same CCo reader as events', () => {
    const json =
      '{"TWS_QueryCCosByDeviceResult":[{"m_Connections":[{"m_connectionId":"c1","m_currentState":"established","m_Device":"4694","m_Users":[{"m_publicUserNumber":"0612345678"},null]}],"m_ccoId":"1","m_ccoState":"active","m_ccoType":"simplecall"}]}';
    const items = list(ok(decodeResult(json, 'json')).value).map(ccoFromValue);
    expect(items[0]).toMatchObject({ ccoId: '1', state: 'active', connections: [{ connectionId: 'c1', device: '4694', parties: [{ publicNumber: '0612345678' }] }] });
  });
});

describe('events: socket CGenericEvent and polling CTLKCallEvent decode to one model', () => {
  it('agent events (L1924–1966)', () => {
    const off = ev(manual.agentLoggedOff.text);
    expect(off).toMatchObject({ kind: 'agent', envelope: { source: 'socket', objectName: '1000', repaired: false }, agent: { agentId: '1000', agentGroup: '1100', agentDevice: null, state: 'LoggedOff', cause: null } });
    expect(ev(manual.agentReady.text)).toMatchObject({ kind: 'agent', agent: { state: 'Ready' } });
  });

  it('polling delivered / established / cleared (L2270–2665)', () => {
    const d = ev(manual.pollDelivered.text);
    const e = ev(manual.pollEstablished.text);
    const c = ev(manual.pollCleared.text);
    for (const x of [d, e, c]) expect(x).toMatchObject({ kind: 'call', envelope: { source: 'poll', root: 'CTLKCallEvent', objectName: '4694' } });
    if (d.kind !== 'call' || e.kind !== 'call' || c.kind !== 'call') throw new Error('kind');
    expect(d.envelope.repaired).toBe(true); // the spurious early </CGenericConnection>
    expect(d.ccos[0]).toMatchObject({ ccoId: '102', state: 'delivered', type: 'simplecall' });
    expect(d.ccos[0]?.connections[0]).toMatchObject({
      connectionId: 'c1102', state: 'delivered', eventReason: 'NameResolved', direction: 'incoming', device: '4694',
      callLogId: 'b0b40e79-b51a-4528-8d3c-0794cec8eabd', allowedActions: ['Answer'],
      parties: [{ publicNumber: '4594', firstname: 'test', lastname: 'Me', company: 'Algo', isRedList: false }],
    });
    expect(e.ccos[0]?.connections[0]).toMatchObject({ state: 'established', allowedActions: ['Hold', 'Release'], timeStart1: '2013-07-01T16:59:07.0562916+02:00' });
    expect(c.ccos[0]).toMatchObject({ state: 'free', type: 'free' });
    // Capitalised m_ConnectionDirection / m_PublicUserNumber (§7 #43).
    expect(c.ccos[0]?.connections[0]).toMatchObject({ state: 'cleared', reason: 'Idle', allowedActions: [], parties: [{ publicNumber: '4594', direction: 'incoming' }] });
  });

  it('socket CallEvent cleared (L2669–2911), malformed, decoded tolerantly to the same call', () => {
    const s = ev(manual.socketCallCleared.text);
    const p = ev(manual.pollCleared.text);
    if (s.kind !== 'call' || p.kind !== 'call') throw new Error('kind');
    expect(s.envelope).toMatchObject({ source: 'socket', root: 'CGenericEvent', eventType: 'CallEvent', repaired: true });
    const sc = s.ccos[0]?.connections[0];
    const pc = p.ccos[0]?.connections[0];
    for (const k of ['connectionId', 'state', 'reason', 'eventReason', 'direction', 'device', 'callLogId', 'timeStart', 'timeStart1', 'timeEnd'] as const) {
      expect(sc?.[k]).toBe(pc?.[k]);
    }
    expect(sc?.parties[0]).toMatchObject({ publicNumber: '4594', infoDisplay: 'test Me', personGuid: 'c3bb0324-a8f5-444c-8059-9797445a73de' });
    // Values broken across lines are joined (§6.7 #1); the called party is the monitored user.
    expect(sc?.calledParty).toMatchObject({ publicNumber: '4694', firstname: 'Hector', lastname: 'Piaple', guid: '5e3795ab-d8a1-464c-b9e8-e5cff19ebc93', isUser: true });
    expect(err(decodeEvent(unpage(manual.socketCallCleared.text), { tolerant: false })).kind).toBe('malformed');
  });

  it('socket CallSupervisionEvent cleared (L2915–3024), malformed, decoded tolerantly', () => {
    expect(ev(manual.socketSupervisionCleared.text)).toMatchObject({
      kind: 'supervision',
      envelope: { objectName: '4694', repaired: true },
      supervision: { connectionId: 'c165535', state: 'cleared', reason: 'Connected', device: '4594', deviceType: 'PROFESSIONAL', parties: [{ display: '****', infoDisplay: '****', direction: 'outgoing', publicNumber: '' }] },
    });
  });

  it('the examples decode straight from the seed text too (fences and blank lines left in)', () => {
    for (const k of ['agentLoggedOff', 'pollEstablished', 'socketCallCleared', 'socketSupervisionCleared'] as const) {
      const r = decodeEvent(manual[k].text.replace(/^```$/gm, ''));
      expect(r.ok).toBe(true);
    }
  });

  it('AUDIT keep-alive echoes, unknown and forward slots', () => {
    expect(ok(decodeEvent('<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>')).kind).toBe('audit');
    const fwd = ok(decodeEvent('<CGenericEvent><eventType>ForwardEvent</eventType><genericCallEvent i:nil="true" xmlns:i="x"/><genericForwardEvent><Imm>4001</Imm></genericForwardEvent></CGenericEvent>'));
    expect(fwd).toMatchObject({ kind: 'forward', payload: { Imm: '4001' } });
    expect(ok(decodeEvent('<CGenericEvent><eventType>RuleEvent</eventType><genericRuleEvent><x>1</x></genericRuleEvent></CGenericEvent>'))).toMatchObject({ kind: 'unknown', slot: 'genericRuleEvent' });
    expect(err(decodeEvent('<Other/>')).kind).toBe('unknownEvent');
    expect(err(decodeEvent('<CGenericEvent><eventType>CallEvent</eventType></CGenericEvent>')).kind).toBe('unknownEvent');
  });

  it('JSON events (§4.6.9) with AgentState as a name or an ordinal, a BOM, d7p1:nil', () => {
    const json = '{"creationDate":"2013-07-01T16:59:08.7876495+02:00","eventType":"CallEvent","genericCallEvent":{"m_Connections":[{"m_connectionId":"c1","m_currentState":"delivered","m_Users":[{"m_PublicUserNumber":"0612345678"},null]}],"m_ccoId":"102","m_ccoState":"delivered","m_ccoType":"simplecall"},"genericCallQueueEvent":null,"objectName":"4694"}';
    expect(ok(decodeEvent(json))).toMatchObject({ kind: 'call', ccos: [{ ccoId: '102', connections: [{ parties: [{ publicNumber: '0612345678' }] }] }] });
    expect(ok(decodeEvent('{"eventType":"CGenericAgentEvent","genericAgentEvent":{"AgentID":"1000","AgentState":3}}'))).toMatchObject({ agent: { state: 'NotReady', rawState: '3' } });
    const bom = `\ufeff${unpage(manual.agentReady.text)}`;
    expect(ok(decodeEvent(bom)).kind).toBe('agent');
  });

  it('TWS_GetEvent results: an event, or null on the 30 s timeout (§4.2)', () => {
    const inner = unpage(manual.pollEstablished.text).replace(/^<\?xml[^>]*\?>\n/, '');
    const soap = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><TWS_GetEventResponse xmlns="http://tempuri.org/"><TWS_GetEventResult>${inner}</TWS_GetEventResult></TWS_GetEventResponse></s:Body></s:Envelope>`;
    expect(ok(decodeGetEventResult(soap, 'soap'))).toMatchObject({ kind: 'call', envelope: { source: 'poll' } });
    const nil = '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><TWS_GetEventResponse xmlns="http://tempuri.org/"><TWS_GetEventResult i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/></TWS_GetEventResponse></s:Body></s:Envelope>';
    expect(ok(decodeGetEventResult(nil, 'soap'))).toBeNull();
    expect(ok(decodeGetEventResult('{"TWS_GetEventResult":null}', 'json'))).toBeNull();
    const flat = '{"TWS_GetEventResult":{"__type":"CTLKCallEvent:#Algoria","eventType":"CallEvent","genericCCOs":[{"m_Connections":[{"m_connectionId":"c9","m_currentState":"delivered"}],"m_ccoId":"9"}]}}';
    expect(ok(decodeGetEventResult(flat, 'json'))).toMatchObject({ kind: 'call', envelope: { root: 'CTLKCallEvent' }, ccos: [{ ccoId: '9' }] });
    // SOAP polymorphism [INF]: the result element itself is the event, typed by i:type, no eventType.
    const typed = '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><TWS_GetEventResponse xmlns="http://tempuri.org/"><TWS_GetEventResult i:type="a:CTLKCallEvent" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:a="x"><a:genericCCOs><a:CGenericCCo><a:m_Connections><a:CGenericConnection><a:m_connectionId>c7</a:m_connectionId></a:CGenericConnection></a:m_Connections></a:CGenericCCo></a:genericCCOs></TWS_GetEventResult></TWS_GetEventResponse></s:Body></s:Envelope>';
    expect(ok(decodeGetEventResult(typed, 'soap'))).toMatchObject({ kind: 'call', envelope: { root: 'CTLKCallEvent', source: 'poll' }, ccos: [{ connections: [{ connectionId: 'c7' }] }] });
  });
});

describe('bad inputs give typed errors', () => {
  it('malformed JSON and XML, empty, unknown roots', () => {
    expect(err(decodeResult('{"a":', 'json')).kind).toBe('malformed');
    expect(err(decodeResult('[1,2]', 'json')).kind).toBe('noResult');
    expect(err(decodeResult('{"a":1,"b":2}', 'json')).kind).toBe('noResult');
    expect(err(decodeResult('', 'xml')).kind).toBe('malformed');
    expect(err(decodeResult('<a><b></a>', 'xml', { tolerant: false })).kind).toBe('malformed');
    expect(err(decodeResult('not xml at all', 'xml')).kind).toBe('malformed');
    expect(err(decodeEvent('')).kind).toBe('malformed');
  });

  it('refuses DOCTYPE/entities and never expands them', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa">]><XResponse><XResult>&a;</XResult></XResponse>';
    expect(err(decodeResult(bomb, 'xml')).kind).toBe('malformed');
    expect(ok(decodeResult('<XResponse><XResult>a &amp; b &lt; &unknown;</XResult></XResponse>', 'xml')).value).toBe('a & b < &unknown;');
  });

  it('enforces the byte cap and the depth cap', () => {
    expect(err(decodeResult(`{"XResult":"${'x'.repeat(2000)}"}`, 'json', { maxBytes: 1000 })).kind).toBe('tooLarge');
    expect(err(decodeEvent(new Uint8Array(5000), { maxBytes: 1000 })).kind).toBe('tooLarge');
    expect(err(decodeResult(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`, 'xml')).kind).toBe('tooLarge');
    expect(err(decodeResult(`{"XResult":${'['.repeat(100)}${']'.repeat(100)}}`, 'json')).kind).toBe('tooLarge');
  });

  it('rejects invalid UTF-8 bytes', () => {
    expect(err(decodeResult(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'json')).kind).toBe('encoding');
  });

  it('keeps __proto__ members as plain data', () => {
    const v = ok(decodeResult('{"XResult":{"__proto__":{"polluted":"1"}}}', 'json')).value;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });
});

describe('TCP event framing (§4.3, §6.4)', () => {
  const token = '0ab99936-a653-4b28-9e0f-c187d12b54ad';

  it('encodes the open-session and keep-alive messages byte-exact (L309, L324, L328)', () => {
    const open = Buffer.from(encodeOpenSession(token)).toString('latin1');
    expect(open).toBe('<TWS_WaitForGenericEvent><tokenGuid>0ab99936-a653-4b28-9e0f-c187d12b54ad</tokenGuid></TWS_WaitForGenericEvent>82E51812-45C9-4733\u0000');
    expect(open).toBe(manual.openSession.text.replace('{token}', token).replace('{messageSeparator}', MESSAGE_SEPARATOR));
    const ka = Buffer.from(encodeKeepAlive());
    expect(ka.toString('latin1')).toBe(manual.keepAlive.text.replace('{messageSeparator}', MESSAGE_SEPARATOR));
    expect(ka[ka.length - 1]).toBe(0);
    expect(Buffer.from(MESSAGE_SEPARATOR, 'latin1')).toHaveLength(19);
    expect(KEEPALIVE_INTERVAL_MS).toBe(30_000);
    expect(encodeWebSocketOpen(` ${token}\n`)).toBe(token);
    expect(Buffer.from(encodeOpenSession('a<b')).toString()).toContain('<tokenGuid>a&lt;b</tokenGuid>');
  });

  it('splits frames on marker+NUL, marker alone or a lone NUL, across chunks', () => {
    const a = unpage(manual.agentReady.text);
    const b = unpage(manual.agentLoggedOff.text);
    const stream = Buffer.from(`${a}${MESSAGE_SEPARATOR}${b}82E51812-45C9-4733\n${a}\u0000  \u0000`);
    const s = new EventFrameSplitter();
    const items = [...s.push(stream.subarray(0, 7)), ...s.push(stream.subarray(7, a.length + 5)), ...s.push(stream.subarray(a.length + 5)), ...s.end()];
    expect(items.map((i) => i.kind)).toEqual(['frame', 'frame', 'frame']);
    const kinds = items.map((i) => (i.kind === 'frame' ? ok(decodeEvent(i.text)) : null)).map((e) => (e?.kind === 'agent' ? e.agent.state : null));
    expect(kinds).toEqual(['Ready', 'LoggedOff', 'Ready']);
  });

  it('reports an oversize frame once and resyncs on the next separator', () => {
    const s = new EventFrameSplitter({ maxFrameBytes: 100 });
    const out = [...s.push('x'.repeat(150)), ...s.push('y'.repeat(300)), ...s.push(`${MESSAGE_SEPARATOR}<ok/>${MESSAGE_SEPARATOR}`)];
    expect(out).toEqual([{ kind: 'oversize', limit: 100 }, { kind: 'frame', text: '<ok/>' }]);
    expect(s.pending).toBe(0);
  });

  it('discards a truncated frame at end of stream (§8 T20), reports bad UTF-8', () => {
    const s = new EventFrameSplitter();
    expect(s.push('<CGenericEvent><eventType>Call')).toEqual([]);
    expect(s.end()).toEqual([{ kind: 'truncated', bytes: 30 }]);
    expect(new EventFrameSplitter().push(Buffer.from([0xc3, 0x28, 0x00]))).toEqual([{ kind: 'badUtf8', bytes: 2 }]);
  });

  it('a marker split across chunks is still found', () => {
    const s = new EventFrameSplitter();
    const out = [...s.push('<a/>82E518'), ...s.push('12-45C9-4733'), ...s.push('\u0000<b/>82E51812-45C9-4733\u0000')];
    expect(out).toEqual([{ kind: 'frame', text: '<a/>' }, { kind: 'frame', text: '<b/>' }]);
  });
});

describe('request encoders (§3.1, §1.3, §1.4)', () => {
  const base = 'http://localhost:9001';
  const parse = (u: string): { path: string; fn: string; format: string; params: Map<string, string> } => {
    const url = new URL(u);
    const parts = url.pathname.split('/');
    return {
      path: parts.slice(0, -2).join('/').toLowerCase(),
      format: (parts[parts.length - 2] ?? '').toLowerCase(),
      fn: (parts[parts.length - 1] ?? '').toLowerCase(),
      params: new Map([...url.searchParams.entries()].map(([k, v]) => [k.toLowerCase(), v])),
    };
  };

  /** The manual URL's function and parameters -> our request. */
  const fromManual = (fn: string, p: Map<string, string>): TwsRequest | null => {
    const t = p.get('tokenguid') ?? p.get('guidtoken') ?? '';
    const dev = p.get('szdevice') ?? p.get('szfrom');
    const to = p.get('szto') ?? '';
    const call = p.get('szcall');
    const map: Record<string, () => TwsRequest> = {
      tws_getmyprofile: () => requests.getMyProfile({ token: t }),
      tws_normalizenumber: () => requests.normalizeNumber({ token: t, number: to }),
      tws_webstartmonitor: () => requests.startMonitor({ token: t, device: dev ?? '' }),
      tws_webstopmonitor: () => requests.stopMonitor({ token: t, device: dev ?? '' }),
      tws_webresetdevicemonitor: () => requests.resetMonitor({ token: t, device: dev ?? '' }),
      tws_makecallbydefaultdevice: () => requests.makeCall({ token: t, to }),
      tws_makecall: () => requests.makeCall({ token: t, device: dev ?? '', to }),
      tws_openmakecallbydefaultdevice: () => requests.openMakeCall({ token: t, to }),
      tws_openmakecall: () => requests.openMakeCall({ token: t, device: dev ?? '', to }),
      tws_bisbydefaultdevice: () => requests.redial({ token: t }),
      tws_bis: () => requests.redial({ token: t, device: dev ?? '' }),
      tws_answercallqueuedbydefaultdevice: () => requests.answer({ token: t }),
      tws_answercallqueued: () => requests.answer({ token: t, device: dev ?? '' }),
      tws_clearconnectionactivebydefaultdevice: () => requests.clear({ token: t }),
      tws_clearconnectionactive: () => requests.clear({ token: t, device: dev ?? '' }),
      tws_clearconnection: () => requests.clear({ token: t, device: dev ?? '', call: call ?? '' }),
      tws_divertcallqueuedbydefaultdevice: () => requests.divert({ token: t, to }),
      tws_divertcallqueued: () => requests.divert({ token: t, device: dev ?? '', to }),
      tws_divertcall: () => requests.divert({ token: t, device: dev ?? '', call: call ?? '', to }),
      tws_divertcallfromqueue: () => requests.divertFromQueue({ token: t, queue: dev ?? '', call: call ?? '', to }),
      tws_holdcallactivebydefaultdevice: () => requests.hold({ token: t }),
      tws_holdcallactive: () => requests.hold({ token: t, device: dev ?? '' }),
      tws_holdcall: () => requests.hold({ token: t, device: dev ?? '', call: call ?? '' }),
      tws_retrievecallheldbydefaultdevice: () => requests.retrieve({ token: t }),
      tws_retrievecallheld: () => requests.retrieve({ token: t, device: dev ?? '' }),
      tws_retrievecall: () => requests.retrieve({ token: t, device: dev ?? '', call: call ?? '' }),
      tws_consultationcallactivebydefaultdevice: () => requests.consult({ token: t, to: '3000' }),
      tws_consultationcallactive: () => requests.consult({ token: t, device: dev ?? '', call, to: '3000' }),
      tws_alternatecallactivebydefaultdevice: () => requests.alternate({ token: t }),
      tws_alternatecallactive: () => requests.alternate({ token: t, device: dev ?? '' }),
      tws_conferencecallactivebydefaultdevice: () => requests.conference({ token: t }),
      tws_conferencecallactive: () => requests.conference({ token: t, device: dev ?? '' }),
      tws_singlesteptransactivebydefaultdevice: () => requests.transfer({ token: t, to }),
      tws_singlesteptransactive: () => requests.transfer({ token: t, device: dev ?? '', to }),
      tws_singlesteptrans: () => requests.transfer({ token: t, device: dev ?? '', call: call ?? '', to }),
      tws_setforwardoff: () => requests.forwardOff({ token: t, userGuid: p.get('userguid') ?? '', type: 'immediate' }),
      tws_querydeviceforwardinfobydevice: () => requests.queryForward({ token: t, device: dev ?? '' }),
      tws_querydeviceforwardinfo: () => requests.queryForward({ token: t, userGuid: p.get('userguid') ?? '' }),
      tws_queryccosbydevice: () => requests.queryCalls({ token: t, device: dev ?? '' }),
      tws_getdevicesstate: () => requests.devicesState({ domainGuid: p.get('domainguid') ?? '', protocol: 'VTIXML', first: p.get('firstnumber') ?? '', last: p.get('lastnumber') ?? '' }),
      tws_setcalldata: () => requests.setCallData({ key: p.get('key') ?? '', data: p.get('data') ?? '', add: false }),
      tws_getcalldata: () => requests.getCallData({ key: p.get('key') ?? '' }),
      tws_changekeycalldata: () => requests.changeCallDataKey({ oldKey: p.get('oldkey') ?? '', newKey: p.get('newkey') ?? '' }),
      tws_parkcallactivebydefaultdevice: () => requests.park({ token: t, to }),
      tws_parkcall: () => requests.park({ token: t, device: dev ?? '', call: call ?? '', to }),
      tws_sendfacility: () => requests.unpark({ token: t, prefix: p.get('szprefix') ?? '', slot: to }),
      tws_agentlogin: () => requests.agentLogin({ token: t, device: dev ?? '', agentDevice: p.get('agentdevice') ?? '', agentId: p.get('agentid') ?? '', agentGroup: p.get('agentgroup') ?? '', password: p.get('password') ?? '' }),
      tws_agentlogout: () => requests.agentLogout({ token: t, device: dev ?? '', agentId: p.get('agentid') ?? '', password: p.get('password') ?? '' }),
      tws_setagentstate: () => requests.setAgentState({ token: t, agentId: p.get('agentid') ?? '', state: 'NotReady' }),
      tws_queryagentstatebydefaultdevice: () => requests.queryAgentState({ token: t }),
      tws_queryagentstate: () => requests.queryAgentState({ token: t, device: dev ?? '' }),
      getpersondocumentsbytypewithacls: () => requests.callLog({ userGuid: p.get('userguid') ?? '', personGuid: p.get('personguid') ?? '', page: 1, length: 2, search: 1000 }),
    };
    // `…ConsultationCallActive` with szCall is really TWS_ConsultationCall (§7 #21).
    return map[fn]?.() ?? null;
  };

  it('rebuilds every concrete manual URL: same service, function, and every manual parameter', () => {
    let checked = 0;
    for (const ex of manualUrls) {
      if (!ex.text.startsWith('http') || ex.text.includes('TWS_Function')) continue;
      const m = parse(ex.text.trim());
      const r = fromManual(m.fn, m.params);
      expect(r, `L${ex.lines[0]} ${m.fn}`).not.toBeNull();
      if (!r) continue;
      const ours = parse(buildUrl(r, { baseUrl: base }));
      expect(ours.format).toBe('json');
      expect(ours.path).toBe(m.path);
      const sameFn = ours.fn === m.fn || (m.fn === 'tws_consultationcallactive' && m.params.has('szcall') && ours.fn === 'tws_consultationcall');
      expect(sameFn, `L${ex.lines[0]}: ${ours.fn} vs ${m.fn}`).toBe(true);
      for (const [k, v] of m.params) {
        if (['intType'.toLowerCase(), 'state', 'search', 'page', 'length', 'protocol', 'add', 'szapp'].includes(k) || /^\[|^\{/.test(v)) continue;
        expect(ours.params.get(k), `L${ex.lines[0]} ${k}`).toBe(v);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(50);
  });

  it('rebuilds the Markdown-wrapped URLs (§6.1) from their link targets', () => {
    const targets = manualMarkdownUrls.map((ex) => {
      // The target of the first `[shown](target)` link; the SetForwardOn one (L1392–1393) is the whole URL.
      const m = /\]\((http[^)]*)\)/.exec(ex.text);
      return { ex, url: (m?.[1] ?? '').replace(/\\_/g, '_') };
    });
    const build: Record<string, (p: Map<string, string>) => TwsRequest> = {
      tws_getmytoken2: (p) => requests.getMyToken2({ apiKey: p.get('apikey') ?? '', username: p.get('username'), password: p.get('password') }),
      tws_getmytokenadmin: (p) => requests.getMyTokenAdmin({ apiKey: p.get('apikey') ?? '', adminUsername: p.get('adminusername') ?? '', adminPassword: p.get('adminpassword') ?? '', username: p.get('username') ?? '' }),
      tws_getmyuser: (p) => requests.getMyUser({ token: p.get('guidtoken') ?? '' }),
      tws_searchpeople: (p) => requests.searchPeople({ token: p.get('guidtoken') ?? '', search: p.get('search') ?? '' }),
      tws_setforwardon: (p) => requests.forwardOn({ token: p.get('tokenguid') ?? '', userGuid: p.get('userguid') ?? '', to: p.get('szto') ?? '', type: 'busy' }),
      getmydocumentsbytypewithacls: (p) => requests.callLog({ userGuid: p.get('userguid') ?? '', page: 1, length: 2, search: 1000 }),
    };
    for (const { ex, url } of targets) {
      const m = parse(url);
      const r = build[m.fn]?.(m.params);
      expect(r, `L${ex.lines[0]} ${m.fn}`).toBeDefined();
      if (!r) continue;
      const windows = m.path.includes('/tws/auth/');
      const ours = parse(buildUrl(windows ? { ...r, service: 'userWindowsAuth' } : r, { baseUrl: base, format: m.format === 'xml' ? 'Xml' : 'Json' }));
      expect([ours.path, ours.fn, ours.format]).toEqual([m.path, m.fn, m.format]);
      for (const [k, v] of m.params) if (k !== 'inttype') expect(ours.params.get(k), `L${ex.lines[0]} ${k}`).toBe(v);
    }
    expect(targets).toHaveLength(8);
  });

  it('encodes the values of the enumerated parameters per the tables', () => {
    const off = parse(buildUrl(requests.forwardOff({ token: 't', userGuid: 'u', type: 'busy' }), { baseUrl: base }));
    expect(off.params.get('inttype')).toBe('3');
    const on = parse(buildUrl(requests.forwardOn({ token: 't', userGuid: 'u', to: '4002', type: 'busy' }), { baseUrl: base }));
    expect(on.params.get('inttype')).toBe('2');
    expect(parse(buildUrl(requests.setAgentState({ token: 't', agentId: '1000', state: 'WorkingAfterCall' }), { baseUrl: base })).params.get('state')).toBe('5');
    expect(parse(buildUrl(requests.startMonitor({ token: 't', device: '4694' }), { baseUrl: base })).params.get('szapp')).toBe('TWS-TLK');
  });

  it('percent-encodes every value (API keys with / + =, spaces, non-ASCII)', () => {
    const u = buildUrl(requests.getMyToken2({ apiKey: 'ab/c+d=', username: 'Françoise Dupont', password: 'p&w' }), { baseUrl: 'http://tws:9001/', format: 'Xml' });
    expect(u).toBe('http://tws:9001/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc/Xml/TWS_GetMyToken2?apiKey=ab%2Fc%2Bd%3D&username=Fran%C3%A7oise%20Dupont&password=p%26w');
    expect(buildUrl(requests.getMyToken2({ apiKey: 'k', windowsAuth: true }), { baseUrl: base })).toBe('http://localhost:9001/tws/auth/TWS_UserWebSvc/TWS_UserWebSvc.svc/Json/TWS_GetMyToken2?apiKey=k');
    expect(buildUrl(requests.searchPeople({ token: 'T', search: 'franc' }), { baseUrl: base })).toContain('/TWS_UserWebSvc.svc/Json/TWS_SearchPeople?guidToken=T&search=franc');
  });

  it('builds SOAP envelopes that our own result decoder reads back', () => {
    const s = buildSoap(requests.makeCall({ token: '0ab99936-a653-4b28-9e0f-c187d12b54ad', device: '1000', to: '2000' }));
    expect(s).toMatchObject({ path: '/tws/TWS_ToolkitWebSvc/TWS_ToolkitWebSvc.svc', contentType: 'text/xml; charset=utf-8', soapAction: '"http://tempuri.org/ITWS_ToolkitWebSvc/TWS_MakeCall"' });
    expect(s.body).toBe(
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><TWS_MakeCall xmlns="http://tempuri.org/"><tokenGuid>0ab99936-a653-4b28-9e0f-c187d12b54ad</tokenGuid><szFrom>1000</szFrom><szDevice>1000</szDevice><szTo>2000</szTo></TWS_MakeCall></s:Body></s:Envelope>',
    );
    const x = buildSoap(requests.setCallData({ key: 'k', data: '<vip> & "gold"', add: true }));
    const tree = ok(parseXml(x.body, { tolerant: false })).root;
    const op = tree.children[0]?.children[0];
    expect(op?.children.map((c) => [c.name, c.text])).toEqual([['key', 'k'], ['data', '<vip> & "gold"'], ['add', 'true']]);
    expect(buildSoap(requests.getEvent({ eventToken: 'E' })).body).toContain('<TWS_GetEvent xmlns="http://tempuri.org/"><eventTokenGuid>E</eventTokenGuid></TWS_GetEvent>');
  });

  it('covers every function family of §3.1 the brief lists', () => {
    const t = 'T';
    const fns = [
      requests.getMyToken2({ apiKey: 'k', username: 'u', password: 'p' }), requests.getMyTokenAdmin({ apiKey: 'k', adminUsername: 'a', adminPassword: 'b', username: 'u' }),
      requests.getMyUser({ token: t }), requests.getMyProfile({ token: t }), requests.startMonitor({ token: t, device: '1' }), requests.stopMonitor({ token: t, device: '1' }),
      requests.resetMonitor({ token: t, device: '1' }), requests.connectToEventService({ token: t }), requests.getEvent({ eventToken: 'e' }), requests.disconnectFromEventService({ eventToken: 'e' }),
      requests.consult({ token: t, call: 'c1', device: '1', to: '2' }), requests.callLog({ userGuid: 'u', page: 1, length: 10, search: 3 }),
    ].map((r) => r.fn);
    expect(fns).toEqual([
      'TWS_GetMyToken2', 'TWS_GetMyTokenAdmin', 'TWS_GetMyUser', 'TWS_GetMyProfile', 'TWS_WebStartMonitor', 'TWS_WebStopMonitor', 'TWS_WebResetDeviceMonitor',
      'TWS_ConnectToEventService', 'TWS_GetEvent', 'TWS_DisconnectFromEventService', 'TWS_ConsultationCall', 'GetMyDocumentsByTypeWithAcls',
    ]);
    expect(requests.consult({ token: t, to: '3000' }).params).toEqual([['tokenGuid', 'T'], ['szTo', '3000']]);
  });
});
