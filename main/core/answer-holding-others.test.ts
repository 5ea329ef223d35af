import { describe, expect, it } from 'vitest';
import { type Command, CtiError } from '../../shared/commands.js';
import type { CtiEvent } from '../../shared/events.js';
import { makeCall } from '../../shared/test-fixtures.js';
import { answerHoldingOthers } from './answer-holding-others.js';
import { ViewStore } from './view-store.js';

function rig(onHold: (cmd: Command, emit: (e: CtiEvent) => void) => Promise<void> = async (cmd, emit) => {
  if (cmd.kind === 'hold') emit({ type: 'call', change: 'held', call: makeCall(cmd.callId, { state: 'held', seq: 9, allowed: ['retrieve'] }) });
}) {
  const view = new ViewStore(() => 0);
  const emit = (e: CtiEvent) => view.apply(e);
  const sent: Command[] = [];
  const execute = async (cmd: Command) => {
    sent.push(cmd);
    await onHold(cmd, emit);
  };
  return { view, emit, sent, deps: { view, execute, timeoutMs: 200 } };
}

describe('answerHoldingOthers', () => {
  it('puts the connected call on hold, waits for its event, then answers', async () => {
    const r = rig();
    r.emit({ type: 'call', change: 'connected', call: makeCall('a', { allowed: ['hold', 'clear'] }) });
    r.emit({ type: 'call', change: 'alerting', call: makeCall('b', { state: 'alerting', allowed: ['answer'] }) });
    await answerHoldingOthers('b', r.deps);
    expect(r.sent).toEqual([
      { kind: 'hold', callId: 'a' },
      { kind: 'answer', callId: 'b' },
    ]);
    expect(r.view.current.calls.a?.state).toBe('held');
  });

  it('answers straight away with nothing connected, or when the connected call cannot be held', async () => {
    const r = rig();
    r.emit({ type: 'call', change: 'held', call: makeCall('h', { state: 'held', allowed: ['retrieve'] }) });
    r.emit({ type: 'call', change: 'connected', call: makeCall('x', { allowed: ['clear'] }) });
    await answerHoldingOthers('b', r.deps);
    expect(r.sent).toEqual([{ kind: 'answer', callId: 'b' }]);
  });

  it('does not answer when the hold is refused or never shows, and says the first call is still connected', async () => {
    const refused = rig(async (cmd) => {
      if (cmd.kind === 'hold') throw new CtiError('rejected', 'pbxReject');
    });
    refused.emit({ type: 'call', change: 'connected', call: makeCall('a', { allowed: ['hold'] }) });
    await expect(answerHoldingOthers('b', refused.deps)).rejects.toMatchObject({ code: 'rejected', message: expect.stringMatching(/could not be put on hold first \(pbxReject\); it is still connected/) });
    expect(refused.sent).toEqual([{ kind: 'hold', callId: 'a' }]);

    const silent = rig(async () => {});
    silent.emit({ type: 'call', change: 'connected', call: makeCall('a', { allowed: ['hold'] }) });
    await expect(answerHoldingOthers('b', silent.deps)).rejects.toMatchObject({ code: 'timeout' });
    expect(silent.sent).toEqual([{ kind: 'hold', callId: 'a' }]);
  });
});
