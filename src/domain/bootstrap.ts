import type { Db } from '../storage/db.js';
import { lockMigrations } from '../storage/migrate.js';
import { countOrganizations, insertOrganization } from '../storage/repos/organizations.js';
import { mintApiKey } from './keys/api-keys.js';
import { SCOPES } from '../auth/scopes.js';
import { newId } from '../ids.js';

/**
 * First start (operations.md): when the database holds no organization, create `Default` and a
 * key with every scope. Runs under the migration lock, so concurrent first starts create one.
 * Returns the secret, or null when the database was not empty.
 */
export async function bootstrapIfEmpty(db: Db, now: Date): Promise<{ organizationId: string; key: string } | null> {
  return db.tx(async (q) => {
    await lockMigrations(q);
    if ((await countOrganizations(q)) > 0) return null;
    const organizationId = newId('org', now.getTime());
    await insertOrganization(q, { id: organizationId, name: 'Default', createdAt: now });
    const minted = await mintApiKey(
      q,
      { organizationId, keyId: null, requestId: newId('req', now.getTime()), now },
      { name: 'bootstrap', scopes: [...SCOPES] },
      null,
    );
    return { organizationId, key: minted.key! };
  }, { unbounded: true }); // waits for the migration lock
}
