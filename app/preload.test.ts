import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IPC_PREFIX, invokeChannelNames, pushChannels } from '../shared/bridge.js';

// The sandboxed preload cannot import the contract, so it carries its own copy of the channel
// list; this keeps the two equal.
const source = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8');

function listed(name: string): string[] {
  const m = new RegExp(`const ${name}: readonly string\\[\\] = \\[([^\\]]*)\\]`).exec(source);
  if (!m?.[1]) throw new Error(`${name} not found in preload.cts`);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1] as string);
}

describe('preload allow-list', () => {
  it('exposes exactly the contract channels', () => {
    expect(listed('INVOKE_CHANNELS').sort()).toEqual([...invokeChannelNames].sort());
    expect(listed('PUSH_CHANNELS')).toEqual([...pushChannels]);
    expect(source).toContain(`const PREFIX = '${IPC_PREFIX}'`);
  });

  it('never exposes Electron objects or a generic send', () => {
    expect(source).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
    expect(source).not.toMatch(/sendSync|\.send\(/);
  });
});
