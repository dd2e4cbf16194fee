-- CreateTable
CREATE TABLE "model_prices" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'closed',
    "input_per_mtok" DECIMAL(20,10) NOT NULL,
    "output_per_mtok" DECIMAL(20,10) NOT NULL,
    "cached_input_per_mtok" DECIMAL(20,10),
    "cache_write_per_mtok" DECIMAL(20,10),
    "reasoning_per_mtok" DECIMAL(20,10),
    "tiers" JSONB NOT NULL DEFAULT '[]',
    "context_tokens" INTEGER,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "effective_to" TIMESTAMPTZ(3),
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_prices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_aliases" (
    "alias" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,

    CONSTRAINT "model_aliases_pkey" PRIMARY KEY ("alias")
);

-- CreateTable
CREATE TABLE "reference_facts" (
    "kind" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "reference_facts_pkey" PRIMARY KEY ("kind","id")
);

-- CreateTable
CREATE TABLE "price_overrides" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model_id" TEXT,
    "percent" DECIMAL(7,4),
    "input_per_mtok" DECIMAL(20,10),
    "output_per_mtok" DECIMAL(20,10),
    "cached_input_per_mtok" DECIMAL(20,10),
    "cache_write_per_mtok" DECIMAL(20,10),
    "reasoning_per_mtok" DECIMAL(20,10),
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "effective_to" TIMESTAMPTZ(3),
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "price_overrides_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateTable
CREATE TABLE "usage_events" (
    "org_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "workload" TEXT NOT NULL,
    "project" TEXT,
    "environment" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "cached_input_tokens" BIGINT NOT NULL,
    "cache_write_tokens" BIGINT NOT NULL,
    "reasoning_tokens" BIGINT NOT NULL,
    "latency_ms" INTEGER,
    "status" TEXT NOT NULL,
    "tags" JSONB NOT NULL DEFAULT '{}',
    "client_cost_usd" DECIMAL(24,12),
    "cost_usd" DECIMAL(24,12),
    "unpriced" BOOLEAN NOT NULL,
    "price_version_id" TEXT,
    "usage_format" TEXT NOT NULL,
    "content_hash" BYTEA NOT NULL,

    CONSTRAINT "usage_events_pkey" PRIMARY KEY ("org_id","event_id")
);

-- CreateTable
CREATE TABLE "reprice_runs" (
    "org_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "from_ts" TIMESTAMPTZ(3) NOT NULL,
    "to_ts" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "reprice_runs_pkey" PRIMARY KEY ("org_id","id")
);

-- CreateIndex
CREATE INDEX "model_prices_model_id_idx" ON "model_prices"("model_id");

-- CreateIndex
CREATE UNIQUE INDEX "model_prices_provider_model_id_effective_from_key" ON "model_prices"("provider", "model_id", "effective_from");

-- CreateIndex
CREATE INDEX "price_overrides_org_id_provider_idx" ON "price_overrides"("org_id", "provider");

-- CreateIndex
CREATE INDEX "usage_events_org_id_ts_idx" ON "usage_events"("org_id", "ts" DESC);

-- CreateIndex
CREATE INDEX "usage_events_org_id_workload_ts_idx" ON "usage_events"("org_id", "workload", "ts");

-- CreateIndex
CREATE INDEX "usage_events_org_id_model_id_ts_idx" ON "usage_events"("org_id", "model_id", "ts");


-- Tenant tables: the same RLS wall as the foundation's.
ALTER TABLE price_overrides ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON price_overrides USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());
ALTER TABLE usage_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_events USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());
ALTER TABLE reprice_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reprice_runs USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());


-- Optional per-key Standard Webhooks signing secret for ingest.
ALTER TABLE api_keys ADD COLUMN signing_secret TEXT;
DROP FUNCTION crossover_find_api_key(bytea);
CREATE FUNCTION crossover_find_api_key(p_hash bytea)
  RETURNS TABLE (org_id uuid, id uuid, scopes text[], project_id uuid, revoked_at timestamptz, signing_secret text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT k.org_id, k.id, k.scopes, k.project_id, k.revoked_at, k.signing_secret FROM api_keys k WHERE k.token_hash = p_hash
  $$;
REVOKE ALL ON FUNCTION crossover_find_api_key(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_find_api_key(bytea) TO crossover_app;
