import { describe, expect, it } from 'vitest';
import { call, fileHarness } from '../helpers/harness.js';

const { h, t } = await fileHarness();
const dental = await (async () => {
  const r = await call(h.app, 'POST', '/api/v1/agents', {
    key: t.key,
    body: {
      name: 'Bright Smile Dental',
      businessHours: {
        timezone: 'America/New_York',
        weekly: {
          mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }],
          tue: [{ start: '08:00', end: '17:00' }],
          wed: [{ start: '08:00', end: '17:00' }],
          thu: [{ start: '08:00', end: '17:00' }],
          fri: [{ start: '08:00', end: '15:00' }],
        },
        holidays: [{ date: '2026-12-24', endDate: '2026-12-25', name: 'Christmas' }],
        afterHours: { mode: 'take_message', message: 'Our office is closed. We reopen {nextOpen}.', emergencyNumber: '(415) 555-0199' },
      },
    },
  });
  expect(r.statusCode).toBe(201);
  return r.json().data;
})();

const hours = (id: string, qs: string, key = t.key) => call(h.app, 'GET', `/api/v1/agents/${id}/hours${qs}`, { key });

describe('GET /agents/{id}/hours', () => {
  it('evaluates the draft at an instant: open on a Tuesday afternoon', async () => {
    const r = await hours(dental.id, '?draft=true&at=2026-12-22T15:30:00Z');
    expect(r.statusCode).toBe(200);
    expect(r.json().data).toEqual({
      configured: true, open: true, timezone: 'America/New_York',
      localTime: '2026-12-22T10:30:00-05:00', localTimeSpoken: 'Tuesday 10:30 AM', reason: 'weekly', holiday: null,
      currentRange: { start: '08:00', end: '17:00' }, nextChangeAt: '2026-12-22T22:00:00.000Z', nextOpenAt: null, afterHours: null,
    });
  });

  it('is closed on a holiday, with the next opening filled into the after-hours message', async () => {
    const r = await hours(dental.id, '?draft=true&at=2026-12-24T15:00:00-05:00');
    const d = r.json().data;
    expect(d).toMatchObject({
      open: false, reason: 'holiday', holiday: { name: 'Christmas', date: '2026-12-24', endDate: '2026-12-25' },
      currentRange: null, nextOpenAt: '2026-12-28T13:00:00.000Z', nextChangeAt: '2026-12-28T13:00:00.000Z',
      localTime: '2026-12-24T15:00:00-05:00', localTimeSpoken: 'Thursday 3:00 PM',
    });
    expect(d.afterHours).toEqual({
      mode: 'take_message', message: 'Our office is closed. We reopen Monday 8:00 AM.', allowHumanTransfer: false,
      number: null, emergencyNumber: '+14155550199',
    });
  });

  it('accepts offsets, fractions and a space where an unencoded + was', async () => {
    const a = (await hours(dental.id, '?draft=true&at=2026-12-22T20:30:00.123456+05:00')).json().data;
    expect(a.localTime).toBe('2026-12-22T10:30:00-05:00');
    const b = await call(h.app, 'GET', `/api/v1/agents/${dental.id}/hours?draft=true&at=2026-12-22T20:30:00 05:00`, { key: t.key });
    expect(b.statusCode).toBe(200);
    expect(b.json().data.localTime).toBe('2026-12-22T10:30:00-05:00');
  });

  it('accepts years 0001–9998 (also 0–99, which Date.UTC would misread) and a leap second', async () => {
    const early = await hours(dental.id, '?draft=true&at=0050-01-05T15:00:00Z');
    expect(early.statusCode).toBe(200);
    expect(early.json().data.localTime.slice(0, 10)).toBe('0050-01-05');
    const leap = await hours(dental.id, '?draft=true&at=2016-12-31T23:59:60Z');
    expect(leap.statusCode).toBe(200);
    expect(leap.json().data.localTime).toBe('2016-12-31T19:00:00-05:00');
    expect((await hours(dental.id, '?draft=true&at=9998-12-31T23:59:59Z')).statusCode).toBe(200);
  });

  it('defaults at to now; unconfigured hours are always open', async () => {
    const plain = (await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 'No hours' } })).json().data;
    const r = await hours(plain.id, '?draft=true');
    expect(r.json().data).toEqual({
      configured: false, open: true, timezone: null, localTime: null, localTimeSpoken: null, reason: 'unconfigured',
      holiday: null, currentRange: null, nextChangeAt: null, nextOpenAt: null, afterHours: null,
    });
  });

  it('an invalid at or draft is a validation_error naming the parameter', async () => {
    for (const at of ['yesterday', '2026-12-22T15:30:00', '2026-02-30T10:00:00Z', '2026-12-22 15:30:00Z', '2026-12-22T25:00:00Z']) {
      const r = await hours(dental.id, `?draft=true&at=${encodeURIComponent(at)}`);
      expect(r.statusCode, at).toBe(400);
      expect(r.json().errors, at).toEqual([{ field: 'at', message: expect.any(String) }]);
    }
    const far = await hours(dental.id, '?draft=true&at=9999-12-31T12:00:00Z');
    expect(far.statusCode).toBe(400);
    expect(far.json().errors.map((e: any) => e.field)).toEqual(['at']);
    const d = await hours(dental.id, '?draft=yes');
    expect(d.json().errors.map((e: any) => e.field)).toEqual(['draft']);
  });

  it('the live form needs a published version: 409 no_published_version; unknown agents 404 first', async () => {
    const r = await hours(dental.id, '?at=2026-12-22T15:30:00Z');
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('no_published_version');
    expect((await hours(dental.id, '?draft=false')).statusCode).toBe(409);
    expect((await hours('agt_01JD3ZK7X8V2Q5M1N9P4R6T0WA', '?draft=true')).statusCode).toBe(404);
  });

  it('needs agents:read and hides other organizations\' agents', async () => {
    const keysOnly = await t.mint(['keys:read']);
    const r = await hours(dental.id, '?draft=true', keysOnly.key);
    expect(r.statusCode).toBe(403);
    expect(r.json().requiredScope).toBe('agents:read');
    const other = await h.tenant('Other');
    expect((await hours(dental.id, '?draft=true', other.key)).statusCode).toBe(404);
  });

  it('reflects schedule edits at once and ignores isActive', async () => {
    await call(h.app, 'PATCH', `/api/v1/agents/${dental.id}`, { key: t.key, body: { isActive: false, businessHours: { weekly: { tue: [{ start: '11:00', end: '17:00' }] } } } });
    const d = (await hours(dental.id, '?draft=true&at=2026-12-22T15:30:00Z')).json().data;
    expect(d.open).toBe(false);
    expect(d.nextOpenAt).toBe('2026-12-22T16:00:00.000Z');
    expect(d.afterHours.message).toBe('Our office is closed. We reopen Tuesday 11:00 AM.');
  });
});
