import { useEffect, useState } from 'react';
import { Link, NavLink, Route, Routes, useParams } from 'react-router';
import { FlowyteError, type Agent } from 'flowyte/client';
import { useSession } from '../session.js';
import { EditorProvider, useEditor } from '../editor/editor-context.js';
import { SaveStatus } from '../editor/SaveStatus.js';
import { SettingsTab } from '../editor/SettingsTab.js';
import { HoursTab } from './hours/HoursTab.js';
import { VersionsTab } from './versions/VersionsTab.js';
import { LiveTab } from './live/LiveTab.js';
import { ErrorNote } from '../components/ErrorNote.js';

/** One agent: its editor (settings, business hours), versions and live preview, as tabs. */
export function AgentPage() {
  const { id = '' } = useParams();
  const { client } = useSession();
  const [agent, setAgent] = useState<Agent | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setAgent(null);
    setError(null);
    client.getAgent(id).then((a) => live && setAgent(a), (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [client, id]);
  if (error) {
    return (
      <section>
        <h1>Agent</h1>
        {error instanceof FlowyteError && error.status === 404 ? <p>No such agent. <Link to="/agents">Back to the agents</Link>.</p> : <ErrorNote error={error} />}
      </section>
    );
  }
  if (!agent) return <p role="status">Loading…</p>;
  return (
    <EditorProvider key={agent.id} agent={agent}>
      <AgentFrame />
    </EditorProvider>
  );
}

function AgentFrame() {
  const { snap } = useEditor();
  const { can } = useSession();
  const a = snap.draft;
  return (
    <section className="agent-page">
      <div className="agent-head">
        <div>
          <p className="crumbs">
            <Link to="/agents">Agents</Link> /
          </p>
          <h1>{snap.base.name}</h1>
          <p className="badges">
            <span className={`badge ${a.status}`}>{a.status === 'published' ? 'Published' : 'Draft only'}</span>
            {a.status === 'published' && snap.base.hasUnpublishedChanges && <span className="badge warn">Unpublished changes</span>}
            {!a.isActive && <span className="badge muted">Inactive</span>}
            <span className="muted small">version {snap.base.version}</span>
            {can('audit:read') && (
              <Link className="small" to={`/audit?resourceId=${encodeURIComponent(a.id)}`}>
                History
              </Link>
            )}
          </p>
        </div>
        <SaveStatus />
      </div>
      <nav className="tabs" aria-label="Agent">
        <NavLink to={`/agents/${a.id}`} end>Settings</NavLink>
        <NavLink to={`/agents/${a.id}/hours`}>Business hours</NavLink>
        <NavLink to={`/agents/${a.id}/versions`}>Versions</NavLink>
        <NavLink to={`/agents/${a.id}/live`}>Live preview</NavLink>
      </nav>
      <Routes>
        <Route index element={<SettingsTab />} />
        <Route path="hours" element={<HoursTab />} />
        <Route path="versions" element={<VersionsTab />} />
        <Route path="live" element={<LiveTab />} />
      </Routes>
    </section>
  );
}
