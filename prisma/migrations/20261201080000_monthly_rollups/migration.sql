-- Monthly rollups (issue 14, "Reports"): a 90-day spend report by month read ~28k daily rows at 10M events; whole
-- UTC months now come from here (a few hundred rows a month), whole days from usage_rollups_daily, ragged hours
-- from usage_rollups_hourly (src/reports/reports.repository.ts, source()).
--
-- Same shape, key and row-level security as usage_rollups_daily (with service_tier and the class sums of
-- 20261201050000_invoice_parity). The rollup worker keeps it (src/metering/rollup.repository.ts, recompute):
-- when an hour is recomputed its day is rebuilt from its hours and its month from its days, in the same
-- transaction. Retention keeps rollups as they are and re-pricing marks hours dirty, so both keep it right
-- through the worker.
--
-- Both tables are rebuilt about once per recomputed hour; the rebuild rewrites only rows whose sums changed,
-- as UPDATEs that keep their key. With free room on each page (fillfactor 50) those updates are HOT: no new
-- index entry, and the page's dead versions are pruned when it is next read, without waiting for VACUUM. The
-- previous DELETE + INSERT of a whole day left ~8 dead index entries per live one on a bench database (1M
-- events, autovacuum off), which the report's index scan then walked.
--
-- Run with the rollup workers of the previous release stopped: a day they rebuild after the back-fill below
-- would not reach its month until one of that month's hours is rolled up again.

CREATE TABLE usage_rollups_monthly (
  org_id uuid NOT NULL,
  month timestamptz(3) NOT NULL,          -- the first instant of the UTC month
  project text NOT NULL,
  workload text NOT NULL,
  environment text NOT NULL,
  provider text NOT NULL,
  model_id text NOT NULL,
  service_tier text NOT NULL DEFAULT 'default',
  requests bigint NOT NULL,
  errors bigint NOT NULL,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cached_input_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL,
  cache_write_1h_tokens bigint NOT NULL DEFAULT 0,
  audio_input_tokens bigint NOT NULL DEFAULT 0,
  image_input_tokens bigint NOT NULL DEFAULT 0,
  video_input_tokens bigint NOT NULL DEFAULT 0,
  cached_audio_input_tokens bigint NOT NULL DEFAULT 0,
  audio_output_tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(24,12) NOT NULL,
  provider_cost_usd numeric(24,12) NOT NULL DEFAULT 0,
  provider_cost_requests bigint NOT NULL DEFAULT 0,
  provider_basis_cost_usd numeric(24,12) NOT NULL,
  unpriced_requests bigint NOT NULL,
  unpriced_tokens bigint NOT NULL,
  CONSTRAINT usage_rollups_monthly_pkey PRIMARY KEY (org_id, month, project, workload, environment, provider, model_id, service_tier)
) WITH (fillfactor = 50);

ALTER TABLE usage_rollups_daily SET (fillfactor = 50);

-- Existing daily rollups, folded into months once (daily rows are never deleted, so every month is whole).
INSERT INTO usage_rollups_monthly (org_id, month, project, workload, environment, provider, model_id, service_tier, requests, errors, input_tokens,
  output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cache_write_1h_tokens, audio_input_tokens, image_input_tokens,
  video_input_tokens, cached_audio_input_tokens, audio_output_tokens, cost_usd, provider_cost_usd, provider_cost_requests, provider_basis_cost_usd,
  unpriced_requests, unpriced_tokens)
SELECT org_id, date_trunc('month', day AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', project, workload, environment, provider, model_id, service_tier,
  sum(requests), sum(errors), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens), sum(reasoning_tokens),
  sum(cache_write_1h_tokens), sum(audio_input_tokens), sum(image_input_tokens), sum(video_input_tokens), sum(cached_audio_input_tokens),
  sum(audio_output_tokens), sum(cost_usd), sum(provider_cost_usd), sum(provider_cost_requests), sum(provider_basis_cost_usd),
  sum(unpriced_requests), sum(unpriced_tokens)
FROM usage_rollups_daily GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

ALTER TABLE usage_rollups_monthly ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_rollups_monthly FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_rollups_monthly USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON usage_rollups_monthly TO crossover_app;
