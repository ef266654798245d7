// The framework floor of the live scenarios of bench/run.mjs: bare Fastify 5 (the project's
// version, default options, no hooks, plugins, auth, validation or computation) answering
// GET /api/v1/agents/:id/live with the same precomputed JSON and ETag (304 on a match) as
// bare-live-server.mjs. What separates it from the bare node:http baseline is the framework's own
// per-request cost (routing, request/reply objects, hooks machinery, header handling), which no
// code of the project can remove; what separates the project from it is the project's.
// Usage: node bench/baselines/fastify-live-server.mjs <port> <bodies.json>   ({ agentId: { body, etag } })
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

const [port, file] = process.argv.slice(2);
const answers = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8'))).map(([id, a]) => [id, { body: Buffer.from(a.body), etag: a.etag }]));
const app = Fastify({ logger: false });
app.get('/api/v1/agents/:id/live', (req, reply) => {
  const a = answers.get(req.params.id);
  if (!a) return reply.code(404).send();
  reply.header('etag', a.etag);
  if (req.headers['if-none-match'] === a.etag) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(a.body);
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
app.server.keepAliveTimeout = 60_000;
process.send?.('ready');
process.on('SIGTERM', () => {
  app.server.closeAllConnections();
  process.exit(0);
});
