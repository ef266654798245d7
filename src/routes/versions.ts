import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { named } from '../contracts/openapi-components.js';
import { Envelope, ErrorsOf, ListEnvelope, ListQuery } from '../contracts/common.js';
import { AgentVersionSchema, DiffQuery, DiffSchema, PublishBody, RollbackBody } from '../contracts/versions.js';
import { diffAgentVersion, getAgentVersion, listAgentVersions, publishAgent, rollbackAgent } from '../domain/agents/versions.js';
import { ApiError } from '../errors.js';
import { isId } from '../ids.js';
import { sendWire } from '../http/wire.js';
import { DEFAULT_LIMIT } from '../domain/pagination.js';
import { actor, idempotentRequest, runOptions, type RouteDeps, ok, okPage } from './deps.js';

const AgentVersion = named('AgentVersion', AgentVersionSchema);
const Diff = named('Diff', DiffSchema);
const AgentParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const VersionParams = Type.Object({ id: Type.String({ maxLength: 64 }), versionId: Type.String({ maxLength: 64 }) });

const noAgent = () => new ApiError('not_found', 'No such agent');
const noVersion = () => new ApiError('not_found', 'No such version of this agent');

/** lifecycle.md: publish, rollback, versions and diffs. */
export function versionRoutes(fastify: FastifyInstance, deps: RouteDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, cursors, idempotency } = deps;

  app.post('/api/v1/agents/:id/publish', {
    config: { scope: 'agents:write', ifMatch: true },
    schema: {
      summary: 'Publish the draft as a new version', tags: ['versions'], security: [{ bearer: [] }],
      description: 'Requires the scope `agents:write`. Freezes the draft into the next numbered, immutable version and makes it live. `If-Match` and `Idempotency-Key` are honoured; 409 `nothing_to_publish` when the draft equals the live version.',
      params: AgentParams,
      body: PublishBody,
      response: { 201: Envelope(AgentVersion), ...ErrorsOf(400, 401, 403, 404, 409, 413, 415, 422, 429) },
    },
  }, async (req, reply) => {
    const { id } = req.params;
    const note = req.body.note ?? null;
    const ctx = actor(req, clock);
    const w = await idempotency.run(idempotentRequest(req), async (tx) => {
      if (!isId('agt', id)) throw noAgent();
      const version = await publishAgent(tx, ctx, id, note, req.ifMatch);
      return { status: 201, body: ok(version) };
    }, runOptions(req, reply));
    return sendWire(reply, w);
  });

  app.post('/api/v1/agents/:id/rollback', {
    config: { scope: 'agents:write', ifMatch: true },
    schema: {
      summary: 'Make an earlier version live again', tags: ['versions'], security: [{ bearer: [] }],
      description: 'Requires the scope `agents:write`. Points live traffic at the version at once; the draft is untouched. Rolling back to the live version is a no-op (200, the agent keeps its version).',
      params: AgentParams,
      body: RollbackBody,
      response: { 200: Envelope(AgentVersion), ...ErrorsOf(400, 401, 403, 404, 409, 413, 415, 422, 429) },
    },
  }, async (req, reply) => {
    const { id } = req.params;
    const { versionId } = req.body;
    const ctx = actor(req, clock);
    const w = await idempotency.run(idempotentRequest(req), async (tx) => {
      if (!isId('agt', id)) throw noAgent();
      const version = await rollbackAgent(tx, ctx, id, versionId, req.ifMatch);
      return { status: 200, body: ok(version) };
    }, runOptions(req, reply));
    return sendWire(reply, w);
  });

  app.get('/api/v1/agents/:id/versions', {
    config: { scope: 'agents:read' },
    schema: {
      summary: "List an agent's versions, newest first", tags: ['versions'], security: [{ bearer: [] }], description: 'Requires the scope `agents:read`.',
      params: AgentParams,
      querystring: Type.Object(ListQuery),
      response: { 200: ListEnvelope(AgentVersion), ...ErrorsOf(400, 401, 403, 404, 429) },
    },
  }, async (req) => {
    const { id } = req.params;
    if (!isId('agt', id)) throw noAgent();
    const { limit = DEFAULT_LIMIT, cursor } = req.query;
    const page = await listAgentVersions(db, req.principal!.organizationId, cursors, id, { limit, cursor });
    return okPage(page);
  });

  app.get('/api/v1/agents/:id/versions/:versionId', {
    config: { scope: 'agents:read' },
    schema: {
      summary: 'Get a version', tags: ['versions'], security: [{ bearer: [] }], description: 'Requires the scope `agents:read`.',
      params: VersionParams,
      response: { 200: Envelope(AgentVersion), ...ErrorsOf(401, 403, 404, 429) },
    },
  }, async (req) => {
    const { id, versionId } = req.params;
    if (!isId('agt', id)) throw noAgent();
    if (!isId('agv', versionId)) throw noVersion();
    return ok(await getAgentVersion(db, req.principal!.organizationId, id, versionId));
  });

  app.get('/api/v1/agents/:id/versions/:versionId/diff', {
    config: { scope: 'agents:read' },
    schema: {
      summary: 'Diff a version against the draft, or against another version', tags: ['versions'], security: [{ bearer: [] }],
      description: 'Requires the scope `agents:read`. One entry per differing leaf, sorted by field. Without `against`: this version → the current draft; with it: this version → that version.',
      params: VersionParams,
      querystring: DiffQuery,
      response: { 200: Envelope(Diff), ...ErrorsOf(400, 401, 403, 404, 429) },
    },
  }, async (req) => {
    const { against } = req.query;
    const { id, versionId } = req.params;
    if (!isId('agt', id)) throw noAgent();
    if (!isId('agv', versionId)) throw noVersion();
    return ok(await diffAgentVersion(db, req.principal!.organizationId, id, versionId, against ?? null));
  });
}
