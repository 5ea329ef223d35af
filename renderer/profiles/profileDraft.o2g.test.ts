import { describe, expect, it } from 'vitest';
import { Profile } from '../../shared/profile.js';
import {
  applyServerLogin,
  draftFromProfile,
  emptyDraft,
  filterServerLogins,
  normalizeFingerprint,
  portForScheme,
  profileServerLabel,
  validateDraft,
  validateServerDraft,
  type ProfileDraft,
} from './profileDraft.js';

const PIN = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');

const o2g = (over: Partial<ProfileDraft> = {}): ProfileDraft => ({
  ...emptyDraft('o2g'),
  id: 'site-o2g',
  name: 'OXE site',
  device: '31201',
  primaryHost: 'o2g-a.example',
  login: 'jdoe',
  ...over,
});

describe('O2G profile draft', () => {
  it('a complete draft becomes an O2G connection with the schema defaults', () => {
    const r = validateDraft(o2g());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.profile.connection).toEqual({
      vendor: 'o2g',
      primary: { host: 'o2g-a.example', port: 443, https: true },
      secondary: null,
      login: 'jdoe',
      applicationName: 'AgentDesktop',
      urls: 'internal',
      tls: {},
      channelTimeoutMin: 0,
      channelIdleSec: 90,
      processingGroup: '',
    });
  });

  it('the secondary server counts only while high availability is on', () => {
    const off = validateDraft(o2g({ secondaryHost: 'o2g-b.example' }));
    expect(off.ok && off.profile.connection.vendor === 'o2g' && off.profile.connection.secondary).toBeNull();
    const on = validateDraft(o2g({ secondaryEnabled: true, secondaryHost: 'o2g-b.example', secondaryPort: '8443', secondaryHttps: true }));
    expect(on.ok && on.profile.connection).toMatchObject({ secondary: { host: 'o2g-b.example', port: 8443, https: true } });
  });

  it('reports errors on the O2G fields', () => {
    const r = validateDraft(
      o2g({
        primaryHost: '',
        primaryPort: '70000',
        login: 'j doe',
        tlsPinSha256: 'AB:CD',
        channelTimeoutMin: '1',
        channelIdleSec: 'soon',
        secondaryEnabled: true,
        secondaryHost: 'bad host!',
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.primaryHost).toBe('Required');
    expect(r.errors.primaryPort).toBeDefined();
    expect(r.errors.login).toBe('a login name without spaces or colons');
    expect(r.errors.tlsPinSha256).toMatch(/SHA-256 fingerprint/);
    expect(r.errors.channelTimeoutMin).toBe('0, or 2 to 60 minutes');
    expect(r.errors.channelIdleSec).toBe('Enter a number');
    expect(r.errors.secondaryHost).toBe('a host name or IP address');
    expect(r.errors.form).toBeUndefined();
  });

  it('refuses a secondary server that is the primary one', () => {
    const r = validateDraft(o2g({ secondaryEnabled: true, secondaryHost: 'O2G-A.example', secondaryPort: '443' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.secondaryHost).toMatch(/differ/);
  });

  it('takes the TLS trust settings, a pasted openssl fingerprint included', () => {
    const r = validateDraft(o2g({ tlsCaFile: ' /etc/ssl/oxe-ca.pem ', tlsPinSha256: `sha256 Fingerprint=${PIN}` }));
    expect(r.ok && r.profile.connection).toMatchObject({ tls: { caFile: '/etc/ssl/oxe-ca.pem', pinSha256: PIN } });
  });

  it('round-trips a saved O2G profile, hidden fields included', () => {
    const saved = Profile.parse({
      id: 'oxe',
      name: 'OXE',
      device: '31201',
      agentId: '31201',
      connection: {
        vendor: 'o2g',
        primary: { host: 'a', port: 443 },
        secondary: { host: 'b', port: 80, https: false },
        login: 'jdoe',
        urls: 'public',
        tls: { pinSha256: PIN.toLowerCase() },
        channelTimeoutMin: 30,
        processingGroup: '4000',
      },
      reconnect: { initialMs: 500, maxMs: 9000 },
      notReadyReasons: ['Break'],
    });
    const r = validateDraft(draftFromProfile(saved), saved);
    expect(r).toEqual({ ok: true, profile: saved });
  });

  it('switching the vendor builds the other connection without carrying fields across', () => {
    const ts = Profile.parse({ id: 'b', name: 'B', device: '12', connection: { vendor: 'telservices', host: 'h', port: 1, halfClose: false } });
    const d = { ...draftFromProfile(ts), vendor: 'o2g' as const, primaryHost: 'o2g.example', login: 'u1' };
    const r = validateDraft(d, ts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.profile.connection.vendor).toBe('o2g');
    expect(r.profile.connection).not.toHaveProperty('halfClose');
    // And back: the TelServices fields were kept in the draft.
    const back = validateDraft({ ...d, vendor: 'telservices' }, ts);
    expect(back).toEqual({ ok: true, profile: ts });
  });

  it('keeps the TelServices rules to TelServices', () => {
    const r = validateDraft(o2g({ events: 'longPoll', transport: 'tcp' }));
    expect(r.ok).toBe(true);
  });
});

describe('O2G helpers', () => {
  it('normalizes fingerprints typed in other shapes, keeps the rest for the schema', () => {
    const bare = PIN.replace(/:/g, '');
    expect(normalizeFingerprint(bare)).toBe(PIN);
    expect(normalizeFingerprint(PIN.replace(/:/g, ' '))).toBe(PIN);
    expect(normalizeFingerprint(`SHA256 Fingerprint=${PIN}`)).toBe(PIN);
    expect(normalizeFingerprint(' AB:CD ')).toBe('AB:CD');
    expect(normalizeFingerprint('')).toBe('');
  });

  it('a port at the scheme default follows HTTPS on and off', () => {
    expect(portForScheme('443', false)).toBe('80');
    expect(portForScheme('80', true)).toBe('443');
    expect(portForScheme('8443', false)).toBe('8443');
  });

  it('checks only the server part before a login is picked', () => {
    const r = validateServerDraft(o2g({ id: '', name: '', device: '', login: '' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.profile.connection).toMatchObject({ vendor: 'o2g', primary: { host: 'o2g-a.example' } });
    const bad = validateServerDraft(o2g({ device: '', primaryHost: '' }));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.errors)).toEqual(['primaryHost']);
  });

  it('a picked user fills the login and the device (when the server knows it)', () => {
    const d = o2g({ login: '', device: '' });
    expect(applyServerLogin(d, { login: 'asmith', device: '31202' })).toMatchObject({ login: 'asmith', device: '31202' });
    expect(applyServerLogin(o2g(), { login: 'asmith' })).toMatchObject({ login: 'asmith', device: '31201' });
  });

  it('searches server users by login, name or device, ACD operators on demand', () => {
    const logins = [
      { login: 'u10', name: 'Zoe Martin', device: '31210', acd: true },
      { login: 'u2', name: 'Ada Lovelace', device: '31202' },
      { login: 'u1', device: '31201', acd: true },
    ];
    expect(filterServerLogins(logins, '').map((l) => l.login)).toEqual(['u1', 'u2', 'u10']);
    expect(filterServerLogins(logins, 'ada').map((l) => l.login)).toEqual(['u2']);
    expect(filterServerLogins(logins, '3121').map((l) => l.login)).toEqual(['u10']);
    expect(filterServerLogins(logins, '', true).map((l) => l.login)).toEqual(['u1', 'u10']);
  });

  it('labels the server of each vendor for the profile list', () => {
    const ts = Profile.parse({ id: 'a', name: 'A', device: '1', connection: { vendor: 'telservices', host: 'cti', port: 2500 } });
    expect(profileServerLabel(ts.connection)).toBe('cti:2500');
    const r = validateDraft(o2g({ secondaryEnabled: true, secondaryHost: 'o2g-b.example', secondaryPort: '443' }));
    expect(r.ok && profileServerLabel(r.profile.connection)).toBe('o2g-a.example:443, standby o2g-b.example:443');
    const plain = validateDraft(o2g({ primaryHttps: false, primaryPort: '80' }));
    expect(plain.ok && profileServerLabel(plain.profile.connection)).toBe('o2g-a.example:80 (HTTP)');
  });
});
