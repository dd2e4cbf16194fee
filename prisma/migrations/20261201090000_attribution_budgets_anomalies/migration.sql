-- Issue 15: cost per customer, budgets by customer/tag with time-zone and rolling windows, anomalies, Slack webhooks.
--
-- Attribution. Events may name the org's own customer and an opaque end user. Neither joins the main rollups (their
-- key would multiply by the number of customers): they get rollups of their own, one row per (period, dim, value,
-- project, workload, provider), where dim is 'customer', 'end_user' or 'tag' (value 'key=value'). Each (org, period,
-- dim) keeps at most a fixed number of distinct values (src/metering/attribution.ts states it); beyond it, the
-- cheapest values are folded into the value '(other)', so the tables stay bounded whatever a tenant sends.

ALTER TABLE usage_events ADD COLUMN customer text, ADD COLUMN end_user text;

CREATE TABLE usage_rollups_attribution_hourly (
  org_id uuid NOT NULL,
  hour timestamptz(3) NOT NULL,
  dim text NOT NULL,                      -- customer | end_user | tag
  value text NOT NULL,                    -- the customer, the end user, 'key=value' for a tag, or '(other)'
  project text NOT NULL,                  -- '' when the events named no project
  workload text NOT NULL,
  provider text NOT NULL,
  requests bigint NOT NULL,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cost_usd numeric(24,12) NOT NULL,
  provider_basis_cost_usd numeric(24,12) NOT NULL,
  CONSTRAINT usage_rollups_attribution_hourly_pkey PRIMARY KEY (org_id, hour, dim, value, project, workload, provider)
) WITH (fillfactor = 50);

CREATE TABLE usage_rollups_attribution_daily (
  org_id uuid NOT NULL,
  day timestamptz(3) NOT NULL,
  dim text NOT NULL,
  value text NOT NULL,
  project text NOT NULL,
  workload text NOT NULL,
  provider text NOT NULL,
  requests bigint NOT NULL,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cost_usd numeric(24,12) NOT NULL,
  provider_basis_cost_usd numeric(24,12) NOT NULL,
  CONSTRAINT usage_rollups_attribution_daily_pkey PRIMARY KEY (org_id, day, dim, value, project, workload, provider)
) WITH (fillfactor = 50);

ALTER TABLE usage_rollups_attribution_hourly ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_rollups_attribution_hourly FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_rollups_attribution_hourly USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON usage_rollups_attribution_hourly TO crossover_app;
ALTER TABLE usage_rollups_attribution_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_rollups_attribution_daily FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_rollups_attribution_daily USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON usage_rollups_attribution_daily TO crossover_app;

-- Budgets: a customer or one tag in the scope, a window ('month' = the calendar month in the org's time zone, or
-- rolling '24h' | '7d' | '30d'), and hard budgets (the decision endpoint denies) beside soft ones (alerts only).
-- The limit is per window, so the column loses "monthly" from its name.
ALTER TABLE budgets RENAME COLUMN monthly_limit_usd TO limit_usd;
ALTER TABLE budgets ADD COLUMN customer text, ADD COLUMN tag_key text, ADD COLUMN tag_value text,
  ADD COLUMN "window" text NOT NULL DEFAULT 'month', ADD COLUMN hard boolean NOT NULL DEFAULT false;
ALTER TABLE budgets ADD CONSTRAINT budgets_window_check CHECK ("window" IN ('month', '24h', '7d', '30d'));
ALTER TABLE budgets ADD CONSTRAINT budgets_tag_check CHECK ((tag_key IS NULL) = (tag_value IS NULL));

-- An alert is once per budget, threshold and window period: the month ('2026-11') for calendar months, the UTC
-- day of the crossing for rolling windows.
ALTER TABLE alerts RENAME COLUMN month TO period;

-- Spend anomalies: one per org, day and scope, ever.
CREATE TABLE anomalies (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  day date NOT NULL,                      -- the UTC day whose spend was checked
  scope_kind text NOT NULL,               -- workload | customer | provider
  scope_value text NOT NULL,
  observed_usd numeric(24,12) NOT NULL,
  expected_usd numeric(24,12) NOT NULL,
  lower_usd numeric(24,12) NOT NULL,
  upper_usd numeric(24,12) NOT NULL,
  direction text NOT NULL,                -- above | below
  partial_day boolean NOT NULL,           -- raised before the day ended (spend already above the whole day's range)
  details jsonb NOT NULL DEFAULT '{}',    -- baseline figures and the top contributors (models, customers)
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  notified_at timestamptz(3),
  CONSTRAINT anomalies_pkey PRIMARY KEY (org_id, id),
  CONSTRAINT anomalies_once UNIQUE (org_id, day, scope_kind, scope_value)
);
CREATE INDEX anomalies_org_created_idx ON anomalies (org_id, created_at);
ALTER TABLE anomalies ENABLE ROW LEVEL SECURITY;
ALTER TABLE anomalies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON anomalies USING (org_id = crossover_current_org()) WITH CHECK (org_id = crossover_current_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON anomalies TO crossover_app;

-- Webhooks post either Standard Webhooks (signed JSON) or Slack incoming-webhook messages (blocks).
ALTER TABLE webhooks ADD COLUMN format text NOT NULL DEFAULT 'standard';
ALTER TABLE webhooks ADD CONSTRAINT webhooks_format_check CHECK (format IN ('standard', 'slack'));

-- Digests get a human title ("Week of 23 Nov 2026"); period stays the idempotency key.
ALTER TABLE digests ADD COLUMN title text;
