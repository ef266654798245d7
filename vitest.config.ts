import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// `flowyte/client` is the package's own export (dist/ after a build); tests run the source
const resolve = { alias: { 'flowyte/client': new URL('./src/client/index.ts', import.meta.url).pathname } };

export default defineConfig({
  test: {
    // Files are independent (each has its own database), and much of a file's time is spent
    // waiting for PostgreSQL, child processes and chromium: on a 2-core machine Vitest's default
    // (cores − 1 = one file at a time) left a core idle. Two at once there: embedded pass
    // 345 → 272 s, PostgreSQL pass 168 → 107 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { resolve, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      // the dashboard in chromium against the real server on the embedded database (not rerun on PostgreSQL)
      { resolve, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
});
