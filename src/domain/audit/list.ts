import type { Queryable } from '../../storage/db.js';
import { listAuditEvents, type AuditEventRow, type AuditFilter } from '../../storage/repos/audit-events.js';
import { isoMs } from '../../clock.js';
import type { CursorCodec, Page } from '../pagination.js';

/** An audit event as the API returns it: the row with `at` as an ISO string. */
export type AuditEventView = Omit<AuditEventRow, 'at'> & { at: string };

export function toAuditView(r: AuditEventRow): AuditEventView {
  return {
    id: r.id,
    at: isoMs(r.at),
    actorKeyId: r.actorKeyId,
    requestId: r.requestId,
    action: r.action,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    agentVersionBefore: r.agentVersionBefore,
    agentVersionAfter: r.agentVersionAfter,
    changedFields: r.changedFields,
  };
}

export async function listAudit(
  q: Queryable,
  orgId: string,
  cursors: CursorCodec,
  f: AuditFilter & { limit: number; cursor?: string },
): Promise<Page<AuditEventView>> {
  const filters = {
    resourceId: f.resourceId ?? null,
    action: f.action ?? null,
    actorKeyId: f.actorKeyId ?? null,
    since: f.since?.toISOString() ?? null,
    until: f.until?.toISOString() ?? null,
  };
  const beforeId = f.cursor ? cursors.decode(f.cursor, orgId, 'audit-events', filters) : undefined;
  const rows = await listAuditEvents(q, orgId, { ...f, beforeId, limit: f.limit + 1 });
  return cursors.page(rows, f.limit, orgId, 'audit-events', filters, toAuditView);
}
