import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { FlowyteError, type LiveConfig, type LiveQuery } from 'flowyte/client';
import { useEditor } from '../../editor/editor-context.js';
import { useSession } from '../../session.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { HoursSummary, SettingsSummary, TransfersSummary } from './LiveSections.js';
import { formatInstantLong } from '../versions/format.js';
import './live.css';

type Channel = LiveQuery['channel'];
/** The live config's 409s (api.md) */
type Refusal = Extract<FlowyteError['code'], 'agent_inactive' | 'no_published_version' | 'channel_disabled'>;
const CHANNELS: { value: Channel; label: string }[] = [
  { value: 'voice', label: 'Voice' },
  { value: 'chat', label: 'Chat' },
];

/** `datetime-local` text (the browser's zone) → ISO instant; '' = now; null = not a date. */
function toInstant(local: string): string | undefined | null {
  if (local === '') return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'your time zone';
  } catch {
    return 'your time zone';
  }
}

/**
 * What a voice or chat runtime gets at the start of a conversation (lifecycle.md LiveConfig),
 * for a channel and an instant, of the live version or (for testers) the draft.
 */
export function LiveTab() {
  const { snap } = useEditor();
  const { client } = useSession();
  const agentId = snap.base.id;
  const [channel, setChannel] = useState<Channel>(() => (snap.base.enabledChannels.includes('voice') || !snap.base.enabledChannels.includes('chat') ? 'voice' : 'chat'));
  const [atLocal, setAtLocal] = useState('');
  const [draft, setDraft] = useState(false);
  const [nowTick, setNowTick] = useState(0);
  const [result, setResult] = useState<LiveConfig | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const id = useId();
  const atInput = useRef<HTMLInputElement>(null);

  const at = toInstant(atLocal);
  const atInvalid = at === null;

  // The refusals the page can foresee are said without asking (a refused request is also a
  // console error in the browser): lifecycle.md's order, agent_inactive, no_published_version,
  // channel_disabled. The live version's channels come from that version.
  const liveId = snap.base.publishedVersionId;
  const [liveChannels, setLiveChannels] = useState<{ id: string; channels: string[] | null } | null>(null);
  useEffect(() => {
    if (!liveId) return;
    let live = true;
    client.getVersion(agentId, liveId).then(
      (v) => live && setLiveChannels({ id: v.id, channels: v.config.enabledChannels }),
      () => live && setLiveChannels({ id: liveId, channels: null }),
    );
    return () => {
      live = false;
    };
  }, [client, agentId, liveId]);
  const waitingForChannels = !draft && !!liveId && liveChannels?.id !== liveId;
  let foreseen: Refusal | null = null;
  if (!snap.base.isActive) foreseen = 'agent_inactive';
  else if (!draft && !liveId) foreseen = 'no_published_version';
  else if (draft && !snap.base.enabledChannels.includes(channel)) foreseen = 'channel_disabled';
  else if (!draft && liveChannels?.id === liveId && liveChannels.channels && !liveChannels.channels.includes(channel)) foreseen = 'channel_disabled';

  // re-read on any change of the question, and when the agent changes (a save, publish, rollback)
  useEffect(() => {
    if (at === null || foreseen || waitingForChannels) return;
    let live = true;
    setLoading(true);
    const t = setTimeout(() => {
      client.getLiveConfig(agentId, { channel, ...(at ? { at } : {}), ...(draft ? { draft: true } : {}) }).then(
        (r) => {
          if (!live) return;
          setResult(r);
          setError(null);
          setLoading(false);
        },
        (e) => {
          if (!live) return;
          setResult(null);
          setError(e);
          setLoading(false);
        },
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, agentId, channel, at, draft, nowTick, snap.base.version, liveId, foreseen, waitingForChannels]);

  return (
    <div className="live-tab">
      <p className="muted">
        What a {channel === 'voice' ? 'voice call' : 'chat'} starting at the chosen moment gets: everything already resolved for that channel and instant.
      </p>
      <div className="card live-controls">
        <div className="live-controls-row">
          <div className="field">
            <span className="label" id={`${id}-ch`}>
              Channel
            </span>
            <div className="segmented" role="group" aria-labelledby={`${id}-ch`}>
              {CHANNELS.map((c) => (
                <button key={c.value} type="button" className={channel === c.value ? '' : 'secondary'} aria-pressed={channel === c.value} onClick={() => setChannel(c.value)}>
                  {c.label}
                </button>
              ))}
            </div>
          </div>
          <div className="field live-at">
            <label htmlFor={`${id}-at`}>At</label>
            <div className="live-at-row">
              <input
                ref={atInput}
                id={`${id}-at`}
                type="datetime-local"
                value={atLocal}
                aria-describedby={`${id}-at-hint${atInvalid ? ` ${id}-at-err` : ''}`}
                aria-invalid={atInvalid || undefined}
                onChange={(e) => setAtLocal(e.target.value)}
              />
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setAtLocal('');
                  setNowTick((n) => n + 1);
                }}
              >
                Now
              </button>
            </div>
            <p id={`${id}-at-hint`} className="hint">
              {atLocal === '' ? 'Empty: now. ' : ''}In your browser’s time zone ({browserZone()}); business hours are judged in the agent’s own zone.
            </p>
            {atInvalid && (
              <p id={`${id}-at-err`} className="field-error" role="alert">
                Enter a complete date and time.
              </p>
            )}
          </div>
        </div>
        <div className="field toggle">
          <input id={`${id}-draft`} type="checkbox" checked={draft} aria-describedby={`${id}-draft-hint`} onChange={(e) => setDraft(e.target.checked)} />
          <label htmlFor={`${id}-draft`}>Preview the draft instead of the published version</label>
          <p id={`${id}-draft-hint`} className="hint toggle-desc">For testing: live channels always serve the published version.</p>
        </div>
      </div>

      {foreseen ? (
        <LiveError code={foreseen} channel={channel} draft={draft} onPreviewDraft={() => setDraft(true)} onOtherChannel={(c) => setChannel(c)} />
      ) : error ? (
        <LiveError error={error} channel={channel} draft={draft} onPreviewDraft={() => setDraft(true)} onOtherChannel={(c) => setChannel(c)} />
      ) : !result ? (
        <p role="status">Loading the live config…</p>
      ) : (
        <LiveResult config={result} loading={loading} />
      )}
    </div>
  );
}

function LiveResult({ config, loading }: { config: LiveConfig; loading: boolean }) {
  const tz = config.hours.timezone;
  return (
    <div data-testid="live-config" className="live-result" aria-busy={loading || undefined}>
      <p className="live-what" role="status">
        {config.versionNumber !== null ? (
          <span className="badge published">Version {config.versionNumber}</span>
        ) : (
          <span className="badge draft">Draft (not published)</span>
        )}{' '}
        <span className="badge">{config.channel === 'voice' ? 'Voice' : config.channel === 'chat' ? 'Chat' : config.channel}</span>{' '}
        <span className="live-at-text">
          at <time dateTime={config.at}>{formatInstantLong(config.at)}</time>
          {tz && config.hours.localTimeSpoken ? ` (${config.hours.localTimeSpoken} for the agent, ${tz})` : ''}
        </span>
      </p>

      <div className="live-grid">
        <section className="card" aria-labelledby="live-h-greeting">
          <h2 id="live-h-greeting">Greeting</h2>
          <blockquote className="live-greeting" data-testid="live-greeting">
            {config.greeting}
          </blockquote>
        </section>
        <section className="card" aria-labelledby="live-h-hours">
          <h2 id="live-h-hours">Business hours</h2>
          <HoursSummary hours={config.hours} />
        </section>
        <section className="card" aria-labelledby="live-h-transfers">
          <h2 id="live-h-transfers">Transfers to a person</h2>
          <TransfersSummary transfers={config.transfers} />
        </section>
      </div>

      <section className="card" aria-labelledby="live-h-prompt">
        <h2 id="live-h-prompt">System prompt</h2>
        <pre className="live-prompt" data-testid="live-prompt" tabIndex={0} role="region" aria-label="System prompt">
          {config.systemPrompt}
        </pre>
      </section>

      <section className="card" aria-labelledby="live-h-settings">
        <h2 id="live-h-settings">Resolved settings</h2>
        <p className="muted small">This channel’s overrides applied; defaults filled in.</p>
        <SettingsSummary config={config.config} />
        <details className="live-raw">
          <summary>Raw JSON</summary>
          <pre tabIndex={0} role="region" aria-label="Raw live config JSON">
            {JSON.stringify(config, null, 2)}
          </pre>
        </details>
      </section>
    </div>
  );
}

/** The live config's refusals, as sentences (lifecycle.md: 404; 409 agent_inactive, no_published_version, channel_disabled). */
function LiveError({ error, code, channel, draft, onPreviewDraft, onOtherChannel }: { error?: unknown; code?: Refusal; channel: Channel; draft: boolean; onPreviewDraft(): void; onOtherChannel(c: Channel): void }) {
  const fe = error instanceof FlowyteError ? error : null;
  const e = code ? { code, status: 409 } : fe ? { code: fe.code, status: fe.status } : null;
  const name = channel === 'voice' ? 'voice' : 'chat';
  const other: Channel = channel === 'voice' ? 'chat' : 'voice';
  let text: ReactNode = null;
  if (e?.code === 'no_published_version') {
    text = (
      <>
        <p>This agent has never been published, so live calls and chats have nothing to run yet. Publish it in the Versions tab, or preview the draft.</p>
        {!draft && (
          <button type="button" className="secondary small" onClick={onPreviewDraft}>
            Preview the draft
          </button>
        )}
      </>
    );
  } else if (e?.code === 'channel_disabled') {
    text = (
      <>
        <p>
          The {name} channel is switched off for this agent{draft ? ' in the draft' : ' in the published version'}, so {channel === 'voice' ? 'calls are' : 'chats are'} refused. Turn it on under Channels in
          Settings{draft ? '' : ' and publish'}.
        </p>
        <button type="button" className="secondary small" onClick={() => onOtherChannel(other)}>
          Show {other} instead
        </button>
      </>
    );
  } else if (e?.code === 'agent_inactive') {
    text = <p>This agent is switched off (inactive): it answers no calls or chats, and there is nothing to preview{draft ? ', not even the draft' : ''}. Make it active again in Settings.</p>;
  } else if (e?.status === 404) {
    text = <p>This agent no longer exists (it was deleted).</p>;
  } else if (e?.code === 'validation_error') {
    text = <p>That date and time cannot be used. Pick another one, or press Now.</p>;
  } else if (e?.status === 0) {
    text = <p>The server cannot be reached. Check your connection; the preview reloads when you change a choice.</p>;
  }
  if (!text) return <ErrorNote error={error} prefix="The live config could not be loaded" />;
  return (
    <div className="notice live-error" role="alert" data-testid="live-error" data-code={e?.code}>
      {text}
    </div>
  );
}
