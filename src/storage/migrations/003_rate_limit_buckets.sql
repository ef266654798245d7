-- The organization-wide rate-limit bucket shared by every server process on one PostgreSQL
-- (api.md "Rate limits"; src/http/rate-limit.ts). One row per organization that has made a
-- request, holding its token bucket as a GCRA "theoretical arrival time": the instant (ms since
-- the Unix epoch) at which the bucket would be full again. Tokens left at instant t:
-- capacity - max(0, tat - t) / emission interval. Each process adds the requests it allowed
-- since its last sync (one batched statement for every active organization, every ~100 ms)
-- and reads the result back; no request waits for this table.
-- UNLOGGED: these rows are a few seconds of soft state, so they write no WAL and a sync never
-- waits for a WAL flush (a commit behind a busy disk); a crash or a failover empties the table,
-- which only refills every organization's bucket once.
-- No foreign key: a batch must never fail because one organization has just been deleted.
CREATE UNLOGGED TABLE rate_limit_buckets (
  organization_id  text PRIMARY KEY,
  tat              double precision NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
