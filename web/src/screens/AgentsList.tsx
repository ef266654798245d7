import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Agent, AgentListQuery } from 'flowyte/client';
import { useSession } from '../session.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { Pager, usePagedList } from '../components/Pager.js';
import { ConfirmDialog } from '../components/Dialog.js';
import { CreateAgentForm } from './list/CreateAgentForm.js';
import { LocalTime } from './list/LocalTime.js';

const PAGE_SIZE = 20;
const SEARCH_DEBOUNCE_MS = 300;

type StatusFilter = NonNullable<AgentListQuery['status']>;
const STATUS_FILTERS = ['draft', 'published'] as const satisfies readonly StatusFilter[];
type ActiveFilter = '' | 'true' | 'false';

/** The organization's agents: search, filters, pages, create and delete (scope-adaptive). */
export function AgentsList() {
  const { can } = useSession();
  if (!can('agents:read')) {
    return (
      <section>
        <h1>Agents</h1>
        <p>This key cannot read agents (it lacks the scope <code>agents:read</code>).</p>
      </section>
    );
  }
  return <Agents />;
}

function Agents() {
  const { client, can } = useSession();
  const id = useId();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<'' | StatusFilter>('');
  const [active, setActive] = useState<ActiveFilter>('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [target, setTarget] = useState<Agent | null>(null);
  const [announce, setAnnounce] = useState('');

  // the search box asks once typing pauses
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text]);

  const query: AgentListQuery = {
    limit: PAGE_SIZE,
    ...(q ? { q } : {}),
    ...(status ? { status } : {}),
    ...(active ? { isActive: active === 'true' } : {}),
  };
  const list = usePagedList<Agent>((cursor) => client.listAgents({ ...query, ...(cursor ? { cursor } : {}) }), JSON.stringify(query));
  const filtered = q !== '' || status !== '' || active !== '';

  async function remove(agent: Agent) {
    await client.deleteAgent(agent.id);
    setAnnounce(`Deleted ${agent.name}.`);
    // the last row of a later page: show the page before it
    if (list.items.length === 1 && list.hasPrev) list.prev();
    else list.reload();
  }

  return (
    <section>
      <div className="page-head">
        <h1 ref={headingRef} tabIndex={-1}>Agents</h1>
      </div>
      {can('agents:draft') && <CreateAgentForm />}

      <div className="toolbar" role="search" aria-label="Filter agents">
        <div className="field" style={{ flex: '1 1 14rem' }}>
          <label htmlFor={`${id}-q`}>Search by name</label>
          <input id={`${id}-q`} type="search" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as '' | StatusFilter)}>
            <option value="">All</option>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {s === 'draft' ? 'Draft' : 'Published'}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-active`}>Active</label>
          <select id={`${id}-active`} value={active} onChange={(e) => setActive(e.target.value as ActiveFilter)}>
            <option value="">All</option>
            <option value="true">Active</option>
            <option value="false">Inactive</option>
          </select>
        </div>
      </div>

      <p className="sr-only" role="status">
        {announce}
      </p>
      <ErrorNote error={list.error} prefix="Could not load the agents" />

      {list.loading && list.items.length === 0 ? (
        <p role="status">Loading…</p>
      ) : list.error ? null : list.items.length === 0 ? (
        <div className="card empty" data-testid="agents-empty">
          {filtered ? (
            <p>No agents match these filters.</p>
          ) : (
            <>
              <p>There are no agents yet.</p>
              {can('agents:draft') && <p className="small">Create the first one with the form above.</p>}
            </>
          )}
        </div>
      ) : (
        <div className="table-wrap" style={{ position: 'relative' }} aria-busy={list.loading || undefined}>
          <table data-testid="agents-table">
            <caption className="sr-only">Agents{list.page > 1 ? `, page ${list.page}` : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Active</th>
                <th scope="col">Updated</th>
                {can('agents:write') && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {list.items.map((a) => (
                <tr key={a.id} data-agent-id={a.id}>
                  <td style={{ minWidth: '9rem' }}>
                    <Link to={`/agents/${a.id}`}>{a.name}</Link>
                  </td>
                  <td>
                    <span className="badges">
                      <span className={`badge ${a.status}`}>{a.status === 'published' ? 'Published' : 'Draft'}</span>
                      {a.status === 'published' && a.hasUnpublishedChanges && <span className="badge warn">Unpublished changes</span>}
                    </span>
                  </td>
                  <td>{a.isActive ? <span className="badge ok">Active</span> : <span className="badge">Inactive</span>}</td>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    <LocalTime iso={a.updatedAt} />
                  </td>
                  {can('agents:write') && (
                    <td>
                      <button type="button" className="secondary danger small" aria-label={`Delete ${a.name}`} onClick={() => setTarget(a)}>
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager list={list} label="Agents pages" />

      <ConfirmDialog
        open={target !== null}
        title={target ? `Delete ${target.name}` : ''}
        confirmLabel="Delete"
        onConfirm={() => remove(target!)}
        onClose={() => setTarget(null)}
        focusAfterConfirm={() => headingRef.current}
      >
        <p>
          The agent disappears from the list, its live configuration stops answering and its name becomes free again. This cannot be
          undone from the dashboard.
        </p>
      </ConfirmDialog>
    </section>
  );
}
