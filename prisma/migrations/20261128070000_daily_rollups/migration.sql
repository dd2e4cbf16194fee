-- CreateTable
CREATE TABLE "usage_rollups_daily" (
    "org_id" UUID NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "project" TEXT NOT NULL,
    "workload" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "requests" BIGINT NOT NULL,
    "errors" BIGINT NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "cached_input_tokens" BIGINT NOT NULL,
    "cache_write_tokens" BIGINT NOT NULL,
    "reasoning_tokens" BIGINT NOT NULL,
    "cost_usd" DECIMAL(24,12) NOT NULL,
    "unpriced_requests" BIGINT NOT NULL,
    "unpriced_tokens" BIGINT NOT NULL,

    CONSTRAINT "usage_rollups_daily_pkey" PRIMARY KEY ("org_id","day","project","workload","environment","provider","model_id")
);


ALTER TABLE usage_rollups_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_rollups_daily USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());

-- Existing hourly rollups, folded into days once.
INSERT INTO usage_rollups_daily (org_id, day, project, workload, environment, provider, model_id, requests, errors, input_tokens, output_tokens,
  cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_requests, unpriced_tokens)
SELECT org_id, date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', project, workload, environment, provider, model_id,
  sum(requests), sum(errors), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cache_write_tokens), sum(reasoning_tokens),
  sum(cost_usd), sum(unpriced_requests), sum(unpriced_tokens)
FROM usage_rollups_hourly GROUP BY 1, 2, 3, 4, 5, 6, 7;
