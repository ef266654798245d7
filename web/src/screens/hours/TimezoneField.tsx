import { useId, useMemo } from 'react';
import { useEditor } from '../../editor/editor-context.js';
import { Field, useLocalText } from '../../components/fields.js';
import { browserTimeZone, isKnownZone, supportedZones } from './hours-model.js';

/**
 * The schedule's IANA zone: free text with the browser's list of zones as suggestions. A value the
 * server stored is shown as is even when it is not in the list (links like `US/Eastern`).
 */
export function TimezoneField({ value, onChange }: { value: string | undefined; onChange: (tz: string) => void }) {
  const { canEdit } = useEditor();
  const listId = useId();
  const zones = useMemo(supportedZones, []);
  const { text, error, onText } = useLocalText<string | undefined>(
    value,
    (v) => v ?? '',
    (s) => (s.trim() === '' ? { ok: false, error: 'A schedule needs a time zone' } : isKnownZone(s) ? { ok: true, value: s } : { ok: false, error: 'Not a time zone this browser knows (e.g. Europe/Berlin)' }),
  );
  const mine = browserTimeZone();
  return (
    <Field
      path="businessHours.timezone"
      label="Time zone"
      localError={error}
      className="tz-field"
      hint={
        <>
          All times on this page are wall-clock times in this zone (daylight saving included).
          {canEdit && value !== mine && (
            <>
              {' '}
              <button type="button" className="link" onClick={() => onText(mine, (v) => v && onChange(v))}>
                Use my time zone ({mine})
              </button>
            </>
          )}
        </>
      }
    >
      {({ id, describedBy, invalid, disabled }) => (
        <>
          <input
            id={id}
            type="text"
            list={listId}
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. America/New_York"
            value={text}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            disabled={disabled}
            onChange={(e) => onText(e.target.value, (v) => v && onChange(v))}
          />
          <datalist id={listId}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}
