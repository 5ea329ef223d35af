import { describe, expect, it } from 'vitest';
import { Profile } from '../../shared/profile.js';
import {
  connectionVendors,
  draftFromProfile,
  emptyCode,
  emptyDraft,
  emptyPortal,
  moveRow,
  profileServerLabel,
  removeRow,
  secretFields,
  updateRow,
  validateDraft,
  type ProfileDraft,
} from './profileDraft.js';

const ct = (over: Partial<ProfileDraft> = {}): ProfileDraft => ({
  ...emptyDraft('ctips'),
  id: 'site-ctips',
  name: 'CTIPS site',
  device: '4001',
  agentId: 'agent01',
  ctPortals: [{ host: 'portal-a.example', port: '8700', https: false }],
  ctUserName: 'Test01',
  ctAdvertisedHost: '10.0.0.5',
  ...over,
});

const connection = (d: ProfileDraft, base?: Profile) => {
  const r = validateDraft(d, base);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.profile.connection;
};

const errorsOf = (d: ProfileDraft) => {
  const r = validateDraft(d);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};

describe('CTIPS profile draft', () => {
  it('is offered; a new profile starts with one portal row and the schema defaults', () => {
    expect(connectionVendors).toContain('ctips');
    const d = emptyDraft('ctips');
    expect(d.ctPortals).toEqual([{ host: '', port: '8700', https: false }]);
    expect(d).toMatchObject({ ctTenantId: '1', ctBindHost: '0.0.0.0', ctCallbackPort: '0', ctHeartbeatSec: '30', ctHeartbeatMissed: '3', ctGatewayEnabled: false, ctGatewayPort: '8780', ctGatewayHttps: true });
    expect(secretFields('ctips')).toEqual(['password']);
  });

  it('a complete draft becomes a CTIPS connection with the schema defaults; an empty wire profile stays empty', () => {
    expect(connection(ct())).toEqual({
      vendor: 'ctips',
      portals: [{ host: 'portal-a.example', port: 8700, https: false }],
      userName: 'Test01',
      tenantId: 1,
      callback: { bindHost: '0.0.0.0', port: 0, advertisedHost: '10.0.0.5' },
      allowedHosts: [],
      initialState: 'NotReady',
      multiLine: false,
      role: 'agent',
      logoutReasons: [],
      dispositions: [],
      rejectReasons: [],
      heartbeat: { intervalSec: 30, missed: 3 },
      wire: {},
      tls: {},
      gateway: null,
      serve: null,
    });
  });

  const saved = Profile.parse({
    id: 'ctips-a',
    name: 'CTIPS A',
    device: '4001',
    agentId: 'agent01',
    connection: {
      vendor: 'ctips',
      portals: [
        { host: 'portal-a.example', port: 8700, https: true },
        { host: 'portal-b.example', port: 8701 },
      ],
      userName: 'Test01',
      tenantId: 7,
      callback: { bindHost: '10.0.0.5', port: 8730, advertisedHost: 'desk-5.example', certFile: '/etc/ssl/d.pem', keyFile: '/etc/ssl/d.key' },
      allowedHosts: ['portal-a.example', '10.0.0.9'],
      initialState: 'Idle',
      multiLine: true,
      role: 'supervisor',
      logoutReasons: [{ id: '1', label: 'End of shift' }],
      dispositions: [
        { id: '10', label: 'Sale' },
        { id: '-1', label: 'No sale' },
      ],
      rejectReasons: [{ id: '3', label: 'Busy' }],
      heartbeat: { intervalSec: 15, missed: 2 },
      wire: { soapVersion: '1.2', requestNamespace: 'urn:ctips', requestPath: '/Portal/Svc', wsAddressing: false, fieldOrder: 'alphabetical' },
      tls: { caFile: '/etc/ssl/ca.pem' },
      serve: { host: '0.0.0.0', port: 8780, accounts: [] },
    },
    reconnect: { initialMs: 500, maxMs: 9000 },
  });

  it('round-trips a saved CTIPS profile, the gateway-only serve block untouched', () => {
    const d = draftFromProfile(saved);
    expect(d.ctPortals).toEqual([
      { host: 'portal-a.example', port: '8700', https: true },
      { host: 'portal-b.example', port: '8701', https: false },
    ]);
    expect(d.ctAllowedHosts).toBe('portal-a.example, 10.0.0.9');
    expect(d.ctDispositions).toEqual([
      { id: '10', label: 'Sale' },
      { id: '-1', label: 'No sale' },
    ]);
    expect(d).toMatchObject({ ctSoapVersion: '1.2', ctWsAddressing: 'off', ctFieldOrder: 'alphabetical', ctCallbackNamespace: '' });
    expect(validateDraft(d, saved)).toEqual({ ok: true, profile: saved });
    // Edits keep serve as it was.
    expect(connection({ ...d, ctUserName: 'Other' }, saved)).toMatchObject({ userName: 'Other', serve: saved.connection.vendor === 'ctips' ? saved.connection.serve : null });
  });

  it('the wire settings: empty = left out, typed = sent', () => {
    const c = connection(ct({ ctSoapVersion: '1.1', ctRequestNamespace: ' urn:a ', ctCallbackPath: '/cb', ctWsAddressing: 'on', ctDataNamespace: '  ' }));
    expect(c).toMatchObject({ wire: { soapVersion: '1.1', requestNamespace: 'urn:a', callbackPath: '/cb', wsAddressing: true } });
    expect(c.vendor === 'ctips' && 'dataNamespace' in c.wire).toBe(false);
  });

  it('portals: failover order, add, remove, move', () => {
    const a = { host: 'a', port: '8700', https: false };
    const b = { host: 'b', port: '8701', https: true };
    expect(moveRow([a, b], 1, -1)).toEqual([b, a]);
    expect(moveRow([a, b], 0, -1)).toEqual([a, b]);
    expect(removeRow([a, b], 0)).toEqual([b]);
    expect(updateRow([a, b], 1, { host: 'c' })).toEqual([a, { ...b, host: 'c' }]);
    expect(connection(ct({ ctPortals: [b, a] }))).toMatchObject({ portals: [{ host: 'b', port: 8701, https: true }, { host: 'a', port: 8700 }] });
    expect(emptyPortal()).toEqual({ host: '', port: '8700', https: false });
    expect(emptyCode()).toEqual({ id: '', label: '' });
  });

  it('lists the portals, or the gateway, with the role', () => {
    expect(profileServerLabel(saved.connection)).toBe('portal-a.example:8700 (HTTPS), then portal-b.example:8701 (supervisor)');
    expect(profileServerLabel(connection(ct({ ctGatewayEnabled: true, ctGatewayHost: 'gw.example' })))).toBe('gateway gw.example:8780');
  });
});

describe('CTIPS validation errors', () => {
  it('on each field, and per portal row', () => {
    const e = errorsOf(
      ct({
        ctPortals: [
          { host: '', port: '8700', https: false },
          { host: 'b', port: '70000', https: false },
        ],
        ctUserName: ' ',
        ctTenantId: 'x',
        ctCallbackPort: '-1',
        ctAdvertisedHost: 'bad host',
        ctAllowedHosts: 'ok.example, b@d',
        ctHeartbeatSec: '0',
        ctHeartbeatMissed: '',
        ctRequestPath: 'no-slash',
      }),
    );
    expect(e['ctPortals.0.host']).toBe('Required');
    expect(e['ctPortals.1.port']).toBeDefined();
    expect(e.ctTenantId).toBe('Enter a number');
    expect(e.ctCallbackPort).toBeDefined();
    expect(e.ctAdvertisedHost).toMatch(/host name or IP address/);
    expect(e.ctAllowedHosts).toBe('“b@d”: a host name or IP address');
    expect(e.ctHeartbeatSec).toBeDefined();
    expect(e.ctRequestPath).toBe('a path starting with /');
    // Never on another vendor's fields that share the schema path, nor on the form.
    expect(e.host).toBeUndefined();
    expect(e.ivRole).toBeUndefined();
    expect(e.port).toBeUndefined();
    expect(e.form).toBeUndefined();
  });

  it('the portal list, the account, the advertised address and the certificate pair', () => {
    const none = errorsOf(ct({ ctPortals: [] }));
    expect(none.ctPortals).toBe('at least one portal, or a gateway');
    expect(errorsOf(ct({ ctUserName: '' })).ctUserName).toBe('the portal account name');
    expect(errorsOf(ct({ ctAdvertisedHost: '' })).ctAdvertisedHost).toMatch(/the address the portal reaches/);
    expect(connection(ct({ ctAdvertisedHost: '', ctBindHost: '10.0.0.5' }))).toMatchObject({ callback: { bindHost: '10.0.0.5', advertisedHost: '' } });
    expect(errorsOf(ct({ ctCertFile: '/c.pem' })).ctCertFile).toBe('a certificate and its key, or neither');
    const five = Array.from({ length: 5 }, (_, i) => ({ host: `p${i}`, port: '8700', https: false }));
    expect(errorsOf(ct({ ctPortals: five })).ctPortals).toBe('At most 4 portals');
    expect(errorsOf(ct({ ctPortals: [{ host: 'A', port: '8700', https: false }, { host: 'a', port: '8700', https: true }] }))['ctPortals.1.host']).toBe('the same portal as number 1');
  });

  it('the code lists, per row: number, label, used twice, at most 64', () => {
    const e = errorsOf(
      ct({
        ctLogoutReasons: [{ id: 'x', label: 'Lunch' }],
        ctDispositions: [
          { id: '1', label: 'Sale' },
          { id: '2', label: '' },
          { id: '1', label: 'Again' },
        ],
        ctRejectReasons: [{ id: '', label: '' }],
      }),
    );
    expect(e['ctLogoutReasons.0.id']).toBe('the code number');
    expect(e['ctDispositions.1.label']).toBe('Required');
    expect(e['ctDispositions.2.id']).toBe('code 1 is already used in row 1');
    expect(e['ctRejectReasons.0.id']).toBe('the code number');
    const many = Array.from({ length: 65 }, (_, i) => ({ id: String(i), label: `C${i}` }));
    expect(errorsOf(ct({ ctDispositions: many })).ctDispositions).toBe('At most 64 codes');
    expect(connection(ct({ ctRejectReasons: [{ id: ' 4 ', label: ' Busy ' }] }))).toMatchObject({ rejectReasons: [{ id: '4', label: 'Busy' }] });
  });
});

describe('CTIPS through a site gateway', () => {
  const gw = (over: Partial<ProfileDraft> = {}) => ct({ ctGatewayEnabled: true, ctGatewayHost: 'gw.example', ...over });

  it('needs no portal nor portal account; blank portal rows are dropped, typed ones kept', () => {
    expect(connection(gw({ ctPortals: [emptyPortal()], ctUserName: '', ctAdvertisedHost: '' }))).toMatchObject({
      portals: [],
      userName: '',
      gateway: { host: 'gw.example', port: 8780, https: true, tls: {} },
    });
    expect(connection(gw())).toMatchObject({ portals: [{ host: 'portal-a.example' }] });
  });

  it('reports the gateway fields; hidden portal problems show at the switch', () => {
    const e = errorsOf(gw({ ctGatewayHost: '', ctGatewayPort: 'x' }));
    expect(e.ctGatewayHost).toBe('Required');
    expect(e.ctGatewayPort).toBe('Enter a number');
    expect(e.ctGatewayEnabled).toBeUndefined();
    const hidden = errorsOf(gw({ ctPortals: [{ host: 'p', port: '99999', https: false }] }));
    expect(hidden.ctGatewayEnabled).toMatch(/^The hidden portal settings have a problem \(portal 1 port: .+\): turn the gateway off/);
  });

  it('round-trips, keeping the gateway’s TLS settings', () => {
    const saved = Profile.parse({
      id: 'g',
      name: 'G',
      device: '4001',
      agentId: 'agent01',
      connection: { vendor: 'ctips', gateway: { host: 'gw.example', port: 9443, https: true, tls: { caFile: '/ca.pem' } } },
    });
    const d = draftFromProfile(saved);
    expect(d).toMatchObject({ ctGatewayEnabled: true, ctGatewayHost: 'gw.example', ctGatewayPort: '9443', ctPortals: [] });
    expect(validateDraft(d, saved)).toEqual({ ok: true, profile: saved });
    // Turning the gateway off asks for a portal.
    expect(errorsOf({ ...d, ctGatewayEnabled: false }).ctPortals).toBe('at least one portal, or a gateway');
  });
});
