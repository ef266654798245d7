import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, FlowyteError } from 'flowyte/client';
import { browserAvailable, expectAccessible, openTab, signIn, startStack, unexpectedProblems, type Stack } from './harness.js';

/** The admin screens: the agents list (create, search, filters, pages, delete), API keys, the audit trail. */
describe.runIf(browserAvailable())('admin screens in chromium', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** The names in the agents table's rows, in order. */
  function agentRows(page: Page): Locator {
    return page.getByTestId('agents-table').locator('tbody tr');
  }
  async function agentNames(page: Page): Promise<string[]> {
    return page.getByTestId('agents-table').locator('tbody tr td:first-child a').allTextContents();
  }
  /** Types in the search box and waits for the (debounced) list request it causes. */
  async function search(page: Page, text: string): Promise<void> {
    const asked = page.waitForResponse((r) => {
      const u = new URL(r.url());
      return u.pathname === '/api/v1/agents' && u.searchParams.get('q') === text.trim();
    });
    await page.getByRole('searchbox', { name: 'Search by name' }).fill(text);
    await asked;
  }
  async function rejection(p: Promise<unknown>): Promise<FlowyteError> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FlowyteError);
    return err as FlowyteError;
  }
  async function horizontalOverflow(page: Page): Promise<number> {
    return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  it('creates an agent from the list and opens it; a duplicate name is refused next to the field', async () => {
    const name = 'Lighthouse desk';
    const tab = await openTab(stack);
    const page = tab.page;
    await signIn(tab, stack.key, '/agents');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.waitForURL(/\/agents\/agt_[0-9A-Za-z]+$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const found = await stack.client.listAgents({ q: name });
    expect(found.items.map((a) => [a.id, a.name])).toEqual([[id, name]]);

    // the same name again
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    const input = page.getByLabel('Name', { exact: true });
    await input.fill(name);
    await page.getByRole('button', { name: 'Create agent' }).click();
    const error = page.getByTestId('create-agent-name-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/name/i);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
    expect(new URL(page.url()).pathname).toBe('/agents');
    expect((await stack.client.listAgents({ q: name })).items.map((a) => a.id)).toEqual([id]);
    // typing clears the error
    await input.fill(`${name} 2`);
    await error.waitFor({ state: 'detached' });
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('the search box and the status filter narrow the rows', async () => {
    const ferry = await stack.client.createAgent({ name: 'Harbor ferry desk' });
    const pilot = await stack.client.createAgent({ name: 'Harbor pilot desk' });
    await stack.client.createAgent({ name: 'Meadow desk' });
    await stack.client.publishAgent(pilot.id, {});
    const tab = await openTab(stack);
    const page = tab.page;
    await signIn(tab, stack.key, '/agents');
    await agentRows(page).first().waitFor();
    await expect.poll(() => agentNames(page)).toContain('Meadow desk');

    await search(page, 'harbor');
    await expect.poll(async () => (await agentNames(page)).sort()).toEqual(['Harbor ferry desk', 'Harbor pilot desk']);

    await page.getByLabel('Status', { exact: true }).selectOption('published');
    await expect.poll(() => agentNames(page)).toEqual(['Harbor pilot desk']);
    const row = page.locator(`tr[data-agent-id="${pilot.id}"]`);
    expect(await row.locator('.badge.published').textContent()).toBe('Published');

    await page.getByLabel('Status', { exact: true }).selectOption('draft');
    await expect.poll(() => agentNames(page)).toEqual(['Harbor ferry desk']);
    expect(await page.locator(`tr[data-agent-id="${ferry.id}"] .badge.draft`).textContent()).toBe('Draft');

    await search(page, 'no such harbor');
    await page.getByTestId('agents-empty').waitFor();
    expect(await page.getByTestId('agents-empty').textContent()).toContain('No agents match these filters.');
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('pages through more than 20 matches with Next and Previous', async () => {
    const names: string[] = [];
    for (let i = 1; i <= 23; i++) {
      const name = `Pagination quay ${String(i).padStart(2, '0')}`;
      await stack.client.createAgent({ name });
      names.push(name);
    }
    const newestFirst = [...names].reverse();
    const tab = await openTab(stack);
    const page = tab.page;
    await signIn(tab, stack.key, '/agents');
    await agentRows(page).first().waitFor();
    await search(page, 'pagination quay');
    await expect.poll(() => agentNames(page)).toEqual(newestFirst.slice(0, 20));

    const pager = page.getByRole('navigation', { name: 'Agents pages' });
    const previous = pager.getByRole('button', { name: 'Previous' });
    const next = pager.getByRole('button', { name: 'Next' });
    expect(await pager.getByText('Page 1').count()).toBe(1);
    expect(await previous.isDisabled()).toBe(true);

    await next.click();
    await expect.poll(() => agentNames(page)).toEqual(newestFirst.slice(20));
    await pager.getByText('Page 2').waitFor();
    await expect.poll(() => next.isDisabled()).toBe(true);
    expect(await page.getByTestId('agents-table').locator('caption').textContent()).toBe('Agents, page 2');

    await previous.click();
    await expect.poll(() => agentNames(page)).toEqual(newestFirst.slice(0, 20));
    await pager.getByText('Page 1').waitFor();
    await expect.poll(() => previous.isDisabled()).toBe(true);

    // a narrower search fits one page: the pager goes away
    await search(page, 'pagination quay 2');
    await expect.poll(async () => (await agentNames(page)).sort()).toEqual(['Pagination quay 20', 'Pagination quay 21', 'Pagination quay 22', 'Pagination quay 23']);
    expect(await pager.count()).toBe(0);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('delete asks first: Cancel and Escape keep the agent, Delete removes it (404 afterwards)', async () => {
    const name = 'Doomed kiosk';
    const agent = await stack.client.createAgent({ name });
    const tab = await openTab(stack);
    const page = tab.page;
    await signIn(tab, stack.key, '/agents');
    await search(page, name);
    await expect.poll(() => agentNames(page)).toEqual([name]);
    const open = page.getByRole('button', { name: `Delete ${name}`, exact: true });
    const dialog = page.getByRole('dialog', { name: `Delete ${name}` });

    // Cancel
    await open.click();
    await dialog.waitFor();
    // focus starts on Cancel, the safe choice
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Delete ${name}`);
    expect((await stack.client.getAgent(agent.id)).name).toBe(name);
    expect(await agentNames(page)).toEqual([name]);

    // Escape
    await open.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await stack.client.getAgent(agent.id)).name).toBe(name);
    expect(await agentNames(page)).toEqual([name]);

    // Delete
    await open.click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('agents-empty').waitFor();
    expect(await page.locator(`tr[data-agent-id="${agent.id}"]`).count()).toBe(0);
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Deleted ${name}.` }).count()).toBe(1);
    // focus goes to the heading, the opener being gone
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    const err = await rejection(stack.client.getAgent(agent.id));
    expect(err.status).toBe(404);
    expect((await stack.client.listAgents({ q: name })).items).toEqual([]);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('API keys: mint shows the secret once, it works with its scopes, Copy copies it, revoking it makes it 401', async () => {
    const keyName = 'Reporting robot';
    const tab = await openTab(stack);
    const page = tab.page;
    await signIn(tab, stack.key, '/keys');
    await page.getByTestId('keys-table').waitFor();
    await page.getByLabel('Name', { exact: true }).fill(keyName);
    await page.getByLabel('agents:read', { exact: true }).check();
    await page.getByRole('button', { name: 'Mint key' }).click();

    const secretInput = page.getByTestId('new-key-secret');
    await secretInput.waitFor();
    const secret = await secretInput.inputValue();
    expect(secret).toMatch(/^flowyte_sk_/);
    expect(await page.getByLabel('Secret key').inputValue()).toBe(secret);
    expect(await page.getByTestId('new-key').getByRole('heading').textContent()).toContain(keyName);
    // the form is reset
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('agents:read', { exact: true }).isChecked()).toBe(false);

    const minted = createClient({ baseUrl: stack.url, apiKey: secret });
    const me = await minted.me();
    expect(me.scopes).toEqual(['agents:read']);
    // the new key is listed (without its secret)
    const row = page.locator(`tr[data-key-id="${me.keyId}"]`);
    await row.waitFor();
    expect(await row.locator('td').first().textContent()).toBe(keyName);
    expect(await row.textContent()).not.toContain(secret);

    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByTestId('new-key').waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);
    expect(await page.evaluate((s) => document.body.innerText.includes(s) || [...document.querySelectorAll('input')].some((i) => i.value === s), secret)).toBe(false);

    // revoke it
    await page.getByRole('button', { name: `Revoke ${keyName}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke ${keyName}` });
    await dialog.waitFor();
    expect(await dialog.getByTestId('revoke-self-warning').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('Revoked').waitFor();
    expect(await row.getByRole('button', { name: `Revoke ${keyName}` }).count()).toBe(0);
    const err = await rejection(minted.me());
    expect(err.status).toBe(401);
    const listed = (await stack.client.listApiKeys({ limit: 100 })).items.find((k) => k.id === me.keyId);
    expect(listed?.revokedAt).toEqual(expect.any(String));
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('a key with agents:read and keys:read sees the lists but cannot mint, revoke, create or delete', async () => {
    await stack.client.createAgent({ name: 'Read-only list desk' });
    const reader = await stack.client.createApiKey({ name: 'list reader', scopes: ['agents:read', 'keys:read'] });
    const tab = await openTab(stack);
    const page = tab.page;
    await signIn(tab, reader.key!, '/keys');
    const keysTable = page.getByTestId('keys-table');
    await keysTable.waitFor();
    await keysTable.locator(`tr[data-key-id="${reader.id}"]`).getByText('This key').waitFor();
    expect(await keysTable.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByRole('heading', { name: 'Mint a key' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Mint key' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    expect(await keysTable.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Audit trail' }).count()).toBe(0);

    await nav.getByRole('link', { name: 'Agents', exact: true }).click();
    await expect.poll(() => agentNames(page)).toContain('Read-only list desk');
    expect(await page.getByRole('button', { name: 'Create agent' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'New agent' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    expect(await page.getByText('Create the first one').count()).toBe(0);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('audit trail: filtering by an agent shows only its events, its create and update among them; ?resourceId= works directly', async () => {
    const agents = [];
    for (const name of ['Audit alpha desk', 'Audit beta desk']) {
      const a = await stack.client.createAgent({ name });
      await stack.client.updateAgent(a.id, { tone: `tone of ${name}` }, { ifMatch: a.version });
      agents.push(a);
    }
    const [alpha, beta] = agents as [(typeof agents)[0], (typeof agents)[0]];
    const eventsOf = async (id: string) => (await stack.client.listAuditEvents({ resourceId: id, limit: 100 })).items;

    const tab = await openTab(stack);
    const page = tab.page;
    await signIn(tab, stack.key, '/audit');
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const rows = async () =>
      table.locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          id: tr.getAttribute('data-event-id'),
          action: tr.querySelector('td:nth-child(2)')?.textContent,
          resource: tr.querySelector('td:nth-child(3) code')?.textContent,
        })),
      );
    // unfiltered, both agents appear
    await expect.poll(async () => (await rows()).map((r) => r.resource)).toEqual(expect.arrayContaining([alpha.id, beta.id]));

    await page.getByLabel('Agent', { exact: true }).selectOption({ label: 'Audit alpha desk' });
    await page.waitForURL((u) => u.searchParams.get('resourceId') === alpha.id);
    const expectedAlpha = await eventsOf(alpha.id);
    expect(expectedAlpha.map((e) => e.action).sort()).toEqual(['agent.create', 'agent.update']);
    await expect.poll(async () => (await rows()).map((r) => r.id)).toEqual(expectedAlpha.map((e) => e.id));
    const shown = await rows();
    expect(shown.every((r) => r.resource === alpha.id)).toBe(true);
    expect(shown.map((r) => r.action).sort()).toEqual(['agent.create', 'agent.update']);
    expect(await table.locator('caption').textContent()).toBe('Audit events of Audit alpha desk');
    // the resource cell names the agent and links to it
    expect(await table.getByRole('link', { name: 'Audit alpha desk' }).first().getAttribute('href')).toBe(`/agents/${alpha.id}`);
    expect(await page.getByLabel('Resource id').inputValue()).toBe(alpha.id);

    // straight to a filtered URL
    await page.goto(`/audit?resourceId=${beta.id}`);
    await table.waitFor();
    const expectedBeta = await eventsOf(beta.id);
    await expect.poll(async () => (await rows()).map((r) => r.id)).toEqual(expectedBeta.map((e) => e.id));
    const shownBeta = await rows();
    expect(shownBeta.every((r) => r.resource === beta.id)).toBe(true);
    expect(shownBeta.map((r) => r.action).sort()).toEqual(['agent.create', 'agent.update']);
    await expect.poll(() => page.getByLabel('Agent', { exact: true }).inputValue()).toBe(beta.id);

    // clearing shows everything again
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(async () => new Set((await rows()).map((r) => r.resource)).size).toBeGreaterThan(1);
    expect(new URL(page.url()).search).toBe('');
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('accessible at 1280 px: agents list, keys (new secret, revoke dialog), audit trail', async () => {
    await stack.client.createAgent({ name: 'Accessible desk' });
    const tab = await openTab(stack);
    const page = tab.page;
    await signIn(tab, stack.key, '/agents');
    await agentRows(page).first().waitFor();
    await expectAccessible(page);

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'API keys' }).click();
    await page.getByTestId('keys-table').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Accessible key');
    await page.getByLabel('audit:read', { exact: true }).check();
    await page.getByRole('button', { name: 'Mint key' }).click();
    await page.getByTestId('new-key-secret').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByRole('button', { name: 'Revoke Accessible key', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke Accessible key' });
    await dialog.waitFor();
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await nav.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByTestId('audit-table').waitFor();
    await expectAccessible(page);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('agents list and keys screen fit a 390 px phone without sideways scrolling, accessibly', async () => {
    const tab = await openTab(stack, 390);
    const page = tab.page;
    await signIn(tab, stack.key, '/agents');
    await agentRows(page).first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByTestId('keys-table').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });
});
