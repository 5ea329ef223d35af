// Replies the bridge client makes up itself when the desktop service cannot answer.
import type { InvokeChannel, InvokeReply } from '../../shared/bridge.js';

export const REQUEST_TIMEOUT_MS = 20_000;

export function timeoutReply<C extends InvokeChannel>(channel: C, ms: number, connected: boolean): InvokeReply<C> {
  const why = connected ? '' : ' (not connected to the desktop service)';
  return {
    ok: false,
    error: { code: 'timeout', message: `The desktop service did not answer "${channel}" within ${Math.round(ms / 1000)} s${why}.` },
  };
}

export function droppedReply<C extends InvokeChannel>(channel: C): InvokeReply<C> {
  return {
    ok: false,
    error: {
      code: 'unreachable',
      message: `The connection to the desktop service dropped before it answered "${channel}"; the request may still have run.`,
    },
  };
}
