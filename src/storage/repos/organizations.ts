import type { Queryable } from '../db.js';

export interface OrganizationRow {
  id: string;
  name: string;
  createdAt: Date;
}

export async function insertOrganization(q: Queryable, org: OrganizationRow): Promise<void> {
  await q.query('INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)', [org.id, org.name, org.createdAt]);
}

export async function listOrganizations(q: Queryable): Promise<OrganizationRow[]> {
  // user text comes back as jsonb: see src/storage/README.md ("A leading U+FEFF")
  return q.query<OrganizationRow>('SELECT id, to_jsonb(name) AS name, created_at AS "createdAt" FROM organizations ORDER BY id');
}

export async function organizationExists(q: Queryable, orgId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM organizations WHERE id = $1', [orgId])).length > 0;
}

export async function countOrganizations(q: Queryable): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations');
  return row!.n;
}
