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

const opened = new WeakMap<object, number>();

/** `req.arrivedAt` is set by the app's first `onRequest` hook (src/app.ts), which is already there. */
export function trackConnections(app: FastifyInstance): void {
  const server = app.server as typeof app.server & { httpAllowHalfOpen?: boolean };
  server.httpAllowHalfOpen = true;
  server.on('connection', (socket: Socket) => opened.set(socket, performance.now()));
  server.on('secureConnection', (socket: Socket) => opened.set(socket, performance.now()));
  app.decorateRequest('arrivedAt', 0);
}

export function arrivalOf(req: FastifyRequest): Arrival {
  const socket = req.raw.socket;
  return { at: req.arrivedAt, connection: socket, connectionOpenedAt: opened.get(socket) };
}
