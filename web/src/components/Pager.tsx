import { useCallback, useEffect, useRef, useState } from 'react';

/** One page of a list answer, as the SDK's list calls return it (api.md "Pagination"). */
export interface Page<T> {
  items: T[];
  pagination: { nextCursor: string | null; hasMore: boolean };
}

export interface PagedList<T> {
  items: T[];
  /** the first load has not answered yet */
  loading: boolean;
  error: unknown;
  /** 1-based page number */
  page: number;
  hasPrev: boolean;
  hasNext: boolean;
  next(): void;
  prev(): void;
  /** load the current page again (after a change) */
  reload(): void;
  /** back to the first page, loaded again (e.g. after adding an item: lists are newest first) */
  first(): void;
}

/**
 * A cursor-paginated list. `filterKey` names everything `load` depends on (e.g. the filters as
 * JSON): when it changes, paging starts again from the first page (a cursor is bound to the
 * filters it was issued for). Previous pages are a stack of the cursors that led to them.
 */
export function usePagedList<T>(load: (cursor: string | undefined) => Promise<Page<T>>, filterKey: string): PagedList<T> {
  const [cursors, setCursors] = useState<{ key: string; stack: string[] }>({ key: filterKey, stack: [] });
  const stack = cursors.key === filterKey ? cursors.stack : [];
  const cursor = stack.at(-1);
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<{ page: Page<T> | null; error: unknown; loading: boolean }>({ page: null, error: null, loading: true });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, error: null, loading: true }));
    loadRef.current(cursor).then(
      (page) => live && setState({ page, error: null, loading: false }),
      (error: unknown) => live && setState({ page: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [filterKey, cursor, tick]);

  const nextCursor = state.page?.pagination.hasMore ? state.page.pagination.nextCursor : null;
  const next = useCallback(() => {
    if (nextCursor) setCursors({ key: filterKey, stack: [...stack, nextCursor] });
  }, [filterKey, stack, nextCursor]);
  const prev = useCallback(() => setCursors({ key: filterKey, stack: stack.slice(0, -1) }), [filterKey, stack]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const first = useCallback(() => {
    setCursors({ key: filterKey, stack: [] });
    setTick((t) => t + 1);
  }, [filterKey]);

  return {
    items: state.page?.items ?? [],
    loading: state.loading,
    error: state.error,
    page: stack.length + 1,
    hasPrev: stack.length > 0,
    hasNext: nextCursor !== null,
    next,
    prev,
    reload,
    first,
  };
}

/** Previous / Next for a cursor-paginated list; hidden when there is only one page. */
export function Pager({ list, label }: { list: PagedList<unknown>; label: string }) {
  if (!list.hasPrev && !list.hasNext) return null;
  return (
    <nav className="pager" aria-label={label}>
      <span className="muted small" aria-live="polite">
        Page {list.page}
      </span>
      <button type="button" className="secondary" onClick={list.prev} disabled={!list.hasPrev || list.loading}>
        Previous
      </button>
      <button type="button" className="secondary" onClick={list.next} disabled={!list.hasNext || list.loading}>
        Next
      </button>
    </nav>
  );
}
