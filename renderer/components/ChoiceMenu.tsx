// A menu button: a list of choices (arrow keys move, Esc closes and goes back to the button).
// The not-ready reasons, and the site's codes (reject, logout reasons) use it. Inline, the list
// opens on its own line under the row of buttons it is in (a call's actions).
import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuChoice {
  /** Sent back by onPick, and the item's `data-reason`. */
  id: string;
  label: string;
}

export interface ChoiceMenuProps {
  choices: readonly MenuChoice[];
  disabled: boolean;
  onPick(id: string): void;
  /** The button's face (a ▾ is added). */
  label: ReactNode;
  /** The menu's accessible name. */
  menuLabel: string;
  className: string;
  testId: string;
  itemTestId: string;
  ariaLabel?: string | undefined;
  /** Open under the row it is in (a call's actions) rather than as a drop-down over the page. */
  inline?: boolean;
}

export function ChoiceMenu({ choices, disabled, onPick, label, menuLabel, className, testId, itemTestId, ariaLabel, inline = false }: ChoiceMenuProps) {
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
      className={inline ? 'menu-anchor menu-anchor-inline' : 'menu-anchor'}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <button
        id={`${menuId}-button`}
        type="button"
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={ariaLabel}
        disabled={disabled}
        onClick={() => setOpen(!open)}
        data-testid={testId}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul id={menuId} className={inline ? 'menu menu-inline' : 'menu'} role="menu" aria-label={menuLabel} onKeyDown={onMenuKey}>
          {choices.map((c, i) => (
            <li key={c.id} role="none">
              <button
                type="button"
                role="menuitem"
                className="menu-item"
                autoFocus={i === 0}
                onClick={() => {
                  setOpen(false);
                  onPick(c.id);
                }}
                data-testid={itemTestId}
                data-reason={c.id}
              >
                {c.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
