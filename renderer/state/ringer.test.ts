import { describe, expect, it } from 'vitest';
import { ringDesk, useRingerStatus } from './ringer.js';
import { useToastStore } from './toastStore.js';

describe('ringDesk', () => {
  it('says once, in a toast, that this computer cannot ring, and stays quiet', async () => {
    // This test runs in Node, which has no Web Audio: as a browser with no audio output would.
    await ringDesk({ deviceId: '', volume: 0.5, tone: 'double' });
    expect(useRingerStatus.getState().state).toBe('idle');
    expect(useToastStore.getState().toasts.map((t) => [t.level, t.message])).toEqual([['warning', expect.stringMatching(/^The desk cannot ring on this computer: .*AudioContext/)]]);
  });
});
