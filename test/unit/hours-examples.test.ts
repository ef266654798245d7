/** business-hours.md examples, the HoursStatus shape, unconfigured, afterHours wording. */
import { describe, expect, it } from 'vitest';
import { compileHours, evaluateHours, type BusinessHoursInput } from '../../src/engines/hours/index.js';

const berlin: BusinessHoursInput = {
  timezone: 'Europe/Berlin',
  weekly: {
    mon: [{ start: '09:00', end: '17:00' }],
    tue: [{ start: '09:00', end: '17:00' }],
    wed: [{ start: '09:00', end: '17:00' }],
    thu: [{ start: '09:00', end: '17:00' }],
    fri: [{ start: '09:00', end: '17:00' }],
    sat: [{ start: '10:00', end: '14:00' }],
  },
  holidays: [{ date: '2026-12-24', endDate: '2026-12-26', name: 'Christmas', closed: true }],
};

const at = (bh: BusinessHoursInput | Record<string, never>, iso: string) => evaluateHours(compileHours(bh), Date.parse(iso));

describe('business-hours.md examples (Europe/Berlin)', () => {
  it.each([
    ['2026-12-21T08:00:00.000Z', true, 'weekly', '2026-12-21T16:00:00.000Z'],
    ['2026-12-21T16:00:00.000Z', false, 'weekly', '2026-12-22T08:00:00.000Z'],
    ['2026-12-24T10:00:00.000Z', false, 'holiday', '2026-12-28T08:00:00.000Z'],
  ] as const)('%s → open %s, %s, next change %s', (instant, open, reason, next) => {
    const s = at(berlin, instant);
    expect(s.open).toBe(open);
    expect(s.reason).toBe(reason);
    expect(s.nextChangeAt).toBe(next);
  });

  it('Monday 09:00 is open: the full status', () => {
    expect(JSON.stringify(at(berlin, '2026-12-21T08:00:00.000Z'))).toBe(
      JSON.stringify({
        configured: true,
        open: true,
        timezone: 'Europe/Berlin',
        localTime: '2026-12-21T09:00:00+01:00',
        localTimeSpoken: 'Monday 9:00 AM',
        reason: 'weekly',
        holiday: null,
        currentRange: { start: '09:00', end: '17:00' },
        nextChangeAt: '2026-12-21T16:00:00.000Z',
        nextOpenAt: null,
        afterHours: null,
      }),
    );
  });

  it('Monday 17:00 is closed: the full status with the built-in message', () => {
    expect(JSON.stringify(at(berlin, '2026-12-21T16:00:00.000Z'))).toBe(
      JSON.stringify({
        configured: true,
        open: false,
        timezone: 'Europe/Berlin',
        localTime: '2026-12-21T17:00:00+01:00',
        localTimeSpoken: 'Monday 5:00 PM',
        reason: 'weekly',
        holiday: null,
        currentRange: null,
        nextChangeAt: '2026-12-22T08:00:00.000Z',
        nextOpenAt: '2026-12-22T08:00:00.000Z',
        afterHours: {
          mode: 'answer',
          message: "We're closed right now. We open again Tuesday 9:00 AM.",
          allowHumanTransfer: false,
          number: null,
          emergencyNumber: null,
        },
      }),
    );
  });

  it('Thursday 11:00 on the holiday: holiday named, endDate given, next opening Monday', () => {
    const s = at(berlin, '2026-12-24T10:00:00.000Z');
    expect(s.holiday).toEqual({ name: 'Christmas', date: '2026-12-24', endDate: '2026-12-26' });
    expect(s.localTime).toBe('2026-12-24T11:00:00+01:00');
    expect(s.localTimeSpoken).toBe('Thursday 11:00 AM');
    expect(s.nextOpenAt).toBe('2026-12-28T08:00:00.000Z');
    expect(s.afterHours?.message).toBe("We're closed right now. We open again Monday 9:00 AM.");
  });
});

describe('unconfigured', () => {
  it.each([{}, null, undefined])('%s is always open, the rest null', (bh) => {
    const s = evaluateHours(compileHours(bh as never), Date.parse('2026-03-08T07:30:00.000Z'));
    expect(JSON.stringify(s)).toBe(
      JSON.stringify({
        configured: false,
        open: true,
        timezone: null,
        localTime: null,
        localTimeSpoken: null,
        reason: 'unconfigured',
        holiday: null,
        currentRange: null,
        nextChangeAt: null,
        nextOpenAt: null,
        afterHours: null,
      }),
    );
  });
});

describe('afterHours and {nextOpen}', () => {
  const base: BusinessHoursInput = {
    timezone: 'America/New_York',
    weekly: { mon: [{ start: '09:00', end: '17:00' }] },
    afterHours: { mode: 'take_message', message: 'Back {nextOpen}! ({nextOpen})', number: '+14155550134' },
  };

  it('within 6 days: weekday and time; configured message filled in everywhere; defaults filled', () => {
    // Tue 2026-12-29 10:00 EST → next Monday 2027-01-04 is 6 days later.
    const s = at(base, '2026-12-29T15:00:00.000Z');
    expect(s.nextOpenAt).toBe('2027-01-04T14:00:00.000Z');
    expect(s.afterHours).toEqual({
      mode: 'take_message',
      message: 'Back Monday 9:00 AM! (Monday 9:00 AM)',
      allowHumanTransfer: false,
      number: '+14155550134',
      emergencyNumber: null,
    });
  });

  it('later than 6 days: weekday, month and day', () => {
    // Mon 2026-12-28 17:00 EST → next Monday 2027-01-04, 7 days later.
    const s = at(base, '2026-12-28T22:00:00.000Z');
    expect(s.afterHours?.message).toBe('Back Monday, January 4 9:00 AM! (Monday, January 4 9:00 AM)');
  });

  it('same local date later today: weekday form', () => {
    const s = at(base, '2026-12-28T13:00:00.000Z'); // Monday 08:00
    expect(s.afterHours?.message).toBe('Back Monday 9:00 AM! (Monday 9:00 AM)');
    expect(s.localTimeSpoken).toBe('Monday 8:00 AM');
  });

  it('no opening within 366 days: at a later date, both instants null', () => {
    const bh: BusinessHoursInput = { timezone: 'Asia/Kolkata', weekly: {} };
    const s = at(bh, '2026-06-01T00:00:00.000Z');
    expect(s.open).toBe(false);
    expect(s.nextChangeAt).toBeNull();
    expect(s.nextOpenAt).toBeNull();
    expect(s.afterHours?.message).toBe("We're closed right now. We open again at a later date.");
  });

  it('closed for 300 days then open: the opening is found; more than 366 days away is not', () => {
    const bh: BusinessHoursInput = {
      timezone: 'Europe/Berlin',
      weekly: { mon: [{ start: '09:00', end: '17:00' }] },
      holidays: [{ date: '2026-01-01', endDate: '2026-10-27', name: 'Renovation' }],
    };
    const s = at(bh, '2026-01-01T12:00:00.000Z');
    expect(s.nextOpenAt).toBe('2026-11-02T08:00:00.000Z');
    expect(s.afterHours?.message).toBe("We're closed right now. We open again Monday, November 2 9:00 AM.");
    const far: BusinessHoursInput = { ...bh, holidays: [{ date: '2026-01-01', endDate: '2027-01-10', name: 'Long' }] };
    expect(at(far, '2026-01-01T12:00:00.000Z').nextOpenAt).toBeNull();
    // 2027-01-11 is a Monday, 375 days later.
    expect(at(far, '2026-01-10T12:00:00.000Z').nextOpenAt).toBe('2027-01-11T08:00:00.000Z');
  });

  it('spoken clock: midnight and noon', () => {
    const bh: BusinessHoursInput = { timezone: 'UTC', weekly: { fri: [{ start: '12:00', end: '12:30' }] } };
    expect(at(bh, '2026-01-01T00:05:00.000Z').localTimeSpoken).toBe('Thursday 12:05 AM');
    expect(at(bh, '2026-01-01T00:05:00.000Z').afterHours?.message).toBe(
      "We're closed right now. We open again Friday 12:00 PM.",
    );
  });
});

describe('edges', () => {
  it('instants in years 1 and 9999 evaluate', () => {
    const bh: BusinessHoursInput = { timezone: 'Europe/Berlin', weekly: { mon: [{ start: '09:00', end: '17:00' }] } };
    const early = evaluateHours(compileHours(bh), Date.parse('0001-01-01T12:00:00.000Z'));
    expect(early.localTime).toMatch(/^0001-01-01T1[23]:[0-9]{2}:[0-9]{2}\+00:53$/);
    expect(early.nextChangeAt).toMatch(/^0001-01-0[1-8]T/);
    const late = evaluateHours(compileHours(bh), Date.parse('9999-12-31T12:00:00.000Z'));
    expect(late.localTime).toBe('9999-12-31T13:00:00+01:00');
    expect(late.open).toBe(false);
  });

  it('24/7 never closes: nextChangeAt null; a closed day 200 days ahead is found', () => {
    const all = { start: '00:00', end: '24:00' };
    const weekly = { mon: [all], tue: [all], wed: [all], thu: [all], fri: [all], sat: [all], sun: [all] };
    const s = at({ timezone: 'America/New_York', weekly }, '2026-03-08T06:00:00.000Z');
    expect(s.open).toBe(true);
    expect(s.nextChangeAt).toBeNull();
    expect(s.currentRange).toEqual(all);
    const h = at(
      { timezone: 'America/New_York', weekly, holidays: [{ date: '2026-09-24', name: 'Closed' }] },
      '2026-03-08T06:00:00.000Z',
    );
    expect(h.nextChangeAt).toBe('2026-09-24T04:00:00.000Z');
  });

  it('first listed holiday wins; special hours replace weekly; spill into a holiday keeps weekly origin', () => {
    const bh: BusinessHoursInput = {
      timezone: 'Asia/Kolkata',
      weekly: { thu: [{ start: '20:00', end: '02:00' }], fri: [{ start: '09:00', end: '17:00' }] },
      holidays: [
        { date: '2026-12-25', name: 'Christmas', closed: false, ranges: [{ start: '10:00', end: '12:00' }] },
        { date: '2026-12-24', endDate: '2026-12-26', name: 'Break', closed: true },
      ],
    };
    // Thursday 2026-12-24 is "Break" (closed): its weekly overnight range does not apply.
    const thu = at(bh, '2026-12-24T15:00:00.000Z'); // 20:30 IST
    expect(thu.open).toBe(false);
    expect(thu.holiday).toEqual({ name: 'Break', date: '2026-12-24', endDate: '2026-12-26' });
    expect(thu.nextOpenAt).toBe('2026-12-25T04:30:00.000Z');
    const fri = at(bh, '2026-12-25T05:00:00.000Z'); // 10:30 IST on Christmas
    expect(fri.reason).toBe('holiday');
    expect(fri.holiday).toEqual({ name: 'Christmas', date: '2026-12-25', endDate: '2026-12-25' });
    expect(fri.currentRange).toEqual({ start: '10:00', end: '12:00' });
    // The week before: Thursday 20:00 spills into Friday 2026-12-18 and merges with nothing.
    const spill = at({ ...bh, holidays: [{ date: '2026-12-18', name: 'Closed Friday' }] }, '2026-12-17T19:30:00.000Z'); // Fri 01:00
    expect(spill.open).toBe(true);
    expect(spill.reason).toBe('weekly');
    expect(spill.holiday).toBeNull();
    expect(spill.nextChangeAt).toBe('2026-12-17T20:30:00.000Z');
  });

  it('overnight spill overlapping the next day: merged, currentRange is the one that started first', () => {
    const bh: BusinessHoursInput = {
      timezone: 'Europe/London',
      weekly: { mon: [{ start: '22:00', end: '06:00' }], tue: [{ start: '00:00', end: '02:00' }, { start: '05:00', end: '09:00' }] },
    };
    const s = at(bh, '2026-01-06T05:30:00.000Z'); // Tue 05:30: both contain it
    expect(s.currentRange).toEqual({ start: '22:00', end: '06:00' });
    expect(s.nextChangeAt).toBe('2026-01-06T09:00:00.000Z');
    const m = at(bh, '2026-01-05T22:00:00.000Z');
    expect(m.nextChangeAt).toBe('2026-01-06T09:00:00.000Z');
  });
});

describe('zone tables', () => {
  it('instants centuries apart do not scan the years between', () => {
    const c = compileHours({ timezone: 'Australia/Lord_Howe', weekly: { sun: [{ start: '02:00', end: '03:00' }] } });
    const started = performance.now();
    for (const year of [1700, 9999, 2026, 4000, 1850, 2026, 7000, 2100, 3000, 9000, 2026]) {
      const s = evaluateHours(c, Date.UTC(year, 5, 15, 12));
      expect(s.localTime?.startsWith(String(year))).toBe(true);
    }
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('rejects non-finite instants', () => {
    const c = compileHours({ timezone: 'UTC', weekly: {} });
    expect(() => evaluateHours(c, Number.NaN)).toThrow(RangeError);
    expect(() => evaluateHours(c, 8.64e15)).toThrow(RangeError);
  });
});
