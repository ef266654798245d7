import { useEditor } from '../editor-context.js';
import { NumberField, TextField, Toggle } from '../../components/fields.js';
import { Section } from './Section.js';

export function ModelsSection() {
  const { snap, set } = useEditor();
  const a = snap.draft;
  const ep = a.endpointing;
  return (
    <Section id="models" title="Models and turn-taking">
      <div className="grid-2">
        <TextField path="llmModel" label="Language model" value={a.llmModel} maxLength={100} onChange={(v) => set('llmModel', v ?? '')} placeholder="default" />
        <NumberField path="llmTemperature" label="Temperature (0–2)" value={a.llmTemperature} onChange={(v) => set('llmTemperature', v ?? 0.4)} />
        <TextField path="ttsModel" label="Text-to-speech model" value={a.ttsModel} maxLength={100} onChange={(v) => set('ttsModel', v ?? '')} placeholder="default" />
        <TextField path="sttModel" label="Speech-to-text model" value={a.sttModel} maxLength={100} onChange={(v) => set('sttModel', v ?? '')} placeholder="default" />
      </div>
      <fieldset>
        <legend>Turn-taking</legend>
        <div className="grid-2">
          <NumberField path="endpointing.minSilenceMs" label="Minimum silence (ms, 100–5000)" value={ep.minSilenceMs} onChange={(v) => set('endpointing', { ...ep, minSilenceMs: v ?? 400 })} />
          <NumberField path="endpointing.maxSilenceMs" label="Maximum silence (ms, 200–10 000)" value={ep.maxSilenceMs} onChange={(v) => set('endpointing', { ...ep, maxSilenceMs: v ?? 2000 })} />
        </div>
        <Toggle path="endpointing.semantic" label="Semantic end-of-turn detection" checked={ep.semantic} onChange={(v) => set('endpointing', { ...ep, semantic: v })} />
      </fieldset>
    </Section>
  );
}
