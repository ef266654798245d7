import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Arrival } from '../domain/idempotency.js';

/**
 * What the server knows about a request's arrival and its client connection.
 *
 * - `req.arrivedAt` (`performance.now()`, set by the app's first `onRequest` hook): when the request reached
 *   this process, before authentication and body parsing, which can wait.
 * - when the server accepted each connection, so the idempotency service can tell a connection
 *   that was already open while a request was being worked on from one opened afterwards (see
 *   `IdempotencyService.slots`). Requests made by `app.inject` have no accepted connection.
 * - Half-closed connections are answered: a client may send its request and then shut its writing
 *   side (`shutdown(SHUT_WR)`, `nc -N`, some proxies). Node's default (`httpAllowHalfOpen =
 *   false`) drops the request in flight at that moment; with it on, the answer is written and the
 *   connection closed after it.
 */
declare module 'fastify' {
  interface FastifyRequest {
    arrivedAt: number;
  }
}

/** each accepted connection's number and opening time (a number is kept, never the socket) */
const opened = new WeakMap<object, { id: number; at: number }>();
let connections = 0;
const remember = (socket: Socket) => void opened.set(socket, { id: ++connections, at: performance.now() });

/** `req.arrivedAt` is set by the app's first `onRequest` hook (src/app.ts), which is already there. */
export function trackConnections(app: FastifyInstance): void {
  const server = app.server as typeof app.server & { httpAllowHalfOpen?: boolean };
  server.httpAllowHalfOpen = true;
  server.on('connection', remember);
  app.decorateRequest('arrivedAt', 0);
}

export function arrivalOf(req: FastifyRequest): Arrival {
  const c = opened.get(req.raw.socket);
  return { at: req.arrivedAt, connectionId: c?.id, connectionOpenedAt: c?.at };
}
