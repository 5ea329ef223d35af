import { describe, expect, it } from 'vitest';
import { Profile } from '../../shared/profile.js';
import { draftFromProfile, emptyDraft, validateDraft, type ProfileDraft } from './profileDraft.js';

const filled = (over: Partial<ProfileDraft> = {}): ProfileDraft => ({
  ...emptyDraft(),
  id: 'site-a',
  name: 'Site A',
  device: '4711',
  host: 'cti.example',
  port: '2500',
  ...over,
});

describe('profile draft', () => {
  it('a complete draft becomes a valid Profile', () => {
    const r = validateDraft(filled({ notReadyReasons: 'Break\n\n Lunch \n', popUrlTemplate: 'https://crm.example/?n={number}' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.profile.connection).toMatchObject({ vendor: 'telservices', host: 'cti.example', port: 2500, endOfPdu: null });
    expect(r.profile.notReadyReasons).toEqual(['Break', 'Lunch']);
  });

  it('reports errors per field', () => {
    const r = validateDraft(filled({ id: 'Site A', port: '', device: 'abc', keepAliveSec: 'soon', host: '' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.id).toBe('lower-case letters, digits and dashes');
    expect(r.errors.port).toBe('Required');
    expect(r.errors.device).toBe('a device number');
    expect(r.errors.keepAliveSec).toBe('Enter a number');
    expect(r.errors.host).toBeDefined();
  });

  it('checks the screen-pop template and long polling over TCP', () => {
    const r = validateDraft(filled({ popUrlTemplate: 'javascript:alert({number})', events: 'longPoll', transport: 'tcp' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.popUrlTemplate).toMatch(/http/);
    expect(r.errors.events).toMatch(/HTTP/);
  });

  it('round-trips a saved profile, keeping fields the form does not show', () => {
    const saved = Profile.parse({
      id: 'b',
      name: 'B',
      device: '12',
      connection: { vendor: 'telservices', host: 'h', port: 1, halfClose: false, eventUpdate: 'restricted' },
      reconnect: { initialMs: 500, maxMs: 9000 },
    });
    const r = validateDraft(draftFromProfile(saved), saved);
    expect(r).toEqual({ ok: true, profile: saved });
  });

  describe('quick connects', () => {
    it('reads "Label = number" lines, a number alone, and the separators people type in numbers', () => {
      const r = validateDraft(filled({ quickConnects: 'Team lead = 1102\n\n  Billing = 01 45 (67) 89.01 \n6201\nA = B = 7' }));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.profile.quickConnects).toEqual([
        { label: 'Team lead', number: '1102' },
        { label: 'Billing', number: '0145678901' },
        { label: '6201', number: '6201' },
        { label: 'A = B', number: '7' },
      ]);
      // And back into the form the same way.
      expect(draftFromProfile(r.profile).quickConnects).toBe('Team lead = 1102\nBilling = 0145678901\n6201\nA = B = 7');
    });

    it('names the line and the part that is wrong', () => {
      const r = validateDraft(filled({ quickConnects: 'Team lead = 1102\nBilling = call me' }));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors.quickConnects).toBe('line 2 (its number): digits, + * and # only');
      const unnamed = validateDraft(filled({ quickConnects: ' = 1102' }));
      expect(unnamed.ok || unnamed.errors.quickConnects).toBe('line 1 (its label): Required');
    });
  });
});
