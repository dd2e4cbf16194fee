-- Pricing parity with the invoice (issue 13).
--
-- Events: the service tier they ran on, and token classes that providers
-- price apart. Each new count is a SUBSET of an existing one (see
-- src/domain/pricing/usage.ts), NULL meaning 0, so events without them pay
-- one null-bitmap bit instead of 8 bytes a column:
--   cache_write_1h_tokens      ⊆ cache_write_tokens (Anthropic 1-hour TTL writes)
--   audio_input_tokens         ⊆ fresh input (input - cached - cache writes)
--   image_input_tokens         ⊆ fresh input
--   video_input_tokens         ⊆ fresh input
--   cached_audio_input_tokens  ⊆ cached_input_tokens
--   audio_output_tokens        ⊆ output - reasoning
-- client_cost_usd is the provider-reported cost (API field providerCostUsd,
-- formerly costUsd); provider_cost_source says where it came from.
ALTER TABLE usage_events
  ADD COLUMN service_tier text NOT NULL DEFAULT 'default',
  ADD COLUMN cache_write_1h_tokens bigint,
  ADD COLUMN audio_input_tokens bigint,
  ADD COLUMN image_input_tokens bigint,
  ADD COLUMN video_input_tokens bigint,
  ADD COLUMN cached_audio_input_tokens bigint,
  ADD COLUMN audio_output_tokens bigint,
  ADD COLUMN provider_cost_source text;
UPDATE usage_events SET provider_cost_source = 'caller' WHERE client_cost_usd IS NOT NULL;

-- Rollups: the service tier becomes a dimension (reconciliation and FOCUS
-- split by it), the new token classes are summed, and so is the
-- provider-reported cost: provider_cost_usd over the events that carried one
-- (provider_cost_requests of them), provider_basis_cost_usd = the provider's
-- cost where known, the computed cost elsewhere (costBasis=provider).
ALTER TABLE usage_rollups_hourly
  ADD COLUMN service_tier text NOT NULL DEFAULT 'default',
  ADD COLUMN cache_write_1h_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN audio_input_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN image_input_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN video_input_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN cached_audio_input_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN audio_output_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN provider_cost_usd numeric(24,12) NOT NULL DEFAULT 0,
  ADD COLUMN provider_cost_requests bigint NOT NULL DEFAULT 0,
  ADD COLUMN provider_basis_cost_usd numeric(24,12);
ALTER TABLE usage_rollups_daily
  ADD COLUMN service_tier text NOT NULL DEFAULT 'default',
  ADD COLUMN cache_write_1h_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN audio_input_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN image_input_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN video_input_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN cached_audio_input_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN audio_output_tokens bigint NOT NULL DEFAULT 0,
  ADD COLUMN provider_cost_usd numeric(24,12) NOT NULL DEFAULT 0,
  ADD COLUMN provider_cost_requests bigint NOT NULL DEFAULT 0,
  ADD COLUMN provider_basis_cost_usd numeric(24,12);
-- Rows rolled up before this migration: provider cost from what the events carried.
UPDATE usage_rollups_hourly SET provider_basis_cost_usd = cost_usd;
UPDATE usage_rollups_daily SET provider_basis_cost_usd = cost_usd;
ALTER TABLE usage_rollups_hourly ALTER COLUMN provider_basis_cost_usd SET NOT NULL;
ALTER TABLE usage_rollups_daily ALTER COLUMN provider_basis_cost_usd SET NOT NULL;
ALTER TABLE usage_rollups_hourly DROP CONSTRAINT usage_rollups_hourly_pkey,
  ADD CONSTRAINT usage_rollups_hourly_pkey PRIMARY KEY (org_id, hour, project, workload, environment, provider, model_id, service_tier);
ALTER TABLE usage_rollups_daily DROP CONSTRAINT usage_rollups_daily_pkey,
  ADD CONSTRAINT usage_rollups_daily_pkey PRIMARY KEY (org_id, day, project, workload, environment, provider, model_id, service_tier);
-- Hours with provider costs are rolled up again so their sums are right.
INSERT INTO dirty_buckets (org_id, hour)
SELECT DISTINCT org_id, date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' FROM usage_events WHERE client_cost_usd IS NOT NULL
ON CONFLICT DO NOTHING;

-- Catalog: rates for the new token classes (USD per 1M tokens; NULL = billed
-- at the class it is a subset of), and a note saying which source won when
-- two sources price the same model.
ALTER TABLE model_prices
  ADD COLUMN cache_write_1h_per_mtok numeric(20,10),
  ADD COLUMN input_audio_per_mtok numeric(20,10),
  ADD COLUMN cached_input_audio_per_mtok numeric(20,10),
  ADD COLUMN output_audio_per_mtok numeric(20,10),
  ADD COLUMN input_image_per_mtok numeric(20,10),
  ADD COLUMN input_video_per_mtok numeric(20,10),
  ADD COLUMN note text;
