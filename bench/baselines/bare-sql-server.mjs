// The baseline of the database-bound scenarios of bench/run.mjs: a bare node:http server that
// runs the one equivalent SQL statement per request and returns the rows as JSON — no framework,
// no authentication, no validation, no transaction, no audit row, no idempotency record.
// The organization a key would resolve to is taken from the `x-org` header.
//
//   GET   /api/v1/agents/{id}              SELECT … WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL
//   PATCH /api/v1/agents/{id}  If-Match    UPDATE … SET config = config || $patch, version = version + 1
//                                            WHERE … AND version = $ifMatch RETURNING …   (no row → 409)
//   POST  /api/v1/agents                   INSERT INTO agents … VALUES (…) RETURNING …  (body stored as given)
//   GET   /api/v1/agents?limit=&cursor=    SELECT … WHERE organization_id = $1 AND id < $cursor ORDER BY id DESC LIMIT n
//                                            (the cursor is a plain agent id)
//
// PostgreSQL through a `pg` pool of 10 (the project's openPostgres), or PGlite opened directly on a
// data directory (one connection, like the project's).
// Usage: node bench/baselines/bare-sql-server.mjs <port> (postgres://… | <pglite data dir>)
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

const [port, target] = process.argv.slice(2);

let query;
let close;
if (/^postgres(ql)?:\/\//.test(target)) {
  const pool = new pg.Pool({ connectionString: target, max: 10, connectionTimeoutMillis: 5000 });
  pool.on('error', () => undefined);
  query = async (sql, params) => (await pool.query(sql, params)).rows;
  close = () => pool.end();
} else {
  const db = await PGlite.create(target);
  query = async (sql, params) => (await db.query(sql, params)).rows;
  close = () => db.close();
}

const COLS = `id, organization_id AS "organizationId", name_key AS "nameKey", version, status, has_unpublished_changes AS "hasUnpublishedChanges",
  published_version_id AS "publishedVersionId", is_active AS "isActive", config, created_by AS "createdBy",
  created_at AS "createdAt", updated_at AS "updatedAt"`;
const GET = `SELECT ${COLS} FROM agents WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL`;
const PATCH = `UPDATE agents SET config = config || $3::jsonb, version = version + 1, updated_at = now()
  WHERE organization_id = $1 AND id = $2 AND version = $4 AND deleted_at IS NULL RETURNING ${COLS}`;
const POST = `INSERT INTO agents (id, organization_id, name_key, version, status, has_unpublished_changes, published_version_id,
    is_active, config, created_by, created_at, updated_at)
  VALUES ($1, $2, $3, 1, 'draft', true, NULL, true, $4, 'bare', now(), now()) RETURNING ${COLS}`;
const LIST = `SELECT ${COLS} FROM agents WHERE organization_id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR id < $2)
  ORDER BY id DESC LIMIT $3`;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function newId() {
  let ms = Date.now();
  let t = '';
  for (let i = 0; i < 10; i++) {
    t = ALPHABET[ms % 32] + t;
    ms = Math.floor(ms / 32);
  }
  const b = randomBytes(16);
  for (let i = 0; i < 16; i++) t += ALPHABET[b[i] % 32];
  return `agt_${t}`;
}

function send(res, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req, res) {
  const org = req.headers['x-org'];
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const id = path.startsWith('/api/v1/agents/') ? path.slice('/api/v1/agents/'.length) : null;
  if (req.method === 'GET' && id) {
    const [row] = await query(GET, [org, id]);
    return row ? send(res, 200, { success: true, data: row }, { etag: `"${row.version}"` }) : send(res, 404, { success: false });
  }
  if (req.method === 'PATCH' && id) {
    const patch = await readBody(req);
    const version = Number(/^"(\d+)"$/.exec(req.headers['if-match'] ?? '')?.[1]);
    const [row] = await query(PATCH, [org, id, patch, version]);
    return row ? send(res, 200, { success: true, data: row }, { etag: `"${row.version}"` }) : send(res, 409, { success: false });
  }
  if (req.method === 'POST' && path === '/api/v1/agents') {
    const text = await readBody(req);
    const name = JSON.parse(text).name;
    try {
      const [row] = await query(POST, [newId(), org, name.trim().normalize('NFC').toLowerCase(), text]);
      return send(res, 201, { success: true, data: row }, { etag: '"1"', location: `/api/v1/agents/${row.id}` });
    } catch (err) {
      if (err.code === '23505') return send(res, 409, { success: false });
      throw err;
    }
  }
  if (req.method === 'GET' && path === '/api/v1/agents') {
    const p = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
    const limit = Number(p.get('limit') ?? 20);
    const rows = await query(LIST, [org, p.get('cursor'), limit + 1]);
    const items = rows.slice(0, limit);
    return send(res, 200, { success: true, data: items, pagination: { limit, nextCursor: rows.length > limit ? items[items.length - 1].id : null, hasMore: rows.length > limit } });
  }
  return send(res, 404, { success: false });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    if (!res.headersSent) send(res, 500, { success: false, error: String(err.message) });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  close().finally(() => process.exit(0));
});
