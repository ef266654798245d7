import type { Diff } from 'flowyte/client';
import { fieldLabel } from '../../editor/field-labels.js';
import { viewValue } from './format.js';

type Change = Diff['changes'][number];

const KIND: Record<Change['kind'], { text: string; badge: string }> = {
  added: { text: 'Added', badge: 'ok' },
  removed: { text: 'Removed', badge: 'danger' },
  changed: { text: 'Changed', badge: 'warn' },
};

/** A value of a diff side: text wrapped, objects and arrays as pretty JSON, long ones scrollable. */
export function DiffValue({ value, label }: { value: unknown; label: string }) {
  const v = viewValue(value);
  if (v.kind === 'placeholder') return <p className="diff-value diff-placeholder">{v.text}</p>;
  const long = v.text.length > 600 || v.text.split('\n').length > 14;
  // a scrolling box must be reachable by keyboard to be scrolled
  const scroll = long ? { tabIndex: 0, role: 'region', 'aria-label': label } : {};
  return v.kind === 'json' ? (
    <pre className={`diff-value diff-json ${long ? 'diff-long' : ''}`} {...scroll}>
      {v.text}
    </pre>
  ) : (
    <div className={`diff-value diff-text ${long ? 'diff-long' : ''}`} {...scroll}>
      {v.text}
    </div>
  );
}

/**
 * The changes of a Diff, field by field: the human label (the API path beside it), what kind of
 * change, and both sides named (`fromLabel` / `toLabel`, e.g. "Version 3" / "Draft").
 */
export function DiffList({ changes, fromLabel, toLabel }: { changes: Diff['changes']; fromLabel: string; toLabel: string }) {
  return (
    <ul className="diff-list">
      {changes.map((c) => {
        const label = fieldLabel(c.field);
        return (
          <li key={c.field} className="diff-entry" data-field={c.field}>
            <div className="diff-entry-head">
              <h4 className="diff-field">{label}</h4>
              <span className={`badge ${KIND[c.kind].badge}`}>{KIND[c.kind].text}</span>
              {label !== c.field && <code className="diff-path">{c.field}</code>}
            </div>
            <div className="diff-sides">
              <div className="diff-side diff-old">
                <p className="diff-side-label">{fromLabel}</p>
                <DiffValue value={c.before} label={`${label}, ${fromLabel}`} />
              </div>
              <div className="diff-side diff-new">
                <p className="diff-side-label">{toLabel}</p>
                <DiffValue value={c.after} label={`${label}, ${toLabel}`} />
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
