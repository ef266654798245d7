import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  /** shown while true (a modal `<dialog>`, opened with showModal()) */
  open: boolean;
  title: string;
  /** what will happen, said plainly */
  children: ReactNode;
  /** the confirm button's text (its accessible name) */
  confirmLabel: string;
  cancelLabel?: string;
  /** the confirm button in the danger colour */
  danger?: boolean;
  /** the confirmed action is running: both buttons wait, Escape does nothing */
  busy?: boolean;
  /** shown inside the dialog, e.g. the action's error */
  footer?: ReactNode;
  onConfirm(): void;
  /** Cancel, Escape: the parent sets `open` to false */
  onCancel(): void;
  /**
   * Where focus goes when the dialog closes: by default the element that had it when the dialog
   * opened; this is called when that element is gone (say, a row re-rendered without it).
   */
  fallbackFocus?: () => HTMLElement | null;
}

/**
 * A confirmation as a native modal dialog: focus moves to Cancel (the harmless choice) when it
 * opens, stays inside while open (the browser makes the rest inert), and returns to where it was
 * when it closes; Escape cancels.
 */
export function ConfirmDialog({ open, title, children, confirmLabel, cancelLabel = 'Cancel', danger, busy, footer, onConfirm, onCancel, fallbackFocus }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const id = useId();
  // the latest callbacks, for the effect below without re-running it
  const latest = useRef({ fallbackFocus });
  latest.current = { fallbackFocus };

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
      cancelRef.current?.focus();
    } else if (!open && d.open) {
      d.close();
      restoreFocus();
    }
  }, [open]);

  // closed by unmounting while open: still give focus back
  useEffect(() => () => {
    if (ref.current?.open) restoreFocus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function restoreFocus() {
    const back = returnTo.current;
    returnTo.current = null;
    const target = back && back.isConnected && !(back as HTMLButtonElement).disabled ? back : latest.current.fallbackFocus?.() ?? null;
    // after React has committed what the action changed
    setTimeout(() => target?.focus(), 0);
  }

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(e) => {
        // Escape: the parent decides (it closes by setting open=false)
        e.preventDefault();
        if (!busy) onCancel();
      }}
      onClose={() => {
        // closed by the browser anyway (e.g. a repeated Escape): tell the parent
        if (open) onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`}>{children}</div>
      {footer}
      <div className="dialog-actions">
        <button ref={cancelRef} type="button" className="secondary" disabled={busy} onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="button" className={danger ? 'danger' : undefined} disabled={busy} aria-busy={busy || undefined} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
