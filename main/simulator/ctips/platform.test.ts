// The CTIPS platform model on its own (no sockets): CallIds per PBX call, forgotten at call end after
// every attached portal saw it; park flags; pending logouts; passcode logins; links; route requests; reset; the lab's port slots of the pair.
import { afterEach, describe, expect, it } from 'vitest';
import { Pbx } from '../pbx/pbx.js';
import { labPort } from '../ports.js';
import { ctipsPbxConfig, withCtipsAgents } from './config.js';
import { pbxConfig } from '../pbx/config.js';
import { CtipsPlatform, type CtipsPasscodeLogin, type CtipsPlatformNotice, type CtipsPlatformPeer } from './platform.js';

let pbx: Pbx;
afterEach(() => pbx.dispose());

const peer = (): CtipsPlatformPeer & { refreshed: string[]; notices: CtipsPlatformNotice[]; logins: Array<[string, number]> } => {
  const refreshed: string[] = [];
  const notices: CtipsPlatformNotice[] = [];
  const logins: Array<[string, number]> = [];
  return {
    refreshed,
    notices,
    logins,
    refreshAgent: (d) => refreshed.push(d),
    diverted: () => undefined,
    notice: (n) => notices.push(n),
    completeLogin: (l, requestId) => logins.push([l.device, requestId]),
  };
};

describe('CtipsPlatform', () => {
  it('gives each PBX call one CallId from 1001 on, and forgets it when the call ends', () => {
    pbx = new Pbx(ctipsPbxConfig({ externalAnswerMs: -1 }));
    const p = new CtipsPlatform(pbx);
    const detach = p.attach(peer());
    const c1 = pbx.placeExternalCall({ from: '0612345678', to: '1102' });
    const c2 = pbx.placeExternalCall({ from: '0145678901', to: '1103' });
    expect(p.peekCallId(c1)).toBeUndefined();
    expect(p.callId(c1)).toBe(1001);
    expect(p.callId(c2)).toBe(1002);
    expect(p.callId(c1)).toBe(1001);
    expect(p.pbxCallOf(1002)).toBe(c2);
    pbx.drop('0612345678', { callId: c1 });
    expect(p.peekCallId(c1)).toBeUndefined();
    expect(p.pbxCallOf(1001)).toBeUndefined();
    expect(p.callId(c2)).toBe(1002);
    p.reset();
    expect(p.describe()).toMatchObject({ calls: [], nextCallId: 1003, portals: 1 });
    detach();
    expect(p.describe().portals).toBe(0);
  });

  it('keeps park flags and pending logouts; a pending logout happens once the station has no call', () => {
    pbx = new Pbx(ctipsPbxConfig({ externalAnswerMs: -1 }));
    const p = new CtipsPlatform(pbx);
    const a = peer();
    const b = peer();
    p.attach(a);
    p.attach(b);
    p.setParked('1102', true);
    expect(p.isParked('1102')).toBe(true);
    p.refreshAgent('1102');
    expect([a.refreshed, b.refreshed]).toEqual([['1102'], ['1102']]);
    pbx.setAgentState('1102', 'ready', { force: true });
    const call = pbx.placeExternalCall({ from: '0612345678', to: '1102' });
    p.addPendingLogout('1102');
    expect(p.hasPendingLogout('1102')).toBe(true);
    expect(pbx.agent('1102')?.state).not.toBe('loggedOff');
    pbx.drop('0612345678', { callId: call });
    expect(pbx.agent('1102')?.state).toBe('loggedOff');
    expect(p.hasPendingLogout('1102')).toBe(false);
    p.loggedOut('1102');
    expect(p.isParked('1102')).toBe(false);
  });

  it('quietly() holds a station’s reports back and then asks every portal once; transferring() marks the station', () => {
    pbx = new Pbx(ctipsPbxConfig());
    const p = new CtipsPlatform(pbx);
    const a = peer();
    p.attach(a);
    p.quietly('1101', () => expect(p.isQuiet('1101')).toBe(true));
    expect(p.isQuiet('1101')).toBe(false);
    expect(a.refreshed).toEqual(['1101']);
    expect(p.transferring('1101', () => p.transferringDevice)).toBe('1101');
    expect(p.transferringDevice).toBeUndefined();
  });

  it('withCtipsAgents adds agent positions on 1102/1103 only where none is configured', () => {
    pbx = new Pbx(ctipsPbxConfig());
    const base = pbxConfig({}, { o2g: true, tws: true });
    const ext = withCtipsAgents(base);
    expect(ext.agents.length - base.agents.length).toBe(2);
    expect(ext.agents.filter((x) => ['1101', '1102', '1103'].includes(x.device)).map((x) => x.userID)).toEqual(['agent1101', 'agent1102', 'agent1103']);
    expect(withCtipsAgents(ext).agents).toHaveLength(ext.agents.length);
  });

  it('passcode logins: EnterPasscode to every portal, the right digits logged in by the origin with its RequestId, 3 wrong → failed', () => {
    pbx = new Pbx(ctipsPbxConfig());
    const p = new CtipsPlatform(pbx);
    const a = peer();
    const b = peer();
    p.attach(a);
    p.attach(b);
    const login = (requestId: number): CtipsPasscodeLogin => ({ device: '1104', agentId: 1104, loginName: 'agent1104', digits: '123', initial: 'Idle', attempts: 0, requestId, origin: b });
    p.startPasscodeLogin(login(7));
    expect([a.notices, b.notices].map((n) => n.map((x) => x.kind))).toEqual([['passcode'], ['passcode']]);
    expect(p.enterPasscode('1101', '123')).toBeUndefined();
    expect(p.enterPasscode('1104', '1')).toEqual({ result: 'reEnter', attempts: 1 });
    expect(b.notices[1]).toMatchObject({ kind: 'passcode', reEnter: true });
    expect(p.enterPasscode('1104', '123')).toEqual({ result: 'loggedIn', attempts: 1 });
    expect([a.logins, b.logins]).toEqual([[], [['1104', 7]]]);
    expect(p.passcodeLogin('1104')).toBeUndefined();
    p.startPasscodeLogin(login(8));
    for (const d of ['1', '2']) expect(p.enterPasscode('1104', d)?.result).toBe('reEnter');
    expect(p.enterPasscode('1104', '3')).toEqual({ result: 'failed', attempts: 3 });
    expect(a.notices.at(-1)).toMatchObject({ kind: 'passcodeFailed' });
    expect(p.describe().passcodes).toEqual([]);
  });

  it('links: setLink tells every portal; reset brings both up. Route requests: one per call, the timeout default-routes, call end forgets', () => {
    pbx = new Pbx(ctipsPbxConfig({ msPerSecond: 10 }));
    const p = new CtipsPlatform(pbx);
    const a = peer();
    const b = peer();
    p.attach(a);
    p.attach(b);
    p.setLink('CenterCord', 'Down');
    expect(p.linkState('CenterCord')).toBe('Down');
    expect(b.notices).toEqual([{ kind: 'link', component: 'CenterCord', state: 'Down' }]);
    p.reset();
    expect(p.describe().links).toEqual({ Gateway: 'Up', CenterCord: 'Up' });

    const call = pbx.placeExternalCall({ from: '0612345678', to: '6200' });
    const rec = { callId: p.callId(call), pbxCallId: call, serviceId: 2, device: '6200', routeTimeoutSec: 10, defaultServiceId: 1, defaultNumber: '6201' };
    const r = p.routeArrived(rec, 60_000);
    expect(p.routeArrived(rec, 60_000)).toBe(r);
    expect(a.notices.filter((n) => n.kind === 'routeRequest')).toHaveLength(1);
    p.routeSelected(r, { routeType: 'RouteToService', destination: '1', agentId: 0, requestId: 5, origin: a });
    expect(r.state).toBe('routed');
    expect(b.notices.at(-1)).toMatchObject({ kind: 'routeUsed', status: 'RouteSuccess', requestId: 5, origin: a });
    pbx.clearCall(call);
    expect(p.routeOf(call)).toBeUndefined();
    expect(p.describe().routes).toEqual([]);
  });

  it('the lab runs portal A on port base + 20 and portal B on + 21 (free ports with base 0)', () => {
    pbx = new Pbx(ctipsPbxConfig());
    expect([labPort(5070, 'ctips'), labPort(5070, 'ctipsB')]).toEqual([5090, 5091]);
    expect([labPort(0, 'ctips'), labPort(0, 'ctipsB')]).toEqual([0, 0]);
  });
});
