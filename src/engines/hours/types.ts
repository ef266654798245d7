/**
 * Types of the business-hours engine: its input (agent.md `businessHours`) and HoursStatus
 * (business-hours.md), both from their TypeBox schemas (type-only imports: the engine stays pure).
 */
import type { Static } from '@sinclair/typebox';
import type { AfterHours, BusinessHours, Holiday, Weekday, WeeklyRange } from '../../contracts/agent.js';
import type { HoursStatusSchema } from '../../contracts/hours.js';

/** One opening range as written: `HH:MM`, `end` may be `24:00` or earlier than `start`. */
export type HoursRangeInput = Static<typeof WeeklyRange>;
export type WeekdayKey = Weekday;
export type HolidayInput = Static<typeof Holiday>;
export type AfterHoursInput = Static<typeof AfterHours>;
/** `agent.businessHours` as validated by the domain; `{}` = unconfigured. */
export type BusinessHoursInput = Static<typeof BusinessHours>;

/** business-hours.md "HoursStatus", members in that order. */
export type HoursStatus = Static<typeof HoursStatusSchema>;
export type HoursReason = HoursStatus['reason'];
export type HolidayStatus = NonNullable<HoursStatus['holiday']>;
export type AfterHoursStatus = NonNullable<HoursStatus['afterHours']>;
