import { describe, expect, it } from 'vitest';
import { dialableFromLink } from './links.js';

describe('tel:/callto: links', () => {
  it('extracts a dialable number', () => {
    expect(dialableFromLink('tel:+33 1 60 12 77 64')).toBe('+33160127764');
    expect(dialableFromLink('tel:0612-345-678')).toBe('0612345678');
    expect(dialableFromLink('callto://0612345678')).toBe('0612345678');
    expect(dialableFromLink('TEL:%2B441234567890')).toBe('+441234567890');
    expect(dialableFromLink('tel:1101;phone-context=example.com')).toBe('1101');
  });

  it('refuses anything else', () => {
    expect(dialableFromLink('--inspect')).toBeNull();
    expect(dialableFromLink('tel:')).toBeNull();
    expect(dialableFromLink('tel:javascript:alert(1)')).toBeNull();
    expect(dialableFromLink('https://example.com')).toBeNull();
    expect(dialableFromLink('tel:%E0%A4%A')).toBeNull();
  });
});
