// Toasts, newest last. Errors are announced assertively and stay until dismissed.
import { useToastStore } from '../state/toastStore.js';

export function Toasts() {
  const toasts = useToastStore((s) => s.toasts);
  const dismiss = useToastStore((s) => s.dismiss);
  return (
    <div className="toasts" role="region" aria-label="Notifications">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.level}`} role={t.level === 'error' ? 'alert' : 'status'} data-testid="notice" data-level={t.level}>
          <span className="toast-message">{t.message}</span>
          <button type="button" className="btn btn-ghost btn-icon toast-close" onClick={() => dismiss(t.id)} aria-label="Dismiss notification">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
