import { describe, expect, it } from 'vitest';
import { ChangeFeed, type ChangeEvent } from '../../src/events/change-feed.js';

const ev = (id: string, over: Partial<ChangeEvent> = {}): ChangeEvent => ({
  id, organizationId: 'org_1', action: 'agent.update', resourceType: 'agent', resourceId: 'agt_1', ...over,
});

describe('ChangeFeed', () => {
  it('delivers each event once, in order, however often it arrives (local commit + NOTIFY)', () => {
    const f = new ChangeFeed();
    const got: string[] = [];
    f.subscribe((e) => got.push(e.id));
    f.publish([ev('evt_1'), ev('evt_2')]);
    f.publish([ev('evt_2'), ev('evt_3'), ev('evt_1')]);
    expect(got).toEqual(['evt_1', 'evt_2', 'evt_3']);
  });

  it('moves its generation with every new event, resync and disconnection (cache fills compare it)', () => {
    const f = new ChangeFeed();
    const g0 = f.generation;
    f.publish([ev('evt_1')]);
    expect(f.generation).toBe(g0 + 1);
    f.publish([ev('evt_1')]); // a duplicate changes nothing
    expect(f.generation).toBe(g0 + 1);
    f.disconnected();
    expect(f.connected).toBe(false);
    f.resync();
    expect(f.connected).toBe(true);
    expect(f.generation).toBe(g0 + 3);
  });

  it('starts disconnected when told to (a PostgreSQL listener not yet in), and resync runs its listeners before trusting caches again', () => {
    const f = new ChangeFeed(false);
    expect(f.connected).toBe(false);
    const seen: boolean[] = [];
    f.onResync(() => seen.push(f.connected));
    f.resync();
    expect(seen).toEqual([false]); // caches were cleared while still untrusted
    expect(f.connected).toBe(true);
  });

  it('a throwing listener neither stops the others nor the publisher', () => {
    const errors: unknown[] = [];
    const f = new ChangeFeed(true, (err) => errors.push(err));
    const got: string[] = [];
    f.subscribe(() => {
      throw new Error('boom');
    });
    f.subscribe((e) => got.push(e.id));
    expect(() => f.publish([ev('evt_1')])).not.toThrow();
    expect(got).toEqual(['evt_1']);
    expect(errors).toHaveLength(1);
  });

  it('unsubscribes', () => {
    const f = new ChangeFeed();
    const got: string[] = [];
    const off = f.subscribe((e) => got.push(e.id));
    off();
    f.publish([ev('evt_1')]);
    expect(got).toEqual([]);
  });

  it('a remote feed is trusted only up to its lease: the last heartbeat proves the past, not the future', () => {
    let now = 1_000;
    const f = new ChangeFeed(false, () => undefined, () => now);
    expect(f.connected).toBe(false);
    f.resync(now + 1000); // listening since `now`
    expect(f.connected).toBe(true);
    now += 999;
    expect(f.connected).toBe(true);
    now += 1;
    expect(f.connected).toBe(false); // no heartbeat came back: caches bypassed by themselves
    f.extendTrust(now + 500);
    expect(f.connected).toBe(true);
    f.extendTrust(now + 100); // an older heartbeat never shortens the lease
    now += 400;
    expect(f.connected).toBe(true);
    f.disconnected();
    expect(f.connected).toBe(false);
  });

  it('the in-process feed is always trusted', () => {
    let now = 0;
    const f = new ChangeFeed(true, () => undefined, () => now);
    now = Number.MAX_SAFE_INTEGER;
    expect(f.connected).toBe(true);
  });
});
