// Which buttons a call shows: exactly the actions its `allowed` list offers that the vendor
// supports at all (`capabilities`), in a fixed order, with the label, the command they send or
// the prompt they open. Pure, so what a call state yields is tested without React.
import type { Command } from '../../shared/commands.js';
import { callActions, type Call, type CallAction } from '../../shared/model.js';
import { callActionLabels, recordActionLabels, type RecordOp } from '../format/labels.js';
import type { PromptMode } from '../format/promptInput.js';
import { defaultKeyMap, type KeyMap } from '../shortcuts/shortcuts.js';

/** Actions that ask for a number (or digits, or a code) before they run. */
export type PromptAction = 'consult' | 'redirect' | 'addParty' | 'transfer' | 'sendDtmf' | 'transactionCode';

export const promptSpecs: Record<PromptAction, { label: string; submit: string; mode: PromptMode }> = {
  consult: { label: 'Consult with', submit: 'Call', mode: 'dial' },
  redirect: { label: 'Divert to', submit: 'Divert', mode: 'dial' },
  addParty: { label: 'Add to the call', submit: 'Add', mode: 'dial' },
  transfer: { label: 'Transfer to', submit: 'Transfer', mode: 'dial' },
  sendDtmf: { label: 'Digits to send', submit: 'Send', mode: 'dtmf' },
  transactionCode: { label: 'Transaction code', submit: 'Send code', mode: 'code' },
};

export type ButtonTone = 'answer' | 'danger' | 'record' | 'plain';

/** A site code the agent picks (reject reason, logout reason, disposition): its number and label. */
export interface Code {
  id: string;
  label: string;
}

/** One entry of a choice menu, with the command it sends. */
export interface Choice {
  id: string;
  label: string;
  command: Command;
}

export interface CallButton {
  /** The `data-testid`, also the React key: `call-action-<action>`, recording `call-action-record-<op>`. */
  testId: string;
  action: CallAction;
  label: string;
  /** Accessible name, when the visible label needs more context. */
  ariaLabel?: string;
  tone: ButtonTone;
  /** The keyboard shortcut that does the same (aria-keyshortcuts syntax). */
  keyShortcuts?: string;
  run: { kind: 'command'; command: Command } | { kind: 'prompt'; action: PromptAction } | { kind: 'choose'; title: string; choices: Choice[] };
}

/** The recording buttons for a call's recording state: start; or pause and stop; or resume and stop. */
export function recordOps(recording: Call['recording']): RecordOp[] {
  if (recording === 'recording') return ['pause', 'stop'];
  if (recording === 'paused') return ['resume', 'stop'];
  return ['start'];
}

/** The command a prompt sends with what the agent typed (already checked by `checkPromptInput`). */
export function promptCommand(action: PromptAction, callId: string, value: string): Command {
  switch (action) {
    case 'consult':
    case 'redirect':
    case 'addParty':
      return { kind: action, callId, to: value };
    case 'transfer':
      return { kind: 'transfer', callId, to: value };
    case 'sendDtmf':
      return { kind: 'sendDtmf', callId, digits: value };
    case 'transactionCode':
      return { kind: 'transactionCode', callId, code: value };
  }
}

function clearLabel(call: Call): string {
  if (call.state === 'alerting' || call.state === 'queued') return 'Decline';
  if (call.state === 'dialing' || call.state === 'ringing') return 'Cancel';
  return callActionLabels.clear;
}

/** Reject an offered call: with one of the site's reject reasons (a menu), or without a reason when there are none. */
export function rejectRun(callId: string, reasons: readonly Code[]): CallButton['run'] {
  if (reasons.length === 0) return { kind: 'command', command: { kind: 'reject', callId } };
  return { kind: 'choose', title: 'Reject reason', choices: reasons.map((r) => ({ id: r.id, label: r.label, command: { kind: 'reject', callId, reason: r.id } })) };
}

type Simple = Exclude<CallAction, PromptAction | 'record' | 'reject'>;

function simpleCommand(action: Simple, callId: string): Command {
  return { kind: action, callId };
}

/**
 * The buttons of one call. `consulting`: a consultation pair is on screen, so "Transfer" joins the
 * two legs instead of asking where to (blind transfer). `rejectReasons`: the site's reject reasons
 * (`agent.codes.reject`); Reject asks for one when there are any.
 */
export function callButtons(call: Call, capabilities: readonly string[], consulting: boolean, rejectReasons: readonly Code[] = [], keys: KeyMap = defaultKeyMap): CallButton[] {
  const shortcut = (combo: string | null) => (combo ? { keyShortcuts: combo } : {});
  const out: CallButton[] = [];
  for (const action of callActions) {
    if (!call.allowed.includes(action) || !capabilities.includes(action)) continue;
    const testId = `call-action-${action}`;
    switch (action) {
      case 'record':
        for (const op of recordOps(call.recording)) {
          out.push({
            testId: `call-action-record-${op}`,
            action,
            label: recordActionLabels[op],
            ...(op === 'start' ? { ariaLabel: 'Start recording' } : {}),
            tone: op === 'stop' ? 'plain' : 'record',
            ...(op !== 'stop' ? shortcut(keys.record) : {}),
            run: { kind: 'command', command: { kind: 'record', callId: call.id, action: op } },
          });
        }
        break;
      case 'transfer':
        out.push(
          consulting
            ? { testId, action, label: 'Complete transfer', tone: 'plain', run: { kind: 'command', command: { kind: 'transfer', callId: call.id } } }
            : { testId, action, label: 'Transfer…', tone: 'plain', run: { kind: 'prompt', action } },
        );
        break;
      case 'consult':
      case 'redirect':
      case 'addParty':
      case 'sendDtmf':
        out.push({ testId, action, label: callActionLabels[action], tone: 'plain', run: { kind: 'prompt', action } });
        break;
      case 'transactionCode':
        out.push({
          testId,
          action,
          label: callActionLabels.transactionCode,
          ariaLabel: 'Enter transaction code',
          tone: 'plain',
          ...shortcut(keys.transactionCode),
          run: { kind: 'prompt', action },
        });
        break;
      case 'reject':
        out.push({ testId, action, label: callActionLabels.reject, ...(rejectReasons.length > 0 ? { ariaLabel: 'Reject with a reason' } : {}), tone: 'danger', run: rejectRun(call.id, rejectReasons) });
        break;
      default:
        out.push({
          testId,
          action,
          label: action === 'clear' ? clearLabel(call) : callActionLabels[action],
          tone: action === 'answer' ? 'answer' : action === 'clear' ? 'danger' : 'plain',
          ...(action === 'answer' || action === 'clear' ? shortcut(keys.answerOrHangUp) : {}),
          ...(action === 'hold' || action === 'retrieve' ? shortcut(keys.holdOrRetrieve) : {}),
          run: { kind: 'command', command: simpleCommand(action, call.id) },
        });
    }
  }
  return out;
}
