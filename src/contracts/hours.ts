import { Type } from '@sinclair/typebox';
import { Nullable } from './agent.js';
import { InstantParam } from './common.js';

const Range = Type.Object({ start: Type.String({ examples: ['09:00'] }), end: Type.String({ examples: ['17:00'] }) });

/** business-hours.md "HoursStatus", members in that order. */
export const HoursStatusSchema = Type.Object(
  {
    configured: Type.Boolean({ description: 'false when businessHours is {}' }),
    open: Type.Boolean({ description: 'unconfigured → always true' }),
    timezone: Nullable(Type.String()),
    localTime: Nullable(Type.String({ examples: ['2026-12-24T17:00:00-05:00'] })),
    localTimeSpoken: Nullable(Type.String({ examples: ['Thursday 5:00 PM'] })),
    reason: Type.Union([Type.Literal('unconfigured'), Type.Literal('weekly'), Type.Literal('holiday')]),
    holiday: Type.Union([Type.Object({ name: Type.String(), date: Type.String(), endDate: Type.String() }), Type.Null()]),
    currentRange: Type.Union([Range, Type.Null()]),
    nextChangeAt: Nullable(Type.String({ format: 'date-time' })),
    nextOpenAt: Nullable(Type.String({ format: 'date-time' })),
    afterHours: Type.Union([
      Type.Object({
        mode: Type.Union([Type.Literal('answer'), Type.Literal('take_message'), Type.Literal('forward')]),
        message: Type.String({ examples: ["We're closed right now. We open again Monday 9:00 AM."] }),
        allowHumanTransfer: Type.Boolean(),
        number: Nullable(Type.String()),
        emergencyNumber: Nullable(Type.String()),
      }),
      Type.Null(),
    ]),
  },
  { description: 'Whether the business is open at an instant, its local time and next change' },
);

export const HoursQuery = Type.Object({
  at: Type.Optional(InstantParam('RFC 3339 instant with Z or an offset (default: now)')),
  draft: Type.Optional(Type.Boolean({ description: 'true: evaluate the draft; false/absent: the live version' })),
});
