/** Business-hours engine (business-hours.md): pure, synchronous, Intl-only time zones. */
export { compileHours, BUILT_IN_AFTER_HOURS_MESSAGE } from './compile.js';
export type { CompiledHours } from './compile.js';
export { evaluateHours, LOOKAHEAD_MS } from './evaluate.js';
export type {
  AfterHoursInput,
  AfterHoursStatus,
  BusinessHoursInput,
  HolidayInput,
  HolidayStatus,
  HoursRangeInput,
  HoursReason,
  HoursStatus,
  WeekdayKey,
} from './types.js';
