// The baseline of the live scenarios of bench/run.mjs: a bare node:http server that answers
// GET /api/v1/agents/{id}/live with the same precomputed JSON (and the same ETag / 304) from
// memory — no framework, auth, validation, database or computation. The bodies are the project's
// own answers, one per agent (fetched once through the API before the load).
// Usage: node bench/baselines/bare-live-server.mjs <port> <bodies.json>   ({ agentId: { body, etag } })
import http from 'node:http';
import { readFileSync } from 'node:fs';

const [port, file] = process.argv.slice(2);
/** agent id → { body, etag } */
const answers = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8'))).map(([id, a]) => [id, { body: Buffer.from(a.body), etag: a.etag }]));
const server = http.createServer((req, res) => {
  const id = req.url.split('/')[4];
  const a = answers.get(id);
  if (!a) {
    res.writeHead(404).end();
    return;
  }
  if (req.headers['if-none-match'] === a.etag) {
    res.writeHead(304, { etag: a.etag }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', etag: a.etag }).end(a.body);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
