import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomBytes } from 'node:crypto';
import type { Db } from './storage/db.js';
import { systemClock, type Clock } from './clock.js';
import { getOrCreateSecret } from './storage/repos/server-secrets.js';
import { syncRateBuckets } from './storage/repos/rate-limits.js';
import { CursorCodec } from './domain/pagination.js';
import { IdempotencyService, DEFAULT_RETENTION_MS } from './domain/idempotency.js';
import { ChangeFeed } from './events/change-feed.js';
import { KeyVerifier } from './auth/verifier.js';
import { RateLimiter } from './http/rate-limit.js';
import { registerAuth } from './http/auth-hook.js';
import { BODY_LIMIT, registerJsonParser } from './http/content-type.js';
import { genRequestId } from './http/request-id.js';
import { withLogHygiene } from './http/logging.js';
import { makeClientErrorHandler } from './http/client-error.js';
import { registerRouting } from './http/routing.js';
import { defaultWebRoot, registerWebApp, type WebApp } from './http/web-app.js';
import { isApiUrl, NO_STORE } from './http/cache-control.js';
import { registerCors } from './http/cors.js';
import { trackConnections } from './http/connections.js';
import { serverTimeoutOptions, type ServerTimeouts } from './http/server-timeouts.js';
import { meRoutes } from './routes/me.js';
import { registerMetrics } from './http/metrics.js';
import { registerPreconditions } from './http/preconditions.js';
import { compileBodyValidator, compileQueryValidator } from './contracts/validator.js';
import { ApiError, validationError } from './errors.js';
import { registerErrorHandler, sendProblem } from './http/error-handler.js';
import { healthRoutes } from './routes/health.js';
import { agentRoutes } from './routes/agents.js';
import { liveRoutes } from './routes/live.js';
import { versionRoutes } from './routes/versions.js';
import { LiveConfigService } from './domain/live/live-config.js';
import { RecentAgents } from './domain/agents/agents.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditEventRoutes } from './routes/audit-events.js';
import type { RouteDeps } from './routes/deps.js';
import { FORMATS } from './contracts/formats.js';
import { hoistComponents } from './contracts/openapi-components.js';
import { OPENAPI_INFO } from './contracts/openapi-info.js';

export interface AppDeps {
  db: Db;
  clock?: Clock;
  /** FLOWYTE_RATE_LIMIT_PER_MIN; 0 turns limiting off */
  rateLimitPerMin?: number;
  /**
   * Share each organization's bucket with the other processes on the database
   * (`rate_limit_buckets`, src/http/rate-limit.ts). Default: on PostgreSQL; the embedded
   * database has one process, whose buckets stay in memory.
   */
  sharedRateLimit?: boolean;
  /** how long idempotency records are honoured (api.md: at least 24 h) */
  idempotencyRetentionMs?: number;
  /** pino options, or false for no logging (tests) */
  logger?: FastifyServerOptions['logger'];
  /**
   * The post-commit event seam (src/events/). Default: one fed by this process's commits only,
   * right for the embedded database; server.ts adds the PostgreSQL listener for several processes.
   */
  changes?: ChangeFeed;
  /** the built dashboard (dist/web); null serves no app (API only). Default: dist/web */
  webRoot?: string | null;
  /** serve `GET /metrics` (Prometheus text format); FLOWYTE_METRICS decides in server.ts */
  metrics?: boolean;
  /** live versions kept prepared in memory (FLOWYTE_LIVE_CACHE_VERSIONS; default DEFAULT_LIVE_VERSIONS) */
  liveCacheVersions?: number;
  /** FLOWYTE_CORS_ORIGINS: exact origins CORS allows; none (the default) turns CORS off */
  corsOrigins?: readonly string[];
  /** timeouts against slow and idle clients; DEFAULT_SERVER_TIMEOUTS for any not given (tests pass small ones) */
  timeouts?: Partial<ServerTimeouts>;
}

declare module 'fastify' {
  interface FastifyInstance {
    shuttingDown: boolean;
  }
}

/** Never log secrets: the Authorization header and any minted key (and see withLogHygiene). */
export { LOG_REDACT } from './http/logging.js';

/** Builds the whole HTTP app on an opened, migrated database. Server and tests share it. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const clock = deps.clock ?? systemClock;
  let log: () => FastifyInstance['log'] = () => {
    throw new Error('no app yet');
  };
  const app = Fastify({
    // keys are never logged, wherever they appear (src/http/logging.ts)
    logger: withLogHygiene(deps.logger),
    // Node's parser errors (431, 400, 408) in the problem+json envelope, with X-Request-Id
    clientErrorHandler: makeClientErrorHandler(() => log()),
    bodyLimit: BODY_LIMIT,
    genReqId: genRequestId,
    return503OnClosing: true,
    // headers, whole request, keep-alive and idle timeouts (src/http/server-timeouts.ts)
    ...serverTimeoutOptions(deps.timeouts),
    // long ids are simply not found (404), not 414
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 4096 },
    // a URL Fastify cannot decode is answered in the envelope like any unknown path
    frameworkErrors: (err, req, reply) => sendProblem(req, reply, new ApiError('not_found', 'No such path')),
    ajv: { customOptions: { allErrors: true, removeAdditional: false, useDefaults: false, coerceTypes: false } },
    // response serialisation never validates formats; tell its Ajv they exist
    serializerOpts: { ajv: { formats: Object.fromEntries(Object.values(FORMATS).map((f) => [f, true])) } },
  });
  app.decorate('shuttingDown', false);
  trackConnections(app);
  log = () => app.log;

  const cursorSecret = await getOrCreateSecret(deps.db, 'cursor_hmac', () => randomBytes(32).toString('base64url'));
  const changes = deps.changes ?? new ChangeFeed(true, (err) => app.log.error({ err }, 'change listener failed'));
  const stopFeeding = deps.db.onCommit((events) => changes.publish(events));
  app.addHook('onClose', async () => stopFeeding());
  const verifier = new KeyVerifier(deps.db, clock, (err) => app.log.warn({ err }, 'could not record lastUsedAt'), changes);
  // a key revoked by any process (API, CLI through the admin socket, another server) is evicted
  changes.subscribe((e) => {
    if (e.action === 'api_key.revoke') verifier.evict(e.resourceId);
  });
  changes.onResync(() => verifier.clear());
  const routeDeps: RouteDeps = {
    db: deps.db,
    clock,
    cursors: new CursorCodec(cursorSecret),
    idempotency: new IdempotencyService(deps.db, clock, deps.idempotencyRetentionMs ?? DEFAULT_RETENTION_MS),
    live: new LiveConfigService(deps.db, changes, { maxVersions: deps.liveCacheVersions }),
    recentAgents: new RecentAgents(),
  };

  // Bodies and query strings are validated by our own Ajv (src/contracts/validator.ts) so errors
  // carry api.md's field paths, every invalid one listed; query parameters are converted to their
  // schema's types strictly first (Ajv's coercion is off). Path parameters are the handlers'
  // (a malformed id is simply not found).
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart === 'querystring') {
      const check = compileQueryValidator(schema);
      return (data: unknown) => {
        const r = check(data);
        return 'errors' in r ? { error: validationError(r.errors) } : { value: r.value };
      };
    }
    if (httpPart !== 'body') return () => true;
    const check = compileBodyValidator(schema);
    return (data: unknown) => {
      const errors = check(data);
      return errors.length === 0 ? { value: data } : { error: validationError(errors) };
    };
  });

  app.addHook('onRequest', (req, reply, done) => {
    req.arrivedAt = performance.now(); // before anything can wait (src/http/connections.ts)
    reply.header('x-request-id', req.id);
    // API answers (2xx, 304, every error) are never stored by a browser or proxy (src/http/cache-control.ts)
    if (isApiUrl(req.url)) reply.header('cache-control', NO_STORE);
    done();
  });
  // before authentication, so a preflight (which carries no key) is answered; off without an allow-list
  await registerCors(app, deps.corsOrigins ?? []);
  registerJsonParser(app);
  registerErrorHandler(app);
  let web: WebApp | null = null;
  registerRouting(app, () => web);
  const db = deps.db;
  const limiter = new RateLimiter(
    deps.rateLimitPerMin ?? 1200,
    clock,
    (deps.sharedRateLimit ?? db.kind === 'postgres')
      ? {
          store: { sync: (orgs, allowed, now, emissionMs) => syncRateBuckets(db, orgs, allowed, now, emissionMs) },
          onError: (err) => app.log.warn({ err }, 'rate-limit sync failed: each process limits on its own until it succeeds'),
        }
      : undefined,
  );
  app.addHook('onClose', async () => limiter.close());
  registerAuth(app, verifier, limiter);
  if (deps.metrics) registerMetrics(app, { db: deps.db, changes, live: routeDeps.live, idempotency: routeDeps.idempotency, limiter });
  registerPreconditions(app);

  await app.register(swagger, {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    transformObject: (d) => hoistComponents((d as { openapiObject: any }).openapiObject),
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'flowyte_sk_live_…' } } },
      tags: [
        { name: 'agents', description: 'The Agent resource (agent.md)' },
        { name: 'versions', description: 'Publish, versions, diffs and rollback (lifecycle.md)' },
        { name: 'live', description: 'What voice and chat runtimes read: the live config and the hours status' },
        { name: 'api-keys', description: 'API keys of the organization' },
        { name: 'audit', description: 'The audit trail' },
        { name: 'health', description: 'Liveness and readiness' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true } });

  // Every route, explicitly (greppable): HTTP only; rules live in src/domain.
  healthRoutes(app, routeDeps, () => app.shuttingDown);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  agentRoutes(app, routeDeps);
  versionRoutes(app, routeDeps);
  liveRoutes(app, routeDeps);
  apiKeyRoutes(app, routeDeps);
  auditEventRoutes(app, routeDeps);
  meRoutes(app);
  // the dashboard: `/` and the built files; other app paths through the not-found handler
  if (deps.webRoot !== null) web = await registerWebApp(app, deps.webRoot ?? defaultWebRoot());

  await app.ready();
  return app;
}
