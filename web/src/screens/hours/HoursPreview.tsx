import { useEffect, useId, useState } from 'react';
import { FlowyteError, type FlowyteClient } from 'flowyte/client';
import { useSession } from '../../session.js';
import { useEditor } from '../../editor/editor-context.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { browserTimeZone, isKnownZone } from './hours-model.js';
import { formatInstant, instantOfWallClock, relativeTo } from './zoned-time.js';

type HoursStatus = Awaited<ReturnType<FlowyteClient['getHours']>>;
type Source = 'draft' | 'live';

const REASON: Record<HoursStatus['reason'], string> = {
  unconfigured: 'No business hours: always open',
  weekly: 'Weekly hours',
  holiday: 'Holiday',
};

const MODE: Record<NonNullable<HoursStatus['afterHours']>['mode'], string> = {
  answer: 'answers and says when it reopens',
  take_message: 'takes a message',
  forward: 'forwards the call',
};

function noLiveVersion(e: unknown): boolean {
  return e instanceof FlowyteError && e.code === 'no_published_version';
}

function StatusView({ s, at, source }: { s: HoursStatus; at: Date | null; source: Source }) {
  const tz = s.timezone;
  const when = at ? 'at that time' : 'now';
  const holiday = s.holiday ? `${s.holiday.name} (${s.holiday.date}${s.holiday.endDate !== s.holiday.date ? ` to ${s.holiday.endDate}` : ''})` : null;
  return (
    <>
      <p className={`preview-state ${s.open ? 'open' : 'closed'}`} data-testid="hours-preview-state" data-open={s.open}>
        {s.open ? `Open ${when}` : `Closed ${when}`}
      </p>
      <dl className="preview-facts">
        <dt>Why</dt>
        <dd>
          {REASON[s.reason]}
          {holiday && `: ${holiday}`}
          {s.currentRange && ` (${s.currentRange.start}–${s.currentRange.end})`}
        </dd>
        {s.localTime && (
          <>
            <dt>Local time</dt>
            <dd>
              {s.localTimeSpoken} <span className="muted small">({s.localTime}{tz ? `, ${tz}` : ''})</span>
            </dd>
          </>
        )}
        {s.configured && (
          <>
            <dt>{s.open ? 'Closes' : 'Next change'}</dt>
            <dd data-testid="hours-preview-next-change">{s.nextChangeAt ? <TimeOf iso={s.nextChangeAt} tz={tz} from={at} /> : s.open ? 'Not within a year' : 'No opening within a year'}</dd>
          </>
        )}
        {!s.open && (
          <>
            <dt>Next opening</dt>
            <dd data-testid="hours-preview-next-open">{s.nextOpenAt ? <TimeOf iso={s.nextOpenAt} tz={tz} from={at} /> : 'None within a year'}</dd>
          </>
        )}
      </dl>
      {s.afterHours && (
        <div className="preview-after">
          <p className="small">
            After hours the agent {MODE[s.afterHours.mode]}
            {s.afterHours.mode === 'forward' && s.afterHours.number ? ` to ${s.afterHours.number}` : ''}. It says:
          </p>
          <blockquote>{s.afterHours.message}</blockquote>
        </div>
      )}
      <p className="hint">{source === 'draft' ? 'Evaluates the saved draft (unpublished edits included).' : 'Evaluates the published (live) version.'}</p>
    </>
  );
}

function TimeOf({ iso, tz, from }: { iso: string; tz: string | null; from: Date | null }) {
  return (
    <>
      <time dateTime={iso}>{formatInstant(iso, tz)}</time> <span className="muted small">({relativeTo(iso, from ?? new Date())})</span>
    </>
  );
}

/**
 * "Open now?" for the agent's saved draft (or its live version), from the hours endpoint, now or
 * at a chosen wall-clock time in the schedule's zone. Refreshed after every save of the draft.
 */
export function HoursPreview() {
  const { client } = useSession();
  const { snap } = useEditor();
  const agentId = snap.base.id;
  const version = snap.base.version;
  const savedZone = snap.base.businessHours.timezone;
  const zone = savedZone && isKnownZone(savedZone) ? savedZone : null;
  const [source, setSource] = useState<Source>('draft');
  const [local, setLocal] = useState('');
  const [tick, setTick] = useState(0);
  const [result, setResult] = useState<{ status: HoursStatus; at: Date | null; source: Source } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const atId = useId();
  const at = local ? instantOfWallClock(local, zone) : null;
  const atIso = at?.toISOString() ?? null;

  // never published: nothing to ask the server (it would answer 409 no_published_version)
  const noLive = source === 'live' && !snap.base.publishedVersionId;

  useEffect(() => {
    if (noLive) return;
    let live = true;
    setLoading(true);
    const when = atIso ? new Date(atIso) : null;
    client
      .getHours(agentId, { ...(atIso ? { at: atIso } : {}), draft: source === 'draft' })
      .then(
        (status) => {
          if (!live) return;
          setResult({ status, at: when, source });
          setError(null);
        },
        (e: unknown) => {
          if (!live) return;
          setResult(null);
          setError(e);
        },
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [client, agentId, version, atIso, source, tick, noLive]);

  // "now" moves: refresh once a minute while showing it
  useEffect(() => {
    if (atIso) return;
    const t = setInterval(() => setTick((n) => n + 1), 60_000);
    return () => clearInterval(t);
  }, [atIso]);

  const pending = snap.pending.includes('businessHours');
  return (
    <section className="card hours-preview" data-testid="hours-preview" aria-labelledby="hours-preview-h" aria-busy={loading}>
      <h3 id="hours-preview-h">Preview: open or closed?</h3>
      <fieldset className="preview-source">
        <legend className="sr-only">Evaluate</legend>
        <label>
          <input type="radio" name="hours-source" checked={source === 'draft'} onChange={() => setSource('draft')} /> Draft
        </label>
        <label>
          <input type="radio" name="hours-source" checked={source === 'live'} onChange={() => setSource('live')} /> Published version
        </label>
      </fieldset>
      <div className="preview-at">
        <label htmlFor={atId}>
          Preview at <span className="muted small">(date and time in {zone ? `${zone}, the schedule's zone` : `${browserTimeZone()}, this browser's zone`})</span>
        </label>
        <div className="row">
          <input id={atId} type="datetime-local" className="grow" value={local} onChange={(e) => setLocal(e.target.value)} />
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setLocal('');
              setTick((n) => n + 1);
            }}
          >
            Now
          </button>
        </div>
      </div>
      <div role="status" aria-live="polite" className="preview-result">
        {pending && source === 'draft' && (
          <p className="small muted">
            {snap.state === 'error' ? 'Your latest edits are not saved yet (see the errors); this shows the last saved draft.' : 'Saving your latest edits; the preview updates when they are saved.'}
          </p>
        )}
        {noLive || (error && noLiveVersion(error)) ? (
          <p className="preview-state none" data-testid="hours-preview-state">
            This agent has never been published, so there is no live schedule yet. Switch to “Draft” to preview your edits.
          </p>
        ) : error ? (
          <ErrorNote error={error} prefix="Could not load the preview" />
        ) : result ? (
          <StatusView s={result.status} at={result.at} source={result.source} />
        ) : (
          <p className="muted">Loading…</p>
        )}
      </div>
    </section>
  );
}
