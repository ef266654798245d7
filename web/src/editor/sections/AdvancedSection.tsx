import { useEditor } from '../editor-context.js';
import { NumberField, Toggle } from '../../components/fields.js';
import { Section } from './Section.js';

export function AdvancedSection() {
  const { snap, set } = useEditor();
  const a = snap.draft;
  return (
    <Section id="advanced" title="Advanced">
      <Toggle path="isActive" label="Active" hint="An inactive agent keeps its configuration, but live channels refuse it. Takes effect at once, without publishing." checked={a.isActive} onChange={(v) => set('isActive', v)} />
      <NumberField path="avgTicketCents" label="Average ticket (cents)" nullable value={a.avgTicketCents} onChange={(v) => set('avgTicketCents', v)} hint="0–100 000 000; empty = unset. For reporting only; not versioned." />
      <dl className="meta small muted">
        <dt>Id</dt>
        <dd><code>{a.id}</code></dd>
        <dt>Created</dt>
        <dd>{new Date(a.createdAt).toLocaleString()}</dd>
        <dt>Last saved</dt>
        <dd>{new Date(snap.base.updatedAt).toLocaleString()}</dd>
      </dl>
    </Section>
  );
}
