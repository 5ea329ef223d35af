// Request encoders: the functions of digest §3.1, as HTTP GET URLs (`/Json/` or `/Xml/`, values
// percent-encoded, §1.4) and as SOAP 1.1 envelopes (§1.3 [INF]: WCF basicHttpBinding defaults).
// Wire parameter names follow the manual's URL examples; where the manual disagrees with itself
// the request carries both spellings (§7 #20, #21, #25). Pure.
import { forwardTypes, type ForwardType } from './codes.js';
import { escapeXml } from './xml.js';

export type TwsService = 'toolkit' | 'user' | 'userWindowsAuth' | 'social';

export const servicePaths: Record<TwsService, string> = {
  toolkit: '/tws/TWS_ToolkitWebSvc/TWS_ToolkitWebSvc.svc',
  user: '/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc',
  userWindowsAuth: '/tws/auth/TWS_UserWebSvc/TWS_UserWebSvc.svc',
  social: '/tws/TWS_SocialCollaborationWebSvc/TWS_SocialCollaborationWebSvc.svc',
};

/** SOAP contract names [INF] (`I` + the service class; WCF default). */
const contracts: Record<TwsService, string> = {
  toolkit: 'ITWS_ToolkitWebSvc',
  user: 'ITWS_UserWebSvc',
  userWindowsAuth: 'ITWS_UserWebSvc',
  social: 'ITWS_SocialCollaborationWebSvc',
};

export type ParamValue = string | number | boolean;

export interface TwsRequest {
  service: TwsService;
  /** Canonical function name (digest §3.1). */
  fn: string;
  /** Wire parameters, in order. */
  params: Array<[string, string]>;
}

function req(service: TwsService, fn: string, params: Array<[string, ParamValue | undefined]>): TwsRequest {
  return {
    service,
    fn,
    params: params.filter((p): p is [string, ParamValue] => p[1] !== undefined).map(([k, v]) => [k, String(v)]),
  };
}

const T = 'toolkit' as const;

/** Device-scoped call variants: explicit `device`, or the user's default device when omitted. */
interface Dev {
  token: string;
  /** Omit to use the `…ByDefaultDevice` variant. */
  device?: string;
}

export const requests = {
  // ---- auth / user (User service; `guidToken` there, §2.9)
  getMyToken2: (p: { apiKey: string; username?: string; password?: string; windowsAuth?: boolean }) =>
    req(p.windowsAuth ? 'userWindowsAuth' : 'user', 'TWS_GetMyToken2', [['apiKey', p.apiKey], ['username', p.username], ['password', p.password]]),
  getMyTokenAdmin: (p: { apiKey: string; adminUsername: string; adminPassword: string; username: string }) =>
    req('user', 'TWS_GetMyTokenAdmin', [['apiKey', p.apiKey], ['adminUsername', p.adminUsername], ['adminPassword', p.adminPassword], ['username', p.username]]),
  getMyUser: (p: { token: string }) => req('user', 'TWS_GetMyUser', [['guidToken', p.token]]),
  getMyProfile: (p: { token: string }) => req('user', 'TWS_GetMyProfile', [['guidToken', p.token]]),
  searchPeople: (p: { token: string; search: string }) => req('user', 'TWS_SearchPeople', [['guidToken', p.token], ['search', p.search]]),
  normalizeNumber: (p: { token: string; number: string }) => req(T, 'TWS_NormalizeNumber', [['tokenGuid', p.token], ['szTo', p.number]]),

  // ---- monitoring
  startMonitor: (p: { token: string; device: string }) => req(T, 'TWS_WebStartMonitor', [['tokenGuid', p.token], ['szApp', 'TWS-TLK'], ['szDevice', p.device]]),
  stopMonitor: (p: { token: string; device: string }) => req(T, 'TWS_WebStopMonitor', [['tokenGuid', p.token], ['szApp', 'TWS-TLK'], ['szDevice', p.device]]),
  resetMonitor: (p: { token: string; device: string }) => req(T, 'TWS_WebResetDeviceMonitor', [['tokenGuid', p.token], ['szDevice', p.device]]),

  // ---- event web service (SOAP recommended, §4.2)
  connectToEventService: (p: { token: string }) => req(T, 'TWS_ConnectToEventService', [['tokenGuid', p.token]]),
  getEvent: (p: { eventToken: string }) => req(T, 'TWS_GetEvent', [['eventTokenGuid', p.eventToken]]),
  disconnectFromEventService: (p: { eventToken: string }) => req(T, 'TWS_DisconnectFromEventService', [['eventTokenGuid', p.eventToken]]),

  // ---- call control
  makeCall: (p: Dev & { to: string }) =>
    p.device === undefined
      ? req(T, 'TWS_MakeCallByDefaultDevice', [['tokenGuid', p.token], ['szTo', p.to]])
      : req(T, 'TWS_MakeCall', [['tokenGuid', p.token], ['szFrom', p.device], ['szDevice', p.device], ['szTo', p.to]]),
  openMakeCall: (p: Dev & { to: string }) =>
    p.device === undefined
      ? req(T, 'TWS_OpenMakeCallByDefaultDevice', [['tokenGuid', p.token], ['szTo', p.to]])
      : req(T, 'TWS_OpenMakeCall', [['tokenGuid', p.token], ['szDevice', p.device], ['szFrom', p.device], ['szTo', p.to]]),
  redial: (p: Dev) => (p.device === undefined ? req(T, 'TWS_BisByDefaultDevice', [['tokenGuid', p.token]]) : req(T, 'TWS_Bis', [['tokenGuid', p.token], ['szDevice', p.device]])),
  /** Answers the first ringing call (no answer-by-id exists, §7 #34). */
  answer: (p: Dev) =>
    p.device === undefined
      ? req(T, 'TWS_AnswerCallQueuedByDefaultDevice', [['tokenGuid', p.token]])
      : req(T, 'TWS_AnswerCallQueued', [['tokenGuid', p.token], ['szDevice', p.device]]),
  clear: (p: Dev & { call?: string }) =>
    p.call !== undefined
      ? req(T, 'TWS_ClearConnection', [['tokenGuid', p.token], ['szCall', p.call], ['szDevice', p.device ?? '']])
      : p.device === undefined
        ? req(T, 'TWS_ClearConnectionActiveByDefaultDevice', [['tokenGuid', p.token]])
        : req(T, 'TWS_ClearConnectionActive', [['tokenGuid', p.token], ['szDevice', p.device]]),
  divert: (p: Dev & { call?: string; to: string }) =>
    p.call !== undefined
      ? req(T, 'TWS_DivertCall', [['tokenGuid', p.token], ['szCall', p.call], ['szDevice', p.device ?? ''], ['szTo', p.to]])
      : p.device === undefined
        ? req(T, 'TWS_DivertCallQueuedByDefaultDevice', [['tokenGuid', p.token], ['szTo', p.to]])
        : req(T, 'TWS_DivertCallQueued', [['tokenGuid', p.token], ['szDevice', p.device], ['szTo', p.to]]),
  divertFromQueue: (p: { token: string; call: string; queue: string; to: string }) =>
    req(T, 'TWS_DivertCallFromQueue', [['tokenGuid', p.token], ['szCall', p.call], ['szDevice', p.queue], ['szTo', p.to]]),
  hold: (p: Dev & { call?: string }) =>
    p.call !== undefined
      ? req(T, 'TWS_HoldCall', [['tokenGuid', p.token], ['szCall', p.call], ['szDevice', p.device ?? '']])
      : p.device === undefined
        ? req(T, 'TWS_HoldCallActiveByDefaultDevice', [['tokenGuid', p.token]])
        : req(T, 'TWS_HoldCallActive', [['tokenGuid', p.token], ['szDevice', p.device]]),
  retrieve: (p: Dev & { call?: string }) =>
    p.call !== undefined
      ? req(T, 'TWS_RetrieveCall', [['tokenGuid', p.token], ['szCall', p.call], ['szDevice', p.device ?? '']])
      : p.device === undefined
        ? req(T, 'TWS_RetrieveCallHeldByDefaultDevice', [['tokenGuid', p.token]])
        : req(T, 'TWS_RetrieveCallHeld', [['tokenGuid', p.token], ['szDevice', p.device]]),
  /** Always sends `szTo` (the manual's URLs omit it, §7 #21) and both device names. */
  consult: (p: Dev & { call?: string; to: string }) =>
    p.call !== undefined
      ? req(T, 'TWS_ConsultationCall', [['tokenGuid', p.token], ['szCall', p.call], ['szDevice', p.device ?? ''], ['szFrom', p.device ?? ''], ['szTo', p.to]])
      : p.device === undefined
        ? req(T, 'TWS_ConsultationCallActiveByDefaultDevice', [['tokenGuid', p.token], ['szTo', p.to]])
        : req(T, 'TWS_ConsultationCallActive', [['tokenGuid', p.token], ['szDevice', p.device], ['szFrom', p.device], ['szTo', p.to]]),
  alternate: (p: Dev) =>
    p.device === undefined
      ? req(T, 'TWS_AlternateCallActiveByDefaultDevice', [['tokenGuid', p.token]])
      : req(T, 'TWS_AlternateCallActive', [['tokenGuid', p.token], ['szDevice', p.device]]),
  conference: (p: Dev) =>
    p.device === undefined
      ? req(T, 'TWS_ConferenceCallActiveByDefaultDevice', [['tokenGuid', p.token]])
      : req(T, 'TWS_ConferenceCallActive', [['tokenGuid', p.token], ['szDevice', p.device]]),
  /** Blind transfer (no attended-transfer function exists, §7 #36). */
  transfer: (p: Dev & { call?: string; to: string }) =>
    p.call !== undefined
      ? req(T, 'TWS_SingleStepTrans', [['tokenGuid', p.token], ['szCall', p.call], ['szFrom', p.device ?? ''], ['szTo', p.to]])
      : p.device === undefined
        ? req(T, 'TWS_SingleStepTransActiveByDefaultDevice', [['tokenGuid', p.token], ['szTo', p.to]])
        : req(T, 'TWS_SingleStepTransActive', [['tokenGuid', p.token], ['szFrom', p.device], ['szTo', p.to]]),

  // ---- parking
  park: (p: Dev & { call?: string; to?: string }) =>
    p.call !== undefined
      ? req(T, 'TWS_ParkCall', [['tokenGuid', p.token], ['szCall', p.call], ['szDevice', p.device ?? ''], ['szTo', p.to ?? '']])
      : req(T, 'TWS_ParkCallActiveByDefaultDevice', [['tokenGuid', p.token], ['szTo', p.to ?? '']]),
  /** Unpark = SendFacility(prefix, slot); the slot is sent as `szTo` and `szArg` (§7 #25). */
  unpark: (p: { token: string; prefix: string; slot: string }) =>
    req(T, 'TWS_SendFacility', [['tokenGuid', p.token], ['szPrefix', p.prefix], ['szTo', p.slot], ['szArg', p.slot]]),

  // ---- forwarding (types per the table, not the examples, §7 #26)
  forwardOn: (p: { token: string; userGuid: string; to: string; type: ForwardType }) =>
    req(T, 'TWS_SetForwardOn', [['tokenGuid', p.token], ['userGuid', p.userGuid], ['szTo', p.to], ['intType', forwardTypes[p.type]]]),
  forwardOff: (p: { token: string; userGuid: string; type: ForwardType }) =>
    req(T, 'TWS_SetForwardOff', [['tokenGuid', p.token], ['userGuid', p.userGuid], ['intType', forwardTypes[p.type] + 1]]),
  queryForward: (p: { token: string; userGuid?: string; device?: string }) =>
    p.device !== undefined
      ? req(T, 'TWS_QueryDeviceForwardInfoByDevice', [['tokenGuid', p.token], ['szDevice', p.device]])
      : req(T, 'TWS_QueryDeviceForwardInfo', [['tokenGuid', p.token], ['userGuid', p.userGuid ?? '']]),

  // ---- state queries
  queryCalls: (p: { token: string; device: string }) => req(T, 'TWS_QueryCCosByDevice', [['tokenGuid', p.token], ['szDevice', p.device]]),
  devicesState: (p: { domainGuid: string; protocol: 'CSTA' | 'VTIXML'; first: string; last: string }) =>
    req(T, 'TWS_GetDevicesState', [['domainGuid', p.domainGuid], ['protocol', p.protocol], ['firstnumber', p.first], ['lastnumber', p.last]]),

  // ---- call data (no token, §2.7)
  setCallData: (p: { key: string; data: string; add: boolean }) => req(T, 'TWS_SetCallData', [['key', p.key], ['data', p.data], ['add', p.add]]),
  getCallData: (p: { key: string }) => req(T, 'TWS_GetCallData', [['key', p.key]]),
  changeCallDataKey: (p: { oldKey: string; newKey: string }) => req(T, 'TWS_ChangeKeyCallData', [['oldkey', p.oldKey], ['newkey', p.newKey]]),

  // ---- agent (Alcatel only, L1780)
  agentLogin: (p: { token: string; device: string; agentDevice: string; agentId: string; agentGroup: string; password: string }) =>
    req(T, 'TWS_AgentLogin', [['tokenGuid', p.token], ['szDevice', p.device], ['agentDevice', p.agentDevice], ['agentID', p.agentId], ['agentGroup', p.agentGroup], ['password', p.password]]),
  agentLogout: (p: { token: string; device: string; agentId: string; password: string }) =>
    req(T, 'TWS_AgentLogout', [['tokenGuid', p.token], ['szDevice', p.device], ['agentID', p.agentId], ['password', p.password]]),
  /** 0 busy, 3 not ready, 4 ready, 5 working after call (1 and 2 must not be used, L1849). */
  setAgentState: (p: { token: string; agentId: string; state: 'AgentBusy' | 'NotReady' | 'Ready' | 'WorkingAfterCall' }) =>
    req(T, 'TWS_SetAgentState', [['tokenGuid', p.token], ['agentId', p.agentId], ['state', { AgentBusy: 0, NotReady: 3, Ready: 4, WorkingAfterCall: 5 }[p.state]]]),
  queryAgentState: (p: Dev) =>
    p.device === undefined
      ? req(T, 'TWS_QueryAgentStateByDefaultDevice', [['tokenGuid', p.token]])
      : req(T, 'TWS_QueryAgentState', [['tokenGuid', p.token], ['szDevice', p.device]]),

  // ---- call log (SocialCollaboration, no token)
  callLog: (p: { userGuid: string; personGuid?: string; page: number; length: number; search: number }) =>
    req('social', p.personGuid ? 'GetPersonDocumentsByTypeWithAcls' : 'GetMyDocumentsByTypeWithAcls', [
      ['userGuid', p.userGuid],
      ['personGuid', p.personGuid ?? ''],
      ['page', p.page],
      ['length', p.length],
      ['search', p.search],
    ]),
} as const;

export interface UrlOptions {
  /** `http://host:9001` or `https://host:9011` (no trailing path). */
  baseUrl: string;
  format?: 'Json' | 'Xml';
}

/** `<base><service>/<Format>/<Function>?a=b&…`, every name and value percent-encoded. */
export function buildUrl(r: TwsRequest, opts: UrlOptions): string {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const query = r.params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `${base}${servicePaths[r.service]}/${opts.format ?? 'Json'}/${r.fn}${query ? `?${query}` : ''}`;
}

export interface SoapRequest {
  /** Path to POST to (the service path). */
  path: string;
  contentType: string;
  soapAction: string;
  body: string;
}

/** A SOAP 1.1 envelope for the request (digest §1.3 [INF]). */
export function buildSoap(r: TwsRequest): SoapRequest {
  const params = r.params.map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('');
  return {
    path: servicePaths[r.service],
    contentType: 'text/xml; charset=utf-8',
    soapAction: `"http://tempuri.org/${contracts[r.service]}/${r.fn}"`,
    body:
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
      `<${r.fn} xmlns="http://tempuri.org/">${params}</${r.fn}>` +
      '</s:Body></s:Envelope>',
  };
}
