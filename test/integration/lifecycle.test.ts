import { it } from 'vitest';
import { call, fileHarness } from '../helpers/harness.js';
const { h, t } = await fileHarness();
it('probe', async () => {
  const a = (await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 'P', businessHours: { timezone: 'Europe/Berlin', weekly: { mon: [{ start: '09:00', end: '17:00' }] } }, handoffConfig: { transferRules: [{ label: 'billing', when: 'invoice', destination: '+14155550134' }] } } })).json().data;
  console.log(JSON.stringify(a));
  const p = await call(h.app, 'POST', `/api/v1/agents/${a.id}/publish`, { key: t.key });
  console.log(p.statusCode, p.body, JSON.stringify(p.headers));
  const r = await call(h.app, 'GET', `/api/v1/agents/${a.id}/publish`, {});
  console.log(r.statusCode, r.body, JSON.stringify(r.headers));
  const r2 = await call(h.app, 'DELETE', `/api/v1/agents/${a.id}/versions`, {});
  console.log(r2.statusCode, r2.headers.allow);
  const r3 = await call(h.app, 'GET', `/api/v1/agents/${a.id}/versions?cursor=abc`, {key: t.key});
  console.log(r3.statusCode, r3.body);
});
