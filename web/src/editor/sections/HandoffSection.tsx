import { useState } from 'react';
import { useEditor } from '../editor-context.js';
import { NumberField, PathErrors, TextField, Toggle } from '../../components/fields.js';
import { Section } from './Section.js';

export function HandoffSection() {
  const { snap, set, canEdit, store } = useEditor();
  const h = snap.draft.handoffConfig;
  const rules = h.transferRules;
  const setRules = (r: typeof rules) => set('handoffConfig', { ...h, transferRules: r });
  return (
    <Section id="handoff" title="Handoff and transfers">
      <Toggle path="handoffConfig.warm" label="Warm transfer" hint="The agent summarises the caller and the reason before connecting." checked={h.warm} onChange={(v) => set('handoffConfig', { ...h, warm: v })} />
      <div className="grid-2">
        <TextField path="handoffConfig.transferDestination" label="Default transfer destination" inputMode="tel" nullable value={h.transferDestination} onChange={(v) => set('handoffConfig', { ...h, transferDestination: v })} hint="Phone number or SIP URI; used when no rule matches." />
        <NumberField path="handoffConfig.escalationThreshold" label="Escalation threshold (0–10)" value={h.escalationThreshold} onChange={(v) => set('handoffConfig', { ...h, escalationThreshold: v ?? 3 })} hint="Negative turns before the agent offers a person; 0 never offers." />
      </div>
      <TextField path="handoffConfig.contextSummaryUrl" label="Handoff summary URL" inputMode="url" nullable value={h.contextSummaryUrl} onChange={(v) => set('handoffConfig', { ...h, contextSummaryUrl: v })} placeholder="https://…" />
      <fieldset data-field="handoffConfig.transferRules">
        <legend>Transfer rules</legend>
        {rules.length === 0 && <p className="muted small">No rules: transfers go to the default destination.</p>}
        {rules.map((r, i) => {
          const p = `handoffConfig.transferRules[${i}]`;
          const inv = (m: string) => store.errorsFor(`${p}.${m}`).length > 0 || undefined;
          const upd = (patch: Partial<typeof r>) => setRules(rules.map((x, j) => (j === i ? { ...x, ...patch } : x)));
          return (
            <div className="rule card" key={i}>
              <div className="row">
                <label className="grow">
                  Label <input type="text" value={r.label} maxLength={80} disabled={!canEdit} aria-invalid={inv('label')} onChange={(e) => upd({ label: e.target.value })} />
                </label>
                <label className="grow">
                  Destination <input type="text" inputMode="tel" value={r.destination} disabled={!canEdit} aria-invalid={inv('destination')} onChange={(e) => upd({ destination: e.target.value })} />
                </label>
                {canEdit && (
                  <button type="button" className="icon danger" aria-label={`Remove rule ${r.label || i + 1}`} onClick={() => setRules(rules.filter((_, j) => j !== i))}>
                    ✕
                  </button>
                )}
              </div>
              <label>
                When <input type="text" value={r.when} maxLength={500} disabled={!canEdit} aria-invalid={inv('when')} onChange={(e) => upd({ when: e.target.value })} placeholder="the caller asks about billing" />
              </label>
              <PathErrors path={p} />
            </div>
          );
        })}
        {canEdit && <NewRule onAdd={(r) => setRules([...rules, r])} />}
        <PathErrors path="handoffConfig.transferRules" exact />
      </fieldset>
    </Section>
  );
}

type Rule = { label: string; when: string; destination: string };

/**
 * A new rule is composed here, on screen only, and joins the draft (and autosave) once it is
 * complete: an empty rule would be a validation error that blocks every other edit.
 */
function NewRule({ onAdd }: { onAdd: (r: Rule) => void }) {
  const [rule, setRule] = useState<Rule | null>(null);
  if (!rule) {
    return (
      <button type="button" className="secondary small" onClick={() => setRule({ label: '', when: '', destination: '' })}>
        Add transfer rule
      </button>
    );
  }
  const complete = rule.label.trim() !== '' && rule.when.trim() !== '' && rule.destination.trim() !== '';
  return (
    <div className="rule card" role="group" aria-label="New transfer rule">
      <div className="row">
        <label className="grow">
          New rule label <input type="text" value={rule.label} maxLength={80} autoFocus onChange={(e) => setRule({ ...rule, label: e.target.value })} placeholder="Billing" />
        </label>
        <label className="grow">
          New rule destination <input type="text" inputMode="tel" value={rule.destination} onChange={(e) => setRule({ ...rule, destination: e.target.value })} placeholder="(415) 555-0134 or sip:desk@example.com" />
        </label>
      </div>
      <label>
        New rule: when <input type="text" value={rule.when} maxLength={500} onChange={(e) => setRule({ ...rule, when: e.target.value })} placeholder="the caller asks about a bill" />
      </label>
      <div className="row">
        <button type="button" className="small" disabled={!complete} onClick={() => (onAdd({ label: rule.label.trim(), when: rule.when.trim(), destination: rule.destination.trim() }), setRule(null))}>
          Add rule
        </button>
        <button type="button" className="secondary small" onClick={() => setRule(null)}>
          Cancel
        </button>
        {!complete && <span className="hint">Fill in the label, destination and when to add it.</span>}
      </div>
    </div>
  );
}
