/**
 * Browser tests: the real server (`flowyte serve`, the built code and the built app in dist/web)
 * on a temporary embedded database, driven by playwright-core in Debian's chromium
 * (`/usr/bin/chromium`, installed by .ci/run; never a downloaded browser).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createClient, type FlowyteClient } from 'flowyte/client';
import { bootstrapKey, freePort, serverEnv, startServer, tempDir, type Server } from '../e2e/processes.js';

export const CHROMIUM = process.env.FLOWYTE_CHROMIUM ?? '/usr/bin/chromium';
const ci = process.env.CI === 'true' || process.env.CI === '1';
const ROOT = path.resolve(import.meta.dirname, '../..');

/** Whether the browser suite can run here (in CI it must: a missing chromium fails there). */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (ci) throw new Error(`${CHROMIUM} is missing; .ci/run installs it with apt-get install -y chromium`);
  console.warn(`Skipping the browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`);
  return false;
}

export interface Stack {
  server: Server;
  url: string;
  /** the bootstrap key (every scope) */
  key: string;
  client: FlowyteClient;
  browser: Browser;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  if (!existsSync(path.join(ROOT, 'dist/web/index.html'))) throw new Error('dist/web is not built: npm run build:web');
  const dir = tempDir();
  const port = await freePort();
  const server = await startServer({ ...serverEnv({ dataDir: dir, port }), FLOWYTE_WEB_ROOT: path.join(ROOT, 'dist/web') });
  const key = bootstrapKey(dir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    server,
    url: server.url,
    key,
    client: createClient({ baseUrl: server.url, apiKey: key }),
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      server.proc.kill('SIGTERM');
      await server.exited;
    },
  };
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** console errors and page errors seen so far */
  problems: string[];
}

/** A fresh browser context (its own sessionStorage) at a viewport width, collecting console errors. */
export async function openTab(stack: Stack, width = 1280): Promise<Tab> {
  const context = await stack.browser.newContext({ viewport: { width, height: width > 600 ? 900 : 844 }, baseURL: stack.url });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { context, page, problems };
}

/**
 * Console errors other than the browser's own log of an HTTP error status, which a test causes
 * on purpose (a 400 for an invalid value, a 401 for a revoked key) and the app handles.
 */
export function unexpectedProblems(tab: Tab): string[] {
  return tab.problems.filter((p) => !/Failed to load resource: the server responded with a status of (4\d\d)/.test(p));
}

export async function signIn(tab: Tab, key: string, at = '/agents'): Promise<void> {
  await tab.page.goto(at);
  await tab.page.getByLabel('API key').fill(key);
  await tab.page.getByRole('button', { name: 'Sign in' }).click();
  await tab.page.getByRole('navigation', { name: 'Main' }).waitFor();
}

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the current page: the serious and critical violations (WCAG 2.x A/AA rules). */
export async function axeViolations(page: Page): Promise<string[]> {
  // evaluated through the debugging protocol, so the page's CSP (script-src 'self') allows it
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return (r.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]).map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join('; ')})`);
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/** Polls `fn` until it stops throwing (for state that reaches the server after a debounce). */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
