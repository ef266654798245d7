import type { Agent } from 'flowyte/client';
import { useEditor } from '../editor-context.js';
import { NumberField, SelectField, TextArea } from '../../components/fields.js';
import { Section } from './Section.js';

type CallControl = Agent['callControl'];

/** Stored as given: an empty field is removed, so the platform default applies (agent.md). */
export function CallControlSection() {
  const { snap, set } = useEditor();
  const cc = snap.draft.callControl;
  function put<K extends keyof CallControl>(k: K, v: CallControl[K] | null | undefined) {
    const next: CallControl = { ...cc };
    if (v === null || v === undefined) delete next[k];
    else next[k] = v;
    set('callControl', next);
  }
  return (
    <Section id="call-control" title="Call control" intro="Empty fields use the platform default, shown as the placeholder.">
      <div className="grid-2">
        <NumberField path="callControl.maxCallSeconds" label="Maximum call length (s, 60–7200)" nullable placeholder="600" value={cc.maxCallSeconds} onChange={(v) => put('maxCallSeconds', v)} />
        <NumberField path="callControl.maxIdleReminders" label="Idle reminders (0–10)" nullable placeholder="2" value={cc.maxIdleReminders} onChange={(v) => put('maxIdleReminders', v)} hint="0 turns reminders off." />
        <NumberField path="callControl.idleReminderDelaySeconds" label="First reminder after (s, 3–120)" nullable placeholder="10" value={cc.idleReminderDelaySeconds} onChange={(v) => put('idleReminderDelaySeconds', v)} />
        <NumberField path="callControl.idleReminderIntervalSeconds" label="Between reminders (s, 3–120)" nullable placeholder="10" value={cc.idleReminderIntervalSeconds} onChange={(v) => put('idleReminderIntervalSeconds', v)} />
      </div>
      <TextArea path="callControl.maxDurationMessage" label="Message at the time limit" rows={2} nullable maxLength={500} value={cc.maxDurationMessage ?? null} onChange={(v) => put('maxDurationMessage', v)} placeholder="A built-in sentence" />
      <div className="grid-2">
        <SelectField
          path="callControl.endCallPhrasesEnabled"
          label="End the call when the caller says goodbye"
          value={cc.endCallPhrasesEnabled === undefined ? '' : cc.endCallPhrasesEnabled ? 'yes' : 'no'}
          options={[
            { value: '', label: 'Platform default (yes)' },
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
          ]}
          onChange={(v) => put('endCallPhrasesEnabled', v === null ? null : v === 'yes')}
        />
        <SelectField
          path="callControl.onNoResponseAction"
          label="After the last reminder"
          value={cc.onNoResponseAction ?? ''}
          options={[
            { value: '', label: 'Platform default (end the call)' },
            { value: 'end', label: 'End the call' },
            { value: 'transfer', label: 'Transfer (needs a default destination)' },
          ]}
          onChange={(v) => put('onNoResponseAction', v || null)}
        />
      </div>
    </Section>
  );
}
