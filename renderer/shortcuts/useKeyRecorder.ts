// Records the next key combination the user presses (to set a shortcut): taken in the capture
// phase, before the window's shortcuts or the dialog see it. Esc cancels.
import { useEffect } from 'react';
import { comboOf, parseCombo } from '../../shared/shortcuts.js';

export function useKeyRecorder(active: boolean, onCombo: (combo: string) => void, onInvalid: (pressed: string) => void, onCancel: () => void): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      e.preventDefault();
      e.stopPropagation();
      if (e.key === 'Escape' && !e.ctrlKey && !e.altKey && !e.shiftKey && !e.metaKey) return onCancel();
      const combo = comboOf(e);
      if (!combo) return; // a modifier on its own: wait for the key
      if (parseCombo(combo)) onCombo(combo);
      else onInvalid(combo);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [active, onCombo, onInvalid, onCancel]);
}
