import { describe, expect, it } from 'vitest';
import type { StatePush } from '../../shared/bridge.js';
import type { Call } from '../../shared/model.js';
import { applyPatch } from '../../shared/patch.js';
import { makeCall } from '../../shared/test-fixtures.js';
import { type BridgeHandlers, BridgeServer } from './bridge-server.js';
import { silentLogger } from './log.js';
import { ViewStore } from './view-store.js';

const alerting = (id: string, seq = 1): Call =>
  makeCall(id, { ref: { vendor: 'telservices', device: '1101', callId: id }, state: 'alerting', remote: { number: '0612345678' }, startedAt: 1, allowed: ['answer'], seq });

const unused = async (): Promise<never> => {
  throw new Error('not used here');
};
const handlers = (over: Partial<BridgeHandlers> = {}): BridgeHandlers => ({
  'cti.command': async () => ({ accepted: true }),
  'cti.query': unused,
  'calllog.query': async () => [],
  'calllog.exportCsv': unused,
  'calllog.setNote': unused,
  'callbacks.list': unused,
  'callbacks.save': unused,
  'callbacks.done': unused,
  'callbacks.delete': unused,
  'profiles.list': unused,
  'profiles.save': unused,
  'profiles.delete': unused,
  'profiles.activate': unused,
  'profiles.test': unused,
  'profiles.export': unused,
  'profiles.import': unused,
  'profiles.logins': unused,
  'screenpop.open': unused,
  'admin.schema': unused,
  'admin.list': unused,
  'admin.get': unused,
  'admin.save': unused,
  'admin.delete': unused,
  'diagnostics.info': unused,
  'diagnostics.setLevel': unused,
  'diagnostics.export': unused,
  'settings.get': unused,
  'settings.save': unused,
  ...over,
});

function nextPush(pushes: StatePush[]): Promise<StatePush> {
  const start = pushes.length;
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 2000;
    const poll = () => {
      if (pushes.length > start) resolve(pushes[start] as StatePush);
      else if (Date.now() > deadline) reject(new Error('no push'));
      else setImmediate(poll);
    };
    poll();
  });
}

describe('BridgeServer', () => {
  it('sends nothing before ready, then the full state in the ready reply, then patches', async () => {
    const view = new ViewStore();
    const bridge = new BridgeServer(view, handlers(), silentLogger());
    const pushes: StatePush[] = [];
    const client = bridge.connect((p) => pushes.push(p));
    view.apply({ type: 'call', change: 'alerting', call: alerting('early') });
    await new Promise((r) => setTimeout(r, 30));
    expect(pushes).toHaveLength(0);
    const ready = await client.handle('app.ready', {});
    expect(ready.ok).toBe(true);
    if (!ready.ok) return;
    const value = ready.value as { state: { calls: Record<string, Call> }; rev: number };
    expect(Object.keys(value.state.calls)).toEqual(['early']);
    const pending = nextPush(pushes);
    view.apply({ type: 'call', change: 'alerting', call: alerting('late') });
    const push = await pending;
    expect(push.kind).toBe('patch');
    expect(push.rev).toBe(value.rev + 1);
    if (push.kind === 'patch') expect(applyPatch(view.current, push.patch).calls.late).toBeDefined();
    bridge.dispose();
  });

  it('coalesces a burst into at most one message per frame', async () => {
    const view = new ViewStore();
    const bridge = new BridgeServer(view, handlers(), silentLogger(), 50);
    const pushes: StatePush[] = [];
    const client = bridge.connect((p) => pushes.push(p));
    await client.handle('app.ready', {});
    for (let i = 0; i < 100; i++) view.apply({ type: 'call', change: 'alerting', call: alerting(`c${i}`) });
    await nextPush(pushes);
    for (let i = 100; i < 200; i++) view.apply({ type: 'call', change: 'alerting', call: alerting(`c${i}`) });
    await nextPush(pushes);
    expect(pushes).toHaveLength(2);
    let state = view.current;
    state = { ...state, calls: {} };
    for (const p of pushes) if (p.kind === 'patch') state = applyPatch(state, p.patch);
    expect(Object.keys(state.calls)).toHaveLength(200);
    bridge.dispose();
  });

  it('drops unknown channels and invalid payloads with typed errors', async () => {
    const view = new ViewStore();
    let called = 0;
    const bridge = new BridgeServer(
      view,
      handlers({
        'cti.command': async () => {
          called += 1;
          return { accepted: true };
        },
      }),
      silentLogger(),
    );
    const client = bridge.connect(() => {});
    expect(await client.handle('shell.openExternal', { url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await client.handle('cti.command', { kind: 'makeCall', to: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(await client.handle('cti.command', { kind: 'formatDisk' })).toMatchObject({ ok: false });
    expect(await client.handle('__proto__', {})).toMatchObject({ ok: false });
    expect(called).toBe(0);
    expect(await client.handle('cti.command', { kind: 'makeCall', to: '0612345678' })).toEqual({ ok: true, value: { accepted: true } });
    expect(called).toBe(1);
    bridge.dispose();
  });

  it('returns handler failures as typed errors', async () => {
    const view = new ViewStore();
    const bridge = new BridgeServer(
      view,
      handlers({
        'cti.command': async () => {
          throw new Error('boom');
        },
      }),
      silentLogger(),
    );
    const client = bridge.connect(() => {});
    expect(await client.handle('cti.command', { kind: 'snapshot' })).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
    bridge.dispose();
  });
});
