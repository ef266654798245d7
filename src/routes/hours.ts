import type { FastifyInstance } from 'fastify';
import { Envelope, ErrorsOf, IdParams } from '../contracts/common.js';
import { HoursQuery, HoursStatusSchema } from '../contracts/hours.js';
import { agentHours } from '../domain/agents/hours.js';
import { ApiError } from '../errors.js';
import { isId } from '../ids.js';
import { QueryReader } from './query.js';
import type { RouteDeps } from './deps.js';

export function hoursRoutes(app: FastifyInstance, deps: RouteDeps) {
  app.get('/api/v1/agents/:id/hours', {
    config: { scope: 'agents:read' },
    schema: {
      summary: 'Business-hours status at an instant', tags: ['agents'], security: [{ bearer: [] }],
      description: 'Requires the scope `agents:read`. Open or closed, local time, next change and next opening (business-hours.md).',
      params: IdParams,
      querystring: HoursQuery,
      response: { 200: Envelope(HoursStatusSchema), ...ErrorsOf(400, 401, 403, 404, 409, 429) },
    },
  }, async (req) => {
    const r = new QueryReader(req.query as Record<string, unknown>);
    const at = r.rfc3339('at');
    const draft = r.boolean('draft') ?? false;
    r.done();
    const { id } = req.params as { id: string };
    if (!isId('agt', id)) throw new ApiError('not_found', 'No such agent');
    const data = await agentHours(deps.db, req.principal!.organizationId, id, at ?? deps.clock.now(), draft);
    return { success: true, data };
  });
}
