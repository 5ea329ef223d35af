// The CCD agent service over HTTPS (digest §7 T14, T18, T23): agent states, withdraw reasons, the
// supervisor's two-step logon, help requests, intrusion and its mode matrix (§5.3), permanent listening.
import { afterEach, describe, expect, it } from 'vitest';
import { o2gHarness, type O2gHarness } from './test-client.js';

let h: O2gHarness;
afterEach(async () => {
  await h?.close();
});

const agentState = (sub: string) => (e: { eventName: string; state?: { subState?: string; mainState?: string } }) =>
  e.eventName === 'OnAgentStateChanged' && (e.state?.subState === sub || e.state?.mainState === sub);

describe('T14 agent logon, pause, ready, withdraw, wrap-up, logoff', () => {
  it('walks the states with one OnAgentStateChanged each and refuses what the state does not allow', async () => {
    h = await o2gHarness();
    const { c, ch } = await h.subscribed('agent1', '1111');
    const config = await c.api('GET', '/acd/agent/config');
    expect(config.json).toMatchObject({ type: 'AGENT', proacd: '70123', processingGroups: { preferred: '60121', groups: ['60121'] }, selfAssign: true, headset: false });
    expect((await c.api('GET', '/acd/agent/state')).json).toEqual({ mainState: 'LOG_OFF' });
    expect((await c.api('POST', '/acd/agent/pause')).json).toMatchObject({ code: 1004, type: 'NOT_EXPECTED' });
    expect((await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70999' })).json).toMatchObject({ code: 1006 });
    expect((await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70123', pgGroupNumber: '60121' })).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toEqual({
      eventName: 'OnAgentStateChanged',
      loginName: 'agent1',
      state: { mainState: 'LOG_ON', subState: 'READY', proAcdDeviceNumber: '70123', pgNumber: '60121' },
    });
    expect((await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70123' })).status).toBe(400);
    expect((await c.api('POST', '/acd/agent/pause')).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { subState: 'PAUSE' } });
    expect((await c.api('POST', '/acd/agent/ready')).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { subState: 'READY' } });
    expect((await c.api('GET', '/acd/agent/withdrawReasons?pgNumber=60121')).json).toEqual({
      number: 2,
      reasons: [
        { index: 1, label: 'Lunch' },
        { index: 2, label: 'Training' },
      ],
    });
    expect((await c.api('GET', '/acd/agent/withdrawReasons?pgNumber=99999')).status).toBe(400);
    expect((await c.api('POST', '/acd/agent/withdraw', { reasonIndex: 2 })).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { subState: 'WITHDRAW', withdrawReason: 2 } });
    expect((await c.api('POST', '/acd/agent/withdraw', { reasonIndex: 7 })).json).toMatchObject({ code: 1006, type: 'BAD_PARAMETER' });
    expect((await c.api('POST', '/acd/agent/withdraw', { reasonIndex: 1 })).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { subState: 'WITHDRAW', withdrawReason: 1 } });
    expect((await c.api('POST', '/acd/agent/ready')).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { subState: 'READY' } });
    expect((await c.api('POST', '/acd/agent/wrapUp')).status).toBe(204);
    const wrap = await ch.next('OnAgentStateChanged');
    expect(wrap.state.subState).toBe('WRAPUP');
    expect((await c.api('GET', '/acd/agent/state')).json).toEqual(wrap.state);
    expect((await c.api('POST', '/acd/agent/logoff')).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { mainState: 'LOG_OFF' } });
    expect((await c.api('POST', '/acd/agent/pause')).json).toMatchObject({ httpStatus: 'BAD_REQUEST', type: 'NOT_EXPECTED' });
    expect((await c.api('POST', '/acd/agent/logoff')).status).toBe(400);
    expect((await c.api('POST', '/acd/agent/state/snapshot')).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { mainState: 'LOG_OFF' } });
  });

  it('a user without the CCD licence or role is refused (403)', async () => {
    h = await o2gHarness();
    const c = await h.user('internal29', 'alcatel29');
    expect((await c.api('GET', '/acd/agent/config')).json).toMatchObject({ httpStatus: 'FORBIDDEN', code: 1002 });
    expect((await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70129' })).status).toBe(403);
    const agent = await h.user('agent2', '2222');
    expect((await agent.api('POST', '/acd/agent/intrusion', { agentNumber: '70123' })).status).toBe(403);
    expect((await agent.api('POST', '/acd/agent/enterPG', { pgGroupNumber: '60121' })).status).toBe(403);
  });

  it('a transaction code owed after an ACD call is TRANSACTION_CODE_INPUT until sendaccountinfo (T15)', async () => {
    const users = (await import('./config.js')).defaultO2gUsers();
    const agent1 = users.find((u) => u.loginName === 'agent1');
    if (agent1?.acd) agent1.acd.transactionCode = true;
    h = await o2gHarness({ o2g: { users } });
    const { c, ch } = await h.subscribed('agent1', '1111');
    await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70123' });
    await ch.next(agentState('READY'));
    await h.control('POST', '/calls', { from: '0612345678', to: '60100' });
    const call = await ch.next('OnCallCreated');
    await c.api('POST', `/telephony/calls/${call.callRef}/answer`, { deviceId: '70123' });
    await ch.next(agentState('BUSY'));
    await h.control('POST', '/devices/0612345678/hangup');
    await ch.next(agentState('TRANSACTION_CODE_INPUT'));
    expect((await c.api('POST', `/telephony/calls/${call.callRef}/sendaccountinfo`, { deviceId: '70123', accountInfo: '4711' })).status).toBe(204);
    await ch.next(agentState('READY'));
  });
});

describe('supervisors', () => {
  it('logs on out of group, enters and exits the PG (both spellings); exit with no PG logs off', async () => {
    h = await o2gHarness();
    const { c, ch } = await h.subscribed('sup1', '3333');
    expect((await c.api('GET', '/acd/agent/config')).json).toMatchObject({ type: 'SUPERVISOR', help: true });
    expect((await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70100' })).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { mainState: 'LOG_ON', subState: 'OUT_OF_PG' } });
    expect((await c.api('POST', '/acd/agent/exitPG', { pgGroupNumber: '60121' })).status).toBe(400);
    expect((await c.api('POST', '/acd/agent/enterPG', {})).status).toBe(400);
    expect((await c.api('POST', '/acd/agent/enterPG', { pgGroupNumber: '60121' })).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { subState: 'READY', pgNumber: '60121' } });
    expect((await c.api('POST', '/acd/agent/exit', { pgGroupNumber: '60121' })).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { subState: 'OUT_OF_PG' } });
    expect((await c.api('POST', '/acd/agent/enter', { pgGroupNumber: '60121' })).status).toBe(204);
    await ch.next(agentState('READY'));
    expect((await c.api('POST', '/acd/agent/exitPG', { pgGroupNumber: '' })).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ state: { mainState: 'LOG_OFF' } });
    // A logon with the PG is the one-step logon; a logged-on out-of-group supervisor may also "log on" into the PG.
    await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70100' });
    await ch.next(agentState('OUT_OF_PG'));
    expect((await c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70100', pgGroupNumber: '60121' })).status).toBe(204);
    await ch.next(agentState('READY'));
  });

  it('T23 help: requested and cancelled to both the agent and the supervisor', async () => {
    h = await o2gHarness();
    const a = await h.subscribed('agent1', '1111');
    const s = await h.subscribed('sup1', '3333');
    expect((await a.c.api('POST', '/acd/agent/supervisorHelp')).status).toBe(400);
    await a.c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70123' });
    expect((await a.c.api('POST', '/acd/agent/supervisorHelp')).json.type).toBe('NOT_EXPECTED');
    await s.c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70100', pgGroupNumber: '60121' });
    expect((await a.c.api('POST', '/acd/agent/supervisorHelp')).status).toBe(204);
    expect(await a.ch.next('OnSupervisorHelpRequested')).toEqual({ eventName: 'OnSupervisorHelpRequested', loginName: 'agent1', agentNumber: '70100' });
    expect(await s.ch.next('OnSupervisorHelpRequested')).toEqual({ eventName: 'OnSupervisorHelpRequested', loginName: 'sup1', agentNumber: '70123' });
    expect((await s.c.api('DELETE', '/acd/agent/supervisorHelp?other=70123')).status).toBe(204);
    expect(await a.ch.next('OnSupervisorHelpCancelled')).toMatchObject({ agentNumber: '70100' });
    expect(await s.ch.next('OnSupervisorHelpCancelled')).toMatchObject({ agentNumber: '70123' });
    expect((await s.c.api('DELETE', '/acd/agent/supervisorHelp?other=70123')).status).toBe(400);
    // The agent cancels its own request.
    await a.c.api('POST', '/acd/agent/supervisorHelp');
    expect((await a.c.api('DELETE', '/acd/agent/supervisorHelp?other=70100')).status).toBe(204);
    expect(await s.ch.next('OnSupervisorHelpCancelled')).toMatchObject({ loginName: 'sup1', agentNumber: '70123' });
  });

  it('T23 intrusion: causes per mode, the §5.3 matrix, and silent listening hidden from the agent', async () => {
    h = await o2gHarness();
    const a = await h.subscribed('agent1', '1111');
    const s = await h.subscribed('sup1', '3333');
    await s.c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70100' });
    expect((await s.c.api('POST', '/acd/agent/intrusion', { agentNumber: '70123', mode: 'DISCRETE' })).json.telephony.errorType).toBe('INCOMPATIBLE_WITH_STATE');
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    const call = await a.ch.next('OnCallCreated');
    await a.c.api('POST', `/telephony/calls/${call.callRef}/answer`, { deviceId: '70123' });
    await a.ch.next('OnCallModified');
    expect((await a.c.api('POST', '/acd/agent/intrusion', { agentNumber: '70123' })).status).toBe(403);
    expect((await s.c.api('POST', '/acd/agent/intrusion', { agentNumber: '70123', mode: 'DISCRETE' })).status).toBe(204);
    const sc = await s.ch.next('OnCallCreated');
    expect(sc).toMatchObject({ callRef: call.callRef, cause: 'SUPERVISOR_LISTENING', legs: [{ deviceId: '70100', state: 'ACTIVE' }] });
    expect(sc.participants).toHaveLength(2);
    expect((await a.ch.rest(50)).filter((e) => e.eventName === 'OnCallModified' && e.addedParticipants)).toEqual([]);
    expect((await s.c.api('PUT', '/acd/agent/intrusion', { mode: 'NORMAL' })).status).toBe(204);
    const am = await a.ch.next('OnCallModified');
    expect(am).toMatchObject({ cause: 'SUPERVISOR_INTRUSION', addedParticipants: [{ identity: { id: { loginName: 'sup1' } } }] });
    expect((await s.c.api('PUT', '/acd/agent/intrusion', { mode: 'RESTRICTED' })).status).toBe(204);
    expect(await a.ch.next('OnCallModified')).toMatchObject({ cause: 'SUPERVISOR_RESTRICT_INTRUSION' });
    // The same mode again: the supervisor drops himself from the call.
    expect((await s.c.api('PUT', '/acd/agent/intrusion', { mode: 'RESTRICTED' })).status).toBe(204);
    await s.ch.next('OnCallRemoved');
    expect((await a.ch.next('OnCallModified')).removedParticipantIds).toHaveLength(1);
    expect((await s.c.api('PUT', '/acd/agent/intrusion', { mode: 'NORMAL' })).json.type).toBe('NOT_EXPECTED');
    // The agent's call goes on with the caller.
    expect((await a.c.api('GET', `/telephony/calls/${call.callRef}`)).json.participants).toHaveLength(1);
  });

  it('permanent listening joins every call the agent answers, until cancelled', async () => {
    h = await o2gHarness();
    const a = await h.subscribed('agent1', '1111');
    const s = await h.subscribed('sup1', '3333');
    await s.c.api('POST', '/acd/agent/logon', { proAcdDeviceNumber: '70100' });
    expect((await s.c.api('POST', '/acd/agent/permanentListening', { agentNumber: '70123' })).status).toBe(204);
    await h.control('POST', '/calls', { from: '0612345678', to: '70123' });
    const call = await a.ch.next('OnCallCreated');
    await a.c.api('POST', `/telephony/calls/${call.callRef}/answer`, { deviceId: '70123' });
    expect(await s.ch.next('OnCallCreated')).toMatchObject({ callRef: call.callRef, cause: 'SUPERVISOR_LISTENING' });
    expect((await s.c.api('DELETE', '/acd/agent/permanentListening')).status).toBe(204);
    await s.ch.next('OnCallRemoved');
    expect((await s.c.api('DELETE', '/acd/agent/permanentListening')).status).toBe(400);
  });
});

describe('T18 an administrator acting for users', () => {
  it('needs loginName, gets one OnAgentStateChanged per agent on a "*" subscription, lists the ACD operators', async () => {
    h = await o2gHarness();
    const admin = h.client();
    const info = await admin.login('admin', 'admin');
    expect(info.json.admin).toBe(true);
    const noLogin = await admin.api('GET', '/telephony/calls');
    expect(noLogin.status).toBe(400);
    expect(noLogin.json).toMatchObject({ code: 1006 });
    expect((await admin.api('GET', '/telephony/calls?loginName=agent1')).json).toEqual({ calls: [] });
    expect((await admin.api('GET', '/telephony/calls?loginName=nobody')).json).toMatchObject({ code: 1003 });
    const sub = await admin.subscribe([{ ids: ['*'], names: ['agent'] }]);
    const ch = await admin.openChannel(sub.privatePollingUrl);
    await ch.next('OnChannelInformation');
    expect((await admin.api('POST', '/acd/agent/state/snapshot')).status).toBe(204);
    const got = [await ch.next('OnAgentStateChanged'), await ch.next('OnAgentStateChanged'), await ch.next('OnAgentStateChanged')];
    expect(got.map((e) => e.loginName).sort()).toEqual(['agent1', 'agent2', 'sup1']);
    expect((await admin.api('GET', '/logins?onlyACD')).json).toEqual({ loginNames: ['agent1', 'agent2', 'sup1'] });
    expect((await admin.api('GET', '/logins')).json.loginNames).toEqual(expect.arrayContaining(['agent1', 'basic1', 'internal29', 'klopez']));
    // Acting for agent1: its state changes reach the admin channel.
    expect((await admin.api('POST', '/acd/agent/logon?loginName=agent1', { proAcdDeviceNumber: '70123' })).status).toBe(204);
    expect(await ch.next('OnAgentStateChanged')).toMatchObject({ loginName: 'agent1', state: { subState: 'READY' } });
    ch.close();
  });
});
