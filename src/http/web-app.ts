import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * The dashboard (web/, built by Vite into dist/web/) is served by the API's own server. The API
 * owns `/api/`; `/healthz`, `/readyz`, `/openapi.json` and `/docs` are routes of their own; every
 * other GET or HEAD that is not a file answers the app's index.html (client-side routing).
 */

/** dist/web beside the compiled server (dist/http/ → dist/web), also when run from src/ by tests. */
export function defaultWebRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '..', '..', 'dist', 'web');
}

/** The page's own rules: scripts and styles from this origin only, never framed. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flowyte Agents</title></head>
<body><main><h1>Flowyte Agents</h1><p>The dashboard is not built. Run <code>npm run build:web</code> (or <code>npm install</code>), then reload.
The API is at <a href="/docs">/docs</a>.</p></main></body></html>`;

export interface WebApp {
  /** Whether a not-found path should be answered with the app's page. */
  wants(method: string, urlPath: string): boolean;
  sendIndex(reply: FastifyReply, head?: boolean): FastifyReply;
}

/** API-owned prefixes and paths: never the app's page. */
function isApiPath(p: string): boolean {
  return p === '/api' || p.startsWith('/api/') || p === '/openapi.json' || p === '/healthz' || p === '/readyz' || p === '/metrics' || p === '/docs' || p.startsWith('/docs/');
}

export async function registerWebApp(app: FastifyInstance, root: string | null): Promise<WebApp> {
  const indexFile = root ? path.join(root, 'index.html') : null;
  const built = indexFile !== null && fs.existsSync(indexFile);
  let index: Buffer | null = built ? fs.readFileSync(indexFile) : null;
  if (built) {
    // hashed assets: cached for a year; everything else in the build: revalidated
    await app.register(fastifyStatic, {
      root: root!,
      prefix: '/',
      wildcard: false,
      index: false,
      decorateReply: false,
      setHeaders: (res, file) => {
        const immutable = file.includes(`${path.sep}assets${path.sep}`);
        res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        if (file.endsWith('.html')) res.header('content-security-policy', CSP);
      },
    });
  }
  const page = () => index ?? (index = Buffer.from(NOT_BUILT));
  app.get('/', { schema: { hide: true } }, (_req, reply) => sendIndex(reply));
  function sendIndex(reply: FastifyReply, head = false) {
    const body = page();
    if (head) reply.header('content-length', body.length);
    return reply
      .code(200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .send(head ? undefined : body);
  }
  return {
    wants: (method, urlPath) => (method === 'GET' || method === 'HEAD') && !isApiPath(urlPath) && !/\.[A-Za-z0-9]+$/.test(urlPath),
    sendIndex,
  };
}
