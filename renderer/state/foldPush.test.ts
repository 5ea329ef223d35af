import { describe, expect, it } from 'vitest';
import { makeCall, makeView } from '../../shared/test-fixtures.js';
import { endedCalls, foldPush } from './foldPush.js';

describe('foldPush', () => {
  const a = makeCall('a');
  const b = makeCall('b', { state: 'alerting' });

  it('a full push replaces the state, whatever its rev', () => {
    const next = makeView([b]);
    const r = foldPush({ view: makeView([a]), rev: 40 }, { kind: 'full', rev: 1, state: next });
    expect(r).toEqual({ kind: 'applied', view: next, rev: 1, endedCallIds: ['a'] });
  });

  it('a full push before any state applies, with nothing ended', () => {
    const r = foldPush(null, { kind: 'full', rev: 7, state: makeView([a]) });
    expect(r).toMatchObject({ kind: 'applied', rev: 7, endedCallIds: [] });
  });

  it('applies the next patch with applyPatch', () => {
    const cur = { view: makeView([a]), rev: 5 };
    const r = foldPush(cur, { kind: 'patch', rev: 6, patch: { calls: { upsert: [b], remove: [] }, set: { pop: b } } });
    expect(r.kind).toBe('applied');
    if (r.kind !== 'applied') return;
    expect(r.rev).toBe(6);
    expect(Object.keys(r.view.calls).sort()).toEqual(['a', 'b']);
    expect(r.view.pop).toBe(b);
    expect(r.endedCallIds).toEqual([]);
  });

  it('reports calls a patch removes as ended (only those it had)', () => {
    const cur = { view: makeView([a, b]), rev: 5 };
    const r = foldPush(cur, { kind: 'patch', rev: 6, patch: { calls: { upsert: [], remove: ['a', 'zombie'] } } });
    expect(r).toMatchObject({ kind: 'applied', endedCallIds: ['a'] });
  });

  it('ignores a patch it already has', () => {
    const cur = { view: makeView([a]), rev: 5 };
    expect(foldPush(cur, { kind: 'patch', rev: 5, patch: {} })).toEqual({ kind: 'stale' });
    expect(foldPush(cur, { kind: 'patch', rev: 3, patch: {} })).toEqual({ kind: 'stale' });
  });

  it('a skipped rev is a gap', () => {
    const cur = { view: makeView([a]), rev: 5 };
    expect(foldPush(cur, { kind: 'patch', rev: 7, patch: {} })).toEqual({ kind: 'gap' });
  });

  it('a patch before any full state is a gap', () => {
    expect(foldPush(null, { kind: 'patch', rev: 1, patch: {} })).toEqual({ kind: 'gap' });
  });

  it('endedCalls lists calls that disappeared', () => {
    expect(endedCalls(makeView([a, b]), makeView([b]))).toEqual(['a']);
    expect(endedCalls(null, makeView([b]))).toEqual([]);
  });
});
