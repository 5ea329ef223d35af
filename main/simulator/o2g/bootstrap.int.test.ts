// Discovery, authentication, sessions and subscriptions over HTTPS (digest §7 T01–T08, T25), the Users and
// Maintenance services, and the error bodies (RestErrorInfo) of the bootstrap.
import { afterEach, describe, expect, it } from 'vitest';
import { o2gHarness, type O2gHarness } from './test-client.js';

let h: O2gHarness;
afterEach(async () => {
  await h?.close();
});

const basic = (login: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` });

describe('T01 discovery', () => {
  it('serves the descriptor without a cookie; any other method is 405', async () => {
    h = await o2gHarness();
    const c = h.client();
    const base = h.lab.o2g?.primary.baseUrl as string;
    const r = await c.request('GET', '/api/rest');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.json).toEqual({
      serverInfo: { productName: 'O2G Solution', productType: 'O2G', productVersion: { major: '2.3', minor: '000.041' }, haMode: true },
      versions: [{ id: '1.0', status: 'CURRENT', publicUrl: `${base}/api/rest/authenticate?version=1.0`, internalUrl: `${base}/api/rest/authenticate?version=1.0` }],
    });
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const bad = await c.request(method, '/api/rest');
      expect(bad.status).toBe(405);
      expect(bad.json).toMatchObject({ httpStatus: 'METHOD_NOT_ALLOWED', code: 1005, type: 'NOT_SUPPORTED', canRetry: false });
    }
    expect((await c.request('GET', '/api/rest/')).status).toBe(200);
  });

  it('a configured public base is used for the public URLs only', async () => {
    h = await o2gHarness({ o2g: { publicBaseUrl: 'https://public-server:8443' } });
    const r = await h.client().request('GET', '/api/rest');
    expect(r.json.versions[0].publicUrl).toBe('https://public-server:8443/api/rest/authenticate?version=1.0');
    expect(r.json.versions[0].internalUrl).toBe(`${h.lab.o2g?.primary.baseUrl}/api/rest/authenticate?version=1.0`);
  });
});

describe('T02 T03 authentication', () => {
  it('the manual\'s literal credentials: AlcUserId cookie (JWT-like, Path=/) equal to the credential', async () => {
    h = await o2gHarness();
    const c = h.client();
    // The manual's example: Authorization: Basic aW50ZXJuYWwyOTphbGNhdGVsMjk= (internal29:alcatel29, L67).
    const r = await c.request('GET', '/api/rest/authenticate?version=1.0', undefined, { headers: { Authorization: 'Basic aW50ZXJuYWwyOTphbGNhdGVsMjk=' } });
    expect(r.status).toBe(200);
    const cookie = ([] as string[]).concat(r.headers['set-cookie'] ?? [])[0] as string;
    expect(cookie).toMatch(/^AlcUserId=eyJhbGciOiJIUzI1NiJ9\.eyJzdWIiOiJpbnRlcm5[^;]+; Path=\/$/);
    const base = h.lab.o2g?.primary.baseUrl;
    expect(r.json).toEqual({ credential: cookie.slice('AlcUserId='.length, cookie.indexOf(';')), publicUrl: `${base}/api/rest/1.0/sessions`, internalUrl: `${base}/api/rest/1.0/sessions` });
  });

  it('a wrong password or no header: 401 NOT_ALLOWED with WWW-Authenticate, no cookie', async () => {
    h = await o2gHarness();
    const c = h.client();
    for (const headers of [basic('agent1', 'wrong'), {} as Record<string, string>, basic('nobody', 'x')]) {
      const r = await c.request('GET', '/api/rest/authenticate?version=1.0', undefined, { headers });
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Basic realm="O2G"');
      expect(r.headers['set-cookie']).toBeUndefined();
      expect(r.json).toMatchObject({
        httpStatus: 'UNAUTHORIZED',
        code: 1002,
        type: 'NOT_ALLOWED',
        helpMessage: 'The operation is not allowed, because of insufficient rights or bad credential. Please contact the administrator to fix the problem.',
        canRetry: false,
      });
      expect(typeof r.json.innerMessage).toBe('string');
    }
    expect((await c.request('GET', '/api/rest/authenticate?version=2.0', undefined, { headers: basic('agent1', '1111') })).status).toBe(400);
    expect((await c.request('POST', '/api/rest/authenticate?version=1.0', undefined, { headers: basic('agent1', '1111') })).status).toBe(405);
  });
});

describe('T04 T05 T06 sessions', () => {
  it('opens a session once per credential: SessionInfo + JSESSIONID; the second POST is 403', async () => {
    h = await o2gHarness();
    const c = h.client();
    await c.request('GET', '/api/rest/authenticate?version=1.0', undefined, { headers: basic('agent1', '1111') });
    const r = await c.api('POST', '/sessions', { applicationName: 'AgentDesk' });
    expect(r.status).toBe(200);
    expect(([] as string[]).concat(r.headers['set-cookie'] ?? [])[0]).toMatch(/^JSESSIONID=[0-9A-F]{32}\.tomcat; Path=\/api$/);
    const base = h.lab.o2g?.primary.baseUrl;
    expect(r.json).toMatchObject({ admin: false, timeToLive: 600, privateBaseUrl: `${base}/api/rest/1.0`, publicBaseUrl: `${base}/api/rest/1.0` });
    const services = (r.json.services as Array<{ serviceName: string; relativeUrl: string }>).map((s) => s.relativeUrl);
    expect(services).toEqual(expect.arrayContaining(['/sessions', '/subscriptions', '/telephony', '/acd/agent', '/routing', '/comlog', '/eventSummary', '/directory', '/users']));
    const again = await c.api('POST', '/sessions', { applicationName: 'AgentDesk' });
    expect(again.status).toBe(403);
    expect(again.json).toMatchObject({ code: 1002, type: 'NOT_ALLOWED' });
    expect((await c.api('GET', '/sessions')).json).toEqual(r.json);
    expect((await c.api('POST', '/sessions', {})).status).toBe(403);
  });

  it('no, garbage or closed session: 403 1001 INVALID_SESSION as the manual\'s example 2 (T05, T25)', async () => {
    h = await o2gHarness();
    const c = h.client();
    const none = await c.api('GET', '/telephony/calls');
    expect(none.status).toBe(403);
    expect(none.json).toEqual({
      httpStatus: 'FORBIDDEN',
      code: 1001,
      helpMessage: 'No valid session found for the given identifier. Please logout and login with correct credentials.',
      type: 'INVALID_SESSION',
      innerMessage: expect.stringMatching(/^AlcChameleonException\.BAD_FRAMEWORK_SESSION_IDENTIFIER No framework session in API with this ID : /),
      canRetry: true,
    });
    expect((await c.api('GET', '/telephony/calls', undefined, { headers: { Cookie: 'AlcUserId=garbage' } })).json.code).toBe(1001);
    await c.login('agent1', '1111');
    expect((await c.api('DELETE', '/sessions')).status).toBe(204);
    expect((await c.api('GET', '/telephony/calls')).json).toMatchObject({ code: 1001 });
    expect((await c.api('DELETE', '/sessions')).status).toBe(403);
    // The credential died with its session: it must be renewed.
    expect((await c.api('POST', '/sessions', { applicationName: 'again' })).json).toMatchObject({ code: 1001 });
    await c.login('agent1', '1111');
    expect((await c.api('GET', '/telephony/calls')).status).toBe(200);
  });

  it('expires after timeToLive without requests; keep-alive (and HEAD) restart the timer (T06)', async () => {
    h = await o2gHarness({ o2g: { timeToLiveSec: 1 } });
    const c = await h.user('agent1', '1111');
    // 4 × 400 ms > the time to live: only the keep-alives keep the session open.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 400));
      expect((await c.api(i % 2 ? 'HEAD' : 'POST', i % 2 ? '/sessions' : '/sessions/keepalive')).status).toBe(204);
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect((await c.api('GET', '/telephony/calls')).json).toMatchObject({ code: 1001, type: 'INVALID_SESSION' });
    expect((await c.api('POST', '/sessions/keepalive')).status).toBe(403);
  });

  it('strict cookies: JSESSIONID is required too', async () => {
    h = await o2gHarness({ o2g: { strictCookies: true } });
    const c = await h.user('agent1', '1111');
    expect((await c.api('GET', '/telephony/calls')).status).toBe(200);
    c.cookies.delete('JSESSIONID');
    expect((await c.api('GET', '/telephony/calls')).json.code).toBe(1001);
  });

  it('an administrator opens a supervised session for a user; an administrator session needs loginName', async () => {
    h = await o2gHarness();
    const c = h.client();
    await c.request('GET', '/api/rest/authenticate?version=1.0', undefined, { headers: basic('admin', 'admin') });
    const r = await c.api('POST', '/sessions', { applicationName: 'Supervision', supervisedAccount: { id: '70125', type: 'PHONE_NUMBER' } });
    expect(r.status).toBe(200);
    expect(r.json.admin).toBe(false);
    expect((await c.api('GET', '/logins')).json).toEqual({ loginNames: ['agent2'] });
    const u = h.client();
    await u.request('GET', '/api/rest/authenticate?version=1.0', undefined, { headers: basic('agent1', '1111') });
    expect((await u.api('POST', '/sessions', { applicationName: 'x', supervisedAccount: { id: 'agent2', type: 'LOGIN_NAME' } })).status).toBe(403);
    const e = h.client();
    await e.request('GET', '/api/rest/authenticate?version=1.0', undefined, { headers: basic('admin', 'admin') });
    expect((await e.api('POST', '/sessions', { applicationName: 'x', supervisedAccount: { id: 'a@b', type: 'EMAIL' } })).status).toBe(400);
  });
});

describe('T07 T08 subscriptions', () => {
  it('accepts the desktop\'s subscription with absolute polling URLs, mode CHUNK, format JSON', async () => {
    h = await o2gHarness();
    const c = await h.user('agent1', '1111');
    const r = await c.api('POST', '/subscriptions', {
      filter: { selectors: [{ names: ['telephony'] }, { names: ['agent'] }, { names: ['unifiedComLog'] }, { names: ['eventSummary'] }, { names: ['routingManagement'] }] },
      version: '1.0',
      timeout: 0,
    });
    expect(r.status).toBe(200);
    const base = h.lab.o2g?.primary.baseUrl;
    expect(r.json).toEqual({
      subscriptionId: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      status: 'ACCEPTED',
      publicPollingUrl: `${base}/OTEvents?subscriptionId=${r.json.subscriptionId}`,
      privatePollingUrl: `${base}/OTEvents?subscriptionId=${r.json.subscriptionId}`,
      mode: 'CHUNK',
      format: 'JSON',
    });
  });

  it('refuses malformed filters (400) and licence overflow (REFUSED)', async () => {
    h = await o2gHarness({ o2g: { telephonyAdvancedLicences: 2 } });
    const c = await h.user('agent1', '1111');
    const sub = (body: unknown) => c.api('POST', '/subscriptions', body);
    expect((await sub({ filter: { selectors: [{ names: [] }] }, version: '1.0' })).json).toMatchObject({ httpStatus: 'BAD_REQUEST', code: 1006 });
    expect((await sub({ filter: { selectors: [{ names: ['OnCallCreated', 'OnAgentStateChanged'] }] }, version: '1.0' })).status).toBe(400);
    expect((await sub({ filter: { selectors: [{ names: ['noSuchPackage'] }] }, version: '1.0' })).status).toBe(400);
    expect((await sub({ filter: { selectors: [{ names: ['telephony'] }] }, version: '1.0', timeout: 61 })).status).toBe(400);
    expect((await sub({ filter: { selectors: [{ names: ['telephony'] }] }, version: '1.0', timeout: 1 })).status).toBe(400);
    expect((await sub({ filter: { selectors: [{ names: ['telephony'] }] } })).status).toBe(400);
    expect((await sub({ filter: { selectors: [{ names: ['OnCallCreated', 'OnCallRemoved'] }] }, version: '1.0', timeout: 2 })).json.status).toBe('ACCEPTED');
    expect((await sub({ filter: { selectors: [{ names: ['system'] }] }, version: '1.0' })).json).toMatchObject({ status: 'REFUSED' });
    const admin = await h.user('admin', 'admin');
    expect((await admin.api('POST', '/subscriptions', { filter: { selectors: [{ names: ['telephony'] }] }, version: '1.0' })).status).toBe(400);
    expect((await admin.api('POST', '/subscriptions', { filter: { selectors: [{ ids: ['*'], names: ['telephony'] }] }, version: '1.0' })).json.status).toBe('ACCEPTED');
    const over = await admin.api('POST', '/subscriptions', { filter: { selectors: [{ ids: ['agent1', 'agent2', 'sup1'], names: ['telephony'] }, { ids: ['agent1'], names: ['eventSummary'] }] }, version: '1.0' });
    expect(over.json).toEqual({ status: 'REFUSED', message: expect.stringMatching(/License limit exceeded/) });
    expect((await admin.api('POST', '/subscriptions', { filter: { selectors: [{ names: ['system'] }] }, version: '1.0' })).json.status).toBe('ACCEPTED');
  });

  it('T25 a TELEPHONY_BASIC user: basic call yes, advanced telephony and its events no', async () => {
    h = await o2gHarness();
    const c = await h.user('basic1', '4444');
    const services = (await c.api('GET', '/sessions')).json.services.map((s: { relativeUrl: string }) => s.relativeUrl);
    expect(services).toContain('/telephony');
    expect(services).not.toContain('/routing');
    expect((await c.api('POST', '/telephony/basicCall', { deviceId: '70130', callee: '70125', autoAnswer: true })).status).toBe(201);
    const adv = await c.api('GET', '/telephony/calls');
    expect(adv.status).toBe(403);
    expect(adv.json).toMatchObject({ code: 1002, type: 'NOT_ALLOWED' });
    expect((await c.api('POST', '/subscriptions', { filter: { selectors: [{ names: ['telephony'] }] }, version: '1.0' })).json.status).toBe('REFUSED');
    expect((await c.api('POST', '/telephony/basicCall/dropme')).status).toBe(204);
    expect((await c.api('GET', '/routing')).status).toBe(403);
  });
});

describe('Users and Maintenance', () => {
  it('serves the user resource (devices for oneself only), company phone lookup and preferences', async () => {
    h = await o2gHarness();
    const c = await h.user('agent1', '1111');
    expect((await c.api('GET', '/users/agent1')).json).toEqual({
      companyPhone: '70123',
      firstName: 'Isabelle',
      lastName: 'Marchand',
      loginName: 'agent1',
      voicemail: { number: '70999', type: 'VM_4645' },
      devices: [{ type: 'DESKPHONE', id: '70123', subType: 'NOE_C_Color_IP' }],
      nodeId: '1',
    });
    expect((await c.api('GET', '/users/agent2')).json.devices).toBeUndefined();
    expect((await c.api('GET', '/users?companyPhone=70125')).json.lastName).toBe('Dupont');
    expect((await c.api('GET', '/users?companyPhone=99999')).status).toBe(404);
    expect((await c.api('GET', '/users')).status).toBe(400);
    expect((await c.api('GET', '/users/nobody')).json.code).toBe(1003);
    expect((await c.api('GET', '/logins')).json).toEqual({ loginNames: ['agent1'] });
    expect((await c.api('POST', '/users/agent1/preferences', { guiLanguage: 'fr' })).status).toBe(204);
    expect((await c.api('GET', '/users/agent1/preferences')).json.guiLanguage).toBe('fr');
    expect((await c.api('GET', '/users/agent1/preferences/supportedLanguages')).json.supportedGuiLanguages).toContain('fr');
  });

  it('system status is for administrators; licences are probed without a session', async () => {
    h = await o2gHarness();
    const c = await h.user('agent1', '1111');
    expect((await c.api('GET', '/system/status')).status).toBe(403);
    const admin = await h.user('admin', 'admin');
    const s = await admin.api('GET', '/system/status');
    expect(s.json).toMatchObject({ ha: true, primary: `127.0.0.1:${h.lab.o2g?.primary.port}`, secondary: `127.0.0.1:${h.lab.o2g?.secondary?.port}`, pbxs: [{ nodeId: 1, ctiLinkState: 'CONNECTED_MAIN' }] });
    expect((await h.client().api('GET', '/system/licenses?lic=ROXE_HA')).status).toBe(204);
    expect((await h.client().api('GET', '/system/licenses?lic=NOPE')).status).toBe(403);
  });

  it('an unknown path is 404 NOT_SUPPORTED, a known path with another method 405, with or without a session', async () => {
    h = await o2gHarness();
    const c = h.client();
    for (const path of ['/api/rest/1.0/nothing', '/api/rest/2.0/sessions', '/nothing', '/api/rest/1.0/analytics']) {
      const r = await c.request('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.json).toMatchObject({ httpStatus: 'NOT_FOUND', code: 1005, type: 'NOT_SUPPORTED' });
    }
    expect((await c.api('PATCH', '/telephony/calls')).status).toBe(405);
  });
});
