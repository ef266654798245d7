import { useEffect } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useSession } from '../session.js';

/** The signed-in frame: skip link, header with navigation and the key's identity, main region. */
export function Layout() {
  const { me, can, signOut } = useSession();
  // after signing in the form is gone: start keyboard users at the content, not the page's top
  useEffect(() => {
    if (document.activeElement === document.body) document.getElementById('main')?.focus();
  }, []);
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand" aria-label="Flowyte Agents">Flowyte<span className="brand-accent"> Agents</span></span>
        <nav aria-label="Main">
          <ul>
            <li><NavLink to="/agents">Agents</NavLink></li>
            {can('keys:read') && <li><NavLink to="/keys">API keys</NavLink></li>}
            {can('audit:read') && <li><NavLink to="/audit">Audit trail</NavLink></li>}
          </ul>
        </nav>
        <div className="identity">
          <span className="muted small" title={me.effectiveScopes.join(', ')}>
            Key <code>{me.keyId.slice(0, 12)}…</code>
          </span>
          <button type="button" className="secondary" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
