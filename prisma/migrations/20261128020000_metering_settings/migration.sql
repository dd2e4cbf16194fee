-- CreateTable
CREATE TABLE "usage_rollups_hourly" (
    "org_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
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
    "latency_count" BIGINT NOT NULL,
    "latency_sum_ms" BIGINT NOT NULL,
    "latency_hist" BIGINT[],
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_rollups_hourly_pkey" PRIMARY KEY ("org_id","hour","project","workload","environment","provider","model_id")
);

-- CreateTable
CREATE TABLE "dirty_buckets" (
    "org_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "marked_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dirty_buckets_pkey" PRIMARY KEY ("org_id","hour")
);

-- CreateTable
CREATE TABLE "budgets" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "project" TEXT,
    "workload" TEXT,
    "provider" TEXT,
    "monthly_limit_usd" DECIMAL(20,6) NOT NULL,
    "thresholds" INTEGER[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "budgets_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "budget_id" UUID NOT NULL,
    "month" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "spend_usd" DECIMAL(24,12) NOT NULL,
    "limit_usd" DECIMAL(20,6) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateTable
CREATE TABLE "webhooks" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT[],
    "secret" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "webhook_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateTable
CREATE TABLE "org_settings" (
    "org_id" UUID NOT NULL,
    "assumptions" JSONB NOT NULL DEFAULT '{}',
    "planner" JSONB NOT NULL DEFAULT '{}',
    "digest" JSONB NOT NULL DEFAULT '{}',
    "retention_days" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "org_settings_pkey" PRIMARY KEY ("org_id")
);

-- CreateTable
CREATE TABLE "snapshots" (
    "org_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "snapshots_pkey" PRIMARY KEY ("org_id","kind","scope")
);

-- CreateTable
CREATE TABLE "evaluations" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "workload" TEXT NOT NULL,
    "candidate_model" TEXT NOT NULL,
    "baseline_model" TEXT NOT NULL,
    "sample_size" INTEGER NOT NULL,
    "metrics" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evaluations_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateIndex
CREATE INDEX "usage_rollups_hourly_org_id_workload_hour_idx" ON "usage_rollups_hourly"("org_id", "workload", "hour");

-- CreateIndex
CREATE INDEX "dirty_buckets_marked_at_idx" ON "dirty_buckets"("marked_at");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_org_id_budget_id_month_threshold_key" ON "alerts"("org_id", "budget_id", "month", "threshold");

-- CreateIndex
CREATE INDEX "webhook_deliveries_org_id_webhook_id_created_at_idx" ON "webhook_deliveries"("org_id", "webhook_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_org_id_webhook_id_message_id_key" ON "webhook_deliveries"("org_id", "webhook_id", "message_id");

-- CreateIndex
CREATE INDEX "evaluations_org_id_workload_idx" ON "evaluations"("org_id", "workload");


-- Tenant tables: the same RLS wall as everywhere else.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['usage_rollups_hourly','dirty_buckets','budgets','alerts','webhooks','webhook_deliveries','org_settings','snapshots','evaluations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org())', t);
  END LOOP;
END $$;

-- The sweeper finds dirty hours of every org: a narrow cross-tenant read of
-- (org_id, hour) only, through this function.
CREATE FUNCTION crossover_dirty_buckets(p_older_than timestamptz, p_limit int)
  RETURNS TABLE (org_id uuid, hour timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT d.org_id, d.hour FROM dirty_buckets d WHERE d.marked_at <= p_older_than ORDER BY d.marked_at LIMIT p_limit
  $$;
REVOKE ALL ON FUNCTION crossover_dirty_buckets(timestamptz, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_dirty_buckets(timestamptz, int) TO crossover_app;
