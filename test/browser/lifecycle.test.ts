import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, AgentCreate } from 'flowyte/client';
import { browserAvailable, expectAccessible, openTab, signIn, startStack, unexpectedProblems, type Stack, type Tab } from './harness.js';

type BusinessHours = Agent['businessHours'];

/** expect.poll with room for a busy machine (its default gives up after 1 s). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 50 });

/** `YYYY-MM-DD` of the first `weekday` (0 = Sunday) at least `minDays` days after today (UTC). */
function futureDate(minDays: number, weekday: number, plusDays = 0): string {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + minDays);
  while (d.getUTCDay() !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d.toISOString().slice(0, 10);
}

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;
const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

/** Berlin, Monday–Friday 09:00–17:00, with one closed holiday. */
function scheduleWithHoliday(date: string, name: string): BusinessHours {
  const weekly: NonNullable<BusinessHours['weekly']> = {};
  for (const k of WEEKDAY_KEYS) weekly[k] = [{ start: '09:00', end: '17:00' }];
  return { timezone: 'Europe/Berlin', weekly, holidays: [{ date, name, closed: true }] };
}

/** Lifecycle screens of the agent page: business hours, versions (publish, diff, rollback), live preview. */
describe.runIf(browserAvailable())('agent lifecycle screens in chromium', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function open(agent: Agent, tabPath: '' | '/hours' | '/versions' | '/live', o: { key?: string; width?: number } = {}): Promise<{ tab: Tab; page: Page }> {
    const tab = await openTab(stack, o.width);
    await signIn(tab, o.key ?? stack.key, `/agents/${agent.id}${tabPath}`);
    await tab.page.getByRole('heading', { level: 1, name: agent.name }).waitFor();
    return { tab, page: tab.page };
  }

  const saveState = (page: Page) => page.locator('.save-status[data-state]').getAttribute('data-state');
  const agentTab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Agent' }).getByRole('link', { name, exact: true }).click();

  async function createAgent(body: AgentCreate): Promise<Agent> {
    return stack.client.createAgent(body);
  }

  /** An agent published twice (greetings "<name> v1", "<name> v2"), its draft then edited to "<name> draft". */
  async function agentWithTwoVersions(name: string) {
    const created = await createAgent({ name, greeting: `${name} v1` });
    const v1 = await stack.client.publishAgent(created.id, { note: 'one' });
    await stack.client.updateAgent(created.id, { greeting: `${name} v2` });
    const v2 = await stack.client.publishAgent(created.id, { note: 'two' });
    await stack.client.updateAgent(created.id, { greeting: `${name} draft` });
    const agent = await stack.client.getAgent(created.id);
    return { agent, v1, v2 };
  }

  it('business hours: a schedule and a holiday are set, saved as edited, and previewed open and closed', async () => {
    const agent = await createAgent({ name: 'Hours desk' });
    expect(agent.businessHours).toEqual({});
    const { tab, page } = await open(agent, '/hours');
    await page.getByTestId('hours-unconfigured').waitFor();
    await page.getByRole('button', { name: 'Set business hours' }).click();

    await page.getByLabel('Time zone', { exact: true }).fill('Europe/Berlin');
    for (const day of WEEKDAY_NAMES) {
      await page.getByLabel(`${day} range 1 start`, { exact: true }).fill('08:00');
      await page.getByLabel(`${day} range 1 end`, { exact: true }).fill('18:30');
    }
    const holiday = futureDate(14, 3); // a Wednesday, two weeks or more ahead
    const dayBefore = futureDate(14, 3, -1); // the Tuesday before it
    await page.getByRole('button', { name: '+ Add holiday' }).click();
    await page.getByLabel('Start date of holiday 1', { exact: true }).fill(holiday);
    await page.getByLabel('Name of holiday 1', { exact: true }).fill('Founders Day');
    expect(await page.getByLabel('Closed all day (holiday 1)', { exact: true }).isChecked()).toBe(true);

    const weekly: NonNullable<BusinessHours['weekly']> = {};
    for (const k of WEEKDAY_KEYS) weekly[k] = [{ start: '08:00', end: '18:30' }];
    const expected: BusinessHours = { timezone: 'Europe/Berlin', weekly, holidays: [{ date: holiday, name: 'Founders Day', closed: true }] };
    await poll(async () => (await stack.client.getAgent(agent.id)).businessHours).toEqual(expected);
    await poll(() => saveState(page)).toBe('saved');
    await page.locator('[data-state="saved"]').waitFor();
    // the form shows what was stored
    expect(await page.getByLabel('Monday range 1 end', { exact: true }).inputValue()).toBe('18:30');

    // the preview, in the schedule's zone
    const at = page.getByLabel(/^Preview at/);
    expect(await page.getByTestId('hours-preview').textContent()).toContain("Europe/Berlin, the schedule's zone");
    const state = page.getByTestId('hours-preview-state');
    await at.fill(`${dayBefore}T18:00`);
    await poll(() => state.textContent()).toBe('Open at that time');
    expect(await state.getAttribute('data-open')).toBe('true');
    expect(await page.getByTestId('hours-preview').textContent()).toContain('Weekly hours (08:00–18:30)');

    await at.fill(`${holiday}T18:00`);
    await poll(() => state.textContent()).toBe('Closed at that time');
    expect(await state.getAttribute('data-open')).toBe('false');
    const preview = await page.getByTestId('hours-preview').textContent();
    expect(preview).toContain(`Holiday: Founders Day (${holiday})`);
    // it reopens the next morning, a normal Thursday
    expect(await page.getByTestId('hours-preview-next-open').textContent()).toMatch(/Thu, .* 8:00 AM/);

    // outside the weekly hours on a normal day: closed, for the weekly reason
    await at.fill(`${dayBefore}T18:30`);
    await poll(() => page.getByTestId('hours-preview').textContent()).toContain('Tuesday 6:30 PM');
    expect(await state.getAttribute('data-open')).toBe('false');
    expect(await page.getByTestId('hours-preview').textContent()).not.toContain('Founders Day');

    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('the save status does not say "saved" while a later edit waits to be saved', async () => {
    const agent = await createAgent({ name: 'Pending status desk', businessHours: scheduleWithHoliday(futureDate(20, 2), 'Closed day') });
    const { tab, page } = await open(agent, '/hours');
    await page.getByLabel('Monday range 1 end', { exact: true }).fill('16:00');
    await poll(async () => (await stack.client.getAgent(agent.id)).businessHours.weekly?.mon).toEqual([{ start: '09:00', end: '16:00' }]);
    await poll(() => saveState(page)).toBe('saved');
    // a second edit: until the debounce sends it, the page must not claim that all changes are saved
    await page.getByLabel('Tuesday range 1 end', { exact: true }).fill('16:00');
    expect(await saveState(page)).not.toBe('saved');
    await poll(async () => (await stack.client.getAgent(agent.id)).businessHours.weekly?.tue).toEqual([{ start: '09:00', end: '16:00' }]);
    await poll(() => saveState(page)).toBe('saved');
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('an invalid range shows its error beside the range, nothing is saved, and fixing it saves', async () => {
    const agent = await createAgent({ name: 'Bad range desk', businessHours: scheduleWithHoliday(futureDate(30, 4), 'Inventory') });
    const { tab, page } = await open(agent, '/hours');
    const end = page.getByLabel('Monday range 1 end', { exact: true });
    await end.fill('09:00'); // == start
    const row = page.locator('[data-day="mon"] .range-row').first();
    const alert = row.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Range 1 end: .+/);
    expect(await end.getAttribute('aria-invalid')).toBe('true');
    expect(await end.inputValue()).toBe('09:00');
    // only Monday's range shows it
    expect(await page.locator('[data-day="tue"]').getByRole('alert').count()).toBe(0);
    await poll(() => saveState(page)).toBe('error');
    const stored = await stack.client.getAgent(agent.id);
    expect(stored.version).toBe(agent.version);
    expect(stored.businessHours).toEqual(agent.businessHours);

    await end.fill('12:00');
    await poll(async () => (await stack.client.getAgent(agent.id)).businessHours.weekly?.mon).toEqual([{ start: '09:00', end: '12:00' }]);
    await poll(() => saveState(page)).toBe('saved');
    expect(await row.getByRole('alert').count()).toBe(0);
    expect(await end.getAttribute('aria-invalid')).toBeNull();
    const fixed = await stack.client.getAgent(agent.id);
    expect(fixed.businessHours).toEqual({ ...agent.businessHours, weekly: { ...agent.businessHours.weekly, mon: [{ start: '09:00', end: '12:00' }] } });
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('publish, diff against the draft, publish again, live preview, roll back (cancel and Escape change nothing)', async () => {
    const agent = await createAgent({ name: 'Release desk', greeting: 'Hello v1' });
    const { tab, page } = await open(agent, '/versions');
    const notice = page.getByTestId('versions-notice');

    // version 1
    await page.getByLabel('Note', { exact: true }).fill('first');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await poll(() => notice.textContent()).toContain('Published version 1');
    const afterFirst = await stack.client.getAgent(agent.id);
    expect(afterFirst.publishedVersionId).toMatch(/^agv_/);
    expect(afterFirst.hasUnpublishedChanges).toBe(false);
    const list1 = await stack.client.listVersions(agent.id);
    expect(list1.items.map((v) => [v.number, v.note, v.id])).toEqual([[1, 'first', afterFirst.publishedVersionId]]);
    const v1 = list1.items[0]!;
    expect(await page.locator('tr[data-version="1"]').textContent()).toContain('first');
    expect(await page.getByLabel('Note', { exact: true }).inputValue()).toBe('');

    // edit the greeting in Settings
    await agentTab(page, 'Settings');
    await page.getByLabel('Greeting', { exact: true }).fill('Hello v2');
    await poll(async () => (await stack.client.getAgent(agent.id)).greeting).toBe('Hello v2');
    await poll(() => saveState(page)).toBe('saved');
    await page.getByText('Unpublished changes', { exact: true }).waitFor();

    // the diff of version 1 against the draft
    await agentTab(page, 'Versions');
    const change = page.getByTestId('diff').locator('[data-field="greeting"]');
    await change.waitFor();
    expect(await change.locator('.diff-old .diff-value').textContent()).toBe('Hello v1');
    expect(await change.locator('.diff-new .diff-value').textContent()).toBe('Hello v2');
    expect(await change.locator('.diff-old .diff-side-label').textContent()).toBe('Version 1');
    expect(await change.locator('.diff-new .diff-side-label').textContent()).toBe('Draft');
    expect(await page.getByTestId('diff').locator('[data-field]').count()).toBe(1);

    // version 2
    await page.getByLabel('Note', { exact: true }).fill('second');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await poll(() => notice.textContent()).toContain('Published version 2');
    const afterSecond = await stack.client.getAgent(agent.id);
    const list2 = await stack.client.listVersions(agent.id);
    expect(list2.items.map((v) => [v.number, v.note])).toEqual([
      [2, 'second'],
      [1, 'first'],
    ]);
    const v2 = list2.items[0]!;
    expect(afterSecond.publishedVersionId).toBe(v2.id);
    await page.getByTestId('diff-unchanged').waitFor(); // version 2 (live) against the draft
    expect(await page.getByText('Unpublished changes', { exact: true }).count()).toBe(0);

    // live preview: version 2
    await agentTab(page, 'Live preview');
    const greeting = page.getByTestId('live-greeting');
    await poll(() => greeting.textContent()).toBe('Hello v2');
    expect(await page.getByTestId('live-config').textContent()).toContain('Version 2');

    // roll back: Cancel, then Escape, change nothing
    await agentTab(page, 'Versions');
    const rollBack = page.getByRole('button', { name: 'Roll back to version 1', exact: true });
    const dialog = page.getByRole('dialog', { name: 'Roll back to version 1?' });
    expect(await page.getByRole('button', { name: 'Roll back to version 2', exact: true }).count()).toBe(0); // the live one
    await rollBack.click();
    await dialog.waitFor();
    await poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    expect(await dialog.textContent()).toContain('instead of version 2');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Roll back to version 1');
    await rollBack.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    const untouched = await stack.client.getAgent(agent.id);
    expect(untouched.publishedVersionId).toBe(v2.id);
    expect(untouched.version).toBe(afterSecond.version);
    expect(await notice.count()).toBe(0);

    // roll back for real
    await rollBack.click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Roll back', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await poll(() => notice.textContent()).toContain('Version 1 is live again');
    const rolled = await stack.client.getAgent(agent.id);
    expect(rolled.publishedVersionId).toBe(v1.id);
    expect(rolled.greeting).toBe('Hello v2');
    expect(rolled.hasUnpublishedChanges).toBe(true);
    expect((await stack.client.listVersions(agent.id)).items).toHaveLength(2);
    await page.getByText('Unpublished changes', { exact: true }).waitFor();
    expect(await page.locator('tr[data-version="1"]').textContent()).toContain('Live');
    await page.getByRole('button', { name: 'Roll back to version 2', exact: true }).waitFor();

    // live preview: version 1, on both channels
    await agentTab(page, 'Live preview');
    await poll(() => greeting.textContent()).toBe('Hello v1');
    expect(await page.getByTestId('live-config').textContent()).toContain('Version 1');
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await poll(() => page.getByTestId('live-config').locator('.live-what').textContent()).toContain('Chat');
    await poll(() => greeting.textContent()).toBe('Hello v1');
    // the draft, for testers
    await page.getByLabel('Preview the draft instead of the published version').check();
    await poll(() => greeting.textContent()).toBe('Hello v2');
    const live = await stack.client.getLiveConfig(agent.id, { channel: 'chat' });
    expect(live.greeting).toBe('Hello v1');

    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('a key with agents:draft sees versions and the diff but cannot publish or roll back', async () => {
    const { agent } = await agentWithTwoVersions('Drafter desk');
    const drafter = await stack.client.createApiKey({ name: 'drafter', scopes: ['agents:draft'] });
    const { tab, page } = await open(agent, '/versions', { key: drafter.key! });
    await page.locator('tr[data-version="1"]').waitFor();
    expect(await page.locator('tr[data-version]').count()).toBe(2);
    const change = page.getByTestId('diff').locator('[data-field="greeting"]');
    await change.waitFor();
    expect(await change.locator('.diff-old .diff-value').textContent()).toBe('Drafter desk v2');
    expect(await change.locator('.diff-new .diff-value').textContent()).toBe('Drafter desk draft');
    await page.getByText('Your key can look at versions but not publish or roll back').waitFor();
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Note', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Roll back/ }).count()).toBe(0);
    // comparing is allowed
    await page.getByRole('button', { name: 'Compare version 1 with the draft' }).click();
    await poll(() => change.locator('.diff-old .diff-value').textContent()).toBe('Drafter desk v1');
    // it can still edit the draft
    expect(await page.locator('.save-status').getAttribute('data-state')).not.toBe('readonly');
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('a key with agents:read only sees the business hours disabled, without edit buttons', async () => {
    const configured = await createAgent({ name: 'Reader hours desk', businessHours: scheduleWithHoliday(futureDate(21, 1), 'Reader holiday') });
    const unconfigured = await createAgent({ name: 'Reader always open desk' });
    const reader = await stack.client.createApiKey({ name: 'hours reader', scopes: ['agents:read'] });

    const { tab, page } = await open(configured, '/hours', { key: reader.key! });
    await page.getByLabel('Time zone', { exact: true }).waitFor();
    expect(await page.getByText('Read-only: your key cannot edit agents').count()).toBe(1);
    for (const label of ['Time zone', 'Monday range 1 start', 'Friday range 1 end', 'Start date of holiday 1', 'Name of holiday 1', 'Closed all day (holiday 1)', 'After-hours mode']) {
      expect(await page.getByLabel(label, { exact: true }).isDisabled(), label).toBe(true);
    }
    expect(await page.getByLabel('Time zone', { exact: true }).inputValue()).toBe('Europe/Berlin');
    for (const name of [/Add holiday/, /Add range/, /Remove/, /Copy Monday/, /Open 24\/7/, /Use my time zone/]) {
      expect(await page.getByRole('button', { name }).count(), String(name)).toBe(0);
    }
    // the preview still works
    await poll(() => page.getByTestId('hours-preview-state').getAttribute('data-open')).toMatch(/^(true|false)$/);

    await page.goto(`/agents/${unconfigured.id}/hours`);
    await page.getByTestId('hours-unconfigured').waitFor();
    expect(await page.getByRole('button', { name: 'Set business hours' }).count()).toBe(0);
    expect(await page.getByTestId('hours-unconfigured').textContent()).toContain('Your key cannot edit agents.');
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('accessibility at 1280 px: the hours tab with a holiday, the versions tab with the diff and the rollback dialog, the live preview', async () => {
    const { agent } = await agentWithTwoVersions('Accessible desk');
    await stack.client.updateAgent(agent.id, { businessHours: scheduleWithHoliday(futureDate(10, 5), 'Summer party') });
    const { tab, page } = await open(agent, '/hours');
    await page.getByLabel('Name of holiday 1', { exact: true }).waitFor();
    await page.getByTestId('hours-preview-state').waitFor();
    await expectAccessible(page);

    await agentTab(page, 'Versions');
    await page.getByTestId('diff').locator('[data-field="greeting"]').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Roll back to version 1', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back to version 1?' });
    await dialog.waitFor();
    await poll(() => dialog.textContent()).toMatch(/differs from version 1 in \d+ field/);
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await agentTab(page, 'Live preview');
    await page.getByTestId('live-greeting').waitFor();
    await expectAccessible(page);
    expect((await stack.client.getAgent(agent.id)).publishedVersionId).toBe((await stack.client.listVersions(agent.id)).items[0]!.id);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });

  it('a 390 px phone screen: the hours and live preview tabs fit without sideways scrolling and are accessible', async () => {
    const created = await createAgent({ name: 'Phone lifecycle desk', greeting: 'Hi from the phone', businessHours: scheduleWithHoliday(futureDate(12, 4), 'A rather long holiday name for a narrow screen') });
    await stack.client.publishAgent(created.id, { note: 'phone' });
    const agent = await stack.client.getAgent(created.id);
    const { tab, page } = await open(agent, '/hours', { width: 390 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.getByLabel('Name of holiday 1', { exact: true }).waitFor();
    await page.getByTestId('hours-preview-state').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await expectAccessible(page);

    await agentTab(page, 'Live preview');
    await poll(() => page.getByTestId('live-greeting').textContent()).toBe('Hi from the phone');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    expect(unexpectedProblems(tab)).toEqual([]);
    await tab.context.close();
  });
});
