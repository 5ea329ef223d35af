// A menu whose entries each send their command (a reason, a code, a state for later), disabled
// while one is on its way; a failure shows as a toast (sendCommand).
import { useState } from 'react';
import type { Choice } from '../controls/callButtons.js';
import { sendCommand } from '../state/commands.js';
import { ChoiceMenu, type ChoiceMenuProps } from './ChoiceMenu.js';

export function CommandMenu({ choices, ...menu }: { choices: readonly Choice[] } & Omit<ChoiceMenuProps, 'choices' | 'disabled' | 'onPick'>) {
  const [busy, setBusy] = useState(false);
  const pick = async (id: string) => {
    const choice = choices.find((c) => c.id === id);
    if (!choice) return;
    setBusy(true);
    await sendCommand(choice.command);
    setBusy(false);
  };
  return <ChoiceMenu choices={choices} disabled={busy} onPick={(id) => void pick(id)} {...menu} />;
}
