import type { Queryable, Tx } from '../db.js';
import { andFilters } from './filters.js';

export interface ApiKeyRow {
  id: string;
  organizationId: string;
  name: string;
  scopes: string[];
  start: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

// user text comes back as jsonb: see src/storage/README.md ("A leading U+FEFF")
const COLS = `id, organization_id AS "organizationId", to_jsonb(name) AS name, scopes, start, created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

export async function insertApiKey(q: Tx, orgId: string, row: Omit<ApiKeyRow, 'organizationId' | 'lastUsedAt' | 'revokedAt'> & { hash: string }): Promise<void> {
  await q.query(
    'INSERT INTO api_keys (id, organization_id, name, scopes, start, key_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [row.id, orgId, row.name, row.scopes, row.start, row.hash, row.createdAt],
  );
}

/** The authentication lookup: the hash is the only way in, so it is not scoped by organization. */
export async function findApiKeyByHash(q: Queryable, hash: string): Promise<ApiKeyRow | null> {
  const rows = await q.query<ApiKeyRow>(`SELECT ${COLS} FROM api_keys WHERE key_hash = $1`, [hash]);
  return rows[0] ?? null;
}

export async function listApiKeys(q: Queryable, orgId: string, opts: { limit: number; beforeId?: string }): Promise<ApiKeyRow[]> {
  const w = andFilters(2, [['id < ?', opts.beforeId]]);
  return q.query<ApiKeyRow>(
    `SELECT ${COLS} FROM api_keys WHERE organization_id = $1${w.sql} ORDER BY id DESC LIMIT $${w.params.length + 2}`,
    [orgId, ...w.params, opts.limit],
  );
}

/** Revokes an active key; null when there is no such active key in this organization. */
export async function revokeApiKey(q: Tx, orgId: string, id: string, at: Date): Promise<ApiKeyRow | null> {
  const rows = await q.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = $3 WHERE organization_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING ${COLS}`,
    [orgId, id, at],
  );
  return rows[0] ?? null;
}

/** Used by the CLI, which names a key by id alone. */
export async function findApiKeyOrg(q: Queryable, id: string): Promise<string | null> {
  const rows = await q.query<{ organizationId: string }>('SELECT organization_id AS "organizationId" FROM api_keys WHERE id = $1', [id]);
  return rows[0]?.organizationId ?? null;
}

export async function touchApiKey(q: Queryable, orgId: string, id: string, at: Date): Promise<void> {
  await q.query('UPDATE api_keys SET last_used_at = $3 WHERE organization_id = $1 AND id = $2', [orgId, id, at]);
}
