import { beforeEach, describe, expect, it } from 'vitest';
import { usePromptStore, type OpenPrompt } from './promptStore.js';

const consult: OpenPrompt = { callId: 'a', action: 'consult', place: 'call' };
const code: OpenPrompt = { callId: 'a', action: 'transactionCode', place: 'call' };

beforeEach(() => usePromptStore.getState().close());

describe('the inline prompt', () => {
  it('one prompt at a time: opening another replaces it, the same button closes it', () => {
    const s = usePromptStore.getState();
    s.toggle(consult);
    expect(usePromptStore.getState().open).toEqual(consult);
    s.toggle(code);
    expect(usePromptStore.getState().open).toEqual(code);
    s.toggle({ ...code });
    expect(usePromptStore.getState().open).toBeNull();
  });

  it('a late reply closes only the prompt it was sent from', () => {
    const s = usePromptStore.getState();
    s.show(code);
    s.closeIf(consult);
    expect(usePromptStore.getState().open).toEqual(code);
    s.closeIf(code);
    expect(usePromptStore.getState().open).toBeNull();
  });
});
