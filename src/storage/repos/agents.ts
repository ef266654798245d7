import type { Queryable } from '../db.js';

export interface AgentRow {
  id: string;
  organizationId: string;
  version: number;
  status: 'draft' | 'published';
  hasUnpublishedChanges: boolean;
  publishedVersionId: string | null;
  isActive: boolean;
  config: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const COLS = `id, organization_id AS "organizationId", version, status, has_unpublished_changes AS "hasUnpublishedChanges",
  published_version_id AS "publishedVersionId", is_active AS "isActive", config, created_by AS "createdBy",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Postgres unique-violation on the live-name index. */
export function isDuplicateName(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && (e.constraint === 'agents_live_name' || /agents_live_name/.test(e.message ?? ''));
}

export async function insertAgent(q: Queryable, orgId: string, row: Omit<AgentRow, 'organizationId'> & { nameKey: string }): Promise<AgentRow> {
  const rows = await q.query<AgentRow>(
    `INSERT INTO agents (id, organization_id, name_key, version, status, has_unpublished_changes, published_version_id,
       is_active, config, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLS}`,
    [row.id, orgId, row.nameKey, row.version, row.status, row.hasUnpublishedChanges, row.publishedVersionId,
      row.isActive, JSON.stringify(row.config), row.createdBy, row.createdAt, row.updatedAt],
  );
  return rows[0]!;
}

/** A live (not deleted) agent of this organization; `lock` takes the row lock for a write. */
export async function getAgent(q: Queryable, orgId: string, id: string, lock = false): Promise<AgentRow | null> {
  const rows = await q.query<AgentRow>(
    `SELECT ${COLS} FROM agents WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    [orgId, id],
  );
  return rows[0] ?? null;
}

export interface AgentListFilter {
  status?: 'draft' | 'published';
  isActive?: boolean;
  /** already trimmed and name-keyed; matched literally as a substring */
  nameContains?: string;
}

export async function listAgents(q: Queryable, orgId: string, f: AgentListFilter & { limit: number; beforeId?: string }): Promise<AgentRow[]> {
  return q.query<AgentRow>(
    `SELECT ${COLS} FROM agents
     WHERE organization_id = $1 AND deleted_at IS NULL
       AND ($2::text IS NULL OR id < $2)
       AND ($3::text IS NULL OR status = $3)
       AND ($4::boolean IS NULL OR is_active = $4)
       AND ($5::text IS NULL OR strpos(name_key, $5) > 0)
     ORDER BY id DESC LIMIT $6`,
    [orgId, f.beforeId ?? null, f.status ?? null, f.isActive ?? null, f.nameContains ?? null, f.limit],
  );
}

/** Writes a new state; the caller holds the row lock and has checked the version. */
export async function updateAgent(
  q: Queryable,
  orgId: string,
  id: string,
  next: { version: number; nameKey: string; isActive: boolean; hasUnpublishedChanges: boolean; config: Record<string, unknown>; updatedAt: Date },
): Promise<AgentRow> {
  const rows = await q.query<AgentRow>(
    `UPDATE agents SET version = $3, name_key = $4, is_active = $5, has_unpublished_changes = $6, config = $7, updated_at = $8
     WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${COLS}`,
    [orgId, id, next.version, next.nameKey, next.isActive, next.hasUnpublishedChanges, JSON.stringify(next.config), next.updatedAt],
  );
  if (!rows[0]) throw new Error('agent row vanished under its lock');
  return rows[0];
}

export async function softDeleteAgent(q: Queryable, orgId: string, id: string, at: Date): Promise<void> {
  await q.query('UPDATE agents SET deleted_at = $3 WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL', [orgId, id, at]);
}
