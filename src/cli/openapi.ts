import { openPglite } from '../storage/db.js';
import { migrate } from '../storage/migrate.js';
import { buildApp } from '../app.js';

/**
 * The OpenAPI document, built from the route schemas. It never opens the configured storage:
 * the app is built on a throwaway in-memory database.
 */
export async function openapiDocument(): Promise<unknown> {
  const db = await openPglite();
  try {
    await migrate(db);
    const app = await buildApp({ db, logger: false });
    const doc = app.swagger();
    await app.close();
    return doc;
  } finally {
    await db.close();
  }
}
