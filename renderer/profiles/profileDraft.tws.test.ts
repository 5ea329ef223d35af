import { describe, expect, it } from 'vitest';
import { Profile } from '../../shared/profile.js';
import {
  draftFromProfile,
  emptyDraft,
  emptySecret,
  feedChoices,
  formatColleagues,
  moveFeed,
  parseColleagues,
  profileServerLabel,
  secretFields,
  secretToSend,
  toggleFeed,
  twsWebPortFor,
  twsWsPortFor,
  validateDraft,
  type ProfileDraft,
} from './profileDraft.js';

const PIN = Array.from({ length: 32 }, (_, i) => (i * 5).toString(16).padStart(2, '0').toUpperCase()).join(':');

const tws = (over: Partial<ProfileDraft> = {}): ProfileDraft => ({
  ...emptyDraft('tws'),
  id: 'site-tws',
  name: 'TWS site',
  device: '1201',
  twsHost: 'tws.example',
  twsUsername: 'jdoe',
  ...over,
});

const connection = (d: ProfileDraft) => {
  const r = validateDraft(d);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.profile.connection;
};

describe('TWS profile draft', () => {
  it('is offered, and a complete draft becomes a TWS connection with the schema defaults', () => {
    expect(connection(tws())).toEqual({
      vendor: 'tws',
      host: 'tws.example',
      port: 9001,
      https: false,
      api: 'json',
      auth: 'user',
      username: 'jdoe',
      adminUsername: '',
      feeds: ['tcp', 'websocket', 'poll'],
      tcpPort: 9004,
      wsPort: 9003,
      wss: false,
      pbx: 'alcatel',
      agentGroup: '',
      unparkPrefix: '402',
      colleagues: [],
      tls: {},
    });
  });

  it('the draft defaults are what the schema fills in for a bare connection', () => {
    const bare = Profile.parse({ id: 't', name: 'T', device: '1', connection: { vendor: 'tws', host: 'h', username: 'u' } });
    const d = draftFromProfile(bare);
    const fresh = emptyDraft('tws');
    for (const k of ['twsPort', 'twsHttps', 'twsApi', 'twsAuth', 'twsFeeds', 'twsTcpPort', 'twsWsPort', 'twsWss', 'twsPbx', 'twsUnparkPrefix', 'twsColleagues'] as const) {
      expect(d[k], k).toEqual(fresh[k]);
    }
  });

  it('round-trips a saved TWS profile', () => {
    const saved = Profile.parse({
      id: 'tws-a',
      name: 'TWS A',
      device: '1201',
      agentId: '1201',
      connection: {
        vendor: 'tws',
        host: '10.0.0.5',
        port: 9011,
        https: true,
        api: 'soap',
        auth: 'admin',
        username: 'jdoe',
        adminUsername: 'twsadmin',
        feeds: ['poll', 'tcp'],
        tcpPort: 19004,
        wsPort: 9013,
        wss: true,
        pbx: 'other',
        agentGroup: '500',
        unparkPrefix: '*402',
        colleagues: ['1202', '+4930123', '1203'],
        tls: { caFile: '/etc/ssl/tws.pem', pinSha256: PIN },
      },
      reconnect: { initialMs: 500, maxMs: 9000 },
      notReadyReasons: ['Break'],
    });
    const d = draftFromProfile(saved);
    expect(d.twsFeeds).toEqual([
      { feed: 'poll', on: true },
      { feed: 'tcp', on: true },
      { feed: 'websocket', on: false },
    ]);
    expect(d.twsColleagues).toBe('1202, +4930123, 1203');
    expect(validateDraft(d, saved)).toEqual({ ok: true, profile: saved });
  });

  it('reports errors on the TWS fields', () => {
    const r = validateDraft(
      tws({
        twsHost: '',
        twsPort: '70000',
        twsUsername: ' ',
        twsTcpPort: 'x',
        twsWsPort: '',
        twsUnparkPrefix: '40a',
        twsColleagues: '1201, 12a, 1203',
        twsTlsPinSha256: 'AB:CD',
        twsAgentGroup: 'g'.repeat(33),
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.twsHost).toBe('Required');
    expect(r.errors.twsPort).toBeDefined();
    expect(r.errors.twsUsername).toBe('Required');
    expect(r.errors.twsTcpPort).toBe('Enter a number');
    // An empty port takes the schema's default, as every defaulted number field does.
    expect(r.errors.twsWsPort).toBeUndefined();
    expect(r.errors.twsUnparkPrefix).toBe('digits, * and #');
    expect(r.errors.twsColleagues).toBe('“12a”: a device number');
    expect(r.errors.twsTlsPinSha256).toMatch(/SHA-256 fingerprint/);
    expect(r.errors.twsAgentGroup).toBeDefined();
    // Never on another vendor's fields that share the schema path, nor on the form.
    expect(r.errors.host).toBeUndefined();
    expect(r.errors.port).toBeUndefined();
    expect(r.errors.tlsPinSha256).toBeUndefined();
    expect(r.errors.form).toBeUndefined();
  });

  it('an empty port is the server’s default', () => {
    expect(connection(tws({ twsPort: '', twsTcpPort: ' ', twsWsPort: '' }))).toMatchObject({ port: 9001, tcpPort: 9004, wsPort: 9003 });
  });

  it('administrator sign-in needs the administrator user name, user sign-in does not keep it', () => {
    const r = validateDraft(tws({ twsAuth: 'admin' }));
    expect(!r.ok && r.errors.twsAdminUsername).toBe('Required for administrator sign-in');
    expect(connection(tws({ twsAuth: 'admin', twsAdminUsername: 'root' }))).toMatchObject({ auth: 'admin', adminUsername: 'root' });
    expect(connection(tws({ twsAuth: 'user', twsAdminUsername: 'root' }))).toMatchObject({ auth: 'user', adminUsername: '' });
  });

  it('takes the TLS trust settings, a pasted openssl fingerprint included, apart from O2G’s', () => {
    const c = connection(tws({ twsTlsCaFile: ' /etc/ssl/tws.pem ', twsTlsPinSha256: `sha256 Fingerprint=${PIN}`, tlsCaFile: '/o2g.pem' }));
    expect(c).toMatchObject({ tls: { caFile: '/etc/ssl/tws.pem', pinSha256: PIN } });
  });

  it('switching the vendor keeps each vendor’s fields in the draft, none carried across', () => {
    const ts = Profile.parse({ id: 'b', name: 'B', device: '12', connection: { vendor: 'telservices', host: 'h', port: 1, halfClose: false } });
    const d = { ...draftFromProfile(ts), vendor: 'tws' as const, twsHost: 'tws.example', twsUsername: 'u1' };
    const r = validateDraft(d, ts);
    expect(r.ok && r.profile.connection).toMatchObject({ vendor: 'tws', host: 'tws.example', port: 9001 });
    expect(r.ok && r.profile.connection).not.toHaveProperty('halfClose');
    expect(validateDraft({ ...d, vendor: 'telservices' }, ts)).toEqual({ ok: true, profile: ts });
  });

  it('labels the server for the profile list', () => {
    expect(profileServerLabel(connection(tws()))).toBe('tws.example:9001');
    expect(profileServerLabel(connection(tws({ twsHttps: true, twsPort: '9011' })))).toBe('tws.example:9011 (HTTPS)');
  });
});

describe('TWS event feeds', () => {
  it('become the connection’s feeds: the enabled ones, in the list’s order', () => {
    const list = toggleFeed(moveFeed(emptyDraft('tws').twsFeeds, 'poll', -1), 'tcp', false);
    expect(list.map((c) => c.feed)).toEqual(['tcp', 'poll', 'websocket']);
    expect(connection(tws({ twsFeeds: list })).vendor === 'tws' && connection(tws({ twsFeeds: list }))).toMatchObject({ feeds: ['poll', 'websocket'] });
  });

  it('moves a feed one place, and nothing at an end of the list', () => {
    const list = feedChoices(['tcp', 'websocket', 'poll']);
    expect(moveFeed(list, 'websocket', -1).map((c) => c.feed)).toEqual(['websocket', 'tcp', 'poll']);
    expect(moveFeed(list, 'websocket', 1).map((c) => c.feed)).toEqual(['tcp', 'poll', 'websocket']);
    expect(moveFeed(list, 'tcp', -1)).toEqual(list);
    expect(moveFeed(list, 'poll', 1)).toEqual(list);
  });

  it('a profile’s feeds come first, the others after them, off', () => {
    expect(feedChoices(['websocket'])).toEqual([
      { feed: 'websocket', on: true },
      { feed: 'tcp', on: false },
      { feed: 'poll', on: false },
    ]);
  });

  it('needs at least one feed', () => {
    const none = emptyDraft('tws').twsFeeds.map((c) => ({ ...c, on: false }));
    const r = validateDraft(tws({ twsFeeds: none }));
    expect(!r.ok && r.errors.twsFeeds).toBe('Enable at least one event feed');
  });

  it('ports follow HTTPS and WSS while they are at the server’s defaults', () => {
    expect(twsWebPortFor('9001', true)).toBe('9011');
    expect(twsWebPortFor('9011', false)).toBe('9001');
    expect(twsWebPortFor('8080', true)).toBe('8080');
    expect(twsWsPortFor('9003', true)).toBe('9013');
    expect(twsWsPortFor('9013', false)).toBe('9003');
  });
});

describe('TWS colleagues', () => {
  it('are parsed from commas, semicolons, spaces and new lines', () => {
    expect(parseColleagues(' 1201, 1202;1203\n\n+4930 *77 #8 ,, ')).toEqual(['1201', '1202', '1203', '+4930', '*77', '#8']);
    expect(parseColleagues('   ')).toEqual([]);
    expect(formatColleagues(['1201', '1202'])).toBe('1201, 1202');
    expect(connection(tws({ twsColleagues: '1202\n1203' }))).toMatchObject({ colleagues: ['1202', '1203'] });
  });

  it('refuses a number listed twice, and more than 200', () => {
    const twice = validateDraft(tws({ twsColleagues: '1201, 1202, 1201' }));
    expect(!twice.ok && twice.errors.twsColleagues).toBe('1201 is listed twice');
    const many = Array.from({ length: 201 }, (_, i) => String(1000 + i)).join(',');
    const r = validateDraft(tws({ twsColleagues: many }));
    expect(!r.ok && r.errors.twsColleagues).toBe('At most 200 numbers');
  });
});

describe('profile secrets', () => {
  const typed = (over: Partial<ReturnType<typeof emptySecret>> = {}) => ({ ...emptySecret(), ...over });

  it('TWS shows the password, the API key and the agent password; the others the password only', () => {
    expect(secretFields('tws')).toEqual(['password', 'apiKey', 'agentPassword']);
    expect(secretFields('o2g')).toEqual(['password']);
    expect(secretFields('telservices')).toEqual(['password']);
  });

  it('nothing typed sends no secret, so the stored one stays', () => {
    expect(secretToSend('tws', typed())).toEqual({ ok: true, secret: undefined });
    expect(secretToSend('o2g', typed())).toEqual({ ok: true, secret: undefined });
  });

  it('other vendors send the typed password alone, whatever else is in the hidden TWS fields', () => {
    expect(secretToSend('o2g', typed({ password: 'pw', apiKey: 'left-over' }))).toEqual({ ok: true, secret: { password: 'pw' } });
    expect(secretToSend('telservices', typed({ apiKey: 'left-over' }))).toEqual({ ok: true, secret: undefined });
  });

  it('TWS sends the password and the API key together, the agent password when typed', () => {
    expect(secretToSend('tws', typed({ password: 'pw', apiKey: 'K-1' }))).toEqual({ ok: true, secret: { password: 'pw', apiKey: 'K-1' } });
    expect(secretToSend('tws', typed({ password: 'pw', apiKey: 'K-1', agentPassword: '0000' }))).toEqual({
      ok: true,
      secret: { password: 'pw', apiKey: 'K-1', agentPassword: '0000' },
    });
  });

  it('TWS never sends half a secret: the password and the API key are required together', () => {
    const onlyKey = secretToSend('tws', typed({ apiKey: 'K-1' }));
    expect(onlyKey.ok).toBe(false);
    if (onlyKey.ok) return;
    expect(Object.keys(onlyKey.errors)).toEqual(['password']);
    const onlyAgent = secretToSend('tws', typed({ agentPassword: '0000' }));
    expect(!onlyAgent.ok && Object.keys(onlyAgent.errors).sort()).toEqual(['apiKey', 'password']);
  });

  it('checks the lengths the schema allows', () => {
    const r = secretToSend('tws', typed({ password: 'pw', apiKey: 'k'.repeat(1025) }));
    expect(!r.ok && r.errors.apiKey).toBeDefined();
  });
});
