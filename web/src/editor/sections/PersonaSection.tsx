import { useEditor } from '../editor-context.js';
import { LinesField, TextArea, TextField } from '../../components/fields.js';
import { Section } from './Section.js';

export function PersonaSection() {
  const { snap, set } = useEditor();
  const a = snap.draft;
  return (
    <Section id="persona" title="Persona and goals">
      <TextField path="name" label="Name" value={a.name} maxLength={120} onChange={(v) => set('name', v ?? '')} hint="1–120 characters, unique in your organization." />
      <TextArea path="persona" label="Persona" rows={6} value={a.persona} onChange={(v) => set('persona', v ?? '')} hint="Who the agent is and what it knows; up to 10 000 characters." />
      <TextField path="tone" label="Tone" value={a.tone} maxLength={200} onChange={(v) => set('tone', v ?? '')} placeholder="warm, concise" />
      <div className="grid-2">
        <LinesField path="goals" label="Goals" value={a.goals} onChange={(v) => set('goals', v)} hint="One goal per line; up to 50." />
        <LinesField path="neverDo" label="Never do" value={a.neverDo} onChange={(v) => set('neverDo', v)} hint="One rule per line; up to 50." />
      </div>
    </Section>
  );
}
