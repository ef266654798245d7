// Screenshots of the dashboard's main screens for the README (docs/screenshots/*.png).
// `npm run screenshots`: starts the built server on a temporary embedded database, seeds a
// realistic agent, and drives Debian's chromium (/usr/bin/chromium) with playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'docs/screenshots');
const dir = mkdtempSync(path.join(tmpdir(), 'flowyte-shots-'));
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [path.join(ROOT, 'bin/flowyte.js'), 'serve'], {
  env: { ...process.env, PORT: String(port), FLOWYTE_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn', DATABASE_URL: '' },
  stdio: 'ignore',
});
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    if (i > 300) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const key = readFileSync(path.join(dir, 'bootstrap-key'), 'utf8').trim();
  const api = async (method, p, body, extra = {}) => {
    const r = await fetch(`${base}/api/v1${p}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...extra }, body: body && JSON.stringify(body) });
    const j = await r.json();
    if (!j.success) throw new Error(`${method} ${p}: ${JSON.stringify(j)}`);
    return j.data;
  };
  const weekday = [{ start: '08:00', end: '18:00' }];
  let agent = await api('POST', '/agents', {
    name: 'Front desk — Bayside Dental',
    persona: 'You are Maya, the front-desk assistant of Bayside Dental, a family dental practice in San Francisco. You book, move and cancel appointments and answer questions about services, insurance and directions.',
    tone: 'warm, concise, reassuring',
    goals: ['Book, move or cancel appointments', 'Answer questions about insurance and prices', 'Send urgent cases to the on-call dentist'],
    neverDo: ['Give a diagnosis', 'Quote a price that is not on the price list'],
    languages: ['en-US', 'es'],
    greeting: 'Thanks for calling Bayside Dental, this is Maya. How can I help?',
    defaultVoiceId: 'maya-warm',
    voiceMap: { es: 'lucia-es' },
    lexicon: { preferred: ['appointment', 'cleaning'], banned: ['cheap'], pronunciations: { Invisalign: 'in-viz-a-line' } },
    handoffConfig: { warm: true, transferDestination: '(415) 555-0134', transferRules: [{ label: 'Billing', when: 'the caller asks about a bill or a payment', destination: '+14155550188' }, { label: 'Emergency', when: 'the caller has severe pain, swelling or bleeding', destination: '+14155550199' }] },
    callControl: { maxCallSeconds: 900 },
    businessHours: {
      timezone: 'America/Los_Angeles',
      weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: [{ start: '08:00', end: '15:00' }], sat: [{ start: '09:00', end: '12:00' }] },
      holidays: [{ date: '2026-12-24', endDate: '2026-12-26', name: 'Christmas', closed: true }, { date: '2026-12-31', name: "New Year's Eve", closed: false, ranges: [{ start: '08:00', end: '12:00' }] }],
      afterHours: { mode: 'take_message', message: 'We are closed right now; we open again {nextOpen}.', allowHumanTransfer: false, emergencyNumber: '+14155550199' },
    },
    channelOverrides: { chat: { greeting: 'Hi! This is Maya from Bayside Dental. How can I help?' } },
  });
  await api('POST', `/agents/${agent.id}/publish`, { note: 'First version' });
  agent = await api('PATCH', `/agents/${agent.id}`, { greeting: 'Thank you for calling Bayside Dental, this is Maya. How may I help you today?', llmTemperature: 0.3 });
  await api('POST', `/agents/${agent.id}/publish`, { note: 'Friendlier greeting' });
  agent = await api('PATCH', `/agents/${agent.id}`, { tone: 'warm, concise, reassuring; never rushed', goals: ['Book, move or cancel appointments', 'Answer questions about insurance and prices', 'Send urgent cases to the on-call dentist', 'Offer the next free cleaning slot'] });
  for (const name of ['After-hours line — Bayside Dental', 'Reception — Mission Vet Clinic', 'Bookings — Sunset Yoga Studio', 'Front desk — Lakeside Physio']) {
    const a = await api('POST', '/agents', { name, persona: `The assistant of ${name.split('— ')[1]}.` });
    if (name.includes('Vet')) await api('POST', `/agents/${a.id}/publish`, {});
  }
  await api('POST', '/api-keys', { name: 'Voice runtime (read-only)', scopes: ['agents:read'] });
  await api('POST', '/api-keys', { name: 'Content editors', scopes: ['agents:draft', 'audit:read'] });

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const shoot = async (name, width, height, go) => {
    const ctx = await browser.newContext({ viewport: { width, height }, baseURL: base, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    await page.goto('/signin');
    if (name !== 'sign-in') {
      await page.getByLabel('API key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
    }
    await go(page);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
    await ctx.close();
  };
  await shoot('sign-in', 1280, 720, async (p) => p.getByLabel('API key').fill('flowyte_sk_live_••••••••••••••••'));
  await shoot('agents', 1280, 720, async (p) => p.getByRole('link', { name: 'Front desk — Bayside Dental' }).waitFor());
  await shoot('editor', 1280, 900, async (p) => {
    await p.goto(`/agents/${agent.id}`);
    await p.getByLabel('Tone', { exact: true }).waitFor();
  });
  await shoot('business-hours', 1280, 1000, async (p) => {
    await p.goto(`/agents/${agent.id}/hours`);
    await p.getByTestId('hours-preview').waitFor();
  });
  await shoot('versions', 1280, 900, async (p) => {
    await p.goto(`/agents/${agent.id}/versions`);
    await p.getByTestId('diff').waitFor();
  });
  await shoot('live-preview', 1280, 900, async (p) => {
    await p.goto(`/agents/${agent.id}/live`);
    await p.getByTestId('live-config').waitFor();
  });
  await shoot('api-keys', 1280, 720, async (p) => {
    await p.goto('/keys');
    await p.getByText('Content editors').first().waitFor();
  });
  await shoot('audit', 1280, 720, async (p) => {
    await p.goto('/audit');
    await p.getByTestId('audit-table').waitFor();
  });
  await shoot('phone-editor', 390, 844, async (p) => {
    await p.goto(`/agents/${agent.id}`);
    await p.getByLabel('Tone', { exact: true }).waitFor();
  });
  await browser.close();
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
