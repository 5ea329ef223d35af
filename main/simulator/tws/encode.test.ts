// Unit tests of the simulator's TWS encoders and decoders: the value tree (XML result/event styles, JSON), the
// socket event shapes against the order of the §6.9 canonical fixtures, the polling shape, result envelopes,
// the TCP framing and the open-session reader.
import { describe, expect, it } from 'vitest';
import { actionNames, dotnetTime, genericEventJson, genericEventXml, pollingEvent, type ConnSnapshot, type EventContext, type Party, type TwsEvent } from './events.js';
import { FrameReader, isAudit, openSessionToken, separator } from './feeds.js';
import { Params, TwsHttpError } from './functions.js';
import { actionsFor, ccoStateOf } from './model.js';
import { resultJson, resultXml } from './web.js';
import { l, nil, o, parseXml, strings, toJson, toXml, v, XmlError } from './xml.js';

const ctx: EventContext = { userGuid: '97a02200-fa08-4cdd-96ab-e44eb7f577ad', domainGuid: '2047d7f2-428b-49f6-beaf-7b2e102f954d', ownDevice: '4694', objectGuid: '62c98c72-4863-4626-8078-fe65c321b22b' };
const party: Party = {
  number: '4594',
  guid: null,
  personGuid: 'c3bb0324-a8f5-444c-8059-9797445a73de',
  firstName: 'test ',
  lastName: 'Me',
  company: 'Algo',
  isUser: false,
  username: null,
  devices: [],
  phoneType: 'PHONE',
  domainGuid: '2047d7f2-428b-49f6-beaf-7b2e102f954d',
  redList: false,
  infoDisplay: 'test Me',
  direction: 'incoming',
};
const conn: ConnSnapshot = {
  device: '4694',
  connectionId: 'c1102',
  ccoId: '102',
  ccoState: 'free',
  ccoType: 'free',
  state: 'cleared',
  reason: 'Idle',
  eventReason: 'Normal',
  direction: 'incoming',
  callLogId: 'b0b40e79-b51a-4528-8d3c-0794cec8eabd',
  timeStart: Date.UTC(2013, 6, 1, 14, 59, 5, 930),
  timeStart1: Date.UTC(2013, 6, 1, 14, 59, 7, 56),
  timeEnd: Date.UTC(2013, 6, 1, 14, 59, 8, 754),
  actions: actionsFor('cleared', 'incoming', { otherHeld: false, conference: false, rich: false }),
  users: [party, null],
  called: { ...party, number: '4694', firstName: 'Hector', lastName: 'Piaple', isUser: true, infoDisplay: 'Hector Piaple', direction: 'outgoing' },
};
const callEvent: TwsEvent = { kind: 'call', at: Date.UTC(2013, 6, 1, 14, 59, 8, 787), device: '4694', deviceGuid: ctx.objectGuid, conn };

/** Child element names of the first element `name` (one level). */
function childNames(xml: string, name: string): string[] {
  const start = xml.indexOf(`<${name}`);
  const open = xml.indexOf('>', start);
  let depth = 0;
  const names: string[] = [];
  const re = /<(\/?)([A-Za-z_:][\w:.-]*)[^>]*?(\/?)>/g;
  re.lastIndex = xml[open - 1] === '/' ? open : open + 1;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const [, close, tagName, self] = m;
    if (close) {
      if (depth === 0) break;
      depth--;
      continue;
    }
    if (depth === 0) names.push(tagName as string);
    if (!self) depth++;
  }
  return names;
}

describe('value tree', () => {
  it('result style: a: members, b:string arrays, i:nil, empty elements', () => {
    const n = o([
      ['Devices', strings(['4694'])],
      ['ErrorMessage', nil()],
      ['Empty', v('')],
      ['Ok', v(true)],
      ['Items', l('CDevice', [o([['Number', v('1 < 2 & 3')]])])],
    ]);
    expect(toXml('R', n, { mode: 'result' })).toBe(
      '<R><a:Devices xmlns:b="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><b:string>4694</b:string></a:Devices><a:ErrorMessage i:nil="true"/><a:Empty/><a:Ok>true</a:Ok><a:Items><a:CDevice><a:Number>1 &lt; 2 &amp; 3</a:Number></a:CDevice></a:Items></R>',
    );
    expect(toJson(n)).toEqual({ Devices: ['4694'], ErrorMessage: null, Empty: '', Ok: true, Items: [{ Number: '1 < 2 & 3' }] });
  });

  it('event style: plain members, per-member xmlns except m_ members, a:string arrays', () => {
    const n = o([['Firstname', v('Hector')], ['m_UserDisplay', v('4694')], ['Names', strings(['[TwsUsers]'])], ['Guid', nil()]], 'urn:db');
    expect(toXml('U', n, { mode: 'event' })).toBe(
      '<U><Firstname xmlns="urn:db">Hector</Firstname><m_UserDisplay>4694</m_UserDisplay><Names xmlns="urn:db" xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:string>[TwsUsers]</a:string></Names><Guid i:nil="true" xmlns="urn:db"/></U>',
    );
    expect(toXml('X', nil(), { mode: 'event', nilStyle: 'd7p1' })).toBe('<X d7p1:nil="true" xmlns:d7p1="http://www.w3.org/2001/XMLSchema-instance"/>');
  });

  it('the reader refuses DTDs and broken XML, keeps entities unexpanded as text', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toThrow(XmlError);
    expect(() => parseXml('<a><b></a>')).toThrow(XmlError);
    const n = parseXml('<s:Envelope xmlns:s="urn:s"><s:Body><Op><p>1 &lt; 2</p></Op></s:Body></s:Envelope>');
    expect(n.name).toBe('Envelope');
    expect(n.children[0]?.children[0]?.children[0]?.text).toBe('1 < 2');
  });
});

describe('socket events (§6.9 order)', () => {
  const xml = genericEventXml(callEvent, ctx);

  it('the envelope: namespaces, member order, the 18 slots with the L3009 spelling', () => {
    expect(xml.startsWith('<CGenericEvent xmlns="http://schemas.datacontract.org/2004/07/Algoria.TWS.GenericClass" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><creationDate>')).toBe(true);
    expect(childNames(xml, 'CGenericEvent')).toEqual([
      'creationDate',
      'eventType',
      'genericCallEvent',
      'genericCallQueueEvent',
      'genericCallSupervisionEvent',
      'genericDTMFEVENT',
      'genericDTMFToPlayEvent',
      'genericForwardEvent',
      'genericMediaConferenceEvent',
      'genericMediaDeviceEvent',
      'genericMediaServerFileEvent',
      'genericMediaServerEvent',
      'genericMessageEvent',
      'genericNoteEvent',
      'genericNotificationEvent',
      'genericPresenceEvent',
      'genericRTPEvent',
      'genericRuleEvent',
      'genericServerEvent',
      'genericSoundEvent',
      'objectGuid',
      'objectName',
      'userGuid',
    ]);
    expect(xml).toContain('<genericNotificationEvent i:nil="true" xmlns:a="http://schemas.datacontract.org/2004/07/TWS_Database"/>');
    expect(() => parseXml(xml)).not.toThrow();
  });

  it('the connection and the correspondent in the canonical order', () => {
    expect(childNames(xml, 'CGenericConnection')).toEqual([
      'genericForwardedUser',
      'genericLastRedirectedUser',
      'genericCalledUser',
      'm_Users',
      'm_callAction',
      'm_callLogId',
      'm_callLogIdRoot2',
      'm_ccoId',
      'm_connectionDirection',
      'm_connectionId',
      'm_currentReason',
      'm_currentState',
      'm_deviceNumber',
      'm_domainGuid',
      'm_domainName',
      'm_eventReason',
      'm_mediaType',
      'm_queueGuid',
      'm_timeEnd',
      'm_timeStart',
      'm_timeStart1',
      'm_userGuid',
    ]);
    const users = xml.slice(xml.indexOf('<m_Users>'));
    expect(childNames(users, 'CGenericUser')).toEqual([
      'Addresses',
      'Company',
      'CreatedOn',
      'Customs',
      'Devices',
      'DirectoryInfos',
      'DomainGuid',
      'Emails',
      'ExternalUserInfo',
      'Firstname',
      'Guid',
      'IsUser',
      'Lastname',
      'MergedInfos',
      'PersonGuid',
      'PersonalInfos',
      'Phones',
      'Picture',
      'Presences',
      'UpdatedOn',
      'Urls',
      'UserInfos',
      'm_IsRedList',
      'm_UserDisplay',
      'm_UserInfoDisplay',
      'm_connectionDirection',
      'm_publicUserNumber',
    ]);
    expect(users).toContain('<Company xmlns="http://schemas.datacontract.org/2004/07/TWS_Database">Algo</Company>');
    expect(users).toContain('</CGenericUser><CGenericUser i:nil="true"/></m_Users>');
    expect(childNames(xml, 'm_callAction')).toEqual([...actionNames]);
    expect(xml).toContain('<m_ccoId>102</m_ccoId><m_ccoState>free</m_ccoState><m_ccoType>free</m_ccoType></CGenericCCo></genericCallEvent>');
    expect(xml).toContain('<m_currentReason>Idle</m_currentReason><m_currentState>cleared</m_currentState>');
  });

  it('quirks capitalise the CTI members and rename CContactInfo', () => {
    const q = genericEventXml(callEvent, { ...ctx, quirks: true });
    expect(q).toContain('<m_ConnectionDirection>incoming</m_ConnectionDirection>');
    expect(q).toContain('<m_PublicUserNumber>4594</m_PublicUserNumber>');
    expect(q).toContain('<CCContactInfo>');
  });

  it('agent events exactly like L1950–1965, supervision events like L2917–3024', () => {
    const a = genericEventXml({ kind: 'agent', at: 0, agentId: '1000', group: '1100', state: 'Ready', objectGuid: '4133bb7d-c4a7-48e2-9ea3-2d2affe2b395' }, ctx);
    expect(a).toMatch(
      /<eventType>CGenericAgentEvent<\/eventType><genericAgentEvent><AgentDevice i:nil="true"\/><AgentGroup>1100<\/AgentGroup><AgentID>1000<\/AgentID><AgentState>Ready<\/AgentState><Cause i:nil="true"\/><\/genericAgentEvent><objectGuid>4133bb7d-c4a7-48e2-9ea3-2d2affe2b395<\/objectGuid><objectName>1000<\/objectName><userGuid>97a02200-fa08-4cdd-96ab-e44eb7f577ad<\/userGuid><\/CGenericEvent>$/,
    );
    const s = genericEventXml({ kind: 'supervision', at: 0, device: '4594', state: 'cleared', connectionId: 'c165535', reason: 'Connected', users: [{ ...party, redList: true, direction: 'outgoing' }, null] }, ctx);
    expect(childNames(s, 'genericCallSupervisionEvent')).toEqual(['m_Users', 'm_connectionId', 'm_currentReason', 'm_currentState', 'm_deviceNumber', 'm_deviceType']);
    expect(s).toContain('<m_UserDisplay>****</m_UserDisplay><m_UserInfoDisplay>****</m_UserInfoDisplay><m_connectionDirection>outgoing</m_connectionDirection><m_publicUserNumber/>');
    expect(s).toContain('<genericCallEvent i:nil="true"/>');
    expect(s).toContain('<objectName>4694</objectName>');
  });

  it('JSON events: XML member names, null for nil, the 2-slot m_Users, no CGenericCCo wrapper', () => {
    const j = JSON.parse(genericEventJson(callEvent, ctx)) as Record<string, unknown>;
    expect(j).toMatchObject({ eventType: 'CallEvent', genericCallQueueEvent: null, objectName: '4694', genericCallEvent: { m_ccoId: '102', m_ccoState: 'free', m_ccoType: 'free' } });
    const c0 = (j.genericCallEvent as { m_Connections: Array<{ m_Users: unknown[] }> }).m_Connections[0];
    expect(c0?.m_Users).toHaveLength(2);
    expect(c0?.m_Users[1]).toBeNull();
  });

  it('the polling shape: CTLKCallEvent with ExtensionData and genericCCOs, no socket-only members', () => {
    const p = pollingEvent(callEvent, ctx);
    expect(p?.type).toBe('CTLKCallEvent');
    const x = toXml('CTLKCallEvent', p?.node ?? nil(), { mode: 'event' });
    expect(childNames(x, 'CTLKCallEvent')).toEqual(['ExtensionData', 'creationDate', 'eventType', 'objectGuid', 'objectName', 'userGuid', 'genericCCOs']);
    expect(x).not.toContain('genericCalledUser');
    expect(x).not.toContain('m_queueGuid');
    expect(childNames(x, 'CGenericConnection')[0]).toBe('ExtensionData');
    expect(pollingEvent({ kind: 'forward', at: 0, device: '1', deviceGuid: 'g', forwardType: 0, number: '', on: true }, ctx)).toBeNull();
  });

  it('.NET round-trip times: 7 fractional digits and the offset', () => {
    expect(dotnetTime(Date.UTC(2013, 6, 1, 14, 59, 8, 787))).toMatch(/^2013-07-01T\d\d:59:08\.7870000[+-]\d\d:\d\d$/);
  });
});

describe('states and actions', () => {
  it('ECCoState per connection state; the faithful action flags', () => {
    expect(ccoStateOf('delivered')).toBe('delivered');
    expect(ccoStateOf('established')).toBe('active');
    expect(ccoStateOf('held')).toBe('held');
    expect(ccoStateOf('cleared')).toBe('free');
    const on = (s: Parameters<typeof actionsFor>[0], d: 'incoming' | 'outgoing', x = {}) =>
      Object.entries(actionsFor(s, d, { otherHeld: false, conference: false, rich: false, ...x }))
        .filter(([, b]) => b)
        .map(([k]) => k);
    expect(on('delivered', 'incoming')).toEqual(['Answer']);
    expect(on('established', 'incoming')).toEqual(['Hold', 'Release']);
    expect(on('held', 'incoming')).toEqual(['Release', 'UnHold']);
    expect(on('established', 'outgoing', { otherHeld: true })).toEqual(['Conference', 'Release', 'Swaphold', 'Transfer']);
    expect(on('cleared', 'incoming')).toEqual([]);
    expect(on('delivered', 'incoming', { rich: true })).toEqual(['Answer', 'DivertCall', 'Release']);
  });
});

describe('web results', () => {
  it('Xml and Json answers', () => {
    expect(resultXml('TWS_MakeCall', { kind: 'int', value: 0 })).toBe('<TWS_MakeCallResponse xmlns="http://tempuri.org/"><TWS_MakeCallResult>0</TWS_MakeCallResult></TWS_MakeCallResponse>');
    expect(resultXml('TWS_GetCallData', { kind: 'string', value: null })).toBe(
      '<TWS_GetCallDataResponse xmlns="http://tempuri.org/"><TWS_GetCallDataResult i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/></TWS_GetCallDataResponse>',
    );
    expect(resultXml('F', { kind: 'node', value: o([['Ok', v(true)]]), ns: 'urn:db' })).toBe(
      '<FResponse xmlns="http://tempuri.org/"><FResult xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:a="urn:db"><a:Ok>true</a:Ok></FResult></FResponse>',
    );
    expect(resultXml('G', { kind: 'node', value: o([['x', v(1)]]), ns: 'urn:g', type: 'CTLKCallEvent' })).toContain('<GResult i:type="a:CTLKCallEvent"');
    expect(resultJson('TWS_NormalizeNumber', { kind: 'string', value: '4031' })).toBe('{"TWS_NormalizeNumberResult":"4031"}');
    expect(resultJson('G', { kind: 'node', value: o([['x', v(1)]]), type: 'CTLKCallEvent' })).toBe('{"GResult":{"__type":"CTLKCallEvent:#Algoria.TWS.GenericClass","x":1}}');
  });

  it('parameters: case-insensitive names, 400 on a bad int or bool', () => {
    const p = new Params([['TOKENGUID', 't'], ['state', 'ready'], ['add', 'maybe'], ['n', ' 12 ']]);
    expect(p.get('tokenGuid')).toBe('t');
    expect(p.int('n')).toBe(12);
    expect(() => p.int('state')).toThrow(TwsHttpError);
    expect(() => p.bool('add')).toThrow(TwsHttpError);
    expect(p.int('absent')).toBeUndefined();
  });
});

describe('TCP framing', () => {
  it('splits on the marker (+NUL), a marker without NUL, a lone NUL; reassembles across chunks; drops a BOM', () => {
    const r = new FrameReader();
    const frame = Buffer.concat([Buffer.from('<a/>'), separator, Buffer.from('\uFEFF<b/>'), separator.subarray(0, 7)]);
    expect(r.push(frame)).toEqual(['<a/>']);
    expect(r.push(separator.subarray(7))).toEqual(['<b/>']);
    expect(r.push(Buffer.from('<c/>82E51812-45C9-4733<d/>\u0000'))).toEqual(['<c/>', '<d/>']);
    // A marker at the very end of a chunk ends the frame now; its NUL may come with the next chunk.
    expect(r.push(Buffer.from('<e/>82E51812-45C9-4733'))).toEqual(['<e/>']);
    expect(r.push(Buffer.from('\u0000<f/>\u0000'))).toEqual(['<f/>']);
  });

  it('reads the open-session message and AUDIT in either case', () => {
    expect(openSessionToken('<TWS_WaitForGenericEvent><tokenGuid> 0ab99936-a653-4b28-9e0f-c187d12b54ad </tokenGuid></TWS_WaitForGenericEvent>')).toBe('0ab99936-a653-4b28-9e0f-c187d12b54ad');
    expect(openSessionToken('<Other/>')).toBeUndefined();
    expect(openSessionToken('<broken')).toBeUndefined();
    expect(isAudit('<CGenericEvent><EventType>AUDIT</EventType></CGenericEvent>')).toBe(true);
    expect(isAudit('<CGenericEvent><eventType>AUDIT</eventType></CGenericEvent>')).toBe(true);
    expect(isAudit('<CGenericEvent><eventType>CallEvent</eventType></CGenericEvent>')).toBe(false);
  });
});
