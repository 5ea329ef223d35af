import { describe, expect, it } from 'vitest';
import { Profile } from '../../shared/profile.js';
import {
  connectionVendors,
  draftFromProfile,
  emptyDraft,
  emptySecret,
  formatPauseReasons,
  ivDefaultInterface,
  parsePauseReasons,
  profileServerLabel,
  secretFields,
  secretToSend,
  validateDraft,
  type ProfileDraft,
} from './profileDraft.js';

const iv = (over: Partial<ProfileDraft> = {}): ProfileDraft => ({
  ...emptyDraft('instantvoice'),
  id: 'site-iv',
  name: 'InstantVoice site',
  device: '0001',
  agentId: '1001',
  ivHost: 'acd.example',
  ...over,
});

const connection = (d: ProfileDraft) => {
  const r = validateDraft(d);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.profile.connection;
};

const errorsOf = (d: ProfileDraft) => {
  const r = validateDraft(d);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};

describe('InstantVoice profile draft', () => {
  it('is offered, and a complete draft becomes an InstantVoice connection with the schema defaults', () => {
    expect(connectionVendors).toContain('instantvoice');
    expect(connection(iv())).toEqual({
      vendor: 'instantvoice',
      host: 'acd.example',
      port: 61613,
      brokerUser: 'instantvoice',
      vhost: '/',
      accountcode: 'default',
      interface: '',
      pauseReasons: [],
      role: 'agent',
      ivws: { host: '', port: 7789, https: false },
      heartbeatMs: 10000,
    });
  });

  it('the draft defaults are what the schema fills in for a bare connection', () => {
    const bare = Profile.parse({ id: 'i', name: 'I', device: '0001', connection: { vendor: 'instantvoice', host: 'h' } });
    const d = draftFromProfile(bare);
    const fresh = emptyDraft('instantvoice');
    for (const k of ['ivPort', 'ivBrokerUser', 'ivVhost', 'ivAccountcode', 'ivInterface', 'ivRole', 'ivPauseReasons', 'ivwsHost', 'ivwsPort', 'ivwsHttps', 'ivHeartbeatMs'] as const) {
      expect(d[k], k).toEqual(fresh[k]);
    }
  });

  it('round-trips a saved InstantVoice profile', () => {
    const saved = Profile.parse({
      id: 'iv-a',
      name: 'IV A',
      device: '0001',
      agentId: '1001',
      connection: {
        vendor: 'instantvoice',
        host: '10.0.0.7',
        port: 61614,
        brokerUser: 'ivuser',
        vhost: 'acd',
        accountcode: 'acme',
        interface: 'PJSIP/acme_0001',
        pauseReasons: [
          { id: '1', label: 'Lunch' },
          { id: '12', label: 'Meeting = long' },
        ],
        role: 'supervisor',
        ivws: { host: 'ivws.example', port: 7790, https: true },
        heartbeatMs: 0,
      },
      reconnect: { initialMs: 500, maxMs: 9000 },
      notReadyReasons: ['Break'],
    });
    const d = draftFromProfile(saved);
    expect(d.ivPauseReasons).toBe('1 = Lunch\n12 = Meeting = long');
    expect(d.ivRole).toBe('supervisor');
    expect(validateDraft(d, saved)).toEqual({ ok: true, profile: saved });
  });

  it('takes every field, and each role', () => {
    for (const role of ['agent', 'supervisor', 'admin'] as const) expect(connection(iv({ ivRole: role }))).toMatchObject({ role });
    expect(
      connection(
        iv({ ivBrokerUser: ' stomp ', ivVhost: 'v', ivAccountcode: 'acme', ivInterface: 'SIP/acme_0001', ivwsHost: ' ivws.example ', ivwsPort: '8000', ivwsHttps: true, ivHeartbeatMs: '5000' }),
      ),
    ).toMatchObject({ brokerUser: 'stomp', vhost: 'v', accountcode: 'acme', interface: 'SIP/acme_0001', ivws: { host: 'ivws.example', port: 8000, https: true }, heartbeatMs: 5000 });
  });

  it('an empty port is the server’s default', () => {
    expect(connection(iv({ ivPort: '', ivwsPort: ' ', ivHeartbeatMs: '' }))).toMatchObject({ port: 61613, ivws: { port: 7789 }, heartbeatMs: 10000 });
  });

  it('reports errors on the InstantVoice fields only', () => {
    const e = errorsOf(
      iv({
        ivHost: '',
        ivPort: '70000',
        ivBrokerUser: ' ',
        ivVhost: '',
        ivAccountcode: 'a b',
        ivInterface: 'SIP',
        ivwsHost: 'bad host',
        ivwsPort: 'x',
        ivHeartbeatMs: '200000',
      }),
    );
    expect(e.ivHost).toBe('Required');
    expect(e.ivPort).toBeDefined();
    expect(e.ivBrokerUser).toBe('Required');
    expect(e.ivVhost).toBe('Required');
    expect(e.ivAccountcode).toBe('letters, digits, dot, dash or underscore');
    expect(e.ivInterface).toBe('TECH/name, e.g. SIP/default_0001');
    expect(e.ivwsHost).toMatch(/host name/);
    expect(e.ivwsPort).toBe('Enter a number');
    expect(e.ivHeartbeatMs).toBeDefined();
    // Never on another vendor's fields that share the schema path, nor on the form.
    expect(e.host).toBeUndefined();
    expect(e.port).toBeUndefined();
    expect(e.twsHost).toBeUndefined();
    expect(e.form).toBeUndefined();
  });

  it('an empty accountcode is required, a non-numeric heart-beat is refused', () => {
    const e = errorsOf(iv({ ivAccountcode: ' ', ivHeartbeatMs: 'soon' }));
    expect(e.ivAccountcode).toBe('Required');
    expect(e.ivHeartbeatMs).toBe('Enter a number');
  });

  it('the interface left empty is derived from the accountcode and the device', () => {
    expect(ivDefaultInterface('acme', '0001')).toBe('SIP/acme_0001');
    expect(ivDefaultInterface('', '')).toBe('SIP/default_<device>');
  });

  it('lists the server with its role', () => {
    const c = connection(iv({ ivRole: 'admin' }));
    expect(profileServerLabel(c)).toBe('acd.example:61613 (admin)');
    expect(profileServerLabel(connection(iv()))).toBe('acd.example:61613');
  });
});

describe('InstantVoice pause reasons', () => {
  it('are parsed one per line as “number = label”, blank lines skipped', () => {
    expect(parsePauseReasons(' 1 = Lunch\n\n2=Meeting\n  30 =  Training day ')).toEqual({
      reasons: [
        { id: '1', label: 'Lunch' },
        { id: '2', label: 'Meeting' },
        { id: '30', label: 'Training day' },
      ],
      error: undefined,
    });
    expect(parsePauseReasons('')).toEqual({ reasons: [], error: undefined });
    expect(formatPauseReasons([{ id: '1', label: 'Lunch' }])).toBe('1 = Lunch');
    expect(connection(iv({ ivPauseReasons: '1 = Lunch\n2 = Meeting' }))).toMatchObject({ pauseReasons: [{ id: '1', label: 'Lunch' }, { id: '2', label: 'Meeting' }] });
  });

  it.each([
    ['Lunch', 'line 1: write it as “number = label”, e.g. 1 = Lunch'],
    ['1 = Lunch\nA = Meeting', 'line 2: the pause number must be digits (at most 9)'],
    ['1234567890 = Long', 'line 1: the pause number must be digits (at most 9)'],
    [' = Lunch', 'line 1: the pause number must be digits (at most 9)'],
    ['1 =  ', 'line 1: the label is missing'],
    [`1 = ${'x'.repeat(65)}`, 'line 1: the label is longer than 64 characters'],
    ['1 = Lunch\n\n1 = Meeting', 'line 3: number 1 is already used on line 1'],
  ])('refuses %j', (text, message) => {
    expect(parsePauseReasons(text).error).toBe(message);
    expect(errorsOf(iv({ ivPauseReasons: text })).ivPauseReasons).toBe(message);
  });

  it('refuses more than 64', () => {
    const many = Array.from({ length: 65 }, (_, i) => `${i + 1} = P${i + 1}`).join('\n');
    expect(errorsOf(iv({ ivPauseReasons: many })).ivPauseReasons).toBe('At most 64 pause reasons');
  });

  it('only the selected vendor’s pause list counts', () => {
    expect(validateDraft({ ...iv({ ivPauseReasons: 'nonsense' }), vendor: 'tws', twsHost: 'h', twsUsername: 'u' }).ok).toBe(true);
  });
});

describe('InstantVoice secret', () => {
  const typed = (over: Partial<ReturnType<typeof emptySecret>> = {}) => ({ ...emptySecret(), ...over });

  it('is the broker password and the access key', () => {
    expect(secretFields('instantvoice')).toEqual(['password', 'apiKey']);
  });

  it('nothing typed keeps the stored secret; both typed go together, never the hidden agent password', () => {
    expect(secretToSend('instantvoice', typed())).toEqual({ ok: true, secret: undefined });
    expect(secretToSend('instantvoice', typed({ password: 'pw', apiKey: 'f054bbd2f5ebab9', agentPassword: 'left-over' }))).toEqual({
      ok: true,
      secret: { password: 'pw', apiKey: 'f054bbd2f5ebab9' },
    });
  });

  it('never half a secret', () => {
    const onlyKey = secretToSend('instantvoice', typed({ apiKey: 'abc' }));
    expect(!onlyKey.ok && Object.keys(onlyKey.errors)).toEqual(['password']);
    const onlyPw = secretToSend('instantvoice', typed({ password: 'pw' }));
    expect(!onlyPw.ok && Object.keys(onlyPw.errors)).toEqual(['apiKey']);
  });

  it('the access key is letters and digits, at most 20', () => {
    for (const bad of ['abc-def', 'a'.repeat(21), 'key with space', 'Adm1n+Key/Test==']) {
      const r = secretToSend('instantvoice', typed({ password: 'pw', apiKey: bad }));
      expect(!r.ok && r.errors.apiKey, bad).toBe('Letters and digits only, at most 20');
    }
    expect(secretToSend('instantvoice', typed({ password: 'pw', apiKey: 'A'.repeat(20) })).ok).toBe(true);
  });
});
