import type { Agent } from 'flowyte/client';
import { useEditor } from '../editor-context.js';
import { NumberField, PathErrors, SelectField, TextArea, TextField } from '../../components/fields.js';
import { Section } from './Section.js';

type Overrides = Agent['channelOverrides'];
type Channel = 'voice' | 'chat';
type Policy = NonNullable<Overrides['voice']>;
const CHANNELS: Channel[] = ['voice', 'chat'];
const NAMES: Record<Channel, string> = { voice: 'Voice', chat: 'Chat' };

/** A policy member set, or removed when `v` is null/empty (the channel then inherits the shared value). */
function withMember<K extends keyof Policy>(policy: Policy | undefined, k: K, v: Policy[K] | null | undefined): Policy {
  const out: Policy = { ...(policy ?? {}) };
  if (v === null || v === undefined || v === '') delete out[k];
  else out[k] = v;
  return out;
}

export function GreetingChannelsSection() {
  const { snap, set, canEdit } = useEditor();
  const a = snap.draft;
  const overrides = a.channelOverrides;
  function setPolicy(ch: Channel, p: Policy) {
    const next: Overrides = { ...overrides };
    if (Object.keys(p).length === 0) delete next[ch];
    else next[ch] = p;
    set('channelOverrides', next);
  }
  function toggleChannel(ch: Channel, on: boolean) {
    const rest = a.enabledChannels.filter((c) => c !== ch);
    set('enabledChannels', on ? [...a.enabledChannels.filter((c) => c !== ch), ch] : rest);
  }
  return (
    <Section id="greeting-channels" title="Greeting and channels">
      <TextArea path="greeting" label="Greeting" rows={2} nullable maxLength={1000} value={a.greeting} onChange={(v) => set('greeting', v)} hint="The first thing the agent says. Empty: the runtime's default greeting." />
      <fieldset data-field="enabledChannels">
        <legend>Channels</legend>
        {CHANNELS.map((ch) => (
          <div className="field toggle" key={ch}>
            <input id={`ch-${ch}`} type="checkbox" checked={a.enabledChannels.includes(ch)} disabled={!canEdit} onChange={(e) => toggleChannel(ch, e.target.checked)} />
            <label htmlFor={`ch-${ch}`}>{NAMES[ch]} enabled</label>
          </div>
        ))}
        {a.enabledChannels.filter((c) => !CHANNELS.includes(c as Channel)).length > 0 && (
          <p className="hint">Also enabled: {a.enabledChannels.filter((c) => !CHANNELS.includes(c as Channel)).join(', ')}</p>
        )}
        <PathErrors path="enabledChannels" />
      </fieldset>
      {CHANNELS.map((ch) => {
        const p = overrides[ch];
        const on = (v: Policy) => setPolicy(ch, v);
        return (
          <fieldset key={ch} data-field={`channelOverrides.${ch}`}>
            <legend>{NAMES[ch]} channel overrides</legend>
            <p className="hint">Only what differs from the shared settings; empty fields inherit them.</p>
            <SelectField
              path={`channelOverrides.${ch}.enabled`}
              label={`${NAMES[ch]}: served`}
              value={p?.enabled === undefined ? '' : p.enabled ? 'on' : 'off'}
              options={[
                { value: '', label: 'As the channels above say' },
                { value: 'off', label: 'Off (enabled: false)' },
                { value: 'on', label: 'On (enabled: true)' },
              ]}
              onChange={(v) => on(withMember(p, 'enabled', v === null ? null : v === 'on'))}
            />
            <TextArea path={`channelOverrides.${ch}.greeting`} label={`${NAMES[ch]} greeting`} rows={2} nullable maxLength={1000} value={p?.greeting ?? null} onChange={(v) => on(withMember(p, 'greeting', v))} />
            <div className="grid-2">
              <TextField path={`channelOverrides.${ch}.tone`} label={`${NAMES[ch]} tone`} value={p?.tone ?? null} nullable maxLength={200} onChange={(v) => on(withMember(p, 'tone', v))} />
              <TextField path={`channelOverrides.${ch}.llmModel`} label={`${NAMES[ch]} language model`} value={p?.llmModel ?? null} nullable maxLength={100} onChange={(v) => on(withMember(p, 'llmModel', v))} />
              <NumberField path={`channelOverrides.${ch}.llmTemperature`} label={`${NAMES[ch]} temperature`} nullable value={p?.llmTemperature ?? null} onChange={(v) => on(withMember(p, 'llmTemperature', v))} />
            </div>
            <TextArea path={`channelOverrides.${ch}.persona`} label={`${NAMES[ch]} persona`} rows={3} nullable value={p?.persona ?? null} onChange={(v) => on(withMember(p, 'persona', v))} />
          </fieldset>
        );
      })}
      <PathErrors path="channelOverrides" exact />
    </Section>
  );
}
