// "Download diagnostics": one text file an agent can send to support. It says what the desk was
// connected to and how (profile without secrets, link, capabilities, agent state and the state queued
// for after the call, the calls' states and the recent notices), then the latest log lines. Caller
// numbers and names stay out of the summary; the log carries what it carries at its level, already
// redacted.
import { arch, platform, release } from 'node:os';
import type { ViewState } from '../../shared/model.js';
import type { Profile } from '../../shared/profile.js';
import { redactFrame } from './log.js';

export interface DiagnosticsInput {
  appVersion: string;
  at: number;
  profile: Profile | null;
  view: ViewState;
  logLevel: string;
  logDir: string | null;
  recentLog: string;
}

export interface DiagnosticsReport {
  filename: string;
  text: string;
}

export function diagnosticsReport(input: DiagnosticsInput): DiagnosticsReport {
  const { view } = input;
  const summary = {
    app: { version: input.appVersion, node: process.versions.node, electron: process.versions.electron ?? null, os: `${platform()} ${release()} ${arch()}` },
    at: new Date(input.at).toISOString(),
    log: { level: input.logLevel, folder: input.logDir },
    profile: input.profile,
    link: view.link,
    vendor: view.vendor,
    device: view.device,
    capabilities: view.capabilities,
    agent: view.agent ? { agentId: view.agent.agentId ?? null, state: view.agent.state, reason: view.agent.reason ?? null, since: view.agent.since } : null,
    afterThisCall: view.nextState,
    calls: Object.values(view.calls).map((c) => ({ id: c.id, state: c.state, direction: c.direction, startedAt: c.startedAt, allowed: c.allowed })),
    notices: view.notices,
  };
  const stamp = new Date(input.at).toISOString().replace(/[:.]/g, '-');
  const text = [
    '# Agent Desktop diagnostics',
    redactFrame(JSON.stringify(summary, null, 2)),
    '',
    `# Latest log lines (newline-delimited JSON, level ${input.logLevel})`,
    input.recentLog || '(none)',
  ].join('\n');
  return { filename: `agent-desktop-diagnostics-${stamp}.txt`, text };
}
