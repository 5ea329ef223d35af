// A native modal <dialog>: focus is trapped and Esc closes it without extra code.
import { useEffect, useRef, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
  testId?: string;
}

export function Modal({ title, onClose, children, className, testId }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    // Unmounting removes the dialog from the top layer; closing here would fire onClose.
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  return (
    <dialog ref={ref} className={`modal ${className ?? ''}`} aria-labelledby="modal-title" onClose={onClose} data-testid={testId}>
      <div className="modal-head">
        <h2 id="modal-title" className="modal-title">
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
