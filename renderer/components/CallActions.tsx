// Exactly the actions the vendor allows for this call right now (and supports at all), from
// `callButtons`. Those that need a number or a code open an inline prompt (one open at a time).
import { useRef, useState } from 'react';
import type { Command } from '../../shared/commands.js';
import type { Call } from '../../shared/model.js';
import { callButtons, promptCommand, promptSpecs, type ButtonTone, type CallButton } from '../controls/callButtons.js';
import { comboLabel } from '../shortcuts/shortcuts.js';
import { sendCommand } from '../state/commands.js';
import { useKeyMap } from '../state/settings.js';
import { usePromptStore } from '../state/promptStore.js';
import { useViewStore } from '../state/viewStore.js';
import { ChoiceMenu } from './ChoiceMenu.js';
import { NumberPrompt } from './NumberPrompt.js';

const toneClass: Record<ButtonTone, string> = {
  answer: 'btn btn-success btn-answer',
  danger: 'btn btn-danger',
  record: 'btn btn-record',
  plain: 'btn',
};

/** "Ctrl+Shift+E" for a tooltip, from "Control+Shift+E". */
const keyHint = (keys: string | undefined) => (keys ? ` (${comboLabel(keys)})` : '');

interface CallActionsProps {
  call: Call;
  /** A consultation pair is on screen: transfer joins the legs rather than dialing. */
  consulting: boolean;
}

export function CallActions({ call, consulting }: CallActionsProps) {
  const capabilities = useViewStore((s) => s.view.capabilities);
  const open = usePromptStore((s) => s.open);
  const [busy, setBusy] = useState<string | null>(null);
  const wrap = useRef<HTMLDivElement>(null);

  const rejectReasons = useViewStore((s) => s.view.agent?.codes?.reject);
  const keys = useKeyMap();
  const buttons = callButtons(call, capabilities, consulting, rejectReasons ?? [], keys);
  if (buttons.length === 0) return null;

  // A prompt for an action the call no longer offers goes away with the button.
  const promptAction = open?.place === 'call' && open.callId === call.id ? open.action : null;
  const prompt = promptAction && buttons.some((b) => b.run.kind === 'prompt' && b.run.action === promptAction) ? promptAction : null;

  const run = async (key: string, command: Command) => {
    setBusy(key);
    const ok = await sendCommand(command);
    setBusy(null);
    if (ok && prompt) usePromptStore.getState().closeIf({ callId: call.id, action: prompt, place: 'call' });
  };

  const onClick = (b: CallButton) => {
    if (b.run.kind === 'prompt') usePromptStore.getState().toggle({ callId: call.id, action: b.run.action, place: 'call' });
    else if (b.run.kind === 'command') void run(b.testId, b.run.command);
  };

  return (
    <div className="call-actions-wrap" ref={wrap}>
      <div className="call-actions" role="group" aria-label="Call actions">
        {buttons.map((b) => {
          const r = b.run;
          return r.kind === 'choose' ? (
            <ChoiceMenu
              key={b.testId}
              choices={r.choices}
              disabled={busy !== null}
              onPick={(id) => {
                const picked = r.choices.find((c) => c.id === id);
                if (picked) void run(b.testId, picked.command);
              }}
              label={b.label}
              menuLabel={r.title}
              ariaLabel={b.ariaLabel}
              className={toneClass[b.tone]}
              testId={b.testId}
              itemTestId={`call-${b.action}-reason`}
              inline
            />
          ) : (
            <button
              key={b.testId}
              type="button"
              className={toneClass[b.tone]}
              data-testid={b.testId}
              aria-label={b.ariaLabel}
              aria-keyshortcuts={b.keyShortcuts}
              title={b.keyShortcuts ? `${b.ariaLabel ?? b.label}${keyHint(b.keyShortcuts)}` : undefined}
              aria-expanded={b.run.kind === 'prompt' ? prompt === b.run.action : undefined}
              aria-busy={busy === b.testId || undefined}
              disabled={busy !== null}
              onClick={() => onClick(b)}
            >
              {b.tone === 'record' && <span className="rec-dot" aria-hidden="true" />}
              {b.label}
            </button>
          );
        })}
      </div>
      {prompt && (
        <NumberPrompt
          key={prompt}
          label={promptSpecs[prompt].label}
          submitLabel={promptSpecs[prompt].submit}
          mode={promptSpecs[prompt].mode}
          busy={busy !== null}
          onSubmit={(value) => void run(`prompt-${prompt}`, promptCommand(prompt, call.id, value))}
          onCancel={() => {
            usePromptStore.getState().close();
            // Back to the button that opened the prompt, not to the top of the page.
            requestAnimationFrame(() => wrap.current?.querySelector<HTMLElement>(`[data-testid="call-action-${prompt}"]`)?.focus());
          }}
        />
      )}
    </div>
  );
}
