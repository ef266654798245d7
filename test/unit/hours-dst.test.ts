/**
 * Hand-worked DST cases (business-hours.md rule 4) on both change days of 2026 and 2027 in
 * seven zones. Expected UTC instants are written out from the zones' rules, e.g. New York
 * changes at 02:00 local on the 2nd Sunday of March / 1st Sunday of November, the EU at 01:00Z
 * on the last Sundays of March / October, Lord Howe at 02:00 local (30-minute shift) on the
 * 1st Sundays of April / October, Santiago at Saturday 24:00 (03:00Z in April, 04:00Z in
 * September, Sunday ≥ 2), Chatham at 02:45 standard time (14:00Z).
 */
import { describe, expect, it } from 'vitest';
import { compileHours, evaluateHours, type BusinessHoursInput, type HoursRangeInput } from '../../src/engines/hours/index.js';

type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
const r = (start: string, end: string): HoursRangeInput => ({ start, end });
const sched = (timezone: string, weekly: Partial<Record<Day, HoursRangeInput[]>>, holidays: BusinessHoursInput['holidays'] = []) =>
  ({ timezone, weekly, holidays }) satisfies BusinessHoursInput;

interface Case {
  name: string;
  bh: BusinessHoursInput;
  at: string;
  open: boolean;
  next: string | null;
  local?: string;
  range?: string;
  reason?: 'weekly' | 'holiday';
  spoken?: string;
}

const NY = 'America/New_York';
const BER = 'Europe/Berlin';
const LH = 'Australia/Lord_Howe';
const KOL = 'Asia/Kolkata';
const SCL = 'America/Santiago';
const LON = 'Europe/London';
const CHA = 'Pacific/Chatham';

const cases: Case[] = [
  // ---- America/New_York: 2026-03-08 07:00Z 02:00 EST → 03:00 EDT (gap 02:00–03:00)
  { name: 'NY start in gap: closed before the gap', bh: sched(NY, { sun: [r('02:30', '10:00')] }), at: '2026-03-08T06:59:00.000Z', open: false, next: '2026-03-08T07:00:00.000Z', local: '2026-03-08T01:59:00-05:00' },
  { name: 'NY start in gap: opens when the gap ends', bh: sched(NY, { sun: [r('02:30', '10:00')] }), at: '2026-03-08T07:00:00.000Z', open: true, next: '2026-03-08T14:00:00.000Z', local: '2026-03-08T03:00:00-04:00' },
  { name: 'NY end in gap: open at 01:30 EST', bh: sched(NY, { sun: [r('01:00', '02:30')] }), at: '2026-03-08T06:30:00.000Z', open: true, next: '2026-03-08T07:00:00.000Z', local: '2026-03-08T01:30:00-05:00', range: '01:00-02:30' },
  { name: 'NY end in gap: closed from the gap end to next Sunday', bh: sched(NY, { sun: [r('01:00', '02:30')] }), at: '2026-03-08T07:00:00.000Z', open: false, next: '2026-03-15T05:00:00.000Z' },
  { name: 'NY overnight through the gap lasts 7 h', bh: sched(NY, { sat: [r('22:00', '06:00')] }), at: '2026-03-08T03:00:00.000Z', open: true, next: '2026-03-08T10:00:00.000Z', local: '2026-03-07T22:00:00-05:00', spoken: 'Saturday 10:00 PM', range: '22:00-06:00' },
  { name: 'NY 00:00–24:00 lasts 23 h', bh: sched(NY, { sun: [r('00:00', '24:00')] }), at: '2026-03-08T06:00:00.000Z', open: true, next: '2026-03-09T04:00:00.000Z' },
  // 2026-11-01 06:00Z 02:00 EDT → 01:00 EST (repeat 01:00–02:00)
  { name: 'NY start in repeat: closed a minute before the first 01:30', bh: sched(NY, { sun: [r('01:30', '09:00')] }), at: '2026-11-01T05:29:00.000Z', open: false, next: '2026-11-01T05:30:00.000Z' },
  { name: 'NY start in repeat: opens at the first 01:30', bh: sched(NY, { sun: [r('01:30', '09:00')] }), at: '2026-11-01T05:30:00.000Z', open: true, next: '2026-11-01T14:00:00.000Z', local: '2026-11-01T01:30:00-04:00' },
  { name: 'NY start in repeat: open at the second 01:30', bh: sched(NY, { sun: [r('01:30', '09:00')] }), at: '2026-11-01T06:30:00.000Z', open: true, next: '2026-11-01T14:00:00.000Z', local: '2026-11-01T01:30:00-05:00' },
  { name: 'US/Eastern link behaves as New York', bh: sched('US/Eastern', { sun: [r('01:30', '09:00')] }), at: '2026-11-01T05:30:00.000Z', open: true, next: '2026-11-01T14:00:00.000Z', local: '2026-11-01T01:30:00-04:00' },
  { name: 'NY end in repeat: closed after the first 01:30', bh: sched(NY, { sun: [r('00:00', '01:30')] }), at: '2026-11-01T05:45:00.000Z', open: false, next: '2026-11-08T05:00:00.000Z' },
  { name: 'NY end in repeat: wall 01:15 EST is inside by wall clock, closed by instants', bh: sched(NY, { sun: [r('00:00', '01:30')] }), at: '2026-11-01T06:15:00.000Z', open: false, next: '2026-11-08T05:00:00.000Z', local: '2026-11-01T01:15:00-05:00' },
  { name: 'NY 01:00–02:00 lasts 2 h', bh: sched(NY, { sun: [r('01:00', '02:00')] }), at: '2026-11-01T06:45:00.000Z', open: true, next: '2026-11-01T07:00:00.000Z' },
  // 2027-03-14 07:00Z (gap)
  { name: 'NY 02:00–03:00 is empty that day', bh: sched(NY, { sun: [r('02:00', '03:00'), r('09:00', '17:00')] }), at: '2027-03-14T06:00:00.000Z', open: false, next: '2027-03-14T13:00:00.000Z' },
  { name: 'NY 02:15–02:45 is empty: next is a week later', bh: sched(NY, { sun: [r('02:15', '02:45')] }), at: '2027-03-14T06:00:00.000Z', open: false, next: '2027-03-21T06:15:00.000Z' },
  // 2027-11-07 06:00Z (repeat)
  { name: 'NY overnight ending in the repeat: open', bh: sched(NY, { sat: [r('20:00', '01:30')] }), at: '2027-11-07T05:00:00.000Z', open: true, next: '2027-11-07T05:30:00.000Z', range: '20:00-01:30', reason: 'weekly' },
  { name: 'NY overnight ending in the repeat: closed at 01:00 EST', bh: sched(NY, { sat: [r('20:00', '01:30')] }), at: '2027-11-07T06:00:00.000Z', open: false, next: '2027-11-14T01:00:00.000Z', local: '2027-11-07T01:00:00-05:00' },

  // ---- Europe/Berlin: 2026-03-29 01:00Z 02:00 CET → 03:00 CEST
  { name: 'Berlin start in gap: closed at 01:59 CET', bh: sched(BER, { sun: [r('02:30', '04:00')] }), at: '2026-03-29T00:59:00.000Z', open: false, next: '2026-03-29T01:00:00.000Z' },
  { name: 'Berlin start in gap: open at 03:00 CEST', bh: sched(BER, { sun: [r('02:30', '04:00')] }), at: '2026-03-29T01:00:00.000Z', open: true, next: '2026-03-29T02:00:00.000Z', local: '2026-03-29T03:00:00+02:00' },
  { name: 'Berlin overnight ending in gap', bh: sched(BER, { sat: [r('18:00', '02:30')] }), at: '2026-03-29T00:30:00.000Z', open: true, next: '2026-03-29T01:00:00.000Z', local: '2026-03-29T01:30:00+01:00', range: '18:00-02:30' },
  // 2026-10-25 01:00Z 03:00 CEST → 02:00 CET
  { name: 'Berlin 02:30–03:00 lasts 1.5 h: open at the second 02:45', bh: sched(BER, { sun: [r('02:30', '03:00')] }), at: '2026-10-25T01:45:00.000Z', open: true, next: '2026-10-25T02:00:00.000Z', local: '2026-10-25T02:45:00+01:00' },
  { name: 'Berlin back-to-back at 02:30: merged, first range', bh: sched(BER, { sun: [r('00:00', '02:30'), r('02:30', '05:00')] }), at: '2026-10-24T23:00:00.000Z', open: true, next: '2026-10-25T04:00:00.000Z', range: '00:00-02:30' },
  { name: 'Berlin back-to-back at 02:30: second 02:15 is in the second range', bh: sched(BER, { sun: [r('00:00', '02:30'), r('02:30', '05:00')] }), at: '2026-10-25T01:15:00.000Z', open: true, next: '2026-10-25T04:00:00.000Z', range: '02:30-05:00' },
  // 2027-03-28 01:00Z (gap)
  { name: 'Berlin 24-hour weekend through the gap', bh: sched(BER, { sat: [r('00:00', '24:00')], sun: [r('00:00', '24:00')], mon: [r('00:00', '24:00')] }), at: '2027-03-28T00:30:00.000Z', open: true, next: '2027-03-29T22:00:00.000Z' },
  { name: 'Berlin 24-hour weekend: closed Friday, opens Saturday 00:00 CET', bh: sched(BER, { sat: [r('00:00', '24:00')], sun: [r('00:00', '24:00')], mon: [r('00:00', '24:00')] }), at: '2027-03-26T12:00:00.000Z', open: false, next: '2027-03-26T23:00:00.000Z' },
  // 2027-10-31 01:00Z (repeat)
  { name: 'Berlin holiday special hours in the repeat: open', bh: sched(BER, { mon: [r('09:00', '17:00')] }, [{ date: '2027-10-31', name: 'Reformation', closed: false, ranges: [r('02:00', '02:30')] }]), at: '2027-10-31T00:15:00.000Z', open: true, next: '2027-10-31T00:30:00.000Z', reason: 'holiday', range: '02:00-02:30' },
  { name: 'Berlin holiday special hours: second 02:15 closed', bh: sched(BER, { mon: [r('09:00', '17:00')] }, [{ date: '2027-10-31', name: 'Reformation', closed: false, ranges: [r('02:00', '02:30')] }]), at: '2027-10-31T01:15:00.000Z', open: false, next: '2027-11-01T08:00:00.000Z', reason: 'holiday', local: '2027-10-31T02:15:00+01:00' },

  // ---- Australia/Lord_Howe: 2026-04-04 15:00Z Sun 02:00 +11 → 01:30 +10:30 (repeat 01:30–02:00)
  { name: 'Lord Howe start in repeat: closed before the first 01:45', bh: sched(LH, { sun: [r('01:45', '09:00')] }), at: '2026-04-04T14:44:00.000Z', open: false, next: '2026-04-04T14:45:00.000Z' },
  { name: 'Lord Howe start in repeat: open at the second 01:40', bh: sched(LH, { sun: [r('01:45', '09:00')] }), at: '2026-04-04T15:10:00.000Z', open: true, next: '2026-04-04T22:30:00.000Z', local: '2026-04-05T01:40:00+10:30' },
  { name: 'Lord Howe overnight ending at 02:00 after the repeat', bh: sched(LH, { sat: [r('20:00', '02:00')] }), at: '2026-04-04T15:20:00.000Z', open: true, next: '2026-04-04T15:30:00.000Z' },
  { name: 'Lord Howe overnight: open since Saturday 20:00 +11', bh: sched(LH, { sat: [r('20:00', '02:00')] }), at: '2026-04-04T08:59:00.000Z', open: false, next: '2026-04-04T09:00:00.000Z' },
  // 2026-10-03 15:30Z Sun 02:00 +10:30 → 02:30 +11 (gap 02:00–02:30)
  { name: 'Lord Howe start in 30-min gap: closed at 01:59', bh: sched(LH, { sun: [r('02:15', '03:00')] }), at: '2026-10-03T15:29:00.000Z', open: false, next: '2026-10-03T15:30:00.000Z', local: '2026-10-04T01:59:00+10:30' },
  { name: 'Lord Howe start in 30-min gap: open at 02:30 +11 for 30 min', bh: sched(LH, { sun: [r('02:15', '03:00')] }), at: '2026-10-03T15:30:00.000Z', open: true, next: '2026-10-03T16:00:00.000Z', local: '2026-10-04T02:30:00+11:00' },
  // 2027-04-03 15:00Z (repeat), 2027-10-02 15:30Z (gap)
  { name: 'Lord Howe end in repeat: second 01:35 closed', bh: sched(LH, { sun: [r('00:00', '01:45')] }), at: '2027-04-03T15:05:00.000Z', open: false, next: '2027-04-10T13:30:00.000Z', local: '2027-04-04T01:35:00+10:30' },
  { name: 'Lord Howe end in gap: open until the gap end', bh: sched(LH, { sun: [r('01:00', '02:15')] }), at: '2027-10-02T15:29:00.000Z', open: true, next: '2027-10-02T15:30:00.000Z' },
  { name: 'Lord Howe end in gap: opened at 01:00 +10:30', bh: sched(LH, { sun: [r('01:00', '02:15')] }), at: '2027-10-02T14:29:00.000Z', open: false, next: '2027-10-02T14:30:00.000Z' },

  // ---- Asia/Kolkata: +05:30 all year, on the other zones' change days
  { name: 'Kolkata 2026-03-08', bh: sched(KOL, { sun: [r('09:00', '17:00')] }), at: '2026-03-08T03:30:00.000Z', open: true, next: '2026-03-08T11:30:00.000Z', local: '2026-03-08T09:00:00+05:30' },
  { name: 'Kolkata 2026-10-25 overnight', bh: sched(KOL, { sun: [r('22:00', '02:00')] }), at: '2026-10-25T20:00:00.000Z', open: true, next: '2026-10-25T20:30:00.000Z', local: '2026-10-26T01:30:00+05:30', range: '22:00-02:00' },
  { name: 'Kolkata 2027-03-28 closed', bh: sched(KOL, { sun: [r('02:00', '03:00')] }), at: '2027-03-27T20:29:00.000Z', open: false, next: '2027-03-27T20:30:00.000Z', local: '2027-03-28T01:59:00+05:30' },
  { name: 'Kolkata 2027-10-31 02:00–03:00 lasts 1 h', bh: sched(KOL, { sun: [r('02:00', '03:00')] }), at: '2027-10-30T21:00:00.000Z', open: true, next: '2027-10-30T21:30:00.000Z' },

  // ---- America/Santiago: 2026-04-05 03:00Z Sat 24:00 -03 → Sat 23:00 -04 (Saturday 23:00–24:00 repeats)
  { name: 'Santiago range ending 23:30: second 23:15 closed, local date still Saturday', bh: sched(SCL, { sat: [r('22:00', '23:30')] }), at: '2026-04-05T03:15:00.000Z', open: false, next: '2026-04-12T02:00:00.000Z', local: '2026-04-04T23:15:00-04:00', reason: 'weekly', spoken: 'Saturday 11:15 PM' },
  { name: 'Santiago 20:00–24:00 + Sunday 00:00–02:00 merged across the repeated midnight', bh: sched(SCL, { sat: [r('20:00', '24:00')], sun: [r('00:00', '02:00')] }), at: '2026-04-05T03:30:00.000Z', open: true, next: '2026-04-05T06:00:00.000Z', range: '20:00-24:00' },
  { name: 'Santiago Saturday 20:00–24:00 lasts 5 h', bh: sched(SCL, { sat: [r('20:00', '24:00')] }), at: '2026-04-05T03:59:00.000Z', open: true, next: '2026-04-05T04:00:00.000Z' },
  // 2026-09-06 04:00Z Sat 24:00 -04 → Sun 01:00 -03 (Sunday 00:00–01:00 skipped)
  { name: 'Santiago Sunday 00:00–01:00 is empty that day', bh: sched(SCL, { sun: [r('00:00', '01:00')] }), at: '2026-09-06T04:00:00.000Z', open: false, next: '2026-09-13T03:00:00.000Z', local: '2026-09-06T01:00:00-03:00', spoken: 'Sunday 1:00 AM' },
  { name: 'Santiago Saturday 22:00–24:00 ends when Sunday starts at 01:00', bh: sched(SCL, { sat: [r('22:00', '24:00')] }), at: '2026-09-06T03:59:00.000Z', open: true, next: '2026-09-06T04:00:00.000Z', local: '2026-09-05T23:59:00-04:00' },
  // 2027-04-04 03:00Z (repeat), Sunday a closed holiday
  { name: 'Santiago overnight spill into a closed holiday keeps its weekly origin', bh: sched(SCL, { sat: [r('21:00', '01:00')] }, [{ date: '2027-04-04', name: 'Easter', closed: true }]), at: '2027-04-04T04:30:00.000Z', open: true, next: '2027-04-04T05:00:00.000Z', reason: 'weekly', range: '21:00-01:00', local: '2027-04-04T00:30:00-04:00' },
  { name: 'Santiago after the spill the holiday governs', bh: sched(SCL, { sat: [r('21:00', '01:00')] }, [{ date: '2027-04-04', name: 'Easter', closed: true }]), at: '2027-04-04T05:00:00.000Z', open: false, next: '2027-04-11T01:00:00.000Z', reason: 'holiday' },
  // 2027-09-05 04:00Z (gap)
  { name: 'Santiago start in the midnight gap: closed Saturday 23:59', bh: sched(SCL, { sun: [r('00:30', '08:00')] }), at: '2027-09-05T03:59:00.000Z', open: false, next: '2027-09-05T04:00:00.000Z' },
  { name: 'Santiago start in the midnight gap: open at 01:00', bh: sched(SCL, { sun: [r('00:30', '08:00')] }), at: '2027-09-05T04:00:00.000Z', open: true, next: '2027-09-05T11:00:00.000Z', local: '2027-09-05T01:00:00-03:00', spoken: 'Sunday 1:00 AM' },

  // ---- Europe/London: 2026-03-29 01:00Z 01:00 GMT → 02:00 BST
  { name: 'London hole 01:30–02:00 vanishes in the gap: one opening', bh: sched(LON, { sun: [r('00:00', '01:30'), r('02:00', '05:00')] }), at: '2026-03-29T00:30:00.000Z', open: true, next: '2026-03-29T04:00:00.000Z', range: '00:00-01:30' },
  // 2026-10-25 01:00Z 02:00 BST → 01:00 GMT
  { name: 'London second 01:10 is inside 01:30–03:00', bh: sched(LON, { sun: [r('00:00', '01:00'), r('01:30', '03:00')] }), at: '2026-10-25T01:10:00.000Z', open: true, next: '2026-10-25T03:00:00.000Z', range: '01:30-03:00', local: '2026-10-25T01:10:00+00:00' },
  { name: 'London first 01:10 is between the ranges', bh: sched(LON, { sun: [r('00:00', '01:00'), r('01:30', '03:00')] }), at: '2026-10-25T00:10:00.000Z', open: false, next: '2026-10-25T00:30:00.000Z', local: '2026-10-25T01:10:00+01:00' },
  // 2027-03-28 01:00Z (gap), 2027-10-31 01:00Z (repeat)
  { name: 'London overnight ending in the gap', bh: sched(LON, { sat: [r('23:00', '01:30')] }), at: '2027-03-28T00:59:00.000Z', open: true, next: '2027-03-28T01:00:00.000Z' },
  { name: 'London 01:59–02:00 lasts 61 minutes', bh: sched(LON, { sun: [r('01:59', '02:00')] }), at: '2027-10-31T01:30:00.000Z', open: true, next: '2027-10-31T02:00:00.000Z' },
  { name: 'London 01:59–02:00 opened at the first 01:59', bh: sched(LON, { sun: [r('01:59', '02:00')] }), at: '2027-10-31T00:58:00.000Z', open: false, next: '2027-10-31T00:59:00.000Z' },

  // ---- Pacific/Chatham: 2026-09-26 14:00Z 02:45 +12:45 → 03:45 +13:45
  { name: 'Chatham start in gap', bh: sched(CHA, { sun: [r('03:00', '04:00')] }), at: '2026-09-26T14:00:00.000Z', open: true, next: '2026-09-26T14:15:00.000Z', local: '2026-09-27T03:45:00+13:45' },
];

describe('DST change days, hand-worked', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const s = evaluateHours(compileHours(c.bh), Date.parse(c.at));
    expect(s.open).toBe(c.open);
    expect(s.nextChangeAt).toBe(c.next);
    expect(s.nextOpenAt).toBe(c.open ? null : c.next);
    if (c.local !== undefined) expect(s.localTime).toBe(c.local);
    if (c.spoken !== undefined) expect(s.localTimeSpoken).toBe(c.spoken);
    if (c.reason !== undefined) expect(s.reason).toBe(c.reason);
    if (c.range !== undefined) expect(s.currentRange && `${s.currentRange.start}-${s.currentRange.end}`).toBe(c.range);
    expect(s.timezone).toBe(c.bh.timezone);
  });
});
