import { describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/model.js';
import { freshNotices, NOTICE_FRESH_MS } from './notices.js';

const notice = (id: number, at: number): Notice => ({ id, level: 'warning', code: 'linkDown', message: `n${id}`, at });

describe('freshNotices', () => {
  it('returns each notice once', () => {
    const seen = new Set<string>();
    expect(freshNotices([notice(1, 100)], seen, 200, false).map((n) => n.id)).toEqual([1]);
    expect(freshNotices([notice(1, 100), notice(2, 150)], seen, 200, false).map((n) => n.id)).toEqual([2]);
  });

  it('treats a restarted id with a new time as new (session change)', () => {
    const seen = new Set<string>();
    freshNotices([notice(1, 100)], seen, 200, false);
    expect(freshNotices([notice(1, 900)], seen, 1000, false)).toHaveLength(1);
  });

  it('on first load, skips notices older than a minute', () => {
    const now = 10 * NOTICE_FRESH_MS;
    const seen = new Set<string>();
    const got = freshNotices([notice(1, 0), notice(2, now - 1000)], seen, now, true);
    expect(got.map((n) => n.id)).toEqual([2]);
    expect(freshNotices([notice(1, 0)], seen, now, false)).toEqual([]);
  });
});
