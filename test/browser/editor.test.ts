import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, eventually, expectAccessible, openTab, signIn, startStack, unexpectedProblems, type Stack } from './harness.js';

/** The agent editor: autosave, rebase over edits made elsewhere, field errors, read-only keys. */
describe.runIf(browserAvailable())('agent editor in chromium', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function openEditor(name: string, width = 1280) {
    const agent = await stack.client.createAgent({ name });
    const tab = await openTab(stack, width);
    await signIn(tab, stack.key, `/agents/${agent.id}`);
    await tab.page.getByRole('heading', { level: 1, name }).waitFor();
    return { agent, tab, page: tab.page };
  }

  it('an edit is saved through the API after the debounce, and the page says so', async () => {
    const { agent, tab, page } = await openEditor('Autosave desk');
    await page.getByLabel('Tone', { exact: true }).fill('warm and brief');
    await expect.poll(() => page.locator('[data-state]').first().getAttribute('data-state')).toBe('saved');
    const stored = await stack.client.getAgent(agent.id);
    expect(stored.tone).toBe('warm and brief');
    expect(stored.version).toBe(agent.version + 1);
    await expectAccessible(page);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('an edit made through the API to another field while the page edits survives, and the page shows it', async () => {
    const { agent, tab, page } = await openEditor('Two editors desk');
    await page.getByLabel('Tone', { exact: true }).fill('from the page');
    // before the page's debounce ends, someone else changes the persona
    await stack.client.updateAgent(agent.id, { persona: 'from the API' }, { ifMatch: agent.version });
    await expect.poll(async () => (await stack.client.getAgent(agent.id)).tone).toBe('from the page');
    const stored = await stack.client.getAgent(agent.id);
    expect(stored.persona).toBe('from the API');
    expect(stored.version).toBe(agent.version + 2);
    await expect.poll(() => page.getByLabel('Persona', { exact: true }).inputValue()).toBe('from the API');
    await expect.poll(() => page.getByTestId('conflict-notice').textContent()).toContain('Merged changes made elsewhere: Persona');
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('the same field edited in both places: the page is told, its edit kept', async () => {
    const { agent, tab, page } = await openEditor('Same field desk');
    await page.getByLabel('Greeting', { exact: true }).fill('Hello from the page');
    await stack.client.updateAgent(agent.id, { greeting: 'Hello from the API' }, { ifMatch: agent.version });
    const notice = page.getByTestId('conflict-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Also changed elsewhere: Greeting');
    const stored = await stack.client.getAgent(agent.id);
    expect(stored.greeting).toBe('Hello from the page');
    await expectAccessible(page);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('a list changed in both places keeps both sides\' items (a rule added elsewhere, another renamed here)', async () => {
    const rule = (label: string, destination: string) => ({ label, when: `the caller asks about ${label.toLowerCase()}`, destination });
    const agent = await stack.client.createAgent({ name: 'Rules desk', handoffConfig: { transferRules: [rule('Billing', '+14155550188')] } });
    const tab = await openTab(stack);
    const page = tab.page;
    await signIn(tab, stack.key, `/agents/${agent.id}`);
    await page.getByLabel('Label', { exact: true }).fill('Billing office');
    await stack.client.updateAgent(agent.id, { handoffConfig: { transferRules: [rule('Billing', '+14155550188'), rule('Emergencies', '+14155550199')] } }, { ifMatch: agent.version });
    await expect.poll(async () => (await stack.client.getAgent(agent.id)).handoffConfig.transferRules.map((r) => r.label)).toEqual(['Billing office', 'Emergencies']);
    await expect.poll(() => page.getByTestId('conflict-notice').textContent()).toContain('Transfer rules');
    await expect.poll(() => page.getByLabel('Label', { exact: true }).count()).toBe(2);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('a new transfer rule is kept on screen until complete, then saved', async () => {
    const { agent, tab, page } = await openEditor('New rule desk');
    await page.getByRole('button', { name: 'Add transfer rule' }).click();
    await page.getByLabel('New rule label').fill('Billing');
    expect(await page.getByRole('button', { name: 'Add rule' }).isDisabled()).toBe(true);
    await page.getByLabel('New rule destination').fill('(415) 555-0134');
    await page.getByLabel('New rule: when').fill('the caller asks about a bill');
    expect((await stack.client.getAgent(agent.id)).version).toBe(agent.version); // nothing sent yet
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(async () => (await stack.client.getAgent(agent.id)).handoffConfig.transferRules).toEqual([{ label: 'Billing', when: 'the caller asks about a bill', destination: '+14155550134' }]);
    // the normalised number comes back into the form
    await expect.poll(() => page.getByLabel('Destination', { exact: true }).inputValue()).toBe('+14155550134');
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('an invalid value shows the field error, stays editable, and nothing is saved', async () => {
    const { agent, tab, page } = await openEditor('Invalid value desk');
    const temperature = page.getByLabel('Temperature (0–2)');
    await temperature.fill('5');
    const field = page.locator('[data-field="llmTemperature"]');
    await field.getByRole('alert').waitFor();
    expect(await field.getByRole('alert').textContent()).toMatch(/2/);
    expect(await temperature.getAttribute('aria-invalid')).toBe('true');
    expect(await temperature.inputValue()).toBe('5');
    expect(await page.locator('[data-state]').first().getAttribute('data-state')).toBe('error');
    const stored = await stack.client.getAgent(agent.id);
    expect(stored.llmTemperature).toBe(0.4);
    expect(stored.version).toBe(agent.version);
    // fixing it saves
    await temperature.fill('0.9');
    await expect.poll(async () => (await stack.client.getAgent(agent.id)).llmTemperature).toBe(0.9);
    expect(await field.getByRole('alert').count()).toBe(0);
    await tab.context.close();
  });

  it('a read-only key sees the agent but no edit controls', async () => {
    const agent = await stack.client.createAgent({ name: 'Read-only desk' });
    const reader = await stack.client.createApiKey({ name: 'reader', scopes: ['agents:read'] });
    const tab = await openTab(stack);
    await signIn(tab, reader.key!, `/agents/${agent.id}`);
    const page = tab.page;
    await page.getByRole('heading', { level: 1, name: 'Read-only desk' }).waitFor();
    expect(await page.getByText('Read-only: your key cannot edit agents').count()).toBe(1);
    expect(await page.getByLabel('Tone', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /Add transfer rule/ }).count()).toBe(0);
    // no navigation to screens the key cannot use
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Versions' }).click();
    expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('works on a 390 px phone screen without sideways scrolling', async () => {
    const { tab, page } = await openEditor('Phone desk', 390);
    await page.getByLabel('Tone', { exact: true }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await tab.context.close();
  });

  it('sign-in screen: a bad key is refused plainly; sign-out forgets the key', async () => {
    const tab = await openTab(stack);
    const page = tab.page;
    await page.goto('/agents');
    await expectAccessible(page);
    await page.getByLabel('API key').fill('flowyte_sk_live_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This key is not valid').waitFor();
    await page.getByLabel('API key').fill(stack.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });
});
