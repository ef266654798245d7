import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AuditEvent as AuditEventSchema, AuditQuery } from '../contracts/audit-events.js';
import { named } from '../contracts/openapi-components.js';

const AuditEvent = named('AuditEvent', AuditEventSchema);
import { ErrorsOf, ListEnvelope } from '../contracts/common.js';
import { listAudit } from '../domain/audit/list.js';
import { DEFAULT_LIMIT } from '../domain/pagination.js';
import { parseInstant } from '../contracts/instant.js';
import { okPage, type RouteDeps } from './deps.js';

export function auditEventRoutes(fastify: FastifyInstance, deps: RouteDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/audit-events', {
    config: { scope: 'audit:read' },
    schema: {
      summary: 'The audit trail, newest first', tags: ['audit'], security: [{ bearer: [] }], description: 'Requires the scope `audit:read`.',
      querystring: AuditQuery,
      response: { 200: ListEnvelope(AuditEvent), ...ErrorsOf(400, 401, 403, 429) },
    },
  }, async (req) => {
    const { limit = DEFAULT_LIMIT, since, until, ...rest } = req.query;
    const instant = (v: string | undefined) => (v === undefined ? undefined : new Date(parseInstant(v)!));
    const f = { ...rest, limit, since: instant(since), until: instant(until) };
    const page = await listAudit(deps.db, req.principal!.organizationId, deps.cursors, f);
    return okPage(page);
  });
}
