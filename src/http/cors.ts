import type { FastifyInstance, FastifyRequest } from 'fastify';
import cors, { type FastifyCorsOptions } from '@fastify/cors';

/** What a browser page on an allowed origin may send and read (README, "Hardening"). */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'];
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id'];
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'X-Request-Id',
  'Location',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
  'Idempotent-Replayed',
];
/** how long a browser may reuse a preflight's answer, in seconds */
export const CORS_MAX_AGE_S = 600;

/**
 * CORS for the exact origins of FLOWYTE_CORS_ORIGINS (@fastify/cors). With none, nothing is
 * registered: no `Access-Control-*` header anywhere, and an `OPTIONS` is answered as any other
 * unrouted method (405 with `Allow`, or 404).
 *
 * With a list, a request whose `Origin` is on it gets `Access-Control-Allow-Origin` (that origin)
 * and `Access-Control-Expose-Headers`; a preflight from it (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered 204 before authentication, with the methods,
 * headers and max-age. Any other request — no `Origin`, or one not on the list — gets no
 * `Access-Control-*` header at all, and its preflight the same 405/404 as without CORS. Every
 * answer then carries `Vary: Origin`. No credentials mode: keys travel in `Authorization`, never
 * in cookies.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  const base: FastifyCorsOptions = {
    origin: [...allowed],
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_S,
    credentials: false,
    strictPreflight: false,
  };
  const preflight: FastifyCorsOptions = { ...base, preflight: true };
  const simple: FastifyCorsOptions = { ...base, preflight: false };
  const off: FastifyCorsOptions = { origin: false };
  await app.register(cors, {
    hook: 'onRequest',
    delegator: (req: FastifyRequest, cb: (err: Error | null, options: FastifyCorsOptions) => void) => {
      const origin = req.headers.origin;
      if (typeof origin !== 'string' || !allowed.has(origin)) return cb(null, off);
      cb(null, req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined ? preflight : simple);
    },
  });
}
