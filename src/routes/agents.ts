import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Agent as AgentSchema, AgentCreateBody as CreateSchema, AgentListQuery, AgentPatchBody as PatchSchema, type AgentView } from '../contracts/agent.js';
import { named } from '../contracts/openapi-components.js';
import { Envelope, ErrorsOf, IdParams, ListEnvelope } from '../contracts/common.js';
import { createAgent, createAgentAtOnce, deleteAgent, getAgentView, listAgentViews, patchAgent } from '../domain/agents/agents.js';
import { ApiError } from '../errors.js';
import { isId } from '../ids.js';
import { ifNoneMatchHits } from '../http/headers.js';
import { sendWire } from '../http/wire.js';
import { DEFAULT_LIMIT } from '../domain/pagination.js';
import { actor, idempotentRequest, runOptions, type RouteDeps, ok, okPage } from './deps.js';

const Agent = named('Agent', AgentSchema);
const AgentCreateBody = named('AgentCreate', CreateSchema);
const AgentPatchBody = named('AgentPatch', PatchSchema);

const notFound = () => new ApiError('not_found', 'No such agent');
const etag = (version: number) => `"${version}"`;

export function agentRoutes(fastify: FastifyInstance, deps: RouteDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, cursors, idempotency } = deps;

  app.post('/api/v1/agents', {
    config: { scope: 'agents:draft' },
    schema: {
      summary: 'Create an agent', tags: ['agents'], security: [{ bearer: [] }], description: 'Requires the scope `agents:draft`.',
      body: AgentCreateBody,
      response: { 201: Envelope(Agent), ...ErrorsOf(400, 401, 403, 404, 409, 413, 415, 422, 429) },
    },
  }, async (req, reply) => {
    const ctx = actor(req, clock);
    const answer = (agent: AgentView) => ({ status: 201, body: ok(agent), headers: { etag: etag(agent.version), location: `/api/v1/agents/${agent.id}` } });
    const w = await idempotency.run(idempotentRequest(req), async (q) => answer(await createAgent(q, ctx, req.body)), runOptions(req, reply), () => {
      const c = createAgentAtOnce(db, ctx, req.body);
      return { result: answer(c.agent), write: c.write };
    });
    return sendWire(reply, w);
  });

  app.get('/api/v1/agents', {
    config: { scope: 'agents:read' },
    schema: {
      summary: 'List agents, newest first', tags: ['agents'], security: [{ bearer: [] }], description: 'Requires the scope `agents:read`.',
      querystring: AgentListQuery,
      response: { 200: ListEnvelope(Agent), ...ErrorsOf(400, 401, 403, 429) },
    },
  }, async (req) => {
    const page = await listAgentViews(db, req.principal!.organizationId, cursors, { ...req.query, limit: req.query.limit ?? DEFAULT_LIMIT });
    return okPage(page);
  });

  app.get('/api/v1/agents/:id', {
    config: { scope: 'agents:read' },
    schema: {
      summary: 'Get an agent (its draft)', tags: ['agents'], security: [{ bearer: [] }], description: 'Requires the scope `agents:read`.',
      params: IdParams,
      response: { 200: Envelope(Agent), 304: { type: 'null', description: 'If-None-Match matched' }, ...ErrorsOf(401, 403, 404, 429) },
    },
  }, async (req, reply) => {
    const { id } = req.params;
    if (!isId('agt', id)) throw notFound();
    const agent = await getAgentView(db, req.principal!.organizationId, id);
    reply.header('etag', etag(agent.version));
    if (ifNoneMatchHits(req.headers['if-none-match'], agent.version)) return reply.code(304).send();
    return ok(agent);
  });

  app.patch('/api/v1/agents/:id', {
    config: { scope: 'agents:draft', ifMatch: true },
    schema: {
      summary: 'Edit the draft (JSON Merge Patch)', tags: ['agents'], security: [{ bearer: [] }], description: 'Requires the scope `agents:draft`.',
      params: IdParams,
      body: AgentPatchBody,
      response: { 200: Envelope(Agent), ...ErrorsOf(400, 401, 403, 404, 409, 413, 415, 429) },
    },
  }, async (req, reply) => {
    const { id } = req.params;
    if (!isId('agt', id)) throw notFound();
    const ctx = actor(req, clock);
    const agent = await patchAgent(db, ctx, id, req.body, req.ifMatch, deps.recentAgents);
    reply.header('etag', etag(agent.version));
    return ok(agent);
  });

  app.delete('/api/v1/agents/:id', {
    config: { scope: 'agents:write', ifMatch: true },
    schema: {
      summary: 'Delete an agent (soft)', tags: ['agents'], security: [{ bearer: [] }], description: 'Requires the scope `agents:write`.',
      params: IdParams,
      response: { 200: Envelope(Type.Object({ id: Type.String(), deleted: Type.Literal(true) })), ...ErrorsOf(400, 401, 403, 404, 409, 429) },
    },
  }, async (req) => {
    const { id } = req.params;
    if (!isId('agt', id)) throw notFound();
    const ctx = actor(req, clock);
    const data = await db.tx((q) => deleteAgent(q, ctx, id, req.ifMatch));
    return ok(data);
  });
}
