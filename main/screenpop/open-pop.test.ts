import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Call } from '../../shared/model.js';
import { buildPopUrl, popValues } from '../../shared/screenpop.js';
import { autoPopDecision, openableUrl, openScreenPop, PoppedCalls } from './open-pop.js';

const TEMPLATE = 'https://crm.example.com/customers?phone={number}&name={name}&customer={data.customerId}';

function call(over: Partial<Call> = {}): Call {
  return {
    id: 'c1',
    ref: { vendor: 'telservices', device: '1101', callId: '17' },
    state: 'alerting',
    direction: 'inbound',
    remote: { number: '+33160127764', name: 'Hélène Dupont' },
    conferenceParties: [],
    isConference: false,
    isConsultation: false,
    data: { customerId: '42' },
    startedAt: 0,
    allowed: [],
    seq: 0,
    ...over,
  };
}

const profile = (urlTemplate: string, autoOpen = false) => ({ screenPop: { urlTemplate, autoOpen } });

async function popUrl(template: string, c: Call = call()): Promise<string> {
  const r = await openScreenPop(profile(template), c, '1101', null);
  if (!r.ok) throw new Error(`expected a URL, got: ${r.error.message}`);
  return r.url;
}

async function refusal(template: string, c: Call = call()): Promise<string> {
  const r = await openScreenPop(profile(template), c, '1101', null);
  if (r.ok) throw new Error(`expected a refusal, got ${r.url}`);
  expect(r.error.code).toBe('invalid');
  return r.error.message;
}

describe('openScreenPop: encoding', () => {
  it('fills the template and leaves opening to the renderer when the host has no openExternal', async () => {
    const r = await openScreenPop(profile(TEMPLATE), call(), '1101', null);
    expect(r).toEqual({
      ok: true,
      opened: false,
      url: 'https://crm.example.com/customers?phone=%2B33160127764&name=H%C3%A9l%C3%A8ne%20Dupont&customer=42',
    });
  });

  it.each([
    ['ampersand and equals', 'Smith & Sons=1'],
    ['spaces', '  two  spaces  '],
    ['hash', 'A#fragment'],
    ['question mark', 'why?x=1'],
    ['unicode', 'Zoë 日本 😀 \u202E'],
    ['percent', '100%25 %zz'],
    ['javascript scheme', 'javascript:alert(document.cookie)'],
    ['at-host', '@evil.com'],
    ['scheme-relative', '//evil.com/x'],
    ['backslashes', '\\\\evil.com\\x'],
    ['control characters', 'a\r\nSet-Cookie: x=1\t\u0000'],
  ])('encodes %s so the value comes back exactly and the host is unchanged', async (_label, value) => {
    const url = new URL(await popUrl(TEMPLATE, call({ remote: { number: value, name: value }, data: { customerId: value } })));
    expect(url.origin).toBe('https://crm.example.com');
    expect(url.pathname).toBe('/customers');
    expect(url.hash).toBe('');
    expect(url.searchParams.get('phone')).toBe(value);
    expect(url.searchParams.get('name')).toBe(value);
    expect(url.searchParams.get('customer')).toBe(value);
  });

  it('keeps a value in a path segment inside that segment', async () => {
    for (const value of ['//evil.com', '../../admin', '@evil.com', 'x/y?z#w']) {
      const url = new URL(await popUrl('https://crm.example.com/c/{number}/view', call({ remote: { number: value } })));
      expect(url.origin).toBe('https://crm.example.com');
      const segments = url.pathname.split('/');
      expect(segments).toHaveLength(4);
      expect(decodeURIComponent(segments[2] ?? '')).toBe(value);
    }
  });

  it('does not let a value after the host turn into another host or credentials', async () => {
    for (const value of ['@evil.com', '.evil.com', ':1@evil.com', '//evil.com']) {
      const r = await openScreenPop(profile('https://crm.example.com{number}'), call({ remote: { number: value } }), '1101', null);
      if (r.ok) expect(new URL(r.url).host).toBe('crm.example.com');
    }
    expect(await refusal('https://{name}@crm.example.com/', call({ remote: { number: '1', name: 'admin:pw' } }))).toMatch(/credentials/);
  });

  it('blanks a withheld number and can use the device, direction and called number', async () => {
    const url = new URL(
      await popUrl(
        'https://crm.example.com/p?n={number}&d={device}&dir={direction}&to={called}&id={callId}',
        call({ remote: { number: '*****-17', withheld: true }, called: { number: '3000' } }),
      ),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({ n: '', d: '1101', dir: 'inbound', to: '3000', id: 'c1' });
  });

  it('replaces a lone surrogate from call data instead of throwing', async () => {
    const url = await popUrl(TEMPLATE, call({ data: { customerId: 'a\uD800b' } }));
    expect(url).toContain('customer=a%EF%BF%BDb');
  });
});

describe('openScreenPop: refusals', () => {
  it.each([
    'javascript:alert({number})',
    '  JavaScript:alert(1)//{number}',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert({number})</script>',
    'file:///etc/passwd?{number}',
    'vbscript:msgbox({number})',
    'ftp://crm.example.com/{number}',
  ])('refuses a non-http template: %s', async (template) => {
    expect(await refusal(template)).toMatch(/http|valid URL/);
  });

  it('refuses unknown placeholders, naming them', async () => {
    expect(await refusal('https://crm.example.com/?x={password}')).toContain('{password}');
    expect(await refusal('https://crm.example.com/?x={data.missing}')).toContain('{data.missing}');
  });

  it('refuses an empty template and a template that is not a URL', async () => {
    expect(await refusal('')).toMatch(/no screen-pop URL/);
    expect(await refusal('crm.example.com/?n={number}')).toMatch(/valid URL/);
  });

  it('re-checks the scheme right before opening', () => {
    expect(openableUrl('https://crm.example.com/')).toBeNull();
    expect(openableUrl('javascript:alert(1)')).toMatch(/javascript:/);
    expect(openableUrl('https://u:p@crm.example.com/')).toMatch(/credentials/);
    expect(openableUrl('not a url')).toMatch(/valid URL/);
  });
});

describe('openScreenPop: opening', () => {
  it('opens through the host and reports opened', async () => {
    const openExternal = vi.fn(async (_url: string) => {});
    const r = await openScreenPop(profile(TEMPLATE), call(), '1101', openExternal);
    expect(r).toMatchObject({ ok: true, opened: true });
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(openExternal.mock.calls[0]?.[0]).toMatch(/^https:\/\/crm\.example\.com\/customers\?phone=%2B33160127764/);
  });

  it('never calls the host for a refused URL', async () => {
    const openExternal = vi.fn(async (_url: string) => {});
    const r = await openScreenPop(profile('javascript:alert({number})'), call(), '1101', openExternal);
    expect(r.ok).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('returns a typed error when the host fails to open the browser', async () => {
    const r = await openScreenPop(profile(TEMPLATE), call(), '1101', () => Promise.reject(new Error('no browser')));
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!r.ok) expect(r.error.message).toContain('no browser');
  });

  it('returns a typed error when the host throws synchronously', async () => {
    const r = await openScreenPop(profile(TEMPLATE), call(), '1101', () => {
      throw new Error('boom');
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('autoPopDecision', () => {
  it('pops once per call, when autoOpen is on and an inbound call first alerts', () => {
    const popped = new PoppedCalls();
    const p = profile(TEMPLATE, true);
    expect(autoPopDecision(p, call({ state: 'queued' }), popped)).toBe(false);
    expect(autoPopDecision(p, call(), popped)).toBe(true);
    expect(autoPopDecision(p, call(), popped)).toBe(false);
    expect(autoPopDecision(p, call({ state: 'connected' }), popped)).toBe(false);
    expect(autoPopDecision(p, call({ id: 'c2' }), popped)).toBe(true);
  });

  it('does not pop when autoOpen is off, without a template, or for outbound calls', () => {
    expect(autoPopDecision(profile(TEMPLATE, false), call())).toBe(false);
    expect(autoPopDecision(profile('  ', true), call())).toBe(false);
    expect(autoPopDecision(profile(TEMPLATE, true), call({ direction: 'outbound', state: 'ringing' }))).toBe(false);
    expect(autoPopDecision(profile(TEMPLATE, true), call())).toBe(true);
  });

  it('forgets the oldest calls beyond its bound', () => {
    const popped = new PoppedCalls(2);
    const p = profile(TEMPLATE, true);
    for (const id of ['a', 'b', 'c']) expect(autoPopDecision(p, call({ id }), popped)).toBe(true);
    expect(popped.has('a')).toBe(false);
    expect(popped.has('c')).toBe(true);
  });
});

describe('screen-pop URL properties (shared/screenpop.ts)', () => {
  const templates = [
    'https://crm.example.com/customers?phone={number}&name={name}',
    'https://crm.example.com:8443/c/{number}/{name}#{company}',
    'http://10.0.0.5/pop?c={data.customerId}&n={number}',
  ];
  const anyText = fc.string({ unit: 'grapheme', maxLength: 40 });

  it('any value string: the URL origin equals the template origin, and the value comes back exactly', () => {
    fc.assert(
      fc.property(fc.constantFrom(...templates), anyText, anyText, anyText, anyText, (template, number, name, company, customerId) => {
        const values = popValues(call({ remote: { number, name, company }, data: { customerId } }), '1101');
        const r = buildPopUrl(template, values);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const url = new URL(r.url);
        expect(url.origin).toBe(new URL(template.replace(/\{[^}]+\}/g, 'x')).origin);
        if (template.includes('?phone=')) {
          expect(url.searchParams.get('phone')).toBe(number);
          expect(url.searchParams.get('name')).toBe(name);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('any UTF-16 input (lone surrogates included): openScreenPop resolves, never throws, never changes the host', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), fc.string({ unit: 'binary', maxLength: 30 }), async (template, value) => {
        const r = await openScreenPop(profile(template), call({ remote: { number: value, name: value, company: value }, data: { customerId: value } }), '1101', null);
        expect(r.ok).toBe(true);
        if (r.ok) expect(new URL(r.url).origin).toBe(new URL(template.replace(/\{[^}]+\}/g, 'x')).origin);
      }),
      { numRuns: 300 },
    );
  });

  it('any template: openScreenPop never throws and only ever yields http(s) URLs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), async (template) => {
        const r = await openScreenPop(profile(template), call(), '1101', null);
        if (r.ok) expect(['http:', 'https:']).toContain(new URL(r.url).protocol);
        else expect(r.error.code).toBe('invalid');
      }),
      { numRuns: 300 },
    );
  });
});
