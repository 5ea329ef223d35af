// Every HTTP URL example of the manual (digest §6.1), sent exactly as printed (only the host and port are the
// lab's), against the default lab: the placeholder tokens are pre-issued to the example user, whose example
// sets are pre-monitored. Where the lab has to be in a state first (a call up, a consultation), the control API
// puts it there; results are the manual's where it shows one, else the documented code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab.js';
import { TwsClient, httpCall, sleep, tag, tags } from './test-client.js';

let lab: Lab;
let c: TwsClient;

beforeAll(async () => {
  lab = await startLab({ vendors: ['tws'], portBase: 0 });
  c = new TwsClient(lab);
});
afterAll(async () => lab.stop());

/** GET the URL as printed, on the lab's ports. */
async function ex(url: string): Promise<{ status: number; text: string; json: () => Record<string, unknown> }> {
  const real = url.replace('http://localhost:9001', c.http).replace('https://localhost:9011', c.https).replace('https://TWSserver:9011', c.https).replace('https://mediaserver:8001', c.https);
  const r = await httpCall(real, { ca: c.ca });
  return { status: r.status, text: r.text, json: () => JSON.parse(r.text) as Record<string, unknown> };
}

async function expectJson(url: string, body: Record<string, unknown>): Promise<void> {
  const r = await ex(url);
  expect(r.status, url).toBe(200);
  expect(r.json(), url).toEqual(body);
}

const base = 'http://localhost:9001/tws/TWS_ToolkitWebSvc/TWS_ToolkitWebSvc.svc';

/** An outside call to 1000 (answered unless `ring`). */
async function inbound(ring = false): Promise<void> {
  await c.post('/calls', { from: '0141906666', to: '1000' });
  if (!ring) await c.post('/devices/1000/answer');
}
const hangup = async (n = '1000') => {
  await c.post(`/devices/${n}/hangup`).catch(() => undefined);
};

describe('the manual URL examples (§6.1)', () => {
  it('WSDL, help pages, the generic templates', async () => {
    for (const u of [
      'http://localhost:9001/tws/TWS_ToolkitWebSvc/TWS_ToolkitWebSvc.svc?wsdl',
      'http://localhost:9001/tws/TWS_ToolkitWebSvc/TWS_ToolkitWebSvc.svc?singlewsdl',
      'http://localhost:9001/tws/auth/TWS_UserWebSvc/TWS_UserWebSvc.svc?wsdl',
      'http://localhost:9001/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc?wsdl',
      'http://localhost:9001/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc?singlewsdl',
      'http://localhost:9001/tws/TWS_SocialCollaborationWebSvc/TWS_SocialCollaborationWebSvc.svc?wsdl',
      'http://localhost:9001/tws/TWS_SocialCollaborationWebSvc/TWS_SocialCollaborationWebSvc.svc?singlewsdl',
      'https://mediaserver:8001/tws/TWS_ToolkitWebSvc/TWS_ToolkitWebSvc.svc?wsdl',
      'https://mediaserver:8001/tws/TWS_ToolkitWebSvc/TWS_ToolkitWebSvc.svc?singleWSDL',
    ]) {
      const r = await ex(u);
      expect(r.status, u).toBe(200);
      expect(r.text, u).toContain('wsdl:definitions');
    }
    const page = await ex('https://TWSserver:9011/tws/tws_toolkitwebsvc/tws_toolkitwebsvc.svc');
    expect(page.status).toBe(200);
    // The generic templates name a placeholder function: 404, like any unknown function.
    for (const u of [`${base}/Json/TWS_Function?parameter1=xxx&...`, `${base}/Xml/TWS_Function?parameter1=xxx&...`, 'https://localhost:9011/tws/TWS_ToolkitWebSvc/TWS_ToolkitWebSvc.svc/Json/TWS_Function?parameter1=xxx&...']) {
      expect((await ex(u)).status).toBe(404);
    }
  });

  it('tokens, user, directory and numbering', async () => {
    const t = await ex('http://localhost:9001/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc/XML/TWS_GetMyToken2?apiKey=[APIKEY]&username=[USERNAME]&password=[PASSWORD]');
    expect(tag(t.text, 'Ok')).toBe('true');
    expect(tags(tag(t.text, 'Devices') as string, 'string')).toContain('1000');
    const w = await ex('http://localhost:9001/tws/auth/TWS_UserWebSvc/TWS_UserWebSvc.svc/Json/TWS_GetMyToken2?apiKey=[APIKEY]&username=[USERNAME]&password=[PASSWORD]');
    expect(w.json()).toMatchObject({ TWS_GetMyToken2Result: { Ok: true } });
    const a = await ex('http://localhost:9001/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc/XML/TWS_GetMyTokenAdmin?apiKey=[APIKEY]&adminUsername=[ADMINUSERNAME]&adminPassword=[ADMINPASSWORD]&username=[USERNAME]');
    expect(tag(a.text, 'Ok')).toBe('true');
    expect(tag(a.text, 'Username')).toBe('[USERNAME]');
    const e = await ex('http://localhost:9001/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc/XML/TWS_GetMyToken2?apiKey=[APIKEY]&username=[USERNAME]');
    expect(tag(e.text, 'Ok')).toBe('true');
    expect(e.text).toContain('<a:UserGuid i:nil="true"/>');
    const u = await ex('http://localhost:9001/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc/json/TWS_GetMyUser?guidToken=[GUIDTOKEN]');
    expect(u.json()).toMatchObject({ TWS_GetMyUserResult: { Firstname: 'Example', Lastname: 'User' } });
    // L620 has no token at all: null (there is nothing to identify the user).
    await expectJson('http://localhost:9001/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc/json/TWS_GetMyProfile', { TWS_GetMyProfileResult: null });
    await expectJson(`${base}/json/TWS_NormalizeNumber?tokenGuid=3911534b-e16c-4427-bc6a-59a78628b2bb&szTo=4031`, { TWS_NormalizeNumberResult: '4031' });
    const s = await ex('http://localhost:9001/tws/TWS_UserWebSvc/TWS_UserWebSvc.svc/XML/TWS_SearchPeople?guidToken=[GUIDTOKEN]&search=[SEARCH]');
    expect(s.status).toBe(200);
    expect(tag(s.text, 'Count')).toBe('0');
  });

  it('monitoring', async () => {
    // The placeholders of szApp/szDevice are not TWS-TLK nor a device: -7 / -4, with the token accepted.
    await expectJson(`${base}/Json/TWS_WebStartMonitor?tokenGuid=[TOKENGUID]&szApp=[SZAPP]&szDevice=[SZDEVICE]`, { TWS_WebStartMonitorResult: -7 });
    await expectJson(`${base}/Json/TWS_WebStopMonitor?tokenGuid={TOKENGUID}&szApp={SZAPP}&szDevice={SZDEVICE}`, { TWS_WebStopMonitorResult: -7 });
    await expectJson(`${base}/Json/TWS_WebResetDeviceMonitor?tokenGuid=[TOKENGUID]&szDevice=[SZDEVICE]`, { TWS_WebResetDeviceMonitorResult: -4 });
  });

  it('make call, open make call, redial', async () => {
    await c.post('/reset');
    await expectJson(`${base}/json/TWS_MakeCallByDefaultDevice?tokenGuid=xxx-xxxxx-xxx&szTo=2000`, { TWS_MakeCallByDefaultDeviceResult: 0 });
    await hangup();
    await expectJson(`${base}/json/TWS_MakeCall?tokenGuid=xxxxxxxx-xxx&szFrom=1000&szTo=2000`, { TWS_MakeCallResult: 0 });
    await hangup();
    await expectJson(`${base}/json/TWS_OpenMakeCallByDefaultDevice?tokenGuid=xxx-xxxxx-xxx&szTo=2000`, { TWS_OpenMakeCallByDefaultDeviceResult: 0 });
    await hangup();
    await expectJson(`${base}/json/TWS_OpenMakeCall?tokenGuid=xxx-xxxxx-xxx&szDevice=1000&szTo=2000`, { TWS_OpenMakeCallResult: 0 });
    await hangup();
    await expectJson(`${base}/json/TWS_BisByDefaultDevice?tokenGuid=xxxx-xxxx-xxxx-xxxx`, { TWS_BisByDefaultDeviceResult: 0 });
    await hangup();
    await expectJson(`${base}/json/TWS_Bis?tokenGuid=xxxx-xxxx-xxxx-xxxx&szDevice=1000`, { TWS_BisResult: 0 });
    await hangup();
  });

  it('answer, clear, divert (the /Ison/ URLs reach Json in the default lenient mode)', async () => {
    await c.post('/reset');
    await inbound(true);
    await expectJson(`${base}/Ison/TWS_AnswerCallQueuedByDefaultDevice?tokenGuid=xxx-xxxxx-xxx`, { TWS_AnswerCallQueuedbyDefaultDeviceResult: 0 });
    await expectJson(`${base}/json/TWS_ClearConnectionActiveByDefaultDevice?tokenGuid=xxx-xxxxx-xxx`, { TWS_ClearConnectionActiveByDefaultDeviceResult: 0 });
    await inbound(true);
    await expectJson(`${base}/Ison/TWS_AnswerCallQueued?tokenGuid=xxx-xxxxx-xxx&szDevice=1000`, { TWS_AnswerCallQueuedResult: 0 });
    await expectJson(`${base}/json/TWS_ClearConnectionActive?tokenGuid=xxx-xxxxx-xxx&szDevice=1000`, { TWS_ClearConnectionActiveResult: 0 });
    // The manual's connection references name no call of the lab: -3 (connectionNotFound).
    await expectJson(`${base}/json/TWS_ClearConnection?tokenGuid=xxx-xxxxx-xxx&szCall=199384872&szDevice=1000`, { TWS_ClearConnectionResult: -3 });
    await inbound(true);
    await expectJson(`${base}/Ison/TWS_DivertCallQueuedByDefaultDevice?tokenGuid=xxx-xxxxx-xxx&szTo=2000`, { TWS_DivertCallQueuedByDefaultDeviceResult: 0 });
    await hangup('2000');
    await inbound(true);
    await expectJson(`${base}/Ison/TWS_DivertCallQueued?tokenGuid=xxx-xxxxx-xxx&szDevice=1000&szTo=3000`, { TWS_DivertCallQueuedResult: 0 });
    await expectJson(`${base}/Ison/TWS_DivertCall?tokenGuid=xxxxxxxx-xxx&szCall=199384872&szDevice=1000&szTo=4000`, { TWS_DivertCallResult: -3 });
    await expectJson(`${base}/json/TWS_DivertCallFromQueue?tokenGuid=xxxxxxxx-xxx&szCall=199384872&szDevice=5000&szTo=4000`, { TWS_DivertCallFromQueueResult: -3 });
    // The calls of this test reached the example user's call log (GetMyDocuments, GetPersonDocuments).
    await sleep(20);
    const docs = await ex('http://localhost:9001/tws/TWS_SocialCollaborationWebSvc/TWS_SocialCollaborationWebSvc.svc/XML/GetMyDocumentsByTypeWithAcls?userGuid=97a02200-fa08-4cdd-96ab-e44eb7f577dd&personGuid=&page=1&length=2&search=1000');
    expect(tags(docs.text, 'CDocument')).toHaveLength(2);
    const person = await ex(
      'http://localhost:9001/tws/TWS_SocialCollaborationWebSvc/TWS_SocialCollaborationWebSvc.svc/XML/GetPersonDocumentsByTypeWithAcls?userGuid=97a02200-fa08-4cdd-96ab-e44eb7f577dd&personGuid=58d83796-28d1-43ad-b1e3-ac88a5ee0b86&page=1&length=2&search=1000',
    );
    expect(tags(person.text, 'CDocument')).toHaveLength(2);
    expect(tag(person.text, 'Phone')).toBe('0141906666');
  });

  it('hold, retrieve, consultation, alternate, conference', async () => {
    await c.post('/reset');
    await inbound();
    await expectJson(`${base}/json/TWS_HoldCallActiveByDefaultDevice?tokenGuid=xxx-xxxxx-xxx`, { TWS_HoldCallActiveByDefaultDeviceResult: 0 });
    await expectJson(`${base}/json/TWS_RetrieveCallHeldByDefaultDevice?tokenGuid=xxx-xxxxx-xxx`, { TWS_RetrieveCallHeldbyDefaultDeviceResult: 0 });
    await expectJson(`${base}/json/TWS_HoldCallActive?tokenGuid=xxx-xxxxx-xxx&szDevice=1000`, { TWS_HoldCallActiveResult: 0 });
    await expectJson(`${base}/json/TWS_RetrieveCallHeld?tokenGuid=xxx-xxxxx-xxx&szDevice=1000`, { TWS_RetrieveCallHeldResult: 0 });
    await expectJson(`${base}/json/TWS_HoldCall?tokenGuid=xxx-xxxxx-xxx&szCall=4657893&szDevice=1000`, { TWS_HoldCallResult: -3 });
    await expectJson(`${base}/json/TWS_RetrieveCall?tokenGuid=xxx-xxxxx-xxx&szCall=4657893&szDevice=1000`, { TWS_RetrieveCallResult: -3 });
    // As printed the consultation URLs carry no szTo: -250 (nullException).
    await expectJson(`${base}/Isbn/TWS_ConsultationCallActiveByDefaultDevice?tokenGuid=xxx-xxxxxx-xxx`, { TWS_ConsultationCallActiveByDefaultDeviceResult: -250 });
    await expectJson(`${base}/Isbn/TWS_ConsultationCallActive?tokenGuid=xxx-xxxxxx-xxx&szDevice=1000`, { TWS_ConsultationCallActiveResult: -250 });
    await expectJson(`${base}/Isbn/TWS_ConsultationCallActive?tokenGuid=xxx-xxxxxx-xxx&szCall=4657893&szDevice=1000`, { TWS_ConsultationCallActiveResult: -250 });
    // With the szTo the manual's native examples pass: a consultation to 3000, then alternate and conference.
    await expectJson(`${base}/json/TWS_ConsultationCallActive?tokenGuid=xxx-xxxxxx-xxx&szDevice=1000&szTo=3000`, { TWS_ConsultationCallActiveResult: 0 });
    await c.post('/devices/3000/answer');
    await expectJson(`${base}/json/TWS_AlternateCallActiveByDefaultDevice?tokenGuid=xxx-xxxxx-xxx`, { TWS_AlternateCallActiveByDefaultDeviceResult: 0 });
    await expectJson(`${base}/json/TWS_AlternateCallActive?tokenGuid=xxx-xxxxx-xxx&szDevice=1000`, { TWS_AlternateCallActiveResult: 0 });
    await expectJson(`${base}/json/TWS_ConferenceCallActive?tokenGuid=xxx-xxxxx-xxx&szDevice=1000`, { TWS_ConferenceCallActiveResult: 0 });
    await c.post('/reset');
    await inbound();
    await expectJson(`${base}/json/TWS_ConsultationCallActiveByDefaultDevice?tokenGuid=xxx-xxxxxx-xxx&szTo=3000`, { TWS_ConsultationCallActiveByDefaultDeviceResult: 0 });
    await c.post('/devices/3000/answer');
    await expectJson(`${base}/json/TWS_ConferenceCallActiveByDefaultDevice?tokenGuid=xxx-xxxxx-xxx`, { TWS_ConferenceCallActiveByDefaultDeviceResult: 0 });
  });

  it('single-step transfer', async () => {
    await c.post('/reset');
    await inbound();
    await expectJson(`${base}/Json/TWS_SingleStepTransActiveByDefaultDevice?tokenGuid=xxx-xxxxx-xxx&szTo=5000`, { TWS_SingleStepTransActiveByDefaultDeviceResult: 0 });
    await hangup('5000');
    await inbound();
    await expectJson(`${base}/Json/TWS_SingleStepTransActive?tokenGuid=xxx-xxxxx-xxx&szFrom=1000&szTo=5000`, { TWS_SingleStepTransActiveResult: 0 });
    await expectJson(`${base}/Json/TWS_SingleStepTrans?tokenGuid=xxx-xxxxx-xxx&szCall=19499582&szFrom=1000&szTo=5000`, { TWS_SingleStepTransResult: -3 });
  });

  it('forwarding, state, call data', async () => {
    await c.post('/reset');
    // intType=1 is not an On code in the manual's own table (L1369–1377): -251.
    await expectJson(`${base}/json/TWS_SetForwardOn?tokenGuid=xxx-xxxxx-xxx&userGuid=uuuu-uuuuu-uuuuu&szTo=5000&intType=1`, { TWS_SetForwardOnResult: -251 });
    await expectJson(`${base}/Json/TWS_SetForwardOff?tokenGuid=xxx-xxxxx-xxx&userGuid=yyy-yyy-yyy&intType=1`, { TWS_SetForwardOffResult: 0 });
    const f1 = await ex(`${base}/XML/TWS_QueryDeviceForwardInfoByDevice?tokenGuid=xxx-xxxxx-xxx&szDevice=4000`);
    expect(f1.text).toContain('<a:IsUpdated>true</a:IsUpdated>');
    const f2 = await ex(`${base}/XML/TWS_QueryDeviceForwardInfo?tokenGuid=xxx-xxxxx-xxx&userGuid=uuuu-uuuuu-uuuuu`);
    expect(f2.text).toContain('<a:IsSoftPhone>false</a:IsSoftPhone>');
    await expectJson(`${base}/Json/TWS_QueryCCosByDevice?tokenGuid=xxx-xxxxx-xxx&szDevice=1000`, { TWS_QueryCCosByDeviceResult: [] });
    const ds = await ex(`${base}/XML/TWS_GetDevicesState?domainGuid=xxx-xxxxxx-xxx&protocol=VTIXML&firstnumber=1000&lastnumber=1000`);
    expect(tags(ds.text, 'CDeviceInfos')).toHaveLength(1);
    expect(tag(ds.text, 'Device')).toBe('1000');
    expect(tag(ds.text, 'State')).toBe('Connected');
    await expectJson(`${base}/Json/TWS_SetCallData?key=xxxxx&data=xxxxx&add=false`, { TWS_SetCallDataResult: 0 });
    await expectJson(`${base}/json/TWS_GetCallData?key=xxxxx`, { TWS_GetCallDataResult: 'xxxxx' });
    await expectJson(`${base}/json/TWS_ChangeKeyCallData?oldkey=xxxxx&newkey=xxxxx`, { TWS_ChangeKeyCallDataResult: 0 });
  });

  it('park and unpark', async () => {
    await c.post('/reset');
    await inbound();
    await expectJson(`${base}/json/TWS_ParkCallActiveByDefaultDevice?tokenGuid=xxx-xxxxx-xxx&szTo=5000`, { TWS_ParkCallActiveByDefaultDeviceResult: 0 });
    await expectJson(`${base}/Json/TWS_SendFacility?tokenGuid=xxx-xxxxx-xxx&szPrefix=402&szTo=5000`, { TWS_SendFacilityResult: 0 });
    await expectJson(`${base}/json/TWS_ParkCall?tokenGuid=xxx-xxxxx-xxx&szCall=c142&szDevice=1000&szTo=5000`, { TWS_ParkCallResult: -3 });
    // The call is c1 in the lab: the same URL with the lab's reference parks it.
    await expectJson(`${base}/json/TWS_ParkCall?tokenGuid=xxx-xxxxx-xxx&szCall=c1&szDevice=1000&szTo=5000`, { TWS_ParkCallResult: 0 });
  });

  it('agent', async () => {
    await c.post('/reset');
    await expectJson(`${base}/json/TWS_AgentLogin?tokenGuid=xx-xx-xx&szDevice=100&agentDevice=101&agentID=100&agentGroup=110&password=x`, { TWS_AgentLoginResult: 0 });
    await expectJson(`${base}/json/TWS_SetAgentState?tokenGuid=xxx-xxxxx-xxx&agentId=100&state=3`, { TWS_SetAgentStateResult: 0 });
    await expectJson(`${base}/Json/TWS_QueryAgentStateByDefaultDevice?tokenGuid=xxx-xxxxx-xxx`, { TWS_QueryAgentStateByDefaultDeviceResult: 3 });
    await expectJson(`${base}/Json/TWS_QueryAgentState?tokenGuid=xxx-xxxxx-xxx&szDevice=100`, { TWS_QueryAgentStateResult: 3 });
    await expectJson(`${base}/Json/TWS_AgentLogout?tokenGuid=xx-xx-xx&szDevice=100&agentID=100&password=x`, { TWS_AgentLogoutResult: 0 });
  });
});
