import type { FastifyInstance } from 'fastify';
import { AuditEvent as AuditEventSchema, AuditQuery } from '../contracts/audit-events.js';
import { named } from '../contracts/openapi-components.js';

const AuditEvent = named('AuditEvent', AuditEventSchema);
import { ErrorsOf, ListEnvelope } from '../contracts/common.js';
import { listAudit } from '../domain/audit/list.js';
import { AUDIT_ACTIONS } from '../domain/audit/record.js';
import { QueryReader } from './query.js';
import type { RouteDeps } from './deps.js';

export function auditEventRoutes(app: FastifyInstance, deps: RouteDeps) {
  app.get('/api/v1/audit-events', {
    config: { scope: 'audit:read' },
    schema: {
      summary: 'The audit trail, newest first', tags: ['audit'], security: [{ bearer: [] }], description: 'Requires the scope `audit:read`.',
      querystring: AuditQuery,
      response: { 200: ListEnvelope(AuditEvent), ...ErrorsOf(400, 401, 403, 429) },
    },
  }, async (req) => {
    const r = new QueryReader(req.query as Record<string, unknown>);
    const f = {
      limit: r.limit(),
      cursor: r.string('cursor', 2048),
      resourceId: r.string('resourceId', 64),
      action: r.oneOf('action', AUDIT_ACTIONS),
      actorKeyId: r.string('actorKeyId', 64),
      since: r.instant('since'),
      until: r.instant('until'),
    };
    r.done();
    const page = await listAudit(deps.db, req.principal!.organizationId, deps.cursors, f);
    return { success: true, data: page.items, pagination: page.pagination };
  });
}
