import { Link } from 'react-router';
import { PersonaSection } from './sections/PersonaSection.js';
import { LanguageVoiceSection } from './sections/LanguageVoiceSection.js';
import { ModelsSection } from './sections/ModelsSection.js';
import { GreetingChannelsSection } from './sections/GreetingChannelsSection.js';
import { HandoffSection } from './sections/HandoffSection.js';
import { CallControlSection } from './sections/CallControlSection.js';
import { AdvancedSection } from './sections/AdvancedSection.js';
import { useEditor } from './editor-context.js';

const SECTIONS = [
  ['persona', 'Persona and goals'],
  ['language-voice', 'Language and voice'],
  ['models', 'Models and turn-taking'],
  ['greeting-channels', 'Greeting and channels'],
  ['handoff', 'Handoff and transfers'],
  ['call-control', 'Call control'],
  ['business-hours', 'Business hours'],
  ['advanced', 'Advanced'],
] as const;

/** Every editable field of agent.md, in sections; each edit autosaves (see draft-store.ts). */
export function SettingsTab() {
  const { snap } = useEditor();
  const hours = snap.draft.businessHours;
  return (
    <div className="editor-layout">
      <nav className="section-nav" aria-label="Sections">
        <ul>
          {SECTIONS.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <form className="editor-form" onSubmit={(e) => e.preventDefault()} aria-label="Agent settings">
        <PersonaSection />
        <LanguageVoiceSection />
        <ModelsSection />
        <GreetingChannelsSection />
        <HandoffSection />
        <CallControlSection />
        <section id="business-hours" className="card editor-section" aria-labelledby="business-hours-h">
          <h2 id="business-hours-h">Business hours</h2>
          <p>
            {hours.timezone ? `Configured in ${hours.timezone}.` : 'Not configured: the agent is always open.'}{' '}
            <Link to={`/agents/${snap.base.id}/hours`}>Edit business hours and preview them</Link>
          </p>
        </section>
        <AdvancedSection />
      </form>
    </div>
  );
}
