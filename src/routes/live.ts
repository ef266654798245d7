import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Envelope, ErrorsOf, IdParams } from '../contracts/common.js';
import { HoursQuery, HoursStatusSchema } from '../contracts/hours.js';
import { LiveConfigSchema, LiveQuery } from '../contracts/live.js';
import { named } from '../contracts/openapi-components.js';
import { ApiError } from '../errors.js';
import { isId } from '../ids.js';
import { ifNoneMatchesEtag } from '../http/headers.js';
import { parseInstant } from '../contracts/instant.js';
import { ok, type RouteDeps } from './deps.js';

const LiveConfig = named('LiveConfig', LiveConfigSchema);
const noAgent = () => new ApiError('not_found', 'No such agent');
/** An `at` already validated by its format, else now. */
const instantOr = (at: string | undefined, now: number): number => (at === undefined ? now : parseInstant(at)!);

/** What runtimes read: the live config (the hot path) and the hours status. */
export function liveRoutes(fastify: FastifyInstance, deps: RouteDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { live, clock } = deps;

  app.get('/api/v1/agents/:id/live', {
    config: { scope: 'agents:read' },
    schema: {
      summary: 'The resolved live config for a conversation', tags: ['live'], security: [{ bearer: [] }],
      description:
        'Requires the scope `agents:read`. Everything a voice or chat runtime needs, resolved: channel overrides applied, defaults filled in, the effective greeting, the hours status at `at`, transfer permissions and the system prompt. Carries an `ETag` (a hash of the body without `at` and the local-time fields); `If-None-Match` → 304.',
      params: IdParams,
      querystring: LiveQuery,
      response: { 200: Envelope(LiveConfig), 304: { type: 'null', description: 'If-None-Match matched: nothing the runtime acts on changed' }, ...ErrorsOf(400, 401, 403, 404, 409, 429) },
    },
  }, async (req, reply) => {
    const { channel, at, draft = false } = req.query;
    const { id } = req.params;
    if (!isId('agt', id)) throw noAgent();
    const a = await live.liveConfig(req.principal!.organizationId, id, channel, instantOr(at, clock.now()), draft);
    reply.header('etag', a.etag);
    if (ifNoneMatchesEtag(req.headers['if-none-match'], a.etag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(a.body());
  });

  app.get('/api/v1/agents/:id/hours', {
    config: { scope: 'agents:read' },
    schema: {
      summary: 'Business-hours status at an instant', tags: ['live'], security: [{ bearer: [] }],
      description: 'Requires the scope `agents:read`. Open or closed, local time, next change and next opening (business-hours.md), of the live version, or of the draft with `draft=true`; `isActive` is ignored.',
      params: IdParams,
      querystring: HoursQuery,
      response: { 200: Envelope(HoursStatusSchema), ...ErrorsOf(400, 401, 403, 404, 409, 429) },
    },
  }, async (req) => {
    const { at, draft = false } = req.query;
    const { id } = req.params;
    if (!isId('agt', id)) throw noAgent();
    return ok(await live.hours(req.principal!.organizationId, id, instantOr(at, clock.now()), draft));
  });
}
