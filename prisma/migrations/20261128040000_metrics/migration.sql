-- Rollup lag for /metrics: the oldest dirty mark across orgs, nothing else.
CREATE FUNCTION crossover_rollup_lag() RETURNS timestamptz
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ SELECT min(marked_at) FROM dirty_buckets $$;
REVOKE ALL ON FUNCTION crossover_rollup_lag() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_rollup_lag() TO crossover_app;
