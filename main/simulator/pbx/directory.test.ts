import { describe, expect, it } from 'vitest';
import { defaultPbxConfig } from './config.js';
import { Directory } from './directory.js';

describe('directory smart search', () => {
  const dir = new Directory(defaultPbxConfig().directory);
  const names = (found: Array<{ name: string }>) => found.map((e) => e.name);

  it('prefix first, then word start, then company; sorted; limited', () => {
    expect(names(dir.searchName('mar', []))).toEqual(['Marcel Jagger', 'Martin Jagger']);
    expect(names(dir.searchName('JAG', []))).toEqual(['Marcel Jagger', 'Martin Jagger']);
    expect(names(dir.searchName('unig', []))).toEqual(['Marcel Jagger', 'Martin Jagger']);
    expect(names(dir.searchName('mar', [], 1))).toEqual(['Marcel Jagger']);
    expect(dir.searchName('zzz', [])).toEqual([]);
  });

  it('private directories are visible to their user only and replaced whole', () => {
    const d = new Directory([]);
    d.replaceUserDirectory('agent1101', 'outlook', [{ number: '0160121314', name: 'Bob Blake' }]);
    expect(names(d.searchName('bob', ['agent1101']))).toEqual(['Bob Blake']);
    expect(d.searchName('bob', [])).toEqual([]);
    expect(d.lookup('0160121314', ['agent1101'])?.name).toBe('Bob Blake');
    d.replaceUserDirectory('agent1101', 'outlook', []);
    expect(d.searchNumber('0160121314', ['agent1101'])).toEqual([]);
  });
});
