import { useId } from 'react';
import { useEditor } from '../../editor/editor-context.js';
import { PathErrors } from '../../components/fields.js';
import { RangeList } from './TimeRanges.js';
import { allDayEveryDay, copyDay, DAYS, WEEKDAYS, withDay, type BusinessHours, type DayKey } from './hours-model.js';

function Day({ day, name, bh, onChange }: { day: DayKey; name: string; bh: BusinessHours; onChange: (bh: BusinessHours) => void }) {
  const headId = useId();
  const ranges = bh.weekly?.[day] ?? [];
  return (
    <div className="day" role="group" aria-labelledby={headId} data-day={day}>
      <h4 id={headId} className="day-name">
        {name}
      </h4>
      <RangeList basePath={`businessHours.weekly.${day}`} owner={name} ranges={ranges} emptyText="Closed" onChange={(r) => onChange(withDay(bh, day, r))} />
    </div>
  );
}

/** The weekly ranges, Monday to Sunday. */
export function WeeklyEditor({ bh, onChange }: { bh: BusinessHours; onChange: (bh: BusinessHours) => void }) {
  const { canEdit } = useEditor();
  return (
    <section className="card hours-section" aria-labelledby="hours-weekly-h">
      <h3 id="hours-weekly-h">Weekly hours</h3>
      <p className="hint">
        Times are HH:MM (24 h); an end of <code>24:00</code> is midnight. An end earlier than its start runs past midnight into the next day. A day
        without ranges is closed.
      </p>
      <PathErrors path="businessHours.weekly" exact />
      <div className="days">
        {DAYS.map((d) => (
          <Day key={d.key} day={d.key} name={d.name} bh={bh} onChange={onChange} />
        ))}
      </div>
      {canEdit && (
        <div className="hours-actions">
          <button type="button" className="secondary small" onClick={() => onChange(copyDay(bh, 'mon', WEEKDAYS))}>
            Copy Monday to Tuesday–Friday
          </button>
          <button type="button" className="secondary small" onClick={() => onChange(allDayEveryDay(bh))}>
            Open 24/7
          </button>
        </div>
      )}
    </section>
  );
}
