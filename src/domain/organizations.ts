import type { Queryable } from '../storage/db.js';
import { insertOrganization, listOrganizations } from '../storage/repos/organizations.js';
import { newId } from '../ids.js';

export async function createOrganization(q: Queryable, name: string, now: Date): Promise<string> {
  const id = newId('org', now.getTime());
  await insertOrganization(q, { id, name, createdAt: now });
  return id;
}

export async function organizations(q: Queryable): Promise<{ id: string; name: string }[]> {
  return (await listOrganizations(q)).map((o) => ({ id: o.id, name: o.name }));
}
