import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { newId } from '../ids.js';
import { httpLayerError } from './error-handler.js';
import { problemBody } from './problem.js';

/** What Node's HTTP parser attaches to the errors it emits as `clientError`. */
export interface ClientError extends Error {
  code?: string;
  reason?: string;
  bytesParsed?: number;
  /** the bytes the parser had (a Buffer): may hold an `Authorization` header, so never logged */
  rawPacket?: unknown;
}

/** The HTTP status Node itself would answer a parser or timeout error with. */
function statusOf(err: ClientError): number {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    default:
      return 400;
  }
}

/** The path of the request line in the bytes the parser saw, when it is a clean origin-form path; else ''. */
function instanceFrom(raw: unknown): string {
  if (!Buffer.isBuffer(raw)) return '';
  const head = raw.subarray(0, 2100).toString('latin1');
  const m = /^[A-Z]{1,20} (\/[\x21-\x22\x24-\x3e\x40-\x7e]{0,2048})[ ?#]/.exec(head);
  return m ? m[1]! : '';
}

/**
 * Builds the raw HTTP/1.1 answer to a request Node's parser refused (431 for oversized headers,
 * 400 for a malformed request line or header bytes, 408 for a request that did not arrive in
 * time): the problem+json envelope the error handler writes for any error, with an
 * `X-Request-Id` (a new `req_…` one: the request's own headers could not be read) and
 * `Connection: close`, since the connection cannot carry another request.
 */
export function clientErrorResponse(err: ClientError, requestId: string): { status: number; response: string } {
  const status = statusOf(err);
  const apiErr = httpLayerError(status, err.message);
  const body = JSON.stringify(problemBody(apiErr, requestId, instanceFrom(err.rawPacket)));
  const response =
    `HTTP/1.1 ${apiErr.status} ${STATUS_CODES[apiErr.status] ?? 'Bad Request'}\r\n` +
    'content-type: application/problem+json\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    `x-request-id: ${requestId}\r\n` +
    'cache-control: no-store\r\n' +
    'connection: close\r\n' +
    '\r\n' +
    body;
  return { status: apiErr.status, response };
}

/**
 * Fastify's `clientErrorHandler` (it replaces Fastify's default, which answered a bare JSON body
 * with no request id). As Node does, it answers only when no response has started on the socket,
 * then closes the connection; a connection the client already reset gets nothing.
 */
export function makeClientErrorHandler(log: () => FastifyBaseLogger) {
  /** sockets already answered: the parser reports every later chunk of their bytes again */
  const answered = new WeakSet<Socket>();
  return function onClientError(err: ClientError, socket: Socket): void {
    if (answered.has(socket)) return;
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || socket.destroyed) {
      log().debug({ code: err.code }, 'client closed the connection');
      return;
    }
    const requestId = newId('req');
    const { status, response } = clientErrorResponse(err, requestId);
    // never the error itself: its rawPacket holds the request's bytes, headers and all
    log().info({ reqId: requestId, code: err.code, reason: err.reason, status }, 'malformed request refused by the HTTP parser');
    const inFlight = (socket as Socket & { _httpMessage?: { _headerSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?._headerSent) {
      answered.add(socket);
      // half-close and let the client close: destroying a socket with unread bytes resets it, and the
      // client might lose the answer
      socket.end(response);
      // a client that does not read its answer does not keep the socket
      const t = setTimeout(() => socket.destroy(), 2000);
      t.unref();
      socket.once('close', () => clearTimeout(t));
    } else {
      socket.destroy();
    }
  };
}
