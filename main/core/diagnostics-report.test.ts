import { describe, expect, it } from 'vitest';
import { Profile } from '../../shared/profile.js';
import { makeCall, makeView } from '../../shared/test-fixtures.js';
import { diagnosticsReport } from './diagnostics-report.js';

const profile = Profile.parse({ id: 'p', name: 'Site A', device: '4711', connection: { vendor: 'telservices', host: 'cti.example', port: 5075 } });

function report(over: Partial<Parameters<typeof diagnosticsReport>[0]> = {}) {
  return diagnosticsReport({
    appVersion: '1.2.3',
    at: Date.UTC(2026, 11, 1, 9, 30, 0),
    profile,
    view: makeView([makeCall('c1', { state: 'alerting', remote: { number: '0612345678', name: 'Ada Lovelace' }, allowed: ['answer'] })], {
      agent: { state: 'busy', agentId: 'agent1101', since: 5, permitted: [], services: [] },
      nextState: { state: 'notReady', reason: 'Lunch', at: 6 },
      notices: [{ id: 1, level: 'warning', code: 'pbxLinkDown', message: 'PBX link down', at: 7 }],
    }),
    logLevel: 'debug',
    logDir: '/var/log/agent-desktop',
    recentLog: '{"level":30,"msg":"connected"}\n',
    ...over,
  });
}

const summaryOf = (text: string) => JSON.parse(text.slice(text.indexOf('{'), text.indexOf('\n}\n') + 2)) as Record<string, unknown>;

describe('diagnosticsReport', () => {
  it('names the file by the moment it was made', () => {
    expect(report().filename).toBe('agent-desktop-diagnostics-2026-12-01T09-30-00-000Z.txt');
  });

  it('says what the desk was connected to and how, without the callers', () => {
    const { text } = report();
    const summary = summaryOf(text);
    expect(summary).toMatchObject({
      app: { version: '1.2.3' },
      log: { level: 'debug', folder: '/var/log/agent-desktop' },
      profile: { id: 'p', connection: { host: 'cti.example' } },
      link: { state: 'up' },
      agent: { agentId: 'agent1101', state: 'busy' },
      afterThisCall: { state: 'notReady', reason: 'Lunch' },
      calls: [{ id: 'c1', state: 'alerting', direction: 'inbound', allowed: ['answer'] }],
      notices: [{ code: 'pbxLinkDown' }],
    });
    expect(text).not.toContain('0612345678');
    expect(text).not.toContain('Ada Lovelace');
  });

  it('ends with the latest log lines, or says there are none', () => {
    expect(report().text.endsWith('# Latest log lines (newline-delimited JSON, level debug)\n{"level":30,"msg":"connected"}\n')).toBe(true);
    expect(report({ recentLog: '' }).text.endsWith('(none)')).toBe(true);
  });

  it('redacts a secret that found its way into the profile', () => {
    const leaky = { ...profile, name: 'x', connection: { ...profile.connection, password: 'hunter2' } } as unknown as Profile;
    const { text } = report({ profile: leaky });
    expect(text).not.toContain('hunter2');
    expect(text).toContain('"password":"[redacted]"');
  });
});
