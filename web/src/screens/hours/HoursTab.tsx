import { useState } from 'react';
import { ConfirmDialog } from '../../components/Dialog.js';
import { useEditor } from '../../editor/editor-context.js';
import { PathErrors } from '../../components/fields.js';
import { TimezoneField } from './TimezoneField.js';
import { WeeklyEditor } from './WeeklyEditor.js';
import { HolidaysEditor } from './HolidaysEditor.js';
import { AfterHoursEditor } from './AfterHoursEditor.js';
import { HoursPreview } from './HoursPreview.js';
import { defaultHours, isConfigured, type BusinessHours } from './hours-model.js';
import './hours.css';

/** `{}`: always open, with a button that starts a Monday–Friday 09:00–17:00 schedule. */
function Unconfigured() {
  const { set, canEdit } = useEditor();
  return (
    <section className="card hours-unset" data-testid="hours-unconfigured">
      <h3>Always open</h3>
      <p>No business hours are set, so the agent treats every moment as open hours.</p>
      {canEdit ? (
        <button type="button" onClick={() => set('businessHours', defaultHours())}>
          Set business hours
        </button>
      ) : (
        <p className="muted small">Your key cannot edit agents.</p>
      )}
    </section>
  );
}

/** Back to `{}` (always open), after a confirmation: the schedule, holidays and after-hours settings go. */
function RemoveSchedule() {
  const { set, canEdit } = useEditor();
  const [asking, setAsking] = useState(false);
  if (!canEdit) return null;
  return (
    <>
      <button type="button" className="secondary danger small" onClick={() => setAsking(true)}>
        Remove business hours…
      </button>
      <ConfirmDialog
        open={asking}
        title="Remove business hours?"
        confirmLabel="Remove and make always open"
        onConfirm={async () => set('businessHours', {})}
        onClose={() => setAsking(false)}
      >
        <p>The whole schedule, its holidays and after-hours settings are removed from the draft. The agent becomes always open once you publish.</p>
      </ConfirmDialog>
    </>
  );
}

/** The agent page's "Business hours" tab: the draft's schedule, edited through the shared editor, and a live preview. */
export function HoursTab() {
  const { snap, set } = useEditor();
  const bh = snap.draft.businessHours ?? {};
  const onChange = (next: BusinessHours) => set('businessHours', next);
  const configured = isConfigured(bh);
  return (
    <div className="hours-layout">
      <aside className="hours-aside">
        <HoursPreview />
      </aside>
      <div className="hours-editor">
        <h2 className="sr-only">Business hours</h2>
        <PathErrors path="businessHours" exact />
        {!configured ? (
          <Unconfigured />
        ) : (
          <>
            <section className="card hours-section hours-zone">
              <TimezoneField value={bh.timezone} onChange={(timezone) => onChange({ ...bh, timezone })} />
              <RemoveSchedule />
            </section>
            <WeeklyEditor bh={bh} onChange={onChange} />
            <HolidaysEditor bh={bh} onChange={onChange} />
            <AfterHoursEditor bh={bh} onChange={onChange} />
          </>
        )}
      </div>
    </div>
  );
}
