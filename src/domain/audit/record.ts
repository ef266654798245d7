import type { Tx } from '../../storage/db.js';
import { insertAuditEvent } from '../../storage/repos/audit-events.js';
import { newId } from '../../ids.js';
import type { ActorContext } from '../context.js';

import type { AuditAction } from '../../contracts/audit-events.js';

/**
 * Appends one audit event, inside the transaction of the change it records. The audit row is
 * also the change event of the event seam (src/events/): published locally after COMMIT, and
 * to other processes by the row's NOTIFY trigger.
 */
export async function recordAudit(
  tx: Tx,
  ctx: ActorContext,
  e: { action: AuditAction; resourceType: 'agent' | 'api_key'; resourceId: string; before?: number | null; after?: number | null; changedFields?: string[] },
): Promise<void> {
  const id = newId('evt', ctx.now.getTime());
  await insertAuditEvent(tx, ctx.organizationId, {
    id,
    at: ctx.now,
    actorKeyId: ctx.keyId,
    requestId: ctx.requestId,
    action: e.action,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    agentVersionBefore: e.before ?? null,
    agentVersionAfter: e.after ?? null,
    changedFields: e.changedFields ?? [],
  });
  tx.afterCommit({ id, organizationId: ctx.organizationId, action: e.action, resourceType: e.resourceType, resourceId: e.resourceId });
}
