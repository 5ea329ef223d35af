// A native modal <dialog>: focus is trapped and Esc closes it without extra code.
import { useEffect, useId, useRef, type ReactNode, type SyntheticEvent } from 'react';

interface ModalProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
  testId?: string;
}

export function Modal({ title, onClose, children, className, testId }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = `${useId()}-title`;
  useEffect(() => {
    // Unmounting removes the dialog from the top layer; closing here would fire onClose.
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  // A dialog opened from this one is its child in the React tree, and React hands a child's
  // "close" to the parent's handler too: only this dialog's own close closes it.
  const ownClose = (e: SyntheticEvent<HTMLDialogElement>) => {
    if (e.target === e.currentTarget) onClose();
  };

  return (
    <dialog ref={ref} className={`modal ${className ?? ''}`} aria-labelledby={titleId} onClose={ownClose} data-testid={testId}>
      <div className="modal-head">
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        <button type="button" className="btn btn-ghost btn-icon" onClick={onClose} aria-label="Close" data-testid="modal-close">
          ×
        </button>
      </div>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}
