import type { ServerOptions } from 'node:http';

/**
 * How long the HTTP server waits for a slow or idle client, in milliseconds (README,
 * "Hardening"). A client that trickles its headers or its body, or holds a connection it does not
 * use, is cut off instead of holding a socket (and the request's memory) for ever.
 */
export interface ServerTimeouts {
  /** the request line and headers, from the request's first byte (or the connection's opening) */
  headersMs: number;
  /** the whole request, headers and body; must be ≥ headersMs */
  requestMs: number;
  /** an idle keep-alive connection between two requests */
  keepAliveMs: number;
  /** any connection with no byte in either direction (e.g. a client that stops reading its answer) */
  idleMs: number;
  /** how often Node checks the headers and request deadlines: they hold to within this much */
  checkIntervalMs: number;
}

/**
 * - headers 10 s: a real client sends its head in milliseconds; this is slowloris's bound.
 * - request 30 s: the largest body (256 KiB) at ≥ 9 KB/s, far more than any JSON config needs.
 * - keep-alive 72 s (Fastify's default): longer than the usual load balancers' idle timeout
 *   (60 s), so the balancer, not this server, closes an idle connection — the other way round a
 *   balancer can send a request on a connection the server is closing.
 * - idle 60 s: no byte either way for a minute while a request is under way (a client that stops
 *   reading a large answer); handlers answer in well under a second.
 * - deadlines checked every second (Node's default, 30 s, would let a 10 s bound be 40 s).
 */
export const DEFAULT_SERVER_TIMEOUTS: Readonly<ServerTimeouts> = Object.freeze({
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 72_000,
  idleMs: 60_000,
  checkIntervalMs: 1_000,
});

/** Fastify's server options for these timeouts (`http` goes to `http.createServer`). */
export function serverTimeoutOptions(given: Partial<ServerTimeouts> = {}): {
  connectionTimeout: number;
  keepAliveTimeout: number;
  requestTimeout: number;
  http: ServerOptions;
} {
  const t = { ...DEFAULT_SERVER_TIMEOUTS, ...given };
  for (const [name, v] of Object.entries(t)) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`server timeout ${name} must be a positive integer (ms), got ${v}`);
  }
  if (t.headersMs > t.requestMs) throw new RangeError(`server timeout headersMs (${t.headersMs}) must not exceed requestMs (${t.requestMs})`);
  return {
    // Node's socket inactivity timeout (server.setTimeout); a keep-alive pause uses keepAliveTimeout instead
    connectionTimeout: t.idleMs,
    keepAliveTimeout: t.keepAliveMs,
    // Fastify sets server.requestTimeout after creating the server (its own default, 0, turns it off)
    requestTimeout: t.requestMs,
    http: { headersTimeout: t.headersMs, requestTimeout: t.requestMs, connectionsCheckingInterval: t.checkIntervalMs },
  };
}
