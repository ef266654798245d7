import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useSessionState } from './session.js';
import { Layout } from './components/Layout.js';
import { SignIn } from './screens/SignIn.js';
import { AgentsList } from './screens/AgentsList.js';
import { AgentPage } from './screens/AgentPage.js';
import { ApiKeys } from './screens/ApiKeys.js';
import { AuditTrail } from './screens/AuditTrail.js';
import { NotFound } from './screens/NotFound.js';

/** Where a sign-in returns to: the page that asked for it. */
function backTo(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('/signin') ? from : '/agents';
}

/** Every screen, explicitly. Signed-out visitors see only the sign-in screen. */
export function App() {
  const { session, restoring } = useSessionState();
  const location = useLocation();
  if (restoring) return <p className="restoring" role="status">Signing in…</p>;
  if (!session) {
    return (
      <Routes>
        <Route path="/signin" element={<SignIn />} />
        <Route path="*" element={<Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />} />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="/" element={<Navigate to="/agents" replace />} />
        <Route path="/signin" element={<Navigate to={backTo(location.state)} replace />} />
        <Route path="/agents" element={<AgentsList />} />
        <Route path="/agents/:id/*" element={<AgentPage />} />
        <Route path="/keys" element={<ApiKeys />} />
        <Route path="/audit" element={<AuditTrail />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
