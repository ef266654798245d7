import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll } from 'vitest';
import { buildApp, type AppDeps } from '../../src/app.js';
import type { Db } from '../../src/storage/db.js';
import { createOrganization } from '../../src/domain/organizations.js';
import { mintApiKey } from '../../src/domain/keys/api-keys.js';
import { SCOPES, type Scope } from '../../src/auth/scopes.js';
import { newId } from '../../src/ids.js';
import { openTestDb } from './db.js';

/** A clock tests can move. */
export class TestClock {
  constructor(public t = Date.parse('2026-11-28T10:00:00.000Z')) {}
  now() {
    return this.t;
  }
  advance(ms: number) {
    this.t += ms;
  }
}

export interface Tenant {
  orgId: string;
  /** a key with every scope */
  key: string;
  keyId: string;
  /** mints another key of this organization */
  mint(scopes: Scope[], name?: string): Promise<{ key: string; keyId: string }>;
}

export interface Harness {
  app: FastifyInstance;
  db: Db;
  dbUrl: string | null;
  clock: TestClock;
  tenant(name?: string): Promise<Tenant>;
  close(): Promise<void>;
}

export async function makeHarness(deps: Partial<AppDeps> = {}): Promise<Harness> {
  const { db, url, drop } = await openTestDb();
  const clock = new TestClock();
  // real time by default so ids and timestamps advance; tests that move time pass `clock`
  const app = await buildApp({ db, rateLimitPerMin: 0, ...deps });
  return {
    app,
    db,
    dbUrl: url,
    clock,
    async tenant(name = 'Acme') {
      const now = new Date();
      const orgId = await createOrganization(db, name, now);
      const mint = async (scopes: Scope[], keyName = 'test') => {
        const m = await db.tx((q) => mintApiKey(q, { organizationId: orgId, keyId: null, requestId: newId('req'), now: new Date() }, { name: keyName, scopes }, null));
        return { key: m.key!, keyId: m.id };
      };
      const all = await mint([...SCOPES], 'all');
      return { orgId, key: all.key, keyId: all.keyId, mint };
    },
    async close() {
      await app.close();
      await drop();
    },
  };
}

export type Res = LightMyRequestResponse;

/** Small request helper: JSON in, parsed JSON out. */
export async function call(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT' | 'HEAD' | 'OPTIONS',
  url: string,
  opts: { key?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<Res & { json: () => any }> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let payload: string | undefined;
  if (opts.rawBody !== undefined) payload = opts.rawBody;
  else if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  return (await app.inject({ method, url, headers, payload })) as Res & { json: () => any };
}

/**
 * For a test file's top level: `const { h, t } = await fileHarness();` — a harness of its own
 * with one tenant, closed after the file's tests.
 */
export async function fileHarness(deps: Partial<AppDeps> = {}): Promise<{ h: Harness; t: Tenant }> {
  const h = await makeHarness(deps);
  afterAll(() => h.close());
  return { h, t: await h.tenant() };
}
