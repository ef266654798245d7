import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors.js';
import type { RouteDeps } from './deps.js';

export function healthRoutes(app: FastifyInstance, deps: RouteDeps, isShuttingDown: () => boolean) {
  const Status = Type.Object({ status: Type.String() });
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['health'], response: { 200: Status } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'Readiness: the database is reachable', tags: ['health'], response: { 200: Status } } }, async () => {
    if (isShuttingDown()) throw new ApiError('unavailable', 'The server is shutting down');
    try {
      await deps.db.ping();
    } catch {
      throw new ApiError('unavailable', 'The database is not reachable');
    }
    return { status: 'ready' };
  });
}
