import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Agent } from 'flowyte/client';
import { DraftStore, type DraftSnapshot, type EditableField } from './draft-store.js';
import { useSession } from '../session.js';

export interface Editor {
  store: DraftStore;
  snap: DraftSnapshot;
  /** the key may edit drafts (`agents:draft`) */
  canEdit: boolean;
  /** shorthand for store.set */
  set<K extends EditableField>(field: K, value: Agent[K]): void;
}

const Ctx = createContext<Editor | null>(null);

/** How often an open editor re-reads its agent (a GET; cheap, and only while the tab is visible). */
const REFRESH_MS = 15_000;

/**
 * One DraftStore per open agent, shared by every tab of the agent page (settings, hours,
 * versions, live preview), so an edit in one is seen by all. Saves before the tab closes, re-reads
 * the agent every 15 s and when the window regains focus, retries at once when back online.
 */
export function EditorProvider({ agent, children }: { agent: Agent; children: ReactNode }) {
  const { client, can } = useSession();
  const [store] = useState(() => new DraftStore(client, agent));
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);

  useEffect(() => {
    const online = () => store.retryNow();
    const focus = () => void store.refresh();
    const visible = () => {
      if (document.visibilityState === 'visible') void store.refresh();
    };
    // someone else's save shows up within REFRESH_MS even if this window never loses focus
    const poll = window.setInterval(() => {
      if (document.visibilityState === 'visible') void store.refresh();
    }, REFRESH_MS);
    const leave = (e: BeforeUnloadEvent) => {
      if (!store.dirty) return;
      void store.flush();
      e.preventDefault();
    };
    window.addEventListener('online', online);
    window.addEventListener('focus', focus);
    window.addEventListener('beforeunload', leave);
    document.addEventListener('visibilitychange', visible);
    return () => {
      window.clearInterval(poll);
      document.removeEventListener('visibilitychange', visible);
      window.removeEventListener('online', online);
      window.removeEventListener('focus', focus);
      window.removeEventListener('beforeunload', leave);
      void store.flush();
    };
  }, [store]);

  const editor: Editor = { store, snap, canEdit: can('agents:draft') && !snap.gone, set: (f, v) => store.set(f, v) };
  return <Ctx.Provider value={editor}>{children}</Ctx.Provider>;
}

export function useEditor(): Editor {
  const e = useContext(Ctx);
  if (!e) throw new Error('useEditor outside EditorProvider');
  return e;
}
