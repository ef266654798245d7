import { SelectField, TextArea, TextField, Toggle } from '../../components/fields.js';
import { withAfterHours, type AfterHours, type BusinessHours } from './hours-model.js';

const MODES: { value: NonNullable<AfterHours['mode']>; label: string }[] = [
  { value: 'answer', label: 'Answer normally, saying when it reopens' },
  { value: 'take_message', label: 'Take a message' },
  { value: 'forward', label: 'Forward to the after-hours number' },
];

/** What the agent does while closed (agent.md `afterHours`). */
export function AfterHoursEditor({ bh, onChange }: { bh: BusinessHours; onChange: (bh: BusinessHours) => void }) {
  const ah = bh.afterHours ?? {};
  const set = <K extends keyof AfterHours>(k: K, v: AfterHours[K] | undefined) => onChange(withAfterHours(bh, k, v));
  return (
    <section className="card hours-section" aria-labelledby="hours-after-h">
      <h3 id="hours-after-h">After hours</h3>
      <SelectField path="businessHours.afterHours.mode" label="After-hours mode" hint="Answer: full service, says it is closed and when it reopens. Take a message: explains the hours, takes a message, offers the next opening. Forward: transfers to the after-hours number." value={ah.mode ?? 'answer'} options={MODES} onChange={(v) => set('mode', v ?? undefined)} />
      <TextArea
        path="businessHours.afterHours.message"
        label="After-hours message"
        rows={3}
        maxLength={1000}
        nullable
        value={ah.message ?? null}
        placeholder="We're closed right now. We open again {nextOpen}."
        hint={
          <>
            Optional. <code>{'{nextOpen}'}</code> is replaced by the next opening, e.g. “Monday 9:00 AM”. Empty = the built-in sentence shown as the
            placeholder.
          </>
        }
        onChange={(v) => set('message', v)}
      />
      <Toggle path="businessHours.afterHours.allowHumanTransfer" label="Allow transfers to a person after hours" hint="Needs the after-hours number." checked={ah.allowHumanTransfer ?? false} onChange={(v) => set('allowHumanTransfer', v)} />
      <div className="grid-2">
        <TextField path="businessHours.afterHours.number" label="After-hours number" inputMode="tel" nullable value={ah.number ?? null} placeholder="+14155550134 or sip:desk@example.com" hint="Phone number or SIP URI; needed to forward or transfer." onChange={(v) => set('number', v)} />
        <TextField path="businessHours.afterHours.emergencyNumber" label="Emergency number" inputMode="tel" nullable value={ah.emergencyNumber ?? null} placeholder="optional" hint="Reachable after hours even when transfers are off." onChange={(v) => set('emergencyNumber', v)} />
      </div>
    </section>
  );
}
