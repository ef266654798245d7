// Runs the integration suite again on a real PostgreSQL server.
// FLOWYTE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test). Mandatory when CI=true;
// elsewhere an unreachable server skips the run with a message.
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const url = process.env.FLOWYTE_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ci = process.env.CI === 'true' || process.env.CI === '1';

async function reachable() {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch (err) {
    return err.message;
  } finally {
    await c.end().catch(() => {});
  }
}

const ok = await reachable();
if (ok !== true) {
  if (ci) {
    console.error(`PostgreSQL run is mandatory in CI, but ${url} is not reachable: ${ok}`);
    process.exit(1);
  }
  console.log(`Skipping the PostgreSQL run: ${url} is not reachable (${ok}). Set FLOWYTE_TEST_PG_URL to run it.`);
  process.exit(0);
}
console.log(`Running the integration suite again on PostgreSQL (${url})`);
const r = spawnSync('npx', ['vitest', 'run', '--project', 'integration', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FLOWYTE_TEST_PG_URL: url },
});
process.exit(r.status ?? 1);
