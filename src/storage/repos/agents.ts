import type { Db, Queryable, Tx } from '../db.js';
import type { ChangeEvent } from '../../events/change-event.js';
import { andFilters } from './filters.js';
import { AUDIT_INSERT_COLUMNS } from './audit-events.js';
import { claimCtes, type IdempotencyClaim } from './idempotency.js';

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

export async function insertAgent(q: Tx, orgId: string, row: Omit<AgentRow, 'organizationId'> & { nameKey: string }): Promise<AgentRow> {
  const rows = await q.query<AgentRow>(
    `INSERT INTO agents (id, organization_id, name_key, version, status, has_unpublished_changes, published_version_id,
       is_active, config, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLS}`,
    [row.id, orgId, row.nameKey, row.version, row.status, row.hasUnpublishedChanges, row.publishedVersionId,
      row.isActive, JSON.stringify(row.config), row.createdBy, row.createdAt, row.updatedAt],
  );
  return rows[0]!;
}

/**
 * A new agent, its audit row and (with a claim) its idempotency record in one statement (one
 * round trip, its own transaction). `done`; or nothing written because `busy` (another process
 * holds the key's lock) or `exists` (the key has a record). A taken name throws (unique index).
 */
export async function insertAgentAtOnce(
  db: Db,
  orgId: string,
  row: Omit<AgentRow, 'organizationId'> & { nameKey: string },
  audit: StatementAudit,
  claim: IdempotencyClaim | null,
): Promise<'done' | 'busy' | 'exists'> {
  const params: unknown[] = [row.id, orgId, row.nameKey, row.version, row.status, row.hasUnpublishedChanges, row.publishedVersionId,
    row.isActive, JSON.stringify(row.config), row.createdBy, row.createdAt, row.updatedAt,
    audit.id, audit.actorKeyId, audit.requestId, audit.action, audit.changedFields];
  const gate = claim ? claimCtes(claim, '$2', params.length + 1) : null;
  if (gate) params.push(...gate.params);
  const rows = await db.commitStatement<{ created: boolean; locked: boolean | null }>(
    `WITH ${gate?.sql ?? ''}
     a AS (
       INSERT INTO agents (id, organization_id, name_key, version, status, has_unpublished_changes, published_version_id,
         is_active, config, created_by, created_at, updated_at)
       SELECT $1, $2, $3, $4::int, $5, $6::boolean, $7, $8::boolean, $9::jsonb, $10, $11::timestamptz, $12::timestamptz
       ${gate ? 'WHERE EXISTS (SELECT 1 FROM claim)' : ''}
       RETURNING id
     ), e AS (
       INSERT INTO audit_events (${AUDIT_INSERT_COLUMNS})
       SELECT $13, $2, $11::timestamptz, $14, $15, $16, 'agent', a.id, NULL, $4::int, $17::text[] FROM a
     )
     SELECT EXISTS (SELECT 1 FROM a) AS created, ${claim?.lock ? '(SELECT ok FROM lock)' : 'NULL::boolean'} AS locked`,
    params,
    (r): ChangeEvent[] => (r[0]?.created ? [{ id: audit.id, organizationId: orgId, action: audit.action, resourceType: 'agent', resourceId: row.id }] : []),
  );
  const r = rows[0]!;
  return r.created ? 'done' : r.locked === false ? 'busy' : 'exists';
}

/** A live (not deleted) agent of this organization. */
export async function getAgent(q: Queryable, orgId: string, id: string): Promise<AgentRow | null> {
  const rows = await q.query<AgentRow>(`SELECT ${COLS} FROM agents WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL`, [orgId, id]);
  return rows[0] ?? null;
}

/** The same, holding the row lock until the transaction ends (every write to an agent takes it first). */
export async function getAgentForUpdate(tx: Tx, orgId: string, id: string): Promise<AgentRow | null> {
  const rows = await tx.query<AgentRow>(
    `SELECT ${COLS} FROM agents WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE`,
    [orgId, id],
  );
  return rows[0] ?? null;
}

/** What the live path needs of an agent: its pointer to the live version and whether it serves. */
export interface AgentPointer {
  isActive: boolean;
  publishedVersionId: string | null;
}

export async function getAgentPointer(q: Queryable, orgId: string, id: string): Promise<AgentPointer | null> {
  const rows = await q.query<AgentPointer>(
    `SELECT is_active AS "isActive", published_version_id AS "publishedVersionId" FROM agents
     WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL`,
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
  const w = andFilters(2, [
    ['id < ?', f.beforeId],
    ['status = ?', f.status],
    ['is_active = ?', f.isActive],
    ['strpos(name_key, ?) > 0', f.nameContains],
  ]);
  return q.query<AgentRow>(
    `SELECT ${COLS} FROM agents WHERE organization_id = $1 AND deleted_at IS NULL${w.sql} ORDER BY id DESC LIMIT $${w.params.length + 2}`,
    [orgId, ...w.params, f.limit],
  );
}

/** Writes a new state; the caller holds the row lock and has checked the version. */
export async function updateAgent(
  tx: Tx,
  orgId: string,
  id: string,
  next: { version: number; nameKey: string; isActive: boolean; hasUnpublishedChanges: boolean; config: Record<string, unknown>; updatedAt: Date },
): Promise<AgentRow> {
  const rows = await tx.query<AgentRow>(
    `UPDATE agents SET version = $3, name_key = $4, is_active = $5, has_unpublished_changes = $6, config = $7, updated_at = $8
     WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${COLS}`,
    [orgId, id, next.version, next.nameKey, next.isActive, next.hasUnpublishedChanges, JSON.stringify(next.config), next.updatedAt],
  );
  if (!rows[0]) throw new Error('agent row vanished under its lock');
  return rows[0];
}

/** The audit row of a single-statement write (the columns its statement does not derive). */
export interface StatementAudit {
  id: string;
  actorKeyId: string | null;
  requestId: string;
  action: string;
  changedFields: string[];
}

/** The columns of a row but its config (a write that knows the config it wrote reads back only these). */
const BOOKKEEPING_COLS = COLS.replace(/\bconfig, /, '');

/**
 * The draft's next state and its audit row in one statement (one round trip, its own
 * transaction), if the agent is still at `expectedVersion`: null when it is not (changed or
 * deleted since it was read). `has_unpublished_changes` is decided against the live version in
 * the same statement (jsonb equality, as deep equality in JS). The config is not read back (the
 * caller wrote it): the row comes without it. The audit row's event is published once the
 * statement has committed.
 */
export async function updateAgentIfVersion(
  db: Db,
  orgId: string,
  id: string,
  expectedVersion: number,
  next: { nameKey: string; isActive: boolean; config: Record<string, unknown>; versioned: Record<string, unknown>; updatedAt: Date },
  audit: StatementAudit,
): Promise<Omit<AgentRow, 'config'> | null> {
  const rows = await db.commitStatement<Omit<AgentRow, 'config'>>(
    `WITH u AS (
       UPDATE agents SET version = version + 1, name_key = $4, is_active = $5, config = $6, updated_at = $7,
         has_unpublished_changes = published_version_id IS NULL OR NOT EXISTS (
           SELECT 1 FROM agent_versions v WHERE v.id = agents.published_version_id AND v.config = $8::jsonb)
       WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL AND version = $3
       RETURNING ${BOOKKEEPING_COLS}
     ), e AS (
       INSERT INTO audit_events (${AUDIT_INSERT_COLUMNS})
       SELECT $9, $1, $7, $10, $11, $12, 'agent', $2, u.version - 1, u.version, $13 FROM u
     )
     SELECT * FROM u`,
    [orgId, id, expectedVersion, next.nameKey, next.isActive, JSON.stringify(next.config), next.updatedAt, JSON.stringify(next.versioned),
      audit.id, audit.actorKeyId, audit.requestId, audit.action, audit.changedFields],
    (r): ChangeEvent[] => (r.length ? [{ id: audit.id, organizationId: orgId, action: audit.action, resourceType: 'agent', resourceId: id }] : []),
  );
  return rows[0] ?? null;
}

/** Points the agent at a live version (publish, rollback); the caller holds the row lock. */
export async function setLiveVersion(
  tx: Tx,
  orgId: string,
  id: string,
  next: { version: number; publishedVersionId: string; hasUnpublishedChanges: boolean; updatedAt: Date },
): Promise<AgentRow> {
  const rows = await tx.query<AgentRow>(
    `UPDATE agents SET version = $3, status = 'published', published_version_id = $4, has_unpublished_changes = $5, updated_at = $6
     WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING ${COLS}`,
    [orgId, id, next.version, next.publishedVersionId, next.hasUnpublishedChanges, next.updatedAt],
  );
  if (!rows[0]) throw new Error('agent row vanished under its lock');
  return rows[0];
}

export async function softDeleteAgent(tx: Tx, orgId: string, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE agents SET deleted_at = $3 WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL', [orgId, id, at]);
}
