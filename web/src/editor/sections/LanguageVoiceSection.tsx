import { useEditor } from '../editor-context.js';
import { LinesField, MapField, NumberField, SelectField, TextField, Toggle, TokensField } from '../../components/fields.js';
import { Section } from './Section.js';

export function LanguageVoiceSection() {
  const { snap, set } = useEditor();
  const a = snap.draft;
  const primaryOptions = a.languages.includes(a.primaryLanguage) ? a.languages : [a.primaryLanguage, ...a.languages];
  return (
    <Section id="language-voice" title="Language and voice">
      <div className="grid-2">
        <TokensField path="languages" label="Languages" value={a.languages} onChange={(v) => {
            set('languages', v);
            // the primary language must be one of them: follow the list rather than block every save
            if (v.length > 0 && !v.includes(a.primaryLanguage)) set('primaryLanguage', v[0]!);
          }} placeholder="en-US, es" hint="Language tags, separated by commas. The primary language must be one of them." />
        <SelectField path="primaryLanguage" label="Primary language" value={a.primaryLanguage} options={primaryOptions.map((l) => ({ value: l, label: l }))} onChange={(v) => v && set('primaryLanguage', v)} />
      </div>
      <SelectField
        path="sku"
        label="Language mode"
        value={a.sku}
        options={[
          { value: 'single_language', label: 'Single language' },
          { value: 'code_switch', label: 'Code-switch (switch between the languages mid-conversation)' },
        ]}
        onChange={(v) => v && set('sku', v)}
        hint="Changing the languages recomputes this unless you set it too."
      />
      <TextField path="defaultVoiceId" label="Default voice id" value={a.defaultVoiceId} nullable maxLength={100} onChange={(v) => set('defaultVoiceId', v)} hint="Empty: the runtime's default voice." />
      <MapField path="voiceMap" label="Voice per language" keyLabel="Language" valueLabel="Voice id" value={a.voiceMap} onChange={(v) => set('voiceMap', v)} hint="Each language must be one of the agent's languages." />
      <fieldset>
        <legend>Voice settings</legend>
        <div className="grid-3">
          <NumberField path="voiceSettings.stability" label="Stability (0–1)" value={a.voiceSettings.stability} onChange={(v) => set('voiceSettings', { ...a.voiceSettings, stability: v ?? 0.5 })} />
          <NumberField path="voiceSettings.similarityBoost" label="Similarity boost (0–1)" value={a.voiceSettings.similarityBoost} onChange={(v) => set('voiceSettings', { ...a.voiceSettings, similarityBoost: v ?? 0.75 })} />
          <NumberField path="voiceSettings.style" label="Style (0–1)" value={a.voiceSettings.style} onChange={(v) => set('voiceSettings', { ...a.voiceSettings, style: v ?? 0 })} />
          <NumberField path="voiceSettings.speed" label="Speed (0.7–1.2)" value={a.voiceSettings.speed} onChange={(v) => set('voiceSettings', { ...a.voiceSettings, speed: v ?? 1 })} />
        </div>
        <Toggle path="voiceSettings.useSpeakerBoost" label="Speaker boost" checked={a.voiceSettings.useSpeakerBoost} onChange={(v) => set('voiceSettings', { ...a.voiceSettings, useSpeakerBoost: v })} />
      </fieldset>
      <fieldset>
        <legend>Lexicon</legend>
        <div className="grid-2">
          <LinesField path="lexicon.preferred" label="Preferred words" value={a.lexicon.preferred} onChange={(v) => set('lexicon', { ...a.lexicon, preferred: v })} />
          <LinesField path="lexicon.banned" label="Banned words" value={a.lexicon.banned} onChange={(v) => set('lexicon', { ...a.lexicon, banned: v })} />
        </div>
        <MapField path="lexicon.pronunciations" label="Pronunciations" keyLabel="Term" valueLabel="Spoken as" value={a.lexicon.pronunciations} onChange={(v) => set('lexicon', { ...a.lexicon, pronunciations: v })} />
      </fieldset>
    </Section>
  );
}
