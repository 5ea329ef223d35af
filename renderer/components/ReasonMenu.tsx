// "Not ready ▾": a menu button listing the profile's not-ready reasons (arrow keys, Esc).
import { useId, useState, type KeyboardEvent } from 'react';

interface ReasonMenuProps {
  reasons: string[];
  disabled: boolean;
  onPick(reason: string): void;
}

export function ReasonMenu({ reasons, disabled, onPick }: ReasonMenuProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();

  const onMenuKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const items = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      items[(at + step + items.length) % items.length]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
      document.getElementById(`${menuId}-button`)?.focus();
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <div
      className="menu-anchor"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <button
        id={`${menuId}-button`}
        type="button"
        className="btn btn-sm agent-set-notReady"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        disabled={disabled}
        onClick={() => setOpen(!open)}
        data-testid="agent-set-notReady"
      >
        Not ready <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul id={menuId} className="menu" role="menu" aria-label="Not-ready reason" onKeyDown={onMenuKey}>
          {reasons.map((reason, i) => (
            <li key={reason} role="none">
              <button
                type="button"
                role="menuitem"
                className="menu-item"
                autoFocus={i === 0}
                onClick={() => {
                  setOpen(false);
                  onPick(reason);
                }}
                data-testid="agent-reason"
                data-reason={reason}
              >
                {reason}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
