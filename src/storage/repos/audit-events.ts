import { andFilters } from './filters.js';
import type { Queryable, Tx } from '../db.js';

export interface AuditEventRow {
  id: string;
  at: Date;
  actorKeyId: string | null;
  requestId: string;
  action: string;
  resourceType: string;
  resourceId: string;
  agentVersionBefore: number | null;
  agentVersionAfter: number | null;
  changedFields: string[];
}

/** The columns an audit row is inserted with, in `insertAuditEvent`'s order (single-statement writes reuse them). */
export const AUDIT_INSERT_COLUMNS = `id, organization_id, at, actor_key_id, request_id, action, resource_type, resource_id,
       agent_version_before, agent_version_after, changed_fields`;

export async function insertAuditEvent(tx: Tx, orgId: string, e: AuditEventRow): Promise<void> {
  await tx.query(
    `INSERT INTO audit_events (${AUDIT_INSERT_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [e.id, orgId, e.at, e.actorKeyId, e.requestId, e.action, e.resourceType, e.resourceId, e.agentVersionBefore, e.agentVersionAfter, e.changedFields],
  );
}

export interface AuditFilter {
  resourceId?: string;
  action?: string;
  actorKeyId?: string;
  since?: Date;
  until?: Date;
}

export async function listAuditEvents(q: Queryable, orgId: string, f: AuditFilter & { limit: number; beforeId?: string }): Promise<AuditEventRow[]> {
  const w = andFilters(2, [
    ['id < ?', f.beforeId],
    ['resource_id = ?', f.resourceId],
    ['action = ?', f.action],
    ['actor_key_id = ?', f.actorKeyId],
    ['at >= ?', f.since],
    ['at < ?', f.until],
  ]);
  return q.query<AuditEventRow>(
    `SELECT id, at, actor_key_id AS "actorKeyId", request_id AS "requestId", action, resource_type AS "resourceType",
       resource_id AS "resourceId", agent_version_before AS "agentVersionBefore", agent_version_after AS "agentVersionAfter",
       changed_fields AS "changedFields"
     FROM audit_events
     WHERE organization_id = $1${w.sql}
     ORDER BY id DESC LIMIT $${w.params.length + 2}`,
    [orgId, ...w.params, f.limit],
  );
}
