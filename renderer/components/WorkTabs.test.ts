import { describe, expect, it } from 'vitest';
import { workTabs } from './WorkTabs.js';

describe('work tabs', () => {
  it('shows the directory only where the vendor has one, and the admin view only with the admin capability', () => {
    expect(workTabs([])).toEqual(['calllog']);
    expect(workTabs(['makeCall', 'directory'])).toEqual(['calllog', 'directory']);
    expect(workTabs(['makeCall', 'team', 'admin'])).toEqual(['calllog', 'admin']);
    expect(workTabs(['directory', 'admin'])).toEqual(['calllog', 'directory', 'admin']);
  });
});
