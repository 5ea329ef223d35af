// System-wide shortcuts: call control while another application (the CRM) has focus. The host
// owns the OS registration (Electron's globalShortcut); main decides what a key does from its own
// view of the calls, so it works with the window hidden and the renderer asleep.
import { acceleratorOf, type GlobalShortcutAction, type GlobalShortcutStatus, type ShortcutSettings } from '../../shared/shortcuts.js';

export interface GlobalShortcutHost {
  /** Replace every registration with these; returns the actions whose key another application holds. */
  register(bindings: { action: GlobalShortcutAction; accelerator: string }[], run: (action: GlobalShortcutAction) => void): GlobalShortcutAction[];
  /** Release every key (on quit). */
  clear(): void;
}

/** Register the settings' system-wide keys with the host (none without one) and say how it went. */
export function applyGlobalShortcuts(host: GlobalShortcutHost | null, settings: ShortcutSettings, run: (action: GlobalShortcutAction) => void): GlobalShortcutStatus {
  if (!host) return { available: false, reason: 'system-wide shortcuts work in the desktop app, not in a browser tab', failed: [] };
  const bindings = (Object.entries(settings.global) as [GlobalShortcutAction, string][]).map(([action, combo]) => ({ action, accelerator: acceleratorOf(combo) }));
  return { available: true, failed: host.register(bindings, run) };
}
