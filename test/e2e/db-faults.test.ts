/**
 * Database faults on PostgreSQL (issue 9, items 4 and 5). Two server processes, A and B, each
 * reach PostgreSQL through a TCP proxy of its own (test/helpers/tcp-proxy.ts), so PostgreSQL can
 * be taken away from them — the machine's PostgreSQL itself is shared and never stopped:
 *
 * - outage: both proxies cut (connections destroyed, new ones refused) under a mixed write load
 *   on A and live-config reads on B: every answer is 503 `unavailable` in the envelope within a
 *   few seconds (never a 500, never a hang), /readyz says not ready; when the proxies return,
 *   service resumes by itself, B sees A's publishes within a second (the listener reconnected and
 *   B's caches are invalidated again), and the load's log finds no acknowledged write lost;
 * - partition: B alone cut off while A publishes: B never serves a live config more than one
 *   second stale, and serves the new one within a second of the link's return;
 * - the LISTEN connection alone killed (pg_terminate_backend): nothing fails, each listener
 *   reconnects by itself, and invalidation across processes resumes.
 *
 * Throughout, "stale" is exact: an answer of B is stale if its request was sent more than 1 s
 * after a publish was acknowledged to the test and it shows an older version.
 *
 * - silence: B's network to PostgreSQL drops every packet, with no reset and no close, under a
 *   write load on B: each answer comes within the query timeout (503 `unavailable`), never later,
 *   and B resumes by itself when the network does.
 *
 * CI: one outage (1.5 s), one partition (1 s), one silence (4 s), two listener kills.
 * FLOWYTE_CHAOS=full: 5 (4 s), 3 (3 s), 3 (8 s) and 10.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { bootstrapKey, freePort, serverEnv, startServer, tempDir, type Server } from './processes.js';
import { openTestDb, PG_URL } from '../helpers/db.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { DEFAULT_QUERY_TIMEOUT_MS } from '../../src/storage/db.js';
import { CHAOS_FULL, CHAOS_SEED, HttpClient, now, sleep, Workload, type Answer } from './chaos.js';

const OUTAGES = CHAOS_FULL ? 5 : 1;
const OUTAGE_MS = CHAOS_FULL ? 4000 : 1500;
const PARTITIONS = CHAOS_FULL ? 3 : 1;
const PARTITION_MS = CHAOS_FULL ? 3000 : 1000;
const LISTENER_KILLS = CHAOS_FULL ? 10 : 2;
const SILENCES = CHAOS_FULL ? 3 : 1;
/** longer than the query timeout, so that queries in flight meet it */
const SILENCE_MS = CHAOS_FULL ? 8000 : 4000;
/** the servers run with the default FLOWYTE_DB_QUERY_TIMEOUT_MS; a query the network swallowed is given up half a second after it (src/storage/db.ts) */
const QUERY_TIMEOUT_MS = DEFAULT_QUERY_TIMEOUT_MS + 500;
/** The change listeners' connections (src/storage/pg-listener.ts names them). */
const LISTENERS = `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'flowyte-listener'`;
/** "quickly": no answer during a fault may take longer than this */
const FAST_MS = 3000;
/** lifecycle.md: a publish on any process is visible to every other within one second */
const VISIBLE_MS = 1000;

interface Sample {
  sentAt: number;
  ms: number;
  status: number | null;
  code?: string;
  contentType?: string;
  versionId?: string | null;
  error?: string;
}

/** Polls `path` every `everyMs` until stopped, keeping every answer (or failure) with its timing. */
function poll(client: HttpClient, path: string, everyMs: number) {
  const samples: Sample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const sentAt = now();
      try {
        const r = await client.request('GET', path, { timeoutMs: 15_000 });
        samples.push({
          sentAt, ms: r.ms, status: r.status, code: r.json?.code, contentType: String(r.headers['content-type'] ?? ''),
          versionId: r.status === 200 ? (r.json?.data?.versionId ?? null) : undefined,
        });
      } catch (err) {
        samples.push({ sentAt, ms: now() - sentAt, status: null, error: (err as Error).message });
      }
      await sleep(everyMs);
    }
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** Answers that are never right: none at all (a hang, a dropped connection), a 5xx other than 503 `unavailable` in the envelope. */
function wrong(samples: Sample[]): Sample[] {
  return samples.filter((s) => s.status === null || (s.status >= 500 && !(s.status === 503 && s.code === 'unavailable' && s.contentType?.startsWith('application/problem+json'))));
}

const during = <T extends { sentAt: number }>(samples: T[], from: number, to: number) => samples.filter((s) => s.sentAt >= from && s.sentAt < to);

/** Requests sent during the fault windows: how many, how many answered 503, and the slowest answer (ms). */
function faultFigures(answered: { sentAt: number; ms: number; status: number | null }[], windows: { from: number; to: number }[]) {
  const mid = windows.flatMap((w) => during(answered, w.from, w.to));
  return { sent: mid.length, unavailable: mid.filter((s) => s.status === 503).length, slowest: Math.max(0, ...mid.map((s) => s.ms)) };
}

describe.skipIf(!PG_URL)('database faults on PostgreSQL (proxied, never the shared server)', () => {
  let dir: string;
  let drop: () => Promise<void>;
  let dbUrl: string;
  let admin: pg.Client;
  let key: string;
  let pA: TcpProxy;
  let pB: TcpProxy;
  let a: Server;
  let b: Server;
  let ca: HttpClient;
  let cb: HttpClient;
  /** the agent whose live config B is watched serving */
  let x: string;
  /** every publish of x, in order, with when the test had its answer */
  const publishes: { versionId: string; ackAt: number }[] = [];
  /** every request made on x by the test: each acknowledged one must have exactly one audit event */
  const xOps: { rid: string; action: string; status: number | null }[] = [];
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    dir = tempDir();
    const t = await openTestDb();
    await t.db.close();
    drop = t.drop;
    dbUrl = t.url!;
    admin = new pg.Client({ connectionString: dbUrl });
    await admin.connect();
    const u = new URL(dbUrl);
    [pA, pB] = await Promise.all([0, 1].map(() => startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) })));
    // rate limiting on, as deployed (its organization-wide buckets live in PostgreSQL too), far above the load
    const base = { ...serverEnv({ dataDir: dir, databaseUrl: dbUrl }), FLOWYTE_RATE_LIMIT_PER_MIN: '600000' };
    // concurrent first starts: one of them creates the organization and its key (operations.md "First start")
    [a, b] = await Promise.all([
      startServer({ ...base, DATABASE_URL: pA.via(dbUrl), PORT: String(await freePort()) }, dir),
      startServer({ ...base, DATABASE_URL: pB.via(dbUrl), PORT: String(await freePort()) }, dir),
    ]);
    key = bootstrapKey(path.join(dir, '.flowyte'));
    ca = new HttpClient(a.url, key);
    cb = new HttpClient(b.url, key);
    const created = await ca.request('POST', '/api/v1/agents', { body: { name: 'Watched', greeting: 'v0' } });
    expect(created.status).toBe(201);
    x = created.json.data.id;
    await publishX('v1');
    // B serves it (and from now on caches it)
    expect(await visibleOn(cb, publishes[0]!)).toBeLessThanOrEqual(VISIBLE_MS);
  }, 90_000);

  afterAll(async () => {
    console.info(`[chaos] db-faults PostgreSQL: ${JSON.stringify({ seed: CHAOS_SEED, ...figures })}`);
    ca?.destroy();
    cb?.destroy();
    for (const s of [a, b]) s?.proc.kill('SIGTERM');
    const codes = await Promise.all([a?.exited, b?.exited]);
    [a, b].forEach((s, i) => {
      if (s && codes[i] !== 0) console.error(`server ${'AB'[i]} exited with ${codes[i]}: ${s.stderr().slice(-3000)}`);
    });
    await pA?.close();
    await pB?.close();
    await admin?.end();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
    // both processes shut down cleanly after everything they went through
    expect(codes).toEqual([0, 0]);
  });

  let xSeq = 0;
  /** PATCHes x's greeting and publishes it on A, retrying (within `deadlineMs`) while A answers 503. */
  async function publishX(greeting: string, deadlineMs = 5000): Promise<{ versionId: string; ackAt: number }> {
    const t0 = now();
    const attempt = async (action: string, method: string, path: string, body: unknown, okStatus: number): Promise<Answer> => {
      for (;;) {
        const rid = `x.${++xSeq}`;
        let r: Answer | null = null;
        try {
          r = await ca.request(method, path, { body, headers: { 'x-request-id': rid } });
        } catch {
          /* no answer: retried */
        }
        xOps.push({ rid, action, status: r?.status ?? null });
        if (r?.status === okStatus) return r;
        if (r && r.status !== 503) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
        if (now() - t0 > deadlineMs) throw new Error(`${method} ${path}: still failing after ${deadlineMs} ms`);
        await sleep(50);
      }
    };
    await attempt('agent.update', 'PATCH', `/api/v1/agents/${x}`, { greeting }, 200);
    const r = await attempt('agent.publish', 'POST', `/api/v1/agents/${x}/publish`, {}, 201);
    const p = { versionId: r.json.data.id as string, ackAt: now() };
    publishes.push(p);
    return p;
  }

  /** How long after `p` was acknowledged the first request that showed it on `c` was sent (fails past 5 s). */
  async function visibleOn(c: HttpClient, p: { versionId: string; ackAt: number }, from = p.ackAt): Promise<number> {
    for (;;) {
      const sentAt = now();
      const r = await c.request('GET', `/api/v1/agents/${x}/live?channel=voice`).catch(() => null);
      if (r?.status === 200 && r.json.data.versionId === p.versionId) return Math.max(0, sentAt - from);
      if (now() - from > 5000) throw new Error(`version ${p.versionId} not served within 5 s (last: ${r?.status} ${JSON.stringify(r?.json)?.slice(0, 200)})`);
      await sleep(10);
    }
  }

  /** The change listener's (re)connections so far, from the process's /metrics. */
  async function resyncs(c: HttpClient): Promise<number> {
    const r = await c.get('/metrics');
    const m = /^flowyte_change_resyncs_total (\d+)/m.exec(String(r.json));
    if (r.status !== 200 || !m) throw new Error(`/metrics: ${r.status}`);
    return Number(m[1]);
  }

  async function until(what: string, ok: () => Promise<boolean>, limitMs: number): Promise<number> {
    const t0 = now();
    while (!(await ok().catch(() => false))) {
      if (now() - t0 > limitMs) throw new Error(`${what}: not within ${limitMs} ms`);
      await sleep(20);
    }
    return now() - t0;
  }

  /**
   * B answers x's live config from its cache (so invalidation, not a database read, is what makes
   * it see a publish): a change made behind the application's back (no audit row, so no event)
   * is not seen there. Needs B's listener in and trusted.
   */
  async function servesFromCache(c: HttpClient): Promise<void> {
    await until('B serving from its cache', async () => {
      await c.request('GET', `/api/v1/agents/${x}/live?channel=voice`);
      await admin.query('UPDATE agents SET is_active = false WHERE id = $1', [x]);
      let r: Answer;
      try {
        r = await c.request('GET', `/api/v1/agents/${x}/live?channel=voice`);
      } finally {
        await admin.query('UPDATE agents SET is_active = true WHERE id = $1', [x]);
      }
      if (r.status === 200) return true;
      // B read the row while it said inactive, and may have cached that (no event will tell it
      // the row changed back): a real change, which notifies, flushes it
      await publishX(`flush ${xSeq}`);
      return false;
    }, 8000);
  }

  /** After a fault: the listener reconnects by itself, B caches again, and a publish on A reaches B within a second. */
  async function invalidationResumes(since: number): Promise<{ reconnectMs: number; cachedVisibleMs: number }> {
    const t0 = now();
    await until('the listener reconnecting', async () => (await resyncs(cb)) > since, 10_000);
    const reconnectMs = now() - t0;
    await servesFromCache(cb);
    const p = await publishX(`cached ${xSeq}`);
    const cachedVisibleMs = await visibleOn(cb, p);
    expect(cachedVisibleMs, 'a publish on A reaches B\'s cache').toBeLessThanOrEqual(VISIBLE_MS);
    return { reconnectMs: Math.round(reconnectMs), cachedVisibleMs: Math.round(cachedVisibleMs) };
  }

  /** B's answers for x that are more than a second stale (see the file's comment). */
  function stale(samples: Sample[]): Sample[] {
    const order = new Map(publishes.map((p, i) => [p.versionId, i]));
    return samples.filter((s) => {
      if (s.status !== 200) return false;
      let need = -1;
      publishes.forEach((p, i) => {
        if (p.ackAt + VISIBLE_MS < s.sentAt) need = i;
      });
      return (order.get(s.versionId ?? '') ?? -1) < need;
    });
  }

  it(`answers 503 unavailable at once while PostgreSQL is away (${OUTAGES}× ${OUTAGE_MS} ms under load), says not ready, and resumes by itself: nothing lost, nothing stale`, { timeout: CHAOS_FULL ? 600_000 : 90_000 }, async () => {
    const load = new Workload({ label: 'outage', workers: 4, seed: CHAOS_SEED, pauseAfterFailureMs: 100 });
    const run = load.start(ca);
    const liveB = poll(cb, `/api/v1/agents/${x}/live?channel=voice`, 20);
    const readyA = poll(ca, '/readyz', 50);
    const readyB = poll(cb, '/readyz', 50);
    const windows: { cutAt: number; restoring: number; restoredAt: number }[] = [];
    const recovery: Record<string, number>[] = [];
    try {
      for (let i = 0; i < OUTAGES; i++) {
        await sleep(CHAOS_FULL ? 2000 : 800);
        await publishX(`before outage ${i}`);
        const before = await resyncs(cb);
        const cutAt = now();
        await Promise.all([pA.cut(), pB.cut()]);
        await sleep(OUTAGE_MS);
        const restoring = now();
        await Promise.all([pA.restore(), pB.restore()]);
        const restoredAt = now();
        windows.push({ cutAt, restoring, restoredAt });
        // service resumes by itself: A takes a write again, B serves it within a second
        const p = await publishX(`after outage ${i}`);
        const writeMs = p.ackAt - restoredAt;
        const visibleMs = await visibleOn(cb, p);
        expect(visibleMs, 'B shows A\'s first publish after recovery').toBeLessThanOrEqual(VISIBLE_MS);
        recovery.push({ writeMs: Math.round(writeMs), visibleMs: Math.round(visibleMs), ...(await invalidationResumes(before)) });
      }
      await sleep(500);
    } finally {
      await Promise.all([run.stop(), liveB.stop(), readyA.stop(), readyB.stop()]);
    }
    for (const r of recovery) {
      expect(r.writeMs, 'first write after recovery').toBeLessThan(FAST_MS);
      expect(r.visibleMs, 'B shows A\'s first publish after recovery').toBeLessThanOrEqual(VISIBLE_MS);
    }

    // never a 500, never a hang: every answer, also mid-outage, is a success or 503 `unavailable` in the envelope
    expect(load.problems).toEqual([]);
    expect(load.log.filter((s) => s.status === null), 'requests left without an answer').toEqual([]);
    for (const s of [liveB, readyA, readyB]) expect(wrong(s.samples)).toEqual([]);
    expect(liveB.samples.filter((s) => s.status !== 200 && s.status !== 503 && s.code !== 'agent_inactive')).toEqual([]);
    const answeredA = [...load.log.map((s) => ({ sentAt: s.sentAt, ms: s.ms, status: s.status })), ...liveB.samples, ...readyA.samples, ...readyB.samples];
    const { sent: inOutage, unavailable, slowest } = faultFigures(answeredA, windows.map((w) => ({ from: w.cutAt, to: w.restoredAt })));
    for (const w of windows) {
      // (what was sent in the last moments before the restore may be served after it: not counted)
      const end = w.restoring - 300;
      // not ready, both of them, all through the outage
      for (const r of [readyA, readyB]) {
        const out = during(r.samples, w.cutAt + 200, end);
        expect(out.length).toBeGreaterThan(0);
        expect(out.filter((s) => s.status !== 503)).toEqual([]);
      }
      // nothing served from a cache that can no longer be checked, past the one second it may be trusted
      expect(during(liveB.samples, w.cutAt + VISIBLE_MS, end).filter((s) => s.status !== 503)).toEqual([]);
      // writes: refused at once, none acknowledged while the database was away
      const writes = during(load.log.map((s) => ({ sentAt: s.sentAt, ms: s.ms, status: s.status })), w.cutAt + 100, end);
      expect(writes.length).toBeGreaterThan(0);
      expect(writes.filter((s) => s.status !== 503)).toEqual([]);
    }
    expect(slowest, 'the slowest answer during an outage (ms)').toBeLessThan(FAST_MS);
    // ready again once PostgreSQL is back
    const readyAgain = (r: Sample[]) => windows.map((w) => {
      const first = r.find((s) => s.sentAt >= w.restoredAt && s.status === 200);
      return first ? first.sentAt + first.ms - w.restoredAt : Infinity;
    });
    const readyMs = [...readyAgain(readyA.samples), ...readyAgain(readyB.samples)];
    for (const ms of readyMs) expect(ms).toBeLessThan(FAST_MS);
    expect(stale(liveB.samples)).toEqual([]);

    // no acknowledged write lost, none half applied, one audit event each
    const { violations, checked } = await load.verify(ca);
    expect(violations, `seed ${CHAOS_SEED}`).toEqual([]);
    figures.outage = {
      outages: OUTAGES, outageMs: OUTAGE_MS, requestsDuringOutages: inOutage, unavailable, slowestDuringOutageMs: Math.round(slowest),
      readyAgainMs: readyMs.map(Math.round), recovery, liveReadsOnB: liveB.samples.length, ...load.summary(), lostAnswersResolved: checked.unknownResolved, lostAnswersThatHadCommitted: checked.unknownApplied,
    };
  });

  it(`a process cut off from PostgreSQL (${PARTITIONS}×) never serves a live config more than 1 s stale, and catches up within 1 s of the link's return`, { timeout: CHAOS_FULL ? 300_000 : 60_000 }, async () => {
    const load = new Workload({ label: 'partition', workers: 3, seed: CHAOS_SEED + 1, pauseAfterFailureMs: 50 });
    const run = load.start(ca);
    const liveB = poll(cb, `/api/v1/agents/${x}/live?channel=voice`, 20);
    const readyA = poll(ca, '/readyz', 50);
    const readyB = poll(cb, '/readyz', 50);
    const windows: { cutAt: number; restoring: number; restoredAt: number }[] = [];
    const rounds: Record<string, number>[] = [];
    try {
      for (let i = 0; i < PARTITIONS; i++) {
        await sleep(500);
        const before = await resyncs(cb);
        const cutAt = now();
        await pB.cut();
        const p = await publishX(`during partition ${i}`); // A is unaffected
        await sleep(PARTITION_MS);
        const restoring = now();
        await pB.restore();
        const restoredAt = now();
        windows.push({ cutAt, restoring, restoredAt });
        const caughtUpMs = await visibleOn(cb, p, restoredAt);
        expect(caughtUpMs, 'B serves the publish it missed').toBeLessThanOrEqual(VISIBLE_MS);
        rounds.push({ caughtUpMs: Math.round(caughtUpMs), ...(await invalidationResumes(before)) });
      }
    } finally {
      await Promise.all([run.stop(), liveB.stop(), readyA.stop(), readyB.stop()]);
    }
    expect(stale(liveB.samples)).toEqual([]);
    for (const s of [liveB, readyA, readyB]) expect(wrong(s.samples)).toEqual([]);
    for (const w of windows) {
      expect(during(readyB.samples, w.cutAt + 200, w.restoring - 300).filter((s) => s.status !== 503)).toEqual([]);
      expect(during(liveB.samples, w.cutAt + VISIBLE_MS, w.restoring - 300).filter((s) => s.status !== 503)).toEqual([]);
    }
    // A never noticed: ready all along, every write of its load answered for good
    expect(readyA.samples.filter((s) => s.status !== 200)).toEqual([]);
    expect(load.problems).toEqual([]);
    expect(load.log.filter((s) => s.outcome === 'unknown')).toEqual([]);
    const { violations } = await load.verify(ca);
    expect(violations, `seed ${CHAOS_SEED + 1}`).toEqual([]);
    figures.partition = { partitions: PARTITIONS, partitionMs: PARTITION_MS, rounds, liveReadsOnB: liveB.samples.length, ...load.summary() };
  });

  it(`a process whose network to PostgreSQL goes silent (${SILENCES}× ${SILENCE_MS} ms: packets dropped, no reset, no close) answers 503 within the query timeout, and resumes by itself: nothing lost, nothing stale`, { timeout: CHAOS_FULL ? 300_000 : 60_000 }, async () => {
    // the load runs on B this time: its queries are the ones the network swallows
    const load = new Workload({ label: 'silence', workers: 4, seed: CHAOS_SEED + 3, pauseAfterFailureMs: 100 });
    const run = load.start(cb);
    const liveB = poll(cb, `/api/v1/agents/${x}/live?channel=voice`, 20);
    const readyB = poll(cb, '/readyz', 50);
    const windows: { silentAt: number; speaking: number; spokeAt: number }[] = [];
    const rounds: Record<string, number>[] = [];
    try {
      for (let i = 0; i < SILENCES; i++) {
        await sleep(CHAOS_FULL ? 1500 : 800);
        const before = await resyncs(cb);
        const silentAt = now();
        pB.silence();
        const p = await publishX(`during silence ${i}`); // A is unaffected
        await sleep(SILENCE_MS);
        const speaking = now();
        pB.speak();
        const spokeAt = now();
        windows.push({ silentAt, speaking, spokeAt });
        const caughtUpMs = await visibleOn(cb, p, spokeAt);
        expect(caughtUpMs, 'B serves the publish it missed').toBeLessThanOrEqual(VISIBLE_MS + QUERY_TIMEOUT_MS);
        rounds.push({ caughtUpMs: Math.round(caughtUpMs), ...(await invalidationResumes(before)) });
      }
      await sleep(500);
    } finally {
      await Promise.all([run.stop(), liveB.stop(), readyB.stop()]);
    }
    // never a 500, never a hang: every answer is a success, a 4xx the load expects, or 503 `unavailable`
    expect(load.problems).toEqual([]);
    expect(load.log.filter((s) => s.status === null), 'requests left without an answer').toEqual([]);
    for (const sm of [liveB, readyB]) expect(wrong(sm.samples)).toEqual([]);
    const answeredB = [...load.log.map((sm) => ({ sentAt: sm.sentAt, ms: sm.ms, status: sm.status })), ...liveB.samples, ...readyB.samples];
    const { sent: inSilence, unavailable, slowest } = faultFigures(answeredB, windows.map((w) => ({ from: w.silentAt, to: w.speaking })));
    for (const w of windows) {
      // a second after the silence began the cache can no longer be checked: nothing served from it
      expect(during(liveB.samples, w.silentAt + VISIBLE_MS, w.speaking - QUERY_TIMEOUT_MS - 300).filter((sm) => sm.status !== 503)).toEqual([]);
      // and B says it is not ready
      expect(during(readyB.samples, w.silentAt + VISIBLE_MS, w.speaking - QUERY_TIMEOUT_MS - 300).filter((sm) => sm.status !== 503)).toEqual([]);
    }
    expect(unavailable).toBeGreaterThan(0);
    // a query swallowed by the network fails at the query timeout; a request that then waited for
    // a free connection can meet the connection timeout first: never more than both
    expect(slowest, 'the slowest answer during a silence (ms)').toBeLessThan(2 * QUERY_TIMEOUT_MS + 1000);
    expect(stale(liveB.samples)).toEqual([]);
    const { violations, checked } = await load.verify(cb);
    expect(violations, `seed ${CHAOS_SEED + 3}`).toEqual([]);
    figures.silence = {
      silences: SILENCES, silenceMs: SILENCE_MS, requestsDuringSilences: inSilence, unavailable, slowestDuringSilenceMs: Math.round(slowest),
      rounds, liveReadsOnB: liveB.samples.length, ...load.summary(), lostAnswersResolved: checked.unknownResolved, lostAnswersThatHadCommitted: checked.unknownApplied,
    };
  });

  it(`the LISTEN connection killed alone (${LISTENER_KILLS}×): nothing fails, each listener reconnects by itself, invalidation resumes`, { timeout: CHAOS_FULL ? 300_000 : 60_000 }, async () => {
    const load = new Workload({ label: 'listener', workers: 3, seed: CHAOS_SEED + 2 });
    const run = load.start(ca);
    const liveB = poll(cb, `/api/v1/agents/${x}/live?channel=voice`, 20);
    const rounds: Record<string, number>[] = [];
    try {
      for (let i = 0; i < LISTENER_KILLS; i++) {
        await sleep(300);
        await until('both listeners connected', async () => (await admin.query(LISTENERS)).rows.length === 2, 10_000);
        const [ra, rb] = [await resyncs(ca), await resyncs(cb)];
        const killed = await admin.query(`SELECT pg_terminate_backend(pid) AS ok FROM (${LISTENERS}) l`);
        expect(killed.rows.map((r) => r.ok), 'one listener per process, each terminated').toEqual([true, true]);
        // a publish right away, while the listeners are down or reconnecting
        const p = await publishX(`listener kill ${i}`);
        const visibleMs = await visibleOn(cb, p);
        expect(visibleMs).toBeLessThanOrEqual(VISIBLE_MS);
        await until('A\'s listener reconnecting', async () => (await resyncs(ca)) > ra, 10_000);
        rounds.push({ visibleMs: Math.round(visibleMs), ...(await invalidationResumes(rb)) });
      }
    } finally {
      await Promise.all([run.stop(), liveB.stop()]);
    }
    for (const r of rounds) expect(r.visibleMs).toBeLessThanOrEqual(VISIBLE_MS);
    // the pool was never touched: every request answered for good, B's reads included
    expect(load.problems).toEqual([]);
    expect(load.log.filter((s) => s.outcome === 'unknown')).toEqual([]);
    expect(liveB.samples.filter((s) => s.status !== 200 && s.code !== 'agent_inactive')).toEqual([]);
    expect(stale(liveB.samples)).toEqual([]);
    const { violations } = await load.verify(ca);
    expect(violations, `seed ${CHAOS_SEED + 2}`).toEqual([]);
    figures.listener = { kills: LISTENER_KILLS, rounds, liveReadsOnB: liveB.samples.length, ...load.summary() };
  });

  it('audits every acknowledged change of the watched agent exactly once, and nothing else', async () => {
    const events = await ca.all(`/api/v1/audit-events?resourceId=${x}`);
    const byRid = new Map<string, number>();
    for (const e of events) byRid.set(e.requestId as string, (byRid.get(e.requestId as string) ?? 0) + 1);
    const ok = xOps.filter((o) => o.status === 200 || o.status === 201);
    for (const o of xOps) {
      const n = byRid.get(o.rid) ?? 0;
      if (o.status === 200 || o.status === 201) expect(n, `${o.rid} ${o.action}`).toBe(1);
      else expect(n, `${o.rid} ${o.action} (${o.status})`).toBeLessThanOrEqual(1);
    }
    // the create (made before the log) and one per request of the log that committed
    const logged = new Set(xOps.map((o) => o.rid));
    expect(events.filter((e) => !logged.has(e.requestId as string)).map((e) => e.action)).toEqual(['agent.create']);
    expect(ok.length).toBeGreaterThanOrEqual(publishes.length * 2);
  });
});
