-- Provider connectors and what they report (issue 13). Provider lines are
-- kept apart from metered events and are never added to them.

CREATE TABLE connectors (
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  provider text NOT NULL,                -- openai | anthropic
  name text NOT NULL,
  -- AES-256-GCM: key_id names the CONNECTOR_ENCRYPTION_KEY entry that sealed it;
  -- sealed = iv (12 bytes) || tag (16 bytes) || ciphertext of the credentials JSON.
  key_id text NOT NULL,
  sealed bytea NOT NULL,
  base_url text,
  created_by uuid,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  last_synced_at timestamptz(3),
  -- Days before this one are final at the provider; the hourly sync re-reads from it on.
  final_before date,
  last_error text,
  CONSTRAINT connectors_pkey PRIMARY KEY (org_id, id),
  CONSTRAINT connectors_org_id_name_key UNIQUE (org_id, name)
);

CREATE TABLE connector_runs (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  connector_id uuid NOT NULL,
  trigger text NOT NULL,                 -- manual | daily | hourly
  from_day date NOT NULL,
  to_day date NOT NULL,                  -- exclusive
  status text NOT NULL,                  -- queued | running | succeeded | failed
  pages integer NOT NULL DEFAULT 0,
  cost_lines integer NOT NULL DEFAULT 0,
  usage_lines integer NOT NULL DEFAULT 0,
  retries integer NOT NULL DEFAULT 0,
  progress jsonb NOT NULL DEFAULT '{}',
  error text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  started_at timestamptz(3),
  finished_at timestamptz(3),
  CONSTRAINT connector_runs_pkey PRIMARY KEY (org_id, id),
  CONSTRAINT connector_runs_connector_fkey FOREIGN KEY (org_id, connector_id) REFERENCES connectors(org_id, id) ON DELETE CASCADE
);
CREATE INDEX connector_runs_org_id_connector_id_created_at_idx ON connector_runs (org_id, connector_id, created_at DESC);

-- What the provider bills, one row per (day, line) as its cost report gives it.
CREATE TABLE provider_cost_lines (
  org_id uuid NOT NULL,
  connector_id uuid NOT NULL,
  day date NOT NULL,                     -- the provider's UTC day
  line_key text NOT NULL,                -- stable key of the line within the day (its grouping values)
  provider text NOT NULL,
  project text NOT NULL DEFAULT '',      -- provider project / workspace id, '' when none
  model text NOT NULL DEFAULT '',        -- model as the provider names it, '' when the line names none
  model_id text NOT NULL DEFAULT '',     -- catalog id resolved from model, '' when unknown
  line_item text NOT NULL DEFAULT '',
  service_tier text NOT NULL DEFAULT 'default',
  cost_type text NOT NULL DEFAULT '',    -- tokens | web_search | code_execution | ...
  token_type text NOT NULL DEFAULT '',   -- input | output | cache_read | cache_write_5m | cache_write_1h | ...
  amount_usd numeric(24,12) NOT NULL,
  currency text NOT NULL DEFAULT 'USD',
  fetched_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT provider_cost_lines_pkey PRIMARY KEY (org_id, connector_id, day, line_key),
  CONSTRAINT provider_cost_lines_connector_fkey FOREIGN KEY (org_id, connector_id) REFERENCES connectors(org_id, id) ON DELETE CASCADE
);
CREATE INDEX provider_cost_lines_org_id_day_idx ON provider_cost_lines (org_id, day);

-- What the provider counted, one row per (bucket, line) as its usage report gives it.
CREATE TABLE provider_usage_lines (
  org_id uuid NOT NULL,
  connector_id uuid NOT NULL,
  bucket_start timestamptz(3) NOT NULL,
  bucket_width text NOT NULL,            -- 1h | 1d
  line_key text NOT NULL,
  provider text NOT NULL,
  project text NOT NULL DEFAULT '',
  model text NOT NULL DEFAULT '',
  model_id text NOT NULL DEFAULT '',
  service_tier text NOT NULL DEFAULT 'default',
  requests bigint NOT NULL DEFAULT 0,
  input_tokens bigint NOT NULL DEFAULT 0,        -- ALL input, cache reads and writes included (canonical semantics)
  cached_input_tokens bigint NOT NULL DEFAULT 0,
  cache_write_tokens bigint NOT NULL DEFAULT 0,  -- 5-minute and 1-hour writes
  cache_write_1h_tokens bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  audio_input_tokens bigint NOT NULL DEFAULT 0,
  audio_output_tokens bigint NOT NULL DEFAULT 0,
  fetched_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT provider_usage_lines_pkey PRIMARY KEY (org_id, connector_id, bucket_start, line_key),
  CONSTRAINT provider_usage_lines_connector_fkey FOREIGN KEY (org_id, connector_id) REFERENCES connectors(org_id, id) ON DELETE CASCADE
);
CREATE INDEX provider_usage_lines_org_id_bucket_start_idx ON provider_usage_lines (org_id, bucket_start);

-- One drift alert per (org, provider, day), ever.
CREATE TABLE reconciliation_alerts (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  provider text NOT NULL,
  day date NOT NULL,
  metered_cost_usd numeric(24,12) NOT NULL,
  billed_cost_usd numeric(24,12) NOT NULL,
  delta_usd numeric(24,12) NOT NULL,
  delta_percent numeric(12,4),
  coverage numeric(12,6),
  reasons text[] NOT NULL,               -- drift | coverage
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  notified_at timestamptz(3),
  CONSTRAINT reconciliation_alerts_pkey PRIMARY KEY (org_id, id),
  CONSTRAINT reconciliation_alerts_org_id_provider_day_key UNIQUE (org_id, provider, day)
);

-- Reconciliation thresholds per org ({ driftPercent, driftMinUsd, minCoverage }).
ALTER TABLE org_settings ADD COLUMN reconciliation jsonb NOT NULL DEFAULT '{}';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['connectors', 'connector_runs', 'provider_cost_lines', 'provider_usage_lines', 'reconciliation_alerts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org())', t);
  END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON connectors, connector_runs, provider_cost_lines, provider_usage_lines, reconciliation_alerts TO crossover_app;

-- The scheduled syncs start from every org's connectors: the one cross-tenant
-- read, ids only (what a sync job's payload carries).
CREATE FUNCTION crossover_list_connectors()
  RETURNS TABLE (org_id uuid, id uuid, provider text, final_before date)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT c.org_id, c.id, c.provider, c.final_before FROM connectors c ORDER BY c.org_id, c.id
  $$;
REVOKE ALL ON FUNCTION crossover_list_connectors() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_list_connectors() TO crossover_app;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crossover_definer') AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    GRANT SELECT ON connectors TO crossover_definer;
    ALTER FUNCTION crossover_list_connectors() OWNER TO crossover_definer;
  END IF;
END $$;
