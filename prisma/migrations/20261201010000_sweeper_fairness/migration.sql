-- A dirty hour whose rollup keeps failing (a poisoned hour) backs off instead of
-- being retried first forever, and the sweeper takes at most p_per_org hours of
-- any one org per pass, so one org's backlog or poison never starves the others.
ALTER TABLE dirty_buckets ADD COLUMN failures int NOT NULL DEFAULT 0;
ALTER TABLE dirty_buckets ADD COLUMN retry_after timestamptz(3);
ALTER TABLE dirty_buckets ADD COLUMN last_error text;

DROP FUNCTION crossover_dirty_buckets(timestamptz, int);
CREATE FUNCTION crossover_dirty_buckets(p_older_than timestamptz, p_limit int, p_per_org int)
  RETURNS TABLE (org_id uuid, hour timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT r.org_id, r.hour FROM (
      SELECT d.org_id, d.hour, d.marked_at, row_number() OVER (PARTITION BY d.org_id ORDER BY d.marked_at) AS rank
        FROM dirty_buckets d
       WHERE d.marked_at <= p_older_than AND (d.retry_after IS NULL OR d.retry_after <= now())
    ) r
    WHERE r.rank <= p_per_org
    ORDER BY r.rank, r.marked_at
    LIMIT p_limit
  $$;
REVOKE ALL ON FUNCTION crossover_dirty_buckets(timestamptz, int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crossover_dirty_buckets(timestamptz, int, int) TO crossover_app;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crossover_definer') AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION crossover_dirty_buckets(timestamptz, int, int) OWNER TO crossover_definer;
  END IF;
END $$;
