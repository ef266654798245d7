/** Types of the business-hours engine: its input (agent.md `businessHours`) and HoursStatus. */

/** One opening range as written: `HH:MM`, `end` may be `24:00` or earlier than `start`. */
export interface HoursRangeInput {
  start: string;
  end: string;
}

export type WeekdayKey = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface HolidayInput {
  date: string;
  endDate?: string;
  name: string;
  closed?: boolean;
  ranges?: HoursRangeInput[];
}

export interface AfterHoursInput {
  mode?: 'answer' | 'take_message' | 'forward';
  message?: string | null;
  allowHumanTransfer?: boolean;
  number?: string | null;
  emergencyNumber?: string | null;
}

/** `agent.businessHours` as validated by the domain; `{}` = unconfigured. */
export interface BusinessHoursInput {
  timezone?: string;
  weekly?: Partial<Record<WeekdayKey, HoursRangeInput[]>>;
  holidays?: HolidayInput[];
  afterHours?: AfterHoursInput;
}

export type HoursReason = 'unconfigured' | 'weekly' | 'holiday';

export interface HolidayStatus {
  name: string;
  date: string;
  endDate: string;
}

export interface AfterHoursStatus {
  mode: 'answer' | 'take_message' | 'forward';
  message: string;
  allowHumanTransfer: boolean;
  number: string | null;
  emergencyNumber: string | null;
}

/** business-hours.md "HoursStatus", members in that order. */
export interface HoursStatus {
  configured: boolean;
  open: boolean;
  timezone: string | null;
  localTime: string | null;
  localTimeSpoken: string | null;
  reason: HoursReason;
  holiday: HolidayStatus | null;
  currentRange: HoursRangeInput | null;
  nextChangeAt: string | null;
  nextOpenAt: string | null;
  afterHours: AfterHoursStatus | null;
}
