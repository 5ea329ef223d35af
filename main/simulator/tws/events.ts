// TWS events as the lab emits them: the socket/WebSocket `CGenericEvent` (§4.6.1, the §6.9 canonical fixtures),
// its JSON form (§4.6.9) and the polling `CTLK*` shapes (§4.6.8). Built as value trees (xml.ts) so one model
// gives XML and JSON.
import { l, nil, ns, o, sn, strings, toJson, toXml, v, type N } from './xml.js';

export type TwsConnState = 'originated' | 'delivered' | 'established' | 'held' | 'retrieved' | 'conferenced' | 'transferred' | 'diverted' | 'cleared' | 'failed' | 'queued';
export type CcoState = 'free' | 'active' | 'held' | 'delivered' | 'predelivered' | 'undef';

export const actionNames = [
  'Answer',
  'AnswerWithVideo',
  'Callback',
  'Conference',
  'DivertCall',
  'DropConference',
  'Hold',
  'HoldConference',
  'Recover',
  'Release',
  'SingleStepTransfer',
  'Swaphold',
  'Transfer',
  'UnHold',
  'UnholdConference',
] as const;
export type ActionName = (typeof actionNames)[number];

export const agentStateNames = ['AgentBusy', 'LoggedOff', 'LoggedOn', 'NotReady', 'Ready', 'WorkingAfterCall'] as const;
export type AgentStateName = (typeof agentStateNames)[number];

/** A correspondent (CGenericUser): contact part and CTI display part. */
export interface Party {
  number: string;
  /** TWS user or directory contact guid (`Guid`). */
  guid: string | null;
  personGuid: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  isUser: boolean;
  username: string | null;
  /** Devices of a TWS user (CDevice list). */
  devices: Array<{ guid: string; number: string }>;
  phoneType: 'PHONE' | 'TWS';
  /** The contact's domain (nil for unknown correspondents). */
  domainGuid: string | null;
  redList: boolean;
  /** m_UserInfoDisplay: the name when known, else the number. */
  infoDisplay: string;
  direction: 'incoming' | 'outgoing';
}

export interface ConnSnapshot {
  device: string;
  connectionId: string;
  ccoId: string;
  ccoState: CcoState;
  ccoType: string;
  state: TwsConnState;
  reason: 'Connected' | 'Idle';
  eventReason: string;
  direction: 'incoming' | 'outgoing';
  callLogId: string;
  timeStart: number;
  timeStart1: number;
  timeEnd: number;
  actions: Record<ActionName, boolean>;
  users: [Party | null, Party | null];
  called: Party | null;
}

export type TwsEvent =
  | { kind: 'call'; at: number; device: string; deviceGuid: string; conn: ConnSnapshot }
  | { kind: 'supervision'; at: number; device: string; state: TwsConnState; connectionId: string; reason: 'Connected' | 'Idle'; users: [Party | null, Party | null] }
  | { kind: 'agent'; at: number; agentId: string; group: string; state: AgentStateName; objectGuid: string }
  | { kind: 'forward'; at: number; device: string; deviceGuid: string; forwardType: number; number: string; on: boolean };

/** Per recipient: the user the event is written for, its domain, and its own device (supervision objectName). */
export interface EventContext {
  userGuid: string;
  domainGuid: string;
  /** The recipient's device, objectName of supervision events. */
  ownDevice: string;
  objectGuid: string;
  /** Tolerance mode: capitalised m_ConnectionDirection/m_PublicUserNumber, CCContactInfo. */
  quirks?: boolean;
}

/** .NET round-trip local time with 7 fractional digits and the offset: 2013-07-01T16:59:08.7876495+02:00. */
export function dotnetTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `.${pad(d.getMilliseconds(), 3)}0000${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

const slotNames = [
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
] as const;

type Shape = 'socket' | 'poll';

/** A CGenericUser (§4.6.4): the §6.9 member order; contact members in the TWS_Database namespace (socket shape). */
export function partyNode(p: Party | null, shape: Shape, quirks = false): N {
  if (!p) return nil();
  const ext: Array<[string, N]> = shape === 'poll' ? [['ExtensionData', v('')]] : [];
  const display = p.redList ? '****' : p.number;
  const info = p.redList ? '****' : p.infoDisplay;
  const number = p.redList ? '' : p.number;
  const phones: N[] =
    p.redList || p.number === ''
      ? []
      : [
          o([
            ...ext,
            ['Key', v('work0')],
            ['Label', v('[Work]')],
            ...(shape === 'socket' ? ([['RawValue', nil()], ['RedList', nil()]] as Array<[string, N]>) : []),
            ['Type', v(p.phoneType)],
            ['Value', v(p.number)],
          ]),
        ];
  const m: Array<[string, N]> = [
    ...ext,
    ['Addresses', v('')],
    ['Company', sn(p.company)],
    ['CreatedOn', v(p.guid || p.personGuid ? '2013-04-26T08:17:08.71Z' : '0001-01-01T00:00:00')],
    ['Customs', v('')],
    ['Devices', l('CDevice', p.devices.map((d) => o([...ext, ['Guid', v(d.guid)], ['Number', v(d.number)]])))],
    [
      'DirectoryInfos',
      shape === 'poll'
        ? o([...ext, ['Priority', v(0)]])
        : o([
            ['DirectoryGuid', nil()],
            ['ExternalKey', nil()],
            ['InternalKeys', nil({ arrays: true })],
            ['OwnerGuid', nil()],
            ['Priority', v(0)],
            ['Reverses', nil({ arrays: true })],
            ['Searches', nil({ arrays: true })],
          ]),
    ],
    ['DomainGuid', sn(p.domainGuid)],
    ['Emails', v('')],
    ['ExternalUserInfo', v('')],
    ['Firstname', sn(p.firstName)],
    ['Guid', sn(p.guid)],
    ['IsUser', v(p.isUser)],
    ['Lastname', sn(p.lastName)],
    [
      'MergedInfos',
      o([
        ...ext,
        ['ContactsGuids', strings(p.personGuid ? [p.personGuid] : [])],
        ['DirectoriesGuids', strings([])],
        ['DirectoriesNames', strings(p.personGuid ? [p.isUser ? '[TwsUsers]' : '[TwsPrivate]'] : [])],
        ['IsDeleted', v(false)],
        ['Priority', v(0)],
      ]),
    ],
    ['PersonGuid', sn(p.personGuid)],
    [
      'PersonalInfos',
      o([...ext, ['ContactsListsGuids', strings([])], ...(shape === 'socket' ? ([['DefaultPhone', nil()], ['DisplayName', nil()]] as Array<[string, N]>) : [])]),
    ],
    ['Phones', l(quirks ? 'CCContactInfo' : 'CContactInfo', phones)],
    ['Picture', nil()],
    ['Presences', v('')],
    ['UpdatedOn', v(p.guid || p.personGuid ? '2013-04-26T08:17:08.71Z' : '0001-01-01T00:00:00')],
    ['Urls', v('')],
    [
      'UserInfos',
      o([
        ...ext,
        ['ActiveProfileGuid', nil()],
        ['Culture', nil()],
        ['Enabled', v(true)],
        ['Init', v(false)],
        ['Ip', nil()],
        ['Password', nil()],
        ['Type', v('USER')],
        ['Username', sn(p.username)],
        ['VoiceMailPassword', nil()],
      ]),
    ],
    ['m_IsRedList', v(p.redList)],
    ['m_UserDisplay', v(display)],
    ['m_UserInfoDisplay', v(info)],
    [quirks ? 'm_ConnectionDirection' : 'm_connectionDirection', v(p.direction)],
    [quirks ? 'm_PublicUserNumber' : 'm_publicUserNumber', v(number)],
  ];
  // Contact members carry the TWS_Database namespace on the socket; the m_ (CTI) members do not (§6.9).
  return o(m, shape === 'socket' ? ns.database : undefined);
}

function actionsNode(a: Record<ActionName, boolean>, shape: Shape): N {
  return o([...(shape === 'poll' ? ([['ExtensionData', v('')]] as Array<[string, N]>) : []), ...actionNames.map((n): [string, N] => [n, v(a[n])])]);
}

function connectionNode(c: ConnSnapshot, ctx: EventContext, shape: Shape, at: number): N {
  const socket = shape === 'socket';
  const m: Array<[string, N]> = [];
  if (!socket) m.push(['ExtensionData', v('')]);
  if (socket) {
    m.push(['genericForwardedUser', nil()], ['genericLastRedirectedUser', nil()], ['genericCalledUser', partyNode(c.called, shape, ctx.quirks)]);
  }
  m.push(
    ['m_Users', l('CGenericUser', c.users.map((u) => partyNode(u, shape, ctx.quirks)))],
    ['m_callAction', actionsNode(c.actions, shape)],
    ['m_callLogId', v(c.callLogId)],
  );
  if (socket) m.push(['m_callLogIdRoot2', nil()], ['m_ccoId', nil()]);
  m.push(
    ['m_connectionDirection', v(c.direction)],
    ['m_connectionId', v(c.connectionId)],
    ['m_currentReason', v(c.reason)],
    ['m_currentState', v(c.state)],
    ['m_deviceNumber', v(c.device)],
    ['m_domainGuid', v(ctx.domainGuid)],
    ['m_domainName', v(ctx.domainGuid)],
    ['m_eventReason', v(c.eventReason)],
    ['m_mediaType', v('None')],
  );
  if (socket) m.push(['m_queueGuid', nil()]);
  m.push(['m_timeEnd', v(dotnetTime(c.state === 'cleared' ? at : c.timeEnd))], ['m_timeStart', v(dotnetTime(c.timeStart))], ['m_timeStart1', v(dotnetTime(c.timeStart1))], ['m_userGuid', v(ctx.userGuid)]);
  return o(m);
}

/** The CGenericCCo of one connection (§4.6.2). */
export function ccoNode(c: ConnSnapshot, ctx: EventContext, shape: Shape, at: number): N {
  return o([
    ...(shape === 'poll' ? ([['ExtensionData', v('')]] as Array<[string, N]>) : []),
    ['m_Connections', l('CGenericConnection', [connectionNode(c, ctx, shape, at)])],
    ['m_ccoId', v(c.ccoId)],
    ['m_ccoState', v(c.ccoState)],
    ['m_ccoType', v(c.ccoType)],
  ]);
}

function supervisionPayload(ev: Extract<TwsEvent, { kind: 'supervision' }>, shape: Shape, quirks?: boolean): Array<[string, N]> {
  return [
    ['m_Users', l('CGenericUser', ev.users.map((u) => partyNode(u, shape, quirks)))],
    ['m_connectionId', v(ev.connectionId)],
    ['m_currentReason', v(ev.reason)],
    ['m_currentState', v(ev.state)],
    ['m_deviceNumber', v(ev.device)],
    ['m_deviceType', v('PROFESSIONAL')],
  ];
}

function eventTypeName(ev: TwsEvent): string {
  return ev.kind === 'call' ? 'CallEvent' : ev.kind === 'supervision' ? 'CallSupervisionEvent' : ev.kind === 'agent' ? 'CGenericAgentEvent' : 'ForwardEvent';
}

/** The socket/WebSocket envelope as a value tree; `json` drops the XML-only CGenericCCo wrapper (§4.6.9). */
export function genericEventNode(ev: TwsEvent, ctx: EventContext, json = false): N {
  const head: Array<[string, N]> = [
    ['creationDate', v(dotnetTime(ev.at))],
    ['eventType', v(eventTypeName(ev))],
  ];
  if (ev.kind === 'agent') {
    // Exactly like L1950–1965: the agent payload and no nil siblings.
    return o([
      ...head,
      ['genericAgentEvent', o([['AgentDevice', nil()], ['AgentGroup', v(ev.group)], ['AgentID', v(ev.agentId)], ['AgentState', v(ev.state)], ['Cause', nil()]])],
      ['objectGuid', v(ev.objectGuid)],
      ['objectName', v(ev.agentId)],
      ['userGuid', v(ctx.userGuid)],
    ]);
  }
  const slots: Array<[string, N]> = slotNames.map((name): [string, N] => [name, nil(name === 'genericNotificationEvent' ? { attrs: { 'xmlns:a': ns.database } } : {})]);
  const fill = (name: (typeof slotNames)[number], value: N) => {
    const i = slotNames.indexOf(name);
    slots[i] = [name, value];
  };
  let objectName = ev.device;
  let objectGuid = ctx.objectGuid;
  if (ev.kind === 'call') {
    const cco = ccoNode(ev.conn, ctx, 'socket', ev.at);
    fill('genericCallEvent', json ? cco : o([['CGenericCCo', cco]]));
    objectGuid = ev.deviceGuid;
  } else if (ev.kind === 'supervision') {
    fill('genericCallSupervisionEvent', o(supervisionPayload(ev, 'socket', ctx.quirks)));
    objectName = ctx.ownDevice;
  } else {
    fill('genericForwardEvent', o([['m_deviceNumber', v(ev.device)], ['m_forwardNumber', v(ev.number)], ['m_forwardType', v(ev.forwardType)], ['m_on', v(ev.on)]]));
    objectGuid = ev.deviceGuid;
  }
  return o([...head, ...slots, ['objectGuid', v(objectGuid)], ['objectName', v(objectName)], ['userGuid', v(ctx.userGuid)]]);
}

/** One socket event, XML, UTF-8, no declaration (§6.9). */
export function genericEventXml(ev: TwsEvent, ctx: EventContext): string {
  return toXml('CGenericEvent', genericEventNode(ev, ctx), { mode: 'event' }, { xmlns: ns.generic, 'xmlns:i': ns.xsi });
}

/** One socket event, JSON (§4.6.9). */
export function genericEventJson(ev: TwsEvent, ctx: EventContext): string {
  return JSON.stringify(toJson(genericEventNode(ev, ctx, true)));
}

/** The polling shape (§4.6.8): type name and members; null for kinds polling does not carry. */
export function pollingEvent(ev: TwsEvent, ctx: EventContext): { type: string; node: N } | null {
  if (ev.kind === 'forward') return null;
  const ext: Array<[string, N]> = [['ExtensionData', v('')]];
  const head: Array<[string, N]> = [...ext, ['creationDate', v(dotnetTime(ev.at))], ['eventType', v(eventTypeName(ev))]];
  if (ev.kind === 'call') {
    return {
      type: 'CTLKCallEvent',
      node: o([
        ...head,
        ['objectGuid', v(ev.deviceGuid)],
        ['objectName', v(ev.device)],
        ['userGuid', v(ctx.userGuid)],
        ['genericCCOs', l('CGenericCCo', [ccoNode(ev.conn, ctx, 'poll', ev.at)])],
      ]),
    };
  }
  if (ev.kind === 'supervision') {
    // [SIM] no example: the members of genericCallSupervisionEvent under the CTLK envelope.
    return {
      type: 'CTLKConnectionSupervisionEvent',
      node: o([...head, ['objectGuid', v(ctx.objectGuid)], ['objectName', v(ctx.ownDevice)], ['userGuid', v(ctx.userGuid)], ...supervisionPayload(ev, 'poll')]),
    };
  }
  return {
    type: 'CTLKAgentEvent',
    node: o([
      ...head,
      ['objectGuid', v(ev.objectGuid)],
      ['objectName', v(ev.agentId)],
      ['userGuid', v(ctx.userGuid)],
      ['genericAgentEvent', o([['AgentDevice', nil()], ['AgentGroup', v(ev.group)], ['AgentID', v(ev.agentId)], ['AgentState', v(ev.state)], ['Cause', nil()]])],
    ]),
  };
}
