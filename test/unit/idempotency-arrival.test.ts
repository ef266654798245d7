/**
 * api.md "Idempotency": a duplicate that arrives while the first request is in flight answers
 * 409 `idempotency_in_progress`; one that arrives after the answer replays. `arrivedWhileHeld`
 * decides which, from when each reached the process and on what connection
 * (IdempotencyService.slots explains why).
 */
import { describe, expect, it } from 'vitest';
import { arrivedWhileHeld, type Arrival } from '../../src/domain/idempotency.js';

const connA = 1;
const connB = 2;
/** an arrival at `t` on connection `id` (opened at 0 unless told; `undefined`: injected) */
const at = (t: number, id: number = connB, ...opened: [number | undefined] | []): Arrival => {
  const openedAt = opened.length ? opened[0] : 0;
  return { at: t, connectionId: openedAt === undefined ? undefined : id, connectionOpenedAt: openedAt };
};
const first = at(10, connA);

describe('arrivedWhileHeld', () => {
  it('while the first is worked on, every duplicate is in progress (injected ones too)', () => {
    expect(arrivedWhileHeld({ arrival: first }, at(11))).toBe(true);
    expect(arrivedWhileHeld({ arrival: first }, undefined)).toBe(true);
    expect(arrivedWhileHeld({ arrival: undefined }, at(11))).toBe(true);
  });

  it('one that reached the process before the answer is in progress, however late it gets past authentication', () => {
    const s = { arrival: first, answeredAt: 20, settledAt: 21 };
    expect(arrivedWhileHeld(s, at(19))).toBe(true);
    expect(arrivedWhileHeld(s, at(19, connB, undefined))).toBe(true); // injected
  });

  it("the next request on the first's own connection replays: it was sent after the answer", () => {
    expect(arrivedWhileHeld({ arrival: first, answeredAt: 20 }, at(20.5, connA))).toBe(false);
  });

  it('(PGlite) one read in the poll phase after the answer, on a connection open before it, is in progress', () => {
    expect(arrivedWhileHeld({ arrival: first, answeredAt: 20 }, at(20.5, connB, 5))).toBe(true); // not settled yet
    expect(arrivedWhileHeld({ arrival: first, answeredAt: 20, settledAt: 21 }, at(20.5, connB, 5))).toBe(true);
  });

  it('after that poll phase, or on a connection opened after the answer, or injected after it: replays', () => {
    expect(arrivedWhileHeld({ arrival: first, answeredAt: 20, settledAt: 21 }, at(21.5, connB, 5))).toBe(false);
    expect(arrivedWhileHeld({ arrival: first, answeredAt: 20 }, at(20.5, connB, 20.2))).toBe(false);
    expect(arrivedWhileHeld({ arrival: first, answeredAt: 20 }, at(20.5, connB, undefined))).toBe(false);
    expect(arrivedWhileHeld({ arrival: first, answeredAt: 20 }, undefined)).toBe(false);
  });

  it('(PostgreSQL) settled at the answer: anything read after it replays', () => {
    expect(arrivedWhileHeld({ arrival: first, answeredAt: 20, settledAt: 20 }, at(20.1, connB, 5))).toBe(false);
    expect(arrivedWhileHeld({ arrival: first, answeredAt: 20, settledAt: 20 }, at(19.9, connB, 5))).toBe(true);
  });
});
