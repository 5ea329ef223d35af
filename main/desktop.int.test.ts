// The desktop's composition, without a lab PBX: what it does on its own at start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Callback } from '../shared/callbacks.js';
import { CallLogStore } from './calllog/store.js';
import { silentLogger } from './core/log.js';
import { type Desktop, createDesktop } from './desktop.js';
import { DEMO_PROFILE_ID } from './profiles/demo-profile.js';
import { MemorySecretStore } from './profiles/secret-store.js';

const dirs: string[] = [];
const desktops: Desktop[] = [];
afterEach(async () => {
  for (const d of desktops.splice(0)) await d.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('desktop start-up', () => {
  it('announces the callbacks that fell due while it was closed to the host that registers right after start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desktop-'));
    dirs.push(dataDir);
    const before = CallLogStore.open(dataDir);
    before.callbacks.save(DEMO_PROFILE_ID, { number: '0612345678', name: 'Sophie Lefebvre', dueAt: Date.now() - 3_600_000 });
    before.callbacks.save(DEMO_PROFILE_ID, { number: '0145678901', dueAt: Date.now() - 60_000 });
    before.close();

    // No PBX on port 1: the link stays down, which the callbacks do not need.
    const desktop = await createDesktop({ dataDir, log: silentLogger(), secrets: new MemorySecretStore(), openExternal: null, labPort: 1, demoOverrides: { reconnect: { initialMs: 60_000, maxMs: 60_000 } } });
    desktops.push(desktop);
    const due = await new Promise<Callback[]>((resolve) => desktop.onCallbackDue(resolve));
    expect(due.map((c) => c.number)).toEqual(['0612345678', '0145678901']);
    expect(desktop.view.current.notices.at(-1)).toMatchObject({ code: 'callbackDue', message: '2 callbacks due: Sophie Lefebvre (0612345678) and 0145678901' });
  });
});
