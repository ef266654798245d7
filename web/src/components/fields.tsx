import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useEditor } from '../editor/editor-context.js';
import { fieldLabel, humanizeMessage } from '../editor/field-labels.js';

/** A server error in words: its message, prefixed by the field when it is not the input's own. */
export function errorText(e: { field?: string; message: string }, own: string): string {
  const m = humanizeMessage(e.message);
  return e.field === undefined || e.field === own ? m : `${fieldLabel(e.field)}: ${m}`;
}

/**
 * Form fields of the editor. Every input has a label; a hint and the server's errors for the
 * field's path (api.md `errors[].field`) are tied to it with aria-describedby, and the bad value
 * stays in the input, editable.
 */

export interface FieldProps {
  /** the API path the server names in errors[].field, e.g. `endpointing.maxSilenceMs` */
  path: string;
  label: string;
  hint?: ReactNode;
  /** a local problem (e.g. "not a number") shown before anything is sent */
  localError?: string | null;
  className?: string;
  children: (a: { id: string; describedBy: string | undefined; invalid: boolean; disabled: boolean }) => ReactNode;
}

export function Field({ path, label, hint, localError, className, children }: FieldProps) {
  const { store, canEdit } = useEditor();
  const id = useId();
  const errors = store.errorsFor(path);
  const messages = [...(localError ? [localError] : []), ...errors.map((e) => errorText(e, path))];
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = messages.length > 0 ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${className ?? ''} ${messages.length > 0 ? 'has-error' : ''}`} data-field={path}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy, invalid: messages.length > 0, disabled: !canEdit })}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {errId && (
        <ul id={errId} className="field-error" role="alert">
          {messages.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Local text for a value the user types: the input keeps exactly what was typed (a half-typed
 * number, a trailing newline) and takes the outside value only when it changes to something the
 * text does not already mean.
 */
export function useLocalText<T>(value: T, format: (v: T) => string, parse: (s: string) => { ok: true; value: T } | { ok: false; error: string }) {
  const [text, setText] = useState(() => format(value));
  const [error, setError] = useState<string | null>(null);
  const last = useRef(value);
  useEffect(() => {
    if (Object.is(last.current, value)) return;
    last.current = value;
    const r = parse(text);
    if (!(r.ok && JSON.stringify(r.value) === JSON.stringify(value))) {
      setText(format(value));
      setError(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  function onText(s: string, commit: (v: T) => void) {
    setText(s);
    const r = parse(s);
    if (r.ok) {
      setError(null);
      last.current = r.value;
      commit(r.value);
    } else setError(r.error);
  }
  return { text, error, onText };
}

export function TextField(p: { path: string; label: string; hint?: ReactNode; value: string | null; onChange: (v: string | null) => void; nullable?: boolean; maxLength?: number; placeholder?: string; type?: string; inputMode?: 'text' | 'tel' | 'url' }) {
  return (
    <Field path={p.path} label={p.label} hint={p.hint}>
      {({ id, describedBy, invalid, disabled }) => (
        <input
          id={id}
          type={p.type ?? 'text'}
          inputMode={p.inputMode}
          value={p.value ?? ''}
          placeholder={p.placeholder}
          maxLength={p.maxLength}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          disabled={disabled}
          onChange={(e) => p.onChange(p.nullable && e.target.value === '' ? null : e.target.value)}
        />
      )}
    </Field>
  );
}

export function TextArea(p: { path: string; label: string; hint?: ReactNode; value: string | null; onChange: (v: string | null) => void; nullable?: boolean; rows?: number; maxLength?: number; placeholder?: string }) {
  return (
    <Field path={p.path} label={p.label} hint={p.hint}>
      {({ id, describedBy, invalid, disabled }) => (
        <textarea
          id={id}
          rows={p.rows ?? 4}
          value={p.value ?? ''}
          placeholder={p.placeholder}
          maxLength={p.maxLength}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          disabled={disabled}
          onChange={(e) => p.onChange(p.nullable && e.target.value === '' ? null : e.target.value)}
        />
      )}
    </Field>
  );
}

/** A number; empty means `null` when `nullable` (reset to the default / platform default). */
export function NumberField(p: { path: string; label: string; hint?: ReactNode; value: number | null | undefined; onChange: (v: number | null) => void; nullable?: boolean; min?: number; max?: number; step?: number; placeholder?: string }) {
  const { text, error, onText } = useLocalText<number | null | undefined>(
    p.value,
    (v) => (v === null || v === undefined ? '' : String(v)),
    (s) => {
      if (s.trim() === '') return p.nullable ? { ok: true, value: null } : { ok: false, error: 'Enter a number' };
      const n = Number(s);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: 'Enter a number' };
    },
  );
  return (
    <Field path={p.path} label={p.label} hint={p.hint} localError={error}>
      {({ id, describedBy, invalid, disabled }) => (
        <input
          id={id}
          type="text"
          inputMode="decimal"
          value={text}
          placeholder={p.placeholder}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          disabled={disabled}
          onChange={(e) => onText(e.target.value, (v) => p.onChange(v ?? null))}
        />
      )}
    </Field>
  );
}

export function Toggle(p: { path: string; label: string; hint?: ReactNode; checked: boolean; onChange: (v: boolean) => void }) {
  const { store, canEdit } = useEditor();
  const id = useId();
  const errors = store.errorsFor(p.path);
  return (
    <div className={`field toggle ${errors.length ? 'has-error' : ''}`} data-field={p.path}>
      <input
        id={id}
        type="checkbox"
        checked={p.checked}
        disabled={!canEdit}
        aria-describedby={p.hint || errors.length ? `${id}-d` : undefined}
        onChange={(e) => p.onChange(e.target.checked)}
      />
      <label htmlFor={id}>{p.label}</label>
      {(p.hint || errors.length > 0) && (
        <div id={`${id}-d`} className="toggle-desc">
          {p.hint && <p className="hint">{p.hint}</p>}
          {errors.length > 0 && (
            <ul className="field-error" role="alert">
              {errors.map((e, i) => (
                <li key={i}>{errorText(e, p.path)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

export function SelectField<T extends string>(p: { path: string; label: string; hint?: ReactNode; value: T | null | undefined; options: { value: T | ''; label: string }[]; onChange: (v: T | null) => void }) {
  return (
    <Field path={p.path} label={p.label} hint={p.hint}>
      {({ id, describedBy, invalid, disabled }) => (
        <select id={id} value={p.value ?? ''} aria-describedby={describedBy} aria-invalid={invalid || undefined} disabled={disabled} onChange={(e) => p.onChange(e.target.value === '' ? null : (e.target.value as T))}>
          {p.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A list of strings, one per line (blank lines ignored). */
export function LinesField(p: { path: string; label: string; hint?: ReactNode; value: string[]; onChange: (v: string[]) => void; rows?: number }) {
  const { text, onText } = useLocalText<string[]>(
    p.value,
    (v) => v.join('\n'),
    (s) => ({ ok: true, value: s.split('\n').filter((l) => l.trim() !== '') }),
  );
  return (
    <Field path={p.path} label={p.label} hint={p.hint ?? 'One per line.'}>
      {({ id, describedBy, invalid, disabled }) => (
        <textarea id={id} rows={p.rows ?? 4} value={text} aria-describedby={describedBy} aria-invalid={invalid || undefined} disabled={disabled} onChange={(e) => onText(e.target.value, p.onChange)} />
      )}
    </Field>
  );
}

/** Comma- or space-separated tokens (language tags, channels). */
export function TokensField(p: { path: string; label: string; hint?: ReactNode; value: string[]; onChange: (v: string[]) => void; placeholder?: string }) {
  const { text, onText } = useLocalText<string[]>(
    p.value,
    (v) => v.join(', '),
    (s) => ({ ok: true, value: s.split(/[\s,]+/).filter((t) => t !== '') }),
  );
  return (
    <Field path={p.path} label={p.label} hint={p.hint}>
      {({ id, describedBy, invalid, disabled }) => (
        <input id={id} type="text" value={text} placeholder={p.placeholder} aria-describedby={describedBy} aria-invalid={invalid || undefined} disabled={disabled} onChange={(e) => onText(e.target.value, p.onChange)} />
      )}
    </Field>
  );
}

/** A string → string map edited as rows (pronunciations, voice map). */
export function MapField(p: { path: string; label: string; hint?: ReactNode; keyLabel: string; valueLabel: string; value: Record<string, string>; onChange: (v: Record<string, string>) => void }) {
  const { store, canEdit } = useEditor();
  // rows keep their order and allow a half-typed (empty) key while editing
  const [rows, setRows] = useState<[string, string][]>(() => Object.entries(p.value));
  const last = useRef(p.value);
  useEffect(() => {
    if (JSON.stringify(last.current) === JSON.stringify(p.value)) return;
    last.current = p.value;
    if (JSON.stringify(toMap(rows)) !== JSON.stringify(p.value)) setRows(Object.entries(p.value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.value]);
  function toMap(r: [string, string][]) {
    const out: Record<string, string> = {};
    for (const [k, v] of r) if (k !== '') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  }
  function commit(r: [string, string][]) {
    setRows(r);
    const m = toMap(r);
    last.current = m;
    p.onChange(m);
  }
  const errors = store.errorsFor(p.path);
  const gid = useId();
  return (
    <fieldset className="map-field" data-field={p.path} aria-describedby={p.hint ? `${gid}-hint` : undefined}>
      <legend>{p.label}</legend>
      {p.hint && <p id={`${gid}-hint`} className="hint">{p.hint}</p>}
      {rows.length === 0 && <p className="muted small">None.</p>}
      {rows.map(([k, v], i) => (
        <div className="row" key={i}>
          <label className="grow">
            <span className="sr-only">{p.keyLabel} {i + 1}</span>
            <input type="text" value={k} placeholder={p.keyLabel} disabled={!canEdit} aria-invalid={store.errorsFor(`${p.path}.${k}`).length > 0 || undefined} onChange={(e) => commit(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
          </label>
          <label className="grow">
            <span className="sr-only">{p.valueLabel} {i + 1}</span>
            <input type="text" value={v} placeholder={p.valueLabel} disabled={!canEdit} onChange={(e) => commit(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
          </label>
          {canEdit && (
            <button type="button" className="icon danger" aria-label={`Remove ${p.keyLabel.toLowerCase()} ${k || i + 1}`} onClick={() => commit(rows.filter((_, j) => j !== i))}>
              ✕
            </button>
          )}
        </div>
      ))}
      {canEdit && (
        <button type="button" className="secondary small" onClick={() => setRows([...rows, ['', '']])}>
          Add {p.keyLabel.toLowerCase()}
        </button>
      )}
      {errors.length > 0 && (
        <ul className="field-error" role="alert">
          {errors.map((e, i) => (
            <li key={i}>{errorText(e, p.path)}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** Errors under `path` that no single input shows (e.g. an array's own rule). */
export function PathErrors({ path, exact }: { path: string; exact?: boolean }) {
  const { store } = useEditor();
  const errors = store.errorsFor(path).filter((e) => !exact || e.field === path);
  if (errors.length === 0) return null;
  return (
    <ul className="field-error" role="alert">
      {errors.map((e, i) => (
        <li key={i}>{errorText(e, path)}</li>
      ))}
    </ul>
  );
}
