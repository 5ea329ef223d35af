// Exactly the actions the vendor allows for this call right now (and supports at all). Those
// that need a number open an inline prompt with directory lookup.
import { useState } from 'react';
import type { Command } from '../../shared/commands.js';
import { callActions, type Call, type CallAction } from '../../shared/model.js';
import { callActionLabels } from '../format/labels.js';
import { sendCommand } from '../state/commands.js';
import { useViewStore } from '../state/viewStore.js';
import { NumberPrompt } from './NumberPrompt.js';

type PromptAction = 'consult' | 'redirect' | 'addParty' | 'transfer' | 'sendDtmf';

const promptLabels: Record<PromptAction, { label: string; submit: string }> = {
  consult: { label: 'Consult with', submit: 'Call' },
  redirect: { label: 'Divert to', submit: 'Divert' },
  addParty: { label: 'Add to the call', submit: 'Add' },
  transfer: { label: 'Transfer to', submit: 'Transfer' },
  sendDtmf: { label: 'Digits to send', submit: 'Send' },
};

function actionLabel(action: CallAction, call: Call, blindTransfer: boolean): string {
  if (action === 'clear') {
    if (call.state === 'alerting' || call.state === 'queued') return 'Decline';
    if (call.state === 'dialing' || call.state === 'ringing') return 'Cancel';
  }
  if (action === 'transfer') return blindTransfer ? 'Transfer…' : 'Complete transfer';
  if (action === 'conference') return 'Conference';
  return callActionLabels[action];
}

function actionClass(action: CallAction): string {
  if (action === 'answer') return 'btn btn-success btn-answer';
  if (action === 'clear') return 'btn btn-danger';
  return 'btn';
}

function commandFor(action: CallAction, callId: string, to?: string): Command {
  switch (action) {
    case 'consult':
    case 'redirect':
    case 'addParty':
      return { kind: action, callId, to: to ?? '' };
    case 'transfer':
      return to === undefined ? { kind: 'transfer', callId } : { kind: 'transfer', callId, to };
    case 'sendDtmf':
      return { kind: 'sendDtmf', callId, digits: to ?? '' };
    case 'park':
      return { kind: 'park', callId };
    default:
      return { kind: action, callId };
  }
}

interface CallActionsProps {
  call: Call;
  /** A consultation pair is on screen: transfer joins the legs rather than dialing. */
  consulting: boolean;
}

export function CallActions({ call, consulting }: CallActionsProps) {
  const capabilities = useViewStore((s) => s.view.capabilities);
  const [prompt, setPrompt] = useState<PromptAction | null>(null);
  const [busy, setBusy] = useState<CallAction | null>(null);
  const blindTransfer = !consulting;

  const actions = callActions.filter((a) => call.allowed.includes(a) && capabilities.includes(a));
  if (actions.length === 0) return null;

  const needsNumber = (a: CallAction): a is PromptAction =>
    a === 'consult' || a === 'redirect' || a === 'addParty' || a === 'sendDtmf' || (a === 'transfer' && blindTransfer);

  const run = async (action: CallAction, to?: string) => {
    setBusy(action);
    const ok = await sendCommand(commandFor(action, call.id, to));
    setBusy(null);
    if (ok) setPrompt(null);
  };

  return (
    <div className="call-actions-wrap">
      <div className="call-actions" role="group" aria-label="Call actions">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className={actionClass(action)}
            data-testid={`call-action-${action}`}
            aria-expanded={needsNumber(action) ? prompt === action : undefined}
            aria-busy={busy === action || undefined}
            disabled={busy !== null}
            onClick={() => (needsNumber(action) ? setPrompt(prompt === action ? null : action) : void run(action))}
          >
            {actionLabel(action, call, blindTransfer)}
          </button>
        ))}
      </div>
      {prompt && (
        <NumberPrompt
          key={prompt}
          label={promptLabels[prompt].label}
          submitLabel={promptLabels[prompt].submit}
          digitsOnly={prompt === 'sendDtmf'}
          busy={busy !== null}
          onSubmit={(to) => void run(prompt, to)}
          onCancel={() => setPrompt(null)}
        />
      )}
    </div>
  );
}
