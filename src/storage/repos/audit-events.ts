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

export async function insertAuditEvent(tx: Tx, orgId: string, e: AuditEventRow): Promise<void> {
  await tx.query(
    `INSERT INTO audit_events (id, organization_id, at, actor_key_id, request_id, action, resource_type, resource_id,
       agent_version_before, agent_version_after, changed_fields)
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
  return q.query<AuditEventRow>(
    `SELECT id, at, actor_key_id AS "actorKeyId", request_id AS "requestId", action, resource_type AS "resourceType",
       resource_id AS "resourceId", agent_version_before AS "agentVersionBefore", agent_version_after AS "agentVersionAfter",
       changed_fields AS "changedFields"
     FROM audit_events
     WHERE organization_id = $1 AND ($2::text IS NULL OR id < $2)
       AND ($3::text IS NULL OR resource_id = $3) AND ($4::text IS NULL OR action = $4)
       AND ($5::text IS NULL OR actor_key_id = $5)
       AND ($6::timestamptz IS NULL OR at >= $6) AND ($7::timestamptz IS NULL OR at < $7)
     ORDER BY id DESC LIMIT $8`,
    [orgId, f.beforeId ?? null, f.resourceId ?? null, f.action ?? null, f.actorKeyId ?? null, f.since ?? null, f.until ?? null, f.limit],
  );
}
