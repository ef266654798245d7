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

/**
 * The earliest instant the database can hold (PostgreSQL has no year 0). A `since` or `until` in
 * year 0001 with a positive offset (`0001-01-01T00:00:00+01:00`) is an instant before it; every
 * event is later, so clamping it selects exactly the same events (and no longer fails in SQL).
 */
const EARLIEST_STORABLE = Date.parse('0001-01-01T00:00:00.000Z');

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
    const instant = (v: string | undefined) => (v === undefined ? undefined : new Date(Math.max(parseInstant(v)!, EARLIEST_STORABLE)));
    const f = { ...rest, limit, since: instant(since), until: instant(until) };
    const page = await listAudit(deps.db, req.principal!.organizationId, deps.cursors, f);
    return okPage(page);
  });
}
