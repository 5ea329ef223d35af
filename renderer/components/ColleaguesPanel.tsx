// Colleagues' phones (the busy-lamp list the profile sets up): each one's state as a word and a
// lamp, the vendor's own words as a tooltip, who they talk to, how long in this state, and Call
// (the dial pad's path) when the vendor places calls. Only while the view lists colleagues.
// Where the vendor reports the colleagues as ACD agents (a supervisor's team roster: titled "Team"
// with the `team` capability), each row also shows the agent state with its dot, the pause reason
// while not ready, and the call's direction; a supervisor who may change team members' states
// gets a menu per agent (ready, not ready with a reason, log off after confirming).
import { useState } from 'react';
import { colleagueRows, colleagueSummary, colleaguesTitle, teamAgentChoices, type ColleagueRow, type TeamAgentChoice } from '../controls/colleagues.js';
import { notReadyReasons } from '../controls/agentControls.js';
import { elapsedSec, formatDuration } from '../format/duration.js';
import { useNow } from '../state/clock.js';
import { sendCommand } from '../state/commands.js';
import { useDialStore } from '../state/dialStore.js';
import { useActiveProfile } from '../state/queries.js';
import { useViewStore } from '../state/viewStore.js';
import { ChoiceMenu } from './ChoiceMenu.js';
import { Modal } from './Modal.js';

function Since({ since }: { since: number }) {
  const now = useNow();
  return (
    <span className="colleague-timer" title="Time in this state" data-testid="colleague-timer">
      {formatDuration(elapsedSec(since, now))}
    </span>
  );
}

/** A supervisor's menu for one agent of the team, with a confirmation before logging them off. */
function TeamAgentMenu({ row, choices }: { row: ColleagueRow; choices: TeamAgentChoice[] }) {
  const [sending, setSending] = useState(false);
  const [confirming, setConfirming] = useState<TeamAgentChoice | null>(null);
  const who = row.name ? `${row.name} (${row.number})` : row.number;
  const send = async (choice: TeamAgentChoice) => {
    setSending(true);
    await sendCommand(choice.command);
    setSending(false);
    setConfirming(null);
  };
  return (
    <>
      <ChoiceMenu
        choices={choices}
        disabled={sending}
        onPick={(id) => {
          const c = choices.find((x) => x.id === id);
          if (!c) return;
          if (c.confirm) setConfirming(c);
          else void send(c);
        }}
        label="State"
        menuLabel={`Agent state of ${who}`}
        ariaLabel={`Change the agent state of ${who}`}
        className="btn btn-sm btn-ghost"
        testId="colleague-agent-menu"
        itemTestId="colleague-agent-choice"
        inline
      />
      {confirming && (
        <Modal title={`Log off ${who}?`} onClose={() => setConfirming(null)} testId="colleague-logoff-dialog">
          <p>The ACD stops offering calls to {row.name ?? row.number} until they log on again. A call they are on goes on.</p>
          <div className="modal-actions">
            <button type="button" className="btn btn-danger" disabled={sending} onClick={() => void send(confirming)} data-testid="colleague-logoff-confirm">
              {sending ? 'Logging off…' : 'Log off'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setConfirming(null)} data-testid="colleague-logoff-cancel">
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}

function ColleagueItem({ row, busy, teamChoices }: { row: ColleagueRow; busy: boolean; teamChoices: TeamAgentChoice[] }) {
  const dial = useDialStore((s) => s.dial);
  return (
    <li
      className={`colleague colleague-${row.state}${row.agentState ? ' colleague-agent' : ''}${teamChoices.length > 0 ? ' colleague-managed' : ''}`}
      data-testid="colleague"
      data-number={row.number}
      data-state={row.state}
      data-agent-state={row.agentState}
    >
      <span className="colleague-lamp" aria-hidden="true" />
      <span className="colleague-main">
        <span className="colleague-who">
          {row.name && <span className="colleague-name">{row.name}</span>}
          <span className="colleague-number mono">{row.number}</span>
        </span>
        {row.agentState && (
          <span className="colleague-line colleague-agent-line">
            <span className="colleague-agent-state" data-testid="colleague-agent-state" data-state={row.agentState}>
              <span className={`agent-dot-sm agent-${row.agentState}`} aria-hidden="true" />
              {row.agentStateLabel}
            </span>
            {row.reason && (
              <span className="colleague-reason" data-testid="colleague-reason">
                {row.reason}
              </span>
            )}
          </span>
        )}
        <span className="colleague-line">
          {/* An agent on a call: the call says it; the phone's "On a call" is left to screen readers. */}
          <span className={row.agentState && row.callText ? 'visually-hidden' : 'colleague-status'} title={row.detail} data-testid="colleague-state">
            {row.stateLabel}
            {row.detail && <span className="visually-hidden"> ({row.detail})</span>}
          </span>
          {row.callText ? (
            <span className="colleague-remote colleague-direction" data-testid="colleague-direction" data-direction={row.direction}>
              {row.callText}
            </span>
          ) : (
            row.remote && (
              <span className="colleague-remote" data-testid="colleague-remote">
                with {row.remote}
              </span>
            )
          )}
        </span>
      </span>
      <Since since={row.since} />
      {teamChoices.length > 0 && <TeamAgentMenu row={row} choices={teamChoices} />}
      {row.canCall && (
        <button
          type="button"
          className="btn btn-sm btn-ghost btn-call"
          disabled={busy}
          onClick={() => void dial(row.number)}
          aria-label={`Call ${row.name ?? row.number}`}
          data-testid="colleague-call"
        >
          Call
        </button>
      )}
    </li>
  );
}

export function ColleaguesPanel() {
  const colleagues = useViewStore((s) => s.view.colleagues);
  const capabilities = useViewStore((s) => s.view.capabilities);
  const device = useViewStore((s) => s.view.device);
  const busy = useDialStore((s) => s.busy);
  const agent = useViewStore((s) => s.view.agent);
  const profileReasons = useActiveProfile()?.profile.notReadyReasons;
  if (colleagues.length === 0) return null;
  const rows = colleagueRows(colleagues, capabilities, device);
  const reasons = agent?.teamReasons ?? notReadyReasons(agent, profileReasons ?? []);
  const title = colleaguesTitle(capabilities);

  return (
    <section className="panel colleagues-panel" aria-labelledby="colleagues-title" data-testid="colleagues-panel">
      <h2 id="colleagues-title" className="panel-title">
        {title} <span className="count">{colleagues.length}</span>
      </h2>
      <p className="colleague-counts hint" data-testid="colleague-counts">
        {colleagueSummary(colleagues)}
      </p>
      {/* Focusable so the keyboard can scroll a long list. */}
      <ul className="colleague-list" aria-label={title === 'Team' ? 'Agents of the team' : 'Colleagues’ phones'} tabIndex={0}>
        {rows.map((row, i) => (
          <ColleagueItem key={`${i}:${row.number}`} row={row} busy={busy} teamChoices={teamAgentChoices(row, capabilities, reasons, agent?.agentId)} />
        ))}
      </ul>
    </section>
  );
}
