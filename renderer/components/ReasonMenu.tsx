// "Not ready ▾": a menu button listing the not-ready reasons (arrow keys, Esc).
import { ChoiceMenu } from './ChoiceMenu.js';

interface ReasonMenuProps {
  reasons: string[];
  disabled: boolean;
  onPick(reason: string): void;
}

export function ReasonMenu({ reasons, disabled, onPick }: ReasonMenuProps) {
  return (
    <ChoiceMenu
      choices={reasons.map((r) => ({ id: r, label: r }))}
      disabled={disabled}
      onPick={onPick}
      label="Not ready"
      menuLabel="Not-ready reason"
      className="btn btn-sm agent-set-notReady"
      testId="agent-set-notReady"
      itemTestId="agent-reason"
    />
  );
}
