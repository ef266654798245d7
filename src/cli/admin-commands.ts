import type { Db } from '../storage/db.js';
import { migrate } from '../storage/migrate.js';
import { organizationExists } from '../storage/repos/organizations.js';
import { findApiKeyOrg, listApiKeys } from '../storage/repos/api-keys.js';
import { createOrganization, organizations } from '../domain/organizations.js';
import { mintApiKey, revokeKey } from '../domain/keys/api-keys.js';
import { ApiError } from '../errors.js';
import type { Scope } from '../auth/scopes.js';
import { newId } from '../ids.js';

/** The storage commands of the CLI; the only commands the local admin socket accepts. */
export type AdminCommand =
  | { kind: 'migrate' }
  | { kind: 'org-create'; name: string }
  | { kind: 'org-list' }
  | { kind: 'key-create'; org: string; scopes: Scope[]; name: string }
  | { kind: 'key-list'; org: string }
  | { kind: 'key-revoke'; keyId: string };

/** A failure with its exit status (1) and one-line reason. */
export class CliFailure extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

function ctx(organizationId: string) {
  const now = new Date();
  return { organizationId, keyId: null, requestId: newId('req', now.getTime()), now };
}

/** Runs one command and returns what it prints on stdout. */
export async function executeAdmin(db: Db, cmd: AdminCommand): Promise<string> {
  switch (cmd.kind) {
    case 'migrate':
      await migrate(db);
      return '';
    case 'org-create':
      return (await db.tx((q) => createOrganization(q, cmd.name, new Date()))) + '\n';
    case 'org-list':
      return (await organizations(db)).map((o) => `${o.id}\t${o.name}\n`).join('');
    case 'key-create': {
      if (!(await organizationExists(db, cmd.org))) throw new CliFailure(`unknown organization ${cmd.org}`);
      const minted = await db.tx((q) => mintApiKey(q, ctx(cmd.org), { name: cmd.name, scopes: cmd.scopes }, null));
      return `${minted.key}\n`;
    }
    case 'key-list': {
      if (!(await organizationExists(db, cmd.org))) throw new CliFailure(`unknown organization ${cmd.org}`);
      const rows = await listApiKeys(db, cmd.org, { limit: 100_000 });
      return rows
        .map((k) => `${k.id}\t${k.start}\t${k.name}\t${k.scopes.join(',')}\t${k.revokedAt ? k.revokedAt.toISOString() : '-'}\n`)
        .join('');
    }
    case 'key-revoke': {
      const org = await findApiKeyOrg(db, cmd.keyId);
      if (!org) throw new CliFailure(`unknown key ${cmd.keyId}`);
      try {
        await db.tx((q) => revokeKey(q, ctx(org), cmd.keyId));
      } catch (err) {
        if (err instanceof ApiError && err.code === 'not_found') throw new CliFailure(`key ${cmd.keyId} is already revoked`);
        throw err;
      }
      return '';
    }
  }
}
