import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createClient, FlowyteError, type FlowyteClient, type Me } from 'flowyte/client';

/** The signed-in key: kept in sessionStorage only (gone when the tab closes), never in localStorage. */
const STORAGE_KEY = 'flowyte.apiKey';

export type Scope = Me['effectiveScopes'][number];

export interface Session {
  client: FlowyteClient;
  me: Me;
  /** whether the key holds `scope`, implied scopes included */
  can(scope: Scope): boolean;
  signOut(): void;
}

interface SessionState {
  session: Session | null;
  /** the key stored in this tab, still being checked */
  restoring: boolean;
  signIn(apiKey: string): Promise<void>;
}

const Ctx = createContext<SessionState | null>(null);

function clientFor(apiKey: string): FlowyteClient {
  return createClient({ baseUrl: window.location.origin, apiKey });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(() => sessionStorage.getItem(STORAGE_KEY) !== null);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setSession(null);
  }, []);

  const open = useCallback(
    async (apiKey: string) => {
      const client = clientFor(apiKey);
      const me = await client.me();
      const scopes = new Set(me.effectiveScopes);
      sessionStorage.setItem(STORAGE_KEY, apiKey);
      setSession({ client, me, can: (s) => scopes.has(s), signOut });
    },
    [signOut],
  );

  // a reload keeps the tab signed in: check the stored key once
  useEffect(() => {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (stored === null) return;
    open(stored)
      .catch((err) => {
        // a revoked or unknown key signs out; a network failure keeps the key for the next try
        if (err instanceof FlowyteError && err.status === 401) sessionStorage.removeItem(STORAGE_KEY);
      })
      .finally(() => setRestoring(false));
  }, [open]);

  const value = useMemo(() => ({ session, restoring, signIn: open }), [session, restoring, open]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSessionState(): SessionState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSessionState outside SessionProvider');
  return v;
}

/** The session of a signed-in screen (the router only renders those with one). */
export function useSession(): Session {
  const s = useSessionState().session;
  if (!s) throw new Error('useSession without a session');
  return s;
}
