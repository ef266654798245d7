import type { Config } from '../config.js';
import { openPglite, openPostgres, type Db } from './db.js';
import { acquireDataDirLock } from './data-dir-lock.js';

export interface OpenedStorage {
  db: Db;
  /** closes the database, then releases the data-directory lock */
  close(): Promise<void>;
}

/** PostgreSQL when DATABASE_URL is set, else PGlite in FLOWYTE_DATA_DIR under its lock file. */
export async function openStorage(config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'queryTimeoutMs'>>): Promise<OpenedStorage> {
  if (config.databaseUrl) {
    const db = openPostgres(config.databaseUrl, 10, { queryTimeoutMs: config.queryTimeoutMs });
    return { db, close: () => db.close() };
  }
  const release = acquireDataDirLock(config.dataDir);
  try {
    const db = await openPglite(config.dataDir);
    return {
      db,
      async close() {
        try {
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
