import { useId, useState, type ReactNode } from 'react';
import { useEditor } from '../../editor/editor-context.js';
import { PathErrors, useLocalText } from '../../components/fields.js';
import { RangeList } from './TimeRanges.js';
import { removeAt, replaceAt, todayIn, withHolidays, type BusinessHours, type Holiday } from './hours-model.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A labelled input tied to the server's errors for `path` (like `Field`, with a richer label). */
function HolidayInput(p: {
  path: string;
  label: ReactNode;
  type: 'date' | 'text';
  value: string;
  required?: boolean;
  min?: string;
  maxLength?: number;
  autoFocus?: boolean;
  hint?: string;
  onChange: (v: string) => void;
}) {
  const { store, canEdit } = useEditor();
  const id = useId();
  const { text, error, onText } = useLocalText<string>(
    p.value,
    (v) => v,
    (s) => (s === '' && p.required ? { ok: false, error: 'Required' } : p.type === 'date' && s !== '' && !DATE.test(s) ? { ok: false, error: 'Pick a date' } : { ok: true, value: s }),
  );
  const messages = [...(error ? [error] : []), ...store.errorsFor(p.path).map((e) => e.message)];
  const errId = messages.length > 0 ? `${id}-err` : undefined;
  const describedBy = [p.hint ? `${id}-hint` : '', errId ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${messages.length ? 'has-error' : ''}`} data-field={p.path}>
      <label htmlFor={id}>{p.label}</label>
      <input
        id={id}
        type={p.type}
        value={text}
        min={p.min}
        maxLength={p.maxLength}
        autoFocus={p.autoFocus}
        disabled={!canEdit}
        aria-invalid={messages.length > 0 || undefined}
        aria-describedby={describedBy}
        onChange={(e) => onText(e.target.value, p.onChange)}
      />
      {p.hint && (
        <p id={`${id}-hint`} className="hint">
          {p.hint}
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

function HolidayItem({ h, i, fresh, onChange, onRemove }: { h: Holiday; i: number; fresh: boolean; onChange: (h: Holiday) => void; onRemove: () => void }) {
  const { canEdit } = useEditor();
  const checkId = useId();
  const base = `businessHours.holidays[${i}]`;
  const n = i + 1;
  const sr = (s: string) => <span className="sr-only">{s}</span>;
  const closed = h.closed ?? true;
  function setClosed(c: boolean) {
    const { ranges, ...rest } = h;
    onChange(c ? { ...rest, closed: true } : { ...rest, closed: false, ranges: ranges && ranges.length > 0 ? ranges : [{ start: '09:00', end: '13:00' }] });
  }
  function setEnd(v: string) {
    const { endDate: _, ...rest } = h;
    onChange(v === '' ? rest : { ...h, endDate: v });
  }
  return (
    <li className="holiday" data-testid="holiday">
      <div className="holiday-fields">
        <HolidayInput path={`${base}.date`} type="date" required autoFocus={fresh} label={<>Start date{sr(` of holiday ${n}`)}</>} value={h.date} onChange={(v) => onChange({ ...h, date: v })} />
        <HolidayInput path={`${base}.endDate`} type="date" min={h.date} label={<>End date{sr(` of holiday ${n}`)}</>} hint="Optional; for several days (inclusive)." value={h.endDate ?? ''} onChange={setEnd} />
        <HolidayInput path={`${base}.name`} type="text" maxLength={100} label={<>Name{sr(` of holiday ${n}`)}</>} value={h.name} onChange={(v) => onChange({ ...h, name: v })} />
      </div>
      <div className="field toggle" data-field={`${base}.closed`}>
        <input id={checkId} type="checkbox" checked={closed} disabled={!canEdit} onChange={(e) => setClosed(e.target.checked)} />
        <label htmlFor={checkId}>
          Closed all day{sr(` (holiday ${n})`)}
        </label>
        <PathErrors path={`${base}.closed`} />
      </div>
      {!closed && (
        <div className="holiday-ranges">
          <p className="small muted">Special hours (replace the weekly hours on these dates):</p>
          <RangeList basePath={`${base}.ranges`} owner={`Holiday ${n}`} ranges={h.ranges ?? []} emptyText="No ranges: add one, or mark it closed all day." onChange={(r) => onChange({ ...h, ranges: r })} />
        </div>
      )}
      {closed && <PathErrors path={`${base}.ranges`} />}
      <PathErrors path={base} exact />
      {canEdit && (
        <button type="button" className="secondary danger small" aria-label={`Remove holiday ${n}${h.name ? ` (${h.name})` : ''}`} onClick={onRemove}>
          Remove holiday
        </button>
      )}
    </li>
  );
}

/** Dates with their own hours (or closed); the first listed wins where two cover one date. */
export function HolidaysEditor({ bh, onChange }: { bh: BusinessHours; onChange: (bh: BusinessHours) => void }) {
  const { canEdit } = useEditor();
  const [fresh, setFresh] = useState<number | null>(null);
  const list = bh.holidays ?? [];
  const set = (next: Holiday[]) => onChange(withHolidays(bh, next));
  return (
    <section className="card hours-section" aria-labelledby="hours-holidays-h">
      <h3 id="hours-holidays-h">Holidays and special days</h3>
      <p className="hint">Dates are in the schedule's time zone. A holiday replaces the weekly hours on its dates; if two cover the same date, the first listed wins.</p>
      <PathErrors path="businessHours.holidays" exact />
      {list.length === 0 ? (
        <p className="muted">No holidays.</p>
      ) : (
        <ol className="holidays">
          {list.map((h, i) => (
            <HolidayItem key={i} h={h} i={i} fresh={fresh === i} onChange={(v) => set(replaceAt(list, i, v))} onRemove={() => set(removeAt(list, i))} />
          ))}
        </ol>
      )}
      {canEdit && (
        <button
          type="button"
          className="secondary small"
          disabled={list.length >= 366}
          onClick={() => {
            setFresh(list.length);
            set([...list, { date: todayIn(bh.timezone), name: 'Holiday', closed: true }]);
          }}
        >
          + Add holiday
        </button>
      )}
    </section>
  );
}
