import { describe, expect, it } from 'vitest';
import { workTabs } from './WorkTabs.js';

describe('work tabs', () => {
  it('shows the directory only where the vendor has one, and the admin view only with the admin capability', () => {
    expect(workTabs([])).toEqual(['calllog', 'callbacks']);
    expect(workTabs(['makeCall', 'directory'])).toEqual(['calllog', 'callbacks', 'directory']);
    expect(workTabs(['makeCall', 'team', 'admin'])).toEqual(['calllog', 'callbacks', 'admin']);
    expect(workTabs(['directory', 'admin'])).toEqual(['calllog', 'callbacks', 'directory', 'admin']);
  });
});
