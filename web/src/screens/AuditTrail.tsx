import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { AuditQuery, FlowyteClient } from 'flowyte/client';
import { useSession } from '../session.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { Pager, usePagedList } from '../components/Pager.js';
import { AuditFilters, isAuditAction, type AuditFilterValues } from './audit/AuditFilters.js';
import { AuditTable, type AuditEvent } from './audit/AuditTable.js';

const PAGE_SIZE = 25;
/** how many agents / keys are fetched to name the select's options and the table's ids */
const LOOKUP_PAGES = 3;

/** The organization's audit trail, newest first; filters live in the URL (`?resourceId=agt_…&action=…`). */
export function AuditTrail() {
  const { can } = useSession();
  if (!can('audit:read')) {
    return (
      <section>
        <h1>Audit trail</h1>
        <p>This key cannot read the audit trail (it lacks the scope <code>audit:read</code>).</p>
      </section>
    );
  }
  return <Audit />;
}

function Audit() {
  const { client, can, me } = useSession();
  const [params, setParams] = useSearchParams();
  const filters: AuditFilterValues = {
    resourceId: params.get('resourceId')?.trim() ?? '',
    action: isAuditAction(params.get('action')) ? (params.get('action') as AuditFilterValues['action']) : '',
  };
  const query: AuditQuery = {
    limit: PAGE_SIZE,
    ...(filters.resourceId ? { resourceId: filters.resourceId } : {}),
    ...(filters.action ? { action: filters.action } : {}),
  };
  const list = usePagedList<AuditEvent>((cursor) => client.listAuditEvents({ ...query, ...(cursor ? { cursor } : {}) }), JSON.stringify(query));

  const agents = useLookup(can('agents:read') ? client : null, loadAgents);
  const keys = useLookup(can('keys:read') ? client : null, loadKeys);
  const agentNames = new Map((agents ?? []).map((a) => [a.id, a.name]));
  const keyNames = new Map((keys ?? []).map((k) => [k.id, k.name]));

  function setFilters(v: AuditFilterValues) {
    const next = new URLSearchParams(params);
    for (const [k, val] of Object.entries(v)) {
      if (val) next.set(k, val);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  }

  const filtered = filters.resourceId !== '' || filters.action !== '';
  const subject = filters.resourceId ? (agentNames.get(filters.resourceId) ?? keyNames.get(filters.resourceId) ?? filters.resourceId) : null;

  return (
    <section>
      <div className="page-head">
        <h1>Audit trail</h1>
      </div>
      <p className="muted">Every change to agents and API keys, newest first.</p>
      <AuditFilters value={filters} onChange={setFilters} agents={can('agents:read') ? (agents ?? []) : null} />

      <ErrorNote error={list.error} prefix="Could not load the audit trail" />
      {list.loading && list.items.length === 0 ? (
        <p role="status">Loading…</p>
      ) : list.error ? null : list.items.length === 0 ? (
        <div className="card empty" data-testid="audit-empty">
          <p>{filtered ? 'No events match these filters.' : 'Nothing has been recorded yet.'}</p>
        </div>
      ) : (
        <div className="table-wrap" style={{ position: 'relative' }} aria-busy={list.loading || undefined}>
          <AuditTable
            events={list.items}
            agentNames={agentNames}
            keyNames={keyNames}
            myKeyId={me.keyId}
            caption={`Audit events${subject ? ` of ${subject}` : ''}${list.page > 1 ? `, page ${list.page}` : ''}`}
          />
        </div>
      )}
      <Pager list={list} label="Audit trail pages" />
    </section>
  );
}

type Named = { id: string; name: string };

/** The first pages of a list, to put names on ids; null until loaded (or when not allowed). Failures only cost the names. */
function useLookup(client: FlowyteClient | null, load: (c: FlowyteClient) => Promise<Named[]>): Named[] | null {
  const [items, setItems] = useState<Named[] | null>(null);
  useEffect(() => {
    if (!client) return;
    let live = true;
    load(client).then(
      (v) => live && setItems(v),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, [client, load]);
  return items;
}

async function loadAgents(client: FlowyteClient): Promise<Named[]> {
  const out: Named[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < LOOKUP_PAGES; i++) {
    const page = await client.listAgents({ limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items.map((a) => ({ id: a.id, name: a.name })));
    if (!page.pagination.hasMore || !page.pagination.nextCursor) break;
    cursor = page.pagination.nextCursor;
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function loadKeys(client: FlowyteClient): Promise<Named[]> {
  const out: Named[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < LOOKUP_PAGES; i++) {
    const page = await client.listApiKeys({ limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items.map((k) => ({ id: k.id, name: k.name })));
    if (!page.pagination.hasMore || !page.pagination.nextCursor) break;
    cursor = page.pagination.nextCursor;
  }
  return out;
}
