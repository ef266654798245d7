import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openStorage } from './storage/open.js';
import { migrate } from './storage/migrate.js';
import { DataDirInUseError } from './storage/data-dir-lock.js';
import { bootstrapIfEmpty } from './domain/bootstrap.js';
import { buildApp, LOG_REDACT } from './app.js';
import { startAdminSocket } from './cli/admin-socket.js';
import { ChangeFeed } from './events/change-feed.js';
import { listenForChanges } from './storage/pg-listener.js';
import { startIdempotencyPurge } from './domain/idempotency.js';

const SHUTDOWN_GRACE_MS = 10_000;

function bootstrapKeyPath(config: Config): string {
  return config.databaseUrl ? path.resolve('.flowyte/bootstrap-key') : path.join(path.dirname(config.dataDir), 'bootstrap-key');
}

function writeBootstrapKey(file: string, key: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, key + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Process entry: config → storage → migrations → app.listen → graceful close. Returns the exit status. */
export async function runServer(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`flowyte: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  let storage;
  try {
    storage = await openStorage(config);
    await migrate(storage.db);
  } catch (err) {
    process.stderr.write(`flowyte: ${err instanceof DataDirInUseError ? err.message : `cannot open the database: ${(err as Error).message.split('\n')[0]}`}\n`);
    await storage?.close().catch(() => undefined);
    return 1;
  }
  const boot = await bootstrapIfEmpty(storage.db, new Date());
  // on PostgreSQL other processes may write too: caches trust themselves once the listener is in
  const changes = new ChangeFeed(!config.databaseUrl);
  const app = await buildApp({
    db: storage.db,
    rateLimitPerMin: config.rateLimitPerMin,
    logger: { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' } },
    changes,
    webRoot: config.webRoot,
    metrics: config.metrics,
    liveCacheVersions: config.liveCacheVersions,
    corsOrigins: config.corsOrigins,
  });
  // background jobs: the other processes' changes, and the hourly idempotency purge
  const listener = config.databaseUrl ? listenForChanges(config.databaseUrl, changes, app.log) : null;
  const stopPurge = startIdempotencyPurge(storage.db, (err) => app.log.warn({ err }, 'idempotency purge failed'));
  const stopJobs = async () => {
    stopPurge();
    await listener?.close();
  };
  let closeAdmin: (() => Promise<void>) | null = null;
  if (!config.databaseUrl) {
    try {
      closeAdmin = await startAdminSocket(config.dataDir, storage.db, app.log);
    } catch (err) {
      // e.g. a path longer than a Unix socket allows: serve anyway; the CLI then says it cannot reach us
      app.log.warn({ reason: (err as Error).message }, 'admin socket unavailable: CLI storage commands need the server stopped');
    }
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    process.stderr.write(`flowyte: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}\n`);
    await closeAdmin?.();
    await stopJobs();
    await app.close();
    await storage.close();
    return 1;
  }
  if (boot) {
    const file = bootstrapKeyPath(config);
    let saved = true;
    try {
      writeBootstrapKey(file, boot.key);
    } catch (err) {
      saved = false;
      app.log.warn({ file, reason: (err as Error).message }, 'could not write the bootstrap key file');
    }
    const addr = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
    process.stderr.write(
      [
        '',
        'First start: created organization "Default" and an API key with every scope.',
        'It is shown once, here' + (saved ? ` and in ${file} (mode 0600)` : '') + ':',
        '',
        `  ${boot.key}`,
        '',
        `Open the dashboard at ${addr}/ and sign in with it, or try the API:`,
        `  curl -s ${addr}/api/v1/agents -H "Authorization: Bearer ${boot.key}"`,
        '',
      ].join('\n') + '\n',
    );
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'shutting down');
      app.shuttingDown = true;
      const force = setTimeout(() => {
        app.log.warn('in-flight requests did not finish in 10 s; closing connections');
        app.server.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      try {
        await closeAdmin?.();
        await app.close();
        await stopJobs();
        await storage.close();
        resolve(0);
      } catch (err) {
        process.stderr.write(`flowyte: shutdown failed: ${(err as Error).message}\n`);
        resolve(1);
      } finally {
        clearTimeout(force);
      }
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
