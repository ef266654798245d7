/**
 * The post-commit event seam (src/events/): the audit row is the outbox; the committing
 * process publishes at once; on PostgreSQL every other process hears it through LISTEN/NOTIFY,
 * on a connection that reconnects and resyncs by itself.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import net from 'node:net';
import { TestClock, call, fileHarness } from '../helpers/harness.js';
import { KeyVerifier } from '../../src/auth/verifier.js';
import { openPostgres, type Tx } from '../../src/storage/db.js';
import { ChangeFeed, type ChangeEvent } from '../../src/events/change-feed.js';
import { listenForChanges } from '../../src/storage/pg-listener.js';
import { recordAudit } from '../../src/domain/audit/record.js';
import { newId } from '../../src/ids.js';
import { LiveConfigService } from '../../src/domain/live/live-config.js';

const { h, t } = await fileHarness();
const ctx = () => ({ organizationId: t.orgId, keyId: null, requestId: newId('req'), now: new Date() });
const audit = (tx: Tx, resourceId: string) => recordAudit(tx, ctx(), { action: 'agent.update', resourceType: 'agent', resourceId });

async function until(ok: () => boolean, ms = 3000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('events of a transaction', () => {
  it('are published after COMMIT, in order, and never for a rollback or past a rolled-back savepoint', async () => {
    const got: ChangeEvent[][] = [];
    const off = h.db.onCommit((evs) => got.push([...evs]));
    try {
      await h.db.tx(async (tx) => {
        await audit(tx, 'agt_a');
        await audit(tx, 'agt_b');
        expect(got).toEqual([]); // nothing before COMMIT
      });
      expect(got.map((evs) => evs.map((e) => e.resourceId))).toEqual([['agt_a', 'agt_b']]);
      await expect(h.db.tx(async (tx) => {
        await audit(tx, 'agt_c');
        throw new Error('rolled back');
      })).rejects.toThrow('rolled back');
      await h.db.tx(async (tx) => {
        await audit(tx, 'agt_d');
        const rollback = await tx.savepoint();
        await audit(tx, 'agt_e');
        await rollback();
      });
      expect(got.map((evs) => evs.map((e) => e.resourceId))).toEqual([['agt_a', 'agt_b'], ['agt_d']]);
      // the events are the audit rows
      const ids = got.flat().map((e) => e.id);
      const rows = await h.db.query<{ id: string }>('SELECT id FROM audit_events WHERE id = ANY($1) ORDER BY id', [ids]);
      expect(rows.map((r) => r.id)).toEqual([...ids].sort());
    } finally {
      off();
    }
  });
});

describe('the live path caches per agent and is invalidated only through the seam', () => {
  it('a change that bypasses the seam is not seen; an audited change is seen at once', async () => {
    const agent = (await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 'Cached' } })).json().data;
    expect((await call(h.app, 'POST', `/api/v1/agents/${agent.id}/publish`, { key: t.key })).statusCode).toBe(201);
    const live = () => call(h.app, 'GET', `/api/v1/agents/${agent.id}/live?channel=voice`, { key: t.key });
    expect((await live()).statusCode).toBe(200);
    // behind the application's back: no audit row, so no event
    await h.db.query('UPDATE agents SET is_active = false WHERE id = $1', [agent.id]);
    expect((await live()).statusCode).toBe(200); // served from memory
    await h.db.query('UPDATE agents SET is_active = true WHERE id = $1', [agent.id]);
    expect((await call(h.app, 'PATCH', `/api/v1/agents/${agent.id}`, { key: t.key, body: { isActive: false } })).statusCode).toBe(200);
    expect((await live()).json().code).toBe('agent_inactive');
  });

  it('a value read while an event arrived is used once, not cached', async () => {
    const feed = new ChangeFeed();
    const svc = new LiveConfigService(h.db, feed);
    const agent = (await call(h.app, 'POST', '/api/v1/agents', { key: t.key, body: { name: 'Racy' } })).json().data;
    await call(h.app, 'POST', `/api/v1/agents/${agent.id}/publish`, { key: t.key });
    // an event lands while the pointer is being read (simulated by publishing during the read)
    const read = svc.liveConfig(t.orgId, agent.id, 'voice', Date.now(), false);
    feed.publish([{ id: newId('evt'), organizationId: t.orgId, action: 'agent.update', resourceType: 'agent', resourceId: 'agt_other' }]);
    expect((await read).body().toString()).toContain(agent.id);
    await h.db.query('UPDATE agents SET is_active = false WHERE id = $1', [agent.id]);
    // not cached: the next read goes to the database and sees the (unaudited) change
    await expect(svc.liveConfig(t.orgId, agent.id, 'voice', Date.now(), false)).rejects.toMatchObject({ code: 'agent_inactive' });
  });
});

describe('key verification is cached as long as the seam can evict it', () => {
  it('while connected: trusted past one second, evicted at once by a revocation event; untrusted: re-read after one second', async () => {
    const k = await t.mint(['agents:read']);
    const bearer = `Bearer ${k.key}`;
    for (const trusted of [true, false]) {
      await h.db.query('UPDATE api_keys SET revoked_at = NULL WHERE id = $1', [k.keyId]);
      const clock = new TestClock();
      const feed = new ChangeFeed(trusted);
      const verifier = new KeyVerifier(h.db, clock, () => undefined, feed);
      expect((await verifier.verify(bearer))?.keyId).toBe(k.keyId);
      // revoked behind the seam's back: the cache does not know
      await h.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [k.keyId]);
      clock.advance(999);
      expect((await verifier.verify(bearer))?.keyId).toBe(k.keyId);
      clock.advance(5_000);
      // a connected seam would have told: still trusted; an untrusted one: one second at most
      expect((await verifier.verify(bearer))?.keyId).toBe(trusted ? k.keyId : undefined);
      if (trusted) {
        verifier.evict(k.keyId); // what the revocation's event does (app.ts)
        expect(await verifier.verify(bearer)).toBeNull();
      }
    }
  });
});

describe.skipIf(!h.dbUrl)('the PostgreSQL listener', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('hears other processes\' commits, and after losing its connection reconnects and resyncs', async () => {
    const feed = new ChangeFeed(false);
    const got: string[] = [];
    let resyncs = 0;
    feed.subscribe((e) => got.push(e.resourceId));
    feed.onResync(() => resyncs++);
    const logs: string[] = [];
    const listener = listenForChanges(h.dbUrl!, feed, { info: (_o, m) => logs.push(m), warn: (_o, m) => logs.push(m) });
    closers.push(() => listener.close());
    await until(() => feed.connected);
    expect(resyncs).toBe(1);

    // "another process": a pool of its own
    const other = openPostgres(h.dbUrl!, 2);
    closers.push(() => other.close());
    await other.tx((tx) => audit(tx, 'agt_remote_1'));
    await until(() => got.includes('agt_remote_1'));
    // a rolled-back transaction notifies nobody
    await other.tx(async (tx) => {
      await audit(tx, 'agt_rolled_back');
      throw new Error('no');
    }).catch(() => undefined);

    // kill the LISTEN connection from outside
    const admin = new pg.Client({ connectionString: h.dbUrl! });
    await admin.connect();
    const killed = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    );
    await admin.end();
    expect(killed.rowCount).toBeGreaterThanOrEqual(1);
    await until(() => !feed.connected);
    await until(() => feed.connected); // reconnected by itself
    expect(resyncs).toBe(2); // and told its caches to drop what they hold
    await other.tx((tx) => audit(tx, 'agt_remote_2'));
    await until(() => got.includes('agt_remote_2'));
    expect(got).not.toContain('agt_rolled_back');
    expect(logs).toContain('change listener disconnected; reconnecting');
  });

  /** A TCP proxy to PostgreSQL that can go silent without closing anything (a half-open connection). */
  async function silentableProxy(url: string) {
    const target = new URL(url);
    let silent = false;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((down) => {
      const up = net.connect(Number(target.port || 5432), target.hostname);
      sockets.add(down).add(up);
      down.on('data', (d) => void (silent || up.write(d)));
      up.on('data', (d) => void (silent || down.write(d)));
      const close = () => {
        down.destroy();
        up.destroy();
      };
      for (const s of [down, up]) {
        s.on('error', close);
        s.on('close', close);
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String((server.address() as net.AddressInfo).port);
    return {
      url: proxied.toString(),
      set silent(v: boolean) {
        silent = v;
      },
      close: () => new Promise<void>((r) => {
        for (const so of sockets) so.destroy();
        server.close(() => r());
      }),
    };
  }

  it('a connection that goes silent (half-open) stops being trusted within a second, then is remade', async () => {
    const proxy = await silentableProxy(h.dbUrl!);
    closers.push(() => proxy.close());
    const feed = new ChangeFeed(false);
    let resyncs = 0;
    const got: string[] = [];
    feed.onResync(() => resyncs++);
    feed.subscribe((e) => got.push(e.resourceId));
    const listener = listenForChanges(proxy.url, feed, { info: () => undefined, warn: () => undefined });
    closers.push(() => listener.close());
    await until(() => feed.connected);
    await new Promise((r) => setTimeout(r, 1200)); // heartbeats keep it trusted past the first lease
    expect(feed.connected).toBe(true);

    proxy.silent = true; // no FIN, no RST: the socket says nothing
    const t0 = Date.now();
    await until(() => !feed.connected);
    expect(Date.now() - t0).toBeLessThan(1400); // lease (1 s) + one heartbeat interval
    proxy.silent = false; // the network heals; the dead connection is cut and remade
    await until(() => feed.connected, 8000);
    expect(resyncs).toBe(2);
    const other = openPostgres(h.dbUrl!, 1);
    closers.push(() => other.close());
    await other.tx((tx) => audit(tx, 'agt_after_silence'));
    await until(() => got.includes('agt_after_silence'));
  });
});
