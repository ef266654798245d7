import { useState, type FormEvent } from 'react';
import { FlowyteError } from 'flowyte/client';
import { useSessionState } from '../session.js';

export function SignIn() {
  const { signIn } = useSessionState();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // signed in, the app's /signin route returns to the page that asked (App.tsx)
      await signIn(key.trim());
    } catch (err) {
      setError(
        err instanceof FlowyteError && err.status === 401
          ? 'This key is not valid (unknown, revoked or mistyped).'
          : `Could not sign in: ${(err as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="signin">
      <form onSubmit={submit} className="card signin-card" aria-describedby="signin-help">
        <h1>
          Flowyte<span className="brand-accent"> Agents</span>
        </h1>
        <p id="signin-help" className="muted">
          Sign in with an API key. The first key of a new installation is printed by <code>npm start</code> and saved in{' '}
          <code>.flowyte/bootstrap-key</code>. The key stays in this tab only and is forgotten when you close it.
        </p>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="flowyte_sk_live_…"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'signin-error' : undefined}
          required
        />
        {error && (
          <p id="signin-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
