// Answering a call while another one is connected: the connected one goes on hold first, as a
// phone's line keys do, so the agent never has two callers on the line at once. The hold counts
// once its event shows it (the reply is not the change); then the answer goes.
import { type Command, CtiError } from '../../shared/commands.js';
import type { ViewState } from '../../shared/model.js';
import type { ViewStore } from './view-store.js';

export interface AnswerDeps {
  view: ViewStore;
  execute: (cmd: Command) => Promise<void>;
  /** How long a hold may take to show. */
  timeoutMs: number;
}

export async function answerHoldingOthers(callId: string, deps: AnswerDeps): Promise<void> {
  const { view, execute } = deps;
  const others = Object.values(view.current.calls).filter((c) => c.id !== callId && c.state === 'connected' && c.allowed.includes('hold'));
  for (const other of others) {
    try {
      await execute({ kind: 'hold', callId: other.id });
      await until(view, (s) => s.calls[other.id]?.state !== 'connected', deps.timeoutMs);
    } catch (err) {
      const e = CtiError.from(err);
      throw new CtiError(e.code, `the call in progress could not be put on hold first (${e.message}); it is still connected, and the ringing call was not answered`, e.vendorCode);
    }
  }
  await execute({ kind: 'answer', callId });
}

function until(view: ViewStore, pred: (s: ViewState) => boolean, ms: number): Promise<void> {
  if (pred(view.current)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new CtiError('timeout', `the phone system did not report the hold within ${Math.round(ms / 1000)} s`));
    }, ms);
    const stop = view.subscribe((s) => {
      if (!pred(s)) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}
