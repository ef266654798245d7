import { useId } from 'react';
import { useEditor } from '../../editor/editor-context.js';
import { PathErrors, useLocalText } from '../../components/fields.js';
import { isOvernight, nextRange, parseTime, removeAt, replaceAt, type Range } from './hours-model.js';

/**
 * An `HH:MM` text input (so `24:00` can be typed as an end). What is typed is committed only when
 * it has that shape; the server's errors for `path` and a local format problem show below the row.
 */
function TimeInput(p: { path: string; label: string; short: string; kind: 'start' | 'end'; value: string; onChange: (v: string) => void }) {
  const { store, canEdit } = useEditor();
  const id = useId();
  const { text, error, onText } = useLocalText<string>(p.value, (v) => v, (s) => parseTime(s, p.kind));
  const messages = [...(error ? [error] : []), ...store.errorsFor(p.path).map((e) => e.message)];
  const errId = messages.length > 0 ? `${id}-err` : undefined;
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {p.label}
      </label>
      <input
        id={id}
        className="time-input"
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder="HH:MM"
        maxLength={5}
        value={text}
        disabled={!canEdit}
        aria-invalid={messages.length > 0 || undefined}
        aria-describedby={errId}
        data-field={p.path}
        onChange={(e) => onText(e.target.value, p.onChange)}
      />
      {errId && (
        <ul id={errId} className="field-error range-error" role="alert">
          {messages.map((m, i) => (
            <li key={i}>
              {p.short}: {m}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * The opening ranges of one day or holiday (`basePath`, e.g. `businessHours.weekly.mon`), with
 * add/remove buttons named after `owner` ("Remove range 1 of Monday").
 */
export function RangeList(p: { basePath: string; owner: string; ranges: Range[]; onChange: (ranges: Range[]) => void; emptyText?: string; addLabel?: string }) {
  const { canEdit } = useEditor();
  const set = (i: number, r: Range) => p.onChange(replaceAt(p.ranges, i, r));
  return (
    <div className="range-list">
      {p.ranges.length === 0 && p.emptyText && <p className="closed-day">{p.emptyText}</p>}
      {p.ranges.length > 0 && (
        <ul className="ranges">
          {p.ranges.map((r, i) => (
            <li key={i} className="range-row">
              <TimeInput path={`${p.basePath}[${i}].start`} label={`${p.owner} range ${i + 1} start`} short={`Range ${i + 1} start`} kind="start" value={r.start} onChange={(v) => set(i, { ...r, start: v })} />
              <span className="range-to" aria-hidden="true">
                to
              </span>
              <TimeInput path={`${p.basePath}[${i}].end`} label={`${p.owner} range ${i + 1} end`} short={`Range ${i + 1} end`} kind="end" value={r.end} onChange={(v) => set(i, { ...r, end: v })} />
              {isOvernight(r) && (
                <span className="badge overnight" title="Ends the next day">
                  overnight
                </span>
              )}
              {canEdit && (
                <button type="button" className="icon danger small" aria-label={`Remove range ${i + 1} of ${p.owner}`} onClick={() => p.onChange(removeAt(p.ranges, i))}>
                  ✕
                </button>
              )}
              <PathErrors path={`${p.basePath}[${i}]`} exact />
            </li>
          ))}
        </ul>
      )}
      <PathErrors path={p.basePath} exact />
      {canEdit && (
        <button type="button" className="secondary small" aria-label={p.addLabel ?? `Add range to ${p.owner}`} onClick={() => p.onChange([...p.ranges, nextRange(p.ranges)])}>
          + Add range
        </button>
      )}
    </div>
  );
}
