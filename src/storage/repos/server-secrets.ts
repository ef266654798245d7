import type { Queryable } from '../db.js';

/** A server-wide secret shared by every process; the first process to ask creates it. */
export async function getOrCreateSecret(q: Queryable, name: string, generate: () => string): Promise<string> {
  await q.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, generate()]);
  const [row] = await q.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
  return row!.value;
}
