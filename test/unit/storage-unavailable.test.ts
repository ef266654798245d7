/**
 * The errors the PostgreSQL driver raises when the database cannot serve a request are 503
 * `unavailable`, never 500 (issue 9, "Database faults"; the end-to-end faults are in
 * test/e2e/db-faults.test.ts). The messages are the driver's own (node_modules/pg, pg-pool).
 */
import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { registerErrorHandler } from '../../src/http/error-handler.js';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('storage errors answer 503 unavailable', () => {
  it.each([
    // pg-pool: every connection busy (or hung) past connectionTimeoutMillis
    ['a pool with no free connection in time', new Error('timeout exceeded when trying to connect')],
    // pg: a client whose connection already failed
    ['a client that is no longer queryable', new Error('Client has encountered a connection error and is not queryable')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a new connection timing out', new Error('Connection terminated due to connection timeout')],
    // pg: no answer within the query timeout (a silent network partition)
    ['a query unanswered past the query timeout', new Error('Query read timeout')],
    ['a query cancelled by statement_timeout', withCode('canceling statement due to statement timeout', '57014')],
    ['a write to a closed socket', withCode('write EPIPE', 'EPIPE')],
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a terminated backend', withCode('terminating connection due to administrator command', '57P01')],
  ])('%s', async (_, err) => {
    const app = Fastify();
    registerErrorHandler(app);
    app.get('/api/v1/thing', async () => {
      throw err;
    });
    const r = await app.inject({ method: 'GET', url: '/api/v1/thing' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ code: 'unavailable', status: 503 });
    expect(r.body).not.toContain(err.message); // no driver message in the body
    await app.close();
  });

  it('anything else stays a 500 internal_error', async () => {
    const app = Fastify();
    registerErrorHandler(app);
    app.get('/api/v1/thing', async () => {
      throw new Error('cannot read properties of undefined');
    });
    const r = await app.inject({ method: 'GET', url: '/api/v1/thing' });
    expect(r.statusCode).toBe(500);
    expect(r.json().code).toBe('internal_error');
    await app.close();
  });
});
