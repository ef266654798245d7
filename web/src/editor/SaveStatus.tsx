import { useEditor } from './editor-context.js';
import { fieldLabel } from './field-labels.js';

const LABEL = { idle: 'All changes saved', saving: 'Saving…', saved: 'All changes saved', error: 'Not saved', offline: 'Offline — retrying' } as const;

/** The autosave state, announced politely to screen readers; and the notices of merges and overlaps. */
export function SaveStatus() {
  const { snap, store, canEdit } = useEditor();
  if (!canEdit && !snap.gone) return <p className="save-status muted" data-state="readonly">Read-only: your key cannot edit agents</p>;
  // an edit waiting for its debounce is not saved yet
  const state = (snap.state === 'idle' || snap.state === 'saved') && snap.pending.length > 0 ? 'saving' : snap.state;
  return (
    <div className="save-area">
      <p className={`save-status ${state}`} data-state={state} role="status" aria-live="polite">
        <span className="dot" aria-hidden="true" />
        {LABEL[state]}
        {snap.message && <span className="save-message"> — {snap.message}</span>}
        {state === 'offline' && (
          <button type="button" className="link" onClick={() => store.retryNow()}>
            Retry now
          </button>
        )}
      </p>
      {(snap.overlaps.length > 0 || snap.mergedFromElsewhere.length > 0) && (
        <div className="notice" role="alert" data-testid="conflict-notice">
          {snap.overlaps.length > 0 && (
            <p>
              <strong>Also changed elsewhere:</strong> {snap.overlaps.map(fieldLabel).join(', ')}. Your edit was kept; the other value was replaced.
            </p>
          )}
          {snap.mergedFromElsewhere.length > 0 && (
            <p>
              Merged changes made elsewhere: {snap.mergedFromElsewhere.map(fieldLabel).join(', ')}.
            </p>
          )}
          <button type="button" className="secondary small" onClick={() => store.dismissNotices()}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
