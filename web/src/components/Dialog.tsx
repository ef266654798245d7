import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ErrorNote } from './ErrorNote.js';

export interface ConfirmDialogProps {
  open: boolean;
  /** the heading, and the dialog's accessible name (e.g. "Delete Front desk") */
  title: string;
  /** the confirm button's text (e.g. "Delete") */
  confirmLabel: string;
  /** a destructive action: the confirm button is red */
  danger?: boolean;
  /**
   * Runs on confirm. While it runs both buttons are disabled and Escape does nothing; when it
   * resolves the dialog closes (`onClose`), when it throws the error is shown in the dialog.
   */
  onConfirm: () => Promise<unknown>;
  /** the dialog closes: cancelled (button, Escape) or done */
  onClose: () => void;
  /**
   * Where focus goes after a successful confirm, when the opener is about to go away (the row
   * of a deleted item); by default focus returns to the opener.
   */
  focusAfterConfirm?: () => HTMLElement | null;
  children?: ReactNode;
}

/**
 * A small confirmation dialog on the native `<dialog>` (`showModal()`: the page behind is inert,
 * focus stays inside). Focus starts on Cancel (the safe choice), Escape cancels, and focus
 * returns to the element that opened it (after a confirm: to `focusAfterConfirm`, if given; to
 * the main region if the element is gone).
 */
export function ConfirmDialog({ open, title, confirmLabel, danger = true, onConfirm, onClose, focusAfterConfirm, children }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setError(null);
      setBusy(false);
      d.showModal();
      cancelRef.current?.focus();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);

  function restoreFocus() {
    const el = opener.current;
    opener.current = null;
    if (el && el.isConnected && !el.hasAttribute('disabled')) el.focus();
    else document.getElementById('main')?.focus();
  }

  async function confirm() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      if (focusAfterConfirm) opener.current = focusAfterConfirm();
      setBusy(false);
      onClose();
    } catch (err) {
      setBusy(false);
      setError(err);
    }
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={children ? bodyId : undefined}
      onCancel={(e) => {
        // Escape: the parent decides (it closes by setting `open` to false)
        e.preventDefault();
        if (!busy) onClose();
      }}
      onClose={() => {
        restoreFocus();
        if (open) onClose(); // closed by the browser itself
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children && <div id={bodyId}>{children}</div>}
      <ErrorNote error={error} />
      <div className="dialog-actions">
        <button ref={cancelRef} type="button" className="secondary" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="button" className={danger ? 'danger' : undefined} onClick={confirm} disabled={busy} aria-busy={busy || undefined}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
