// How the phone's features read: overflow, voicemail and missed-call counters. Pure.
import type { DeviceFeatures, Overflow } from '../../shared/model.js';
import { overflowTargetLabels } from '../format/labels.js';

const overflowWhen: Record<Overflow['type'], string> = {
  busy: 'when busy',
  noAnswer: 'when not answered',
  busyNoAnswer: 'when busy or not answered',
};

/** "To voicemail when busy", "Off", or null when the vendor does not report it. */
export function overflowSummary(overflow: DeviceFeatures['overflow']): string | null {
  if (overflow === undefined) return null;
  if (overflow === null) return 'Off';
  return `To ${overflowTargetLabels[overflow.to].toLowerCase()} ${overflowWhen[overflow.type]}`;
}

/** The overflow state for `data-state`: off, the type, or unknown. */
export function overflowState(overflow: DeviceFeatures['overflow']): string {
  return overflow === undefined ? 'unknown' : overflow === null ? 'off' : overflow.type;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The message-waiting indicator: a count when the vendor gives one. */
export function voicemailText(f: Pick<DeviceFeatures, 'messageWaiting' | 'voiceMessages'>): { on: boolean; text: string } {
  const n = f.voiceMessages ?? 0;
  if (n > 0) return { on: true, text: plural(n, 'voice message', 'voice messages') };
  return f.messageWaiting ? { on: true, text: 'Voicemail waiting' } : { on: false, text: 'No new voicemail' };
}

export const missedCallsText = (n: number): string => plural(n, 'missed call', 'missed calls');
