import type { FastifyReply } from 'fastify';
import type { WireResponse } from '../domain/idempotency.js';

/** Sends an already-serialised answer (POST routes: the same bytes are stored for replays). */
export function sendWire(reply: FastifyReply, w: WireResponse) {
  reply.code(w.status).type(w.contentType);
  for (const [k, v] of Object.entries(w.headers)) reply.header(k, v);
  if (w.replayed) reply.header('idempotent-replayed', 'true');
  return reply.send(w.bodyText);
}
