import { useRef, useState } from 'react';
import type { ApiKey } from 'flowyte/client';
import { useSession } from '../session.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { Pager, usePagedList } from '../components/Pager.js';
import { ConfirmDialog } from '../components/Dialog.js';
import { LocalTime } from './list/LocalTime.js';
import { MintKeyForm } from './keys/MintKeyForm.js';
import './keys/keys.css';

const PAGE_SIZE = 20;

/** The organization's API keys (never their secrets): list, mint and revoke (with keys:write). */
export function ApiKeys() {
  const { can } = useSession();
  if (!can('keys:read')) {
    return (
      <section>
        <h1>API keys</h1>
        <p>This key cannot list API keys (it lacks the scope <code>keys:read</code>).</p>
      </section>
    );
  }
  return <Keys />;
}

function Keys() {
  const { client, can, me, signOut } = useSession();
  const canWrite = can('keys:write');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [target, setTarget] = useState<ApiKey | null>(null);
  const [announce, setAnnounce] = useState('');
  const list = usePagedList<ApiKey>((cursor) => client.listApiKeys({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }), 'keys');
  const revokingSelf = target?.id === me.keyId;

  async function revoke(key: ApiKey) {
    await client.revokeApiKey(key.id);
    if (key.id === me.keyId) {
      signOut(); // this tab's key no longer works
      return;
    }
    setAnnounce(`Revoked ${key.name}.`);
    list.reload();
  }


  return (
    <section>
      <div className="page-head">
        <h1 ref={headingRef} tabIndex={-1}>API keys</h1>
      </div>
      {canWrite && <MintKeyForm onMinted={list.first} />}

      <p className="sr-only" role="status">
        {announce}
      </p>
      <ErrorNote error={list.error} prefix="Could not load the keys" />
      {list.loading && list.items.length === 0 ? (
        <p role="status">Loading…</p>
      ) : list.error ? null : list.items.length === 0 ? (
        <div className="card empty">
          <p>There are no API keys.</p>
        </div>
      ) : (
        <div className="table-wrap" style={{ position: 'relative' }} aria-busy={list.loading || undefined}>
          <table data-testid="keys-table">
            <caption className="sr-only">API keys{list.page > 1 ? `, page ${list.page}` : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                {canWrite && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {list.items.map((k) => (
                <tr key={k.id} data-key-id={k.id}>
                  <td>
                    {k.name}
                    {k.id === me.keyId && (
                      <>
                        {' '}
                        <span className="badge draft">This key</span>
                      </>
                    )}
                  </td>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    <code>{k.start}…</code>
                  </td>
                  <td>
                    <span className="scope-list">
                      {k.scopes.map((s) => (
                        <code key={s} className="badge">
                          {s}
                        </code>
                      ))}
                    </span>
                  </td>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    <LocalTime iso={k.createdAt} />
                  </td>
                  <td style={{ whiteSpace: 'nowrap' }}>{k.lastUsedAt ? <LocalTime iso={k.lastUsedAt} /> : <span className="muted">Never</span>}</td>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    {k.revokedAt ? (
                      <span className="badge revoked" title={k.revokedAt}>
                        Revoked <LocalTime iso={k.revokedAt} />
                      </span>
                    ) : (
                      <span className="badge ok">Active</span>
                    )}
                  </td>
                  {canWrite && (
                    <td>
                      {!k.revokedAt && (
                        <button type="button" className="secondary danger small" aria-label={`Revoke ${k.name}`} onClick={() => setTarget(k)}>
                          Revoke
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager list={list} label="API key pages" />

      <ConfirmDialog
        open={target !== null}
        title={target ? `Revoke ${target.name}` : ''}
        confirmLabel="Revoke"
        onConfirm={() => revoke(target!)}
        onClose={() => setTarget(null)}
        focusAfterConfirm={() => headingRef.current}
      >
        <p>Every request made with this key is refused from now on. This cannot be undone.</p>
        {revokingSelf && (
          <div className="notice" data-testid="revoke-self-warning">
            <p>
              <strong>This is the key you are signed in with.</strong> Revoking it signs you out of the dashboard at once.
            </p>
          </div>
        )}
      </ConfirmDialog>
    </section>
  );
}
