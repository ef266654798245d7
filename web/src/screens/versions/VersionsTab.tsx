import { useEffect, useId, useRef, useState } from 'react';
import { FlowyteError, type AgentVersion, type Diff } from 'flowyte/client';
import { useEditor } from '../../editor/editor-context.js';
import { useSession } from '../../session.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { DiffList } from './DiffList.js';
import { formatInstant, shortId } from './format.js';
import './versions.css';

const PAGE_SIZE = 20;
/** `against` of the diff: the current draft */
const DRAFT = '';

type Notice = { kind: 'ok' | 'info'; text: string };

/**
 * The agent's published versions (newest first), a field-by-field diff of any version against
 * the draft or another version, publishing the draft with a note, and rolling back (with
 * confirmation). Publish and rollback need `agents:write`; without it they are not shown.
 */
export function VersionsTab() {
  const { store, snap } = useEditor();
  const { client, can, me } = useSession();
  const canWrite = can('agents:write') && !snap.gone;
  const agentId = snap.base.id;
  const liveId = snap.base.publishedVersionId;

  // --- the list (pages appended with "Show older versions") ---
  const [versions, setVersions] = useState<AgentVersion[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  useEffect(() => {
    let live = true;
    setListError(null);
    client.listVersions(agentId, { limit: PAGE_SIZE }).then(
      (r) => {
        if (!live) return;
        setVersions(r.items);
        setNextCursor(r.pagination.hasMore ? r.pagination.nextCursor : null);
      },
      (e) => live && setListError(e),
    );
    return () => {
      live = false;
    };
  }, [client, agentId, liveId, reloadKey]);

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const r = await client.listVersions(agentId, { limit: PAGE_SIZE, cursor: nextCursor });
      setVersions((vs) => {
        const seen = new Set((vs ?? []).map((v) => v.id));
        return [...(vs ?? []), ...r.items.filter((v) => !seen.has(v.id))];
      });
      setNextCursor(r.pagination.hasMore ? r.pagination.nextCursor : null);
    } catch (e) {
      setListError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  // every version seen, so a chosen one keeps its number after the list reloads
  const known = useRef(new Map<string, AgentVersion>());
  for (const v of versions ?? []) known.current.set(v.id, v);
  const numberOf = (id: string | null | undefined) => (id ? known.current.get(id)?.number : undefined);

  // --- the diff ---
  const [fromChoice, setFromChoice] = useState<string | null>(null);
  const [against, setAgainst] = useState<string>(DRAFT);
  const from = fromChoice ?? liveId ?? versions?.[0]?.id ?? null;
  const [diff, setDiff] = useState<Diff | null>(null);
  const [diffError, setDiffError] = useState<unknown>(null);
  const [diffLoading, setDiffLoading] = useState(false);
  // against the draft, the diff changes whenever the draft is saved
  const draftVersion = against === DRAFT ? snap.base.version : 0;
  useEffect(() => {
    if (!from) {
      setDiff(null);
      return;
    }
    let live = true;
    setDiffLoading(true);
    setDiffError(null);
    client.diffVersion(agentId, from, against === DRAFT ? undefined : against).then(
      (d) => {
        if (!live) return;
        setDiff(d);
        setDiffLoading(false);
      },
      (e) => {
        if (!live) return;
        setDiff(null);
        setDiffError(e);
        setDiffLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [client, agentId, from, against, draftVersion]);

  const diffHeading = useRef<HTMLHeadingElement>(null);
  function compare(v: AgentVersion) {
    setFromChoice(v.id);
    setAgainst(DRAFT);
    diffHeading.current?.focus();
    diffHeading.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  // --- publish ---
  const [note, setNote] = useState('');
  const [publishing, setPublishing] = useState(false);
  const [publishError, setPublishError] = useState<unknown>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  function announce(n: Notice) {
    setNotice(n);
    // the button that was pressed may be disabled or gone now: put focus on the outcome
    setTimeout(() => noticeRef.current?.focus(), 0);
  }

  /** The agent after publish/rollback (both answer the AgentVersion, not the agent). */
  async function reloadAgent(atLeastVersion?: number) {
    await store.refresh();
    const s = store.getSnapshot();
    if (atLeastVersion !== undefined && s.base.version < atLeastVersion && !s.gone) {
      // refresh() skips while a save runs: read it directly
      try {
        store.replaceBase(await client.getAgent(agentId));
      } catch {
        /* the next focus refresh will catch up */
      }
    }
    setReloadKey((k) => k + 1);
  }

  async function publish() {
    setPublishing(true);
    setPublishError(null);
    setNotice(null);
    try {
      await store.flush();
      const s = store.getSnapshot();
      if (s.pending.length > 0 || s.state === 'error') {
        setPublishError(new Error('Some edits could not be saved, so they would not be part of this version. Fix them in Settings, then publish.'));
        return;
      }
      if (!s.base.hasUnpublishedChanges) {
        announce({ kind: 'info', text: 'Nothing to publish: the draft is the same as the live version.' });
        return;
      }
      const trimmed = note.trim();
      const v = await client.publishAgent(agentId, trimmed ? { note: trimmed } : {}, { ifMatch: s.base.version });
      setNote('');
      setFromChoice(null);
      await reloadAgent(v.sourceAgentVersion + 1);
      announce({ kind: 'ok', text: `Published version ${v.number}. It is live now: new calls and chats use it.` });
    } catch (e) {
      if (e instanceof FlowyteError && e.code === 'nothing_to_publish') {
        await reloadAgent();
        announce({ kind: 'info', text: 'Nothing to publish: the draft is already the same as the live version (it may just have been published elsewhere).' });
      } else if (e instanceof FlowyteError && e.code === 'version_conflict') {
        await reloadAgent();
        announce({ kind: 'info', text: 'Not published: the agent changed meanwhile (an edit or a publish elsewhere). The page now shows the latest draft; review the changes below and publish again.' });
      } else {
        setPublishError(e);
      }
    } finally {
      setPublishing(false);
    }
  }

  const saving = snap.pending.length > 0 || snap.state === 'saving';
  const nextNumber = (versions?.[0]?.number ?? 0) + 1;
  let blocked: string | null = null;
  if (snap.gone) blocked = 'This agent was deleted.';
  else if (snap.state === 'error' && snap.pending.length > 0) blocked = 'An edit could not be saved. Fix it in Settings before publishing.';
  else if (snap.state === 'offline') blocked = 'Waiting to save your latest edits (the server cannot be reached right now).';
  else if (saving) blocked = 'Saving your latest edits… Publishing is possible once they are saved.';
  else if (!snap.base.hasUnpublishedChanges) blocked = 'Nothing to publish: the draft is the same as the live version.';
  const noteId = useId();

  // --- rollback ---
  const [target, setTarget] = useState<AgentVersion | null>(null);
  const [targetDiff, setTargetDiff] = useState<Diff | null>(null);
  useEffect(() => {
    setTargetDiff(null);
    if (!target) return;
    let live = true;
    client.diffVersion(agentId, target.id).then(
      (d) => live && setTargetDiff(d),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, agentId, target]);

  function askRollback(v: AgentVersion) {
    setTarget(v);
  }

  /** Runs in the dialog: it shows the error and stays open when this throws. */
  async function rollback() {
    if (!target) return;
    await store.flush();
    const v = await client.rollbackAgent(agentId, target.id);
    await reloadAgent();
    const s = store.getSnapshot();
    announce({
      kind: 'ok',
      text: `Version ${v.number} is live again. The draft was not changed${s.base.hasUnpublishedChanges ? ': it differs from the live version, so it shows as unpublished changes.' : '.'}`,
    });
  }

  const tableRef = useRef<HTMLDivElement>(null);
  const liveNumber = numberOf(liveId);
  const fromNumber = numberOf(from);
  const fromLabel = fromNumber ? `Version ${fromNumber}` : 'This version';
  const toLabel = against === DRAFT ? 'Draft' : `Version ${numberOf(against) ?? '?'}`;

  return (
    <div className="versions-tab">
      {notice && (
        <div ref={noticeRef} tabIndex={-1} className={notice.kind === 'ok' ? 'success-note' : 'notice'} role="status" data-testid="versions-notice">
          <p>{notice.text}</p>
        </div>
      )}

      {canWrite ? (
        <section className="card publish-card" aria-labelledby={`${noteId}-h`}>
          <h2 id={`${noteId}-h`}>Publish the draft</h2>
          <p className="muted">
            {liveNumber ? `Version ${liveNumber} is live now. ` : 'Nothing is live yet. '}
            Publishing freezes the current draft as version {nextNumber} and makes it live at once: new voice calls and chats use it.
            {!blocked && ' Review what changes below first.'}
          </p>
          <div className="publish-row">
            <div className="field grow">
              <label htmlFor={noteId}>Note</label>
              <input
                id={noteId}
                type="text"
                value={note}
                maxLength={500}
                placeholder="What changed, e.g. New holiday hours"
                aria-describedby={`${noteId}-hint`}
                onChange={(e) => setNote(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && !blocked && !publishing) void publish();
                }}
              />
              <p id={`${noteId}-hint`} className="hint">
                Optional, for the history ({500 - note.length} characters left).
              </p>
            </div>
            <button type="button" onClick={() => void publish()} disabled={!!blocked || publishing} aria-describedby={blocked ? `${noteId}-why` : undefined}>
              {publishing ? 'Publishing…' : 'Publish'}
            </button>
          </div>
          {blocked && (
            <p id={`${noteId}-why`} className="hint publish-why" data-testid="publish-blocked">
              {blocked}
            </p>
          )}
          <ErrorNote error={publishError} prefix="Not published" />
        </section>
      ) : (
        <p className="muted small">Your key can look at versions but not publish or roll back (that needs the agents:write scope).</p>
      )}

      <section aria-labelledby={`${noteId}-list`}>
        <h2 id={`${noteId}-list`}>Versions</h2>
        {listError ? (
          <>
            <ErrorNote error={listError} prefix="The versions could not be loaded" />
            <button type="button" className="secondary small" onClick={() => setReloadKey((k) => k + 1)}>
              Try again
            </button>
          </>
        ) : null}
        {versions === null && !listError && <p role="status">Loading versions…</p>}
        {versions !== null && versions.length === 0 && (
          <p className="empty card">No versions yet. {canWrite ? 'Publish the draft to create version 1.' : 'A key with agents:write can publish the draft as version 1.'}</p>
        )}
        {versions !== null && versions.length > 0 && (
          <div className="table-wrap" ref={tableRef}>
            <table className="versions-table">
              <caption className="sr-only">Published versions, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Note</th>
                  <th scope="col">Published</th>
                  <th scope="col">By</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => {
                  const isLive = v.id === liveId;
                  return (
                    <tr key={v.id} className={isLive ? 'is-live' : undefined} data-version={v.number}>
                      <th scope="row">
                        <span className="version-number">{v.number}</span>
                        {isLive && <span className="badge published">Live</span>}
                      </th>
                      <td className="version-note">{v.note ? v.note : <span className="muted">No note</span>}</td>
                      <td>
                        <time dateTime={v.publishedAt}>{formatInstant(v.publishedAt)}</time>
                      </td>
                      <td>
                        {v.publishedBy === null ? (
                          <span className="muted">Unknown</span>
                        ) : v.publishedBy === me.keyId ? (
                          <span title={v.publishedBy}>This key</span>
                        ) : (
                          <code title={v.publishedBy}>{shortId(v.publishedBy)}</code>
                        )}
                      </td>
                      <td>
                        <div className="row-actions">
                          <button type="button" className="secondary small" aria-label={`Compare version ${v.number} with the draft`} onClick={() => compare(v)}>
                            Compare
                          </button>
                          {canWrite && !isLive && (
                            <button type="button" className="secondary small" aria-label={`Roll back to version ${v.number}`} onClick={() => askRollback(v)}>
                              Roll back
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {nextCursor && (
          <div className="pager">
            <button type="button" className="secondary" onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Show older versions'}
            </button>
          </div>
        )}
      </section>

      {versions !== null && versions.length > 0 && from && (
        <section className="card diff-card" aria-labelledby={`${noteId}-diff`}>
          <h2 id={`${noteId}-diff`} ref={diffHeading} tabIndex={-1}>
            What changed
          </h2>
          <div className="toolbar diff-pickers">
            <div className="field">
              <label htmlFor={`${noteId}-from`}>Version</label>
              <select id={`${noteId}-from`} value={from} onChange={(e) => setFromChoice(e.target.value)}>
                {!versions.some((v) => v.id === from) && <option value={from}>{fromLabel}</option>}
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    Version {v.number}
                    {v.id === liveId ? ' (live)' : ''}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${noteId}-against`}>Compared with</label>
              <select id={`${noteId}-against`} value={against} onChange={(e) => setAgainst(e.target.value)}>
                <option value={DRAFT}>The current draft</option>
                {against !== DRAFT && !versions.some((v) => v.id === against) && <option value={against}>{toLabel}</option>}
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    Version {v.number}
                    {v.id === liveId ? ' (live)' : ''}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div data-testid="diff" className="diff-block" aria-busy={diffLoading || undefined}>
            {diffError ? (
              <ErrorNote error={diffError} prefix="The changes could not be loaded" />
            ) : !diff ? (
              <p role="status">Loading changes…</p>
            ) : (
              <>
                <p role="status" className="diff-summary">
                  {diff.changes.length === 0 ? (
                    <span data-testid="diff-unchanged">
                      Unchanged: {fromLabel} and {against === DRAFT ? 'the current draft' : toLabel.toLowerCase()} are identical.
                    </span>
                  ) : (
                    <>
                      {diff.changes.length} {diff.changes.length === 1 ? 'change' : 'changes'} from {fromLabel} to {against === DRAFT ? 'the current draft' : toLabel}.
                    </>
                  )}
                  {against === DRAFT && saving && <span className="muted"> Edits still being saved are not included yet.</span>}
                </p>
                {diff.changes.length > 0 && <DiffList changes={diff.changes} fromLabel={fromLabel} toLabel={toLabel} />}
              </>
            )}
          </div>
        </section>
      )}

      <ConfirmDialog
        open={target !== null}
        title={target ? `Roll back to version ${target.number}?` : 'Roll back?'}
        confirmLabel="Roll back"
        danger
        onConfirm={rollback}
        onClose={() => setTarget(null)}
        focusAfterConfirm={() => noticeRef.current ?? tableRef.current?.querySelector('button') ?? null}
      >
        {target && <RollbackText target={target} liveNumber={liveNumber} targetDiff={targetDiff} />}
      </ConfirmDialog>
    </div>
  );
}

function RollbackText({ target, liveNumber, targetDiff }: { target: AgentVersion; liveNumber: number | undefined; targetDiff: Diff | null }) {
  const n = target.number;
  return (
    <>
      <p>
        Version {n}
        {target.note ? ` (“${target.note}”)` : ''} becomes the live version at once: every new voice call and chat uses it
        {liveNumber ? `, instead of version ${liveNumber}` : ''}. No new version is created{liveNumber ? `; version ${liveNumber} stays in the history and you can make it live again later` : ''}.
      </p>
      <p>
        <strong>The draft is not changed.</strong> Your edits stay as they are in Settings.{' '}
        {targetDiff === null
          ? 'If the draft differs from this version, it will show as having unpublished changes.'
          : targetDiff.changes.length === 0
            ? `The draft is the same as version ${n}, so afterwards there is nothing to publish.`
            : `The draft differs from version ${n} in ${targetDiff.changes.length} ${targetDiff.changes.length === 1 ? 'field' : 'fields'}, so afterwards it shows as having unpublished changes; publishing it would make those edits live as a new version.`}
      </p>
    </>
  );
}
