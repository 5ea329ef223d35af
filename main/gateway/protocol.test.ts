// The gateway protocol's schemas (shared/gateway.ts), as both ends read them.
import { describe, expect, it } from 'vitest';
import {
  GatewayServerFrame,
  GatewaySignIn,
  decodeGatewayClientFrame,
  decodeGatewayServerFrame,
  gatewayChannelNames,
  parseGatewayEvent,
  parseGatewayRequest,
  parseGatewayValue,
} from '../../shared/gateway.js';
import { makeCall } from '../../shared/test-fixtures.js';

describe('gateway protocol: desktop → gateway', () => {
  it('has exactly the five channels', () => {
    expect(gatewayChannelNames.sort()).toEqual(['cti.command', 'cti.query', 'gateway.keepAlive', 'gateway.signIn', 'gateway.snapshot']);
  });

  it('reads a frame in the web host framing', () => {
    const r = decodeGatewayClientFrame(JSON.stringify({ id: 7, channel: 'gateway.snapshot', payload: {} }));
    expect(r).toEqual({ ok: true, frame: { id: 7, channel: 'gateway.snapshot', payload: {} } });
  });

  it('answers unreadable frames with invalid, keeping the id when there is one', () => {
    expect(decodeGatewayClientFrame('{not json')).toMatchObject({ ok: false, id: null, error: { code: 'invalid' } });
    expect(decodeGatewayClientFrame('[]')).toMatchObject({ ok: false, id: null });
    expect(decodeGatewayClientFrame(JSON.stringify({ id: 3, channel: 42 }))).toMatchObject({ ok: false, id: 3, error: { code: 'invalid' } });
    expect(decodeGatewayClientFrame(JSON.stringify({ id: -1, channel: 'cti.command' }))).toMatchObject({ ok: false, id: null });
    expect(decodeGatewayClientFrame(JSON.stringify({ id: 4, channel: 'profiles.list', payload: {} }))).toMatchObject({ ok: false, id: 4, error: { message: expect.stringContaining('unknown channel') } });
    expect(decodeGatewayClientFrame(JSON.stringify({ id: 5, channel: '__proto__', payload: {} }))).toMatchObject({ ok: false, id: 5 });
  });

  it('checks the sign-in strictly, without echoing the password in errors', () => {
    const ok = { login: 'agent1', password: 'pw', station: '4001', role: 'agent', client: 'agent-desktop' };
    expect(GatewaySignIn.safeParse(ok).success).toBe(true);
    expect(GatewaySignIn.safeParse({ login: 'agent1', password: '', station: '4001' }).success).toBe(true);
    for (const bad of [
      { ...ok, extra: 1 },
      { ...ok, login: 'two words' },
      { ...ok, login: '' },
      { ...ok, station: 'abc' },
      { ...ok, role: 'admin' },
      { ...ok, password: 'x'.repeat(257) },
      { login: 'agent1', station: '4001' },
    ]) {
      expect(GatewaySignIn.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
    const r = parseGatewayRequest('gateway.signIn', { ...ok, password: 'hunter2', station: 'bad station' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid');
      expect(r.error.message).not.toContain('hunter2');
    }
  });

  it('validates commands and queries with the bridge schemas, and empty objects for snapshot / keep-alive', () => {
    expect(parseGatewayRequest('cti.command', { kind: 'makeCall', to: '4002' })).toEqual({ ok: true, value: { kind: 'makeCall', to: '4002' } });
    expect(parseGatewayRequest('cti.command', { kind: 'makeCall', to: 'rm -rf' }).ok).toBe(false);
    expect(parseGatewayRequest('cti.command', { kind: 'selfDestruct' }).ok).toBe(false);
    expect(parseGatewayRequest('cti.query', { kind: 'directory', text: 'smith' })).toEqual({ ok: true, value: { kind: 'directory', text: 'smith', limit: 50 } });
    expect(parseGatewayRequest('gateway.snapshot', {}).ok).toBe(true);
    expect(parseGatewayRequest('gateway.snapshot', { all: true }).ok).toBe(false);
    expect(parseGatewayRequest('gateway.keepAlive', null).ok).toBe(false);
  });
});

describe('gateway protocol: gateway → desktop', () => {
  it('reads replies, event pushes and lost pushes', () => {
    expect(decodeGatewayServerFrame(JSON.stringify({ id: 1, reply: { ok: true, value: { accepted: true } } }))).toMatchObject({ ok: true });
    expect(decodeGatewayServerFrame(JSON.stringify({ id: 1, reply: { ok: false, error: { code: 'authFailed', message: 'no' } } }))).toMatchObject({ ok: true });
    expect(decodeGatewayServerFrame(JSON.stringify({ push: 'cti.event', payload: { anything: 1 } }))).toMatchObject({ ok: true });
    expect(decodeGatewayServerFrame(JSON.stringify({ push: 'gateway.lost', payload: { code: 'sessionLost', message: 'gone' } }))).toMatchObject({ ok: true });
  });

  it('refuses unknown frames and error codes', () => {
    expect(decodeGatewayServerFrame('nope')).toMatchObject({ ok: false, error: { code: 'protocol' } });
    expect(decodeGatewayServerFrame(JSON.stringify({ push: 'state', payload: {} })).ok).toBe(false);
    expect(decodeGatewayServerFrame(JSON.stringify({ id: 1, reply: { ok: false, error: { code: 'weird', message: '' } } })).ok).toBe(false);
    expect(decodeGatewayServerFrame(JSON.stringify({ push: 'gateway.lost', payload: {} })).ok).toBe(false);
    expect(GatewayServerFrame.safeParse({ id: 1 }).success).toBe(false);
  });

  it('checks each reply value against its channel', () => {
    const signIn = { vendor: 'ctips', capabilities: ['makeCall', 'futureCommand'], extraCapabilities: [], role: 'supervisor', agentId: 'boss' };
    expect(parseGatewayValue('gateway.signIn', signIn)).toEqual({ ok: true, value: signIn });
    expect(parseGatewayValue('gateway.signIn', { ...signIn, vendor: 'acme' })).toMatchObject({ ok: false, error: { code: 'protocol' } });
    expect(parseGatewayValue('cti.command', { accepted: true }).ok).toBe(true);
    expect(parseGatewayValue('cti.command', { accepted: false }).ok).toBe(false);
    expect(parseGatewayValue('gateway.keepAlive', { missedEvents: 0, pbxLinkUp: true }).ok).toBe(true);
    expect(parseGatewayValue('gateway.keepAlive', { missedEvents: -1, pbxLinkUp: true }).ok).toBe(false);
    expect(parseGatewayValue('gateway.snapshot', { type: 'snapshot', at: 1, calls: [makeCall('c1')] }).ok).toBe(true);
    expect(parseGatewayValue('gateway.snapshot', { type: 'call', at: 1 }).ok).toBe(false);
    expect(parseGatewayValue('cti.query', [{ number: '4001', name: 'Ann' }]).ok).toBe(true);
    expect(parseGatewayValue('cti.query', []).ok).toBe(true);
    expect(parseGatewayValue('cti.query', [{ nope: 1 }]).ok).toBe(false);
  });

  it('checks events against CtiEvent', () => {
    expect(parseGatewayEvent({ type: 'call', change: 'created', call: makeCall('c1') }).ok).toBe(true);
    expect(parseGatewayEvent({ type: 'call', change: 'created' })).toMatchObject({ ok: false, error: { code: 'protocol' } });
    expect(parseGatewayEvent({ type: 'explode' }).ok).toBe(false);
  });
});
